//! Markdown-specific views: links, and the masked prose text.

use std::ops::Range;

use super::model::Link;

/// Every `[text](target)` link on one line, and the `<sup>`, `</sup>` and `**` markers to
/// blank in the prose view: both found in one pass over the bytes that can start them.
#[cfg(test)]
pub fn links_and_marks(text: &str) -> (Vec<Link>, Vec<Range<usize>>) {
    let mut scan = LinkScan::default();
    scan.scan(text.as_bytes(), 0..text.len());
    scan.finish()
}

/// The scan of [`links_and_marks`] fed the text a piece at a time, in order: the parser runs
/// it on each piece of the text it has just split into lines, while the piece is in the
/// first-level cache, instead of reading the whole text from memory again.
#[derive(Default)]
pub struct LinkScan {
    links: Vec<Link>,
    marks: Vec<Range<usize>>,
    // The two scans of the earlier separate passes, each with its own resume point: a link is
    // looked for at a `[` from `link_from` on (after a link, the scan resumes past its `)`),
    // a marker at a `<` or `*` from `mark_from` on (markers are found left to right without
    // overlap; `<sup>` tags and `**` cannot overlap one another).
    link_from: usize,
    links_done: bool,
    mark_from: usize,
}

impl LinkScan {
    /// Scans the bytes `piece` of `bytes` (the whole text), the piece after the ones scanned
    /// before. A link or marker starting in the piece is read on past its end.
    pub fn scan(&mut self, bytes: &[u8], piece: Range<usize>) {
        let base = piece.start;
        for h in memchr::memchr3_iter(b'[', b'<', b'*', &bytes[piece]) {
            let h = base + h;
            if bytes[h] == b'[' {
                if self.links_done || h < self.link_from {
                    continue;
                }
                match link_at(bytes, h) {
                    LinkAt::Found(link) => {
                        self.link_from = link.span.end;
                        self.links.push(link);
                    }
                    LinkAt::NotHere => {}
                    // No `]`, `[` or newline after this one: no link anywhere further.
                    LinkAt::NoneAfter => self.links_done = true,
                }
            } else if h >= self.mark_from {
                let len = match &bytes[h..] {
                    [b'*', b'*', ..] => 2,
                    [b'<', b's', b'u', b'p', b'>', ..] => 5,
                    [b'<', b'/', b's', b'u', b'p', b'>', ..] => 6,
                    _ => 0,
                };
                if len > 0 {
                    self.marks.push(h..h + len);
                }
                self.mark_from = h + len.max(1);
            }
        }
    }

    /// The links and the markers found.
    pub fn finish(self) -> (Vec<Link>, Vec<Range<usize>>) {
        (self.links, self.marks)
    }
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
