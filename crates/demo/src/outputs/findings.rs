//! Monthly scanner runs (SARIF 2.1.0, one run per repository and month) and monthly
//! accessibility scans (axe-core results). Findings persist from scan to scan with a
//! stable fingerprint until they are fixed; new ones appear more often while a team uses
//! AI without governance, and are fixed faster once it has governance.

use super::csv::write_json;
use crate::DemoError;
use crate::calendar::{DAY, MONTHS, at, month_start, utc};
use crate::gitwrite::{RepoOutput, Snapshot};
use crate::org::{Stack, TEAMS, Team};
use crate::rng::{Rng, mix};
use crate::story::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const SARIF_KINDS: [&str; 3] = ["security", "quality", "design"];

/// (rule id, name, short description, level, security-severity or 0).
type Rule = (&'static str, &'static str, &'static str, &'static str, f64);

const TS_SECURITY: &[Rule] = &[
    (
        "js/sql-injection",
        "SqlInjection",
        "Database query built from user-controlled sources",
        "error",
        8.8,
    ),
    (
        "js/xss",
        "Xss",
        "Client-side cross-site scripting",
        "error",
        6.1,
    ),
    (
        "js/path-injection",
        "PathInjection",
        "Uncontrolled data used in path expression",
        "error",
        7.5,
    ),
    (
        "js/insecure-randomness",
        "InsecureRandomness",
        "Insecure randomness",
        "warning",
        7.8,
    ),
    (
        "js/hardcoded-credentials",
        "HardcodedCredentials",
        "Hard-coded credentials",
        "error",
        9.8,
    ),
    (
        "js/missing-rate-limiting",
        "MissingRateLimiting",
        "Missing rate limiting",
        "warning",
        7.5,
    ),
    (
        "js/clear-text-logging",
        "CleartextLogging",
        "Clear-text logging of sensitive information",
        "error",
        7.5,
    ),
    (
        "js/incomplete-sanitization",
        "IncompleteSanitization",
        "Incomplete string escaping or encoding",
        "warning",
        5.3,
    ),
];

const GO_SECURITY: &[Rule] = &[
    (
        "go/sql-injection",
        "SqlInjection",
        "Database query built from user-controlled sources",
        "error",
        8.8,
    ),
    (
        "go/path-injection",
        "PathInjection",
        "Uncontrolled data used in path expression",
        "error",
        7.5,
    ),
    (
        "go/clear-text-logging",
        "CleartextLogging",
        "Clear-text logging of sensitive information",
        "error",
        7.5,
    ),
    (
        "go/hardcoded-credentials",
        "HardcodedCredentials",
        "Hard-coded credentials",
        "error",
        9.8,
    ),
    (
        "go/incomplete-hostname-regexp",
        "IncompleteHostnameRegexp",
        "Incomplete regular expression for hostnames",
        "warning",
        7.8,
    ),
    (
        "go/allocation-size-overflow",
        "AllocationSizeOverflow",
        "Size computation for allocation may overflow",
        "warning",
        8.1,
    ),
    (
        "go/disabled-certificate-check",
        "DisabledCertificateCheck",
        "Disabled TLS certificate check",
        "warning",
        7.5,
    ),
    (
        "go/log-injection",
        "LogInjection",
        "Log entries created from user input",
        "note",
        4.3,
    ),
];

const TS_QUALITY: &[Rule] = &[
    (
        "complexity",
        "complexity",
        "Function has a complexity higher than allowed",
        "warning",
        0.0,
    ),
    (
        "max-lines-per-function",
        "max-lines-per-function",
        "Function has too many lines",
        "note",
        0.0,
    ),
    (
        "@typescript-eslint/no-explicit-any",
        "no-explicit-any",
        "Unexpected any",
        "warning",
        0.0,
    ),
    (
        "@typescript-eslint/no-unused-vars",
        "no-unused-vars",
        "Variable is assigned but never used",
        "warning",
        0.0,
    ),
    (
        "sonarjs/cognitive-complexity",
        "cognitive-complexity",
        "Cognitive complexity too high",
        "warning",
        0.0,
    ),
    (
        "sonarjs/no-duplicate-string",
        "no-duplicate-string",
        "String literal duplicated",
        "note",
        0.0,
    ),
    (
        "no-floating-promises",
        "no-floating-promises",
        "Promise must be awaited or handled",
        "error",
        0.0,
    ),
];

