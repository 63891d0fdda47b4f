//! The one copy of a document's text, and what its prose view hides.
//!
//! The prose view (furniture lines, Markdown link targets, `<sup>` tags and `**` markers
//! replaced by spaces) is what the extractors and most rules read; the original text is read
//! only in places (a furniture line's symbol, a heading's number, a link's target) and by the
//! reports. A document used to hold both, two buffers as large as the file. Now the text is
//! blanked where it lies, and the few bytes under the blanks are kept aside: an original slice
//! is the prose slice, patched when it crosses a blank's edge, and [`Blanked::restore`] gives the
//! text back, in place, when the checks are done.

use std::borrow::Cow;
use std::ops::Range;

/// The blanked stretches of a text, in order and disjoint, with their original bytes.
#[derive(Debug, Clone, Default)]
pub struct Blanked {
    stretches: Vec<Stretch>,
    /// The original bytes of every stretch, one after another.
    originals: String,
    /// Which 64-byte blocks of the text a stretch covers a byte of: bit `k % 64` of word
    /// `k / 64` for block `k` (bytes `64 * k..64 * k + 64`). A span whose blocks are all clear
    /// crosses no stretch: the rules' slices (thousands a report, most far from any blank) are
    /// answered by a bit test or two instead of a binary search over the stretches. A text of
    /// 20 MB has a map of 40 KB.
    blocks: Vec<u64>,
}

/// The bytes of text a bit of [`Blanked::blocks`] stands for.
const BLOCK: usize = 64;

#[derive(Debug, Clone)]
struct Stretch {
    span: Range<usize>,
    /// Where the stretch's original bytes start in [`Blanked::originals`].
    at: usize,
}

impl Stretch {
    fn original<'a>(&self, originals: &'a str) -> &'a str {
        &originals[self.at..self.at + self.span.len()]
    }

    /// Whether `span` lies within the stretch (a slice of a furniture line).
    fn holds(&self, span: &Range<usize>) -> bool {
        self.span.start <= span.start && span.end <= self.span.end
    }

    /// Where the original bytes of `span`, which the stretch holds, are kept in
    /// [`Blanked::originals`]: such a slice is borrowed from there.
    fn kept(&self, span: &Range<usize>) -> Range<usize> {
        self.at + span.start - self.span.start..self.at + span.end - self.span.start
    }
}

/// Spaces to blank with, a slice at a time.
const SPACES: &str = "                                                                ";

impl Blanked {
    /// Blanks `blanks` of `text` in place (newlines are kept, so lines and offsets are those of
    /// the text) and returns what was there. Every stretch starts and ends on a character
    /// boundary (whole lines, or ASCII delimiters) and becomes ASCII spaces, so the text stays
    /// valid UTF-8 and every offset a character boundary of the text is one of the prose.
    /// Overlapping stretches are blanked once.
    pub fn blank(text: &mut String, mut blanks: Vec<Range<usize>>) -> Blanked {
        blanks.sort_unstable_by_key(|r| r.start);
        let mut out = Blanked::default();
        if !blanks.is_empty() {
            out.blocks = vec![0; text.len().div_ceil(BLOCK * 64)];
        }
        let mut at = 0;
        for r in blanks {
            let start = r.start.max(at);
            if start >= r.end {
                continue;
            }
            for block in start / BLOCK..=(r.end - 1) / BLOCK {
                out.blocks[block / 64] |= 1 << (block % 64);
            }
            out.stretches.push(Stretch {
                span: start..r.end,
                at: out.originals.len(),
            });
            out.originals.push_str(&text[start..r.end]);
            let mut from = start;
            while from < r.end {
                let line_end = memchr::memchr(b'\n', &text.as_bytes()[from..r.end])
                    .map_or(r.end, |k| from + k);
                while from < line_end {
                    // A piece of whole characters: `replace_range` cuts none.
                    let mut k = (line_end - from).min(SPACES.len());
                    while !text.is_char_boundary(from + k) {
                        k -= 1;
                    }
                    // The same length: the tail of the text does not move.
                    text.replace_range(from..from + k, &SPACES[..k]);
                    from += k;
                }
                from = line_end + 1;
            }
            at = r.end;
        }
        out
    }

    /// Whether nothing was blanked (the prose view is the text).
    pub fn is_empty(&self) -> bool {
        self.stretches.is_empty()
    }

