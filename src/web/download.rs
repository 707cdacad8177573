//! Sending a stored file: streamed from storage with the content type recorded for it, a
//! `Content-Disposition` carrying the person's file name, and single byte ranges (206, or 416
//! with the size). Files that a browser could run as a page are sent as attachments, and every
//! download is sandboxed, so an upload cannot script the site.

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::WebError;
use crate::{
    lms::media::Media,
    storage::{ByteRange, Storage, StorageError},
};

/// Types a browser shows without running anything.
const INLINE_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
    "audio/mpeg",
    "audio/ogg",
    "video/mp4",
    "video/webm",
];

/// The single range a `Range` header asks for; anything else (several ranges, other units,
/// nonsense) is ignored and the whole file is sent, as HTTP allows.
pub fn requested_range(headers: &HeaderMap) -> Option<ByteRange> {
    let spec = headers.get(header::RANGE)?.to_str().ok()?.trim();
    let spec = spec.strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let number = |s: &str| s.trim().parse::<u64>().ok();
    match (first.trim().is_empty(), last.trim().is_empty()) {
        (true, false) => Some(ByteRange::Last(number(last)?)),
        (false, true) => Some(ByteRange::From(number(first)?)),
        (false, false) => Some(ByteRange::Inclusive {
            first: number(first)?,
            last: number(last)?,
        }),
        (true, true) => None,
    }
}

/// `attachment` or `inline`, with an ASCII fallback name and the UTF-8 name (RFC 6266).
pub fn disposition(media: &Media) -> String {
    let kind = if INLINE_TYPES.contains(&media.content_type.as_str()) {
        "inline"
    } else {
        "attachment"
    };
    let fallback: String = media
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = utf8_percent_encode(&media.file_name, NON_ALPHANUMERIC);
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

pub async fn send(
    storage: &Storage,
    media: &Media,
    headers: &HeaderMap,
) -> Result<Response, WebError> {
    let range = requested_range(headers);
    let download = match storage.get(&media.storage_key, range).await {
        Ok(d) => d,
        Err(StorageError::RangeNotSatisfiable { size, .. }) => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}"))],
            )
                .into_response());
        }
        Err(StorageError::NotFound { .. }) => {
            tracing::warn!(target: "paideia::http", "media {} has no stored object", media.id);
            return Err(WebError::NotFound);
        }
        Err(e) => return Err(WebError::Internal(e.to_string())),
    };
    let (start, end) = (download.range.start, download.range.end);
    let mut response = Response::new(Body::from_stream(download.body));
    let status = if range.is_some() {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    *response.status_mut() = status;
    let h = response.headers_mut();
    let value =
        |s: String| HeaderValue::from_str(&s).map_err(|e| WebError::Internal(e.to_string()));
    h.insert(header::CONTENT_TYPE, value(media.content_type.clone())?);
    h.insert(header::CONTENT_LENGTH, value((end - start).to_string())?);
    h.insert(header::CONTENT_DISPOSITION, value(disposition(media))?);
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    if status == StatusCode::PARTIAL_CONTENT {
        let size = download.size;
        h.insert(
            header::CONTENT_RANGE,
            value(format!("bytes {start}-{}/{size}", end - 1))?,
        );
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(value: &str) -> Option<ByteRange> {
        let mut headers = HeaderMap::new();
        headers.insert(header::RANGE, HeaderValue::from_str(value).unwrap());
        requested_range(&headers)
    }

    #[test]
    fn ranges_are_read_like_http() {
        assert_eq!(
            range("bytes=0-9"),
            Some(ByteRange::Inclusive { first: 0, last: 9 })
        );
        assert_eq!(range("bytes=10-"), Some(ByteRange::From(10)));
        assert_eq!(range("bytes=-5"), Some(ByteRange::Last(5)));
        for ignored in ["bytes=0-1,4-5", "items=0-1", "bytes=a-b", "bytes=-"] {
            assert_eq!(range(ignored), None, "{ignored}");
        }
    }

    #[test]
    fn names_are_encoded_and_pages_are_attachments() {
        let media = |name: &str, content_type: &str| Media {
            id: 1,
            storage_key: "media/2026/03/x".into(),
            file_name: name.into(),
            content_type: content_type.into(),
            size_bytes: 1,
        };
        assert_eq!(
            disposition(&media("Résumé \"1\".pdf", "application/pdf")),
            "inline; filename=\"R_sum_ _1_.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%221%22%2Epdf"
        );
        assert!(disposition(&media("x.html", "text/html")).starts_with("attachment;"));
        assert!(disposition(&media("x.svg", "image/svg+xml")).starts_with("attachment;"));
    }
}
