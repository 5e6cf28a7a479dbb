//! `plumb demo`'s organisation: Acme, six product teams, fifteen months of work, written
//! to disk as real git repositories and one import file per kind.
//!
//! The demo exists so that a new user sees all five dimensions working in one command,
//! through the same code paths their own data takes: this crate writes files and nothing
//! else (no store), and the CLI ingests the repositories and imports the files. It also
//! exists so that plumb's metrics can be checked against a known truth: the effects the
//! generator plants (AI rollout makes coding faster and review and testing slower until
//! governance lands, junior skill growth drops, ROI turns positive around month nine…)
//! are constants of [`story`](crate::story), reported in [`Planted`] and in
//! `PLANTED.json`, and described in `docs/demo.md`.
//!
//! Determinism: the output is a function of the seed alone. Randomness comes from ChaCha8
//! streams derived from the seed and a label per part of the organisation, times come from
//! the plan (never the clock), and every collection that reaches the output is ordered.
//! The same seed gives byte-identical files and identical commit ids.

mod calendar;
mod content;
mod gitwrite;
mod org;
mod outputs;
mod pack;
mod plan;
mod planted;
mod rng;
mod story;
mod words;

pub use planted::Planted;

use std::path::{Path, PathBuf};

/// Where, from which seed and at which scale to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The folder to write into; it must not exist or be empty.
    pub dir: PathBuf,
    pub seed: u64,
    /// Copies of the organisation's six teams (at least 1; 1 is the designed
    /// organisation). Copy `c` > 1 adds `payments-c` … with their own repositories
    /// (`acme/payments-c-service`), key prefixes (`PAYc`), people and edge, and the same
    /// story dates, so every record kind and every repository count grows about
    /// `scale` times. Scale 1 is byte for byte the organisation without copies.
    pub scale: u32,
}

impl DemoOptions {
    /// The designed organisation (scale 1) in `dir` from `seed`.
    pub fn new(dir: impl Into<PathBuf>, seed: u64) -> DemoOptions {
        DemoOptions {
            dir: dir.into(),
            seed,
            scale: 1,
        }
    }
}

/// What was generated, for the CLI to ingest and import in order.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Git repositories to ingest, in order.
    pub repos: Vec<PathBuf>,
    /// (import kind as the CLI spells it, file), in dependency order. Findings carry their
    /// kind after a colon: `findings:security`, `findings:quality`, `findings:design`.
    pub imports: Vec<(String, PathBuf)>,
    /// `plumb.toml` in the folder.
    pub config: PathBuf,
    /// The planted effects, also written to `PLANTED.json`.
    pub planted: Planted,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: git: {message}")]
    Git { path: PathBuf, message: String },
    #[error("{path}: cannot write JSON: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path}: the demo folder is not empty; expected a new or empty folder")]
    NotEmpty { path: PathBuf },
    #[error("{path}: a repository writer stopped unexpectedly")]
    Writer { path: PathBuf },
    #[error("the scale must be at least 1 (copies of the organisation), not {scale}")]
    Scale { scale: u32 },
}

impl DemoError {
    fn io(path: &Path, source: std::io::Error) -> DemoError {
        DemoError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Generates the demo organisation into `opts.dir`.
pub fn generate(opts: &DemoOptions) -> Result<Manifest, DemoError> {
    if opts.scale == 0 {
        return Err(DemoError::Scale { scale: opts.scale });
    }
    let dir = &opts.dir;
    prepare(dir)?;
    let teams = org::teams(opts.scale);
    let people = org::roster(opts.seed, &teams);
    let plan = plan::plan(opts.seed, &teams, &people);
    let repos = write_repos(dir, opts.seed, &teams, &people, &plan)?;

    let written = outputs::write_all(dir, opts.seed, &teams, &people, &plan, &repos)?;
    let planted = planted::compute(opts.seed, &teams, &people, &plan, &repos, &written);
    let config = dir.join("plumb.toml");
    outputs::write_config(&config, opts.seed, &teams, &people)?;
    let planted_path = dir.join("PLANTED.json");
    let mut text = serde_json::to_string_pretty(&planted).map_err(|source| DemoError::Json {
        path: planted_path.clone(),
        source,
    })?;
    text.push('\n');
    std::fs::write(&planted_path, text).map_err(|e| DemoError::io(&planted_path, e))?;

    Ok(Manifest {
        repos: repos.iter().map(|r| r.path.clone()).collect(),
        imports: written.files,
        config,
        planted,
    })
}

/// Writes every team's repository. The writers share nothing but read-only plan data;
/// at most as many run at once as there are teams of one copy or cores, whichever is more
/// (a writer holds its repository's pack in memory until it is written), each taking the
/// next team when it is done. The output does not depend on which writer wrote what.
fn write_repos(
    dir: &Path,
    seed: u64,
    teams: &[org::Team],
    people: &[org::Person],
    plan: &plan::Plan,
) -> Result<Vec<gitwrite::RepoOutput>, DemoError> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let workers = cores.max(org::TEAMS.len()).min(teams.len());
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<gitwrite::RepoOutput, DemoError>>>> =
        Mutex::new((0..teams.len()).map(|_| None).collect());
    let panicked = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    loop {
                        let t = next.fetch_add(1, Ordering::Relaxed);
                        if t >= teams.len() {
                            break;
                        }
                        let out = gitwrite::write_repo(dir, seed, t, teams, people, &plan.teams[t]);
                        let failed = out.is_err();
                        if let Ok(mut r) = results.lock() {
                            r[t] = Some(out);
                        }
                        if failed {
                            // The other writers stop before their next team.
                            next.store(teams.len(), Ordering::Relaxed);
                            break;
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().any(|h| h.join().is_err())
    });
    let writer = || DemoError::Writer {
        path: dir.join("repos"),
    };
    if panicked {
        return Err(writer());
    }
    let results = results.into_inner().map_err(|_| writer())?;
    let mut repos = Vec::with_capacity(teams.len());
    for r in results {
        match r {
            Some(Ok(repo)) => repos.push(repo),
            Some(Err(e)) => return Err(e),
            None => return Err(writer()),
        }
    }
    Ok(repos)
}

/// Creates the folder, or checks that it is empty.
fn prepare(dir: &Path) -> Result<(), DemoError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(DemoError::NotEmpty {
                    path: dir.to_path_buf(),
                });
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| DemoError::io(dir, e))?;
        }
        Err(e) => return Err(DemoError::io(dir, e)),
    }
    for sub in ["repos", "imports"] {
        let p = dir.join(sub);
        std::fs::create_dir_all(&p).map_err(|e| DemoError::io(&p, e))?;
    }
    Ok(())
}
