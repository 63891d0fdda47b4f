//! Assembles classified lines into a [`Document`].
//!
//! The line grammar lives in [`super::lexer`]; this module decides, with the context a human
//! reader uses, what each line is: a line starting `2011. Il y a` after a line that ends
//! mid-sentence is a wrapped date, not paragraph 2011; `1.` after « … suivant : » opens an
//! agenda inside the paragraph; `i)` after `h)` is a letter but after `k) … :` opens a roman list.

use super::lexer::{self, Decoration, Start};
use super::model::*;
use crate::text::{alpha_value, edit_distance, roman_value, to_roman};

/// Parses a report. Never panics; any text gives some document.
pub fn parse(text: String) -> Document {
    let mut link_scan = super::markdown::LinkScan::default();
    let lines = split_lines(&text, &mut link_scan);
    let (links, marks) = link_scan.finish();
    let (mut doc, blanks) = {
        let mut b = Builder::new(&text, lines);
        b.run();
        b.finish(links, marks)
    };
    // The prose view is the text itself, blanked where it lies: no second buffer as large as
    // the file (see `blanked`).
    let mut text = text;
    doc.blanked = super::Blanked::blank(&mut text, blanks);
    doc.prose = text;
    doc
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

/// The physical lines (span without terminator, kind still `Blank`). A line's trimmed
/// content is not stored: it is found again from the span's two ends when needed (see
/// [`content_span`]), which spares a table as large as the lines' own.
///
/// A text of 4 GiB or more gets no lines: a line keeps its offsets as `u32`, which cannot hold
/// them. Such a document then has no structure (header, headings, paragraphs, furniture), only
/// its text and prose view, as it has no word tokens (`extract::words` gives it none).
///
/// `link_scan` is run over each piece of 16 KB just split, while it is in the first-level
/// cache: one read of the text from memory for both.
#[inline(never)] // once per document: kept apart so that profiles show it
fn split_lines(text: &str, link_scan: &mut super::markdown::LinkScan) -> Vec<Line> {
    let bytes = text.as_bytes();
    if u32::try_from(text.len()).is_err() {
        link_scan.scan(bytes, 0..bytes.len());
        return Vec::new();
    }
    // The table is as long as the text has lines (megabytes for a large file). Reports
    // average some 60 bytes a line: room for lines of 40 spares a counting pass over the
    // text, and a text of shorter lines only makes the table grow.
    let mut lines = crate::memory::vec_with_capacity(text.len() / 40 + 16);
    // Every offset is at most `text.len()`, which fits in a `u32` (checked above).
    let line = |start: usize, end: usize| Line {
        start: start as u32,
        end: without_cr(bytes, start, end) as u32,
        kind: LineKind::Blank,
    };
    let mut start = 0;
    let mut push_lines = |base: usize, mut newlines: u64| {
        while newlines != 0 {
            let nl = base + newlines.trailing_zeros() as usize;
            newlines &= newlines - 1;
            lines.push(line(start, nl));
            start = nl + 1;
        }
    };
    // The newlines of each 64 bytes as a bit mask (`memchr` pays a call per line, and lines
    // are short). The blocks as arrays: no range or length check per block.
    const PIECE_BLOCKS: usize = 16 * 1024 / 64;
    let (blocks, tail) = bytes.as_chunks::<64>();
    for (p, piece) in blocks.chunks(PIECE_BLOCKS).enumerate() {
        let base = 64 * PIECE_BLOCKS * p;
        for (k, block) in piece.iter().enumerate() {
            push_lines(base + 64 * k, newline_bits(block));
        }
        link_scan.scan(bytes, base..base + 64 * piece.len());
    }
    if !tail.is_empty() {
        let mut block = [0; 64];
        block[..tail.len()].copy_from_slice(tail);
        push_lines(64 * blocks.len(), newline_bits(&block));
        link_scan.scan(bytes, 64 * blocks.len()..bytes.len());
    }
    // The text after the last newline is a line, empty when the text ends with one.
    lines.push(line(start, text.len()));
    lines
}

/// The bytes of `block` that are `\n`, bit k for byte k.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn newline_bits(block: &[u8; 64]) -> u64 {
    (0..4).fold(0, |bits, k| {
        bits | u64::from(crate::text::newline_bits16(block, 16 * k)) << (16 * k)
    })
}

/// The bytes of `block` that are `\n`, bit k for byte k.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn newline_bits(block: &[u8; 64]) -> u64 {
    newline_bits_bytes(block)
}

/// [`newline_bits`] byte by byte.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
fn newline_bits_bytes(block: &[u8; 64]) -> u64 {
    (0..64)
        .filter(|&k| block[k] == b'\n')
        .fold(0, |bits, k| bits | 1 << k)
}

/// The end of the line `start..end` without its `\r`.
#[inline]
fn without_cr(b: &[u8], start: usize, end: usize) -> usize {
    if end > start && b[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The span of a line's content: `line` trimmed of spaces (`char::is_whitespace`, BOM, zero
/// width space).
#[inline]
fn content_span(text: &str, line: &Span) -> Span {
    let b = text.as_bytes();
    // Most lines start with an ASCII byte that is not a space and end with one, or with ASCII
    // spaces after one: the trim below would only strip those spaces. Done here, by byte, the
    // general trim kept out of line.
    let ascii_space = |c: u8| matches!(c, b'\t'..=b'\r' | b' ');
    if line.is_empty() {
        return line.clone();
    }
    if b[line.start] < 0x80 && !ascii_space(b[line.start]) {
        let mut end = line.end;
        // Stops at the first byte at the latest, which is no space.
        while ascii_space(b[end - 1]) {
            end -= 1;
        }
        if b[end - 1] < 0x80 {
            return line.start..end;
        }
    }
    content_span_trimmed(text, line)
}

/// [`content_span`] of a line that starts with a space or a non-ASCII byte, or ends with a
/// non-ASCII byte before any ASCII spaces.
#[inline(never)]
fn content_span_trimmed(text: &str, line: &Span) -> Span {
    let b = text.as_bytes();
    let ascii_space = |c: u8| matches!(c, b'\t'..=b'\r' | b' ');
    let (mut cs, mut ce) = (line.start, line.end);
    while cs < ce && ascii_space(b[cs]) {
        cs += 1;
    }
    while ce > cs && ascii_space(b[ce - 1]) {
        ce -= 1;
    }
    // ASCII spaces are stripped by byte; only a non-ASCII character at either end that may
    // be a space (a no-break space, say) needs the character-by-character trim, which goes
    // on from there. Every non-ASCII space of `is_space` (U+0085, U+00A0, U+1680,
    // U+2000–U+200B, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF) is encoded with a first
    // byte among C2, E1, E2, E3, EF: other characters (« é », « » ») are kept at once.
    let space_lead = |c: u8| matches!(c, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF);
    if cs < ce {
        let head = space_lead(b[cs]);
        // The last character, when not ASCII, is two or three bytes long if it is a space.
        let tail = b[ce - 1] >= 0x80
            && ((ce - cs >= 2 && b[ce - 2] == 0xC2) || (ce - cs >= 3 && space_lead(b[ce - 3])));
        if head || tail {
            return content_span_unicode(text, cs, ce);
        }
    }
    cs..ce
}

/// [`content_span`] of `cs..ce`, which starts or ends with a non-ASCII character.
#[inline(never)]
fn content_span_unicode(text: &str, cs: usize, ce: usize) -> Span {
    let s = &text[cs..ce];
    let t = s.trim_start_matches(is_space);
    let start = cs + (s.len() - t.len());
    start..start + t.trim_end_matches(is_space).len()
}

/// Whether a line's content `c` can be a suppression marker: [`crate::suppress::parse_marker`]
/// accepts only `unlint-…` after an optional `<!--`, `%%` or `#` and spaces (its keywords all
/// start so). A first-byte test spares the marker parser, and its substring search, on every
/// other line.
fn may_be_marker(c: &str) -> bool {
    if !matches!(c.as_bytes().first(), Some(b'<' | b'%' | b'#' | b'u')) {
        return false;
    }
    let body = if let Some(inner) = c.strip_prefix("<!--") {
        inner
    } else if let Some(inner) = c.strip_prefix("%%") {
        inner
    } else if let Some(inner) = c.strip_prefix('#') {
        inner
    } else {
        c
    };
    body.trim_start().starts_with("unlint-")
}

/// A list being numbered: its id, style, last ordinal, depth.
#[derive(Debug, Clone)]
struct OpenList {
    id: usize,
    style: ItemStyle,
    last: u32,
    depth: u8,
}

/// Where body text goes when a line continues what came before.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    None,
    Paragraph,
    Item(usize),
    Footnote,
    Heading(usize),
}

struct Builder<'t> {
    text: &'t str,
    /// Every physical line, its kind filled in as the parse goes.
    lines: Vec<Line>,
    /// The spans of the lines marked as furniture, in order: blanked in the prose view.
    furniture_lines: Vec<Span>,
    header: Header,
    headings: Vec<Heading>,
    paragraphs: Vec<Paragraph>,
    items: Vec<ListItem>,
    footnotes: Vec<Footnote>,
    furniture: Vec<Furniture>,
    markdown: bool,
    /// Lists open in the current paragraph, outermost first.
    lists: Vec<OpenList>,
    next_list_id: usize,
    target: Target,
    in_footnotes: bool,
    /// Whether anything structural (heading or paragraph) has been seen: ends the header zone.
    body_started: bool,
    /// Inside a masthead's session block (see [`is_session_line`]), until the title.
    in_masthead: bool,
    /// The last content line that was not furniture: its index.
    prev_content: Option<usize>,
    /// The content span of line `prev_content` (empty while there is none), kept with it: the
    /// tests of the previous line's ending read it for most structured lines, and finding it
    /// again from the line's two ends cost more than the tests.
    prev_cspan: Span,
    prev_was_structural_end: bool,
    /// A numbered paragraph is open (no heading since it started).
    para_open: bool,
    /// The highest paragraph number so far (guards against wrapped numbers like `2011.`).
    max_paragraph: u32,
    /// How far the last numbered paragraph's line is indented (bytes before its number).
    para_indent: usize,
    /// The indentation of the open numbered list that its indentation opened (see
    /// `paragraph_or_agenda`): its items are indented as deep, or nearly.
    nested_indent: Option<usize>,
    /// The last number read as quoted text, not a paragraph, since the last paragraph.
    quoted_number: Option<u32>,
    /// Inside a table of contents.
    in_toc: Option<TocState>,
}

