//! Writes a team's repository with gitoxide: blobs, trees and commits straight into the
//! object database, then `refs/heads/main`, `HEAD`, branches of open PRs, a checkout of
//! main and its index. No `git` process, no wall clock: every time in every object comes
//! from the plan, so the same seed gives the same commit ids.
//!
//! The repository's state is a tree of reference-counted directories and files, each file
//! a list of line ids. A branch starts as a cheap clone of main; changing a file copies
//! only the path to it, and tree and blob ids are cached until something under them
//! changes. A PR's changes are kept as operations on line ids (insert after a line,
//! delete lines), so that merging replays them onto whatever main has become — the merge
//! commit's tree is main plus the PR, as a clean merge would make it.

use crate::DemoError;
use crate::calendar::{DAY, HOUR, MONTHS, month_start};
use crate::content::{Kind, line, test_line};
use crate::org::{Person, Stack, Team, TeamSpec};
use crate::pack::{Delta, Pack, Stored};
use crate::plan::{Author, CommitPlan, Focus, PrKind, TeamPlan};
use crate::rng::{Rng, mix};
use crate::story::{MARKER_SHARE, Phase, TeamStory};
use crate::words::capitalise;
use gix::ObjectId;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files stop growing past this many lines; new code goes to new files.
const MAX_LINES: usize = 160;

/// What the writer made, for the import files.
pub struct RepoOutput {
    pub path: PathBuf,
    pub initial: ObjectId,
    /// Per PR: its branch commits, oldest first (empty when it has none).
    pub branch_commits: Vec<Vec<ObjectId>>,
    /// Per PR: the merge (or squash) commit on main.
    pub merge_commits: Vec<Option<ObjectId>>,
    /// Per PR: lines added and deleted between its base and its head.
    pub stats: Vec<(u64, u64)>,
    /// Main at the end of every month.
    pub snapshots: Vec<Snapshot>,
    /// Commits written (reachable from main or from an open branch, or left by squashes).
    pub commits: usize,
}

pub struct Snapshot {
    pub time: i64,
    pub tip: ObjectId,
    pub files: Vec<SnapFile>,
}

pub struct SnapFile {
    pub path: String,
    pub lines: u32,
    /// When the file last changed on main.
    pub modified: i64,
}

#[derive(Clone, Default)]
struct File {
    lines: Vec<u32>,
    blob: Option<ObjectId>,
    modified: i64,
}

#[derive(Clone, Default)]
struct Dir {
    files: BTreeMap<String, Arc<File>>,
    dirs: BTreeMap<String, Arc<Dir>>,
    tree: Option<ObjectId>,
}

impl Dir {
    fn dir(&self, path: &str) -> Option<&Dir> {
        let mut d = self;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            d = d.dirs.get(part)?;
        }
        Some(d)
    }

    fn file(&self, path: &str) -> Option<&File> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        self.dir(dir)?.files.get(name).map(|f| &**f)
    }

    fn walk(&self, prefix: &str, out: &mut Vec<(String, Arc<File>)>) {
        for (name, f) in &self.files {
            out.push((format!("{prefix}{name}"), Arc::clone(f)));
        }
        for (name, d) in &self.dirs {
            d.walk(&format!("{prefix}{name}/"), out);
        }
    }
}

/// The file at `path`, created with its folders when missing; invalidates the cached ids
/// on the way.
fn file_mut<'a>(root: &'a mut Arc<Dir>, path: &str) -> &'a mut File {
    let mut dir = Arc::make_mut(root);
    dir.tree = None;
    let (folders, name) = path.rsplit_once('/').unwrap_or(("", path));
    for part in folders.split('/').filter(|p| !p.is_empty()) {
        let sub = dir.dirs.entry(part.to_string()).or_default();
        dir = Arc::make_mut(sub);
        dir.tree = None;
    }
    let f = Arc::make_mut(dir.files.entry(name.to_string()).or_default());
    f.blob = None;
    f
}

/// A change to a file, replayable on another state of the repository.
#[derive(Clone)]
enum Op {
    /// Insert lines after a line (`None`: at the top; a missing anchor: at the end).
    Insert {
        path: String,
        after: Option<u32>,
        lines: Vec<u32>,
    },
    Delete {
        path: String,
        ids: Vec<u32>,
    },
}

fn apply(root: &mut Arc<Dir>, op: &Op, now: i64) {
    match op {
        Op::Insert { path, after, lines } => {
            let f = file_mut(root, path);
            f.modified = now;
            let pos = match after {
                None => 0,
                Some(a) => f
                    .lines
                    .iter()
                    .position(|l| l == a)
                    .map_or(f.lines.len(), |p| p + 1),
            };
            f.lines.splice(pos..pos, lines.iter().copied());
        }
        Op::Delete { path, ids } => {
            if root.file(path).is_none() {
                return;
            }
            let f = file_mut(root, path);
            f.modified = now;
            f.lines.retain(|l| !ids.contains(l));
        }
    }
}

/// Every line ever written in the repository.
#[derive(Default)]
struct Lines {
    text: Vec<Box<str>>,
    born: Vec<i64>,
    ai: Vec<bool>,
    marker: Vec<bool>,
}

