//! Extraction of dates: every French or English date of a document with its resolved value,
//! and the context the `dates/*` rules need (séance dates, the meeting's own dates, the
//! document's date, dated events such as « deuxième réunion du Groupe d'experts », and
//! whether each date's sentence speaks of the past or of plans).
//!
//! [`parse_dates`] is the reusable entry point (a translation check compares the values found
//! in an original and its translation: values are language-neutral [`Ymd`]).

mod context;
mod marker_dfa;
mod scan;

pub use scan::parse_dates;

use crate::config::Config;
use crate::document::{Document, Span};
use serde::Deserialize;
use std::fmt;

/// A calendar value as stated: any part may be missing (« mars 2014 », « 17 décembre »).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Ymd {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Ymd {
    /// The full date, when year, month and day are all known.
    pub fn full(&self) -> Option<(i32, u8, u8)> {
        Some((self.year?, self.month?, self.day?))
    }
    /// Whether the date exists in the calendar (`None` when it cannot be told: no year for
    /// 29 February, or no day).
    pub fn exists(&self) -> Option<bool> {
        let (m, d) = (self.month?, self.day?);
        if !(1..=12).contains(&m) || d == 0 {
            return Some(false);
        }
        if d <= days_in_month(2000, m) && !(m == 2 && d == 29) {
            return Some(true);
        }
        if d > days_in_month(2000, m) {
            return Some(false);
        }
        // 29 February: depends on the year.
        self.year.map(is_leap)
    }
    /// The weekday of a full, existing date: 0 = Monday … 6 = Sunday.
    pub fn weekday(&self) -> Option<u8> {
        let (y, m, d) = self.full()?;
        if self.exists() != Some(true) {
            return None;
        }
        Some(weekday(y, m, d))
    }
    /// Days since 1970-01-01 of a full date.
    pub fn day_number(&self) -> Option<i64> {
        let (y, m, d) = self.full()?;
        Some(days_from_civil(y, m, d))
    }
}

impl fmt::Display for Ymd {
    /// ISO-like: `2019-03-27`, with `?` for unknown parts (`????-12-17`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}")?,
            None => f.write_str("????")?,
        }
        match self.month {
            Some(m) => write!(f, "-{m:02}")?,
            None => f.write_str("-??")?,
        }
        match self.day {
            Some(d) => write!(f, "-{d:02}"),
            None => f.write_str("-??"),
        }
    }
}

/// Whether `y` is a leap year (Gregorian).
pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` of year `y`.
pub fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 (H. Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Weekday of a date: 0 = Monday … 6 = Sunday.
pub fn weekday(y: i32, m: u8, d: u8) -> u8 {
    // 1970-01-01 was a Thursday (3).
    ((days_from_civil(y, m, d) + 3).rem_euclid(7)) as u8
}

/// Weekday names: `WEEKDAYS_FR[0]` = « lundi ».
pub const WEEKDAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
pub const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// What a mention covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MentionKind {
    /// One day, one month or one year.
    Single,
    /// « du 27 au 29 mars », "27-29 March": every day from `start` to `end`.
    Range,
    /// « les 28 et 29 mars », « les 27, 28 et 29 »: the days in `list`.
    List,
}

/// A weekday written next to a date (« le vendredi 12 avril »).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekdayMention {
    pub span: Span,
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
}

/// One date (or range, or list of days) in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// From the first day (or weekday) to the year as written.
    pub span: Span,
    pub start: Ymd,
    /// The last day of a range or list.
    pub end: Option<Ymd>,
    pub kind: MentionKind,
    /// Every day of a [`MentionKind::List`].
    pub list: Vec<Ymd>,
    /// The weekday named before the (first) day.
    pub weekday: Option<WeekdayMention>,
    /// The weekday named before the last day of a range (« du lundi 27 au mercredi 29 »).
    pub end_weekday: Option<WeekdayMention>,
    /// For a date written without a year: the year of the nearest earlier dated mention in
    /// the same paragraph (a guess, never used to call a date wrong).
    pub context_year: Option<i32>,
}

impl DateMention {
    /// The last day (the start for a single date).
    pub fn last(&self) -> Ymd {
        self.end.unwrap_or(self.start)
    }
    /// Whether start and end are full dates (day precision).
    pub fn is_day_precise(&self) -> bool {
        self.start.full().is_some() && self.end.is_none_or(|e| e.full().is_some())
    }
}

/// Whether a date's sentence narrates the past or announces plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    /// A past-event verb near the date (« a tenu », « s'est tenue », "was held", a séance).
    Past,
    /// The sentence speaks of plans (« se tiendra », « devrait », "will be held").
    Future,
    Unknown,
}

/// « À ses 4e et 5e séances, les 28 et 29 mars 2019 »: séance numbers and their date.
#[derive(Debug, Clone)]
pub struct SeanceDate {
    /// From the first ordinal to the word « séance(s) ».
    pub span: Span,
    pub ordinals: Vec<u32>,
    /// Index into [`Dates::mentions`].
    pub mention: usize,
}

/// Where the meeting's own dates were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingSource {
    Title,
    Introduction,
}

/// The dates of the meeting the report is about (« tenue à Vienne du 27 au 29 mars 2019 »).
#[derive(Debug, Clone)]
pub struct MeetingRange {
    /// Index into [`Dates::mentions`].
    pub mention: usize,
    pub source: MeetingSource,
}

/// Where the document's date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocDateSource {
    /// The date line of the header.
    Header,
    /// The séance at which the report was adopted.
    Adoption,
}

/// The document's own date.
#[derive(Debug, Clone)]
pub struct DocumentDate {
    /// Index into [`Dates::mentions`].
    pub mention: usize,
    pub source: DocDateSource,
}

/// A dated event: « deuxième réunion du Groupe d'experts … du 25 au 28 février 2013 ».
#[derive(Debug, Clone)]
pub struct Event {
    /// Normalised key: body / noun / ordinal, e.g. `groupe d'experts/reunion/2`.
    pub key: String,
    /// The ordinal and noun as written.
    pub span: Span,
    /// Index into [`Dates::mentions`] of the event's dates.
    pub mention: usize,
    /// Index into [`DatesConfig::bodies`] of the event's body, for [`Event::label`].
    pub body: usize,
    /// Where the body's name starts in the prose (« Commission » of « la Commission pour la
    /// prévention du crime… »), for a rule that reads the whole name there.
    pub body_at: usize,
    /// The event noun, folded: `session`, `reunion`…
    pub noun: &'static str,
    /// The ordinal: 2 for « deuxième réunion ».
    pub ordinal: u32,
    /// Another event than the numbered one: a resumed or special session (« reprise de sa
    /// … session », « session extraordinaire »).
    pub other: bool,
}

