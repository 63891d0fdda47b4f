use super::label;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::extract::references::{
    edit_distance_capped, normalize_title, KnownRef, RefNumber, ResolutionRef,
};
use crate::rules::{Context, Rule};
use serde::Deserialize;

declare_rule! {
    /// ## What it checks
    /// Citations checked against a registry of known references that you keep in
    /// `unlint.toml` (`[[references.known]]` with `number` or `symbol`, and `kind`, `body`,
    /// `date`, `title`). A citation whose stated date or year, or quoted title (« intitulée
    /// « … » », "entitled "…""), contradicts its entry is reported. In strict mode, citations
    /// missing from the registry are reported too.
    ///
    /// ## Why it matters
    /// A house registry of the texts a series of reports keeps citing catches a wrong date or
    /// a paraphrased title that no amount of internal consistency would reveal.
    ///
    /// ## Example
    /// ```text
    /// # unlint.toml
    /// [[references.known]]
    /// number = "65/230"
    /// body = "ga"
    /// date = "2010-12-21"
    ///
    /// la résolution 65/230 du 20 décembre 2010
    ///                      ^^^^^^^^^^^^^^^^ the registry dates it 21 December 2010
    /// ```
    ///
    /// ## Configuration
    /// Entries: `[[references.known]]` (`number` such as `65/230`, `2016/241`, `2341 (2017)`,
    /// or `symbol`; `kind` = `resolution` (default) or `decision`; `body` = a body id;
    /// `date` = `YYYY-MM-DD`; `title`). Option `strict` (default `false`): also report, as
    /// `info`, citations and symbols that have no entry.
    /// ```toml
    /// [rules."references/registry"]
    /// strict = true
    /// ```
    pub struct Registry = "references/registry", Severity::Warning;
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Opts {
    #[serde(default)]
    strict: bool,
}

fn entry_for<'a>(
    known: &'a [KnownRef],
    r: &ResolutionRef,
    cfg: &crate::extract::references::ReferencesConfig,
) -> Option<&'a KnownRef> {
    known.iter().find(|k| {
        if k.ref_kind() != r.kind {
            return false;
        }
        let by_number = k
            .number
            .as_deref()
            .and_then(RefNumber::parse)
            .is_some_and(|n| n == r.number);
        let by_symbol = k.symbol.as_deref().is_some_and(|s| {
            r.body
                .as_ref()
                .and_then(|b| cfg.body(&b.id))
                .and_then(|b| b.symbol.as_deref())
                .is_some_and(|series| {
                    s.replace(' ', "") == format!("{series}/{}", r.number.text().replace(' ', ""))
                })
        });
        if !(by_number || by_symbol) {
            return false;
        }
        match (&k.body, &r.body) {
            (Some(kb), Some(rb)) => rb.candidates.contains(kb),
            _ => true,
        }
    })
}

impl Rule for Registry {
    crate::rule_meta!();

    fn validate_params(&self, params: &toml::Table) -> Result<(), String> {
        crate::rules::validate_as::<Opts>(params)
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let opts: Opts = ctx.params();
        let cfg = &ctx.config.references;
        let known = &cfg.known;
        if known.is_empty() && !opts.strict {
            return;
        }
        let refs = doc.references(ctx.config);
        for r in &refs.resolutions {
            let Some(k) = entry_for(known, r, cfg) else {
                if opts.strict {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            r.span.clone(),
                            format!("{} is not in the registry", label(r)),
                        )
                        .with_help(
                            "add it to `[[references.known]]` in unlint.toml, or check the number",
                        )
                        .with_severity(Severity::Info),
                    );
                }
                continue;
            };
            if let Some((y, m, d)) = k.ymd() {
                let shown = format!(
                    "{d} {} {y}",
                    crate::text::month_name(m as u8, crate::document::Lang::En)
                );
                if let Some(rd) = &r.date {
                    if (rd.year, rd.month, rd.day) != (y, m, d) {
                        out.push(
                            Diagnostic::new(
                                Self::ID,
                                rd.span.clone(),
                                format!("{} is dated {shown} in the registry", label(r)),
                            )
                            .with_label(r.span.clone(), "cited here")
                            .with_help(format!("write the date of the registry entry: {shown}")),
                        );
                    }
                } else if let Some(sy) = &r.year {
                    if sy.year != y {
                        out.push(
                            Diagnostic::new(
                                Self::ID,
                                sy.span.clone(),
                                format!(
                                    "{} dates from {y} in the registry, not {}",
                                    label(r),
                                    sy.year
                                ),
                            )
                            .with_label(r.span.clone(), "cited here")
                            .with_help(format!("check the year: the registry dates it {shown}")),
                        );
                    }
                }
            }
            if let (Some(kt), Some((t, sp))) = (&k.title, &r.title) {
                let want = normalize_title(kt);
                if !want.starts_with(t.as_str()) && edit_distance_capped(&want, t, 3) > 3 {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            sp.clone(),
                            format!("the title of {} differs from the registry", label(r)),
                        )
                        .with_help(format!("the registry's title is « {kt} »")),
                    );
                }
            }
        }
        if opts.strict {
            for s in &refs.symbols {
                let key = s.text.replace(' ', "");
                let listed = known.iter().any(|k| {
                    k.symbol
                        .as_deref()
                        .is_some_and(|x| x.replace(' ', "") == key)
                });
                if !listed {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            s.span.clone(),
                            format!("document `{}` is not in the registry", s.text),
                        )
                        .with_help(
                            "add it to `[[references.known]]` in unlint.toml, or check the symbol",
                        )
                        .with_severity(Severity::Info),
                    );
                }
            }
        }
    }
}
