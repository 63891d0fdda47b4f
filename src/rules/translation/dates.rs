use super::{cancel, matched, pair_leftovers, quote};
use crate::compare::facts::DateFact;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, Span};
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
        original: &Document,
        draft: &Document,
        ctx: &PairContext,
        out: &mut Vec<Diagnostic>,
    ) {
        let al = ctx.alignment;
        let (o, d) = (&al.original, &al.draft);
        for l in matched(al) {
            let dates = |side: &crate::compare::Side, units: &[usize]| {
                super::gather(units, &side.dates, &side.facts.dates, |r: &DateFact| {
                    r.span.start
                })
            };
            let (lo, ld) = cancel(
                &dates(o, &l.original),
                &dates(d, &l.draft),
                DateFact::matches,
            );
            let (pairs, missing, extra) = pair_leftovers(lo, ld);
            // One finding per written date or range: « du 17 au 21 juin » is one mistake.
            let mut done_o: Vec<Span> = Vec::new();
            let mut done_d: Vec<Span> = Vec::new();
            for (a, b) in &pairs {
                if done_d.contains(&b.span) || done_o.contains(&a.span) {
                    continue;
                }
                done_o.push(a.span.clone());
                done_d.push(b.span.clone());
                let want: Vec<String> = pairs
                    .iter()
                    .filter(|(x, _)| x.span == a.span)
                    .map(|(x, _)| x.display())
                    .chain(
                        missing
                            .iter()
                            .filter(|x| x.span == a.span)
                            .map(DateFact::display),
                    )
                    .collect();
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        b.span.clone(),
                        format!(
                            "the draft has {} where the original has {}",
                            quote(draft.lang, &draft.slice(&b.span)),
                            quote(original.lang, &original.slice(&a.span))
                        ),
                    )
                    .with_label_in(
                        ctx.original_path.clone(),
                        a.span.clone(),
                        "the date in the original",
                    )
                    .with_help(format!(
                        "check the date against the original: {}",
                        want.join(", ")
                    )),
                );
            }
            for a in missing {
                if done_o.contains(&a.span) {
                    continue;
                }
                done_o.push(a.span.clone());
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        l.draft_at.clone(),
                        format!(
                            "date {} of the original is missing from the draft's {}",
                            quote(original.lang, &original.slice(&a.span)),
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
                if done_d.contains(&b.span) {
                    continue;
                }
                done_d.push(b.span.clone());
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        b.span.clone(),
                        format!(
                            "date {} is not in the original",
                            quote(draft.lang, &draft.slice(&b.span))
                        ),
                    )
                    .with_label_in(
                        ctx.original_path.clone(),
                        o.units[l.original[0]].anchor.clone(),
                        format!("{} in the original", o.units[l.original[0]].name),
                    )
                    .with_help(format!(
                        "check the date against the original ({})",
                        b.display()
                    )),
                );
            }
        }
    }
}
