//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//!
//! One run; `tool.driver.rules` lists the rules that ran (sorted by id) with their
//! documentation; each result points at its rule by `ruleId` and `ruleIndex`, with a region in
//! 1-based lines and columns counted in Unicode code points (`columnKind`), secondary labels as
//! `relatedLocations`, fixes as `fixes`, and a line-independent `partialFingerprints` entry (the
//! baseline key) so code scanning tracks a finding across edits.

use super::LineIndex;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{ActiveRule, RunResult};
use serde_json::{json, Map, Value};

/// The SARIF schema this output follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: relative paths stay relative (forward slashes); absolute paths
/// become `file://` URIs. Characters outside the URI set are percent-encoded.
pub fn uri(path: &str) -> String {
    let p = crate::baseline::normalize_path(path);
    let mut out = String::new();
    if p.starts_with('/') {
        out.push_str("file://");
    } else if p.len() > 2 && p.as_bytes()[1] == b':' {
        out.push_str("file:///"); // C:/…
    }
    for b in p.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'/' | b'-'
                    | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            )
            || (b == b':' && out.starts_with("file:///"));
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(index: Option<&LineIndex>, span: &std::ops::Range<usize>) -> Option<Value> {
    let (l, c, el, ec) = index?.range(span);
    Some(json!({"startLine": l, "startColumn": c, "endLine": el, "endColumn": ec}))
}

fn location(path: &str, region: Option<Value>) -> Value {
    let mut phys = Map::new();
    phys.insert("artifactLocation".into(), json!({ "uri": uri(path) }));
    if let Some(r) = region {
        phys.insert("region".into(), r);
    }
    json!({ "physicalLocation": phys })
}

fn doc_text(doc: &str) -> String {
    doc.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn rule_descriptor(r: &ActiveRule) -> Value {
    let id = r.rule.id();
    let doc = doc_text(r.rule.doc());
    let summary = crate::rules::summary(r.rule.doc());
    json!({
        "id": id,
        "name": id,
        "shortDescription": { "text": summary },
        "fullDescription": { "text": doc },
        "help": {
            "text": format!("{doc}\n\n(`unlint explain {id}` prints this documentation.)"),
            "markdown": doc,
        },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": { "fixable": r.rule.fixable() },
    })
}

fn result(
    run: &RunResult,
    indexes: &[Option<LineIndex>],
    file: usize,
    d: &Diagnostic,
    rule_index: Option<usize>,
) -> Value {
    let text = run.files[file].text();
    let index = indexes[file].as_ref();
    let mut message = d.message.to_string();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let mut res = Map::new();
    res.insert("ruleId".into(), json!(d.rule));
    if let Some(i) = rule_index {
        res.insert("ruleIndex".into(), json!(i));
    }
    res.insert("level".into(), json!(level(d.severity)));
    res.insert("message".into(), json!({ "text": message }));
    res.insert(
        "locations".into(),
        json!([location(&d.path, region(index, &d.span))]),
    );
    if !d.labels.is_empty() {
        let related: Vec<Value> = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let path = l.path.as_deref().unwrap_or(&d.path);
                let lindex = run
                    .files
                    .iter()
                    .position(|f| *f.path == *path)
                    .and_then(|k| indexes[k].as_ref());
                let mut loc = location(path, region(lindex, &l.span));
                loc["id"] = json!(i);
                loc["message"] = json!({ "text": l.message });
                loc
            })
            .collect();
        res.insert("relatedLocations".into(), json!(related));
    }
    if let (Some(fix), Some(_)) = (&d.fix, text) {
        let replacements: Vec<Value> = fix
            .edits()
            .iter()
            .filter_map(|e| {
                Some(json!({
                    "deletedRegion": region(index, &e.span)?,
                    "insertedContent": { "text": e.replacement },
                }))
            })
            .collect();
        let what = if fix.safe {
            "safe fix (applied by --fix)"
        } else {
            "unsafe fix (review before applying)"
        };
        res.insert(
            "fixes".into(),
            json!([{
                "description": { "text": what },
                "artifactChanges": [{
                    "artifactLocation": { "uri": uri(&d.path) },
                    "replacements": replacements,
                }],
            }]),
        );
    }
    let key = crate::baseline::key(text, d);
    res.insert(
        "partialFingerprints".into(),
        json!({ "unlintFinding/v1": crate::baseline::fingerprint(&key) }),
    );
    Value::Object(res)
}

/// Renders the run as a SARIF 2.1.0 log. `rules` are the rules that ran.
pub fn render(run: &RunResult, rules: &[ActiveRule]) -> String {
    let mut sorted: Vec<&ActiveRule> = rules.iter().collect();
    sorted.sort_by_key(|r| r.rule.id());
    let descriptors: Vec<Value> = sorted.iter().map(|r| rule_descriptor(r)).collect();
    let mut results = Vec::new();
    let indexes = LineIndex::for_run(run);
    for (k, f) in run.files.iter().enumerate() {
        for d in &f.diagnostics {
            let idx = sorted.iter().position(|r| r.rule.id() == d.rule);
            results.push(result(run, &indexes, k, d, idx));
        }
    }
    let mut driver = Map::new();
    driver.insert("name".into(), json!("unlint"));
    driver.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    driver.insert("semanticVersion".into(), json!(env!("CARGO_PKG_VERSION")));
    let info = option_env!("CARGO_PKG_HOMEPAGE")
        .filter(|s| !s.is_empty())
        .or(option_env!("CARGO_PKG_REPOSITORY").filter(|s| !s.is_empty()));
    if let Some(u) = info {
        driver.insert("informationUri".into(), json!(u));
    }
    driver.insert("rules".into(), json!(descriptors));
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris() {
        assert_eq!(uri("./docs/a b.md"), "docs/a%20b.md");
        assert_eq!(uri("/tmp/r\u{e9}.txt"), "file:///tmp/r%C3%A9.txt");
        assert_eq!(uri("C:\\x\\y.md"), "file:///C:/x/y.md");
        assert_eq!(uri("a%b.md"), "a%25b.md");
    }
}
