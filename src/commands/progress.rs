//! Per-table progress bars on a terminal, nothing otherwise; and the closing summary line.

use std::{collections::HashMap, io::IsTerminal, sync::Mutex, time::Duration};

use indicatif::{HumanBytes, MultiProgress, ProgressBar, ProgressStyle};

use crate::backup::Progress;

/// Bars on stderr when it is a terminal; silent otherwise (cron, pipes).
pub struct Bars {
    multi: Option<MultiProgress>,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Bars {
    pub fn new() -> Bars {
        Bars {
            multi: std::io::stderr().is_terminal().then(MultiProgress::new),
            bars: Mutex::new(HashMap::new()),
        }
    }

    fn bar(&self, table: &str) -> Option<ProgressBar> {
        let multi = self.multi.as_ref()?;
        let mut bars = self.bars.lock().expect("progress lock");
        Some(
            bars.entry(table.to_string())
                .or_insert_with(|| {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(
                        ProgressStyle::with_template("{spinner} {prefix:<24} {msg}")
                            .expect("valid template"),
                    );
                    bar.set_prefix(table.to_string());
                    bar.enable_steady_tick(Duration::from_millis(120));
                    bar
                })
                .clone(),
        )
    }
}

impl Progress for Bars {
    fn rows(&self, table: &str, rows: u64, bytes: u64) {
        if let Some(bar) = self.bar(table) {
            bar.set_message(format!("{rows} rows, {}", HumanBytes(bytes)));
        }
    }

    fn done(&self, table: &str, rows: u64, bytes: u64) {
        if let Some(bar) = self.bar(table) {
            let size = if bytes > 0 {
                format!(", {}", HumanBytes(bytes))
            } else {
                String::new()
            };
            bar.finish_with_message(format!("{rows} rows{size}"));
        }
    }
}

/// `12 tables, 34567 rows, 1.2 MiB in 0.8 s (1.5 MiB/s)`.
pub fn summary(tables: usize, rows: u64, bytes: u64, elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64().max(0.001);
    format!(
        "{tables} tables, {rows} rows, {} in {seconds:.1} s ({}/s)",
        HumanBytes(bytes),
        HumanBytes((bytes as f64 / seconds) as u64)
    )
}

/// A byte progress bar for a download on a terminal; silent otherwise.
pub struct DownloadBar(Option<ProgressBar>);

pub fn download_bar() -> DownloadBar {
    DownloadBar(std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
                .expect("valid template"),
        );
        bar
    }))
}

impl DownloadBar {
    pub fn update(&self, done: u64, total: Option<u64>) {
        if let Some(bar) = &self.0 {
            if let Some(total) = total {
                bar.set_length(total);
            }
            bar.set_position(done);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
