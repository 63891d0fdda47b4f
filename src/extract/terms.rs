//! Extraction of terms: every occurrence of every member of every term set, in one pass.
//!
//! Term sets come from `[[terminology.set]]` tables (the shipped `rules/terminology-*.toml` and
//! users' own) and from custom `[[rule]]`s of kind `substitution`, `consistency` and `existence`,
//! which register their forms here: one matcher serves `terminology/*` and `custom/*`.
//!
//! How it matches:
//! - the prose is folded into a buffer with an offset map back to the text: lower case, every
//!   apostrophe as `'` with no space around it, every run of whitespace as one space, a hyphen as
//!   a space (so « dark-Web », « dark Web » and « dark  \n Web » read alike);
//! - each form is folded the same way and expanded at configuration load into its inflections
//!   (French: singular/plural of the head words, adjective agreement; English: plural), plus the
//!   form written solid (« darkweb ») for two-word forms;
//! - one Aho-Corasick automaton over all the patterns of all the sets, built once per
//!   configuration; a hit must sit on word boundaries; hits inside a set's exceptions (proper
//!   names such as « Conseil des droits de l'homme ») are dropped.
//!
//! The same pass finds acronyms (runs of capitals) and their parenthesised definitions for
//! `terminology/acronym`.

use crate::document::{Document, Lang, LineKind, Span};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The `[terminology]` section of the configuration.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminologyConfig {
    /// `[[terminology.set]]`: term sets.
    #[serde(default, rename = "set")]
    pub sets: Vec<TermSetSpec>,
    /// `[[terminology.acronym]]`: known expansions of acronyms.
    #[serde(default, rename = "acronym")]
    pub acronyms: Vec<AcronymSpec>,
    /// Acronyms every reader knows, never checked by `terminology/acronym` (ONU, UN, INTERPOL…).
    #[serde(default)]
    pub known_acronyms: Vec<String>,
    /// `[[terminology.bilingual]]`: en → fr term pairs for translation/terminology, the same
    /// entries as `[[translation.terms]]` (moved there when the configuration is loaded).
    #[serde(default)]
    pub bilingual: Vec<crate::compare::terms::BilingualTerm>,
    /// The matcher over all sets, built on first use.
    #[serde(skip)]
    matcher: OnceLock<Arc<TermMatcher>>,
}

/// Which documents a set or rule applies to.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LangFilter {
    Fr,
    En,
    #[default]
    Any,
}

impl LangFilter {
    pub fn accepts(self, lang: Lang) -> bool {
        match self {
            LangFilter::Any => true,
            LangFilter::Fr => lang == Lang::Fr,
            LangFilter::En => lang == Lang::En,
        }
    }
}

/// One term set as written in TOML.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermSetSpec {
    /// A short name for messages and `unlint explain` (defaults to the first form).
    #[serde(default)]
    pub name: Option<String>,
    /// `fr`, `en` or `any` (the default).
    #[serde(default)]
    pub lang: LangFilter,
    /// The form the house prefers; variants are reported by `terminology/preferred`.
    #[serde(default)]
    pub preferred: Option<String>,
    /// Other acceptable forms: mixing them with the preferred one is drift.
    #[serde(default)]
    pub accepted: Vec<String>,
    /// Forms to replace by the preferred one (needs `preferred`).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Proper names inside which the forms must not be touched.
    #[serde(default)]
    pub exceptions: Vec<String>,
    /// Whether to generate inflections (plural, agreement). Default true.
    #[serde(default = "yes")]
    pub inflect: bool,
    /// Whether replacing a variant by the preferred form never changes meaning (a safe fix).
    #[serde(default)]
    pub safe: bool,
    /// Severity of this set's findings when weaker than the rule's (`info` for forms editors
    /// often tolerate side by side).
    #[serde(default)]
    pub severity: Option<crate::diagnostic::Severity>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// Set by custom rules: the rule that owns the set. Shipped and `[[terminology.set]]` sets
    /// have none and are checked by `terminology/*`.
    #[serde(skip)]
    pub owner: Option<&'static str>,
}

fn yes() -> bool {
    true
}

/// A known acronym and its expansion.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcronymSpec {
    pub short: String,
    pub long: String,
    #[serde(default)]
    pub lang: LangFilter,
}

