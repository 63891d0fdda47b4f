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

/// One token of the prose, as the rules see it. Tokens are stored in 4 bytes (see [`Words`])
/// and this value is rebuilt on reading: a large document has millions of them, and they were
/// the process's largest allocation. Offsets fit in `u32` because [`extract`] gives a document
/// of 4 GiB or more no tokens at all.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    start: u32,
    end: u32,
    /// The spelling id shifted left by one, with [`CLEAN`] set when the token is clean.
    spelling_clean: u32,
}

/// The bit of [`Token::spelling_clean`] that holds [`Token::clean`]; the spelling id is above
/// it. Ids stay far below 2^31: each distinct spelling takes at least two bytes of text
/// (itself and a separator) but the last, and a document has less than 4 GiB.
const CLEAN: u32 = 1;

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
        self.spelling_clean >> 1
    }
}

/// Every token of a document and how often each clean word occurs.
///
/// A token is stored in one `u32`: its spelling ([`Token::spelling_clean`], 24 bits) and the
/// gap since the previous token's end (8 bits). Its length is its spelling's, so its start and
/// end follow from the previous token's. A 20 MB report has 3 million tokens; stored with
/// their offsets (8 bytes) they took more memory than the text, and the memory of this process
/// is also its time (the kernel zeroes every page it touches first). Reading the tokens in
/// order costs the same as before; a token read by index is rebuilt from the nearest
/// [`SAMPLE`]th token, whose start is kept. The rare token that does not fit (a gap of 255
/// bytes or more, a spelling id of 2^23 or more) is [`WIDE`]: kept whole in a side table.
#[derive(Debug, Default)]
pub struct Words {
    /// Each token in text order: [`Token::spelling_clean`] << 8 | the gap between its start
    /// and the previous token's end (the first token's: its start), or [`WIDE`].
    tokens: Vec<u32>,
    /// The tokens whose gap byte is [`WIDE`], by index.
    wide: Vec<WideToken>,
    /// The start of every [`SAMPLE`]th token (0, SAMPLE, 2 SAMPLE…).
    sampled_starts: Vec<u32>,
    /// The byte length of each spelling, by spelling id (a token's end is its start plus it).
    spelling_len: Vec<u32>,
    /// Lower-cased clean words → number of occurrences.
    pub counts: Vocabulary,
    /// The entry of each clean spelling's lower case in `counts`, by spelling id
    /// ([`NO_ENTRY`] for the others): [`Words::lower_count`] without lower-casing or hashing.
    entry_of_spelling: Vec<u32>,
    /// The [`Vocabulary::hash`] of each clean spelling's lower case, by spelling id (0 for the
    /// others): [`Words::lower_hashes`].
    lower_hashes: Vec<u64>,
    /// Candidates for [`Words::repeats`], found during the token pass.
    maybe_repeats: Vec<u32>,
    /// The first occurrence of each distinct spelling, indexed by [`Token::spelling`].
    pub spellings: Vec<Span>,
    /// The index of the token of that first occurrence, by spelling id.
    first_token: Vec<u32>,
    /// Whether the tokens of each spelling are clean ([`Token::clean`]), by spelling id.
    pub spelling_clean: Vec<bool>,
    /// Whether each spelling is made of ASCII and Latin-1 letters only (every byte below `C4`,
    /// no digit, no « ¢ »), by spelling id: its lower case ([`crate::text::lower_into`]) is
    /// then that of each character in place, at the same offsets, so [`Words::lower_hash`] is
    /// the hash of the word lower-cased character by character. Exact, where
    /// [`Words::spelling_clean`] may miss a digit of a run of 9 to 16 bytes (see
    /// [`short_run_class_words`]).
    pub spelling_latin1_letters: Vec<bool>,
}

/// [`Words::entry_of_spelling`] of a spelling that is not in the vocabulary.
const NO_ENTRY: u32 = u32::MAX;

/// One token in this many has its start in [`Words::sampled_starts`]: a token read by index
/// is rebuilt from at most `SAMPLE - 1` gaps.
const SAMPLE: usize = 32;

/// The gap byte of a token of [`Words::tokens`] that is kept whole in [`Words::wide`].
const WIDE: u32 = 0xFF;

/// The [`Token::spelling_clean`] values that fit in the 24 bits above a token's gap byte. Unit
/// tests lower it to exercise [`Words::wide`] with a few dozen spellings.
const PACKED_LIMIT: u32 = if cfg!(test) { 64 } else { 1 << 24 };

/// A token of [`Words::wide`]: its index, start and [`Token::spelling_clean`].
#[derive(Debug, Clone, Copy)]
struct WideToken {
    index: u32,
    start: u32,
    spelling_clean: u32,
}

impl Words {
    /// How often the document uses `word` (compared lower-cased).
    pub fn count(&self, word: &str) -> u32 {
        self.count_lower(&word.to_lowercase())
    }
    /// How often the document uses `lower`, already lower-cased.
    pub fn count_lower(&self, lower: &str) -> u32 {
        self.counts.get(lower).copied().unwrap_or(0)
    }
    /// How often the document uses the spelling `spelling` lower-cased (« États » counts
    /// « états » too): `count_lower` of a token's own word, one array read. 0 for a spelling
    /// that is not clean ([`Token::clean`]), as it is not in the vocabulary.
    pub fn lower_count(&self, spelling: u32) -> u32 {
        match self.entry_of_spelling.get(spelling as usize) {
            Some(&e) if e != NO_ENTRY => self.counts.entries[e as usize].count,
            _ => 0,
        }
    }
    /// The [`Vocabulary::hash`] of the lower case of spelling `spelling` (its vocabulary key),
    /// if the spelling is clean ([`Token::clean`]): read from its vocabulary entry, so that a
    /// rule screening the spellings by their lower case hashes none of them again.
    pub fn lower_hash(&self, spelling: u32) -> Option<u64> {
        match self.entry_of_spelling.get(spelling as usize) {
            Some(&e) if e != NO_ENTRY => Some(self.counts.entries[e as usize].hash),
            _ => None,
        }
    }
    /// [`Words::lower_hash`] of every spelling, by spelling id, 0 for a spelling that is not
    /// clean: a rule screening every spelling by its lower case reads them in order, not each
    /// from its vocabulary entry (a cache miss for many).
    pub fn lower_hashes(&self) -> &[u64] {
        &self.lower_hashes
    }
    /// The index of the token containing or starting after `offset` ([`Words::index_at`]) and
    /// the token before it, if any, from one walk: [`Words::token`] of the index less one would
    /// walk again from the same sampled token.
    pub fn index_at_and_token_before(&self, offset: usize) -> (usize, Option<Token>) {
        let p = self
            .sampled_starts
            .partition_point(|&s| (s as usize) <= offset);
        if p == 0 {
            return (0, None);
        }
        let first = (p - 1) * SAMPLE;
        let mut i = first;
        let mut before = None;
        for t in self.at_sample(first, self.len()) {
            if t.end() > offset {
                break;
            }
            before = Some(t);
            i += 1;
        }
        if i == first && first > 0 {
            before = self.get(first - 1);
        }
        (i, before)
    }
    /// How often the document uses the lower case of spelling `a` followed by that of spelling
    /// `b` (« Cybercriminali » + « té » → « cybercriminalité »), both clean ([`Token::clean`];
    /// 0 otherwise): from their vocabulary entries, without joining, lower-casing or hashing.
    /// This is `count_lower` of the two spellings joined and lower-cased unless one holds a
    /// « Σ », whose lower case depends on what follows it.
    pub fn joined_lower_count(&self, a: u32, b: u32) -> u32 {
        let entry = |s: u32| match self.entry_of_spelling.get(s as usize) {
            Some(&e) if e != NO_ENTRY => Some(e as usize),
            _ => None,
        };
        match (entry(a), entry(b)) {
            (Some(a), Some(b)) => self
                .counts
                .joined(a, b)
                .map_or(0, |e| self.counts.entries[e].count),
            _ => 0,
        }
    }
    /// The indices `i` of the tokens that are the same clean word as token `i - 1`, compared
    /// lower-cased (« les les », « Les les »), in text order. The token pass notes the
    /// neighbours whose bytes are equal once the 0x20 bit of each is set (a superset for the
    /// case pairs of ASCII and Latin-1; a pair such as « Œ »/« œ », whose bytes differ
    /// otherwise, is not seen), so a rule looking for doubled words never reads the millions
    /// of other tokens; the vocabulary entries then keep the exact pairs.
    pub fn repeats(&self) -> impl Iterator<Item = usize> + '_ {
        let entry = |i: usize| self.entry_of_spelling[(self.id(i) >> 1) as usize];
        self.maybe_repeats
            .iter()
            .map(|&i| i as usize)
            .filter(move |&i| {
                // (`i > 0`: the first token matches the pass's initial key only by chance.)
                let e = entry(i);
                i > 0 && e != NO_ENTRY && e == entry(i - 1)
            })
    }
    /// How many tokens the document has.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
    /// [`Token::spelling_clean`] of the `i`th token.
    #[inline]
    fn id(&self, i: usize) -> u32 {
        match self.tokens[i] {
            packed if packed & 0xFF != WIDE => packed >> 8,
            _ => self.wide[self.wide_from(i)].spelling_clean,
        }
    }
    /// The index in [`Words::wide`] of the first wide token at or after token `i`.
    fn wide_from(&self, i: usize) -> usize {
        self.wide.partition_point(|w| (w.index as usize) < i)
    }
    /// The `i`th token (panics past the end, like indexing).
    pub fn token(&self, i: usize) -> Token {
        match self.get(i) {
            Some(t) => t,
            None => panic!("token {i} of {}", self.len()),
        }
    }
    /// The `i`th token, if there is one.
    pub fn get(&self, i: usize) -> Option<Token> {
        self.tokens_in(i..self.len().min(i + 1)).next()
    }
    /// The spelling ids ([`Token::spelling`]) of the tokens with indices in `range`: cheaper
    /// than [`Words::tokens_in`] for a rule that needs only what the tokens are, not where.
    pub fn spellings_in(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = u32> + '_ {
        let mut wide = self.wide[self.wide_from(range.start)..].iter();
        self.tokens[range].iter().map(move |&packed| {
            if packed & 0xFF != WIDE {
                packed >> 9
            } else {
                wide.next().map_or(0, |w| w.spelling_clean >> 1)
            }
        })
    }
    /// The index of the first token from index `from` on whose spelling ([`Token::spelling`])
    /// passes `is`: `spellings_in(from..len).position(is)`, without the test for a wide token
    /// at every token (the packed tokens between two wide ones are read as a plain slice).
    /// `is` may be asked more than once about a spelling.
    #[inline]
    pub fn position_from(&self, from: usize, is: impl Fn(u32) -> bool) -> Option<usize> {
        // The index of the first packed token of `tokens` that passes. Four tokens at a time,
        // their answers or-ed: one branch per four tokens where nearly every answer is no (the
        // OCR rule's search for its few active spellings among every token); the four that
        // hold the answer are asked again one by one.
        #[inline(always)]
        fn first_in(tokens: &[u32], is: &impl Fn(u32) -> bool) -> Option<usize> {
            let mut quads = tokens.chunks_exact(4);
            let mut at = 0;
            for q in &mut quads {
                if is(q[0] >> 9) | is(q[1] >> 9) | is(q[2] >> 9) | is(q[3] >> 9) {
                    break;
                }
                at += 4;
            }
            let mut quad = tokens[at..].iter().take(4);
            Some(at + quad.position(|&packed| is(packed >> 9))?)
        }
        let mut at = from;
        for wide in &self.wide[self.wide_from(from)..] {
            let until = wide.index as usize;
            if let Some(k) = first_in(&self.tokens[at..until], &is) {
                return Some(at + k);
            }
            if is(wide.spelling_clean >> 1) {
                return Some(until);
            }
            at = until + 1;
        }
        Some(at + first_in(&self.tokens[at..], &is)?)
    }
    /// The first token of spelling `spelling` and its index: a spelling used once (say, a
    /// word whose [`Words::lower_count`] is 1) is found without reading the tokens.
    pub fn first_token(&self, spelling: u32) -> (usize, Token) {
        let s = spelling as usize;
        let span = &self.spellings[s];
        let clean = if self.spelling_clean[s] { CLEAN } else { 0 };
        let token = Token {
            start: span.start as u32,
            end: span.end as u32,
            spelling_clean: spelling << 1 | clean,
        };
        (self.first_token[s] as usize, token)
    }
    /// The token `i + 1`, if any, rebuilt from `t`, the token `i`: one step instead of up to
    /// [`SAMPLE`] for [`Words::get`].
    pub fn token_after(&self, i: usize, t: Token) -> Option<Token> {
        let packed = *self.tokens.get(i + 1)?;
        if packed & 0xFF == WIDE {
            return self.get(i + 1);
        }
        let start = t.end + (packed & 0xFF);
        let spelling_clean = packed >> 8;
        Some(Token {
            start,
            end: start + self.spelling_len[(spelling_clean >> 1) as usize],
            spelling_clean,
        })
    }
    /// The token `i - 1`, if any, rebuilt from `t`, the token `i` (see [`Words::token_after`]).
    pub fn token_before(&self, i: usize, t: Token) -> Option<Token> {
        let (before, packed) = (*self.tokens.get(i.checked_sub(1)?)?, self.tokens[i]);
        if before & 0xFF == WIDE || packed & 0xFF == WIDE {
            return self.get(i - 1);
        }
        let end = t.start - (packed & 0xFF);
        let spelling_clean = before >> 8;
        Some(Token {
            start: end - self.spelling_len[(spelling_clean >> 1) as usize],
            end,
            spelling_clean,
        })
    }
    /// The tokens in text order.
    pub fn tokens(&self) -> Tokens<'_> {
        self.tokens_in(0..self.len())
    }
    /// The tokens with indices in `range`, in text order.
    pub fn tokens_in(&self, range: std::ops::Range<usize>) -> Tokens<'_> {
        let end = range.end.min(self.len());
        if range.start >= end {
            return Tokens {
                tokens: self.tokens[..0].iter(),
                spelling_len: &self.spelling_len,
                wide: self.wide[..0].iter(),
                prev_end: 0,
            };
        }
        let sample = range.start / SAMPLE * SAMPLE;
        let mut tokens = self.at_sample(sample, end);
        for _ in sample..range.start {
            tokens.next();
        }
        tokens
    }
    /// The tokens from the sampled token `i` (a multiple of [`SAMPLE`], below `end`) to `end`.
    fn at_sample(&self, i: usize, end: usize) -> Tokens<'_> {
        // The iterator adds the token's gap to the previous end; when the token is wide, its
        // start comes from `wide`, whose cursor is then on the token's own entry.
        let start = self.sampled_starts[i / SAMPLE];
        let gap = match self.tokens[i] & 0xFF {
            WIDE => 0,
            gap => gap,
        };
        Tokens {
            tokens: self.tokens[i..end].iter(),
            spelling_len: &self.spelling_len,
            wide: self.wide[self.wide_from(i)..].iter(),
            prev_end: start - gap,
        }
    }
    /// Index of the token containing or starting after `offset`.
    pub fn index_at(&self, offset: usize) -> usize {
        // The last sampled token starting at or before `offset`; the answer is in its block,
        // or is the next sampled token, which starts after `offset`.
        let p = self
            .sampled_starts
            .partition_point(|&s| (s as usize) <= offset);
        if p == 0 {
            return 0;
        }
        let first = (p - 1) * SAMPLE;
        let tokens = self.at_sample(first, self.len());
        first + tokens.take_while(|t| t.end() <= offset).count()
    }
}

