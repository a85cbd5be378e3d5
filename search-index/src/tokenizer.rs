//! Chinese-aware tokenization, shared by indexing, queries and snippets.
//!
//! Text is split into runs: Han characters, other ideographs, and words of
//! other letters and digits; everything else (punctuation, spaces, symbols,
//! emoji, control characters) separates runs and is never a token. Latin
//! and other words are lowercased.
//!
//! * **Index side** ([`CareTokenizer`]): every Han character becomes a
//!   one-character token, and every dictionary word found anywhere in a Han
//!   run (jieba's `cut_all`) becomes a token too. A token's position is the
//!   character offset where it starts, so a word and its characters line up
//!   and phrase queries can use character distances.
//! * **Query side**: a Han run is cut into its most likely
//!   words (jieba's `cut` without HMM, so that every word of two or more
//!   characters is a dictionary word and therefore indexed wherever it occurs
//!   in a document). Because of this, a query word matches a document when
//!   the document contains it as a substring, whatever jieba did with the
//!   surrounding text; one-character words match through the per-character
//!   tokens.
//!
//! The `Jieba` instance, with the domain words added, is built once per
//! process and shared through an `Arc`, because tantivy clones tokenizers.

use std::sync::{Arc, OnceLock};

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::synonyms::Synonyms;

/// The name under which [`CareTokenizer`] is registered with tantivy.
pub const TOKENIZER_NAME: &str = "carebridge_zh";

/// Words longer than this many characters (outside Han text) are not indexed.
const MAX_WORD_CHARS: usize = 40;

/// Domain words that must be single dictionary words, besides the synonyms.
const DOMAIN_WORDS: &[&str] = &[
    "四点半课堂",
    "课业辅导",
    "孤独症",
    "自闭症",
    "康复训练",
    "心理疏导",
    "心理辅导",
    "结对陪伴",
    "家庭寄养",
    "委托代养",
    "爱心助养",
    "生活照料",
    "医疗救助",
    "法律援助",
    "权益维护",
    "资金捐赠",
    "物资捐赠",
    "家庭教育指导",
    "困境儿童",
    "留守儿童",
    "童心桥",
    "督导员",
];

/// The process-wide jieba with the domain and synonym words added.
pub(crate) fn shared_jieba() -> Arc<Jieba> {
    static JIEBA: OnceLock<Arc<Jieba>> = OnceLock::new();
    JIEBA
        .get_or_init(|| {
            let mut jieba = Jieba::new();
            for word in DOMAIN_WORDS
                .iter()
                .copied()
                .chain(Synonyms::embedded().words())
            {
                if word.chars().count() > 1 && word.chars().all(is_han) {
                    jieba.add_word(word, None, None);
                }
            }
            Arc::new(jieba)
        })
        .clone()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// Characters jieba segments (CJK unified ideographs, basic block).
    Han,
    /// Other ideographs: each one is its own token.
    Ideograph,
    /// Letters and digits of other scripts: runs form words.
    Word,
    /// Everything else separates tokens.
    Separator,
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FD5)
}

fn class(c: char) -> Class {
    match c as u32 {
        0x4E00..=0x9FD5 => Class::Han,
        0x3400..=0x4DBF | 0x9FD6..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF => Class::Ideograph,
        _ if c.is_alphanumeric() => Class::Word,
        _ => Class::Separator,
    }
}

/// A maximal run of characters of one class (never `Separator`).
#[derive(Debug)]
struct Run<'a> {
    class: Class,
    text: &'a str,
    byte_start: usize,
    char_start: usize,
}

fn runs(text: &str) -> Vec<Run<'_>> {
    fn close<'t>(
        text: &'t str,
        open: Option<(Class, usize, usize)>,
        end: usize,
        out: &mut Vec<Run<'t>>,
    ) {
        if let Some((class, byte_start, char_start)) = open
            && let Some(slice) = text.get(byte_start..end)
        {
            out.push(Run {
                class,
                text: slice,
                byte_start,
                char_start,
            });
        }
    }
    let mut out = Vec::new();
    let mut current: Option<(Class, usize, usize)> = None;
    for (char_index, (byte, c)) in text.char_indices().enumerate() {
        let class = class(c);
        if !matches!(current, Some((k, _, _)) if k == class) {
            close(text, current.take(), byte, &mut out);
            if class != Class::Separator {
                current = Some((class, byte, char_index));
            }
        }
    }
    close(text, current, text.len(), &mut out);
    out
}

fn token(text: String, byte_start: usize, byte_end: usize, position: usize, len: usize) -> Token {
    Token {
        offset_from: byte_start,
        offset_to: byte_end,
        position,
        text,
        position_length: len,
    }
}

/// Appends the index-side tokens of `text` to `out`, ordered by position.
pub(crate) fn index_tokens(jieba: &Jieba, text: &str, out: &mut Vec<Token>) {
    for run in runs(text) {
        match run.class {
            Class::Han => {
                let first = out.len();
                for (i, (byte, c)) in run.text.char_indices().enumerate() {
                    let start = run.byte_start + byte;
                    out.push(token(
                        c.to_string(),
                        start,
                        start + c.len_utf8(),
                        run.char_start + i,
                        1,
                    ));
                }
                for word in jieba.cut_all(run.text) {
                    let len = word.end - word.start;
                    if len > 1 {
                        out.push(token(
                            word.word.to_string(),
                            run.byte_start + word.byte_start,
                            run.byte_start + word.byte_end,
                            run.char_start + word.start,
                            len,
                        ));
                    }
                }
                if let Some(added) = out.get_mut(first..) {
                    added.sort_by_key(|t| (t.position, t.position_length));
                }
            }
            Class::Ideograph => {
                for (i, (byte, c)) in run.text.char_indices().enumerate() {
                    let start = run.byte_start + byte;
                    out.push(token(
                        c.to_string(),
                        start,
                        start + c.len_utf8(),
                        run.char_start + i,
                        1,
                    ));
                }
            }
            Class::Word => {
                let len = run.text.chars().count();
                if len <= MAX_WORD_CHARS {
                    let end = run.byte_start + run.text.len();
                    out.push(token(
                        run.text.to_lowercase(),
                        run.byte_start,
                        end,
                        run.char_start,
                        len,
                    ));
                }
            }
            Class::Separator => {}
        }
    }
}

