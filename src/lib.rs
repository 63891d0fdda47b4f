//! unlint: an editorial linter and consistency checker for UN-style reports.
//!
//! The pipeline: [`source`] reads and validates files, [`document::parse`] builds the document
//! model, [`extract`] computes references, dates and terms once per document, [`rules`] check
//! the model, [`engine`] runs everything in parallel and sorts the findings, [`report`] prints.

pub mod baseline;
pub mod compare;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod extract;
pub mod fix;
pub mod memory;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod text;
pub mod walk;

/// What the unit tests of several modules share.
#[cfg(test)]
pub(crate) mod test_support {
    /// The text of every seed document (`seeds/`), in file-name order.
    pub fn seed_texts() -> Vec<String> {
        let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// Every line of the seeds, trimmed, in order: the line recognisers' test input.
    pub fn seed_lines() -> Vec<String> {
        seed_texts()
            .iter()
            .flat_map(|t| t.lines().map(|l| l.trim().to_string()).collect::<Vec<_>>())
            .collect()
    }
}
