//! Line-level grammar (nom): what a single line of a report can start with.
//!
//! Each recogniser takes the line's content (leading whitespace already skipped) and returns
//! byte offsets relative to that content; [`super::parse`] assembles lines into the model.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1, take_while_m_n};
use nom::character::complete::{char, digit1, space0, space1};
use nom::combinator::{eof, opt, recognize};
use nom::sequence::{pair, preceded, terminated, tuple};
use nom::IResult;

/// What a line can be, judged by its first byte: a set of the recognisers that can match.
///
/// Every recogniser below rejects a line whose first byte is not among the ones it starts
/// with, so the parser classifies each line once by this table and runs only the recognisers
/// whose bit is set. A line starting with whitespace (the trimming recognisers skip it) gets
/// every bit, as does one starting with a non-ASCII character other than a letter: the
/// recognisers themselves decide. A line starting with a non-ASCII letter (« é », « É ») can
/// only be a title, when the letter is a capital (see [`Start::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start(u16);

impl Start {
    /// `____`: [`footnote_separator`].
    pub const SEPARATOR: Start = Start(1);
    /// `http…`: [`undocs_link`], [`bare_url`].
    pub const URL: Start = Start(1 << 1);
    /// `*1702181*`: [`is_barcode`].
    pub const BARCODE: Start = Start(1 << 2);
    /// A job number line, the running symbol line: their first word is a job code (`V.`,
    /// `19-`), a page counter, a bar code, a language tag `(E)`, a date stamp or a symbol.
    pub const CODE: Start = Start(1 << 3);
    /// A digit: [`is_page_counter`], [`paragraph_number`], [`number_alone`].
    pub const DIGIT: Start = Start(1 << 4);
    /// « Merci de recycler », "Please recycle", a form feed.
    pub const RECYCLE: Start = Start(1 << 5);
    /// « Table des matières », "Contents", « Sommaire »: [`toc_title`].
    pub const TOC: Start = Start(1 << 6);
    /// « Annexe », "Appendix": [`annex_title`].
    pub const ANNEX: Start = Start(1 << 7);
    /// `IV.`: [`roman_heading`] (its numeral starts with `I`, `V`, `X` or `L`).
    pub const ROMAN: Start = Start(1 << 8);
    /// A capital: [`letter_heading`], a title (`char::is_uppercase` is ASCII capitals here).
    pub const CAPITAL: Start = Start(1 << 9);
    /// `a)`, `(b)`, `¢)` (`¢` is `C2 A2`): [`item_label`].
    pub const ITEM: Start = Start(1 << 10);
    const ALL: Start = Start(u16::MAX);

    /// The recognisers of numbered headings and paragraphs, and of titles (a capital).
    pub const NUMBERED: Start = Start(Self::ROMAN.0 | Self::CAPITAL.0 | Self::DIGIT.0);

    /// Page furniture of any kind.
    pub const FURNITURE: Start = Start(
        Self::SEPARATOR.0
            | Self::URL.0
            | Self::BARCODE.0
            | Self::CODE.0
            | Self::DIGIT.0
            | Self::RECYCLE.0,
    );

    /// The recognisers that can match a line (content trimmed at its start) starting `s`.
    #[inline]
    pub fn of(s: &str) -> Start {
        match s.as_bytes().first() {
            // A character of two bytes or more, other than U+0080–U+00BF (among them the
            // no-break space, « « » and « ¢ », which an item label can be).
            Some(&b) if b >= 0xC3 => Self::of_non_ascii(s),
            Some(&b) => START_TABLE[usize::from(b)],
            None => Start::ALL,
        }
    }

    /// [`Start::of`] a line whose first character is not ASCII. Every recogniser but the
    /// title's wants an ASCII first character, or a `¢` (`C2 A2`), after any spaces it
    /// trims: a letter (never a space) there rejects them all, and only a capital can start a
    /// title. French lines starting « é », « à » (about one in a hundred) are then body text
    /// by the parser's fast path, not run through every recogniser.
    #[inline(never)]
    fn of_non_ascii(s: &str) -> Start {
        match s.chars().next() {
            Some(c) if c.is_lowercase() => Start(0),
            Some(c) if c.is_uppercase() => Start::CAPITAL,
            _ => Start::ALL,
        }
    }

