//! `typography/*` rules: OCR damage, French spacing, apostrophe consistency, repeated words,
//! unbalanced parentheses.
//!
//! The rules read the document's word tokens and vocabulary ([`crate::extract::words`]) and the
//! word lists of `rules/typography-fr.toml` (`[typography]`, extendable by users).

pub mod accents;
pub mod apostrophe;
pub mod ocr;
pub mod parentheses;
pub mod repeated_word;
pub mod spacing;

use super::Rule;
use crate::document::{Document, Lang, LineKind, Span};
use rustc_hash::FxHashSet;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

/// The rules of this group.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &accents::Accents,
        &apostrophe::Apostrophe,
        &ocr::Ocr,
        &parentheses::Parentheses,
        &repeated_word::RepeatedWord,
        &spacing::Spacing,
    ]
}

/// `[typography.known_words]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownWords {
    /// Correct French words that OCR garbles (plural -s implied).
    #[serde(default)]
    pub words: Vec<String>,
    /// Correct words that must never be reported as damage of another word.
    #[serde(default)]
    pub exceptions: Vec<String>,
}

/// The `[typography]` section of the configuration.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypographyConfig {
    /// Words with an accented capital (« États »): the unaccented form is reported.
    #[serde(default)]
    pub capital_accents: Vec<String>,
    /// Words after which a sentence-initial « A » stands for « À ».
    #[serde(default)]
    pub a_grave_before: Vec<String>,
    /// Whole-word OCR renderings (« Ila » → « la »).
    #[serde(default)]
    pub ocr_words: BTreeMap<String, String>,
    #[serde(default)]
    pub known_words: KnownWords,
    /// Words that may legitimately be written twice in a row (« nous nous », "had had"):
    /// `typography/repeated-word` leaves them alone. Compared lower-cased.
    #[serde(default)]
    pub repeatable_words: Vec<String>,
    /// Words that are right without an accent although an accented word has the same letters
    /// (« sur »/« sûr », « cote »/« côte »): `typography/accents` leaves them alone.
    /// Compared lower-cased.
    #[serde(default)]
    pub unaccented_words: Vec<String>,
    /// Endings of words whose accent on the last letter is always needed (« -alité »,
    /// written folded: « alite »): `typography/accents` reports « criminalite ». Compared
    /// lower-cased, a final « s » of the word aside.
    #[serde(default)]
    pub final_accent_endings: Vec<String>,
    /// Accented words of institutional French whose plain form is a misspelling wherever
    /// it stands (« pénale », « réunion »): `typography/accents` reports « penale » even in a
    /// document that never writes « pénale ».
    #[serde(default)]
    pub accented_words: Vec<String>,
    /// `accented_words` by the hash of their plain form, built on first use.
    #[serde(skip)]
    accent_list: std::sync::OnceLock<accents::AccentList>,
    /// Lower-cased `known_words.words` and `exceptions`, built on first use.
    #[serde(skip)]
    index: std::sync::OnceLock<(FxHashSet<String>, FxHashSet<String>)>,
    /// The OCR rule's tables derived from the lists above (the same for every document of a
    /// run, so built once: building them per document was most of the rule's cost on a 200 KB
    /// file).
    #[serde(skip)]
    pub(crate) ocr_tables: std::sync::OnceLock<ocr::Tables>,
}

impl TypographyConfig {
    /// Merges a later configuration layer into this one (lists extend, tables override).
    pub fn merge(&mut self, later: TypographyConfig) {
        self.capital_accents.extend(later.capital_accents);
        self.a_grave_before.extend(later.a_grave_before);
        self.ocr_words.extend(later.ocr_words);
        self.repeatable_words.extend(later.repeatable_words);
        self.unaccented_words.extend(later.unaccented_words);
        self.final_accent_endings.extend(later.final_accent_endings);
        self.accented_words.extend(later.accented_words);
        self.accent_list = std::sync::OnceLock::new();
        self.known_words.words.extend(later.known_words.words);
        self.known_words
            .exceptions
            .extend(later.known_words.exceptions);
        self.index = std::sync::OnceLock::new();
        self.ocr_tables = std::sync::OnceLock::new();
    }

    fn index(&self) -> &(FxHashSet<String>, FxHashSet<String>) {
        self.index.get_or_init(|| {
            let lower = |v: &[String]| v.iter().map(|w| w.to_lowercase()).collect();
            (
                lower(&self.known_words.words),
                lower(&self.known_words.exceptions),
            )
        })
    }

    /// The known words, lower-cased (the singulars [`Self::is_known_lower`] looks up).
    pub fn known_lower(&self) -> impl Iterator<Item = &String> {
        self.index().0.iter()
    }

    /// Whether `word` (any case) is a known correct word, singular or with a plural -s/-x.
    pub fn is_known(&self, word: &str) -> bool {
        self.is_known_lower(&word.to_lowercase())
    }

    /// [`Self::is_known`] for a word already lower-cased.
    pub fn is_known_lower(&self, lw: &str) -> bool {
        let known = &self.index().0;
        known.contains(lw)
            || lw
                .strip_suffix('s')
                .or_else(|| lw.strip_suffix('x'))
                .is_some_and(|w| known.contains(w))
    }

    /// Whether `word` is listed as an exception.
    pub fn is_exception(&self, word: &str) -> bool {
        self.is_exception_lower(&word.to_lowercase())
    }

    /// [`Self::is_exception`] for a word already lower-cased.
    pub fn is_exception_lower(&self, lw: &str) -> bool {
        let exc = &self.index().1;
        exc.contains(lw) || lw.strip_suffix('s').is_some_and(|w| exc.contains(w))
    }

    /// Whether `lw` (lower-cased) is one of `unaccented_words`. A list search: the rule asks
    /// only about the rare plain words that have an accented twin in the document.
    pub fn is_unaccented_lower(&self, lw: &str) -> bool {
        self.unaccented_words
            .iter()
            .any(|w| w.chars().flat_map(char::to_lowercase).eq(lw.chars()))
    }

