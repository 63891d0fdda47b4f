use super::{Sequence, Step};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::Document;
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// Numbered paragraphs run 1, 2, 3… through the whole report, across sections. A gap, a
    /// duplicate or a number out of order is reported with the number that was expected.
    ///
    /// ## Why it matters
    /// Paragraph numbers are how delegations and later documents cite a report (« voir par. 12 »);
    /// a skipped or repeated number makes every later citation ambiguous.
    ///
    /// ## Example
    /// ```text
    /// 11. Le Groupe d'experts a tenu sa réunion…
    /// 13. La réunion a été ouverte…      <- paragraph 12 is missing
    /// ```
    ///
    /// ## Configuration
    /// No options. An addendum (« Additif ») or a document whose first heading says « (suite) »
    /// may start at any number; numbered agenda lists inside a paragraph are not paragraphs.
    pub struct ParagraphNumbering = "numbering/paragraph", Severity::Warning;
}

impl Rule for ParagraphNumbering {
    crate::rule_meta!();

    fn check(&self, doc: &Document, _ctx: &Context, out: &mut Vec<Diagnostic>) {
        let start = if doc.is_continuation() { None } else { Some(1) };
        let mut seq = Sequence::new(start);
        let mut prev: Option<&crate::document::Paragraph> = None;
        let mut annexes = doc
            .headings
            .iter()
            .filter(|h| h.annex)
            .map(|h| h.span.start)
            .peekable();
        for (i, p) in doc.paragraphs.iter().enumerate() {
            // An annex restarts the numbering (at whatever number it starts with).
            if annexes.next_if(|&a| a < p.span.start).is_some() {
                while annexes.next_if(|&a| a < p.span.start).is_some() {}
                seq = Sequence::new(None);
                prev = None;
            }
            let next = doc
                .paragraphs
                .get(i + 1)
                .filter(|q| annexes.peek().is_none_or(|&a| a > q.span.start))
                .map(|q| q.number);
            let d = match seq.step(p.number, next) {
                Step::Ok => None,
                Step::Misnumbered { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        p.number_span.clone(),
                        format!(
                            "paragraph numbered {} where {expected} was expected",
                            p.number
                        ),
                    )
                    .with_help(format!(
                        "renumber it {expected}: the paragraphs around it run in order"
                    ))
                    .with_fix(Fix::unsafe_(p.number_span.clone(), expected.to_string())),
                ),
                Step::Gap { expected } => {
                    let missing = if p.number == expected + 1 {
                        format!("paragraph {expected} is missing")
                    } else {
                        format!("paragraphs {expected}-{} are missing", p.number - 1)
                    };
                    Some(Diagnostic::new(Self::ID, p.number_span.clone(), format!("paragraph numbering jumps to {}: {missing}", p.number))
                        .with_help(format!("expected paragraph {expected} here; renumber the following paragraphs or restore the missing text")))
                }
                Step::Duplicate => Some(
                    Diagnostic::new(
                        Self::ID,
                        p.number_span.clone(),
                        format!("paragraph number {} is used twice", p.number),
                    )
                    .with_help(format!(
                        "expected {} here; renumber this paragraph and the ones after it",
                        p.number + 1
                    )),
                ),
                Step::Disorder { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        p.number_span.clone(),
                        format!("paragraph {} is out of order", p.number),
                    )
                    .with_help(format!("expected paragraph {expected} here")),
                ),
            };
            if let Some(mut d) = d {
                if let Some(q) = prev {
                    d = d.with_label(
                        q.number_span.clone(),
                        format!("previous paragraph is {}", q.number),
                    );
                }
                out.push(d);
            }
            prev = Some(p);
        }
    }
}
