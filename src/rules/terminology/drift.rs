use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{Context, CorpusEntry, Rule};
use serde::Deserialize;

declare_rule! {
    /// ## What it checks
    /// A document that uses two forms of one term: « preuves numériques » beside « preuves
    /// électroniques », « cryptomonnaies » beside « cybermonnaies ». Every use of the less
    /// frequent form is reported with the counts of both and the first use of the more frequent
    /// one. When several files are checked together, a file that consistently uses a form the
    /// other files do not is reported once, at its first use.
    ///
    /// Forms come from the term sets (the preferred and accepted forms of each set; variants are
    /// `terminology/preferred`'s business). Quoted titles and glosses in parentheses do not count.
    ///
    /// ## Why it matters
    /// Two words for one concept make the reader wonder whether two things are meant, and a
    /// translation memory then propagates both.
    ///
    /// ## Example
    /// ```text
    /// 5. … la recevabilité des preuves électroniques …
    /// 9. … la conservation des preuves numériques …      <- « preuves électroniques »
    /// ```
    ///
    /// ## Configuration
    /// Sets are `[[terminology.set]]` tables (see `terminology/preferred`); a set without a
    /// preferred form lists its forms under `accepted`. Options:
    /// ```toml
    /// [rules."terminology/drift"]
    /// corpus = true    # also compare the files checked together (default true)
    /// ```
    pub struct Drift = "terminology/drift", Severity::Warning;
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct Options {
    corpus: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { corpus: true }
    }
}

impl Rule for Drift {
    crate::rule_meta!();

    fn fixable(&self) -> bool {
        true
    }

    fn validate_params(&self, params: &toml::Table) -> Result<(), String> {
        crate::rules::validate_as::<Options>(params)
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let mut texts = super::DriftTexts::default();
        for u in super::drift_uses(doc, ctx.config, |s| s.owner.is_none(), |_| true) {
            out.push(u.diagnostic(Self::ID, &mut texts));
        }
    }

    fn check_corpus(&self, docs: &[CorpusEntry], ctx: &Context, out: &mut Vec<Diagnostic>) {
        if !ctx.params::<Options>().corpus {
            return;
        }
        out.extend(super::corpus_drift(
            docs,
            ctx.config,
            Self::ID,
            |s| s.owner.is_none(),
            |_, _| true,
        ));
    }
}
