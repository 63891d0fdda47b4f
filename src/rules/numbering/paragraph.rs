use super::{Sequence, Step};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::Document;
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// Numbered paragraphs run 1, 2, 3… through the whole report, across sections. A gap, a
    /// duplicate or a number out of order is reported with the number that was expected. One
    /// defect gives one finding: after a gap the numbering is followed from the new number, and
    /// a numbering that starts again at 1 (a part whose heading was not recognised, a block
    /// pasted from another document) is reported where it restarts, not at every paragraph
    /// after it.
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
        // The texts are assembled here and copied out at their size: a long report can have
        // thousands of misnumbered paragraphs, and `format!` (a growing `String`, then a copy
        // into the `Arc`) cost several times more per text.
        let mut text = Text::default();
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
            let n = p.number;
            let d = match seq.step(n, next) {
                Step::Ok => None,
                Step::Misnumbered { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        p.number_span.clone(),
                        text.of(&[
                            S("paragraph numbered "),
                            N(n),
                            S(" where "),
                            N(expected),
                            S(" was expected"),
                        ]),
                    )
                    .with_help(text.of(&[
                        S("renumber it "),
                        N(expected),
                        S(": the paragraphs around it run in order"),
                    ]))
                    .with_fix(Fix::unsafe_(p.number_span.clone(), text.of(&[N(expected)]))),
                ),
                Step::Gap { expected } => {
                    let message = if n == expected + 1 {
                        text.of(&[
                            S("paragraph numbering jumps to "),
                            N(n),
                            S(": paragraph "),
                            N(expected),
                            S(" is missing"),
                        ])
                    } else {
                        text.of(&[
                            S("paragraph numbering jumps to "),
                            N(n),
                            S(": paragraphs "),
                            N(expected),
                            S("-"),
                            N(n - 1),
                            S(" are missing"),
                        ])
                    };
                    Some(Diagnostic::new(Self::ID, p.number_span.clone(), message)
                        .with_help(text.of(&[S("expected paragraph "), N(expected), S(" here; renumber the following paragraphs or restore the missing text")])))
                }
                Step::Duplicate => Some(
                    Diagnostic::new(
                        Self::ID,
                        p.number_span.clone(),
                        text.of(&[S("paragraph number "), N(n), S(" is used twice")]),
                    )
                    .with_help(text.of(&[
                        S("expected "),
                        N(n + 1),
                        S(" here; renumber this paragraph and the ones after it"),
                    ])),
                ),
                Step::Disorder { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        p.number_span.clone(),
                        text.of(&[S("paragraph "), N(n), S(" is out of order")]),
                    )
                    .with_help(text.of(&[
                        S("expected paragraph "),
                        N(expected),
                        S(" here"),
                    ])),
                ),
            };
            if let Some(mut d) = d {
                if let Some(q) = prev {
                    let label = text.string(&[S("previous paragraph is "), N(q.number)]);
                    d = d.with_label(q.number_span.clone(), label);
                }
                out.push(d);
            }
            prev = Some(p);
        }
    }
}

/// A piece of a message: literal text or a number in decimal.
enum Piece {
    S(&'static str),
    N(u32),
}
use Piece::{N, S};

/// A scratch buffer for messages, reused from one finding to the next.
#[derive(Default)]
struct Text(String);

impl Text {
    /// The pieces one after the other, what `format!` with `{}` for each number writes.
    fn write(&mut self, pieces: &[Piece]) -> &str {
        self.0.clear();
        for piece in pieces {
            match *piece {
                S(s) => self.0.push_str(s),
                N(n) => crate::text::push_decimal(&mut self.0, i64::from(n)),
            }
        }
        &self.0
    }
    fn of(&mut self, pieces: &[Piece]) -> std::sync::Arc<str> {
        std::sync::Arc::from(self.write(pieces))
    }
    fn string(&mut self, pieces: &[Piece]) -> String {
        String::from(self.write(pieces))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        let mut text = Text::default();
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            12345,
            999_999_999,
            1_000_000_000,
            u32::MAX,
        ] {
            assert_eq!(
                &*text.of(&[S("a "), N(n), S("-"), N(n / 7)]),
                format!("a {n}-{}", n / 7)
            );
        }
    }
}
