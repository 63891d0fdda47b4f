//! Golden tests on the real seed documents: the full default rule set and the outline.
//!
//! Bless: `UNLINT_BLESS=1 cargo test --test seeds`, then review `git diff tests/golden`.

mod common;

use std::path::PathBuf;

fn seeds() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(common::root().join("seeds"))
        .unwrap()
        .flatten()
        .map(|e| PathBuf::from("seeds").join(e.file_name()))
        .collect();
    v.sort();
    v
}

#[test]
fn seed_diagnostics_match_golden() {
    let mut failures = Vec::new();
    for seed in seeds() {
        let actual = common::run_human(&[seed.as_path()], &[], None);
        let name = seed
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".txt", ".expected");
        if let Err(e) = common::compare(&PathBuf::from("tests/golden/seeds").join(name), &actual) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn seed_outlines_match_golden() {
    let mut failures = Vec::new();
    for seed in seeds() {
        let text = std::fs::read_to_string(common::root().join(&seed)).unwrap();
        let actual = unlint::document::outline(&unlint::document::parse(text));
        let name = seed
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".txt", ".outline");
        if let Err(e) = common::compare(&PathBuf::from("tests/golden/outline").join(name), &actual)
        {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The required findings on the seeds, asserted independently of the golden files.
#[test]
fn required_numbering_findings() {
    let out = common::run_human(
        &[PathBuf::from("seeds").as_path()],
        &["numbering".into(), "structure".into()],
        None,
    );
    assert!(out.contains("paragraph number `44,` has `,` instead of a period"));
    assert!(out.contains("paragraph number `45,` has `,` instead of a period"));
    assert!(out.contains("section II is missing"));
    let para_findings_in = |seed: &str| {
        out.split("\n\n")
            .filter(|b| b.contains("[numbering/paragraph]") && b.contains(seed))
            .count()
    };
    assert_eq!(para_findings_in("000_45ed4c16ea74b102"), 0);
    assert_eq!(para_findings_in("003_18e43683e7594f1a"), 0);
    let in_004 = out
        .split("\n\n")
        .filter(|b| {
            b.contains("004_f09c5c63691ce570")
                && (b.contains("[numbering/section]") || b.contains("[numbering/subsection]"))
        })
        .count();
    assert_eq!(in_004, 0);
    assert!(
        out.contains("000_45ed4c16ea74b102.txt:260") && out.contains("[structure/heading-level]")
    );
}
