//! `plumb report`: the five-dimension scorecard.

use crate::cli::{ReportArgs, ReportFormat};
use crate::config::{self, Config};
use crate::ingest_cmd::ingest_all;
use crate::{exit, output, window};
use anyhow::bail;
use plumb_metrics::{
    CommitFact, Dataset, GateFact, PhaseInputs, Records, SnapshotFact, SourceInventory, Teardown,
};
use plumb_model::records::RecordKind;
use plumb_report::{RepoMeta, ReportMeta};
use plumb_store::{GraphCommit, RecordList, RepoState, Store};
use plumb_store_sqlite::SqliteStore;
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::Path;

pub fn run(db: &Path, config: &Config, args: &ReportArgs) -> anyhow::Result<u8> {
    let Computed {
        card,
        analysis,
        meta,
    } = computed(db, config, args)?;
    let text = match args.format {
        ReportFormat::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            plumb_report::render_text(&card, Some(&analysis), &meta, color)
        }
        ReportFormat::Md => plumb_report::render_markdown(&card, Some(&analysis), &meta),
        ReportFormat::Json => plumb_report::render_json(&card, Some(&analysis), &meta),
        ReportFormat::Csv => plumb_report::render_csv(&card, Some(&analysis), &meta),
        ReportFormat::Html => plumb_report::render_html(&card, Some(&analysis), &meta),
    };
    output::print(&text)?;
    Ok(exit::OK)
}

/// `plumb phase`: the phase assessment of the report's window alone.
pub fn run_phase(db: &Path, config: &Config, args: &ReportArgs) -> anyhow::Result<u8> {
    let text = match args.format {
        ReportFormat::Text | ReportFormat::Md | ReportFormat::Json => {
            let phase = computed(db, config, args)?.analysis.phase;
            match args.format {
                ReportFormat::Md => plumb_report::render_phase_markdown(&phase),
                ReportFormat::Json => {
                    let mut s = serde_json::to_string_pretty(&phase)?;
                    s.push('\n');
                    s
                }
                _ => plumb_report::render_phase_text(&phase),
            }
        }
        ReportFormat::Csv | ReportFormat::Html => bail!(
            "plumb phase prints text, md or json; the csv and html reports of `plumb report` carry the phase"
        ),
    };
    output::print(&text)?;
    Ok(exit::OK)
}

/// Ingests, resolves the window and computes the report `args` asks for.
fn computed(db: &Path, config: &Config, args: &ReportArgs) -> anyhow::Result<Computed> {
    window::validate(
        args.since.as_deref(),
        args.until.as_deref(),
        args.quarter.as_deref(),
    )?;
    let mut store = SqliteStore::open(db)?;
    let repos = ingest_and_list(
        &mut store,
        db,
        config,
        &args.repos,
        args.branch.as_deref(),
        args.threads,
        "report",
    )?;
    let ids: Vec<_> = repos.iter().map(|r| r.id).collect();
    let newest = store.newest_commit_time(&ids)?;
    let window = window::resolve(
        args.since.as_deref(),
        args.until.as_deref(),
        args.quarter.as_deref(),
        newest,
    )?;
    compute_report(
        &mut store,
        config,
        &repos,
        &window,
        args.branch.as_deref(),
        args.threads,
        None,
        Teardown::Exit,
    )
}

/// Ingests the named repositories (incrementally) and returns the repositories a report
/// covers: those named, else every stored one. An empty store is an error that says how
/// to name one (`plumb COMMAND .`).
pub fn ingest_and_list(
    store: &mut SqliteStore,
    db: &Path,
    config: &Config,
    named: &[std::path::PathBuf],
    branch: Option<&str>,
    threads: usize,
    command: &str,
) -> anyhow::Result<Vec<RepoState>> {
    let outcomes = ingest_all(store, config, named, branch, threads)?;
    let repos: Vec<RepoState> = if named.is_empty() {
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
            "{}: the store has no repositories yet: name one, e.g. `plumb {command} .`",
            db.display()
        );
    }
    Ok(repos)
}

