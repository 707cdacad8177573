//! Fuzz-style tests: thousands of deterministic mutations of the sample files (bytes and
//! lines deleted, duplicated, swapped, special characters and invalid UTF-8 inserted). Each
//! must import without panicking, name only lines that exist, give only valid questions,
//! mark any response without panicking, and export what it read to a file that imports again.

use super::marking::{Response, mark};
use super::questions::{Body, Limits};
use super::{Import, ToExport, gift, moodle_xml};

const GIFT: &[u8] = include_bytes!("../../../tests/fixtures/quizzes/biology.gift");
const XML: &[u8] = include_bytes!("../../../tests/fixtures/quizzes/moodle-export.xml");

const CASES: u64 = 2_500;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const PIECES: &[&[u8]] = &[
    b"{",
    b"}",
    b"~",
    b"=",
    b"#",
    b"####",
    b"::",
    b"\\",
    b"->",
    b"%",
    b"%50%",
    b"%-",
    b"..",
    b":",
    b"\n",
    b"\n\n",
    b"//",
    b"$CATEGORY:",
    b"[html]",
    b"T",
    b"#1..",
    b"_____",
    b"<",
    b">",
    b"</",
    b"/>",
    b"<![CDATA[",
    b"]]>",
    b"&",
    b"&amp;",
    b"&#",
    b"&#x110000;",
    b"&nbsp;",
    b"\"",
    b"<question type=\"cloze\">",
    b"{1:SA:",
    b"{2:SHORTANSWER_C:=",
    b"<answer fraction=\"",
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
    b"\0",
    b"\r",
    b"\xef\xbb\xbf",
    "ß".as_bytes(),
    "ẞ".as_bytes(),
    b"1e99999",
    b"-",
    b"9999999999999999999999999999999999",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        let at = rng.below(len + 1);
        match rng.below(6) {
            0 => {
                let piece = PIECES[rng.below(PIECES.len())];
                data.splice(at..at, piece.iter().copied());
            }
            1 => {
                let end = (at + 1 + rng.below(40)).min(len);
                data.drain(at.min(end)..end);
            }
            2 => {
                let end = (at + rng.below(200)).min(len);
                let copy = data[at.min(end)..end].to_vec();
                let to = rng.below(data.len() + 1);
                data.splice(to..to, copy);
            }
            3 => {
                if at < len {
                    data[at] = rng.next() as u8;
                }
            }
            4 => {
                let mut lines: Vec<Vec<u8>> =
                    data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
                let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                lines.swap(a, b);
                data = lines.join(&b'\n');
            }
            _ => data.truncate(at),
        }
    }
    data
}

fn responses(body: &Body) -> Vec<Response> {
    let mut out = vec![
        Response::Blank,
        Response::Text("3.14 cm".into()),
        Response::Text("ẞ*".into()),
        Response::Choices(vec![0, 1, 99]),
        Response::Bool(true),
        Response::Matches(vec![Some(0), None, Some(99)]),
        Response::Order(vec![1, 0]),
        Response::Gaps(vec!["a".into(), "CO2".into()]),
    ];
    match body {
        Body::MultipleChoice(mc) => out.push(Response::Choices((0..mc.choices.len()).collect())),
        Body::Matching(m) => out.push(Response::Matches(m.prompts().map(|_| Some(0)).collect())),
        Body::Ordering(o) => out.push(Response::Order((0..o.items.len()).rev().collect())),
        Body::Gaps(g) => out.push(Response::Gaps(vec!["x".into(); g.gaps.len()])),
        _ => {}
    }
    out
}

