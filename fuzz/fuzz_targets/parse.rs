//! Document parser: `parse` and `outline` never panic, every node span is in bounds and on
//! char boundaries, and `prose` keeps the text's length.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let doc = unlint::document::parse(text.to_string());
    assert_eq!(doc.prose.len(), doc.text.len());
    let _ = unlint::document::outline(&doc);
    let _ = unlint::document::line_kinds(&doc);
});
