//! Markdown-specific views: links, and the masked prose text.

use std::ops::Range;

use super::model::Link;

/// Every `[text](target)` link on one line, and the `<sup>`, `</sup>` and `**` markers to
/// blank in the prose view: both found in one pass over the bytes that can start them.
pub fn links_and_marks(text: &str) -> (Vec<Link>, Vec<Range<usize>>) {
    let mut links = Vec::new();
    let mut marks = Vec::new();
    let bytes = text.as_bytes();
    // The two scans of the earlier separate passes, each with its own resume point: a link is
    // looked for at a `[` from `link_from` on (after a link, the scan resumes past its `)`),
    // a marker at a `<` or `*` from `mark_from` on (markers are found left to right without
    // overlap; `<sup>` tags and `**` cannot overlap one another).
    let mut link_from = 0;
    let mut links_done = false;
    let mut mark_from = 0;
    for h in memchr::memchr3_iter(b'[', b'<', b'*', bytes) {
        if bytes[h] == b'[' {
            if links_done || h < link_from {
                continue;
            }
            match link_at(bytes, h) {
                LinkAt::Found(link) => {
                    link_from = link.span.end;
                    links.push(link);
                }
                LinkAt::NotHere => {}
                // No `]`, `[` or newline after this one: no link anywhere further.
                LinkAt::NoneAfter => links_done = true,
            }
        } else if h >= mark_from {
            let len = match &bytes[h..] {
                [b'*', b'*', ..] => 2,
                [b'<', b's', b'u', b'p', b'>', ..] => 5,
                [b'<', b'/', b's', b'u', b'p', b'>', ..] => 6,
                _ => 0,
            };
            if len > 0 {
                marks.push(h..h + len);
            }
            mark_from = h + len.max(1);
        }
    }
    (links, marks)
}

enum LinkAt {
    Found(Link),
    NotHere,
    NoneAfter,
}

/// The link whose `[` is at `open`, if any.
fn link_at(bytes: &[u8], open: usize) -> LinkAt {
    let Some(close_rel) = bytes[open + 1..]
        .iter()
        .position(|&b| b == b']' || b == b'\n' || b == b'[')
    else {
        return LinkAt::NoneAfter;
    };
    let close = open + 1 + close_rel;
    if bytes[close] != b']' || bytes.get(close + 1) != Some(&b'(') {
        return LinkAt::NotHere;
    }
    let Some(end_rel) = bytes[close + 2..]
        .iter()
        .position(|&b| b == b')' || b == b'\n' || b == b' ')
    else {
        return LinkAt::NotHere;
    };
    let end = close + 2 + end_rel;
    if bytes[end] != b')' {
        return LinkAt::NotHere;
    }
    LinkAt::Found(Link {
        span: open..end + 1,
        text_span: open + 1..close,
        target_span: close + 2..end,
    })
}

/// The stretches the prose view blanks: furniture lines (`furniture`, their spans), link
/// targets, `<sup>` tags and `**` markers (`marks`). Every stretch starts and ends on a
/// character boundary: whole lines, or ASCII delimiters.
pub fn blanks(
    furniture: Vec<Range<usize>>,
    links: &[Link],
    marks: Vec<Range<usize>>,
) -> Vec<Range<usize>> {
    let mut blanks = furniture;
    blanks.reserve(2 * links.len() + marks.len());
    for link in links {
        blanks.push(link.span.start..link.text_span.start);
        blanks.push(link.text_span.end..link.span.end);
    }
    blanks.extend(marks);
    blanks
}