fn check(
    name: &str,
    case: u64,
    input: &[u8],
    import: &Import,
    reimport: &dyn Fn(&[u8]) -> Import,
    export: &dyn Fn(&[ToExport<'_>]) -> String,
) {
    // Lines as the importers count them: `\r\n`, `\r` and `\n` each end one.
    let lines = 1 + input
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && input.get(i + 1) != Some(&b'\n')))
        .count();
    for p in &import.problems {
        assert!(
            p.line <= lines,
            "{name} case {case}: line {} of {lines}: {}",
            p.line,
            p.message
        );
        assert!(!p.message.is_empty());
    }
    for q in &import.questions {
        assert!((1..=lines).contains(&q.line), "{name} case {case}");
        assert_eq!(q.question.problems(&Limits::DEFAULT), Vec::<String>::new());
        for r in responses(&q.question.body) {
            let outcome = mark(&q.question, &r);
            if let Some(f) = outcome.fraction {
                assert!((super::Fixed::ZERO..=super::Fixed::ONE).contains(&f));
            }
        }
    }
    let items: Vec<ToExport> = import
        .questions
        .iter()
        .map(|i| ToExport {
            category: &i.category,
            question: &i.question,
        })
        .collect();
    let text = export(&items);
    let again = reimport(text.as_bytes());
    assert_eq!(
        again.problems,
        [],
        "{name} case {case}: the export of what was read does not import:\n{text}"
    );
}

#[test]
fn mutated_gift_files_never_panic() {
    let mut rng = Rng(0x6_1F7);
    let limits = Limits::DEFAULT;
    let mut imported = 0;
    for case in 0..CASES {
        let input = mutate(&mut rng, GIFT);
        let import = gift::import(&input, &limits);
        imported += import.questions.len();
        check(
            "gift",
            case,
            &input,
            &import,
            &|b| gift::import(b, &limits),
            &|items| {
                let e = gift::export(items);
                assert_eq!(e.skipped, []);
                e.text
            },
        );
    }
    // Most mutations leave most questions readable: the check above ran on them.
    assert!(imported > CASES as usize * 10, "{imported}");
}

#[test]
fn mutated_moodle_xml_files_never_panic() {
    let mut rng = Rng(0x0_0D1E);
    let limits = Limits::DEFAULT;
    let mut imported = 0;
    for case in 0..CASES {
        let input = mutate(&mut rng, XML);
        let import = moodle_xml::import(&input, &limits);
        imported += import.questions.len();
        check(
            "xml",
            case,
            &input,
            &import,
            &|b| moodle_xml::import(b, &limits),
            &|items| moodle_xml::export(items).text,
        );
    }
    // Many mutations break the XML itself (then nothing is read, by design).
    assert!(imported > CASES as usize / 2, "{imported}");
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(7);
    for _ in 0..2_000 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let piece = PIECES[rng.below(PIECES.len())];
                piece[rng.below(piece.len())]
            })
            .collect();
        let _ = gift::import(&bytes, &Limits::DEFAULT);
        let _ = moodle_xml::import(&bytes, &Limits::DEFAULT);
    }
}

/// A bank at the question limit imports in bounded time; prints the figures
/// (`cargo test --lib quizzes::fuzz::large -- --nocapture`).
#[test]
fn large_banks_import_in_bounded_time() {
    let limits = Limits::DEFAULT;
    let mut questions = super::samples::all();
    questions.extend(super::samples::tricky());
    let category = vec!["Big".to_string()];
    let items: Vec<ToExport> = (0..limits.max_questions)
        .map(|i| ToExport {
            category: &category,
            question: &questions[i % questions.len()],
        })
        .collect();
    for (name, text, import) in [
        (
            "gift",
            gift::export(&items).text,
            gift::import as fn(&[u8], &Limits) -> Import,
        ),
        (
            "moodle xml",
            moodle_xml::export(&items).text,
            moodle_xml::import,
        ),
    ] {
        let started = std::time::Instant::now();
        let read = import(text.as_bytes(), &limits);
        let took = started.elapsed();
        assert_eq!(read.problems, []);
        assert!(read.questions.len() > limits.max_questions / 2);
        eprintln!(
            "{name}: {} questions, {} KiB, imported in {} ms",
            read.questions.len(),
            text.len() / 1024,
            took.as_millis()
        );
    }
}
