//! Word tokens and the document's own vocabulary, for the typography rules.
//!
//! One pass over [`Document::prose`](crate::document::Document::prose): every maximal run of
//! letters (plus the OCR confusables `¢` and digits glued to letters, so that « pri¢ » and
//! « 1égislation » stay one token) becomes a [`Token`]; words made only of letters are counted
//! (lower-cased) into the vocabulary. Page furniture is already blanked out of `prose`.
//!
//! The pass works on bytes: an ASCII byte is classified by a table, and only a non-ASCII byte
//! decodes its character. Each distinct spelling (exact bytes) of a token is hashed once per
//! occurrence and gets an id ([`Token::spelling`]); the vocabulary is built from the distinct
//! spellings at the end, so a word is lower-cased once, not at every occurrence.

use crate::document::{Document, Span};
use rustc_hash::FxHashMap;

/// One token of the prose, as the rules see it. Tokens are stored in 8 bytes ([`Stored`]) and
/// this value is rebuilt on reading: a large document has millions of them, and they were the
/// process's largest allocation. Offsets fit in `u32` because [`extract`] gives a document of
/// 4 GiB or more no tokens at all.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    start: u32,
    end: u32,
    /// The spelling id, with [`CLEAN`] set when the token is clean.
    spelling_clean: u32,
}

/// A token as stored: its start and spelling. Its end is not kept, as the spelling (the exact
/// bytes) says how long it is.
#[derive(Debug, Clone, Copy)]
struct Stored {
    start: u32,
    spelling_clean: u32,
}

/// The bit of [`Token::spelling_clean`] that holds [`Token::clean`]: spelling ids stay below
/// it, as a token takes at least two bytes of text (itself and a separator) but the last.
const CLEAN: u32 = 1 << 31;

impl Token {
    /// The token's byte range in the prose.
    #[inline]
    pub fn span(&self) -> Span {
        self.start()..self.end()
    }
    #[inline]
    pub fn start(&self) -> usize {
        self.start as usize
    }
    #[inline]
    pub fn end(&self) -> usize {
        self.end as usize
    }
    /// Only letters (no `¢`, no digit): a candidate vocabulary word.
    #[inline]
    pub fn clean(&self) -> bool {
        self.spelling_clean & CLEAN != 0
    }
    /// Index of the token's exact spelling in [`Words::spellings`]: two tokens with the same
    /// bytes have the same id, so a rule can memoise per spelling in a `Vec` without hashing.
    #[inline]
    pub fn spelling(&self) -> u32 {
        self.spelling_clean & !CLEAN
    }
}

/// Every token of a document and how often each clean word occurs.
#[derive(Debug, Default)]
pub struct Words {
    /// The tokens in text order; read them through [`Words::tokens`] and [`Words::token`].
    stored: Vec<Stored>,
    /// The byte length of each spelling, by spelling id (a token's end is its start plus it).
    spelling_len: Vec<u32>,
    /// Lower-cased clean words → number of occurrences.
    pub counts: FxHashMap<String, u32>,
    /// The first occurrence of each distinct spelling, indexed by [`Token::spelling`].
    pub spellings: Vec<Span>,
    /// Whether the tokens of each spelling are clean ([`Token::clean`]), by spelling id.
    pub spelling_clean: Vec<bool>,
    /// The end of every [`SAMPLE`]th token (0, SAMPLE, 2 SAMPLE…), for [`Words::index_at`].
    sampled_ends: Vec<u32>,
}

/// One token in this many has its end in [`Words::sampled_ends`].
const SAMPLE: usize = 64;