/// Where a team's code lives.
struct Layout {
    stack: Stack,
    domains: Vec<String>,
    api: String,
    auth: Option<String>,
    ui: Option<String>,
    migrations: Option<String>,
    tests: String,
    docs: String,
    adr: String,
    config: Vec<String>,
    manifest: String,
    lock: String,
}

impl Layout {
    fn of(spec: &TeamSpec) -> Layout {
        let (manifest, lock, mut config) = match spec.stack {
            Stack::TypeScript => (
                "package.json".to_string(),
                "package-lock.json".to_string(),
                vec!["tsconfig.json".to_string()],
            ),
            Stack::Go => ("go.mod".to_string(), "go.sum".to_string(), Vec::new()),
        };
        config.push(".github/workflows/ci.yml".into());
        config.push(manifest.clone());
        Layout {
            stack: spec.stack,
            domains: spec.domains.iter().map(|d| format!("src/{d}")).collect(),
            api: "src/api".into(),
            auth: spec.has_auth.then(|| "src/auth".to_string()),
            ui: spec.has_ui.then(|| "ui/components".to_string()),
            migrations: spec.has_migrations.then(|| "migrations".to_string()),
            tests: "tests".into(),
            docs: "docs".into(),
            adr: "docs/adr".into(),
            config,
            manifest,
            lock,
        }
    }

    fn src_ext(&self) -> &'static str {
        match self.stack {
            Stack::TypeScript => "ts",
            Stack::Go => "go",
        }
    }
}

/// Where a commit adds lines: a folder (new files allowed) or a folder of new files only.
#[derive(Clone)]
enum Target {
    Folder { dir: String, new_file: f64 },
    NewFile { dir: String },
    File(String),
}

struct Writer<'a> {
    repo: gix::Repository,
    path: PathBuf,
    spec: &'a Team,
    people: &'a [Person],
    story: TeamStory,
    layout: Layout,
    lines: Lines,
    rng: Rng,
    paths_used: BTreeSet<String>,
    migrations: u32,
    adrs: u32,
    buf: Vec<u8>,
    commits: usize,
    pack: Pack,
    /// The last stored version of each file and folder, the base of the next one's delta.
    last_blob: BTreeMap<String, (Stored, Vec<u32>)>,
    last_tree: BTreeMap<String, (Stored, Vec<u8>)>,
}

fn git_err(path: &Path, what: &str, e: impl std::fmt::Display) -> DemoError {
    DemoError::Git {
        path: path.to_path_buf(),
        message: format!("{what}: {e}"),
    }
}

fn sig(name: &str, email: &str, time: i64, offset_min: i32) -> gix::actor::Signature {
    gix::actor::Signature {
        name: name.into(),
        email: email.into(),
        time: gix::date::Time {
            seconds: time,
            offset: offset_min * 60,
        },
    }
}

fn message(subject: &str, body: &[String], trailers: &[String]) -> String {
    let mut m = String::with_capacity(subject.len() + 64);
    m.push_str(subject);
    m.push('\n');
    if !body.is_empty() {
        m.push('\n');
        m.push_str(&body.join("\n\n"));
        m.push('\n');
    }
    if !trailers.is_empty() {
        m.push('\n');
        for t in trailers {
            m.push_str(t);
            m.push('\n');
        }
    }
    m
}

