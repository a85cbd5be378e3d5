//! The background worker that sends the notification outbox.
//!
//! Each round gathers the held messages of digest users once their digest
//! hour has passed, then claims due messages one by one with a conditional
//! update (a lease: status still pending, due, not leased by a live node),
//! sends each, and marks it sent. Several nodes on one database never send
//! a message twice: only one wins a claim, and a message marked sent is
//! never claimed again, after a restart either. A failure gives the message
//! back with an exponentially growing delay (capped); nothing is dropped.
//! A node that dies mid-send loses its lease after `LEASE`, and another
//! node sends the message then (with the same Message-ID).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DbErr};

use crate::db;
use crate::db::entities::notification_outbox;
use crate::domain::notification::{
    ALERT_AFTER_ATTEMPTS, Channel, DigestLine, backoff, digest_text, last_digest_at,
};
use crate::services::clock::Clock;
use crate::services::new_id;

use super::senders::{Outgoing, Senders};

/// The kind of a confirmation mail (sent to an unconfirmed address).
pub const CONFIRM_KIND: &str = "email_confirm";
/// The kind of a daily digest.
pub const DIGEST_KIND: &str = "digest";

/// How long a claim holds a message for its node.
const LEASE: Duration = Duration::minutes(5);
/// Messages claimed per round.
const BATCH: u64 = 50;
/// Held messages gathered into one digest at most.
const DIGEST_MAX: u64 = 200;

/// The worker's identity and setting.
#[derive(Clone)]
pub struct Worker {
    pub db: DatabaseConnection,
    pub clock: Clock,
    pub senders: Senders,
    /// This node's lease owner id.
    pub node: String,
    /// The hour (Beijing time) daily digests go out.
    pub digest_hour: u32,
}

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: u64,
    pub failed: u64,
    pub digests: u64,
}

impl Worker {
    pub fn new(db: DatabaseConnection, clock: Clock, senders: Senders, digest_hour: u32) -> Worker {
        Worker {
            db,
            clock,
            senders,
            node: new_id(),
            digest_hour,
        }
    }

    /// One round: digests, then every due message (until none is due).
    pub async fn run_once(&self) -> Result<Round, DbErr> {
        let mut round = Round {
            digests: self.gather_digests().await?,
            ..Round::default()
        };
        loop {
            let now = self.clock.now();
            let due = db::notify::due(&self.db, now, BATCH).await?;
            if due.is_empty() {
                break;
            }
            let mut progressed = false;
            for message in due {
                match self.deliver(&message.id).await? {
                    Some(true) => {
                        round.sent += 1;
                        progressed = true;
                    }
                    Some(false) => round.failed += 1,
                    None => {}
                }
            }
            if !progressed {
                break;
            }
        }
        Ok(round)
    }

    /// Claims, sends and marks one message: `None` when another node had
    /// it, `Some(sent)` otherwise.
    async fn deliver(&self, id: &str) -> Result<Option<bool>, DbErr> {
        let now = self.clock.now();
        let txn = db::begin_write(&self.db).await?;
        let claimed = db::notify::claim(&txn, id, &self.node, now, now + LEASE).await?;
        txn.commit().await?;
        let Some(message) = claimed else {
            return Ok(None);
        };
        let outgoing = self.outgoing(&message);
        let channel = Channel::parse(&message.channel);
        let result = match channel {
            Some(Channel::Email) => self.senders.mail.send(&outgoing).await,
            Some(Channel::Sms) => self.senders.sms.send(&outgoing).await,
            None => Err(super::senders::SendError(format!(
                "unknown channel {}",
                message.channel
            ))),
        };
        let txn = db::begin_write(&self.db).await?;
        let done = match &result {
            Ok(()) => db::notify::mark_sent(&txn, id, &self.node, self.clock.now()).await?,
            Err(err) => {
                let attempts = u32::try_from(message.attempts).unwrap_or(u32::MAX);
                let retry_at = self.clock.now() + backoff(attempts);
                if attempts >= ALERT_AFTER_ATTEMPTS {
                    tracing::error!(id = %id, attempts, error = %err, retry_at = %retry_at, "ALERT: notification still failing; kept and retried");
                } else {
                    tracing::warn!(id = %id, attempts, error = %err, retry_at = %retry_at, "notification not sent; retrying later");
                }
                db::notify::mark_failed(&txn, id, &self.node, retry_at, &err.to_string()).await?
            }
        };
        txn.commit().await?;
        if !done {
            tracing::warn!(id = %id, "notification lease lost before it was marked");
        }
        Ok(Some(result.is_ok()))
    }

