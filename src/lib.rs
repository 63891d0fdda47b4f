//! unlint: an editorial linter and consistency checker for UN-style reports.
//!
//! The pipeline: [`source`] reads and validates files, [`document::parse`] builds the document
//! model, [`extract`] computes references, dates and terms once per document, [`rules`] check
//! the model, [`engine`] runs everything in parallel and sorts the findings, [`report`] prints.

pub mod baseline;
pub mod compare;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod extract;
pub mod fix;
pub mod memory;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod text;
pub mod walk;
