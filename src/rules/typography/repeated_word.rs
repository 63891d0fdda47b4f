use super::in_code_or_url;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Document, LineKind};
use crate::extract::words::Token;
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// A word typed twice in a row: « la la », « de de », « Les les », "the the", and the
    /// case most frequent in PDF exports, a word repeated across a line break (« … les » at the
    /// end of a line, « les États … » at the start of the next). The two words are compared
    /// lower-cased and must be separated by spaces alone, with at most one line break: a blank
    /// line (a new paragraph or heading) or anything else between them (punctuation, an
    /// apostrophe, a hyphen, a figure, Markdown markup) keeps the rule silent.
    ///
    /// Not reported:
    /// - the legitimate doublings listed in `repeatable_words` (« nous nous félicitons »,
    ///   « vous vous », "had had", "that that", Pago Pago), « peut-être être » and other words
    ///   joined to the first by a hyphen, and « en en » before a gerund (« en en faisant »);
    /// - single letters other than « a » and « à », Roman numerals (« I I », « II II »,
    ///   « ii ii »), and short words followed by `)` or, at the start of a line, by `.` (list
    ///   and section labels: « il y a » then « a) … » on the next line);
    /// - a pair in different case outside ASCII and Latin-1 (« Œuvre œuvre », Greek): the token
    ///   pass notes candidates by their bytes with the case bit of each set;
    /// - tokens with digits or « ¢ » (OCR damage, reported by `typography/ocr`), URLs, e-mail
    ///   addresses and code spans, and the cover page's header fields;
    /// - names and table cells: a capitalised word repeated right after another capitalised
    ///   word (not an article: « Les États États » is reported), a figure or a title
    ///   (« M. Ahmed Ahmed », « Algérie Oui Oui Non », « 12 Oui
    ///   Oui »), or after the same word in lower case (« de De Schutter »); and two words
    ///   separated by more than one space on a line (table columns);
    /// - across a line break: two lines of different kinds (a heading's last word and a
    ///   paragraph's first), a first word alone on its line, a second word with nothing after
    ///   it on its line or on a line indented by more than four spaces (a column of cells).
    ///   One blank line between the words is accepted only in a text whose lines are all
    ///   separated by blank lines, as some PDF exports are.
    ///
    /// The finding covers the second word with the spaces before it on its line. Its fix, which
    /// deletes the second word and the white space before it, is shown but not applied by
    /// `--fix`: the slip may be a wrong word rather than an extra one (« de de » typed for
    /// « de la »), which only a reader can tell.
    ///
    /// ## Why it matters
    /// A doubled word is the commonest slip of drafting and of PDF conversion, and spell
    /// checkers do not catch it, since each word is correct on its own. Across a line break it
    /// is easy for a reader to miss and jarring once printed.
    ///
    /// ## Example
    /// ```text
    /// 3. La Commission a pris note des des recommandations du Groupe d’experts sur les
    ///                                 ^^^^ `des` is repeated
    /// les États Membres …
    /// ^^^ `les` is repeated (across the line break)
    /// ```
    ///
    /// ## Configuration
    /// No rule options. The words that may be doubled are the `repeatable_words` list of the
    /// `[typography]` section (shipped in `rules/typography-fr.toml`, compared lower-cased);
    /// a user's configuration extends it:
    /// ```toml
    /// [typography]
    /// repeatable_words = ["très"]
    /// ```
    pub struct RepeatedWord = "typography/repeated-word", Severity::Warning;
}

impl Rule for RepeatedWord {
    crate::rule_meta!();
    fn reads_word_tokens(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let words = doc.words();
        let finder = Finder {
            doc,
            allowed: &ctx.config.typography.repeatable_words,
            double_spaced: std::cell::OnceCell::new(),
        };
        // The pairs of neighbouring tokens that are the same word, noted by the token pass:
        // the text is read only there, which is rare.
        for i in words.repeats() {
            if let Some(d) = finder.finding(i, words.token(i - 1), words.token(i)) {
                out.push(d);
            }
        }
    }
}

