//! The embedded SQLite backend of the plumb [`Store`].
//!
//! One file (`.plumb/plumb.db` by default) in WAL mode, so reports can read while an
//! ingest writes. The schema is created by the append-only [`MIGRATIONS`]: a released
//! migration is never edited, a change is a new migration. Every batch write is one
//! transaction, which is what makes a killed ingest lose nothing and double nothing.

#![forbid(unsafe_code)]

mod codec;
mod decode;
mod history;
mod packed;

pub use packed::CODEC as PACKED_CODEC;

use codec::{class_from_str, class_to_str, kind_of_stats};
use plumb_model::records::RecordKind;
use plumb_model::{
    AiKind, CommitRecord, Detection, EvidenceField, FileChange, FileStats, GitTime, LineStats,
    Signature, Trailer,
};
use plumb_store::{ChurnBasis, ChurnFileRow, ChurnRow, StoredChurn};
use plumb_store::{
    CommitsAndGraph, GraphCommit, KeyedRecord, RecordChanges, RecordList, Snapshot, SnapshotSaved,
};
use plumb_store::{
    GateDecisionRow, IngestedCommit, Reclassified, RepoId, RepoState, RepoTotals, Store,
    StoreError, StoredCommit,
};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The schema, one migration per entry, applied in order. Append only.
pub const MIGRATIONS: &[&str] = &[
    // 1: repositories, commits with their file statistics and AI provenance.
    "CREATE TABLE repos (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE,
        ingested_head TEXT,
        provenance_fingerprint TEXT,
        ingested_at INTEGER
    );
    CREATE TABLE commits (
        id INTEGER PRIMARY KEY,
        repo_id INTEGER NOT NULL REFERENCES repos(id),
        oid TEXT NOT NULL,
        parents TEXT NOT NULL,
        author_name TEXT NOT NULL,
        author_email TEXT NOT NULL,
        author_key TEXT NOT NULL,
        author_time INTEGER NOT NULL,
        author_offset INTEGER NOT NULL,
        committer_name TEXT NOT NULL,
        committer_email TEXT NOT NULL,
        committer_time INTEGER NOT NULL,
        committer_offset INTEGER NOT NULL,
        message TEXT NOT NULL,
        trailers TEXT NOT NULL,
        stats_kind TEXT NOT NULL CHECK (stats_kind IN ('merge', 'files', 'tree_unknown')),
        author_class TEXT NOT NULL,
        committer_class TEXT NOT NULL,
        UNIQUE (repo_id, oid)
    );
    CREATE INDEX commits_by_time ON commits(repo_id, author_time);
    CREATE TABLE file_changes (
        commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('text', 'binary', 'unknown')),
        added INTEGER,
        deleted INTEGER,
        PRIMARY KEY (commit_id, path)
    ) WITHOUT ROWID;
    CREATE TABLE detections (
        commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
        tool TEXT NOT NULL,
        kind TEXT NOT NULL,
        field TEXT NOT NULL,
        evidence TEXT NOT NULL,
        PRIMARY KEY (commit_id, tool, kind, field, evidence)
    ) WITHOUT ROWID;",
    // 2: whole-history totals cached per repository, so re-ingesting an unchanged
    // repository does not aggregate every stored row. A write that changes what the
    // totals count deletes them in the same transaction.
    "CREATE TABLE repo_totals (
        repo_id INTEGER PRIMARY KEY REFERENCES repos(id),
        commits INTEGER NOT NULL,
        merge_commits INTEGER NOT NULL,
        lines_added INTEGER NOT NULL,
        lines_deleted INTEGER NOT NULL,
        binary_file_changes INTEGER NOT NULL,
        unknown_file_changes INTEGER NOT NULL,
        unknown_trees INTEGER NOT NULL,
        ai_assisted_commits INTEGER NOT NULL,
        ai_review_suggestion_commits INTEGER NOT NULL,
        bot_commits INTEGER NOT NULL,
        people INTEGER NOT NULL
    );
    CREATE TABLE repo_tool_totals (
        repo_id INTEGER NOT NULL REFERENCES repos(id),
        tool TEXT NOT NULL,
        commits INTEGER NOT NULL,
        PRIMARY KEY (repo_id, tool)
    );",
    // 3: `plumb gate` decisions, kept as evidence. Lists are JSON arrays of strings.
    "CREATE TABLE gate_decisions (
        id INTEGER PRIMARY KEY,
        repo TEXT NOT NULL,
        base TEXT NOT NULL,
        head TEXT NOT NULL,
        verdict TEXT NOT NULL,
        zones TEXT NOT NULL,
        ai_tools TEXT NOT NULL,
        reasons TEXT NOT NULL,
        decided_at INTEGER NOT NULL
    );",
    // 4: records of every imported kind (people … findings), one per natural key. The
    // payload is the record as JSON (`plumb_model::records::Record`); `source` names the
    // file that last wrote it.
    "CREATE TABLE records (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        payload TEXT NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (kind, key)
    ) WITHOUT ROWID;",
    // 5: `plumb snapshot`: one saved scorecard per quarter, its targets as displayed and
    // its scores (REAL, so a score reads back bit for bit; NULL for no score), and the
    // full JSON report, opaque to the store.
    "CREATE TABLE snapshots (
        quarter TEXT PRIMARY KEY,
        since INTEGER NOT NULL,
        until INTEGER NOT NULL,
        taken_at INTEGER NOT NULL,
        tool_version TEXT NOT NULL,
        targets_reviewed INTEGER NOT NULL CHECK (targets_reviewed IN (0, 1)),
        report_json TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE snapshot_targets (
        quarter TEXT NOT NULL REFERENCES snapshots(quarter) ON DELETE CASCADE,
        metric TEXT NOT NULL,
        target TEXT NOT NULL,
        PRIMARY KEY (quarter, metric)
    ) WITHOUT ROWID;
    CREATE TABLE snapshot_scores (
        quarter TEXT NOT NULL REFERENCES snapshots(quarter) ON DELETE CASCADE,
        name TEXT NOT NULL,
        score REAL,
        PRIMARY KEY (quarter, name)
    ) WITHOUT ROWID;",
    // 6: line survival facts (code churn, debt markers; docs/churn.md), so that a report
    // reads from git only the commits whose facts do not hold for the history any more.
    // A `churn_commits` row marks a commit computed (it may have no text file), final
    // (`horizon_complete` 1: the history covered its 21 days) or not (0: it holds for the
    // basis tip only); its text files are in `churn_files`. Both go with the commit (ON
    // DELETE CASCADE). `churn_basis` is what a repository's facts hold for: the tip of the
    // history they were computed on, the horizon and the version of the line-survival
    // rules.
    "CREATE TABLE churn_basis (
        repo_id INTEGER PRIMARY KEY REFERENCES repos(id),
        tip TEXT NOT NULL,
        horizon_secs INTEGER NOT NULL,
        version INTEGER NOT NULL
    );
    CREATE TABLE churn_commits (
        commit_id INTEGER PRIMARY KEY REFERENCES commits(id) ON DELETE CASCADE,
        horizon_complete INTEGER NOT NULL CHECK (horizon_complete IN (0, 1))
    );
    CREATE TABLE churn_files (
        commit_id INTEGER NOT NULL REFERENCES churn_commits(commit_id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        lines_added INTEGER NOT NULL,
        lines_churned INTEGER NOT NULL,
        markers_added INTEGER NOT NULL,
        markers_removed INTEGER NOT NULL,
        PRIMARY KEY (commit_id, path)
    ) WITHOUT ROWID;",
    // 7: every record also packed (postcard: its fields in order, without names), which is
    // what a report reads; the JSON payload in `records` stays the record of truth.
    // `records_packed_codec` holds the layout they were packed with ([`PACKED_CODEC`]): a
    // store packed with another is packed again from the JSON when opened.
    "CREATE TABLE records_packed (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (kind, key)
    ) WITHOUT ROWID;
    CREATE TABLE records_packed_codec (codec INTEGER NOT NULL);",
    // 8: the packed records of a kind kept in parts of a few thousand, in key order, each
    // record with its key ([`packed`]): a report reads a few hundred parts rather than
    // millions of rows. Emptying the codec makes the next open pack them from the JSON.
    "DROP TABLE records_packed;
    CREATE TABLE records_parts (
        kind TEXT NOT NULL,
        part INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (kind, part)
    );
    DELETE FROM records_packed_codec;",
];

