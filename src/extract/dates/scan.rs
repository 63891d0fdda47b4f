//! The date scanner: a hand-written tokenizer and a parser driven by month-name tokens.
//!
//! One pass turns the text into word / number / punctuation tokens (words lower-cased and
//! accent-folded, so « Décembre », « decembre » and « DÉCEMBRE » look alike; a word split by a
//! hyphen and a line break is joined). Each month token then anchors a date: the day (or days)
//! before it, the year after it, an optional weekday, and range or list connectors
//! (« du … au … », « les … et … », "27-29", "from … to …"). No regex is involved.

use super::{DateMention, MentionKind, WeekdayMention, Ymd};
use crate::document::{Lang, Span};
use crate::text::FoldOut;
use std::borrow::Cow;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    Word,
    Num,
    Punct,
}

/// A token of the scanned text.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub kind: TokKind,
    pub span: Span,
    /// Words: lower-cased, accent-folded; numbers: the digits; punctuation: the character.
    /// Kept only up to [`Norm::CAP`] bytes (see [`Tok::folded`] for the whole of longer ones).
    pub norm: Norm,
    /// Numbers: their value (saturating).
    pub num: u32,
    /// Words: whether the first letter is upper-case.
    pub cap: bool,
    /// Whether the gap before this token holds a line break.
    pub nl_before: bool,
    /// Byte length of the gap before this token.
    pub gap: usize,
}

impl Tok {
    pub fn is_word(&self, w: &str) -> bool {
        self.kind == TokKind::Word && self.norm == w
    }
    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == TokKind::Punct && self.norm == p
    }
    /// The whole folded text of the token, `text` being the text it was cut from: its
    /// [`Norm`], or for a longer one the same folding done again from its span.
    pub fn folded<'a>(&'a self, text: &str) -> Cow<'a, [u8]> {
        if !self.norm.is_long() {
            return Cow::Borrowed(self.norm.as_bytes());
        }
        let s = &text[self.span.clone()];
        Cow::Owned(match self.kind {
            TokKind::Word => {
                let mut buf = String::new();
                read_word(text, self.span.start, &mut buf);
                buf.into_bytes()
            }
            TokKind::Num => s.as_bytes().to_vec(),
            TokKind::Punct => fold(s).into_bytes(),
        })
    }
}

/// A token's folded text, held inline when it is at most [`Norm::CAP`] bytes long: tokens are
/// many and short-lived, and an inline copy costs no allocation, no drop and no
/// heap-or-inline test. Every word the grammar compares with fits, so a longer token
/// equals none of them; only the configured body names (any length) need its whole text,
/// which [`Tok::folded`] gives.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Norm {
    /// The length, or [`Norm::LONG`].
    len: u8,
    bytes: [u8; Norm::CAP],
}

impl Norm {
    pub const CAP: usize = 16;
    const LONG: u8 = u8::MAX;

    pub fn new(s: &str) -> Norm {
        let mut n = Norm {
            len: Norm::LONG,
            bytes: [0; Norm::CAP],
        };
        if s.len() <= Norm::CAP {
            n.bytes[..s.len()].copy_from_slice(s.as_bytes());
            n.len = s.len() as u8;
        }
        n
    }

    /// `bytes[start..end]`, ASCII letters and digits, lower-cased.
    #[inline]
    fn ascii_lower(bytes: &[u8], start: usize, end: usize) -> Norm {
        let len = end - start;
        if len > Norm::CAP {
            return Norm {
                len: Norm::LONG,
                bytes: [0; Norm::CAP],
            };
        }
        // Setting bit 5 lower-cases an ASCII letter and keeps a digit (0x30..=0x39): the
        // same as to_ascii_lowercase on these bytes. Where 16 bytes can be read at once, one
        // load, mask and or do it (the bytes past `end` are masked off); else byte by byte.
        let keep = u128::MAX
            .checked_shr((8 * (Norm::CAP - len)) as u32)
            .unwrap_or(0);
        let bytes = match bytes.get(start..start + Norm::CAP) {
            Some(b) => {
                let w = u128::from_le_bytes(b.try_into().unwrap_or([0; Norm::CAP]));
                ((w | 0x2020_2020_2020_2020_2020_2020_2020_2020) & keep).to_le_bytes()
            }
            None => {
                let mut out = [0; Norm::CAP];
                for (o, c) in out.iter_mut().zip(&bytes[start..end]) {
                    *o = c | 0x20;
                }
                out
            }
        };
        Norm {
            len: len as u8,
            bytes,
        }
    }

    /// Longer than [`Norm::CAP`] bytes: the text is not kept.
    pub fn is_long(&self) -> bool {
        self.len == Norm::LONG
    }

    /// The folded bytes; empty for a long token (which equals no grammar word).
    pub fn as_bytes(&self) -> &[u8] {
        if self.is_long() {
            &[]
        } else {
            &self.bytes[..usize::from(self.len)]
        }
    }

    /// [`Norm::as_bytes`] as text.
    pub fn as_str(&self) -> &str {
        // The bytes are a whole `&str` copied in [`Norm::new`], or ASCII: never the fallback.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// Whether the token's folded text is one of `ws` (all at most [`Norm::CAP`] bytes).
    pub fn is_in(&self, ws: &[&str]) -> bool {
        ws.iter().any(|w| *self == **w)
    }
}

impl PartialEq<str> for Norm {
    fn eq(&self, w: &str) -> bool {
        // A long token has more than CAP bytes: equal to no `w` of at most CAP bytes. A longer
        // `w` must be compared with `Tok::folded`: the grammar's words are literals of at most
        // 14 bytes, so a longer one is a mistake, caught in debug builds and answered `false`
        // (never a panic) in release ones.
        debug_assert!(w.len() <= Norm::CAP, "compare {w:?} with Tok::folded");
        w.len() <= Norm::CAP && self.as_bytes() == w.as_bytes()
    }
}

impl PartialEq<&str> for Norm {
    fn eq(&self, w: &&str) -> bool {
        *self == **w
    }
}

impl std::fmt::Debug for Norm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_long() {
            f.write_str("<long>")
        } else {
            write!(f, "{:?}", self.as_str())
        }
    }
}

fn is_letter(c: char) -> bool {
    // U+00C0..=U+00FF are letters but × and ÷ (no table search for « é »).
    if ('\u{c0}'..='\u{ff}').contains(&c) {
        return c != '×' && c != '÷';
    }
    // The characters met next to numbers (no-break spaces, « », °, dashes, ’) answered
    // without the Unicode table search, which costs a few hundred instructions: U+0080..=U+00BF
    // holds only the letters ª, µ and º (and ¢, read as « e »), General Punctuation
    // (U+2000..=U+206F) none.
    if ('\u{80}'..='\u{bf}').contains(&c) {
        return matches!(c, 'ª' | 'µ' | 'º' | '¢');
    }
    if ('\u{2000}'..='\u{206f}').contains(&c) {
        return false;
    }
    c.is_alphabetic() || c == '¢'
}

/// What [`fold_char`] makes of a letter of U+00C0..=U+00FF (and, unused, of × and ÷): the
/// accent stripped from the French letters, else the lower-case letter (one character for
/// every character of the block: « ß », « ÿ » and the lower-case letters are their own lower
/// case). The one place where the accents are listed: [`fold_char`] reads them from
/// [`FOLD_LATIN1`], built from this.
const fn fold_latin1(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' | 'Á' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'í' | 'Î' | 'Ï' => 'i',
        'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => 'o',
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ç' | 'Ç' => 'c',
        // char::to_lowercase on this block: U+00C0..=U+00DE but × are upper-case letters
        // whose lower case is 0x20 higher.
        '\u{c0}'..='\u{de}' if c != '×' => match char::from_u32(c as u32 + 0x20) {
            Some(l) => l,
            None => c,
        },
        _ => c,
    }
}

/// [`fold_latin1`] of U+00C0 + i: the fold of the two-byte characters that start with 0xC3
/// (the second byte minus 0x80 is the index), without decoding or matching.
pub(crate) const FOLD_LATIN1: [char; 64] = {
    let mut t = ['\0'; 64];
    let mut i = 0;
    while i < 64 {
        t[i] = match char::from_u32(0xC0 + i as u32) {
            Some(c) => fold_latin1(c),
            None => '\0',
        };
        i += 1;
    }
    t
};

/// A word's fold written straight into the bytes of its [`Norm`]: the bytes that fit, and the
/// whole length (over [`Norm::CAP`], the norm is long). A word folded into a `String` and then
/// copied into its norm cost a capacity test and a UTF-8 encoding per letter, and the copy.
pub(crate) struct NormBuf {
    bytes: [u8; Norm::CAP],
    len: usize,
}

impl NormBuf {
    pub fn new() -> NormBuf {
        NormBuf {
            bytes: [0; Norm::CAP],
            len: 0,
        }
    }

    /// [`Norm::new`] of the fold written (bytes past the length are still zero: a character
    /// that does not fit is not written, and makes the norm long).
    pub fn norm(&self) -> Norm {
        if self.len > Norm::CAP {
            Norm {
                len: Norm::LONG,
                bytes: [0; Norm::CAP],
            }
        } else {
            Norm {
                len: self.len as u8,
                bytes: self.bytes,
            }
        }
    }

    /// The buffer after [`FoldOut::push`] of each byte of `bytes[start..end]` (ASCII
    /// letters) lower-cased: the bytes that fit, and the whole length.
    fn ascii_lower(bytes: &[u8], start: usize, end: usize) -> NormBuf {
        let mut n = NormBuf::new();
        for (o, c) in n.bytes.iter_mut().zip(&bytes[start..end]) {
            *o = c | 0x20;
        }
        n.len = end - start;
        n
    }
}

impl FoldOut for NormBuf {
    fn clear(&mut self) {
        *self = NormBuf::new();
    }
    #[inline]
    fn push(&mut self, c: char) {
        let n = c.len_utf8();
        if let Some(room) = self.bytes.get_mut(self.len..self.len + n) {
            c.encode_utf8(room);
        }
        self.len += n;
    }
}

/// Lower-cases and strips accents (and reads the OCR cent sign as « e »).
pub(crate) fn fold_char(c: char, out: &mut impl FoldOut) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if let Some(&f) = FOLD_LATIN1.get((c as usize).wrapping_sub(0xC0)) {
        out.push(f);
        return;
    }
    let f = match c {
        '¢' => 'e',
        'œ' | 'Œ' => {
            out.push_str("oe");
            return;
        }
        '’' | 'ʼ' | '‘' => '\'',
        c => {
            for l in c.to_lowercase() {
                out.push(l);
            }
            return;
        }
    };
    out.push(f);
}

/// Folds a whole string (lower-case, no accents, straight apostrophes, runs of white space as
/// one space).
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // ASCII by byte (the sentences folded for the opening and adoption phrases cost ~40
        // instructions a byte decoded): the char path's answers for an ASCII character, its
        // white space being char::is_whitespace's ASCII cases.
        let c = b[i];
        if c.is_ascii() {
            i += 1;
            if matches!(c, b' ' | b'\t'..=b'\r') {
                if !space && !out.is_empty() {
                    out.push(' ');
                }
                space = true;
            } else {
                space = false;
                out.push(char::from(c.to_ascii_lowercase()));
            }
            continue;
        }
        let c = s[i..].chars().next().expect("a character");
        i += c.len_utf8();
        if c.is_whitespace() {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        fold_char(c, &mut out);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Splits `text` into tokens.
pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    tokenize_range(text, 0, text.len())
}

/// The tokens of `text[lo..hi]`, with spans into `text`. When `lo` and `hi` are cuts
/// ([`is_cut`]), these are exactly the tokens of `tokenize(text)` that lie between them
/// (same spans, gaps and line-break flags).
pub(crate) fn tokenize_range(text: &str, lo: usize, hi: usize) -> Vec<Tok> {
    let mut toks = Vec::new();
    tokenize_range_into(text, lo, hi, &mut toks);
    toks
}

