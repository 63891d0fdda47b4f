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
        // ellipses (« ... »), line starts.
        if before.is_ascii_digit()
            || !(before.is_alphabetic() || matches!(before, ')' | ']' | '»' | '"' | '”'))
            || next.is_some_and(|n| n.is_alphanumeric() || n == '.' || n == ',')
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

    /// « cybercriminali té » when « cybercriminalité » occurs elsewhere.
    ///
    /// A pair is reported only when one of its words occurs at most once in the document
    /// ([`RARE`]): such a word is the only token of its spelling, found without reading the
    /// tokens ([`Words::first_token`]), so only the pairs on either side of those tokens are
    /// tested, in text order. The pairs left by their spelling keys take the exact test; once
    /// they have taken as many exact tests as the document has spellings, the [`SplitFilter`]
    /// (whose construction costs about that much) is built and rejects most of the rest first.
    fn broken_words(&mut self) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let words = doc.words();
        let mut keys = spelling_keys(words, prose);
        let mut splits: Option<SplitFilter> = None;
        let mut exact_tests_left = words.spellings.len();
        // Reused buffers: most pairs of words are looked up and dropped.
        let (mut joined, mut lower) = (String::new(), String::new());
        // The pairs (i - 1, i) with i below this one have been tested.
        let mut next_pair = 1;
        let space_at = |p: usize| prose.as_bytes().get(p) == Some(&b' ');
        // Spelling ids follow the order of first occurrences: the rare tokens come in text
        // order.
        for spelling in 0..words.spellings.len() {
            if keys[spelling] & RARE == 0 {
                continue;
            }
            let (i, t) = words.first_token(spelling as u32);
            let tested = std::mem::replace(&mut next_pair, i + 2) > i;
            // The token is the second half of the pair before it, the first of the pair after
            // it: a key without that flag fails the first test of `broken_pair`, and the
            // neighbour need not be rebuilt (keys only lose flags, so reading it now is
            // reading it there). Nor when the byte between the two is not the one space that
            // `broken_pair` wants there (punctuation, a line end: one pair in six).
            let space_before = t.start().checked_sub(1).is_some_and(space_at);
            if !tested && keys[spelling] & SECOND != 0 && space_before {
                if let Some(a) = words.token_before(i, t) {
                    let buffers = (&mut joined, &mut lower);
                    self.broken_pair(a, t, &mut keys, &mut splits, &mut exact_tests_left, buffers);
                }
            }
            if keys[spelling] & FIRST != 0 && space_at(t.end()) {
                if let Some(b) = words.token_after(i, t) {
                    let buffers = (&mut joined, &mut lower);
                    self.broken_pair(t, b, &mut keys, &mut splits, &mut exact_tests_left, buffers);
                }
            }
        }
    }

    /// [`Checker::broken_words`] for the tokens `a` and `b`, one after the other, one of them
    /// rare. Inlined into its two calls: it runs for a few thousand pairs of every document,
    /// and most leave at its first tests.
    #[inline(always)]
    fn broken_pair(
        &mut self,
        a: Token,
        b: Token,
        keys: &mut [SpellingKey],
        splits: &mut Option<SplitFilter>,
        exact_tests_left: &mut usize,
        (joined, lower): (&mut String, &mut String),
    ) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let bytes = prose.as_bytes();
        let words = doc.words();
        let (ka, kb) = (keys[a.spelling() as usize], keys[b.spelling() as usize]);
        if ka & FIRST == 0 || kb & SECOND == 0 || (ka | kb) & RARE == 0 {
            return;
        }
        // A joined word of 7 characters or more has 7 bytes or more (the key holds the byte
        // lengths, 255 for any longer).
        if (ka & LENGTH) + (kb & LENGTH) < 7 {
            return;
        }
        if b.start() != a.end() + 1 || bytes[a.end()] != b' ' {
            return;
        }
        match splits {
            Some(splits) => {
                if !splits.may_join_keys(ka, kb) {
                    return;
                }
            }
            None if *exact_tests_left > 0 => *exact_tests_left -= 1,
            None => {
                let built = SplitFilter::new(words.counts.keys());
                built.narrow(keys, words, bytes);
                let (ka, kb) = (keys[a.spelling() as usize], keys[b.spelling() as usize]);
                let pass = ka & FIRST != 0 && kb & SECOND != 0 && built.may_join_keys(ka, kb);
                *splits = Some(built);
                if !pass {
                    return;
                }
            }
        }
        // Whether the joined word is a vocabulary word: from the two spellings' entries, the
        // same answer as lower-casing the joined text and looking it up, but when one half
        // holds a « Σ » (its lower case depends on the letter after it).
        if (ka | kb) & SIGMA == 0 && words.joined_lower_count(a.spelling(), b.spelling()) == 0 {
            return;
        }
        let (wa, wb) = (&prose[a.span()], &prose[b.span()]);
        joined.clear();
        joined.push_str(wa);
        joined.push_str(wb);
        if joined.chars().count() < 7 {
            return;
        }
        if (ka | kb) & SIGMA != 0 {
            crate::text::lower_into(joined, lower);
            if words.count_lower(lower) == 0 {
                return;
            }
        }
        // `words.count(wa) > 1 && words.count(wb) > 1` was rejected by the RARE bits.
        if self.skip(a.start()) || !self.real(a.end()..b.start()) {
            return;
        }
        // `joined` is `wa` and `wb` run together.
        let texts = self.texts(&[b"broken", wa.as_bytes(), wb.as_bytes()], || {
            [
                format!("`{wa} {wb}` looks like the word `{joined}` broken by a space"),
                format!("write `{joined}`, as elsewhere in the document"),
                String::new(),
            ]
        });
        self.push(a.start()..b.end(), texts, a.end()..b.start(), false);
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
            __m128i, _mm_add_epi8, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmplt_epi8,
            _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
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
            let space_before = or(
                or(eq(prev, b' '), eq(prev, b'\t')),
                or(eq(prev, 0xA0), eq(prev, 0xAF)),
            );
            if !FRENCH {
                // « , » (2C) and « . » (2E) are the two bytes that give 2E with bit 1 set.
                let comma_or_period = eq(or(cur, splat(0x02)), b'.');
                return _mm_movemask_epi8(_mm_and_si128(comma_or_period, space_before)) as u32;
            }
            // « , », « - », « . » are 2C..2E; « : », « ; » .. « ? » 3A..3F.
            let after_space = _mm_and_si128(range(cur, b',', 3), space_before);
            let double = or(range(cur, b':', 6), or(eq(cur, b'!'), eq(cur, 0xC2)));
            let narrow_nbsp_end = _mm_and_si128(eq(cur, 0xAF), eq(prev, 0x80));
            _mm_movemask_epi8(or(or(after_space, double), narrow_nbsp_end)) as u32
        }
    }
}

