use super::{ocr, shared_code_or_url_marks, LineCursor, Markers, TypographyConfig};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Document, Lang};
use crate::extract::words::{Vocabulary, Words, HASH_BASE};
use crate::rules::{Context, Rule};
use std::collections::BTreeMap;
use std::sync::Arc;

declare_rule! {
    /// ## What it checks
    /// A French word written without its accents: « penale » for « pénale », « reunion » for
    /// « réunion », « developpement » for « développement ». The evidence is the document's
    /// own accented spelling of the word (so the rule follows the house spelling: « événement »
    /// or « évènement », whichever the text writes most), or else the word list
    /// `accented_words` of institutional French (« pénale » even in a report that never writes
    /// it).
    ///
    /// A missing accent inside the word is always reported (« declare » lacks an « é »
    /// whether « déclare » or « déclaré » was meant). One missing only on the last letter, or
    /// on the « é » of a final « -és », is reported only when the word ends like a noun that
    /// no verb shares (`final_accent_endings`: « criminalite », « capacites », « comite »):
    /// elsewhere the plain word is usually a word too (« adopte » and « adopté », « publies »
    /// and « publiés », « la traite » and « le traité », « ou » and « où »).
    ///
    /// Not reported:
    /// - the plain words of `unaccented_words` (« sur »/« sûr », « cote »/« côte »,
    ///   « tache »/« tâche », « mais »/« maïs »…), words under four letters (but those of
    ///   `accented_words`: « ete » for « été »), and words that start with a capital (names, titles and sentence starts: « Etats » is
    ///   `typography/ocr`'s);
    /// - English passages (a quoted title: "prevention", "regional"), code spans, URLs and
    ///   page furniture, and documents that are not in French;
    /// - a word that `typography/ocr` repairs (« matiere », « systemes »: it reports them), and
    ///   a pair whose accented spelling is itself OCR damage (« matiére »).
    ///
    /// The fix writes the accented spelling; it is shown but not applied by `--fix`, since
    /// only a reader can tell a missing accent from a word that is right without one.
    ///
    /// ## Why it matters
    /// A missing accent is a spelling mistake in French, and one that spell checkers set to
    /// ignore accents, and searches that fold them, let through. It creeps in from keyboards
    /// without French accents, plain-text exports and pasted e-mail, and it breaks
    /// translation memories, which see « reunion » and « réunion » as two words.
    ///
    /// ## Example
    /// ```text
    /// 4. La justice pénale … dans le domaine de la procédure penale.
    ///                                                       ^^^^^^ `penale` lacks its accents
    /// ```
    ///
    /// ## Configuration
    /// No rule options. Three lists of the `[typography]` section (shipped in
    /// `rules/typography-fr.toml`, compared lower-cased) steer it, and a user's configuration
    /// extends them: `accented_words`, accented words whose plain form is always a misspelling;
    /// `unaccented_words`, the words that are right without their accents; and
    /// `final_accent_endings`, the endings (without accents, a plural « s » aside) of the words
    /// whose accent on the last letter is always needed:
    /// ```toml
    /// [typography]
    /// accented_words = ["hébergeur", "hébergeurs"]
    /// unaccented_words = ["reforme"]
    /// final_accent_endings = ["ciete"]
    /// ```
    pub struct Accents = "typography/accents", Severity::Warning;
}

impl Rule for Accents {
    crate::rule_meta!();
    fn reads_word_tokens(&self) -> bool {
        true
    }

    fn fixable(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        if doc.lang != Lang::Fr {
            return;
        }
        let cfg = &ctx.config.typography;
        let words = doc.words();
        let Some(Pairs {
            pairs,
            pair_of,
            matched,
        }) = accent_pairs(doc, cfg)
        else {
            return; // nearly every document: no token is read
        };
        let prose = doc.prose.as_str();
        let markers = Markers::new(doc);
        let mut lines = LineCursor::new(doc, shared_code_or_url_marks(doc));
        let bytes = prose.as_bytes();
        for i in occurrences(words, &pair_of, &matched) {
            let t = words.token(i);
            let pair = &pairs[pair_of[t.spelling() as usize] as usize - 1];
            // Part of a symbol, a file name or an identifier: « fr/reunion », « mot_cle ».
            let before = t.start().checked_sub(1).map(|b| bytes[b]);
            let after = bytes.get(t.end()).copied();
            if matches!(before, Some(b'/' | b'\\' | b'_' | b'.' | b'#'))
                || matches!(after, Some(b'/' | b'\\' | b'_'))
                || after_letter_prefix(bytes, t.start())
            {
                continue;
            }
            // An English word beside it (« the region ») or around it (a quoted title).
            let english_beside = |j: Option<usize>| {
                j.and_then(|j| words.get(j))
                    .is_some_and(|w| markers.is_english_word(w.spelling()))
            };
            if english_beside(i.checked_sub(1))
                || english_beside(Some(i + 1))
                || lines.skip(t.start())
                || markers.english_at_token(i)
            {
                continue;
            }
            out.push(
                Diagnostic::new(Accents::ID, t.span(), pair.message.clone())
                    .with_help(pair.help.clone())
                    .with_fix(Fix::unsafe_(t.span(), pair.accented.clone())),
            );
        }
    }
}

