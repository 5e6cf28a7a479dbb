//! `plumb import a11y`: axe-core results become accessibility [`Finding`]s.
//!
//! The file is what axe-core's `axe.run()` resolves to — one results object per page, with
//! `url`, `timestamp` and `violations` — or an array of such objects, as `@axe-core/cli`
//! and most crawlers write. Every node (element) of every violation is one finding:
//!
//! - **tool** `axe-core`; **kind** accessibility; **rule**: the violation's `id`
//!   (`color-contrast`); **url**: the page's `url`; no path or line.
//! - **severity** from the node's `impact`, else the violation's (a node's impact is `null`
//!   when axe could not tell): `critical` critical, `serious` high, `moderate` medium,
//!   `minor` low; medium when neither says.
//! - **message**: the violation's `help` (its one-line summary), else its `description`.
//! - **first/last seen**: the page's `timestamp` (RFC 3339, as axe writes it:
//!   `2026-03-04T09:15:00.123Z`), else `--scanned-at`; without either the file is refused.
//! - **fingerprint**: a hash of the page URL, the rule and the node's `target` selectors
//!   ([`stable_hash`]); for an element inside iframes or shadow roots axe writes a list of
//!   selectors per level, joined here with ` >>> `.
//!
//! `passes`, `incomplete` (needs a human to review) and `inapplicable` are not findings and
//! are ignored, as are all other fields. A node reported twice (same page, rule and
//! selectors, as when a page is scanned twice in one file) is imported once, seen from the
//! earliest to the latest scan, with a note.

use crate::json::{self, Fields, JsonPath, Lines, field};
use crate::sarif::{merge_repeats, what_json};
use crate::{ImportKind, Invalid, Keyed, Options, Parsed, Problem, Problems, stable_hash};
use plumb_model::records::{Finding, FindingKind, Record, Severity};
use serde_json::Value;

/// The tool name every axe finding carries.
pub const TOOL: &str = "axe-core";

/// Parses axe-core results: one results object, or an array of them.
pub fn parse(file: &str, bytes: &[u8], opts: &Options) -> Result<Parsed, Invalid> {
    let refuse = |p: Problem| Invalid {
        file: file.to_string(),
        problems: vec![p],
        more: 0,
    };
    let text = json::strip_bom(bytes);
    if json::is_blank(text) {
        return Err(refuse(Problem::file(
            "the file is empty: expected axe-core results",
        )));
    }
    let doc = json::parse_value(text, 0).map_err(refuse)?;
    let root = JsonPath::root();
    let pages: Vec<(&Value, JsonPath)> = match &doc {
        Value::Object(_) => vec![(&doc, root)],
        Value::Array(pages) => pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p, root.index(i)))
            .collect(),
        other => {
            return Err(refuse(Problem::file(format!(
                "not axe-core results: expected an object with \"violations\", or an array of them (one per page), found {}",
                what_json(other)
            ))));
        }
    };
    let lines = Lines::scan(
        text,
        &[
            &[],
            &["*"],
            &["violations", "*"],
            &["violations", "*", "nodes", "*"],
            &["*", "violations", "*"],
            &["*", "violations", "*", "nodes", "*"],
        ],
    );

    let mut problems = Problems::default();
    let mut records = Vec::new();
    for (page, pp) in pages {
        read_page(page, &pp, &lines, opts, &mut records, &mut problems);
    }
    problems.finish(file)?;

    let (records, repeated) = merge_repeats(records);
    let mut notes = Vec::new();
    if repeated > 0 {
        notes.push(format!(
            "{repeated} node{} repeated an earlier one (same page, rule and selectors) and {} merged into it",
            if repeated == 1 { "" } else { "s" },
            if repeated == 1 { "was" } else { "were" }
        ));
    }
    Ok(Parsed {
        kind: ImportKind::A11y,
        records,
        notes,
    })
}

