use super::in_code_or_url;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, LineKind};
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// A parenthesis opened and never closed, or closed and never opened, within one
    /// paragraph: « (voir par. 12 ci-dessus. » or "Member States 2019)". Each numbered paragraph
    /// (with its subparagraphs, across page breaks), each heading, each footnote and each
    /// other block of text (lines up to a blank line after a full stop, a colon or a
    /// semicolon) is counted on its own.
    ///
    /// Not reported:
    /// - list labels: `a)`, `ii)`, `3)` after a space or at the start of a line close no
    ///   parenthesis of their own (« mesures suivantes : a) …; b) … »); inside parentheses such a
    ///   label may also close them (« (voir par. 12) », « (al. a) ci-dessus) »): the rule
    ///   reports only what no reading of the labels balances;
    /// - parentheses in code spans and URLs, in the header block and in page furniture.
    ///
    /// ## Why it matters
    /// An unclosed parenthesis leaves the reader unsure where the aside ends, and one closed
    /// without an opening is the trace of an edit that cut the other half, or of OCR damage.
    /// Both survive spell checks and are easy to miss in a long paragraph.
    ///
    /// ## Example
    /// ```text
    /// 12. Les États ont rendu compte de leurs mesures (voir le document A/74/130.
    ///                                                 ^ `(` is never closed in this paragraph
    /// ```
    ///
    /// ## Configuration
    /// No options.
    pub struct Parentheses = "typography/parentheses", Severity::Warning;
}

impl Rule for Parentheses {
    crate::rule_meta!();

    fn check(&self, doc: &Document, _ctx: &Context, out: &mut Vec<Diagnostic>) {
        // A prose of 4 GiB or more has no lines from the parser, so no units to count in.
        if u32::try_from(doc.prose.len()).is_err() {
            return;
        }
        // One search: parentheses are about one byte in a hundred.
        let marks: Vec<u32> = memchr::memchr2_iter(b'(', b')', doc.prose.as_bytes())
            .map(|p| p as u32)
            .collect();
        if marks.is_empty() {
            return;
        }
        let mut units = Units::new(doc);
        let mut main = Unit::default();
        let mut note = Unit::default();
        for at in marks {
            let Some((id, footnote)) = units.unit_at(at as usize) else {
                continue;
            };
            let unit = if footnote { &mut note } else { &mut main };
            if unit.id != Some(id) {
                unit.finish(doc, out);
                unit.marks.clear();
                unit.id = Some(id);
                unit.kind = units.kind(id);
            }
            unit.marks.push(at);
        }
        main.finish(doc, out);
        note.finish(doc, out);
    }
}

/// What a unit of counting is, for the messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum UnitKind {
    #[default]
    Paragraph,
    Heading,
    Footnote,
}

impl UnitKind {
    fn noun(self) -> &'static str {
        match self {
            UnitKind::Paragraph => "paragraph",
            UnitKind::Heading => "heading",
            UnitKind::Footnote => "footnote",
        }
    }
}

/// The parentheses of one unit, in order.
#[derive(Debug, Default)]
struct Unit {
    /// The unit's id (see [`Units::unit_at`]); `None` before the first.
    id: Option<u64>,
    kind: UnitKind,
    /// The offsets in the prose of its `(` and `)`.
    marks: Vec<u32>,
}

impl Unit {
    /// Reports what no reading of the list labels balances.
    fn finish(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        if self.marks.is_empty() {
            return;
        }
        let prose = doc.prose.as_str();
        let kind_of = |at: usize| match prose.as_bytes()[at] {
            b'(' => Mark::Open,
            _ if is_label_close(prose, at) => Mark::Label,
            _ => Mark::Close,
        };
        // Nearly every unit balances with every `)` read as a closer, which is one reading of
        // the labels: the label and the code and URL tests are made only for the others.
        let all = || self.marks.iter().map(|&m| m as usize);
        let open_or_close = |at: usize| match prose.as_bytes()[at] {
            b'(' => Mark::Open,
            _ => Mark::Close,
        };
        if balanced(all().map(open_or_close)) || balanced(all().map(kind_of)) {
            return;
        }
        let kept: Vec<(usize, Mark)> = all()
            .filter(|&m| !in_code_or_url(doc, m))
            .map(|m| (m, kind_of(m)))
            .collect();
        if balanced(kept.iter().map(|&(_, k)| k)) {
            return;
        }
        let noun = self.kind.noun();
        // Which marks to name: a stray `)` where the count first falls below zero with every
        // label read as a label; then the openings left once every label that can close
        // something does.
        let mut open: Vec<usize> = Vec::new();
        let mut most_open = 0usize;
        for (at, kind) in kept {
            match kind {
                Mark::Open => {
                    open.push(at);
                    most_open += 1;
                }
                Mark::Label => {
                    open.pop();
                }
                Mark::Close if most_open == 0 => out.push(
                    Diagnostic::new(
                        Parentheses::ID,
                        at..at + 1,
                        format!("`)` closes no parenthesis in this {noun}"),
                    )
                    .with_help("remove it, or restore the `(` that an edit or OCR lost"),
                ),
                Mark::Close => {
                    open.pop();
                    most_open -= 1;
                }
            }
        }
        for at in open {
            out.push(
                Diagnostic::new(
                    Parentheses::ID,
                    at..at + 1,
                    format!("`(` is never closed in this {noun}"),
                )
                .with_help("close the parenthesis where the aside ends"),
            );
        }
    }
}

