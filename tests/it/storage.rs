//! The storage layer on both backends: the local folder and a real S3-protocol server. Every
//! case runs against each; `paideia serve` is also checked on S3.

use std::{
    io,
    time::{Duration, Instant},
};

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt, stream};
use paideia::storage::{ByteRange, Storage, StorageError};
use sha2::{Digest, Sha256};

use crate::{
    on_both_storages,
    support::{Backend, TestStorage, s3::S3Server, server::Server},
};

const MIB: usize = 1024 * 1024;

/// `n` bytes that differ from chunk to chunk, so misplaced chunks are noticed.
fn data(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i % 251) as u8).collect()
}

/// `bytes` in chunks of `chunk` bytes, as an upload body.
fn chunked(
    bytes: &[u8],
    chunk: usize,
) -> impl futures_util::Stream<Item = io::Result<Bytes>> + use<> {
    let chunks: Vec<io::Result<Bytes>> = bytes
        .chunks(chunk)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    stream::iter(chunks)
}

async fn read(storage: &Storage, key: &str, range: Option<ByteRange>) -> Vec<u8> {
    let download = storage.get(key, range).await.unwrap();
    let chunks: Vec<Bytes> = download.body.try_collect().await.unwrap();
    chunks.concat()
}

/// Nothing readable under `key`, nothing listed, and no file left behind.
async fn assert_nothing_stored(t: &TestStorage, key: &str) {
    assert_eq!(t.storage.head(key).await.unwrap(), None);
    assert!(t.storage.list("").await.unwrap().is_empty());
    assert!(
        matches!(
            t.storage.get(key, None).await,
            Err(StorageError::NotFound { .. })
        ),
        "a missing key is NotFound"
    );
    assert_eq!(
        t.files(),
        Vec::<std::path::PathBuf>::new(),
        "files left behind"
    );
}

on_both_storages!(
    round_trip,
    oversized_upload_stores_nothing,
    failing_stream_stores_nothing,
    dropped_upload_stores_nothing,
    ranges,
    list_is_complete_past_one_page,
    delete_is_idempotent,
    invalid_keys_are_refused,
    check_writable_leaves_nothing,
);

async fn round_trip(t: &TestStorage) {
    let s = &t.storage;
    let key = Storage::new_key("media", chrono::Utc::now()).unwrap();
    let small = Bytes::from_static(b"hello, paideia");
    let info = s.put_bytes(&key, small.clone()).await.unwrap();
    assert_eq!(info.size, small.len() as u64);
    assert_eq!(info.sha256, <[u8; 32]>::from(Sha256::digest(&small)));
    assert_eq!(s.head(&key).await.unwrap(), Some(small.len() as u64));
    assert_eq!(read(s, &key, None).await, small);

    // Larger than one S3 part: a multipart upload there.
    let big = data(9 * MIB + 123);
    let info = s
        .put_stream(&key, chunked(&big, MIB), u64::MAX)
        .await
        .unwrap();
    assert_eq!(info.size, big.len() as u64);
    assert_eq!(info.sha256, <[u8; 32]>::from(Sha256::digest(&big)));
    let download = s.get(&key, None).await.unwrap();
    assert_eq!(
        (download.size, download.range.clone()),
        (big.len() as u64, 0..big.len() as u64)
    );
    assert!(
        read(s, &key, None).await == big,
        "the big object comes back whole"
    );
    assert_eq!(s.list("media").await.unwrap(), vec![key]);
}

async fn oversized_upload_stores_nothing(t: &TestStorage) {
    let key = "media/too-big";
    let limit = 12 * MIB as u64;
    let body = chunked(&data(20 * MIB), MIB);
    let err = t.storage.put_stream(key, body, limit).await.unwrap_err();
    assert!(
        matches!(err, StorageError::TooLarge { limit: l, .. } if l == limit),
        "{err}"
    );
    assert_nothing_stored(t, key).await;

    let err = t
        .storage
        .put_stream(key, chunked(b"eleven byte", 100), 10)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StorageError::TooLarge { limit: 10, .. }),
        "{err}"
    );
    assert_nothing_stored(t, key).await;
}

