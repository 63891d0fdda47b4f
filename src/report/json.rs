//! `--format json`: one JSON object, schema version 1 (public API, see README).
//!
//! The document is written by hand, byte for byte what `serde_json::to_writer_pretty` writes
//! for the same fields (a test holds the two together): a large run yields hundreds of
//! thousands of findings, and the generic serializer spent about 18 instructions per byte of
//! output on them, more than the rule that found them.

use crate::engine::RunResult;
use std::io::Write;

/// Writes the run as the version-1 JSON document to `out`, in pieces of about 64 KB.
///
/// A finding is written as three pieces: its head (the separator from the previous one, the
/// rule, severity and path), escaped once per distinct head and kept by the addresses of its
/// strings ([`Heads`]); its position; and its message and help, copied into the output as they
/// are checked for characters to escape ([`Output::push_string`]). Checking a message costs
/// about what finding its escaped copy again did, without the cache: a large run has hundreds
/// of distinct messages, interleaved as the findings of different rules are.
pub fn write(run: &RunResult, out: &mut impl Write) -> std::io::Result<()> {
    let mut buf = Output::new(out);
    buf.push(b"{\n  \"version\": 1,\n  \"files_checked\": ")?;
    let mut digits = [0u8; 20];
    let len = put_uint(&mut digits, 0, run.files.len());
    buf.push(&digits[..len])?;
    buf.push(b",\n  \"diagnostics\": [")?;
    let mut first = true;
    // The head starts with the `,` that separates it from the previous finding; the first
    // finding skips it.
    let mut heads = Heads::default();
    // Line 0 is no finding's.
    let mut last_line: LineDigits = (0, eight_digits(0));
    for f in &run.files {
        let mut cursor = f
            .text()
            .map(|text| super::Cursor::with_lines(text, &f.lines));
        for d in &f.diagnostics {
            buf.push(&heads.get(d)[usize::from(first)..])?;
            first = false;
            let position = cursor.as_mut().map_or((1, 1, 1, 1), |c| c.range(&d.span));
            let room = buf.room(POSITION_MAX)?;
            let len = put_position(room, position, &mut last_line);
            buf.len += len;
            buf.push(b",\n      \"message\": ")?;
            buf.push_string(&d.message)?;
            if let Some(help) = d.help.as_deref() {
                buf.push(b",\n      \"help\": ")?;
                buf.push_string(help)?;
            }
            buf.push(b"\n    }")?;
        }
    }
    buf.push(if first { b"]\n}\n" } else { b"\n  ]\n}\n" })?;
    buf.flush()
}

/// The document's bytes on their way to the writer, in pieces of about [`FLUSH_AT`] bytes.
///
/// The buffer keeps its full length and `len` counts the bytes written: a position is written
/// in place, field by field, into bytes that need no zeroing first (what lies past `len` is
/// never written out), rather than assembled on the stack and appended.
struct Output<'w, W: Write> {
    buf: Vec<u8>,
    len: usize,
    out: &'w mut W,
}

/// Written out once this many bytes are buffered.
const FLUSH_AT: usize = 1 << 16;

/// The longest string [`Output::push_string`] copies in place (the buffer has 1 KB of room
/// past [`FLUSH_AT`]).
const STRING_IN_PLACE_MAX: usize = 1000;

/// The most bytes [`put_position`] writes: four keys of up to 22 bytes and four numbers of up
/// to 20 digits.
const POSITION_MAX: usize = 4 * (22 + 20);

impl<'w, W: Write> Output<'w, W> {
    fn new(out: &'w mut W) -> Self {
        Output {
            buf: vec![0; FLUSH_AT + 1024],
            len: 0,
            out,
        }
    }

    /// Appends `bytes`, written out first when they do not fit; a piece longer than the
    /// buffer goes straight to the writer.
    #[inline(always)]
    fn push(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if self.len + bytes.len() > self.buf.len() || self.len >= FLUSH_AT {
            self.flush()?;
            if bytes.len() > self.buf.len() {
                return self.out.write_all(bytes);
            }
        }
        let to = self.len + bytes.len();
        self.buf[self.len..to].copy_from_slice(bytes);
        self.len = to;
        Ok(())
    }

