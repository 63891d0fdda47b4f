//! Baselines: record today's findings, then report only new ones (`--write-baseline FILE`,
//! `--baseline FILE`).
//!
//! A finding is keyed on its rule, its file, the text it flags and a short context around it
//! (never line numbers), so inserting or removing lines elsewhere does not make old findings
//! new. Each key has a count: if a file had two identical findings and now has three, one is new.
//!
//! File format (JSON, sorted, stable):
//! ```json
//! { "version": 1, "findings": [
//!   { "rule": "numbering/paragraph", "path": "docs/rapport.md", "text": "13",
//!     "context": "…réunion. 13. La réunion…", "count": 1 } ] }
//! ```

use crate::diagnostic::Diagnostic;
use crate::engine::RunResult;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The current baseline format version.
pub const VERSION: u32 = 1;

/// Characters of context kept on each side of the flagged text (within its line).
const CONTEXT_CHARS: usize = 24;
/// Longest flagged text kept in a key (longer ones are cut).
const TEXT_CHARS: usize = 80;

/// What identifies a finding across edits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Key {
    pub rule: String,
    pub path: String,
    pub text: String,
    pub context: String,
}

/// One baseline entry: a key and how many findings have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub text: String,
    pub context: String,
    pub count: usize,
}

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// A path as written in a baseline: forward slashes, no leading `./`.
pub fn normalize_path(path: &str) -> String {
    let p = path.replace('\\', "/");
    let mut p = p.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.to_string()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key of a diagnostic in a file whose text is `text` (when it could be read).
pub fn key(text: Option<&str>, d: &Diagnostic) -> Key {
    let (flagged, context) = match text {
        Some(t) => {
            let start = t.floor_char_boundary(d.span.start);
            let end = t.floor_char_boundary(d.span.end.max(start));
            let line_start = t[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = t[end..].find('\n').map_or(t.len(), |i| end + i);
            let before: String = {
                let b: Vec<char> = t[line_start..start].chars().collect();
                b[b.len().saturating_sub(CONTEXT_CHARS)..].iter().collect()
            };
            let after: String = t[end..line_end].chars().take(CONTEXT_CHARS).collect();
            let flagged: String = collapse(&t[start..end]).chars().take(TEXT_CHARS).collect();
            let context = collapse(&format!("{before}\u{2038}{flagged}\u{2038}{after}"));
            (flagged, context)
        }
        None => (String::new(), String::new()),
    };
    Key {
        rule: d.rule.to_string(),
        path: normalize_path(&d.path),
        text: flagged,
        context,
    }
}

/// A short stable hash of a key (FNV-1a, 64 bits, hex): SARIF `partialFingerprints`.
pub fn fingerprint(key: &Key) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [&key.rule, &key.path, &key.text, &key.context] {
        for b in part.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn counts(run: &RunResult) -> BTreeMap<Key, usize> {
    let mut map = BTreeMap::new();
    for f in &run.files {
        for d in &f.diagnostics {
            *map.entry(key(f.text(), d)).or_insert(0) += 1;
        }
    }
    map
}

impl Baseline {
    /// The baseline of every finding of a run.
    pub fn from_run(run: &RunResult) -> Baseline {
        Baseline {
            version: VERSION,
            findings: counts(run)
                .into_iter()
                .map(|(k, count)| Entry {
                    rule: k.rule,
                    path: k.path,
                    text: k.text,
                    context: k.context,
                    count,
                })
                .collect(),
        }
    }

    /// The baseline as pretty JSON (sorted: the same findings always give the same file).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Parses a baseline file's text.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| {
            format!(
                "invalid baseline (line {}, column {}): {e}",
                e.line(),
                e.column()
            )
        })?;
        if b.version != VERSION {
            return Err(format!(
                "unsupported baseline version {} (this unlint writes version {VERSION})",
                b.version
            ));
        }
        Ok(b)
    }

    /// Removes from `run` the findings the baseline records (up to each key's count).
    /// Returns how many were removed.
    pub fn filter(&self, run: &mut RunResult) -> usize {
        let mut left: BTreeMap<Key, usize> = BTreeMap::new();
        for e in &self.findings {
            let k = Key {
                rule: e.rule.clone(),
                path: normalize_path(&e.path),
                text: e.text.clone(),
                context: e.context.clone(),
            };
            *left.entry(k).or_insert(0) += e.count;
        }
        let mut removed = 0;
        for f in &mut run.files {
            let text = f.text.clone();
            f.diagnostics.retain(|d| {
                let k = key(text.as_deref().map(String::as_str), d);
                match left.get_mut(&k) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        removed += 1;
                        false
                    }
                    _ => true,
                }
            });
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ignores_line_numbers() {
        let a = "Intro.\n\n12. Le texte.\n";
        let b = "Intro.\nNew line.\n\n\n12. Le texte.\n";
        let mut d = Diagnostic::new("x/y", 8..10, "m");
        d.path = "./a.txt".into();
        let mut e = d.clone();
        e.span = 19..21;
        assert_eq!(&a[8..10], "12");
        assert_eq!(&b[19..21], "12");
        assert_eq!(key(Some(a), &d), key(Some(b), &e));
        assert_eq!(key(Some(a), &d).path, "a.txt");
        assert_eq!(key(Some(a), &d).context, "‸12‸. Le texte.");
    }

    #[test]
    fn fingerprint_is_stable() {
        let k = Key {
            rule: "a/b".into(),
            path: "p".into(),
            text: "t".into(),
            context: "c".into(),
        };
        assert_eq!(fingerprint(&k), fingerprint(&k.clone()));
        assert_eq!(fingerprint(&k).len(), 16);
    }
}