async fn failing_stream_stores_nothing(t: &TestStorage) {
    let key = "media/broken";
    for size in [3 * MIB, 10 * MIB] {
        let body = chunked(&data(size), MIB)
            .chain(stream::iter([Err(io::Error::other("client went away"))]));
        let err = t.storage.put_stream(key, body, u64::MAX).await.unwrap_err();
        assert!(matches!(err, StorageError::Upload { .. }), "{err}");
        assert!(err.to_string().contains("client went away"), "{err}");
        assert_nothing_stored(t, key).await;
    }

    // A failed overwrite leaves the old object as it was.
    t.storage
        .put_bytes(key, Bytes::from_static(b"v1"))
        .await
        .unwrap();
    let body = chunked(b"v2 partial", 2).chain(stream::iter([Err(io::Error::other("cut"))]));
    assert!(t.storage.put_stream(key, body, u64::MAX).await.is_err());
    assert_eq!(read(&t.storage, key, None).await, b"v1");
}

/// The caller gives up mid-upload (a client disconnects): the upload future is dropped.
async fn dropped_upload_stores_nothing(t: &TestStorage) {
    let (reached, reached_rx) = tokio::sync::oneshot::channel();
    let stall = stream::once(async move {
        let _ = reached.send(());
        std::future::pending::<io::Result<Bytes>>().await
    });
    let body = chunked(&data(10 * MIB), MIB).chain(stall);
    tokio::select! {
        _ = t.storage.put_stream("media/dropped", body, u64::MAX) => panic!("the body never ends"),
        _ = reached_rx => {}
    }
    // S3 aborts in the background once the parts in flight have landed.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !t.files().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_nothing_stored(t, "media/dropped").await;
}

async fn ranges(t: &TestStorage) {
    let s = &t.storage;
    let key = "media/ranged";
    let bytes = data(1000);
    s.put_bytes(key, Bytes::from(bytes.clone())).await.unwrap();
    let first = ByteRange::Inclusive { first: 0, last: 9 };
    assert_eq!(read(s, key, Some(first)).await, &bytes[..10]);
    let middle = ByteRange::Inclusive {
        first: 100,
        last: 199,
    };
    let download = s.get(key, Some(middle)).await.unwrap();
    assert_eq!((download.size, download.range), (1000, 100..200));
    assert_eq!(read(s, key, Some(middle)).await, &bytes[100..200]);
    assert_eq!(
        read(s, key, Some(ByteRange::From(990))).await,
        &bytes[990..]
    );
    assert_eq!(read(s, key, Some(ByteRange::Last(5))).await, &bytes[995..]);
    let past_end = ByteRange::Inclusive {
        first: 995,
        last: 5000,
    };
    assert_eq!(read(s, key, Some(past_end)).await, &bytes[995..]);
    let outside = s.get(key, Some(ByteRange::From(1000))).await;
    assert!(
        matches!(
            outside,
            Err(StorageError::RangeNotSatisfiable { size: 1000, .. })
        ),
        "{:?}",
        outside.err()
    );
}

async fn list_is_complete_past_one_page(t: &TestStorage) {
    let s = &t.storage;
    let mut expected: Vec<String> = (0..1100).map(|i| format!("backups/b{i:04}")).collect();
    stream::iter(expected.clone())
        .map(|key| async move { s.put_bytes(&key, Bytes::from_static(b"x")).await })
        .buffer_unordered(16)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    s.put_bytes("media/other", Bytes::from_static(b"y"))
        .await
        .unwrap();
    s.put_bytes("backupsx/not-under-the-prefix", Bytes::from_static(b"z"))
        .await
        .unwrap();

    let listed = s.list("backups").await.unwrap();
    assert_eq!(listed.len(), 1100, "S3 answers 1000 keys a page");
    assert_eq!(listed, expected);
    assert_eq!(s.list("backups/b0999").await.unwrap(), Vec::<String>::new());
    expected.extend(["backupsx/not-under-the-prefix".into(), "media/other".into()]);
    expected.sort();
    assert_eq!(s.list("").await.unwrap(), expected);
}

