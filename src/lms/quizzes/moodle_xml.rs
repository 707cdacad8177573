//! Moodle XML (docs.moodle.org/en/Moodle_XML_format): `<quiz>` holding `<question type=…>`
//! elements, read with quick-xml into a small bounded tree, then per type. Types:
//! `multichoice` (one or several answers), `multichoiceset` (all or nothing), `truefalse`,
//! `shortanswer`, `numerical` (with units), `matching`, `ordering` (the ordering plugin's
//! format: answers in order, their `fraction` the position), `cloze` for fill-in-the-blanks
//! (only short-answer gaps: `{1:SHORTANSWER:=a#fb~%50%b}`, `SA`, `MW` and the `_C`
//! case-sensitive forms), `essay`, `description`, and `category` entries.
//!
//! Well-formedness errors stop the read (XML cannot be resumed) with their line; after that
//! every question's problems are listed, each with the line of its `<question>`. Texts are
//! trimmed; embedded `<file>`s, hints, tags and id numbers are not read in this slice.

use std::fmt::Write;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::numbers::{Fixed, Number};
use super::questions::{
    Body, Choice, Essay, Gap, Gaps, Limits, MatchPair, Matching, MultiScoring, MultipleChoice,
    Numerical, NumericalAnswer, Ordering, OrderingGrading, Question, ShortAnswer, TextAnswer,
    TextFormat, TrueFalse, Unit, UnitGrading, default_penalty, gap_marker,
};
use super::{Export, Import, Imported, ToExport, category_path, category_segments, decode};
use crate::lms::LineError;

/// Deepest element nesting read (Moodle's files go five deep).
const MAX_DEPTH: usize = 32;

/// An element: name, attributes, child elements and its own text (CDATA and entities
/// resolved).
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
    line: usize,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed text of `<name><text>…</text></name>`, or "".
    fn text_of(&self, name: &str) -> String {
        self.child(name).map(Node::inner_text).unwrap_or_default()
    }

    /// The trimmed text of this element's `<text>` child.
    fn inner_text(&self) -> String {
        self.child("text")
            .map(|t| t.text.trim().to_string())
            .unwrap_or_default()
    }

    /// The trimmed text of `<name>…</name>`.
    fn value(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }

    fn flag(&self, name: &str, default: bool) -> bool {
        match self.value(name) {
            Some("1" | "true" | "TRUE" | "True") => true,
            Some("0" | "false" | "FALSE" | "False") => false,
            _ => default,
        }
    }
}

/// Line numbers of byte offsets.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(memchr::memchr_iter(b'\n', text.as_bytes()).collect())
    }

    fn of(&self, offset: u64) -> usize {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        1 + self.0.partition_point(|&nl| nl < offset)
    }
}

fn parse_tree(text: &str) -> Result<Node, LineError> {
    let lines = Lines::new(text);
    let mut reader = Reader::from_str(text);
    let mut stack = vec![Node {
        name: "#document".into(),
        line: 1,
        ..Node::default()
    }];
    let fail = |offset: u64, message: String| LineError {
        line: lines.of(offset),
        message,
    };
    loop {
        let start = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            fail(
                reader.error_position(),
                format!("the XML is not well formed: {e}"),
            )
        })?;
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err(fail(
                        start,
                        format!("elements nest more than {MAX_DEPTH} deep"),
                    ));
                }
                stack.push(element(&e, lines.of(start)).map_err(|m| fail(start, m))?);
            }
            Event::Empty(e) => {
                let node = element(&e, lines.of(start)).map_err(|m| fail(start, m))?;
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
            Event::End(_) => {
                let node = stack.pop().unwrap_or_default();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Err(fail(start, "an end tag without its start".into())),
                }
            }
            Event::Text(t) => {
                let content = t
                    .xml10_content()
                    .map_err(|e| fail(start, format!("bad text: {e}")))?;
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&content);
                }
            }
            Event::CData(c) => {
                let content = c
                    .xml10_content()
                    .map_err(|e| fail(start, format!("bad CDATA: {e}")))?;
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&content);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r
                            .decode()
                            .map_err(|e| fail(start, format!("a bad entity: {e}")))?
                            .into_owned();
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_string(),
                            None => {
                                return Err(fail(
                                    start,
                                    format!(
                                        "the entity &{name}; is not XML (HTML entities such as \
                                         &nbsp; belong inside <![CDATA[…]]>)"
                                    ),
                                ));
                            }
                        }
                    }
                    Err(e) => return Err(fail(start, format!("a bad character reference: {e}"))),
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if stack.len() != 1 {
        let open = stack.last().map_or(String::new(), |n| n.name.clone());
        return Err(fail(
            text.len() as u64,
            format!("the file ends inside <{open}>"),
        ));
    }
    Ok(stack.pop().unwrap_or_default())
}

