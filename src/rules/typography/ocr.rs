use super::{
    char_before, sentence_start, shared_apostrophes, shared_code_or_url_marks, LineCursor, Markers,
    TypographyConfig,
};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Document, Lang, Span};
use crate::extract::words::{is_alphabetic, is_word_char, Vocabulary, Words, HASH_BASE};
use crate::rules::{Context, Rule};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashSet;

declare_rule! {
    /// ## What it checks
    /// Characters that optical character recognition (OCR) typically misreads in French text:
    /// « 1’ », « I’ », « [’ » or a lone « ’ » where « l’ » was meant (« 1’Assemblée »,
    /// « de ’ONUDC »); « ¢ » for « é » (« pri¢ »); « Ila » for « la »; a lone « & » for « à »;
    /// capitals that lost their accent (« Etats », « Education », « A sa 1re séance »); and
    /// letters swapped inside words (« premicre », « rdles », « fagon », « ceuvre », « aofit »,
    /// « systémes », « 1égislation »).
    ///
    /// A damaged word is reported only when its repaired form is in the shipped word list or
    /// occurs elsewhere in the same document, and only in French text (a quoted English title
    /// is left alone).
    ///
    /// ## Why it matters
    /// Scanned or OCR-converted drafts carry this damage into the final text; it is invisible
    /// to a reader skimming the page but jars in print and breaks search and translation memory.
    ///
    /// ## Example
    /// ```text
    /// Dans sa résolution 65/230, 1’Assemblée générale a pri¢ la Commission…
    ///                            ^^ l’                     ^^^^ prié
    /// ```
    ///
    /// ## Configuration
    /// The word lists live in `rules/typography-fr.toml` under `[typography]`
    /// (`capital_accents`, `a_grave_before`, `ocr_words`, `known_words.words`,
    /// `known_words.exceptions`); an `unlint.toml` can extend them. Fixes are safe when the
    /// repair is certain (« 1’A » → « l’A », a listed word) and unsafe otherwise.
    pub struct Ocr = "typography/ocr", Severity::Warning;
}

/// Elided words: « l’ », « d’ », « qu’ »… A lone apostrophe after one of them is a spacing
/// defect (« d ’infractions »), not a lost « l ».
pub(crate) const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
];

fn is_vowel(c: char) -> bool {
    "aeiouyàâäéèêëîïôöùûüœæhAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆH".contains(c)
}

fn is_consonant(c: char) -> bool {
    c.is_ascii_lowercase() && !"aeiouy".contains(c)
}

/// `rest` (after a vowel) is one or two consonants and a mute final « e »: the place where
/// French writes « è » (« systè|me », « premiè|re », « règ|le »).
fn before_mute_e(rest: &str) -> bool {
    // Consonants are ASCII, so byte offsets are character offsets up to the « e ».
    let n = rest
        .bytes()
        .take_while(|b| is_consonant(*b as char))
        .count();
    if !(1..=2).contains(&n) || rest.as_bytes().get(n) != Some(&b'e') {
        return false;
    }
    let tail = &rest[n + 1..];
    // « élément », « également »: -ément is not a mute « e ».
    if rest == "ment" || rest == "ments" {
        return false;
    }
    matches!(
        tail,
        "" | "s" | "nt" | "ment" | "ments" | "ra" | "ront" | "rait"
    )
}

/// How a substitution may be confirmed.
#[derive(Clone, Copy, PartialEq)]
enum Confirm {
    /// By the word list or the document's vocabulary; the fix is safe either way.
    Vocab,
    /// By the word list (safe) or the vocabulary (unsafe fix).
    VocabUnsafe,
    /// By the word list only.
    ListOnly,
}

struct Sub {
    from: &'static str,
    to: &'static str,
    confirm: Confirm,
    /// Extra condition on (text before, text after) the substituted part.
    guard: fn(&str, &str) -> bool,
}

fn inside(before: &str, _after: &str) -> bool {
    before.chars().next_back().is_some_and(is_alphabetic)
}
fn mute_e(_before: &str, after: &str) -> bool {
    before_mute_e(after)
}
fn inside_mute_e(before: &str, after: &str) -> bool {
    inside(before, after) && before_mute_e(after)
}
fn final_s(before: &str, after: &str) -> bool {
    inside(before, after) && after == "s"
}
fn before_aou(before: &str, after: &str) -> bool {
    inside(before, after) && after.starts_with(['a', 'o', 'u'])
}
fn before_ui(_before: &str, after: &str) -> bool {
    after.starts_with(['u', 'i'])
}
fn any(_: &str, _: &str) -> bool {
    true
}

const SUBS: &[Sub] = &[
    Sub {
        from: "eé",
        to: "è",
        confirm: Confirm::Vocab,
        guard: inside,
    },
    Sub {
        from: "é",
        to: "è",
        confirm: Confirm::VocabUnsafe,
        guard: mute_e,
    },
    Sub {
        from: "e",
        to: "è",
        confirm: Confirm::VocabUnsafe,
        guard: inside_mute_e,
    },
    Sub {
        from: "é",
        to: "è",
        confirm: Confirm::ListOnly,
        guard: final_s,
    },
    Sub {
        from: "e",
        to: "è",
        confirm: Confirm::ListOnly,
        guard: final_s,
    },
    Sub {
        from: "c",
        to: "è",
        confirm: Confirm::Vocab,
        guard: inside_mute_e,
    },
    Sub {
        from: "d",
        to: "ô",
        confirm: Confirm::Vocab,
        guard: inside,
    },
    Sub {
        from: "g",
        to: "ç",
        confirm: Confirm::Vocab,
        guard: before_aou,
    },
    Sub {
        from: "c",
        to: "ç",
        confirm: Confirm::VocabUnsafe,
        guard: before_aou,
    },
    Sub {
        from: "ce",
        to: "œ",
        confirm: Confirm::Vocab,
        guard: before_ui,
    },
    Sub {
        from: "cc",
        to: "œ",
        confirm: Confirm::Vocab,
        guard: before_ui,
    },
    Sub {
        from: "ee",
        to: "œ",
        confirm: Confirm::Vocab,
        guard: before_ui,
    },
    Sub {
        from: "fi",
        to: "û",
        confirm: Confirm::ListOnly,
        guard: inside,
    },
    Sub {
        from: "i",
        to: "û",
        confirm: Confirm::ListOnly,
        guard: inside,
    },
    Sub {
        from: "é",
        to: "ê",
        confirm: Confirm::VocabUnsafe,
        guard: inside,
    },
    Sub {
        from: "e",
        to: "ê",
        confirm: Confirm::ListOnly,
        guard: inside,
    },
    Sub {
        from: "a",
        to: "â",
        confirm: Confirm::ListOnly,
        guard: any,
    },
    Sub {
        from: "o",
        to: "ô",
        confirm: Confirm::ListOnly,
        guard: inside,
    },
    Sub {
        from: "u",
        to: "û",
        confirm: Confirm::ListOnly,
        guard: inside,
    },
    Sub {
        from: "1",
        to: "l",
        confirm: Confirm::Vocab,
        guard: any,
    },
];

/// Start offsets of the non-overlapping occurrences of `needle` in `word`, left to right (as
/// `str::match_indices`, without building a searcher per call: words are short).
fn occurrences<'a>(word: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let (w, n) = (word.as_bytes(), needle.as_bytes());
    let mut i = 0;
    std::iter::from_fn(move || {
        while i + n.len() <= w.len() {
            if w[i] == n[0] && w[i..].starts_with(n) {
                let at = i;
                i += n.len();
                return Some(at);
            }
            i += 1;
        }
        None
    })
}

/// One byte more of the hash of the words of [`Repairable`]: the vocabulary's polynomial
/// hash ([`crate::extract::words::Vocabulary::hash`]), byte by byte from 0, so that a clean
/// spelling's [`Words::lower_hash`] is its lower case's hash here.
#[inline]
fn hash_step(h: u64, b: u8) -> u64 {
    h.wrapping_mul(HASH_BASE).wrapping_add(u64::from(b))
}

/// The hash ([`hash_step`]) of the concatenation of `parts`, so that a word is hashed from its
/// pieces without being assembled.
fn concat_hash(parts: &[&[u8]]) -> u64 {
    let mut h = 0;
    for part in parts {
        for &b in *part {
            h = hash_step(h, b);
        }
    }
    h
}