const TOTALS_COLUMNS: &str = "commits, merge_commits, lines_added, lines_deleted,
    binary_file_changes, unknown_file_changes, unknown_trees, ai_assisted_commits,
    ai_review_suggestion_commits, bot_commits, people";

/// A SQLite store in one file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// Shares the history is read in; `None`: one per core, each of at least
    /// [`history::MIN_SHARE`] row ids.
    history_shares: Option<usize>,
}

fn query_err(context: &str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError::Query {
        context: context.to_string(),
        message: e.to_string(),
    }
}

/// A connection to the file at `path`, set as every connection of the store is: WAL, a
/// busy timeout, foreign keys, and the file memory-mapped for reading.
pub(crate) fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    // Pages are read from a memory map of the file rather than copied into the page
    // cache (up to SQLite's own ceiling, SQLITE_MAX_MMAP_SIZE, just under 2 GiB):
    // 12 % less CPU to load a report's commits and records. Writes are unchanged.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -65536;
         PRAGMA mmap_size = 2147418112;",
    )?;
    Ok(conn)
}

impl SqliteStore {
    /// Opens (creating when absent, with its parent folder) the store at `path` and brings
    /// its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let location = path.display().to_string();
        let open_err = |message: String| StoreError::Open {
            location: location.clone(),
            message,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| open_err(format!("cannot create {}: {e}", parent.display())))?;
        }
        let conn = connect(path).map_err(|e| open_err(e.to_string()))?;
        let mut store = SqliteStore {
            conn,
            path: path.to_path_buf(),
            history_shares: None,
        };
        store.migrate()?;
        Ok(store)
    }

    /// Another connection to the same store, to read on another thread.
    pub fn reopen(&self) -> Result<Self, StoreError> {
        Self::open(&self.path)
    }

    /// Reads the history (`Store::commits_and_graph`) in exactly `shares` shares (at least
    /// one), whatever the cores and the history's size: for tests, which check that the
    /// shares join into what one read gives.
    #[doc(hidden)]
    pub fn split_history(&mut self, shares: usize) {
        self.history_shares = Some(shares.max(1));
    }

    /// The schema version the file is at.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(query_err("schema version"))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let location = self.location();
        self.conn
            .execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    applied_at INTEGER NOT NULL
                )",
            )
            .map_err(|e| StoreError::Open {
                location: location.clone(),
                message: e.to_string(),
            })?;
        let current = self.schema_version()?;
        let known = MIGRATIONS.len() as i64;
        if current > known {
            return Err(StoreError::TooNew {
                location,
                found: current,
                known,
            });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let version = index as i64 + 1;
            let fail = |e: rusqlite::Error| StoreError::Migration {
                location: location.clone(),
                version,
                message: e.to_string(),
            };
            // IMMEDIATE takes the write lock first, so two processes opening a fresh store
            // at once do not both try to apply the same migration.
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(fail)?;
            let applied: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM schema_migrations WHERE version = ?1",
                    [version],
                    |r| r.get(0),
                )
                .map_err(fail)?;
            if applied == 0 {
                tx.execute_batch(sql).map_err(fail)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, strftime('%s','now'))",
                    [version],
                )
                .map_err(fail)?;
            }
            tx.commit().map_err(fail)?;
        }
        self.pack_records()
    }

    /// Packs every record again when the store's packed records were written with another
    /// codec than [`PACKED_CODEC`] (or never): once, after an upgrade. The check reads
    /// without a lock, so that opening a store while an ingest writes does not wait.
    fn pack_records(&mut self) -> Result<(), StoreError> {
        let codec = |conn: &Connection| {
            conn.query_row("SELECT codec FROM records_packed_codec", [], |r| {
                r.get::<_, i64>(0)
            })
            .optional()
            .map_err(query_err("packed records codec"))
        };
        if codec(&self.conn)? == Some(PACKED_CODEC) {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(query_err("pack records"))?;
        // Another process may have packed them while this one waited for the lock.
        if codec(&tx)? == Some(PACKED_CODEC) {
            return Ok(());
        }
        let packed = packed::repack(&tx)?;
        tx.commit().map_err(query_err("pack records"))?;
        tracing::info!(
            records = packed,
            codec = PACKED_CODEC,
            seconds = started.elapsed().as_secs_f64(),
            "store: records packed"
        );
        Ok(())
    }

    fn repo_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RepoState> {
        Ok(RepoState {
            id: RepoId(row.get(0)?),
            name: row.get(1)?,
            path: row.get(2)?,
            ingested_head: row.get(3)?,
            provenance_fingerprint: row.get(4)?,
        })
    }

    fn compute_totals(&self, repo: RepoId) -> Result<RepoTotals, StoreError> {
        let err = query_err("repository totals");
        let mut totals = self
            .conn
            .query_row(
                "SELECT COUNT(*),
                        COALESCE(SUM(stats_kind = 'merge'), 0),
                        COALESCE(SUM(stats_kind = 'tree_unknown'), 0),
                        COALESCE(SUM(author_class = 'bot'), 0),
                        COUNT(DISTINCT CASE WHEN author_class = 'person' THEN author_key END)
                 FROM commits WHERE repo_id = ?1",
                [repo.0],
                |r| {
                    Ok(RepoTotals {
                        commits: r.get::<_, i64>(0)? as u64,
                        merge_commits: r.get::<_, i64>(1)? as u64,
                        unknown_trees: r.get::<_, i64>(2)? as u64,
                        bot_commits: r.get::<_, i64>(3)? as u64,
                        people: r.get::<_, i64>(4)? as u64,
                        ..RepoTotals::default()
                    })
                },
            )
            .map_err(&err)?;
        let (added, deleted, binary, unknown): (i64, i64, i64, i64) = self
            .conn
            .query_row(
                "SELECT COALESCE(SUM(f.added), 0), COALESCE(SUM(f.deleted), 0),
                        COALESCE(SUM(f.kind = 'binary'), 0), COALESCE(SUM(f.kind = 'unknown'), 0)
                 FROM file_changes f JOIN commits c ON c.id = f.commit_id WHERE c.repo_id = ?1",
                [repo.0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(&err)?;
        totals.lines_added = added as u64;
        totals.lines_deleted = deleted as u64;
        totals.binary_file_changes = binary as u64;
        totals.unknown_file_changes = unknown as u64;
        let (ai, review): (i64, i64) = self
            .conn
            .query_row(
                "SELECT COUNT(DISTINCT CASE WHEN d.kind = 'authored' THEN d.commit_id END),
                        COUNT(DISTINCT CASE WHEN d.kind = 'review-suggestion' THEN d.commit_id END)
                 FROM detections d JOIN commits c ON c.id = d.commit_id
                 WHERE c.repo_id = ?1 AND c.author_class != 'bot'",
                [repo.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(&err)?;
        totals.ai_assisted_commits = ai as u64;
        totals.ai_review_suggestion_commits = review as u64;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.tool, COUNT(DISTINCT d.commit_id)
                 FROM detections d JOIN commits c ON c.id = d.commit_id
                 WHERE c.repo_id = ?1 AND c.author_class != 'bot' AND d.kind = 'authored'
                 GROUP BY d.tool ORDER BY d.tool",
            )
            .map_err(&err)?;
        totals.ai_by_tool = tool_counts(&mut stmt, repo).map_err(&err)?;
        Ok(totals)
    }

    fn cached_totals(&self, repo: RepoId) -> Result<Option<RepoTotals>, StoreError> {
        let err = query_err("cached totals");
        let Some(mut totals) = self
            .conn
            .query_row(
                &format!("SELECT {TOTALS_COLUMNS} FROM repo_totals WHERE repo_id = ?1"),
                [repo.0],
                |r| {
                    let n = |i: usize| r.get::<_, i64>(i).map(|v| v as u64);
                    Ok(RepoTotals {
                        commits: n(0)?,
                        merge_commits: n(1)?,
                        lines_added: n(2)?,
                        lines_deleted: n(3)?,
                        binary_file_changes: n(4)?,
                        unknown_file_changes: n(5)?,
                        unknown_trees: n(6)?,
                        ai_assisted_commits: n(7)?,
                        ai_review_suggestion_commits: n(8)?,
                        bot_commits: n(9)?,
                        people: n(10)?,
                        ai_by_tool: Vec::new(),
                    })
                },
            )
            .optional()
            .map_err(&err)?
        else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT tool, commits FROM repo_tool_totals WHERE repo_id = ?1 ORDER BY tool",
            )
            .map_err(&err)?;
        totals.ai_by_tool = tool_counts(&mut stmt, repo).map_err(&err)?;
        Ok(Some(totals))
    }

    fn save_totals(&self, repo: RepoId, t: &RepoTotals) -> Result<(), StoreError> {
        let err = query_err("cache totals");
        let tx = self.conn.unchecked_transaction().map_err(&err)?;
        invalidate_totals(&tx, repo).map_err(&err)?;
        tx.execute(
            &format!(
                "INSERT INTO repo_totals (repo_id, {TOTALS_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            ),
            params![
                repo.0,
                t.commits as i64,
                t.merge_commits as i64,
                t.lines_added as i64,
                t.lines_deleted as i64,
                t.binary_file_changes as i64,
                t.unknown_file_changes as i64,
                t.unknown_trees as i64,
                t.ai_assisted_commits as i64,
                t.ai_review_suggestion_commits as i64,
                t.bot_commits as i64,
                t.people as i64,
            ],
        )
        .map_err(&err)?;
        for (tool, commits) in &t.ai_by_tool {
            tx.execute(
                "INSERT INTO repo_tool_totals (repo_id, tool, commits) VALUES (?1, ?2, ?3)",
                params![repo.0, tool, *commits as i64],
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)
    }
}

/// `(tool, commits)` rows of a query taking the repository id.
fn tool_counts(
    stmt: &mut rusqlite::Statement<'_>,
    repo: RepoId,
) -> rusqlite::Result<Vec<(String, u64)>> {
    stmt.query_map([repo.0], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
    })?
    .collect()
}

/// Inserts a commit's detections with a prepared `INSERT OR IGNORE INTO detections`.
fn insert_detections(
    stmt: &mut rusqlite::CachedStatement<'_>,
    commit_id: i64,
    detections: &[Detection],
) -> rusqlite::Result<()> {
    for d in detections {
        stmt.execute(params![
            commit_id,
            d.tool,
            d.kind.as_str(),
            d.field.as_str(),
            d.evidence
        ])?;
    }
    Ok(())
}

fn invalidate_totals(conn: &Connection, repo: RepoId) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM repo_totals WHERE repo_id = ?1", [repo.0])?;
    conn.execute("DELETE FROM repo_tool_totals WHERE repo_id = ?1", [repo.0])?;
    Ok(())
}

const REPO_COLUMNS: &str = "id, name, path, ingested_head, provenance_fingerprint";

fn repo_list(repos: &[RepoId]) -> String {
    repos
        .iter()
        .map(|r| r.0.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

impl Store for SqliteStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn repo_by_path(&self, path: &str) -> Result<Option<RepoState>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {REPO_COLUMNS} FROM repos WHERE path = ?1"),
                [path],
                Self::repo_row,
            )
            .optional()
            .map_err(query_err("find repository"))
    }

    fn repos(&self) -> Result<Vec<RepoState>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {REPO_COLUMNS} FROM repos ORDER BY name, path"
            ))
            .map_err(query_err("list repositories"))?;
        stmt.query_map([], Self::repo_row)
            .and_then(|rows| rows.collect())
            .map_err(query_err("list repositories"))
    }

    fn ensure_repo(&mut self, name: &str, path: &str) -> Result<RepoState, StoreError> {
        self.conn
            .execute(
                "INSERT INTO repos (name, path) VALUES (?1, ?2) ON CONFLICT (path) DO NOTHING",
                params![name, path],
            )
            .map_err(query_err("register repository"))?;
        self.repo_by_path(path)?.ok_or_else(|| StoreError::Corrupt {
            context: "register repository".into(),
            message: format!("{path} vanished after it was inserted"),
        })
    }

    fn stored_commit_ids(&self, repo: RepoId) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT oid FROM commits WHERE repo_id = ?1")
            .map_err(query_err("stored commits"))?;
        stmt.query_map([repo.0], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect())
            .map_err(query_err("stored commits"))
    }

    fn write_commits(&mut self, repo: RepoId, batch: &[IngestedCommit]) -> Result<(), StoreError> {
        let err = query_err("write commits");
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        {
            let mut insert_commit = tx
                .prepare_cached(
                    "INSERT INTO commits (repo_id, oid, parents, author_name, author_email, author_key,
                        author_time, author_offset, committer_name, committer_email, committer_time,
                        committer_offset, message, trailers, stats_kind, author_class, committer_class)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
                     ON CONFLICT (repo_id, oid) DO NOTHING",
                )
                .map_err(&err)?;
            let mut insert_file = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO file_changes (commit_id, path, kind, added, deleted)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(&err)?;
            let mut insert_detection = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO detections (commit_id, tool, kind, field, evidence)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(&err)?;
            invalidate_totals(&tx, repo).map_err(&err)?;
            for item in batch {
                let c = &item.record.commit;
                let trailers = codec::trailers_to_json(&c.trailers);
                let inserted = insert_commit
                    .execute(params![
                        repo.0,
                        c.id,
                        c.parents.join(" "),
                        c.author.name,
                        c.author.email,
                        plumb_model::normalize_email(&c.author.email),
                        c.author.time.seconds,
                        c.author.time.offset_minutes,
                        c.committer.name,
                        c.committer.email,
                        c.committer.time.seconds,
                        c.committer.time.offset_minutes,
                        c.message,
                        trailers,
                        kind_of_stats(&item.record.stats),
                        class_to_str(&item.author_class),
                        class_to_str(&item.committer_class),
                    ])
                    .map_err(&err)?;
                if inserted == 0 {
                    continue;
                }
                let commit_id = tx.last_insert_rowid();
                if let FileStats::Files { files } = &item.record.stats {
                    for f in files {
                        let (kind, added, deleted) = match f.stats {
                            LineStats::Text { added, deleted } => {
                                ("text", Some(added), Some(deleted))
                            }
                            LineStats::Binary => ("binary", None, None),
                            LineStats::Unknown => ("unknown", None, None),
                        };
                        insert_file
                            .execute(params![commit_id, f.path, kind, added, deleted])
                            .map_err(&err)?;
                    }
                }
                insert_detections(&mut insert_detection, commit_id, &item.detections)
                    .map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)
    }

    fn finish_ingest(
        &mut self,
        repo: RepoId,
        head: Option<&str>,
        fingerprint: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE repos SET ingested_head = ?2, provenance_fingerprint = ?3,
                    ingested_at = strftime('%s','now') WHERE id = ?1",
                params![repo.0, head, fingerprint],
            )
            .map_err(query_err("finish ingest"))?;
        Ok(())
    }

    fn commits_of_repo(&self, repo: RepoId) -> Result<Vec<CommitRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COMMIT_COLUMNS} FROM commits c WHERE c.repo_id = ?1 ORDER BY c.id"
            ))
            .map_err(query_err("read commits"))?;
        let rows = stmt
            .query_map([repo.0], commit_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(query_err("read commits"))?;
        rows.into_iter()
            .map(|(_, record, _)| record.map(|r| r.0))
            .collect()
    }

    fn replace_provenance(
        &mut self,
        repo: RepoId,
        changes: &[Reclassified],
        fingerprint: &str,
    ) -> Result<(), StoreError> {
        let err = query_err("replace provenance");
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        {
            let mut find = tx
                .prepare_cached("SELECT id FROM commits WHERE repo_id = ?1 AND oid = ?2")
                .map_err(&err)?;
            let mut update = tx
                .prepare_cached(
                    "UPDATE commits SET author_class = ?2, committer_class = ?3 WHERE id = ?1",
                )
                .map_err(&err)?;
            let mut clear = tx
                .prepare_cached("DELETE FROM detections WHERE commit_id = ?1")
                .map_err(&err)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO detections (commit_id, tool, kind, field, evidence)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(&err)?;
            for change in changes {
                let Some(id) = find
                    .query_row(params![repo.0, change.commit_id], |r| r.get::<_, i64>(0))
                    .optional()
                    .map_err(&err)?
                else {
                    continue;
                };
                update
                    .execute(params![
                        id,
                        class_to_str(&change.author_class),
                        class_to_str(&change.committer_class)
                    ])
                    .map_err(&err)?;
                clear.execute([id]).map_err(&err)?;
                insert_detections(&mut insert, id, &change.detections).map_err(&err)?;
            }
            invalidate_totals(&tx, repo).map_err(&err)?;
            tx.execute(
                "UPDATE repos SET provenance_fingerprint = ?2 WHERE id = ?1",
                params![repo.0, fingerprint],
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)
    }

    fn repo_totals(&self, repo: RepoId) -> Result<RepoTotals, StoreError> {
        if let Some(cached) = self.cached_totals(repo)? {
            return Ok(cached);
        }
        let totals = self.compute_totals(repo)?;
        self.save_totals(repo, &totals)?;
        Ok(totals)
    }

    fn newest_commit_time(&self, repos: &[RepoId]) -> Result<Option<i64>, StoreError> {
        if repos.is_empty() {
            return Ok(None);
        }
        self.conn
            .query_row(
                // Each repository's newest through the index on (repo, author time), a seek
                // each, rather than every index entry of every repository.
                &format!(
                    "SELECT MAX((SELECT MAX(author_time) FROM commits WHERE repo_id = r.id))
                     FROM repos r WHERE r.id IN ({})",
                    repo_list(repos)
                ),
                [],
                |r| r.get(0),
            )
            .map_err(query_err("newest commit"))
    }

    fn commits_between(
        &self,
        repos: &[RepoId],
        since: i64,
        until: i64,
    ) -> Result<Vec<StoredCommit>, StoreError> {
        if repos.is_empty() {
            return Ok(Vec::new());
        }
        let err = query_err("commits in window");
        let names: HashMap<i64, String> = self
            .repos()?
            .into_iter()
            .map(|r| (r.id.0, r.name))
            .collect();
        let filter = format!(
            "c.repo_id IN ({}) AND c.author_time >= ?1 AND c.author_time < ?2",
            repo_list(repos)
        );
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COMMIT_COLUMNS} FROM commits c WHERE {filter} ORDER BY c.id"
            ))
            .map_err(&err)?;
        let rows = stmt
            .query_map([since, until], commit_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(&err)?;
        let mut out = Vec::with_capacity(rows.len());
        let mut index = HashMap::with_capacity(rows.len());
        for (rowid, record, repo_id) in rows {
            let (record, author_class) = record?;
            index.insert(rowid, out.len());
            out.push(StoredCommit {
                repo: names.get(&repo_id).cloned().unwrap_or_default(),
                record,
                author_class,
                detections: Vec::new(),
            });
        }
        let mut files = self
            .conn
            .prepare(&format!(
                "SELECT f.commit_id, f.path, f.kind, f.added, f.deleted
                 FROM file_changes f JOIN commits c ON c.id = f.commit_id WHERE {filter}
                 ORDER BY f.commit_id, f.path"
            ))
            .map_err(&err)?;
        let mut rows = files.query([since, until]).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            let commit_id: i64 = row.get(0).map_err(&err)?;
            let kind: String = row.get(2).map_err(&err)?;
            let stats = match kind.as_str() {
                "text" => LineStats::Text {
                    added: row.get(3).map_err(&err)?,
                    deleted: row.get(4).map_err(&err)?,
                },
                "binary" => LineStats::Binary,
                _ => LineStats::Unknown,
            };
            if let Some(&i) = index.get(&commit_id)
                && let FileStats::Files { files } = &mut out[i].record.stats
            {
                files.push(FileChange {
                    path: row.get(1).map_err(&err)?,
                    stats,
                });
            }
        }
        let mut detections = self
            .conn
            .prepare(&format!(
                "SELECT d.commit_id, d.tool, d.kind, d.field, d.evidence
                 FROM detections d JOIN commits c ON c.id = d.commit_id WHERE {filter}
                 ORDER BY d.commit_id, d.tool, d.field"
            ))
            .map_err(&err)?;
        let mut rows = detections.query([since, until]).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            let commit_id: i64 = row.get(0).map_err(&err)?;
            let kind: String = row.get(2).map_err(&err)?;
            let field: String = row.get(3).map_err(&err)?;
            let (Some(kind), Some(field)) = (AiKind::parse(&kind), EvidenceField::parse(&field))
            else {
                return Err(StoreError::Corrupt {
                    context: "detections".into(),
                    message: format!("unknown kind {kind:?} or field {field:?}"),
                });
            };
            if let Some(&i) = index.get(&commit_id) {
                out[i].detections.push(Detection {
                    tool: row.get(1).map_err(&err)?,
                    kind,
                    field,
                    evidence: row.get(4).map_err(&err)?,
                });
            }
        }
        Ok(out)
    }

    fn commits_and_graph(
        &self,
        repos: &[RepoId],
        since: i64,
        until: i64,
    ) -> Result<CommitsAndGraph, StoreError> {
        history::read(
            &self.conn,
            &self.path,
            self.history_shares,
            repos,
            since,
            until,
        )
    }

    fn record_gate_decision(&mut self, d: &GateDecisionRow) -> Result<(), StoreError> {
        let list = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        self.conn
            .execute(
                "INSERT INTO gate_decisions (repo, base, head, verdict, zones, ai_tools, reasons, decided_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    d.repo,
                    d.base,
                    d.head,
                    d.verdict,
                    list(&d.zones),
                    list(&d.ai_tools),
                    list(&d.reasons),
                    d.decided_at
                ],
            )
            .map_err(query_err("record gate decision"))?;
        Ok(())
    }

    fn gate_decisions(&self) -> Result<Vec<GateDecisionRow>, StoreError> {
        let err = query_err("gate decisions");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT repo, base, head, verdict, zones, ai_tools, reasons, decided_at
                 FROM gate_decisions ORDER BY decided_at, id",
            )
            .map_err(&err)?;
        // Each row with its three JSON lists still encoded: zones, ai_tools, reasons.
        let rows: Vec<(GateDecisionRow, [String; 3])> = stmt
            .query_map([], |r| {
                Ok((
                    GateDecisionRow {
                        repo: r.get(0)?,
                        base: r.get(1)?,
                        head: r.get(2)?,
                        verdict: r.get(3)?,
                        zones: Vec::new(),
                        ai_tools: Vec::new(),
                        reasons: Vec::new(),
                        decided_at: r.get(7)?,
                    },
                    [r.get(4)?, r.get(5)?, r.get(6)?],
                ))
            })
            .and_then(|rows| rows.collect())
            .map_err(&err)?;
        let list = |column: &str, text: &str| {
            serde_json::from_str::<Vec<String>>(text).map_err(|e| StoreError::Corrupt {
                context: format!("gate_decisions.{column}"),
                message: e.to_string(),
            })
        };
        rows.into_iter()
            .map(|(row, [zones, ai_tools, reasons])| {
                Ok(GateDecisionRow {
                    zones: list("zones", &zones)?,
                    ai_tools: list("ai_tools", &ai_tools)?,
                    reasons: list("reasons", &reasons)?,
                    ..row
                })
            })
            .collect()
    }

    fn write_records(
        &mut self,
        kind: RecordKind,
        records: &[KeyedRecord],
        source: &str,
        dry_run: bool,
    ) -> Result<RecordChanges, StoreError> {
        let err = query_err("write records");
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let mut changes = RecordChanges::default();
        {
            let mut find = tx
                .prepare_cached("SELECT payload FROM records WHERE kind = ?1 AND key = ?2")
                .map_err(&err)?;
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO records (kind, key, payload, source) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (kind, key) DO UPDATE SET payload = excluded.payload,
                         source = excluded.source",
                )
                .map_err(&err)?;
            // The packed form of every record written, by key (a key given twice: the
            // last), merged into the kind's parts after the loop.
            let mut packed_changes: BTreeMap<String, Vec<u8>> = BTreeMap::new();
            for r in records {
                if r.record.kind() != kind {
                    return Err(StoreError::Query {
                        context: "write records".into(),
                        message: format!(
                            "a {} record was given to write as {kind}",
                            r.record.kind()
                        ),
                    });
                }
                let payload = serde_json::to_string(&r.record).map_err(|e| StoreError::Query {
                    context: "write records".into(),
                    message: e.to_string(),
                })?;
                let stored: Option<String> = find
                    .query_row(params![kind.as_str(), r.key], |row| row.get(0))
                    .optional()
                    .map_err(&err)?;
                match stored {
                    Some(old) if old == payload => {
                        changes.unchanged += 1;
                        continue;
                    }
                    Some(_) => {
                        changes.updated += 1;
                        changes.updated_keys.push(r.key.clone());
                    }
                    None => changes.inserted += 1,
                }
                let data = packed::pack(&r.record).map_err(|e| StoreError::Query {
                    context: "write records".into(),
                    message: e.to_string(),
                })?;
                upsert
                    .execute(params![kind.as_str(), r.key, payload, source])
                    .map_err(&err)?;
                packed_changes.insert(r.key.clone(), data);
            }
            if !dry_run {
                packed::write_kind(&tx, kind, &packed_changes)?;
            }
        }
        if dry_run {
            tx.rollback().map_err(&err)?;
        } else {
            tx.commit().map_err(&err)?;
        }
        Ok(changes)
    }

    fn records(&self, kind: RecordKind) -> Result<Vec<KeyedRecord>, StoreError> {
        let err = query_err("read records");
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, payload FROM records WHERE kind = ?1 ORDER BY key")
            .map_err(&err)?;
        let mut rows = stmt.query([kind.as_str()]).map_err(&err)?;
        decode::read(kind, &mut rows, decode::keyed)
    }

    fn record_list(&self, kind: RecordKind) -> Result<RecordList, StoreError> {
        use RecordKind as K;
        let conn = &self.conn;
        Ok(match kind {
            K::People => RecordList::People(decode::read_kind(conn, kind, packed::unpack)?),
            K::Teams => RecordList::Teams(decode::read_kind(conn, kind, packed::unpack)?),
            K::WorkItems => RecordList::WorkItems(decode::read_kind(conn, kind, packed::unpack)?),
            K::PullRequests => {
                RecordList::PullRequests(decode::read_kind(conn, kind, packed::unpack)?)
            }
            K::Reviews => RecordList::Reviews(decode::read_kind(conn, kind, packed::unpack)?),
            K::Checks => RecordList::Checks(decode::read_kind(conn, kind, packed::unpack)?),
            K::Deployments => {
                RecordList::Deployments(decode::read_kind(conn, kind, packed::unpack)?)
            }
            K::Incidents => RecordList::Incidents(decode::read_kind(conn, kind, packed::unpack)?),
            K::AiUsage => RecordList::AiUsage(decode::read_kind(conn, kind, packed::unpack)?),
            K::Survey => RecordList::Survey(decode::read_kind(conn, kind, packed::unpack)?),
            K::Skills => RecordList::Skills(decode::read_kind(conn, kind, packed::unpack)?),
            K::Costs => RecordList::Costs(decode::read_kind(conn, kind, packed::unpack)?),
            K::Kpis => RecordList::Kpis(decode::read_kind(conn, kind, packed::unpack)?),
            K::Findings => RecordList::Findings(decode::read_kind(conn, kind, packed::unpack)?),
        })
    }

    fn record_counts(&self) -> Result<BTreeMap<RecordKind, u64>, StoreError> {
        let err = query_err("count records");
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kind, COUNT(*) FROM records GROUP BY kind")
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(&err)?;
        let mut counts = BTreeMap::new();
        for (kind, n) in rows {
            let k = RecordKind::parse(&kind).ok_or_else(|| StoreError::Corrupt {
                context: "records".into(),
                message: format!("unknown record kind {kind:?}"),
            })?;
            counts.insert(k, n as u64);
        }
        Ok(counts)
    }

    fn save_snapshot(
        &mut self,
        snapshot: &Snapshot,
        replace: bool,
    ) -> Result<SnapshotSaved, StoreError> {
        let err = query_err("save snapshot");
        // IMMEDIATE: the check for an existing snapshot and the write are one step, so two
        // `plumb snapshot` runs cannot both see the quarter free.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let stored: Option<i64> = tx
            .query_row(
                "SELECT taken_at FROM snapshots WHERE quarter = ?1",
                [&snapshot.quarter],
                |r| r.get(0),
            )
            .optional()
            .map_err(&err)?;
        let saved = match stored {
            Some(taken_at) if !replace => {
                // Dropping the transaction rolls it back: nothing was written.
                return Err(StoreError::SnapshotExists {
                    quarter: snapshot.quarter.clone(),
                    taken_at,
                });
            }
            Some(_) => {
                // Targets and scores go with it (ON DELETE CASCADE).
                tx.execute(
                    "DELETE FROM snapshots WHERE quarter = ?1",
                    [&snapshot.quarter],
                )
                .map_err(&err)?;
                SnapshotSaved::Replaced
            }
            None => SnapshotSaved::Inserted,
        };
        tx.execute(
            "INSERT INTO snapshots (quarter, since, until, taken_at, tool_version,
                 targets_reviewed, report_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                snapshot.quarter,
                snapshot.since,
                snapshot.until,
                snapshot.taken_at,
                snapshot.tool_version,
                snapshot.targets_reviewed,
                snapshot.report_json,
            ],
        )
        .map_err(&err)?;
        {
            let mut target = tx
                .prepare_cached(
                    "INSERT INTO snapshot_targets (quarter, metric, target) VALUES (?1, ?2, ?3)",
                )
                .map_err(&err)?;
            for (metric, label) in &snapshot.targets {
                target
                    .execute(params![snapshot.quarter, metric, label])
                    .map_err(&err)?;
            }
            let mut score = tx
                .prepare_cached(
                    "INSERT INTO snapshot_scores (quarter, name, score) VALUES (?1, ?2, ?3)",
                )
                .map_err(&err)?;
            for (name, value) in &snapshot.scores {
                // SQLite stores NaN as NULL; a non-finite score is no score either way.
                let value = value.filter(|v| v.is_finite());
                score
                    .execute(params![snapshot.quarter, name, value])
                    .map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(saved)
    }

    fn snapshots(&self) -> Result<Vec<Snapshot>, StoreError> {
        let err = query_err("read snapshots");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT quarter, since, until, taken_at, tool_version, targets_reviewed,
                        report_json
                 FROM snapshots ORDER BY quarter",
            )
            .map_err(&err)?;
        let mut snapshots = stmt
            .query_map([], |r| {
                Ok(Snapshot {
                    quarter: r.get(0)?,
                    since: r.get(1)?,
                    until: r.get(2)?,
                    taken_at: r.get(3)?,
                    tool_version: r.get(4)?,
                    targets_reviewed: r.get(5)?,
                    targets: BTreeMap::new(),
                    scores: BTreeMap::new(),
                    report_json: r.get(6)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(&err)?;
        let index: HashMap<String, usize> = snapshots
            .iter()
            .enumerate()
            .map(|(i, s)| (s.quarter.clone(), i))
            .collect();
        let mut targets = self
            .conn
            .prepare("SELECT quarter, metric, target FROM snapshot_targets")
            .map_err(&err)?;
        let rows = targets
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(&err)?;
        for (quarter, metric, target) in rows {
            if let Some(s) = index.get(&quarter).and_then(|&i| snapshots.get_mut(i)) {
                s.targets.insert(metric, target);
            }
        }
        let mut scores = self
            .conn
            .prepare("SELECT quarter, name, score FROM snapshot_scores")
            .map_err(&err)?;
        let rows = scores
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<f64>>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(&err)?;
        for (quarter, name, score) in rows {
            if let Some(s) = index.get(&quarter).and_then(|&i| snapshots.get_mut(i)) {
                s.scores.insert(name, score);
            }
        }
        Ok(snapshots)
    }

    fn commit_graph(&self) -> Result<Vec<GraphCommit>, StoreError> {
        let err = query_err("read commit graph");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.name, c.oid, c.parents, c.author_key, c.author_time,
                        c.author_class LIKE 'agent:%' OR EXISTS (
                            SELECT 1 FROM detections d
                            WHERE d.commit_id = c.id AND d.kind = 'authored')
                 FROM commits c JOIN repos r ON r.id = c.repo_id
                 ORDER BY c.repo_id, c.id",
            )
            .map_err(&err)?;
        stmt.query_map([], |r| {
            let parents: String = r.get(2)?;
            Ok(GraphCommit {
                repo: Arc::from(r.get_ref(0)?.as_str()?),
                id: Arc::from(r.get_ref(1)?.as_str()?),
                parents: parents.split_whitespace().map(str::to_string).collect(),
                author_key: Arc::from(r.get_ref(3)?.as_str()?),
                author_time: r.get(4)?,
                is_ai_assisted: r.get(5)?,
            })
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(&err)
    }

    fn churn_basis(&self, repo: RepoId) -> Result<Option<ChurnBasis>, StoreError> {
        let err = query_err("line survival basis");
        let row = stored_basis(&self.conn, repo).map_err(&err)?;
        row.map(|(tip, horizon_secs, version)| {
            Ok(ChurnBasis {
                tip,
                horizon_secs,
                version: u32::try_from(version).map_err(|_| StoreError::Corrupt {
                    context: "churn_basis".into(),
                    message: format!("version {version} is not a line-survival version"),
                })?,
            })
        })
        .transpose()
    }

    fn churn_facts(
        &self,
        repos: &[RepoId],
        since: i64,
        until: i64,
    ) -> Result<Vec<StoredChurn>, StoreError> {
        if repos.is_empty() {
            return Ok(Vec::new());
        }
        let err = query_err("read line survival");
        let mut stmt = self
            .conn
            .prepare(&format!(
                // CROSS JOIN keeps this loop order: the facts in commit order, each commit
                // found by its row id, and each fact's files in path order, all without a
                // sort (searching the commits by time and sorting took twice as long).
                "SELECT c.id, c.repo_id, c.oid, c.author_time, s.horizon_complete, f.path,
                        f.lines_added, f.lines_churned, f.markers_added, f.markers_removed
                 FROM churn_commits s
                 CROSS JOIN commits c ON c.id = s.commit_id
                 LEFT JOIN churn_files f ON f.commit_id = s.commit_id
                 WHERE c.repo_id IN ({}) AND c.author_time >= ?1 AND c.author_time < ?2
                 ORDER BY s.commit_id, f.path",
                repo_list(repos)
            ))
            .map_err(&err)?;
        let mut rows = stmt.query([since, until]).map_err(&err)?;
        let mut out: Vec<StoredChurn> = Vec::new();
        let mut last = None;
        while let Some(r) = rows.next().map_err(&err)? {
            let commit_id: i64 = r.get(0).map_err(&err)?;
            if last != Some(commit_id) {
                last = Some(commit_id);
                out.push(StoredChurn {
                    repo: RepoId(r.get(1).map_err(&err)?),
                    author_time: r.get(3).map_err(&err)?,
                    row: ChurnRow {
                        commit: r.get(2).map_err(&err)?,
                        horizon_complete: r.get(4).map_err(&err)?,
                        files: Vec::new(),
                    },
                });
            }
            // A commit with no text file: one row, with no file.
            let Some(path) = r.get::<_, Option<String>>(5).map_err(&err)? else {
                continue;
            };
            let file = ChurnFileRow {
                path,
                lines_added: count(r, 6).map_err(&err)?,
                lines_churned: count(r, 7).map_err(&err)?,
                markers_added: count(r, 8).map_err(&err)?,
                markers_removed: count(r, 9).map_err(&err)?,
            };
            if let Some(c) = out.last_mut() {
                c.row.files.push(file);
            }
        }
        Ok(out)
    }

    fn churn_missing(
        &self,
        repos: &[RepoId],
        since: i64,
        until: i64,
    ) -> Result<Vec<(RepoId, String)>, StoreError> {
        if repos.is_empty() {
            return Ok(Vec::new());
        }
        let err = query_err("commits without line survival");
        let mut stmt = self
            .conn
            .prepare(&format!(
                // The test on the row id comes first: the commit's row is read only for
                // a commit without a fact (most often a merge).
                "SELECT c.repo_id, c.oid FROM commits c
                 WHERE c.repo_id IN ({}) AND c.author_time >= ?1 AND c.author_time < ?2
                   AND c.id NOT IN (SELECT commit_id FROM churn_commits)
                   AND c.stats_kind != 'merge'
                 ORDER BY c.id",
                repo_list(repos)
            ))
            .map_err(&err)?;
        stmt.query_map([since, until], |r| Ok((RepoId(r.get(0)?), r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(&err)
    }

    fn save_churn(
        &mut self,
        repo: RepoId,
        basis: &ChurnBasis,
        stale_from: Option<i64>,
        facts: &[ChurnRow],
    ) -> Result<u64, StoreError> {
        let err = query_err("save line survival");
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let mut saved = 0;
        {
            let old = stored_basis(&tx, repo).map_err(&err)?;
            let same_basis = old.is_some_and(|(tip, horizon_secs, version)| {
                tip == basis.tip
                    && horizon_secs == basis.horizon_secs
                    && version == i64::from(basis.version)
            });
            // Facts not final hold for the tip they were computed at only.
            if !same_basis {
                let open = "SELECT c.id FROM commits c
                    JOIN churn_commits s ON s.commit_id = c.id
                    WHERE c.repo_id = ?1 AND s.horizon_complete = 0";
                tx.execute(
                    &format!("DELETE FROM churn_files WHERE commit_id IN ({open})"),
                    [repo.0],
                )
                .map_err(&err)?;
                tx.execute(
                    &format!("DELETE FROM churn_commits WHERE commit_id IN ({open})"),
                    [repo.0],
                )
                .map_err(&err)?;
            }
            if let Some(from) = stale_from {
                let stale = "SELECT id FROM commits WHERE repo_id = ?1 AND author_time >= ?2";
                tx.execute(
                    &format!("DELETE FROM churn_files WHERE commit_id IN ({stale})"),
                    params![repo.0, from],
                )
                .map_err(&err)?;
                tx.execute(
                    &format!("DELETE FROM churn_commits WHERE commit_id IN ({stale})"),
                    params![repo.0, from],
                )
                .map_err(&err)?;
            }
            let mut find = tx
                .prepare_cached("SELECT id FROM commits WHERE repo_id = ?1 AND oid = ?2")
                .map_err(&err)?;
            let mut mark = tx
                .prepare_cached(
                    "INSERT INTO churn_commits (commit_id, horizon_complete) VALUES (?1, ?2)
                     ON CONFLICT (commit_id) DO UPDATE
                         SET horizon_complete = excluded.horizon_complete",
                )
                .map_err(&err)?;
            let mut clear = tx
                .prepare_cached("DELETE FROM churn_files WHERE commit_id = ?1")
                .map_err(&err)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO churn_files (commit_id, path, lines_added, lines_churned,
                        markers_added, markers_removed) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(&err)?;
            for fact in facts {
                let Some(id) = find
                    .query_row(params![repo.0, fact.commit], |r| r.get::<_, i64>(0))
                    .optional()
                    .map_err(&err)?
                else {
                    continue;
                };
                mark.execute(params![id, fact.horizon_complete])
                    .map_err(&err)?;
                clear.execute([id]).map_err(&err)?;
                for f in &fact.files {
                    insert
                        .execute(params![
                            id,
                            f.path,
                            f.lines_added,
                            f.lines_churned,
                            f.markers_added,
                            f.markers_removed
                        ])
                        .map_err(|e| StoreError::Query {
                            context: format!(
                                "save line survival of commit {}, file {:?}",
                                fact.commit, f.path
                            ),
                            message: e.to_string(),
                        })?;
                }
                saved += 1;
            }
            tx.execute(
                "INSERT INTO churn_basis (repo_id, tip, horizon_secs, version)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (repo_id) DO UPDATE SET tip = excluded.tip,
                     horizon_secs = excluded.horizon_secs, version = excluded.version",
                params![repo.0, basis.tip, basis.horizon_secs, basis.version],
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok(saved)
    }
}

/// A count column read back as the `u32` it was written from.
fn count(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u32> {
    let v: i64 = r.get(i)?;
    u32::try_from(v).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(i, v))
}

const COMMIT_COLUMNS: &str = "c.id, c.repo_id, c.oid, c.parents, c.author_name, c.author_email,
    c.author_time, c.author_offset, c.committer_name, c.committer_email, c.committer_time,
    c.committer_offset, c.message, c.trailers, c.stats_kind, c.author_class";

type CommitRow = (
    i64,
    Result<(CommitRecord, plumb_model::IdentityClass), StoreError>,
    i64,
);

fn commit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CommitRow> {
    let rowid: i64 = r.get(0)?;
    let repo_id: i64 = r.get(1)?;
    let parents: String = r.get(3)?;
    let trailers: String = r.get(13)?;
    let stats_kind: String = r.get(14)?;
    let author_class: String = r.get(15)?;
    let commit = plumb_model::Commit {
        id: r.get(2)?,
        parents: parents.split_whitespace().map(str::to_string).collect(),
        author: Signature {
            name: r.get(4)?,
            email: r.get(5)?,
            time: GitTime {
                seconds: r.get(6)?,
                offset_minutes: r.get(7)?,
            },
        },
        committer: Signature {
            name: r.get(8)?,
            email: r.get(9)?,
            time: GitTime {
                seconds: r.get(10)?,
                offset_minutes: r.get(11)?,
            },
        },
        message: r.get(12)?,
        trailers: Vec::new(),
    };
    let decoded = (|| {
        let trailers: Vec<Trailer> = codec::trailers_from_json(&trailers)?;
        let stats = codec::stats_of_kind(&stats_kind)?;
        let class = class_from_str(&author_class)?;
        Ok((
            CommitRecord {
                commit: plumb_model::Commit { trailers, ..commit },
                stats,
            },
            class,
        ))
    })();
    Ok((rowid, decoded, repo_id))
}

/// A repository's line-survival basis as stored: (tip, horizon seconds, version).
fn stored_basis(conn: &Connection, repo: RepoId) -> rusqlite::Result<Option<(String, i64, i64)>> {
    conn.query_row(
        "SELECT tip, horizon_secs, version FROM churn_basis WHERE repo_id = ?1",
        [repo.0],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}
