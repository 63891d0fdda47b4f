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

/// Blanks out `range` of `buf` with spaces (byte for byte, keeping newlines).
fn blank(buf: &mut [u8], range: std::ops::Range<usize>) {
    for b in &mut buf[range] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
}

/// The prose view of the text: furniture lines, link targets, `<sup>` tags and `**` markers
/// replaced by spaces so offsets are unchanged.
pub fn prose(text: &str, lines: &[Line], links: &[Link]) -> String {
    let mut buf = text.as_bytes().to_vec();
    for l in lines {
        if l.kind == LineKind::Furniture {
            blank(&mut buf, l.span.clone());
        }
    }
    for link in links {
        blank(&mut buf, link.span.start..link.text_span.start);
        blank(&mut buf, link.text_span.end..link.span.end);
    }
    for pat in ["<sup>", "</sup>", "**"] {
        let finder = memchr::memmem::Finder::new(pat);
        let hits: Vec<usize> = finder.find_iter(text.as_bytes()).collect();
        for h in hits {
            blank(&mut buf, h..h + pat.len());
        }
    }
    // Only ASCII bytes were replaced by ASCII spaces, or whole lines: still valid UTF-8.
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
