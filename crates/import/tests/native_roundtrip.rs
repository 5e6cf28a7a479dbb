#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Round trips for the scanner and telemetry formats (SARIF, axe-core, Copilot): findings
//! and usage written the way the tools write them import and read back as the mapping in
//! each module's docs says. And any bytes at all, or any JSON in any place, give records
//! or problems, never a panic.

use jiff::Timestamp;
use jiff::civil::Date;
use plumb_import::{Options, Parsed, axe, copilot, sarif, stable_hash};
use plumb_model::records::*;
use proptest::prelude::*;
use serde_json::{Value, json};

fn instant() -> impl Strategy<Value = Timestamp> {
    (946_684_800i64..4_102_444_800).prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn findings(p: &Parsed) -> Vec<Finding> {
    p.records
        .iter()
        .map(|k| match &k.record {
            Record::Findings(f) => f.clone(),
            other => panic!("not a finding: {other:?}"),
        })
        .collect()
}

fn usages(p: &Parsed) -> Vec<AiUsage> {
    p.records
        .iter()
        .map(|k| match &k.record {
            Record::AiUsage(u) => u.clone(),
            other => panic!("not AI usage: {other:?}"),
        })
        .collect()
}

/// Any JSON value, a few levels deep, with keys the importers read among random ones so
/// that the values land where they are looked for.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "id",
        "ruleId",
        "ruleIndex",
        "level",
        "uri",
        "startLine",
        "target",
        "impact",
        "nodes",
        "date",
        "day",
        "feature",
        "editors",
        "models",
        "languages",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z0-9 :.-]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

// ---------------------------------------------------------------------------------------
// SARIF

#[derive(Debug, Clone)]
struct GenRule {
    security_tag: bool,
    /// Tenths of a CVSS point.
    score: Option<u8>,
    default_level: Option<&'static str>,
}

#[derive(Debug, Clone)]
struct GenResult {
    rule: usize,
    by_index: bool,
    level: Option<&'static str>,
    path: String,
    line: u64,
    message: String,
    fingerprint: bool,
}

fn level() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["error", "warning", "note", "none"])
}

fn gen_rule() -> impl Strategy<Value = GenRule> {
    (
        any::<bool>(),
        prop::option::of(0u8..=100),
        prop::option::of(level()),
    )
        .prop_map(|(security_tag, score, default_level)| GenRule {
            security_tag,
            score,
            default_level,
        })
}

fn gen_result() -> impl Strategy<Value = GenResult> {
    (
        0usize..4,
        any::<bool>(),
        prop::option::of(level()),
        "[a-z]{1,8}/[a-z_]{1,8}\\.rs",
        1u64..100_000,
        "[A-Za-z0-9 ,.'\"]{0,30}",
        any::<bool>(),
    )
        .prop_map(
            |(rule, by_index, level, path, line, message, fingerprint)| GenResult {
                rule,
                by_index,
                level,
                path,
                line,
                message,
                fingerprint,
            },
        )
}

fn level_severity(level: &str) -> Severity {
    match level {
        "error" => Severity::High,
        "warning" => Severity::Medium,
        "note" => Severity::Low,
        _ => Severity::Info,
    }
}

fn score_severity(tenths: u8) -> Severity {
    match tenths {
        90.. => Severity::Critical,
        70..=89 => Severity::High,
        40..=69 => Severity::Medium,
        1..=39 => Severity::Low,
        0 => Severity::Info,
    }
}

