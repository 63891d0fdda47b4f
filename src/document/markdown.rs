//! Markdown-specific views: links, and the masked prose text.

use super::model::{Line, LineKind, Link};

/// Every `[text](target)` link on one line.
pub fn links(text: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'[', &bytes[i..]) {
        let open = i + off;
        i = open + 1;
        let Some(close_rel) = bytes[open + 1..]
            .iter()
            .position(|&b| b == b']' || b == b'\n' || b == b'[')
        else {
            break;
        };
        let close = open + 1 + close_rel;
        if bytes[close] != b']' || bytes.get(close + 1) != Some(&b'(') {
            continue;
        }
        let Some(end_rel) = bytes[close + 2..]
            .iter()
            .position(|&b| b == b')' || b == b'\n' || b == b' ')
        else {
            continue;
        };
        let end = close + 2 + end_rel;
        if bytes[end] != b')' {
            continue;
        }
        out.push(Link {
            span: open..end + 1,
            text_span: open + 1..close,
            target_span: close + 2..end,
        });
        i = end + 1;
    }
    out
}

/// Appends `n` spaces, a slice of spaces at a time rather than a character at a time.
fn push_spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// The prose view of the text: furniture lines, link targets, `<sup>` tags and `**` markers
/// replaced by spaces so offsets are unchanged.
pub fn prose(text: &str, lines: &[Line], links: &[Link]) -> String {
    // The stretches to blank, collected first and then copied around, so the result is built
    // from `&str` pieces and never needs a second UTF-8 validation of the whole text. Every
    // stretch starts and ends on a character boundary: whole lines, or ASCII delimiters.
    let mut blanks: Vec<std::ops::Range<usize>> = lines
        .iter()
        .filter(|l| l.kind == LineKind::Furniture)
        .map(|l| l.span.clone())
        .collect();
    for link in links {
        blanks.push(link.span.start..link.text_span.start);
        blanks.push(link.text_span.end..link.span.end);
    }
    // `<sup>`, `</sup>` and `**`, each found left to right without overlap: one pass over the
    // bytes that can start them (the `<sup>` tags and `**` cannot overlap one another).
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(k) = memchr::memchr2(b'<', b'*', &bytes[from..]) {
        let h = from + k;
        let len = match &bytes[h..] {
            [b'*', b'*', ..] => 2,
            [b'<', b's', b'u', b'p', b'>', ..] => 5,
            [b'<', b'/', b's', b'u', b'p', b'>', ..] => 6,
            _ => 0,
        };
        if len > 0 {
            blanks.push(h..h + len);
        }
        from = h + len.max(1);
    }
    blanks.sort_unstable_by_key(|r| r.start);
    let mut out = crate::memory::string_with_capacity(text.len());
    let mut at = 0;
    for r in blanks {
        let start = r.start.max(at);
        if start >= r.end {
            continue;
        }
        out.push_str(&text[at..start]);
        // Byte for byte, keeping newlines: offsets stay those of `text`.
        for (k, piece) in text.as_bytes()[start..r.end]
            .split(|&b| b == b'\n')
            .enumerate()
        {
            if k > 0 {
                out.push('\n');
            }
            push_spaces(&mut out, piece.len());
        }
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}