/// A report's figures, before rendering.
pub struct Computed {
    pub card: plumb_metrics::Scorecard,
    pub analysis: plumb_metrics::Analysis,
    pub meta: ReportMeta,
}

/// The scorecard and analysis of `window` over the stored `repos`, as `plumb report` and
/// `plumb snapshot` both compute them: the window's commits with the history the baselines
/// and trends need, every imported record, line survival (final facts from the store, the
/// rest read from the repositories and the newly final facts saved: the one write), and
/// the phase inputs (zones, gate decisions, snapshots; `skip_snapshot` leaves out the
/// snapshot of that quarter, so that a snapshot's report does not count itself).
/// `teardown` says what becomes of the loaded data and what the metrics built from it
/// ([`Teardown::Exit`] for a command that ends once the report is out).
#[allow(clippy::too_many_arguments)]
pub fn compute_report(
    store: &mut SqliteStore,
    config: &Config,
    repos: &[RepoState],
    window: &window::Window,
    branch: Option<&str>,
    threads: usize,
    skip_snapshot: Option<&str>,
    teardown: Teardown,
) -> anyhow::Result<Computed> {
    let ids: Vec<_> = repos.iter().map(|r| r.id).collect();
    let started = std::time::Instant::now();
    // Three reads that share nothing, each on its own connection and thread: the records;
    // the commits and the commit graph (this thread), then the graph indexed for linking;
    // and line survival, which needs the graph only when a head moved (it then waits for
    // this thread's). Together they keep both cores busy until the last one ends.
    let records_store = store.reopen()?;
    let mut churn_store = store.reopen()?;
    let churn_since = window.since - (window.until - window.since);
    // The graph's nodes, once read (`None`: they could not be).
    let nodes: std::sync::OnceLock<Option<Vec<plumb_link::CommitNode>>> =
        std::sync::OnceLock::new();
    let (commits, ai_assisted, records, churn) = std::thread::scope(|scope| {
        let records = scope.spawn(move || read_records(&records_store));
        let churn = scope.spawn(|| {
            let churn_started = std::time::Instant::now();
            let graph = || nodes.wait().as_deref();
            let churn = crate::churn::read_churn(
                &mut churn_store,
                repos,
                &graph,
                branch,
                threads,
                churn_since,
                window.until,
            );
            if let Ok(churn) = &churn {
                tracing::info!(
                    commits = churn.facts.as_ref().map_or(0, Vec::len),
                    saved = churn.saved,
                    seconds = churn_started.elapsed().as_secs_f64(),
                    "report: line survival: {} commits from the store, {} read from git",
                    churn.from_store,
                    churn.from_git
                );
            }
            churn
        });
        // The history before the window too: line-based baselines need the baseline
        // window's changed lines, and the trends the months before it.
        let history = store.commits_and_graph(
            &ids,
            history_start(window.since, window.until),
            window.until,
        );
        let history = match history {
            Ok(history) => history,
            Err(e) => {
                // Line survival must not wait for a graph that will not come.
                let _ = nodes.set(None);
                return Err(e.into());
            }
        };
        tracing::info!(
            commits = history.commit_count(),
            graph = history.graph_len(),
            seconds = started.elapsed().as_secs_f64(),
            "report: commits and commit graph loaded"
        );
        // The commits as the metrics take them, on a thread of their own, while this one
        // gathers the graph's nodes (and the records may still be loading: none of these
        // needs them).
        let facts = scope.spawn(move || commit_facts(history.commit_runs));
        let (graph, ai_assisted) = graph_nodes(history.graph_runs);
        let _ = nodes.set(Some(graph));
        let commits = joined(facts);
        let churn = joined(churn)?;
        let records = joined(records)?;
        anyhow::Ok((commits, ai_assisted, records, churn))
    })?;
    let graph = nodes.into_inner().flatten().unwrap_or_default();
    tracing::info!(
        pull_requests = records.pull_requests.len(),
        seconds = started.elapsed().as_secs_f64(),
        "report: records loaded (alongside the commits and line survival)"
    );
    let mut dataset = load_dataset(
        config,
        repos.len() as u64,
        commits,
        (graph, ai_assisted),
        records,
        plumb_metrics::Window {
            since: window.since,
            until: window.until,
        },
    );
    dataset.churn = churn.facts;
    let mut inputs = phase_inputs(&*store, config)?;
    if let Some(q) = skip_snapshot {
        inputs.snapshots.retain(|s| s.quarter != q);
    }
    let metrics_started = std::time::Instant::now();
    // The commit graph is indexed for linking on a thread of its own while the metrics
    // begin with what needs no graph; they wait for it when they need it. `None` when the
    // indexing failed: the metrics then index it themselves.
    let indexed: std::sync::OnceLock<Option<plumb_link::CommitGraph>> = std::sync::OnceLock::new();
    let metrics_config = config::metrics_config(config);
    let (card, analysis) = std::thread::scope(|scope| {
        scope.spawn(|| {
            let graph = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                plumb_link::CommitGraph::from_nodes(&dataset.graph)
            }));
            if graph.is_ok() {
                tracing::info!(
                    seconds = started.elapsed().as_secs_f64(),
                    "report: commit graph indexed"
                );
            }
            let _ = indexed.set(graph.ok());
        });
        let graph = || indexed.wait().as_ref();
        plumb_metrics::compute_with_analysis_indexing(
            &dataset,
            &graph,
            &metrics_config,
            &inputs,
            teardown,
        )
    });
    tracing::info!(
        seconds = metrics_started.elapsed().as_secs_f64(),
        "report: metrics and analysis computed"
    );
    // Freeing millions of small records takes a noticeable share of a large report: it
    // happens on another thread while this one renders, or not at all when the process
    // ends with the report (the operating system takes the memory back at once).
    let loaded = (dataset, indexed.into_inner());
    match teardown {
        Teardown::Free => drop(std::thread::spawn(move || drop(loaded))),
        Teardown::Exit => std::mem::forget(loaded),
    }
    let mut repo_meta = Vec::with_capacity(repos.len());
    for r in repos {
        repo_meta.push(RepoMeta {
            name: r.name.clone(),
            path: r.path.clone(),
            head: r.ingested_head.clone(),
            commits: store.repo_totals(r.id)?.commits,
        });
    }
    let meta = ReportMeta {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        window_label: window.label.clone(),
        repos: repo_meta,
    };
    Ok(Computed {
        card,
        analysis,
        meta,
    })
}

