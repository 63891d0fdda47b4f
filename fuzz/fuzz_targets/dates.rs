//! Fuzz target `dates`: see `harness::dates` (tests/regressions/harness.rs) for what it checks.
#![no_main]

#[path = "../../tests/regressions/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|text: &str| harness::dates(text));
