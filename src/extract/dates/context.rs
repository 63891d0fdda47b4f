//! Document-level context of the dates: sentences and their tense, séance dates, the
//! meeting's range, the document's date and ordinal events.

use super::marker_dfa::{MarkerDfa, StateId};
use super::scan::{
    cut_after, cut_before, fold, fold_char, scan_windows, tokenize, tokenize_range_into, Tok,
    TokKind,
};
use super::{
    DateMention, Dates, DatesConfig, DocDateSource, DocumentDate, Event, MeetingRange,
    MeetingSource, MentionKind, SeanceDate, Tense,
};
use crate::document::{Document, Span};

/// The sentence around byte `at`: from after the previous `. ; ! ?` + space (or blank line)
/// to the next one, at most a few hundred bytes each way.
pub(crate) fn sentence_at(text: &str, at: &Span) -> Span {
    let b = text.as_bytes();
    // Only `. ; ! ?` and line breaks can end a sentence: the byte-by-byte walks of the
    // definition jump from one of them to the next (memchr), `!` and `?` being rare.
    let lo_limit = at.start.saturating_sub(700);
    let mut s = at.start;
    let mut bang = None; // the last `!`/`?` before `s`, once looked up
    while s > lo_limit {
        let hay = &b[lo_limit..s];
        let p = memchr::memrchr3(b'.', b';', b'\n', hay);
        if bang.is_none_or(|q: Option<usize>| q.is_some_and(|q| q >= s)) {
            bang = Some(memchr::memrchr2(b'!', b'?', hay).map(|q| lo_limit + q));
        }
        let Some(k) = p.map(|p| lo_limit + p).max(bang.flatten()) else {
            s = lo_limit;
            break;
        };
        s = k + 1; // the candidate is b[s - 1]
        let c = b[s - 1];
        if matches!(c, b'.' | b';' | b'!' | b'?')
            && b.get(s).is_some_and(|n| n.is_ascii_whitespace())
            && !(s >= 2 && b[s - 2].is_ascii_digit() && c == b'.' && is_num_label(b, s - 1))
        {
            break;
        }
        if c == b'\n' && s >= 2 && b[s - 2] == b'\n' && looks_like_break(b, s) {
            break;
        }
        s -= 1;
    }
    let hi_limit = (at.end + 700).min(b.len());
    let mut e = at.end;
    let mut bang = None; // the first `!`/`?` at or after `e`, once looked up
    while e < hi_limit {
        let hay = &b[e..hi_limit];
        let p = memchr::memchr3(b'.', b';', b'\n', hay).map(|p| e + p);
        if bang.is_none_or(|q: Option<usize>| q.is_some_and(|q| q < e)) {
            bang = Some(memchr::memchr2(b'!', b'?', hay).map(|q| e + q));
        }
        let k = match (p, bang.flatten()) {
            (Some(p), Some(q)) => p.min(q),
            (Some(k), None) | (None, Some(k)) => k,
            (None, None) => {
                e = hi_limit;
                break;
            }
        };
        e = k;
        let c = b[e];
        if matches!(c, b'.' | b';' | b'!' | b'?')
            && b.get(e + 1).is_none_or(|n| n.is_ascii_whitespace())
        {
            e += 1;
            break;
        }
        if c == b'\n' && b.get(e + 1) == Some(&b'\n') && looks_like_break(b, e + 2) {
            break;
        }
        e += 1;
    }
    while !text.is_char_boundary(s) {
        s += 1;
    }
    while !text.is_char_boundary(e) {
        e -= 1;
    }
    s..e
}

/// `12.` at the start of a line: a paragraph number, which starts a sentence.
fn is_num_label(b: &[u8], dot: usize) -> bool {
    let mut k = dot;
    while k > 0 && b[k - 1].is_ascii_digit() {
        k -= 1;
    }
    k == 0 || b[k - 1] == b'\n'
}

/// A blank line is a sentence break unless the text continues in lower case (a page break
/// in the middle of a sentence).
fn looks_like_break(b: &[u8], from: usize) -> bool {
    let mut k = from;
    while k < b.len() && b[k].is_ascii_whitespace() {
        k += 1;
    }
    !b.get(k).is_some_and(|c| c.is_ascii_lowercase())
}

/// Ordinal words: « deuxième », "second", OCR'd « deuxiéme », « premicre ».
fn unit_ordinal(w: &str) -> Option<u32> {
    Some(match w {
        "premier" | "premiere" | "premicre" | "premiere'" | "first" => 1,
        "unieme" => 1,
        "deuxieme" | "second" | "seconde" => 2,
        "troisieme" | "third" => 3,
        "quatrieme" | "fourth" => 4,
        "cinquieme" | "fifth" => 5,
        "sixieme" | "sixth" => 6,
        "septieme" | "seventh" => 7,
        "huitieme" | "eighth" => 8,
        "neuvieme" | "ninth" => 9,
        "dixieme" | "tenth" => 10,
        "onzieme" | "eleventh" => 11,
        "douzieme" | "twelfth" => 12,
        "treizieme" | "thirteenth" => 13,
        "quatorzieme" | "fourteenth" => 14,
        "quinzieme" | "fifteenth" => 15,
        "seizieme" | "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "vingtieme" | "twentieth" => 20,
        "trentieme" | "thirtieth" => 30,
        "quarantieme" | "fortieth" => 40,
        "cinquantieme" | "fiftieth" => 50,
        "soixantieme" | "sixtieth" => 60,
        "seventieth" => 70,
        "eightieth" => 80,
        "ninetieth" => 90,
        _ => return None,
    })
}

