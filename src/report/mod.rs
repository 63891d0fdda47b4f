//! Output formats: human (codespan), JSON, SARIF 2.1.0, GitHub Actions workflow commands.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::diagnostic::Diagnostic;
use crate::document::Line;

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = text.floor_char_boundary(offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].bytes().filter(|b| *b == b'\n').count() + 1;
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
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
            let next = text.floor_char_boundary(at + MARK_STEP);
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
        let offset = self.text.floor_char_boundary(offset);
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
        let start = self.text.floor_char_boundary(span.start);
        let end = self.text.floor_char_boundary(span.end.max(span.start));
        // A span on one line (nearly all of them): count its own characters rather than the
        // line's again from its start.
        if end - start <= MARK_STEP && !self.text.as_bytes()[start..end].contains(&b'\n') {
            return (l, c, l, c + self.text[start..end].chars().count());
        }
        let (el, ec) = self.line_col(span.end.max(span.start));
        (l, c, el, ec)
    }
}

/// Number of characters in `bytes` (whole UTF-8 characters): the bytes that are not
/// continuation bytes (`10xxxxxx`), which is what `str::chars().count()` returns. Counted 8
/// bytes at a time, in lanes of one byte.
pub fn count_chars(bytes: &[u8]) -> usize {
    let whole = bytes.len() / 8 * 8;
    let mut continuations = bytes[whole..].iter().filter(|&&b| b & 0xC0 == 0x80).count();
    // At most 255 words per batch, so that no lane overflows.
    for batch in bytes[..whole].chunks(8 * 255) {
        let mut lanes = 0u64;
        for w in batch.chunks_exact(8) {
            lanes += continuation_lanes(word(w));
        }
        continuations += lane_sum(lanes) as usize;
    }
    bytes.len() - continuations
}

/// The 8 bytes of `w` as a little-endian word.
#[inline(always)]
fn word(w: &[u8]) -> u64 {
    u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]])
}

/// A 1 in the low bit of each byte lane of `w` that is a continuation byte: top bit set and
/// the next one clear, moved down to the lane's low bit.
#[inline(always)]
fn continuation_lanes(w: u64) -> u64 {
    (w & !(w << 1) & crate::text::HIGH) >> 7
}

/// The sum of the eight byte lanes of `lanes`, summed in pairs into 16-bit lanes first: eight
/// lanes can add up past 255.
#[inline(always)]
fn lane_sum(lanes: u64) -> u64 {
    const PAIRS: u64 = 0x00FF_00FF_00FF_00FF;
    let pairs = (lanes & PAIRS) + ((lanes >> 8) & PAIRS);
    pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48
}

/// Number of characters in `bytes[from..to]`, as [`count_chars`] counts them. The cursor
/// counts a short stretch per finding (the gap from the last one, the span).
///
/// On x86-64, by SSE2: 16 bytes a step (a signed compare finds the continuation bytes, which
/// are subtracted into byte lanes), the last `(to - from) % 16` as the 16 bytes that end at
/// `to` with the ones before them masked off; other targets use the 8-byte words of
/// [`count_chars_between_words`], which a test compares with it. Not a `#[target_feature]`
/// function: those were not inlined, and a call cost more than the count.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn count_chars_between(bytes: &[u8], from: usize, to: usize) -> usize {
    use crate::text::load16;
    use std::arch::x86_64::{
        _mm_add_epi64, _mm_and_si128, _mm_cmplt_epi8, _mm_cvtsi128_si64, _mm_sad_epu8,
        _mm_set1_epi8, _mm_setzero_si128, _mm_sub_epi8, _mm_unpackhi_epi64,
    };
    let len = to - from;
    let tail = len % 16;
    // No 16 bytes end at `to` at the start of the text; a long stretch would overflow a lane.
    if (tail != 0 && to < 16) || len >= 16 * 255 {
        return count_chars(&bytes[from..to]);
    }
    // SAFETY: the intrinsics (and `load16`) need SSE2 only, which this target enables (the
    // `cfg` above); every load reads a 16-byte slice.
    let continuations = unsafe {
        // Continuation bytes, 0x80..=0xBF, are the bytes below -64 as signed bytes.
        let below = _mm_set1_epi8(-64);
        let mut lanes = _mm_setzero_si128();
        for block in bytes[from..to].chunks_exact(16) {
            lanes = _mm_sub_epi8(lanes, _mm_cmplt_epi8(load16(block, 0), below));
        }
        if tail != 0 {
            let last = _mm_cmplt_epi8(load16(&bytes[to - 16..to], 0), below);
            let keep = load16(&TAIL_MASK[tail..tail + 16], 0);
            lanes = _mm_sub_epi8(lanes, _mm_and_si128(last, keep));
        }
        // At most 255 a lane; `psadbw` adds each half's eight lanes.
        let halves = _mm_sad_epu8(lanes, _mm_setzero_si128());
        _mm_cvtsi128_si64(_mm_add_epi64(halves, _mm_unpackhi_epi64(halves, halves)))
    };
    len - continuations as usize
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn count_chars_between(bytes: &[u8], from: usize, to: usize) -> usize {
    count_chars_between_words(bytes, from, to)
}

