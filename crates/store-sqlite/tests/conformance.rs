#![allow(clippy::unwrap_used, clippy::expect_used)]

use plumb_store::Store;
use plumb_store_sqlite::{MIGRATIONS, SqliteStore};

#[test]
fn sqlite_tells_the_conformance_story() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("nested/plumb.db")).unwrap();
    plumb_store::conformance::story(&mut store);
}

/// The story again with the history read in three shares on three connections (as a
/// large history is, one per core): what they give joined must be what one read gives.
#[test]
fn sqlite_tells_the_conformance_story_with_the_history_read_in_shares() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("plumb.db")).unwrap();
    store.split_history(3);
    plumb_store::conformance::story(&mut store);
}

/// A repository ingested again after another: its later commits come after the other's
/// in store order, yet the graph still lists each repository's commits together, in
/// repository order, however many shares the history is read in.
#[test]
fn the_graph_keeps_repository_order_when_a_repository_grows_after_another() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("plumb.db")).unwrap();
    let web = store.ensure_repo("web", "/code/web").unwrap();
    let api = store.ensure_repo("api", "/code/api").unwrap();
    let commits = plumb_store::conformance::fixture();
    let renamed = |c: &plumb_store::IngestedCommit, digit: char| {
        let mut c = c.clone();
        c.record.commit.id = digit.to_string().repeat(40);
        c.record.commit.parents.clear();
        c
    };
    store.write_commits(web.id, &commits[..2]).unwrap();
    store.write_commits(api.id, &commits).unwrap();
    store
        .write_commits(
            web.id,
            &[renamed(&commits[2], '7'), renamed(&commits[3], '8')],
        )
        .unwrap();
    let graph = store.commit_graph().unwrap();
    let repos: Vec<&str> = graph.iter().map(|c| &*c.repo).collect();
    assert_eq!(
        repos,
        ["web", "web", "web", "web", "api", "api", "api", "api"]
    );
    for shares in 1..=4 {
        store.split_history(shares);
        let both = store
            .commits_and_graph(&[web.id, api.id], i64::MIN, i64::MAX)
            .unwrap();
        assert_eq!(
            both.graph().cloned().collect::<Vec<_>>(),
            graph,
            "{shares} shares"
        );
        assert_eq!(both.commit_count(), 8, "{shares} shares");
    }
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

/// The packed deployments as a report reads them.
fn deployment_list(store: &SqliteStore) -> Vec<plumb_model::records::Deployment> {
    match store
        .record_list(plumb_model::records::RecordKind::Deployments)
        .unwrap()
    {
        plumb_store::RecordList::Deployments(list) => list,
        other => panic!("a list of another kind: {other:?}"),
    }
}

/// The deployments of `records`, in key order, the last of a key kept.
fn in_key_order(records: &[plumb_store::KeyedRecord]) -> Vec<plumb_model::records::Deployment> {
    let mut by_key = std::collections::BTreeMap::new();
    for r in records {
        if let plumb_model::records::Record::Deployments(d) = &r.record {
            by_key.insert(r.key.clone(), d.clone());
        }
    }
    by_key.into_values().collect()
}

