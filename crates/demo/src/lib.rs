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

/// Where and from which seed to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The folder to write into; it must not exist or be empty.
    pub dir: PathBuf,
    pub seed: u64,
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
    let dir = &opts.dir;
    prepare(dir)?;
    let people = org::roster(opts.seed);
    let plan = plan::plan(opts.seed, &people);

    // One writer per repository; they share nothing but read-only plan data.
    let repos = std::thread::scope(|s| {
        let handles: Vec<_> = org::TEAMS
            .iter()
            .enumerate()
            .map(|(t, spec)| {
                let (people, team) = (&people, &plan.teams[t]);
                s.spawn(move || gitwrite::write_repo(dir, opts.seed, t, spec, people, team))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(DemoError::Writer {
                        path: dir.join("repos"),
                    })
                })
            })
            .collect::<Result<Vec<_>, _>>()
    })?;

    let written = outputs::write_all(dir, opts.seed, &people, &plan, &repos)?;
    let planted = planted::compute(opts.seed, &people, &plan, &repos, &written);
    let config = dir.join("plumb.toml");
    outputs::write_config(&config, opts.seed, &people)?;
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