/// The tokens of [`Words`] in text order, each rebuilt from the previous one's end: see
/// [`Words::tokens_in`].
#[derive(Clone)]
pub struct Tokens<'w> {
    /// The packed tokens left ([`Words::tokens`]).
    tokens: std::slice::Iter<'w, u32>,
    spelling_len: &'w [u32],
    /// The entries of [`Words::wide`] of the tokens left.
    wide: std::slice::Iter<'w, WideToken>,
    /// The end of the last token given.
    prev_end: u32,
}

impl Iterator for Tokens<'_> {
    type Item = Token;
    #[inline]
    fn next(&mut self) -> Option<Token> {
        let packed = *self.tokens.next()?;
        let (start, spelling_clean) = if packed & 0xFF != WIDE {
            (self.prev_end + (packed & 0xFF), packed >> 8)
        } else {
            self.wide
                .next()
                .map_or((0, 0), |w| (w.start, w.spelling_clean))
        };
        let end = start + self.spelling_len[(spelling_clean >> 1) as usize];
        self.prev_end = end;
        Some(Token {
            start,
            end,
            spelling_clean,
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.tokens.size_hint()
    }
}

impl ExactSizeIterator for Tokens<'_> {}

/// The lower-cased clean words of a document and how often each occurs: a map from `&str` to
/// `u32`, read through [`Vocabulary::get`] and [`Vocabulary::keys`] as a `HashMap` would be.
///
/// Not a `HashMap<String, u32>`: a 200 KB report has some 15 000 distinct words, and a `String`
/// each (allocated, hashed byte by byte, freed with the document) made the vocabulary cost as
/// much as the token pass itself on a report of that size. The words are stored end to end in
/// one buffer, and an open-addressing table of entry indices finds them.
///
/// Each entry keeps its word's [`Vocabulary::hash`], a polynomial in the bytes, so that the
/// hash of two entries' words joined follows from theirs ([`Vocabulary::joined`]): the spacing
/// rule asks whether two neighbouring words make a vocabulary word without building, lower-casing
/// or hashing the joined text. The stored hash also rejects most probed entries before their
/// bytes are compared.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Every word, end to end.
    words: String,
    /// Per word: its end in `words` (its start is the previous word's end), its count and hash.
    entries: Vec<VocabularyEntry>,
    /// Entry index + 1, or 0 for an empty slot; a power of two in length, at most half full.
    slots: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct VocabularyEntry {
    end: u32,
    count: u32,
    hash: u64,
}

/// The base of [`Vocabulary::hash`]: odd, with its bits spread. The OCR rule hashes its
/// candidate words with it too, so that a spelling's [`Words::lower_hash`] can be looked up
/// among them.
pub(crate) const HASH_BASE: u64 = 0x9E37_79B9_7F4A_7C15;

/// `HASH_BASE` to the powers 0..64, for [`Vocabulary::joined`] (a longer word takes
/// `wrapping_pow`).
const HASH_POWERS: [u64; 64] = {
    let mut powers = [1u64; 64];
    let mut i = 1;
    while i < 64 {
        powers[i] = powers[i - 1].wrapping_mul(HASH_BASE);
        i += 1;
    }
    powers
};

fn hash_power(len: usize) -> u64 {
    match HASH_POWERS.get(len) {
        Some(&p) => p,
        None => HASH_BASE.wrapping_pow(len as u32),
    }
}

impl Vocabulary {
    /// An empty vocabulary for about `words` words, in the buffers of `spare` (emptied).
    fn with_capacity(words: usize, spare: Vocabulary) -> Self {
        let Vocabulary {
            words: mut text,
            entries,
            mut slots,
        } = spare;
        text.clear();
        if text.capacity() < words * 8 {
            text = String::with_capacity(words * 10); // not grown in place: see `reuse`
        }
        slots.clear();
        slots.resize((words * 2).next_power_of_two().max(16), 0);
        Vocabulary {
            words: text,
            entries: reuse(entries, words),
            slots,
        }
    }
    /// The polynomial hash of `word`'s bytes, `b0 B^(n-1) + b1 B^(n-2) + … + b(n-1)` (mod
    /// 2^64): the hash of `a` then `b` is `hash(a) B^len(b) + hash(b)`. Byte by byte, that is
    /// `h = h B + b` from `h = 0`.
    #[inline]
    pub(crate) fn hash(word: &[u8]) -> u64 {
        // Horner's rule four bytes at a time (four independent products), then byte by byte.
        let [_, p1, p2, p3, p4, ..] = HASH_POWERS;
        let mut chunks = word.chunks_exact(4);
        let mut h = 0u64;
        for c in &mut chunks {
            let [b0, b1, b2, b3] = [c[0], c[1], c[2], c[3]].map(u64::from);
            h = h
                .wrapping_mul(p4)
                .wrapping_add(b0.wrapping_mul(p3))
                .wrapping_add(b1.wrapping_mul(p2))
                .wrapping_add(b2.wrapping_mul(p1))
                .wrapping_add(b3);
        }
        chunks.remainder().iter().fold(h, |h, &b| {
            h.wrapping_mul(HASH_BASE).wrapping_add(u64::from(b))
        })
    }
    /// The first slot to probe for `hash`: the high bits of the hash, mixed (those of a
    /// polynomial hash mod 2^64 depend on every byte, its low bits on the last ones only).
    #[inline]
    fn home(&self, hash: u64) -> usize {
        let mixed = (hash ^ (hash >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        (mixed >> (64 - self.slots.len().trailing_zeros())) as usize
    }
    fn start(&self, entry: usize) -> usize {
        match entry {
            0 => 0,
            _ => self.entries[entry - 1].end as usize,
        }
    }
    fn word(&self, entry: usize) -> &str {
        &self.words[self.start(entry)..self.entries[entry].end as usize]
    }
    /// The slot of the word of hash `hash` for which `is` holds (given its entry), or the empty
    /// one where it would go.
    #[inline]
    fn slot_where(&self, hash: u64, is: impl Fn(usize) -> bool) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            match self.slots[i] {
                0 => return i,
                e if self.entries[e as usize - 1].hash == hash && is(e as usize - 1) => return i,
                _ => i = (i + 1) & mask,
            }
        }
    }
    /// The slot of `word` of hash `hash`: its entry's, or the empty one where it would go.
    /// Inlined: called once per clean spelling of every document, where a call's register
    /// saves cost as much as the probe.
    #[inline]
    fn slot(&self, word: &str, hash: u64) -> usize {
        self.slot_where(hash, |e| self.word(e) == word)
    }
    /// Adds `count` occurrences of `word`; returns the index of its entry and its hash.
    /// Inlined into its one caller, the vocabulary's build (see [`Vocabulary::slot`]).
    #[inline(always)]
    fn add(&mut self, word: &str, count: u32) -> (u32, u64) {
        let hash = Self::hash(word.as_bytes());
        let i = self.slot(word, hash);
        match self.slots[i] {
            0 => {
                self.words.push_str(word);
                self.entries.push(VocabularyEntry {
                    end: self.words.len() as u32,
                    count,
                    hash,
                });
                let entry = self.entries.len() as u32;
                self.slots[i] = entry;
                if self.entries.len() * 2 > self.slots.len() {
                    self.grow();
                }
                (entry - 1, hash)
            }
            e => {
                self.entries[e as usize - 1].count += count;
                (e - 1, hash)
            }
        }
    }
    #[cold]
    fn grow(&mut self) {
        self.slots = vec![0; self.slots.len() * 2];
        let mask = self.slots.len() - 1;
        for e in 0..self.entries.len() {
            // Every word is distinct: the first empty slot is its.
            let mut i = self.home(self.entries[e].hash);
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = e as u32 + 1;
        }
    }
    /// How often `word` (lower-cased) occurs, if at all.
    pub fn get(&self, word: &str) -> Option<&u32> {
        self.count_hashed(Self::hash(word.as_bytes()), |w| w == word)
    }
    /// How often the word of hash `hash` ([`Vocabulary::hash`]) for which `is` holds occurs,
    /// if at all: [`Vocabulary::get`] of a word the caller has not built (the accents rule
    /// looks up a word with its accents taken off by its hash).
    #[inline]
    pub(crate) fn count_hashed(&self, hash: u64, is: impl Fn(&str) -> bool) -> Option<&u32> {
        if self.slots.is_empty() {
            return None; // the vocabulary of a document with no words
        }
        match self.slots[self.slot_where(hash, |e| is(self.word(e)))] {
            0 => None,
            e => Some(&self.entries[e as usize - 1].count),
        }
    }
    /// The entry whose word is the word of entry `a` followed by that of entry `b`, if any:
    /// [`Vocabulary::get`] of the two joined, from their stored hashes, without building the
    /// joined word.
    fn joined(&self, a: usize, b: usize) -> Option<usize> {
        let len_b = self.entries[b].end as usize - self.start(b);
        let hash = self.entries[a]
            .hash
            .wrapping_mul(hash_power(len_b))
            .wrapping_add(self.entries[b].hash);
        // The words are compared only for an entry of the same hash.
        let i = self.slot_where(hash, |e| {
            let (w, wa, wb) = (self.word(e), self.word(a), self.word(b));
            w.len() == wa.len() + wb.len() && w.starts_with(wa) && w.ends_with(wb)
        });
        match self.slots[i] {
            0 => None,
            e => Some(e as usize - 1),
        }
    }
    /// The words holding one of the bytes `needles` or more, each once, in the order of their
    /// first occurrence: the bytes are searched in the words' buffer (a vector search), not
    /// word by word.
    pub(crate) fn keys_holding(&self, needles: &[u8]) -> Vec<&str> {
        let text = self.words.as_bytes();
        let mut hits: Vec<u32> = Vec::new();
        for group in needles.chunks(3) {
            let at = |i: usize| i as u32;
            match *group {
                [a] => hits.extend(memchr::memchr_iter(a, text).map(at)),
                [a, b] => hits.extend(memchr::memchr2_iter(a, b, text).map(at)),
                [a, b, c] => hits.extend(memchr::memchr3_iter(a, b, c, text).map(at)),
                _ => {}
            }
        }
        if needles.len() > 3 {
            hits.sort_unstable();
        }
        let mut keys = Vec::new();
        let mut entry = 0;
        let mut last = usize::MAX;
        for hit in hits {
            while self.entries[entry].end <= hit {
                entry += 1;
            }
            if entry != last {
                keys.push(self.word(entry));
                last = entry;
            }
        }
        keys
    }
    /// The words, in the order of their first occurrence.
    pub fn keys(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        // Each word starts where the previous one ended.
        let ends = self.entries.iter().map(|e| e.end as usize);
        std::iter::once(0)
            .chain(ends.clone())
            .zip(ends)
            .map(|(start, end)| &self.words[start..end])
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

/// Whether the non-ASCII character at `i` (a character boundary) belongs to a token, and its
/// byte length. The frequent French characters are answered from their first bytes, each case
/// the same answer [`is_word_char`] gives (a test checks them all): « é », « à », « ç »… (`C3`,
/// Latin-1 letters but « × » and « ÷ »), « œ » and the rest of Latin Extended-A/B up to U+023F
/// (`C4`-`C8`, all letters), and « ’ », « – », the narrow no-break space (`E2 80`, General
/// Punctuation, none a letter). Others decode their character.
#[inline]
fn non_ascii_word_char(text: &str, i: usize) -> (bool, usize) {
    let bytes = text.as_bytes();
    match bytes[i] {
        0xC3 => (!matches!(bytes[i + 1], 0x97 | 0xB7), 2),
        0xC4..=0xC8 => (true, 2),
        0xE2 if bytes[i + 1] == 0x80 => (false, 3),
        _ => decoded_word_char(text, i),
    }
}

/// The facts [`Scan::new_spelling`] takes of a new run of word characters (whether it has a
/// letter, is clean, is its own lower case when clean, is all ASCII and Latin-1 letters), read
/// by decoding it.
fn decoded_facts(run: &str) -> (bool, bool, bool, bool) {
    // The ASCII bytes of a run are letters and digits: an ASCII run has a letter unless it is
    // all digits, and is clean when it has no digit.
    let (word, clean, latin1_letters) = if run.is_ascii() {
        let digits = run.bytes().filter(u8::is_ascii_digit).count();
        (digits < run.len(), digits == 0, digits == 0)
    } else {
        let word = run.chars().any(is_alphabetic);
        let clean = !run.chars().any(|c| c == '¢' || c.is_ascii_digit());
        (word, clean, clean && run.bytes().all(|b| b < 0xC4))
    };
    let lower = clean && crate::text::is_lower_latin1(run);
    (word, clean, lower, latin1_letters)
}

/// Whether every character of the run `text[start..end]` of ASCII letters, digits and
/// non-ASCII characters is a word character ([`is_word_char`]): its ASCII bytes are, so only
/// its non-ASCII characters are read, by [`non_ascii_word_char`] (the run is not decoded
/// character by character).
fn all_word_chars(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < end {
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        let (word, len) = non_ascii_word_char(text, i);
        if !word {
            return false;
        }
        i += len;
    }
    true
}

/// [`non_ascii_word_char`] for the rarer characters: decode and ask [`is_word_char`].
#[cold]
fn decoded_word_char(text: &str, i: usize) -> (bool, usize) {
    let c = text[i..].chars().next().unwrap_or(' ');
    (is_word_char(c), c.len_utf8())
}

#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
use crate::text::{ascii_capital_bits, ascii_letter_bits, byte_range_bits};
use crate::text::{HIGH, ONES};

/// The high bit of each byte of `w` that is an ASCII digit.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
#[inline]
fn ascii_digit_bits(w: u64) -> u64 {
    byte_range_bits(w & !HIGH, b'0', b':') & !w & HIGH
}

/// Bit k set when byte k of `block` may belong to a token: an ASCII letter or digit, or any
/// byte of a non-ASCII character (a run with one is split by [`Scan::non_ascii_run`]).
#[inline]
fn wordish_mask(block: &[u8; 64]) -> u64 {
    crate::text::alnum_mask64::<true>(block)
}

/// The 8 bytes at `i` as a little-endian integer, zero-padded past the end of `bytes`.
#[inline]
fn load8(bytes: &[u8], i: usize) -> u64 {
    match bytes.get(i..i + 8) {
        Some(chunk) => u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])),
        None => load8_padded(bytes, i),
    }
}

