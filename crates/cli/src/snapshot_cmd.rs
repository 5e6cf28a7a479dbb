//! `plumb snapshot`: saves a quarter's scorecard in the store, and lists the saved ones.
//!
//! Phase 5 of the phase model (PRODUCT.md §7) is reached with "≥ 2 saved quarterly
//! scorecard snapshots with targets reviewed between them". A snapshot is the scorecard
//! `plumb report --quarter Q` prints, computed the same way from the same store, kept with
//! the targets it was judged against: a later change of targets, metrics or plumb version
//! does not rewrite what was reported for that quarter.

use crate::cli::{SnapshotArgs, SnapshotFormat};
use crate::config::Config;
use crate::{exit, output, report_cmd, window};
use anyhow::{Context, bail};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use plumb_metrics::Dimension;
use plumb_report::JsonReport;
use plumb_store::{RepoId, RepoState, Snapshot, SnapshotSaved, Store};
use plumb_store_sqlite::SqliteStore;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The key of the overall score among a snapshot's scores.
const OVERALL: &str = "overall";

pub fn run(db: &Path, config: &Config, args: &SnapshotArgs) -> anyhow::Result<u8> {
    if args.list {
        return list(db, args.format);
    }
    if let Some(q) = &args.quarter {
        window::validate(None, None, Some(q))?;
    }
    let mut store = SqliteStore::open(db)?;
    let repos = report_cmd::ingest_and_list(
        &mut store,
        db,
        config,
        &args.repos,
        args.branch.as_deref(),
        args.threads,
        "snapshot",
    )?;
    let ids: Vec<RepoId> = repos.iter().map(|r| r.id).collect();
    let newest = store.newest_commit_time(&ids)?;
    let quarter = match &args.quarter {
        Some(q) => Quarter::parse(q)?,
        None => match newest {
            Some(n) => Quarter::latest_complete_at(n)?,
            None => bail!(
                "no commits stored for {}: nothing to snapshot",
                repo_names(&repos)
            ),
        },
    };
    let label = quarter.to_string();
    let window = window::resolve(None, None, Some(&label), newest)?;
    // Complete means the newest commit is from the quarter's last day or later (the rule
    // of the default quarter).
    if let Some(n) = newest
        && day_after(n)? < window.until
    {
        eprintln!(
            "warning: {label} is not complete: the newest commit is from {}",
            day_of(n)
        );
    }

    // Exactly as `plumb report --quarter` computes it.
    let report_cmd::Computed {
        card,
        analysis,
        meta,
    } = report_cmd::compute_report(
        &mut store,
        config,
        &repos,
        &window,
        args.branch.as_deref(),
        args.threads,
        Some(&label),
        plumb_metrics::Teardown::Exit,
    )?;
    let a = &card.activity;
    if a.commits + a.merge_commits + a.bot_commits == 0 {
        bail!(
            "no commits in {label} ({}) for {}: choose a quarter with data with --quarter",
            window.label,
            repo_names(&repos)
        );
    }
    let report_json = plumb_report::render_json(&card, Some(&analysis), &meta);
    // The targets as the report displays them: read back from the report itself, so the
    // snapshot and its report can never disagree on a label.
    let report: JsonReport = serde_json::from_str(&report_json)
        .context("the JSON report could not be read back to take its targets")?;
    let targets = report
        .metrics
        .iter()
        .filter_map(|m| m.target.as_ref().map(|t| (m.id.clone(), t.label.clone())))
        .collect();
    // Scores from the scorecard itself: reading them back from the JSON could lose the last
    // bit (serde_json parses floats to within one ulp).
    let mut scores: BTreeMap<String, Option<f64>> = card
        .dimensions
        .iter()
        .map(|d| (d.dimension.name().to_string(), d.score))
        .collect();
    scores.insert(OVERALL.to_string(), card.overall.score);

    let snapshot = Snapshot {
        quarter: label,
        since: window.since,
        until: window.until,
        taken_at: jiff::Timestamp::now().as_second(),
        tool_version: meta.tool_version.clone(),
        targets_reviewed: args.targets_reviewed,
        targets,
        scores,
        report_json,
    };
    let saved = store.save_snapshot(&snapshot, args.replace)?;
    let text = match args.format {
        SnapshotFormat::Text => {
            let verb = match saved {
                SnapshotSaved::Inserted => "saved",
                SnapshotSaved::Replaced => "replaced",
            };
            format!(
                "{verb} snapshot {}: {}; targets reviewed: {}\n",
                snapshot.quarter,
                score_line(&snapshot.scores),
                yes_no(snapshot.targets_reviewed)
            )
        }
        SnapshotFormat::Json => saved_json(
            match saved {
                SnapshotSaved::Inserted => "inserted",
                SnapshotSaved::Replaced => "replaced",
            },
            &snapshot,
        )?,
    };
    output::print(&text)?;
    Ok(exit::OK)
}

