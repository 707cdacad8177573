//! PostgreSQL engine: a deadpool connection pool over tokio-postgres with rustls TLS, the
//! conversions between `Value` and PostgreSQL's wire types, and the driver's network errors
//! told in words (`network_failure`: "bytes remaining on stream" is a server that hung up).

use std::{error::Error as StdError, sync::Arc, time::Duration};

use bytes::BytesMut;
use chrono::{DateTime, NaiveDateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, RecyclingMethod, StatementCache};
use tokio_postgres::{
    Client, Transaction,
    types::{IsNull, ToSql, Type, to_sql_checked},
};

use tokio_postgres_rustls::MakeRustlsConnect;

use super::{DatabaseUrl, DbError, Field, Fields, Limits, Row, Value, tls};

pub type Pool = deadpool_postgres::Pool;

/// The driver's configuration and the TLS connector for a URL.
fn config(url: &DatabaseUrl) -> Result<(tokio_postgres::Config, MakeRustlsConnect), DbError> {
    let (plain, verify) = tls::split_url(url.expose())?;
    let mut config: tokio_postgres::Config = plain
        .parse()
        .map_err(|e: tokio_postgres::Error| DbError::connect(url, e.to_string()))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("paideia");
    }
    Ok((config, tls::connector(&verify)?))
}

/// How long a new connection (TCP and the PostgreSQL handshake) may take: the URL's
/// `connect_timeout`, 10 s by default. tokio-postgres bounds only the TCP part itself.
fn connect_timeout(config: &tokio_postgres::Config) -> Duration {
    config
        .get_connect_timeout()
        .copied()
        .unwrap_or(Duration::from_secs(10))
}

pub fn pool(url: &DatabaseUrl, max_size: usize, limits: &Limits) -> Result<Pool, DbError> {
    let (mut config, tls) = config(url)?;
    let create_timeout = connect_timeout(&config);
    let timeouts = [
        ("statement_timeout", limits.statement_timeout),
        ("lock_timeout", limits.lock_timeout),
    ];
    let mut options = config.get_options().unwrap_or_default().to_string();
    for (name, timeout) in timeouts {
        if let Some(t) = timeout {
            options = format!("{options} -c {name}={}", t.as_millis())
                .trim()
                .to_string();
        }
    }
    if !options.is_empty() {
        config.options(options);
    }
    let manager = Manager::from_config(
        config,
        tls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(max_size)
        .wait_timeout(Some(limits.wait))
        .create_timeout(Some(create_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| DbError::connect(url, e.to_string()))
}

/// A pooled connection, waiting `wait` (or the pool's own wait) for a free one.
pub async fn get(
    pool: &Pool,
    url: &DatabaseUrl,
    wait: Option<Duration>,
) -> Result<deadpool_postgres::Object, DbError> {
    use deadpool::managed::{PoolError, TimeoutType};
    let mut timeouts = pool.timeouts();
    timeouts.wait = wait.or(timeouts.wait);
    pool.timeout_get(&timeouts).await.map_err(|e| match e {
        PoolError::Backend(e) => connect_error(url, &e),
        PoolError::Timeout(TimeoutType::Create) => no_answer(url),
        PoolError::Timeout(TimeoutType::Wait) => DbError::busy(timeouts.wait),
        other => DbError::connect(url, other.to_string()),
    })
}

/// A connection outside the pool, for work that must own its session (advisory locks).
pub async fn dedicated(url: &DatabaseUrl) -> Result<Client, DbError> {
    let (config, tls) = config(url)?;
    let connecting = tokio::time::timeout(connect_timeout(&config), config.connect(tls));
    let (client, connection) = connecting
        .await
        .map_err(|_| no_answer(url))?
        .map_err(|e| connect_error(url, &e))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!("dedicated PostgreSQL connection closed: {e}");
        }
    });
    Ok(client)
}

/// A failed connection attempt: in words when the network or the server's end is to blame,
/// else the server's own message (a wrong password, a missing database).
fn connect_error(url: &DatabaseUrl, e: &tokio_postgres::Error) -> DbError {
    match network_failure(e) {
        Some((what, hint)) => DbError::Unreachable {
            url: url.to_string(),
            what,
            hint,
        },
        None => DbError::connect(url, describe(e)),
    }
}

fn no_answer(url: &DatabaseUrl) -> DbError {
    DbError::Unreachable {
        url: url.to_string(),
        what: "the server did not answer within the connect timeout".into(),
        hint: TIMEOUT_HINT,
    }
}