/// For the last bytes of a stretch: `TAIL_MASK[t..t + 16]` keeps the high `t` bytes of 16.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
const TAIL_MASK: [u8; 32] = {
    let mut mask = [0u8; 32];
    let mut i = 16;
    while i < 32 {
        mask[i] = 0xFF;
        i += 1;
    }
    mask
};

/// Number of characters in `bytes[from..to]`, as [`count_chars`] counts them, with the last
/// `(to - from) % 8` bytes read as one word: the 8 bytes that end at `to`, the ones before
/// `from` masked off. The cursor counts a short stretch per finding (the gap from the last one,
/// the span), and a byte loop over up to 7 of them cost more than the words.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
#[inline(always)]
fn count_chars_between_words(bytes: &[u8], from: usize, to: usize) -> usize {
    let len = to - from;
    let (tail, whole) = (len % 8, len - len % 8);
    // No word ends at `to` at the start of the text; a long stretch needs the batches.
    if (tail != 0 && to < 8) || whole > 8 * 254 {
        return count_chars(&bytes[from..to]);
    }
    // At most 254 words and the tail: no lane reaches 256.
    let mut lanes = 0u64;
    for w in bytes[from..from + whole].chunks_exact(8) {
        lanes += continuation_lanes(word(w));
    }
    if tail != 0 {
        // The tail is the high `tail` bytes of the word that ends at `to` (little-endian).
        let w = word(&bytes[to - 8..to]) & (u64::MAX << (8 * (8 - tail)));
        lanes += continuation_lanes(w);
    }
    // Under 256 bytes no partial sum of the lanes reaches 256: one multiplication adds them.
    let continuations = if len < 256 {
        lanes.wrapping_mul(0x0101_0101_0101_0101) >> 56
    } else {
        lane_sum(lanes)
    };
    len - continuations as usize
}

/// Positions of one file's findings in the order they come, walked forward from the last
/// one: findings come sorted by position, so a run's positions cost one pass over the text and
/// no index of its lines. The cursor keeps the line it is on (its start and the newline that
/// ends it), so a finding on that line, the common case, costs a character count of the gap
/// from the last one and of its own span, and a move to a later line a newline search per line
/// crossed, or with the parser's lines ([`Cursor::with_lines`]) a look at the next line's
/// start, no text read. A step backwards, or a long jump once one was seen, asks a
/// [`LineIndex`] built on first need, so that any order stays linear. Gives exactly what
/// [`LineIndex::range`] gives.
pub struct Cursor<'a> {
    text: &'a str,
    /// The text's lines as the parser split them (at every newline), or none: where each line
    /// starts, so that a move to a later line reads none of the text it crosses (about half
    /// of a report's bytes lie on lines without a finding).
    lines: &'a [Line],
    /// The last start asked for (a character boundary), its 1-based line and the characters
    /// before it on that line.
    at: usize,
    line: usize,
    col: usize,
    /// The offset of the newline that ends the cursor's line (`text.len()` on the last line):
    /// offsets up to it are on that line.
    line_end: usize,
    index: Option<LineIndex<'a>>,
}

