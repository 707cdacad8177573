//! ListMultipartUploads, which object_store does not offer: a GET signed with object_store's
//! own SigV4 signer (`AwsAuthorizer`) and the store's credentials (keys or an instance role),
//! sent with reqwest, and the few fields of its XML answer read by hand (the keys paideia
//! writes need no XML unescaping; others are skipped). It finds the multipart uploads a
//! process killed before it recorded them in a lease.

use chrono::{DateTime, Utc};
use object_store::{
    aws::AwsAuthorizer,
    client::{HttpRequest, HttpRequestBody},
};

use super::{S3Store, errors};
use crate::storage::{StorageError, key};

/// A multipart upload neither completed nor aborted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unfinished {
    pub key: String,
    pub upload_id: String,
    pub initiated: DateTime<Utc>,
}

/// Uploads listed per request (S3's own maximum).
const PAGE: usize = 1000;

impl S3Store {
    /// The unfinished multipart uploads under `prefix`; `None` when the server does not
    /// implement ListMultipartUploads.
    pub async fn unfinished_uploads(
        &self,
        prefix: &str,
    ) -> Result<Option<Vec<Unfinished>>, StorageError> {
        let failed = |text: String| StorageError::S3 {
            op: "list the unfinished uploads under",
            bucket: self.bucket.clone(),
            key: format!("{prefix}/"),
            failure: errors::Failure {
                kind: errors::FailureKind::Other,
                text,
            },
        };
        let mut found = Vec::new();
        let mut marker: Option<(String, String)> = None;
        loop {
            let page = match self.list_page(prefix, marker.as_ref()).await {
                Ok(Some(page)) => page,
                Ok(None) => return Ok(None),
                Err(text) => return Err(failed(text)),
            };
            found.extend(read_uploads(&page));
            match (tag(&page, "IsTruncated"), tag(&page, "NextKeyMarker")) {
                (Some("true"), Some(key)) => {
                    let id = tag(&page, "NextUploadIdMarker").unwrap_or_default();
                    marker = Some((key.to_string(), id.to_string()));
                }
                _ => return Ok(Some(found)),
            }
        }
    }

    /// One page of the listing (`None`: not implemented by the server), or what went wrong.
    async fn list_page(
        &self,
        prefix: &str,
        marker: Option<&(String, String)>,
    ) -> Result<Option<String>, String> {
        let mut url = self.bucket_url.clone();
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("uploads", "");
            query.append_pair("max-uploads", &PAGE.to_string());
            query.append_pair("prefix", prefix);
            if let Some((key, id)) = marker {
                query.append_pair("key-marker", key);
                query.append_pair("upload-id-marker", id);
            }
        }
        let credential = self
            .store
            .credentials()
            .get_credential()
            .await
            .map_err(|e| errors::describe(&e).text)?;
        let mut request: HttpRequest = axum::http::Request::get(url.as_str())
            .body(HttpRequestBody::empty())
            .map_err(|e| e.to_string())?;
        AwsAuthorizer::new(&credential, "s3", &self.region)
            .try_authorize(&mut request, None)
            .map_err(|e| errors::describe(&e).text)?;
        let mut sending = self.http.get(url.as_str());
        for (name, value) in request.headers() {
            sending = sending.header(name.as_str(), value.as_bytes());
        }
        let answer = sending.send().await.map_err(|e| describe_reqwest(&e))?;
        let status = answer.status();
        let body = answer.text().await.map_err(|e| describe_reqwest(&e))?;
        if status.as_u16() == 501 || body.contains("<Code>NotImplemented</Code>") {
            return Ok(None);
        }
        if !status.is_success() {
            let code = tag(&body, "Code").unwrap_or_default();
            return Err(format!("the server answered {status} {code}"));
        }
        Ok(Some(body))
    }
}

fn describe_reqwest(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "the server did not answer in time"
    } else if e.is_connect() {
        "cannot connect to the server"
    } else {
        "the request failed"
    };
    format!("{kind}: {}", errors::redact_userinfo(&e.to_string()))
}

/// The uploads of one page whose keys paideia could have written.
fn read_uploads(page: &str) -> Vec<Unfinished> {
    page.split("<Upload>")
        .skip(1)
        .filter_map(|block| {
            let block = block.split("</Upload>").next()?;
            let key = tag(block, "Key")?;
            key::check(key).ok()?;
            Some(Unfinished {
                key: key.to_string(),
                upload_id: tag(block, "UploadId")?.to_string(),
                initiated: DateTime::parse_from_rfc3339(tag(block, "Initiated")?)
                    .ok()?
                    .to_utc(),
            })
        })
        .collect()
}

/// The text of the first `<name>…</name>` in `xml`.
fn tag<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))?;
    Some(xml[start..start + end].trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_read() {
        let page = "<?xml version=\"1.0\"?><ListMultipartUploadsResult><Bucket>b</Bucket>\
            <IsTruncated>true</IsTruncated><NextKeyMarker>media/z</NextKeyMarker>\
            <Upload><Key>media/2026/01/abc</Key><UploadId>id-1</UploadId>\
            <Initiated>2026-01-02T03:04:05.000Z</Initiated></Upload>\
            <Upload><Key>../odd</Key><UploadId>id-2</UploadId>\
            <Initiated>2026-01-02T03:04:05.000Z</Initiated></Upload>\
            </ListMultipartUploadsResult>";
        let uploads = read_uploads(page);
        assert_eq!(
            uploads.len(),
            1,
            "a key paideia cannot have written is skipped"
        );
        assert_eq!(uploads[0].key, "media/2026/01/abc");
        assert_eq!(uploads[0].upload_id, "id-1");
        assert_eq!(
            uploads[0].initiated.to_rfc3339(),
            "2026-01-02T03:04:05+00:00"
        );
        assert_eq!(tag(page, "IsTruncated"), Some("true"));
        assert_eq!(tag(page, "NextKeyMarker"), Some("media/z"));
    }
}
