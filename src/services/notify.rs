//! Notifications that reach people (issue 18): every event that puts
//! something in someone's inbox also queues a message per recipient and
//! channel, in the same transaction as the event ([`queue`]); a background
//! worker ([`worker`]) sends them by e-mail (SMTP) or SMS (an HTTP gateway)
//! with retries, and gathers them into a daily digest for those who chose
//! it. Each user sets their channels here ([`preferences`], [`update`]);
//! an e-mail address receives nothing but its confirmation mail until
//! confirmed by the link in it ([`confirm`]).
//!
//! Messages are composed from typed parts (`domain::notification::Part`:
//! need codes, offer titles, household and organisation names) and checked
//! by the text check; nothing here ever reads a child file.

pub mod due;
pub mod events;
pub mod senders;
pub mod worker;

use std::collections::{BTreeMap, HashMap};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};
use sha2::{Digest as _, Sha256};

use crate::db;
use crate::db::entities::notification_pref;
pub use crate::db::notify::Recipients;
use crate::domain::Invalid;
use crate::domain::inbox::{InboxKind, kinds_for};
use crate::domain::notification::{
    CONFIRM_VALID_HOURS, Channel, Channels, Digest, EmailAddress, Notice, compose,
    confirmation_text,
};
use crate::domain::phone::Phone;

use super::audit::{self, Event};
use super::clock::Clock;
use super::{Principal, RequestCtx, ServiceError, ServiceResult, new_id};

/// Queues `notice` for everyone `to` names, inside the caller's write
/// transaction `txn` (so the messages exist exactly when the event does):
/// one message per recipient and chosen channel. Recipients without a
/// confirmed e-mail address or an SMS phone for the kind get nothing;
/// those who chose the daily digest get it held until the digest hour.
/// `now` is the services' clock. Returns how many messages were queued.
///
/// ```ignore
/// notify::queue(&txn, store.clock.now(), Recipients::Township(&township),
///     &Notice::new(InboxKind::MatchProposed, format!("/matches/{id}"))
///         .about(Part::NeedCode(code)).about(Part::OfferTitle(title))).await?;
/// ```
pub async fn queue(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    to: Recipients<'_>,
    notice: &Notice,
) -> Result<u64, DbErr> {
    let users = db::notify::recipients(txn, to).await?;
    if users.is_empty() {
        return Ok(0);
    }
    let ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    let prefs: HashMap<String, notification_pref::Model> = db::notify::prefs_of(txn, &ids)
        .await?
        .into_iter()
        .map(|p| (p.user_id.clone(), p))
        .collect();
    let composed = compose(notice);
    if composed.dropped > 0 {
        tracing::warn!(
            kind = notice.kind.as_str(),
            dropped = composed.dropped,
            "a notification part failed the text check and was left out"
        );
    }
    let mut queued = 0;
    for user in &users {
        // A kind reaches only the roles whose inbox shows it.
        if !kinds_for(user.role).contains(&notice.kind) {
            continue;
        }
        let Some(pref) = prefs.get(&user.id) else {
            continue;
        };
        let Some(channels) = Channels::from_json(&pref.channels) else {
            tracing::error!(user = %user.id, "stored notification channels unreadable");
            continue;
        };
        let digest = Digest::parse(&pref.digest).unwrap_or_default();
        for channel in channels.for_kind(notice.kind) {
            let address = match channel {
                Channel::Email => pref
                    .email
                    .as_deref()
                    .filter(|_| pref.email_confirmed_at.is_some()),
                Channel::Sms => pref.sms_phone.as_deref(),
            };
            let Some(address) = address else { continue };
            let (status, due_at) = match digest {
                Digest::None => (db::notify::PENDING, now),
                // Gathered by the worker at the next digest hour.
                Digest::Daily => (db::notify::HELD, now),
            };
            db::notify::insert_message(
                txn,
                db::notify::NewMessage {
                    id: &new_id(),
                    user_id: &user.id,
                    kind: notice.kind.as_str(),
                    channel: channel.as_str(),
                    address,
                    subject: &composed.subject,
                    body: &composed.body,
                    path: &notice.path,
                    status,
                    due_at,
                    digest_id: None,
                    now,
                },
            )
            .await?;
            queued += 1;
        }
    }
    Ok(queued)
}

/// A user's notification settings as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preferences {
    pub email: Option<String>,
    pub email_confirmed: bool,
    pub sms_phone: Option<String>,
    pub channels: Channels,
    pub digest: Digest,
    /// The inbox kinds the user's role reads (what channels may name).
    pub kinds: &'static [InboxKind],
}

/// Settings as typed (form or JSON).
#[derive(Clone, Debug, Default)]
pub struct PreferencesInput {
    pub email: Option<String>,
    pub sms_phone: Option<String>,
    /// Inbox kind code → channel codes; kinds left out keep e-mail.
    pub channels: BTreeMap<String, Vec<String>>,
    pub digest: String,
}

fn to_preferences(
    caller: &Principal,
    pref: Option<notification_pref::Model>,
) -> ServiceResult<Preferences> {
    let kinds = kinds_for(caller.role);
    let Some(pref) = pref else {
        return Ok(Preferences {
            email: None,
            email_confirmed: false,
            sms_phone: None,
            channels: Channels::default(),
            digest: Digest::None,
            kinds,
        });
    };
    let channels = Channels::from_json(&pref.channels)
        .ok_or_else(|| ServiceError::internal("stored notification channels unreadable"))?;
    let digest = Digest::parse(&pref.digest)
        .ok_or_else(|| ServiceError::internal("stored digest choice unknown"))?;
    Ok(Preferences {
        email_confirmed: pref.email.is_some() && pref.email_confirmed_at.is_some(),
        email: pref.email,
        sms_phone: pref.sms_phone,
        channels,
        digest,
        kinds,
    })
}