/// What a scoped thread returned; its panic goes on in this thread.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match handle.join() {
        Ok(done) => done,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Where the commits a report needs start: the baseline window's start, or
/// [`plumb_metrics::MAX_TREND_MONTHS`] months before the window's end for the trends,
/// whichever is earlier.
pub fn history_start(since: i64, until: i64) -> i64 {
    let baseline = since - (until - since);
    let months = i64::from(plumb_metrics::MAX_TREND_MONTHS) * 31 * 86_400;
    baseline.min(until - months)
}

/// What the phase assessment needs from the configuration and the store.
pub fn phase_inputs(store: &dyn Store, config: &Config) -> anyhow::Result<PhaseInputs> {
    Ok(PhaseInputs {
        zones_configured: config.zones.as_ref().map_or(0, |z| z.len() as u64),
        gate_decisions: store
            .gate_decisions()?
            .into_iter()
            .map(|g| GateFact {
                repo: g.repo,
                head: g.head,
                decided_at: g.decided_at,
            })
            .collect(),
        snapshots: store
            .snapshots()?
            .into_iter()
            .map(|s| SnapshotFact {
                quarter: s.quarter,
                taken_at: s.taken_at,
                targets_reviewed: s.targets_reviewed,
                targets: s.targets,
            })
            .collect(),
    })
}

