//! `plumb import findings`: SARIF 2.1.0 logs (CodeQL, Semgrep, and any scanner that writes
//! SARIF) become [`Finding`]s.
//!
//! Each result of each run is one finding:
//!
//! - **tool**: the run's `tool.driver.name`.
//! - **rule**: the result's `ruleId`, else `rule.id`, else the `id` of the rule its
//!   `ruleIndex` (or `rule.index`, with `rule.toolComponent.index` naming one of
//!   `tool.extensions`, as CodeQL writes) points at. A result with none of these is refused.
//! - **kind**: `--kind` when given; otherwise `security` when the rule is tagged `security`
//!   (in `properties.tags`) or carries a `security-severity` property (GitHub's convention
//!   for security queries), else `quality`.
//! - **severity**: from the rule's `security-severity` score when present, read as a CVSS
//!   score (≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low, 0 info); otherwise from the SARIF
//!   level: `error` high, `warning` medium, `note` low, `none` info. The level is the
//!   result's, else the rule's `defaultConfiguration.level`, else `warning`, as the SARIF
//!   spec says (§3.27.10; and `none` when the result's `kind` is not `fail`).
//! - **path**: the first location's `artifactLocation.uri` (or the run's `artifacts` entry
//!   its `index` names), percent-decoded, without a leading `file://` or `./`. **line**: its
//!   `region.startLine`. **message**: `message.text` (else `message.markdown`).
//! - **first/last seen**: when the run's scan ended (`invocations[].endTimeUtc`, else
//!   `startTimeUtc`), else `--scanned-at`; without either the file is refused, as a finding
//!   without a date cannot be placed on any timeline.
//! - **fingerprint**: the result's `fingerprints` value (of the alphabetically first key:
//!   SARIF defines these as the result's stable identity). Otherwise its
//!   `partialFingerprints` value (first key), hashed with the rule and the path: a partial
//!   fingerprint such as CodeQL's `primaryLocationLineHash` identifies a spot in the code, and
//!   two rules firing on the same line, or the same boilerplate in two files, share it.
//!   Otherwise a hash of rule, path, line and message ([`stable_hash`]).
//!
//! Results that are not findings are left out, each reason counted in a note: `kind` `pass`
//! or `notApplicable`, an accepted suppression (a dismissed alert), and `baselineState`
//! `absent` (a finding the scan reports as gone). A result reported twice (same tool and
//! fingerprint; scanners do repeat themselves) is imported once, seen from the earliest to
//! the latest of its scans, with a note.
//!
//! Only the fields above are read; everything else SARIF allows is ignored.

use crate::json::{self, Fields, JsonPath, Lines, field};
use crate::{ImportKind, Invalid, Keyed, Options, Parsed, Problem, Problems, stable_hash};
use jiff::Timestamp;
use plumb_model::records::{Finding, FindingKind, Record, Severity};
use serde_json::Value;
use std::collections::HashMap;

/// Parses a SARIF 2.1.0 log.
pub fn parse(file: &str, bytes: &[u8], opts: &Options) -> Result<Parsed, Invalid> {
    let refuse = |p: Problem| Invalid {
        file: file.to_string(),
        problems: vec![p],
        more: 0,
    };
    let text = json::strip_bom(bytes);
    if json::is_blank(text) {
        return Err(refuse(Problem::file(
            "the file is empty: expected a SARIF 2.1.0 log",
        )));
    }
    let doc = json::parse_value(text, 0).map_err(refuse)?;
    if !doc.is_object() {
        return Err(refuse(Problem::file(format!(
            "not a SARIF log: expected an object with \"version\" and \"runs\", found {}",
            what_json(&doc)
        ))));
    }
    let lines = Lines::scan(
        text,
        &[
            &["version"],
            &["runs"],
            &["runs", "*"],
            &["runs", "*", "results", "*"],
            &["runs", "*", "tool", "driver", "rules", "*"],
            &["runs", "*", "tool", "extensions", "*", "rules", "*"],
        ],
    );
    let mut problems = Problems::default();
    let root = JsonPath::root();

    let runs = {
        let version = root.key("version");
        let mut f = Fields {
            line: lines.of(&version),
            problems: &mut problems,
        };
        match f.string(&doc, "version", &root) {
            Some("2.1.0") => {}
            Some(v) => f.push(
                &version,
                Some(v),
                "is not supported: expected SARIF version \"2.1.0\"",
            ),
            None if field(&doc, "version").is_none() => f.missing(&version, "\"2.1.0\""),
            None => {}
        }
        f.line = lines.of(&root.key("runs"));
        let runs = f.array(&doc, "runs", &root);
        if field(&doc, "runs").is_none() {
            f.missing(&root.key("runs"), "the array of runs a SARIF log holds");
        }
        // A log of another version or without runs is not worth reading further: every
        // later message would be noise.
        std::mem::take(&mut problems).finish(file)?;
        runs.unwrap_or_default()
    };

    let mut records = Vec::new();
    let mut skipped = Skipped::default();
    for (i, run) in runs.iter().enumerate() {
        read_run(
            run,
            &root.key("runs").index(i),
            &lines,
            opts,
            &mut records,
            &mut skipped,
            &mut problems,
        );
    }
    problems.finish(file)?;

    let (records, repeated) = merge_repeats(records);
    let mut notes = skipped.notes();
    if repeated > 0 {
        notes.push(format!(
            "{repeated} result{} repeated an earlier one (same tool and fingerprint) and {} merged into it",
            plural(repeated),
            if repeated == 1 { "was" } else { "were" }
        ));
    }
    Ok(Parsed {
        kind: ImportKind::Findings,
        records,
        notes,
    })
}

