//! `plumb report`: the five-dimension scorecard.

use crate::cli::{ReportArgs, ReportFormat};
use crate::config::{self, Config};
use crate::ingest_cmd::ingest_all;
use crate::{exit, output, window};
use anyhow::bail;
use plumb_metrics::{CommitFact, Dataset, Records, SourceInventory};
use plumb_model::records::{Record, RecordKind};
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
        // The baseline window (the equally long period before) too: line-based baselines
        // need its changed lines.
        .commits_between(
            &ids,
            window.since - (window.until - window.since),
            window.until,
        )?
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
    let dataset = load_dataset(
        &store,
        config,
        repos.len() as u64,
        commits,
        plumb_metrics::Window {
            since: window.since,
            until: window.until,
        },
    )?;
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

/// The imported records and the commit graph around the window's commits.
pub fn load_dataset(
    store: &dyn Store,
    config: &Config,
    git_repos: u64,
    commits: Vec<CommitFact>,
    window: plumb_metrics::Window,
) -> anyhow::Result<Dataset> {
    let mut records = Records::default();
    // `[[teams]]` in plumb.toml: a team with its rollout date, unless an imported teams
    // file says otherwise (imported records are the newer word).
    let mut config_teams = Vec::with_capacity(config.teams.len());
    let mut teams_from_config = Vec::new();
    for t in &config.teams {
        config_teams.push(plumb_link::TeamMembers {
            name: t.name.clone(),
            members: t.members.clone(),
        });
        teams_from_config.push(plumb_model::records::Team {
            team: t.name.clone(),
            ai_rollout_date: t
                .ai_rollout_date
                .as_deref()
                .and_then(|d| plumb_import::tabular::parse_date(d).ok()),
            profile: None,
            parent: None,
        });
    }
    for kind in RecordKind::ALL {
        for r in store.records(kind)? {
            match r.record {
                Record::People(x) => records.people.push(x),
                Record::Teams(x) => records.teams.push(x),
                Record::WorkItems(x) => records.work_items.push(x),
                Record::PullRequests(x) => records.pull_requests.push(x),
                Record::Reviews(x) => records.reviews.push(x),
                Record::Checks(x) => records.checks.push(x),
                Record::Deployments(x) => records.deployments.push(x),
                Record::Incidents(x) => records.incidents.push(x),
                Record::AiUsage(x) => records.ai_usage.push(x),
                Record::Survey(x) => records.survey.push(x),
                Record::Skills(x) => records.skills.push(x),
                Record::Costs(x) => records.costs.push(x),
                Record::Kpis(x) => records.kpis.push(x),
                Record::Findings(x) => records.findings.push(x),
            }
        }
    }
    for team in teams_from_config {
        match records.teams.iter_mut().find(|t| t.team == team.team) {
            Some(imported) => {
                if imported.ai_rollout_date.is_none() {
                    imported.ai_rollout_date = team.ai_rollout_date;
                }
            }
            None => records.teams.push(team),
        }
    }
    let sources = SourceInventory::of(&records, git_repos);
    let stored_graph = store.commit_graph()?;
    let ai_assisted = stored_graph
        .iter()
        .filter(|c| c.is_ai_assisted)
        .map(|c| c.id.clone())
        .collect();
    let graph = stored_graph
        .into_iter()
        .map(|c| plumb_link::CommitNode {
            repo: c.repo,
            id: c.id,
            parents: c.parents,
            author_email: c.author_key,
            author_time: c.author_time,
        })
        .collect();
    Ok(Dataset {
        window,
        commits,
        sources,
        records,
        graph,
        ai_assisted,
        config_teams,
    })
}
