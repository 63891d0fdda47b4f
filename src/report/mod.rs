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

/// A diagnostic's position in its file: (line, column, end line, end column), 1-based.
pub fn position(text: Option<&str>, d: &Diagnostic) -> (usize, usize, usize, usize) {
    match text {
        Some(t) => {
            let (l, c) = line_col(t, d.span.start);
            let (el, ec) = line_col(t, d.span.end);
            (l, c, el, ec)
        }
        None => (1, 1, 1, 1),
    }
}
