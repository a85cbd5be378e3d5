//! Referrals, their events and the one-door intakes.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Order};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{child, intake, referral, referral_event};
use crate::domain::department::Department;
use crate::domain::referral::ReferralStatus;

pub async fn insert(
    db: &impl ConnectionTrait,
    row: referral::Model,
) -> Result<referral::Model, DbErr> {
    referral::ActiveModel::from(row).insert(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<referral::Model>, DbErr> {
    referral::Entity::find_by_id(id.to_owned()).one(db).await
}

/// What a move writes besides the status.
#[derive(Default)]
pub struct MoveFields<'a> {
    pub accepted_at: Option<DateTime<Utc>>,
    pub answered: Option<(DateTime<Utc>, &'a str)>,
    pub answer_text: Option<&'a str>,
    pub amount_yuan: Option<i64>,
    pub start_on: Option<NaiveDate>,
    pub decision_reference: Option<&'a str>,
    pub forwarded_to: Option<&'a str>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Moves a referral from `from` to `to` with `fields`, only if it is still
/// in `from`: `false` when another answer got there first.
pub async fn move_status(
    db: &impl ConnectionTrait,
    id: &str,
    from: ReferralStatus,
    to: ReferralStatus,
    fields: MoveFields<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use referral::Column as R;
    let mut update = referral::Entity::update_many()
        .col_expr(R::Status, Expr::value(to))
        .col_expr(R::UpdatedAt, Expr::value(now));
    if let Some(at) = fields.accepted_at {
        update = update.col_expr(R::AcceptedAt, Expr::value(at));
    }
    if let Some((at, by)) = fields.answered {
        update = update
            .col_expr(R::AnsweredAt, Expr::value(at))
            .col_expr(R::AnsweredBy, Expr::value(by.to_owned()))
            .col_expr(R::Outcome, Expr::value(to))
            .col_expr(R::AskedAt, Expr::value(Option::<DateTime<Utc>>::None));
    }
    if let Some(text) = fields.answer_text {
        update = update.col_expr(R::AnswerText, Expr::value(text.to_owned()));
    }
    if let Some(n) = fields.amount_yuan {
        update = update.col_expr(R::AmountYuan, Expr::value(n));
    }
    if let Some(day) = fields.start_on {
        update = update.col_expr(R::StartOn, Expr::value(day));
    }
    if let Some(reference) = fields.decision_reference {
        update = update.col_expr(R::DecisionReference, Expr::value(reference.to_owned()));
    }
    if let Some(next) = fields.forwarded_to {
        update = update.col_expr(R::ForwardedTo, Expr::value(next.to_owned()));
    }
    if let Some(at) = fields.closed_at {
        update = update.col_expr(R::ClosedAt, Expr::value(at));
    }
    let result = update
        .filter(R::Id.eq(id))
        .filter(R::Status.eq(from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Marks (or clears) the department's open question to the township.
pub async fn set_asked(
    db: &impl ConnectionTrait,
    id: &str,
    asked_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    referral::Entity::update_many()
        .col_expr(referral::Column::AskedAt, Expr::value(asked_at))
        .col_expr(referral::Column::UpdatedAt, Expr::value(now))
        .filter(referral::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// An event of a referral's timeline.
pub struct NewEvent<'a> {
    pub referral_id: &'a str,
    pub at: DateTime<Utc>,
    pub actor_id: &'a str,
    pub actor_name: &'a str,
    pub side: &'a str,
    pub action: &'a str,
    pub text: Option<&'a str>,
}

pub async fn add_event(db: &impl ConnectionTrait, e: NewEvent<'_>) -> Result<(), DbErr> {
    referral_event::ActiveModel {
        referral_id: Set(e.referral_id.to_owned()),
        at: Set(e.at),
        actor_id: Set(e.actor_id.to_owned()),
        actor_name: Set(e.actor_name.to_owned()),
        side: Set(e.side.to_owned()),
        action: Set(e.action.to_owned()),
        text: Set(e.text.map(str::to_owned)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A referral's events, oldest first.
pub async fn events(
    db: &impl ConnectionTrait,
    referral_id: &str,
) -> Result<Vec<referral_event::Model>, DbErr> {
    referral_event::Entity::find()
        .filter(referral_event::Column::ReferralId.eq(referral_id))
        .order_by_asc(referral_event::Column::Id)
        .all(db)
        .await
}

/// Which referrals a list reads.
#[derive(Clone, Debug, Default)]
pub struct ReferralFilter<'a> {
    pub department: Option<Department>,
    pub township: Option<&'a str>,
    pub child_id: Option<&'a str>,
    pub intake_id: Option<&'a str>,
    pub status: Option<ReferralStatus>,
    /// Only open referrals past their deadline on this day.
    pub overdue_on: Option<NaiveDate>,
}

/// A page of referrals with the file number of each: open ones first, the
/// earliest deadline first (overdue ones lead), then the oldest.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &ReferralFilter<'_>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<(referral::Model, String)>), DbErr> {
    use referral::Column as R;
    let open = ReferralStatus::codes_where(ReferralStatus::is_open);
    let mut query = referral::Entity::find();
    if let Some(d) = filter.department {
        query = query.filter(R::Department.eq(d));
    }
    if let Some(t) = filter.township {
        query = query.filter(R::TownshipCode.eq(t));
    }
    if let Some(c) = filter.child_id {
        query = query.filter(R::ChildId.eq(c));
    }
    if let Some(i) = filter.intake_id {
        query = query.filter(R::IntakeId.eq(i));
    }
    if let Some(s) = filter.status {
        query = query.filter(R::Status.eq(s));
    }
    if let Some(day) = filter.overdue_on {
        query = query
            .filter(R::Status.is_in(open.clone()))
            .filter(R::DueOn.lt(day));
    }
    let total = query.clone().count(db).await?;
    let open_first = CaseStatement::new()
        .case(Expr::col((referral::Entity, R::Status)).is_in(open), 0)
        .finally(1);
    let rows = query
        .order_by(Into::<Expr>::into(open_first), Order::Asc)
        .order_by(R::DueOn, Order::Asc)
        .order_by(R::CreatedAt, Order::Asc)
        .order_by(R::Id, Order::Asc)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    let numbers = file_numbers(db, rows.iter().map(|r| r.child_id.clone()).collect()).await?;
    Ok((
        total,
        rows.into_iter()
            .map(|r| {
                let no = numbers
                    .iter()
                    .find(|(id, _)| *id == r.child_id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default();
                (r, no)
            })
            .collect(),
    ))
}

async fn file_numbers(
    db: &impl ConnectionTrait,
    ids: Vec<String>,
) -> Result<Vec<(String, String)>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    child::Entity::find()
        .select_only()
        .column(child::Column::Id)
        .column(child::Column::FileNo)
        .filter(child::Column::Id.is_in(crate::db::id_lists::padded(&ids)))
        .into_tuple()
        .all(db)
        .await
}

/// Open referrals of a file, about one rule (to refuse a second one).
pub async fn open_for_rule(
    db: &impl ConnectionTrait,
    child_id: &str,
    rule_id: &str,
) -> Result<u64, DbErr> {
    referral::Entity::find()
        .filter(referral::Column::ChildId.eq(child_id))
        .filter(referral::Column::RuleId.eq(rule_id))
        .filter(
            referral::Column::Status.is_in(ReferralStatus::codes_where(ReferralStatus::is_open)),
        )
        .count(db)
        .await
}

/// The open referrals of many files: (child_id, rule_id).
pub async fn open_rules_of(
    db: &impl ConnectionTrait,
    child_ids: &[String],
) -> Result<Vec<(String, Option<String>)>, DbErr> {
    if child_ids.is_empty() {
        return Ok(Vec::new());
    }
    referral::Entity::find()
        .select_only()
        .column(referral::Column::ChildId)
        .column(referral::Column::RuleId)
        .filter(referral::Column::ChildId.is_in(crate::db::id_lists::padded(child_ids)))
        .filter(
            referral::Column::Status.is_in(ReferralStatus::codes_where(ReferralStatus::is_open)),
        )
        .into_tuple()
        .all(db)
        .await
}

/// What the county's figures read of every referral.
#[derive(Clone, Debug)]
pub struct FigureRow {
    pub department: Department,
    pub status: ReferralStatus,
    pub outcome: Option<ReferralStatus>,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub due_on: NaiveDate,
}

/// The referrals sent on or after `since` (all when `None`).
pub async fn figure_rows(
    db: &impl ConnectionTrait,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<FigureRow>, DbErr> {
    use referral::Column as R;
    let mut query = referral::Entity::find()
        .select_only()
        .column(R::Department)
        .column(R::Status)
        .column(R::Outcome)
        .column(R::CreatedAt)
        .column(R::AnsweredAt)
        .column(R::DueOn);
    if let Some(at) = since {
        query = query.filter(R::CreatedAt.gte(at));
    }
    type Row = (
        Department,
        ReferralStatus,
        Option<ReferralStatus>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        NaiveDate,
    );
    let rows: Vec<Row> = query.into_tuple().all(db).await?;
    Ok(rows
        .into_iter()
        .map(
            |(department, status, outcome, created_at, answered_at, due_on)| FigureRow {
                department,
                status,
                outcome,
                created_at,
                answered_at,
                due_on,
            },
        )
        .collect())
}

pub async fn insert_intake(
    db: &impl ConnectionTrait,
    row: intake::Model,
) -> Result<intake::Model, DbErr> {
    intake::ActiveModel::from(row).insert(db).await
}

pub async fn find_intake(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<intake::Model>, DbErr> {
    intake::Entity::find_by_id(id.to_owned()).one(db).await
}

/// The intakes of a township (all: `None`), newest first.
pub async fn intakes(
    db: &impl ConnectionTrait,
    township: Option<&str>,
    limit: u64,
    offset: u64,
) -> Result<(u64, Vec<intake::Model>), DbErr> {
    let mut query = intake::Entity::find();
    if let Some(t) = township {
        query = query.filter(intake::Column::TownshipCode.eq(t));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(intake::Column::CreatedAt)
        .order_by_asc(intake::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((total, rows))
}

/// Whether any referral of `department` concerns `child_id` (a department
/// reaches a file only through its referrals).
pub async fn department_reaches_child(
    db: &impl ConnectionTrait,
    department: Department,
    child_id: &str,
) -> Result<bool, DbErr> {
    Ok(referral::Entity::find()
        .filter(
            Condition::all()
                .add(referral::Column::Department.eq(department))
                .add(referral::Column::ChildId.eq(child_id)),
        )
        .count(db)
        .await?
        > 0)
}

/// Sets the rule a referral is about (a forwarded referral keeps its
/// predecessor's).
pub async fn set_rule(db: &impl ConnectionTrait, id: &str, rule: &str) -> Result<(), DbErr> {
    referral::Entity::update_many()
        .col_expr(referral::Column::RuleId, Expr::value(rule.to_owned()))
        .filter(referral::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Dates a referral back by `days` (sent, due and escalating that much
/// earlier): demo data only, for a referral that is already overdue.
pub async fn backdate(db: &impl ConnectionTrait, id: &str, days: i64) -> Result<(), DbErr> {
    let Some(row) = find(db, id).await? else {
        return Ok(());
    };
    let shift = chrono::Duration::days(days);
    referral::Entity::update_many()
        .col_expr(
            referral::Column::CreatedAt,
            Expr::value(row.created_at - shift),
        )
        .col_expr(referral::Column::DueOn, Expr::value(row.due_on - shift))
        .col_expr(
            referral::Column::EscalateOn,
            Expr::value(row.escalate_on - shift),
        )
        .filter(referral::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