/// Every imported record in the store, each kind in key order. The two kinds that are the
/// largest in any organisation (AI usage: a row per person or team, tool, capability and
/// day; checks: a row per check run of a commit) are read each on a connection and thread
/// of its own while this one reads the others.
pub fn read_records(store: &SqliteStore) -> Result<Records, plumb_store::StoreError> {
    const APART: [RecordKind; 2] = [RecordKind::AiUsage, RecordKind::Checks];
    let apart = APART
        .iter()
        .map(|&kind| Ok((kind, store.reopen()?)))
        .collect::<Result<Vec<_>, plumb_store::StoreError>>()?;
    std::thread::scope(|scope| {
        let handles: Vec<_> = apart
            .into_iter()
            .map(|(kind, store)| scope.spawn(move || store.record_list(kind)))
            .collect();
        let mut records = Records::default();
        for kind in RecordKind::ALL {
            if !APART.contains(&kind) {
                put_list(&mut records, store.record_list(kind)?);
            }
        }
        for handle in handles {
            put_list(&mut records, joined(handle)?);
        }
        Ok(records)
    })
}

/// Puts a kind's records where they belong.
fn put_list(records: &mut Records, list: RecordList) {
    match list {
        RecordList::People(x) => records.people = x,
        RecordList::Teams(x) => records.teams = x,
        RecordList::WorkItems(x) => records.work_items = x,
        RecordList::PullRequests(x) => records.pull_requests = x,
        RecordList::Reviews(x) => records.reviews = x,
        RecordList::Checks(x) => records.checks = x,
        RecordList::Deployments(x) => records.deployments = x,
        RecordList::Incidents(x) => records.incidents = x,
        RecordList::AiUsage(x) => records.ai_usage = x,
        RecordList::Survey(x) => records.survey = x,
        RecordList::Skills(x) => records.skills = x,
        RecordList::Costs(x) => records.costs = x,
        RecordList::Kpis(x) => records.kpis = x,
        RecordList::Findings(x) => records.findings = x,
    }
}

/// The window's commits as the metrics take them.
fn commit_facts(runs: Vec<Vec<plumb_store::CommitSummary>>) -> Vec<CommitFact> {
    let mut facts = Vec::with_capacity(runs.iter().map(Vec::len).sum());
    // Each run is freed once it is read.
    for run in runs {
        facts.extend(run.into_iter().map(|c| CommitFact {
            repo: c.repo,
            author_key: c.author_key,
            time: c.author_time,
            is_merge: c.is_merge,
            files: match c.stats {
                plumb_model::FileStats::Files { files } => files,
                _ => Vec::new(),
            },
            id: c.id,
            author_class: c.author_class,
            detections: c.detections,
        }));
    }
    facts
}

/// The stored commit graph as the linker takes it, and the ids of its AI-assisted commits.
fn graph_nodes(runs: Vec<Vec<GraphCommit>>) -> (Vec<plumb_link::CommitNode>, BTreeSet<String>) {
    let ai_assisted = runs
        .iter()
        .flatten()
        .filter(|c| c.is_ai_assisted)
        .map(|c| c.id.to_string())
        .collect();
    let mut graph = Vec::with_capacity(runs.iter().map(Vec::len).sum());
    // Each run is freed once it is read.
    for run in runs {
        graph.extend(run.into_iter().map(|c| plumb_link::CommitNode {
            repo: c.repo,
            id: c.id,
            parents: c.parents,
            author_email: c.author_key,
            author_time: c.author_time,
        }));
    }
    (graph, ai_assisted)
}

/// The dataset of the window's commits: the imported records ([`read_records`]) with the
/// teams of the configuration, and the commit graph (`Store::commits_and_graph`) around the
/// commits.
pub fn load_dataset(
    config: &Config,
    git_repos: u64,
    commits: Vec<CommitFact>,
    (graph, ai_assisted): (Vec<plumb_link::CommitNode>, BTreeSet<String>),
    mut records: Records,
    window: plumb_metrics::Window,
) -> Dataset {
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
    Dataset {
        window,
        commits,
        sources,
        records,
        graph,
        ai_assisted,
        config_teams,
        churn: None,
    }
}
