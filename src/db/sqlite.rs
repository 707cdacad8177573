//! SQLite engine: a deadpool pool of rusqlite connections (WAL, foreign keys on, busy timeout),
//! and the conversions between `Value` and SQLite's storage classes.
//!
//! The pool manager is ours (deadpool does the pooling) because a connection must be checked
//! on its way back: one returned inside an open transaction is rolled back before reuse.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use rusqlite::{
    Connection, OpenFlags,
    types::{ToSqlOutput, ValueRef},
};

use super::{DbError, Field, Fields, Limits, Row, Value, value::time_to_text};

pub type Pool = deadpool::managed::Pool<Manager>;
pub type Object = deadpool::managed::Object<Manager>;

const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Manager {
    path: PathBuf,
    busy_timeout: Duration,
}

/// Opens one connection with the settings every paideia connection uses.
pub fn open(path: &Path) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )?;
    keep_private(path);
    conn.busy_timeout(BUSY_TIMEOUT)?;
    switch_to_wal(&conn)?;
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
    // rusqlite keeps 16 prepared statements per connection by default; one page view runs
    // about a dozen distinct ones and a quiz or grading save more, so 16 thrashes.
    conn.set_prepared_statement_cache_capacity(128);
    Ok(conn)
}

/// Several processes opening a new database at once can get SQLITE_BUSY from the switch to
/// WAL without the busy handler being consulted, so the switch is retried for a while.
fn switch_to_wal(conn: &Connection) -> Result<(), rusqlite::Error> {
    let started = std::time::Instant::now();
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL;", [], |row| {
            row.get::<_, String>(0)
        }) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(mode) => {
                if !mode.eq_ignore_ascii_case("wal") {
                    // Without WAL a read can wait for a writer: no read runs on a worker.
                    INLINE_READS.store(false, std::sync::atomic::Ordering::Relaxed);
                }
                return Ok(());
            }
            Err(e) => return Err(e),
        }
    }
}

/// The database holds password hashes and student work: owner-only, like dumps and backups.
/// SQLite gives its -wal and -shm files the database file's mode.
fn keep_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
}

impl deadpool::managed::Manager for Manager {
    type Type = Connection;
    type Error = rusqlite::Error;

    async fn create(&self) -> Result<Connection, rusqlite::Error> {
        blocking(|| {
            let conn = open(&self.path)?;
            conn.busy_timeout(self.busy_timeout)?;
            Ok(conn)
        })
    }

    async fn recycle(
        &self,
        conn: &mut Connection,
        _: &deadpool::managed::Metrics,
    ) -> deadpool::managed::RecycleResult<rusqlite::Error> {
        if !conn.is_autocommit() {
            conn.execute_batch("ROLLBACK")?;
        }
        Ok(())
    }
}

pub fn pool(path: &Path, max_size: usize, limits: &Limits) -> Result<Pool, DbError> {
    Pool::builder(Manager {
        path: path.to_path_buf(),
        busy_timeout: limits.lock_timeout.unwrap_or(BUSY_TIMEOUT),
    })
    .max_size(max_size)
    .wait_timeout(Some(limits.wait))
    .runtime(deadpool::Runtime::Tokio1)
    .build()
    .map_err(|e| DbError::Pool(e.to_string()))
}

/// A pooled connection, waiting `wait` (or the pool's own wait) for a free one.
pub async fn get(pool: &Pool, path: &Path, wait: Option<Duration>) -> Result<Object, DbError> {
    let mut timeouts = pool.timeouts();
    timeouts.wait = wait.or(timeouts.wait);
    pool.timeout_get(&timeouts).await.map_err(|e| match e {
        deadpool::managed::PoolError::Timeout(deadpool::managed::TimeoutType::Wait) => {
            DbError::busy(timeouts.wait)
        }
        e => DbError::Connect(format!(
            "cannot open SQLite database {}: {e}",
            path.display()
        )),
    })
}

/// Runs synchronous SQLite work without stalling the other tasks of a multi-threaded runtime.
pub fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// Rewrites PostgreSQL-style `$1` placeholders to SQLite's `?1`, leaving quoted text alone,
/// so each statement is written once for both engines.
pub fn placeholders(sql: &str) -> std::borrow::Cow<'_, str> {
    if !sql.contains('$') {
        return sql.into();
    }
    // `$1` and `?1` are the same length, so the rewrite swaps bytes in a copy; every byte
    // looked at is ASCII, so the copy stays UTF-8. (It ran once per statement, char by char,
    // and showed in the profile of the student's home page.)
    let mut out = sql.as_bytes().to_vec();
    let mut quote: Option<u8> = None;
    for i in 0..out.len() {
        let b = out[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b'$' && out.get(i + 1).is_some_and(u8::is_ascii_digit) => out[i] = b'?',
            None => {}
        }
    }
    String::from_utf8(out)
        .expect("only ASCII bytes were replaced")
        .into()
}

