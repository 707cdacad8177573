//! `paideia user` through the real binary: passwords only from stdin or a terminal, and the
//! same rules as the web pages.

use std::{
    io::Write,
    process::{Command, Stdio},
    sync::Arc,
};

use paideia::lms::{ClientInfo, Lms, LmsError, SystemClock, SystemRole};

use crate::{
    on_both_engines,
    support::{Backend, run},
};

on_both_engines!(user_commands_manage_accounts);

/// Runs `paideia user ARGS` with `stdin` piped in; returns (exit code, stdout, stderr).
fn user(b: &Backend, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut cmd: Command = b.paideia();
    cmd.arg("user")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

async fn user_commands_manage_accounts(b: Backend) {
    let create = [
        "create",
        "--email",
        "Ada@Example.org",
        "--name",
        "Ada Lovelace",
        "--role",
        "admin",
    ];
    let (code, _, err) = user(&b, &create, "");
    assert_eq!(code, 2, "no terminal and no --password-stdin: {err}");
    assert!(err.contains("--password-stdin"), "{err}");

    let with_stdin: Vec<&str> = create.iter().copied().chain(["--password-stdin"]).collect();
    let (code, _, err) = user(&b, &with_stdin, "short\n");
    assert_eq!(code, 1);
    assert!(
        err.contains("password: use at least 10 characters"),
        "{err}"
    );
    let (code, out, err) = user(&b, &with_stdin, "first password 1\n");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("ada@example.org") && out.contains("admin"),
        "{out}"
    );
    let bob = [
        "create",
        "--email",
        "bob@example.org",
        "--name",
        "Bob",
        "--password-stdin",
    ];
    assert_eq!(user(&b, &bob, "bob password 1\n").0, 0);
    let (code, _, err) = user(&b, &bob, "bob password 1\n");
    assert_eq!(code, 1);
    assert!(
        err.contains("an account with this email already exists"),
        "{err}"
    );

    let (code, out, _) = run(b.paideia().args(["--json", "user", "list"]));
    assert_eq!(code, 0);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list[1]["email"], "bob@example.org");
    assert_eq!(list[1]["role"], "student");

    // Piped, the table is plain lines whose columns line up, whatever the emails' lengths.
    let (code, out, _) = run(b.paideia().args(["user", "list"]));
    assert_eq!(code, 0);
    let starts: Vec<usize> = out
        .lines()
        .map(|l| {
            l.find("ROLE")
                .or_else(|| l.find("student"))
                .or_else(|| l.find("admin"))
                .unwrap()
        })
        .collect();
    assert_eq!(starts.len(), 3, "{out}");
    assert!(starts.iter().all(|s| *s == starts[0]), "aligned: {out}");
    assert!(out.lines().all(|l| l == l.trim_end()), "{out}");

    assert_eq!(
        user(&b, &["set-role", "bob@example.org", "instructor"], "").0,
        0
    );
    let (code, _, err) = user(&b, &["set-role", "ada@example.org", "student"], "");
    assert_eq!(code, 1);
    assert!(err.contains("last active administrator"), "{err}");
    let (code, _, err) = user(&b, &["disable", "nobody@example.org"], "");
    assert_eq!(code, 1);
    assert!(err.contains("hint: `paideia user list`"), "{err}");
    assert_eq!(
        user(
            &b,
            &["reset-password", "bob@example.org", "--password-stdin"],
            "second password 2\n"
        )
        .0,
        0
    );

    let lms = Lms::new(b.db().await, Arc::new(SystemClock));
    let client = ClientInfo::default();
    let bob = lms.user_by_email("bob@example.org").await.unwrap();
    assert_eq!(bob.role, SystemRole::Instructor);
    assert!(
        lms.sign_in("bob@example.org", "second password 2", &client)
            .await
            .is_ok()
    );
    assert_eq!(user(&b, &["disable", "bob@example.org"], "").0, 0);
    let refused = lms
        .sign_in("bob@example.org", "second password 2", &client)
        .await;
    assert!(
        matches!(refused, Err(LmsError::BadCredentials)),
        "{refused:?}"
    );
    assert_eq!(user(&b, &["enable", "bob@example.org"], "").0, 0);
    assert!(
        lms.sign_in("bob@example.org", "second password 2", &client)
            .await
            .is_ok()
    );
}
