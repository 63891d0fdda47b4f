//! Output formats: human (codespan), JSON, SARIF 2.1.0, GitHub Actions workflow commands.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::diagnostic::Diagnostic;

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].bytes().filter(|b| *b == b'\n').count() + 1;
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Line starts of one text, so that positions cost a binary search rather than a scan from
/// the start of the file (thousands of findings in a 20 MB file would be quadratic).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// One index per file of the run, in file order (`None` where the file had no text).
    pub fn for_run(run: &crate::engine::RunResult) -> Vec<Option<LineIndex<'_>>> {
        run.files
            .iter()
            .map(|f| f.text.as_deref().map(LineIndex::new))
            .collect()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// A span's (line, column, end line, end column), 1-based.
    pub fn range(&self, span: &std::ops::Range<usize>) -> (usize, usize, usize, usize) {
        let (l, c) = self.line_col(span.start);
        let (el, ec) = self.line_col(span.end.max(span.start));
        (l, c, el, ec)
    }
}

/// A diagnostic's position in its file: (line, column, end line, end column), 1-based.
pub fn position(index: Option<&LineIndex>, d: &Diagnostic) -> (usize, usize, usize, usize) {
    index.map_or((1, 1, 1, 1), |i| i.range(&d.span))
}