/// Hashes of the lower-cased words that [`repair_word`] could repair, so that the other words
/// (nearly all of a document's) are rejected without trying each substitution: a repair
/// turns the word into a listed word (or its plural in -s/-x) or a word of the document by one
/// substitution of [`SUBS`]. Undoing each possible substitution in each such word gives every
/// repairable word. The « 1 » → « l » substitution is left out (it would undo every « l »):
/// words with a « 1 » are never rejected.
///
/// The set is the union of the listed words' part (built once per configuration, in
/// [`Tables`]) and the document's own vocabulary's. The vocabulary's part undoes only the
/// substitutions that the vocabulary may confirm (not [`Confirm::ListOnly`]): a repair by any
/// other is confirmed by the word list alone, whose part has them all. A bit table of both
/// parts answers first: nearly every spelling of a document is rejected by one bit, not by a
/// look-up in each part (the listed part was copied into one set for every document).
struct Repairable<'t> {
    /// The listed words' part, [`Tables::listed_undone`].
    listed: &'t FxHashSet<u64>,
    /// The document's part, sorted, each hash once: a few hundred hashes, pushed as they are
    /// made and sorted once (a hash set grown insert by insert cost more than the hashing).
    own: Vec<u64>,
    /// Bit [`repairable_bit`] of every hash of both parts, and of the lower case of every word
    /// that has a [`special_plan`] (a copy of [`Tables::listed_bits`] with the document's
    /// added): a spelling whose lower case's bit is clear has nothing to do at all.
    bits: Vec<u64>,
}

/// log2 of the number of bits of [`Repairable::bits`]: far more than the few thousand hashes of
/// the shipped word list, so that few other words pass.
const REPAIRABLE_BITS_ORDER: u32 = 16;

/// The bit of [`Repairable::bits`] of a hash (its high bits once mixed).
fn repairable_bit(hash: u64) -> usize {
    (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - REPAIRABLE_BITS_ORDER)) as usize
}

/// The bit table of [`Repairable::bits`] of the hashes `hashes`, added to `bits` (empty: a new
/// one).
fn with_repairable_bits<'h>(mut bits: Vec<u64>, hashes: impl Iterator<Item = &'h u64>) -> Vec<u64> {
    bits.resize((1 << REPAIRABLE_BITS_ORDER) / 64, 0);
    for &h in hashes {
        let bit = repairable_bit(h);
        bits[bit / 64] |= 1 << (bit % 64);
    }
    bits
}

/// Adds the hash of every word that one substitution of [`SUBS`] (but « 1 », and but the
/// [`Confirm::ListOnly`] ones unless `list_only` is set) turns into `word` followed by `ending`.
fn insert_undone(set: &mut impl Extend<u64>, word: &str, ending: &str, list_only: bool) {
    // Every `to` but « l » is one non-ASCII letter.
    if word.is_ascii() {
        return;
    }
    let bytes = word.as_bytes();
    for (j, &lead) in bytes.iter().enumerate() {
        // Each `to` but « l » starts with C3 (« è », « ô », « ç », « û », « ê », « â ») or C5
        // (« œ »), bytes that only ever start a character: only there is a character decoded,
        // and most (« é » above all) are no substitution's `to`, skipped before the
        // substitutions are searched for them.
        if lead != 0xC3 && lead != 0xC5 {
            continue;
        }
        let Some(c) = word[j..].chars().next().filter(|&c| is_sub_target(c)) else {
            continue;
        };
        let (before, after) = (&word[..j], &word[j + c.len_utf8()..]);
        // The substitutions to `c` (its last byte stands for it among the targets), read from
        // a table: filtering the 20 substitutions took some 400 instructions a letter.
        let mut subs = SUBS_TO_LAST_BYTE[usize::from(bytes[j + c.len_utf8() - 1])];
        if !list_only {
            subs &= VOCAB_CONFIRMED_SUBS;
        }
        while subs != 0 {
            let sub = &SUBS[subs.trailing_zeros() as usize];
            subs &= subs - 1;
            set.extend([concat_hash(&[
                before.as_bytes(),
                sub.from.as_bytes(),
                after.as_bytes(),
                ending.as_bytes(),
            ])]);
        }
    }
}

/// The substitutions of [`SUBS`] (bit `i` for `SUBS[i]`) whose `to` is the two-byte letter
/// that ends with this byte: every `to` but « l » (of « 1 », left out), and the last bytes of
/// those letters are distinct (a test checks both).
const SUBS_TO_LAST_BYTE: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < SUBS.len() {
        let to = SUBS[i].to.as_bytes();
        if to.len() == 2 {
            t[to[1] as usize] |= 1 << i;
        }
        i += 1;
    }
    t
};

/// The substitutions of [`SUBS`] (bit `i` for `SUBS[i]`) that the vocabulary may confirm (not
/// [`Confirm::ListOnly`]).
const VOCAB_CONFIRMED_SUBS: u32 = {
    let mut mask = 0;
    let mut i = 0;
    while i < SUBS.len() {
        if !matches!(SUBS[i].confirm, Confirm::ListOnly) {
            mask |= 1 << i;
        }
        i += 1;
    }
    mask
};

/// Whether `c` is the `to` of a substitution of [`SUBS`] other than « 1 » → « l » (a test
/// holds this list to the table).
fn is_sub_target(c: char) -> bool {
    matches!(c, 'è' | 'ô' | 'ç' | 'œ' | 'û' | 'ê' | 'â')
}

/// Whether each byte is the last byte of a substitution's `to` that the vocabulary may
/// confirm (« è », « ô », « ç », « œ », « ê »: not [`Confirm::ListOnly`], not « 1 » → « l »;
/// a test holds this list to the table). A lower-case word with none of these bytes has none
/// of these characters, and [`insert_undone`] adds nothing for it. The rule searches for them
/// as [`VOCAB_TARGET_BYTES`]; the tests read this table.
#[cfg(test)]
const VOCAB_TARGET_LAST_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < VOCAB_TARGET_BYTES.len() {
        t[VOCAB_TARGET_BYTES[i] as usize] = true;
        i += 1;
    }
    t
};

/// The bytes of [`VOCAB_TARGET_LAST_BYTES`]: « è » (C3 A8), « ê » (C3 AA), « ç » (C3 A7),
/// « ô » (C3 B4), « œ » (C5 93).
const VOCAB_TARGET_BYTES: [u8; 5] = [0xA8, 0xAA, 0xA7, 0xB4, 0x93];

impl<'t> Repairable<'t> {
    /// The set of the document of `words`, from every word of its vocabulary: what
    /// [`Self::of_vocabulary`] builds from the few words that matter.
    #[cfg(test)]
    fn new(words: &Words, cfg: &'t TypographyConfig) -> Self {
        let mut own = Vec::new();
        for v in words.counts.keys() {
            if v.bytes().any(|b| VOCAB_TARGET_LAST_BYTES[usize::from(b)]) {
                insert_undone(&mut own, v, "", false);
            }
        }
        Self::with_own(cfg, own)
    }

    /// The set of the listed words and of the document's part `own`.
    fn with_own(cfg: &'t TypographyConfig, mut own: Vec<u64>) -> Self {
        own.sort_unstable();
        own.dedup();
        let tables = Tables::of(cfg);
        Repairable {
            listed: &tables.listed_undone,
            bits: with_repairable_bits(tables.listed_bits.clone(), own.iter()),
            own,
        }
    }

    /// The set of the document of `words`: what [`Self::new`] builds, from the vocabulary's
    /// words that hold a last byte of a letter [`insert_undone`] undoes for the vocabulary
    /// (a few hundred of some 3 000 a document), found by a byte search over the vocabulary's
    /// buffer instead of a pass over every word (or every spelling, lower-cased again).
    fn of_vocabulary(words: &Words, cfg: &'t TypographyConfig) -> Self {
        let mut own = Vec::new();
        for v in words.counts.keys_holding(&VOCAB_TARGET_BYTES) {
            insert_undone(&mut own, v, "", false);
        }
        Self::with_own(cfg, own)
    }

    /// Whether `hash`, the hash [`Self::may_repair`] makes of a word, may be a repairable word's.
    #[inline]
    fn contains(&self, hash: u64) -> bool {
        self.has_bit(hash) && (self.listed.contains(&hash) || self.own.binary_search(&hash).is_ok())
    }

    /// Whether the bit of `hash` is set in [`Self::bits`]: false when a word whose lower case
    /// has this hash is neither repairable nor special, for sure.
    #[inline]
    fn has_bit(&self, hash: u64) -> bool {
        let bit = repairable_bit(hash);
        self.bits[bit / 64] & 1 << (bit % 64) != 0
    }