fn tens(w: &str) -> Option<u32> {
    Some(match w {
        "dix" => 10,
        "vingt" | "twenty" => 20,
        "trente" | "thirty" => 30,
        "quarante" | "forty" => 40,
        "cinquante" | "fifty" => 50,
        "soixante" | "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// The ordinal word `toks[j]` (worth `unit`) with the tens written before it: (first token,
/// value). « vingt-sixième », « vingt-et-unième » and « vingt et unième » (21, never 1),
/// « soixante-quinzième » (75), « soixante-dix-septième » (77), « soixante et onzième » (71),
/// « quatre-vingtième » (80), « quatre-vingt-deuxième » (82), "twenty-first". `None` for
/// « unième » with no tens before it: a number read wrong is worse than none.
fn compound_ordinal(toks: &[Tok], j: usize, unit: u32) -> Option<(usize, u32)> {
    let word_at = |k: usize, w: &str| toks.get(k).is_some_and(|t| t.is_word(w));
    let hyphen_at = |k: usize| toks.get(k).is_some_and(|t| t.is_punct("-"));
    // « quatre-vingt(s) » before `k` (the token after its « vingt »): its first token.
    let quatre_vingt = |vingt: usize| -> Option<usize> {
        (vingt >= 2 && hyphen_at(vingt - 1) && word_at(vingt - 2, "quatre")).then(|| vingt - 2)
    };
    let mut first = j;
    let mut v = unit;
    if unit == 20 && toks[j].norm.as_str() == "vingtieme" {
        if let Some(q) = quatre_vingt(j) {
            return Some((q, 80));
        }
    }
    // At most two tens words: « soixante-dix-septième » is 60 + 10 + 7.
    for level in 0..2 {
        // The connector before `first`: « - », « -et- », « et ».
        let mut k = first;
        if k >= 1 && hyphen_at(k - 1) {
            k -= 1;
        }
        let with_et = k >= 1 && word_at(k - 1, "et");
        if with_et {
            k -= 1;
            if k >= 1 && hyphen_at(k - 1) {
                k -= 1;
            }
        }
        if k == first || k == 0 {
            break;
        }
        let Some(mut tens_value) = tens(toks[k - 1].norm.as_str()) else {
            break;
        };
        let mut tens_first = k - 1;
        if tens_value == 20 {
            if let Some(q) = quatre_vingt(k - 1) {
                tens_value = 80;
                tens_first = q;
            }
        }
        // « et » joins a ten and « un » or « onze » only (« vingt et unième »); « dix » and
        // the teens follow « soixante » or « quatre-vingt » only (« soixante-dix-septième »).
        let fits = if level == 0 {
            v < 10 || (v < 20 && matches!(tens_value, 60 | 80))
        } else {
            matches!(tens_value, 60 | 80)
        } && (!with_et || matches!(v, 1 | 11));
        if !fits {
            break;
        }
        v += tens_value;
        first = tens_first;
        if tens_value != 10 {
            break;
        }
    }
    if unit == 1 && v == 1 && toks[j].norm.as_str() == "unieme" {
        return None;
    }
    Some((first, v))
}

/// An ordinal ending just before token `end`: (first token, value, numeric?).
/// `4e`, `1re`, `1     re` (blanked `<sup>`), `8°`, `1™`, "5th", « deuxième », « vingt-sixième ».
fn ordinal_before(toks: &[Tok], end: usize) -> Option<(usize, u32, bool)> {
    let j = end.checked_sub(1)?;
    let t = &toks[j];
    if t.kind == TokKind::Word {
        if matches!(
            t.norm.as_bytes(),
            b"e" | b"eme" | b"re" | b"er" | b"ere" | b"st" | b"nd" | b"rd" | b"th" | b"em"
        ) {
            let n = toks.get(j.checked_sub(1)?)?;
            if n.kind == TokKind::Num && n.span.len() <= 3 && n.num > 0 {
                return Some((j - 1, n.num, true));
            }
            return None;
        }
        let unit = unit_ordinal(t.norm.as_str())?;
        let (first, v) = compound_ordinal(toks, j, unit)?;
        return Some((first, v, false));
    }
    if t.kind == TokKind::Punct && t.norm.is_in(&["°", "º", "™"]) {
        let n = toks.get(j.checked_sub(1)?)?;
        if n.kind == TokKind::Num && n.span.len() <= 3 && n.num > 0 {
            return Some((j - 1, n.num, true));
        }
    }
    None
}

fn is_seance_noun(t: &Tok) -> bool {
    t.kind == TokKind::Word && matches!(t.norm.as_bytes(), b"seance" | b"seances")
}

fn is_en_meeting(t: &Tok) -> bool {
    t.kind == TokKind::Word && matches!(t.norm.as_bytes(), b"meeting" | b"meetings")
}

/// Event nouns, normalised for the key.
fn event_noun(t: &Tok) -> Option<&'static str> {
    if t.kind != TokKind::Word {
        return None;
    }
    Some(match t.norm.as_bytes() {
        b"reunion" | b"meeting" => "reunion",
        b"session" => "session",
        b"conference" => "conference",
        b"congres" | b"congress" => "congres",
        _ => return None,
    })
}

const DEFAULT_PAST: &[&str] = &["a tenu", "s'est tenue", "s'est tenu"];
const DEFAULT_FUTURE: &[&str] = &["se tiendra", "will be held"];

/// The tense markers' matcher over folded phrases, the phrases' group (0 past, 1 future), and
/// per byte whether no folded phrase contains it.
#[derive(Debug, Clone)]
pub(crate) struct Markers {
    dfa: MarkerDfa,
    kinds: Vec<u8>,
    /// Per phrase: whether its fold ends in a space (the word-boundary test lets it end
    /// anywhere).
    ends_in_space: Vec<bool>,
    outside: [bool; 256],
}

/// The markers of `cfg`, built once per configuration (documents of a run share it): a DFA,
/// which searches several times faster than a contiguous NFA.
fn markers(cfg: &DatesConfig) -> &Markers {
    cfg.markers.get_or_init(|| {
        let (dfa, pats, kinds, outside) = build_markers(cfg);
        let ends_in_space = pats.iter().map(|p| p.ends_with(' ')).collect();
        Markers {
            dfa,
            kinds,
            ends_in_space,
            outside,
        }
    })
}

/// Builds a matcher over folded phrases; returns it with the phrases and their group (0 past,
/// 1 future). Also returns, per byte, whether no folded phrase contains it.
fn build_markers(cfg: &DatesConfig) -> (MarkerDfa, Vec<String>, Vec<u8>, [bool; 256]) {
    let mut pats = Vec::new();
    let mut kinds = Vec::new();
    let past: Vec<String> = if cfg.past_markers.is_empty() {
        DEFAULT_PAST.iter().map(|s| s.to_string()).collect()
    } else {
        cfg.past_markers.clone()
    };
    let future: Vec<String> = if cfg.future_markers.is_empty() {
        DEFAULT_FUTURE.iter().map(|s| s.to_string()).collect()
    } else {
        cfg.future_markers.clone()
    };
    // A blank marker (« "" » in a user's configuration) would match everywhere, as an empty
    // match at offset 0: skip it.
    for (kind, list) in [(0, past), (1, future)] {
        for p in list {
            let folded = fold(&p);
            if !folded.trim().is_empty() {
                pats.push(folded);
                kinds.push(kind);
            }
        }
    }
    let dfa = MarkerDfa::new(&pats);
    let mut outside = [true; 256];
    for p in &pats {
        for &c in p.as_bytes() {
            outside[c as usize] = false;
        }
    }
    (dfa, pats, kinds, outside)
}

/// Tokens read around a séance noun or an event noun: ordinals before it (at most 5
/// tokens), « reprise de sa » (3 more).
const MARGIN: usize = 8;

/// The séance whose date starts at token `k`: « À ses 4e et 5e séances, les 28 et 29 mars ».
/// Returns (first ordinal token, noun token, ordinals) and the lowest token index read
/// (below 0: before `toks`).
///
/// The noun is the first token before `k` that is not one of at most 3 skipped tokens
/// (« , », « ( », « le », « les », "on"); this is the whole-text loop that walks forward from
/// each noun, run backwards: a date's first token is never a skipped one.
fn seance_at(toks: &[Tok], k: usize) -> (Option<(usize, usize, Vec<u32>)>, isize) {
    let skippable = |t: &Tok| {
        t.is_punct(",") || t.is_punct("(") || t.is_word("le") || t.is_word("les") || t.is_word("on")
    };
    let mut i = k;
    let mut skipped = 0;
    loop {
        let Some(p) = i.checked_sub(1) else {
            return (None, -1);
        };
        i = p;
        if skipped < 3 && skippable(&toks[p]) {
            skipped += 1;
            continue;
        }
        break;
    }
    let t = &toks[i];
    if !(is_seance_noun(t) || is_en_meeting(t)) {
        return (None, i as isize);
    }
    seance_ordinals(toks, i)
}

/// The séance named after the date whose tokens end at `end`: « Le 28 juillet 2020, à sa 3e
/// séance », "On 28 July 2020, at its 3rd meeting". Returns (first ordinal token, noun token,
/// ordinals). Reads at most 7 tokens after the date, whose last token names a month or is a
/// year: the scan's windows keep 8 tokens after such a token ([`super::scan`]'s margin), so
/// a window reads here what the whole text would.
fn seance_after(toks: &[Tok], end: usize) -> Option<(usize, usize, Vec<u32>)> {
    let limit = toks.len().min(end + 7);
    let mut i = end;
    if toks.get(i)?.is_punct(",") {
        i += 1;
    }
    let (at, its) = (toks.get(i)?, toks.get(i + 1)?);
    let fr = at.is_word("a") && (its.is_word("sa") || its.is_word("ses"));
    if !(fr || (at.is_word("at") && its.is_word("its"))) {
        return None;
    }
    let noun = (i + 2..limit).find(|&k| {
        if fr {
            is_seance_noun(&toks[k])
        } else {
            is_en_meeting(&toks[k])
        }
    })?;
    let (found, _) = seance_ordinals(toks, noun);
    found.filter(|&(first, _, _)| first >= i + 2)
}

/// The ordinals before the séance noun `toks[i]` (« 4e et 5e séances »): (first ordinal token,
/// noun token, ordinals), and the lowest token index read.
fn seance_ordinals(toks: &[Tok], i: usize) -> (Option<(usize, usize, Vec<u32>)>, isize) {
    let en = is_en_meeting(&toks[i]);
    let mut ords = Vec::new();
    let mut first = i;
    let mut end = i;
    let mut reach = i as isize;
    loop {
        // ordinal_before reads at most 5 tokens before `end`, then the one before the ordinal.
        reach = reach.min(end as isize - 6);
        let Some((f, v, numeric)) = ordinal_before(toks, end) else {
            break;
        };
        if en && !numeric {
            break;
        }
        ords.insert(0, v);
        first = f;
        match f.checked_sub(1).map(|k| &toks[k]) {
            Some(s) if s.is_punct(",") || s.is_word("et") || s.is_word("and") => end = f - 1,
            _ => break,
        }
    }
    if ords.is_empty() {
        return (None, reach);
    }
    (Some((first, i, ords)), reach)
}

/// An event noun with its ordinal: (start, end, noun, ordinal, first token, noun token).
type NounSpan = (usize, usize, &'static str, u32, usize, usize);

/// Whether the event noun `toks[i]`, its ordinal starting at `toks[first]`, names a variant that
/// is another event: « reprise de sa … session », « session extraordinaire ».
fn is_other_event(toks: &[Tok], first: usize, i: usize) -> bool {
    let lo = first.saturating_sub(3);
    toks[lo..first]
        .iter()
        .any(|t| matches!(t.norm.as_bytes(), b"reprise" | b"resumed" | b"reconvened"))
        || toks.get(i + 1).is_some_and(|t| {
            matches!(
                t.norm.as_bytes(),
                b"extraordinaire" | b"speciale" | b"special"
            )
        })
}

/// The event nouns of `toks` preceded by an ordinal (« deuxième réunion »), in order.
fn noun_spans(toks: &[Tok]) -> Vec<NounSpan> {
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let Some(noun) = event_noun(t) else { continue };
        let Some((first, ord, numeric)) = ordinal_before(toks, i) else {
            continue;
        };
        if noun == "reunion" && t.norm == "meeting" && numeric {
            continue; // "1st meeting" is a séance
        }
        out.push((toks[first].span.start, t.span.end, noun, ord, first, i));
    }
    out
}

/// The tokens of a stretch `lo..hi` of the text between two cuts, kept to serve the next
/// stretch: the events loop and [`body_hits`] tokenise overlapping stretches around nearby
/// dates, mostly moving forward through the text. Tokens between two cuts are the whole
/// text's tokens there (see `tokenize_range`), so the tokens of `lo..hi` cut out of a kept
/// stretch that holds it, or of stretches joined at a cut, are `tokenize_range(text, lo, hi)`.
#[derive(Default)]
struct TokenCache {
    lo: usize,
    hi: usize,
    toks: Vec<Tok>,
    /// Scratch for a stretch that grows back.
    front: Vec<Tok>,
}

impl TokenCache {
    /// `tokenize_range(text, lo, hi)`, for cuts `lo <= hi`, from the kept tokens where they
    /// cover part of it.
    fn range(&mut self, text: &str, lo: usize, hi: usize) -> &[Tok] {
        if self.toks.is_empty() || lo > self.hi || hi < self.lo {
            // Nothing shared (or nothing kept): the kept stretch is replaced.
            self.toks.clear();
            tokenize_range_into(text, lo, hi, &mut self.toks);
            self.lo = lo;
            self.hi = hi;
        } else {
            if hi > self.hi {
                // Moving forward: the tokens before `lo` are dropped (so that what is kept
                // stays about one stretch long), the ones after the kept stretch added.
                if lo > self.lo {
                    let k = self.toks.partition_point(|t| t.span.start < lo);
                    self.toks.drain(..k);
                    self.lo = lo;
                }
                tokenize_range_into(text, self.hi, hi, &mut self.toks);
                self.hi = hi;
            }
            if lo < self.lo {
                // The new front's tokens, then the kept ones, in a vector kept for the next
                // front (a fresh one each time cost an allocation and its growth).
                self.front.clear();
                tokenize_range_into(text, lo, self.lo, &mut self.front);
                self.front.append(&mut self.toks);
                std::mem::swap(&mut self.front, &mut self.toks);
                self.lo = lo;
            }
        }
        let from = self.toks.partition_point(|t| t.span.start < lo);
        let to = from + self.toks[from..].partition_point(|t| t.span.start < hi);
        &self.toks[from..to]
    }

    /// The tokens from cut `lo` on with at least `words` of them starting at or after `q`
    /// (`lo <= q`), or up to the text's end.
    fn range_past(&mut self, text: &str, lo: usize, q: usize, words: usize) -> &[Tok] {
        let b = text.as_bytes();
        // Room for `words` tokens after `q` at the first try, most of the time.
        let mut hi = cut_after(b, q + 8 * words);
        let mut grow = 64;
        loop {
            let toks = self.range(text, lo, hi);
            let after = toks.len() - toks.partition_point(|t| t.span.start < q);
            if hi == b.len() || after >= words {
                break;
            }
            hi = cut_after(b, hi + grow);
            grow *= 2;
        }
        self.range(text, lo, hi)
    }
}

/// (start, end, body index) of a body named in a sentence.
type BodyHit = (usize, usize, usize);

/// The configured bodies: each folded whole and as its folded words; the most words of one;
/// and the bodies by their first word (a token is compared only with the bodies it can start).
/// Made once per configuration ([`DatesConfig::folded_bodies`]).
#[derive(Debug, Clone)]
pub(crate) struct Bodies {
    list: Vec<(String, Vec<String>)>,
    max_words: usize,
    by_first: rustc_hash::FxHashMap<Vec<u8>, Vec<usize>>,
}

impl Bodies {
    fn new(cfg: &DatesConfig) -> Bodies {
        let list: Vec<(String, Vec<String>)> = cfg
            .bodies
            .iter()
            .map(|b| {
                let toks = tokenize(b);
                (
                    fold(b),
                    toks.iter()
                        // Folded text is whole characters of `b`: the lossy path never replaces.
                        .map(|t| String::from_utf8_lossy(&t.folded(b)).into_owned())
                        .collect(),
                )
            })
            .collect();
        let max_words = list.iter().map(|b| b.1.len()).max().unwrap_or(0);
        let mut by_first: rustc_hash::FxHashMap<Vec<u8>, Vec<usize>> = Default::default();
        for (b, (_, words)) in list.iter().enumerate() {
            if let Some(w) = words.first() {
                by_first.entry(w.as_bytes().to_vec()).or_default().push(b);
            }
        }
        Bodies {
            list,
            max_words,
            by_first,
        }
    }

    /// The body that starts at token `i` of `toks` (the longest that does), when `toks` hold
    /// [`Bodies::max_words`] tokens from `i` on or end where the text ends.
    fn at(&self, text: &str, toks: &[Tok], i: usize) -> Option<BodyHit> {
        let cands = self.by_first.get(&*toks[i].folded(text))?;
        let best = cands
            .iter()
            .map(|&b| (b, &self.list[b]))
            .filter(|(_, (_, words))| {
                !words.is_empty()
                    && i + words.len() <= toks.len()
                    && words
                        .iter()
                        .enumerate()
                        .all(|(k, w)| *toks[i + k].folded(text) == *w.as_bytes())
            })
            .max_by_key(|(_, (_, w))| w.len());
        best.map(|(b, (_, words))| (toks[i].span.start, toks[i + words.len() - 1].span.end, b))
    }
}

/// The body of the event whose noun (with its ordinal) spans `s..e` in sentence `sent`: the
/// first body that starts less than 13 bytes after the noun (« réunion du Groupe d'experts »),
/// else the nearest earlier one, else the first later one; of the bodies that start in the
/// sentence and end in it (an earlier one: before the noun). Returns where the body's name
/// starts, and the body.
///
/// Read outward from the noun, as far as the answer needs: most events name their body right
/// after the noun, and the sentence's other tokens then need neither be made nor looked up
/// (every body of the sentence was found before, ~60 lookups and the whole sentence
/// tokenised for each event). A body found at a token is the same in any stretch of tokens
/// that holds `max_words` tokens after it ([`TokenCache::range_past`]).
#[inline(never)] // kept apart in profiles
fn event_body(
    cache: &mut TokenCache,
    text: &str,
    sent: &Span,
    s: usize,
    e: usize,
    bodies: &Bodies,
) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    // The first body starting in `p..q` that ends in the sentence.
    let first_in = |cache: &mut TokenCache, p: usize, q: usize| -> Option<(usize, usize)> {
        let toks = cache.range_past(text, cut_before(b, p, 0), q, bodies.max_words);
        let from = toks.partition_point(|t| t.span.start < p);
        (from..toks.len())
            .take_while(|&i| toks[i].span.start < q)
            .filter_map(|i| bodies.at(text, toks, i))
            .find(|h| h.1 <= sent.end)
            .map(|h| (h.0, h.2))
    };
    let near = (e + 13).min(sent.end);
    if let Some(body) = first_in(cache, e, near) {
        return Some(body);
    }
    // The last body starting in the sentence before `s` that ends before it.
    let toks = cache.range_past(text, cut_before(b, sent.start, 0), s, bodies.max_words);
    let from = toks.partition_point(|t| t.span.start < sent.start);
    let to = toks.partition_point(|t| t.span.start < s);
    let before = (from..to)
        .rev()
        .filter_map(|i| bodies.at(text, toks, i))
        .find(|h| h.1 <= s);
    if let Some(h) = before {
        return Some((h.0, h.2));
    }
    first_in(cache, near, sent.end)
}

/// Tokens read first before a date for its event noun: most nouns are a few words before
/// their dates (« sa deuxième réunion, du 25 au 28 février »), with [`MARGIN`] tokens before
/// them.
const NOUN_NEAR: usize = 128;

/// The event noun of the day-precise range or list that starts at `at`: the last event noun
/// with its ordinal whose span starts before `at`, when it ends at or after `from` (no other
/// can date an event with this range: the next noun after it starts at or after `at`).
/// Returns (start, end, noun, ordinal, whether it is another event: « reprise de sa »).
///
/// The tokens are read back from `at` until that noun is found with [`MARGIN`] tokens before
/// it (its ordinal read whole), or until every token that could be a noun read without them
/// ends before `from`: most nouns are a few words before their dates, where the whole of
/// `from - 64..at + 64` was tokenised for each range before.
fn last_event_noun(
    cache: &mut TokenCache,
    text: &str,
    at: usize,
    from: usize,
) -> Option<(usize, usize, &'static str, u32, bool)> {
    let b = text.as_bytes();
    let mut lo = cut_before(b, at.saturating_sub(NOUN_NEAR), 0);
    let mut hi = cut_after(b, at + 64);
    let mut grow = 64;
    loop {
        let toks = cache.range(text, lo, hi);
        // Every noun span starting before `at` is seen whole: MARGIN tokens from `at` on.
        let k = toks.partition_point(|t| t.span.start < at);
        if hi < b.len() && k + MARGIN > toks.len() {
            hi = cut_after(b, hi + grow);
            grow *= 2;
            continue;
        }
        let nouns = noun_spans(toks);
        let last = nouns.iter().rev().find(|n| n.0 < at);
        if let Some(&(s, e, noun, ord, first, i)) = last {
            if lo == 0 || i >= MARGIN {
                return (e >= from).then(|| (s, e, noun, ord, is_other_event(toks, first, i)));
            }
        }
        // No noun read with its ordinal: any noun of the first MARGIN tokens ends by the end of
        // the last of them.
        if lo == 0 || toks.get(MARGIN - 1).is_some_and(|t| t.span.end < from) {
            return None;
        }
        // A noun near the front: a few more tokens for its ordinal. None: the text back to
        // `from - 64` at once (what a date with no noun near it needs; doubling steps went
        // past it, to 576 bytes).
        let back_to = lo.saturating_sub(grow);
        lo = cut_before(
            b,
            if last.is_some() {
                back_to
            } else {
                back_to.min(from.saturating_sub(64))
            },
            0,
        );
        grow *= 2;
    }
}

/// The stretches of `b` around `sentences` where a marker can be: each sentence widened to
/// bytes that no folded phrase holds (`outside`), overlapping ones merged, in text order. The
/// byte before a stretch and the byte at its end are such bytes (or the text's ends).
fn marker_windows(b: &[u8], sentences: &[Span], outside: &[bool; 256]) -> Vec<(usize, usize)> {
    let free = |c: u8| c.is_ascii() && outside[c.to_ascii_lowercase() as usize];
    let mut spans: Vec<&Span> = sentences.iter().collect();
    spans.sort_by_key(|s| s.start);
    let mut wins: Vec<(usize, usize)> = Vec::new();
    for s in spans {
        let floor = wins.last().map_or(0, |w| w.1);
        let mut lo = s.start.max(floor);
        while lo > floor && !free(b[lo - 1]) {
            lo -= 1;
        }
        let mut hi = s.end.max(lo);
        while hi < b.len() && !free(b[hi]) {
            hi += 1;
        }
        match wins.last_mut() {
            Some(w) if lo <= w.1 => w.1 = w.1.max(hi),
            _ => wins.push((lo, hi)),
        }
    }
    wins
}

/// The marker hits (start, end, group) that lie in the sentences, exactly as a leftmost-longest
/// search over the whole folded text finds them, but folding and searching only around the
/// sentences.
///
/// A search may start or stop at a character that no pattern contains (`outside`): no
/// match of the whole-text search spans it, so the whole-text search reaches it between two
/// matches, and the matches on each side do not depend on the other side.
///
/// The DFA is stepped here over the text's bytes, each character folded as it is read
/// (`fold_char`; an ASCII byte is lower-cased in place): the loop of the crate's leftmost
/// search (`find_iter`: a search from where the last match ended, a match kept until the
/// DFA dies or the window ends), without folding each window into a buffer first and mapping
/// the hits back (that cost as much as the search: ~35 instructions a byte in all). A
/// position in the folded text is a cursor (byte `i` of the text, byte `j` of its
/// character's fold); a folded offset maps back to the character it comes from.
#[inline(never)] // kept apart in profiles
fn marker_hits(text: &str, sentences: &[Span], markers: &Markers) -> Vec<(usize, usize, u8)> {
    let b = text.as_bytes();
    let outside = &markers.outside;
    let dfa = &markers.dfa;
    let wins = marker_windows(b, sentences, outside);
    let start = dfa.start();
    let mut hits = Vec::new();
    let mut buf = String::new(); // the fold of one non-ASCII character
    for (lo, hi) in wins {
        // The text up to the window's end (the search loop's bound, without a bounds check).
        let win = &b[..hi];
        // The next search starts at cursor (i, j).
        let (mut i, mut j) = (lo, 0);
        loop {
            let mut sid = start;
            // The last match seen: its pattern and its end cursor.
            let mut mat: Option<(usize, usize, usize)> = None;
            let mut k = i;
            'search: while k < hi {
                if win[k].is_ascii() {
                    (k, sid) = step_ascii(dfa, win, k, sid);
                    if dfa.is_special(sid) {
                        if dfa.is_dead(sid) {
                            break;
                        }
                        mat = Some((dfa.pattern(sid), k, 0));
                    }
                    continue;
                }
                let ch = text[k..].chars().next().expect("a character");
                buf.clear();
                fold_char(ch, &mut buf);
                let f = buf.as_bytes();
                // Only the first character of a search can start inside its fold.
                let from = if k == i { j } else { 0 };
                for (q, &fc) in f.iter().enumerate().skip(from) {
                    sid = dfa.next(sid, fc);
                    if dfa.is_special(sid) {
                        if dfa.is_dead(sid) {
                            break 'search;
                        }
                        let end = if q + 1 == f.len() {
                            (k + ch.len_utf8(), 0)
                        } else {
                            (k, q + 1)
                        };
                        mat = Some((dfa.pattern(sid), end.0, end.1));
                    }
                }
                k += ch.len_utf8();
            }
            let Some((pid, ei, ej)) = mat else {
                break;
            };
            let (si, before) = match_start(text, ei, ej, dfa.pattern_len(pid), &mut buf);
            let before_ok = before.is_none_or(|c| !c.is_ascii_alphanumeric());
            let after_ok = ei >= b.len()
                || !folded_byte_at(text, ei, ej, &mut buf).is_ascii_alphanumeric()
                || markers.ends_in_space[pid];
            if before_ok && after_ok {
                hits.push((si, ei, markers.kinds[pid]));
            }
            (i, j) = (ei, ej);
        }
    }
    hits
}

