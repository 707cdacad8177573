//! The dump file format (docs/dump-format.md): a magic line, a one-line JSON manifest, SQL,
//! per-table data blocks in PostgreSQL's COPY text format, and a trailer with BLAKE3 hashes
//! of every byte before it. The same layout serves both engines; only PostgreSQL dumps carry
//! the SQL that lets `psql` restore them by themselves (`script`). Also the bounds a reader
//! holds every line to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::db::Engine;

/// The version of this format; readers refuse newer ones. Format 3: the SQL of PostgreSQL
/// dumps is a pure function of the manifest (`script`).
pub const FORMAT_VERSION: u32 = 3;
/// The longest data row a dump may hold, in bytes before its newline. Everything paideia stores
/// in a row came through a request body of at most 1 MiB (forms, the API, upload forms' text
/// fields), which COPY escaping at most doubles; this leaves eight times that. The writer
/// refuses a longer row, so every dump it writes stays readable.
pub const MAX_ROW_LINE: usize = 16 << 20;
/// The longest other line: the manifest (a few KiB for paideia's schema; the writer refuses a
/// head above this), the SQL lines and the block and trailer lines.
pub const MAX_LINE: usize = 1 << 20;
/// The largest zstd window a reader accepts (2^23 = 8 MiB: what level 19, the highest
/// `dump --level`, uses); the decoder allocates what a frame asks for, up to this.
pub const MAX_ZSTD_WINDOW_LOG: u32 = 23;
pub const MAGIC_LINE: &str = "-- paideia dump";
pub const MANIFEST_PREFIX: &str = "-- manifest: ";
pub const DATA_PREFIX: &str = "-- data: ";
pub const TRAILER_PREFIX: &str = "-- trailer: ";
pub const END_OF_DATA: &str = "\\.";
/// Tables that hold paideia's own records (migrations, schema facts, the backup log), not the
/// site's data.
pub const BOOKKEEPING_TABLES: &[&str] =
    &["paideia_migrations", "paideia_schema_info", "backup_runs"];

/// The logical type of a column, the same on both engines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    Int,
    Float,
    Text,
    Bool,
    Bytes,
    Time,
}

impl ColumnType {
    /// From PostgreSQL's `information_schema.columns.data_type`.
    pub fn from_postgres(data_type: &str) -> Self {
        match data_type {
            "bigint" | "integer" | "smallint" => ColumnType::Int,
            "double precision" | "real" => ColumnType::Float,
            "boolean" => ColumnType::Bool,
            "bytea" => ColumnType::Bytes,
            t if t.starts_with("timestamp") => ColumnType::Time,
            _ => ColumnType::Text,
        }
    }

    /// From a SQLite declared column type (paideia's migrations declare BOOLEAN and DATETIME).
    pub fn from_sqlite(declared: &str) -> Self {
        let t = declared.to_ascii_uppercase();
        if t.contains("INT") {
            ColumnType::Int
        } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
            ColumnType::Float
        } else if t.contains("BOOL") {
            ColumnType::Bool
        } else if t.contains("DATE") || t.contains("TIME") {
            ColumnType::Time
        } else if t.contains("BLOB") {
            ColumnType::Bytes
        } else {
            ColumnType::Text
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableEntry {
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: u64,
    /// Order-independent hash of the rows' logical values (see `RowHasher`).
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationEntry {
    pub id: i64,
    pub name: String,
    pub checksum: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub paideia_version: String,
    pub engine: Engine,
    pub schema_version: i64,
    pub migrations: Vec<MigrationEntry>,
    pub created_at: DateTime<Utc>,
    pub tables: Vec<TableEntry>,
}

impl Manifest {
    pub fn table(&self, name: &str) -> Option<&TableEntry> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }

    /// Rows outside the bookkeeping tables: zero for a dump of a database with no data (or
    /// no schema), which `restore --clean` asks about.
    pub fn data_rows(&self) -> u64 {
        self.tables
            .iter()
            .filter(|t| !BOOKKEEPING_TABLES.contains(&t.name.as_str()))
            .map(|t| t.rows)
            .sum()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trailer {
    /// Format 1: BLAKE3 of every (uncompressed) byte before the trailer line. Format 2: of
    /// every byte after the head (the magic and manifest lines), which `head_blake3` covers.
    pub blake3: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_blake3: Option<String>,
    /// Uncompressed bytes before the trailer line.
    pub bytes: u64,
}

/// The head of a dump, `len` bytes: the magic line and the manifest line, the manifest
/// padded with spaces (JSON ignores them) to fill the space reserved for it.
pub fn render_head(manifest: &Manifest, len: usize) -> Vec<u8> {
    let json = serde_json::to_string(manifest).expect("a manifest serializes");
    let mut head = format!("{MAGIC_LINE}\n{MANIFEST_PREFIX}{json}").into_bytes();
    assert!(head.len() < len, "the manifest fits its reserved space");
    head.resize(len - 1, b' ');
    head.push(b'\n');
    head
}

/// The space the head of a dump of these tables needs whatever their row counts and hashes
/// turn out to be: written before the data, filled in after.
pub fn reserved_head_len(manifest: &Manifest, hash_len: usize) -> usize {
    let mut widest = manifest.clone();
    for table in &mut widest.tables {
        table.rows = u64::MAX;
        table.hash = "0".repeat(hash_len);
    }
    let json = serde_json::to_string(&widest).expect("a manifest serializes");
    MAGIC_LINE.len() + 1 + MANIFEST_PREFIX.len() + json.len() + 1
}

/// A double-quoted SQL identifier.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `COPY "t" ("a", "b") FROM stdin;` for a table's data block.
pub fn copy_from_stdin(table: &str, columns: &[Column]) -> String {
    let cols: Vec<String> = columns.iter().map(|c| quote_ident(&c.name)).collect();
    format!(
        "COPY {} ({}) FROM stdin;",
        quote_ident(table),
        cols.join(", ")
    )
}
