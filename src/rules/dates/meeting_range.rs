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
    /// not given two dates. The meeting's opening and closing (« La réunion a été ouverte le
    /// 27 mars 2019 », "the session was closed on 29 March 2019") fall on its first and last
    /// days; such a sentence dated more than a month from the meeting is taken to be about
    /// another one and left alone.
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
    /// No options. A séance date written without a year takes the meeting's year. The session
    /// block of a masthead (« Commission pour la prévention du crime et la justice pénale /
    /// Vingt-huitième session / Vienne, 20-24 mai 2019 / Point 7 de l'ordre du jour
    /// provisoire ») is not the title: its dates are the session's, and the report under it
    /// may be about another meeting; the title is the block after it.
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

        // The opening on the first day, the closing on the last.
        if let (Some(r), Some((lo, hi))) = (range, bounds) {
            let prose = doc.prose.as_str();
            let mut seance_dated = vec![false; dates.mentions.len()];
            for s in &dates.seances {
                seance_dated[s.mention] = true;
            }
            for (i, m) in dates.mentions.iter().enumerate() {
                if seance_dated[i] || m.end.is_some() || m.start.day.is_none() {
                    continue;
                }
                let Some((event, whole)) = opening_before(prose, m.span.start) else {
                    continue;
                };
                let Some((day, _)) = days(m, year) else {
                    continue;
                };
                let (want, which) = match event {
                    Event::Opening => (lo, "first"),
                    Event::Closing => (hi, "last"),
                };
                let inside = (lo..=hi).contains(&day);
                // Farther off, the sentence is about another meeting (an earlier session).
                if day == want
                    || (inside && !whole)
                    || day < lo - NEARBY_DAYS
                    || day > hi + NEARBY_DAYS
                {
                    continue;
                }
                let verb = match event {
                    Event::Opening => "opened",
                    Event::Closing => "closed",
                };
                let where_ = if inside {
                    format!("not the meeting's {which} day")
                } else {
                    "outside the meeting".to_string()
                };
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        m.span.clone(),
                        format!(
                            "{verb} on {}, {where_} ({})",
                            show_mention(m, doc.lang),
                            show_mention(r, doc.lang)
                        ),
                    )
                    .with_label(r.span.clone(), "the meeting's dates")
                    .with_help(if whole {
                        format!("a meeting is {verb} on its {which} day: check this date or the meeting's dates")
                    } else {
                        "check this date or the meeting's dates".to_string()
                    }),
                );
            }
        }

        // Order: a higher séance number never has an earlier date; one séance, one date.
        // Linear-logarithmic, not a loop over all pairs: a hostile input can hold hundreds of
        // thousands of séances. For each séance `b` in order, the first earlier séance with the
        // same single number and another date (kept per number: the first one and the first
        // one dated differently from it), else the latest-dated séance with a lower number (a
        // max-tree over the séances sorted by their highest number).
        let seances = &dates.seances;
        let info: Vec<Option<(i64, u32, u32)>> = seances
            .iter()
            .map(|s| {
                let m = &dates.mentions[s.mention];
                let y = m.start.year.or(year).or(m.context_year);
                let (start, _) = days(m, y)?;
                let min = *s.ordinals.iter().min().unwrap_or(&0);
                let max = *s.ordinals.iter().max().unwrap_or(&0);
                Some((start, min, max))
            })
            .collect();
        let mut by_max: Vec<usize> = (0..seances.len())
            .filter(|&i| !reported[i] && info[i].is_some())
            .collect();
        by_max.sort_by_key(|&i| (info[i].map(|x| x.2), i));
        let mut slot = vec![usize::MAX; seances.len()];
        let mut tree = MaxTree::new(by_max.len());
        for (k, &i) in by_max.iter().enumerate() {
            slot[i] = k;
            tree.set(k, info[i].map(|x| (x.0, std::cmp::Reverse(i))));
        }
        // Single-numbered, single-day séances seen so far: number → (first (index, day), first
        // index dated differently from it).
        let mut singles: std::collections::HashMap<u32, ((usize, i64), Option<usize>)> =
            std::collections::HashMap::new();
        for (j, b) in seances.iter().enumerate() {
            if reported[j] {
                continue;
            }
            let mb = &dates.mentions[b.mention];
            let Some((b_start, b_min, _)) = info[j] else {
                continue;
            };
            let single = match b.ordinals.as_slice() {
                [one] if mb.end.is_none() => Some(*one),
                _ => None,
            };
            let same = single.and_then(|n| {
                let ((first, first_day), differ) = *singles.get(&n)?;
                if first_day != b_start {
                    Some(first)
                } else {
                    differ
                }
            });
            if let Some(i) = same {
                let ma = &dates.mentions[seances[i].mention];
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
                reported[j] = true;
                tree.set(slot[j], None);
                continue;
            }
            if let Some(n) = single {
                singles
                    .entry(n)
                    .and_modify(|((_, first_day), differ)| {
                        if differ.is_none() && *first_day != b_start {
                            *differ = Some(j);
                        }
                    })
                    .or_insert(((j, b_start), None));
            }
            let lower = by_max.partition_point(|&i| info[i].is_some_and(|x| x.2 < b_min));
            let worst = tree
                .prefix_max(lower)
                .filter(|(a_start, _)| b_start < *a_start)
                .map(|(a_start, i)| (i.0, a_start));
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

/// How many days before or after the meeting an opening or closing date may be and still be
/// the meeting's own, mistyped.
const NEARBY_DAYS: i64 = 31;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Opening,
    Closing,
}

