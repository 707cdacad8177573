//! The S3 backend, on object_store's client (SigV4 signing with ring, our reqwest): building
//! the client from settings (timeouts and retries included), downloads, lookups, deletion and
//! listing. Uploads are in `upload`, their memory budget in `budget`, their leases in `lease`,
//! error wording in `errors`.

pub mod budget;
pub mod errors;
mod lease;
mod upload;
mod uploads;

pub use lease::PROBE_NAME;

use std::{fmt, sync::Arc, time::Duration};

use futures_util::{StreamExt, TryStreamExt};
use object_store::{
    ClientOptions, GetOptions, GetRange, ObjectStore, ObjectStoreExt, RetryConfig,
    aws::{AmazonS3, AmazonS3Builder},
    path::Path,
};

use super::{ByteRange, Download, ObjectInfo, StorageError};
use crate::settings::S3Settings;
use errors::redact_userinfo as redact_url;

#[derive(Clone)]
pub struct S3Store {
    store: Arc<AmazonS3>,
    bucket: String,
    /// The endpoint as shown to people: any credential in it is redacted.
    endpoint: String,
    /// Where leases of uploads in progress and probe objects go.
    temp_prefix: String,
    /// The folders whose unfinished multipart uploads are paideia's to abort (never the
    /// whole bucket, which other programs may share). A shared slice, not a `Vec`: it keeps
    /// the store small enough to sit unboxed in `storage::Backend`.
    upload_prefixes: Arc<[String]>,
    /// For the requests object_store does not make (ListMultipartUploads): the bucket's URL,
    /// the region and a client with the same timeouts.
    bucket_url: url::Url,
    region: String,
    http: reqwest::Client,
    /// The memory budget of uploads (the process's own unless a test gives another).
    budget: budget::UploadBudget,
}

/// The folder (key prefix) of leases and probes unless the caller chooses another.
pub const DEFAULT_TEMP_PREFIX: &str = "paideia-tmp";
/// The folder of uploaded files, whose abandoned uploads the media storage aborts.
const MEDIA_PREFIX: &str = "media";

/// The bucket's own URL, without any credential in it: `endpoint/bucket/` (path-style),
/// `bucket.endpoint/` (virtual-hosted), or AWS's regional address.
fn bucket_url(settings: &S3Settings) -> Result<url::Url, StorageError> {
    let (bucket, region) = (&settings.bucket, &settings.region);
    let text = match (&settings.endpoint_url, settings.path_style) {
        (Some(endpoint), true) => format!("{}/{bucket}/", endpoint.trim_end_matches('/')),
        (Some(endpoint), false) => format!("{}/", endpoint_url(endpoint, bucket, false)?),
        (None, true) => format!("https://s3.{region}.amazonaws.com/{bucket}/"),
        (None, false) => format!("https://{bucket}.s3.{region}.amazonaws.com/"),
    };
    let mut url =
        url::Url::parse(&text).map_err(|e| StorageError::S3Settings(format!("bucket URL: {e}")))?;
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok(url)
}

fn http_client(settings: &S3Settings) -> Result<reqwest::Client, StorageError> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT.min(settings.timeout))
        .read_timeout(settings.timeout)
        .timeout(settings.timeout * 2)
        .build()
        .map_err(|e| StorageError::S3Settings(e.to_string()))
}

impl fmt::Debug for S3Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Store")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for S3Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S3 bucket {} at {}", self.bucket, self.endpoint)
    }
}

