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
    /// Whether the set is English, and whether its forms inflect (for `inflected`).
    english: bool,
    inflect: bool,
    /// Every member inflected by [plural][feminine], computed at its first use (a fix or a
    /// message names a few members of a few sets: computing them all with the matcher cost
    /// more than half a million instructions a run).
    inflected: Vec<OnceLock<[[String; 2]; 2]>>,
}

impl CompiledSet {
    /// Member `member` inflected like the match `m` (number, gender) and capitalised like the
    /// matched text.
    pub fn form_like(&self, member: usize, m: &TermMatch, matched: &str) -> String {
        let inflected = self.inflected[member].get_or_init(|| {
            let form = &self.members[member].0;
            let f = |pl, fem| inflect_as(form, self.english, self.inflect, pl, fem);
            [
                [f(false, false), f(false, true)],
                [f(true, false), f(true, true)],
            ]
        });
        let r = &inflected[m.plural as usize][m.feminine as usize];
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

impl PatInfo {
    /// The match this pattern makes at `at` in the fold, when it stands for a term (an
    /// exception makes none); neither quoted nor a gloss until the caller says so.
    fn term_at(&self, folded: &Folded, at: Span, text: &str) -> Option<TermMatch> {
        let PatKind::Term {
            member,
            plural,
            feminine,
        } = self.kind
        else {
            return None;
        };
        Some(TermMatch {
            set: self.set as usize,
            member: member as usize,
            span: folded.original(at.start, at.end, text),
            folded: at,
            plural,
            feminine,
            quoted: false,
            gloss: false,
            proper_name: false,
        })
    }
}

/// Who reads the matches of a term pattern, for the run scan. A set with at most one member
/// that is not a variant (« cybercriminalité », preferred, beside its variant
/// « cyber-criminalité ») has a quiet member: no rule reads a match of it on its own
/// (`terminology/drift` counts two forms or more that are not variants, in a document or
/// across files; `terminology/preferred` reports variants), and it counts only in a document
/// where a variant of its set is matched, which it may overlap (leftmost-longest within a set)
/// or make a gloss. The sets of custom rules (`owner`) read every match: none is quiet there.
#[derive(Debug, Default, Clone)]
struct Audience {
    /// Whether every term the pattern stands for is a quiet member of its set.
    quiet: bool,
    /// The sets of the terms the pattern stands for.
    sets: Vec<u32>,
    /// The sets with a quiet member that the pattern stands for a variant of.
    wakes: Vec<u32>,
}

impl Audience {
    /// The audience of a pattern standing for `list`.
    fn of(list: &[PatInfo], sets: &[CompiledSet]) -> Audience {
        let mut audience = Audience {
            quiet: true,
            ..Audience::default()
        };
        for info in list {
            let PatKind::Term { member, .. } = info.kind else {
                continue;
            };
            let set = &sets[info.set as usize];
            let has_quiet = set.owner.is_none()
                && set
                    .members
                    .iter()
                    .filter(|(_, role)| *role != Role::Variant)
                    .count()
                    <= 1;
            let variant = set.role(usize::from(member)) == Role::Variant;
            audience.quiet &= has_quiet && !variant;
            audience.sets.push(info.set);
            if has_quiet && variant {
                audience.wakes.push(info.set);
            }
        }
        audience
    }
}

/// Every folded pattern of every set, and the searches over them.
#[derive(Debug)]
pub struct TermMatcher {
    /// Every folded pattern (forms, their inflections and solid spellings, exceptions).
    patterns: Vec<String>,
    /// For each pattern, what it stands for (one string can serve several sets).
    infos: Vec<Vec<PatInfo>>,
    /// The search for French documents and the one for English documents, each built on first
    /// use over the patterns of the sets of its language only (a document is matched against
    /// its language's sets, so the other patterns only cost time).
    searches: [OnceLock<Search>; 2],
    pub sets: Vec<CompiledSet>,
}

/// The searches over the patterns of the sets of one language.
#[derive(Debug)]
struct Search {
    /// The patterns that stand for a set of the language.
    patterns: Vec<String>,
    /// The automaton over `patterns`, for a text folded whole; built on first use, since the
    /// anchored search (the usual one) needs none: building and dropping its DFA cost more
    /// than the whole search of a short file.
    ac: OnceLock<AhoCorasick>,
    /// The prefilter over the raw text; `None` when some term pattern has no usable ASCII
    /// core (then the whole text is folded).
    anchors: Option<Anchors>,
    /// For each pattern, what it stands for in the sets of the language.
    infos: Vec<Vec<PatInfo>>,
    /// For each term pattern, every (set, exception of that set, offset of the pattern in the
    /// exception): where the term lies inside one of its sets' exceptions.
    holders: Vec<Vec<(u32, Box<str>, usize)>>,
    /// How many sets the matcher has (the sets of the other language included).
    set_count: usize,
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
            let inflected = members.iter().map(|_| OnceLock::new()).collect();
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
                english,
                inflect: spec.inflect,
                inflected,
            });
        }
        TermMatcher {
            patterns,
            infos,
            searches: Default::default(),
            sets,
        }
    }

    /// The search over the sets of `lang`, built once.
    fn search(&self, lang: Lang) -> &Search {
        let slot = match lang {
            Lang::Fr => 0,
            Lang::En => 1,
        };
        self.searches[slot]
            .get_or_init(|| Search::build(&self.patterns, &self.infos, &self.sets, lang))
    }

    /// Finds every term of every set that applies to the document's language (`along` as in
    /// `Search::find_with`).
    fn find(&self, doc: &Document, along: &mut dyn FnMut(usize)) -> Vec<TermMatch> {
        let search = self.search(doc.lang);
        search.find_with(doc, search.anchors.as_ref(), true, along)
    }
}

impl Search {
    /// The search over the patterns that stand for a set of `lang` (with only those sets'
    /// infos: the others were dropped at every hit).
    fn build(
        patterns: &[String],
        infos: &[Vec<PatInfo>],
        sets: &[CompiledSet],
        lang: Lang,
    ) -> Search {
        let mut own: Vec<&str> = Vec::new();
        let mut own_infos: Vec<Vec<PatInfo>> = Vec::new();
        for (pattern, list) in patterns.iter().zip(infos) {
            let list: Vec<PatInfo> = list
                .iter()
                .filter(|i| sets[i.set as usize].lang.accepts(lang))
                .copied()
                .collect();
            if !list.is_empty() {
                own.push(pattern);
                own_infos.push(list);
            }
        }
        // Exceptions only ever drop a term they hold, so they need no anchor of their own:
        // each term pattern is anchored with enough reach to fold every exception of its sets
        // that holds it.
        let mut exceptions: HashMap<u32, Vec<&str>> = HashMap::new();
        for (pattern, list) in own.iter().zip(&own_infos) {
            for info in list {
                if matches!(info.kind, PatKind::Exception) {
                    exceptions.entry(info.set).or_default().push(pattern);
                }
            }
        }
        let mut holders: Vec<Vec<(u32, Box<str>, usize)>> = vec![Vec::new(); own.len()];
        let terms: Vec<(usize, &str, Vec<&str>)> = own
            .iter()
            .zip(&own_infos)
            .enumerate()
            .filter_map(|(i, (pattern, list))| {
                let mut held_by: Vec<&str> = Vec::new();
                for info in list {
                    if let PatKind::Term { .. } = info.kind {
                        for &e in exceptions.get(&info.set).into_iter().flatten() {
                            held_by.push(e);
                            for o in occurrences(e, pattern) {
                                holders[i].push((info.set, e.into(), o));
                            }
                        }
                    }
                }
                list.iter()
                    .any(|i| matches!(i.kind, PatKind::Term { .. }))
                    .then_some((i, *pattern, held_by))
            })
            .collect();
        let audiences: Vec<Audience> = own_infos
            .iter()
            .map(|list| Audience::of(list, sets))
            .collect();
        let anchors = Anchors::build(&terms, &audiences, lang);
        Search {
            patterns: own.into_iter().map(str::to_string).collect(),
            ac: OnceLock::new(),
            anchors,
            infos: own_infos,
            holders,
            set_count: sets.len(),
        }
    }

    /// The automaton over every pattern, built once.
    fn automaton(&self) -> &AhoCorasick {
        self.ac.get_or_init(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&self.patterns)
                .expect("term patterns build")
        })
    }

    /// Finds the terms, folding only around the occurrences of `anchors` (the whole text
    /// without). With `quiet_unread`, the anchored search leaves out the matches no rule reads
    /// (those of a quiet member of a set with no variant in the document: see `Audience`).
    /// The text is walked in chunks of `CHUNK` bytes, `along` called with the end of each
    /// (the last one the text's length) for a pass of its own over the chunk.
    fn find_with(
        &self,
        doc: &Document,
        anchors: Option<&Anchors>,
        quiet_unread: bool,
        along: &mut dyn FnMut(usize),
    ) -> Vec<TermMatch> {
        let text = doc.prose.as_str();
        if self.patterns.is_empty() {
            along(text.len());
            return Vec::new();
        }
        let mut quote_scan = QuoteScan::default();
        let mut runs = anchors.map(|a| RunScan::new(a, text, quiet_unread));
        let mut at = 0;
        loop {
            let end = (at + CHUNK).min(text.len());
            quote_scan.scan(text.as_bytes(), at..end);
            // Without anchors after all: the whole text is folded.
            if quote_scan.breaks_fold {
                runs = None;
            }
            if let Some(runs) = runs.as_mut() {
                runs.scan(text, end);
            }
            along(end);
            if end == text.len() {
                break;
            }
            at = end;
        }
        let quotes = quote_scan.quotes;
        let (folded, terms) = match runs.map(|r| (r.anchors, r.finish(text))) {
            Some((anchors, (segments, hits))) => {
                let folded = Folded::of_segments(text, &segments);
                let terms = self.anchored_terms(anchors, &folded, &hits, text);
                (folded, terms)
            }
            None => {
                let folded = Folded::of_segments(text, std::slice::from_ref(&(0..text.len())));
                let terms = self.automaton_terms(&folded, text);
                (folded, terms)
            }
        };
        let buf = folded.buf();
        let mut terms = terms;
        // Leftmost-longest within a set: in order of start, the longest first, each set's
        // matches in the order a sort by set first would give them, and a match dropped when
        // it starts before the end of the last one kept in its set. In fold order, not by set
        // first: the terms come nearly in that order, so the sorts here cost little.
        terms.sort_by_key(|t| (t.folded.start, std::cmp::Reverse(t.folded.end), t.set));
        let mut set_end = vec![0; self.set_count];
        let mut kept: Vec<TermMatch> = Vec::with_capacity(terms.len());
        for t in terms {
            if t.folded.start < set_end[t.set] {
                continue;
            }
            set_end[t.set] = t.folded.end;
            kept.push(t);
        }
        kept.sort_by_key(|t| (t.span.start, t.span.end, t.set));
        // The folded end and set of every match (`end * set_count + set`), sorted, for the
        // gloss test; built at its first use (few terms follow a parenthesis). A match before
        // the current one in the original had to be looked for: one after it starts after the
        // parenthesis, so ends after it too, and never matches. The matches come nearly in
        // order of end: a stable sort finds the runs.
        let end_key = |set: usize, end: usize| end * self.set_count + set;
        let mut ends: Option<Vec<usize>> = None;
        // The quotes up to the current match (the matches come in order of start): the
        // match is quoted when the last quote starting at or before it ends after it.
        let mut quotes_before = 0;
        for i in 0..kept.len() {
            let offset = kept[i].span.start;
            while quotes_before < quotes.len() && quotes[quotes_before].start <= offset {
                quotes_before += 1;
            }
            kept[i].quoted = quotes_before > 0 && quotes[quotes_before - 1].end > offset;
            kept[i].proper_name = in_proper_name(&doc.prose, &kept[i].span);
            // A gloss: « réseaux d'ordinateurs zombies (botnets) ».
            let mut before = &buf[..kept[i].folded.start];
            while let Some(rest) = [" ", "«", "\"", "“"]
                .iter()
                .find_map(|q| before.strip_suffix(q.as_bytes()))
            {
                before = rest;
            }
            if let Some(open) = before.strip_suffix(b"(") {
                // The only whitespace in the fold is ASCII: spaces and the `\n` between
                // segments.
                let open_end = open.trim_ascii_end().len();
                let ends = ends.get_or_insert_with(|| {
                    let mut ends: Vec<usize> =
                        kept.iter().map(|t| end_key(t.set, t.folded.end)).collect();
                    ends.sort();
                    ends
                });
                kept[i].gloss = ends.binary_search(&end_key(kept[i].set, open_end)).is_ok();
            }
        }
        kept
    }
}

