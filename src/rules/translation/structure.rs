use super::names;
use crate::compare::{Link, UnitKind};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{PairContext, Rule};
use std::collections::HashMap;

declare_rule! {
    /// ## What it checks
    /// That the draft has the structure of its original: every section, subsection, numbered
    /// paragraph, lettered or roman item and footnote of the original is in the draft, nothing
    /// was added, two paragraphs were not merged into one or one split in two, and the draft
    /// keeps the original's numbers. Units are aligned by their numbers, their length and the
    /// figures, references and dates they share, so one lost paragraph is reported once and the
    /// rest of the report stays aligned.
    ///
    /// ## Why it matters
    /// All language versions of a report are cited by the same paragraph numbers
    /// (« voir par. 12 » / "see para. 12"). A paragraph lost or merged in translation silently
    /// changes what every later citation points at.
    ///
    /// ## Example
    /// ```text
    /// original (en)                         draft (fr)
    /// 11. The Expert Group held…            11. Le Groupe d'experts a tenu…
    /// 12. At its second meeting…            13. Le Bureau élargi…    <- paragraph 12 is missing
    /// ```
    ///
    /// ## Configuration
    /// No options. Runs only on pairs: `unlint compare ORIGINAL DRAFT` or
    /// `--pair en --pair fr`. Unnumbered headings missing on one side are reported as `info`.
    pub struct TranslationStructure = "translation/structure", Severity::Warning;
}

fn kind_plural(k: UnitKind) -> &'static str {
    match k {
        UnitKind::Paragraph => "paragraphs",
        UnitKind::Item => "items",
        UnitKind::Footnote => "footnotes",
        UnitKind::Section => "sections",
        UnitKind::Subsection => "subsections",
        _ => "headings",
    }
}

/// What came before a link in its sequence.
enum Prev {
    /// A lost, added, merged or split unit.
    Event,
    /// A one-to-one link with this numbering offset (`None`: same number).
    Offset(Option<String>),
}

/// How a draft number differs from the original's: the difference of their last numeric parts
/// (`+1`, `-2`), or the two keys when they are not numeric; `None` when they are equal.
fn offset(o: Option<&str>, d: Option<&str>) -> Option<String> {
    let (o, d) = (o?, d?);
    if o == d {
        return None;
    }
    let tail = |k: &str| -> Option<i64> {
        let digits: String = k
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        digits.parse().ok()
    };
    match (tail(o), tail(d)) {
        // Subsection II.A of a section renumbered III: the section's finding says it.
        (Some(x), Some(y)) if x == y => None,
        (Some(x), Some(y)) => Some(format!("{:+}", y - x)),
        _ => Some(format!("{o}->{d}")),
    }
}

impl Rule for TranslationStructure {
    crate::rule_meta!();

