//! Build script: embeds the SQL migrations and stamps build metadata (version, git commit, target).
//!
//! Migrations are embedded with `include_str!` from a generated file, so editing, adding or removing
//! a migration file rebuilds the binary.

use std::{env, fs, path::Path, process::Command};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-env-changed=PAIDEIA_BUILD_VERSION");
    println!("cargo:rerun-if-env-changed=PAIDEIA_EXTRA_TRUSTED_KEY");
    println!("cargo:rerun-if-env-changed=PAIDEIA_EXTRA_MIGRATIONS");
    // The commit stamped in: HEAD and the branches, where git keeps them (a linked worktree's
    // `.git` is a file naming its folder; watching a path that does not exist would rerun
    // this script, and so rebuild paideia, on every build).
    for path in ["HEAD", "refs/heads"] {
        if let Some(found) = git_path(path) {
            println!("cargo:rerun-if-changed={found}");
        }
    }

    let version = env::var("PAIDEIA_BUILD_VERSION")
        .unwrap_or_else(|_| env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION"));
    println!("cargo:rustc-env=PAIDEIA_VERSION={version}");
    println!(
        "cargo:rustc-env=PAIDEIA_TARGET={}",
        env::var("TARGET").unwrap_or_default()
    );
    println!("cargo:rustc-env=PAIDEIA_GIT_COMMIT={}", git_commit());
    // A third release-signing key for test fixtures, fixed when the binary is compiled (never
    // read at run time). Release builds refuse it: the release workflow checks that
    // `--version --json` reports `extra_trusted_key: false`.
    let extra_key = env::var("PAIDEIA_EXTRA_TRUSTED_KEY").unwrap_or_default();
    assert!(
        extra_key.trim().is_empty() || env::var("PROFILE").as_deref() != Ok("release"),
        "PAIDEIA_EXTRA_TRUSTED_KEY is for test builds only; a release build must not trust it"
    );
    println!(
        "cargo:rustc-env=PAIDEIA_EXTRA_TRUSTED_KEY={}",
        extra_key.trim()
    );

    // Test fixtures only: a folder with `postgres/` and `sqlite/` migrations embedded after
    // the tree's own (the "new" binary of upgrade rehearsal tests). Release builds refuse it.
    let extra_migrations = env::var("PAIDEIA_EXTRA_MIGRATIONS")
        .ok()
        .filter(|dir| !dir.trim().is_empty());
    assert!(
        extra_migrations.is_none() || env::var("PROFILE").as_deref() != Ok("release"),
        "PAIDEIA_EXTRA_MIGRATIONS is for test builds only"
    );
    if let Some(dir) = &extra_migrations {
        println!("cargo:rerun-if-changed={dir}");
    }

    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("migrations.rs");
    let mut code = String::new();
    for dialect in ["postgres", "sqlite"] {
        let extra = extra_migrations
            .as_deref()
            .map(|d| Path::new(d).join(dialect));
        code.push_str(&embed_dir(dialect, extra.as_deref()));
    }
    fs::write(out, code).expect("write generated migrations list");
}

/// `git rev-parse --git-path PATH`, when git answers and the path exists.
fn git_path(path: &str) -> Option<String> {
    let out = Command::new("git")
        .args(["rev-parse", "--git-path", path])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let found = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Path::new(&found).exists().then_some(found)
}

fn git_commit() -> String {
    Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// One `pub static DIALECT: &[(&str, &str)]` of (file name, contents), sorted by file name.
fn embed_dir(dialect: &str, extra: Option<&Path>) -> String {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("migrations")
        .join(dialect);
    let mut files = Vec::new();
    for dir in std::iter::once(dir.as_path()).chain(extra) {
        files.extend(
            fs::read_dir(dir)
                .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
                .map(|e| e.expect("directory entry").path())
                .filter(|p| p.extension().is_some_and(|x| x == "sql")),
        );
    }
    files.sort_by_key(|p| p.file_name().map(|n| n.to_owned()));
    let mut code = format!(
        "pub static {}: &[(&str, &str)] = &[\n",
        dialect.to_uppercase()
    );
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy();
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    code
}