/// A JSON value's type, for messages.
pub(crate) fn what_json(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Results left out because they are not findings, by reason.
#[derive(Default)]
struct Skipped {
    not_failures: usize,
    suppressed: usize,
    absent: usize,
}

impl Skipped {
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let mut note = |n: usize, why: &str| {
            if n > 0 {
                notes.push(format!("{n} result{} left out: {why}", plural(n)));
            }
        };
        note(
            self.not_failures,
            "kind pass or notApplicable (not a finding)",
        );
        note(self.suppressed, "suppressed (dismissed in the scanner)");
        note(self.absent, "baselineState absent (no longer found)");
        notes
    }
}

/// What the importer needs of a rule (`reportingDescriptor`).
#[derive(Default)]
struct Rule {
    id: Option<String>,
    security: bool,
    /// The `security-severity` score, 0–10.
    score: Option<f64>,
    level: Option<Severity>,
}

fn read_rules(
    rules: Option<&[Value]>,
    path: &JsonPath,
    lines: &Lines,
    problems: &mut Problems,
) -> Vec<Rule> {
    let Some(rules) = rules else {
        return Vec::new();
    };
    rules
        .iter()
        .enumerate()
        .map(|(k, rule)| {
            let rp = path.index(k);
            let mut f = Fields {
                line: lines.of(&rp),
                problems,
            };
            if !rule.is_object() {
                f.push(
                    &rp,
                    None,
                    format!("{} is not a rule: expected an object", json::shown(rule)),
                );
                return Rule::default();
            }
            let id = f.string(rule, "id", &rp).map(str::to_string);
            let level = f
                .object(rule, "defaultConfiguration", &rp)
                .and_then(|_| field(rule, "defaultConfiguration"))
                .and_then(|dc| level(&mut f, dc, &rp.key("defaultConfiguration")));
            let props = field(rule, "properties").filter(|p| p.is_object());
            let pp = rp.key("properties");
            let security = props.is_some_and(has_security_tag)
                || props.is_some_and(|p| field(p, "security-severity").is_some());
            let score = props.and_then(|p| security_severity(&mut f, p, &pp));
            Rule {
                id,
                security,
                score,
                level,
            }
        })
        .collect()
}

fn has_security_tag(props: &Value) -> bool {
    field(props, "tags")
        .and_then(Value::as_array)
        .is_some_and(|tags| {
            tags.iter().any(|t| {
                t.as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case("security"))
            })
        })
}

/// GitHub's `security-severity` property: a CVSS-like score 0.0–10.0, written as a string
/// (`"8.1"`) or a number.
fn security_severity(f: &mut Fields<'_>, props: &Value, path: &JsonPath) -> Option<f64> {
    let v = field(props, "security-severity")?;
    let p = path.key("security-severity");
    let score = match v {
        Value::String(s) => s.trim().parse::<f64>().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    match score {
        Some(s) if (0.0..=10.0).contains(&s) => Some(s),
        _ => {
            let why = "is not a security severity: expected a score from 0.0 to 10.0";
            match v.as_str() {
                Some(s) => f.push(&p, Some(s), why),
                None => f.push(&p, None, format!("{} {why}", json::shown(v))),
            }
            None
        }
    }
}

fn score_severity(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    }
}

/// The `level` of `v` as a severity.
fn level(f: &mut Fields<'_>, v: &Value, path: &JsonPath) -> Option<Severity> {
    let s = f.string(v, "level", path)?;
    let sev = level_severity(s);
    if sev.is_none() {
        f.push(
            &path.key("level"),
            Some(s),
            "is not a SARIF level: expected error/warning/note/none",
        );
    }
    sev
}

fn level_severity(level: &str) -> Option<Severity> {
    match level {
        "error" => Some(Severity::High),
        "warning" => Some(Severity::Medium),
        "note" => Some(Severity::Low),
        "none" => Some(Severity::Info),
        _ => None,
    }
}

