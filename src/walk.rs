//! Turning command-line paths into the list of files to check.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// Builds a glob set from patterns; a bad pattern is an error naming it.
fn globs(patterns: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p).map_err(|e| format!("invalid glob `{p}`: {e}"))?);
    }
    b.build().map_err(|e| e.to_string())
}

/// Expands files and directories into a sorted, de-duplicated list of files. Directories are
/// walked recursively (respecting `.gitignore`) for files matching `include` and not `exclude`;
/// files named explicitly are always checked (as pre-commit passes them). A path that does not
/// exist is kept (the engine reports it as unreadable) with a warning.
/// Returns the files and warnings about directories that could not be walked.
pub fn collect(
    paths: &[PathBuf],
    include: &[String],
    exclude: &[String],
) -> Result<(Vec<PathBuf>, Vec<String>), String> {
    let include_set = globs(include)?;
    let exclude_set = globs(exclude)?;
    let matches =
        |set: &GlobSet, p: &Path| set.is_match(p) || p.file_name().is_some_and(|n| set.is_match(n));
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for root in paths {
        // A path that does not exist (or cannot be examined) does not stop the run: it is kept
        // in the list, so the report shows it as `input/unreadable` (exit code 2) while the
        // other paths are still checked, and a warning names it at once.
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                warnings.push(match e.kind() {
                    std::io::ErrorKind::NotFound => {
                        format!("path `{}` does not exist", root.display())
                    }
                    _ => format!("cannot access `{}`: {e}", root.display()),
                });
                out.push(root.clone());
                continue;
            }
        };
        if !meta.is_dir() {
            out.push(root.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .follow_links(true)
            .hidden(true)
            .require_git(false)
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                // A symlink loop or an unreadable directory: skip it, as ripgrep does, but say so.
                Err(e) => {
                    warnings.push(e.to_string());
                    continue;
                }
            };
            let p = entry.path();
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let rel = p.strip_prefix(root).unwrap_or(p);
            if matches(&include_set, rel) && !matches(&exclude_set, rel) {
                out.push(p.to_path_buf());
            }
        }
    }
    out.sort();
    out.dedup();
    Ok((out, warnings))
}