impl TerminologyConfig {
    /// Merges a later configuration layer into this one (lists extend, scalars override).
    pub fn merge(&mut self, later: TerminologyConfig) {
        self.sets.extend(later.sets);
        self.acronyms.extend(later.acronyms);
        self.known_acronyms.extend(later.known_acronyms);
        self.bilingual.extend(later.bilingual);
        self.matcher = OnceLock::new();
    }

    /// Adds a set (custom rules register theirs at configuration load).
    pub fn add_set(&mut self, set: TermSetSpec) {
        self.sets.push(set);
        self.matcher = OnceLock::new();
    }

    /// Checks the sets of this configuration (forms not empty, variants need a preferred form).
    pub fn validate(&self) -> Result<(), String> {
        for s in &self.sets {
            let name = s.display_name();
            if !s.variants.is_empty() && s.preferred.is_none() {
                return Err(format!(
                    "term set `{name}` has variants but no `preferred` form"
                ));
            }
            if s.members().count() == 0 {
                return Err(format!("term set `{name}` has no forms"));
            }
            if let Some(f) = s.members().find(|f| fold(f).trim().is_empty()) {
                return Err(format!("term set `{name}` has an empty form `{f}`"));
            }
        }
        Ok(())
    }

    /// The matcher over every set, built once per configuration.
    pub fn matcher(&self) -> &TermMatcher {
        self.matcher
            .get_or_init(|| Arc::new(TermMatcher::build(&self.sets)))
    }
}

impl TermSetSpec {
    /// Every member: the preferred form, the accepted forms, the variants, in that order.
    pub fn members(&self) -> impl Iterator<Item = &String> {
        self.preferred
            .iter()
            .chain(&self.accepted)
            .chain(&self.variants)
    }
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .or_else(|| self.members().next().cloned())
            .unwrap_or_default()
    }
}

/// The role of a member of a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Preferred,
    Accepted,
    Variant,
}

/// A set ready for matching.
#[derive(Debug)]
pub struct CompiledSet {
    pub name: String,
    pub lang: LangFilter,
    pub owner: Option<&'static str>,
    /// Members as written, with their roles.
    pub members: Vec<(String, Role)>,
    pub preferred: Option<usize>,
    pub safe: bool,
    pub severity: Option<crate::diagnostic::Severity>,
    pub note: Option<String>,
    pub source: Option<String>,
    /// Every member inflected by [plural][feminine].
    inflected: Vec<[[String; 2]; 2]>,
}

