//! Configuration layering details that are public behaviour.

use unlint::config::Config;

/// `[[terminology.bilingual]]` (the name the issue tracker uses) and `[[translation.terms]]`
/// feed the same bilingual list of translation/terminology.
#[test]
fn terminology_bilingual_is_translation_terms() {
    let mut config = Config::embedded().unwrap();
    let before = config.translation.terms.len();
    config
        .add_layer(
            "unlint.toml",
            "[[terminology.bilingual]]\nen = \"expert group\"\nfr = [\"groupe d'experts\"]\n\n[[translation.terms]]\nen = \"dark web\"\nfr = \"dark Web\"\n",
        )
        .unwrap();
    assert_eq!(config.translation.terms.len(), before + 2);
    assert!(config
        .translation
        .terms
        .iter()
        .any(|t| t.forms(unlint::document::Lang::En) == vec!["expert group"]));
}

/// A later layer's unknown key is an error that points at its line.
#[test]
fn unknown_key_points_at_its_line() {
    let mut config = Config::embedded().unwrap();
    let e = config
        .add_layer("unlint.toml", "[files]\ninclude = []\nexclud = []\n")
        .unwrap_err();
    assert!(e.to_string().starts_with("unlint.toml:3:1:"), "{e}");
}