/// [`load8`] within 8 bytes of the end, out of the token loop.
#[cold]
#[inline(never)]
fn load8_padded(bytes: &[u8], i: usize) -> u64 {
    let mut buf = [0u8; 8];
    let rest = &bytes[i..];
    buf[..rest.len()].copy_from_slice(rest);
    u64::from_le_bytes(buf)
}

/// The 8 bytes before `end` (at least 8) as a little-endian integer.
#[inline]
fn load8_before(bytes: &[u8], end: usize) -> u64 {
    u64::from_le_bytes(bytes[end - 8..end].try_into().unwrap_or([0; 8]))
}

/// Whether every byte of `w` is ASCII, the first byte of a 2-byte character of U+00C0..U+023F
/// (`C3`-`C8`: « é », « à », « ç », « œ »…) or a continuation byte other than `97` and `B7`.
/// When the words covering a run of whole characters all pass, each of its non-ASCII
/// characters is a Latin-1 letter other than « × » (`C3 97`) and « ÷ » (`C3 B7`) or a Latin
/// Extended-A/B letter: a word character ([`non_ascii_word_char`] says the same), so the run
/// is one run of word characters and need not be split character by character. The test is
/// conservative (it also turns down « ė », `C4 97`, and any `C2` character such as « ¢ »):
/// those runs take the exact path.
#[inline]
fn latin_letter_bytes(w: u64) -> bool {
    // On the high bit of each byte: `11xxxxxx` starts a character, `10xxxxxx` continues one.
    let lead = w & (w << 1) & HIGH;
    let cont = w & !(w << 1) & HIGH;
    let low7 = w & !HIGH;
    // Sums on the low 7 bits, which never carry into the next byte: at least 0x43, below 0x49.
    let latin_lead = (low7 + ONES * (0x80 - 0x43)) & !(low7 + ONES * (0x80 - 0x49));
    // A zero byte where the byte is 0x97 or 0xB7. The borrow may also flag a byte above a zero
    // one: that only turns a run down.
    let x = (w & (ONES * 0xDF)) ^ (ONES * 0x97);
    let times_or_divide = x.wrapping_sub(ONES) & !x;
    (lead & !latin_lead) | (cont & times_or_divide) == 0
}

/// For `w` that passes [`latin_letter_bytes`] (zero-padded or not): whether its characters
/// are their own lower case, as [`crate::text::is_lower_latin1`] says of them. It says so of
/// ASCII bytes but capitals and of the characters of lead byte `C3` from U+00DF (`C3 9F`) up;
/// the other characters `latin_letter_bytes` lets through (`C3 80`..`C3 9E`, the capitals
/// « À »..« Þ », and lead bytes `C4`..`C8`) make it false. A test checks it on every pair of
/// characters.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
#[inline]
fn latin_lower_bytes(w: u64) -> bool {
    let lead = w & (w << 1) & HIGH;
    let cont = w & !(w << 1) & HIGH;
    let low7 = w & !HIGH;
    // A lead byte of `C4`..`C8`; a continuation byte of `80`..`9E`.
    let not_c3 = byte_range_bits(low7, 0x44, 0x49);
    let capital = byte_range_bits(low7, 0x00, 0x1F);
    ascii_capital_bits(w) | (lead & not_c3) | (cont & capital) == 0
}

/// The high bit of each byte of `w` of `C4`..`C8`: for a `w` that passes
/// [`latin_letter_bytes`], the lead bytes of its characters beyond Latin-1.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
#[inline]
fn beyond_latin1_bits(w: u64) -> u64 {
    let lead = w & (w << 1) & HIGH;
    lead & byte_range_bits(w & !HIGH, 0x44, 0x49)
}

/// What [`Scan::first_run`] reads from the [`spelling_key`] of a run of 16 bytes or less (all
/// of its bytes, zero-padded), when each of its halves passes [`latin_letter_bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShortRunClass {
    /// The run has a letter: a non-ASCII byte (every non-ASCII character is then a letter,
    /// not « ¢ », `C2 A2`, which `latin_letter_bytes` turns down) or an ASCII letter (its
    /// other ASCII bytes are digits), as [`Scan::first_occurrence`] finds by decoding it.
    word: bool,
    /// The run has no digit (as read by [`short_run_class_words`]).
    clean: bool,
    /// The run is its own lower case ([`latin_lower_bytes`]).
    lower: bool,
    /// The run's characters are all ASCII or Latin-1 letters (no lead byte of `C4`..`C8`, the
    /// other lead bytes failing [`latin_letter_bytes`], and no digit in any of its bytes):
    /// [`Words::spelling_latin1_letters`].
    latin1_letters: bool,
}

