//! The inbox sources of escalation: a township's needs the sweep widened
//! or asked to renew, and the proposals it escalated to the county. Each
//! reads the sweep's mark (an index range), so every item is overdue by
//! its nature and counted once.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};

use super::{Source, Subject, col};
use crate::db::entities::{match_record, need};

/// Published needs of a township widened and not (yet) asked to renew:
/// the officer is told, until a renewal is asked or the need moves on.
pub fn needs_widened(township: &str) -> Source {
    use need::{Column as N, Entity};
    let since = col(Entity, N::WidenedAt);
    Source {
        query: Entity::find()
            .filter(N::TownshipCode.eq(township))
            .filter(N::Status.eq("published"))
            .filter(N::RenewalAskedAt.is_null())
            .filter(N::WidenedAt.is_not_null())
            .into_query(),
        id: col(Entity, N::Id),
        overdue: None,
        since,
        dated: false,
        subject: Subject::Need,
        due: None,
    }
}

/// Published needs of a township the sweep asked to renew or close.
pub fn needs_to_renew(township: &str) -> Source {
    use need::{Column as N, Entity};
    let since = col(Entity, N::RenewalAskedAt);
    Source {
        query: Entity::find()
            .filter(N::TownshipCode.eq(township))
            .filter(N::Status.eq("published"))
            .filter(N::RenewalAskedAt.is_not_null())
            .into_query(),
        id: col(Entity, N::Id),
        overdue: None,
        since,
        dated: false,
        subject: Subject::Need,
        due: None,
    }
}

/// Proposals still waiting for their township that the sweep escalated
/// to the county.
pub fn proposals_overdue() -> Source {
    use match_record::{Column as M, Entity};
    let since = col(Entity, M::EscalatedAt);
    Source {
        query: Entity::find()
            .filter(M::Status.eq("proposed"))
            .filter(M::EscalatedAt.is_not_null())
            .into_query(),
        id: col(Entity, M::Id),
        overdue: None,
        since,
        dated: false,
        subject: Subject::Match,
        due: None,
    }
}
