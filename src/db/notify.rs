//! The notification tables: preferences, the outbox of messages, and the
//! conditional updates by which a worker claims, sends and retries one
//! message without another node doing the same.

use chrono::{DateTime, Utc};
use sea_orm::ExprTrait;
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::notification_outbox::{self as outbox, Column as O};
use super::entities::notification_pref::{self as pref, Column as P};
use super::entities::user::{self, Column as U};
use crate::domain::Role;
use crate::domain::department::Department;

/// Message states.
pub const PENDING: &str = "pending";
pub const HELD: &str = "held";
pub const SENT: &str = "sent";
pub const DIGESTED: &str = "digested";

/// Whom a notice is for, by role and scope; disabled accounts never.
#[derive(Clone, Copy, Debug)]
pub enum Recipients<'a> {
    /// One account.
    User(&'a str),
    /// The officers of a township.
    Township(&'a str),
    /// The county administrators.
    County,
    /// The staff of a department.
    Department(Department),
    /// The logins of a provider organisation.
    Provider(&'a str),
    /// The logins of a caring family.
    Family(&'a str),
}

/// The enabled accounts `to` names (a handful: a township's officers, an
/// organisation's logins), read through the indexes of migration 000037.
pub async fn recipients(
    db: &impl ConnectionTrait,
    to: Recipients<'_>,
) -> Result<Vec<user::Model>, DbErr> {
    let cond = match to {
        Recipients::User(id) => Condition::all().add(U::Id.eq(id)),
        Recipients::Township(code) => Condition::all()
            .add(U::Role.eq(Role::TownshipOfficer))
            .add(U::TownshipCode.eq(code)),
        Recipients::County => Condition::all().add(U::Role.eq(Role::CountyAdmin)),
        Recipients::Department(d) => Condition::all()
            .add(U::Role.eq(Role::DepartmentStaff))
            .add(U::Department.eq(d)),
        Recipients::Provider(id) => Condition::all().add(U::ProviderId.eq(id)),
        Recipients::Family(id) => Condition::all().add(U::FamilyId.eq(id)),
    };
    user::Entity::find()
        .filter(cond.add(U::Disabled.eq(false)))
        .limit(200)
        .all(db)
        .await
}

pub async fn prefs_of(
    db: &impl ConnectionTrait,
    user_ids: &[String],
) -> Result<Vec<pref::Model>, DbErr> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    pref::Entity::find()
        .filter(P::UserId.is_in(user_ids.iter().map(String::as_str)))
        .all(db)
        .await
}

pub async fn prefs(db: &impl ConnectionTrait, user_id: &str) -> Result<Option<pref::Model>, DbErr> {
    pref::Entity::find_by_id(user_id.to_owned()).one(db).await
}

pub async fn prefs_by_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<pref::Model>, DbErr> {
    pref::Entity::find()
        .filter(P::EmailTokenHash.eq(token_hash))
        .one(db)
        .await
}

/// Inserts or replaces a user's preferences (inside the write transaction
/// that read them).
pub async fn save_prefs(db: &impl ConnectionTrait, model: pref::Model) -> Result<(), DbErr> {
    let exists = pref::Entity::find_by_id(model.user_id.clone())
        .one(db)
        .await?
        .is_some();
    let active: pref::ActiveModel = model.into();
    let active = active.reset_all();
    if exists {
        active.update(db).await?;
    } else {
        active.insert(db).await?;
    }
    Ok(())
}

/// Marks the address confirmed when `token_hash` is still the pending one
/// and unexpired; conditional, so that a second use finds nothing.
pub async fn confirm_email(
    db: &impl ConnectionTrait,
    user_id: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = pref::Entity::update_many()
        .col_expr(P::EmailConfirmedAt, Expr::value(now))
        .col_expr(P::EmailTokenHash, Expr::value(Option::<String>::None))
        .col_expr(
            P::EmailTokenExpires,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(P::UpdatedAt, Expr::value(now))
        .filter(P::UserId.eq(user_id))
        .filter(P::EmailTokenHash.eq(token_hash))
        .filter(P::EmailTokenExpires.gt(now))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// A message to store.
pub struct NewMessage<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub kind: &'a str,
    pub channel: &'a str,
    pub address: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub path: &'a str,
    pub status: &'a str,
    pub due_at: DateTime<Utc>,
    pub digest_id: Option<&'a str>,
    pub now: DateTime<Utc>,
}

pub async fn insert_message(db: &impl ConnectionTrait, m: NewMessage<'_>) -> Result<(), DbErr> {
    outbox::ActiveModel {
        id: Set(m.id.to_owned()),
        user_id: Set(m.user_id.to_owned()),
        kind: Set(m.kind.to_owned()),
        channel: Set(m.channel.to_owned()),
        address: Set(m.address.to_owned()),
        subject: Set(m.subject.to_owned()),
        body: Set(m.body.to_owned()),
        path: Set(m.path.to_owned()),
        status: Set(m.status.to_owned()),
        due_at: Set(m.due_at),
        attempts: Set(0),
        lease_owner: Set(None),
        lease_until: Set(None),
        last_error: Set(None),
        digest_id: Set(m.digest_id.map(str::to_owned)),
        created_at: Set(m.now),
        sent_at: Set(None),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Due messages not leased by a live worker, oldest first.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(O::Status.eq(PENDING))
        .filter(O::DueAt.lte(now))
        .filter(
            Condition::any()
                .add(O::LeaseUntil.is_null())
                .add(O::LeaseUntil.lt(now)),
        )
        .order_by_asc(O::DueAt)
        .limit(limit)
        .all(db)
        .await
}

/// Leases message `id` to `owner` until `until` if it is still pending,
/// due and unleased (or its lease ran out), counting the attempt. Only one
/// of several nodes can win it: the update is conditional.
pub async fn claim(
    db: &impl ConnectionTrait,
    id: &str,
    owner: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Option<outbox::Model>, DbErr> {
    let done = outbox::Entity::update_many()
        .col_expr(O::LeaseOwner, Expr::value(owner))
        .col_expr(O::LeaseUntil, Expr::value(until))
        .col_expr(O::Attempts, Expr::col(O::Attempts).add(1))
        .filter(O::Id.eq(id))
        .filter(O::Status.eq(PENDING))
        .filter(O::DueAt.lte(now))
        .filter(
            Condition::any()
                .add(O::LeaseUntil.is_null())
                .add(O::LeaseUntil.lt(now)),
        )
        .exec(db)
        .await?;
    if done.rows_affected != 1 {
        return Ok(None);
    }
    outbox::Entity::find_by_id(id.to_owned()).one(db).await
}

/// Marks a leased message sent; `false` when the lease was lost (another
/// node took it over after it ran out).
pub async fn mark_sent(
    db: &impl ConnectionTrait,
    id: &str,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = outbox::Entity::update_many()
        .col_expr(O::Status, Expr::value(SENT))
        .col_expr(O::SentAt, Expr::value(now))
        .col_expr(O::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(O::LastError, Expr::value(Option::<String>::None))
        .filter(O::Id.eq(id))
        .filter(O::LeaseOwner.eq(owner))
        .filter(O::Status.eq(PENDING))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Gives a failed message back for a later attempt at `retry_at`.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    id: &str,
    owner: &str,
    retry_at: DateTime<Utc>,
    error: &str,
) -> Result<bool, DbErr> {
    let done = outbox::Entity::update_many()
        .col_expr(O::DueAt, Expr::value(retry_at))
        .col_expr(O::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(O::LastError, Expr::value(error))
        .filter(O::Id.eq(id))
        .filter(O::LeaseOwner.eq(owner))
        .filter(O::Status.eq(PENDING))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Users with held messages due for their digest: (user, channel) pairs.
pub async fn digests_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(String, String)>, DbErr> {
    outbox::Entity::find()
        .select_only()
        .column(O::UserId)
        .column(O::Channel)
        .filter(O::Status.eq(HELD))
        .filter(O::DueAt.lte(now))
        .group_by(O::UserId)
        .group_by(O::Channel)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// One user's held messages of one channel due by `now`, oldest first.
pub async fn held(
    db: &impl ConnectionTrait,
    user_id: &str,
    channel: &str,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(O::UserId.eq(user_id))
        .filter(O::Status.eq(HELD))
        .filter(O::Channel.eq(channel))
        .filter(O::DueAt.lte(now))
        .order_by_asc(O::CreatedAt)
        .limit(limit)
        .all(db)
        .await
}

/// Moves held messages into digest `digest_id`; the count moved (fewer
/// than asked when another node gathered some first).
pub async fn gather(
    db: &impl ConnectionTrait,
    ids: &[String],
    digest_id: &str,
) -> Result<u64, DbErr> {
    let done = outbox::Entity::update_many()
        .col_expr(O::Status, Expr::value(DIGESTED))
        .col_expr(O::DigestId, Expr::value(digest_id))
        .filter(O::Id.is_in(ids.iter().map(String::as_str)))
        .filter(O::Status.eq(HELD))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// The most [`queue_length`] counts: past it the gauge reads this value
/// ("this many or more"), so that a scrape during an outage (a mail server
/// down for days, the queue growing) still costs a bounded walk.
pub const QUEUE_COUNT_CAP: u64 = 10_000;

/// Messages waiting to be sent (pending or held), for the metrics gauge,
/// counted up to [`QUEUE_COUNT_CAP`]. The inner select names only the
/// status, so both engines answer it from the (status, due_at) index of
/// migration 000036 without visiting the rows, and the sent messages
/// (nearly all of the table) are never walked.
pub async fn queue_length(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    queue_length_capped(db, QUEUE_COUNT_CAP).await
}

/// [`queue_length`] counting up to `cap`.
pub async fn queue_length_capped(db: &impl ConnectionTrait, cap: u64) -> Result<u64, DbErr> {
    let mut waiting = Query::select();
    waiting
        .column(O::Status)
        .from(outbox::Entity)
        .and_where(Expr::col(O::Status).is_in([PENDING, HELD]))
        .limit(cap);
    let count = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("waiting"))
        .from_subquery(waiting, Alias::new("capped"))
        .to_owned();
    let Some(row) = db.query_one(&count).await? else {
        return Ok(0);
    };
    let n: i64 = row.try_get("", "waiting")?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// A user's messages, newest first (tests and the account page).
pub async fn messages_of(
    db: &impl ConnectionTrait,
    user_id: &str,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(O::UserId.eq(user_id))
        .order_by_desc(O::CreatedAt)
        .limit(limit)
        .all(db)
        .await
}
