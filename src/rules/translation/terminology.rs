use super::{matched, quote};
use crate::compare::terms::Normalized;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules::{PairContext, Rule};

declare_rule! {
    /// ## What it checks
    /// Terms of the bilingual list whose required translation is missing: when an original
    /// paragraph (item, heading, footnote) contains a listed term, the aligned part of the
    /// draft must contain one of its listed translations ("General Assembly" → « Assemblée
    /// générale », "Member States" → « États Membres »). Case, line breaks and the kind of
    /// apostrophe do not matter. The list works in both directions.
    ///
    /// ## Why it matters
    /// Names of bodies, offices and instruments have one official translation; a paraphrase
    /// (« l'Office des Nations Unies sur les drogues ») reads as another body.
    ///
    /// ## Example
    /// ```text
    /// original: 6. … the Economic and Social Council decided …
    /// draft:    6. … le Conseil économique et sociétal a décidé …   <- « Conseil économique et social » expected
    /// ```
    ///
    /// ## Configuration
    /// The list is `[[translation.terms]]` in unlint.toml (shipped entries: rules/translation.toml):
    /// ```toml
    /// [[translation.terms]]
    /// en = "Member States"
    /// fr = ["États Membres"]         # one form or a list of accepted forms
    /// note = "why, shown as help"    # optional
    /// ```
    /// An entry with the same `en` as a shipped one replaces it.
    pub struct TranslationTerminology = "translation/terminology", Severity::Warning;
}

/// The longest opening (two words or more) of `form` found in the normalised draft text.
fn near_miss(text: &Normalized, form: &str) -> Option<(usize, usize)> {
    let norm = Normalized::new(form).text;
    let words: Vec<&str> = norm.split(' ').collect();
    (2..words.len()).rev().find_map(|n| {
        let prefix = words[..n].join(" ");
        text.text
            .find(&prefix)
            .filter(|&k| {
                !text.text[..k]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            })
            .map(|k| (k, k + prefix.len()))
    })
}

/// The document span of a normalised span of the joined text of some units.
fn locate(
    al: &crate::compare::Alignment,
    units: &[usize],
    joined: &str,
    start: usize,
    end: usize,
) -> Option<crate::document::Span> {
    let span = Normalized::new(joined).source(start, end);
    // Walk the pieces as `Unit::text` joined them (one space between pieces).
    let mut at = 0;
    for &u in units {
        for piece in &al.draft.units[u].body {
            let len = piece.len();
            if span.start >= at && span.end <= at + len {
                return Some(piece.start + span.start - at..piece.start + span.end - at);
            }
            at += len + 1;
        }
    }
    None
}

impl Rule for TranslationTerminology {
    crate::rule_meta!();

    fn check_pair(
        &self,
        original: &Document,
        draft: &Document,
        ctx: &PairContext,
        out: &mut Vec<Diagnostic>,
    ) {
        let al = ctx.alignment;
        let (src, tgt) = (al.original.lang, al.draft.lang);
        let index = &ctx.shared.terms;
        if src == tgt || index.terms.is_empty() {
            return;
        }
        // A draft that lost a passage (translation/structure) lacks its terms too.
        for l in matched(al).filter(|l| !al.is_short(l)) {
            // The draft's text of the link, normalised once.
            let draft_text: String = l
                .draft
                .iter()
                .map(|&u| al.draft.units[u].text(draft).into_owned())
                .collect::<Vec<_>>()
                .join(" ");
            let draft_norm = Normalized::new(&draft_text);
            let draft_terms: Vec<usize> = index
                .find(tgt, &draft_norm)
                .into_iter()
                .map(|h| h.term)
                .collect();
            let mut reported = Vec::new();
            for &ou in &l.original {
                let u = &al.original.units[ou];
                for piece in &u.body {
                    let norm = Normalized::new(&original.prose[piece.clone()]);
                    for hit in index.find(src, &norm) {
                        if draft_terms.contains(&hit.term) || reported.contains(&hit.term) {
                            continue;
                        }
                        reported.push(hit.term);
                        let term = &index.terms[hit.term];
                        let span = norm.source(hit.start, hit.end);
                        let found =
                            &original.text()[piece.start + span.start..piece.start + span.end];
                        let found = quote(src, found);
                        let required = term.forms(tgt);
                        let req = required
                            .iter()
                            .map(|f| quote(tgt, f))
                            .collect::<Vec<_>>()
                            .join(" or ");
                        let help = match &term.note {
                            Some(n) => format!("write {req}: {n}"),
                            None => {
                                format!("write {req}, the required translation in the term list")
                            }
                        };
                        // Point at the draft's near miss: the longest opening of a required
                        // form (two words at least) found in the draft's text.
                        let at = required
                            .iter()
                            .find_map(|f| near_miss(&draft_norm, f))
                            .and_then(|(s, e)| locate(al, &l.draft, &draft_text, s, e))
                            .unwrap_or_else(|| l.draft_at.clone());
                        out.push(
                            Diagnostic::new(
                                Self::ID,
                                at,
                                format!(
                                    "{found} of the original is not rendered as {req} in the draft's {}",
                                    al.draft.units[l.draft[0]].name
                                ),
                            )
                            .with_label_in(
                                ctx.original_path.clone(),
                                piece.start + span.start..piece.start + span.end,
                                format!("{found} in the original"),
                            )
                            .with_help(help),
                        );
                    }
                }
            }
        }
    }
}
