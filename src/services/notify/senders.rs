//! How messages leave the portal: e-mail through SMTP (`lettre`, STARTTLS
//! when the server offers it or TLS from the first byte, credentials in the
//! URL), SMS through a provider-neutral [`SmsSender`] with an HTTP gateway
//! implementation, and log-only senders for development (the default when
//! nothing is configured, announced in the log at start).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::Body;
use lettre::message::Mailbox;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// One message ready to go: `id` is the outbox row's, stable across
/// attempts and restarts (the e-mail's Message-ID is made from it).
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub id: String,
    pub to: String,
    pub subject: String,
    /// The text with the portal's link appended.
    pub text: String,
}

/// Why a message did not go; retried later. The text names the transport's
/// error, never the message.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

#[async_trait]
pub trait MailSender: Send + Sync {
    async fn send(&self, mail: &Outgoing) -> Result<(), SendError>;
}

#[async_trait]
pub trait SmsSender: Send + Sync {
    async fn send(&self, sms: &Outgoing) -> Result<(), SendError>;
}

/// What the worker sends with.
#[derive(Clone)]
pub struct Senders {
    pub mail: Arc<dyn MailSender>,
    pub sms: Arc<dyn SmsSender>,
    /// The portal's address for links (`https://carebridge.example.gov.cn`).
    pub public_url: String,
}

/// E-mail through an SMTP server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain of Message-IDs (the sender address's).
    domain: String,
}

/// A configuration that cannot work; start-up refuses it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl SmtpMailer {
    /// `url`: `smtp://[user:pass@]host[:port]` (STARTTLS when the server
    /// offers it; `?tls=required` to insist) or `smtps://…` (TLS). `from`:
    /// the sender, `童心桥 <noreply@example.org>` or a bare address.
    pub fn new(url: &str, from: &str) -> Result<SmtpMailer, ConfigError> {
        let url = if url.starts_with("smtp://") && !url.contains("tls=") {
            // lettre's plain `smtp://` never upgrades; STARTTLS when offered.
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}tls=opportunistic")
        } else {
            url.to_owned()
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| ConfigError(format!("SMTP URL: {e}")))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|e| ConfigError(format!("mail sender address: {e}")))?;
        let domain = from.email.domain().to_owned();
        Ok(SmtpMailer {
            transport,
            from,
            domain,
        })
    }
}

#[async_trait]
impl MailSender for SmtpMailer {
    async fn send(&self, mail: &Outgoing) -> Result<(), SendError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| SendError(format!("recipient address: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            // Stable across attempts: a receiver that got it before a
            // crash can tell the repeat.
            .message_id(Some(format!("<{}@{}>", mail.id, self.domain)))
            .header(ContentType::TEXT_PLAIN)
            // Base64 keeps the link whole (quoted-printable would break a
            // long line and escape its `=`) on every server, 8BITMIME or not.
            .body(
                Body::new_with_encoding(mail.text.clone(), ContentTransferEncoding::Base64)
                    .map_err(|_| SendError("encoding the mail".to_owned()))?,
            )
            .map_err(|e| SendError(format!("building the mail: {e}")))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| SendError(format!("SMTP: {e}")))
    }
}

/// Logs instead of sending (development; no SMTP URL configured).
pub struct LogMailer;

#[async_trait]
impl MailSender for LogMailer {
    async fn send(&self, mail: &Outgoing) -> Result<(), SendError> {
        tracing::info!(id = %mail.id, to = %mail.to, subject = %mail.subject, "mail not sent (no SMTP configured): logged only");
        Ok(())
    }
}

/// Logs instead of sending (development; no SMS gateway configured).
pub struct LogSms;

#[async_trait]
impl SmsSender for LogSms {
    async fn send(&self, sms: &Outgoing) -> Result<(), SendError> {
        tracing::info!(id = %sms.id, to = %sms.to, "SMS not sent (no gateway configured): logged only");
        Ok(())
    }
}

type HttpClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Full<bytes::Bytes>,
>;

/// SMS through an HTTP gateway: a POST to `url` whose body is `template`
/// with `{phone}`, `{text}` and `{id}` replaced. A template that starts
/// with `{` is sent as JSON (values JSON-escaped), any other as a form
/// (values percent-encoded). A 2xx answer is success.
pub struct HttpSms {
    url: hyper::Uri,
    template: String,
    client: HttpClient,
}

/// The body template when none is configured.
pub const DEFAULT_SMS_TEMPLATE: &str = r#"{"phone":"{phone}","text":"{text}","id":"{id}"}"#;

impl HttpSms {
    pub fn new(url: &str, template: &str) -> Result<HttpSms, ConfigError> {
        let url: hyper::Uri = url
            .parse()
            .map_err(|e| ConfigError(format!("SMS gateway URL: {e}")))?;
        if !matches!(url.scheme_str(), Some("http" | "https")) {
            return Err(ConfigError(
                "SMS gateway URL must be http:// or https://".to_owned(),
            ));
        }
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(https);
        Ok(HttpSms {
            url,
            template: template.to_owned(),
            client,
        })
    }