/// Where a table of contents started and whether its « I. » entry was seen.
#[derive(Debug, Clone, Copy)]
struct TocState {
    start: usize,
    seen_first_section: bool,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, lines: Vec<Line>) -> Self {
        let markdown = lines.iter().take(400).any(|l| {
            let c = &text[content_span(text, &l.span())];
            c.starts_with("## ")
                || c.starts_with("### ")
                || c.starts_with("# ")
                || c.starts_with("**")
        });
        Builder {
            text,
            lines,
            furniture_lines: Vec::new(),
            header: Header::default(),
            headings: Vec::new(),
            paragraphs: Vec::new(),
            items: Vec::new(),
            footnotes: Vec::new(),
            furniture: Vec::new(),
            markdown,
            lists: Vec::new(),
            next_list_id: 0,
            target: Target::None,
            in_footnotes: false,
            body_started: false,
            in_masthead: false,
            prev_content: None,
            prev_cspan: 0..0,
            prev_was_structural_end: true,
            para_open: false,
            max_paragraph: 0,
            para_indent: 0,
            nested_indent: None,
            quoted_number: None,
            in_toc: None,
        }
    }

    /// The span of line `i`'s content (trimmed of spaces).
    #[inline]
    fn cspan(&self, i: usize) -> Span {
        content_span(self.text, &self.lines[i].span())
    }

    #[inline]
    fn content(&self, i: usize) -> &'t str {
        &self.text[self.cspan(i)]
    }

    #[inline]
    fn is_blank(&self, i: usize) -> bool {
        self.cspan(i).is_empty()
    }

    /// Whether the previous prose line ends a sentence (or there is none, or it was a heading).
    fn prev_ends_sentence(&self) -> bool {
        // Front matter (title, summary) ends where the body starts, whatever its punctuation.
        if !self.body_started {
            return true;
        }
        let Some(p) = self.prev_content else {
            return true;
        };
        if matches!(self.lines[p].kind, LineKind::Heading | LineKind::Header) {
            return true;
        }
        ends_sentence(self.prev_text())
    }

    /// The previous content line is a row of a table: a table's last row ends with a figure,
    /// not like a sentence, and the heading or paragraph after it would be taken for the
    /// row's continuation.
    fn prev_is_table_row(&self) -> bool {
        self.prev_content
            .is_some_and(|p| self.lines[p].kind == LineKind::Body && is_table_row(self.prev_text()))
    }

    /// A section or subsection heading of `kind` numbered `number` (its Roman numeral's or
    /// letter's value) right after a table row (see [`Self::prev_is_table_row`]): accepted as a
    /// heading only when it is close to the next one expected (one repeated, up to two skipped:
    /// those are then reported, not lost), the row's text giving no sentence end to go by.
    fn next_heading_after_table(&self, kind: &HeadingKind, number: u32) -> bool {
        if !self.prev_is_table_row() {
            return false;
        }
        let last = self.headings.iter().rev().find(|h| {
            h.kind == *kind || (*kind == HeadingKind::Subsection && h.kind == HeadingKind::Section)
        });
        let expected = match last {
            Some(h) if h.kind == *kind => h.number.map_or(0, |n| n + 1),
            _ => 1,
        };
        number + 1 >= expected && number <= expected + 2
    }

    fn prev_ends_with_colon(&self) -> bool {
        self.prev_content.is_some() && {
            let c = strip_md_tail(self.prev_text());
            c.ends_with(':') || c.ends_with(": ")
        }
    }

    /// The content of line `prev_content` (empty when there is none).
    #[inline]
    fn prev_text(&self) -> &'t str {
        &self.text[self.prev_cspan.clone()]
    }

    /// Makes line `i`, whose content spans `cspan`, the previous content line.
    #[inline]
    fn set_prev(&mut self, i: usize, cspan: Span) {
        self.prev_content = Some(i);
        self.prev_cspan = cspan;
    }

    /// [`Self::set_prev`] for a line whose content span is not at hand.
    fn set_prev_line(&mut self, i: usize) {
        self.set_prev(i, self.cspan(i));
    }

    /// « Distr. » or « Original » is on one of the two content lines after line `i` (in either
    /// column of a two-column masthead): what comes before it is the masthead.
    fn header_field_follows(&self, i: usize) -> bool {
        let mut at = i;
        (0..2).any(|_| {
            let Some(j) = self.next_content(at) else {
                return false;
            };
            at = j;
            let c = self.content(j);
            is_header_field_line(c)
                || right_column(c).is_some_and(|k| is_header_field_line(&c[k..]))
        })
    }

    /// The next non-blank, non-furniture line after `i`.
    fn next_content(&self, i: usize) -> Option<usize> {
        // Each line's content found once for both tests.
        (i + 1..self.lines.len()).find(|&j| {
            let c = self.content(j);
            !c.is_empty() && content_furniture_kind(c).is_none()
        })
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            i = self.line(i);
        }
    }

    /// Handles line `i` (and any lines it swallows); returns the next line to handle.
    #[inline]
    fn line(&mut self, i: usize) -> usize {
        let cspan = self.cspan(i);
        if cspan.is_empty() {
            self.lines[i].kind = LineKind::Blank;
            return i + 1;
        }
        let content = &self.text[cspan.clone()];
        // Suppression markers (`<!-- unlint-disable … -->`) are invisible to the rules.
        if may_be_marker(content) && crate::suppress::is_marker(content) {
            self.mark_furniture(i, FurnitureKind::Other, cspan);
            return i + 1;
        }
        let cstart = cspan.start;
        let cend = cspan.end;
        let start = Start::of(content);
        let furniture = if start.any(Start::FURNITURE) && may_be_furniture(content, start) {
            furniture_kind(content, start)
        } else {
            None
        };
        if let Some(kind) = furniture {
            // The first symbol line of the header is the document's symbol, not a running head.
            if kind == FurnitureKind::RunningSymbol
                && !self.body_started
                && self.header.symbol.is_none()
            {
                let len = lexer::document_symbol(content).unwrap_or(cspan.len());
                self.header.symbol = Some(cstart..cstart + len);
                self.lines[i].kind = LineKind::Header;
                return i + 1;
            }
            self.mark_furniture(i, kind, cspan);
            self.in_footnotes = kind == FurnitureKind::FootnoteSeparator;
            if self.in_footnotes {
                self.target = Target::None;
            }
            return i + 1;
        }
        let deco = lexer::decoration(content);
        // Fast path, equivalent to the tests of `structured_line`: in the body, outside a table
        // of contents and footnotes, an undecorated line (so `rest` is `content`) that no
        // heading or paragraph test accepts by its first byte, and that is neither a table of
        // contents title, an annex title nor an item (by the same tests as there), is body text.
        // Most lines are.
        if deco.len == 0
            && self.body_started
            && self.in_toc.is_none()
            && !self.in_footnotes
            && !start.any(Start::NUMBERED)
            && !(start.any(Start::TOC) && lexer::toc_title(strip_md_tail(content)))
            && !(start.any(Start::ANNEX) && lexer::annex_title(strip_md_tail(content)))
            && !(start.any(Start::ITEM) && lexer::item_label(content).is_some())
        {
            self.lines[i].kind = LineKind::Body;
            self.extend_target(cend);
            self.set_prev(i, cstart..cend);
            return i + 1;
        }
        self.structured_line(i, cspan, deco)
    }

    /// [`Self::line`] for a line that may be structure: its content spans `cspan` (not
    /// empty), it is neither a marker nor furniture, and `deco` is its decoration.
    #[inline(never)]
    fn structured_line(&mut self, i: usize, cspan: Span, deco: Decoration) -> usize {
        let content = &self.text[cspan.clone()];
        let (cstart, cend) = (cspan.start, cspan.end);
        let rest = &content[deco.len..];
        let rstart = cstart + deco.len;
        // Which recognisers can match `rest`: the others are not run.
        let start = Start::of(rest);

        if !self.body_started && self.header_line(i, rest, rstart) {
            return i + 1;
        }

        // A table of contents repeats the headings with page numbers: skip it until the first
        // numbered paragraph, so its entries are not taken for (duplicate) headings.
        if start.any(Start::TOC) && lexer::toc_title(strip_md_tail(rest)) {
            self.in_toc = Some(TocState {
                start: i,
                seen_first_section: false,
            });
            self.lines[i].kind = LineKind::Heading;
            return i + 1;
        }
        if let Some(toc) = &mut self.in_toc {
            // The table ends at the first numbered paragraph, at the second « I. » or « Chapitre
            // I » (the real first section), or after 150 lines in any case.
            let first_section = lexer::roman_heading(rest).is_some_and(|(n, _)| &rest[..n] == "I")
                || lexer::chapter_heading(rest).is_some_and(|(at, n, _)| &rest[at..at + n] == "I");
            let ends = (lexer::paragraph_number(rest).is_some()
                && !lexer::looks_like_toc_entry(rest))
                || (first_section && toc.seen_first_section && !lexer::looks_like_toc_entry(rest))
                || i - toc.start > 150;
            if !ends {
                toc.seen_first_section |= first_section;
                self.lines[i].kind = LineKind::Body;
                return i + 1;
            }
            self.in_toc = None;
        }

        // « Annexe », "Annex II": numbering of paragraphs and sections restarts after it.
        if !deco.bullet && start.any(Start::ANNEX) && lexer::annex_title(strip_md_tail(rest)) {
            let end = rstart + strip_md_tail(rest).len();
            self.lines[i].kind = LineKind::Heading;
            self.headings.push(Heading {
                kind: HeadingKind::Unnumbered,
                span: rstart..end,
                number_span: None,
                number: None,
                punct_span: None,
                title_span: Some(rstart..end),
                markdown_level: (deco.hashes > 0).then_some(deco.hashes),
                continued: false,
                garbled: false,
                parent: None,
                annex: true,
            });
            self.after_heading(i);
            return i + 1;
        }

        // Footnote bodies after a separator, until furniture or the next structural start.
        if self.in_footnotes {
            let structural = (lexer::paragraph_number(rest).is_some() && self.prev_ends_sentence())
                || lexer::roman_heading(rest).is_some()
                || (lexer::letter_heading(rest).is_some() && self.prev_ends_sentence());
            if !structural {
                if let Some(m) = lexer::footnote_marker(content) {
                    self.footnotes.push(Footnote {
                        marker_span: cstart..cstart + m,
                        span: cstart..cend,
                    });
                } else if let Some(f) = self.footnotes.last_mut() {
                    f.span.end = cend;
                } else {
                    self.footnotes.push(Footnote {
                        marker_span: rstart..rstart,
                        span: rstart..cend,
                    });
                }
                self.lines[i].kind = LineKind::Footnote;
                self.target = Target::Footnote;
                // A paragraph may start right after the footnotes (page break): judge it by
                // how the last footnote line ends.
                self.set_prev(i, cstart..cend);
                return i + 1;
            }
            self.in_footnotes = false;
        }

        if let Some(next) = self.heading(i, deco, rest, rstart) {
            return next;
        }
        if !deco.bullet && self.paragraph_or_agenda(i, rest, rstart) {
            self.set_prev(i, cstart..cend);
            return i + 1;
        }
        if self.item(i, rest, rstart) {
            self.set_prev(i, cstart..cend);
            return i + 1;
        }
        if let Some(next) = self.unnumbered_heading(i, content, deco, rest, rstart) {
            return next;
        }

        // Body text: continues whatever is open.
        self.lines[i].kind = LineKind::Body;
        self.extend_target(cend);
        self.set_prev(i, cstart..cend);
        i + 1
    }

    /// Marks line `i` as page furniture of `kind`, its content spanning `span`.
    fn mark_furniture(&mut self, i: usize, kind: FurnitureKind, span: Span) {
        self.lines[i].kind = LineKind::Furniture;
        self.furniture_lines.push(self.lines[i].span());
        self.furniture.push(Furniture { kind, span });
    }

    fn extend_target(&mut self, end: usize) {
        match self.target {
            Target::Paragraph => {
                if let Some(p) = self.paragraphs.last_mut() {
                    p.span.end = end;
                }
            }
            Target::Item(idx) => {
                self.items[idx].span.end = end;
                if let Some(p) = self.items[idx].paragraph {
                    self.paragraphs[p].span.end = end;
                }
            }
            Target::Footnote => {
                if let Some(f) = self.footnotes.last_mut() {
                    f.span.end = end;
                }
            }
            Target::Heading(_) | Target::None => {}
        }
    }

    /// A document symbol among the words of a masthead line (`United Nations   A/74/130`).
    fn header_symbol_in(&mut self, rest: &str, rstart: usize) {
        if self.header.symbol.is_some() {
            return;
        }
        let mut off = 0;
        for w in rest.split_whitespace() {
            let at = off + rest[off..].find(w).unwrap_or(0);
            off = at + w.len();
            if lexer::document_symbol(w) == Some(w.len()) {
                self.header.symbol = Some(rstart + at..rstart + at + w.len());
                return;
            }
        }
    }

    /// Header fields: Distr., date, language, original language, addendum, symbol.
    fn header_line(&mut self, i: usize, rest: &str, rstart: usize) -> bool {
        // Two-column mastheads put « Distr. » after other text on the same line. Its offset is
        // the one in the lower case of `rest`, as long as that of the text before it.
        let distr_at = find_ascii_ci(rest, b"distr.")
            .or_else(|| find_ascii_ci(rest, b"distr:"))
            .map(|k| lower_len(&rest[..k]));
        let field = if let Some(k) = distr_at.filter(|_| self.header.distribution.is_none()) {
            self.header.distribution = Some(rstart + k..self.cspan(i).end);
            if k > 0 {
                self.header_symbol_in(rest, rstart);
            }
            true
        } else {
            self.header_field(i, rest, rstart)
                // A two-column masthead (`United Nations Convention against      12 March
                // 2021`): the date, languages and « Original » in the right-hand column.
                || right_column(rest).is_some_and(|at| self.header_field(i, &rest[at..], rstart + at))
        };
        if field {
            self.lines[i].kind = LineKind::Header;
            self.set_prev_line(i);
        }
        field
    }

    /// The header fields after « Distr. » (date, language, original language, addendum) that
    /// `rest` (line `i`'s text from `rstart`) may be; sets the one it is.
    fn header_field(&mut self, i: usize, rest: &str, rstart: usize) -> bool {
        let span = rstart..self.cspan(i).end;
        // The fields are read in the lower case of `rest`, built only when `rest` can be one
        // (see [`find_ascii_ci`]): « Original » is found in `rest` itself, a field name (ASCII
        // letters and « ç ») is the lower case only of as many bytes.
        let name = {
            let t = rest.trim_end_matches(['*', ' ']);
            (t.len() <= "rectificatif".len()).then(|| t.to_lowercase())
        };
        if self.header.distribution.is_some()
            && self.header.date.is_none()
            && self.prev_content.is_some()
            && self
                .header
                .distribution
                .as_ref()
                .is_some_and(|d| self.prev_cspan.contains(&d.start))
            && rest.split_whitespace().count() <= 5
            && rest.chars().any(|c| c.is_ascii_digit())
        {
            self.header.date = Some(span);
            true
        } else if matches!(
            name.as_deref(),
            Some("français" | "english" | "anglais" | "espagnol" | "spanish" | "french")
        ) && self.header.language.is_none()
        {
            self.header.language = Some(span);
            true
        } else if rest.len() < 40 && starts_ascii_ci(rest, b"original") {
            let after = rest.find([':', ' ']).map_or(rest.len(), |k| k + 1);
            let name = rest[after..].trim_start_matches([':', ' ', '\u{a0}', '\u{202f}']);
            let off = rest.len() - name.len();
            self.header.original_language = Some(rstart + off..span.end);
            true
        } else if matches!(
            name.as_deref(),
            Some("additif" | "addendum" | "rectificatif" | "corrigendum")
        ) {
            self.header.addendum = Some(span);
            true
        } else {
            false
        }
    }

    /// Section and subsection headings (numbered). Returns the next line index when it is one.
    fn heading(&mut self, i: usize, deco: Decoration, rest: &str, rstart: usize) -> Option<usize> {
        let marked = deco.hashes > 0 || deco.bold;
        // Both numbers start with a capital: most lines are rejected by their first byte.
        if deco.bullet || !Start::of(rest).any(Start::CAPITAL) {
            return None;
        }
        // Where the number starts and the title may, and the number's punctuation (none
        // after « Chapitre IV »).
        let (kind, num_at, num_len, title_at, punct) =
            if let Some((n, p)) = lexer::roman_heading(rest) {
                (HeadingKind::Section, 0, n, n + p.len_utf8(), Some(p))
            } else if let Some((at, n, title_at)) = lexer::chapter_heading(rest) {
                roman_value(&rest[at..at + n])?;
                (HeadingKind::Section, at, n, title_at, None)
            } else if lexer::letter_heading(rest).is_some() {
                (HeadingKind::Subsection, 0, 1, 2, Some('.'))
            } else {
                return None;
            };
        let number_text = &rest[num_at..num_at + num_len];
        let (number, garbled) = match kind {
            HeadingKind::Section => match roman_value(number_text) {
                Some(v) => (Some(v), false),
                None => (Some(self.guess_roman(number_text)), true),
            },
            _ => (
                Some(number_text.chars().next().unwrap() as u32 - 'A' as u32 + 1),
                false,
            ),
        };
        let title_inline = strip_md_tail(rest[title_at.min(rest.len())..].trim());
        if !marked {
            if !self.prev_ends_sentence()
                && (garbled || !self.next_heading_after_table(&kind, number.unwrap_or(0)))
            {
                return None;
            }
            if !title_inline.is_empty() && !looks_like_title(title_inline) {
                return None;
            }
            if punct == Some(',') {
                return None;
            }
        }
        if kind == HeadingKind::Subsection && title_inline.is_empty() && !marked {
            // A lone « A. » line is too weak a signal.
            return None;
        }
        let num_span = rstart + num_at..rstart + num_at + num_len;
        let punct_span = punct.map(|p| num_span.end..num_span.end + p.len_utf8());
        let mut end = self.cspan(i).end;
        let mut title_span = None;
        let mut next = i + 1;
        if !title_inline.is_empty() {
            // `rest.find(title_inline)` without building a substring searcher: the title is a
            // piece of `rest`, so its first occurrence starts at the latest where it lies.
            let at = title_inline.as_ptr() as usize - rest.as_ptr() as usize;
            let off = (0..at)
                .find(|&k| rest.as_bytes()[k..].starts_with(title_inline.as_bytes()))
                .unwrap_or(at);
            title_span = Some(rstart + off..rstart + off + title_inline.len());
        } else if let Some(j) = self.next_content(i) {
            // `I.` alone on its line, its title on the next one (PDF layout).
            let c = self.content(j);
            if looks_like_title(c)
                && lexer::paragraph_number(c).is_none()
                && lexer::roman_heading(c).is_none()
            {
                title_span = Some(self.cspan(j));
                end = self.cspan(j).end;
                next = j + 1;
            }
        }
        // Continuation of the title on the next line: lower-case start or « (suite) ».
        let mut continued = says_continued(title_inline);
        if let Some(t) = &title_span {
            let last_title = self.text[t.clone()].to_string();
            if !ends_sentence(&last_title) {
                if let Some(j) = self.next_content(next - 1) {
                    let c = strip_md_tail(self.content(j));
                    let first = c.chars().next().unwrap_or(' ');
                    if (first.is_lowercase() || c.starts_with('('))
                        && c.chars().count() <= 90
                        && !ends_with_comma(c)
                    {
                        end = self.cspan(j).end;
                        title_span = Some(t.start..end);
                        continued |= says_continued(c);
                        next = j + 1;
                    }
                }
            }
        }
        // UN headings never end like a sentence: « M. Mashabane (Afrique du Sud), Président. » is
        // running text that happens to start with an initial.
        if !marked {
            if let Some(t) = &title_span {
                if strip_md_tail(&self.text[t.clone()]).ends_with(['.', ';', ',']) {
                    return None;
                }
            }
        }
        for k in i..next {
            if self.lines[k].kind != LineKind::Furniture && !self.is_blank(k) {
                self.lines[k].kind = LineKind::Heading;
            }
        }
        let parent = match kind {
            HeadingKind::Subsection => self
                .headings
                .iter()
                .rposition(|h| h.kind == HeadingKind::Section),
            _ => None,
        };
        self.headings.push(Heading {
            kind,
            span: rstart..end,
            number_span: Some(num_span),
            number,
            punct_span,
            title_span,
            markdown_level: (deco.hashes > 0).then_some(deco.hashes),
            continued,
            garbled,
            parent,
            annex: false,
        });
        self.after_heading(next - 1);
        Some(next)
    }

    fn after_heading(&mut self, last_line: usize) {
        self.body_started = true;
        self.target = Target::Heading(self.headings.len() - 1);
        self.lists.clear();
        self.para_open = false;
        self.set_prev_line(last_line);
        self.prev_was_structural_end = true;
    }

    /// Reads an OCR-garbled Roman numeral (`ITII`) as the nearest plausible section number.
    fn guess_roman(&self, s: &str) -> u32 {
        let last = self
            .headings
            .iter()
            .rev()
            .find(|h| h.kind == HeadingKind::Section)
            .and_then(|h| h.number)
            .unwrap_or(0);
        let norm: String = s
            .chars()
            .map(|c| if matches!(c, 'l' | '1' | '|') { 'I' } else { c })
            .collect();
        (last + 1..=last + 3)
            .min_by_key(|&n| (edit_distance(&norm, &to_roman(n)), n))
            .unwrap_or(last + 1)
    }

    /// Unnumbered headings: a short block of one to four lines, after a finished sentence, that
    /// does not end like a sentence and is followed by a structural start.
    fn unnumbered_heading(
        &mut self,
        i: usize,
        content: &str,
        deco: Decoration,
        rest: &str,
        rstart: usize,
    ) -> Option<usize> {
        if deco.bullet {
            return None;
        }
        if deco.hashes > 0 {
            let title = strip_md_tail(rest.trim());
            if !self.body_started && self.header.title.is_none() {
                self.header.title = Some(rstart..rstart + title.len());
                self.lines[i].kind = LineKind::Header;
                self.set_prev_line(i);
                return Some(i + 1);
            }
            return Some(self.push_unnumbered(i, i, rstart, deco.hashes));
        }
        if !self.body_started
            && self.header.title.is_none()
            && self.header.distribution.is_some()
            && self.is_long_title(i, content)
        {
            self.header.title = Some(rstart..self.cspan(i).end);
            self.lines[i].kind = LineKind::Header;
            self.set_prev_line(i);
            return Some(i + 1);
        }
        // The cheaper test first (both are pure): most lines do not start with a capital.
        if !is_heading_block_start(content) || !self.prev_ends_sentence() {
            return None;
        }
        let last = self.heading_block_end(i)?;
        // A table's rows are short lines that do not end like sentences, but no heading.
        if (i..=last).any(|k| is_table_row(self.content(k))) {
            return None;
        }
        // What follows must be structure: a numbered paragraph, a heading, or another such block.
        let follow = self.next_content(last)?;
        let fc = self.content(follow);
        let fdeco = lexer::decoration(fc);
        let frest = &fc[fdeco.len..];
        let structural = lexer::paragraph_number(frest).is_some()
            || lexer::roman_heading(frest).is_some()
            || lexer::letter_heading(frest).is_some()
            || (is_heading_block_start(fc) && self.heading_block_end(follow).is_some());
        if !structural {
            return None;
        }
        if !self.body_started && self.header_field_follows(last) {
            // The organ's name above « Distr. » (« Nations Unies », « Conseil économique et
            // social », with the symbol on the same line in a two-column export) is the
            // masthead, not the title: the title comes after the header's fields.
            for k in i..=last {
                self.lines[k].kind = LineKind::Header;
                let c = self.cspan(k);
                self.header_symbol_in(&self.text[c.clone()], c.start);
            }
            self.set_prev_line(last);
            return Some(last + 1);
        }
        if !self.body_started {
            // The session block of a masthead (« Commission pour la prévention du crime et la
            // justice pénale / Vingt-huitième session / Vienne, 20-24 mai 2019 ») is not the
            // title: its dates are the session's, not those of the meeting the report is about.
            // The title is the next block. Its lines may come as blocks of their own (a PDF
            // export with blank lines between lines): the body's name, taken for the title just
            // before the session line, is dropped, and a « Vienne, 20-24 mai 2019 » line after
            // it is the masthead's too.
            let session = (i..=last).any(|k| is_session_line(self.content(k)));
            let title_just_before = self.header.title.as_ref().map(|t| t.end)
                == self.prev_content.map(|_| self.prev_cspan.end);
            if session && title_just_before && !self.in_masthead {
                self.header.title = None;
            }
            let place_and_dates =
                self.in_masthead && i == last && is_place_and_dates(self.content(i));
            if self.header.title.is_none() {
                if session || place_and_dates {
                    self.in_masthead = true;
                } else {
                    self.header.title = Some(rstart..self.cspan(last).end);
                    self.in_masthead = false;
                }
                for k in i..=last {
                    self.lines[k].kind = LineKind::Header;
                }
                self.set_prev_line(last);
                return Some(last + 1);
            }
        }
        Some(self.push_unnumbered(i, last, rstart, 0))
    }

    fn push_unnumbered(&mut self, first: usize, last: usize, rstart: usize, hashes: u8) -> usize {
        let end = self.cspan(last).end;
        let title_end = rstart + strip_md_tail(&self.text[rstart..end]).len();
        for k in first..=last {
            if !self.is_blank(k) {
                self.lines[k].kind = LineKind::Heading;
            }
        }
        self.headings.push(Heading {
            kind: HeadingKind::Unnumbered,
            span: rstart..title_end,
            number_span: None,
            number: None,
            punct_span: None,
            title_span: Some(rstart..title_end),
            markdown_level: (hashes > 0).then_some(hashes),
            continued: false,
            garbled: false,
            parent: None,
            annex: false,
        });
        self.after_heading(last);
        last + 1
    }

    /// A plain-text export's title on one line of over 100 characters, after the header's
    /// fields (« Rapport de la réunion du Groupe d'experts …, tenue à Vienne du 27 au 29 juillet
    /// 2020 »): a capital first, no sentence end, and a numbered heading or paragraph next.
    /// Shorter titles are heading blocks ([`Self::heading_block_end`]).
    fn is_long_title(&self, i: usize, c: &str) -> bool {
        let c = strip_md_tail(c);
        let chars = c.chars().count();
        (101..=400).contains(&chars)
            && c.chars().next().is_some_and(char::is_uppercase)
            && !ends_sentence(c)
            && !c.ends_with([',', ';'])
            && self.next_content(i).is_some_and(|j| {
                let n = self.content(j);
                let rest = &n[lexer::decoration(n).len..];
                lexer::roman_heading(rest).is_some() || lexer::paragraph_number(rest).is_some()
            })
    }

    /// The last line of a heading-shaped block starting at `i`: consecutive short lines, the
    /// last not ending like a sentence or on a function word.
    fn heading_block_end(&self, i: usize) -> Option<usize> {
        let mut last = i;
        // The content of line `last`, carried from one step to the next.
        let mut c = self.content(last);
        loop {
            // More than 400 bytes are more than 100 characters (of at most 4 bytes each):
            // the count is left for the lengths in between.
            if c.len() > 400 || (c.len() > 100 && c.chars().count() > 100) || ends_with_comma(c) {
                return None;
            }
            let next = last + 1;
            if next >= self.lines.len() {
                break;
            }
            // Trimmed once for the three tests ([`Self::is_blank`], [`Self::furniture_kind`]).
            let nc = self.content(next);
            if nc.is_empty() || content_furniture_kind(nc).is_some() {
                break;
            }
            if lexer::paragraph_number(nc).is_some() || lexer::roman_heading(nc).is_some() {
                break;
            }
            // A masthead line carrying the header fields ends a title block.
            if !self.body_started && is_header_field_line(nc) {
                break;
            }
            if next - i >= 4 {
                return None;
            }
            last = next;
            c = nc;
        }
        let c = strip_md_tail(c);
        if ends_sentence(c) || c.ends_with(';') || ends_with_function_word(c) {
            return None;
        }
        Some(last)
    }

    /// Numbered paragraphs and the numbered agenda lists inside them.
    fn paragraph_or_agenda(&mut self, i: usize, rest: &str, rstart: usize) -> bool {
        if !Start::of(rest).any(Start::DIGIT) {
            return false;
        }
        // `12.` alone on its line with the text on the next one (PDF extraction).
        // Only tried when `paragraph_number` fails (the two never both match: `number_alone`
        // wants the line to end after the period, `paragraph_number` a space there).
        let alone = || {
            lexer::number_alone(rest).filter(|_| {
                self.next_content(i).is_some_and(|j| {
                    let c = self.content(j);
                    c.chars()
                        .next()
                        .is_some_and(|f| f.is_uppercase() || f == '«')
                        && lexer::paragraph_number(c).is_none()
                })
            })
        };
        let Some((dlen, punct)) = lexer::paragraph_number(rest).or_else(alone) else {
            return false;
        };
        let Ok(n) = rest[..dlen].parse::<u32>() else {
            return false;
        };
        let last = self.paragraphs.last().map(|p| p.number);
        // After a table's last row, a number close to the last paragraph's (one repeated, up to
        // two skipped: those are then reported, not lost) starts a paragraph.
        if !(self.prev_ends_sentence()
            || (self.markdown && self.is_blank(i.saturating_sub(1)))
            || (last.is_some_and(|l| n + 1 >= l && n <= l + 3) && self.prev_is_table_row()))
        {
            return false;
        }
        // An agenda: numbered items restarting at 1 after « … suivant : ».
        let agenda_pos = self
            .lists
            .iter()
            .rposition(|l| l.style == ItemStyle::Numeric);
        let agenda = agenda_pos.map(|k| self.lists[k].clone());
        let indent = rstart - self.lines[i].span().start;
        // A list that its indentation opened goes on only as deep (a paragraph's number at
        // the margin after it is the next paragraph, whatever its number).
        let in_agenda_seq = agenda.as_ref().is_some_and(|l| n == l.last + 1)
            && self.nested_indent.is_none_or(|d| indent + 2 >= d);
        // A wrong number indented as deep as the open list, not a paragraph's: the list's
        // item, which `numbering/item` reports (« 5. » after « 3. » in an agenda).
        let in_agenda_seq = in_agenda_seq
            || (agenda.is_some() && !self.markdown && n > 1 && indent >= self.para_indent + 4);
        let opens_agenda =
            n == 1 && self.prev_ends_with_colon() && !self.paragraphs.is_empty() && last != Some(0);
        // A list numbered from 1 indented well inside the paragraphs' numbers: the operative
        // paragraphs of a resolution quoted in the report, a provisional agenda under its
        // centred title (« Ordre du jour provisoire de la soixante-cinquième session »), not
        // paragraphs restarting.
        let opens_nested = n == 1
            && !self.markdown
            && last.is_some_and(|l| l > 0)
            && indent >= self.para_indent + 4;
        if punct == '.' && (in_agenda_seq || ((opens_agenda || opens_nested) && agenda.is_none())) {
            let list = match agenda {
                Some(l) if in_agenda_seq => {
                    self.lists.truncate(agenda_pos.unwrap_or(0) + 1);
                    l.id
                }
                _ => {
                    self.nested_indent = (!opens_agenda).then_some(indent);
                    self.new_list(ItemStyle::Numeric, 0)
                }
            };
            self.push_item(i, ItemStyle::Numeric, rstart..rstart + dlen, n, list, false);
            return true;
        }
        // A number that goes back, indented well inside the paragraphs' numbers, is text
        // quoted in the paragraph (a resolution's operative paragraph whose « 1. » followed a
        // comma), not a paragraph.
        // So is the next number of such a run (« 2. », « 3. » after that « 1. »).
        if !self.markdown
            && indent >= self.para_indent + 4
            && (last.is_some_and(|l| n <= l) || self.quoted_number.is_some_and(|q| n == q + 1))
        {
            self.quoted_number = Some(n);
            return false;
        }
        // Guard against wrapped numbers (`2011. Il y a …`): a plausible next paragraph number.
        if last.is_some() {
            if n > self.max_paragraph + 20 {
                return false;
            }
        } else if n > 200 {
            return false;
        }
        let end = self.cspan(i).end;
        self.paragraphs.push(Paragraph {
            number: n,
            number_span: rstart..rstart + dlen,
            punct_span: rstart + dlen..rstart + dlen + 1,
            span: rstart..end,
            heading: self.headings.len().checked_sub(1),
        });
        self.lines[i].kind = LineKind::Body;
        self.lists.clear();
        self.nested_indent = None;
        self.quoted_number = None;
        self.para_indent = indent;
        self.max_paragraph = self.max_paragraph.max(n);
        self.para_open = true;
        self.target = Target::Paragraph;
        self.body_started = true;
        true
    }

    fn new_list(&mut self, style: ItemStyle, depth: u8) -> usize {
        let id = self.next_list_id;
        self.next_list_id += 1;
        self.lists.push(OpenList {
            id,
            style,
            last: 0,
            depth,
        });
        id
    }

    fn push_item(
        &mut self,
        i: usize,
        style: ItemStyle,
        label: Span,
        ordinal: u32,
        list: usize,
        garbled: bool,
    ) {
        let end = self.cspan(i).end;
        let depth = self
            .lists
            .iter()
            .find(|l| l.id == list)
            .map_or(0, |l| l.depth);
        if let Some(l) = self.lists.iter_mut().find(|l| l.id == list) {
            l.last = ordinal;
        }
        let paragraph = if self.para_open {
            self.paragraphs.len().checked_sub(1)
        } else {
            None
        };
        let start = label
            .start
            .saturating_sub(usize::from(self.text[..label.start].ends_with('(')));
        self.items.push(ListItem {
            style,
            label_span: label,
            ordinal,
            span: start..end,
            list,
            depth,
            garbled,
            paragraph,
        });
        if let Some(p) = paragraph.and_then(|p| self.paragraphs.get_mut(p)) {
            p.span.end = p.span.end.max(end);
        }
        self.lines[i].kind = LineKind::Body;
        self.target = Target::Item(self.items.len() - 1);
    }

    /// Subparagraph items `a)`, `ii)`, `(b)`; decides letter or roman by context.
    fn item(&mut self, i: usize, rest: &str, rstart: usize) -> bool {
        if !Start::of(rest).any(Start::ITEM) {
            return false;
        }
        let Some((ls, le, _)) = lexer::item_label(rest) else {
            return false;
        };
        if !self.prev_ends_sentence() && !self.prev_ends_with_colon() {
            return false;
        }
        let label = &rest[ls..le];
        let span = rstart + ls..rstart + le;
        let garbled = lexer::repair_label(label).is_some();
        let alpha = if garbled { Some(3) } else { alpha_value(label) };
        let roman = if label.chars().all(|c| matches!(c, 'i' | 'v' | 'x')) {
            roman_value(label)
        } else {
            None
        };
        // Drop agenda lists: subparagraph letters live under them only when nested (`- a)`).
        let top = self.lists.last().cloned();
        let alpha_list = self.lists.iter().rposition(|l| l.style == ItemStyle::Alpha);
        let colon = self.prev_ends_with_colon();

        let roman_continues = top.as_ref().is_some_and(|t| t.style == ItemStyle::Roman)
            && roman.is_some_and(|r| Some(r) == top.as_ref().map(|t| t.last + 1));
        let alpha_continues = alpha_list.is_some_and(|k| alpha == Some(self.lists[k].last + 1));
        let (style, ordinal, list) = if roman_continues
            && !(alpha_continues && self.next_label_is_alpha_successor(i, alpha.unwrap_or(0)))
        {
            let t = top.unwrap();
            (ItemStyle::Roman, roman.unwrap(), t.id)
        } else if alpha_continues && !(roman == Some(1) && colon && self.next_label_is(i, "ii")) {
            let k = alpha_list.unwrap();
            self.lists.truncate(k + 1);
            (ItemStyle::Alpha, alpha.unwrap(), self.lists[k].id)
        } else if roman == Some(1) && (colon || top.is_some()) {
            let depth = self.lists.len() as u8;
            let id = self.new_list(ItemStyle::Roman, depth);
            (ItemStyle::Roman, 1, id)
        } else if alpha.is_some() && (alpha == Some(1) || top.is_none()) {
            // A new letter list: nested when introduced by a colon inside an open list.
            let nested = colon && top.is_some();
            if !nested {
                self.lists.clear();
            }
            let depth = self.lists.len() as u8;
            let id = self.new_list(ItemStyle::Alpha, depth);
            (ItemStyle::Alpha, alpha.unwrap(), id)
        } else if let (Some(r), Some(t)) =
            (roman, top.as_ref().filter(|t| t.style == ItemStyle::Roman))
        {
            (ItemStyle::Roman, r, t.id)
        } else if let (Some(a), Some(k)) = (alpha, alpha_list) {
            self.lists.truncate(k + 1);
            (ItemStyle::Alpha, a, self.lists[k].id)
        } else if let Some(r) = roman {
            let depth = self.lists.len() as u8;
            let id = self.new_list(ItemStyle::Roman, depth);
            (ItemStyle::Roman, r, id)
        } else if let Some(a) = alpha {
            let depth = self.lists.len() as u8;
            let id = self.new_list(ItemStyle::Alpha, depth);
            (ItemStyle::Alpha, a, id)
        } else {
            return false;
        };
        self.push_item(i, style, span, ordinal, list, garbled);
        true
    }

    /// The label of the next item line after `i` (before the next paragraph), if any.
    fn next_label(&self, i: usize) -> Option<&'t str> {
        for j in i + 1..self.lines.len().min(i + 400) {
            let c = self.content(j);
            let d = lexer::decoration(c);
            let r = &c[d.len..];
            if lexer::paragraph_number(r).is_some() || lexer::roman_heading(r).is_some() {
                return None;
            }
            if let Some((s, e, _)) = lexer::item_label(r) {
                return Some(&r[s..e]);
            }
        }
        None
    }

    fn next_label_is(&self, i: usize, label: &str) -> bool {
        self.next_label(i) == Some(label)
    }

    fn next_label_is_alpha_successor(&self, i: usize, alpha: u32) -> bool {
        self.next_label(i).and_then(alpha_value) == Some(alpha + 1)
    }

    /// The document without its text (moved in by [`parse`]), and the stretches its prose
    /// view blanks.
    fn finish(
        self,
        links: Vec<Link>,
        marks: Vec<std::ops::Range<usize>>,
    ) -> (Document, Vec<std::ops::Range<usize>>) {
        let text = self.text;
        let lines = self.lines;
        let blanks = super::markdown::blanks(self.furniture_lines, &links, marks);
        let lang = detect_lang(text, &self.header);
        let header = self.header;
        let doc = Document {
            prose: String::new(),
            blanked: Default::default(),
            lang,
            markdown: self.markdown,
            header,
            headings: self.headings,
            paragraphs: self.paragraphs,
            items: self.items,
            footnotes: self.footnotes,
            furniture: self.furniture,
            links,
            lines,
            cache: Default::default(),
        };
        (doc, blanks)
    }
}

