//! The facts a translation must carry over unchanged: figures, spelled-out counts, references
//! (resolution and decision numbers, document symbols) and dates, read from one document's
//! prose in one pass, in either language.
//!
//! This is a minimal extraction private to `compare`: when the shared extractors
//! (`crate::extract::references`, `crate::extract::dates`) land, [`extract`] is the one function
//! to switch over; the rules only see [`Facts`].

use crate::document::{document_symbol, Document, Lang, Span};

/// A figure or a spelled-out number.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    pub span: Span,
    /// Canonical value: digits without grouping, `.` before decimals (`1817`, `2.5`, `3.2.1`).
    pub key: String,
    /// Written in words (« deux », "twenty-seventh").
    pub spelled: bool,
    /// An ordinal (« vingt-septième », "27th", « 1<sup>re</sup> »).
    pub ordinal: bool,
    /// « un », "one", "first", "second": an article, a pronoun or an adjective as often as a
    /// count. It cancels an equal figure on the other side (« 1re séance » / "first meeting")
    /// but is never reported on its own.
    pub weak: bool,
}

/// A resolution or decision number (`65/230`) or a document symbol (`E/CN.15/2019/L.1`).
#[derive(Debug, Clone, PartialEq)]
pub struct Ref {
    pub span: Span,
    pub key: String,
}

/// A calendar date, possibly partial (« mars 2019 », "27 March").
#[derive(Debug, Clone, PartialEq)]
pub struct DateFact {
    pub span: Span,
    pub day: Option<u8>,
    pub month: u8,
    pub year: Option<u16>,
}

impl DateFact {
    /// Whether two dates can be the same day: equal where both are given.
    pub fn matches(&self, other: &DateFact) -> bool {
        self.month == other.month
            && self.day == other.day
            && (self.year.is_none() || other.year.is_none() || self.year == other.year)
    }
    /// `27 March 2019`, `March 2019`, `27 March`.
    pub fn display(&self) -> String {
        let m = crate::text::month_name(self.month, Lang::En).to_string();
        match (self.day, self.year) {
            (Some(d), Some(y)) => format!("{d} {m} {y}"),
            (Some(d), None) => format!("{d} {m}"),
            (None, Some(y)) => format!("{m} {y}"),
            (None, None) => m,
        }
    }
    pub fn key(&self) -> String {
        format!(
            "date:{}-{}-{}",
            self.year.unwrap_or(0),
            self.month,
            self.day.unwrap_or(0)
        )
    }
}

/// Everything [`extract`] found, each list sorted by position.
#[derive(Debug, Default)]
pub struct Facts {
    pub numbers: Vec<Num>,
    pub refs: Vec<Ref>,
    pub dates: Vec<DateFact>,
}

fn month_of(word: &str, lang: Lang) -> Option<u8> {
    match lang {
        // English months are capitalised; "may" is a verb.
        Lang::En => {
            let first = word.chars().next()?;
            if !first.is_uppercase() {
                return None;
            }
            let w = word.to_lowercase();
            crate::text::MONTHS_EN
                .iter()
                .position(|m| m.eq_ignore_ascii_case(&w))
                .map(|i| i as u8 + 1)
        }
        Lang::Fr => {
            let w = word.to_lowercase();
            let w = if w == "aout" { "août".to_string() } else { w };
            if w == "mars" && word.starts_with('M') {
                // « Mars » capitalised mid-sentence is the planet or a name; a date's month is
                // lower-case. At a sentence start it would still be a month, but a date rarely
                // opens a sentence with its month.
                return None;
            }
            crate::text::MONTHS_FR
                .iter()
                .position(|m| *m == w)
                .map(|i| i as u8 + 1)
        }
    }
}