/// The [`SpellingKey`] of each spelling of `words`, by spelling id, worked out once per
/// spelling so that the pass over the pairs of tokens reads two of them. Both halves of a
/// broken word are clean; the second starts with a lower-case letter; and one of them occurs
/// at most once in the document ([`RARE`]). [`SplitFilter::narrow`] narrows [`FIRST`] and
/// [`SECOND`] further.
fn spelling_keys(words: &Words, prose: &str) -> Vec<SpellingKey> {
    let mut keys = Vec::with_capacity(words.spellings.len());
    for (id, (span, &clean)) in (0u32..).zip(words.spellings.iter().zip(&words.spelling_clean)) {
        let w = &prose.as_bytes()[span.clone()];
        // `words.count(word) <= 1`, read by spelling id.
        let rare = words.lower_count(id) <= 1;
        keys.push(match w.first() {
            Some(&first) if clean => {
                // `char::is_lowercase` of the first character, from the byte when it is ASCII.
                let starts_lower = match first {
                    c @ 0..=0x7f => c.is_ascii_lowercase(),
                    _ => prose[span.clone()]
                        .chars()
                        .next()
                        .is_some_and(char::is_lowercase),
                };
                // « Σ » is CE A3: the pairs are compared only in a word with a CE byte (not
                // in every word with an accent).
                let sigma = may_hold_byte(prose.as_bytes(), span.clone(), 0xCE)
                    && w.windows(2).any(|c| c == "Σ".as_bytes());
                let flag = |on: bool, bit: SpellingKey| if on { bit } else { 0 };
                w.len().min(255) as u32
                    | FIRST
                    | flag(starts_lower, SECOND)
                    | flag(rare, RARE)
                    | flag(sigma, SIGMA)
            }
            _ => 0,
        });
    }
    keys
}

