//! What requests keep for one another while nothing they depend on has
//! changed: counts that are costly to read and read far more often than
//! they change. Each kept value is tagged with the number of changes
//! counted in `change_counters` (read *before* the value, so a value can
//! only have seen more changes than its tag, never fewer), and is used only
//! while that number is unchanged. Every write the values depend on counts
//! a change in its own transaction (`services::audit::append` for the
//! audited writes, the daily refresh of the counts itself), and nodes that
//! share the database see each other's changes the same way.
//!
//! Nothing read inside a transaction is kept: it may include the
//! transaction's own uncommitted writes (`Store::within` drops the cache).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use sea_orm::{ConnectionTrait, DbErr};

use super::files::population;
use crate::db;

/// The values kept by one server (its requests and its indexer).
#[derive(Debug, Default)]
pub struct Kept {
    /// The k-anonymity population, by (township, band, class).
    pub population: population::Cache,
    /// Totals of lists (how many items all pages hold), by list.
    pub totals: Totals,
    /// Pages of suggestions for needs and offers.
    pub suggestions: super::suggestions::kept::Answers,
}

/// The total of `list` (a key naming the list and its filter): kept while
/// no change is counted, else `count`ed and kept. Without `kept` (inside a
/// transaction) it is always counted.
pub async fn total<C, F>(kept: Option<&Kept>, db: &C, list: String, count: F) -> Result<u64, DbErr>
where
    C: ConnectionTrait,
    F: AsyncFnOnce() -> Result<u64, DbErr>,
{
    let Some(kept) = kept else {
        return count().await;
    };
    // Read before counting (see the module's note).
    let changes = db::allocation::changes_seen(db).await?;
    if let Some(total) = kept.totals.get(&list, changes) {
        return Ok(total);
    }
    // One count at a time: when many requests miss at once (after a start
    // or a change), the first counts and the others find its total.
    let _counting = kept.totals.counting.lock().await;
    if let Some(total) = kept.totals.get(&list, changes) {
        return Ok(total);
    }
    let total = count().await?;
    kept.totals.put(list, changes, total);
    Ok(total)
}

/// List totals by a key naming the list and its filter.
#[derive(Debug, Default)]
pub struct Totals {
    kept: Mutex<HashMap<String, (i64, u64)>>,
    counting: tokio::sync::Mutex<()>,
}

/// Lists kept at most; past it the cache starts again.
const KEPT_TOTALS: usize = 20_000;

impl Totals {
    /// The total of `list` counted under `changes`, if kept.
    pub fn get(&self, list: &str, changes: i64) -> Option<u64> {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.get(list)
            .filter(|(tag, _)| *tag == changes)
            .map(|(_, total)| *total)
    }

    /// Keeps `total` for `list`, counted under `changes`, unless a total
    /// counted under more changes is kept already.
    pub fn put(&self, list: String, changes: i64, total: u64) {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.get(&list).is_some_and(|(tag, _)| *tag > changes) {
            return;
        }
        if kept.len() >= KEPT_TOTALS && !kept.contains_key(&list) {
            kept.clear();
        }
        kept.insert(list, (changes, total));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_holds_only_under_the_changes_it_was_counted_under() {
        let totals = Totals::default();
        totals.put("needs".into(), 4, 120);
        assert_eq!(totals.get("needs", 4), Some(120));
        assert_eq!(totals.get("needs", 5), None);
        assert_eq!(totals.get("matches", 4), None);
        totals.put("needs".into(), 6, 121);
        totals.put("needs".into(), 5, 119);
        assert_eq!(totals.get("needs", 6), Some(121));
        assert_eq!(totals.get("needs", 5), None);
    }
}
