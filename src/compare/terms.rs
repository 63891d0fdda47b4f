//! The bilingual term list of `[translation]` (`[[translation.terms]]`) and its index.
//!
//! ```toml
//! [[translation.terms]]
//! en = "Member States"
//! fr = ["États Membres"]          # one form or several accepted forms
//! ```
//! Each entry works in both directions: when the original is English, an English form found in
//! a paragraph requires one of the French forms in the aligned paragraph of the draft, and the
//! other way round.

use crate::document::Lang;
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

/// One form or a list of forms.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Forms {
    One(String),
    Many(Vec<String>),
}

impl Forms {
    pub fn list(&self) -> Vec<&str> {
        match self {
            Forms::One(s) => vec![s.as_str()],
            Forms::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// A term and its required translation.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BilingualTerm {
    pub en: Forms,
    pub fr: Forms,
    /// Why, shown in the help of a finding.
    #[serde(default)]
    pub note: Option<String>,
}

impl BilingualTerm {
    pub fn forms(&self, lang: Lang) -> Vec<&str> {
        match lang {
            Lang::En => self.en.list(),
            Lang::Fr => self.fr.list(),
        }
    }
}

/// The `[translation]` section of the configuration.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationConfig {
    /// `[[translation.terms]]`: bilingual term pairs (translation/terminology).
    #[serde(default)]
    pub terms: Vec<BilingualTerm>,
}

impl TranslationConfig {
    /// Merges a later layer: its terms are added; a term whose English forms equal an earlier
    /// one replaces it (so a user can change the required French of a shipped term).
    pub fn merge(&mut self, later: TranslationConfig) {
        for t in later.terms {
            match self.terms.iter_mut().find(|e| e.en == t.en) {
                Some(e) => *e = t,
                None => self.terms.push(t),
            }
        }
    }
}

/// Text normalised for term matching: lower case, one kind of apostrophe, whitespace runs (line
/// breaks included) as one space; with the offset of every normalised byte in the source.
pub struct Normalized {
    pub text: String,
    offsets: Vec<usize>,
}

impl Normalized {
    pub fn new(src: &str) -> Normalized {
        let mut text = String::with_capacity(src.len());
        let mut offsets = Vec::with_capacity(src.len());
        let mut last_space = false;
        for (i, c) in src.char_indices() {
            let c = if c.is_whitespace() {
                if last_space {
                    continue;
                }
                ' '
            } else if matches!(c, '’' | 'ʼ' | '`') {
                '\''
            } else {
                c.to_lowercase().next().unwrap_or(c)
            };
            last_space = c == ' ';
            let before = text.len();
            text.push(c);
            offsets.extend(std::iter::repeat_n(i, text.len() - before));
        }
        offsets.push(src.len());
        Normalized { text, offsets }
    }
    /// The source span of a normalised span.
    pub fn source(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let s = self.offsets[start];
        let e = if end == 0 {
            s
        } else {
            // One past the source character of the last normalised byte.
            let last = self.offsets[end - 1];
            let next = self.offsets[end..]
                .iter()
                .copied()
                .find(|&o| o > last)
                .unwrap_or(last + 1);
            next
        };
        s..e
    }
}

/// The term list compiled for matching, once per run.
pub struct TermIndex {
    pub terms: Vec<BilingualTerm>,
    en: Option<(AhoCorasick, Vec<usize>)>,
    fr: Option<(AhoCorasick, Vec<usize>)>,
}

/// A term form found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermHit {
    pub term: usize,
    /// Span in the normalised text.
    pub start: usize,
    pub end: usize,
}

fn build(terms: &[BilingualTerm], lang: Lang) -> Option<(AhoCorasick, Vec<usize>)> {
    let mut pats = Vec::new();
    let mut owner = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        for f in t.forms(lang) {
            let n = Normalized::new(f.trim()).text;
            if !n.is_empty() {
                pats.push(n);
                owner.push(i);
            }
        }
    }
    if pats.is_empty() {
        return None;
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&pats)
        .ok()?;
    Some((ac, owner))
}

impl TermIndex {
    pub fn new(config: &TranslationConfig) -> TermIndex {
        TermIndex {
            en: build(&config.terms, Lang::En),
            fr: build(&config.terms, Lang::Fr),
            terms: config.terms.clone(),
        }
    }

    /// Every whole-word occurrence of a form of `lang` in a normalised text.
    pub fn find(&self, lang: Lang, text: &Normalized) -> Vec<TermHit> {
        let Some((ac, owner)) = (match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }) else {
            return Vec::new();
        };
        let t = &text.text;
        ac.find_iter(t)
            .filter(|m| {
                let before = t[..m.start()].chars().next_back();
                let after = t[m.end()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
            .map(|m| TermHit {
                term: owner[m.pattern().as_usize()],
                start: m.start(),
                end: m.end(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_terms_across_lines_and_apostrophes() {
        let cfg: TranslationConfig = toml::from_str(
            "[[terms]]\nen = \"Member States\"\nfr = [\"États Membres\"]\n[[terms]]\nen = \"Office on Drugs and Crime\"\nfr = \"Office des Nations Unies contre la drogue et le crime\"\n",
        )
        .unwrap();
        let idx = TermIndex::new(&cfg);
        let src = "Les États\nMembres et l’Office des Nations Unies contre la drogue et le crime";
        let n = Normalized::new(src);
        let hits = idx.find(Lang::Fr, &n);
        assert_eq!(hits.len(), 2);
        assert_eq!(&src[n.source(hits[0].start, hits[0].end)], "États\nMembres");
        let n = Normalized::new("the Member Statesmen");
        assert!(idx.find(Lang::En, &n).is_empty());
    }
}
