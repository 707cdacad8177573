//! A dump holds the database, not the files: restored into a fresh install, `restore` says how
//! many of the files it refers to are missing and how to bring them back, and `doctor` fails
//! its files check (a sample by default, every file with `--full`) until they are back; on
//! the files folder and on S3.

use std::sync::Arc;

use bytes::Bytes;
use paideia::{
    lms::{CourseInput, Lms, SystemClock, SystemRole, media::StoredFile},
    storage::Storage,
};

use crate::support::{Backend, browser::account, run, s3::S3Server};

/// Three file modules on `b`, stored in `storage`; returns their keys.
pub async fn three_files(b: &Backend, storage: &Storage) -> Vec<String> {
    let (code, _, err) = run(b.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    let lms = Lms::new(b.db().await, Arc::new(SystemClock));
    let teacher = account(&lms, "teach@example.org", SystemRole::Instructor).await;
    let course = CourseInput {
        title: "Biology".into(),
        slug: "bio".into(),
        description: String::new(),
        status: "published".into(),
    };
    lms.create_course(&teacher, &course).await.unwrap();
    let view = lms.course_view(&teacher, "bio").await.unwrap();
    let section = lms.sections(&view).await.unwrap()[0].id.to_string();
    let mut keys = Vec::new();
    for i in 0..3 {
        let key = Storage::new_key("media", chrono::Utc::now()).unwrap();
        let info = storage
            .put_bytes(&key, Bytes::from(format!("file number {i}")))
            .await
            .unwrap();
        let file = StoredFile {
            key: key.clone(),
            file_name: format!("notes-{i}.txt"),
            info,
        };
        lms.add_file(&view, teacher.id, &section, &format!("Notes {i}"), &file)
            .await
            .unwrap();
        keys.push(key);
    }
    keys
}

fn doctor_json(cmd: &mut std::process::Command, extra: &[&str]) -> (i32, serde_json::Value) {
    let (code, out, err) = run(cmd.args(["doctor", "--json"]).args(extra));
    let report = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}\n{err}"));
    (code, report)
}

fn check<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {report}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dump_restored_without_its_files_is_reported_on_the_files_folder() {
    let old = Backend::sqlite();
    let files = old.data_dir().join("files");
    let keys = three_files(&old, &Storage::local(&files).await.unwrap()).await;
    let dump = old.dir.path().join("site.sql.zst");
    let (code, _, err) = run(old.paideia().args(["dump", "-o"]).arg(&dump));
    assert_eq!(code, 0, "{err}");

    let new = Backend::sqlite();
    let (code, _, err) = run(new.paideia().arg("restore").arg(&dump));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: 3 of the 3 file(s) the restored database refers to are missing"),
        "{err}"
    );
    assert!(
        err.contains("hint:")
            && err.contains("paideia backup restore")
            && err.contains("files folder"),
        "{err}"
    );

    let (code, report) = doctor_json(&mut new.paideia(), &[]);
    assert_eq!(code, 3, "{report}");
    let files_check = check(&report, "files");
    assert_eq!(files_check["level"], "fail", "{report}");
    assert!(
        files_check["hint"]
            .as_str()
            .unwrap()
            .contains("a dump holds the database only"),
        "{report}"
    );

    // The old files folder copied over: everything is back.
    copy_tree(&files, &new.data_dir().join("files"));
    let (_, report) = doctor_json(&mut new.paideia(), &[]);
    assert_eq!(check(&report, "files")["level"], "pass", "{report}");
    let (_, report) = doctor_json(&mut new.paideia(), &["--full"]);
    assert_eq!(check(&report, "files")["level"], "pass", "{report}");
    assert_eq!(check(&report, "orphans")["level"], "pass", "{report}");

    // One file lost: the sample (here all three) and the full check both see it.
    std::fs::remove_file(new.data_dir().join("files").join(&keys[1])).unwrap();
    let (code, report) = doctor_json(&mut new.paideia(), &["--full"]);
    assert_eq!(code, 3);
    let detail = check(&report, "files")["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        detail.contains("all 3 file(s)") && detail.contains("1 missing"),
        "{detail}"
    );
    assert!(detail.contains(&keys[1]), "{detail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dump_restored_without_its_files_is_reported_on_s3() {
    let s3 = S3Server::start();
    let old = Backend::sqlite();
    let old_bucket = Storage::s3(&s3.settings()).unwrap();
    three_files(&old, &old_bucket).await;
    let dump = old.dir.path().join("site.sql");
    let (code, _, err) = run(old.paideia().args(["dump", "-o"]).arg(&dump));
    assert_eq!(code, 0, "{err}");

    let empty = "paideia-empty";
    std::fs::create_dir(s3.root().join(empty)).unwrap();
    let new = Backend::sqlite();
    let (code, _, err) = run(new.paideia().envs(s3.env(empty)).arg("restore").arg(&dump));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("3 of the 3 file(s)") && err.contains(&format!("S3 bucket {empty}")),
        "{err}"
    );
    let (code, report) = doctor_json(new.paideia().envs(s3.env(empty)), &[]);
    assert_eq!(code, 3, "{report}");
    assert_eq!(check(&report, "files")["level"], "fail", "{report}");

    // Pointed at the old bucket, the same database is complete.
    let (_, report) = doctor_json(new.paideia().envs(s3.env(&s3.bucket)), &["--full"]);
    assert_eq!(check(&report, "files")["level"], "pass", "{report}");
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
