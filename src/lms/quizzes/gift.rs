//! GIFT, Moodle's plain-text question format (docs.moodle.org/en/GIFT_format): questions
//! separated by blank lines, `//` comment lines, `::title::`, `$CATEGORY:` lines, `[html]`
//! style formats, answers in braces, escapes `\~ \= \# \{ \} \: \\ \n`. Import lists every
//! problem with its line; export writes what GIFT can say and lists what it cannot.
//!
//! GIFT has no marks, penalties, shuffle or case-sensitivity settings, units, ordering or
//! fill-in-the-blanks type: imports take Moodle's defaults (mark 1, the type's penalty,
//! shuffled, case-insensitive), and export skips a question whose settings GIFT cannot carry.
//! A question with text after its answers is a "missing word" question: its text holds
//! `_____` where the answers were, and export puts them back there.

use super::numbers::{Fixed, Number};
use super::questions::{
    Body, Choice, Essay, Limits, MatchPair, Matching, MultiScoring, MultipleChoice, Numerical,
    NumericalAnswer, Question, ShortAnswer, TextAnswer, TextFormat, TrueFalse, UnitGrading,
    default_penalty,
};
use super::{Export, Import, Imported, ToExport, category_path, category_segments, decode};
use crate::lms::LineError;

/// Where a missing-word question's answers go in its text.
pub const BLANK: &str = "_____";

/// Reads a GIFT file.
pub fn import(bytes: &[u8], limits: &Limits) -> Import {
    let mut import = Import::default();
    let text = match decode(bytes, limits) {
        Ok(text) => text,
        Err(e) => {
            import.problems.push(e);
            return import;
        }
    };
    let mut category: Vec<String> = Vec::new();
    let mut chunks: Vec<Vec<(usize, &str)>> = vec![Vec::new()];
    for (i, line) in text.split('\n').enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.is_empty() {
            if chunks.last().is_some_and(|c| !c.is_empty()) {
                chunks.push(Vec::new());
            }
        } else if let Some(chunk) = chunks.last_mut() {
            chunk.push((i + 1, line));
        }
    }
    let mut count = 0usize;
    for chunk in chunks {
        if chunk.is_empty() {
            continue;
        }
        let mut body = chunk;
        if let Some(rest) = body[0].1.trim().strip_prefix("$CATEGORY:") {
            category = category_segments(rest);
            body.remove(0);
            if body.is_empty() {
                continue;
            }
        }
        count += 1;
        if count > limits.max_questions {
            import.problem(
                body[0].0,
                format!(
                    "the file has more than {} questions; split it into smaller files",
                    limits.max_questions
                ),
            );
            break;
        }
        match parse_question(&body, limits) {
            Ok(question) => import.questions.push(Imported {
                line: body[0].0,
                category: category.clone(),
                question,
            }),
            Err(problems) => import.problems.extend(problems),
        }
    }
    import
}

/// One question's lines joined, with where each line starts.
struct Source {
    text: String,
    starts: Vec<(usize, usize)>,
}

impl Source {
    fn new(lines: &[(usize, &str)]) -> Source {
        let mut text = String::new();
        let mut starts = Vec::new();
        for (number, line) in lines {
            if !text.is_empty() {
                text.push('\n');
            }
            starts.push((text.len(), *number));
            text.push_str(line);
        }
        Source { text, starts }
    }

    /// The file line of byte `offset`.
    fn line(&self, offset: usize) -> usize {
        let i = self.starts.partition_point(|(start, _)| *start <= offset);
        self.starts[i.saturating_sub(1)].1
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> LineError {
        LineError {
            line: self.line(offset),
            message: message.into(),
        }
    }
}

/// The first unescaped `pattern` in `s` at or after `from`.
fn find_unescaped(s: &str, from: usize, pattern: &str) -> Option<usize> {
    let mut chars = s[from..].char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if s[from + i..].starts_with(pattern) {
            return Some(from + i);
        }
    }
    None
}

