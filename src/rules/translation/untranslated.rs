use super::first_line;
use crate::compare::lang::Counts;
use crate::compare::{Side, UnitKind};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, Lang, Span};
use crate::rules::{PairContext, Rule};

declare_rule! {
    /// ## What it checks
    /// Text of the draft left in the original's language: a paragraph, item, heading or footnote
    /// identical to the one it is aligned with in the original, or written in the source
    /// language (counted by function words: "the", "of", "which"… against « le », « des »,
    /// « qui »…), and single sentences of the source language inside a translated paragraph.
    ///
    /// ## Why it matters
    /// A paragraph pasted from the original and never translated is the commonest defect of a
    /// rushed draft, and the easiest to miss when reading only the translation.
    ///
    /// ## Example
    /// ```text
    /// original: 8. The extended Bureau approved the dates of the fifth meeting…
    /// draft:    8. The extended Bureau approved the dates of the fifth meeting…   <- not translated
    /// ```
    ///
    /// ## Configuration
    /// No options. Runs only when the two documents are in different languages. Quoted titles
    /// and names inside French sentences are not reported: a sentence must have no French
    /// function word at all, and a whole unit many more English than French ones.
    pub struct TranslationUntranslated = "translation/untranslated", Severity::Warning;
}

fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::En => "English",
        Lang::Fr => "French",
    }
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Untranslated text of a draft side: (span, message, help).
pub(crate) fn findings(
    draft: &Document,
    side: &Side,
    original_texts: &dyn Fn(usize) -> Option<String>,
    src: Lang,
    tgt: Lang,
) -> Vec<(Span, String, String)> {
    let mut out = Vec::new();
    for (ui, u) in side.units.iter().enumerate() {
        if u.body.is_empty() {
            continue;
        }
        let text = u.text(draft);
        let c = Counts::unquoted(&text);
        let identical = original_texts(ui).is_some_and(|o| normalize(&o) == normalize(&text));
        let src_words = match src {
            Lang::En => c.en,
            Lang::Fr => c.fr,
        };
        let tgt_words = match tgt {
            Lang::En => c.en,
            Lang::Fr => c.fr,
        };
        let whole = if u.kind.is_heading() {
            identical && src_words >= 1 && c.words >= 3
        } else if u.kind == UnitKind::Footnote {
            // Footnotes cite sources by their own titles: only wholly source-language notes.
            (c.clearly(src, tgt) && tgt_words == 0) || (identical && src_words >= 2)
        } else {
            c.clearly(src, tgt) || (identical && src_words >= 2)
        };
        let at = first_line(draft, &(u.body[0].start..u.body[u.body.len() - 1].end));
        if whole {
            let msg = if identical {
                format!(
                    "{} is identical to the original: it was not translated",
                    u.name
                )
            } else {
                format!("{} is still in {}", u.name, lang_name(src))
            };
            out.push((at, msg, format!("translate it into {}", lang_name(tgt))));
            continue;
        }
        if !matches!(
            u.kind,
            UnitKind::Paragraph | UnitKind::Item | UnitKind::Block
        ) {
            continue;
        }
        // Single sentences left in the source language.
        for piece in &u.body {
            for s in sentences(&draft.prose, piece) {
                let sc = Counts::unquoted(&draft.prose[s.clone()]);
                let (a, b) = match src {
                    Lang::En => (sc.en, sc.fr),
                    Lang::Fr => (sc.fr, sc.en),
                };
                if sc.words >= 8 && a >= 4 && b == 0 {
                    out.push((
                        first_line(draft, &s),
                        format!("a sentence of {} is still in {}", u.name, lang_name(src)),
                        format!("translate the sentence into {}", lang_name(tgt)),
                    ));
                }
            }
        }
    }
    out
}

/// Sentences of a prose span: cut after `.`, `;`, `!`, `?` followed by a space or line end.
fn sentences(prose: &str, span: &Span) -> Vec<Span> {
    let s = &prose[span.clone()];
    let mut out = Vec::new();
    let mut start = 0;
    let b = s.as_bytes();
    for (i, c) in s.char_indices() {
        if matches!(c, '.' | ';' | '!' | '?')
            && b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())
        {
            out.push(span.start + start..span.start + i + 1);
            start = i + 1;
        }
    }
    if start < s.len() {
        out.push(span.start + start..span.end);
    }
    out.into_iter()
        .filter_map(|r| {
            let t = &prose[r.clone()];
            let lead = t.len() - t.trim_start().len();
            let trail = t.len() - t.trim_end().len();
            (r.start + lead < r.end - trail).then(|| r.start + lead..r.end - trail)
        })
        .collect()
}

impl Rule for TranslationUntranslated {
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
        if src == tgt {
            return;
        }
        let original_texts = |ui: usize| -> Option<String> {
            let l = al.link_of_draft(ui)?;
            if l.original.is_empty() {
                return None;
            }
            Some(
                l.original
                    .iter()
                    .map(|&u| al.original.units[u].text(original).into_owned())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        };
        for (span, msg, help) in findings(draft, &al.draft, &original_texts, src, tgt) {
            let mut d = Diagnostic::new(Self::ID, span.clone(), msg).with_help(help);
            let unit = al.draft.units.iter().position(|u| u.contains(span.start));
            if let Some(l) = unit.and_then(|u| al.link_of_draft(u)) {
                if let Some(&ou) = l.original.first() {
                    let u = &al.original.units[ou];
                    d = d.with_label_in(
                        ctx.original_path.clone(),
                        u.anchor.clone(),
                        format!("{} in the original", u.name),
                    );
                }
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The French seeds hold no English paragraph: nothing may be reported on them.
    #[test]
    fn silent_on_french_seeds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut found = Vec::new();
        for e in std::fs::read_dir(root).unwrap().flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let doc = crate::document::parse(text);
            let side = Side::new(&doc);
            for (span, msg, _) in findings(&doc, &side, &|_| None, Lang::En, Lang::Fr) {
                found.push(format!(
                    "{}: {msg}: {}",
                    e.path().display(),
                    doc.slice(&span)
                ));
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
}
