//! Bulk work for dumps and restores: read-only snapshot transactions (shared between
//! PostgreSQL connections by an exported snapshot), rows streamed one at a time, and
//! PostgreSQL's COPY in both directions.

use bytes::Bytes;
use futures_util::StreamExt;
use tokio_postgres::{CopyInSink, CopyOutStream, IsolationLevel};

use super::{Conn, DbError, Field, Fields, Raw, SqliteTx, Tx, TxInner, Value, postgres, sqlite};

impl Conn {
    /// A read-only transaction that sees one consistent state of the database: REPEATABLE
    /// READ on PostgreSQL (importing `snapshot` when given, so several connections see the
    /// same state), a read transaction on SQLite.
    pub async fn read_transaction(&mut self, snapshot: Option<&str>) -> Result<Tx<'_>, DbError> {
        let inner = match self.raw() {
            Raw::Pg(c, _) => {
                let tx = c
                    .build_transaction()
                    .isolation_level(IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()
                    .await
                    .map_err(|e| DbError::query("BEGIN", postgres::describe(&e), None))?;
                let mut setup = String::new();
                if let Some(id) = snapshot {
                    setup.push_str(&format!(
                        "SET TRANSACTION SNAPSHOT '{}';",
                        id.replace('\'', "")
                    ));
                }
                setup.push_str("SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO'; SET LOCAL extra_float_digits = 3;");
                postgres::Session::Tx(&tx).batch_execute(&setup).await?;
                TxInner::Pg(tx)
            }
            Raw::Sqlite(c) => {
                sqlite::batch_execute(c, "BEGIN")?;
                TxInner::Sqlite(SqliteTx {
                    conn: c,
                    open: true,
                })
            }
        };
        Ok(Tx { inner, cache: None })
    }
}

impl Tx<'_> {
    /// PostgreSQL: the id other connections pass to `read_transaction` to share this
    /// snapshot. SQLite has no such thing and answers `None`.
    pub async fn export_snapshot(&mut self) -> Result<Option<String>, DbError> {
        match &self.inner {
            TxInner::Pg(t) => {
                let rows = postgres::Session::Tx(t)
                    .query("SELECT pg_export_snapshot() AS id", &[])
                    .await?;
                Ok(Some(rows[0].get("id")?))
            }
            TxInner::Sqlite(_) => Ok(None),
        }
    }

    /// Calls `f` with each row's fields without collecting the result; returns the row count.
    pub async fn for_each_row<F>(&mut self, sql: &str, mut f: F) -> Result<u64, DbError>
    where
        F: FnMut(&[Field<'_>]) -> Result<(), String> + Send,
    {
        let mut count = 0;
        match &mut self.inner {
            TxInner::Pg(t) => {
                let stream = t
                    .query_raw(sql, std::iter::empty::<Value>())
                    .await
                    .map_err(|e| DbError::query(sql, postgres::describe(&e), None))?;
                futures_util::pin_mut!(stream);
                while let Some(row) = stream.next().await {
                    let row = row.map_err(|e| DbError::query(sql, postgres::describe(&e), None))?;
                    let values = postgres::row_values(&row)?;
                    f(&values.iter().map(Value::as_field).collect::<Fields<'_>>())
                        .map_err(DbError::Decode)?;
                    count += 1;
                }
            }
            TxInner::Sqlite(t) => count = sqlite::for_each_row(t.conn, sql, &mut f)?,
        }
        Ok(count)
    }

    /// PostgreSQL only: `COPY … TO STDOUT` as a stream of chunks.
    pub async fn copy_out(&mut self, sql: &str) -> Result<CopyOutStream, DbError> {
        match &self.inner {
            TxInner::Pg(t) => t
                .copy_out(sql)
                .await
                .map_err(|e| DbError::query(sql, postgres::describe(&e), None)),
            TxInner::Sqlite(_) => Err(DbError::Unsupported("COPY on SQLite")),
        }
    }

    /// PostgreSQL only: `COPY … FROM STDIN`; send chunks of COPY text, then `finish`.
    pub async fn copy_in(&mut self, sql: &str) -> Result<CopyInSink<Bytes>, DbError> {
        match &self.inner {
            TxInner::Pg(t) => t
                .copy_in(sql)
                .await
                .map_err(|e| DbError::query(sql, postgres::describe(&e), None)),
            TxInner::Sqlite(_) => Err(DbError::Unsupported("COPY on SQLite")),
        }
    }
}
