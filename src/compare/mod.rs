//! Comparing a translated draft with its original.
//!
//! Both documents are cut into structural [`Unit`]s (title, sections, subsections, unnumbered
//! headings, numbered paragraphs, list items, footnotes), each with the spans of its own text
//! (a paragraph's text without its items and footnotes). [`align`] matches the units of the two
//! sides kind by kind with a small dynamic programme (Gale–Church style) that weighs equal
//! numbers, text length and shared facts (figures, references, dates), so that a paragraph lost,
//! added, merged with the next or split in two is recognised and the rest stays aligned.
//! The `translation/*` rules read the [`Alignment`] and the [`facts`] of each unit.

pub mod align;
pub mod facts;
pub mod lang;
pub mod pairs;
pub mod run;
pub mod terms;

pub use align::{align, Alignment, Link, Side};
pub use run::{run_pairs, Shared};

use crate::document::{Document, HeadingKind, ItemStyle, LineKind, Span};

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitKind {
    Title,
    Section,
    Subsection,
    Heading,
    Paragraph,
    Item,
    Footnote,
    /// Unnumbered text outside paragraphs (a summary, an introduction before paragraph 1): all
    /// the body lines between two structural units, across page breaks.
    Block,
}

impl UnitKind {
    pub fn is_heading(self) -> bool {
        matches!(
            self,
            UnitKind::Title | UnitKind::Section | UnitKind::Subsection | UnitKind::Heading
        )
    }
}

/// A structural piece of a document.
#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: UnitKind,
    /// What the unit is matched on when numbered: `3` for section III, `2.1` for subsection II.A,
    /// `12` for paragraph 12, `a.ii` for item ii) under a), `1` for footnote 1.
    pub key: Option<String>,
    /// How a message names it: `paragraph 12`, `section II`, `item (b) of paragraph 5`.
    pub name: String,
    /// A short span to point at: the number, the label, the heading.
    pub anchor: Span,
    /// The whole unit.
    pub span: Span,
    /// The unit's own text: its span without its number, nested items and footnotes.
    pub body: Vec<Span>,
    /// Letters and digits in the body (for length comparison).
    pub chars: usize,
    /// For items: the index of their paragraph's unit.
    pub parent: Option<usize>,
    /// For paragraphs: how many list items they hold.
    pub children: usize,
}

impl Unit {
    /// Whether a byte offset lies in the unit's own text.
    pub fn contains(&self, offset: usize) -> bool {
        self.body
            .iter()
            .any(|s| s.start <= offset && offset < s.end)
    }
    /// The unit's own text, its pieces joined by a space (from the document's prose).
    pub fn text<'d>(&self, doc: &'d Document) -> std::borrow::Cow<'d, str> {
        match self.body.as_slice() {
            [one] => std::borrow::Cow::Borrowed(&doc.prose[one.clone()]),
            many => std::borrow::Cow::Owned(
                many.iter()
                    .map(|s| &doc.prose[s.clone()])
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        }
    }
}

/// Removes `holes` from `span`, keeping non-blank pieces.
fn subtract(doc: &Document, span: Span, holes: &mut [Span]) -> Vec<Span> {
    holes.sort_by_key(|h| h.start);
    let mut out = Vec::new();
    let mut at = span.start;
    for h in holes.iter() {
        if h.end <= at || h.start >= span.end {
            continue;
        }
        if h.start > at {
            out.push(at..h.start);
        }
        at = at.max(h.end);
    }
    if at < span.end {
        out.push(at..span.end);
    }
    out.retain(|s| !doc.prose[s.clone()].trim().is_empty());
    out
}

fn count_chars(doc: &Document, body: &[Span]) -> usize {
    body.iter()
        .map(|s| {
            doc.prose[s.clone()]
                .chars()
                .filter(|c| c.is_alphanumeric())
                .count()
        })
        .sum()
}

fn item_label(doc: &Document, i: usize) -> String {
    let it = &doc.items[i];
    let lab = doc.slice(&it.label_span);
    match it.style {
        ItemStyle::Numeric => lab.to_string(),
        _ => format!("({lab})"),
    }
}