/// Whether a line's content `c` can start an unnumbered heading block.
fn is_heading_block_start(c: &str) -> bool {
    let start = Start::of(c);
    if !start.any(Start::CAPITAL) {
        return false;
    }
    // A line starting with an ASCII capital is neither a paragraph nor an item.
    let first = c.chars().next().unwrap_or(' ');
    first.is_uppercase()
        && looks_like_title(c)
        && !(start.any(Start::DIGIT) && lexer::paragraph_number(c).is_some())
        && !(start.any(Start::ITEM) && lexer::item_label(c).is_some())
}

/// A masthead line without its Markdown emphasis, footnote stars (« provisoire* ») and
/// trailing spaces.
fn masthead_text(s: &str) -> &str {
    strip_md_tail(s).trim_end_matches(['*', ' ', '\u{a0}'])
}

/// A masthead line naming a session or an agenda item: « Vingt-huitième session », "Seventy-fourth
/// session", « Point 7 de l'ordre du jour provisoire* », "Item 7 of the provisional agenda".
fn is_session_line(s: &str) -> bool {
    let s = masthead_text(s);
    if s.len() > 80 {
        return false;
    }
    // « Vingt-huitième session », « Reprise de la vingt-huitième session »: a few words ending
    // with « session », not a title such as « Rapport sur les travaux de sa vingt-huitième
    // session ».
    let words = s.split([' ', '\u{a0}']).filter(|w| !w.is_empty());
    let (count, last_word) = words.fold((0, ""), |(n, _), w| (n + 1, w));
    ((2..=5).contains(&count)
        && last_word.eq_ignore_ascii_case("session")
        && !starts_ascii_ci(s, b"rapport")
        && !starts_ascii_ci(s, b"report"))
        || ((starts_ascii_ci(s, b"point ") || starts_ascii_ci(s, b"points "))
            && find_ascii_ci(s, b"ordre du jour").is_some())
        || ((starts_ascii_ci(s, b"item ") || starts_ascii_ci(s, b"items "))
            && find_ascii_ci(s, b"agenda").is_some())
}

