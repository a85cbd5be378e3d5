//! Plain-text snippets: a passage of the body around the matched words, with
//! byte ranges to highlight (no markup).

use std::collections::BTreeSet;
use std::ops::Range;

use jieba_rs::Jieba;

use crate::model::Snippet;
use crate::tokenizer::index_tokens;

/// A snippet holds at most this many characters of the body (plus `…`).
pub const SNIPPET_CHARS: usize = 100;
/// Characters shown before the first highlighted word, when there is room.
const LEAD_CONTEXT: usize = 15;
/// Only the beginning of a long body is searched for highlights.
const SCAN_CHARS: usize = 2000;
const ELLIPSIS: &str = "…";

fn merged_ranges(jieba: &Jieba, text: &str, words: &BTreeSet<String>) -> Vec<Range<usize>> {
    let mut tokens = Vec::new();
    index_tokens(jieba, text, &mut tokens);
    let mut ranges: Vec<Range<usize>> = tokens
        .into_iter()
        .filter(|t| words.contains(&t.text))
        .map(|t| t.offset_from..t.offset_to)
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Cuts a passage of `text` showing as many of `words` as fits.
pub(crate) fn snippet(jieba: &Jieba, text: &str, words: &BTreeSet<String>) -> Snippet {
    // Byte offset of every character, plus the end.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let chars = bounds.len() - 1;
    let scan_end = bounds
        .get(SCAN_CHARS.min(chars))
        .copied()
        .unwrap_or(text.len());
    let ranges = if words.is_empty() {
        Vec::new()
    } else {
        merged_ranges(jieba, text.get(..scan_end).unwrap_or_default(), words)
    };
    let char_of = |byte: usize| bounds.partition_point(|&b| b < byte);
    let mut start = 0;
    if chars > SNIPPET_CHARS {
        let last_start = chars - SNIPPET_CHARS;
        let mut best = 0;
        for range in &ranges {
            let candidate = char_of(range.start)
                .saturating_sub(LEAD_CONTEXT)
                .min(last_start);
            let (from, to) = (bounds[candidate], bounds[candidate + SNIPPET_CHARS]);
            let count = ranges
                .iter()
                .filter(|r| r.start >= from && r.end <= to)
                .count();
            if count > best {
                best = count;
                start = candidate;
            }
        }
    }
    let end = (start + SNIPPET_CHARS).min(chars);
    let (from, to) = (bounds[start], bounds[end]);
    let mut out = String::new();
    if start > 0 {
        out.push_str(ELLIPSIS);
    }
    let shift = out.len();
    out.push_str(text.get(from..to).unwrap_or_default());
    let highlights = ranges
        .iter()
        .filter(|r| r.start < to && r.end > from)
        .map(|r| (r.start.max(from) - from + shift)..(r.end.min(to) - from + shift))
        .collect();
    if end < chars {
        out.push_str(ELLIPSIS);
    }
    Snippet {
        text: out,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::shared_jieba;

    fn words(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    fn marked(s: &Snippet) -> Vec<&str> {
        s.highlights
            .iter()
            .map(|r| s.text.get(r.clone()).expect("char boundary"))
            .collect()
    }

    #[test]
    fn short_text_is_whole_with_merged_highlights() {
        let s = snippet(
            &shared_jieba(),
            "孤独症儿童康复训练",
            &words(&["康复", "康复训练", "孤独症"]),
        );
        assert_eq!(s.text, "孤独症儿童康复训练");
        assert_eq!(marked(&s), vec!["孤独症", "康复训练"]);
    }

    #[test]
    fn long_text_is_cut_around_the_match() {
        let body = format!("{}图书捐赠{}", "甲".repeat(300), "乙".repeat(300));
        let s = snippet(&shared_jieba(), &body, &words(&["书"]));
        assert!(s.text.starts_with(ELLIPSIS) && s.text.ends_with(ELLIPSIS));
        assert_eq!(marked(&s), vec!["书"]);
        assert_eq!(s.text.chars().count(), SNIPPET_CHARS + 2);
    }

    #[test]
    fn no_words_gives_the_beginning() {
        let body = "乙".repeat(300);
        let s = snippet(&shared_jieba(), &body, &BTreeSet::new());
        assert!(s.highlights.is_empty());
        assert!(s.text.starts_with('乙') && s.text.ends_with(ELLIPSIS));
        let s = snippet(&shared_jieba(), "", &words(&["书"]));
        assert_eq!(s, Snippet::default());
    }
}
