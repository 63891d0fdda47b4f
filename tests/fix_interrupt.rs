//! `--fix` under interruption: `unlint --fix` is killed (SIGKILL) at many moments, the write
//! included, and the file must then be byte for byte either the original or the fully fixed
//! version, never a truncated or half-written one. `src/fix.rs` writes a temporary file in the
//! same directory, syncs it and renames it over the original (`fix::write_atomic`).

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_unlint");

/// A report of about `bytes` bytes, each paragraph with safe fixes (French spacing before « : »
/// and inside « », an OCR « 1’ »), so that the fixed text differs all along the file.
fn report(bytes: usize) -> String {
    let mut s = String::from("Rapport de la réunion\n\n");
    let mut n = 1;
    while s.len() < bytes {
        s.push_str(&format!(
            "{n}. Le Groupe a noté ceci: « la coopération» est essentielle et a examiné \
             1’ensemble des questions relatives au paragraphe {n}.\n\n"
        ));
        n += 1;
    }
    s
}

fn spawn_fix(dir: &Path, file: &Path) -> Child {
    Command::new(BIN)
        .args(["--isolated", "--fix", "--quiet", "--format", "json"])
        .arg(file)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".unlint-fix-"))
        })
        .collect()
}

#[test]
fn killed_fix_leaves_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let original = report(200_000);
    let file = dir.path().join("rapport.txt");

    // The fully fixed version, and how long a whole run takes.
    std::fs::write(&file, &original).unwrap();
    let start = Instant::now();
    let status = spawn_fix(dir.path(), &file).wait().unwrap();
    let full = start.elapsed();
    assert!(status.code().is_some(), "{status:?}");
    let fixed = std::fs::read(&file).unwrap();
    assert_ne!(fixed, original.as_bytes(), "the report has safe fixes");
    assert!(temp_files(dir.path()).is_empty());

    let (mut old, mut new) = (0, 0);
    let mut check = |what: &str| {
        let now = std::fs::read(&file).unwrap();
        if now == original.as_bytes() {
            old += 1;
        } else if now == fixed {
            new += 1;
        } else {
            panic!(
                "{what}: the file is neither the original ({} bytes) nor the fixed version ({} \
                 bytes): {} bytes",
                original.len(),
                fixed.len(),
                now.len()
            );
        }
        // A kill may leave the temporary file behind; it never replaces the report.
        for t in temp_files(dir.path()) {
            std::fs::remove_file(t).unwrap();
        }
    };

    // Kills spread over the whole run.
    let rounds = 12;
    for i in 0..rounds {
        std::fs::write(&file, &original).unwrap();
        let mut child = spawn_fix(dir.path(), &file);
        std::thread::sleep(full * i / rounds);
        let _ = child.kill();
        child.wait().unwrap();
        check(&format!("kill after {:?}", full * i / rounds));
    }

    // Kills while the temporary file is being written: watch for it to appear, then kill at
    // once or after a few hundred microseconds.
    let mut during_write = 0;
    for i in 0..12u64 {
        std::fs::write(&file, &original).unwrap();
        let mut child = spawn_fix(dir.path(), &file);
        let deadline = Instant::now() + full * 3;
        loop {
            if !temp_files(dir.path()).is_empty() {
                std::thread::sleep(Duration::from_micros(i * 150));
                during_write += 1;
                break;
            }
            if Instant::now() > deadline || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.kill();
        child.wait().unwrap();
        check(&format!("kill {}µs into the write", i * 150));
    }
    eprintln!(
        "run {full:?}; after the kills: {old} original, {new} fixed; {during_write} kills while \
         the temporary file existed"
    );
    assert!(old > 0, "some kills came before the rename");
}
