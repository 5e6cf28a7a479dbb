//! `plumb report`: the five-dimension scorecard.

use crate::cli::{ReportArgs, ReportFormat};
use crate::config::{self, Config};
use crate::ingest_cmd::ingest_all;
use crate::{exit, output, window};
use anyhow::bail;
use plumb_metrics::{CommitFact, Dataset, SourceInventory};
use plumb_report::{RepoMeta, ReportMeta};
use plumb_store::{RepoState, Store};
use plumb_store_sqlite::SqliteStore;
use std::io::IsTerminal;
use std::path::Path;

pub fn run(db: &Path, config: &Config, args: &ReportArgs) -> anyhow::Result<u8> {
    window::validate(
        args.since.as_deref(),
        args.until.as_deref(),
        args.quarter.as_deref(),
    )?;
    let mut store = SqliteStore::open(db)?;
    let outcomes = ingest_all(
        &mut store,
        config,
        &args.repos,
        args.branch.as_deref(),
        args.threads,
    )?;
    let repos: Vec<RepoState> = if args.repos.is_empty() {
        store.repos()?
    } else {
        // Re-read: the states the ingest started from predate its new heads.
        let mut states = Vec::with_capacity(outcomes.len());
        for o in &outcomes {
            states.extend(store.repo_by_path(&o.repo.path)?);
        }
        states
    };
    if repos.is_empty() {
        bail!(
            "{}: the store has no repositories yet: name one, e.g. `plumb report .`",
            db.display()
        );
    }
    let ids: Vec<_> = repos.iter().map(|r| r.id).collect();
    let newest = store.newest_commit_time(&ids)?;
    let window = window::resolve(
        args.since.as_deref(),
        args.until.as_deref(),
        args.quarter.as_deref(),
        newest,
    )?;
    let commits = store
        .commits_between(&ids, window.since, window.until)?
        .into_iter()
        .map(|c| CommitFact {
            repo: c.repo,
            author_key: plumb_model::normalize_email(&c.record.commit.author.email),
            time: c.record.commit.author.time,
            is_merge: c.record.commit.is_merge(),
            files: match c.record.stats {
                plumb_model::FileStats::Files { files } => files,
                _ => Vec::new(),
            },
            id: c.record.commit.id,
            author_class: c.author_class,
            detections: c.detections,
        })
        .collect();
    let dataset = Dataset {
        window: plumb_metrics::Window {
            since: window.since,
            until: window.until,
        },
        commits,
        sources: SourceInventory {
            git_repos: repos.len() as u64,
            ..SourceInventory::default()
        },
    };
    let card = plumb_metrics::compute(&dataset, &config::metrics_config(config));
    let mut repo_meta = Vec::with_capacity(repos.len());
    for r in &repos {
        repo_meta.push(RepoMeta {
            name: r.name.clone(),
            path: r.path.clone(),
            head: r.ingested_head.clone(),
            commits: store.repo_totals(r.id)?.commits,
        });
    }
    let meta = ReportMeta {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        window_label: window.label,
        repos: repo_meta,
    };
    let text = match args.format {
        ReportFormat::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            plumb_report::render_text(&card, &meta, color)
        }
        ReportFormat::Md => plumb_report::render_markdown(&card, &meta),
        ReportFormat::Json => plumb_report::render_json(&card, &meta),
    };
    output::print(&text)?;
    Ok(exit::OK)
}
