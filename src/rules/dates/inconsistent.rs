use super::show_mention;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::extract::dates::DateMention;
use crate::rules::{Context, CorpusEntry, Rule};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it checks
    /// The same event given different dates, within one document or across all the files of a
    /// run: « le Groupe d'experts a tenu sa première réunion … du 17 au 21 janvier 2011 » in one
    /// place and another range for the first meeting elsewhere. Events are keyed by body,
    /// meeting noun and ordinal (« deuxième réunion du Groupe d'experts », « reprise de la
    /// vingt-sixième session de la Commission »); the dates given most often are taken as
    /// right and every other one is reported with a label on a place that has them.
    ///
    /// ## Why it matters
    /// Reports of one series repeat the history of the process in their introductions; a
    /// mistyped range in one of them contradicts the official record.
    ///
    /// ## Example
    /// ```text
    /// 2. … a tenu sa première réunion à Vienne, du 17 au 21 janvier 2011 …
    /// 9. … le rapport de sa première réunion, tenue du 17 au 22 janvier 2011 …   <- 21 or 22?
    /// ```
    ///
    /// ## Configuration
    /// No options. The bodies recognised are `bodies` under `[dates]` (`rules/dates.toml`).
    /// Only periods (« du … au … », « les … et … ») are compared. Across files, two documents
    /// are compared only when they agree on the dates of at least one other event (so two
    /// unrelated expert groups are never confused); when the two versions are equally
    /// frequent the finding is an `info`.
    pub struct InconsistentDates = "dates/inconsistent", Severity::Warning;
}

/// (file, mention) of an event occurrence.
type Occ = (usize, usize, usize); // (file, event index, mention index)
/// An occurrence and the day range (first, last) it gives.
type DatedOcc = (Occ, (i64, i64));

fn value(m: &DateMention) -> Option<(i64, i64)> {
    Some((m.start.day_number()?, m.last().day_number()?))
}

impl Rule for InconsistentDates {
    crate::rule_meta!();

