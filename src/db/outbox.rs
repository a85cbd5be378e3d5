//! The search outbox: appended in the transaction of the change, read in
//! order by each node's indexer.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::search_outbox;

/// What an entry names: one document, or every published need of a township
/// (when the population behind their k-anonymity changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxKind {
    Offer,
    Need,
    Township,
}

impl OutboxKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxKind::Offer => "offer",
            OutboxKind::Need => "need",
            OutboxKind::Township => "township",
        }
    }

    pub fn parse(s: &str) -> Option<OutboxKind> {
        [OutboxKind::Offer, OutboxKind::Need, OutboxKind::Township]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Appends an entry; call inside the transaction of the change.
pub async fn append(
    db: &impl ConnectionTrait,
    kind: OutboxKind,
    ref_id: &str,
) -> Result<(), DbErr> {
    super::audit::lock_head(db).await?;
    search_outbox::ActiveModel {
        kind: Set(kind.as_str().to_owned()),
        ref_id: Set(ref_id.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Entries after `seq`, oldest first, at most `limit`.
pub async fn after(
    db: &impl ConnectionTrait,
    seq: i64,
    limit: u64,
) -> Result<Vec<search_outbox::Model>, DbErr> {
    search_outbox::Entity::find()
        .filter(search_outbox::Column::Seq.gt(seq))
        .order_by_asc(search_outbox::Column::Seq)
        .limit(limit)
        .all(db)
        .await
}

/// The last sequence number written (0 for an empty outbox).
pub async fn last_seq(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    Ok(search_outbox::Entity::find()
        .select_only()
        .column(search_outbox::Column::Seq)
        .order_by_desc(search_outbox::Column::Seq)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .unwrap_or(0))
}
