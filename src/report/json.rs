//! `--format json`: one JSON object, schema version 1 (public API, see README).
//!
//! The document is written by hand, byte for byte what `serde_json::to_writer_pretty` writes
//! for the same fields (a test holds the two together): a large run yields hundreds of
//! thousands of findings, and the generic serializer spent about 18 instructions per byte of
//! output on them, more than the rule that found them.

use crate::engine::RunResult;
use std::io::Write;

/// Writes the run as the version-1 JSON document to `out`, in 64 KB pieces.
pub fn write(run: &RunResult, out: &mut impl Write) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(1 << 16);
    buf.extend_from_slice(b"{\n  \"version\": 1,\n  \"files_checked\": ");
    push_uint(&mut buf, run.files.len());
    buf.extend_from_slice(b",\n  \"diagnostics\": [");
    let mut first = true;
    // The opening of a finding up to its path, escaped once for each run of findings with
    // the same rule, severity and path (the common case: a rule's findings in one file come
    // together in position order often enough, and the key compares in a few instructions).
    let mut head: (&str, &str, &str, Vec<u8>) = ("", "", "", Vec::new());
    for f in &run.files {
        let index = f.text().map(super::LineIndex::new);
        for d in &f.diagnostics {
            let key = (d.rule, d.severity.as_str(), &*d.path);
            if !(std::ptr::eq(head.0, key.0) && std::ptr::eq(head.1, key.1) && head.2 == key.2) {
                let bytes = &mut head.3;
                bytes.clear();
                bytes.extend_from_slice(b"    {\n      \"rule\": ");
                push_str(bytes, d.rule);
                bytes.extend_from_slice(b",\n      \"severity\": ");
                push_str(bytes, d.severity.as_str());
                bytes.extend_from_slice(b",\n      \"path\": ");
                push_str(bytes, &d.path);
                (head.0, head.1, head.2) = key;
            }
            let (line, column, end_line, end_column) = super::position(index.as_ref(), d);
            buf.extend_from_slice(if first { b"\n" } else { b",\n" });
            first = false;
            buf.extend_from_slice(&head.3);
            push_position(&mut buf, [line, column, end_line, end_column]);
            buf.extend_from_slice(b",\n      \"message\": ");
            push_str(&mut buf, &d.message);
            if let Some(help) = &d.help {
                buf.extend_from_slice(b",\n      \"help\": ");
                push_str(&mut buf, help);
            }
            buf.extend_from_slice(b"\n    }");
            if buf.len() >= 1 << 16 {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
    }
    buf.extend_from_slice(if first { b"]\n}\n" } else { b"\n  ]\n}\n" });
    out.write_all(&buf)
}

/// Renders the run as the version-1 JSON document.
pub fn render(run: &RunResult) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and only whole UTF-8 strings and ASCII are written.
    let _ = write(run, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

fn push_uint(buf: &mut Vec<u8>, n: usize) {
    let mut digits = [0u8; 20];
    let from = digits_of(n, &mut digits);
    buf.extend_from_slice(&digits[from..]);
}

/// Writes `n` in decimal at the end of `digits`; returns where it starts.
#[inline]
fn digits_of(mut n: usize, digits: &mut [u8; 20]) -> usize {
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return i;
        }
    }
}

/// The four position fields of a finding, assembled on the stack and appended at once.
fn push_position(buf: &mut Vec<u8>, [line, column, end_line, end_column]: [usize; 4]) {
    const KEYS: [&[u8]; 4] = [
        b",\n      \"line\": ",
        b",\n      \"column\": ",
        b",\n      \"end_line\": ",
        b",\n      \"end_column\": ",
    ];
    let mut out = [0u8; 4 * (22 + 20)];
    let mut len = 0;
    for (key, n) in KEYS.iter().zip([line, column, end_line, end_column]) {
        out[len..len + key.len()].copy_from_slice(key);
        len += key.len();
        let mut digits = [0u8; 20];
        let from = digits_of(n, &mut digits);
        out[len..len + 20 - from].copy_from_slice(&digits[from..]);
        len += 20 - from;
    }
    buf.extend_from_slice(&out[..len]);
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other
/// control characters as `\u00XX` (lower-case hex); everything else, non-ASCII included, as is.
fn push_str(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    let bytes = s.as_bytes();
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
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| (x.wrapping_sub(ONES) & !x & HIGH) != 0;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
    below_space || has_zero(w ^ (ONES * u64::from(b'"'))) || has_zero(w ^ (ONES * u64::from(b'\\')))
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
        }
    }

    #[test]
    fn matches_serde_json_byte_for_byte() {
        let text = "ligne « un »\n\tdeux \"trois\"\\\nquatre é\u{1}\u{1f}\u{7f}\r\nfin";
        let mut d1 = Diagnostic::new("a/b", 3..9, "quote \" backslash \\ tab \t nl \n cr \r");
        d1.severity = Severity::Error;
        d1.path = Arc::from("dir/fichier «x».txt");
        let mut d2 = Diagnostic::new("c/d", 14..30, "ctrl \u{0} \u{8} \u{c} \u{1b} \u{7f} ’ 😀")
            .with_help("aide \u{1f} « ok »");
        d2.path = Arc::from("p\\q");
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

    #[test]
    fn numbers() {
        for n in [0, 7, 10, 99, 100, 12345, usize::MAX] {
            let mut buf = Vec::new();
            push_uint(&mut buf, n);
            assert_eq!(String::from_utf8(buf).unwrap(), n.to_string());
        }
    }
}
