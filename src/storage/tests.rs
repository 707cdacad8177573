use super::*;
use crate::settings::Secret;

const SECRET: &str = "hunter2-s3-secret-key";

fn settings(endpoint: &str) -> S3Settings {
    S3Settings {
        endpoint_url: Some(endpoint.to_string()),
        region: "us-east-1".into(),
        bucket: "files".into(),
        path_style: true,
        access_key: Some("paideia-access".into()),
        secret_key: Some(Secret::new(SECRET)),
        timeout: crate::settings::DEFAULT_S3_TIMEOUT,
    }
}

#[test]
fn the_secret_key_stays_out_of_debug_and_display() {
    let settings = settings("http://127.0.0.1:9000");
    let storage = Storage::s3(&settings).unwrap();
    for text in [
        format!("{settings:?}"),
        format!("{storage:?}"),
        format!("{storage}"),
    ] {
        assert!(!text.contains(SECRET), "{text}");
    }
    assert_eq!(storage.backend(), "s3");
    assert_eq!(
        storage.to_string(),
        "S3 bucket files at http://127.0.0.1:9000"
    );
}

#[tokio::test]
async fn the_secret_key_stays_out_of_errors() {
    // Nothing listens on port 1: every request fails after the client's retries.
    let storage = Storage::s3(&settings("http://127.0.0.1:1")).unwrap();
    let err = storage.check_writable().await.unwrap_err();
    let text = format!("{err} {err:?} {:?}", err.hint());
    assert!(text.contains("S3 bucket files"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn keys_are_checked_before_any_backend_sees_them() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::local(dir.path()).await.unwrap();
    let err = storage.head("../outside").await.unwrap_err();
    assert!(matches!(err, StorageError::InvalidKey { .. }), "{err}");
    assert!(storage.list("/").await.is_err());
    assert_eq!(storage.list("").await.unwrap(), Vec::<String>::new());
}

#[test]
fn folder_errors_get_a_hint_that_fits_the_cause() {
    let path = std::path::PathBuf::from("/srv/paideia/files/media/x");
    let hint = |kind: std::io::ErrorKind| {
        StorageError::Local {
            op: "write",
            path: path.clone(),
            source: kind.into(),
        }
        .hint()
        .unwrap()
    };
    assert!(hint(std::io::ErrorKind::StorageFull).contains("is full"));
    assert!(hint(std::io::ErrorKind::PermissionDenied).contains("the user that owns"));
    assert!(hint(std::io::ErrorKind::ReadOnlyFilesystem).contains("read-only"));
    assert!(hint(std::io::ErrorKind::Other).contains("--data-dir"));
}