impl Words {
    /// How often the document uses `word` (compared lower-cased).
    pub fn count(&self, word: &str) -> u32 {
        self.count_lower(&word.to_lowercase())
    }
    /// How often the document uses `lower`, already lower-cased.
    pub fn count_lower(&self, lower: &str) -> u32 {
        self.counts.get(lower).copied().unwrap_or(0)
    }
    /// How many tokens the document has.
    pub fn len(&self) -> usize {
        self.stored.len()
    }
    pub fn is_empty(&self) -> bool {
        self.stored.is_empty()
    }
    /// The `i`th token (panics past the end, like indexing).
    #[inline]
    pub fn token(&self, i: usize) -> Token {
        self.rebuild(self.stored[i])
    }
    /// The `i`th token, if there is one.
    #[inline]
    pub fn get(&self, i: usize) -> Option<Token> {
        self.stored.get(i).map(|&s| self.rebuild(s))
    }
    /// The tokens in text order.
    pub fn tokens(
        &self,
    ) -> impl DoubleEndedIterator<Item = Token> + ExactSizeIterator + Clone + '_ {
        self.tokens_in(0..self.stored.len())
    }
    /// The tokens with indices in `range`, in text order.
    pub fn tokens_in(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl DoubleEndedIterator<Item = Token> + ExactSizeIterator + Clone + '_ {
        self.stored[range].iter().map(|&s| self.rebuild(s))
    }
    #[inline]
    fn rebuild(&self, s: Stored) -> Token {
        let spelling = s.spelling_clean & !CLEAN;
        Token {
            start: s.start,
            end: s.start + self.spelling_len[spelling as usize],
            spelling_clean: s.spelling_clean,
        }
    }
    /// Index of the token containing or starting after `offset`.
    pub fn index_at(&self, offset: usize) -> usize {
        // The sampled ends narrow the search to one block of tokens: a binary search over all
        // tokens of a large document misses the cache at nearly every step.
        let p = self
            .sampled_ends
            .partition_point(|&e| (e as usize) <= offset);
        let lo = if p == 0 { 0 } else { (p - 1) * SAMPLE + 1 };
        let hi = (p * SAMPLE).min(self.stored.len());
        // A partition point by hand: the ends are rebuilt, not stored.
        let (mut lo, mut hi) = (lo, hi);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.token(mid).end() <= offset {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// Characters that belong to a token.
pub fn is_word_char(c: char) -> bool {
    is_alphabetic(c) || c == '¢' || c.is_ascii_digit()
}

/// `char::is_alphabetic`, with the blocks French text uses most answered without the Unicode
/// table search (`lookup_slow`): Latin-1 and Latin Extended-A/B, and General Punctuation
/// (« ’ », « – », the narrow no-break space). A test checks it against the standard library
/// for every character.
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphabetic(),
        // Latin-1 Supplement: only « ª », « µ », « º » below À; then every letter but × and ÷.
        0x80..=0xBF => matches!(c, 'ª' | 'µ' | 'º'),
        0xC0..=0x24F => c != '×' && c != '÷',
        0x2000..=0x206F => false,
        _ => c.is_alphabetic(),
    }
}

/// Class of a character for the token scan.
const OTHER: u8 = 0;
/// A letter (`is_alphabetic`).
const LETTER: u8 = 1;
/// A word character that is not a letter: an ASCII digit or `¢`.
const MARK: u8 = 2;
/// A byte that starts a multi-byte character: decode it.
const NON_ASCII: u8 = 3;

/// The class of each byte; ASCII bytes are final.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b'0'..=b'9' => MARK,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

/// The class and byte length of the non-ASCII character at `i` (a character boundary).
#[cold]
fn non_ascii_class(text: &str, i: usize) -> (u8, usize) {
    let c = text[i..].chars().next().unwrap_or(' ');
    let class = if is_alphabetic(c) {
        LETTER
    } else if c == '¢' {
        MARK
    } else {
        OTHER
    };
    (class, c.len_utf8())
}

