//! Golden tests of the translation/* rules on fixture PAIRS:
//! `tests/fixtures/translation/<rule>/<case>.en.md` (the original) with `<case>.fr.md` (the
//! draft) is checked with that rule alone (`unlint compare`), and the output must equal
//! `<case>.expected`. A `<case>.toml` beside them is merged as the user's configuration.
//!
//! Bless: `UNLINT_BLESS=1 cargo test --test translation`, then review `git diff tests/`.

mod common;

use std::path::{Path, PathBuf};
use unlint::compare::pairs::Pair;
use unlint::config::Config;
use unlint::engine::{Engine, Selection};

/// (rule id, original, draft, case stem) for every pair fixture.
fn pair_cases() -> Vec<(String, PathBuf, PathBuf, PathBuf)> {
    let base = common::root().join("tests/fixtures/translation");
    let mut out = Vec::new();
    for rule in std::fs::read_dir(&base).unwrap().flatten() {
        if !rule.path().is_dir() {
            continue;
        }
        let id = format!("translation/{}", rule.file_name().to_string_lossy());
        for f in std::fs::read_dir(rule.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            for ext in ["md", "txt"] {
                if let Some(stem) = name.strip_suffix(&format!(".fr.{ext}")) {
                    let dir = PathBuf::from("tests/fixtures/translation").join(rule.file_name());
                    let original = dir.join(format!("{stem}.en.{ext}"));
                    assert!(
                        common::root().join(&original).is_file(),
                        "{} has no original {}",
                        name,
                        original.display()
                    );
                    out.push((id.clone(), original, dir.join(&name), dir.join(stem)));
                }
            }
        }
    }
    out.sort();
    out
}

fn run_pair(rule: &str, original: &Path, draft: &Path, toml: Option<&str>) -> String {
    std::env::set_current_dir(common::root()).unwrap();
    let mut config = Config::embedded().expect("embedded config loads");
    if let Some(t) = toml {
        config
            .add_layer("unlint.toml", t)
            .expect("fixture config loads");
    }
    let engine = Engine::new(
        config,
        &Selection {
            select: vec![rule.to_string()],
            ignore: vec![],
        },
    );
    let pair = Pair {
        original: original.to_path_buf(),
        draft: draft.to_path_buf(),
    };
    let run = unlint::compare::run_pairs(&engine, &[pair], &[draft.to_path_buf()]);
    unlint::report::human::render_to_string(&run, false)
}

#[test]
fn pair_fixtures_match_expected_output() {
    let cases = pair_cases();
    assert!(!cases.is_empty(), "no pair fixtures found");
    let mut failures = Vec::new();
    for (rule, original, draft, stem) in &cases {
        let toml = std::fs::read_to_string(common::root().join(stem.with_extension("toml"))).ok();
        let actual = run_pair(rule, original, draft, toml.as_deref());
        let expected = PathBuf::from(format!("{}.expected", stem.display()));
        if let Err(e) = common::compare(&expected, &actual) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} pair fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A clean pair is silent under every rule at once, and each pair fixture triggers only the
/// rule of its directory among the translation rules (no overlap between rules).
#[test]
fn clean_pairs_are_silent_under_all_translation_rules() {
    for (_, original, draft, stem) in pair_cases() {
        if !stem
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("clean")
        {
            continue;
        }
        let out = run_pair("translation", &original, &draft, None);
        assert!(
            out.starts_with("no problems found"),
            "{} is not clean:\n{out}",
            draft.display()
        );
    }
}

fn unlint(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_unlint"))
        .args(args)
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .output()
        .expect("unlint runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `unlint compare` and `--pair`: exit codes, JSON output, pairing by convention and by glob.
#[test]
fn compare_and_pair_from_the_command_line() {
    let dir = "tests/fixtures/translation/numbers";
    let (code, out, _) = unlint(&[
        "compare",
        "--select",
        "translation",
        &format!("{dir}/clean.en.md"),
        &format!("{dir}/clean.fr.md"),
    ]);
    assert_eq!((code, out.as_str()), (0, "no problems found in 2 files\n"));

    let (code, out, _) = unlint(&[
        "compare",
        "--select",
        "translation",
        "--format",
        "json",
        &format!("{dir}/changed_figure.en.md"),
        &format!("{dir}/changed_figure.fr.md"),
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["diagnostics"][0]["rule"], "translation/numbers");
    assert_eq!(
        v["diagnostics"][0]["path"],
        format!("{dir}/changed_figure.fr.md")
    );

    // The naming convention and explicit globs find the same pairs.
    let (code, by_lang, _) = unlint(&[
        "--pair",
        "en",
        "--pair",
        "fr",
        "--select",
        "translation",
        "-q",
        dir,
    ]);
    assert_eq!(code, 1);
    let (_, by_glob, _) = unlint(&[
        "--pair",
        "en:*.en.md",
        "--pair",
        "fr:*.fr.md",
        "--select",
        "translation",
        "-q",
        dir,
    ]);
    assert_eq!(by_lang, by_glob);
    assert_eq!(by_lang.matches("warning[translation/numbers]").count(), 6);

    // Usage errors exit with 2.
    assert_eq!(unlint(&["compare", &format!("{dir}/clean.en.md")]).0, 2);
    assert_eq!(unlint(&["--pair", "en", dir]).0, 2);
    assert_eq!(unlint(&["--pair", "en:*.md", "--pair", "fr:x", dir]).0, 2);
}