/// The indices, in order, of the tokens whose spelling is the plain word of a pair
/// (`pair_of`), the spellings `matched`. A spelling used once, as a missing accent nearly
/// always is, is its first token, which the words stage keeps: the tokens are read one by one
/// only when a spelling is used more often.
fn occurrences(words: &Words, pair_of: &[u32], matched: &[u32]) -> Vec<usize> {
    if matched.iter().all(|&id| words.lower_count(id) == 1) {
        let mut firsts: Vec<usize> = matched.iter().map(|&id| words.first_token(id).0).collect();
        firsts.sort_unstable();
        return firsts;
    }
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = words.position_from(from, |s| pair_of[s as usize] != 0) {
        found.push(i);
        from = i + 1;
    }
    found
}

/// Whether the word at `start` follows a one-letter prefix and a hyphen: « e-evidence »,
/// « e-justice » are English names of projects, whatever the French « évidence » says.
fn after_letter_prefix(bytes: &[u8], start: usize) -> bool {
    match start.checked_sub(3).map(|i| &bytes[i..start]) {
        Some([before, letter, b'-']) => {
            letter.is_ascii_alphabetic() && !before.is_ascii_alphabetic()
        }
        _ => start == 2 && bytes[1] == b'-' && bytes[0].is_ascii_alphabetic(),
    }
}

/// A plain word of the document and the accented spelling of it that the document uses.
struct AccentPair {
    accented: Arc<str>,
    message: Arc<str>,
    help: Arc<str>,
}

/// The pairs of a document, and which pair each spelling is the plain word of.
struct Pairs {
    /// Sorted by plain word.
    pairs: Vec<AccentPair>,
    /// By spelling id ([`Token::spelling`]): 1 + the index of its pair, or 0.
    ///
    /// [`Token::spelling`]: crate::extract::words::Token::spelling
    pair_of: Vec<u32>,
    /// The spellings that are a pair's plain word.
    matched: Vec<u32>,
}