    /// Whether any recogniser of `set` can match.
    pub fn any(self, set: Start) -> bool {
        self.0 & set.0 != 0
    }

    /// The recognisers of `self` and those of `other`.
    pub const fn or(self, other: Start) -> Start {
        Start(self.0 | other.0)
    }
}

const fn start_class(b: u8) -> Start {
    // Whitespace: only `toc_title` and `annex_title` trim, but every bit keeps this obvious.
    if b >= 0x80 || matches!(b, b'\t'..=b'\r' | b' ') {
        return Start::ALL;
    }
    let mut bits = 0;
    if b == b'_' {
        bits |= Start::SEPARATOR.0;
    }
    if b == b'h' {
        bits |= Start::URL.0;
    }
    if b == b'*' {
        bits |= Start::BARCODE.0;
    }
    if matches!(b, b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'(') {
        bits |= Start::CODE.0;
    }
    if b.is_ascii_digit() {
        bits |= Start::DIGIT.0;
    }
    if matches!(b, b'm' | b'M' | b'p' | b'P' | 0x0C) {
        bits |= Start::RECYCLE.0;
    }
    if matches!(b, b't' | b'T' | b'c' | b'C' | b's' | b'S') {
        bits |= Start::TOC.0;
    }
    if matches!(b, b'a' | b'A') {
        bits |= Start::ANNEX.0;
    }
    if matches!(b, b'I' | b'V' | b'X' | b'L') {
        bits |= Start::ROMAN.0;
    }
    if b.is_ascii_uppercase() {
        bits |= Start::CAPITAL.0;
    }
    if matches!(b, b'(' | b'a'..=b'z') {
        bits |= Start::ITEM.0;
    }
    Start(bits)
}

static START_TABLE: [Start; 256] = {
    let mut t = [Start(0); 256];
    let mut b = 0;
    while b < 256 {
        t[b] = start_class(b as u8);
        b += 1;
    }
    t
};

/// Whether the first word of `s` can be a word of a job-number or running-symbol line: a job
/// code has a hyphen, a page counter or symbol a slash, a bar code starts with `*`, a language
/// tag with `(`, a date stamp is six digits. Prose lines (« Dans », "The") fail at once, before
/// any scan of the whole line. A non-ASCII byte answers yes: the full test decides.
pub fn first_word_may_be_code(s: &str) -> bool {
    let b = s.as_bytes();
    if matches!(b.first(), Some(b'*' | b'(')) {
        return true;
    }
    let mut digits = true;
    for (k, &c) in b.iter().enumerate() {
        match c {
            b'-' | b'/' | 0x80..=0xFF => return true,
            b'\t'..=b'\r' | b' ' => return digits && k == 6,
            _ => digits &= c.is_ascii_digit(),
        }
    }
    digits && b.len() == 6
}

/// Markdown decoration in front of a line: `### `, `- `, `**`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Decoration {
    /// Number of `#`.
    pub hashes: u8,
    /// Whether the line starts with `**` (bold).
    pub bold: bool,
    /// Whether the line starts with a bullet `-`, `*` or `•`.
    pub bullet: bool,
    /// Bytes consumed by the decoration.
    pub len: usize,
}

/// Strips Markdown heading hashes, a list bullet and bold markers from the start of a line.
#[inline]
pub fn decoration(s: &str) -> Decoration {
    // Called for every line: most start with none of `#`, `-`, `•` (0xE2…), `*`.
    if !matches!(s.as_bytes().first(), Some(b'#' | b'-' | 0xE2 | b'*')) {
        return Decoration::default();
    }
    decoration_grammar(s)
}

fn decoration_grammar(s: &str) -> Decoration {
    let mut d = Decoration::default();
    let mut rest = s;
    if let Ok((r, h)) = terminated(take_while_m_n::<_, _, ()>(1, 6, |c| c == '#'), space1)(rest) {
        d.hashes = h.len() as u8;
        rest = r;
    }
    if let Ok((r, _)) =
        terminated(alt((tag::<_, _, ()>("- "), tag("• "), tag("* "))), space0)(rest)
    {
        d.bullet = true;
        rest = r;
    }
    if let Ok((r, _)) = terminated(tag::<_, _, ()>("**"), space0)(rest) {
        d.bold = true;
        rest = r;
    }
    d.len = s.len() - rest.len();
    d
}