/// A masthead's place and dates: « Vienne, 20-24 mai 2019 », "New York, 24 September-2 October
/// 2019": a short line with a comma, ending with a year.
fn is_place_and_dates(s: &str) -> bool {
    let s = masthead_text(s);
    let b = s.as_bytes();
    s.len() <= 80
        && s.contains(", ")
        && b.len() >= 5
        && b[b.len() - 4..].iter().all(u8::is_ascii_digit)
        // a space (or the last byte of a no-break space) before the year
        && matches!(b[b.len() - 5], b' ' | 0xA0)
}

/// Where the right-hand column of a two-column masthead line starts: after its last run of
/// three spaces or more, when text stands on both sides of it.
fn right_column(rest: &str) -> Option<usize> {
    let gap = rest.trim_end().rfind("   ")?;
    let at = gap + rest[gap..].len() - rest[gap..].trim_start().len();
    (!rest[..gap].trim().is_empty() && at < rest.trim_end().len()).then_some(at)
}

/// A line that holds « Distr. » or « Original : »: a header field, never part of a title.
fn is_header_field_line(s: &str) -> bool {
    // `s.to_lowercase()` contains « distr. » … without building it (see [`find_ascii_ci`]).
    find_ascii_ci(s, b"distr.").is_some()
        || find_ascii_ci(s, b"distr:").is_some()
        || starts_ascii_ci(s, b"original")
}

