//! Files → rayon → per-file rules → cross-file rules → sorted diagnostics.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, FilePath, Severity};
use crate::document::{self, Document};
use crate::rules::{self, Context, CorpusEntry, Rule};
use crate::source::{self, InputProblem};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A rule that is on, with its effective settings.
pub struct ActiveRule {
    pub rule: &'static dyn Rule,
    pub severity: Severity,
    pub params: toml::Table,
}

/// The rules to run, resolved from a configuration.
pub struct Engine {
    pub config: Arc<Config>,
    pub rules: Vec<ActiveRule>,
    /// The order one thread runs `rules` in (indices), chosen for the peak memory of a large
    /// file: first the rules reading the dates and terms extractions, whose builds hold the
    /// most passing memory (folded text, windows of tokens) and run best while little else is
    /// held, the memory they free being reused by what follows; then the rules reading the
    /// word tokens ([`Rule::reads_word_tokens`]); the tokens, about half the text's size, are
    /// dropped after the last of them; then the other typography rules (the apostrophe
    /// rule's 54 000 findings on the bench file take the memory the tokens leave: 1-2 MB less
    /// at the peak than before them or at the end); then the others.
    /// `UNLINT_TIMINGS=memory` shows the resident memory after each rule (docs/performance.md,
    /// round 10). The output does not depend on the order: findings are sorted.
    sequential_order: Vec<usize>,
    /// How many of `sequential_order`'s first rules run before the tokens are dropped.
    token_readers: usize,
    /// How many run before the scans the typography rules share are dropped too.
    typography_rules: usize,
}

/// One input file after checking.
pub struct FileResult {
    pub path: Arc<str>,
    /// The text, when it could be read as UTF-8 (for rendering and fixing).
    pub text: Option<Arc<String>>,
    pub problem: Option<InputProblem>,
    pub diagnostics: Vec<Diagnostic>,
    /// The text's lines as the parser split them (at every newline), kept from its document
    /// for the report's positions: empty when not known (no text, a text of 4 GiB or more, a
    /// result the engine did not make).
    pub lines: Vec<crate::document::Line>,
}

impl FileResult {
    /// The text, when it could be read as UTF-8.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref().map(String::as_str)
    }
}

/// Everything a run found.
pub struct RunResult {
    /// Files in path order.
    pub files: Vec<FileResult>,
}

impl RunResult {
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter())
    }
    /// Whether some file could not be read (exit code 2).
    pub fn had_io_error(&self) -> bool {
        self.files
            .iter()
            .any(|f| f.problem.as_ref().is_some_and(InputProblem::is_io_error))
    }
}

/// The shared extractions of a document (cached on it), with the rule groups that read them.
type Extraction = (
    &'static str,
    &'static [&'static str],
    fn(&Document, &Config),
);
/// Indices in [`EXTRACTIONS`].
const WORDS: usize = 0;
const DATES: usize = 1;
const TERMS: usize = 2;
const EXTRACTIONS: [Extraction; 4] = [
    ("extract/words", &["typography/"], |d, _| {
        d.words();
    }),
    ("extract/dates", &["dates/"], |d, c| {
        d.dates(c);
    }),
    ("extract/terms", &["terminology/", "custom/"], |d, c| {
        d.terms(c);
    }),
    ("extract/references", &["references/"], |d, c| {
        d.references(c);
    }),
];

/// Rule selection from the command line (`--select`, `--ignore`), applied on top of the config.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    /// Only these rules or groups (`numbering`, `numbering/paragraph`); empty means all enabled.
    pub select: Vec<String>,
    /// Never these rules or groups.
    pub ignore: Vec<String>,
}

fn matches_selector(id: &str, sel: &str) -> bool {
    id == sel || id.strip_prefix(sel).is_some_and(|r| r.starts_with('/')) || sel == "all"
}

