use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, Span};
use crate::extract::dates::{DateMention, Event};
use crate::extract::references::{BodySource, NamedBody, ReferencesConfig};
use crate::rules::{Context, Rule};
use std::ops::RangeInclusive;

use super::years_text;

declare_rule! {
    /// ## What it checks
    /// A numbered session of a body dated in a year that session did not meet: « la Commission
    /// pour la prévention du crime et la justice pénale, à sa vingtième session, tenue à Vienne
    /// du 11 au 15 avril 2001 » (session 20 of the Commission met in 2011). The session's years
    /// are those `references/resolution-year` knows: the General Assembly's session N opens in
    /// September of 1945+N and runs into the next year; the Commission on Crime Prevention and
    /// Criminal Justice holds session N in 1991+N; the conferences of the parties to the
    /// Organized Crime and Corruption Conventions met yearly, then every two years.
    ///
    /// The session is read with its dates when they follow it closely (« à sa vingtième
    /// session, tenue à Vienne du 11 au 15 avril 2011 », "at its tenth session, held in Vienna
    /// from 12 to 16 October 2020", « qui se tiendra à Vienne du … », "to be held in …"): only
    /// a place and « tenue »/"held" (or their future) may stand between them.
    /// Its body is the one the sentence names for it. A short name (« la Commission », "the
    /// Conference") counts only when the document names exactly one of the bodies it can mean
    /// in full; a resumed or special session is left alone.
    ///
    /// ## Why it matters
    /// A wrong year sends the reader to the wrong session's report, or shows that the session's
    /// number is wrong; either way the sentence cannot be trusted as published.
    ///
    /// ## Example
    /// ```text
    /// la Commission pour la prévention du crime et la justice pénale, à sa vingtième session,
    /// tenue à Vienne du 11 au 15 avril 2001
    ///                                  ^^^^ session 20 of the Commission met in 2011
    /// ```
    ///
    /// ## Configuration
    /// No options. The session-to-year table of each body is data in `[[references.bodies]]`
    /// (`first_year`, `sessions_per_year`, `year_tolerance`, `min_session`, `years`), shared
    /// with `references/resolution-year`.
    pub struct SessionYear = "references/session-year", Severity::Warning;
}

/// Words that may stand between a session and its dates: « , tenue à Vienne du », ", held in
/// Vienna from", « qui s'est tenue à New York le ». A capitalised word is a place.
/// A session to come too: « qui se tiendra à Vienne du », "to be held in Vienna from".
const BETWEEN: &[&str] = &[
    "tenue",
    "tenu",
    "tenues",
    "qui",
    "s",
    "est",
    "a",
    "à",
    "en",
    "au",
    "aux",
    "de",
    "du",
    "des",
    "le",
    "la",
    "les",
    "l",
    "d",
    "et",
    "se",
    "tiendra",
    "doit",
    "devant",
    "tenir",
    "prévue",
    "held",
    "which",
    "was",
    "in",
    "at",
    "from",
    "on",
    "the",
    "and",
    "of",
    "to",
    "be",
    "will",
    "is",
    "scheduled",
];

/// The most bytes between a session's noun and its dates.
const MAX_GAP: usize = 80;

