use super::{Sequence, Step};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, ItemStyle};
use crate::rules::{Context, Rule};
use crate::text::{alpha_label, to_roman};

declare_rule! {
    /// ## What it checks
    /// Subparagraph labels run in order within each list: `a) b) c)` … `z) aa) bb)`, roman
    /// `i) ii) iii)`, and numbered agenda items `1. 2. 3.`.
    ///
    /// ## Why it matters
    /// A skipped or repeated label is the trace of an item deleted or pasted twice.
    ///
    /// ## Example
    /// ```text
    /// a) Les États Membres devraient…;
    /// c) Les pays devraient…;        <- expected b)
    /// ```
    ///
    /// ## Configuration
    /// No options. Whether `i)` is a letter or a roman numeral is decided from context by the
    /// parser (after `h)` it is a letter; after `k) … :` it opens a roman list).
    pub struct ItemNumbering = "numbering/item", Severity::Warning;
}

fn label(style: ItemStyle, n: u32) -> String {
    match style {
        ItemStyle::Alpha => format!("{})", alpha_label(n)),
        ItemStyle::Roman => format!("{})", to_roman(n).to_lowercase()),
        ItemStyle::Numeric => format!("{n}."),
    }
}

impl Rule for ItemNumbering {
    crate::rule_meta!();

    fn check(&self, doc: &Document, _ctx: &Context, out: &mut Vec<Diagnostic>) {
        // Per list id: its sequence and its previous item. And per item: the ordinal of the
        // next item of its list, from one backward pass (a search forward from each item was
        // quadratic in a long document).
        let mut lists: rustc_hash::FxHashMap<usize, (Sequence, Option<usize>)> =
            rustc_hash::FxHashMap::default();
        let mut next_in_list = vec![None; doc.items.len()];
        let mut later: rustc_hash::FxHashMap<usize, u32> = rustc_hash::FxHashMap::default();
        for (idx, it) in doc.items.iter().enumerate().rev() {
            next_in_list[idx] = later.insert(it.list, it.ordinal);
        }
        for (idx, it) in doc.items.iter().enumerate() {
            let (seq, prev) = lists
                .entry(it.list)
                .or_insert_with(|| (Sequence::new(Some(1)), None));
            // The item's own label, made only for a finding: most items are in order.
            let written = || label(it.style, it.ordinal);
            let next = next_in_list[idx];
            let d = match seq.step(it.ordinal, next) {
                Step::Ok => None,
                Step::Misnumbered { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        it.label_span.clone(),
                        format!(
                            "item labelled {} where {} was expected",
                            written(),
                            label(it.style, expected)
                        ),
                    )
                    .with_help(format!(
                        "relabel it {}: the items around it run in order",
                        label(it.style, expected)
                    )),
                ),
                Step::Gap { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        it.label_span.clone(),
                        // « item 4 skips 3 », not « item 4. skips 3. »: no final period.
                        format!(
                            "item {} skips {}",
                            written().trim_end_matches('.'),
                            label(it.style, expected).trim_end_matches('.')
                        ),
                    )
                    .with_help(format!("expected {} here", label(it.style, expected))),
                ),
                Step::Duplicate => Some(
                    Diagnostic::new(
                        Self::ID,
                        it.label_span.clone(),
                        format!("item label {} is used twice in this list", written()),
                    )
                    .with_help(format!("expected {} here", label(it.style, it.ordinal + 1))),
                ),
                Step::Disorder { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        it.label_span.clone(),
                        format!("item {} is out of order", written()),
                    )
                    .with_help(format!("expected {} here", label(it.style, expected))),
                ),
            };
            if let Some(mut d) = d {
                if let Some(p) = *prev {
                    d = d.with_label(
                        doc.items[p].label_span.clone(),
                        "previous item of this list",
                    );
                }
                out.push(d);
            }
            *prev = Some(idx);
        }
    }
}