impl Selection {
    /// Checks that each selector names a rule or group.
    pub fn validate(&self, known: &[&'static dyn Rule]) -> Result<(), String> {
        for s in self.select.iter().chain(&self.ignore) {
            if !known.iter().any(|r| matches_selector(r.id(), s)) {
                return Err(format!(
                    "unknown rule id or group `{s}` (`unlint rules` lists them)"
                ));
            }
        }
        Ok(())
    }
    fn allows(&self, id: &str, enabled: bool) -> bool {
        if self.ignore.iter().any(|s| matches_selector(id, s)) {
            return false;
        }
        if self.select.is_empty() {
            enabled
        } else {
            self.select.iter().any(|s| matches_selector(id, s))
        }
    }
}

/// Every rule known to this configuration: built-in and custom.
pub fn all_rules(config: &Config) -> Vec<&'static dyn Rule> {
    let mut all = rules::builtin();
    all.extend(rules::custom::from_config(config));
    all.sort_by_key(|r| r.id());
    all
}

impl Engine {
    pub fn new(config: Config, selection: &Selection) -> Engine {
        let config = Arc::new(config);
        let rules = all_rules(&config)
            .into_iter()
            .filter_map(|rule| {
                let s = config.setting(rule);
                selection
                    .allows(rule.id(), s.enabled)
                    .then_some(ActiveRule {
                        rule,
                        severity: s.severity,
                        params: s.params,
                    })
            })
            .collect::<Vec<ActiveRule>>();
        let reads = |a: &ActiveRule, extraction: usize| {
            let (_, groups, _) = &EXTRACTIONS[extraction];
            groups.iter().any(|g| a.rule.id().starts_with(g))
        };
        let stage = |a: &ActiveRule| {
            if reads(a, DATES) || reads(a, TERMS) {
                0
            } else if a.rule.reads_word_tokens() {
                1
            } else if reads(a, WORDS) {
                2
            } else {
                3
            }
        };
        let mut sequential_order: Vec<usize> = (0..rules.len()).collect();
        sequential_order.sort_by_key(|&i| stage(&rules[i]));
        let run_before = |last_stage| {
            sequential_order
                .iter()
                .take_while(|&&i| stage(&rules[i]) <= last_stage)
                .count()
        };
        let (token_readers, typography_rules) = (run_before(1), run_before(2));
        Engine {
            config,
            rules,
            sequential_order,
            token_readers,
            typography_rules,
        }
    }

    fn severity_of(&self, id: &str) -> Option<Severity> {
        self.rules
            .iter()
            .find(|r| r.rule.id() == id)
            .map(|r| r.severity)
    }

    /// Checks one text (already decoded) as if it were the file `path`. The document's word
    /// tokens and the scans shared by the typography rules are dropped once the rules reading
    /// them are done (a rule asking again would rebuild them).
    pub fn check_text(&self, path: &Arc<str>, doc: &mut Document) -> Vec<Diagnostic> {
        let (mut out, rule_ends) = self.check_timed(path, doc, &mut None);
        let mut finish = Finisher::new(path);
        let mut start = 0;
        for &(end, severity) in &rule_ends {
            for d in &mut out[start..end] {
                finish.finish(severity, d);
            }
            start = end;
        }
        out
    }

