//! `custom/*` rules: defined by users in TOML (`[[rule]]` tables), one of a closed set of kinds.
//!
//! ```toml
//! [[rule]]
//! id = "custom/phishing"          # custom/<name>
//! kind = "substitution"           # substitution | consistency | existence | pattern
//! severity = "warning"            # info | warning | error (default warning)
//! message = "« {match} » is an anglicism"
//! help = "write « {preferred} »"  # optional
//! language = "fr"                 # fr | en | any (default any)
//! scope = "all"                   # headings | paragraphs | footnotes | all (default all)
//! preferred = "hameçonnage"       # kind-specific fields
//! variants = ["phishing"]
//! ```
//!
//! Each kind lives in its own file and deserialises its own fields, rejecting unknown ones.
//! `substitution`, `consistency` and `existence` register their forms as term sets of the
//! matcher in [`crate::extract::terms`] (the engine behind `terminology/*`), owned by the rule;
//! `pattern` compiles its regular expression once, at configuration load.
//!
//! Errors (unknown kind, missing or unknown field, bad regex, unknown placeholder) are
//! configuration errors pointing at the line and column of the `[[rule]]` table or its key.

mod consistency;
mod existence;
mod pattern;
mod substitution;

use super::{Context, CorpusEntry, Rule};
use crate::config::{Config, ConfigError, CustomRuleSource};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::extract::terms::{LangFilter, Scope, TermSetSpec};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// The fields every kind shares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Common {
    id: String,
    kind: String,
    #[serde(default)]
    severity: Option<String>,
    message: String,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    language: LangFilter,
    #[serde(default)]
    scope: Scope,
}

const COMMON_KEYS: &[&str] = &[
    "id", "kind", "severity", "message", "help", "language", "scope",
];
const KINDS: &[&str] = &["substitution", "consistency", "existence", "pattern"];

/// What a kind compiled to.
pub(crate) enum Kind {
    Substitution,
    Consistency,
    Existence,
    Pattern(pattern::Compiled),
}

/// A rule defined in the configuration.
pub struct CustomRule {
    id: &'static str,
    doc: &'static str,
    severity: Severity,
    message: String,
    help: Option<String>,
    lang: LangFilter,
    scope: Scope,
    kind: Kind,
}

/// A parsed `[[rule]]` table: the rule, and the term set it registers (term kinds).
struct Parsed {
    rule: CustomRule,
    set: Option<TermSetSpec>,
}

/// Where a key of a `[[rule]]` table is written in its layer (the table's start otherwise).
fn key_span(config: &Config, src: &CustomRuleSource, key: Option<&str>) -> Range<usize> {
    let (_, text) = &config.layers[src.layer];
    let table = src.span.start.min(text.len())..src.span.end.min(text.len());
    if let Some(key) = key {
        let mut offset = table.start;
        for line in text[table.clone()].split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix(key) {
                if rest.trim_start().starts_with('=') {
                    let at = offset + (line.len() - trimmed.len());
                    return at..at + key.len();
                }
            }
            offset += line.len();
        }
    }
    // The `[[rule]]` header line above the table's first key.
    let header = text[..table.start].rfind("[[rule]]").unwrap_or(table.start);
    header..header + "[[rule]]".len().min(text.len() - header)
}

/// The key a serde error is about (`missing field `x``, `unknown field `x``).
fn error_key(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_string())
}

