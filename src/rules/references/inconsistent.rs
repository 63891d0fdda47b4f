use super::{label, majority, session_years, stated_body, NumberTexts};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Span;
use crate::extract::references::{edit_distance_capped, RefKind, ResolutionRef};
use crate::rules::{Context, CorpusEntry, Rule};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

declare_rule! {
    /// ## What it checks
    /// The same resolution or decision cited with different particulars in different places:
    /// its date (« résolution 65/230 du 21 décembre 2010 » here, « du 20 décembre 2010 »
    /// there), its year (« adoptée en 2009 » / « en 2010 »), or its quoted title (« intitulée
    /// « … » »). Citations are compared within one document and across the files checked
    /// together. The particular most citations share is taken as right; the others are
    /// reported with a label on it. Also, a citation followed by the text's own symbol that
    /// names another text: « résolution 65/230 (A/RES/65/231) ».
    ///
    /// ## Why it matters
    /// Two different dates or titles for one text mean at least one citation is wrong, and a
    /// reader cannot tell which.
    ///
    /// ## Example
    /// ```text
    /// résolution 65/230 du 21 décembre 2010 …
    /// résolution 65/230 du 20 décembre 2010 …
    ///                      ^^^^^^^^^^^^^^^^ cited as 21 December 2010 elsewhere
    /// ```
    ///
    /// ## Configuration
    /// No options. Titles are compared letter by letter after folding case, accents and
    /// punctuation; a difference of up to three letters is taken as OCR noise.
    pub struct Inconsistent = "references/inconsistent", Severity::Warning;
}

struct Cite<'a> {
    path: &'a Arc<str>,
    doc: &'a crate::document::Document,
    r: &'a ResolutionRef,
}

/// Reports the citations whose value differs from the majority, labelling a majority citation.
fn report<T: PartialEq + Clone>(
    cites: &[(&Cite, T, Span)],
    what: &str,
    show: impl Fn(&T) -> String,
    same: impl Fn(&T, &T) -> bool,
    skip: impl Fn(&Cite, &T) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    if cites.len() < 2 {
        return;
    }
    // cluster values with `same`
    let mut reps: Vec<T> = Vec::new();
    let keys: Vec<usize> = cites
        .iter()
        .map(|(_, v, _)| match reps.iter().position(|r| same(r, v)) {
            Some(i) => i,
            None => {
                reps.push(v.clone());
                reps.len() - 1
            }
        })
        .collect();
    if reps.len() < 2 {
        return;
    }
    let (mi, _) = majority(&keys);
    let major = keys[mi];
    let (mc, mv, msp) = &cites[mi];
    for (k, (c, v, sp)) in keys.iter().zip(cites) {
        if *k == major || skip(c, v) {
            continue;
        }
        let mut d = Diagnostic::new(
            Inconsistent::ID,
            sp.clone(),
            format!(
                "{} is cited with {what} {} here but {} elsewhere",
                label(c.r),
                show(v),
                show(mv)
            ),
        )
        .with_help(format!(
            "check the {what} against the official text and cite it the same way throughout"
        ));
        let msg = format!("cited with {what} {} here", show(mv));
        if mc.path == c.path {
            d = d.with_label(msp.clone(), msg);
        } else {
            d = d.with_label_in(mc.path.clone(), msp.clone(), msg);
        }
        d.path = c.path.into();
        out.push(d);
    }
}

/// The symbol of the text a reference names, as the number implies it (`A/RES/65/230`,
/// `E/RES/2016/241`, `S/RES/2341`), for the series that carry it.
fn implied_symbol(r: &ResolutionRef, series: &str) -> Option<String> {
    use crate::extract::references::RefNumber;
    let prefix = match (r.kind, series) {
        (RefKind::Resolution, "A/RES" | "S/RES" | "E/RES")
        | (RefKind::Decision, "A/DEC" | "E/DEC") => series,
        _ => return None,
    };
    Some(match (&r.number, prefix) {
        (RefNumber::Session { session, n }, "A/RES" | "A/DEC") => format!("{prefix}/{session}/{n}"),
        (RefNumber::Year { year, n }, "E/RES" | "E/DEC") => format!("{prefix}/{year}/{n}"),
        (RefNumber::ParenYear { n, .. }, "S/RES") => format!("{prefix}/{n}"),
        _ => return None,
    })
}

impl Rule for Inconsistent {
    crate::rule_meta!();

