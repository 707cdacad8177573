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
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");

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

    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("migrations.rs");
    let mut code = String::new();
    for dialect in ["postgres", "sqlite"] {
        code.push_str(&embed_dir(dialect));
    }
    fs::write(out, code).expect("write generated migrations list");
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
fn embed_dir(dialect: &str) -> String {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("migrations")
        .join(dialect);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
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
