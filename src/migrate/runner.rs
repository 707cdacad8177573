//! Running migrations: the lock, one transaction per migration with its bookkeeping row and
//! compatibility record, and the read-only status and plan.

use std::time::{Duration, Instant};

use chrono::Utc;
use semver::Version;

use super::{
    AppliedMigration, Kind, MigrateError, Migration, MigrationSet, Status, compat,
    dialect::{Dialect, dialect},
    locks::{concurrent_index_name, written_statements},
};
use crate::db::{Conn, Db, DbError, Executor, Value};

const MIN_VERSION_KEY: &str = "min_binary_version";
const LAST_WRITER_KEY: &str = "last_migrated_by";

#[derive(Clone, Copy, Debug, Default)]
pub struct UpOptions {
    /// Also apply contract migrations (only `migrate up --contract`, after confirmation).
    pub contract: bool,
}

#[derive(Debug, Default, serde::Serialize)]
pub struct UpReport {
    /// Ids and names of the migrations this run applied, in order.
    pub applied: Vec<(i64, String)>,
    /// Contract migrations left pending (and everything after the first of them).
    pub held_back: Vec<(i64, String)>,
}

pub struct Migrator<'a> {
    db: &'a Db,
    set: &'a MigrationSet,
    binary: Version,
    lock_timeout: Duration,
}

impl<'a> Migrator<'a> {
    pub fn new(db: &'a Db, set: &'a MigrationSet, binary: Version) -> Self {
        Migrator {
            db,
            set,
            binary,
            lock_timeout: Duration::from_secs(120),
        }
    }

    /// The migrations embedded in this binary, as this binary's version.
    pub fn embedded(db: &'a Db) -> Self {
        Self::new(
            db,
            MigrationSet::embedded(db.engine()),
            crate::version::semver(),
        )
    }

    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    fn dialect(&self) -> Dialect {
        dialect(self.db.engine())
    }

    /// What is applied, pending, changed or unknown; changes nothing.
    pub async fn status(&self) -> Result<Status, MigrateError> {
        let mut conn = self.db.conn().await?;
        let (applied, min) = self.read(&mut conn).await?;
        Ok(Status::build(
            self.set,
            &applied,
            min.as_ref(),
            &self.binary,
        ))
    }

    /// Fails unless this binary may run against the database (checksums and compatibility).
    pub async fn verify(&self) -> Result<Status, MigrateError> {
        let mut conn = self.db.conn().await?;
        let (applied, min) = self.read(&mut conn).await?;
        let status = Status::build(self.set, &applied, min.as_ref(), &self.binary);
        status.check(self.set, &applied)?;
        Ok(status)
    }

    /// The migrations `up` would apply and those it would hold back; changes nothing.
    pub async fn plan(
        &self,
        options: UpOptions,
    ) -> Result<(Vec<&'a Migration>, Vec<&'a Migration>), MigrateError> {
        let status = self.verify().await?;
        Ok(split_at_contract(status.pending(self.set), options))
    }

    /// Applies pending migrations under the lock. Returns what ran and what was held back.
    pub async fn up(&self, options: UpOptions) -> Result<UpReport, MigrateError> {
        let mut conn = self.db.dedicated().await?;
        self.lock(&mut conn).await?;
        let result = self.up_locked(&mut conn, options).await;
        if let Some(unlock) = self.dialect().unlock {
            // Closing the dedicated connection releases the lock too; this is the polite way.
            let _ = conn.query(unlock, &[]).await;
        }
        result
    }