/// A token of the prose: a word (letters, inner hyphens and apostrophes) or a digit run.
#[derive(Debug, Clone)]
struct Tok {
    span: Span,
    kind: TokKind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum TokKind {
    Word,
    Digits,
    /// A single punctuation character (`-`, `–`, `,`).
    Punct(char),
}

fn tokenize(prose: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut it = prose.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = it.peek() {
                if d.is_ascii_digit() {
                    end = j + 1;
                    it.next();
                } else {
                    break;
                }
            }
            out.push(Tok {
                span: i..end,
                kind: TokKind::Digits,
            });
        } else if c.is_alphabetic() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if d.is_alphabetic() {
                    end = j + d.len_utf8();
                    it.next();
                } else if d == '-' {
                    // An inner hyphen joins words (« vingt-septième ») only before a letter.
                    let next = prose[j + 1..].chars().next();
                    if next.is_some_and(char::is_alphabetic) {
                        it.next();
                        end = j + 1;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            out.push(Tok {
                span: i..end,
                kind: TokKind::Word,
            });
        } else if matches!(c, '-' | '–' | '—' | ',' | '/' | '.' | '%') {
            out.push(Tok {
                span: i..i + c.len_utf8(),
                kind: TokKind::Punct(c),
            });
        }
    }
    out
}

/// Extracts the facts of a document. One pass over the prose for each kind.
pub fn extract(doc: &Document) -> Facts {
    let prose = doc.prose.as_str();
    let refs = references(prose);
    let toks = tokenize(prose);
    let dates = dates(prose, &toks, doc.lang);
    let numbers = numbers(doc, &toks, &refs, &dates);
    Facts {
        numbers,
        refs,
        dates,
    }
}

fn prev_char(s: &str, i: usize) -> Option<char> {
    s[..i].chars().next_back()
}