    fn check_pair(
        &self,
        _original: &Document,
        _draft: &Document,
        ctx: &PairContext,
        out: &mut Vec<Diagnostic>,
    ) {
        let al = ctx.alignment;
        let (o, d) = (&al.original, &al.draft);
        let links: Vec<&Link> = al
            .links
            .iter()
            // Unnumbered text is cut differently by page breaks on each side: not a structure.
            .filter(|l| !matches!(l.kind, UnitKind::Title | UnitKind::Block))
            .collect();
        let mut i = 0;
        // The numbering offset of the previous one-to-one link of the same kind.
        let mut prev_offset: HashMap<(UnitKind, Option<usize>), Prev> = HashMap::new();
        while i < links.len() {
            let l = links[i];
            let weak = l.kind == UnitKind::Heading;
            let finish = |mut diag: Diagnostic| {
                if weak {
                    diag = diag.with_severity(Severity::Info);
                }
                diag
            };
            let group = (l.kind, l.original.first().and_then(|&u| o.units[u].parent));
            match (l.original.len(), l.draft.len()) {
                (1, 0) => {
                    // A run of consecutive lost units of the same kind is one finding.
                    let mut j = i + 1;
                    while j < links.len()
                        && links[j].kind == l.kind
                        && links[j].draft.is_empty()
                        && links[j].original.len() == 1
                        && links[j].draft_at == l.draft_at
                    {
                        j += 1;
                    }
                    let first = &o.units[l.original[0]];
                    let msg = if j - i == 1 {
                        format!("{} of the original is missing from the draft", first.name)
                    } else {
                        let last = &o.units[links[j - 1].original[0]];
                        match (&first.key, &last.key, first.kind) {
                            (Some(a), Some(b), UnitKind::Paragraph) => format!(
                                "paragraphs {a}-{b} of the original are missing from the draft"
                            ),
                            _ => format!(
                                "{} {} of the original ({} to {}) are missing from the draft",
                                j - i,
                                kind_plural(l.kind),
                                first.name,
                                last.name
                            ),
                        }
                    };
                    let help = if l.kind == UnitKind::Footnote {
                        "restore the footnote, and its call in this paragraph, as in the original"
                    } else {
                        "translate the missing text and insert it here, keeping the original's numbering"
                    };
                    let mut diag =
                        Diagnostic::new(Self::ID, l.draft_at.clone(), msg).with_help(help);
                    for lk in &links[i..j] {
                        let u = &o.units[lk.original[0]];
                        diag = diag.with_label_in(
                            ctx.original_path.clone(),
                            u.anchor.clone(),
                            format!("{} in the original", u.name),
                        );
                    }
                    if !l.draft_at.is_empty() || d.units.is_empty() {
                        out.push(finish(diag));
                    }
                    prev_offset.insert(group, Prev::Event);
                    i = j;
                    continue;
                }
                (0, 1) => {
                    // A run of consecutive added units of the same kind is one finding.
                    let mut j = i + 1;
                    while j < links.len()
                        && links[j].kind == l.kind
                        && links[j].original.is_empty()
                        && links[j].draft.len() == 1
                    {
                        j += 1;
                    }
                    let u = &d.units[l.draft[0]];
                    let msg = if j - i == 1 {
                        format!("{} of the draft has no counterpart in the original", u.name)
                    } else {
                        let last = &d.units[links[j - 1].draft[0]];
                        format!(
                            "{} {} of the draft ({} to {}) have no counterpart in the original",
                            j - i,
                            kind_plural(l.kind),
                            u.name,
                            last.name
                        )
                    };
                    out.push(finish(
                        Diagnostic::new(Self::ID, u.anchor.clone(), msg)
                            .with_help("remove it, or check that the original has not lost it: an added unit shifts every later number"),
                    ));
                    prev_offset.insert(group, Prev::Event);
                    i = j;
                    continue;
                }
                (2, 1) => {
                    let u = &d.units[l.draft[0]];
                    let second = &o.units[l.original[1]];
                    out.push(finish(
                        Diagnostic::new(
                            Self::ID,
                            u.anchor.clone(),
                            format!(
                                "{} of the original are merged into {} of the draft",
                                names(o, &l.original),
                                u.name
                            ),
                        )
                        .with_label_in(
                            ctx.original_path.clone(),
                            o.units[l.original[0]].anchor.clone(),
                            format!("{} in the original", o.units[l.original[0]].name),
                        )
                        .with_label_in(
                            ctx.original_path.clone(),
                            second.anchor.clone(),
                            format!("{} starts here in the original", second.name),
                        )
                        .with_help(format!(
                            "split the draft's {} where the original's {} starts",
                            u.name, second.name
                        )),
                    ));
                    prev_offset.insert(group, Prev::Event);
                }
                (1, 2) => {
                    let u = &o.units[l.original[0]];
                    let second = &d.units[l.draft[1]];
                    out.push(finish(
                        Diagnostic::new(
                            Self::ID,
                            second.anchor.clone(),
                            format!(
                                "{} of the original is split into {} in the draft",
                                u.name,
                                names(d, &l.draft)
                            ),
                        )
                        .with_label_in(
                            ctx.original_path.clone(),
                            u.anchor.clone(),
                            format!("{} in the original", u.name),
                        )
                        .with_help(format!(
                            "join {} to the one before it, as in the original",
                            second.name
                        )),
                    ));
                    prev_offset.insert(group, Prev::Event);
                }
                (1, 1) => {
                    let (ou, du) = (&o.units[l.original[0]], &d.units[l.draft[0]]);
                    let cur = offset(ou.key.as_deref(), du.key.as_deref());
                    // One finding per run of the same renumbering; none right after a lost,
                    // added, merged or split unit, whose finding explains the shift.
                    let report = match (prev_offset.get(&group), &cur) {
                        (_, None) => false,
                        (Some(Prev::Event), _) => false,
                        (Some(Prev::Offset(p)), c) => p != c,
                        (None, _) => true,
                    };
                    if report {
                        let more = links[i + 1..]
                            .iter()
                            .take_while(|n| {
                                n.kind == l.kind
                                    && n.original.len() == 1
                                    && n.draft.len() == 1
                                    && offset(
                                        o.units[n.original[0]].key.as_deref(),
                                        d.units[n.draft[0]].key.as_deref(),
                                    ) == cur
                            })
                            .count();
                        let tail = if more > 0 {
                            format!(" (and {more} more after it)")
                        } else {
                            String::new()
                        };
                        out.push(finish(
                            Diagnostic::new(
                                Self::ID,
                                du.anchor.clone(),
                                format!(
                                    "{} of the draft is {} in the original{tail}",
                                    du.name, ou.name
                                ),
                            )
                            .with_label_in(
                                ctx.original_path.clone(),
                                ou.anchor.clone(),
                                format!("{} in the original", ou.name),
                            )
                            .with_help(format!(
                                "number it as in the original ({}) and renumber what follows",
                                ou.name
                            )),
                        ));
                    }
                    prev_offset.insert(group, Prev::Offset(cur));
                    // A long paragraph whose translation is much too short lost a passage.
                    let expected = al.ratio * ou.chars as f64;
                    if matches!(l.kind, UnitKind::Paragraph | UnitKind::Item)
                        && al.is_short(l)
                        && !al.untranslated[l.draft[0]]
                    {
                        let pct = (100.0 * du.chars as f64 / expected).round();
                        out.push(
                            Diagnostic::new(
                                Self::ID,
                                du.anchor.clone(),
                                format!(
                                    "{} of the draft is {pct} % of the length the original's {} suggests: a passage may be missing",
                                    du.name, ou.name
                                ),
                            )
                            .with_label_in(
                                ctx.original_path.clone(),
                                ou.anchor.clone(),
                                format!("{} in the original", ou.name),
                            )
                            .with_help("compare the two paragraphs sentence by sentence and translate what is missing"),
                        );
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
}