impl Event {
    /// A readable name: « deuxième réunion (groupe d'experts) », from the document's prose
    /// `text` and the configuration the event was found with. Made when a finding quotes it,
    /// not for every event found: few events are ever reported, and the words joined and the
    /// `format!` cost an allocation or three each.
    pub fn label(&self, text: &str, cfg: &DatesConfig) -> String {
        let written: Vec<&str> = text[self.span.clone()].split_whitespace().collect();
        format!("{} ({})", written.join(" "), cfg.bodies[self.body])
    }
}

/// Everything this extractor found in one document.
#[derive(Debug, Default)]
pub struct Dates {
    /// Every date, in text order.
    pub mentions: Vec<DateMention>,
    /// The dates that date a séance, at most one per mention, in the order of their mentions.
    pub seances: Vec<SeanceDate>,
    pub meeting: Option<MeetingRange>,
    pub document_date: Option<DocumentDate>,
    pub events: Vec<Event>,
}

impl Dates {
    /// The meeting's range as a mention.
    pub fn meeting_mention(&self) -> Option<&DateMention> {
        self.meeting.as_ref().map(|m| &self.mentions[m.mention])
    }
    /// The document's date as a mention.
    pub fn document_mention(&self) -> Option<&DateMention> {
        self.document_date
            .as_ref()
            .map(|m| &self.mentions[m.mention])
    }
}

/// The `[dates]` section of the configuration.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatesConfig {
    /// Names of bodies that hold numbered meetings (« Groupe d'experts », "Commission").
    #[serde(default)]
    pub bodies: Vec<String>,
    /// Phrases that mark a sentence as narrating a past event (« a tenu », "was held").
    #[serde(default)]
    pub past_markers: Vec<String>,
    /// Phrases that mark a sentence as a plan (« se tiendra », "will be held").
    #[serde(default)]
    pub future_markers: Vec<String>,
    /// The markers' matcher, built on first use and shared by the run's documents (a DFA,
    /// fast to search); reset by [`DatesConfig::merge`].
    #[serde(skip)]
    pub(crate) markers: std::sync::OnceLock<context::Markers>,
    /// The bodies' folded names and words, made on first use and shared by the run's
    /// documents like the markers (each document folded and tokenised every body again, and
    /// freed them: ~60 000 instructions a document for the embedded list); reset by
    /// [`DatesConfig::merge`].
    #[serde(skip)]
    pub(crate) folded_bodies: std::sync::OnceLock<context::Bodies>,
}

impl DatesConfig {
    /// Merges a later configuration layer into this one (lists extend, scalars override).
    pub fn merge(&mut self, later: DatesConfig) {
        self.bodies.extend(later.bodies);
        self.past_markers.extend(later.past_markers);
        self.future_markers.extend(later.future_markers);
        self.markers = std::sync::OnceLock::new();
        self.folded_bodies = std::sync::OnceLock::new();
    }
}

impl Document {
    /// The dates of this document (computed once, then cached).
    pub fn dates(&self, config: &Config) -> &Dates {
        self.cache
            .dates
            .get_or_init(|| context::extract(self, &config.dates))
    }

    /// The tense of the sentence of date `i` of [`Document::dates`], found when asked (see
    /// `context::tense_of`).
    pub fn date_tense(&self, config: &Config, i: usize) -> Tense {
        context::tense_of(self.prose.as_str(), &config.dates, self.dates(config), i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar() {
        assert_eq!(weekday(2019, 4, 12), 4); // Friday
        assert_eq!(weekday(1970, 1, 1), 3);
        assert_eq!(weekday(2000, 2, 29), 1); // Tuesday
        assert_eq!(weekday(2019, 3, 27), 2); // Wednesday
        assert!(is_leap(2000) && !is_leap(1900) && is_leap(2020) && !is_leap(2019));
        let d = |y, m, day| Ymd {
            year: y,
            month: Some(m),
            day: Some(day),
        };
        assert_eq!(d(Some(2018), 6, 31).exists(), Some(false));
        assert_eq!(d(Some(2019), 2, 29).exists(), Some(false));
        assert_eq!(d(Some(2020), 2, 29).exists(), Some(true));
        assert_eq!(d(None, 2, 29).exists(), None);
        assert_eq!(d(None, 4, 31).exists(), Some(false));
        assert_eq!(d(None, 12, 17).exists(), Some(true));
    }
}