/// Where `lower` (ASCII, lower case, no `i` last, no `k`) first occurs in `s.to_lowercase()`
/// counted in the bytes of `s`: where it first occurs in `s` ignoring ASCII case. The only
/// non-ASCII characters whose lower case holds an ASCII character are U+0130 (`i` and a
/// combining dot) and U+212A (`k`) (a test checks): every ASCII character of the lower case
/// comes from an ASCII character of `s`, but for an `i` followed by a non-ASCII one.
fn find_ascii_ci(s: &str, lower: &[u8]) -> Option<usize> {
    let b = s.as_bytes();
    memchr::memchr2_iter(lower[0], lower[0].to_ascii_uppercase(), b).find(|&k| {
        b[k..]
            .get(..lower.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(lower))
    })
}

/// Whether `s.to_lowercase()` starts with `lower` (as in [`find_ascii_ci`]).
fn starts_ascii_ci(s: &str, lower: &[u8]) -> bool {
    s.as_bytes()
        .get(..lower.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(lower))
}

/// The byte length of `s.to_lowercase()` (the same inside a longer text: only the final
/// sigma's lower case depends on what follows, and both of its forms have two bytes).
fn lower_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.to_lowercase().len()
    }
}

/// The page furniture a line's content `c` is, if any.
fn content_furniture_kind(c: &str) -> Option<FurnitureKind> {
    let start = Start::of(c);
    if !start.any(Start::FURNITURE) || !may_be_furniture(c, start) {
        return None;
    }
    furniture_kind(c, start)
}

/// Whether [`furniture_kind`] may find furniture in `c` (`start` is [`Start::of`] `c`): false
/// only when none of its tests can pass, by what each needs of the line's length or first
/// word. Nearly every line starting with a capital or a digit is asked (~6 600 on 2 MB) and
/// nearly none is furniture: inlined, this spares the call of the tests and their setting up.
/// The test `may_be_furniture_misses_none` checks it on the seeds.
#[inline(always)]
fn may_be_furniture(c: &str, start: Start) -> bool {
    // A separator `_` or a bar code `*` starts few lines: their tests decide.
    start.any(Start::SEPARATOR.or(Start::BARCODE))
        // An undocs.org link or a bare URL starts « http ».
        || (start.any(Start::URL) && c.starts_with("http"))
        // A page counter has at most seven bytes.
        || (start.any(Start::DIGIT) && c.len() <= 7)
        // A form feed, « merci de recycler », "please recycle": 1, 17 or 14 bytes.
        || (start.any(Start::RECYCLE) && matches!(c.len(), 1 | 14 | 17))
        // Job numbers and running symbols: their first word is a code.
        || (start.any(Start::CODE) && lexer::first_word_may_be_code(c))
}

/// The page furniture a line's content `c` is, if any; `start` is [`Start::of`] `c`.
fn furniture_kind(c: &str, start: Start) -> Option<FurnitureKind> {
    // Each test runs only on lines starting with a byte it accepts (see [`Start`]); the tests
    // keep their order, for a line that two of them accept.
    if start.any(Start::SEPARATOR) && lexer::footnote_separator(c) {
        return Some(FurnitureKind::FootnoteSeparator);
    }
    if start.any(Start::URL) && lexer::undocs_link(c) {
        return Some(FurnitureKind::UndocsLink);
    }
    if start.any(Start::BARCODE) && lexer::is_barcode(c) {
        return Some(FurnitureKind::JobNumber);
    }
    if start.any(Start::URL) && lexer::bare_url(c) {
        return Some(FurnitureKind::Other);
    }
    // Job-number and running-symbol lines consist of codes only: a first word that cannot be
    // one rejects both without a scan of the line.
    let code = start.any(Start::CODE) && lexer::first_word_may_be_code(c);
    if code && lexer::job_number(c) {
        return Some(FurnitureKind::JobNumber);
    }
    if start.any(Start::DIGIT) && lexer::is_page_counter(c) {
        return Some(FurnitureKind::PageCounter);
    }
    // A symbol has slashes: most lines are rejected by one byte search, with no word list.
    if code
        && memchr::memchr(b'/', c.as_bytes()).is_some()
        && c.split_whitespace()
            .all(|w| lexer::document_symbol(w) == Some(w.len()) || lexer::is_page_counter(w))
        && c.split_whitespace()
            .any(|w| lexer::document_symbol(w).is_some())
    {
        return Some(FurnitureKind::RunningSymbol);
    }
    if start.any(Start::RECYCLE)
        && (c == "\u{c}"
            || c.eq_ignore_ascii_case("merci de recycler")
            || c.eq_ignore_ascii_case("please recycle"))
    {
        return Some(FurnitureKind::Other);
    }
    None
}

/// Whether a heading's title says « (suite) » or "(continued)".
fn says_continued(s: &str) -> bool {
    // `contains` of either, by the `(` they start with: no substring searcher per call.
    memchr::memchr_iter(b'(', s.as_bytes()).any(|k| {
        let t = &s.as_bytes()[k..];
        t.starts_with(b"(suite)") || t.starts_with(b"(continued)")
    })
}

/// Trailing Markdown decoration (`**`) and spaces removed.
fn strip_md_tail(s: &str) -> &str {
    // Nothing to strip when the last byte is neither a space, `*` nor part of a non-ASCII
    // character (which could be a space): most lines end so.
    if let Some(&last) = s.as_bytes().last() {
        if !matches!(last, b'\t'..=b'\r' | b' ' | b'*' | 0x80..=0xFF) {
            return s;
        }
    }
    // `trim_end_matches("**")` by hand: the `&str` pattern builds a substring searcher per call,
    // and this runs several times per line.
    let mut t = s.trim_end();
    while let Some(u) = t.strip_suffix("**") {
        t = u;
    }
    t.trim_end()
}

/// Whether a line ends a sentence: `.`, `:`, `;`, `!`, `?`, a closing quote, or a footnote
/// marker glued after a period (`nouvelles.2`).
fn ends_sentence(s: &str) -> bool {
    let s = strip_md_tail(s);
    // A last byte that is ASCII and no digit decides alone (no digits to strip): most lines.
    match s.as_bytes().last() {
        Some(b'.' | b':' | b';' | b'!' | b'?' | b'"') => return true,
        Some(&c) if c < 0x80 && !c.is_ascii_digit() => return false,
        _ => {}
    }
    // Digits are ASCII: trimmed by byte.
    let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
    let t = &s[..s.len() - digits];
    let last = s.chars().last();
    matches!(last, Some('.' | ':' | ';' | '!' | '?' | '»' | '"' | '”'))
        // A footnote call after the punctuation: « services;2 », « conférence.12 ».
        || (t.len() < s.len() && t.ends_with(['.', ';', ':']) && s.len() - t.len() <= 2)
}

/// A table's row as text exports give it: cells separated by runs of spaces (or tabs), the
/// last one a figure (« Europe      11      12 », « Total   1 200   3,4 % »). Running text,
/// even justified, does not end with a figure after a wide gap in every column.
fn is_table_row(s: &str) -> bool {
    let b = s.trim_end().as_bytes();
    // Most lines end with a letter or punctuation: decided by the last byte.
    if !b.last().is_some_and(|c| c.is_ascii_digit() || *c == b'%') {
        return false;
    }
    // The last cell: after the last tab or run of two spaces or more.
    let Some(gap) = (1..b.len())
        .rev()
        .find(|&k| b[k] == b'\t' || (b[k] == b' ' && b[k - 1] == b' '))
    else {
        return false;
    };
    let last_cell = std::str::from_utf8(&b[gap + 1..]).unwrap_or("").trim();
    let wide_gap = b.contains(&b'\t') || b.windows(3).any(|w| w == b"   ");
    wide_gap
        && !s[..gap].trim().is_empty()
        && !last_cell.is_empty()
        && last_cell.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '%' | '-' | '\u{a0}' | '\u{202f}')
        })
}

fn ends_with_comma(s: &str) -> bool {
    strip_md_tail(s).ends_with(',')
}

/// A heading title: starts with a capital (or quote/bracket), not too long.
fn looks_like_title(s: &str) -> bool {
    let s = strip_md_tail(s);
    let Some(first) = s.chars().next() else {
        return false;
    };
    // At most 120 characters: certain from the byte length up to 120, impossible above 480.
    let short = s.len() <= 120 || (s.len() <= 4 * 120 && s.chars().count() <= 120);
    (first.is_uppercase() || matches!(first, '«' | '"' | '“' | '(')) && short && !s.ends_with(',')
}

/// Words a heading never ends on (a wrapped sentence does).
fn ends_with_function_word(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "le", "la", "les", "de", "des", "du", "et", "à", "a", "en", "au", "aux", "un", "une",
        "par", "pour", "sur", "dans", "avec", "que", "qui", "ou", "the", "of", "and", "to", "in",
        "a", "an", "for", "on", "by", "with", "or", "that",
    ];
    let last = s.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    let last = last.rsplit(['’', '\'']).next().unwrap_or(last);
    // An ASCII word lower-cases to its ASCII lower case, and only the ASCII words of the list
    // can equal it: compared without the lower-cased copy.
    if last.is_ascii() {
        return WORDS.iter().any(|w| last.eq_ignore_ascii_case(w));
    }
    // A word with a non-ASCII character lower-cases to a non-ASCII one or to a `k` (of the
    // non-ASCII characters only U+0130 and U+212A lower-case to something holding ASCII:
    // `i` and a combining dot, `k`; see `only_two_non_ascii_characters_lower_case_to_ascii`),
    // and no ASCII word of the list has a `k`: only « à » can equal its lower case. Compared
    // character by character, without the lower-cased copy (the final sigma, the one letter
    // whose lower case depends on its neighbours, lower-cases to no letter of « à »).
    last.chars().flat_map(char::to_lowercase).eq("à".chars())
}

/// The document's language: from the header, else from stop-word counts.
fn detect_lang(text: &str, header: &Header) -> Lang {
    if let Some(l) = &header.language {
        let l = text[l.clone()].to_lowercase();
        if l.starts_with("english") || l.starts_with("anglais") {
            return Lang::En;
        }
        if l.starts_with("fran") || l.starts_with("french") {
            return Lang::Fr;
        }
    }
    let (fr, en) = stop_word_counts(text, 20_000, Stop::WhenDecided);
    if en > fr {
        Lang::En
    } else {
        Lang::Fr
    }
}

/// Where [`stop_word_counts`] may stop.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Stop {
    /// After the last piece: the exact counts.
    #[cfg(test)]
    AtEnd,
    /// As soon as the pieces left cannot change whether there are more English stop words
    /// than French ones: each piece is at most one stop word, so a lead of more than the
    /// pieces left (English) or of at least them (French, which wins ties) is final; and a
    /// French lead is final once it is at least a bound on the English stop words of the rest
    /// of the window ([`EnglishBound`]). The counts then say the same as the exact ones
    /// (`en > fr` or not), not the same numbers.
    WhenDecided,
}

