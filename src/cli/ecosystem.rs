//! The ecosystem side of the command line: `unlint init`, `unlint config`,
//! `unlint completions`, `--statistics`, `--baseline`/`--write-baseline`, the progress bar.

use super::{config_error, fail, load_config, ConfigArgs, EXIT_CLEAN, EXIT_ERROR};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use unlint::baseline::Baseline;
use unlint::config::{Config, EMBEDDED};
use unlint::engine::{self, Engine, RunResult};

/// More files than this on a terminal show a progress bar (on stderr).
const PROGRESS_MIN_FILES: usize = 30;

/// Runs the engine, with a progress bar on stderr when `allowed` (human output, not quiet),
/// stderr is a terminal and there are more than a few dozen files.
pub fn run_with_progress(engine: &Engine, files: &[PathBuf], allowed: bool) -> RunResult {
    if !allowed || files.len() <= PROGRESS_MIN_FILES || !std::io::stderr().is_terminal() {
        return engine.run(files);
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(files.len() as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} checking {pos}/{len} files {wide_bar}")
    {
        bar.set_style(style);
    }
    let run = engine.run_with_progress(files, &|| bar.inc(1));
    bar.finish_and_clear();
    run
}

/// Reads a baseline file (`--baseline`).
pub fn read_baseline(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read baseline `{}`: {e}", path.display()))?;
    Baseline::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes every finding of the run to a baseline file (`--write-baseline`).
pub fn write_baseline(path: &Path, run: &RunResult) -> u8 {
    let b = Baseline::from_run(run);
    if let Err(e) = std::fs::write(path, b.to_json()) {
        return fail(&format!("cannot write baseline `{}`: {e}", path.display()));
    }
    let n: usize = b.findings.iter().map(|e| e.count).sum();
    eprintln!(
        "unlint: wrote {n} finding{} to baseline `{}`",
        if n == 1 { "" } else { "s" },
        path.display()
    );
    if run.had_io_error() {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    }
}

/// `--statistics`: findings per rule, most frequent first (then by id).
pub fn statistics(run: &RunResult, quiet: bool) -> std::io::Result<()> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for d in run.diagnostics() {
        let e = counts.entry(d.rule).or_default();
        e.0 += 1;
        if d.fix.as_ref().is_some_and(|f| f.safe) {
            e.1 += 1;
        }
    }
    let mut rows: Vec<(&str, usize, usize)> =
        counts.into_iter().map(|(r, (n, f))| (r, n, f)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for (rule, n, fixable) in &rows {
        if *fixable > 0 {
            writeln!(out, "{n:>6}  {rule:<width$}  ({fixable} fixable)")?;
        } else {
            writeln!(out, "{n:>6}  {rule}")?;
        }
    }
    if !quiet {
        let total: usize = rows.iter().map(|r| r.1).sum();
        let files = run.files.len();
        let fs = if files == 1 { "" } else { "s" };
        if total == 0 {
            writeln!(out, "no problems found in {files} file{fs}")?;
        } else {
            let ps = if total == 1 { "" } else { "s" };
            writeln!(out, "{total} problem{ps} in {files} file{fs}")?;
        }
    }
    Ok(())
}

/// The first sentence of a rule summary, for the one-line `unlint rules` listing.
pub fn first_sentence(summary: &str) -> String {
    let b = summary.as_bytes();
    for (i, _) in summary.match_indices(". ") {
        if b.get(i + 2).is_some_and(|c| c.is_ascii_uppercase()) {
            return summary[..=i].to_string();
        }
    }
    summary.to_string()
}

/// "unknown rule id" with the closest id, for `unlint explain`.
pub fn unknown_rule_message(id: &str, rules: &[&'static dyn unlint::rules::Rule]) -> String {
    let near = rules
        .iter()
        .map(|r| (unlint::text::edit_distance(id, r.id()), r.id()))
        .filter(|(d, _)| *d <= 3)
        .min();
    match near {
        Some((_, n)) => format!("unknown rule id `{id}`: did you mean `{n}`?"),
        None => format!("unknown rule id `{id}` (`unlint rules` lists them)"),
    }
}

/// `unlint completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> u8 {
    use clap::CommandFactory;
    let mut cmd = super::Cli::command();
    clap_complete::generate(shell, &mut cmd, "unlint", &mut std::io::stdout());
    EXIT_CLEAN
}

/// A TOML string literal.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        quote(k)
    }
}

/// A TOML value on one line (tables inline).
fn inline(v: &toml::Value) -> String {
    match v {
        toml::Value::Table(t) => {
            let parts: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{} = {}", key(k), inline(v)))
                .collect();
            if parts.is_empty() {
                "{}".to_string()
            } else {
                format!("{{ {} }}", parts.join(", "))
            }
        }
        toml::Value::Array(a) => {
            format!("[{}]", a.iter().map(inline).collect::<Vec<_>>().join(", "))
        }
        other => other.to_string(),
    }
}

fn string_list(v: &[String]) -> String {
    format!(
        "[{}]",
        v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", ")
    )
}

