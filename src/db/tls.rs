//! TLS for PostgreSQL with libpq's `sslmode` meanings, which tokio-postgres does not implement
//! itself: `prefer` and `require` encrypt without checking the certificate (as libpq does),
//! `verify-ca` and `verify-full` check it against the web PKI roots plus `sslrootcert` if given.

use std::sync::Arc;

use rustls::{
    DigitallySignedStruct, SignatureScheme,
    client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    crypto::{CryptoProvider, ring},
    pki_types::{CertificateDer, ServerName, UnixTime, pem::PemObject},
};

use super::DbError;

/// How the server's certificate is treated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verify {
    /// Encrypt, but accept any certificate (libpq's prefer and require).
    No,
    /// Check the chain and host name; extra roots from this PEM file.
    Full { root_cert: Option<String> },
}

/// Splits libpq's TLS parameters out of a URL: the URL tokio-postgres can parse, and how to
/// verify. `verify-ca` and `verify-full` become tokio-postgres's `require`.
pub fn split_url(raw: &str) -> Result<(String, Verify), DbError> {
    let mut url =
        url::Url::parse(raw).map_err(|e| DbError::Url(format!("invalid database URL: {e}")))?;
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mode = pairs
        .iter()
        .find(|(k, _)| k == "sslmode")
        .map(|(_, v)| v.clone());
    let root_cert = pairs
        .iter()
        .find(|(k, _)| k == "sslrootcert")
        .map(|(_, v)| v.clone());
    let verify = match mode.as_deref() {
        Some("verify-ca" | "verify-full") => Verify::Full { root_cert },
        None | Some("disable" | "allow" | "prefer" | "require") => Verify::No,
        Some(other) => return Err(DbError::Url(format!("unknown sslmode `{other}`"))),
    };
    let kept: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| k != "sslrootcert")
        .map(|(k, v)| match (k.as_str(), v.as_str()) {
            ("sslmode", "verify-ca" | "verify-full") => (k, "require".to_string()),
            ("sslmode", "allow") => (k, "prefer".to_string()),
            _ => (k, v),
        })
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Ok((url.to_string(), verify))
}

pub fn connector(verify: &Verify) -> Result<tokio_postgres_rustls::MakeRustlsConnect, DbError> {
    let provider = Arc::new(ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| DbError::Url(format!("TLS set-up: {e}")))?;
    let config = match verify {
        Verify::No => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
            .with_no_client_auth(),
        Verify::Full { root_cert } => {
            let mut roots =
                rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            if let Some(path) = root_cert {
                for cert in CertificateDer::pem_file_iter(path)
                    .map_err(|e| DbError::Url(format!("sslrootcert {path}: {e}")))?
                {
                    let cert =
                        cert.map_err(|e| DbError::Url(format!("sslrootcert {path}: {e}")))?;
                    roots
                        .add(cert)
                        .map_err(|e| DbError::Url(format!("sslrootcert {path}: {e}")))?;
                }
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    };
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Accepts any certificate but still checks that the handshake is signed by its key, which is
/// what libpq's `require` gives: encryption against passive listeners.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_modes_map_onto_tokio_postgres() {
        let (url, v) =
            split_url("postgres://h/db?sslmode=verify-full&sslrootcert=/ca.pem").unwrap();
        assert_eq!(url, "postgres://h/db?sslmode=require");
        assert_eq!(
            v,
            Verify::Full {
                root_cert: Some("/ca.pem".into())
            }
        );
        let (url, v) = split_url("postgres://h/db").unwrap();
        assert_eq!((url.as_str(), v), ("postgres://h/db", Verify::No));
        assert!(split_url("postgres://h/db?sslmode=sometimes").is_err());
    }
}
