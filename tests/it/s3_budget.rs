//! The memory budget of S3 uploads, against the real S3-protocol server: many uploads at once
//! (small ones, ones of several parts) within a small budget of their own, uploads whose
//! clients stall while others go on, and uploads cut short. Each test has its own budget, spill
//! folder and server, so tests running in parallel do not share a bound.

use std::{io, time::Duration};

use bytes::Bytes;
use futures_util::{Stream, StreamExt, TryStreamExt, future::join_all, stream};
use paideia::storage::{Storage, StorageError, UploadBudget};
use tempfile::TempDir;
use tokio::sync::oneshot;

use crate::support::s3::S3Server;

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;
/// paideia's part size (`storage::s3::budget::PART_SIZE`).
const PART: usize = 8 * MIB;
/// The chunks a body arrives in, about what the form parser yields.
const CHUNK: usize = 64 * KIB;
/// Longer than any of these tests takes; a deadlock fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(120);

/// A storage on `server` whose uploads keep at most `receive` bytes in memory while receiving
/// and one part while sending, spilling into a folder of its own.
fn budgeted(server: &S3Server, receive: usize) -> (Storage, UploadBudget, TempDir) {
    let spill = tempfile::tempdir().unwrap();
    let budget = UploadBudget::new(receive, PART, spill.path().to_path_buf());
    let storage = Storage::s3(&server.settings())
        .unwrap()
        .with_upload_budget(budget.clone());
    (storage, budget, spill)
}

/// `n` bytes, different for each `seed`, so that bytes of one upload landing in another show.
fn data(n: usize, seed: usize) -> Vec<u8> {
    (0..n).map(|i| ((i * 7 + seed * 13) % 251) as u8).collect()
}

fn chunks(bytes: &[u8]) -> Vec<io::Result<Bytes>> {
    bytes
        .chunks(CHUNK)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect()
}

/// A body that sends `before`, says so on `reached`, and sends `after` once `open` fires: a
/// client on a bad connection.
fn stalling(
    before: &[u8],
    after: &[u8],
) -> (
    impl Stream<Item = io::Result<Bytes>> + Send + 'static,
    oneshot::Receiver<()>,
    oneshot::Sender<()>,
) {
    let (reached, reached_rx) = oneshot::channel();
    let (open, opened) = oneshot::channel::<()>();
    let rest = chunks(after);
    let stall = stream::once(async move {
        let _ = reached.send(());
        let _ = opened.await;
        stream::iter(rest)
    })
    .flatten();
    (stream::iter(chunks(before)).chain(stall), reached_rx, open)
}

async fn read(storage: &Storage, key: &str) -> Vec<u8> {
    let download = storage.get(key, None).await.unwrap();
    let chunks: Vec<Bytes> = download.body.try_collect().await.unwrap();
    chunks.concat()
}

fn spill_files(dir: &TempDir) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

/// Uploads `files` at once and checks each landed byte for byte.
async fn upload_all(storage: &Storage, files: &[(String, Vec<u8>)]) {
    let uploads = files.iter().map(|(key, bytes)| {
        let body = stream::iter(chunks(bytes));
        storage.put_stream(key, body, u64::MAX)
    });
    let done = tokio::time::timeout(PATIENCE, join_all(uploads))
        .await
        .expect("the uploads finish");
    for ((key, bytes), info) in files.iter().zip(done) {
        assert_eq!(info.unwrap().size, bytes.len() as u64, "{key}");
        assert!(read(storage, key).await == *bytes, "{key} landed whole");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_uploads_stay_within_the_budget() {
    let server = S3Server::start();
    let (storage, budget, spill) = budgeted(&server, 4 * MIB);
    let sizes = [
        0,
        100 * KIB,
        MIB,
        3 * MIB,
        5 * MIB + 1,
        PART,
        PART + 123,
        2 * PART + 5 * MIB + 7,
    ];
    let files: Vec<(String, Vec<u8>)> = sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| (format!("media/many-{i}"), data(n, i)))
        .collect();
    upload_all(&storage, &files).await;

    let total: usize = sizes.iter().sum();
    assert!(
        budget.peak() <= budget.limit(),
        "{} bytes held at most, within {}",
        budget.peak(),
        budget.limit()
    );
    assert!(budget.peak() > 0 && budget.spilled() > 0);
    assert!(
        budget.spilled() <= total as u64,
        "{} spilled",
        budget.spilled()
    );
    assert_eq!(budget.held(), 0, "everything given back");
    assert_eq!(spill_files(&spill), Vec::<std::path::PathBuf>::new());
    assert_eq!(
        server.multipart_leftovers(),
        Vec::<std::path::PathBuf>::new()
    );
    let mut keys: Vec<String> = files.iter().map(|(k, _)| k.clone()).collect();
    keys.sort();
    assert_eq!(storage.list("media").await.unwrap(), keys);
}

/// Two clients stall mid-upload holding the whole receive budget; eight others (small, and of
/// several parts) still go through, spilling; then the stalled two finish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_uploads_do_not_hold_up_the_others() {
    let server = S3Server::start();
    let receive = 4 * MIB;
    let (storage, budget, spill) = budgeted(&server, receive);

    // A file of two parts whose client stalls 3 MiB in, and a small file that stalls 3 MiB in.
    let slow = [
        ("media/slow-big".to_string(), data(PART + MIB, 100), 3 * MIB),
        ("media/slow-small".to_string(), data(4 * MIB, 101), 3 * MIB),
    ];
    let mut stalled = Vec::new();
    for (key, bytes, at) in &slow {
        let (body, reached, open) = stalling(&bytes[..*at], &bytes[*at..]);
        let (storage, key) = (storage.clone(), key.clone());
        let task = tokio::spawn(async move { storage.put_stream(&key, body, u64::MAX).await });
        tokio::time::timeout(PATIENCE, reached)
            .await
            .unwrap()
            .unwrap();
        stalled.push((task, open));
    }
    assert_eq!(
        budget.held(),
        receive,
        "the stalled uploads hold the whole receive budget"
    );

    let files: Vec<(String, Vec<u8>)> = (0..8)
        .map(|i| {
            let n = if i % 4 == 0 { 2 * PART + MIB } else { MIB + i };
            (format!("media/fast-{i}"), data(n, i))
        })
        .collect();
    upload_all(&storage, &files).await;
    assert_eq!(budget.held(), receive, "the stalled ones still hold theirs");
    assert!(
        spill_files(&spill).len() == 1,
        "only the stalled small upload has a spill file now: {:?}",
        spill_files(&spill)
    );

    for ((task, open), (key, bytes, _)) in stalled.into_iter().zip(&slow) {
        open.send(()).unwrap();
        let info = tokio::time::timeout(PATIENCE, task)
            .await
            .expect("the stalled upload finishes once its client goes on")
            .unwrap()
            .unwrap();
        assert_eq!(info.size, bytes.len() as u64);
        assert!(read(&storage, key).await == *bytes, "{key} landed whole");
    }
    assert!(
        budget.peak() <= budget.limit(),
        "{} > {}",
        budget.peak(),
        budget.limit()
    );
    assert_eq!(budget.held(), 0);
    assert_eq!(spill_files(&spill), Vec::<std::path::PathBuf>::new());
    assert_eq!(
        server.multipart_leftovers(),
        Vec::<std::path::PathBuf>::new()
    );
}

