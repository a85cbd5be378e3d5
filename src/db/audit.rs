//! The audit log table and its head row; the names of the objects its
//! entries name in [`names`].

pub mod names;

use sea_orm::ExprTrait;
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::audit_log;

/// Takes the audit head's row lock for the rest of the transaction without
/// changing it. On PostgreSQL this row is the portal's one write lock:
/// `db::begin_write` takes it first thing, before any other row (the lock
/// order of every write). Taking it again later in the same transaction
/// (the search outbox does, before drawing a sequence number, so that
/// sequence order is commit order) changes nothing.
pub async fn lock_head(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let touch = Query::update()
        .table(Alias::new("audit_head"))
        .value(Alias::new("seq"), Expr::col(Alias::new("seq")))
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    db.execute(&touch).await.map(|_| ())
}

/// Advances the head's sequence by `n` and returns the first of the `n`
/// sequence numbers taken with the previous entry's hash (under the head's
/// lock).
pub async fn advance_head(db: &impl ConnectionTrait, n: i64) -> Result<(i64, String), DbErr> {
    let head = Alias::new("audit_head");
    let bump = Query::update()
        .table(head.clone())
        .value(Alias::new("seq"), Expr::col(Alias::new("seq")).add(n))
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    db.execute(&bump).await?;
    let select = Query::select()
        .columns([Alias::new("seq"), Alias::new("hash")])
        .from(head)
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    let row = db
        .query_one(&select)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".to_owned()))?;
    let last: i64 = row.try_get("", "seq")?;
    Ok((last - n + 1, row.try_get("", "hash")?))
}

pub async fn set_head_hash(db: &impl ConnectionTrait, hash: &str) -> Result<(), DbErr> {
    let update = Query::update()
        .table(Alias::new("audit_head"))
        .value(Alias::new("hash"), hash)
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    db.execute(&update).await?;
    Ok(())
}

pub async fn insert(db: &impl ConnectionTrait, entry: audit_log::Model) -> Result<(), DbErr> {
    audit_log::Entity::insert(active(entry)).exec(db).await?;
    Ok(())
}

/// Inserts `entries` in one statement.
pub async fn insert_many(
    db: &impl ConnectionTrait,
    entries: Vec<audit_log::Model>,
) -> Result<(), DbErr> {
    audit_log::Entity::insert_many(entries.into_iter().map(active))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

fn active(entry: audit_log::Model) -> audit_log::ActiveModel {
    audit_log::ActiveModel {
        seq: Set(entry.seq),
        at: Set(entry.at),
        actor_id: Set(entry.actor_id),
        actor_name: Set(entry.actor_name),
        role: Set(entry.role),
        action: Set(entry.action),
        target: Set(entry.target),
        outcome: Set(entry.outcome),
        request_id: Set(entry.request_id),
        detail: Set(entry.detail),
        prev_hash: Set(entry.prev_hash),
        hash: Set(entry.hash),
    }
}

/// Entries in sequence order, `limit` at a time from `after_seq`.
pub async fn page_ascending(
    db: &impl ConnectionTrait,
    after_seq: i64,
    limit: u64,
) -> Result<Vec<audit_log::Model>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    audit_log::Entity::find()
        .filter(audit_log::Column::Seq.gt(after_seq))
        .order_by_asc(audit_log::Column::Seq)
        .limit(limit)
        .all(db)
        .await
}

/// Which entries a list shows: each filter exact, all of them together.
#[derive(Clone, Copy, Debug, Default)]
pub struct AuditFilter<'a> {
    pub action: Option<&'a str>,
    /// The actor's name as recorded.
    pub actor: Option<&'a str>,
    /// The target as recorded (`child:…`).
    pub target: Option<&'a str>,
}

/// Newest entries first, in the filter (the action, actor and target each
/// read through an index with the sequence).
pub async fn list_newest(
    db: &impl ConnectionTrait,
    filter: AuditFilter<'_>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<audit_log::Model>), DbErr> {
    let mut query = audit_log::Entity::find();
    if let Some(action) = filter.action {
        query = query.filter(audit_log::Column::Action.eq(action));
    }
    if let Some(actor) = filter.actor {
        query = query.filter(audit_log::Column::ActorName.eq(actor));
    }
    if let Some(target) = filter.target {
        query = query.filter(audit_log::Column::Target.eq(target));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(audit_log::Column::Seq)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((total, items))
}

/// The newest entries of one action, newest first (through the index on
/// action and sequence).
pub async fn latest_of_action(
    db: &impl ConnectionTrait,
    action: &str,
    limit: u64,
) -> Result<Vec<audit_log::Model>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_desc(audit_log::Column::Seq)
        .limit(limit)
        .all(db)
        .await
}
