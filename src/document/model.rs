//! The document model: what the parser produces and every rule reads.
//!
//! Every node keeps byte spans into [`Document::text`], so a diagnostic can point at the exact
//! text. Rules never re-parse the raw text; shared extractions (references, dates, terms) are
//! computed once and cached on the document (see [`crate::extract`]).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

/// A byte range into the document text.
pub type Span = Range<usize>;

/// The language of a document, from its header or, failing that, its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

/// The header block of a UN report: « Distr. générale », the date line, languages, symbol, title.
#[derive(Debug, Clone, Default)]
pub struct Header {
    /// « Distr. générale » / "Distr.: General" / « Distr. limitée » line.
    pub distribution: Option<Span>,
    /// The date line under the distribution line (« 12 avril 2019 »).
    pub date: Option<Span>,
    /// The language of this version (« Français », "English").
    pub language: Option<Span>,
    /// « Original : anglais » / "Original: English": the span of the language name.
    pub original_language: Option<Span>,
    /// The document symbol, e.g. `UNODC/CCPCJ/EG.4/2017/L.1`, when present in the header.
    pub symbol: Option<Span>,
    /// The title (first heading-like line that is not a section heading).
    pub title: Option<Span>,
    /// « Additif » / "Addendum" / « Rectificatif »: a document that continues another.
    pub addendum: Option<Span>,
}

/// The rank of a heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadingKind {
    /// `I. Introduction`: a Roman-numbered section.
    Section,
    /// `A. Ouverture de la réunion`: a lettered subsection.
    Subsection,
    /// `Résumé des délibérations`: a heading without a number.
    Unnumbered,
}

/// A section, subsection or unnumbered heading.
#[derive(Debug, Clone)]
pub struct Heading {
    pub kind: HeadingKind,
    /// The whole heading, from the first character of its number (or title) to the end of its title.
    pub span: Span,
    /// The number as written (`II`, `B`, `ITII`), without its punctuation.
    pub number_span: Option<Span>,
    /// The value the number stands for: 1 for `I`/`A`, 3 for `III`/`C`. For a garbled number
    /// (`ITII`), the value the parser read it as, with [`Heading::garbled`] set.
    pub number: Option<u32>,
    /// The punctuation after the number (`.` normally), when present.
    pub punct_span: Option<Span>,
    /// The title text, possibly over two lines.
    pub title_span: Option<Span>,
    /// Markdown level (`##` → 2) when the heading is written as a Markdown heading.
    pub markdown_level: Option<u8>,
    /// The title says « (suite) » / "(continued)".
    pub continued: bool,
    /// The number is not a well-formed Roman numeral or letter (OCR damage).
    pub garbled: bool,
    /// Index of the enclosing section in [`Document::headings`] (for subsections).
    pub parent: Option<usize>,
    /// « Annexe », "Annex II", « Appendice »: numbering restarts after it.
    pub annex: bool,
}

/// A numbered paragraph `12. Text…`, which may continue across blank lines and page breaks.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub number: u32,
    /// The digits of the number.
    pub number_span: Span,
    /// The punctuation after the number: `.` or a defect such as `,`.
    pub punct_span: Span,
    /// From the number to the end of the paragraph's last line (items and furniture included).
    pub span: Span,
    /// Index of the heading the paragraph sits under, if any.
    pub heading: Option<usize>,
}

/// How a list item is labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStyle {
    /// `a)` … `z)`, then `aa)`, `bb)` …
    Alpha,
    /// `i)`, `ii)` … `xvi)`
    Roman,
    /// `1.` … inside a paragraph (an agenda): not paragraphs of the report.
    Numeric,
}

/// A subparagraph or list item: `a)`, `ii)`, `- b)`, or an agenda item `1.`.
#[derive(Debug, Clone)]
pub struct ListItem {
    pub style: ItemStyle,
    /// The label text without the closing parenthesis/period (`a`, `xiv`, `3`).
    pub label_span: Span,
    /// The value of the label: `a`=1, `aa`=27, `iv`=4, `3`=3.
    pub ordinal: u32,
    /// The item from its label to the end of its text.
    pub span: Span,
    /// Items of one list share a list id; ids are numbered in document order.
    pub list: usize,
    /// Nesting depth: 0 for a list directly in a paragraph, 1 for a list inside an item.
    pub depth: u8,
    /// The label is OCR-damaged (`¢)` for `c)`); `ordinal` is the value it was read as.
    pub garbled: bool,
    /// Index of the paragraph the item belongs to, if any.
    pub paragraph: Option<usize>,
}

