//! `dates/*` rules: dates that do not exist, weekdays that do not match, séances outside the
//! meeting's dates, events dated differently in two places, past events after the document's
//! date. They all read the date layer ([`crate::extract::dates`]).

mod chronology;
mod inconsistent;
mod invalid;
mod meeting_range;
mod weekday;

pub use chronology::DateChronology;
pub use inconsistent::InconsistentDates;
pub use invalid::InvalidDate;
pub use meeting_range::MeetingRangeDates;
pub use weekday::WeekdayMismatch;

use super::Rule;
use crate::document::Lang;
use crate::extract::dates::{DateMention, Ymd};

/// The rules of this group.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &DateChronology,
        &InconsistentDates,
        &InvalidDate,
        &MeetingRangeDates,
        &WeekdayMismatch,
    ]
}

pub(crate) use crate::text::month_name;

/// A date as the document's language writes it: « 27 mars 2019 », "27 March 2019".
pub(crate) fn show(d: &Ymd, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(day) = d.day {
        parts.push(if day == 1 && lang == Lang::Fr {
            "1er".to_string()
        } else {
            day.to_string()
        });
    }
    if let Some(m) = d.month {
        parts.push(month_name(m, lang).to_string());
    }
    if let Some(y) = d.year {
        parts.push(y.to_string());
    }
    parts.join(" ")
}

/// A mention's value as text: « 27 mars 2019 » or « 27 mars 2019 – 29 mars 2019 ».
pub(crate) fn show_mention(m: &DateMention, lang: Lang) -> String {
    let Some(e) = &m.end else {
        return show(&m.start, lang);
    };
    let s = &m.start;
    if s.year == e.year && s.month == e.month && s.day.is_some() {
        let first = Ymd {
            year: None,
            month: None,
            ..*s
        };
        format!("{}–{}", show(&first, lang), show(e, lang))
    } else if s.year == e.year {
        let first = Ymd { year: None, ..*s };
        format!("{} – {}", show(&first, lang), show(e, lang))
    } else {
        format!("{} – {}", show(s, lang), show(e, lang))
    }
}

/// The name of weekday `w` (0 = Monday) in `lang`.
pub(crate) fn weekday_name(w: u8, lang: Lang) -> &'static str {
    use crate::extract::dates::{WEEKDAYS_EN, WEEKDAYS_FR};
    match lang {
        Lang::Fr => WEEKDAYS_FR[usize::from(w % 7)],
        Lang::En => WEEKDAYS_EN[usize::from(w % 7)],
    }
}
