//! `structure/*` rules.

mod heading_level;

pub use heading_level::HeadingLevel;

use super::Rule;

/// The rules of this group.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&HeadingLevel]
}