    /// False when [`repair_word`] finds no repair of `word` for sure. The test hashes the word
    /// lower-cased as `repair_word` does when the lower case is aligned with the word; any other
    /// word, and any word with a « 1 », may be repairable.
    fn may_repair(&self, word: &str) -> bool {
        // The same hash as `may_repair_chars`, byte by byte while the word is ASCII or
        // U+00C0..U+00FF (lead byte C3, nearly every non-ASCII letter of French text), whose
        // lower case is the character itself or, for « À »..« Þ » but « × », 32 code points
        // down, within the same two bytes.
        let bytes = word.as_bytes();
        let mut h = 0;
        let mut i = 0;
        while i < bytes.len() {
            let (lower, next) = match bytes[i] {
                b'1' => return true,
                b @ 0..=0x7f => (b.to_ascii_lowercase(), None),
                0xc3 => match bytes[i + 1] {
                    b @ 0x80..=0x9e if b != 0x97 => (0xc3, Some(b + 0x20)),
                    b => (0xc3, Some(b)),
                },
                _ => return self.may_repair_chars(word),
            };
            h = hash_step(h, lower);
            i += 1;
            if let Some(b) = next {
                h = hash_step(h, b);
                i += 1;
            }
        }
        self.contains(h)
    }

    /// [`Self::may_repair`] for any word, a character at a time.
    fn may_repair_chars(&self, word: &str) -> bool {
        let mut h = 0;
        let mut buf = [0u8; 4];
        for c in word.chars() {
            let lower = if c.is_ascii() {
                if c == '1' {
                    return true;
                }
                c.to_ascii_lowercase()
            } else {
                let mut l = c.to_lowercase();
                match (l.next(), l.next()) {
                    (Some(lc), None) if lc.len_utf8() == c.len_utf8() && c != 'Σ' => lc,
                    _ => return true,
                }
            };
            for &b in lower.encode_utf8(&mut buf).as_bytes() {
                h = hash_step(h, b);
            }
        }
        self.contains(h)
    }
}

/// Whether `word`, of ASCII and Latin-1 characters (one or two bytes each), has three
/// characters or more: six bytes are enough, shorter words count their first bytes.
fn at_least_three_chars(word: &[u8]) -> bool {
    word.len() >= 6 || word.iter().filter(|&&b| b & 0xC0 != 0x80).count() >= 3
}

/// The plan of a word that depends on the word alone, if any: a whole-word OCR rendering
/// (« Ila » for « la »), a capital that lost its accent (« Etats » for « États »), « A ». Only
/// a word whose first byte is one of [`Tables::special_first_bytes`] has one.
fn special_plan<'c>(tables: &'c Tables, word: &str) -> Option<Plan<'c>> {
    let first = word.as_bytes()[0];
    if tables.ocr_first_bytes[usize::from(first)] {
        if let Some(fixed) = tables.ocr_words.get(word) {
            return Some(Plan::OcrWord(fixed));
        }
    }
    // Every key starts with the de-accented capital (E, A, I or O).
    if let b'E' | b'A' | b'I' | b'O' = first {
        if let Some(accented) = tables.caps.get(word) {
            return Some(Plan::Capital(accented));
        }
    }
    (word == "A").then_some(Plan::A)
}

/// The number of bits of [`Tables::special_bits`]: far more than the few dozen special words.
const SPECIAL_BITS: usize = 4096;

/// The bit of [`Tables::special_bits`] of a vocabulary hash (its high bits once mixed).
fn special_bit(hash: u64) -> usize {
    (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SPECIAL_BITS.trailing_zeros())) as usize
}

/// The OCR rule's tables derived from the configuration, built once per run
/// ([`TypographyConfig::ocr_tables`]): building them for each document was a fixed cost of
/// every file.
#[derive(Debug, Clone)]
pub(crate) struct Tables {
    /// The listed words' part of [`Repairable`]: a target is a listed word plus an ending (its
    /// plural in -s or -x).
    listed_undone: FxHashSet<u64>,
    /// The bit table of `listed_undone` and of the lower cases of the words that have a
    /// [`special_plan`] ([`Repairable::bits`]).
    listed_bits: Vec<u64>,
    /// `capital_accents` by their de-accented form (« Etats » → « États »), the first listed
    /// first.
    caps: FxHashMap<String, String>,
    /// `ocr_words` in a hash map: a B-tree node is searched by comparing the word with each key
    /// in turn.
    ocr_words: FxHashMap<String, String>,
    /// Whether some key of `ocr_words` starts with this byte: most spellings are passed over
    /// without hashing them.
    ocr_first_bytes: [bool; 256],
    /// Whether a word that starts with this byte may have a [`special_plan`]: the
    /// `ocr_first_bytes` and the de-accented capitals that start the keys of `caps`.
    special_first_bytes: [bool; 256],
    /// The bits ([`special_bit`]) of the vocabulary hashes ([`Words::lower_hash`]) of the
    /// lower-cased words that have a [`special_plan`] (the keys of `ocr_words` and `caps`, and
    /// « A »): a spelling whose lower case has no bit has none, decided from its hash, without
    /// reading its first byte in the text (a cache miss for most of a report's spellings).
    special_bits: [u64; SPECIAL_BITS / 64],
    /// [`TypographyConfig::a_grave_set`].
    a_grave: HashSet<String>,
    /// The texts of the findings made so far in the run, by what decides them.
    texts: TextsCache,
}

/// [`FindingTexts`] by a key that says what decides them (see [`Tables::finding_texts`]):
/// the reports of a run repeat the same damage, and making the texts (three joined, shared
/// strings, some 1 000 instructions) for each document that has it was a cost of every
/// document. A copy of the configuration starts with an empty cache.
#[derive(Debug, Default)]
struct TextsCache(std::sync::Mutex<FxHashMap<Box<str>, FindingTexts>>);

impl Clone for TextsCache {
    fn clone(&self) -> Self {
        TextsCache::default()
    }
}

impl Tables {
    /// False when no word of lower-case hash `hash` has a [`special_plan`], for sure.
    #[inline]
    fn may_be_special(&self, hash: u64) -> bool {
        let bit = special_bit(hash);
        self.special_bits[bit / 64] & 1 << (bit % 64) != 0
    }

    fn of(cfg: &TypographyConfig) -> &Tables {
        cfg.ocr_tables.get_or_init(|| {
            let mut listed_undone = FxHashSet::default();
            for k in cfg.known_lower() {
                for ending in ["", "s", "x"] {
                    insert_undone(&mut listed_undone, k, ending, true);
                }
            }
            // First occurrence wins, as the linear search it replaces did.
            let mut caps = FxHashMap::default();
            for w in &cfg.capital_accents {
                let k = deaccent_first(w);
                if k != *w {
                    caps.entry(k).or_insert_with(|| w.clone());
                }
            }
            let mut ocr_first_bytes = [false; 256];
            for k in cfg.ocr_words.keys() {
                if let Some(&b) = k.as_bytes().first() {
                    ocr_first_bytes[usize::from(b)] = true;
                }
            }
            let mut special_first_bytes = ocr_first_bytes;
            for b in [b'E', b'A', b'I', b'O'] {
                special_first_bytes[usize::from(b)] = true;
            }
            let mut special_bits = [0u64; SPECIAL_BITS / 64];
            let mut special_hashes = Vec::new();
            let mut lower = String::new();
            for k in cfg
                .ocr_words
                .keys()
                .chain(caps.keys())
                .map(String::as_str)
                .chain(["A"])
            {
                crate::text::lower_into(k, &mut lower);
                let hash = Vocabulary::hash(lower.as_bytes());
                let bit = special_bit(hash);
                special_bits[bit / 64] |= 1 << (bit % 64);
                special_hashes.push(hash);
            }
            let screened = listed_undone.iter().chain(&special_hashes);
            Tables {
                special_first_bytes,
                special_bits,
                listed_bits: with_repairable_bits(Vec::new(), screened),
                listed_undone,
                caps,
                ocr_words: cfg
                    .ocr_words
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                ocr_first_bytes,
                a_grave: cfg.a_grave_set(),
                texts: TextsCache::default(),
            }
        })
    }