    async fn lock(&self, conn: &mut Conn) -> Result<(), MigrateError> {
        let Some(try_lock) = self.dialect().try_lock else {
            return Ok(());
        };
        let started = Instant::now();
        let mut announced = false;
        loop {
            if conn.query_one(try_lock, &[]).await?.get::<bool>("locked")? {
                return Ok(());
            }
            if started.elapsed() >= self.lock_timeout {
                return Err(MigrateError::LockTimeout {
                    seconds: self.lock_timeout.as_secs(),
                });
            }
            if !announced {
                tracing::info!(
                    "waiting for the migration lock held by another paideia process (up to {}s)",
                    self.lock_timeout.as_secs()
                );
                announced = true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn up_locked(
        &self,
        conn: &mut Conn,
        options: UpOptions,
    ) -> Result<UpReport, MigrateError> {
        conn.batch_execute(self.dialect().bookkeeping).await?;
        let (applied, min) = self.read(conn).await?;
        let status = Status::build(self.set, &applied, min.as_ref(), &self.binary);
        status.check(self.set, &applied)?;
        let (to_apply, held_back) = split_at_contract(status.pending(self.set), options);
        let mut report = UpReport {
            held_back: held_back.iter().map(|m| (m.id, m.name.clone())).collect(),
            ..UpReport::default()
        };
        for migration in to_apply {
            if self.apply(conn, migration).await? {
                report.applied.push((migration.id, migration.name.clone()));
            }
        }
        if let Some((id, name)) = report.held_back.first() {
            tracing::warn!(
                "contract migration {id} ({name}) is pending; it runs only with `paideia migrate up --contract`"
            );
        }
        Ok(report)
    }

    /// Applies one migration with its bookkeeping row and record in one transaction. Returns
    /// false when another process applied it first.
    async fn apply(&self, conn: &mut Conn, m: &Migration) -> Result<bool, MigrateError> {
        let started = Instant::now();
        let failed = |source: DbError| MigrateError::Failed {
            id: m.id,
            name: m.name.clone(),
            source,
        };
        if !m.transactional {
            if self.is_applied(conn, m.id).await? {
                return Ok(false);
            }
            // One statement at a time: PostgreSQL runs the statements of one query string in
            // one implicit transaction, where CONCURRENTLY is refused.
            for statement in written_statements(&m.sql) {
                self.drop_invalid_index(conn, m, &statement)
                    .await
                    .map_err(failed)?;
                conn.batch_execute(&statement).await.map_err(failed)?;
            }
        }
        let mut tx = conn.transaction().await?;
        if m.transactional {
            if self.is_applied(&mut tx, m.id).await? {
                return Ok(false);
            }
            if let Some(limit) = self.dialect().limit_lock_waits {
                tx.batch_execute(limit).await?;
            }
            tx.batch_execute(&m.sql).await.map_err(failed)?;
        }
        self.record(&mut tx, m, started.elapsed())
            .await
            .map_err(failed)?;
        tx.commit().await.map_err(failed)?;
        tracing::info!(
            "applied migration {} ({}, {}) in {} ms",
            m.id,
            m.name,
            m.kind.as_str(),
            started.elapsed().as_millis()
        );
        Ok(true)
    }

    /// Drops the invalid index a failed or killed concurrent build of `statement`'s index left
    /// behind, so that the build runs again instead of `IF NOT EXISTS` skipping it (the policy
    /// allows only such builds in a migration without a transaction).
    async fn drop_invalid_index(
        &self,
        conn: &mut Conn,
        m: &Migration,
        statement: &str,
    ) -> Result<(), DbError> {
        let (Some(validity), Some(index)) = (
            self.dialect().index_validity,
            concurrent_index_name(statement),
        ) else {
            return Ok(());
        };
        let row = conn.query_opt(validity, &[index.into()]).await?;
        if row.map(|r| r.get::<bool>("valid")).transpose()? == Some(false) {
            tracing::warn!(
                "migration {} ({}): index {index} was left invalid by an earlier build that did not finish; dropping it to build it again",
                m.id,
                m.name
            );
            conn.batch_execute(&format!("DROP INDEX CONCURRENTLY IF EXISTS {index}"))
                .await?;
        }
        Ok(())
    }

    async fn is_applied(&self, ex: &mut impl Executor, id: i64) -> Result<bool, DbError> {
        Ok(ex
            .query_opt(
                "SELECT id FROM paideia_migrations WHERE id = $1",
                &[id.into()],
            )
            .await?
            .is_some())
    }

    async fn record(
        &self,
        tx: &mut impl Executor,
        m: &Migration,
        took: Duration,
    ) -> Result<(), DbError> {
        tx.execute(
            "INSERT INTO paideia_migrations (id, name, kind, checksum, applied_at, applied_by, duration_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                m.id.into(),
                m.name.as_str().into(),
                m.kind.as_str().into(),
                m.checksum.as_str().into(),
                Utc::now().into(),
                self.binary.to_string().into(),
                (took.as_millis() as i64).into(),
            ],
        )
        .await?;
        let current = read_min_version(tx).await?;
        let next =
            compat::next_min_version(current.as_ref(), &self.binary, m.kind == Kind::Contract);
        for (key, value) in [
            (MIN_VERSION_KEY, next.to_string()),
            (LAST_WRITER_KEY, self.binary.to_string()),
        ] {
            tx.execute(
                "INSERT INTO paideia_schema_info (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[key.into(), value.into()],
            )
            .await?;
        }
        Ok(())
    }

    /// The applied migrations and the compatibility record; empty on a new database.
    async fn read(
        &self,
        conn: &mut Conn,
    ) -> Result<(Vec<AppliedMigration>, Option<Version>), DbError> {
        let present = conn
            .query_one(self.dialect().bookkeeping_exists, &[])
            .await?
            .get::<bool>("present")?;
        if !present {
            return Ok((Vec::new(), None));
        }
        let applied = conn
            .query(
                "SELECT id, name, kind, checksum, applied_at, applied_by FROM paideia_migrations ORDER BY id",
                &[],
            )
            .await?
            .iter()
            .map(AppliedMigration::from_row)
            .collect::<Result<_, _>>()?;
        Ok((applied, read_min_version(conn).await?))
    }
}

async fn read_min_version(ex: &mut impl Executor) -> Result<Option<Version>, DbError> {
    let row = ex
        .query_opt(
            "SELECT value FROM paideia_schema_info WHERE key = $1",
            &[Value::from(MIN_VERSION_KEY)],
        )
        .await?;
    match row {
        None => Ok(None),
        Some(row) => {
            let text: String = row.get("value")?;
            Version::parse(&text)
                .map(Some)
                .map_err(|e| DbError::Decode(format!("{MIN_VERSION_KEY} `{text}`: {e}")))
        }
    }
}

/// Pending migrations up to the first contract one, unless contract migrations are allowed.
fn split_at_contract(
    pending: Vec<&Migration>,
    options: UpOptions,
) -> (Vec<&Migration>, Vec<&Migration>) {
    let cut = if options.contract {
        pending.len()
    } else {
        pending
            .iter()
            .position(|m| m.kind == Kind::Contract)
            .unwrap_or(pending.len())
    };
    let mut to_apply = pending;
    let held_back = to_apply.split_off(cut);
    (to_apply, held_back)
}
