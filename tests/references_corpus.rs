//! Cross-file checks of `references/*`: files checked together are compared with each other.
//!
//! Bless: `UNLINT_BLESS=1 cargo test --test references_corpus`.

mod common;

use std::path::Path;

#[test]
fn citations_are_compared_across_files() {
    let dir = "tests/corpus/references";
    let files: Vec<String> = ["a.txt", "b.txt", "c.txt"]
        .iter()
        .map(|f| format!("{dir}/{f}"))
        .collect();
    let paths: Vec<&Path> = files.iter().map(Path::new).collect();
    let actual = common::run_human(
        &paths,
        &[
            "references/inconsistent".to_string(),
            "references/resolution-body".to_string(),
        ],
        None,
    );
    common::compare(Path::new(&format!("{dir}/corpus.expected")), &actual).unwrap();
}