/// [`ShortRunClass`] of the key `(head, tail)`, or `None` when a byte fails
/// [`latin_letter_bytes`] (the run takes the exact path).
///
/// On x86-64, in SSE2 on the 16 bytes at once (about 40 instructions, against about 120 for
/// the 8-byte words of [`short_run_class_words`], which other targets use and a test compares
/// with it).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn short_run_class(key: (u64, u64)) -> Option<ShortRunClass> {
    // SAFETY: the only requirement of a `#[target_feature]` function is that the CPU has the
    // feature; this is compiled only when the target enables SSE2 (every x86-64 CPU has it).
    unsafe { short_run_class_sse2(key) }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn short_run_class(key: (u64, u64)) -> Option<ShortRunClass> {
    short_run_class_words(key)
}

/// [`short_run_class`] with SSE2 (safe intrinsics; the call needs the feature).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
#[inline]
fn short_run_class_sse2((head, tail): (u64, u64)) -> Option<ShortRunClass> {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_set_epi64x, _mm_srli_si128,
    };
    /// 0xFF for each byte of `v` in `lo..lo + n` (`n` <= 128), else 0: the bytes shifted so
    /// that the range starts at -128, then one signed compare.
    #[target_feature(enable = "sse2")]
    #[inline]
    fn in_range(v: __m128i, lo: u8, n: u8) -> __m128i {
        let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
        _mm_cmplt_epi8(shifted, _mm_set1_epi8((n as i8).wrapping_add(i8::MIN)))
    }
    let v = _mm_set_epi64x(tail as i64, head as i64);
    // As `latin_letter_bytes`: a lead byte other than `C3`..`C8`, or a continuation byte `97`
    // or `B7` (the only bytes that are `B7` with their 0x20 bit set).
    let not_latin = _mm_or_si128(
        _mm_or_si128(in_range(v, 0xC0, 3), in_range(v, 0xC9, 0x37)),
        _mm_cmpeq_epi8(
            _mm_or_si128(v, _mm_set1_epi8(0x20)),
            _mm_set1_epi8(0xB7u8 as i8),
        ),
    );
    if _mm_movemask_epi8(not_latin) != 0 {
        return None;
    }
    // The letters and digits of `head | tail` (the low 8 lanes), as the token pass has always
    // read them (see `short_run_class_words`).
    let either = _mm_or_si128(v, _mm_srli_si128::<8>(v));
    let letter = in_range(_mm_or_si128(either, _mm_set1_epi8(0x20)), b'a', 26);
    let digit = in_range(either, b'0', 10);
    // Every byte this time: the padding of the key is zero bytes, not digits.
    let any_digit = in_range(v, b'0', 10);
    // As `latin_lower_bytes`: an ASCII capital, a lead byte of `C4`..`C8`, a continuation
    // byte of `80`..`9E`.
    let beyond_latin1 = in_range(v, 0xC4, 5);
    let not_lower = _mm_or_si128(
        _mm_or_si128(in_range(v, b'A', 26), beyond_latin1),
        in_range(v, 0x80, 0x1F),
    );
    // A non-ASCII byte has its high bit set already, the bit `pmovmskb` gathers.
    Some(ShortRunClass {
        word: _mm_movemask_epi8(_mm_or_si128(letter, either)) & 0xFF != 0,
        clean: _mm_movemask_epi8(digit) & 0xFF == 0,
        lower: _mm_movemask_epi8(not_lower) == 0,
        latin1_letters: _mm_movemask_epi8(_mm_or_si128(beyond_latin1, any_digit)) == 0,
    })
}

/// [`short_run_class`] in `u64` arithmetic, 8 bytes at a time: for targets without SSE2.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
#[inline]
fn short_run_class_words((head, tail): (u64, u64)) -> Option<ShortRunClass> {
    if !(latin_letter_bytes(head) && latin_letter_bytes(tail)) {
        return None;
    }
    // The letters and digits are read from the two halves or-ed together: for a run of 9 to
    // 16 bytes a digit facing a letter in the other half is missed, so « abcdefgh12 » counts
    // as clean. That is how the token pass has always classified these runs; fixing it would
    // change the output (the words of such runs would leave the vocabulary).
    Some(ShortRunClass {
        word: ascii_letter_bits(head | tail) != 0 || (head | tail) & HIGH != 0,
        clean: ascii_digit_bits(head | tail) == 0,
        lower: latin_lower_bytes(head) && latin_lower_bytes(tail),
        latin1_letters: beyond_latin1_bits(head)
            | beyond_latin1_bits(tail)
            | ascii_digit_bits(head)
            | ascii_digit_bits(tail)
            == 0,
    })
}

/// The key of `bytes[start..end]` in [`Spellings`]: its first 8 bytes (zero-padded) and, past
/// 8, its last 8.
#[inline]
fn spelling_key(bytes: &[u8], start: usize, end: usize) -> (u64, u64) {
    let len = end - start;
    let head = load8(bytes, start);
    if len <= 8 {
        (head & (u64::MAX >> (64 - 8 * len)), 0)
    } else {
        (head, load8_before(bytes, end))
    }
}

/// [`Token::spelling_clean`] of a run of word characters without a letter (a number, « ¢ »):
/// not a token.
const NOT_WORD: u32 = u32::MAX;

/// [`Slot::value`] of a run of 16 bytes or less (its key is all of its bytes) with a non-ASCII
/// character that is not a word character (« l’homme »): [`Scan::non_ascii_run`] splits it at
/// every occurrence. Whether a run splits depends on its bytes only, so it is decided once, at
/// its first occurrence, and the token loop needs no test of the run's bytes.
const SPLIT: u32 = u32::MAX - 1;

/// [`Slot::value`] of a [`SPLIT`] run whose word pieces are known: this bit, and below it the
/// index of its [`SplitRun`] in [`Scan::split_runs`]. The pieces of such a run are pushed from
/// that entry without splitting the run or looking its pieces up again (a report repeats a few
/// hundred elisions such as « l’homme », « d’une » thousands of times). Below the bit are the
/// spelling ids (see [`CLEAN`]); [`NOT_WORD`] and [`SPLIT`] have it too, and are tested first.
const SPLIT_KNOWN: u32 = 1 << 31;

/// A [`SPLIT`] run of 16 bytes or less whose pieces are known: its word pieces are
/// `split_pieces[first_piece..first_piece + pieces]`.
#[derive(Clone, Copy)]
struct SplitRun {
    first_piece: u32,
    pieces: u32,
    /// How many times its pieces were pushed from here: their spellings' occurrences not
    /// counted in their slots.
    uses: u32,
}

/// A word piece of a [`SplitRun`]: what [`Scan::token`] would push for it.
#[derive(Clone, Copy)]
struct SplitPiece {
    /// [`folded`] of its key.
    folded: u64,
    /// [`Token::spelling_clean`]: below [`PACKED_LIMIT`].
    value: u32,
    /// Its start from the run's start, and its length (a run has at most 16 bytes).
    offset: u8,
    len: u8,
}

/// One distinct run of word characters in [`Spellings`], keyed by [`spelling_key`] and its
/// length: the key is the whole spelling up to 16 bytes; a longer one also compares its middle
/// with that of its first occurrence.
///
/// Aligned to its 32 bytes, so that a slot is never split across two cache lines (the
/// table's memory is only 16-byte aligned otherwise: a probe then read one line and wrote
/// the count to another).
#[derive(Clone, Copy, Default)]
#[repr(align(32))]
struct Slot {
    head: u64,
    tail: u64,
    /// Byte length; 0 marks an empty slot (a run has at least one byte).
    len: u32,
    /// [`Token::spelling_clean`] of its tokens, or [`NOT_WORD`] or [`SPLIT`].
    value: u32,
    /// Start of its first occurrence.
    first: u32,
    /// Occurrences so far.
    count: u32,
}

/// Every distinct run of word characters of the text: an open-addressing table with Fibonacci
/// hashing and linear probing over keys read straight from the text (two loads, no pass over
/// the bytes). A run is looked up at every occurrence: a general-purpose map hashed a `&str`
/// byte by byte and probed generically (about 100 instructions); this takes a multiply and
/// usually one slot.
struct Spellings {
    slots: Vec<Slot>,
    /// 64 - log2 of `slots.len()`: a hash shifted right by it is a slot index.
    shift: u32,
    /// The indices of the filled slots: read (and emptied) at the end of the pass without a
    /// walk over every slot.
    used: Vec<u32>,
}

