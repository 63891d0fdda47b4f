//! `translation/*` rules: a translated draft checked against its original (`unlint compare`,
//! `--pair`). They run only on pairs (`check_pair`); on a single document they do nothing.
//! The alignment of the two documents ([`crate::compare`]) is computed once per pair.

mod dates;
mod numbers;
mod references;
mod structure;
mod terminology;
mod untranslated;

pub use dates::TranslationDates;
pub use numbers::TranslationNumbers;
pub use references::TranslationReferences;
pub use structure::TranslationStructure;
pub use terminology::TranslationTerminology;
pub use untranslated::TranslationUntranslated;

use super::Rule;
use crate::compare::{Alignment, Link, Side};
use crate::document::{Document, Span};

/// The rules of this group.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &TranslationStructure,
        &TranslationNumbers,
        &TranslationReferences,
        &TranslationDates,
        &TranslationUntranslated,
        &TranslationTerminology,
    ]
}

/// Quotes text the way its language does: « texte », "text". Whitespace runs become one space.
pub(crate) fn quote(lang: crate::document::Lang, s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match lang {
        crate::document::Lang::Fr => format!("« {s} »"),
        crate::document::Lang::En => format!("\"{s}\""),
    }
}

/// The first line of a span (for pointing at long units).
pub(crate) fn first_line(doc: &Document, span: &Span) -> Span {
    let s = &doc.text()[span.clone()];
    let lead = s.len() - s.trim_start().len();
    let start = span.start + lead;
    let end = doc.text()[start..span.end]
        .find('\n')
        .map_or(span.end, |k| start + k);
    let t = doc.text()[start..end].trim_end();
    start..start + t.len()
}

/// The name of the units of one side of a link: `paragraph 5`, `paragraphs 5 and 6`.
pub(crate) fn names(side: &Side, units: &[usize]) -> String {
    match units {
        [one] => side.units[*one].name.clone(),
        [a, b] => {
            let (na, nb) = (&side.units[*a].name, &side.units[*b].name);
            // « paragraph 5 » + « paragraph 6 » → « paragraphs 5 and 6 ».
            match (na.split_once(' '), nb.split_once(' ')) {
                (Some((ka, ra)), Some((kb, rb)))
                    if ka == kb && !ra.contains(' ') && !rb.contains(' ') =>
                {
                    format!("{ka}s {ra} and {rb}")
                }
                _ => format!("{na} and {nb}"),
            }
        }
        _ => "?".to_string(),
    }
}

/// Pairs what is left on each side after cancelling equal facts: figures first with figures in
/// order. Returns (pairs, unpaired original, unpaired draft).
/// The facts of one kind held by `units` of a side, in text order: `per_unit[u]` indexes `pool`.
pub(crate) fn gather<T: Clone>(
    units: &[usize],
    per_unit: &[Vec<usize>],
    pool: &[T],
    start: impl Fn(&T) -> usize,
) -> Vec<T> {
    let mut v: Vec<T> = units
        .iter()
        .flat_map(|&u| per_unit[u].iter().map(|&i| pool[i].clone()))
        .collect();
    v.sort_by_key(|x| start(x));
    v
}

pub(crate) fn pair_leftovers<T: Clone>(o: Vec<T>, d: Vec<T>) -> (Vec<(T, T)>, Vec<T>, Vec<T>) {
    let n = o.len().min(d.len());
    let pairs = o.iter().cloned().zip(d.iter().cloned()).take(n).collect();
    (pairs, o[n..].to_vec(), d[n..].to_vec())
}

/// Cancels items of `o` and `d` that `same` matches (each used once); returns the leftovers.
pub(crate) fn cancel<T: Clone>(
    o: &[T],
    d: &[T],
    same: impl Fn(&T, &T) -> bool,
) -> (Vec<T>, Vec<T>) {
    let mut used = vec![false; d.len()];
    let mut left_o = Vec::new();
    for x in o {
        match (0..d.len()).find(|&j| !used[j] && same(x, &d[j])) {
            Some(j) => used[j] = true,
            None => left_o.push(x.clone()),
        }
    }
    let left_d = d
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(x, _)| x.clone())
        .collect();
    (left_o, left_d)
}

/// Links whose contents can be compared: both sides present, a sure match, and a draft side
/// that is translated (untranslated text is translation/untranslated's finding).
pub(crate) fn matched(al: &Alignment) -> impl Iterator<Item = &Link> {
    al.links.iter().filter(|l| {
        !l.original.is_empty()
            && !l.draft.is_empty()
            && l.confident
            && !l.draft.iter().all(|&u| al.untranslated[u])
    })
}
