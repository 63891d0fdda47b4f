//! Reading input files: UTF-8 validation, binary and empty detection.
//!
//! Line endings (`\n`, `\r\n`, lone `\r` is kept as text) and a UTF-8 byte-order mark are
//! accepted as they are: the parser treats them as whitespace, spans keep pointing at the
//! original bytes, and `--fix` writes them back untouched.

use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rules::Rule;

/// Why a file could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputProblem {
    /// Not UTF-8: byte offset of the first invalid sequence and a guess at the encoding.
    Encoding { offset: usize, guess: &'static str },
    /// NUL bytes: not a text file.
    Binary { offset: usize },
    /// Empty or only whitespace.
    Empty,
    /// The file could not be read.
    Unreadable(String),
}

impl InputProblem {
    pub fn rule(&self) -> &'static str {
        match self {
            InputProblem::Encoding { .. } => InputEncoding::ID,
            InputProblem::Binary { .. } => InputBinary::ID,
            InputProblem::Empty => InputEmpty::ID,
            InputProblem::Unreadable(_) => InputUnreadable::ID,
        }
    }
    pub fn message(&self) -> String {
        match self {
            InputProblem::Encoding { offset, guess } => {
                format!("file is not valid UTF-8 (first invalid byte at offset {offset}; it looks like {guess})")
            }
            InputProblem::Binary { offset } => {
                format!("file looks binary (NUL byte at offset {offset}), not a text report")
            }
            InputProblem::Empty => "file is empty".to_string(),
            InputProblem::Unreadable(e) => format!("cannot read file: {e}"),
        }
    }
    pub fn help(&self) -> &'static str {
        match self {
            InputProblem::Encoding { guess, .. } if guess.starts_with("UTF-8") => {
                "the file is mostly UTF-8: repair or retype the text at that offset"
            }
            InputProblem::Encoding { guess, .. } if guess.starts_with("UTF-16") => {
                "convert the file to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`"
            }
            InputProblem::Encoding { .. } => {
                "convert the file to UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"
            }
            InputProblem::Binary { .. } => {
                "export the document as text or Markdown first, or exclude it with --exclude"
            }
            InputProblem::Empty => "remove the file or add its text",
            InputProblem::Unreadable(_) => "check that the file exists and is readable",
        }
    }
    /// Whether the file was skipped for a reason that makes the run fail with exit code 2.
    pub fn is_io_error(&self) -> bool {
        !matches!(self, InputProblem::Empty)
    }
}

/// Decodes file bytes as UTF-8 text, or says why not.
pub fn decode(bytes: Vec<u8>) -> Result<String, InputProblem> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(InputProblem::Encoding {
            offset: 0,
            guess: "UTF-16 (it starts with a UTF-16 byte-order mark)",
        });
    }
    if utf8_without_nul(&bytes) {
        // SAFETY: just validated as UTF-8.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        return if text.trim_start_matches('\u{feff}').trim().is_empty() {
            Err(InputProblem::Empty)
        } else {
            Ok(text)
        };
    }
    // A NUL or invalid UTF-8 somewhere (rare): found again, the NUL first, for the report.
    if let Some(offset) = memchr::memchr(0, &bytes) {
        if looks_like_utf16(&bytes) {
            return Err(InputProblem::Encoding {
                offset,
                guess: "UTF-16 without a byte-order mark (every other byte is NUL)",
            });
        }
        return Err(InputProblem::Binary { offset });
    }
    // Not valid UTF-8 (`utf8_without_nul` said no, and there is no NUL): the standard
    // library gives the error.
    match String::from_utf8(bytes) {
        Ok(text) => {
            if text.trim_start_matches('\u{feff}').trim().is_empty() {
                Err(InputProblem::Empty)
            } else {
                Ok(text)
            }
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let cut_short = e.utf8_error().error_len().is_none();
            let bytes = e.as_bytes();
            if cut_short {
                return Err(InputProblem::Encoding {
                    offset,
                    guess: "UTF-8 cut short in the middle of a character (a truncated file)",
                });
            }
            // Real multi-byte UTF-8 characters elsewhere: a damaged file, or text pasted
            // together from files in two encodings.
            if String::from_utf8_lossy(bytes)
                .chars()
                .any(|c| !c.is_ascii() && c != char::REPLACEMENT_CHARACTER)
            {
                return Err(InputProblem::Encoding {
                    offset,
                    guess: "UTF-8 with stray bytes of another encoding (a damaged or mixed file)",
                });
            }
            // Windows-1252 accented letters are single bytes 0xC0..=0xFF; in UTF-8 such a byte
            // is a lead byte followed by a continuation byte, so a lone one betrays 1252.
            let high = bytes.iter().filter(|b| **b >= 0x80).count();
            let guess = if high > 0
                && bytes
                    .iter()
                    .any(|b| (0x80..=0x9F).contains(b) || *b >= 0xC0)
            {
                "Windows-1252 or Latin-1"
            } else {
                "another 8-bit encoding"
            };
            Err(InputProblem::Encoding { offset, guess })
        }
    }
}

