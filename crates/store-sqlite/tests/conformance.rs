#![allow(clippy::unwrap_used, clippy::expect_used)]

use plumb_store::Store;
use plumb_store_sqlite::{MIGRATIONS, SqliteStore};

#[test]
fn sqlite_tells_the_conformance_story() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("nested/plumb.db")).unwrap();
    plumb_store::conformance::story(&mut store);
}

#[test]
fn migrations_apply_once_and_reopen_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plumb.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let repo = store.ensure_repo("web", "/code/web").unwrap();
        store
            .write_commits(repo.id, &plumb_store::conformance::fixture())
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let repo = store.repo_by_path("/code/web").unwrap().unwrap();
    assert_eq!(store.stored_commit_ids(repo.id).unwrap().len(), 4);
}

#[test]
fn a_newer_schema_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plumb.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("INSERT INTO schema_migrations VALUES (999, 0)", [])
        .unwrap();
    drop(conn);
    let err = SqliteStore::open(&path)
        .err()
        .expect("newer schema refused")
        .to_string();
    assert!(
        err.contains("version 999") && err.contains("upgrade plumb"),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plumb.db");
    std::fs::write(
        &path,
        b"this is not sqlite, just some text that is long enough to look like a header",
    )
    .unwrap();
    let err = SqliteStore::open(&path).err().expect("refused").to_string();
    assert!(err.contains(&path.display().to_string()), "{err}");
}

/// A store as plumb left it when it had only the first `n` migrations.
fn store_at_migration(path: &std::path::Path, n: usize) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
    )
    .unwrap();
    for (i, sql) in MIGRATIONS[..n].iter().enumerate() {
        conn.execute_batch(sql).unwrap();
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?1, 0)",
            [i as i64 + 1],
        )
        .unwrap();
    }
    conn
}

#[test]
fn a_store_from_before_snapshots_gains_them_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plumb.db");
    // A store as plumb left it before migration 5 (snapshots) existed.
    {
        let conn = store_at_migration(&path, 4);
        conn.execute(
            "INSERT INTO repos (name, path) VALUES ('web', '/code/web')",
            [],
        )
        .unwrap();
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    assert!(store.repo_by_path("/code/web").unwrap().is_some());
    assert!(store.snapshots().unwrap().is_empty());
    let snapshot = plumb_store::conformance::snapshot_fixture("2026-Q3", 87.0);
    store.save_snapshot(&snapshot, false).unwrap();
    drop(store);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.snapshots().unwrap(), vec![snapshot]);
}

/// A fact of one commit with one file.
fn churn_row(commit: &str) -> plumb_store::ChurnRow {
    plumb_store::ChurnRow {
        commit: commit.into(),
        horizon_complete: true,
        files: vec![plumb_store::ChurnFileRow {
            path: "src/lib.rs".into(),
            lines_added: 10,
            lines_churned: 4,
            markers_added: 1,
            markers_removed: 0,
        }],
    }
}

fn basis() -> plumb_store::ChurnBasis {
    plumb_store::ChurnBasis {
        tip: "d".repeat(40),
        horizon_secs: 21 * 86_400,
        version: 1,
    }
}

#[test]
fn a_store_from_before_line_survival_gains_it_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plumb.db");
    // A store as plumb left it before migration 6 (line survival) existed.
    store_at_migration(&path, 5);
    {
        let mut store = SqliteStore::open(&path).unwrap();
        let repo = store.ensure_repo("web", "/code/web").unwrap();
        store
            .write_commits(repo.id, &plumb_store::conformance::fixture())
            .unwrap();
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let repo = store.repo_by_path("/code/web").unwrap().unwrap();
    assert_eq!(store.stored_commit_ids(repo.id).unwrap().len(), 4);
    assert_eq!(store.churn_missing(&[repo.id], 0, 10_000).unwrap().len(), 3);
    let saved = store
        .save_churn(repo.id, &basis(), None, &[churn_row(&"a".repeat(40))])
        .unwrap();
    assert_eq!(saved, 1);
    drop(store);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.churn_facts(&[repo.id], 0, 10_000).unwrap().len(), 1);
    assert_eq!(store.churn_basis(repo.id).unwrap(), Some(basis()));
}