impl Spellings {
    /// A table for a text of `n` bytes. A 200 KB report has some 4 000 distinct runs: a slot
    /// per 32 bytes of text, from 1 024 to 8 192, saves the growths of a table that would
    /// start small (each one rehashes every run), and a larger text grows it as needed.
    ///
    /// `spare` is the table of a previous document, every slot empty (see [`Spare`]): its
    /// memory is written again instead of new memory each document.
    fn new(n: usize, mut spare: Vec<Slot>, used: Vec<u32>) -> Self {
        let bits = (n / 32)
            .next_power_of_two()
            .clamp(1 << 10, 1 << 13)
            .trailing_zeros();
        spare.resize(1 << bits, Slot::default());
        Spellings {
            slots: spare,
            shift: 64 - bits,
            used: reuse(used, (1 << bits) / 2),
        }
    }
    #[inline]
    fn slot(&self, head: u64, tail: u64, len: u32) -> usize {
        let mixed = head ^ tail.rotate_left(29) ^ u64::from(len);
        (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }
    /// Counts one occurrence of `bytes[start..end]`, whose [`spelling_key`] is `(head,
    /// tail)`, and returns its value; or, for the first, the empty slot to give to
    /// [`Spellings::insert`].
    #[inline(always)]
    fn occurrence(
        &mut self,
        bytes: &[u8],
        (start, end): (usize, usize),
        (head, tail): (u64, u64),
    ) -> Result<u32, usize> {
        let len = (end - start) as u32;
        let mask = self.slots.len() - 1;
        let mut i = self.slot(head, tail, len);
        loop {
            let s = &mut self.slots[i];
            // A run has no zero byte: a key whose tail is 0 is that of a run of 8 bytes or less,
            // all of them in its head, so equal heads are equal lengths (and the comparison of
            // the lengths folds away where the tail is known to be 0).
            if s.head == head
                && s.tail == tail
                && (tail == 0 || s.len == len)
                && (len <= 16 || {
                    let first = s.first as usize;
                    bytes[start + 8..end - 8] == bytes[first + 8..first + len as usize - 8]
                })
            {
                s.count += 1;
                return Ok(s.value);
            }
            if s.len == 0 {
                return Err(i);
            }
            i = (i + 1) & mask;
        }
    }
    /// The slot of the run of 16 bytes or less whose key is `(head, tail)` and length `len`,
    /// already in the table.
    fn find(&self, (head, tail): (u64, u64), len: u32) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(head, tail, len);
        loop {
            let s = &self.slots[i];
            if (s.head, s.tail, s.len) == (head, tail, len) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }
    /// Fills the empty slot `i` that [`Spellings::occurrence`] gave for `slot`'s spelling.
    fn insert(&mut self, i: usize, slot: Slot) {
        self.slots[i] = slot;
        self.used.push(i as u32);
        // At most half full, so probes stay short.
        if self.used.len() * 2 > self.slots.len() {
            self.grow();
        }
    }
    #[cold]
    fn grow(&mut self) {
        let doubled = vec![Slot::default(); self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        self.shift -= 1;
        let mask = self.slots.len() - 1;
        let mut filled = std::mem::take(&mut self.used);
        for used in &mut filled {
            let s = old[*used as usize];
            let mut i = self.slot(s.head, s.tail, s.len);
            while self.slots[i].len != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
            *used = i as u32;
        }
        self.used = filled;
    }
}

/// The state of the token pass.
struct Scan<'a> {
    prose: &'a str,
    /// [`Words::tokens`], [`Words::wide`] and [`Words::sampled_starts`] as they fill.
    tokens: Vec<u32>,
    wide: Vec<WideToken>,
    sampled_starts: Vec<u32>,
    /// The end of the last token.
    prev_end: usize,
    table: Spellings,
    /// The word spellings (runs with a letter), by id: first occurrence, and the rest of what
    /// is known of it then.
    spellings: Vec<Span>,
    notes: Vec<SpellingNote>,
    /// The previous token's [`spelling_key`] with every byte's 0x20 bit set, mixed with its
    /// length.
    prev_folded: u64,
    /// The indices of the tokens whose folded key equals the previous token's: see
    /// [`Words::repeats`].
    maybe_repeats: Vec<u32>,
    /// The [`SPLIT`] runs whose pieces are known ([`SPLIT_KNOWN`]), and their pieces.
    split_runs: Vec<SplitRun>,
    split_pieces: Vec<SplitPiece>,
}

/// What the token pass notes of a new spelling besides its span, by spelling id: one push per
/// spelling (a capacity test and a length update) instead of one per vector, in the function
/// that runs once per distinct run of every document; split into [`Words::first_token`] and
/// [`Words::spelling_clean`] at the end.
#[derive(Clone, Copy)]
struct SpellingNote {
    /// The index of the token of its first occurrence.
    first_token: u32,
    /// Whether its tokens are clean ([`Token::clean`]).
    clean: bool,
    /// For a clean one: whether the spelling is its own lower case
    /// ([`crate::text::is_lower_latin1`]), found at its first occurrence, where
    /// [`Scan::first_run`] reads it from the key (the vocabulary then needs no pass over the
    /// bytes).
    lower: bool,
    /// [`Words::spelling_latin1_letters`].
    latin1_letters: bool,
}

/// Sets the 0x20 bit of every byte: ASCII letters and the Latin-1 letters of lead byte `C3`
/// (« É » `C3 89`, « é » `C3 A9`) then compare equal whatever their case.
const FOLD: u64 = 0x2020_2020_2020_2020;

/// The [`spelling_key`] `key` of a run of `len` bytes with every byte's 0x20 bit set ([`FOLD`]),
/// mixed into one word: equal keys mix equal, and the rare collision only adds a candidate to
/// [`Words::repeats`].
#[inline(always)]
fn folded(key: (u64, u64), len: usize) -> u64 {
    ((key.0 | FOLD) ^ (key.1 | FOLD).rotate_left(23)).wrapping_add(len as u64)
}

impl Scan<'_> {
    /// A maximal run of ASCII letters, digits and non-ASCII bytes at `start..end`: one token
    /// when all its characters are word characters, else split at its non-ASCII characters
    /// that are not. A run of 16 bytes or less is looked up whole: its slot says which
    /// ([`SPLIT`]), decided at its first occurrence by [`Scan::first_run`].
    ///
    /// A run of 8 bytes or less (most of them) takes its own copy of the lookup, compiled with
    /// the tail of its key known to be 0: the hash, the comparison and the folded key each
    /// drop a few instructions.
    #[inline(always)]
    fn run(&mut self, start: usize, end: usize) {
        let bytes = self.prose.as_bytes();
        let len = end - start;
        if len <= 8 {
            let head = load8(bytes, start) & (u64::MAX >> (64 - 8 * len));
            self.short_run(start, end, (head, 0));
        } else if len <= 16 {
            self.short_run(start, end, (load8(bytes, start), load8_before(bytes, end)));
        } else {
            self.long_run(start, end);
        }
    }

    /// [`Scan::run`] of a run of 16 bytes or less, whose [`spelling_key`] is `key`.
    #[inline(always)]
    fn short_run(&mut self, start: usize, end: usize, key: (u64, u64)) {
        let value = match self
            .table
            .occurrence(self.prose.as_bytes(), (start, end), key)
        {
            Ok(value) => value,
            Err(slot) => self.first_run(slot, start, end, key),
        };
        self.token(start, end, key, value);
    }

    /// The value of a new run of 16 bytes or less, which takes the empty slot `slot`:
    /// [`SPLIT`] when one of its characters is not a word character (its ASCII bytes are all
    /// letters and digits: only its non-ASCII characters can be), else that of its one token.
    #[cold]
    #[inline(never)]
    fn first_run(&mut self, slot: usize, start: usize, end: usize, key: (u64, u64)) -> u32 {
        // The key is every byte of the run: when every byte passes `latin_letter_bytes`,
        // every character is a word character without decoding one.
        if let Some(class) = short_run_class(key) {
            let facts = (class.word, class.clean, class.lower, class.latin1_letters);
            return self.new_spelling(slot, start..end, key, facts);
        }
        if !all_word_chars(self.prose, start, end) {
            return self.insert_first(slot, key, start..end, SPLIT);
        }
        self.first_occurrence(slot, start, end, key)
    }

    /// [`Scan::run`] for a run longer than 16 bytes, whose key does not cover its bytes: one
    /// token when [`latin_letter_bytes`] accepts all of them, 8 at a time, else split by
    /// [`Scan::non_ascii_run`].
    #[inline(never)]
    fn long_run(&mut self, start: usize, end: usize) {
        let bytes = self.prose.as_bytes();
        let letters = (start..end - 8)
            .step_by(8)
            .all(|i| latin_letter_bytes(load8(bytes, i)))
            && latin_letter_bytes(load8_before(bytes, end));
        if letters {
            self.word_chars(start, end, spelling_key(bytes, start, end));
        } else {
            self.non_ascii_run(start, end, false);
        }
    }

    /// [`Scan::run`] for a run with a non-ASCII byte: its maximal runs of word characters
    /// ([`is_word_char`]). Its ASCII bytes are all letters or digits: only its non-ASCII
    /// characters are tested, and those that are not word characters split it. With `record`
    /// (a run of 16 bytes or less), its word pieces are pushed to [`Scan::split_pieces`].
    #[inline(never)]
    fn non_ascii_run(&mut self, start: usize, end: usize, record: bool) {
        let bytes = self.prose.as_bytes();
        let (mut from, mut i) = (start, start);
        while let Some(skip) = bytes[i..end].iter().position(|&b| b >= 0x80) {
            i += skip;
            let (word, len) = non_ascii_word_char(self.prose, i);
            if !word {
                if from < i {
                    self.piece(start, from, i, record);
                }
                from = i + len;
            }
            i += len;
        }
        if from < end {
            self.piece(start, from, end, record);
        }
    }

    /// The word characters `from..to` of the run that starts at `run_start` (see
    /// [`Scan::non_ascii_run`]).
    #[inline(always)]
    fn piece(&mut self, run_start: usize, from: usize, to: usize, record: bool) {
        let key = spelling_key(self.prose.as_bytes(), from, to);
        let value = self.word_chars(from, to, key);
        if record && value != NOT_WORD {
            self.split_pieces.push(SplitPiece {
                folded: folded(key, to - from),
                value,
                offset: (from - run_start) as u8,
                len: (to - from) as u8,
            });
        }
    }

    /// One maximal run of word characters: a token if it has a letter. Returns its slot's
    /// value.
    #[inline(always)]
    fn word_chars(&mut self, start: usize, end: usize, key: (u64, u64)) -> u32 {
        let value = match self
            .table
            .occurrence(self.prose.as_bytes(), (start, end), key)
        {
            Ok(value) => value,
            Err(slot) => self.first_occurrence(slot, start, end, key),
        };
        self.token(start, end, key, value);
        value
    }

    /// The run `start..end` whose slot holds `value`. The usual token (a spelling that fits
    /// in 24 bits, a gap under 255 bytes) is pushed here; everything else ([`NOT_WORD`],
    /// [`SPLIT`], a [`WIDE`] token) fails the one comparison and goes to [`Scan::rare_run`].
    #[inline(always)]
    fn token(&mut self, start: usize, end: usize, key: (u64, u64), value: u32) {
        let gap = start - self.prev_end;
        if value < PACKED_LIMIT && gap < WIDE as usize {
            let index = self.tokens.len();
            self.note_token(index, start, end, key);
            self.tokens.push(value << 8 | gap as u32);
        } else {
            self.rare_run(start, end, key, value);
        }
    }

    /// What every token but its push does: the candidates for [`Words::repeats`] and the
    /// sampled starts; `end` becomes the previous token's end.
    #[inline(always)]
    fn note_token(&mut self, index: usize, start: usize, end: usize, key: (u64, u64)) {
        self.note_folded(index, start, end, folded(key, end - start));
    }

    /// [`Scan::note_token`] of a token whose key is folded already.
    #[inline(always)]
    fn note_folded(&mut self, index: usize, start: usize, end: usize, folded: u64) {
        if std::mem::replace(&mut self.prev_folded, folded) == folded {
            self.maybe_repeats.push(index as u32);
        }
        if index.is_multiple_of(SAMPLE) {
            self.sampled_starts.push(start as u32);
        }
        self.prev_end = end;
    }

    /// [`Scan::token`] for the runs that are not a usual token: none for [`NOT_WORD`], the
    /// parts of a [`SPLIT`] run (known or not, [`SPLIT_KNOWN`]), or a token kept whole in
    /// [`Words::wide`] (its gap or its spelling does not fit).
    #[cold]
    #[inline(never)]
    fn rare_run(&mut self, start: usize, end: usize, key: (u64, u64), value: u32) {
        match value {
            NOT_WORD => {}
            SPLIT => self.first_split(start, end, key),
            known if known & SPLIT_KNOWN != 0 => {
                self.known_split(start, end, (known & !SPLIT_KNOWN) as usize)
            }
            spelling_clean => {
                let index = self.tokens.len();
                self.note_token(index, start, end, key);
                self.tokens.push(WIDE);
                self.wide.push(WideToken {
                    index: index as u32,
                    start: start as u32,
                    spelling_clean,
                });
            }
        }
    }

    /// The first occurrence of a [`SPLIT`] run (of 16 bytes or less), split piece by piece; its
    /// slot then says [`SPLIT_KNOWN`], unless a piece's spelling does not fit in a packed
    /// token (the run then stays [`SPLIT`] and is split at every occurrence).
    fn first_split(&mut self, start: usize, end: usize, key: (u64, u64)) {
        let first_piece = self.split_pieces.len();
        self.non_ascii_run(start, end, true);
        let pieces = &self.split_pieces[first_piece..];
        let index = self.split_runs.len();
        if pieces.iter().all(|p| p.value < PACKED_LIMIT) && index < (SPLIT & !SPLIT_KNOWN) as usize
        {
            self.split_runs.push(SplitRun {
                first_piece: first_piece as u32,
                pieces: pieces.len() as u32,
                uses: 0,
            });
            // Found again: the pieces' new spellings may have grown the table.
            let slot = self.table.find(key, (end - start) as u32);
            self.table.slots[slot].value = SPLIT_KNOWN | index as u32;
        } else {
            self.split_pieces.truncate(first_piece);
        }
    }

