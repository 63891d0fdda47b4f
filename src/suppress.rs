//! Inline suppression comments.
//!
//! A suppression is a marker line, alone on its line, in one of these forms (any file type):
//!
//! ```text
//! <!-- unlint-disable RULE[, RULE…] -->            Markdown / HTML comment
//! <!-- unlint-enable RULE[, RULE…] -->
//! <!-- unlint-disable-next-line RULE[, RULE…] -->
//! unlint-disable RULE                              plain text: the bare marker…
//! # unlint-disable RULE                            …or prefixed by `#`
//! %% unlint-disable RULE                           …or by `%%`
//! ```
//!
//! `RULE` is a rule id (`numbering/paragraph`) or a group (`numbering`); with no rule the
//! marker applies to every rule. Rules are separated by commas or spaces; a justification may
//! follow ` -- ` (`<!-- unlint-disable dates -- quoted from the 2015 report -->`).
//!
//! `unlint-disable` suppresses findings from its line to the matching `unlint-enable` (or the
//! end of the file); `unlint-enable` with no rule ends every open disable.
//! `unlint-disable-next-line` suppresses findings that start on the next non-blank line.
//! A finding is suppressed when its primary location starts inside the region.
//!
//! Marker lines are page furniture for the parser: they are blanked out of the prose and never
//! count as paragraphs or headings. A marker naming an unknown rule, or suppressing nothing, is
//! reported as `unlint/unused-suppression`.

use crate::diagnostic::{Diagnostic, FilePath, Fix};
use crate::document::Span;
use crate::engine::ActiveRule;
use crate::rules::unlint::UnusedSuppression;

/// What a marker line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Disable,
    Enable,
    DisableNextLine,
}

impl Kind {
    fn keyword(self) -> &'static str {
        match self {
            Kind::Disable => "unlint-disable",
            Kind::Enable => "unlint-enable",
            Kind::DisableNextLine => "unlint-disable-next-line",
        }
    }
}

/// A parsed marker: its kind and the rule names with their byte ranges inside the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub kind: Kind,
    /// (name, range in the line); empty means every rule.
    pub rules: Vec<(String, Span)>,
    /// The range of the keyword (`unlint-disable`) in the line.
    pub keyword: Span,
}

/// Whether a line is a suppression marker (used by the parser to keep it out of the prose).
pub fn is_marker(line: &str) -> bool {
    parse_marker(line).is_some()
}

fn is_rule_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '/' | '-' | '_')
}

/// Parses one line (without its terminator) as a suppression marker.
pub fn parse_marker(line: &str) -> Option<Marker> {
    if !line.contains("unlint-") {
        return None;
    }
    let lead = line.len() - line.trim_start().len();
    let mut body = line.trim();
    let mut start = lead;
    // Strip the comment syntax: `<!-- … -->`, `#`, `%%`, or nothing.
    if let Some(inner) = body.strip_prefix("<!--") {
        let inner = inner.strip_suffix("-->")?;
        start += 4;
        body = inner;
    } else if let Some(inner) = body.strip_prefix("%%") {
        start += 2;
        body = inner;
    } else if let Some(inner) = body.strip_prefix('#') {
        start += 1;
        body = inner;
    }
    let l = body.len() - body.trim_start().len();
    start += l;
    let body = body[l..].trim_end();
    // The longest keyword first: `unlint-disable-next-line` starts with `unlint-disable`.
    let kind = [Kind::DisableNextLine, Kind::Disable, Kind::Enable]
        .into_iter()
        .find(|k| {
            body.strip_prefix(k.keyword())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        })?;
    let keyword = start..start + kind.keyword().len();
    let mut rest = &body[kind.keyword().len()..];
    // A justification after ` -- ` is free text.
    if let Some(i) = rest.find(" --") {
        let after = &rest[i + 3..];
        if after.is_empty() || after.starts_with([' ', '\t']) {
            rest = &rest[..i];
        }
    }
    let base = keyword.end;
    let mut rules = Vec::new();
    let mut i = 0;
    for token in rest.split([',', ' ', '\t']) {
        let off = i;
        i += token.len() + 1;
        if token.is_empty() {
            continue;
        }
        if !token.chars().all(is_rule_char) {
            return None; // prose that happens to start with the keyword, not a marker
        }
        rules.push((token.to_string(), base + off..base + off + token.len()));
    }
    Some(Marker {
        kind,
        rules,
        keyword,
    })
}

fn matches_selector(id: &str, sel: &str) -> bool {
    id == sel || id.strip_prefix(sel).is_some_and(|r| r.starts_with('/'))
}

/// One marker found in a document, with its place.
struct Found {
    marker: Marker,
    /// The whole line, without its terminator.
    line: Span,
    /// The line with its terminator (for a fix that removes it).
    full_line: Span,
}

