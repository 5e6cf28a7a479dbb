//! Test helpers: real git repositories in temp folders and the real `plumb` binary.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A git repository in a temporary folder, driven through the git CLI.
pub struct GitRepo {
    dir: tempfile::TempDir,
}

impl GitRepo {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let repo = GitRepo { dir };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn path_str(&self) -> &str {
        self.dir.path().to_str().unwrap()
    }

    fn base(&self) -> Command {
        let mut cmd = Command::new("git");
        cmd.current_dir(self.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.com",
                "-c",
                "commit.gpgsign=false",
            ]);
        cmd
    }

    pub fn git(&self, args: &[&str]) -> String {
        self.git_env(args, &[])
    }

    pub fn git_env(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self
            .base()
            .args(args)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn write(&self, path: &str, content: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }

    pub fn commit_as(&self, name: &str, email: &str, date: &str, message: &str) {
        self.git(&["add", "-A"]);
        let env = identity(name, email, date);
        self.git_env(&["commit", "-q", "--allow-empty", "-m", message], &env);
    }

    pub fn merge(&self, branch: &str, name: &str, email: &str, date: &str) {
        let env = identity(name, email, date);
        self.git_env(
            &[
                "merge",
                "-q",
                "--no-ff",
                "-m",
                &format!("Merge branch '{branch}'"),
                branch,
            ],
            &env,
        );
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    pub fn rev_list_count(&self) -> u64 {
        self.git(&["rev-list", "--count", "HEAD"])
            .trim()
            .parse()
            .unwrap()
    }

    /// Added and deleted lines as `git log --numstat --no-renames` sums them.
    pub fn numstat_totals(&self) -> (u64, u64) {
        let out = self.git(&["log", "--numstat", "--no-renames", "--format="]);
        let (mut added, mut deleted) = (0, 0);
        for line in out.lines() {
            let mut parts = line.split('\t');
            if let (Some(a), Some(d)) = (parts.next(), parts.next())
                && let (Ok(a), Ok(d)) = (a.parse::<u64>(), d.parse::<u64>())
            {
                added += a;
                deleted += d;
            }
        }
        (added, deleted)
    }
}

/// The environment that makes `name <email>` at `date` both author and committer.
fn identity<'a>(name: &'a str, email: &'a str, date: &'a str) -> [(&'static str, &'a str); 6] {
    [
        ("GIT_AUTHOR_NAME", name),
        ("GIT_AUTHOR_EMAIL", email),
        ("GIT_AUTHOR_DATE", date),
        ("GIT_COMMITTER_NAME", name),
        ("GIT_COMMITTER_EMAIL", email),
        ("GIT_COMMITTER_DATE", date),
    ]
}

/// Builds a linear history of `commits` commits quickly with `git fast-import`.
pub fn fast_import_history(repo: &GitRepo, commits: usize) {
    let mut stream = String::new();
    let mut files: Vec<Vec<String>> = (0..20)
        .map(|f| (0..30).map(|l| format!("file {f} line {l}")).collect())
        .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..commits {
        let f = (next() % files.len() as u64) as usize;
        let line = (next() % files[f].len() as u64) as usize;
        if next() % 3 == 0 {
            files[f].insert(line, format!("inserted {i}"));
        } else {
            files[f][line] = format!("changed {i}");
        }
        let content = files[f].join("\n") + "\n";
        let who = ["ana", "bo", "cy", "di", "ed", "fa"][i % 6];
        let trailer = if i % 4 == 0 {
            "\n\nCo-Authored-By: Claude <noreply@anthropic.com>"
        } else {
            ""
        };
        let message = format!("change {i}{trailer}\n");
        let time = 1_700_000_000 + i as i64 * 600;
        stream.push_str(&format!("commit refs/heads/main\nmark :{}\n", i + 1));
        stream.push_str(&format!("author {who} <{who}@acme.com> {time} +0100\ncommitter {who} <{who}@acme.com> {time} +0100\n"));
        stream.push_str(&format!("data {}\n{message}\n", message.len()));
        stream.push_str(&format!(
            "M 100644 inline src/f{f}.txt\ndata {}\n{content}\n",
            content.len()
        ));
    }
    let mut child = repo
        .base()
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    repo.git(&["reset", "-q", "--hard", "main"]);
}

/// The `plumb` binary with a store of its own.
pub struct Plumb {
    dir: tempfile::TempDir,
}

