//! `text_enum!`: a closed set of values stored as text (roles, statuses), with the one mapping
//! between variants, database text and labels shown to people.

/// Declares an enum whose variants map to fixed database strings and human labels.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal, $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text stored in the database and used in forms and on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text.trim().to_ascii_lowercase().as_str() {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::db::FromValue for $name {
            fn from_value(v: &crate::db::Value) -> Option<Self> {
                match v {
                    crate::db::Value::Text(s) => $name::parse(s),
                    _ => None,
                }
            }
        }

        impl From<$name> for crate::db::Value {
            fn from(v: $name) -> Self {
                crate::db::Value::Text(v.as_str().to_string())
            }
        }
    };
}

pub(crate) use text_enum;