fn query_error(sql: &str, e: rusqlite::Error) -> DbError {
    let code = match &e {
        rusqlite::Error::SqliteFailure(f, _) => Some(format!("{:?}", f.code)),
        _ => None,
    };
    DbError::query(sql, e.to_string(), code)
}

pub fn execute(conn: &Connection, sql: &str, values: &[Value]) -> Result<u64, DbError> {
    blocking(|| {
        let mut stmt = conn
            .prepare_cached(&placeholders(sql))
            .map_err(|e| query_error(sql, e))?;
        let changed = stmt
            .execute(rusqlite::params_from_iter(values))
            .map_err(|e| query_error(sql, e))?;
        Ok(changed as u64)
    })
}

/// How long a read runs on the async worker before the rest of it is handed off
/// (`blocking`). Most of a page's reads (a session, a course, a count) end well inside it, and
/// the hand-off itself (waking another thread to take the worker's other tasks) was 15-19 % of
/// the server's samples on the course and home pages when every statement paid it.
const INLINE_BUDGET: Duration = Duration::from_micros(200);

/// Virtual machine steps of a read's last run past which it runs off the worker from then
/// on (a millisecond or two of SQLite's work, far more than a hot page's reads take).
const LONG_READ_STEPS: i32 = 250_000;

/// Whether reads may start on the async worker: only in WAL mode, where a read never waits in
/// the busy handler for a writer. Cleared if a database refuses WAL.
static INLINE_READS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

pub fn query(conn: &Connection, sql: &str, values: &[Value]) -> Result<Vec<Row>, DbError> {
    let mut columns: Option<Arc<[String]>> = None;
    run(conn, sql, values, |row| {
        let stmt = row.as_ref();
        let columns = columns
            .get_or_insert_with(|| stmt.column_names().into_iter().map(String::from).collect());
        // A plain loop into an exact-size Vec: collecting through `Result` showed in the
        // gradebook's profile.
        let mut values = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            values.push(from_sqlite(
                row.get_ref(i).map_err(|e| query_error(sql, e))?,
            ));
        }
        Ok(Row::new(columns.clone(), values))
    })
}