/// Whether some reading of the labels balances `marks` (in order): the depth is a range, the
/// lowest with every label closing and the highest with none; a `)` below the highest's zero
/// closes nothing, and the lowest must end at zero.
fn balanced(marks: impl Iterator<Item = Mark>) -> bool {
    let (mut lowest, mut highest) = (0usize, 0usize);
    for mark in marks {
        match mark {
            Mark::Open => (lowest, highest) = (lowest + 1, highest + 1),
            Mark::Label => lowest = lowest.saturating_sub(1),
            Mark::Close if highest == 0 => return false,
            Mark::Close => (lowest, highest) = (lowest.saturating_sub(1), highest - 1),
        }
    }
    lowest == 0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open,
    /// A `)` after a list label (`a)`, `ii)`, `3)`): it may close a parenthesis or none.
    Label,
    Close,
}

/// Whether the `)` at `at` ends a list label after a space, a line start, a colon, a
/// semicolon, a comma or a dash (not after a `(`: « (a) » is a pair): one to three figures, a
/// letter (`a`, `B`), a doubled letter (`aa`), a lower-case Roman numeral (`iv`, `xiii`), or a
/// label that OCR garbled with « ¢ » (`¢)`, `c¢)`, which `numbering/punctuation` reports).
fn is_label_close(prose: &str, at: usize) -> bool {
    const CENT: &[u8] = "¢".as_bytes();
    let bytes = prose.as_bytes();
    // The label's bytes: ASCII letters and figures, and « ¢ », at most 6 bytes back.
    let mut start = at;
    let mut cents = 0;
    while start > 0 && at - start < 6 {
        if bytes[start - 1].is_ascii_alphanumeric() {
            start -= 1;
        } else if start >= 2 && &bytes[start - 2..start] == CENT {
            start -= 2;
            cents += 1;
        } else {
            break;
        }
    }
    let label = &bytes[start..at];
    let shaped = match label {
        [] => false,
        _ if cents > 0 => label.len() - 2 * cents <= 1,
        l if l.iter().all(u8::is_ascii_digit) => l.len() <= 3,
        [c] => c.is_ascii_alphabetic(),
        [a, b] if a == b && a.is_ascii_lowercase() => true,
        l => l.len() <= 5 && l.iter().all(|c| matches!(c, b'i' | b'v' | b'x' | b'l')),
    };
    shaped
        && (start == 0
            || matches!(
                prose[..start].chars().next_back(),
                Some(
                    ' ' | '\t'
                        | '\n'
                        | '\r'
                        | ':'
                        | ';'
                        | ','
                        | '-'
                        | '\u{a0}'
                        | '\u{2013}'
                        | '\u{2014}'
                )
            ))
}

/// The units of counting, found from the parser's lines while the marks are read in order.
struct Units<'d> {
    doc: &'d Document,
    /// The line of the last mark read.
    line: usize,
    /// The next numbered paragraph, heading and footnote that may hold a mark.
    paragraph: usize,
    heading: usize,
    footnote: usize,
    /// The current block of unnumbered text: its first line and its last line so far.
    block: Option<(usize, usize)>,
}

/// Unit ids: a kind in the top bits, an index below.
const PARAGRAPH: u64 = 1 << 60;
const HEADING: u64 = 2 << 60;
const FOOTNOTE: u64 = 3 << 60;
const BLOCK: u64 = 4 << 60;

impl<'d> Units<'d> {
    fn new(doc: &'d Document) -> Self {
        Units {
            doc,
            line: 0,
            paragraph: 0,
            heading: 0,
            footnote: 0,
            block: None,
        }
    }