/// An element's name and attributes.
fn element(e: &quick_xml::events::BytesStart<'_>, line: usize) -> Result<Node, String> {
    let mut node = Node {
        name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
        line,
        ..Node::default()
    };
    for attr in e.attributes() {
        let attr = attr.map_err(|e| format!("a bad attribute: {e}"))?;
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| format!("a bad attribute value: {e}"))?;
        node.attrs.push((
            String::from_utf8_lossy(attr.key.as_ref()).into_owned(),
            value.into_owned(),
        ));
    }
    Ok(node)
}

/// Reads a Moodle XML file.
pub fn import(bytes: &[u8], limits: &Limits) -> Import {
    let mut import = Import::default();
    let text = match decode(bytes, limits) {
        Ok(text) => text,
        Err(e) => {
            import.problems.push(e);
            return import;
        }
    };
    let root = match parse_tree(&text) {
        Ok(root) => root,
        Err(e) => {
            import.problems.push(e);
            return import;
        }
    };
    let Some(quiz) = root.children.iter().find(|n| n.name == "quiz") else {
        let found = root.children.first().map_or("nothing", |n| n.name.as_str());
        import.problem(
            root.children.first().map_or(1, |n| n.line),
            format!("not a Moodle XML file: the document holds <{found}>, not <quiz>"),
        );
        return import;
    };
    let mut category: Vec<String> = Vec::new();
    let mut count = 0usize;
    for q in quiz.children("question") {
        let kind = q.attr("type").unwrap_or("");
        if kind == "category" {
            let path = q.text_of("category");
            category = category_segments(&path);
            continue;
        }
        count += 1;
        if count > limits.max_questions {
            import.problem(
                q.line,
                format!(
                    "the file has more than {} questions; split it into smaller files",
                    limits.max_questions
                ),
            );
            break;
        }
        match question(q, kind) {
            Ok(question) => {
                let problems = question.problems(limits);
                if problems.is_empty() {
                    import.questions.push(Imported {
                        line: q.line,
                        category: category.clone(),
                        question,
                    });
                } else {
                    let name = &question.name;
                    for p in problems {
                        import.problem(q.line, format!("{name}: {p}"));
                    }
                }
            }
            Err(problems) => import.problems.extend(problems),
        }
    }
    import
}

fn format_of(node: Option<&Node>) -> TextFormat {
    match node.and_then(|n| n.attr("format")) {
        Some("html") => TextFormat::Html,
        Some("markdown") => TextFormat::Markdown,
        Some("plain_text") => TextFormat::Plain,
        _ => TextFormat::Moodle,
    }
}

/// The `fraction` attribute (a percentage) as a fraction.
fn fraction(node: &Node, errors: &mut Vec<LineError>) -> Fixed {
    let raw = node.attr("fraction").unwrap_or("0");
    Fixed::parse_percent(raw).unwrap_or_else(|| {
        errors.push(LineError {
            line: node.line,
            message: format!("the fraction “{raw}” is not a percentage"),
        });
        Fixed::ZERO
    })
}

fn text_answers(q: &Node, errors: &mut Vec<LineError>) -> Vec<TextAnswer> {
    q.children("answer")
        .map(|a| TextAnswer {
            pattern: a.inner_text(),
            fraction: fraction(a, errors),
            feedback: a.text_of("feedback"),
        })
        .collect()
}