/// Uploads that fail or are dropped with bytes in their spill file leave no file and give back
/// their budget; nothing is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_and_dropped_uploads_leave_no_spill_file() {
    let server = S3Server::start();
    let (storage, budget, spill) = budgeted(&server, MIB);

    let body = stream::iter(chunks(&data(20 * MIB, 1)));
    let err = storage
        .put_stream("media/too-big", body, 12 * MIB as u64)
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::TooLarge { .. }), "{err}");
    assert!(budget.spilled() > 0, "the upload spilled before it failed");
    assert_eq!(budget.held(), 0);
    assert_eq!(spill_files(&spill), Vec::<std::path::PathBuf>::new());

    let body = stream::iter(chunks(&data(3 * MIB, 2)))
        .chain(stream::iter([Err(io::Error::other("client went away"))]));
    let err = storage
        .put_stream("media/broken", body, u64::MAX)
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::Upload { .. }), "{err}");
    assert_eq!(budget.held(), 0);
    assert_eq!(spill_files(&spill), Vec::<std::path::PathBuf>::new());

    // Dropped while its second part is half spilled (a client that disconnects).
    let bytes = data(PART + 2 * MIB, 3);
    let (body, reached, _open) = stalling(&bytes, &[]);
    tokio::select! {
        _ = storage.put_stream("media/dropped", body, u64::MAX) => panic!("the body never ends"),
        _ = reached => {}
    }
    assert_eq!(spill_files(&spill), Vec::<std::path::PathBuf>::new());
    assert_eq!(storage.head("media/too-big").await.unwrap(), None);
    assert_eq!(storage.head("media/broken").await.unwrap(), None);
    assert_eq!(storage.head("media/dropped").await.unwrap(), None);
    assert!(budget.peak() <= budget.limit());
}

/// A killed upload's spill file (no process holds its lock) is found and removed by the
/// storage's sweep, which leaves every other file in the shared folder alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_removes_a_killed_uploads_spill_file() {
    use paideia::storage::temp;
    let server = S3Server::start();
    let (storage, _budget, spill) = budgeted(&server, MIB);
    let killed = spill
        .path()
        .join(".s3-upload.paideia-tmp-4242-abcdefABCDEF");
    std::fs::write(&killed, data(1000, 0)).unwrap();
    let others = [
        spill
            .path()
            .join(".backup.sql.zst.paideia-tmp-4242-abcdefABCDEF"),
        spill.path().join("notes.txt"),
    ];
    for other in &others {
        std::fs::write(other, b"not ours to remove").unwrap();
    }
    let now = std::time::SystemTime::now();
    let later = now + temp::SAFE_AGE + Duration::from_secs(1);

    let fresh = storage
        .sweep_temporary(temp::cutoff(now), true)
        .await
        .unwrap();
    assert!(fresh.stale.is_empty(), "{fresh:?}");
    let swept = storage
        .sweep_temporary(temp::cutoff(later), true)
        .await
        .unwrap();
    assert_eq!(swept.stale.len(), 1, "{swept:?}");
    assert_eq!(
        (swept.stale[0].bytes, swept.stale[0].pid),
        (1000, Some(4242))
    );
    assert!(!killed.exists());
    assert!(others.iter().all(|o| o.exists()));
}
