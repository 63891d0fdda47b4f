//! Fuzz target `engine`: see `harness::engine` (tests/regressions/harness.rs) for what it checks.
#![no_main]

#[path = "../../tests/regressions/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| harness::engine(bytes));