/// `12. ` or the OCR-damaged `44, `: a paragraph number. Returns (digits, punctuation) lengths.
pub fn paragraph_number(s: &str) -> Option<(usize, char)> {
    // The grammar `terminated(pair(take_while_m_n(1, 3, digit), alt(('.', ','))), space1)`,
    // by byte: its characters are all ASCII (nom's `space1` is spaces and tabs).
    let b = s.as_bytes();
    let digits = b.iter().take(3).take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let punct = match b.get(digits) {
        Some(b'.') => '.',
        Some(b',') => ',',
        _ => return None,
    };
    let spaces = b[digits + 1..]
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    if spaces == 0 {
        return None;
    }
    let rest = &s[digits + 1 + spaces..];
    // The paragraph text starts like a sentence: a capital, a quote, a bracket, a digit.
    let first = rest.chars().next()?;
    let ok = first.is_uppercase()
        || matches!(first, '«' | '"' | '“' | '(' | '[' | '*' | '’' | '\'')
        || (punct == '.' && first.is_ascii_digit());
    ok.then_some((digits, punct))
}

/// `12.` alone on its line (the paragraph text is on the next line).
pub fn number_alone(s: &str) -> Option<(usize, char)> {
    if !s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    (digits > 0 && digits <= 3 && &s[digits..] == ".").then_some((digits, '.'))
}

/// « Table des matières », "Contents", « Sommaire ».
pub fn toc_title(s: &str) -> bool {
    // Most lines are longer than any title and neither start nor end with a space, so that
    // `trim` (which decodes the characters at both ends) would leave them as they are and the
    // length test below would reject them: rejected here without it. `char::is_whitespace`
    // holds for no ASCII byte outside `\t`-`\r` and the space.
    let b = s.as_bytes();
    let ascii_solid = |c: u8| c < 0x80 && !matches!(c, b'\t'..=b'\r' | b' ');
    if b.len() > 4 * 19 && ascii_solid(b[0]) && ascii_solid(b[b.len() - 1]) {
        return false;
    }
    let t = s.trim();
    // Called for every line: reject without lower-casing unless the first letter can start a
    // title (lower-casing maps each character on its own, so it keeps the first letter's) and
    // the line has at most 19 characters (each of at most 4 bytes).
    // (No character outside ASCII lower-cases to `t`, `c` or `s`, so the first byte decides.)
    let first = t.as_bytes().first().map(u8::to_ascii_lowercase);
    if t.len() > 4 * 19 || !matches!(first, Some(b't' | b'c' | b's')) {
        return false;
    }
    // The first character is ASCII, so the second starts at byte 1; in every title it is `a`
    // or `o`. Only ASCII letters lower-case to those (outside ASCII, only the Kelvin sign and
    // « İ » lower-case to ASCII letters: `k`, `i`), so the second byte decides, as does a
    // length under the shortest title's eight characters.
    if t.len() < 8 || !matches!(t.as_bytes()[1].to_ascii_lowercase(), b'a' | b'o') {
        return false;
    }
    // An ASCII title lower-cases to ASCII: compared without a copy. (« matières » is not.)
    if t.is_ascii() {
        return [
            "table des matieres",
            "contents",
            "table of contents",
            "sommaire",
        ]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w));
    }
    // `to_lowercase() == w` character by character, without the copy (no title has a sigma,
    // the one letter whose lower case depends on its neighbours).
    [
        "table des matières",
        "table des matieres",
        "contents",
        "table of contents",
        "sommaire",
    ]
    .iter()
    .any(|w| t.chars().flat_map(char::to_lowercase).eq(w.chars()))
}

