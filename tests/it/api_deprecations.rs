//! Deprecated API parts answer with the standard headers, driven by the registry in
//! `src/deprecations.rs`: `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and a
//! `Link: …; rel="deprecation"`, on the answers to requests that used one and on no others;
//! the OpenAPI document marks them. Today's entry: `format` in `POST …/pages`, the old name of
//! `body_format`.

use reqwest::{Method, StatusCode, header};
use serde_json::json;

use crate::{
    api::{Answer, Api, token_for},
    support::{Backend, class::class},
};

fn header<'a>(a: &'a Answer, name: &str) -> Option<&'a str> {
    a.headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deprecated_api_fields_answer_with_deprecation_and_sunset_headers() {
    let b = Backend::sqlite();
    let c = class(&b, &[]).await;
    let api = Api::new(
        c.anonymous.url(""),
        Some(token_for(&c.lms, "teach@example.org").await),
    );

    let current = api
        .send(
            Method::POST,
            "/courses/bio/pages",
            json!({"section_id": c.root, "title": "New name", "body": "*hi*", "body_format": "markdown"}),
        )
        .await;
    assert_eq!(current.status, StatusCode::CREATED, "{}", current.body);
    assert_eq!(current.body["body_format"], "markdown");
    for name in ["deprecation", "sunset"] {
        assert_eq!(
            header(&current, name),
            None,
            "{name} without a deprecated part"
        );
    }

    let old = api
        .send(
            Method::POST,
            "/courses/bio/pages",
            json!({"section_id": c.root, "title": "Old name", "body": "*hi*", "format": "markdown"}),
        )
        .await;
    assert_eq!(old.status, StatusCode::CREATED, "{}", old.body);
    assert_eq!(old.body["body_format"], "markdown", "the alias still works");
    // 2026-12-03T00:00:00Z, the day it was deprecated; the removal not before 2027-06-01.
    assert_eq!(header(&old, "deprecation"), Some("@1796256000"));
    let sunset = header(&old, "sunset").unwrap();
    assert_eq!(sunset, "Tue, 01 Jun 2027 00:00:00 GMT");
    assert!(
        chrono::DateTime::parse_from_rfc2822(sunset).is_ok(),
        "an HTTP-date: {sunset}"
    );
    let link = header(&old, header::LINK.as_str()).unwrap();
    assert!(
        link.starts_with("<https://")
            && link.contains("docs/api.md#deprecations>")
            && link.contains("rel=\"deprecation\""),
        "{link}"
    );

    let both = api
        .send(
            Method::POST,
            "/courses/bio/pages",
            json!({"section_id": c.root, "title": "Both", "format": "html", "body_format": "markdown"}),
        )
        .await;
    assert_eq!(
        both.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        both.body
    );

    let list = api.raw(Method::GET, "/courses", None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(header(&list, "deprecation"), None);

    let doc = api.raw(Method::GET, "/openapi.json", None).await;
    let field = &doc.body["components"]["schemas"]["PageCreate"]["properties"]["format"];
    assert_eq!(field["deprecated"], true, "{field}");
    assert!(
        field["description"]
            .as_str()
            .unwrap()
            .contains("body_format"),
        "{field}"
    );
    assert_eq!(
        doc.body["components"]["schemas"]["PageCreate"]["properties"]["body_format"]["deprecated"],
        serde_json::Value::Null
    );
}
