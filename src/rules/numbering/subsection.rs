use super::{Sequence, Step};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Document, HeadingKind};
use crate::rules::{Context, Rule};
use crate::text::letter;

declare_rule! {
    /// ## What it checks
    /// Lettered subsections run A, B, C… in order, restarting under each Roman section.
    ///
    /// ## Why it matters
    /// A skipped or repeated letter usually means a subsection was deleted or merged in an earlier
    /// draft without renumbering the rest.
    ///
    /// ## Example
    /// ```text
    /// IV. Organisation de la réunion
    /// A. Ouverture de la réunion
    /// C. Participation          <- expected B
    /// ```
    ///
    /// ## Configuration
    /// No options. Under a continued section (« IV. … (suite) ») the first letter may be any.
    pub struct SubsectionNumbering = "numbering/subsection", Severity::Warning;
}

impl Rule for SubsectionNumbering {
    crate::rule_meta!();

    fn check(&self, doc: &Document, _ctx: &Context, out: &mut Vec<Diagnostic>) {
        let mut current_parent: Option<Option<usize>> = None;
        let mut seq = Sequence::new(Some(1));
        for (i, h) in doc.headings.iter().enumerate() {
            if h.kind != HeadingKind::Subsection {
                continue;
            }
            if current_parent != Some(h.parent) {
                current_parent = Some(h.parent);
                let continued = match h.parent {
                    Some(p) => doc.headings[p].continued,
                    None => doc.is_continuation(),
                };
                seq = Sequence::new(if continued { None } else { Some(1) });
            }
            let (Some(n), Some(span)) = (h.number, h.number_span.clone()) else {
                continue;
            };
            let section = h
                .parent
                .and_then(|p| doc.headings[p].number_span.clone())
                .map(|s| doc.slice(&s).to_string());
            let under = section.map_or(String::new(), |s| format!(" under section {s}"));
            let next = doc.headings[i + 1..]
                .iter()
                .take_while(|x| x.kind != HeadingKind::Section && !x.annex)
                .find(|x| x.kind == HeadingKind::Subsection)
                .and_then(|x| x.number);
            let d = match seq.step(n, next) {
                Step::Ok => None,
                Step::Misnumbered { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        span.clone(),
                        format!(
                            "subsection lettered {} where {} was expected{under}",
                            letter(n),
                            letter(expected)
                        ),
                    )
                    .with_help(format!(
                        "reletter it {}: the subsections around it run in order",
                        letter(expected)
                    ))
                    .with_fix(Fix::unsafe_(span, letter(expected).to_string())),
                ),
                Step::Gap { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        span,
                        format!("subsection {} skips {}{under}", letter(n), letter(expected)),
                    )
                    .with_help(format!("expected subsection {} here", letter(expected))),
                ),
                Step::Duplicate => Some(
                    Diagnostic::new(
                        Self::ID,
                        span,
                        format!("subsection letter {} is used twice{under}", letter(n)),
                    )
                    .with_help(format!("expected subsection {} here", letter(n + 1))),
                ),
                Step::Disorder { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        span,
                        format!("subsection {} is out of order{under}", letter(n)),
                    )
                    .with_help(format!("expected subsection {} here", letter(expected))),
                ),
            };
            out.extend(d);
        }
    }
}