/// A Markdown link `[65/230](#)`.
#[derive(Debug, Clone)]
pub struct Link {
    pub span: Span,
    /// The visible text between the brackets.
    pub text_span: Span,
    /// The target between the parentheses.
    pub target_span: Span,
}

/// A footnote body, after the `____` separator.
#[derive(Debug, Clone)]
pub struct Footnote {
    /// The footnote's marker as written (`1`, `*`, `!` when OCR mangled it).
    pub marker_span: Span,
    pub span: Span,
}

/// What a piece of page furniture is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FurnitureKind {
    /// `V.17-02181`, optionally followed by a page counter.
    JobNumber,
    /// A line holding only the document's symbol (running header).
    RunningSymbol,
    /// `7/11`, `8/11`.
    PageCounter,
    /// `http://undocs.org/fr/A/RES/74/174`.
    UndocsLink,
    /// `__________________`.
    FootnoteSeparator,
    /// `*1702181*` bar-code text, « Merci de recycler », form feeds.
    Other,
}

/// A line of page furniture: kept with its span but ignored by the rules.
#[derive(Debug, Clone)]
pub struct Furniture {
    pub kind: FurnitureKind,
    pub span: Span,
}

/// What a physical line of the document is, as decided by the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    Header,
    Heading,
    Body,
    Footnote,
    Furniture,
}

/// A physical line: its span without the line terminator.
///
/// A large file has a line every 40 bytes or so: the offsets are kept as `u32`, read through
/// [`Line::span`], and the struct is packed, 9 bytes a line rather than 12 (24 with `usize`
/// offsets): 1.6 MB less for the 20 MB bench file. x86 and ARM read the unaligned `u32`s at
/// no cost. A text of 4 GiB or more, whose offsets would not fit, is given no lines at all
/// (see [`crate::document::parse`]).
#[derive(Debug, Clone, Copy)]
#[repr(C, packed)]
pub struct Line {
    pub(super) start: u32,
    pub(super) end: u32,
    pub kind: LineKind,
}

impl Line {
    /// The line's span, without its terminator.
    #[inline]
    pub fn span(&self) -> Span {
        self.start()..self.end()
    }

    /// The offset of the line's first byte.
    #[inline]
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// The offset just after the line's last byte (before its `\r\n` or `\n`).
    #[inline]
    pub fn end(&self) -> usize {
        self.end as usize
    }
}

/// A parsed report.
#[derive(Debug)]
pub struct Document {
    /// The text with furniture (and Markdown link targets, `<sup>` tags and emphasis markers)
    /// blanked out by spaces: the same length and offsets as the text, so extractors scan
    /// prose without tripping over running headers, and every span they find is valid in the
    /// text. It is the document's only copy of the text: the original is read through
    /// [`Document::slice`] and given back whole by [`Document::into_text`].
    pub prose: String,
    /// What the prose view blanked, to give the original text back.
    pub(crate) blanked: super::Blanked,
    pub lang: Lang,
    /// Whether the text is Markdown (has `#` headings or `**` emphasis).
    pub markdown: bool,
    pub header: Header,
    pub headings: Vec<Heading>,
    pub paragraphs: Vec<Paragraph>,
    pub items: Vec<ListItem>,
    pub footnotes: Vec<Footnote>,
    pub furniture: Vec<Furniture>,
    pub links: Vec<Link>,
    /// Every physical line, in order (none for a text of 4 GiB or more). Their starts, which
    /// [`Document::line_index`] searches, are [`Line::start`]: no separate table.
    pub lines: Vec<Line>,
    pub(crate) cache: crate::extract::ExtractCache,
}

impl Document {
    /// Drops the word tokens: about half the text's size, and read by no rule once the
    /// typography rules that read them are done. A rule asking for them again would rebuild
    /// them.
    pub fn release_word_tokens(&mut self) {
        self.cache.words.take();
    }

