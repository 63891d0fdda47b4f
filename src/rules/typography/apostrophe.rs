use super::{char_before, letter_at, shared_apostrophes, shared_code_or_url_marks, LineCursor};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::Document;
use crate::extract::words::is_alphabetic;
use crate::rules::{Context, Rule};
use std::sync::Arc;

declare_rule! {
    /// ## What it checks
    /// Straight (') and typographic (’) apostrophes mixed within one document. Only
    /// apostrophes between two letters count (« l’État », "don't"); quotation marks, code spans
    /// and URLs are left alone. Each apostrophe of the minority form is reported with the counts
    /// of both, and fixed to the majority form.
    ///
    /// ## Why it matters
    /// A report is typeset with one apostrophe; a mixture betrays pasted or OCR'd text, and it
    /// splits searches and translation-memory matches (« l'État » does not match « l’État »).
    ///
    /// ## Example
    /// ```text
    /// … le Groupe d’experts … des pays qui bénéficiaient d'une assistance technique
    ///                                                      ^ straight, the rest is curly
    /// ```
    ///
    /// ## Configuration
    /// No options. A tie reports nothing.
    pub struct Apostrophe = "typography/apostrophe", Severity::Warning;
}

impl Rule for Apostrophe {
    crate::rule_meta!();

    fn fixable(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, _ctx: &Context, out: &mut Vec<Diagnostic>) {
        let prose = doc.prose.as_str();
        let mut straight = Vec::new();
        let mut curly = Vec::new();
        let mut lines = LineCursor::new(doc, shared_code_or_url_marks(doc));
        for (p, c) in shared_apostrophes(doc) {
            // `is_alphabetic` is `char::is_alphabetic` (a test of `words` checks it), without
            // its table search for the accented letters.
            let letter_before = char_before(prose, p).is_some_and(is_alphabetic);
            if !letter_before || !letter_at(prose, p + c.len_utf8()) {
                continue;
            }
            if lines.skip(p) {
                continue;
            }
            if c == '\'' {
                straight.push(p);
            } else {
                curly.push(p);
            }
        }
        let (minority, from, to, n_min, n_maj) = match straight.len().cmp(&curly.len()) {
            std::cmp::Ordering::Less => (&straight, '\'', '’', straight.len(), curly.len()),
            std::cmp::Ordering::Greater => (&curly, '’', '\'', curly.len(), straight.len()),
            std::cmp::Ordering::Equal => return,
        };
        let (name_from, name_to) = if from == '\'' {
            ("straight", "typographic")
        } else {
            ("typographic", "straight")
        };
        // Every diagnostic says the same: formatted once and shared (an `Arc` clone each), as
        // a document can have tens of thousands of them.
        let message: Arc<str> = format!(
            "{name_from} apostrophe `{from}` in a document that uses `{to}` ({n_min} `{from}` against {n_maj} `{to}`)"
        )
        .into();
        let help: Arc<str> =
            format!("use the {name_to} apostrophe `{to}` like the rest of the document").into();
        let replacement: Arc<str> = to.to_string().into();
        out.reserve(minority.len());
        for &p in minority {
            let span = p..p + from.len_utf8();
            out.push(
                Diagnostic::new(Apostrophe::ID, span.clone(), message.clone())
                    .with_help(help.clone())
                    .with_fix(Fix::safe(span, replacement.clone())),
            );
        }
    }
}