/// One word of a query, with the character offset where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryWord {
    pub text: String,
    pub position: usize,
}

/// Cuts query text into runs of words; the words of one run were adjacent
/// in the query (no separator between them).
pub(crate) fn query_runs(jieba: &Jieba, text: &str) -> Vec<Vec<QueryWord>> {
    let mut out = Vec::new();
    for run in runs(text) {
        let words: Vec<QueryWord> = match run.class {
            Class::Han => jieba
                .cut(run.text, false)
                .into_iter()
                .filter(|w| w.word.chars().all(is_han))
                .map(|w| QueryWord {
                    text: w.word.to_string(),
                    position: run.char_start + w.start,
                })
                .collect(),
            Class::Ideograph => run
                .text
                .chars()
                .enumerate()
                .map(|(i, c)| QueryWord {
                    text: c.to_string(),
                    position: run.char_start + i,
                })
                .collect(),
            Class::Word if run.text.chars().count() <= MAX_WORD_CHARS => {
                vec![QueryWord {
                    text: run.text.to_lowercase(),
                    position: run.char_start,
                }]
            }
            Class::Word | Class::Separator => Vec::new(),
        };
        if !words.is_empty() {
            out.push(words);
        }
    }
    out
}

/// The tantivy tokenizer for the searchable text fields (see the module doc).
#[derive(Clone)]
pub struct CareTokenizer {
    jieba: Arc<Jieba>,
    tokens: Vec<Token>,
}

impl CareTokenizer {
    /// A tokenizer sharing the process-wide dictionary.
    pub fn new() -> CareTokenizer {
        CareTokenizer {
            jieba: shared_jieba(),
            tokens: Vec::new(),
        }
    }
}

impl Default for CareTokenizer {
    fn default() -> Self {
        CareTokenizer::new()
    }
}

impl Tokenizer for CareTokenizer {
    type TokenStream<'a> = CareTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CareTokenStream<'a> {
        self.tokens.clear();
        index_tokens(&self.jieba, text, &mut self.tokens);
        CareTokenStream {
            tokens: &mut self.tokens,
            next: 0,
            empty: Token::default(),
        }
    }
}

/// The token stream of [`CareTokenizer`]: the tokens, computed up front.
pub struct CareTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
    empty: Token,
}

impl TokenStream for CareTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        self.next
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .unwrap_or(&self.empty)
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.empty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_words(text: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        index_tokens(&shared_jieba(), text, &mut out);
        out.into_iter().map(|t| (t.text, t.position)).collect()
    }

    fn query_words(text: &str) -> Vec<Vec<String>> {
        query_runs(&shared_jieba(), text)
            .into_iter()
            .map(|run| run.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn domain_and_synonym_words_are_one_query_word() {
        for word in DOMAIN_WORDS
            .iter()
            .copied()
            .chain(Synonyms::embedded().words())
        {
            assert_eq!(query_words(word), vec![vec![word.to_string()]], "{word}");
        }
    }

    #[test]
    fn query_words_are_indexed_inside_longer_text() {
        let doc = index_words("为孤独症儿童提供四点半课堂课业辅导和康复训练营");
        for word in [
            "孤独症",
            "四点半课堂",
            "课业辅导",
            "辅导",
            "康复训练",
            "康复",
            "书",
        ] {
            for run in query_words(word) {
                for w in run {
                    let found = doc.iter().any(|(t, _)| *t == w);
                    assert_eq!(found, w != "书", "{w}");
                }
            }
        }
    }

    #[test]
    fn every_han_character_is_a_token_at_its_offset() {
        let doc = index_words("图书捐赠");
        assert!(doc.contains(&("书".to_string(), 1)));
        assert!(doc.contains(&("图书".to_string(), 0)));
        assert!(doc.contains(&("捐赠".to_string(), 2)));
        let positions: Vec<usize> = doc.iter().map(|(_, p)| *p).collect();
        assert!(positions.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn punctuation_dropped_and_latin_lowercased() {
        assert_eq!(
            query_words("Title:FOO AND ( 😀\u{0}儿童，康复!"),
            vec![
                vec!["title"],
                vec!["foo"],
                vec!["and"],
                vec!["儿童"],
                vec!["康复"]
            ]
        );
        let doc = index_words("ABC-12 。");
        assert_eq!(doc, vec![("abc".to_string(), 0), ("12".to_string(), 4)]);
    }

    #[test]
    fn token_stream_yields_tokens() {
        let mut tokenizer = CareTokenizer::new();
        let mut stream = tokenizer.token_stream("康复训练");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push(stream.token().text.clone());
        }
        assert!(seen.contains(&"康复训练".to_string()));
        assert!(seen.contains(&"康".to_string()));
    }
}
