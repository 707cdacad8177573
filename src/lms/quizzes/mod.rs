//! Quizzes: the question model (`questions`), exact marking (`marking`, `numbers`), the GIFT
//! and Moodle XML formats (`gift`, `moodle_xml`) and per-question statistics (`statistics`),
//! all pure; the stored question bank (`bank`); quizzes as course modules with their
//! questions and accommodations (`quiz`), attempts with the server's timer, marking, grades
//! and review (`attempts`), the essay grading table (`essays`), the results for staff
//! (`results`), and regrading attempts after a question changes (`regrade`).

pub mod attempts;
pub mod bank;
pub mod bank_form;
pub mod bank_lms;
pub mod essays;
pub mod gift;
pub mod marking;
pub mod moodle_xml;
pub mod numbers;
pub mod questions;
pub mod quiz;
pub mod regrade;
pub mod results;
pub mod statistics;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod samples;

pub use marking::{Outcome, Response, State, mark, shuffled_order};
pub use numbers::{Fixed, Number};
pub use questions::{Body, Limits, Question, TextFormat};

use super::LineError;

/// A question read from a file, with the category it was in (path segments, `Biology/Cells`
/// as `["Biology", "Cells"]`; empty when none was given) and the line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub line: usize,
    pub category: Vec<String>,
    pub question: Question,
}

/// What an import found: the valid questions and every problem, each with its line (line 0
/// is the file as a whole). A caller imports nothing while `problems` is not empty, or the
/// valid ones after the teacher confirms.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Import {
    pub questions: Vec<Imported>,
    pub problems: Vec<LineError>,
}

impl Import {
    /// All the questions, or the whole report when anything was wrong.
    pub fn all_or_nothing(self) -> Result<Vec<Imported>, Import> {
        if self.problems.is_empty() {
            Ok(self.questions)
        } else {
            Err(self)
        }
    }

    fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(LineError {
            line,
            message: message.into(),
        });
    }
}

/// A question for export, with its category path.
#[derive(Clone, Copy, Debug)]
pub struct ToExport<'a> {
    pub category: &'a [String],
    pub question: &'a Question,
}

/// What an export wrote, and the questions it could not (their index in the input and why:
/// GIFT has no ordering or fill-in-the-blanks type, for example).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Export {
    pub text: String,
    pub skipped: Vec<(usize, String)>,
}

/// Checks an import file's size and encoding: the text without a byte-order mark and with
/// `\r\n` as `\n`, or the problem.
fn decode(bytes: &[u8], limits: &Limits) -> Result<String, LineError> {
    if bytes.len() > limits.max_file_bytes {
        return Err(LineError {
            line: 0,
            message: format!(
                "the file is {} bytes; the limit is {} bytes",
                bytes.len(),
                limits.max_file_bytes
            ),
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| LineError {
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
        message: "the file is not UTF-8 text (save it as UTF-8 and try again)".into(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Category path segments: `/` separates, `//` is a slash inside a name; Moodle's context
/// prefix (`$course$`, `$system$`, …) and its `top` are dropped.
fn category_segments(path: &str) -> Vec<String> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut chars = path.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' {
            if chars.peek() == Some(&'/') {
                chars.next();
                current.push('/');
            } else {
                segments.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    segments.push(current);
    let mut segments: Vec<String> = segments
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if segments
        .first()
        .is_some_and(|s| s.starts_with('$') && s.ends_with('$') && s.len() > 1)
    {
        segments.remove(0);
    }
    if segments.first().is_some_and(|s| s == "top") {
        segments.remove(0);
    }
    segments
}

/// The path Moodle writes for a category: `$course$/top/Biology/Cells`.
fn category_path(segments: &[String]) -> String {
    let mut path = String::from("$course$/top");
    for s in segments {
        path.push('/');
        path.push_str(&s.replace('/', "//"));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_paths_round_trip() {
        assert_eq!(
            category_segments("$course$/top/Biology/Cells"),
            ["Biology", "Cells"]
        );
        assert_eq!(category_segments("Biology/A//B"), ["Biology", "A/B"]);
        assert_eq!(category_segments("top"), Vec::<String>::new());
        let segments = vec!["Bio".to_string(), "x/y".to_string()];
        assert_eq!(category_segments(&category_path(&segments)), segments);
    }

    #[test]
    fn decode_checks_size_and_encoding() {
        let limits = Limits {
            max_file_bytes: 4,
            ..Limits::DEFAULT
        };
        assert_eq!(decode(b"12345", &limits).unwrap_err().line, 0);
        assert_eq!(decode(b"a\n\xff", &Limits::DEFAULT).unwrap_err().line, 2);
        assert_eq!(
            decode("\u{feff}a\r\nb".as_bytes(), &Limits::DEFAULT).unwrap(),
            "a\nb"
        );
    }
}