    /// The `n` bytes after the buffered ones (`n` is at most the buffer's length), to be
    /// written in place and counted in `len` by the caller.
    #[inline(always)]
    fn room(&mut self, n: usize) -> std::io::Result<&mut [u8]> {
        if self.len + n > self.buf.len() {
            self.flush()?;
        }
        Ok(&mut self.buf[self.len..self.len + n])
    }

    /// Appends `s` as a JSON string ([`push_str`]'s escapes). A string with nothing to
    /// escape, nearly every one, is copied into place as it is checked ([`copy_unescaped`]);
    /// one with something to escape, or too long for the room after the buffered bytes, is
    /// escaped into a vector of its own first.
    #[inline(always)]
    fn push_string(&mut self, s: &str) -> std::io::Result<()> {
        let bytes = s.as_bytes();
        if bytes.len() <= STRING_IN_PLACE_MAX {
            let room = self.room(bytes.len() + 2)?;
            room[0] = b'"';
            if copy_unescaped(bytes, &mut room[1..=bytes.len()]) {
                room[bytes.len() + 1] = b'"';
                self.len += bytes.len() + 2;
                return Ok(());
            }
        }
        let mut escaped = Vec::with_capacity(bytes.len() + 16);
        push_str(&mut escaped, s);
        self.push(&escaped)
    }

    #[inline(never)]
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.write_all(&self.buf[..self.len])?;
        self.len = 0;
        Ok(())
    }
}

/// Findings' heads (the `,` before the finding, its rule, severity and path), each escaped
/// once and kept in direct-mapped slots by the addresses and lengths of its three strings.
/// The strings all live as long as the run being written, so two live strings with the same
/// address and length are the same string; a head whose slot another took is made again. A
/// run has a head per rule and file.
struct Heads {
    slots: Vec<(HeadKey, Vec<u8>)>,
}

/// (address, length) of the rule, severity and path of a head; zeros for an empty slot (no
/// string has address 0).
type HeadKey = [(usize, usize); 3];

const HEAD_SLOTS_LOG2: u32 = 8;

impl Default for Heads {
    fn default() -> Self {
        Heads {
            slots: vec![([(0, 0); 3], Vec::new()); 1 << HEAD_SLOTS_LOG2],
        }
    }
}

impl Heads {
    /// The head of `d`, made on a miss.
    #[inline(always)]
    fn get(&mut self, d: &crate::diagnostic::Diagnostic) -> &[u8] {
        let strings = [d.rule, d.severity.as_str(), &*d.path];
        let key = strings.map(|s| (s.as_ptr() as usize, s.len()));
        let mixed = key.iter().fold(0u64, |h, &(a, n)| {
            (h ^ a as u64 ^ (n as u64) << 48).rotate_left(17)
        });
        let slot = &mut self.slots
            [(mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - HEAD_SLOTS_LOG2)) as usize];
        if slot.0 != key {
            slot.0 = key;
            make_head(&mut slot.1, strings);
        }
        &slot.1
    }
}

/// A head's bytes from its rule, severity and path.
#[inline(never)]
fn make_head(bytes: &mut Vec<u8>, [rule, severity, path]: [&str; 3]) {
    bytes.clear();
    bytes.extend_from_slice(b",\n    {\n      \"rule\": ");
    push_str(bytes, rule);
    bytes.extend_from_slice(b",\n      \"severity\": ");
    push_str(bytes, severity);
    bytes.extend_from_slice(b",\n      \"path\": ");
    push_str(bytes, path);
}

