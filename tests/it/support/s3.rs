//! A real S3-protocol server for tests: s3s (the protocol, SigV4 checks included) over s3s-fs
//! (objects as files), on 127.0.0.1 at a random port, on a thread and runtime of its own. Each
//! server has its own temporary directory and one bucket; both go when it is dropped.
//! Requests run to their end even when the client goes away, as on a real S3 server, and
//! ListMultipartUploads, which s3s-fs lacks, is answered from s3s-fs's own upload records.

use std::{net::SocketAddr, thread::JoinHandle};

use hyper_util::{
    rt::{TokioExecutor, TokioIo},
    server::conn::auto::Builder as ConnBuilder,
};
use paideia::settings::{S3Settings, Secret};
use s3s::{auth::SimpleAuth, service::S3ServiceBuilder};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const ACCESS_KEY: &str = "paideia-test-access";
pub const SECRET_KEY: &str = "paideia-test-secret-key";

pub struct S3Server {
    pub addr: SocketAddr,
    pub bucket: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    dir: TempDir,
}

impl S3Server {
    /// Starts a server with one empty bucket.
    pub fn start() -> S3Server {
        let dir = tempfile::tempdir().unwrap();
        let bucket = format!("paideia-test-{:08x}", rand::random::<u32>());
        std::fs::create_dir(dir.path().join(&bucket)).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let fs = s3s_fs::FileSystem::new(dir.path()).unwrap();
        let (stop, stopped) = oneshot::channel();
        let root = dir.path().to_path_buf();
        let thread = std::thread::spawn(move || serve(listener, fs, root, stopped));
        S3Server {
            addr,
            bucket,
            stop: Some(stop),
            thread: Some(thread),
            dir,
        }
    }

    /// s3s-fs's files for multipart uploads that were neither completed nor aborted: the
    /// upload records (`.upload-<uuid>.json`), the parts (`.upload_id-<uuid>.part-N`), their
    /// attributes (`.bucket-….object-….upload-<uuid>.metadata.json`), and temporary files of
    /// writes cut short (`.tmp.N.internal.part`).
    pub fn multipart_leftovers(&self) -> Vec<std::path::PathBuf> {
        std::fs::read_dir(self.root())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.starts_with(".upload") || n.starts_with(".tmp.") || n.contains(".upload-")
                })
            })
            .collect()
    }

    /// The folder the server keeps its buckets and bookkeeping in.
    pub fn root(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Settings for this server's bucket (path-style, as a custom endpoint implies).
    pub fn settings(&self) -> S3Settings {
        S3Settings {
            endpoint_url: Some(self.endpoint()),
            region: "us-east-1".into(),
            bucket: self.bucket.clone(),
            path_style: true,
            access_key: Some(ACCESS_KEY.into()),
            secret_key: Some(Secret::new(SECRET_KEY)),
            timeout: paideia::settings::DEFAULT_S3_TIMEOUT,
        }
    }

    /// The environment that points `paideia` at `bucket` on this server.
    pub fn env(&self, bucket: &str) -> Vec<(&'static str, String)> {
        vec![
            ("PAIDEIA_S3_ENDPOINT_URL", self.endpoint()),
            ("PAIDEIA_S3_BUCKET", bucket.to_string()),
            ("PAIDEIA_S3_ACCESS_KEY", ACCESS_KEY.to_string()),
            ("PAIDEIA_S3_SECRET_KEY", SECRET_KEY.to_string()),
        ]
    }
}

fn serve(
    listener: std::net::TcpListener,
    fs: s3s_fs::FileSystem,
    root: std::path::PathBuf,
    mut stopped: oneshot::Receiver<()>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let mut builder = S3ServiceBuilder::new(fs);
        builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
        builder.set_route(ListUploads { root });
        let service = builder.build();
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        let http = ConnBuilder::new(TokioExecutor::new());
        loop {
            let socket = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((socket, _)) => socket,
                    Err(_) => continue,
                },
                _ = &mut stopped => break,
            };
            // Each request runs to its end even when the client hangs up, as on a real S3
            // server: a CompleteMultipartUpload cut off by a killed client still completes
            // (s3s-fs would otherwise stop halfway, with its record gone and its parts left).
            let service = service.clone();
            let detached = hyper::service::service_fn(move |request| {
                let handling = hyper::service::Service::call(&service, request);
                async move { tokio::spawn(handling).await.expect("s3s does not panic") }
            });
            let connection = http
                .serve_connection(TokioIo::new(socket), detached)
                .into_owned();
            tokio::spawn(connection);
        }
    });
}

impl Drop for S3Server {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `GET /BUCKET?uploads&prefix=…` (ListMultipartUploads) for s3s-fs, which keeps each
/// unfinished upload as `.upload-<id>.json` (written when it started) and
/// `.bucket-<base64 bucket>.object-<base64 key>.upload-<id>.metadata.json` in its root.
/// Signature checks apply as to every request.
struct ListUploads {
    root: std::path::PathBuf,
}

#[async_trait::async_trait]
impl s3s::route::S3Route for ListUploads {
    fn is_match(
        &self,
        method: &hyper::Method,
        uri: &hyper::Uri,
        _headers: &hyper::HeaderMap,
        _extensions: &mut hyper::http::Extensions,
    ) -> bool {
        method == hyper::Method::GET
            && uri
                .query()
                .is_some_and(|q| q.split('&').any(|p| p == "uploads" || p == "uploads="))
    }

    async fn call(
        &self,
        req: s3s::S3Request<s3s::Body>,
    ) -> s3s::S3Result<s3s::S3Response<s3s::Body>> {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let bucket = req.uri.path().trim_matches('/').to_string();
        let prefix = url::form_urlencoded::parse(req.uri.query().unwrap_or("").as_bytes())
            .find(|(k, _)| k == "prefix")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let wanted = format!(".bucket-{}.object-", b64.encode(&bucket));
        let mut uploads = String::new();
        for entry in std::fs::read_dir(&self.root).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix(&wanted) else {
                continue;
            };
            let Some((key, rest)) = rest.split_once(".upload-") else {
                continue;
            };
            let Some(id) = rest.strip_suffix(".metadata.json") else {
                continue;
            };
            let key = String::from_utf8(b64.decode(key).unwrap()).unwrap();
            let Ok(started) = std::fs::metadata(self.root.join(format!(".upload-{id}.json")))
                .and_then(|m| m.modified())
            else {
                continue; // completed or aborted meanwhile
            };
            if key.starts_with(&prefix) {
                let initiated = chrono::DateTime::<chrono::Utc>::from(started)
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                uploads.push_str(&format!(
                    "<Upload><Key>{key}</Key><UploadId>{id}</UploadId><Initiated>{initiated}</Initiated></Upload>"
                ));
            }
        }
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListMultipartUploadsResult><Bucket>{bucket}</Bucket><Prefix>{prefix}</Prefix><IsTruncated>false</IsTruncated>{uploads}</ListMultipartUploadsResult>"
        );
        let mut answer = s3s::S3Response::new(s3s::Body::from(xml));
        answer.headers.insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("application/xml"),
        );
        Ok(answer)
    }
}
