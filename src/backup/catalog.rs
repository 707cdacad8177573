//! What a database holds, read from its catalog: the tables with their columns' logical types,
//! and (on PostgreSQL) the constraints and indexes that a fast load drops first and builds
//! after the data, plus the identity sequences to move past the loaded ids.

use super::format::{Column, ColumnType, quote_ident};
use crate::db::{DbError, Engine, Executor};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableInfo {
    pub name: String,
    pub columns: Vec<Column>,
}

/// Every table of the current schema, by name, with its columns in order.
pub async fn tables(ex: &mut impl Executor, engine: Engine) -> Result<Vec<TableInfo>, DbError> {
    let (sql, to_type): (&str, fn(&str) -> ColumnType) = match engine {
        Engine::Postgres => (
            "SELECT c.table_name AS t, c.column_name AS c, c.data_type AS ty
               FROM information_schema.columns c
               JOIN information_schema.tables t USING (table_schema, table_name)
              WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              ORDER BY c.table_name, c.ordinal_position",
            ColumnType::from_postgres,
        ),
        Engine::Sqlite => (
            "SELECT m.name AS t, p.name AS c, p.type AS ty
               FROM sqlite_master m JOIN pragma_table_info(m.name) p
              WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
              ORDER BY m.name, p.cid",
            ColumnType::from_sqlite,
        ),
    };
    let mut out: Vec<TableInfo> = Vec::new();
    for row in ex.query(sql, &[]).await? {
        let table: String = row.get("t")?;
        let column = Column {
            name: row.get("c")?,
            ty: to_type(&row.get::<String>("ty")?),
        };
        match out.last_mut() {
            Some(last) if last.name == table => last.columns.push(column),
            _ => out.push(TableInfo {
                name: table,
                columns: vec![column],
            }),
        }
    }
    Ok(out)
}

/// Statements to drop secondary structures before a bulk load and to build them after.
#[derive(Clone, Debug, Default)]
pub struct LoadPlan {
    pub before: Vec<String>,
    /// After the data: the index builds (on PostgreSQL also those of primary and unique keys),
    /// each needing only its table, so any two may run at once.
    pub indexes: Vec<TableStep>,
    /// After the indexes, each brief: primary and unique keys taking their index, identity
    /// sequences moved past the loaded ids.
    pub keys: Vec<String>,
    /// PostgreSQL's foreign keys, added once every key is back.
    pub foreign: Vec<ForeignKey>,
}

/// One statement of `LoadPlan::indexes`, and its table.
#[derive(Clone, Debug)]
pub struct TableStep {
    pub table: String,
    pub sql: String,
}

#[derive(Clone, Debug)]
pub struct ForeignKey {
    /// The referencing table.
    pub table: String,
    pub name: String,
    /// `pg_get_constraintdef`: `FOREIGN KEY (…) REFERENCES …`.
    pub definition: String,
}

impl ForeignKey {
    pub fn add(&self) -> String {
        format!(
            "ALTER TABLE {} ADD CONSTRAINT {} {}",
            quote_ident(&self.table),
            quote_ident(&self.name),
            self.definition
        )
    }

    /// Adds the key without checking the rows already there: brief, and `validate` then
    /// checks them under locks that let other tables' checks run beside it.
    pub fn add_unchecked(&self) -> String {
        format!("{} NOT VALID", self.add())
    }

    pub fn validate(&self) -> String {
        format!(
            "ALTER TABLE {} VALIDATE CONSTRAINT {}",
            quote_ident(&self.table),
            quote_ident(&self.name)
        )
    }
}

/// PostgreSQL: foreign keys, then plain indexes, then primary and unique keys are dropped;
/// every index (the keys' too) is built again, the keys take theirs, the identity sequences
/// are reset, and the foreign keys come last. SQLite: explicit indexes are dropped and
/// rebuilt (foreign keys are deferred by the loader).
pub async fn load_plan(ex: &mut impl Executor, engine: Engine) -> Result<LoadPlan, DbError> {
    match engine {
        Engine::Postgres => postgres_load_plan(ex).await,
        Engine::Sqlite => {
            let rows = ex
                .query(
                    "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
                    &[],
                )
                .await?;
            let mut plan = LoadPlan::default();
            for row in rows {
                plan.before.push(format!(
                    "DROP INDEX {}",
                    quote_ident(&row.get::<String>("name")?)
                ));
                plan.indexes.push(TableStep {
                    table: row.get("tbl_name")?,
                    sql: row.get("sql")?,
                });
            }
            Ok(plan)
        }
    }
}

