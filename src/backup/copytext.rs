//! PostgreSQL's COPY text format, which carries every table's data in a dump on both engines:
//! encoding values, parsing lines back into typed values, and the order-independent row hash
//! that the manifest records and verification recomputes.

use chrono::{DateTime, Utc};
use xxhash_rust::xxh3::Xxh3Default;

use super::{
    error::excerpt,
    format::{Column, ColumnType},
    timetext,
};
use crate::db::{Field, Value, time_to_text};

/// Appends one value in COPY text form (PostgreSQL accepts all of these on input).
fn encode(out: &mut Vec<u8>, field: Field<'_>) {
    match field {
        Field::Null => out.extend_from_slice(b"\\N"),
        Field::Int(i) => out.extend_from_slice(itoa::Buffer::new().format(i).as_bytes()),
        Field::Float(f) => out.extend_from_slice(float_text(f).as_bytes()),
        Field::Text(s) => escape(out, s.as_bytes()),
        Field::Bool(b) => out.push(if b { b't' } else { b'f' }),
        Field::Bytes(b) => {
            out.extend_from_slice(b"\\\\x");
            out.extend_from_slice(hex::encode(b).as_bytes());
        }
        Field::Time(t) => out.extend_from_slice(time_to_text(&t).as_bytes()),
    }
}

/// Appends a row of values in COPY text form, each written as its own type, and a newline.
pub fn encode_row(out: &mut Vec<u8>, values: &[Value]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        encode(out, v.as_field());
    }
    out.push(b'\n');
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else if f != 0.0 && (f.abs() >= 1e16 || f.abs() < 1e-5) {
        format!("{f:e}")
    } else {
        format!("{f}")
    }
}

fn escape(out: &mut Vec<u8>, bytes: &[u8]) {
    // Most text has nothing to escape, or only a few newlines: copy the runs between the
    // special bytes, found with memchr, instead of pushing byte by byte.
    if memchr::memchr(b'\r', bytes).is_some() {
        return bytes.iter().for_each(|&b| escape_byte(out, b));
    }
    let mut start = 0;
    for at in memchr::memchr3_iter(b'\\', b'\t', b'\n', bytes) {
        out.extend_from_slice(&bytes[start..at]);
        escape_byte(out, bytes[at]);
        start = at + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

fn escape_byte(out: &mut Vec<u8>, b: u8) {
    match b {
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\t' => out.extend_from_slice(b"\\t"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        _ => out.push(b),
    }
}

fn unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    unescape_into(&mut out, field);
    out
}

/// Appends `field` with its COPY escapes undone. The runs between backslashes (found with
/// memchr) are copied whole: long texts are mostly runs, a few newlines apart.
fn unescape_into(out: &mut Vec<u8>, field: &[u8]) {
    out.reserve(field.len());
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\\', &field[i..]).map(|n| i + n) {
        out.extend_from_slice(&field[i..at]);
        i = unescape_one(out, field, at);
    }
    out.extend_from_slice(&field[i..]);
}

/// Appends what the escape at `field[at]` (a backslash) stands for; returns the index after
/// it. A backslash that ends the field stands for itself.
fn unescape_one(out: &mut Vec<u8>, field: &[u8], at: usize) -> usize {
    let Some(&c) = field.get(at + 1) else {
        out.push(b'\\');
        return at + 1;
    };
    let mut i = at + 2;
    match c {
        b'b' => out.push(8),
        b'f' => out.push(12),
        b'n' => out.push(b'\n'),
        b'r' => out.push(b'\r'),
        b't' => out.push(b'\t'),
        b'v' => out.push(11),
        b'0'..=b'7' => {
            let mut v = u32::from(c - b'0');
            for _ in 0..2 {
                match field.get(i) {
                    Some(d @ b'0'..=b'7') => {
                        v = v * 8 + u32::from(d - b'0');
                        i += 1;
                    }
                    _ => break,
                }
            }
            out.push(v as u8);
        }
        b'x' if field.get(i).is_some_and(u8::is_ascii_hexdigit) => {
            let end = (i + 2).min(field.len());
            let digits = field[i..end]
                .iter()
                .take_while(|d| d.is_ascii_hexdigit())
                .count();
            let text = std::str::from_utf8(&field[i..i + digits]).unwrap_or("0");
            out.push(u8::from_str_radix(text, 16).unwrap_or(0));
            i += digits;
        }
        other => out.push(other),
    }
    i
}

