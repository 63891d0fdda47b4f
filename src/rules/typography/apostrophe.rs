use crate::declare_rule;
use crate::diagnostic::Severity;
declare_rule! {
    /// ## What it checks
    /// x
    pub struct Apostrophe = "typography/apostrophe", Severity::Warning;
}
impl crate::rules::Rule for Apostrophe { crate::rule_meta!(); }