/// The pairs of `doc`: each lower-case spelling of four letters or more, without accents,
/// whose letters with accents added are a word of the vocabulary or of `accented_words`, and
/// that the rule may report (see the rule's documentation). None when there is none, as in
/// nearly every document.
///
/// The work is per distinct word, and kept small: the vocabulary's accented words are folded
/// and hashed without building them, and looked up by that hash; each spelling is screened by
/// one bit of a table indexed by its vocabulary hash ([`Words::lower_hashes`]), set for the
/// plain forms of both sources.
///
/// [`Words::lower_hashes`]: crate::extract::words::Words::lower_hashes
fn accent_pairs(doc: &Document, cfg: &TypographyConfig) -> Option<Pairs> {
    let words = doc.words();
    let vocabulary = &words.counts;
    let list = cfg.accent_list();
    // The document's own accented spellings by the hash of their plain form (found in the
    // vocabulary): (hash, accented, count).
    let mut own: Vec<(u64, &str, u32)> = Vec::new();
    for accented in vocabulary.keys() {
        // Plain ASCII words (most) and words under four letters are read no further.
        if accented.len() < 4 || accented.is_ascii() {
            continue;
        }
        let Some((hash, len)) = folded_hash(accented) else {
            continue;
        };
        if len >= 4
            && vocabulary
                .count_hashed(hash, |w| folds_to(accented, w))
                .is_some()
        {
            let count = vocabulary.get(accented).copied().unwrap_or(0);
            own.push((hash, accented, count));
        }
    }
    let mut bits = std::borrow::Cow::Borrowed(&list.bits);
    for &(hash, ..) in &own {
        set_bit(bits.to_mut(), hash);
    }
    // Plain word → (accented spelling, its count in the document), and its spelling:
    // the most frequent accented spelling wins, then the first in byte order, whatever the
    // order of the vocabulary; a word of `accented_words` (count 0) only where the document
    // has none.
    // (A spelling is exact bytes: each plain word is one spelling, `id`.)
    let mut best: BTreeMap<&str, ((&str, u32), u32)> = BTreeMap::new();
    let prose = doc.prose.as_str();
    // (A hash of 0 is a spelling that is not clean, or one word in 2^64: it is skipped.)
    for (id, &hash) in (0u32..).zip(words.lower_hashes()) {
        if hash == 0 || !has_bit(&bits, hash) {
            continue;
        }
        let plain = &prose[words.spellings[id as usize].clone()];
        // Three letters only for a word of `accented_words` (« ete » for « été »): the
        // document's own spellings count from four (`own` holds no shorter one).
        if plain.len() < 3 || !plain.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        let mut found: Option<(&str, u32)> = None;
        for &(h, accented, count) in &own {
            let better = |&(known, n): &(&str, u32)| count > n || (count == n && accented < known);
            if h == hash && folds_to(accented, plain) && found.is_none_or(|f| better(&f)) {
                found = Some((accented, count));
            }
        }
        if found.is_none() {
            found = list.words.get(&hash).and_then(|entries| {
                let (_, accented) = entries.iter().find(|(p, _)| p == plain)?;
                // Counted in the document too: for a word under four letters, which `own`
                // leaves out (« été »); any longer one there would be in `own`.
                Some((
                    accented.as_str(),
                    vocabulary.get(accented).copied().unwrap_or(0),
                ))
            });
        }
        let Some((accented, count)) = found else {
            continue;
        };
        if !inside_accent(plain, accented) && !cfg.has_final_accent_ending(plain) {
            continue;
        }
        best.insert(plain, ((accented, count), id));
    }
    let mut pair_of = Vec::new();
    let mut matched = Vec::new();
    let pairs: Vec<AccentPair> = best
        .into_iter()
        .filter(|(plain, _)| {
            // `typography/ocr` reports the words it repairs (« matiere », « systemes »),
            // and the accented spelling may be its damage (« matiére »).
            !cfg.is_unaccented_lower(plain) && ocr::repair_word(plain, words, cfg).is_none()
        })
        .enumerate()
        .map(|(index, (plain, ((accented, count), id)))| {
            if pair_of.is_empty() {
                pair_of = vec![0u32; words.spellings.len()];
            }
            pair_of[id as usize] = index as u32 + 1;
            matched.push(id);
            let evidence = match count {
                0 => format!("the French word is `{accented}`"),
                1 => format!("the document writes `{accented}` (once)"),
                n => format!("the document writes `{accented}` ({n} times)"),
            };
            AccentPair {
                message: format!("`{plain}` lacks its accents: {evidence}").into(),
                help: format!("write `{accented}`").into(),
                accented: accented.into(),
            }
        })
        .collect();
    (!pairs.is_empty()).then_some(Pairs {
        pairs,
        pair_of,
        matched,
    })
}

/// `accented_words` (lower-cased) by the [`Vocabulary::hash`] of their plain form (the word
/// without accents), for [`TypographyConfig::accent_list`]; a word with no accent to fold, or
/// another character beyond ASCII, is left out.
///
/// [`Vocabulary::hash`]: crate::extract::words::Vocabulary
pub(crate) fn accent_list(accented_words: &[String]) -> AccentList {
    let mut list = AccentList {
        words: Default::default(),
        bits: vec![0; SCREEN_BITS / 64],
    };
    for word in accented_words {
        let lower = word.to_lowercase();
        if let Some(plain) = fold_accents(&lower) {
            let hash = Vocabulary::hash(plain.as_bytes());
            set_bit(&mut list.bits, hash);
            list.words.entry(hash).or_default().push((plain, lower));
        }
    }
    list
}

/// See [`accent_list`].
#[derive(Debug, Clone)]
pub(crate) struct AccentList {
    /// (plain, accented) pairs by the hash of the plain word.
    words: rustc_hash::FxHashMap<u64, Vec<(String, String)>>,
    /// The screen of the plain words' hashes: a bit each, by the hash's top bits.
    bits: Vec<u64>,
}

/// The size in bits of a screen of hashes: 8 KB, a few hundred words set.
const SCREEN_BITS: usize = 1 << 16;

fn set_bit(bits: &mut [u64], hash: u64) {
    let i = (hash >> 48) as usize;
    bits[i / 64] |= 1 << (i % 64);
}

fn has_bit(bits: &[u64], hash: u64) -> bool {
    let i = (hash >> 48) as usize;
    bits[i / 64] & (1 << (i % 64)) != 0
}

