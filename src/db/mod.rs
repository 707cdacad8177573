//! The database handle for both engines, chosen once from the URL: PostgreSQL (`postgres://`)
//! or SQLite (`sqlite://PATH`). Everything above this module talks to `Db`, `Conn` and `Tx`
//! through `Executor` with `$1`-style SQL and engine-neutral `Value`s; nothing else branches on
//! the engine except to pick dialect-specific SQL.

mod bulk;
mod error;
pub mod postgres;
pub mod sqlite;
mod tls;
mod url;
mod value;

use std::{future::Future, sync::Arc, time::Duration};

use deadpool_postgres::StatementCache;
use rusqlite::Connection;
use tokio_postgres::Client;

pub use error::DbError;
pub use url::{DatabaseUrl, Engine};
pub use value::{Field, Fields, FromField, FromValue, Row, Value, field, time_to_text};

/// Statements that run on a connection or inside a transaction.
pub trait Executor: Send {
    fn execute(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<u64, DbError>> + Send;

    fn query(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<Vec<Row>, DbError>> + Send;

    /// Several statements separated by semicolons, without parameters.
    fn batch_execute(&mut self, sql: &str) -> impl Future<Output = Result<(), DbError>> + Send;

    fn query_opt(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<Option<Row>, DbError>> + Send {
        async move { Ok(self.query(sql, params).await?.into_iter().next()) }
    }

    fn query_one(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> impl Future<Output = Result<Row, DbError>> + Send {
        async move { self.query_opt(sql, params).await?.ok_or(DbError::NoRow) }
    }
}

/// How long pooled connections may wait, and the connections kept for urgent work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// PostgreSQL's `statement_timeout` on pooled connections (none: the server's own).
    pub statement_timeout: Option<Duration>,
    /// How long a statement waits for a lock (PostgreSQL's `lock_timeout`, SQLite's busy
    /// timeout) on pooled connections; none: 30 s on SQLite, the server's own on PostgreSQL.
    pub lock_timeout: Option<Duration>,
    /// How long `conn()` waits for a free connection.
    pub wait: Duration,
    /// Connections beside the pool that only `urgently` scoped work takes first (sign-in and
    /// readiness), so a slow route that holds every pooled connection does not starve them.
    pub reserve: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            statement_timeout: None,
            lock_timeout: None,
            wait: Duration::from_secs(30),
            reserve: 0,
        }
    }
}

tokio::task_local! {
    static URGENT: bool;
}

/// Runs `work` with access to the reserved connections: its `conn()` calls take a free
/// reserved connection before waiting for the pool.
pub async fn urgently<F: Future>(work: F) -> F::Output {
    URGENT.scope(true, work).await
}

/// A pool of connections to one database. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    url: DatabaseUrl,
    pool: Pool,
    reserve: Option<Pool>,
}

#[derive(Clone)]
enum Pool {
    Postgres(postgres::Pool),
    Sqlite(sqlite::Pool),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("url", &self.url).finish()
    }
}

impl Db {
    /// Opens a pool and checks that one connection can be made, so a wrong URL fails here.
    pub async fn connect(url: &DatabaseUrl, max_connections: usize) -> Result<Db, DbError> {
        Db::connect_with(url, max_connections, Limits::default()).await
    }

    /// `connect` with statement and lock timeouts on the pooled connections, a bounded wait
    /// for a free one, and `limits.reserve` connections kept for urgent work (`serve`).
    pub async fn connect_with(
        url: &DatabaseUrl,
        max_connections: usize,
        limits: Limits,
    ) -> Result<Db, DbError> {
        let open = |size: usize| match url.engine() {
            Engine::Postgres => postgres::pool(url, size, &limits).map(Pool::Postgres),
            Engine::Sqlite => sqlite::pool(url.sqlite_path(), size, &limits).map(Pool::Sqlite),
        };
        let db = Db {
            url: url.clone(),
            pool: open(max_connections)?,
            reserve: match limits.reserve {
                0 => None,
                n => Some(open(n)?),
            },
        };
        db.conn().await?;
        Ok(db)
    }

