//! PostgreSQL engine: a deadpool connection pool over tokio-postgres with rustls TLS, and the
//! conversions between `Value` and PostgreSQL's wire types.

use std::{error::Error as StdError, sync::Arc, time::Duration};

use bytes::BytesMut;
use chrono::{DateTime, NaiveDateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, RecyclingMethod};
use tokio_postgres::{
    Client, Transaction,
    types::{IsNull, ToSql, Type, to_sql_checked},
};

use tokio_postgres_rustls::MakeRustlsConnect;

use super::{DatabaseUrl, DbError, Limits, Row, Value, tls};

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

pub fn pool(url: &DatabaseUrl, max_size: usize, limits: &Limits) -> Result<Pool, DbError> {
    let (mut config, tls) = config(url)?;
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
        .create_timeout(Some(Duration::from_secs(10)))
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
    let mut timeouts = pool.timeouts();
    timeouts.wait = wait.or(timeouts.wait);
    pool.timeout_get(&timeouts).await.map_err(|e| match e {
        deadpool::managed::PoolError::Backend(e) => DbError::connect(url, describe(&e)),
        deadpool::managed::PoolError::Timeout(deadpool::managed::TimeoutType::Wait) => {
            DbError::busy(timeouts.wait)
        }
        other => DbError::connect(url, other.to_string()),
    })
}

/// A connection outside the pool, for work that must own its session (advisory locks).
pub async fn dedicated(url: &DatabaseUrl) -> Result<Client, DbError> {
    let (config, tls) = config(url)?;
    let (client, connection) = config
        .connect(tls)
        .await
        .map_err(|e| DbError::connect(url, describe(&e)))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!("dedicated PostgreSQL connection closed: {e}");
        }
    });
    Ok(client)
}

/// The most useful text of a tokio-postgres error: the server's message, detail and hint, or
/// the I/O cause, never the connection parameters.
pub fn describe(e: &tokio_postgres::Error) -> String {
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
        let p = params(values);
        let rows = match self {
            Session::Client(c) => c.query(sql, &p).await,
            Session::Tx(t) => t.query(sql, &p).await,
        }
        .map_err(|e| query_error(sql, e))?;
        convert_rows(&rows)
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
    let ty = row.columns()[i].type_().clone();
    let decode = |e: tokio_postgres::Error| {
        DbError::Decode(format!(
            "column `{}` ({ty}): {}",
            row.columns()[i].name(),
            describe(&e)
        ))
    };
    let value = match ty {
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map(|v| v.map(i64::from).into()),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map(|v| v.map(i64::from).into()),
        Type::INT8 => row.try_get::<_, Option<i64>>(i).map(Into::into),
        Type::OID => row.try_get::<_, Option<u32>>(i).map(Into::into),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)
            .map(|v| v.map(f64::from).into()),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i).map(Into::into),
        Type::BOOL => row.try_get::<_, Option<bool>>(i).map(Into::into),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i).map(Into::into),
        Type::TIMESTAMPTZ => row.try_get::<_, Option<DateTime<Utc>>>(i).map(Into::into),
        Type::TIMESTAMP => row
            .try_get::<_, Option<NaiveDateTime>>(i)
            .map(|v| v.map(|t| t.and_utc()).into()),
        Type::JSON | Type::JSONB => row
            .try_get::<_, Option<serde_json::Value>>(i)
            .map(|v| v.map(|j| j.to_string()).into()),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
            row.try_get::<_, Option<String>>(i).map(Into::into)
        }
        other => {
            return Err(DbError::Decode(format!(
                "column `{}` has type {other}, which paideia does not read; cast it to text in the query",
                row.columns()[i].name()
            )));
        }
    };
    value.map_err(decode)
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