/// Whether `bytes` are valid UTF-8 and hold no NUL byte.
///
/// The file was just read: its bytes come from memory, not from the cache. They are read once,
/// a piece of 16 KB at a time searched for a NUL and then validated while it is in the
/// first-level cache, instead of a NUL search over the whole file and a validation that reads
/// it from memory again. simdutf8 validates a few bytes per instruction where
/// `String::from_utf8` took about four instructions per byte of French text.
///
/// A piece ends before a byte that is not a continuation byte (`10xxxxxx`), at most three
/// bytes before its 16 KB: in valid UTF-8 a character's first byte, so every piece of valid
/// text is valid; and text made of valid pieces is valid (a concatenation of valid UTF-8 is).
/// Four continuation bytes in a row are invalid wherever the cut falls.
fn utf8_without_nul(bytes: &[u8]) -> bool {
    const PIECE: usize = 16 * 1024;
    let mut rest = bytes;
    while !rest.is_empty() {
        let mut cut = rest.len().min(PIECE);
        for _ in 0..3 {
            if cut < rest.len() && rest[cut] & 0xC0 == 0x80 {
                cut -= 1;
            }
        }
        let (piece, after) = rest.split_at(cut);
        if memchr::memchr(0, piece).is_some() || simdutf8::basic::from_utf8(piece).is_err() {
            return false;
        }
        rest = after;
    }
    true
}

/// ASCII text saved as UTF-16 (little- or big-endian): in its first bytes, the NULs all sit at
/// even offsets or all at odd ones, and the other bytes are printable.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512) & !1];
    if head.len() < 8 {
        return false;
    }
    let text_or_space = |b: u8| b.is_ascii_graphic() || b.is_ascii_whitespace() || b >= 0x80;
    let pairs = head.chunks_exact(2);
    let le = pairs.clone().all(|p| p[1] == 0 && text_or_space(p[0]));
    let be = pairs.clone().all(|p| p[0] == 0 && text_or_space(p[1]));
    le || be
}

declare_rule! {
    /// ## What it checks
    /// Files that are not valid UTF-8 (Windows-1252 or Latin-1 exports, UTF-16 files).
    ///
    /// ## Why it matters
    /// unlint cannot read the text reliably, so it checks nothing in that file; the rest of the
    /// run goes on and the run exits with code 2.
    ///
    /// ## Example
    /// A report saved as « Windows-1252 » from an old word processor.
    ///
    /// ## Configuration
    /// None: convert the file to UTF-8 (`iconv -f WINDOWS-1252 -t UTF-8`).
    pub struct InputEncoding = "input/encoding", Severity::Error;
}

declare_rule! {
    /// ## What it checks
    /// Binary files (with NUL bytes) found among the inputs.
    ///
    /// ## Why it matters
    /// A PDF or Word file is not text; export it as text or Markdown first.
    ///
    /// ## Example
    /// `unlint report.pdf`
    ///
    /// ## Configuration
    /// None: exclude such files with `--exclude` or `[files] exclude`.
    pub struct InputBinary = "input/binary", Severity::Error;
}