impl Search {
    /// The terms around the kept core occurrences `hits` (text offset, core), in the fold of
    /// their segments, not inside an exception of their set. The same terms as
    /// `automaton_terms` on that fold: a pattern occurs in it only where its serving core occurs
    /// in the text with the pattern's context around it in the fold, and an exception holding
    /// a term holds its pattern at one of the offsets listed in `holders`.
    fn anchored_terms(
        &self,
        anchors: &Anchors,
        folded: &Folded,
        hits: &[(usize, usize)],
        text: &str,
    ) -> Vec<TermMatch> {
        let buf = folded.buf();
        let fits_at = |s: usize, want: &str| {
            buf.get(s..s + want.len()) == Some(want.as_bytes()) && boundary(buf, s, s + want.len())
        };
        let mut terms: Vec<TermMatch> = Vec::new();
        let map = folded.map();
        // Every entry of `map` before `lo` is below the current hit's offset: the hits come in
        // text order, so the search for the next one starts where the last one was found,
        // with steps that double (consecutive hits lie a few dozen bytes apart in the fold,
        // a binary search over the whole map took 17 steps a hit).
        let mut lo = 0;
        for &(raw, core) in hits {
            // A core's bytes are copied one for one into the fold (lower-cased): its first
            // byte is the first with `raw` in the map (the map does not decrease, and a space
            // folded before it maps to an earlier offset).
            let mut hi = lo;
            let mut step = 1;
            while let Some(&m) = map.get(hi) {
                if m as usize >= raw {
                    break;
                }
                lo = hi + 1;
                hi = lo + step;
                step *= 2;
            }
            let hi = hi.min(map.len());
            let at = lo + map[lo..hi].partition_point(|&m| (m as usize) < raw);
            lo = at;
            let core_end = at + anchors.core_len[core];
            for (before, after, pattern) in &anchors.contexts[core] {
                let Some(s) = at.checked_sub(before.len()) else {
                    continue;
                };
                let e = core_end + after.len();
                if buf[s..at] != *before.as_bytes()
                    || buf.get(core_end..e) != Some(after.as_bytes())
                    || !boundary(buf, s, e)
                {
                    continue;
                }
                for info in &self.infos[*pattern] {
                    // Inside an exception of its own set: not a use of the term.
                    if self.holders[*pattern].iter().any(|(set, exception, o)| {
                        *set == info.set && s >= *o && fits_at(s - o, exception)
                    }) {
                        continue;
                    }
                    terms.extend(info.term_at(folded, s..e, text));
                }
            }
        }
        terms
    }

    /// The terms of the fold found by the automaton, not inside an exception of their set.
    fn automaton_terms(&self, folded: &Folded, text: &str) -> Vec<TermMatch> {
        let buf = folded.buf();
        let mut terms: Vec<TermMatch> = Vec::new();
        let mut exceptions: Vec<(u32, usize, usize)> = Vec::new();
        for hit in self.automaton().find_overlapping_iter(buf) {
            let (s, e) = (hit.start(), hit.end());
            if !boundary(buf, s, e) {
                continue;
            }
            for info in &self.infos[hit.pattern().as_usize()] {
                match info.kind {
                    PatKind::Exception => exceptions.push((info.set, s, e)),
                    PatKind::Term { .. } => terms.extend(info.term_at(folded, s..e, text)),
                }
            }
        }
        // Inside an exception of its own set: not a use of the term.
        // Sorted by (set, start), with the furthest end reached so far within each set: a term
        // lies in an exception when an exception of its set starting at or before it reaches
        // its end (a binary search instead of a scan of every exception per term).
        exceptions.sort_unstable();
        let mut furthest: Vec<usize> = Vec::with_capacity(exceptions.len());
        for (k, &(set, _, e)) in exceptions.iter().enumerate() {
            let before = furthest.last().filter(|_| exceptions[k - 1].0 == set);
            furthest.push(before.map_or(e, |&f| f.max(e)));
        }
        terms.retain(|t| {
            let set = t.set as u32;
            let first = exceptions.partition_point(|x| x.0 < set);
            let upto = exceptions.partition_point(|x| (x.0, x.1) <= (set, t.folded.start));
            !(upto > first && furthest[upto - 1] >= t.folded.end)
        });
        terms
    }
}

/// Every offset of `needle` in `haystack`, overlapping ones included.
fn occurrences<'a>(haystack: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        let o = from + haystack.get(from..)?.find(needle)?;
        from = o + haystack[o..].chars().next().map_or(1, char::len_utf8);
        Some(o)
    })
}

/// Whether `buf[s..e]` (a fold) starts and ends on word boundaries.
/// A side that ends in an apostrophe (« afin de permettre d' ») needs no boundary.
fn boundary(buf: &[u8], s: usize, e: usize) -> bool {
    // ASCII and Latin-1 letters (nearly every neighbour) by their bytes, in line; the rest
    // through `folded_word_char`.
    let word_at = |i: usize| match buf.get(i) {
        None => false,
        Some(&b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(&b) => folded_word_char(buf, i, b),
    };
    let word_before = |i: usize| {
        let Some(mut k) = i.checked_sub(1) else {
            return false;
        };
        let b = buf[k];
        if b.is_ascii() {
            return b.is_ascii_alphanumeric();
        }
        // A continuation byte: after 0xC3, the end of a Latin-1 letter.
        if k >= 1 && buf[k - 1] == 0xc3 {
            return !matches!(b, 0x97 | 0xb7);
        }
        // Back to the first byte of the character before `i` (UTF-8 continuation bytes are
        // 0b10xx_xxxx).
        while buf[k] & 0xc0 == 0x80 {
            k -= 1;
        }
        folded_word_char(buf, k, buf[k])
    };
    (!word_at(s) || !word_before(s)) && (!word_before(e) || !word_at(e))
}

/// Whether the character at `buf[i]` (a fold; the first byte of a character, `b`) is
/// alphanumeric: ASCII by byte, a Latin-1 letter (led by 0xC3, U+00C0..=U+00FF, every one a
/// letter but × and ÷) by its second byte, else by `char::is_alphanumeric`.
fn folded_word_char(buf: &[u8], i: usize, b: u8) -> bool {
    if b.is_ascii() {
        return b.is_ascii_alphanumeric();
    }
    if b == 0xc3 {
        return !matches!(buf[i + 1], 0x97 | 0xb7);
    }
    let len = if b < 0xe0 {
        2
    } else if b < 0xf0 {
        3
    } else {
        4
    };
    std::str::from_utf8(&buf[i..i + len])
        .expect("the fold is UTF-8")
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric)
}

/// The prose folded for matching, with a map back to original offsets: the whole text, or the
/// segments around the anchors one after the other, a `\n` between two (no folded pattern holds
/// a `\n`, so no hit spans two segments).
struct Folded {
    /// UTF-8: whole characters folded to whole characters, in `buf[..len]` (the rest is left
    /// over from earlier folds: see `SPARE_FOLD`).
    buf: Vec<u8>,
    /// For each byte of the fold, the offset of the original character it came from (`u32`:
    /// half the memory of `usize`), in `map[..len]`.
    map: Vec<u32>,
    /// The length of the fold.
    len: usize,
}

/// The largest fold buffer kept for the next document (a fold is about a tenth of its text:
/// this keeps the buffers of reports up to a few MB, 1.25 MB of memory at most).
const MAX_SPARE_FOLD: usize = 1 << 18;

thread_local! {
    /// The buffers of the last fold, kept whole (not truncated) for the next one: a new
    /// buffer is zeroed before it is written (`calloc`), which cost as much as a tenth of the
    /// fold itself for each report of a run of many (a 2 MB file gets fresh zero pages from
    /// the system, nearly free).
    static SPARE_FOLD: std::cell::Cell<(Vec<u8>, Vec<u32>)> =
        const { std::cell::Cell::new((Vec::new(), Vec::new())) };
}

impl Drop for Folded {
    fn drop(&mut self) {
        if self.buf.len() <= MAX_SPARE_FOLD {
            let buffers = (std::mem::take(&mut self.buf), std::mem::take(&mut self.map));
            SPARE_FOLD.with(|spare| spare.set(buffers));
        }
    }
}

/// The longest quotation (in bytes) taken as one.
const MAX_QUOTE: usize = 2000;

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Whether `b` is an ASCII character folded to its lower case alone: not whitespace, a hyphen or
/// an apostrophe.
const fn is_plain_ascii(b: u8) -> bool {
    b.is_ascii() && !b.is_ascii_whitespace() && b != 0x0b && b != b'-' && b != b'\''
}

