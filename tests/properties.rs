//! Property tests: the parser and the rules never panic, and every span they produce lies on
//! char boundaries inside the text, whatever the input.

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
        prop_assert_eq!(doc.prose.len(), doc.text.len());
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
    }

    #[test]
    fn rules_never_panic_and_point_inside_the_text(text in document()) {
        let doc = unlint::document::parse(text.clone());
        let path: Arc<str> = Arc::from("prop.txt");
        for d in engine().check_text(&path, &doc) {
            check_span(&text, &d.span, d.rule)?;
            for l in &d.labels {
                if l.path.is_none() {
                    check_span(&text, &l.span, d.rule)?;
                }
            }
            if let Some(fix) = &d.fix {
                for e in &fix.edits {
                    check_span(&text, &e.span, "fix")?;
                }
            }
        }
    }
}