/// A table-of-contents entry: ends with a page number (after dots or spaces) or a paragraph range.
pub fn looks_like_toc_entry(s: &str) -> bool {
    let t = s.trim_end();
    let last = t
        .rsplit(|c: char| c.is_whitespace() || c == '.')
        .next()
        .unwrap_or("");
    let page = !last.is_empty()
        && last.chars().all(|c| c.is_ascii_digit())
        && last.len() <= 3
        && t.len() > last.len() + 3;
    page && (t.contains("...") || t.contains("…") || t.contains('\t') || t.contains("   "))
}

/// « Annexe », "Annex II", « Appendice I »: a heading after which numbering restarts.
pub fn annex_title(s: &str) -> bool {
    // Every accepted first word starts with `annex` or `appen` (ASCII, any case): a line whose
    // first five bytes are neither is rejected before the words are split.
    let head = s.trim_start().as_bytes();
    if !head
        .get(..5)
        .is_some_and(|h| h.eq_ignore_ascii_case(b"annex") || h.eq_ignore_ascii_case(b"appen"))
    {
        return false;
    }
    let mut words = s.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    // Called for every line: compare without lower-casing (the words are ASCII, and no
    // non-ASCII letter lower-cases to one of their letters).
    if ![
        "annexe",
        "annex",
        "appendice",
        "appendix",
        "annexes",
        "annexes*",
    ]
    .iter()
    .any(|w| first.eq_ignore_ascii_case(w))
    {
        return false;
    }
    match (words.next(), words.next()) {
        (None, _) => true,
        (Some(n), None) => {
            crate::text::roman_value(n).is_some()
                || n.chars().all(|c| c.is_ascii_digit() || c == '*')
        }
        _ => false,
    }
}

/// Label of a list item: `a)`, `xiv)`, `(b)`, OCR `¢)` or `c¢)`. Returns (label start, label
/// end, total consumed including the following space).
#[inline(always)]
pub fn item_label(s: &str) -> Option<(usize, usize, usize)> {
    // The `)` after a label is one of bytes 1 to 11 (an optional `(`, then at most five
    // characters of at most two bytes): a line without one there (nearly every line starting
    // with a lower-case letter, each of which is asked) is rejected by two word tests, inlined
    // into the callers, without a call, the byte loop of `item_label_bytes` and its
    // mispredicted exit (the word's length varies).
    if !may_close_label(s.as_bytes()) {
        return None;
    }
    item_label_bytes(s)
}

/// [`item_label`] of a line that may have a `)` after its label.
#[inline(never)]
fn item_label_bytes(s: &str) -> Option<(usize, usize, usize)> {
    // An optional `(`, then up to five label characters (`a`-`z`, `¢` = `C2 A2`), read by
    // byte: most lines are words, rejected at the byte after them, which is not `)`.
    let b = s.as_bytes();
    let start = usize::from(b.first() == Some(&b'('));
    let mut end = start;
    for _ in 0..5 {
        match b.get(end) {
            Some(c) if c.is_ascii_lowercase() => end += 1,
            Some(0xC2) if b.get(end + 1) == Some(&0xA2) => end += 2,
            _ => break,
        }
    }
    if end == start || b.get(end) != Some(&b')') {
        return None;
    }
    item_label_after(s, start, end - start)
}

/// Whether one of bytes 1 to 11 of `b` may be `)`: false only when none is (a line shorter
/// than 12 bytes answers true, and the byte loop of [`item_label`] decides).
#[inline(always)]
fn may_close_label(b: &[u8]) -> bool {
    let (Some(low), Some(high)) = (b.get(1..9), b.get(8..12)) else {
        return true;
    };
    // `x` has a zero byte exactly when `(x - 0x01…01) & !x & 0x80…80` is not zero (exact as to
    // whether there is one, not as to where); `x` is the bytes XOR `)`, over as many bytes as
    // `ones` has.
    // The four high bytes of `high` are zero, never « ) ».
    let low = u64::from_le_bytes(low.try_into().unwrap_or_default());
    let high = u64::from(u32::from_le_bytes(high.try_into().unwrap_or_default()));
    crate::text::has_byte(low, b')') || crate::text::has_byte(high, b')')
}