/// Steps `dfa` from state `sid` over the bytes of `win` from `k`, lower-cased, up to the first
/// non-ASCII byte, the end of `win` or a special (match or dead) state: where it stopped
/// (after the byte that led to the special state) and the state. Apart from `marker_hits`'s
/// loop so that the DFA's tables and the bounds stay in registers (in the loop the compiler
/// reloaded them from the stack at every byte: 20 instructions a byte, 9 here).
#[inline(never)]
fn step_ascii(dfa: &MarkerDfa, win: &[u8], mut k: usize, mut sid: StateId) -> (usize, StateId) {
    while let Some(&c) = win.get(k) {
        if !c.is_ascii() {
            break;
        }
        sid = dfa.next_lower(sid, c);
        k += 1;
        if dfa.is_special(sid) {
            break;
        }
    }
    (k, sid)
}

/// Byte `j` of the fold of the character at byte `i` of `text`.
fn folded_byte_at(text: &str, i: usize, j: usize, buf: &mut String) -> u8 {
    let c = text.as_bytes()[i];
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    buf.clear();
    fold_char(text[i..].chars().next().expect("a character"), buf);
    buf.as_bytes()[j]
}

/// The start of a match of `len` folded bytes that ends at cursor (`ei`, `ej`) (see
/// [`marker_hits`]): the byte offset of the character its first folded byte comes from, and
/// the folded byte before that one (`None` at the start of the text). Walks back over the
/// characters, folding the non-ASCII ones again (matches are rare).
fn match_start(
    text: &str,
    ei: usize,
    ej: usize,
    len: usize,
    buf: &mut String,
) -> (usize, Option<u8>) {
    let b = text.as_bytes();
    // The folded bytes before the start still to walk over, and the character being read.
    let mut rem = len;
    let mut k = ei;
    let fold_at = |k: usize, buf: &mut String| {
        buf.clear();
        fold_char(text[k..].chars().next().expect("a character"), buf);
    };
    // The start inside the character at `ei`, before the end's byte `ej` of its fold.
    if ej > 0 {
        if rem <= ej {
            fold_at(ei, buf);
            let at = ej - rem;
            if at > 0 {
                return (ei, Some(buf.as_bytes()[at - 1]));
            }
            return (ei, last_folded_before(text, ei, buf));
        }
        rem -= ej;
    }
    loop {
        let (flen, clen) = if b[k - 1].is_ascii() {
            (1, 1)
        } else {
            let c = text[..k].chars().next_back().expect("a character");
            buf.clear();
            fold_char(c, buf);
            (buf.len(), c.len_utf8())
        };
        k -= clen;
        if rem <= flen {
            let at = flen - rem;
            if at > 0 {
                let prev = if clen == 1 {
                    b[k].to_ascii_lowercase()
                } else {
                    buf.as_bytes()[at - 1]
                };
                return (k, Some(prev));
            }
            return (k, last_folded_before(text, k, buf));
        }
        rem -= flen;
    }
}

