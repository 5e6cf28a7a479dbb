//! Test support: throw-away repositories built with the real `git` CLI, and the comparison
//! of plumb's reader against `git log --numstat --no-renames`.

#![allow(dead_code)]

use plumb_model::{CommitRecord, FileStats, LineStats};
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// One numstat row: the path (non-UTF-8 bytes escaped as `\xNN`) and the added and
/// deleted lines, or `None` for a binary file (git's `-\t-`).
pub type Row = (String, Option<(u32, u32)>);

/// Time zone offsets the commits cycle through, so that offsets are checked too.
const OFFSETS: [&str; 7] = [
    "+0000", "+0200", "-0700", "+0530", "-0130", "+1245", "-1100",
];
/// The first commit's author time; every commit is a minute later than the one before.
const EPOCH: i64 = 1_700_000_000;

/// A `git` command isolated from the user's and the system's configuration.
pub fn git_command(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("GIT_AUTHOR_NAME", "A U Thor")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "C O Mitter")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
        .args([
            "-c",
            "core.autocrlf=false",
            "-c",
            "protocol.file.allow=always",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "advice.detachedHead=false",
            "-c",
            "commit.gpgSign=false",
        ]);
    cmd
}

fn finish(mut cmd: Command, stdin: Option<&[u8]>, what: &str) -> Output {
    use std::io::Write;
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(input).expect("write stdin");
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Runs git in `dir` and returns its standard output; panics with stderr on failure.
pub fn git<I, S>(dir: &Path, args: I) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    git_with(dir, args, &[], None)
}

/// Runs git in `dir` with extra environment and optional standard input.
pub fn git_with<I, S>(dir: &Path, args: I, env: &[(&str, &OsStr)], stdin: Option<&[u8]>) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = git_output(dir, args, env, stdin);
    output.stdout
}

fn git_output<I, S>(dir: &Path, args: I, env: &[(&str, &OsStr)], stdin: Option<&[u8]>) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let mut cmd = git_command(dir);
    cmd.args(&args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let what = format!("git {args:?} in {}", dir.display());
    let output = finish(cmd, stdin, &what);
    assert!(
        output.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    output
}

/// Runs git and returns whether it succeeded (for merges that may conflict).
pub fn git_status<I, S>(dir: &Path, args: I, env: &[(&str, &OsStr)]) -> bool
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = git_command(dir);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    finish(cmd, None, "git").status.success()
}

/// Git's standard output as a trimmed string.
pub fn git_str<I, S>(dir: &Path, args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    String::from_utf8(git(dir, args))
        .expect("git printed UTF-8")
        .trim()
        .to_string()
}

/// A repository in a temporary directory, built commit by commit with the git CLI.
pub struct Repo {
    dir: tempfile::TempDir,
    path: PathBuf,
    tick: Cell<i64>,
}

