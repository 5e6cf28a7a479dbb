//! The command-line surface: the contract scripts and CI rely on.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "plumb",
    version,
    about = "Measure whether AI coding tools make your engineering organisation more productive",
    long_about = "plumb reads your own git history (and, later, forge, tracker, incident, survey and cost data) \
into a local store and reports the five dimensions — adoption, process impact, quality & sustainability, \
business outcomes, cost efficiency — honestly: a metric without data says why, never 0.\n\n\
Exit codes: 0 ok, 1 a failed check, 2 an error."
)]
pub struct Cli {
    /// The SQLite store to use (default: .plumb/plumb.db next to plumb.toml, or in the current folder).
    #[arg(long, global = true, value_name = "PATH", env = "PLUMB_DB")]
    pub db: Option<PathBuf>,

    /// The configuration file (default: ./plumb.toml when it exists; none is needed).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Log what plumb does to stderr (-v info, -vv debug, -vvv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read git repositories' history into the store (incremental: only new commits are read).
    Ingest(IngestArgs),
    /// Print the five-dimension scorecard (ingesting the named repositories first).
    Report(ReportArgs),
    /// Print the phase assessment (0–5): every criterion ✓/✗ with its evidence, and the next
    /// steps (the same window flags as report; --format text, md or json).
    Phase(ReportArgs),
    /// CI gate for AI-assisted changes: applies the risk zones' policies to a git range or a
    /// pull request (exit 0 pass, 1 blocked: fail or needs-approval, 2 error).
    Gate(GateArgs),
    /// Show which zone, and which rule, each path falls in (no path: list the zones).
    Zones(ZonesArgs),
    /// Import records from files: people, teams, work-items, pull-requests, reviews, checks,
    /// deployments, incidents, ai-usage, survey, skills, costs, kpis (CSV or NDJSON),
    /// findings (SARIF 2.1.0), a11y (axe-core JSON), copilot-metrics (GitHub Copilot metrics).
    /// Each file is imported whole or not at all; re-importing it changes nothing.
    Import(ImportArgs),
    /// Generate a demo organisation (git repositories and one file per import kind, with a
    /// documented story), ingest and import it through the normal paths into its own store,
    /// and print its scorecard.
    Demo(DemoArgs),
    /// Save a quarter's scorecard in the store (the latest complete quarter by default), or
    /// list the saved ones with --list. Phase 5 asks for two or more, with the targets
    /// reviewed between them.
    Snapshot(SnapshotArgs),
    /// Write a commented plumb.toml with every key and its default into the current folder
    /// (or to --config PATH); refuses to overwrite one without --force.
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Repositories to ingest first and snapshot (default: every repository in the store).
    #[arg(value_name = "REPO", conflicts_with = "list")]
    pub repos: Vec<PathBuf>,

    /// The calendar quarter, e.g. 2026-Q3 or 2026Q3 (default: the latest quarter that is
    /// complete at the newest stored commit, i.e. whose last day has data or is past).
    #[arg(long, value_name = "YYYY-Qn", conflicts_with = "list")]
    pub quarter: Option<String>,

    /// Record that the targets were reviewed before this snapshot was taken.
    #[arg(long, conflicts_with = "list")]
    pub targets_reviewed: bool,

    /// Replace the quarter's snapshot when one is already saved.
    #[arg(long, conflicts_with = "list")]
    pub replace: bool,

    /// List the saved snapshots (scores, whether targets were reviewed, how many targets
    /// changed since the previous one) instead of taking one.
    #[arg(long)]
    pub list: bool,

    #[arg(long, value_enum, default_value_t = SnapshotFormat::Text)]
    pub format: SnapshotFormat,

    /// Read this branch or revision instead of HEAD when ingesting.
    #[arg(long, value_name = "REV", conflicts_with = "list")]
    pub branch: Option<String>,

    /// Reading threads when ingesting (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SnapshotFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Start from an industry profile: its scorecard weights, tighter targets and its risk
    /// zones (the `plumb gate --preset` of the same name) are written active.
    #[arg(long, value_name = "NAME", value_parser = ["saas", "fintech", "healthcare", "consumer"])]
    pub profile: Option<String>,

    /// Overwrite an existing plumb.toml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the organisation; its store is DIR/.plumb/plumb.db unless --db is given.
    #[arg(long, value_name = "DIR", default_value = "plumb-demo")]
    pub dir: PathBuf,

    /// The seed: the same seed gives the same organisation, byte for byte.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,

    /// Copies of the organisation's six teams (payments, payments-2, …), each with its own
    /// repositories, people and records and the same story: for benchmarks at scale.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub scale: u32,

    /// How to print the scorecard at the end.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the files hold.
    #[arg(value_name = "KIND", value_parser = import_kinds())]
    pub kind: String,

