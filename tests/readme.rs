//! The README's configuration example must stay valid: it is the documentation users copy.

#[test]
fn readme_config_example_loads() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("```toml\n[files]")
        .expect("README has the configuration example")
        + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let mut config = unlint::config::Config::embedded().unwrap();
    if let Err(e) = config.add_layer("README.md example", &readme[start..end]) {
        panic!("the README's configuration example is invalid: {e}");
    }
    assert_eq!(
        config.rules["numbering/paragraph"].severity,
        unlint::diagnostic::Severity::Error
    );
    assert!(!config.rules["references/link"].enabled);
    let rules = unlint::engine::all_rules(&config);
    assert!(rules.iter().any(|r| r.id() == "custom/afin-de-permettre"));
}

/// Every TOML block of the README (the custom-rule examples included) is valid configuration.
#[test]
fn every_readme_toml_block_loads() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut blocks = 0;
    for (i, chunk) in readme.split("```toml\n").enumerate().skip(1) {
        let block = &chunk[..chunk.find("```").unwrap()];
        let mut config = unlint::config::Config::embedded().unwrap();
        if let Err(e) = config.add_layer(&format!("README.md toml block {i}"), block) {
            panic!("README toml block {i} is invalid: {e}\n{block}");
        }
        blocks += 1;
    }
    assert!(
        blocks >= 5,
        "expected the configuration example and one block per custom kind"
    );
}
