use super::{cancel, matched};
use crate::compare::facts::Num;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{PairContext, Rule};

declare_rule! {
    /// ## What it checks
    /// That every figure of an original paragraph (heading, item, footnote) is in the aligned
    /// part of the draft, with the same value: « 105 États Membres » for "105 Member States",
    /// « 1 817 » for "1,817", « 2,5 % » for "2.5 per cent". Grouping and decimals are read in
    /// each document's language. Small counts and ordinals may be spelled out on either side
    /// (« deux réunions » / "two meetings", « vingt-septième session » / "twenty-seventh
    /// session") and match figures of the same value.
    ///
    /// ## Why it matters
    /// A figure changed or dropped in translation makes the language versions of one report
    /// say different things; nobody rereads the numbers of a translated paragraph.
    ///
    /// ## Example
    /// ```text
    /// original: 3. … with the participation of 105 Member States.
    /// draft:    3. … avec la participation de 106 États Membres.   <- 106 where the original has 105
    /// ```
    ///
    /// ## Configuration
    /// No options. Paragraph and item numbers, footnote calls, resolution numbers and symbols
    /// (translation/references) and the figures of dates (translation/dates) are not compared
    /// here. A spelled-out number on one side only is not reported (« les deux » renders "both").
    pub struct TranslationNumbers = "translation/numbers", Severity::Warning;
}

fn show(doc: &Document, n: &Num) -> String {
    doc.slice(&n.span)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Rule for TranslationNumbers {
    crate::rule_meta!();

    fn check_pair(
        &self,
        original: &Document,
        draft: &Document,
        ctx: &PairContext,
        out: &mut Vec<Diagnostic>,
    ) {
        let al = ctx.alignment;
        let (o, d) = (&al.original, &al.draft);
        for l in matched(al) {
            let nums = |side: &crate::compare::Side, units: &[usize]| {
                super::gather(units, &side.numbers, &side.facts.numbers, |n: &Num| {
                    n.span.start
                })
            };
            let (on, dn) = (nums(o, &l.original), nums(d, &l.draft));
            let (lo, ld) = cancel(&on, &dn, |a, b| a.key == b.key);
            let (lo, ld): (Vec<Num>, Vec<Num>) = (
                lo.into_iter().filter(|n| !n.weak).collect(),
                ld.into_iter().filter(|n| !n.weak).collect(),
            );
            if lo.is_empty() && ld.is_empty() {
                continue;
            }
            // Figures pair with figures, in order; a spelled number pairs only when it is the
            // one difference left on both sides.
            let (fo, so): (Vec<Num>, Vec<Num>) = lo.into_iter().partition(|n| !n.spelled);
            let (fd, sd): (Vec<Num>, Vec<Num>) = ld.into_iter().partition(|n| !n.spelled);
            let k = fo.len().min(fd.len());
            let mut pairs: Vec<(Num, Num)> = fo[..k]
                .iter()
                .cloned()
                .zip(fd[..k].iter().cloned())
                .collect();
            let (mut fo, mut fd) = (fo[k..].to_vec(), fd[k..].to_vec());
            let rest_o: Vec<Num> = fo.iter().chain(&so).cloned().collect();
            let rest_d: Vec<Num> = fd.iter().chain(&sd).cloned().collect();
            if rest_o.len() == 1 && rest_d.len() == 1 && (rest_o[0].spelled || rest_d[0].spelled) {
                pairs.push((rest_o[0].clone(), rest_d[0].clone()));
                fo.clear();
                fd.clear();
            }
            for (a, b) in pairs {
                // The same characters on both sides is a formatting matter, not a translation one.
                if original.slice(&a.span) == draft.slice(&b.span) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        b.span.clone(),
                        format!(
                            "the draft has {} where the original has {}",
                            show(draft, &b),
                            show(original, &a)
                        ),
                    )
                    .with_label_in(
                        ctx.original_path.clone(),
                        a.span.clone(),
                        format!("{} in the original", show(original, &a)),
                    )
                    .with_help(format!(
                        "check the figure against the original ({})",
                        show(original, &a)
                    )),
                );
            }
            for a in fo {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        l.draft_at.clone(),
                        format!(
                            "figure {} of the original is missing from the draft's {}",
                            show(original, &a),
                            d.units[l.draft[0]].name
                        ),
                    )
                    .with_label_in(
                        ctx.original_path.clone(),
                        a.span.clone(),
                        "this figure is not in the draft",
                    )
                    .with_help("translate the whole sentence that carries this figure"),
                );
            }
            for b in fd {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        b.span.clone(),
                        format!("figure {} is not in the original", show(draft, &b)),
                    )
                    .with_label_in(
                        ctx.original_path.clone(),
                        o.units[l.original[0]].anchor.clone(),
                        format!("{} in the original", o.units[l.original[0]].name),
                    )
                    .with_help("check the figure against the original"),
                );
            }
        }
    }
}
