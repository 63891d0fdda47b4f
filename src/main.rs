//! The `unlint` command line: parses arguments and calls the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream, WriteColor};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use unlint::config::{Config, ConfigError};
use unlint::diagnostic::Severity;
use unlint::engine::{self, Engine, Selection};

/// Exit codes (public API): 0 clean, 1 findings at or above --fail-on, 2 usage/config/I-O error.
const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(
    name = "unlint",
    version,
    about = "Editorial linter and consistency checker for UN-style reports (French and English)",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and directories (the default command).
    Check(CheckArgs),
    /// Check a translated draft against its original: `unlint compare ORIGINAL DRAFT`.
    ///
    /// Runs the translation/* rules on the pair and the other rules on the draft
    /// (`--select translation` for the pair rules alone). Diagnostics point at the draft.
    #[command(override_usage = "unlint compare [OPTIONS] ORIGINAL DRAFT")]
    Compare(CheckArgs),
    /// Print the parsed structure of a report: header, sections, paragraphs, lists, footnotes.
    Outline {
        /// The report to outline.
        file: PathBuf,
        /// Print every line with the kind the parser gave it instead of the tree.
        #[arg(long)]
        lines: bool,
    },
    /// List every rule: id, default severity, fixable, summary.
    Rules {
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Print a rule's documentation.
    Explain {
        /// Rule id, e.g. numbering/paragraph.
        rule: String,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Write a commented unlint.toml with every rule at its default.
    Init {
        /// Where to write it.
        #[arg(default_value = "unlint.toml")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Print the effective configuration (defaults merged with your files) and where each
    /// value comes from.
    Config {
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions { shell: clap_complete::Shell },
}

#[derive(Args, Clone)]
struct ConfigArgs {
    /// Configuration file merged over the defaults and any discovered unlint.toml.
    #[arg(long, value_name = "PATH", global = true)]
    config: Option<PathBuf>,
    /// Ignore unlint.toml files found by walking up from the current directory.
    #[arg(long, global = true)]
    isolated: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Args, Clone)]
struct CheckArgs {
    /// Files and directories to check (directories are walked for *.md and *.txt).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    config: ConfigArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// When to colour human output (NO_COLOR is respected with auto).
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value = "warning")]
    fail_on: FailOn,
    /// Only run these rules or groups (comma-separated, e.g. numbering,dates/invalid).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Never run these rules or groups.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Extra glob of files to pick up when walking directories.
    #[arg(long)]
    include: Vec<String>,
    /// Glob of files or directories to skip.
    #[arg(long)]
    exclude: Vec<String>,
    /// Number of threads (default: all cores). Output is the same whatever the number.
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Print diagnostics only, without the summary line.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Apply the safe fixes in place, then report what is left.
    #[arg(long, conflicts_with = "diff")]
    fix: bool,
    /// Print the safe fixes as a unified diff without writing anything (exit 1 if any).
    #[arg(long)]
    diff: bool,
    #[command(flatten)]
    eco: EcosystemArgs,
    #[command(flatten)]
    pairs: PairArgs,
}

/// Statistics and baselines.
#[derive(Args, Clone)]
struct EcosystemArgs {
    /// Print the number of findings per rule instead of the findings (human format).
    #[arg(long)]
    statistics: bool,
    /// Report only findings that are not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record every current finding in this baseline file (then exit 0), for adopting unlint
    /// on an existing corpus.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

/// Translation pairs.
#[derive(Args, Clone)]
struct PairArgs {
    /// Check translated drafts against their originals: give it twice, the originals' pattern
    /// first, then the drafts' (`--pair 'en:*.en.md' --pair 'fr:*.fr.md'`), or two language
    /// codes for the convention name.en.md / name.fr.md (`--pair en --pair fr`).
    #[arg(long, value_name = "LANG[:GLOB]")]
    pair: Vec<String>,
    /// Set by `unlint compare`: the two paths are an original and its draft.
    #[arg(skip)]
    compare: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        None => check(cli.check),
        Some(Command::Check(args)) => check(args),
        Some(Command::Compare(mut args)) => {
            if args.paths.len() != 2 || !args.pairs.pair.is_empty() {
                fail("`unlint compare` takes exactly two files: ORIGINAL DRAFT")
            } else {
                args.pairs.compare = true;
                check(args)
            }
        }
        Some(Command::Outline { file, lines }) => outline(&file, lines),
        Some(Command::Rules { config }) => list_rules(&config),
        Some(Command::Explain { rule, config }) => explain(&rule, &config),
        Some(Command::Init { path, force }) => eco::init(&path, force),
        Some(Command::Config { config }) => eco::show_config(&config),
        Some(Command::Completions { shell }) => eco::completions(shell),
    };
    ExitCode::from(code)
}

fn stderr() -> StandardStream {
    let choice = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    StandardStream::stderr(choice)
}

fn fail(message: &str) -> u8 {
    eprintln!("unlint: error: {message}");
    EXIT_ERROR
}

fn config_error(e: &ConfigError) -> u8 {
    let mut err = stderr();
    if e.file.is_some() {
        let _ = unlint::report::human::render_config_error(e, &mut err);
    } else {
        let _ = writeln!(err, "unlint: error: {}", e.message);
    }
    EXIT_ERROR
}

fn load_config(args: &ConfigArgs) -> Result<Config, ConfigError> {
    Config::load(args.config.as_deref(), !args.isolated)
}

fn check(args: CheckArgs) -> u8 {
    let config = match load_config(&args.config) {
        Ok(c) => c,
        Err(e) => return config_error(&e),
    };
    if let Some(n) = args.threads {
        if n == 0 {
            return fail("--threads must be at least 1");
        }
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let selection = Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    if let Err(e) = selection.validate(&engine::all_rules(&config)) {
        return fail(&e);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let include: Vec<String> = config
        .files
        .include
        .iter()
        .chain(&args.include)
        .cloned()
        .collect();
    let exclude: Vec<String> = config
        .files
        .exclude
        .iter()
        .chain(&args.exclude)
        .cloned()
        .collect();
    let (files, walk_warnings) = match unlint::walk::collect(&paths, &include, &exclude) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    for w in &walk_warnings {
        eprintln!("unlint: warning: {w}");
    }
    if args.eco.statistics && !matches!(args.format, Format::Human) {
        return fail("--statistics prints a table: use it with --format human");
    }
    let baseline = match &args.eco.baseline {
        Some(p) => match eco::read_baseline(p) {
            Ok(b) => Some(b),
            Err(e) => return fail(&e),
        },
        None => None,
    };
    let engine = Engine::new(config, &selection);
    if args.diff {
        return show_fixes(&engine, &files);
    }
    let fix_summary = if args.fix {
        match apply_fixes(&engine, &files) {
            Ok(s) => Some(s),
            Err(code) => return code,
        }
    } else {
        None
    };
    let mut run = match translation_pairs(&args, &files) {
        Ok(None) => eco::run_with_progress(
            &engine,
            &files,
            matches!(args.format, Format::Human) && !args.quiet,
        ),
        Ok(Some((pairs, to_check))) => unlint::compare::run_pairs(&engine, &pairs, &to_check),
        Err(e) => return fail(&e),
    };
    if let Some(path) = &args.eco.write_baseline {
        return eco::write_baseline(path, &run);
    }
    if let Some(b) = &baseline {
        b.filter(&mut run);
    }

    let render_start = std::time::Instant::now();
    let rendered = match args.format {
        Format::Json => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            unlint::report::json::write(&run, &mut out).and_then(|()| out.flush())
        }
        Format::Sarif => {
            print!("{}", unlint::report::sarif::render(&run, &engine.rules));
            Ok(())
        }
        Format::Github => {
            print!("{}", unlint::report::github::render(&run));
            Ok(())
        }
        Format::Human if args.eco.statistics => eco::statistics(&run, args.quiet),
        Format::Human => {
            let color = match args.color {
                Color::Always => ColorChoice::Always,
                Color::Never => ColorChoice::Never,
                Color::Auto
                    if std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none() =>
                {
                    ColorChoice::Auto
                }
                Color::Auto => ColorChoice::Never,
            };
            let mut out = StandardStream::stdout(color);
            let r = unlint::report::human::render(&run, &mut out, args.quiet);
            let _ = out.reset();
            r
        }
    };
    if std::env::var_os("UNLINT_TIMINGS").is_some() {
        unlint::engine::print_stage("report", render_start.elapsed());
    }
    if let Err(e) = rendered {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return fail(&format!("cannot write output: {e}"));
        }
    }
    if let Some(summary) = fix_summary {
        eprintln!("{summary}");
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let code = if run.had_io_error() {
        EXIT_ERROR
    } else if run.diagnostics().any(|d| d.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    // The process ends here: freeing every finding, file text and rule table one by one
    // (about 1.6 % of a run's instructions on the bench prefix) would only give the memory
    // back to a heap about to disappear.
    std::mem::forget(run);
    std::mem::forget(engine);
    code
}

/// `--diff`: prints the safe fixes as a unified diff; exit 1 when there is something to fix.
fn show_fixes(engine: &Engine, files: &[PathBuf]) -> u8 {
    let fixes = unlint::fix::fix_files(engine, files);
    let mut out = std::io::stdout().lock();
    let (mut problems, mut changed) = (0, 0);
    for f in fixes.iter().filter(|f| f.changed()) {
        let path = f.path.display().to_string();
        let _ = write!(
            out,
            "{}",
            unlint::fix::unified_diff(&path, &f.original, &f.fixed)
        );
        problems += f.count;
        changed += 1;
    }
    let s = |n: usize| if n == 1 { "" } else { "s" };
    eprintln!(
        "{problems} fixable problem{} in {changed} file{}",
        s(problems),
        s(changed)
    );
    if changed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// `--fix`: writes the safe fixes; returns the summary line for stderr.
fn apply_fixes(engine: &Engine, files: &[PathBuf]) -> Result<String, u8> {
    let (mut problems, mut changed) = (0, 0);
    for f in unlint::fix::fix_files(engine, files) {
        if !f.changed() {
            continue;
        }
        if let Err(e) = unlint::fix::write_atomic(&f.path, &f.fixed) {
            return Err(fail(&format!("cannot write `{}`: {e}", f.path.display())));
        }
        problems += f.count;
        changed += 1;
    }
    let s = |n: usize| if n == 1 { "" } else { "s" };
    Ok(format!(
        "fixed {problems} problem{} in {changed} file{}",
        s(problems),
        s(changed)
    ))
}

/// The original/draft pairs of a `compare` or `--pair` run, and the files the per-file rules
/// check (`compare`: the draft only); `None` for an ordinary run.
#[allow(clippy::type_complexity)]
fn translation_pairs(
    args: &CheckArgs,
    files: &[PathBuf],
) -> Result<Option<(Vec<unlint::compare::pairs::Pair>, Vec<PathBuf>)>, String> {
    if args.pairs.compare {
        let (original, draft) = (args.paths[0].clone(), args.paths[1].clone());
        for p in [&original, &draft] {
            if !p.is_file() {
                return Err(format!("`{}` is not a file", p.display()));
            }
        }
        let pair = unlint::compare::pairs::Pair {
            original,
            draft: draft.clone(),
        };
        return Ok(Some((vec![pair], vec![draft])));
    }
    if args.pairs.pair.is_empty() {
        return Ok(None);
    }
    let (pairs, warnings) = unlint::compare::pairs::plan(&args.pairs.pair, files)?;
    for w in &warnings {
        eprintln!("unlint: warning: {w}");
    }
    Ok(Some((pairs, files.to_vec())))
}

fn outline(file: &std::path::Path, lines: bool) -> u8 {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return fail(&format!("cannot read `{}`: {e}", file.display())),
    };
    match unlint::source::decode(bytes) {
        Ok(text) => {
            let doc = unlint::document::parse(text);
            if lines {
                print!("{}", unlint::document::line_kinds(&doc));
            } else {
                print!("{}", unlint::document::outline(&doc));
            }
            EXIT_CLEAN
        }
        Err(p) => fail(&format!("{}: {}", file.display(), p.message())),
    }
}

fn list_rules(args: &ConfigArgs) -> u8 {
    let config = match load_config(args) {
        Ok(c) => c,
        Err(e) => return config_error(&e),
    };
    let mut out = std::io::stdout().lock();
    for rule in engine::all_rules(&config) {
        let s = config.setting(rule);
        let state = if s.enabled {
            s.severity.as_str()
        } else {
            "off"
        };
        let fix = if rule.fixable() { "fix" } else { "-" };
        let _ = writeln!(
            out,
            "{:<32} {:<8} {:<4} {}",
            rule.id(),
            state,
            fix,
            eco::first_sentence(&unlint::rules::summary(rule.doc()))
        );
    }
    EXIT_CLEAN
}

fn explain(id: &str, args: &ConfigArgs) -> u8 {
    // A broken configuration must not hide the built-in rules' documentation, but custom
    // rules need it: report the error and fall back to the embedded rules.
    let config = match load_config(args) {
        Ok(c) => c,
        Err(e) => {
            config_error(&e);
            Config::embedded().unwrap_or_default()
        }
    };
    match engine::all_rules(&config)
        .into_iter()
        .find(|r| r.id() == id)
    {
        Some(rule) => {
            let fix = if rule.fixable() { ", can fix" } else { "" };
            let state = if rule.default_enabled() {
                rule.default_severity().as_str()
            } else {
                "off"
            };
            println!("# {} ({state} by default{fix})\n", rule.id());
            print!("{}", unindent_doc(rule.doc()));
            EXIT_CLEAN
        }
        None => fail(&eco::unknown_rule_message(id, &engine::all_rules(&config))),
    }
}

/// Doc comments keep the space after `///`; drop it.
fn unindent_doc(doc: &str) -> String {
    doc.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// `init`, `config`, `completions`, baselines, statistics and the progress bar (issue 7).
#[path = "cli/ecosystem.rs"]
mod eco;

#[allow(dead_code)]
fn _assert_send(_: &dyn WriteColor) {}
