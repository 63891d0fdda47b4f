//! The rule registry. Every rule is a unit struct declared with [`declare_rule!`] in its own
//! file under `src/rules/<group>/`; its doc comment is its documentation (`unlint explain`).

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use std::sync::Arc;

pub mod custom;
pub mod dates;
pub mod numbering;
pub mod references;
pub mod structure;
pub mod terminology;
pub mod translation;
pub mod typography;
pub mod unlint;

/// What a rule sees besides the document: the merged configuration and its own parameters.
pub struct Context<'a> {
    pub config: &'a Config,
    /// The rule's own options from `[rules."group/name"]` (without `severity`/`enabled`).
    pub params: &'a toml::Table,
    /// The file's path as given on the command line.
    pub path: &'a Arc<str>,
}

impl Context<'_> {
    /// Deserialises the rule's options; they were validated when the configuration was loaded.
    pub fn params<T: serde::de::DeserializeOwned + Default>(&self) -> T {
        if self.params.is_empty() {
            return T::default();
        }
        T::deserialize(toml::Value::Table(self.params.clone())).unwrap_or_default()
    }
}

/// One document of a multi-file run, for cross-file rules.
pub struct CorpusEntry<'a> {
    pub path: &'a Arc<str>,
    pub doc: &'a Document,
}

/// What a rule sees when it checks a translated draft against its original (`unlint compare`,
/// `--pair`): the two files' paths and the structural alignment computed once for the pair.
pub struct PairContext<'a> {
    pub config: &'a Config,
    /// The rule's own options from `[rules."group/name"]`.
    pub params: &'a toml::Table,
    /// The original (the reference text) as given on the command line.
    pub original_path: &'a Arc<str>,
    /// The draft (the translation being checked): diagnostics point at it.
    pub draft_path: &'a Arc<str>,
    /// Sections, paragraphs, items and footnotes of both sides, matched to each other.
    pub alignment: &'a crate::compare::Alignment,
    /// Data shared by every pair of the run (term index).
    pub shared: &'a crate::compare::Shared,
}

impl PairContext<'_> {
    /// Deserialises the rule's options; they were validated when the configuration was loaded.
    pub fn params<T: serde::de::DeserializeOwned + Default>(&self) -> T {
        if self.params.is_empty() {
            return T::default();
        }
        T::deserialize(toml::Value::Table(self.params.clone())).unwrap_or_default()
    }
}

/// A lint rule. Implemented through [`declare_rule!`], which takes the doc from the doc comment.
pub trait Rule: Sync + Send {
    /// Stable public id, `group/name`.
    fn id(&self) -> &'static str;
    /// The rule's documentation: *What it checks / Why it matters / Example / Configuration*.
    fn doc(&self) -> &'static str;
    fn default_severity(&self) -> Severity;
    /// Whether the rule is on when the configuration does not mention it.
    fn default_enabled(&self) -> bool {
        true
    }
    /// Whether the rule offers fixes.
    fn fixable(&self) -> bool {
        false
    }
    /// Checks one document.
    fn check(&self, _doc: &Document, _ctx: &Context, _out: &mut Vec<Diagnostic>) {}
    /// Whether `check` reads the document's word tokens (`Document::words`). One thread runs
    /// the rules that do together and then drops the tokens, about half the text's size;
    /// a rule that read them later would have them rebuilt.
    fn reads_word_tokens(&self) -> bool {
        false
    }
    /// Checks the files of a run together (after every file is parsed). Diagnostics must set
    /// `path` to the file they point at.
    fn check_corpus(&self, _docs: &[CorpusEntry], _ctx: &Context, _out: &mut Vec<Diagnostic>) {}
    /// Checks a translated draft against its original (only in pair runs). Diagnostics point at
    /// the draft (the engine fills in its path) and label the original with `with_label_in`.
    fn check_pair(
        &self,
        _original: &Document,
        _draft: &Document,
        _ctx: &PairContext,
        _out: &mut Vec<Diagnostic>,
    ) {
    }
    /// Validates the rule's options at configuration load. The default accepts none.
    fn validate_params(&self, params: &toml::Table) -> Result<(), String> {
        match params.keys().next() {
            None => Ok(()),
            Some(k) => Err(format!("rule `{}` has no option `{k}`", self.id())),
        }
    }
}

/// Validates options by deserialising them into `T` (which should deny unknown fields).
pub fn validate_as<T: serde::de::DeserializeOwned>(params: &toml::Table) -> Result<(), String> {
    T::deserialize(toml::Value::Table(params.clone()))
        .map(|_| ())
        .map_err(|e| e.message().to_string())
}

/// Declares a rule: a unit struct whose doc comment becomes its documentation.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it checks
///     /// ...
///     pub struct ParagraphNumbering = "numbering/paragraph", Severity::Warning;
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub struct $name:ident = $id:literal, $sev:expr;) => {
        $(#[doc = $doc])*
        pub struct $name;
        impl $name {
            pub const ID: &'static str = $id;
            pub const DOC: &'static str = concat!($($doc, "\n"),*);
            pub const SEVERITY: $crate::diagnostic::Severity = $sev;
        }
    };
}

/// Implements the boilerplate of [`Rule`] for a type declared with [`declare_rule!`].
#[macro_export]
macro_rules! rule_meta {
    () => {
        fn id(&self) -> &'static str {
            Self::ID
        }
        fn doc(&self) -> &'static str {
            Self::DOC
        }
        fn default_severity(&self) -> $crate::diagnostic::Severity {
            Self::SEVERITY
        }
    };
}

/// Every built-in rule, sorted by id. Custom `[[rule]]`s from the configuration come on top.
pub fn builtin() -> Vec<&'static dyn Rule> {
    let mut all: Vec<&'static dyn Rule> = Vec::new();
    all.extend(numbering::rules());
    all.extend(structure::rules());
    all.extend(references::rules());
    all.extend(dates::rules());
    all.extend(terminology::rules());
    all.extend(typography::rules());
    all.extend(translation::rules());
    all.extend(unlint::rules());
    all.extend(crate::source::rules());
    all.sort_by_key(|r| r.id());
    all
}

/// Looks a built-in rule up by id.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    builtin().into_iter().find(|r| r.id() == id)
}

/// The first paragraph of a rule's doc, as a one-line summary (for `unlint rules`).
pub fn summary(doc: &str) -> String {
    let mut lines = doc
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty() || l.starts_with('#'));
    let mut out = String::new();
    for l in lines.by_ref() {
        if l.is_empty() || l.starts_with('#') {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}
