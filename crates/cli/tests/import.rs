#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `plumb import`: every kind's example file imports and reads back; every class of bad
//! input is refused with its precise message and leaves the store as it was.

mod support;

use serde_json::{Value, json};
use std::path::PathBuf;
use support::Plumb;

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/import-examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Imports the example file of `kind` and returns the stored records.
fn import_example(kind: &str, file: &str) -> Vec<Value> {
    let plumb = Plumb::new();
    let out = plumb.ok(&["import", kind, &example(file)]);
    assert!(out.contains("added"), "{out}");
    plumb.records(kind)
}

#[test]
fn people_read_back() {
    let people = import_example("people", "people.csv");
    assert_eq!(people.len(), 3);
    assert_eq!(
        people[0],
        json!({
            "name": "Ana Lima",
            "emails": ["ana@acme.test", "ana.lima@users.noreply.github.com"],
            "logins": ["analima"],
            "team": "payments",
            "level": "senior",
            "career_start": 2012,
            "start_date": "2019-04-01",
            "end_date": null
        })
    );
    assert_eq!(people[2]["end_date"], "2026-06-30");
}

#[test]
fn teams_read_back() {
    let teams = import_example("teams", "teams.csv");
    assert_eq!(
        teams,
        vec![
            json!({"team": "payments", "ai_rollout_date": "2026-02-01", "profile": "fintech", "parent": "engineering"}),
            json!({"team": "platform", "ai_rollout_date": "2026-04-15", "profile": "saas", "parent": "engineering"}),
        ]
    );
}

#[test]
fn work_items_read_back() {
    let items = import_example("work-items", "work-items.csv");
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0],
        json!({
            "key": "PAY-101",
            "type": "feature",
            "title": "Refunds in the checkout",
            "team": "payments",
            "created_at": "2026-03-02T09:00:00Z",
            // +01:00 is kept as the instant it names.
            "started_at": "2026-03-03T09:00:00Z",
            "done_at": "2026-03-09T16:30:00Z",
            "released_at": "2026-03-10T08:00:00Z",
            "customer_request": true,
            "labels": ["checkout", "refunds"],
            "linked_prs": [{"repo": "acme/payments", "number": 42}]
        })
    );
    assert_eq!(items[2]["type"], "spike");
    assert_eq!(items[2]["done_at"], Value::Null, "empty means unknown");
}

#[test]
fn pull_requests_read_back() {
    let prs = import_example("pull-requests", "pull-requests.csv");
    assert_eq!(prs.len(), 2);
    assert_eq!(prs[0]["number"], 42);
    assert_eq!(prs[0]["author"], "analima");
    assert_eq!(prs[0]["head_branch"], "claude/refunds");
    assert_eq!(
        prs[0]["merge_sha"],
        "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807"
    );
    assert_eq!(prs[0]["additions"], 320);
    assert_eq!(
        prs[0]["body_markers"],
        json!(["Generated with Claude Code"])
    );
    assert_eq!(prs[1]["merged_at"], Value::Null);
    assert_eq!(prs[1]["additions"], 12);
}

#[test]
fn reviews_read_back() {
    let reviews = import_example("reviews", "reviews.csv");
    assert_eq!(reviews.len(), 3);
    assert!(reviews.contains(&json!({
        "repo": "acme/payments", "number": 42, "reviewer": "cyo",
        "state": "changes_requested", "submitted_at": "2026-03-05T11:00:00Z"
    })));
}

#[test]
fn checks_read_back_from_ndjson() {
    let checks = import_example("checks", "checks.ndjson");
    assert_eq!(
        checks.len(),
        3,
        "a re-run is its own check (started_at differs)"
    );
    assert!(checks.contains(&json!({
        "repo": "acme/payments", "sha": "1f3a9c2d4e5b6a7980c1d2e3f4a5b6c7d8e9f001",
        "name": "e2e", "conclusion": "failure", "started_at": "2026-03-06T10:05:00Z",
        "completed_at": "2026-03-06T10:40:00Z", "required": true
    })));
}

#[test]
fn deployments_read_back() {
    let deployments = import_example("deployments", "deployments.csv");
    assert_eq!(deployments.len(), 3);
    assert_eq!(
        deployments[1],
        json!({
            "id": "dep-1002", "repo": "acme/payments", "environment": "production",
            "sha": "3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c",
            "started_at": "2026-03-07T09:00:00Z", "finished_at": "2026-03-07T09:10:00Z",
            "status": "rolled_back", "kind": "regular", "service": "payments-api"
        })
    );
}

