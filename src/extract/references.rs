//! Extraction of references (stub: filled in by its issue).

use serde::Deserialize;

/// Everything this extractor found in one document.
#[derive(Debug, Default)]
pub struct References {}

/// The `[references]` section of the configuration.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferencesConfig {}

impl ReferencesConfig {
    /// Merges a later configuration layer into this one (lists extend, scalars override).
    pub fn merge(&mut self, _later: ReferencesConfig) {}
}
