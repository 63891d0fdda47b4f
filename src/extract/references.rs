//! Extraction of references: resolutions and decisions (with the body, date, year and title
//! the text gives them), United Nations document symbols, internal cross-references
//! (« voir par. 12 », "section IV below") and undocs.org furniture lines.
//!
//! One pass over [`Document::prose`] with an Aho-Corasick automaton on the trigger words
//! (« résolution », "decision", « par. », « section »…) and on `/` (document symbols); each hit
//! is parsed by a small hand-written grammar over the surrounding words. Body tables, the
//! session-to-year mapping and the known symbol series are data (`rules/references.toml`).

use crate::document::{Document, FurnitureKind, Span};
use crate::text::FoldOut;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::cell::Cell;
use std::sync::LazyLock;

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/// How a body numbers its resolutions and decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Numbering {
    /// `N/M`: session N, text M.
    #[default]
    Session,
    /// `YYYY/M`: the number carries its year.
    Year,
    /// `M (YYYY)`: number then year in parentheses.
    ParenYear,
}

/// One body (`[[references.bodies]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyConfig {
    pub id: String,
    /// Display name (used in messages).
    pub name: String,
    /// Full names, French and English.
    #[serde(default)]
    pub names: Vec<String>,
    /// Short forms that need context (« la Commission »).
    #[serde(default)]
    pub short: Vec<String>,
    #[serde(default)]
    pub numbering: Numbering,
    /// Year of session 1 (session numbering).
    #[serde(default)]
    pub first_year: Option<i32>,
    #[serde(default)]
    pub sessions_per_year: Option<u32>,
    /// How many years after its opening year a session may still adopt texts.
    #[serde(default)]
    pub year_tolerance: Option<u32>,
    /// The session-to-year table holds from this session on.
    #[serde(default)]
    pub min_session: Option<u32>,
    /// The years of sessions 1, 2, 3… for a body that meets on no fixed rhythm (the
    /// conferences of States parties met yearly, then every two years); a later session
    /// follows the last one at the step of the last two. Takes the place of `first_year`.
    #[serde(default)]
    pub years: Vec<i32>,
    /// Symbol series of the body's resolutions (`A/RES`), for undocs links.
    #[serde(default)]
    pub symbol: Option<String>,
}

impl BodyConfig {
    /// The years in which session `n` may adopt texts, when the table covers it.
    pub fn session_years(&self, n: u32) -> Option<std::ops::RangeInclusive<i32>> {
        if self.numbering != Numbering::Session || n == 0 {
            return None;
        }
        if n < self.min_session.unwrap_or(1) {
            return None;
        }
        let y = match self.years.as_slice() {
            [] => {
                let per = self.sessions_per_year.unwrap_or(1).max(1);
                self.first_year? + ((n - 1) / per) as i32
            }
            listed => match listed.get(n as usize - 1) {
                Some(&y) => y,
                None => {
                    let last = *listed.last()?;
                    let step = match listed {
                        [.., before, last] => (last - before).max(1),
                        _ => 1,
                    };
                    last + step * (n as i32 - listed.len() as i32)
                }
            },
        };
        Some(y..=y + self.year_tolerance.unwrap_or(0) as i32)
    }
}

/// A known reference (`[[references.known]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownRef {
    /// `65/230`, `2016/241`, `2341 (2017)`.
    #[serde(default)]
    pub number: Option<String>,
    /// `resolution` (default) or `decision`.
    #[serde(default)]
    pub kind: Option<String>,
    /// A document symbol (`A/RES/65/230`, `UNODC/CCPCJ/EG.4/2017/3`).
    #[serde(default)]
    pub symbol: Option<String>,
    /// A body id from `[[references.bodies]]`.
    #[serde(default)]
    pub body: Option<String>,
    /// Adoption date, `2010-12-21` (TOML date or string).
    #[serde(default)]
    pub date: Option<toml::Value>,
    #[serde(default)]
    pub title: Option<String>,
}

impl KnownRef {
    /// The entry's date as (year, month, day).
    pub fn ymd(&self) -> Option<(i32, u32, u32)> {
        let s = match self.date.as_ref()? {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            _ => return None,
        };
        let mut it = s.split('-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.get(..2)?.parse().ok()?;
        Some((y, m, d))
    }
    pub fn ref_kind(&self) -> RefKind {
        match self.kind.as_deref() {
            Some("decision") => RefKind::Decision,
            _ => RefKind::Resolution,
        }
    }
}

/// The `[references]` section of the configuration.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferencesConfig {
    #[serde(default)]
    pub bodies: Vec<BodyConfig>,
    /// Body id assumed when the text names none.
    #[serde(default)]
    pub default_body: Option<String>,
    /// Known symbol series (`A/C.3`, `E/CN.#`, `ST/*`).
    #[serde(default)]
    pub series: Vec<String>,
    #[serde(default)]
    pub known: Vec<KnownRef>,
    /// The body names as the scanner matches them, built on first use and shared by the run's
    /// documents (building them per document cost about as much as scanning a short one);
    /// reset by [`ReferencesConfig::merge`] and empty in a clone.
    #[serde(skip)]
    body_names: BodyNamesCache,
}

/// [`BodyNames`] built once from the configuration. A clone starts empty (it is rebuilt from
/// the clone's own bodies), so a cached value never outlives the bodies it was built from.
#[derive(Debug, Default)]
struct BodyNamesCache(std::sync::OnceLock<BodyNames>);

impl Clone for BodyNamesCache {
    fn clone(&self) -> Self {
        BodyNamesCache::default()
    }
}

impl ReferencesConfig {
    /// Merges a later configuration layer into this one (lists extend, scalars override).
    pub fn merge(&mut self, later: ReferencesConfig) {
        for b in later.bodies {
            match self.bodies.iter_mut().find(|x| x.id == b.id) {
                Some(x) => *x = b,
                None => self.bodies.push(b),
            }
        }
        if later.default_body.is_some() {
            self.default_body = later.default_body;
        }
        self.series.extend(later.series);
        self.known.extend(later.known);
        self.body_names = BodyNamesCache::default();
    }

    /// The body names of `bodies`, built on first use.
    fn body_names(&self) -> &BodyNames {
        self.body_names.0.get_or_init(|| BodyNames::new(self))
    }

    pub fn body(&self, id: &str) -> Option<&BodyConfig> {
        self.bodies.iter().find(|b| b.id == id)
    }

    /// Display name of a body id.
    pub fn body_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.body(id).map_or(id, |b| b.name.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// Extracted values
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    Resolution,
    Decision,
}

impl RefKind {
    pub fn word(self) -> &'static str {
        match self {
            RefKind::Resolution => "resolution",
            RefKind::Decision => "decision",
        }
    }
}

/// The shape of a resolution or decision number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RefNumber {
    /// `65/230`: first part below 1000.
    Session { session: u32, n: u32 },
    /// `2016/241`: first part a year.
    Year { year: i32, n: u32 },
    /// `2341 (2017)`.
    ParenYear { n: u32, year: i32 },
}

impl RefNumber {
    /// Canonical text: `65/230`, `2016/241`, `2341 (2017)`.
    pub fn text(&self) -> String {
        match self {
            RefNumber::Session { session, n } => format!("{session}/{n}"),
            RefNumber::Year { year, n } => format!("{year}/{n}"),
            RefNumber::ParenYear { n, year } => format!("{n} ({year})"),
        }
    }
    pub fn numbering(&self) -> Numbering {
        match self {
            RefNumber::Session { .. } => Numbering::Session,
            RefNumber::Year { .. } => Numbering::Year,
            RefNumber::ParenYear { .. } => Numbering::ParenYear,
        }
    }
    /// The number `a/b`: `2016/241` when `a` is a year, else `65/230`.
    pub fn from_parts(a: u32, b: u32) -> RefNumber {
        if (1946..=2100).contains(&a) {
            RefNumber::Year {
                year: a as i32,
                n: b,
            }
        } else {
            RefNumber::Session { session: a, n: b }
        }
    }
    /// Parses `65/230`, `2016/241`, `2341 (2017)`, `2341(2017)`.
    pub fn parse(s: &str) -> Option<RefNumber> {
        let s = s.trim();
        if let Some((a, b)) = s.split_once('/') {
            let a: u32 = a.trim().parse().ok()?;
            let b: u32 = b.trim().parse().ok()?;
            return Some(RefNumber::from_parts(a, b));
        }
        let (a, b) = s.split_once('(')?;
        let n = a.trim().parse().ok()?;
        let year = b.trim().strip_suffix(')')?.trim().parse().ok()?;
        Some(RefNumber::ParenYear { n, year })
    }
}

/// How the body of a reference was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodySource {
    /// Named right after the number (« de l'Assemblée générale ») or before it
    /// ("General Assembly resolution").
    Named,
    /// The subject of « Dans sa résolution …, l'Assemblée générale ».
    Subject,
    /// A body named earlier in the sentence: « La Commission, dans sa résolution 22/8, a … ».
    SubjectBefore,
    /// `default_body` from the configuration.
    Default,
}

/// The body a reference is attributed to.
#[derive(Debug, Clone)]
pub struct BodyRef {
    /// Body id (`ga`, `ccpcj`); for a short form (« la Commission ») that the document does not
    /// resolve, the first candidate.
    pub id: String,
    /// Every body the words could mean (one for a full name).
    pub candidates: Vec<String>,
    pub source: BodySource,
    /// A short form (« la Commission ») resolved to the body the document names in full
    /// nearest to it: a guess, with the other possible bodies in `alternatives`.
    pub inferred: bool,
    pub alternatives: Vec<String>,
    /// Where the body is named, if it is.
    pub span: Option<Span>,
}

impl BodyRef {
    /// Whether the body is known for sure (a full name, or a short form resolved by context).
    pub fn is_definite(&self) -> bool {
        self.candidates.len() == 1
    }
}

/// Where a stated year comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearSource {
    /// « du 21 décembre 2010 ».
    Date,
    /// « adoptée en 2009 », « adoptée à sa vingt-sixième session en mai 2017 ».
    Adopted,
    /// « En 2001, dans sa résolution 20/7 ».
    Before,
    /// « résolution 9/1 de 2018 », "resolution 70/1 of 2015".
    Of,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedYear {
    pub year: i32,
    pub span: Span,
    pub source: YearSource,
}

/// A date « 21 décembre 2010 » / "21 December 2010".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub span: Span,
}

/// A resolution or decision cited in the text.
#[derive(Debug, Clone)]
pub struct ResolutionRef {
    pub kind: RefKind,
    pub number: RefNumber,
    /// The number as written.
    pub span: Span,
    /// The trigger word (« résolution »).
    pub trigger: Span,
    pub body: Option<BodyRef>,
    pub year: Option<StatedYear>,
    pub date: Option<RefDate>,
    /// A quoted title after « intitulée » / "entitled": normalised text and span.
    pub title: Option<(String, Span)>,
    /// The text names a body that is not in the tables (« de la Conférence des Parties »):
    /// the reference is not checked against the known bodies.
    pub other_body: bool,
}

/// A United Nations document symbol.
#[derive(Debug, Clone)]
pub struct DocumentSymbol {
    /// From its first to its last character (over a line break when it was broken).
    pub span: Span,
    /// The symbol with line breaks removed.
    pub text: String,
    /// The length of the series at the start of `text` ([`DocumentSymbol::series`]).
    series_len: usize,
    /// Span of the series in the text, unless a line break falls inside it.
    pub series_span: Option<Span>,
    /// Whether the symbol was broken over a line end.
    pub broken: bool,
}

impl DocumentSymbol {
    /// The series: the components before the session, year or number (`UNODC/CCPCJ/EG.4`).
    pub fn series(&self) -> &str {
        &self.text[..self.series_len]
    }
    /// The components after the series, as written between their `/`s (`2017/INF/1`).
    pub fn parts(&self) -> &str {
        &self.text[self.series_len + 1..]
    }
}

/// What an internal cross-reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossTarget {
    Paragraph,
    Section,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Above,
    Below,
}

/// « voir par. 12 », « la section III ci-dessous », "paragraph 15 above".
#[derive(Debug, Clone)]
pub struct CrossRef {
    pub target: CrossTarget,
    pub number: u32,
    /// The number as written.
    pub span: Span,
    /// From the trigger word to the end of the direction word (or the number).
    pub full_span: Span,
    pub direction: Option<(Direction, Span)>,
    /// Inside a footnote.
    pub in_footnote: bool,
}

/// An undocs.org furniture line and the symbol it links to.
#[derive(Debug, Clone)]
pub struct UndocsRef {
    pub span: Span,
    pub symbol: String,
}

/// Everything this extractor found in one document.
#[derive(Debug, Default)]
pub struct References {
    /// In text order (by start), like `symbols`: rules find a stretch's citations by binary search.
    pub resolutions: Vec<ResolutionRef>,
    pub symbols: Vec<DocumentSymbol>,
    pub cross_refs: Vec<CrossRef>,
    pub undocs: Vec<UndocsRef>,
    /// The latest year the document mentions (header date or any cited year).
    pub latest_year: Option<i32>,
}

impl Document {
    /// References in this document, extracted on first use and cached.
    pub fn references(&self, config: &crate::config::Config) -> &References {
        self.cache
            .references
            .get_or_init(|| extract(self, &config.references))
    }
}

// ---------------------------------------------------------------------------------------------
// Word tokens
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum TokKind {
    Word,
    Num,
    Punct(char),
}

/// A token borrowing its text. The grammar compares words by their folded form (lower-case,
/// accents folded): for a word of ASCII letters that is its ASCII lower case, compared in
/// place; a word with a non-ASCII letter is folded on the stack each time it is compared (most
/// tokens of a window never are), as far as it agrees with the word it is compared with.
/// Nothing is cached, so a token is plain data: clearing a window drops nothing.
#[derive(Debug, Clone)]
struct Tok<'a> {
    /// The token as written (`text[span]`).
    raw: &'a str,
    span: Span,
    kind: TokKind,
    /// Whether `raw` is ASCII (told by the tokenizer, not scanned at each comparison).
    ascii: bool,
}

/// Room for the folded form of a word of up to [`FOLD_SHORT`] bytes: a character's lower case
/// is at most 1.5 times its length (`İ`, two bytes, lower-cases to three), and the accent
/// folds only shorten.
const FOLD_ROOM: usize = 64;
/// The longest word folded on the stack; a longer one gets a `String`.
const FOLD_SHORT: usize = 32;

