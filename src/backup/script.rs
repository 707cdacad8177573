//! The SQL a PostgreSQL dump carries around its data blocks, so that `psql -f` restores it by
//! itself: a pure function of the manifest's migrations, never of the live database, so the
//! reader regenerates it and refuses a dump holding any other byte (docs/dump-format.md).
//! SQLite dumps carry no SQL.

use super::format::Manifest;
use crate::{
    db::Engine,
    migrate::{MigrationSet, bookkeeping_ddl},
};

/// The first format whose SQL is a pure function of the manifest (formats 1 and 2 wrote the
/// load plan read from the dumped database's catalog, which no reader can regenerate).
pub const EXACT_SQL_FORMAT: u32 = 3;

/// Session settings, one transaction, the bookkeeping tables and every applied migration,
/// then the load plan: computed by the script itself from the catalog of the schema it just
/// built (keys, indexes and foreign keys to drop now and build after the data), kept in a
/// temporary table that the commit drops.
pub fn preamble(manifest: &Manifest) -> String {
    let mut sql = String::from(
        "--\n-- Restore with `paideia restore FILE`. `psql -v ON_ERROR_STOP=1 -f FILE` also restores it into an\n\
         -- empty database, but only run a file through psql after `paideia verify-backup FILE` passed:\n\
         -- psql runs whatever SQL the file holds (decompress a .zst file first: zstd -dc FILE | psql ...).\n--\n\
         SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\
         SET check_function_bodies = false;\nSET client_min_messages = warning;\nSET TimeZone = 'UTC';\nBEGIN;\n",
    );
    sql.push_str(bookkeeping_ddl(Engine::Postgres));
    sql.push('\n');
    let set = MigrationSet::embedded(Engine::Postgres);
    for entry in &manifest.migrations {
        if let Some(m) = set.get(entry.id) {
            sql.push_str(&format!(
                "-- migration {:04}_{}\n{}\n",
                m.id,
                m.name,
                m.sql_for_empty_database().trim_end()
            ));
        }
    }
    sql.push_str(LOAD_PLAN);
    sql
}

/// Keys, indexes and foreign keys rebuilt, identity sequences moved past the loaded ids, and
/// the commit.
pub fn tail() -> &'static str {
    REBUILD
}

/// The statements `catalog::load_plan` runs for `paideia restore`, computed in SQL: foreign
/// keys (phase 1), plain indexes (2), primary and unique keys (3) are dropped in that order
/// and built in the reverse one.
const LOAD_PLAN: &str = r#"CREATE TEMPORARY TABLE paideia_load_plan ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY phase, tbl, name) AS step, drop_sql, add_sql FROM (
  SELECT CASE c.contype WHEN 'f' THEN 1 ELSE 3 END AS phase, c.conrelid::regclass::text AS tbl,
         c.conname::text AS name,
         format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_sql,
         format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                pg_get_constraintdef(c.oid)) AS add_sql
    FROM pg_constraint c
   WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('f', 'p', 'u')
  UNION ALL
  SELECT 2, i.tablename::text, i.indexname::text, format('DROP INDEX %I', i.indexname), i.indexdef
    FROM pg_indexes i
   WHERE i.schemaname = current_schema()
     AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                      WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
) AS plan;
DO $$DECLARE s text; BEGIN FOR s IN SELECT drop_sql FROM paideia_load_plan ORDER BY step LOOP EXECUTE s; END LOOP; END$$;
"#;

const REBUILD: &str = r#"DO $$DECLARE s text; BEGIN FOR s IN SELECT add_sql FROM paideia_load_plan ORDER BY step DESC LOOP EXECUTE s; END LOOP; END$$;
DO $$DECLARE r record; BEGIN
  FOR r IN SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns
            WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')
  LOOP
    EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), coalesce(max(%I), 1), max(%I) IS NOT NULL) FROM %I',
                   quote_ident(r.t), r.c, r.c, r.c, r.t);
  END LOOP;
END$$;
COMMIT;
"#;

/// What a reader expects around the data blocks of a dump.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// SQLite: nothing but data blocks.
    Nothing,
    /// PostgreSQL, format 3 and later: exactly this SQL before and after the blocks.
    Exact {
        preamble: String,
        tail: &'static str,
    },
    /// PostgreSQL formats 1 and 2: SQL the reader cannot regenerate (`paideia restore` skips
    /// it; `verify-backup` cannot vouch for it).
    Unchecked,
}

impl Expected {
    pub fn for_manifest(manifest: &Manifest) -> Expected {
        match manifest.engine {
            Engine::Sqlite => Expected::Nothing,
            Engine::Postgres if manifest.format < EXACT_SQL_FORMAT => Expected::Unchecked,
            Engine::Postgres => Expected::Exact {
                preamble: preamble(manifest),
                tail: tail(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_depends_only_on_the_migrations() {
        let set = MigrationSet::embedded(Engine::Postgres);
        let manifest = |migrations: usize| Manifest {
            format: 3,
            paideia_version: "0.1.0".into(),
            engine: Engine::Postgres,
            schema_version: 1,
            migrations: (1..=migrations as i64)
                .filter_map(|id| set.get(id))
                .map(|m| super::super::format::MigrationEntry {
                    id: m.id,
                    name: m.name.clone(),
                    checksum: m.checksum.clone(),
                })
                .collect(),
            created_at: chrono::Utc::now(),
            tables: Vec::new(),
        };
        let (one, all) = (preamble(&manifest(1)), preamble(&manifest(99)));
        assert_eq!(one, preamble(&manifest(1)));
        assert!(one.contains("-- migration 0001_") && !one.contains("-- migration 0002_"));
        assert!(all.ends_with(LOAD_PLAN) && all.starts_with("--\n"));
        assert!(tail().ends_with("COMMIT;\n"));
        assert_eq!(
            Expected::for_manifest(&Manifest {
                format: 2,
                ..manifest(1)
            }),
            Expected::Unchecked
        );
    }
}
