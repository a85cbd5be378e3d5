//! The inbox sources of referrals: what waits for a department, for the
//! township that sent them, and for the county once they escalate.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};

use super::super::entities::referral;
use super::{Source, Subject, col};
use crate::domain::department::Department;
use crate::domain::referral::ReferralStatus;

fn open() -> Vec<&'static str> {
    ReferralStatus::codes_where(ReferralStatus::is_open)
}

/// Referrals of `status` sent to `department`, waiting since they were
/// sent (or accepted); overdue past their deadline.
pub fn for_department(department: Department, status: ReferralStatus, today: NaiveDate) -> Source {
    use referral::{Column as R, Entity};
    let since = if status == ReferralStatus::Accepted {
        col(Entity, R::AcceptedAt)
    } else {
        col(Entity, R::CreatedAt)
    };
    Source {
        query: Entity::find()
            .filter(R::Department.eq(department))
            .filter(R::Status.eq(status))
            .into_query(),
        id: col(Entity, R::Id),
        overdue: Some(col(Entity, R::DueOn).lt(today)),
        since,
        dated: false,
        subject: Subject::Referral,
        due: None,
    }
}

/// Open referrals of a township about which the department asked a
/// question not yet answered, waiting since it was asked.
pub fn asked(township: &str, cutoff: DateTime<Utc>) -> Source {
    use referral::{Column as R, Entity};
    let since = col(Entity, R::AskedAt);
    Source {
        query: Entity::find()
            .filter(R::TownshipCode.eq(township))
            .filter(R::Status.is_in(open()))
            .filter(R::AskedAt.is_not_null())
            .into_query(),
        id: col(Entity, R::Id),
        overdue: Some(since.clone().lt(cutoff)),
        since,
        dated: false,
        subject: Subject::Referral,
        due: None,
    }
}

/// Referrals of a township a department answered (granted, refused or
/// sent back), for the township to close.
pub fn answered(township: &str, cutoff: DateTime<Utc>) -> Source {
    use referral::{Column as R, Entity};
    let since = col(Entity, R::AnsweredAt);
    Source {
        query: Entity::find()
            .filter(R::TownshipCode.eq(township))
            .filter(R::Status.is_in([
                ReferralStatus::Granted.as_str(),
                ReferralStatus::Refused.as_str(),
                ReferralStatus::Returned.as_str(),
            ]))
            .into_query(),
        id: col(Entity, R::Id),
        overdue: Some(since.clone().lt(cutoff)),
        since,
        dated: false,
        subject: Subject::Referral,
        due: None,
    }
}

/// Open referrals of a township past their deadline (all overdue).
pub fn overdue(township: &str, today: NaiveDate) -> Source {
    use referral::{Column as R, Entity};
    Source {
        query: Entity::find()
            .filter(R::TownshipCode.eq(township))
            .filter(R::Status.is_in(open()))
            .filter(R::DueOn.lt(today))
            .into_query(),
        id: col(Entity, R::Id),
        overdue: None,
        since: col(Entity, R::CreatedAt),
        dated: false,
        subject: Subject::Referral,
        due: None,
    }
}

/// Open referrals of the county past twice their deadline (all overdue).
pub fn escalated(today: NaiveDate) -> Source {
    use referral::{Column as R, Entity};
    Source {
        query: Entity::find()
            .filter(R::Status.is_in(open()))
            .filter(R::EscalateOn.lt(today))
            .into_query(),
        id: col(Entity, R::Id),
        overdue: None,
        since: col(Entity, R::CreatedAt),
        dated: false,
        subject: Subject::Referral,
        due: None,
    }
}