    /// [`Engine::check_text`], recording the time of each shared extraction and each rule in
    /// `timings` when it is `Some` (`UNLINT_TIMINGS=1`). The extractions are then run up front,
    /// so that their cost is not charged to the first rule that asks for them; with
    /// `UNLINT_TIMINGS=memory` they are left to the rules, in the order of a normal run, whose
    /// memory is what that mode shows.
    ///
    /// The findings are not finished yet (configured severity, path): that is done by
    /// [`Finisher`] in the next pass over them, with the [`RuleEnds`] returned here (the sort's
    /// key pass in a run), not in a pass of its own after each rule, which read every finding
    /// again when it had often left the cache (the rules with many findings run long).
    fn check_timed(
        &self,
        path: &Arc<str>,
        doc: &mut Document,
        timings: &mut Option<Timings>,
    ) -> (Vec<Diagnostic>, RuleEnds) {
        if let Some(t) = timings.as_mut().filter(|t| !t.memory) {
            for (stage, _, extract) in EXTRACTIONS {
                t.time(stage, || extract(doc, &self.config));
            }
        }
        let run_one = |active: &ActiveRule, doc: &Document, out: &mut Vec<Diagnostic>| {
            let ctx = Context {
                config: &self.config,
                params: &active.params,
                path,
            };
            active.rule.check(doc, &ctx, out);
        };
        let mut out = Vec::new();
        let mut rule_ends = Vec::with_capacity(self.rules.len());
        if timings.is_some() || rayon::current_num_threads() == 1 {
            // Room for one finding per 128 bytes of text, reserved once: the bench file has
            // one per 140. Grown by doubling as the rules appended, the vector was moved four
            // times on its 2 MB prefix (realloc's mremap, smaller ones copied), and the next pass
            // over the findings read every one at a new address (2.3 M estimated cycles there).
            // Pages of the reservation that no finding reaches are never touched (a large
            // allocation is mapped on demand).
            out.reserve(doc.prose.len() / 128);
            for (n, &i) in self.sequential_order.iter().enumerate() {
                let active = &self.rules[i];
                match timings {
                    Some(t) => t.time(active.rule.id(), || run_one(active, doc, &mut out)),
                    None => run_one(active, doc, &mut out),
                }
                rule_ends.push((out.len(), active.severity));
                if n + 1 == self.token_readers {
                    doc.release_word_tokens();
                }
                if n + 1 == self.typography_rules {
                    doc.release_token_caches();
                }
            }
        } else {
            let doc = &*doc;
            // The shared extractions first, as parallel tasks of their own: left to the rules,
            // the first rule needing one builds it while the others needing it wait, and the
            // split of the rules between threads then decides how much runs at once. Each is
            // started only when a rule of the group that reads it is on.
            let needs = |group: &&str| self.rules.iter().any(|a| a.rule.id().starts_with(group));
            rayon::scope(|s| {
                for (_, groups, extract) in EXTRACTIONS {
                    if groups.iter().any(needs) {
                        s.spawn(move |_| extract(doc, &self.config));
                    }
                }
            });
            // The rules of one file run as separate tasks, so a single large file uses every
            // core too. A shared extraction is built once: a rule that needs it while another
            // builds it waits on its `OnceLock`. Results are joined in rule order, as in the
            // sequential loop, and sorted by the caller anyway.
            let per_rule: Vec<Vec<Diagnostic>> = self
                .rules
                .par_iter()
                .with_max_len(1)
                .map(|active| {
                    let mut out = Vec::new();
                    run_one(active, doc, &mut out);
                    out
                })
                .collect();
            // Moved, not `concat`ed: `concat` clones every finding (and its strings) while the
            // originals are still alive, twice the findings' memory at the peak.
            out.reserve_exact(per_rule.iter().map(Vec::len).sum());
            for (mut found, active) in per_rule.into_iter().zip(&self.rules) {
                out.append(&mut found);
                rule_ends.push((out.len(), active.severity));
            }
        }
        doc.release_token_caches();
        (out, rule_ends)
    }

    fn finish(&self, diags: &mut [Diagnostic], active: &ActiveRule, default_path: &Arc<str>) {
        let mut finish = Finisher::new(default_path);
        for d in diags {
            finish.finish(active.severity, d);
        }
    }

    /// Reads, parses and checks every file (in parallel), then runs the cross-file rules.
    pub fn run(&self, paths: &[PathBuf]) -> RunResult {
        self.run_with_progress(paths, &|| {})
    }