/// False when the bytes of `span` in `bytes` do not hold `byte` (true: they may, a byte up to
/// 7 places past the span was read too). Read 8 bytes at a time with one word-sized test
/// each ([`crate::text::has_byte`]): a word is one or two of them, where an ASCII test and a
/// byte search (a call, and a loop whose end depends on the word's length) cost some 60
/// instructions and two mispredicted branches for each non-ASCII spelling of a document.
#[inline]
fn may_hold_byte(bytes: &[u8], span: std::ops::Range<usize>, byte: u8) -> bool {
    let mut at = span.start;
    while at < span.end {
        let chunk = match bytes.get(at..at + 8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or([0; 8])),
            // The text's last 7 bytes or fewer.
            None => return bytes[at..span.end].contains(&byte),
        };
        if crate::text::has_byte(chunk, byte) {
            return true;
        }
        at += 8;
    }
    false
}

/// A Bloom filter of the ways the document's words of 7 characters or more split in two: for
/// each vocabulary word and each split point, the [`features`] of both halves (byte length,
/// bytes at both ends). A pair of tokens whose lower-cased concatenation is a vocabulary word
/// has those same features, so a pair the filter rejects cannot be a broken word; a pair it
/// accepts (a few % by chance) takes the exact test.
///
/// The features of a token are read from its bytes without lower-casing it, which is exact
/// when every character lower-cases byte-wise ([`folds_bytewise`]); a pair with any other
/// token is always accepted. Each half alone also goes into a one-probe filter, which tells
/// per spelling whether it can be a first or a second half at all.
struct SplitFilter {
    bits: Vec<u64>,
    /// log2 of the number of bits.
    order: u32,
    /// The features of each half alone, marked first or second half, in [`HALF_BITS`] bits.
    half_bits: Vec<u64>,
}

/// What [`spelling_keys`] knows of a spelling, in one `u32`: its byte length in the low 8
/// bits, once [`SplitFilter::narrow`] has added them its [`features`] in the low 24 bits
/// (the length still in the lowest 8, also when the features say nothing else), and these
/// flags above them.
type SpellingKey = u32;
/// The spelling may be the first half of a broken word.
const FIRST: SpellingKey = 1 << 24;
/// The spelling may be the second half of a broken word.
const SECOND: SpellingKey = 1 << 25;
/// The spelling does not fold byte-wise: its features say nothing, accept any pair with it.
const ANY_PAIR: SpellingKey = 1 << 26;
/// The spelling occurs at most once in the document (`words.count(word) <= 1`).
const RARE: SpellingKey = 1 << 27;
/// The spelling holds a « Σ »: a pair with it is looked up lower-cased, not by its entries
/// ([`Words::joined_lower_count`]).
const SIGMA: SpellingKey = 1 << 28;
const FEATURES: SpellingKey = (1 << 24) - 1;
/// The byte length in a [`SpellingKey`] (lengths above 255 are 255).
const LENGTH: SpellingKey = 0xFF;

/// The byte length (lengths above 255 share one value: only equal halves need to agree), the
/// first byte and the last byte of a half, lower-cased: 24 bits.
fn features(len: usize, first: u8, last: u8) -> u32 {
    len.min(255) as u32 | u32::from(first) << 8 | u32::from(last) << 16
}

/// The size of the filter of halves: far more bits than a document has distinct features,
/// which keeps false positives few.
const HALF_BITS: u32 = 1 << 16;

/// The bit of a half in the filter of halves.
fn half_bit(second: bool, features: u32) -> usize {
    let key = features | u32::from(second) << 24;
    (key.wrapping_mul(0x9e37_79b1) >> (32 - HALF_BITS.trailing_zeros())) as usize
}