    /// The texts under the key `key` (joined in `key_buf`), made by `make` (with `buf`) the
    /// first time in the run. The key says which kind of finding the texts are for and all
    /// that they depend on (words, which hold no NUL, the separator of the parts).
    fn finding_texts(
        &self,
        key: &[&str],
        key_buf: &mut String,
        buf: &mut String,
        make: impl FnOnce(&mut String) -> FindingTexts,
    ) -> FindingTexts {
        key_buf.clear();
        for part in key {
            key_buf.push_str(part);
            key_buf.push('\0');
        }
        let key = key_buf.as_str();
        // A panic elsewhere while the lock was held leaves a map of complete entries.
        let mut cache = self.texts.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = cache.get(key) {
            return known.clone();
        }
        let texts = make(buf);
        cache.insert(key.into(), texts.clone());
        texts
    }
}

/// The first confirmed repair of a damaged word: (repaired word, safe).
pub(crate) fn repair_word(
    word: &str,
    words: &Words,
    cfg: &TypographyConfig,
) -> Option<(String, bool)> {
    repair_word_in(word, words, cfg, &mut RepairBufs::default())
}

/// The buffers of [`repair_word_in`], kept from one word to the next: three strings a word
/// were allocated and freed.
#[derive(Default)]
struct RepairBufs {
    lower_word: String,
    cand: String,
    lower: String,
}

/// [`repair_word`] with the buffers `bufs`.
fn repair_word_in(
    word: &str,
    words: &Words,
    cfg: &TypographyConfig,
    bufs: &mut RepairBufs,
) -> Option<(String, bool)> {
    let RepairBufs {
        lower_word,
        cand,
        lower,
    } = bufs;
    crate::text::lower_into(word, lower_word);
    if cfg.is_known_lower(lower_word) || cfg.is_exception_lower(lower_word) {
        return None;
    }
    // Each character lower-cases to one character of the same length (and there is no capital
    // sigma, whose lower case depends on the context): then a candidate's lower case is the
    // lower-cased word around the substitution (every `to` is lower-case), at the same offsets.
    // So does every character below U+0100 (lead bytes C2 and C3: « À »..« Þ » lower-case 32
    // code points down, the others are their own lower case), answered from the bytes.
    let aligned = word.bytes().all(|b| b < 0xC4) || word.chars().all(|c| {
        let mut l = c.to_lowercase();
        c.is_ascii()
            || c != 'Σ'
                && matches!((l.next(), l.next()), (Some(lc), None) if lc.len_utf8() == c.len_utf8())
    });
    // The bytes of the word: a substitution whose first byte is not among them cannot apply.
    let mut present = [false; 256];
    for &b in word.as_bytes() {
        present[usize::from(b)] = true;
    }
    // A word the document uses often is a word, not damage (unless it has a digit in it).
    let plain = word.chars().all(is_alphabetic);
    for sub in SUBS {
        if !present[usize::from(sub.from.as_bytes()[0])] {
            continue;
        }
        for i in occurrences(word, sub.from) {
            let before = &word[..i];
            let after = &word[i + sub.from.len()..];
            if !(sub.guard)(before, after) {
                continue;
            }
            cand.clear();
            cand.push_str(before);
            cand.push_str(sub.to);
            cand.push_str(after);
            let cb = cand.as_bytes();
            if cb.iter().any(u8::is_ascii_digit) || cb.windows(2).any(|w| w == [0xC2, 0xA2]) {
                continue;
            }
            if aligned {
                lower.clear();
                lower.push_str(&lower_word[..i]);
                lower.push_str(sub.to);
                lower.push_str(&lower_word[i + sub.from.len()..]);
            } else {
                crate::text::lower_into(cand, lower);
            }
            // Most candidates are neither listed nor in the document: test that first, the
            // exceptions after (both only reject).
            let listed = cfg.is_known_lower(lower);
            let ok = match sub.confirm {
                Confirm::ListOnly => listed,
                Confirm::Vocab | Confirm::VocabUnsafe => listed || words.count_lower(lower) > 0,
            };
            if !ok || cfg.is_exception_lower(lower) {
                continue;
            }
            // Two spellings the document both uses often are a variant, not damage.
            if plain && !listed && words.count_lower(lower_word) > words.count_lower(lower) {
                continue;
            }
            let safe = listed || sub.confirm == Confirm::Vocab;
            return Some((cand.as_str().to_owned(), safe));
        }
    }
    None
}

/// The repair of a word with « ¢ » in it: (repaired word, safe).
fn repair_cent(word: &str, words: &Words, cfg: &TypographyConfig) -> Option<(String, bool)> {
    let i = word.find('¢')?;
    let before = &word[..i];
    let after = &word[i + '¢'.len_utf8()..];
    let letters = before
        .chars()
        .chain(after.chars())
        .filter(|c| c.is_alphabetic())
        .count();
    if letters < 2 || word.chars().any(|c| c.is_ascii_digit()) {
        return None; // « c¢) » is a list label; « 5¢ » is money
    }
    let mut cands = vec![format!("{before}é{after}"), format!("{before}è{after}")];
    if after.starts_with(['a', 'o', 'u']) {
        cands.insert(0, format!("{before}ç{after}"));
    }
    if after.starts_with(['é', 'è', 'e']) || before.ends_with(['é', 'è', 'e']) {
        cands.insert(0, format!("{before}{after}"));
    }
    cands.retain(|c| !c.contains('¢'));
    // The word list first, then the document's vocabulary (unless the form found there is
    // itself damaged, as « matiére » is).
    if let Some(c) = cands.iter().find(|c| cfg.is_known(c)) {
        return Some((c.clone(), true));
    }
    if let Some(c) = cands
        .iter()
        .find(|c| words.count(c) > 0 && repair_word(c, words, cfg).is_none())
    {
        return Some((c.clone(), true));
    }
    let fallback = cands.iter().find(|c| !c.contains('¢')).cloned()?;
    let fallback = if after.starts_with(['é', 'è']) || after.starts_with(['a', 'o', 'u']) {
        fallback
    } else {
        format!("{before}é{after}")
    };
    Some((fallback, false))
}

/// What to do with each occurrence of one spelling of a token that has something to do.
enum Plan<'c> {
    /// A whole-word OCR rendering and its correction (« Ila » → « la »), mid-sentence.
    OcrWord(&'c String),
    /// A capital that lost its accent, and the accented word.
    Capital(&'c String),
    /// « A », which may stand for « À » at the start of a sentence.
    A,
    /// Damage and its confirmed repair.
    Repair {
        fixed: String,
        safe: bool,
        /// The word starts with « 1 »: after a digit it is part of a number.
        not_after_digit: bool,
    },
}

/// The [`Plan`] of each spelling of a document that has one.
struct Plans<'c> {
    /// By spelling id: 0 for a spelling with nothing to do (nearly all), else 1 + the index of
    /// its plan in `plans`. One word per spelling is read at every token: a `Plan` takes 32
    /// bytes.
    active: Vec<u32>,
    plans: Vec<Plan<'c>>,
}

impl<'c> Plans<'c> {
    fn add(&mut self, spelling: u32, plan: Plan<'c>) {
        self.plans.push(plan);
        self.active[spelling as usize] = self.plans.len() as u32;
    }

    fn add_some(&mut self, spelling: u32, plan: Option<Plan<'c>>) {
        if let Some(plan) = plan {
            self.add(spelling, plan);
        }
    }
}

/// How many tokens the token loop of [`Finder::tokens`] reads ahead to an active token before
/// it rebuilds that token from the nearest sampled one instead ([`Words::tokens_in`], at most
/// 31 tokens and a binary search away): the cheaper past this distance.
const RESTART_AFTER: usize = 48;

struct Finder<'a> {
    doc: &'a Document,
    cfg: &'a TypographyConfig,
    markers: Markers<'a>,
    /// The document's code and URL marks, for the [`LineCursor`] of each pass.
    marks: &'a [usize],
    /// The caller's findings: pushed to directly (a Vec of the rule's own, appended at the
    /// end, was one of the largest allocations at the run's memory peak).
    out: &'a mut Vec<Diagnostic>,
    /// The texts of the elision findings so far, by the text found (the finding's span) and
    /// whether the « l » written is a capital (index 1): the two decide what such a finding
    /// says (see [`Finder::report_elision`]).
    elision_texts: [FxHashMap<Box<str>, FindingTexts>; 2],
    /// Where the texts of a new [`FindingTexts`] are joined before they are shared.
    text_buf: String,
    /// Where the key of [`Tables::finding_texts`] is built.
    key_buf: String,
}