const TIMEOUT_HINT: &str = "check that the host is reachable from here (firewall, VPN, security group) and that PostgreSQL is up; `connect_timeout=SECONDS` in the URL sets how long to wait (10 by default)";

/// What a driver error that is not the server's own answer means, and what to check. The
/// driver's words (`error communicating with the server: bytes remaining on stream`) name its
/// internals; these name what happened.
pub fn network_failure(e: &tokio_postgres::Error) -> Option<(String, &'static str)> {
    if e.as_db_error().is_some() {
        return None;
    }
    let top = e.to_string();
    if top.starts_with("error performing TLS handshake") {
        let cause = e.source().map(|s| s.to_string()).unwrap_or_default();
        return Some((
            format!("the TLS handshake failed: {cause}"),
            "check sslmode and the server's certificate (sslrootcert, the host name it is issued for); the server may not accept TLS on this port",
        ));
    }
    if top.starts_with("timeout waiting for server") {
        return Some(("the server did not answer in time".into(), TIMEOUT_HINT));
    }
    let mut cause = e.source();
    while let Some(error) = cause {
        if let Some(io) = error.downcast_ref::<std::io::Error>()
            && let Some(found) = io_failure(io)
        {
            return Some(found);
        }
        cause = error.source();
    }
    None
}

fn io_failure(e: &std::io::Error) -> Option<(String, &'static str)> {
    use std::io::ErrorKind as K;
    let closed = "check the server's log and that this host and port are PostgreSQL's (not another service, or a proxy in front of it); a server at max_connections or shutting down also hangs up";
    Some(match e.kind() {
        K::ConnectionRefused => (
            "the server refused the connection (nothing listens at that host and port)".into(),
            "check that PostgreSQL is running and that the URL's host and port are right (`pg_isready -h HOST -p PORT`)",
        ),
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => (
            "the connection was reset during the handshake".into(),
            closed,
        ),
        K::UnexpectedEof => (
            "the server closed the connection during the handshake".into(),
            closed,
        ),
        K::TimedOut => (
            "the server did not answer within the connect timeout".into(),
            TIMEOUT_HINT,
        ),
        K::HostUnreachable | K::NetworkUnreachable => (
            "the host is unreachable".into(),
            "check the network path to the database host (routes, firewall, VPN)",
        ),
        _ if e.to_string().contains("bytes remaining on stream") => (
            "the server closed the connection in the middle of a message".into(),
            closed,
        ),
        _ if is_lookup_failure(e) => (
            "the host name does not resolve".into(),
            "check the host name in the URL and this machine's DNS (`getent hosts HOST`)",
        ),
        _ => return None,
    })
}

fn is_lookup_failure(e: &std::io::Error) -> bool {
    let text = e.to_string();
    text.contains("failed to lookup address")
        || text.contains("Name or service not known")
        || text.contains("No address associated")
        || text.contains("nodename nor servname")
}

/// The most useful text of a tokio-postgres error: the server's message, detail and hint, or
/// what happened to the connection, never the connection parameters.
pub fn describe(e: &tokio_postgres::Error) -> String {
    if let Some((what, _)) = network_failure(e) {
        return what;
    }
    if let Some(db) = e.as_db_error() {
        let mut text = db.message().to_string();
        if let Some(detail) = db.detail() {
            text.push_str(&format!(" ({detail})"));
        }
        if let Some(hint) = db.hint() {
            text.push_str(&format!("; hint: {hint}"));
        }
        return text;
    }
    match e.source() {
        Some(source) => format!("{e}: {source}"),
        None => e.to_string(),
    }
}

/// The most statements one pooled connection keeps prepared (see `Session::prepared`).
const MAX_PREPARED: usize = 512;

/// Whether a statement may stay prepared across requests. Not one whose columns come from
/// `*`: a rolling upgrade's migration that adds a column changes its result, and PostgreSQL
/// then refuses the old plan ("cached plan must not change result type"), which inside a
/// transaction would fail the whole request.
fn cacheable(sql: &str) -> bool {
    !(sql.contains("SELECT *") || sql.contains(".*") || sql.contains("RETURNING *"))
}

/// Either a plain client or a transaction on one; both run the same statements.
pub enum Session<'a> {
    Client(&'a Client),
    Tx(&'a Transaction<'a>),
}