/// An optional array index where SARIF writes -1 for "not given".
fn index(f: &mut Fields<'_>, v: &Value, key: &str, path: &JsonPath) -> Option<usize> {
    let x = field(v, key)?;
    match x.as_i64() {
        Some(-1) => None,
        Some(n) if n >= 0 => usize::try_from(n).ok(),
        _ => {
            f.push(
                &path.key(key),
                None,
                format!("{} is not an index: expected 0 or more", json::shown(x)),
            );
            None
        }
    }
}

fn read_run(
    run: &Value,
    rp: &JsonPath,
    lines: &Lines,
    opts: &Options,
    records: &mut Vec<Keyed>,
    skipped: &mut Skipped,
    problems: &mut Problems,
) {
    let run_line = lines.of(rp);
    if !run.is_object() {
        let mut f = Fields {
            line: run_line,
            problems,
        };
        f.push(
            rp,
            None,
            format!("{} is not a run: expected an object", json::shown(run)),
        );
        return;
    }
    let empty = Value::Null;
    let tool = field(run, "tool").unwrap_or(&empty);
    let driver = field(tool, "driver").unwrap_or(&empty);
    let driver_path = rp.key("tool").key("driver");

    let mut f = Fields {
        line: run_line,
        problems,
    };
    let tool_name = f.string(driver, "name", &driver_path).map(str::to_string);
    if tool_name.is_none() && field(driver, "name").is_none() {
        f.missing(&driver_path.key("name"), "the scanner's name");
    }
    let driver_rules = f.array(driver, "rules", &driver_path);
    let extensions = f
        .array(tool, "extensions", &rp.key("tool"))
        .unwrap_or_default();
    let artifacts = f.array(run, "artifacts", rp).unwrap_or_default();
    let before = f.problems.len();
    let stated = scan_time(&mut f, run, rp);
    // A time that is there but unreadable has been reported; do not also call it unknown.
    let time_unreadable = f.problems.len() > before;
    let scanned_at = stated.or(opts.scanned_at);
    let results = f.array(run, "results", rp).unwrap_or_default();

    let driver_rules = read_rules(driver_rules, &driver_path.key("rules"), lines, problems);
    let extension_rules: Vec<Vec<Rule>> = extensions
        .iter()
        .enumerate()
        .map(|(k, ext)| {
            let ep = rp.key("tool").key("extensions").index(k);
            let mut f = Fields {
                line: run_line,
                problems,
            };
            let rules = f.array(ext, "rules", &ep);
            read_rules(rules, &ep.key("rules"), lines, problems)
        })
        .collect();
    let ctx = RunCtx {
        driver_rules: &driver_rules,
        extension_rules: &extension_rules,
        artifacts,
    };

    let mut kept = 0usize;
    for (j, result) in results.iter().enumerate() {
        let resp = rp.key("results").index(j);
        let line = lines.of(&resp).or(run_line);
        let mut f = Fields { line, problems };
        let Some(mut finding) = read_result(&mut f, result, &resp, &ctx, opts, skipped) else {
            continue;
        };
        kept += 1;
        let (Some(tool), Some(at)) = (&tool_name, scanned_at) else {
            continue;
        };
        finding.tool.clone_from(tool);
        finding.first_seen = at;
        finding.last_seen = at;
        let record = Record::Findings(finding);
        records.push(Keyed {
            key: record.key(),
            line: line.unwrap_or(1),
            record,
        });
    }
    if kept > 0 && scanned_at.is_none() && !time_unreadable {
        let mut f = Fields {
            line: run_line,
            problems,
        };
        f.push(
            rp,
            None,
            "the scan time is unknown: no invocations[].endTimeUtc or startTimeUtc; pass --scanned-at",
        );
    }
}

/// When the run's scan happened, by its own account: the first invocation end time, else
/// the first start time.
fn scan_time(f: &mut Fields<'_>, run: &Value, rp: &JsonPath) -> Option<Timestamp> {
    let invocations = f.array(run, "invocations", rp).unwrap_or_default();
    let mut end = None;
    let mut start = None;
    for (k, inv) in invocations.iter().enumerate() {
        let ip = rp.key("invocations").index(k);
        let e = f.timestamp(inv, "endTimeUtc", &ip);
        let s = f.timestamp(inv, "startTimeUtc", &ip);
        end = end.or(e);
        start = start.or(s);
    }
    end.or(start)
}

struct RunCtx<'a> {
    driver_rules: &'a [Rule],
    extension_rules: &'a [Vec<Rule>],
    artifacts: &'a [Value],
}

impl RunCtx<'_> {
    fn rule_by_id(&self, id: &str) -> Option<&Rule> {
        self.driver_rules
            .iter()
            .chain(self.extension_rules.iter().flatten())
            .find(|r| r.id.as_deref() == Some(id))
    }
}

