#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Round trips: any valid set of rows, written as CSV or NDJSON the way a user's tool would
//! write it, imports and reads back equal. And any bytes at all give records or problems,
//! never a panic.

use jiff::Timestamp;
use jiff::tz::Offset;
use plumb_import::{ImportKind, Options, TableFormat, parse};
use plumb_model::records::*;
use proptest::prelude::*;

/// Text as spreadsheets hold it: no leading or trailing blanks (plumb trims cells), and
/// commas, quotes and line breaks inside.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9 ,\"'\n._-]{0,14}[A-Za-z0-9]|[A-Za-z0-9]"
}

/// A list item: no `;`, no blanks at the ends.
fn item() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9 ._-]{0,8}[a-z0-9]|[a-z0-9]"
}

fn instant() -> impl Strategy<Value = Timestamp> {
    (946_684_800i64..4_102_444_800).prop_map(|s| Timestamp::from_second(s).unwrap())
}

/// A timestamp written with an arbitrary whole-quarter-hour offset.
fn written(t: &Timestamp, offset_quarters: i8) -> String {
    let offset = Offset::from_seconds(i32::from(offset_quarters) * 900).unwrap();
    t.display_with_offset(offset).to_string()
}

fn sha() -> impl Strategy<Value = String> {
    "[0-9a-f]{40}"
}