fn params(values: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

fn query_error(sql: &str, e: tokio_postgres::Error) -> DbError {
    DbError::query(sql, describe(&e), e.code().map(|c| c.code().to_string()))
}

impl Session<'_> {
    pub async fn execute(&self, sql: &str, values: &[Value]) -> Result<u64, DbError> {
        let p = params(values);
        let result = match self {
            Session::Client(c) => c.execute(sql, &p).await,
            Session::Tx(t) => t.execute(sql, &p).await,
        };
        result.map_err(|e| query_error(sql, e))
    }

    pub async fn query(&self, sql: &str, values: &[Value]) -> Result<Vec<Row>, DbError> {
        convert_rows(&self.query_raw(sql, values).await?)
    }

    async fn query_raw(
        &self,
        sql: &str,
        values: &[Value],
    ) -> Result<Vec<tokio_postgres::Row>, DbError> {
        let p = params(values);
        match self {
            Session::Client(c) => c.query(sql, &p).await,
            Session::Tx(t) => t.query(sql, &p).await,
        }
        .map_err(|e| query_error(sql, e))
    }

    /// `execute` through the connection's statement cache.
    async fn execute_cached(
        &self,
        cache: &StatementCache,
        sql: &str,
        values: &[Value],
    ) -> Result<u64, DbError> {
        let p = params(values);
        let mut retried = false;
        loop {
            let result = match self.prepared(cache, sql).await {
                Ok(statement) => self.client().execute(&statement, &p).await,
                Err(e) => Err(e),
            };
            match result {
                Err(e) if self.retry_stale(cache, sql, &e, &mut retried) => continue,
                other => return other.map_err(|e| query_error(sql, e)),
            }
        }
    }

    /// `query` through the connection's statement cache, its rows as PostgreSQL sent them.
    async fn query_cached(
        &self,
        cache: &StatementCache,
        sql: &str,
        values: &[Value],
    ) -> Result<Vec<tokio_postgres::Row>, DbError> {
        let p = params(values);
        let mut retried = false;
        loop {
            let result = match self.prepared(cache, sql).await {
                Ok(statement) => self.client().query(&statement, &p).await,
                Err(e) => Err(e),
            };
            match result {
                Err(e) if self.retry_stale(cache, sql, &e, &mut retried) => continue,
                other => return other.map_err(|e| query_error(sql, e)),
            }
        }
    }

    /// `execute`, through `cache` when there is one and the statement may be kept.
    pub async fn execute_with(
        &self,
        cache: Option<&StatementCache>,
        sql: &str,
        values: &[Value],
    ) -> Result<u64, DbError> {
        match cache {
            Some(cache) if cacheable(sql) => self.execute_cached(cache, sql, values).await,
            _ => self.execute(sql, values).await,
        }
    }

    /// `query`, through `cache` when there is one and the statement may be kept.
    pub async fn query_with(
        &self,
        cache: Option<&StatementCache>,
        sql: &str,
        values: &[Value],
    ) -> Result<Vec<Row>, DbError> {
        convert_rows(&self.query_raw_with(cache, sql, values).await?)
    }

    /// `query_with`, with each row handed to `f` as fields borrowed from PostgreSQL's row: no
    /// `Row`, and no copy of a text `f` does not keep.
    pub async fn query_map_with<T>(
        &self,
        cache: Option<&StatementCache>,
        sql: &str,
        values: &[Value],
        mut f: impl FnMut(&[Field<'_>]) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        let rows = self.query_raw_with(cache, sql, values).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let fields = (0..row.len())
                .map(|i| column_field(row, i))
                .collect::<Result<Fields<'_>, _>>()?;
            out.push(f(&fields)?);
        }
        Ok(out)
    }

    async fn query_raw_with(
        &self,
        cache: Option<&StatementCache>,
        sql: &str,
        values: &[Value],
    ) -> Result<Vec<tokio_postgres::Row>, DbError> {
        match cache {
            Some(cache) if cacheable(sql) => self.query_cached(cache, sql, values).await,
            _ => self.query_raw(sql, values).await,
        }
    }

    fn client(&self) -> &Client {
        match self {
            Session::Client(c) => c,
            Session::Tx(t) => t.client(),
        }
    }

    /// The statement prepared for `sql` on this connection, preparing it on first use. The
    /// cache is bounded by emptying it when full: statements written from data (an `IN` list
    /// of as many placeholders as values) would otherwise grow it with every new length.
    async fn prepared(
        &self,
        cache: &StatementCache,
        sql: &str,
    ) -> Result<tokio_postgres::Statement, tokio_postgres::Error> {
        if cache.size() >= MAX_PREPARED {
            cache.clear();
        }
        cache.prepare(self.client(), sql).await
    }

    /// After an error: drops a statement whose plan went stale (a rolling upgrade's migration
    /// added a column under a `SELECT *`: "cached plan must not change result type") and says
    /// whether to run it again, prepared anew. Only once, and never inside a transaction,
    /// which the error has already aborted.
    fn retry_stale(
        &self,
        cache: &StatementCache,
        sql: &str,
        e: &tokio_postgres::Error,
        retried: &mut bool,
    ) -> bool {
        if e.code() != Some(&tokio_postgres::error::SqlState::FEATURE_NOT_SUPPORTED) {
            return false;
        }
        cache.remove(sql, &[]);
        let again = !*retried && matches!(self, Session::Client(_));
        *retried = true;
        again
    }

    pub async fn batch_execute(&self, sql: &str) -> Result<(), DbError> {
        match self {
            Session::Client(c) => c.batch_execute(sql).await,
            Session::Tx(t) => t.batch_execute(sql).await,
        }
        .map_err(|e| query_error(sql, e))
    }
}

/// One row's values, converted to `Value`s.
pub fn row_values(row: &tokio_postgres::Row) -> Result<Vec<Value>, DbError> {
    (0..row.len()).map(|i| column_value(row, i)).collect()
}

fn convert_rows(rows: &[tokio_postgres::Row]) -> Result<Vec<Row>, DbError> {
    let Some(first) = rows.first() else {
        return Ok(Vec::new());
    };
    let columns: Arc<[String]> = first
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    rows.iter()
        .map(|row| Ok(Row::new(columns.clone(), row_values(row)?)))
        .collect()
}

fn column_value(row: &tokio_postgres::Row, i: usize) -> Result<Value, DbError> {
    // JSON is read as its text, which a borrowed field cannot hold without a copy.
    if matches!(*row.columns()[i].type_(), Type::JSON | Type::JSONB) {
        return row
            .try_get::<_, Option<serde_json::Value>>(i)
            .map(|v| v.map(|j| j.to_string()).into())
            .map_err(|e| decode_error(row, i, &e));
    }
    column_field(row, i).map(Field::to_value)
}

fn decode_error(row: &tokio_postgres::Row, i: usize, e: &tokio_postgres::Error) -> DbError {
    let column = &row.columns()[i];
    DbError::Decode(format!(
        "column `{}` ({}): {}",
        column.name(),
        column.type_(),
        describe(e)
    ))
}

/// Column `i` borrowed from the row: text and bytes without a copy. JSON, which `query` reads
/// as text, is refused here (it would need a copy): cast it to text in the query.
fn column_field(row: &tokio_postgres::Row, i: usize) -> Result<Field<'_>, DbError> {
    let field = match *row.columns()[i].type_() {
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map(|v| v.map(i64::from).map(Field::Int)),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map(|v| v.map(i64::from).map(Field::Int)),
        Type::INT8 => row.try_get::<_, Option<i64>>(i).map(|v| v.map(Field::Int)),
        Type::OID => row
            .try_get::<_, Option<u32>>(i)
            .map(|v| v.map(|o| Field::Int(o.into()))),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)
            .map(|v| v.map(|x| Field::Float(x.into()))),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)
            .map(|v| v.map(Field::Float)),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .map(|v| v.map(Field::Bool)),
        Type::BYTEA => row
            .try_get::<_, Option<&[u8]>>(i)
            .map(|v| v.map(Field::Bytes)),
        Type::TIMESTAMPTZ => row
            .try_get::<_, Option<DateTime<Utc>>>(i)
            .map(|v| v.map(Field::Time)),
        Type::TIMESTAMP => row
            .try_get::<_, Option<NaiveDateTime>>(i)
            .map(|v| v.map(|t| Field::Time(t.and_utc()))),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => row
            .try_get::<_, Option<&str>>(i)
            .map(|v| v.map(Field::Text)),
        ref other => {
            let read = match *other {
                Type::JSON | Type::JSONB => "only reads as owned text",
                _ => "does not read",
            };
            return Err(DbError::Decode(format!(
                "column `{}` has type {other}, which paideia {read}; cast it to text in the query",
                row.columns()[i].name()
            )));
        }
    };
    Ok(field
        .map_err(|e| decode_error(row, i, &e))?
        .unwrap_or(Field::Null))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Float(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(s) => match *ty {
                Type::JSON | Type::JSONB => {
                    serde_json::from_str::<serde_json::Value>(s)?.to_sql(ty, out)
                }
                _ => s.as_str().to_sql(ty, out),
            },
            Value::Bool(b) => b.to_sql(ty, out),
            Value::Bytes(b) => b.as_slice().to_sql(ty, out),
            Value::Time(t) => match *ty {
                Type::TIMESTAMP => t.naive_utc().to_sql(ty, out),
                _ => t.to_sql(ty, out),
            },
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}