proptest! {
    #[test]
    fn sarif_any_bytes(b in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = sarif::parse("any.sarif", &b, &Options::default());
    }

    #[test]
    fn sarif_any_json_anywhere(a in any_json(), b in any_json(), c in any_json()) {
        let doc = json!({"version": "2.1.0", "runs": [
            {"tool": {"driver": {"name": "t", "rules": [a.clone()]}, "extensions": [b.clone()]},
             "invocations": [c.clone()],
             "results": [a, {"ruleId": "r", "locations": [b], "rule": c.clone()}, {"ruleIndex": 0, "fingerprints": c}]}
        ]});
        let _ = sarif::parse("any.sarif", doc.to_string().as_bytes(), &Options::default());
    }

    #[test]
    fn sarif_round_trip(
        rules in prop::collection::vec(gen_rule(), 4),
        results in prop::collection::vec(gen_result(), 0..30),
        scanned in instant(),
    ) {
        let rule_id = |k: usize| format!("rule/{k}");
        let rules_json: Vec<Value> = rules.iter().enumerate().map(|(k, r)| {
            let mut props = serde_json::Map::new();
            props.insert("tags".into(), json!(if r.security_tag { vec!["security", "external/cwe/cwe-079"] } else { vec!["maintainability"] }));
            if let Some(s) = r.score {
                props.insert("security-severity".into(), json!(format!("{:.1}", f64::from(s) / 10.0)));
            }
            let mut rule = json!({"id": rule_id(k), "properties": props});
            if let Some(l) = r.default_level {
                rule["defaultConfiguration"] = json!({"level": l});
            }
            rule
        }).collect();
        let results_json: Vec<Value> = results.iter().enumerate().map(|(i, r)| {
            let mut v = json!({
                "message": {"text": format!("{i}: {}", r.message)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": format!("./{}", r.path)}, "region": {"startLine": r.line}}}],
            });
            if r.by_index { v["ruleIndex"] = json!(r.rule) } else { v["ruleId"] = json!(rule_id(r.rule)) }
            if let Some(l) = r.level { v["level"] = json!(l) }
            if r.fingerprint { v["fingerprints"] = json!({"stable/v1": format!("fp-{i}")}) }
            v
        }).collect();
        let doc = json!({"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": [{
            "tool": {"driver": {"name": "Scanner", "version": "1.2.3", "rules": rules_json}},
            "invocations": [{"executionSuccessful": true, "endTimeUtc": scanned.to_string()}],
            "results": results_json,
        }]});
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let parsed = sarif::parse("scan.sarif", text.as_bytes(), &Options::default()).unwrap();

        let want: Vec<Finding> = results.iter().enumerate().map(|(i, r)| {
            let rule = &rules[r.rule];
            let message = format!("{i}: {}", r.message);
            let severity = match rule.score {
                Some(s) => score_severity(s),
                None => level_severity(r.level.or(rule.default_level).unwrap_or("warning")),
            };
            let fingerprint = if r.fingerprint {
                format!("fp-{i}")
            } else {
                stable_hash(&[&rule_id(r.rule), &r.path, &r.line.to_string(), &message])
            };
            Finding {
                kind: if rule.security_tag || rule.score.is_some() { FindingKind::Security } else { FindingKind::Quality },
                tool: "Scanner".into(),
                rule: rule_id(r.rule),
                severity,
                path: Some(r.path.clone()),
                line: Some(r.line),
                url: None,
                message: Some(message),
                first_seen: scanned,
                last_seen: scanned,
                fingerprint,
            }
        }).collect();
        prop_assert_eq!(findings(&parsed), want);
        prop_assert!(parsed.notes.is_empty());
    }
}

// ---------------------------------------------------------------------------------------
// axe-core

#[derive(Debug, Clone)]
struct GenViolation {
    rule: String,
    impact: Option<&'static str>,
    nodes: Vec<Option<&'static str>>,
}

fn impact() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["critical", "serious", "moderate", "minor"])
}

fn impact_severity(impact: &str) -> Severity {
    match impact {
        "critical" => Severity::Critical,
        "serious" => Severity::High,
        "moderate" => Severity::Medium,
        _ => Severity::Low,
    }
}

fn gen_violation() -> impl Strategy<Value = GenViolation> {
    (
        "[a-z]{2,10}(-[a-z]{2,6})?",
        prop::option::of(impact()),
        prop::collection::vec(prop::option::of(impact()), 1..4),
    )
        .prop_map(|(rule, impact, nodes)| GenViolation {
            rule,
            impact,
            nodes,
        })
}

