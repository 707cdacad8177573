//! The command line as an admin meets it: version, help, exit codes, settings precedence and
//! one-line errors with hints.

use std::os::unix::fs::PermissionsExt;

use paideia::{db::Engine, migrate::MigrationSet};

use crate::support::{paideia, run};

#[test]
fn version_reports_build_and_schema() {
    let (code, out, _) = run(paideia().arg("--version"));
    assert_eq!(code, 0);
    assert!(
        out.starts_with(&format!("paideia {} (", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
    let (code, out, _) = run(paideia().args(["--version", "--json"]));
    assert_eq!(code, 0);
    let info: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        info["schema_version"],
        MigrationSet::embedded(Engine::Sqlite).schema_version()
    );
    assert!(info["target"].as_str().unwrap().contains("linux"));
    assert!(!info["commit"].as_str().unwrap().is_empty());
    assert_eq!(
        info["extra_trusted_key"], false,
        "the test build trusts only the compiled-in release keys"
    );
}

#[test]
fn help_shows_the_whole_tree() {
    let (code, out, _) = run(paideia().arg("--help"));
    assert_eq!(code, 0);
    for command in [
        "serve",
        "migrate",
        "dump",
        "restore",
        "verify-backup",
        "backup",
        "upgrade",
        "user",
        "doctor",
        "seed",
        "completions",
    ] {
        assert!(
            out.contains(&format!("  {command} ")),
            "missing {command}:\n{out}"
        );
    }
    let (code, _, err) = run(&mut paideia());
    assert_eq!(code, 2, "no command is a usage error: {err}");
    let (code, _, _) = run(paideia().arg("--no-such-flag"));
    assert_eq!(code, 2);
}

#[test]
fn settings_precedence_file_then_env_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    let (from_file, from_env, from_flag) = (
        dir.path().join("file"),
        dir.path().join("env"),
        dir.path().join("flag"),
    );
    let config = dir.path().join("paideia.toml");
    std::fs::write(
        &config,
        format!("version = 1\ndata_dir = {:?}\n", from_file),
    )
    .unwrap();
    let migrate = |env: bool, flag: bool| {
        let mut cmd = paideia();
        cmd.env("PAIDEIA_CONFIG", &config);
        if env {
            cmd.env("PAIDEIA_DATA_DIR", &from_env);
        }
        if flag {
            cmd.arg("--data-dir").arg(&from_flag);
        }
        let (code, _, err) = run(cmd.args(["migrate", "up"]));
        assert_eq!(code, 0, "{err}");
    };
    migrate(false, false);
    assert!(from_file.join("paideia.db").exists());
    migrate(true, false);
    assert!(from_env.join("paideia.db").exists());
    migrate(true, true);
    assert!(from_flag.join("paideia.db").exists());
    let mode = std::fs::metadata(&from_flag).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "the data directory is private");
    let mode = std::fs::metadata(from_flag.join("paideia.db"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "the database file is private");
}

#[test]
fn bad_settings_fail_in_one_line_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("paideia.toml");
    std::fs::write(&config, "version = 1\n[database]\nurll = \"x\"\n").unwrap();
    let (code, _, err) = run(paideia()
        .arg("--config")
        .arg(&config)
        .args(["migrate", "status"]));
    assert_eq!(code, 1);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains("urll"),
        "{err}"
    );
    assert!(lines[1].starts_with("hint: "), "{err}");

    let (code, _, err) = run(paideia().args([
        "--database-url",
        "mysql://root:pw@db/lms",
        "migrate",
        "status",
    ]));
    assert_eq!(code, 1);
    assert!(
        err.contains("scheme `mysql`")
            && err.contains("hint: use postgres://")
            && !err.contains(":pw@"),
        "{err}"
    );

    let (code, _, err) = run(paideia()
        .env("DATABASE_URL", "sqlite:///nonexistent/dir/x.db")
        .args(["migrate", "status"]));
    assert_eq!(code, 1, "Paideia LMS's DATABASE_URL is honoured");
    assert!(
        err.contains("no database at /nonexistent/dir/x.db"),
        "{err}"
    );
}