impl Repo {
    /// `git init` of a non-bare repository whose branch is `main`.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("repo");
        std::fs::create_dir(&path).expect("mkdir");
        git(&path, ["init", "-q", "-b", "main"]);
        Repo {
            dir,
            path,
            tick: Cell::new(0),
        }
    }

    /// `git clone <extra args> file://<self> <new dir>`: bare, shallow, partial clones.
    pub fn clone_with(&self, args: &[&str]) -> Repo {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("clone");
        let url = format!("file://{}", self.path.display());
        let mut all: Vec<&OsStr> = vec![OsStr::new("clone"), OsStr::new("-q")];
        all.extend(args.iter().map(OsStr::new));
        all.push(OsStr::new(&url));
        all.push(path.as_os_str());
        git(dir.path(), all);
        Repo {
            dir,
            path,
            tick: Cell::new(self.tick.get()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn git<I, S>(&self, args: I) -> Vec<u8>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        git(&self.path, args)
    }

    pub fn git_str<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        git_str(&self.path, args)
    }

    /// Runs git with `input` on its standard input.
    pub fn git_with_stdin<I, S>(&self, args: I, input: &[u8]) -> Vec<u8>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        git_with(&self.path, args, &[], Some(input))
    }

    /// The author and committer dates of the next commit, one minute after the last, with
    /// the time zone offsets cycling.
    pub fn next_dates(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        let n = self.tick.get();
        self.tick.set(n + 1);
        let idx = usize::try_from(n).unwrap_or(0);
        let author = format!("{} {}", EPOCH + n * 60, OFFSETS[idx % OFFSETS.len()]);
        let committer = format!(
            "{} {}",
            EPOCH + n * 60 + 7,
            OFFSETS[(idx + 3) % OFFSETS.len()]
        );
        vec![
            ("GIT_AUTHOR_DATE", author.into()),
            ("GIT_COMMITTER_DATE", committer.into()),
        ]
    }

    /// Runs a git command that makes a commit (commit, merge, commit-tree) with the next
    /// dates and the given extra environment; returns its output.
    pub fn git_dated<I, S>(
        &self,
        args: I,
        extra: &[(&str, &OsStr)],
        stdin: Option<&[u8]>,
    ) -> Vec<u8>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let dates = self.next_dates();
        let mut env: Vec<(&str, &OsStr)> = dates.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        env.extend_from_slice(extra);
        git_with(&self.path, args, &env, stdin)
    }

    /// Like [`Repo::git_dated`] but returns whether git succeeded.
    pub fn git_dated_status<I, S>(&self, args: I) -> bool
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let dates = self.next_dates();
        let env: Vec<(&str, &OsStr)> = dates.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        git_status(&self.path, args, &env)
    }

    /// Writes a hand-made commit object (bytes git itself would not write) and returns its
    /// id; nothing points at it yet.
    pub fn hash_commit(&self, raw: &[u8]) -> String {
        let out = self.git_with_stdin(
            [
                "hash-object",
                "-t",
                "commit",
                "-w",
                "--stdin",
                "--literally",
            ],
            raw,
        );
        String::from_utf8(out).expect("hex").trim().to_string()
    }

    pub fn head(&self) -> String {
        self.git_str(["rev-parse", "HEAD"])
    }

    /// `git add -A` and a commit (empty ones allowed); returns the new commit id.
    pub fn commit(&self, message: &str) -> String {
        self.git(["add", "-A"]);
        self.commit_staged(message)
    }

    /// A commit of what is staged.
    pub fn commit_staged(&self, message: &str) -> String {
        self.git_dated(
            [
                "commit",
                "-q",
                "--allow-empty",
                "--no-verify",
                "-m",
                message,
            ],
            &[],
            None,
        );
        self.head()
    }

    /// `git add -A` and a commit with the given author (and committer) identity.
    pub fn commit_as(&self, message: &str, name: &str, email: &str) -> String {
        self.git(["add", "-A"]);
        self.git_dated(
            [
                "commit",
                "-q",
                "--allow-empty",
                "--no-verify",
                "-m",
                message,
            ],
            &[
                ("GIT_AUTHOR_NAME", OsStr::new(name)),
                ("GIT_AUTHOR_EMAIL", OsStr::new(email)),
                ("GIT_COMMITTER_NAME", OsStr::new(name)),
                ("GIT_COMMITTER_EMAIL", OsStr::new(email)),
            ],
            None,
        );
        self.head()
    }

    /// `git merge --no-ff` of the given branches; a conflicted merge is resolved by taking
    /// the working tree as it is (conflict markers and all). Returns the merge commit.
    pub fn merge(&self, branches: &[&str], message: &str) -> String {
        let mut args = vec!["merge", "-q", "--no-ff", "--no-edit", "-m", message];
        args.extend_from_slice(branches);
        if !self.git_dated_status(&args) {
            self.git(["add", "-A"]);
            self.git_dated(["commit", "-q", "--no-edit", "--no-verify"], &[], None);
        }
        self.head()
    }

    /// Runs a git command that makes a commit with its author and committer dates at
    /// `seconds` (UTC); returns whether git succeeded (a merge may conflict).
    pub fn git_at<I, S>(&self, args: I, seconds: i64) -> bool
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let date = format!("{seconds} +0000");
        let env = [
            ("GIT_AUTHOR_DATE", OsStr::new(&date)),
            ("GIT_COMMITTER_DATE", OsStr::new(&date)),
        ];
        git_status(&self.path, args, &env)
    }

    /// `git add -A` and a commit authored and committed at `seconds`; returns its id.
    pub fn commit_at(&self, message: &str, seconds: i64) -> String {
        self.git(["add", "-A"]);
        let made = self.git_at(
            [
                "commit",
                "-q",
                "--allow-empty",
                "--no-verify",
                "-m",
                message,
            ],
            seconds,
        );
        assert!(made, "git commit {message:?} failed");
        self.head()
    }

    /// `git merge --no-ff` of `branch` at `seconds`, which must not conflict; returns the
    /// merge commit.
    pub fn merge_at(&self, branch: &str, message: &str, seconds: i64) -> String {
        let merged = self.git_at(
            ["merge", "-q", "--no-ff", "--no-edit", "-m", message, branch],
            seconds,
        );
        assert!(merged, "git merge {branch} conflicted");
        self.head()
    }

    /// The absolute path of a repository path given as bytes.
    pub fn abs(&self, rel: impl AsRef<[u8]>) -> PathBuf {
        self.path.join(OsStr::from_bytes(rel.as_ref()))
    }

    /// Writes a file (creating its directories, replacing a symlink or directory).
    pub fn write(&self, rel: impl AsRef<[u8]>, content: impl AsRef<[u8]>) {
        let path = self.abs(rel);
        if let Ok(meta) = std::fs::symlink_metadata(&path)
            && !meta.is_file()
        {
            self.remove_path(&path);
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir -p");
        }
        std::fs::write(&path, content.as_ref()).expect("write");
    }

    /// Removes a file, symlink or directory.
    pub fn remove(&self, rel: impl AsRef<[u8]>) {
        let path = self.abs(rel);
        self.remove_path(&path);
    }

    fn remove_path(&self, path: &Path) {
        let meta = std::fs::symlink_metadata(path).expect("exists");
        if meta.is_dir() {
            std::fs::remove_dir_all(path).expect("rm -r");
        } else {
            std::fs::remove_file(path).expect("rm");
        }
    }

    /// Sets a file's permission bits (git records 644 or 755).
    pub fn chmod(&self, rel: impl AsRef<[u8]>, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(self.abs(rel), std::fs::Permissions::from_mode(mode))
            .expect("chmod");
    }

    /// Creates (or retargets) a symlink.
    pub fn symlink(&self, target: impl AsRef<[u8]>, rel: impl AsRef<[u8]>) {
        let path = self.abs(rel);
        if std::fs::symlink_metadata(&path).is_ok() {
            self.remove_path(&path);
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir -p");
        }
        std::os::unix::fs::symlink(OsStr::from_bytes(target.as_ref()), &path).expect("symlink");
    }

    /// Opens the repository with plumb.
    pub fn open(&self) -> plumb_git::Repository {
        plumb_git::Repository::open(&self.path, None).expect("plumb opens the repository")
    }
}

