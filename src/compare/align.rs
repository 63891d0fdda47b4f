//! Structural alignment of an original and its translation.
//!
//! Units of each kind are aligned as two sequences by dynamic programming over five moves:
//! one-to-one, one lost, one added, two merged into one, one split in two. The cost of a match
//! weighs (a) equal numbers (paragraph 12 with paragraph 12), (b) the length of the text
//! against the overall length ratio of the pair (French runs about 15 % longer than English),
//! as in Gale and Church's sentence aligner, and (c) the shared facts (figures, references,
//! dates), which a faithful translation keeps. Numbers dominate when both sides are numbered
//! alike; length and facts take over when a paragraph was lost or the draft was renumbered.

use super::facts::{self, Facts};
use super::{units, Unit, UnitKind};
use crate::document::{Document, Lang, Span};

/// One side of a pair: its units and the facts found in each.
#[derive(Debug)]
pub struct Side {
    pub lang: Lang,
    pub units: Vec<Unit>,
    pub facts: Facts,
    /// For each unit: indices into `facts.numbers`, `facts.refs`, `facts.dates`.
    pub numbers: Vec<Vec<usize>>,
    pub refs: Vec<Vec<usize>>,
    pub dates: Vec<Vec<usize>>,
    /// Canonical facts of each unit, sorted, for the alignment cost.
    anchors: Vec<Vec<String>>,
}

impl Side {
    pub fn new(doc: &Document) -> Side {
        let units = units(doc);
        let facts = facts::extract(doc);
        // Sorted (body piece, unit) intervals for locating facts.
        let mut pieces: Vec<(Span, usize)> = units
            .iter()
            .enumerate()
            .flat_map(|(i, u)| u.body.iter().map(move |s| (s.clone(), i)))
            .collect();
        pieces.sort_by_key(|(s, _)| s.start);
        let locate = |off: usize| {
            let k = pieces.partition_point(|(s, _)| s.start <= off);
            k.checked_sub(1)
                .filter(|&k| off < pieces[k].0.end)
                .map(|k| pieces[k].1)
        };
        let n = units.len();
        let mut numbers = vec![Vec::new(); n];
        let mut refs = vec![Vec::new(); n];
        let mut dates = vec![Vec::new(); n];
        let mut anchors = vec![Vec::new(); n];
        for (i, f) in facts.numbers.iter().enumerate() {
            if let Some(u) = locate(f.span.start) {
                numbers[u].push(i);
                if !f.spelled {
                    anchors[u].push(format!("n:{}", f.key));
                }
            }
        }
        for (i, f) in facts.refs.iter().enumerate() {
            if let Some(u) = locate(f.span.start) {
                refs[u].push(i);
                anchors[u].push(format!("r:{}", f.key));
            }
        }
        for (i, f) in facts.dates.iter().enumerate() {
            if let Some(u) = locate(f.span.start) {
                dates[u].push(i);
                anchors[u].push(f.key());
            }
        }
        for a in &mut anchors {
            a.sort();
        }
        Side {
            lang: doc.lang,
            units,
            facts,
            numbers,
            refs,
            dates,
            anchors,
        }
    }

    fn of_kind(&self, kind: UnitKind) -> Vec<usize> {
        (0..self.units.len())
            .filter(|&i| self.units[i].kind == kind)
            .collect()
    }
}

/// Units of the original matched with units of the draft. One side may be empty (a unit lost
/// or added); two units on one side mean a merge or a split.
#[derive(Debug, Clone)]
pub struct Link {
    pub kind: UnitKind,
    pub original: Vec<usize>,
    pub draft: Vec<usize>,
    /// Where the link sits in the draft: its first unit's anchor, or for a unit missing from
    /// the draft, the anchor of the next draft unit of the same kind (the place it should be).
    pub draft_at: Span,
    /// Whether the match is sure enough to compare contents: numbered units always; unnumbered
    /// text only when its length fits the other side's.
    pub confident: bool,
}

/// The two sides and their links, in document order within each kind.
#[derive(Debug)]
pub struct Alignment {
    pub original: Side,
    pub draft: Side,
    pub links: Vec<Link>,
    /// For each draft unit: written in the original's language (not translated). Its figures
    /// and dates are read with the wrong language's conventions, so contents are not compared.
    pub untranslated: Vec<bool>,
    /// The draft's length over the original's (letters and digits of paragraphs and items):
    /// about 1.15 from English to French.
    pub ratio: f64,
}