/// Whether the date at `start` is the opening or closing of the meeting as the words before it
/// say, within their sentence: « La réunion a été ouverte le 27 mars », « Le Président a
/// ouvert la session le », "the meeting was closed on", « la séance d'ouverture s'est tenue
/// le ». The words must end with « le » or "on" right before the date, hold the verb and the
/// meeting's noun, and not be about a treaty's signature or a resumed session. The flag says
/// whether the noun is the whole meeting (« réunion », « session », "conference"), whose
/// opening is its first day, rather than a sitting (« séance », "meeting", which in English
/// may be either), which falls on any day of it.
fn opening_before(prose: &str, start: usize) -> Option<(Event, bool)> {
    // Most dates follow another word: one string test before any reading.
    let head = prose.as_bytes()[..start].trim_ascii_end();
    if ![b" le", b" on", b"\nle", b"\non"]
        .iter()
        .any(|w| head.ends_with(*w))
    {
        return None;
    }
    let before = &prose[prose.ceil_char_boundary(start.saturating_sub(160))..start];
    let sentence = before
        .rfind(['.', ';', ':', '!', '?'])
        .map_or(before, |p| &before[p + 1..]);
    // The eight words before « le » / "on", each classified.
    let mut found = 0u8;
    let mut lower = String::new();
    for w in sentence
        .rsplit(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .skip(1)
        .take(8)
    {
        crate::text::lower_into(w, &mut lower);
        found |= opening_word(&lower);
    }
    if found & EXCLUDED != 0 || found & (WHOLE | SITTING) == 0 {
        return None;
    }
    let event = if found & OPENS != 0 {
        Event::Opening
    } else if found & CLOSES != 0 {
        Event::Closing
    } else {
        return None;
    };
    Some((event, found & SITTING == 0))
}

/// What a word says in [`opening_before`]'s window ([`opening_word`]).
const WHOLE: u8 = 1;
const SITTING: u8 = 2;
const OPENS: u8 = 4;
const CLOSES: u8 = 8;
const EXCLUDED: u8 = 16;

/// What the lower-cased word `w` says in [`opening_before`]'s window.
fn opening_word(w: &str) -> u8 {
    match w {
        "réunion" | "session" | "conférence" | "conference" => WHOLE,
        "séance" | "meeting" => SITTING,
        "ouverte" | "ouvert" | "ouverture" | "opened" | "opening" => OPENS,
        "close" | "clos" | "clôturée" | "clôturé" | "clôture" | "closed" | "closure" => CLOSES,
        "signature" | "ratification" | "adhésion" | "accession" | "reprise" | "resumed" => {
            EXCLUDED
        }
        _ => 0,
    }
}

/// Maximum over a prefix of slots that can be cleared: an iterative segment tree.
struct MaxTree {
    n: usize,
    t: Vec<Option<(i64, std::cmp::Reverse<usize>)>>,
}

impl MaxTree {
    fn new(n: usize) -> MaxTree {
        MaxTree {
            n,
            t: vec![None; 2 * n],
        }
    }
    fn set(&mut self, slot: usize, v: Option<(i64, std::cmp::Reverse<usize>)>) {
        let mut p = slot + self.n;
        self.t[p] = v;
        while p > 1 {
            p /= 2;
            self.t[p] = self.t[2 * p].max(self.t[2 * p + 1]);
        }
    }
    /// The maximum of slots `0..k`.
    fn prefix_max(&self, k: usize) -> Option<(i64, std::cmp::Reverse<usize>)> {
        let (mut l, mut r) = (self.n, self.n + k);
        let mut best = None;
        while l < r {
            if l & 1 == 1 {
                best = best.max(self.t[l]);
                l += 1;
            }
            if r & 1 == 1 {
                r -= 1;
                best = best.max(self.t[r]);
            }
            l /= 2;
            r /= 2;
        }
        best
    }
}