async fn delete_is_idempotent(t: &TestStorage) {
    let s = &t.storage;
    s.put_bytes("media/gone", Bytes::from_static(b"x"))
        .await
        .unwrap();
    s.put_bytes("media/kept", Bytes::from_static(b"y"))
        .await
        .unwrap();
    s.delete("media/gone").await.unwrap();
    s.delete("media/gone").await.unwrap();
    s.delete("never/existed").await.unwrap();
    assert_eq!(s.head("media/gone").await.unwrap(), None);
    assert_eq!(
        s.list("media").await.unwrap(),
        vec!["media/kept".to_string()]
    );
}

async fn invalid_keys_are_refused(t: &TestStorage) {
    let s = &t.storage;
    for key in [
        "../x",
        "/abs",
        "a/../../b",
        "",
        "a\\b",
        "a/\u{7}",
        ".hidden",
    ] {
        let put = s.put_bytes(key, Bytes::from_static(b"x")).await;
        assert!(
            matches!(put, Err(StorageError::InvalidKey { .. })),
            "{key:?}"
        );
        assert!(matches!(
            s.get(key, None).await,
            Err(StorageError::InvalidKey { .. })
        ));
        assert!(matches!(
            s.head(key).await,
            Err(StorageError::InvalidKey { .. })
        ));
        assert!(matches!(
            s.delete(key).await,
            Err(StorageError::InvalidKey { .. })
        ));
    }
    assert!(matches!(
        s.list("../").await,
        Err(StorageError::InvalidKey { .. })
    ));
    assert_eq!(t.files(), Vec::<std::path::PathBuf>::new());
}

async fn check_writable_leaves_nothing(t: &TestStorage) {
    t.storage.check_writable().await.unwrap();
    assert!(t.storage.list("").await.unwrap().is_empty());
    assert_eq!(t.files(), Vec::<std::path::PathBuf>::new());
}

fn serve_on_s3(b: &Backend, server: &S3Server, bucket: &str) -> Server {
    let mut cmd = b.paideia();
    cmd.envs(server.env(bucket)).arg("serve");
    Server::start(cmd)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_is_ready_on_s3() {
    let (b, s3) = (Backend::sqlite(), S3Server::start());
    let server = serve_on_s3(&b, &s3, &s3.bucket);
    let response = crate::support::get(server.url("/readyz")).await.unwrap();
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}\n{}", server.log());
    assert_eq!(body["checks"]["storage"], "ok");
    assert!(
        server
            .log()
            .contains(&format!("storage: S3 bucket {}", s3.bucket)),
        "{}",
        server.log()
    );
    assert!(!server.log().contains(crate::support::s3::SECRET_KEY));
    assert!(
        !b.data_dir().join("files").exists(),
        "no local folder with S3"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_is_not_ready_without_the_bucket() {
    let (b, s3) = (Backend::sqlite(), S3Server::start());
    let server = serve_on_s3(&b, &s3, "no-such-bucket");
    let response = crate::support::get(server.url("/readyz")).await.unwrap();
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["checks"]["storage"], "failed");
    assert_eq!(body["checks"]["database"], "ok");
    assert!(
        !body.to_string().contains("no-such-bucket") && !body.to_string().contains("127.0.0.1"),
        "the public answer names neither bucket nor endpoint: {body}"
    );
    let needle = "not ready: storage: S3 bucket no-such-bucket";
    assert!(
        server.logged(needle, std::time::Duration::from_secs(5)),
        "{}",
        server.log()
    );
    let log = server.log();
    assert!(!log.contains(crate::support::s3::SECRET_KEY), "{log}");
}