    fn kind(&self, id: u64) -> UnitKind {
        match id & (7 << 60) {
            HEADING => UnitKind::Heading,
            FOOTNOTE => UnitKind::Footnote,
            _ => UnitKind::Paragraph,
        }
    }

    /// The unit holding the mark at `at` (offsets read in increasing order), and whether it is
    /// a footnote; `None` for a mark outside any (header, furniture).
    fn unit_at(&mut self, at: usize) -> Option<(u64, bool)> {
        let doc = self.doc;
        while self.line + 1 < doc.lines.len() && doc.lines[self.line].end() < at {
            self.line += 1;
        }
        let line = doc.lines.get(self.line)?;
        match line.kind {
            LineKind::Footnote => {
                let fs = &doc.footnotes;
                while self.footnote < fs.len() && fs[self.footnote].span.end <= at {
                    self.footnote += 1;
                }
                let f = fs.get(self.footnote).filter(|f| f.span.start <= at);
                // A footnote line outside a parsed footnote: the line is the unit.
                Some((
                    f.map_or(FOOTNOTE | (1 << 40) | self.line as u64, |_| {
                        FOOTNOTE | self.footnote as u64
                    }),
                    true,
                ))
            }
            LineKind::Heading => {
                let hs = &doc.headings;
                while self.heading < hs.len() && hs[self.heading].span.end < at {
                    self.heading += 1;
                }
                Some(match hs.get(self.heading).filter(|h| h.span.start <= at) {
                    Some(_) => (HEADING | self.heading as u64, false),
                    None => (HEADING | (1 << 40) | self.line as u64, false),
                })
            }
            LineKind::Body => {
                let ps = &doc.paragraphs;
                while self.paragraph < ps.len() && ps[self.paragraph].span.end < at {
                    self.paragraph += 1;
                }
                if ps.get(self.paragraph).is_some_and(|p| p.span.start <= at) {
                    return Some((PARAGRAPH | self.paragraph as u64, false));
                }
                Some((BLOCK | self.block_of(self.line) as u64, false))
            }
            LineKind::Blank | LineKind::Header | LineKind::Furniture => None,
        }
    }

    /// The first line of the block of unnumbered text that line `li` (a body line outside
    /// any numbered paragraph) belongs to: a block goes on over blank lines, furniture and
    /// footnotes (a page break) unless its last text line ends a sentence (`.`, `:`, `;`, `!`,
    /// `?`) before a blank line, or a heading or a numbered paragraph comes between.
    fn block_of(&mut self, li: usize) -> usize {
        let doc = self.doc;
        let Some((mut first, mut last)) = self.block.filter(|&(_, last)| last <= li) else {
            self.block = Some((li, li));
            return li;
        };
        let mut broken = false;
        for l in last + 1..=li {
            let line = &doc.lines[l];
            match line.kind {
                LineKind::Body if self.in_paragraph(line.start()) => broken = true,
                LineKind::Body => {
                    if broken {
                        first = l;
                        broken = false;
                    }
                    last = l;
                }
                LineKind::Blank => {
                    broken |= ends_sentence(&doc.prose.as_bytes()[..doc.lines[last].end()]);
                }
                LineKind::Heading | LineKind::Header => broken = true,
                LineKind::Furniture | LineKind::Footnote => {}
            }
        }
        self.block = Some((first, last));
        first
    }

    /// Whether `at` is inside a numbered paragraph.
    fn in_paragraph(&self, at: usize) -> bool {
        let ps = &self.doc.paragraphs;
        let i = ps.partition_point(|p| p.span.end < at);
        ps.get(i).is_some_and(|p| p.span.start <= at)
    }
}

/// Whether the text up to its end (trailing spaces aside) ends a sentence or a list
/// introduction.
fn ends_sentence(text: &[u8]) -> bool {
    let t = text.trim_ascii_end();
    matches!(t.last(), Some(b'.' | b':' | b';' | b'!' | b'?'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let t = "suivantes : a) le texte; ii) la suite (a) et (voir par. 12) fin 2019) x ¢) pays)";
        let at = |s: &str| t.find(s).unwrap() + s.len() - 1;
        assert!(is_label_close(t, at(" a)")));
        assert!(is_label_close(t, at("ii)")));
        assert!(!is_label_close(t, at("(a)")));
        assert!(is_label_close(t, at("12)")));
        assert!(!is_label_close(t, at("2019)")));
        assert!(is_label_close(t, at("¢)")));
        assert!(!is_label_close(t, at("pays)")));
    }
}
