//! Diagnostics: what a rule reports.

use crate::document::Span;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One replacement of a byte span by new text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    /// Shared, like [`Diagnostic::message`]: a rule fixing thousands of spans the same way
    /// (one apostrophe for another) allocates the replacement once.
    pub replacement: Arc<str>,
}

/// A fix attached to a diagnostic. Only `safe` fixes are applied by `--fix`.
///
/// One edit, held in place: every fix a rule makes replaces one span. A boxed list of edits
/// cost an allocation per fix, and the typography rules fix a hundred thousand spans of a
/// 20 MB report (docs/performance.md, round 10). [`Fix::edits`] is what the fixer and the
/// reports read, so a fix of several edits can come back as another variant of this type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub edit: Edit,
    /// A safe fix never changes meaning (OCR repair, spacing); unsafe ones are shown only.
    pub safe: bool,
}

impl Fix {
    #[inline]
    pub fn safe(span: Span, replacement: impl Into<Arc<str>>) -> Fix {
        Fix {
            edit: Edit {
                span,
                replacement: replacement.into(),
            },
            safe: true,
        }
    }
    #[inline]
    pub fn unsafe_(span: Span, replacement: impl Into<Arc<str>>) -> Fix {
        Fix {
            safe: false,
            ..Fix::safe(span, replacement)
        }
    }
    /// The edits of the fix, in order.
    pub fn edits(&self) -> &[Edit] {
        std::slice::from_ref(&self.edit)
    }
}

/// A secondary location shown with a diagnostic, possibly in another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// `None` means the diagnostic's own file.
    pub path: Option<Arc<str>>,
    pub span: Span,
    pub message: String,
}

/// A finding of a rule at a span of one file.
///
/// 128 bytes: a run can hold hundreds of thousands (145 000 on the 20 MB bench file, a third
/// of its peak memory). The fields a finding seldom has or always shares are held by thin
/// pointers ([`Labels`], [`FilePath`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    /// Whether the rule chose the severity itself (otherwise the engine sets the configured one).
    pub severity_set: bool,
    pub span: Span,
    /// Lower-case start, no trailing period; says what is wrong. An `Arc<str>`, not a
    /// `String`: a run can hold hundreds of thousands of findings, `format!` leaves spare
    /// capacity, and a rule whose findings all say the same (one per straight apostrophe)
    /// shares one allocation among them.
    pub message: Arc<str>,
    /// What to do about it.
    pub help: Option<Arc<str>>,
    pub labels: Labels,
    pub fix: Option<Fix>,
    /// Set by the engine: the file the diagnostic is about.
    pub path: FilePath,
}

/// The secondary locations of a diagnostic, read as a slice: one word, empty without an
/// allocation (most findings have no label).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
// The box is the point: a `Vec` would be three words in every finding.
#[allow(clippy::box_collection)]
pub struct Labels(Option<Box<Vec<Label>>>);

impl Labels {
    fn push(&mut self, label: Label) {
        match &mut self.0 {
            Some(labels) => labels.push(label),
            // Sized for one (nearly always the only one): a first `push` reserves four.
            None => self.0 = Some(Box::new(vec![label])),
        }
    }
}

impl std::ops::Deref for Labels {
    type Target = [Label];
    fn deref(&self) -> &[Label] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = &'a Label;
    type IntoIter = std::slice::Iter<'a, Label>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The path of a diagnostic's file, read as a `&str`: one word pointing at a path shared by
/// every finding of the file (an `Arc<str>` is two). `None` until the engine places the
/// finding, read as "": a rule makes a finding without touching a shared path (the thread-local
/// empty path it cloned cost about 75 instructions a finding). Compared and hashed as the text.
#[derive(Debug, Clone, Default)]
pub struct FilePath(Option<Arc<Arc<str>>>);

impl std::ops::Deref for FilePath {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.0.as_deref().map_or("", |path| path)
    }
}

impl PartialEq for FilePath {
    fn eq(&self, other: &FilePath) -> bool {
        **self == **other
    }
}

impl Eq for FilePath {}

impl std::hash::Hash for FilePath {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl From<&Arc<str>> for FilePath {
    fn from(path: &Arc<str>) -> FilePath {
        FilePath(Some(Arc::new(path.clone())))
    }
}

impl From<&str> for FilePath {
    fn from(path: &str) -> FilePath {
        FilePath(Some(Arc::new(Arc::from(path))))
    }
}

impl fmt::Display for FilePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl Diagnostic {
    /// A diagnostic with the rule's configured severity filled in later by the engine.
    #[inline]
    pub fn new(rule: &'static str, span: Span, message: impl Into<Arc<str>>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: Severity::Warning,
            severity_set: false,
            span,
            message: message.into(),
            help: None,
            labels: Labels::default(),
            fix: None,
            path: FilePath::default(),
        }
    }
    #[inline]
    pub fn with_help(mut self, help: impl Into<Arc<str>>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_label(self, span: Span, message: impl Into<String>) -> Self {
        self.push_label(Label {
            path: None,
            span,
            message: message.into(),
        })
    }
    pub fn with_label_in(self, path: Arc<str>, span: Span, message: impl Into<String>) -> Self {
        self.push_label(Label {
            path: Some(path),
            span,
            message: message.into(),
        })
    }
    fn push_label(mut self, label: Label) -> Self {
        self.labels.push(label);
        self
    }
    #[inline]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
    /// Overrides the configured severity for this finding (e.g. `info` for a weaker case).
    #[inline]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self.severity_set = true;
        self
    }
}

#[cfg(test)]
mod tests {
    /// A run can hold hundreds of thousands of findings: keep one from growing unnoticed.
    #[test]
    fn a_finding_stays_small() {
        assert!(std::mem::size_of::<super::Diagnostic>() <= 128);
    }
}