fn number(node: &Node, raw: &str, errors: &mut Vec<LineError>) -> Number {
    Number::parse(raw).unwrap_or_else(|| {
        errors.push(LineError {
            line: node.line,
            message: format!("“{raw}” is not a number"),
        });
        Number::ZERO
    })
}

fn question(q: &Node, kind: &str) -> Result<Question, Vec<LineError>> {
    let mut errors = Vec::new();
    let name = q.text_of("name");
    let label = if name.is_empty() {
        format!("the {kind} question")
    } else {
        name.clone()
    };
    let text = q.text_of("questiontext");
    let body = match kind {
        "description" => Body::Description,
        "essay" => Body::Essay(Essay {
            grader_info: q.text_of("graderinfo"),
            response_template: q.text_of("responsetemplate"),
        }),
        "multichoice" | "multichoiceset" => {
            let set = kind == "multichoiceset";
            Body::MultipleChoice(MultipleChoice {
                choices: q
                    .children("answer")
                    .map(|a| Choice {
                        text: a.inner_text(),
                        fraction: fraction(a, &mut errors),
                        feedback: a.text_of("feedback"),
                    })
                    .collect(),
                multiple: set || !q.flag("single", true),
                scoring: if set {
                    MultiScoring::AllOrNothing
                } else {
                    MultiScoring::Sum
                },
                shuffle: q.flag("shuffleanswers", true),
            })
        }
        "truefalse" => {
            let mut tf = TrueFalse {
                correct: true,
                feedback_true: String::new(),
                feedback_false: String::new(),
            };
            let mut seen = (false, false);
            for a in q.children("answer") {
                let f = fraction(a, &mut errors);
                match a.inner_text().to_ascii_lowercase().as_str() {
                    "true" => {
                        seen.0 = true;
                        tf.feedback_true = a.text_of("feedback");
                        if f == Fixed::ONE {
                            tf.correct = true;
                        }
                    }
                    "false" => {
                        seen.1 = true;
                        tf.feedback_false = a.text_of("feedback");
                        if f == Fixed::ONE {
                            tf.correct = false;
                        }
                    }
                    other => errors.push(LineError {
                        line: a.line,
                        message: format!("{label}: a true/false answer “{other}”"),
                    }),
                }
            }
            if seen != (true, true) {
                errors.push(LineError {
                    line: q.line,
                    message: format!("{label}: needs a “true” and a “false” answer"),
                });
            }
            Body::TrueFalse(tf)
        }
        "shortanswer" => Body::ShortAnswer(ShortAnswer {
            answers: text_answers(q, &mut errors),
            case_sensitive: q.flag("usecase", false),
        }),
        "numerical" => {
            let answers = q
                .children("answer")
                .map(|a| {
                    let raw = a.inner_text();
                    NumericalAnswer {
                        value: if raw == "*" {
                            None
                        } else {
                            Some(number(a, &raw, &mut errors))
                        },
                        tolerance: match a.value("tolerance") {
                            Some(t) if !t.is_empty() => number(a, t, &mut errors),
                            _ => Number::ZERO,
                        },
                        fraction: fraction(a, &mut errors),
                        feedback: a.text_of("feedback"),
                    }
                })
                .collect();
            let units = q
                .child("units")
                .map(|u| {
                    u.children("unit")
                        .map(|unit| Unit {
                            name: unit.value("unit_name").unwrap_or("").to_string(),
                            multiplier: number(
                                unit,
                                unit.value("multiplier").unwrap_or("1"),
                                &mut errors,
                            ),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let penalty = q
                .value("unitpenalty")
                .map(|p| {
                    Fixed::parse(p).unwrap_or_else(|| {
                        errors.push(LineError {
                            line: q.line,
                            message: format!("{label}: the unit penalty “{p}” is not a number"),
                        });
                        Fixed::ZERO
                    })
                })
                .unwrap_or(Fixed::from_units(1_000_000));
            let unit_grading = match q.value("unitgradingtype") {
                Some("1") => UnitGrading::PenaltyOfMark(penalty),
                Some("2") => UnitGrading::PenaltyOfMax(penalty),
                _ => UnitGrading::Optional,
            };
            Body::Numerical(Numerical {
                answers,
                units,
                unit_grading,
            })
        }
        "matching" => Body::Matching(Matching {
            pairs: q
                .children("subquestion")
                .map(|s| MatchPair {
                    prompt: s.inner_text(),
                    answer: s.text_of("answer"),
                })
                .collect(),
            shuffle: q.flag("shuffleanswers", true),
        }),
        "ordering" => {
            let mut items: Vec<(Fixed, String)> = q
                .children("answer")
                .map(|a| (fraction_plain(a), a.inner_text()))
                .collect();
            items.sort_by_key(|(position, _)| *position);
            let grading = match q.value("gradingtype") {
                None | Some("") => OrderingGrading::AbsolutePosition,
                Some(g) => match OrderingGrading::ALL.into_iter().find(|o| {
                    o.moodle_name().eq_ignore_ascii_case(g) || o.moodle_number().to_string() == g
                }) {
                    Some(o) => o,
                    None => {
                        errors.push(LineError {
                            line: q.line,
                            message: format!(
                                "{label}: the ordering grading type “{g}” is not supported"
                            ),
                        });
                        OrderingGrading::AbsolutePosition
                    }
                },
            };
            Body::Ordering(Ordering {
                items: items.into_iter().map(|(_, item)| item).collect(),
                grading,
            })
        }
        "cloze" => match cloze_gaps(&text) {
            Ok((_, gaps)) => Body::Gaps(Gaps { gaps }),
            Err(message) => {
                errors.push(LineError {
                    line: q.line,
                    message: format!("{label}: {message}"),
                });
                Body::Description
            }
        },
        other => {
            return Err(vec![LineError {
                line: q.line,
                message: format!(
                    "{label}: the question type “{other}” is not supported (use multichoice, \
                     truefalse, shortanswer, numerical, matching, ordering, cloze, essay or \
                     description)"
                ),
            }]);
        }
    };
    let text = match (&body, kind) {
        (Body::Gaps(_), "cloze") => cloze_gaps(&text).map(|(t, _)| t).unwrap_or(text),
        _ => text,
    };
    let mut question = Question::new(name, text, body);
    question.format = format_of(q.child("questiontext"));
    question.general_feedback = q.text_of("generalfeedback");
    if let Some(mark) = q.value("defaultgrade").filter(|m| !m.is_empty()) {
        match Fixed::parse(mark) {
            Some(m) => question.default_mark = m,
            None => errors.push(LineError {
                line: q.line,
                message: format!("{label}: the default grade “{mark}” is not a number"),
            }),
        }
    }
    question.penalty = default_penalty(&question.body);
    if let Some(penalty) = q.value("penalty").filter(|m| !m.is_empty()) {
        match Fixed::parse(penalty) {
            Some(p) => question.penalty = p,
            None => errors.push(LineError {
                line: q.line,
                message: format!("{label}: the penalty “{penalty}” is not a number"),
            }),
        }
    }
    if errors.is_empty() {
        Ok(question)
    } else {
        Err(errors)
    }
}

/// The ordering plugin's `fraction`: the item's position, a plain number.
fn fraction_plain(node: &Node) -> Fixed {
    node.attr("fraction")
        .and_then(Fixed::parse)
        .unwrap_or(Fixed::ZERO)
}

/// Cloze's escapes (`\}`, `\#`, `\~`, `\/`, `\"`, `\\`) resolved.
fn cloze_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(e @ ('}' | '#' | '~' | '/' | '"' | '\\' | '{')) => out.push(e),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn cloze_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '}' | '#' | '~' | '/' | '"' | '\\' | '{') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A cloze text's short-answer gaps, and the text with `[[n]]` in their places.
fn cloze_gaps(text: &str) -> Result<(String, Vec<Gap>), String> {
    let mut out = String::with_capacity(text.len());
    let mut gaps = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some((weight, kind, body_start)) = cloze_head(after) else {
            out.push('{');
            rest = after;
            continue;
        };
        let body = &after[body_start..];
        let mut end = None;
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '}' => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            return Err(format!(
                "the gap {{{}… is not closed with }}",
                &after[..body_start]
            ));
        };
        let case_sensitive = match kind {
            "SHORTANSWER" | "SA" | "MW" => false,
            "SHORTANSWER_C" | "SAC" | "MWC" => true,
            other => {
                return Err(format!(
                    "gap {} is a {other} gap; only short-answer gaps (SHORTANSWER, SA, MW and \
                     their _C forms) are supported",
                    gaps.len() + 1
                ));
            }
        };
        let mut answers = Vec::new();
        for raw in split_cloze(&body[..end]) {
            let (fraction, raw) = if let Some(r) = raw.strip_prefix('=') {
                (Fixed::ONE, r)
            } else if let Some(r) = raw.strip_prefix('%') {
                let Some((percent, r)) = r.split_once('%') else {
                    return Err(format!(
                        "a weight in gap {} is not closed with %",
                        gaps.len() + 1
                    ));
                };
                let Some(f) = Fixed::parse_percent(percent) else {
                    return Err(format!("the weight %{percent}% is not a percentage"));
                };
                (f, r)
            } else {
                (Fixed::ZERO, raw)
            };
            let (answer, feedback) = split_hash(raw);
            answers.push(TextAnswer {
                pattern: cloze_unescape(answer).trim().to_string(),
                fraction,
                feedback: cloze_unescape(feedback).trim().to_string(),
            });
        }
        gaps.push(Gap {
            answers,
            case_sensitive,
            weight: weight.max(1),
        });
        out.push_str(&gap_marker(gaps.len()));
        rest = &body[end + 1..];
    }
    out.push_str(rest);
    if gaps.is_empty() {
        return Err("the cloze text has no gaps".into());
    }
    Ok((out, gaps))
}

/// `1:SHORTANSWER:` → (weight, type, where the answers start).
fn cloze_head(after: &str) -> Option<(u32, &str, usize)> {
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    let rest = after[digits..].strip_prefix(':')?;
    let kind_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_uppercase() || *b == b'_')
        .count();
    if kind_len == 0 || !rest[kind_len..].starts_with(':') {
        return None;
    }
    let weight = if digits == 0 {
        1
    } else {
        after[..digits].parse().ok()?
    };
    Some((weight, &rest[..kind_len], digits + 1 + kind_len + 1))
}

