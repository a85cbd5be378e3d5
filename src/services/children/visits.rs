//! Home visits (走访): recording one, and the file's last visit date.

use chrono::Utc;

use crate::db;
use crate::db::entities::visit;
use crate::domain::child::FileStatus;
use crate::domain::dates::parse_day;
use crate::domain::invalid::required_text;
use crate::domain::{Invalid, Role};

use super::super::files::{find_in_scope, identity};
use super::super::{Principal, RequestCtx, ServiceError, ServiceResult, Store, new_id};
use super::record;

/// A visit as typed.
#[derive(Debug, Clone, Default)]
pub struct VisitInput {
    pub visited_on: String,
    pub summary: String,
}

/// Records a visit by a township officer or village supervisor in scope.
pub async fn add(
    store: Store<'_>,
    ctx: &RequestCtx,
    caller: &Principal,
    child_id: &str,
    input: VisitInput,
) -> ServiceResult<visit::Model> {
    caller.require_role(&[Role::TownshipOfficer, Role::VillageSupervisor])?;
    let txn = db::begin_write(store.db).await?;
    let child = find_in_scope(store.within(&txn), caller, child_id).await?;
    if child.status == FileStatus::Closed {
        return Err(ServiceError::Conflict("档案已结档，不能再登记走访".into()));
    }
    let mut invalid = Invalid::new();
    // Today by the services' clock (which tests move forward).
    let today = store.clock.now().with_timezone(&chrono::Local).date_naive();
    let visited_on = match parse_day(&input.visited_on).ok_or(()) {
        Ok(d) if d > today => {
            invalid.add("visited_on", "走访日期不能晚于今天");
            None
        }
        Ok(d) => {
            let birth = identity::birth_date(store.vault, &child)?;
            if d < birth {
                invalid.add("visited_on", "走访日期不能早于儿童出生日期");
                None
            } else {
                Some(d)
            }
        }
        Err(_) => {
            invalid.add("visited_on", "请按“年/月/日”填写走访日期，如 2026/11/28");
            None
        }
    };
    let summary = invalid.check("summary", required_text(&input.summary, 2000));
    invalid.into_result()?;
    let (Some(visited_on), Some(summary)) = (visited_on, summary) else {
        return Err(ServiceError::internal("visit checked without values"));
    };
    let saved = db::children::insert_visit(
        &txn,
        visit::Model {
            id: new_id(),
            child_id: child.id.clone(),
            visited_on,
            summary,
            visitor_id: caller.id.clone(),
            visitor_name: caller.username.clone(),
            created_at: Utc::now(),
        },
    )
    .await?;
    db::children::visited(&txn, &child.id, visited_on).await?;
    record(&txn, ctx, caller, child_id, "child.visit", &[], None).await?;
    txn.commit().await?;
    Ok(saved)
}

/// A file's visits, most recent first (staff who reach the file).
pub async fn list(
    store: Store<'_>,
    caller: &Principal,
    child_id: &str,
) -> ServiceResult<Vec<visit::Model>> {
    let child = find_in_scope(store, caller, child_id).await?;
    Ok(db::children::visits(store.db, &child.id).await?)
}