/// [`tokenize_range`], the tokens appended to `toks` (a vector reused from call to call).
pub(crate) fn tokenize_range_into(text: &str, lo: usize, hi: usize, toks: &mut Vec<Tok>) {
    let text = &text[..hi];
    let bytes = text.as_bytes();
    toks.reserve(hi.saturating_sub(lo) / 5);
    // Punctuation that needs folding goes through this buffer (words are folded into their
    // Norm in place).
    let mut fold_buf = String::new();
    let mut i = lo;
    let mut gap_start = lo;
    let mut nl = false;
    loop {
        // The gap before the next token (mostly one space): ASCII white space (char::
        // is_whitespace's ASCII cases) skipped in a loop of its own, so that the branch on the
        // token's first byte sees only tokens. One jump through a table of byte classes for
        // gap and token bytes alike went to another arm nearly every time: a misprediction
        // per byte of the gaps and per token.
        while let Some(&c) = bytes.get(i) {
            if !matches!(c, b' ' | b'\t'..=b'\r') {
                break;
            }
            nl |= c == b'\n';
            i += 1;
        }
        let Some(&b0) = bytes.get(i) else {
            break;
        };
        let start = i;
        let gap = start - gap_start;
        // Letters first (most tokens), then digits, other ASCII (punctuation), the rest.
        let tok = if b0.is_ascii_alphabetic() {
            i = ascii_letters_end(bytes, i + 1);
            // A run of ASCII letters before an ASCII byte other than a hyphen is the
            // whole word, folded by lower-casing (what read_word does with it). Otherwise
            // read_word goes on from the end of the run, its fold so far the run lower-cased
            // (what read_word from the start writes for it: it was read twice before).
            let norm = if bytes.get(i).is_none_or(|&c| c.is_ascii() && c != b'-') {
                Norm::ascii_lower(bytes, start, i)
            } else {
                let mut norm = NormBuf::ascii_lower(bytes, start, i);
                i = read_word_on(text, i, &mut norm);
                norm.norm()
            };
            Tok {
                kind: TokKind::Word,
                span: start..i,
                norm,
                num: 0,
                cap: b0.is_ascii_uppercase(),
                nl_before: nl,
                gap,
            }
        } else if b0.is_ascii_digit() {
            let mut num = 0u64;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                // The value, saturating at u32::MAX (what parsing as u64 and capping
                // gives).
                num = (num * 10 + u64::from(bytes[i] - b'0')).min(u64::from(u32::MAX) + 1);
                i += 1;
            }
            Tok {
                kind: TokKind::Num,
                span: start..i,
                norm: Norm::ascii_lower(bytes, start, i),
                num: num.min(u64::from(u32::MAX)) as u32,
                cap: false,
                nl_before: nl,
                gap,
            }
        } else if b0.is_ascii() {
            // fold_char keeps ASCII punctuation as it is.
            i += 1;
            Tok {
                kind: TokKind::Punct,
                span: start..i,
                norm: Norm::new(&text[start..i]),
                num: 0,
                cap: false,
                nl_before: nl,
                gap,
            }
        } else if latin1_letter_fold(bytes, i).is_some() {
            // A letter of U+00C0..=U+00FF (« É »): what the branch below does with it,
            // without decoding; U+00C0..=U+00DE are upper-case (× is no letter).
            let (tok, end) = word_read_at(text, start, bytes[start + 1] <= 0x9E, nl, gap);
            i = end;
            tok
        } else {
            let c = text[i..].chars().next().unwrap();
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            if is_letter(c) {
                let (tok, end) = word_read_at(text, start, c.is_uppercase(), nl, gap);
                i = end;
                tok
            } else {
                i += c.len_utf8();
                fold_buf.clear();
                fold_char(c, &mut fold_buf);
                Tok {
                    kind: TokKind::Punct,
                    span: start..i,
                    norm: Norm::new(&fold_buf),
                    num: 0,
                    cap: false,
                    nl_before: nl,
                    gap,
                }
            }
        };
        toks.push(tok);
        gap_start = i;
        nl = false;
    }
}

/// The word token at `start` (a letter), read and folded by [`read_word`], and where it ends:
/// [`tokenize_range_into`]'s words that start with a non-ASCII letter or run into a hyphen or
/// a non-ASCII byte. `cap`: whether its first letter is upper-case.
#[inline]
fn word_read_at(text: &str, start: usize, cap: bool, nl_before: bool, gap: usize) -> (Tok, usize) {
    let mut norm = NormBuf::new();
    let end = read_word(text, start, &mut norm);
    let tok = Tok {
        kind: TokKind::Word,
        span: start..end,
        norm: norm.norm(),
        num: 0,
        cap,
        nl_before,
        gap,
    };
    (tok, end)
}

/// The end of the run of ASCII letters from `i`: 8 bytes at a time, one test per 8 bytes
/// instead of a branch per letter (whose exit, at the end of each word, the branch predictor
/// missed about once a token), the text's last few bytes one by one.
#[inline(always)]
fn ascii_letters_end(bytes: &[u8], mut i: usize) -> usize {
    use crate::text::{ascii_letter_bits, HIGH};
    while let Some(chunk) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let others = !ascii_letter_bits(w) & HIGH;
        if others != 0 {
            return i + others.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
        i += 1;
    }
    i
}

/// The fold of the character at `bytes[i]` when it is a letter of U+00C0..=U+00FF (two bytes,
/// 0xC3 then 0x80..=0xBF; every one is a letter but × and ÷, see [`is_letter`]): what
/// [`fold_char`] gives, without decoding. `None` for any other character.
#[inline(always)]
fn latin1_letter_fold(bytes: &[u8], i: usize) -> Option<char> {
    if bytes[i] != 0xC3 {
        return None;
    }
    let d = *bytes.get(i + 1)?;
    if !(0x80..=0xBF).contains(&d) || d == 0x97 || d == 0xB7 {
        return None;
    }
    Some(FOLD_LATIN1[usize::from(d - 0x80)])
}

/// The word token starting at `start` (a letter): folds it into `norm` (cleared first) and
/// returns its end. A word hyphenated at a line break (« décem-\nbre ») continues.
pub(crate) fn read_word(text: &str, start: usize, norm: &mut impl FoldOut) -> usize {
    norm.clear();
    read_word_on(text, start, norm)
}

/// [`read_word`] from byte `i` of a word whose fold up to `i` is already in `norm`.
fn read_word_on(text: &str, mut i: usize, norm: &mut impl FoldOut) -> usize {
    let bytes = text.as_bytes();
    loop {
        while let Some(&c) = bytes.get(i) {
            if c.is_ascii_alphabetic() {
                // fold_char's ASCII case.
                norm.push(char::from(c.to_ascii_lowercase()));
                i += 1;
            } else if let Some(f) = latin1_letter_fold(bytes, i) {
                norm.push(f);
                i += 2;
            } else if c.is_ascii() {
                break;
            } else {
                let d = text[i..].chars().next().unwrap();
                if !is_letter(d) {
                    break;
                }
                fold_char(d, norm);
                i += d.len_utf8();
            }
        }
        if i < text.len() && bytes[i] == b'-' {
            let rest = &text[i + 1..];
            let ws = rest.len() - rest.trim_start().len();
            let after = &rest[ws..];
            if rest[..ws].contains('\n') && after.chars().next().is_some_and(|d| d.is_lowercase()) {
                i += 1 + ws;
                continue;
            }
        }
        return i;
    }
}

/// The month a word names (1-12). English names must be capitalised ("may" is a verb).
pub(crate) fn month_of(t: &Tok) -> Option<u8> {
    if t.kind != TokKind::Word {
        return None;
    }
    let fr = match t.norm.as_bytes() {
        b"janvier" => 1,
        b"fevrier" | b"fevier" | b"frevier" => 2,
        b"mars" => 3,
        b"avril" => 4,
        b"mai" => 5,
        b"juin" => 6,
        b"juillet" => 7,
        b"aout" | b"aofit" | b"aoit" | b"aoiit" | b"aotit" => 8,
        b"septembre" => 9,
        b"octobre" => 10,
        b"novembre" => 11,
        b"decembre" => 12,
        _ => 0,
    };
    if fr != 0 {
        return Some(fr);
    }
    if !t.cap {
        return None;
    }
    let en = match t.norm.as_bytes() {
        b"january" => 1,
        b"february" => 2,
        b"march" => 3,
        b"april" => 4,
        b"may" => 5,
        b"june" => 6,
        b"july" => 7,
        b"august" => 8,
        b"september" => 9,
        b"october" => 10,
        b"november" => 11,
        b"december" => 12,
        _ => 0,
    };
    (en != 0).then_some(en)
}

/// The weekday a word names: 0 = Monday … 6 = Sunday.
pub(crate) fn weekday_of(t: &Tok) -> Option<u8> {
    if t.kind != TokKind::Word {
        return None;
    }
    Some(match t.norm.as_bytes() {
        b"lundi" | b"monday" => 0,
        b"mardi" | b"tuesday" => 1,
        b"mercredi" | b"wednesday" => 2,
        b"jeudi" | b"thursday" => 3,
        b"vendredi" | b"friday" => 4,
        b"samedi" | b"saturday" => 5,
        b"dimanche" | b"sunday" => 6,
        _ => return None,
    })
}

/// Whether a number token is a plausible day of the month.
fn day_num(t: &Tok) -> Option<u8> {
    (t.kind == TokKind::Num && t.span.len() <= 2 && (1..=31).contains(&t.num))
        .then_some(t.num as u8)
}

/// A number of the thirties past 31 (« 32 mars 2019 »): before a month name it can only be a
/// mistyped day, which `dates/invalid` reports. Only in the day-month order: in English
/// "May 35" may be "in May, 35 countries…".
fn mistyped_day_num(t: &Tok) -> Option<u8> {
    (t.kind == TokKind::Num && t.span.len() == 2 && (32..=39).contains(&t.num))
        .then_some(t.num as u8)
}

/// Whether a number token is a plausible year.
fn year_num(t: &Tok) -> Option<i32> {
    (t.kind == TokKind::Num && t.span.len() == 4 && (1900..=2100).contains(&t.num))
        .then_some(t.num as i32)
}

/// A day expression that ends just before token `end`: `12`, `1er`, `1 er`, `1™`, `ler`.
/// Returns (index of its first token, day).
fn day_before(toks: &[Tok], end: usize) -> Option<(usize, u8)> {
    let j = end.checked_sub(1)?;
    let t = &toks[j];
    let (first, day) = if let Some(d) = day_num(t).or_else(|| mistyped_day_num(t)) {
        (j, d)
    } else if t.kind == TokKind::Word && matches!(t.norm.as_bytes(), b"ler" | b"ier") {
        (j, 1)
    } else if (t.kind == TokKind::Word && matches!(t.norm.as_bytes(), b"er" | b"re" | b"ere"))
        || (t.kind == TokKind::Punct && t.norm.is_in(&["™", "°", "º"]))
    {
        let n = toks.get(j.checked_sub(1)?)?;
        if n.kind == TokKind::Num && n.num == 1 && n.span.len() == 1 {
            (j - 1, 1)
        } else {
            return None;
        }
    } else {
        return None;
    };
    // Digit grouping « 1 300 » / decimals « 2,5 » / « 22/7 »: not a day.
    if first > 0 {
        let p = &toks[first - 1];
        if p.kind == TokKind::Num && !toks[first].nl_before {
            return None;
        }
        if toks[first].gap == 0
            && p.kind == TokKind::Punct
            && matches!(p.norm.as_bytes(), b"/" | b"." | b"," | b"-")
            && first >= 2
            && toks[first - 2].kind == TokKind::Num
            && p.gap == 0
        {
            // « 27-29 mars » is a range, handled by the caller: only reject `/ . ,`.
            if p.norm != "-" {
                return None;
            }
        }
    }
    Some((first, day))
}

fn is_range_connector(t: &Tok) -> bool {
    (t.kind == TokKind::Word && matches!(t.norm.as_bytes(), b"au" | b"to" | b"until" | b"through"))
        || (t.kind == TokKind::Punct && t.norm.is_in(&["-", "–", "—"]))
}

fn is_list_and(t: &Tok) -> bool {
    t.kind == TokKind::Word && matches!(t.norm.as_bytes(), b"et" | b"and")
}

/// A date anchored on one month token, before cross-month merging.
#[derive(Debug, Clone)]
pub(crate) struct Core {
    pub first: usize,