/// Answers split at unescaped `~`.
fn split_cloze(body: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '~' => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    parts
}

/// An answer and its feedback, split at the first unescaped `#`.
fn split_hash(s: &str) -> (&str, &str) {
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '#' => return (&s[..i], &s[i + 1..]),
            _ => {}
        }
    }
    (s, "")
}

/// Text for an element: CDATA when it holds markup (and no `]]>`), else escaped.
fn text_xml(s: &str) -> String {
    if s.contains(['<', '>', '&']) && !s.contains("]]>") {
        format!("<![CDATA[{s}]]>")
    } else {
        quick_xml::escape::escape(s).into_owned()
    }
}

fn text_element(out: &mut String, indent: &str, tag: &str, format: Option<TextFormat>, text: &str) {
    let format = format.map_or(String::new(), |f| format!(" format=\"{}\"", f.xml_name()));
    let _ = writeln!(out, "{indent}<{tag}{format}>");
    let _ = writeln!(out, "{indent}  <text>{}</text>", text_xml(text));
    let _ = writeln!(out, "{indent}</{tag}>");
}

fn answer_element(
    out: &mut String,
    q: &Question,
    fraction: &str,
    text: &str,
    feedback: &str,
    extra: &str,
) {
    let _ = writeln!(
        out,
        "    <answer fraction=\"{fraction}\" format=\"{}\">",
        q.format.xml_name()
    );
    let _ = writeln!(out, "      <text>{}</text>", text_xml(text));
    text_element(out, "      ", "feedback", Some(q.format), feedback);
    out.push_str(extra);
    out.push_str("    </answer>\n");
}