impl<'a> Tok<'a> {
    /// The token of kind `kind` at `span` of `text`.
    #[inline]
    fn at(text: &'a str, span: Span, kind: TokKind) -> Self {
        let raw = &text[span.clone()];
        Tok {
            raw,
            span,
            kind,
            ascii: raw.is_ascii(),
        }
    }
    /// [`Tok::at`] for a token the tokenizer made of ASCII bytes only.
    #[inline]
    fn at_ascii(text: &'a str, span: Span, kind: TokKind) -> Self {
        Tok {
            raw: &text[span.clone()],
            span,
            kind,
            ascii: true,
        }
    }
    /// Whether this word's folded form is `w`.
    #[inline]
    fn folds_to(&self, w: &str) -> bool {
        if self.ascii {
            ascii_folds_to(self.raw, w)
        } else {
            folds_to_non_ascii(self.raw, w)
        }
    }
    /// A word's folded form (what `folds_to` compares with).
    fn folded(&self) -> std::borrow::Cow<'_, str> {
        if !self.raw.is_ascii() {
            fold(self.raw).into()
        } else if self.raw.bytes().any(|b| b.is_ascii_uppercase()) {
            self.raw.to_ascii_lowercase().into()
        } else {
            self.raw.into()
        }
    }
    /// Calls `f` with a word's folded form, folded on the stack for a short word.
    fn with_folded<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        let mut buf = [0u8; FOLD_ROOM];
        if self.raw.len() <= FOLD_SHORT {
            if self.ascii {
                let lower = &mut buf[..self.raw.len()];
                lower.copy_from_slice(self.raw.as_bytes());
                lower.make_ascii_lowercase();
                return f(std::str::from_utf8(lower).expect("ASCII"));
            }
            let mut out = StackStr {
                buf: &mut buf,
                len: 0,
            };
            fold_into(self.raw, &mut out);
            let len = out.len;
            return f(std::str::from_utf8(&buf[..len]).expect("whole characters"));
        }
        f(&self.folded())
    }
    /// The length of a word's folded form.
    fn folded_len(&self) -> usize {
        if self.ascii {
            self.raw.len()
        } else {
            self.with_folded(str::len)
        }
    }
    fn is(&self, w: &str) -> bool {
        self.kind == TokKind::Word && self.folds_to(w)
    }
    /// Whether this is a word folding to one of `ws`: `folds_to` for each, with the ASCII
    /// test of the token made once.
    fn any(&self, ws: &[&str]) -> bool {
        if self.kind != TokKind::Word {
            return false;
        }
        if self.ascii {
            ws.iter().any(|w| ascii_folds_to(self.raw, w))
        } else {
            ws.iter().any(|w| folds_to_non_ascii(self.raw, w))
        }
    }
    fn punct(&self, c: char) -> bool {
        self.kind == TokKind::Punct(c)
    }
    /// A number token written `1` (OCR reads « l » as `1` in `1’Assemblée`).
    fn is_one(&self) -> bool {
        self.kind == TokKind::Num && self.raw == "1"
    }
    fn year(&self) -> Option<i32> {
        if self.kind == TokKind::Num && self.raw.len() == 4 {
            let y: i32 = self.raw.parse().ok()?;
            (1945..=2100).contains(&y).then_some(y)
        } else {
            None
        }
    }
}

/// Whether the ASCII word `raw` folds to `w`: ASCII letters fold to their ASCII lower case.
#[inline]
fn ascii_folds_to(raw: &str, w: &str) -> bool {
    raw.len() == w.len()
        && raw
            .bytes()
            .zip(w.bytes())
            .all(|(a, b)| a.to_ascii_lowercase() == b)
}

/// Whether `fold(raw)` is `w`, folding `raw` only as far as it agrees with `w`: most words are
/// told apart at their first character.
fn folds_to_non_ascii(raw: &str, w: &str) -> bool {
    let (r, w) = (raw.as_bytes(), w.as_bytes());
    let (mut i, mut k) = (0, 0);
    while i < r.len() {
        let b = r[i];
        if b < 0x80 {
            if w.get(k) != Some(&b.to_ascii_lowercase()) {
                return false;
            }
            i += 1;
            k += 1;
            continue;
        }
        let c = raw[i..].chars().next().expect("a character");
        // One character folds to at most three (`to_lowercase`) of at most four bytes each.
        let mut buf = [0u8; 12];
        let mut out = StackStr {
            buf: &mut buf,
            len: 0,
        };
        fold_char(c, &mut out);
        let n = out.len;
        if w.get(k..k + n) != Some(&buf[..n]) {
            return false;
        }
        i += c.len_utf8();
        k += n;
    }
    k == w.len()
}

/// Text written into a borrowed buffer on the stack, which the caller makes long enough for
/// what it folds (indexing would panic, not truncate).
struct StackStr<'b, const N: usize> {
    buf: &'b mut [u8; N],
    len: usize,
}

impl<const N: usize> FoldOut for StackStr<'_, N> {
    #[inline]
    fn clear(&mut self) {
        self.len = 0;
    }
    #[inline]
    fn push(&mut self, c: char) {
        let n = c.encode_utf8(&mut self.buf[self.len..]).len();
        self.len += n;
    }
    #[inline]
    fn push_str(&mut self, s: &str) {
        self.buf[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
        self.len += s.len();
    }
}

/// Folds a character to lower-case ASCII where it is a Latin letter with an accent.
fn fold_char(c: char, out: &mut impl FoldOut) {
    let f = match c {
        'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' | 'Á' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'í' | 'Î' | 'Ï' | 'Í' => 'i',
        'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' | 'Ó' => 'o',
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => 'u',
        'ç' | 'Ç' => 'c',
        'ñ' | 'Ñ' => 'n',
        'œ' | 'Œ' => {
            out.push_str("oe");
            return;
        }
        c => {
            for l in c.to_lowercase() {
                out.push(l);
            }
            return;
        }
    };
    out.push(f);
}

/// Folds a string: lower-case, accents removed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Appends the folded `s` to `out`.
fn fold_into(s: &str, out: &mut impl FoldOut) {
    for c in s.chars() {
        // What `fold_char` does for ASCII (`to_lowercase` is `to_ascii_lowercase` there),
        // without its table look-up.
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            fold_char(c, out);
        }
    }
}

/// `char::is_alphabetic`, answering the Latin-1 letters (`À`..`ÿ` but `×` and `÷`, all
/// alphabetic) without the Unicode table search.
fn is_alphabetic(c: char) -> bool {
    match c {
        'À'..='ÿ' => c != '×' && c != '÷',
        c => c.is_alphabetic(),
    }
}

/// Tokens of `text[from..to]` (spans are absolute).
fn tokenize(text: &str, from: usize, to: usize) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    tokenize_into(text, from, to, &mut out);
    out
}

/// The token vectors of the windows around a trigger, reused from one trigger to the next
/// instead of allocated for each window.
#[derive(Default)]
struct WindowTokens<'a> {
    /// After the trigger.
    ahead: Vec<Tok<'a>>,
    /// Before the trigger.
    behind: Vec<Tok<'a>>,
    /// The numbers a resolution trigger cites (« 22/7 et 22/8 »).
    numbers: Vec<(RefNumber, Span)>,
    /// The numbers a paragraph or section trigger cites (« paragraphes 4 et 5 »).
    cross_numbers: Vec<(u32, Span)>,
}

/// [`tokenize`] into `out`, which is cleared first.
fn tokenize_into<'a>(text: &'a str, from: usize, to: usize, out: &mut Vec<Tok<'a>>) {
    out.clear();
    tokenize_until(text, from, to, usize::MAX, out);
}

/// Appends the tokens of `text[from..to]` to `out` until it holds `max`; returns `None` when
/// it made them all, else the offset of the next one. The tokenizer carries nothing from one
/// token to the next but its offset, so going on from that offset makes the rest of the
/// tokens [`tokenize_into`] makes of the whole window.
fn tokenize_until<'a>(
    text: &'a str,
    from: usize,
    to: usize,
    max: usize,
    out: &mut Vec<Tok<'a>>,
) -> Option<usize> {
    // Prose has about one token per five bytes, punctuation-heavy text more: room for one per
    // two bytes means no regrowth while tokenising.
    out.reserve(((to - from) / 2 + 1).min(max.saturating_sub(out.len())));
    let bytes = text.as_bytes();
    let mut i = from;
    while i < to {
        if out.len() >= max {
            return Some(i);
        }
        // ASCII fast path: the same tokens the general loop below makes for these bytes (it
        // treats \t..\r and space as white space, 0-9 as digits, a-z/A-Z as the only ASCII
        // letters), without decoding a char.
        let b = bytes[i];
        match b {
            b'\t'..=b'\r' | b' ' => {
                i += 1;
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                let s = i;
                let run = ascii_letters_end(bytes, i + 1, to);
                // A word that runs on into a non-ASCII byte goes on as the general loop would
                // take it from its first letter (an ASCII letter, so a word).
                let e = if run == to || bytes[run] < 0x80 {
                    run
                } else {
                    word_end(text, run, to)
                };
                out.push(Tok {
                    raw: &text[s..e],
                    span: s..e,
                    kind: TokKind::Word,
                    // Past the ASCII run, a word goes on only with a non-ASCII letter.
                    ascii: e == run,
                });
                // The space that usually follows is skipped here, as the loop would skip it.
                i = if e < to && bytes[e] == b' ' { e + 1 } else { e };
                continue;
            }
            b'0'..=b'9' => {
                let s = i;
                while i < to && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                out.push(Tok::at_ascii(text, s..i, TokKind::Num));
                continue;
            }
            0x21..=0x7f => {
                let p = match b {
                    b'\'' | b'`' => '\'',
                    b => b as char,
                };
                out.push(Tok::at_ascii(text, i..i + 1, TokKind::Punct(p)));
                i += 1;
                continue;
            }
            // `À`..`ÿ` (lead byte C3) but `×` (C3 97) and `÷` (C3 B7) are letters, none of
            // them a quote or a space: a word, as the general loop below makes it.
            0xC3 if !matches!(bytes[i + 1], 0x97 | 0xB7) => {
                let e = word_end(text, i + 2, to);
                out.push(Tok::at(text, i..e, TokKind::Word));
                i = e;
                continue;
            }
            _ => {}
        }
        let c = text[i..].chars().next().unwrap();
        let len = c.len_utf8();
        // Quotes, apostrophes and dashes are neither white space nor letters: mapped here first,
        // they skip the two Unicode table look-ups below.
        let p = match c {
            '’' | '\'' | '‘' | '`' => Some('\''),
            '«' | '»' | '"' | '“' | '”' | '„' => Some('"'),
            '–' | '—' => Some('-'),
            _ => None,
        };
        if let Some(p) = p {
            out.push(Tok::at(text, i..i + len, TokKind::Punct(p)));
            i += len;
            continue;
        }
        // No character is both white space and alphabetic, so the order of the two tests does
        // not matter: the no-break spaces of French typography and the Latin-1 letters are
        // answered first, without the Unicode tables.
        let (space, letter) = match c {
            '\u{a0}' | '\u{202f}' => (true, false),
            'À'..='ÿ' => (false, c != '×' && c != '÷'),
            _ => (c.is_whitespace(), false),
        };
        if space {
            i += len;
            continue;
        }
        if letter || is_alphabetic(c) {
            let e = word_end(text, i + len, to);
            out.push(Tok::at(text, i..e, TokKind::Word));
            i = e;
            continue;
        }
        out.push(Tok::at(text, i..i + len, TokKind::Punct(c)));
        i += len;
    }
    None
}

/// The end of the word whose letters go on at `i` (or have just ended): the first index from
/// `i` that is `to` or not the start of an alphabetic character. ASCII runs are skipped 8
/// bytes at a time.
fn word_end(text: &str, mut i: usize, to: usize) -> usize {
    let bytes = text.as_bytes();
    while i < to {
        let b = bytes[i];
        if b < 0x80 {
            if !b.is_ascii_alphabetic() {
                break;
            }
            i = ascii_letters_end(bytes, i + 1, to);
            continue;
        }
        // A two-byte character from U+00C0 (lead byte C3) is a Latin-1 letter but for `×`
        // (C3 97) and `÷` (C3 B7): answered from its second byte, without decoding it.
        if b == 0xC3 {
            if matches!(bytes[i + 1], 0x97 | 0xB7) {
                break;
            }
            i += 2;
            continue;
        }
        // U+2000..U+203F (E2 80 xx: spaces, dashes, quotes, the apostrophe `’` that ends
        // « l’ », « d’ ») holds no letter: answered without the Unicode table search.
        if b == 0xE2 && bytes[i + 1] == 0x80 {
            break;
        }
        let c = text[i..].chars().next().unwrap();
        if !is_alphabetic(c) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// The end of the run of ASCII letters at `bytes[from..to]`: the first index from `from` that
/// is `to` or not an ASCII letter. Reads 8 bytes at a time while 8 are left, then byte by byte;
/// both stop at the same first non-letter.
fn ascii_letters_end(bytes: &[u8], from: usize, to: usize) -> usize {
    let mut e = from;
    while let Some(chunk) = bytes.get(e..e + 8).filter(|_| e + 8 <= to) {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let others = !crate::text::ascii_letter_bits(word) & crate::text::HIGH;
        if others != 0 {
            // Little-endian: the lowest set bit is the first non-letter.
            return e + others.trailing_zeros() as usize / 8;
        }
        e += 8;
    }
    while e < to && bytes[e].is_ascii_alphabetic() {
        e += 1;
    }
    e
}

/// How far back from a trigger [`tokenize_behind`] first tokenises.
const BEHIND_SHORT: usize = 80;

/// Enough tokens for « En 2001, dans sa résolution », read back from the trigger: `sa`,
/// `dans`, `,`, the year, a month and `en`, down to index `back.len() - 6`, after testing
/// `back.len() - 5 > 0`.
const BEHIND_YEAR_TOKENS: usize = 8;

/// The last tokens of `text[from..to]`, at least `need` of them, into `out`; returns whether
/// they are all the window's tokens.
///
/// Tokenising from just after a white-space byte of the window gives the window's tokens that
/// start there, and so the last ones: no token holds white space, so the tokenizer steps on
/// every white-space byte, whatever it started from. The last `BEHIND_SHORT` bytes are
/// tokenised first, the whole window when they hold fewer than `need` tokens.
fn tokenize_behind<'a>(
    text: &'a str,
    from: usize,
    to: usize,
    need: usize,
    out: &mut Vec<Tok<'a>>,
) -> bool {
    if let Some(after_space) = tail_start(text, from, to, BEHIND_SHORT) {
        tokenize_into(text, after_space, to, out);
        if out.len() >= need {
            return false;
        }
    }
    tokenize_into(text, from, to, out);
    true
}

/// How far back from a resolution trigger [`tokenize_behind_reading`] first tokenises: the two
/// or three words before it (« dans sa », « de la »), which are all most readings look at.
const BEHIND_TINY: usize = 24;

/// A pronoun just before the trigger, skipped when a body name is looked for before it
/// ("General Assembly, in its resolution").
const PRONOUN_BEFORE: &[&str] = &["its", "his", "her", "their"];
/// A determiner just before the trigger, then a preposition before it: « En 2001, dans sa
/// résolution » (a year stated before the reference).
const DETERMINER_BEFORE: &[&str] = &["sa", "ses", "its", "la", "the", "cette", "this"];
const PREPOSITION_BEFORE: &[&str] = &["dans", "in", "par", "by", "aux", "selon", "under"];

/// The tokens before a resolution trigger (`text[from..to]`) that [`read_resolution`] reads,
/// into `out`; returns whether they are the whole window.
///
/// Most readings look at two or three tokens: the pronoun and possessive tests read the last
/// one, the name before the trigger is looked for only when the token before it can end a
/// name, and the year before the trigger only when a determiner or preposition comes first.
/// The last [`BEHIND_TINY`] bytes are tokenised first, and kept when [`behind_need`] says
/// they hold every token those readings ask for; otherwise [`tokenize_behind`] makes as many
/// as the readings can ask for (`names.longest + 1`, [`BEHIND_YEAR_TOKENS`]) or the whole
/// window. The walk back to a subject earlier in the sentence tokenises the whole window
/// itself.
fn tokenize_behind_reading<'a>(
    text: &'a str,
    from: usize,
    to: usize,
    names: &BodyNames,
    out: &mut Vec<Tok<'a>>,
) -> bool {
    #[cfg(test)]
    let tiny = !tests::WHOLE_BEHIND.get();
    #[cfg(not(test))]
    let tiny = true;
    if tiny {
        if let Some(after_space) = tail_start(text, from, to, BEHIND_TINY) {
            tokenize_into(text, after_space, to, out);
            if out.len() >= behind_need(out, names) {
                return false;
            }
        }
    }
    let need = (names.longest + 1).max(BEHIND_YEAR_TOKENS);
    tokenize_behind(text, from, to, need, out)
}

