use super::{label, session_years, years_text};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::extract::references::RefNumber;
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// A resolution or decision cited with a year its number cannot have. General Assembly
    /// session N opens in September of 1945+N and may adopt texts until September of 1946+N;
    /// the Commission on Crime Prevention and Criminal Justice holds session N in 1991+N; the
    /// conferences of the parties to the Organized Crime and Corruption Conventions met yearly,
    /// then every two years (session 10 of the former in 2020, session 8 of the latter in 2019);
    /// Economic and Social Council numbers carry their year (2016/241), and so do Security
    /// Council numbers (2341 (2017)). The year is read from « En 2001, dans sa résolution 20/7 »,
    /// « adoptée en 2009 », « du 21 décembre 2010 », « résolution 9/1 de 2018 » and "adopted on
    /// 26 April 2013".
    ///
    /// ## Why it matters
    /// A wrong year sends the reader to the wrong session, or shows that the number itself is
    /// wrong; either way the published citation cannot be trusted.
    ///
    /// ## Example
    /// ```text
    /// En 2001, dans sa résolution 20/7, la Commission pour la prévention du crime…
    ///    ^^^^ session 20 of the Commission met in 2011
    /// ```
    ///
    /// ## Configuration
    /// No options. The session-to-year table of each body is data in `[[references.bodies]]`
    /// (`first_year`, `sessions_per_year`, `year_tolerance`, `min_session`, or `years` listing
    /// each session's year for a body with no fixed rhythm). When the text does
    /// not name the body, the year is checked against every body that numbers texts by session.
    pub struct ResolutionYear = "references/resolution-year", Severity::Warning;
}

impl Rule for ResolutionYear {
    crate::rule_meta!();

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let cfg = &ctx.config.references;
        for r in &doc.references(ctx.config).resolutions {
            let Some(y) = &r.year else { continue };
            if r.other_body && r.body.is_none() {
                continue;
            }
            let d = match r.number {
                RefNumber::Year { year, .. } | RefNumber::ParenYear { year, .. } => {
                    if y.year == year {
                        continue;
                    }
                    Diagnostic::new(
                        Self::ID,
                        y.span.clone(),
                        format!(
                            "{} is dated {} but its number carries the year {year}",
                            label(r),
                            y.year
                        ),
                    )
                    .with_label(r.span.clone(), format!("numbered in {year}"))
                    .with_help("check the year and the number against the official text")
                }
                RefNumber::Session { session, .. } => {
                    let years = session_years(cfg, r);
                    if years.is_empty() || years.iter().any(|(_, ys)| ys.contains(&y.year)) {
                        continue;
                    }
                    let why = if years.len() == 1 {
                        let (id, ys) = &years[0];
                        format!(
                            "session {session} of the {} met in {}",
                            cfg.body_name(id),
                            years_text(ys)
                        )
                    } else {
                        // The bodies whose session it could be by the document's own years
                        // (a session the table places after the latest year the document
                        // mentions is no candidate worth naming: « 2150 »), or all of them.
                        let latest = doc.references(ctx.config).latest_year;
                        let plausible: Vec<&(String, std::ops::RangeInclusive<i32>)> = years
                            .iter()
                            .filter(|(_, ys)| latest.is_none_or(|l| *ys.start() <= l + 1))
                            .collect();
                        let named = if plausible.is_empty() {
                            years.iter().collect()
                        } else {
                            plausible
                        };
                        let list: Vec<String> = named
                            .iter()
                            .map(|(id, ys)| format!("{} {}", cfg.body_name(id), years_text(ys)))
                            .collect();
                        format!("session {session} met in: {}", list.join("; "))
                    };
                    Diagnostic::new(
                        Self::ID,
                        y.span.clone(),
                        format!("{} cannot date from {}: {why}", label(r), y.year),
                    )
                    .with_label(r.span.clone(), format!("session {session}"))
                    .with_help("check the year and the number against the official text")
                }
            };
            out.push(d);
        }
    }
}
