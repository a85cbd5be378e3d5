//! Throttle buckets (see `domain::throttle`): read and written inside the
//! write transaction that reserves an attempt, so that attempts sent in
//! parallel are counted one after the other.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::entities::throttle_bucket;
use crate::domain::throttle::Bucket;

/// What a bucket counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketKind {
    /// Logins of one account (as typed) from one address.
    LoginPair,
    /// Logins from one address, whatever the account.
    LoginAddress,
    /// Registrations (providers and families) from one address.
    Register,
    /// Mandatory reports from one address (`address`), or from everyone
    /// (the address `*`).
    Report,
    /// Lookups of a report's stage from one address.
    ReportLookup,
}

impl BucketKind {
    fn as_str(self) -> &'static str {
        match self {
            BucketKind::LoginPair => "login_pair",
            BucketKind::LoginAddress => "login_address",
            BucketKind::Register => "register",
            BucketKind::Report => "report",
            BucketKind::ReportLookup => "report_lookup",
        }
    }
}

/// One bucket: its kind, the account (empty for an address alone) and the
/// address.
#[derive(Debug, Clone, Copy)]
pub struct BucketKey<'a> {
    pub kind: BucketKind,
    pub username: &'a str,
    pub address: &'a str,
}

/// A stored bucket and when its account last logged in from its address.
#[derive(Debug, Clone, Copy)]
pub struct Stored {
    pub bucket: Bucket,
    pub last_success_at: Option<i64>,
}

fn matching(key: BucketKey<'_>) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(throttle_bucket::Column::Kind.eq(key.kind.as_str()))
        .add(throttle_bucket::Column::Username.eq(key.username))
        .add(throttle_bucket::Column::Address.eq(key.address))
}

pub async fn load(db: &impl ConnectionTrait, key: BucketKey<'_>) -> Result<Option<Stored>, DbErr> {
    Ok(throttle_bucket::Entity::find()
        .filter(matching(key))
        .one(db)
        .await?
        .map(|row| Stored {
            bucket: Bucket {
                failures: u32::try_from(row.failures).unwrap_or(0),
                last_at: row.last_at,
                not_before: row.not_before,
            },
            last_success_at: row.last_success_at,
        }))
}

/// Writes a bucket's counts (inserting it when new); its last success is
/// kept.
pub async fn store(
    db: &impl ConnectionTrait,
    key: BucketKey<'_>,
    bucket: &Bucket,
) -> Result<(), DbErr> {
    use throttle_bucket::Column as C;
    throttle_bucket::Entity::insert(throttle_bucket::ActiveModel {
        kind: Set(key.kind.as_str().to_owned()),
        username: Set(key.username.to_owned()),
        address: Set(key.address.to_owned()),
        failures: Set(i32::try_from(bucket.failures).unwrap_or(i32::MAX)),
        last_at: Set(bucket.last_at),
        not_before: Set(bucket.not_before),
        last_success_at: Set(None),
    })
    .on_conflict(
        OnConflict::columns([C::Kind, C::Username, C::Address])
            .update_columns([C::Failures, C::LastAt, C::NotBefore])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// The attempt reserved in this pair's bucket succeeded: its failures are
/// forgotten and the success remembered (the account is known at this
/// address).
pub async fn succeeded(
    db: &impl ConnectionTrait,
    key: BucketKey<'_>,
    at: i64,
) -> Result<(), DbErr> {
    use throttle_bucket::Column as C;
    throttle_bucket::Entity::update_many()
        .col_expr(C::Failures, Expr::value(0))
        .col_expr(C::NotBefore, Expr::value(0i64))
        .col_expr(C::LastSuccessAt, Expr::value(Some(at)))
        .filter(matching(key))
        .exec(db)
        .await?;
    Ok(())
}

/// The attempt reserved in this bucket was not a failure: one fewer,
/// relative to what is stored now.
pub async fn forgive_one(db: &impl ConnectionTrait, key: BucketKey<'_>) -> Result<(), DbErr> {
    use throttle_bucket::Column as C;
    throttle_bucket::Entity::update_many()
        .col_expr(C::Failures, Expr::col(C::Failures).sub(1))
        .filter(matching(key))
        .filter(C::Failures.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets buckets quiet since `before` that remember no success since
/// `success_before` (run periodically).
pub async fn delete_quiet(
    db: &impl ConnectionTrait,
    before: i64,
    success_before: i64,
) -> Result<u64, DbErr> {
    use throttle_bucket::Column as C;
    Ok(throttle_bucket::Entity::delete_many()
        .filter(C::LastAt.lt(before))
        .filter(C::NotBefore.lt(before))
        .filter(
            sea_orm::Condition::any()
                .add(C::LastSuccessAt.is_null())
                .add(C::LastSuccessAt.lt(success_before)),
        )
        .exec(db)
        .await?
        .rows_affected)
}

/// Login buckets of accounts that must wait now, most failures first: the
/// accounts under attack, for the county.
pub async fn waiting_accounts(
    db: &impl ConnectionTrait,
    now: i64,
    limit: u64,
) -> Result<Vec<throttle_bucket::Model>, DbErr> {
    use throttle_bucket::Column as C;
    throttle_bucket::Entity::find()
        .filter(C::Kind.eq(BucketKind::LoginPair.as_str()))
        .filter(C::NotBefore.gt(now))
        .order_by_desc(C::Failures)
        .order_by_asc(C::Username)
        .limit(limit)
        .all(db)
        .await
}