#[test]
fn packed_records_merge_each_write_in_key_order_across_parts() {
    use plumb_model::records::{Record, RecordKind};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plumb.db");
    let mut store = SqliteStore::open(&path).unwrap();
    // Every other key first: 3,001 records, two parts.
    let all = deployments(6_001);
    let first: Vec<_> = all.iter().step_by(2).cloned().collect();
    store
        .write_records(RecordKind::Deployments, &first, "a.csv", false)
        .unwrap();
    assert_eq!(deployment_list(&store), in_key_order(&first));
    // Then the keys in between, one changed record, and one key given twice (the last
    // counts, as for the JSON): every part is merged, in key order.
    let mut second: Vec<_> = all.iter().skip(1).step_by(2).cloned().collect();
    let mut changed = all[10].clone();
    if let Record::Deployments(d) = &mut changed.record {
        d.environment = "staging".into();
    }
    second.push(changed.clone());
    let mut twice = all[6_000].clone();
    if let Record::Deployments(d) = &mut twice.record {
        d.service = Some("first".into());
    }
    // Given first changed, then as it was: as it was counts.
    second.insert(0, twice);
    second.push(all[6_000].clone());
    store
        .write_records(RecordKind::Deployments, &second, "b.csv", false)
        .unwrap();
    let written: Vec<_> = first.iter().chain(&second).cloned().collect();
    let expected = in_key_order(&written);
    assert_eq!(expected.len(), 6_001);
    assert_eq!(deployment_list(&store), expected);
    assert_eq!(
        expected[10].environment, "staging",
        "the changed record replaced the old one"
    );
    assert_eq!(expected[6_000].service.as_deref(), Some("web"));
    // The packed form agrees with the JSON the store gives.
    let json: Vec<_> = store
        .records(RecordKind::Deployments)
        .unwrap()
        .into_iter()
        .filter_map(|r| match r.record {
            Record::Deployments(d) => Some(d),
            _ => None,
        })
        .collect();
    assert_eq!(json, expected);
    // 6,001 records: three parts.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let parts: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM records_parts WHERE kind = 'deployments'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(parts, 3);
    // A dry run changes nothing.
    let mut other = all[20].clone();
    if let Record::Deployments(d) = &mut other.record {
        d.environment = "qa".into();
    }
    store
        .write_records(RecordKind::Deployments, &[other], "c.csv", true)
        .unwrap();
    assert_eq!(deployment_list(&store), expected);

    // A part whose framing is cut short: reading names the kind and the part, and the JSON
    // is untouched.
    conn.execute(
        "UPDATE records_parts SET data = substr(data, 1, 100) WHERE kind = 'deployments' AND part = 1",
        [],
    )
    .unwrap();
    let message = store
        .record_list(RecordKind::Deployments)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("deployments records, part 1") && message.contains("a part ends"),
        "{message}"
    );
    assert_eq!(store.records(RecordKind::Deployments).unwrap().len(), 6_001);
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
        change_packed(&conn, "deployments", key, change);
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

/// A LEB128 length, then the bytes: how a part frames a key and a packed record.
fn framed(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut n = bytes.len();
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
    out.extend_from_slice(bytes);
}

/// The entries (key, packed record) of a part, as the store frames them.
fn part_entries(part: &[u8]) -> Vec<(String, Vec<u8>)> {
    fn field(part: &mut &[u8]) -> Vec<u8> {
        let (mut n, mut shift) = (0usize, 0);
        loop {
            let b = part[0];
            *part = &part[1..];
            n |= usize::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        let (bytes, rest) = part.split_at(n);
        *part = rest;
        bytes.to_vec()
    }
    let mut rest = part;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let key = String::from_utf8(field(&mut rest)).unwrap();
        out.push((key, field(&mut rest)));
    }
    out
}

/// Every packed record, (kind, key, packed bytes), in kind then key order.
fn packed_rows(conn: &rusqlite::Connection) -> Vec<(String, String, Vec<u8>)> {
    let mut stmt = conn
        .prepare("SELECT kind, data FROM records_parts ORDER BY kind, part")
        .unwrap();
    let parts: Vec<(String, Vec<u8>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    parts
        .iter()
        .flat_map(|(kind, part)| {
            part_entries(part)
                .into_iter()
                .map(move |(key, data)| (kind.clone(), key, data))
        })
        .collect()
}

/// Every packed record's bytes, in kind then key order.
fn packed_data(conn: &rusqlite::Connection) -> Vec<Vec<u8>> {
    packed_rows(conn).into_iter().map(|(_, _, d)| d).collect()
}

/// Changes the packed bytes of one record in place, in its part.
fn change_packed(
    conn: &rusqlite::Connection,
    kind: &str,
    key: &str,
    change: &dyn Fn(&mut Vec<u8>),
) {
    let mut stmt = conn
        .prepare("SELECT part, data FROM records_parts WHERE kind = ?1 ORDER BY part")
        .unwrap();
    let parts: Vec<(i64, Vec<u8>)> = stmt
        .query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (n, part) in parts {
        let mut entries = part_entries(&part);
        let Some(entry) = entries.iter_mut().find(|(k, _)| k == key) else {
            continue;
        };
        change(&mut entry.1);
        let mut data = Vec::new();
        for (k, d) in &entries {
            framed(&mut data, k.as_bytes());
            framed(&mut data, d);
        }
        conn.execute(
            "UPDATE records_parts SET data = ?3 WHERE kind = ?1 AND part = ?2",
            rusqlite::params![kind, n, data],
        )
        .unwrap();
        return;
    }
    panic!("no packed {kind} record {key}");
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
    let packed: Vec<String> = packed_rows(&conn)
        .into_iter()
        .map(|(kind, _, data)| {
            let hex: String = data.iter().map(|b| format!("{b:02X}")).collect();
            format!("{kind} {hex}")
        })
        .collect();
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
        "UPDATE records_packed_codec SET codec = 0; UPDATE records_parts SET data = x'ff'",
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