/// Paths as plumb stores them: bytes that are not UTF-8 written as `\xNN`.
pub fn escape_path(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// Git's own numbers: `git log --numstat --no-renames -z` of `rev`, per commit, rows sorted
/// by path. Merges (and commits without changes) have no rows.
pub fn git_numstat(dir: &Path, rev: &str) -> BTreeMap<String, Vec<Row>> {
    let out = git(
        dir,
        [
            "log",
            "--numstat",
            "--no-renames",
            "-z",
            "--format=COMMIT %H",
            rev,
            "--",
        ],
    );
    parse_numstat_z(&out)
}

/// Parses `git log --numstat -z --format='COMMIT %H'`: a header `COMMIT <id>\0`, then for a
/// commit with changes a newline and `added\tdeleted\tpath\0` rows (`-\t-\t` for binary).
pub fn parse_numstat_z(out: &[u8]) -> BTreeMap<String, Vec<Row>> {
    let mut map: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut first_row = false;
    let tokens: Vec<&[u8]> = out.split(|&b| b == 0).collect();
    let last = tokens.len().saturating_sub(1);
    for (i, token) in tokens.into_iter().enumerate() {
        if i == last && token.iter().all(|b| b.is_ascii_whitespace()) {
            break;
        }
        if let Some(id) = token.strip_prefix(b"COMMIT ") {
            let id = std::str::from_utf8(id).expect("hex id").to_string();
            assert_eq!(id.len(), 40, "commit id {id:?}");
            assert!(
                map.insert(id.clone(), Vec::new()).is_none(),
                "{id} twice in git log"
            );
            current = Some(id);
            first_row = true;
            continue;
        }
        let mut row = token;
        if first_row {
            row = row
                .strip_prefix(b"\n")
                .unwrap_or_else(|| panic!("no newline before the first row: {token:?}"));
            first_row = false;
        }
        let mut fields = row.splitn(3, |&b| b == b'\t');
        let added = fields.next().expect("added");
        let deleted = fields.next().expect("deleted");
        let path = fields
            .next()
            .unwrap_or_else(|| panic!("malformed numstat row {:?}", String::from_utf8_lossy(row)));
        let counts = if added == b"-" && deleted == b"-" {
            None
        } else {
            let num = |f: &[u8]| -> u32 {
                std::str::from_utf8(f)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| panic!("bad count in {:?}", String::from_utf8_lossy(row)))
            };
            Some((num(added), num(deleted)))
        };
        let id = current.as_ref().expect("a row before any commit");
        map.get_mut(id)
            .expect("commit")
            .push((escape_path(path), counts));
    }
    for rows in map.values_mut() {
        rows.sort();
    }
    map
}

