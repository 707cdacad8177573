//! Modules over HTTP: pages are sanitized, files are stored under generated keys and
//! downloaded with their name, type and byte ranges, on the local folder and on S3; an
//! oversized upload stores nothing; modules reorder within their section; invalid forms keep
//! what was typed.

use std::path::PathBuf;

use paideia::lms::modules::{Module, ModuleKind};
use reqwest::StatusCode;

use crate::{
    on_both_engines,
    support::{
        Backend,
        browser::location,
        class::{Class, class},
        s3::S3Server,
    },
};

on_both_engines!(pages_files_and_downloads_on_the_local_folder, files_on_s3);

/// Every stored object file under the server's local storage folder.
pub fn local_objects(b: &Backend) -> Vec<PathBuf> {
    let mut found = Vec::new();
    walk(&b.data_dir().join("files"), &mut found);
    found
}

fn walk(dir: &std::path::Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, found);
        } else {
            found.push(path);
        }
    }
}

async fn modules(c: &Class) -> Vec<Module> {
    c.lms.modules(&c.bio).await.unwrap()
}

/// Adds a file module as the teacher; returns the response.
pub async fn add_file(c: &Class, title: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let root = c.root.to_string();
    c.teacher
        .get(&format!(
            "/courses/bio/modules/new?kind=file&section={root}"
        ))
        .await;
    c.teacher
        .post_files(
            "/courses/bio/modules/files",
            &[("section_id", &root), ("title", title)],
            &[("file", name, bytes)],
        )
        .await
}

/// 300 KiB of varied bytes, so a wrong range shows.
fn sample() -> Vec<u8> {
    (0..300 * 1024u32).map(|i| (i * 7 % 251) as u8).collect()
}

/// Uploads a file and checks the download, its headers and byte ranges as a student.
async fn file_round_trip(c: &Class) -> Module {
    let bytes = sample();
    let added = add_file(c, "Lecture notes", "Week 1 – notes.pdf", bytes.clone()).await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let file = modules(c)
        .await
        .into_iter()
        .find(|m| m.kind == ModuleKind::File)
        .unwrap();
    assert_eq!(
        location(&added),
        format!("/courses/bio/modules/{}", file.id)
    );
    let media = file.media.clone().unwrap();
    assert_eq!(media.file_name, "Week 1 – notes.pdf");
    assert_eq!(media.content_type, "application/pdf");
    assert_eq!(media.size_bytes, bytes.len() as i64);
    assert!(
        media.storage_key.starts_with("media/") && !media.storage_key.contains("notes"),
        "the key is paideia's: {}",
        media.storage_key
    );

    let path = format!("/courses/bio/modules/{}/download", file.id);
    let whole = c.student.fetch(&path, &[]).await;
    assert_eq!(whole.status(), StatusCode::OK);
    let h = whole.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["accept-ranges"], "bytes");
    assert_eq!(h["content-length"], bytes.len().to_string().as_str());
    assert_eq!(
        h["content-disposition"],
        "inline; filename=\"Week 1 _ notes.pdf\"; filename*=UTF-8''Week%201%20%E2%80%93%20notes%2Epdf"
    );
    assert_eq!(whole.bytes().await.unwrap(), bytes.as_slice());

    let part = c
        .student
        .fetch(&path, &[("range", "bytes=1000-1999")])
        .await;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 1000-1999/{}", bytes.len()).as_str()
    );
    assert_eq!(part.bytes().await.unwrap(), &bytes[1000..2000]);
    let tail = c.student.fetch(&path, &[("range", "bytes=-10")]).await;
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes().await.unwrap(), &bytes[bytes.len() - 10..]);
    let past = c
        .student
        .fetch(&path, &[("range", "bytes=999999999-")])
        .await;
    assert_eq!(past.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        past.headers()["content-range"],
        format!("bytes */{}", bytes.len()).as_str()
    );

    assert_eq!(
        c.other.fetch(&path, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    let anonymous = c.anonymous.fetch(&path, &[]).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER, "sign in first");
    file
}

