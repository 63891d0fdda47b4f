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

/// `rules_dirs` loads every `*.toml` of the named directories, relative to the config file,
/// as further layers; a missing directory is an error at its line.
#[test]
fn rules_dirs_load_house_rule_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("house")).unwrap();
    std::fs::write(dir.path().join("unlint.toml"), "rules_dirs = [\"house\"]\n").unwrap();
    std::fs::write(
        dir.path().join("house/etc.toml"),
        "[[rule]]\nid = \"custom/etc\"\nkind = \"existence\"\ntokens = [\"etc.\"]\nmessage = \"avoid « {match} »\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("house/notes.txt"), "not a rule file").unwrap();
    let config = Config::load(Some(&dir.path().join("unlint.toml")), false).unwrap();
    let rules = unlint::engine::all_rules(&config);
    assert!(rules.iter().any(|r| r.id() == "custom/etc"));

    std::fs::write(
        dir.path().join("unlint.toml"),
        "\nrules_dirs = [\"missing\"]\n",
    )
    .unwrap();
    let e = Config::load(Some(&dir.path().join("unlint.toml")), false).unwrap_err();
    assert!(
        e.to_string().contains("unlint.toml:2:")
            && e.to_string().contains("cannot read rules directory"),
        "{e}"
    );
}
