//! `unlint outline`: the parsed tree, for a person to check the parse at a glance.

use super::model::*;
use std::fmt::Write;

/// Renders the document tree: header fields, headings, paragraph ranges, lists, footnotes.
pub fn outline(doc: &Document) -> String {
    let mut out = String::new();
    let line = |off: usize| doc.line_index(off) + 1;
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let _ = writeln!(out, "language: {}", doc.lang.code());
    let _ = writeln!(
        out,
        "format: {}",
        if doc.markdown { "markdown" } else { "text" }
    );
    let h = &doc.header;
    for (name, span) in [
        ("distribution", &h.distribution),
        ("date", &h.date),
        ("language", &h.language),
        ("original", &h.original_language),
        ("symbol", &h.symbol),
        ("addendum", &h.addendum),
        ("title", &h.title),
    ] {
        if let Some(s) = span {
            let _ = writeln!(
                out,
                "header.{name}: {} (line {})",
                one_line(&doc.slice(s)),
                line(s.start)
            );
        }
    }
    // Group paragraphs under the heading they follow.
    let mut para_iter = doc.paragraphs.iter().enumerate().peekable();
    let print_paras =
        |out: &mut String,
         upto: usize,
         para_iter: &mut std::iter::Peekable<std::iter::Enumerate<std::slice::Iter<Paragraph>>>,
         indent: &str| {
            let mut run: Vec<(usize, &Paragraph)> = Vec::new();
            while let Some((i, p)) = para_iter.peek().copied() {
                if p.span.start >= upto {
                    break;
                }
                run.push((i, p));
                para_iter.next();
            }
            if run.is_empty() {
                return;
            }
            let nums: Vec<String> = run.iter().map(|(_, p)| p.number.to_string()).collect();
            let _ = writeln!(
                out,
                "{indent}paragraphs {} (lines {}-{})",
                compress(&nums),
                line(run[0].1.span.start),
                line(run.last().unwrap().1.span.end)
            );
            for (i, p) in &run {
                let punct = doc.slice(&p.punct_span);
                if punct != "." {
                    let _ = writeln!(
                        out,
                        "{indent}  paragraph {} written `{}{}` (line {})",
                        p.number,
                        p.number,
                        punct,
                        line(p.span.start)
                    );
                }
                let items: Vec<&ListItem> = doc
                    .items
                    .iter()
                    .filter(|it| it.paragraph == Some(*i))
                    .collect();
                print_lists(out, doc, &items, &format!("{indent}  {} ", p.number));
            }
        };
    let mut indent;
    for (hi, hd) in doc.headings.iter().enumerate() {
        print_paras(
            &mut out,
            hd.span.start,
            &mut para_iter,
            &indent_for(doc, hi.checked_sub(1)),
        );
        indent = match hd.kind {
            HeadingKind::Section => "",
            HeadingKind::Subsection => "  ",
            HeadingKind::Unnumbered => {
                if doc.headings[..hi]
                    .iter()
                    .rev()
                    .find(|h| h.kind != HeadingKind::Unnumbered)
                    .is_some_and(|h| h.kind == HeadingKind::Subsection)
                {
                    "  "
                } else {
                    ""
                }
            }
        };
        let num = hd.number_span.as_ref().map(|s| doc.slice(s).to_string());
        let title = hd
            .title_span
            .as_ref()
            .map_or(String::new(), |s| one_line(&doc.slice(s)));
        let kind = match hd.kind {
            HeadingKind::Section => "section",
            HeadingKind::Subsection => "subsection",
            HeadingKind::Unnumbered => "heading",
        };
        let mut flags = Vec::new();
        if let Some(l) = hd.markdown_level {
            flags.push(format!("h{l}"));
        }
        if hd.garbled {
            flags.push(format!(
                "garbled, read as {}",
                crate::text::to_roman(hd.number.unwrap_or(0))
            ));
        }
        if hd.continued {
            flags.push("continued".to_string());
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", flags.join(", "))
        };
        match num {
            Some(n) => {
                let _ = writeln!(
                    out,
                    "{indent}{kind} {n}. {title}{flags} (line {})",
                    line(hd.span.start)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{indent}{kind}: {title}{flags} (line {})",
                    line(hd.span.start)
                );
            }
        }
        let _ = indent;
    }
    print_paras(
        &mut out,
        usize::MAX,
        &mut para_iter,
        &indent_for(doc, doc.headings.len().checked_sub(1)),
    );
    if !doc.footnotes.is_empty() {
        let _ = writeln!(out, "footnotes:");
        for f in &doc.footnotes {
            let body = one_line(&doc.slice(&f.span));
            let short: String = body.chars().take(60).collect();
            let _ = writeln!(
                out,
                "  [{}] {}{} (line {})",
                doc.slice(&f.marker_span),
                short,
                if body.chars().count() > 60 { "…" } else { "" },
                line(f.span.start)
            );
        }
    }
    let mut counts: Vec<(FurnitureKind, usize)> = Vec::new();
    for f in &doc.furniture {
        match counts.iter_mut().find(|(k, _)| *k == f.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((f.kind, 1)),
        }
    }
    if !counts.is_empty() {
        let parts: Vec<String> = counts
            .iter()
            .map(|(k, n)| {
                format!(
                    "{} {n}",
                    serde_json::to_value(k)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                )
            })
            .collect();
        let _ = writeln!(out, "furniture: {}", parts.join(", "));
    }
    out
}