/// Calls `on` for each complete, non-empty line of `data` (without its newline), starting
/// with the line begun in `carry` by earlier data; what follows the last newline is left in
/// `carry` for the next call.
pub fn for_each_line<E>(
    carry: &mut Vec<u8>,
    data: &[u8],
    mut on: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let mut start = 0;
    if !carry.is_empty() {
        let Some(end) = memchr::memchr(b'\n', data) else {
            carry.extend_from_slice(data);
            return Ok(());
        };
        carry.extend_from_slice(&data[..end]);
        on(carry)?;
        carry.clear();
        start = end + 1;
    }
    let base = start;
    for end in memchr::memchr_iter(b'\n', &data[base..]).map(|i| base + i) {
        let line = &data[start..end];
        if !line.is_empty() {
            on(line)?;
        }
        start = end + 1;
    }
    carry.extend_from_slice(&data[start..]);
    Ok(())
}

/// Parses one data line (without its newline) into values of the columns' types.
pub fn parse_row(line: &[u8], columns: &[Column]) -> Result<Vec<Value>, String> {
    let mut values = Vec::with_capacity(columns.len());
    let mut fields = line.split(|&b| b == b'\t');
    for column in columns {
        let field = fields.next().ok_or_else(|| {
            format!(
                "the row has fewer fields than the {} columns",
                columns.len()
            )
        })?;
        values.push(
            parse_field(field, column.ty).map_err(|e| format!("column {}: {e}", column.name))?,
        );
    }
    if fields.next().is_some() {
        return Err(format!(
            "the row has more fields than the {} columns",
            columns.len()
        ));
    }
    Ok(values)
}

fn parse_field(field: &[u8], ty: ColumnType) -> Result<Value, String> {
    if field == b"\\N" {
        return Ok(Value::Null);
    }
    let raw = if field.contains(&b'\\') {
        unescape(field)
    } else {
        field.to_vec()
    };
    let text = || String::from_utf8(raw.clone()).map_err(|_| "not UTF-8".to_string());
    Ok(match ty {
        ColumnType::Int => Value::Int(
            text()?
                .parse()
                .map_err(|_| format!("`{}` is not an integer", excerpt(&raw)))?,
        ),
        ColumnType::Float => Value::Float(parse_float(&text()?)?),
        ColumnType::Text => Value::Text(text()?),
        ColumnType::Bool => Value::Bool(parse_bool(&raw)?),
        ColumnType::Bytes => Value::Bytes(parse_bytes(&raw)?),
        ColumnType::Time => Value::Time(parse_time(&text()?)?),
    })
}

fn parse_bool(raw: &[u8]) -> Result<bool, String> {
    match raw {
        b"t" | b"true" | b"1" => Ok(true),
        b"f" | b"false" | b"0" => Ok(false),
        other => Err(format!("`{}` is not a boolean", excerpt(other))),
    }
}

/// `\x` followed by hex digits, as PostgreSQL writes bytea.
fn parse_bytes(raw: &[u8]) -> Result<Vec<u8>, String> {
    let hex_text = raw.strip_prefix(b"\\x").ok_or("bytes must be \\x hex")?;
    hex::decode(hex_text).map_err(|e| format!("bad hex: {e}"))
}

fn parse_float(s: &str) -> Result<f64, String> {
    match s {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => s
            .parse()
            .map_err(|_| format!("`{}` is not a number", excerpt(s.as_bytes()))),
    }
}

/// RFC 3339 (SQLite, paideia) or PostgreSQL's ISO output (`2026-11-25 10:00:00.5+00`).
pub fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    timetext::parse(s)
}

/// Brings a value read from a database to the column's logical type (SQLite stores booleans
/// as integers, times as text, and may hand back an integer from a REAL column).
pub fn normalize(value: Value, ty: ColumnType) -> Result<Value, String> {
    Ok(match (ty, value) {
        (_, Value::Null) => Value::Null,
        (ColumnType::Bool, Value::Int(i)) => Value::Bool(i != 0),
        (ColumnType::Float, Value::Int(i)) => Value::Float(i as f64),
        (ColumnType::Time, Value::Text(s)) => Value::Time(parse_time(&s)?),
        (ColumnType::Text, Value::Time(t)) => Value::Text(time_to_text(&t)),
        (_, v) => v,
    })
}