/// Whether `x` and `y` are equal once lower-cased, without allocating.
fn same_lower(x: &str, y: &str) -> bool {
    if x.is_ascii() && y.is_ascii() {
        return x.eq_ignore_ascii_case(y);
    }
    x.chars()
        .flat_map(char::to_lowercase)
        .eq(y.chars().flat_map(char::to_lowercase))
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// At most this many spaces may indent the line of the second word of a repeat across a line
/// break: more is a table cell or a centred title.
const MAX_INDENT: usize = 4;

/// Titles before a name (« M. Ahmed Ahmed »).
const TITLES: &[&str] = &["M", "Mme", "Mmes", "MM", "Mr", "Mrs", "Ms", "Dr"];

/// The context tests, run only at the rare pairs of equal words.
struct Finder<'d> {
    doc: &'d Document,
    /// `[typography] repeatable_words`.
    allowed: &'d [String],
    /// Whether the document's text lines are separated by blank lines (a PDF export of
    /// seed 002's kind), worked out at the first repeat across a blank line.
    double_spaced: std::cell::OnceCell<bool>,
}

impl Finder<'_> {
    /// The finding for token `i` (`b`) repeating token `i - 1` (`a`), unless the context says
    /// the repeat is not a slip.
    #[cold]
    fn finding(&self, i: usize, a: Token, b: Token) -> Option<Diagnostic> {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let bytes = prose.as_bytes();
        let words = doc.words();
        let gap = a.end()..b.start();
        let (breaks, line_start) = line_breaks(prose, gap.clone())?;
        // Blanked Markdown markup or page furniture is a space in `prose` but not in the text.
        if !doc.same_as_prose(&gap) {
            return None;
        }
        match breaks {
            // One space on a line: more is a column gap in a table.
            0 if prose[gap.clone()].chars().nth(1).is_some() => return None,
            0 => {}
            1 => {}
            // A blank line ends a paragraph, unless every line of the text is followed by one.
            2 if *self.double_spaced.get_or_init(|| double_spaced(doc)) => {}
            _ => return None,
        }
        let word = &prose[b.span()];
        let first = &prose[a.span()];
        let mut letters = word.chars();
        let one_letter = letters.next().is_some() && letters.next().is_none();
        if one_letter && !matches!(word, "a" | "A" | "à" | "À") {
            return None;
        }
        // « I I », « II II », « ii ii »: numerals, not words (lower-case ones only up to
        // xxxix, as « mix » or « dix » are words).
        if crate::text::roman_value(word)
            .is_some_and(|v| v < 40 || word.bytes().all(|c| c.is_ascii_uppercase()))
        {
            return None;
        }
        if self.allowed.iter().any(|w| same_lower(w, word)) {
            return None;
        }
        // « peut-être être », « c’est-à-dire dire »: the first is the end of a compound.
        if prose[..a.start()]
            .chars()
            .next_back()
            .is_some_and(is_hyphen)
            || prose[b.end()..].chars().next().is_some_and(is_hyphen)
        {
            return None;
        }
        // A label: « a) », « aa) », or « A. » opening a line (« il y a » ending the line
        // before). Longer words before `)` are words: « (Chine Chine) ».
        let short = word.chars().nth(3).is_none();
        match bytes.get(b.end()) {
            Some(b')') if short => return None,
            Some(b'.') if short && breaks > 0 => return None,
            _ => {}
        }
        // « en en faisant une priorité »: the pronoun before a gerund.
        if word.eq_ignore_ascii_case("en")
            && words.get(i + 1).is_some_and(|t| {
                let next = &prose[t.span()];
                next.ends_with("ant") && line_breaks(prose, b.end()..t.start()).is_some()
            })
        {
            return None;
        }
        match (starts_upper(first), starts_upper(word)) {
            // « de De Schutter »: a name's particle.
            (false, true) => return None,
            // « Pago Pago », « M. Ahmed Ahmed », « Algérie Oui Oui Non »: names and table
            // cells; only a sentence start (« Les Les ») or a capital after a lower-case word
            // (« les Nations Nations Unies ») is a slip.
            (true, true) if !self.capital_slip(i, a) => return None,
            _ => {}
        }
        let kind = |o: usize| doc.lines.get(doc.line_index(o)).map(|l| l.kind);
        let (ka, kb) = (kind(a.start()), kind(b.start()));
        // The cover page's fields; two lines of different kinds (a heading's last word and a
        // paragraph's first).
        if ka == Some(LineKind::Header) || ka != kb {
            return None;
        }
        if breaks > 0 && !self.prose_lines(a, b, line_start) {
            return None;
        }
        if in_code_or_url(doc, a.start()) || in_code_or_url(doc, b.start()) {
            return None;
        }
        // On the second word's line: across a line break the span starts at that line, so
        // that the finding points at the repeated word, not at the end of the line before.
        let span = line_start..b.end();
        Some(
            Diagnostic::new(RepeatedWord::ID, span, format!("`{word}` is repeated"))
                .with_help(format!("delete the second `{word}`"))
                .with_fix(Fix::unsafe_(gap.start..b.end(), "")),
        )
    }

    /// Whether two capitalised equal words at token `i - 1` (`a`) and `i` read as a slip
    /// rather than a name (« Ahmed Ahmed », « Pago Pago ») or cells of a table row (« Algérie
    /// Oui Oui Non », « 12 Oui Oui »): not right after another capitalised word, a figure or a
    /// title (« M. », « Mme », « Dr. »). A sentence start (« Les Les »), a list label
    /// (« f) Les Les »), a comma (« Costa Rica, El El Salvador ») or a capitalised article
    /// (« Les États États ») before them is a slip.
    fn capital_slip(&self, i: usize, a: Token) -> bool {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let before = prose[..a.start()].trim_end();
        if before.ends_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
        let Some(prev) = i.checked_sub(2).and_then(|j| doc.words().get(j)) else {
            return true; // the first words of the text
        };
        let word = &prose[prev.span()];
        let adjacent = line_breaks(prose, prev.end()..a.start()).is_some();
        let title =
            TITLES.contains(&word) && (adjacent || prose[prev.end()..a.start()].trim() == ".");
        // A capitalised article or preposition (« Les États États ») is not part of a name.
        let mut buf = [0; super::MARKER_MAX];
        let function_word = super::ascii_lower_short(word, &mut buf)
            .and_then(super::marker)
            .is_some();
        !(title || adjacent && starts_upper(word) && !function_word)
    }

    /// Whether the lines of a repeat across a line break read as prose rather than as a column
    /// of table cells: the first word is not alone on its line, the second is followed by more
    /// text on its own, and the second line is not deeply indented.
    fn prose_lines(&self, a: Token, b: Token, line_start: usize) -> bool {
        let doc = self.doc;
        let prose = doc.prose.as_str();
        let line_a = &doc.lines[doc.line_index(a.start())];
        let line_b = &doc.lines[doc.line_index(b.start())];
        let before_a = &prose[line_a.start()..a.start()];
        let after_b = &prose[b.end()..line_b.end().max(b.end())];
        !before_a.trim().is_empty()
            && !after_b.trim().is_empty()
            && b.start() - line_start <= MAX_INDENT
    }
}