#[test]
fn incidents_read_back() {
    let incidents = import_example("incidents", "incidents.csv");
    assert_eq!(incidents.len(), 2);
    assert_eq!(incidents[0]["caused_by_deployment"], "dep-1002");
    assert_eq!(incidents[0]["customer_impacting"], true);
    assert_eq!(incidents[1]["repo"], Value::Null);
    assert_eq!(incidents[1]["ai_related"], Value::Null);
}

#[test]
fn ai_usage_read_back_from_ndjson() {
    let usage = import_example("ai-usage", "ai-usage.ndjson");
    assert_eq!(usage.len(), 3);
    assert!(usage.contains(&json!({
        "date": "2026-03-04", "who": {"scope": "person", "name": "bochen"},
        "tool": "copilot", "capability": "completion", "active": 1,
        "suggestions": 120, "acceptances": 38, "lines_suggested": 240, "lines_accepted": 71
    })));
    assert!(usage.contains(&json!({
        "date": "2026-03-04", "who": {"scope": "team", "name": "platform"},
        "tool": "copilot", "capability": "chat", "active": 4,
        "suggestions": null, "acceptances": null, "lines_suggested": null, "lines_accepted": null
    })));
}

#[test]
fn survey_read_back_with_anonymous_answers() {
    let plumb = Plumb::new();
    plumb.ok(&["import", "survey", &example("survey.csv")]);
    let answers = plumb.records("survey");
    assert_eq!(
        answers.len(),
        4,
        "two anonymous answers to one question both count"
    );
    let anonymous: Vec<&Value> = answers
        .iter()
        .filter(|a| a["respondent"].is_null())
        .collect();
    assert_eq!(anonymous.len(), 2);
    // Re-importing the same file changes nothing, anonymous answers included.
    let again = plumb.ok(&["import", "survey", &example("survey.csv")]);
    assert!(again.contains("0 added, 0 updated, 4 unchanged"), "{again}");
}

#[test]
fn skills_read_back() {
    let skills = import_example("skills", "skills.csv");
    assert_eq!(skills.len(), 3);
    assert!(
        skills.contains(&json!({"person": "bo@acme.test", "date": "2026-07-15", "score": 52.5}))
    );
}

#[test]
fn costs_read_back() {
    let costs = import_example("costs", "costs.csv");
    assert_eq!(costs.len(), 4);
    assert!(
        costs.contains(&json!({
            "month": "2026-02", "category": "training", "item": "AI pairing workshop",
            "amount": 4500.0, "currency": "USD", "seats": null
        })),
        "currency codes are upper-cased: {costs:?}"
    );
}

#[test]
fn kpis_read_back() {
    let kpis = import_example("kpis", "kpis.csv");
    assert_eq!(kpis.len(), 3);
    assert!(kpis.contains(&json!({
        "kpi": "adoption:PAY-101", "date": "2026-03-31", "value": 0.27,
        "unit": "ratio", "feature": "PAY-101"
    })));
}

// --- idempotency and dry runs -------------------------------------------------------

#[test]
fn reimport_changes_nothing_and_changed_rows_update() {
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deployments.csv");
    let original = std::fs::read_to_string(example("deployments.csv")).unwrap();
    std::fs::write(&file, &original).unwrap();
    let f = file.to_str().unwrap();
    let first = plumb.ok(&["import", "deployments", f]);
    assert!(first.contains("3 added, 0 updated, 0 unchanged"), "{first}");
    let before = plumb.dump();
    let again = plumb.ok(&["import", "deployments", f]);
    assert!(again.contains("0 added, 0 updated, 3 unchanged"), "{again}");
    support::assert_same_rows(&before, &plumb.dump());

    // dep-1002 turns out to have failed outright; dep-1004 is new.
    let changed = original.replace("rolled_back,regular", "failure,regular")
        + "dep-1004,acme/payments,staging,9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807,,2026-03-08T10:00:00Z,success,,payments-api\n";
    std::fs::write(&file, changed).unwrap();
    let dry = plumb.ok(&["import", "deployments", f, "--dry-run"]);
    assert!(
        dry.contains("would add 1, update 1, leave 2 unchanged (dry run: nothing written)"),
        "{dry}"
    );
    assert!(dry.contains("would update: dep-1002"), "{dry}");
    support::assert_same_rows(&before, &plumb.dump());
    let applied = plumb.ok(&["import", "deployments", f]);
    assert!(
        applied.contains("1 added, 1 updated, 2 unchanged"),
        "{applied}"
    );
    let stored = plumb.records("deployments");
    assert_eq!(stored.len(), 4);
    assert_eq!(stored[1]["status"], "failure");
}

