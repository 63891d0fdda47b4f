//! Running the pair rules: parse both sides, align them once, run every active rule's
//! `check_pair`, and merge the findings into an ordinary [`RunResult`] so the usual reports and
//! exit codes apply.

use super::pairs::Pair;
use super::terms::TermIndex;
use crate::diagnostic::Diagnostic;
use crate::document::{self, Document};
use crate::engine::{sort_diagnostics, Engine, FileResult, RunResult};
use crate::rules::PairContext;
use crate::source::{self, InputProblem};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What every pair of a run shares, built once.
pub struct Shared {
    pub terms: TermIndex,
}

impl Shared {
    pub fn new(config: &crate::config::Config) -> Shared {
        Shared {
            terms: TermIndex::new(&config.translation),
        }
    }
}

fn read(path: &Path) -> Result<Document, InputProblem> {
    std::fs::read(path)
        .map_err(|e| InputProblem::Unreadable(e.to_string()))
        .and_then(source::decode)
        .map(document::parse)
}

/// Checks one pair with the engine's active rules. Diagnostics point at the draft.
pub fn check_pair(
    engine: &Engine,
    shared: &Shared,
    original_path: &Arc<str>,
    draft_path: &Arc<str>,
    original: &Document,
    draft: &Document,
) -> Vec<Diagnostic> {
    let alignment = super::align(original, draft);
    let mut out = Vec::new();
    for active in &engine.rules {
        let ctx = PairContext {
            config: &engine.config,
            params: &active.params,
            original_path,
            draft_path,
            alignment: &alignment,
            shared,
        };
        let before = out.len();
        active.rule.check_pair(original, draft, &ctx, &mut out);
        for d in &mut out[before..] {
            if !d.severity_set {
                d.severity = active.severity;
            }
            if d.path.is_empty() {
                d.path = draft_path.into();
            }
        }
    }
    out
}

/// Runs the per-file rules on `files` (as [`Engine::run`] does), then the pair rules on every
/// pair. Both files of a pair appear in the result (the original, for the labels that point
/// into it, even when it was not among `files`).
pub fn run_pairs(engine: &Engine, pairs: &[Pair], files: &[PathBuf]) -> RunResult {
    let mut run = engine.run(files);
    let shared = Shared::new(&engine.config);
    type Parsed = Result<(Document, Document), (PathBuf, InputProblem)>;
    let results: Vec<(Pair, Parsed)> = pairs
        .par_iter()
        .map(|p| {
            let o = read(&p.original).map_err(|e| (p.original.clone(), e));
            let d = read(&p.draft).map_err(|e| (p.draft.clone(), e));
            (p.clone(), o.and_then(|o| d.map(|d| (o, d))))
        })
        .collect();
    let known = |run: &RunResult, path: &str| run.files.iter().position(|f| &*f.path == path);
    for (pair, res) in results {
        let op: Arc<str> = Arc::from(pair.original.display().to_string());
        let dp: Arc<str> = Arc::from(pair.draft.display().to_string());
        match res {
            Ok((o, d)) => {
                let mut diags = check_pair(engine, &shared, &op, &dp, &o, &d);
                crate::suppress::apply(d.text(), &dp, &mut diags, &engine.rules);
                for (path, doc) in [(&op, &o), (&dp, &d)] {
                    if known(&run, path).is_none() {
                        run.files.push(FileResult {
                            path: path.clone(),
                            text: Some(Arc::new(doc.text().to_string())),
                            problem: None,
                            diagnostics: Vec::new(),
                            lines: Vec::new(),
                        });
                    }
                }
                let i = known(&run, &dp).expect("draft is in the run");
                run.files[i].diagnostics.extend(diags);
                sort_diagnostics(&mut run.files[i].diagnostics);
            }
            Err((path, problem)) => {
                let path: Arc<str> = Arc::from(path.display().to_string());
                if known(&run, &path).is_none() {
                    let mut d = Diagnostic::new(problem.rule(), 0..0, problem.message())
                        .with_help(problem.help());
                    d.path = (&path).into();
                    d.severity = crate::rules::by_id(problem.rule())
                        .map_or(crate::diagnostic::Severity::Error, |r| r.default_severity());
                    run.files.push(FileResult {
                        path,
                        text: None,
                        problem: Some(problem),
                        diagnostics: vec![d],
                        lines: Vec::new(),
                    });
                }
            }
        }
    }
    run.files.sort_by(|a, b| a.path.cmp(&b.path));
    run
}
