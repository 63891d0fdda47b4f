//! The whole pipeline on arbitrary bytes, through the files a user would give: the input is split
//! in two files (the first byte picks where), each is read and decoded by `unlint::source::decode`,
//! parsed, checked by every rule (all of them, including the ones off by default), the
//! cross-file rules see both, suppression markers apply, and the human, JSON and GitHub reports
//! render. Nothing may panic and every diagnostic span must slice its file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::LazyLock;
use unlint::config::Config;
use unlint::engine::{Engine, Selection};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let selection = Selection {
        select: vec!["all".into()],
        ignore: vec![],
    };
    Engine::new(Config::embedded().expect("embedded config"), &selection)
});

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("unlint-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
});

fuzz_target!(|bytes: &[u8]| {
    let (first, rest) = match bytes.split_first() {
        Some((b, rest)) => (*b as usize, rest),
        None => (0, bytes),
    };
    let cut = rest.len() * first / 255;
    let a = DIR.join("a.fr.txt");
    let b = DIR.join("b.en.txt");
    std::fs::write(&a, &rest[..cut]).unwrap();
    std::fs::write(&b, &rest[cut..]).unwrap();
    let run = ENGINE.run(&[a, b]);
    for f in &run.files {
        for d in &f.diagnostics {
            let Some(text) = f.text.as_deref() else {
                assert!(d.span.is_empty(), "{d:?}");
                continue;
            };
            assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
            assert!(text.is_char_boundary(d.span.start), "{d:?}");
            assert!(text.is_char_boundary(d.span.end), "{d:?}");
        }
    }
    let _ = unlint::report::human::render_to_string(&run, false);
    let _ = unlint::report::json::render(&run);
    let _ = unlint::report::github::render(&run);
});
