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
    for pat in ["<sup>", "</sup>", "**"] {
        blanks.extend(memchr::memmem::find_iter(text.as_bytes(), pat).map(|h| h..h + pat.len()));
    }
    blanks.sort_unstable_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in blanks {
        let start = r.start.max(at);
        if start >= r.end {
            continue;
        }
        out.push_str(&text[at..start]);
        // Byte for byte, keeping newlines: offsets stay those of `text`.
        out.extend(
            text.as_bytes()[start..r.end]
                .iter()
                .map(|&b| if b == b'\n' { '\n' } else { ' ' }),
        );
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}
