use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{document_symbol, Document, FurnitureKind};
use crate::extract::references::{edit_distance_capped, parse_symbol, series_matches};
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
    /// reported as `info`. Running headers (a line holding only the symbol) are checked too,
    /// and one page whose running header is a near miss of the symbol that at least three
    /// other pages carry (`E/CN.51/2020/12` among `E/CN.15/2020/12`) is reported even when
    /// both series are known. The masthead's symbol (`Nations Unies   E/CN.7/2020/5`) is the
    /// document's own: a page whose running header is a near miss of it is reported, and so is
    /// a masthead symbol that is a near miss of the symbol three pages or more agree on.
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
        // Only a distance of 1 or 2 can make the symbol `Near` (`close` below): any distance
        // above 2 is taken as 3, which changes no answer (when the least distance is above 2,
        // nothing is close whichever candidates tie for it).
        let d = edit_distance_capped(series, &cand, 2);
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

/// A symbol made of `series` and the components after it (`parts`, as written between their
/// `/`s): the suggestion for a mistyped series.
pub(crate) fn corrected(series: &str, parts: &str) -> String {
    format!("{series}/{parts}")
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
                .entry(s.series())
                .or_insert_with(|| check_series(s.series(), patterns));
            match check {
                SeriesCheck::Known | SeriesCheck::Foreign => {}
                SeriesCheck::Near(good) => {
                    let fixed = corrected(good, s.parts());
                    let mut d = Diagnostic::new(
                        Self::ID,
                        s.span.clone(),
                        format!("unknown document symbol series `{}`", s.series()),
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
                            format!("document symbol series `{}` is not a known series", s.series()),
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
        // Each running symbol (its text and span) and how many pages carry it, for the
        // odd-one-out test below; owned, as a furniture line is read through
        // `Document::slice`, a `Cow` (a few lines a page).
        let mut pages: FxHashMap<String, (usize, std::ops::Range<usize>)> = FxHashMap::default();
        // Running symbols already reported as a near miss of a known series.
        let mut near_miss: Vec<String> = Vec::new();
        for f in &doc.furniture {
            if f.kind != FurnitureKind::RunningSymbol {
                continue;
            }
            let line = doc.slice(&f.span);
            let text = line.trim();
            let start = f.span.start + (line.len() - line.trim_start().len());
            // The symbol, by the test that made the line a running symbol (a page counter
            // such as `3/11` may stand before it).
            let symbol = text
                .split_whitespace()
                .find(|w| document_symbol(w) == Some(w.len()));
            if let Some(word) = symbol {
                let at = start + (word.as_ptr() as usize - text.as_ptr() as usize);
                pages
                    .entry(word.to_string())
                    .and_modify(|e| e.0 += 1)
                    .or_insert((1, at..at + word.len()));
            }
            let Some((series, parts)) = parse_symbol(text) else {
                continue;
            };
            if let Some(good) = running.near(series) {
                near_miss.extend(symbol.map(str::to_string));
                out.push(
                    Diagnostic::new(
                        Self::ID,
                        start..start + text.len(),
                        format!("unknown document symbol series `{series}` in a running header"),
                    )
                    .with_help(format!("did you mean `{}`?", corrected(good, parts)))
                    .with_fix(Fix::unsafe_(start..start + series.len(), good)),
                );
            }
        }
        let own = doc.header.symbol.as_ref().map(|sp| (doc.slice(sp), sp));
        let own = own.as_ref().map(|(text, sp)| (text.as_ref(), *sp));
        odd_running_symbols(&pages, &near_miss, own, out);
    }
}

/// A running header on one page whose symbol is a near miss (at most two edits) of the symbol
/// that at least three other pages carry: `E/CN.51/2020/12` among `E/CN.15/2020/12`. Each
/// series may be known (`E/CN.#`), so the series test above cannot see it. A symbol that two
/// pages or more carry is left alone: files that join several documents have several.
///
/// The masthead's symbol (`own`: its text and span) is the document's own: when the pages
/// agree on a symbol, a masthead that is a near miss of it is reported; when they do not (a
/// short report), a page whose running header is a near miss of the masthead's is.
fn odd_running_symbols(
    pages: &FxHashMap<String, (usize, std::ops::Range<usize>)>,
    near_miss: &[String],
    own: Option<(&str, &std::ops::Range<usize>)>,
    out: &mut Vec<Diagnostic>,
) {
    // A symbol at `span` that should read `good`, said by `message`.
    let did_you_mean = |span: &std::ops::Range<usize>, message: String, good: &str| {
        Diagnostic::new(Symbol::ID, span.clone(), message)
            .with_help(format!("did you mean `{good}`?"))
            .with_fix(Fix::unsafe_(span.clone(), good.to_string()))
    };
    let mut by_count: Vec<(&str, usize)> =
        pages.iter().map(|(t, (n, _))| (t.as_str(), *n)).collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let usual = by_count
        .first()
        .filter(|&&(_, n)| n >= 3 && by_count.get(1).is_none_or(|x| x.1 != n));
    let (reference, what) = match (usual, own) {
        (Some(&(usual, n)), _) => {
            if let Some((own, span)) = own {
                if own != usual && edit_distance_capped(own, usual, 2) <= 2 {
                    out.push(did_you_mean(
                        span,
                        format!(
                            "document symbol `{own}` differs from the running header `{usual}` of {n} pages"
                        ),
                        usual,
                    ));
                }
            }
            (usual, format!("the symbol `{usual}` of {n} other pages"))
        }
        (None, Some((own, _))) => (
            own,
            format!("the document's symbol `{own}` in the masthead"),
        ),
        (None, None) => return,
    };
    let mut odd: Vec<(&str, &std::ops::Range<usize>)> = pages
        .iter()
        .filter(|(t, (c, _))| {
            *c == 1
                && t.as_str() != reference
                && !near_miss.contains(t)
                && edit_distance_capped(t, reference, 2) <= 2
        })
        .map(|(t, (_, span))| (t.as_str(), span))
        .collect();
    odd.sort_by_key(|x| x.1.start);
    for (text, span) in odd {
        out.push(did_you_mean(
            span,
            format!("running header `{text}` differs from {what}"),
            reference,
        ));
    }
}
