//! `references/*` rules: resolutions, decisions, document symbols and cross-references. They
//! read the extraction of [`crate::extract::references`], computed once per document.

mod inconsistent;
mod internal;
mod link;
mod registry;
mod resolution_body;
mod resolution_year;
mod session_year;
mod symbol;

pub use inconsistent::Inconsistent;
pub use internal::Internal;
pub use link::Link;
pub use registry::Registry;
pub use resolution_body::ResolutionBody;
pub use resolution_year::ResolutionYear;
pub use session_year::SessionYear;
pub use symbol::Symbol;

use super::Rule;
use crate::extract::references::{
    BodyRef, BodySource, Numbering, RefNumber, ReferencesConfig, ResolutionRef,
};
use std::ops::RangeInclusive;

/// The rules of this group.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &ResolutionYear,
        &SessionYear,
        &ResolutionBody,
        &Symbol,
        &Inconsistent,
        &Internal,
        &Link,
        &Registry,
    ]
}

/// « résolution 65/230 », "decision 2016/241": how a reference is named in messages.
pub(crate) fn label(r: &ResolutionRef) -> String {
    format!("{} {}", r.kind.word(), r.number.text())
}

/// The body a reference is attributed to with certainty by the text (not the default body,
/// not a short name resolved by context).
pub(crate) fn stated_body(r: &ResolutionRef) -> Option<&BodyRef> {
    r.body
        .as_ref()
        .filter(|b| b.is_definite() && !b.inferred && b.source != BodySource::Default)
}

/// The years in which a session-numbered reference could have been adopted, per candidate body:
/// its stated body, the candidates of a short name, or every session-numbered body.
pub(crate) fn session_years(
    cfg: &ReferencesConfig,
    r: &ResolutionRef,
) -> Vec<(String, RangeInclusive<i32>)> {
    let RefNumber::Session { session, .. } = r.number else {
        return Vec::new();
    };
    let ids: Vec<&str> = match &r.body {
        // a short name resolved by context may be wrong: accept any body it could mean
        Some(b) if b.inferred => b.alternatives.iter().map(String::as_str).collect(),
        Some(b) => b.candidates.iter().map(String::as_str).collect(),
        None => cfg
            .bodies
            .iter()
            .filter(|b| b.numbering == Numbering::Session)
            .map(|b| b.id.as_str())
            .collect(),
    };
    ids.into_iter()
        .filter_map(|id| {
            let b = cfg.body(id)?;
            b.session_years(session).map(|y| (id.to_string(), y))
        })
        .collect()
}

/// `2010` or `2010-2011`.
pub(crate) fn years_text(y: &RangeInclusive<i32>) -> String {
    if y.start() == y.end() {
        y.start().to_string()
    } else {
        format!("{}-{}", y.start(), y.end())
    }
}

/// The canonical texts of resolution numbers ([`RefNumber::text`]), each made once: the
/// cross-file rules group a corpus's citations by it, and a corpus cites the same numbers
/// again and again (a `format!`, an allocation and the string's growth per citation before).
#[derive(Default)]
pub(crate) struct NumberTexts<'a>(rustc_hash::FxHashMap<&'a RefNumber, std::rc::Rc<str>>);

impl<'a> NumberTexts<'a> {
    /// The text of `number`, shared with every citation of the same number.
    pub(crate) fn get(&mut self, number: &'a RefNumber) -> std::rc::Rc<str> {
        self.0
            .entry(number)
            .or_insert_with(|| number.text().into())
            .clone()
    }
}

/// The index of the most common value (ties: the first seen), and its count.
pub(crate) fn majority<T: PartialEq>(values: &[T]) -> (usize, usize) {
    let mut best = (0, 0);
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            continue;
        }
        let n = values.iter().filter(|w| *w == v).count();
        if n > best.1 {
            best = (i, n);
        }
    }
    best
}
