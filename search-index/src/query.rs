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
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TantivyQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::model::{DocKind, Query, Ranking};
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

/// `query` restricted to documents of `kind`, with the same scores.
pub(crate) fn with_kind(
    fields: &Fields,
    query: Box<dyn TantivyQuery>,
    kind: DocKind,
) -> Box<dyn TantivyQuery> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        filter(exact(fields.kind, kind.as_str())),
    ]))
}

/// `query` restricted to the kind, category and township of `q`.
pub(crate) fn with_filters(
    fields: &Fields,
    query: Box<dyn TantivyQuery>,
    q: &Query,
) -> Box<dyn TantivyQuery> {
    let mut clauses = vec![(Occur::Must, query)];
    if let Some(kind) = q.kind {
        clauses.push(filter(exact(fields.kind, kind.as_str())));
    }
    if let Some(category) = &q.category {
        clauses.push(filter(exact(fields.category, category)));
    }
    if let Some(township) = &q.township {
        clauses.push(filter(exact(fields.townships, township)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The distinct words of a ranking text, at most [`MAX_QUERY_WORDS`]. When
/// the text has words of two or more characters, one-character words are
/// left out: in a sentence they are mostly particles (的, 和, 后) that
/// would spend the word budget and match nearly everything.
fn ranking_words(jieba: &Jieba, text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in query_runs(jieba, truncate_chars(text, MAX_QUERY_CHARS))
        .into_iter()
        .flatten()
    {
        if !words.contains(&word.text) {
            words.push(word.text);
        }
    }
    if words.iter().any(|w| w.chars().count() > 1) {
        words.retain(|w| w.chars().count() > 1);
    }
    words.truncate(MAX_QUERY_WORDS);
    words
}

/// A filter clause: it must match but adds nothing to the score.
fn filter(query: Box<dyn TantivyQuery>) -> (Occur, Box<dyn TantivyQuery>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

fn exact(field: Field, value: &str) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The query of a [`Ranking`]: the filters must match (scoring nothing);
/// each word, or a synonym, in the title (boosted) or the body adds to the
/// score, and none is required.
pub(crate) fn plan_ranking(
    fields: &Fields,
    jieba: &Jieba,
    synonyms: &Synonyms,
    r: &Ranking,
) -> Box<dyn TantivyQuery> {
    let mut clauses = vec![filter(exact(fields.kind, r.kind.as_str()))];
    if let Some(category) = &r.category {
        clauses.push(filter(exact(fields.category, category)));
    }
    if !r.townships.is_empty() {
        let any: Vec<(Occur, Box<dyn TantivyQuery>)> = r
            .townships
            .iter()
            .map(|t| (Occur::Should, exact(fields.townships, t)))
            .collect();
        clauses.push(filter(Box::new(BooleanQuery::new(any))));
    }
    let mut alternatives = BTreeSet::new();
    for word in ranking_words(jieba, &r.text) {
        alternatives.insert(word.clone());
        alternatives.extend(synonyms.of(&word).map(str::to_owned));
    }
    let mut text: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
    for alt in &alternatives {
        text.push((
            Occur::Should,
            Box::new(BoostQuery::new(term_query(fields.title, alt), TITLE_BOOST)),
        ));
        text.push((Occur::Should, term_query(fields.body, alt)));
    }
    if !text.is_empty() {
        clauses.push((Occur::Should, Box::new(BooleanQuery::new(text))));
    }
    Box::new(BooleanQuery::new(clauses))
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
    fn ranking_words_skip_particles_unless_nothing_else_is_left() {
        let jieba = crate::tokenizer::shared_jieba();
        let words = ranking_words(&jieba, "希望每周两次放学后辅导数学作业，每次约1小时。");
        assert!(words.contains(&"辅导".to_string()), "{words:?}");
        assert!(words.iter().all(|w| w.chars().count() > 1), "{words:?}");
        assert_eq!(ranking_words(&jieba, "书"), vec!["书".to_string()]);
        let long = "康复训练心理疏导课业辅导法律援助".repeat(20);
        assert!(ranking_words(&jieba, &long).len() <= MAX_QUERY_WORDS);
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
