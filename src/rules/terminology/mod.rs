//! `terminology/*` rules: preferred forms, drift between forms of one term, acronyms.
//!
//! Preferred forms and drift are computed from the term matcher of [`crate::extract::terms`];
//! custom `substitution` and `consistency` rules call the same functions below with their own
//! sets, so there is one engine for shipped term sets and users' rules.

mod acronym;
mod drift;
mod preferred;

pub use acronym::Acronym;
pub use drift::Drift;
pub use preferred::Preferred;

use super::{CorpusEntry, Rule};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Fix};
use crate::document::{Document, Span};
use crate::extract::terms::{CompiledSet, Role, TermMatch};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The rules of this group.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&Preferred, &Drift, &Acronym]
}

/// The matched text with its internal whitespace collapsed (a phrase may span lines).
pub(crate) fn matched_text(doc: &Document, span: &Span) -> String {
    doc.slice(span)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A variant of a set used where the preferred form is wanted.
pub(crate) struct VariantUse<'a> {
    pub m: &'a TermMatch,
    pub set: &'a CompiledSet,
    /// The matched text, whitespace collapsed.
    pub text: String,
    /// The preferred form inflected like the match.
    pub replacement: String,
}

/// The uses of variants in `doc` for the sets `select` accepts (quoted text and glosses skipped).
pub(crate) fn variant_uses<'a>(
    doc: &'a Document,
    config: &'a Config,
    select: impl Fn(&CompiledSet) -> bool,
    in_scope: impl Fn(usize) -> bool,
) -> Vec<VariantUse<'a>> {
    let sets = &config.terminology.matcher().sets;
    doc.terms(config)
        .matches
        .iter()
        .filter(|m| m.is_use() && in_scope(m.span.start))
        .filter_map(|m| {
            let set = &sets[m.set];
            if !select(set) || set.role(m.member) != Role::Variant {
                return None;
            }
            if m.proper_name {
                return None;
            }
            let text = matched_text(doc, &m.span);
            let replacement = set.replacement_for(m, &text)?;
            Some(VariantUse {
                m,
                set,
                text,
                replacement,
            })
        })
        .collect()
}

impl VariantUse<'_> {
    /// The fix replacing the variant by the preferred form (safe only when the set says so).
    pub fn fix(&self) -> Fix {
        if self.set.safe {
            Fix::safe(self.m.span.clone(), self.replacement.clone())
        } else {
            Fix::unsafe_(self.m.span.clone(), self.replacement.clone())
        }
    }
}

/// Uses of the forms of one set in one document, by member.
#[derive(Debug, Default, Clone)]
pub(crate) struct FormCounts<'a> {
    /// member → the matches, in text order. Borrowed from the document's term matches: the
    /// cross-file check counts the forms of every file of a run.
    pub by_member: BTreeMap<usize, Vec<&'a TermMatch>>,
}

impl FormCounts<'_> {
    fn count(&self, member: usize) -> usize {
        self.by_member.get(&member).map_or(0, Vec::len)
    }
    /// The member most used; ties go to the preferred form, then to the first used.
    fn majority(&self, set: &CompiledSet) -> Option<usize> {
        self.by_member
            .iter()
            .max_by_key(|(member, ms)| {
                (
                    ms.len(),
                    set.preferred == Some(**member),
                    std::cmp::Reverse(ms[0].span.start),
                )
            })
            .map(|(m, _)| *m)
    }
}

/// For each set `select` accepts, the uses of its drift-relevant forms in `doc`: the preferred
/// and accepted forms (variants are `terminology/preferred`'s business).
pub(crate) fn form_counts<'a>(
    doc: &'a Document,
    config: &Config,
    select: impl Fn(&CompiledSet) -> bool,
    in_scope: impl Fn(usize) -> bool,
) -> BTreeMap<usize, FormCounts<'a>> {
    let sets = &config.terminology.matcher().sets;
    let mut uses: Vec<&TermMatch> = doc
        .terms(config)
        .matches
        .iter()
        .filter(|m| {
            let set = &sets[m.set];
            m.is_use()
                && select(set)
                && in_scope(m.span.start)
                && set.role(m.member) != Role::Variant
                && !m.proper_name
        })
        .collect();
    // Grouped by one stable sort (the matches are in text order, and stay so within a
    // member), not a map entry per match.
    uses.sort_by_key(|m| (m.set, m.member));
    let mut out: BTreeMap<usize, FormCounts> = BTreeMap::new();
    for same in uses.chunk_by(|a, b| (a.set, a.member) == (b.set, b.member)) {
        out.entry(same[0].set)
            .or_default()
            .by_member
            .insert(same[0].member, same.to_vec());
    }
    out
}