/// Resolution-like numbers `65/230`, `2016/241`, `26/4` and document symbols.
fn references(prose: &str) -> Vec<Ref> {
    let b = prose.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let prev = prev_char(prose, i);
        let boundary = !prev.is_some_and(|p| p.is_alphanumeric() || matches!(p, '/' | '.' | '-'));
        if c.is_ascii_uppercase() && boundary {
            if let Some(len) = document_symbol(&prose[i..]) {
                out.push(Ref {
                    span: i..i + len,
                    key: prose[i..i + len].to_string(),
                });
                i += len;
                continue;
            }
        }
        if c.is_ascii_digit() && boundary {
            // digits / digits (/ digits)*
            let mut j = i;
            let mut parts = 0;
            loop {
                let start = j;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j == start || j - start > 4 {
                    break;
                }
                parts += 1;
                if j + 1 < b.len() && b[j] == b'/' && b[j + 1].is_ascii_digit() {
                    j += 1;
                } else {
                    break;
                }
            }
            let end = j;
            let closed = !prose[end..]
                .chars()
                .next()
                .is_some_and(|n| n.is_alphanumeric() || n == '/');
            if parts >= 2 && closed && prose[i..end].matches('/').count() + 1 == parts {
                out.push(Ref {
                    span: i..end,
                    key: prose[i..end].to_string(),
                });
                i = end;
                continue;
            }
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            continue;
        }
        i += prose[i..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

fn day_value(prose: &str, t: &Tok) -> Option<u8> {
    if t.kind != TokKind::Digits || t.span.len() > 2 {
        return None;
    }
    let v: u8 = prose[t.span.clone()].parse().ok()?;
    (1..=31).contains(&v).then_some(v)
}

fn year_value(prose: &str, t: &Tok) -> Option<u16> {
    if t.kind != TokKind::Digits || t.span.len() != 4 {
        return None;
    }
    let v: u16 = prose[t.span.clone()].parse().ok()?;
    (1900..=2100).contains(&v).then_some(v)
}

fn is_ordinal_suffix(w: &str) -> bool {
    matches!(w, "er" | "re" | "st" | "nd" | "rd" | "th")
}

/// Dates: « 27 mars 2019 », « du 27 au 29 mars 2019 », « les 2 et 3 mai », « mars 2019 »,
/// "27 March 2019", "from 27 to 29 March 2019", "27-29 March", "March 27, 2019".
fn dates(prose: &str, toks: &[Tok], lang: Lang) -> Vec<DateFact> {
    let word = |t: &Tok| &prose[t.span.clone()];
    let mut out: Vec<DateFact> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != TokKind::Word {
            continue;
        }
        let Some(month) = month_of(word(t), lang) else {
            continue;
        };
        // The year right after the month (or after "27," in "March 27, 2019").
        let mut year = None;
        let mut end = t.span.end;
        let mut us_day = None;
        if let Some(n) = toks.get(i + 1) {
            if let Some(y) = year_value(prose, n) {
                if prose[t.span.end..n.span.start].trim().is_empty() {
                    year = Some(y);
                    end = n.span.end;
                }
            } else if lang == Lang::En {
                if let (Some(d), Some(c), Some(y)) = (
                    day_value(prose, n),
                    toks.get(i + 2),
                    toks.get(i + 3).and_then(|y| year_value(prose, y)),
                ) {
                    if c.kind == TokKind::Punct(',') {
                        us_day = Some(d);
                        year = Some(y);
                        end = toks[i + 3].span.end;
                    }
                }
            }
        }
        if let Some(d) = us_day {
            out.push(DateFact {
                span: t.span.start..end,
                day: Some(d),
                month,
                year,
            });
            continue;
        }
        // Days before the month: « 27 », « 27 au 29 », « 2 et 3 », "27-29", "27 to 29", "1er".
        let mut days = Vec::new();
        let mut start = t.span.start;
        let mut k = i;
        let mut expect_day = true;
        while k > 0 {
            let p = &toks[k - 1];
            let gap = &prose[p.span.end..toks[k].span.start];
            if gap.contains("\n\n") || gap.len() > 12 {
                break;
            }
            if expect_day {
                if p.kind == TokKind::Word && is_ordinal_suffix(word(p)) && k >= 2 {
                    if let Some(d) = day_value(prose, &toks[k - 2]) {
                        days.push(d);
                        start = toks[k - 2].span.start;
                        k -= 2;
                        expect_day = false;
                        continue;
                    }
                }
                match day_value(prose, p) {
                    Some(d) => {
                        days.push(d);
                        start = p.span.start;
                        k -= 1;
                        expect_day = false;
                    }
                    None => break,
                }
            } else {
                let joiner = match p.kind {
                    TokKind::Punct('-' | '–' | ',') => true,
                    TokKind::Word => matches!(word(p), "au" | "et" | "to" | "and" | "à"),
                    _ => false,
                };
                if !joiner {
                    break;
                }
                k -= 1;
                expect_day = true;
                // « du 30 mars au 2 avril »: the day list stops at another month.
                if k > 0
                    && toks[k - 1].kind == TokKind::Word
                    && month_of(word(&toks[k - 1]), lang).is_some()
                {
                    break;
                }
            }
        }
        if days.is_empty() {
            out.push(DateFact {
                span: start..end,
                day: None,
                month,
                year,
            });
        } else {
            days.reverse();
            for d in days {
                out.push(DateFact {
                    span: start..end,
                    day: Some(d),
                    month,
                    year,
                });
            }
        }
    }
    // « du 30 mars au 2 avril 2019 »: a date without a year takes the year of the date that
    // closes its range, a few words on.
    for i in 0..out.len() {
        if out[i].year.is_some() {
            continue;
        }
        if let Some(next) = out[i + 1..]
            .iter()
            .find(|n| n.span.start >= out[i].span.end)
        {
            let between = &prose[out[i].span.end..next.span.start];
            let short = matches!(
                between.trim(),
                "au" | "à" | "et" | "to" | "and" | "until" | "-" | "–" | ","
            );
            if short && next.year.is_some() && next.month >= out[i].month {
                out[i].year = next.year;
            }
        }
    }
    out
}

/// Spelled-out cardinals and ordinals (whole word, hyphenated compounds summed).
fn spelled_value(w: &str, lang: Lang) -> Option<(u32, bool)> {
    let lower = w.to_lowercase();
    let parts: Vec<&str> = lower.split('-').collect();
    let mut total = 0u32;
    let mut ordinal = false;
    let mut pending_quatre = false;
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let (v, ord) = match lang {
            Lang::En => en_word(p)?,
            Lang::Fr => {
                if *p == "et" {
                    continue;
                }
                fr_word(p)?
            }
        };
        if ord && !last {
            return None;
        }
        ordinal |= ord;
        if pending_quatre && v == 20 {
            total = total - 4 + 80;
            pending_quatre = false;
            continue;
        }
        pending_quatre = lang == Lang::Fr && v == 4 && !last;
        total += v;
    }
    Some((total, ordinal))
}