    /// Puts the original bytes back into `prose`, which becomes the text again.
    pub fn restore(&self, prose: &mut String) {
        for s in &self.stretches {
            prose.replace_range(s.span.clone(), s.original(&self.originals));
        }
    }

    /// The stretches that overlap `span`; for an empty span, those that strictly contain its
    /// offset.
    fn overlapping(&self, span: &Range<usize>) -> &[Stretch] {
        if !self.may_overlap(span) {
            return &[];
        }
        let first = self.stretches.partition_point(|s| s.span.end <= span.start);
        let rest = &self.stretches[first..];
        let limit = if span.is_empty() {
            span.start
        } else {
            span.end
        };
        &rest[..rest.partition_point(|s| s.span.start < limit)]
    }

    /// The original text of `span`, from the prose view: borrowed unless the span crosses a
    /// blank's edge. Panics, as indexing the text does, on a span that is out of the text or
    /// not on character boundaries.
    pub fn slice<'a>(&'a self, prose: &'a str, span: Range<usize>) -> Cow<'a, str> {
        match self.crossed(prose, &span) {
            [] => Cow::Borrowed(&prose[span]),
            [s] if s.holds(&span) => Cow::Borrowed(&self.originals[s.kept(&span)]),
            crossed => match String::from_utf8(self.patched(prose, &span, crossed)) {
                Ok(s) => Cow::Owned(s),
                // Not on the text's character boundaries: what indexing the text would do.
                Err(_) => panic!("span {span:?} is not on character boundaries of the text"),
            },
        }
    }

    /// The original bytes of `span` (any offsets within the text), borrowed unless the span
    /// crosses a blank's edge.
    pub fn bytes<'a>(&'a self, prose: &'a str, span: Range<usize>) -> Cow<'a, [u8]> {
        match self.crossed(prose, &span) {
            [] => Cow::Borrowed(&prose.as_bytes()[span]),
            [s] if s.holds(&span) => Cow::Borrowed(&self.originals.as_bytes()[s.kept(&span)]),
            crossed => Cow::Owned(self.patched(prose, &span, crossed)),
        }
    }

    /// Whether a stretch may overlap `span` (for an empty span, strictly contain its offset),
    /// by [`Blanked::blocks`]: false when none does. A stretch that overlaps a non-empty span
    /// covers one of its bytes; one that strictly contains an offset covers the byte there.
    #[inline]
    fn may_overlap(&self, span: &Range<usize>) -> bool {
        let first = span.start / BLOCK;
        let last = span.end.saturating_sub(1).max(span.start) / BLOCK;
        any_bit(&self.blocks, first, last)
    }

    /// The stretches `span` crosses.
    fn crossed(&self, prose: &str, span: &Range<usize>) -> &[Stretch] {
        // Most spans lie in blocks no stretch touches.
        if !self.may_overlap(span) {
            return &[];
        }
        // Every stretch holds a byte other than a newline, blanked to a space: a short slice
        // without a space (a paragraph's number, a word) crosses none, and needs no search.
        let short = span.len() <= 64 && !span.is_empty();
        if short && memchr::memchr(b' ', &prose.as_bytes()[span.clone()]).is_none() {
            return &[];
        }
        self.overlapping(span)
    }

    /// The prose's bytes of `span` with the original bytes of the `crossed` stretches put
    /// back.
    fn patched(&self, prose: &str, span: &Range<usize>, crossed: &[Stretch]) -> Vec<u8> {
        let mut bytes = prose.as_bytes()[span.clone()].to_vec();
        for s in crossed {
            let (lo, hi) = (s.span.start.max(span.start), s.span.end.min(span.end));
            let original = s.original(&self.originals).as_bytes();
            bytes[lo - span.start..hi - span.start]
                .copy_from_slice(&original[lo - s.span.start..hi - s.span.start]);
        }
        bytes
    }

    /// Whether the original text of `span` is the prose's (nothing blanked there, or only
    /// spaces).
    pub fn same_as_prose(&self, prose: &str, span: Range<usize>) -> bool {
        self.overlapping(&span).iter().all(|s| {
            let (lo, hi) = (s.span.start.max(span.start), s.span.end.min(span.end));
            let original = s.original(&self.originals).as_bytes();
            original[lo - s.span.start..hi - s.span.start] == prose.as_bytes()[lo..hi]
        })
    }

