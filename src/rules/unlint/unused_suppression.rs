use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rules::Rule;

declare_rule! {
    /// ## What it checks
    /// Suppression markers that name an unknown rule, suppress no finding, or end no disable.
    ///
    /// The markers are `<!-- unlint-disable RULE -->` … `<!-- unlint-enable RULE -->` and
    /// `<!-- unlint-disable-next-line RULE -->` (or the same words alone on a plain-text line,
    /// optionally after `#` or `%%`); `RULE` is a rule id or a group, several separated by
    /// commas, none meaning every rule.
    ///
    /// ## Why it matters
    /// A misspelt rule id silently suppresses nothing, and a stale suppression left behind after
    /// the text was corrected would hide the next real defect in that place.
    ///
    /// ## Example
    /// ```text
    /// <!-- unlint-disable numbering/paragraf -->   <- unknown rule: did you mean numbering/paragraph?
    /// <!-- unlint-disable-next-line dates -->      <- the next line has no date finding
    /// 12. Le Comité a adopté le rapport.
    /// ```
    ///
    /// ## Configuration
    /// No options. A suppression of a rule that did not run (turned off in the configuration or
    /// left out by `--select`) is never reported as unused. The fix removes an unused marker line
    /// (safe: marker lines are invisible to readers); for an unknown id close to a real one, the
    /// fix (unsafe) replaces it with that id.
    pub struct UnusedSuppression = "unlint/unused-suppression", Severity::Warning;
}

/// Reported by [`crate::suppress::apply`] after the other rules ran, so `check` does nothing.
impl Rule for UnusedSuppression {
    crate::rule_meta!();

    fn fixable(&self) -> bool {
        true
    }
}
