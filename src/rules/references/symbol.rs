use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Document, FurnitureKind};
use crate::extract::references::{edit_distance, parse_symbol, series_matches};
use crate::rules::{Context, Rule};
use rustc_hash::FxHashMap;

declare_rule! {
    /// ## What it checks
    /// United Nations document symbols (`A/RES/65/230`, `E/CN.15/2018/1`,
    /// `UNODC/CCPCJ/EG.4/2017/INF/1`) whose series is not a known one. When the series is
    /// within a small edit distance of exactly one known series (`UNODC/CCPCIJ/EG.4` for
    /// `UNODC/CCPCJ/EG.4`), the corrected symbol is suggested. A symbol broken over a line end
    /// (`UNODC/CCPCJ/EG.4/` + `2017/3`) is joined before it is checked. A series that is far
    /// from every known one but starts like a United Nations series (`A/`, `E/`, `UNODC/`) is
    /// reported as `info`. Running headers (a line holding only the symbol) are checked too.
    ///
    /// ## Why it matters
    /// A mistyped symbol is a dead citation: the document cannot be found in the Official
    /// Document System, and OCR damage (`CCPCIJ`) is easy to miss in proofreading.
    ///
    /// ## Example
    /// ```text
    /// (UNODC/CCPC/EG.4/2017/CRP.2, en anglais seulement)
    ///  ^^^^^^^^^^^^^^^^^^^^^^^^^^ did you mean `UNODC/CCPCJ/EG.4/2017/CRP.2`?
    /// ```
    ///
    /// ## Configuration
    /// No options. Known series are data: `series` in `[references]` (`#` stands for a number,
    /// a trailing `/*` accepts any sub-series). Add your own series in `unlint.toml`.
    pub struct Symbol = "references/symbol", Severity::Warning;
}

/// What the configured series say about one symbol.
pub(crate) enum SeriesCheck {
    Known,
    /// Close to exactly one known series.
    Near(String),
    /// Unknown; the first component is a known root.
    Unknown,
    /// Unknown and unlike any United Nations series.
    Foreign,
}

pub(crate) fn check_series(series: &str, patterns: &[String]) -> SeriesCheck {
    if patterns.iter().any(|p| series_matches(series, p)) {
        return SeriesCheck::Known;
    }
    let digits: Option<&str> = series
        .split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty());
    let len = series.chars().count();
    // Only a known series within distance 2 can make the symbol `Near` (see `close` below),
    // and a series shorter than 5 characters never is. The edit distance is at least the
    // difference of the lengths in characters, so a candidate whose length differs by more
    // than 2 cannot be among the closest when they are close enough to matter: leaving it
    // out (before building it) changes no result, and spares most of the distances.
    let candidates: &[String] = if len >= 5 { patterns } else { &[] };
    let mut best: Option<(usize, Vec<String>)> = None;
    for p in candidates {
        if p.ends_with("/*") {
            continue;
        }
        // The candidate's length in characters: the pattern's, its first `#` replaced by
        // `digits`.
        let cand_len = p.chars().count()
            + match (p.contains('#'), digits) {
                (true, Some(d)) => d.len() - 1,
                _ => 0,
            };
        if cand_len.abs_diff(len) > 2 {
            continue;
        }
        let cand = if p.contains('#') {
            match digits {
                Some(d) => p.replacen('#', d, 1),
                None => continue,
            }
        } else {
            p.clone()
        };
        if cand.contains('#') {
            continue;
        }
        let d = edit_distance(series, &cand);
        match &mut best {
            Some((bd, list)) if d == *bd => {
                if !list.contains(&cand) {
                    list.push(cand)
                }
            }
            Some((bd, _)) if d > *bd => {}
            _ => best = Some((d, vec![cand])),
        }
    }
    if let Some((d, list)) = best {
        let close = (d == 1 && len >= 5) || (d == 2 && len >= 10);
        if close && list.len() == 1 {
            return SeriesCheck::Near(list.into_iter().next().unwrap());
        }
    }
    let root = series.split('/').next().unwrap_or("");
    if patterns.iter().any(|p| p.split('/').next() == Some(root)) {
        SeriesCheck::Unknown
    } else {
        SeriesCheck::Foreign
    }
}

/// [`check_series`]'s near misses, remembered per series: the running headers and the
/// undocs.org lines of a report repeat the same few series on every page.
pub(crate) struct NearSeries<'p> {
    patterns: &'p [String],
    seen: FxHashMap<String, Option<String>>,
}

impl<'p> NearSeries<'p> {
    pub(crate) fn new(patterns: &'p [String]) -> Self {
        NearSeries {
            patterns,
            seen: FxHashMap::default(),
        }
    }
    /// The known series `series` is a near miss of, if it is one.
    pub(crate) fn near(&mut self, series: &str) -> Option<&str> {
        if !self.seen.contains_key(series) {
            let near = match check_series(series, self.patterns) {
                SeriesCheck::Near(good) => Some(good),
                _ => None,
            };
            self.seen.insert(series.to_owned(), near);
        }
        self.seen.get(series).and_then(|near| near.as_deref())
    }
}

/// A symbol made of `series` and the components after it: the suggestion for a mistyped series.
pub(crate) fn corrected(series: &str, parts: &[String]) -> String {
    format!("{series}/{}", parts.join("/"))
}

impl Rule for Symbol {
    crate::rule_meta!();

    fn fixable(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
        let patterns = &ctx.config.references.series;
        // A report cites the same few series over and over: each distinct series is checked
        // against the patterns once.
        let mut checked: FxHashMap<&str, SeriesCheck> = FxHashMap::default();
        for s in &doc.references(ctx.config).symbols {
            let check: &SeriesCheck = checked
                .entry(s.series.as_str())
                .or_insert_with(|| check_series(&s.series, patterns));
            match check {
                SeriesCheck::Known | SeriesCheck::Foreign => {}
                SeriesCheck::Near(good) => {
                    let fixed = corrected(good, &s.parts);
                    let mut d = Diagnostic::new(
                        Self::ID,
                        s.span.clone(),
                        format!("unknown document symbol series `{}`", s.series),
                    )
                    .with_help(format!("did you mean `{fixed}`?"));
                    if let Some(sp) = &s.series_span {
                        d = d.with_fix(Fix::unsafe_(sp.clone(), good.clone()));
                    }
                    out.push(d);
                }
                SeriesCheck::Unknown => {
                    out.push(
                        Diagnostic::new(
                            Self::ID,
                            s.span.clone(),
                            format!("document symbol series `{}` is not a known series", s.series),
                        )
                        .with_help("check the symbol; if the series is right, add it to `series` in `[references]`")
                        .with_severity(Severity::Info),
                    );
                }
            }
        }
        // Running symbols (a header line holding only the symbol) are page furniture, outside
        // the text the extractor reads: a near miss there (`UNODC/CCPCIJ/EG.4/2017/L.1` on one
        // page) is the same defect, reported the same way.
        let mut running = NearSeries::new(patterns);
        for f in &doc.furniture {
            if f.kind != FurnitureKind::RunningSymbol {
                continue;
            }
            let line = doc.slice(&f.span);
            let text = line.trim();
            let Some((series, parts)) = parse_symbol(text) else {
                continue;
            };
            if let Some(good) = running.near(&series) {
                let start = f.span.start + (line.len() - line.trim_start().len());
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        start..start + text.len(),
                        format!("unknown document symbol series `{series}` in a running header"),
                    )
                    .with_help(format!("did you mean `{}`?", corrected(good, &parts)))
                    .with_fix(Fix::unsafe_(start..start + series.len(), good)),
                );
            }
        }
    }
}