    fn outgoing(&self, message: &notification_outbox::Model) -> Outgoing {
        let link = format!("{}{}", self.senders.public_url, message.path);
        let text = match Channel::parse(&message.channel) {
            Some(Channel::Sms) => format!("{}{}", message.body, link),
            _ => format!("{}\n\n{}\n", message.body, link),
        };
        Outgoing {
            id: message.id.clone(),
            to: message.address.clone(),
            subject: message.subject.clone(),
            text,
        }
    }

    /// Turns the held messages of each digest user into one message per
    /// channel, once the digest hour has passed since they were queued.
    async fn gather_digests(&self) -> Result<u64, DbErr> {
        let cutoff = last_digest_at(self.clock.now(), self.digest_hour);
        let mut made = 0;
        for (user_id, channel) in db::notify::digests_due(&self.db, cutoff, 100).await? {
            if self.gather_one(&user_id, &channel, cutoff).await? {
                made += 1;
            }
        }
        Ok(made)
    }

    async fn gather_one(
        &self,
        user_id: &str,
        channel: &str,
        cutoff: DateTime<Utc>,
    ) -> Result<bool, DbErr> {
        let Some(parsed) = Channel::parse(channel) else {
            return Ok(false);
        };
        let txn = db::begin_write(&self.db).await?;
        let held = db::notify::held(&txn, user_id, channel, cutoff, DIGEST_MAX).await?;
        let Some(last) = held.last() else {
            return Ok(false);
        };
        let lines: Vec<DigestLine<'_>> = held
            .iter()
            .map(|m| DigestLine {
                subject: &m.subject,
                body: &m.body,
            })
            .collect();
        let (subject, body) = digest_text(parsed, &lines);
        let digest_id = new_id();
        let now = self.clock.now();
        db::notify::insert_message(
            &txn,
            db::notify::NewMessage {
                id: &digest_id,
                user_id,
                kind: DIGEST_KIND,
                channel,
                address: &last.address,
                subject: &subject,
                body: &body,
                path: "/inbox",
                status: db::notify::PENDING,
                due_at: now,
                digest_id: None,
                now,
            },
        )
        .await?;
        let ids: Vec<String> = held.iter().map(|m| m.id.clone()).collect();
        // Another node gathered some of them first: leave it to that one.
        if db::notify::gather(&txn, &ids, &digest_id).await? != ids.len() as u64 {
            txn.rollback().await?;
            return Ok(false);
        }
        txn.commit().await?;
        Ok(true)
    }
}

/// How often the worker looks at the outbox.
pub const TICK: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs rounds until `stop` turns true; a round under way is finished
/// first, so that nothing claimed is left leased by a stopping node.
pub async fn run(worker: Worker, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(TICK);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            break;
        }
        match worker.run_once().await {
            Ok(round) if round.sent + round.failed + round.digests > 0 => tracing::info!(
                sent = round.sent,
                failed = round.failed,
                digests = round.digests,
                "notifications sent"
            ),
            Ok(_) => {}
            Err(err) => {
                tracing::warn!(error = %err, "the notification worker failed a round; retrying")
            }
        }
    }
    tracing::info!("notification worker stopped");
}