/// An identity as git prints it (bytes; for a commit without an `encoding` header, the
/// stored bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitSig {
    pub name: Vec<u8>,
    pub email: Vec<u8>,
    pub seconds: i64,
    pub offset_minutes: i32,
}

/// A commit's metadata as `git log` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitCommit {
    pub id: String,
    pub parents: Vec<String>,
    /// `%aN <%aE>`: after `.mailmap`.
    pub author: GitSig,
    /// `%cN <%cE>`: after `.mailmap` (plumb resolves both identities).
    pub committer: GitSig,
    /// `%an`: the author name before `.mailmap`.
    pub raw_author_name: Vec<u8>,
    /// `%e`: the commit's `encoding` header, empty when it has none.
    pub encoding: String,
}

impl GitCommit {
    /// Whether git re-encodes this commit's text for display (an `encoding` header other
    /// than UTF-8), so that its names are not the stored bytes.
    pub fn reencoded(&self) -> bool {
        !self.encoding.is_empty()
            && !self.encoding.eq_ignore_ascii_case("utf-8")
            && !self.encoding.eq_ignore_ascii_case("utf8")
    }
}

/// `git log` of `rev` (without re-encoding where git allows it): ids, parents (as git log shows them: a shallow boundary has none),
/// identities after `.mailmap`, times and offsets.
pub fn git_commits(dir: &Path, rev: &str) -> BTreeMap<String, GitCommit> {
    const FIELDS: usize = 12;
    let out = git(
        dir,
        [
            "log",
            "-z",
            "--encoding=none",
            "--format=%H%x00%P%x00%aN%x00%aE%x00%at%x00%ai%x00%cN%x00%cE%x00%ct%x00%ci%x00%an%x00%e",
            rev,
            "--",
        ],
    );
    let mut tokens: Vec<&[u8]> = out.split(|&b| b == 0).collect();
    if tokens.last().is_some_and(|t| t.is_empty()) {
        tokens.pop();
    }
    assert_eq!(
        tokens.len() % FIELDS,
        0,
        "git log -z fields: {}",
        tokens.len()
    );
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).expect("ASCII field");
    let mut map = BTreeMap::new();
    for f in tokens.chunks(FIELDS) {
        let id = text(f[0]);
        let parents = text(f[1]).split_whitespace().map(str::to_string).collect();
        let sig = |name: &[u8], email: &[u8], at: &[u8], ai: &[u8]| GitSig {
            name: name.to_vec(),
            email: email.to_vec(),
            seconds: text(at).parse().expect("seconds"),
            offset_minutes: parse_offset(&text(ai)),
        };
        let commit = GitCommit {
            id: id.clone(),
            parents,
            author: sig(f[2], f[3], f[4], f[5]),
            committer: sig(f[6], f[7], f[8], f[9]),
            raw_author_name: f[10].to_vec(),
            encoding: String::from_utf8_lossy(f[11]).into_owned(),
        };
        map.insert(id, commit);
    }
    map
}