/// The caller's settings (a read: writes nothing).
pub async fn preferences(
    db: &DatabaseConnection,
    caller: &Principal,
) -> ServiceResult<Preferences> {
    to_preferences(caller, db::notify::prefs(db, &caller.id).await?)
}

struct Parsed {
    email: Option<EmailAddress>,
    sms_phone: Option<Phone>,
    channels: Channels,
    digest: Digest,
}

fn parse(caller: &Principal, input: &PreferencesInput) -> ServiceResult<Parsed> {
    let mut invalid = Invalid::new();
    let email = match input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(text) => invalid.check("email", EmailAddress::parse(text)),
        None => None,
    };
    let sms_phone = match input
        .sms_phone
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(text) => invalid.check("sms", Phone::parse(text)),
        None => None,
    };
    let kinds = kinds_for(caller.role);
    let mut map = BTreeMap::new();
    for (code, list) in &input.channels {
        let Some(kind) = code.parse::<InboxKind>().ok().filter(|k| kinds.contains(k)) else {
            invalid.add("channels", format!("没有这类待办：{code}"));
            continue;
        };
        let mut chosen = Vec::new();
        for c in list {
            match Channel::parse(c) {
                Some(channel) => chosen.push(channel),
                None => invalid.add("channels", "提醒方式只能是 email 或 sms"),
            }
        }
        map.insert(kind, chosen);
    }
    let digest = Digest::parse(input.digest.trim());
    if digest.is_none() {
        invalid.add("digest", "汇总方式只能是 none 或 daily");
    }
    invalid.into_result()?;
    Ok(Parsed {
        email,
        sms_phone,
        channels: Channels::new(map),
        digest: digest.unwrap_or_default(),
    })
}

/// A new confirmation token and the hash stored for it.
fn new_token() -> ServiceResult<(String, String)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServiceError::internal(format!("confirmation token randomness: {e}")))?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    Ok((token, hash))
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Saves the caller's settings. A new (or changed) e-mail address starts
/// unconfirmed and gets a confirmation mail with a link valid for
/// `CONFIRM_VALID_HOURS`; an unchanged one keeps its confirmation.
pub async fn update(
    db: &DatabaseConnection,
    clock: &Clock,
    ctx: &RequestCtx,
    caller: &Principal,
    input: PreferencesInput,
) -> ServiceResult<Preferences> {
    let parsed = parse(caller, &input)?;
    let txn = db::begin_write(db).await?;
    let now = clock.now();
    let old = db::notify::prefs(&txn, &caller.id).await?;
    let old_email = old.as_ref().and_then(|p| p.email.clone());
    let new_email = parsed.email.as_ref().map(|e| e.as_str().to_owned());
    let changed = old_email != new_email;
    let (confirmed_at, token_hash, token_expires, token) = match (&old, changed) {
        (Some(p), false) => (
            p.email_confirmed_at,
            p.email_token_hash.clone(),
            p.email_token_expires,
            None,
        ),
        _ if new_email.is_some() => {
            let (token, hash) = new_token()?;
            (
                None,
                Some(hash),
                Some(now + Duration::hours(CONFIRM_VALID_HOURS)),
                Some(token),
            )
        }
        _ => (None, None, None, None),
    };
    let model = notification_pref::Model {
        user_id: caller.id.clone(),
        email: new_email.clone(),
        email_confirmed_at: confirmed_at,
        email_token_hash: token_hash,
        email_token_expires: token_expires,
        sms_phone: parsed.sms_phone.as_ref().map(|p| p.as_str().to_owned()),
        channels: parsed.channels.to_json(),
        digest: parsed.digest.as_str().to_owned(),
        updated_at: now,
    };
    db::notify::save_prefs(&txn, model.clone()).await?;
    if let (Some(token), Some(address)) = (&token, &new_email) {
        let (subject, body) = confirmation_text();
        db::notify::insert_message(
            &txn,
            db::notify::NewMessage {
                id: &new_id(),
                user_id: &caller.id,
                kind: worker::CONFIRM_KIND,
                channel: Channel::Email.as_str(),
                address,
                subject: &subject,
                body: &body,
                path: &format!("/account/email/confirm?token={token}"),
                status: db::notify::PENDING,
                due_at: now,
                digest_id: None,
                now,
            },
        )
        .await?;
    }
    audit::append(
        &txn,
        ctx,
        Event::success("notify.preferences", format!("user:{}", caller.id)).with_detail(format!(
            "email_changed={changed} sms={} digest={}",
            parsed.sms_phone.is_some(),
            parsed.digest.as_str()
        )),
    )
    .await?;
    txn.commit().await?;
    to_preferences(caller, Some(model))
}

/// Confirms the caller's e-mail address with the token of the link. A
/// wrong, used or expired token is refused (the same answer for each).
pub async fn confirm(
    db: &DatabaseConnection,
    clock: &Clock,
    ctx: &RequestCtx,
    caller: &Principal,
    token: &str,
) -> ServiceResult<Preferences> {
    let hash = token_hash(token.trim());
    let txn = db::begin_write(db).await?;
    let now = clock.now();
    if !db::notify::confirm_email(&txn, &caller.id, &hash, now).await? {
        return Err(Invalid::one("token", "确认链接无效或已过期，请重新填写电子邮件地址").into());
    }
    audit::append(
        &txn,
        ctx,
        Event::success("notify.email_confirm", format!("user:{}", caller.id)),
    )
    .await?;
    let pref = db::notify::prefs(&txn, &caller.id).await?;
    txn.commit().await?;
    to_preferences(caller, pref)
}
