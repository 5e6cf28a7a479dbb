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
    assert_eq!(store.schema_version().unwrap(), 6);
    assert_eq!(MIGRATIONS.len(), 6);
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

    // A payload of another kind stored under deployments: `records` gives it as it is, a
    // list of deployments cannot hold it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let team = r#"{"kind":"teams","record":{"team":"web","ai_rollout_date":null,"profile":null,"parent":null}}"#;
    conn.execute(
        "UPDATE records SET payload = ?1 WHERE kind = 'deployments' AND key = 'd00100'",
        [team],
    )
    .unwrap();
    assert_eq!(store.records(RecordKind::Deployments).unwrap().len(), 5_000);
    let err = store
        .record_list(RecordKind::Deployments)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(r#"deployments record "d00100""#) && err.contains("teams record"),
        "{err}"
    );

    // Corrupt payloads: the first in key order is named, by kind and key, by both reads.
    for key in ["d04900", "d03100"] {
        conn.execute(
            "UPDATE records SET payload = '{\"kind\":\"deployments\",\"record\":{\"id\":1}}'
             WHERE kind = 'deployments' AND key = ?1",
            [key],
        )
        .unwrap();
    }
    conn.execute(
        "UPDATE records SET payload = ?1 WHERE kind = 'deployments' AND key = 'd00100'",
        [serde_json::to_string(&written[100].record).unwrap()],
    )
    .unwrap();
    for err in [
        store.records(RecordKind::Deployments).unwrap_err(),
        store.record_list(RecordKind::Deployments).unwrap_err(),
    ] {
        let message = err.to_string();
        assert!(
            matches!(err, plumb_store::StoreError::Corrupt { .. })
                && message.contains(r#"deployments record "d03100""#)
                && message.contains("invalid type"),
            "{message}"
        );
    }
}