/// How many of the last tokens before a trigger [`read_resolution`] reads, told from `back`,
/// the last tokens of the window (its `back.len()` last ones, maybe not all): `usize::MAX`
/// when `back` is too short to tell. Mirrors the readings of `back` there:
/// - the pronoun test reads the last token, and `BodyNames::before` the one before the
///   trigger or the pronoun, then up to `names.longest` tokens when that one may end a name;
/// - the year before the trigger reads the last token, the one before it when the last is a
///   determiner, and the one before the preposition when there is one; from a comma on, up
///   to [`BEHIND_YEAR_TOKENS`].
fn behind_need(back: &[Tok], names: &BodyNames) -> usize {
    let n = back.len();
    // `back[k - 1]`, the token before index `k`, when `back` has it.
    let before = |k: usize| k.checked_sub(1).map(|i| &back[i]);
    let mut bi = n;
    if back.last().is_some_and(|t| t.any(PRONOUN_BEFORE)) {
        bi -= 1;
    }
    let Some(last) = before(bi) else {
        return usize::MAX;
    };
    let names_need = if names.may_end_name(last) {
        names.longest + 1
    } else {
        n - bi + 1
    };
    let mut k = n;
    match before(k) {
        None => return usize::MAX,
        Some(t) if t.any(DETERMINER_BEFORE) => k -= 1,
        Some(_) => {}
    }
    match before(k) {
        None => return usize::MAX,
        Some(t) if t.any(PREPOSITION_BEFORE) => {
            k -= 1;
            match before(k) {
                None => return usize::MAX,
                Some(t) if t.punct(',') => return names_need.max(BEHIND_YEAR_TOKENS),
                Some(_) => {}
            }
        }
        Some(_) => {}
    }
    // Read down to `back[k - 1]`.
    names_need.max(n - k + 1)
}

/// Where to start tokenising to get the last tokens of `text[from..to]`: just after the
/// first white-space byte of its last `short` bytes, if that is past `from` (see
/// [`tokenize_behind`]).
fn tail_start(text: &str, from: usize, to: usize, short: usize) -> Option<usize> {
    let short_from = to.saturating_sub(short).max(from);
    let k = text.as_bytes()[short_from..to]
        .iter()
        .position(|&b| matches!(b, b'\t'..=b'\r' | b' '))?;
    let after_space = short_from + k + 1;
    (after_space > from).then_some(after_space)
}

/// A window's tokens as the grammar reads them: maybe only its first tokens (`whole` false),
/// with the furthest index read noted. A reading that stayed within the tokens made saw what
/// it would have seen in the whole window (every token it asked for is there, and the same);
/// one that went past them is redone on the whole window.
#[derive(Clone, Copy)]
struct Toks<'t, 'a> {
    toks: &'t [Tok<'a>],
    /// Whether `toks` is the whole window.
    whole: bool,
    /// One past the furthest index read.
    reach: &'t Cell<usize>,
}

impl<'t, 'a> Toks<'t, 'a> {
    fn new(toks: &'t [Tok<'a>], whole: bool, reach: &'t Cell<usize>) -> Self {
        Toks { toks, whole, reach }
    }
    #[inline]
    fn note(self, n: usize) {
        if n > self.reach.get() {
            self.reach.set(n);
        }
    }
    #[inline]
    fn get(self, i: usize) -> Option<&'t Tok<'a>> {
        self.note(i.saturating_add(1));
        self.toks.get(i)
    }
    /// The token at `i`, which the caller knows is there.
    #[inline]
    fn at(self, i: usize) -> &'t Tok<'a> {
        self.get(i).expect("a token the grammar has seen")
    }
    /// The tokens at `from..to`, as far as there are: reads up to the first it does not find.
    fn range(self, from: usize, to: usize) -> impl Iterator<Item = (usize, &'t Tok<'a>)> {
        (from..to).map_while(move |k| self.get(k).map(|t| (k, t)))
    }
    /// Whether every token read was one of `toks`, so that the whole window gives the same.
    fn read_within(self) -> bool {
        self.whole || self.reach.get() <= self.toks.len()
    }
}

