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
    if s.is_ascii() {
        // What the general path below makes of ASCII, by byte: its white space is `\t`..`\r`
        // and the space, and an ASCII letter upper-cases to one ASCII letter.
        return s
            .bytes()
            .filter(|&b| !is_ascii_space(b))
            .map(|b| char::from(b.to_ascii_uppercase()))
            .collect();
    }
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The ASCII bytes `char::is_whitespace` accepts.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Whether `squash(s) == key`: an ASCII `s` (every symbol the extractor finds) is compared
/// byte by byte as it is squashed, without making the string (this runs for every citation
/// on the page of every undocs.org line).
fn squashes_to(s: &str, key: &str) -> bool {
    if !s.is_ascii() {
        return squash(s) == key;
    }
    let mut key = key.bytes();
    s.bytes()
        .filter(|&b| !is_ascii_space(b))
        .all(|b| key.next() == Some(b.to_ascii_uppercase()))
        && key.next().is_none()
}

/// `squash(&n.text())` into `buf` (cleared first) without formatting a string: digits, `/`
/// and parentheses squash to themselves, and the space of `2341 (2017)` goes.
fn squashed_number(n: &RefNumber, buf: &mut String) {
    buf.clear();
    match *n {
        RefNumber::Session { session, n } => {
            crate::text::push_decimal(buf, i64::from(session));
            buf.push('/');
            crate::text::push_decimal(buf, i64::from(n));
        }
        RefNumber::Year { year, n } => {
            crate::text::push_decimal(buf, i64::from(year));
            buf.push('/');
            crate::text::push_decimal(buf, i64::from(n));
        }
        RefNumber::ParenYear { n, year } => {
            crate::text::push_decimal(buf, i64::from(n));
            buf.push('(');
            crate::text::push_decimal(buf, i64::from(year));
            buf.push(')');
        }
    }
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
        // A cited number squashed, reused from citation to citation.
        let mut number_key = String::new();
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
                if let Some(good) = near_series.near(series) {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            u.span.clone(),
                            format!(
                                "undocs.org link to `{}` has an unknown series `{series}`",
                                u.symbol
                            ),
                        )
                        .with_help(format!("did you mean `{}`?", corrected(good, parts))),
                    );
                    continue;
                }
            }
            let key = squash(&u.symbol);
            let cited = within(&refs.symbols, |s| s.span.start, &window)
                .iter()
                .filter(|s| window.contains(&s.span.start))
                .any(|s| squashes_to(&s.text, &key))
                || within(&refs.resolutions, |r| r.span.start, &window)
                    .iter()
                    .filter(|r| window.contains(&r.span.start))
                    .any(|r| {
                        squashed_number(&r.number, &mut number_key);
                        ends_with_slash_then(&key, &number_key)
                    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The squash of the general path, the oracle of the ASCII one.
    fn squash_by_char(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect()
    }

    #[test]
    fn ascii_squash_is_the_general_one() {
        let mut texts: Vec<String> = (0u8..128)
            .map(|b| format!("a/{}/Res 6{}5", b as char, b as char))
            .collect();
        texts.extend(
            [
                "A/RES/65/230",
                "e/cn.15/ 2018 /L.1",
                " \t\u{b}\u{c}\r\n",
                "",
                "S/RES/2341 (2017)",
            ]
            .map(String::from),
        );
        for t in &texts {
            assert_eq!(squash(t), squash_by_char(t), "{t:?}");
            for key in &texts {
                assert_eq!(
                    squashes_to(t, key),
                    squash_by_char(t) == *key,
                    "{t:?} {key:?}"
                );
            }
            assert!(squashes_to(t, &squash_by_char(t)));
        }
        assert!(!squashes_to("A/RES/65/23", "A/RES/65/230"));
        assert!(!squashes_to("A/RES/65/230", "A/RES/65/23"));
    }

    #[test]
    fn squashed_number_is_the_squashed_text() {
        let numbers = [
            RefNumber::Session {
                session: 65,
                n: 230,
            },
            RefNumber::Session {
                session: 0,
                n: 4_294_967_295,
            },
            RefNumber::Year { year: 2016, n: 241 },
            RefNumber::Year { year: -7, n: 1 },
            RefNumber::ParenYear {
                n: 2341,
                year: 2017,
            },
            RefNumber::ParenYear {
                n: 10,
                year: -2_147_483_648,
            },
        ];
        let mut buf = String::from("stale");
        for n in &numbers {
            squashed_number(n, &mut buf);
            assert_eq!(buf, squash_by_char(&n.text()));
        }
    }
}