#[test]
fn line_survival_facts_go_with_their_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plumb.db");
    let mut store = SqliteStore::open(&path).unwrap();
    let repo = store.ensure_repo("web", "/code/web").unwrap();
    store
        .write_commits(repo.id, &plumb_store::conformance::fixture())
        .unwrap();
    let facts = [churn_row(&"a".repeat(40)), churn_row(&"b".repeat(40))];
    store.save_churn(repo.id, &basis(), None, &facts).unwrap();
    drop(store);
    // Nothing in plumb deletes commits today; whatever does takes their facts along.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    conn.execute("DELETE FROM commits WHERE oid = ?1", [&"b".repeat(40)])
        .unwrap();
    let left: i64 = conn
        .query_row("SELECT COUNT(*) FROM churn_files", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 1, "b's file went with it");
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    let stored = store.churn_facts(&[repo.id], 0, 10_000).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].row, churn_row(&"a".repeat(40)));
}

fn deployments(n: usize) -> Vec<plumb_store::KeyedRecord> {
    use plumb_model::records::{DeployStatus, Deployment, Record};
    (0..n)
        .map(|i| {
            let record = Record::Deployments(Deployment {
                id: format!("d{i:05}"),
                repo: "acme/web".into(),
                environment: "production".into(),
                sha: format!("{i:040x}"),
                started_at: None,
                finished_at: jiff::Timestamp::from_second(1_700_000_000 + i as i64).unwrap(),
                status: DeployStatus::Success,
                kind: None,
                service: Some("web".into()),
            });
            plumb_store::KeyedRecord {
                key: record.key(),
                record,
            }
        })
        .collect()
}

#[test]
fn many_records_read_back_in_key_order_and_the_first_corrupt_one_is_named() {
    use plumb_model::records::RecordKind;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plumb.db");
    let mut store = SqliteStore::open(&path).unwrap();
    // Enough for several batches, so that the payloads are decoded on worker threads.
    let written = deployments(5_000);
    store
        .write_records(RecordKind::Deployments, &written, "deployments.csv", false)
        .unwrap();
    assert_eq!(store.records(RecordKind::Deployments).unwrap(), written);
    let list = store.record_list(RecordKind::Deployments).unwrap();
    let plumb_store::RecordList::Deployments(list) = list else {
        panic!("a list of another kind: {list:?}");
    };
    assert_eq!(list.len(), written.len());
    assert!(
        list.iter().zip(&written).all(
            |(d, w)| matches!(&w.record, plumb_model::records::Record::Deployments(x) if x == d)
        )
    );

    // A report reads the packed records: a packed row that is cut short, or that has
    // bytes left over after its record, is corrupt; the first in key order is named.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let pack = |key: &str, change: &dyn Fn(&mut Vec<u8>)| {
        let at = "WHERE kind = 'deployments' AND key = ?1";
        let mut data: Vec<u8> = conn
            .query_row(
                &format!("SELECT data FROM records_packed {at}"),
                [key],
                |r| r.get(0),
            )
            .unwrap();
        change(&mut data);
        conn.execute(
            &format!("UPDATE records_packed SET data = ?2 {at}"),
            rusqlite::params![key, data],
        )
        .unwrap();
    };
    pack("d04900", &|d| d.truncate(20));
    pack("d03100", &|d| d.push(0));
    let err = store.record_list(RecordKind::Deployments).unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, plumb_store::StoreError::Corrupt { .. })
            && message.contains(r#"deployments record "d03100""#)
            && message.contains("1 byte(s) left after the packed record"),
        "{message}"
    );
    pack("d03100", &|d| d.truncate(d.len() - 2));
    let message = store
        .record_list(RecordKind::Deployments)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(r#"deployments record "d03100""#)
            && message.contains("packed record unreadable"),
        "{message}"
    );
    // The JSON payloads, which `records` gives, are untouched by that.
    assert_eq!(store.records(RecordKind::Deployments).unwrap(), written);

    // A JSON payload of another kind stored under deployments: `records` gives it as it
    // is.
    let team = r#"{"kind":"teams","record":{"team":"web","ai_rollout_date":null,"profile":null,"parent":null}}"#;
    conn.execute(
        "UPDATE records SET payload = ?1 WHERE kind = 'deployments' AND key = 'd00100'",
        [team],
    )
    .unwrap();
    let records = store.records(RecordKind::Deployments).unwrap();
    assert_eq!(records.len(), 5_000);
    assert_eq!(records[100].record.kind(), RecordKind::Teams);

    // Corrupt JSON payloads: the first in key order is named, by kind and key.
    for key in ["d04900", "d03100"] {
        conn.execute(
            "UPDATE records SET payload = '{\"kind\":\"deployments\",\"record\":{\"id\":1}}'
             WHERE kind = 'deployments' AND key = ?1",
            [key],
        )
        .unwrap();
    }
    let err = store.records(RecordKind::Deployments).unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, plumb_store::StoreError::Corrupt { .. })
            && message.contains(r#"deployments record "d03100""#)
            && message.contains("invalid type"),
        "{message}"
    );
}

