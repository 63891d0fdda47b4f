use super::{cancel, matched, pair_leftovers};
use crate::compare::facts::DateFact;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{PairContext, Rule};

declare_rule! {
    /// ## What it checks
    /// That the dates of each original paragraph, item, heading or footnote are in the aligned
    /// part of the draft: « du 27 au 29 mars 2019 » for "from 27 to 29 March 2019",
    /// « le 1er avril » for "on 1 April", « mars 2019 » for "March 2019". Dates are read in
    /// each document's language; a date written without its year matches the same day with one.
    ///
    /// ## Why it matters
    /// Meeting dates and deadlines are facts of record; a day or a month slipped in
    /// translation gives the language versions of one report different dates.
    ///
    /// ## Example
    /// ```text
    /// original: 2. … held in Vienna from 17 to 21 January 2011 …
    /// draft:    2. … tenue à Vienne du 17 au 21 juin 2011 …   <- 17 June 2011 where the original has 17 January 2011
    /// ```
    ///
    /// ## Configuration
    /// No options. A year written alone (« en 2019 ») is a figure, checked by
    /// translation/numbers.
    pub struct TranslationDates = "translation/dates", Severity::Warning;
}

impl Rule for TranslationDates {
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
        for l in matched(&al.links) {
            let dates = |side: &crate::compare::Side, units: &[usize]| -> Vec<DateFact> {
                let mut v: Vec<DateFact> = units
                    .iter()
                    .flat_map(|&u| side.dates[u].iter().map(|&i| side.facts.dates[i].clone()))
                    .collect();
                v.sort_by_key(|r| r.span.start);
                v
            };
            let (lo, ld) = cancel(
                &dates(o, &l.original),
                &dates(d, &l.draft),
                DateFact::matches,
            );
            let (pairs, missing, extra) = pair_leftovers(lo, ld);
            for (a, b) in pairs {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        b.span.clone(),
                        format!(
                            "the draft has {} where the original has {}",
                            b.display(),
                            a.display()
                        ),
                    )
                    .with_label_in(
                        ctx.original_path.clone(),
                        a.span.clone(),
                        format!("{} in the original", a.display()),
                    )
                    .with_help(format!(
                        "check the date against the original ({})",
                        a.display()
                    )),
                );
            }
            for a in missing {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        l.draft_at.clone(),
                        format!(
                            "date {} of the original is missing from the draft's {}",
                            a.display(),
                            d.units[l.draft[0]].name
                        ),
                    )
                    .with_label_in(
                        ctx.original_path.clone(),
                        a.span.clone(),
                        "this date is not in the draft",
                    )
                    .with_help("translate the whole sentence that carries this date"),
                );
            }
            for b in extra {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        b.span.clone(),
                        format!("date {} is not in the original", b.display()),
                    )
                    .with_label_in(
                        ctx.original_path.clone(),
                        o.units[l.original[0]].anchor.clone(),
                        format!("{} in the original", o.units[l.original[0]].name),
                    )
                    .with_help("check the date against the original"),
                );
            }
        }
    }
}