    /// [`accents::accent_list`] of `accented_words`, built once per configuration.
    pub(crate) fn accent_list(&self) -> &accents::AccentList {
        self.accent_list
            .get_or_init(|| accents::accent_list(&self.accented_words))
    }

    /// Whether `plain` (lower-cased, without accents), or `plain` without a final « s », ends
    /// with one of `final_accent_endings`.
    pub fn has_final_accent_ending(&self, plain: &str) -> bool {
        let singular = plain.strip_suffix('s').unwrap_or(plain);
        self.final_accent_endings
            .iter()
            .any(|e| plain.ends_with(e.as_str()) || singular.ends_with(e.as_str()))
    }

    /// The set of lower-cased words after which « A » means « À ».
    pub fn a_grave_set(&self) -> HashSet<String> {
        self.a_grave_before
            .iter()
            .map(|s| s.to_lowercase())
            .collect()
    }
}

/// Whether `offset` starts a sentence: only spaces since a `.`, `!` or `?`, or the first word
/// of a line whose previous non-blank line ends a sentence or is a heading.
pub(crate) fn sentence_start(doc: &Document, offset: usize) -> bool {
    let before = doc.prose[..offset].trim_end_matches([' ', '\t', '\u{a0}', '\u{202f}']);
    if before.ends_with(['\n', '\r']) {
        let t = before.trim_end();
        if t.is_empty() {
            return true;
        }
        let li = doc.line_index(t.len() - 1);
        if doc
            .lines
            .get(li)
            .is_some_and(|l| l.kind == crate::document::LineKind::Heading)
        {
            return true;
        }
        return t.ends_with(['.', '!', '?', ':']);
    }
    before.is_empty() || before.ends_with(['.', '!', '?'])
}

// The marker lists that `marker` matches (kept for its test).
#[cfg(test)]
const EN_MARKERS: &[&str] = &[
    "the", "of", "and", "to", "in", "on", "for", "with", "is", "are", "was", "by", "from", "this",
    "that", "an", "as",
];
#[cfg(test)]
const FR_MARKERS: &[&str] = &[
    "le", "la", "les", "de", "des", "du", "et", "pour", "dans", "sur", "une", "un", "par", "est",
    "qui", "que", "au", "aux", "en",
];

/// Whether the words around `offset` (about 12 on each side) read as English rather than
/// French: quoted titles and citations in a French report.
///
/// The definition that [`Markers::english`] computes faster; a test holds them together.
#[cfg(test)]
pub(crate) fn english_context(doc: &Document, offset: usize) -> bool {
    let w = doc.words();
    let i = w.index_at(offset);
    let lo = i.saturating_sub(12);
    let hi = (i + 12).min(w.len());
    let (mut en, mut fr) = (0, 0);
    let mut buf = [0u8; MARKER_MAX];
    for t in w.tokens_in(lo..hi) {
        let Some(s) = ascii_lower_short(&doc.prose[t.span()], &mut buf) else {
            continue;
        };
        match marker(s) {
            Some(Lang::En) => en += 1,
            Some(Lang::Fr) => fr += 1,
            None => {}
        }
    }
    en >= 2 && en > fr
}

/// The language marker of each spelling of a document ([`Token::spelling`]), worked out on
/// first use: [`english_context`] looked at the text of every token of a 24-token window at
/// each finding, and a large document has tens of thousands of findings but only a few
/// thousand spellings. The table is kept in [`SharedScans::markers`]: the OCR and spacing
/// rules each built it, and on a 200 KB report building it cost about as much as all the
/// windows read.
///
/// [`Token::spelling`]: crate::extract::words::Token::spelling
pub(crate) struct Markers<'d> {
    doc: &'d Document,
}

/// The weights of the markers, so that a window's counts are one sum: the English count in
/// the low 5 bits, the French one above (a window has at most 24 tokens).
const EN: u8 = 1;
const FR: u8 = 32;

impl<'d> Markers<'d> {
    pub(crate) fn new(doc: &'d Document) -> Self {
        Markers { doc }
    }

    /// [`english_context`]: the marker of a token depends on its bytes alone, that is on its
    /// spelling.
    pub(crate) fn english(&self, offset: usize) -> bool {
        self.english_at_token(self.doc.words().index_at(offset))
    }

    /// Whether spelling `spelling` ([`Token::spelling`]) is one of the English marker words
    /// (« the », « of », « in »…), which no French word follows or precedes.
    ///
    /// [`Token::spelling`]: crate::extract::words::Token::spelling
    pub(crate) fn is_english_word(&self, spelling: u32) -> bool {
        let doc = self.doc;
        let markers = doc
            .cache
            .typography
            .markers
            .get_or_init(|| spelling_markers(doc));
        markers.get(spelling as usize) == Some(&EN)
    }

    /// [`Self::english`] at the offset of which `i` is the [`Words::index_at`]: the start of
    /// the `i`th token (tokens are non-empty and in order), as a caller walking the tokens
    /// knows it without a search.
    ///
    /// [`Words::index_at`]: crate::extract::words::Words::index_at
    pub(crate) fn english_at_token(&self, i: usize) -> bool {
        let doc = self.doc;
        let w = doc.words();
        let markers = doc
            .cache
            .typography
            .markers
            .get_or_init(|| spelling_markers(doc));
        let lo = i.saturating_sub(12);
        let hi = (i + 12).min(w.len());
        let sum: u32 = w
            .spellings_in(lo..hi)
            .map(|spelling| u32::from(markers[spelling as usize]))
            .sum();
        let (en, fr) = (sum % u32::from(FR), sum / u32::from(FR));
        en >= 2 && en > fr
    }
}

