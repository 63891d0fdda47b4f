//! Finding original/draft pairs in a tree: `--pair 'en:*.en.md' --pair 'fr:*.fr.md'`, or the
//! naming convention `--pair en --pair fr` (`name.en.md` with `name.fr.md`, `name.en.txt` with
//! `name.fr.txt`). The first `--pair` names the originals, the second the drafts; two files
//! pair when they sit in the same directory and the `*` of their patterns matches the same text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One side of `--pair`: a language code and the file-name patterns of that side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairPattern {
    pub lang: String,
    /// File-name patterns with exactly one `*` (the shared stem).
    pub globs: Vec<String>,
}

impl PairPattern {
    /// Parses `LANG:GLOB` or a bare `LANG` (the naming convention `*.LANG.md`, `*.LANG.txt`).
    pub fn parse(spec: &str) -> Result<PairPattern, String> {
        let (lang, globs) = match spec.split_once(':') {
            Some((l, g)) => (l.trim(), vec![g.trim().to_string()]),
            None => (
                spec.trim(),
                vec![
                    format!("*.{}.md", spec.trim()),
                    format!("*.{}.txt", spec.trim()),
                ],
            ),
        };
        if lang.is_empty() || !lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(format!(
                "invalid --pair `{spec}`: expected LANG:GLOB (e.g. `en:*.en.md`) or LANG (e.g. `en`)"
            ));
        }
        for g in &globs {
            if g.contains('/') || g.matches('*').count() != 1 {
                return Err(format!(
                    "invalid --pair `{spec}`: the pattern must be a file name with exactly one `*` (e.g. `en:*.en.md`)"
                ));
            }
        }
        Ok(PairPattern {
            lang: lang.to_string(),
            globs,
        })
    }

    /// The stem and pattern index a file name matches, if any.
    fn stem<'a>(&self, name: &'a str) -> Option<(usize, &'a str)> {
        self.globs.iter().enumerate().find_map(|(i, g)| {
            let (pre, post) = g.split_once('*')?;
            let s = name.strip_prefix(pre)?.strip_suffix(post)?;
            (!s.is_empty()).then_some((i, s))
        })
    }
}

/// An original and its draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub original: PathBuf,
    pub draft: PathBuf,
}

/// Pairs of a file list, and warnings about drafts that have no original.
pub fn find(
    files: &[PathBuf],
    original: &PairPattern,
    draft: &PairPattern,
) -> (Vec<Pair>, Vec<String>) {
    type Key = (PathBuf, usize, String);
    let mut originals: BTreeMap<Key, PathBuf> = BTreeMap::new();
    let mut drafts: BTreeMap<Key, PathBuf> = BTreeMap::new();
    for f in files {
        let Some(name) = f.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let dir = f.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some((i, s)) = original.stem(name) {
            originals.insert((dir.clone(), i, s.to_string()), f.clone());
        }
        if let Some((i, s)) = draft.stem(name) {
            drafts.insert((dir, i, s.to_string()), f.clone());
        }
    }
    let mut pairs = Vec::new();
    let mut warnings = Vec::new();
    for (key, d) in drafts {
        match originals.get(&key) {
            Some(o) => pairs.push(Pair {
                original: o.clone(),
                draft: d,
            }),
            None => warnings.push(format!(
                "draft `{}` has no original matching `{}` beside it; not compared",
                d.display(),
                original.globs.join("` or `")
            )),
        }
    }
    (pairs, warnings)
}

/// Turns the `--pair` options into pairs of the walked files.
pub fn plan(specs: &[String], files: &[PathBuf]) -> Result<(Vec<Pair>, Vec<String>), String> {
    match specs {
        [o, d] => {
            let (o, d) = (PairPattern::parse(o)?, PairPattern::parse(d)?);
            Ok(find(files, &o, &d))
        }
        _ => Err(format!(
            "--pair is given {} time(s): give it twice, the original's pattern first, then the draft's (e.g. --pair 'en:*.en.md' --pair 'fr:*.fr.md', or --pair en --pair fr)",
            specs.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_by_stem_and_directory() {
        let files: Vec<PathBuf> = [
            "a/report.en.md",
            "a/report.fr.md",
            "a/notes.fr.md",
            "b/report.en.md",
            "b/report.fr.txt",
            "b/other.en.txt",
            "b/other.fr.txt",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let (pairs, warnings) = plan(&["en".into(), "fr".into()], &files).unwrap();
        let got: Vec<(String, String)> = pairs
            .iter()
            .map(|p| {
                (
                    p.original.display().to_string(),
                    p.draft.display().to_string(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a/report.en.md".into(), "a/report.fr.md".into()),
                ("b/other.en.txt".into(), "b/other.fr.txt".into()),
            ]
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        let (pairs, _) = plan(&["en:*.en.md".into(), "fr:*.fr.txt".into()], &files).unwrap();
        assert_eq!(pairs.len(), 1);
        assert!(plan(&["en".into()], &files).is_err());
        assert!(PairPattern::parse("en:*.*.md").is_err());
    }
}
