//! Integration tests, one binary: the real `paideia` binary and library against real SQLite
//! files and a real PostgreSQL server, each test with its own database and directory.

mod backup;
mod cli;
mod migrations;
mod serve;
mod support;