impl Rule for SessionYear {
    crate::rule_meta!();

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let dates = doc.dates(ctx.config);
        let sessions: Vec<&Event> = dates
            .events
            .iter()
            .filter(|e| e.noun == "session" && !e.other)
            .collect();
        if sessions.is_empty() {
            return;
        }
        let cfg = &ctx.config.references;
        let text = doc.prose.as_str();
        let named: Vec<Option<NamedBody>> = sessions
            .iter()
            .map(|e| cfg.body_named_at(text, e.body_at))
            .collect();
        // The bodies the document names in full: in its citations and at its sessions.
        let mut in_full: Vec<&str> = doc
            .references(ctx.config)
            .resolutions
            .iter()
            .filter_map(|r| r.body.as_ref())
            .filter(|b| {
                b.is_definite()
                    && !b.inferred
                    && b.source != BodySource::Default
                    && b.span.is_some()
            })
            .map(|b| b.id.as_str())
            .collect();
        in_full.extend(
            named
                .iter()
                .flatten()
                .filter(|n| !n.needs_context && n.ids.len() == 1)
                .map(|n| n.ids[0].as_str()),
        );
        // The latest year the document states: a session that a body's list of years does not
        // hold, placed after it by the list's step, is a guess (« la Conférence des Parties »
        // of another convention, at its twenty-sixth session), not one to correct by.
        let latest = dates
            .mentions
            .iter()
            .filter_map(|m| m.last().year.or(m.start.year))
            .max();
        for (event, body) in sessions.iter().zip(&named) {
            let Some(body) = body else { continue };
            let mention = &dates.mentions[event.mention];
            if !follows_closely(text, &event.span, mention) {
                continue;
            }
            let Some(stated) = stated_years(mention) else {
                continue;
            };
            let Some((id, years)) = session_body(cfg, body, &in_full, event.ordinal) else {
                continue;
            };
            if years.start() <= stated.end() && stated.start() <= years.end()
                || extrapolated(cfg, &id, event.ordinal)
                    && latest.is_none_or(|l| *years.start() > l + 1)
            {
                continue;
            }
            let name = cfg.body_name(&id);
            let n = event.ordinal;
            let written = years_text(&stated);
            out.push(
                Diagnostic::new(
                    Self::ID,
                    year_span(text, mention),
                    format!(
                        "session {n} of the {name} is dated {written}, but that session {}",
                        if years.start() == years.end() {
                            format!("is in {}", years.start())
                        } else {
                            format!("runs from {} to {}", years.start(), years.end())
                        }
                    ),
                )
                .with_label(event.span.clone(), format!("session {n}"))
                .with_help("check the year and the session's number against its report"),
            );
        }
    }
}

/// Whether the dates follow the session's noun with nothing but a place and « tenue » /
/// "held" between them.
fn follows_closely(text: &str, noun: &Span, mention: &DateMention) -> bool {
    if mention.span.start < noun.end || mention.span.start - noun.end > MAX_GAP {
        return false;
    }
    let gap = &text[noun.end..mention.span.start];
    gap.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || BETWEEN.iter().any(|b| b.eq_ignore_ascii_case(w))
        })
        && !gap.contains(['.', ';', ':'])
}

/// Whether body `id`'s years are a list that stops before session `n`.
fn extrapolated(cfg: &ReferencesConfig, id: &str, n: u32) -> bool {
    cfg.body(id)
        .is_some_and(|b| !b.years.is_empty() && n as usize > b.years.len())
}

/// The years the dates cover, when they state them.
fn stated_years(m: &DateMention) -> Option<RangeInclusive<i32>> {
    let first = m.start.year?;
    let last = m.last().year.unwrap_or(first);
    Some(first.min(last)..=first.max(last))
}

/// The span of the mention's last year as written, else the whole mention.
fn year_span(text: &str, m: &DateMention) -> Span {
    let s = &text[m.span.clone()];
    let b = s.as_bytes();
    if b.len() >= 4 && b[b.len() - 4..].iter().all(u8::is_ascii_digit) {
        m.span.end - 4..m.span.end
    } else {
        m.span.clone()
    }
}

/// The body of a session named `body`, numbered `n`, and the years its session `n` met: the
/// body named, or for a name that needs context the one body it can mean that the document
/// names in full (`in_full`) and whose table covers the session.
fn session_body(
    cfg: &ReferencesConfig,
    body: &NamedBody,
    in_full: &[&str],
    n: u32,
) -> Option<(String, RangeInclusive<i32>)> {
    let covered: Vec<(&String, RangeInclusive<i32>)> = body
        .ids
        .iter()
        .filter_map(|id| Some((id, cfg.body(id)?.session_years(n)?)))
        .collect();
    let pick = if body.needs_context {
        let mut named: Vec<&(&String, RangeInclusive<i32>)> = covered
            .iter()
            .filter(|(id, _)| in_full.contains(&id.as_str()))
            .collect();
        // Every body the short name can mean that the document names in full, not only those
        // whose table covers the session: « la Commission » in a report naming two
        // commissions is left alone.
        let all_named = body
            .ids
            .iter()
            .filter(|id| in_full.contains(&id.as_str()))
            .count();
        if all_named != 1 || named.len() != 1 {
            return None;
        }
        named.pop()?.clone()
    } else {
        if body.ids.len() != 1 {
            return None;
        }
        covered.first()?.clone()
    };
    Some((pick.0.clone(), pick.1))
}
