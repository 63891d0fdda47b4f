//! `--format github`: GitHub Actions workflow commands, one annotation per finding:
//! `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=rule::message`.
//!
//! Escaping follows GitHub's runner: in the message `%`, `\r`, `\n` become `%25`, `%0D`, `%0A`;
//! in property values `:` and `,` are escaped too (`%3A`, `%2C`).

use crate::diagnostic::Severity;
use crate::engine::RunResult;
use std::fmt::Write;

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes the message part of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders the run as workflow commands, in the run's (deterministic) order.
pub fn render(run: &RunResult) -> String {
    let mut out = String::new();
    for f in &run.files {
        let index = f.text().map(super::LineIndex::new);
        for d in &f.diagnostics {
            let mut props = format!("file={}", escape_property(&d.path));
            if f.text.is_some() {
                let (l, c, el, ec) = super::position(index.as_ref(), d);
                let _ = write!(props, ",line={l},col={c},endLine={el},endColumn={ec}");
            }
            let _ = write!(props, ",title={}", escape_property(d.rule));
            let mut message = d.message.to_string();
            if let Some(h) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            let _ = writeln!(
                out,
                "::{} {props}::{}",
                command(d.severity),
                escape_data(&message)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("a%b\r\nc: d, e"), "a%25b%0D%0Ac: d, e");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
