//! The sources of each kind of waiting item: which rows, since when, and
//! which are overdue. Only filters on indexed columns lead each source.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};

use super::super::entities::{
    child, family, family_assessment, match_record, need, offer, provider, report, service_record,
    user,
};
use super::{Source, Subject, col};

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
        overdue: Some(since.clone().lt(cutoff)),
        since,
        dated: false,
        subject: Subject::Match,
        due: None,
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
        overdue: Some(since.clone().lt(cutoff)),
        since,
        dated: false,
        subject: Subject::Family,
        due: None,
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
        overdue: Some(since.clone().lte(overdue_until)),
        since,
        dated: true,
        subject: Subject::Family,
        due: None,
    }
}

/// Providers waiting for verification, since they registered.
pub fn providers_pending(cutoff: DateTime<Utc>) -> Source {
    use provider::{Column as P, Entity};
    let since = col(Entity, P::CreatedAt);
    Source {
        query: Entity::find().filter(P::Status.eq("pending")).into_query(),
        id: col(Entity, P::Id),
        overdue: Some(since.clone().lt(cutoff)),
        since,
        dated: false,
        subject: Subject::Provider,
        due: None,
    }
}

/// Published needs of a township, published before `cutoff`, without any
/// match in `open` statuses: waiting since publication, so all overdue.
pub fn needs_unmatched(township: &str, cutoff: DateTime<Utc>, open: &[&str]) -> Source {
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
            .filter(N::PublishedAt.lt(cutoff))
            .filter(Expr::not_exists(matched))
            .into_query(),
        id: col(Entity, N::Id),
        overdue: None,
        since,
        dated: false,
        subject: Subject::Need,
        due: None,
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
        overdue: Some(since.clone().lt(cutoff)),
        since,
        dated: false,
        subject: Subject::Child,
        due: None,
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
        overdue: Some(since.clone().lt(cutoff)),
        since,
        dated: false,
        subject: Subject::Need,
        due: None,
    }
}

/// Matches of a township that hold their place and wait for the officer's
/// decision since the guardian withdrew consent to publish.
pub fn matches_under_review(township: &str, holding: &[&str], cutoff: DateTime<Utc>) -> Source {
    use match_record::{Column as M, Entity};
    let since = col(Entity, M::ReviewSince);
    Source {
        query: Entity::find()
            .filter(M::TownshipCode.eq(township))
            .filter(M::ReviewSince.is_not_null())
            .filter(M::Status.is_in(holding.iter().copied()))
            .into_query(),
        id: col(Entity, M::Id),
        overdue: Some(since.clone().lt(cutoff)),
        since,
        dated: false,
        subject: Subject::Match,
        due: None,
    }
}

/// Draft files of a township (only village supervisors draft), waiting for
/// the township officer to complete them since they were written.
pub fn township_draft_files(township: &str, cutoff: DateTime<Utc>) -> Source {
    use child::{Column as C, Entity};
    let since = col(Entity, C::CreatedAt);
    Source {
        query: Entity::find()
            .filter(C::TownshipCode.eq(township))
            .filter(C::Status.eq("draft"))
            .into_query(),
        id: col(Entity, C::Id),
        overdue: Some(since.clone().lt(cutoff)),
        since,
        dated: false,
        subject: Subject::Child,
        due: None,
    }
}

/// Draft needs of a township written by its village supervisors, waiting
/// for the township officer to publish them since they were written.
pub fn village_draft_needs(township: &str, supervisor: &str, cutoff: DateTime<Utc>) -> Source {
    use need::{Column as N, Entity};
    let mut supervisors = Query::select();
    supervisors
        .column(user::Column::Id)
        .from(user::Entity)
        .and_where(col(user::Entity, user::Column::Role).eq(supervisor));
    let since = col(Entity, N::CreatedAt);
    Source {
        query: Entity::find()
            .filter(N::TownshipCode.eq(township))
            .filter(N::Status.eq("draft"))
            .filter(N::CreatedBy.in_subquery(supervisors))
            .into_query(),
        id: col(Entity, N::Id),
        overdue: Some(since.clone().lt(cutoff)),
        since,
        dated: false,
        subject: Subject::Need,
        due: None,
    }
}

/// Reports of a township in `statuses`, waiting since `since`, overdue
/// past their own deadline `due` (the first response, the follow-up).
pub fn reports(
    township: Option<&str>,
    statuses: &[&str],
    since: report::Column,
    due: report::Column,
    now: DateTime<Utc>,
    only_past_due: bool,
) -> Source {
    use report::{Column as R, Entity};
    let mut select = Entity::find().filter(R::Status.is_in(statuses.iter().copied()));
    if let Some(township) = township {
        select = select.filter(R::TownshipCode.eq(township));
    }
    let due_at = col(Entity, due);
    if only_past_due {
        select = select.filter(due.lt(now));
    }
    Source {
        query: select.into_query(),
        id: col(Entity, R::Id),
        since: col(Entity, since),
        dated: false,
        overdue: if only_past_due {
            None
        } else {
            Some(due_at.clone().lt(now))
        },
        subject: Subject::Report,
        due: Some(due_at),
    }
}