fn read_page(
    page: &Value,
    pp: &JsonPath,
    lines: &Lines,
    opts: &Options,
    records: &mut Vec<Keyed>,
    problems: &mut Problems,
) {
    let page_line = lines.of(pp);
    let mut f = Fields {
        line: page_line,
        problems,
    };
    if !page.is_object() {
        f.push(
            pp,
            None,
            format!(
                "{} is not an axe results object: expected an object with \"violations\"",
                json::shown(page)
            ),
        );
        return;
    }
    let url = f.string(page, "url", pp);
    let stated = f.timestamp(page, "timestamp", pp);
    let timestamp_given = field(page, "timestamp").is_some();
    let scanned_at = stated.or(opts.scanned_at);
    let Some(violations) = f.array(page, "violations", pp) else {
        if field(page, "violations").is_none() {
            f.missing(&pp.key("violations"), "the array of violations axe found");
        }
        return;
    };

    let mut nodes_seen = 0usize;
    for (k, violation) in violations.iter().enumerate() {
        let vp = pp.key("violations").index(k);
        let mut f = Fields {
            line: lines.of(&vp).or(page_line),
            problems,
        };
        if !violation.is_object() {
            f.push(
                &vp,
                None,
                format!(
                    "{} is not a violation: expected an object",
                    json::shown(violation)
                ),
            );
            continue;
        }
        let before = f.problems.len();
        let rule = f.string(violation, "id", &vp);
        if rule.is_none() && field(violation, "id").is_none() {
            f.missing(&vp.key("id"), "the rule id");
        }
        let violation_impact = impact(&mut f, violation, &vp);
        let message = f
            .string(violation, "help", &vp)
            .or_else(|| f.string(violation, "description", &vp))
            .map(str::to_string);
        let nodes = f.array(violation, "nodes", &vp);
        if field(violation, "nodes").is_none() {
            f.missing(&vp.key("nodes"), "the array of elements that fail the rule");
        }
        let (Some(rule), Some(nodes)) = (rule, nodes) else {
            continue;
        };
        if f.problems.len() > before {
            continue;
        }
        for (n, node) in nodes.iter().enumerate() {
            let np = vp.key("nodes").index(n);
            let line = lines.of(&np).or(f.line);
            let mut f = Fields {
                line,
                problems: &mut *f.problems,
            };
            if !node.is_object() {
                f.push(
                    &np,
                    None,
                    format!("{} is not a node: expected an object", json::shown(node)),
                );
                continue;
            }
            nodes_seen += 1;
            let node_impact = impact(&mut f, node, &np);
            let Some(selectors) = targets(&mut f, node, &np) else {
                continue;
            };
            let Some(at) = scanned_at else {
                continue;
            };
            let mut parts = vec![url.unwrap_or(""), rule];
            parts.extend(selectors.iter().map(String::as_str));
            let record = Record::Findings(Finding {
                kind: FindingKind::Accessibility,
                tool: TOOL.to_string(),
                rule: rule.to_string(),
                severity: node_impact.or(violation_impact).unwrap_or(Severity::Medium),
                path: None,
                line: None,
                url: url.map(str::to_string),
                message: message.clone(),
                first_seen: at,
                last_seen: at,
                fingerprint: stable_hash(&parts),
            });
            records.push(Keyed {
                key: record.key(),
                line: line.unwrap_or(1),
                record,
            });
        }
    }
    if nodes_seen > 0 && scanned_at.is_none() && !timestamp_given {
        let mut f = Fields {
            line: page_line,
            problems,
        };
        f.missing(
            &pp.key("timestamp"),
            "when the scan ran (RFC 3339), or pass --scanned-at",
        );
    }
}

/// The `impact` of a violation or node; `null` is unknown.
fn impact(f: &mut Fields<'_>, v: &Value, path: &JsonPath) -> Option<Severity> {
    let s = f.string(v, "impact", path)?;
    let sev = match s {
        "critical" => Some(Severity::Critical),
        "serious" => Some(Severity::High),
        "moderate" => Some(Severity::Medium),
        "minor" => Some(Severity::Low),
        _ => None,
    };
    if sev.is_none() {
        f.push(
            &path.key("impact"),
            Some(s),
            "is not an axe impact: expected critical/serious/moderate/minor",
        );
    }
    sev
}

