//! Outgoing mail over SMTP: the client (`smtp`, lettre over rustls) and the outbox's sender
//! inside `serve` (`worker`). What to send, and the outbox itself, belong to `lms::outbox`.

pub mod smtp;
pub mod worker;

pub use smtp::{Outgoing, SendError, Smtp};
pub use worker::{RetryPolicy, Worker};
