use super::ocr::ELISIONS;
use super::Markers;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Document, Lang};
use crate::extract::words::{Token, Words};
use crate::rules::{Context, Rule};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::sync::Arc;

declare_rule! {
    /// ## What it checks
    /// Spacing defects around punctuation in French text: no space at all before « ; : ! ? »
    /// (« suivant: »), no space inside guillemets (« «Texte» »), a space before a comma or a
    /// period (« international , »), a space before or after an elision apostrophe
    /// (« d ’infractions », « l’ Assemblée »), a space inside a hyphenated word
    /// (« vingt -septième ») and a word broken by a stray space (« cybercriminali té », only
    /// when the joined word occurs elsewhere in the document). In English text only the space
    /// before a comma or period is checked.
    ///
    /// URLs, times and ratios (« 10:30 »), document symbols, decimal numbers (« 2,5 »),
    /// footnote numbers and code spans are left alone.
    ///
    /// ## Why it matters
    /// French typography puts a (non-breaking) space before double punctuation and inside
    /// guillemets and none before a comma or period; stray spaces left by conversion or OCR
    /// break words for search, spell-checking and translation memories.
    ///
    /// ## Example
    /// ```text
    /// le thème principal serait le suivant: « Mesures… »   <- space missing before `:`
    /// aux niveaux national et international , que la       <- space before `,`
    /// ```
    ///
    /// ## Configuration
    /// By default an ordinary space is accepted where a non-breaking one belongs (plain-text
    /// exports lose them). `require_nbsp = true` also reports ordinary spaces before « ; : ! ? »
    /// and inside guillemets; `nbsp = "narrow" | "regular" | "any"` (default `any`) says which
    /// non-breaking space is expected (U+202F, U+00A0, or either).
    /// ```toml
    /// [rules."typography/spacing"]
    /// require_nbsp = true
    /// nbsp = "narrow"
    /// ```
    pub struct Spacing = "typography/spacing", Severity::Warning;
}

#[derive(Debug, Default, Clone, Copy, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum NbspKind {
    Narrow,
    Regular,
    #[default]
    Any,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Opts {
    #[serde(default)]
    nbsp: NbspKind,
    #[serde(default)]
    require_nbsp: bool,
}

const NBSP: char = '\u{a0}';
const NNBSP: char = '\u{202f}';

fn is_space(c: char) -> bool {
    c == ' ' || c == NBSP || c == NNBSP || c == '\t'
}

struct Checker<'a> {
    doc: &'a Document,
    opts: Opts,
    /// Whether the text already uses no-break spaces (then a missing space is inserted as
    /// one). Only needed at a defect: looked up on first use, not for every document.
    uses_nbsp: std::cell::OnceCell<bool>,
    /// Whether the prose holds a no-break space, once the pass of [`Checker::punctuation`]
    /// has seen all of it: then only the blanked text is searched for one.
    prose_nbsp: Option<bool>,
    markers: Markers<'a>,
    /// The caller's findings, pushed to directly.
    out: &'a mut Vec<Diagnostic>,
    /// The texts of the document's findings so far, by what they were made from
    /// ([`Checker::texts`]): a report repeats a defect (« l ’étude », a « ; » without its
    /// space) dozens of times, and the two `format!`s and three allocations of its texts cost
    /// about 1 500 instructions a finding.
    texts: FxHashMap<Box<[u8]>, Texts>,
    /// The key being looked up, reused.
    key: Vec<u8>,
}

/// A finding's message, help and fix replacement, shared by the findings that say the same.
#[derive(Clone)]
struct Texts {
    message: Arc<str>,
    help: Arc<str>,
    replacement: Arc<str>,
}

/// The non-breaking space expected before `punct` (or inside guillemets).
fn expected_nbsp(kind: NbspKind, punct: char) -> char {
    match kind {
        NbspKind::Narrow => NNBSP,
        NbspKind::Regular => NBSP,
        NbspKind::Any if punct == ':' || punct == '«' || punct == '»' => NBSP,
        NbspKind::Any => NNBSP,
    }
}

fn capitalised_before(prose: &str, p: usize) -> bool {
    let w = prose[..p]
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    w.chars().next().is_some_and(char::is_uppercase)
}

fn capitalised_after(prose: &str, p: usize) -> bool {
    prose[p..]
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

fn name(c: char) -> &'static str {
    match c {
        NBSP => "a no-break space (U+00A0)",
        NNBSP => "a narrow no-break space (U+202F)",
        _ => "an ordinary space",
    }
}

