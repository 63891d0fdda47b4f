//! `kind = "pattern"`: a regular expression, its named captures usable in the message.

use super::CustomRule;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use regex::Regex;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Spec {
    regex: String,
    /// Match regardless of case (default false; `(?i)` in the regex works too).
    #[serde(default)]
    case_insensitive: bool,
}

/// The compiled expression (compiled once, at configuration load).
pub(crate) struct Compiled {
    re: Regex,
}

impl Spec {
    pub(super) fn compile(&self) -> Result<Compiled, String> {
        regex::RegexBuilder::new(&self.regex)
            .case_insensitive(self.case_insensitive)
            .size_limit(1 << 22)
            .build()
            .map(|re| Compiled { re })
            .map_err(|e| {
                e.to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            })
    }
}

impl Compiled {
    pub(super) fn names(&self) -> Vec<String> {
        self.re
            .capture_names()
            .flatten()
            .map(str::to_string)
            .collect()
    }
}

pub(super) fn check(rule: &CustomRule, p: &Compiled, doc: &Document, out: &mut Vec<Diagnostic>) {
    let names = p.names();
    for caps in p.re.captures_iter(&doc.prose) {
        let m = caps.get(0).expect("group 0");
        if m.is_empty() || !rule.in_scope(doc, m.start()) {
            continue;
        }
        let text = crate::rules::terminology::matched_text(doc, &m.range());
        let mut values: Vec<(&str, String)> = vec![("match", text)];
        for n in &names {
            let v = caps
                .name(n)
                .map(|c| crate::rules::terminology::matched_text(doc, &c.range()))
                .unwrap_or_default();
            values.push((n.as_str(), v));
        }
        let refs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        out.push(rule.diagnostic(m.range(), &refs));
    }
}
