use super::SetSeverity;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{Context, Rule};

declare_rule! {
    /// ## What it checks
    /// A variant of a term used where the house prefers another form: « phishing » for
    /// « hameçonnage », « droits humains » for « droits de l'homme », "cyber-crime" for
    /// "cybercrime". The help gives the preferred form inflected like the variant
    /// (« logiciels rançonneurs » for « ransomwares »), as a fix.
    ///
    /// Matching is case-insensitive and ignores line breaks, double spaces, hyphens and the kind
    /// of apostrophe; French forms match in the singular and plural and with adjective agreement.
    /// Text in « guillemets » (titles, quotations), a gloss in parentheses right after the
    /// preferred form (« réseaux d'ordinateurs zombies (botnets) ») and proper names listed as
    /// exceptions (« Conseil des droits de l'homme ») are not reported.
    ///
    /// ## Why it matters
    /// Translation services keep term lists so that a concept reads the same in every report;
    /// an anglicism or a non-standard form in an official document has to be corrected by
    /// the editor anyway.
    ///
    /// ## Example
    /// ```text
    /// 12. Les attaques par phishing se multiplient.      <- « hameçonnage »
    /// ```
    ///
    /// ## Configuration
    /// The sets are data: `[[terminology.set]]` tables in `rules/terminology-fr.toml` and
    /// `rules/terminology-en.toml`, extended by your `unlint.toml`:
    /// ```toml
    /// [[terminology.set]]
    /// lang = "fr"                      # fr, en or any
    /// preferred = "hameçonnage"
    /// variants = ["phishing"]          # reported by this rule
    /// accepted = []                    # other correct forms: only mixing them is reported
    /// exceptions = []                  # proper names left alone
    /// safe = false                     # true: --fix may apply the replacement
    /// severity = "info"                # optional: weaker than the rule's severity
    /// note = "terme officiel"
    /// source = "FranceTerme"
    /// ```
    /// The fix is unsafe (shown, not applied by `--fix`) unless the set says `safe = true`.
    pub struct Preferred = "terminology/preferred", Severity::Warning;
}

impl Rule for Preferred {
    crate::rule_meta!();

    fn fixable(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let uses = super::variant_uses(doc, ctx.config, |s| s.owner.is_none(), |_| true);
        for u in uses {
            out.push(
                Diagnostic::new(
                    Self::ID,
                    u.m.span.clone(),
                    format!(
                        "« {} » is not the preferred term: the house writes « {} »",
                        u.text, u.replacement
                    ),
                )
                .with_help(format!("write « {} »{}", u.replacement, super::note(u.set)))
                .with_fix(u.fix())
                .with_set_severity(u.set),
            );
        }
    }
}