    pub fn engine(&self) -> Engine {
        self.url.engine()
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// A connection from the pool (inside `urgently`, a free reserved one first).
    pub async fn conn(&self) -> Result<Conn, DbError> {
        // Work inside `pipeline` holds a connection already: a second one could wait forever
        // on a pool that every page holds one of.
        debug_assert!(
            self.shared().is_none(),
            "work inside Db::pipeline takes a second connection"
        );
        if let Some(reserve) = &self.reserve
            && URGENT.try_with(|urgent| *urgent).unwrap_or(false)
            && let Ok(conn) = self.get(reserve, Some(Duration::ZERO)).await
        {
            return Ok(conn);
        }
        self.get(&self.pool, None).await
    }

    async fn get(&self, pool: &Pool, wait: Option<Duration>) -> Result<Conn, DbError> {
        let inner = match pool {
            Pool::Postgres(p) => ConnInner::PgPooled(postgres::get(p, &self.url, wait).await?),
            Pool::Sqlite(p) => {
                ConnInner::SqlitePooled(sqlite::get(p, self.url.sqlite_path(), wait).await?)
            }
        };
        Ok(Conn { inner })
    }

    /// A new connection outside the pool, for work that owns its session (migration locks).
    pub async fn dedicated(&self) -> Result<Conn, DbError> {
        let inner = match self.engine() {
            Engine::Postgres => ConnInner::PgOwned(postgres::dedicated(&self.url).await?),
            Engine::Sqlite => {
                let path = self.url.sqlite_path();
                let conn = sqlite::blocking(|| sqlite::open(path)).map_err(|e| {
                    DbError::Connect(format!(
                        "cannot open SQLite database {}: {e}",
                        path.display()
                    ))
                })?;
                ConnInner::SqliteOwned(conn)
            }
        };
        Ok(Conn { inner })
    }

    /// Stops handing out connections and closes the idle ones.
    pub fn close(&self) {
        for pool in std::iter::once(&self.pool).chain(&self.reserve) {
            match pool {
                Pool::Postgres(p) => p.close(),
                Pool::Sqlite(p) => p.close(),
            }
        }
    }

    pub async fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        self.conn().await?.execute(sql, params).await
    }

