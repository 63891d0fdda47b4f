//! Properties of `--fix` on the real seeds (copied to a temporary directory; `seeds/` is never
//! modified): idempotent, only fix spans touched, permissions, CRLF and BOM kept.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use unlint::config::Config;
use unlint::engine::{Engine, Selection};

fn seeds() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(common::root().join("seeds"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

fn engine() -> Engine {
    Engine::new(Config::embedded().unwrap(), &Selection::default())
}

fn unlint(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_unlint"))
        .args(args)
        .arg("--isolated")
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Each pass of the fixer changes only the lines that hold a safe fix's edit; every other
/// line is byte-identical, and a fixpoint is reached.
#[test]
fn fixes_touch_only_their_spans_and_reach_a_fixpoint() {
    let engine = engine();
    for seed in seeds() {
        let path: Arc<str> = Arc::from(seed.display().to_string());
        let mut text = std::fs::read_to_string(&seed).unwrap();
        let mut reached = false;
        for _ in 0..unlint::fix::MAX_PASSES {
            let mut doc = unlint::document::parse(text.clone());
            let diags = engine.check_text(&path, &mut doc);
            let edits: Vec<_> = diags
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .filter(|f| f.safe)
                .flat_map(|f| f.edits())
                .collect();
            for e in &edits {
                assert!(
                    !text[e.span.clone()].contains('\n') && !e.replacement.contains('\n'),
                    "{}: a fix spans a line break",
                    seed.display()
                );
            }
            let out = unlint::fix::apply_safe(&text, &diags).text;
            if out == text {
                reached = true;
                break;
            }
            let old_lines: Vec<&str> = text.split('\n').collect();
            let new_lines: Vec<&str> = out.split('\n').collect();
            assert_eq!(old_lines.len(), new_lines.len(), "{}", seed.display());
            let mut start = 0;
            for (i, (a, b)) in old_lines.iter().zip(&new_lines).enumerate() {
                let end = start + a.len();
                let edited = edits
                    .iter()
                    .any(|e| e.span.start <= end && e.span.end >= start);
                if !edited {
                    assert_eq!(
                        a,
                        b,
                        "{} line {}: changed without a fix",
                        seed.display(),
                        i + 1
                    );
                }
                start = end + 1;
            }
            text = out;
        }
        assert!(
            reached,
            "{}: no fixpoint after {} passes",
            seed.display(),
            unlint::fix::MAX_PASSES
        );
    }
}

#[cfg(unix)]
#[test]
fn cli_fix_is_idempotent_and_keeps_permissions_crlf_and_bom() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    for seed in seeds() {
        std::fs::copy(&seed, dir.path().join(seed.file_name().unwrap())).unwrap();
    }
    // A CRLF copy with a byte-order mark of the most damaged seed.
    let lf =
        std::fs::read_to_string(common::root().join("seeds/001_f1a4c57c8e5203d2.txt")).unwrap();
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    std::fs::write(dir.path().join("crlf.txt"), &crlf).unwrap();
    let restricted = dir.path().join("003_18e43683e7594f1a.txt");
    std::fs::set_permissions(&restricted, std::fs::Permissions::from_mode(0o640)).unwrap();

    let diff = unlint(&["--diff", "."], dir.path());
    assert_eq!(diff.status.code(), Some(1));
    let diff_text = String::from_utf8_lossy(&diff.stdout);
    assert!(diff_text.contains("+1. Dans sa résolution 65/230, l’Assemblée générale a prié"));
    // --diff writes nothing.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("crlf.txt")).unwrap(),
        crlf
    );

    let first = unlint(&["--fix", "."], dir.path());
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(stderr.contains("fixed "), "{stderr}");
    assert!(!stderr.contains("fixed 0 problems"), "{stderr}");

    let second = unlint(&["--fix", "."], dir.path());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("fixed 0 problems in 0 files"), "{stderr}");
    let again = unlint(&["--diff", "."], dir.path());
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stdout.is_empty());

    let mode = std::fs::metadata(&restricted).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // CRLF and BOM kept: the CRLF copy fixes exactly like the LF seed.
    let fixed_crlf = std::fs::read_to_string(dir.path().join("crlf.txt")).unwrap();
    let fixed_lf = std::fs::read_to_string(dir.path().join("001_f1a4c57c8e5203d2.txt")).unwrap();
    assert!(fixed_crlf.starts_with('\u{feff}'));
    assert_eq!(
        fixed_crlf,
        format!("\u{feff}{}", fixed_lf.replace('\n', "\r\n"))
    );
    // The repository's seeds are untouched.
    assert_eq!(
        std::fs::read_to_string(common::root().join("seeds/001_f1a4c57c8e5203d2.txt")).unwrap(),
        lf
    );
    // No temporary files left behind.
    assert!(std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .all(|e| !e.file_name().to_string_lossy().starts_with(".unlint-fix-")));
}