/// `query`, with each row handed to `f` as fields borrowed from SQLite's row: no `Row`, and no
/// copy of a text `f` does not keep.
pub fn query_map<T>(
    conn: &Connection,
    sql: &str,
    values: &[Value],
    mut f: impl FnMut(&[Field<'_>]) -> Result<T, DbError>,
) -> Result<Vec<T>, DbError> {
    run(conn, sql, values, |row| {
        let width = row.as_ref().column_count();
        let mut fields = Fields::new();
        for i in 0..width {
            match borrowed(row.get_ref(i).map_err(|e| query_error(sql, e))?) {
                Some(field) => fields.push(field),
                // Text that is not UTF-8: as `query` reads it, replaced lossily.
                None => {
                    let owned: Vec<Value> = (0..width)
                        .map(|i| row.get_ref(i).map(from_sqlite))
                        .collect::<Result<_, _>>()
                        .map_err(|e| query_error(sql, e))?;
                    return f(&owned.iter().map(Value::as_field).collect::<Fields<'_>>());
                }
            }
        }
        f(&fields)
    })
}

/// Runs `sql` and maps its rows with `map`. A read-only statement starts on the async worker
/// and is handed off (`blocking`) when it runs long; see `collect`.
fn run<T>(
    conn: &Connection,
    sql: &str,
    values: &[Value],
    map: impl FnMut(&rusqlite::Row<'_>) -> Result<T, DbError>,
) -> Result<Vec<T>, DbError> {
    let mut stmt = conn
        .prepare_cached(&placeholders(sql))
        .map_err(|e| query_error(sql, e))?;
    // A statement that writes (INSERT .. RETURNING) may wait for the write lock: all of it
    // runs off the worker, as before. So does a read whose last run on this connection took
    // many steps: an aggregate or a sort over a large table does all its work before its
    // first row, where the time budget cannot hand it off. (The counter is read and reset,
    // so it holds the last run's steps.)
    let inline = stmt.readonly()
        && INLINE_READS.load(std::sync::atomic::Ordering::Relaxed)
        && stmt.reset_status(rusqlite::StatementStatus::VmStep) < LONG_READ_STEPS;
    if !inline {
        return blocking(|| collect(sql, &mut stmt, values, None, map));
    }
    collect(
        sql,
        &mut stmt,
        values,
        Some(std::time::Instant::now() + INLINE_BUDGET),
        map,
    )
}

/// Runs `stmt` and maps its rows. With a deadline, rows are read on the calling thread
/// until it passes, and the rest under `blocking`.
fn collect<T>(
    sql: &str,
    stmt: &mut rusqlite::Statement<'_>,
    values: &[Value],
    deadline: Option<std::time::Instant>,
    mut map: impl FnMut(&rusqlite::Row<'_>) -> Result<T, DbError>,
) -> Result<Vec<T>, DbError> {
    let mut rows = stmt
        .query(rusqlite::params_from_iter(values))
        .map_err(|e| query_error(sql, e))?;
    let mut out = Vec::new();
    let mut next = |rows: &mut rusqlite::Rows<'_>, out: &mut Vec<T>| -> Result<bool, DbError> {
        let Some(row) = rows.next().map_err(|e| query_error(sql, e))? else {
            return Ok(false);
        };
        out.push(map(row)?);
        Ok(true)
    };
    if let Some(deadline) = deadline {
        loop {
            if !next(&mut rows, &mut out)? {
                return Ok(out);
            }
            // The clock is read every 16 rows: on every row it was 2.6 % of the gradebook.
            if out.len() % 16 == 0 && std::time::Instant::now() > deadline {
                break;
            }
        }
    }
    blocking(|| {
        while next(&mut rows, &mut out)? {}
        Ok(out)
    })
}

/// Calls `f` with each row's fields, borrowed from SQLite's row without copying, and without
/// collecting the rows; returns the row count.
pub fn for_each_row(
    conn: &Connection,
    sql: &str,
    f: &mut dyn FnMut(&[Field<'_>]) -> Result<(), String>,
) -> Result<u64, DbError> {
    blocking(|| {
        let mut stmt = conn
            .prepare(&placeholders(sql))
            .map_err(|e| query_error(sql, e))?;
        let width = stmt.column_count();
        let mut rows = stmt.query([]).map_err(|e| query_error(sql, e))?;
        let mut count = 0;
        while let Some(row) = rows.next().map_err(|e| query_error(sql, e))? {
            let values: smallvec::SmallVec<[ValueRef<'_>; 16]> = (0..width)
                .map(|i| row.get_ref(i))
                .collect::<Result<_, _>>()
                .map_err(|e| query_error(sql, e))?;
            match values
                .iter()
                .map(|v| borrowed(*v))
                .collect::<Option<Fields<'_>>>()
            {
                Some(fields) => f(&fields),
                // Text that is not UTF-8: replaced lossily, as `query` does.
                None => {
                    let owned: Vec<Value> = values.iter().map(|v| from_sqlite(*v)).collect();
                    f(&owned.iter().map(Value::as_field).collect::<Fields<'_>>())
                }
            }
            .map_err(DbError::Decode)?;
            count += 1;
        }
        Ok(count)
    })
}

/// A SQLite value as a borrowed field; `None` for text that is not UTF-8 (checked with SIMD:
/// std's check took a sixth of a SQLite dump's time).
fn borrowed(v: ValueRef<'_>) -> Option<Field<'_>> {
    Some(match v {
        ValueRef::Null => Field::Null,
        ValueRef::Integer(i) => Field::Int(i),
        ValueRef::Real(f) => Field::Float(f),
        ValueRef::Text(t) => Field::Text(simdutf8::basic::from_utf8(t).ok()?),
        ValueRef::Blob(b) => Field::Bytes(b),
    })
}

pub fn batch_execute(conn: &Connection, sql: &str) -> Result<(), DbError> {
    blocking(|| conn.execute_batch(sql).map_err(|e| query_error(sql, e)))
}

fn from_sqlite(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Float(f),
        ValueRef::Text(t) => Value::Text(match simdutf8::basic::from_utf8(t) {
            Ok(s) => s.to_owned(),
            Err(_) => String::from_utf8_lossy(t).into_owned(),
        }),
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Float(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Value::Time(t) => ToSqlOutput::Owned(rusqlite::types::Value::Text(time_to_text(t))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_are_rewritten_outside_quotes_only() {
        assert_eq!(
            placeholders("SELECT $1, '$2', \"$3\", $10 WHERE a = $2"),
            "SELECT ?1, '$2', \"$3\", ?10 WHERE a = ?2"
        );
        assert_eq!(placeholders("SELECT 'it''s $1'"), "SELECT 'it''s $1'");
    }
}