/// The texts of the findings of a misread word (`word` for `fixed`): the document's, kept in
/// `texts` (the slot of the word's plan), else the run's ([`Tables::finding_texts`]), made the
/// first time. `bufs`: the key's buffer and the texts' buffer.
fn misread_texts<'t>(
    texts: &'t mut Option<FindingTexts>,
    tables: &Tables,
    word: &str,
    fixed: &str,
    (key_buf, buf): &mut (String, String),
) -> &'t FindingTexts {
    texts.get_or_insert_with(|| {
        tables.finding_texts(&["misread", word, fixed], key_buf, buf, |buf| {
            FindingTexts::misread(word, fixed, buf)
        })
    })
}

/// The message, help and replacement of a finding, shared by every finding that says the same:
/// an OCR'd report repeats the same damage (« 1’Assemblée ») hundreds of times, and joining the
/// texts and making three shared strings costs some 1 300 instructions, several times the
/// look-up that finds them made.
#[derive(Clone, Debug)]
struct FindingTexts {
    message: std::sync::Arc<str>,
    help: std::sync::Arc<str>,
    replacement: std::sync::Arc<str>,
}

impl FindingTexts {
    /// The texts of the damage `found`, to be written `fixed` by an edit that writes
    /// `replacement`. `found` and `fixed` come in pieces, joined straight into the message and
    /// the help.
    fn damage(
        found: &[&str],
        fixed: &[&str],
        what: &str,
        replacement: &[&str],
        buf: &mut String,
    ) -> Self {
        FindingTexts {
            message: joined(
                buf,
                &[&["`"], found, &["` looks like OCR damage (", what, ")"]],
            ),
            help: joined(buf, &[&["write `"], fixed, &["`"]]),
            replacement: joined(buf, &[replacement]),
        }
    }

    /// The texts of the OCR'd word `word`, whose letters were misread for those of `fixed`.
    fn misread(word: &str, fixed: &str, buf: &mut String) -> Self {
        FindingTexts::damage(&[word], &[fixed], "misread letters", &[fixed], buf)
    }

    /// Pushes to `out` the finding at `span` that says these texts, fixed by writing the
    /// replacement over `edit`.
    fn push(&self, out: &mut Vec<Diagnostic>, span: Span, edit: Span, safe: bool) {
        let fix = if safe {
            Fix::safe(edit, self.replacement.clone())
        } else {
            Fix::unsafe_(edit, self.replacement.clone())
        };
        out.push(
            Diagnostic::new(Ocr::ID, span, self.message.clone())
                .with_help(self.help.clone())
                .with_fix(fix),
        );
    }
}