fn indent_for(doc: &Document, heading: Option<usize>) -> String {
    let nested = heading
        .and_then(|h| {
            doc.headings[..=h]
                .iter()
                .rev()
                .find(|x| x.kind != HeadingKind::Unnumbered)
        })
        .is_some_and(|h| h.kind == HeadingKind::Subsection);
    if nested {
        "    ".into()
    } else {
        "  ".into()
    }
}

fn print_lists(out: &mut String, doc: &Document, items: &[&ListItem], prefix: &str) {
    let mut lists: Vec<(usize, u8, ItemStyle, Vec<String>)> = Vec::new();
    for it in items {
        let label = format!(
            "{}{}",
            doc.slice(&it.label_span),
            if it.style == ItemStyle::Numeric {
                "."
            } else {
                ")"
            }
        );
        match lists.iter_mut().find(|l| l.0 == it.list) {
            Some(l) => l.3.push(label),
            None => lists.push((it.list, it.depth, it.style, vec![label])),
        }
    }
    for (_, depth, style, labels) in lists {
        let kind = match style {
            ItemStyle::Alpha => "items",
            ItemStyle::Roman => "roman items",
            ItemStyle::Numeric => "agenda",
        };
        let pad = "  ".repeat(depth as usize);
        let _ = writeln!(out, "{prefix}{pad}{kind}: {}", compress_labels(&labels));
    }
}

/// `1 2 3 4 7 8` → `1-4, 7-8`.
fn compress(nums: &[String]) -> String {
    let vals: Vec<Option<u32>> = nums.iter().map(|n| n.parse().ok()).collect();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let mut j = i;
        while j + 1 < nums.len()
            && matches!((vals[j], vals[j + 1]), (Some(a), Some(b)) if b == a + 1)
        {
            j += 1;
        }
        parts.push(if j > i {
            format!("{}-{}", nums[i], nums[j])
        } else {
            nums[i].clone()
        });
        i = j + 1;
    }
    parts.join(", ")
}

fn compress_labels(labels: &[String]) -> String {
    if labels.len() <= 3 {
        return labels.join(" ");
    }
    format!(
        "{} … {} ({})",
        labels[0],
        labels[labels.len() - 1],
        labels.len()
    )
}

/// Debug view: every line with the kind the parser gave it.
pub fn line_kinds(doc: &Document) -> String {
    let mut out = String::new();
    for (i, l) in doc.lines.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>5} {:<9} {}",
            i + 1,
            format!("{:?}", l.kind),
            &doc.text()[l.span()]
        );
    }
    out
}
