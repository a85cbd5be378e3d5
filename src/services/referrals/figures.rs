//! The county's supervision figures per department (督查): referrals
//! received, answered, answered within the deadline, median days to
//! answer, granted and refused, open and overdue.

use chrono::{DateTime, Utc};

use crate::db;
use crate::domain::Role;
use crate::domain::department::Department;
use crate::domain::referral::{ReferralStatus, office_day};

use super::super::{Principal, ServiceResult, Store};

/// One department's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct DepartmentFigures {
    pub department: Department,
    pub received: u64,
    pub answered: u64,
    pub answered_on_time: u64,
    /// Median whole days from sent to answered (none answered: `None`).
    pub median_days: Option<f64>,
    pub granted: u64,
    pub refused: u64,
    pub returned: u64,
    pub forwarded: u64,
    pub open: u64,
    pub overdue: u64,
}

fn median(mut days: Vec<i64>) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let n = days.len();
    Some(if n % 2 == 1 {
        days[n / 2] as f64
    } else {
        (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0
    })
}

/// The figures of every department that received a referral sent since
/// `since` (all time when `None`), in the order of the department list.
/// County staff only.
pub async fn figures(
    store: Store<'_>,
    caller: &Principal,
    since: Option<DateTime<Utc>>,
) -> ServiceResult<Vec<DepartmentFigures>> {
    caller.require_role(&[Role::CountyAdmin])?;
    let rows = db::referrals::figure_rows(store.db, since).await?;
    let today = office_day(store.clock.now());
    let mut out = Vec::new();
    for &department in Department::ALL {
        let mine: Vec<_> = rows.iter().filter(|r| r.department == department).collect();
        if mine.is_empty() {
            continue;
        }
        let count = |s: ReferralStatus| mine.iter().filter(|r| r.outcome == Some(s)).count() as u64;
        let answered: Vec<_> = mine
            .iter()
            .filter_map(|r| r.answered_at.map(|a| (r, a)))
            .collect();
        let forwarded = count(ReferralStatus::Forwarded);
        out.push(DepartmentFigures {
            department,
            received: mine.len() as u64,
            answered: answered.len() as u64,
            answered_on_time: answered
                .iter()
                .filter(|(r, at)| office_day(*at) <= r.due_on)
                .count() as u64,
            median_days: median(
                answered
                    .iter()
                    .map(|(r, at)| (*at - r.created_at).num_days())
                    .collect(),
            ),
            // By the answer, which closing keeps.
            granted: count(ReferralStatus::Granted),
            refused: count(ReferralStatus::Refused),
            returned: count(ReferralStatus::Returned),
            forwarded,
            open: mine.iter().filter(|r| r.status.is_open()).count() as u64,
            overdue: mine
                .iter()
                .filter(|r| r.status.is_open() && today > r.due_on)
                .count() as u64,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5, 1, 3]), Some(3.0));
        assert_eq!(median(vec![4, 1, 3, 10]), Some(3.5));
    }
}
