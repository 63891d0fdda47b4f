use super::matched;
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
        for l in matched(&al.links) {
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
                            &original.text[piece.start + span.start..piece.start + span.end];
                        let found = found.split_whitespace().collect::<Vec<_>>().join(" ");
                        let required = term.forms(tgt);
                        let req = required
                            .iter()
                            .map(|f| format!("« {f} »"))
                            .collect::<Vec<_>>()
                            .join(" or ");
                        let help = match &term.note {
                            Some(n) => format!("write {req}: {n}"),
                            None => {
                                format!("write {req}, the required translation in the term list")
                            }
                        };
                        out.push(
                            Diagnostic::new(
                                Self::ID,
                                l.draft_at.clone(),
                                format!(
                                    "« {found} » of the original is not rendered as {req} in the draft's {}",
                                    al.draft.units[l.draft[0]].name
                                ),
                            )
                            .with_label_in(
                                ctx.original_path.clone(),
                                piece.start + span.start..piece.start + span.end,
                                format!("« {found} » in the original"),
                            )
                            .with_help(help),
                        );
                    }
                }
            }
        }
    }
}