/// Renders the run as the version-1 JSON document.
pub fn render(run: &RunResult) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and only whole UTF-8 strings and ASCII are written.
    let _ = write(run, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// "00" to "99": numbers are written two digits at a time.
const DIGIT_PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// Writes `n` in decimal into `out` at `at`; returns the end of the digits.
#[inline]
fn put_uint(out: &mut [u8], at: usize, mut n: usize) -> usize {
    let end = at + n.checked_ilog10().map_or(1, |digits| digits as usize + 1);
    let mut i = end;
    while n >= 100 {
        let pair = n % 100 * 2;
        n /= 100;
        i -= 2;
        out[i..i + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        out[i - 2..i].copy_from_slice(&DIGIT_PAIRS[n * 2..n * 2 + 2]);
    } else {
        out[i - 1] = b'0' + n as u8;
    }
    end
}

/// The digits of the last line written: findings come sorted, so consecutive ones often
/// share a line, and a finding's end line is nearly always its line.
type LineDigits = (usize, Option<(u64, usize)>);

/// Writes the four position fields of a finding at the start of `out` (at least
/// [`POSITION_MAX`] bytes); returns their length.
fn put_position(
    out: &mut [u8],
    (line, column, end_line, end_column): (usize, usize, usize, usize),
    last_line: &mut LineDigits,
) -> usize {
    if last_line.0 != line {
        *last_line = (line, eight_digits(line));
    }
    let line_digits = last_line.1;
    let end_line_digits = if end_line == line {
        line_digits
    } else {
        eight_digits(end_line)
    };
    // Written out field by field rather than in a loop, so that each key is a copy of known
    // length (a loop made them calls to memcpy).
    let mut len = put_field(out, 0, b",\n      \"line\": ", line_digits, line);
    len = put_field(
        out,
        len,
        b",\n      \"column\": ",
        eight_digits(column),
        column,
    );
    len = put_field(
        out,
        len,
        b",\n      \"end_line\": ",
        end_line_digits,
        end_line,
    );
    len = put_field(
        out,
        len,
        b",\n      \"end_column\": ",
        eight_digits(end_column),
        end_column,
    );
    len
}

/// Writes `key` and the digits of `n` (`digits`, from [`eight_digits`]) into `out` at `at`;
/// returns the end.
#[inline(always)]
fn put_field<const K: usize>(
    out: &mut [u8],
    at: usize,
    key: &[u8; K],
    digits: Option<(u64, usize)>,
    n: usize,
) -> usize {
    out[at..at + K].copy_from_slice(key);
    match digits {
        // Eight bytes stored whatever the width: the next key overwrites the spare ones.
        Some((ascii, width)) => {
            out[at + K..at + K + 8].copy_from_slice(&ascii.to_le_bytes());
            at + K + width
        }
        None => put_uint(out, at + K, n),
    }
}

/// The decimal digits of `n < 10^8` as eight ASCII bytes of a little-endian word, most
/// significant digit first and the leading zeros dropped (so the unused high bytes are zero),
/// and their number; `None` for larger numbers. Digits are split in lanes of the word
/// (two groups of four, then four of two, then eight of one) with multiplications in place of
/// divisions, all lanes at once, which is what makes it cheaper than a digit loop.
#[inline]
fn eight_digits(n: usize) -> Option<(u64, usize)> {
    // Up to four digits (nearly every column): one or two pairs from the table, no lane
    // arithmetic. A pair "0d" loses its leading zero by the shift.
    let pair = |n: usize| u64::from(DIGIT_PAIRS[n * 2]) | u64::from(DIGIT_PAIRS[n * 2 + 1]) << 8;
    if n < 100 {
        return Some(if n < 10 {
            (pair(n) >> 8, 1)
        } else {
            (pair(n), 2)
        });
    }
    if n < 10_000 {
        let (high, low) = (n / 100, n % 100);
        let four = pair(high) | pair(low) << 16;
        return Some(if high < 10 { (four >> 8, 3) } else { (four, 4) });
    }
    if n >= 100_000_000 {
        return None;
    }
    let n = n as u64;
    // Lanes of 32 bits: n / 10^4 in the low one (it comes first in memory), n % 10^4 above.
    let fours = (n / 10_000) | ((n % 10_000) << 32);
    // x / 100 as (x * 5243) >> 19, exact for x < 43 699; then lanes of 16 bits.
    let hundreds = ((fours * 5243) >> 19) & 0x0000_007F_0000_007F;
    let twos = hundreds | ((fours - hundreds * 100) << 16);
    // x / 10 as (x * 103) >> 10, exact for x < 179; then lanes of 8 bits.
    let tens = ((twos * 103) >> 10) & 0x000F_000F_000F_000F;
    let digits = tens | ((twos - tens * 10) << 8);
    // The leading zero digits are the low zero bytes; "0" keeps its one digit.
    let zeros = ((digits.trailing_zeros() / 8) as usize).min(7);
    let ascii = (digits + 0x3030_3030_3030_3030) >> (8 * zeros);
    Some((ascii, 8 - zeros))
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other
/// control characters as `\u00XX` (lower-case hex); everything else, non-ASCII included, as is.
fn push_str(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    let bytes = s.as_bytes();
    // Most strings need no escape at all: one test over the whole string, without a branch
    // per byte (the compiler does it 16 bytes at a time), then one copy.
    if !bytes.iter().fold(false, |seen, &b| {
        seen | (b < 0x20) | (b == b'"') | (b == b'\\')
    }) {
        buf.extend_from_slice(bytes);
        buf.push(b'"');
        return;
    }
    let mut start = 0;
    // Most strings need no escape at all: skip 8 bytes at a time while none of them is a
    // control character, `"` or `\`, then go byte by byte from the first chunk that has one.
    let clean = bytes
        .chunks_exact(8)
        .take_while(|c| {
            !needs_escape(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]))
        })
        .count()
        * 8;
    for (i, &b) in bytes.iter().enumerate().skip(clean) {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0C => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1F => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                buf.extend_from_slice(&bytes[start..i]);
                buf.extend_from_slice(b"\\u00");
                buf.push(HEX[(b >> 4) as usize]);
                buf.push(HEX[(b & 0xF) as usize]);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        buf.extend_from_slice(&bytes[start..i]);
        buf.extend_from_slice(escape);
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

/// Whether one of the 8 bytes of `w` is below 0x20, `"` or `\` (exact: the classic
/// "has a zero byte" test applied to `w ^ pattern`, and a borrow test for `< 0x20` on bytes
/// whose top bit is clear).
fn needs_escape(w: u64) -> bool {
    use crate::text::{has_byte, HIGH, ONES};
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
    below_space || has_byte(w, b'"') || has_byte(w, b'\\')
}

/// Copies `src` to `dst` (of the same length); returns whether `src` has nothing
/// [`push_str`] escapes (what `dst` then holds is to be discarded otherwise).
///
/// On x86-64, by SSE2: 16 bytes a step, the last step the 16 bytes that end the string
/// (overlapping the one before), a byte to escape found by three compares; strings under 16
/// bytes, and other targets, by [`copy_unescaped_words`], which a test compares with it.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn copy_unescaped(src: &[u8], dst: &mut [u8]) -> bool {
    use crate::text::load16;
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_setzero_si128, _mm_storeu_si128,
    };
    let n = src.len();
    if n < 16 {
        return copy_unescaped_words(src, dst);
    }
    let dst = &mut dst[..n];
    // SAFETY: the intrinsics (and `load16`) need SSE2 only, which this target enables (the
    // `cfg` above); every load reads a 16-byte slice of `src` and every store writes into a
    // 16-byte slice of `dst` (bounds-checked).
    unsafe {
        let (quote, backslash) = (_mm_set1_epi8(b'"' as i8), _mm_set1_epi8(b'\\' as i8));
        let control_max = _mm_set1_epi8(0x1F);
        let mut escapes = _mm_setzero_si128();
        let mut step = |at: usize| {
            let v = load16(src, at);
            // `min(b, 0x1F) == b` is `b <= 0x1F`, unsigned.
            let control = _mm_cmpeq_epi8(_mm_min_epu8(v, control_max), v);
            let special = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash));
            escapes = _mm_or_si128(escapes, _mm_or_si128(control, special));
            let out = &mut dst[at..at + 16];
            _mm_storeu_si128(out.as_mut_ptr().cast::<__m128i>(), v);
        };
        let mut at = 0;
        while at + 16 < n {
            step(at);
            at += 16;
        }
        step(n - 16);
        _mm_movemask_epi8(escapes) == 0
    }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn copy_unescaped(src: &[u8], dst: &mut [u8]) -> bool {
    copy_unescaped_words(src, dst)
}