#[test]
fn docs_list_every_environment_variable() {
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).unwrap();
    for (name, _) in paideia::envvars::ALL {
        assert!(
            docs.contains(&format!("`{name}`")),
            "docs/cli.md does not document {name}"
        );
    }
    let documented: Vec<&str> = docs
        .split('`')
        .filter(|w| {
            w.starts_with("PAIDEIA_")
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .map(|w| w.trim_end_matches("_FILE"))
        .collect();
    for name in documented {
        assert!(
            paideia::envvars::ALL.iter().any(|(n, _)| *n == name),
            "docs/cli.md documents {name}, which the code does not read"
        );
    }
}

#[test]
fn completions_and_man_pages_in_the_repository_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let stale = "stale: run scripts/regenerate-docs.sh and commit the result";
    for (shell, file) in paideia::docgen::COMPLETION_FILES {
        let kept = std::fs::read(root.join("completions").join(file)).unwrap_or_default();
        assert!(
            kept == paideia::docgen::completions(*shell),
            "completions/{file} is {stale}"
        );
    }
    let pages = paideia::docgen::man_pages().unwrap();
    let kept = std::fs::read_dir(root.join("man"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(kept, pages.len(), "man/ is {stale}");
    for (name, page) in pages {
        assert!(
            std::fs::read(root.join("man").join(&name)).unwrap_or_default() == page,
            "man/{name} is {stale}"
        );
    }
}

#[test]
fn service_units_are_hardened_and_use_this_install() {
    let (code, out, _) = run(paideia().args([
        "--data-dir",
        "/var/lib/paideia",
        "service",
        "print",
        "--binary",
        "/usr/local/bin/paideia",
    ]));
    assert_eq!(code, 0);
    for line in [
        "ExecStart=/usr/local/bin/paideia serve",
        "User=paideia",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/paideia",
        "StateDirectory=paideia",
        "Restart=on-failure",
        "TimeoutStopSec=45",
        "LimitNOFILE=65536",
        "UMask=0077",
    ] {
        assert!(out.lines().any(|l| l == line), "missing `{line}`:\n{out}");
    }
    // The socket unit the server requires comes with it.
    assert!(
        out.contains("# /etc/systemd/system/paideia.socket") && out.contains("ListenStream="),
        "{out}"
    );
    // No data directory chosen: the packaged layout, said on stderr with the user to create.
    let (code, out, err) = run(paideia()
        .current_dir(std::env::temp_dir())
        .env_remove("PAIDEIA_DATA_DIR")
        .args(["service", "print", "--unit", "server"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("WorkingDirectory=/var/lib/paideia\n") && !out.contains("paideia-data"),
        "{out}"
    );
    assert!(
        !out.contains("paideia.socket\n[Unit]"),
        "one unit asked for: {out}"
    );
    assert!(
        err.contains("data directory: /var/lib/paideia (the packaged layout")
            && err.contains("useradd --system"),
        "{err}"
    );
    let (_, timer, _) = run(paideia().args(["service", "print", "--unit", "backup-timer"]));
    assert!(
        timer.contains("OnCalendar=") && timer.contains("Persistent=true"),
        "{timer}"
    );
    let (_, backup, _) = run(paideia().args([
        "--data-dir",
        "/srv/paideia",
        "service",
        "print",
        "--unit",
        "backup-service",
    ]));
    assert!(
        backup.contains("WorkingDirectory=/srv/paideia")
            && backup.contains("Type=oneshot")
            && backup.contains(" backup run --quiet"),
        "{backup}"
    );
    assert!(
        !backup.contains("StateDirectory="),
        "only /var/lib paths are systemd state directories"
    );
}

#[test]
fn every_exit_code_is_documented() {
    use paideia::exit::ExitStatus::*;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for doc in ["README.md", "docs/cli.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        for status in [
            Success,
            Failure,
            Usage,
            CheckFailed,
            Unavailable,
            Warnings,
            UpdateAvailable,
            CouldNotCheck,
        ] {
            let row = format!("| {} |", status as u8);
            assert!(
                text.contains(&row),
                "{doc} does not document exit code {}",
                status as u8
            );
        }
    }
}

/// Every command says whether it reads, changes or destroys data, and shows an example.
#[test]
fn help_marks_each_command_and_gives_an_example() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: String, out: &mut Vec<(String, String, String)>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = format!("{path} {}", sub.get_name()).trim().to_string();
            let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
            let after = sub
                .get_after_help()
                .map(|a| a.to_string())
                .unwrap_or_default();
            out.push((name.clone(), about, after));
            walk(sub, name, out);
        }
    }
    let mut commands = Vec::new();
    walk(&paideia::cli::Cli::command(), String::new(), &mut commands);
    for (name, about, after) in commands {
        assert!(
            [
                "[read-only",
                "[changes data",
                "[destructive",
                "[changes the binary"
            ]
            .iter()
            .any(|m| about.contains(m)),
            "`paideia {name}` does not say what it changes: {about}"
        );
        assert!(
            after.contains("Example") || after.contains("paideia "),
            "`paideia {name}` has no example"
        );
    }
}

/// CHANGELOG.md's released sections use the guide's headings and fit their version bumps
/// (`paideia::changelog`): CI refuses, say, a breaking change in a patch release.
#[test]
fn the_changelog_s_released_sections_fit_their_versions() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap();
    let problems = paideia::changelog::check(&text);
    assert!(problems.is_empty(), "CHANGELOG.md: {problems:#?}");
}

/// Deprecated things leave the registry only in the release that removes them: every entry
/// the registry ever had is listed in tests/fixtures/deprecations.txt, and one missing from the
/// registry before this version reaches its removal version fails here.
#[test]
fn deprecations_are_removed_only_by_their_major() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = std::fs::read_to_string(root.join("tests/fixtures/deprecations.txt")).unwrap();
    let running = semver::Version::parse(paideia::version::VERSION).unwrap();
    let registry = paideia::deprecations::ALL;
    let mut names = Vec::new();
    for line in listed
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [_, name, since, removed_in] = fields[..] else {
            panic!("bad line in deprecations.txt: {line}")
        };
        names.push(name);
        let removal = semver::Version::parse(removed_in).unwrap();
        match registry.iter().find(|d| d.name == name) {
            Some(d) => assert_eq!(
                (d.since, d.removed_in),
                (since, removed_in),
                "{name}: the registry and deprecations.txt disagree"
            ),
            None => assert!(
                running >= removal,
                "{name} left the registry in {running}, before {removed_in}, the release that removes it"
            ),
        }
    }
    for d in registry {
        assert!(
            names.contains(&d.name),
            "{} is in the registry but not in tests/fixtures/deprecations.txt",
            d.name
        );
    }
}
