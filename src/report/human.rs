//! Compiler-style output through codespan-reporting.

use crate::diagnostic::Severity;
use crate::engine::RunResult;
use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor, Config};

fn severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

/// Writes every diagnostic of the run, then a summary line unless `quiet`.
pub fn render(run: &RunResult, out: &mut dyn WriteColor, quiet: bool) -> std::io::Result<()> {
    let mut files = SimpleFiles::new();
    let ids: Vec<Option<usize>> = run
        .files
        .iter()
        .map(|f| {
            f.text
                .as_ref()
                .map(|t| files.add(f.path.to_string(), t.to_string()))
        })
        .collect();
    let id_of = |path: &str| {
        run.files
            .iter()
            .position(|f| &*f.path == path)
            .and_then(|i| ids[i])
    };
    let config = Config::default();
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for (f, id) in run.files.iter().zip(&ids) {
        for d in &f.diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => infos += 1,
            }
            let mut cs = CsDiagnostic::new(severity(d.severity))
                .with_code(d.rule)
                .with_message(&*d.message);
            match id {
                Some(id) => {
                    let mut labels = vec![CsLabel::primary(*id, d.span.clone())];
                    for l in &d.labels {
                        let lid = l.path.as_deref().map_or(Some(*id), id_of);
                        if let Some(lid) = lid {
                            labels.push(
                                CsLabel::secondary(lid, l.span.clone()).with_message(&l.message),
                            );
                        }
                    }
                    cs = cs.with_labels(labels);
                }
                None => {
                    cs = cs.with_notes(vec![format!("in {}", f.path)]);
                }
            }
            if let Some(h) = &d.help {
                cs.notes.push(format!("help: {h}"));
            }
            if let Err(e) = term::emit(out, &config, &files, &cs) {
                return Err(std::io::Error::other(e.to_string()));
            }
        }
    }
    if !quiet {
        let total = errors + warnings + infos;
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        if total == 0 {
            writeln!(
                out,
                "no problems found in {}",
                plural(run.files.len(), "file")
            )?;
        } else {
            writeln!(
                out,
                "{} ({}, {}, {}) in {}",
                plural(total, "problem"),
                plural(errors, "error"),
                plural(warnings, "warning"),
                plural(infos, "info"),
                plural(run.files.len(), "file")
            )?;
        }
    }
    Ok(())
}

/// Renders to a string without colour (for tests and snapshots).
pub fn render_to_string(run: &RunResult, quiet: bool) -> String {
    let mut buf = term::termcolor::NoColor::new(Vec::new());
    let _ = render(run, &mut buf, quiet);
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}

/// Renders a configuration error like rustc: the file, the line, a caret under the span.
pub fn render_config_error(
    e: &crate::config::ConfigError,
    out: &mut dyn WriteColor,
) -> std::io::Result<()> {
    let mut files = SimpleFiles::new();
    let mut cs = CsDiagnostic::error().with_message(&e.message);
    if let (Some((name, text)), Some(span)) = (&e.file, &e.span) {
        let id = files.add(name.clone(), text.clone());
        let span = span.start.min(text.len())..span.end.min(text.len());
        cs = cs.with_labels(vec![CsLabel::primary(id, span)]);
    }
    if let Some(h) = &e.help {
        cs = cs.with_notes(vec![format!("help: {h}")]);
    }
    term::emit(out, &Config::default(), &files, &cs)
        .map_err(|e| std::io::Error::other(e.to_string()))
}
