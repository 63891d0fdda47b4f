//! The tense markers' automaton: the leftmost-longest Aho-Corasick DFA of the folded marker
//! phrases, built here rather than by the `aho_corasick` crate.
//!
//! The crate's builder made its noncontiguous NFA, then filled each transition of the DFA
//! by walking that NFA's failure links: 3.0 M instructions a run for the ~100 phrases of
//! `rules/dates.toml`, a start-up cost paid even for a one-line file. Built here
//! breadth-first, a state's failure state has its row complete already, so each missing
//! transition is one copy from that row: 0.5 M in all (`build_markers`, 3.2 M, is now
//! 0.6 M). The automaton is the crate's (the same states up to renumbering, the same
//! matches; a test walks both together), so a search gives the crate's answers.

/// A state: its row's offset in [`MarkerDfa::trans`] (the state's number times the stride).
pub(crate) type StateId = u32;

/// The state a search cannot leave: no match can start before where it began.
pub(crate) const DEAD: StateId = 0;

#[derive(Debug, Clone)]
pub(crate) struct MarkerDfa {
    /// The rows of the states, `stride` transitions each: DEAD, then the match states, then
    /// the others (so that one comparison tells whether a state is special).
    trans: Vec<StateId>,
    /// The byte class of each byte: each byte of a phrase its own class, all others 0.
    classes: [u16; 256],
    /// The class of each byte's ASCII lower case (one load per byte of the ASCII search loop).
    lower_classes: [u16; 256],
    start: StateId,
    /// The last match state: a state is special (dead or a match) if it is at most this.
    max_match: StateId,
    stride: usize,
    /// The pattern of each match state, by state number (the first phrase that ends there,
    /// as the crate's `match_pattern(sid, 0)`).
    patterns: Vec<u32>,
    pattern_lens: Vec<usize>,
}

impl MarkerDfa {
    /// The automaton of `pats` (none empty) with the crate's leftmost-longest semantics:
    /// a match state's failure leads to DEAD, and so do those of the states after it, and a
    /// state that is not a match itself has the matches of its failure state.
    pub(crate) fn new<P: AsRef<[u8]>>(pats: &[P]) -> MarkerDfa {
        const NONE: u32 = u32::MAX;
        const START: usize = 1;
        let mut classes = [0u16; 256];
        let mut stride = 1;
        for p in pats {
            for &c in p.as_ref() {
                if classes[usize::from(c)] == 0 {
                    classes[usize::from(c)] = stride as u16;
                    stride += 1;
                }
            }
        }
        // The trie, states numbered as created: 0 DEAD (every transition to itself), 1 the
        // start; `own` is the first phrase that ends at a state.
        let mut rows: Vec<u32> = vec![DEAD; stride];
        rows.resize(2 * stride, NONE);
        let mut own: Vec<Option<u32>> = vec![None, None];
        for (pid, p) in pats.iter().enumerate() {
            assert!(!p.as_ref().is_empty(), "an empty marker phrase");
            let mut s = START;
            for &c in p.as_ref() {
                let k = s * stride + usize::from(classes[usize::from(c)]);
                if rows[k] == NONE {
                    rows[k] = own.len() as u32;
                    own.push(None);
                    rows.resize(rows.len() + stride, NONE);
                }
                s = rows[k] as usize;
            }
            own[s].get_or_insert(pid as u32);
        }
        let len = own.len();
        let mut fail = vec![DEAD as usize; len];
        let mut pattern = own.clone();
        // Breadth-first: a state's failure state is shallower, so its row is complete when
        // the state's own row is filled from it.
        let mut queue = Vec::with_capacity(len);
        for c in 0..stride {
            let k = START * stride + c;
            let t = rows[k];
            if t == NONE {
                rows[k] = START as u32;
            } else {
                let t = t as usize;
                fail[t] = if own[t].is_some() {
                    DEAD as usize
                } else {
                    START
                };
                queue.push(t);
            }
        }
        let mut head = 0;
        while let Some(&s) = queue.get(head) {
            head += 1;
            let f = fail[s];
            for c in 0..stride {
                let k = s * stride + c;
                let via_fail = rows[f * stride + c];
                let t = rows[k];
                if t == NONE {
                    rows[k] = via_fail;
                    continue;
                }
                let t = t as usize;
                if own[t].is_none() {
                    fail[t] = via_fail as usize;
                    pattern[t] = pattern[via_fail as usize];
                } // else its failure is DEAD
                queue.push(t);
            }
        }
        // Renumbered: DEAD, the match states, the others.
        let mut order: Vec<usize> = vec![DEAD as usize];
        order.extend((1..len).filter(|&s| pattern[s].is_some()));
        let matches = order.len() - 1;
        order.extend((1..len).filter(|&s| pattern[s].is_none()));
        let offset = |n: usize| -> StateId {
            u32::try_from(n * stride).expect("a marker automaton of less than 4 G entries")
        };
        let mut new_id = vec![0; len];
        for (n, &s) in order.iter().enumerate() {
            new_id[s] = offset(n);
        }
        let mut trans = Vec::with_capacity(len * stride);
        for &s in &order {
            trans.extend(
                rows[s * stride..][..stride]
                    .iter()
                    .map(|&t| new_id[t as usize]),
            );
        }
        let patterns = order.iter().map(|&s| pattern[s].unwrap_or(0)).collect();
        let mut lower_classes = [0u16; 256];
        for (c, lc) in lower_classes.iter_mut().enumerate() {
            *lc = classes[usize::from((c as u8).to_ascii_lowercase())];
        }
        offset(len); // every premultiplied id fits
        MarkerDfa {
            trans,
            classes,
            lower_classes,
            start: new_id[START],
            max_match: offset(matches),
            stride,
            patterns,
            pattern_lens: pats.iter().map(|p| p.as_ref().len()).collect(),
        }
    }

