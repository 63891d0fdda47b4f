use crate::declare_rule;
use crate::diagnostic::Severity;
declare_rule! {
    /// ## What it checks
    /// x
    pub struct Spacing = "typography/spacing", Severity::Warning;
}
impl crate::rules::Rule for Spacing { crate::rule_meta!(); }