impl Plumb {
    pub fn new() -> Self {
        Plumb {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("plumb.db")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_plumb"));
        cmd.current_dir(self.dir.path())
            .env_remove("PLUMB_DB")
            .env("NO_COLOR", "1")
            .arg("--db")
            .arg(self.db())
            .args(args);
        cmd
    }

    /// Runs plumb, expects exit 0, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.command(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "plumb {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs plumb, expects `code`, returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.command(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(code),
            "plumb {args:?}\nstderr: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    fn conn(&self) -> Option<rusqlite::Connection> {
        if !self.db().exists() {
            return None;
        }
        rusqlite::Connection::open_with_flags(self.db(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()
    }

    pub fn count_commits(&self) -> u64 {
        self.conn()
            .and_then(|c| {
                c.query_row("SELECT COUNT(*) FROM commits", [], |r| r.get::<_, i64>(0))
                    .ok()
            })
            .unwrap_or(0) as u64
    }

    pub fn ingested_head(&self) -> Option<String> {
        self.conn()?
            .query_row("SELECT ingested_head FROM repos", [], |r| r.get(0))
            .ok()?
    }

    /// The stored records of a kind, each as its JSON payload (`{"kind", "record"}`'s
    /// record), in key order.
    pub fn records(&self, kind: &str) -> Vec<serde_json::Value> {
        let Some(conn) = self.conn() else {
            return Vec::new();
        };
        let mut stmt = conn
            .prepare("SELECT payload FROM records WHERE kind = ?1 ORDER BY key")
            .unwrap();
        stmt.query_map([kind], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|p| {
                let v: serde_json::Value = serde_json::from_str(&p.unwrap()).unwrap();
                assert_eq!(v["kind"], kind);
                v["record"].clone()
            })
            .collect()
    }

    /// The stored line survival facts: commit id → its files as `(path, lines added,
    /// lines churned)`, in path order (a commit with no text file has none).
    pub fn churn_facts(&self) -> std::collections::BTreeMap<String, Vec<(String, u32, u32)>> {
        let mut facts = std::collections::BTreeMap::new();
        let Some(conn) = self.conn() else {
            return facts;
        };
        let mut stmt = conn
            .prepare(
                "SELECT c.oid, f.path, f.lines_added, f.lines_churned FROM churn_commits s
                 JOIN commits c ON c.id = s.commit_id
                 LEFT JOIN churn_files f ON f.commit_id = s.commit_id ORDER BY c.oid, f.path",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<u32>>(2)?,
                    r.get::<_, Option<u32>>(3)?,
                ))
            })
            .unwrap();
        for row in rows {
            let (oid, path, added, churned) = row.unwrap();
            let files: &mut Vec<(String, u32, u32)> = facts.entry(oid).or_default();
            if let (Some(path), Some(added), Some(churned)) = (path, added, churned) {
                files.push((path, added, churned));
            }
        }
        facts
    }

    /// Whether each stored line survival fact is final, by commit id.
    pub fn churn_final(&self) -> std::collections::BTreeMap<String, bool> {
        let Some(conn) = self.conn() else {
            return std::collections::BTreeMap::new();
        };
        let mut stmt = conn
            .prepare(
                "SELECT c.oid, s.horizon_complete FROM churn_commits s
                 JOIN commits c ON c.id = s.commit_id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// A copy of this store in a folder of its own, without line survival facts: what the
    /// same ingest gives a store that never ran a report.
    pub fn copy_without_churn(&self) -> Plumb {
        let copy = Plumb::new();
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        conn.execute("VACUUM INTO ?1", [copy.db().to_str().unwrap()])
            .unwrap();
        drop(conn);
        let conn = rusqlite::Connection::open(copy.db()).unwrap();
        conn.execute_batch(
            "DELETE FROM churn_files; DELETE FROM churn_commits; DELETE FROM churn_basis;",
        )
        .unwrap();
        copy
    }

    /// The tip the stored line survival facts hold for.
    pub fn churn_tip(&self) -> Option<String> {
        self.conn()?
            .query_row("SELECT tip FROM churn_basis", [], |r| r.get(0))
            .ok()
    }

    /// Every stored row that carries meaning, in a stable order, as text.
    pub fn dump(&self) -> String {
        let conn = self.conn().unwrap();
        let mut out = String::new();
        for sql in [
            "SELECT name, path, ingested_head, provenance_fingerprint FROM repos ORDER BY path",
            "SELECT oid, parents, author_name, author_email, author_key, author_time, author_offset,
                    committer_name, committer_email, committer_time, committer_offset, message, trailers,
                    stats_kind, author_class, committer_class FROM commits ORDER BY oid",
            "SELECT c.oid, f.path, f.kind, f.added, f.deleted FROM file_changes f
                 JOIN commits c ON c.id = f.commit_id ORDER BY c.oid, f.path",
            "SELECT c.oid, d.tool, d.kind, d.field, d.evidence FROM detections d
                 JOIN commits c ON c.id = d.commit_id ORDER BY c.oid, d.tool, d.kind, d.field, d.evidence",
            "SELECT kind, key, payload, source FROM records ORDER BY kind, key",
        ] {
            let mut stmt = conn.prepare(sql).unwrap();
            let n = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                let cells: Vec<String> = (0..n)
                    .map(|i| match row.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).escape_debug().to_string(),
                        other => format!("{other:?}"),
                    })
                    .collect();
                out.push_str(&cells.join("|"));
                out.push('\n');
            }
        }
        out
    }
}

/// Compares two dumps and shows the first rows that differ instead of both dumps.
pub fn assert_same_rows(left: &str, right: &str) {
    if left == right {
        return;
    }
    let l: Vec<&str> = left.lines().collect();
    let r: Vec<&str> = right.lines().collect();
    let only_left: Vec<&&str> = l.iter().filter(|x| !r.contains(x)).take(5).collect();
    let only_right: Vec<&&str> = r.iter().filter(|x| !l.contains(x)).take(5).collect();
    panic!(
        "stored rows differ ({} vs {} rows)\nonly in the first:\n{only_left:#?}\nonly in the second:\n{only_right:#?}",
        l.len(),
        r.len()
    );
}

/// The folder `plumb demo` (seed 1) wrote: repositories, import files, `plumb.toml`,
/// `PLANTED.json` and its store in `.plumb/plumb.db`. Generated on first use and kept
/// for the life of the test binary.
pub fn demo_dir() -> &'static Path {
    static DEMO: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, dir) = DEMO.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("demo");
        let out = Command::new(env!("CARGO_BIN_EXE_plumb"))
            .env_remove("PLUMB_DB")
            .args(["demo", "--dir", dir.to_str().unwrap(), "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "plumb demo: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (tmp, dir)
    });
    dir
}