/// A region where a selector (or every rule, `None`) is off.
struct Region {
    selector: Option<String>,
    range: Span,
    /// Index in `found` and index of the rule name in the marker (`None` for a bare marker).
    origin: (usize, Option<usize>),
    used: bool,
}

fn markers(text: &str) -> Vec<Found> {
    if memchr::memmem::find(text.as_bytes(), b"unlint-").is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
        let next = (end + 1).min(text.len());
        let content_end = if end > start && text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        if let Some(mut marker) = parse_marker(&text[start..content_end]) {
            for (_, r) in &mut marker.rules {
                *r = r.start + start..r.end + start;
            }
            marker.keyword = marker.keyword.start + start..marker.keyword.end + start;
            out.push(Found {
                marker,
                line: start..content_end,
                full_line: start..next,
            });
        }
        start = next.max(end + 1);
    }
    out
}

/// The span of the first non-blank line after `offset` that is not a marker (to its end).
fn next_line(text: &str, from: usize) -> Span {
    let mut start = from;
    while start < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
        let line = &text[start..end];
        if !line.trim().is_empty() && !is_marker(line.trim_end_matches('\r')) {
            return start..end + 1;
        }
        start = end + 1;
    }
    text.len()..text.len()
}

/// Removes diagnostics that the document suppresses, and reports unused suppressions
/// (when `unlint/unused-suppression` is among the active rules). Returns whether it added
/// findings (at the end of `diags`): removing some leaves the others in their order.
pub fn apply(text: &str, path: &str, diags: &mut Vec<Diagnostic>, rules: &[ActiveRule]) -> bool {
    let found = markers(text);
    if found.is_empty() {
        return false;
    }
    let known: Vec<&'static str> = crate::rules::builtin()
        .into_iter()
        .map(|r| r.id())
        .chain(rules.iter().map(|r| r.rule.id()))
        .collect();
    let is_known = |sel: &str| known.iter().any(|id| matches_selector(id, sel));
    let is_active = |sel: &str| rules.iter().any(|r| matches_selector(r.rule.id(), sel));

    // Build the regions, in document order.
    let mut regions: Vec<Region> = Vec::new();
    let mut unmatched_enable: Vec<(usize, Option<usize>)> = Vec::new();
    for (fi, f) in found.iter().enumerate() {
        let names: Vec<Option<(usize, &str)>> = if f.marker.rules.is_empty() {
            vec![None]
        } else {
            f.marker
                .rules
                .iter()
                .enumerate()
                .map(|(i, (n, _))| Some((i, n.as_str())))
                .collect()
        };
        match f.marker.kind {
            Kind::Disable | Kind::DisableNextLine => {
                let range = if f.marker.kind == Kind::Disable {
                    f.line.start..text.len()
                } else {
                    next_line(text, f.full_line.end)
                };
                for n in names {
                    regions.push(Region {
                        selector: n.map(|(_, s)| s.to_string()),
                        range: range.clone(),
                        origin: (fi, n.map(|(i, _)| i)),
                        used: false,
                    });
                }
            }
            Kind::Enable => {
                for n in names {
                    let mut closed = false;
                    for r in regions.iter_mut() {
                        let open = r.range.end == text.len()
                            && found[r.origin.0].marker.kind == Kind::Disable;
                        let hit = match (n, &r.selector) {
                            (None, _) => true,
                            (Some((_, s)), Some(sel)) => matches_selector(sel, s),
                            (Some(_), None) => false,
                        };
                        if open && hit {
                            r.range.end = f.line.start;
                            closed = true;
                        }
                    }
                    if !closed {
                        unmatched_enable.push((fi, n.map(|(i, _)| i)));
                    }
                }
            }
        }
    }

    // Drop suppressed diagnostics.
    diags.retain(|d| {
        let mut keep = true;
        for r in regions.iter_mut() {
            let applies = r
                .selector
                .as_deref()
                .is_none_or(|s| matches_selector(d.rule, s));
            if applies && r.range.contains(&d.span.start) {
                r.used = true;
                keep = false;
            }
        }
        keep
    });

    let Some(active) = rules.iter().find(|r| r.rule.id() == UnusedSuppression::ID) else {
        return false;
    };
    let path = FilePath::from(path);
    let mut out = Vec::new();
    let mut report = |span: Span, message: String, help: String, fix: Option<Fix>| {
        let mut d = Diagnostic::new(UnusedSuppression::ID, span, message).with_help(help);
        d.severity = active.severity;
        d.path = path.clone();
        d.fix = fix;
        out.push(d);
    };
    // Unknown rule names (in any marker).
    for f in &found {
        for (name, span) in &f.marker.rules {
            if !is_known(name) {
                let groups = known
                    .iter()
                    .filter_map(|id| id.split_once('/').map(|(g, _)| g));
                let near = known
                    .iter()
                    .copied()
                    .chain(groups)
                    .map(|id| (crate::text::edit_distance(name, id), id))
                    .filter(|(d, _)| *d <= 3)
                    .min();
                let (help, fix) = match near {
                    Some((_, id)) => (
                        format!("did you mean `{id}`?"),
                        Some(Fix::unsafe_(span.clone(), id)),
                    ),
                    None => (
                        "`unlint rules` lists every rule id; use a rule id or a group".to_string(),
                        None,
                    ),
                };
                report(
                    span.clone(),
                    format!("suppression names unknown rule `{name}`"),
                    help,
                    fix,
                );
            }
        }
    }
    // Disables that suppressed nothing (only for rules that ran: a rule left out by the
    // configuration or `--select` cannot prove its suppression useless).
    let mut unused_names: Vec<(usize, Option<usize>)> = Vec::new();
    for r in &regions {
        if r.used {
            continue;
        }
        match &r.selector {
            Some(s) if !is_known(s) || !is_active(s) => continue,
            Some(s) if s == UnusedSuppression::ID => continue,
            _ => unused_names.push(r.origin),
        }
    }
    let mut fixed_lines: Vec<usize> = Vec::new();
    for (fi, ri) in unused_names {
        let f = &found[fi];
        let kw = f.marker.kind.keyword();
        let (span, what) = match ri {
            Some(i) => {
                let (n, s) = &f.marker.rules[i];
                (s.clone(), format!("`{kw} {n}`"))
            }
            None => (f.marker.keyword.clone(), format!("`{kw}`")),
        };
        // Removing the whole marker line is safe when nothing on it is used: marker lines are
        // invisible to readers, so the text's meaning is unchanged.
        let all_unused = f.marker.rules.is_empty()
            || regions.iter().filter(|r| r.origin.0 == fi).all(|r| !r.used);
        // One fix per marker line, even when several of its rules are unused.
        let fix = (all_unused && !fixed_lines.contains(&fi)).then(|| {
            fixed_lines.push(fi);
            Fix::safe(f.full_line.clone(), "")
        });
        report(
            span,
            format!("suppression {what} suppresses nothing"),
            "remove it: no finding of this rule starts in the region it covers".to_string(),
            fix,
        );
    }
    for (fi, ri) in unmatched_enable {
        let f = &found[fi];
        let span = match ri {
            Some(i) => f.marker.rules[i].1.clone(),
            None => f.marker.keyword.clone(),
        };
        if ri.is_some_and(|i| !is_known(&f.marker.rules[i].0)) {
            continue; // already reported as unknown
        }
        report(
            span,
            "`unlint-enable` matches no open `unlint-disable`".to_string(),
            "remove it, or add the `unlint-disable` it was meant to end".to_string(),
            None,
        );
    }
    let added = !out.is_empty();
    diags.extend(out);
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Option<(Kind, Vec<String>)> {
        parse_marker(s).map(|m| (m.kind, m.rules.into_iter().map(|(n, _)| n).collect()))
    }

    type Case = (&'static str, Option<(Kind, Vec<&'static str>)>);

    #[test]
    fn markers() {
        let dis = Kind::Disable;
        let cases: &[Case] = &[
            ("<!-- unlint-disable -->", Some((dis, vec![]))),
            (
                "<!-- unlint-disable numbering/paragraph, dates -->",
                Some((dis, vec!["numbering/paragraph", "dates"])),
            ),
            (
                "  <!--unlint-disable-next-line numbering-->",
                Some((Kind::DisableNextLine, vec!["numbering"])),
            ),
            (
                "<!-- unlint-enable a/b -->",
                Some((Kind::Enable, vec!["a/b"])),
            ),
            ("unlint-disable numbering", Some((dis, vec!["numbering"]))),
            ("# unlint-disable numbering", Some((dis, vec!["numbering"]))),
            ("%% unlint-enable", Some((Kind::Enable, vec![]))),
            (
                "<!-- unlint-disable dates -- quoted verbatim -->",
                Some((dis, vec!["dates"])),
            ),
            ("unlint-disabled numbering", None),
            ("unlint-disable is a command that does things.", None),
            ("Le texte unlint-disable numbering", None),
            ("<!-- unlint-disable numbering", None),
            ("plain text", None),
        ];
        for (input, want) in cases {
            let want = want
                .as_ref()
                .map(|(k, v)| (*k, v.iter().map(|s| s.to_string()).collect::<Vec<_>>()));
            assert_eq!(parse(input), want, "{input}");
        }
    }

    #[test]
    fn rule_spans_point_at_names() {
        let line = "<!-- unlint-disable numbering/paragraph, dates -->";
        let m = parse_marker(line).unwrap();
        assert_eq!(&line[m.keyword.clone()], "unlint-disable");
        for (n, s) in &m.rules {
            assert_eq!(&line[s.clone()], n);
        }
    }
}
