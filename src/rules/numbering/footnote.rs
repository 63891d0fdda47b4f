use super::{Sequence, Step};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::Document;
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// Numbered footnotes (the notes under the `____` separator at the foot of each page of a
    /// PDF export) run 1, 2, 3… through the whole report: a number skipped, used twice or out
    /// of order is reported.
    ///
    /// ## Why it matters
    /// A footnote deleted, merged or pasted from another draft without renumbering the others
    /// leaves the text's call numbers pointing at the wrong notes.
    ///
    /// ## Example
    /// ```text
    /// __________________
    ///  3 Voir Office des Nations Unies contre la drogue et le crime, …
    /// __________________
    ///  5 Voir notamment …          <- footnote 4 is missing
    /// ```
    ///
    /// ## Configuration
    /// No options. Notes marked `*` (the title's note) are left out; a marker OCR garbled
    /// into a sign (`!` for `1`) takes the number expected there. A report that continues
    /// another (an addendum, « (suite) ») may start at any number, and a sequence that starts
    /// again at 1 (an annex with notes of its own) is a new sequence, not a defect.
    pub struct FootnoteNumbering = "numbering/footnote", Severity::Warning;
}

impl Rule for FootnoteNumbering {
    crate::rule_meta!();

    fn check(&self, doc: &Document, _ctx: &Context, out: &mut Vec<Diagnostic>) {
        // The marker of each footnote as a number (`None` for a garbled one), `*` left out.
        let marks: Vec<(Option<u32>, &crate::document::Span)> = doc
            .footnotes
            .iter()
            .filter_map(|f| {
                let written = doc.slice(&f.marker_span);
                let written = written.trim();
                if written.is_empty() || written.chars().all(|c| c == '*') {
                    return None;
                }
                let n = (written.len() <= 3 && written.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| written.parse().ok())
                    .flatten();
                Some((n, &f.marker_span))
            })
            .collect();
        let mut seq = Sequence::new((!doc.is_continuation()).then_some(1));
        for (i, (n, span)) in marks.iter().enumerate() {
            let next = marks.get(i + 1).and_then(|m| m.0);
            let Some(n) = *n else {
                // A garbled marker stands for the number expected there.
                if let Some(e) = seq.expected() {
                    seq.step(e, next);
                }
                continue;
            };
            // Notes numbered afresh from 1 after two or more (an annex's own notes): a new
            // sequence. After one note, a second 1 is that note's number used twice.
            if n == 1 && seq.expected().is_some_and(|e| e > 2) && next.is_none_or(|x| x == 2) {
                seq = Sequence::new(Some(1));
            }
            let d = match seq.step(n, next) {
                Step::Ok => continue,
                Step::Misnumbered { expected } => Diagnostic::new(
                    Self::ID,
                    (*span).clone(),
                    format!("footnote numbered {n} where {expected} was expected"),
                )
                .with_help(format!(
                    "renumber it {expected}: the notes around it run in order"
                ))
                .with_fix(Fix::unsafe_((*span).clone(), expected.to_string())),
                Step::Disorder { expected } => Diagnostic::new(
                    Self::ID,
                    (*span).clone(),
                    format!("footnote {n} is out of order"),
                )
                .with_help(format!("expected footnote {expected} here")),
                Step::Gap { expected } => {
                    let missing = if n - expected == 1 {
                        format!("footnote {expected} is missing")
                    } else {
                        format!("footnotes {expected} to {} are missing", n - 1)
                    };
                    Diagnostic::new(
                        Self::ID,
                        (*span).clone(),
                        format!("{missing} before footnote {n}"),
                    )
                    .with_help("restore the missing note, or renumber the notes from here")
                }
                Step::Duplicate => Diagnostic::new(
                    Self::ID,
                    (*span).clone(),
                    format!("footnote number {n} is used twice"),
                )
                .with_help(format!("expected footnote {} here", n + 1)),
            };
            out.push(d);
        }
    }
}
