//! docs/upgrading.md runs as written: every ```sh block, in order, in one shell, against a
//! scratch install of an older build (the upgrade tests' fixture binary) whose release
//! server is a local mirror. The doc's own variables point it there: `PAIDEIA_DATA_DIR` at a
//! temporary folder, `PAIDEIA_RELEASES_URL` at the mirror. Afterwards the install has been
//! dumped, upgraded, rolled back and restored, as the doc says.

use std::{
    path::Path,
    process::{Command, Stdio},
};

use paideia::{envvars, version::VERSION};

use crate::support::{
    output,
    releases::{self, Damage, Faults, new_binary, old_binary, old_version},
};

/// The ```sh blocks of a Markdown text, in order (indented ones inside list items too).
fn sh_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut current {
            None if trimmed == "```sh" => current = Some((indent, String::new())),
            Some(_) if trimmed == "```" => blocks.push(current.take().unwrap().1),
            Some((indent, text)) => {
                text.push_str(line.get(*indent..).unwrap_or(line.trim_start()));
                text.push('\n');
            }
            None => {}
        }
    }
    assert!(current.is_none(), "an unclosed ```sh block");
    blocks
}

#[test]
fn sh_blocks_are_found_in_list_items_too() {
    let text = "a\n```sh\none\n```\n1. x\n\n   ```sh\n   two\n   three\n   ```\n```toml\nno\n```\n";
    assert_eq!(sh_blocks(text), ["one\n", "two\nthree\n"]);
}

/// The scratch install's binary on a PATH of its own, with no paideia settings of the caller.
fn shell(bin: &Path, work: &Path) -> Command {
    let mut cmd = Command::new("sh");
    for (name, _) in envvars::ALL {
        cmd.env_remove(name)
            .env_remove(format!("{name}{}", envvars::FILE_SUFFIX));
    }
    for name in ["GH_TOKEN", "GITHUB_TOKEN", "RUST_LOG"] {
        cmd.env_remove(name);
    }
    let path = std::env::var("PATH").unwrap_or_default();
    cmd.env("PATH", format!("{}:{path}", bin.display()))
        .current_dir(work)
        .stdin(Stdio::null());
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docs_upgrading_md_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/upgrading.md")).unwrap();
    let blocks = sh_blocks(&doc);
    assert!(blocks.len() >= 8, "{blocks:?}");
    let script = blocks.concat();
    for needed in [
        "paideia dump",
        "verify-backup",
        "upgrade --check",
        "upgrade --yes",
        "upgrade --rollback",
        "paideia restore",
    ] {
        assert!(script.contains(needed), "docs/upgrading.md lost `{needed}`");
    }

    // A scratch install of the older build, with a few rows to dump.
    let scratch = tempfile::tempdir().unwrap();
    let (bin, data, work) = (
        scratch.path().join("bin"),
        scratch.path().join("data"),
        scratch.path().join("work"),
    );
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    std::fs::copy(old_binary(), bin.join("paideia")).unwrap();
    let setup = "paideia migrate up && printf 'correct horse battery\\n' | paideia user create --email admin@school.example --name Admin --role admin --password-stdin";
    let out = output(
        shell(&bin, &work)
            .env(envvars::DATA_DIR, &data)
            .args(["-e", "-c", setup]),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let notes = "### New features\n- the week\n### Migration notes\n- nothing to do\n";
    let mirror = releases::serve(
        vec![releases::release(
            &format!("v{VERSION}"),
            new_binary(),
            notes,
            Damage::None,
        )],
        Faults::default(),
    )
    .await;

    let started = std::time::Instant::now();
    let out = tokio::task::spawn_blocking({
        let mut cmd = shell(&bin, &work);
        cmd.env(envvars::DATA_DIR, &data)
            .env(envvars::RELEASES_URL, mirror.url())
            .args(["-e", "-u", "-x", "-c", &script]);
        move || output(&mut cmd)
    })
    .await
    .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success(),
        "docs/upgrading.md failed ({:?}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    eprintln!("docs/upgrading.md ran in {:.1?}", started.elapsed());

    // It did what it says: the check saw the update, the upgrade and the rollback happened,
    // the old binary is back, the dump exists and was restored.
    assert!(
        stdout.contains(&format!("{} -> {VERSION}", old_version())),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(bin.join("paideia")).unwrap(),
        std::fs::read(old_binary()).unwrap(),
        "the rollback put the old binary back"
    );
    assert_eq!(
        std::fs::read(bin.join("paideia.previous")).unwrap(),
        new_binary()
    );
    let today = chrono::Local::now().format("%Y%m%d");
    assert!(work.join(format!("backup-{today}.sql")).exists());
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("restored ") && l.contains("paideia-pre-upgrade-")),
        "the pre-upgrade dump was restored: {stderr}"
    );
    assert!(
        stdout.contains(&format!("upgrade  {}", old_version())),
        "the history lists the upgrade: {stdout}"
    );
    assert!(stderr.contains("no restore needed"), "{stderr}");
}