const GO_QUALITY: &[Rule] = &[
    (
        "gocyclo",
        "gocyclo",
        "Cyclomatic complexity too high",
        "warning",
        0.0,
    ),
    (
        "errcheck",
        "errcheck",
        "Error return value is not checked",
        "error",
        0.0,
    ),
    (
        "ineffassign",
        "ineffassign",
        "Ineffectual assignment",
        "warning",
        0.0,
    ),
    (
        "staticcheck/SA4006",
        "SA4006",
        "Value assigned is never used",
        "warning",
        0.0,
    ),
    (
        "revive/exported",
        "exported",
        "Exported function should have a comment",
        "note",
        0.0,
    ),
    ("dupl", "dupl", "Duplicate code block", "note", 0.0),
];

const DESIGN: &[Rule] = &[
    (
        "design-tokens/no-hardcoded-color",
        "no-hardcoded-color",
        "Use a colour token instead of a literal colour",
        "warning",
        0.0,
    ),
    (
        "design-tokens/spacing-scale",
        "spacing-scale",
        "Spacing is not on the design system scale",
        "warning",
        0.0,
    ),
    (
        "design-tokens/typography",
        "typography",
        "Use a typography token for text styles",
        "note",
        0.0,
    ),
    (
        "ds/use-button-component",
        "use-button-component",
        "Use the design system Button instead of a custom pressable",
        "warning",
        0.0,
    ),
];

fn tool(kind: &str, stack: Stack) -> (&'static str, &'static str, &'static str, &'static [Rule]) {
    match (kind, stack) {
        ("security", Stack::TypeScript) => {
            ("CodeQL", "2.19.3", "https://codeql.github.com", TS_SECURITY)
        }
        ("security", Stack::Go) => ("CodeQL", "2.19.3", "https://codeql.github.com", GO_SECURITY),
        ("quality", Stack::TypeScript) => ("ESLint", "9.14.0", "https://eslint.org", TS_QUALITY),
        ("quality", Stack::Go) => (
            "golangci-lint",
            "1.62.0",
            "https://golangci-lint.run",
            GO_QUALITY,
        ),
        _ => (
            "design-lint",
            "3.2.0",
            "https://design.acme.example/lint",
            DESIGN,
        ),
    }
}