/// A paragraph shorter than this (letters and digits) is too short to judge by its length.
pub const MIN_CHARS: usize = 300;
/// A draft under this share of its expected length has lost text.
pub const SHORT: f64 = 0.55;

impl Alignment {
    /// Whether the draft side of a link is much shorter than the original side suggests (a
    /// passage lost in translation).
    pub fn is_short(&self, l: &Link) -> bool {
        let lo: usize = l
            .original
            .iter()
            .map(|&u| self.original.units[u].chars)
            .sum();
        let ld: usize = l.draft.iter().map(|&u| self.draft.units[u].chars).sum();
        lo >= MIN_CHARS && (ld as f64) < SHORT * self.ratio * lo as f64
    }

    /// The link that holds a draft unit, if any.
    pub fn link_of_draft(&self, unit: usize) -> Option<&Link> {
        self.links.iter().find(|l| l.draft.contains(&unit))
    }
}

/// Aligns two documents.
pub fn align(original: &Document, draft: &Document) -> Alignment {
    let o = Side::new(original);
    let d = Side::new(draft);
    let total = |s: &Side| -> usize {
        s.units
            .iter()
            .filter(|u| u.kind == UnitKind::Paragraph || u.kind == UnitKind::Item)
            .map(|u| u.chars)
            .sum()
    };
    let (to, td) = (total(&o), total(&d));
    let ratio = if to > 200 && td > 200 {
        (td as f64 / to as f64).clamp(0.7, 1.6)
    } else if o.lang == Lang::En && d.lang == Lang::Fr {
        1.15
    } else if o.lang == Lang::Fr && d.lang == Lang::En {
        0.87
    } else {
        1.0
    };
    let aligner = Aligner {
        o: &o,
        d: &d,
        ratio,
    };
    let mut links = Vec::new();
    for kind in [
        UnitKind::Title,
        UnitKind::Section,
        UnitKind::Subsection,
        UnitKind::Heading,
        UnitKind::Paragraph,
        UnitKind::Footnote,
        UnitKind::Block,
    ] {
        links.extend(aligner.sequence(kind, &o.of_kind(kind), &d.of_kind(kind)));
    }
    // Items: within each pair of aligned paragraphs; items outside paragraphs on their own.
    let items_of = |s: &Side, parents: &[usize]| -> Vec<usize> {
        (0..s.units.len())
            .filter(|&i| {
                s.units[i].kind == UnitKind::Item
                    && s.units[i].parent.is_some_and(|p| parents.contains(&p))
            })
            .collect()
    };
    let mut item_links = Vec::new();
    for l in links.iter().filter(|l| l.kind == UnitKind::Paragraph) {
        if l.original.is_empty() || l.draft.is_empty() {
            continue;
        }
        let (oi, di) = (items_of(&o, &l.original), items_of(&d, &l.draft));
        let mut ls = aligner.sequence(UnitKind::Item, &oi, &di);
        // Items of a paragraph that has none on the other side belong to a paragraph that is
        // itself reported; with items on both sides, a lost item points at its paragraph.
        for x in &mut ls {
            if x.draft.is_empty() && x.draft_at.is_empty() {
                x.draft_at = d.units[l.draft[0]].anchor.clone();
            }
        }
        item_links.extend(ls);
    }
    let loose = |s: &Side| -> Vec<usize> {
        (0..s.units.len())
            .filter(|&i| s.units[i].kind == UnitKind::Item && s.units[i].parent.is_none())
            .collect()
    };
    item_links.extend(aligner.sequence(UnitKind::Item, &loose(&o), &loose(&d)));
    links.extend(item_links);
    // A unit lost where the draft has none of its kind (its only footnote): point at the
    // footnote separator, or else at the last line.
    let end = draft.text().trim_end().len();
    let last_line = draft
        .furniture
        .iter()
        .rfind(|f| f.kind == crate::document::FurnitureKind::FootnoteSeparator)
        .map(|f| f.span.clone())
        .unwrap_or_else(|| draft.text()[..end].rfind('\n').map_or(0, |k| k + 1)..end);
    // A lost footnote points at the draft unit that should carry its call.
    for i in 0..links.len() {
        if links[i].kind != UnitKind::Footnote || !links[i].draft.is_empty() {
            continue;
        }
        let f = &o.units[links[i].original[0]];
        let Some(call) = f
            .key
            .as_deref()
            .and_then(|k| footnote_call(original, k, f.span.start))
        else {
            continue;
        };
        let at = o
            .units
            .iter()
            .position(|u| u.kind != UnitKind::Footnote && u.contains(call))
            .and_then(|u| {
                links
                    .iter()
                    .find(|l| l.original.contains(&u) && !l.draft.is_empty())
            })
            .map(|l| l.draft_at.clone());
        if let Some(at) = at {
            links[i].draft_at = at;
        }
    }
    for l in &mut links {
        if l.draft.is_empty() && l.draft_at == (0..0) {
            l.draft_at = last_line.clone();
        }
    }
    let untranslated = d
        .units
        .iter()
        .map(|u| {
            o.lang != d.lang
                && super::lang::Counts::unquoted(&u.text(draft)).clearly(o.lang, d.lang)
        })
        .collect();
    Alignment {
        original: o,
        draft: d,
        links,
        untranslated,
        ratio,
    }
}