impl<'a> Writer<'a> {
    fn nouns(&self) -> &'static [&'static str] {
        self.spec.nouns
    }

    fn new_line(&mut self, kind: Kind, now: i64, ai: bool, marker: bool, test: bool) -> u32 {
        let id = self.lines.text.len() as u32;
        let marker = marker && kind.has_markers() && !test;
        let text = if test {
            test_line(kind, id, self.nouns())
        } else {
            line(kind, id, marker, self.nouns())
        };
        self.push_text(text, now, ai, marker)
    }

    fn push_text(&mut self, text: String, now: i64, ai: bool, marker: bool) -> u32 {
        let id = self.lines.text.len() as u32;
        self.lines.text.push(text.into_boxed_str());
        self.lines.born.push(now);
        self.lines.ai.push(ai);
        self.lines.marker.push(marker);
        id
    }

    fn new_lines(&mut self, path: &str, n: usize, now: i64, ai: bool) -> Vec<u32> {
        let kind = Kind::of(path);
        let test = path.starts_with("tests/");
        let share = MARKER_SHARE[self.story.phase(now) as usize] * if ai { 1.3 } else { 1.0 };
        (0..n)
            .map(|_| {
                let marker = self.rng.chance(share);
                self.new_line(kind, now, ai, marker, test)
            })
            .collect()
    }

    /// A fresh file name in `dir`.
    fn new_path(&mut self, dir: &str) -> String {
        let nouns = self.nouns();
        let a = *self.rng.pick(nouns);
        let b = *self.rng.pick(&[
            "service", "handler", "store", "client", "model", "rules", "view", "sync", "utils",
            "policy",
        ]);
        let candidate = if dir == "migrations" {
            self.migrations += 1;
            let verb = *self
                .rng
                .pick(&["add", "create", "alter", "backfill", "index"]);
            format!("{dir}/{:04}_{verb}_{a}_{b}.sql", self.migrations)
        } else if dir == self.layout.adr {
            self.adrs += 1;
            let topic = *self
                .rng
                .pick(&["use", "adopt", "retire", "split", "cache", "version"]);
            format!("{dir}/{:04}-{topic}-{a}-{b}.md", self.adrs)
        } else if dir.starts_with("ui/") {
            format!("{dir}/{}{}.tsx", capitalise(a), capitalise(b))
        } else if dir == "tests" {
            match self.layout.stack {
                Stack::TypeScript => format!("{dir}/{a}-{b}.test.ts"),
                Stack::Go => format!("{dir}/{a}_{b}_test.go"),
            }
        } else if dir == "docs" {
            format!("{dir}/{a}-{b}.md")
        } else {
            match self.layout.stack {
                Stack::TypeScript => format!("{dir}/{a}-{b}.ts"),
                Stack::Go => format!("{dir}/{a}_{b}.go"),
            }
        };
        let mut path = candidate.clone();
        let mut n = 2;
        while !self.paths_used.insert(path.clone()) {
            let (stem, ext) = candidate.rsplit_once('.').unwrap_or((&candidate, ""));
            path = format!("{stem}{n}.{ext}");
            n += 1;
        }
        path
    }

    fn files_in(state: &Dir, dir: &str) -> Vec<(String, usize)> {
        state
            .dir(dir)
            .map(|d| {
                d.files
                    .iter()
                    .map(|(name, f)| (format!("{dir}/{name}"), f.lines.len()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn source_dir(&mut self, auth_share: f64) -> String {
        if let Some(auth) = &self.layout.auth
            && self.rng.chance(auth_share)
        {
            return auth.clone();
        }
        let mut dirs = self.layout.domains.clone();
        dirs.push(self.layout.api.clone());
        self.rng.pick(&dirs).clone()
    }

    fn targets(&mut self, focus: Focus, first: bool, now: i64) -> Vec<(Target, f64)> {
        let folder = |dir: String, new_file: f64| Target::Folder { dir, new_file };
        let mut v = Vec::new();
        match focus {
            Focus::Feature => {
                let main = self.source_dir(0.15);
                let ui = self.layout.ui.clone().filter(|_| self.rng.chance(0.6));
                v.push((folder(main, 0.15), if ui.is_some() { 0.55 } else { 0.75 }));
                v.push((folder(self.layout.tests.clone(), 0.15), 0.25));
                if let Some(ui) = ui {
                    v.push((folder(ui, 0.2), 0.2));
                }
                if self.rng.chance(0.15) {
                    v.push((folder(self.layout.docs.clone(), 0.2), 0.05));
                }
                if first {
                    if let Some(m) = self.layout.migrations.clone()
                        && self.rng.chance(0.15)
                    {
                        v.push((Target::NewFile { dir: m }, 0.06));
                    }
                    let adr = if self.story.phase(now) == Phase::Governed {
                        0.08
                    } else {
                        0.03
                    };
                    if self.rng.chance(adr) {
                        v.push((
                            Target::NewFile {
                                dir: self.layout.adr.clone(),
                            },
                            0.08,
                        ));
                    }
                }
            }
            Focus::Bug | Focus::Hotfix => {
                v.push((folder(self.source_dir(0.15), 0.03), 0.7));
                v.push((folder(self.layout.tests.clone(), 0.05), 0.3));
            }
            Focus::Chore => {
                let f = self.rng.pick(&self.layout.config).clone();
                v.push((Target::File(f), 0.6));
                v.push((folder(self.layout.docs.clone(), 0.1), 0.4));
            }
            Focus::Debt => {
                v.push((folder(self.source_dir(0.1), 0.05), 0.8));
                v.push((folder(self.layout.tests.clone(), 0.05), 0.2));
            }
            Focus::Explore => {
                v.push((folder(self.source_dir(0.0), 0.5), 0.8));
                v.push((folder(self.layout.docs.clone(), 0.4), 0.2));
            }
            Focus::Bump => {}
        }
        v
    }

    /// Makes one commit's changes on `state`, returning them.
    fn commit_ops(&mut self, state: &mut Arc<Dir>, c: &CommitPlan, first: bool) -> Vec<Op> {
        let now = c.time;
        let mut ops = Vec::new();
        if let Some(bump) = &c.bump {
            return self.bump_ops(state, bump, now);
        }
        let targets = self.targets(c.focus, first, now);
        let total_share: f64 = targets.iter().map(|(_, s)| s).sum();
        let mut touched: Vec<String> = Vec::new();
        for (i, (target, share)) in targets.iter().enumerate() {
            let mut n = (f64::from(c.add) * share / total_share).round() as usize;
            if i == 0 {
                n = n.max(1);
            }
            if let Target::NewFile { .. } = target {
                n = n.max(12);
            }
            if n == 0 {
                continue;
            }
            let path = match target {
                Target::File(p) => Some(p.clone()),
                Target::NewFile { .. } => None,
                Target::Folder { dir, new_file } => {
                    let files = Self::files_in(state, dir);
                    let open: Vec<&(String, usize)> = files
                        .iter()
                        .filter(|(_, len)| *len + n <= MAX_LINES)
                        .collect();
                    if open.is_empty() || self.rng.chance(*new_file) {
                        None
                    } else {
                        Some(self.rng.pick(&open).0.clone())
                    }
                }
            };
            let path = match path {
                Some(p) if state.file(&p).is_some() => p,
                _ => {
                    let dir = match target {
                        Target::Folder { dir, .. } | Target::NewFile { dir } => dir.clone(),
                        Target::File(p) => p
                            .rsplit_once('/')
                            .map_or(String::new(), |(d, _)| d.to_string()),
                    };
                    let path = self.new_path(&dir);
                    let lines = self.new_lines(&path, n, now, c.ai);
                    let op = Op::Insert {
                        path,
                        after: None,
                        lines,
                    };
                    apply(state, &op, now);
                    ops.push(op);
                    continue;
                }
            };
            // Insert in one or two hunks.
            let hunks = if n > 8 && self.rng.chance(0.5) { 2 } else { 1 };
            let mut left = n;
            for h in 0..hunks {
                let size = if h + 1 == hunks { left } else { left / 2 };
                left -= size;
                let existing = state
                    .file(&path)
                    .map(|f| f.lines.clone())
                    .unwrap_or_default();
                let after = if existing.is_empty() {
                    None
                } else if self.rng.chance(0.4) {
                    existing.last().copied()
                } else {
                    Some(existing[self.rng.below(existing.len())])
                };
                let lines = self.new_lines(&path, size, now, c.ai);
                let op = Op::Insert {
                    path: path.clone(),
                    after,
                    lines,
                };
                apply(state, &op, now);
                ops.push(op);
            }
            touched.push(path);
        }
        // Deletions, from the files this commit works on (or a neighbour of them).
        let mut del = c.del as usize;
        if c.focus == Focus::Debt
            && let Some(p) = self.file_with_markers(state)
        {
            touched.insert(0, p);
        }
        if touched.is_empty()
            && let Some((Target::Folder { dir, .. }, _)) = targets.first()
        {
            let files = Self::files_in(state, dir);
            if !files.is_empty() {
                touched.push(self.rng.pick(&files).0.clone());
            }
        }
        let mut attempts = 0;
        while del > 0 && attempts < 12 && !touched.is_empty() {
            attempts += 1;
            let path = touched[self.rng.below(touched.len())].clone();
            let Some(file) = state.file(&path) else {
                continue;
            };
            let len = file.lines.len();
            if len <= 6 || path.starts_with("migrations/") || path.starts_with("docs/adr/") {
                continue;
            }
            let run = del.min(self.rng.int(1, 6) as usize).min(len - 5);
            let start = self.deletion_start(&file.lines, c.focus, now);
            let start = start.min(len - run);
            let ids: Vec<u32> = file.lines[start..start + run].to_vec();
            del -= run;
            let op = Op::Delete { path, ids };
            apply(state, &op, now);
            ops.push(op);
        }
        ops
    }

    /// Where a deletion starts: on a TODO for debt work, else often on young lines (AI
    /// lines from before governance most of all: they are the ones rewritten soonest).
    fn deletion_start(&mut self, lines: &[u32], focus: Focus, now: i64) -> usize {
        if focus == Focus::Debt {
            let markers: Vec<usize> = (0..lines.len())
                .filter(|&i| self.lines.marker[lines[i] as usize])
                .collect();
            if !markers.is_empty() {
                return markers[self.rng.below(markers.len())];
            }
        }
        if self.rng.chance(0.5) {
            let weights: Vec<f64> = lines
                .iter()
                .map(|&l| {
                    let l = l as usize;
                    let born = self.lines.born[l];
                    if now - born > 21 * DAY {
                        0.0
                    } else if self.lines.ai[l] && self.story.phase(born) == Phase::Ai {
                        3.0
                    } else {
                        1.0
                    }
                })
                .collect();
            if weights.iter().any(|w| *w > 0.0) {
                return self.rng.weighted(&weights);
            }
        }
        self.rng.below(lines.len())
    }

    fn file_with_markers(&mut self, state: &Dir) -> Option<String> {
        let mut dirs = self.layout.domains.clone();
        dirs.push(self.layout.api.clone());
        let mut found = Vec::new();
        for d in &dirs {
            if let Some(dir) = state.dir(d) {
                for (name, f) in &dir.files {
                    if f.lines.len() > 6 && f.lines.iter().any(|&l| self.lines.marker[l as usize]) {
                        found.push(format!("{d}/{name}"));
                    }
                }
            }
        }
        if found.is_empty() {
            None
        } else {
            Some(found[self.rng.below(found.len())].clone())
        }
    }

    fn bump_ops(&mut self, state: &mut Arc<Dir>, bump: &crate::plan::Bump, now: i64) -> Vec<Op> {
        let mut ops = Vec::new();
        let h = mix(crate::rng::fnv(
            format!("{}{}", bump.package, bump.to).as_bytes(),
        ));
        let (manifest_line, lock_lines) = match self.layout.stack {
            Stack::TypeScript => (
                format!("    \"{}\": \"^{}\",", bump.package, bump.to),
                vec![
                    format!("    \"node_modules/{}\": {{", bump.package),
                    format!("      \"version\": \"{}\",", bump.to),
                    format!(
                        "      \"resolved\": \"https://registry.npmjs.org/{}/-/{}-{}.tgz\",",
                        bump.package,
                        bump.package.rsplit('/').next().unwrap_or(&bump.package),
                        bump.to
                    ),
                    format!("      \"integrity\": \"sha512-{h:016x}{:016x}\"", mix(h)),
                ],
            ),
            Stack::Go => (
                format!("\t{} v{}", bump.package, bump.to),
                vec![
                    format!("{} v{} h1:{h:016x}=", bump.package, bump.to),
                    format!("{} v{}/go.mod h1:{:016x}=", bump.package, bump.to, mix(h)),
                ],
            ),
        };
        let manifest = self.layout.manifest.clone();
        let lock = self.layout.lock.clone();
        for (path, texts, drop) in [(manifest, vec![manifest_line], 1), (lock, lock_lines, 2)] {
            let Some(file) = state.file(&path) else {
                continue;
            };
            let lines = file.lines.clone();
            let start = if lines.len() > 4 {
                1 + self.rng.below(lines.len() - 3)
            } else {
                0
            };
            let end = (start + drop).min(lines.len());
            let ids = lines[start..end].to_vec();
            let after = if start == 0 {
                None
            } else {
                Some(lines[start - 1])
            };
            let new: Vec<u32> = texts
                .into_iter()
                .map(|t| self.push_text(t, now, false, false))
                .collect();
            for op in [
                Op::Delete {
                    path: path.clone(),
                    ids,
                },
                Op::Insert {
                    path: path.clone(),
                    after,
                    lines: new,
                },
            ] {
                apply(state, &op, now);
                ops.push(op);
            }
        }
        ops
    }

    fn pack_err(&self, e: crate::pack::PackError) -> DemoError {
        git_err(&self.path, "cannot pack an object", e)
    }

    fn write_blob(&mut self, path: &str, lines: &[u32]) -> Result<ObjectId, DemoError> {
        self.buf.clear();
        for &l in lines {
            self.buf
                .extend_from_slice(self.lines.text[l as usize].as_bytes());
            self.buf.push(b'\n');
        }
        let base = self.last_blob.get(path);
        let text = &self.lines.text;
        let (id, stored) = self
            .pack
            .add_delta(gix::objs::Kind::Blob, &self.buf, base.map(|b| b.0), || {
                base.map(|(_, old)| line_delta(text, old, lines, self.buf.len()))
            })
            .map_err(|e| git_err(&self.path, "cannot pack a blob", e))?;
        if let Some(stored) = stored {
            self.last_blob
                .insert(path.to_string(), (stored, lines.to_vec()));
        }
        Ok(id)
    }

    fn write_tree(&mut self, dir: &mut Arc<Dir>, prefix: &str) -> Result<ObjectId, DemoError> {
        if let Some(id) = dir.tree {
            return Ok(id);
        }
        let d = Arc::make_mut(dir);
        let mut entries = Vec::with_capacity(d.files.len() + d.dirs.len());
        for (name, f) in d.files.iter_mut() {
            let id = match f.blob {
                Some(id) => id,
                None => {
                    let lines = f.lines.clone();
                    let id = self.write_blob(&format!("{prefix}{name}"), &lines)?;
                    Arc::make_mut(f).blob = Some(id);
                    id
                }
            };
            entries.push(gix::objs::tree::Entry {
                mode: gix::objs::tree::EntryKind::Blob.into(),
                filename: name.as_str().into(),
                oid: id,
            });
        }
        for (name, sub) in d.dirs.iter_mut() {
            let id = self.write_tree(sub, &format!("{prefix}{name}/"))?;
            entries.push(gix::objs::tree::Entry {
                mode: gix::objs::tree::EntryKind::Tree.into(),
                filename: name.as_str().into(),
                oid: id,
            });
        }
        entries.sort();
        let mut bytes = Vec::with_capacity(entries.len() * 48);
        gix::objs::WriteTo::write_to(&gix::objs::Tree { entries }, &mut bytes)
            .map_err(|e| git_err(&self.path, "cannot encode a tree", e))?;
        let base = self.last_tree.get(prefix);
        let (id, stored) = self
            .pack
            .add_delta(gix::objs::Kind::Tree, &bytes, base.map(|b| b.0), || {
                base.map(|(_, old)| crate::pack::Delta::prefix_suffix(old, &bytes))
            })
            .map_err(|e| git_err(&self.path, "cannot pack a tree", e))?;
        if let Some(stored) = stored {
            self.last_tree.insert(prefix.to_string(), (stored, bytes));
        }
        d.tree = Some(id);
        Ok(id)
    }

    fn write_commit(
        &mut self,
        tree: ObjectId,
        parents: Vec<ObjectId>,
        author: gix::actor::Signature,
        committer: gix::actor::Signature,
        message: String,
    ) -> Result<ObjectId, DemoError> {
        let commit = gix::objs::Commit {
            tree,
            parents: parents.into(),
            author,
            committer,
            encoding: None,
            message: message.into(),
            extra_headers: Vec::new(),
        };
        self.commits += 1;
        let mut bytes = Vec::with_capacity(512);
        gix::objs::WriteTo::write_to(&commit, &mut bytes)
            .map_err(|e| git_err(&self.path, "cannot encode a commit", e))?;
        let (id, _) = self
            .pack
            .add(gix::objs::Kind::Commit, &bytes)
            .map_err(|e| self.pack_err(e))?;
        Ok(id)
    }

    fn author_sig(&self, c: &CommitPlan) -> (gix::actor::Signature, gix::actor::Signature) {
        match c.author {
            Author::Person(p) => {
                let person = &self.people[p];
                let email = if c.alt_email && person.emails.len() > 1 {
                    &person.emails[1]
                } else {
                    &person.emails[0]
                };
                let s = sig(&person.name, email, c.time, self.spec.offset_min);
                (s.clone(), s)
            }
            Author::Bot(bot) => {
                let author = sig(bot.login(), bot.email(), c.time, 0);
                let committer = match bot {
                    crate::plan::Bot::Dependabot => sig("GitHub", "noreply@github.com", c.time, 0),
                    crate::plan::Bot::Renovate => author.clone(),
                };
                (author, committer)
            }
        }
    }

    fn initial(&mut self, state: &mut Arc<Dir>) -> Vec<Op> {
        let now = crate::plan::INITIAL_COMMIT;
        let mut plan: Vec<(String, usize)> = vec![
            ("README.md".into(), 24),
            ("docs/architecture.md".into(), 30),
            ("docs/runbook.md".into(), 22),
            (".github/workflows/ci.yml".into(), 28),
            (self.layout.manifest.clone(), 22),
            (self.layout.lock.clone(), 90),
        ];
        if self.layout.stack == Stack::TypeScript {
            plan.push(("tsconfig.json".into(), 14));
        }
        let ext = self.layout.src_ext();
        plan.push((format!("src/main.{ext}"), 40));
        plan.push((format!("src/config.{ext}"), 30));
        let mut dirs: Vec<(String, usize)> =
            self.layout.domains.iter().map(|d| (d.clone(), 3)).collect();
        dirs.push((self.layout.api.clone(), 4));
        if let Some(a) = &self.layout.auth {
            dirs.push((a.clone(), 2));
        }
        if let Some(u) = &self.layout.ui {
            dirs.push((u.clone(), 5));
        }
        dirs.push((self.layout.tests.clone(), 4));
        for (dir, n) in dirs {
            for _ in 0..n {
                let p = self.new_path(&dir);
                let len = self.rng.int(35, 95) as usize;
                plan.push((p, len));
            }
        }
        for _ in 0..2 {
            let p = self.new_path(&self.layout.adr.clone());
            plan.push((p, 18));
        }
        if let Some(m) = self.layout.migrations.clone() {
            for _ in 0..2 {
                let p = self.new_path(&m);
                plan.push((p, 20));
            }
        }
        let mut ops = Vec::new();
        for (path, n) in plan {
            self.paths_used.insert(path.clone());
            let kind = Kind::of(&path);
            let test = path.starts_with("tests/");
            let lines: Vec<u32> = (0..n)
                .map(|_| {
                    let marker = self.rng.chance(0.015);
                    self.new_line(kind, now - 200 * DAY, false, marker, test)
                })
                .collect();
            let op = Op::Insert {
                path,
                after: None,
                lines,
            };
            apply(state, &op, now);
            ops.push(op);
        }
        ops
    }

    fn snapshot(&self, time: i64, tip: ObjectId, main: &Dir) -> Snapshot {
        let mut files = Vec::new();
        main.walk("", &mut files);
        Snapshot {
            time,
            tip,
            files: files
                .into_iter()
                .map(|(path, f)| SnapFile {
                    path,
                    lines: f.lines.len() as u32,
                    modified: f.modified,
                })
                .collect(),
        }
    }
}

/// The delta from one version of a file to the next, by line ids: runs of lines the two
/// share are copied from the old version, the rest is inserted.
fn line_delta(text: &[Box<str>], old: &[u32], new: &[u32], new_len: usize) -> Delta {
    let mut offsets = Vec::with_capacity(old.len() + 1);
    let mut at = 0;
    for &l in old {
        offsets.push(at);
        at += text[l as usize].len() + 1;
    }
    offsets.push(at);
    let mut sorted_new = new.to_vec();
    sorted_new.sort_unstable();
    let in_new = |id: u32| sorted_new.binary_search(&id).is_ok();
    let mut d = Delta::new(at, new_len);
    let mut pending: Vec<u8> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < new.len() {
        if j < old.len() && new[i] == old[j] {
            if !pending.is_empty() {
                d.insert(&pending);
                pending.clear();
            }
            let start = j;
            while i < new.len() && j < old.len() && new[i] == old[j] {
                i += 1;
                j += 1;
            }
            d.copy(offsets[start], offsets[j] - offsets[start]);
        } else if j < old.len() && !in_new(old[j]) {
            j += 1;
        } else {
            pending.extend_from_slice(text[new[i] as usize].as_bytes());
            pending.push(b'\n');
            i += 1;
        }
    }
    if !pending.is_empty() {
        d.insert(&pending);
    }
    d
}

/// Lines in `head` and not in `base`, and the other way round, over `paths`.
fn diff_stats(base: &Dir, head: &Dir, paths: &BTreeSet<String>) -> (u64, u64) {
    let (mut add, mut del) = (0, 0);
    for p in paths {
        let mut b: Vec<u32> = base.file(p).map(|f| f.lines.clone()).unwrap_or_default();
        let mut h: Vec<u32> = head.file(p).map(|f| f.lines.clone()).unwrap_or_default();
        b.sort_unstable();
        h.sort_unstable();
        add += h.iter().filter(|l| b.binary_search(l).is_err()).count() as u64;
        del += b.iter().filter(|l| h.binary_search(l).is_err()).count() as u64;
    }
    (add, del)
}

fn op_path(op: &Op) -> &str {
    match op {
        Op::Insert { path, .. } | Op::Delete { path, .. } => path,
    }
}

/// Writes the repository of team `t` under `root/repos/`.
pub fn write_repo(
    root: &Path,
    seed: u64,
    t: usize,
    teams: &[Team],
    people: &[Person],
    tp: &TeamPlan,
) -> Result<RepoOutput, DemoError> {
    let spec = &teams[t];
    let path = root.join("repos").join(spec.repo());
    let repo = gix::init(&path).map_err(|e| git_err(&path, "cannot create the repository", e))?;
    let mut w = Writer {
        repo,
        path: path.clone(),
        spec,
        people,
        story: TeamStory::of(spec),
        layout: Layout::of(spec),
        lines: Lines::default(),
        rng: Rng::new(seed, &format!("git/{}", spec.name)),
        paths_used: BTreeSet::new(),
        migrations: 0,
        adrs: 0,
        buf: Vec::with_capacity(16 * 1024),
        commits: 0,
        pack: Pack::new(),
        last_blob: BTreeMap::new(),
        last_tree: BTreeMap::new(),
    };
    let mut main: Arc<Dir> = Arc::new(Dir::default());
    w.initial(&mut main);
    let tree = w.write_tree(&mut main, "")?;
    let founder = people
        .iter()
        .filter(|p| p.team == t)
        .max_by_key(|p| (p.level, std::cmp::Reverse(p.career_start)))
        .map_or(
            (
                "Acme Engineering".to_string(),
                "engineering@acme.example".to_string(),
            ),
            |p| (p.name.clone(), p.email().to_string()),
        );
    let s = sig(
        &founder.0,
        &founder.1,
        crate::plan::INITIAL_COMMIT,
        spec.offset_min,
    );
    let initial = w.write_commit(
        tree,
        Vec::new(),
        s.clone(),
        s,
        message(
            &format!("Import {} from the monorepo", spec.service()),
            &["History before August 2025 lives in acme/monorepo.".to_string()],
            &[],
        ),
    )?;
    let mut tip = initial;

    let n = tp.prs.len();
    let mut branch_commits: Vec<Vec<ObjectId>> = vec![Vec::new(); n];
    let mut merge_commits: Vec<Option<ObjectId>> = vec![None; n];
    let mut stats = vec![(0u64, 0u64); n];
    let mut pending: Vec<Vec<Op>> = vec![Vec::new(); n];

    let mut events: Vec<(i64, u8, usize)> = Vec::with_capacity(2 * n);
    for (i, pr) in tp.prs.iter().enumerate() {
        if let Some(c) = pr.commits.first() {
            events.push((c.time, 0, i));
            if let Some(m) = pr.merged {
                events.push((m, 1, i));
            }
        }
    }
    events.sort_unstable();
    let snap_times: Vec<i64> = (0..MONTHS).map(|m| month_start(m + 1) - 2 * HOUR).collect();
    let mut snapshots = Vec::with_capacity(MONTHS);

    for (time, kind, i) in events {
        while snapshots.len() < MONTHS && snap_times[snapshots.len()] < time {
            let s = w.snapshot(snap_times[snapshots.len()], tip, &main);
            snapshots.push(s);
        }
        let pr = &tp.prs[i];
        if kind == 0 {
            let base = Arc::clone(&main);
            let mut state = Arc::clone(&main);
            let mut parent = tip;
            let mut ops = Vec::new();
            for (k, c) in pr.commits.iter().enumerate() {
                let commit_ops = w.commit_ops(&mut state, c, k == 0);
                ops.extend(commit_ops);
                let tree = w.write_tree(&mut state, "")?;
                let (author, committer) = w.author_sig(c);
                let id = w.write_commit(
                    tree,
                    vec![parent],
                    author,
                    committer,
                    message(&c.subject, &c.body, &c.trailers),
                )?;
                branch_commits[i].push(id);
                parent = id;
            }
            let paths: BTreeSet<String> = ops.iter().map(|o| op_path(o).to_string()).collect();
            stats[i] = diff_stats(&base, &state, &paths);
            pending[i] = ops;
        } else {
            let ops = std::mem::take(&mut pending[i]);
            for op in &ops {
                apply(&mut main, op, time);
            }
            let tree = w.write_tree(&mut main, "")?;
            let merger = pr.merger.map_or(&people[0], |m| &people[m]);
            let merger_offset = teams[merger.team].offset_min;
            let github = sig("GitHub", "noreply@github.com", time, 0);
            let head = branch_commits[i].last().copied().unwrap_or(tip);
            let id = if pr.squash {
                let mut body: Vec<String> = pr
                    .commits
                    .iter()
                    .map(|c| format!("* {}", c.subject))
                    .collect();
                if body.len() == 1 {
                    body.clear();
                }
                let mut trailers: Vec<String> = Vec::new();
                for c in &pr.commits {
                    for t in &c.trailers {
                        if !trailers.contains(t) {
                            trailers.push(t.clone());
                        }
                    }
                }
                let author = match pr.author {
                    Author::Person(p) => {
                        sig(&people[p].name, people[p].email(), time, spec.offset_min)
                    }
                    Author::Bot(b) => sig(b.login(), b.email(), time, 0),
                };
                w.write_commit(
                    tree,
                    vec![tip],
                    author,
                    github,
                    message(&format!("{} (#{})", pr.title, pr.number), &body, &trailers),
                )?
            } else {
                let author = sig(&merger.name, merger.email(), time, merger_offset);
                w.write_commit(
                    tree,
                    vec![tip, head],
                    author,
                    github,
                    message(
                        &format!("Merge pull request #{} from acme/{}", pr.number, pr.branch),
                        std::slice::from_ref(&pr.title),
                        &[],
                    ),
                )?
            };
            merge_commits[i] = Some(id);
            tip = id;
        }
    }
    while snapshots.len() < MONTHS {
        let s = w.snapshot(snap_times[snapshots.len()], tip, &main);
        snapshots.push(s);
    }

    finish(&mut w, &main, tip, tp, &branch_commits)?;
    Ok(RepoOutput {
        path,
        initial,
        branch_commits,
        merge_commits,
        stats,
        snapshots,
        commits: w.commits,
    })
}

/// Refs, the checkout of main, its index and the remote.
fn finish(
    w: &mut Writer<'_>,
    main: &Arc<Dir>,
    tip: ObjectId,
    tp: &TeamPlan,
    branch_commits: &[Vec<ObjectId>],
) -> Result<(), DemoError> {
    use gix::refs::Target;
    use gix::refs::transaction::{Change, LogChange, PreviousValue, RefEdit, RefLog};
    let path = w.path.clone();
    w.repo.refs.write_reflog = gix::refs::store::WriteReflog::Disable;
    let full = |name: &str| -> Result<gix::refs::FullName, DemoError> {
        gix::refs::FullName::try_from(name)
            .map_err(|e| git_err(&path, &format!("bad ref name {name:?}"), e))
    };
    let update = |name: gix::refs::FullName, new: Target| RefEdit {
        change: Change::Update {
            log: LogChange {
                mode: RefLog::AndReference,
                force_create_reflog: false,
                message: "plumb demo".into(),
            },
            expected: PreviousValue::Any,
            new,
        },
        name,
        deref: false,
    };
    let mut edits = vec![
        update(full("refs/heads/main")?, Target::Object(tip)),
        update(full("HEAD")?, Target::Symbolic(full("refs/heads/main")?)),
    ];
    for (i, pr) in tp.prs.iter().enumerate() {
        if pr.merged.is_none()
            && pr.closed.is_none()
            && pr.kind != PrKind::Hotfix
            && let Some(head) = branch_commits[i].last()
        {
            edits.push(update(
                full(&format!("refs/heads/{}", pr.branch))?,
                Target::Object(*head),
            ));
        }
    }
    w.repo
        .edit_references_as(edits, None)
        .map_err(|e| git_err(&path, "cannot write the refs", e))?;

    // The checkout of main.
    let mut files = Vec::new();
    main.walk("", &mut files);
    for (rel, f) in &files {
        let target = path.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| DemoError::io(parent, e))?;
        }
        let mut text = String::new();
        for &l in &f.lines {
            text.push_str(&w.lines.text[l as usize]);
            text.push('\n');
        }
        std::fs::write(&target, text).map_err(|e| DemoError::io(&target, e))?;
    }
    let tree = main
        .tree
        .ok_or_else(|| git_err(&path, "main has no tree", "unwritten"))?;
    let pack = std::mem::replace(&mut w.pack, Pack::new());
    pack.write(&path.join(".git"))
        .map_err(|e| git_err(&path, "cannot write the pack", e))?;
    let repo = gix::open(&path).map_err(|e| git_err(&path, "cannot reopen the repository", e))?;
    let mut index = repo
        .index_from_tree(&tree)
        .map_err(|e| git_err(&path, "cannot build the index", e))?;
    index
        .write(gix::index::write::Options::default())
        .map_err(|e| git_err(&path, "cannot write the index", e))?;

    let config = path.join(".git").join("config");
    let mut text = std::fs::read_to_string(&config).map_err(|e| DemoError::io(&config, e))?;
    text.push_str(&format!(
        "[remote \"origin\"]\n\turl = https://github.com/{}.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
        w.spec.full_repo()
    ));
    std::fs::write(&config, text).map_err(|e| DemoError::io(&config, e))?;
    Ok(())
}
