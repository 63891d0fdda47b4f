use super::{show, show_mention};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::extract::dates::{DateMention, MeetingSource, Ymd};
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// The dates of the séances (« À sa 1re séance, le 27 mars 2019 », « À ses 4e et 5e
    /// séances, les 28 et 29 mars 2019 ») against the meeting's own dates, taken from the
    /// title or the introduction (« tenue à Vienne du 27 au 29 mars 2019 »): every séance falls
    /// inside the meeting, a higher séance number never has an earlier date, and one séance is
    /// not given two dates.
    ///
    /// ## Why it matters
    /// The séance dates are the record of when each decision was taken. A séance outside the
    /// meeting, or séances out of order, means a date or a séance number was mistyped.
    ///
    /// ## Example
    /// ```text
    /// … tenue à Vienne du 27 au 29 mars 2019
    /// À sa 6e séance, le 30 mars 2019, …     <- after the meeting's last day
    /// ```
    ///
    /// ## Configuration
    /// No options. A séance date written without a year takes the meeting's year.
    pub struct MeetingRangeDates = "dates/meeting-range", Severity::Warning;
}

/// A séance date's (first, last) day numbers, borrowing the meeting's year if needed.
fn days(m: &DateMention, year: Option<i32>) -> Option<(i64, i64)> {
    let fill = |d: Ymd| Ymd {
        year: d.year.or(year),
        ..d
    };
    Some((fill(m.start).day_number()?, fill(m.last()).day_number()?))
}

fn ords(o: &[u32]) -> String {
    match o {
        [one] => format!("séance {one}"),
        [init @ .., last] => format!(
            "séances {} and {last}",
            init.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        [] => String::new(),
    }
}

fn verb(o: &[u32]) -> &'static str {
    if o.len() > 1 {
        "are"
    } else {
        "is"
    }
}

impl Rule for MeetingRangeDates {
    crate::rule_meta!();

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let dates = doc.dates(ctx.config);
        let meeting = dates.meeting.as_ref();
        let range = dates.meeting_mention();
        let year = range.and_then(|r| {
            (r.start.year == r.last().year)
                .then_some(r.start.year)
                .flatten()
        });
        let bounds = range.and_then(|r| Some((r.start.day_number()?, r.last().day_number()?)));
        let mut reported = vec![false; dates.seances.len()];

        // Inside the meeting.
        if let (Some(r), Some((lo, hi))) = (range, bounds) {
            for (i, s) in dates.seances.iter().enumerate() {
                let m = &dates.mentions[s.mention];
                let Some((a, b)) = days(m, year) else {
                    continue;
                };
                if a >= lo && b <= hi {
                    continue;
                }
                let whence = match meeting.map(|m| m.source) {
                    Some(MeetingSource::Title) => "the title",
                    _ => "the introduction",
                };
                reported[i] = true;
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        m.span.clone(),
                        format!(
                            "{} {} dated {}, outside the meeting ({})",
                            ords(&s.ordinals),
                            verb(&s.ordinals),
                            show_mention(m, doc.lang),
                            show_mention(r, doc.lang)
                        ),
                    )
                    .with_label(
                        r.span.clone(),
                        format!("the meeting's dates, from {whence}"),
                    )
                    .with_help("check the séance's date or the meeting's dates"),
                );
            }
        }

        // Order: a higher séance number never has an earlier date; one séance, one date.
        for (j, b) in dates.seances.iter().enumerate() {
            if reported[j] {
                continue;
            }
            let mb = &dates.mentions[b.mention];
            let yb = mb.start.year.or(year).or(mb.context_year);
            let Some((b_start, _)) = days(mb, yb) else {
                continue;
            };
            let b_min = *b.ordinals.iter().min().unwrap_or(&0);
            let mut worst: Option<(usize, i64)> = None;
            for (i, a) in dates.seances.iter().enumerate() {
                if reported[i] {
                    continue;
                }
                let ma = &dates.mentions[a.mention];
                let ya = ma.start.year.or(year).or(ma.context_year);
                let Some((a_start, _)) = days(ma, ya) else {
                    continue;
                };
                let a_max = *a.ordinals.iter().max().unwrap_or(&0);
                let earlier_number = a_max < b_min;
                let same_one = a.ordinals.len() == 1
                    && b.ordinals.len() == 1
                    && a.ordinals == b.ordinals
                    && i < j
                    && ma.end.is_none()
                    && mb.end.is_none();
                if same_one && a_start != b_start {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            mb.span.clone(),
                            format!(
                                "{} is dated {} here but {} earlier",
                                ords(&b.ordinals),
                                show_mention(mb, doc.lang),
                                show_mention(ma, doc.lang)
                            ),
                        )
                        .with_label(ma.span.clone(), "the same séance, dated differently")
                        .with_help("one of the two dates is wrong; check the meeting's record"),
                    );
                    worst = None;
                    reported[j] = true;
                    break;
                }
                if earlier_number && b_start < a_start && worst.is_none_or(|(_, s)| a_start > s) {
                    worst = Some((i, a_start));
                }
            }
            if let Some((i, _)) = worst {
                let a = &dates.seances[i];
                let ma = &dates.mentions[a.mention];
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        mb.span.clone(),
                        format!(
                            "{} {} dated {}, before {} ({})",
                            ords(&b.ordinals),
                            verb(&b.ordinals),
                            show(&mb.start, doc.lang),
                            ords(&a.ordinals),
                            show_mention(ma, doc.lang)
                        ),
                    )
                    .with_label(ma.span.clone(), format!("{} is dated here", ords(&a.ordinals)))
                    .with_help("séances are numbered in the order they were held: check the date or the séance number"),
                );
            }
        }
    }
}
