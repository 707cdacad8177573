//! Dumps as untrusted input (issue 14, items 10 and 12; issue 20, items 9 and 12): forged
//! files with extra SQL, changed migration checksums, memory bombs, a generated corpus of
//! malformed dumps through the reader under a memory bound, and the corruption corpus through
//! a PostgreSQL trial restore. Forgeries recompute every hash and seal, as an attacker would.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::Arc,
};

use paideia::{
    backup::{
        self, BackupError, Compression, DumpOptions, Quiet, Scratch,
        copytext::RowHasher,
        format::{self, Manifest, Trailer},
    },
    db::{Db, Engine},
    migrate::{Migrator, UpOptions},
};

use crate::{
    on_both_engines,
    support::{Backend, run},
};

// ---------------------------------------------------------------------------------------
// Forging: what an attacker who can write the backup folder does.

/// The bytes of a plain dump without its trailer line.
fn without_trailer(dump: &[u8]) -> Vec<u8> {
    let end = dump[..dump.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    dump[..end].to_vec()
}

/// Appends the trailer paideia would write for `body` (format 2 and later: the head, the
/// magic and manifest lines, hashed apart).
fn retrail(body: &[u8]) -> Vec<u8> {
    let hash = |b: &[u8]| blake3::hash(b).to_hex().to_string();
    let head_len = body
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .map_or(body.len(), |(i, _)| i + 1);
    let trailer = Trailer {
        blake3: hash(&body[head_len..]),
        head_blake3: Some(hash(&body[..head_len])),
        bytes: body.len() as u64,
    };
    let mut out = body.to_vec();
    out.extend_from_slice(
        format!("-- trailer: {}\n", serde_json::to_string(&trailer).unwrap()).as_bytes(),
    );
    out
}

/// `compressed` followed by the seal paideia appends: a zstd skippable frame with the BLAKE3
/// of every byte before it.
fn seal(compressed: &[u8]) -> Vec<u8> {
    let label = b"paideia-blake3:";
    let mut out = compressed.to_vec();
    out.extend_from_slice(&0x184D_2A5Eu32.to_le_bytes());
    out.extend_from_slice(&((label.len() + 32) as u32).to_le_bytes());
    out.extend_from_slice(label);
    out.extend_from_slice(blake3::hash(compressed).as_bytes());
    out
}

fn zst(plain: &[u8]) -> Vec<u8> {
    seal(&zstd::encode_all(plain, 1).unwrap())
}

/// Edits the lines of a plain dump (its trailer dropped) and gives it a matching trailer.
fn forge(dump: &[u8], edit: impl FnOnce(&mut Vec<Vec<u8>>)) -> Vec<u8> {
    let body = without_trailer(dump);
    let mut lines: Vec<Vec<u8>> = body
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    edit(&mut lines);
    retrail(&lines.concat())
}

fn manifest_of(dump: &[u8]) -> Manifest {
    let line = dump.split(|&b| b == b'\n').nth(1).unwrap();
    serde_json::from_slice(line.strip_prefix(b"-- manifest: ").unwrap()).unwrap()
}

/// Edits the manifest, written back in paideia's own form.
fn forge_manifest(dump: &[u8], edit: impl FnOnce(&mut Manifest)) -> Vec<u8> {
    let mut manifest = manifest_of(dump);
    edit(&mut manifest);
    // Padded to the space the writer reserves for it, as paideia writes it.
    let mut line = format!("-- manifest: {}", serde_json::to_string(&manifest).unwrap());
    if manifest.format >= 2 {
        let hash_len = RowHasher::for_format(manifest.format).finish().len();
        let head = format::reserved_head_len(&manifest, hash_len);
        let width = head - "-- paideia dump\n".len() - 1;
        while line.len() < width {
            line.push(' ');
        }
    }
    forge(dump, |lines| {
        lines[1] = format!("{line}\n").into_bytes();
    })
}

/// Recomputes the manifest's row count and hash of `table` from the rows in the file, after
/// an edit of its rows.
fn rehash_table(dump: &[u8], table: &str) -> Vec<u8> {
    let manifest = manifest_of(dump);
    let entry = manifest.table(table).unwrap().clone();
    let mut hasher = RowHasher::for_format(manifest.format);
    let mut inside = false;
    let header = format!("-- data: {table}");
    let mut lines = dump.split(|&b| b == b'\n');
    while let Some(line) = lines.next() {
        if line == header.as_bytes() {
            lines.next();
            inside = true;
        } else if inside && line == b"\\." {
            inside = false;
        } else if inside {
            hasher.add_copy_line(line, &entry.columns).unwrap();
        }
    }
    forge_manifest(dump, |m| {
        let t = m.tables.iter_mut().find(|t| t.name == table).unwrap();
        t.rows = hasher.rows();
        t.hash = hasher.finish();
    })
}

fn insert_after(lines: &mut Vec<Vec<u8>>, after: &[u8], line: &str) {
    let at = lines
        .iter()
        .position(|l| l.as_slice() == after)
        .expect("anchor line");
    lines.insert(at + 1, format!("{line}\n").into_bytes());
}

// ---------------------------------------------------------------------------------------
// Fixtures.

async fn migrated(b: &Backend) -> Db {
    let db = b.db().await;
    Migrator::embedded(&db)
        .up(UpOptions::default())
        .await
        .unwrap();
    db
}

/// A small seeded database's dump, uncompressed.
async fn plain_dump(b: &Backend, db: &Db) -> Vec<u8> {
    paideia::seed::seed(db, 1, 3, chrono::Utc::now())
        .await
        .unwrap();
    let path = b.dir.path().join("seed.sql");
    let options = DumpOptions {
        compression: Compression::None,
        jobs: 2,
    };
    backup::dump_to_file(db, &path, options, Arc::new(Quiet), true)
        .await
        .unwrap();
    std::fs::read(&path).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs a command; returns (exit code, stdout, stderr, peak RSS in KiB). The peak comes from
/// the kernel's accounting of the process (`wait4`), taken by a small trampoline process
/// (`rss_trampoline`) that starts it: Linux counts the resident pages of the process that
/// spawned a program into the program's peak, and this test binary is large. The figure is
/// an upper bound: the trampoline's own few MiB may be in it.
pub fn run_measured(cmd: &mut Command) -> (i32, String, String, u64) {
    let argv: Vec<String> = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut trampoline = Command::new(std::env::current_exe().unwrap());
    trampoline
        .args([
            "--exact",
            "dumps_untrusted::rss_trampoline",
            "--ignored",
            "--nocapture",
        ])
        .args(["--test-threads", "1", "-q"])
        .env(TRAMPOLINE, serde_json::to_string(&argv).unwrap());
    for (name, value) in cmd.get_envs() {
        match value {
            Some(value) => trampoline.env(name, value),
            None => trampoline.env_remove(name),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        trampoline.current_dir(dir);
    }
    let (_, out, err) = run(&mut trampoline);
    let report = err
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("trampoline: "))
        .unwrap_or_else(|| panic!("the trampoline did not report: {out}{err}"));
    let (code, rss) = report.split_once(' ').unwrap();
    let (code, rss) = (code.parse().unwrap(), rss.parse().unwrap());
    (code, out, err, rss)
}

const TRAMPOLINE: &str = "PAIDEIA_TEST_TRAMPOLINE_ARGV";

#[test]
#[ignore = "started by run_measured"]
fn rss_trampoline() {
    let Some(argv) = std::env::var_os(TRAMPOLINE) else {
        return;
    };
    let argv: Vec<String> = serde_json::from_str(&argv.to_string_lossy()).unwrap();
    // Reaped by `wait4` below, which also gives its peak memory (`Child::wait` does not).
    #[allow(clippy::zombie_processes)]
    let child = Command::new(&argv[0])
        .args(&argv[1..])
        .env_remove(TRAMPOLINE)
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    while unsafe { libc::wait4(pid, &mut status, 0, &mut usage) } != pid {
        assert_eq!(
            std::io::Error::last_os_error().kind(),
            std::io::ErrorKind::Interrupted
        );
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    eprintln!("trampoline: {code} {}", usage.ru_maxrss);
}

// ---------------------------------------------------------------------------------------
// Issue 14, item 10: extra SQL.

on_both_engines!(extra_sql_in_a_dump_is_refused);

/// Statements an attacker adds where `psql -f` would run them: between two blocks, in the SQL
/// before and after the data, and as a harmless-looking comment. Each forgery has matching
/// hashes and seal; every one is refused by `verify-backup --quick`, the full verification
/// and `restore`, while the genuine dump passes.
async fn extra_sql_in_a_dump_is_refused(b: Backend) {
    let db = migrated(&b).await;
    let good = plain_dump(&b, &db).await;
    db.close();
    // Where the PostgreSQL server's own user may write.
    let marker = std::env::temp_dir().join(format!("paideia-pwned-{:016x}", rand::random::<u64>()));
    let evil = format!("COPY (SELECT 1) TO PROGRAM 'touch {}';", marker.display());
    let end_of_first_block = b"\\.\n".to_vec();
    let mut forgeries: Vec<(&str, Vec<u8>)> = vec![
        (
            "between blocks",
            forge(&good, |l| insert_after(l, b"\\.\n", &evil)),
        ),
        (
            "a comment between blocks",
            forge(&good, |l| insert_after(l, b"\\.\n", "-- just a comment")),
        ),
        (
            "a changed line of data block framing",
            forge(&good, |l| {
                let at = l.iter().position(|x| *x == end_of_first_block).unwrap();
                l[at] = format!("\\.\n{evil}\n").into_bytes();
            }),
        ),
    ];
    if b.engine() == Engine::Postgres {
        forgeries.push((
            "the SQL before the data",
            forge(&good, |l| {
                insert_after(l, b"SET TimeZone = 'UTC';\n", &evil)
            }),
        ));
        forgeries.push((
            "the SQL after the data",
            forge(&good, |l| {
                let at = l.iter().position(|x| x == b"COMMIT;\n").unwrap();
                l.insert(at, format!("{evil}\n").into_bytes());
            }),
        ));
        forgeries.push((
            "a changed migration statement",
            forge(&good, |l| {
                let at = l
                    .iter()
                    .position(|x| x.starts_with(b"CREATE TABLE users"))
                    .unwrap();
                let line = String::from_utf8(l[at].clone()).unwrap();
                l[at] = format!("{evil} {line}").into_bytes();
            }),
        ));
    }
    let dir = b.dir.path();
    let (code, out, err) = run(b
        .paideia()
        .args(["verify-backup", "--quick"])
        .arg(write(dir, "good.sql", &good)));
    assert_eq!(code, 0, "the genuine dump passes: {out}{err}");
    for (place, plain) in &forgeries {
        for (name, bytes) in [
            ("forged.sql", plain.clone()),
            ("forged.sql.zst", zst(plain)),
        ] {
            let path = write(dir, name, &bytes);
            for quick in [true, false] {
                let mut cmd = b.paideia();
                cmd.arg("verify-backup").arg(&path);
                if quick {
                    cmd.arg("--quick");
                }
                let (code, out, err) = run(&mut cmd);
                assert_eq!(
                    code, 3,
                    "{place} ({name}, quick {quick}) must be refused: {out}{err}"
                );
                assert!(
                    err.contains("not what paideia writes") || err.contains("neither a data block"),
                    "{place}: {err}"
                );
                assert!(
                    err.contains("byte"),
                    "the error names the byte offset: {err}"
                );
            }
            let target = Backend::new(b.engine()).await;
            let (code, _, err) = run(target.paideia().arg("restore").arg(&path));
            assert_eq!(code, 1, "restore refuses {place} too: {err}");
        }
    }
    assert!(!marker.exists(), "nothing ran the forged SQL");

    // The attack is real: psql runs what the file holds. Verification is what stops it.
    if b.engine() == Engine::Postgres {
        let target = Backend::postgres().await;
        let forged = write(dir, "psql.sql", &forgeries[0].1);
        let status = Command::new("psql")
            .args([
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                target.url.expose(),
                "-f",
            ])
            .arg(&forged)
            .output()
            .expect("psql is installed");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        assert!(marker.exists(), "psql ran the inserted statement");
        let _ = std::fs::remove_file(&marker);
    }
}

// ---------------------------------------------------------------------------------------
// Issue 20, item 9: the quick check applies restore's rules.

/// A PostgreSQL dump whose migration checksum was changed: `restore` refuses it, and so must
/// `verify-backup --quick`, whichever engine verifies it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_migration_checksum_fails_the_quick_check_too() {
    let b = Backend::postgres().await;
    let db = migrated(&b).await;
    let good = plain_dump(&b, &db).await;
    db.close();
    let forged = forge_manifest(&good, |m| {
        m.migrations[0].checksum = "0".repeat(64);
    });
    let path = write(b.dir.path(), "checksum.sql", &forged);
    let target = Backend::postgres().await;
    let (code, _, err) = run(target.paideia().arg("restore").arg(&path));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("differs from this binary's"), "{err}");
    let sqlite = Backend::sqlite();
    for verifier in [&b, &sqlite] {
        for args in [&["verify-backup", "--quick"][..], &["verify-backup"][..]] {
            let (code, _, err) = run(verifier.paideia().args(args).arg(&path));
            assert_eq!(code, 3, "{args:?} on {}: {err}", verifier.engine());
            assert!(err.contains("differs from this binary's"), "{err}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Issue 14, item 12: memory bombs.

/// zstd frames that decompress to `copies` MiB of `byte`, concatenated: a long line in a
/// file of a few hundred KiB.
fn bomb_frames(byte: u8, copies: usize) -> Vec<u8> {
    let frame = zstd::encode_all(&vec![byte; 1 << 20][..], 19).unwrap();
    frame.repeat(copies)
}

/// The file: a valid head, then one 3 GiB line, inside a valid zstd seal; and the
/// same line as the manifest. `verify-backup --quick` and `restore` refuse each early, naming
/// the byte offset, and the process stays under a fixed memory bound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_three_gib_line_is_refused_in_bounded_memory() {
    let b = Backend::sqlite();
    let db = migrated(&b).await;
    let good = plain_dump(&b, &db).await;
    db.close();
    let head_end = good
        .iter()
        .enumerate()
        .filter(|(_, x)| **x == b'\n')
        .nth(1)
        .unwrap()
        .0
        + 1;
    let first_block = good.windows(9).position(|w| w == b"-- data: ").unwrap();
    let copy_end = first_block
        + good[first_block..]
            .iter()
            .enumerate()
            .filter(|(_, x)| **x == b'\n')
            .nth(1)
            .unwrap()
            .0
        + 1;
    let mut row_bomb = zstd::encode_all(&good[..copy_end], 1).unwrap();
    row_bomb.extend(bomb_frames(b'7', 3072));
    let mut manifest_bomb = zstd::encode_all(&b"-- paideia dump\n-- manifest: {"[..], 1).unwrap();
    manifest_bomb.extend(bomb_frames(b' ', 3072));
    let mut sql_bomb = zstd::encode_all(&good[..head_end], 1).unwrap();
    sql_bomb.extend(bomb_frames(b'-', 3072));
    let mut peak = 0;
    for (name, compressed) in [
        ("row", row_bomb),
        ("manifest", manifest_bomb),
        ("sql", sql_bomb),
    ] {
        let path = write(
            b.dir.path(),
            &format!("{name}-bomb.sql.zst"),
            &seal(&compressed),
        );
        assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20);
        let target = Backend::sqlite();
        for args in [&["verify-backup", "--quick"][..], &["restore"][..]] {
            let started = std::time::Instant::now();
            let (code, out, err, rss) = run_measured(target.paideia().args(args).arg(&path));
            peak = peak.max(rss);
            assert_ne!(code, 0, "{name} {args:?}: {out}{err}");
            assert!(
                err.contains("longer than") && err.contains("byte"),
                "{name} {args:?}: {err}"
            );
            assert!(rss < 128 << 10, "{name} {args:?} took {} MiB", rss >> 10);
            assert!(started.elapsed().as_secs() < 20, "refused early");
        }
    }
    eprintln!("bombs: peak RSS {} MiB", peak >> 10);
}

/// Malformed dumps generated from four genuine ones (both engines, plain and compressed),
/// run through the library's reader in a child process whose peak memory the kernel reports:
/// each must be refused with a clean, one-line error; none may panic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corpus_of_malformed_dumps_is_refused_cleanly_in_bounded_memory() {
    let exe = std::env::current_exe().unwrap();
    let (code, out, err, rss) = run_measured(
        Command::new(exe)
            .args([
                "--exact",
                "dumps_untrusted::corpus_worker",
                "--ignored",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env("PAIDEIA_CORPUS_WORKER", "1")
            // glibc gives each thread an arena of its own and keeps what was freed in it;
            // two arenas make the peak measure live memory, not the arenas' leftovers.
            .env("MALLOC_ARENA_MAX", "2"),
    );
    assert_eq!(code, 0, "{out}{err}");
    let summary = out
        .lines()
        .chain(err.lines())
        .find_map(|l| l.split_once("corpus: ").map(|(_, s)| s))
        .unwrap_or_else(|| panic!("no summary: {out}{err}"));
    eprintln!(
        "{summary}; peak RSS of the reading process {} MiB",
        rss >> 10
    );
    assert!(rss < 256 << 10, "peak RSS {} MiB", rss >> 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by a_corpus_of_malformed_dumps_is_refused_cleanly_in_bounded_memory"]
async fn corpus_worker() {
    if std::env::var_os("PAIDEIA_CORPUS_WORKER").is_none() {
        return;
    }
    let started = std::time::Instant::now();
    let mut seeds = Vec::new();
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let b = Backend::new(engine).await;
        let db = migrated(&b).await;
        seeds.push(plain_dump(&b, &db).await);
        db.close();
    }
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut cases = 0;
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for round in 0..1000 {
        let seed = &seeds[round % seeds.len()];
        let (kind, plain) = mutate(seed, &mut rng, round);
        let variants = if plain.len() < 4 << 20 {
            vec![plain.clone(), zst(&plain)]
        } else {
            vec![plain]
        };
        for bytes in variants {
            let path = dir.path().join("case");
            std::fs::write(&path, &bytes).unwrap();
            let result = backup::verify(&path, None).await;
            let err = match result {
                Err(e) => e,
                Ok(_) => panic!("round {round} ({kind}) was accepted"),
            };
            let message = err.to_string();
            assert!(
                !message.contains("stopped") && !message.contains('\n') && message.len() < 1000,
                "round {round} ({kind}): {message}"
            );
            assert!(
                matches!(
                    err,
                    BackupError::Corrupt { .. }
                        | BackupError::TooNew { .. }
                        | BackupError::Refused(_)
                        | BackupError::SqlUnchecked { .. }
                ),
                "round {round} ({kind}): {err:?}"
            );
            cases += 1;
            *kinds.entry(kind.to_string()).or_default() += 1;
        }
    }
    println!(
        "corpus: {cases} malformed dumps refused in {:.1} s ({kinds:?})",
        started.elapsed().as_secs_f64()
    );
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One malformed dump from `seed`: a kind name and the plain bytes (compressed by the caller
/// too). Most forgeries carry a matching trailer, so they reach the deeper checks.
fn mutate(seed: &[u8], rng: &mut Rng, round: usize) -> (&'static str, Vec<u8>) {
    let lines: Vec<&[u8]> = seed.split_inclusive(|&b| b == b'\n').collect();
    let body = &lines[..lines.len() - 1];
    let pick = rng.below(body.len() - 2) + 2;
    match round % 16 {
        0 => ("truncated", seed[..rng.below(seed.len())].to_vec()),
        1 => {
            let mut bytes = seed.to_vec();
            let at = rng.below(bytes.len());
            bytes[at] ^= 1 + rng.below(255) as u8;
            ("flipped byte", bytes)
        }
        2 => {
            // After the head (a changed date in the manifest is a valid, unsigned dump).
            let head = lines[0].len() + lines[1].len();
            let mut bytes = body.concat();
            let at = head + rng.below(bytes.len() - head);
            bytes[at] ^= 1 + rng.below(255) as u8;
            ("flipped byte, trailer recomputed", retrail(&bytes))
        }
        3 => {
            let mut out = body.to_vec();
            let long = vec![b'a' + rng.below(26) as u8; 1 + rng.below(64 << 10)];
            out.insert(pick, &long);
            ("long line without newline", retrail(&out.concat()))
        }
        4 => {
            let mut out: Vec<Vec<u8>> = body.iter().map(|l| l.to_vec()).collect();
            // Just over a bound: the row bound now and then, else the one of other lines.
            let len = if round % 160 == 4 {
                (16 << 20) + 1 + rng.below(1000)
            } else {
                (1 << 20) + 1 + rng.below(64 << 10)
            };
            let mut long = vec![b'x'; len];
            long.push(b'\n');
            out.insert(pick, long);
            ("line over a bound", retrail(&out.concat()))
        }
        5 => {
            let mut out = body.to_vec();
            out.remove(pick);
            ("line removed", retrail(&out.concat()))
        }
        6 => {
            let mut out = body.to_vec();
            out.insert(pick, body[rng.below(body.len())]);
            ("line duplicated", retrail(&out.concat()))
        }
        7 => {
            // (Rows of one table swapped are the same dump: row order is free.)
            let mut out = body.to_vec();
            out.swap(pick, rng.below(2));
            ("head line swapped", retrail(&out.concat()))
        }
        8 => {
            let table = rng.below(10);
            let rows = [u64::MAX, 0, 1 << 40, rng.next()][rng.below(4)];
            let forged = forge_manifest(seed, |m| {
                let n = m.tables.len();
                let t = &mut m.tables[table % n];
                t.rows = if rows == t.rows {
                    rows.wrapping_add(1)
                } else {
                    rows
                };
            });
            ("bogus row count", forged)
        }
        9 => {
            let forged = forge_manifest(seed, |m| {
                let t = m.tables[0].clone();
                for i in 0..1 + rng.below(300) {
                    let mut extra = t.clone();
                    extra.name = format!("t{i}");
                    extra.rows += 1;
                    m.tables.push(extra);
                }
                m.format =
                    [0, 1, 2, 4, u32::MAX][rng.below(5)].max(m.format * (rng.below(2) as u32));
            });
            ("bogus tables or format", forged)
        }
        10 => {
            let mut bytes = zstd::encode_all(seed, 1).unwrap();
            let at = 4 + rng.below(bytes.len() - 4);
            bytes[at] ^= 1 + rng.below(255) as u8;
            ("bad zstd frame, sealed", seal(&bytes))
        }
        11 => {
            // A frame header asking for a 2 GiB window, then garbage.
            let mut bytes = vec![0x28, 0xB5, 0x2F, 0xFD, 0x00, 0xF8];
            bytes.extend((0..rng.below(4096)).map(|_| rng.next() as u8));
            ("huge zstd window", seal(&bytes))
        }
        12 => {
            // A compressed dump compressed again, and zeros that inflate a thousandfold.
            let nested = zstd::encode_all(&zst(seed)[..], 1).unwrap();
            let zeros = zstd::encode_all(&vec![0u8; 2 << 20][..], 3).unwrap();
            let which = if rng.below(2) == 0 { nested } else { zeros };
            ("nested or zero bomb", seal(&which))
        }
        13 => {
            let mut out = body.to_vec();
            let evil = b"COPY (SELECT 1) TO PROGRAM 'true';\n";
            out.insert(pick, evil);
            ("extra statement", retrail(&out.concat()))
        }
        14 => {
            let mut bytes = retrail(&body.concat());
            bytes.extend_from_slice(&seed[..rng.below(200)]);
            bytes.push(b'\n');
            ("bytes after the trailer", bytes)
        }
        _ => {
            let garbage: Vec<u8> = (0..rng.below(100_000)).map(|_| rng.next() as u8).collect();
            ("random bytes", garbage)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Issue 20, item 12: the corruption corpus through a PostgreSQL trial restore.

/// Forgeries whose every hash matches, so only a trial restore can catch them: duplicate
/// keys, a dangling foreign key, a NULL where the schema forbids one, a duplicate unique
/// email. With random byte damage, each goes through `verify` with a PostgreSQL scratch
/// database (and the SQLite one, for comparison); every one is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_corruption_corpus_fails_a_postgres_trial_restore() {
    let b = Backend::postgres().await;
    let db = migrated(&b).await;
    let good = plain_dump(&b, &db).await;
    db.close();
    let user_row = |dump: &[u8]| {
        let lines: Vec<&[u8]> = dump.split(|&x| x == b'\n').collect();
        let at = lines.iter().position(|l| *l == b"-- data: users").unwrap() + 2;
        String::from_utf8(lines[at].to_vec()).unwrap()
    };
    let row = user_row(&good);
    let semantic: Vec<(&str, Vec<u8>)> = vec![
        ("duplicate primary key", {
            let copy = row.clone();
            rehash_table(
                &forge(&good, |l| {
                    insert_after(l, format!("{row}\n").as_bytes(), &copy)
                }),
                "users",
            )
        }),
        ("duplicate unique email", {
            let mut fields: Vec<&str> = row.split('\t').collect();
            fields[0] = "999999";
            let twin = fields.join("\t");
            rehash_table(
                &forge(&good, |l| {
                    insert_after(l, format!("{row}\n").as_bytes(), &twin)
                }),
                "users",
            )
        }),
        ("NULL in a NOT NULL column", {
            let mut fields: Vec<&str> = row.split('\t').collect();
            fields[1] = "\\N";
            let broken = fields.join("\t");
            rehash_table(
                &forge(&good, |l| {
                    let at = l
                        .iter()
                        .position(|x| *x == format!("{row}\n").into_bytes())
                        .unwrap();
                    l[at] = format!("{broken}\n").into_bytes();
                }),
                "users",
            )
        }),
        ("dangling foreign key", {
            let mut fields: Vec<&str> = row.split('\t').collect();
            fields[0] = "424242";
            let moved = fields.join("\t");
            rehash_table(
                &forge(&good, |l| {
                    let at = l
                        .iter()
                        .position(|x| *x == format!("{row}\n").into_bytes())
                        .unwrap();
                    l[at] = format!("{moved}\n").into_bytes();
                }),
                "users",
            )
        }),
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut corpus: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, plain) in &semantic {
        corpus.push((name.to_string(), plain.clone()));
        corpus.push((format!("{name} (zstd)"), zst(plain)));
    }
    for round in 0..24 {
        let (kind, plain) = mutate(&good, &mut rng, round);
        corpus.push((format!("{kind} #{round}"), plain));
    }
    let scratch_sqlite = tempfile::tempdir().unwrap();
    let mut refused_by_trial = 0;
    for (name, bytes) in &corpus {
        let path = write(b.dir.path(), "corrupt.sql", bytes);
        let pg = backup::verify(&path, Some(Scratch::Postgres(b.url.clone()))).await;
        let lite = backup::verify(
            &path,
            Some(Scratch::Sqlite(scratch_sqlite.path().to_path_buf())),
        )
        .await;
        let pg_err = pg
            .err()
            .unwrap_or_else(|| panic!("{name}: the PostgreSQL trial restore passed it"));
        assert!(lite.is_err(), "{name}: the SQLite trial restore passed it");
        if backup::verify(&path, None).await.is_ok() {
            refused_by_trial += 1;
            assert!(
                matches!(
                    pg_err,
                    BackupError::TrialRestore(_) | BackupError::Table { .. }
                ),
                "{name}: {pg_err:?}"
            );
        }
    }
    assert_eq!(
        refused_by_trial,
        2 * semantic.len(),
        "only the trial restore catches those"
    );
    eprintln!(
        "PostgreSQL scratch: {} corrupt dumps refused, {refused_by_trial} of them only by the trial restore",
        corpus.len()
    );
}
