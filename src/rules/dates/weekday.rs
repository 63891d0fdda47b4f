use super::{show, weekday_name};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Document, Lang};
use crate::extract::dates::{WeekdayMention, Ymd};
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// A weekday written with a date must be that date's weekday: « le mardi 12 avril 2019 » is
    /// wrong, 12 April 2019 was a Friday. Only dates with a stated year are checked.
    ///
    /// ## Why it matters
    /// A weekday that contradicts its date leaves readers unsure which of the two is right,
    /// typically for a deadline or the day of a meeting.
    ///
    /// ## Example
    /// ```text
    /// au plus tard le mardi 12 avril 2019      <- 12 avril 2019 was a vendredi
    /// ```
    ///
    /// ## Configuration
    /// No options. The suggested weekday is shown as an unsafe fix: the date may be the
    /// mistaken part.
    pub struct WeekdayMismatch = "dates/weekday", Severity::Warning;
}

fn check_one(doc: &Document, wd: &WeekdayMention, date: &Ymd, out: &mut Vec<Diagnostic>) {
    let Some(actual) = date.weekday() else { return };
    if actual == wd.weekday {
        return;
    }
    let written = doc.slice(&wd.span);
    // Answer in the language of the weekday as written (a French report may quote English).
    let lang = if crate::extract::dates::WEEKDAYS_EN
        .iter()
        .any(|w| w.eq_ignore_ascii_case(&written))
    {
        Lang::En
    } else {
        Lang::Fr
    };
    let mut right = weekday_name(actual, lang).to_string();
    let cap = written.chars().next().is_some_and(char::is_uppercase);
    if cap {
        let mut c = right.chars();
        right = c
            .next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default();
    } else if lang == Lang::Fr {
        right = right.to_lowercase();
    }
    out.push(
        Diagnostic::new(
            WeekdayMismatch::ID,
            wd.span.clone(),
            format!(
                "« {written} » does not match {}, which is a {}",
                show(date, lang),
                weekday_name(actual, crate::document::Lang::En)
            ),
        )
        .with_help(format!("check the date; if it is right, write « {right} »"))
        .with_fix(Fix::unsafe_(wd.span.clone(), right)),
    );
}

impl Rule for WeekdayMismatch {
    crate::rule_meta!();

    fn fixable(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let dates = doc.dates(ctx.config);
        for m in &dates.mentions {
            if let Some(w) = &m.weekday {
                check_one(doc, w, &m.start, out);
            }
            if let (Some(w), Some(e)) = (&m.end_weekday, &m.end) {
                check_one(doc, w, e, out);
            }
        }
    }
}