proptest! {
    #[test]
    fn axe_any_bytes(b in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = axe::parse("any.json", &b, &Options::default());
    }

    #[test]
    fn axe_any_json_anywhere(a in any_json(), b in any_json(), c in any_json()) {
        let doc = json!([
            {"url": "u", "timestamp": "2026-03-04T09:15:00Z", "violations": [a.clone(), {"id": "r", "impact": b.clone(), "nodes": [c.clone(), {"target": a}]}]},
            b,
            {"timestamp": c, "violations": []},
        ]);
        let _ = axe::parse("any.json", doc.to_string().as_bytes(), &Options::default());
    }

    #[test]
    fn axe_round_trip(
        pages in prop::collection::vec((instant(), prop::collection::vec(gen_violation(), 0..5)), 0..5),
    ) {
        let url = |p: usize| format!("https://app.example/page/{p}");
        let selector = |v: usize, n: usize| format!("main > section:nth-child({v}) > .item-{n}");
        let doc: Vec<Value> = pages.iter().enumerate().map(|(p, (at, violations))| json!({
            "testEngine": {"name": "axe-core", "version": "4.10.2"},
            "url": url(p),
            "timestamp": at.to_string(),
            "passes": [], "incomplete": [], "inapplicable": [],
            "violations": violations.iter().enumerate().map(|(v, viol)| json!({
                "id": viol.rule,
                "impact": viol.impact,
                "help": format!("help for {}", viol.rule),
                "description": "d",
                "nodes": viol.nodes.iter().enumerate().map(|(n, imp)| json!({
                    "impact": imp, "html": "<div>", "target": [selector(v, n)],
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect();
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let parsed = axe::parse("a11y.json", text.as_bytes(), &Options::default()).unwrap();

        let mut want = Vec::new();
        for (p, (at, violations)) in pages.iter().enumerate() {
            for (v, viol) in violations.iter().enumerate() {
                for (n, imp) in viol.nodes.iter().enumerate() {
                    let u = url(p);
                    want.push(Finding {
                        kind: FindingKind::Accessibility,
                        tool: "axe-core".into(),
                        rule: viol.rule.clone(),
                        severity: imp.or(viol.impact).map_or(Severity::Medium, impact_severity),
                        path: None,
                        line: None,
                        url: Some(u.clone()),
                        message: Some(format!("help for {}", viol.rule)),
                        first_seen: *at,
                        last_seen: *at,
                        fingerprint: stable_hash(&[&u, &viol.rule, &selector(v, n)]),
                    });
                }
            }
        }
        // The same rule twice on one page with the same selectors merges; the generator's
        // selectors differ per violation, so nothing merges here.
        prop_assert_eq!(findings(&parsed), want);
    }
}

// ---------------------------------------------------------------------------------------
// Copilot

#[derive(Debug, Clone)]
struct GenDay {
    active: Option<u64>,
    /// Engaged users, and per editor per language the four counts.
    completions: Option<(u64, Vec<Vec<[u64; 4]>>)>,
    ide_chat: Option<u64>,
    dotcom_chat: Option<u64>,
    /// Engaged users, and summaries per repository.
    prs: Option<(u64, Vec<u64>)>,
}

fn count() -> impl Strategy<Value = u64> {
    0u64..1_000_000
}

fn gen_day() -> impl Strategy<Value = GenDay> {
    (
        prop::option::of(count()),
        prop::option::of((
            count(),
            prop::collection::vec(
                prop::collection::vec(prop::array::uniform4(count()), 0..3),
                0..3,
            ),
        )),
        prop::option::of(count()),
        prop::option::of(count()),
        prop::option::of((count(), prop::collection::vec(count(), 0..3))),
    )
        .prop_map(|(active, completions, ide_chat, dotcom_chat, prs)| GenDay {
            active,
            completions,
            ide_chat,
            dotcom_chat,
            prs,
        })
}

#[derive(Debug, Clone)]
struct GenUserDay {
    used_agent: Option<bool>,
    used_chat: Option<bool>,
    /// Completion generations, acceptances, lines suggested, lines added.
    completion: Option<[u64; 4]>,
}

fn gen_user_day() -> impl Strategy<Value = GenUserDay> {
    (
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(prop::array::uniform4(count())),
    )
        .prop_map(|(used_agent, used_chat, completion)| GenUserDay {
            used_agent,
            used_chat,
            completion,
        })
}

fn date(offset: u16) -> Date {
    Date::new(2025, 1, 1)
        .unwrap()
        .checked_add(jiff::Span::new().days(i64::from(offset)))
        .unwrap()
}

fn usage(date: Date, who: &UsageSubject, capability: Capability, n: [Option<u64>; 5]) -> AiUsage {
    AiUsage {
        date,
        who: who.clone(),
        tool: "copilot".into(),
        capability,
        active: n[0],
        suggestions: n[1],
        acceptances: n[2],
        lines_suggested: n[3],
        lines_accepted: n[4],
    }
}

proptest! {
    #[test]
    fn copilot_any_bytes(b in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = copilot::parse("any.json", &b, &Options::default());
    }

    #[test]
    fn copilot_any_json_anywhere(a in any_json(), b in any_json(), c in any_json()) {
        let doc = json!([
            {"date": "2026-03-01", "total_active_users": a.clone(), "copilot_ide_code_completions": {"editors": [b.clone(), {"models": [c.clone()]}]}, "copilot_dotcom_pull_requests": a.clone()},
            {"day": "2026-03-01", "user_login": "u", "totals_by_feature": [a.clone(), {"feature": b.clone()}], "used_chat": c.clone()},
            {"day_totals": [b, {"day": "2026-03-02", "pull_requests": c}]},
            a,
        ]);
        let _ = copilot::parse("any.json", doc.to_string().as_bytes(), &Options::default());
        // And the same values as NDJSON lines.
        if let Value::Array(rows) = doc {
            let text: Vec<String> = rows.iter().map(Value::to_string).collect();
            let _ = copilot::parse("any.ndjson", text.join("\n").as_bytes(), &Options::default());
        }
    }

    #[test]
    fn copilot_metrics_api_round_trip(
        days in prop::collection::btree_map(0u16..3000, gen_day(), 0..10),
        team in prop::option::of("[a-z]{3,10}"),
    ) {
        let doc: Vec<Value> = days.iter().map(|(offset, d)| {
            let mut day = json!({"date": date(*offset).to_string(), "total_engaged_users": 1});
            if let Some(a) = d.active { day["total_active_users"] = json!(a) }
            if let Some((engaged, editors)) = &d.completions {
                day["copilot_ide_code_completions"] = json!({
                    "total_engaged_users": engaged,
                    "languages": [{"name": "rust", "total_engaged_users": 1}],
                    "editors": editors.iter().map(|langs| json!({"name": "vscode", "total_engaged_users": 1, "models": [{
                        "name": "default", "is_custom_model": false, "total_engaged_users": 1,
                        "languages": langs.iter().map(|[s, a, ls, la]| json!({
                            "name": "rust", "total_engaged_users": 1,
                            "total_code_suggestions": s, "total_code_acceptances": a,
                            "total_code_lines_suggested": ls, "total_code_lines_accepted": la,
                        })).collect::<Vec<_>>(),
                    }]})).collect::<Vec<_>>(),
                });
            }
            if let Some(e) = d.ide_chat {
                day["copilot_ide_chat"] = json!({"total_engaged_users": e, "editors": [{"name": "vscode", "models": [{"name": "default", "total_chats": 3}]}]});
            }
            if let Some(e) = d.dotcom_chat {
                day["copilot_dotcom_chat"] = json!({"total_engaged_users": e, "models": [{"name": "default", "total_chats": 2}]});
            }
            if let Some((engaged, repos)) = &d.prs {
                day["copilot_dotcom_pull_requests"] = json!({"total_engaged_users": engaged, "repositories": repos.iter().map(|n| json!({
                    "name": "acme/web", "total_engaged_users": 1, "models": [{"name": "default", "total_pr_summaries_created": n}],
                })).collect::<Vec<_>>()});
            }
            day
        }).collect();
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let opts = Options { team: team.clone(), ..Options::default() };
        let parsed = copilot::parse("copilot.json", text.as_bytes(), &opts).unwrap();

        let who = team.map_or(UsageSubject::Org, UsageSubject::Team);
        let sum = |it: &mut dyn Iterator<Item = u64>| it.fold(None, |acc: Option<u64>, v| Some(acc.unwrap_or(0) + v));
        let mut want = Vec::new();
        for (offset, d) in &days {
            let day = date(*offset);
            if let Some((engaged, editors)) = &d.completions {
                let all: Vec<[u64; 4]> = editors.iter().flatten().copied().collect();
                let n = |k: usize| sum(&mut all.iter().map(|c| c[k]));
                want.push(usage(day, &who, Capability::Completion, [Some(*engaged), n(0), n(1), n(2), n(3)]));
            }
            if d.ide_chat.is_some() || d.dotcom_chat.is_some() {
                want.push(usage(day, &who, Capability::Chat, [d.ide_chat.max(d.dotcom_chat), None, None, None, None]));
            }
            if let Some((engaged, repos)) = &d.prs {
                want.push(usage(day, &who, Capability::Review, [Some(*engaged), sum(&mut repos.iter().copied()), None, None, None]));
            }
            if let Some(a) = d.active {
                want.push(usage(day, &who, Capability::Other, [Some(a), None, None, None, None]));
            }
        }
        prop_assert_eq!(usages(&parsed), want);
    }

    #[test]
    fn copilot_usage_report_round_trip(
        rows in prop::collection::btree_map(("[a-z][a-z0-9-]{0,10}", 0u16..3000), gen_user_day(), 1..20),
    ) {
        let lines: Vec<String> = rows.iter().map(|((login, offset), r)| {
            let mut row = json!({
                "user_login": login, "user_id": 7, "day": date(*offset).to_string(), "enterprise_id": "1",
                "used_cli": false, "totals_by_ide": [], "totals_by_language_feature": [],
            });
            if let Some(b) = r.used_agent { row["used_agent"] = json!(b) }
            if let Some(b) = r.used_chat { row["used_chat"] = json!(b) }
            let mut features = Vec::new();
            if let Some([g, a, ls, la]) = r.completion {
                features.push(json!({"feature": "code_completion", "code_generation_activity_count": g, "code_acceptance_activity_count": a, "loc_suggested_to_add_sum": ls, "loc_added_sum": la, "user_initiated_interaction_count": 0}));
            }
            row["totals_by_feature"] = json!(features);
            row.to_string()
        }).collect();
        let text = lines.join("\n") + "\n";
        // One row alone is one JSON document, not NDJSON; both read the same.
        let parsed = copilot::parse("usage.ndjson", text.as_bytes(), &Options::default()).unwrap();

        let mut want = Vec::new();
        for ((login, offset), r) in &rows {
            let who = UsageSubject::Person(login.clone());
            let day = date(*offset);
            let c = match r.completion {
                Some([g, a, ls, la]) => [Some(u64::from(g > 0)), Some(g), Some(a), Some(ls), Some(la)],
                None => [Some(0), None, None, None, None],
            };
            want.push(usage(day, &who, Capability::Completion, c));
            if let Some(b) = r.used_chat {
                want.push(usage(day, &who, Capability::Chat, [Some(u64::from(b)), None, None, None, None]));
            }
            if let Some(b) = r.used_agent {
                want.push(usage(day, &who, Capability::Agent, [Some(u64::from(b)), None, None, None, None]));
            }
        }
        prop_assert_eq!(usages(&parsed), want);
    }
}

/// Nesting deeper than serde_json's recursion limit is a problem, not a stack overflow.
#[test]
fn deep_nesting_is_refused_not_a_crash() {
    for text in [
        "[".repeat(100_000),
        "{\"a\":".repeat(50_000),
        format!("{}\n{}", "{}", "[".repeat(100_000)),
    ] {
        assert!(sarif::parse("deep.sarif", text.as_bytes(), &Options::default()).is_err());
        assert!(axe::parse("deep.json", text.as_bytes(), &Options::default()).is_err());
        assert!(copilot::parse("deep.json", text.as_bytes(), &Options::default()).is_err());
    }
}