impl Finder<'_> {
    /// Reports the damaged elision at `span`, fixed by the edit at `edit`. What the finding says
    /// depends only on the text of `span` and on whether the « l » written is a capital: its
    /// texts are made by `texts` the first time, then found by that text.
    fn report_elision(
        &mut self,
        span: Span,
        capital: bool,
        edit: Span,
        safe: bool,
        texts: impl FnOnce(&mut String) -> FindingTexts,
    ) {
        let found = &self.doc.prose[span.clone()];
        let made = &mut self.elision_texts[usize::from(capital)];
        let texts = match made.get(found) {
            Some(known) => known,
            None => {
                let run_texts = Tables::of(self.cfg).finding_texts(
                    &["elision", if capital { "L" } else { "l" }, found],
                    &mut self.key_buf,
                    &mut self.text_buf,
                    texts,
                );
                made.entry(found.into()).or_insert(run_texts)
            }
        };
        texts.push(self.out, span, edit, safe);
    }

    /// « 1’Assemblée », « I’ONUDC », « [’accent », « de ’ONUDC ».
    fn elisions(&mut self) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let words = doc.words();
        let bytes = prose.as_bytes();
        // Whether the document elides with straight apostrophes: needed only for a lone straight
        // apostrophe before a vowel (rare), so counted then.
        let straight_elisions = std::cell::OnceCell::new();
        let mut lines = LineCursor::new(doc, self.marks);
        for (p, apo) in shared_apostrophes(doc) {
            // The run of look-alikes of « l » just before the apostrophe (ASCII, so a byte is a
            // character), and the character before it. Tested first: after nearly every
            // apostrophe (« l’État ») that character is a letter, and the apostrophe is skipped.
            let mut run_start = p;
            while run_start > p.saturating_sub(2)
                && matches!(bytes[run_start - 1], b'1' | b'I' | b'[' | b'|')
            {
                run_start -= 1;
            }
            let run = &prose[run_start..p];
            let before_run = char_before(prose, run_start);
            if before_run.is_some_and(|c| is_word_char(c) || c == '/' || c == '.' && run.is_empty())
            {
                continue;
            }
            let after_apo = p + apo.len_utf8();
            let rest = &prose[after_apo..];
            let (gap, next) = match rest.chars().next() {
                Some(' ') => (1, rest[1..].chars().next()),
                other => (0, other),
            };
            let Some(next) = next else { continue };
            if !is_alphabetic(next) {
                continue;
            }
            let word_start = after_apo + gap;
            let word_end = word_start
                + prose[word_start..]
                    .find(|c: char| !is_alphabetic(c))
                    .unwrap_or(prose.len() - word_start);
            let next_word = &prose[word_start..word_end];
            if lines.skip(p) {
                continue;
            }
            let capital = sentence_start(doc, run_start);
            let l = if capital { "L" } else { "l" };
            if run.is_empty() {
                // A lone curly apostrophe before a vowel: « de ’ONUDC ».
                if gap != 0 || !is_vowel(next) {
                    continue;
                }
                // A straight one may open a 'quotation': only in a document that elides with
                // straight apostrophes, and with no closing one further on the line.
                if apo == '\'' {
                    if !*straight_elisions.get_or_init(|| straight_elisions_in(prose)) {
                        continue;
                    }
                    let line_end = prose[word_end..]
                        .find('\n')
                        .map_or(prose.len(), |i| word_end + i);
                    let rest = &prose[word_end..line_end];
                    let closes = rest
                        .char_indices()
                        .any(|(i, c)| c == '\'' && !rest[i + 1..].starts_with(char::is_alphabetic));
                    if closes {
                        continue;
                    }
                }
                if before_run.is_some_and(|c| !(c.is_whitespace() || "(«“\"—–-".contains(c)))
                {
                    continue;
                }
                // « d ’infractions » is a spacing defect (typography/spacing). The elided words
                // are ASCII, and no other word lower-cases to one of them (only the Kelvin
                // sign lower-cases to an ASCII letter, « k »): compared ignoring ASCII case,
                // without lower-casing the word.
                let (wi, prev) = words.index_at_and_token_before(p);
                if let Some(prev) = prev {
                    let prev_word = &prose[prev.span()];
                    if ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(prev_word))
                        && prose[prev.end()..p].chars().all(|c| c == ' ')
                    {
                        continue;
                    }
                }
                // `english(p)`, whose token index is known.
                if self.markers.english_at_token(wi) {
                    continue;
                }
                let ambiguous = matches!(
                    next_word.to_lowercase().as_str(),
                    "un" | "une"
                        | "il"
                        | "ils"
                        | "elle"
                        | "elles"
                        | "on"
                        | "en"
                        | "y"
                        | "autre"
                        | "autres"
                        | "est"
                        | "a"
                        | "ont"
                );
                let mut buf = [0; 4];
                let apo: &str = apo.encode_utf8(&mut buf);
                // The text found is `prose[p..word_end]` (no gap).
                self.report_elision(p..word_end, capital, p..p, !ambiguous, |buf| {
                    FindingTexts::damage(
                        &[apo, next_word],
                        &[l, apo, next_word],
                        "« l » lost before the apostrophe",
                        &[l],
                        buf,
                    )
                });
                continue;
            }
            if !matches!(run, "1" | "I" | "[" | "|" | "1I" | "I1" | "1|") {
                continue;
            }
            if run == "I"
                && (matches!(next_word, "m" | "ve" | "ll" | "d" | "re" | "s")
                    || self.markers.english(p))
            {
                continue; // English « I’m », « I’ve »
            }
            if doc.lang != Lang::Fr {
                continue;
            }
            let mut buf = [0; 4];
            let apo: &str = apo.encode_utf8(&mut buf);
            let space = if gap == 1 { " " } else { "" };
            let safe = !capital || run != "I";
            // The text found is `prose[run_start..word_end]`, these four pieces.
            self.report_elision(
                run_start..word_end,
                capital,
                run_start..word_start,
                safe,
                |buf| {
                    FindingTexts::damage(
                        &[run, apo, space, next_word],
                        &[l, apo, next_word],
                        "« l’ » misread",
                        &[l, apo],
                        buf,
                    )
                },
            );
        }
    }

    /// What the token loop does with each distinct spelling: all of it depends on the word
    /// alone, so it is worked out once per spelling (indexed by [`Token::spelling`]).
    ///
    /// [`Token::spelling`]: crate::extract::words::Token::spelling
    fn plans<'c>(doc: &Document, cfg: &'c TypographyConfig) -> Plans<'c> {
        let prose = doc.prose.as_str();
        let bytes = prose.as_bytes();
        let words = doc.words();
        let tables = Tables::of(cfg);
        let mut plans = Plans {
            active: vec![0; words.spellings.len()],
            plans: Vec::new(),
        };
        if words.spellings.is_empty() {
            return plans;
        }
        let repairable = Repairable::of_vocabulary(words, cfg);
        let mut bufs = RepairBufs::default();
        // The spellings that the general tests below decide: with a « 1 », a « ¢ », a
        // character beyond Latin-1 (« œ »…), rare.
        let mut general = Vec::new();
        let n = words.spellings.len();
        let (lower_hashes, latin1_letters) = (
            &words.lower_hashes()[..n],
            &words.spelling_latin1_letters[..n],
        );
        for id in 0..n as u32 {
            let (lower_hash, latin1) = (lower_hashes[id as usize], latin1_letters[id as usize]);
            // A clean spelling of ASCII and Latin-1 letters (nearly all) is decided by the
            // hash of its lower case, which the words pass made for the vocabulary
            // ([`Words::lower_hashes`], read in order): when its bit in `repairable`'s table is
            // clear it is neither special nor repairable, decided in this one test; its bytes
            // are read only when that hash passes the screens below.
            if latin1 && lower_hash != 0 && !repairable.has_bit(lower_hash) {
                continue;
            }
            let span = &words.spellings[id as usize];
            let hash = latin1.then_some(lower_hash);
            let may_be_special = match hash {
                Some(h) => tables.may_be_special(h),
                None => tables.special_first_bytes[usize::from(bytes[span.start])],
            };
            if may_be_special {
                if let Some(plan) = special_plan(tables, &prose[span.clone()]) {
                    plans.add(id, plan);
                    continue;
                }
            }
            match hash {
                // Latin-1 letters only (no « 1 »: `may_repair` passes any word with one), each
                // lower-cased in place: the vocabulary's key is the word `repair_word`
                // lower-cases and `may_repair` hashes. Under three characters, nothing to
                // repair (what the general tests say).
                Some(h) if h != 0 => {
                    if repairable.contains(h) && at_least_three_chars(&bytes[span.clone()]) {
                        let word = &prose[span.clone()];
                        let repaired = repair_word_in(word, words, cfg, &mut bufs);
                        plans.add_some(id, Self::repair_plan(repaired, false, word));
                    }
                }
                // (A word whose hash happens to be 0 goes to the general tests, which decide
                // it alike.)
                _ => {
                    if !latin1 || at_least_three_chars(&bytes[span.clone()]) {
                        general.push(id);
                    }
                }
            }
        }
        for id in general {
            let word = &prose[words.spellings[id as usize].clone()];
            // « ¢ » is C2 A2 in UTF-8, and C2 only ever starts a character.
            let cent = word.as_bytes().windows(2).any(|w| w == [0xC2, 0xA2]);
            let repaired = if cent {
                repair_cent(word, words, cfg)
            } else if word.chars().all(|c| is_alphabetic(c) || c == '1') {
                // Two letters or fewer, or the cheap, exact reject of almost every word.
                if word.chars().nth(2).is_none() || !repairable.may_repair(word) {
                    None
                } else {
                    repair_word_in(word, words, cfg, &mut bufs)
                }
            } else {
                None
            };
            plans.add_some(id, Self::repair_plan(repaired, cent, word));
        }
        plans
    }

    /// The plan of `word` once its repair is known (`cent`: the word has a « ¢ »).
    fn repair_plan<'c>(
        repaired: Option<(String, bool)>,
        cent: bool,
        word: &str,
    ) -> Option<Plan<'c>> {
        let (fixed, safe) = repaired?;
        Some(Plan::Repair {
            fixed,
            safe,
            // « 2017 1égislation »: not after a number.
            not_after_digit: !cent && word.starts_with('1'),
        })
    }

    fn tokens(&mut self) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let bytes = prose.as_bytes();
        let words = doc.words();
        let a_grave = &Tables::of(self.cfg).a_grave;
        let Plans { active, plans } = Self::plans(doc, self.cfg);
        // The texts of the findings so far, by plan (that is by spelling): all they say
        // depends on the word.
        let mut texts_of: Vec<Option<FindingTexts>> = vec![None; plans.len()];
        let tables = Tables::of(self.cfg);
        let mut bufs = (String::new(), String::new());
        let mut lines = LineCursor::new(doc, self.marks);
        // The tokens are read by their spelling ids alone, and a token's position is rebuilt
        // only when its spelling is active (few are): `next` gives the tokens
        // from index `next_index` on, and moves ahead to each active token, or starts again
        // near it when that is cheaper (`tokens_in` rebuilds a token from a sampled one at
        // most a few dozen tokens before it).
        let mut next = words.tokens();
        let mut next_index = 0;
        let mut from = 0;
        while let Some(ti) = next_active(words, &active, from) {
            from = ti + 1;
            let spelling = words.spellings_in(ti..ti + 1).next().unwrap_or(0);
            if ti - next_index > RESTART_AFTER {
                next = words.tokens_in(ti..words.len());
                next_index = ti;
            }
            let Some(t) = next.nth(ti - next_index) else {
                break; // not reached: `next` has every token from `next_index` on
            };
            next_index = ti + 1;
            let plan_index = active[spelling as usize] as usize - 1;
            let plan = &plans[plan_index];
            let word = &prose[t.span()];
            let start = t.start();
            // Furniture and code or URLs are skipped; the test is costly, and all that follows
            // only reports, so it is made just before a report.
            let mut skipped = || lines.skip(start);
            // The characters tested here are ASCII, and a byte below 0x80 is always a whole
            // character: the byte on either side stands for the character.
            let prev_byte = start.checked_sub(1).map(|i| bytes[i]);
            let next_byte = bytes.get(t.end()).copied();
            // Part of a symbol or a number: « E/CN.15 », « 2017/L.1 ».
            if matches!(prev_byte, Some(b'/' | b'\\' | b'_'))
                || matches!(next_byte, Some(b'/' | b'_'))
            {
                continue;
            }
            match plan {
                Plan::OcrWord(fixed) => {
                    // Mid-sentence only.
                    let mid = prose[..start]
                        .trim_end_matches(' ')
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_lowercase() || c == ',');
                    if mid && !skipped() && !self.markers.english_at_token(ti) {
                        misread_texts(&mut texts_of[plan_index], tables, word, fixed, &mut bufs)
                            .push(self.out, t.span(), t.span(), true);
                    }
                }
                Plan::Capital(accented) => {
                    if next_byte != Some(b'.') && !skipped() && !self.markers.english_at_token(ti) {
                        texts_of[plan_index]
                            .get_or_insert_with(|| {
                                let first = accented.chars().next().unwrap();
                                let mut first_buf = [0; 4];
                                FindingTexts {
                                    message: joined(
                                        &mut bufs.1,
                                        &[&["`", word, "` lacks the accent on its capital"]],
                                    ),
                                    help: joined(&mut bufs.1, &[&["write `", accented, "`"]]),
                                    replacement: (&*first.encode_utf8(&mut first_buf)).into(),
                                }
                            })
                            .push(self.out, t.span(), start..start + 1, true);
                    }
                }
                // « A sa 1re séance » at the start of a sentence.
                Plan::A => {
                    if next_byte != Some(b' ') {
                        continue; // one letter: nothing to repair either
                    }
                    let Some(n) = words.get(ti + 1) else {
                        continue;
                    };
                    let mut next = prose[n.span()].to_lowercase();
                    if prose[n.end()..].starts_with(['’', '\'']) {
                        next.push_str(
                            &prose[n.end()
                                ..n.end() + prose[n.end()..].chars().next().unwrap().len_utf8()],
                        );
                    }
                    if n.start() == t.end() + 1
                        && a_grave.contains(&next)
                        && sentence_start(doc, start)
                        && !skipped()
                        && !self.markers.english_at_token(ti)
                    {
                        self.out.push(
                            Diagnostic::new(
                                Ocr::ID,
                                start..n.end(),
                                format!(
                                    "`A {}` lacks the accent: the preposition is `À`",
                                    &prose[n.span()]
                                ),
                            )
                            .with_help(format!("write `À {}`", &prose[n.span()]))
                            .with_fix(Fix::safe(start..start + 1, "À")),
                        );
                    }
                }
                Plan::Repair {
                    fixed,
                    safe,
                    not_after_digit,
                } => {
                    if *not_after_digit && prev_byte.is_some_and(|b| b.is_ascii_digit()) {
                        continue;
                    }
                    if !skipped() && !self.markers.english_at_token(ti) {
                        misread_texts(&mut texts_of[plan_index], tables, word, fixed, &mut bufs)
                            .push(self.out, t.span(), t.span(), *safe);
                    }
                }
            }
        }
    }

    /// A lone « & » between two lower-case words: « experts & composition ».
    fn ampersands(&mut self) {
        let prose = self.doc.prose.as_str();
        let bytes = prose.as_bytes();
        // The occurrences of « & » found by a byte search, kept as `match_indices(" & ")` would
        // find them: a space on each side, left to right, not overlapping the previous one.
        let mut taken_to = 0;
        for amp in memchr::memchr_iter(b'&', bytes) {
            if amp == 0
                || bytes[amp - 1] != b' '
                || bytes.get(amp + 1) != Some(&b' ')
                || amp - 1 < taken_to
            {
                continue;
            }
            let p = amp - 1;
            taken_to = p + 3;
            let before = prose[..p].chars().next_back();
            let after = prose[amp + 2..].chars().next();
            let words =
                before.is_some_and(char::is_lowercase) && after.is_some_and(char::is_lowercase);
            let numbers = before.is_some_and(|c| c.is_ascii_digit())
                && after.is_some_and(|c| c.is_ascii_digit());
            if (words || numbers) && !self.markers.english(amp) && !self.doc.is_furniture(amp) {
                self.out.push(
                    Diagnostic::new(Ocr::ID, amp..amp + 1, "`&` looks like OCR damage of `à`")
                        .with_help("write `à`")
                        .with_fix(Fix::safe(amp..amp + 1, "à")),
                );
            }
        }
    }
}