const MONTHS: &[(&str, u32)] = &[
    ("janvier", 1),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("decembre", 12),
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

fn month(t: &Tok) -> Option<u32> {
    if t.kind != TokKind::Word {
        return None;
    }
    MONTHS.iter().find(|(m, _)| t.folds_to(m)).map(|(_, n)| *n)
}

/// A date at `toks[i..]`: « 21 décembre 2010 », « 1er mai 2017 », "December 21, 2010".
/// Returns the date and the number of tokens it spans.
fn date_at(toks: Toks<'_, '_>, i: usize) -> Option<(RefDate, usize)> {
    let t0 = toks.get(i)?;
    if t0.kind == TokKind::Num && t0.raw.len() <= 2 {
        let day: u32 = t0.raw.parse().ok()?;
        let mut j = i + 1;
        if toks.get(j).is_some_and(|t| t.any(&["er", "re"])) {
            j += 1;
        }
        let m = month(toks.get(j)?)?;
        let y = toks.get(j + 1)?.year()?;
        if !(1..=31).contains(&day) {
            return None;
        }
        return Some((
            RefDate {
                year: y,
                month: m,
                day,
                span: t0.span.start..toks.at(j + 1).span.end,
            },
            j + 2 - i,
        ));
    }
    let m = month(t0)?;
    let d = toks.get(i + 1)?;
    if d.kind != TokKind::Num || d.raw.len() > 2 {
        return None;
    }
    let day: u32 = d.raw.parse().ok()?;
    let mut j = i + 2;
    if toks.get(j).is_some_and(|t| t.punct(',')) {
        j += 1;
    }
    let y = toks.get(j)?.year()?;
    (1..=31).contains(&day).then(|| {
        (
            RefDate {
                year: y,
                month: m,
                day,
                span: t0.span.start..toks.at(j).span.end,
            },
            j + 1 - i,
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Body names
// ---------------------------------------------------------------------------------------------

/// Body names as folded word sequences, longest first.
#[derive(Debug)]
struct BodyNames {
    /// (words, body id, is_short)
    names: Vec<(Vec<String>, String, bool)>,
    /// Indices into `names` (ascending) by the name's first word.
    by_first: FxHashMap<String, Vec<usize>>,
    /// The most words of a name.
    longest: usize,
    /// The last words of the names: a name ends on a word token that folds to one of them.
    last_words: rustc_hash::FxHashSet<String>,
}

/// The ids of the bodies a matched name may mean, borrowed from the names: one for most names,
/// several for a short form of several bodies (« la Commission »). A match allocates nothing
/// unless it has more than one: the ids are copied only into the reference made of it.
#[derive(Debug, Clone)]
struct BodyIds<'n> {
    first: &'n str,
    /// The others, in the order matched, none of them `first`.
    more: Vec<&'n str>,
}

impl<'n> BodyIds<'n> {
    fn contains(&self, id: &str) -> bool {
        self.first == id || self.more.contains(&id)
    }
    /// Every id, `first` first, as owned strings.
    fn to_strings(&self) -> Vec<String> {
        let mut all = Vec::with_capacity(1 + self.more.len());
        all.push(self.first.to_string());
        all.extend(self.more.iter().map(|id| id.to_string()));
        all
    }
}

/// Words skipped between a number and a body name, and inside names (OCR: `1’Assemblée`).
const CONNECTORS: &[&str] = &[
    "de", "du", "des", "d", "la", "le", "les", "l", "i", "of", "the", "by", "par",
];

fn name_words(s: &str) -> Vec<String> {
    tokenize(s, 0, s.len())
        .into_iter()
        .filter(|t| t.kind == TokKind::Word)
        .map(|t| t.folded().into_owned())
        .collect()
}

impl BodyNames {
    fn new(cfg: &ReferencesConfig) -> BodyNames {
        let mut names = Vec::new();
        for b in &cfg.bodies {
            for n in &b.names {
                names.push((name_words(n), b.id.clone(), false));
            }
            for n in &b.short {
                names.push((name_words(n), b.id.clone(), true));
            }
        }
        names.retain(|(w, _, _)| !w.is_empty());
        names.sort_by_key(|n| std::cmp::Reverse(n.0.len()));
        let mut by_first: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (k, (words, _, _)) in names.iter().enumerate() {
            by_first.entry(words[0].clone()).or_default().push(k);
        }
        let longest = names.first().map_or(0, |n| n.0.len());
        let last_words = names
            .iter()
            .filter_map(|(words, _, _)| words.last().cloned())
            .collect();
        BodyNames {
            names,
            by_first,
            longest,
            last_words,
        }
    }

    /// Indices (ascending) of the names whose first word the first word token from `i` can be:
    /// the word itself, and for « i » also names starting with « l » (the OCR reading below).
    /// Any other name fails on its first word in `match_at`, so skipping it changes nothing.
    fn candidates(&self, toks: Toks<'_, '_>, i: usize) -> std::borrow::Cow<'_, [usize]> {
        let mut j = i;
        while toks.get(j).is_some_and(|t| t.punct('\'') || t.is_one()) {
            j += 1;
        }
        let Some(t) = toks.get(j).filter(|t| t.kind == TokKind::Word) else {
            return (&[][..]).into();
        };
        let same = t.with_folded(|w| self.by_first.get(w).map_or(&[][..], Vec::as_slice));
        // The token is tested first: it is rarely « i », and the test is cheaper than the look-up.
        match t.folds_to("i").then(|| self.by_first.get("l")).flatten() {
            Some(l) => {
                let mut both = [same, l.as_slice()].concat();
                both.sort_unstable();
                both.into()
            }
            None => same.into(),
        }
    }

    /// Word tokens from `i` matching a name: (candidate ids, is_short, tokens consumed).
    /// Tokens that are not words (`1` in `1’Assemblée`, apostrophes) are skipped.
    fn match_at(&self, toks: Toks<'_, '_>, i: usize) -> Option<(BodyIds<'_>, bool, usize)> {
        let mut best: Option<(BodyIds<'_>, bool, usize, usize)> = None;
        let candidates = self.candidates(toks, i);
        if candidates.is_empty() {
            return None;
        }
        // Every candidate's first word matches the first word token from `i` (that is how
        // `candidates` chose them: the same folded word, or « l » for a token folding to
        // « i »), which the loop below would skip to and accept: it goes on after it.
        let mut first = i;
        while toks.get(first).is_some_and(|t| t.punct('\'') || t.is_one()) {
            first += 1;
        }
        for &k in candidates.iter() {
            let (words, id, short) = &self.names[k];
            let mut j = first + 1;
            let mut ok = true;
            for w in &words[1..] {
                // skip OCR noise inside names
                while toks.get(j).is_some_and(|t| t.punct('\'') || t.is_one()) {
                    j += 1;
                }
                match toks.get(j) {
                    Some(t) if t.kind == TokKind::Word && t.folds_to(w) => j += 1,
                    // OCR: « I’Assemblée » reads « l » as « i »
                    Some(t) if t.kind == TokKind::Word && w == "l" && t.folds_to("i") => j += 1,
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                continue;
            }
            match &mut best {
                Some((ids, bshort, n, _)) if *n == words.len() && *bshort == *short => {
                    if !ids.contains(id) {
                        ids.more.push(id);
                    }
                }
                Some((_, _, n, _)) if *n >= words.len() => {}
                _ => {
                    let ids = BodyIds {
                        first: id,
                        more: Vec::new(),
                    };
                    best = Some((ids, *short, words.len(), j - i));
                }
            }
        }
        best.map(|(ids, short, _, used)| (ids, short, used))
    }

    /// A body named right after connectors at `i` (« de la Commission… »).
    fn after(&self, toks: Toks<'_, '_>, mut i: usize) -> Option<(BodyIds<'_>, bool, Span, usize)> {
        let start = i;
        while i - start < 4
            && toks
                .get(i)
                .is_some_and(|t| t.any(CONNECTORS) || t.punct('\'') || t.is_one())
        {
            i += 1;
        }
        if i == start {
            return None;
        }
        let (ids, short, used) = self.match_at(toks, i)?;
        Some((
            ids,
            short,
            toks.at(i).span.start..toks.at(i + used - 1).span.end,
            i + used,
        ))
    }

    /// Whether a name can end on the token `last`: a word folding to the last word of a name,
    /// or for « l », to « i » (the OCR reading of `match_at`).
    fn may_end_name(&self, last: &Tok) -> bool {
        last.kind == TokKind::Word
            && (last.with_folded(|w| self.last_words.contains(w))
                || last.folds_to("i") && self.last_words.contains("l"))
    }

    /// A body named just before index `end` (exclusive): "General Assembly resolution".
    fn before(&self, toks: Toks<'_, '_>, end: usize) -> Option<(BodyIds<'_>, bool, Span)> {
        // `match_at` ends a match on the word token it matched with the name's last word (it
        // skips apostrophes and `1`s only before a word), folding to that word or, for « l »,
        // to « i »: when `toks[end - 1]` is no such token, every try below fails, so skip them.
        let last = toks.get(end.checked_sub(1)?)?;
        if !self.may_end_name(last) {
            return None;
        }
        // Names are sorted by length, so names of one length follow each other; they all start
        // at the same `s` and `match_at(toks, s)` gives them the same answer: try it once.
        let mut tried_len = 0;
        for (words, _, _) in &self.names {
            if words.len() > end || words.len() == tried_len {
                continue;
            }
            tried_len = words.len();
            let s = end - words.len();
            if let Some((ids, short, used)) = self.match_at(toks, s) {
                if s + used == end {
                    return Some((ids, short, toks.at(s).span.start..toks.at(end - 1).span.end));
                }
            }
        }
        None
    }
}

/// A body named in the text, as [`ReferencesConfig::body_named_at`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedBody {
    /// Every body the words can mean: one for a full name, several for « la Commission ».
    pub ids: Vec<String>,
    /// The name needs context to say which body it is: a short form (« la Commission »), or a
    /// full name that begins a longer name of its body (« la Conférence des Parties » to a
    /// convention, which other conventions have too).
    pub needs_context: bool,
    pub span: Span,
}

impl ReferencesConfig {
    /// The body whose name starts at byte `at` of `text` (connectors such as « la » before it
    /// are not skipped), read with the same words as in citations.
    pub fn body_named_at(&self, text: &str, at: usize) -> Option<NamedBody> {
        let names = self.body_names();
        // Room for the longest name's words and the OCR noise skipped inside names.
        let mut to = (at + 24 * names.longest.max(1)).min(text.len());
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        let toks = tokenize(text, at, to);
        let reach = Cell::new(0);
        let (ids, short, used) = names.match_at(Toks::new(&toks, true, &reach), 0)?;
        let span = toks[0].span.start..toks[used - 1].span.end;
        let ids = ids.to_strings();
        let named: Vec<String> = toks[..used]
            .iter()
            .filter(|t| t.kind == TokKind::Word)
            .map(|t| t.folded().into_owned())
            .collect();
        // A full name that a longer name of one of its bodies starts with.
        let prefix = names.names.iter().any(|(w, id, _)| {
            w.len() > named.len() && ids.contains(id) && w[..named.len()] == named[..]
        });
        Some(NamedBody {
            ids,
            needs_context: short || prefix,
            span,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Symbols
// ---------------------------------------------------------------------------------------------

/// Suffix components that end a series: `L.1`, `CRP.2`, `Rev.1`, `Add.1`, `Corr.1`.
fn is_suffix_component(c: &str) -> bool {
    let Some((head, tail)) = c.split_once('.') else {
        return false;
    };
    [
        "L", "CRP", "Rev", "REV", "Add", "ADD", "Corr", "CORR", "Misc", "Amend", "WP",
    ]
    .contains(&head)
        && tail.bytes().all(|b| b.is_ascii_digit())
        && !tail.is_empty()
}

fn is_series_component(c: &str) -> bool {
    let b = c.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_uppercase()
        && c.bytes()
            .all(|x| x.is_ascii_alphanumeric() || x == b'.' || x == b'-')
        && !c.ends_with('.')
}

/// Splits a joined symbol into its series and the parts after it, as written between their
/// `/`s (`A/RES/65/230` → `A/RES`, `65/230`); `None` when it is not a symbol. Both borrow `s`.
pub fn parse_symbol(s: &str) -> Option<(&str, &str)> {
    let series_len = symbol_series_len(s)?;
    Some((&s[..series_len], &s[series_len + 1..]))
}

/// The length of the series of the joined symbol `s` (its components before the session, year
/// or number), `None` when `s` is not a symbol. Checks `s` in place, so that what is not a
/// symbol costs no allocation.
fn symbol_series_len(s: &str) -> Option<usize> {
    let (first, _) = s.split_once('/')?;
    if first.is_empty()
        || first.len() > 8
        || !first
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b'-' || b == b'.' || b.is_ascii_digit())
        || !first.as_bytes()[0].is_ascii_uppercase()
    {
        return None;
    }
    // Where the parts start: just after the series' last component and its `/`.
    let mut parts_at = 0;
    for c in s.split('/') {
        if c.as_bytes().first().is_some_and(|b| b.is_ascii_digit()) || is_suffix_component(c) {
            break;
        }
        if !is_series_component(c) {
            return None;
        }
        parts_at += c.len() + 1;
    }
    // No series component, or no part after them.
    if parts_at == 0 || parts_at > s.len() {
        return None;
    }
    let parts = &s[parts_at..];
    if parts.split('/').any(str::is_empty) {
        return None;
    }
    // Every part after the series is a number, a year, a suffix or a short code (the `/`s
    // are the separators between parts).
    if !parts
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'(' | b')' | b'-' | b'/'))
    {
        return None;
    }
    // At least one part has a digit.
    if !parts.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(parts_at - 1)
}

/// Whether a series matches a known pattern (`E/CN.#`, `ST/*`).
pub fn series_matches(series: &str, pattern: &str) -> bool {
    if let Some(root) = pattern.strip_suffix("/*") {
        return series == root
            || series
                .strip_prefix(root)
                .is_some_and(|r| r.starts_with('/'));
    }
    let (s, p) = (series.as_bytes(), pattern.as_bytes());
    let (mut i, mut j) = (0, 0);
    while j < p.len() {
        if p[j] == b'#' {
            let st = i;
            while i < s.len() && s[i].is_ascii_digit() {
                i += 1;
            }
            if i == st {
                return false;
            }
            j += 1;
        } else {
            if i >= s.len() || s[i] != p[j] {
                return false;
            }
            i += 1;
            j += 1;
        }
    }
    i == s.len()
}

/// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    edit_distance_capped(a, b, usize::MAX - 1)
}

/// [`edit_distance`] when only whether it is at most `cap` matters: the distance if it is,
/// else `cap + 1` (any larger distance), found as soon as two rows of the table exceed `cap`
/// (a near-miss series is at most two edits away, and most candidates are much further).
pub fn edit_distance_capped(a: &str, b: &str, cap: usize) -> usize {
    // ASCII strings (symbols nearly always are): their bytes are their chars, no decoding.
    if a.is_ascii() && b.is_ascii() {
        return osa_distance(a.as_bytes(), b.as_bytes(), cap);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    osa_distance(&a, &b, cap)
}

/// The optimal string alignment distance of two sequences, keeping three rows of the table
/// (a transposition looks two rows back) instead of the whole table; capped at `cap + 1`
/// ([`edit_distance_capped`]).
fn osa_distance<T: PartialEq>(a: &[T], b: &[T], cap: usize) -> usize {
    // A common prefix or suffix changes no distance (an optimal alignment matches it
    // character for character), and the series compared share most of theirs (`A/HRC/`,
    // `/L.1`): the table is only built for the differing middles, often a few characters.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len()).min(cap + 1);
    }
    // Symbols are short: their rows fit on the stack, no allocation per call.
    const SHORT: usize = 64;
    let m = b.len();
    if m < SHORT {
        let [mut x, mut y, mut z] = [[0usize; SHORT]; 3];
        osa_rows(a, b, &mut x[..=m], &mut y[..=m], &mut z[..=m], cap)
    } else {
        osa_rows(
            a,
            b,
            &mut vec![0; m + 1],
            &mut vec![0; m + 1],
            &mut vec![0; m + 1],
            cap,
        )
    }
}

/// [`osa_distance`] with its three rows (each `b.len() + 1` long) given by the caller.
///
/// Stops with `cap + 1` once two consecutive rows are all above `cap`: a cell is at least
/// the least of the cells of the two rows above it and the one before it in its row, each
/// plus 0 or 1, so every later row is then above `cap` too (its first cell, its row number,
/// included), and so is the distance.
fn osa_rows<'r, T: PartialEq>(
    a: &[T],
    b: &[T],
    mut two_back: &'r mut [usize],
    mut prev: &'r mut [usize],
    mut cur: &'r mut [usize],
    cap: usize,
) -> usize {
    let m = b.len();
    for (j, p) in prev.iter_mut().enumerate() {
        *p = j;
    }
    // The least cell of `prev` (row 0 holds a 0).
    let mut prev_min = 0;
    for i in 1..=a.len() {
        cur[0] = i;
        let mut cur_min = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(two_back[j - 2] + 1);
            }
            cur[j] = d;
            cur_min = cur_min.min(d);
        }
        if cur_min > cap && prev_min > cap {
            return cap + 1;
        }
        prev_min = cur_min;
        std::mem::swap(&mut two_back, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m].min(cap + 1)
}

fn is_sym_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'.' || b == b'-'
}

/// The symbol around the `/` at `slash`: (start, end, joined text, broken).
fn symbol_at(prose: &str, slash: usize) -> Option<(usize, usize, String, bool)> {
    let b = prose.as_bytes();
    let mut s = slash;
    while s > 0 && is_sym_byte(b[s - 1]) {
        s -= 1;
    }
    // must start at a word boundary with an uppercase letter
    if s < b.len() && !b[s].is_ascii_uppercase() {
        return None;
    }
    if s > 0 && (b[s - 1] == b':' || b[s - 1] == b'@' || b[s - 1] >= 0x80) {
        return None;
    }
    let mut text = String::new();
    let mut i = s;
    let mut broken = false;
    loop {
        let st = i;
        while i < b.len() && is_sym_byte(b[i]) {
            i += 1;
        }
        // S/RES/2341(2017)
        if i < b.len() && b[i] == b'(' {
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && j < b.len() && b[j] == b')' && b[i - 1].is_ascii_digit() {
                i = j + 1;
            }
        }
        text.push_str(&prose[st..i]);
        // a symbol broken after a `/` at a line end continues on the next line
        if text.ends_with('/') {
            let mut j = i;
            let mut newlines = 0;
            while j < b.len() && (b[j] == b' ' || b[j] == b'\n' || b[j] == b'\r' || b[j] == b'\t') {
                if b[j] == b'\n' {
                    newlines += 1;
                }
                j += 1;
            }
            if (1..=2).contains(&newlines) && j < b.len() && b[j].is_ascii_alphanumeric() {
                broken = true;
                i = j;
                continue;
            }
        }
        break;
    }
    // trailing punctuation is not part of the symbol
    while text.ends_with(['.', '-', '/']) {
        text.pop();
        i -= 1;
    }
    Some((s, i, text, broken))
}

// ---------------------------------------------------------------------------------------------
// The scanner
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Trigger {
    Resolution,
    Decision,
    Paragraph,
    Section,
    Slash,
}

const TRIGGERS: &[(&str, Trigger)] = &[
    ("résolution", Trigger::Resolution),
    ("resolution", Trigger::Resolution),
    ("décision", Trigger::Decision),
    ("decision", Trigger::Decision),
    ("paragraphe", Trigger::Paragraph),
    ("paragraph", Trigger::Paragraph),
    ("par.", Trigger::Paragraph),
    ("para.", Trigger::Paragraph),
    ("paras.", Trigger::Paragraph),
    ("section", Trigger::Section),
    ("/", Trigger::Slash),
];

/// A 4-byte piece of the word triggers (all of `TRIGGERS` but the last, `/`): every word
/// trigger holds exactly one of them, its anchor (a test checks it). The trigger search looks
/// for the anchors in the prose as written, in every ASCII case, and tests the triggers
/// holding the anchor where it finds one ([`trigger_at_anchor`]). The anchors are rarer than
/// the triggers' first bytes (« olut » and « cisi » against « rés » and « déc »: « résultats »,
/// « décembre »), and searching the prose as written needs no lower-cased copy of it: the copy
/// cost about half as much as the search itself.
const ANCHORS: [&str; 5] = ["olut", "cisi", "para", "par.", "sect"];

/// The length of every anchor.
const ANCHOR_LEN: usize = 4;

/// For each anchor (by index in [`ANCHORS`]), the word triggers holding it: (index in
/// `TRIGGERS`, the anchor's offset in the trigger), the leftmost start first (the largest
/// offset), then the longest: the order in which a leftmost-longest search prefers them.
static ANCHORED: LazyLock<[Vec<(usize, usize)>; ANCHORS.len()]> = LazyLock::new(|| {
    let mut anchored: [Vec<(usize, usize)>; ANCHORS.len()] = Default::default();
    for (t, (word, _)) in TRIGGERS[..TRIGGERS.len() - 1].iter().enumerate() {
        let (a, off) = ANCHORS
            .iter()
            .enumerate()
            .find_map(|(a, anchor)| word.find(anchor).map(|off| (a, off)))
            .expect("every word trigger holds an anchor");
        anchored[a].push((t, off));
    }
    for triggers in &mut anchored {
        triggers.sort_by_key(|&(t, off)| {
            (
                std::cmp::Reverse(off),
                std::cmp::Reverse(TRIGGERS[t].0.len()),
            )
        });
    }
    anchored
});

/// Every ASCII-case variant of `anchor` (2 to the number of its ASCII letters).
fn case_variants(anchor: &str) -> Vec<Vec<u8>> {
    let letters: Vec<usize> = (0..anchor.len())
        .filter(|&i| anchor.as_bytes()[i].is_ascii_alphabetic())
        .collect();
    (0..1usize << letters.len())
        .map(|mask| {
            let mut v = anchor.as_bytes().to_vec();
            for (bit, &i) in letters.iter().enumerate() {
                if mask >> bit & 1 == 1 {
                    v[i] = v[i].to_ascii_uppercase();
                }
            }
            v
        })
        .collect()
}

/// The search for the anchors in every ASCII case.
enum AnchorSearch {
    /// Teddy over the case variants of the anchors (`anchor` gives each variant's anchor).
    /// The variants of one anchor share the low nibbles of their bytes, so Teddy puts them in
    /// one bucket; the lower-case ones come first, so that each anchor gets a bucket of its own.
    Teddy {
        searcher: aho_corasick::packed::Searcher,
        anchor: Vec<u8>,
    },
    /// Where Teddy is not available (no SSSE3): an ASCII-case-insensitive automaton.
    Automaton(AhoCorasick),
}

impl AnchorSearch {
    fn new() -> AnchorSearch {
        let mut variants: Vec<(Vec<u8>, u8)> = Vec::new();
        for (a, anchor) in ANCHORS.iter().enumerate() {
            variants.push((anchor.as_bytes().to_vec(), a as u8));
        }
        for (a, anchor) in ANCHORS.iter().enumerate() {
            for v in case_variants(anchor) {
                if v != anchor.as_bytes() {
                    variants.push((v, a as u8));
                }
            }
        }
        let searcher = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
            // 72 variants: over Teddy's default limit of 64, but they fill five buckets and
            // a candidate is checked against its own anchor's variants only.
            .heuristic_pattern_limits(false)
            // Eight buckets are enough for five anchors; the 16-bucket variant reads half as
            // many bytes per step.
            .only_teddy_fat(Some(false))
            .builder()
            .extend(variants.iter().map(|(v, _)| v))
            .build();
        match searcher {
            Some(searcher) => AnchorSearch::Teddy {
                searcher,
                anchor: variants.iter().map(|&(_, a)| a).collect(),
            },
            None => AnchorSearch::automaton(),
        }
    }

    fn automaton() -> AnchorSearch {
        AnchorSearch::Automaton(
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostFirst)
                .ascii_case_insensitive(true)
                .build(ANCHORS)
                .expect("anchor automaton"),
        )
    }

    /// The first anchor starting at or after `from` and ending by `to` in `hay`: its start and
    /// its index in [`ANCHORS`].
    #[inline]
    fn find(&self, hay: &[u8], from: usize, to: usize) -> Option<(usize, usize)> {
        match self {
            AnchorSearch::Teddy { searcher, anchor } => {
                let m = searcher.find_in(
                    hay,
                    aho_corasick::Span {
                        start: from,
                        end: to,
                    },
                )?;
                Some((m.start(), usize::from(anchor[m.pattern().as_usize()])))
            }
            AnchorSearch::Automaton(ac) => {
                let m = ac.find(aho_corasick::Input::new(hay).range(from..to))?;
                Some((m.start(), m.pattern().as_usize()))
            }
        }
    }
}

static ANCHOR_SEARCH: LazyLock<AnchorSearch> = LazyLock::new(AnchorSearch::new);

/// The word trigger holding the anchor `a` found at `at` in `b`, if one is written there (ASCII
/// case ignored): (start, end, trigger). Of the triggers holding the anchor, the one starting
/// first and then the longest: what a leftmost-longest search over the triggers finds there.
#[inline]
fn trigger_at_anchor(b: &[u8], at: usize, a: usize) -> Option<(usize, usize, Trigger)> {
    ANCHORED[a].iter().find_map(|&(t, off)| {
        let (word, trigger) = TRIGGERS[t];
        let start = at.checked_sub(off)?;
        let end = start + word.len();
        b.get(start..end)
            .filter(|written| written.eq_ignore_ascii_case(word.as_bytes()))
            .map(|_| (start, end, trigger))
    })
}

/// The prose is searched this many bytes at a time: few enough that the chunk stays in the
/// first-level cache while it is searched again for `/` and for years.
const TRIGGER_CHUNK: usize = 1 << 13;

/// What one pass over the prose finds, a chunk at a time.
struct ProseScan {
    /// The word triggers in order, non-overlapping, leftmost-longest: (start, end, trigger).
    words: Vec<(usize, usize, Trigger)>,
    /// The offsets of the `/`s, in order.
    slashes: Vec<usize>,
    /// The latest year 2000-2100 written as a run of four digits ([`year_at`] from each `2`).
    latest_20xx: Option<i32>,
}

/// The word triggers, slashes and latest year of the 2000s of `prose` ([`ProseScan`]).
///
/// The prose is read once, a chunk of [`TRIGGER_CHUNK`] bytes at a time: each chunk is
/// searched for the anchors of the word triggers, then, still in the first-level cache, for `/`
/// and `2`. Three passes over the whole text (the trigger search, the `/` search, the year
/// search) each read it from memory before.
///
/// The anchors found are those starting in the chunk (the search reads up to three bytes into
/// the next); the triggers they anchor come in text order, the order of their anchors, since
/// no word trigger starts inside another (a test checks the trigger words), and they are the
/// leftmost-longest matches of the triggers for the same reason.
fn scan_prose(prose: &str) -> ProseScan {
    let bytes = prose.as_bytes();
    let anchors = &*ANCHOR_SEARCH;
    let mut scan = ProseScan {
        words: Vec::new(),
        slashes: Vec::new(),
        latest_20xx: None,
    };
    let mut chunk = 0;
    while chunk < bytes.len() {
        let chunk_end = bytes.len().min(chunk + TRIGGER_CHUNK);
        let search_end = bytes.len().min(chunk_end + ANCHOR_LEN - 1);
        let mut at = chunk;
        while let Some((found, a)) = anchors.find(bytes, at, search_end) {
            if let Some(word) = trigger_at_anchor(bytes, found, a) {
                debug_assert!(scan.words.last().is_none_or(|w| w.1 <= word.0));
                scan.words.push(word);
            }
            at = found + 1;
        }
        let own = &bytes[chunk..chunk_end];
        scan.slashes
            .extend(memchr::memchr_iter(b'/', own).map(|i| chunk + i));
        let latest = latest_year_of(bytes, memchr::memchr_iter(b'2', own).map(|i| chunk + i));
        scan.latest_20xx = scan.latest_20xx.max(latest);
        chunk = chunk_end;
    }
    scan
}

