//! UI tests, clippy style: every `tests/fixtures/<group>/<rule>/<case>.{md,txt}` is checked with
//! that rule alone and its output must equal `<case>.expected` beside it. A `<case>.toml` beside
//! the input is merged as the user's configuration.
//!
//! Bless: `UNLINT_BLESS=1 cargo test --test fixtures`, then review `git diff tests/`.

mod common;

use std::path::{Path, PathBuf};

fn cases() -> Vec<(String, PathBuf)> {
    let base = common::root().join("tests/fixtures");
    let mut out = Vec::new();
    for group in std::fs::read_dir(&base).unwrap().flatten() {
        if !group.path().is_dir() {
            continue;
        }
        for rule in std::fs::read_dir(group.path()).unwrap().flatten() {
            if !rule.path().is_dir() {
                continue;
            }
            // `tests/fixtures/custom/<kind>/` holds custom rules (ids `custom/<name>`, defined
            // by each case's `.toml`): those cases select the whole `custom` group.
            let id = if group.file_name() == "custom" {
                "custom".to_string()
            } else {
                format!(
                    "{}/{}",
                    group.file_name().to_string_lossy(),
                    rule.file_name().to_string_lossy()
                )
            };
            for case in std::fs::read_dir(rule.path()).unwrap().flatten() {
                let p = case.path();
                if group.file_name() == "translation" && is_pair_file(&p) {
                    continue; // a translation pair: run by tests/translation.rs
                }
                if matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "txt")) {
                    out.push((
                        id.clone(),
                        p.strip_prefix(common::root()).unwrap().to_path_buf(),
                    ));
                }
            }
        }
    }
    out.sort();
    out
}

/// `<case>.en.md` / `<case>.fr.md`: one side of a translation pair fixture.
fn is_pair_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    ["en", "fr"]
        .iter()
        .any(|l| name.ends_with(&format!(".{l}.md")) || name.ends_with(&format!(".{l}.txt")))
}

/// Every `.expected` file of a rule's fixture directory (single files and pairs).
fn expected_outputs(id: &str) -> Vec<(PathBuf, String)> {
    let dir = common::root().join("tests/fixtures").join(id);
    let mut out = Vec::new();
    for f in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = f.path();
        if p.extension().and_then(|e| e.to_str()) == Some("expected") {
            out.push((p.clone(), std::fs::read_to_string(&p).unwrap_or_default()));
        }
    }
    out.sort();
    out
}

#[test]
fn fixtures_match_expected_output() {
    let cases = cases();
    assert!(!cases.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for (rule, input) in &cases {
        let toml = std::fs::read_to_string(common::root().join(input.with_extension("toml"))).ok();
        let actual = common::run_human(
            &[input.as_path()],
            std::slice::from_ref(rule),
            toml.as_deref(),
        );
        if let Err(e) = common::compare(&input.with_extension("expected"), &actual) {
            failures.push(e);
        }
        // `<case>.fixed`: the input after `--fix` with this rule alone.
        let fixed_path = input.with_extension("fixed");
        if common::root().join(&fixed_path).exists() {
            let fixed = common::fix_text(input, std::slice::from_ref(rule), toml.as_deref());
            if let Err(e) = common::compare(&fixed_path, &fixed) {
                failures.push(e);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every built-in rule has a fixture directory with at least one case that triggers it and
/// one that stays silent, and its documentation has the four house sections.
#[test]
fn every_rule_has_fixtures_and_docs() {
    let mut missing = Vec::new();
    for rule in unlint::rules::builtin() {
        let id = rule.id();
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## Configuration",
        ] {
            if !rule.doc().contains(section) {
                missing.push(format!("{id}: doc lacks `{section}`"));
            }
        }
        if id.starts_with("input/") {
            continue; // covered by tests/cli.rs (they need unreadable or binary files)
        }
        let outputs: Vec<String> = expected_outputs(id).into_iter().map(|(_, o)| o).collect();
        if !outputs.iter().any(|o| o.contains(&format!("[{id}]"))) {
            missing.push(format!(
                "{id}: no fixture under tests/fixtures/{id}/ triggers it"
            ));
        }
        if !outputs.iter().any(|o| o.starts_with("no problems found")) {
            missing.push(format!(
                "{id}: no must-stay-silent fixture under tests/fixtures/{id}/"
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// House style of messages: lower-case start, no trailing period.
#[test]
fn messages_follow_house_style() {
    let mut bad = Vec::new();
    let mut ids: Vec<String> = cases().into_iter().map(|(id, _)| id).collect();
    ids.extend(
        unlint::rules::builtin()
            .into_iter()
            .map(|r| r.id().to_string()),
    );
    ids.sort();
    ids.dedup();
    for (input, text) in ids.iter().flat_map(|id| expected_outputs(id)) {
        for line in text.lines() {
            let Some(rest) = line.split_once("]: ").map(|(_, m)| m) else {
                continue;
            };
            if !(line.starts_with("warning[")
                || line.starts_with("error[")
                || line.starts_with("note["))
            {
                continue;
            }
            let first = rest.chars().next().unwrap_or('a');
            if first.is_uppercase() || rest.ends_with('.') {
                bad.push(format!("{}: `{rest}`", input.display()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "messages must start lower-case and not end with a period:\n{}",
        bad.join("\n")
    );
}

#[allow(dead_code)]
fn _unused(_: &Path) {}