/// `s` split at each unescaped `pattern`, with the offset of each part.
fn split_unescaped<'a>(s: &'a str, pattern: &str) -> Vec<(usize, &'a str)> {
    let mut parts = Vec::new();
    let mut start = 0;
    while let Some(i) = find_unescaped(s, start, pattern) {
        parts.push((start, &s[start..i]));
        start = i + pattern.len();
    }
    parts.push((start, &s[start..]));
    parts
}

/// GIFT text to plain text: escapes resolved, `\n` a line break.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(e @ ('~' | '=' | '#' | '{' | '}' | ':' | '\\')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Text as GIFT writes it: special characters escaped, line breaks as `\n`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn parse_question(lines: &[(usize, &str)], limits: &Limits) -> Result<Question, Vec<LineError>> {
    let src = Source::new(lines);
    let s = src.text.as_str();
    let first_line = lines[0].0;
    let mut pos = s.len() - s.trim_start().len();
    let mut name = None;
    if s[pos..].starts_with("::") {
        match find_unescaped(s, pos + 2, "::") {
            Some(end) => {
                name = Some(unescape(&s[pos + 2..end]).trim().to_string());
                pos = end + 2;
            }
            None => {
                return Err(vec![src.error(
                    pos,
                    "the title is not closed with :: (write \\: for a colon in a title)",
                )]);
            }
        }
    }
    let open = find_unescaped(s, pos, "{");
    if let Some(close) = find_unescaped(s, pos, "}")
        && open.is_none_or(|open| close < open)
    {
        return Err(vec![src.error(
            close,
            "a } without an opening { (write \\} for a brace in text)",
        )]);
    }
    let mut errors = Vec::new();
    let (before, block, after) = match open {
        None => (&s[pos..], None, ""),
        Some(open) => {
            let Some(close) = find_unescaped(s, open + 1, "}") else {
                return Err(vec![
                    src.error(open, "the answers opened with { are not closed with }"),
                ]);
            };
            if let Some(inner) = find_unescaped(s, open + 1, "{")
                && inner < close
            {
                return Err(vec![src.error(
                    inner,
                    "a { inside the answers (write \\{ for a brace in text)",
                )]);
            }
            let after = &s[close + 1..];
            if let Some(more) =
                find_unescaped(s, close + 1, "{").or(find_unescaped(s, close + 1, "}"))
            {
                errors.push(src.error(
                    more,
                    "a second set of answers in one question (leave a blank line between questions)",
                ));
            }
            (&s[pos..open], Some((open + 1, &s[open + 1..close])), after)
        }
    };
    let (format, before) = text_format(before);
    let text = if after.trim().is_empty() {
        unescape(before).trim().to_string()
    } else {
        format!("{}{BLANK}{}", unescape(before), unescape(after))
            .trim()
            .to_string()
    };
    let (body, general_feedback) = match block {
        None => (Body::Description, String::new()),
        Some((offset, block)) => match parse_block(&src, offset, block) {
            Ok(parsed) => parsed,
            Err(mut problems) => {
                errors.append(&mut problems);
                return Err(errors);
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let name = name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| default_name(&text, first_line));
    let mut question = Question::new(name, text, body);
    question.format = format;
    question.general_feedback = general_feedback;
    question.penalty = default_penalty(&question.body);
    let problems = question.problems(limits);
    if problems.is_empty() {
        Ok(question)
    } else {
        Err(problems
            .into_iter()
            .map(|message| LineError {
                line: first_line,
                message,
            })
            .collect())
    }
}

/// A name from the text's first words (at most 40 characters), as Moodle does.
fn default_name(text: &str, line: usize) -> String {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let name: String = words.chars().take(40).collect();
    if name.is_empty() {
        format!("Question on line {line}")
    } else {
        name
    }
}

/// A leading `[html]`, `[moodle]`, `[markdown]` or `[plain]`.
fn text_format(before: &str) -> (TextFormat, &str) {
    let trimmed = before.trim_start();
    for format in TextFormat::ALL {
        let tag = format!("[{}]", format.gift_name());
        if trimmed
            .get(..tag.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(&tag))
        {
            return (format, &trimmed[tag.len()..]);
        }
    }
    (TextFormat::Moodle, before)
}

/// One answer: its marker (`=` or `~`), weight if written, text and feedback, and offset.
struct Part<'a> {
    marker: char,
    offset: usize,
    weight: Option<Fixed>,
    text: &'a str,
    feedback: String,
}

