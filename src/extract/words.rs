//! Word tokens and the document's own vocabulary, for the typography rules.
//!
//! One pass over [`Document::prose`](crate::document::Document::prose): every maximal run of
//! letters (plus the OCR confusables `¢` and digits glued to letters, so that « pri¢ » and
//! « 1égislation » stay one token) becomes a [`Token`]; words made only of letters are counted
//! (lower-cased) into the vocabulary. Page furniture is already blanked out of `prose`.

use crate::document::{Document, Span};
use std::collections::HashMap;

/// One token of the prose.
#[derive(Debug, Clone)]
pub struct Token {
    pub span: Span,
    /// Only letters (no `¢`, no digit): a candidate vocabulary word.
    pub clean: bool,
}

/// Every token of a document and how often each clean word occurs.
#[derive(Debug, Default)]
pub struct Words {
    pub tokens: Vec<Token>,
    /// Lower-cased clean words → number of occurrences.
    pub counts: HashMap<String, u32>,
}

impl Words {
    /// How often the document uses `word` (compared lower-cased).
    pub fn count(&self, word: &str) -> u32 {
        self.counts.get(&word.to_lowercase()).copied().unwrap_or(0)
    }
    /// Index of the token containing or starting after `offset`.
    pub fn index_at(&self, offset: usize) -> usize {
        self.tokens.partition_point(|t| t.span.end <= offset)
    }
}

/// Characters that belong to a token.
pub fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c == '¢' || c.is_ascii_digit()
}

fn extract(doc: &Document) -> Words {
    let mut words = Words::default();
    let prose = &doc.prose;
    let mut start: Option<usize> = None;
    let mut letters = false;
    let mut clean = true;
    let close = |s: usize, e: usize, letters: bool, clean: bool, words: &mut Words| {
        if letters {
            words.tokens.push(Token { span: s..e, clean });
            if clean {
                *words.counts.entry(prose[s..e].to_lowercase()).or_default() += 1;
            }
        }
    };
    for (i, c) in prose.char_indices() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
                letters = false;
                clean = true;
            }
            if c.is_alphabetic() {
                letters = true;
            } else {
                clean = false;
            }
        } else if let Some(s) = start.take() {
            close(s, i, letters, clean, &mut words);
        }
    }
    if let Some(s) = start {
        close(s, prose.len(), letters, clean, &mut words);
    }
    words
}

impl Document {
    /// The word tokens and vocabulary of the document (computed once).
    pub fn words(&self) -> &Words {
        self.cache.words.get_or_init(|| extract(self))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_keep_ocr_damage_together() {
        let doc = crate::document::parse(
            "1. Le pri¢ de 1égislation, les États-Unis et les États.\n".into(),
        );
        let w = doc.words();
        let toks: Vec<&str> = w.tokens.iter().map(|t| &doc.text[t.span.clone()]).collect();
        assert!(toks.contains(&"pri¢"));
        assert!(toks.contains(&"1égislation"));
        assert_eq!(w.count("états"), 2);
        assert_eq!(w.count("pri¢"), 0);
    }
}
