//! `numbering/*` rules: paragraphs, sections, subsections, list items and their punctuation.

mod footnote;
mod item;
mod paragraph;
mod punctuation;
mod section;
mod subsection;

pub use footnote::FootnoteNumbering;
pub use item::ItemNumbering;
pub use paragraph::ParagraphNumbering;
pub use punctuation::NumberPunctuation;
pub use section::SectionNumbering;
pub use subsection::SubsectionNumbering;

use super::Rule;

/// The rules of this group.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &ParagraphNumbering,
        &SectionNumbering,
        &SubsectionNumbering,
        &ItemNumbering,
        &FootnoteNumbering,
        &NumberPunctuation,
    ]
}

/// Where a sequence stands after each element: the expected next value.
pub(crate) enum Step {
    Ok,
    /// Numbers were skipped: the expected value.
    Gap {
        expected: u32,
    },
    /// The same number as the previous element.
    Duplicate,
    /// Lower than expected (and not a duplicate).
    Disorder {
        expected: u32,
    },
    /// A wrong number between two right ones (`19, 21, 21` or `19, 30, 21`): one typo, not a
    /// gap followed by a duplicate.
    Misnumbered {
        expected: u32,
    },
}

/// Tracks a 1, 2, 3… sequence, resynchronising after a jump so one defect gives one finding.
pub(crate) struct Sequence {
    expected: Option<u32>,
    prev: Option<u32>,
}

impl Sequence {
    /// The value expected next, once known.
    pub fn expected(&self) -> Option<u32> {
        self.expected
    }
    /// `start`: the first expected value, or `None` to accept whatever comes first.
    pub fn new(start: Option<u32>) -> Self {
        Sequence {
            expected: start,
            prev: None,
        }
    }
    /// Takes the next element's number, `next`, to tell a typo from a gap: when the following
    /// element carries the number after the expected one, this one is simply misnumbered.
    pub fn step(&mut self, n: u32, next: Option<u32>) -> Step {
        let step = match self.expected {
            None => Step::Ok,
            Some(e) if n == e => Step::Ok,
            Some(e) if next == Some(e + 1) => Step::Misnumbered { expected: e },
            Some(_) if Some(n) == self.prev => Step::Duplicate,
            Some(e) if n > e => Step::Gap { expected: e },
            Some(e) => Step::Disorder { expected: e },
        };
        self.expected = Some(match (&step, self.expected) {
            (Step::Misnumbered { expected }, _) => expected + 1,
            // A restart that the next element continues (`…, 79, 1, 2, …`: a part whose
            // heading was not recognised, or a block pasted from another document) is one
            // defect: the sequence follows the new numbers instead of reporting every element
            // after it. Only a restart at 1: a smaller step back (`5, 3, 4, 6`) is more likely
            // elements moved, and following them would report the next right number as a gap.
            (Step::Disorder { .. }, _) if n == 1 && next == Some(2) => 2,
            (_, None) => n + 1,
            (_, Some(e)) => e.max(n + 1),
        });
        self.prev = Some(n);
        step
    }
}

#[cfg(test)]
mod tests {
    use super::{Sequence, Step};

    /// The steps of a whole sequence, each element seeing the next.
    fn steps(numbers: &[u32]) -> Vec<String> {
        let mut seq = Sequence::new(Some(1));
        numbers
            .iter()
            .enumerate()
            .map(|(i, &n)| match seq.step(n, numbers.get(i + 1).copied()) {
                Step::Ok => "ok".to_string(),
                Step::Gap { expected } => format!("gap {expected}"),
                Step::Duplicate => "duplicate".to_string(),
                Step::Disorder { expected } => format!("disorder {expected}"),
                Step::Misnumbered { expected } => format!("misnumbered {expected}"),
            })
            .collect()
    }

    #[test]
    fn a_restart_at_one_is_one_finding() {
        assert_eq!(
            steps(&[1, 2, 3, 1, 2, 3, 4]),
            ["ok", "ok", "ok", "disorder 4", "ok", "ok", "ok"]
        );
        // Not continued: the old sequence is still expected.
        assert_eq!(
            steps(&[1, 2, 3, 1, 4, 5]),
            ["ok", "ok", "ok", "disorder 4", "ok", "ok"]
        );
    }

    #[test]
    fn elements_moved_back_are_each_reported() {
        assert_eq!(
            steps(&[1, 2, 5, 3, 4, 6]),
            ["ok", "ok", "gap 3", "disorder 6", "disorder 6", "ok"]
        );
    }
}
