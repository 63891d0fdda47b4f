//! A cheap language guess: counting the function words of English and French.
//!
//! Function words (articles, prepositions, auxiliaries) make up a third of running text in
//! both languages and hardly overlap, so their counts tell an English sentence left in a French
//! draft from French text quoting an English title or naming an English-only body.

use crate::document::Lang;

/// English function words that are not French words.
const EN: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "that", "for", "with", "by", "was", "were", "be",
    "which", "this", "are", "from", "its", "has", "have", "it", "at", "or", "not", "their", "been",
    "would", "should", "these", "those", "also", "such", "other", "into", "under", "will", "there",
    "they", "on", "had", "who", "whom", "an", "any", "all", "between", "within", "through",
    "among", "upon", "than", "shall", "may", "could", "can",
];

/// French function words that are not English words.
const FR: &[&str] = &[
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "et",
    "à",
    "un",
    "une",
    "est",
    "que",
    "qui",
    "dans",
    "pour",
    "par",
    "sur",
    "au",
    "aux",
    "avec",
    "ce",
    "cette",
    "ces",
    "ses",
    "son",
    "sa",
    "sont",
    "été",
    "ont",
    "ne",
    "pas",
    "leur",
    "leurs",
    "d",
    "l",
    "qu",
    "s",
    "n",
    "il",
    "elle",
    "ils",
    "elles",
    "entre",
    "afin",
    "ainsi",
    "dont",
    "lors",
    "sous",
    "selon",
    "être",
    "fait",
    "aussi",
    "mais",
    "ou",
    "où",
    "sa",
    "notamment",
];

/// Counts of English and French function words in a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub en: usize,
    pub fr: usize,
    pub words: usize,
}

impl Counts {
    pub fn of(text: &str) -> Counts {
        let mut c = Counts::default();
        for w in text.split(|ch: char| !(ch.is_alphabetic())) {
            if w.is_empty() {
                continue;
            }
            c.words += 1;
            let lower = w.to_lowercase();
            if EN.contains(&lower.as_str()) {
                c.en += 1;
            } else if FR.contains(&lower.as_str()) {
                c.fr += 1;
            }
        }
        c
    }
    /// Counts outside quotations (« … », “ … ”, "…"): a French sentence may quote an English
    /// title, and the other way round.
    pub fn unquoted(text: &str) -> Counts {
        let mut kept = String::with_capacity(text.len());
        let mut depth = 0usize;
        let mut straight = false;
        for c in text.chars() {
            match c {
                '«' | '“' => depth += 1,
                '»' | '”' => depth = depth.saturating_sub(1),
                '"' => straight = !straight,
                _ if depth == 0 && !straight => kept.push(c),
                _ => {}
            }
            if matches!(c, '«' | '»' | '“' | '”' | '"') {
                kept.push(' ');
            }
        }
        Counts::of(&kept)
    }
    fn of_lang(&self, lang: Lang) -> usize {
        match lang {
            Lang::En => self.en,
            Lang::Fr => self.fr,
        }
    }
    /// Whether the text is clearly in `lang` rather than `other`: enough function words of
    /// `lang`, and several times more of them than of `other`.
    pub fn clearly(&self, lang: Lang, other: Lang) -> bool {
        let (a, b) = (self.of_lang(lang), self.of_lang(other));
        self.words >= 6 && a >= 3 && a >= 4 * b.max(1) && a * 8 >= self.words
    }
}

/// The language a text is clearly written in, if any.
pub fn guess(text: &str) -> Option<Lang> {
    let c = Counts::of(text);
    if c.clearly(Lang::En, Lang::Fr) {
        Some(Lang::En)
    } else if c.clearly(Lang::Fr, Lang::En) {
        Some(Lang::Fr)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses() {
        let cases = [
            ("The Expert Group held its first meeting in Vienna from 17 to 21 January 2011.", Some(Lang::En)),
            ("Le Groupe d'experts a tenu sa première réunion à Vienne du 17 au 21 janvier 2011.", Some(Lang::Fr)),
            ("Voir Comprehensive Study on Cybercrime (publication des Nations Unies, 2013) et le rapport.", None),
            ("Introduction", None),
            ("E/CN.15/2019/12", None),
        ];
        for (text, want) in cases {
            assert_eq!(guess(text), want, "{text}");
        }
    }
}
