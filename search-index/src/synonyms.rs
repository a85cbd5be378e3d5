//! The domain synonym list, read from `synonyms.txt` and applied at query time.
//!
//! The file holds one group per line, words separated by white space, and `#`
//! comments. A query word that belongs to a group matches any word of that
//! group (and of every other group it belongs to). Words are lowercased.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The synonym file shipped with the crate.
pub const SYNONYMS_TXT: &str = include_str!("../synonyms.txt");

/// Groups of words that a query treats as equivalent.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    by_word: BTreeMap<String, BTreeSet<String>>,
}

impl Synonyms {
    /// Parses the synonym file format; lines without at least two words are
    /// ignored, so parsing cannot fail.
    pub fn parse(text: &str) -> Synonyms {
        let mut by_word: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default();
            let group: BTreeSet<String> = line.split_whitespace().map(str::to_lowercase).collect();
            if group.len() < 2 {
                continue;
            }
            for word in &group {
                by_word
                    .entry(word.clone())
                    .or_default()
                    .extend(group.iter().filter(|other| *other != word).cloned());
            }
        }
        Synonyms { by_word }
    }

    /// The synonyms embedded from `synonyms.txt`, parsed once.
    pub fn embedded() -> &'static Synonyms {
        static PARSED: OnceLock<Synonyms> = OnceLock::new();
        PARSED.get_or_init(|| Synonyms::parse(SYNONYMS_TXT))
    }

    /// The other words that `word` matches (not `word` itself), in a stable order.
    pub fn of<'a>(&'a self, word: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.by_word
            .get(word)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// Every word that appears in some group.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.by_word.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_symmetric_and_comments_ignored() {
        let s = Synonyms::parse("# c\n甲 乙 丙 # tail\n\n丁\n乙 戊\n");
        let of = |w: &str| s.of(w).collect::<Vec<_>>();
        assert_eq!(of("甲"), vec!["丙", "乙"]);
        assert_eq!(of("乙"), vec!["丙", "戊", "甲"]);
        assert_eq!(of("戊"), vec!["乙"]);
        assert!(of("丁").is_empty());
        assert!(of("c").is_empty());
    }

    #[test]
    fn embedded_list_has_the_domain_groups() {
        let s = Synonyms::embedded();
        assert!(s.of("自闭症").any(|w| w == "孤独症"));
        assert!(s.of("补习").any(|w| w == "辅导"));
        assert!(s.of("托养").any(|w| w == "寄养"));
    }
}
