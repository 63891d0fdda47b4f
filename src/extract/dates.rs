//! Extraction of dates (stub: filled in by its issue).

use serde::Deserialize;

/// Everything this extractor found in one document.
#[derive(Debug, Default)]
pub struct Dates {}

/// The `[dates]` section of the configuration.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatesConfig {}

impl DatesConfig {
    /// Merges a later configuration layer into this one (lists extend, scalars override).
    pub fn merge(&mut self, _later: DatesConfig) {}
}