impl CompiledSet {
    /// Member `member` inflected like the match `m` (number, gender) and capitalised like the
    /// matched text.
    pub fn form_like(&self, member: usize, m: &TermMatch, matched: &str) -> String {
        let r = &self.inflected[member][m.plural as usize][m.feminine as usize];
        let upper = matched.chars().next().is_some_and(char::is_uppercase);
        if upper {
            capitalise(r)
        } else {
            r.clone()
        }
    }
    /// The preferred form inflected like the match, when the set has one.
    pub fn replacement_for(&self, m: &TermMatch, matched: &str) -> Option<String> {
        self.preferred.map(|p| self.form_like(p, m, matched))
    }
    /// A member as written in the set.
    pub fn member(&self, member: usize) -> &str {
        &self.members[member].0
    }
    pub fn role(&self, member: usize) -> Role {
        self.members[member].1
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[derive(Debug, Clone, Copy)]
enum PatKind {
    Term {
        member: u16,
        plural: bool,
        feminine: bool,
    },
    Exception,
}

#[derive(Debug, Clone, Copy)]
struct PatInfo {
    set: u32,
    kind: PatKind,
}

/// The automaton over every folded pattern of every set.
#[derive(Debug)]
pub struct TermMatcher {
    ac: Option<AhoCorasick>,
    /// For each automaton pattern, what it stands for (one string can serve several sets).
    infos: Vec<Vec<PatInfo>>,
    pub sets: Vec<CompiledSet>,
}

impl TermMatcher {
    fn build(specs: &[TermSetSpec]) -> TermMatcher {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut infos: Vec<Vec<PatInfo>> = Vec::new();
        let mut add = |pat: String, info: PatInfo| {
            if pat.is_empty() {
                return;
            }
            let i = *index.entry(pat.clone()).or_insert_with(|| {
                patterns.push(pat);
                infos.push(Vec::new());
                infos.len() - 1
            });
            let list = &mut infos[i];
            let dup = list.iter().any(|p| {
                p.set == info.set
                    && matches!(
                        (p.kind, info.kind),
                        (PatKind::Exception, PatKind::Exception)
                            | (PatKind::Term { .. }, PatKind::Term { .. })
                    )
            });
            if !dup {
                list.push(info);
            }
        };
        let mut sets = Vec::new();
        for (si, spec) in specs.iter().enumerate() {
            let english = spec.lang == LangFilter::En;
            let mut members = Vec::new();
            if let Some(p) = &spec.preferred {
                members.push((p.clone(), Role::Preferred));
            }
            members.extend(spec.accepted.iter().map(|f| (f.clone(), Role::Accepted)));
            members.extend(spec.variants.iter().map(|f| (f.clone(), Role::Variant)));
            for (mi, (form, _)) in members.iter().enumerate() {
                for (text, plural, feminine) in inflections(form, english, spec.inflect) {
                    let folded = fold(&text);
                    let kind = PatKind::Term {
                        member: mi as u16,
                        plural,
                        feminine,
                    };
                    let solid = solid_form(&folded);
                    add(
                        folded,
                        PatInfo {
                            set: si as u32,
                            kind,
                        },
                    );
                    if let Some(s) = solid {
                        add(
                            s,
                            PatInfo {
                                set: si as u32,
                                kind,
                            },
                        );
                    }
                }
            }
            for e in &spec.exceptions {
                for (text, _, _) in inflections(e, english, false) {
                    add(
                        fold(&text),
                        PatInfo {
                            set: si as u32,
                            kind: PatKind::Exception,
                        },
                    );
                }
            }
            let inflected = members
                .iter()
                .map(|(form, _)| {
                    let f = |pl, fem| inflect_as(form, english, spec.inflect, pl, fem);
                    [
                        [f(false, false), f(false, true)],
                        [f(true, false), f(true, true)],
                    ]
                })
                .collect();
            sets.push(CompiledSet {
                name: spec.display_name(),
                lang: spec.lang,
                owner: spec.owner,
                preferred: spec.preferred.as_ref().map(|_| 0),
                members,
                safe: spec.safe,
                severity: spec.severity,
                note: spec.note.clone(),
                source: spec.source.clone(),
                inflected,
            });
        }
        let ac = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("term patterns build")
        });
        TermMatcher { ac, infos, sets }
    }

    /// Finds every term of every set that applies to the document's language.
    fn find(&self, doc: &Document) -> Vec<TermMatch> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let folded = Folded::new(&doc.prose);
        let buf = folded.buf.as_str();
        let mut terms: Vec<TermMatch> = Vec::new();
        let mut exceptions: Vec<(u32, usize, usize)> = Vec::new();
        for hit in ac.find_overlapping_iter(buf) {
            let (s, e) = (hit.start(), hit.end());
            if !boundary(buf, s, e) {
                continue;
            }
            for info in &self.infos[hit.pattern().as_usize()] {
                if !self.sets[info.set as usize].lang.accepts(doc.lang) {
                    continue;
                }
                match info.kind {
                    PatKind::Exception => exceptions.push((info.set, s, e)),
                    PatKind::Term {
                        member,
                        plural,
                        feminine,
                    } => terms.push(TermMatch {
                        set: info.set as usize,
                        member: member as usize,
                        span: folded.original(s, e, &doc.prose),
                        folded: s..e,
                        plural,
                        feminine,
                        quoted: false,
                        gloss: false,
                    }),
                }
            }
        }
        // Inside an exception of its own set: not a use of the term.
        terms.retain(|t| {
            !exceptions.iter().any(|&(set, s, e)| {
                set as usize == t.set && s <= t.folded.start && t.folded.end <= e
            })
        });
        // Leftmost-longest within a set.
        terms.sort_by(|a, b| {
            (a.set, a.folded.start, std::cmp::Reverse(a.folded.end)).cmp(&(
                b.set,
                b.folded.start,
                std::cmp::Reverse(b.folded.end),
            ))
        });
        let mut kept: Vec<TermMatch> = Vec::with_capacity(terms.len());
        for t in terms {
            if let Some(last) = kept.last() {
                if last.set == t.set && t.folded.start < last.folded.end {
                    continue;
                }
            }
            kept.push(t);
        }
        kept.sort_by_key(|t| (t.span.start, t.span.end, t.set));
        for i in 0..kept.len() {
            kept[i].quoted = folded.in_quotes(kept[i].span.start);
            // A gloss: « réseaux d'ordinateurs zombies (botnets) ».
            let before = buf[..kept[i].folded.start].trim_end_matches([' ', '«', '"', '“']);
            if let Some(open) = before.strip_suffix('(') {
                let open_end = open.trim_end().len();
                kept[i].gloss = kept[..i]
                    .iter()
                    .any(|p| p.set == kept[i].set && p.folded.end == open_end);
            }
        }
        kept
    }
}