type Parsed = (Body, String);

fn parse_block(src: &Source, offset: usize, block: &str) -> Result<Parsed, Vec<LineError>> {
    let (answers, general) = match find_unescaped(block, 0, "####") {
        Some(i) => (&block[..i], unescape(&block[i + 4..]).trim().to_string()),
        None => (block, String::new()),
    };
    let trimmed = answers.trim();
    let lead = answers.len() - answers.trim_start().len();
    let at = |i: usize| offset + i;
    if trimmed.is_empty() {
        return Ok((Body::Essay(Essay::default()), general));
    }
    if let Some(numeric) = trimmed.strip_prefix('#') {
        return parse_numerical(src, at(lead + 1), numeric).map(|b| (b, general));
    }
    let word_end = find_unescaped(trimmed, 0, "#").unwrap_or(trimmed.len());
    let word = trimmed[..word_end].trim().to_ascii_uppercase();
    if matches!(word.as_str(), "T" | "TRUE" | "F" | "FALSE") {
        let correct = word.starts_with('T');
        let feedback = split_unescaped(&trimmed[word_end..], "#");
        if feedback.len() > 3 {
            return Err(vec![src.error(
                at(lead),
                "a true/false answer has at most two feedbacks (#wrong#right)",
            )]);
        }
        let get = |i: usize| {
            feedback
                .get(i)
                .map(|(_, f)| unescape(f).trim().to_string())
                .unwrap_or_default()
        };
        let (wrong, right) = (get(1), get(2));
        let (feedback_true, feedback_false) = if correct {
            (right, wrong)
        } else {
            (wrong, right)
        };
        return Ok((
            Body::TrueFalse(TrueFalse {
                correct,
                feedback_true,
                feedback_false,
            }),
            general,
        ));
    }
    let parts = split_parts(src, offset, answers)?;
    let body = if parts.iter().any(|p| p.marker == '=')
        && parts.iter().any(|p| p.text.contains("->"))
    {
        let mut errors = Vec::new();
        let mut pairs = Vec::new();
        for p in &parts {
            if p.marker != '=' {
                errors.push(src.error(p.offset, "a matching pair starts with =, not ~"));
                continue;
            }
            if !p.feedback.is_empty() || p.weight.is_some() {
                errors.push(src.error(
                    p.offset,
                    "matching pairs have no weights or feedback (write \\# or \\% for the characters)",
                ));
            }
            match p.text.split_once("->") {
                Some((prompt, answer)) => pairs.push(MatchPair {
                    prompt: unescape(prompt).trim().to_string(),
                    answer: unescape(answer).trim().to_string(),
                }),
                None => errors
                    .push(src.error(p.offset, "a matching pair needs -> between its two sides")),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Body::Matching(Matching {
            pairs,
            shuffle: true,
        })
    } else if parts.iter().any(|p| p.marker == '~') {
        let multiple = !parts.iter().any(|p| p.marker == '=');
        Body::MultipleChoice(MultipleChoice {
            choices: parts
                .iter()
                .map(|p| Choice {
                    text: unescape(p.text).trim().to_string(),
                    fraction: p.weight.unwrap_or(if p.marker == '=' {
                        Fixed::ONE
                    } else {
                        Fixed::ZERO
                    }),
                    feedback: p.feedback.clone(),
                })
                .collect(),
            multiple,
            scoring: MultiScoring::Sum,
            shuffle: true,
        })
    } else {
        Body::ShortAnswer(ShortAnswer {
            answers: parts
                .iter()
                .map(|p| TextAnswer {
                    pattern: unescape(p.text).trim().to_string(),
                    fraction: p.weight.unwrap_or(Fixed::ONE),
                    feedback: p.feedback.clone(),
                })
                .collect(),
            case_sensitive: false,
        })
    };
    Ok((body, general))
}

/// Splits answers at unescaped `=` and `~`, each with its `%weight%` and `#feedback`.
fn split_parts<'a>(
    src: &Source,
    offset: usize,
    answers: &'a str,
) -> Result<Vec<Part<'a>>, Vec<LineError>> {
    let mut starts = Vec::new();
    let mut chars = answers.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '=' | '~' => starts.push((i, c)),
            _ => {}
        }
    }
    let mut errors = Vec::new();
    let head_end = starts.first().map_or(answers.len(), |(i, _)| *i);
    if !answers[..head_end].trim().is_empty() {
        let lead = answers.len() - answers.trim_start().len();
        errors.push(src.error(
            offset + lead,
            "text before the first answer: start each answer with = (right) or ~ (wrong)",
        ));
    }
    let mut parts = Vec::new();
    for (k, &(start, marker)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(answers.len(), |(i, _)| *i);
        let raw = &answers[start + 1..end];
        let at = offset + start;
        let (weight, rest) = match weight(raw) {
            Ok(w) => w,
            Err(message) => {
                errors.push(src.error(at, message));
                continue;
            }
        };
        let (text, feedback) = match find_unescaped(rest, 0, "#") {
            Some(i) => (&rest[..i], unescape(&rest[i + 1..]).trim().to_string()),
            None => (rest, String::new()),
        };
        if text.trim().is_empty() {
            errors.push(src.error(at, format!("an empty answer after {marker}")));
            continue;
        }
        parts.push(Part {
            marker,
            offset: at,
            weight,
            text,
            feedback,
        });
    }
    if errors.is_empty() {
        Ok(parts)
    } else {
        Err(errors)
    }
}