impl SplitFilter {
    /// The filter of the `vocabulary` (lower-cased words, e.g. `words.counts.keys()`).
    fn new<W: AsRef<str>>(vocabulary: impl Iterator<Item = W> + Clone) -> Self {
        let long = || {
            vocabulary
                .clone()
                .filter(|v| v.as_ref().chars().count() >= 7)
        };
        let entries: usize = long().map(|v| v.as_ref().len()).sum();
        // 16 bits per entry and two probes: about 1.4 % false positives.
        let order = (entries.max(64) * 16).next_power_of_two().trailing_zeros();
        let mut filter = SplitFilter {
            bits: vec![0; (1usize << order) / 64],
            order,
            half_bits: vec![0; HALF_BITS as usize / 64],
        };
        for v in long() {
            let v = v.as_ref().as_bytes();
            for k in 1..v.len() {
                // Split points are character boundaries.
                if (v[k] as i8) >= -0x40 {
                    let first = features(k, v[0], v[k - 1]);
                    let second = features(v.len() - k, v[k], v[v.len() - 1]);
                    for bit in filter.probes(pair_key(first, second)) {
                        filter.bits[bit / 64] |= 1 << (bit % 64);
                    }
                    for bit in [half_bit(false, first), half_bit(true, second)] {
                        filter.half_bits[bit / 64] |= 1 << (bit % 64);
                    }
                }
            }
        }
        filter
    }