/// One record of every kind with every field set, as JSON lines.
const EVERY_KIND: &str = r#"{"kind":"people","record":{"name":"Ana Lima","emails":["ana@acme.example"],"logins":["ana"],"team":"payments","level":"senior","career_start":2015,"start_date":"2021-03-01","end_date":"2026-06-30"}}
{"kind":"teams","record":{"team":"payments","ai_rollout_date":"2025-11-03","profile":"product","parent":"money"}}
{"kind":"work-items","record":{"key":"PAY-1","type":"feature","title":"Refunds","team":"payments","created_at":"2026-01-05T09:00:00Z","started_at":"2026-01-06T09:00:00Z","done_at":"2026-01-09T17:30:00.25Z","released_at":"2026-01-10T08:00:00Z","customer_request":true,"labels":["ai"],"linked_prs":[{"repo":"acme/pay","number":7}]}}
{"kind":"pull-requests","record":{"repo":"acme/pay","number":7,"author":"ana","title":"PAY-1: refunds","created_at":"2026-01-06T10:00:00Z","ready_at":"2026-01-06T11:00:00Z","merged_at":"2026-01-08T12:00:00Z","closed_at":"2026-01-08T12:00:00Z","base":"main","head_branch":"ana/pay-1","head_sha":"6d1edafe89db4fffd2ee3d2c957e61ae21e91c8c","merge_sha":"7510b3f351b7cc708077180861c352f7ad217b8b","labels":["feature"],"additions":120,"deletions":30,"work_items":["PAY-1"],"body_markers":["Generated with Claude Code"]}}
{"kind":"reviews","record":{"repo":"acme/pay","number":7,"reviewer":"bo","state":"approved","submitted_at":"2026-01-07T15:00:00Z"}}
{"kind":"checks","record":{"repo":"acme/pay","sha":"6d1edafe89db4fffd2ee3d2c957e61ae21e91c8c","name":"build","conclusion":"success","started_at":"2026-01-06T10:01:00Z","completed_at":"2026-01-06T10:09:00Z","required":true}}
{"kind":"deployments","record":{"id":"dep-1","repo":"acme/pay","environment":"production","sha":"7510b3f351b7cc708077180861c352f7ad217b8b","started_at":"2026-01-08T13:00:00Z","finished_at":"2026-01-08T13:10:00Z","status":"rolled_back","kind":"hotfix","service":"pay"}}
{"kind":"incidents","record":{"id":"INC-1","service":"pay","repo":"acme/pay","severity":"sev2","opened_at":"2026-01-08T14:00:00Z","resolved_at":"2026-01-08T16:00:00Z","caused_by_deployment":"dep-1","customer_impacting":true,"ai_related":false}}
{"kind":"ai-usage","record":{"date":"2026-01-06","who":{"scope":"person","name":"ana@acme.example"},"tool":"claude-code","capability":"agent","active":1,"suggestions":30,"acceptances":19,"lines_suggested":209,"lines_accepted":170}}
{"kind":"ai-usage","record":{"date":"2026-01-06","who":{"scope":"team","name":"payments"},"tool":"copilot","capability":"completion","active":4,"suggestions":null,"acceptances":null,"lines_suggested":null,"lines_accepted":null}}
{"kind":"ai-usage","record":{"date":"2026-01-06","who":{"scope":"org"},"tool":"copilot","capability":"chat","active":40,"suggestions":300,"acceptances":120,"lines_suggested":null,"lines_accepted":null}}
{"kind":"survey","record":{"date":"2026-03-31","respondent":"r-17","team":"payments","question":"satisfaction","score":4}}
{"kind":"skills","record":{"person":"ana@acme.example","date":"2026-03-31","score":72.5}}
{"kind":"costs","record":{"month":"2026-01","category":"ai_tool","item":"Copilot Business","amount":1900.5,"currency":"EUR","seats":100}}
{"kind":"kpis","record":{"kpi":"conversion","date":"2026-01-31","value":0.031,"unit":"ratio","feature":"refunds"}}
{"kind":"findings","record":{"kind":"security","tool":"semgrep","rule":"sql-injection","severity":"high","path":"src/db.rs","line":42,"url":"https://example.invalid/r/1","message":"Unsanitised input","first_seen":"2026-01-07T00:00:00Z","last_seen":"2026-02-07T00:00:00Z","fingerprint":"f-1"}}"#;

