//! Applying safe fixes: `unlint --fix` writes them, `unlint --diff` shows them.
//!
//! Fixes are applied in order of position; a fix whose edits overlap an edit already taken is
//! left for the next pass. Passes repeat on the new text until nothing is left to fix (at most
//! [`MAX_PASSES`]), so a second `--fix` finds nothing. Text outside the edited spans is kept
//! byte for byte (line endings and a byte-order mark included); files are replaced atomically
//! with their permissions kept.

use crate::diagnostic::{Diagnostic, Edit};
use crate::engine::Engine;
use crate::source;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Passes over one file before giving up on reaching a fixpoint.
pub const MAX_PASSES: usize = 10;

/// The result of applying fixes to a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    /// How many diagnostics had their fix applied.
    pub fixed: usize,
}

fn overlaps(a: &Edit, b: &Edit) -> bool {
    a.span.start == b.span.start || (a.span.start < b.span.end && b.span.start < a.span.end)
}

/// Applies the safe fixes of `diags` to `text`: non-overlapping, in order of position.
/// A fix identical to one already taken counts as applied (two rules offering one repair).
pub fn apply_safe(text: &str, diags: &[Diagnostic]) -> Applied {
    let mut fixes: Vec<&[Edit]> = diags
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.safe)
        .map(|f| f.edits())
        .filter(|edits| {
            edits.iter().all(|e| {
                e.span.start <= e.span.end
                    && e.span.end <= text.len()
                    && text.is_char_boundary(e.span.start)
                    && text.is_char_boundary(e.span.end)
            })
        })
        // A fix whose own edits overlap cannot be applied as written (the rules make
        // one-edit fixes); leaving such a fix out keeps every taken edit disjoint, which the
        // neighbour checks below rely on.
        .filter(|edits| {
            edits
                .iter()
                .enumerate()
                .all(|(i, a)| edits[i + 1..].iter().all(|b| !overlaps(a, b)))
        })
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| (e.span.start, e.span.end)).min());
    // The taken edits by start. They are pairwise disjoint, so an edit overlaps one of them
    // only if it overlaps the one at its start or its nearest neighbour on either side: a
    // look-up each instead of a scan of every taken edit (which made `--fix` quadratic: over
    // a minute for the 57 000 OCR repairs of the 20 MB bench file).
    let mut taken: BTreeMap<usize, &Edit> = BTreeMap::new();
    let hits = |taken: &BTreeMap<usize, &Edit>, e: &Edit| {
        taken.contains_key(&e.span.start)
            || taken
                .range(..e.span.start)
                .next_back()
                .is_some_and(|(_, t)| overlaps(e, t))
            || taken
                .range(e.span.start + 1..)
                .next()
                .is_some_and(|(_, t)| overlaps(e, t))
    };
    let mut fixed = 0;
    for edits in fixes {
        if edits.iter().all(|e| taken.get(&e.span.start) == Some(&e)) {
            fixed += 1;
            continue;
        }
        if edits.iter().any(|e| hits(&taken, e)) {
            continue;
        }
        taken.extend(edits.iter().map(|e| (e.span.start, e)));
        fixed += 1;
    }
    let taken: Vec<&Edit> = taken.into_values().collect();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in taken {
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.replacement);
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    Applied { text: out, fixed }
}

/// Checks and fixes `text` (as the file `path`) until no safe fix is left.
pub fn fix_text(engine: &Engine, path: &Arc<str>, text: String) -> Applied {
    let mut current = text;
    let mut fixed = 0;
    for _ in 0..MAX_PASSES {
        let mut doc = crate::document::parse(current);
        let mut diags = engine.check_text(path, &mut doc);
        let text = doc.into_text();
        crate::suppress::apply(&text, path, &mut diags, &engine.rules);
        let step = apply_safe(&text, &diags);
        if step.text == text {
            current = step.text;
            break;
        }
        fixed += step.fixed;
        current = step.text;
    }
    Applied {
        text: current,
        fixed,
    }
}

/// One file after fixing.
#[derive(Debug)]
pub struct FileFix {
    pub path: PathBuf,
    pub original: String,
    pub fixed: String,
    /// Problems fixed in it.
    pub count: usize,
}

impl FileFix {
    pub fn changed(&self) -> bool {
        self.original != self.fixed
    }
}

/// Computes the fixes of every readable file (in parallel). Files that cannot be read or
/// decoded are skipped: the check that follows reports them.
pub fn fix_files(engine: &Engine, files: &[PathBuf]) -> Vec<FileFix> {
    files
        .par_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok()?;
            let text = source::decode(bytes).ok()?;
            let path: Arc<str> = Arc::from(p.display().to_string());
            let applied = fix_text(engine, &path, text.clone());
            Some(FileFix {
                path: p.clone(),
                original: text,
                fixed: applied.text,
                count: applied.fixed,
            })
        })
        .collect()
}

/// Replaces the file at `path` by `contents` atomically: a temporary file in the same
/// directory, the original permissions, then a rename. A symbolic link is followed, so the
/// file it points to is replaced and the link kept.
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let perms = std::fs::metadata(&target)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".unlint-fix-")
        .tempfile_in(dir)?;
    tmp.write_all(contents.as_bytes())?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), perms)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// A unified diff of `old` → `new` for the file `path` (3 lines of context).
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    // `a/` and `b/` prefixes for relative paths, so that `git apply` / `patch -p1` work.
    let (old_name, new_name) = if Path::new(path).is_absolute() {
        (path.to_string(), path.to_string())
    } else {
        (format!("a/{path}"), format!("b/{path}"))
    };
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Fix;

    fn diag(span: std::ops::Range<usize>, repl: &str, safe: bool) -> Diagnostic {
        let fix = if safe {
            Fix::safe(span.clone(), repl)
        } else {
            Fix::unsafe_(span.clone(), repl)
        };
        Diagnostic::new("t/t", span, "m").with_fix(fix)
    }

    #[test]
    fn applies_in_order_and_skips_overlaps_and_unsafe() {
        let text = "ab cd ef";
        let d = vec![
            diag(3..5, "XY", true),
            diag(0..2, "Z", true),
            diag(4..6, "no", true), // overlaps 3..5
            diag(6..8, "U", false), // unsafe
            diag(3..5, "XY", true), // duplicate of the first
        ];
        let a = apply_safe(text, &d);
        assert_eq!(a.text, "Z XY ef");
        assert_eq!(a.fixed, 3);
    }

    #[test]
    fn insertions_and_bom_crlf_kept() {
        let text = "\u{feff}a:b\r\nc";
        let d = vec![diag(5..5, " ", true)];
        assert_eq!(apply_safe(text, &d).text, "\u{feff}a: b\r\nc");
    }
}