/// Every trigger of `prose` in order (start, end, trigger), the latest year of the 2000s it
/// writes, and how many of the triggers are resolution or decision words (about as many
/// references as the document cites: room reserved for them at once). The same sequence as one ASCII-case-insensitive leftmost-longest automaton over
/// all of `TRIGGERS`: no word trigger holds a `/`, so a `/` never lies inside a word trigger's
/// match and the two streams merge without changing either.
fn triggers(
    prose: &str,
) -> (
    impl Iterator<Item = (usize, usize, Trigger)>,
    Option<i32>,
    usize,
) {
    let scan = scan_prose(prose);
    let resolution_words = scan
        .words
        .iter()
        .filter(|w| matches!(w.2, Trigger::Resolution | Trigger::Decision))
        .count();
    let mut words = scan.words.into_iter().peekable();
    let mut slashes = scan
        .slashes
        .into_iter()
        .map(|i| (i, i + 1, Trigger::Slash))
        .peekable();
    let merged = std::iter::from_fn(move || match (words.peek(), slashes.peek()) {
        (Some(w), Some(s)) if s.0 < w.0 => slashes.next(),
        (Some(_), _) => words.next(),
        (None, _) => slashes.next(),
    });
    (merged, scan.latest_20xx, resolution_words)
}

/// Extracts every reference of a document (one pass over its prose).
pub fn extract(doc: &Document, cfg: &ReferencesConfig) -> References {
    let prose = doc.prose.as_str();
    let names = cfg.body_names();
    let mut refs = References::default();
    let mut windows = WindowTokens::default();
    let mut consumed = 0usize;
    let (triggers, latest_20xx, resolution_words) = triggers(prose);
    refs.resolutions.reserve(resolution_words);
    for (m_start, m_end, trig) in triggers {
        if m_start < consumed {
            continue;
        }
        match trig {
            Trigger::Slash => {
                if let Some(sym) = scan_symbol(prose, m_start) {
                    consumed = sym.span.end;
                    refs.symbols.push(sym);
                } else {
                    // skip the rest of this token
                    let b = prose.as_bytes();
                    let mut e = m_end;
                    while e < b.len() && (is_sym_byte(b[e]) || b[e] == b':') {
                        e += 1;
                    }
                    consumed = e;
                }
            }
            Trigger::Resolution | Trigger::Decision => {
                let kind = if trig == Trigger::Resolution {
                    RefKind::Resolution
                } else {
                    RefKind::Decision
                };
                let end =
                    scan_resolution(prose, m_start, m_end, kind, names, &mut refs, &mut windows);
                consumed = consumed.max(end);
            }
            Trigger::Paragraph | Trigger::Section => {
                let target = if trig == Trigger::Paragraph {
                    CrossTarget::Paragraph
                } else {
                    CrossTarget::Section
                };
                scan_cross_ref(doc, m_start, m_end, target, &mut refs, &mut windows);
            }
        }
    }
    // The scan finds them in text order already; the stable sort makes that a guarantee the
    // rules and `resolve_short_bodies` rely on (binary searches), at no cost when it holds.
    refs.resolutions.sort_by_key(|r| r.span.start);
    refs.symbols.sort_by_key(|s| s.span.start);
    resolve_short_bodies(&mut refs.resolutions, cfg);
    for f in &doc.furniture {
        if f.kind == FurnitureKind::UndocsLink {
            if let Some(sym) = undocs_symbol(&doc.slice(&f.span)) {
                refs.undocs.push(UndocsRef {
                    span: f.span.clone(),
                    symbol: sym,
                });
            }
        }
    }
    let header_year = doc.header.date.as_ref().and_then(|s| {
        let date = doc.slice(s);
        tokenize(&date, 0, date.len()).iter().find_map(Tok::year)
    });
    refs.latest_year = refs
        .resolutions
        .iter()
        .filter_map(|r| {
            r.year.as_ref().map(|y| y.year).or(match r.number {
                RefNumber::Year { year, .. } | RefNumber::ParenYear { year, .. } => Some(year),
                _ => None,
            })
        })
        .chain(header_year)
        .chain(latest_year_after(prose.as_bytes(), latest_20xx))
        .max();
    refs
}

/// The latest four-digit year (1946-2100) written anywhere in the prose: a run of exactly four
/// ASCII digits with that value.
///
/// Such a run starts with `19`, `20` or `21`. The `2`s are visited first (years 2000-2100);
/// only when none of them starts a year can a `19` give the latest one, so the `19`s are
/// searched only then. Both give the years the whole-text scan of every digit run gives.
/// [`scan_prose`] visits the `2`s with the trigger search; this is what it and
/// [`latest_year_after`] compute together.
#[cfg(test)]
fn latest_year_in(prose: &str) -> Option<i32> {
    let b = prose.as_bytes();
    latest_year_after(b, latest_year_of(b, memchr::memchr_iter(b'2', b)))
}

/// The latest year of the text `b` given `latest_20xx`, the latest that starts at one of its
/// `2`s: that one, or when there is none the latest that starts at a `19`.
fn latest_year_after(b: &[u8], latest_20xx: Option<i32>) -> Option<i32> {
    latest_20xx.or_else(|| latest_year_of(b, memchr::memmem::find_iter(b, b"19")))
}

/// The latest of the years of `b` (1946-2100) that start at one of `starts`.
fn latest_year_of(b: &[u8], starts: impl Iterator<Item = usize>) -> Option<i32> {
    starts.filter_map(|s| year_at(b, s)).max()
}

/// The year 1946-2100 written as the run of exactly four digits at `b[s..s + 4]`, if it is one.
fn year_at(b: &[u8], s: usize) -> Option<i32> {
    let digits = b.get(s..s + 4)?;
    if !digits.iter().all(u8::is_ascii_digit)
        || s > 0 && b[s - 1].is_ascii_digit()
        || b.get(s + 4).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    let y = digits.iter().fold(0, |y, &d| y * 10 + i32::from(d - b'0'));
    (1946..=2100).contains(&y).then_some(y)
}

/// The symbol of an undocs.org line: `http://undocs.org/fr/A/RES/65/230` → `A/RES/65/230`.
pub fn undocs_symbol(line: &str) -> Option<String> {
    // One searcher for every line, not one built per `str::find`.
    static UNDOCS: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("undocs.org/"));
    let i = UNDOCS.find(line.as_bytes())?;
    let mut rest = line[i + "undocs.org/".len()..].trim();
    let b = rest.as_bytes();
    if b.len() > 3 && b[0].is_ascii_lowercase() && b[1].is_ascii_lowercase() && b[2] == b'/' {
        rest = &rest[3..];
    }
    let sym: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    let sym = sym.trim_end_matches(['.', ',', ';']).to_string();
    (!sym.is_empty()).then_some(sym)
}

fn scan_symbol(prose: &str, slash: usize) -> Option<DocumentSymbol> {
    let (start, end, text, broken) = symbol_at(prose, slash)?;
    let series_len = symbol_series_len(&text)?;
    let series = &text[..series_len];
    Some(DocumentSymbol {
        span: start..end,
        series_span: prose
            .get(start..start + series_len)
            .filter(|s| *s == series)
            .map(|_| start..start + series_len),
        series_len,
        text,
        broken,
    })
}

/// Parses the number at `toks[i..]`: `65/230`, `2341 (2017)`. Returns the number, its span
/// and the tokens used.
fn number_at(toks: Toks<'_, '_>, i: usize) -> Option<(RefNumber, Span, usize)> {
    let a = toks.get(i)?;
    if a.kind != TokKind::Num || a.raw.len() > 4 {
        return None;
    }
    let next = toks.get(i + 1);
    if next.is_some_and(|t| t.punct('/')) {
        let b = toks.get(i + 2)?;
        // adjacent: no space around the slash
        if b.kind != TokKind::Num
            || b.raw.len() > 4
            || a.span.end != toks.at(i + 1).span.start
            || toks.at(i + 1).span.end != b.span.start
        {
            return None;
        }
        // not a longer path `65/230/...` or a date `12/04/2019`
        if toks
            .get(i + 3)
            .is_some_and(|t| (t.punct('/') || t.punct('.')) && t.span.start == b.span.end)
            && toks
                .get(i + 4)
                .is_some_and(|t| t.kind == TokKind::Num && t.span.start == b.span.end + 1)
        {
            return None;
        }
        let n = RefNumber::from_parts(a.raw.parse().ok()?, b.raw.parse().ok()?);
        return Some((n, a.span.start..b.span.end, 3));
    }
    // 2341 (2017)
    if next.is_some_and(|t| t.punct('(')) {
        let y = toks.get(i + 2)?.year()?;
        if !toks.get(i + 3)?.punct(')') {
            return None;
        }
        let n: u32 = a.raw.parse().ok()?;
        return Some((
            RefNumber::ParenYear { n, year: y },
            a.span.start..toks.at(i + 3).span.end,
            4,
        ));
    }
    None
}

const ADOPTED: &[&str] = &[
    "adoptee",
    "adoptees",
    "adopte",
    "adoptes",
    "adopted",
    "approuvee",
    "approved",
];
const TITLED: &[&str] = &["intitulee", "intitulees", "intitule", "entitled", "titled"];

/// Parses a resolution/decision reference whose trigger word is at `start..end`. Pushes what it
/// finds and returns the offset where parsing stopped.
fn scan_resolution<'a>(
    prose: &'a str,
    start: usize,
    end: usize,
    kind: RefKind,
    names: &BodyNames,
    refs: &mut References,
    windows: &mut WindowTokens<'a>,
) -> usize {
    let b = prose.as_bytes();
    // the trigger must end a word (plural `s` allowed)
    let mut e = end;
    if e < b.len() && (b[e] == b's' || b[e] == b'S') {
        e += 1;
    }
    if e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] >= 0x80 || b[e] == b'-') {
        return end;
    }
    // glued possessive (OCR « sarésolution ») or a word boundary before
    let glued_sa = start >= 2 && prose.as_bytes()[start - 2..start] == *b"sa";
    let before_ok = start == 0
        || !prose[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric())
        || glued_sa;
    if !before_ok {
        return end;
    }
    let wend = prose.ceil_char_boundary(e + 260);
    // The grammar below gives up unless the first token is a number or a word « n » / "no" /
    // "nos" (its first letter folds to `n`): any other first character returns here, before
    // the window is tokenised (the tokenizer skips the same white space).
    let first = prose[e..wend].chars().find(|c| !c.is_whitespace());
    if !first.is_some_and(|c| c.is_ascii_digit() || matches!(c, 'n' | 'N' | 'ñ' | 'Ñ')) {
        return end;
    }
    // Most readings stop a few tokens past the number (its body, a date): the window's first
    // `AHEAD_TOKENS` tokens are made first, and the whole window only for a reading that asks
    // for more.
    let found = refs.resolutions.len();
    windows.ahead.clear();
    let mut next = tokenize_until(prose, e, wend, AHEAD_TOKENS, &mut windows.ahead);
    let mut behind_whole = None;
    loop {
        let whole = next.is_none();
        let reach = Cell::new(0);
        let toks = Toks::new(&windows.ahead, whole, &reach);
        let at = ResolutionAt {
            start,
            end,
            e,
            wend,
            glued_sa,
            kind,
        };
        let behind = (&mut windows.behind, &mut behind_whole);
        let numbers = &mut windows.numbers;
        let stop = read_resolution(prose, at, toks, names, refs, behind, numbers);
        match next {
            Some(from) if !toks.read_within() => {
                refs.resolutions.truncate(found);
                next = tokenize_until(prose, from, wend, usize::MAX, &mut windows.ahead);
            }
            _ => return stop,
        }
    }
}

/// How many tokens after a resolution trigger [`scan_resolution`] first makes.
const AHEAD_TOKENS: usize = 24;

/// A resolution trigger word: where it is and what it is.
#[derive(Clone, Copy)]
struct ResolutionAt {
    /// The trigger word, from `start` to `end`, or `e` with a plural `s`.
    start: usize,
    end: usize,
    e: usize,
    /// The end of the window after it.
    wend: usize,
    /// Glued to a possessive « sa » before it (OCR « sarésolution »).
    glued_sa: bool,
    kind: RefKind,
}