/// One result as a finding, with tool and times left for the caller to fill in; `None` when
/// it is refused (problems pushed) or left out (counted in `skipped`).
fn read_result(
    f: &mut Fields<'_>,
    result: &Value,
    resp: &JsonPath,
    ctx: &RunCtx<'_>,
    opts: &Options,
    skipped: &mut Skipped,
) -> Option<Finding> {
    if !result.is_object() {
        f.push(
            resp,
            None,
            format!(
                "{} is not a result: expected an object",
                json::shown(result)
            ),
        );
        return None;
    }
    let empty = Value::Null;
    let before = f.problems.len();

    // Results that are not failures, dismissed ones and gone ones are not findings.
    let kind = f.string(result, "kind", resp).unwrap_or("fail");
    if kind == "pass" || kind == "notApplicable" {
        skipped.not_failures += 1;
        return None;
    }
    if is_suppressed(result) {
        skipped.suppressed += 1;
        return None;
    }
    if f.string(result, "baselineState", resp) == Some("absent") {
        skipped.absent += 1;
        return None;
    }

    // The rule: by id, or by index into the driver's or an extension's rules.
    let rule_ref = f
        .object(result, "rule", resp)
        .and_then(|_| field(result, "rule"))
        .unwrap_or(&empty);
    let ref_path = resp.key("rule");
    let rule_id = f
        .string(result, "ruleId", resp)
        .or_else(|| f.string(rule_ref, "id", &ref_path));
    let rule_index =
        index(f, result, "ruleIndex", resp).or_else(|| index(f, rule_ref, "index", &ref_path));
    let component = field(rule_ref, "toolComponent")
        .map(|tc| index(f, tc, "index", &ref_path.key("toolComponent")));
    let (rules, rules_path) = match component.flatten() {
        Some(c) => (
            ctx.extension_rules
                .get(c)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            format!("tool.extensions[{c}].rules"),
        ),
        None => (ctx.driver_rules, "tool.driver.rules".to_string()),
    };
    let by_index = rule_index.and_then(|k| rules.get(k));
    let descriptor = by_index.or_else(|| rule_id.and_then(|id| ctx.rule_by_id(id)));
    let rule = match (rule_id, by_index.and_then(|r| r.id.as_deref())) {
        (Some(id), _) | (None, Some(id)) => id.to_string(),
        (None, None) => {
            match rule_index {
                Some(k) if by_index.is_none() => f.push(
                    &resp.key("ruleIndex"),
                    None,
                    format!(
                        "{k} is out of range: the run's {rules_path} has {} rules",
                        rules.len()
                    ),
                ),
                _ => f.missing(
                    &resp.key("ruleId"),
                    &format!("a ruleId, or a ruleIndex into the run's {rules_path}"),
                ),
            }
            return None;
        }
    };

    let finding_kind = opts
        .finding_kind
        .unwrap_or(if descriptor.is_some_and(|d| d.security) {
            FindingKind::Security
        } else {
            FindingKind::Quality
        });
    let result_level = level(f, result, resp);
    let severity = match descriptor.and_then(|d| d.score) {
        Some(score) => score_severity(score),
        None => result_level
            .or(if kind == "fail" {
                descriptor.and_then(|d| d.level)
            } else {
                Some(Severity::Info)
            })
            .unwrap_or(Severity::Medium),
    };

    let (path, line) = location(f, result, resp, ctx);
    let message = field(result, "message").and_then(|m| {
        let mp = resp.key("message");
        f.string(m, "text", &mp)
            .or_else(|| f.string(m, "markdown", &mp))
            .map(str::to_string)
    });
    let fingerprint = match scanner_fingerprint(f, result, resp) {
        Some(Fingerprint::Full(fp)) => fp,
        Some(Fingerprint::Partial(key, value)) => {
            stable_hash(&[&rule, path.as_deref().unwrap_or(""), &key, &value])
        }
        None => stable_hash(&[
            &rule,
            path.as_deref().unwrap_or(""),
            &line.map(|l| l.to_string()).unwrap_or_default(),
            message.as_deref().unwrap_or(""),
        ]),
    };
    if f.problems.len() > before {
        return None;
    }
    Some(Finding {
        kind: finding_kind,
        tool: String::new(),
        rule,
        severity,
        path,
        line,
        url: None,
        message,
        first_seen: Timestamp::UNIX_EPOCH,
        last_seen: Timestamp::UNIX_EPOCH,
        fingerprint,
    })
}

/// Whether a suppression without a status, or with status `accepted`, applies (SARIF
/// §3.35: `underReview` and `rejected` suppressions leave the result standing).
fn is_suppressed(result: &Value) -> bool {
    field(result, "suppressions")
        .and_then(Value::as_array)
        .is_some_and(|s| {
            s.iter()
                .any(|sup| match field(sup, "status").and_then(Value::as_str) {
                    None | Some("accepted") => true,
                    Some(_) => false,
                })
        })
}