async fn postgres_load_plan(ex: &mut impl Executor) -> Result<LoadPlan, DbError> {
    // Names from pg_class, not regclass text: the steps are matched to the dump's tables.
    let constraints = ex
        .query(
            "SELECT r.relname AS tbl, c.conname, c.contype::text AS kind,
                    pg_get_constraintdef(c.oid) AS def,
                    coalesce(pg_get_indexdef(c.conindid), '') AS indexdef,
                    coalesce(ix.relname::text, '') AS index_name,
                    c.condeferrable AS deferrable, c.condeferred AS deferred
               FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
               LEFT JOIN pg_class ix ON ix.oid = c.conindid
              WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('f', 'p', 'u')
              ORDER BY r.relname, c.conname",
            &[],
        )
        .await?;
    let indexes = ex
        .query(
            "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
              WHERE i.schemaname = current_schema()
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                 WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
              ORDER BY i.indexname",
            &[],
        )
        .await?;
    let mut plan = LoadPlan::default();
    let mut dropped_keys = Vec::new();
    for row in &constraints {
        let (table, name, definition): (String, String, String) =
            (row.get("tbl")?, row.get("conname")?, row.get("def")?);
        let drop = format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            quote_ident(&table),
            quote_ident(&name)
        );
        if row.get::<String>("kind")? == "f" {
            plan.before.push(drop);
            plan.foreign.push(ForeignKey {
                table,
                name,
                definition,
            });
        } else {
            dropped_keys.push(drop);
            plan.keys.push(key_using_index(
                &table,
                &name,
                &row.get::<String>("index_name")?,
                &row.get::<String>("kind")?,
                (row.get("deferrable")?, row.get("deferred")?),
            ));
            plan.indexes.push(TableStep {
                table,
                sql: row.get("indexdef")?,
            });
        }
    }
    for row in &indexes {
        plan.before.push(format!(
            "DROP INDEX {}",
            quote_ident(&row.get::<String>("indexname")?)
        ));
    }
    plan.before.extend(dropped_keys);
    for row in &indexes {
        plan.indexes.push(TableStep {
            table: row.get("tablename")?,
            sql: row.get("indexdef")?,
        });
    }
    for (table, column) in identity_columns(ex).await? {
        plan.keys.push(sequence_reset(&table, &column));
    }
    Ok(plan)
}

/// A primary (`kind` "p") or unique key taking its rebuilt index. The index is built by
/// CREATE UNIQUE INDEX, which (unlike ADD CONSTRAINT) lets other indexes of the same table
/// be built at the same time; this step then only changes the catalog.
fn key_using_index(
    table: &str,
    name: &str,
    index: &str,
    kind: &str,
    (deferrable, deferred): (bool, bool),
) -> String {
    let key = if kind == "p" { "PRIMARY KEY" } else { "UNIQUE" };
    let mut sql = format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {key} USING INDEX {}",
        quote_ident(table),
        quote_ident(name),
        quote_ident(index)
    );
    if deferrable {
        sql.push_str(" DEFERRABLE");
    }
    if deferred {
        sql.push_str(" INITIALLY DEFERRED");
    }
    sql
}

/// Statements that move PostgreSQL's identity sequences past the highest id of their tables
/// (SQLite's AUTOINCREMENT counters follow inserted ids by themselves).
pub async fn sequence_resets(
    ex: &mut impl Executor,
    engine: Engine,
) -> Result<Vec<String>, DbError> {
    if engine == Engine::Sqlite {
        return Ok(Vec::new());
    }
    Ok(identity_columns(ex)
        .await?
        .iter()
        .map(|(table, column)| sequence_reset(table, column))
        .collect())
}

/// PostgreSQL's columns numbered by a sequence, as (table, column).
async fn identity_columns(ex: &mut impl Executor) -> Result<Vec<(String, String)>, DbError> {
    let rows = ex
        .query(
            "SELECT table_name, column_name FROM information_schema.columns
              WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')
              ORDER BY table_name",
            &[],
        )
        .await?;
    rows.iter()
        .map(|row| Ok((row.get("table_name")?, row.get("column_name")?)))
        .collect()
}

fn sequence_reset(table: &str, column: &str) -> String {
    format!(
        "SELECT setval(pg_get_serial_sequence('{t}', '{column}'), coalesce(max({c}), 1), max({c}) IS NOT NULL) FROM {t}",
        t = quote_ident(table),
        c = quote_ident(column),
    )
}

/// Statements that drop every table of the current schema (for `restore --clean`).
pub fn drop_tables(tables: &[TableInfo], engine: Engine) -> Vec<String> {
    tables
        .iter()
        .map(|t| match engine {
            Engine::Postgres => format!("DROP TABLE IF EXISTS {} CASCADE", quote_ident(&t.name)),
            Engine::Sqlite => format!("DROP TABLE IF EXISTS {}", quote_ident(&t.name)),
        })
        .collect()
}
