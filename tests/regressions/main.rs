//! Regression tests: every input that ever crashed a fuzz target (or was found hostile some
//! other way) lives in `tests/regressions/<target>/` and is replayed here through the very
//! check the fuzz target runs (`harness.rs`, shared with `fuzz/fuzz_targets/`).
//!
//! To add one: copy the crashing input from `fuzz/artifacts/<target>/` to
//! `tests/regressions/<target>/<short-name>` and say in `tests/regressions/README.md` what it
//! broke and where it was fixed.

mod harness;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regressions")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_else(|_| Vec::new());
    out.sort();
    out.into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

/// Replays each input of `target` (text targets skip non-UTF-8 inputs, as libFuzzer's `&str`
/// targets do).
fn replay(target: &str, run: impl Fn(&[u8])) {
    for (name, bytes) in inputs(target) {
        eprintln!("replaying {name}");
        run(&bytes);
    }
}

fn as_text(f: fn(&str)) -> impl Fn(&[u8]) {
    move |b| {
        if let Ok(t) = std::str::from_utf8(b) {
            f(t)
        }
    }
}

#[test]
fn parse() {
    replay("parse", as_text(harness::parse));
}

#[test]
fn dates() {
    replay("dates", as_text(harness::dates));
}

#[test]
fn references() {
    replay("references", as_text(harness::references));
}

#[test]
fn config() {
    replay("config", as_text(harness::config));
}

#[test]
fn engine() {
    replay("engine", harness::engine);
}