/// The first location's path and start line.
fn location(
    f: &mut Fields<'_>,
    result: &Value,
    resp: &JsonPath,
    ctx: &RunCtx<'_>,
) -> (Option<String>, Option<u64>) {
    let Some(first) = f
        .array(result, "locations", resp)
        .and_then(<[Value]>::first)
    else {
        return (None, None);
    };
    let lp = resp.key("locations").index(0);
    let Some(physical) = field(first, "physicalLocation") else {
        return (None, None);
    };
    let pp = lp.key("physicalLocation");
    let mut uri = None;
    if let Some(artifact) = field(physical, "artifactLocation") {
        let ap = pp.key("artifactLocation");
        uri = f.string(artifact, "uri", &ap).map(str::to_string);
        if uri.is_none()
            && let Some(k) = index(f, artifact, "index", &ap)
        {
            uri = ctx
                .artifacts
                .get(k)
                .and_then(|a| field(a, "location"))
                .and_then(|l| field(l, "uri"))
                .and_then(Value::as_str)
                .map(str::to_string);
        }
    }
    let line = field(physical, "region").and_then(|region| {
        let rp = pp.key("region");
        let line = f.count(region, "startLine", &rp)?;
        if line == 0 {
            f.push(
                &rp.key("startLine"),
                None,
                "0 is not a line number: expected 1 or more",
            );
            return None;
        }
        Some(line)
    });
    (uri.map(|u| clean_path(&u)).filter(|p| !p.is_empty()), line)
}

/// A SARIF artifact URI as a repository path: without `file://` and `./`, percent-decoded.
fn clean_path(uri: &str) -> String {
    let mut p = uri.strip_prefix("file://").unwrap_or(uri);
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    percent_decode(p)
}