    pub async fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        match self.shared() {
            Some(SharedConn::Postgres(c)) => {
                counted();
                let cache = &c.statement_cache;
                postgres::Session::Client(&c)
                    .query_with(Some(cache), sql, params)
                    .await
            }
            Some(SharedConn::Sqlite(c)) => {
                counted();
                // Never held across an await: a SQLite statement runs to its end in here.
                let conn = c.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                sqlite::query(&conn, sql, params)
            }
            None => self.conn().await?.query(sql, params).await,
        }
    }

    /// `query`, with each row handed to `f` as fields borrowed from the engine's own row
    /// (`db::field` reads one): no `Row` is built, and no text is copied that `f` does not
    /// keep. For a page's large reads (a class's roster and grades), where building owned
    /// rows and then the domain's values from them was a third of the work.
    pub async fn query_map<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnMut(&[Field<'_>]) -> Result<T, DbError> + Send,
    ) -> Result<Vec<T>, DbError> {
        counted();
        match self.shared() {
            Some(SharedConn::Postgres(c)) => {
                let cache = &c.statement_cache;
                postgres::Session::Client(&c)
                    .query_map_with(Some(cache), sql, params, f)
                    .await
            }
            Some(SharedConn::Sqlite(c)) => {
                // Never held across an await, as in `query`.
                let conn = c.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                sqlite::query_map(&conn, sql, params, f)
            }
            None => match self.conn().await?.raw() {
                Raw::Pg(c, cache) => {
                    postgres::Session::Client(c)
                        .query_map_with(cache.as_deref(), sql, params, f)
                        .await
                }
                Raw::Sqlite(c) => sqlite::query_map(c, sql, params, f),
            },
        }
    }

    pub async fn query_opt(&self, sql: &str, params: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    pub async fn query_one(&self, sql: &str, params: &[Value]) -> Result<Row, DbError> {
        self.query_opt(sql, params).await?.ok_or(DbError::NoRow)
    }

    /// Runs `work`, whose reads through this `Db` (`query`, `query_opt`, `query_one`; not
    /// transactions) share one pooled connection. On PostgreSQL, reads that `work` runs
    /// concurrently (`tokio::try_join!`) are then pipelined: sent together and answered in
    /// one round trip instead of one each (a round trip per statement was most of the course
    /// page's kernel time). On SQLite they run one after another on the one connection, so a
    /// page never holds more than one while it waits for the pool. `work` must only read
    /// (`execute` and transactions take another connection, which debug builds refuse).
    pub async fn pipeline<F: Future>(&self, work: F) -> Result<F::Output, DbError> {
        if self.shared().is_some() {
            // Inside another pipeline: its connection is shared already.
            return Ok(work.await);
        }
        let conn = match self.conn().await?.inner {
            ConnInner::PgPooled(c) => SharedConn::Postgres(Arc::new(c)),
            ConnInner::SqlitePooled(c) => SharedConn::Sqlite(Arc::new(std::sync::Mutex::new(c))),
            ConnInner::PgOwned(_) | ConnInner::SqliteOwned(_) => {
                unreachable!("a pool hands out pooled connections")
            }
        };
        let shared = Shared {
            url: self.url.clone(),
            conn,
        };
        Ok(SHARED.scope(shared, work).await)
    }

    /// The connection `pipeline` shares, when running inside it for this database.
    fn shared(&self) -> Option<SharedConn> {
        SHARED
            .try_with(|s| (s.url == self.url).then(|| s.conn.clone()))
            .ok()
            .flatten()
    }
}

/// A connection `Db::pipeline` shares, and the database it belongs to.
struct Shared {
    url: DatabaseUrl,
    conn: SharedConn,
}

#[derive(Clone)]
enum SharedConn {
    Postgres(Arc<deadpool_postgres::Object>),
    /// A SQLite connection may be used by one thread at a time; the lock is only ever taken
    /// for one synchronous statement.
    Sqlite(Arc<std::sync::Mutex<sqlite::Object>>),
}

tokio::task_local! {
    static SHARED: Shared;
}

tokio::task_local! {
    /// The statements sent so far by the task running under `count_statements`.
    static STATEMENTS: std::sync::atomic::AtomicU64;
}

/// Runs `work`, counting the SQL statements it sends through any connection or transaction
/// (the request log's `statements`, which a test keeps constant in a class's size).
pub async fn count_statements<F: Future>(work: F) -> (F::Output, u64) {
    STATEMENTS
        .scope(std::sync::atomic::AtomicU64::new(0), async {
            let out = work.await;
            let n = STATEMENTS.with(|n| n.load(std::sync::atomic::Ordering::Relaxed));
            (out, n)
        })
        .await
}

/// One more statement for `count_statements`, when it is counting.
fn counted() {
    let _ = STATEMENTS.try_with(|n| n.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
}

/// One connection, pooled or dedicated.
pub struct Conn {
    inner: ConnInner,
}

enum ConnInner {
    PgPooled(deadpool_postgres::Object),
    PgOwned(Client),
    SqlitePooled(sqlite::Object),
    SqliteOwned(Connection),
}

enum Raw<'a> {
    /// The client, and its statement cache when it is pooled.
    Pg(&'a mut Client, Option<Arc<StatementCache>>),
    Sqlite(&'a mut Connection),
}

impl Conn {
    fn raw(&mut self) -> Raw<'_> {
        match &mut self.inner {
            ConnInner::PgPooled(o) => {
                let cache = o.statement_cache.clone();
                Raw::Pg(o, Some(cache))
            }
            ConnInner::PgOwned(c) => Raw::Pg(c, None),
            ConnInner::SqlitePooled(o) => Raw::Sqlite(o),
            ConnInner::SqliteOwned(c) => Raw::Sqlite(c),
        }
    }

    /// Starts a transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE), so
    /// two writers never deadlock upgrading a read lock. Dropping it without `commit` rolls back.
    pub async fn transaction(&mut self) -> Result<Tx<'_>, DbError> {
        let mut cache = None;
        let inner = match self.raw() {
            Raw::Pg(c, pooled) => {
                cache = pooled;
                TxInner::Pg(
                    c.transaction()
                        .await
                        .map_err(|e| DbError::query("BEGIN", postgres::describe(&e), None))?,
                )
            }
            Raw::Sqlite(c) => {
                sqlite::batch_execute(c, "BEGIN IMMEDIATE")?;
                TxInner::Sqlite(SqliteTx {
                    conn: c,
                    open: true,
                })
            }
        };
        Ok(Tx { inner, cache })
    }
}

impl Executor for Conn {
    async fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        counted();
        match self.raw() {
            Raw::Pg(c, cache) => {
                let session = postgres::Session::Client(c);
                session.execute_with(cache.as_deref(), sql, params).await
            }
            Raw::Sqlite(c) => sqlite::execute(c, sql, params),
        }
    }

    async fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        counted();
        match self.raw() {
            Raw::Pg(c, cache) => {
                let session = postgres::Session::Client(c);
                session.query_with(cache.as_deref(), sql, params).await
            }
            Raw::Sqlite(c) => sqlite::query(c, sql, params),
        }
    }

    async fn batch_execute(&mut self, sql: &str) -> Result<(), DbError> {
        counted();
        match self.raw() {
            Raw::Pg(c, _) => postgres::Session::Client(c).batch_execute(sql).await,
            Raw::Sqlite(c) => sqlite::batch_execute(c, sql),
        }
    }
}