/// The hash each row's canonical encoding goes through: BLAKE3 (256 bits) in format 1 dumps,
/// XXH3-128 from format 2 on (the file's BLAKE3 trailer already guards every byte, and XXH3
/// is many times faster on rows of a few hundred bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowHash {
    Blake3,
    Xxh3,
}

impl RowHash {
    pub fn for_format(format: u32) -> RowHash {
        if format <= 1 {
            RowHash::Blake3
        } else {
            RowHash::Xxh3
        }
    }
}

/// An order-independent hash of a multiset of rows: the lane-wise wrapping sum of each row's
/// hash over a canonical, type-tagged encoding. The same rows give the same hash on either
/// engine, whatever order a database returns them in.
#[derive(Clone)]
pub struct RowHasher {
    kind: RowHash,
    lanes: [u64; 4],
    rows: u64,
    /// The current row's canonical encoding (or the part of it not yet streamed).
    buf: Vec<u8>,
    /// XXH3 rows with a long field: the row so far, hashed where the field lies instead of
    /// being copied into `buf` (XXH3 streamed gives exactly the one-shot hash).
    stream: Box<Xxh3Default>,
    streaming: bool,
    /// A field with escapes, undone (reused from field to field).
    unescaped: Vec<u8>,
}

/// Text and binary fields at least this long are streamed into the row hash, not copied.
const STREAM_FROM: usize = 512;

impl Default for RowHasher {
    /// The hasher of the dumps this binary writes.
    fn default() -> Self {
        RowHasher::new(RowHash::for_format(super::format::FORMAT_VERSION))
    }
}

impl RowHasher {
    pub fn new(kind: RowHash) -> RowHasher {
        RowHasher {
            kind,
            lanes: [0; 4],
            rows: 0,
            buf: Vec::new(),
            stream: Box::new(Xxh3Default::new()),
            streaming: false,
            unescaped: Vec::new(),
        }
    }

    /// The hasher for the tables of a dump in `format`.
    pub fn for_format(format: u32) -> RowHasher {
        RowHasher::new(RowHash::for_format(format))
    }