/// The folded letters of `word` ([`fold_accents`]), byte by byte: an ASCII byte is itself,
/// an accented letter (two bytes, `C3` and the one here) its base letter, and any other
/// character ends the word with None. Bytes, not characters: the accented words of a
/// document's vocabulary are folded one by one, and decoding each character cost more than
/// the rest of the rule.
fn folded_bytes(word: &str) -> impl Iterator<Item = Option<u8>> + '_ {
    let mut bytes = word.bytes();
    std::iter::from_fn(move || {
        let b = bytes.next()?;
        Some(match b {
            0x00..=0x7F => Some(b),
            0xC3 => bytes.next().and_then(|second| match second {
                0xA0 | 0xA2 | 0xA4 => Some(b'a'), // à â ä
                0xA8..=0xAB => Some(b'e'),        // è é ê ë
                0xAE | 0xAF => Some(b'i'),        // î ï
                0xB4 | 0xB6 => Some(b'o'),        // ô ö
                0xB9 | 0xBB | 0xBC => Some(b'u'), // ù û ü
                0xA7 => Some(b'c'),               // ç
                _ => None,
            }),
            _ => None,
        })
    })
}

/// The [`Vocabulary::hash`] and length of [`fold_accents`] of `word`, without building it
/// (the hash is `h = h B + b` byte by byte, and the folded word is ASCII).
///
/// [`Vocabulary::hash`]: crate::extract::words::Vocabulary
fn folded_hash(word: &str) -> Option<(u64, usize)> {
    let (mut hash, mut len) = (0u64, 0);
    for b in folded_bytes(word) {
        hash = hash.wrapping_mul(HASH_BASE).wrapping_add(u64::from(b?));
        len += 1;
    }
    Some((hash, len))
}

/// Whether `word` folds to `plain` ([`fold_accents`], without building it).
fn folds_to(word: &str, plain: &str) -> bool {
    let mut folded = folded_bytes(word);
    plain.bytes().all(|b| folded.next() == Some(Some(b))) && folded.next().is_none()
}

/// `word` with the accents and the cedilla of its letters taken off (« réunion » →
/// « reunion »), if that leaves it plain ASCII and changes it: None for a word with another
/// character beyond ASCII (« œuvre », « Ærø ») or with none.
fn fold_accents(word: &str) -> Option<String> {
    let plain: Vec<u8> = folded_bytes(word).collect::<Option<_>>()?;
    let plain = String::from_utf8(plain).ok()?; // ASCII
    (plain != word).then_some(plain)
}

/// Whether `accented` differs from `plain` (its folded form, ASCII, so one byte a letter)
/// before its last letter, not counting the « é » of a final « -és ». An accent there is
/// missing from the plain word whichever accented word was meant (« declare » lacks the
/// « é » of « déclare » and of « déclaré »); a difference only at the end may be two words
/// (« adopte » and « adopté », « publies » and « publiés », « traite » and « traité »).
fn inside_accent(plain: &str, accented: &str) -> bool {
    let n = plain.len();
    accented
        .chars()
        .zip(plain.bytes())
        .enumerate()
        .any(|(i, (a, p))| {
            let at_end = i + 1 == n || (i + 2 == n && a == 'é' && plain.ends_with('s'));
            a != char::from(p) && !at_end
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_french_accents_only() {
        assert_eq!(fold_accents("réunion").as_deref(), Some("reunion"));
        assert_eq!(fold_accents("français").as_deref(), Some("francais"));
        assert_eq!(fold_accents("maïs").as_deref(), Some("mais"));
        assert_eq!(fold_accents("reunion"), None);
        assert_eq!(fold_accents("œuvre"), None);
    }

    #[test]
    fn folded_hash_is_the_hash_of_the_folded_word() {
        for w in [
            "réunion",
            "développement",
            "français",
            "maïs",
            "reunion",
            "œuvre",
        ] {
            let expected = fold_accents(w)
                .or_else(|| w.is_ascii().then(|| w.to_string()))
                .map(|p| (Vocabulary::hash(p.as_bytes()), p.len()));
            assert_eq!(folded_hash(w), expected, "{w}");
            if let Some((_, _)) = expected {
                assert!(folds_to(
                    w,
                    &fold_accents(w).unwrap_or_else(|| w.to_string())
                ));
            }
        }
        assert!(!folds_to("réunions", "reunion"));
        assert!(!folds_to("réunion", "reunions"));
    }

    #[test]
    fn accents_inside_the_word() {
        assert!(!inside_accent("adopte", "adopté"));
        assert!(!inside_accent("publies", "publiés"));
        assert!(inside_accent("deja", "déjà"));
        assert!(!inside_accent("criminalite", "criminalité"));
        assert!(inside_accent("adoptee", "adoptée"));
        assert!(inside_accent("penale", "pénale"));
        assert!(inside_accent("apres", "après"));
        assert!(inside_accent("declare", "déclaré"));
        assert!(inside_accent("eleve", "élevé"));
    }
}