    pub last: usize,
    pub days: Vec<u8>,
    pub kind: MentionKind,
    pub month: u8,
    pub year: Option<i32>,
    /// Weekday per day (same length as `days`).
    pub weekdays: Vec<Option<(usize, u8)>>,
}

/// A weekday (with its optional comma) ending just before `end`: returns its token index.
fn weekday_before(toks: &[Tok], end: usize) -> Option<(usize, u8)> {
    let j = end.checked_sub(1)?;
    if let Some(w) = weekday_of(&toks[j]) {
        return Some((j, w));
    }
    if toks[j].is_punct(",") {
        let k = j.checked_sub(1)?;
        if let Some(w) = weekday_of(&toks[k]) {
            return Some((k, w));
        }
    }
    None
}

/// The core anchored on token `i`, which names `month`. `reach` is lowered to the lowest token index the
/// walk back over days may have read (it can go below 0: then the answer depends on tokens
/// before `toks`).
fn core_at(toks: &[Tok], i: usize, month: u8, reach: &mut isize) -> Option<Core> {
    let mut days: Vec<u8> = Vec::new();
    let mut weekdays: Vec<Option<(usize, u8)>> = Vec::new();
    let mut first = i;
    let mut kind = MentionKind::Single;
    let mut last = i;
    let mut year = None;
    if let Some((f, d)) = day_before(toks, i) {
        days.push(d);
        first = f;
        let wd = weekday_before(toks, f);
        if let Some((w, _)) = wd {
            first = w;
        }
        weekdays.push(wd);
        // Walk back over « du 27 au », « les 27, 28 et », "27-".
        let mut seen_and = false;
        while let Some(k) = first.checked_sub(1) {
            let c = &toks[k];
            let range = is_range_connector(c);
            let and = is_list_and(c);
            let comma = c.is_punct(",");
            if !(range || and || (comma && seen_and)) {
                break;
            }
            if range && (kind == MentionKind::List || days.len() > 1) {
                break;
            }
            if (and || comma) && kind == MentionKind::Range {
                break;
            }
            // A hyphen range must be tight: "27-29", not "2018 - 29".
            if c.kind == TokKind::Punct && c.norm == "-" && (c.gap > 1 || toks[first].gap > 1) {
                break;
            }
            let Some((f, d)) = day_before(toks, k) else {
                break;
            };
            // The earlier day's own weekday.
            let wd = weekday_before(toks, f);
            days.insert(0, d);
            weekdays.insert(0, wd);
            first = wd.map_or(f, |(w, _)| w);
            if range {
                kind = MentionKind::Range;
                break;
            }
            kind = MentionKind::List;
            seen_and = true;
        }
        // day_before / weekday_before read at most 5 tokens before `first`.
        *reach = (*reach).min(first as isize - 6);
        if let Some(y) = toks.get(i + 1).and_then(year_num) {
            year = Some(y);
            last = i + 1;
        }
    } else if toks[i].cap && toks.get(i + 1).and_then(day_num).is_some() && is_english(&toks[i]) {
        // "April 12, 2019", "March 27-29, 2019".
        let d = day_num(&toks[i + 1]).unwrap();
        if toks
            .get(i + 2)
            .is_some_and(|t| t.is_punct(":") || t.is_punct(".") && t.gap == 0)
        {
            return None;
        }
        days.push(d);
        last = i + 1;
        let wd = weekday_before(toks, i);
        if let Some((w, _)) = wd {
            first = w;
        }
        weekdays.push(wd);
        if toks
            .get(i + 2)
            .is_some_and(|t| t.is_punct("-") || t.is_punct("–"))
        {
            if let Some(e) = toks.get(i + 3).and_then(day_num) {
                days.push(e);
                weekdays.push(None);
                kind = MentionKind::Range;
                last = i + 3;
            }
        }
        let mut k = last + 1;
        if toks.get(k).is_some_and(|t| t.is_punct(",")) {
            k += 1;
        }
        if let Some(y) = toks.get(k).and_then(year_num) {
            year = Some(y);
            last = k;
        }
    } else if let Some(y) = toks.get(i + 1).and_then(year_num) {
        year = Some(y);
        last = i + 1;
    }
    if days.is_empty() && year.is_none() {
        return None;
    }
    // A year followed by a number group (« mai 2019 000 ») is not a year.
    if year.is_some() {
        if let Some(n) = toks.get(last + 1) {
            if n.kind == TokKind::Num && n.gap == 1 && !n.nl_before && n.span.len() == 3 {
                return None;
            }
        }
    }
    Some(Core {
        first,

        last,
        days,
        kind,
        month,
        year,
        weekdays,
    })
}

fn is_english(t: &Tok) -> bool {
    is_english_name(t.norm.as_bytes())
}

/// A parsed mention with the tokens it covers.
#[derive(Debug, Clone)]
pub(crate) struct Scanned {
    pub mention: DateMention,
    pub toks: std::ops::Range<usize>,
}

fn mention_of(toks: &[Tok], c: &Core) -> DateMention {
    let ymd = |d: Option<u8>| Ymd {
        year: c.year,
        month: Some(c.month),
        day: d,
    };
    let start = ymd(c.days.first().copied());
    let end = (c.days.len() > 1).then(|| ymd(c.days.last().copied()));
    let list = if c.kind == MentionKind::List {
        c.days.iter().map(|d| ymd(Some(*d))).collect()
    } else {
        Vec::new()
    };
    let wd = |w: &Option<(usize, u8)>| {
        w.map(|(t, v)| WeekdayMention {
            span: toks[t].span.clone(),
            weekday: v,
        })
    };
    DateMention {
        span: toks[c.first].span.start..toks[c.last].span.end,
        start,
        end,
        kind: c.kind,
        list,
        weekday: c.weekdays.first().and_then(wd),
        end_weekday: if c.days.len() > 1 {
            c.weekdays.last().and_then(wd)
        } else {
            None
        },
        context_year: None,
    }
}

/// Parses every date in `toks`.
#[cfg(test)]
pub(crate) fn scan_tokens(toks: &[Tok]) -> Vec<Scanned> {
    scan_tokens_reach(toks, &mut 0, &mut None)
}

/// [`scan_tokens`], also lowering `reach` to the lowest token index read by a walk back over
/// days (below 0: the result depends on tokens before `toks`), and setting `marked` to the
/// first and last index of a token that names a month or is a year (the tokens
/// [`window_ok`] wants read with context on both sides: the walk tests each token for a
/// month name anyway).
fn scan_tokens_reach(
    toks: &[Tok],
    reach: &mut isize,
    marked: &mut Option<(usize, usize)>,
) -> Vec<Scanned> {
    let mut out = Vec::new();
    scan_tokens_into(toks, reach, marked, &mut Vec::new(), &mut out);
    out
}

/// [`scan_tokens_reach`], the dates appended to `out` (empty: a vector reused from window to
/// window, like `cores`, which it takes cleared and leaves holding this window's cores).
fn scan_tokens_into(
    toks: &[Tok],
    reach: &mut isize,
    marked: &mut Option<(usize, usize)>,
    cores: &mut Vec<Core>,
    out: &mut Vec<Scanned>,
) {
    debug_assert!(out.is_empty());
    cores.clear();
    for (i, t) in toks.iter().enumerate() {
        let month = month_of(t);
        if month.is_some() || year_num(t).is_some() {
            *marked = Some(marked.map_or((i, i), |(first, _)| (first, i)));
        }
        let Some(month) = month else {
            continue;
        };
        if let Some(c) = core_at(toks, i, month, reach) {
            // Overlap with the previous core (should not happen): keep the first.
            if cores.last().is_some_and(|p| p.last >= c.first) {
                continue;
            }
            cores.push(c);
        }
    }
    let mut idx = 0;
    while idx < cores.len() {
        let a = &cores[idx];
        let mut m = mention_of(toks, a);
        let mut toks_range = a.first..a.last + 1;
        if let Some(b) = cores.get(idx + 1) {
            let between = &toks[a.last + 1..b.first];
            let range_link = between.len() == 1 && is_range_connector(&between[0]);
            let and_link = !between.is_empty()
                && between.len() <= 2
                && (is_list_and(&between[0]) || between[0].is_punct(","))
                && between[1..]
                    .iter()
                    .all(|t| t.is_word("le") || t.is_word("les") || t.is_word("on"));
            let single_a = a.kind == MentionKind::Single && a.days.len() == 1;
            let single_b = b.kind == MentionKind::Single && b.days.len() == 1;
            if range_link && single_a && single_b {
                let bm = mention_of(toks, b);
                let mut start = m.start;
                if start.year.is_none() {
                    start.year = bm
                        .start
                        .year
                        .map(|y| if a.month > b.month { y - 1 } else { y });
                }
                m = DateMention {
                    span: m.span.start..bm.span.end,
                    start,
                    end: Some(bm.start),
                    kind: MentionKind::Range,
                    list: Vec::new(),
                    weekday: m.weekday,
                    end_weekday: bm.weekday,
                    context_year: None,
                };
                toks_range = a.first..b.last + 1;
                out.push(Scanned {
                    mention: m,
                    toks: toks_range,
                });
                idx += 2;
                continue;
            }
            if and_link && a.year.is_none() && !a.days.is_empty() && a.month <= b.month {
                if let Some(y) = b.year {
                    m.start.year = Some(y);
                    if let Some(e) = m.end.as_mut() {
                        e.year = Some(y);
                    }
                    for l in &mut m.list {
                        l.year = Some(y);
                    }
                }
            }
        }
        out.push(Scanned {
            mention: m,
            toks: toks_range,
        });
        idx += 1;
    }
    // Years alone: « en 2021 », « au plus tard en 2021 », "in 2019".
    let mut years = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let Some(y) = year_num(t) else { continue };
        if i == 0 || !(toks[i - 1].is_word("en") || toks[i - 1].is_word("in")) {
            continue;
        }
        if toks.get(i + 1).is_some_and(|n| {
            n.norm.is_in(&["-", "–", "/", ",", "."])
                && n.gap == 0
                && toks
                    .get(i + 2)
                    .is_some_and(|m| m.kind == TokKind::Num && m.gap == 0)
        }) {
            continue;
        }
        if toks
            .get(i + 1)
            .is_some_and(|n| n.kind == TokKind::Num && !n.nl_before && n.gap == 1)
        {
            continue;
        }
        if out.iter().any(|s| s.toks.contains(&i)) {
            continue;
        }
        years.push(Scanned {
            mention: DateMention {
                span: t.span.clone(),
                start: Ymd {
                    year: Some(y),
                    month: None,
                    day: None,
                },
                end: None,
                kind: MentionKind::Single,
                list: Vec::new(),
                weekday: None,
                end_weekday: None,
                context_year: None,
            },
            toks: i..i + 1,
        });
    }
    out.extend(years);
    out.sort_by_key(|s| s.mention.span.start);
}

/// Parses every French or English date in `text`, in text order.
///
/// Values are language-neutral ([`Ymd`]): a translation check can parse an English original
/// and a French draft and compare the values directly. `lang` is accepted for future
/// language-specific forms; both languages' month names are recognised in any text (French
/// reports cite English titles).
pub fn parse_dates(text: &str, _lang: Lang) -> Vec<DateMention> {
    scan_windows(text, &|_, _| 0, |w, out| {
        out.extend(w.scanned.drain(..).map(|s| s.mention))
    })
}

// Windows: dates are rare (a few per page) and every date has a digit next to its month name
// (a day or a year), except the OCR'd « ler avril ». So instead of tokenising the whole text,
// the scanner finds those anchors with byte scans, tokenises a small window around each and
// runs the same parser on it. A window is accepted only when everything the parser read lies
// inside it (see `window_ok`); otherwise it grows. The result is the same as scanning the
// whole text's tokens: tokens between two cuts are the whole text's tokens, and a date's
// parse depends only on the tokens it reads.

/// Whether byte `p` is a cut: a token boundary at which tokenising can start or stop
/// without changing any token. At a white-space byte after a plain ASCII character (not a
/// hyphen, which may join « décem-\nbre »), the token before ends at `p` and the next one
/// starts after the gap, as in the whole text.
pub(crate) fn is_cut(b: &[u8], p: usize) -> bool {
    p == 0
        || p >= b.len()
        || (b[p].is_ascii_whitespace() && b[p - 1].is_ascii_graphic() && b[p - 1] != b'-')
}