/// [`item_label`] once its label, `len` bytes from `start`, is known to be followed by `)`.
#[inline(never)]
fn item_label_after(s: &str, start: usize, len: usize) -> Option<(usize, usize, usize)> {
    let after_open = &s[start..];
    let lab = &after_open[..len];
    // The grammar `pair(char(')'), alt((space1, eof)))` after the label, by byte (nom's
    // `space1` is spaces and tabs): the `)` is known to be there.
    let after = &after_open.as_bytes()[len + 1..];
    let spaces = after
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    if spaces == 0 && !after.is_empty() {
        return None;
    }
    let rest = &after_open[len + 1 + spaces..];
    let valid = crate::text::alpha_value(lab).is_some()
        || crate::text::roman_value(lab).is_some()
        || repair_label(lab).is_some();
    if !valid {
        return None;
    }
    // Items begin like a sentence.
    let first = rest.chars().next()?;
    (first.is_uppercase()
        || matches!(first, '«' | '"' | '“' | '(' | '[' | '\'' | '’')
        || first.is_ascii_digit())
    .then_some((start, start + len, s.len() - rest.len()))
}

/// The letter an OCR-damaged label stands for: `¢` and `c¢` are `c`.
pub fn repair_label(lab: &str) -> Option<&'static str> {
    matches!(lab, "¢" | "c¢" | "¢c").then_some("c")
}

/// Characters that OCR substitutes inside Roman numerals (`ITII.` for `III.`).
#[cfg(test)]
fn romanish(c: char) -> bool {
    matches!(c, 'I' | 'V' | 'X' | 'L' | 'T' | 'l' | '1' | '|')
}

/// `IV.` or a garbled `ITII.` at the start of a heading: (numeral length, punctuation).
///
/// The grammar `pair(take_while_m_n(1, 7, romanish), terminated(alt(('.', ',')), alt((space1,
/// eof))))`, the numeral starting with a real Roman letter, read by byte: every character
/// it accepts is ASCII. Most lines it is asked about start « Le », « La », « Il »: rejected at
/// their second byte, without the parser combinators (~90 instructions a line). The test
/// `roman_heading_by_byte_is_the_grammar` compares it with the grammar.
pub fn roman_heading(s: &str) -> Option<(usize, char)> {
    let b = s.as_bytes();
    // The numeral must start with a real Roman letter: test that byte first.
    if !matches!(b.first(), Some(b'I' | b'V' | b'X' | b'L')) {
        return None;
    }
    // At most seven characters of the numeral; a longer run leaves a numeral byte where the
    // punctuation must be.
    let num = b
        .iter()
        .take(7)
        .take_while(|&&c| matches!(c, b'I' | b'V' | b'X' | b'L' | b'T' | b'l' | b'1' | b'|'))
        .count();
    let punct = match b.get(num) {
        Some(b'.') => '.',
        Some(b',') => ',',
        _ => return None,
    };
    // nom's `space1` is spaces and tabs.
    matches!(b.get(num + 1), None | Some(b' ' | b'\t')).then_some((num, punct))
}

/// « Chapitre IV » / "Chapter IV" at the start of a section heading (the chapters of a
/// commission's report on its session), its title on the same line or the next: (the
/// numeral's offset, its length, where the title starts). The numeral is upper-case Roman
/// letters, followed by the line's end, a space or a period.
pub fn chapter_heading(s: &str) -> Option<(usize, usize, usize)> {
    let word = ["Chapter", "Chapitre", "CHAPTER", "CHAPITRE"]
        .into_iter()
        .find(|w| s.starts_with(w))?;
    let b = s.as_bytes();
    let at = word.len() + b[word.len()..].iter().take_while(|&&c| c == b' ').count();
    if at == word.len() {
        return None;
    }
    let len = b[at..]
        .iter()
        .take(7)
        .take_while(|&&c| matches!(c, b'I' | b'V' | b'X' | b'L'))
        .count();
    if len == 0 {
        return None;
    }
    let after = at + len;
    match b.get(after) {
        None => Some((at, len, after)),
        Some(b'.') if matches!(b.get(after + 1), None | Some(b' ' | b'\t')) => {
            Some((at, len, after + 1))
        }
        Some(b' ' | b'\t') => Some((at, len, after)),
        _ => None,
    }
}

