//! The editor over HTTP on both engines: Markdown pages and instructions with attachments sent
//! in the same multipart form, served with the page's permissions (404 to everyone else),
//! replaced, removed, previewed without being stored, deleted with their page, sanitised on
//! save in either format, kept as HTML for text from before the editor, and carried by dumps
//! and backup sets.

use paideia::{
    db::{Db, Value},
    lms::{
        attachments,
        media::Media,
        modules::{Module, ModuleKind, PageInput},
        richtext::Format,
    },
};
use reqwest::StatusCode;

use crate::{
    api::{Api, token_for},
    lms_modules::local_objects,
    on_both_engines,
    support::{
        Backend,
        browser::{Browser, location},
        class::{Class, class},
        run,
        s3::S3Server,
    },
};

on_both_engines!(
    pages_keep_their_files_with_the_page_permissions,
    text_is_sanitised_on_save_in_either_format,
    instructions_have_attachments_too,
    html_from_before_the_editor_keeps_rendering,
    attachments_are_in_backup_sets_and_restore,
    pages_in_markdown_over_the_api,
    attachments_on_s3
);

pub const CELL_PNG: &[u8] = include_bytes!("../fixtures/editor/cell.png");

const MARKDOWN: &str = "## Cells\n\nThe **membrane** holds it together.\n\n- nucleus\n- ribosomes\n\n\
                        ![A cell](cell.png)\n\nRead [the notes](notes.pdf).";

async fn pages(c: &Class) -> Vec<Module> {
    c.lms
        .modules(&c.bio)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == ModuleKind::Page)
        .collect()
}

/// Posts the page form as the editor does: multipart, token first, files as `attachments`.
async fn post_page(
    c: &Class,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, Vec<u8>)],
) -> reqwest::Response {
    let root = c.root.to_string();
    let mut all = vec![("section_id", root.as_str()), ("title", "Cells")];
    all.extend_from_slice(fields);
    c.teacher
        .get(&format!(
            "/courses/bio/modules/new?kind=page&section={root}"
        ))
        .await;
    c.teacher.post_files(path, &all, files).await
}

fn attached(name: &str, bytes: &[u8]) -> (&'static str, String, Vec<u8>) {
    ("attachments", name.to_string(), bytes.to_vec())
}

async fn status(browser: &Browser, path: &str) -> StatusCode {
    browser.fetch(path, &[]).await.status()
}

async fn attachments_of(c: &Class, id: i64) -> Vec<Media> {
    c.lms.attachments(&c.bio, id).await.unwrap()
}

