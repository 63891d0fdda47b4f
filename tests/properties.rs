//! Property tests: the parser and the rules never panic, and every span they produce lies on
//! char boundaries inside the text, whatever the input; `--fix` is idempotent and keeps every
//! byte outside its edits; the output is the same whatever the number of threads.

use proptest::prelude::*;
use std::sync::Arc;
use unlint::config::Config;
use unlint::engine::{Engine, Selection};

/// Fragments that exercise the grammar: numbers, labels, headings, furniture, Markdown, OCR.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1. ".to_string()),
        Just("44, ".to_string()),
        Just("a) ".to_string()),
        Just("(ii) ".to_string()),
        Just("¢) ".to_string()),
        Just("I. ".to_string()),
        Just("ITII. ".to_string()),
        Just("A. ".to_string()),
        Just("## ".to_string()),
        Just("**".to_string()),
        Just("- ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("__________________\n".to_string()),
        Just("V.17-02181 7/11\n".to_string()),
        Just("http://undocs.org/fr/A/RES/74/174\n".to_string()),
        Just("E/CN.15/2020/12\n".to_string()),
        Just("[65/230](#)".to_string()),
        Just("1<sup>re</sup> séance".to_string()),
        Just("résolution 20/7 ".to_string()),
        Just("le 27 mars 2019".to_string()),
        Just("Distr. générale\n".to_string()),
        Just("(suite)".to_string()),
        Just(" : ".to_string()),
        Just("1’Assemblée pri¢ ".to_string()),
        // Fixable defects: spacing, apostrophes, OCR, weekdays, symbols, terms, markers.
        Just("ceci: ".to_string()),
        Just(" ;le ".to_string()),
        Just("« texte» ".to_string()),
        Just("l'avis d’experts ".to_string()),
        Just("le mardi 12 avril 2019 ".to_string()),
        Just("A/RES/65/ 230 ".to_string()),
        Just("le phishing ".to_string()),
        Just("preuves numériques, preuves électroniques ".to_string()),
        Just("<!-- unlint-disable-next-line typography/spacing -->\n".to_string()),
        Just("## II. Titre\n### III. Titre\n".to_string()),
        Just("« ".to_string()),
        "[a-zA-Zéèàç’' .,;:]{0,12}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..60).prop_map(|v| v.concat())
}

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(Config::embedded().unwrap(), &Selection::default()))
}

fn check_span(text: &str, span: &std::ops::Range<usize>, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} outside text of {} bytes",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} not on char boundaries"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn parser_spans_are_valid(text in document()) {
        let doc = unlint::document::parse(text.clone());
        // The prose view is the text blanked in place: same length, and the text comes back
        // whole, from `text()` and from `into_text()`.
        prop_assert_eq!(doc.prose.len(), text.len());
        prop_assert_eq!(doc.text(), text.as_str());
        for h in &doc.headings {
            check_span(&text, &h.span, "heading")?;
            for s in [&h.number_span, &h.title_span, &h.punct_span].into_iter().flatten() {
                check_span(&text, s, "heading part")?;
            }
        }
        for p in &doc.paragraphs {
            check_span(&text, &p.span, "paragraph")?;
            check_span(&text, &p.number_span, "paragraph number")?;
        }
        for it in &doc.items {
            check_span(&text, &it.span, "item")?;
            check_span(&text, &it.label_span, "item label")?;
        }
        for f in &doc.footnotes {
            check_span(&text, &f.span, "footnote")?;
        }
        let _ = unlint::document::outline(&doc);
        // A slice of the document is the text's, blanked or not.
        for l in &doc.lines {
            prop_assert_eq!(doc.slice(&l.span()), &text[l.span()]);
        }
        for f in &doc.furniture {
            prop_assert_eq!(doc.slice(&f.span), &text[f.span.clone()]);
        }
        prop_assert_eq!(doc.into_text(), text);
    }

    #[test]
    fn rules_never_panic_and_point_inside_the_text(text in document()) {
        let mut doc = unlint::document::parse(text.clone());
        let path: Arc<str> = Arc::from("prop.txt");
        for d in engine().check_text(&path, &mut doc) {
            check_span(&text, &d.span, d.rule)?;
            for l in &d.labels {
                if l.path.is_none() {
                    check_span(&text, &l.span, d.rule)?;
                }
            }
            if let Some(fix) = &d.fix {
                for e in fix.edits() {
                    check_span(&text, &e.span, "fix")?;
                }
            }
        }
    }
}