    /// A [`SPLIT_KNOWN`] run: the tokens of its pieces, from [`Scan::split_runs`]`[index]`.
    /// The gaps between them are under 16 bytes; the first one's gap may not fit, and then the
    /// run is split as a new one would be.
    fn known_split(&mut self, start: usize, end: usize, index: usize) {
        let run = self.split_runs[index];
        let pieces = run.first_piece as usize..(run.first_piece + run.pieces) as usize;
        // A run without a word piece gives no token. (Its `first_piece` may be the index of a
        // later run's first piece: read only through its own range.)
        let Some(first) = self.split_pieces[pieces.clone()].first() else {
            return;
        };
        if start + first.offset as usize - self.prev_end >= WIDE as usize {
            self.non_ascii_run(start, end, false);
            return;
        }
        self.split_runs[index].uses += 1;
        for k in pieces {
            let piece = self.split_pieces[k];
            let from = start + piece.offset as usize;
            let to = from + piece.len as usize;
            let gap = (from - self.prev_end) as u32;
            self.note_folded(self.tokens.len(), from, to, piece.folded);
            self.tokens.push(piece.value << 8 | gap);
        }
    }

    /// The value of a new spelling, which takes the empty slot `slot` of the table. Whether
    /// the run is a token, and a clean one, depends on its bytes only: it is decided here,
    /// once per spelling.
    #[cold]
    #[inline(never)]
    fn first_occurrence(&mut self, slot: usize, start: usize, end: usize, key: (u64, u64)) -> u32 {
        // A run of 8 bytes or less (most word pieces of a split run, « homme » of « l’homme »):
        // its key is all of its bytes, and `short_run_class` reads from it the facts decoded
        // below, exactly at this length (the digit it may miss needs two halves), without
        // decoding the run again. The other runs, and those it turns down, are decoded.
        if end - start <= 8 {
            if let Some(class) = short_run_class(key) {
                let facts = (class.word, class.clean, class.lower, class.latin1_letters);
                return self.new_spelling(slot, start..end, key, facts);
            }
        }
        let facts = decoded_facts(&self.prose[start..end]);
        self.new_spelling(slot, start..end, key, facts)
    }

    /// The value of the new run `span`, which takes the empty slot `slot`: [`NOT_WORD`] or a
    /// new spelling id. `facts`: whether the run has a letter (else [`NOT_WORD`]), whether its
    /// tokens are clean and, if so, whether the spelling is its own lower case
    /// ([`crate::text::is_lower_latin1`]), and whether it is all ASCII and Latin-1 letters
    /// ([`Words::spelling_latin1_letters`]). Inlined into its two callers, which run once per distinct
    /// run of every document.
    #[inline(always)]
    fn new_spelling(
        &mut self,
        slot: usize,
        span: std::ops::Range<usize>,
        key: (u64, u64),
        (word, clean, lower, latin1_letters): (bool, bool, bool, bool),
    ) -> u32 {
        let (start, end) = (span.start, span.end);
        let value = if !word {
            NOT_WORD
        } else {
            let id = self.spellings.len() as u32;
            self.spellings.push(start..end);
            self.notes.push(SpellingNote {
                first_token: self.tokens.len() as u32,
                clean,
                lower,
                latin1_letters,
            });
            id << 1 | if clean { CLEAN } else { 0 }
        };
        self.insert_first(slot, key, start..end, value)
    }

    /// Fills `slot` for the first occurrence of a spelling (the run `span`, of key `key`) and
    /// returns `value`.
    fn insert_first(
        &mut self,
        slot: usize,
        (head, tail): (u64, u64),
        span: std::ops::Range<usize>,
        value: u32,
    ) -> u32 {
        self.table.insert(
            slot,
            Slot {
                head,
                tail,
                len: span.len() as u32,
                value,
                first: span.start as u32,
                count: 1,
            },
        );
        value
    }
}

/// The buffers of a document's words, kept by each thread for its next document: the tables
/// of a 200 KB report take some 700 KB, which a fresh allocation each document took from
/// memory no one had written yet (cache misses on every line, page faults), since what the
/// previous document freed went to the allocations that live on. The pass's own buffers come
/// back at the end of [`extract`], the [`Words`]' when they are dropped (the engine drops them
/// once the rules reading the tokens are done).
#[derive(Default)]
struct Spare {
    tokens: Vec<u32>,
    wide: Vec<WideToken>,
    sampled_starts: Vec<u32>,
    spelling_len: Vec<u32>,
    counts: Vocabulary,
    entry_of_spelling: Vec<u32>,
    lower_hashes: Vec<u64>,
    maybe_repeats: Vec<u32>,
    spellings: Vec<Span>,
    first_token: Vec<u32>,
    spelling_clean: Vec<bool>,
    spelling_latin1_letters: Vec<bool>,
    /// The spelling table's slots, every one empty, and its list of used ones.
    slots: Vec<Slot>,
    used_slots: Vec<u32>,
    notes: Vec<SpellingNote>,
    split_runs: Vec<SplitRun>,
    split_pieces: Vec<SplitPiece>,
    occurrences: Vec<u32>,
    lower: String,
}

thread_local! {
    static SPARE: std::cell::Cell<Spare> = std::cell::Cell::new(Spare::default());
}

/// A buffer larger than this is freed, not kept in [`Spare`]: a long document's tables would
/// hold their memory through the rest of the run (its tokens are dropped early so that the
/// findings take their memory).
const SPARE_MAX_BYTES: usize = 1 << 20;

/// `v` if it is small enough to keep in [`Spare`], else an empty vector (`v` freed).
fn keep<T>(v: Vec<T>) -> Vec<T> {
    if v.capacity() * std::mem::size_of::<T>() <= SPARE_MAX_BYTES {
        v
    } else {
        Vec::new()
    }
}

/// `spare` emptied, if it has room for `capacity` items; else a new vector with a quarter more
/// (so that a slightly longer next document still fits). Not grown in place: growing copies
/// the stale contents.
fn reuse<T>(mut spare: Vec<T>, capacity: usize) -> Vec<T> {
    spare.clear();
    if spare.capacity() >= capacity {
        spare
    } else {
        crate::memory::vec_with_capacity(capacity + capacity / 4)
    }
}