fn every_kind() -> Vec<plumb_model::records::Record> {
    EVERY_KIND
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// Writes `records`, each kind in one batch.
fn write_all(store: &mut SqliteStore, records: &[plumb_model::records::Record]) {
    for kind in plumb_model::records::RecordKind::ALL {
        let batch: Vec<_> = records
            .iter()
            .filter(|r| r.kind() == kind)
            .map(|r| plumb_store::KeyedRecord {
                key: r.key(),
                record: r.clone(),
            })
            .collect();
        store
            .write_records(kind, &batch, "every-kind.ndjson", false)
            .unwrap();
    }
}

/// Every record, as `Store::records` gives them; checking on the way that
/// `Store::record_list`, what a report reads (the packed records), gives the same.
fn read_back(store: &SqliteStore) -> Vec<plumb_model::records::Record> {
    let mut out = Vec::new();
    for kind in plumb_model::records::RecordKind::ALL {
        let mut expected = plumb_store::RecordList::new(kind);
        for r in store.records(kind).unwrap() {
            expected.push(r.record.clone()).unwrap();
            out.push(r.record);
        }
        assert_eq!(store.record_list(kind).unwrap(), expected, "{kind}");
    }
    sorted(out)
}

fn sorted(mut records: Vec<plumb_model::records::Record>) -> Vec<plumb_model::records::Record> {
    records.sort_by_key(|r| (r.kind(), r.key()));
    records
}

/// A new store in a temporary folder (kept while the first value lives) holding
/// [`every_kind`].
fn store_with_every_kind() -> (tempfile::TempDir, std::path::PathBuf, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plumb.db");
    let mut store = SqliteStore::open(&path).unwrap();
    write_all(&mut store, &every_kind());
    (dir, path, store)
}

/// Every packed row's bytes, in key order.
fn packed_data(conn: &rusqlite::Connection) -> Vec<Vec<u8>> {
    let mut stmt = conn
        .prepare("SELECT data FROM records_packed ORDER BY kind, key")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn every_kind_reads_back_packed_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("plumb.db")).unwrap();
    let records = every_kind();
    assert_eq!(records.len(), 16);
    write_all(&mut store, &records);
    assert_eq!(read_back(&store), sorted(records));
}

#[test]
fn packed_layout_is_pinned() {
    // The packed form of every kind, byte for byte. If this fails, a record type's fields
    // changed: raise `PACKED_CODEC` (stores are then packed again from their JSON when
    // opened) and update the bytes here.
    let (_dir, path, _store) = store_with_every_kind();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut stmt = conn
        .prepare("SELECT kind, hex(data) FROM records_packed ORDER BY kind, key")
        .unwrap();
    let packed: Vec<String> = stmt
        .query_map([], |r| {
            Ok(format!(
                "{} {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(plumb_store_sqlite::PACKED_CODEC, 1);
    insta::assert_snapshot!(packed.join("\n"));
}

#[test]
fn a_store_from_before_packed_records_packs_them_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plumb.db");
    // A store as plumb left it before migration 7 (packed records), with records written
    // as JSON only.
    {
        let conn = store_at_migration(&path, 6);
        for r in every_kind() {
            conn.execute(
                "INSERT INTO records (kind, key, payload, source) VALUES (?1, ?2, ?3, 'old.csv')",
                rusqlite::params![
                    r.kind().as_str(),
                    r.key(),
                    serde_json::to_string(&r).unwrap()
                ],
            )
            .unwrap();
        }
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    assert_eq!(read_back(&store), sorted(every_kind()));
}

#[test]
fn records_packed_with_another_codec_are_packed_again_and_a_corrupt_payload_stops_it() {
    let (_dir, path, store) = store_with_every_kind();
    drop(store);
    // Packed by an older plumb, with another layout: the bytes mean nothing now.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "UPDATE records_packed_codec SET codec = 0; UPDATE records_packed SET data = x'ff'",
    )
    .unwrap();
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(read_back(&store), sorted(every_kind()));
    drop(store);

    // A JSON payload that does not decode: opening says which record, and packs nothing.
    conn.execute_batch(
        "UPDATE records_packed_codec SET codec = 0;
         UPDATE records SET payload = '{\"kind\":\"checks\"}' WHERE kind = 'checks'",
    )
    .unwrap();
    let before = packed_data(&conn);
    let err = SqliteStore::open(&path).err().unwrap().to_string();
    assert!(
        err.contains("checks record \"acme/pay") && err.contains("missing field"),
        "{err}"
    );
    let after = packed_data(&conn);
    assert_eq!(before, after);
    let codec: i64 = conn
        .query_row("SELECT codec FROM records_packed_codec", [], |r| r.get(0))
        .unwrap();
    assert_eq!(codec, 0);
}