/// The endpoint URL object_store wants: with the bucket in the host name when virtual-hosted.
fn endpoint_url(endpoint: &str, bucket: &str, path_style: bool) -> Result<String, StorageError> {
    if path_style {
        return Ok(endpoint.to_string());
    }
    let invalid = || {
        StorageError::S3Settings(format!(
            "endpoint URL `{}` has no host",
            redact_url(endpoint)
        ))
    };
    let mut url = url::Url::parse(endpoint).map_err(|_| invalid())?;
    let host = format!("{bucket}.{}", url.host_str().ok_or_else(invalid)?);
    url.set_host(Some(&host)).map_err(|_| invalid())?;
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// How long a connection may take to open, at most.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

fn client_options(settings: &S3Settings) -> ClientOptions {
    let http = settings
        .endpoint_url
        .as_deref()
        .is_some_and(|e| e.starts_with("http://"));
    ClientOptions::new()
        .with_allow_http(http)
        .with_connect_timeout(CONNECT_TIMEOUT.min(settings.timeout))
        // Downloads may stream for long to slow clients; a stalled read still fails.
        .with_timeout_disabled()
        .with_read_timeout(settings.timeout)
}

/// object_store's retries: up to 3 with exponential backoff (100 ms doubling, at most 15 s,
/// with jitter), for 5xx answers (SlowDown included), 429, timeouts of idempotent requests and
/// connections that fail before the request is sent; never past `timeout` after the first try.
fn retry_config(settings: &S3Settings) -> RetryConfig {
    RetryConfig {
        max_retries: 3,
        retry_timeout: settings.timeout,
        ..RetryConfig::default()
    }
}

impl S3Store {
    pub fn new(settings: &S3Settings) -> Result<S3Store, StorageError> {
        crate::install_crypto_provider();
        let retry = retry_config(settings);
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_virtual_hosted_style_request(!settings.path_style)
            .with_client_options(client_options(settings))
            .with_retry(retry);
        if let Some(endpoint) = &settings.endpoint_url {
            builder = builder.with_endpoint(endpoint_url(
                endpoint,
                &settings.bucket,
                settings.path_style,
            )?);
        }
        if let (Some(access), Some(secret)) = (&settings.access_key, &settings.secret_key) {
            builder = builder
                .with_access_key_id(access)
                .with_secret_access_key(secret.expose());
        }
        let store = builder
            .build()
            .map_err(|e| StorageError::S3Settings(redact_url(&e.to_string())))?;
        let endpoint = match &settings.endpoint_url {
            Some(url) => redact_url(url),
            None => format!("AWS region {}", settings.region),
        };
        Ok(S3Store {
            store: Arc::new(store),
            bucket: settings.bucket.clone(),
            endpoint,
            temp_prefix: DEFAULT_TEMP_PREFIX.to_string(),
            upload_prefixes: Arc::from([MEDIA_PREFIX.to_string()]),
            bucket_url: bucket_url(settings)?,
            region: settings.region.clone(),
            http: http_client(settings)?,
            budget: budget::UploadBudget::process(),
        })
    }

    /// Keeps leases and probes under `prefix/paideia-tmp` and aborts abandoned uploads only
    /// under `prefix/FOLDER` for each of `folders` (a backup target's own prefix, so that a
    /// bucket policy limited to it is enough).
    pub fn scoped(mut self, prefix: &str, folders: &[&str]) -> S3Store {
        let join = |name: &str| match prefix {
            "" => name.to_string(),
            p => format!("{p}/{name}"),
        };
        self.temp_prefix = join(DEFAULT_TEMP_PREFIX);
        self.upload_prefixes = folders.iter().map(|f| join(f)).collect();
        self
    }

    /// Holds the buffers of uploads within `budget` instead of the process's budget.
    pub fn with_budget(mut self, budget: budget::UploadBudget) -> S3Store {
        self.budget = budget;
        self
    }

    pub fn budget(&self) -> &budget::UploadBudget {
        &self.budget
    }

    pub fn temp_prefix(&self) -> &str {
        &self.temp_prefix
    }

    fn failed(
        &self,
        op: &'static str,
        key: &str,
    ) -> impl Fn(object_store::Error) -> StorageError + Send + 'static {
        let (bucket, key) = (self.bucket.clone(), key.to_string());
        move |source| {
            tracing::debug!(
                "S3 bucket {bucket}: {op} {key}: {}",
                redact_url(&source.to_string())
            );
            StorageError::S3 {
                op,
                bucket: bucket.clone(),
                key: key.clone(),
                failure: errors::describe(&source),
            }
        }
    }

    fn not_found(&self, key: &str) -> StorageError {
        StorageError::NotFound {
            store: self.to_string(),
            key: key.to_string(),
        }
    }

    pub async fn get(&self, key: &str, range: Option<ByteRange>) -> Result<Download, StorageError> {
        let options = GetOptions {
            range: range.map(get_range),
            ..GetOptions::default()
        };
        let result = match self.store.get_opts(&Path::from(key), options).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => return Err(self.not_found(key)),
            Err(e) => {
                return Err(self
                    .range_error(key, range, self.failed("download", key)(e))
                    .await);
            }
        };
        let (size, byte_range) = (result.meta.size, result.range.clone());
        let body = result
            .into_stream()
            .map_err(self.failed("download", key))
            .boxed();
        Ok(Download {
            size,
            range: byte_range,
            body,
        })
    }

    /// A failed ranged GET is the range's fault when the object exists and the range misses it.
    async fn range_error(
        &self,
        key: &str,
        range: Option<ByteRange>,
        error: StorageError,
    ) -> StorageError {
        if let Some(range) = range
            && let Ok(Some(size)) = self.head(key).await
            && range.within(size).is_none()
        {
            return StorageError::RangeNotSatisfiable {
                key: key.to_string(),
                size,
            };
        }
        error
    }

    pub async fn head(&self, key: &str) -> Result<Option<u64>, StorageError> {
        match self.store.head(&Path::from(key)).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.failed("look up", key)(e)),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.failed("delete", key)(e)),
        }
    }

    /// Every object under `prefix`, with its size and time; object_store follows the
    /// continuation tokens.
    pub async fn list_objects(&self, prefix: &str) -> Result<Vec<ObjectInfo>, StorageError> {
        let prefix_path = (!prefix.is_empty()).then(|| Path::from(prefix));
        self.store
            .list(prefix_path.as_ref())
            .map_ok(|meta| ObjectInfo {
                key: meta.location.to_string(),
                size: meta.size,
                modified: meta.last_modified,
            })
            .try_collect()
            .await
            .map_err(self.failed("list", &format!("{prefix}/")))
    }
}

fn get_range(range: ByteRange) -> GetRange {
    match range {
        ByteRange::Inclusive { first, last } => GetRange::Bounded(first..last.saturating_add(1)),
        ByteRange::From(first) => GetRange::Offset(first),
        ByteRange::Last(n) => GetRange::Suffix(n),
    }
}

#[cfg(test)]
mod tests {
    use super::endpoint_url;

    #[test]
    fn virtual_hosted_endpoints_carry_the_bucket() {
        let url = |e, path_style| endpoint_url(e, "files", path_style).unwrap();
        assert_eq!(url("http://127.0.0.1:9000", true), "http://127.0.0.1:9000");
        assert_eq!(
            url("https://s3.example.com", false),
            "https://files.s3.example.com"
        );
        assert_eq!(
            url("https://s3.example.com:8443/base", false),
            "https://files.s3.example.com:8443/base"
        );
    }
}
