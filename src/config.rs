//! Layered TOML configuration.
//!
//! Layers, each merged into the last: the rule sets shipped in `rules/` (embedded in the
//! binary), then the nearest `unlint.toml` found by walking up from the current directory,
//! then `--config PATH`. Every error points at its file, line and column.

use crate::compare::terms::TranslationConfig;
use crate::diagnostic::Severity;
use crate::extract::dates::DatesConfig;
use crate::extract::references::ReferencesConfig;
use crate::extract::terms::TerminologyConfig;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The rule sets shipped with unlint, embedded as the default configuration.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("rules/default.toml", include_str!("../rules/default.toml")),
    (
        "rules/references.toml",
        include_str!("../rules/references.toml"),
    ),
    ("rules/dates.toml", include_str!("../rules/dates.toml")),
    (
        "rules/terminology-fr.toml",
        include_str!("../rules/terminology-fr.toml"),
    ),
    (
        "rules/terminology-en.toml",
        include_str!("../rules/terminology-en.toml"),
    ),
    (
        "rules/typography-fr.toml",
        include_str!("../rules/typography-fr.toml"),
    ),
    (
        "rules/translation.toml",
        include_str!("../rules/translation.toml"),
    ),
];

/// The name of the user's configuration file, looked up from the current directory upwards.
pub const FILE_NAME: &str = "unlint.toml";

/// One configuration file as written (a layer).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Directories (relative to this file) whose `*.toml` files are loaded as further layers
    /// right after this one, in name order: a house style kept as one file per rule or set.
    #[serde(default)]
    pub rules_dirs: Vec<Spanned<String>>,
    /// `[rules]`: `"group/name" = "off" | "info" | "warning" | "error"`, or a table with
    /// `severity`, `enabled` and the rule's own options.
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    pub files: FilesConfig,
    #[serde(default)]
    pub terminology: TerminologyConfig,
    #[serde(default)]
    pub references: ReferencesConfig,
    #[serde(default)]
    pub dates: DatesConfig,
    #[serde(default)]
    pub typography: crate::rules::typography::TypographyConfig,
    /// `[translation]`: the bilingual term list of translation/terminology.
    #[serde(default)]
    pub translation: TranslationConfig,
    /// `[[rule]]`: custom rules (see `src/rules/custom`).
    #[serde(default, rename = "rule")]
    pub custom: Vec<Spanned<toml::Table>>,
}

/// `[files]`: which files a directory walk picks up.
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FilesConfig {
    /// Globs of files to check when walking directories (default `*.md`, `*.txt`).
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs of files and directories to skip.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// The effective setting of one rule.
#[derive(Debug, Clone)]
pub struct RuleSetting {
    pub enabled: bool,
    pub severity: Severity,
    pub params: toml::Table,
    /// The layer that last set it (`default` when none did).
    pub origin: String,
}

/// A custom rule table with the layer it came from, for error reporting.
#[derive(Debug, Clone)]
pub struct CustomRuleSource {
    pub table: toml::Table,
    pub span: Range<usize>,
    pub layer: usize,
}

/// The merged configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// Settings of rules that some layer mentions.
    pub rules: BTreeMap<String, RuleSetting>,
    pub files: FilesConfig,
    pub terminology: TerminologyConfig,
    pub references: ReferencesConfig,
    pub dates: DatesConfig,
    pub typography: crate::rules::typography::TypographyConfig,
    pub translation: TranslationConfig,
    pub custom: Vec<CustomRuleSource>,
    /// The layers read, in order: (name, text).
    pub layers: Vec<(String, String)>,
}

/// A configuration error with the place it points at.
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// The file name (or embedded name) and its text; `None` for errors not inside a file.
    pub file: Option<(String, String)>,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
}