/// `plumb snapshot --list`.
fn list(db: &Path, format: SnapshotFormat) -> anyhow::Result<u8> {
    // Listing never creates a store: a store that does not exist has no snapshots.
    let snapshots = if db.exists() {
        SqliteStore::open(db)?.snapshots()?
    } else {
        Vec::new()
    };
    let changes: Vec<Option<u64>> = std::iter::once(None)
        .chain(
            snapshots
                .windows(2)
                .map(|pair| Some(targets_changed(&pair[0].targets, &pair[1].targets))),
        )
        .collect();
    let text = match format {
        SnapshotFormat::Json => to_json(&ListJson {
            snapshots: snapshots
                .iter()
                .zip(&changes)
                .map(|(s, c)| SnapshotJson::of(s, Some(*c)))
                .collect(),
        })?,
        SnapshotFormat::Text => list_text(&snapshots, &changes),
    };
    output::print(&text)?;
    Ok(exit::OK)
}

fn list_text(snapshots: &[Snapshot], changes: &[Option<u64>]) -> String {
    if snapshots.is_empty() {
        return "no snapshots saved yet: take one with `plumb snapshot`\n".to_string();
    }
    let mut header = vec![
        "quarter".to_string(),
        "taken at (UTC)".to_string(),
        OVERALL.to_string(),
    ];
    header.extend(Dimension::ALL.iter().map(|d| d.as_str().to_string()));
    header.extend([
        "targets reviewed".to_string(),
        "targets changed".to_string(),
    ]);
    let mut rows = vec![header];
    for (i, (s, changed)) in snapshots.iter().zip(changes).enumerate() {
        let mut row = vec![
            s.quarter.clone(),
            minute_of(s.taken_at),
            score_of(s, OVERALL),
        ];
        row.extend(Dimension::ALL.iter().map(|d| score_of(s, d.name())));
        row.push(yes_no(s.targets_reviewed).to_string());
        row.push(
            match (changed, i.checked_sub(1).and_then(|p| snapshots.get(p))) {
                (Some(n), Some(previous)) => format!("{n} since {}", previous.quarter),
                _ => "—".to_string(),
            },
        );
        rows.push(row);
    }
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = format!("Snapshots ({})\n", snapshots.len());
    for row in &rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            let _ = write!(line, "{cell}{}  ", " ".repeat(width - cell.chars().count()));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// How many metrics' targets differ between two snapshots: changed, added or removed.
fn targets_changed(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> u64 {
    let changed_or_removed = before
        .iter()
        .filter(|(id, label)| after.get(*id) != Some(*label))
        .count();
    let added = after.keys().filter(|id| !before.contains_key(*id)).count();
    (changed_or_removed + added) as u64
}

/// "overall 87 (Adoption 99, Process impact 80, …)".
fn score_line(scores: &BTreeMap<String, Option<f64>>) -> String {
    let score = |key: &str| match scores.get(key).copied().flatten() {
        Some(s) => format!("{s:.0}"),
        None => "—".to_string(),
    };
    let dimensions: Vec<String> = Dimension::ALL
        .iter()
        .map(|d| format!("{} {}", d.name(), score(d.name())))
        .collect();
    format!("overall {} ({})", score(OVERALL), dimensions.join(", "))
}

fn score_of(s: &Snapshot, key: &str) -> String {
    match s.scores.get(key).copied().flatten() {
        Some(v) => format!("{v:.0}"),
        None => "—".to_string(),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn repo_names(repos: &[RepoState]) -> String {
    let names: Vec<&str> = repos.iter().map(|r| r.name.as_str()).collect();
    names.join(", ")
}

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Quarter {
    year: i16,
    /// 1–4.
    q: i8,
}

impl Quarter {
    /// `2026Q3`, `2026-Q3` or `2026-q3`, with the same rules as `plumb report --quarter`.
    fn parse(value: &str) -> anyhow::Result<Quarter> {
        let w = window::resolve(None, None, Some(value), None)?;
        Quarter::containing(date_of(w.since)?)
    }

    fn containing(date: Date) -> anyhow::Result<Quarter> {
        Ok(Quarter {
            year: date.year(),
            q: (date.month() - 1) / 3 + 1,
        })
    }

    fn previous(self) -> Quarter {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    /// The latest quarter complete at `newest` (Unix seconds): a quarter counts as
    /// complete once the newest commit is from its last day or later. History ending on
    /// 2026-10-31 gives 2026-Q3; ending on 2026-09-30, 2026-Q3 as well.
    fn latest_complete_at(newest: i64) -> anyhow::Result<Quarter> {
        let next_day = date_of(day_after(newest)?)?;
        Ok(Quarter::containing(next_day)?.previous())
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.q)
    }
}

fn date_of(seconds: i64) -> anyhow::Result<Date> {
    Ok(jiff::Timestamp::from_second(seconds)
        .with_context(|| format!("{seconds} is not a time plumb can read"))?
        .to_zoned_datetime(TimeZone::UTC)
        .date())
}

/// Midnight (UTC) after the day `seconds` falls on.
fn day_after(seconds: i64) -> anyhow::Result<i64> {
    let next = date_of(seconds)?.tomorrow()?;
    Ok(next
        .to_zoned_datetime(TimeZone::UTC)?
        .timestamp()
        .as_second())
}

fn day_of(seconds: i64) -> String {
    date_of(seconds)
        .map(|d| d.to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

/// `2026-11-02 10:15`, UTC.
fn minute_of(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

fn to_json<T: Serialize>(value: &T) -> anyhow::Result<String> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    Ok(s)
}

/// `plumb snapshot --format json`: `{"saved", "snapshot", "report"}`.
#[derive(Serialize)]
struct SavedJson<'a> {
    /// `inserted` or `replaced`.
    saved: &'static str,
    snapshot: SnapshotJson<'a>,
}

/// The saved snapshot with the full JSON report (docs/report-schema.md) it keeps, the
/// report spliced in as stored: parsing it into a `serde_json::Value` and writing it again
/// could change a float's last digit, and the report must read exactly as `plumb report`
/// writes it.
fn saved_json(saved: &'static str, snapshot: &Snapshot) -> anyhow::Result<String> {
    let head = serde_json::to_string_pretty(&SavedJson {
        saved,
        snapshot: SnapshotJson::of(snapshot, None),
    })?;
    let Some(open) = head.strip_suffix('}') else {
        bail!("the snapshot's JSON is not an object: {head}");
    };
    // Pretty-printed JSON has no raw newline inside a string, so indenting line by line
    // keeps the report intact.
    let report: Vec<&str> = snapshot.report_json.trim_end().lines().collect();
    Ok(format!(
        "{},\n  \"report\": {}\n}}\n",
        open.trim_end(),
        report.join("\n  ")
    ))
}

/// `plumb snapshot --list --format json`.
#[derive(Serialize)]
struct ListJson<'a> {
    snapshots: Vec<SnapshotJson<'a>>,
}

/// A snapshot without its report.
#[derive(Serialize)]
struct SnapshotJson<'a> {
    quarter: &'a str,
    /// RFC 3339, UTC, inclusive.
    since: String,
    /// RFC 3339, UTC, exclusive.
    until: String,
    taken_at: String,
    tool_version: &'a str,
    targets_reviewed: bool,
    /// Dimension name → score, plus `overall`; null where there was no score.
    scores: &'a BTreeMap<String, Option<f64>>,
    /// Metric id → the target as displayed.
    targets: &'a BTreeMap<String, String>,
    /// In a list: how many targets differ from the previous snapshot's (null for the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    targets_changed: Option<Option<u64>>,
}

impl<'a> SnapshotJson<'a> {
    fn of(s: &'a Snapshot, targets_changed: Option<Option<u64>>) -> Self {
        SnapshotJson {
            quarter: &s.quarter,
            since: rfc3339(s.since),
            until: rfc3339(s.until),
            taken_at: rfc3339(s.taken_at),
            tool_version: &s.tool_version,
            targets_reviewed: s.targets_reviewed,
            scores: &s.scores,
            targets: &s.targets,
            targets_changed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str) -> i64 {
        let d: Date = date.parse().unwrap_or_default();
        d.to_zoned_datetime(TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .unwrap_or_default()
    }

    #[test]
    fn the_default_quarter_is_the_latest_complete_one() {
        let check = |newest: i64, expected: &str| {
            let q = Quarter::latest_complete_at(newest).map(|q| q.to_string());
            assert_eq!(q.ok().as_deref(), Some(expected), "newest {newest}");
        };
        check(at("2026-10-31") + 3_600, "2026-Q3");
        check(at("2026-10-01"), "2026-Q3");
        check(at("2026-09-30") + 86_399, "2026-Q3");
        check(at("2026-09-29") + 86_399, "2026-Q2");
        check(at("2026-02-10"), "2025-Q4");
        check(at("2025-12-31"), "2025-Q4");
    }

    #[test]
    fn quarters_parse_like_report_and_print_one_way() {
        for (input, expected) in [("2026Q3", "2026-Q3"), ("2026-q1", "2026-Q1")] {
            assert_eq!(
                Quarter::parse(input).ok().map(|q| q.to_string()).as_deref(),
                Some(expected)
            );
        }
        for bad in ["2026Q5", "Q3", "2026"] {
            assert!(Quarter::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn targets_changed_counts_changes_additions_and_removals() {
        let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let before = map(&[("a", "≥ 80%"), ("b", "≤ 5%"), ("c", "≤ 20%")]);
        let after = map(&[("a", "≥ 80%"), ("b", "≤ 3%"), ("d", "≥ 10%")]);
        assert_eq!(targets_changed(&before, &after), 3);
        assert_eq!(targets_changed(&before, &before), 0);
    }
}