/// The last byte of the fold of the character that ends at byte `k` (`None` at 0).
fn last_folded_before(text: &str, k: usize, buf: &mut String) -> Option<u8> {
    let c = text[..k].chars().next_back()?;
    buf.clear();
    fold_char(c, buf);
    buf.as_bytes().last().copied()
}

/// The tense of mention `i` of `dates` (the dates of `text`): future when a future marker is in
/// its sentence, else past when the date is a séance's or a marker ends at most 100 bytes
/// before it or starts at most 60 bytes after it, else unknown.
///
/// Asked for one mention at a time, by the one rule that reads it and only for the dates it
/// would report (a few per document), rather than for every date at extraction: the marker
/// search over every dated sentence was a sixth of the extraction. The sentence's hits are
/// the whole-text search's hits inside it, whatever other sentences are searched with it (see
/// [`marker_hits`]), so this is the tense an extraction-time search over all of them gave.
pub(crate) fn tense_of(text: &str, cfg: &DatesConfig, dates: &Dates, i: usize) -> Tense {
    let m = &dates.mentions[i];
    let s = sentence_at(text, &m.span);
    let hits = marker_hits(text, std::slice::from_ref(&s), markers(cfg));
    let inside = hits.iter().filter(|h| s.contains(&h.0) && h.1 <= s.end);
    if inside.clone().any(|h| h.2 == 1) {
        return Tense::Future;
    }
    // The séances are in text order, as their mentions: a binary search, not a walk over all
    // of them for each date asked about.
    if dates
        .seances
        .binary_search_by_key(&i, |x| x.mention)
        .is_ok()
    {
        return Tense::Past;
    }
    let near = inside.into_iter().any(|h| {
        (h.1 <= m.span.start && m.span.start - h.1 <= 100)
            || (h.0 >= m.span.end && h.0 - m.span.end <= 60)
    });
    if near {
        Tense::Past
    } else {
        Tense::Unknown
    }
}