/// Past this many bytes to the next offset, a move counts the newlines of the gap at once
/// rather than searching them one by one.
const LONG_GAP: usize = 256;

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Cursor::with_lines(text, &[])
    }

    /// A cursor that finds line ends in `lines`, the text's lines as the parser split them
    /// (empty: searched in the text).
    pub fn with_lines(text: &'a str, lines: &'a [Line]) -> Self {
        debug_assert!(
            lines.is_empty()
                || lines.len() == memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1
        );
        let mut cursor = Cursor {
            text,
            lines,
            at: 0,
            line: 1,
            col: 0,
            line_end: 0,
            index: None,
        };
        cursor.line_end = cursor.end_of_line(1, 0);
        cursor
    }

    /// The offset of the newline that ends line `line` (1-based), which starts at `start`, or
    /// the text's length on the last line.
    #[inline(always)]
    fn end_of_line(&self, line: usize, start: usize) -> usize {
        if self.lines.is_empty() {
            newline_from(self.text.as_bytes(), start)
        } else {
            // The next line starts after the newline.
            self.lines
                .get(line)
                .map_or(self.text.len(), |next| next.start() - 1)
        }
    }

    /// A span's (line, column, end line, end column), 1-based.
    pub fn range(&mut self, span: &std::ops::Range<usize>) -> (usize, usize, usize, usize) {
        let start = self.text.floor_char_boundary(span.start);
        let end = self.text.floor_char_boundary(span.end.max(span.start));
        let (line, col) = self.seek(start);
        let (end_line, end_col) = if end <= self.line_end {
            // On the cursor's line (nearly every span).
            (
                line,
                col + count_chars_between(self.text.as_bytes(), start, end),
            )
        } else if end - start <= MARK_STEP {
            advance(self.text.as_bytes(), (start, line, col), end)
        } else {
            let (l, c) = self.index().line_col(end);
            (l, c - 1)
        };
        (line, col + 1, end_line, end_col + 1)
    }

    /// Moves to `offset` (a character boundary); returns its line and the characters before
    /// it on that line.
    fn seek(&mut self, offset: usize) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        if offset < self.at || (offset - self.at > MARK_STEP && self.index.is_some()) {
            let index = self.index();
            let (line, col) = index.line_col(offset);
            let line_end = index.starts.get(line).map_or(bytes.len(), |s| s - 1);
            (self.line, self.col, self.line_end) = (line, col - 1, line_end);
        } else {
            let mut from = self.at;
            if offset > self.line_end {
                // Later lines: the characters are counted from the start of the offset's line.
                if self.lines.is_empty() && offset - self.line_end > LONG_GAP {
                    let gap = &bytes[self.line_end..offset];
                    self.line += memchr::memchr_iter(b'\n', gap).count();
                    from = memchr::memrchr(b'\n', gap).map_or(0, |i| i + 1) + self.line_end;
                    self.line_end = newline_from(bytes, offset);
                } else {
                    loop {
                        from = self.line_end + 1;
                        self.line += 1;
                        self.line_end = self.end_of_line(self.line, from);
                        if offset <= self.line_end {
                            break;
                        }
                    }
                }
                self.col = 0;
            }
            self.col += count_chars_between(bytes, from, offset);
        }
        self.at = offset;
        (self.line, self.col)
    }

    fn index(&mut self) -> &LineIndex<'a> {
        let text = self.text;
        self.index.get_or_insert_with(|| LineIndex::new(text))
    }
}

/// The offset of the first newline at or after `from`, or `bytes.len()` if there is none.
///
/// The cursor asks this once for every line it crosses, and half of a report's lines are
/// under 70 bytes: on x86-64 their first [`NEAR_NEWLINE`] bytes are searched 16 at a time by
/// SSE2 in line (a call to `memchr` cost about 70 instructions a line), the rest by `memchr`.
#[inline]
fn newline_from(bytes: &[u8], from: usize) -> usize {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    let from = {
        let near = bytes.len().min(from + NEAR_NEWLINE);
        let mut at = from;
        while at + 16 <= near {
            let bits = crate::text::newline_bits16(bytes, at);
            if bits != 0 {
                return at + bits.trailing_zeros() as usize;
            }
            at += 16;
        }
        at
    };
    memchr_newline_from(bytes, from)
}

/// [`newline_from`] by `memchr` alone.
#[inline]
fn memchr_newline_from(bytes: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i)
}

/// Bytes after a line start searched in line for its newline before `memchr` takes over.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
const NEAR_NEWLINE: usize = 128;