/// [`copy_unescaped`] 8 bytes at a time, by [`needs_escape`] (the last word the 8 bytes that
/// end the string); a string under 8 bytes byte by byte.
#[inline]
fn copy_unescaped_words(src: &[u8], dst: &mut [u8]) -> bool {
    let n = src.len();
    let dst = &mut dst[..n];
    if n < 8 {
        dst.copy_from_slice(src);
        return !src.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
    }
    let word = |at: usize| {
        u64::from_le_bytes([
            src[at],
            src[at + 1],
            src[at + 2],
            src[at + 3],
            src[at + 4],
            src[at + 5],
            src[at + 6],
            src[at + 7],
        ])
    };
    let mut escapes = false;
    let mut at = 0;
    while at + 8 < n {
        let w = word(at);
        escapes |= needs_escape(w);
        dst[at..at + 8].copy_from_slice(&w.to_le_bytes());
        at += 8;
    }
    let w = word(n - 8);
    escapes |= needs_escape(w);
    dst[n - 8..].copy_from_slice(&w.to_le_bytes());
    !escapes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::engine::FileResult;
    use serde::Serialize;
    use std::sync::Arc;

    /// The schema as serde_json would write it: the reference the hand-written writer must
    /// match byte for byte.
    #[derive(Serialize)]
    struct Report<'a> {
        version: u32,
        files_checked: usize,
        diagnostics: Vec<Entry<'a>>,
    }

    #[derive(Serialize)]
    struct Entry<'a> {
        rule: &'a str,
        severity: &'a str,
        path: &'a str,
        line: usize,
        column: usize,
        end_line: usize,
        end_column: usize,
        message: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        help: Option<&'a str>,
    }

    fn reference(run: &RunResult) -> String {
        let mut diagnostics = Vec::new();
        for f in &run.files {
            let index = f.text().map(crate::report::LineIndex::new);
            for d in &f.diagnostics {
                let (line, column, end_line, end_column) =
                    crate::report::position(index.as_ref(), d);
                diagnostics.push(Entry {
                    rule: d.rule,
                    severity: d.severity.as_str(),
                    path: &d.path,
                    line,
                    column,
                    end_line,
                    end_column,
                    message: &d.message,
                    help: d.help.as_deref(),
                });
            }
        }
        let report = Report {
            version: 1,
            files_checked: run.files.len(),
            diagnostics,
        };
        serde_json::to_string_pretty(&report).unwrap() + "\n"
    }

    fn file(path: &str, text: &str, diagnostics: Vec<Diagnostic>) -> FileResult {
        FileResult {
            path: Arc::from(path),
            text: Some(Arc::new(text.to_owned())),
            problem: None,
            diagnostics,
            // As the engine gives them: the positions are then found by the line table.
            lines: crate::document::parse(text.to_owned()).lines,
        }
    }

    #[test]
    fn matches_serde_json_byte_for_byte() {
        let text = "ligne « un »\n\tdeux \"trois\"\\\nquatre é\u{1}\u{1f}\u{7f}\r\nfin";
        let mut d1 = Diagnostic::new("a/b", 3..9, "quote \" backslash \\ tab \t nl \n cr \r");
        d1.severity = Severity::Error;
        d1.path = "dir/fichier «x».txt".into();
        let mut d2 = Diagnostic::new("c/d", 14..30, "ctrl \u{0} \u{8} \u{c} \u{1b} \u{7f} ’ 😀")
            .with_help("aide \u{1f} « ok »");
        d2.path = "p\\q".into();
        let runs = [
            RunResult { files: vec![] },
            RunResult {
                files: vec![file("empty.txt", text, vec![])],
            },
            RunResult {
                files: vec![
                    file("a.txt", text, vec![d1.clone(), d2.clone()]),
                    FileResult {
                        path: Arc::from("gone.txt"),
                        text: None,
                        problem: None,
                        diagnostics: vec![d2],
                        lines: Vec::new(),
                    },
                    file("b.txt", text, vec![d1]),
                ],
            },
        ];
        for run in &runs {
            assert_eq!(render(run), reference(run));
        }
    }

    #[test]
    fn pieces_across_and_beyond_the_buffer_match_serde_json() {
        // Enough findings to fill the buffer several times, and a message longer than it.
        let text = "une ligne\n".repeat(5000);
        let long = "x".repeat(3 * FLUSH_AT);
        let diagnostics = (0..4000)
            .map(|i| {
                let message = if i % 1000 == 7 {
                    long.clone()
                } else {
                    format!("m{i}")
                };
                Diagnostic::new("a/b", i * 10..i * 10 + 3, message)
            })
            .collect();
        let run = RunResult {
            files: vec![file("a.txt", &text, diagnostics)],
        };
        assert_eq!(render(&run), reference(&run));
    }

    #[test]
    fn the_word_test_agrees_with_a_byte_test() {
        let byte_needs = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        let mut seed = 99u64;
        for round in 0..200_000 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            // Mostly ordinary bytes, with one chosen byte planted at a chosen place.
            let mut bytes = seed.to_le_bytes();
            bytes[(round % 8) as usize] = (round / 8 % 256) as u8;
            let w = u64::from_le_bytes(bytes);
            assert_eq!(
                needs_escape(w),
                bytes.iter().any(|&b| byte_needs(b)),
                "{bytes:?}"
            );
        }
    }

    /// A string copy that says whether the string needs no escape.
    type CopyFn = fn(&[u8], &mut [u8]) -> bool;

    #[test]
    fn strings_copied_unescaped_agree_with_a_byte_test() {
        let byte_needs = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        let mut seed = 3u64;
        for round in 0..60_000usize {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            // Every length up to 70, ordinary bytes (non-ASCII ones too), one chosen byte
            // planted at a chosen place in two rounds of three.
            let n = round % 71;
            let mut src: Vec<u8> = (0..n)
                .map(|i| {
                    [b'a', b' ', 0xC3, 0xA9, b'z', 0x7F, 0xFF][(seed >> (i % 60)) as usize % 7]
                })
                .collect();
            if n > 0 && round % 3 != 0 {
                src[(seed >> 7) as usize % n] = (round / 71 % 256) as u8;
            }
            let want = !src.iter().any(|&b| byte_needs(b));
            let copies: [CopyFn; 2] = [copy_unescaped, copy_unescaped_words];
            for copy in copies {
                let mut dst = vec![0u8; n];
                assert_eq!(copy(&src, &mut dst), want, "{src:?}");
                if want {
                    assert_eq!(dst, src);
                }
            }
        }
    }

    fn push_position(
        buf: &mut Vec<u8>,
        position: (usize, usize, usize, usize),
        last_line: &mut LineDigits,
    ) {
        let mut out = [0xAAu8; POSITION_MAX];
        let len = put_position(&mut out, position, last_line);
        buf.extend_from_slice(&out[..len]);
    }

    #[test]
    fn positions_are_written_as_plain_decimals() {
        let mut seed = 5u64;
        let mut numbers = vec![
            0,
            1,
            9,
            10,
            99,
            100,
            101,
            999,
            1000,
            1001,
            9999,
            10_000,
            99_999_999,
            100_000_000,
        ];
        numbers.extend((0..100_000).map(|i| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 40) as usize >> (i % 24)
        }));
        for n in numbers {
            let mut buf = Vec::new();
            push_position(&mut buf, (n, 1, n / 3, 12345), &mut (0, eight_digits(0)));
            let mut twice = buf.clone();
            let mut last_line = (0, eight_digits(0));
            for _ in 0..2 {
                twice.clear();
                push_position(&mut twice, (n, 1, n / 3, 12345), &mut last_line);
                assert_eq!(twice, buf);
            }
            let expected = format!(
                ",\n      \"line\": {n},\n      \"column\": 1,\n      \"end_line\": {},\n      \"end_column\": 12345",
                n / 3
            );
            assert_eq!(String::from_utf8(buf).unwrap(), expected);
        }
    }

    #[test]
    fn numbers() {
        for n in [0, 7, 10, 99, 100, 12345, usize::MAX] {
            let mut digits = [0u8; 20];
            let len = put_uint(&mut digits, 0, n);
            assert_eq!(
                String::from_utf8(digits[..len].to_vec()).unwrap(),
                n.to_string()
            );
        }
    }
}
