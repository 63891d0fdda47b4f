use super::{month_name, show};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::extract::dates::{days_in_month, Ymd};
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// Dates that do not exist in the calendar (« 31 juin 2018 », « 29 février 2019 », a day
    /// past 31 such as « 32 mars 2019 »,
    /// "31 April 2020"), and ranges that end before they start (« du 29 au 27 mars 2019 »).
    ///
    /// ## Why it matters
    /// An impossible date is always a typing or OCR error, and the reader cannot tell which
    /// day was meant: the date of a séance, a deadline or a resolution becomes unusable.
    ///
    /// ## Example
    /// ```text
    /// À sa 2e séance, le 31 juin 2018, …     <- June has 30 days
    /// ```
    ///
    /// ## Configuration
    /// No options. « 29 février » without a year is not reported (it exists in leap years).
    pub struct InvalidDate = "dates/invalid", Severity::Error;
}

fn why(d: &Ymd, lang: crate::document::Lang) -> Option<String> {
    if d.exists() != Some(false) {
        return None;
    }
    let m = d.month?;
    let n = days_in_month(d.year.unwrap_or(2000), m);
    let month = month_name(m, lang);
    Some(match (m, d.year) {
        (2, Some(y)) => format!("{month} {y} has {n} days"),
        _ => format!("{month} has {n} days"),
    })
}

impl Rule for InvalidDate {
    crate::rule_meta!();

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let dates = doc.dates(ctx.config);
        for m in &dates.mentions {
            let mut days: Vec<Ymd> = vec![m.start];
            days.extend(m.end);
            days.extend(m.list.iter().copied());
            days.dedup();
            if let Some((d, reason)) = days.iter().find_map(|d| why(d, doc.lang).map(|r| (d, r))) {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        m.span.clone(),
                        format!("{} does not exist: {reason}", show(d, doc.lang)),
                    )
                    .with_help(
                        "check the day and month against the source or the meeting's calendar",
                    ),
                );
                continue;
            }
            if let (Some(a), Some(b)) = (m.start.day_number(), m.end.and_then(|e| e.day_number())) {
                if b < a {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            m.span.clone(),
                            format!(
                                "this period ends ({}) before it starts ({})",
                                show(&m.last(), doc.lang),
                                show(&m.start, doc.lang)
                            ),
                        )
                        .with_help(
                            "check the first and last days; they may be swapped or mistyped",
                        ),
                    );
                }
            }
        }
    }
}
