use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, HeadingKind, Span};
use crate::extract::references::{CrossTarget, Direction};
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// Internal cross-references (« voir par. 12 », « au paragraphe 15 ci-dessus », « dans la
    /// section III ci-dessous », "see para. 12", "section IV below") that point at a paragraph
    /// or section this document does not have, or whose « ci-dessus » / « ci-dessous »
    /// (above/below) direction is wrong. References to another text (« paragraphe 42 de la
    /// Déclaration de Salvador », « paragraphe 3 de l'article 18 », « E/CN.15/2016/CRP.1,
    /// par. 4 ») are not internal and are left alone.
    ///
    /// ## Why it matters
    /// Paragraphs are renumbered and sections moved while a report is drafted; a
    /// cross-reference that was right in the draft silently goes stale.
    ///
    /// ## Example
    /// ```text
    /// 3. … comme indiqué au paragraphe 12 ci-dessus …
    ///                       ^^^^^^^^^^^^ paragraph 12 comes after this one
    /// ```
    ///
    /// ## Configuration
    /// No options. Paragraph references are checked only in documents with numbered paragraphs
    /// that start at 1 (not in an addendum or a continued document); section references only in
    /// documents with numbered sections. References in footnotes are checked only when they
    /// say above or below.
    pub struct Internal = "references/internal", Severity::Warning;
}

fn dir_word(d: Direction) -> &'static str {
    match d {
        Direction::Above => "above",
        Direction::Below => "below",
    }
}

impl Rule for Internal {
    crate::rule_meta!();

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let continued = doc.is_continuation();
        let sections: Vec<(u32, Span)> = doc
            .headings
            .iter()
            .filter(|h| h.kind == HeadingKind::Section)
            .filter_map(|h| h.number.map(|n| (n, h.span.clone())))
            .collect();
        // Built once, not per cross-reference (that was quadratic in a long document): the
        // targets, their highest number, and where each number first occurs.
        let paragraphs: Vec<(u32, Span)> = doc
            .paragraphs
            .iter()
            .map(|p| (p.number, p.span.clone()))
            .collect();
        let index = |targets: &[(u32, Span)]| {
            let mut first = rustc_hash::FxHashMap::default();
            for (i, t) in targets.iter().enumerate() {
                first.entry(t.0).or_insert(i);
            }
            (targets.iter().map(|t| t.0).max(), first)
        };
        let (paragraph_index, section_index) = (index(&paragraphs), index(&sections));
        for x in &doc.references(ctx.config).cross_refs {
            if x.in_footnote && x.direction.is_none() {
                continue;
            }
            let (what, targets, (max, first)) = match x.target {
                CrossTarget::Paragraph => {
                    if continued || doc.paragraphs.len() < 3 {
                        continue;
                    }
                    ("paragraph", &paragraphs, &paragraph_index)
                }
                CrossTarget::Section => {
                    if continued || sections.len() < 2 {
                        continue;
                    }
                    ("section", &sections, &section_index)
                }
            };
            let shown = match x.target {
                CrossTarget::Paragraph => x.number.to_string(),
                CrossTarget::Section => doc.slice(&x.span).to_string(),
            };
            let Some(max) = *max else {
                continue;
            };
            let Some((_, tspan)) = first.get(&x.number).map(|&i| &targets[i]) else {
                if x.number > max {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            x.full_span.clone(),
                            format!("{what} {shown} does not exist in this document"),
                        )
                        .with_help(format!(
                            "the last {what} is {}; correct the cross-reference",
                            match x.target {
                                CrossTarget::Paragraph => max.to_string(),
                                CrossTarget::Section =>
                                    targets
                                        .iter()
                                        .find(|t| t.0 == max)
                                        .map_or(String::new(), |t| {
                                            doc.headings
                                                .iter()
                                                .find(|h| h.span == t.1)
                                                .and_then(|h| h.number_span.clone())
                                                .map_or(max.to_string(), |s| {
                                                    doc.slice(&s).to_string()
                                                })
                                        }),
                            }
                        )),
                    );
                }
                continue;
            };
            let Some((dir, dspan)) = &x.direction else {
                continue;
            };
            let at = x.span.start;
            // a reference inside its own target says nothing about direction
            if tspan.start <= at && at < tspan.end {
                continue;
            }
            let actual = if tspan.start < at {
                Direction::Above
            } else {
                Direction::Below
            };
            // a section reference inside the section it names is also fine
            if actual != *dir {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        dspan.clone(),
                        format!(
                            "{what} {shown} is {} this point, not {}",
                            dir_word(actual),
                            dir_word(*dir)
                        ),
                    )
                    .with_label(
                        tspan.start
                            ..tspan.start
                                + doc
                                    .slice(tspan)
                                    .find(char::is_whitespace)
                                    .unwrap_or(1)
                                    .max(1),
                        format!("{what} {shown} is here"),
                    )
                    .with_help(format!(
                        "write {}",
                        match (actual, doc.lang) {
                            (Direction::Above, crate::document::Lang::Fr) => "« ci-dessus »",
                            (Direction::Below, crate::document::Lang::Fr) => "« ci-dessous »",
                            (Direction::Above, _) => "\"above\"",
                            (Direction::Below, _) => "\"below\"",
                        }
                    )),
                );
            }
        }
    }
}