/// The offset of the last call of footnote `key` before `before`: `<sup>1</sup>`, or the marker
/// glued to the word or punctuation it follows (`cybercrime.1`, `criminalité1`).
fn footnote_call(doc: &Document, key: &str, before: usize) -> Option<usize> {
    let text = &doc.text()[..before];
    let sup = format!("<sup>{key}</sup>");
    if let Some(k) = text.rfind(&sup) {
        return Some(k);
    }
    text.match_indices(key)
        .filter(|(k, _)| {
            let prev = text[..*k].chars().next_back();
            let next = text[k + key.len()..].chars().next();
            prev.is_some_and(|c| c.is_alphabetic() || ".,;:)»”".contains(c))
                && !next.is_some_and(|c| c.is_ascii_digit())
                && !doc.is_furniture(*k)
        })
        .map(|(k, _)| k)
        .last()
}

struct Aligner<'a> {
    o: &'a Side,
    d: &'a Side,
    ratio: f64,
}

const SKIP: f64 = 4.0;
const MERGE: f64 = 4.5;
const SAME_NUMBER: f64 = -3.0;
const OTHER_NUMBER: f64 = 1.5;
const FACT_MISMATCH: f64 = 5.0;
const FACT_SHARED: f64 = 0.7;
const LIST: f64 = 2.5;

#[derive(Clone, Copy)]
enum Move {
    None,
    Match(usize, usize),
}