async fn pages_files_and_downloads_on_the_local_folder(b: Backend) {
    let c = class(&b, &[]).await;
    let root = c.root.to_string();

    // A page keeps its formatting and loses its scripts.
    c.teacher
        .get(&format!(
            "/courses/bio/modules/new?kind=page&section={root}"
        ))
        .await;
    let body = r#"<h2>Welcome</h2><p onclick="steal()">Read this.</p><script>alert(1)</script>"#;
    let added = c
        .teacher
        .post(
            "/courses/bio/modules/pages",
            &[("section_id", &root), ("title", "Welcome"), ("body", body)],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let (status, shown) = c.student.get(&location(&added)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        shown.contains("<h2>Welcome</h2><p>Read this.</p>"),
        "{shown}"
    );
    assert!(!shown.contains("alert(1)") && !shown.contains("onclick"));

    // A refused form keeps what was typed.
    let refused = c
        .teacher
        .post(
            "/courses/bio/modules/pages",
            &[
                ("section_id", "999999"),
                ("title", "Kept title"),
                ("body", "<p>kept body</p>"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("choose a section of this course")
            && page.contains(r#"value="Kept title""#)
            && page.contains("kept body")
    );

    let file = file_round_trip(&c).await;
    assert_eq!(local_objects(&b).len(), 1, "one object stored");

    // Ordering within the section: the file moves before the page.
    let all = modules(&c).await;
    assert_eq!(
        all.iter().map(|m| m.kind).collect::<Vec<_>>(),
        [ModuleKind::Page, ModuleKind::File]
    );
    c.teacher.get("/courses/bio").await;
    let moved = c
        .teacher
        .post(
            &format!("/courses/bio/modules/{}/move", file.id),
            &[("position", "1")],
        )
        .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let order: Vec<i64> = modules(&c).await.iter().map(|m| m.id).collect();
    assert_eq!(order, [file.id, all[0].id]);
    let (_, course) = c.student.get("/courses/bio").await;
    let (at_file, at_page) = (
        course.find("Lecture notes").unwrap(),
        course.find("Welcome").unwrap(),
    );
    assert!(at_file < at_page, "the course page lists modules in order");

    // An oversized file stores nothing and says why.
    let too_big = vec![0u8; 100 * 1024 * 1024 + 1];
    let refused = add_file(&c, "Huge", "huge.bin", too_big).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("huge.bin is larger than the limit of 100 MiB")
    );
    assert_eq!(
        local_objects(&b).len(),
        1,
        "nothing more stored: {:?}",
        local_objects(&b)
    );
    assert_eq!(modules(&c).await.len(), 2);

    // A multipart form whose first field is not the token is refused before anything is
    // stored, even when the right token comes later.
    c.teacher.get("/courses/bio").await;
    let form = reqwest::multipart::Form::new()
        .text("section_id", root.clone())
        .text("_csrf", c.teacher.token())
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![1u8; 1000]).file_name("sneaky.txt"),
        );
    let forged = c
        .teacher
        .post_multipart("/courses/bio/modules/files", form)
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let no_file = c
        .teacher
        .post_files("/courses/bio/modules/files", &[], &[])
        .await;
    assert_eq!(
        no_file.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the right token passes"
    );
    assert!(no_file.text().await.unwrap().contains("choose a file"));
    assert_eq!(local_objects(&b).len(), 1);

    // Deleting the file module moves it to the trash, keeping its object; deleting it for
    // good removes the object.
    c.teacher.get("/courses/bio").await;
    let deleted = c
        .teacher
        .post(&format!("/courses/bio/modules/{}/delete", file.id), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(local_objects(&b).len(), 1);
    let purged = c
        .teacher
        .post(
            &format!("/courses/bio/trash/modules/{}/purge", file.id),
            &[],
        )
        .await;
    assert_eq!(purged.status(), StatusCode::SEE_OTHER);
    assert!(local_objects(&b).is_empty());
}

async fn files_on_s3(b: Backend) {
    let s3 = S3Server::start();
    let c = class(&b, &s3.env(&s3.bucket)).await;
    file_round_trip(&c).await;
    let bucket = s3.root().join(&s3.bucket);
    let mut stored = Vec::new();
    walk(&bucket, &mut stored);
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert!(local_objects(&b).is_empty(), "nothing in the local folder");
    assert!(s3.multipart_leftovers().is_empty());
}