/// The dated events of `text`: « deuxième réunion du Groupe d'experts … du 25 au 28 février
/// 2013 ». An event's date is the first mention after its noun, at most 300 bytes on, and a
/// day-precise range or list, before any other event noun: so each such mention is dated by
/// the last event noun before it, if any ([`last_event_noun`]).
fn events(text: &str, mentions: &[DateMention], cfg: &DatesConfig) -> Vec<Event> {
    let mut events = Vec::new();
    let mut cache = TokenCache::default();
    for (m, mm) in mentions.iter().enumerate() {
        if !matches!(mm.kind, MentionKind::Range | MentionKind::List) || !mm.is_day_precise() {
            continue;
        }
        let from = mm.span.start.saturating_sub(300);
        let Some((s, e, noun, ord, other)) = last_event_noun(&mut cache, text, mm.span.start, from)
        else {
            continue;
        };
        // This mention must be the first one after the noun, in the noun's sentence.
        if mentions.partition_point(|x| x.span.start < e) != m {
            continue;
        }
        let sent = sentence_at(text, &(s..e));
        if mm.span.start >= sent.end || mm.span.start - e > 300 {
            continue;
        }
        let bodies = cfg.folded_bodies.get_or_init(|| Bodies::new(cfg));
        let Some((body_at, b)) = event_body(&mut cache, text, &sent, s, e, bodies) else {
            continue;
        };
        events.push(event(s..e, (noun, ord, other), (bodies, b, body_at), m));
    }
    events
}