fn parse(config: &Config, src: &CustomRuleSource) -> Result<Parsed, ConfigError> {
    let err = |key: Option<&str>, msg: String| {
        config.error_in_layer(src.layer, key_span(config, src, key), msg)
    };
    let label = src
        .table
        .get("id")
        .and_then(|v| v.as_str())
        .map(|s| format!("custom rule `{s}`"))
        .unwrap_or_else(|| "custom rule".into());
    let (common_t, kind_t): (toml::Table, toml::Table) = src
        .table
        .clone()
        .into_iter()
        .partition(|(k, _)| COMMON_KEYS.contains(&k.as_str()));
    let common = Common::deserialize(toml::Value::Table(common_t)).map_err(|e| {
        let m = e.message().trim_end().to_string();
        let key = error_key(&m).filter(|_| !m.starts_with("missing"));
        err(key.as_deref(), format!("invalid {label}: {m}"))
    })?;
    let id = common.id.clone();
    let name_ok = id.strip_prefix("custom/").is_some_and(|n| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    });
    if !name_ok {
        return Err(
            err(Some("id"), format!("invalid custom rule id `{id}`")).with_help(
                "ids are `custom/<name>`, the name in lower-case letters, digits, `-` and `_`",
            ),
        );
    }
    let severity = match &common.severity {
        None => Severity::Warning,
        Some(s) => Severity::parse(s).ok_or_else(|| {
            err(
                Some("severity"),
                format!("invalid severity `{s}` for {label}"),
            )
            .with_help("use \"info\", \"warning\" or \"error\"")
        })?,
    };
    let kind_err = |e: toml::de::Error| {
        let m = e.message().trim_end().to_string();
        let key = error_key(&m).filter(|_| !m.starts_with("missing"));
        err(
            key.as_deref(),
            format!("invalid {label} of kind `{}`: {m}", common.kind),
        )
    };
    let owner: &'static str = Box::leak(id.clone().into_boxed_str());
    let value = toml::Value::Table(kind_t);
    let (kind, set, placeholders): (Kind, Option<TermSetSpec>, Vec<String>) =
        match common.kind.as_str() {
            "substitution" => {
                let s = substitution::Spec::deserialize(value).map_err(kind_err)?;
                (
                    Kind::Substitution,
                    Some(s.set(owner, common.language)),
                    vec!["preferred".into()],
                )
            }
            "consistency" => {
                let s = consistency::Spec::deserialize(value).map_err(kind_err)?;
                if s.forms.len() < 2 {
                    return Err(err(
                        Some("forms"),
                        format!("{label} needs at least two `forms`"),
                    ));
                }
                (
                    Kind::Consistency,
                    Some(s.set(owner, common.language)),
                    vec!["other".into(), "count".into(), "other_count".into()],
                )
            }
            "existence" => {
                let s = existence::Spec::deserialize(value).map_err(kind_err)?;
                if s.tokens.is_empty() {
                    return Err(err(Some("tokens"), format!("{label} has no `tokens`")));
                }
                (Kind::Existence, Some(s.set(owner, common.language)), vec![])
            }
            "pattern" => {
                let s = pattern::Spec::deserialize(value).map_err(kind_err)?;
                let compiled = s.compile().map_err(|m| {
                    err(
                        Some("regex"),
                        format!("invalid regular expression in {label}: {m}"),
                    )
                })?;
                let names = compiled.names();
                (Kind::Pattern(compiled), None, names)
            }
            other => {
                let mut e = err(Some("kind"), format!("unknown kind `{other}` for {label}"));
                e = e.with_help(format!("kinds: {}", KINDS.join(", ")));
                return Err(e);
            }
        };
    if let Some(set) = &set {
        let mut t = crate::extract::terms::TerminologyConfig::default();
        t.add_set(set.clone());
        t.validate()
            .map_err(|m| err(None, format!("invalid {label}: {m}")))?;
    }
    for (key, template) in [
        ("message", Some(&common.message)),
        ("help", common.help.as_ref()),
    ] {
        let Some(template) = template else { continue };
        for p in placeholders_in(template) {
            if p != "match" && !placeholders.contains(&p) {
                let mut allowed = vec!["{match}".to_string()];
                allowed.extend(placeholders.iter().map(|p| format!("{{{p}}}")));
                return Err(err(
                    Some(key),
                    format!("unknown placeholder `{{{p}}}` in the {key} of {label}"),
                )
                .with_help(format!("this kind knows {}", allowed.join(", "))));
            }
        }
    }
    let layer_name = &config.layers[src.layer].0;
    let doc = doc_for(&common, layer_name, &src.table);
    Ok(Parsed {
        rule: CustomRule {
            id: owner,
            doc: Box::leak(doc.into_boxed_str()),
            severity,
            message: common.message,
            help: common.help,
            lang: common.language,
            scope: common.scope,
            kind,
        },
        set,
    })
}

/// The `{name}` placeholders of a template.
fn placeholders_in(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.push(name.to_string());
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out
}

