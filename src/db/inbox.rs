//! The inbox's queries. Each kind of waiting item is a [`Source`]: which
//! rows wait, since when, and which of them are overdue. All sources of a
//! reader are counted in one statement of scalar sub-selects (the count
//! shows on every page); a page of items reads each source's oldest rows.
//! The sources of each kind are built in [`sources`].

pub mod escalations;
pub mod outcomes;
pub mod referrals;
mod sources;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait};

use super::entities::{child, family, match_record, need, offer, provider, referral, report};

pub use sources::{
    FamilyScope, FamilySince, MatchScope, Owner, Served, approvals_ending, draft_files,
    draft_needs, families, matches, matches_under_review, needs_unmatched, providers_pending,
    reports, township_draft_files, village_draft_needs,
};

/// What an item's label names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The offer's title and the need's code.
    Match,
    /// The household name.
    Family,
    /// The organisation's name.
    Provider,
    /// The need's title and code.
    Need,
    /// The file number.
    Child,
    /// The report's reference.
    Report,
    /// The referral's matter and its file's number.
    Referral,
}

/// When a row started waiting, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waiting {
    At(DateTime<Utc>),
    /// The date the source is dated by (for an expiring approval: its end).
    Day(NaiveDate),
}

/// One kind of waiting rows.
#[derive(Clone, Debug)]
pub struct Source {
    /// FROM and WHERE of the waiting rows.
    query: SelectStatement,
    id: Expr,
    since: Expr,
    dated: bool,
    /// Which waiting rows are overdue; `None` when the source's own filter
    /// makes every one of them overdue (then they are counted once).
    overdue: Option<Expr>,
    subject: Subject,
    /// Each row's own deadline, when the kind has one (reports): the row is
    /// overdue past it, whatever the inbox's overdue days.
    due: Option<Expr>,
}

/// One waiting row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub since: Waiting,
    /// The offer's title, the household's, organisation's or need's title,
    /// or the file number.
    pub title: String,
    /// The need's public code, for matches and needs.
    pub code: Option<String>,
    /// The row's own deadline, for kinds that have one.
    pub due: Option<DateTime<Utc>>,
}

impl Source {
    /// What the rows' labels name.
    pub fn subject(&self) -> Subject {
        self.subject
    }
}

fn col<E: EntityTrait, C: ColumnTrait>(entity: E, column: C) -> Expr {
    Expr::col((entity, column))
}

fn count_of(mut query: SelectStatement) -> Expr {
    query.clear_selects().expr(Func::count(Expr::val(1)));
    Expr::from(query)
}

/// (waiting, overdue) for each source, in one statement.
pub async fn counts(
    db: &impl ConnectionTrait,
    sources: &[Source],
) -> Result<Vec<(u64, u64)>, DbErr> {
    if sources.is_empty() {
        return Ok(Vec::new());
    }
    let mut select = Query::select();
    for (i, source) in sources.iter().enumerate() {
        select.expr_as(count_of(source.query.clone()), Alias::new(format!("c{i}")));
        if let Some(condition) = &source.overdue {
            let mut overdue = source.query.clone();
            overdue.and_where(condition.clone());
            select.expr_as(count_of(overdue), Alias::new(format!("o{i}")));
        }
    }
    let row = db
        .query_one(&select)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("inbox counts".into()))?;
    let number = |name: String| -> Result<u64, DbErr> {
        Ok(u64::try_from(row.try_get::<i64>("", &name)?).unwrap_or(0))
    };
    sources
        .iter()
        .enumerate()
        .map(|(i, source)| {
            let waiting = number(format!("c{i}"))?;
            let overdue = match source.overdue {
                Some(_) => number(format!("o{i}"))?,
                None => waiting,
            };
            Ok((waiting, overdue))
        })
        .collect()
}

/// The `limit` oldest rows of a source, oldest first.
pub async fn rows(
    db: &impl ConnectionTrait,
    source: &Source,
    limit: u64,
) -> Result<Vec<Row>, DbErr> {
    let mut query = source.query.clone();
    query
        .clear_selects()
        .expr_as(source.id.clone(), Alias::new("id"))
        .expr_as(source.since.clone(), Alias::new("since"));
    let with_code = matches!(
        source.subject,
        Subject::Match | Subject::Need | Subject::Referral
    );
    match source.subject {
        Subject::Match => {
            query
                .inner_join(
                    need::Entity,
                    col(need::Entity, need::Column::Id)
                        .equals((match_record::Entity, match_record::Column::NeedId)),
                )
                .inner_join(
                    offer::Entity,
                    col(offer::Entity, offer::Column::Id)
                        .equals((match_record::Entity, match_record::Column::OfferId)),
                )
                .expr_as(
                    col(offer::Entity, offer::Column::Title),
                    Alias::new("title"),
                )
                .expr_as(col(need::Entity, need::Column::Code), Alias::new("code"));
        }
        Subject::Family => {
            query.expr_as(
                col(family::Entity, family::Column::HouseholdName),
                Alias::new("title"),
            );
        }
        Subject::Provider => {
            query.expr_as(
                col(provider::Entity, provider::Column::Name),
                Alias::new("title"),
            );
        }
        Subject::Need => {
            query
                .expr_as(col(need::Entity, need::Column::Title), Alias::new("title"))
                .expr_as(col(need::Entity, need::Column::Code), Alias::new("code"));
        }
        Subject::Child => {
            query.expr_as(
                col(child::Entity, child::Column::FileNo),
                Alias::new("title"),
            );
        }
        Subject::Report => {
            query.expr_as(
                col(report::Entity, report::Column::Reference),
                Alias::new("title"),
            );
        }
        Subject::Referral => {
            query
                .inner_join(
                    child::Entity,
                    col(child::Entity, child::Column::Id)
                        .equals((referral::Entity, referral::Column::ChildId)),
                )
                .expr_as(
                    col(referral::Entity, referral::Column::Matter),
                    Alias::new("title"),
                )
                .expr_as(
                    col(child::Entity, child::Column::FileNo),
                    Alias::new("code"),
                );
        }
    }
    if let Some(due) = &source.due {
        query.expr_as(due.clone(), Alias::new("due"));
    }
    query
        .order_by_expr(source.since.clone(), Order::Asc)
        .order_by_expr(source.id.clone(), Order::Asc)
        .limit(limit);
    db.query_all(&query)
        .await?
        .into_iter()
        .map(|row| {
            let since = if source.dated {
                Waiting::Day(row.try_get("", "since")?)
            } else {
                Waiting::At(row.try_get("", "since")?)
            };
            Ok(Row {
                id: row.try_get("", "id")?,
                since,
                title: row.try_get("", "title")?,
                code: if with_code {
                    Some(row.try_get("", "code")?)
                } else {
                    None
                },
                // A source's deadline column may be empty for some of its
                // rows (an unfounded report has no follow-up): no deadline.
                due: if source.due.is_some() {
                    row.try_get("", "due")?
                } else {
                    None
                },
            })
        })
        .collect()
}
