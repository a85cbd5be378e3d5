//! The inbox's queries. Each kind of waiting item is a [`Source`]: which
//! rows wait, since when, and which of them are overdue. All sources of a
//! reader are counted in one statement of scalar sub-selects (the count
//! shows on every page); a page of items reads each source's oldest rows.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryTrait};

use super::entities::{
    child, family, family_assessment, match_record, need, offer, provider, service_record,
};

/// Whose offers a match is on.
#[derive(Clone, Copy, Debug)]
pub enum Owner<'a> {
    Provider(&'a str),
    Family(&'a str),
}

/// Which matches a source reads.
#[derive(Clone, Copy, Debug)]
pub enum MatchScope<'a> {
    /// Matches of needs in one township.
    Township(&'a str),
    County,
    /// Matches on the offers of one owner.
    Offers(Owner<'a>),
}

/// What a match source asks of its service records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Served {
    Any,
    /// At least one service logged.
    Yes,
    /// None logged yet.
    No,
}

/// When a family started waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FamilySince {
    /// At its application.
    Applied,
    /// At its latest assessment (its application when it has none).
    LastAssessed,
}

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
    overdue: Expr,
    subject: Subject,
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

/// Matches of `statuses` in `scope`, waiting since their status changed.
pub fn matches(
    scope: MatchScope<'_>,
    status: &str,
    served: Served,
    cutoff: DateTime<Utc>,
) -> Source {
    use match_record::{Column as M, Entity};
    let mut select = Entity::find().filter(M::Status.eq(status));
    select = match scope {
        MatchScope::Township(t) => select.filter(M::TownshipCode.eq(t)),
        MatchScope::County => select,
        MatchScope::Offers(owner) => {
            let mut own = Query::select();
            own.column(offer::Column::Id).from(offer::Entity);
            match owner {
                Owner::Provider(id) => {
                    own.and_where(col(offer::Entity, offer::Column::ProviderId).eq(id))
                }
                Owner::Family(id) => {
                    own.and_where(col(offer::Entity, offer::Column::FamilyId).eq(id))
                }
            };
            select.filter(M::OfferId.in_subquery(own))
        }
    };
    let mut records = Query::select();
    records
        .expr(Expr::val(1))
        .from(service_record::Entity)
        .and_where(
            col(service_record::Entity, service_record::Column::MatchId).equals((Entity, M::Id)),
        );
    select = match served {
        Served::Any => select,
        Served::Yes => select.filter(Expr::exists(records)),
        Served::No => select.filter(Expr::not_exists(records)),
    };
    let since = col(Entity, M::StatusChangedAt);
    Source {
        query: select.into_query(),
        id: col(Entity, M::Id),
        overdue: since.clone().lt(cutoff),
        since,
        dated: false,
        subject: Subject::Match,
    }
}

/// Family applications of `statuses`, in one township or the whole county.
pub fn families(
    township: Option<&str>,
    statuses: &[&str],
    since: FamilySince,
    cutoff: DateTime<Utc>,
) -> Source {
    use family::{Column as F, Entity};
    let mut select = Entity::find().filter(F::Status.is_in(statuses.iter().copied()));
    if let Some(t) = township {
        select = select.filter(F::TownshipCode.eq(t));
    }
    let applied = col(Entity, F::CreatedAt);
    let since = match since {
        FamilySince::Applied => applied,
        FamilySince::LastAssessed => {
            let mut latest = Query::select();
            latest
                .expr(Func::max(col(
                    family_assessment::Entity,
                    family_assessment::Column::CreatedAt,
                )))
                .from(family_assessment::Entity)
                .and_where(
                    col(
                        family_assessment::Entity,
                        family_assessment::Column::FamilyId,
                    )
                    .equals((Entity, F::Id)),
                );
            Func::coalesce([Expr::from(latest), applied]).into()
        }
    };
    Source {
        query: select.into_query(),
        id: col(Entity, F::Id),
        overdue: since.clone().lt(cutoff),
        since,
        dated: false,
        subject: Subject::Family,
    }
}