    fn check_corpus(&self, docs: &[CorpusEntry], ctx: &Context, out: &mut Vec<Diagnostic>) {
        let all: Vec<&crate::extract::dates::Dates> =
            docs.iter().map(|e| e.doc.dates(ctx.config)).collect();
        // key → occurrences, and for each file, key → the day ranges the file gives it.
        let mut by_key: BTreeMap<&str, Vec<DatedOcc>> = BTreeMap::new();
        let mut by_file: Vec<BTreeMap<&str, Vec<(i64, i64)>>> = vec![BTreeMap::new(); all.len()];
        for (f, d) in all.iter().enumerate() {
            for (k, e) in d.events.iter().enumerate() {
                if let Some(v) = value(&d.mentions[e.mention]) {
                    by_key
                        .entry(e.key.as_str())
                        .or_default()
                        .push(((f, k, e.mention), v));
                    by_file[f].entry(e.key.as_str()).or_default().push(v);
                }
            }
        }
        // Whether files `a` and `b` give the same dates to some event other than `key`. Asked
        // of the few events of file `a`, not of every pair of files that agree: an event
        // repeated by every file of a large run made that set quadratic in the files.
        let corroborated = |key: &str, a: usize, b: usize| {
            a != b
                && by_file[a].iter().any(|(k, va)| {
                    *k != key
                        && by_file[b]
                            .get(k)
                            .is_some_and(|vb| va.iter().any(|v| vb.contains(v)))
                })
        };
        for (key, occs) in &by_key {
            let mut counts: BTreeMap<(i64, i64), (usize, usize)> = BTreeMap::new(); // value → (count, first index)
            for (i, (_, v)) in occs.iter().enumerate() {
                let e = counts.entry(*v).or_insert((0, i));
                e.0 += 1;
            }
            if counts.len() < 2 {
                continue;
            }
            let best = counts
                .iter()
                .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
                .map(|(v, c)| (*v, c.0))
                .unwrap();
            let tie = counts.values().filter(|c| c.0 == best.1).count() > 1;
            for ((f, k, m), v) in occs {
                if *v == best.0 {
                    continue;
                }
                // A reference: the same file first, else a corroborated other file.
                let reference = occs
                    .iter()
                    .filter(|(_, w)| *w == best.0)
                    .map(|(o, _)| o)
                    .find(|o| o.0 == *f)
                    .or_else(|| {
                        occs.iter()
                            .filter(|(_, w)| *w == best.0)
                            .map(|(o, _)| o)
                            .find(|o| corroborated(key, *f, o.0))
                    });
                let Some(&(rf, _, rm)) = reference else {
                    continue;
                };
                let doc: &Document = docs[*f].doc;
                let d = all[*f];
                let ev = &d.events[*k];
                let here = &d.mentions[*m];
                let there = &all[rf].mentions[rm];
                let mut diag = Diagnostic::new(
                    Self::ID,
                    here.span.clone(),
                    format!(
                        "the {} is dated {} here but {} elsewhere",
                        ev.label(&doc.prose, &ctx.config.dates),
                        show_mention(here, doc.lang),
                        show_mention(there, docs[rf].doc.lang)
                    ),
                )
                .with_label(ev.span.clone(), "the event");
                let msg = "the same event, dated differently";
                diag = if rf == *f {
                    diag.with_label(there.span.clone(), msg)
                } else {
                    diag.with_label_in(docs[rf].path.clone(), there.span.clone(), msg)
                };
                diag = diag.with_help(if tie {
                    "the two versions are equally frequent: check which one is right"
                } else {
                    "most mentions of this event give the other dates: check this one"
                });
                if tie {
                    diag = diag.with_severity(Severity::Info);
                }
                diag.path = docs[*f].path.into();
                out.push(diag);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::sync::Arc;

    fn run(texts: &[&str]) -> Vec<Diagnostic> {
        let config = Config::embedded().unwrap();
        let docs: Vec<Document> = texts
            .iter()
            .map(|t| crate::document::parse(t.to_string()))
            .collect();
        let paths: Vec<Arc<str>> = (0..texts.len())
            .map(|i| Arc::from(format!("f{i}.txt")))
            .collect();
        let entries: Vec<CorpusEntry> = docs
            .iter()
            .zip(&paths)
            .map(|(doc, path)| CorpusEntry { path, doc })
            .collect();
        let params = toml::Table::new();
        let ctx = Context {
            config: &config,
            params: &params,
            path: &paths[0],
        };
        let mut out = Vec::new();
        InconsistentDates.check_corpus(&entries, &ctx, &mut out);
        out
    }

    const A: &str = "I. Introduction\n\n1. Le Groupe d'experts a tenu sa première réunion du 17 au 21 janvier 2011.\n\n2. Le Groupe d'experts a tenu sa deuxième réunion du 25 au 28 février 2013.\n";
    const B: &str = "I. Introduction\n\n1. Le Groupe d'experts a tenu sa première réunion du 17 au 22 janvier 2011.\n\n2. Le Groupe d'experts a tenu sa deuxième réunion du 25 au 28 février 2013.\n";
    const C: &str = "I. Introduction\n\n1. Le Groupe d'experts a tenu sa première réunion du 3 au 5 mai 2015.\n";

    #[test]
    fn across_files_with_corroboration() {
        let out = run(&[A, A, B]);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(&*out[0].path, "f2.txt");
        assert_eq!(out[0].labels[1].path.as_deref(), Some("f0.txt"));
        assert!(!out[0].severity_set);
    }

    #[test]
    fn two_files_that_agree_on_another_event_are_compared() {
        // A tie between the two versions: an info on the later file's.
        let out = run(&[A, B]);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(&*out[0].path, "f1.txt");
        assert_eq!(out[0].severity, Severity::Info);
    }

    #[test]
    fn agreeing_only_on_the_event_in_question_is_no_corroboration() {
        // D gives the second meeting other dates than A: the two files agree on nothing, so
        // neither is taken as the reference for the other's first meeting.
        const D: &str = "I. Introduction\n\n1. Le Groupe d'experts a tenu sa première réunion du 17 au 22 janvier 2011.\n\n2. Le Groupe d'experts a tenu sa deuxième réunion du 4 au 8 mars 2013.\n";
        assert!(run(&[A, D]).is_empty());
        // Two copies of A agree with each other, and still not with D.
        assert!(run(&[A, A, D]).is_empty());
    }

    #[test]
    fn unrelated_files_are_not_compared() {
        // C shares no other event with A: it may be another expert group.
        assert!(run(&[A, C]).is_empty());
    }
}