    /// [`Engine::run`], calling `tick` once each file is parsed and checked (progress bars).
    pub fn run_with_progress(&self, paths: &[PathBuf], tick: &(dyn Fn() + Sync)) -> RunResult {
        let parsed: Vec<(FileResult, Option<Document>)> = paths
            .par_iter()
            .map(|p| {
                let path: Arc<str> = Arc::from(p.display().to_string());
                let _tick = Tick(tick);
                let mut timings = Timings::from_env();
                let decoded = Timings::timed(&mut timings, "read", || {
                    crate::memory::read_file(p)
                        .map_err(|e| InputProblem::Unreadable(e.to_string()))
                        .and_then(source::decode)
                });
                match decoded {
                    Ok(text) => {
                        let mut doc =
                            Timings::timed(&mut timings, "parse", || document::parse(text));
                        // Every document is kept for the cross-file rules, which never read
                        // word tokens: `check_timed` has dropped them, and the next document
                        // reuses their memory instead of faulting in more.
                        let (mut diagnostics, rule_ends) =
                            self.check_timed(&path, &mut doc, &mut timings);
                        // Sorted now, while the findings are in cache and on every thread;
                        // sorted again at the end only if more are added. Finished while the
                        // sort reads each finding for its key.
                        let mut finish = Finisher::new(&path);
                        sort_finishing(&mut diagnostics, &rule_ends, |severity, d| {
                            finish.finish(severity, d)
                        });
                        if let Some(t) = timings {
                            t.print(&path);
                        }
                        (
                            FileResult {
                                path,
                                // Given back once the cross-file rules are done with the
                                // document (its one copy of the text is its prose view now).
                                text: None,
                                problem: None,
                                diagnostics,
                                lines: Vec::new(),
                            },
                            Some(doc),
                        )
                    }
                    Err(problem) => {
                        let mut diagnostics = Vec::new();
                        if let Some(sev) = self.severity_of(problem.rule()) {
                            let mut d = Diagnostic::new(problem.rule(), 0..0, problem.message())
                                .with_help(problem.help());
                            d.severity = sev;
                            d.path = (&path).into();
                            diagnostics.push(d);
                        }
                        (
                            FileResult {
                                path,
                                text: None,
                                problem: Some(problem),
                                diagnostics,
                                lines: Vec::new(),
                            },
                            None,
                        )
                    }
                }
            })
            .collect();
        let (mut files, docs): (Vec<FileResult>, Vec<Option<Document>>) =
            parsed.into_iter().unzip();

        let corpus_start = std::time::Instant::now();
        // Cross-file rules see every parsed document, in path order.
        let entries: Vec<CorpusEntry> = files
            .iter()
            .zip(&docs)
            .filter_map(|(f, d)| d.as_ref().map(|doc| CorpusEntry { path: &f.path, doc }))
            .collect();
        let mut corpus_diags = Vec::new();
        if !entries.is_empty() {
            for active in &self.rules {
                let ctx = Context {
                    config: &self.config,
                    params: &active.params,
                    path: entries[0].path,
                };
                let before = corpus_diags.len();
                active.rule.check_corpus(&entries, &ctx, &mut corpus_diags);
                self.finish(&mut corpus_diags[before..], active, entries[0].path);
            }
        }
        drop(entries);
        // Each cross-file finding goes to the first file of its path: a map, not a search of
        // the files per finding (a run can check thousands of files).
        let mut file_of_path: HashMap<Arc<str>, usize> = HashMap::with_capacity(files.len());
        for (i, f) in files.iter().enumerate() {
            file_of_path.entry(f.path.clone()).or_insert(i);
        }
        // Each file's findings were sorted when its rules were done; a file that gets more
        // (cross-file findings, unused suppressions) is sorted again.
        let mut unsorted = vec![false; files.len()];
        for d in corpus_diags {
            if let Some(&i) = file_of_path.get(&*d.path) {
                files[i].diagnostics.push(d);
                unsorted[i] = true;
            }
        }
        for ((f, doc), unsorted) in files.iter_mut().zip(docs).zip(unsorted) {
            let mut added = false;
            if let Some(mut doc) = doc {
                // The line table is the document's to give: it outlives the document by the
                // report only (a report's positions then read none of the lines between
                // findings), and was held until now anyway.
                f.lines = std::mem::take(&mut doc.lines);
                let text = doc.into_text();
                added = crate::suppress::apply(&text, &f.path, &mut f.diagnostics, &self.rules);
                // `Arc::new` moves the `String` in; `Arc<str>` would copy the text once more.
                f.text = Some(Arc::new(text));
            }
            if unsorted || added {
                sort_diagnostics(&mut f.diagnostics);
            }
        }
        if std::env::var_os("UNLINT_TIMINGS").is_some() {
            print_stage(
                "cross-file rules, suppressions, sorting",
                corpus_start.elapsed(),
            );
        }
        RunResult { files }
    }
}