impl Drop for Words {
    fn drop(&mut self) {
        if self.tokens.capacity() == 0 {
            return; // nothing worth keeping (and the spare kept is not replaced by nothing)
        }
        let _ = SPARE.try_with(|cell| {
            let mut spare = cell.take();
            spare.tokens = keep(std::mem::take(&mut self.tokens));
            spare.wide = keep(std::mem::take(&mut self.wide));
            spare.sampled_starts = keep(std::mem::take(&mut self.sampled_starts));
            spare.spelling_len = keep(std::mem::take(&mut self.spelling_len));
            let counts = std::mem::take(&mut self.counts);
            spare.counts = Vocabulary {
                words: if counts.words.capacity() <= SPARE_MAX_BYTES {
                    counts.words
                } else {
                    String::new()
                },
                entries: keep(counts.entries),
                slots: keep(counts.slots),
            };
            spare.entry_of_spelling = keep(std::mem::take(&mut self.entry_of_spelling));
            spare.lower_hashes = keep(std::mem::take(&mut self.lower_hashes));
            spare.maybe_repeats = keep(std::mem::take(&mut self.maybe_repeats));
            spare.spellings = keep(std::mem::take(&mut self.spellings));
            spare.first_token = keep(std::mem::take(&mut self.first_token));
            spare.spelling_clean = keep(std::mem::take(&mut self.spelling_clean));
            spare.spelling_latin1_letters = keep(std::mem::take(&mut self.spelling_latin1_letters));
            cell.set(spare);
        });
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
    let spare = SPARE.try_with(|cell| cell.take()).unwrap_or_default();
    let table = Spellings::new(n, spare.slots, spare.used_slots);
    // Sized as the table: the spellings it holds before it grows.
    let spellings_expected = table.slots.len() / 2;
    let mut scan = Scan {
        prose,
        // French prose has about one token per 7 bytes: reserving a little more avoids the
        // copy of a growth (pages reserved but never written cost no memory).
        tokens: reuse(spare.tokens, n / 5),
        wide: reuse(spare.wide, 0),
        sampled_starts: reuse(spare.sampled_starts, 0),
        prev_end: 0,
        table,
        spellings: reuse(spare.spellings, spellings_expected),
        notes: reuse(spare.notes, spellings_expected),
        prev_folded: u64::MAX,
        maybe_repeats: reuse(spare.maybe_repeats, 0),
        split_runs: reuse(spare.split_runs, 0),
        split_pieces: reuse(spare.split_pieces, 0),
    };
    // 64 bytes at a time, a bit mask of the bytes that may belong to a token; its runs of set
    // bits are found by their edges. A run may span blocks: `carry` is the last bit of the
    // previous block, `start` the start of the open run.
    let (mut start, mut in_run, mut carry) = (0, false, 0u64);
    let mut base = 0;
    while base < n {
        let mask = match bytes.get(base..base + 64) {
            Some(block) => wordish_mask(block.try_into().unwrap_or(&[0; 64])),
            None => {
                // The last block, zero-padded: a zero byte is not a word character.
                let mut block = [0u8; 64];
                block[..n - base].copy_from_slice(&bytes[base..]);
                wordish_mask(&block)
            }
        };
        let mut edges = mask ^ ((mask << 1) | carry);
        carry = mask >> 63;
        // Edges alternate: the end of the open run, if any, then (start, end) pairs.
        if in_run {
            if edges == 0 {
                base += 64;
                continue;
            }
            scan.run(start, base + edges.trailing_zeros() as usize);
            edges &= edges - 1;
        }
        loop {
            if edges == 0 {
                in_run = false;
                break;
            }
            start = base + edges.trailing_zeros() as usize;
            edges &= edges - 1;
            if edges == 0 {
                in_run = true;
                break;
            }
            scan.run(start, base + edges.trailing_zeros() as usize);
            edges &= edges - 1;
        }
        base += 64;
    }
    if in_run {
        scan.run(start, n);
    }
    let Scan {
        tokens,
        wide,
        sampled_starts,
        mut table,
        spellings,
        notes,
        maybe_repeats,
        split_runs,
        split_pieces,
        ..
    } = scan;
    let mut occurrences = spare.occurrences;
    occurrences.clear();
    occurrences.resize(spellings.len(), 0);
    for &i in &table.used {
        let s = &mut table.slots[i as usize];
        // Not `NOT_WORD`, `SPLIT` or `SPLIT_KNOWN`, which all have that bit.
        if s.value & SPLIT_KNOWN == 0 {
            occurrences[(s.value >> 1) as usize] = s.count;
        }
        // Emptied for the next document (see `Spare`).
        *s = Slot::default();
    }
    table.used.clear();
    // The occurrences of the pieces of known split runs, which did not go through their slots.
    for run in &split_runs {
        let first = run.first_piece as usize;
        for piece in &split_pieces[first..first + run.pieces as usize] {
            occurrences[(piece.value >> 1) as usize] += run.uses;
        }
    }
    // The vocabulary, in spelling order; a spelling already in lower case is its own key.
    let mut counts = Vocabulary::with_capacity(spellings.len(), spare.counts);
    let mut entry_of_spelling = spare.entry_of_spelling;
    entry_of_spelling.clear();
    entry_of_spelling.resize(spellings.len(), NO_ENTRY);
    let mut lower_hashes = spare.lower_hashes;
    lower_hashes.clear();
    let mut lower = spare.lower;
    let spellings_iter = spellings.iter().zip(&notes).zip(&occurrences);
    // Each spelling's lower-case hash (0 for one not clean) as its entry is made.
    let hashes = spellings_iter
        .zip(&mut entry_of_spelling)
        .map(|(((span, note), &occ), entry)| {
            if !note.clean {
                return 0;
            }
            let word = &prose[span.clone()];
            let key = if note.lower {
                word
            } else {
                crate::text::lower_into(word, &mut lower);
                lower.as_str()
            };
            let hash;
            (*entry, hash) = counts.add(key, occ);
            hash
        });
    lower_hashes.extend(hashes);
    let mut spelling_len = spare.spelling_len;
    spelling_len.clear();
    spelling_len.extend(spellings.iter().map(|s| s.len() as u32));
    let mut first_token = spare.first_token;
    first_token.clear();
    first_token.extend(notes.iter().map(|n| n.first_token));
    let mut spelling_clean = spare.spelling_clean;
    spelling_clean.clear();
    spelling_clean.extend(notes.iter().map(|n| n.clean));
    let mut spelling_latin1_letters = spare.spelling_latin1_letters;
    spelling_latin1_letters.clear();
    spelling_latin1_letters.extend(notes.iter().map(|n| n.latin1_letters));
    // The pass's own buffers back for the next document.
    let _ = SPARE.try_with(|cell| {
        let mut kept = cell.take();
        kept.slots = keep(table.slots);
        kept.used_slots = keep(table.used);
        kept.notes = keep(notes);
        kept.split_runs = keep(split_runs);
        kept.split_pieces = keep(split_pieces);
        kept.occurrences = keep(occurrences);
        kept.lower = lower;
        cell.set(kept);
    });
    Words {
        tokens,
        wide,
        sampled_starts,
        spelling_len,
        counts,
        entry_of_spelling,
        lower_hashes,
        maybe_repeats,
        spellings,
        first_token,
        spelling_clean,
        spelling_latin1_letters,
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
        let toks: Vec<&str> = w.tokens().map(|t| &doc.text()[t.span()]).collect();
        assert!(toks.contains(&"pri¢"));
        assert!(toks.contains(&"1égislation"));
        assert_eq!(w.count("états"), 2);
        assert_eq!(w.count("pri¢"), 0);
        let etats: Vec<u32> = w
            .tokens()
            .filter(|t| &doc.text()[t.span()] == "États")
            .map(|t| t.spelling())
            .collect();
        assert_eq!(etats.len(), 2);
        assert_eq!(etats[0], etats[1]);
        assert_eq!(&doc.text()[w.spellings[etats[0] as usize].clone()], "États");
        assert_eq!(w.lower_count(etats[0]), 2);
        assert_eq!(w.repeats().count(), 0);
        let doc = crate::document::parse(
            "Les les États états de\nde pri¢ pri¢ 12 12 Œuvre œuvre.\n".into(),
        );
        let w = doc.words();
        let pairs: Vec<&str> = w
            .repeats()
            .map(|i| &doc.text()[w.token(i).span()])
            .collect();
        // « pri¢ » is not a clean word; « Œ » and « œ » differ by more than the 0x20 bit.
        assert_eq!(pairs, ["les", "états", "de"]);
        let pri = w
            .tokens()
            .find(|t| &doc.text()[t.span()] == "pri¢")
            .map(|t| t.spelling());
        assert_eq!(pri.map(|p| w.lower_count(p)), Some(0));
    }

    /// The count of two spellings joined, from their entries, is that of the joined text
    /// lower-cased, for every pair of spellings.
    #[test]
    fn joined_lower_count_is_count_of_the_join() {
        let doc = crate::document::parse(
            "Projet\n\nLa cybercriminalité, Cybercriminali té, CYBER criminalité, l’œuvre \
             Œuvre Ré élue réélue 3x y élaboration Élabor ation ab AB abab Abab.\n"
                .into(),
        );
        let w = doc.words();
        for a in 0..w.spellings.len() as u32 {
            for b in 0..w.spellings.len() as u32 {
                let text = |s: u32| &doc.prose[w.spellings[s as usize].clone()];
                let both_clean = w.spelling_clean[a as usize] && w.spelling_clean[b as usize];
                let want = if both_clean {
                    w.count(&format!("{}{}", text(a), text(b)))
                } else {
                    0
                };
                assert_eq!(w.joined_lower_count(a, b), want, "{} {}", text(a), text(b));
            }
        }
        assert_eq!(w.count("cybercriminalité"), 1);
        assert!(w.counts.keys().any(|k| k == "abab"));
        assert_eq!(w.counts.keys().count(), w.counts.entries.len());
    }

    #[test]
    fn index_at_is_a_partition_point() {
        let text: String = (0..300).map(|i| format!("w{} mot, ", i % 7)).collect();
        let doc = crate::document::parse(format!("Projet\n\n{text}\n"));
        let w = doc.words();
        assert!(w.len() > 2 * super::SAMPLE);
        let tokens: Vec<super::Token> = w.tokens().collect();
        for offset in 0..doc.text().len() + 2 {
            let want = tokens.partition_point(|t| t.end() <= offset);
            assert_eq!(w.index_at(offset), want, "{offset}");
        }
    }

    #[test]
    fn tokens_read_by_index_are_the_tokens_read_in_order() {
        // Gaps of every width, 255 bytes and more among them (kept whole), blocks starting
        // with a far token, and more spellings than fit beside the gap in tests
        // (`PACKED_LIMIT`), some of them not clean.
        let mut text = String::from("Projet\n\n");
        for i in 0..400 {
            let letter = |k: usize| char::from(b'a' + (k % 26) as u8);
            let word = match i % 5 {
                4 => format!("z{}{}", letter(i / 5), letter(i / 130)),
                3 if i % 10 == 3 => format!("y{}9", letter(i / 10)),
                k => ["mot", "é", "développement", "x"][k].to_string(),
            };
            text.push_str(&word);
            let gap = if i % 37 == 0 { 253 + i % 11 } else { 1 + i % 5 };
            text.push_str(&" ".repeat(gap));
        }
        let doc = crate::document::parse(text);
        let w = doc.words();
        let all: Vec<super::Token> = w.tokens().collect();
        assert_eq!(all.len(), w.len());
        assert!(w.spellings.len() * 2 > super::PACKED_LIMIT as usize + 20);
        let far = w
            .wide
            .iter()
            .filter(|t| t.spelling_clean < super::PACKED_LIMIT);
        assert!(far.count() > 5, "far gaps are exercised");
        for (i, t) in all.iter().enumerate() {
            let key = |t: &super::Token| (t.span(), t.spelling_clean);
            let (after, before) = (w.token_after(i, *t), w.token_before(i, *t));
            assert_eq!(after.map(|t| key(&t)), all.get(i + 1).map(key), "{i}");
            let want = i.checked_sub(1).map(|j| key(&all[j]));
            assert_eq!(before.map(|t| key(&t)), want, "{i}");
            let (first, token) = w.first_token(t.spelling());
            assert_eq!(key(&token), key(&all[first]));
            assert!(first <= i && all[..first].iter().all(|u| u.spelling() != t.spelling()));
            let (text, clean) = (&doc.prose[t.span()], t.clean());
            assert_eq!(w.spelling_clean[t.spelling() as usize], clean, "{text}");
            assert_eq!(&doc.prose[w.spellings[t.spelling() as usize].clone()], text);
            assert_eq!(clean, !text.ends_with('9'), "{text}");
        }
        let spans = |ts: &[super::Token]| ts.iter().map(|t| t.span()).collect::<Vec<_>>();
        for i in 0..all.len() {
            assert_eq!(w.token(i).span(), all[i].span(), "{i}");
            assert_eq!(w.token(i).spelling(), all[i].spelling(), "{i}");
            let hi = (i + 40).min(all.len());
            let range: Vec<super::Token> = w.tokens_in(i..hi).collect();
            assert_eq!(spans(&range), spans(&all[i..hi]), "{i}");
            let ids: Vec<u32> = w.spellings_in(i..hi).collect();
            let want: Vec<u32> = all[i..hi].iter().map(|t| t.spelling()).collect();
            assert_eq!(ids, want);
            for m in [3, 7, 40] {
                let is = |s: u32| s % m == 2;
                let want = all[i..]
                    .iter()
                    .position(|t| is(t.spelling()))
                    .map(|k| i + k);
                assert_eq!(w.position_from(i, is), want, "{i} {m}");
            }
        }
        for offset in 0..doc.text().len() + 2 {
            assert_eq!(
                w.index_at(offset),
                all.partition_point(|t| t.end() <= offset)
            );
        }
        assert!(w.get(all.len()).is_none());
        assert_eq!(w.tokens_in(all.len()..all.len() + 3).count(), 0);
    }

    #[test]
    fn short_pieces_classify_as_decoded() {
        // Every run of word characters of 8 bytes or less that `short_run_class` accepts, from
        // the seeds and from pairs of characters around the Latin-1 block: the same facts as
        // decoding it (`lower` only matters for a clean run).
        let mut runs: Vec<String> = short_pair_runs().collect();
        for text in crate::test_support::seed_texts() {
            for run in plain_word_runs(&text) {
                for len in 1..=8 {
                    if let Some(piece) = text.get(run.start..(run.start + len).min(run.end)) {
                        runs.push(piece.to_string());
                    }
                }
            }
        }
        for c in [
            '¢', 'µ', 'ª', 'ė', 'Œ', 'œ', '×', '÷', 'ß', 'ÿ', 'Þ', 'þ', 'À', 'à',
        ] {
            for other in ["a", "A", "1", "é", "É", "ab9", "Ab"] {
                runs.push(format!("{c}{other}"));
                runs.push(format!("{other}{c}"));
            }
        }
        let mut checked = 0;
        for run in runs.iter().filter(|r| !r.is_empty() && r.len() <= 8) {
            if !run.chars().all(super::is_word_char) {
                continue;
            }
            let key = super::spelling_key(run.as_bytes(), 0, run.len());
            let Some(class) = super::short_run_class(key) else {
                continue;
            };
            let (word, clean, lower, latin1) = super::decoded_facts(run);
            assert_eq!(
                (
                    class.word,
                    class.clean,
                    class.clean && class.lower,
                    class.latin1_letters
                ),
                (word, clean, lower, latin1),
                "{run:?}"
            );
            checked += 1;
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn all_word_chars_is_is_word_char() {
        for text in crate::test_support::seed_texts() {
            let bytes = text.as_bytes();
            // The runs of ASCII letters, digits and non-ASCII characters.
            let mut i = 0;
            while i < bytes.len() {
                if !(bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80) {
                    i += 1;
                }
                let want = text[start..i].chars().all(super::is_word_char);
                assert_eq!(
                    super::all_word_chars(&text, start, i),
                    want,
                    "{:?}",
                    &text[start..i]
                );
            }
        }
    }

    #[test]
    fn non_ascii_word_char_is_is_word_char() {
        let mut buf = [0u8; 4];
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let text = c.encode_utf8(&mut buf);
            let want = (super::is_word_char(c), c.len_utf8());
            assert_eq!(super::non_ascii_word_char(text, 0), want, "{c:?}");
        }
    }

    #[test]
    fn latin_letter_bytes_passes_only_word_chars() {
        // Every character at every position of an 8-byte word of ASCII letters (or cut by the
        // word's end): a passing word holds only word characters, and the frequent French
        // letters pass.
        let mut passed = String::new();
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let encoded = c.encode_utf8(&mut buf).as_bytes();
            for at in 0..8 {
                let mut word = *b"abcdefgh";
                let n = encoded.len().min(8 - at);
                word[at..at + n].copy_from_slice(&encoded[..n]);
                let whole = n == encoded.len();
                if super::latin_letter_bytes(u64::from_le_bytes(word)) && whole && at == 0 {
                    passed.push(c);
                }
                if whole && super::latin_letter_bytes(u64::from_le_bytes(word)) {
                    assert!(super::is_word_char(c), "{c:?} at {at}");
                }
            }
        }
        for c in "éèàçêôûîïëüÉÈÀÇœŒæÆâ".chars() {
            assert!(passed.contains(c), "{c:?}");
        }
        assert!(!passed.contains('×') && !passed.contains('÷'));
    }

    /// Runs of up to 16 bytes: every pair of characters among the ASCII letters and digits and
    /// U+0080..U+0250, after 0 to 12 ASCII letters (several offsets in the 8-byte key halves).
    fn short_pair_runs() -> impl Iterator<Item = String> {
        let chars: Vec<char> = ('0'..='9')
            .chain('A'..='Z')
            .chain('a'..='z')
            .chain((0x80..0x250).filter_map(char::from_u32))
            .collect();
        let pairs: Vec<(char, char)> = chars
            .iter()
            .flat_map(|&a| chars.iter().map(move |&b| (a, b)))
            .collect();
        pairs.into_iter().flat_map(|(a, b)| {
            [0, 3, 6, 9, 12]
                .into_iter()
                .map(move |pad| format!("{}{a}{b}", "x".repeat(pad)))
                .filter(|word| word.len() <= 16)
        })
    }

    #[test]
    fn latin_lower_bytes_is_is_lower_latin1() {
        // Every short run that passes `latin_letter_bytes` as `Scan::first_run` tests it.
        let mut checked = 0;
        for word in short_pair_runs() {
            let (head, tail) = super::spelling_key(word.as_bytes(), 0, word.len());
            if !(super::latin_letter_bytes(head) && super::latin_letter_bytes(tail)) {
                continue;
            }
            let lower = super::latin_lower_bytes(head) && super::latin_lower_bytes(tail);
            assert_eq!(lower, crate::text::is_lower_latin1(&word), "{word:?}");
            checked += 1;
        }
        assert!(checked > 100_000, "{checked}");
    }

    #[test]
    fn short_run_class_is_the_word_arithmetic() {
        // Every short run of `short_pair_runs`, then arbitrary keys.
        let mut passed = 0;
        for word in short_pair_runs() {
            let key = super::spelling_key(word.as_bytes(), 0, word.len());
            let want = super::short_run_class_words(key);
            assert_eq!(super::short_run_class(key), want, "{word:?}");
            passed += usize::from(want.is_some());
        }
        assert!(passed > 100_000, "{passed}");
        // The digits facing letters are missed, as they always were (identical output).
        let key = super::spelling_key(b"abcdefgh12", 0, 10);
        assert_eq!(super::short_run_class(key).map(|c| c.clean), Some(true));
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..1_000_000 {
            let (head, tail) = (next(), next());
            // Also with ASCII letters in place of most bytes, so that more keys pass.
            let letters = next() & 0x3F3F_3F3F_3F3F_3F3F | 0x4040_4040_4040_4040;
            for key in [(head, tail), (head & letters, tail | letters), (letters, 0)] {
                assert_eq!(
                    super::short_run_class(key),
                    super::short_run_class_words(key),
                    "{key:x?}"
                );
            }
        }
    }

    #[test]
    fn wordish_mask_is_the_byte_test() {
        let text = "Les États-Unis, l’homme 1égislation pri¢ × ÷ «\u{a0}mot\u{a0}» A/78/L.1 œuvre ";
        let bytes: Vec<u8> = text.bytes().cycle().take(64 * 5).collect();
        for block in bytes.windows(64) {
            let want = block
                .iter()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_alphanumeric() || **b >= 0x80)
                .fold(0u64, |m, (k, _)| m | 1 << k);
            let block = block.try_into().unwrap();
            assert_eq!(super::wordish_mask(block), want);
            assert_eq!(crate::text::alnum_mask64_words::<true>(block), want);
        }
        // Every byte value at every position.
        for first in 0..=255u8 {
            let block: [u8; 64] = std::array::from_fn(|k| first.wrapping_add(37 * k as u8));
            let want = (0..64)
                .filter(|&k| block[k].is_ascii_alphanumeric() || block[k] >= 0x80)
                .fold(0u64, |m, k| m | 1 << k);
            assert_eq!(super::wordish_mask(&block), want);
            assert_eq!(crate::text::alnum_mask64_words::<true>(&block), want);
        }
    }