/// Whether `buf[s..e]` starts and ends on word boundaries.
/// A side that ends in an apostrophe (« afin de permettre d' ») needs no boundary.
fn boundary(buf: &str, s: usize, e: usize) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let (first, last) = (buf[s..].chars().next(), buf[..e].chars().next_back());
    let before = buf[..s].chars().next_back();
    let after = buf[e..].chars().next();
    (!word(first) || !word(before)) && (!word(last) || !word(after))
}

/// The prose folded for matching, with a map back to original offsets.
struct Folded {
    buf: String,
    /// For each byte of `buf`, the offset of the original character it came from (`u32`: half
    /// the memory of `usize`, and this map has an entry per byte of the document).
    map: Vec<u32>,
    /// Spans of the original text inside « guillemets » or “quotes”.
    quotes: Vec<Span>,
}

/// The longest quotation (in bytes) taken as one.
const MAX_QUOTE: usize = 2000;

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut buf = String::with_capacity(text.len());
        assert!(
            u32::try_from(text.len()).is_ok(),
            "a document of 4 GiB or more cannot be matched against the term sets"
        );
        let mut map: Vec<u32> = Vec::with_capacity(text.len());
        let mut quotes = Vec::new();
        let mut open: Option<usize> = None;
        let mut space_at: Option<usize> = None;
        let mut after_apostrophe = false;
        for (i, c) in text.char_indices() {
            match c {
                '«' | '“' => open = Some(i),
                '»' | '”' => {
                    // An unbalanced « (OCR) must not swallow the rest of the document.
                    if let Some(o) = open.take().filter(|&o| i - o < MAX_QUOTE) {
                        quotes.push(o..i + c.len_utf8());
                    }
                }
                _ => {}
            }
            if c == '\u{ad}' {
                continue;
            }
            if c.is_whitespace() || is_hyphen(c) {
                if !after_apostrophe && space_at.is_none() {
                    space_at = Some(i);
                }
                continue;
            }
            if is_apostrophe(c) {
                space_at = None;
                buf.push('\'');
                map.push(i as u32);
                after_apostrophe = true;
                continue;
            }
            if let Some(at) = space_at.take() {
                if !buf.is_empty() {
                    buf.push(' ');
                    map.push(at as u32);
                }
            }
            after_apostrophe = false;
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
                map.push(i as u32);
                continue;
            }
            for l in c.to_lowercase() {
                let n = l.len_utf8();
                buf.push(l);
                map.extend(std::iter::repeat_n(i as u32, n));
            }
        }
        Folded { buf, map, quotes }
    }

    /// The original span of `buf[s..e]`.
    fn original(&self, s: usize, e: usize, text: &str) -> Span {
        let start = self.map[s] as usize;
        let last = self.map[e - 1] as usize;
        let end = last + text[last..].chars().next().map_or(0, char::len_utf8);
        start..end
    }

    fn in_quotes(&self, offset: usize) -> bool {
        let i = self.quotes.partition_point(|q| q.start <= offset);
        i > 0 && self.quotes[i - 1].end > offset
    }
}

/// Folds a form the way the prose is folded.
pub fn fold(s: &str) -> String {
    Folded::new(s).buf
}

/// The form written solid (« dark web » → « darkweb »), for two plain words.
fn solid_form(folded: &str) -> Option<String> {
    let words: Vec<&str> = folded.split(' ').collect();
    (words.len() == 2 && !folded.contains('\'')).then(|| words.concat())
}