/// [`EN`], [`FR`] or 0 for each spelling of `doc`'s words, by spelling id.
fn spelling_markers(doc: &Document) -> Vec<u8> {
    let mut buf = [0u8; MARKER_MAX];
    let prose = doc.prose.as_bytes();
    doc.words()
        .spellings
        .iter()
        .map(|span| {
            match ascii_lower_short_bytes(&prose[span.clone()], &mut buf).and_then(marker) {
                Some(Lang::En) => EN,
                Some(Lang::Fr) => FR,
                None => 0,
            }
        })
        .collect()
}

/// The language of a marker word (lower-cased): one `match` on the bytes instead of comparing
/// the word with each marker in turn. A test checks it against the lists.
fn marker(word: &[u8]) -> Option<Lang> {
    match word {
        b"the" | b"of" | b"and" | b"to" | b"in" | b"on" | b"for" | b"with" | b"is" | b"are"
        | b"was" | b"by" | b"from" | b"this" | b"that" | b"an" | b"as" => Some(Lang::En),
        b"le" | b"la" | b"les" | b"de" | b"des" | b"du" | b"et" | b"pour" | b"dans" | b"sur"
        | b"une" | b"un" | b"par" | b"est" | b"qui" | b"que" | b"au" | b"aux" | b"en" => {
            Some(Lang::Fr)
        }
        _ => None,
    }
}

/// The length of the longest marker word.
const MARKER_MAX: usize = 4;

/// `word` lower-cased into `buf` if it is ASCII and at most [`MARKER_MAX`] bytes long, the only
/// words whose lower case can be a marker: the markers are ASCII letters, and the one non-ASCII
/// character that lower-cases to ASCII is the Kelvin sign (to « k », in no marker).
fn ascii_lower_short<'b>(word: &str, buf: &'b mut [u8; MARKER_MAX]) -> Option<&'b [u8]> {
    ascii_lower_short_bytes(word.as_bytes(), buf)
}

/// [`ascii_lower_short`] of a word's bytes.
fn ascii_lower_short_bytes<'b>(b: &[u8], buf: &'b mut [u8; MARKER_MAX]) -> Option<&'b [u8]> {
    if b.len() > MARKER_MAX || !b.is_ascii() {
        return None;
    }
    let out = &mut buf[..b.len()];
    out.copy_from_slice(b);
    out.make_ascii_lowercase();
    Some(out)
}

/// Whether `offset` lies inside a URL, an e-mail address or a Markdown code span on its line.
pub(crate) fn in_code_or_url(doc: &Document, offset: usize) -> bool {
    let li = doc.line_index(offset);
    let Some(line) = doc.lines.get(li) else {
        return false;
    };
    // Backticks before on the line: odd count means inside a code span. Counted by binary
    // search in the document's backtick offsets (a very long line must not make this linear).
    if doc.markdown {
        let ticks = backticks(doc);
        let end = offset.max(line.start());
        let before =
            ticks.partition_point(|&t| t < end) - ticks.partition_point(|&t| t < line.start());
        if before % 2 == 1 {
            return true;
        }
    }
    let chunk = chunk_around(doc, line.span(), offset);
    chunk.contains('@') || chunk.contains("://") || chunk.contains("www.")
}

/// The whitespace-delimited chunk of the original text (a link's target is blanked in the
/// prose) around `offset` on `line`. Read from a window around the offset that widens until
/// the chunk's ends are inside it: a copy of a whole line per call would make a text on one
/// long line quadratic.
fn chunk_around(doc: &Document, line: Span, offset: usize) -> String {
    if !line.contains(&offset) && offset != line.end {
        return String::new();
    }
    let mut reach = 256;
    loop {
        let (lo, hi) = (
            offset.saturating_sub(reach).max(line.start),
            (offset + reach).min(line.end),
        );
        let bytes = doc.original_bytes(&(lo..hi));
        // Whole characters only: a window's edge may cut one (the line's ends and the offset
        // are character boundaries).
        let first = bytes.iter().take_while(|&&b| b & 0xC0 == 0x80).count();
        let last = match bytes.iter().rposition(|&b| b & 0xC0 != 0x80) {
            Some(k) if k + utf8_len(bytes[k]) > bytes.len() => k,
            _ => bytes.len(),
        };
        let Ok(text) = std::str::from_utf8(&bytes[first..last.max(first)]) else {
            return String::new();
        };
        let (start, end) = (lo + first, lo + first + text.len());
        let at = offset - start;
        let chunk_start = text[..at]
            .char_indices()
            .rfind(|(_, c)| c.is_whitespace())
            .map(|(p, c)| p + c.len_utf8());
        let chunk_end = text[at..].find(char::is_whitespace).map(|p| at + p);
        // A side that met no white space goes on past the window, unless the line ends there.
        let open_before = chunk_start.is_none() && start > line.start;
        let open_after = chunk_end.is_none() && end < line.end;
        if !open_before && !open_after {
            return text[chunk_start.unwrap_or(0)..chunk_end.unwrap_or(text.len())].to_string();
        }
        reach *= 4;
    }
}

/// The length of the UTF-8 sequence that `lead` starts.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// Every apostrophe of `text`, straight « ' » or typographic « ’ » (E2 80 99), with its
/// offset: a byte search for `'` and E2, then a check of the character at each E2.
pub(crate) fn apostrophes(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\'', 0xE2, bytes).filter_map(move |p| {
        if bytes[p] == b'\'' {
            Some((p, '\''))
        } else if bytes[p..].starts_with("’".as_bytes()) {
            Some((p, '’'))
        } else {
            None
        }
    })
}

/// The character before byte offset `i` of `text`.
#[inline]
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    match text.as_bytes()[..i].last() {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        _ => text[..i].chars().next_back(),
    }
}

/// Whether the character at byte offset `i` of `text` is a letter
/// ([`crate::extract::words::is_alphabetic`]).
#[inline]
pub(crate) fn letter_at(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        Some(b) if b.is_ascii() => b.is_ascii_alphabetic(),
        Some(_) => text[i..]
            .chars()
            .next()
            .is_some_and(crate::extract::words::is_alphabetic),
        None => false,
    }
}