/// Wall time per stage of one file, printed to stderr when `UNLINT_TIMINGS` is set: a
/// profiling aid (docs/performance.md), never part of the output a test or a tool reads.
///
/// `UNLINT_TIMINGS=memory` lists the stages in the order they ran instead, each with the
/// process's resident memory and its peak so far once the stage is done (Linux, from
/// `/proc/self/status`): where the peak of a run is reached, and by what. A heap profiler
/// counts reserved capacity that is never touched, and misses memory freed but kept by the
/// allocator; this is what the kernel charges.
struct Timings {
    stages: Vec<(&'static str, std::time::Duration, Option<Resident>)>,
    memory: bool,
}

impl Timings {
    fn from_env() -> Option<Timings> {
        std::env::var_os("UNLINT_TIMINGS").map(|v| Timings {
            stages: Vec::new(),
            memory: v == "memory",
        })
    }
    fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let value = f();
        let resident = self.memory.then(Resident::now).flatten();
        self.stages.push((stage, start.elapsed(), resident));
        value
    }
    fn timed<T>(timings: &mut Option<Timings>, stage: &'static str, f: impl FnOnce() -> T) -> T {
        match timings {
            Some(t) => t.time(stage, f),
            None => f(),
        }
    }
    /// One block per file, slowest stage first (in memory mode: in the order run), written at
    /// once so files do not interleave.
    fn print(mut self, path: &str) {
        use std::fmt::Write;
        if !self.memory {
            self.stages.sort_by_key(|s| std::cmp::Reverse(s.1));
        }
        let total: std::time::Duration = self.stages.iter().map(|s| s.1).sum();
        let mut block = format!("timings {path}: {:.1} ms\n", total.as_secs_f64() * 1e3);
        for (stage, d, resident) in &self.stages {
            match resident {
                Some(r) => {
                    let _ = writeln!(block, "{:>10.2} ms  {r}  {stage}", d.as_secs_f64() * 1e3);
                }
                None if !d.is_zero() => {
                    let _ = writeln!(block, "{:>10.2} ms  {stage}", d.as_secs_f64() * 1e3);
                }
                None => {}
            }
        }
        eprint!("{block}");
    }
}

/// The process's resident memory and its peak (`VmRSS`, `VmHWM`), in KiB.
#[derive(Clone, Copy)]
struct Resident {
    now: u64,
    peak: u64,
}

impl Resident {
    fn now() -> Option<Resident> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let field = |name: &str| -> Option<u64> {
            let line = status.lines().find(|l| l.starts_with(name))?;
            line[name.len()..]
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()
        };
        Some(Resident {
            now: field("VmRSS:")?,
            peak: field("VmHWM:")?,
        })
    }
}

impl std::fmt::Display for Resident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = |kib: u64| kib as f64 / 1024.0;
        write!(
            f,
            "rss {:>7.1} MiB  peak {:>7.1} MiB",
            mb(self.now),
            mb(self.peak)
        )
    }
}

/// One line of `UNLINT_TIMINGS` output for a stage of the whole run.
pub fn print_stage(stage: &str, d: std::time::Duration) {
    let memory = std::env::var_os("UNLINT_TIMINGS").is_some_and(|v| v == "memory");
    match memory.then(Resident::now).flatten() {
        Some(r) => eprintln!(
            "timings run: {:>10.2} ms  {r}  {stage}",
            d.as_secs_f64() * 1e3
        ),
        None => eprintln!("timings run: {:>10.2} ms  {stage}", d.as_secs_f64() * 1e3),
    }
}

/// Calls the progress callback when a file's work is done (whichever way it ends).
struct Tick<'a>(&'a (dyn Fn() + Sync));

impl Drop for Tick<'_> {
    fn drop(&mut self) {
        (self.0)()
    }
}

/// Where each rule's findings end among a file's findings (in the order they were gathered),
/// with the rule's configured severity.
type RuleEnds = Vec<(usize, Severity)>;