impl Aligner<'_> {
    fn cost(&self, a: &[usize], b: &[usize]) -> f64 {
        let lo: usize = a.iter().map(|&i| self.o.units[i].chars).sum();
        let ld: usize = b.iter().map(|&i| self.d.units[i].chars).sum();
        // Length, Gale–Church style: the draft's length against the expected ratio.
        let len_cost = if lo + ld < 40 {
            0.0
        } else {
            let expected = self.ratio * lo as f64;
            let delta = (ld as f64 - expected) / (10.0 * expected.max(ld as f64).max(1.0)).sqrt();
            (delta * delta / 2.0).min(6.0)
        };
        // Shared facts.
        let mut fa: Vec<&String> = a.iter().flat_map(|&i| &self.o.anchors[i]).collect();
        let mut fb: Vec<&String> = b.iter().flat_map(|&i| &self.d.anchors[i]).collect();
        fa.sort();
        fb.sort();
        let fact_cost = if fa.is_empty() && fb.is_empty() {
            0.0
        } else {
            let (mut i, mut j, mut common) = (0, 0, 0);
            while i < fa.len() && j < fb.len() {
                match fa[i].cmp(fb[j]) {
                    std::cmp::Ordering::Equal => {
                        common += 1;
                        i += 1;
                        j += 1;
                    }
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                }
            }
            let union = fa.len() + fb.len() - common;
            FACT_MISMATCH * (union - common) as f64 / union as f64
                - FACT_SHARED * common.min(3) as f64
        };
        // A paragraph with a list against one without.
        let items =
            |side: &Side, us: &[usize]| us.iter().map(|&i| side.units[i].children).sum::<usize>();
        let (ia, ib) = (items(self.o, a), items(self.d, b));
        let list_cost = if (ia == 0) != (ib == 0) { LIST } else { 0.0 };
        let ka = &self.o.units[a[0]].key;
        let kb = &self.d.units[b[0]].key;
        let number = match (ka, kb) {
            (Some(x), Some(y)) if x == y => SAME_NUMBER,
            (Some(_), Some(_)) => OTHER_NUMBER,
            _ => 0.0,
        };
        let merge = if a.len() + b.len() > 2 { MERGE } else { 0.0 };
        len_cost + fact_cost + list_cost + number + merge
    }

    /// Aligns two sequences of unit indices.
    fn sequence(&self, kind: UnitKind, o: &[usize], d: &[usize]) -> Vec<Link> {
        let (n, m) = (o.len(), d.len());
        let mut cost = vec![vec![f64::INFINITY; m + 1]; n + 1];
        let mut back = vec![vec![Move::None; m + 1]; n + 1];
        cost[0][0] = 0.0;
        // A band around the diagonal: a draft does not drift by dozens of units.
        let band = n.abs_diff(m) + 25;
        for i in 0..=n {
            for j in 0..=m {
                if i.abs_diff(j) > band {
                    continue;
                }
                let here = cost[i][j];
                if !here.is_finite() {
                    continue;
                }
                let mut relax = |di: usize, dj: usize, c: f64| {
                    let (x, y) = (i + di, j + dj);
                    if x <= n && y <= m && here + c < cost[x][y] {
                        cost[x][y] = here + c;
                        back[x][y] = Move::Match(di, dj);
                    }
                };
                relax(1, 0, SKIP);
                relax(0, 1, SKIP);
                if i < n && j < m {
                    relax(1, 1, self.cost(&o[i..i + 1], &d[j..j + 1]));
                }
                // Headings and footnotes are not merged or split in translation; paragraphs
                // and items are.
                let mergeable =
                    matches!(kind, UnitKind::Paragraph | UnitKind::Item | UnitKind::Block);
                if mergeable && i + 1 < n && j < m {
                    relax(2, 1, self.cost(&o[i..i + 2], &d[j..j + 1]));
                }
                if mergeable && i < n && j + 1 < m {
                    relax(1, 2, self.cost(&o[i..i + 1], &d[j..j + 2]));
                }
            }
        }
        let mut links = Vec::new();
        let (mut i, mut j) = (n, m);
        while i > 0 || j > 0 {
            let Move::Match(di, dj) = back[i][j] else {
                break;
            };
            links.push(Link {
                kind,
                original: o[i - di..i].to_vec(),
                draft: d[j - dj..j].to_vec(),
                draft_at: 0..0,
                confident: true,
            });
            i -= di;
            j -= dj;
        }
        links.reverse();
        if kind == UnitKind::Block {
            for l in &mut links {
                let lo: usize = l.original.iter().map(|&i| self.o.units[i].chars).sum();
                let ld: usize = l.draft.iter().map(|&i| self.d.units[i].chars).sum();
                let r = ld as f64 / (self.ratio * lo.max(1) as f64);
                l.confident = (0.7..=1.4).contains(&r);
            }
        }
        // Where each link sits in the draft.
        let mut next_at: Option<Span> = None;
        for l in links.iter_mut().rev() {
            match l.draft.first() {
                Some(&u) => {
                    l.draft_at = self.d.units[u].anchor.clone();
                    next_at = Some(l.draft_at.clone());
                }
                None => l.draft_at = next_at.clone().unwrap_or(0..0),
            }
        }
        let mut prev_at: Option<Span> = None;
        for l in links.iter_mut() {
            if l.draft.is_empty() && l.draft_at == (0..0) {
                if let Some(p) = &prev_at {
                    l.draft_at = p.clone();
                }
            }
            if let Some(&u) = l.draft.last() {
                prev_at = Some(self.d.units[u].anchor.clone());
            }
        }
        links
    }
}