/// The offset of an ISO-like date `2023-11-14 22:13:20 +0530`, in minutes.
fn parse_offset(date: &str) -> i32 {
    let tz = date.rsplit(' ').next().expect("offset");
    assert_eq!(tz.len(), 5, "offset in {date:?}");
    let sign = if tz.starts_with('-') { -1 } else { 1 };
    let hours: i32 = tz[1..3].parse().expect("hours");
    let minutes: i32 = tz[3..5].parse().expect("minutes");
    sign * (hours * 60 + minutes)
}

/// What plumb has for one file, in the terms of git's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    /// Added and deleted lines, or `None` for binary: comparable with a [`Row`].
    Known(Option<(u32, u32)>),
    /// [`LineStats::Unknown`]: an object was missing.
    Unknown,
}

/// Plumb's rows in the same shape as git's, sorted by path; `None` for a merge or an
/// unknown tree.
pub fn plumb_rows(stats: &FileStats) -> Option<Vec<(String, Counts)>> {
    match stats {
        FileStats::Files { files } => {
            let mut rows: Vec<_> = files
                .iter()
                .map(|f| {
                    let counts = match f.stats {
                        LineStats::Text { added, deleted } => Counts::Known(Some((added, deleted))),
                        LineStats::Binary => Counts::Known(None),
                        LineStats::Unknown => Counts::Unknown,
                    };
                    (f.path.clone(), counts)
                })
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            Some(rows)
        }
        _ => None,
    }
}

/// Compares plumb's reading of `dir` (at `branch`, or HEAD) with git's, panicking with
/// every difference. Returns plumb's records, keyed by commit id.
pub fn check(dir: &Path) -> BTreeMap<String, CommitRecord> {
    check_at(dir, None)
}

/// [`check`] of a branch or revision instead of HEAD.
pub fn check_at(dir: &Path, branch: Option<&str>) -> BTreeMap<String, CommitRecord> {
    compare(dir, branch, dir, false)
}

