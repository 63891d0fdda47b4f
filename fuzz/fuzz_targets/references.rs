//! Reference extraction. Until `Document::references` exists on main this runs every rule of
//! the default set per file (`Engine::check_text`), which reads the references extraction.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, LazyLock};
use unlint::config::Config;
use unlint::engine::{Engine, Selection};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    Engine::new(Config::embedded().expect("embedded config"), &Selection::default())
});

fuzz_target!(|text: &str| {
    let doc = unlint::document::parse(text.to_string());
    let path: Arc<str> = Arc::from("fuzz.txt");
    for d in ENGINE.check_text(&path, &doc) {
        assert!(d.span.start <= d.span.end && d.span.end <= doc.text.len(), "{d:?}");
        assert!(doc.text.is_char_boundary(d.span.start), "{d:?}");
        assert!(doc.text.is_char_boundary(d.span.end), "{d:?}");
    }
});