declare_rule! {
    /// ## What it checks
    /// Empty files, or files holding only whitespace.
    ///
    /// ## Why it matters
    /// An empty report is usually a failed export or conversion.
    ///
    /// ## Example
    /// A zero-byte `rapport.txt`.
    ///
    /// ## Configuration
    /// `[rules] "input/empty" = "off"` silences it.
    pub struct InputEmpty = "input/empty", Severity::Warning;
}

declare_rule! {
    /// ## What it checks
    /// Files that exist but cannot be read (permissions, a vanished file).
    ///
    /// ## Why it matters
    /// Nothing in the file was checked; the run exits with code 2.
    ///
    /// ## Example
    /// A file with mode 000.
    ///
    /// ## Configuration
    /// None.
    pub struct InputUnreadable = "input/unreadable", Severity::Error;
}

macro_rules! meta_only_rule {
    ($t:ty) => {
        impl Rule for $t {
            crate::rule_meta!();
        }
    };
}
meta_only_rule!(InputEncoding);
meta_only_rule!(InputBinary);
meta_only_rule!(InputEmpty);
meta_only_rule!(InputUnreadable);

/// The `input/*` rules: reported by the engine when a file cannot be parsed.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&InputEncoding, &InputBinary, &InputEmpty, &InputUnreadable]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`utf8_without_nul`] says what a NUL search and `std::str::from_utf8` of the whole say:
    /// characters of 2 to 4 bytes, invalid bytes (a lone continuation byte, a cut character,
    /// four continuation bytes in a row) and NULs at every offset around a piece's end.
    #[test]
    fn pieces_validate_as_the_whole() {
        let whole = |b: &[u8]| !b.contains(&0) && std::str::from_utf8(b).is_ok();
        for filler in ["é", "€", "𝄞", "a"] {
            let base: Vec<u8> = filler.repeat(3 * 16 * 1024 / filler.len()).into_bytes();
            for at in 16 * 1024 - 6..16 * 1024 + 6 {
                let mut cases = vec![base.clone()];
                for bad in [&[0x80][..], &[0xE2, 0x82], &[0x80, 0x80, 0x80, 0x80], &[0]] {
                    let mut b = base.clone();
                    b.splice(at..at, bad.iter().copied());
                    cases.push(b);
                    let mut b = base.clone();
                    b[at..at + bad.len()].copy_from_slice(bad);
                    cases.push(b);
                }
                for case in cases {
                    assert_eq!(utf8_without_nul(&case), whole(&case), "{filler} {at}");
                }
            }
        }
        for text in crate::test_support::seed_texts() {
            assert!(utf8_without_nul(text.as_bytes()));
        }
    }

    #[test]
    fn decodes() {
        assert_eq!(decode(b"abc\r\n".to_vec()), Ok("abc\r\n".to_string()));
        assert_eq!(decode(b" \n\t".to_vec()), Err(InputProblem::Empty));
        assert!(matches!(
            decode(b"caf\xe9 au lait".to_vec()),
            Err(InputProblem::Encoding { offset: 3, .. })
        ));
        assert!(matches!(
            decode(b"ab\0cd".to_vec()),
            Err(InputProblem::Binary { offset: 2 })
        ));
        assert!(matches!(
            decode(b"\xff\xfea\0".to_vec()),
            Err(InputProblem::Encoding { offset: 0, .. })
        ));
        assert!(matches!(
            decode(b"R\0a\0p\0p\0o\0r\0t\0\n\0".to_vec()),
            Err(InputProblem::Encoding { offset: 1, .. })
        ));
        assert!(matches!(
            decode(b"\0R\0a\0p\0p\0o\0r\0t\0\n".to_vec()),
            Err(InputProblem::Encoding { offset: 0, .. })
        ));
    }
}