/// The French and English stop words among the first `pieces` pieces of
/// `text.split(|c: char| !c.is_alphabetic())`.
///
/// Every document without a language in its header pays for this scan (some 100 KB of text;
/// a French report's lead is final after a few KB with [`EnglishBound`], at 86% without it),
/// however short its other work,
/// so it reads the text 64 bytes at a time as bit masks (see [`Block`]): the pieces are
/// counted by the population count of their separators, and only a piece of 2 to 4 ASCII
/// letters (the length of every stop word, which are ASCII) is compared. A character that is
/// not ASCII is decoded only when it is not one of the common ones recognised from its first
/// bytes.
#[inline(never)] // once per document; kept apart so that profiles show its cost
fn stop_word_counts(text: &str, pieces: usize, stop: Stop) -> (usize, usize) {
    let b = text.as_bytes();
    let mut counts = (0, 0);
    let mut seen = 0;
    // The bytes of the block before (bit 63: the byte just before this block) that are ASCII
    // letters, and that belong to a separator; the text starts after a separator.
    let (mut letters_before, mut separators_before) = (0u64, 1u64 << 63);
    // The bytes of this block that end a separator started in the block before.
    let mut spill = 0u64;
    // Where the piece after the last separator seen starts.
    let mut last_start = 0;
    // Once French leads, a bound on the English stop words in the rest of the window.
    let mut english_bound: Option<EnglishBound> = None;
    for base in (0..b.len()).step_by(64) {
        let block = Block::at(b, base);
        let (letters, mut starts) = (block.ascii_letters, block.ascii_separators);
        let mut separators = starts | spill;
        spill = 0;
        let mut leads = block.leads;
        while leads != 0 {
            let at = leads.trailing_zeros() as usize;
            leads &= leads - 1;
            if let Some(len) = separator_len(text, base + at) {
                starts |= 1 << at;
                // `len` is at most 4 and `at` at most 63: the bytes fit in 128 bits.
                let bytes = ((1u128 << len) - 1) << at;
                separators |= bytes as u64;
                spill |= (bytes >> 64) as u64;
            }
        }
        // `split` yields the piece before each separator: the last separator that counts is
        // the `pieces`-th.
        let found = starts.count_ones() as usize;
        let reached = seen + found >= pieces;
        if reached {
            starts = lowest_bits(starts, pieces - seen);
        }
        // A piece of `n` ASCII letters: a separator starts at its end, the `n` bytes before
        // are ASCII letters and the byte before them is a separator's (or the text starts).
        let shifted = |bits: u64, before: u64, n: u32| (bits << n) | (before >> (64 - n));
        let two =
            starts & shifted(letters, letters_before, 1) & shifted(letters, letters_before, 2);
        let three = two & shifted(letters, letters_before, 3);
        let four = three & shifted(letters, letters_before, 4);
        count_pieces(
            &mut counts,
            b,
            base,
            two & shifted(separators, separators_before, 3),
            2,
        );
        count_pieces(
            &mut counts,
            b,
            base,
            three & shifted(separators, separators_before, 4),
            3,
        );
        count_pieces(
            &mut counts,
            b,
            base,
            four & shifted(separators, separators_before, 5),
            4,
        );
        if reached {
            return counts;
        }
        seen += found;
        if stop == Stop::WhenDecided {
            let (fr, en) = counts;
            let left = pieces - seen;
            if en > fr + left || fr >= en + left {
                return counts;
            }
            // French leads: the rest of the window may hold few enough English stop words
            // for the lead to be final, which a cheaper scan of the rest can show.
            let rest = base + 64;
            if fr >= en + FRENCH_LEAD_FOR_A_BOUND && rest < b.len() {
                let bound = match &mut english_bound {
                    // The bound's scan is still ahead of this one: carried on from there.
                    Some(bound) if bound.next > rest => bound,
                    _ => english_bound.insert(EnglishBound::after(rest, en, left)),
                };
                if bound.settles_for_french(b, fr) {
                    return counts;
                }
            }
        }
        if separators != 0 {
            last_start = base + 64 - separators.leading_zeros() as usize;
        }
        (letters_before, separators_before) = (letters, separators);
    }
    // `split` yields the piece after the last separator too.
    count_stop_word(&mut counts, &b[last_start..]);
    counts
}

/// The lead of French stop words over English ones at which [`stop_word_counts`] starts to
/// bound the English stop words left (an English report never gets there; a French one does
/// after some 200 pieces, and every English stop word of the rest lowers the lead the bound
/// needs by one: a small lead, most of whose bound is spent, pauses it until the lead grows).
const FRENCH_LEAD_FOR_A_BOUND: usize = 32;

/// An upper bound on the English stop words among the pieces of the window that end at or
/// after a block boundary `from`: the count of *candidates* from `from` to past the window's
/// end, each a run of 2 to 4 ASCII letters that is an English stop word, starts after a byte
/// that is not an ASCII letter and ends before one (or the text's end). Every English stop
/// word of the window is a candidate but for the one piece that may straddle `from`, which
/// the bound counts without looking. French wins ties: once the French stop words seen are
/// at least the English ones before `from` plus the bound, more English ones than French
/// ones is out, whatever the rest of the window. The candidates are found from 64-byte masks
/// of ASCII letters and of the first letters of English stop words ([`InitialsBlock`],
/// about half of what a block of the exact count costs), and checked one by one: in a French
/// report, some 900 runs of a window of 20 000 pieces (~100 KB) start like an English stop
/// word, and 20 are one. The window ends at its last piece's separator, at the latest at
/// the ASCII byte that is not a letter which makes the separators seen reach the window's
/// (each such byte is a separator).
#[derive(Debug)]
struct EnglishBound {
    /// The English stop words counted before `from`.
    english_before: usize,
    /// The candidates found from `from` to `next`, plus one for the straddling piece.
    most_english_after: usize,
    /// The block the bound reads next (a multiple of 64 bytes from the text's start).
    next: usize,
    /// The separators of the window not yet passed: the window ends at the latest where as
    /// many ASCII separators as this have been read.
    separators_left: usize,
    /// Whether the byte before `next` is not an ASCII letter: taken as not one at `from`,
    /// where it is not looked at (a candidate more at most).
    not_letter_before: bool,
}

impl EnglishBound {
    /// A bound from the block boundary `from`, `english_before` English stop words counted
    /// before it and `separators_left` separators of the window after it.
    fn after(from: usize, english_before: usize, separators_left: usize) -> Self {
        EnglishBound {
            english_before,
            most_english_after: 1,
            next: from,
            separators_left,
            not_letter_before: true,
        }
    }

    /// Whether French wins, `fr` French stop words having been counted: reads the rest of
    /// the window while the candidates found leave French ahead, and stops (to be called
    /// again once `fr` has grown) as soon as they do not.
    #[inline(never)] // once per French report, reading most of its window
    fn settles_for_french(&mut self, b: &[u8], fr: usize) -> bool {
        let Some(room) = fr.checked_sub(self.english_before) else {
            return false;
        };
        while self.most_english_after <= room {
            if self.separators_left == 0 || self.next >= b.len() {
                return true;
            }
            let block = InitialsBlock::at(b, self.next);
            let not_letters = !block.ascii_letters;
            // A candidate starts with the first letter of an English stop word after a byte
            // that is not an ASCII letter, its second byte is a letter and one of its third to
            // fifth is not; the bytes past the block are taken as passing.
            let mut starts = block.english_initials
                & ((not_letters << 1) | u64::from(self.not_letter_before))
                & ((block.ascii_letters >> 1) | 1 << 63)
                & ((not_letters >> 2) | (not_letters >> 3) | (not_letters >> 4) | 0xF << 60);
            while starts != 0 {
                let at = self.next + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                self.most_english_after += usize::from(english_stop_word_at(b, at));
            }
            let separators = block.ascii_separators.count_ones() as usize;
            self.separators_left = self.separators_left.saturating_sub(separators);
            self.not_letter_before = not_letters >> 63 != 0;
            self.next += 64;
        }
        false
    }
}

/// Whether the run of ASCII letters that starts at `b[at]` is an English stop word.
fn english_stop_word_at(b: &[u8], at: usize) -> bool {
    let run = b[at..]
        .iter()
        .take(5)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    (2..=4).contains(&run) && {
        let key = stop_key(&b[at..at + run]);
        let slot = stop_slot(key);
        STOP_SLOTS[slot] == key && (ENGLISH_SLOTS >> slot) & 1 != 0
    }
}

/// The first letters of the English stop words (the build fails if one is missing).
const ENGLISH_INITIALS: [u8; 6] = {
    let initials = *b"toaifw";
    let mut i = 0;
    while i < ENGLISH_STOP_WORDS.len() {
        let mut found = false;
        let mut k = 0;
        while k < initials.len() {
            found |= initials[k] == ENGLISH_STOP_WORDS[i][0];
            k += 1;
        }
        assert!(found, "an English stop word starts with no initial");
        i += 1;
    }
    initials
};

/// `of` of the 64 bytes from `b[base]`, the bytes past the end of `b` taken as `pad` (the
/// blocks of [`Block`] and [`InitialsBlock`]).
#[inline(always)]
fn block_at<T>(b: &[u8], base: usize, pad: u8, of: impl Fn(&[u8; 64]) -> T) -> T {
    match b
        .get(base..base + 64)
        .and_then(|bytes| bytes.try_into().ok())
    {
        Some(bytes) => of(bytes),
        None => {
            let mut bytes = [pad; 64];
            bytes[..b.len() - base].copy_from_slice(&b[base..]);
            of(&bytes)
        }
    }
}

/// The masks of 64 bytes, bit k for byte k: the ASCII letters, the other ASCII bytes (each a
/// separator), and the bytes `third` marks (a compare mask of 16 bytes). The letters are the
/// bytes between « ` » and « { » once `| 0x20` has lower-cased the ASCII capitals (the bytes
/// 0x80 and above stay negative as `i8`). The SSE2 half of [`Block`] and [`InitialsBlock`].
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
#[inline]
fn letter_masks_sse2(
    bytes: &[u8; 64],
    third: impl Fn(std::arch::x86_64::__m128i) -> std::arch::x86_64::__m128i,
) -> (u64, u64, u64) {
    use std::arch::x86_64::*;
    let mask = |v: __m128i| u64::from(_mm_movemask_epi8(v) as u16);
    let (mut letters, mut high, mut marked) = (0, 0, 0);
    for k in 0..4 {
        let x = crate::text::load16(bytes, 16 * k);
        let lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
        let letter = _mm_and_si128(
            _mm_cmpgt_epi8(lower, _mm_set1_epi8(b'`' as i8)),
            _mm_cmplt_epi8(lower, _mm_set1_epi8(b'{' as i8)),
        );
        letters |= mask(letter) << (16 * k);
        high |= mask(x) << (16 * k);
        marked |= mask(third(x)) << (16 * k);
    }
    (letters, !(letters | high), marked)
}

/// 64 bytes of text as the bit masks [`EnglishBound`] reads, bit k for byte k.
#[derive(Debug, PartialEq, Eq)]
struct InitialsBlock {
    /// ASCII letters (`u8::is_ascii_alphabetic`).
    ascii_letters: u64,
    /// The other ASCII bytes, each a separator.
    ascii_separators: u64,
    /// The bytes of [`ENGLISH_INITIALS`].
    english_initials: u64,
}

impl InitialsBlock {
    /// The 64 bytes from `b[base]`; past the end of `b`, spaces, which end a piece.
    #[inline(always)]
    fn at(b: &[u8], base: usize) -> Self {
        block_at(b, base, b' ', Self::of)
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    #[inline(always)]
    fn of(bytes: &[u8; 64]) -> Self {
        // SAFETY: `of_sse2` requires SSE2 only, and the build enables it (the `cfg` above;
        // every x86-64 processor has it).
        unsafe { Self::of_sse2(bytes) }
    }

    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    #[inline(always)]
    fn of(bytes: &[u8; 64]) -> Self {
        Self::of_bytes(bytes)
    }

    /// [`InitialsBlock::of`] with SSE2, 16 bytes at a time (as [`Block::of_sse2`]); the tests
    /// compare it with [`InitialsBlock::of_bytes`].
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    #[target_feature(enable = "sse2")]
    #[inline]
    fn of_sse2(bytes: &[u8; 64]) -> Self {
        use std::arch::x86_64::*;
        let (ascii_letters, ascii_separators, english_initials) = letter_masks_sse2(bytes, |x| {
            let mut initial = _mm_setzero_si128();
            for c in ENGLISH_INITIALS {
                initial = _mm_or_si128(initial, _mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8)));
            }
            initial
        });
        InitialsBlock {
            ascii_letters,
            ascii_separators,
            english_initials,
        }
    }

    /// [`InitialsBlock::of`] a byte at a time.
    #[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
    fn of_bytes(bytes: &[u8; 64]) -> Self {
        let bits = |test: &dyn Fn(u8) -> bool| {
            (0..64).fold(0u64, |bits, k| bits | u64::from(test(bytes[k])) << k)
        };
        InitialsBlock {
            ascii_letters: bits(&|c| c.is_ascii_alphabetic()),
            ascii_separators: bits(&|c| c.is_ascii() && !c.is_ascii_alphabetic()),
            english_initials: bits(&|c| ENGLISH_INITIALS.contains(&c)),
        }
    }
}

/// The lowest `n` set bits of `bits` (which has at least `n`).
fn lowest_bits(mut bits: u64, n: usize) -> u64 {
    let mut kept = 0;
    for _ in 0..n {
        let bit = bits & bits.wrapping_neg();
        kept |= bit;
        bits ^= bit;
    }
    kept
}

