//! The document model and the parser that builds it.

mod blanked;
mod lexer;
mod markdown;
mod model;
mod outline;
mod parse;

pub(crate) use blanked::Blanked;
pub use model::*;
pub use outline::{line_kinds, outline};
pub use parse::parse;

pub use lexer::document_symbol;