/// The last cut at or before `p`, not before `floor` (a cut).
pub(crate) fn cut_before(b: &[u8], p: usize, floor: usize) -> usize {
    let mut k = p.min(b.len());
    while k > floor && !is_cut(b, k) {
        k -= 1;
    }
    k.max(floor)
}

/// The first cut at or after `p`.
pub(crate) fn cut_after(b: &[u8], p: usize) -> usize {
    let mut k = p.min(b.len());
    while !is_cut(b, k) {
        k += 1;
    }
    k
}

/// A list of folded words and the test of a word against it, from one list of literals: the
/// test is a `matches!` over them (length and byte compares, as before the lists existed), and
/// the list is what [`digits_may_date`]'s letter-pair screens are derived from, so that the
/// screens cannot drift from the tests.
macro_rules! word_list {
    ($(#[$doc:meta])* $list:ident, $test:ident: $($w:literal)|+) => {
        const $list: &[&[u8]] = &[$($w),+];
        $(#[$doc])*
        fn $test(w: &[u8]) -> bool {
            matches!(w, $($w)|+)
        }
    };
}

word_list! {
    /// French month names as folded by the tokenizer, with their OCR misreadings.
    FRENCH_MONTH_NAMES, is_french_month_name:
    b"janvier"
        | b"fevrier"
        | b"fevier"
        | b"frevier"
        | b"mars"
        | b"avril"
        | b"mai"
        | b"juin"
        | b"juillet"
        | b"aout"
        | b"aofit"
        | b"aoit"
        | b"aoiit"
        | b"aotit"
        | b"septembre"
        | b"octobre"
        | b"novembre"
        | b"decembre"
}

word_list! {
    /// English month names as folded by the tokenizer.
    ENGLISH_MONTH_NAMES, is_english_name:
    b"january"
        | b"february"
        | b"march"
        | b"april"
        | b"may"
        | b"june"
        | b"july"
        | b"august"
        | b"september"
        | b"october"
        | b"november"
        | b"december"
}

word_list! {
    /// The prepositions before a year that [`digits_may_date`] looks for (« en 2019 »,
    /// "in 2019").
    YEAR_PREPOSITIONS, is_year_preposition: b"en" | b"in"
}

word_list! {
    /// The day suffixes after a digit run that [`digits_may_date`] looks for (« 1 er »).
    DAY_SUFFIXES, is_day_suffix: b"er" | b"re" | b"ere"
}

/// Month names as folded by the tokenizer, in both languages and any case (a superset of
/// [`month_of`]).
fn is_month_name(w: &[u8]) -> bool {
    is_french_month_name(w) || is_english_name(w)
}

/// Which ASCII letter pairs end (`last`) or start (`!last`) a word of the lists: bit `y - b'a'`
/// of row `x - b'a'` for the pair `x y`. Every word of the lists is lower-case ASCII letters,
/// at least two of them (checked here, at compile time): a one-letter word is in no list.
const fn letter_pairs(lists: &[&[&[u8]]], last: bool) -> [u32; 26] {
    let mut rows = [0u32; 26];
    let mut i = 0;
    while i < lists.len() {
        let mut j = 0;
        while j < lists[i].len() {
            let w = lists[i][j];
            assert!(w.len() >= 2, "a listed word has at least two letters");
            let mut k = 0;
            while k < w.len() {
                assert!(
                    w[k].is_ascii_lowercase(),
                    "a listed word is lower-case ASCII"
                );
                k += 1;
            }
            let at = if last { w.len() - 2 } else { 0 };
            rows[(w[at] - b'a') as usize] |= 1 << (w[at + 1] - b'a');
            j += 1;
        }
        i += 1;
    }
    rows
}

/// The last two letters of the words [`digits_may_date`] looks for before a digit run.
const PAIRS_ENDING_WORD_BEFORE: [u32; 26] = letter_pairs(
    &[FRENCH_MONTH_NAMES, ENGLISH_MONTH_NAMES, YEAR_PREPOSITIONS],
    true,
);

/// The first two letters of the words [`digits_may_date`] looks for after a digit run.
const PAIRS_STARTING_WORD_AFTER: [u32; 26] = letter_pairs(
    &[FRENCH_MONTH_NAMES, ENGLISH_MONTH_NAMES, DAY_SUFFIXES],
    false,
);

/// Whether the word `w` (not empty) may fold to a word whose two letters next to the digit
/// run (its last two when `last`, else its first two) are in `pairs`: false only when those
/// two bytes of `w` are ASCII letters (their fold is their lower case, whatever the other
/// characters fold to) that make no listed pair, or when `w` is one ASCII letter (no listed
/// word is that short). A screen before the fold: « le », « de », « article » end in no
/// listed pair.
fn may_fold_to_listed(w: &[u8], pairs: &[u32; 26], last: bool) -> bool {
    let (x, y) = match *w {
        [] => return true,
        [c] => return !c.is_ascii_alphabetic(),
        [.., x, y] if last => (x, y),
        [x, y, ..] => (x, y),
    };
    if !(x.is_ascii_alphabetic() && y.is_ascii_alphabetic()) {
        return true;
    }
    pairs[usize::from((x | 0x20) - b'a')] & (1 << ((y | 0x20) - b'a')) != 0
}

/// The word next to a digit run, read without tokenising: `before` reads backwards from
/// `at`, else forwards. Skips white space; returns the word (up to 10 letters: longer words
/// name no month) and whether a hyphen touches it across white space (the tokenizer may join
/// it to another piece: the caller then cannot tell).
fn word_next_to(text: &str, at: usize, before: bool) -> (&str, bool) {
    let b = text.as_bytes();
    // ASCII bytes are tested as bytes (char::is_whitespace and is_letter on ASCII: the
    // white space below, the ASCII letters); other characters are decoded.
    let skip_ws = |mut k: usize| {
        loop {
            let c = if before {
                k.checked_sub(1).map(|p| b[p])
            } else {
                b.get(k).copied()
            };
            match c {
                Some(b' ' | b'\t'..=b'\r') => {
                    if before {
                        k -= 1;
                    } else {
                        k += 1;
                    }
                }
                Some(c) if c >= 0x80 => {
                    let ch = if before {
                        text[..k].chars().next_back()
                    } else {
                        text[k..].chars().next()
                    };
                    match ch.filter(|c| c.is_whitespace()) {
                        Some(ch) if before => k -= ch.len_utf8(),
                        Some(ch) => k += ch.len_utf8(),
                        None => break,
                    }
                }
                _ => break,
            }
        }
        k
    };
    let start = skip_ws(at);
    let mut k = start;
    let mut n = 0;
    while n <= 10 {
        let c = if before {
            k.checked_sub(1).map(|p| b[p])
        } else {
            b.get(k).copied()
        };
        let len = match c {
            Some(c) if c.is_ascii_alphabetic() => 1,
            Some(c) if c >= 0x80 => {
                let ch = if before {
                    text[..k].chars().next_back()
                } else {
                    text[k..].chars().next()
                };
                match ch.filter(|&c| is_letter(c)) {
                    Some(ch) => ch.len_utf8(),
                    None => break,
                }
            }
            _ => break,
        };
        if before {
            k -= len;
        } else {
            k += len;
        }
        n += 1;
    }
    let word = if before {
        &text[k..start]
    } else {
        &text[start..k]
    };
    // A longer word (even joined to another piece) is no month name.
    if word.is_empty() || n > 10 {
        return ("", false);
    }
    let beyond = skip_ws(k);
    let hyphen = if before {
        beyond > 0 && b[beyond - 1] == b'-'
    } else {
        b.get(beyond) == Some(&b'-')
    };
    (word, hyphen)
}

/// [`word_next_to`] by byte tests, when every character it reads is ASCII or in U+00C0..=U+00FF
/// (« é », « û », two bytes from 0xC3): (word start, word end, hyphen). `None` when it meets
/// another character (white space or a letter, maybe): the caller then takes
/// [`word_next_to`], which decodes characters.
///
/// `BEFORE` is a constant so that each direction compiles to its own loop (this runs for
/// every digit run next to a letter).
fn ascii_word_next_to<const BEFORE: bool>(b: &[u8], at: usize) -> Option<(usize, usize, bool)> {
    let before = BEFORE;
    enum Next {
        End,
        Space,
        Letter(usize),
        Other,
    }
    // The character a walk from `k` reads next. In U+00C0..=U+00FF every character is a
    // letter but × and ÷, and none is white space.
    let next = |k: usize| -> Option<Next> {
        let (c, cont) = if before {
            let Some(p) = k.checked_sub(1) else {
                return Some(Next::End);
            };
            if b[p] >= 0x80 {
                (*b.get(p.wrapping_sub(1))?, b[p])
            } else {
                (b[p], 0)
            }
        } else {
            let Some(&c) = b.get(k) else {
                return Some(Next::End);
            };
            (c, if c >= 0x80 { *b.get(k + 1)? } else { 0 })
        };
        Some(match c {
            b' ' | b'\t'..=b'\r' => Next::Space,
            c if c.is_ascii_alphabetic() => Next::Letter(1),
            c if c.is_ascii() => Next::Other,
            0xC3 if (0x80..=0xBF).contains(&cont) => {
                if cont == 0x97 || cont == 0xB7 {
                    Next::Other
                } else {
                    Next::Letter(2)
                }
            }
            _ => return None,
        })
    };
    let skip_ws = |mut k: usize| -> Option<usize> {
        while let Next::Space = next(k)? {
            k = if before { k - 1 } else { k + 1 };
        }
        Some(k)
    };
    let start = skip_ws(at)?;
    let mut k = start;
    let mut n = 0;
    // ASCII letters first, in a plain loop (what the loop below does with them, without
    // classifying each byte through `next`); the loop below goes on from the first other byte.
    if before {
        while n <= 10 && k > 0 && b[k - 1].is_ascii_alphabetic() {
            k -= 1;
            n += 1;
        }
    } else {
        while n <= 10 && k < b.len() && b[k].is_ascii_alphabetic() {
            k += 1;
            n += 1;
        }
    }
    while n <= 10 {
        match next(k)? {
            Next::Letter(len) => {
                k = if before { k - len } else { k + len };
                n += 1;
            }
            _ => break,
        }
    }
    let (from, to) = if before { (k, start) } else { (start, k) };
    if n == 0 || n > 10 {
        return Some((from, from, false));
    }
    let beyond = skip_ws(k)?;
    let hyphen = if before {
        beyond > 0 && b[beyond - 1] == b'-'
    } else {
        b.get(beyond) == Some(&b'-')
    };
    Some((from, to, hyphen))
}

/// A stack copy of a folded word: its bytes and length.
struct ShortFold {
    bytes: [u8; ShortFold::CAP],
    len: usize,
}

impl ShortFold {
    /// Longer than any word [`digits_may_date`] compares with (« septembre », 9 bytes).
    const CAP: usize = 10;

    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// The fold of `w` (what [`fold_char`] gives for each character) without a `String`, when
/// every character is ASCII or in U+00C0..=U+00FF: `Some(Some(fold))`, or `Some(None)` when
/// the fold is no ASCII word of at most [`ShortFold::CAP`] bytes (it then equals none of the
/// words [`digits_may_date`] compares with). `None` for another character: the caller folds
/// by `fold_char`.
fn fold_short_word(w: &str) -> Option<Option<ShortFold>> {
    let b = w.as_bytes();
    let mut out = ShortFold {
        bytes: [0; ShortFold::CAP],
        len: 0,
    };
    let mut i = 0;
    while i < b.len() {
        let f = if b[i].is_ascii() {
            i += 1;
            b[i - 1].to_ascii_lowercase()
        } else if b[i] == 0xC3 && b.get(i + 1).is_some_and(|d| (0x80..=0xBF).contains(d)) {
            let f = FOLD_LATIN1[usize::from(b[i + 1] - 0x80)];
            if !f.is_ascii() {
                return Some(None);
            }
            i += 2;
            f as u8
        } else {
            return None;
        };
        if out.len == ShortFold::CAP {
            return Some(None);
        }
        out.bytes[out.len] = f;
        out.len += 1;
    }
    Some(Some(out))
}

/// Whether the fold of `w` (what [`fold_char`] gives for each character) passes `test`.
fn folds_to(w: &str, buf: &mut String, test: impl Fn(&[u8]) -> bool) -> bool {
    match fold_short_word(w) {
        Some(Some(folded)) => test(folded.as_slice()),
        Some(None) => false,
        None => {
            buf.clear();
            for c in w.chars() {
                fold_char(c, buf);
            }
            test(buf.as_bytes())
        }
    }
}

/// Whether the digit run `text[s..e]` may belong to a date: a month name (or « en »/"in"
/// before a year) right before it, a month name or a day suffix (« 1 er », « 1™ ») right
/// after it. A superset: unsure cases (hyphens) say yes.
fn digits_may_date(text: &str, s: usize, e: usize, buf: &mut String) -> bool {
    // Most digit runs sit between ASCII non-letters (« A/74/123 », « (2019) », « 1 300 ») or
    // next to words that end or start in no listed pair (« article 31 de »): a side ruled out
    // by its first bytes is not read (see `side_ruled_out`).
    let b = text.as_bytes();
    let before_out = side_ruled_out::<true>(b, s, &PAIRS_ENDING_WORD_BEFORE);
    let after_out = side_ruled_out::<false>(b, e, &PAIRS_STARTING_WORD_AFTER);
    if before_out && after_out {
        return false;
    }
    let next_to = |at: usize, before: bool| {
        let fast = if before {
            ascii_word_next_to::<true>(b, at)
        } else {
            ascii_word_next_to::<false>(b, at)
        };
        match fast {
            Some((from, to, hyphen)) => (&text[from..to], hyphen),
            None => word_next_to(text, at, before),
        }
    };
    if !before_out {
        let (w, hyphen) = next_to(s, true);
        if hyphen
            || (!w.is_empty()
                && may_fold_to_listed(w.as_bytes(), &PAIRS_ENDING_WORD_BEFORE, true)
                && folds_to(w, buf, |f| is_month_name(f) || is_year_preposition(f)))
        {
            return true;
        }
    }
    if after_out {
        return false;
    }
    let (w, hyphen) = next_to(e, false);
    if hyphen
        || (!w.is_empty()
            && may_fold_to_listed(w.as_bytes(), &PAIRS_STARTING_WORD_AFTER, false)
            && folds_to(w, buf, |f| is_month_name(f) || is_day_suffix(f)))
    {
        return true;
    }
    let rest = text[e..].trim_start();
    w.is_empty() && (rest.starts_with('™') || rest.starts_with('°') || rest.starts_with('º'))
}

/// Whether the side of a digit run that starts at `k` (`BEFORE`: the bytes before `k`, else
/// from `k`) cannot make it a date, told from the bytes next to the run past ASCII white
/// space (char::is_whitespace's ASCII cases): the text ends, or the first byte is an ASCII
/// non-letter (then [`digits_may_date`] reads an empty word there, and no hyphen), or the first
/// two are ASCII letters whose pair (the word's last two letters before the run, its first two
/// after it) is not in `pairs`.
///
/// In the last case the word is read no further: its fold, and the fold of any token the
/// tokenizer makes of it joined to another piece across a hyphen and a line break (which
/// [`digits_may_date`] otherwise lets through as unsure), ends (or starts) with those two
/// letters lower-cased, so it is no listed word.
fn side_ruled_out<const BEFORE: bool>(b: &[u8], at: usize, pairs: &[u32; 26]) -> bool {
    let mut k = at;
    let (next, second) = if BEFORE {
        while k > 0 && matches!(b[k - 1], b' ' | b'\t'..=b'\r') {
            k -= 1;
        }
        let Some(p) = k.checked_sub(1) else {
            return true;
        };
        (b[p], p.checked_sub(1).map(|q| b[q]))
    } else {
        while k < b.len() && matches!(b[k], b' ' | b'\t'..=b'\r') {
            k += 1;
        }
        let Some(&c) = b.get(k) else {
            return true;
        };
        (c, b.get(k + 1).copied())
    };
    if !next.is_ascii_alphabetic() {
        return next.is_ascii();
    }
    match second {
        Some(c) if c.is_ascii_alphabetic() => {
            // The pair in reading order.
            let (x, y) = if BEFORE { (c, next) } else { (next, c) };
            pairs[usize::from((x | 0x20) - b'a')] & (1 << ((y | 0x20) - b'a')) == 0
        }
        _ => false,
    }
}

/// Whether the bytes `l e r next` at `k - 2 ..= k + 1` may end « ler » / « ier » at `k`, in a
/// spelling the tokenizer folds to them (a superset), as 0 or 1: `r` or `R` not followed by
/// an ASCII letter, after `e`, `E` or a two-byte character (« é », « ¢ »), itself after `l`,
/// `i` or a two-byte character (« î »). Byte arithmetic only (no branches: it vectorises).
#[inline(always)]
fn may_end_ler_u8(l: u8, e: u8, r: u8, next: u8) -> u8 {
    // Non-short-circuit tests on bytes (signed compares: `(c as i8) < 0` is c >= 0x80,
    // `(c as i8) < -64` is a continuation byte 0x80..=0xBF), like `block_may_end_ler`.
    let letter = |c: u8| (c | 0x20).wrapping_sub(b'a') < 26;
    u8::from(
        ((r | 0x20) == b'r')
            & !letter(next)
            & (((e | 0x20) == b'e') | ((e as i8) < -64))
            & (((l | 0x20) == b'l') | ((l | 0x20) == b'i') | ((l as i8) < 0)),
    )
}

/// [`may_end_ler_u8`] and, in addition, the word starts at `k - 2`: the byte before it
/// (`p`, at `k - 3`) is no ASCII letter. Still a superset: when the three bytes before the
/// « r » are ASCII, they are the word's three letters and the character before the word is
/// either ASCII (then `p`, no letter) or not (then `p >= 0x80`, no ASCII letter); when `l` or
/// `e` is not ASCII, the word may start earlier and the test lets it through. This drops
/// « premier », « janvier », « particulier », common in the reports.
#[inline(always)]
fn may_end_ler4_u8(p: u8, l: u8, e: u8, r: u8, next: u8) -> u8 {
    let p_letter = (p | 0x20).wrapping_sub(b'a') < 26;
    may_end_ler_u8(l, e, r, next) & u8::from(!p_letter | ((l as i8) < 0) | ((e as i8) < 0))
}

/// 0xFF when `a == b`, else 0: a byte compare as the vector units give it.
#[inline(always)]
fn eq_mask(a: u8, b: u8) -> u8 {
    if a == b {
        0xFF
    } else {
        0
    }
}

/// The block test of [`anchors`], its answer in the high bit: [`may_end_ler_u8`] without the
/// test of the byte before the word, with a first letter that may also be `h` or `m`
/// (`l | 0x25 == 0x6D` holds for h, i, l and m in either case: one compare instead of two)
/// and a second byte that may be any byte from 0x80 (not only a continuation byte: in UTF-8
/// the byte before an ASCII `r` is never a lead byte, so this lets no more « r » through). A
/// superset of both [`may_end_ler_u8`] and [`may_end_ler4_u8`]: a block it rejects holds no
/// « ler » end.
///
/// Each test leaves its answer in the high bit of a byte (a compare gives 0xFF or 0, and a byte
/// from 0x80 is its own « non-ASCII » answer), so that the tests are few byte operations
/// that vectorise (a block it lets through is checked byte by byte with [`may_end_ler4_u8`]).
#[inline(always)]
fn block_may_end_ler(l: u8, e: u8, r: u8, next: u8) -> u8 {
    // `(next | 0x20) + 0x1F` maps a..z (either case) to 0x80..=0x99, which are the bytes
    // below -102 as signed bytes: `next` is no ASCII letter when the sum is above that.
    let not_letter = if ((next | 0x20).wrapping_add(0x80 - b'a') as i8) > (0x99u8 as i8) {
        0xFF
    } else {
        0
    };
    eq_mask(r | 0x20, b'r')
        & not_letter
        & (eq_mask(e | 0x20, b'e') | e)
        & (eq_mask(l | 0x25, 0x6D) | l)
}

/// Whether `c` is an ASCII digit, in the high bit (0xFF or 0), like [`block_may_end_ler`]:
/// `c + 0x50` maps `0`..=`9` to 0x80..=0x89, the bytes below -118 as signed bytes.
#[inline(always)]
fn digit_mask(c: u8) -> u8 {
    if (c.wrapping_add(0x80 - b'0') as i8) < (0x8Au8 as i8) {
        0xFF
    } else {
        0
    }
}

/// The word « ler » / « ier » (OCR'd « 1er ») whose last letter would be byte `k`, checked
/// exactly as the tokenizer folds it: its start, if it is one.
fn ler_word_ending_at(text: &str, k: usize, buf: &mut String) -> Option<usize> {
    // The word ending at `k`: three letters, not more.
    let word_end = k + 1;
    let mut start = word_end;
    let mut n = 0;
    while let Some(c) = text[..start].chars().next_back().filter(|&c| is_letter(c)) {
        start -= c.len_utf8();
        n += 1;
        if n > 3 {
            return None;
        }
    }
    if n != 3 || text[word_end..].chars().next().is_some_and(is_letter) {
        return None;
    }
    buf.clear();
    for c in text[start..word_end].chars() {
        fold_char(c, buf);
    }
    (buf == "ler" || buf == "ier").then_some(start)
}

/// The high bit of each byte of `word` that is an ASCII digit, the others clear. Per byte,
/// without carries: for `y` the byte without its high bit, `y + 0x50` has its high bit set
/// when `y >= 0x30` and `y + 0x46` when `y >= 0x3A`; a byte with its high bit set is no
/// ASCII digit.
#[inline(always)]
fn ascii_digits_swar(word: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let y = word & LOW7;
    let at_least_0 = y + 0x5050_5050_5050_5050;
    let above_9 = y + 0x4646_4646_4646_4646;
    at_least_0 & !above_9 & !word & HIGH
}

/// The digit runs starting in `from..to` (and at or after `*resume`, the end of the last run
/// read) that may belong to a date: their starts are pushed to `out`.
fn digit_anchors(
    text: &str,
    from: usize,
    to: usize,
    resume: &mut usize,
    out: &mut Vec<usize>,
    buf: &mut String,
) {
    let b = text.as_bytes();
    let mut i = from.max(*resume);
    while i < to {
        if !b[i].is_ascii_digit() {
            // The next digit, 8 bytes at a time where 8 bytes are left (the same digit the
            // byte walk finds: it only skips non-digits).
            i += 1;
            while i + 8 <= to {
                let word = u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
                let digits = ascii_digits_swar(word);
                if digits != 0 {
                    i += digits.trailing_zeros() as usize / 8;
                    break;
                }
                i += 8;
            }
            continue;
        }
        let s = i;
        let mut e = s + 1;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
        if digits_may_date(text, s, e, buf) {
            out.push(s);
        }
        *resume = e;
        i = e;
    }
}

/// [`digit_anchors`] over the 32-byte block `k..k + 32` of [`anchors`], the digits given as a
/// bit mask (`digits`, bit `j` for byte `k + j`) instead of found byte by byte: the same runs,
/// in the same order, with the same `*resume`. A run starts at a digit whose byte before is no
/// digit, or at the first byte of the block: the byte walk starts a run there too, and when
/// `b[k - 1]` is a digit the block before was read and `*resume`, the end of its last run, is
/// past `k` (the runs before `*resume` are masked off, as the walk starts at `*resume`).
#[inline(always)]
fn block_digit_anchors(
    text: &str,
    k: usize,
    digits: u32,
    resume: &mut usize,
    out: &mut Vec<usize>,
    buf: &mut String,
) {
    let b = text.as_bytes();
    let mut starts = digits & !(digits << 1);
    let skip = resume.saturating_sub(k);
    starts &= u32::MAX.checked_shl(skip as u32).unwrap_or(0);
    while starts != 0 {
        let j = starts.trailing_zeros() as usize;
        let s = k + j;
        // The run's end: the first clear bit from `j`, or past the block byte by byte.
        let mut e = s + (digits >> j).trailing_ones() as usize;
        if e == k + 32 {
            while e < b.len() && b[e].is_ascii_digit() {
                e += 1;
            }
        }
        if digits_may_date(text, s, e, buf) {
            out.push(s);
        }
        *resume = e;
        starts &= starts - 1;
    }
}

/// The tests of [`anchors`] on one 32-byte block, as bit masks (bit `j` for byte `j + 2` of
/// `w`, the block's byte `j`): the ASCII digits, and the bytes that may end « ler » by
/// [`block_may_end_ler`] (`w[j..j + 4]` are its `l e r next`). Byte by byte: the reference
/// of [`block_masks_sse2`], and the test on other targets.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn block_masks_bytes(w: &[u8; 35]) -> (u32, u32) {
    let (mut digits, mut ler) = (0u32, 0u32);
    for j in 0..32 {
        digits |= u32::from(digit_mask(w[j + 2]) >> 7) << j;
        ler |= u32::from(block_may_end_ler(w[j], w[j + 1], w[j + 2], w[j + 3]) >> 7) << j;
    }
    (digits, ler)
}

/// [`block_masks_bytes`] with SSE2, which every x86-64 processor has: the byte tests of
/// [`digit_mask`] and [`block_may_end_ler`] on 16 bytes at a time, their high bits gathered by
/// one `movemask` each. Left to the compiler, the byte loop was vectorised too, but ran out of
/// registers, shuffled the shifted loads and gathered the answer by a tree of shifts: about
/// 90 instructions a block, about 40 here. The intrinsics take no pointer (the 16-byte loads
/// are built from two `u64`s, which the compiler makes one load): the only condition of their
/// safety is that the processor has SSE2, which [`block_masks`] states.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn block_masks_sse2(w: &[u8; 35]) -> (u32, u32) {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x,
    };
    // Its own load, not `text::load16`: read from the fixed-size block, it compiles to fewer
    // instructions in this loop (+1 M on 2 MB through the shared one).
    let load = |at: usize| -> __m128i {
        let lo = u64::from_le_bytes(w[at..at + 8].try_into().unwrap_or([0; 8]));
        let hi = u64::from_le_bytes(w[at + 8..at + 16].try_into().unwrap_or([0; 8]));
        _mm_set_epi64x(hi as i64, lo as i64)
    };
    let c = |x: u8| _mm_set1_epi8(x as i8);
    let half = |h: usize| -> (u32, u32) {
        let (l, e, r, next) = (load(h), load(h + 1), load(h + 2), load(h + 3));
        // digit_mask: `c + 0x50` below 0x8A as signed bytes.
        let digit = _mm_cmplt_epi8(_mm_add_epi8(r, c(0x80 - b'0')), c(0x8A));
        // block_may_end_ler, test by test.
        let not_letter = _mm_cmpgt_epi8(
            _mm_add_epi8(_mm_or_si128(next, c(0x20)), c(0x80 - b'a')),
            c(0x99),
        );
        let is_r = _mm_cmpeq_epi8(_mm_or_si128(r, c(0x20)), c(b'r'));
        let is_e = _mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(e, c(0x20)), c(b'e')), e);
        let is_l = _mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(l, c(0x25)), c(0x6D)), l);
        let ler = _mm_and_si128(_mm_and_si128(is_r, not_letter), _mm_and_si128(is_e, is_l));
        (
            _mm_movemask_epi8(digit) as u32,
            _mm_movemask_epi8(ler) as u32,
        )
    };
    let (d0, l0) = half(0);
    let (d1, l1) = half(16);
    (d0 | d1 << 16, l0 | l1 << 16)
}