fn en_word(w: &str) -> Option<(u32, bool)> {
    const CARD: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const ORD: [&str; 20] = [
        "zeroth",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    const TENS_ORD: [&str; 8] = [
        "twentieth",
        "thirtieth",
        "fortieth",
        "fiftieth",
        "sixtieth",
        "seventieth",
        "eightieth",
        "ninetieth",
    ];
    if let Some(i) = CARD.iter().position(|c| *c == w) {
        return Some((i as u32, false));
    }
    if let Some(i) = ORD.iter().position(|c| *c == w) {
        return Some((i as u32, true));
    }
    if let Some(i) = TENS.iter().position(|c| *c == w) {
        return Some((20 + 10 * i as u32, false));
    }
    if let Some(i) = TENS_ORD.iter().position(|c| *c == w) {
        return Some((20 + 10 * i as u32, true));
    }
    None
}

fn fr_word(w: &str) -> Option<(u32, bool)> {
    // OCR and plain-ASCII text drop the accent: « vingt-neuvieme ».
    let fixed;
    let w = match w.strip_suffix("ieme") {
        Some(stem) => {
            fixed = format!("{stem}ième");
            fixed.as_str()
        }
        None => w,
    };
    const CARD: [(&str, u32); 24] = [
        ("un", 1),
        ("une", 1),
        ("deux", 2),
        ("trois", 3),
        ("quatre", 4),
        ("cinq", 5),
        ("six", 6),
        ("sept", 7),
        ("huit", 8),
        ("neuf", 9),
        ("dix", 10),
        ("onze", 11),
        ("douze", 12),
        ("treize", 13),
        ("quatorze", 14),
        ("quinze", 15),
        ("seize", 16),
        ("vingt", 20),
        ("vingts", 20),
        ("trente", 30),
        ("quarante", 40),
        ("cinquante", 50),
        ("soixante", 60),
        ("zéro", 0),
    ];
    const ORD: [(&str, u32); 21] = [
        ("premier", 1),
        ("première", 1),
        ("unième", 1),
        ("deuxième", 2),
        ("troisième", 3),
        ("quatrième", 4),
        ("cinquième", 5),
        ("sixième", 6),
        ("septième", 7),
        ("huitième", 8),
        ("neuvième", 9),
        ("dixième", 10),
        ("onzième", 11),
        ("douzième", 12),
        ("treizième", 13),
        ("quatorzième", 14),
        ("quinzième", 15),
        ("seizième", 16),
        ("vingtième", 20),
        ("trentième", 30),
        ("quarantième", 40),
    ];
    if let Some((_, v)) = CARD.iter().find(|(c, _)| *c == w) {
        return Some((*v, false));
    }
    if let Some((_, v)) = ORD.iter().find(|(c, _)| *c == w) {
        return Some((*v, true));
    }
    match w {
        "cinquantième" => Some((50, true)),
        "soixantième" => Some((60, true)),
        _ => None,
    }
}

/// Whether a digit run is a footnote call: `<sup>3</sup>`, or glued to the word before
/// (`cybercriminalité3`, OCR text).
fn is_footnote_call(doc: &Document, span: &Span) -> bool {
    let text = doc.text();
    let before = &text[..span.start];
    // `crime,1 and`: a figure glued after punctuation that closes a word.
    let after_word_punct = before.ends_with([',', ';', ')', '”', '»', '"'])
        && prev_char(before, before.len() - 1).is_some_and(|c| c.is_alphabetic() || c == ')')
        && text[span.end..].starts_with(char::is_whitespace);
    before.ends_with("<sup>")
        || before.ends_with('^')
        || prev_char(text, span.start).is_some_and(|c| c.is_alphabetic())
        || after_word_punct
}

fn canonical(int: &str, frac: Option<&str>) -> String {
    let int: String = int.chars().filter(char::is_ascii_digit).collect();
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    match frac.map(|f| f.trim_end_matches('0')) {
        Some(f) if !f.is_empty() => format!("{int}.{f}"),
        _ => int.to_string(),
    }
}

/// Figures, with the grouping and decimals of the document's language, and spelled-out counts.
fn numbers(doc: &Document, toks: &[Tok], refs: &[Ref], dates: &[DateFact]) -> Vec<Num> {
    let prose = doc.prose.as_str();
    let lang = doc.lang;
    let covered = |span: &Span| {
        refs.iter()
            .any(|r| r.span.start <= span.start && span.end <= r.span.end)
            || dates
                .iter()
                .any(|d| d.span.start <= span.start && span.end <= d.span.end)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        match t.kind {
            TokKind::Word => {
                let w = &prose[t.span.clone()];
                if let Some((v, ordinal)) = spelled_value(w, lang) {
                    // « un », "one", "first", "second": articles, pronouns and adjectives far
                    // more often than counts.
                    let single = !w.contains('-');
                    let weak = v <= 1 || (single && v == 2 && ordinal);
                    if !covered(&t.span) {
                        out.push(Num {
                            span: t.span.clone(),
                            key: v.to_string(),
                            spelled: true,
                            ordinal,
                            weak,
                        });
                    }
                }
                i += 1;
            }
            TokKind::Digits => {
                let start = t.span.start;
                // Skip digits glued to letters or hyphenated to a word (`G20`, `COVID-19`).
                let prev = prev_char(prose, start);
                let glued = prev.is_some_and(|c| c.is_alphabetic() || c == '/' || c == '.')
                    || (prev == Some('-')
                        && prev_char(prose, start - 1).is_some_and(char::is_alphabetic));
                // Group the number: « 1 817 », « 2,5 », "1,817", "2.5", "3.2.1".
                let mut j = i;
                let mut int_end = t.span.end;
                let mut frac: Option<Span> = None;
                let mut dotted = false;
                let sep_group = |gap: &str| matches!(gap, " " | "\u{a0}" | "\u{202f}");
                let first_len = t.span.len();
                while first_len <= 3 && j + 1 < toks.len() {
                    let n = &toks[j + 1];
                    let gap = &prose[int_end..n.span.start];
                    let next_digit = prose[n.span.end..].starts_with(|c: char| c.is_ascii_digit());
                    let gap_ok = lang == Lang::Fr && sep_group(gap);
                    if n.kind == TokKind::Digits && n.span.len() == 3 && !next_digit && gap_ok {
                        int_end = n.span.end;
                        j += 1;
                    } else if lang == Lang::En
                        && n.kind == TokKind::Punct(',')
                        && n.span.start == int_end
                        && toks.get(j + 2).is_some_and(|d| {
                            d.kind == TokKind::Digits
                                && d.span.len() == 3
                                && d.span.start == n.span.end
                        })
                    {
                        int_end = toks[j + 2].span.end;
                        j += 2;
                    } else {
                        break;
                    }
                }
                // Decimals.
                let dec = match lang {
                    Lang::Fr => ',',
                    Lang::En => '.',
                };
                if let (Some(p), Some(d)) = (toks.get(j + 1), toks.get(j + 2)) {
                    if p.span.start == int_end
                        && d.span.start == p.span.end
                        && d.kind == TokKind::Digits
                        && (p.kind == TokKind::Punct(dec) || p.kind == TokKind::Punct('.'))
                    {
                        dotted = p.kind == TokKind::Punct('.') && dec != '.';
                        frac = Some(d.span.clone());
                        int_end = d.span.end;
                        j += 2;
                        // `3.2.1`: further dotted parts.
                        while let (Some(p), Some(d)) = (toks.get(j + 1), toks.get(j + 2)) {
                            if p.kind == TokKind::Punct('.')
                                && p.span.start == int_end
                                && d.span.start == p.span.end
                                && d.kind == TokKind::Digits
                            {
                                dotted = true;
                                int_end = d.span.end;
                                j += 2;
                            } else {
                                break;
                            }
                        }
                    }
                }
                let span = start..int_end;
                let after = &prose[int_end..];
                // A figure glued to letters other than an ordinal suffix (`5G`, `3D`).
                let suffix: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
                let ordinal = matches!(
                    suffix.as_str(),
                    "er" | "re" | "e" | "ème" | "eme" | "st" | "nd" | "rd" | "th"
                );
                // "the 1990s": a decade is its year.
                let decade = suffix == "s" && int_end - start == 4;
                let bad_suffix = !suffix.is_empty() && !ordinal && !decade;
                // `/` continues a reference; an apostrophe right after a digit is OCR's « 1’ »
                // for « l’ ».
                let slash_after = after.starts_with(['/', '’', '\'']);
                // Times: "10.30 a.m.", « 10 h 30 ».
                let time = after.trim_start().starts_with("a.m.")
                    || after.trim_start().starts_with("p.m.")
                    || after.starts_with(" h ")
                    || after.starts_with("\u{a0}h ")
                    || after.starts_with('h')
                        && after[1..].starts_with(|c: char| c.is_ascii_digit());
                if !(glued
                    || bad_suffix
                    || slash_after
                    || time
                    || covered(&span)
                    || is_footnote_call(doc, &span)
                    || doc.is_furniture(start))
                {
                    let key = if dotted {
                        prose[span.clone()].to_string()
                    } else {
                        let int = &prose[start..frac.as_ref().map_or(int_end, |f| f.start - 1)];
                        canonical(int, frac.as_ref().map(|f| &prose[f.clone()]))
                    };
                    // An ordinal written « 1<sup>re</sup> »: the suffix sits in a tag.
                    let sup_ordinal = doc.text()[int_end..].starts_with("<sup>")
                        && matches!(
                            doc.text()[int_end + 5..].split('<').next(),
                            Some("er" | "re" | "e" | "st" | "nd" | "rd" | "th")
                        );
                    out.push(Num {
                        span,
                        key,
                        spelled: false,
                        ordinal: ordinal || sup_ordinal,
                        weak: false,
                    });
                }
                i = j + 1;
            }
            TokKind::Punct(_) => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> Facts {
        extract(&crate::document::parse(text.to_string()))
    }

    fn keys(text: &str) -> Vec<String> {
        facts(text)
            .numbers
            .into_iter()
            .filter(|n| !n.weak)
            .map(|n| n.key)
            .collect()
    }

    #[test]
    fn french_figures() {
        let fr = "Original : anglais\n\nLe Groupe a réuni 105 États Membres et 1 817 participants pour un coût de 2,5 % du budget, soit deux réunions et la vingt-septième session.\n";
        assert_eq!(keys(fr), ["105", "1817", "2.5", "2", "27"]);
    }

    #[test]
    fn english_figures() {
        let en = "Original: English\n\nThe Group brought together 105 Member States and 1,817 participants at a cost of 2.5 per cent of the budget, or two meetings and the twenty-seventh session.\n";
        assert_eq!(keys(en), ["105", "1817", "2.5", "2", "27"]);
    }

    #[test]
    fn excluded_figures() {
        // Footnote calls, glued figures, references, dates and times are not figures.
        let en = "Original: English\n\nThe G20 and COVID-19 met at 10.30 a.m. on 27 March 2019 under resolution 65/230 (E/CN.15/2019/2).<sup>3</sup> It said crime,4 and so on.\n";
        assert!(keys(en).is_empty(), "{:?}", keys(en));
    }

    #[test]
    fn dates_in_both_languages() {
        let fr = facts("Original : anglais\n\nTenue à Vienne du 27 au 29 mars 2019, puis le 1er avril et en mai 2020.\n");
        let d: Vec<String> = fr.dates.iter().map(DateFact::display).collect();
        assert_eq!(d, ["27 March 2019", "29 March 2019", "1 April", "May 2020"]);
        let en = facts("Original: English\n\nHeld in Vienna from 27 to 29 March 2019, then on 1 April and in May 2020; you may go.\n");
        let d: Vec<String> = en.dates.iter().map(DateFact::display).collect();
        assert_eq!(d, ["27 March 2019", "29 March 2019", "1 April", "May 2020"]);
        let en =
            facts("Original: English\n\nFrom 30 March to 2 April 2019 and on March 5, 2018.\n");
        let d: Vec<String> = en.dates.iter().map(DateFact::display).collect();
        assert_eq!(d, ["30 March 2019", "2 April 2019", "5 March 2018"]);
    }

    #[test]
    fn references_found() {
        let f = facts("Original: English\n\nResolutions 65/230 and 26/4, decision 2016/241 and document A/RES/74/174.\n");
        let r: Vec<String> = f.refs.into_iter().map(|r| r.key).collect();
        assert_eq!(r, ["65/230", "26/4", "2016/241", "A/RES/74/174"]);
    }
}