/// The index of the first token from index `from` on whose spelling is `active`. A function of
/// its own, not inlined, so that this loop over every token of the document keeps its few
/// values in registers: in the token loop's large body it took about 14 instructions a token,
/// here 9.
#[inline(never)]
fn next_active(words: &Words, active: &[u32], from: usize) -> Option<usize> {
    words.position_from(from, |spelling| active[spelling as usize] != 0)
}

/// The pieces joined into `buf` and shared: one allocation, the shared string's (a `String`
/// joined and turned into an `Arc<str>` is allocated, copied and freed).
fn joined(buf: &mut String, pieces: &[&[&str]]) -> std::sync::Arc<str> {
    buf.clear();
    pieces
        .iter()
        .flat_map(|p| p.iter())
        .for_each(|s| buf.push_str(s));
    std::sync::Arc::from(buf.as_str())
}

/// Whether `prose` has more straight than curly apostrophes between two letters (elisions).
fn straight_elisions_in(prose: &str) -> bool {
    let bytes = prose.as_bytes();
    let (mut straight, mut curly) = (0usize, 0usize);
    for i in memchr::memchr2_iter(b'\'', 0xE2, bytes) {
        let len = if bytes[i] == b'\'' {
            1
        } else if bytes[i..].starts_with("’".as_bytes()) {
            '’'.len_utf8()
        } else {
            continue;
        };
        if prose[..i].ends_with(is_alphabetic) && prose[i + len..].starts_with(is_alphabetic) {
            if len == 1 {
                straight += 1;
            } else {
                curly += 1;
            }
        }
    }
    straight > curly
}

/// « États » → « Etats ».
fn deaccent_first(w: &str) -> String {
    let mut cs = w.chars();
    let first = match cs.next() {
        Some('É' | 'È' | 'Ê') => 'E',
        Some('À' | 'Â') => 'A',
        Some('Î') => 'I',
        Some('Ô') => 'O',
        Some(c) => c,
        None => return String::new(),
    };
    std::iter::once(first).chain(cs).collect()
}

impl Rule for Ocr {
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
        let mut f = Finder {
            doc,
            cfg: &ctx.config.typography,
            markers: Markers::new(doc),
            marks: shared_code_or_url_marks(doc),
            out,
            elision_texts: Default::default(),
            text_buf: String::new(),
            key_buf: String::new(),
        };
        f.elisions();
        f.tokens();
        f.ampersands();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::typography::KnownWords;

    #[test]
    fn mute_e_positions() {
        for (rest, want) in [
            ("me", true),
            ("mes", true),
            ("re", true),
            ("rement", true),
            ("ne", true),
            ("s", false),
            ("ment", false),
            ("e", false),
            ("mer", false),
        ] {
            assert_eq!(before_mute_e(rest), want, "{rest}");
        }
    }

    #[test]
    fn substitutions_are_lower_case() {
        // repair_word assembles a candidate's lower case from the lower-cased word and `to`.
        for sub in SUBS {
            assert_eq!(sub.to.to_lowercase(), sub.to);
        }
        let cfg = TypographyConfig::default();
        let doc = crate::document::parse("Projet\n\nLes Systèmes et İstèmes.\n".into());
        // Lower case aligned with the word, and not (« İ » lower-cases to two characters).
        for (damaged, repaired) in [("Systémes", "Systèmes"), ("İstémes", "İstèmes")] {
            assert_eq!(
                repair_word(damaged, doc.words(), &cfg),
                Some((repaired.to_string(), false))
            );
            assert!(Repairable::new(doc.words(), &cfg).may_repair(damaged));
        }
    }

    #[test]
    fn sub_targets_are_the_table() {
        for sub in SUBS.iter().filter(|sub| sub.from != "1") {
            let mut cs = sub.to.chars();
            let c = cs.next().unwrap();
            assert!(
                cs.next().is_none() && !c.is_ascii() && is_sub_target(c),
                "{}",
                sub.to
            );
        }
        for c in ['è', 'ô', 'ç', 'œ', 'û', 'ê', 'â'] {
            assert!(SUBS
                .iter()
                .any(|sub| sub.from != "1" && sub.to.starts_with(c)));
        }
    }

    #[test]
    fn subs_to_last_byte_is_the_filter() {
        for c in ['è', 'ô', 'ç', 'œ', 'û', 'ê', 'â'] {
            let mut buf = [0; 4];
            let last = *c.encode_utf8(&mut buf).as_bytes().last().unwrap();
            for list_only in [false, true] {
                let want: Vec<usize> = (0..SUBS.len())
                    .filter(|&i| {
                        let sub = &SUBS[i];
                        sub.from != "1"
                            && sub.to.starts_with(c)
                            && (list_only || sub.confirm != Confirm::ListOnly)
                    })
                    .collect();
                let mut mask = SUBS_TO_LAST_BYTE[usize::from(last)];
                if !list_only {
                    mask &= VOCAB_CONFIRMED_SUBS;
                }
                let got: Vec<usize> = (0..SUBS.len()).filter(|i| mask & 1 << i != 0).collect();
                assert_eq!(got, want, "{c}");
            }
        }
    }

    /// The set built from the words the byte search finds is the one built from every word of
    /// the vocabulary.
    #[test]
    fn repairable_of_vocabulary_is_of_every_word() {
        let doc = crate::document::parse(
            "Projet\n\nLes SYSTÈMES, systèmes et Systèmes ; la CŒUR du cœur, l’œuvre, \
             la Façon, façon, FAÇON ; les Êtres, êtres ; le Rôle, rôle, RÔLE ; Ŝtè Łè \
             İstèmes ; le 1ère, pri¢e et a1ès ; âge, sûr, Âme.\n"
                .into(),
        );
        let cfg = TypographyConfig::default();
        let found = Repairable::of_vocabulary(doc.words(), &cfg);
        let of_vocabulary = Repairable::new(doc.words(), &cfg);
        assert_eq!(found.own, of_vocabulary.own);
        assert_eq!(found.bits, of_vocabulary.bits);
        // The words found are those holding a target byte, each once, in order.
        let want: Vec<&str> = doc
            .words()
            .counts
            .keys()
            .filter(|k| k.bytes().any(|b| VOCAB_TARGET_LAST_BYTES[usize::from(b)]))
            .collect();
        assert_eq!(doc.words().counts.keys_holding(&VOCAB_TARGET_BYTES), want);
        assert!(want.len() > 5);
        assert!(of_vocabulary.own.len() > 10);
        // Every hash of both parts has its bit.
        for h in of_vocabulary.own.iter().chain(of_vocabulary.listed) {
            assert!(of_vocabulary.contains(*h));
        }
    }