/// `A. ` at the start of a subsection heading.
pub fn letter_heading(s: &str) -> Option<char> {
    // The grammar's first two steps, by byte.
    let b = s.as_bytes();
    if b.len() < 2 || !b[0].is_ascii_uppercase() || b[1] != b'.' {
        return None;
    }
    let r: IResult<&str, (char, char, &str)> = tuple((
        nom::character::complete::satisfy(|c| c.is_ascii_uppercase()),
        char('.'),
        alt((space1, eof)),
    ))(s);
    r.ok().map(|(_, (c, _, _))| c)
}

/// `V.17-02181`, optionally followed by a page counter and bar-code text.
pub fn job_number(s: &str) -> bool {
    // Every job code has a hyphen: most lines are rejected by one byte search.
    if memchr::memchr(b'-', s.as_bytes()).is_none() {
        return false;
    }
    // `V.17-02181`, `GE.19-12345(E)`, `19-12345 (F)`, alone or beside a page counter, a
    // bar code, a language tag, or the running symbol: furniture only when every word is.
    // `all` first: a prose line fails it at its first word, while `any` would try every word.
    s.split_whitespace().all(|w| {
        is_job_code(w)
                || is_page_counter(w)
                || is_barcode(w)
                || (w.starts_with('(') && w.ends_with(')') && w.len() <= 4)
                // the issue date stamp printed beside New York job numbers: `010819`
                || (w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
                || document_symbol(w) == Some(w.len())
    }) && s.split_whitespace().any(is_job_code)
}

/// One job-number word: an optional office prefix (`V.`, `GE.`), `YY-NNNNN`, optional `(E)`.
fn is_job_code(w: &str) -> bool {
    let r: IResult<&str, &str> = recognize(tuple((
        opt(pair(
            take_while_m_n(1, 2, |c: char| c.is_ascii_uppercase()),
            char('.'),
        )),
        take_while_m_n(2, 2, |c: char| c.is_ascii_digit()),
        char('-'),
        take_while_m_n(5, 5, |c: char| c.is_ascii_digit()),
        opt(tuple((
            char('('),
            take_while_m_n(1, 1, |c: char| c.is_ascii_uppercase()),
            char(')'),
        ))),
    )))(w);
    matches!(r, Ok(("", _)))
}

/// `7/11`: a page counter.
pub fn is_page_counter(s: &str) -> bool {
    // Three digits, a slash, three digits at most.
    if s.len() > 7 {
        return false;
    }
    let r: IResult<&str, (&str, char, &str)> = tuple((digit1, char('/'), digit1))(s);
    matches!(r, Ok(("", (a, _, b))) if a.len() <= 3 && b.len() <= 3)
}

/// `*1702181*`: bar-code text under the job number.
pub fn is_barcode(s: &str) -> bool {
    let r: IResult<&str, &str> = recognize(tuple((char('*'), digit1, char('*'))))(s);
    matches!(r, Ok(("", _)))
}

/// A UN document symbol: `A/RES/74/174`, `UNODC/CCPCJ/EG.4/2017/INF/1/Rev.1`, `E/CN.15/2020/12`.
/// Returns its length. At least two slashes; segments of letters, digits, dots and hyphens.
pub fn document_symbol(s: &str) -> Option<usize> {
    let segment = |i| take_while1(|c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-')(i);
    let r: IResult<&str, &str> = recognize(pair(
        take_while1(|c: char| c.is_ascii_uppercase()),
        nom::multi::many1(preceded(char('/'), segment)),
    ))(s);
    let (_, sym) = r.ok()?;
    let sym = sym.trim_end_matches('.');
    (sym.matches('/').count() >= 2).then_some(sym.len())
}

/// `http://undocs.org/...` alone on a line.
pub fn undocs_link(s: &str) -> bool {
    // The grammar's common prefix, by byte: lines starting « h » are mostly words.
    if !s.starts_with("http") {
        return false;
    }
    let r: IResult<&str, &str> = recognize(tuple((
        alt((tag("https://"), tag("http://"))),
        opt(tag("www.")),
        tag("undocs.org/"),
    )))(s);
    r.is_ok() && !s.trim_end().contains(char::is_whitespace)
}

/// A bare URL alone on a line, without closing punctuation: the text of a PDF link annotation.
pub fn bare_url(s: &str) -> bool {
    (s.starts_with("http://") || s.starts_with("https://"))
        && !s.contains(char::is_whitespace)
        && !s.ends_with(['.', ',', ';', ')'])
}

/// `__________________`: the footnote separator.
pub fn footnote_separator(s: &str) -> bool {
    let r: IResult<&str, &str> = take_while(|c| c == '_')(s);
    matches!(r, Ok((rest, u)) if u.len() >= 5 && rest.trim().is_empty())
}

/// The marker at the start of a footnote body: ` 1 The Globalization…`, `* E/CN.15/2018/1.`,
/// or OCR's `!` for a superscript 1. Returns the marker's length.
pub fn footnote_marker(s: &str) -> Option<usize> {
    let r: IResult<&str, &str> = terminated(
        alt((
            take_while_m_n(1, 3, |c: char| c.is_ascii_digit()),
            tag("*"),
            tag("!"),
        )),
        space1,
    )(s);
    r.ok().map(|(_, m)| m.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs() {
        assert_eq!(paragraph_number("12. Text"), Some((2, '.')));
        assert_eq!(paragraph_number("44, L’ONUDC"), Some((2, ',')));
        assert_eq!(paragraph_number("2, 3 et 4"), None);
        assert_eq!(paragraph_number("2011 Il"), None);
        assert_eq!(paragraph_number("12.5 %"), None);
    }

    #[test]
    fn items() {
        assert_eq!(item_label("a) Texte"), Some((0, 1, 3)));
        assert_eq!(item_label("xiv) Texte"), Some((0, 3, 5)));
        assert_eq!(item_label("(b) Text"), Some((1, 2, 4)));
        assert_eq!(item_label("aa) Lors"), Some((0, 2, 4)));
        assert_eq!(item_label("ab) x"), None);
        assert!(item_label("¢) La conduite").is_some());
    }

    /// [`roman_heading`] as the grammar it reads by byte.
    fn roman_heading_grammar(s: &str) -> Option<(usize, char)> {
        if !matches!(s.as_bytes().first(), Some(b'I' | b'V' | b'X' | b'L')) {
            return None;
        }
        let r: IResult<&str, (&str, char)> = pair(
            take_while_m_n(1, 7, romanish),
            terminated(alt((char('.'), char(','))), alt((recognize(space1), eof))),
        )(s);
        let (_, (num, punct)) = r.ok()?;
        if !num.starts_with(['I', 'V', 'X', 'L']) {
            return None;
        }
        Some((num.len(), punct))
    }

    /// The byte reading of [`roman_heading`] answers as the grammar: on every line of the
    /// seeds (trimmed, and each of its suffixes that starts a word) and on numerals of every
    /// length with every ending.
    #[test]
    fn roman_heading_by_byte_is_the_grammar() {
        let mut lines: Vec<String> = Vec::new();
        for text in crate::test_support::seed_texts() {
            for line in text.lines() {
                let t = line.trim();
                lines.push(t.to_string());
                for (k, _) in t.match_indices(' ') {
                    lines.push(t[k + 1..].to_string());
                }
            }
        }
        for num in [
            "I", "IV", "ITII", "L", "Ll1|", "VVVVVV", "VVVVVVV", "XXXXXXXX", "Xé",
        ] {
            for end in [
                "", ".", ",", ". ", ",\t", ".x", ". Titre", ";", ".\u{a0}", "é",
            ] {
                lines.push(format!("{num}{end}"));
            }
        }
        for line in &lines {
            assert_eq!(roman_heading(line), roman_heading_grammar(line), "{line:?}");
        }
    }

    #[test]
    fn headings() {
        assert_eq!(roman_heading("IV. Organisation"), Some((2, '.')));
        assert_eq!(roman_heading("IV."), Some((2, '.')));
        assert_eq!(roman_heading("ITII. Organisation"), Some((4, '.')));
        assert_eq!(roman_heading("Le texte"), None);
        assert_eq!(letter_heading("A. Ouverture"), Some('A'));
        assert_eq!(letter_heading("AB. x"), None);
    }

    #[test]
    fn furniture() {
        assert!(job_number("V.17-02181"));
        assert!(job_number("V.20-01891 7/11"));
        assert!(!job_number("V.17-02181 est un numéro"));
        assert!(job_number("GE.19-12345(E)"));
        assert!(job_number("19-12345 (F)    *1912345*"));
        assert!(job_number("2/19 19-12345"));
        assert!(job_number("19-12345 (E)    010819"));
        assert!(!job_number("2018-2021"));
        assert!(!job_number("les 19-20 mars"));
        assert!(is_page_counter("8/11"));
        assert_eq!(document_symbol("UNODC/CCPCJ/EG.4/2017/L.1"), Some(25));
        assert_eq!(document_symbol("E/CN.15/2020/12"), Some(15));
        assert_eq!(document_symbol("A/B"), None);
        assert!(undocs_link("http://undocs.org/fr/A/RES/74/174"));
        assert!(footnote_separator("__________________ "));
        assert_eq!(footnote_marker("1 The Globalization"), Some(1));
        assert_eq!(footnote_marker("* E/CN.15/2018/1."), Some(1));
    }

    /// `may_close_label` is false only when none of bytes 1 to 11 is `)`: checked with a `)`
    /// at every offset of lines of every length up to 24, and on every line of the seeds.
    #[test]
    fn may_close_label_misses_no_paren() {
        let plain = |b: &[u8]| b.len() < 12 || b[1..12].contains(&b')');
        for len in 0..24 {
            let mut line = vec![b'a'; len];
            assert_eq!(may_close_label(&line), plain(&line), "{len}");
            for k in 0..len {
                line[k] = b')';
                assert_eq!(may_close_label(&line), plain(&line), "{len} {k}");
                line[k] = 0xC2;
                assert_eq!(may_close_label(&line), plain(&line), "{len} {k}");
                line[k] = b'a';
            }
        }
        for text in crate::test_support::seed_texts() {
            for line in text.lines() {
                let b = line.trim().as_bytes();
                assert_eq!(may_close_label(b), plain(b), "{line:?}");
            }
        }
    }

    /// A recogniser whose bit [`Start::of`] leaves unset rejects the line: checked on every
    /// line of the seeds and on lines starting with non-ASCII letters and other characters.
    /// A line recogniser, as a yes or no.
    type Recogniser = fn(&str) -> bool;

    #[test]
    fn start_bits_cover_every_recogniser() {
        let mut lines = crate::test_support::seed_lines();
        for first in [
            "é", "à", "É", "À", "œ", "Œ", "ç", "ß", "µ", "ª", "’", "«", "¢", "\u{a0}", "•", "ǅ",
        ] {
            for tail in [
                "", ") Texte", ". Titre", "1/2", "/74/130", "-02181", " ", "nnexe II",
            ] {
                lines.push(format!("{first}{tail}"));
            }
        }
        let checks: [(Start, Recogniser); 15] = [
            (Start::SEPARATOR, footnote_separator),
            (Start::URL, undocs_link),
            (Start::URL, bare_url),
            (Start::BARCODE, is_barcode),
            (Start::CODE, job_number),
            (Start::CODE, |c| document_symbol(c).is_some()),
            (Start::DIGIT, is_page_counter),
            (Start::DIGIT, |c| paragraph_number(c).is_some()),
            (Start::DIGIT, |c| number_alone(c).is_some()),
            (Start::TOC, toc_title),
            (Start::ANNEX, annex_title),
            (Start::ROMAN, |c| roman_heading(c).is_some()),
            (Start::CAPITAL, |c| letter_heading(c).is_some()),
            (Start::CAPITAL, |c| {
                c.chars().next().is_some_and(char::is_uppercase)
            }),
            (Start::ITEM, |c| item_label(c).is_some()),
        ];
        for line in &lines {
            let start = Start::of(line);
            for (k, (bit, recognises)) in checks.iter().enumerate() {
                assert!(start.any(*bit) || !recognises(line), "{line:?}: check {k}");
            }
            // The recycling notice's test (in the parser).
            assert!(start.any(Start::RECYCLE) || !line.eq_ignore_ascii_case("merci de recycler"));
        }
    }
}
