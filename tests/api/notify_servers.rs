//! Test servers for the notification tests: a small SMTP server speaking
//! enough of the protocol over a real socket for the real SMTP client
//! (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), and an HTTP SMS gateway.
//! Both record what they received.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// One mail as the server got it.
#[derive(Clone, Debug)]
pub struct Received {
    pub rcpt: Vec<String>,
    /// The raw DATA (headers and encoded body).
    pub raw: String,
}

impl Received {
    /// A header's value (first occurrence).
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.raw
            .lines()
            .take_while(|l| !l.is_empty())
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_owned())
    }

    /// The body, base64-decoded (the portal sends it so).
    pub fn text(&self) -> String {
        let body = self
            .raw
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        let joined: String = body.split_whitespace().collect();
        STANDARD
            .decode(joined.as_bytes())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_else(|| body.to_owned())
    }
}

/// An SMTP server on a fixed loopback port that can be stopped and started
/// again on the same port (a mail server going down and coming back).
pub struct SmtpServer {
    pub addr: SocketAddr,
    pub mails: Arc<Mutex<Vec<Received>>>,
    task: Option<JoinHandle<()>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let addr = listener.local_addr().expect("addr");
        let mails = Arc::new(Mutex::new(Vec::new()));
        let task = Some(tokio::spawn(serve(listener, mails.clone())));
        SmtpServer { addr, mails, task }
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub async fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    pub async fn resume(&mut self) {
        let listener = TcpListener::bind(self.addr).await.expect("rebind smtp");
        self.task = Some(tokio::spawn(serve(listener, self.mails.clone())));
    }

    pub fn received(&self) -> Vec<Received> {
        self.mails.lock().expect("mails").clone()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn serve(listener: TcpListener, mails: Arc<Mutex<Vec<Received>>>) {
    loop {
        let Ok((socket, _)) = listener.accept().await else {
            return;
        };
        let mails = mails.clone();
        tokio::spawn(async move {
            let _ = session(socket, mails).await;
        });
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    mails: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 test.local ESMTP\r\n").await?;
    let mut rcpt = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        if command.starts_with("EHLO") || command.starts_with("HELO") {
            write
                .write_all(b"250-test.local\r\n250 8BITMIME\r\n")
                .await?;
        } else if command.starts_with("MAIL FROM") {
            rcpt.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if command.starts_with("RCPT TO") {
            rcpt.push(line.trim_end()[8..].trim().to_owned());
            write.write_all(b"250 OK\r\n").await?;
        } else if command == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut raw = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                raw.push_str(unstuffed);
            }
            mails.lock().expect("mails").push(Received {
                rcpt: std::mem::take(&mut rcpt),
                raw,
            });
            write.write_all(b"250 OK queued\r\n").await?;
        } else if command == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else if command == "RSET" || command == "NOOP" {
            write.write_all(b"250 OK\r\n").await?;
        } else {
            write.write_all(b"502 not implemented\r\n").await?;
        }
    }
}

/// An HTTP SMS gateway that records every body POSTed to it.
pub struct SmsGateway {
    pub addr: SocketAddr,
    pub bodies: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl SmsGateway {
    pub async fn start() -> SmsGateway {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sms");
        let addr = listener.local_addr().expect("addr");
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let kept = bodies.clone();
        let app = axum::Router::new().route(
            "/sms",
            axum::routing::post(move |body: String| {
                let kept = kept.clone();
                async move {
                    kept.lock().expect("bodies").push(body);
                    "ok"
                }
            }),
        );
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        SmsGateway { addr, bodies, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}/sms", self.addr)
    }

    pub fn received(&self) -> Vec<serde_json::Value> {
        self.bodies
            .lock()
            .expect("bodies")
            .iter()
            .map(|b| serde_json::from_str(b).expect("json body"))
            .collect()
    }
}

impl Drop for SmsGateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}