    /// Adds a database row, reading each value as its column's logical type (SQLite keeps
    /// booleans as integers and times as text) without copying the values.
    pub fn add_as(&mut self, fields: &[Field<'_>], columns: &[Column]) -> Result<(), String> {
        self.buf.clear();
        for (v, c) in fields.iter().zip(columns) {
            match (c.ty, *v) {
                (ColumnType::Bool, Field::Int(i)) => put_bool(&mut self.buf, i != 0),
                (ColumnType::Float, Field::Int(i)) => put_float(&mut self.buf, i as f64),
                (ColumnType::Time, Field::Text(s)) => match timetext::utc_micros(s.as_bytes()) {
                    Some(micros) => put_micros(&mut self.buf, micros),
                    None => put_time(&mut self.buf, &parse_time(s)?),
                },
                (ColumnType::Text, Field::Time(t)) => {
                    put_text(&mut self.buf, time_to_text(&t).as_bytes())
                }
                (_, Field::Text(s)) => self.put_long(TEXT, s.as_bytes()),
                (_, Field::Bytes(b)) => self.put_long(BYTES, b),
                (_, v) => canonical(&mut self.buf, v),
            }
        }
        self.finish_row();
        Ok(())
    }

    /// Adds one COPY text line (without its newline) straight from its bytes: the same hash
    /// as parsing it into values and calling `add`, without the allocations.
    pub fn add_copy_line(&mut self, line: &[u8], columns: &[Column]) -> Result<(), String> {
        let mut unescaped = std::mem::take(&mut self.unescaped);
        let added = self.add_copy_fields(line, columns, &mut unescaped);
        self.unescaped = unescaped;
        added
    }

    fn add_copy_fields(
        &mut self,
        line: &[u8],
        columns: &[Column],
        unescaped: &mut Vec<u8>,
    ) -> Result<(), String> {
        self.buf.clear();
        let mut fields = FieldSplit { rest: Some(line) };
        for column in columns {
            let field = fields.next().ok_or_else(|| {
                format!(
                    "the row has fewer fields than the {} columns",
                    columns.len()
                )
            })?;
            if field == b"\\N" {
                self.buf.push(0);
                continue;
            }
            let raw = if memchr::memchr(b'\\', field).is_some() {
                unescaped.clear();
                unescape_into(unescaped, field);
                &unescaped[..]
            } else {
                field
            };
            self.put_field(raw, column.ty)
                .map_err(|e| format!("column {}: {e}", column.name))?;
        }
        if fields.next().is_some() {
            return Err(format!(
                "the row has more fields than the {} columns",
                columns.len()
            ));
        }
        self.finish_row();
        Ok(())
    }

    /// The canonical encoding of one unescaped, non-NULL COPY field of type `ty`.
    fn put_field(&mut self, raw: &[u8], ty: ColumnType) -> Result<(), String> {
        let text = || std::str::from_utf8(raw).map_err(|_| "not UTF-8".to_string());
        let out = &mut self.buf;
        match ty {
            ColumnType::Int => put_int(
                out,
                text()?
                    .parse()
                    .map_err(|_| format!("`{}` is not an integer", excerpt(raw)))?,
            ),
            ColumnType::Float => put_float(out, parse_float(text()?)?),
            // Text is hashed as the bytes it is: the trailer's hash already guards the file,
            // and checking UTF-8 here cost a sixth of a dump's time.
            ColumnType::Text => self.put_long(TEXT, raw),
            ColumnType::Bool => put_bool(out, parse_bool(raw)?),
            ColumnType::Bytes => put_bytes(out, &parse_bytes(raw)?),
            ColumnType::Time => match timetext::utc_micros(raw) {
                Some(micros) => put_micros(out, micros),
                None => put_time(out, &parse_time(text()?)?),
            },
        }
        Ok(())
    }

    /// A text or binary field: copied into the row's buffer when short, streamed when long.
    fn put_long(&mut self, tag: u8, bytes: &[u8]) {
        if self.kind == RowHash::Blake3 || bytes.len() < STREAM_FROM {
            return put_with_len(&mut self.buf, tag, bytes);
        }
        self.buf.push(tag);
        self.buf
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        if !self.streaming {
            self.stream.reset();
            self.streaming = true;
        }
        self.stream.update(&self.buf);
        self.buf.clear();
        self.stream.update(bytes);
    }

    fn finish_row(&mut self) {
        match self.kind {
            RowHash::Blake3 => {
                let hash = blake3::hash(&self.buf);
                self.add_lanes(hash.as_bytes());
            }
            RowHash::Xxh3 if self.streaming => {
                self.stream.update(&self.buf);
                self.streaming = false;
                let hash = self.stream.digest128();
                self.add_lanes(&hash.to_le_bytes());
            }
            RowHash::Xxh3 => {
                let hash = xxhash_rust::xxh3::xxh3_128(&self.buf);
                self.add_lanes(&hash.to_le_bytes());
            }
        }
        self.rows += 1;
    }

    fn add_lanes(&mut self, hash: &[u8]) {
        for (lane, chunk) in self.lanes.iter_mut().zip(hash.chunks_exact(8)) {
            *lane = lane.wrapping_add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
    }

    /// Adds another hasher's rows (a table read in parts hashes as a whole).
    pub fn merge(&mut self, other: &RowHasher) {
        for (lane, theirs) in self.lanes.iter_mut().zip(other.lanes) {
            *lane = lane.wrapping_add(theirs);
        }
        self.rows += other.rows;
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    pub fn finish(&self) -> String {
        let used = match self.kind {
            RowHash::Blake3 => 4,
            RowHash::Xxh3 => 2,
        };
        self.lanes[..used]
            .iter()
            .map(|l| format!("{l:016x}"))
            .collect()
    }
}

/// The tab-separated fields of a COPY line, found with memchr.
struct FieldSplit<'a> {
    rest: Option<&'a [u8]>,
}

impl<'a> Iterator for FieldSplit<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest?;
        match memchr::memchr(b'\t', rest) {
            Some(i) => {
                self.rest = Some(&rest[i + 1..]);
                Some(&rest[..i])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

fn put_with_len(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    out.push(tag);
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn put_int(out: &mut Vec<u8>, i: i64) {
    out.push(1);
    out.extend_from_slice(&i.to_le_bytes());
}

fn put_float(out: &mut Vec<u8>, f: f64) {
    out.push(2);
    out.extend_from_slice(&f.to_bits().to_le_bytes());
}

const TEXT: u8 = 3;
const BYTES: u8 = 5;

fn put_text(out: &mut Vec<u8>, text: &[u8]) {
    put_with_len(out, TEXT, text);
}

fn put_bool(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(&[4, u8::from(b)]);
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_with_len(out, BYTES, bytes);
}

fn put_time(out: &mut Vec<u8>, t: &DateTime<Utc>) {
    put_micros(out, t.timestamp_micros());
}

fn put_micros(out: &mut Vec<u8>, micros: i64) {
    out.push(6);
    out.extend_from_slice(&micros.to_le_bytes());
}

fn canonical(out: &mut Vec<u8>, field: Field<'_>) {
    match field {
        Field::Null => out.push(0),
        Field::Int(i) => put_int(out, i),
        Field::Float(f) => put_float(out, f),
        Field::Text(s) => put_text(out, s.as_bytes()),
        Field::Bool(b) => put_bool(out, b),
        Field::Bytes(b) => put_bytes(out, b),
        Field::Time(t) => put_time(out, &t),
    }
}

/// Appends a database row in COPY text form, each value read as its column's logical type.
pub fn encode_row_as(
    out: &mut Vec<u8>,
    fields: &[Field<'_>],
    columns: &[Column],
) -> Result<(), String> {
    for (i, (v, c)) in fields.iter().zip(columns).enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match (c.ty, *v) {
            (ColumnType::Bool, Field::Int(i)) => out.push(if i != 0 { b't' } else { b'f' }),
            (ColumnType::Float, Field::Int(i)) => {
                out.extend_from_slice(float_text(i as f64).as_bytes())
            }
            (ColumnType::Time, Field::Text(s)) if timetext::is_canonical(s.as_bytes()) => {
                out.extend_from_slice(s.as_bytes())
            }
            (ColumnType::Time, Field::Text(s)) => {
                out.extend_from_slice(time_to_text(&parse_time(s)?).as_bytes())
            }
            (ColumnType::Text, Field::Time(t)) => escape(out, time_to_text(&t).as_bytes()),
            (_, v) => encode(out, v),
        }
    }
    out.push(b'\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(row: &[Value]) -> Vec<Field<'_>> {
        row.iter().map(Value::as_field).collect()
    }

    /// The hash of `row` after encoding it as a COPY line and reading that line back.
    fn hash_of_encoded(row: &[Value], columns: &[Column]) -> RowHasher {
        let mut line = Vec::new();
        encode_row_as(&mut line, &fields(row), columns).unwrap();
        let mut hasher = RowHasher::default();
        hasher
            .add_copy_line(&line[..line.len() - 1], columns)
            .unwrap();
        hasher
    }

    /// Adds `row` to `lanes` as its whole canonical encoding hashed in one shot.
    fn add_one_shot(lanes: &mut RowHasher, row: &[Value]) {
        let mut encoding = Vec::new();
        row.iter()
            .for_each(|v| canonical(&mut encoding, v.as_field()));
        lanes.add_lanes(&xxhash_rust::xxh3::xxh3_128(&encoding).to_le_bytes());
    }

    fn cols(types: &[ColumnType]) -> Vec<Column> {
        types
            .iter()
            .enumerate()
            .map(|(i, &ty)| Column {
                name: format!("c{i}"),
                ty,
            })
            .collect()
    }

    #[test]
    fn values_round_trip_through_copy_text() {
        let columns = cols(&[
            ColumnType::Int,
            ColumnType::Float,
            ColumnType::Text,
            ColumnType::Bool,
            ColumnType::Bytes,
            ColumnType::Time,
            ColumnType::Text,
            ColumnType::Float,
        ]);
        let row = vec![
            Value::Int(-42),
            Value::Float(0.1),
            Value::Text("tab\there\nnew \\ line, ünïcødé 🎓".into()),
            Value::Bool(true),
            Value::Bytes(vec![0, 255, 10, 92]),
            Value::Time(parse_time("2026-11-25T10:00:00.123456Z").unwrap()),
            Value::Null,
            Value::Float(1e-300),
        ];
        let mut line = Vec::new();
        encode_row_as(&mut line, &fields(&row), &columns).unwrap();
        assert_eq!(line.last(), Some(&b'\n'));
        assert_eq!(parse_row(&line[..line.len() - 1], &columns).unwrap(), row);
    }

    #[test]
    fn long_fields_are_streamed_into_the_same_hash() {
        let columns = cols(&[
            ColumnType::Int,
            ColumnType::Text,
            ColumnType::Bytes,
            ColumnType::Text,
        ]);
        let long = "x\u{fc}".repeat(STREAM_FROM);
        let row = [
            Value::Int(1),
            Value::Text(long.clone()),
            Value::Bytes(vec![9; 3 * STREAM_FROM]),
            Value::Text("short".into()),
        ];
        let mut lanes = RowHasher::default();
        add_one_shot(&mut lanes, &row);
        for _ in 0..2 {
            let mut streamed = RowHasher::default();
            streamed.add_as(&fields(&row), &columns).unwrap();
            assert_eq!(streamed.lanes, lanes.lanes);
        }
        assert_eq!(hash_of_encoded(&row, &columns).lanes, lanes.lanes);
        // A short row after a streamed one is hashed in one shot again.
        let short = [Value::Int(2), Value::Null, Value::Null, Value::Null];
        let mut both = RowHasher::default();
        both.add_as(&fields(&row), &columns).unwrap();
        both.add_as(&fields(&short), &columns).unwrap();
        add_one_shot(&mut lanes, &short);
        assert_eq!(both.lanes, lanes.lanes);
    }

    #[test]
    fn hashing_lines_and_values_agree() {
        let columns = cols(&[
            ColumnType::Int,
            ColumnType::Text,
            ColumnType::Bool,
            ColumnType::Bytes,
            ColumnType::Time,
            ColumnType::Float,
            ColumnType::Text,
        ]);
        let line = b"7\ttab\\there \\\\ \xc3\xbc\tt\t\\\\x00ff\t2026-11-25 10:00:00.5+00\t0.1\t\\N";
        let mut by_line = RowHasher::default();
        by_line.add_copy_line(line, &columns).unwrap();
        let mut by_values = RowHasher::default();
        by_values
            .add_as(&fields(&parse_row(line, &columns).unwrap()), &columns)
            .unwrap();
        assert_eq!(by_line.finish(), by_values.finish());
        let sqlite_row = [
            Value::Int(7),
            Value::Text("tab\there \\ \u{fc}".into()),
            Value::Int(1),
            Value::Bytes(vec![0, 255]),
            Value::Text("2026-11-25T10:00:00.500Z".into()),
            Value::Float(0.1),
            Value::Null,
        ];
        let mut by_row = RowHasher::default();
        by_row.add_as(&fields(&sqlite_row), &columns).unwrap();
        assert_eq!(by_row.finish(), by_values.finish());
        assert_eq!(
            hash_of_encoded(&sqlite_row, &columns).finish(),
            by_values.finish()
        );
    }

    #[test]
    fn postgres_output_forms_parse() {
        let columns = cols(&[
            ColumnType::Time,
            ColumnType::Bool,
            ColumnType::Bytes,
            ColumnType::Text,
        ]);
        let row = parse_row(
            b"2026-11-25 10:00:00.5+00\tf\t\\\\x00ff\t\\101\\x42",
            &columns,
        )
        .unwrap();
        assert_eq!(
            row[0],
            Value::Time(parse_time("2026-11-25T10:00:00.5Z").unwrap())
        );
        assert_eq!(row[1], Value::Bool(false));
        assert_eq!(row[2], Value::Bytes(vec![0, 255]));
        assert_eq!(row[3], Value::Text("AB".into()));
        assert!(parse_row(b"1\t2", &cols(&[ColumnType::Int])).is_err());
    }

    #[test]
    fn lines_split_the_same_however_the_data_is_cut() {
        let data = b"1\tone\n22\ttwo\n\n333\tthree\n4444\tfour";
        for cut in 1..data.len() {
            for size in [1, 2, 3, 7] {
                let mut lines = Vec::new();
                let mut carry = Vec::new();
                let (head, tail) = data.split_at(cut);
                for piece in [head].into_iter().chain(tail.chunks(size)) {
                    for_each_line(&mut carry, piece, |l| {
                        lines.push(l.to_vec());
                        Ok::<_, ()>(())
                    })
                    .unwrap();
                }
                assert_eq!(
                    lines,
                    [&b"1\tone"[..], b"22\ttwo", b"333\tthree"],
                    "cut at {cut}, pieces of {size}"
                );
                assert_eq!(carry, b"4444\tfour");
            }
        }
    }

    /// The byte-at-a-time unescaping `unescape_into` replaced, kept as the reference.
    fn unescape_bytewise(field: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < field.len() {
            if field[i] != b'\\' || i + 1 == field.len() {
                out.push(field[i]);
                i += 1;
            } else {
                i = unescape_one(&mut out, field, i);
            }
        }
        out
    }

    #[test]
    fn unescaping_in_runs_matches_byte_by_byte_on_random_fields() {
        let alphabet = b"\\\\\\nrtbfvx0127389aAfFgN\t \xc3\xbc";
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut out = Vec::new();
        for round in 0..20_000 {
            let len = next(if round % 100 == 0 { 2000 } else { 12 });
            let field: Vec<u8> = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            out.clear();
            out.extend_from_slice(b"kept");
            unescape_into(&mut out, &field);
            assert_eq!(&out[4..], unescape_bytewise(&field), "{field:?}");
            assert_eq!(unescape(&field), unescape_bytewise(&field));
        }
        for (field, want) in [
            (&b"\\"[..], &b"\\"[..]),
            (b"a\\", b"a\\"),
            (b"\\x", b"x"),
            (b"\\x4", b"\x04"),
            (b"\\x41z", b"Az"),
            (b"\\101\\1018", b"AA8"),
            (b"\\777", &[0o777u32 as u8][..]),
            (b"\\\\\\n\\q", b"\\\nq"),
        ] {
            assert_eq!(unescape(field), want, "{field:?}");
        }
    }

    #[test]
    fn damaged_lines_are_refused_with_the_reused_buffer_left_usable() {
        let columns = cols(&[ColumnType::Int, ColumnType::Text, ColumnType::Bool]);
        let mut hasher = RowHasher::default();
        let good = b"1\tline\\none\tt";
        hasher.add_copy_line(good, &columns).unwrap();
        for bad in [
            &b"x\tline\\n\tt"[..],
            b"1\tline\\n",
            b"1\tline\\n\tt\textra",
            b"1\ta\\\tmaybe",
            b"1\t\\x41\t\\x41",
            b"\\x3g\tz\tt",
        ] {
            assert!(hasher.add_copy_line(bad, &columns).is_err(), "{bad:?}");
        }
        // A failure leaves nothing behind: the next row hashes as in a fresh hasher.
        let mut fresh = RowHasher::default();
        fresh.add_copy_line(good, &columns).unwrap();
        fresh.add_copy_line(good, &columns).unwrap();
        hasher.add_copy_line(good, &columns).unwrap();
        assert_eq!(hasher.finish(), fresh.finish());
        assert_eq!(hasher.rows(), 2);
    }

    #[test]
    fn row_hash_ignores_order_but_not_content() {
        let (a, b) = (vec![Value::Int(1)], vec![Value::Int(2)]);
        let int = cols(&[ColumnType::Int]);
        let add = |h: &mut RowHasher, row: &[Value]| h.add_as(&fields(row), &int).unwrap();
        let mut one = RowHasher::default();
        add(&mut one, &a);
        add(&mut one, &b);
        let mut two = RowHasher::default();
        add(&mut two, &b);
        add(&mut two, &a);
        assert_eq!(one.finish(), two.finish());
        let mut three = RowHasher::default();
        add(&mut three, &a);
        add(&mut three, &[Value::Int(3)]);
        assert_ne!(one.finish(), three.finish());
        assert_eq!(
            normalize(Value::Int(1), ColumnType::Bool).unwrap(),
            Value::Bool(true)
        );
    }
}
