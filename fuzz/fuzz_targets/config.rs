//! Configuration loader: any text as a user layer on top of the embedded defaults returns Ok or
//! Err (never panics); when accepted, building an engine and checking a line works too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Arc;
use unlint::config::Config;
use unlint::engine::{Engine, Selection};

fuzz_target!(|text: &str| {
    let mut config = Config::embedded().expect("embedded config loads");
    match config.add_layer("fuzz.toml", text) {
        Err(e) => {
            let _ = format!("{e:?}");
        }
        Ok(()) => {
            let engine = Engine::new(config, &Selection::default());
            let doc = unlint::document::parse("1. Le Conseil de sécurité, le 3 mars 2024.\n".into());
            let path: Arc<str> = Arc::from("fuzz.txt");
            let _ = engine.check_text(&path, &doc);
        }
    }
});