/// For each byte, its lower case when `is_plain_ascii` holds, else `NOT_PLAIN`.
const PLAIN_LOWER: [u8; 256] = {
    let mut table = [NOT_PLAIN; 256];
    let mut b = 0;
    while b < 128 {
        if is_plain_ascii(b as u8) {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};
const NOT_PLAIN: u8 = 0xff;

/// Whether a character of the text adds at least one byte to the fold (whitespace and hyphens
/// fold to at most one space per run, a soft hyphen to nothing).
fn adds_to_fold(c: char) -> bool {
    !(c.is_whitespace() || is_hyphen(c) || c == '\u{ad}')
}

/// Whether a segment may start at `c`: a character folded on its own (not part of a run of
/// spaces or an apostrophe, so the fold from it on is the fold of the whole text from it on),
/// and none of the characters the gloss test looks back over (`(`, opening quotes), so that
/// test never looks past the segment start.
fn starts_segment(c: char) -> bool {
    adds_to_fold(c) && !is_apostrophe(c) && !matches!(c, '«' | '"' | '“' | '(')
}

impl Folded {
    /// The fold of the ranges `segments` of `text` one after the other, a `\n` between two.
    /// Each range starts at 0 or at a character for which `starts_segment` holds, so that its
    /// fold is exactly the fold of the whole text over that range.
    fn of_segments(text: &str, segments: &[std::ops::Range<usize>]) -> Folded {
        // (`extract` gives a document of 4 GiB or more no matches: the offsets fit in `u32`.)
        // Written in place, at `n`, into buffers sized for the most the segments can give (one
        // byte per byte, and the `\n`s; `fold_into` grows them in the rare case it needs
        // more), then cut to what was written.
        let most = segments.iter().map(|r| r.len() + 1).sum();
        // The last fold's buffers, whatever they hold (every byte read is written first), or
        // new ones when they are too short (new, not grown: the zeroed memory of a large
        // allocation comes from the system at no cost, where growing writes every zero).
        let (mut buf, mut map) = SPARE_FOLD.with(|spare| spare.take());
        if buf.len() < most {
            (buf, map) = (vec![0; most], vec![0; most]);
        }
        let mut n = 0;
        for range in segments {
            if n > 0 {
                buf[n] = b'\n';
                map[n] = range.start as u32;
                n += 1;
            }
            n = fold_into(&mut buf, &mut map, n, text, range.clone());
        }
        Folded { buf, map, len: n }
    }

    /// The folded text.
    fn buf(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// For each byte of the folded text, the offset of the character it came from.
    fn map(&self) -> &[u32] {
        &self.map[..self.len]
    }

    /// The original span of `buf[s..e]`.
    fn original(&self, s: usize, e: usize, text: &str) -> Span {
        let start = self.map[s] as usize;
        let last = self.map[e - 1] as usize;
        // The length of the character at `last` (a char boundary) from its first byte.
        let end = last
            + match text.as_bytes()[last] {
                0..=0x7f => 1,
                0x80..=0xdf => 2,
                0xe0..=0xef => 3,
                _ => 4,
            };
        start..end
    }
}

/// Writes the fold of `text[range]` into `buf` from `n` on, with its map into `map`, and
/// returns where it ends. `buf` and `map` are as long as each other, and long enough for one
/// byte per byte of `range`: every character adds at most as many bytes as it has but in the
/// generic branch (some lower cases are longer: « Ⱥ » → « ⱥ »), which makes room for itself
/// and the rest; a space is written only for a run of whitespace or hyphens, at least one
/// byte, not written when read.
fn fold_into(
    buf: &mut Vec<u8>,
    map: &mut Vec<u32>,
    mut n: usize,
    text: &str,
    range: std::ops::Range<usize>,
) -> usize {
    let first = n;
    // A run of whitespace and hyphens folds to one space (at the offset of its first
    // character) before the next character that adds to the fold, none at the start.
    let space_before =
        |buf: &mut [u8], map: &mut [u32], n: &mut usize, space_at: &mut Option<usize>| {
            if let Some(sp) = space_at.take() {
                if *n > first {
                    buf[*n] = b' ';
                    map[*n] = sp as u32;
                    *n += 1;
                }
            }
        };
    let bytes = text.as_bytes();
    let mut space_at: Option<usize> = None;
    let mut after_apostrophe = false;
    let mut i = range.start;
    while i < range.end {
        let b = bytes[i];
        // Fast path, the same as the branches below: a run of plain ASCII characters (neither
        // whitespace, hyphen nor apostrophe) and Latin-1 letters (led by 0xC3, U+00C0..=U+00FF,
        // most of French accents), with the single spaces, hyphens and `\n`s between them (a
        // run of one folds to a space at its own offset when the next character is plain: not
        // after an apostrophe, not before one, not at the start). Words are a few bytes long:
        // running on through their single separators saves the outer loop's steps per word.
        if is_plain_ascii(b) || b == 0xc3 {
            space_before(buf, map, &mut n, &mut space_at);
            after_apostrophe = false;
            (i, n) = fold_plain_run(buf, map, n, bytes, i, range.end);
            continue;
        }
        if b == b' ' || b == b'-' || b == b'\n' {
            if !after_apostrophe && space_at.is_none() {
                space_at = Some(i);
            }
            i += 1;
            continue;
        }
        let c = if b.is_ascii() {
            b as char
        } else {
            text[i..].chars().next().expect("char boundary")
        };
        let at = i;
        i += c.len_utf8();
        if c == '\u{ad}' {
            continue;
        }
        if c.is_whitespace() || is_hyphen(c) {
            if !after_apostrophe && space_at.is_none() {
                space_at = Some(at);
            }
            continue;
        }
        if is_apostrophe(c) {
            space_at = None;
            buf[n] = b'\'';
            map[n] = at as u32;
            n += 1;
            after_apostrophe = true;
            continue;
        }
        space_before(buf, map, &mut n, &mut space_at);
        after_apostrophe = false;
        for l in c.to_lowercase() {
            let mut utf8 = [0; 4];
            let l = l.encode_utf8(&mut utf8).as_bytes();
            // Room for this and, as above, for the rest of the segment.
            if buf.len() < n + l.len() + (range.end - i) {
                buf.resize(n + l.len() + (range.end - i), 0);
                map.resize(buf.len(), 0);
            }
            buf[n..n + l.len()].copy_from_slice(l);
            map[n..n + l.len()].fill(at as u32);
            n += l.len();
        }
    }
    n
}

/// Folds the run of plain ASCII characters and Latin-1 letters starting at `bytes[i]` (one of
/// them) up to `end`, with the single spaces, hyphens and `\n`s between two of them, into
/// `buf` and `map` from `n` on; returns where the run and the fold end. Each byte of the run
/// gives one byte of the fold (the room `fold_into` keeps).
fn fold_plain_run(
    buf: &mut [u8],
    map: &mut [u32],
    n: usize,
    bytes: &[u8],
    i: usize,
    end: usize,
) -> (usize, usize) {
    // Over slices of one length (no bounds checks but the Latin-1 pairs' and the next byte's).
    let rest = end - i;
    let (out, out_map) = (&mut buf[n..n + rest], &mut map[n..n + rest]);
    let input = &bytes[i..end];
    let mut k = 0;
    while k < input.len() {
        let x = input[k];
        let lower = PLAIN_LOWER[usize::from(x)];
        if lower != NOT_PLAIN {
            out[k] = lower;
            out_map[k] = (i + k) as u32;
            k += 1;
        } else if x == 0xc3 {
            // A whole character: `end` is a char boundary.
            out[k] = 0xc3;
            out[k + 1] = latin1_lower(input[k + 1]);
            out_map[k] = (i + k) as u32;
            out_map[k + 1] = (i + k) as u32;
            k += 2;
        } else if matches!(x, b' ' | b'-' | b'\n')
            && input
                .get(k + 1)
                .is_some_and(|&next| PLAIN_LOWER[usize::from(next)] != NOT_PLAIN || next == 0xc3)
        {
            // A single space, hyphen or `\n` before a plain character: a space at its offset.
            out[k] = b' ';
            out_map[k] = (i + k) as u32;
            k += 1;
        } else {
            break;
        }
    }
    (i + k, n + k)
}

/// Spans of the text inside « guillemets » or “quotes” (an unbalanced « (OCR) must not swallow
/// the rest of the document: a quotation runs at most `MAX_QUOTE` bytes); and whether the text
/// holds one of the `FOLD_BREAKERS`.
#[cfg(test)]
fn find_quotes(text: &str) -> (Vec<Span>, bool) {
    let mut scan = QuoteScan::default();
    scan.scan(text.as_bytes(), 0..text.len());
    (scan.quotes, scan.breaks_fold)
}

/// The search for quotations and `FOLD_BREAKERS` (`find_quotes`), a chunk of the text at a
/// time.
#[derive(Default)]
struct QuoteScan {
    /// The quotations closed so far, in order.
    quotes: Vec<Span>,
    /// Where the last opening quote not yet closed is.
    open: Option<usize>,
    /// Whether a `FOLD_BREAKERS` character was found.
    breaks_fold: bool,
}

impl QuoteScan {
    /// Reads `b[range]`, the chunk after the ones read so far.
    fn scan(&mut self, b: &[u8], range: std::ops::Range<usize>) {
        let from = range.start;
        let chunk = &b[range];
        // The four quotes are the only characters of UTF-8 forms 0xC2 0xAB/0xBB and 0xE2 0x80
        // 0x9C/0x9D. Searched by their 0xC2 and by their last bytes, not by 0xE2, which leads
        // the frequent ’ (and 0x9C/0x9D end few French letters): the hits come in text order
        // all the same, a quote's first byte taken for its place (a character cut by the
        // chunk's end is read whole from `b`, and found by its one searched byte).
        for i in memchr::memchr3_iter(0xC2, 0x9C, 0x9D, chunk) {
            let i = from + i;
            let (at, opens, len) = match (b[i], b.get(i + 1)) {
                (0xC2, Some(0xAB)) => (i, true, 2),
                (0xC2, Some(0xBB)) => (i, false, 2),
                // The soft hyphen, the one `FOLD_BREAKERS` led by 0xC2.
                (0xC2, Some(0xAD)) => {
                    self.breaks_fold = true;
                    continue;
                }
                (0x9C | 0x9D, _) if i >= 2 && b[i - 2..i] == [0xE2, 0x80] => {
                    (i - 2, b[i] == 0x9C, 3)
                }
                _ => continue,
            };
            if opens {
                self.open = Some(at);
            } else if let Some(o) = self.open.take().filter(|&o| at - o < MAX_QUOTE) {
                self.quotes.push(o..at + len);
            }
        }
        // The other two `FOLD_BREAKERS`, 0xC4 0xB0 and 0xE2 0x84 0xAA, by their rarer bytes
        // 0xC4 and 0x84 (at or after their start).
        self.breaks_fold = self.breaks_fold
            || memchr::memchr2_iter(0xC4, 0x84, chunk).any(|i| {
                let i = from + i;
                FOLD_BREAKERS.iter().any(|f| {
                    let f = f.as_bytes();
                    b[i..].starts_with(f) || (i >= 1 && b[i - 1..].starts_with(f))
                })
            });
    }
}

/// The length of the chunks the text is walked in: the passes that read the whole text (the
/// quotes and fold breakers, the run scan, the acronyms) each read a chunk in turn while it is
/// in the first-level cache, where each of them read the whole text from the next level (some
/// 31 000 first-level misses a pass over 2 MB).
const CHUNK: usize = 4096;

/// The shortest core worth a prefilter: with shorter ones, folding the whole text is as fast.
const MIN_CORE: usize = 3;

/// Characters whose fold breaks the rule that a core in the fold is the same ASCII letters and
/// digits, in any case, in the text, and a whole run of them there: a soft hyphen (dropped)
/// and the two characters whose lower case is ASCII (« İ » → « i̇ », the Kelvin sign → « k »).
/// A text holding one is folded whole.
const FOLD_BREAKERS: [&str; 3] = ["\u{ad}", "\u{130}", "\u{212a}"];

/// What surrounds a core in one pattern: the folded text before it, the folded text after it,
/// and the pattern's index.
type CoreContext = (Box<str>, Box<str>, usize);

/// The bits of a run's slot in [`Anchors::slots`] (4 096 slots of 2 bytes: the table stays in
/// the first-level cache, and with a few dozen cores' first bytes a run that starts like none of
/// them finds an empty slot but about once in a hundred).
const SLOT_BITS: u32 = 12;

/// An empty slot, and the end of a chain of cores in one slot.
const NO_CORE: u16 = u16::MAX;

/// A prefilter over the raw text. Every term pattern holds a core: a whole run of ASCII letters
/// and digits in the pattern (bounded by other characters or by the pattern's ends), at least
/// `MIN_CORE` long. Wherever the pattern appears in the fold, its core appears in the text as a
/// whole run of ASCII letters and digits (ASCII case aside): the fold copies those bytes one for
/// one and turns no other character into one of them (but `FOLD_BREAKERS`, searched apart),
/// and the pattern's word boundaries hold at its ends. So the text is read once as runs of
/// ASCII letters and digits, each run looked up by its first bytes (its length is found and
/// compared only when they start a core), and only segments around the runs that are cores are
/// folded. A run is a whole word or a whole piece
/// of one between accents: a core matches only its own run, where a search for the cores'
/// bytes stopped at every word starting like one (« information » for « informatique »).
#[derive(Debug)]
struct Anchors {
    /// The cores, lower case, each once, as little-endian 8-byte words (the last one
    /// zero-padded): a run is compared with a core a word at a time.
    core_words: Vec<Box<[u64]>>,
    /// For each slot ([`prefix_slot`] of a run's first bytes), the first core in it, or
    /// `NO_CORE`; the others follow in `next_core` (a core and its plural share a slot).
    slots: Box<[u16; 1 << SLOT_BITS]>,
    /// For each core, the next core in its slot, or `NO_CORE`.
    next_core: Vec<u16>,
    /// For each core first in its slot, bit `n` set when a core of the slot is `n` bytes long
    /// (bit 63 for 63 bytes or more): `hit` reads on only for a run of one of those lengths.
    /// A third of the runs that start like a core are other words of the same first bytes
    /// and another length (« commission », « crime », « technique », « droit »).
    slot_lens: Vec<u64>,
    /// The shortest core: shorter runs are not looked up.
    min_len: usize,
    /// The bytes of a run's first 8 that its slot is made of: its first `min_len` bytes, at most
    /// 4 (every run looked up has them).
    key_mask: u64,
    /// For each core: the most folded bytes a pattern holding it has before and after it.
    reach: Vec<(usize, usize)>,
    /// For each core: every (folded text before, folded text after, pattern) it serves, one
    /// per pattern.
    contexts: Vec<Vec<CoreContext>>,
    /// For each core: the (before, after) pairs of its contexts that no other pair of them
    /// implies. A hit none of whose pairs fits the raw text around it (`fits_before`,
    /// `fits_after`) starts no term, and its segment is not folded.
    raw_checks: Vec<Vec<(Box<str>, Box<str>)>>,
    /// The length of each core.
    core_len: Vec<usize>,
    /// For each core: whether every pattern it serves stands for quiet members only (see
    /// [`Audience`]). The scan sets its occurrences aside unchecked, and takes them up only
    /// when a kept hit wakes one of their sets: in most documents a quiet member's matches
    /// (« cybercriminalité », a third of the hits of the bench text) are neither checked nor
    /// folded.
    quiet: Vec<bool>,
    /// For each core: the sets of the terms its patterns stand for.
    core_sets: Vec<Vec<u32>>,
    /// For each core: the sets with a quiet member that one of its patterns stands for a
    /// variant of.
    wakes: Vec<Vec<u32>>,
}

/// What the run scan finds.
struct Found {
    /// The ranges of the text to fold, in order and disjoint.
    segments: Vec<std::ops::Range<usize>>,
    /// The kept core occurrences (text offset, core), in text order.
    hits: Vec<(usize, usize)>,
    /// The occurrences of quiet cores (text offset, core), in text order, not checked yet.
    quiet: Vec<(usize, usize)>,
    /// Whether quiet cores are set aside (else checked like the others).
    set_quiet_aside: bool,
}

/// The whole runs of ASCII letters and digits of `pattern`, `MIN_CORE` bytes or longer.
fn cores_of(pattern: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let b = pattern.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            while i < b.len() && !b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let s = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i - s >= MIN_CORE {
                return Some(s..i);
            }
        }
        None
    })
}