/// A class of bytes that a rule looks for, each byte tested with its two neighbours, so that
/// one pass over the text finds every byte of interest: the searches it replaces (one memchr
/// per kind of byte, restarted at every hit) each read the whole text again, and a search for
/// bytes as common as « , » and « . » restarted at nearly every hit.
///
/// A rule writes its class as two tests that agree (a unit test compares them: see the
/// spacing rule's): [`ByteClass::test`] on one byte, [`ByteClass::test16`] on 16 with SSE2
/// compares; then walks the offsets with [`marked`]. The neighbours of the text's first and
/// last bytes are 0, so a class never marks a 0 byte.
pub(crate) trait ByteClass {
    /// Whether `cur`, between `prev` and `next`, is marked.
    fn test(prev: u8, cur: u8, next: u8) -> bool;

    /// [`ByteClass::test`] of 16 bytes at once, lane k's answer in bit k: `cur` holds the
    /// bytes, `prev` and `next` the same block read one byte earlier and one later.
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    fn test16(
        prev: std::arch::x86_64::__m128i,
        cur: std::arch::x86_64::__m128i,
        next: std::arch::x86_64::__m128i,
    ) -> u32;
}

/// The offsets of `bytes` that class `C` marks, in order: 64 bytes classified at a time
/// (four 16-byte tests), the hits of a block read from its bit mask.
pub(crate) fn marked<C: ByteClass>(bytes: &[u8]) -> Marked<'_, C> {
    Marked {
        bytes,
        block: 0,
        bits: block_bits::<C>(bytes, 0),
        class: std::marker::PhantomData,
    }
}

/// The iterator of [`marked`].
pub(crate) struct Marked<'a, C> {
    bytes: &'a [u8],
    /// The offset of the current block ...
    block: usize,
    /// ... and its marked bytes not yet given, bit k for `block + k`.
    bits: u64,
    class: std::marker::PhantomData<C>,
}

impl<C: ByteClass> Iterator for Marked<'_, C> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        // Most blocks mark nothing: they are skipped in this loop, which makes no call.
        while self.bits == 0 {
            self.block += 64;
            if self.block >= self.bytes.len() {
                return None;
            }
            self.bits = block_bits::<C>(self.bytes, self.block);
        }
        let k = self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(self.block + k)
    }
}

/// The marks of class `C` for the 64 bytes from `at` (fewer at the end of `bytes`).
#[inline(always)]
fn block_bits<C: ByteClass>(bytes: &[u8], at: usize) -> u64 {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if at >= 1 && at + 65 <= bytes.len() {
        // One bounds check for the 66 bytes read.
        let window = &bytes[at - 1..at + 65];
        let mut bits = 0;
        for k in 0..4 {
            let (prev, cur, next) = lane_block(window, k);
            bits |= u64::from(C::test16(prev, cur, next) as u16) << (16 * k);
        }
        return bits;
    }
    block_bits_bytewise::<C>(bytes, at)
}

/// The `k`th 16 bytes of a block's `window` (the block with a byte on either side), with the
/// same read one byte earlier and one byte later: `prev`, `cur` and `next` of
/// [`ByteClass::test16`].
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn lane_block(
    window: &[u8],
    k: usize,
) -> (
    std::arch::x86_64::__m128i,
    std::arch::x86_64::__m128i,
    std::arch::x86_64::__m128i,
) {
    // SAFETY: `load16` needs SSE2 only, which this target enables (the `cfg` above; every
    // x86-64 processor has it).
    unsafe {
        use crate::text::load16;
        let lane = 16 * k;
        (
            load16(window, lane),
            load16(window, lane + 1),
            load16(window, lane + 2),
        )
    }
}

/// The bytes of the prose that the typography rules' shared pass ([`ProseMarks`]) stops at, as
/// one [`ByteClass`] (French when `FRENCH`): a superset of the apostrophes and of the spacing
/// rule's [`spacing::PunctuationMarks`], each hit sorted out by its byte in [`prose_marks`].
///
/// One class, not one per consumer: the pass gathered a mask for each (the two sets of
/// compares, movemasks and hit loops of every block), and tested the byte before a 99 and an
/// AF for the 80 of « ’ » (E2 80 99) and U+202F (E2 80 AF) in every lane, when it can be read
/// at the few hits instead. So a 99 or an AF is marked after any byte (another character's
/// last byte, « ï » (C3 AF), is dropped at its hit: few are in a text); everything else is
/// marked as the two classes mark it.
pub(crate) struct ProseCandidates<const FRENCH: bool>;

impl<const FRENCH: bool> ByteClass for ProseCandidates<FRENCH> {
    #[inline(always)]
    fn test(prev: u8, cur: u8, next: u8) -> bool {
        cur == b'\''
            || cur == 0x99
            || FRENCH && cur == 0xAF
            || spacing::PunctuationMarks::<FRENCH>::test(prev, cur, next)
    }

    /// [`Self::test`] by 16 lanes: the spacing rule's punctuation lanes (one copy of those
    /// compares, [`spacing::punctuation_lanes`]), the apostrophes and, in French, every AF.
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    #[inline(always)]
    fn test16(
        prev: std::arch::x86_64::__m128i,
        cur: std::arch::x86_64::__m128i,
        _next: std::arch::x86_64::__m128i,
    ) -> u32 {
        use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};
        let punctuation = spacing::punctuation_lanes::<FRENCH>(prev, cur);
        // SAFETY: the intrinsics need SSE2 only, which this target enables (the `cfg` above;
        // every x86-64 processor has it).
        unsafe {
            let eq = |b: u8| _mm_cmpeq_epi8(cur, _mm_set1_epi8(b as i8));
            let apostrophe = _mm_or_si128(eq(b'\''), eq(0x99));
            let own = if FRENCH {
                _mm_or_si128(apostrophe, eq(0xAF))
            } else {
                apostrophe
            };
            _mm_movemask_epi8(_mm_or_si128(punctuation, own)) as u32
        }
    }
}

