use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, HeadingKind, LineKind};
use crate::extract::terms::{fold, AcronymUse};
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// An acronym (ONUDC, TIC, ASEAN…) used before the text spells it out as « Office des
    /// Nations Unies contre la drogue et le crime (ONUDC) », or spelled out with its acronym in
    /// parentheses a second time.
    ///
    /// Only the body of the report counts: the summary before the first numbered paragraph or
    /// section, headings and footnotes are separate units and are neither checked nor counted,
    /// and each annex starts afresh. An acronym that is never spelled out is not reported (it
    /// may be spelled out in the parent document). Universally known acronyms (ONU, UN,
    /// INTERPOL…) are exempt.
    ///
    /// ## Why it matters
    /// The editorial rule is to spell out an acronym once, at its first use; a reader meeting
    /// « ONUDC » before its expansion has to look ahead, and a second expansion is redundant.
    ///
    /// ## Example
    /// ```text
    /// 2. L'ONUDC a organisé…                                    <- used before it is spelled out
    /// 3. … l'Office des Nations Unies contre la drogue et le crime (ONUDC) …
    /// ```
    ///
    /// ## Configuration
    /// Known expansions and exempt acronyms are data in `rules/terminology-*.toml`:
    /// ```toml
    /// [terminology]
    /// known_acronyms = ["ONU", "UN", "INTERPOL"]
    ///
    /// [[terminology.acronym]]
    /// short = "ONUDC"
    /// long = "Office des Nations Unies contre la drogue et le crime"
    /// lang = "fr"
    /// ```
    /// An acronym in parentheses counts as spelled out when one of the words before it starts
    /// with its first letter, or when its known expansion precedes it.
    pub struct Acronym = "terminology/acronym", Severity::Warning;
}

impl Rule for Acronym {
    crate::rule_meta!();

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let terms = &ctx.config.terminology;
        let known = &terms.known_acronyms;
        let body_start = doc
            .paragraphs
            .first()
            .map(|p| p.span.start)
            .into_iter()
            .chain(
                doc.headings
                    .iter()
                    .find(|h| h.kind == HeadingKind::Section)
                    .map(|h| h.span.start),
            )
            .min();
        let Some(body_start) = body_start else {
            return;
        };
        // Annexes restart the count.
        let annexes: Vec<usize> = doc
            .headings
            .iter()
            .filter(|h| {
                let heading = doc.slice(&h.span);
                heading.trim_start_matches(['#', ' ']).starts_with("Annex")
            })
            .map(|h| h.span.start)
            .collect();
        let region = |o: usize| annexes.partition_point(|&a| a <= o);
        let in_body = |o: usize| {
            o >= body_start
                && doc.lines.get(doc.line_index(o)).map(|l| l.kind) == Some(LineKind::Body)
        };
        // The uses of each acronym in each region, in text order, grouped as they come: the
        // acronyms come in text order, so the regions do too. A report spells a few dozen
        // acronyms for a thousand uses or more: each use's spelling is found among the distinct
        // ones (the previous use's first: the same acronym often comes again), whose being known
        // is decided once, instead of a known list and an ordered map of (region, spelling)
        // searched at every use; the groups are put in that map's order at the end.
        // Each distinct spelling: whether it is known, and its group in the current region.
        let mut spellings: Vec<(&str, bool, Option<usize>)> = Vec::new();
        let mut last = 0;
        let mut current_region = 0;
        // (region, spelling, uses with whether each is a definition).
        let mut groups: Vec<(usize, usize, Uses)> = Vec::new();
        for a in &doc.terms(ctx.config).acronyms {
            // Found in the prose, and all capitals: no blanked byte inside, so the prose's
            // slice is the text's.
            let token = &doc.prose[a.span.clone()];
            let id = if spellings.get(last).is_some_and(|s| s.0 == token) {
                last
            } else if let Some(id) = spellings.iter().position(|s| s.0 == token) {
                id
            } else {
                spellings.push((token, known.iter().any(|k| k == token), None));
                spellings.len() - 1
            };
            last = id;
            if spellings[id].1 || !in_body(a.span.start) {
                continue;
            }
            let definition = a.definition && is_spelled_out(doc, a, token, ctx);
            let here = region(a.span.start);
            if here != current_region {
                current_region = here;
                for s in &mut spellings {
                    s.2 = None;
                }
            }
            let group = *spellings[id].2.get_or_insert_with(|| {
                groups.push((here, id, Vec::new()));
                groups.len() - 1
            });
            groups[group].2.push((a, definition));
        }
        groups.sort_unstable_by(|a, b| (a.0, spellings[a.1].0).cmp(&(b.0, spellings[b.1].0)));
        for (_, id, uses) in groups {
            let token = spellings[id].0;
            let mut defs = uses.iter().filter(|(_, d)| *d).map(|(a, _)| a.span.clone());
            let Some(first_def) = defs.next() else {
                continue;
            };
            let expansion = terms
                .acronyms
                .iter()
                .find(|k| k.short == token && k.lang.accepts(doc.lang))
                .map(|k| k.long.clone());
            if let Some((early, _)) = uses
                .iter()
                .find(|(a, d)| !*d && a.span.start < first_def.start)
            {
                let spelled = expansion
                    .as_ref()
                    .map(|l| format!(" « {l} ({token}) »"))
                    .unwrap_or_default();
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        early.span.clone(),
                        format!("« {token} » is used before it is spelled out"),
                    )
                    .with_label(first_def.clone(), "spelled out only here")
                    .with_help(format!(
                        "spell it out{spelled} at its first use and use « {token} » alone afterwards"
                    )),
                );
            }
            for again in defs {
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        again.clone(),
                        format!("« {token} » is spelled out a second time"),
                    )
                    .with_label(first_def.clone(), "first spelled out here")
                    .with_help(format!(
                        "write « {token} » alone; the expansion belongs to its first use only"
                    )),
                );
            }
        }
    }
}

/// The uses of an acronym, in text order, each with whether it spells the acronym out.
type Uses<'a> = Vec<(&'a AcronymUse, bool)>;

/// Whether a parenthesised acronym follows its expansion: its known expansion precedes it, or
/// one of the twelve words before it starts with its first letter; and no number follows the
/// parenthesis (« Règlement (UE) 2016/679 » cites, it does not define).
fn is_spelled_out(doc: &Document, a: &AcronymUse, token: &str, ctx: &Context) -> bool {
    let after = doc.prose[a.span.end..].trim_start_matches([' ', '»', ')', '\u{a0}']);
    if after.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let from = doc.prose[..a.span.start]
        .char_indices()
        .rev()
        .nth(200)
        .map_or(0, |(i, _)| i);
    let before = &doc.prose[from..a.span.start];
    let folded = fold(before);
    let known = ctx
        .config
        .terminology
        .acronyms
        .iter()
        .filter(|k| k.short == token && k.lang.accepts(doc.lang))
        .any(|k| folded.contains(&fold(&k.long)));
    if known {
        return true;
    }
    let first = token.chars().next().unwrap_or('?').to_lowercase().next();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(12)
        .any(|w| w.chars().next() == first)
}