    /// The plan of `word` decided word by word, as [`Finder::plans`] did before its pass over
    /// the spellings was split in two (the reference of the test below).
    fn plan_word_by_word<'c>(
        word: &str,
        words: &Words,
        cfg: &'c TypographyConfig,
        rep: &Repairable,
    ) -> Option<Plan<'c>> {
        let tables = Tables::of(cfg);
        if let Some(fixed) = tables.ocr_words.get(word) {
            return Some(Plan::OcrWord(fixed));
        }
        if let Some(accented) = tables.caps.get(word) {
            return Some(Plan::Capital(accented));
        }
        if word == "A" {
            return Some(Plan::A);
        }
        let cent = word.contains('¢');
        let repaired = if cent {
            repair_cent(word, words, cfg)
        } else if word.chars().all(|c| is_alphabetic(c) || c == '1')
            && word.chars().nth(2).is_some()
            && rep.may_repair(word)
        {
            repair_word(word, words, cfg)
        } else {
            None
        };
        Finder::repair_plan(repaired, cent, word)
    }

    fn describe(plan: Option<&Plan>) -> String {
        match plan {
            None => "nothing".into(),
            Some(Plan::OcrWord(fixed)) => format!("ocr word {fixed}"),
            Some(Plan::Capital(accented)) => format!("capital {accented}"),
            Some(Plan::A) => "A".into(),
            Some(Plan::Repair {
                fixed,
                safe,
                not_after_digit,
            }) => format!("repair {fixed} {safe} {not_after_digit}"),
        }
    }

    /// The plans of every spelling are those decided word by word, on the seeds and on a text
    /// with each kind of damage.
    #[test]
    fn plans_are_decided_word_by_word() {
        let cfg = TypographyConfig {
            capital_accents: vec!["États".into(), "Éducation".into(), "Île".into()],
            ocr_words: [("Ila".to_string(), "la".to_string())].into(),
            known_words: KnownWords {
                words: vec!["première".into(), "législation".into(), "façon".into()],
                exceptions: vec![],
            },
            ..Default::default()
        };
        let damaged = "Projet\n\nLes Etats et Ila Education. A sa premicre séance, les \
                       systémes, SYSTÉMES, 1égislation, fagon, ceuvre et œuvre, rdles et rôles, \
                       pri¢ et prié, a1ès, İstémes, ŒUVRE, Ile ; les systèmes, la 1ère.\n";
        let mut texts = crate::test_support::seed_texts();
        texts.push(damaged.into());
        let mut active = 0;
        for text in texts {
            let doc = crate::document::parse(text);
            let words = doc.words();
            let rep = Repairable::new(words, &cfg);
            let plans = Finder::plans(&doc, &cfg);
            for (id, span) in words.spellings.iter().enumerate() {
                let word = &doc.prose[span.clone()];
                let got = match plans.active[id] {
                    0 => None,
                    k => Some(&plans.plans[k as usize - 1]),
                };
                active += usize::from(got.is_some());
                let want = plan_word_by_word(word, words, &cfg, &rep);
                assert_eq!(describe(got), describe(want.as_ref()), "{word}");
            }
        }
        assert!(active > 10, "{active}");
    }

    #[test]
    fn vocab_target_last_bytes_are_the_table() {
        for sub in SUBS
            .iter()
            .filter(|sub| sub.from != "1" && sub.confirm != Confirm::ListOnly)
        {
            assert!(
                VOCAB_TARGET_LAST_BYTES[usize::from(*sub.to.as_bytes().last().unwrap())],
                "{}",
                sub.to
            );
        }
        // Every byte of the table is the last byte of such a `to`.
        for b in (0..=255u8).filter(|b| VOCAB_TARGET_LAST_BYTES[usize::from(*b)]) {
            assert!(SUBS.iter().any(|sub| sub.from != "1"
                && sub.confirm != Confirm::ListOnly
                && sub.to.as_bytes().last() == Some(&b)));
        }
    }

    /// The byte-wise hash of `may_repair` is its character-wise hash, on every character of
    /// U+0000..U+0200 (and the word is rejected or not alike).
    #[test]
    fn may_repair_bytewise_is_charwise() {
        let doc = crate::document::parse("Projet\n\nLes systèmes et les États.\n".into());
        let cfg = TypographyConfig::default();
        let rep = Repairable::new(doc.words(), &cfg);
        for c in ('\0'..='\u{200}').filter(|c| *c != '1') {
            for w in [
                format!("syst{c}mes"),
                format!("{c}tats"),
                format!("SYSTEMES{c}"),
            ] {
                assert_eq!(rep.may_repair(&w), rep.may_repair_chars(&w), "{w}");
            }
        }
        assert!(rep.may_repair("systémes") && rep.may_repair("SYSTÉMES"));
        assert!(!rep.may_repair("systèmes"));
    }

    /// Where the scan screens a spelling by the vocabulary's hash of its lower case, the
    /// general tests of `Finder::plans` would have reached `may_repair`, and it would have
    /// answered the same; the hash is `concat_hash` of the word lower-cased.
    #[test]
    fn lower_hash_is_the_general_path() {
        let mut texts = crate::test_support::seed_texts();
        let mut odd = String::from("Projet\n\nLes systèmes et les États, systémes, SYSTÉMES.\n");
        for c in ('\0'..='\u{200}').filter(|c| !c.is_control()) {
            for w in [
                format!("syst{c}mes"),
                format!("{c}tats"),
                format!("SYSTEMES{c}"),
                format!("{c}e"),
                format!("{c}{c}"),
                format!("abcdefgh1{c}"),
                format!("1égislation{c}"),
            ] {
                odd.push_str(&w);
                odd.push(' ');
            }
        }
        texts.push(odd);
        let cfg = TypographyConfig::default();
        let mut answered = 0;
        for text in texts {
            let doc = crate::document::parse(text);
            let words = doc.words();
            let rep = Repairable::new(words, &cfg);
            for (id, span) in words.spellings.iter().enumerate() {
                let w = &doc.prose[span.clone()];
                if words.spelling_clean[id] {
                    let mut lower = String::new();
                    crate::text::lower_into(w, &mut lower);
                    assert_eq!(
                        words.lower_hash(id as u32),
                        Some(concat_hash(&[lower.as_bytes()])),
                        "{w}"
                    );
                }
                assert_eq!(
                    words.spelling_latin1_letters[id],
                    w.chars().all(|c| u32::from(c) < 0x100 && is_alphabetic(c)),
                    "{w}"
                );
                // The spellings that `Finder::plans` decides by their hash.
                let h = match words.lower_hash(id as u32) {
                    Some(h) if words.spelling_latin1_letters[id] => h,
                    _ => continue,
                };
                if h == 0 || !at_least_three_chars(w.as_bytes()) {
                    continue;
                }
                answered += 1;
                assert!(w.chars().nth(2).is_some(), "{w}");
                assert!(
                    w.chars().all(is_alphabetic) && !w.contains(['1', '¢']),
                    "{w}"
                );
                assert_eq!(rep.contains(h), rep.may_repair(w), "{w}");
            }
        }
        assert!(answered > 3 * 100, "{answered}");
        let doc = crate::document::parse("Projet\n\nLes systèmes, systémes, Systèmes.\n".into());
        let rep = Repairable::new(doc.words(), &cfg);
        let hash_of = |word: &str| {
            let id = doc
                .words()
                .spellings
                .iter()
                .position(|s| &doc.prose[s.clone()] == word)
                .unwrap();
            doc.words().lower_hash(id as u32).unwrap()
        };
        assert!(rep.contains(hash_of("systémes")));
        assert!(!rep.contains(hash_of("Systèmes")));
    }

    #[test]
    fn deaccents() {
        assert_eq!(deaccent_first("États"), "Etats");
        assert_eq!(deaccent_first("Égypte"), "Egypte");
    }
}