async fn pages_keep_their_files_with_the_page_permissions(b: Backend) {
    let c = class(&b, &[]).await;
    let pdf = b"%PDF-1.4 notes".to_vec();
    let files = [attached("cell.png", CELL_PNG), attached("notes.pdf", &pdf)];
    let files: Vec<(&str, &str, Vec<u8>)> = files
        .iter()
        .map(|(f, n, b)| (*f, n.as_str(), b.clone()))
        .collect();

    // Preview renders the text and stores nothing, not even the files sent with it.
    let previewed = post_page(
        &c,
        "/courses/bio/modules/pages",
        &[
            ("body", MARKDOWN),
            ("body_format", "markdown"),
            ("preview", "true"),
        ],
        &files,
    )
    .await;
    assert_eq!(previewed.status(), StatusCode::OK);
    let html = previewed.text().await.unwrap();
    assert!(html.contains("<strong>membrane</strong>"), "{html}");
    assert!(pages(&c).await.is_empty() && local_objects(&b).is_empty());
    // Someone who may not edit the course stores nothing, whatever the form carries.
    c.student.get("/courses/bio").await;
    let root = c.root.to_string();
    let fields = [
        ("section_id", root.as_str()),
        ("title", "Mine"),
        ("body", "x"),
    ];
    let refused = c
        .student
        .post_files("/courses/bio/modules/pages", &fields, &files)
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert!(pages(&c).await.is_empty() && local_objects(&b).is_empty());

    let added = post_page(
        &c,
        "/courses/bio/modules/pages",
        &[("body", MARKDOWN), ("body_format", "markdown")],
        &files,
    )
    .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let page = pages(&c).await.remove(0);
    assert_eq!(
        location(&added),
        format!("/courses/bio/modules/{}", page.id)
    );
    let all = c.lms.modules(&c.bio).await.unwrap();
    assert_eq!(all.len(), 1, "attachments are not course modules: {all:?}");
    let files = attachments_of(&c, page.id).await;
    let names: Vec<&str> = files.iter().map(|m| m.file_name.as_str()).collect();
    assert_eq!(names, ["cell.png", "notes.pdf"]);
    let cell = attachments::path(files[0].id, "cell.png");
    let notes = attachments::path(files[1].id, "notes.pdf");
    let body = page.body_html.clone().unwrap();
    for want in [
        "<h2>Cells</h2>".to_string(),
        "<strong>membrane</strong>".into(),
        "<li>nucleus</li>".into(),
        format!(r#"<img src="{cell}" alt="A cell">"#),
        format!(r#"<a href="{notes}" rel="noopener noreferrer">the notes</a>"#),
    ] {
        assert!(body.contains(&want), "{want} missing from {body}");
    }
    assert_eq!(page.body_format, Some(Format::Markdown));
    assert_eq!(local_objects(&b).len(), 2);

    // Members read the page and its files; everyone else gets "not found".
    let (_, shown) = c
        .student
        .get(&format!("/courses/bio/modules/{}", page.id))
        .await;
    assert!(shown.contains(&format!(r#"src="{cell}""#)), "{shown}");
    let image = c.student.fetch(&cell, &[]).await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.headers()["content-security-policy"], "sandbox");
    assert_eq!(image.bytes().await.unwrap(), CELL_PNG);
    for browser in [&c.ta, &c.admin] {
        assert_eq!(status(browser, &notes).await, StatusCode::OK);
    }
    assert_eq!(status(&c.other, &cell).await, StatusCode::NOT_FOUND);
    let wrong_name = attachments::path(files[0].id, "other.png");
    assert_eq!(status(&c.student, &wrong_name).await, StatusCode::NOT_FOUND);
    let anonymous = c.anonymous.fetch(&cell, &[]).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert!(location(&anonymous).starts_with("/login"));

    // The edit form opens the Markdown and lists the files with their snippets.
    let edit = format!("/courses/bio/modules/{}/edit", page.id);
    let (_, form) = c.teacher.get(&edit).await;
    assert!(
        form.contains("The **membrane** holds it together."),
        "{form}"
    );
    assert!(
        form.contains(r#"<option value="markdown" selected>"#),
        "{form}"
    );
    assert!(
        form.contains("![cell](cell.png)") && form.contains(&format!("remove-{}", files[1].id))
    );

    // A file with an attached file's name replaces it; a ticked box removes one.
    let newer = [CELL_PNG, b"v2"].concat();
    let remove = format!("remove-{}", files[1].id);
    let saved = c
        .teacher
        .post_files(
            &edit,
            &[
                ("section_id", &c.root.to_string()),
                ("title", "Cells"),
                ("body", "![A cell](cell.png)"),
                ("body_format", "markdown"),
                (&remove, "true"),
            ],
            &[("attachments", "cell.png", newer.clone())],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let now = attachments_of(&c, page.id).await;
    assert_eq!(now.len(), 1);
    let new_cell = attachments::path(now[0].id, "cell.png");
    assert_eq!(
        c.student.fetch(&new_cell, &[]).await.bytes().await.unwrap(),
        newer
    );
    for gone in [&cell, &notes] {
        assert_eq!(
            status(&c.student, gone).await,
            StatusCode::NOT_FOUND,
            "{gone}"
        );
    }
    assert_eq!(
        local_objects(&b).len(),
        1,
        "replaced and removed objects are deleted"
    );

    // Deleting the page (into the trash) hides its attachments; deleting it for good from
    // the trash deletes their rows and objects.
    c.teacher.get("/courses/bio").await;
    let deleted = c
        .teacher
        .post(&format!("/courses/bio/modules/{}/delete", page.id), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(status(&c.teacher, &new_cell).await, StatusCode::NOT_FOUND);
    let purged = c
        .teacher
        .post(
            &format!("/courses/bio/trash/modules/{}/purge", page.id),
            &[],
        )
        .await;
    assert_eq!(purged.status(), StatusCode::SEE_OTHER);
    let db = b.db().await;
    assert_eq!(
        (
            count(&db, "module_attachments").await,
            count(&db, "media").await
        ),
        (0, 0)
    );
    assert!(local_objects(&b).is_empty(), "{:?}", local_objects(&b));
}

async fn count(db: &Db, table: &str) -> i64 {
    db.query_one(&format!("SELECT count(*) AS n FROM {table}"), &[])
        .await
        .unwrap()
        .get::<i64>("n")
        .unwrap()
}

const ATTACKS: &[(&str, &str)] = &[
    (
        "markdown",
        "[click](javascript:alert(1))\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>",
    ),
    (
        "markdown",
        "<a href=\"JaVaScRiPt:alert(1)\" onclick=\"steal()\">x</a> ![y](javascript:alert(2))",
    ),
    (
        "html",
        "<p onclick=\"steal()\">x</p><script>alert(1)</script><a href=\" javascript:alert(1)\">y</a>",
    ),
    (
        "html",
        "<svg onload=alert(1)></svg><iframe src=\"https://evil.example\"></iframe><div style=\"x\">z</div>",
    ),
];

fn assert_clean(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in [
        "<script",
        "onclick",
        "onerror",
        "onload",
        "javascript:",
        "<iframe",
        "<svg",
        "style=",
    ] {
        assert!(!lower.contains(bad), "{bad} survived: {html}");
    }
}

async fn text_is_sanitised_on_save_in_either_format(b: Backend) {
    let c = class(&b, &[]).await;
    for (i, (format, source)) in ATTACKS.iter().enumerate() {
        let title = format!("Attack {i}");
        let fields = [
            ("body", *source),
            ("body_format", *format),
            ("title", title.as_str()),
        ];
        // The form arrives both ways: multipart (the editor) and URL-encoded (older clients).
        let added = if i % 2 == 0 {
            post_page(&c, "/courses/bio/modules/pages", &fields, &[]).await
        } else {
            let root = c.root.to_string();
            let mut all = vec![("section_id", root.as_str())];
            all.extend_from_slice(&fields);
            c.teacher.post("/courses/bio/modules/pages", &all).await
        };
        assert_eq!(added.status(), StatusCode::SEE_OTHER, "{source}");
    }
    let saved = pages(&c).await;
    assert_eq!(saved.len(), ATTACKS.len());
    for page in &saved {
        assert_clean(page.body_html.as_deref().unwrap());
        let (_, shown) = c
            .student
            .get(&format!("/courses/bio/modules/{}", page.id))
            .await;
        let content = shown.split(r#"<div class="content">"#).nth(1).unwrap();
        assert_clean(content.split("</main>").next().unwrap());
    }
    // The preview is cleaned the same way.
    let (format, source) = ATTACKS[0];
    let preview = post_page(
        &c,
        "/courses/bio/modules/pages",
        &[
            ("body", source),
            ("body_format", format),
            ("preview", "true"),
        ],
        &[],
    )
    .await;
    let html = preview.text().await.unwrap();
    let shown = html.split(r#"id="preview-content""#).nth(1).unwrap();
    assert_clean(shown.split("</section>").next().unwrap());
}

async fn instructions_have_attachments_too(b: Backend) {
    let c = class(&b, &[]).await;
    let root = c.root.to_string();
    c.teacher
        .get(&format!(
            "/courses/bio/modules/new?kind=assignment&section={root}"
        ))
        .await;
    let added = c
        .teacher
        .post_files(
            "/courses/bio/modules/assignments",
            &[
                ("section_id", &root),
                ("title", "Draw a cell"),
                (
                    "instructions",
                    "Copy *this* cell: ![cell](cell.png) <script>x()</script>",
                ),
                ("instructions_format", "markdown"),
                ("max_points", "10"),
                ("accepts_text", "true"),
            ],
            &[("attachments", "cell.png", CELL_PNG.to_vec())],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let id = c.lms.modules(&c.bio).await.unwrap()[0].id;
    let a = c.lms.assignment(&c.bio, id).await.unwrap();
    let files = attachments_of(&c, id).await;
    let cell = attachments::path(files[0].id, "cell.png");
    assert!(
        a.instructions_html.contains(&format!(r#"src="{cell}""#)),
        "{}",
        a.instructions_html
    );
    assert!(a.instructions_html.contains("<em>this</em>"));
    assert_clean(&a.instructions_html);
    let (_, page) = c.student.get(&format!("/courses/bio/modules/{id}")).await;
    assert!(page.contains(&cell), "{page}");
    assert_eq!(status(&c.student, &cell).await, StatusCode::OK);
    assert_eq!(status(&c.other, &cell).await, StatusCode::NOT_FOUND);
    let (_, form) = c
        .teacher
        .get(&format!("/courses/bio/modules/{id}/edit"))
        .await;
    assert!(form.contains("Copy *this* cell"), "{form}");

    // Another module's form cannot remove this module's file by naming its id.
    let page = post_page(&c, "/courses/bio/modules/pages", &[("body", "x")], &[]).await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    let remove = format!("remove-{}", files[0].id);
    let edit = format!("{}/edit", location(&page));
    let fields = [
        ("section_id", root.as_str()),
        ("title", "P"),
        ("body", "y"),
        (remove.as_str(), "true"),
    ];
    let saved = c.teacher.post_files(&edit, &fields, &[]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(status(&c.student, &cell).await, StatusCode::OK);

    c.teacher.get("/courses/bio").await;
    c.teacher
        .post(&format!("/courses/bio/modules/{id}/delete"), &[])
        .await;
    assert_eq!(status(&c.teacher, &cell).await, StatusCode::NOT_FOUND);
    c.teacher
        .post(&format!("/courses/bio/trash/modules/{id}/purge"), &[])
        .await;
    assert!(local_objects(&b).is_empty());
}

async fn html_from_before_the_editor_keeps_rendering(b: Backend) {
    let c = class(&b, &[]).await;
    // A page saved the way every page was before the editor: HTML, no format.
    let old = "<h2>Week 1</h2><p>Read <em>this</em> * not a list</p>";
    let input = PageInput {
        section_id: c.root.to_string(),
        title: "Old".into(),
        body: old.into(),
        body_format: String::new(),
    };
    let page = c.lms.add_page(&c.bio, &input).await.unwrap();
    assert_eq!(page.body_html.as_deref(), Some(old));
    let (_, form) = c
        .teacher
        .get(&format!("/courses/bio/modules/{}/edit", page.id))
        .await;
    assert!(form.contains(r#"<option value="html" selected>"#), "{form}");
    assert!(form.contains("&lt;h2&gt;Week 1&lt;/h2&gt;"), "{form}");

    // A Markdown page that a binary from before the editor then changed opens as its HTML.
    let input = PageInput {
        body: "**new**".into(),
        body_format: "markdown".into(),
        ..input
    };
    let page = c.lms.update_page(&c.bio, page.id, &input).await.unwrap();
    assert_eq!(page.body_text().source, "**new**");
    let db = b.db().await;
    db.execute(
        "UPDATE modules SET body_html = $2 WHERE id = $1",
        &[
            page.id.into(),
            Value::Text("<p>edited by an older binary</p>".into()),
        ],
    )
    .await
    .unwrap();
    let (_, form) = c
        .teacher
        .get(&format!("/courses/bio/modules/{}/edit", page.id))
        .await;
    assert!(
        form.contains("&lt;p&gt;edited by an older binary&lt;/p&gt;"),
        "{form}"
    );
    assert!(form.contains(r#"<option value="html" selected>"#), "{form}");
}

async fn attachments_are_in_backup_sets_and_restore(b: Backend) {
    let engine = b.engine();
    let c = class(&b, &[]).await;
    let added = post_page(
        &c,
        "/courses/bio/modules/pages",
        &[("body", "![A cell](cell.png)"), ("body_format", "markdown")],
        &[("attachments", "cell.png", CELL_PNG.to_vec())],
    )
    .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let page = pages(&c).await.remove(0);
    let media = attachments_of(&c, page.id).await.remove(0);

    // A plain dump carries the attachment's rows.
    let dump = b.dir.path().join("site.sql");
    let (code, _, err) = run(b.paideia().args(["dump", "--output"]).arg(&dump));
    assert_eq!(code, 0, "{err}");
    let text = String::from_utf8_lossy(&std::fs::read(&dump).unwrap()).into_owned();
    assert!(
        text.contains("\"name\":\"module_attachments\""),
        "the dump lists the table"
    );

    // A backup set stores the file; restored into a fresh install, the page shows it again.
    let (code, _, err) = run(b.paideia().args(["backup", "run"]));
    assert_eq!(code, 0, "{err}");
    let sha = hex_sha256(CELL_PNG);
    let blob = b
        .data_dir()
        .join("backups/media")
        .join(&sha[..2])
        .join(&sha);
    assert_eq!(
        std::fs::read(&blob).unwrap(),
        CELL_PNG,
        "the set holds the attachment"
    );
    let (code, out, err) = run(b.paideia().args(["backup", "list", "--json"]));
    assert_eq!(code, 0, "{err}");
    let sets: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let id = sets[0]["id"].as_str().unwrap();

    let fresh = Backend::new(engine).await;
    let (code, _, err) = run(fresh
        .paideia()
        .args(["backup", "restore", id, "--yes", "--dir"])
        .arg(b.data_dir().join("backups"))
        .arg("--key-file")
        .arg(b.data_dir().join("backup.key")));
    assert_eq!(code, 0, "{err}");
    let (server, _lms) = crate::support::browser::start(&fresh).await;
    let student = Browser::signed_in(&server, "stu@example.org").await;
    let path = attachments::path(media.id, "cell.png");
    let (_, shown) = student
        .get(&format!("/courses/bio/modules/{}", page.id))
        .await;
    assert!(shown.contains(&path), "{shown}");
    let image = student.fetch(&path, &[]).await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.bytes().await.unwrap(), CELL_PNG);
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

async fn pages_in_markdown_over_the_api(b: Backend) {
    let c = class(&b, &[]).await;
    let api = Api::new(
        c.anonymous.url(""),
        Some(token_for(&c.lms, "teach@example.org").await),
    );
    let made = api
        .send(
            reqwest::Method::POST,
            "/courses/bio/pages",
            serde_json::json!({"section_id": c.root, "title": "API", "body": "*hi* <script>x</script>", "format": "markdown"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(made.body["body_html"], "<p><em>hi</em> </p>\n");
    assert_eq!(made.body["body_format"], "markdown");
    assert_eq!(made.body["body_source"], "*hi* <script>x</script>");
    let bad = api
        .send(
            reqwest::Method::POST,
            "/courses/bio/pages",
            serde_json::json!({"section_id": c.root, "title": "API", "format": "rtf"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);

    let added = post_page(
        &c,
        "/courses/bio/modules/pages",
        &[("body", "![A cell](cell.png)"), ("body_format", "markdown")],
        &[("attachments", "cell.png", CELL_PNG.to_vec())],
    )
    .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let id = pages(&c)
        .await
        .iter()
        .find(|p| p.title == "Cells")
        .unwrap()
        .id;
    let detail = api
        .raw(
            reqwest::Method::GET,
            &format!("/courses/bio/modules/{id}"),
            None,
        )
        .await;
    let files = detail.body["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{}", detail.body);
    assert_eq!(files[0]["file_name"], "cell.png");
    assert_eq!(
        files[0]["path"],
        attachments::path(files[0]["id"].as_i64().unwrap(), "cell.png")
    );
    let media = files[0]["id"].as_i64().unwrap();
    let download = format!("/courses/bio/modules/{id}/attachments/{media}");
    let bytes = api.fetch(&download, &[]).await;
    assert_eq!(bytes.status(), StatusCode::OK);
    assert_eq!(bytes.bytes().await.unwrap(), CELL_PNG);
    let other = Api::new(
        c.anonymous.url(""),
        Some(token_for(&c.lms, "other@example.org").await),
    );
    assert_eq!(
        other.fetch(&download, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
}

/// Every object in the S3 test server's bucket.
fn bucket_objects(s3: &S3Server) -> Vec<std::path::PathBuf> {
    let mut stack = vec![s3.root().join(&s3.bucket)];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

async fn attachments_on_s3(b: Backend) {
    let s3 = S3Server::start();
    let c = class(&b, &s3.env(&s3.bucket)).await;
    let added = post_page(
        &c,
        "/courses/bio/modules/pages",
        &[("body", "![A cell](cell.png)"), ("body_format", "markdown")],
        &[("attachments", "cell.png", CELL_PNG.to_vec())],
    )
    .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let page = pages(&c).await.remove(0);
    let media = attachments_of(&c, page.id).await.remove(0);
    let path = attachments::path(media.id, "cell.png");
    let image = c.student.fetch(&path, &[]).await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.bytes().await.unwrap(), CELL_PNG);
    assert_eq!(bucket_objects(&s3).len(), 1);
    assert!(local_objects(&b).is_empty(), "nothing in the local folder");

    c.teacher.get("/courses/bio").await;
    let deleted = c
        .teacher
        .post(&format!("/courses/bio/modules/{}/delete", page.id), &[])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(bucket_objects(&s3).len(), 1, "kept while in the trash");
    let purged = c
        .teacher
        .post(
            &format!("/courses/bio/trash/modules/{}/purge", page.id),
            &[],
        )
        .await;
    assert_eq!(purged.status(), StatusCode::SEE_OTHER);
    assert!(bucket_objects(&s3).is_empty(), "{:?}", bucket_objects(&s3));
}
