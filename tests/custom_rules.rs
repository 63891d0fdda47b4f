//! Custom `[[rule]]` configuration errors, cross-file drift, and `unlint rules` listing.
//!
//! Bless the corpus snapshot with `UNLINT_BLESS=1 cargo test --test custom_rules`.

mod common;

use std::path::Path;
use unlint::config::Config;

fn load_error(toml: &str) -> String {
    let mut config = Config::embedded().expect("embedded config loads");
    match config.add_layer("unlint.toml", toml) {
        Ok(()) => panic!("configuration should be rejected:\n{toml}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn config_errors_point_at_line_and_column() {
    let cases = [
        (
            "[[rule]]\nid = \"custom/x\"\nkind = \"frobnicate\"\nmessage = \"m\"\n",
            "unlint.toml:3:1: unknown kind `frobnicate` for custom rule `custom/x`",
        ),
        (
            "[[rule]]\nid = \"custom/x\"\nkind = \"pattern\"\nmessage = \"m\"\nregex = \"(unclosed\"\n",
            "unlint.toml:5:1: invalid regular expression in custom rule `custom/x`",
        ),
        (
            "[files]\ninclude = []\n\n[[rule]]\nid = \"custom/x\"\nkind = \"existence\"\ntokens = [\"a\"]\n",
            "unlint.toml:4:1: invalid custom rule `custom/x`: missing field `message`",
        ),
        (
            "[[rule]]\nid = \"custom/x\"\nkind = \"substitution\"\nmessage = \"m\"\npreferred = \"a\"\nvariants = [\"b\"]\n  swap = 1\n",
            "unlint.toml:7:3: invalid custom rule `custom/x` of kind `substitution`: unknown field `swap`",
        ),
        (
            "[[rule]]\nid = \"custom/x\"\nkind = \"substitution\"\nmessage = \"m\"\npreferred = \"a\"\n",
            "unlint.toml:1:1: invalid custom rule `custom/x` of kind `substitution`: missing field `variants`",
        ),
        (
            "[[rule]]\nid = \"x\"\nkind = \"existence\"\nmessage = \"m\"\ntokens = [\"a\"]\n",
            "unlint.toml:2:1: invalid custom rule id `x`",
        ),
        (
            "[[rule]]\nid = \"custom/x\"\nkind = \"existence\"\nmessage = \"{nope}\"\ntokens = [\"a\"]\n",
            "unlint.toml:4:1: unknown placeholder `{nope}` in the message of custom rule `custom/x`",
        ),
        (
            "[[rule]]\nid = \"custom/x\"\nkind = \"existence\"\nmessage = \"m\"\ntokens = [\"a\"]\n[[rule]]\nid = \"custom/x\"\nkind = \"existence\"\nmessage = \"m\"\ntokens = [\"b\"]\n",
            "unlint.toml:7:1: custom rule `custom/x` is defined twice",
        ),
        (
            "[[terminology.set]]\nvariants = [\"b\"]\n",
            "unlint.toml:1:1: invalid configuration: term set `b` has variants but no `preferred` form",
        ),
    ];
    for (toml, want) in cases {
        let got = load_error(toml);
        assert!(got.starts_with(want), "\n got: {got}\nwant: {want}");
    }
}

#[test]
fn bad_custom_rule_exits_with_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(
        &cfg,
        "[[rule]]\nid = \"custom/x\"\nkind = \"regex\"\nmessage = \"m\"\n",
    )
    .unwrap();
    let doc = dir.path().join("a.txt");
    std::fs::write(&doc, "1. Texte.\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_unlint"))
        .arg("--config")
        .arg(&cfg)
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.toml:3:1"), "{stderr}");
}

#[test]
fn custom_rules_are_listed_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("unlint.toml");
    std::fs::write(
        &cfg,
        "[[rule]]\nid = \"custom/courriel\"\nkind = \"substitution\"\nmessage = \"« {match} »\"\npreferred = \"courriel\"\nvariants = [\"e-mail\"]\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_unlint"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    assert!(run(&["rules"]).contains("custom/courriel"));
    assert!(run(&["explain", "custom/courriel"]).contains("## What it checks"));
}

/// Two files checked together: the one that uses the minority form consistently is reported.
#[test]
fn drift_across_files() {
    let dir = Path::new("tests/fixtures/terminology/drift/corpus");
    let actual = common::run_human(&[dir], &["terminology/drift".to_string()], None);
    common::compare(&dir.join("expected.out"), &actual).unwrap();
}
