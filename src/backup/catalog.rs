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
    pub after: Vec<String>,
}

/// PostgreSQL: foreign keys, then plain indexes, then primary and unique keys are dropped;
/// they come back in the reverse order, followed by the identity sequences' reset. SQLite:
/// explicit indexes are dropped and rebuilt (foreign keys are deferred by the loader).
pub async fn load_plan(ex: &mut impl Executor, engine: Engine) -> Result<LoadPlan, DbError> {
    match engine {
        Engine::Postgres => postgres_load_plan(ex).await,
        Engine::Sqlite => {
            let rows = ex
                .query(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
                    &[],
                )
                .await?;
            let mut plan = LoadPlan::default();
            for row in rows {
                plan.before.push(format!(
                    "DROP INDEX {}",
                    quote_ident(&row.get::<String>("name")?)
                ));
                plan.after.push(row.get("sql")?);
            }
            Ok(plan)
        }
    }
}

async fn postgres_load_plan(ex: &mut impl Executor) -> Result<LoadPlan, DbError> {
    let constraints = ex
        .query(
            "SELECT conrelid::regclass::text AS tbl, conname, contype::text AS kind,
                    pg_get_constraintdef(oid) AS def
               FROM pg_constraint
              WHERE connamespace = current_schema()::regnamespace AND contype IN ('f', 'p', 'u')
              ORDER BY conrelid::regclass::text, conname",
            &[],
        )
        .await?;
    let indexes = ex
        .query(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i
              WHERE i.schemaname = current_schema()
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                 WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
              ORDER BY i.indexname",
            &[],
        )
        .await?;
    let mut keys = (Vec::new(), Vec::new());
    let mut foreign = (Vec::new(), Vec::new());
    for row in &constraints {
        let (table, name, def): (String, String, String) =
            (row.get("tbl")?, row.get("conname")?, row.get("def")?);
        let drop = format!("ALTER TABLE {table} DROP CONSTRAINT {}", quote_ident(&name));
        let add = format!(
            "ALTER TABLE {table} ADD CONSTRAINT {} {def}",
            quote_ident(&name)
        );
        let target = if row.get::<String>("kind")? == "f" {
            &mut foreign
        } else {
            &mut keys
        };
        target.0.push(drop);
        target.1.push(add);
    }
    let mut plan = LoadPlan::default();
    plan.before.extend(foreign.0);
    for row in &indexes {
        plan.before.push(format!(
            "DROP INDEX {}",
            quote_ident(&row.get::<String>("indexname")?)
        ));
    }
    plan.before.extend(keys.0);
    plan.after.extend(keys.1);
    for row in &indexes {
        plan.after.push(row.get("indexdef")?);
    }
    plan.after.extend(foreign.1);
    plan.after
        .extend(sequence_resets(ex, Engine::Postgres).await?);
    Ok(plan)
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
    let identities = ex
        .query(
            "SELECT table_name, column_name FROM information_schema.columns
              WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')
              ORDER BY table_name",
            &[],
        )
        .await?;
    identities
        .iter()
        .map(|row| {
            let (table, column): (String, String) = (row.get("table_name")?, row.get("column_name")?);
            Ok(format!(
                "SELECT setval(pg_get_serial_sequence('{t}', '{column}'), coalesce(max({c}), 1), max({c}) IS NOT NULL) FROM {t}",
                t = quote_ident(&table),
                c = quote_ident(&column),
            ))
        })
        .collect()
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
