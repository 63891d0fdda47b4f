//! `unlint/*` rules: about unlint's own markers in the documents (suppression comments).

mod unused_suppression;

pub use unused_suppression::UnusedSuppression;

use super::Rule;

/// The rules of this group.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&UnusedSuppression]
}
