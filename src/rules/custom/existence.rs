//! `kind = "existence"`: forbidden words or phrases.

use super::CustomRule;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::extract::terms::{LangFilter, TermSetSpec};
use crate::rules::Context;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Spec {
    pub(super) tokens: Vec<String>,
    #[serde(default)]
    exceptions: Vec<String>,
    /// Also match the plural and agreement of the tokens (default false: as written).
    #[serde(default)]
    inflect: bool,
}

impl Spec {
    pub(super) fn set(self, owner: &'static str, lang: LangFilter) -> TermSetSpec {
        TermSetSpec {
            name: Some(owner.to_string()),
            lang,
            accepted: self.tokens,
            exceptions: self.exceptions,
            inflect: self.inflect,
            owner: Some(owner),
            ..TermSetSpec::default()
        }
    }
}

pub(super) fn check(rule: &CustomRule, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let sets = &ctx.config.terminology.matcher().sets;
    for m in &doc.terms(ctx.config).matches {
        if sets[m.set].owner != Some(rule.id) || m.quoted || !rule.in_scope(doc, m.span.start) {
            continue;
        }
        let text = crate::rules::terminology::matched_text(doc, &m.span);
        out.push(rule.diagnostic(m.span.clone(), &[("match", text.as_str())]));
    }
}