/// A use of a minority form of a set in one document.
pub(crate) struct DriftUse<'a> {
    pub set: &'a CompiledSet,
    pub m: TermMatch,
    /// The matched text, whitespace collapsed.
    pub text: String,
    pub minority: usize,
    pub minority_count: usize,
    pub majority: usize,
    pub majority_count: usize,
    /// First use of the majority form.
    pub majority_first: Span,
    /// The majority form inflected like this match.
    pub replacement: String,
}

impl DriftUse<'_> {
    pub fn fix(&self) -> Fix {
        if self.set.safe {
            Fix::safe(self.m.span.clone(), self.replacement.clone())
        } else {
            Fix::unsafe_(self.m.span.clone(), self.replacement.clone())
        }
    }

    /// The standard diagnostic (custom rules format their own message). Its texts come from
    /// `texts`, made there once for all the uses of one minority form.
    pub fn diagnostic(&self, rule: &'static str, texts: &mut DriftTexts) -> Diagnostic {
        let key = (
            std::ptr::from_ref(self.set) as usize,
            self.minority,
            self.majority,
            self.minority_count,
            self.majority_count,
        );
        if texts.key != Some(key) {
            let (a, b) = (
                self.set.member(self.minority),
                self.set.member(self.majority),
            );
            texts.key = Some(key);
            texts.message = Arc::from(format!(
                "term drift: « {a} » ({}) beside « {b} » ({}) in this document",
                uses(self.minority_count),
                uses(self.majority_count)
            ));
            texts.label = format!("« {b} » is first used here");
            texts.help = None;
        }
        // The help names the replacement, inflected like each use: made again when it changes.
        let help = match &texts.help {
            Some((made_for, help)) if *made_for == self.replacement => help.clone(),
            _ => {
                let help: Arc<str> = Arc::from(format!(
                    "use one form throughout: « {} » as in the rest of the document{}",
                    self.replacement,
                    note(self.set)
                ));
                texts.help = Some((self.replacement.clone(), help.clone()));
                help
            }
        };
        Diagnostic::new(rule, self.m.span.clone(), texts.message.clone())
            .with_label(self.majority_first.clone(), texts.label.clone())
            .with_help(help)
            .with_fix(self.fix())
            .with_set_severity(self.set)
    }
}

/// The texts of the drift findings of one document, kept from one finding to the next: every
/// use of a minority form says the same (154 findings in six messages on the 2 MB bench
/// prefix, each formatted on its own before), and they come grouped by set and form.
#[derive(Default)]
pub(crate) struct DriftTexts {
    /// (set address, minority, majority, their counts) the message and label were made for.
    key: Option<(usize, usize, usize, usize, usize)>,
    message: Arc<str>,
    label: String,
    /// The replacement the help was made for, and the help.
    help: Option<(String, Arc<str>)>,
}

/// Applies a set's own severity, when it has one.
pub(crate) trait SetSeverity {
    fn with_set_severity(self, set: &CompiledSet) -> Self;
}

impl SetSeverity for Diagnostic {
    fn with_set_severity(self, set: &CompiledSet) -> Self {
        match set.severity {
            Some(s) => self.with_severity(s),
            None => self,
        }
    }
}

pub(crate) fn uses(n: usize) -> String {
    if n == 1 {
        "1 use".into()
    } else {
        format!("{n} uses")
    }
}

pub(crate) fn note(set: &CompiledSet) -> String {
    match (&set.note, &set.source) {
        (Some(n), Some(s)) => format!(" ({n}; source: {s})"),
        (Some(n), None) => format!(" ({n})"),
        (None, Some(s)) => format!(" (source: {s})"),
        (None, None) => String::new(),
    }
}