/// A transaction; dropped without `commit`, it rolls back.
pub struct Tx<'a> {
    inner: TxInner<'a>,
    /// The pooled connection's statement cache (none on SQLite and dedicated connections).
    cache: Option<Arc<StatementCache>>,
}

enum TxInner<'a> {
    Pg(tokio_postgres::Transaction<'a>),
    Sqlite(SqliteTx<'a>),
}

struct SqliteTx<'a> {
    conn: &'a mut Connection,
    open: bool,
}

impl Drop for SqliteTx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl Tx<'_> {
    pub async fn commit(self) -> Result<(), DbError> {
        match self.inner {
            TxInner::Pg(t) => t
                .commit()
                .await
                .map_err(|e| DbError::query("COMMIT", postgres::describe(&e), None)),
            TxInner::Sqlite(mut t) => {
                sqlite::batch_execute(t.conn, "COMMIT")?;
                t.open = false;
                Ok(())
            }
        }
    }

    pub async fn rollback(self) -> Result<(), DbError> {
        match self.inner {
            TxInner::Pg(t) => t
                .rollback()
                .await
                .map_err(|e| DbError::query("ROLLBACK", postgres::describe(&e), None)),
            TxInner::Sqlite(mut t) => {
                t.open = false;
                sqlite::batch_execute(t.conn, "ROLLBACK")
            }
        }
    }
}

impl Executor for Tx<'_> {
    async fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        counted();
        match &mut self.inner {
            TxInner::Pg(t) => {
                let session = postgres::Session::Tx(t);
                session
                    .execute_with(self.cache.as_deref(), sql, params)
                    .await
            }
            TxInner::Sqlite(t) => sqlite::execute(t.conn, sql, params),
        }
    }

    async fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        counted();
        match &mut self.inner {
            TxInner::Pg(t) => {
                let session = postgres::Session::Tx(t);
                session.query_with(self.cache.as_deref(), sql, params).await
            }
            TxInner::Sqlite(t) => sqlite::query(t.conn, sql, params),
        }
    }

    async fn batch_execute(&mut self, sql: &str) -> Result<(), DbError> {
        counted();
        match &mut self.inner {
            TxInner::Pg(t) => postgres::Session::Tx(t).batch_execute(sql).await,
            TxInner::Sqlite(t) => sqlite::batch_execute(t.conn, sql),
        }
    }
}