/// A leading `%50%` as a fraction, and the rest.
fn weight(raw: &str) -> Result<(Option<Fixed>, &str), String> {
    let trimmed = raw.trim_start();
    let Some(rest) = trimmed.strip_prefix('%') else {
        return Ok((None, raw));
    };
    let Some(end) = rest.find('%') else {
        return Err("a weight is not closed with % (write it as %50%)".into());
    };
    let number = &rest[..end];
    match Fixed::parse_percent(number) {
        Some(f) if (-Fixed::SCALE..=Fixed::SCALE).contains(&f.units()) => {
            Ok((Some(f), &rest[end + 1..]))
        }
        _ => Err(format!(
            "the weight %{number}% is not a percentage from -100 to 100"
        )),
    }
}

fn parse_numerical(src: &Source, offset: usize, text: &str) -> Result<Body, Vec<LineError>> {
    let multiple = find_unescaped(text, 0, "=").is_some() || find_unescaped(text, 0, "~").is_some();
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    if multiple {
        for p in split_parts(src, offset, text)? {
            match numeric_value(p.text) {
                Ok((value, tolerance)) => answers.push(NumericalAnswer {
                    value: Some(value),
                    tolerance,
                    fraction: p.weight.unwrap_or(if p.marker == '=' {
                        Fixed::ONE
                    } else {
                        Fixed::ZERO
                    }),
                    feedback: p.feedback,
                }),
                Err(message) => errors.push(src.error(p.offset, message)),
            }
        }
    } else {
        let (value, feedback) = match find_unescaped(text, 0, "#") {
            Some(i) => (&text[..i], unescape(&text[i + 1..]).trim().to_string()),
            None => (text, String::new()),
        };
        match numeric_value(value) {
            Ok((value, tolerance)) => answers.push(NumericalAnswer {
                value: Some(value),
                tolerance,
                fraction: Fixed::ONE,
                feedback,
            }),
            Err(message) => errors.push(src.error(offset, message)),
        }
    }
    if errors.is_empty() {
        Ok(Body::Numerical(Numerical {
            answers,
            units: Vec::new(),
            unit_grading: UnitGrading::Optional,
        }))
    } else {
        Err(errors)
    }
}

