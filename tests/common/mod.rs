//! Shared helpers for golden-file tests: run the engine, compare with `.expected` files.
//!
//! Set `UNLINT_BLESS=1` to (re)write the expected files from the current output, then review
//! the diff with `git diff tests/` before committing.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use unlint::config::Config;
use unlint::engine::{Engine, Selection};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An engine with the embedded configuration, plus `config_toml` as the user's layer, running
/// the selected rules (ids or groups; empty = all default rules).
fn fixture_engine(select: &[String], config_toml: Option<&str>) -> Engine {
    let mut config = Config::embedded().expect("embedded config loads");
    if let Some(t) = config_toml {
        config
            .add_layer("unlint.toml", t)
            .expect("fixture config loads");
    }
    Engine::new(
        config,
        &Selection {
            select: select.to_vec(),
            ignore: vec![],
        },
    )
}

/// Runs the given rules (ids or groups; empty = all default rules) on files given relative to
/// the crate root, with the embedded configuration (plus `config_toml` if given), and renders
/// the human output without colour.
pub fn run_human(files: &[&Path], select: &[String], config_toml: Option<&str>) -> String {
    std::env::set_current_dir(root()).unwrap();
    let engine = fixture_engine(select, config_toml);
    let paths: Vec<PathBuf> = files.iter().map(|p| p.to_path_buf()).collect();
    let (paths, _) = unlint::walk::collect(
        &paths,
        &engine.config.files.include,
        &engine.config.files.exclude,
    )
    .unwrap();
    let run = engine.run(&paths);
    unlint::report::human::render_to_string(&run, false)
}

/// The text of `file` after applying the safe fixes of the selected rules to a fixpoint.
pub fn fix_text(file: &Path, select: &[String], config_toml: Option<&str>) -> String {
    let engine = fixture_engine(select, config_toml);
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let path: std::sync::Arc<str> = std::sync::Arc::from(file.display().to_string());
    unlint::fix::fix_text(&engine, &path, text).text
}

/// Compares `actual` with the file at `expected` (relative to the crate root); with
/// `UNLINT_BLESS=1`, writes it instead. Returns an error message on mismatch.
pub fn compare(expected: &Path, actual: &str) -> Result<(), String> {
    let path = root().join(expected);
    if std::env::var_os("UNLINT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return Ok(());
    }
    let want = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (run with UNLINT_BLESS=1 to create it)",
            expected.display()
        )
    })?;
    if want == actual {
        Ok(())
    } else {
        Err(format!(
            "{} differs from the actual output:\n{}",
            expected.display(),
            diff(&want, actual)
        ))
    }
}

/// A minimal line diff for failure messages.
pub fn diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut out = String::new();
    let n = w.len().max(g.len());
    for i in 0..n {
        match (w.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => {
                if let Some(a) = a {
                    out.push_str(&format!("-{:>4} {a}\n", i + 1));
                }
                if let Some(b) = b {
                    out.push_str(&format!("+{:>4} {b}\n", i + 1));
                }
            }
        }
    }
    out
}