/// The line and characters-before-on-its-line of `to`, from those of `from` (`from <= to`).
fn advance(bytes: &[u8], (from, line, col): (usize, usize, usize), to: usize) -> (usize, usize) {
    let gap = &bytes[from..to];
    match memchr::memrchr(b'\n', gap) {
        None => (line, col + count_chars(gap)),
        Some(last) => (
            line + 1 + memchr::memchr_iter(b'\n', &gap[..last]).count(),
            count_chars(&gap[last + 1..]),
        ),
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
    fn characters_counted_by_words_match_chars_count() {
        let text: String = (0..3000)
            .map(|i| ["a", "é", "€", "😀", "\n", "x y"][i * 7 % 6])
            .collect();
        for from in [0, 1, 3, 8, 17] {
            let mut to = from;
            while to <= text.len() {
                if text.is_char_boundary(from) && text.is_char_boundary(to) {
                    let s = &text[from..to];
                    assert_eq!(count_chars(s.as_bytes()), s.chars().count(), "{from}..{to}");
                    assert_eq!(
                        count_chars_between(text.as_bytes(), from, to),
                        s.chars().count(),
                        "{from}..{to}"
                    );
                    assert_eq!(
                        count_chars_between_words(text.as_bytes(), from, to),
                        s.chars().count(),
                        "{from}..{to}"
                    );
                }
                to += 1 + to / 3;
            }
        }
        // Every tail length, near the start of the text and past the batch limit.
        for (from, to) in (0..40).flat_map(|from| (from..from + 40).map(move |to| (from, to))) {
            for (from, to) in [(from, to), (from + 100, to + 2200)] {
                if text.is_char_boundary(from) && text.is_char_boundary(to) {
                    let s = &text[from..to];
                    let counted = count_chars_between(text.as_bytes(), from, to);
                    assert_eq!(counted, s.chars().count(), "{from}..{to}");
                    let counted = count_chars_between_words(text.as_bytes(), from, to);
                    assert_eq!(counted, s.chars().count(), "{from}..{to}");
                }
            }
        }
    }

    #[test]
    fn the_newline_search_agrees_with_memchr() {
        // Lines from empty to past the in-line search, and a text that ends without one.
        let text: String = (0..300).map(|i| "é".repeat(i * 7 % 170) + "\n").collect();
        for text in [
            text.as_bytes(),
            &text.as_bytes()[..text.len() - 5],
            &b""[..],
            &b"ab"[..],
        ] {
            for from in 0..=text.len() {
                assert_eq!(
                    newline_from(text, from),
                    memchr_newline_from(text, from),
                    "{from}"
                );
            }
        }
    }

    #[test]
    fn the_cursor_gives_what_the_line_index_gives() {
        let text = "é€a b\n".repeat(300) + &"xé ".repeat(3000) + "\n\nfin\n" + &"ab\n".repeat(2000);
        let index = LineIndex::new(&text);
        let mut seed = 11u32;
        let mut spans: Vec<std::ops::Range<usize>> = (0..3000)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let start = (seed >> 8) as usize % (text.len() + 5);
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let len = match seed >> 28 {
                    0 => 9000,
                    1 => 0,
                    2 => usize::MAX / 2,
                    _ => (seed >> 8) as usize % 60,
                };
                start..start.saturating_add(len)
            })
            .collect();
        // A reversed span, as a faulty rule could hand over.
        spans.push(std::ops::Range { start: 7, end: 3 });
        // Unsorted (steps back and long jumps), then sorted as the engine hands them over.
        for sorted in [false, true] {
            if sorted {
                spans.sort_by_key(|s| (s.start, s.end));
            }
            let doc = crate::document::parse(text.clone());
            for lines in [&[][..], &doc.lines] {
                let mut cursor = Cursor::with_lines(&text, lines);
                for span in &spans {
                    assert_eq!(cursor.range(span), index.range(span), "{span:?}");
                }
            }
        }
    }

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
            let at = text.floor_char_boundary(offset);
            assert_eq!(index.line_col(at), line_col(&text, at), "{at}");
            let span = at..text.floor_char_boundary(at + offset % 50);
            let (l, c) = line_col(&text, span.start);
            let (el, ec) = line_col(&text, span.end);
            assert_eq!(index.range(&span), (l, c, el, ec), "{span:?}");
        }
    }
}