/// The core `pattern` is looked for by. Any of its `cores_of` finds the same terms (each is a
/// whole run of the text wherever the pattern is in the fold), but every run of the text that
/// is the core is checked against the raw text around it (`Anchors::take`), and a kept one is
/// folded: the rarer the word, the less work. In French, the last core of 4 bytes or more: a
/// French term puts its head noun first and what qualifies it after, and the noun is the
/// common word (on the 2 MB bench prefix, « preuves » 1 187 times for 45 « preuves
/// numériques », « droits » 271 times for 40 « droits de l'homme »). Not a shorter one: a
/// core of 3 bytes would have the scan look up every run of 3. The longest core otherwise,
/// and in English, which puts the qualifier first (no bench text measures a choice there).
fn core_of(pattern: &str, lang: Lang) -> Option<std::ops::Range<usize>> {
    let longest = || cores_of(pattern).reduce(|a, b| if b.len() > a.len() { b } else { a });
    match lang {
        Lang::Fr => cores_of(pattern)
            .filter(|c| c.len() >= 4)
            .last()
            .or_else(longest),
        Lang::En => longest(),
    }
}

/// The slot of a run of ASCII letters and digits whose first bytes are `first8` (little-endian):
/// a hash of the bytes `key_mask` keeps (its first ones, all of them in the run) in lower case
/// (`| 0x20`, which leaves digits alone). Not of its length nor of more bytes: working those out
/// for every run (~160 000 on 2 MB) cost more than the few thousand more runs that start like a
/// core (« information », « communiqué ») and are measured and compared in `Anchors::hit`.
#[inline(always)]
fn prefix_slot(first8: u64, key_mask: u64) -> usize {
    let key = (first8 | 0x2020_2020_2020_2020) & key_mask;
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SLOT_BITS)) as usize
}

/// The bit of a run's length in [`Anchors::slot_lens`]: bit 63 for 63 bytes or more.
#[inline(always)]
fn len_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// The 8 bytes of `bytes` from `i` as a little-endian integer, zero-padded past the end.
#[inline(always)]
fn load8(bytes: &[u8], i: usize) -> u64 {
    match bytes.get(i..i + 8) {
        Some(chunk) => u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])),
        None => {
            let mut padded = [0; 8];
            let rest = &bytes[i.min(bytes.len())..];
            padded[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(padded)
        }
    }
}

/// Bit k set when byte `at + k` of `bytes` is an ASCII letter or digit, for k < 64 (bytes past
/// the end are neither).
#[inline]
fn alnum_bits64(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 64) {
        Some(block) => alnum_mask(block.try_into().unwrap_or(&[0; 64])),
        None => {
            let mut padded = [0; 64];
            let rest = &bytes[at.min(bytes.len())..];
            padded[..rest.len()].copy_from_slice(rest);
            alnum_mask(&padded)
        }
    }
}

/// Bit k set when byte k of `block` is an ASCII letter or digit.
#[inline]
fn alnum_mask(block: &[u8; 64]) -> u64 {
    crate::text::alnum_mask64::<false>(block)
}

/// The length of the run of ASCII letters and digits at `bytes[at..]`, for one of 64 bytes or
/// more (out of line: the scan's masks give the others).
#[cold]
#[inline(never)]
fn run_len(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count()
}