/// Adds one to the French or English count of `counts` for each stop word among the pieces
/// of `n` letters (2 to 4) that end before the bytes `base + k` of `b`, `k` the set bits of
/// `ends`.
#[inline(always)] // three times per block of the scan
fn count_pieces(counts: &mut (usize, usize), b: &[u8], base: usize, mut ends: u64, n: usize) {
    while ends != 0 {
        let end = base + ends.trailing_zeros() as usize;
        ends &= ends - 1;
        // The piece is the last `n` of the four bytes before `end`, read as one word; a piece
        // at the start of the text has fewer before it.
        let key = match b.get(end.wrapping_sub(4)..end) {
            Some(four) => u32::from_le_bytes(four.try_into().unwrap_or_default()) >> (32 - 8 * n),
            None => stop_key(&b[end - n..end]),
        };
        count_stop_key(counts, key);
    }
}

/// Adds one to the French or English count of `counts` when `piece` is a stop word.
fn count_stop_word(counts: &mut (usize, usize), piece: &[u8]) {
    // Every stop word has 2 to 4 letters: most pieces are rejected by their length.
    if (2..=4).contains(&piece.len()) {
        count_stop_key(counts, stop_key(piece));
    }
}

/// The stop words the language is decided by, each of 2 to 4 ASCII letters: French ...
const FRENCH_STOP_WORDS: [&[u8]; 10] = [
    b"le", b"la", b"les", b"des", b"et", b"du", b"une", b"est", b"dans", b"pour",
];

/// ... and English.
const ENGLISH_STOP_WORDS: [&[u8]; 10] = [
    b"the", b"of", b"and", b"to", b"is", b"in", b"that", b"for", b"with", b"was",
];

/// A piece of 1 to 4 bytes as one word, its first byte lowest: equal words are equal pieces
/// (no byte of a piece is 0).
const fn stop_key(piece: &[u8]) -> u32 {
    let mut key = 0;
    let mut k = piece.len();
    while k > 0 {
        k -= 1;
        key = (key << 8) | piece[k] as u32;
    }
    key
}

/// The slot of [`STOP_SLOTS`] a key can be in: a multiplicative hash whose factor (found by
/// trying) gives each of the 20 stop words its own slot of 32, so that a piece is compared
/// with one stop word at most.
const fn stop_slot(key: u32) -> usize {
    (key.wrapping_mul(0x11DB_6ACF) >> 27) as usize
}

/// The key of the stop word in each slot (0 for none), built at compile time; the build
/// fails if two stop words share a slot.
const STOP_SLOTS: [u32; 32] = {
    let mut slots = [0; 32];
    let mut i = 0;
    while i < FRENCH_STOP_WORDS.len() + ENGLISH_STOP_WORDS.len() {
        let word = if i < FRENCH_STOP_WORDS.len() {
            FRENCH_STOP_WORDS[i]
        } else {
            ENGLISH_STOP_WORDS[i - FRENCH_STOP_WORDS.len()]
        };
        let key = stop_key(word);
        assert!(slots[stop_slot(key)] == 0, "two stop words in one slot");
        slots[stop_slot(key)] = key;
        i += 1;
    }
    slots
};

/// The slots of [`STOP_SLOTS`] that hold an English stop word, one bit each.
const ENGLISH_SLOTS: u32 = {
    let mut bits = 0;
    let mut i = 0;
    while i < ENGLISH_STOP_WORDS.len() {
        bits |= 1 << stop_slot(stop_key(ENGLISH_STOP_WORDS[i]));
        i += 1;
    }
    bits
};

/// Adds one to the French or English count of `counts` when `key` is a stop word's.
#[inline(always)]
fn count_stop_key(counts: &mut (usize, usize), key: u32) {
    let slot = stop_slot(key);
    if STOP_SLOTS[slot] == key {
        if (ENGLISH_SLOTS >> slot) & 1 != 0 {
            counts.1 += 1;
        } else {
            counts.0 += 1;
        }
    }
}

/// The length of the separator that starts at `b[k]`, the first byte of a character that is
/// not ASCII, or `None` when that character is a letter.
#[inline(always)]
fn separator_len(text: &str, k: usize) -> Option<usize> {
    let b = text.as_bytes();
    // `text` is UTF-8 and `b[k]` starts a character of 2 bytes or more: `b[k + 1]` exists.
    let (c, next) = (b[k], b[k + 1]);
    if c == 0xC3 {
        // U+00C0–U+00FF (« é », « À »): letters but for × (U+00D7) and ÷ (U+00F7).
        return matches!(next, 0x97 | 0xB7).then_some(2);
    }
    if c == 0xC2 && !matches!(next, 0xAA | 0xB5 | 0xBA) {
        // U+0080–U+00BF (the no-break space, « « »): no letters but ª, µ and º.
        return Some(2);
    }
    if c == 0xE2 && next == 0x80 {
        // U+2000–U+203F (’, –, the narrow no-break space): spaces and punctuation only.
        return Some(3);
    }
    let ch = text[k..].chars().next().unwrap_or_default();
    (!ch.is_alphabetic()).then_some(ch.len_utf8())
}

/// 64 bytes of text as three bit masks, bit k for byte k: the classes a piece boundary
/// depends on, found 16 bytes at a time with SSE2 (eight at a time with one word's arithmetic
/// where SSE2 is not available).
#[derive(Debug, PartialEq, Eq)]
struct Block {
    /// ASCII letters (`u8::is_ascii_alphabetic`).
    ascii_letters: u64,
    /// The other ASCII bytes, each a separator.
    ascii_separators: u64,
    /// The bytes 0xC0 and above, each the first of a character of two bytes or more (which
    /// decides whether it is a separator). Continuation bytes (0x80–0xBF) are in no mask.
    leads: u64,
}