/// [`block_bits`] a byte at a time: the blocks at the text's ends, and targets without SSE2.
fn block_bits_bytewise<C: ByteClass>(bytes: &[u8], at: usize) -> u64 {
    let end = bytes.len().min(at + 64);
    let mut bits = 0;
    for i in at..end {
        let prev = if i > 0 { bytes[i - 1] } else { 0 };
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        bits |= u64::from(C::test(prev, bytes[i], next)) << (i - at);
    }
    bits
}

/// `doc.is_furniture(p) || in_code_or_url(doc, p)` at any offset `p`, `marks` being the
/// document's [`code_or_url_marks`]: the line by one binary search, and `in_code_or_url`
/// (about 1 600 instructions: a copy of the chunk around `p`) only on a line that holds a
/// mark, which few do (see [`LineCursor`], the same for increasing offsets).
pub(crate) fn furniture_or_code(doc: &Document, marks: &[usize], p: usize) -> bool {
    // The line of both tests.
    let Some(line) = doc.lines.get(doc.line_index(p)) else {
        return false;
    };
    if line.kind == LineKind::Furniture {
        return true;
    }
    let first = marks.partition_point(|&m| m < line.start());
    marks.get(first).is_some_and(|&m| m < line.end()) && in_code_or_url(doc, p)
}

/// `doc.is_furniture(p) || in_code_or_url(doc, p)` for increasing offsets `p`, without two
/// binary searches and a scan of the surrounding chunk at every offset. A line with none of the
/// [`code_or_url_marks`] (nearly all of them) cannot hold the code span, URL or e-mail address
/// that `in_code_or_url` looks for within the line, so it answers false without calling it;
/// and a furniture line is blanked to spaces in the prose (its newline kept), so an offset
/// whose prose byte is anything else (the letter of a token, an apostrophe: every offset the
/// rules ask about) is on no furniture line.
///
/// So the cursor walks the few lines that hold a mark, not every line: it walked every line
/// between two offsets asked about, a data-dependent loop at each of the 54 000 apostrophes
/// of the bench file. An offset on a space, a line break or past the text is answered by the
/// two tests themselves.
pub(crate) struct LineCursor<'a> {
    doc: &'a Document,
    /// The document's [`code_or_url_marks`] not yet placed on their line ...
    marks: &'a [usize],
    /// ... and the span (without its line break) of the line of the last placed one, the
    /// first marked line not before the current offset: empty before the first is placed or
    /// when none is left.
    marked: Span,
}

impl<'a> LineCursor<'a> {
    /// A cursor over `doc`, whose [`code_or_url_marks`] are `marks`.
    pub(crate) fn new(doc: &'a Document, marks: &'a [usize]) -> Self {
        LineCursor {
            doc,
            marks,
            marked: 0..0,
        }
    }

    /// Whether offset `p` (not smaller than the previous one) is furniture, code or a URL.
    #[inline]
    pub(crate) fn skip(&mut self, p: usize) -> bool {
        let doc = self.doc;
        match doc.prose.as_bytes().get(p) {
            Some(b' ' | b'\n' | b'\r') | None => {
                return doc.is_furniture(p) || in_code_or_url(doc, p);
            }
            Some(_) => {}
        }
        // Not furniture (see above), and `p` is before the end of its line.
        if self.marked.end <= p {
            self.place_marks(p);
        }
        self.marked.start <= p && in_code_or_url(doc, p)
    }

    /// Moves `marked` to the first marked line that ends after `p`.
    #[cold]
    fn place_marks(&mut self, p: usize) {
        let doc = self.doc;
        // A mark is one of `@ / w \``, never a line break: it lies before its line's end.
        while let Some((&m, rest)) = self.marks.split_first() {
            if m < self.marked.end {
                self.marks = rest; // on the line already placed
                continue;
            }
            let Some(line) = doc.lines.get(doc.line_index(m)) else {
                break;
            };
            self.marked = line.span();
            self.marks = rest;
            if self.marked.end > p {
                return;
            }
        }
        // None left: no line of the rest is marked.
        self.marked = usize::MAX..usize::MAX;
        self.marks = &[];
    }
}

/// The offsets, in order, of every `@` of the text, of the first `/` of every `://`, of the
/// first `w` of every `www.` and, in a Markdown document, of every backtick: a line with none
/// of them has no code span, URL or e-mail address for [`in_code_or_url`] to find (the
/// backticks it counts, only in Markdown, and the chunk it tests are on the line). All hits
/// are rare: `:` is searched for rather than every `/` (document symbols are full of them),
/// and in French text `w` too, in the same pass; English text, full of `w`, is searched for
/// `www.` as a whole.
pub(crate) fn code_or_url_marks(doc: &Document) -> Vec<usize> {
    // The original text (link targets and furniture lines are blanked in the prose), a piece
    // at a time; a word that runs past its piece is read across.
    let n = doc.prose.len();
    let starts_with = |at: usize, piece: &[u8], i: usize, word: &[u8]| match piece.get(i..) {
        Some(rest) if rest.len() >= word.len() => rest.starts_with(word),
        _ => *doc.original_bytes(&(at + i..(at + i + word.len()).min(n))) == *word,
    };
    let mut marks: Vec<usize> = Vec::new();
    for (at, piece) in doc.text_pieces() {
        let piece = piece.as_bytes();
        let mark = |i: usize| match piece[i] {
            b':' => starts_with(at, piece, i + 1, b"//").then_some(at + i + 1),
            b'w' => starts_with(at, piece, i, b"www.").then_some(at + i),
            _ => Some(at + i),
        };
        if doc.lang == Lang::Fr {
            marks.extend(memchr::memchr3_iter(b'@', b':', b'w', piece).filter_map(mark));
        } else {
            marks.extend(memchr::memchr2_iter(b'@', b':', piece).filter_map(mark));
        }
    }
    if doc.lang != Lang::Fr {
        let before = marks.len();
        let www = memchr::memmem::Finder::new(b"www.");
        for (at, piece) in doc.text_pieces() {
            let piece = piece.as_bytes();
            marks.extend(www.find_iter(piece).map(|k| at + k));
            // One that starts in this piece's last three bytes runs into the next.
            let tail = piece.len().saturating_sub(3)..piece.len();
            marks.extend(
                tail.filter(|&i| piece[i] == b'w' && starts_with(at, piece, i, b"www."))
                    .map(|i| at + i),
            );
        }
        if before > 0 && marks.len() > before {
            marks.sort_unstable();
        }
    }
    if doc.markdown {
        let ticks = backticks(doc);
        if !ticks.is_empty() {
            marks.extend_from_slice(ticks);
            marks.sort_unstable();
        }
    }
    marks
}