    #[test]
    fn tokens_are_the_runs_of_word_chars() {
        // Lengths that put token edges on every position of a 64-byte block, and the text's end
        // inside a token.
        let mut text = String::from("Projet\n\n");
        for i in 0..900 {
            let word = [
                "a",
                "État",
                "l’homme",
                "pri¢",
                "2024",
                "développement",
                "x9",
                "«\u{a0}oui\u{a0}»",
                "élaboration",
                "2×3",
                "ė",
                "Étatsdéveloppementéconomique",
                "réélue",
                "µm",
                "d’écœurement",
            ][i % 15];
            text.push_str(&word.repeat(1 + i % 7));
            text.push_str([" ", ", ", "-", "\u{202f}: "][i % 4]);
        }
        text.push_str("fin");
        let doc = crate::document::parse(text);
        let prose = doc.prose.as_str();
        let want = plain_word_runs(prose);
        let got: Vec<_> = doc.words().tokens().map(|t| t.span()).collect();
        assert_eq!(got, want);
    }

    /// The spans of the runs of word characters that hold a letter, read character by
    /// character: the oracle of the tests of the words pass's tokens.
    fn plain_word_runs(prose: &str) -> Vec<std::ops::Range<usize>> {
        let mut runs = Vec::new();
        let mut start = None;
        for (i, c) in prose.char_indices().chain([(prose.len(), ' ')]) {
            match (super::is_word_char(c), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    if prose[s..i].chars().any(super::is_alphabetic) {
                        runs.push(s..i);
                    }
                    start = None;
                }
                _ => {}
            }
        }
        runs
    }

    #[test]
    fn known_split_runs_are_split_runs() {
        // Elisions and other runs split at a non-word character, repeated (their pieces are
        // then pushed from the run's entry), in both cases, after far gaps (255 bytes and more:
        // split again), doubled (« l’homme l’homme »), and among more spellings than fit in
        // a packed token in tests (`PACKED_LIMIT`): the tokens, counts and repeats are those of
        // the runs of word characters, read plainly.
        let mut text = String::from("Projet\n\n");
        let runs = [
            "l’homme",
            "L’homme",
            "d’une",
            "D’UNE",
            "qu’à",
            "«\u{a0}oui\u{a0}»",
            "1\u{202f}000",
            "l’x9",
            "a’b’c’d",
            "2×3",
            "s’il",
            "j’ai’",
        ];
        for i in 0..600 {
            if i % 97 == 50 {
                text.push_str(&" ".repeat(260));
            }
            if i % 5 == 4 {
                // Late spellings, some of them the pieces of split runs (not kept as known
                // when their ids do not fit in a packed token).
                let letter = |k: usize| char::from(b'a' + (k % 26) as u8);
                text.push_str(&format!("z{}{} ", letter(i / 5), letter(i / 130)));
                text.push_str(&format!("l’z{}{} ", letter(i / 10), letter(i / 260)));
            }
            let run = runs[(i * 7 + i / 13) % runs.len()];
            text.push_str(run);
            text.push_str(if i % 3 == 0 { " " } else { ", " });
            if i % 11 == 0 {
                text.push_str(run);
                text.push(' ');
            }
        }
        let doc = crate::document::parse(text);
        let prose = doc.prose.as_str();
        let w = doc.words();
        let want = plain_word_runs(prose);
        let all: Vec<super::Token> = w.tokens().collect();
        let spans: Vec<_> = all.iter().map(|t| t.span()).collect();
        assert_eq!(spans, want);
        assert!(!w.wide.is_empty());
        let mut counts = std::collections::HashMap::new();
        for t in &all {
            let text = &prose[t.span()];
            let clean = !text.chars().any(|c| c == '¢' || c.is_ascii_digit());
            assert_eq!(t.clean(), clean, "{text}");
            assert_eq!(&prose[w.spellings[t.spelling() as usize].clone()], text);
            if clean {
                *counts.entry(text.to_lowercase()).or_insert(0u32) += 1;
            }
        }
        for (word, &n) in &counts {
            assert_eq!(w.count(word), n, "{word}");
        }
        for t in &all {
            let lower = prose[t.span()].to_lowercase();
            let n = if t.clean() { counts[&lower] } else { 0 };
            assert_eq!(w.lower_count(t.spelling()), n);
        }
        let repeats: Vec<usize> = (1..all.len())
            .filter(|&i| {
                let (a, b) = (&prose[all[i - 1].span()], &prose[all[i].span()]);
                let fold = |s: &str| s.bytes().map(|b| b | 0x20).collect::<Vec<u8>>();
                all[i].clean()
                    && all[i - 1].clean()
                    && fold(a) == fold(b)
                    && a.to_lowercase() == b.to_lowercase()
            })
            .collect();
        assert!(repeats.len() > 20);
        assert_eq!(w.repeats().collect::<Vec<_>>(), repeats);
        for offset in 0..prose.len() + 2 {
            assert_eq!(
                w.index_at(offset),
                all.partition_point(|t| t.end() <= offset)
            );
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

#[cfg(test)]
mod spare_tests {
    use super::*;

    /// Everything a rule can read of a document's words.
    fn summary(w: &Words) -> String {
        let tokens: Vec<_> = w
            .tokens()
            .map(|t| (t.span(), t.spelling(), t.clean()))
            .collect();
        let vocabulary: Vec<_> = w.counts.keys().map(|k| (k, w.count_lower(k))).collect();
        let per_spelling: Vec<_> = (0..w.spellings.len() as u32)
            .map(|s| {
                // The hashes read in order are those of the vocabulary entries.
                assert_eq!(w.lower_hashes()[s as usize], w.lower_hash(s).unwrap_or(0));
                (w.lower_count(s), w.first_token(s).0, w.lower_hash(s))
            })
            .collect();
        let repeats: Vec<_> = w.repeats().collect();
        format!(
            "{tokens:?} {vocabulary:?} {per_spelling:?} {repeats:?} {:?}",
            w.spellings
        )
    }

    /// A document's words are the same whether its pass takes new buffers or those another
    /// document left (larger or smaller, its tokens dropped or still alive).
    #[test]
    fn words_from_spare_buffers_are_words_from_new_ones() {
        let mut docs: Vec<_> = crate::test_support::seed_texts()
            .into_iter()
            .map(crate::document::parse)
            .collect();
        docs.push(crate::document::parse("Les les États.\n".into()));
        let fresh: Vec<String> = docs
            .iter()
            .map(|d| {
                SPARE.with(|cell| cell.take());
                summary(&extract(d))
            })
            .collect();
        // Each after the one before it, then in reverse, and with the previous one still alive.
        for order in [false, true] {
            let mut alive = None;
            for k in 0..docs.len() {
                let k = if order { docs.len() - 1 - k } else { k };
                let words = extract(&docs[k]);
                assert_eq!(summary(&words), fresh[k], "document {k}");
                if k % 2 == 0 {
                    alive = Some(words);
                } else {
                    drop(alive.take());
                }
            }
        }
    }
}