/// The event of the noun at `span` (`noun`, ordinal `ord`, `other` for a resumed or special
/// session) of body `b`, dated by mention `m`.
fn event(
    span: Span,
    (noun, ord, other): (&'static str, u32, bool),
    (bodies, b, body_at): (&Bodies, usize, usize),
    m: usize,
) -> Event {
    use std::fmt::Write;
    let variant = if other { "+" } else { "" };
    let body = &bodies.list[b].0;
    // `{body}/{noun}{variant}/{ord}`, in a string sized once (`format!` guessed too short and
    // grew it).
    let mut key = String::with_capacity(body.len() + noun.len() + variant.len() + 12);
    for part in [body.as_str(), "/", noun, variant, "/"] {
        key.push_str(part);
    }
    let _ = write!(key, "{ord}");
    Event {
        key,
        span,
        mention: m,
        body: b,
        body_at,
        noun,
        ordinal: ord,
        other,
    }
}

/// Runs the extraction on a document.
pub(crate) fn extract(doc: &Document, cfg: &DatesConfig) -> Dates {
    let text = doc.prose.as_str();
    // The dates, window by window, each with the séance it dates (« séance, le 27 mars »: the
    // séance needs a day), read from the window's tokens before they go.
    let windows = scan_windows(
        text,
        &|toks, s| seance_at(toks, s.toks.start).1,
        |w, out| {
            let toks = &w.toks;
            out.extend(w.scanned.drain(..).map(|s| {
                let seance = s.mention.start.day.and_then(|_| {
                    let (first, noun, ords) = seance_at(toks, s.toks.start)
                        .0
                        .or_else(|| seance_after(toks, s.toks.end))?;
                    Some((toks[first].span.start..toks[noun].span.end, ords))
                });
                (s.mention, seance)
            }))
        },
    );
    let mut mentions = Vec::new();
    let mut seances = Vec::new();
    for (mention, seance) in windows {
        if let Some((span, ordinals)) = seance {
            seances.push(SeanceDate {
                span,
                ordinals,
                mention: mentions.len(),
            });
        }
        mentions.push(mention);
    }
    debug_assert!(mentions
        .windows(2)
        .all(|w| w[0].span.start <= w[1].span.start));

    // Context years for dates written without one.
    for i in 0..mentions.len() {
        if mentions[i].start.year.is_some() || mentions[i].start.month.is_none() {
            continue;
        }
        let here = mentions[i].span.start;
        let para = doc.paragraph_at(here);
        let year = mentions[..i]
            .iter()
            .rev()
            .take_while(|m| here - m.span.start < 1500)
            .find(|m| m.start.year.is_some() && doc.paragraph_at(m.span.start) == para)
            .and_then(|m| m.last().year);
        mentions[i].context_year = year;
    }

    // Events: ordinal + meeting noun + body.
    let events = events(text, &mentions, cfg);

    // The meeting's own dates: from the title, else an opening sentence.
    let mut meeting = None;
    if let Some(title) = &doc.header.title {
        if let Some(m) = mentions.iter().position(|m| {
            m.span.start >= title.start
                && m.span.end <= title.end
                && matches!(m.kind, MentionKind::Range | MentionKind::List)
                && m.is_day_precise()
        }) {
            meeting = Some(MeetingRange {
                mention: m,
                source: MeetingSource::Title,
            });
        }
    }
    if meeting.is_none() {
        const OPENING: &[&str] = &[
            "la reunion s'est tenue",
            "la reunion a eu lieu",
            "la presente reunion s'est tenue",
            "la session s'est tenue",
            "the meeting was held",
            "the meeting took place",
            "the session was held",
        ];
        let event_mentions: std::collections::HashSet<usize> =
            events.iter().map(|e| e.mention).collect();
        meeting = mentions
            .iter()
            .enumerate()
            .find(|(i, m)| {
                matches!(m.kind, MentionKind::Range | MentionKind::List)
                    && m.is_day_precise()
                    && !event_mentions.contains(i)
                    && {
                        let s = fold(&text[sentence_at(text, &m.span)]);
                        OPENING.iter().any(|o| s.contains(o))
                    }
            })
            .map(|(i, _)| MeetingRange {
                mention: i,
                source: MeetingSource::Introduction,
            });
    }

    // The document's date: the header's date line, else the séance that adopted the report.
    let mut document_date = None;
    if let Some(d) = &doc.header.date {
        if let Some(m) = mentions.iter().position(|m| {
            m.span.start >= d.start && m.span.end <= d.end && m.start.full().is_some()
        }) {
            document_date = Some(DocumentDate {
                mention: m,
                source: DocDateSource::Header,
            });
        }
    }
    if document_date.is_none() {
        const ADOPTION: &[&str] = &[
            "adopte le rapport",
            "adopte son rapport",
            "adopted the report",
            "adopted its report",
        ];
        document_date = seances
            .iter()
            .find(|s| {
                let m = &mentions[s.mention];
                m.start.full().is_some() && {
                    let f = fold(&text[sentence_at(text, &m.span)]);
                    ADOPTION.iter().any(|a| f.contains(a))
                }
            })
            .map(|s| DocumentDate {
                mention: s.mention,
                source: DocDateSource::Adoption,
            });
    }

    Dates {
        mentions,
        seances,
        meeting,
        document_date,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// Folds `s` character by character into `out` (cleared first; one buffer serves every
    /// window). The folded text has no map back: see [`original_offsets`].
    fn fold_chars_into(s: &str, out: &mut String) {
        out.clear();
        out.reserve(s.len());
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            // A run of ASCII is lower-cased in bulk (fold_char's ASCII case). Its end is found 8
            // bytes at a time (a word with no high bit set is 8 ASCII bytes), then byte by byte.
            let start = i;
            while let Some(w) = b.get(i..i + 8) {
                if u64::from_le_bytes(w.try_into().unwrap_or([0x80; 8])) & 0x8080_8080_8080_8080
                    != 0
                {
                    break;
                }
                i += 8;
            }
            while i < b.len() && b[i].is_ascii() {
                i += 1;
            }
            if i > start {
                let len = out.len();
                out.push_str(&s[start..i]);
                out[len..].make_ascii_lowercase();
            }
            if let Some(c) = s[i..].chars().next() {
                fold_char(c, out);
                i += c.len_utf8();
            }
        }
    }

    /// For each byte offset of the fold of `s` ([`fold_chars_into`]) in `positions` (in
    /// increasing order), the byte offset in `s` of the character it came from (`s.len()` for the
    /// end of the folded text). One walk over `s` instead of a map of 8 bytes per byte of text.
    fn original_offsets(s: &str, positions: &[usize]) -> Vec<usize> {
        let mut out = Vec::with_capacity(positions.len());
        let mut next = positions.iter().peekable();
        let mut folded_len = 0;
        let mut buf = String::new();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() && next.peek().is_some() {
            if b[i].is_ascii() {
                // A run of ASCII: fold_char keeps one byte per byte, so folded offset
                // `folded_len + d` comes from `i + d`.
                let run = b[i..]
                    .iter()
                    .position(|c| !c.is_ascii())
                    .unwrap_or(b.len() - i);
                while let Some(p) = next.next_if(|&&p| p < folded_len + run) {
                    out.push(i + (p - folded_len));
                }
                folded_len += run;
                i += run;
                continue;
            }
            let c = s[i..].chars().next().expect("a character");
            buf.clear();
            fold_char(c, &mut buf);
            folded_len += buf.len();
            while next.next_if(|&&p| p < folded_len).is_some() {
                out.push(i);
            }
            i += c.len_utf8();
        }
        out.resize(positions.len(), s.len());
        out
    }

    /// The marker hits (start, end, group) that lie in the sentences, exactly as a leftmost-longest
    /// search over the whole folded text finds them, but folding and searching only around the
    /// sentences.
    ///
    /// A search may start or stop at a character that no pattern contains (`outside`): no
    /// match of the whole-text search spans it, so the whole-text search reaches it between two
    /// matches, and the matches on each side do not depend on the other side.
    fn marker_hits_reference(
        text: &str,
        sentences: &[Span],
        ac: &aho_corasick::AhoCorasick,
        kinds: &[u8],
        outside: &[bool; 256],
    ) -> Vec<(usize, usize, u8)> {
        let b = text.as_bytes();
        let wins = marker_windows(b, sentences, outside);
        let mut hits = Vec::new();
        let mut found: Vec<(usize, usize, u8)> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut folded = String::new();
        for (lo, hi) in wins {
            // One free character on each side for the word-boundary tests: ASCII, one byte
            // before and after folding.
            let x0 = lo.saturating_sub(1);
            let x1 = (hi + 1).min(b.len());
            fold_chars_into(&text[x0..x1], &mut folded);
            let fb = folded.as_bytes();
            let input = aho_corasick::Input::new(&folded).span(lo - x0..fb.len() - (x1 - hi));
            found.clear();
            for m in ac.find_iter(input) {
                let before_ok = m.start() == 0 || !fb[m.start() - 1].is_ascii_alphanumeric();
                let after_ok = m.end() >= fb.len()
                    || !fb[m.end()].is_ascii_alphanumeric()
                    || fb[m.end() - 1] == b' ';
                if before_ok && after_ok {
                    found.push((m.start(), m.end(), kinds[m.pattern().as_usize()]));
                }
            }
            if found.is_empty() {
                continue; // most windows: nothing to map back
            }
            // Non-overlapping and in order: the starts and ends together are sorted.
            ends.clear();
            ends.extend(found.iter().flat_map(|h| [h.0, h.1]));
            let orig = original_offsets(&text[x0..x1], &ends);
            hits.extend(
                found
                    .iter()
                    .enumerate()
                    .map(|(k, h)| (x0 + orig[2 * k], x0 + orig[2 * k + 1], h.2)),
            );
        }
        hits
    }

    /// The events loop before [`last_event_noun`] and [`event_body`]: every event noun of
    /// `from - 64..at + 64` read for each range, every body of a noun's sentence looked up.
    fn events_reference(text: &str, mentions: &[DateMention], cfg: &DatesConfig) -> Vec<Event> {
        let b = text.as_bytes();
        let bodies = Bodies::new(cfg);
        // An event's date is the first mention after its noun, at most 300 bytes on, and a
        // day-precise range or list: so only the text just before such a mention is searched for
        // nouns.
        let mut events = Vec::new();
        let mut body_memo: Option<(Span, Vec<BodyHit>)> = None;
        let mut cache = TokenCache::default();
        for (m, mm) in mentions.iter().enumerate() {
            if !matches!(mm.kind, MentionKind::Range | MentionKind::List) || !mm.is_day_precise() {
                continue;
            }
            let from = mm.span.start.saturating_sub(300);
            let mut lo = cut_before(b, from.saturating_sub(64), 0);
            let mut hi = cut_after(b, mm.span.start + 64);
            let mut grow = 64;
            // Every noun ending after `from` must be read with its ordinal and « reprise de sa »
            // before it; every noun span starting before the mention (the next event) must be seen.
            let (nouns, resumed) = loop {
                let toks = cache.range(text, lo, hi);
                let nouns = noun_spans(toks);
                let k = toks.partition_point(|t| t.span.start < mm.span.start);
                let front = lo == 0 || nouns.iter().all(|n| n.1 < from || n.5 >= MARGIN);
                let back = hi == b.len() || k + MARGIN <= toks.len();
                if front && back {
                    // Whether each noun is another event, read while the tokens are at hand (body_hits
                    // below reads the same cache: a copy of the tokens cost more than these flags).
                    let resumed: Vec<bool> = nouns
                        .iter()
                        .map(|&(_, _, _, _, first, i)| is_other_event(toks, first, i))
                        .collect();
                    break (nouns, resumed);
                }
                if !front {
                    lo = cut_before(b, lo.saturating_sub(grow), 0);
                }
                if !back {
                    hi = cut_after(b, hi + grow);
                }
                grow *= 2;
            };
            for (n, &(s, e, noun, ord, _, _)) in nouns.iter().enumerate() {
                // This mention must be the first one after the noun.
                if e < from || mentions.partition_point(|x| x.span.start < e) != m {
                    continue;
                }
                let sent = sentence_at(text, &(s..e));
                if mm.span.start >= sent.end {
                    continue;
                }
                // The date comes before any other event.
                let next_event = nouns.get(n + 1).map_or(usize::MAX, |x| x.0);
                if mm.span.start > next_event || mm.span.start - e > 300 {
                    continue;
                }
                // Body: right after the noun (« réunion du Groupe d'experts »), else the nearest
                // earlier body in the sentence, else the first later one.
                // Body hits are in text order (a hit ends after it starts): each search below looks
                // only at the hits that start in its window.
                // Nouns of one sentence share its body hits.
                if body_memo.as_ref().is_none_or(|(s, _)| *s != sent) {
                    let hits = body_hits(&mut cache, text, &sent, &bodies);
                    body_memo = Some((sent.clone(), hits));
                }
                let body_hits = &body_memo.as_ref().expect("just set").1;
                let starting = |lo: usize, hi: usize| {
                    let from = body_hits.partition_point(|h| h.0 < lo);
                    let to = from + body_hits[from..].partition_point(|h| h.0 < hi);
                    &body_hits[from..to]
                };
                let after = starting(e, e + 13).iter().find(|h| h.1 <= sent.end);
                let before = starting(sent.start, s).iter().rev().find(|h| h.1 <= s);
                let later = starting(e, sent.end).iter().find(|h| h.1 <= sent.end);
                let Some(&(body_at, _, b)) = after.or(before).or(later) else {
                    continue;
                };
                events.push(event(
                    s..e,
                    (noun, ord, resumed[n]),
                    (&bodies, b, body_at),
                    m,
                ));
            }
        }
        events
    }

    /// The bodies named in sentence `sent`: (start, end, body) for each token of the sentence
    /// that starts the longest matching body, in order (what the events loop looked up for
    /// every event before [`event_body`]).
    fn body_hits(cache: &mut TokenCache, text: &str, sent: &Span, bodies: &Bodies) -> Vec<BodyHit> {
        let b = text.as_bytes();
        let max_words = bodies.max_words;
        let lo = cut_before(b, sent.start, 0);
        // Room for `max_words` tokens after the sentence at the first try, most of the time (any
        // window that has them gives the same hits).
        let mut hi = cut_after(b, sent.end + 8 * max_words);
        let mut grow = 64;
        loop {
            let toks = cache.range(text, lo, hi);
            let after = toks.len() - toks.partition_point(|t| t.span.start < sent.end);
            if hi == b.len() || after >= max_words {
                break;
            }
            hi = cut_after(b, hi + grow);
            grow *= 2;
        }
        let toks = cache.range(text, lo, hi);
        let mut hits = Vec::new();
        for i in toks.partition_point(|t| t.span.start < sent.start)..toks.len() {
            if toks[i].span.start >= sent.end {
                break;
            }
            hits.extend(bodies.at(text, toks, i));
        }
        hits
    }

    /// The events read outward from each range are those of the old loop, on the seeds and on
    /// texts made for the edge cases (a noun far before its dates, several nouns, a body
    /// before the noun or after the dates, an ordinal cut across a window's front).
    /// Compound ordinals are read whole, and never as their last word alone (« vingt et
    /// unième » is 21: read as « unième », a session 21 was checked as session 1).
    #[test]
    fn compound_ordinals() {
        let cases: &[(&str, Option<(usize, u32)>)] = &[
            ("deuxième", Some((0, 2))),
            ("vingt-sixième", Some((0, 26))),
            ("vingt-et-unième", Some((0, 21))),
            ("vingt et unième", Some((0, 21))),
            ("trente et unième", Some((0, 31))),
            ("soixante-quinzième", Some((0, 75))),
            ("soixante-dixième", Some((0, 70))),
            ("soixante-dix-septième", Some((0, 77))),
            ("soixante et onzième", Some((0, 71))),
            ("quatre-vingtième", Some((0, 80))),
            ("quatre-vingt-deuxième", Some((0, 82))),
            ("quatre-vingt-dix-neuvième", Some((0, 99))),
            ("dix-septième", Some((0, 17))),
            ("twenty-first", Some((0, 21))),
            ("seventy-fifth", Some((0, 75))),
            ("unième", None),
            // Not one number: its end alone (tokens: vingt, -, dix, -, septième).
            ("vingt-dix-septième", Some((2, 17))),
            ("trente et deuxième", Some((2, 2))),
        ];
        for (text, want) in cases {
            let toks = tokenize(text);
            let got = ordinal_before(&toks, toks.len()).map(|(f, v, _)| (f, v));
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn events_match_the_reference_loop() {
        let config = Config::embedded().unwrap();
        let mut texts = crate::test_support::seed_texts();
        let filler =
            "Le texte continue ici avec des mots sans rapport, puis encore d'autres mots. ";
        texts.push(format!(
            "Le Groupe d'experts a tenu sa deuxième réunion à Vienne, {} du 25 au 28 février 2013. \
             {}La vingt-sixième session extraordinaire de la Commission s'est tenue du 3 au 5 mai \
             2019. Reprise de sa 4e session, la Conférence des Parties, les 6 et 7 juin 2019; \
             la troisième réunion et la quatrième réunion du Comité spécial du 1er au 3 juillet \
             2019 et du 4 au 6 juillet 2019. The Expert Group held its 3rd meeting from 27 to \
             29 March 2019, and the Working Group its second session from 1 to 3 April 2019 \
             ({}) in the General Assembly.",
            filler.repeat(3),
            filler.repeat(9),
            filler
        ));
        for k in [0, 40, 90, 150, 200, 260, 290, 299, 310] {
            texts.push(format!(
                "{}Il a tenu sa cinquième réunion du Groupe de travail {}, du 2 au 4 mars 2020.",
                filler.repeat(2),
                "x".repeat(k)
            ));
            texts.push(format!(
                "La Commission, {} a tenu sa cinquième session {}les 2 et 4 mars 2020.",
                "y ".repeat(k / 2),
                "z ".repeat(k / 3)
            ));
        }
        let mut found = 0;
        for text in &texts {
            let doc = crate::document::parse(text.clone());
            let prose = doc.prose.as_str();
            let key = |e: &Event| {
                let label = e.label(prose, &config.dates);
                (e.key.clone(), label, e.span.clone(), e.mention)
            };
            let mentions = &doc.dates(&config).mentions;
            let new: Vec<_> = events(prose, mentions, &config.dates)
                .iter()
                .map(key)
                .collect();
            let old: Vec<_> = events_reference(prose, mentions, &config.dates)
                .iter()
                .map(key)
                .collect();
            assert_eq!(new, old, "{text}");
            found += new.len();
        }
        assert!(found > 20, "{found}");
    }

    /// The DFA stepped over the text as it is folded finds the hits of the search over each
    /// window folded whole, on the seeds' sentences and on every stretch of a text full of
    /// folded characters.
    #[test]
    fn marker_hits_match_the_folded_search() {
        let config = Config::embedded().unwrap();
        let (_, pats, kinds, outside) = build_markers(&config.dates);
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&pats)
            .unwrap();
        let m = markers(&config.dates);
        let mut texts = crate::test_support::seed_texts();
        texts.push(
            "Il A TENU sa séance; elle S’EST TENUE à Genève, se tiendra. L’Œuvre a été adoptée \
             le 3 mai; œ a eu lieu Æ; ǅ will be held; ils ont ÉTÉ. prévu prÉvues wIll. \
             Se  tiendra; ße a tenu, İ a tenu; a tenu"
                .to_string(),
        );
        for text in &texts {
            let doc = crate::document::parse(text.clone());
            let prose = doc.prose.as_str();
            let sentences: Vec<Span> = doc
                .dates(&config)
                .mentions
                .iter()
                .map(|m| sentence_at(prose, &m.span))
                .collect();
            assert_eq!(
                marker_hits(prose, &sentences, m),
                marker_hits_reference(prose, &sentences, &ac, &kinds, &outside)
            );
            // Every stretch of a short text as a sentence.
            if text.len() < 1000 {
                let bounds: Vec<usize> = (0..=text.len())
                    .filter(|&k| text.is_char_boundary(k))
                    .collect();
                for (x, &s) in bounds.iter().enumerate() {
                    for &e in &bounds[x..] {
                        let sentence = s..e;
                        let sent = std::slice::from_ref(&sentence);
                        assert_eq!(
                            marker_hits(text, sent, m),
                            marker_hits_reference(text, sent, &ac, &kinds, &outside),
                            "{s}..{e}"
                        );
                    }
                }
            }
        }
    }

    /// Each date's tense asked on its own is the tense given by one search over every dated
    /// sentence of the document (what the extraction computed for every date before), on the
    /// seeds.
    #[test]
    fn tense_on_demand_matches_the_search_over_all_sentences() {
        let config = Config::embedded().unwrap();
        let m = markers(&config.dates);
        let mut texts = crate::test_support::seed_texts();
        texts.push(
            "Le Groupe a tenu sa réunion le 3 mai 2019; elle se tiendra le 4 mai 2020. \
             À sa 2e séance, le 5 mai 2019, il a examiné le rapport. La réunion aura lieu \
             le 6 mai 2021 et a tenu le 7 mai 2019."
                .to_string(),
        );
        let mut seen = [0; 3];
        for text in &texts {
            let doc = crate::document::parse(text.clone());
            let prose = doc.prose.as_str();
            let dates = doc.dates(&config);
            let sentences: Vec<Span> = dates
                .mentions
                .iter()
                .map(|m| sentence_at(prose, &m.span))
                .collect();
            let hits = marker_hits(prose, &sentences, m);
            for (i, (mm, s)) in dates.mentions.iter().zip(&sentences).enumerate() {
                let inside: Vec<_> = hits
                    .iter()
                    .filter(|h| s.contains(&h.0) && h.1 <= s.end)
                    .collect();
                let want = if inside.iter().any(|h| h.2 == 1) {
                    Tense::Future
                } else if dates.seances.iter().any(|x| x.mention == i)
                    || inside.iter().any(|h| {
                        (h.1 <= mm.span.start && mm.span.start - h.1 <= 100)
                            || (h.0 >= mm.span.end && h.0 - mm.span.end <= 60)
                    })
                {
                    Tense::Past
                } else {
                    Tense::Unknown
                };
                assert_eq!(
                    doc.date_tense(&config, i),
                    want,
                    "{:?}",
                    &prose[mm.span.clone()]
                );
                seen[want as usize] += 1;
            }
        }
        assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
    }

    /// `cargo test --lib dump_seed_dates -- --ignored --nocapture`: prints what the extractor
    /// found in the seeds (for checking by hand).
    #[test]
    #[ignore]
    fn dump_seed_dates() {
        let config = Config::embedded().unwrap();
        let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.sort();
        for p in paths {
            let doc = crate::document::parse(std::fs::read_to_string(&p).unwrap());
            let d = doc.dates(&config);
            println!("=== {}", p.display());
            for (i, m) in d.mentions.iter().enumerate() {
                let end = m.end.map(|e| format!("..{e}")).unwrap_or_default();
                println!(
                    "{i:3} L{} {:?} {}{end} {:?} cy={:?}",
                    doc.line_index(m.span.start) + 1,
                    doc.slice(&m.span),
                    m.start,
                    doc.date_tense(&config, i),
                    m.context_year
                );
            }
            for s in &d.seances {
                println!("seance {:?} -> {}", s.ordinals, s.mention);
            }
            for e in &d.events {
                println!(
                    "event {} [{}] -> {}",
                    e.key,
                    e.label(&doc.prose, &config.dates),
                    e.mention
                );
            }
            println!("meeting {:?} doc {:?}", d.meeting, d.document_date);
        }
    }
}