/// Every use of a minority form in the document, for the sets `select` accepts.
pub(crate) fn drift_uses<'a>(
    doc: &Document,
    config: &'a Config,
    select: impl Fn(&CompiledSet) -> bool,
    in_scope: impl Fn(usize) -> bool,
) -> Vec<DriftUse<'a>> {
    let sets = &config.terminology.matcher().sets;
    let mut out = Vec::new();
    for (si, counts) in form_counts(doc, config, select, in_scope) {
        if counts.by_member.len() < 2 {
            continue;
        }
        let set = &sets[si];
        let Some(major) = counts.majority(set) else {
            continue;
        };
        let majority_first = counts.by_member[&major][0].span.clone();
        for (&member, ms) in &counts.by_member {
            if member == major {
                continue;
            }
            for m in ms {
                let text = matched_text(doc, &m.span);
                out.push(DriftUse {
                    set,
                    replacement: set.form_like(major, m, &text),
                    text,
                    m: (*m).clone(),
                    minority: member,
                    minority_count: ms.len(),
                    majority: major,
                    majority_count: counts.count(major),
                    majority_first: majority_first.clone(),
                });
            }
        }
    }
    out
}

/// Drift across the files of a run: a file that uses one form of a set consistently while the
/// other files mostly use another. One finding per file, at its first use.
pub(crate) fn corpus_drift(
    docs: &[CorpusEntry],
    config: &Config,
    rule: &'static str,
    select: impl Fn(&CompiledSet) -> bool + Copy,
    in_scope: impl Fn(&Document, usize) -> bool + Copy,
) -> Vec<Diagnostic> {
    if docs.len() < 2 {
        return Vec::new();
    }
    let sets = &config.terminology.matcher().sets;
    let per_doc: Vec<BTreeMap<usize, FormCounts>> = docs
        .iter()
        .map(|e| form_counts(e.doc, config, select, |o| in_scope(e.doc, o)))
        .collect();
    let mut totals: BTreeMap<usize, BTreeMap<usize, usize>> = BTreeMap::new();
    for counts in &per_doc {
        for (set, c) in counts {
            for (member, ms) in &c.by_member {
                *totals.entry(*set).or_default().entry(*member).or_default() += ms.len();
            }
        }
    }
    let mut out = Vec::new();
    for (si, total) in totals {
        if total.len() < 2 {
            continue;
        }
        let set = &sets[si];
        let Some((&major, &major_count)) = total
            .iter()
            .max_by_key(|(m, n)| (**n, set.preferred == Some(**m), std::cmp::Reverse(**m)))
        else {
            continue;
        };
        // Where the majority form is first used (the first file that uses it).
        let first_major: Option<(Arc<str>, Span)> =
            docs.iter().zip(&per_doc).find_map(|(e, counts)| {
                counts
                    .get(&si)
                    .and_then(|c| c.by_member.get(&major))
                    .map(|ms| (e.path.clone(), ms[0].span.clone()))
            });
        for (e, counts) in docs.iter().zip(&per_doc) {
            let Some(c) = counts.get(&si) else { continue };
            // Drift inside one file is reported by the per-file check.
            if c.by_member.len() != 1 {
                continue;
            }
            let (&member, ms) = c.by_member.iter().next().unwrap();
            if member == major {
                continue;
            }
            let m = &ms[0];
            let text = matched_text(e.doc, &m.span);
            let replacement = set.form_like(major, m, &text);
            let (a, b) = (set.member(member), set.member(major));
            let mut d = Diagnostic::new(
                rule,
                m.span.clone(),
                format!(
                    "term drift across files: « {a} » ({} in this file) beside « {b} » ({} in the other files)",
                    uses(ms.len()),
                    uses(major_count)
                ),
            )
            .with_help(format!(
                "use one form in every file checked together: « {replacement} »{}",
                note(set)
            ));
            if let Some((path, span)) = &first_major {
                d = d.with_label_in(
                    path.clone(),
                    span.clone(),
                    format!("« {b} » is first used here"),
                );
            }
            d.path = e.path.into();
            out.push(d.with_set_severity(set));
        }
    }
    out
}