/// Whose approvals an expiry source reads.
#[derive(Clone, Copy, Debug)]
pub enum FamilyScope<'a> {
    Township(&'a str),
    /// One family's own.
    Own(&'a str),
}

/// Approved families whose approval ends on or before `until`, dated by
/// that end; overdue when it ends on or before `overdue_until`.
pub fn approvals_ending(
    scope: FamilyScope<'_>,
    until: NaiveDate,
    overdue_until: NaiveDate,
) -> Source {
    use family::{Column as F, Entity};
    let mut select = Entity::find()
        .filter(F::Status.eq("approved"))
        .filter(F::ApprovedUntil.is_not_null())
        .filter(F::ApprovedUntil.lte(until));
    select = match scope {
        FamilyScope::Township(t) => select.filter(F::TownshipCode.eq(t)),
        FamilyScope::Own(id) => select.filter(F::Id.eq(id)),
    };
    let since = col(Entity, F::ApprovedUntil);
    Source {
        query: select.into_query(),
        id: col(Entity, F::Id),
        overdue: since.clone().lte(overdue_until),
        since,
        dated: true,
        subject: Subject::Family,
    }
}

/// Providers waiting for verification, since they registered.
pub fn providers_pending(cutoff: DateTime<Utc>) -> Source {
    use provider::{Column as P, Entity};
    let since = col(Entity, P::CreatedAt);
    Source {
        query: Entity::find().filter(P::Status.eq("pending")).into_query(),
        id: col(Entity, P::Id),
        overdue: since.clone().lt(cutoff),
        since,
        dated: false,
        subject: Subject::Provider,
    }
}

/// Published needs of a township, published before `published_before`,
/// without any match in `open` statuses; waiting since publication.
pub fn needs_unmatched(
    township: &str,
    published_before: DateTime<Utc>,
    open: &[&str],
    cutoff: DateTime<Utc>,
) -> Source {
    use need::{Column as N, Entity};
    let mut matched = Query::select();
    matched
        .expr(Expr::val(1))
        .from(match_record::Entity)
        .and_where(col(match_record::Entity, match_record::Column::NeedId).equals((Entity, N::Id)))
        .and_where(
            col(match_record::Entity, match_record::Column::Status).is_in(open.iter().copied()),
        );
    let since = col(Entity, N::PublishedAt);
    Source {
        query: Entity::find()
            .filter(N::TownshipCode.eq(township))
            .filter(N::Status.eq("published"))
            .filter(N::PublishedAt.lt(published_before))
            .filter(Expr::not_exists(matched))
            .into_query(),
        id: col(Entity, N::Id),
        overdue: since.clone().lt(cutoff),
        since,
        dated: false,
        subject: Subject::Need,
    }
}

/// Draft files of one village (by its blind index), since they were written.
pub fn draft_files(village_index: &str, cutoff: DateTime<Utc>) -> Source {
    use child::{Column as C, Entity};
    let since = col(Entity, C::CreatedAt);
    Source {
        query: Entity::find()
            .filter(C::VillageIndex.eq(village_index))
            .filter(C::Status.eq("draft"))
            .into_query(),
        id: col(Entity, C::Id),
        overdue: since.clone().lt(cutoff),
        since,
        dated: false,
        subject: Subject::Child,
    }
}

/// Draft needs one account wrote in a township, since they were written.
pub fn draft_needs(township: &str, created_by: &str, cutoff: DateTime<Utc>) -> Source {
    use need::{Column as N, Entity};
    let since = col(Entity, N::CreatedAt);
    Source {
        query: Entity::find()
            .filter(N::TownshipCode.eq(township))
            .filter(N::Status.eq("draft"))
            .filter(N::CreatedBy.eq(created_by))
            .into_query(),
        id: col(Entity, N::Id),
        overdue: since.clone().lt(cutoff),
        since,
        dated: false,
        subject: Subject::Need,
    }
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
        let mut overdue = source.query.clone();
        overdue.and_where(source.overdue.clone());
        select
            .expr_as(count_of(source.query.clone()), Alias::new(format!("c{i}")))
            .expr_as(count_of(overdue), Alias::new(format!("o{i}")));
    }
    let row = db
        .query_one(&select)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("inbox counts".into()))?;
    let number = |name: String| -> Result<u64, DbErr> {
        Ok(u64::try_from(row.try_get::<i64>("", &name)?).unwrap_or(0))
    };
    (0..sources.len())
        .map(|i| Ok((number(format!("c{i}"))?, number(format!("o{i}"))?)))
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
    let with_code = matches!(source.subject, Subject::Match | Subject::Need);
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
            })
        })
        .collect()
}