/// Fills `{name}` placeholders.
pub(crate) fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// The documentation `unlint explain custom/<name>` prints.
fn doc_for(common: &Common, layer: &str, table: &toml::Table) -> String {
    let what = match common.kind.as_str() {
        "substitution" => "A variant written where the preferred form is wanted (same matcher as `terminology/preferred`: case, inflection, hyphens and line breaks are ignored).",
        "consistency" => "Two of the listed forms used in one document (same matcher as `terminology/drift`): every use of the less frequent form is reported.",
        "existence" => "A forbidden word or phrase.",
        _ => "Text matching a regular expression.",
    };
    let mut fields = String::new();
    for (k, v) in table {
        fields.push_str(&format!("{k} = {v}\n"));
    }
    format!(
        "## What it checks\n{what}\n\nMessage: {}\n\n## Why it matters\nA house rule defined in `{layer}`{}.\n\n## Example\nSee the `[[rule]]` table below.\n\n## Configuration\nDefined by a `[[rule]]` table of kind `{}` in `{layer}`:\n```toml\n[[rule]]\n{fields}```\n",
        common.message,
        common
            .help
            .as_ref()
            .map(|h| format!("; help: {h}"))
            .unwrap_or_default(),
        common.kind,
    )
}

/// Validates the `[[rule]]` tables of layer `layer` and registers the term sets of the term
/// kinds in `config.terminology` (called by [`Config::add_layer`]).
pub fn register_layer(config: &mut Config, layer: usize) -> Result<(), ConfigError> {
    let mut seen: BTreeMap<String, ()> = config
        .custom
        .iter()
        .filter(|c| c.layer < layer)
        .filter_map(|c| {
            c.table
                .get("id")
                .and_then(|v| v.as_str())
                .map(|s| (s.to_string(), ()))
        })
        .collect();
    let mine: Vec<CustomRuleSource> = config
        .custom
        .iter()
        .filter(|c| c.layer == layer)
        .cloned()
        .collect();
    for src in &mine {
        let parsed = parse(config, src)?;
        if seen.insert(parsed.rule.id.to_string(), ()).is_some() {
            return Err(config.error_in_layer(
                src.layer,
                key_span(config, src, Some("id")),
                format!("custom rule `{}` is defined twice", parsed.rule.id),
            ));
        }
        if let Some(set) = parsed.set {
            config.terminology.add_set(set);
        }
    }
    Ok(())
}

/// The custom rules the configuration defines (leaked: a configuration lives for the process).
pub fn from_config(config: &Config) -> Vec<&'static dyn Rule> {
    config
        .custom
        .iter()
        .filter_map(|src| parse(config, src).ok())
        .map(|p| &*Box::leak(Box::new(p.rule)) as &'static dyn Rule)
        .collect()
}

impl CustomRule {
    fn in_scope(&self, doc: &Document, offset: usize) -> bool {
        self.scope.contains(doc, offset)
    }

    fn diagnostic(&self, span: Range<usize>, values: &[(&str, &str)]) -> Diagnostic {
        let mut d = Diagnostic::new(self.id, span, render(&self.message, values));
        if let Some(h) = &self.help {
            d = d.with_help(render(h, values));
        }
        d
    }
}

impl Rule for CustomRule {
    fn id(&self) -> &'static str {
        self.id
    }
    fn doc(&self) -> &'static str {
        self.doc
    }
    fn default_severity(&self) -> Severity {
        self.severity
    }
    fn fixable(&self) -> bool {
        matches!(self.kind, Kind::Substitution | Kind::Consistency)
    }
    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        if !self.lang.accepts(doc.lang) {
            return;
        }
        match &self.kind {
            Kind::Substitution => substitution::check(self, doc, ctx, out),
            Kind::Consistency => consistency::check(self, doc, ctx, out),
            Kind::Existence => existence::check(self, doc, ctx, out),
            Kind::Pattern(p) => pattern::check(self, p, doc, out),
        }
    }
    fn check_corpus(&self, _docs: &[CorpusEntry], _ctx: &Context, _out: &mut Vec<Diagnostic>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        assert_eq!(
            placeholders_in("« {match} » → {preferred} {x y} {}"),
            vec!["match", "preferred"]
        );
        assert_eq!(render("a {match} b", &[("match", "X")]), "a X b");
    }
}
