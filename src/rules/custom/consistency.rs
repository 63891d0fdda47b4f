//! `kind = "consistency"`: forms of which a document should use only one.

use super::CustomRule;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::extract::terms::{LangFilter, TermSetSpec};
use crate::rules::Context;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Spec {
    pub(super) forms: Vec<String>,
    #[serde(default)]
    exceptions: Vec<String>,
    #[serde(default = "yes")]
    inflect: bool,
}

fn yes() -> bool {
    true
}

impl Spec {
    pub(super) fn set(self, owner: &'static str, lang: LangFilter) -> TermSetSpec {
        TermSetSpec {
            name: Some(owner.to_string()),
            lang,
            accepted: self.forms,
            exceptions: self.exceptions,
            inflect: self.inflect,
            owner: Some(owner),
            ..TermSetSpec::default()
        }
    }
}

pub(super) fn check(rule: &CustomRule, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let uses = crate::rules::terminology::drift_uses(
        doc,
        ctx.config,
        |s| s.owner == Some(rule.id),
        |o| rule.in_scope(doc, o),
    );
    for u in uses {
        let (count, other_count) = (u.minority_count.to_string(), u.majority_count.to_string());
        let values = [
            ("match", u.text.as_str()),
            ("other", u.replacement.as_str()),
            ("count", count.as_str()),
            ("other_count", other_count.as_str()),
        ];
        let mut d = rule.diagnostic(u.m.span.clone(), &values).with_label(
            u.majority_first.clone(),
            format!("« {} » is first used here", u.set.member(u.majority)),
        );
        if d.help.is_none() {
            d = d.with_help(format!(
                "use one form throughout: « {} » as in the rest of the document",
                u.replacement
            ));
        }
        out.push(d.with_fix(u.fix()));
    }
}
