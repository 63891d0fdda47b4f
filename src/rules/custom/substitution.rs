//! `kind = "substitution"`: variants → a preferred form, with the terminology matcher.

use super::CustomRule;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::extract::terms::{LangFilter, TermSetSpec};
use crate::rules::Context;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Spec {
    preferred: String,
    variants: Vec<String>,
    #[serde(default)]
    exceptions: Vec<String>,
    #[serde(default = "yes")]
    inflect: bool,
    /// Whether `--fix` may apply the replacement.
    #[serde(default)]
    safe: bool,
}

fn yes() -> bool {
    true
}

impl Spec {
    pub(super) fn set(self, owner: &'static str, lang: LangFilter) -> TermSetSpec {
        TermSetSpec {
            name: Some(owner.to_string()),
            lang,
            preferred: Some(self.preferred),
            variants: self.variants,
            exceptions: self.exceptions,
            inflect: self.inflect,
            safe: self.safe,
            owner: Some(owner),
            ..TermSetSpec::default()
        }
    }
}

pub(super) fn check(rule: &CustomRule, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let uses = crate::rules::terminology::variant_uses(
        doc,
        ctx.config,
        |s| s.owner == Some(rule.id),
        |o| rule.in_scope(doc, o),
    );
    for u in uses {
        let values = [
            ("match", u.text.as_str()),
            ("preferred", u.replacement.as_str()),
        ];
        let mut d = rule.diagnostic(u.m.span.clone(), &values);
        if d.help.is_none() {
            d = d.with_help(format!("write « {} »", u.replacement));
        }
        out.push(d.with_fix(u.fix()));
    }
}
