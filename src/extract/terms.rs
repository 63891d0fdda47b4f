//! Extraction of terms (stub: filled in by its issue).

use serde::Deserialize;

/// Everything this extractor found in one document.
#[derive(Debug, Default)]
pub struct TermMatches {}

/// The `[terminology]` section of the configuration.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminologyConfig {}

impl TerminologyConfig {
    /// Merges a later configuration layer into this one (lists extend, scalars override).
    pub fn merge(&mut self, _later: TerminologyConfig) {}
}