/// The offsets of the backticks of the text, in order (cached on the document).
fn backticks(doc: &Document) -> &[usize] {
    doc.cache.backticks.get_or_init(|| {
        doc.text_pieces()
            .flat_map(|(at, piece)| {
                memchr::memchr_iter(b'`', piece.as_bytes()).map(move |k| at + k)
            })
            .collect()
    })
}

/// What the typography rules find in a document's text and share, cached on the document
/// ([`crate::extract::ExtractCache::typography`]): the OCR and apostrophe rules each scanned the
/// whole text for the same bytes.
#[derive(Debug, Default)]
pub(crate) struct SharedScans {
    /// [`code_or_url_marks`].
    marks: std::sync::OnceLock<Vec<usize>>,
    /// [`ProseMarks`]; `None` for a prose of 4 GiB or more, whose offsets do not fit.
    prose_marks: std::sync::OnceLock<Option<ProseMarks>>,
    /// The table of [`Markers`]: the marker of each spelling, by spelling id (words rebuilt
    /// after [`Document::release_word_tokens`] have the same ids: they come from the same text).
    markers: std::sync::OnceLock<Vec<u8>>,
}

/// The bytes of the prose that the typography rules look at, found by one pass over it
/// ([`ProseCandidates`]): the apostrophes (OCR, apostrophe and spacing rules) and the
/// punctuation of the spacing rule. Each had a pass of its own, a memchr search for the
/// apostrophes that stopped at every one (some 15 000 on 2 MB of French) and the spacing
/// rule's SSE2 pass.
#[derive(Debug, Default)]
struct ProseMarks {
    /// The offsets of [`apostrophes`].
    apostrophes: Vec<u32>,
    /// The offsets that the spacing rule's [`spacing::PunctuationMarks`] of the document's
    /// language marks.
    punctuation: Vec<u32>,
}

/// [`ProseMarks`] of the document, found once; `None` for a prose of 4 GiB or more.
fn prose_marks(doc: &Document) -> Option<&ProseMarks> {
    let found = doc.cache.typography.prose_marks.get_or_init(|| {
        let prose = doc.prose.as_bytes();
        u32::try_from(prose.len()).ok()?;
        let mut marks = ProseMarks::default();
        let mut sort = |p: usize| match prose[p] {
            b'\'' => marks.apostrophes.push(p as u32),
            // The last byte of « ’ » (E2 80 99), whose first byte is kept; or of another
            // character (U+x019 with another lead byte, « ę » (C4 99)).
            0x99 => {
                if p >= 2 && prose[p - 1] == 0x80 && prose[p - 2] == 0xE2 {
                    marks.apostrophes.push(p as u32 - 2);
                }
            }
            // The last byte of U+202F (E2 80 AF), which the spacing rule marks after an 80
            // only; or of another character (« ï », C3 AF).
            0xAF => {
                if p >= 1 && prose[p - 1] == 0x80 {
                    marks.punctuation.push(p as u32);
                }
            }
            _ => marks.punctuation.push(p as u32),
        };
        if doc.lang == Lang::Fr {
            marked::<ProseCandidates<true>>(prose).for_each(&mut sort);
        } else {
            marked::<ProseCandidates<false>>(prose).for_each(&mut sort);
        }
        Some(marks)
    });
    found.as_ref()
}

/// The offsets that the spacing rule's [`spacing::PunctuationMarks`] of the document's language
/// marks in the prose, found with the apostrophes ([`ProseMarks`]); `None` for a prose of
/// 4 GiB or more.
pub(crate) fn shared_punctuation(doc: &Document) -> Option<&[u32]> {
    prose_marks(doc).map(|m| m.punctuation.as_slice())
}

/// [`code_or_url_marks`], worked out once per document.
pub(crate) fn shared_code_or_url_marks(doc: &Document) -> &[usize] {
    doc.cache
        .typography
        .marks
        .get_or_init(|| code_or_url_marks(doc))
}

/// [`apostrophes`] of the document's prose, found once per document.
pub(crate) fn shared_apostrophes(doc: &Document) -> impl Iterator<Item = (usize, char)> + '_ {
    let prose = doc.prose.as_bytes();
    match prose_marks(doc) {
        Some(marks) => DocApostrophes::Listed {
            prose,
            offsets: marks.apostrophes.iter(),
        },
        None => DocApostrophes::Scanned(apostrophes(&doc.prose)),
    }
}

/// The iterator of [`shared_apostrophes`].
enum DocApostrophes<'a, I> {
    /// The offsets found before: each is a straight apostrophe or the first byte of a curly one.
    Listed {
        prose: &'a [u8],
        offsets: std::slice::Iter<'a, u32>,
    },
    Scanned(I),
}

impl<I: Iterator<Item = (usize, char)>> Iterator for DocApostrophes<'_, I> {
    type Item = (usize, char);
    #[inline]
    fn next(&mut self) -> Option<(usize, char)> {
        match self {
            DocApostrophes::Listed { prose, offsets } => offsets.next().map(|&p| {
                let p = p as usize;
                (p, if prose[p] == b'\'' { '\'' } else { '’' })
            }),
            DocApostrophes::Scanned(scan) => scan.next(),
        }
    }
}