/// Sets what the engine sets on a finding once its rule is done: the rule's configured severity
/// (unless the rule chose one) and the file's path (unless the rule named another file).
struct Finisher<'a> {
    default_path: &'a Arc<str>,
    /// One shared path for the findings of this file, made if one needs it.
    path: Option<FilePath>,
}

impl<'a> Finisher<'a> {
    fn new(default_path: &'a Arc<str>) -> Self {
        Finisher {
            default_path,
            path: None,
        }
    }

    /// Finishes a finding of a rule configured at `severity`.
    #[inline]
    fn finish(&mut self, severity: Severity, d: &mut Diagnostic) {
        if !d.severity_set {
            d.severity = severity;
        }
        if d.path.is_empty() {
            let default_path = self.default_path;
            d.path = self.path.get_or_insert_with(|| default_path.into()).clone();
        }
    }
}

/// Position order, then rule id, then message: stable whatever the thread count.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    // The severity is not read: nothing is finished.
    let all = [(diags.len(), Severity::Info)];
    sort_finishing(diags, &all, |_, _| {});
}

/// [`sort_diagnostics`], giving each finding to `finish` with its rule's severity while its key
/// is read: the findings end at each `rule_ends` index in turn (the last is their number).
fn sort_finishing(
    diags: &mut Vec<Diagnostic>,
    rule_ends: &[(usize, Severity)],
    mut finish: impl FnMut(Severity, &mut Diagnostic),
) {
    // The order is `sort_by` on (start, end, rule, message), stable, then `dedup_by` on (rule,
    // span, message). It is computed on one 8-byte key per finding, (start, index), read in one
    // forward pass: the comparator of an index sort read two random ~128-byte diagnostics per
    // comparison. Keys holding the index are all distinct, so any sort of them is the stable
    // sort; rules mostly report in text order, so the keys are a few long sorted runs, which
    // the run-detecting stable sort merges. Findings rarely share a start (20 of 11 649 on the
    // bench file's first 2 MB), so the rest of the order, (end, rule, message), is read from
    // the findings only within a run of equal starts: a key of (start, end, rule rank, index)
    // took three times the bytes to merge, and a rank lookup per finding.
    let mut keys: Vec<u64> = Vec::with_capacity(diags.len());
    let mut start = 0;
    for &(end, severity) in rule_ends {
        for (i, d) in (start..end).zip(&mut diags[start..end]) {
            finish(severity, d);
            keys.push(sort_key(d.span.start, i));
        }
        start = end;
    }
    keys.sort();
    let index = |k: &u64| (k & INDEX_MASK) as usize;
    // Ties on the key's start: order by (start, end, rule, message), then index (the slice is
    // in index order, and `sort_by` is stable), and leave out each finding whose rule, span and
    // message repeat the one before it, as `dedup_by` would (it keeps the first of equal
    // neighbours).
    let mut order: Vec<u32> = Vec::with_capacity(keys.len());
    for run in keys.chunk_by_mut(|a, b| a >> START_SHIFT == b >> START_SHIFT) {
        if let [one] = run {
            order.push(index(one) as u32);
            continue;
        }
        let position = |k: &u64| {
            let d = &diags[index(k)];
            (d.span.start, d.span.end, d.rule, &d.message)
        };
        run.sort_by(|a, b| position(a).cmp(&position(b)));
        order.push(index(&run[0]) as u32);
        for pair in run.windows(2) {
            if position(&pair[0]) != position(&pair[1]) {
                order.push(index(&pair[1]) as u32);
            }
        }
    }
    drop(keys);
    permute(diags, &order);
}

/// The sort key of the finding at `index` starting at `start`: the start in the high 32 bits
/// (a start past them, in a text of 4 GiB or more, as their largest value: such findings tie
/// and are ordered by their whole position), the index in the low ones.
#[inline(always)]
fn sort_key(start: usize, index: usize) -> u64 {
    debug_assert!(index as u64 <= INDEX_MASK);
    (start.min(u32::MAX as usize) as u64) << START_SHIFT | index as u64
}