/// Reads the reference of the trigger `at` from the tokens after it, `toks`, and those before
/// it (tokenised into `behind.0` unless `behind.1` says they are there already, and whether
/// they are the whole window); pushes what it finds and returns the offset where reading
/// stopped. `numbers` is a buffer reused from trigger to trigger (cleared here).
fn read_resolution<'a>(
    prose: &'a str,
    at: ResolutionAt,
    toks: Toks<'_, 'a>,
    names: &BodyNames,
    refs: &mut References,
    (behind, behind_whole): (&mut Vec<Tok<'a>>, &mut Option<bool>),
    numbers: &mut Vec<(RefNumber, Span)>,
) -> usize {
    let ResolutionAt {
        start,
        end,
        e,
        wend,
        glued_sa,
        kind,
    } = at;
    let mut i = 0;
    // « résolution n° 65/230 », "resolution No. 65/230"
    if toks.get(0).is_some_and(|t| t.any(&["n", "no", "nos"])) {
        i += 1;
        while toks
            .get(i)
            .is_some_and(|t| t.punct('.') || t.punct('°') || t.punct('º'))
        {
            i += 1;
        }
    }
    numbers.clear();
    let Some((n, sp, used)) = number_at(toks, i) else {
        return end;
    };
    numbers.push((n, sp));
    i += used;
    // lists: « 22/7 et 22/8 », "73/187, 74/173 and 74/247"
    loop {
        let mut j = i;
        if toks.get(j).is_some_and(|t| t.punct(',')) {
            j += 1;
        }
        if toks
            .get(j)
            .is_some_and(|t| t.any(&["et", "and", "ou", "or"]))
        {
            j += 1;
        }
        if j == i {
            break;
        }
        match number_at(toks, j) {
            Some((n, sp, used)) => {
                numbers.push((n, sp));
                i = j + used;
            }
            None => break,
        }
    }
    // What follows: body, date, adoption clause, title.
    let mut body: Option<(BodyIds<'_>, bool, Span)> = None;
    let mut date: Option<RefDate> = None;
    let mut year: Option<StatedYear> = None;
    let mut title: Option<(String, Span)> = None;
    let mut adopted_clause = false;
    let mut other_body = false;
    for _ in 0..6 {
        if body.is_none() {
            if let Some((ids, short, sp, j)) = names.after(toks, i) {
                body = Some((ids, short, sp));
                i = j;
                continue;
            }
            if !other_body && names_other_body(prose, toks, i) {
                other_body = true;
            }
        }
        // « du 21 décembre 2010 », "of 21 December 2010", « en date du », after a comma too
        // (« de l'Assemblée générale, en date du 16 décembre 2015 »; not « , le 16 … »,
        // which may date the next clause)
        let mut j = i;
        if toks.get(j).is_some_and(|t| t.punct(','))
            && toks
                .get(j + 1)
                .is_some_and(|t| t.any(&["en", "du", "of", "dated"]))
        {
            j += 1;
        }
        if toks.get(j).is_some_and(|t| t.any(&["en"]))
            && toks.get(j + 1).is_some_and(|t| t.is("date"))
        {
            j += 2;
        }
        if toks
            .get(j)
            .is_some_and(|t| t.any(&["du", "of", "dated", "on", "le"]))
        {
            j += 1;
        }
        if date.is_none() {
            if let Some((d, used)) = date_at(toks, j) {
                date = Some(d);
                i = j + used;
                continue;
            }
        }
        // « résolution 9/1 de 2018 », "resolution 70/1 of 2015": the year alone
        if year.is_none() && date.is_none() && toks.get(i).is_some_and(|t| t.any(&["de", "of"])) {
            if let Some(y) = toks.get(i + 1).and_then(|t| t.year().map(|y| (y, &t.span))) {
                if !toks.get(i + 2).is_some_and(|t| t.punct('/')) {
                    year = Some(StatedYear {
                        year: y.0,
                        span: y.1.clone(),
                        source: YearSource::Of,
                    });
                    i += 2;
                    continue;
                }
            }
        }
        // « , adoptée en 2009 », « qu'elle a adoptée à sa vingt-sixième session, le 26 mai 2017 »
        let mut j = i;
        if toks.get(j).is_some_and(|t| t.punct(',')) {
            j += 1;
        }
        let adopted_at = if toks.get(j).is_some_and(|t| t.any(ADOPTED)) {
            Some(j + 1)
        } else if toks
            .get(j)
            .is_some_and(|t| t.any(&["qu", "que", "that", "which"]))
        {
            // qu ' elle a adoptée / that it adopted / which it adopted
            let k = toks
                .range(j + 1, j + 6)
                .find_map(|(k, t)| t.any(ADOPTED).then_some(k));
            k.map(|k| k + 1)
        } else {
            None
        };
        if let (Some(k), false) = (adopted_at, adopted_clause) {
            adopted_clause = true;
            let mut k = k;
            let lim = k + 14;
            while let Some(t) = (k < lim).then(|| toks.get(k)).flatten() {
                if t.punct('.') || t.punct(';') || t.punct('"') {
                    break;
                }
                if let Some((d, used)) = date_at(toks, k) {
                    year = Some(StatedYear {
                        year: d.year,
                        span: d.span.clone(),
                        source: YearSource::Adopted,
                    });
                    if date.is_none() {
                        date = Some(d);
                    }
                    k += used;
                    break;
                }
                let prev_ok =
                    k > 0 && (toks.at(k - 1).any(&["en", "in"]) || month(toks.at(k - 1)).is_some());
                if let (Some(y), true) = (t.year(), prev_ok) {
                    year = Some(StatedYear {
                        year: y,
                        span: t.span.clone(),
                        source: YearSource::Adopted,
                    });
                    k += 1;
                    break;
                }
                k += 1;
            }
            i = k;
            continue;
        }
        // « , intitulée « … » », ", entitled "…""
        let mut j = i;
        if toks.get(j).is_some_and(|t| t.punct(',')) {
            j += 1;
        }
        if title.is_none() && toks.get(j).is_some_and(|t| t.any(TITLED)) {
            if let Some(q) = toks.get(j + 1).filter(|t| t.punct('"')) {
                let close = (j + 2..)
                    .take_while(|&k| toks.get(k).is_some())
                    .find(|&k| toks.at(k).punct('"'));
                if let Some(close) = close {
                    let sp = q.span.end..toks.at(close).span.start;
                    let norm = normalize_title(&prose[sp.clone()]);
                    title = Some((norm, sp));
                    i = close + 1;
                    continue;
                }
            }
        }
        break;
    }
    let stop = toks.get(i).map_or(wend, |t| t.span.start);

    // A body named before the trigger: "General Assembly resolution 73/187".
    let back_from = prose.floor_char_boundary(start.saturating_sub(200));
    // What reads `back` below looks at most `names.longest + 1` tokens from its end (a name
    // before the trigger, « its »/"sa", « En 2001, dans sa »), most readings two or three
    // ([`behind_need`]), but for the walk back to a subject earlier in the sentence, which
    // tokenises the whole window first.
    let back_whole = *behind_whole
        .get_or_insert_with(|| tokenize_behind_reading(prose, back_from, start, names, behind));
    // `back` is whole or its tail that the readings of it need: what they read is not noted.
    let back_read = Cell::new(0);
    let mut back = &behind[..];
    let mut bi = back.len();
    if back.last().is_some_and(|t| t.any(PRONOUN_BEFORE)) {
        bi -= 1;
    }
    if body.is_none() {
        if let Some((ids, short, sp)) = names.before(Toks::new(back, true, &back_read), bi) {
            body = Some((ids, short, sp));
        }
    }
    let mut source = BodySource::Named;
    // Possessive: « Dans sa résolution X, l'Assemblée générale », "In its resolution X, the GA".
    let possessive = glued_sa
        || back.last().is_some_and(|t| t.any(&["sa", "ses", "its"]))
        || adopted_clause
            && (0..i).any(|k| toks.at(k).any(&["qu", "that", "which"]))
            && (0..i).any(|k| toks.at(k).any(&["elle", "il", "it"]));
    if body.is_none() && possessive {
        source = BodySource::Subject;
        // subject after a comma, before the end of the sentence
        let mut k = i;
        let lim = i + 40;
        while let Some(t) = (k < lim).then(|| toks.get(k)).flatten() {
            if t.punct('.') || t.punct(';') {
                break;
            }
            if t.punct(',') {
                if let Some((ids, short, used)) = subject_at(names, toks, k + 1) {
                    let s = k + 1 + used.0;
                    body = Some((
                        ids,
                        short,
                        toks.at(s).span.start..toks.at(s + used.1 - 1).span.end,
                    ));
                    break;
                }
                if names_other_body(prose, toks, k + 1) {
                    other_body = true;
                    break;
                }
            }
            k += 1;
        }
        // subject earlier in the sentence: « La Commission, dans sa résolution 22/8, a … »
        if body.is_none() {
            if !back_whole {
                tokenize_into(prose, back_from, start, behind);
                *behind_whole = Some(true);
                back = &behind[..];
            }
            let mut k = back.len();
            while k > 0 {
                k -= 1;
                let t = &back[k];
                if t.punct('.') || t.punct(';') {
                    break;
                }
                if let Some((ids, short, used)) =
                    names.match_at(Toks::new(back, true, &back_read), k)
                {
                    let prev_ok = k == 0
                        || back[k - 1].any(&["l", "la", "le", "the", "i"])
                        || back[k - 1].punct('\'')
                        || back[k - 1].punct('.');
                    if prev_ok {
                        source = BodySource::SubjectBefore;
                        body = Some((ids, short, back[k].span.start..back[k + used - 1].span.end));
                        break;
                    }
                }
            }
        }
    }
    // « En 2001, dans sa résolution 20/7 », "In 2013, in its resolution 22/8"
    if year.is_none() {
        let mut k = back.len();
        if k > 0 && back[k - 1].any(DETERMINER_BEFORE) {
            k -= 1;
        }
        if glued_sa && k > 0 && back[k - 1].any(&["dans", "in", "par", "by"]) {
            // « dans sarésolution »: the possessive is glued to the trigger
        }
        if k > 0 && back[k - 1].any(PREPOSITION_BEFORE) {
            k -= 1;
            if k > 0 && back[k - 1].punct(',') {
                k -= 1;
                if k >= 2 && back[k - 1].year().is_some() {
                    let y = &back[k - 1];
                    let mut p = k - 2;
                    if month(&back[p]).is_some() && p > 0 {
                        p -= 1;
                    }
                    if back[p].any(&["en", "in"]) {
                        year = Some(StatedYear {
                            year: y.year().unwrap(),
                            span: y.span.clone(),
                            source: YearSource::Before,
                        });
                    }
                }
            }
        }
    }
    if year.is_none() {
        if let Some(d) = &date {
            year = Some(StatedYear {
                year: d.year,
                span: d.span.clone(),
                source: YearSource::Date,
            });
        }
    }
    for (n, sp) in numbers.drain(..) {
        refs.resolutions.push(ResolutionRef {
            kind,
            number: n,
            span: sp,
            trigger: start..e,
            body: body.as_ref().map(|(ids, short, bsp)| BodyRef {
                id: ids.first.to_string(),
                candidates: if *short {
                    ids.to_strings()
                } else {
                    vec![ids.first.to_string()]
                },
                source,
                inferred: false,
                alternatives: Vec::new(),
                span: Some(bsp.clone()),
            }),
            year: year.clone(),
            date: date.clone(),
            title: title.clone(),
            other_body,
        });
    }
    stop
}

/// Whether `toks[i..]` is an article or « de la » followed by a capitalised word that is not a
/// known body (« de la Conférence des Parties », ", the Conference of the States Parties").
fn names_other_body(prose: &str, toks: Toks<'_, '_>, i: usize) -> bool {
    let mut j = i;
    while j - i < 3
        && toks
            .get(j)
            .is_some_and(|t| t.any(CONNECTORS) || t.punct('\'') || t.is_one())
    {
        j += 1;
    }
    if j == i {
        return false;
    }
    let Some(t) = toks.get(j) else { return false };
    t.kind == TokKind::Word
        && t.folded_len() > 2
        && prose[t.span.clone()]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
        && !prose[t.span.clone()].chars().all(|c| c.is_uppercase())
}

/// A subject at `toks[i..]`: optional article then a body name. Returns ids, short, and
/// (offset of the name, tokens of the name).
fn subject_at<'n>(
    names: &'n BodyNames,
    toks: Toks<'_, '_>,
    i: usize,
) -> Option<(BodyIds<'n>, bool, (usize, usize))> {
    let mut j = i;
    while j - i < 3
        && toks
            .get(j)
            .is_some_and(|t| t.any(&["l", "la", "le", "the", "i"]) || t.punct('\'') || t.is_one())
    {
        j += 1;
    }
    if j == i {
        return None;
    }
    let (ids, short, used) = names.match_at(toks, j)?;
    Some((ids, short, (j - i, used)))
}