    /// The offset of the first `byte` of the original text at or after `from`.
    pub fn find_byte(&self, prose: &str, from: usize, byte: u8) -> Option<usize> {
        let find = |bytes: &[u8], at: usize| memchr::memchr(byte, bytes).map(|k| at + k);
        let mut at = from;
        for s in &self.stretches[self.stretches.partition_point(|s| s.span.end <= from)..] {
            if at < s.span.start {
                if let Some(found) = find(&prose.as_bytes()[at..s.span.start], at) {
                    return Some(found);
                }
                at = s.span.start;
            }
            let original = s.original(&self.originals).as_bytes();
            if let Some(found) = find(&original[at - s.span.start..], at) {
                return Some(found);
            }
            at = s.span.end;
        }
        find(prose.as_bytes().get(at..)?, at)
    }

    /// Whether the original text holds the character `c`: in the prose, or under a blank
    /// (a character never straddles a blank's edge).
    pub fn contains_char(&self, prose: &str, c: char) -> bool {
        let mut buf = [0; 4];
        let finder = memchr::memmem::Finder::new(c.encode_utf8(&mut buf).as_bytes());
        finder.find(prose.as_bytes()).is_some() || finder.find(self.originals.as_bytes()).is_some()
    }

    /// [`Blanked::contains_char`] of the blanked bytes alone, for a caller that has searched
    /// the prose already.
    pub fn originals_contain_char(&self, c: char) -> bool {
        let mut buf = [0; 4];
        let needle = c.encode_utf8(&mut buf).as_bytes();
        memchr::memmem::find(self.originals.as_bytes(), needle).is_some()
    }

    /// The original text as pieces in order, each with its offset: the prose between the
    /// blanks, and the blanks' original bytes. Joined, they are the text; a search for a byte
    /// reads them one after another.
    pub fn pieces<'a>(&'a self, prose: &'a str) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        let mut at = 0;
        self.stretches
            .iter()
            .flat_map(move |s| {
                let before = (at, &prose[at..s.span.start]);
                at = s.span.end;
                [before, (s.span.start, s.original(&self.originals))]
            })
            .chain(std::iter::once_with(move || {
                let last = self.stretches.last().map_or(0, |s| s.span.end);
                (last, &prose[last..])
            }))
            .filter(|(_, p)| !p.is_empty())
    }
}