/// Where a sort key's start begins; the finding's index is below.
const START_SHIFT: u32 = 32;

/// The low bits of a sort key: the finding's index.
const INDEX_MASK: u64 = (1 << START_SHIFT) - 1;

/// Puts `old[order[k]]` at position `k` for each `k` of `order` (distinct indices), in place,
/// and drops the findings `order` leaves out.
///
/// Position `k` is filled in order, by a swap with wherever its finding is now: its original
/// place, or the place a swap moved it to (`place`, with `original` its inverse). Each step
/// touches position `k` (in order) and a finding of one of the few sorted runs the findings
/// came in (each read in order), so memory is walked in a few streams. Following the
/// permutation's cycles instead moves each finding once too, but to a random place: on the
/// 145 000 findings of the 20 MB bench file (18 MB) that was a cache miss per finding and
/// several times slower.
fn permute(diags: &mut Vec<Diagnostic>, order: &[u32]) {
    let n = diags.len() as u32;
    let mut place: Vec<u32> = (0..n).collect();
    let mut original: Vec<u32> = (0..n).collect();
    for (k, &i) in order.iter().enumerate() {
        let p = place[i as usize] as usize;
        if p != k {
            diags.swap(k, p);
            // The finding that was at `k` is now at `p`; `k` is final and never looked up.
            let moved = original[k];
            original[p] = moved;
            place[moved as usize] = p as u32;
        }
    }
    diags.truncate(order.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule says it reads the word tokens exactly when its check builds them: the engine
    /// drops the tokens after the last rule that says so, and a rule that did not say so
    /// would have them rebuilt (a whole second token pass).
    #[test]
    fn the_rules_reading_word_tokens_say_so() {
        let config = Config::embedded().unwrap();
        let path: Arc<str> = Arc::from("seed.txt");
        let params = toml::Table::new();
        let ctx = Context {
            config: &config,
            params: &params,
            path: &path,
        };
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        let mut texts: Vec<String> = std::fs::read_dir(seeds)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        texts.sort();
        let mut readers = Vec::new();
        for rule in all_rules(&config) {
            let built = texts.iter().any(|text| {
                let doc = document::parse(text.clone());
                rule.check(&doc, &ctx, &mut Vec::new());
                doc.cache.words.get().is_some()
            });
            assert_eq!(built, rule.reads_word_tokens(), "{}", rule.id());
            if built {
                readers.push(rule.id());
            }
        }
        assert_eq!(
            readers,
            [
                "typography/accents",
                "typography/ocr",
                "typography/repeated-word",
                "typography/spacing"
            ]
        );
    }

    #[test]
    fn sorting_by_index_gives_the_order_of_a_stable_sort() {
        // Many ties on position and rule, and duplicates that differ only in their help text
        // (dedup keeps the first): the result must be exactly the stable sort's.
        // "b/y" twice, at different addresses: equal ids must rank as one.
        let b_y_again: &'static str = String::from("b/y").leak();
        let rules = ["c/z", "b/y", "a/x", b_y_again];
        let mut diags = Vec::new();
        let mut seed = 12345u32;
        for i in 0..3000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let start = (seed >> 8) as usize % 40;
            // Some past the key's 32 bits of start (on a 64-bit target): they share its
            // largest value and are told apart by their whole position.
            let start = if i % 7 == 0 {
                (u32::MAX as usize - 1).saturating_add(start % 4)
            } else {
                start
            };
            let d = Diagnostic::new(
                rules[(seed >> 20) as usize % 4],
                start..start + (seed >> 4) as usize % 3,
                format!("m{}", (seed >> 12) % 4),
            )
            .with_help(format!("h{i}"));
            diags.push(d);
        }
        let mut expected = diags.clone();
        expected.sort_by(|a, b| {
            (a.span.start, a.span.end, a.rule, &a.message).cmp(&(
                b.span.start,
                b.span.end,
                b.rule,
                &b.message,
            ))
        });
        expected.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
        sort_diagnostics(&mut diags);
        assert_eq!(diags, expected);
    }
}
