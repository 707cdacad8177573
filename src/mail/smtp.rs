//! The SMTP client: lettre's tokio transport over rustls (ring, webpki roots), built once
//! from the settings, with a timeout on connecting and on every step. Turns an outbox row
//! into a message (plain text, or text and HTML as multipart/alternative; the stored
//! Message-ID; List-Unsubscribe with one-click) and sorts failures into temporary and final.

use std::time::Duration;

use lettre::{
    Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart, SinglePart,
        header::{ContentType, HeaderName, HeaderValue},
    },
    transport::smtp::{
        PoolConfig,
        authentication::Credentials,
        client::{Tls, TlsParameters},
    },
};

use crate::{
    envvars,
    settings::{SmtpSettings, SmtpTls},
};

/// What can go wrong sending one message.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later: no connection, a timeout, a dropped connection, a 4xx answer.
    #[error("{0}")]
    Temporary(String),
    /// Trying again will not help: a 5xx answer, an address that cannot be written.
    #[error("{0}")]
    Permanent(String),
}

/// One message to send (an outbox row, or `mail test`'s).
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub message_id: String,
    pub to_address: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub unsubscribe_url: Option<String>,
    pub headers: Vec<(String, String)>,
}

/// A connected-on-demand SMTP client. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Where it goes, for messages: `host:port (tls)`.
    server: String,
    timeout: Duration,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("server", &self.server)
            .finish()
    }
}

impl Smtp {
    /// The client for `settings`; `connections` is the most it keeps open at once.
    pub fn new(settings: &SmtpSettings, connections: u32) -> Result<Smtp, String> {
        crate::install_crypto_provider();
        let tls = match settings.tls {
            SmtpTls::None => Tls::None,
            SmtpTls::Starttls | SmtpTls::Tls => {
                let params = TlsParameters::new(settings.host.clone())
                    .map_err(|e| format!("cannot set up TLS for {}: {e}", settings.host))?;
                if settings.tls == SmtpTls::Tls {
                    Tls::Wrapper(params)
                } else {
                    Tls::Required(params)
                }
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            .port(settings.port)
            .tls(tls)
            .timeout(Some(settings.timeout))
            .pool_config(
                PoolConfig::new()
                    .max_size(connections.max(1))
                    .idle_timeout(Duration::from_secs(60)),
            );
        if let Some(user) = &settings.user {
            let password = settings
                .password
                .as_ref()
                .map(|p| p.expose().to_string())
                .unwrap_or_default();
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        let address: Address = settings
            .from_address
            .parse()
            .map_err(|e| format!("the sender address {}: {e}", settings.from_address))?;
        Ok(Smtp {
            transport: builder.build(),
            from: Mailbox::new(settings.from_name.clone(), address),
            server: format!(
                "{}:{} ({})",
                settings.host,
                settings.port,
                settings.tls.as_str()
            ),
            timeout: settings.timeout,
        })
    }

    /// `host:port (tls mode)`.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The longest one message may take: every step of a conversation may take the timeout.
    pub fn send_deadline(&self) -> Duration {
        self.timeout * 4
    }

    /// Connects, greets (EHLO), upgrades to TLS and signs in as configured, and says goodbye.
    pub async fn check(&self) -> Result<(), SendError> {
        match tokio::time::timeout(self.send_deadline(), self.transport.test_connection()).await {
            Ok(Ok(true)) => Ok(()),
            Ok(Ok(false)) => Err(SendError::Temporary(format!(
                "{} did not answer the test",
                self.server
            ))),
            Ok(Err(e)) => Err(classify(&e)),
            Err(_) => Err(SendError::Temporary(format!(
                "{} did not answer within {}s (timed out)",
                self.server,
                self.send_deadline().as_secs()
            ))),
        }
    }

    /// Sends `mail`, within `send_deadline`.
    pub async fn send(&self, mail: &Outgoing) -> Result<(), SendError> {
        let message = self.build(mail)?;
        match tokio::time::timeout(self.send_deadline(), self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(classify(&e)),
            Err(_) => Err(SendError::Temporary(format!(
                "{} did not finish within {}s (timed out)",
                self.server,
                self.send_deadline().as_secs()
            ))),
        }
    }

    fn build(&self, mail: &Outgoing) -> Result<Message, SendError> {
        let to: Address = mail.to_address.parse().map_err(|e| {
            SendError::Permanent(format!(
                "the address {:?} is not valid: {e}",
                mail.to_address
            ))
        })?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()));
        let mut raw = Vec::new();
        if let Some(url) = &mail.unsubscribe_url {
            raw.push(("List-Unsubscribe".to_string(), format!("<{url}>")));
            raw.push((
                "List-Unsubscribe-Post".to_string(),
                "List-Unsubscribe=One-Click".to_string(),
            ));
        }
        raw.extend(mail.headers.iter().cloned());
        for (name, value) in raw {
            let Ok(name) = HeaderName::new_from_ascii(name) else {
                continue;
            };
            builder = builder.raw_header(HeaderValue::new(name, value.replace(['\r', '\n'], " ")));
        }
        let built = match &mail.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                html.clone(),
            )),
            None => builder.singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.text.clone()),
            ),
        };
        built.map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))
    }
}

/// A hint for an SMTP failure, from its words.
pub fn hint(error: &SendError, settings: &SmtpSettings) -> String {
    let text = error.to_string().to_ascii_lowercase();
    if text.contains("refused") || text.contains("resolve") || text.contains("dns") {
        format!(
            "check {} and {} ({}:{} refused or was not found)",
            envvars::SMTP_HOST,
            envvars::SMTP_PORT,
            settings.host,
            settings.port
        )
    } else if text.contains("within") || text.contains("timed out") || text.contains("timeout") {
        format!(
            "the server did not answer: check the port and {} (none, starttls or tls); a firewall may drop the connection",
            envvars::SMTP_TLS
        )
    } else if text.contains("auth") || text.contains("credentials") || text.contains("535") {
        format!(
            "check {} and {}",
            envvars::SMTP_USER,
            envvars::SMTP_PASSWORD
        )
    } else if text.contains("tls") || text.contains("certificate") {
        format!(
            "check {}: port 465 wants tls, port 587 starttls",
            envvars::SMTP_TLS
        )
    } else {
        "see the server's answer above; `paideia doctor` checks the connection".into()
    }
}

/// A 5xx answer is final; everything else (no connection, timeouts, 4xx, a dropped
/// connection, TLS trouble that may be passing) is worth another try.
fn classify(e: &lettre::transport::smtp::Error) -> SendError {
    let text = describe(e);
    if e.is_permanent() {
        SendError::Permanent(text)
    } else {
        SendError::Temporary(text)
    }
}

/// The error with its causes, on one line.
fn describe(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