    fn is_json(&self) -> bool {
        self.template.trim_start().starts_with('{')
    }

    /// The request body for `sms`.
    pub fn body(&self, sms: &Outgoing) -> String {
        let escape = |value: &str| -> String {
            if self.is_json() {
                let quoted = serde_json::to_string(value).unwrap_or_default();
                // The string's own quotes only: the template has them.
                quoted
                    .strip_prefix('"')
                    .and_then(|q| q.strip_suffix('"'))
                    .unwrap_or_default()
                    .to_owned()
            } else {
                form_urlencoded::byte_serialize(value.as_bytes()).collect()
            }
        };
        self.template
            .replace("{phone}", &escape(&sms.to))
            .replace("{text}", &escape(&sms.text))
            .replace("{id}", &escape(&sms.id))
    }
}

#[async_trait]
impl SmsSender for HttpSms {
    async fn send(&self, sms: &Outgoing) -> Result<(), SendError> {
        let content_type = if self.is_json() {
            "application/json; charset=utf-8"
        } else {
            "application/x-www-form-urlencoded"
        };
        let request = hyper::Request::post(self.url.clone())
            .header(hyper::header::CONTENT_TYPE, content_type)
            .header("idempotency-key", sms.id.as_str())
            .body(http_body_util::Full::new(bytes::Bytes::from(
                self.body(sms),
            )))
            .map_err(|e| SendError(format!("SMS request: {e}")))?;
        let answer = tokio::time::timeout(Duration::from_secs(30), self.client.request(request))
            .await
            .map_err(|_| SendError("SMS gateway timed out".to_owned()))?
            .map_err(|e| SendError(format!("SMS gateway: {e}")))?;
        if answer.status().is_success() {
            Ok(())
        } else {
            Err(SendError(format!(
                "SMS gateway answered {}",
                answer.status()
            )))
        }
    }
}

/// The senders for the configuration: SMTP when `smtp_url` is given, else
/// log-only; the HTTP gateway when `sms_url` is given, else log-only.
pub fn from_config(
    smtp_url: Option<&str>,
    mail_from: &str,
    sms_url: Option<&str>,
    sms_template: &str,
    public_url: &str,
) -> Result<Senders, ConfigError> {
    let mail: Arc<dyn MailSender> = match smtp_url {
        Some(url) => Arc::new(SmtpMailer::new(url, mail_from)?),
        None => {
            tracing::warn!("no SMTP URL (CAREBRIDGE_SMTP_URL): e-mails are only logged, not sent");
            Arc::new(LogMailer)
        }
    };
    let sms: Arc<dyn SmsSender> = match sms_url {
        Some(url) => Arc::new(HttpSms::new(url, sms_template)?),
        None => {
            tracing::warn!("no SMS gateway (CAREBRIDGE_SMS_URL): SMS are only logged, not sent");
            Arc::new(LogSms)
        }
    };
    Ok(Senders {
        mail,
        sms,
        public_url: public_url.trim_end_matches('/').to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms() -> Outgoing {
        Outgoing {
            id: "m1".to_owned(),
            to: "13800000000".to_owned(),
            subject: String::new(),
            text: "待办 \"A&B\"".to_owned(),
        }
    }

    #[test]
    fn a_json_template_escapes_and_a_form_template_encodes() {
        let json = HttpSms::new("http://127.0.0.1:9/sms", DEFAULT_SMS_TEMPLATE).expect("config");
        let body: serde_json::Value = serde_json::from_str(&json.body(&sms())).expect("json");
        assert_eq!(body["text"], "待办 \"A&B\"");
        assert_eq!(body["phone"], "13800000000");
        let form = HttpSms::new("http://127.0.0.1:9/sms", "to={phone}&msg={text}").expect("config");
        let pairs: Vec<(String, String)> = form_urlencoded::parse(form.body(&sms()).as_bytes())
            .into_owned()
            .collect();
        assert_eq!(pairs[1], ("msg".to_owned(), "待办 \"A&B\"".to_owned()));
    }

    #[test]
    fn smtp_urls_of_both_kinds_are_accepted_and_others_refused() {
        assert!(SmtpMailer::new("smtp://127.0.0.1:2525", "童心桥 <noreply@example.org>").is_ok());
        assert!(
            SmtpMailer::new("smtps://user:pass@mail.example.org", "noreply@example.org").is_ok()
        );
        assert!(SmtpMailer::new("http://mail.example.org", "noreply@example.org").is_err());
        assert!(SmtpMailer::new("smtp://127.0.0.1", "not an address").is_err());
    }
}