    fn probes(&self, key: u64) -> [usize; 2] {
        let h = key.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let g = (h ^ (h >> 31)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let shift = 64 - self.order;
        [(h >> shift) as usize, (g >> shift) as usize]
    }

    /// Adds the [`features`] of each spelling to its key in [`spelling_keys`] (or
    /// [`ANY_PAIR`]), and clears [`FIRST`] and [`SECOND`] in those whose features did not pass
    /// [`SplitFilter::new`] as a first or second half: a token that is a half of a broken word
    /// (its pair passes the rest of `broken_words`) has. A spelling that does not fold
    /// byte-wise ([`ANY_PAIR`]) keeps both.
    fn narrow(&self, keys: &mut [SpellingKey], words: &Words, prose: &[u8]) {
        let has = |bit: usize| self.half_bits[bit / 64] & (1 << (bit % 64)) != 0;
        for (key, span) in keys.iter_mut().zip(&words.spellings) {
            if *key & (FIRST | SECOND) == 0 {
                continue;
            }
            let Some(f) = token_features(&prose[span.clone()]) else {
                *key |= ANY_PAIR;
                continue;
            };
            *key = *key & !FEATURES | f;
            if !has(half_bit(false, f)) {
                *key &= !FIRST;
            }
            if !has(half_bit(true, f)) {
                *key &= !SECOND;
            }
        }
    }

    /// Whether a token of key `a` followed by one of key `b` may join into a vocabulary word
    /// (false: it does not), given `a` has [`FIRST`] and `b` has [`SECOND`].
    #[inline]
    fn may_join_keys(&self, a: SpellingKey, b: SpellingKey) -> bool {
        if (a | b) & ANY_PAIR != 0 {
            return true;
        }
        self.probes(pair_key(a & FEATURES, b & FEATURES))
            .iter()
            .all(|&bit| self.bits[bit / 64] & (1 << (bit % 64)) != 0)
    }

    /// Whether the lower-cased `a` + `b` may be a vocabulary word (false: it is not), from the
    /// pair filter alone.
    #[cfg(test)]
    fn may_join(&self, a: &[u8], b: &[u8]) -> bool {
        match (token_features(a), token_features(b)) {
            (Some(fa), Some(fb)) => self.may_join_keys(fa, fb),
            _ => true,
        }
    }
}

/// The [`features`] of the lower-cased token `w`, read from its bytes; `None` when `w` is
/// empty or does not fold byte-wise.
fn token_features(w: &[u8]) -> Option<u32> {
    if w.is_empty() || !folds_bytewise(w) {
        return None;
    }
    // A first byte is ASCII or a lead byte, which lower-casing keeps.
    Some(features(w.len(), w[0].to_ascii_lowercase(), folded_last(w)))
}

fn pair_key(first: u32, second: u32) -> u64 {
    u64::from(first) | u64::from(second) << 24
}

/// Whether [`crate::text::lower_into`] lower-cases `w` byte by byte, as [`folded_last`] assumes:
/// ASCII, U+00C0..U+00FF (lead byte C3: the capitals map 32 code points down, within the
/// same two bytes) and « Œ » / « œ » (C5 92 / C5 93). That is nearly every French word.
fn folds_bytewise(w: &[u8]) -> bool {
    if w.is_ascii() {
        return true;
    }
    let mut i = 0;
    while i < w.len() {
        match (w[i], w.get(i + 1)) {
            (0..=0x7f, _) => i += 1,
            (0xc3, _) | (0xc5, Some(0x92 | 0x93)) => i += 2,
            _ => return false,
        }
    }
    true
}

/// The last byte of the lower-cased `w`, for `w` that [`folds_bytewise`].
fn folded_last(w: &[u8]) -> u8 {
    match w {
        [.., b @ 0..=0x7f] => b.to_ascii_lowercase(),
        // « À »..« Þ » but not « × » (C3 97): continuation bytes 80..9E.
        [.., 0xc3, b @ 0x80..=0x9e] if *b != 0x97 => b + 0x20,
        [.., 0xc5, 0x92] => 0x93,
        [.., b] => *b,
        [] => 0,
    }
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

    /// The 8-byte screen never misses a byte of the span, at any position and length, up to
    /// the text's end.
    #[test]
    fn may_hold_byte_finds_every_byte() {
        let text: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for start in 0..text.len() {
            for end in start..=text.len() {
                for hit in 0..text.len() {
                    let mut t = text.clone();
                    t[hit] = 0xCE;
                    let inside = (start..end).contains(&hit);
                    assert!(
                        !inside || may_hold_byte(&t, start..end, 0xCE),
                        "{start} {end} {hit}"
                    );
                    let far = hit >= end + 8 || hit < start;
                    assert!(
                        !far || !may_hold_byte(&t, start..end, 0xCE),
                        "{start} {end} {hit}"
                    );
                }
            }
        }
    }

    /// The byte-wise folding agrees with `lower_into` wherever it claims to apply.
    #[test]
    fn bytewise_folding_is_lower_into() {
        let mut lower = String::new();
        for c in ('\0'..='\u{600}').chain(['Œ', 'œ', '’', '\u{202f}']) {
            let w = format!("a{c}");
            if !folds_bytewise(w.as_bytes()) {
                continue;
            }
            crate::text::lower_into(&w, &mut lower);
            assert_eq!(lower.len(), w.len(), "{c:?}");
            assert_eq!(
                folded_last(w.as_bytes()),
                *lower.as_bytes().last().unwrap(),
                "{c:?}"
            );
        }
        assert!(folds_bytewise("ŒUVRE ÉTÉ à".as_bytes()));
        assert!(!folds_bytewise("İstanbul".as_bytes()));
        assert!(!folds_bytewise("ΟΔΟΣ".as_bytes()));
    }

    /// A pair whose lower-cased concatenation is a vocabulary word always passes the filter.
    #[test]
    fn split_filter_keeps_every_join() {
        let vocab = [
            "cybercriminalité",
            "œuvrement",
            "ÉTATSUNIS",
            "développement",
            "İstanbulique",
        ];
        let lower: Vec<String> = vocab.iter().map(|w| w.to_lowercase()).collect();
        let filter = SplitFilter::new(lower.iter());
        for w in vocab {
            for (k, _) in w.char_indices().skip(1) {
                let (a, b) = w.split_at(k);
                assert!(filter.may_join(a.as_bytes(), b.as_bytes()), "{a} {b}");
                let (a, b) = (a.to_uppercase(), b.to_lowercase());
                assert!(filter.may_join(a.as_bytes(), b.as_bytes()), "{a} {b}");
                // Each half passes the filter of halves in its place.
                let has = |bit: usize| filter.half_bits[bit / 64] & (1 << (bit % 64)) != 0;
                if let Some(f) = token_features(a.as_bytes()) {
                    assert!(has(half_bit(false, f)), "{a}");
                }
                if let Some(f) = token_features(b.as_bytes()) {
                    assert!(has(half_bit(true, f)), "{b}");
                }
            }
        }
        assert!(!filter.may_join(b"de", b"la"));
    }
}