/// A node's `target`: one selector per element, or for an element inside iframes or shadow
/// roots a list of selectors (outermost first), joined with ` >>> `.
fn targets(f: &mut Fields<'_>, node: &Value, np: &JsonPath) -> Option<Vec<String>> {
    let tp = np.key("target");
    let Some(target) = f.array(node, "target", np) else {
        if field(node, "target").is_none() {
            f.missing(&tp, "the element's CSS selectors");
        }
        return None;
    };
    let mut out = Vec::with_capacity(target.len());
    for (k, t) in target.iter().enumerate() {
        match t {
            Value::String(s) => out.push(s.clone()),
            Value::Array(levels) if levels.iter().all(Value::is_string) => {
                let levels: Vec<&str> = levels.iter().filter_map(Value::as_str).collect();
                out.push(levels.join(" >>> "));
            }
            other => {
                f.push(
                    &tp.index(k),
                    None,
                    format!(
                        "{} is not a selector: expected a string or an array of strings",
                        json::shown(other)
                    ),
                );
                return None;
            }
        }
    }
    if out.is_empty() {
        f.push(&tp, None, "is empty: expected the element's CSS selectors");
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    const FILE: &str = "a11y.json";

    fn ok(text: &str, opts: &Options) -> Parsed {
        crate::testing::accepted(parse, FILE, text, opts)
    }

    fn problems(text: &str) -> Vec<String> {
        crate::testing::refused(parse, FILE, text)
    }

    use crate::testing::findings;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn finding(
        url: &str,
        rule: &str,
        severity: Severity,
        message: &str,
        at: &str,
        targets: &[&str],
    ) -> Finding {
        let mut parts = vec![url, rule];
        parts.extend(targets);
        Finding {
            kind: FindingKind::Accessibility,
            tool: "axe-core".into(),
            rule: rule.into(),
            severity,
            path: None,
            line: None,
            url: Some(url.into()),
            message: Some(message.into()),
            first_seen: ts(at),
            last_seen: ts(at),
            fingerprint: stable_hash(&parts),
        }
    }

    #[test]
    fn nodes_of_violations_become_findings() {
        let text = r##"[
{"url": "https://a.example/", "timestamp": "2026-03-04T09:15:00.123Z", "passes": [], "incomplete": [{"id": "x", "nodes": [{"target": ["p"]}]}],
 "violations": [
  {"id": "color-contrast", "impact": "serious", "help": "Elements must meet minimum color contrast ratio thresholds", "description": "d",
   "nodes": [
    {"impact": "serious", "target": [".note"]},
    {"impact": null, "target": ["#host", ["#shadow-root", "button"]]}
   ]},
  {"id": "region", "impact": null, "description": "Ensure all page content is contained by landmarks",
   "nodes": [{"target": ["body > div"]}]}
 ]},
{"url": "https://a.example/cart", "timestamp": "2026-03-04T10:15:00+01:00",
 "violations": [{"id": "image-alt", "impact": "critical", "help": "Images must have alternative text",
   "nodes": [{"impact": "minor", "target": ["img"]}]}]}
]"##;
        let p = ok(text, &Options::default());
        let contrast = "Elements must meet minimum color contrast ratio thresholds";
        assert_eq!(
            findings(&p),
            [
                finding(
                    "https://a.example/",
                    "color-contrast",
                    Severity::High,
                    contrast,
                    "2026-03-04T09:15:00.123Z",
                    &[".note"]
                ),
                finding(
                    "https://a.example/",
                    "color-contrast",
                    Severity::High,
                    contrast,
                    "2026-03-04T09:15:00.123Z",
                    &["#host", "#shadow-root >>> button"]
                ),
                finding(
                    "https://a.example/",
                    "region",
                    Severity::Medium,
                    "Ensure all page content is contained by landmarks",
                    "2026-03-04T09:15:00.123Z",
                    &["body > div"]
                ),
                finding(
                    "https://a.example/cart",
                    "image-alt",
                    Severity::Low,
                    "Images must have alternative text",
                    "2026-03-04T09:15:00Z",
                    &["img"]
                ),
            ]
        );
        let lines: Vec<u64> = p.records.iter().map(|k| k.line).collect();
        assert_eq!(lines, [6, 7, 10, 14]);
        assert_eq!(p.kind, ImportKind::A11y);
    }

    #[test]
    fn one_results_object_and_the_scanned_at_option() {
        let text = r#"{"url": "https://a.example/", "violations": [{"id": "label", "impact": "critical", "help": "h", "nodes": [{"target": ["input"]}]}]}"#;
        let opts = Options {
            scanned_at: Some(ts("2026-03-01T00:00:00Z")),
            ..Options::default()
        };
        let p = ok(text, &opts);
        assert_eq!(
            findings(&p),
            [finding(
                "https://a.example/",
                "label",
                Severity::Critical,
                "h",
                "2026-03-01T00:00:00Z",
                &["input"]
            )]
        );
        // No violations at all is a clean page, not an error.
        assert!(
            ok(r#"{"url": "u", "violations": []}"#, &Options::default())
                .records
                .is_empty()
        );
    }

    #[test]
    fn repeated_nodes_are_merged_with_a_note() {
        let page = |at: &str| {
            format!(
                r#"{{"url": "u", "timestamp": "{at}", "violations": [{{"id": "r", "help": "h", "nodes": [{{"target": ["a"]}}]}}]}}"#
            )
        };
        let text = format!(
            "[{}, {}]",
            page("2026-03-02T00:00:00Z"),
            page("2026-03-01T00:00:00Z")
        );
        let p = ok(&text, &Options::default());
        let f = findings(&p);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].first_seen, f[0].last_seen),
            (ts("2026-03-01T00:00:00Z"), ts("2026-03-02T00:00:00Z"))
        );
        assert_eq!(
            p.notes,
            [
                "1 node repeated an earlier one (same page, rule and selectors) and was merged into it"
            ]
        );
    }

    #[test]
    fn refusals_say_where_and_why() {
        let cases: [(&str, &[&str]); 7] = [
            (
                "  \n",
                &["a11y.json: the file is empty: expected axe-core results"],
            ),
            (
                "[{\"url\": \"u\",\n",
                &["a11y.json:2: not valid JSON: EOF while parsing a value"],
            ),
            (
                "\"violations\"",
                &[
                    "a11y.json: not axe-core results: expected an object with \"violations\", or an array of them (one per page), found a string",
                ],
            ),
            (
                r#"[{"url": "u", "timestamp": "2026-03-04T09:15:00Z", "violations": []},
 {"url": "v", "passes": []},
 {"url": "w", "timestamp": "2026-03-04 09:15", "violations": []},
 5]"#,
                &[
                    "a11y.json:2: [1].violations: missing: expected the array of violations axe found",
                    r#"a11y.json:3: [2].timestamp: "2026-03-04 09:15" is not a timestamp: it has no UTC offset (add Z or ±hh:mm, e.g. 2026-03-04T09:15:00Z)"#,
                    r#"a11y.json:4: [3]: 5 is not an axe results object: expected an object with "violations""#,
                ],
            ),
            (
                r#"{"url": "u", "violations": [{"id": "r", "nodes": [{"target": ["a"]}]}]}"#,
                &[
                    "a11y.json:1: timestamp: missing: expected when the scan ran (RFC 3339), or pass --scanned-at",
                ],
            ),
            (
                r#"{"url": "u", "timestamp": "2026-03-04T09:15:00Z", "violations": [
  {"impact": "major", "nodes": [{"target": ["a"]}]},
  {"id": "r", "nodes": [{"impact": "serious"}, {"target": []}, {"target": [1]}]},
  {"id": "s"}
]}"#,
                &[
                    "a11y.json:2: violations[0].id: missing: expected the rule id",
                    r#"a11y.json:2: violations[0].impact: "major" is not an axe impact: expected critical/serious/moderate/minor"#,
                    "a11y.json:3: violations[1].nodes[0].target: missing: expected the element's CSS selectors",
                    "a11y.json:3: violations[1].nodes[1].target: is empty: expected the element's CSS selectors",
                    "a11y.json:3: violations[1].nodes[2].target[0]: 1 is not a selector: expected a string or an array of strings",
                    "a11y.json:4: violations[2].nodes: missing: expected the array of elements that fail the rule",
                ],
            ),
            (
                r#"{"url": 7, "timestamp": "2026-03-04T09:15:00Z", "violations": {}}"#,
                &[
                    "a11y.json:1: url: 7 is not a string",
                    "a11y.json:1: violations: {} is not an array",
                ],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(problems(text), want, "{text}");
        }
    }

    #[test]
    fn the_example_file() {
        let p = ok(
            std::str::from_utf8(include_bytes!("../../../docs/import-examples/a11y.json")).unwrap(),
            &Options::default(),
        );
        let got: Vec<(String, Severity)> = findings(&p)
            .into_iter()
            .map(|f| (f.rule, f.severity))
            .collect();
        assert_eq!(
            got,
            [
                ("color-contrast".to_string(), Severity::High),
                ("color-contrast".to_string(), Severity::High),
                ("image-alt".to_string(), Severity::Critical),
            ]
        );
        assert!(findings(&p).iter().all(|f| f.url.as_deref()
            == Some("https://shop.example.com/checkout")
            && f.first_seen == ts("2026-03-04T09:15:00.123Z")));
    }
}