#[test]
fn json_output_counts_the_changes() {
    let plumb = Plumb::new();
    let out = plumb.ok(&["import", "teams", &example("teams.csv"), "--output", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["kind"], "teams");
    assert_eq!(v[0]["inserted"], 2);
    assert_eq!(v[0]["unchanged"], 0);
}

#[test]
fn unknown_people_and_repositories_are_counted_not_dropped() {
    let plumb = Plumb::new();
    plumb.ok(&["import", "people", &example("people.csv")]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reviews.csv");
    std::fs::write(
        &file,
        "repo,number,reviewer,state,submitted_at\n\
         acme/payments,42,cyo,approved,2026-03-06T10:00:00Z\n\
         acme/payments,42,ghost@elsewhere.test,approved,2026-03-06T11:00:00Z\n\
         acme/payments,43,ghost@elsewhere.test,commented,2026-03-06T12:00:00Z\n",
    )
    .unwrap();
    let out = plumb.ok(&["import", "reviews", file.to_str().unwrap()]);
    assert!(out.contains("3 added"), "{out}");
    assert!(
        out.contains(
            "warning: 2 rows name 1 person not on the roster (ghost@elsewhere.test): counted as unknown people until `plumb import people` lists them"
        ),
        "{out}"
    );
    assert!(
        out.contains("warning: 3 rows name 1 repository not ingested (acme/payments)"),
        "{out}"
    );
    assert_eq!(plumb.records("reviews").len(), 3, "nothing is dropped");
}

// --- refused files ------------------------------------------------------------------

/// Imports `content` as `name` into a store that already holds the example teams, expects
/// the file refused, checks the store is unchanged and returns stderr.
fn refused_with(kind: &str, name: &str, content: &[u8], extra: &[&str]) -> String {
    let plumb = Plumb::new();
    plumb.ok(&["import", "teams", &example("teams.csv")]);
    let before = plumb.dump();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, content).unwrap();
    let mut args = vec!["import", kind, file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let stderr = plumb.fails(&args, 2);
    support::assert_same_rows(&before, &plumb.dump());
    assert!(
        stderr.contains("(nothing was imported)"),
        "the refusal says so: {stderr}"
    );
    // Messages name the file as given, so strip the temp folder.
    stderr.replace(&format!("{}/", dir.path().display()), "")
}

#[test]
fn bad_values_are_each_named_with_line_column_and_reason() {
    let stderr = refused_with(
        "deployments",
        "deployments.csv",
        b"id,repo,environment,sha,started_at,finished_at,status,kind,service\n\
          d1,acme/web,production,abcdef1234567,2026-03-04T09:00:00Z,2026-03-04T09:15:00Z,success,regular,web\n\
          d2,acme/web,production,abcdef1234568,,2026-13-01,success,regular,web\n\
          d3,acme/web,production,zzz,2026-03-05T10:00:00Z,2026-03-05T09:00:00Z,ok,weird,web\n\
          d4,acme/web,production,abcdef1234569,2026-03-04T09:00:00,2026-02-30T09:15:00Z,success,,web\n",
        &[],
    );
    let expected = [
        "deployments.csv:3: finished_at: \"2026-13-01\" is not a timestamp: there is no month 13",
        "deployments.csv:4: sha: \"zzz\" is not a commit id (7 to 64 hexadecimal digits)",
        "deployments.csv:4: finished_at: \"2026-03-05T09:00:00Z\" is before started_at (2026-03-05T10:00:00Z): a negative duration",
        "deployments.csv:4: status: \"ok\" is not one of success/failure/rolled_back",
        "deployments.csv:4: kind: \"weird\" is not one of regular/hotfix/rollback",
        "deployments.csv:5: started_at: \"2026-03-04T09:00:00\" is not a timestamp: it has no UTC offset (add Z or ±hh:mm, e.g. 2026-03-04T09:15:00Z)",
        "deployments.csv:5: finished_at: \"2026-02-30T09:15:00Z\" is not a timestamp: 2026-02 has no day 30",
        "deployments.csv: refused: 7 problems (nothing was imported)",
    ];
    for line in expected {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
}

#[test]
fn dates_that_do_not_exist_are_refused() {
    let stderr = refused_with(
        "skills",
        "skills.csv",
        b"person,date,score\nbo@acme.test,2026-02-29,40\nbo@acme.test,2026-04-31,41\nbo@acme.test,26-04-01,42\nbo@acme.test,2026-07-01,101\n",
        &[],
    );
    assert!(
        stderr.contains("skills.csv:2: date: \"2026-02-29\" is not a date: 2026-02 has no day 29"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skills.csv:3: date: \"2026-04-31\" is not a date: 2026-04 has no day 31"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skills.csv:4: date: \"26-04-01\" is not a date: expected YYYY-MM-DD"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skills.csv:5: score: \"101\" is not a score from 0 to 100"),
        "{stderr}"
    );
}

#[test]
fn negative_durations_are_refused() {
    let stderr = refused_with(
        "incidents",
        "incidents.csv",
        b"id,opened_at,resolved_at\nINC-1,2026-03-07T10:00:00+02:00,2026-03-07T07:59:00Z\n",
        &[],
    );
    assert!(
        stderr.contains("incidents.csv:2: resolved_at: \"2026-03-07T07:59:00Z\" is before opened_at (2026-03-07T08:00:00Z): a negative duration"),
        "{stderr}"
    );
}

#[test]
fn duplicate_keys_within_a_file_are_refused_naming_both_lines() {
    let stderr = refused_with(
        "work-items",
        "work-items.csv",
        b"key,type,created_at\nPAY-1,feature,2026-03-01T09:00:00Z\nPAY-2,bug,2026-03-01T09:00:00Z\nPAY-1,bug,2026-03-02T09:00:00Z\n",
        &[],
    );
    assert!(
        stderr.contains("work-items.csv:4: duplicate work item PAY-1: line 2 has the same key"),
        "{stderr}"
    );
}

#[test]
fn unknown_enum_values_list_the_accepted_ones() {
    let stderr = refused_with(
        "work-items",
        "work-items.csv",
        b"key,type,created_at\nPAY-1,story,2026-03-01T09:00:00Z\n",
        &[],
    );
    assert!(
        stderr.contains("work-items.csv:2: type: \"story\" is not one of feature/bug/chore/debt/spike/experiment/incident"),
        "{stderr}"
    );
}

#[test]
fn ragged_rows_and_broken_quotes_are_refused() {
    let stderr = refused_with(
        "teams",
        "teams.csv",
        b"team,ai_rollout_date\nsearch,2026-01-01,extra\n\"growth,2026-02-01\n",
        &[],
    );
    assert!(
        stderr.contains("teams.csv:2: has 3 fields, the header has 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("teams.csv:3: has 1 fields, the header has 2"),
        "an unterminated quote swallows the row: {stderr}"
    );
}

#[test]
fn quoted_fields_with_separators_and_newlines_are_fine() {
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("work-items.csv");
    std::fs::write(
        &file,
        "\u{feff}key,type,title,created_at\r\nPAY-1,feature,\"Refunds, partial \"\"and\"\" full\nacross lines\",2026-03-01T09:00:00Z\r\n",
    )
    .unwrap();
    plumb.ok(&["import", "work-items", file.to_str().unwrap()]);
    let items = plumb.records("work-items");
    assert_eq!(
        items[0]["title"], "Refunds, partial \"and\" full\nacross lines",
        "a BOM, CRLF and RFC 4180 quoting are read as spreadsheets write them"
    );
}

#[test]
fn wrong_encodings_are_refused() {
    // UTF-16 with a BOM, as some spreadsheet exports write.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "team\nsearch\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let stderr = refused_with("teams", "teams.csv", &utf16, &[]);
    assert!(
        stderr.contains("teams.csv: the file is UTF-16 encoded: save it as UTF-8"),
        "{stderr}"
    );
    // Latin-1 bytes in a cell.
    let stderr = refused_with("teams", "teams.csv", b"team,profile\nz\xfcrich,saas\n", &[]);
    assert!(
        stderr.contains(
            "teams.csv:2: team: \"z\u{fffd}rich\" is not valid UTF-8: save the file as UTF-8"
        ),
        "{stderr}"
    );
    let stderr = refused_with("teams", "teams.ndjson", b"{\"team\":\"z\xfcrich\"}\n", &[]);
    assert!(
        stderr.contains("teams.ndjson:1: is not valid UTF-8"),
        "{stderr}"
    );
}

#[test]
fn unknown_and_missing_columns_are_refused_unless_allowed() {
    let content = b"team,colour,ai_rollout_date\nsearch,blue,2026-01-01\n";
    let stderr = refused_with("teams", "teams.csv", content, &[]);
    assert!(
        stderr.contains("teams.csv:1: colour: unknown column (known: team, ai_rollout_date, profile, parent); pass --allow-extra to ignore it"),
        "{stderr}"
    );
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("teams.csv");
    std::fs::write(&file, content).unwrap();
    let out = plumb.ok(&["import", "teams", file.to_str().unwrap(), "--allow-extra"]);
    assert!(out.contains("note: ignored extra columns: colour"), "{out}");
    assert_eq!(plumb.records("teams")[0]["team"], "search");

    let stderr = refused_with(
        "work-items",
        "work-items.csv",
        b"key,title\nPAY-1,Refunds\n",
        &[],
    );
    assert!(
        stderr.contains("work-items.csv:1: type: required column is missing from the header"),
        "{stderr}"
    );
    assert!(
        stderr.contains("work-items.csv:1: created_at: required column is missing from the header"),
        "{stderr}"
    );
}

#[test]
fn required_cells_and_ndjson_shapes() {
    let stderr = refused_with(
        "ai-usage",
        "usage.ndjson",
        b"{\"date\":\"2026-03-04\",\"tool\":\"copilot\",\"capability\":\"completion\"}\n\
          {\"date\":\"2026-03-04\",\"person\":\"bo\",\"team\":\"payments\",\"tool\":\"copilot\",\"capability\":\"chat\"}\n\
          [1,2]\n\
          {\"date\":\"2026-03-04\",\"person\":\"bo\",\"tool\":\"\",\"capability\":\"chat\",\"suggestions\":-3}\n\
          {not json\n",
        &[],
    );
    for line in [
        "usage.ndjson:1: person: and team are both empty: one of them is required",
        "usage.ndjson:2: team: is set as well as person (bo): a row counts one person or one team",
        "usage.ndjson:3: is not a JSON object: NDJSON has one object per line",
        "usage.ndjson:4: tool: is required and empty",
        "usage.ndjson:4: suggestions: \"-3\" is negative: expected a count (0 or more)",
        "usage.ndjson:5: is not valid JSON: key must be a string at line 1 column 2",
    ] {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
}

#[test]
fn huge_fields_and_many_errors_are_bounded() {
    // A 2 MiB title is data, not an error; the message of a bad huge value is shortened.
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("work-items.csv");
    let huge = "x".repeat(2 << 20);
    std::fs::write(
        &file,
        format!("key,type,title,created_at\nPAY-1,feature,{huge},2026-03-01T09:00:00Z\nPAY-2,{huge},t,2026-03-01T09:00:00Z\n"),
    )
    .unwrap();
    let stderr = plumb.fails(&["import", "work-items", file.to_str().unwrap()], 2);
    let line = stderr.lines().find(|l| l.contains(":3: type:")).unwrap();
    assert!(
        line.len() < 300,
        "a bad value is shortened in messages: {} bytes",
        line.len()
    );
    assert!(line.contains(&format!("\"{}…\"", "x".repeat(60))), "{line}");

    // 120 bad rows: the first 50 are listed and the rest counted.
    let mut content = String::from("person,date,score\n");
    for i in 0..120 {
        content.push_str(&format!("p{i},2026-01-01,{}\n", 200 + i));
    }
    let stderr = refused_with("skills", "skills.csv", content.as_bytes(), &[]);
    assert_eq!(
        stderr.matches("is not a score from 0 to 100").count(),
        50,
        "{stderr}"
    );
    assert!(
        stderr.contains("skills.csv: … and 70 more problems"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skills.csv: refused: 120 problems (nothing was imported)"),
        "{stderr}"
    );
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "team,ai_rollout_date\nsearch,someday\n").unwrap();
    let out = plumb
        .command(&[
            "import",
            "teams",
            bad.to_str().unwrap(),
            &example("teams.csv"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.csv:2: ai_rollout_date: \"someday\" is not a date"),
        "{stderr}"
    );
    assert_eq!(plumb.records("teams").len(), 2, "the good file is imported");
}

#[test]
fn a_file_without_a_known_extension_needs_a_format() {
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("teams.txt");
    std::fs::write(&file, "team\nsearch\n").unwrap();
    let stderr = plumb.fails(&["import", "teams", file.to_str().unwrap()], 2);
    assert!(stderr.contains("pass --format csv|ndjson"), "{stderr}");
    plumb.ok(&["import", "teams", file.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(plumb.records("teams").len(), 1);
}

// --- native formats ------------------------------------------------------------------

#[test]
fn sarif_findings_read_back_and_keep_their_first_sighting() {
    let plumb = Plumb::new();
    let out = plumb.ok(&["import", "findings", &example("findings.sarif")]);
    assert!(out.contains("3 records (findings): 3 added"), "{out}");
    let findings = plumb.records("findings");
    let sqli = findings
        .iter()
        .find(|f| f["rule"] == "js/sql-injection")
        .expect("the SQL injection result");
    assert_eq!(sqli["kind"], "security");
    assert_eq!(sqli["tool"], "CodeQL");
    assert_eq!(
        sqli["severity"], "critical",
        "security-severity 9.1 is critical"
    );
    assert_eq!(sqli["first_seen"], "2026-03-04T09:15:00Z");
    let unused = findings
        .iter()
        .find(|f| f["rule"] == "js/unused-local-variable")
        .expect("the quality result");
    assert_eq!(
        unused["kind"], "quality",
        "rules without security tags are quality"
    );

    // The next month's scan reports the same results: they are not new findings.
    let dir = tempfile::tempdir().unwrap();
    let later = dir.path().join("april.sarif");
    let text = std::fs::read_to_string(example("findings.sarif"))
        .unwrap()
        .replace("2026-03-04T09:15:00.000Z", "2026-04-04T09:15:00.000Z");
    std::fs::write(&later, text).unwrap();
    let out = plumb.ok(&["import", "findings", later.to_str().unwrap()]);
    assert!(out.contains("0 added, 3 updated"), "{out}");
    let sqli = plumb
        .records("findings")
        .into_iter()
        .find(|f| f["rule"] == "js/sql-injection")
        .unwrap();
    assert_eq!(sqli["first_seen"], "2026-03-04T09:15:00Z");
    assert_eq!(sqli["last_seen"], "2026-04-04T09:15:00Z");
    // Importing the older scan again moves nothing back.
    let out = plumb.ok(&["import", "findings", &example("findings.sarif")]);
    assert!(out.contains("0 added, 0 updated, 3 unchanged"), "{out}");
}

#[test]
fn sarif_kind_can_be_forced() {
    let plumb = Plumb::new();
    plumb.ok(&[
        "import",
        "findings",
        &example("findings.sarif"),
        "--kind",
        "design",
    ]);
    assert!(
        plumb
            .records("findings")
            .iter()
            .all(|f| f["kind"] == "design")
    );
}

#[test]
fn axe_violations_read_back_as_accessibility_findings() {
    let plumb = Plumb::new();
    plumb.ok(&["import", "a11y", &example("a11y.json")]);
    let findings = plumb.records("findings");
    assert_eq!(findings.len(), 3, "one finding per violating element");
    assert!(findings.iter().all(|f| f["kind"] == "accessibility"));
    assert!(findings.iter().all(|f| f["url"].is_string()));
    assert!(
        findings
            .iter()
            .any(|f| f["severity"] == "critical" || f["severity"] == "high"),
        "{findings:?}"
    );
}

#[test]
fn copilot_metrics_read_back_as_usage_of_the_org_or_a_team() {
    let plumb = Plumb::new();
    plumb.ok(&[
        "import",
        "copilot-metrics",
        &example("copilot-metrics.json"),
    ]);
    let usage = plumb.records("ai-usage");
    assert_eq!(usage.len(), 7);
    let completion = usage
        .iter()
        .find(|u| u["date"] == "2026-03-02" && u["capability"] == "completion")
        .unwrap();
    assert_eq!(completion["who"], json!({"scope": "org"}));
    assert_eq!(completion["tool"], "copilot");
    assert_eq!(completion["active"], 37);
    assert_eq!(completion["suggestions"], 3100);
    assert_eq!(completion["acceptances"], 880);

    let team = Plumb::new();
    team.ok(&[
        "import",
        "copilot-metrics",
        &example("copilot-metrics.json"),
        "--team",
        "platform",
    ]);
    assert!(
        team.records("ai-usage")
            .iter()
            .all(|u| u["who"] == json!({"scope": "team", "name": "platform"}))
    );
}

#[test]
fn a_broken_sarif_file_is_refused_whole() {
    let stderr = refused_with(
        "findings",
        "scan.sarif",
        br#"{"version": "2.0.0", "runs": []}"#,
        &[],
    );
    assert!(stderr.contains("scan.sarif"), "{stderr}");
    assert!(stderr.contains("2.0.0"), "the version is named: {stderr}");
}