/// The masks of [`block_masks_bytes`], by SSE2 where there is SSE2.
#[inline(always)]
fn block_masks(w: &[u8; 35]) -> (u32, u32) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    // SAFETY: the function's only requirement is SSE2, and this is compiled only for
    // targets that enable it (every x86-64 target does: it is part of the architecture).
    return unsafe { block_masks_sse2(w) };
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    return block_masks_bytes(w);
}

/// The first block `at..at + 32` of [`anchors`] from `k` (a block start, `k >= 3`) that holds
/// a digit or a possible « ler » end, with its masks ([`block_masks`]); or, when there is none,
/// the first block start with fewer than 33 bytes left and zero masks. A loop of its own, with
/// no call in it: the masks' constants then stay in vector registers (in the loop of
/// [`anchors`], which calls functions that may overwrite them, they were loaded again for every
/// block).
#[inline(never)]
fn next_block_with_anchors(b: &[u8], mut k: usize) -> (usize, u32, u32) {
    while k + 33 <= b.len() {
        // Bytes k - 2 ..= k + 32: the « ler » ending at k + j reads k + j - 2 ..= k + j + 1.
        let w: &[u8; 35] = b[k - 2..k + 33].try_into().expect("35 bytes");
        let (digits, ler) = block_masks(w);
        if digits | ler != 0 {
            return (k, digits, ler);
        }
        k += 32;
    }
    (k, 0, 0)
}