/// Decodes `%XX` escapes; the text stays as written when the result would not be UTF-8.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = |k: usize| b.get(k).and_then(|h| (*h as char).to_digit(16));
        match (c, hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                // Two hex digits make at most 0xFF.
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
                i += 3;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

enum Fingerprint {
    /// A `fingerprints` value: the result's identity by itself.
    Full(String),
    /// A `partialFingerprints` entry (key, value): identity only with rule and path.
    Partial(String, String),
}

fn scanner_fingerprint(f: &mut Fields<'_>, result: &Value, resp: &JsonPath) -> Option<Fingerprint> {
    for key in ["fingerprints", "partialFingerprints"] {
        let Some(map) = f.object(result, key, resp) else {
            continue;
        };
        let mut entries: Vec<(&String, &Value)> = map.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (name, value) in entries {
            match value.as_str() {
                Some(v) if !v.is_empty() => {
                    return Some(if key == "fingerprints" {
                        Fingerprint::Full(v.to_string())
                    } else {
                        Fingerprint::Partial(name.clone(), v.to_string())
                    });
                }
                Some(_) => {}
                None => f.push(
                    &resp.key(key).key(name),
                    None,
                    format!(
                        "{} is not a fingerprint: expected a string",
                        json::shown(value)
                    ),
                ),
            }
        }
    }
    None
}

/// Keeps one record per key, the first, widened to the earliest first sighting and the
/// latest last sighting of its repeats; returns how many repeats were merged. For findings
/// only (SARIF results, axe nodes), where a repeat is a scanner saying the same thing twice.
pub(crate) fn merge_repeats(records: Vec<Keyed>) -> (Vec<Keyed>, usize) {
    let mut out: Vec<Keyed> = Vec::with_capacity(records.len());
    let mut at: HashMap<String, usize> = HashMap::with_capacity(records.len());
    let mut merged = 0;
    for r in records {
        if let Some(&k) = at.get(&r.key) {
            merged += 1;
            if let (
                Some(Keyed {
                    record: Record::Findings(kept),
                    ..
                }),
                Record::Findings(new),
            ) = (out.get_mut(k), &r.record)
            {
                kept.first_seen = kept.first_seen.min(new.first_seen);
                kept.last_seen = kept.last_seen.max(new.last_seen);
            }
        } else {
            at.insert(r.key.clone(), out.len());
            out.push(r);
        }
    }
    (out, merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "scan.sarif";

    fn ok(text: &str, opts: &Options) -> Parsed {
        crate::testing::accepted(parse, FILE, text, opts)
    }

    /// The problems a refused file is refused for, as rendered.
    fn problems(text: &str) -> Vec<String> {
        crate::testing::refused(parse, FILE, text)
    }

    use crate::testing::findings;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// A one-run log with two rules, an invocation, and `results` on lines 8 onwards.
    fn log(results: &str) -> String {
        format!(
            r#"{{"version": "2.1.0", "runs": [{{
  "tool": {{"driver": {{"name": "Semgrep", "rules": [
    {{"id": "py.sqli", "properties": {{"tags": ["security"], "security-severity": "7.5"}}}},
    {{"id": "py.style", "defaultConfiguration": {{"level": "note"}}}}
  ]}}}},
  "invocations": [{{"startTimeUtc": "2026-03-04T09:00:00Z", "endTimeUtc": "2026-03-04T09:15:00Z"}}],
  "results": [
{results}
  ]
}}]}}"#
        )
    }

    #[test]
    fn results_become_findings() {
        let p = ok(
            &log(
                r#"{"ruleId": "py.sqli", "message": {"text": "SQL built from input"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file://./app/db.py"}, "region": {"startLine": 12}}}], "fingerprints": {"b": "zzz", "a/v1": "fp-1"}},
{"ruleIndex": 1, "message": {"text": "line too long"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/views.py"}, "region": {"startLine": 3}}}]},
{"ruleId": "py.other", "level": "error", "partialFingerprints": {"hash/v1": "abc"}}"#,
            ),
            &Options::default(),
        );
        let at = ts("2026-03-04T09:15:00Z");
        assert_eq!(
            findings(&p),
            vec![
                Finding {
                    kind: FindingKind::Security,
                    tool: "Semgrep".into(),
                    rule: "py.sqli".into(),
                    severity: Severity::High,
                    path: Some("app/db.py".into()),
                    line: Some(12),
                    url: None,
                    message: Some("SQL built from input".into()),
                    first_seen: at,
                    last_seen: at,
                    fingerprint: "fp-1".into(),
                },
                Finding {
                    kind: FindingKind::Quality,
                    tool: "Semgrep".into(),
                    rule: "py.style".into(),
                    severity: Severity::Low,
                    path: Some("app/views.py".into()),
                    line: Some(3),
                    url: None,
                    message: Some("line too long".into()),
                    first_seen: at,
                    last_seen: at,
                    fingerprint: stable_hash(&["py.style", "app/views.py", "3", "line too long"]),
                },
                Finding {
                    kind: FindingKind::Quality,
                    tool: "Semgrep".into(),
                    rule: "py.other".into(),
                    severity: Severity::High,
                    path: None,
                    line: None,
                    url: None,
                    message: None,
                    first_seen: at,
                    last_seen: at,
                    fingerprint: stable_hash(&["py.other", "", "hash/v1", "abc"]),
                },
            ]
        );
        let lines: Vec<u64> = p.records.iter().map(|k| k.line).collect();
        assert_eq!(lines, [8, 9, 10]);
        assert_eq!(p.records[0].key, "security\u{1f}Semgrep\u{1f}fp-1");
        assert_eq!(p.kind, ImportKind::Findings);
        assert!(p.notes.is_empty());
    }

    #[test]
    fn severity_from_score_else_level() {
        let cases = [
            (10.0, Severity::Critical),
            (9.0, Severity::Critical),
            (8.9, Severity::High),
            (7.0, Severity::High),
            (4.0, Severity::Medium),
            (3.9, Severity::Low),
            (0.1, Severity::Low),
            (0.0, Severity::Info),
        ];
        for (score, want) in cases {
            assert_eq!(score_severity(score), want, "{score}");
        }
        // Level: the result's, else the rule's default, else warning; none when the result
        // is not a failure.
        let p = ok(
            &log(
                r#"{"ruleId": "py.style", "level": "error", "message": {"text": "a"}},
{"ruleId": "py.style", "message": {"text": "b"}},
{"ruleId": "py.unknown", "message": {"text": "c"}},
{"ruleId": "py.unknown", "kind": "review", "message": {"text": "d"}},
{"ruleId": "py.sqli", "level": "note", "message": {"text": "e"}}"#,
            ),
            &Options::default(),
        );
        let got: Vec<Severity> = findings(&p).iter().map(|f| f.severity).collect();
        assert_eq!(
            got,
            [
                Severity::High,
                Severity::Low,
                Severity::Medium,
                Severity::Info,
                Severity::High
            ]
        );
    }

    #[test]
    fn kind_option_overrides_the_rule_tags() {
        let opts = Options {
            finding_kind: Some(FindingKind::Design),
            ..Options::default()
        };
        let p = ok(
            &log(r#"{"ruleId": "py.sqli", "message": {"text": "a"}}"#),
            &opts,
        );
        assert_eq!(findings(&p)[0].kind, FindingKind::Design);
    }

    #[test]
    fn scan_time_falls_back_to_start_then_the_option() {
        let doc = |inv: &str| {
            format!(
                r#"{{"version": "2.1.0", "runs": [{{"tool": {{"driver": {{"name": "t"}}}}, {inv}
"results": [{{"ruleId": "r", "message": {{"text": "m"}}}}]}}]}}"#
            )
        };
        let p = ok(
            &doc(r#""invocations": [{"startTimeUtc": "2026-03-04T10:15:00+01:00"}],"#),
            &Options::default(),
        );
        assert_eq!(findings(&p)[0].first_seen, ts("2026-03-04T09:15:00Z"));
        let opts = Options {
            scanned_at: Some(ts("2026-03-05T00:00:00Z")),
            ..Options::default()
        };
        let p = ok(&doc(""), &opts);
        assert_eq!(findings(&p)[0].last_seen, ts("2026-03-05T00:00:00Z"));
        assert_eq!(
            problems(&doc("")),
            [
                "scan.sarif:1: runs[0]: the scan time is unknown: no invocations[].endTimeUtc or startTimeUtc; pass --scanned-at"
            ]
        );
    }

    #[test]
    fn repeated_results_are_merged_with_a_note() {
        let text = r#"{"version": "2.1.0", "runs": [
{"tool": {"driver": {"name": "t"}}, "invocations": [{"endTimeUtc": "2026-03-02T00:00:00Z"}],
 "results": [{"ruleId": "r", "fingerprints": {"v": "same"}}, {"ruleId": "r", "fingerprints": {"v": "same"}}]},
{"tool": {"driver": {"name": "t"}}, "invocations": [{"endTimeUtc": "2026-03-01T00:00:00Z"}],
 "results": [{"ruleId": "r", "fingerprints": {"v": "same"}}, {"ruleId": "r", "fingerprints": {"v": "other"}}]}
]}"#;
        let p = ok(text, &Options::default());
        let f = findings(&p);
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].first_seen, f[0].last_seen),
            (ts("2026-03-01T00:00:00Z"), ts("2026-03-02T00:00:00Z"))
        );
        assert_eq!(
            p.notes,
            [
                "2 results repeated an earlier one (same tool and fingerprint) and were merged into it"
            ]
        );
    }

    #[test]
    fn results_that_are_not_findings_are_left_out() {
        let p = ok(
            &log(
                r#"{"ruleId": "py.sqli", "kind": "pass", "message": {"text": "a"}},
{"ruleId": "py.sqli", "suppressions": [{"kind": "external"}], "message": {"text": "b"}},
{"ruleId": "py.sqli", "suppressions": [{"kind": "inSource", "status": "rejected"}], "message": {"text": "c"}},
{"ruleId": "py.sqli", "baselineState": "absent", "message": {"text": "d"}}"#,
            ),
            &Options::default(),
        );
        let messages: Vec<Option<String>> = findings(&p).into_iter().map(|f| f.message).collect();
        assert_eq!(messages, [Some("c".to_string())]);
        assert_eq!(
            p.notes,
            [
                "1 result left out: kind pass or notApplicable (not a finding)",
                "1 result left out: suppressed (dismissed in the scanner)",
                "1 result left out: baselineState absent (no longer found)",
            ]
        );
    }

    #[test]
    fn rules_of_extensions_and_artifacts_by_index() {
        // CodeQL keeps query-pack rules in tool.extensions and points at them.
        let text = r#"{"version": "2.1.0", "runs": [{
"tool": {"driver": {"name": "CodeQL", "rules": []}, "extensions": [{"name": "codeql/js-queries", "rules": [
  {"id": "js/xss", "properties": {"tags": ["Security"]}, "defaultConfiguration": {"level": "error"}}]}]},
"invocations": [{"endTimeUtc": "2026-03-04T09:15:00Z"}],
"artifacts": [{"location": {"uri": "./web/app.js"}}],
"results": [{"rule": {"index": 0, "toolComponent": {"index": 0}}, "message": {"text": "m"},
  "locations": [{"physicalLocation": {"artifactLocation": {"index": 0}, "region": {"startLine": 4}}}]}]
}]}"#;
        let f = findings(&ok(text, &Options::default()));
        assert_eq!(
            (
                f[0].rule.as_str(),
                f[0].kind,
                f[0].severity,
                f[0].path.as_deref(),
                f[0].line
            ),
            (
                "js/xss",
                FindingKind::Security,
                Severity::High,
                Some("web/app.js"),
                Some(4)
            )
        );
    }

    #[test]
    fn paths_are_cleaned() {
        assert_eq!(clean_path("file:///home/ci/src/a.rs"), "/home/ci/src/a.rs");
        assert_eq!(clean_path("././src/my%20file.ts"), "src/my file.ts");
        assert_eq!(clean_path("src/100%.ts"), "src/100%.ts");
        assert_eq!(clean_path("src/%ff.ts"), "src/%ff.ts");
    }

    #[test]
    fn refusals_say_where_and_why() {
        let cases: [(&str, &[&str]); 11] = [
            (
                "",
                &["scan.sarif: the file is empty: expected a SARIF 2.1.0 log"],
            ),
            (
                "{\"version\": \"2.1.0\",\n \"runs\": [}",
                &["scan.sarif:2: not valid JSON: expected value at column 11"],
            ),
            (
                "[]",
                &[
                    "scan.sarif: not a SARIF log: expected an object with \"version\" and \"runs\", found an array",
                ],
            ),
            (
                r#"{"version": "2.0.0", "runs": []}"#,
                &[
                    r#"scan.sarif:1: version: "2.0.0" is not supported: expected SARIF version "2.1.0""#,
                ],
            ),
            (
                r#"{"version": "2.1.0"}"#,
                &["scan.sarif: runs: missing: expected the array of runs a SARIF log holds"],
            ),
            (
                r#"{"runs": {}}"#,
                &[
                    r#"scan.sarif: version: missing: expected "2.1.0""#,
                    "scan.sarif:1: runs: {} is not an array",
                ],
            ),
            (
                &log(r#"{"message": {"text": "m"}}"#),
                &[
                    "scan.sarif:8: runs[0].results[0].ruleId: missing: expected a ruleId, or a ruleIndex into the run's tool.driver.rules",
                ],
            ),
            (
                &log(r#"{"ruleIndex": 5}"#),
                &[
                    "scan.sarif:8: runs[0].results[0].ruleIndex: 5 is out of range: the run's tool.driver.rules has 2 rules",
                ],
            ),
            (
                &log(r#"{"ruleId": "r", "level": "critical"},
{"ruleId": "r", "locations": [{"physicalLocation": {"region": {"startLine": "12"}}}]},
{"ruleId": "r", "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}"#),
                &[
                    r#"scan.sarif:8: runs[0].results[0].level: "critical" is not a SARIF level: expected error/warning/note/none"#,
                    r#"scan.sarif:9: runs[0].results[1].locations[0].physicalLocation.region.startLine: "12" is not a count: expected a whole number, 0 or more"#,
                    "scan.sarif:10: runs[0].results[2].locations[0].physicalLocation.region.startLine: 0 is not a line number: expected 1 or more",
                ],
            ),
            (
                r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"rules": [{"id": "a", "properties": {"security-severity": "high"}}]}},
"invocations": [{"endTimeUtc": "2026-03-04 09:15"}], "results": [{"ruleId": "a"}]}]}"#,
                &[
                    "scan.sarif:1: runs[0].tool.driver.name: missing: expected the scanner's name",
                    r#"scan.sarif:1: runs[0].invocations[0].endTimeUtc: "2026-03-04 09:15" is not a timestamp: it has no UTC offset (add Z or ±hh:mm, e.g. 2026-03-04T09:15:00Z)"#,
                    r#"scan.sarif:1: runs[0].tool.driver.rules[0].properties.security-severity: "high" is not a security severity: expected a score from 0.0 to 10.0"#,
                ],
            ),
            (
                r#"{"version": "2.1.0", "runs": [7, {"tool": {"driver": {"name": "t"}}, "results": [[]]}]}"#,
                &[
                    "scan.sarif:1: runs[0]: 7 is not a run: expected an object",
                    "scan.sarif:1: runs[1].results[0]: [] is not a result: expected an object",
                ],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(problems(text), want, "{text}");
        }
    }

    #[test]
    fn a_refusal_renders_every_problem_and_a_summary() {
        let e = parse(FILE, br#"{"version": "1.0"}"#, &Options::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "scan.sarif:1: version: \"1.0\" is not supported: expected SARIF version \"2.1.0\"\n\
             scan.sarif: runs: missing: expected the array of runs a SARIF log holds\n\
             scan.sarif: refused: 2 problems (nothing was imported)"
        );
    }

    #[test]
    fn the_example_file() {
        let p = ok(
            std::str::from_utf8(include_bytes!(
                "../../../docs/import-examples/findings.sarif"
            ))
            .unwrap(),
            &Options::default(),
        );
        let f = findings(&p);
        assert_eq!(f.len(), 3);
        let got: Vec<(FindingKind, Severity, Option<&str>, Option<u64>)> = f
            .iter()
            .map(|f| (f.kind, f.severity, f.path.as_deref(), f.line))
            .collect();
        assert_eq!(
            got,
            [
                (
                    FindingKind::Security,
                    Severity::Critical,
                    Some("src/db/users.ts"),
                    Some(42)
                ),
                (
                    FindingKind::Security,
                    Severity::Medium,
                    Some("src/routes/search.ts"),
                    Some(17)
                ),
                (
                    FindingKind::Quality,
                    Severity::Low,
                    Some("src/util/http client.ts"),
                    Some(8)
                ),
            ]
        );
        assert!(
            f.iter()
                .all(|f| f.tool == "CodeQL" && f.first_seen == ts("2026-03-04T09:15:00Z"))
        );
        assert!(p.notes.is_empty());
    }
}