#[derive(Serialize)]
struct Sarif {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    version_control_provenance: Vec<Provenance>,
    automation_details: Automation,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleOut {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    default_configuration: Level,
    properties: RuleProps,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProps {
    tags: Vec<&'static str>,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    start_time_utc: String,
    end_time_utc: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Provenance {
    repository_uri: String,
    revision_id: String,
    branch: &'static str,
}

#[derive(Serialize)]
struct Automation {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: Physical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fingerprints {
    primary_location_line_hash: String,
}

struct Open {
    id: u64,
    rule: usize,
    path: String,
    line: u32,
}

/// Files a finding of `kind` can be reported on.
fn eligible(kind: &str, path: &str) -> bool {
    match kind {
        "security" => {
            (path.starts_with("src/") || path.starts_with("migrations/")) && !path.ends_with(".md")
        }
        "quality" => path.starts_with("src/") || path.starts_with("ui/"),
        _ => path.starts_with("ui/components/") && path.ends_with(".tsx"),
    }
}

/// New findings and repository-months per (kind, phase).
pub type Tally = BTreeMap<(String, String), (u32, u32)>;

/// Writes one SARIF file of `kind`; returns the number of results and the tally of new
/// findings (for the planted report).
pub fn sarif(
    path: &Path,
    seed: u64,
    kind: &str,
    teams: &[Team],
    repos: &[RepoOutput],
) -> Result<(usize, Tally), DemoError> {
    let mut runs = Vec::new();
    let mut results_total = 0;
    let mut tally = Tally::new();
    for (t, repo) in repos.iter().enumerate() {
        let spec = &teams[t];
        if kind == "design" && !spec.has_ui {
            continue;
        }
        let story = TeamStory::of(spec);
        let (name, version, uri, rules) = tool(kind, spec.stack);
        let mut rng = Rng::new(seed, &format!("findings/{kind}/{}", spec.name));
        let mut open: Vec<Open> = Vec::new();
        let mut next_id = 0u64;
        for (m, snap) in repo.snapshots.iter().enumerate().take(MONTHS) {
            let phase = story.phase(snap.time);
            let lines: BTreeMap<&str, u32> = snap
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.lines))
                .collect();
            // Fixes, and findings whose code is gone.
            open.retain(|f| {
                lines.get(f.path.as_str()).is_some_and(|&n| f.line <= n)
                    && !rng.chance(FIX_RATE[phase as usize])
            });
            let rate = match kind {
                "security" => NEW_SECURITY[phase as usize],
                "quality" => NEW_QUALITY[phase as usize],
                _ => NEW_DESIGN[phase as usize],
            };
            let new = rng.poisson(rate);
            let e = tally
                .entry((kind.to_string(), phase.as_str().to_string()))
                .or_default();
            e.0 += new;
            e.1 += 1;
            let candidates = candidates(kind, snap, month_start(m));
            for _ in 0..new {
                let Some((p, n)) = pick(&candidates, &mut rng) else {
                    break;
                };
                next_id += 1;
                open.push(Open {
                    id: next_id,
                    rule: rng.below(rules.len()),
                    path: p,
                    line: 1 + rng.below(n as usize) as u32,
                });
            }
            let end = snap.time;
            let results: Vec<SarifResult> = open
                .iter()
                .map(|f| {
                    let r = &rules[f.rule];
                    SarifResult {
                        rule_id: r.0,
                        rule_index: f.rule,
                        level: r.3,
                        message: Text {
                            text: format!("{} in {}.", r.2, f.path),
                        },
                        locations: vec![Location {
                            physical_location: Physical {
                                artifact_location: Artifact {
                                    uri: f.path.clone(),
                                    uri_base_id: "%SRCROOT%",
                                },
                                region: Region { start_line: f.line },
                            },
                        }],
                        partial_fingerprints: Fingerprints {
                            primary_location_line_hash: format!(
                                "{:016x}:1",
                                mix(f.id ^ (t as u64) << 48 ^ seed)
                            ),
                        },
                    }
                })
                .collect();
            results_total += results.len();
            runs.push(Run {
                tool: Tool {
                    driver: Driver {
                        name,
                        semantic_version: version,
                        information_uri: uri,
                        rules: rules
                            .iter()
                            .map(|r| RuleOut {
                                id: r.0,
                                name: r.1,
                                short_description: Text {
                                    text: r.2.to_string(),
                                },
                                default_configuration: Level { level: r.3 },
                                properties: RuleProps {
                                    tags: match kind {
                                        "security" => vec!["security"],
                                        "quality" => vec!["maintainability"],
                                        _ => vec!["design-system"],
                                    },
                                    security_severity: (r.4 > 0.0).then(|| format!("{:.1}", r.4)),
                                    precision: (kind == "security").then_some("high"),
                                },
                            })
                            .collect(),
                    },
                },
                invocations: vec![Invocation {
                    execution_successful: true,
                    start_time_utc: utc(end - 25 * 60),
                    end_time_utc: utc(end),
                }],
                version_control_provenance: vec![Provenance {
                    repository_uri: format!("https://github.com/{}", spec.full_repo()),
                    revision_id: snap.tip.to_string(),
                    branch: "refs/heads/main",
                }],
                automation_details: Automation {
                    id: format!(
                        "{}/{}/{}",
                        name.to_lowercase(),
                        spec.repo(),
                        crate::calendar::month(end)
                    ),
                },
                results,
            });
        }
    }
    write_json(
        path,
        &Sarif {
            schema: "https://json.schemastore.org/sarif-2.1.0.json",
            version: "2.1.0",
            runs,
        },
    )?;
    Ok((results_total, tally))
}

/// Files a new finding can land on (path, lines): those changed in the month, and all.
struct Candidates {
    recent: Vec<(String, u32)>,
    all: Vec<(String, u32)>,
}

/// Files of the snapshot a new finding can land on: mostly ones changed that month.
fn candidates(kind: &str, snap: &Snapshot, month_begin: i64) -> Candidates {
    let all: Vec<(String, u32)> = snap
        .files
        .iter()
        .filter(|f| eligible(kind, &f.path) && f.lines > 0)
        .map(|f| (f.path.clone(), f.lines))
        .collect();
    let recent: Vec<(String, u32)> = snap
        .files
        .iter()
        .filter(|f| eligible(kind, &f.path) && f.lines > 0 && f.modified >= month_begin)
        .map(|f| (f.path.clone(), f.lines))
        .collect();
    Candidates { recent, all }
}

fn pick(c: &Candidates, rng: &mut Rng) -> Option<(String, u32)> {
    let from = if !c.recent.is_empty() && rng.chance(0.8) {
        &c.recent
    } else {
        &c.all
    };
    if from.is_empty() {
        return None;
    }
    Some(from[rng.below(from.len())].clone())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AxePage {
    test_engine: Engine,
    test_runner: Runner,
    url: String,
    timestamp: String,
    violations: Vec<Violation>,
    passes: Vec<Violation>,
    incomplete: Vec<Violation>,
}

#[derive(Serialize)]
struct Engine {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Runner {
    name: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Violation {
    id: &'static str,
    impact: &'static str,
    tags: Vec<&'static str>,
    description: &'static str,
    help: &'static str,
    help_url: String,
    nodes: Vec<Node>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Node {
    target: Vec<String>,
    html: String,
    impact: &'static str,
    failure_summary: String,
}

/// (id, impact, help, description, wcag tag).
const AXE_RULES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "color-contrast",
        "serious",
        "Elements must meet minimum color contrast ratio thresholds",
        "Ensures the contrast between foreground and background colors meets WCAG 2 AA",
        "wcag143",
    ),
    (
        "image-alt",
        "critical",
        "Images must have alternative text",
        "Ensures <img> elements have alternate text or a role of none or presentation",
        "wcag111",
    ),
    (
        "label",
        "critical",
        "Form elements must have labels",
        "Ensures every form element has a label",
        "wcag412",
    ),
    (
        "button-name",
        "critical",
        "Buttons must have discernible text",
        "Ensures buttons have discernible text",
        "wcag412",
    ),
    (
        "link-name",
        "serious",
        "Links must have discernible text",
        "Ensures links have discernible text",
        "wcag244",
    ),
    (
        "aria-required-attr",
        "critical",
        "Required ARIA attributes must be provided",
        "Ensures elements with ARIA roles have all required ARIA attributes",
        "wcag412",
    ),
    (
        "region",
        "moderate",
        "All page content should be contained by landmarks",
        "Ensures all page content is contained by landmarks",
        "best-practice",
    ),
    (
        "heading-order",
        "moderate",
        "Heading levels should only increase by one",
        "Ensures the order of headings is semantically correct",
        "best-practice",
    ),
    (
        "duplicate-id",
        "minor",
        "id attribute value must be unique",
        "Ensures every id attribute value is unique",
        "wcag411",
    ),
];

/// Pages scanned monthly and the team (of [`TEAMS`]) that owns each; every copy of the
/// organisation has its own app (`app-2.acme.example` …).
const PAGES: [(&str, usize); 4] = [
    ("https://app.acme.example/checkout", 1),
    ("https://app.acme.example/login", 2),
    ("https://app.acme.example/search", 4),
    ("https://app.acme.example/account/referrals", 5),
];

pub fn axe(path: &Path, seed: u64, teams: &[Team]) -> Result<usize, DemoError> {
    let mut pages = Vec::new();
    for first in (0..teams.len()).step_by(TEAMS.len()) {
        let suffix = teams[first].suffix();
        for (url, base) in PAGES {
            let url = url.replacen("://app.", &format!("://app{suffix}."), 1);
            axe_page(&mut pages, seed, &url, base, &teams[first + base]);
        }
    }
    pages.sort_by(|a, b| (a.0, &a.1.url).cmp(&(b.0, &b.1.url)));
    let pages: Vec<AxePage> = pages.into_iter().map(|(_, p)| p).collect();
    let n = pages.len();
    write_json(path, &pages)?;
    let _ = at;
    Ok(n)
}

/// A page's monthly scans; `team` owns it (`base` is its design).
fn axe_page(pages: &mut Vec<(i64, AxePage)>, seed: u64, url: &str, base: usize, team: &Team) {
    let story = TeamStory::of(team);
    let mut rng = Rng::new(seed, &format!("axe/{url}"));
    let mut open: Vec<(usize, String)> = Vec::new();
    for m in 0..MONTHS {
        let t = month_start(m) + 14 * DAY + 3 * 3600 + base as i64 * 600;
        let phase = story.phase(t);
        open.retain(|_| !rng.chance(FIX_RATE[phase as usize] + 0.1));
        let target = A11Y_VIOLATIONS[phase as usize];
        let new = rng.poisson((target - open.len() as f64 * 0.35).max(0.3));
        for _ in 0..new {
            let rule = rng.below(AXE_RULES.len());
            let el = *rng.pick(&["button", "a", "img", "input", "div", "span", "h3"]);
            let selector = format!(
                ".{}-{} > {el}:nth-child({})",
                team.name,
                rng.int(1, 40),
                rng.int(1, 6)
            );
            open.push((rule, selector));
        }
        let mut by_rule: BTreeMap<usize, Vec<&String>> = BTreeMap::new();
        for (rule, sel) in &open {
            by_rule.entry(*rule).or_default().push(sel);
        }
        let violations = by_rule
            .into_iter()
            .map(|(r, sels)| {
                let (id, impact, help, description, tag) = AXE_RULES[r];
                Violation {
                    id,
                    impact,
                    tags: vec!["wcag2aa", tag],
                    description,
                    help,
                    help_url: format!(
                        "https://dequeuniversity.com/rules/axe/4.10/{id}?application=axeAPI"
                    ),
                    nodes: sels
                        .into_iter()
                        .map(|s| Node {
                            target: vec![s.clone()],
                            html: format!(
                                "<{} class=\"{}\">",
                                s.rsplit("> ")
                                    .next()
                                    .unwrap_or("div")
                                    .split(':')
                                    .next()
                                    .unwrap_or("div"),
                                team.name
                            ),
                            impact,
                            failure_summary: format!("Fix any of the following:\n  {help}"),
                        })
                        .collect(),
                }
            })
            .collect();
        pages.push((
            t,
            AxePage {
                test_engine: Engine {
                    name: "axe-core",
                    version: "4.10.2",
                },
                test_runner: Runner { name: "axe" },
                url: url.to_string(),
                timestamp: utc(t),
                violations,
                passes: Vec::new(),
                incomplete: Vec::new(),
            },
        ));
    }
}