/// Byte offsets where a date may be: digit runs next to a month name (or « en »/"in"),
/// standalone « ler »/« ier », and hyphens followed by a line break and a lower-case letter
/// (the tokenizer joins such words, which a byte scan cannot see). Sorted.
///
/// Digits and « ler » are found in one pass, 32 bytes at a time: a block's tests are byte
/// arithmetic gathered into two bit masks ([`block_masks`]), and only the few blocks that
/// hold a digit or a possible « ler » go further, from bit to bit.
#[inline(never)] // called once: kept apart in profiles
fn anchors(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut resume = 0;
    // Bytes 0..3: a « ler » can end at byte 2 at the earliest; the byte test of a block
    // reads the byte at k - 3. Edges take the plain `r` test (a superset).
    let head = n.min(3);
    digit_anchors(text, 0, head, &mut resume, &mut out, &mut buf);
    for k in (2..head).filter(|&k| (b[k] | 0x20) == b'r') {
        out.extend(ler_word_ending_at(text, k, &mut buf));
    }
    let mut k = 3;
    loop {
        let (at, digits, ler) = next_block_with_anchors(b, k);
        k = at;
        if digits | ler == 0 {
            break;
        }
        if digits != 0 {
            block_digit_anchors(text, at, digits, &mut resume, &mut out, &mut buf);
        }
        let mut ler = ler;
        while ler != 0 {
            let j = at + ler.trailing_zeros() as usize;
            ler &= ler - 1;
            if may_end_ler4_u8(b[j - 3], b[j - 2], b[j - 1], b[j], b[j + 1]) != 0 {
                out.extend(ler_word_ending_at(text, j, &mut buf));
            }
        }
        k += 32;
    }
    // The tail (and texts too short for a block): the last byte may end the word too.
    digit_anchors(text, k, n, &mut resume, &mut out, &mut buf);
    for j in (k.min(n)..n).filter(|&j| (b[j] | 0x20) == b'r') {
        out.extend(ler_word_ending_at(text, j, &mut buf));
    }
    for h in memchr::memchr_iter(b'-', b) {
        let rest = &text[h + 1..];
        let after = rest.trim_start();
        if rest[..rest.len() - after.len()].contains('\n')
            && after.chars().next().is_some_and(|c| c.is_lowercase())
        {
            out.push(h);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A stretch of text tokenised and scanned on its own.
pub(crate) struct Window {
    pub toks: Vec<Tok>,
    /// Its dates, with token ranges into `toks`.
    pub scanned: Vec<Scanned>,
}

/// Tokens the parser must see with context on both sides: month names, years, anchors.
const MARGIN: usize = 8;

/// Whether the parse of `toks` (cut at `lo..hi` of a text of `len` bytes) is the whole
/// text's parse: every token the parser (and `extra`) read lies inside. `marked` is the first
/// and last token that names a month or is a year ([`scan_tokens_reach`]): the tokens between
/// have as much context on each side.
fn window_ok(
    toks: &[Tok],
    scanned: &[Scanned],
    reach: isize,
    marked: Option<(usize, usize)>,
    anchors: &[usize],
    extra: &impl Fn(&[Tok], &Scanned) -> isize,
) -> (bool, bool) {
    let n = toks.len();
    let mut front = reach >= 0;
    let mut back = true;
    let mut check = |i: usize| {
        front &= i >= MARGIN;
        back &= i + MARGIN < n;
    };
    if let Some((first, last)) = marked {
        check(first);
        check(last);
    }
    for &a in anchors {
        check(toks.partition_point(|t| t.span.end <= a));
    }
    for s in scanned {
        front &= extra(toks, s) >= 0;
    }
    (front, back)
}

/// Finds the dates of `text` window by window (see above). `extra` gives, for a date, the
/// lowest token index some later use of the window reads around it (below 0: out of the
/// window); the window grows until that is inside too.
///
/// Each window is handed to `keep` as soon as it is final, and only what `keep` appends to the
/// result is kept: a window's tokens (about 50 bytes each) go with it. Held until the end, the
/// tokens of every window of a 20 MB report weighed 12 MB. `keep` may take the window's
/// dates (its vectors serve the next window). Past the budget below, the result is cleared
/// and `keep` is called once more, on the whole text.
pub(crate) fn scan_windows<T>(
    text: &str,
    extra: &impl Fn(&[Tok], &Scanned) -> isize,
    mut keep: impl FnMut(&mut Window, &mut Vec<T>),
) -> Vec<T> {
    const SIDE: usize = 48;
    let b = text.as_bytes();
    let anchors = anchors(text);
    let mut kept: Vec<T> = Vec::new();
    // Where the last window ended: the next one does not grow back past it.
    let mut floor = 0;
    // The start of the last date kept: a window that grew back over its predecessors finds
    // their last dates again. Each window's dates are the whole text's dates inside it, which
    // are disjoint and in order, so a date starting at or before this one is a repeat.
    let mut last_start: Option<usize> = None;
    // Bytes of the windows scanned so far. Where dates are dense, windows grow back over
    // their neighbours' text again and again. Windowing only saves work, so past a budget of
    // a few whole-text scans the text is scanned whole instead, which is what the windows are
    // equivalent to anyway.
    let budget = 4 * b.len() + (1 << 20);
    let mut spent = 0;
    let mut a = 0;
    // One window's vectors, reused by the next (a fresh pair per window cost an allocation
    // and a few reallocations each), and the scratch of the parser and of a growing front.
    let mut win = Window {
        toks: Vec::new(),
        scanned: Vec::new(),
    };
    let mut cores: Vec<Core> = Vec::new();
    let mut front_toks: Vec<Tok> = Vec::new();
    while a < anchors.len() {
        let mut lo = cut_before(b, anchors[a].saturating_sub(SIDE), floor);
        let mut hi = cut_after(b, anchors[a] + SIDE);
        let first = a;
        let mut grow = SIDE;
        // `win.toks` are the tokens of `tok_lo..tok_hi`. A window that grows tokenises only
        // the text it grew by: tokens between two cuts are the whole text's tokens there, so
        // the tokens of `lo..tok_lo`, `tok_lo..tok_hi` and `tok_hi..hi` put end to end are
        // those of `lo..hi` (the whole window was tokenised again at each try before).
        win.toks.clear();
        let (mut tok_lo, mut tok_hi) = (lo, lo);
        loop {
            while a < anchors.len() && anchors[a] < hi {
                hi = hi.max(cut_after(b, anchors[a] + SIDE));
                a += 1;
            }
            // Counted as before the windows grew by their new text only, so that the fallback
            // below comes exactly where it did.
            spent += hi - lo;
            if spent > budget {
                kept.clear();
                keep(&mut whole_window(text), &mut kept);
                return kept;
            }
            if lo < tok_lo {
                front_toks.clear();
                tokenize_range_into(text, lo, tok_lo, &mut front_toks);
                front_toks.append(&mut win.toks);
                std::mem::swap(&mut front_toks, &mut win.toks);
                tok_lo = lo;
            }
            if hi > tok_hi {
                tokenize_range_into(text, tok_hi, hi, &mut win.toks);
                tok_hi = hi;
            }
            let mut reach = 0;
            let mut marked = None;
            win.scanned.clear();
            scan_tokens_into(
                &win.toks,
                &mut reach,
                &mut marked,
                &mut cores,
                &mut win.scanned,
            );
            let (front, back) = window_ok(
                &win.toks,
                &win.scanned,
                reach,
                marked,
                &anchors[first..a],
                extra,
            );
            let front = front || lo == 0;
            let back = back || hi == b.len();
            if front && back {
                if let Some(p) = last_start {
                    win.scanned.retain(|s| s.mention.span.start > p);
                }
                if let Some(s) = win.scanned.last() {
                    last_start = Some(s.mention.span.start);
                }
                floor = hi;
                keep(&mut win, &mut kept);
                break;
            }
            if !front {
                // Grows back, over the previous windows' text if need be (rather than
                // re-tokenising them whole with this one): their dates found again are
                // dropped above.
                lo = cut_before(b, lo.saturating_sub(grow), 0);
            }
            if !back {
                hi = cut_after(b, hi + grow);
            }
            grow *= 2;
        }
    }
    kept
}

/// The whole text as one window: its tokens and every date they hold.
fn whole_window(text: &str) -> Window {
    let toks = tokenize_range(text, 0, text.len());
    let mut reach = 0;
    let scanned = scan_tokens_reach(&toks, &mut reach, &mut None);
    Window { toks, scanned }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> String {
        parse_dates(text, Lang::Fr)
            .iter()
            .map(|m| {
                let mut s = m.start.to_string();
                if let Some(e) = &m.end {
                    s.push_str(if m.kind == MentionKind::List {
                        "&"
                    } else {
                        ".."
                    });
                    s.push_str(&e.to_string());
                }
                if let Some(w) = &m.weekday {
                    s.push_str(&format!(" wd{}", w.weekday));
                }
                if let Some(w) = &m.end_weekday {
                    s.push_str(&format!(" ewd{}", w.weekday));
                }
                s
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }

    #[test]
    fn parser_table() {
        let table: &[(&str, &str)] = &[
            ("12 avril 2019", "2019-04-12"),
            ("le 1er avril 2019", "2019-04-01"),
            ("Le 2 mai 2019", "2019-05-02"),
            ("le 1     er      avril 2019", "2019-04-01"),
            ("le 1 er avril 2019", "2019-04-01"),
            ("le ler avril 2019", "2019-04-01"),
            ("le 1™ avril 2019", "2019-04-01"),
            ("le 1er avril", "????-04-01"),
            ("du 27 au 29 mars 2019", "2019-03-27..2019-03-29"),
            ("du 30 mars au 2 avril 2020", "2020-03-30..2020-04-02"),
            (
                "du 31 décembre 2019 au 2 janvier 2020",
                "2019-12-31..2020-01-02",
            ),
            ("du 31 décembre au 2 janvier 2020", "2019-12-31..2020-01-02"),
            ("les 28 et 29 mars 2019", "2019-03-28&2019-03-29"),
            ("les 7 et 8 décembre 2017", "2017-12-07&2017-12-08"),
            ("les 27, 28 et 29 mars 2019", "2019-03-27&2019-03-29"),
            ("le vendredi 12 avril 2019", "2019-04-12 wd4"),
            ("le mardi 12 avril 2019", "2019-04-12 wd1"),
            ("en mai 2017", "2017-05-??"),
            ("mars 2014", "2014-03-??"),
            ("(mars 2014)", "2014-03-??"),
            ("au plus tard en 2021", "2021-??-??"),
            ("12 April 2019", "2019-04-12"),
            ("27-29 March 2019", "2019-03-27..2019-03-29"),
            ("27–29 March 2019", "2019-03-27..2019-03-29"),
            ("from 27 to 29 March 2019", "2019-03-27..2019-03-29"),
            ("Friday, 12 April 2019", "2019-04-12 wd4"),
            ("Friday 12 April 2019", "2019-04-12 wd4"),
            ("17 December 2018", "2018-12-17"),
            ("April 12, 2019", "2019-04-12"),
            ("Friday, April 12, 2019", "2019-04-12 wd4"),
            ("March 27-29, 2019", "2019-03-27..2019-03-29"),
            ("on 28 and 29 March 2019", "2019-03-28&2019-03-29"),
            ("in May 2017", "2017-05-??"),
            ("in 2021", "2021-??-??"),
            ("le 13 fevrier 2019", "2019-02-13"),
            ("le 17 decembre 2018", "2018-12-17"),
            ("en aofit 2020", "2020-08-??"),
            ("en aoüt 2020", "2020-08-??"),
            ("le 15 août 2020", "2020-08-15"),
            ("le 15 aout 2020", "2020-08-15"),
            ("le 10 Avril 2017", "2017-04-10"),
            ("le 17 DÉCEMBRE 2018", "2018-12-17"),
            ("le 17 décem-\nbre 2018", "2018-12-17"),
            ("du 17 au 21 janvier\n2011", "2011-01-17..2011-01-21"),
            ("du 27 au 29 mars\n\n\n2019", "2019-03-27..2019-03-29"),
            ("le 31 juin 2018", "2018-06-31"),
            ("le 32 mars 2019", "2019-03-32"),
            ("In May 35 countries ratified it", ""),
            ("le 29 février 2019", "2019-02-29"),
            ("17 décembre", "????-12-17"),
            ("le 28 mars et le 2 avril 2019", "2019-03-28 | 2019-04-02"),
            (
                "de septembre 2017 à décembre 2019",
                "2017-09-?? | 2019-12-??",
            ),
            (
                "du lundi 27 au mercredi 29 mars 2019",
                "2019-03-27..2019-03-29 wd0 ewd2",
            ),
            (
                "Règlement (EU) 2016/679 du Parlement européen et du Conseil du 27 avril 2016",
                "2016-04-27",
            ),
            ("résolution 22/7 du 26 avril 2013", "2013-04-26"),
            ("À sa 1re séance, le 27 mars 2019", "2019-03-27"),
            ("À sa 8°séance, le 13 avril 2017", "2017-04-13"),
            ("1er janvier 2000", "2000-01-01"),
            ("Le 1er juillet 2021, l'ONUDC", "2021-07-01"),
            ("at its 1st meeting, on 27 March 2019", "2019-03-27"),
            // Look-alikes: silent.
            ("pour la période 2018-2021", ""),
            ("plus de 1 817 textes", ""),
            ("article 31 de la Convention", ""),
            ("À ses 4e et 5e séances", ""),
            ("la résolution 20/7", ""),
            ("2,5 millions de dollars", ""),
            ("pendant 30 jours et 6 mois", ""),
            ("en mai", ""),
            ("we may 12 times", ""),
            ("the march of 2019", ""),
            ("plus de 1 300 textes en 2020", "2020-??-??"),
            ("en 2018-2021", ""),
            ("2013, 2017 et 2018", ""),
            ("le 2 000 mars", ""),
        ];
        let mut bad = Vec::new();
        for (input, want) in table {
            let got = show(input);
            if got != *want {
                bad.push(format!("{input:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(table.len() >= 60);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    /// The window scan finds what a scan of the whole text's tokens finds, on the seeds and
    /// on the seeds with date-like pieces, line breaks and hyphens sprinkled in.
    #[test]
    fn windows_match_the_whole_text_scan() {
        let whole = |t: &str| -> Vec<DateMention> {
            scan_tokens(&tokenize(t))
                .into_iter()
                .map(|s| s.mention)
                .collect()
        };
        let pieces = [
            " ",
            "\n",
            "  \n\n ",
            "-\n",
            "décem-\nbre",
            "ler avril ",
            " 12 ",
            "2019",
            " mars ",
            " er ",
            "1",
            "du 27 au 29 mars\n\n\n2019",
            ",",
            " et ",
            "vendredi ",
            "en ",
            "in 2020",
            "April 12, 2019",
            " 27-29 ",
            "–",
            "™ ",
            "Ier ",
            "mai",
            "\u{a0}",
            "le 1     er      ",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut rand = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        texts.sort();
        for round in 0..40 {
            let base = &texts[round % texts.len()];
            let mut t = String::new();
            let mut last = 0;
            let mut at: Vec<usize> = (0..base.len() / 40).map(|_| rand(base.len())).collect();
            at.sort_unstable();
            for p in at {
                if p < last || !base.is_char_boundary(p) {
                    continue;
                }
                t.push_str(&base[last..p]);
                t.push_str(pieces[rand(pieces.len())]);
                last = p;
            }
            t.push_str(&base[last..]);
            texts.push(t);
        }
        // Dated sentences on one line: the windows merge into their neighbours until the
        // budget runs out and the scan falls back to the whole text.
        let dense = "Le Conseil, rappelant sa résolution 2334 (2016) du 23 décembre 2016, a tenu \
                     sa 1re séance le 3 mars 2024 (voir A/78/123, par. 4). ";
        texts.push(dense.repeat((3 << 20) / dense.len()));
        for t in &texts {
            let want = whole(t);
            assert!(!want.is_empty());
            assert_eq!(parse_dates(t, Lang::Fr), want);
        }
    }

    /// The 8-bytes-at-a-time letter run ends where the byte loop ends it, from every
    /// position of the seeds and of a few edge-case texts.
    #[test]
    fn ascii_letters_end_matches_the_byte_loop() {
        let mut texts = crate::test_support::seed_texts();
        texts.extend(
            [
                "",
                "a",
                "abcdefgh",
                "abcdefghi",
                "Zz@[`{é9 x",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ\u{a0}",
            ]
            .map(String::from),
        );
        for t in &texts {
            let b = t.as_bytes();
            for i in 0..=b.len() {
                let mut e = i;
                while e < b.len() && b[e].is_ascii_alphabetic() {
                    e += 1;
                }
                assert_eq!(ascii_letters_end(b, i), e, "at {i}");
            }
        }
    }

    /// `fold_char` before the table of U+00C0..=U+00FF, kept to check it.
    fn fold_char_reference(c: char, out: &mut String) {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            return;
        }
        let f = match c {
            'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' | 'Á' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' | '¢' => 'e',
            'î' | 'ï' | 'í' | 'Î' | 'Ï' => 'i',
            'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => 'o',
            'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'œ' | 'Œ' => {
                out.push_str("oe");
                return;
            }
            '’' | 'ʼ' | '‘' => '\'',
            c => {
                for l in c.to_lowercase() {
                    out.push(l);
                }
                return;
            }
        };
        out.push(f);
    }

    /// `read_word` before its byte loop, kept to check it.
    fn read_word_reference(text: &str, start: usize, norm: &mut String) -> usize {
        norm.clear();
        let mut i = start;
        loop {
            while let Some(d) = text[i..].chars().next().filter(|&d| is_letter(d)) {
                fold_char_reference(d, norm);
                i += d.len_utf8();
            }
            if i < text.len() && text.as_bytes()[i] == b'-' {
                let rest = &text[i + 1..];
                let ws = rest.len() - rest.trim_start().len();
                let after = &rest[ws..];
                if rest[..ws].contains('\n')
                    && after.chars().next().is_some_and(|d| d.is_lowercase())
                {
                    i += 1 + ws;
                    continue;
                }
            }
            return i;
        }
    }

    /// `fold` as it was written: character by character.
    fn fold_reference(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut space = false;
        for c in s.chars() {
            if c.is_whitespace() {
                if !space && !out.is_empty() {
                    out.push(' ');
                }
                space = true;
                continue;
            }
            space = false;
            fold_char(c, &mut out);
        }
        if out.ends_with(' ') {
            out.pop();
        }
        out
    }

    #[test]
    fn fold_matches_the_reference() {
        let mut texts = crate::test_support::seed_texts();
        texts.push(
            " \t\u{a0}A\u{2009} S’EST\x0b\x0c tenue\r\n ŒUVRE ß İ \u{85}x\u{3000} ".to_string(),
        );
        for t in &texts {
            for line in t.lines().chain([t.as_str()]) {
                assert_eq!(fold(line), fold_reference(line), "{line:?}");
            }
        }
    }

    /// The table of U+00C0..=U+00FF folds every character as the character-by-character fold
    /// did, and so does `fold_char` for every character.
    #[test]
    fn fold_char_matches_the_reference() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let (mut got, mut want) = (String::new(), String::new());
            fold_char(c, &mut got);
            fold_char_reference(c, &mut want);
            assert_eq!(got, want, "{c:?}");
            if ('\u{c0}'..='\u{ff}').contains(&c) {
                let mut bytes = [0; 4];
                let enc = c.encode_utf8(&mut bytes).as_bytes();
                let fast = latin1_letter_fold(enc, 0);
                assert_eq!(fast.is_some(), is_letter(c), "{c:?}");
                if let Some(f) = fast {
                    assert_eq!(f.to_string(), want, "{c:?}");
                }
            }
        }
    }

    /// The stack fold of the words next to digit runs gives fold_char's fold, or says that it
    /// is no ASCII word of at most CAP bytes.
    #[test]
    fn short_fold_matches_fold_char() {
        let words = [
            "Mars",
            "DÉCEMBRE",
            "décembre",
            "Août",
            "aoüt",
            "en",
            "Én",
            "ère",
            "ÈRE",
            "ß",
            "Æ",
            "septembreX",
            "septembreXY",
            "abcdéfghij",
            "abcdéfghijk",
            "ŒUVRE",
            "İn",
            "Ÿ",
            "ÿ",
            "¢n",
            "Kn",
        ];
        for w in words {
            let mut want = String::new();
            for c in w.chars() {
                fold_char_reference(c, &mut want);
            }
            match fold_short_word(w) {
                Some(Some(f)) => assert_eq!(f.as_slice(), want.as_bytes(), "{w:?}"),
                Some(None) => assert!(!want.is_ascii() || want.len() > ShortFold::CAP, "{w:?}"),
                None => assert!(w
                    .chars()
                    .any(|c| !c.is_ascii() && !('\u{c0}'..='\u{ff}').contains(&c))),
            }
        }
    }

    /// The letter-pair screens of `digits_may_date` never reject a word that its full tests
    /// accept: every listed word in several spellings, and every word of the seed texts
    /// (split at anything but a letter, and as read next to each digit run).
    #[test]
    fn letter_pair_screens_keep_what_the_full_tests_accept() {
        let before = |f: &[u8]| is_month_name(f) || is_year_preposition(f);
        let after = |f: &[u8]| is_month_name(f) || is_day_suffix(f);
        let mut buf = String::new();
        let (mut checked, mut screened) = (0usize, 0usize);
        let mut check = |w: &str| {
            if w.is_empty() {
                return;
            }
            checked += 1;
            let screen_before = may_fold_to_listed(w.as_bytes(), &PAIRS_ENDING_WORD_BEFORE, true);
            let screen_after = may_fold_to_listed(w.as_bytes(), &PAIRS_STARTING_WORD_AFTER, false);
            if !screen_before {
                screened += 1;
            }
            assert!(screen_before || !folds_to(w, &mut buf, before), "{w:?}");
            assert!(screen_after || !folds_to(w, &mut buf, after), "{w:?}");
        };
        let lists = [
            FRENCH_MONTH_NAMES,
            ENGLISH_MONTH_NAMES,
            YEAR_PREPOSITIONS,
            DAY_SUFFIXES,
        ];
        for w in lists.iter().flat_map(|l| l.iter()) {
            let w = std::str::from_utf8(w).unwrap();
            check(w);
            check(&w.to_uppercase());
            let mut capital = w[..1].to_uppercase();
            capital.push_str(&w[1..]);
            check(&capital);
            // Accented spellings that fold to the listed word (« décembre », « août »).
            check(&w.replace('e', "é"));
            check(&w.replace('u', "û"));
            check(&w.replace('o', "œ"));
        }
        for text in crate::test_support::seed_texts() {
            for w in text.split(|c: char| !is_letter(c)) {
                check(w);
            }
            let b = text.as_bytes();
            let mut i = 0;
            while i < b.len() {
                if b[i].is_ascii_digit() {
                    let s = i;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    check(word_next_to(&text, s, true).0);
                    check(word_next_to(&text, i, false).0);
                } else {
                    i += 1;
                }
            }
        }
        assert!(
            checked > 10_000 && screened > checked / 2,
            "{checked} {screened}"
        );
    }

    /// The tokenizer before its byte-class fast paths, kept to check them.
    fn tokenize_range_before_byte_classes(text: &str, lo: usize, hi: usize) -> Vec<Tok> {
        let text = &text[..hi];
        let bytes = text.as_bytes();
        let mut toks = Vec::with_capacity(hi.saturating_sub(lo) / 5);
        // Words are folded into this buffer; tokens keep them inline (Norm).
        let mut fold_buf = String::new();
        let mut i = lo;
        let mut gap_start = lo;
        let mut nl = false;
        while i < text.len() {
            // ASCII white space (char::is_whitespace's ASCII cases), without decoding.
            match bytes[i] {
                b'\n' => {
                    nl = true;
                    i += 1;
                    continue;
                }
                b' ' | b'\t' | 0x0B..=b'\r' => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // An ASCII byte is its character (and not white space: handled above).
            let c = if bytes[i].is_ascii() {
                char::from(bytes[i])
            } else {
                text[i..].chars().next().unwrap()
            };
            let clen = c.len_utf8();
            if !c.is_ascii() && c.is_whitespace() {
                if c == '\n' {
                    nl = true;
                }
                i += clen;
                continue;
            }
            let start = i;
            let gap = start - gap_start;
            if c.is_ascii_digit() {
                while i < text.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                let digits = &text[start..i];
                // The value, saturating at u32::MAX (what parsing as u64 and capping gives).
                let num = digits.bytes().fold(0u64, |v, d| {
                    (v * 10 + u64::from(d - b'0')).min(u64::from(u32::MAX) + 1)
                });
                let num = num.min(u64::from(u32::MAX)) as u32;
                toks.push(Tok {
                    kind: TokKind::Num,
                    span: start..i,
                    norm: Norm::new(digits),
                    num,
                    cap: false,
                    nl_before: nl,
                    gap,
                });
            } else if is_letter(c) {
                let cap = c.is_uppercase();
                i = read_word_reference(text, start, &mut fold_buf);
                toks.push(Tok {
                    kind: TokKind::Word,
                    span: start..i,
                    norm: Norm::new(&fold_buf),
                    num: 0,
                    cap,
                    nl_before: nl,
                    gap,
                });
            } else {
                i += clen;
                fold_buf.clear();
                fold_char_reference(c, &mut fold_buf);
                toks.push(Tok {
                    kind: TokKind::Punct,
                    span: start..i,
                    norm: Norm::new(&fold_buf),
                    num: 0,
                    cap: false,
                    nl_before: nl,
                    gap,
                });
            }
            gap_start = i;
            nl = false;
        }
        toks
    }

    /// The 16-byte load of `Norm::ascii_lower` and its byte loop near the end of the text both
    /// lower-case as `to_ascii_lowercase` does, for every length, and mark longer runs long.
    #[test]
    fn ascii_norm_matches_lowercasing() {
        let text = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
        let b = text.as_bytes();
        for start in 0..b.len() {
            for end in start + 1..=b.len() {
                let n = Norm::ascii_lower(b, start, end);
                if end - start > Norm::CAP {
                    assert!(n.is_long());
                } else {
                    assert_eq!(n, Norm::new(&text[start..end].to_ascii_lowercase()));
                }
            }
        }
    }

    #[test]
    fn is_letter_matches_the_unicode_table() {
        for c in (0..0x3100).filter_map(char::from_u32) {
            let want = (c.is_alphabetic() || c == '¢') && c != '×' && c != '÷';
            assert_eq!(is_letter(c), want, "{c:?}");
        }
    }

    #[test]
    fn digit_mask_is_the_byte_test() {
        for c in 0..=255u8 {
            assert_eq!(digit_mask(c) & 0x80 != 0, c.is_ascii_digit(), "{c}");
        }
    }

    #[test]
    fn swar_digits_match_the_byte_test() {
        for c in 0..=255u8 {
            for lane in 0..8 {
                for fill in [0u8, b'5', 0x80, 0xFF, b' '] {
                    let mut bytes = [fill; 8];
                    bytes[lane] = c;
                    let got = ascii_digits_swar(u64::from_le_bytes(bytes));
                    for (k, &x) in bytes.iter().enumerate() {
                        assert_eq!(got >> (8 * k + 7) & 1 == 1, x.is_ascii_digit(), "{bytes:?}");
                    }
                    assert_eq!(got & !0x8080_8080_8080_8080, 0);
                }
            }
        }
    }

    /// The SSE2 block tests give the byte tests' masks: on every byte value at every lane
    /// (filled around with bytes the tests treat differently), and on the seeds' blocks.
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    #[test]
    fn sse2_block_masks_match_the_byte_tests() {
        for c in 0..=255u8 {
            for lane in 0..35 {
                for fill in [
                    0u8, b'5', b'l', b'e', b'r', b'R', 0x80, 0xC3, 0xFF, b' ', b'I',
                ] {
                    let mut w = [fill; 35];
                    w[lane] = c;
                    assert_eq!(block_masks(&w), block_masks_bytes(&w), "{w:?}");
                }
            }
        }
        for t in crate::test_support::seed_texts() {
            for w in t.as_bytes().windows(35).step_by(7) {
                let w: &[u8; 35] = w.try_into().unwrap();
                assert_eq!(block_masks(w), block_masks_bytes(w), "{w:?}");
            }
        }
    }

    /// The block test of `anchors` lets through every « ler » end the byte test finds: the
    /// tests are ANDs of one test per byte, so every pair of the first two bytes with `r` or
    /// `R` (and every last byte) covers them all.
    #[test]
    fn ler_block_test_is_a_superset() {
        for l in 0..=255u8 {
            for e in 0..=255u8 {
                for r in [b'r', b'R', b'e', 0xC3] {
                    for next in 0..=255u8 {
                        if may_end_ler_u8(l, e, r, next) != 0 {
                            assert!(
                                block_may_end_ler(l, e, r, next) & 0x80 != 0,
                                "{:?}",
                                [l, e, r, next]
                            );
                        }
                    }
                }
            }
        }
    }

    /// The byte-class tokenizer gives the tokens of the character-by-character one, on the
    /// seeds and on text made of the characters each path treats specially.
    #[test]
    fn byte_class_tokens_match_the_reference() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        let pieces = [
            "a",
            "Z",
            "é",
            "É",
            "¢",
            "-",
            "-\n",
            " ",
            "\n",
            "\t",
            "\u{a0}",
            "\u{1c}",
            "1",
            "99",
            "4294967296",
            "ŒUVRE",
            "’",
            "™",
            ".",
            ",",
            "x",
            "ß",
            "İ",
            "\u{85}",
            "ﬁ",
            "Déc",
            "em-\n bre",
            "×",
            "÷",
            "Ñ",
            "ÿ",
            "Þ",
            "àéèêëîïôöùûüç",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..200 {
            let mut t = String::new();
            for _ in 0..60 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            texts.push(t);
        }
        // The inline norm and the whole folded text (re-folded from the span when long: by
        // the reference read_word for the reference tokens).
        let key = |text: &str, t: &Tok, reference: bool| {
            let folded = if reference && t.kind == TokKind::Word {
                let mut buf = String::new();
                read_word_reference(text, t.span.start, &mut buf);
                buf.into_bytes()
            } else {
                t.folded(text).into_owned()
            };
            (
                t.kind,
                t.span.clone(),
                t.norm,
                folded,
                t.num,
                t.cap,
                t.nl_before,
                t.gap,
            )
        };
        for t in &texts {
            let got: Vec<_> = tokenize_range(t, 0, t.len())
                .iter()
                .map(|k| key(t, k, false))
                .collect();
            let want: Vec<_> = tokenize_range_before_byte_classes(t, 0, t.len())
                .iter()
                .map(|k| key(t, k, true))
                .collect();
            assert_eq!(got, want, "{t:?}");
        }
    }

    #[test]
    fn spans_cover_the_date() {
        let t = "Vienne, du 27 au 29 mars 2019, puis";
        let m = &parse_dates(t, Lang::Fr)[0];
        assert_eq!(&t[m.span.clone()], "27 au 29 mars 2019");
        let t = "le vendredi 12 avril 2019.";
        let m = &parse_dates(t, Lang::Fr)[0];
        assert_eq!(&t[m.span.clone()], "vendredi 12 avril 2019");
        assert_eq!(&t[m.weekday.as_ref().unwrap().span.clone()], "vendredi");
    }
}
