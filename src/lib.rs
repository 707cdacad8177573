//! paideia: a learning management system in one binary that is also its own operations
//! toolkit. `main.rs` parses the command line and hands over to `commands`; everything below
//! is a library so that integration tests drive the same code.

pub mod backup;
pub mod changelog;
pub mod cli;
pub mod commands;
pub mod db;
pub mod deprecations;
pub mod docgen;
pub mod doctor;
pub mod envvars;
pub mod exit;
pub mod import;
pub mod lms;
pub mod logging;
pub mod mail;
pub mod migrate;
pub mod paths;
pub mod release;
pub mod seed;
pub mod service;
pub mod settings;
pub mod storage;
pub mod upgrade;
pub mod version;
pub mod web;

/// Makes ring the process's TLS crypto provider (for reqwest and rustls users that do not pass
/// one explicitly). Safe to call more than once.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