/// Whether any of bits `first..=last` of `bits` (bit `k % 64` of word `k / 64`) is set; bits
/// past the end count as clear.
#[inline]
fn any_bit(bits: &[u64], first: usize, last: usize) -> bool {
    let (first_word, last_word) = (first / 64, last / 64);
    // Bits `first % 64..` of the first word, `..=last % 64` of the last one.
    let low = u64::MAX << (first % 64);
    let high = u64::MAX >> (63 - last % 64);
    if first_word == last_word {
        return bits.get(first_word).is_some_and(|w| w & low & high != 0);
    }
    bits.get(first_word).is_some_and(|w| w & low != 0)
        || bits
            .get(first_word + 1..last_word.min(bits.len()))
            .is_some_and(|words| words.iter().any(|&w| w != 0))
        || bits.get(last_word).is_some_and(|w| w & high != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blanked(text: &str, blanks: Vec<Range<usize>>) -> (String, Blanked) {
        let mut prose = text.to_string();
        let b = Blanked::blank(&mut prose, blanks);
        (prose, b)
    }

    #[test]
    fn blanks_keep_newlines_and_length_and_restore_gives_the_text_back() {
        let text = "Voir [la note](https://x.org/a)\nV.17-02181\n**É**té\n";
        let blanks = vec![5..6, 13..31, 32..42, 43..45, 47..49, 40..44];
        let (mut prose, b) = blanked(text, blanks);
        assert_eq!(
            prose,
            "Voir  la note                  \n          \n  É  té\n"
        );
        assert_eq!(prose.len(), text.len());
        b.restore(&mut prose);
        assert_eq!(prose, text);
    }

    #[test]
    fn a_slice_is_the_original_text_borrowed_away_from_blanks() {
        let text = "a **gras** et [lien](u://v) fin\nPAGE 2\nsuite";
        let (prose, b) = blanked(text, vec![2..4, 8..10, 14..15, 19..27, 32..38]);
        for start in 0..=text.len() {
            for end in start..=text.len() {
                let s = b.slice(&prose, start..end);
                assert_eq!(s, &text[start..end], "{start}..{end}");
                // Borrowed unless a blank overlaps the span (or, empty, holds it inside).
                let inside = |t: &Stretch| t.span.start < start && start < t.span.end;
                let overlaps = |t: &Stretch| t.span.start < end && start < t.span.end;
                let crosses =
                    b.stretches
                        .iter()
                        .any(|t| if start == end { inside(t) } else { overlaps(t) });
                // Or within one blank: its original, as kept.
                let holds = b
                    .stretches
                    .iter()
                    .any(|t| t.span.start <= start && end <= t.span.end);
                let borrowed = !crosses || holds;
                assert_eq!(matches!(s, Cow::Borrowed(_)), borrowed, "{start}..{end}");
                let same = prose[start..end] == text[start..end];
                assert_eq!(b.same_as_prose(&prose, start..end), same, "{start}..{end}");
            }
        }
        for from in 0..=text.len() + 1 {
            for byte in [b'*', b'/', b'P', b'i', b'\n'] {
                let want = text
                    .as_bytes()
                    .get(from..)
                    .and_then(|rest| rest.iter().position(|&c| c == byte).map(|k| from + k));
                assert_eq!(b.find_byte(&prose, from, byte), want, "{from} {byte}");
            }
        }
        for c in ['P', 'l', '*', '/', 'x', 'Z', '\n'] {
            assert_eq!(b.contains_char(&prose, c), text.contains(c), "{c}");
        }
        let joined: String = b.pieces(&prose).map(|(_, p)| p).collect();
        assert_eq!(joined, text);
        let mut at = 0;
        for (offset, piece) in b.pieces(&prose) {
            assert_eq!(offset, at);
            at += piece.len();
        }
    }

    /// A blank longer than the spaces blanked at a time, of characters of 2 to 4 bytes.
    #[test]
    fn long_blanks_of_wide_characters() {
        let text = format!("a {} b\n{}\n", "é€𝄞".repeat(40), "ü".repeat(100));
        let blanks = vec![
            2..text.find(" b").unwrap(),
            text.find('\n').unwrap() + 1..text.len() - 1,
        ];
        let (mut prose, b) = blanked(&text, blanks);
        assert_eq!(prose.len(), text.len());
        assert!(prose.bytes().all(|c| c.is_ascii()));
        assert_eq!(prose.split_whitespace().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(prose.lines().count(), 2);
        assert_eq!(b.slice(&prose, 0..text.len()), text);
        b.restore(&mut prose);
        assert_eq!(prose, text);
    }

    /// The block map answers as the binary search alone: stretches at and across block edges,
    /// one of several blocks, every span of a text of several blocks (and a few past it).
    #[test]
    fn block_map_finds_every_overlapping_stretch() {
        let text: String = (0..330)
            .map(|k| if k % 7 == 3 { '\n' } else { 'x' })
            .collect();
        let blanks = vec![3..5, 62..66, 127..128, 128..129, 150..290, 320..330];
        let (_, b) = blanked(&text, blanks);
        for start in 0..=text.len() + 70 {
            for end in start..=text.len() + 70 {
                let span = start..end;
                let first = b.stretches.partition_point(|s| s.span.end <= start);
                let rest = &b.stretches[first..];
                let limit = if span.is_empty() { start } else { end };
                let want = &rest[..rest.partition_point(|s| s.span.start < limit)];
                let got = b.overlapping(&span);
                assert_eq!(got.len(), want.len(), "{span:?}");
                assert!(
                    got.iter().zip(want).all(|(g, w)| g.span == w.span),
                    "{span:?}"
                );
            }
        }
        for first in 0..200 {
            for last in first..200 {
                let bits = [1u64 << 5 | 1 << 63, 0, 1 << 7];
                let want = (first..=last)
                    .any(|k| bits.get(k / 64).is_some_and(|w| w >> (k % 64) & 1 != 0));
                assert_eq!(any_bit(&bits, first, last), want, "{first}..={last}");
            }
        }
    }

    #[test]
    fn nothing_blanked_is_one_piece_and_every_slice_borrowed() {
        let (prose, b) = blanked("texte", Vec::new());
        assert_eq!(b.pieces(&prose).collect::<Vec<_>>(), [(0, "texte")]);
        assert!(matches!(b.slice(&prose, 1..3), Cow::Borrowed("ex")));
    }
}