/// Every byte outside the spans of the safe edits offered in `diags` is kept, in order: the
/// pieces of `before` between those spans appear in `after` in the same order, the first one as
/// a prefix and the last one as a suffix.
fn check_outside_edits_kept(
    before: &str,
    after: &str,
    diags: &[unlint::diagnostic::Diagnostic],
) -> Result<(), TestCaseError> {
    let mut spans: Vec<(usize, usize)> = diags
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.safe)
        .flat_map(|f| f.edits().iter().map(|e| (e.span.start, e.span.end)))
        .collect();
    spans.sort();
    // An edit at offset 0 (an insertion there too: « ’u » → « L’u ») means the first kept
    // piece is not a prefix of the fixed text.
    let starts_with_edit = spans.first().is_some_and(|s| s.0 == 0);
    // Kept pieces: the text between the merged edit spans.
    let mut kept = Vec::new();
    let mut pos = 0;
    for (s, e) in spans {
        if s > pos {
            kept.push(&before[pos..s]);
        } else if s == pos && !kept.is_empty() {
            // Touching edits: an insertion may go between, keep the pieces apart.
            kept.push("");
        }
        pos = pos.max(e);
    }
    let last = &before[pos..];
    let mut at = 0;
    for (i, piece) in kept.iter().enumerate() {
        let found = if i == 0 && !starts_with_edit {
            after.starts_with(piece).then_some(0)
        } else {
            after[at..].find(piece).map(|k| k + at)
        };
        let Some(k) = found else {
            return Err(TestCaseError::fail(format!(
                "kept piece {piece:?} missing from the fixed text {after:?}"
            )));
        };
        at = k + piece.len();
    }
    prop_assert!(
        after[at..].ends_with(last),
        "the end {last:?} of the text is not kept in {after:?}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// One pass of safe fixes keeps the text outside the edits byte for byte; `fix_text` reaches
    /// a fixpoint: fixing its output again changes nothing.
    #[test]
    fn fix_is_idempotent_and_keeps_text_outside_edits(text in document()) {
        let path: Arc<str> = Arc::from("prop.txt");
        let mut doc = unlint::document::parse(text.clone());
        let diags = engine().check_text(&path, &mut doc);
        let once = unlint::fix::apply_safe(&text, &diags);
        check_outside_edits_kept(&text, &once.text, &diags)?;
        if !diags.iter().any(|d| d.fix.as_ref().is_some_and(|f| f.safe)) {
            prop_assert_eq!(&once.text, &text);
        }

        let fixed = unlint::fix::fix_text(engine(), &path, text.clone());
        let again = unlint::fix::fix_text(engine(), &path, fixed.text.clone());
        prop_assert_eq!(&again.text, &fixed.text, "a second --fix changed the text");
        prop_assert_eq!(again.fixed, 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// The same files give the same report (JSON, so every field counts) with 1 and 4 threads,
    /// cross-file rules included.
    #[test]
    fn output_is_the_same_with_one_and_many_threads(
        texts in prop::collection::vec(document(), 1..6)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<std::path::PathBuf> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let p = dir.path().join(format!("f{i}.txt"));
                std::fs::write(&p, t).unwrap();
                p
            })
            .collect();
        let run_with = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| unlint::report::json::render(&engine().run(&paths)))
        };
        let one = run_with(1);
        prop_assert_eq!(&one, &run_with(4));
    }
}