impl Anchors {
    /// `terms`: each term pattern (index, text) with the exception patterns of its sets;
    /// `audiences`: each pattern's, by index; `lang`: the language of the sets (which core of
    /// a pattern to look for, `core_of`).
    fn build(
        terms: &[(usize, &str, Vec<&str>)],
        audiences: &[Audience],
        lang: Lang,
    ) -> Option<Anchors> {
        // Each pattern's core, with the most bytes before and after it in the pattern or in an
        // exception that holds the pattern.
        let mut wanted: HashMap<&str, (usize, usize)> = HashMap::new();
        // Each pattern with where its core is.
        let mut anchored: Vec<(usize, &str, std::ops::Range<usize>)> =
            Vec::with_capacity(terms.len());
        for &(index, p, ref holders) in terms {
            let core = core_of(p, lang)?;
            anchored.push((index, p, core.clone()));
            let r = wanted.entry(&p[core.clone()]).or_default();
            r.0 = r.0.max(core.start);
            r.1 = r.1.max(p.len() - core.end);
            for e in holders {
                // Every occurrence, overlapping ones included.
                let mut from = 0;
                while let Some(o) = e[from..].find(p) {
                    let o = from + o;
                    r.0 = r.0.max(o + core.start);
                    r.1 = r.1.max(e.len() - o - core.end);
                    from = o + e[o..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        // A core matches only a whole run of the text: one serves every pattern holding it
        // as a whole run, and no other.
        let mut by_len: Vec<(&str, (usize, usize))> = wanted.into_iter().collect();
        by_len.sort_unstable_by_key(|&(c, _)| (c.len(), c));
        if by_len.len() >= usize::from(NO_CORE) {
            return None;
        }
        let index_of: HashMap<&str, usize> = by_len
            .iter()
            .enumerate()
            .map(|(k, &(c, _))| (c, k))
            .collect();
        let mut contexts: Vec<Vec<CoreContext>> = vec![Vec::new(); by_len.len()];
        for (index, p, core) in anchored {
            contexts[index_of[&p[core.clone()]]].push((
                p[..core.start].into(),
                p[core.end..].into(),
                index,
            ));
        }
        // Where a pair fits, every pair whose `before` is a suffix of its `before` and whose
        // `after` is a prefix of its `after` fits too (the checks read the pattern a character
        // at a time, and the one character whose lower case is two, « İ », is a
        // `FOLD_BREAKERS`): only the pairs no other implies need checking (« droits » serves
        // a dozen patterns).
        let raw_checks = contexts
            .iter()
            .map(|list| {
                let mut pairs: Vec<(Box<str>, Box<str>)> = list
                    .iter()
                    .map(|(b, a, _)| (b.clone(), a.clone()))
                    .collect();
                pairs.sort_unstable();
                pairs.dedup();
                let implied_by =
                    |(b, a): &(Box<str>, Box<str>), (b2, a2): &(Box<str>, Box<str>)| {
                        (b, a) != (b2, a2) && b.ends_with(&**b2) && a.starts_with(&**a2)
                    };
                pairs
                    .iter()
                    .filter(|p| !pairs.iter().any(|q| implied_by(p, q)))
                    .cloned()
                    .collect()
            })
            .collect();
        let mut quiet = vec![true; by_len.len()];
        let mut core_sets: Vec<Vec<u32>> = vec![Vec::new(); by_len.len()];
        let mut wakes: Vec<Vec<u32>> = vec![Vec::new(); by_len.len()];
        for (k, list) in contexts.iter().enumerate() {
            for &(_, _, pattern) in list {
                let audience = &audiences[pattern];
                quiet[k] &= audience.quiet;
                for (from, to) in [
                    (&audience.sets, &mut core_sets[k]),
                    (&audience.wakes, &mut wakes[k]),
                ] {
                    for set in from {
                        if !to.contains(set) {
                            to.push(*set);
                        }
                    }
                }
            }
        }
        let min_len = by_len
            .iter()
            .map(|(c, _)| c.len())
            .min()
            .unwrap_or(MIN_CORE);
        let key_mask = u64::MAX >> (64 - 8 * min_len.min(4));
        let mut slots = Box::new([NO_CORE; 1 << SLOT_BITS]);
        let mut next_core = vec![NO_CORE; by_len.len()];
        for (k, &(core, _)) in by_len.iter().enumerate() {
            let slot = prefix_slot(load8(core.as_bytes(), 0), key_mask);
            next_core[k] = slots[slot];
            slots[slot] = k as u16;
        }
        let mut slot_lens = vec![0; by_len.len()];
        for &first in slots.iter().filter(|&&k| k != NO_CORE) {
            let mut k = first;
            while k != NO_CORE {
                slot_lens[usize::from(first)] |= len_bit(by_len[usize::from(k)].0.len());
                k = next_core[usize::from(k)];
            }
        }
        Some(Anchors {
            core_words: by_len
                .iter()
                .map(|&(c, _)| {
                    let c = c.as_bytes();
                    (0..c.len()).step_by(8).map(|j| load8(c, j)).collect()
                })
                .collect(),
            slots,
            next_core,
            slot_lens,
            min_len,
            key_mask,
            reach: by_len.iter().map(|&(_, r)| r).collect(),
            contexts,
            raw_checks,
            core_len: by_len.iter().map(|(c, _)| c.len()).collect(),
            quiet,
            core_sets,
            wakes,
        })
    }

    /// At the run `text[at..at + len]` (a whole run of ASCII letters and digits, whose first 8
    /// bytes are `first8`) whose slot starts with core `first`: when the run is one of the
    /// slot's cores (ASCII case aside), `take` it. Out of the scan loop (one run in a few dozen
    /// gets here; the test of the slot's lengths in the loop kept more values live there,
    /// spilled and reloaded for every run).
    #[inline(never)]
    fn hit(&self, text: &str, at: usize, len: usize, first8: u64, first: u16, found: &mut Found) {
        if self.slot_lens[usize::from(first)] & len_bit(len) == 0 {
            return;
        }
        let bytes = text.as_bytes();
        let mut k = first;
        let core = loop {
            if k == NO_CORE {
                return;
            }
            if self.core_len[usize::from(k)] == len
                && run_is_core(bytes, at, len, first8, &self.core_words[usize::from(k)])
            {
                break usize::from(k);
            }
            k = self.next_core[usize::from(k)];
        };
        self.take(text, at, core, found);
    }

    /// The hit of `core` at `text[at..]`: set aside when the core is quiet, else kept (`keep`)
    /// when one of its raw checks passes.
    #[inline(never)]
    fn take(&self, text: &str, at: usize, core: usize, found: &mut Found) {
        if found.set_quiet_aside && self.quiet[core] {
            found.quiet.push((at, core));
        } else if self.fits_raw(text, at, core) {
            self.keep(text, at, core, found);
        }
    }

    /// Whether one of the raw checks of `core`, found at `text[s..]`, passes.
    fn fits_raw(&self, text: &str, s: usize, core: usize) -> bool {
        let e = s + self.core_len[core];
        self.raw_checks[core]
            .iter()
            .any(|(b, a)| fits_after(text, e, a) && fits_before(text, s, b))
    }

    /// Keeps the hit of `core` at `text[s..]` (after every kept hit before it) and merges its
    /// segment into the last ones.
    fn keep(&self, text: &str, s: usize, core: usize, found: &mut Found) {
        found.hits.push((s, core));
        let (before, after) = self.reach[core];
        let mut r = segment_around(text, s, s + self.core_len[core], before, after);
        while let Some(last) = found.segments.pop_if(|last| r.start <= last.end) {
            r = last.start.min(r.start)..last.end.max(r.end);
        }
        found.segments.push(r);
    }

    /// Takes up the quiet cores' occurrences of the sets a kept hit wakes (a hit of a core
    /// serving a variant of the set), checked and kept in text order among the kept hits, as
    /// if none had been set aside: then their matches count for the variants' overlaps and
    /// glosses. The others are dropped: no rule reads their matches.
    ///
    /// The woken hits are kept apart, then their hits and segments merged into the kept ones'
    /// (both in text order), instead of every kept hit being kept again with them: the
    /// segments `keep` makes are the union of the hits' ranges, ranges that overlap or touch
    /// joined, whatever the order they come in, and a few dozen hits wake where a couple of
    /// thousand are kept (each `keep` walks the text around its hit).
    fn wake_quiet(&self, text: &str, found: &mut Found) {
        let mut woken: Vec<u32> = Vec::new();
        for &(_, core) in &found.hits {
            for set in &self.wakes[core] {
                if !woken.contains(set) {
                    woken.push(*set);
                }
            }
        }
        let quiet = std::mem::take(&mut found.quiet);
        let mut wake = Found {
            segments: Vec::new(),
            hits: Vec::new(),
            quiet: Vec::new(),
            set_quiet_aside: false,
        };
        for (s, core) in quiet {
            if self.core_sets[core].iter().any(|set| woken.contains(set))
                && self.fits_raw(text, s, core)
            {
                self.keep(text, s, core, &mut wake);
            }
        }
        if wake.hits.is_empty() {
            return;
        }
        // Two runs in text order, merged (no two hits start at one offset: one run, one core).
        let kept = std::mem::take(&mut found.hits);
        found.hits = Vec::with_capacity(kept.len() + wake.hits.len());
        let (mut k, mut w) = (
            kept.into_iter().peekable(),
            wake.hits.into_iter().peekable(),
        );
        while let Some(next) = match (k.peek(), w.peek()) {
            (Some(a), Some(b)) if a.0 < b.0 => k.next(),
            (Some(_), None) => k.next(),
            _ => w.next(),
        } {
            found.hits.push(next);
        }
        // Two lists of disjoint ranges in order, each range apart from the next by a byte at
        // least: their union, ranges that overlap or touch joined, as `keep` joins them.
        let kept = std::mem::take(&mut found.segments);
        let mut merged: Vec<std::ops::Range<usize>> =
            Vec::with_capacity(kept.len() + wake.segments.len());
        let (mut k, mut w) = (
            kept.into_iter().peekable(),
            wake.segments.into_iter().peekable(),
        );
        while let Some(r) = match (k.peek(), w.peek()) {
            (Some(a), Some(b)) if a.start < b.start => k.next(),
            (Some(_), None) => k.next(),
            _ => w.next(),
        } {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        found.segments = merged;
    }
}

/// The run scan of a text for the cores of `anchors`, a chunk at a time (`scan`), then
/// `finish`: the ranges of `text` to fold, in order and disjoint (around each occurrence of a
/// core, enough text for the longest pattern holding it plus one character each side, for
/// the word-boundary test, started where `starts_segment` holds), and those occurrences (text
/// offset, core), in text order. The text must hold no `FOLD_BREAKERS` character. With
/// `set_quiet_aside`, the occurrences of quiet cores are left out unless a kept hit wakes
/// their set (`wake_quiet`).
struct RunScan<'a> {
    anchors: &'a Anchors,
    /// The next block of 64 bytes to scan.
    block: usize,
    /// Bit k set when byte `block + k` is an ASCII letter or digit.
    alnum: u64,
    /// 1 when the byte before `block` is one.
    last_before: u64,
    /// The segments merged as they come (in order and disjoint, like a sort by start then a
    /// merge of the ranges that overlap or touch: the hits come in text order, so every range
    /// kept so far starts before the new one's core ends, and those that reach its start are
    /// the last ones), and the hits.
    found: Found,
}

impl<'a> RunScan<'a> {
    fn new(anchors: &'a Anchors, text: &str, set_quiet_aside: bool) -> RunScan<'a> {
        RunScan {
            anchors,
            block: 0,
            alnum: alnum_bits64(text.as_bytes(), 0),
            last_before: 0,
            found: Found {
                segments: Vec::new(),
                hits: Vec::new(),
                quiet: Vec::new(),
                set_quiet_aside,
            },
        }
    }

    /// Scans the blocks of 64 bytes that start before `until` (a multiple of 64, or the
    /// text's length), each read with the next one (for the runs that go on into it).
    fn scan(&mut self, text: &str, until: usize) {
        let anchors = self.anchors;
        let bytes = text.as_bytes();
        let (mut block, mut alnum, mut last_before) = (self.block, self.alnum, self.last_before);
        let four = anchors.min_len >= 4;
        while block < until {
            let next = alnum_bits64(bytes, block + 64);
            // Starts of runs of at least 3 bytes (every core's length), or 4 when no core is
            // shorter (the usual case, by a branch the processor learns).
            let follows = |d: u32| alnum >> d | next << (64 - d);
            let mut starts = alnum & !(alnum << 1 | last_before) & follows(1) & follows(2);
            if four {
                starts &= follows(3);
            }
            let (stop_here, stop_next) = (!alnum, !next << 1);
            // The 8 bytes at a start are read from `ahead` (every start of the block has 8
            // bytes there) unless the block is within 72 bytes of the end.
            let ahead: Option<&[u8; 72]> =
                bytes.get(block..block + 72).and_then(|b| b.try_into().ok());
            while starts != 0 {
                let p = starts.trailing_zeros() as usize;
                starts &= starts - 1;
                let at = block + p;
                let first8 = match ahead {
                    Some(ahead) => {
                        u64::from_le_bytes(ahead[p & 63..(p & 63) + 8].try_into().unwrap_or([0; 8]))
                    }
                    None => load8(bytes, at),
                };
                let first = anchors.slots[prefix_slot(first8, anchors.key_mask)];
                if first != NO_CORE {
                    // The bytes that are not letters or digits from `at` on, 64 of them (this
                    // block's from `p`, then the next one's; two shifts, none by 64).
                    let stops = stop_here >> p | stop_next << (63 - p);
                    let mut len = stops.trailing_zeros() as usize;
                    if len == 64 {
                        len = run_len(bytes, at);
                    }
                    anchors.hit(text, at, len, first8, first, &mut self.found);
                }
            }
            last_before = alnum >> 63;
            alnum = next;
            block += 64;
        }
        (self.block, self.alnum, self.last_before) = (block, alnum, last_before);
    }

    /// The segments and hits, once the whole text is scanned.
    #[allow(clippy::type_complexity)]
    fn finish(mut self, text: &str) -> (Vec<std::ops::Range<usize>>, Vec<(usize, usize)>) {
        if !self.found.quiet.is_empty() {
            self.anchors.wake_quiet(text, &mut self.found);
        }
        (self.found.segments, self.found.hits)
    }
}

/// Whether the run of ASCII letters and digits `bytes[at..at + len]`, whose first 8 bytes are
/// `first8`, is the core `words` of the same length (lower case, as 8-byte words): a word at a
/// time, each in lower case by `| 0x20` (which leaves digits alone), the bytes past the run
/// masked off (a byte at a time cost a dozen instructions a byte, most of the hit path).
#[inline]
fn run_is_core(bytes: &[u8], at: usize, len: usize, first8: u64, words: &[u64]) -> bool {
    const LOWER: u64 = 0x2020_2020_2020_2020;
    words.iter().enumerate().all(|(j, &want)| {
        let got = if j == 0 {
            first8
        } else {
            load8(bytes, at + 8 * j)
        };
        let left = len - 8 * j;
        let mask = if left >= 8 {
            u64::MAX
        } else {
            u64::MAX >> (64 - 8 * left)
        };
        (got | LOWER) & mask == want
    })
}

fn is_space_or_hyphen(c: char) -> bool {
    c.is_whitespace() || is_hyphen(c)
}

/// An apostrophe or a soft hyphen: the fold drops or adds spaces around it, so the raw-neighbour
/// checks ([`fits_after`], [`fits_before`]) give up there.
fn unpredictable_fold(c: char) -> bool {
    is_apostrophe(c) || c == '\u{ad}'
}

/// The lower case of the Latin-1 letter (U+00C0..=U+00FF) whose UTF-8 second byte is `second`
/// (the first is 0xC3): 0x20 above for U+00C0..=U+00DE but × (U+00D7), else the letter itself;
/// the same as `char::to_lowercase` for these (the test `latin1_letters_fold_to_their_lower_case`).
fn latin1_lower(second: u8) -> u8 {
    if second <= 0x9e && second != 0x97 {
        second + 0x20
    } else {
        second
    }
}

/// Whether the fold of `text` from `i` on may start with `pattern` (a folded text), as far as
/// raw characters tell: `false` only when it surely does not. Follows `fold_into`:
/// a run of whitespace and hyphens folds to one space, any other character to its lower case;
/// an apostrophe or soft hyphen near (they drop or add spaces) gives up with `true`. `text[..i]`
/// ends in a core byte (ASCII, not a space or apostrophe), so a run starting at `i` is not
/// after an apostrophe.
fn fits_after(text: &str, mut i: usize, pattern: &str) -> bool {
    let bytes = text.as_bytes();
    let want = pattern.as_bytes();
    // `k`: the byte of `pattern` to match next (always at a character boundary).
    let mut k = 0;
    while k < want.len() {
        if i >= text.len() {
            return false;
        }
        let p = want[k];
        if p == b'\'' {
            return true;
        }
        // Fast paths, the same as the generic branch below for a plain ASCII character and a
        // Latin-1 letter (neither is whitespace, a hyphen, an apostrophe or a soft hyphen)
        // when the pattern wants no space there: the character's lower case against the
        // pattern's next bytes.
        let b = bytes[i];
        if p != b' ' {
            if is_plain_ascii(b) {
                if PLAIN_LOWER[usize::from(b)] != p {
                    return false;
                }
                i += 1;
                k += 1;
                continue;
            }
            if b == 0xc3 {
                if want.get(k..k + 2) != Some(&[0xc3, latin1_lower(bytes[i + 1])]) {
                    return false;
                }
                i += 2;
                k += 2;
                continue;
            }
        }
        let p = pattern[k..].chars().next().expect("a char boundary");
        let c = char_at(text, i);
        if unpredictable_fold(c) {
            return true;
        }
        if p == ' ' {
            if !is_space_or_hyphen(c) {
                return false;
            }
            while i < text.len() && is_space_or_hyphen(char_at(text, i)) {
                i += char_at(text, i).len_utf8();
            }
            // A run before an apostrophe folds to nothing.
            if i < text.len() && unpredictable_fold(char_at(text, i)) {
                return true;
            }
            k += 1;
            continue;
        }
        // Here a run of spaces folds to a space or, before an apostrophe, to nothing: neither
        // is `p`.
        if is_space_or_hyphen(c) {
            return false;
        }
        // Every character of the lower case of `c` against the pattern's next ones.
        for l in c.to_lowercase() {
            if !pattern[k..].starts_with(l) {
                return false;
            }
            k += l.len_utf8();
        }
        i += c.len_utf8();
    }
    true
}

/// Whether the fold of `text[..i]` may end with `pattern`: `fits_after` read backwards.
/// `text[i..]` starts with a core byte (not an apostrophe), so a run ending at `i` folds to a
/// space unless an apostrophe comes before it.
fn fits_before(text: &str, mut i: usize, pattern: &str) -> bool {
    let bytes = text.as_bytes();
    let want = pattern.as_bytes();
    // `pattern[..k]`: what is left to match, from its end (`k` always at a character boundary).
    let mut k = want.len();
    while k > 0 {
        if i == 0 {
            return false;
        }
        let p = want[k - 1];
        if p == b'\'' {
            return true;
        }
        // The fast paths of `fits_after`, backwards: a Latin-1 letter ends in a continuation
        // byte after its 0xC3.
        let b = bytes[i - 1];
        if p != b' ' {
            if is_plain_ascii(b) {
                if PLAIN_LOWER[usize::from(b)] != p {
                    return false;
                }
                i -= 1;
                k -= 1;
                continue;
            }
            if i >= 2 && bytes[i - 2] == 0xc3 && b & 0xc0 == 0x80 {
                if k < 2 || want[k - 2..k] != [0xc3, latin1_lower(b)] {
                    return false;
                }
                i -= 2;
                k -= 2;
                continue;
            }
        }
        let p = pattern[..k].chars().next_back().expect("a char boundary");
        let c = char_before(text, i);
        if unpredictable_fold(c) {
            return true;
        }
        if p == ' ' {
            if !is_space_or_hyphen(c) {
                return false;
            }
            while i > 0 && is_space_or_hyphen(char_before(text, i)) {
                i -= char_before(text, i).len_utf8();
            }
            // A run after an apostrophe folds to nothing.
            if i > 0 && unpredictable_fold(char_before(text, i)) {
                return true;
            }
            k -= 1;
            continue;
        }
        if is_space_or_hyphen(c) {
            return false;
        }
        // The lower case of `c`, last character first, is the pattern read backwards.
        for l in c.to_lowercase().rev() {
            if !pattern[..k].ends_with(l) {
                return false;
            }
            k -= l.len_utf8();
        }
        i -= c.len_utf8();
    }
    true
}

/// The range to fold around a core at `text[s..e]`: at least `before` + 1 characters that add
/// to the fold before it (each adds a byte or more), back to where `starts_segment` holds, and
/// `after` + 1 such characters after it.
fn segment_around(
    text: &str,
    s: usize,
    e: usize,
    before: usize,
    after: usize,
) -> std::ops::Range<usize> {
    let bytes = text.as_bytes();
    // For an ASCII byte, `adds_to_fold` is `is_plain_ascii` or an apostrophe; a Latin-1
    // character (0xC3 and a continuation byte, U+00C0..=U+00FF) is neither whitespace, a
    // hyphen nor a soft hyphen, so it adds to the fold (the generic branch, without decoding).
    let mut start = s;
    let mut count = 0;
    while start > 0 && count <= before {
        let b = bytes[start - 1];
        if b.is_ascii() {
            start -= 1;
            count += usize::from(is_plain_ascii(b) || b == b'\'');
        } else if start >= 2 && bytes[start - 2] == 0xc3 && b & 0xc0 == 0x80 {
            start -= 2;
            count += 1;
        } else {
            let c = char_before(text, start);
            start -= c.len_utf8();
            count += usize::from(adds_to_fold(c));
        }
    }
    while start > 0 && !starts_segment(char_at(text, start)) {
        start -= char_before(text, start).len_utf8();
    }
    let mut end = e;
    let mut count = 0;
    while end < text.len() && count <= after {
        let b = bytes[end];
        if b.is_ascii() {
            end += 1;
            count += usize::from(is_plain_ascii(b) || b == b'\'');
        } else if b == 0xc3 {
            end += 2;
            count += 1;
        } else {
            let c = char_at(text, end);
            end += c.len_utf8();
            count += usize::from(adds_to_fold(c));
        }
    }
    start..end
}

/// The character at byte `i` of `text` (a char boundary), ASCII first.
fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        b as char
    } else {
        text[i..].chars().next().expect("not at the end")
    }
}

/// The character ending at byte `i` of `text` (a char boundary, not 0), ASCII first.
fn char_before(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i - 1];
    if b.is_ascii() {
        b as char
    } else {
        text[..i].chars().next_back().expect("not at the start")
    }
}

/// Folds a form the way the prose is folded.
pub fn fold(s: &str) -> String {
    let f = Folded::of_segments(s, std::slice::from_ref(&(0..s.len())));
    String::from_utf8(f.buf().to_vec()).expect("the fold of a str is UTF-8")
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
    /// Capitalised inside a run of capitalised words: part of a proper name (« Anti-Phishing
    /// Working Group »), not a use of the term. Decided here, where the text around the match
    /// is in cache: the cross-file rules read the matches of every file of a run, and going
    /// back to each file's text for this cost more than their whole work (round 11).
    pub proper_name: bool,
}

impl TermMatch {
    /// Whether the match is the author's own use of the term (not quoted, not a gloss).
    pub fn is_use(&self) -> bool {
        !self.quoted && !self.gloss
    }
}

/// Whether a capitalised match sits inside a run of capitalised words, i.e. is part of a proper
/// name (« Anti-Phishing Working Group », « Google Cloud »), not a use of the term.
fn in_proper_name(text: &str, span: &Span) -> bool {
    if !text[span.clone()].starts_with(char::is_uppercase) {
        return false;
    }
    let capitalised = |w: Option<&str>| {
        w.and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    };
    let sep = |c: char| c.is_whitespace() || c == '-';
    let next = text[span.end..]
        .trim_start_matches(sep)
        .split(|c: char| !c.is_alphanumeric())
        .next();
    let before = text[..span.start].trim_end_matches(sep);
    let prev = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .filter(|w| !w.is_empty());
    // A capitalised word before counts only when it does not start the sentence.
    let prev_mid_sentence = prev.is_some_and(|w| {
        let head = before[..before.len() - w.len()].trim_end();
        !(head.is_empty()
            || head.ends_with(['.', '!', '?', ':'])
            || head.ends_with(|c: char| c.is_ascii_digit()))
    });
    capitalised(next) || (capitalised(prev) && prev_mid_sentence)
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

/// Whether `b` may follow the first capital of an acronym: a capital, a digit or a hyphen.
fn continues_acronym(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'
}

/// `Ok` with the index of the first ASCII capital at or after `i` that `continues_acronym`
/// follows (where an acronym can start: a capital followed by anything else would be a token of
/// one capital, skipped), or `bytes.len()`; or `Err` with where to go on, at or after `limit`,
/// when none is in the blocks that start before `limit` (the walk's chunk). Out of line:
/// inlined into `extract`, the vector loop cost 0.3 M instructions more on a 2 MB text.
#[inline(never)]
fn next_acronym_start(bytes: &[u8], mut i: usize, limit: usize) -> Result<usize, usize> {
    const BLOCK: usize = 128;
    const LANE: usize = 16;
    let starts = |pair: &[u8]| pair[0].is_ascii_uppercase() && continues_acronym(pair[1]);
    // Capitals are rare in prose and such pairs rarer: a block of 128 pairs is tested at once
    // for a capital followed by a byte in b'-'..=b'Z' (a hyphen, digits, capitals and a few
    // punctuation marks), then the lanes of 16 pairs of a block that has one, and only a lane
    // that has one is scanned pair by pair.
    while let Some(block) = bytes.get(i..i + BLOCK + 1) {
        if i >= limit {
            return Err(i);
        }
        if may_start_acronym::<BLOCK>(block) {
            for lane in (0..BLOCK).step_by(LANE) {
                let pairs = &block[lane..lane + LANE + 1];
                if may_start_acronym::<LANE>(pairs) {
                    if let Some(k) = pairs.windows(2).position(starts) {
                        return Ok(i + lane + k);
                    }
                }
            }
        }
        i += BLOCK;
    }
    Ok(bytes
        .get(i..)
        .and_then(|rest| rest.windows(2).position(starts))
        .map_or(bytes.len(), |k| i + k))
}

/// Whether one of the `N` pairs of `bytes` (`N + 1` bytes, each but the last with the next)
/// is a capital followed by a byte in b'-'..=b'Z': every pair where an acronym starts, and a
/// few more. With no early exit and in one lane-wise minimum, a loop the compiler turns into
/// six vector instructions per 16 pairs: the capital's distance from b'A' and the follower's
/// distance from b'-' less 20 (`saturating_sub`: `b'Z' - b'-'` is 45, 20 more than
/// `b'Z' - b'A'`) are both at most 25 exactly when the pair is one of those (bytes below the
/// bounds wrap to large distances).
fn may_start_acronym<const N: usize>(bytes: &[u8]) -> bool {
    let capitals: &[u8; N] = bytes[..N].try_into().expect("N pairs");
    let followers: &[u8; N] = bytes[1..=N].try_into().expect("N pairs");
    const SPAN: u8 = b'Z' - b'A';
    const WIDER: u8 = (b'Z' - b'-') - SPAN;
    let mut least = u8::MAX;
    for k in 0..N {
        let capital = capitals[k].wrapping_sub(b'A');
        let follower = followers[k].wrapping_sub(b'-').saturating_sub(WIDER);
        least = least.min(capital.max(follower));
    }
    least <= SPAN
}

/// Finds the acronyms of the prose: runs of 2-10 capitals (digits and one inner hyphen
/// allowed, « T-CY »), not part of a document symbol (`UNODC/CCPCJ/…`).
#[cfg(test)]
fn find_acronyms(prose: &str) -> Vec<AcronymUse> {
    let mut scan = AcronymScan::default();
    scan.scan(prose, prose.len());
    scan.found
}

/// The search for acronyms (`find_acronyms`), a chunk of the text at a time.
#[derive(Default)]
struct AcronymScan {
    /// Where to go on.
    i: usize,
    /// The acronyms found so far, in text order.
    found: Vec<AcronymUse>,
}

impl AcronymScan {
    /// Reads on up to `limit` (the end of the walk's chunk; the last block read and an acronym
    /// found there may go past it).
    fn scan(&mut self, prose: &str, limit: usize) {
        let bytes = prose.as_bytes();
        while self.i < bytes.len() {
            // Only an ASCII capital followed by another, a digit or a hyphen starts an acronym.
            match next_acronym_start(bytes, self.i, limit) {
                Err(resume) => {
                    self.i = resume;
                    return;
                }
                Ok(start) if start >= bytes.len() => self.i = start,
                Ok(start) => self.i = acronym_at(prose, start, &mut self.found),
            }
        }
    }
}

/// Reads the token at `start` (where an acronym can start) and adds it to `out` when it is an
/// acronym; returns where to look for the next one.
fn acronym_at(prose: &str, start: usize, out: &mut Vec<AcronymUse>) -> usize {
    let bytes = prose.as_bytes();
    let prev = prose[..start].chars().next_back();
    let mut j = start;
    while j < bytes.len()
        && (bytes[j].is_ascii_uppercase()
            || bytes[j].is_ascii_digit()
            || (bytes[j] == b'-' && j + 1 < bytes.len() && bytes[j + 1].is_ascii_uppercase()))
    {
        j += 1;
    }
    let next = prose[j..].chars().next();
    let resume = j.max(start + 1);
    let token = &prose[start..j];
    let caps = token.bytes().filter(u8::is_ascii_uppercase).count();
    if caps < 2 || token.len() > 12 || crate::text::roman_value(token).is_some() {
        return resume;
    }
    let word_like = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    if word_like(prev) || word_like(next) {
        return resume;
    }
    // Part of a symbol: `UNODC/CCPCJ`, `A/RES/74/174`, `T-CY(2015)10`.
    if matches!(prev, Some('/'))
        || matches!(next, Some('/'))
        || (next == Some('.') && prose[j + 1..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        || (next == Some('('))
    {
        return resume;
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
    resume
}

/// Runs the extraction.
pub fn extract(doc: &Document, config: &crate::config::Config) -> TermMatches {
    // The fold maps back to the text with `u32` offsets: a document of 4 GiB or more gets no
    // term matches (as it gets no word tokens) rather than wrong offsets or a panic.
    if u32::try_from(doc.prose.len()).is_err() {
        return TermMatches {
            matches: Vec::new(),
            acronyms: Vec::new(),
        };
    }
    // The acronyms are found along the term search's walk over the text, a chunk at a time.
    let mut acronyms = AcronymScan::default();
    let matches = config
        .terminology
        .matcher()
        .find(doc, &mut |limit| acronyms.scan(&doc.prose, limit));
    TermMatches {
        matches,
        acronyms: acronyms.found,
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
    fn next_acronym_start_matches_a_byte_scan() {
        // every pair of byte classes at every position around the block and lane edges, among
        // lower-case and non-ASCII bytes, searched from every offset near the pair and the
        // edges (the bounds of the block test: @ [ , - . Z)
        let classes = [
            b'A', b'Z', b'@', b'[', b'0', b'9', b'-', b',', b'.', b'a', b' ', 0xc3, 0xff,
        ];
        let len = 2 * 128 + 20;
        for &x in &classes {
            for &y in &classes {
                for pos in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[3] = 0xc3;
                    bytes[200] = b'B';
                    bytes[pos] = x;
                    if pos + 1 < bytes.len() {
                        bytes[pos + 1] = y;
                    }
                    let near = [0, 1, 15, 16, 17, 127, 128, 129, 130, 255, 256, 257];
                    let froms = (pos.saturating_sub(2)..pos + 3).chain(near);
                    for from in froms.filter(|&f| f < len) {
                        let want = (from..bytes.len())
                            .find(|&k| {
                                bytes[k].is_ascii_uppercase()
                                    && bytes.get(k + 1).is_some_and(|&b| continues_acronym(b))
                            })
                            .unwrap_or(bytes.len());
                        assert_eq!(
                            next_acronym_start(&bytes, from, bytes.len()),
                            Ok(want),
                            "{x} {y} at {pos} from {from}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn find_quotes_sees_every_fold_breaker() {
        for f in FOLD_BREAKERS {
            for text in [format!("a{f}b"), f.to_string(), format!("« x » ’{f}")] {
                assert!(find_quotes(&text).1, "{text:?}");
            }
        }
        assert!(!find_quotes("« x » “y” ’ ° ™ Ä ą").1);
        assert_eq!(find_quotes("a « b » “c” »").0, vec![2..9, 10..17]);
    }

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
    fn latin1_letters_fold_to_their_lower_case() {
        for c in '\u{c0}'..='\u{ff}' {
            let want: String = c.to_lowercase().collect();
            assert_eq!(fold(&format!("a {c}B")), format!("a {want}b"), "{c}");
            assert_eq!(fold(&format!("l' {c}")), format!("l'{want}"), "{c}");
        }
        // Lower cases longer than their capitals, past the room of one byte per byte.
        assert_eq!(fold("ȺȺȺ Ⱦ-Ⱦ"), "ⱥⱥⱥ ⱦ ⱦ");
        let text = "x Éé y";
        let f = Folded::of_segments(text, std::slice::from_ref(&(0..text.len())));
        assert_eq!(f.map(), [0, 1, 2, 2, 4, 4, 6, 7]);
    }

    #[test]
    fn offsets_map_back() {
        let text = "Les Preuves\n  Électroniques sont";
        let f = Folded::of_segments(text, std::slice::from_ref(&(0..text.len())));
        let s = std::str::from_utf8(f.buf())
            .unwrap()
            .find("preuves électroniques")
            .unwrap();
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
    fn fold_breakers_are_the_only_non_ascii_characters_folded_to_ascii() {
        for c in (0x80..=0x10ffff).filter_map(char::from_u32) {
            let to_ascii = c.to_lowercase().any(|l| l.is_ascii());
            let breaker = FOLD_BREAKERS.iter().any(|b| b.starts_with(c));
            assert!(!to_ascii || breaker, "{c:?} folds to ASCII");
        }
    }

    /// The fold character by character, by the rules `fold_into` states (its generic branch
    /// alone): the oracle for its fast paths.
    fn fold_by_chars(text: &str) -> (Vec<u8>, Vec<u32>) {
        let (mut buf, mut map) = (Vec::new(), Vec::new());
        let mut space_at: Option<usize> = None;
        let mut after_apostrophe = false;
        for (at, c) in text.char_indices() {
            if c == '\u{ad}' {
                continue;
            }
            if c.is_whitespace() || is_hyphen(c) {
                if !after_apostrophe && space_at.is_none() {
                    space_at = Some(at);
                }
                continue;
            }
            if is_apostrophe(c) {
                space_at = None;
                buf.push(b'\'');
                map.push(at as u32);
                after_apostrophe = true;
                continue;
            }
            if let Some(sp) = space_at.take().filter(|_| !buf.is_empty()) {
                buf.push(b' ');
                map.push(sp as u32);
            }
            after_apostrophe = false;
            for l in c.to_lowercase() {
                for &b in l.encode_utf8(&mut [0; 4]).as_bytes() {
                    buf.push(b);
                    map.push(at as u32);
                }
            }
        }
        (buf, map)
    }

    #[test]
    fn fold_fast_paths_fold_like_the_characters() {
        let mut texts = crate::test_support::seed_texts();
        let seeds = texts.len();
        for k in 0..seeds {
            let t = texts[k].clone();
            texts.push(t.to_uppercase());
            texts.push(t.replace(' ', "-"));
            texts.push(t.replace(' ', " \n\u{a0} "));
            texts.push(t.replace(' ', "  ").replace('e', "-"));
            texts.push(t.replace('\'', " ’ ").replace('’', "' "));
        }
        texts.extend(
            [
                "a -b",
                "a- b",
                "a--b",
                "-a-",
                " a ",
                "é é-É\nÀ",
                "x\u{a0}y",
                "l' homme",
                "l 'homme",
                "ȺB Ⱥ-b",
                "ab ",
                "a  b",
                "a\r\nb",
                "×÷ Ø",
                "a\u{ad}b",
                "a\u{ad} b",
                "a\tb",
                "a\x0bb",
                "a\x01b",
                "Straße",
                "İstanbul",
                "é",
                "-",
                "' a",
            ]
            .map(str::to_string),
        );
        for text in &texts {
            let folded = Folded::of_segments(text, std::slice::from_ref(&(0..text.len())));
            let (buf, map) = fold_by_chars(text);
            assert_eq!(folded.buf(), buf, "{text:?}");
            assert_eq!(folded.map(), map, "{text:?}");
        }
    }

    #[test]
    fn boundary_reads_characters_like_char_is_alphanumeric() {
        let word_at = |t: &str, i: usize| t[i..].chars().next().is_some_and(char::is_alphanumeric);
        let word_before = |t: &str, i: usize| {
            t[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        };
        let mut texts = crate::test_support::seed_texts();
        texts.push("a×b ÷c d² éÀ ÿ’x ŉ·y ß_z 3½ Ⱥb".to_string());
        for text in &texts {
            let mut cut = text.len().min(20_000);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let folded = fold(&text[..cut]);
            let starts: Vec<usize> = folded.char_indices().map(|(i, _)| i).collect();
            for (k, &s) in starts.iter().enumerate() {
                for &e in starts[k + 1..].iter().take(6).chain([&folded.len()]) {
                    let want = (!word_at(&folded, s) || !word_before(&folded, s))
                        && (!word_before(&folded, e) || !word_at(&folded, e));
                    assert_eq!(
                        boundary(folded.as_bytes(), s, e),
                        want,
                        "{folded:?} {s} {e}"
                    );
                }
            }
        }
    }

    #[test]
    fn alnum_masks_agree_with_a_byte_test() {
        let by_bytes = |block: &[u8; 64]| -> u64 {
            (0..64)
                .filter(|&k| block[k].is_ascii_alphanumeric())
                .map(|k| 1u64 << k)
                .sum()
        };
        let mut blocks: Vec<[u8; 64]> = Vec::new();
        for b in 0..=255u8 {
            for k in 0..64 {
                let mut block = [b'a'; 64];
                block[k] = b;
                blocks.push(block);
                let mut block = [b' '; 64];
                block[k] = b;
                blocks.push(block);
            }
        }
        for text in crate::test_support::seed_texts() {
            for chunk in text.as_bytes().chunks_exact(64) {
                blocks.push(chunk.try_into().unwrap());
            }
        }
        for block in &blocks {
            assert_eq!(alnum_mask(block), by_bytes(block));
            assert_eq!(
                crate::text::alnum_mask64_words::<false>(block),
                by_bytes(block)
            );
        }
    }

    #[test]
    fn run_is_core_matches_a_byte_compare() {
        // cores of 3 to 19 bytes (one to three words) against themselves in lower and upper
        // case and with their last byte changed, after 0 to 9 other bytes, the text ending
        // right after the run or going on with other bytes
        let cores = [
            "cybercriminalit3xyz",
            "ab1",
            "ransomwares",
            "droits",
            "x9y8z7w6v5u4t3",
        ];
        for core in cores {
            let words: Vec<u64> = (0..core.len())
                .step_by(8)
                .map(|j| load8(core.as_bytes(), j))
                .collect();
            for variant in [
                core.to_string(),
                core.to_ascii_uppercase(),
                format!("{}Q", &core[..core.len() - 1]),
            ] {
                for pad in 0..10 {
                    for tail in ["", " ", "é", "-Z"] {
                        let text = format!("{}{variant}{tail}", ".".repeat(pad));
                        let bytes = text.as_bytes();
                        let want = variant.eq_ignore_ascii_case(core);
                        assert_eq!(
                            run_is_core(bytes, pad, variant.len(), load8(bytes, pad), &words),
                            want,
                            "{text:?} {core}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn anchored_segments_match_like_the_whole_fold() {
        let config = crate::config::Config::embedded().unwrap();
        let matcher = config.terminology.matcher();
        for lang in [Lang::Fr, Lang::En] {
            assert!(matcher.search(lang).anchors.is_some());
        }
        let mut texts = crate::test_support::seed_texts();
        texts.push(
            "(« « Cyber-\n  Criminalité » (cybercrime) l ’ ÉLECTRONIQUE preuves\u{a0}électroniques \
             «zombies» (« botnets ») Dark  -  Web darkweb Conseil des droits de l'Homme Haut-\n Commissariat des Nations \
             Unies aux droits de l’homme, droits de l'homme (droits humains)"
                .to_string(),
        );
        texts.push(
            "PREUVES  ÉLECTRONIQUES, preuve-électronique, Preuve\u{2011}Numérique, Droits  Humains, \
             droits\u{a0}de l' homme, droits de l ' homme, droit-de-l'homme, cyber criminalité, \
             Cyber\u{2013}criminalité, TECHNOLOGIES DE L'INFORMATION ET DE LA COMMUNICATION, \
             technologies de l’information et des communications, informatique en nuage, \
             Informatiques  en  nuage, logiciels rançonneurs, darknet, dark\u{2011}Web, DARK WEB, \
             ransomwares, hameçonnages, HAMEÇONNAGE, transfrontalières, Transfrontière, \
             réseaux d'ordinateurs zombies, Cybermonnaies, cryptomonnaie, monnaies virtuelles, \
             cloud-computing, infonuagique, rançongiciels, phishing, botnets, evidence, \
             Electronic   Evidence, digital-evidence, crypto-currencies, virtual currencies, \
             cross-border, transborder, cyber-crime, zombie networks, network of zombie computers, \
             information and communication technologies, droits\n\nhumains, preuve\r\nnumérique"
                .to_string(),
        );
        // Runs of letters and digits across the 64-byte blocks of the run scan, and longer
        // than two of them.
        let long = "x".repeat(130);
        for pad in 0..70 {
            texts.push(format!(
                "{} botnet {long} Botnets {long}botnet preuve2 numérique {}DROITS HUMAINS",
                " ".repeat(pad),
                "y".repeat(pad)
            ));
        }
        // The raw-text rejection reads case, spaces, hyphens and apostrophes around the cores:
        // the seeds again with each of those changed.
        let seeds = texts.len() - 72;
        for k in 0..seeds {
            let t = texts[k].clone();
            texts.push(t.to_uppercase());
            texts.push(t.replace(' ', "-"));
            texts.push(t.replace(' ', " \n\u{a0} "));
            texts.push(t.replace('\'', " ’ ").replace('’', "' "));
            texts.push(t.replace('-', "").replace('é', "É"));
        }
        for text in texts {
            let doc = crate::document::parse(text);
            let key = |v: Vec<TermMatch>| -> Vec<_> {
                v.into_iter()
                    .map(|t| {
                        (
                            t.set, t.member, t.span, t.plural, t.feminine, t.quoted, t.gloss,
                        )
                    })
                    .collect()
            };
            // The matches a rule reads: all but those of a quiet member of a set with no
            // variant matched (see `Audience`).
            let read = |v: Vec<TermMatch>| -> Vec<TermMatch> {
                let sets = &matcher.sets;
                let variant = |t: &TermMatch| sets[t.set].role(t.member) == Role::Variant;
                let has_quiet = |set: &CompiledSet| {
                    set.owner.is_none()
                        && set.members.iter().filter(|m| m.1 != Role::Variant).count() <= 1
                };
                let woken: Vec<usize> = v.iter().filter(|t| variant(t)).map(|t| t.set).collect();
                v.into_iter()
                    .filter(|t| !has_quiet(&sets[t.set]) || variant(t) || woken.contains(&t.set))
                    .collect()
            };
            // Both searches on every text: each keeps to its own sets whatever the document.
            for lang in [Lang::Fr, Lang::En] {
                let search = matcher.search(lang);
                let anchors = search.anchors.as_ref();
                let whole = search.find_with(&doc, None, false, &mut |_| {});
                assert_eq!(
                    key(search.find_with(&doc, anchors, false, &mut |_| {})),
                    key(whole.clone())
                );
                assert_eq!(
                    key(read(search.find_with(&doc, anchors, true, &mut |_| {}))),
                    key(read(whole))
                );
            }
        }
    }

    #[test]
    fn quiet_members_are_matched_only_beside_a_variant() {
        let config = crate::config::Config::embedded().unwrap();
        let matcher = config.terminology.matcher();
        let search = matcher.search(Lang::Fr);
        let found = |text: &str| -> Vec<(usize, Span, bool)> {
            let doc = crate::document::parse(text.to_string());
            search
                .find_with(&doc, search.anchors.as_ref(), true, &mut |_| {})
                .into_iter()
                .map(|t| (t.member, t.span, t.gloss))
                .collect()
        };
        // « cybercriminalité » alone: its set's one form that is not a variant, read by no rule.
        assert_eq!(found("La cybercriminalité et la cybercriminalité."), vec![]);
        // Beside its variant: matched, and the variant in parentheses after it is a gloss.
        assert_eq!(
            found("La cybercriminalité (cyber-criminalité) et la cyber criminalité."),
            vec![(0, 3..20, false), (1, 22..40, true), (1, 48..66, false)]
        );
    }

    #[test]
    fn woken_hits_merge_as_if_kept_in_turn() {
        // The woken quiet hits merged into the kept ones: the hits in text order, and the
        // segments those of every hit kept in turn (what `wake_quiet` did before: it kept
        // every hit again).
        let config = crate::config::Config::embedded().unwrap();
        let search = config.terminology.matcher().search(Lang::Fr);
        let anchors = search.anchors.as_ref().expect("French anchors");
        let mut text = crate::test_support::seed_texts().concat();
        text.push_str(" la cybercriminalité (cyber-criminalité) et la cyber criminalité.");
        for mut end in [text.len() / 3, text.len()] {
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let text = &text[..end];
            let mut runs = RunScan::new(anchors, text, true);
            runs.scan(text, text.len());
            let (segments, hits) = runs.finish(text);
            assert!(hits.windows(2).all(|w| w[0].0 < w[1].0));
            let mut in_turn = Found {
                segments: Vec::new(),
                hits: Vec::new(),
                quiet: Vec::new(),
                set_quiet_aside: false,
            };
            for &(s, core) in &hits {
                anchors.keep(text, s, core, &mut in_turn);
            }
            assert_eq!(segments, in_turn.segments);
            assert_eq!(hits, in_turn.hits);
        }
        let mut runs = RunScan::new(anchors, &text, true);
        runs.scan(&text, text.len());
        let (_, hits) = runs.finish(&text);
        assert!(
            hits.iter().any(|&(_, core)| anchors.quiet[core]),
            "some woken"
        );
    }

    #[test]
    fn chunks_find_what_one_pass_finds() {
        // The seeds, one after the other, in chunks of every few lengths: the quotes, fold
        // breakers and acronyms as in one pass; the run scan's hits and segments (its chunks
        // are whole blocks) likewise.
        let config = crate::config::Config::embedded().unwrap();
        let anchors = config
            .terminology
            .matcher()
            .search(Lang::Fr)
            .anchors
            .as_ref();
        let anchors = anchors.expect("French anchors");
        let mut text = crate::test_support::seed_texts().concat();
        text.push_str(" « NATO/OTAN (« UNODC ») \u{ad} “x” İ ÉTATS-UNIS");
        let key = |a: &[AcronymUse]| -> Vec<_> {
            a.iter().map(|a| (a.span.clone(), a.definition)).collect()
        };
        let whole_acronyms = key(&find_acronyms(&text));
        let whole_quotes = find_quotes(&text);
        let whole_runs = {
            let mut runs = RunScan::new(anchors, &text, true);
            runs.scan(&text, text.len());
            runs.finish(&text)
        };
        for step in [1, 2, 63, 64, 127, 128, 129, 1000, 4096] {
            let (mut acronyms, mut quotes) = (AcronymScan::default(), QuoteScan::default());
            let mut runs = RunScan::new(anchors, &text, true);
            let mut at = 0;
            while at < text.len() {
                let end = (at + step).min(text.len());
                acronyms.scan(&text, end);
                quotes.scan(text.as_bytes(), at..end);
                if end % 64 == 0 || end == text.len() {
                    runs.scan(&text, end);
                }
                at = end;
            }
            assert_eq!(key(&acronyms.found), whole_acronyms, "{step}");
            assert_eq!((quotes.quotes, quotes.breaks_fold), whole_quotes, "{step}");
            assert_eq!(runs.finish(&text), whole_runs, "{step}");
        }
    }

    #[test]
    fn acronyms() {
        let a = find_acronyms("l'Office (ONUDC) et l'ONUDC, UNODC/CCPCJ/EG.4 et (« TIC »)");
        let got: Vec<(usize, bool)> = a.iter().map(|a| (a.span.start, a.definition)).collect();
        assert_eq!(got, vec![(10, true), (22, false), (53, true)]);
    }
}
