//! The rehearsal's report in words (stdout, or stderr before an upgrade) or as JSON.

use std::fmt::Write;

use super::Report;
use crate::{commands::Context, upgrade::rehearsal::Verdict};

pub fn print(ctx: &Context, report: &Report) -> anyhow::Result<()> {
    if ctx.json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        print!("{}", text(report));
    }
    Ok(())
}

pub fn print_to_stderr(report: &Report) {
    eprint!("{}", text(report));
}

/// `1.2 s`, `340 ms`, `3 min 5 s`.
pub fn duration(ms: u64) -> String {
    match ms {
        ms if ms < 1000 => format!("{ms} ms"),
        ms if ms < 60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        ms => format!("{} min {} s", ms / 60_000, (ms % 60_000) / 1000),
    }
}

/// One line for the upgrade history and the System page.
pub fn summary(r: &Report) -> String {
    let j = &r.judgement;
    let mut line = format!(
        "{}: {} migration(s)",
        r.judgement.verdict.words(),
        r.migrations.len()
    );
    if let Some(lock) = &j.longest_write_lock {
        let _ = write!(
            line,
            ", longest write lock {} ({})",
            duration(lock.ms),
            lock.migration
        );
    }
    match j.verdict {
        Verdict::Safe => line.push_str(", rolling upgrade possible"),
        Verdict::SafeWithDowntime => {
            let _ = write!(
                line,
                ", downtime needed (about {})",
                duration(j.downtime_ms.unwrap_or_default())
            );
        }
        Verdict::NotSafe => {
            let _ = write!(line, ": {}", j.reasons.join("; "));
        }
    }
    line
}

fn text(r: &Report) -> String {
    let j = &r.judgement;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "rehearsal of paideia {} -> {} on {} ({}), {} (restore {})",
        r.from,
        r.to,
        r.source,
        r.engine,
        duration(r.took_ms),
        duration(r.restore_ms)
    );
    if r.migrations.is_empty() {
        let _ = writeln!(out, "migrations: none pending");
    } else {
        let _ = writeln!(out, "migrations:");
    }
    for m in &r.migrations {
        let took = match (m.duration_ms, &m.error) {
            (_, Some(_)) => "FAILED".to_string(),
            (Some(ms), None) => duration(ms),
            (None, None) => "not run".to_string(),
        };
        let _ = writeln!(out, "  {:04}_{}  {}  {}", m.id, m.name, m.kind, took);
        for lock in &m.locks {
            let _ = writeln!(out, "    lock: {lock}");
        }
        if let Some(error) = &m.error {
            let _ = writeln!(out, "    error: {error}");
        }
    }
    match &j.longest_write_lock {
        Some(lock) => {
            let _ = writeln!(
                out,
                "longest write lock: {} ({})",
                duration(lock.ms),
                lock.migration
            );
        }
        None => {
            let _ = writeln!(out, "longest write lock: none");
        }
    }
    if j.rolling {
        let _ = writeln!(out, "rolling upgrade: possible (all migrations are expand)");
    } else {
        let _ = writeln!(
            out,
            "rolling upgrade: not possible; downtime needed, about {}",
            duration(j.downtime_ms.unwrap_or_default())
        );
    }
    let before: u64 = r.rows_before.values().sum();
    let after: u64 = r.rows_after.values().sum();
    let _ = writeln!(
        out,
        "rows: {before} before, {after} after, in {} tables",
        r.rows_after.len().max(r.rows_before.len())
    );
    for (table, n) in &r.rows_after {
        match r.rows_before.get(table) {
            Some(b) if b == n => {}
            Some(b) => {
                let _ = writeln!(out, "  {table}: {b} -> {n}");
            }
            None => {
                let _ = writeln!(out, "  {table}: new, {n}");
            }
        }
    }
    for (who, checks) in [
        ("new binary", &r.new_binary),
        ("current binary", &r.current_binary),
    ] {
        for c in checks {
            let _ = writeln!(
                out,
                "{who}: {} {}: {}",
                c.what,
                if c.ok { "ok" } else { "FAILED" },
                c.detail
            );
        }
    }
    let _ = writeln!(out, "verdict: {}", j.verdict.words());
    for reason in &j.reasons {
        let _ = writeln!(out, "  {reason}");
    }
    out
}