/// Checks that class `C`'s two tests agree on every triple of bytes (each byte value in each
/// lane), and that [`marked`] gives the offsets [`ByteClass::test`] marks, on texts of every
/// length up to 140 (the blocks at the ends are read a byte at a time).
#[cfg(test)]
pub(crate) fn assert_class_agrees<C: ByteClass>() {
    let lanes = |v: [u8; 16]| u128::from_le_bytes(v).to_le_bytes();
    for cur in 0..=255u8 {
        for next in 0..=255u8 {
            for prev_high in 0..16u8 {
                let prev: [u8; 16] = std::array::from_fn(|k| prev_high << 4 | k as u8);
                let want: u32 = (0..16)
                    .map(|k| u32::from(C::test(prev[k], cur, next)) << k)
                    .sum();
                #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
                {
                    let got = unsafe {
                        use crate::text::load16;
                        C::test16(
                            load16(&lanes(prev), 0),
                            load16(&[cur; 16], 0),
                            load16(&[next; 16], 0),
                        )
                    };
                    assert_eq!(got, want, "{prev:?} {cur:#x} {next:#x}");
                }
                let _ = want;
            }
        }
    }
    // Texts of every length, from a mix of the bytes the test marks and others.
    let marked_bytes: Vec<u8> = (0..=255u8)
        .filter(|&b| (0..=255u8).any(|x| C::test(x, b, x)))
        .collect();
    for len in 0..140 {
        for shift in 0..marked_bytes.len().max(1) {
            let text: Vec<u8> = (0..len)
                .map(|i| match (i * 7 + shift) % 5 {
                    0 | 3 => marked_bytes
                        .get((i + shift) % marked_bytes.len().max(1))
                        .copied()
                        .unwrap_or(b'a'),
                    1 => b' ',
                    2 => 0xC2,
                    _ => b'a' + (i % 26) as u8,
                })
                .collect();
            let want: Vec<usize> = (0..text.len())
                .filter(|&i| {
                    let prev = if i > 0 { text[i - 1] } else { 0 };
                    C::test(prev, text[i], text.get(i + 1).copied().unwrap_or(0))
                })
                .collect();
            assert_eq!(marked::<C>(&text).collect::<Vec<_>>(), want, "{text:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str) -> (Document, usize) {
        let doc = crate::document::parse(text.to_string());
        let off = text.find(needle).unwrap();
        (doc, off)
    }

    /// The one pass finds the apostrophes that the byte search finds, and the punctuation
    /// that the spacing rule's class marks alone, on the seeds in both languages and on texts
    /// with apostrophes and look-alikes (U+x019 with other lead bytes) at every distance from
    /// the blocks' edges.
    #[test]
    fn prose_marks_are_the_searches() {
        assert_class_agrees::<ProseCandidates<true>>();
        assert_class_agrees::<ProseCandidates<false>>();
        let piece =
            "l’a d'x ’ ' \u{1019} \u{2019}\u{2018}\u{201c}\u{3019} , . ; « » - \u{a0}\u{202f}é ï ę \u{20af}";
        let mut texts = crate::test_support::seed_texts();
        for cut in (0..piece.len()).filter(|&i| piece.is_char_boundary(i)) {
            texts.push(piece[cut..].repeat(9));
            texts.push(piece[..cut].to_string());
        }
        for text in texts {
            let mut doc = crate::document::parse(text);
            // The prose, which the rules search (furniture lines blanked).
            let text = doc.prose.clone();
            for lang in [Lang::Fr, Lang::En] {
                doc.lang = lang;
                doc.cache.typography = SharedScans::default();
                let want: Vec<(usize, char)> = apostrophes(&text).collect();
                assert_eq!(shared_apostrophes(&doc).collect::<Vec<_>>(), want);
                let punct: Vec<usize> = if lang == Lang::Fr {
                    marked::<spacing::PunctuationMarks<true>>(text.as_bytes()).collect()
                } else {
                    marked::<spacing::PunctuationMarks<false>>(text.as_bytes()).collect()
                };
                let got: Vec<usize> = shared_punctuation(&doc)
                    .unwrap()
                    .iter()
                    .map(|&p| p as usize)
                    .collect();
                assert_eq!(got, punct);
            }
        }
    }

    #[test]
    fn sentence_starts() {
        let text = "Projet\n\n1. A sa séance, la Commission a\nIla résolution. A la fin\n\nA cet égard, rien.\n";
        for (needle, want) in [
            ("A sa", true),
            ("la Commission", false),
            ("Ila", false),
            ("A la", true),
            // After a blank line but mid-sentence (a page break): not a start.
            ("A cet", false),
        ] {
            let (doc, off) = at(text, needle);
            assert_eq!(sentence_start(&doc, off), want, "{needle}");
        }
    }

    #[test]
    fn markers_are_short_ascii() {
        for m in EN_MARKERS.iter().chain(FR_MARKERS) {
            assert!(m.len() <= MARKER_MAX && m.bytes().all(|b| b.is_ascii_lowercase()));
            assert!(!m.contains('k'));
        }
        for w in ["the", "of", "le", "aux", "dans", "thé", "a", "sa"] {
            let want = if EN_MARKERS.contains(&w) {
                Some(Lang::En)
            } else if FR_MARKERS.contains(&w) {
                Some(Lang::Fr)
            } else {
                None
            };
            assert_eq!(marker(w.as_bytes()), want, "{w}");
        }
        for m in EN_MARKERS.iter().chain(FR_MARKERS) {
            assert!(marker(m.as_bytes()).is_some(), "{m}");
        }
        let mut buf = [0; MARKER_MAX];
        assert_eq!(ascii_lower_short("The", &mut buf), Some(&b"the"[..]));
        assert_eq!(ascii_lower_short("États", &mut buf), None);
    }

    #[test]
    fn english_and_code_contexts() {
        let text = "Projet\n\n1. Le rapport de la Commission sur les travaux de sa session et sur la suite donnée aux recommandations du Groupe cite « Protection of the Children and the Rights of the Victims in the World » et voir http://x.org/a:b ici.\n";
        let (doc, off) = at(text, "Children");
        assert!(english_context(&doc, off));
        let (doc, off) = at(text, "rapport");
        assert!(!english_context(&doc, off));
        // The markers per spelling give the same answer at every offset.
        let markers = Markers::new(&doc);
        for off in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            assert_eq!(markers.english(off), english_context(&doc, off), "{off}");
        }
        for (i, t) in doc.words().tokens().enumerate() {
            assert_eq!(doc.words().index_at(t.start()), i);
            assert_eq!(markers.english_at_token(i), markers.english(t.start()));
        }
        let (doc, off) = at(text, "a:b");
        assert!(in_code_or_url(&doc, off));
        let (doc, off) = at(text, "ici");
        assert!(!in_code_or_url(&doc, off));
    }

    /// The marks of `doc`, after checking the cursor and `furniture_or_code` over them against
    /// the two tests at every offset.
    fn marks_checked_by_cursor(doc: &Document) -> Vec<usize> {
        let text = doc.text();
        let marks = code_or_url_marks(doc);
        let mut cursor = LineCursor::new(doc, &marks);
        for off in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let want = doc.is_furniture(off) || in_code_or_url(doc, off);
            assert_eq!(cursor.skip(off), want, "{off}");
            assert_eq!(furniture_or_code(doc, &marks, off), want, "{off}");
        }
        marks
    }

    /// The line cursor answers as the two tests it stands for, at every offset.
    #[test]
    fn line_cursor_is_furniture_or_code() {
        let text = "Projet\n\nGE.20-01234 (F)\n1. Voir http://x.org/a ici, `code` et a@b.fr.\nRien www.un.org là.\n\nFin : ok/non.\n";
        let doc = crate::document::parse(text.to_string());
        let marks = marks_checked_by_cursor(&doc);
        let at = |s: &str| text.find(s).unwrap();
        // Not Markdown: the backticks are no code span.
        assert!(!doc.markdown);
        assert_eq!(marks, [at("://") + 1, at("@"), at("www.")]);
        // Markdown, and English (`www.` found as a whole).
        let md = format!("# Title\n\n{}", text.replace("Rien", "The"));
        let mut doc = crate::document::parse(md.clone());
        assert!(doc.markdown);
        for lang in [Lang::Fr, Lang::En] {
            doc.lang = lang;
            let marks = marks_checked_by_cursor(&doc);
            let at = |s: &str| md.find(s).unwrap();
            let want = [
                at("://") + 1,
                at("`code"),
                at("code`") + 4,
                at("@"),
                at("www."),
            ];
            assert_eq!(marks, want);
        }
    }

    /// The cursor answers as the two tests on the seeds too (furniture lines, symbols,
    /// footnotes with links), at every offset, in both languages.
    #[test]
    fn line_cursor_is_furniture_or_code_on_the_seeds() {
        for text in crate::test_support::seed_texts() {
            let mut doc = crate::document::parse(text);
            for lang in [Lang::Fr, Lang::En] {
                doc.lang = lang;
                marks_checked_by_cursor(&doc);
            }
        }
    }

    /// The chunk read from a widening window is the chunk of the whole original line: long
    /// chunks, a link's target blanked in the prose, characters of 2 to 4 bytes at every
    /// distance from the window's edges.
    #[test]
    fn chunk_around_is_the_chunk_of_the_line() {
        let long = "é".repeat(200) + "x" + &"€".repeat(150) + "𝄞";
        let md = format!(
            "# Titre\n\n1. Voir {long}[lien](http://u.org/{long}){long} et\u{a0}{long} fin.\n"
        );
        let doc = crate::document::parse(md.clone());
        assert!(doc.markdown);
        assert_ne!(doc.prose, md);
        for line in &doc.lines {
            let text = &md[line.span()];
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let start = text[..at]
                    .char_indices()
                    .rfind(|(_, c)| c.is_whitespace())
                    .map_or(0, |(p, c)| p + c.len_utf8());
                let end = text[at..]
                    .find(char::is_whitespace)
                    .map_or(text.len(), |p| at + p);
                let got = chunk_around(&doc, line.span(), line.start() + at);
                assert_eq!(got, &text[start..end], "{at}");
            }
        }
    }

    /// The marks are those of the original text, found where the prose blanked them too: a
    /// link's target, a furniture line's undocs.org address, a word cut by a blank's edge.
    #[test]
    fn marks_are_the_original_texts() {
        let md = "# Titre\n\nProjet\n\n1. Voir [le site](https://www.un.org/x) et [**www.**](www.y.org) ou a@b.fr, `code`.\n\nhttps://undocs.org/fr/A/RES/70/1\n\n2. Suite http:**//**non et www**.**non.\n";
        let mut doc = crate::document::parse(md.to_string());
        assert!(doc.markdown);
        assert_ne!(doc.prose, md, "the prose blanks something");
        for lang in [Lang::Fr, Lang::En] {
            doc.lang = lang;
            // What the search finds in a copy of the whole text, the way it was written.
            let text = doc.text().as_bytes();
            let mut want: Vec<usize> = Vec::new();
            for i in 0..text.len() {
                match text[i] {
                    b'@' | b'`' => want.push(i),
                    b':' if text[i + 1..].starts_with(b"//") => want.push(i + 1),
                    b'w' if text[i..].starts_with(b"www.") => want.push(i),
                    _ => {}
                }
            }
            assert_eq!(marks_checked_by_cursor(&doc), want, "{lang:?}");
        }
    }
}
