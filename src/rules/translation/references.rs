use super::{cancel, matched, pair_leftovers};
use crate::compare::facts::Ref;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{PairContext, Rule};

declare_rule! {
    /// ## What it checks
    /// That the resolution and decision numbers (`65/230`, `2016/241`, `26/4`) and the document
    /// symbols (`E/CN.15/2019/12`, `A/RES/74/173`) of each original paragraph, item, heading or
    /// footnote are in the aligned part of the draft, unchanged.
    ///
    /// ## Why it matters
    /// References are copied, not translated; a digit changed on the way sends the reader of
    /// one language version to another resolution or another document.
    ///
    /// ## Example
    /// ```text
    /// original: 1. In its resolution 65/230, the General Assembly…
    /// draft:    1. Dans sa résolution 65/231, l'Assemblée générale…   <- 65/231 where the original has 65/230
    /// ```
    ///
    /// ## Configuration
    /// No options.
    pub struct TranslationReferences = "translation/references", Severity::Warning;
}

fn what(r: &Ref) -> &'static str {
    if r.key.chars().any(|c| c.is_ascii_alphabetic()) {
        "document symbol"
    } else {
        "resolution or decision number"
    }
}

impl Rule for TranslationReferences {
    crate::rule_meta!();

    fn check_pair(
        &self,
        _original: &Document,
        _draft: &Document,
        ctx: &PairContext,
        out: &mut Vec<Diagnostic>,
    ) {
        let al = ctx.alignment;
        let (o, d) = (&al.original, &al.draft);
        for l in matched(al) {
            let refs = |side: &crate::compare::Side, units: &[usize]| {
                super::gather(units, &side.refs, &side.facts.refs, |r: &Ref| r.span.start)
            };
            let (lo, ld) = cancel(&refs(o, &l.original), &refs(d, &l.draft), |a, b| {
                a.key == b.key
            });
            // A symbol pairs with a symbol, a number with a number.
            let (so, no): (Vec<Ref>, Vec<Ref>) =
                lo.into_iter().partition(|r| what(r) == "document symbol");
            let (sd, nd): (Vec<Ref>, Vec<Ref>) =
                ld.into_iter().partition(|r| what(r) == "document symbol");
            for (lo, ld) in [(so, sd), (no, nd)] {
                let (pairs, missing, extra) = pair_leftovers(lo, ld);
                for (a, b) in pairs {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            b.span.clone(),
                            format!(
                                "{} {} differs from the original ({})",
                                what(&b),
                                b.key,
                                a.key
                            ),
                        )
                        .with_label_in(
                            ctx.original_path.clone(),
                            a.span.clone(),
                            format!("{} in the original", a.key),
                        )
                        .with_help(format!("copy the reference from the original: {}", a.key)),
                    );
                }
                for a in missing {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            l.draft_at.clone(),
                            format!(
                                "{} {} of the original is missing from the draft's {}",
                                what(&a),
                                a.key,
                                d.units[l.draft[0]].name
                            ),
                        )
                        .with_label_in(
                            ctx.original_path.clone(),
                            a.span.clone(),
                            "this reference is not in the draft",
                        )
                        .with_help("translate the whole sentence that carries this reference"),
                    );
                }
                for b in extra {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            b.span.clone(),
                            format!("{} {} is not in the original", what(&b), b.key),
                        )
                        .with_label_in(
                            ctx.original_path.clone(),
                            o.units[l.original[0]].anchor.clone(),
                            format!("{} in the original", o.units[l.original[0]].name),
                        )
                        .with_help("check the reference against the original"),
                    );
                }
            }
        }
    }
}