const FR_FUNCTION_WORDS: &[&str] = &[
    "de", "du", "des", "la", "le", "les", "en", "à", "au", "aux", "pour", "sur", "par", "un",
    "une", "contre", "dans", "avec", "sans", "entre",
];
const EN_FUNCTION_WORDS: &[&str] = &[
    "of", "the", "a", "an", "in", "on", "for", "to", "with", "by", "against",
];

/// The words of a form that inflect: in French the words before the first preposition (head
/// noun and its adjectives; « droits de l'homme » inflects « droits » only); in English the
/// last word before the first preposition.
fn inflecting_words(words: &[&str], english: bool) -> Vec<usize> {
    let stop = words
        .iter()
        .position(|w| {
            let lw = w.to_lowercase();
            let list = if english {
                EN_FUNCTION_WORDS
            } else {
                FR_FUNCTION_WORDS
            };
            list.contains(&lw.as_str()) || w.contains(['\'', '’'])
        })
        .unwrap_or(words.len());
    if english {
        stop.checked_sub(1).into_iter().collect()
    } else {
        (0..stop).collect()
    }
}

/// All inflections of a form: (text, plural, feminine).
fn inflections(form: &str, english: bool, inflect: bool) -> Vec<(String, bool, bool)> {
    let words: Vec<&str> = form.split_whitespace().collect();
    let plural0 = words.iter().any(|w| is_plural(w, english));
    if !inflect || words.is_empty() {
        return vec![(words.join(" "), plural0, false)];
    }
    let infl = inflecting_words(&words, english);
    // Choices per inflecting word: (text, plural, feminine).
    let mut options: Vec<Vec<(String, bool, bool)>> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !infl.contains(&i) {
            options.push(vec![(w.to_string(), false, false)]);
            continue;
        }
        let sg = singular(w, english);
        let pl = plural(&sg, english);
        let mut o = vec![(sg.clone(), false, false), (pl, true, false)];
        // Agreement of adjectives (not the head noun, unless the form is one word).
        if !english && (i > 0 || words.len() == 1) {
            if let Some(f) = feminine(&sg) {
                o.push((plural(&f, false), true, true));
                o.push((f, false, true));
            }
        }
        options.push(o);
    }
    let mut out: Vec<(String, bool, bool)> = vec![(String::new(), false, false)];
    for o in options {
        let mut next = Vec::with_capacity(out.len() * o.len());
        for (acc, p, f) in &out {
            for (w, wp, wf) in &o {
                let text = if acc.is_empty() {
                    w.clone()
                } else {
                    format!("{acc} {w}")
                };
                next.push((text, *p || *wp, *f || *wf));
            }
        }
        out = next;
    }
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// The form with its inflecting words put in the plural and/or feminine.
fn inflect_as(form: &str, english: bool, inflect: bool, pl: bool, fem: bool) -> String {
    let words: Vec<&str> = form.split_whitespace().collect();
    if !inflect {
        return words.join(" ");
    }
    let infl = inflecting_words(&words, english);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if !infl.contains(&i) {
                return w.to_string();
            }
            let mut x = singular(w, english);
            if fem && !english && (i > 0 || words.len() == 1) {
                if let Some(f) = feminine(&x) {
                    x = f;
                }
            }
            if pl {
                x = plural(&x, english);
            }
            x
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_plural(w: &str, english: bool) -> bool {
    singular(w, english) != w
}

fn plural(w: &str, english: bool) -> String {
    let lw = w.to_lowercase();
    if english {
        if lw.ends_with(['s', 'x']) || lw.ends_with("ch") || lw.ends_with("sh") {
            return format!("{w}es");
        }
        if lw.ends_with('y') && !lw.ends_with("ay") && !lw.ends_with("ey") && !lw.ends_with("oy") {
            return format!("{}ies", &w[..w.len() - 1]);
        }
        return format!("{w}s");
    }
    if lw.ends_with(['s', 'x', 'z']) {
        w.to_string()
    } else if lw.ends_with("al") && !lw.ends_with("ial") {
        format!("{}aux", &w[..w.len() - 2])
    } else if lw.ends_with("au") || lw.ends_with("eu") {
        format!("{w}x")
    } else {
        format!("{w}s")
    }
}

fn singular(w: &str, english: bool) -> String {
    let lw = w.to_lowercase();
    if english {
        if lw.ends_with("ies") && w.len() > 4 {
            return format!("{}y", &w[..w.len() - 3]);
        }
        for suf in ["ches", "shes", "xes", "sses"] {
            if lw.ends_with(suf) {
                return w[..w.len() - 2].to_string();
            }
        }
        if lw.ends_with('s') && !lw.ends_with("ss") && !lw.ends_with("us") && w.len() > 3 {
            return w[..w.len() - 1].to_string();
        }
        return w.to_string();
    }
    if lw.ends_with("aux") && w.len() > 4 && !lw.ends_with("eaux") {
        format!("{}al", &w[..w.len() - 3])
    } else if lw.ends_with("eaux") || (lw.ends_with('s') && w.chars().count() > 3) {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// The feminine of a French adjective, when it differs.
fn feminine(w: &str) -> Option<String> {
    let lw = w.to_lowercase();
    let rules: &[(&str, &str)] = &[
        ("ier", "ière"),
        ("er", "ère"),
        ("el", "elle"),
        ("ien", "ienne"),
        ("if", "ive"),
        ("eux", "euse"),
        ("eur", "euse"),
    ];
    for (from, to) in rules {
        if lw.ends_with(from) {
            return Some(format!("{}{to}", &w[..w.len() - from.len()]));
        }
    }
    if lw.ends_with('e') || !lw.ends_with(|c: char| c.is_alphabetic()) {
        None
    } else {
        Some(format!("{w}e"))
    }
}

/// One occurrence of a member of a term set.
#[derive(Debug, Clone)]
pub struct TermMatch {
    /// Index into [`TermMatcher::sets`].
    pub set: usize,
    /// Index into the set's members.
    pub member: usize,
    /// Span in the document text.
    pub span: Span,
    folded: Span,
    /// The match is in the plural (some inflecting word is).
    pub plural: bool,
    /// The match is in the feminine (some adjective is).
    pub feminine: bool,
    /// Inside « guillemets »: a title or a quotation, not the author's own wording.
    pub quoted: bool,
    /// In parentheses right after another member of its set: a gloss (« zombies (botnets) »).
    pub gloss: bool,
}

impl TermMatch {
    /// Whether the match is the author's own use of the term (not quoted, not a gloss).
    pub fn is_use(&self) -> bool {
        !self.quoted && !self.gloss
    }
}

/// An acronym written in the prose.
#[derive(Debug, Clone)]
pub struct AcronymUse {
    pub span: Span,
    /// Written as a definition: in parentheses right after words (« Office … (ONUDC) »).
    pub definition: bool,
}

/// Everything this extractor found in one document.
#[derive(Debug, Default)]
pub struct TermMatches {
    /// Every term occurrence, in text order.
    pub matches: Vec<TermMatch>,
    /// Every acronym (two or more capitals), in text order.
    pub acronyms: Vec<AcronymUse>,
}

/// Where a match sits, for rule scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Headings,
    Paragraphs,
    Footnotes,
    #[default]
    All,
}

impl Scope {
    /// Whether `offset` of `doc` lies in this scope.
    pub fn contains(self, doc: &Document, offset: usize) -> bool {
        let kind = doc.lines.get(doc.line_index(offset)).map(|l| l.kind);
        match self {
            Scope::All => true,
            Scope::Headings => kind == Some(LineKind::Heading),
            Scope::Footnotes => kind == Some(LineKind::Footnote),
            Scope::Paragraphs => kind == Some(LineKind::Body),
        }
    }
}

/// Finds the acronyms of the prose: runs of 2-10 capitals (digits and one inner hyphen
/// allowed, « T-CY »), not part of a document symbol (`UNODC/CCPCJ/…`).
fn find_acronyms(prose: &str) -> Vec<AcronymUse> {
    let bytes = prose.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !b.is_ascii_uppercase() {
            i += 1;
            continue;
        }
        let start = i;
        let prev = prose[..start].chars().next_back();
        let mut j = i;
        while j < bytes.len()
            && (bytes[j].is_ascii_uppercase()
                || bytes[j].is_ascii_digit()
                || (bytes[j] == b'-' && j + 1 < bytes.len() && bytes[j + 1].is_ascii_uppercase()))
        {
            j += 1;
        }
        let next = prose[j..].chars().next();
        i = j.max(start + 1);
        let token = &prose[start..j];
        let caps = token.bytes().filter(u8::is_ascii_uppercase).count();
        if caps < 2 || token.len() > 12 || crate::text::roman_value(token).is_some() {
            continue;
        }
        let word_like = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if word_like(prev) || word_like(next) {
            continue;
        }
        // Part of a symbol: `UNODC/CCPCJ`, `A/RES/74/174`, `T-CY(2015)10`.
        if matches!(prev, Some('/'))
            || matches!(next, Some('/'))
            || (next == Some('.')
                && prose[j + 1..].starts_with(|c: char| c.is_ascii_alphanumeric()))
            || (next == Some('('))
        {
            continue;
        }
        // A definition: `(ONUDC)` or `(« ONUDC »)` after a word.
        let open = prose[..start].trim_end_matches([' ', '«', '\u{a0}', '\u{202f}']);
        let close = prose[j..].trim_start_matches([' ', '»', '\u{a0}', '\u{202f}']);
        let definition = open.ends_with('(')
            && close.starts_with(')')
            && open[..open.len() - 1]
                .trim_end()
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic);
        out.push(AcronymUse {
            span: start..j,
            definition,
        });
    }
    out
}

