//! Turns a user's [`Query`] into a tantivy query, without
//! tantivy's query parser: the text is only ever cut into words.
//!
//! * Text is cut with the query side of [`crate::tokenizer`]; punctuation,
//!   symbols, emoji, control characters and query syntax (`AND`, `:`, quotes,
//!   brackets) are plain separators or plain words. Only the first
//!   [`MAX_QUERY_CHARS`] characters are read and only the first
//!   [`MAX_QUERY_WORDS`] distinct words are used; the rest is ignored.
//! * Every word must match (AND). A word matches when it, or one of its
//!   synonyms, occurs in the title (boosted), the body or the provider name
//!   (indexed with the body).
//!   Since documents index every dictionary word they contain, a word
//!   matches wherever it occurs as a substring: "康复" finds "康复训练",
//!   and one-character words such as "书" find "图书".
//! * Words typed without a separator between them (one run, e.g. "儿童康复"
//!   cut into 儿童 + 康复) must all occur, but need not be adjacent; when
//!   they are adjacent, as typed, a phrase bonus ranks the document higher.
//!   A query that jieba keeps as one word ("康复训练") only matches that
//!   exact string, never its parts far apart.

use std::collections::BTreeSet;

use jieba_rs::Jieba;
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query as TantivyQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::model::Query;
use crate::schema::Fields;
use crate::synonyms::Synonyms;
use crate::tokenizer::{QueryWord, query_runs};

/// At most this many distinct words of a query are used.
pub const MAX_QUERY_WORDS: usize = 16;
/// Only this many characters of the query text are read.
pub const MAX_QUERY_CHARS: usize = 256;

const TITLE_BOOST: f32 = 2.0;
const PHRASE_BOOST: f32 = 1.0;

/// What to run for a request.
pub(crate) struct Plan {
    /// The query for the text; the filters are applied while collecting.
    pub query: Box<dyn TantivyQuery>,
    /// True when the text had words: rank by score, else browse.
    pub scored: bool,
    /// Lowercased words (with synonyms) to highlight in snippets.
    pub highlight: BTreeSet<String>,
}

fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => text.get(..end).unwrap_or(text),
        None => text,
    }
}

fn term_query(field: Field, word: &str) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, word),
        IndexRecordOption::WithFreqs,
    ))
}

/// Keeps the first [`MAX_QUERY_WORDS`] distinct words; a run loses the
/// words past the cap.
fn capped_runs(runs: Vec<Vec<QueryWord>>) -> (Vec<String>, Vec<Vec<QueryWord>>) {
    let mut words: Vec<String> = Vec::new();
    let mut kept_runs = Vec::new();
    'runs: for run in runs {
        let mut kept = Vec::new();
        for word in run {
            if !words.contains(&word.text) {
                if words.len() == MAX_QUERY_WORDS {
                    kept_runs.push(kept);
                    break 'runs;
                }
                words.push(word.text.clone());
            }
            kept.push(word);
        }
        kept_runs.push(kept);
    }
    (words, kept_runs)
}

pub(crate) fn plan(fields: &Fields, jieba: &Jieba, synonyms: &Synonyms, q: &Query) -> Plan {
    let runs = query_runs(jieba, truncate_chars(&q.text, MAX_QUERY_CHARS));
    let (words, runs) = capped_runs(runs);
    let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
    let mut highlight = BTreeSet::new();
    for word in &words {
        let mut alternatives: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        for alt in std::iter::once(word.as_str()).chain(synonyms.of(word)) {
            highlight.insert(alt.to_string());
            alternatives.push((
                Occur::Should,
                Box::new(BoostQuery::new(term_query(fields.title, alt), TITLE_BOOST)),
            ));
            alternatives.push((Occur::Should, term_query(fields.body, alt)));
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
    }
    for run in runs.iter().filter(|run| run.len() > 1) {
        let first = run.first().map_or(0, |w| w.position);
        for (field, boost) in [
            (fields.title, TITLE_BOOST * PHRASE_BOOST),
            (fields.body, PHRASE_BOOST),
        ] {
            let terms = run
                .iter()
                .map(|w| (w.position - first, Term::from_field_text(field, &w.text)))
                .collect();
            let phrase = Box::new(PhraseQuery::new_with_offset(terms));
            clauses.push((Occur::Should, Box::new(BoostQuery::new(phrase, boost))));
        }
    }
    let scored = !words.is_empty();
    let query: Box<dyn TantivyQuery> = if clauses.is_empty() {
        Box::new(AllQuery)
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Plan {
        query,
        scored,
        highlight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, position: usize) -> QueryWord {
        QueryWord {
            text: text.to_string(),
            position,
        }
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        assert_eq!(truncate_chars("儿童康复", 2), "儿童");
        assert_eq!(truncate_chars("儿童", 5), "儿童");
        assert_eq!(truncate_chars("", 5), "");
    }

    #[test]
    fn words_are_deduplicated_and_capped() {
        let many: Vec<Vec<QueryWord>> = (0..40)
            .map(|i| vec![word(&format!("w{}", i % 20), i), word("x", i)])
            .collect();
        let (words, runs) = capped_runs(many);
        assert_eq!(words.len(), MAX_QUERY_WORDS);
        let kept: usize = runs.iter().map(Vec::len).sum();
        assert!(kept <= 2 * MAX_QUERY_WORDS);
        assert!(runs.iter().flatten().all(|w| words.contains(&w.text)));
    }
}
