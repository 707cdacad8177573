//! The engine-neutral value and row types that cross the database boundary.
//!
//! Domain code binds `Value`s and reads `Row`s; the engine modules convert them to and from
//! PostgreSQL's binary types and SQLite's storage classes. Timestamps are UTC everywhere: a
//! `timestamptz` on PostgreSQL and fixed-width RFC 3339 text on SQLite (so text order is time order).

use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};

use super::DbError;

/// A parameter or a column value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    Bytes(Vec<u8>),
    Time(DateTime<Utc>),
}

/// A column value borrowed from the row it was read from: what bulk readers (the dump, the
/// verification) take, so a text or blob is not copied once per row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field<'a> {
    Null,
    Int(i64),
    Float(f64),
    Text(&'a str),
    Bool(bool),
    Bytes(&'a [u8]),
    Time(DateTime<Utc>),
}

/// The fields of one row; on the stack for the widths the schema has.
pub type Fields<'a> = smallvec::SmallVec<[Field<'a>; 16]>;

impl Value {
    pub fn as_field(&self) -> Field<'_> {
        match self {
            Value::Null => Field::Null,
            Value::Int(i) => Field::Int(*i),
            Value::Float(f) => Field::Float(*f),
            Value::Text(s) => Field::Text(s),
            Value::Bool(b) => Field::Bool(*b),
            Value::Bytes(b) => Field::Bytes(b),
            Value::Time(t) => Field::Time(*t),
        }
    }
}

impl Field<'_> {
    /// The owned value of this field, copying a text or bytes.
    pub fn to_value(self) -> Value {
        match self {
            Field::Null => Value::Null,
            Field::Int(i) => Value::Int(i),
            Field::Float(f) => Value::Float(f),
            Field::Text(s) => Value::Text(s.to_owned()),
            Field::Bool(b) => Value::Bool(b),
            Field::Bytes(b) => Value::Bytes(b.to_vec()),
            Field::Time(t) => Value::Time(t),
        }
    }
}

/// The text form of a timestamp as stored by SQLite: microseconds, always `Z`.
pub fn time_to_text(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn time_from_text(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

macro_rules! value_from {
    ($($t:ty => $variant:ident $(as $cast:ty)?),* $(,)?) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self { Value::$variant(v $(as $cast)?) }
        }
    )*};
}

value_from!(i64 => Int, i32 => Int as i64, u32 => Int as i64, f64 => Float, bool => Bool,
    String => Text, Vec<u8> => Bytes, DateTime<Utc> => Time);

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Conversion from a column value into a Rust type.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> Option<Self>;
}

impl FromValue for Value {
    fn from_value(v: &Value) -> Option<Self> {
        Some(v.clone())
    }
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }
}

impl FromValue for i32 {
    fn from_value(v: &Value) -> Option<Self> {
        i64::from_value(v).and_then(|i| i32::try_from(i).ok())
    }
}

impl FromValue for f64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}

impl FromValue for bool {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            _ => None,
        }
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Bytes(b) => Some(b.clone()),
            _ => None,
        }
    }
}

impl FromValue for DateTime<Utc> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Time(t) => Some(*t),
            Value::Text(s) => time_from_text(s),
            _ => None,
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// One result row: column names shared by all rows of a result, and the values.
#[derive(Debug, Clone)]
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl Row {
    pub(crate) fn new(columns: Arc<[String]>, values: Vec<Value>) -> Self {
        Row { columns, values }
    }

    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The value of column `name` converted to `T`; an error names the column when it is
    /// missing or holds another type.
    pub fn get<T: FromValue>(&self, name: &str) -> Result<T, DbError> {
        let index = self
            .columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| DbError::Decode(format!("no column `{name}` in result")))?;
        self.get_at(index)
    }

    pub fn get_at<T: FromValue>(&self, index: usize) -> Result<T, DbError> {
        let value = self
            .values
            .get(index)
            .ok_or_else(|| DbError::Decode(format!("no column {index} in result")))?;
        T::from_value(value).ok_or_else(|| {
            DbError::Decode(format!(
                "column `{}` holds {value:?}, which is not a {}",
                self.columns[index],
                std::any::type_name::<T>()
            ))
        })
    }
}

/// Conversion from a borrowed column value (`Db::query_map`) into a Rust type; text may be
/// borrowed as `&str` without a copy.
pub trait FromField<'a>: Sized {
    fn from_field(f: Field<'a>) -> Option<Self>;
}

impl FromField<'_> for i64 {
    fn from_field(f: Field<'_>) -> Option<Self> {
        match f {
            Field::Int(i) => Some(i),
            Field::Bool(b) => Some(i64::from(b)),
            _ => None,
        }
    }
}

impl FromField<'_> for f64 {
    fn from_field(f: Field<'_>) -> Option<Self> {
        match f {
            Field::Float(x) => Some(x),
            Field::Int(i) => Some(i as f64),
            _ => None,
        }
    }
}

impl<'a> FromField<'a> for &'a str {
    fn from_field(f: Field<'a>) -> Option<Self> {
        match f {
            Field::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl FromField<'_> for String {
    fn from_field(f: Field<'_>) -> Option<Self> {
        <&str>::from_field(f).map(str::to_owned)
    }
}

impl FromField<'_> for DateTime<Utc> {
    fn from_field(f: Field<'_>) -> Option<Self> {
        match f {
            Field::Time(t) => Some(t),
            Field::Text(s) => time_from_text(s),
            _ => None,
        }
    }
}

impl<'a, T: FromField<'a>> FromField<'a> for Option<T> {
    fn from_field(f: Field<'a>) -> Option<Self> {
        match f {
            Field::Null => Some(None),
            other => T::from_field(other).map(Some),
        }
    }
}

/// Field `index` of a row `Db::query_map` lends, converted to `T`; an error names the place
/// and what it held.
pub fn field<'a, T: FromField<'a>>(fields: &[Field<'a>], index: usize) -> Result<T, DbError> {
    let f = fields
        .get(index)
        .ok_or_else(|| DbError::Decode(format!("no column {index} in result")))?;
    T::from_field(*f).ok_or_else(|| {
        DbError::Decode(format!(
            "column {index} holds {f:?}, which is not a {}",
            std::any::type_name::<T>()
        ))
    })
}