    /// Drops the word tokens and the scans the typography rules share (code and URL marks,
    /// apostrophes): what only the rules of a document read, not the cross-file rules.
    pub fn release_token_caches(&mut self) {
        self.release_word_tokens();
        self.cache.typography = Default::default();
    }

    /// Whether the document continues another (« Additif », "Addendum", or a first heading
    /// marked « (suite) »): its numbering starts where its first heading says.
    pub fn is_continuation(&self) -> bool {
        self.header.addendum.is_some()
            || self
                .headings
                .iter()
                .find(|h| h.kind != HeadingKind::Unnumbered)
                .is_some_and(|h| h.continued)
    }

    /// The original text of `span` (not the prose view's): borrowed from the prose unless
    /// the span crosses something the prose blanked. Panics, as indexing would, on a span out
    /// of the text or not on its character boundaries.
    pub fn slice(&self, span: &Span) -> Cow<'_, str> {
        self.blanked.slice(&self.prose, span.clone())
    }

    /// The original bytes of `span`, whatever its offsets (a window that may cut a
    /// character): borrowed from the prose unless the span crosses a blank.
    pub fn original_bytes(&self, span: &Span) -> Cow<'_, [u8]> {
        self.blanked.bytes(&self.prose, span.clone())
    }

    /// The whole original text, for the cold paths (comparison of a draft with its original,
    /// the outline, tests): the prose itself when it blanked nothing, else a copy made once
    /// and kept with the document. The checks of a file never call it (they read
    /// [`Document::slice`], [`Document::same_as_prose`], [`Document::text_pieces`]), so a
    /// large file is never held twice; the engine takes the text back with
    /// [`Document::into_text`].
    pub fn text(&self) -> &str {
        if self.blanked.is_empty() {
            return &self.prose;
        }
        self.cache
            .text
            .get_or_init(|| self.slice(&(0..self.prose.len())).into_owned())
    }

    /// Whether the original text of `span` is the prose's (nothing blanked there but spaces).
    pub fn same_as_prose(&self, span: &Span) -> bool {
        self.blanked.same_as_prose(&self.prose, span.clone())
    }

    /// The original text as pieces in order, each with its offset (the prose between blanks
    /// and the blanked bytes): a search for a byte or a word that never straddles a blank's
    /// edge reads them in turn instead of a copy of the text.
    pub fn text_pieces(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.blanked.pieces(&self.prose)
    }

    /// The offset of the first `byte` of the original text at or after `from`.
    pub fn find_byte(&self, from: usize, byte: u8) -> Option<usize> {
        self.blanked.find_byte(&self.prose, from, byte)
    }

    /// Whether the original text holds the character `c` (furniture and blanked markup
    /// included).
    pub fn text_contains_char(&self, c: char) -> bool {
        self.blanked.contains_char(&self.prose, c)
    }

    /// The original text, given back in place: the prose view is gone with the document.
    pub fn into_text(self) -> String {
        let mut text = self.prose;
        self.blanked.restore(&mut text);
        text
    }

    /// 0-based line index of a byte offset (0 when the document has no lines).
    pub fn line_index(&self, offset: usize) -> usize {
        // The starts increase strictly: the last line starting at or before `offset`.
        self.lines
            .partition_point(|l| l.start() <= offset)
            .saturating_sub(1)
    }

    /// The offset of line `i`'s first byte. Panics, as indexing does, past the last line.
    pub fn line_start(&self, i: usize) -> usize {
        self.lines[i].start()
    }

    /// The paragraph (by index) that contains a byte offset.
    pub fn paragraph_at(&self, offset: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.span.start <= offset);
        if i == 0 {
            return None;
        }
        (self.paragraphs[i - 1].span.end > offset).then_some(i - 1)
    }

    /// The heading whose region contains `offset` (the last heading starting before it).
    pub fn heading_at(&self, offset: usize) -> Option<usize> {
        let i = self.headings.partition_point(|h| h.span.start <= offset);
        i.checked_sub(1)
    }

    /// Whether the byte at `offset` lies on a line of page furniture.
    pub fn is_furniture(&self, offset: usize) -> bool {
        let li = self.line_index(offset);
        self.lines
            .get(li)
            .is_some_and(|l| l.kind == LineKind::Furniture)
    }
}

/// Cached lazily-computed value holder re-exported for extractors.
pub type Cached<T> = OnceLock<T>;
