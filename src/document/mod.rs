//! The document model and the parser that builds it.

mod lexer;
mod markdown;
mod model;
mod outline;
mod parse;

pub use model::*;
pub use outline::{line_kinds, outline};
pub use parse::parse;

pub use lexer::document_symbol;