    /// The files (each one its own transaction).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The tabular encoding when the extension does not say (.csv, .ndjson, .jsonl).
    #[arg(long, value_enum)]
    pub format: Option<TableFormatArg>,

    /// Ignore columns this kind does not have instead of refusing the file.
    #[arg(long)]
    pub allow_extra: bool,

    /// Validate and show what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// For findings: what the SARIF results are about (default: security when the rule says
    /// so, else quality).
    #[arg(long = "kind", value_name = "KIND", value_parser = ["security", "quality", "design"])]
    pub finding_kind: Option<String>,

    /// When the scan ran, for SARIF / axe files that do not say (RFC 3339, e.g. 2026-03-04T09:15:00Z).
    #[arg(long, value_name = "TIMESTAMP")]
    pub scanned_at: Option<String>,

    /// For copilot-metrics: the team the telemetry belongs to (default: the whole organisation).
    #[arg(long, value_name = "NAME")]
    pub team: Option<String>,

    #[arg(long, value_enum, default_value_t = IngestFormat::Text)]
    pub output: IngestFormat,
}

fn import_kinds() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        plumb_import::ImportKind::all()
            .into_iter()
            .map(|k| clap::builder::PossibleValue::new(k.as_str())),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormatArg {
    Csv,
    Ndjson,
}

#[derive(Debug, Args)]
pub struct GateArgs {
    /// The base of the change: its commits are those reachable from --head and not from it.
    #[arg(long, value_name = "REV", requires = "head", conflicts_with = "event")]
    pub base: Option<String>,

    /// The tip of the change.
    #[arg(long, value_name = "REV", requires = "base", conflicts_with = "event")]
    pub head: Option<String>,

    /// A GitHub `pull_request` or `pull_request_review` event payload (e.g. "$GITHUB_EVENT_PATH"):
    /// base and head shas and the labels come from it.
    #[arg(long, value_name = "FILE", required_unless_present = "base")]
    pub event: Option<PathBuf>,

    /// The pull request's reviews as GitHub's REST API lists them
    /// (`gh api repos/OWNER/REPO/pulls/N/reviews`): the latest review of each user counts,
    /// APPROVED ones are approvals.
    #[arg(long, value_name = "FILE")]
    pub reviews: Option<PathBuf>,

    /// Approvals known from elsewhere (e.g. GitLab's approvals API), added to --reviews.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub approvals: u32,

    /// A label on the change (repeatable), on top of the event's labels.
    #[arg(long = "label", value_name = "LABEL")]
    pub labels: Vec<String>,

    /// The repository (default: the current folder).
    #[arg(long, value_name = "PATH", default_value = ".")]
    pub repo: PathBuf,

    /// Use a built-in zone preset instead of the defaults (not with [[zones]] in plumb.toml).
    #[arg(long, value_name = "NAME", value_parser = ["saas", "fintech", "healthcare", "consumer"])]
    pub preset: Option<String>,

    #[arg(long, value_enum, default_value_t = GateFormat::Text)]
    pub format: GateFormat,

    /// Reading threads (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GateFormat {
    Text,
    Json,
    /// GitHub Actions annotations on stdout, plus a job summary appended to
    /// $GITHUB_STEP_SUMMARY when it is set.
    Github,
}

#[derive(Debug, Args)]
pub struct ZonesArgs {
    /// Paths relative to the repository root.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    /// Use a built-in zone preset instead of the defaults.
    #[arg(long, value_name = "NAME", value_parser = ["saas", "fintech", "healthcare", "consumer"])]
    pub preset: Option<String>,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Repositories to ingest (a working tree, any folder inside one, or a bare repository).
    #[arg(required = true, value_name = "REPO")]
    pub repos: Vec<PathBuf>,

    /// Read this branch or revision instead of HEAD.
    #[arg(long, value_name = "REV")]
    pub branch: Option<String>,

    /// Reading threads (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,

    #[arg(long, value_enum, default_value_t = IngestFormat::Text)]
    pub format: IngestFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IngestFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Repositories to ingest and report on (default: every repository in the store).
    #[arg(value_name = "REPO")]
    pub repos: Vec<PathBuf>,

    /// Read this branch or revision instead of HEAD when ingesting.
    #[arg(long, value_name = "REV")]
    pub branch: Option<String>,

    /// First day of the window (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE", conflicts_with = "quarter")]
    pub since: Option<String>,

    /// Last day of the window, included (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE", conflicts_with = "quarter")]
    pub until: Option<String>,

    /// A calendar quarter such as 2026Q3 (or 2026-Q3).
    #[arg(long, value_name = "YYYYQn")]
    pub quarter: Option<String>,

    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// Reading threads when ingesting (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Md,
    Json,
    /// One row per metric and period (docs/html-report.md).
    Csv,
    /// One self-contained page with inline SVG charts.
    Html,
}
