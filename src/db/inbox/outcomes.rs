//! The inbox sources of outcome notes: completed matches whose owner or
//! township officer has not yet given its note, among those whose
//! completion asked for it (`notes_asked_at`, migration 000045). Each
//! reads an index made for it: `(offer_id, status, owner_outcome_note,
//! notes_asked_at)` for an owner's offers, `(township_code, status,
//! officer_outcome, notes_asked_at)` for a township. A match waits from its completion (its last status change)
//! and is overdue after the inbox's days, like the other match items.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};

use super::{Owner, Source, Subject, col};
use crate::db::entities::{match_record, offer};
use crate::domain::matching::MatchStatus;

fn completed_source(
    select: sea_orm::Select<match_record::Entity>,
    cutoff: DateTime<Utc>,
) -> Source {
    use match_record::{Column as M, Entity};
    let since = col(Entity, M::StatusChangedAt);
    Source {
        query: select
            .filter(M::Status.eq(MatchStatus::Completed.as_str()))
            // Only matches whose completion asked (not those completed
            // before outcome notes existed).
            .filter(M::NotesAskedAt.is_not_null())
            .into_query(),
        id: col(Entity, M::Id),
        overdue: Some(since.clone().lt(cutoff)),
        since,
        dated: false,
        subject: Subject::Match,
        due: None,
    }
}

/// Completed matches on the offers of `owner` without the owner's note.
pub fn owner_notes(owner: Owner<'_>, cutoff: DateTime<Utc>) -> Source {
    use match_record::{Column as M, Entity};
    let mut own = Query::select();
    own.column(offer::Column::Id).from(offer::Entity);
    match owner {
        Owner::Provider(id) => own.and_where(col(offer::Entity, offer::Column::ProviderId).eq(id)),
        Owner::Family(id) => own.and_where(col(offer::Entity, offer::Column::FamilyId).eq(id)),
    };
    completed_source(
        Entity::find()
            .filter(M::OfferId.in_subquery(own))
            .filter(M::OwnerOutcomeNote.is_null()),
        cutoff,
    )
}

/// Completed matches of a township without the officer's outcome.
pub fn officer_notes(township: &str, cutoff: DateTime<Utc>) -> Source {
    use match_record::{Column as M, Entity};
    completed_source(
        Entity::find()
            .filter(M::TownshipCode.eq(township))
            .filter(M::OfficerOutcome.is_null()),
        cutoff,
    )
}
