//! Inline suppression comments (`<!-- unlint-disable RULE -->`).
//!
//! Not implemented yet: suppression arrives with issue 7; for now every diagnostic is kept.

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::engine::ActiveRule;

/// Removes diagnostics that the document suppresses, and reports unused suppressions.
pub fn apply(_doc: &Document, _path: &str, _diags: &mut Vec<Diagnostic>, _rules: &[ActiveRule]) {}