/// `3.14:0.01`, `1..5` (the middle ± half the width) or `3.14`.
fn numeric_value(raw: &str) -> Result<(Number, Number), String> {
    let raw = unescape(raw);
    let raw = raw.trim();
    let number =
        |s: &str| Number::parse(s).ok_or_else(|| format!("“{}” is not a number", s.trim()));
    if let Some((lo, hi)) = raw.split_once("..") {
        let (lo, hi) = (number(lo)?, number(hi)?);
        let too_big = || format!("the range {raw} is too wide to compute");
        let width = hi.checked_sub(lo).ok_or_else(too_big)?;
        if width.is_negative() {
            return Err(format!("the range {raw} ends below its start"));
        }
        let middle = lo
            .checked_add(hi)
            .and_then(Number::half)
            .ok_or_else(too_big)?;
        return Ok((middle, width.half().ok_or_else(too_big)?));
    }
    match raw.split_once(':') {
        Some((value, tolerance)) => {
            let tolerance = number(tolerance)?;
            if tolerance.is_negative() {
                return Err(format!("the tolerance in {raw} is negative"));
            }
            Ok((number(value)?, tolerance))
        }
        None => Ok((number(raw)?, Number::ZERO)),
    }
}

/// Writes questions as GIFT, with a `$CATEGORY:` line wherever the category changes.
pub fn export(items: &[ToExport<'_>]) -> Export {
    let mut out = Export::default();
    let mut current: Option<&[String]> = None;
    for (index, item) in items.iter().enumerate() {
        let text = match question_text(item.question) {
            Ok(text) => text,
            Err(reason) => {
                out.skipped.push((index, reason));
                continue;
            }
        };
        if current != Some(item.category) && !(current.is_none() && item.category.is_empty()) {
            out.text
                .push_str(&format!("$CATEGORY: {}\n\n", category_path(item.category)));
        }
        current = Some(item.category);
        out.text.push_str(&text);
        out.text.push_str("\n\n");
    }
    out
}

fn fraction_prefix(f: Fixed) -> String {
    format!("%{}%", f.percent_text())
}

fn with_feedback(text: &str, feedback: &str) -> String {
    if feedback.is_empty() {
        escape(text)
    } else {
        format!("{}#{}", escape(text), escape(feedback))
    }
}

/// One question in GIFT, or why GIFT cannot hold it.
fn question_text(q: &Question) -> Result<String, String> {
    let answers: Vec<String> = match &q.body {
        Body::Description => {
            if !q.general_feedback.is_empty() {
                return Err("GIFT cannot give a description general feedback".into());
            }
            Vec::new()
        }
        Body::Essay(e) => {
            if *e != Essay::default() {
                return Err("GIFT has no grader information or response template".into());
            }
            Vec::new()
        }
        Body::TrueFalse(tf) => {
            let (right, wrong) = if tf.correct {
                (&tf.feedback_true, &tf.feedback_false)
            } else {
                (&tf.feedback_false, &tf.feedback_true)
            };
            let mut s = String::from(if tf.correct { "TRUE" } else { "FALSE" });
            if !wrong.is_empty() || !right.is_empty() {
                s.push('#');
                s.push_str(&escape(wrong));
            }
            if !right.is_empty() {
                s.push('#');
                s.push_str(&escape(right));
            }
            vec![s]
        }
        Body::MultipleChoice(mc) => {
            if mc.scoring != MultiScoring::Sum {
                return Err("GIFT has no all-or-nothing multiple choice".into());
            }
            if !mc.shuffle {
                return Err("GIFT always shuffles choices".into());
            }
            mc.choices
                .iter()
                .map(|c| {
                    let prefix = if !mc.multiple && c.fraction == Fixed::ONE {
                        "=".to_string()
                    } else if c.fraction == Fixed::ZERO {
                        "~".to_string()
                    } else {
                        format!("~{}", fraction_prefix(c.fraction))
                    };
                    format!("{prefix}{}", with_feedback(&c.text, &c.feedback))
                })
                .collect()
        }
        Body::ShortAnswer(sa) => {
            if sa.case_sensitive {
                return Err("GIFT has no case-sensitive short answers".into());
            }
            sa.answers
                .iter()
                .map(|a| {
                    let weight = if a.fraction == Fixed::ONE {
                        String::new()
                    } else {
                        fraction_prefix(a.fraction)
                    };
                    format!("={weight}{}", with_feedback(&a.pattern, &a.feedback))
                })
                .collect()
        }
        Body::Numerical(n) => {
            if !n.units.is_empty() {
                return Err("GIFT has no units".into());
            }
            let mut lines = vec!["#".to_string()];
            for a in &n.answers {
                let Some(value) = a.value else {
                    return Err("GIFT has no \"any number\" answer".into());
                };
                let weight = if a.fraction == Fixed::ONE {
                    String::new()
                } else {
                    fraction_prefix(a.fraction)
                };
                let feedback = if a.feedback.is_empty() {
                    String::new()
                } else {
                    format!("#{}", escape(&a.feedback))
                };
                lines.push(format!("={weight}{value}:{}{feedback}", a.tolerance));
            }
            lines
        }
        Body::Matching(m) => {
            if !m.shuffle {
                return Err("GIFT always shuffles matching answers".into());
            }
            let mut lines = Vec::new();
            for pair in &m.pairs {
                if pair.prompt.contains("->") {
                    return Err("GIFT cannot write -> inside a matching prompt".into());
                }
                lines.push(format!(
                    "={} -> {}",
                    escape(&pair.prompt),
                    escape(&pair.answer)
                ));
            }
            lines
        }
        Body::Ordering(_) => return Err("GIFT has no ordering questions".into()),
        Body::Gaps(_) => {
            return Err("GIFT has no fill-in-the-blanks questions with several gaps".into());
        }
    };
    let arrow = match &q.body {
        // Without any `=` (several answers) nothing is read as matching.
        Body::MultipleChoice(mc) => {
            !mc.multiple && mc.choices.iter().any(|c| c.text.contains("->"))
        }
        Body::ShortAnswer(sa) => sa.answers.iter().any(|a| a.pattern.contains("->")),
        _ => false,
    };
    if arrow {
        return Err("GIFT reads an answer with -> as a matching pair".into());
    }
    if q.default_mark != Fixed::ONE && !matches!(q.body, Body::Description) {
        return Err(format!("GIFT cannot carry a mark of {}", q.default_mark));
    }
    if q.penalty != default_penalty(&q.body) {
        return Err(format!("GIFT cannot carry a penalty of {}", q.penalty));
    }
    let mut s = format!("::{}::", escape(&q.name));
    if q.format != TextFormat::Moodle || q.text.trim_start().starts_with('[') {
        s.push_str(&format!("[{}]", q.format.gift_name()));
    }
    let is_description = matches!(q.body, Body::Description);
    let mut block = String::new();
    if !is_description {
        block.push('{');
        let numerical = matches!(q.body, Body::Numerical(_));
        for (i, line) in answers.iter().enumerate() {
            if numerical && i == 0 {
                block.push_str(line);
                continue;
            }
            block.push_str("\n\t");
            block.push_str(line);
        }
        if !q.general_feedback.is_empty() {
            block.push_str("\n\t####");
            block.push_str(&escape(&q.general_feedback));
        }
        if !answers.is_empty() || !q.general_feedback.is_empty() {
            block.push('\n');
        }
        block.push('}');
    }
    match q.text.find(BLANK) {
        Some(i) if !is_description && !q.text[i + BLANK.len()..].trim().is_empty() => {
            s.push_str(&escape(&q.text[..i]));
            s.push_str(&block);
            s.push_str(&escape(&q.text[i + BLANK.len()..]));
        }
        _ => {
            s.push_str(&escape(&q.text));
            if !is_description {
                s.push(' ');
                s.push_str(&block);
            }
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests;
