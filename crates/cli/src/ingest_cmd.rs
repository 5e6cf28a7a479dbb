//! `plumb ingest`: git history into the store.

use crate::cli::{IngestArgs, IngestFormat};
use crate::config::Config;
use crate::{exit, output, progress};
use anyhow::Context;
use plumb_ingest::{GitOutcome, GitSource};
use plumb_store::Store;
use plumb_store_sqlite::SqliteStore;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn run(db: &Path, config: &Config, args: &IngestArgs) -> anyhow::Result<u8> {
    let mut store = SqliteStore::open(db)?;
    let outcomes = ingest_all(
        &mut store,
        config,
        &args.repos,
        args.branch.as_deref(),
        args.threads,
    )?;
    let text = match args.format {
        IngestFormat::Json => {
            let rows: Vec<IngestJson> = outcomes.iter().map(IngestJson::from).collect();
            format!("{}\n", serde_json::to_string_pretty(&rows)?)
        }
        IngestFormat::Text => outcomes.iter().map(summary_line).collect(),
    };
    output::print(&text)?;
    Ok(exit::OK)
}

/// Ingests every repository in turn with one progress bar; shared with `plumb report`.
pub fn ingest_all(
    store: &mut SqliteStore,
    config: &Config,
    repos: &[PathBuf],
    branch: Option<&str>,
    threads: usize,
) -> anyhow::Result<Vec<GitOutcome>> {
    let catalogue = plumb_provenance::Catalogue::from_config(&config.ai).context("[ai]")?;
    let bar = progress::Bar::new();
    let mut outcomes = Vec::with_capacity(repos.len());
    for path in repos {
        let started = std::time::Instant::now();
        let outcome = plumb_ingest::ingest_git(
            store,
            &catalogue,
            &GitSource {
                path,
                branch,
                threads,
            },
            &bar,
        )?;
        tracing::info!(
            repo = %outcome.repo.name,
            new_commits = outcome.new_commits,
            seconds = started.elapsed().as_secs_f64(),
            "ingested {}",
            store.location()
        );
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// The JSON contract of `plumb ingest --format json`, one object per repository.
#[derive(Debug, Serialize)]
struct IngestJson {
    repo: String,
    path: String,
    head: Option<String>,
    commits: u64,
    merge_commits: u64,
    new_commits: u64,
    lines_added: u64,
    lines_deleted: u64,
    binary_file_changes: u64,
    unknown_file_changes: u64,
    unknown_tree_commits: u64,
    ai_assisted_commits: u64,
    ai_by_tool: BTreeMap<String, u64>,
    ai_review_suggestion_commits: u64,
    bot_commits: u64,
    people: u64,
}

impl From<&GitOutcome> for IngestJson {
    fn from(o: &GitOutcome) -> Self {
        let t = &o.totals;
        IngestJson {
            repo: o.repo.name.clone(),
            path: o.repo.path.clone(),
            head: o.head.clone(),
            commits: t.commits,
            merge_commits: t.merge_commits,
            new_commits: o.new_commits,
            lines_added: t.lines_added,
            lines_deleted: t.lines_deleted,
            binary_file_changes: t.binary_file_changes,
            unknown_file_changes: t.unknown_file_changes,
            unknown_tree_commits: t.unknown_trees,
            ai_assisted_commits: t.ai_assisted_commits,
            ai_by_tool: t.ai_by_tool.iter().cloned().collect(),
            ai_review_suggestion_commits: t.ai_review_suggestion_commits,
            bot_commits: t.bot_commits,
            people: t.people,
        }
    }
}

fn summary_line(o: &GitOutcome) -> String {
    let t = &o.totals;
    let head = o
        .head
        .as_deref()
        .map_or("no commits", |h| &h[..h.len().min(12)]);
    let mut line = format!(
        "{}: {} commits ({} new), {} merges, +{} −{} lines, {} people, head {head}\n",
        o.repo.name,
        t.commits,
        o.new_commits,
        t.merge_commits,
        t.lines_added,
        t.lines_deleted,
        t.people
    );
    if t.ai_assisted_commits > 0 {
        let tools: Vec<String> = t
            .ai_by_tool
            .iter()
            .map(|(tool, n)| format!("{tool} {n}"))
            .collect();
        line.push_str(&format!(
            "  AI-assisted commits: {} ({}) — a lower bound: signatures can be switched off\n",
            t.ai_assisted_commits,
            tools.join(", ")
        ));
    } else {
        line.push_str("  AI-assisted commits: none found in commit signatures\n");
    }
    if t.ai_review_suggestion_commits > 0 {
        line.push_str(&format!(
            "  commits applying AI review suggestions: {}\n",
            t.ai_review_suggestion_commits
        ));
    }
    if t.bot_commits > 0 {
        line.push_str(&format!(
            "  bot commits (not counted as people): {}\n",
            t.bot_commits
        ));
    }
    if t.unknown_file_changes > 0 || t.unknown_trees > 0 {
        line.push_str(&format!(
            "  unknown lines: {} file changes and {} commits whose objects are missing (partial or damaged clone)\n",
            t.unknown_file_changes, t.unknown_trees
        ));
    }
    if o.reclassified > 0 {
        line.push_str(&format!(
            "  provenance recomputed for {} stored commits (signature catalogue changed)\n",
            o.reclassified
        ));
    }
    line
}
