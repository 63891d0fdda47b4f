//! `--format json`: one JSON object, schema version 1 (public API, see README).

use crate::engine::RunResult;
use serde::Serialize;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files_checked: usize,
    diagnostics: Diagnostics<'a>,
}

/// The run's diagnostics, serialised one by one as they are positioned: the report never
/// holds a second copy of the findings (145 000 of them for the 20 MB bench file).
struct Diagnostics<'a>(&'a RunResult);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.diagnostics().count()))?;
        for f in &self.0.files {
            let index = f.text.as_deref().map(super::LineIndex::new);
            for d in &f.diagnostics {
                let (line, column, end_line, end_column) = super::position(index.as_ref(), d);
                seq.serialize_element(&JsonDiagnostic {
                    rule: d.rule,
                    severity: d.severity.as_str(),
                    path: &d.path,
                    line,
                    column,
                    end_line,
                    end_column,
                    message: &d.message,
                    help: d.help.as_deref(),
                })?;
            }
        }
        seq.end()
    }
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

/// Writes the run as the version-1 JSON document to `out` (buffer it: many small writes).
pub fn write(run: &RunResult, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let report = JsonReport {
        version: 1,
        files_checked: run.files.len(),
        diagnostics: Diagnostics(run),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}

/// Renders the run as the version-1 JSON document.
pub fn render(run: &RunResult) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and serde_json writes UTF-8.
    let _ = write(run, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