/// Writes questions as Moodle XML, with a category entry wherever the category changes.
/// Every type of the model is written, so nothing is skipped.
pub fn export(items: &[ToExport<'_>]) -> Export {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let mut current: Option<&[String]> = None;
    for (index, item) in items.iter().enumerate() {
        if current != Some(item.category) {
            out.push_str("  <question type=\"category\">\n");
            let _ = writeln!(
                out,
                "    <category>\n      <text>{}</text>\n    </category>",
                text_xml(&category_path(item.category))
            );
            out.push_str("  </question>\n");
            current = Some(item.category);
        }
        let _ = writeln!(out, "<!-- question: {index}  -->");
        question_xml(&mut out, item.question);
    }
    out.push_str("</quiz>\n");
    Export {
        text: out,
        skipped: Vec::new(),
    }
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

fn question_xml(out: &mut String, q: &Question) {
    let kind = match &q.body {
        Body::Description => "description",
        Body::Essay(_) => "essay",
        Body::MultipleChoice(mc) if mc.scoring == MultiScoring::AllOrNothing => "multichoiceset",
        Body::MultipleChoice(_) => "multichoice",
        Body::TrueFalse(_) => "truefalse",
        Body::ShortAnswer(_) => "shortanswer",
        Body::Numerical(_) => "numerical",
        Body::Matching(_) => "matching",
        Body::Ordering(_) => "ordering",
        Body::Gaps(_) => "cloze",
    };
    let _ = writeln!(out, "  <question type=\"{kind}\">");
    text_element(out, "    ", "name", None, &q.name);
    let text = match &q.body {
        Body::Gaps(g) => cloze_text(&q.text, g),
        _ => q.text.clone(),
    };
    text_element(out, "    ", "questiontext", Some(q.format), &text);
    text_element(
        out,
        "    ",
        "generalfeedback",
        Some(q.format),
        &q.general_feedback,
    );
    let _ = writeln!(
        out,
        "    <defaultgrade>{}</defaultgrade>",
        q.default_mark.seven_places()
    );
    let _ = writeln!(out, "    <penalty>{}</penalty>", q.penalty.seven_places());
    out.push_str("    <hidden>0</hidden>\n    <idnumber></idnumber>\n");
    match &q.body {
        Body::Description | Body::Gaps(_) => {}
        Body::Essay(e) => {
            out.push_str("    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n    <responsefieldlines>15</responsefieldlines>\n    <attachments>0</attachments>\n");
            text_element(out, "    ", "graderinfo", Some(q.format), &e.grader_info);
            text_element(
                out,
                "    ",
                "responsetemplate",
                Some(q.format),
                &e.response_template,
            );
        }
        Body::MultipleChoice(mc) => {
            let _ = writeln!(out, "    <single>{}</single>", bool_text(!mc.multiple));
            let _ = writeln!(
                out,
                "    <shuffleanswers>{}</shuffleanswers>",
                bool_text(mc.shuffle)
            );
            out.push_str("    <answernumbering>abc</answernumbering>\n");
            for c in &mc.choices {
                let fraction = if mc.scoring == MultiScoring::AllOrNothing {
                    if c.fraction > Fixed::ZERO {
                        Fixed::ONE
                    } else {
                        Fixed::ZERO
                    }
                } else {
                    c.fraction
                };
                answer_element(out, q, &fraction.percent_text(), &c.text, &c.feedback, "");
            }
        }
        Body::TrueFalse(tf) => {
            let (t, f) = if tf.correct {
                ("100", "0")
            } else {
                ("0", "100")
            };
            answer_element(out, q, t, "true", &tf.feedback_true, "");
            answer_element(out, q, f, "false", &tf.feedback_false, "");
        }
        Body::ShortAnswer(sa) => {
            let _ = writeln!(
                out,
                "    <usecase>{}</usecase>",
                u8::from(sa.case_sensitive)
            );
            for a in &sa.answers {
                answer_element(
                    out,
                    q,
                    &a.fraction.percent_text(),
                    &a.pattern,
                    &a.feedback,
                    "",
                );
            }
        }
        Body::Numerical(n) => {
            for a in &n.answers {
                let value = a.value.map_or("*".to_string(), |v| v.to_string());
                let tolerance = format!("      <tolerance>{}</tolerance>\n", a.tolerance);
                answer_element(
                    out,
                    q,
                    &a.fraction.percent_text(),
                    &value,
                    &a.feedback,
                    &tolerance,
                );
            }
            if !n.units.is_empty() {
                out.push_str("    <units>\n");
                for u in &n.units {
                    let _ = writeln!(
                        out,
                        "      <unit>\n        <multiplier>{}</multiplier>\n        <unit_name>{}</unit_name>\n      </unit>",
                        u.multiplier,
                        text_xml(&u.name)
                    );
                }
                out.push_str("    </units>\n");
            }
            let (kind, penalty) = match n.unit_grading {
                UnitGrading::Optional => (0, Fixed::from_units(1_000_000)),
                UnitGrading::PenaltyOfMark(p) => (1, p),
                UnitGrading::PenaltyOfMax(p) => (2, p),
            };
            let _ = writeln!(out, "    <unitgradingtype>{kind}</unitgradingtype>");
            let _ = writeln!(
                out,
                "    <unitpenalty>{}</unitpenalty>",
                penalty.seven_places()
            );
            let show = if n.units.is_empty() { 3 } else { 0 };
            let _ = writeln!(
                out,
                "    <showunits>{show}</showunits>\n    <unitsleft>0</unitsleft>"
            );
        }
        Body::Matching(m) => {
            let _ = writeln!(
                out,
                "    <shuffleanswers>{}</shuffleanswers>",
                bool_text(m.shuffle)
            );
            for pair in &m.pairs {
                let _ = writeln!(out, "    <subquestion format=\"{}\">", q.format.xml_name());
                let _ = writeln!(out, "      <text>{}</text>", text_xml(&pair.prompt));
                let _ = writeln!(
                    out,
                    "      <answer>\n        <text>{}</text>\n      </answer>",
                    text_xml(&pair.answer)
                );
                out.push_str("    </subquestion>\n");
            }
        }
        Body::Ordering(o) => {
            let _ = writeln!(
                out,
                "    <layouttype>VERTICAL</layouttype>\n    <selecttype>ALL</selecttype>\n    <selectcount>0</selectcount>\n    <gradingtype>{}</gradingtype>\n    <showgrading>SHOW</showgrading>\n    <numberingstyle>none</numberingstyle>",
                o.grading.moodle_name()
            );
            for (i, item) in o.items.iter().enumerate() {
                let position = Fixed::from_units((i as i64 + 1) * Fixed::SCALE).seven_places();
                answer_element(out, q, &position, item, "", "");
            }
        }
    }
    out.push_str("  </question>\n");
}

/// The question text with each `[[n]]` replaced by its cloze gap.
fn cloze_text(text: &str, g: &Gaps) -> String {
    let mut out = text.to_string();
    for (i, gap) in g.gaps.iter().enumerate() {
        let kind = if gap.case_sensitive {
            "SHORTANSWER_C"
        } else {
            "SHORTANSWER"
        };
        let answers: Vec<String> = gap
            .answers
            .iter()
            .map(|a| {
                let weight = if a.fraction == Fixed::ONE {
                    "=".to_string()
                } else {
                    format!("%{}%", a.fraction.percent_text())
                };
                let feedback = if a.feedback.is_empty() {
                    String::new()
                } else {
                    format!("#{}", cloze_escape(&a.feedback))
                };
                format!("{weight}{}{feedback}", cloze_escape(&a.pattern))
            })
            .collect();
        let cloze = format!("{{{}:{kind}:{}}}", gap.weight, answers.join("~"));
        out = out.replacen(&gap_marker(i + 1), &cloze, 1);
    }
    out
}

#[cfg(test)]
mod tests;