/// The end of the run of ASCII letters at `i`, 8 bytes at a time while 8 bytes remain (the
/// byte loop after it finishes the run, and takes the non-ASCII letters): most tokens are
/// short ASCII words, found in one or two steps instead of one table look-up per byte.
#[inline]
fn ascii_letters_end(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        // Per byte, on its low 7 bits folded to lower case: the high bit of `ge_a` says
        // "at least `a`", that of `ge_brace` "at least `{`"; no sum carries into the next byte.
        let lower7 = (w | (ONES * 0x20)) & !HIGH;
        let ge_a = lower7 + ONES * (0x80 - u64::from(b'a'));
        let ge_brace = lower7 + ONES * (0x80 - u64::from(b'{'));
        let letter = ge_a & !ge_brace & !w & HIGH;
        let other = !letter & HIGH;
        if other != 0 {
            return i + (other.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// A word of at most 8 bytes packed into an integer (zero-padded: a token has no NUL byte),
/// so that the frequent short words are hashed and compared as one `u64`.
fn pack(word: &[u8]) -> Option<u64> {
    if word.len() > 8 {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[..word.len()].copy_from_slice(word);
    Some(u64::from_le_bytes(buf))
}

/// Spelling ids of the short words, keyed by [`pack`]: an open-addressing table with
/// Fibonacci hashing and linear probing. A token is looked up at every occurrence, and the
/// general-purpose map spent about 100 instructions per look-up (its entry API, SipHash-free
/// but generic probing); this one takes a multiply, a shift and usually one compare.
struct ShortIds {
    /// `(key, id)`; key 0 marks an empty slot (a packed word is never 0: its first byte is a
    /// letter or digit).
    slots: Vec<(u64, u32)>,
    /// log2 of `slots.len()`.
    bits: u32,
    len: usize,
}

impl ShortIds {
    fn new() -> Self {
        ShortIds {
            slots: vec![(0, 0); 1 << 10],
            bits: 10,
            len: 0,
        }
    }
    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }
    /// The id of `key`, inserting `next` for it when it is new.
    #[inline]
    fn get_or_insert(&mut self, key: u64, next: u32) -> u32 {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        loop {
            let (k, id) = self.slots[i];
            if k == key {
                return id;
            }
            if k == 0 {
                self.slots[i] = (key, next);
                self.len += 1;
                // At most half full, so probes stay short.
                if self.len * 2 > self.slots.len() {
                    self.grow();
                }
                return next;
            }
            i = (i + 1) & mask;
        }
    }
    #[cold]
    fn grow(&mut self) {
        let doubled = vec![(0, 0); self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        self.bits += 1;
        let mask = self.slots.len() - 1;
        for (k, id) in old.into_iter().filter(|&(k, _)| k != 0) {
            let mut i = self.slot(k);
            while self.slots[i].0 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = (k, id);
        }
    }
}

fn extract(doc: &Document) -> Words {
    let prose = doc.prose.as_str();
    let bytes = prose.as_bytes();
    let n = bytes.len();
    // Token offsets are `u32`. Documents are far smaller; one this large simply has no words
    // (its typography rules find nothing) rather than wrong offsets.
    if u32::try_from(n).is_err() {
        return Words::default();
    }
    // French prose has about one token per 7 bytes: reserving a little more avoids the copy
    // of a growth (pages reserved but never written cost no memory).
    let mut tokens = crate::memory::vec_with_capacity(n / 5);
    // Spelling ids: short words by their packed bytes, longer ones by their text.
    let mut short_ids = ShortIds::new();
    let mut long_ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut spellings: Vec<Span> = Vec::new();
    // Per spelling: occurrences and whether it is clean (a property of its bytes).
    let mut occurrences: Vec<(u32, bool)> = Vec::new();
    let class_of = |i: usize| BYTE_CLASS[usize::from(bytes[i])];
    let mut i = 0;
    while i < n {
        // Between tokens: ASCII non-word bytes one table look-up each.
        match class_of(i) {
            OTHER => {
                i += 1;
                continue;
            }
            NON_ASCII => {
                let (class, len) = non_ascii_class(prose, i);
                if class == OTHER {
                    i += len;
                    continue;
                }
            }
            _ => {}
        }
        let start = i;
        let (mut letters, mut clean) = (false, true);
        while i < n {
            let run = i;
            i = ascii_letters_end(bytes, i);
            while i < n && class_of(i) == LETTER {
                i += 1;
            }
            letters |= i > run;
            if i == n {
                break;
            }
            let (class, len) = match class_of(i) {
                NON_ASCII => non_ascii_class(prose, i),
                class => (class, 1),
            };
            match class {
                LETTER => letters = true,
                MARK => clean = false,
                _ => break,
            }
            i += len;
        }
        // `i` is at the end of the text or at a non-word character, which the next round skips.
        if letters {
            let next_id = spellings.len() as u32;
            let id = match pack(&bytes[start..i]) {
                Some(key) => short_ids.get_or_insert(key, next_id),
                None => *long_ids.entry(&prose[start..i]).or_insert(next_id),
            };
            if id == next_id {
                spellings.push(start..i);
                occurrences.push((0, clean));
            }
            occurrences[id as usize].0 += 1;
            tokens.push(Stored {
                start: start as u32,
                spelling_clean: id | if clean { CLEAN } else { 0 },
            });
        }
    }
    let mut counts: FxHashMap<String, u32> = FxHashMap::default();
    let mut lower = String::new();
    for (span, &(occ, clean)) in spellings.iter().zip(&occurrences) {
        if clean {
            crate::text::lower_into(&prose[span.clone()], &mut lower);
            match counts.get_mut(lower.as_str()) {
                Some(c) => *c += occ,
                None => {
                    counts.insert(lower.clone(), occ);
                }
            }
        }
    }
    let spelling_clean = occurrences.iter().map(|&(_, clean)| clean).collect();
    let spelling_len: Vec<u32> = spellings.iter().map(|s| s.len() as u32).collect();
    let sampled_ends = tokens
        .iter()
        .step_by(SAMPLE)
        .map(|t: &Stored| t.start + spelling_len[(t.spelling_clean & !CLEAN) as usize])
        .collect();
    Words {
        stored: tokens,
        spelling_len,
        counts,
        spellings,
        spelling_clean,
        sampled_ends,
    }
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
        let toks: Vec<&str> = w.tokens().map(|t| &doc.text[t.span()]).collect();
        assert!(toks.contains(&"pri¢"));
        assert!(toks.contains(&"1égislation"));
        assert_eq!(w.count("états"), 2);
        assert_eq!(w.count("pri¢"), 0);
        let etats: Vec<u32> = w
            .tokens()
            .filter(|t| &doc.text[t.span()] == "États")
            .map(|t| t.spelling())
            .collect();
        assert_eq!(etats.len(), 2);
        assert_eq!(etats[0], etats[1]);
        assert_eq!(&doc.text[w.spellings[etats[0] as usize].clone()], "États");
    }

    #[test]
    fn index_at_is_a_partition_point() {
        let text: String = (0..300).map(|i| format!("w{} mot, ", i % 7)).collect();
        let doc = crate::document::parse(format!("Projet\n\n{text}\n"));
        let w = doc.words();
        assert!(w.len() > 2 * super::SAMPLE);
        let tokens: Vec<super::Token> = w.tokens().collect();
        for offset in 0..doc.text.len() + 2 {
            let want = tokens.partition_point(|t| t.end() <= offset);
            assert_eq!(w.index_at(offset), want, "{offset}");
        }
    }

    #[test]
    fn ascii_letters_end_is_the_byte_loop() {
        let text = b"abcXYZ@[`{ zZaA09\xc3\xa9mot motsmotsmotsmots, Etats-Unis";
        for i in 0..text.len() {
            let want = i + text[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
            let got = super::ascii_letters_end(text, i);
            // The fast scan stops at the last full chunk; the byte loop finishes.
            assert!(got <= want, "{i}");
            let rest = got
                + text[got..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
            assert_eq!(rest, want, "{i}");
            assert!(got == want || text.len() - got < 8, "{i}");
        }
        for b in 0..=255u8 {
            let chunk = [b; 8];
            let want = if b.is_ascii_alphabetic() { 8 } else { 0 };
            assert_eq!(super::ascii_letters_end(&chunk, 0), want, "{b}");
        }
    }

    #[test]
    fn is_alphabetic_is_the_standard_one() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(super::is_alphabetic(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn vocabulary_sums_the_cases() {
        let doc = crate::document::parse("Projet\n\nÉtat, état, ÉTAT et 3état.\n".into());
        let w = doc.words();
        assert_eq!(w.count("état"), 3);
        assert_eq!(w.len(), 6);
        assert!(!w.token(5).clean());
    }
}
