//! A real SMTP server per test: `tests/smtp_sink.py` (Python's aiosmtpd) on a random port,
//! writing each message it receives into a folder the test reads. Stopped when dropped.

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use tempfile::TempDir;

pub struct SmtpSink {
    child: Child,
    pub port: u16,
    dir: TempDir,
}

/// One message as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    /// The envelope's recipients.
    pub rcpt: Vec<String>,
    /// Header name (lower case) and value, unfolded, in order.
    pub headers: Vec<(String, String)>,
    pub raw: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn message_id(&self) -> String {
        self.header("message-id").unwrap_or_default().to_string()
    }

    /// The raw message with quoted-printable soft line breaks and `=3D` undone, so links can
    /// be searched for.
    pub fn decoded(&self) -> String {
        self.raw.replace("=\r\n", "").replace("=3D", "=")
    }
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        SmtpSink::start_with(&[])
    }

    /// `args` as `tests/smtp_sink.py` takes them (`--reject 550`).
    pub fn start_with(args: &[&str]) -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start python3 tests/smtp_sink.py (pip install aiosmtpd)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!("the SMTP sink did not start (is aiosmtpd installed?): {line:?}")
            });
        SmtpSink { child, port, dir }
    }

    /// The environment that sends `serve`'s and the CLI's mail here.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("PAIDEIA_SMTP_HOST", "127.0.0.1".into()),
            ("PAIDEIA_SMTP_PORT", self.port.to_string()),
            ("PAIDEIA_SMTP_TLS", "none".into()),
            ("PAIDEIA_SMTP_FROM", "lms@school.test".into()),
            ("PAIDEIA_SMTP_FROM_NAME", "Paideia".into()),
        ]
    }

    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
    }

    pub fn count(&self) -> usize {
        self.files().len()
    }

    pub fn messages(&self) -> Vec<Received> {
        self.files()
            .iter()
            .map(|p| parse(&std::fs::read_to_string(p).unwrap()))
            .collect()
    }

    /// Waits until at least `n` messages arrived (panics after `limit`).
    pub fn wait_for(&self, n: usize, limit: Duration) -> Vec<Received> {
        let deadline = Instant::now() + limit;
        loop {
            if self.count() >= n {
                return self.messages();
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} messages arrived within {limit:?}",
                self.count()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn parse(raw: &str) -> Received {
    let head = raw.split("\r\n\r\n").next().unwrap_or_default();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let rcpt = headers
        .iter()
        .filter(|(n, _)| n == "x-sink-rcpt")
        .map(|(_, v)| v.clone())
        .collect();
    Received {
        rcpt,
        headers,
        raw: raw.to_string(),
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