/// Runs the extraction.
pub fn extract(doc: &Document, config: &crate::config::Config) -> TermMatches {
    TermMatches {
        matches: config.terminology.matcher().find(doc),
        acronyms: find_acronyms(&doc.prose),
    }
}

impl Document {
    /// The term occurrences and acronyms of this document, computed once.
    pub fn terms(&self, config: &crate::config::Config) -> &TermMatches {
        self.cache.terms.get_or_init(|| extract(self, config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        let cases = [
            ("Droits de l ’Homme", "droits de l'homme"),
            ("dark-Web", "dark web"),
            ("dark  \n  Web", "dark web"),
            ("preuves\nélectroniques", "preuves électroniques"),
            ("  x  ", "x"),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "{input}");
        }
    }

    #[test]
    fn offsets_map_back() {
        let text = "Les Preuves\n  Électroniques sont";
        let f = Folded::new(text);
        let s = f.buf.find("preuves électroniques").unwrap();
        let e = s + "preuves électroniques".len();
        assert_eq!(&text[f.original(s, e, text)], "Preuves\n  Électroniques");
    }

    #[test]
    fn french_inflections() {
        let forms: Vec<String> = inflections("preuve électronique", false, true)
            .into_iter()
            .map(|f| f.0)
            .collect();
        for want in [
            "preuve électronique",
            "preuves électroniques",
            "preuve électroniques",
        ] {
            assert!(forms.iter().any(|f| f == want), "{want} in {forms:?}");
        }
        let forms: Vec<String> = inflections("transfrontalier", false, true)
            .into_iter()
            .map(|f| f.0)
            .collect();
        for want in [
            "transfrontalier",
            "transfrontaliers",
            "transfrontalière",
            "transfrontalières",
        ] {
            assert!(forms.iter().any(|f| f == want), "{want} in {forms:?}");
        }
        let forms: Vec<String> = inflections("droits de l'homme", false, true)
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert!(forms.contains(&"droit de l'homme".to_string()));
        assert!(!forms.iter().any(|f| f.ends_with("hommes")));
    }

    #[test]
    fn preferred_inflected_like_variant() {
        let cases = [
            ("preuve électronique", true, false, "preuves électroniques"),
            ("transfrontière", true, true, "transfrontières"),
            ("transfrontalier", false, true, "transfrontalière"),
            (
                "informatique en nuage",
                true,
                false,
                "informatiques en nuage",
            ),
            ("cryptocurrency", true, false, "cryptocurrencies"),
        ];
        for (form, pl, fem, want) in cases {
            let english = form == "cryptocurrency";
            assert_eq!(inflect_as(form, english, true, pl, fem), want);
        }
    }

    #[test]
    fn acronyms() {
        let a = find_acronyms("l'Office (ONUDC) et l'ONUDC, UNODC/CCPCJ/EG.4 et (« TIC »)");
        let got: Vec<(usize, bool)> = a.iter().map(|a| (a.span.start, a.definition)).collect();
        assert_eq!(got, vec![(10, true), (22, false), (53, true)]);
    }
}
