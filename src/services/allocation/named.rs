//! The needs and offers a kept plan's pairs name, packed into a few
//! buffers.
//!
//! A plan at province scale names some ninety thousand needs and as many
//! offers, and is kept for as long as the data does not change. Kept as
//! one `String` per id, those would be two hundred thousand small blocks
//! scattered among the million the job allocates and frees while reading,
//! each one holding a memory page the allocator could otherwise return.
//! Packed, what is kept is a handful of allocations of about 4 MB at
//! 100k needs and offers (README, "Runs of 2026-12-02": 7 MB less resident
//! after the job than with one `String` per id).

use crate::domain::need::Urgency;

/// Strings kept end to end in one buffer.
#[derive(Debug, Default)]
pub struct Packed {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<usize>,
}

impl Packed {
    /// Adds `s`; its position is the number of strings added before it.
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    /// The string at `i` (empty past the end).
    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = i.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.text[start..end]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// The needs a plan's pairs name: id, township and urgency of each.
#[derive(Debug, Default)]
pub struct Needs {
    ids: Packed,
    /// Each need's township, as a position in `townships`.
    township: Vec<u32>,
    urgency: Vec<Urgency>,
    /// The townships named (a county has a few dozen).
    townships: Vec<String>,
}

/// One need as kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Need<'a> {
    pub id: &'a str,
    pub township: &'a str,
    pub urgency: Urgency,
}

impl Needs {
    /// Adds a need; its position is the number of needs added before it.
    pub fn push(&mut self, id: &str, township: &str, urgency: Urgency) {
        let at = match self.townships.iter().position(|t| t == township) {
            Some(at) => at,
            None => {
                self.townships.push(township.to_owned());
                self.townships.len() - 1
            }
        };
        self.ids.push(id);
        self.township.push(u32::try_from(at).unwrap_or(u32::MAX));
        self.urgency.push(urgency);
    }

    /// The need at `i` (`None` past the end).
    pub fn get(&self, i: usize) -> Option<Need<'_>> {
        let township = *self.township.get(i)?;
        Some(Need {
            id: self.ids.get(i),
            township: self
                .townships
                .get(township as usize)
                .map_or("", String::as_str),
            urgency: *self.urgency.get(i)?,
        })
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Gives back what pushing reserved beyond the last need.
    pub fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.township.shrink_to_fit();
        self.urgency.shrink_to_fit();
    }
}

/// The offers a plan's pairs name: their ids.
#[derive(Debug, Default)]
pub struct Offers {
    ids: Packed,
}

impl Offers {
    /// Adds an offer; its position is the number added before it.
    pub fn push(&mut self, id: &str) {
        self.ids.push(id);
    }

    /// The id of the offer at `i` (empty past the end).
    pub fn id(&self, i: usize) -> &str {
        self.ids.get(i)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Gives back what pushing reserved beyond the last offer.
    pub fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn needs_keep_their_ids_townships_and_urgencies_in_order() {
        let mut needs = Needs::default();
        needs.push("n-1", "500235101", Urgency::Critical);
        needs.push("", "500235102", Urgency::Normal);
        needs.push("n-3", "500235101", Urgency::Urgent);
        assert_eq!(needs.len(), 3);
        assert_eq!(needs.townships.len(), 2);
        assert_eq!(
            needs.get(2),
            Some(Need {
                id: "n-3",
                township: "500235101",
                urgency: Urgency::Urgent
            })
        );
        assert_eq!(needs.get(1).map(|n| n.id), Some(""));
        assert_eq!(needs.get(3), None);
    }

    proptest! {
        #[test]
        fn packed_strings_come_back_as_pushed(strings in proptest::collection::vec(".{0,12}", 0..40)) {
            let mut packed = Packed::default();
            for s in &strings {
                packed.push(s);
            }
            packed.shrink_to_fit();
            prop_assert_eq!(packed.len(), strings.len());
            for (i, s) in strings.iter().enumerate() {
                prop_assert_eq!(packed.get(i), s.as_str());
            }
            prop_assert_eq!(packed.get(strings.len()), "");
        }
    }
}