/// A title reduced to its letters, folded, for comparison.
pub fn normalize_title(s: &str) -> String {
    let f = fold(s);
    let mut out = String::new();
    for w in f.split(|c: char| !c.is_alphanumeric()) {
        if w.len() < 2 {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Resolves short body names (« la Commission ») to the body the document names in full,
/// nearest first; applies the configured default body to references without one.
fn resolve_short_bodies(res: &mut [ResolutionRef], cfg: &ReferencesConfig) {
    let full: Vec<(usize, String)> = res
        .iter()
        .filter_map(|r| {
            r.body
                .as_ref()
                .filter(|b| b.is_definite())
                .map(|b| (r.span.start, b.id.clone()))
        })
        .collect();
    // Where each body is named in full, in text order (`res` is sorted), so that the nearest
    // one to a citation is found by binary search, not by a scan of every citation per citation.
    let mut by_body: rustc_hash::FxHashMap<&str, Vec<(usize, usize)>> = Default::default();
    for (i, (p, id)) in full.iter().enumerate() {
        by_body.entry(id.as_str()).or_default().push((*p, i));
    }
    for r in res.iter_mut() {
        if let Some(b) = &mut r.body {
            if b.candidates.len() > 1 {
                // « le Conseil » with 2016/241 can only be a year-numbering council
                let shaped: Vec<String> = b
                    .candidates
                    .iter()
                    .filter(|id| {
                        cfg.body(id)
                            .is_some_and(|x| x.numbering == r.number.numbering())
                    })
                    .cloned()
                    .collect();
                if shaped.len() == 1 {
                    b.id = shaped[0].clone();
                    b.candidates = shaped;
                    continue;
                }
                if !shaped.is_empty() {
                    b.candidates = shaped;
                    b.id = b.candidates[0].clone();
                }
                let pos = r.span.start;
                // The nearest full naming before the citation, else the nearest after; on a
                // tie, the first in `full` (what `min_by_key` over `full` picks).
                let key = |&(p, i): &(usize, usize)| (p > pos, p.abs_diff(pos), i);
                let mut cands: Vec<&String> = b.candidates.iter().collect();
                cands.sort();
                cands.dedup();
                let pick = cands
                    .into_iter()
                    .filter_map(|id| by_body.get(id.as_str()))
                    .flat_map(|v| {
                        let k = v.partition_point(|&(p, _)| p <= pos);
                        // The last at or before `pos`, and the first after it.
                        [k.checked_sub(1).map(|k| v[k]), v.get(k).copied()]
                    })
                    .flatten()
                    .min_by_key(key)
                    .map(|(_, i)| &full[i]);
                if let Some((_, id)) = pick {
                    b.alternatives = std::mem::take(&mut b.candidates);
                    b.id = id.clone();
                    b.candidates = vec![id.clone()];
                    b.inferred = true;
                }
            }
        } else if let Some(d) = &cfg.default_body {
            if cfg.body(d).is_some() {
                r.body = Some(BodyRef {
                    id: d.clone(),
                    candidates: vec![d.clone()],
                    source: BodySource::Default,
                    inferred: false,
                    alternatives: Vec::new(),
                    span: None,
                });
            }
        }
    }
}

/// Roman numeral value (I..XXXIX): upper case, the letters I, V, X and L only, canonical form.
fn roman(s: &str) -> Option<u32> {
    if s.len() > 7 || !s.bytes().all(|b| matches!(b, b'I' | b'V' | b'X' | b'L')) {
        return None;
    }
    crate::text::roman_value(s)
}

/// Words after a paragraph or section number that make it a part of another text.
const EXTERNAL_AFTER: &[&str] = &["de", "du", "des", "d", "of", "in", "to", "from"];
const PRESENT: &[&str] = &["present", "presente", "this", "cette", "ce"];
/// Words before a cross-reference that make it internal.
const INTERNAL_BEFORE: &[&str] = &[
    "voir", "cf", "see", "au", "aux", "le", "les", "la", "du", "des", "dans", "in", "under", "to",
    "en", "et", "and", "with", "sous",
];

fn scan_cross_ref<'a>(
    doc: &'a Document,
    start: usize,
    end: usize,
    target: CrossTarget,
    refs: &mut References,
    windows: &mut WindowTokens<'a>,
) {
    let prose = doc.prose.as_str();
    let b = prose.as_bytes();
    // word boundary before
    if start > 0
        && prose[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric())
    {
        return;
    }
    let mut e = end;
    if !prose[start..end].ends_with('.') {
        if e < b.len() && (b[e] == b's' || b[e] == b'S') {
            e += 1;
        }
        if e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] >= 0x80) {
            return;
        }
    }
    let wend = prose.ceil_char_boundary(e + 120);
    // The numbers below start at the first token: a number for a paragraph, a Roman numeral
    // (only `I`, `V`, `X`, `L`) for a section; any other first character finds none and
    // returns, so it returns here, before the window is tokenised (the tokenizer skips the
    // same white space).
    let first = prose[e..wend].chars().find(|c| !c.is_whitespace());
    let may_number = first.is_some_and(|c| match target {
        CrossTarget::Paragraph => c.is_ascii_digit(),
        CrossTarget::Section => matches!(c, 'I' | 'V' | 'X' | 'L'),
    });
    if !may_number {
        return;
    }
    tokenize_into(prose, e, wend, &mut windows.ahead);
    let toks = &windows.ahead[..];
    let mut i = 0;
    let numbers = &mut windows.cross_numbers;
    numbers.clear();
    while let Some(t) = toks.get(i) {
        let n = match target {
            CrossTarget::Paragraph if t.kind == TokKind::Num && t.raw.len() <= 3 => {
                // not « 1 817 », not a decimal, not a symbol part
                if toks.get(i + 1).is_some_and(|u| {
                    (u.kind == TokKind::Num && u.raw.len() == 3)
                        || ((u.punct('/') || u.punct(',') || u.punct('.'))
                            && u.span.start == t.span.end
                            && toks.get(i + 2).is_some_and(|v| {
                                v.kind == TokKind::Num && v.span.start == u.span.end
                            }))
                }) {
                    return;
                }
                t.raw.parse::<u32>().ok()
            }
            CrossTarget::Section if t.kind == TokKind::Word => roman(&prose[t.span.clone()]),
            _ => None,
        };
        let Some(n) = n else { break };
        numbers.push((n, t.span.clone()));
        i += 1;
        // section II.B, paragraph 12 a)
        let mut j = i;
        if toks.get(j).is_some_and(|t| t.punct(',')) {
            j += 1;
        }
        if toks
            .get(j)
            .is_some_and(|t| t.any(&["et", "and", "a", "to"]) || t.punct('-'))
        {
            j += 1;
            if toks.get(j).is_some_and(|t| {
                (target == CrossTarget::Paragraph && t.kind == TokKind::Num)
                    || (target == CrossTarget::Section
                        && t.kind == TokKind::Word
                        && roman(&prose[t.span.clone()]).is_some())
            }) {
                i = j;
                continue;
            }
        }
        break;
    }
    if numbers.is_empty() {
        return;
    }
    // What follows the numbers: a qualifier (external) and/or a direction.
    let mut k = i;
    // skip sub-labels: « par. 12 a) », "section II.B"
    while toks.get(k).is_some_and(|t| {
        t.punct('.')
            || t.punct(')')
            || t.kind == TokKind::Word
                && t.folded_len() == 1
                && t.span.start == toks[k - 1].span.end
    }) && k < i + 3
    {
        k += 1;
    }
    let mut direction = None;
    let mut external = false;
    if toks.get(k).is_some_and(|t| t.any(EXTERNAL_AFTER)) {
        // « de la présente note », "of the present report" stay internal
        let present = toks[k + 1..(k + 4).min(toks.len())]
            .iter()
            .any(|t| t.any(PRESENT));
        if present {
            while toks
                .get(k)
                .is_some_and(|t| !t.punct(',') && !t.any(&["ci", "above", "below"]))
                && k < i + 6
            {
                k += 1;
            }
        } else {
            external = true;
        }
    }
    if toks.get(k).is_some_and(|t| t.punct('(')) {
        // « par. 4 (E/CN.15/…) »
        external = true;
    }
    let dir_tok = toks.get(k);
    if let Some(t) = dir_tok {
        if t.is("ci") {
            if let Some(u) = toks
                .get(k + 2)
                .filter(|_| toks.get(k + 1).is_some_and(|p| p.punct('-')))
            {
                if u.is("dessus") {
                    direction = Some((Direction::Above, t.span.start..u.span.end));
                } else if u.any(&["dessous", "apres"]) {
                    direction = Some((Direction::Below, t.span.start..u.span.end));
                }
            }
        } else if t.any(&["above", "supra"]) {
            direction = Some((Direction::Above, t.span.clone()));
        } else if t.any(&["below", "infra"]) {
            direction = Some((Direction::Below, t.span.clone()));
        } else if t.is("plus") {
            if let Some(u) = toks.get(k + 1) {
                if u.is("haut") {
                    direction = Some((Direction::Above, t.span.start..u.span.end));
                } else if u.is("loin") {
                    direction = Some((Direction::Below, t.span.start..u.span.end));
                }
            }
        }
    }
    if external {
        return;
    }
    // What precedes: a symbol, a closing parenthesis, « article 18, », « Ibid. » → external.
    tokenize_into(
        prose,
        prose.floor_char_boundary(start.saturating_sub(60)),
        start,
        &mut windows.behind,
    );
    let back = &windows.behind[..];
    let prev = back.last();
    let prev_ok = match prev {
        None => true,
        Some(t) => {
            t.any(INTERNAL_BEFORE)
                || t.punct('(')
                || (t.punct('\'') && back.len() >= 2 && back[back.len() - 2].any(&["l", "d"]))
        }
    };
    let in_footnote = doc
        .footnotes
        .iter()
        .any(|f| f.span.start <= start && start < f.span.end);
    // A bare « par. N » needs « voir »/« see » before it or a direction after it.
    if !prev_ok && direction.is_none() {
        return;
    }
    if let Some(t) = prev {
        if t.punct(',') || t.punct(')') {
            return;
        }
    }
    let last_end = numbers.last().map_or(e, |(_, s)| s.end);
    for (n, sp) in numbers.drain(..) {
        refs.cross_refs.push(CrossRef {
            target,
            number: n,
            span: sp,
            full_span: start..direction.as_ref().map_or(last_end, |(_, s)| s.end),
            direction: direction.clone(),
            in_footnote,
        });
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn section_numerals_are_short_canonical_upper_case() {
        // Numerals of up to 7 letters: LXXXVIII (88) is longer, and not a section number.
        for n in 1..=89 {
            let numeral = crate::text::to_roman(n);
            let want = (numeral.len() <= 7).then_some(n);
            assert_eq!(super::roman(&numeral), want, "{numeral}");
        }
        for s in ["", "IIII", "VV", "IL", "XXXXX", "iv", "C", "MCM"] {
            assert_eq!(super::roman(s), None, "{s}");
        }
    }

    use super::*;

    thread_local! {
        /// Set: the tokens before a resolution trigger are made as before the tiny first
        /// step of [`tokenize_behind_reading`], the oracle it is compared with.
        pub(super) static WHOLE_BEHIND: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    #[test]
    fn the_few_tokens_behind_read_as_the_whole_window() {
        let mut texts = crate::test_support::seed_texts();
        let before = [
            "",
            "x",
            "En 2001, dans sa ",
            "En mai 2001, dans sa ",
            "en 2001 dans sa ",
            "Rappelant, 2001, dans la ",
            "L’Assemblée générale, dans sa ",
            "General Assembly ",
            "the General Assembly, in its ",
            "Conseil de sécurité de l'Organisation des Nations Unies ",
            "la Commission pour la prévention du crime et la justice pénale, dans sa ",
            "La Commission, à sa session, dans sa ",
            "de la ",
            "selon la ",
            "by ",
            "In 2013, in its ",
            "I’Assemblée ",
            "le Conseil ",
            ", dans ",
            "de l ’ Assemblée générale et de la ",
        ];
        let after = [
            "",
            ", l’Assemblée générale a prié",
            " du 21 décembre 2010.",
            ", adoptée en 2009, le Conseil",
            ", the Economic and Social Council",
        ];
        for b in before {
            for t in [
                "résolution 65/230",
                "decision 2016/241",
                "résolutions 22/7 et 22/8",
            ] {
                for a in after {
                    texts.push(format!("Texte. {b}{t}{a} fin."));
                    texts.push(format!("{b}{t}{a}"));
                }
            }
        }
        let c = cfg();
        for text in &texts {
            let doc = crate::document::parse(text.clone());
            let lazy = format!("{:?}", extract(&doc, &c.references));
            WHOLE_BEHIND.set(true);
            let whole = format!("{:?}", extract(&doc, &c.references));
            WHOLE_BEHIND.set(false);
            assert_eq!(lazy, whole, "{text}");
        }
    }

    #[test]
    fn the_chunked_scan_finds_what_whole_text_searches_find() {
        // Every trigger in both ASCII cases, and years and slashes, across many chunk ends.
        let pieces = [
            "RÉSOLUTION 1/2 ",
            "Résolution ",
            "rEsOlUtIoN ",
            "DÉCISION ",
            "Decision ",
            "PARAGRAPHE 3 ",
            "Par. 4 ",
            "PARAS. ",
            "Section II ",
            "A/RES/65/230 ",
            "2019 ",
            "12019 ",
            "1999 ",
            "2101 ",
            "é ",
            "texte quelconque ",
            // Anchors without their trigger, and triggers cut short.
            "résoudre la solution ",
            "RÉSOLUT ",
            "olution ",
            "Précision décisif ",
            "secteur sect ",
            "préparation parallèle PARAGRAPH ",
            "ParAs. para par paRa. ",
            "paragraphE ",
        ];
        let mut text = crate::test_support::seed_texts().concat();
        let mut seed = 5u32;
        while text.len() < 5 * TRIGGER_CHUNK {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            text.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
        }
        let all = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(TRIGGERS.iter().map(|(p, _)| *p))
            .unwrap();
        for len in [0, 1, 100, TRIGGER_CHUNK - 3, TRIGGER_CHUNK + 5, text.len()] {
            let len = text.floor_char_boundary(len);
            let prose = &text[..len];
            let want: Vec<_> = all
                .find_iter(prose)
                .map(|m| (m.start(), m.end(), TRIGGERS[m.pattern().as_usize()].1))
                .collect();
            let resolution_words = want
                .iter()
                .filter(|w| matches!(w.2, Trigger::Resolution | Trigger::Decision))
                .count();
            let (got, latest, resolutions) = triggers(prose);
            assert!(got.eq(want), "{len}");
            assert_eq!(resolutions, resolution_words, "{len}");
            assert_eq!(
                latest_year_after(prose.as_bytes(), latest),
                latest_year_in(prose)
            );
            let twos = memchr::memchr_iter(b'2', prose.as_bytes());
            assert_eq!(latest, latest_year_of(prose.as_bytes(), twos), "{len}");
        }
    }

    #[test]
    fn every_word_trigger_holds_one_anchor_and_starts_inside_none() {
        let words: Vec<&str> = TRIGGERS[..TRIGGERS.len() - 1].iter().map(|t| t.0).collect();
        for w in &words {
            let held = ANCHORS.iter().filter(|a| w.contains(*a)).count();
            assert_eq!(held, 1, "{w}");
            assert!(w.bytes().all(|b| !b.is_ascii_uppercase()), "{w}");
        }
        for a in ANCHORS {
            assert_eq!(a.len(), ANCHOR_LEN, "{a}");
        }
        // No trigger starts inside another (both ASCII lower case): where `w` is written, no
        // other trigger can be written from one of its later bytes. The scan relies on it to
        // take the triggers in the order of their anchors, and every one it verifies.
        for w in &words {
            for v in &words {
                for d in 1..w.len() {
                    let (tail, head) = (&w.as_bytes()[d..], v.as_bytes());
                    let n = tail.len().min(head.len());
                    assert_ne!(tail[..n], head[..n], "{v} inside {w} at {d}");
                }
            }
        }
        assert_eq!(ANCHORED.iter().map(Vec::len).sum::<usize>(), words.len());
    }

    #[test]
    fn teddy_finds_the_anchors_the_automaton_finds() {
        let teddy = &*ANCHOR_SEARCH;
        assert!(matches!(teddy, AnchorSearch::Teddy { .. }) || !cfg!(target_arch = "x86_64"));
        let automaton = AnchorSearch::automaton();
        let mut texts = crate::test_support::seed_texts();
        texts.push("OLUT oLuT CiSi PAR. Par. pArA SECT sect. x".repeat(3));
        for text in &texts {
            let b = text.as_bytes();
            for (from, to) in [(0, b.len()), (1, b.len().saturating_sub(2)), (7, 12)] {
                if from > to || to > b.len() {
                    continue;
                }
                let all = |s: &AnchorSearch| {
                    let mut at = from;
                    std::iter::from_fn(move || {
                        let (found, a) = s.find(b, at, to)?;
                        at = found + 1;
                        Some((found, a))
                    })
                    .collect::<Vec<_>>()
                };
                assert_eq!(all(teddy), all(&automaton));
            }
        }
    }

    fn cfg() -> crate::config::Config {
        crate::config::Config::embedded().unwrap()
    }

    fn refs_of(text: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let doc = crate::document::parse(text.to_string());
        let c = cfg();
        let r = extract(&doc, &c.references);
        let res = r
            .resolutions
            .iter()
            .map(|r| {
                let mut s = format!("{} {}", r.kind.word(), r.number.text());
                if let Some(b) = &r.body {
                    s.push_str(&format!(" @{}", b.candidates.join("|")));
                }
                if let Some(y) = &r.year {
                    s.push_str(&format!(" y{}", y.year));
                }
                if let Some(d) = &r.date {
                    s.push_str(&format!(" d{}-{:02}-{:02}", d.year, d.month, d.day));
                }
                if let Some((t, _)) = &r.title {
                    s.push_str(&format!(" t[{t}]"));
                }
                s
            })
            .collect();
        let syms = r
            .symbols
            .iter()
            .map(|s| format!("{}|{}", s.series(), s.parts()))
            .collect();
        let xs = r
            .cross_refs
            .iter()
            .map(|x| {
                format!(
                    "{:?} {}{}",
                    x.target,
                    x.number,
                    match x.direction {
                        Some((Direction::Above, _)) => " above",
                        Some((Direction::Below, _)) => " below",
                        None => "",
                    }
                )
            })
            .collect();
        (res, syms, xs)
    }

    #[test]
    fn resolution_table() {
        let table: &[(&str, &[&str])] = &[
            ("Dans sa résolution 65/230, l'Assemblée générale a prié", &["resolution 65/230 @ga"]),
            ("la résolution 73/187 de l'Assemblée générale du 17 décembre 2018, intitulée « Lutte contre l'utilisation »", &["resolution 73/187 @ga y2018 d2018-12-17 t[lutte contre utilisation]"]),
            ("En 2001, dans sa résolution 20/7, la Commission pour la prévention du crime et la justice pénale a prié", &["resolution 20/7 @ccpcj y2001"]),
            ("En outre, en 2013, dans sa résolution 22/8, la Commission pour la prévention du crime et la justice pénale", &["resolution 22/8 @ccpcj y2013"]),
            ("Dans sa résolution 64/179, adoptée en 2009, 1’Assemblée générale a appelé", &["resolution 64/179 @ga y2009"]),
            ("des résolutions 22/7 et 22/8 de la Commission pour la prévention du crime et la justice pénale", &["resolution 22/7 @ccpcj", "resolution 22/8 @ccpcj"]),
            ("Dans sa décision 2016/241, le Conseil économique et social a décidé", &["decision 2016/241 @ecosoc"]),
            ("en application de la décision 18/1 de la Commission.", &["decision 18/1 @ccpcj|cnd|csw"]),
            ("Voir aussi la résolution 2341 (2017) du Conseil de sécurité sur les menaces", &["resolution 2341 (2017) @sc"]),
            ("General Assembly resolution 73/187 of 17 December 2018", &["resolution 73/187 @ga y2018 d2018-12-17"]),
            ("In its resolution 22/7, the Commission on Crime Prevention and Criminal Justice noted", &["resolution 22/7 @ccpcj"]),
            ("In 2013, in its resolution 22/8, the Commission on Crime Prevention and Criminal Justice", &["resolution 22/8 @ccpcj y2013"]),
            ("Security Council resolution 2341(2017) on threats", &["resolution 2341 (2017) @sc"]),
            ("Dans sa résolution [65/230](#), l'Assemblée générale a prié", &["resolution 65/230 @ga"]),
            ("la résolution 65/230\nde l'Assemblée générale", &["resolution 65/230 @ga"]),
            ("Dans sarésolution 74/173, 1’ Assemblée générale a réaffirmé", &["resolution 74/173 @ga"]),
            ("Dans sa résolution 26/4, adoptée à sa vingt-sixième session en mai 2017, la Commission a prié", &["resolution 26/4 @ccpcj|cnd|csw y2017"]),
            ("Dans la résolution 26/4 qu’elle a adoptée à sa vingt-sixième session, le 26 mai 2017, la Commission pour la prévention du crime et la justice pénale a prié", &["resolution 26/4 @ccpcj y2017 d2017-05-26"]),
            ("Dans sa résolution 22/7 du 26 avril 2013, la Commission pour la prévention du crime et la justice pénale a pris note", &["resolution 22/7 @ccpcj y2013 d2013-04-26"]),
            ("conformément à la résolution 73/187.", &["resolution 73/187"]),
            ("resolutions 73/187, 74/173 and 74/247 of the General Assembly", &["resolution 73/187 @ga", "resolution 74/173 @ga", "resolution 74/247 @ga"]),
            ("Human Rights Council resolution 40/1", &["resolution 40/1 @hrc"]),
            ("la résolution 62/10 de la Commission des stupéfiants", &["resolution 62/10 @cnd"]),
            ("Cette décision peut faire intervenir des autorités", &[]),
            ("le processus décisionnel de 2018", &[]),
            ("les résolutions adoptées en 2018-2021", &[]),
            ("la résolution n° 65/230", &["resolution 65/230"]),
            ("la résolution 65/230 du 21 décembre 2010", &["resolution 65/230 y2010 d2010-12-21"]),
            ("la résolution 12/04/2019", &[]),
            ("resolution 1325 (2000) of the Security Council", &["resolution 1325 (2000) @sc"]),
        ];
        let mut bad = Vec::new();
        for (input, want) in table {
            let (got, _, _) = refs_of(input);
            if &got != want {
                bad.push(format!("{input}\n  got  {got:?}\n  want {want:?}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn symbol_table() {
        let table: &[(&str, &[&str])] = &[
            ("(E/CN.15/2011/19, annexes I et II)", &["E/CN.15|2011/19"]),
            (
                "(UNODC/CCPCIJ/EG.4/\n2017/INF/1).",
                &["UNODC/CCPCIJ/EG.4|2017/INF/1"],
            ),
            (
                "(UNODC/CCPCJ/EG.4/2017/1/Rev.1);",
                &["UNODC/CCPCJ/EG.4|2017/1/Rev.1"],
            ),
            (
                "(voir  E/CN.7/2016/CRP.1-\n\nE/CN.15/2016/CRP.1, par. 4)",
                &["E/CN.7|2016/CRP.1", "E/CN.15|2016/CRP.1"],
            ),
            ("(A/CONF.222/12), par. 32.", &["A/CONF.222|12"]),
            (
                "Security Council S/RES/2341(2017) text",
                &["S/RES|2341(2017)"],
            ),
            ("rapport (A/74/130) exposant", &["A|74/130"]),
            ("(A/CONF.222/L.1)", &["A/CONF.222|L.1"]),
            ("la note A/HRC/27/37.", &["A/HRC|27/37"]),
            ("CTOC/COP/WG.3/2017/2", &["CTOC/COP/WG.3|2017/2"]),
            (
                "la résolution 65/230 et le TCP/IP et km/h, le 12/04/2019",
                &[],
            ),
            ("numéro de vente : F.10.IV.6, p. 204", &[]),
            ("voir http://www.unodc.org/documents/A/2019/1 ici", &[]),
            ("ISO/IEC 27001 et N/A", &[]),
        ];
        for (input, want) in table {
            let (_, got, _) = refs_of(input);
            assert_eq!(&got, want, "input: {input}");
        }
    }

    #[test]
    fn cross_ref_table() {
        let table: &[(&str, &[&str])] = &[
            ("(comme convenu, voir par. 2) et", &["Paragraph 2"]),
            (
                "dans la section III\nci-dessous, d'un examen",
                &["Section 3 below"],
            ),
            ("au paragraphe 15 ci-dessus", &["Paragraph 15 above"]),
            ("see para. 12 above", &["Paragraph 12 above"]),
            ("as discussed in section IV below", &["Section 4 below"]),
            (
                "aux paragraphes 12 à 15 ci-dessus",
                &["Paragraph 12 above", "Paragraph 15 above"],
            ),
            (
                "conformément au paragraphe 42 de la Déclaration de Salvador",
                &[],
            ),
            (
                "conformément au paragraphe 3 de l'article 18 de la Convention",
                &[],
            ),
            ("(A/CONF.222/12), par. 32.", &[]),
            ("E/CN.15/2016/CRP.1, par. 4).", &[]),
            ("le présent paragraphe contient", &[]),
            ("au paragraphe 15 de la présente note", &["Paragraph 15"]),
            ("paragraph 3 of article 18", &[]),
            ("1 817 praticiens au paragraphe", &[]),
        ];
        for (input, want) in table {
            let (_, _, got) = refs_of(input);
            assert_eq!(&got, want, "input: {input}");
        }
    }

    #[test]
    fn swar_letters_match_the_byte_test() {
        // Every byte value at every position of a word, the rest letters or not.
        for fill in [b'a', b'Z', b' ', 0xC3] {
            for pos in 0..8 {
                for b in 0..=255u8 {
                    let mut bytes = [fill; 8];
                    bytes[pos] = b;
                    let got = crate::text::ascii_letter_bits(u64::from_le_bytes(bytes));
                    for (k, &x) in bytes.iter().enumerate() {
                        let bit = got >> (8 * k + 7) & 1 == 1;
                        assert_eq!(bit, x.is_ascii_alphabetic(), "byte {x:#x} at {k}");
                    }
                }
            }
        }
        let text = b"resolution A/RES/74/174 ab\xc3\xa9 Quelque chose";
        for from in 0..text.len() {
            for to in from..=text.len() {
                let mut e = from;
                while e < to && text[e].is_ascii_alphabetic() {
                    e += 1;
                }
                assert_eq!(ascii_letters_end(text, from, to), e, "{from}..{to}");
            }
        }
    }

    #[test]
    fn tokens_behind_are_the_tail_of_the_window() {
        let text = "En 2001,\tdans  sa l’Assemblée\u{a0}générale « (E/CN.15/2011/19) » a prié \
                    la Commission pour la prévention du crime et la justice pénale, dans sa ";
        let key = |t: &Tok| (t.span.clone(), t.kind);
        for from in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let whole: Vec<_> = tokenize(text, from, text.len()).iter().map(key).collect();
            for need in [0, 1, 5, 11, 40] {
                let mut out = Vec::new();
                let all = tokenize_behind(text, from, text.len(), need, &mut out);
                let got: Vec<_> = out.iter().map(key).collect();
                assert!(whole.ends_with(&got), "from {from}, need {need}");
                assert!(!all || got == whole, "from {from}, need {need}");
                assert!(all || got.len() >= need, "from {from}, need {need}");
            }
        }
    }

    #[test]
    fn tokens_made_in_two_goes_are_the_whole_window() {
        let text = "Dans sa résolution 65/230\tdu 21 décembre 2010, intitulée « Douzième \
                    Congrès », l’Assemblée\u{a0}générale (E/CN.15/2011/19) a prié la Commission";
        let key = |t: &Tok| (t.span.clone(), t.kind);
        for from in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let whole: Vec<_> = tokenize(text, from, text.len()).iter().map(key).collect();
            for max in [0, 1, 2, 5, 24, 100] {
                let mut out = Vec::new();
                let next = tokenize_until(text, from, text.len(), max, &mut out);
                assert!(
                    next.is_some() || out.len() == whole.len(),
                    "from {from}, max {max}"
                );
                if let Some(at) = next {
                    assert_eq!(out.len(), max, "from {from}, max {max}");
                    tokenize_until(text, at, text.len(), usize::MAX, &mut out);
                }
                let got: Vec<_> = out.iter().map(key).collect();
                assert_eq!(got, whole, "from {from}, max {max}");
            }
        }
    }

    #[test]
    fn latin1_lead_byte_answers_as_the_character_tests() {
        // The tokenizer and `word_end` take a character with lead byte C3 as a letter unless
        // its second byte is 97 or B7, without decoding it.
        for c in '\u{c0}'..='\u{ff}' {
            let mut b = [0; 4];
            let second = c.encode_utf8(&mut b).as_bytes()[1];
            assert_eq!(is_alphabetic(c), !matches!(second, 0x97 | 0xB7), "{c}");
            assert!(!c.is_whitespace() && !matches!(c, '«' | '»'), "{c}");
        }
        // `word_end` ends a word at a character of lead bytes E2 80 without decoding it.
        for c in '\u{2000}'..='\u{203f}' {
            let mut b = [0; 4];
            assert_eq!(c.encode_utf8(&mut b).as_bytes()[..2], [0xE2, 0x80], "{c}");
            assert!(!is_alphabetic(c), "{c}");
        }
    }

    #[test]
    fn words_fold_on_the_stack_as_fold_does() {
        // A character's lower case is at most 1.5 times as long: a word of `FOLD_SHORT`
        // bytes folds within `FOLD_ROOM`.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let lower: usize = c.to_lowercase().map(char::len_utf8).sum();
            assert!(2 * lower <= 3 * c.len_utf8(), "{c:?}");
        }
        let mut texts = crate::test_support::seed_texts();
        texts.push("İİİİİİİİİİİİİİİİ ȺȺȺȺȺȺȺȺȺȺȺȺȺȺȺȺ ŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒ Æ ß".to_string());
        for text in &texts {
            for t in tokenize(text, 0, text.len()) {
                assert_eq!(t.ascii, t.raw.is_ascii(), "{}", t.raw);
                if t.kind == TokKind::Word {
                    let f = fold(t.raw);
                    assert!(t.with_folded(|w| w == f), "{}", t.raw);
                    assert!(t.folds_to(&f) && t.any(&["", f.as_str()]), "{}", t.raw);
                    assert_eq!(t.folded_len(), f.len(), "{}", t.raw);
                    let mut shorter = f.clone();
                    shorter.pop();
                    for w in [shorter, format!("{f}s"), "decembre".into(), "i".into()] {
                        assert_eq!(t.folds_to(&w), f == w, "{} {w}", t.raw);
                    }
                }
            }
        }
    }

    #[test]
    fn session_years() {
        let c = cfg();
        let ga = c.references.body("ga").unwrap();
        assert_eq!(ga.session_years(73), Some(2018..=2019));
        assert_eq!(ga.session_years(65), Some(2010..=2011));
        let cc = c.references.body("ccpcj").unwrap();
        assert_eq!(cc.session_years(20), Some(2011..=2011));
        assert_eq!(cc.session_years(22), Some(2013..=2013));
        let hrc = c.references.body("hrc").unwrap();
        assert_eq!(hrc.session_years(40), Some(2019..=2019));
        assert_eq!(hrc.session_years(43), Some(2020..=2020));
    }

    /// Every string of up to `max_len` letters of `abc`.
    fn all_strings(max_len: usize) -> Vec<Vec<u8>> {
        let mut all = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..max_len {
            last = last
                .iter()
                .flat_map(|s: &Vec<u8>| {
                    b"abc".iter().map(move |&c| {
                        let mut t = s.clone();
                        t.push(c);
                        t
                    })
                })
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn osa_distance_without_common_affixes_is_the_full_tables() {
        let all = all_strings(5);
        for a in &all {
            for b in &all {
                let m = b.len() + 1;
                let full = osa_rows(
                    a,
                    b,
                    &mut vec![0; m],
                    &mut vec![0; m],
                    &mut vec![0; m],
                    usize::MAX - 1,
                );
                assert_eq!(osa_distance(a, b, usize::MAX - 1), full, "{a:?} {b:?}");
                // Capped: the distance when it is at most the cap, else one more than the cap.
                for cap in 0..=5 {
                    let capped =
                        osa_rows(a, b, &mut vec![0; m], &mut vec![0; m], &mut vec![0; m], cap);
                    assert_eq!(capped, full.min(cap + 1), "{a:?} {b:?} {cap}");
                    assert_eq!(
                        osa_distance(a, b, cap),
                        full.min(cap + 1),
                        "{a:?} {b:?} {cap}"
                    );
                }
            }
        }
    }

    #[test]
    fn series_and_distance() {
        assert!(series_matches("E/CN.15", "E/CN.#"));
        assert!(series_matches("ST/SGB", "ST/*"));
        assert!(!series_matches("UNODC/CCPCIJ/EG.4", "UNODC/CCPCJ/EG.#"));
        assert_eq!(edit_distance("UNODC/CCPCIJ/EG.4", "UNODC/CCPCJ/EG.4"), 1);
        assert_eq!(edit_distance("UNODC/CCPC/EG.4", "UNODC/CCPCJ/EG.4"), 1);
        assert_eq!(edit_distance("UNDOC/CCPCJ/EG.4", "UNODC/CCPCJ/EG.4"), 1);
        assert_eq!(
            undocs_symbol("http://undocs.org/fr/A/RES/65/230").as_deref(),
            Some("A/RES/65/230")
        );
        assert_eq!(
            undocs_symbol("http://undocs.org/S/RES/2341(2017)").as_deref(),
            Some("S/RES/2341(2017)")
        );
    }

    #[test]
    fn symbols_parsed() {
        let parsed = |s: &str| {
            parse_symbol(s).map(|(series, parts)| (series.to_string(), parts.replace('/', " ")))
        };
        let some = |series: &str, parts: &str| Some((series.to_string(), parts.to_string()));
        assert_eq!(parsed("A/RES/65/230"), some("A/RES", "65 230"));
        assert_eq!(
            parsed("UNODC/CCPCJ/EG.4/2017/INF/1"),
            some("UNODC/CCPCJ/EG.4", "2017 INF 1")
        );
        assert_eq!(
            parsed("E/CN.15/2018/L.1/Rev.1"),
            some("E/CN.15", "2018 L.1 Rev.1")
        );
        assert_eq!(parsed("S/RES/2341(2017)"), some("S/RES", "2341(2017)"));
        // No part, no digit in the parts, an empty part, a series that is not one.
        for not in [
            "A/RES",
            "A/RES/",
            "A/RES/INF",
            "A/RES//1",
            "A/res/65",
            "L.1/65",
            "a/65",
            "A",
        ] {
            assert_eq!(parsed(not), None, "{not}");
        }
    }

    #[test]
    fn latest_year() {
        assert_eq!(latest_year_in("en 1999 et en 2010, puis 2009"), Some(2010));
        assert_eq!(latest_year_in("en 1946, 1945 et 1999."), Some(1999));
        assert_eq!(latest_year_in("2100 et 2019"), Some(2100));
        // Runs of other lengths are no years, nor are 2101 and 1945.
        assert_eq!(latest_year_in("12019, 20190, 201, 2101 et 1945"), None);
        assert_eq!(latest_year_in("12019 et 1950"), Some(1950));
        assert_eq!(latest_year_in("2019"), Some(2019));
    }

    #[test]
    fn body_names_follow_the_bodies() {
        let mut c = cfg().references;
        let before = c.body_names().names.len();
        let extra: ReferencesConfig = toml::from_str(
            "[[bodies]]\nid = \"x\"\nname = \"X\"\nnames = [\"Conseil de l'Europe\"]\n",
        )
        .unwrap();
        c.merge(extra);
        assert_eq!(c.body_names().names.len(), before + 1);
        assert_eq!(c.clone().body_names().names.len(), before + 1);
    }
}

#[cfg(test)]
mod dump {
    /// `cargo test --lib dump_seeds -- --ignored --nocapture`: prints the extraction of the seeds.
    #[test]
    #[ignore]
    fn dump_seeds() {
        let c = crate::config::Config::embedded().unwrap();
        let mut paths: Vec<_> = std::fs::read_dir("seeds")
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).unwrap();
            let doc = crate::document::parse(text);
            let r = super::extract(&doc, &c.references);
            println!("== {}", p.display());
            for x in &r.resolutions {
                println!(
                    "  L{} {} {} body={:?} year={:?} date={:?} title={:?}",
                    doc.line_index(x.span.start) + 1,
                    x.kind.word(),
                    x.number.text(),
                    x.body.as_ref().map(|b| (b.candidates.clone(), b.source)),
                    x.year.as_ref().map(|y| (y.year, y.source)),
                    x.date.as_ref().map(|d| (d.year, d.month, d.day)),
                    x.title.as_ref().map(|t| t.0.clone())
                );
            }
            for s in &r.symbols {
                println!(
                    "  L{} sym {} [{}] {:?}",
                    doc.line_index(s.span.start) + 1,
                    s.text,
                    s.series(),
                    s.parts().split('/').collect::<Vec<_>>()
                );
            }
            for x in &r.cross_refs {
                println!(
                    "  L{} xref {:?} {} {:?} fn={}",
                    doc.line_index(x.span.start) + 1,
                    x.target,
                    x.number,
                    x.direction.as_ref().map(|d| d.0),
                    x.in_footnote
                );
            }
            for u in &r.undocs {
                println!(
                    "  L{} undocs {}",
                    doc.line_index(u.span.start) + 1,
                    u.symbol
                );
            }
            println!("  latest year {:?}", r.latest_year);
        }
    }
}