    /// « résolution 65/230 (A/RES/65/231) »: the symbol in brackets right after a citation
    /// must be the cited text's own.
    fn check(&self, doc: &crate::document::Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let refs = doc.references(ctx.config);
        // Symbols come in text order (the extractor guarantees it): the first one at or after
        // a citation's end is found by binary search (a scan per citation was quadratic).
        for r in &refs.resolutions {
            let after = r.span.end;
            let i = refs.symbols.partition_point(|s| s.span.start < after);
            let found = refs.symbols.get(i).filter(|s| s.span.start <= after + 6);
            let Some(sym) = found else {
                continue;
            };
            let between = &doc.prose[after..sym.span.start];
            if !between.trim().starts_with('(')
                || !between.chars().all(|c| c.is_whitespace() || c == '(')
            {
                continue;
            }
            let Some(implied) = implied_symbol(r, sym.series()) else {
                continue;
            };
            let written: String = sym.text.split_whitespace().collect::<String>();
            let written = written
                .split('(')
                .next()
                .unwrap_or(&written)
                .trim_end_matches('.');
            if !written.eq_ignore_ascii_case(&implied) {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        sym.span.clone(),
                        format!(
                            "{} is given the symbol {written}, which names another text",
                            label(r)
                        ),
                    )
                    .with_label(r.span.clone(), format!("its own symbol is {implied}"))
                    .with_help(format!(
                        "make the number and the symbol agree: {implied}, or correct the number"
                    )),
                );
            }
        }
    }

    fn check_corpus(&self, docs: &[CorpusEntry], ctx: &Context, out: &mut Vec<Diagnostic>) {
        let cfg = &ctx.config.references;
        let mut groups: BTreeMap<(RefKind, Rc<str>), Vec<Cite>> = BTreeMap::new();
        let mut texts = NumberTexts::default();
        for e in docs {
            for r in &e.doc.references(ctx.config).resolutions {
                groups
                    .entry((r.kind, texts.get(&r.number)))
                    .or_default()
                    .push(Cite {
                        path: e.path,
                        doc: e.doc,
                        r,
                    });
            }
        }
        for cites in groups.values() {
            // citations attributed to a body other than the usual one are another rule's concern
            let bodies: Vec<Option<&str>> = cites
                .iter()
                .map(|c| stated_body(c.r).map(|b| b.id.as_str()))
                .collect();
            let named: Vec<&str> = bodies.iter().flatten().copied().collect();
            let usual = (!named.is_empty()).then(|| named[majority(&named).0]);
            let cites: Vec<&Cite> = cites
                .iter()
                .zip(&bodies)
                .filter(|(_, b)| b.is_none() || **b == usual)
                .map(|(c, _)| c)
                .collect();
            let dates: Vec<(&Cite, (i32, u32, u32), Span)> = cites
                .iter()
                .filter_map(|c| {
                    c.r.date
                        .as_ref()
                        .map(|d| (*c, (d.year, d.month, d.day), d.span.clone()))
                })
                .collect();
            report(
                &dates,
                "date",
                |(y, m, d)| {
                    format!(
                        "{d} {} {y}",
                        crate::text::month_name(*m as u8, crate::document::Lang::En)
                    )
                },
                |a, b| a == b,
                |_, _| false,
                out,
            );
            // years: only where no full date was compared, and not when the year is impossible
            // for the number (references/resolution-year reports that)
            let years: Vec<(&Cite, i32, Span)> = cites
                .iter()
                .filter_map(|c| c.r.year.as_ref().map(|y| (*c, y.year, y.span.clone())))
                .collect();
            if dates.len() < 2 {
                report(
                    &years,
                    "year",
                    |y| y.to_string(),
                    |a, b| a == b,
                    |c, y| {
                        let ys = session_years(cfg, c.r);
                        !ys.is_empty() && !ys.iter().any(|(_, r)| r.contains(y))
                    },
                    out,
                );
            }
            // titles are compared within one language: a French and an English report cite
            // the same title in different words
            for lang in [crate::document::Lang::Fr, crate::document::Lang::En] {
                let titles: Vec<(&Cite, (String, String), Span)> = cites
                    .iter()
                    .filter(|c| c.doc.lang == lang)
                    .filter_map(|c| {
                        c.r.title.as_ref().map(|(t, sp)| {
                            let shown = c
                                .doc
                                .slice(sp)
                                .split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" ");
                            (*c, (t.clone(), shown), sp.clone())
                        })
                    })
                    .collect();
                report(
                    &titles,
                    "title",
                    |t| format!("« {} »", t.1),
                    |a, b| {
                        a.0.starts_with(b.0.as_str())
                            || b.0.starts_with(a.0.as_str())
                            || edit_distance_capped(&a.0, &b.0, 3) <= 3
                    },
                    |_, _| false,
                    out,
                );
            }
        }
    }
}
