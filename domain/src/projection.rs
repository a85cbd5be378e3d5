//! The anonymizer: the public projection of a need, computed from the need
//! and its child's file, never typed. It shows an age band and a broad class
//! instead of an age and categories, and the township only when at least k
//! children on file share (township, age band, class); otherwise the county.

use std::collections::HashMap;

use super::category::Category;
use super::child::{AgeBand, DifficultyClass};
use super::need::{NeedStatus, Urgency};

/// How many children on file share one (township, age band, class).
#[derive(Clone, Debug, Default)]
pub struct Population {
    counts: HashMap<(String, AgeBand, DifficultyClass), u32>,
}

impl Population {
    /// Counts one child on file.
    pub fn add(&mut self, township: &str, band: AgeBand, class: DifficultyClass) {
        *self
            .counts
            .entry((township.to_owned(), band, class))
            .or_default() += 1;
    }

    /// Adds the counts of `other` (read for other triples) to these.
    pub fn extend(&mut self, other: Population) {
        self.counts.extend(other.counts);
    }

    /// Records how many children share the three (as counted elsewhere).
    pub fn set(&mut self, township: &str, band: AgeBand, class: DifficultyClass, n: u32) {
        self.counts.insert((township.to_owned(), band, class), n);
    }

    pub fn count(&self, township: &str, band: AgeBand, class: DifficultyClass) -> u32 {
        self.counts
            .get(&(township.to_owned(), band, class))
            .copied()
            .unwrap_or(0)
    }

    /// The township to show for a child of `township`, `band` and `class`:
    /// the township when at least `k` children share the three, else `None`
    /// (the county).
    pub fn shown_township(
        &self,
        township: &str,
        band: AgeBand,
        class: DifficultyClass,
        k: u32,
    ) -> Option<String> {
        (self.count(township, band, class) >= k.max(1)).then(|| township.to_owned())
    }
}

/// What providers and approved families see of a need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicNeed {
    pub code: String,
    pub category: Category,
    pub title: String,
    pub description: String,
    pub quantity: Option<i32>,
    /// `None` means generalized to the county.
    pub township: Option<String>,
    pub age_band: AgeBand,
    pub difficulty_class: DifficultyClass,
    pub urgency: Urgency,
    pub status: NeedStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn township_shows_only_from_k_children() {
        let mut pop = Population::default();
        for _ in 0..4 {
            pop.add("500235001", AgeBand::Primary, DifficultyClass::Disability);
        }
        assert_eq!(
            pop.shown_township(
                "500235001",
                AgeBand::Primary,
                DifficultyClass::Disability,
                5
            ),
            None
        );
        // Children of another band, class or township do not make up the count.
        pop.add("500235001", AgeBand::Junior, DifficultyClass::Disability);
        pop.add("500235001", AgeBand::Primary, DifficultyClass::Poverty);
        pop.add("500235002", AgeBand::Primary, DifficultyClass::Disability);
        assert_eq!(
            pop.shown_township(
                "500235001",
                AgeBand::Primary,
                DifficultyClass::Disability,
                5
            ),
            None
        );
        pop.add("500235001", AgeBand::Primary, DifficultyClass::Disability);
        assert_eq!(
            pop.shown_township(
                "500235001",
                AgeBand::Primary,
                DifficultyClass::Disability,
                5
            ),
            Some("500235001".to_owned())
        );
        assert_eq!(
            pop.shown_township(
                "500235002",
                AgeBand::Primary,
                DifficultyClass::Disability,
                1
            ),
            Some("500235002".to_owned())
        );
    }
}