/// Cuts a document into units, in document order within each kind.
pub fn units(doc: &Document) -> Vec<Unit> {
    let mut out = Vec::new();
    let footnote_spans: Vec<Span> = doc.footnotes.iter().map(|f| f.span.clone()).collect();
    let mk = |kind, key, name, anchor: Span, span: Span, body: Vec<Span>| {
        let chars = count_chars(doc, &body);
        Unit {
            kind,
            key,
            name,
            anchor,
            span,
            body,
            chars,
            parent: None,
            children: 0,
        }
    };
    if let Some(t) = &doc.header.title {
        // Header fields that a two-column layout may run into the title line.
        let h = &doc.header;
        let mut holes: Vec<Span> = [
            &h.distribution,
            &h.date,
            &h.language,
            &h.original_language,
            &h.symbol,
            &h.addendum,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        let body = subtract(doc, t.clone(), &mut holes);
        out.push(mk(
            UnitKind::Title,
            Some("title".into()),
            "title".into(),
            t.clone(),
            t.clone(),
            body,
        ));
    }
    for h in &doc.headings {
        let title = h.title_span.clone().unwrap_or_else(|| h.span.clone());
        let anchor = h.span.clone();
        let (kind, key, name) = match h.kind {
            HeadingKind::Section => (
                UnitKind::Section,
                h.number.map(|n| n.to_string()),
                format!(
                    "section {}",
                    h.number_span
                        .as_ref()
                        .map_or("", |s| &doc.text()[s.clone()])
                ),
            ),
            HeadingKind::Subsection => {
                let parent = h.parent.and_then(|p| doc.headings[p].number).unwrap_or(0);
                let pname = h
                    .parent
                    .and_then(|p| doc.headings[p].number_span.as_ref())
                    .map(|s| format!(" of section {}", doc.slice(s)))
                    .unwrap_or_default();
                (
                    UnitKind::Subsection,
                    h.number.map(|n| format!("{parent}.{n}")),
                    format!(
                        "subsection {}{pname}",
                        h.number_span
                            .as_ref()
                            .map_or("", |s| &doc.text()[s.clone()])
                    ),
                )
            }
            HeadingKind::Unnumbered => (
                UnitKind::Heading,
                None,
                format!("heading « {} »", short(&doc.slice(&title))),
            ),
        };
        out.push(mk(kind, key, name, anchor, h.span.clone(), vec![title]));
    }
    let mut para_unit = vec![usize::MAX; doc.paragraphs.len()];
    for (pi, p) in doc.paragraphs.iter().enumerate() {
        let mut holes: Vec<Span> = doc
            .items
            .iter()
            .filter(|it| it.paragraph == Some(pi))
            .map(|it| it.span.clone())
            .collect();
        holes.extend(footnote_spans.iter().cloned());
        holes.push(p.span.start..p.punct_span.end);
        let body = subtract(doc, p.span.clone(), &mut holes);
        para_unit[pi] = out.len();
        let children = doc
            .items
            .iter()
            .filter(|it| it.paragraph == Some(pi))
            .count();
        out.push(mk(
            UnitKind::Paragraph,
            Some(p.number.to_string()),
            format!("paragraph {}", p.number),
            p.number_span.start..p.punct_span.end,
            p.span.clone(),
            body,
        ));
        out.last_mut().expect("just pushed").children = children;
    }
    for (ii, it) in doc.items.iter().enumerate() {
        // The item's path of labels: `a.ii` for ii) under a).
        let mut path = vec![it.ordinal.to_string()];
        let mut depth = it.depth;
        let mut at = ii;
        while depth > 0 {
            match doc.items[..at]
                .iter()
                .rposition(|o| o.depth < depth && o.span.start <= it.span.start)
            {
                Some(p) => {
                    path.push(doc.items[p].ordinal.to_string());
                    depth = doc.items[p].depth;
                    at = p;
                }
                None => break,
            }
        }
        path.reverse();
        let style = match it.style {
            ItemStyle::Alpha => "a",
            ItemStyle::Roman => "i",
            ItemStyle::Numeric => "n",
        };
        let key = format!("{style}{}", path.join("."));
        let mut holes: Vec<Span> = doc
            .items
            .iter()
            .filter(|o| {
                o.depth > it.depth && it.span.start < o.span.start && o.span.end <= it.span.end
            })
            .map(|o| o.span.clone())
            .collect();
        holes.extend(footnote_spans.iter().cloned());
        // The label and its punctuation: up to the first space after the label.
        let label_end = doc.text()[it.label_span.end..]
            .find(char::is_whitespace)
            .map_or(it.span.end, |k| it.label_span.end + k)
            .min(it.span.end);
        holes.push(it.span.start.min(it.label_span.start)..label_end);
        let body = subtract(doc, it.span.clone(), &mut holes);
        let parent = it.paragraph.map(|p| para_unit[p]);
        let of = it
            .paragraph
            .map(|p| format!(" of paragraph {}", doc.paragraphs[p].number))
            .unwrap_or_default();
        let mut u = mk(
            UnitKind::Item,
            Some(key),
            format!("item {}{of}", item_label(doc, ii)),
            it.label_span.clone(),
            it.span.clone(),
            body,
        );
        u.parent = parent;
        out.push(u);
    }
    // Unnumbered text: body lines outside every paragraph, item and footnote.
    let mut taken: Vec<Span> = doc
        .paragraphs
        .iter()
        .map(|p| p.span.clone())
        .chain(doc.items.iter().map(|i| i.span.clone()))
        .chain(footnote_spans.iter().cloned())
        .collect();
    taken.sort_by_key(|s| s.start);
    let inside = |off: usize| {
        let k = taken.partition_point(|s| s.start <= off);
        taken[..k].iter().rev().take(8).any(|s| off < s.end)
    };
    let mut blocks: Vec<Span> = Vec::new();
    let mut cur: Option<Span> = None;
    for line in &doc.lines {
        match line.kind {
            LineKind::Blank | LineKind::Furniture => continue,
            LineKind::Body if !inside(line.start()) => {
                cur = Some(match cur.take() {
                    Some(c) => c.start..line.end(),
                    None => line.span(),
                });
            }
            _ => blocks.extend(cur.take()),
        }
    }
    blocks.extend(cur.take());
    for b in blocks {
        let body = subtract(doc, b.clone(), &mut []);
        if body.is_empty() {
            continue;
        }
        let name = format!("unnumbered text « {} »", short(&doc.prose[b.clone()]));
        let anchor = first_line_of(doc, &b);
        out.push(mk(UnitKind::Block, None, name, anchor, b.clone(), body));
    }
    for f in &doc.footnotes {
        // The marker: the first digits or `*` of the footnote in prose (`<sup>` tags blanked).
        let text = &doc.prose[f.span.clone()];
        let lead = text.len() - text.trim_start().len();
        let marker_len = text[lead..]
            .find(|c: char| !(c.is_ascii_digit() || c == '*'))
            .unwrap_or(text.len() - lead);
        let (key, anchor, body_start) = if marker_len > 0 {
            let m = f.span.start + lead..f.span.start + lead + marker_len;
            (doc.prose[m.clone()].to_string(), m.clone(), m.end)
        } else {
            (String::new(), f.span.clone(), f.span.start)
        };
        let body = subtract(doc, body_start..f.span.end, &mut []);
        out.push(mk(
            UnitKind::Footnote,
            (!key.is_empty()).then(|| key.clone()),
            if key.is_empty() {
                "footnote".to_string()
            } else {
                format!("footnote {key}")
            },
            anchor,
            f.span.clone(),
            body,
        ));
    }
    out
}

/// The first line of a span, trimmed.
fn first_line_of(doc: &Document, span: &Span) -> Span {
    let s = &doc.text()[span.clone()];
    let lead = s.len() - s.trim_start().len();
    let start = span.start + lead;
    let end = doc.text()[start..span.end]
        .find('\n')
        .map_or(span.end, |k| start + k);
    start..start + doc.text()[start..end].trim_end().len()
}

/// The first words of a heading, for messages.
pub fn short(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut out = words.iter().take(5).copied().collect::<Vec<_>>().join(" ");
    if words.len() > 5 {
        out.push('…');
    }
    out
}
