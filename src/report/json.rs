//! `--format json`: one JSON object, schema version 1 (public API, see README).

use crate::engine::RunResult;
use serde::Serialize;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files_checked: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

/// Renders the run as the version-1 JSON document.
pub fn render(run: &RunResult) -> String {
    let mut diagnostics = Vec::new();
    for f in &run.files {
        let index = f.text.as_deref().map(super::LineIndex::new);
        for d in &f.diagnostics {
            let (line, column, end_line, end_column) = super::position(index.as_ref(), d);
            diagnostics.push(JsonDiagnostic {
                rule: d.rule,
                severity: d.severity.as_str(),
                path: &d.path,
                line,
                column,
                end_line,
                end_column,
                message: &d.message,
                help: d.help.as_deref(),
            });
        }
    }
    let report = JsonReport {
        version: 1,
        files_checked: run.files.len(),
        diagnostics,
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}