/// The text `unlint init` writes.
pub fn init_text(config: &Config) -> String {
    let mut s = String::new();
    s.push_str(
        "# unlint configuration, written by `unlint init`.\n\
         #\n\
         # unlint merges, in order: its built-in rule sets, the nearest unlint.toml found by\n\
         # walking up from the current directory (this file), then `--config FILE`.\n\
         # `unlint config` prints the result and where each value comes from.\n\
         # Every line below is commented out: it shows the default. Uncomment to change it.\n\n",
    );
    s.push_str("[files]\n# Globs of files picked up when a directory is walked (.gitignore is respected); lists\n# given here are added to the defaults.\n");
    s.push_str(&format!(
        "# include = {}\n",
        string_list(&config.files.include)
    ));
    s.push_str(&format!(
        "# exclude = {}\n\n",
        string_list(&config.files.exclude)
    ));
    s.push_str(
        "[rules]\n\
         # \"group/name\" = \"off\" | \"info\" | \"warning\" | \"error\", or a table with `severity`,\n\
         # `enabled` and the rule's options, e.g. [rules.\"group/name\"] severity = \"error\".\n\
         # `unlint explain RULE` documents a rule and its options.\n",
    );
    for rule in unlint::rules::builtin() {
        let setting = config.setting(rule);
        let value = if setting.enabled {
            setting.severity.as_str()
        } else {
            "off"
        };
        let summary = unlint::rules::summary(rule.doc());
        s.push('\n');
        for line in wrap(&summary, 94) {
            s.push_str(&format!("# {line}\n"));
        }
        if setting.params.is_empty() {
            s.push_str(&format!("# {} = {}\n", quote(rule.id()), quote(value)));
        } else {
            let mut t = setting.params.clone();
            t.insert("severity".into(), toml::Value::String(value.to_string()));
            s.push_str(&format!(
                "# {} = {}\n",
                quote(rule.id()),
                inline(&toml::Value::Table(t))
            ));
        }
    }
    s.push_str(
        "\n# Data sections, extended (not replaced) by this file: see rules/*.toml in the unlint\n\
         # sources for their format.\n\
         # [terminology]\n# [references]\n# [dates]\n\
         #\n# Custom rules: [[rule]] tables (see `unlint explain` of a custom rule kind).\n",
    );
    s
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in text.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// `unlint init [PATH] [--force]`.
pub fn init(path: &Path, force: bool) -> u8 {
    if path.exists() && !force {
        return fail(&format!(
            "`{}` already exists; use --force to overwrite it",
            path.display()
        ));
    }
    let config = match Config::embedded() {
        Ok(c) => c,
        Err(e) => return config_error(&e),
    };
    if let Err(e) = std::fs::write(path, init_text(&config)) {
        return fail(&format!("cannot write `{}`: {e}", path.display()));
    }
    eprintln!("unlint: wrote {}", path.display());
    EXIT_CLEAN
}

/// `unlint config`: the merged configuration, as TOML, with the origin of each rule setting.
pub fn show_config(args: &ConfigArgs) -> u8 {
    let config = match load_config(args) {
        Ok(c) => c,
        Err(e) => return config_error(&e),
    };
    let mut s = String::new();
    s.push_str("# Effective unlint configuration. Layers, merged in this order (later wins):\n");
    for (i, (name, _)) in config.layers.iter().enumerate() {
        let embedded = EMBEDDED.iter().any(|(n, _)| n == name);
        s.push_str(&format!(
            "#   {}. {name}{}\n",
            i + 1,
            if embedded { " (built in)" } else { "" }
        ));
    }
    s.push_str("\n[files]\n");
    s.push_str(&format!(
        "include = {}\n",
        string_list(&config.files.include)
    ));
    s.push_str(&format!(
        "exclude = {}\n",
        string_list(&config.files.exclude)
    ));
    s.push_str("\n[rules]\n# id = { enabled, severity, options… }  # origin: the layer that set it, or `default`\n");
    let rules = engine::all_rules(&config);
    let width = rules.iter().map(|r| quote(r.id()).len()).max().unwrap_or(0);
    for rule in rules {
        let st = config.setting(rule);
        let mut parts = vec![
            format!("enabled = {}", st.enabled),
            format!("severity = {}", quote(st.severity.as_str())),
        ];
        parts.extend(
            st.params
                .iter()
                .map(|(k, v)| format!("{} = {}", key(k), inline(v))),
        );
        let entry = format!("{{ {} }}", parts.join(", "));
        s.push_str(&format!(
            "{:<width$} = {entry}  # {}\n",
            quote(rule.id()),
            st.origin
        ));
    }
    s.push_str(&data_sections(&config));
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    EXIT_CLEAN
}

/// The data sections (`[terminology]`, `[references]`, …) of every layer merged the way the
/// configuration merges them (tables key by key, lists extended, scalars overridden), each with
/// the layers it came from.
fn data_sections(config: &unlint::config::Config) -> String {
    const SECTIONS: [&str; 5] = [
        "terminology",
        "references",
        "dates",
        "typography",
        "translation",
    ];
    fn merge(into: &mut toml::Value, from: toml::Value) {
        match (into, from) {
            (toml::Value::Table(a), toml::Value::Table(b)) => {
                for (k, v) in b {
                    match a.get_mut(&k) {
                        Some(x) => merge(x, v),
                        None => {
                            a.insert(k, v);
                        }
                    }
                }
            }
            (toml::Value::Array(a), toml::Value::Array(b)) => a.extend(b),
            (slot, v) => *slot = v,
        }
    }
    let mut out = String::new();
    for section in SECTIONS {
        let mut merged = toml::Value::Table(toml::Table::new());
        let mut origins = Vec::new();
        for (name, text) in &config.layers {
            let Ok(mut table) = text.parse::<toml::Table>() else {
                continue;
            };
            if let Some(v) = table.remove(section) {
                origins.push(name.as_str());
                merge(&mut merged, v);
            }
        }
        if origins.is_empty() {
            continue;
        }
        let mut wrapper = toml::Table::new();
        wrapper.insert(section.to_string(), merged);
        let body = toml::to_string(&wrapper).unwrap_or_default();
        out.push_str(&format!(
            "\n# [{section}] merged from: {}\n{body}",
            origins.join(", ")
        ));
    }
    out
}