    /// The state where a search starts.
    #[inline]
    pub(crate) fn start(&self) -> StateId {
        self.start
    }

    /// The state after `sid` on byte `c`.
    #[inline]
    pub(crate) fn next(&self, sid: StateId, c: u8) -> StateId {
        self.trans[sid as usize + usize::from(self.classes[usize::from(c)])]
    }

    /// The state after `sid` on the ASCII lower case of byte `c`.
    #[inline]
    pub(crate) fn next_lower(&self, sid: StateId, c: u8) -> StateId {
        self.trans[sid as usize + usize::from(self.lower_classes[usize::from(c)])]
    }

    /// Whether `sid` is DEAD or a match state.
    #[inline]
    pub(crate) fn is_special(&self, sid: StateId) -> bool {
        sid <= self.max_match
    }

    #[inline]
    pub(crate) fn is_dead(&self, sid: StateId) -> bool {
        sid == DEAD
    }

    /// The phrase matched at match state `sid` (its index among the phrases given).
    pub(crate) fn pattern(&self, sid: StateId) -> usize {
        self.patterns[sid as usize / self.stride] as usize
    }

    /// The length of phrase `pid`, in bytes.
    pub(crate) fn pattern_len(&self, pid: usize) -> usize {
        self.pattern_lens[pid]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::automaton::Automaton;
    use aho_corasick::Anchored;

    /// Walks the crate's leftmost-longest DFA of `pats` and this one together from their
    /// start states over every byte: each pair of states reached is dead in both or neither,
    /// a match in both or neither, and of the same pattern.
    fn assert_same_automaton(pats: &[&str]) {
        let theirs = aho_corasick::dfa::Builder::new()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .prefilter(false)
            .build(pats)
            .unwrap();
        let ours = MarkerDfa::new(pats);
        let start = (theirs.start_state(Anchored::No).unwrap(), ours.start());
        let mut seen = std::collections::HashSet::from([start]);
        let mut todo = vec![start];
        while let Some((a, b)) = todo.pop() {
            assert_eq!(theirs.is_dead(a), ours.is_dead(b), "{pats:?}");
            assert_eq!(theirs.is_match(a), ours.is_special(b) && !ours.is_dead(b));
            if theirs.is_match(a) {
                assert_eq!(theirs.match_pattern(a, 0).as_usize(), ours.pattern(b));
            }
            for c in 0..=255u8 {
                let next = (theirs.next_state(Anchored::No, a, c), ours.next(b, c));
                let lower = ours.next_lower(b, c);
                assert_eq!(lower, ours.next(b, c.to_ascii_lowercase()));
                if seen.insert(next) {
                    todo.push(next);
                }
            }
        }
        for (pid, p) in pats.iter().enumerate() {
            assert_eq!(ours.pattern_len(pid), p.len());
        }
    }

    #[test]
    fn the_crates_automaton() {
        let config = crate::config::Config::embedded().unwrap();
        let dates = &config.dates;
        let mut folded: Vec<String> = Vec::new();
        for p in dates.past_markers.iter().chain(&dates.future_markers) {
            folded.push(super::super::scan::fold(p));
        }
        let folded: Vec<&str> = folded.iter().map(|s| s.as_str()).collect();
        assert_same_automaton(&folded);
        // Prefixes, suffixes, repeats, overlaps, a phrase inside another, non-ASCII bytes.
        assert_same_automaton(&["a tenu", "s'est tenue", "s'est tenu", "se tiendra"]);
        assert_same_automaton(&["abcd", "cef", "bc", "b", "abcd", "d", "cd", "bcde"]);
        assert_same_automaton(&["aaa", "aa", "a", "aaaa", "ab", "ba", "bab"]);
        assert_same_automaton(&["x", "xy", "xyz", "yz", "z", "zz", "yzx"]);
        assert_same_automaton(&["é t", "t é", "œuvre", "uvre", "v", " "]);
        assert_same_automaton(&["sera", "seront", "serait", "era", "ra", "ont", "a"]);
    }
}