impl Checker<'_> {
    /// The texts made from `parts` (everything the message, help and replacement depend on),
    /// by `make` (message, help, replacement) the first time in the document.
    fn texts(&mut self, parts: &[&[u8]], make: impl FnOnce() -> [String; 3]) -> Texts {
        // Each part after its length: no two lists of parts give the same key.
        self.key.clear();
        for part in parts {
            self.key.extend_from_slice(&part.len().to_le_bytes());
            self.key.extend_from_slice(part);
        }
        if let Some(texts) = self.texts.get(self.key.as_slice()) {
            return texts.clone();
        }
        let [message, help, replacement] = make();
        let texts = Texts {
            message: message.into(),
            help: help.into(),
            replacement: replacement.into(),
        };
        self.texts.insert(self.key.as_slice().into(), texts.clone());
        texts
    }

    /// Reports `span` with `texts`, fixed by replacing `edit` with their replacement.
    fn push(
        &mut self,
        span: std::ops::Range<usize>,
        texts: Texts,
        edit: std::ops::Range<usize>,
        safe: bool,
    ) {
        let fix = if safe {
            Fix::safe(edit, texts.replacement)
        } else {
            Fix::unsafe_(edit, texts.replacement)
        };
        self.out.push(
            Diagnostic::new(Spacing::ID, span, texts.message)
                .with_help(texts.help)
                .with_fix(fix),
        );
    }

    /// The space to insert where `punct` has none.
    fn insert(&self, punct: char) -> char {
        let doc = self.doc;
        let uses_nbsp = || match self.prose_nbsp {
            Some(in_prose) => {
                in_prose
                    || doc.blanked.originals_contain_char(NBSP)
                    || doc.blanked.originals_contain_char(NNBSP)
            }
            None => doc.text_contains_char(NBSP) || doc.text_contains_char(NNBSP),
        };
        if self.opts.require_nbsp || *self.uses_nbsp.get_or_init(uses_nbsp) {
            expected_nbsp(self.opts.nbsp, punct)
        } else {
            ' '
        }
    }

    /// Whether `offset` is furniture, code or a URL: [`super::furniture_or_code`], with the
    /// marks the OCR and apostrophe rules have found (or found here first).
    fn skip(&self, offset: usize) -> bool {
        let marks = super::shared_code_or_url_marks(self.doc);
        super::furniture_or_code(self.doc, marks, offset)
    }

    /// Blanked characters (link targets, emphasis) are not real spaces.
    fn real(&self, span: std::ops::Range<usize>) -> bool {
        self.doc.same_as_prose(&span)
    }

    /// The defects found at the bytes of [`PunctuationMarks`]: the four searches of the text
    /// these checks made (« , . », « ; : » with « and », « ! ? », « - ») are one pass, which
    /// also tells whether the prose holds a no-break space (two more searches of the text, at
    /// the first space to insert), and that pass is the one that finds the apostrophes for the
    /// typography rules ([`super::shared_punctuation`]). The findings come in text order, not
    /// check by check: the engine sorts them.
    fn punctuation(&mut self) {
        let bytes = self.doc.prose.as_bytes();
        let french = self.doc.lang == Lang::Fr;
        // The double punctuation is checked once the pass is over: a missing space is
        // inserted as a no-break one if the text holds one anywhere.
        let mut double = Vec::new();
        let mut nbsp = false;
        match super::shared_punctuation(self.doc) {
            Some(offsets) => {
                for &p in offsets {
                    self.punctuation_at(p as usize, french, &mut double, &mut nbsp);
                }
            }
            // A prose of 4 GiB or more.
            None if french => {
                for p in super::marked::<PunctuationMarks<true>>(bytes) {
                    self.punctuation_at(p, french, &mut double, &mut nbsp);
                }
            }
            None => {
                for p in super::marked::<PunctuationMarks<false>>(bytes) {
                    self.punctuation_at(p, french, &mut double, &mut nbsp);
                }
            }
        }
        if !french {
            return;
        }
        self.prose_nbsp = Some(nbsp);
        for p in double {
            self.double_punctuation(p);
        }
    }

    /// [`Checker::punctuation`] at the offset `p` that [`PunctuationMarks`] marks (French
    /// when `french`): the checks of a comma, period or hyphen made at once, the double
    /// punctuation kept in `double` for after the pass, and `nbsp` set at a no-break space.
    #[inline(always)]
    fn punctuation_at(&mut self, p: usize, french: bool, double: &mut Vec<usize>, nbsp: &mut bool) {
        let bytes = self.doc.prose.as_bytes();
        if !french {
            self.space_before_comma_or_period(p);
            return;
        }
        match bytes[p] {
            b',' | b'.' => self.space_before_comma_or_period(p),
            // The « - » of « vingt -septième »: after a space, not a tab or another
            // character's last byte.
            b'-' if bytes[p - 1] == b' ' => self.hyphen(p - 1),
            b'-' => {}
            // U+00A0 (C2 A0) and the last byte of U+202F (E2 80 AF).
            0xC2 if bytes.get(p + 1) == Some(&0xA0) => *nbsp = true,
            0xAF => *nbsp |= p >= 2 && bytes[p - 2] == 0xE2,
            _ => double.push(p),
        }
    }

    /// « suivant: », « «Texte» », and with `require_nbsp` the kind of space: at the byte `p`
    /// of a « ; », « : », « ! », « ? » or the first of a « « » or « » ».
    fn double_punctuation(&mut self, p: usize) {
        let prose = self.doc.prose.as_str();
        let Some(c) = prose[p..].chars().next() else {
            return;
        };
        if !matches!(c, ';' | ':' | '!' | '?' | '«' | '»') {
            return;
        }
        let prev = prose[..p].chars().next_back();
        let next = prose[p + c.len_utf8()..].chars().next();
        let opening = c == '«';
        // The side that needs the space: before, except after an opening guillemet.
        let (side, other) = if opening { (next, prev) } else { (prev, next) };
        let Some(side) = side else { return };
        if is_space(side) {
            if !self.opts.require_nbsp {
                return;
            }
            let want = expected_nbsp(self.opts.nbsp, c);
            let ok = match self.opts.nbsp {
                NbspKind::Any => side == NBSP || side == NNBSP,
                _ => side == want,
            };
            // A guillemet or punctuation that ends or starts a line has no space to fix.
            if ok || (!opening && other.is_none()) {
                return;
            }
            let at = if opening {
                p + c.len_utf8()
            } else {
                p - side.len_utf8()
            };
            let span = at..at + side.len_utf8();
            if !self.real(span.clone()) || self.skip(p) || self.markers.english(p) {
                return;
            }
            let chars = [side, c, want].map(|c| u32::from(c).to_le_bytes());
            let texts = self.texts(&[b"nbsp", &chars[0], &chars[1], &chars[2]], || {
                [
                    format!("{} where `{c}` needs {}", name(side), name(want)),
                    format!("use {}", name(want)),
                    want.to_string(),
                ]
            });
            self.push(span, texts, at..at + side.len_utf8(), true);
            return;
        }
        if side == '\n' || side == '\r' {
            return;
        }
        let missing = if opening {
            side.is_alphanumeric() || side == '"'
        } else {
            // « suivant: » but not « 10:30 », « http: », « ?! », « :) ».
            (side.is_alphanumeric() || matches!(side, ')' | ']' | '"' | '”' | '’'))
                && other.is_none_or(|n| n.is_whitespace() || n == '»')
                && !(c == ':' && side.is_ascii_digit() && other.is_some_and(|n| n.is_ascii_digit()))
        };
        if !missing || c == '»' && prev.is_some_and(|x| x == '«') {
            return;
        }
        // « Infrastructure Protection: Threats… »: an English title quoted in French.
        if c == ':' && capitalised_before(prose, p) && capitalised_after(prose, p + 1) {
            return;
        }
        // `[^1]: Nations Unies…`: a Markdown note's definition, markup and not French text.
        if c == ':' && side == ']' && {
            let line_start = prose[..p].rfind('\n').map_or(0, |k| k + 1);
            prose[line_start..p].trim_start().starts_with("[^")
        } {
            return;
        }
        if self.skip(p) || self.markers.english(p) {
            return;
        }
        let want = self.insert(c);
        let at = if opening { p + c.len_utf8() } else { p };
        let require_nbsp = self.opts.require_nbsp;
        let chars = [c, want].map(|c| u32::from(c).to_le_bytes());
        let side: &[u8] = if opening { b"after" } else { b"before" };
        let texts = self.texts(&[b"missing", side, &chars[0], &chars[1]], || {
            let msg = if opening {
                "no space after `«`".to_string()
            } else if c == '»' {
                "no space before `»`".to_string()
            } else {
                format!("no space before `{c}`")
            };
            let help = format!(
                "French puts {} there",
                if require_nbsp {
                    name(want)
                } else {
                    "a space (ideally non-breaking)"
                }
            );
            [msg, help, want.to_string()]
        });
        self.push(p..p + c.len_utf8(), texts, at..at, true);
    }

    /// « international , », « criminalité . »: at the byte `p` of a « , » or « . » after a byte
    /// that may end a space ([`PunctuationMarks`]).
    fn space_before_comma_or_period(&mut self, p: usize) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let bytes = prose.as_bytes();
        let c = char::from(bytes[p]);
        let gap_start = prose[..p].trim_end_matches([' ', NBSP, NNBSP, '\t']).len();
        if gap_start == p || gap_start == 0 {
            return;
        }
        let before = prose[..gap_start].chars().next_back().unwrap();
        let next = prose[p + 1..].chars().next();
        // Footnote numbers (« 11 . »), decimals (« ,5 »), extensions (« .NET »),
        // ellipses (« ... »), dot leaders, line starts.
        if before.is_ascii_digit()
            || !(before.is_alphabetic() || matches!(before, ')' | ']' | '»' | '"' | '”'))
            || next.is_some_and(|n| n.is_alphanumeric() || n == '.' || n == ',')
            // The dot leaders of a table of contents (« Débat général . . . . 5 »): dots and
            // spaces up to a page number that ends the line.
            || is_dot_leader(&prose[p + 1..])
            || bytes[gap_start..p].contains(&b'\n')
            || !self.real(gap_start..p)
            || self.skip(p)
        {
            return;
        }
        if doc.lang == Lang::Fr && self.markers.english(p) && c == '.' {
            return;
        }
        let texts = self.texts(&[b"before", &[bytes[p]]], || {
            [
                format!("space before `{c}`"),
                format!("remove the space before `{c}`"),
                String::new(),
            ]
        });
        self.push(gap_start..p + 1, texts, gap_start..p, true);
    }

    /// « d ’infractions », « l’ Assemblée ».
    ///
    /// Driven by the apostrophes rather than the tokens: each elided word owns the one
    /// apostrophe after it (across spaces), and almost every apostrophe has no space on
    /// either side, which rejects it at once. The elided word is the run of ASCII letters
    /// before the spaces; it is a whole token exactly when the character before it is no
    /// word character, which the alphanumeric test below covers (`¢` is added).
    fn apostrophes(&mut self) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let bytes = prose.as_bytes();
        // The document's apostrophes found once for the typography rules (the OCR and
        // apostrophe rules read them too): a search of its own stopped at every E2 byte of
        // the text (« – », « … », « “ », the narrow no-break space), not only at « ’ ».
        for (apo_at, apo) in super::shared_apostrophes(doc) {
            // A space on exactly one side, from the bytes next to the apostrophe: the test
            // `(gap == 0) == (gap2 == 0)` below makes, without trimming (nearly every
            // apostrophe has a letter on both sides).
            let space_before = apo_at > 0 && bytes[apo_at - 1] == b' ';
            let space_after = bytes.get(apo_at + apo.len_utf8()) == Some(&b' ');
            if space_before == space_after {
                continue;
            }
            let end = prose[..apo_at].trim_end_matches(' ').len();
            let gap = apo_at - end;
            let after_apo = &prose[apo_at + apo.len_utf8()..];
            let gap2 = after_apo.len() - after_apo.trim_start_matches(' ').len();
            if (gap == 0) == (gap2 == 0) {
                continue; // no defect, or spaces on both sides (a quotation mark)
            }
            if !after_apo[gap2..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic)
            {
                continue;
            }
            // Elisions are ASCII letters, « puisqu » the longest.
            let start = end
                - bytes[end.saturating_sub(7)..end]
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
            let w = &prose[start..end];
            if !ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(w)) {
                continue;
            }
            if prose[..start].chars().next_back().is_some_and(|c| {
                c.is_alphanumeric()
                    || c == '’'
                    || c == '\''
                    || crate::extract::words::is_word_char(c)
            }) {
                continue;
            }
            if self.skip(start) || self.markers.english(start) {
                continue;
            }
            let next_end = apo_at + apo.len_utf8() + gap2;
            let word_end = next_end
                + prose[next_end..]
                    .find(|c: char| !c.is_alphabetic())
                    .unwrap_or(prose.len() - next_end);
            let next = &prose[next_end..word_end];
            let (gap_span, which) = if gap > 0 {
                (end..apo_at, "before")
            } else {
                (apo_at + apo.len_utf8()..next_end, "after")
            };
            if !self.real(gap_span.clone()) {
                continue;
            }
            let found = &prose[start..word_end];
            let apo_bytes = u32::from(apo).to_le_bytes();
            let parts: [&[u8]; 5] = [
                which.as_bytes(),
                found.as_bytes(),
                w.as_bytes(),
                &apo_bytes,
                next.as_bytes(),
            ];
            let texts = self.texts(&parts, || {
                [
                    format!("space {which} the apostrophe in `{found}`"),
                    format!("write `{w}{apo}{next}`"),
                    String::new(),
                ]
            });
            self.push(start..word_end, texts, gap_span, true);
        }
    }

    /// « vingt -septième », « public -privé »: at the offset `p` of a « - »'s space.
    fn hyphen(&mut self, p: usize) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let before = prose[..p].chars().next_back();
        let after = prose[p + 2..].chars().next();
        if !before.is_some_and(char::is_alphabetic) || !after.is_some_and(char::is_lowercase) {
            return;
        }
        if self.skip(p) || self.markers.english(p) {
            return;
        }
        let ws = prose[..p]
            .char_indices()
            .rfind(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let rest = &prose[p + 2..];
        let we = p
            + 2
            + rest
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(rest.len());
        let found = &prose[ws..we];
        let texts = self.texts(&[b"hyphen", found.as_bytes()], || {
            [
                format!("space inside the hyphenated word `{found}`"),
                format!("write `{}`", found.replacen(" -", "-", 1)),
                String::new(),
            ]
        });
        self.push(ws..we, texts, p..p + 1, true);
    }

    /// « cybercriminali té » when « cybercriminalité » occurs elsewhere: the pairs that
    /// [`broken_pairs`] finds, reported where they are not furniture, code or a URL and the
    /// space between is a real one.
    fn broken_words(&mut self) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        broken_pairs(doc.words(), prose, |a, b, joined| {
            if self.skip(a.start()) || !self.real(a.end()..b.start()) {
                return;
            }
            let (wa, wb) = (&prose[a.span()], &prose[b.span()]);
            // `joined` is `wa` and `wb` run together.
            let texts = self.texts(&[b"broken", wa.as_bytes(), wb.as_bytes()], || {
                [
                    format!("`{wa} {wb}` looks like the word `{joined}` broken by a space"),
                    format!("write `{joined}`, as elsewhere in the document"),
                    String::new(),
                ]
            });
            self.push(a.start()..b.end(), texts, a.end()..b.start(), false);
        });
    }
}

