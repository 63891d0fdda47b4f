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
    /// (byte offset, characters before it) every [`MARK_STEP`] bytes, so that a column on a
    /// very long line costs a bounded count, not a count from the start of the line.
    marks: Vec<(usize, usize)>,
    /// The last position asked for: (byte offset, line, characters before it on its line).
    /// Diagnostics come sorted, so the next column is usually counted on from there instead
    /// of from the start of its line (lines of a Markdown export can be paragraphs long).
    last: std::cell::Cell<(usize, usize, usize)>,
}

/// Bytes between two character-count marks.
const MARK_STEP: usize = 4096;

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut marks = vec![(0, 0)];
        let (mut at, mut chars) = (0, 0);
        while at + MARK_STEP < text.len() {
            let next = floor_char_boundary(text, at + MARK_STEP);
            chars += text[at..next].chars().count();
            marks.push((next, chars));
            at = next;
        }
        LineIndex {
            text,
            starts,
            marks,
            last: std::cell::Cell::new((0, 1, 0)),
        }
    }

    /// Number of characters before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let k = self.marks.partition_point(|m| m.0 <= offset) - 1;
        let (at, chars) = self.marks[k];
        chars + self.text[at..offset].chars().count()
    }

    /// One index per file of the run, in file order (`None` where the file had no text).
    pub fn for_run(run: &crate::engine::RunResult) -> Vec<Option<LineIndex<'_>>> {
        run.files
            .iter()
            .map(|f| f.text().map(LineIndex::new))
            .collect()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let (last_offset, last_line, last_col) = self.last.get();
        let line = self.line_of(offset, last_line);
        let start = self.starts[line - 1];
        let col = if last_line == line && last_offset <= offset && offset - last_offset <= MARK_STEP
        {
            last_col + self.text[last_offset..offset].chars().count()
        } else if offset - start > MARK_STEP {
            self.chars_before(offset) - self.chars_before(start)
        } else {
            self.text[start..offset].chars().count()
        };
        self.last.set((offset, line, col));
        (line, col + 1)
    }

    /// The 1-based line of `offset`, searched from `near` (the line of the last position
    /// asked for) outwards: positions come mostly in order, and a binary search over every
    /// line start of a large file misses the cache at nearly every step.
    fn line_of(&self, offset: usize, near: usize) -> usize {
        let starts = &self.starts;
        // The answer is the number of line starts at or before `offset` (starts[0] is 0).
        let (mut lo, mut hi) = if starts[near - 1] <= offset {
            // Gallop forward: starts[lo - 1] <= offset, then find hi with starts[hi] > offset.
            let mut step = 1;
            let mut lo = near;
            loop {
                let probe = lo + step;
                if probe >= starts.len() || starts[probe] > offset {
                    break (lo, probe.min(starts.len()));
                }
                lo = probe;
                step *= 2;
            }
        } else {
            (1, near - 1)
        };
        // Now starts[lo - 1] <= offset and the answer is at most hi: finish by bisection.
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if starts[mid - 1] <= offset {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }

    /// A span's (line, column, end line, end column), 1-based.
    pub fn range(&self, span: &std::ops::Range<usize>) -> (usize, usize, usize, usize) {
        let (l, c) = self.line_col(span.start);
        let start = floor_char_boundary(self.text, span.start.min(self.text.len()));
        let end = floor_char_boundary(self.text, span.end.max(span.start).min(self.text.len()));
        // A span on one line (nearly all of them): count its own characters rather than the
        // line's again from its start.
        if end - start <= MARK_STEP && !self.text.as_bytes()[start..end].contains(&b'\n') {
            return (l, c, l, c + self.text[start..end].chars().count());
        }
        let (el, ec) = self.line_col(span.end.max(span.start));
        (l, c, el, ec)
    }
}

/// A diagnostic's position in its file: (line, column, end line, end column), 1-based.
pub fn position(index: Option<&LineIndex>, d: &Diagnostic) -> (usize, usize, usize, usize) {
    index.map_or((1, 1, 1, 1), |i| i.range(&d.span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_found_from_the_last_position_match_a_plain_count() {
        let text: String = (0..500).map(|i| "é".repeat(i % 7) + "ab\n").collect();
        let index = LineIndex::new(&text);
        // Forward, backward, repeated and far jumps, as unsorted findings would ask.
        let mut seed = 7u32;
        for _ in 0..3000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let offset = (seed >> 8) as usize % (text.len() + 3);
            assert_eq!(index.line_col(offset), line_col(&text, offset), "{offset}");
        }
        for offset in 0..text.len() {
            assert_eq!(index.line_col(offset), line_col(&text, offset), "{offset}");
        }
    }

    #[test]
    fn columns_on_a_long_line_match_a_plain_count() {
        let text = "é€a ".repeat(5000) + "\nfin";
        let index = LineIndex::new(&text);
        for offset in [
            0,
            1,
            2,
            5,
            4095,
            4096,
            4097,
            9000,
            40_000,
            text.len() - 1,
            text.len(),
        ] {
            assert_eq!(index.line_col(offset), line_col(&text, offset), "{offset}");
        }
    }

    #[test]
    fn columns_do_not_depend_on_the_order_positions_are_asked_in() {
        // The index counts on from the last position asked: any order must give the same.
        let text = "é€a b\n".repeat(300) + &"xé ".repeat(3000) + "\nfin\n";
        let index = LineIndex::new(&text);
        let mut offset = 7usize;
        for _ in 0..2000 {
            // A scrambled walk over character boundaries, forwards and backwards.
            offset = (offset * 7919 + 104_729) % (text.len() + 1);
            let at = floor_char_boundary(&text, offset);
            assert_eq!(index.line_col(at), line_col(&text, at), "{at}");
            let span = at..floor_char_boundary(&text, (at + offset % 50).min(text.len()));
            let (l, c) = line_col(&text, span.start);
            let (el, ec) = line_col(&text, span.end);
            assert_eq!(index.range(&span), (l, c, el, ec), "{span:?}");
        }
    }
}
