//! paideia: a learning management system in one binary that is also its own operations
//! toolkit. `main.rs` parses the command line and hands over to `commands`; everything below
//! is a library so that integration tests drive the same code.

pub mod cli;
pub mod commands;
pub mod db;
pub mod envvars;
pub mod exit;
pub mod logging;
pub mod migrate;
pub mod settings;
pub mod storage;
pub mod version;
pub mod web;
