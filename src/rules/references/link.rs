use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::extract::references::{parse_symbol, undocs_symbol, RefNumber};
use crate::rules::references::symbol::{corrected, NearSeries};
use crate::rules::{Context, Rule};
use serde::Deserialize;

declare_rule! {
    /// ## What it checks
    /// Links that disagree with the text they sit on:
    /// - a Markdown link whose visible symbol or number and target disagree
    ///   (`[65/230](https://undocs.org/A/RES/65/231)`);
    /// - an undocs.org line (page furniture under the text, as in PDF exports) whose symbol is
    ///   cited nowhere in the text of its page, or whose series is a near miss of a known one
    ///   (`http://undocs.org/fr/A/REZ/74/174`: a dead link even beside « résolution 74/174 »);
    /// - with `empty-targets = true`, a link with an empty target (`[65/230](#)`), as `info`.
    ///
    /// ## Why it matters
    /// Readers follow the link, not the text: a link to the wrong document silently sends them
    /// elsewhere, and an undocs.org line that matches no citation usually betrays a citation
    /// edited without its link (or the reverse).
    ///
    /// ## Example
    /// ```text
    /// … dans sa résolution 70/175 …
    /// http://undocs.org/fr/A/RES/70/174
    /// ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ no citation of A/RES/70/174 on this page
    /// ```
    ///
    /// ## Configuration
    /// `empty-targets` (default `false`): also report links whose target is empty or `#`.
    /// ```toml
    /// [rules."references/link"]
    /// empty-targets = true
    /// ```
    pub struct Link = "references/link", Severity::Warning;
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Opts {
    #[serde(default)]
    empty_targets: bool,
}

/// Symbols and numbers compared without spaces, case-insensitively.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether a target symbol names the visible text (a symbol or a resolution number).
/// The part of `items` (sorted by their start) that starts inside `window`.
fn within<'a, T>(
    items: &'a [T],
    start: impl Fn(&T) -> usize,
    window: &std::ops::Range<usize>,
) -> &'a [T] {
    let lo = items.partition_point(|x| start(x) < window.start);
    let hi = items.partition_point(|x| start(x) < window.end);
    &items[lo..hi.max(lo)]
}

fn agrees(visible: &str, target: &str) -> Option<bool> {
    let v = squash(visible);
    let t = squash(target);
    if parse_symbol(&v).is_some() {
        return Some(v == t);
    }
    let n = RefNumber::parse(visible)?;
    let key = squash(&n.text());
    Some(ends_with_slash_then(&t, &key))
}

/// Whether `s` ends with `/` followed by `tail`: what `s.ends_with(&format!("/{tail}"))` says,
/// without making the string (the check runs for every citation near every link).
fn ends_with_slash_then(s: &str, tail: &str) -> bool {
    s.strip_suffix(tail).is_some_and(|head| head.ends_with('/'))
}

impl Rule for Link {
    crate::rule_meta!();

    fn validate_params(&self, params: &toml::Table) -> Result<(), String> {
        crate::rules::validate_as::<Opts>(params)
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let opts: Opts = ctx.params();
        for l in &doc.links {
            let (visible, target) = (doc.slice(&l.text_span), doc.slice(&l.target_span));
            let (visible, target) = (visible.trim(), target.trim());
            if target.is_empty() || target == "#" {
                if opts.empty_targets {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            l.span.clone(),
                            format!("link `{visible}` has an empty target"),
                        )
                        .with_help("link to the document (https://undocs.org/…) or remove the link")
                        .with_severity(Severity::Info),
                    );
                }
                continue;
            }
            let sym = undocs_symbol(target).or_else(|| {
                let t = target.trim_start_matches('#');
                parse_symbol(t).map(|_| t.to_string())
            });
            let Some(sym) = sym else { continue };
            if agrees(visible, &sym) == Some(false) {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        l.span.clone(),
                        format!("link text `{visible}` does not match its target `{sym}`"),
                    )
                    .with_label(l.target_span.clone(), format!("links to {sym}"))
                    .with_help(
                        "make the visible symbol and the link target name the same document",
                    ),
                );
            }
        }
        // undocs.org lines: the symbol must be cited on the page they close
        let refs = doc.references(ctx.config);
        let mut near_series = NearSeries::new(&ctx.config.references.series);
        // The extractor lists citations in text order, and links are found in text order: each
        // page's citations are found by binary search (a scan of the whole document per undocs
        // line was quadratic).
        let mut window_start = 0usize;
        let mut prev_end: Option<usize> = None;
        for u in &refs.undocs {
            // consecutive undocs lines close the same page
            // A page of text usually lies between: the prose (blanks are white space there)
            // answers first, and the original text is read only if the prose is blank.
            let contiguous = prev_end.is_some_and(|e| {
                doc.prose[e..u.span.start].trim().is_empty()
                    && doc.slice(&(e..u.span.start)).trim().is_empty()
            });
            if !contiguous {
                if let Some(e) = prev_end {
                    window_start = e;
                }
            }
            prev_end = Some(u.span.end);
            let window = window_start..u.span.start;
            // A mistyped series (`A/REZ/74/174`) is a dead link even when the number matches a
            // citation on the page: said first, and alone.
            if let Some((series, parts)) = parse_symbol(&u.symbol) {
                if let Some(good) = near_series.near(&series) {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            u.span.clone(),
                            format!(
                                "undocs.org link to `{}` has an unknown series `{series}`",
                                u.symbol
                            ),
                        )
                        .with_help(format!("did you mean `{}`?", corrected(good, &parts))),
                    );
                    continue;
                }
            }
            let key = squash(&u.symbol);
            let cited = within(&refs.symbols, |s| s.span.start, &window)
                .iter()
                .filter(|s| window.contains(&s.span.start))
                .any(|s| squash(&s.text) == key)
                || within(&refs.resolutions, |r| r.span.start, &window)
                    .iter()
                    .filter(|r| window.contains(&r.span.start))
                    .any(|r| ends_with_slash_then(&key, &squash(&r.number.text())))
                || within(&doc.links, |l| l.span.start, &window)
                    .iter()
                    .filter(|l| window.contains(&l.span.start))
                    .any(|l| agrees(&doc.slice(&l.text_span), &u.symbol) == Some(true));
            if !cited {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        u.span.clone(),
                        format!("undocs.org link to `{}` matches no citation on its page", u.symbol),
                    )
                    .with_help("check the citation in the text above: the link and the text should name the same document"),
                );
            }
        }
    }
}
