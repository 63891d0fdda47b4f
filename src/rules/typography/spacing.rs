use super::ocr::ELISIONS;
use super::{english_context, in_code_or_url};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Document, Lang};
use crate::rules::{Context, Rule};
use serde::Deserialize;

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
    /// The space to insert where one is missing.
    insert: fn(NbspKind, char) -> char,
    out: Vec<Diagnostic>,
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

fn plain_space(_: NbspKind, _: char) -> char {
    ' '
}

fn name(c: char) -> &'static str {
    match c {
        NBSP => "a no-break space (U+00A0)",
        NNBSP => "a narrow no-break space (U+202F)",
        _ => "an ordinary space",
    }
}

impl Checker<'_> {
    fn push(&mut self, span: std::ops::Range<usize>, msg: String, help: String, fix: Fix) {
        self.out.push(
            Diagnostic::new(Spacing::ID, span, msg)
                .with_help(help)
                .with_fix(fix),
        );
    }

    fn skip(&self, offset: usize) -> bool {
        self.doc.is_furniture(offset) || in_code_or_url(self.doc, offset)
    }

    /// Blanked characters (link targets, emphasis) are not real spaces.
    fn real(&self, span: std::ops::Range<usize>) -> bool {
        self.doc.text.as_bytes()[span.clone()] == self.doc.prose.as_bytes()[span]
    }

    /// « suivant: », « «Texte» », and with `require_nbsp` the kind of space.
    fn double_punctuation(&mut self) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        // A byte scan (« and » start with C2), then the character at each hit.
        let hits = prose
            .bytes()
            .enumerate()
            .filter(|&(_, b)| matches!(b, b';' | b':' | b'!' | b'?' | 0xC2))
            .filter_map(|(p, _)| Some((p, prose[p..].chars().next()?)));
        for (p, c) in hits {
            if !matches!(c, ';' | ':' | '!' | '?' | '«' | '»') {
                continue;
            }
            let prev = prose[..p].chars().next_back();
            let next = prose[p + c.len_utf8()..].chars().next();
            let opening = c == '«';
            // The side that needs the space: before, except after an opening guillemet.
            let (side, other) = if opening { (next, prev) } else { (prev, next) };
            let Some(side) = side else { continue };
            if self.skip(p) || english_context(doc, p) {
                continue;
            }
            if is_space(side) {
                if !self.opts.require_nbsp {
                    continue;
                }
                let want = expected_nbsp(self.opts.nbsp, c);
                let ok = match self.opts.nbsp {
                    NbspKind::Any => side == NBSP || side == NNBSP,
                    _ => side == want,
                };
                // A guillemet or punctuation that ends or starts a line has no space to fix.
                if ok || (!opening && other.is_none()) {
                    continue;
                }
                let at = if opening {
                    p + c.len_utf8()
                } else {
                    p - side.len_utf8()
                };
                let span = at..at + side.len_utf8();
                if !self.real(span.clone()) {
                    continue;
                }
                self.push(
                    span,
                    format!("{} where `{c}` needs {}", name(side), name(want)),
                    format!("use {}", name(want)),
                    Fix::safe(at..at + side.len_utf8(), want.to_string()),
                );
                continue;
            }
            if side == '\n' || side == '\r' {
                continue;
            }
            let missing = if opening {
                side.is_alphanumeric() || side == '"'
            } else {
                // « suivant: » but not « 10:30 », « http: », « ?! », « :) ».
                (side.is_alphanumeric() || matches!(side, ')' | ']' | '"' | '”' | '’'))
                    && other.is_none_or(|n| n.is_whitespace() || n == '»')
                    && !(c == ':'
                        && side.is_ascii_digit()
                        && other.is_some_and(|n| n.is_ascii_digit()))
            };
            if !missing || c == '»' && prev.is_some_and(|x| x == '«') {
                continue;
            }
            // « Infrastructure Protection: Threats… »: an English title quoted in French.
            if c == ':' && capitalised_before(prose, p) && capitalised_after(prose, p + 1) {
                continue;
            }
            let want = (self.insert)(self.opts.nbsp, c);
            let at = if opening { p + c.len_utf8() } else { p };
            let msg = if opening {
                "no space after `«`".to_string()
            } else if c == '»' {
                "no space before `»`".to_string()
            } else {
                format!("no space before `{c}`")
            };
            self.push(
                p..p + c.len_utf8(),
                msg,
                format!(
                    "French puts {} there",
                    if self.opts.require_nbsp {
                        name(want)
                    } else {
                        "a space (ideally non-breaking)"
                    }
                ),
                Fix::safe(at..at, want.to_string()),
            );
        }
    }

    /// « international , », « criminalité . ».
    fn space_before_comma_or_period(&mut self) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let bytes = prose.as_bytes();
        for p in memchr::memchr2_iter(b',', b'.', bytes) {
            let c = char::from(bytes[p]);
            let gap_start = prose[..p].trim_end_matches([' ', NBSP, NNBSP, '\t']).len();
            if gap_start == p || gap_start == 0 {
                continue;
            }
            let before = prose[..gap_start].chars().next_back().unwrap();
            let next = prose[p + 1..].chars().next();
            // Footnote numbers (« 11 . »), decimals (« ,5 »), extensions (« .NET »),
            // ellipses (« ... »), line starts.
            if before.is_ascii_digit()
                || !(before.is_alphabetic() || matches!(before, ')' | ']' | '»' | '"' | '”'))
                || next.is_some_and(|n| n.is_alphanumeric() || n == '.' || n == ',')
                || bytes[gap_start..p].iter().any(|b| *b == b'\n')
                || !self.real(gap_start..p)
                || self.skip(p)
            {
                continue;
            }
            if doc.lang == Lang::Fr && english_context(doc, p) && c == '.' {
                continue;
            }
            self.push(
                gap_start..p + 1,
                format!("space before `{c}`"),
                format!("remove the space before `{c}`"),
                Fix::safe(gap_start..p, ""),
            );
        }
    }

    /// « d ’infractions », « l’ Assemblée ».
    fn apostrophes(&mut self) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let words = doc.words();
        for (i, t) in words.tokens.iter().enumerate() {
            let w = &prose[t.span.clone()];
            // Elisions are ASCII: no lower-cased copy of every token.
            if !ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(w)) {
                continue;
            }
            if prose[..t.span.start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '’' || c == '\'')
            {
                continue;
            }
            let rest = &prose[t.span.end..];
            let gap = rest.len() - rest.trim_start_matches(' ').len();
            let after = &rest[gap..];
            let Some(apo) = after.chars().next().filter(|c| *c == '’' || *c == '\'') else {
                continue;
            };
            let after_apo = &after[apo.len_utf8()..];
            let gap2 = after_apo.len() - after_apo.trim_start_matches(' ').len();
            let letter = after_apo[gap2..].chars().next();
            if !letter.is_some_and(char::is_alphabetic) || (gap == 0) == (gap2 == 0) {
                continue; // no defect, or spaces on both sides (a quotation mark)
            }
            let _ = i;
            if self.skip(t.span.start) || english_context(doc, t.span.start) {
                continue;
            }
            let apo_at = t.span.end + gap;
            let next_end = apo_at + apo.len_utf8() + gap2;
            let word_end = next_end
                + prose[next_end..]
                    .find(|c: char| !c.is_alphabetic())
                    .unwrap_or(prose.len() - next_end);
            let joined = format!("{w}{apo}{}", &prose[next_end..word_end]);
            let (gap_span, which) = if gap > 0 {
                (t.span.end..apo_at, "before")
            } else {
                (apo_at + apo.len_utf8()..next_end, "after")
            };
            if !self.real(gap_span.clone()) {
                continue;
            }
            self.push(
                t.span.start..word_end,
                format!(
                    "space {which} the apostrophe in `{}`",
                    &prose[t.span.start..word_end]
                ),
                format!("write `{joined}`"),
                Fix::safe(gap_span, ""),
            );
        }
    }

    /// « vingt -septième », « public -privé ».
    fn hyphens(&mut self) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        for (p, _) in prose.match_indices(" -") {
            let before = prose[..p].chars().next_back();
            let after = prose[p + 2..].chars().next();
            if !before.is_some_and(char::is_alphabetic) || !after.is_some_and(char::is_lowercase) {
                continue;
            }
            if self.skip(p) || english_context(doc, p) {
                continue;
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
            self.push(
                ws..we,
                format!("space inside the hyphenated word `{found}`"),
                format!("write `{}`", found.replacen(" -", "-", 1)),
                Fix::safe(p..p + 1, ""),
            );
        }
    }

    /// « cybercriminali té » when « cybercriminalité » occurs elsewhere.
    fn broken_words(&mut self) {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let words = doc.words();
        // Reused buffers: most pairs of words are looked up and dropped.
        let (mut joined, mut lower) = (String::new(), String::new());
        for pair in words.tokens.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if !a.clean
                || !b.clean
                || b.span.start != a.span.end + 1
                || &prose[a.span.end..b.span.start] != " "
            {
                continue;
            }
            let (wa, wb) = (&prose[a.span.clone()], &prose[b.span.clone()]);
            if !wb.chars().next().is_some_and(char::is_lowercase) {
                continue;
            }
            joined.clear();
            joined.push_str(wa);
            joined.push_str(wb);
            if joined.chars().count() < 7 {
                continue;
            }
            crate::text::lower_into(&joined, &mut lower);
            if words.count_lower(&lower) == 0 {
                continue;
            }
            if words.count(wa) > 1 && words.count(wb) > 1 {
                continue;
            }
            if self.skip(a.span.start) || !self.real(a.span.end..b.span.start) {
                continue;
            }
            self.push(
                a.span.start..b.span.end,
                format!("`{wa} {wb}` looks like the word `{joined}` broken by a space"),
                format!("write `{joined}`, as elsewhere in the document"),
                Fix::unsafe_(a.span.end..b.span.start, ""),
            );
        }
    }
}

impl Rule for Spacing {
    crate::rule_meta!();

    fn fixable(&self) -> bool {
        true
    }

    fn validate_params(&self, params: &toml::Table) -> Result<(), String> {
        crate::rules::validate_as::<Opts>(params)
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let opts: Opts = ctx.params();
        let uses_nbsp = doc.text.contains([NBSP, NNBSP]);
        let insert = if opts.require_nbsp || uses_nbsp {
            expected_nbsp
        } else {
            plain_space
        };
        let mut c = Checker {
            doc,
            opts,
            insert,
            out: Vec::new(),
        };
        c.space_before_comma_or_period();
        if doc.lang == Lang::Fr {
            c.double_punctuation();
            c.apostrophes();
            c.hyphens();
            c.broken_words();
        }
        out.append(&mut c.out);
    }
}