/// The line breaks in `gap` and the offset after the last one (`gap.start` if none), or
/// `None` if `gap` holds anything but white space. A CRLF counts once, a lone CR as a break.
fn line_breaks(prose: &str, gap: std::ops::Range<usize>) -> Option<(usize, usize)> {
    let mut breaks = 0;
    let mut line_start = gap.start;
    let mut chars = prose[gap.clone()].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => {
                breaks += 1;
                line_start = gap.start + i + 1;
            }
            '\r' if chars.peek().map(|&(_, n)| n) != Some('\n') => {
                breaks += 1;
                line_start = gap.start + i + 1;
            }
            ' ' | '\t' | '\r' | '\u{a0}' | '\u{202f}' => {}
            _ => return None,
        }
    }
    Some((breaks, line_start))
}

/// Whether most text lines of `doc` are followed by a blank line and then another text line,
/// as in PDF exports that double every line break: there one blank line does not end a
/// paragraph.
fn double_spaced(doc: &Document) -> bool {
    let (mut spaced, mut packed) = (0usize, 0usize);
    for w in doc.lines.windows(3) {
        if w[0].kind != LineKind::Body {
            continue;
        }
        match (w[1].kind, w[2].kind) {
            (LineKind::Blank, LineKind::Body) => spaced += 1,
            (LineKind::Body, _) => packed += 1,
            _ => {}
        }
    }
    spaced >= 10 && spaced > 4 * packed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_comparison() {
        assert!(same_lower("Les", "les"));
        assert!(same_lower("États", "états"));
        assert!(same_lower("ÉTATS", "États"));
        assert!(!same_lower("les", "des"));
        assert!(!same_lower("été", "ete"));
    }
}
