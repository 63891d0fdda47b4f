use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Document, HeadingKind};
use crate::rules::{Context, Rule};
use crate::text::to_roman;

declare_rule! {
    /// ## What it checks
    /// A paragraph or heading number with the wrong punctuation (`44,` for `44.`, `II,` for
    /// `II.`), a garbled Roman numeral (`ITII.` for `III.`), or a garbled item label (`¢)` for
    /// `c)`) — typical OCR damage.
    ///
    /// ## Why it matters
    /// The number is still read correctly by a person, but not by the tools that split the
    /// report into paragraphs, and it shows in print.
    ///
    /// ## Example
    /// ```text
    /// 44, L'ONUDC, dans le cadre de son initiative…   <- write `44.`
    /// ```
    ///
    /// ## Configuration
    /// No options. The fix for a comma is safe; the reading of a garbled numeral is offered
    /// but not applied automatically.
    pub struct NumberPunctuation = "numbering/punctuation", Severity::Warning;
}

impl Rule for NumberPunctuation {
    crate::rule_meta!();

    fn fixable(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, _ctx: &Context, out: &mut Vec<Diagnostic>) {
        for p in &doc.paragraphs {
            let punct = doc.slice(&p.punct_span);
            if punct != "." {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        p.number_span.start..p.punct_span.end,
                        format!(
                            "paragraph number `{}{punct}` has `{punct}` instead of a period",
                            p.number
                        ),
                    )
                    .with_help(format!("write `{}.`", p.number))
                    .with_fix(Fix::safe(p.punct_span.clone(), ".")),
                );
            }
        }
        for h in &doc.headings {
            if h.kind == HeadingKind::Unnumbered {
                continue;
            }
            let (Some(ns), Some(n)) = (&h.number_span, h.number) else {
                continue;
            };
            let written = doc.slice(ns);
            if h.garbled {
                let roman = to_roman(n);
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        ns.clone(),
                        format!("garbled section number `{written}`"),
                    )
                    .with_help(format!(
                        "write `{roman}.` (read from the sections around it)"
                    ))
                    .with_fix(Fix::unsafe_(ns.clone(), roman)),
                );
            }
            if let Some(ps) = &h.punct_span {
                let punct = doc.slice(ps);
                if punct != "." {
                    out.push(
                        Diagnostic::new(Self::ID, ns.start..ps.end, format!("heading number `{written}{punct}` has `{punct}` instead of a period"))
                            .with_help(format!("write `{written}.`"))
                            .with_fix(Fix::safe(ps.clone(), ".")),
                    );
                }
            }
        }
        for it in &doc.items {
            if it.garbled {
                let written = doc.slice(&it.label_span);
                let right = crate::text::alpha_label(it.ordinal);
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        it.label_span.clone(),
                        format!("garbled item label `{written})`"),
                    )
                    .with_help(format!("write `{right})`"))
                    .with_fix(Fix::safe(it.label_span.clone(), right)),
                );
            }
        }
    }
}