fn deployment() -> impl Strategy<Value = (Deployment, i8)> {
    (
        "[a-z0-9-]{1,12}",
        text(),
        sha(),
        instant(),
        0u32..100_000,
        prop::sample::select(DeployStatus::ALL),
        prop::option::of(prop::sample::select(DeployKind::ALL)),
        prop::option::of(text()),
        -48i8..=56,
        any::<bool>(),
    )
        .prop_map(
            |(id, environment, sha, finished, took, status, kind, service, offset, has_start)| {
                let started =
                    Timestamp::from_second(finished.as_second() - i64::from(took)).unwrap();
                (
                    Deployment {
                        id,
                        repo: "acme/web".into(),
                        environment,
                        sha,
                        started_at: has_start.then_some(started),
                        finished_at: finished,
                        status,
                        kind,
                        service,
                    },
                    offset,
                )
            },
        )
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn deployments_csv(rows: &[(Deployment, i8)]) -> String {
    let mut out =
        String::from("service,id,repo,environment,sha,started_at,finished_at,status,kind\n");
    for (d, offset) in rows {
        let cells = [
            d.service.clone().unwrap_or_default(),
            d.id.clone(),
            d.repo.clone(),
            d.environment.clone(),
            d.sha.clone(),
            d.started_at
                .map(|t| written(&t, *offset))
                .unwrap_or_default(),
            written(&d.finished_at, *offset),
            d.status.to_string(),
            d.kind.map(|k| k.to_string()).unwrap_or_default(),
        ];
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

fn deployments_ndjson(rows: &[(Deployment, i8)]) -> String {
    rows.iter()
        .map(|(d, offset)| {
            serde_json::json!({
                "id": d.id,
                "repo": d.repo,
                "environment": d.environment,
                "sha": d.sha,
                "started_at": d.started_at.map(|t| written(&t, *offset)),
                "finished_at": written(&d.finished_at, *offset),
                "status": d.status.as_str(),
                "kind": d.kind.map(|k| k.as_str()),
                "service": d.service,
            })
            .to_string()
                + "\n"
        })
        .collect()
}

fn unique_ids(rows: Vec<(Deployment, i8)>) -> Vec<(Deployment, i8)> {
    let mut seen = std::collections::HashSet::new();
    rows.into_iter()
        .filter(|(d, _)| seen.insert(d.id.clone()))
        .collect()
}

fn work_item() -> impl Strategy<Value = WorkItem> {
    (
        "[A-Z]{2,4}-[1-9][0-9]{0,4}",
        prop::sample::select(WorkType::ALL),
        prop::option::of(text()),
        instant(),
        prop::option::of(0i64..5_000_000),
        prop::option::of(any::<bool>()),
        prop::collection::vec(item(), 0..4),
        prop::collection::vec(("[a-z]{1,6}/[a-z]{1,6}", 1u64..100_000), 0..3),
    )
        .prop_map(
            |(key, kind, title, created, done_after, customer, labels, prs)| WorkItem {
                key,
                kind,
                title,
                team: Some("payments".into()),
                created_at: created,
                started_at: None,
                done_at: done_after
                    .map(|d| Timestamp::from_second(created.as_second() + d).unwrap()),
                released_at: None,
                customer_request: customer,
                labels,
                linked_prs: prs
                    .into_iter()
                    .map(|(repo, number)| PrRef { repo, number })
                    .collect(),
            },
        )
}

fn work_items_csv(rows: &[WorkItem]) -> String {
    let mut out =
        String::from("key,type,title,team,created_at,done_at,customer_request,labels,linked_prs\n");
    for w in rows {
        let cells = [
            w.key.clone(),
            w.kind.to_string(),
            w.title.clone().unwrap_or_default(),
            w.team.clone().unwrap_or_default(),
            w.created_at.to_string(),
            w.done_at.map(|t| t.to_string()).unwrap_or_default(),
            w.customer_request
                .map(|b| b.to_string())
                .unwrap_or_default(),
            w.labels.join(";"),
            w.linked_prs
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(";"),
        ];
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

fn cost() -> impl Strategy<Value = Cost> {
    (
        2000i16..2100,
        1i8..=12,
        prop::sample::select(CostCategory::ALL),
        text(),
        0.0f64..1e9,
        prop::option::of(0u64..100_000),
    )
        .prop_map(|(year, month, category, item, amount, seats)| Cost {
            month: Month { year, month },
            category,
            item,
            amount,
            currency: "EUR".into(),
            seats,
        })
}

fn costs_csv(rows: &[Cost]) -> String {
    let mut out = String::from("\u{feff}month,category,item,amount,currency,seats\n");
    for c in rows {
        let cells = [
            c.month.to_string(),
            c.category.to_string(),
            c.item.clone(),
            c.amount.to_string(),
            "eur".to_string(),
            c.seats.map(|s| s.to_string()).unwrap_or_default(),
        ];
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

fn read_back(kind: RecordKind, name: &str, content: &str) -> Vec<Record> {
    let parsed = parse(
        ImportKind::Table(kind),
        name,
        content.as_bytes(),
        &Options::default(),
    )
    .unwrap_or_else(|e| panic!("valid rows refused:\n{e}\n--- file ---\n{content}"));
    parsed.records.into_iter().map(|k| k.record).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn deployments_round_trip_through_csv_and_ndjson(rows in prop::collection::vec(deployment(), 0..12)) {
        let rows = unique_ids(rows);
        let expected: Vec<Record> = rows.iter().map(|(d, _)| Record::Deployments(d.clone())).collect();
        prop_assert_eq!(&read_back(RecordKind::Deployments, "d.csv", &deployments_csv(&rows)), &expected);
        prop_assert_eq!(&read_back(RecordKind::Deployments, "d.ndjson", &deployments_ndjson(&rows)), &expected);
    }

    #[test]
    fn work_items_round_trip(rows in prop::collection::vec(work_item(), 0..12)) {
        let mut seen = std::collections::HashSet::new();
        let rows: Vec<WorkItem> = rows.into_iter().filter(|w| seen.insert(w.key.clone())).collect();
        let expected: Vec<Record> = rows.iter().cloned().map(Record::WorkItems).collect();
        prop_assert_eq!(read_back(RecordKind::WorkItems, "w.csv", &work_items_csv(&rows)), expected);
    }

    #[test]
    fn costs_round_trip(rows in prop::collection::vec(cost(), 0..12)) {
        let mut seen = std::collections::HashSet::new();
        let rows: Vec<Cost> = rows
            .into_iter()
            .filter(|c| seen.insert(Record::Costs(c.clone()).key()))
            .collect();
        let expected: Vec<Record> = rows.iter().cloned().map(Record::Costs).collect();
        prop_assert_eq!(read_back(RecordKind::Costs, "c.csv", &costs_csv(&rows)), expected);
    }

    #[test]
    fn any_bytes_give_records_or_problems(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        kind in prop::sample::select(RecordKind::ALL.to_vec()),
        ndjson in any::<bool>(),
    ) {
        let opts = Options {
            format: Some(if ndjson { TableFormat::Ndjson } else { TableFormat::Csv }),
            ..Options::default()
        };
        if let Err(invalid) = parse(ImportKind::Table(kind), "f", &bytes, &opts) {
            prop_assert!(!invalid.problems.is_empty());
            prop_assert!(invalid.problems.len() <= plumb_import::MAX_PROBLEMS);
        }
    }

    #[test]
    fn mangled_valid_files_give_records_or_problems(
        cut in 0usize..2000,
        noise in prop::collection::vec(any::<u8>(), 0..8),
        at in 0usize..2000,
    ) {
        // Start from a real example and damage it: truncate, then splice in bytes.
        let mut bytes = include_bytes!("../../../docs/import-examples/work-items.csv").to_vec();
        bytes.truncate(cut.min(bytes.len()));
        let at = at.min(bytes.len());
        bytes.splice(at..at, noise);
        let _ = parse(ImportKind::Table(RecordKind::WorkItems), "w.csv", &bytes, &Options::default());
    }
}
