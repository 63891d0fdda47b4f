//! Shared extractions over a [`Document`](crate::document::Document): references, dates and
//! terms. Each is one pass over the document's prose, computed on first use and cached on the
//! document, so that every rule reading it shares the work.

pub mod dates;
pub mod references;
pub mod terms;
pub mod words;

use std::sync::OnceLock;

/// Per-document cache of extractions.
#[derive(Debug, Default)]
pub struct ExtractCache {
    pub(crate) dates: OnceLock<dates::Dates>,
    pub(crate) references: OnceLock<references::References>,
    pub(crate) terms: OnceLock<terms::TermMatches>,
    pub(crate) words: OnceLock<words::Words>,
    /// Byte offsets of the backticks of the text (Markdown code spans), in order.
    pub(crate) backticks: OnceLock<Vec<usize>>,
    /// The original text, copied for [`Document::text`](crate::document::Document::text) when
    /// the prose view blanked something.
    pub(crate) text: OnceLock<String>,
    /// The code/URL marks and apostrophes that the typography rules share.
    pub(crate) typography: crate::rules::typography::SharedScans,
}