/// Reads `dir` with plumb and compares it with git's view: commits and identities from
/// `dir` itself, numstat from `git_dir` (the same repository, or the complete source of a
/// partial clone). With `allow_unknown`, a file row may be [`LineStats::Unknown`] where git
/// has numbers (objects missing from `dir`).
///
/// Names and emails of a commit with a non-UTF-8 `encoding` header are not compared: git
/// re-encodes them for display, plumb reads the stored bytes lossily.
pub fn compare(
    dir: &Path,
    branch: Option<&str>,
    git_dir: &Path,
    allow_unknown: bool,
) -> BTreeMap<String, CommitRecord> {
    let rev = branch.unwrap_or("HEAD");
    let repo = plumb_git::Repository::open(dir, branch).expect("plumb opens the repository");
    let tip = git_str(dir, ["rev-parse", &format!("{rev}^{{commit}}")]);
    assert_eq!(repo.tip().as_deref(), Some(tip.as_str()), "tip of {rev}");
    let records = repo.read_all(2).expect("plumb reads the history");

    let mut plumb: BTreeMap<String, CommitRecord> = BTreeMap::new();
    for r in records {
        let id = r.commit.id.clone();
        assert!(plumb.insert(id.clone(), r).is_none(), "{id} read twice");
    }
    let rev_list: BTreeSet<String> = git_str(dir, ["rev-list", rev, "--"])
        .lines()
        .map(str::to_string)
        .collect();
    let ours: BTreeSet<String> = plumb.keys().cloned().collect();
    assert_eq!(
        ours.len(),
        rev_list.len(),
        "commit count: plumb {} vs git rev-list {}",
        ours.len(),
        rev_list.len()
    );
    assert_eq!(ours, rev_list, "commit set differs from git rev-list {rev}");

    let numstat = git_numstat(git_dir, rev);
    let meta = git_commits(dir, rev);
    assert_eq!(
        numstat.len(),
        rev_list.len(),
        "git log --numstat commit count"
    );
    assert_eq!(meta.len(), rev_list.len(), "git log commit count");

    let mut failures: Vec<String> = Vec::new();
    for (id, record) in &plumb {
        let c = &record.commit;
        let g = &meta[id];
        if c.parents != g.parents {
            failures.push(format!(
                "{id}: parents plumb {:?} git {:?}",
                c.parents, g.parents
            ));
        }
        for (who, ours, theirs) in [
            ("author", &c.author, &g.author),
            ("committer", &c.committer, &g.committer),
        ] {
            let name = String::from_utf8_lossy(&theirs.name).trim().to_string();
            let email = String::from_utf8_lossy(&theirs.email).trim().to_string();
            if !g.reencoded() && (ours.name != name || ours.email != email) {
                failures.push(format!(
                    "{id}: {who} plumb {:?} <{:?}> git {:?} <{:?}>",
                    ours.name, ours.email, name, email
                ));
            }
            if ours.time.seconds != theirs.seconds
                || ours.time.offset_minutes != theirs.offset_minutes
            {
                failures.push(format!(
                    "{id}: {who} time plumb {:?} git {}s {:+}min",
                    ours.time, theirs.seconds, theirs.offset_minutes
                ));
            }
        }
        let git_rows = &numstat[id];
        if g.parents.len() > 1 {
            if record.stats != FileStats::Merge {
                failures.push(format!("{id}: a merge, but plumb has {:?}", record.stats));
            }
            if !git_rows.is_empty() {
                failures.push(format!("{id}: git shows rows for a merge: {git_rows:?}"));
            }
            continue;
        }
        let Some(rows) = plumb_rows(&record.stats) else {
            failures.push(format!(
                "{id}: plumb has {:?} for a commit with {} parent(s)",
                record.stats,
                g.parents.len()
            ));
            continue;
        };
        let paths: Vec<&String> = rows.iter().map(|r| &r.0).collect();
        let git_paths: Vec<&String> = git_rows.iter().map(|r| &r.0).collect();
        if paths != git_paths {
            failures.push(format!(
                "{id}: changed paths differ\n  plumb {paths:?}\n  git   {git_paths:?}"
            ));
            continue;
        }
        for ((path, ours), (_, theirs)) in rows.iter().zip(git_rows) {
            match ours {
                Counts::Known(counts) if counts == theirs => {}
                Counts::Unknown if allow_unknown => {}
                _ => failures.push(format!(
                    "{id}: {path:?}: plumb {} git {}",
                    show(*ours),
                    show(Counts::Known(*theirs))
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} difference(s) between plumb and git in {}:\n{}",
        failures.len(),
        dir.display(),
        failures.join("\n")
    );
    plumb
}

fn show(counts: Counts) -> String {
    match counts {
        Counts::Known(Some((a, d))) => format!("+{a} -{d}"),
        Counts::Known(None) => "binary".into(),
        Counts::Unknown => "unknown".into(),
    }
}

/// The rows plumb has for one commit; panics unless it has file statistics.
pub fn rows_of(records: &BTreeMap<String, CommitRecord>, id: &str) -> Vec<(String, LineStats)> {
    match &records[id].stats {
        FileStats::Files { files } => files.iter().map(|f| (f.path.clone(), f.stats)).collect(),
        other => panic!("{id}: {other:?}"),
    }
}

/// A tiny deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
