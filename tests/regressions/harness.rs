//! The checks each fuzz target runs on one input, shared by the fuzz targets (`fuzz/`, through
//! `#[path]`) and by the regression tests (`tests/regressions/main.rs`), so that an input that
//! once crashed a target is replayed by `cargo test` exactly as the fuzzer ran it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};
use unlint::config::Config;
use unlint::document::{Document, Lang};
use unlint::engine::{Engine, Selection};

/// Every diagnostic span of `doc` lies inside its text, on char boundaries.
fn assert_spans(text: &str, diags: &[unlint::diagnostic::Diagnostic]) {
    for d in diags {
        assert!(
            d.span.start <= d.span.end && d.span.end <= text.len(),
            "{d:?}"
        );
        assert!(text.is_char_boundary(d.span.start), "{d:?}");
        assert!(text.is_char_boundary(d.span.end), "{d:?}");
        if let Some(fix) = &d.fix {
            for e in fix.edits() {
                assert!(
                    e.span.start <= e.span.end && e.span.end <= text.len(),
                    "{d:?}"
                );
                assert!(text.is_char_boundary(e.span.start), "{d:?}");
                assert!(text.is_char_boundary(e.span.end), "{d:?}");
            }
        }
    }
}

/// Target `parse`: the document parser and the outline printers.
pub fn parse(text: &str) {
    let doc = unlint::document::parse(text.to_string());
    assert_eq!(doc.prose.len(), doc.text().len());
    let _ = unlint::document::outline(&doc);
    let _ = unlint::document::line_kinds(&doc);
}

/// Target `dates`: the date scanner, in both languages.
pub fn dates(text: &str) {
    for lang in [Lang::Fr, Lang::En] {
        for m in unlint::extract::dates::parse_dates(text, lang) {
            assert!(m.span.end <= text.len(), "{m:?}");
            let _ = format!("{m:?}");
        }
    }
}

static DEFAULT_ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    Engine::new(
        Config::embedded().expect("embedded config"),
        &Selection::default(),
    )
});

static EMBEDDED: LazyLock<Config> = LazyLock::new(|| Config::embedded().expect("embedded config"));

/// Target `references`: the references extraction (`Document::references`), then every default
/// rule on the document (they read the references, dates and terms extractions).
pub fn references(text: &str) {
    let mut doc: Document = unlint::document::parse(text.to_string());
    let _ = format!("{:?}", doc.references(&EMBEDDED));
    let path: Arc<str> = Arc::from("fuzz.txt");
    let diags = DEFAULT_ENGINE.check_text(&path, &mut doc);
    assert_spans(doc.text(), &diags);
}

/// Target `config`: any text as a user layer over the embedded defaults is accepted or refused,
/// never a panic; an accepted one builds an engine that checks a small report.
pub fn config(text: &str) {
    let mut config = Config::embedded().expect("embedded config loads");
    match config.add_layer("fuzz.toml", text) {
        Err(e) => {
            let _ = format!("{e:?}");
        }
        Ok(()) => {
            let engine = Engine::new(config, &Selection::default());
            let mut doc = unlint::document::parse(
                "Réunion du Groupe d'experts tenue à Vienne du 27 au 29 mars 2019\n\n\
                 1. Le Groupe d'experts a tenu sa première réunion le 27 mars 2019, \
                 conformément à la résolution 2334 (2016).\n\n\
                 2. À sa 1re séance, le 27 mars 2019, il a adopté son rapport.\n"
                    .into(),
            );
            let path: Arc<str> = Arc::from("fuzz.txt");
            let diags = engine.check_text(&path, &mut doc);
            assert_spans(doc.text(), &diags);
        }
    }
}

static ALL_ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let selection = Selection {
        select: vec!["all".into()],
        ignore: vec![],
    };
    Engine::new(Config::embedded().expect("embedded config"), &selection)
});

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("unlint-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
});

/// Target `engine`: the whole pipeline on arbitrary bytes, through files as a user gives them.
/// The input is split in two files (its first byte says where), each is read and decoded by
/// `unlint::source::decode`, parsed, checked by every rule (also the ones off by default), the
/// cross-file rules see both, suppression markers apply, and the reports render.
pub fn engine(bytes: &[u8]) {
    let (first, rest) = match bytes.split_first() {
        Some((b, rest)) => (*b as usize, rest),
        None => (0, bytes),
    };
    let cut = rest.len() * first / 255;
    let a = DIR.join("a.fr.txt");
    let b = DIR.join("b.en.txt");
    std::fs::write(&a, &rest[..cut]).unwrap();
    std::fs::write(&b, &rest[cut..]).unwrap();
    let run = ALL_ENGINE.run(&[a, b]);
    for f in &run.files {
        match f.text.as_deref() {
            Some(text) => assert_spans(text, &f.diagnostics),
            None => assert!(f.diagnostics.iter().all(|d| d.span.is_empty())),
        }
    }
    let _ = unlint::report::human::render_to_string(&run, false);
    let _ = unlint::report::json::render(&run);
    let _ = unlint::report::github::render(&run);
}