impl Block {
    /// The 64 bytes from `b[base]`; past the end of `b`, ASCII letters, which end no piece.
    #[inline(always)]
    fn at(b: &[u8], base: usize) -> Self {
        block_at(b, base, b'a', Self::of)
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    #[inline(always)]
    fn of(bytes: &[u8; 64]) -> Self {
        // SAFETY: `of_sse2` requires SSE2 only, and the build enables it (the `cfg` above;
        // every x86-64 processor has it).
        unsafe { Self::of_sse2(bytes) }
    }

    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    #[inline(always)]
    fn of(bytes: &[u8; 64]) -> Self {
        Self::of_words(bytes)
    }

    /// [`Block::of`] with SSE2: each 16 bytes compared at once, their masks taken by
    /// `movemask` (the high bit of each byte), about 15 instructions for 16 bytes against 40
    /// for two words' arithmetic ([`Block::of_words`], which the tests compare with it).
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    #[target_feature(enable = "sse2")]
    #[inline]
    fn of_sse2(bytes: &[u8; 64]) -> Self {
        use std::arch::x86_64::*;
        let (ascii_letters, ascii_separators, leads) = letter_masks_sse2(bytes, |x| {
            // As `i8`, the bytes 0xC0 and above are -64..=-1 and the continuation bytes
            // -128..=-65: a lead is a negative byte above -65.
            _mm_andnot_si128(
                _mm_cmplt_epi8(x, _mm_set1_epi8(-64)),
                _mm_cmplt_epi8(x, _mm_setzero_si128()),
            )
        });
        Block {
            ascii_letters,
            ascii_separators,
            leads,
        }
    }

    /// [`Block::of`] with one word's arithmetic for eight bytes.
    #[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
    #[inline(always)]
    fn of_words(bytes: &[u8; 64]) -> Self {
        // Gathers the 8 high bits of a word into one byte, byte j's bit at bit j: each bit
        // lands on its own position, so the products never carry into one another.
        let gather = |high: u64| (high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        let (mut letters, mut high, mut leads) = (0, 0, 0);
        for (k, chunk) in bytes.chunks_exact(8).enumerate() {
            let x = u64::from_le_bytes(chunk.try_into().unwrap_or([b'a'; 8]));
            letters |= gather(crate::text::ascii_letter_bits(x)) << (8 * k);
            let chunk_high = gather(x & crate::text::HIGH);
            // Most words of a report are ASCII: only a chunk with a byte 0x80 or above can
            // hold a lead (bits 7 and 6 both set: 0xC0 and above).
            if chunk_high != 0 {
                high |= chunk_high << (8 * k);
                leads |= gather(x & crate::text::HIGH & (x << 1)) << (8 * k);
            }
        }
        // A byte is an ASCII letter, another ASCII byte or one of 0x80 and above (an ASCII
        // letter has its high bit clear): the separators are the bytes in neither other mask.
        Block {
            ascii_letters: letters,
            ascii_separators: !(letters | high),
            leads,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`ends_with_function_word`] as it was written: the last word lower-cased and looked up.
    #[test]
    fn function_word_found_without_the_lower_case() {
        const WORDS: &[&str] = &[
            "le", "la", "les", "de", "des", "du", "et", "à", "a", "en", "au", "aux", "un", "une",
            "par", "pour", "sur", "dans", "avec", "que", "qui", "ou", "the", "of", "and", "to",
            "in", "a", "an", "for", "on", "by", "with", "or", "that",
        ];
        let plain = |s: &str| {
            let last = s.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
            let last = last.rsplit(['’', '\'']).next().unwrap_or(last);
            WORDS.contains(&last.to_lowercase().as_str())
        };
        let mut lines: Vec<String> = [
            "À", "x à", "x À", "l’À", "Aà", "ÀÀ", "a\u{300}", "\u{212a}", "Σ", "DANS",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for text in crate::test_support::seed_texts() {
            lines.extend(text.split_whitespace().map(str::to_string));
            lines.extend(text.lines().map(str::to_string));
        }
        for s in &lines {
            assert_eq!(ends_with_function_word(s), plain(s), "{s}");
        }
    }

    /// The premise of [`find_ascii_ci`].
    #[test]
    fn only_two_non_ascii_characters_lower_case_to_ascii() {
        let to_ascii: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && c.to_lowercase().any(|l| l.is_ascii()))
            .collect();
        assert_eq!(to_ascii, ['\u{130}', '\u{212a}']);
        assert_eq!('\u{130}'.to_lowercase().collect::<String>(), "i\u{307}");
    }

    /// [`may_be_furniture`] holds for every line [`furniture_kind`] finds furniture in: the
    /// lines of the seeds, and furniture of every kind.
    #[test]
    fn may_be_furniture_misses_none() {
        let mut lines = crate::test_support::seed_lines();
        for line in [
            "__________________",
            "http://undocs.org/fr/A/RES/74/174",
            "https://www.unodc.org",
            "*1702181*",
            "V.17-02181",
            "19-12345 (F)    *1912345*",
            "2/19 19-12345",
            "7/11",
            "A/74/130",
            "A/74/130 7/11",
            "Merci de recycler",
            "Please recycle",
            "\u{c}",
        ] {
            lines.push(line.to_string());
        }
        let mut found = 0;
        for line in &lines {
            let start = Start::of(line);
            if start.any(Start::FURNITURE) && furniture_kind(line, start).is_some() {
                found += 1;
                assert!(may_be_furniture(line, start), "{line:?}");
            }
        }
        assert!(found >= 13);
    }

    #[test]
    fn session_lines_of_a_masthead() {
        for yes in [
            "Vingt-huitième session",
            "Twenty-eighth session",
            "Reprise de la vingt-huitième session",
            "Point 7 de l’ordre du jour provisoire*",
            "Item 7 of the provisional agenda**",
        ] {
            assert!(is_session_line(yes), "{yes}");
        }
        for no in [
            "Rapport sur les travaux de sa vingt-huitième session",
            "Session",
            "Rapport de sa vingt-huitième session",
            "Vienne, 20-24 mai 2019",
            "Point de vue des États",
            "Commission pour la prévention du crime et la justice pénale",
        ] {
            assert!(!is_session_line(no), "{no}");
        }
        assert!(is_place_and_dates("Vienne, 20-24 mai 2019"));
        assert!(is_place_and_dates("New York, 24 September-2 October 2019*"));
        assert!(!is_place_and_dates("Vienne 2019"));
        assert!(!is_place_and_dates("Rapport, annexe E/CN.15/2019"));
    }

    #[test]
    fn header_fields_found_as_in_the_lower_case() {
        for s in [
            "Distr. générale",
            "ÉTATS  DISTR: x",
            "Σ distr.",
            "İdistr.",
            "a DiStR: b distr.",
        ] {
            let lower = s.to_lowercase();
            let want = lower.find("distr.").or_else(|| lower.find("distr:"));
            let got = find_ascii_ci(s, b"distr.")
                .or_else(|| find_ascii_ci(s, b"distr:"))
                .map(|k| lower_len(&s[..k]));
            assert_eq!(got, want, "{s}");
            assert!(is_header_field_line(s), "{s}");
        }
        assert!(is_header_field_line("ORIGINAL : ANGLAIS"));
        assert!(!is_header_field_line("Origin"));
    }

    /// The plain definition [`stop_word_counts`] short-cuts.
    fn plain_counts(text: &str, pieces: usize) -> (usize, usize) {
        let (mut fr, mut en) = (0, 0);
        for w in text.split(|c: char| !c.is_alphabetic()).take(pieces) {
            match w {
                "le" | "la" | "les" | "des" | "et" | "du" | "une" | "est" | "dans" | "pour" => {
                    fr += 1
                }
                "the" | "of" | "and" | "to" | "is" | "in" | "that" | "for" | "with" | "was" => {
                    en += 1
                }
                _ => {}
            }
        }
        (fr, en)
    }

    #[test]
    fn table_rows_are_told_from_running_text() {
        for row in [
            "   Europe                           11          12",
            "Total   1 200   3,4 %",
            "Afrique\t34\t41",
            "   Région                         2018        2019",
        ] {
            assert!(is_table_row(row), "{row:?}");
        }
        for text in [
            "en 2021, des progrès réalisés, soit au total 2019",
            "2019",
            "   34   41   Europe",
            "Le Groupe   d'experts   a tenu sa réunion  en 2011.",
            "Les États  Membres (120)",
            "      12",
        ] {
            assert!(!is_table_row(text), "{text:?}");
        }
        // No line of the seeds is a table row: they hold no table.
        for text in crate::test_support::seed_texts() {
            assert!(!text.lines().any(is_table_row));
        }
    }

    #[test]
    fn line_table_gives_the_plain_line_of_every_offset() {
        let text = "A. Titre\r\n\n12. Le texte.\r\nsuite\n\n\u{c}\nV.17-02181\nfin";
        let doc = parse(text.to_string());
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(k, _)| k + 1));
        assert_eq!(doc.lines.len(), starts.len());
        for (i, (line, &start)) in doc.lines.iter().zip(&starts).enumerate() {
            let end = starts.get(i + 1).map_or(text.len(), |&s| s - 1);
            let end = if text[..end].ends_with('\r') {
                end - 1
            } else {
                end
            };
            assert_eq!(line.span(), start..end);
            assert_eq!(doc.line_start(i), start);
        }
        for offset in 0..=text.len() + 2 {
            let plain = starts.iter().rposition(|&s| s <= offset).unwrap();
            assert_eq!(doc.line_index(offset), plain, "{offset}");
        }
        // A text of 4 GiB or more gets no lines: every reader of the table must take none.
        let mut doc = doc;
        doc.lines.clear();
        assert_eq!(doc.line_index(5), 0);
        assert!(!doc.is_furniture(5));
    }

    #[test]
    fn stop_word_counts_match_the_plain_split() {
        let texts = [
            "",
            "le",
            "the cat and the dog",
            "Le rapport de la Commission est publié dans les six langues, et du texte pour une fois.",
            "é×le÷the Ωthe theΩ ª la µ of º in\u{a0}and\u{202f}to 中 is 1le2the",
            "  ,, le..the;;;and ",
            "àle ×le le× ÿthe the÷ Øof ofø",
            "l’État et l\u{a0}: le ªle µthe ºof the– of’ «\u{a0}la\u{a0}» \u{2040}the ⁱthe",
        ];
        for text in texts {
            for pieces in 1..40 {
                assert_eq!(
                    stop_word_counts(text, pieces, Stop::AtEnd),
                    plain_counts(text, pieces),
                    "{text:?} {pieces}"
                );
            }
        }
        // Every character of the first planes, alone and between stop words.
        let mut all = String::new();
        for c in (0u32..0x3400).filter_map(char::from_u32) {
            all.push(c);
            all.push_str("le");
            all.push(c);
            all.push_str("the ");
        }
        for pieces in [1, 1000, 20_000, usize::MAX] {
            assert_eq!(
                stop_word_counts(&all, pieces, Stop::AtEnd),
                plain_counts(&all, pieces)
            );
        }
        // The scan reads eight bytes at a time: every text again at each offset from a
        // window's start, so that pieces, separators and characters of 2 to 4 bytes straddle
        // windows and the text's end in every way.
        let straddling = [
            "le\u{a0}the\u{202f}of’la–and×is÷et",
            "𝐀le 𝐀 the😀of😀 la\u{3000}in\u{3000}",
            "ле the ᾳle ΩΩΩΩΩΩΩΩthe ﬁle ﬀ and",
            "abcdefghthe ABCDEFGH@[`{le0123456789",
        ];
        for text in texts.iter().chain(&straddling) {
            for shift in 0..16 {
                let text = format!("{}{text}", "x,".repeat(shift / 2) + &"x".repeat(shift % 2));
                for pieces in 1..50 {
                    assert_eq!(
                        stop_word_counts(&text, pieces, Stop::AtEnd),
                        plain_counts(&text, pieces),
                        "{text:?} {pieces}"
                    );
                }
            }
        }
        // Every byte value ASCII can take, between stop words.
        let ascii: String = (0u8..0x80)
            .map(|c| format!("{}le{}the", c as char, c as char))
            .collect();
        assert_eq!(
            stop_word_counts(&ascii, usize::MAX, Stop::AtEnd),
            plain_counts(&ascii, usize::MAX)
        );
        // A sample of the higher planes.
        let mut high = String::new();
        for c in (0x3400u32..0x11_0000)
            .step_by(97)
            .filter_map(char::from_u32)
        {
            high.push(c);
            high.push_str("of");
            high.push(c);
            high.push_str("la");
        }
        for pieces in [1, 1000, usize::MAX] {
            assert_eq!(
                stop_word_counts(&high, pieces, Stop::AtEnd),
                plain_counts(&high, pieces)
            );
        }
    }

    #[test]
    fn stopping_when_decided_gives_the_plain_answer() {
        // The seeds, and texts whose lead changes hands or ends in a tie, cut at every number
        // of pieces around the places where the lead can become final.
        let mut texts = crate::test_support::seed_texts();
        texts.push("the of le la ".repeat(40));
        texts.push(format!("{}{}", "le, ".repeat(30), "the of and ".repeat(12)));
        texts.push(format!("{}{}", "the ".repeat(30), "la et du ".repeat(10)));
        texts.push(format!("{}{}", "the ".repeat(30), "la et du ".repeat(11)));
        for text in &texts {
            let whole = plain_counts(text, usize::MAX);
            let n = text.split(|c: char| !c.is_alphabetic()).count();
            let mut cuts: Vec<usize> = (1..200).chain([n / 2, n, n + 1, 20_000]).collect();
            cuts.extend((1..40).map(|k| n * k / 40));
            for pieces in cuts.into_iter().filter(|&p| p > 0) {
                let (fr, en) = plain_counts(text, pieces);
                let (dfr, den) = stop_word_counts(text, pieces, Stop::WhenDecided);
                assert_eq!(den > dfr, en > fr, "{pieces} of {n}, whole {whole:?}");
            }
        }
    }

    #[test]
    fn the_english_bound_gives_the_plain_answer() {
        // French leads of about the bound's threshold and more, then English stop words
        // about as many (in runs, spread, at the text's end, next to non-ASCII letters and
        // separators, capitalised), each text shifted so that the bound's blocks start
        // everywhere, cut at many numbers of pieces.
        let english = [
            "the of and ",
            "the mot of mot and mot to ",
            "éthe the’ «of» ofé Éand\u{a0}is ",
            "The Of with that was for in ",
            "the",
        ];
        let mut texts = Vec::new();
        for french in [30, 33, 40, 64, 100] {
            for (k, words) in english.iter().enumerate() {
                let english_words = words.split(' ').filter(|w| w.len() > 1).count().max(1);
                for runs in [french / english_words, french / english_words + 1, 40] {
                    for shift in [0, 1, 3, 7, 21] {
                        let mut text = "x".repeat(shift);
                        text.push_str(&"le et mot ".repeat(french / 2));
                        text.push_str(&"mot pays ".repeat(k * 13));
                        for _ in 0..runs {
                            text.push_str(words);
                            text.push_str(&"x ".repeat(k));
                        }
                        if k % 2 == 0 {
                            text.push_str(" des");
                        }
                        texts.push(text);
                    }
                }
            }
        }
        for text in &texts {
            let n = text.split(|c: char| !c.is_alphabetic()).count();
            let cuts = (1..n + 2).step_by(3).chain([n, n + 1, 20_000]);
            for pieces in cuts {
                let (fr, en) = plain_counts(text, pieces);
                let (dfr, den) = stop_word_counts(text, pieces, Stop::WhenDecided);
                assert_eq!(den > dfr, en > fr, "{pieces} of {n} {text:?}");
            }
        }
    }

    #[test]
    fn initials_masks_match_the_bytes() {
        for step in [1usize, 7, 37, 101] {
            for first in 0..256 {
                let bytes: [u8; 64] = std::array::from_fn(|k| ((first + k * step) % 256) as u8);
                assert_eq!(
                    InitialsBlock::of(&bytes),
                    InitialsBlock::of_bytes(&bytes),
                    "{bytes:?}"
                );
            }
        }
    }

    #[test]
    fn block_masks_match_the_word_arithmetic() {
        // Every byte value at every place of a block, next to every other.
        for step in [1usize, 7, 37, 101] {
            for first in 0..256 {
                let bytes: [u8; 64] = std::array::from_fn(|k| ((first + k * step) % 256) as u8);
                assert_eq!(Block::of(&bytes), Block::of_words(&bytes), "{bytes:?}");
            }
        }
    }

    #[test]
    fn stop_words_found_by_their_slot() {
        // Every piece of 1 to 4 letters of the stop words (and of « x », « é »), against the
        // list.
        let letters = [
            "a", "d", "e", "f", "h", "i", "l", "n", "o", "p", "r", "s", "t", "u", "w",
        ];
        let letters: Vec<&str> = letters.into_iter().chain(["x", "é", "E"]).collect();
        let mut pieces = vec![String::new()];
        for len in 1..=4 {
            for piece in pieces
                .clone()
                .iter()
                .filter(|p| p.chars().count() == len - 1)
            {
                pieces.extend(letters.iter().map(|l| format!("{piece}{l}")));
            }
        }
        for piece in &pieces {
            let mut counts = (0, 0);
            count_stop_word(&mut counts, piece.as_bytes());
            assert_eq!(counts, plain_counts(piece, 1), "{piece}");
        }
    }

    #[test]
    fn newline_bits_match_the_bytes() {
        for step in [1usize, 7, 37, 101] {
            for first in 0..256 {
                let block: [u8; 64] = std::array::from_fn(|k| ((first + k * step) % 256) as u8);
                assert_eq!(
                    newline_bits(&block),
                    newline_bits_bytes(&block),
                    "{block:?}"
                );
            }
        }
        let mut block = [b'\n'; 64];
        assert_eq!(newline_bits(&block), u64::MAX);
        block[63] = b'x';
        assert_eq!(newline_bits(&block), u64::MAX >> 1);
    }

    #[test]
    fn lines_split_at_every_newline() {
        // Every length up to three blocks, newlines at every place, and the seeds.
        let mut texts = crate::test_support::seed_texts();
        for len in 0..200 {
            for every in [1, 2, 3, 63, 64, 65] {
                let text: String = (0..len)
                    .map(|k| if k % every == every - 1 { '\n' } else { 'a' })
                    .collect();
                texts.push(text.clone());
                texts.push(text.replace('\n', "\r\n"));
            }
        }
        for text in &texts {
            let mut want = Vec::new();
            let mut start = 0;
            for nl in memchr::memchr_iter(b'\n', text.as_bytes()) {
                want.push(start..without_cr(text.as_bytes(), start, nl));
                start = nl + 1;
            }
            want.push(start..without_cr(text.as_bytes(), start, text.len()));
            let got: Vec<Span> = split_lines(text, &mut Default::default())
                .iter()
                .map(Line::span)
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// The links and markers found piece by piece while the lines are split are those of one
    /// scan of the whole text: on the seeds, and with links, `<sup>` tags and `**` across a
    /// piece's end at every offset.
    #[test]
    fn link_scan_by_pieces_finds_what_one_scan_finds() {
        let mut texts = crate::test_support::seed_texts();
        for marker in [
            "[la note](https://x.org/a)",
            "<sup>2</sup>",
            "**gras**",
            "[x] (y)",
        ] {
            for at in 16 * 1024 - 30..16 * 1024 + 2 {
                let mut text = "a ".repeat(at / 2);
                text.truncate(at);
                text.push_str(marker);
                text.push_str(" fin\n");
                text.push_str(&"b *".repeat(6000));
                texts.push(text);
            }
        }
        for text in &texts {
            let mut scan = super::super::markdown::LinkScan::default();
            split_lines(text, &mut scan);
            let (links, marks) = scan.finish();
            let (want_links, want_marks) = super::super::markdown::links_and_marks(text);
            let spans = |l: &[Link]| {
                l.iter()
                    .map(|l| (l.span.clone(), l.text_span.clone(), l.target_span.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(spans(&links), spans(&want_links));
            assert_eq!(marks, want_marks);
        }
    }
}