/// The bytes at which [`Checker::punctuation`] looks for a defect, as one class for the
/// pass of [`super::marked`]: a « , » or « . » after a byte that may end a space (` `, tab,
/// and the last bytes of U+00A0 and U+202F: most follow a letter, and no other can be a
/// defect), and in French text also every « ; », « : », « ! », « ? », the first byte of every
/// « « » and « » » and every « - » after a space. The French class takes a few more, rare
/// bytes, for fewer compares (the checks test the character they are given): « < », « = »,
/// « > » with « : » to « ? », the other characters starting with C2 (U+0080..U+00BF), and
/// « - » after the three other bytes. It also marks the bytes that tell whether the prose
/// holds a no-break space: C2 (U+00A0 is C2 A0) and AF after 80 (U+202F is E2 80 AF).
pub(super) struct PunctuationMarks<const FRENCH: bool>;

impl<const FRENCH: bool> super::ByteClass for PunctuationMarks<FRENCH> {
    #[inline(always)]
    fn test(prev: u8, cur: u8, _next: u8) -> bool {
        let space_before = matches!(prev, b' ' | b'\t' | 0xA0 | 0xAF);
        match cur {
            b',' | b'.' => space_before,
            _ if !FRENCH => false,
            b'-' => space_before,
            b':'..=b'?' | b'!' | 0xC2 => true,
            0xAF => prev == 0x80,
            _ => false,
        }
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    #[inline(always)]
    fn test16(
        prev: std::arch::x86_64::__m128i,
        cur: std::arch::x86_64::__m128i,
        _next: std::arch::x86_64::__m128i,
    ) -> u32 {
        use std::arch::x86_64::{
            _mm_and_si128, _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        let marks = punctuation_lanes::<FRENCH>(prev, cur);
        if !FRENCH {
            // SAFETY: SSE2 only, which this target enables (the `cfg` above).
            return unsafe { _mm_movemask_epi8(marks) as u32 };
        }
        // SAFETY: the intrinsics need SSE2 only, which this target enables (the `cfg` above;
        // every x86-64 processor has it).
        unsafe {
            let eq = |v, b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            let narrow_nbsp_end = _mm_and_si128(eq(cur, 0xAF), eq(prev, 0x80));
            _mm_movemask_epi8(_mm_or_si128(marks, narrow_nbsp_end)) as u32
        }
    }
}

/// The lanes of `cur` that both this rule's class and the typography rules' shared class
/// ([`super::ProseCandidates`]) mark, one copy of their compares: « , » and « . » (and in
/// French « - ») after a space, a tab, a no-break space (A0) or the end of U+202F (AF); in
/// French also « : » .. « ? », « ! » and C2 (the first byte of U+00A0, « » », « « »).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub(super) fn punctuation_lanes<const FRENCH: bool>(
    prev: std::arch::x86_64::__m128i,
    cur: std::arch::x86_64::__m128i,
) -> std::arch::x86_64::__m128i {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: the intrinsics need SSE2 only, which this target enables (the `cfg` above;
    // every x86-64 processor has it).
    unsafe {
        let splat = |b: u8| _mm_set1_epi8(b as i8);
        let eq = |v: __m128i, b: u8| _mm_cmpeq_epi8(v, splat(b));
        let or = |a: __m128i, b: __m128i| _mm_or_si128(a, b);
        // The `n` bytes from `lo`: moved to the bottom of the signed range, below -128 + n.
        let range = |v: __m128i, lo: u8, n: u8| {
            _mm_cmplt_epi8(
                _mm_add_epi8(v, splat(0x80u8.wrapping_sub(lo))),
                splat(0x80 + n),
            )
        };
        // A space, a tab, A0 (the end of U+00A0) or AF: 20 and A0 are the bytes that give 20
        // without their top bit.
        let space_before = or(
            eq(_mm_and_si128(prev, splat(0x7F)), b' '),
            or(eq(prev, b'\t'), eq(prev, 0xAF)),
        );
        if !FRENCH {
            // « , » (2C) and « . » (2E) are the two bytes that give 2E with bit 1 set.
            let comma_or_period = eq(or(cur, splat(0x02)), b'.');
            return _mm_and_si128(comma_or_period, space_before);
        }
        // « , », « - », « . » are 2C..2E; « : », « ; » .. « ? » 3A..3F.
        let after_space = _mm_and_si128(range(cur, b',', 3), space_before);
        let double = or(range(cur, b':', 6), or(eq(cur, b'!'), eq(cur, 0xC2)));
        or(after_space, double)
    }
}

/// The pairs of tokens `a`, `b` of `words` that look like one word broken by a stray space
/// (« cybercriminali té »), in the order of their rare token's spelling, each once, with the
/// two run together: `a` and `b` clean, one space between them, `b` starting with a
/// lower-case letter, one of them occurring at most once in the document (compared
/// lower-cased), the two joined 7 characters or more and, lower-cased, a word of the
/// document's vocabulary.
///
/// Driven by the rare spellings: such a spelling has one token, found without reading the
/// tokens ([`Words::first_token`]), so only the pairs on either side of those tokens are
/// tested, and what a pair needs of its other token is read for that token alone: a table of
/// every spelling's facts (clean, rare, starting lower-case, length, « Σ ») cost some 90
/// instructions for each of the ~3 400 spellings of a report, most never read.
fn broken_pairs(words: &Words, prose: &str, mut found: impl FnMut(Token, Token, &str)) {
    let bytes = prose.as_bytes();
    let space_at = |p: usize| bytes.get(p) == Some(&b' ');
    // Reused buffers: most pairs of words are looked up and dropped.
    let (mut joined, mut lower) = (String::new(), String::new());
    // The pairs (i - 1, i) with i below this one have been tested.
    let mut next_pair = 1;
    // Spelling ids follow the order of first occurrences: the rare tokens come in text order.
    for spelling in 0..words.spellings.len() as u32 {
        // Clean, and `words.count(word) <= 1`, read by spelling id.
        if !words.spelling_clean[spelling as usize] || words.lower_count(spelling) > 1 {
            continue;
        }
        let (i, t) = words.first_token(spelling);
        let tested = std::mem::replace(&mut next_pair, i + 2) > i;
        // The token is the second half of the pair before it, the first of the pair after it.
        // The neighbour is rebuilt only when the byte between the two is the one space the
        // pair wants there (not punctuation, a line end: one pair in six) and the token can
        // be that half.
        let space_before = t.start().checked_sub(1).is_some_and(space_at);
        if !tested && space_before && starts_lower(prose, t) {
            if let Some(a) = words.token_before(i, t).filter(Token::clean) {
                if is_broken_pair(words, prose, a, t, (&mut joined, &mut lower)) {
                    found(a, t, &joined);
                }
            }
        }
        if space_at(t.end()) {
            if let Some(b) = words.token_after(i, t) {
                if b.clean()
                    && starts_lower(prose, b)
                    && is_broken_pair(words, prose, t, b, (&mut joined, &mut lower))
                {
                    found(t, b, &joined);
                }
            }
        }
    }
}

/// Whether the clean tokens `a` then `b`, `b` starting with a lower-case letter, are a broken
/// word (see [`broken_pairs`]); then `joined` holds the two run together. Inlined into its
/// two calls: it runs for a few thousand pairs of every document, and most leave at its
/// vocabulary test.
#[inline(always)]
fn is_broken_pair(
    words: &Words,
    prose: &str,
    a: Token,
    b: Token,
    (joined, lower): (&mut String, &mut String),
) -> bool {
    let bytes = prose.as_bytes();
    // A joined word of 7 characters or more has 7 bytes or more.
    if a.end() - a.start() + b.end() - b.start() < 7
        || b.start() != a.end() + 1
        || bytes[a.end()] != b' '
    {
        return false;
    }
    // Whether the joined word is a vocabulary word: from the two spellings' entries, the
    // same answer as lower-casing the joined text and looking it up, but when one half
    // holds a « Σ » (its lower case depends on the letter after it).
    let sigma = holds_sigma(words, prose, a) || holds_sigma(words, prose, b);
    if !sigma && words.joined_lower_count(a.spelling(), b.spelling()) == 0 {
        return false;
    }
    joined.clear();
    joined.push_str(&prose[a.span()]);
    joined.push_str(&prose[b.span()]);
    if joined.chars().count() < 7 {
        return false;
    }
    if sigma {
        crate::text::lower_into(joined, lower);
        if words.count_lower(lower) == 0 {
            return false;
        }
    }
    true
}

/// Whether token `t` starts with a lower-case letter (`char::is_lowercase` of its first
/// character, from the byte when it is ASCII).
#[inline]
fn starts_lower(prose: &str, t: Token) -> bool {
    match prose.as_bytes()[t.start()] {
        c @ 0..=0x7f => c.is_ascii_lowercase(),
        _ => prose[t.start()..]
            .chars()
            .next()
            .is_some_and(char::is_lowercase),
    }
}

/// Whether token `t` holds a « Σ » (CE A3): never when its spelling is made of ASCII and
/// Latin-1 letters (every byte below C4), which is one read for nearly every word.
#[inline]
fn holds_sigma(words: &Words, prose: &str, t: Token) -> bool {
    !words.spelling_latin1_letters[t.spelling() as usize]
        && prose.as_bytes()[t.span()]
            .windows(2)
            .any(|c| c == "Σ".as_bytes())
}

impl Rule for Spacing {
    crate::rule_meta!();
    fn reads_word_tokens(&self) -> bool {
        true
    }

    fn fixable(&self) -> bool {
        true
    }

    fn validate_params(&self, params: &toml::Table) -> Result<(), String> {
        crate::rules::validate_as::<Opts>(params)
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let opts: Opts = ctx.params();
        let mut c = Checker {
            doc,
            opts,
            uses_nbsp: std::cell::OnceCell::new(),
            prose_nbsp: None,
            markers: Markers::new(doc),
            out,
            texts: FxHashMap::default(),
            key: Vec::new(),
        };
        c.punctuation();
        if doc.lang == Lang::Fr {
            c.apostrophes();
            c.broken_words();
        }
    }
}

/// Whether `rest`, the text after a period, goes on as a table of contents' dot leader: only
/// dots and spaces, then a page number that ends the line (« . . . .   5 », « .   3 »).
fn is_dot_leader(rest: &str) -> bool {
    let line = rest.split('\n').next().unwrap_or("");
    let page = line.trim_start_matches([' ', '.', '\t', NBSP]);
    !page.is_empty() && page.trim_end().bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The offsets the four searches of the text found and kept, which the pass over
    /// [`PunctuationMarks`] replaced: « , » and « . » after one of four bytes, « ; », « : »
    /// and the C2 of « « » and « » » (the character read at each C2), « ! » and « ? », and
    /// the space of every « - » (the checks are given the offset of the « - » and read the
    /// space before it).
    fn searched_punctuation(prose: &str, french: bool) -> Vec<usize> {
        let bytes = prose.as_bytes();
        let mut hits: Vec<usize> = memchr::memchr2_iter(b',', b'.', bytes)
            .filter(|&p| p > 0 && matches!(bytes[p - 1], b' ' | b'\t' | 0xA0 | 0xAF))
            .collect();
        if french {
            let colons = memchr::memchr3_iter(b';', b':', 0xC2, bytes);
            hits.extend(
                colons
                    .chain(memchr::memchr2_iter(b'!', b'?', bytes))
                    .filter(|&p| {
                        let c = prose[p..].chars().next().unwrap();
                        matches!(c, ';' | ':' | '!' | '?' | '«' | '»')
                    }),
            );
            hits.extend(memchr::memmem::find_iter(bytes, b" -").map(|p| p + 1));
        }
        hits.sort_unstable();
        hits
    }

    /// The one pass finds what the four searches found (and a few bytes they did not, that
    /// the checks reject at once), on the seeds and on texts of every
    /// length with the marked bytes at every distance from the blocks' edges.
    #[test]
    fn punctuation_marks_are_the_searches() {
        super::super::assert_class_agrees::<PunctuationMarks<true>>();
        super::super::assert_class_agrees::<PunctuationMarks<false>>();
        let piece =
            "a , b. c ; d:e «f» g\u{a0}. h!? i -j à. k\u{202f}, l\t, «m - n-o <=> é\u{a0}-p ";
        let mut texts = crate::test_support::seed_texts();
        for cut in 0..piece.len() {
            if piece.is_char_boundary(cut) {
                texts.push(piece[cut..].repeat(3));
                texts.push(piece[..cut].to_string());
            }
        }
        for text in &texts {
            for french in [false, true] {
                let got: Vec<usize> = if french {
                    super::super::marked::<PunctuationMarks<true>>(text.as_bytes()).collect()
                } else {
                    super::super::marked::<PunctuationMarks<false>>(text.as_bytes()).collect()
                };
                // Every offset a search kept is marked; the checks pass over the others at
                // their first test (a « - » after no space, a character that is none of theirs).
                let searched = searched_punctuation(text, french);
                assert!(searched.iter().all(|p| got.contains(p)), "{text:?}");
                let bytes = text.as_bytes();
                let extra = got.iter().filter(|p| !searched.contains(p));
                for &p in extra {
                    let kept = match bytes[p] {
                        b'-' => bytes[p - 1] == b' ',
                        0xAF => false,
                        b',' | b'.' => true,
                        _ => matches!(
                            text[p..].chars().next(),
                            Some(';' | ':' | '!' | '?' | '«' | '»')
                        ),
                    };
                    assert!(!kept, "{p} in {text:?}");
                }
                // The no-break spaces of the prose are seen at the marks.
                if french {
                    let nbsp = got.iter().any(|&p| match bytes[p] {
                        0xC2 => bytes.get(p + 1) == Some(&0xA0),
                        0xAF => p >= 2 && bytes[p - 2] == 0xE2,
                        _ => false,
                    });
                    assert_eq!(nbsp, text.contains([NBSP, NNBSP]), "{text:?}");
                }
            }
        }
    }

    /// The pairs of the plain definition of a broken word: every two neighbouring tokens,
    /// each tested in full (words lower-cased and looked up by their text).
    fn plain_broken_pairs(words: &Words, prose: &str) -> Vec<(usize, usize, String)> {
        let tokens: Vec<Token> = words.tokens().collect();
        let mut pairs = Vec::new();
        for w in tokens.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (wa, wb) = (&prose[a.span()], &prose[b.span()]);
            let joined = format!("{wa}{wb}");
            if a.clean()
                && b.clean()
                && wb.chars().next().is_some_and(char::is_lowercase)
                && (words.count(wa) <= 1 || words.count(wb) <= 1)
                && &prose[a.end()..b.start()] == " "
                && joined.chars().count() >= 7
                && words.count(&joined) > 0
            {
                pairs.push((a.start(), b.end(), joined));
            }
        }
        pairs
    }

    /// [`broken_pairs`] finds the pairs of the plain definition, each once, in the order of
    /// their rare spelling's first occurrence (text order but for a pair of two rare tokens,
    /// found at the first), on the seeds and on texts
    /// with capitals, Latin-1 and other letters, « Σ », and broken words at the text's ends.
    #[test]
    fn broken_pairs_are_the_plain_definition() {
        let mut texts = crate::test_support::seed_texts();
        let piece = "La cybercriminalité et la cybercriminali té ; CYBERCRIMINALI té, \
                     Cybercriminali Té. Les États membres et les Éta ts. Développement et \
                     dévelop pement, œuvre et œu vre, ΟΔΟΣ ΟΔΟΣΟΣ οδος οδοςος ΟΔΟ ς ΟΔΟΣΟ ς \
                     İstanbul İstan bul, naïveté naïve té, x1 y2 \"mot\" motif mot if.";
        texts.push(piece.to_string());
        texts.push(format!("cybercriminali té {piece} cybercriminali té"));
        texts.push("mo tif motif".to_string());
        let mut found_any = 0;
        for text in &texts {
            let doc = crate::document::parse(text.clone());
            let (prose, words) = (doc.prose.as_str(), doc.words());
            let mut want = plain_broken_pairs(words, prose);
            want.sort();
            let mut got = Vec::new();
            broken_pairs(words, prose, |a, b, joined| {
                got.push((a.start(), b.end(), joined.to_string()));
            });
            // In the order of the rare spellings' first occurrences.
            let rare_first = |&(start, _, _): &(usize, usize, String)| {
                let i = words.index_at(start);
                let (a, b) = (words.token(i), words.token(i + 1));
                let rare = |t: Token| words.lower_count(t.spelling()) <= 1;
                if rare(a) {
                    a.spelling()
                } else {
                    b.spelling()
                }
            };
            assert!(got
                .windows(2)
                .all(|w| rare_first(&w[0]) <= rare_first(&w[1])));
            got.sort();
            assert_eq!(got, want, "{text:.80}");
            found_any += want.len();
        }
        assert!(found_any >= 8, "{found_any}");
    }
}
