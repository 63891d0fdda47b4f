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
        let mut lists: Vec<(usize, Sequence, Option<usize>)> = Vec::new();
        for (idx, it) in doc.items.iter().enumerate() {
            let pos = match lists.iter().position(|(id, _, _)| *id == it.list) {
                Some(p) => p,
                None => {
                    lists.push((it.list, Sequence::new(Some(1)), None));
                    lists.len() - 1
                }
            };
            let (_, seq, prev) = &mut lists[pos];
            let written = label(it.style, it.ordinal);
            let next = doc.items[idx + 1..]
                .iter()
                .find(|x| x.list == it.list)
                .map(|x| x.ordinal);
            let d = match seq.step(it.ordinal, next) {
                Step::Ok => None,
                Step::Misnumbered { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        it.label_span.clone(),
                        format!(
                            "item labelled {written} where {} was expected",
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
                        format!("item {written} skips {}", label(it.style, expected)),
                    )
                    .with_help(format!("expected {} here", label(it.style, expected))),
                ),
                Step::Duplicate => Some(
                    Diagnostic::new(
                        Self::ID,
                        it.label_span.clone(),
                        format!("item label {written} is used twice in this list"),
                    )
                    .with_help(format!("expected {} here", label(it.style, it.ordinal + 1))),
                ),
                Step::Disorder { expected } => Some(
                    Diagnostic::new(
                        Self::ID,
                        it.label_span.clone(),
                        format!("item {written} is out of order"),
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