impl ConfigError {
    pub fn plain(message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: None,
            span: None,
            message: message.into(),
            help: None,
        }
    }
    pub fn at(
        name: &str,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> ConfigError {
        ConfigError {
            file: Some((name.to_string(), text.to_string())),
            span: Some(span),
            message: message.into(),
            help: None,
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, &self.span) {
            (Some((name, text)), Some(span)) => {
                let (line, col) = line_col(text, span.start);
                write!(f, "{name}:{line}:{col}: {}", self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Finds the nearest `unlint.toml` in `start` or one of its ancestors.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

impl Config {
    /// The embedded defaults alone.
    pub fn embedded() -> Result<Config, ConfigError> {
        Config::load(None, false)
    }

    /// Embedded defaults, then the discovered `unlint.toml` (when `discover_from` is given and
    /// `no_discovery` is false), then `explicit`.
    pub fn load(explicit: Option<&Path>, discover_user: bool) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        for (name, text) in EMBEDDED {
            config.add_layer(name, text)?;
        }
        if discover_user {
            if let Ok(cwd) = std::env::current_dir() {
                if let Some(found) = discover(&cwd) {
                    config.add_file(&found)?;
                }
            }
        }
        if let Some(path) = explicit {
            config.add_file(path)?;
        }
        Ok(config)
    }

    /// Reads a configuration file and merges it as a layer.
    pub fn add_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let name = path.display().to_string();
        if path.is_dir() {
            return Err(ConfigError::plain(format!(
                "configuration path `{name}` is a directory, not a TOML file"
            )));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| ConfigError::plain(format!("cannot read configuration `{name}`: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            ConfigError::plain(format!(
                "configuration `{name}` is not valid UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        self.add_layer(&name, &text)
    }

    /// Parses `text` as a configuration layer named `name` and merges it.
    pub fn add_layer(&mut self, name: &str, text: &str) -> Result<(), ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            ConfigError::at(
                name,
                text,
                span,
                format!(
                    "invalid configuration: {}",
                    e.message().trim_end_matches('\n')
                ),
            )
        })?;
        let layer = self.layers.len();
        self.layers.push((name.to_string(), text.to_string()));
        let err = |span: Range<usize>, msg: String| ConfigError::at(name, text, span, msg);

        let custom_ids: Vec<String> = file
            .custom
            .iter()
            .filter_map(|t| {
                t.get_ref()
                    .get("id")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            })
            .chain(self.custom.iter().filter_map(|c| {
                c.table
                    .get("id")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            }))
            .collect();

        for (key, value) in file.rules {
            let id = key.get_ref().clone();
            let rule = crate::rules::by_id(&id);
            if rule.is_none() && !custom_ids.contains(&id) {
                let mut e = err(key.span(), format!("unknown rule id `{id}`"));
                if let Some(near) = nearest_rule_id(&id) {
                    e = e.with_help(format!("did you mean `{near}`?"));
                } else {
                    e = e.with_help("`unlint rules` lists every rule id");
                }
                return Err(e);
            }
            let default_sev = rule.map_or(Severity::Warning, |r| r.default_severity());
            let default_on = rule.is_none_or(|r| r.default_enabled());
            let entry = self.rules.entry(id.clone()).or_insert_with(|| RuleSetting {
                enabled: default_on,
                severity: default_sev,
                params: toml::Table::new(),
                origin: "default".into(),
            });
            entry.origin = name.to_string();
            let vspan = value.span();
            match value.into_inner() {
                toml::Value::String(s) => match s.as_str() {
                    "off" => entry.enabled = false,
                    other => match Severity::parse(other) {
                        Some(sev) => {
                            entry.enabled = true;
                            entry.severity = sev;
                        }
                        None => {
                            return Err(err(
                                vspan,
                                format!("invalid setting `{other}` for rule `{id}`"),
                            )
                            .with_help(
                                "use \"off\", \"info\", \"warning\" or \"error\", or a table",
                            ))
                        }
                    },
                },
                toml::Value::Boolean(b) => entry.enabled = b,
                toml::Value::Table(mut t) => {
                    if let Some(v) = t.remove("enabled") {
                        entry.enabled = v.as_bool().ok_or_else(|| {
                            err(
                                vspan.clone(),
                                format!("`enabled` of rule `{id}` must be true or false"),
                            )
                        })?;
                    } else {
                        entry.enabled = true;
                    }
                    if let Some(v) = t.remove("severity") {
                        let sev = v.as_str().and_then(Severity::parse).ok_or_else(|| {
                            err(vspan.clone(), format!("`severity` of rule `{id}` must be \"info\", \"warning\" or \"error\""))
                        })?;
                        entry.severity = sev;
                    }
                    for (k, v) in t {
                        entry.params.insert(k, v);
                    }
                    if let Some(rule) = rule {
                        rule.validate_params(&entry.params).map_err(|m| {
                            err(
                                vspan.clone(),
                                format!("invalid options for rule `{id}`: {m}"),
                            )
                        })?;
                    }
                }
                _ => {
                    return Err(
                        err(vspan, format!("invalid setting for rule `{id}`")).with_help(
                            "use \"off\", \"info\", \"warning\", \"error\", true/false, or a table",
                        ),
                    )
                }
            }
        }
        self.files.include.extend(file.files.include);
        self.files.exclude.extend(file.files.exclude);
        file.terminology.validate().map_err(|m| {
            let at = text.find("[[terminology.set]]").unwrap_or(0);
            err(at..at, format!("invalid configuration: {m}"))
        })?;
        // `[[terminology.bilingual]]` is another name for `[[translation.terms]]`.
        let mut file_terminology = file.terminology;
        let bilingual = std::mem::take(&mut file_terminology.bilingual);
        self.terminology.merge(file_terminology);
        self.translation
            .merge(crate::compare::terms::TranslationConfig { terms: bilingual });
        self.references.merge(file.references);
        self.dates.merge(file.dates);
        self.typography.merge(file.typography);
        self.translation.merge(file.translation);
        for t in file.custom {
            let span = t.span();
            self.custom.push(CustomRuleSource {
                table: t.into_inner(),
                span,
                layer,
            });
        }
        crate::rules::custom::register_layer(self, layer)?;
        for dir in file.rules_dirs {
            let span = dir.span();
            let base = Path::new(name).parent().unwrap_or(Path::new(""));
            let path = base.join(dir.get_ref());
            let entries = std::fs::read_dir(&path).map_err(|e| {
                ConfigError::at(
                    name,
                    text,
                    span.clone(),
                    format!("cannot read rules directory `{}`: {e}", path.display()),
                )
            })?;
            let mut files: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for f in files {
                // A file already read (a directory naming itself) is not read twice.
                if self.layers.iter().any(|(n, _)| Path::new(n) == f) {
                    continue;
                }
                self.add_file(&f)?;
            }
        }
        Ok(())
    }

    /// The effective setting of a rule: configured, or its defaults.
    pub fn setting(&self, rule: &dyn crate::rules::Rule) -> RuleSetting {
        self.rules
            .get(rule.id())
            .cloned()
            .unwrap_or_else(|| RuleSetting {
                enabled: rule.default_enabled(),
                severity: rule.default_severity(),
                params: toml::Table::new(),
                origin: "default".into(),
            })
    }

    /// A configuration error inside layer `layer` at `span`.
    pub fn error_in_layer(
        &self,
        layer: usize,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> ConfigError {
        let (name, text) = &self.layers[layer];
        ConfigError::at(name, text, span, message)
    }
}

/// The known rule id closest to `id`, if it is a plausible typo.
fn nearest_rule_id(id: &str) -> Option<&'static str> {
    crate::rules::builtin()
        .into_iter()
        .map(|r| (crate::text::edit_distance(id, r.id()), r.id()))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, id)| id)
}
