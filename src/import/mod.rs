//! Importers from other learning platforms: each reads its source without changing it and
//! writes into this site through one transaction. Commands call them; they know no clap types.

pub mod paideia_lms;
