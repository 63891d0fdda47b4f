use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Document, HeadingKind};
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// In Markdown, headings of the same rank written at different levels: `## II.` but
    /// `### III.`, or `## A.` under one section and `#### A.` under another. The level most
    /// headings of that rank use is taken as the house level.
    ///
    /// ## Why it matters
    /// Converters build the table of contents and the PDF bookmarks from Markdown levels; mixed
    /// levels put a section inside another.
    ///
    /// ## Example
    /// ```text
    /// ### I. Introduction
    /// ## II. Recommandations      <- level 2, other sections are level 3
    /// ```
    ///
    /// ## Configuration
    /// No options. Plain-text documents are not checked.
    pub struct HeadingLevel = "structure/heading-level", Severity::Warning;
}

impl Rule for HeadingLevel {
    crate::rule_meta!();

    fn fixable(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, _ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (kind, name) in [
            (HeadingKind::Section, "section"),
            (HeadingKind::Subsection, "subsection"),
        ] {
            let hs: Vec<_> = doc
                .headings
                .iter()
                .filter(|h| h.kind == kind && h.markdown_level.is_some())
                .collect();
            let mut counts = [0usize; 7];
            for h in &hs {
                counts[h.markdown_level.unwrap_or(0) as usize] += 1;
            }
            // The majority level; on a tie, the deeper one for subsections, the shallower for sections.
            let Some(level) = (1..7).max_by_key(|&l| {
                (
                    counts[l],
                    if kind == HeadingKind::Section {
                        7 - l
                    } else {
                        l
                    },
                )
            }) else {
                continue;
            };
            if counts[level] == 0 {
                continue;
            }
            for h in hs {
                let l = h.markdown_level.unwrap_or(0) as usize;
                if l == level {
                    continue;
                }
                let line_start = doc.line_start(doc.line_index(h.span.start));
                let hashes_at = doc.find_byte(line_start, b'#');
                let mut d = Diagnostic::new(
                    Self::ID,
                    h.span.start..h.number_span.as_ref().map_or(h.span.end, |s| s.end),
                    format!("{name} heading at level {l} (`{}`), but {} of {} {name} headings use level {level}", "#".repeat(l), counts[level], counts.iter().sum::<usize>()),
                )
                .with_help(format!("write `{}` for every {name} heading", "#".repeat(level)));
                if let Some(a) = hashes_at {
                    d = d.with_fix(Fix::safe(a..a + l, "#".repeat(level)));
                }
                out.push(d);
            }
        }
    }
}
