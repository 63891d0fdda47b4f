//! End-to-end tests: run the built binary the way pre-commit and CI do (file arguments, exit
//! codes, output formats, suppression, baselines, `init`/`config`, broken inputs).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_unlint");

/// A report with a paragraph-numbering gap (2 → 4) on line 7.
const GAP: &str = "I. Introduction\n\n1. Le Groupe d'experts a tenu sa réunion à Vienne.\n\n\
                   2. Il a adopté un ensemble de thèmes.\n\n4. La réunion a été ouverte.\n";
/// The same report without the gap.
const CLEAN: &str = "I. Introduction\n\n1. Le Groupe d'experts a tenu sa réunion à Vienne.\n\n\
                     2. Il a adopté un ensemble de thèmes.\n\n3. La réunion a été ouverte.\n";

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
    fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }
    /// Runs unlint in this directory.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .current_dir(self.path())
            .env_remove("NO_COLOR")
            .output()
            .unwrap()
    }
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}
fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn exit_codes_as_pre_commit_sees_them() {
    let d = Dir::new();
    d.write("clean.txt", CLEAN);
    d.write("gap.txt", GAP);
    let o = d.run(&["--isolated", "clean.txt"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).contains("no problems found in 1 file"));

    // pre-commit passes the changed files as arguments.
    let o = d.run(&["--isolated", "clean.txt", "gap.txt"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("gap.txt:7:1"), "{out}");
    assert!(!out.contains("clean.txt:"), "{out}");
    assert!(out.contains("in 2 files"), "{out}");

    // Below the threshold: exit 0 even with findings.
    let o = d.run(&["--isolated", "--fail-on", "error", "gap.txt"]);
    assert_eq!(code(&o), 0);
    // --quiet drops the summary line.
    let o = d.run(&["--isolated", "--quiet", "clean.txt"]);
    assert_eq!(stdout(&o), "");

    let o = d.run(&["--isolated", "missing.txt"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));

    let o = d.run(&["--isolated", "--select", "nosuch/rule", "clean.txt"]);
    assert_eq!(code(&o), 2);
    let o = d.run(&["--isolated", "--no-such-flag"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn version_rules_explain_and_completions() {
    let d = Dir::new();
    let o = d.run(&["--version"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains(env!("CARGO_PKG_VERSION")));

    let o = d.run(&["rules", "--isolated"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("unlint/unused-suppression"));

    let o = d.run(&["explain", "unlint/unused-suppression"]);
    assert_eq!(code(&o), 0);
    for s in [
        "## What it checks",
        "## Why it matters",
        "## Example",
        "## Configuration",
    ] {
        assert!(stdout(&o).contains(s));
    }
    assert_eq!(code(&d.run(&["explain", "nosuch/rule"])), 2);

    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = d.run(&["completions", shell]);
        assert_eq!(code(&o), 0, "{shell}");
        assert!(stdout(&o).contains("unlint"), "{shell}");
        assert!(stdout(&o).contains("write-baseline"), "{shell}");
    }
}

#[test]
fn json_schema_fields() {
    let d = Dir::new();
    d.write("gap.txt", GAP);
    let o = d.run(&["--isolated", "--format", "json", "gap.txt"]);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["files_checked"], 1);
    let diag = &v["diagnostics"][0];
    for field in [
        "rule",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
    ] {
        assert!(diag.get(field).is_some(), "missing {field}: {diag}");
    }
    assert_eq!(diag["rule"], "numbering/paragraph");
    assert_eq!(diag["line"], 7);
    assert_eq!(diag["column"], 1);
    assert_eq!(stderr(&o), "");
}

fn sarif_validator() -> jsonschema::Validator {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/sarif/sarif-schema-2.1.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(v: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let d = Dir::new();
    d.write("gap.txt", GAP);
    d.write("sub dir/clean.md", CLEAN);
    d.write("empty.txt", "");
    d.write(
        "sup.md",
        "<!-- unlint-disable-next-line numbering/paragraf -->\n1. Texte.\n\n<!-- unlint-disable -->\n",
    );
    let o = d.run(&["--isolated", "--format", "sarif", "."]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_valid_sarif(&v);

    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "unlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "rules are sorted by id");
    let para = rules
        .iter()
        .find(|r| r["id"] == "numbering/paragraph")
        .unwrap();
    assert!(para["fullDescription"]["text"]
        .as_str()
        .unwrap()
        .contains("## Why it matters"));
    assert_eq!(para["defaultConfiguration"]["level"], "warning");
    assert!(para["help"]["text"].as_str().is_some());

    let results = run["results"].as_array().unwrap();
    let gap = results
        .iter()
        .find(|r| r["ruleId"] == "numbering/paragraph")
        .unwrap();
    assert_eq!(gap["level"], "warning");
    assert_eq!(
        rules[gap["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "numbering/paragraph"
    );
    let loc = &gap["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "gap.txt");
    assert_eq!(loc["region"]["startLine"], 7);
    assert_eq!(loc["region"]["startColumn"], 1);
    assert_eq!(loc["region"]["endColumn"], 2);
    assert!(gap["relatedLocations"][0]["message"]["text"].is_string());
    assert!(gap["partialFingerprints"].is_object());
    // The empty file has a result without a region.
    let empty = results
        .iter()
        .find(|r| r["ruleId"] == "input/empty")
        .unwrap();
    assert_eq!(
        empty["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "empty.txt"
    );
    // Fixes are carried over.
    assert!(results
        .iter()
        .any(|r| r["ruleId"] == "unlint/unused-suppression" && r["fixes"].is_array()));

    // A clean run is valid SARIF too, and the output is deterministic.
    let o1 = d.run(&["--isolated", "--format", "sarif", "-j", "1", "."]);
    let o2 = d.run(&["--isolated", "--format", "sarif", "-j", "2", "."]);
    assert_eq!(stdout(&o1), stdout(&o2));
    let o = d.run(&["--isolated", "--format", "sarif", "sub dir"]);
    assert_eq!(code(&o), 0);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_valid_sarif(&v);
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn sarif_validator_rejects_broken_logs() {
    // The validation is real: a result without a message is refused.
    let broken = serde_json::json!({
        "version": "2.1.0",
        "runs": [{ "tool": { "driver": { "name": "x" } }, "results": [{ "ruleId": "a" }] }]
    });
    assert!(!sarif_validator().is_valid(&broken));
}

#[test]
fn github_format() {
    let d = Dir::new();
    d.write("gap.txt", GAP);
    d.write("empty.txt", "");
    let o = d.run(&["--isolated", "--format", "github", "gap.txt", "empty.txt"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(lines[0], "::warning file=empty.txt,title=input/empty::file is empty%0Ahelp: remove the file or add its text");
    assert!(
        lines[1].starts_with(
            "::warning file=gap.txt,line=7,col=1,endLine=7,endColumn=2,title=numbering/paragraph::paragraph numbering jumps to 4"
        ),
        "{out}"
    );
}

#[test]
fn suppression_markdown_and_plain_text() {
    let d = Dir::new();
    let md = GAP.replace(
        "4. La réunion",
        "<!-- unlint-disable-next-line numbering/paragraph -->\n4. La réunion",
    );
    d.write("a.md", &md);
    let o = d.run(&["--isolated", "a.md"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));

    let txt = GAP.replace("4. La réunion", "# unlint-disable numbering\n4. La réunion");
    d.write("a.txt", &txt);
    let o = d.run(&["--isolated", "a.txt"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));

    // Region closed before the defect: the finding stays and the disable is unused.
    let txt = GAP.replace(
        "4. La réunion",
        "<!-- unlint-disable numbering -->\n<!-- unlint-enable -->\n4. La réunion",
    );
    d.write("b.txt", &txt);
    let o = d.run(&["--isolated", "b.txt"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("[numbering/paragraph]"), "{out}");
    assert!(
        out.contains("suppression `unlint-disable numbering` suppresses nothing"),
        "{out}"
    );

    // An unused suppression is reported after the other rules ran, and still listed in
    // position order among their findings.
    d.write(
        "order.md",
        "## I. Introduction\n\n<!-- unlint-disable-next-line dates -->\n1. Texte.\n\n2. Texte.\n\n4. Texte.\n",
    );
    let o = d.run(&["--isolated", "--format", "json", "order.md"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["unlint/unused-suppression", "numbering/paragraph"],
        "{v}"
    );

    // Two unused rules on one marker: two findings, one fix (removing the line).
    d.write(
        "two.md",
        "1. Texte.\n<!-- unlint-disable numbering/paragraph, numbering/section -->\n2. Texte.\n",
    );
    let o = d.run(&["--isolated", "--format", "sarif", "two.md"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{v}");
    assert_eq!(results.iter().filter(|r| r["fixes"].is_array()).count(), 1);

    // Marker lines do not count as paragraphs or break the numbering.
    d.write(
        "c.md",
        "## I. Introduction\n\n1. Texte.\n\n<!-- unlint-disable-next-line numbering -->\n\n2. Texte.\n",
    );
    let o = d.run(&["--isolated", "c.md"]);
    let out = stdout(&o);
    assert!(!out.contains("[numbering/"), "{out}");
    assert!(out.contains("suppresses nothing"), "{out}");
}

#[test]
fn baseline_reports_only_new_findings() {
    let d = Dir::new();
    d.write("gap.txt", GAP);
    let o = d.run(&["--isolated", "--write-baseline", "baseline.json", "gap.txt"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let text = std::fs::read_to_string(d.path().join("baseline.json")).unwrap();
    let b: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(b["version"], 1);
    let f = &b["findings"][0];
    assert_eq!(f["rule"], "numbering/paragraph");
    assert_eq!(f["path"], "gap.txt");
    assert_eq!(f["text"], "4");
    assert_eq!(f["count"], 1);
    assert!(
        text.find("line").is_none(),
        "no line numbers in a baseline: {text}"
    );

    // Lines inserted above: the old finding is still known.
    let shifted = GAP.replace(
        "I. Introduction\n",
        "Note liminaire.\n\n\nI. Introduction\n",
    );
    d.write("gap.txt", &shifted);
    let o = d.run(&["--isolated", "--baseline", "baseline.json", "gap.txt"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).contains("no problems found"));

    // A new defect is reported.
    let worse = format!("{shifted}\n6. Encore un saut.\n");
    d.write("gap.txt", &worse);
    let o = d.run(&[
        "--isolated",
        "--baseline",
        "baseline.json",
        "--format",
        "json",
        "gap.txt",
    ]);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{v}");
    assert!(diags[0]["message"].as_str().unwrap().contains("jumps to 6"));

    // Writing the same findings twice gives the same file.
    let o1 = d.run(&["--isolated", "--write-baseline", "b1.json", "gap.txt"]);
    let o2 = d.run(&["--isolated", "--write-baseline", "b2.json", "gap.txt"]);
    assert_eq!(code(&o1), 0);
    assert_eq!(code(&o2), 0);
    assert_eq!(
        std::fs::read(d.path().join("b1.json")).unwrap(),
        std::fs::read(d.path().join("b2.json")).unwrap()
    );

    // A missing or broken baseline is an error.
    assert_eq!(
        code(&d.run(&["--isolated", "--baseline", "nope.json", "gap.txt"])),
        2
    );
    d.write("bad.json", "{ \"version\": 1, ");
    let o = d.run(&["--isolated", "--baseline", "bad.json", "gap.txt"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("bad.json"), "{}", stderr(&o));
}

#[test]
fn statistics_counts_per_rule() {
    let d = Dir::new();
    d.write("gap.txt", GAP);
    d.write(
        "a.md",
        "<!-- unlint-disable foo -->\n<!-- unlint-disable bar -->\n1. Texte.\n\n3. Texte.\n",
    );
    let o = d.run(&["--isolated", "--statistics", "gap.txt", "a.md"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].trim_start().starts_with("2  numbering/paragraph"),
        "{out}"
    );
    assert!(
        lines[1]
            .trim_start()
            .starts_with("2  unlint/unused-suppression"),
        "{out}"
    );
    assert_eq!(lines[2], "4 problems in 2 files");
    // Only with the human format.
    let o = d.run(&["--isolated", "--statistics", "--format", "json", "gap.txt"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn init_and_config() {
    let d = Dir::new();
    let o = d.run(&["init"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(d.path().join("unlint.toml")).unwrap();
    assert!(
        text.contains("# \"numbering/paragraph\" = \"warning\""),
        "{text}"
    );
    assert!(text.contains("# \"unlint/unused-suppression\" = \"warning\""));
    // Refuses to overwrite, unless --force.
    let o = d.run(&["init"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--force"));
    std::fs::write(d.path().join("unlint.toml"), "# mine\n").unwrap();
    assert_eq!(code(&d.run(&["init", "--force"])), 0);
    let text = std::fs::read_to_string(d.path().join("unlint.toml")).unwrap();
    assert!(text.starts_with("# unlint configuration"));

    // The generated file loads; `config` shows every rule and where each setting comes from.
    let o = d.run(&["config"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("unlint.toml\n"), "{out}");
    assert!(out.contains("\"numbering/paragraph\""), "{out}");
    assert!(out.contains("# default"), "{out}");
    // The data sections are shown too, with the layers they came from.
    assert!(
        out.contains("# [terminology] merged from: rules/terminology-fr.toml"),
        "{out}"
    );
    assert!(out.contains("[[terminology.set]]"), "{out}");
    assert!(
        out.contains("# [references] merged from: rules/references.toml"),
        "{out}"
    );

    // Uncomment one setting: `config` names the layer.
    let changed = text.replace(
        "# \"numbering/paragraph\" = \"warning\"",
        "\"numbering/paragraph\" = \"error\"",
    );
    std::fs::write(d.path().join("unlint.toml"), changed).unwrap();
    let o = d.run(&["config"]);
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("\"numbering/paragraph\""))
        .unwrap();
    assert!(line.contains("severity = \"error\""), "{line}");
    assert!(
        line.ends_with("# unlint.toml") || line.contains("unlint.toml"),
        "{line}"
    );
    // The effective configuration is itself valid TOML.
    let body: String = out
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(body.parse::<toml::Table>().is_ok(), "{out}");

    // The discovered file is used by checks.
    d.write("gap.txt", GAP);
    let o = d.run(&["gap.txt"]);
    assert!(
        stdout(&o).contains("error[numbering/paragraph]"),
        "{}",
        stdout(&o)
    );
    let o = d.run(&["--isolated", "gap.txt"]);
    assert!(stdout(&o).contains("warning[numbering/paragraph]"));
}

#[test]
fn config_errors_exit_2_with_position() {
    let d = Dir::new();
    d.write("gap.txt", GAP);
    d.write("unlint.toml", "[rules]\n\"numbering/paragraph\" = \n");
    let o = d.run(&["gap.txt"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("unlint.toml:2:"), "{err}");

    d.write("unlint.toml", "[rules]\n\"numbering/paragraf\" = \"off\"\n");
    let o = d.run(&["gap.txt"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("unknown rule id `numbering/paragraf`"),
        "{err}"
    );
    assert!(err.contains("unlint.toml:2:1"), "{err}");
    assert!(err.contains("numbering/paragraph"), "{err}");

    let o = d.run(&["config"]);
    assert_eq!(code(&o), 2);
    let o = d.run(&["--isolated", "--config", "missing.toml", "gap.txt"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn broken_inputs_are_reported_and_others_still_checked() {
    let d = Dir::new();
    d.write("gap.txt", GAP);
    d.write("latin1.txt", b"Le r\xe9sum\xe9 du rapport.\n");
    d.write("binary.txt", b"PK\x03\x04\0\0\x01");
    d.write("empty.md", "");
    let o = d.run(&["--isolated", "--format", "json", "."]);
    assert_eq!(code(&o), 2, "encoding and binary problems exit 2");
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["files_checked"], 4);
    let rules: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (file, rule) in [
        ("binary.txt", "input/binary"),
        ("empty.md", "input/empty"),
        ("gap.txt", "numbering/paragraph"),
        ("latin1.txt", "input/encoding"),
    ] {
        assert!(
            rules.iter().any(|(p, r)| p.ends_with(file) && r == rule),
            "{file} {rule}: {rules:?}"
        );
    }
    // An empty file alone is a warning (exit 1), not an I/O error.
    let o = d.run(&["--isolated", "empty.md"]);
    assert_eq!(code(&o), 1);
}

#[test]
fn crlf_and_bom_parse_like_lf() {
    let d = Dir::new();
    d.write("lf.txt", GAP);
    d.write("crlf.txt", GAP.replace('\n', "\r\n"));
    d.write("bom.txt", format!("\u{feff}{GAP}"));
    d.write(
        "bomcrlf.md",
        format!("\u{feff}{}", GAP.replace('\n', "\r\n")),
    );
    let mut outs = Vec::new();
    for f in ["lf.txt", "crlf.txt", "bom.txt", "bomcrlf.md"] {
        let o = d.run(&["--isolated", "--format", "json", f]);
        assert_eq!(code(&o), 1, "{f}");
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        let diags = v["diagnostics"].as_array().unwrap().clone();
        assert_eq!(diags.len(), 1, "{f}: {v}");
        outs.push((
            diags[0]["rule"].clone(),
            diags[0]["line"].clone(),
            diags[0]["message"].clone(),
        ));
    }
    assert!(outs.windows(2).all(|w| w[0] == w[1]), "{outs:?}");
}

#[test]
fn many_files_never_draw_progress_into_machine_output() {
    let d = Dir::new();
    for i in 0..40 {
        d.write(&format!("r{i:02}.txt"), CLEAN);
    }
    for format in ["json", "sarif", "github"] {
        let o = d.run(&["--isolated", "--format", format, "."]);
        assert_eq!(code(&o), 0, "{format}");
        assert_eq!(stderr(&o), "", "{format}");
    }
    let o = d.run(&["--isolated", "."]);
    assert_eq!(stderr(&o), "", "no TTY, no progress bar");
    assert!(stdout(&o).contains("no problems found in 40 files"));
}

#[test]
fn pre_commit_hook_definition() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    assert!(text.contains("- id: unlint"));
    assert!(text.contains("entry: unlint"));
    assert!(text.contains("language: rust"));
}
