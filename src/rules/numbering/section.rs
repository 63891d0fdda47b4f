use super::{Sequence, Step};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Document, HeadingKind};
use crate::rules::{Context, Rule};
use crate::text::to_roman;

declare_rule! {
    /// ## What it checks
    /// Roman-numbered sections run I, II, III… in order. A missing section is reported at the
    /// heading where the numbering jumps, with a label on an unnumbered heading in between that
    /// probably lost its number.
    ///
    /// ## Why it matters
    /// Cross-references (« voir la section III ») and tables of contents depend on the numbering;
    /// OCR and re-exports drop or mangle section numbers.
    ///
    /// ## Example
    /// ```text
    /// I. Introduction
    /// Résumé des délibérations        <- lost its « II. »
    /// III. Organisation de la réunion <- numbering jumps from I to III
    /// ```
    ///
    /// ## Configuration
    /// No options. An addendum or a continued section (« II. … (suite) ») starts where its first
    /// heading says.
    pub struct SectionNumbering = "numbering/section", Severity::Warning;
}

impl Rule for SectionNumbering {
    crate::rule_meta!();

    fn check(&self, doc: &Document, _ctx: &Context, out: &mut Vec<Diagnostic>) {
        let start = if doc.is_continuation() { None } else { Some(1) };
        let mut seq = Sequence::new(start);
        let mut prev: Option<usize> = None;
        for (i, h) in doc.headings.iter().enumerate() {
            if h.annex {
                seq = Sequence::new(Some(1));
                prev = None;
                continue;
            }
            if h.kind != HeadingKind::Section {
                continue;
            }
            let (Some(n), Some(span)) = (h.number, h.number_span.clone()) else {
                continue;
            };
            let written = doc.slice(&span);
            // The next section before any annex, to tell a typo from a gap.
            let next = doc.headings[i + 1..]
                .iter()
                .take_while(|x| !x.annex)
                .find(|x| x.kind == HeadingKind::Section)
                .and_then(|x| x.number);
            let step = seq.step(n, next);
            // A continued section (« II. … (suite) ») in an addendum may follow any section.
            let step = if h.continued && doc.is_continuation() {
                Step::Ok
            } else {
                step
            };
            let d = match step {
                Step::Ok => None,
                Step::Misnumbered { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        span.clone(),
                        format!(
                            "section numbered {written} where {} was expected",
                            to_roman(expected)
                        ),
                    )
                    .with_help(format!(
                        "renumber it {}: the sections around it run in order",
                        to_roman(expected)
                    ))
                    .with_fix(Fix::unsafe_(span, to_roman(expected))),
                ),
                Step::Gap { expected } => {
                    let missing: Vec<String> = (expected..n).map(to_roman).collect();
                    let prev_name = prev
                        .and_then(|p| doc.headings[p].number)
                        .map_or("the start".to_string(), to_roman);
                    let mut d = Diagnostic::new(
                        Self::ID,
                        span,
                        format!(
                            "section numbering jumps from {prev_name} to {}: section {} is missing",
                            to_roman(n),
                            missing.join(", ")
                        ),
                    )
                    .with_help(format!(
                        "number the sections in order; expected section {} here",
                        to_roman(expected)
                    ));
                    // An unnumbered heading between the two sections probably lost its number.
                    let from = prev.map_or(0, |p| p + 1);
                    if let Some(u) = doc.headings[from..i]
                        .iter()
                        .find(|u| u.kind == HeadingKind::Unnumbered)
                    {
                        d = d.with_label(
                            u.span.clone(),
                            format!(
                                "this unnumbered heading may be section {}",
                                to_roman(expected)
                            ),
                        );
                    }
                    Some(d)
                }
                Step::Duplicate => Some(
                    Diagnostic::new(
                        Self::ID,
                        span,
                        format!("section number {written} is used twice"),
                    )
                    .with_help(format!("expected section {} here", to_roman(n + 1))),
                ),
                Step::Disorder { expected } => Some(
                    Diagnostic::new(Self::ID, span, format!("section {written} is out of order"))
                        .with_help(format!("expected section {} here", to_roman(expected))),
                ),
            };
            out.extend(d);
            prev = Some(i);
        }
    }
}
