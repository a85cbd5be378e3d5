//! Caring-family applications.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::columns::CodeList;
use super::entities::{family, family_assessment};
use crate::domain::family::{CareType, FamilyStatus};

pub struct NewFamily<'a> {
    pub id: &'a str,
    pub household_name: &'a str,
    pub township_code: &'a str,
    pub members: i32,
    pub housing: &'a str,
    pub contact_phone: &'a str,
    pub care_types: &'a [CareType],
}

pub async fn insert(db: &impl ConnectionTrait, new: NewFamily<'_>) -> Result<family::Model, DbErr> {
    family::ActiveModel {
        id: Set(new.id.to_owned()),
        household_name: Set(new.household_name.to_owned()),
        township_code: Set(new.township_code.to_owned()),
        members: Set(new.members),
        housing: Set(new.housing.to_owned()),
        contact_phone: Set(new.contact_phone.to_owned()),
        care_types: Set(CodeList(new.care_types.to_vec())),
        status: Set(FamilyStatus::Submitted),
        decision_reason: Set(None),
        decided_at: Set(None),
        approved_until: Set(None),
        reassess_noted_at: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<family::Model>, DbErr> {
    family::Entity::find_by_id(id.to_owned()).one(db).await
}

/// Applications, oldest first, optionally of one township and one status.
pub async fn list(
    db: &impl ConnectionTrait,
    township: Option<&str>,
    status: Option<&str>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<family::Model>), DbErr> {
    let filter = ListFilter {
        township,
        status,
        due_by: None,
    };
    list_where(db, &filter, limit, offset).await
}

/// Which applications a list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListFilter<'a> {
    pub township: Option<&'a str>,
    pub status: Option<&'a str>,
    /// Only approved families whose approval ends on or before this day (or
    /// has no end date), soonest end first: those due for re-assessment.
    pub due_by: Option<NaiveDate>,
}

/// Applications matching `filter`, oldest first (soonest approval end first
/// for the re-assessment list).
pub async fn list_where(
    db: &impl ConnectionTrait,
    filter: &ListFilter<'_>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<family::Model>), DbErr> {
    let mut query = family::Entity::find();
    if let Some(township) = filter.township {
        query = query.filter(family::Column::TownshipCode.eq(township));
    }
    if let Some(status) = filter.status {
        query = query.filter(family::Column::Status.eq(status));
    }
    if let Some(due_by) = filter.due_by {
        query = query
            .filter(family::Column::Status.eq("approved"))
            .filter(
                Condition::any()
                    .add(family::Column::ApprovedUntil.is_null())
                    .add(family::Column::ApprovedUntil.lte(due_by)),
            )
            .order_by_asc(family::Column::ApprovedUntil);
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(family::Column::CreatedAt)
        .order_by_asc(family::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((total, items))
}

/// What a status change writes beside the status.
pub struct Transition<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// The reason the family reads; `None` clears an earlier one.
    pub reason: Option<&'a str>,
    /// When the township or the county decided; `None` keeps the old value.
    pub decided_at: Option<DateTime<Utc>>,
    /// A new end of the approval; `None` keeps the old one.
    pub approved_until: Option<NaiveDate>,
}

/// Moves the family from `change.from` to `change.to`, only if it is still
/// in `change.from`; false when someone else moved it first.
pub async fn transition(
    db: &impl ConnectionTrait,
    id: &str,
    change: Transition<'_>,
) -> Result<bool, DbErr> {
    let mut update = family::Entity::update_many()
        .col_expr(family::Column::Status, Expr::value(change.to))
        .col_expr(
            family::Column::DecisionReason,
            Expr::value(change.reason.map(str::to_owned)),
        );
    if let Some(at) = change.decided_at {
        update = update.col_expr(family::Column::DecidedAt, Expr::value(at));
    }
    if let Some(until) = change.approved_until {
        update = update
            .col_expr(family::Column::ApprovedUntil, Expr::value(until))
            // A new end falls due again in its time: the due-notice sweep
            // tells of it once more.
            .col_expr(
                family::Column::ReassessNotedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            );
    }
    let result = update
        .filter(family::Column::Id.eq(id))
        .filter(family::Column::Status.eq(change.from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn insert_assessment(
    db: &impl ConnectionTrait,
    row: family_assessment::Model,
) -> Result<family_assessment::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

/// A family's assessments, the most recent visit first.
pub async fn assessments(
    db: &impl ConnectionTrait,
    family_id: &str,
) -> Result<Vec<family_assessment::Model>, DbErr> {
    family_assessment::Entity::find()
        .filter(family_assessment::Column::FamilyId.eq(family_id))
        .order_by_desc(family_assessment::Column::VisitedOn)
        .order_by_desc(family_assessment::Column::CreatedAt)
        .order_by_desc(family_assessment::Column::Id)
        .all(db)
        .await
}
