#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The demo organisation, generated once for the whole binary (seed 1, the CLI's default)
//! and checked against the promises; the determinism test generates a second copy.

use plumb_demo::{DemoOptions, Manifest, generate};
use plumb_model::records::RecordKind;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const SEED: u64 = 1;

struct Fixture {
    dir: PathBuf,
    manifest: Manifest,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plumb-demo-seed-1");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        let manifest = generate(&DemoOptions {
            dir: dir.clone(),
            seed: SEED,
        })
        .unwrap();
        Fixture { dir, manifest }
    })
}

/// A CSV file as header and rows of cells (RFC 4180 quotes; no newlines inside cells).
fn read_csv(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = split_csv(lines.next().unwrap());
    let rows = lines
        .map(|l| {
            let cells = split_csv(l);
            assert_eq!(
                cells.len(),
                header.len(),
                "{}: ragged row {l:?}",
                path.display()
            );
            header.iter().cloned().zip(cells).collect()
        })
        .collect();
    (header, rows)
}

fn split_csv(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

fn import(name: &str) -> PathBuf {
    fixture().dir.join("imports").join(name)
}

/// Days since 1970-01-01 of `YYYY-MM-DD` (the first ten characters of a timestamp).
fn day(s: &str) -> i64 {
    let y: i64 = s[0..4].parse().unwrap();
    let m: i64 = s[5..7].parse().unwrap();
    let d: i64 = s[8..10].parse().unwrap();
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn all_files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn repo_name(path: &Path) -> String {
    format!("acme/{}", path.file_name().unwrap().to_string_lossy())
}

/// Every commit reachable from HEAD: (committer seconds, message, parent count).
fn history(path: &Path) -> Vec<(i64, String, usize)> {
    let repo = gix::open(path).unwrap();
    let head = repo.head_id().unwrap();
    repo.rev_walk([head.detach()])
        .all()
        .unwrap()
        .map(|info| {
            let info = info.unwrap();
            let commit = info.object().unwrap();
            (
                commit.time().unwrap().seconds,
                commit.message_raw_sloppy().to_string(),
                commit.parent_ids().count(),
            )
        })
        .collect()
}

#[test]
fn the_same_seed_gives_identical_files_and_commits() {
    let a = fixture();
    let other = tempfile::tempdir().unwrap();
    let b_dir = other.path().join("demo");
    let b = generate(&DemoOptions {
        dir: b_dir.clone(),
        seed: SEED,
    })
    .unwrap();
    let files_a = all_files(&a.dir);
    let files_b = all_files(&b_dir);
    assert_eq!(
        files_a.keys().collect::<Vec<_>>(),
        files_b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &files_a {
        assert!(bytes == &files_b[path], "{} differs", path.display());
    }
    for (ra, rb) in a.manifest.repos.iter().zip(&b.repos) {
        let ha = gix::open(ra).unwrap().head_id().unwrap().detach();
        let hb = gix::open(rb).unwrap().head_id().unwrap().detach();
        assert_eq!(ha, hb, "{}", ra.display());
    }
    let rel = |m: &Manifest, root: &Path| -> Vec<(String, PathBuf)> {
        m.imports
            .iter()
            .map(|(k, p)| (k.clone(), p.strip_prefix(root).unwrap().to_path_buf()))
            .collect()
    };
    assert_eq!(rel(&a.manifest, &a.dir), rel(&b, &b_dir));
}

#[test]
fn a_folder_that_is_not_empty_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let err = generate(&DemoOptions {
        dir: dir.path().to_path_buf(),
        seed: SEED,
    })
    .unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
    assert!(dir.path().join("keep.txt").exists());
}

#[test]
fn every_manifest_file_exists_and_is_not_empty() {
    let f = fixture();
    assert_eq!(f.manifest.repos.len(), 6);
    for repo in &f.manifest.repos {
        assert!(repo.join(".git").is_dir(), "{}", repo.display());
    }
    let kinds: Vec<&str> = f.manifest.imports.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "teams",
            "people",
            "work-items",
            "pull-requests",
            "reviews",
            "checks",
            "deployments",
            "incidents",
            "ai-usage",
            "copilot-metrics",
            "survey",
            "skills",
            "costs",
            "kpis",
            "findings:security",
            "findings:quality",
            "findings:design",
            "a11y",
        ]
    );
    for (kind, path) in &f.manifest.imports {
        let len = std::fs::metadata(path).unwrap().len();
        assert!(len > 100, "{kind}: {} is {len} bytes", path.display());
    }
    assert!(f.manifest.config.is_file());
    let planted: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.dir.join("PLANTED.json")).unwrap()).unwrap();
    assert_eq!(planted, serde_json::to_value(&f.manifest.planted).unwrap());
}

/// The columns `plumb import` reads for a kind, and which of them it requires.
fn import_columns(kind: RecordKind) -> (Vec<&'static str>, Vec<&'static str>) {
    let cols = plumb_import::tabular::columns(kind);
    (
        cols.iter().map(|c| c.name).collect(),
        cols.iter().filter(|c| c.required).map(|c| c.name).collect(),
    )
}

#[test]
fn csv_headers_are_the_import_formats_columns() {
    let csv = [
        ("people.csv", RecordKind::People),
        ("teams.csv", RecordKind::Teams),
        ("work-items.csv", RecordKind::WorkItems),
        ("pull-requests.csv", RecordKind::PullRequests),
        ("reviews.csv", RecordKind::Reviews),
        ("deployments.csv", RecordKind::Deployments),
        ("incidents.csv", RecordKind::Incidents),
        ("survey.csv", RecordKind::Survey),
        ("skills.csv", RecordKind::Skills),
        ("costs.csv", RecordKind::Costs),
        ("kpis.csv", RecordKind::Kpis),
    ];
    for (file, kind) in csv {
        let (header, rows) = read_csv(&import(file));
        assert_eq!(header, import_columns(kind).0, "{file}");
        assert!(!rows.is_empty(), "{file}");
    }
    let ndjson = [
        ("checks.ndjson", RecordKind::Checks),
        ("ai-usage.ndjson", RecordKind::AiUsage),
    ];
    for (file, kind) in ndjson {
        let (columns, mut required) = import_columns(kind);
        // One of person / team is required in ai-usage; neither column is on its own.
        required.retain(|c| !matches!(*c, "person" | "team"));
        let text = std::fs::read_to_string(import(file)).unwrap();
        for line in text.lines() {
            let v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).unwrap();
            for k in v.keys() {
                assert!(columns.contains(&k.as_str()), "{file}: unknown field {k}");
            }
            for k in &required {
                assert!(v.contains_key(*k), "{file}: {k} missing in {line}");
            }
        }
    }
}

#[test]
fn six_teams_of_five_to_twelve_people() {
    let (_, teams) = read_csv(&import("teams.csv"));
    assert_eq!(teams.len(), 6);
    let (_, people) = read_csv(&import("people.csv"));
    assert!(people.len() >= 45, "{} people", people.len());
    let (leavers, joiners) = (
        people.iter().filter(|p| !p["end_date"].is_empty()).count(),
        people
            .iter()
            .filter(|p| p["start_date"].as_str() >= "2025-08-01")
            .count(),
    );
    assert!((2..=3).contains(&leavers), "{leavers} leave");
    assert!(joiners >= 1, "{joiners} join");
    let mut logins = BTreeSet::new();
    for p in &people {
        let emails = p["emails"].split(';').count();
        assert!((1..=2).contains(&emails), "{p:?}");
        assert!(
            logins.insert(p["logins"].clone()),
            "duplicate login {}",
            p["logins"]
        );
        let years = 2026 - p["career_start"].parse::<i64>().unwrap();
        let ok = match p["level"].as_str() {
            "junior" => years <= 2,
            "mid" => (3..=5).contains(&years),
            "senior" | "staff" => years >= 6,
            other => panic!("level {other}"),
        };
        assert!(
            ok,
            "{} is {} with a career from {}",
            p["name"], p["level"], p["career_start"]
        );
    }
    // Team sizes on the first of every month of the history.
    for t in &teams {
        for m in 0..15 {
            let (y, mo) = (2025 + (7 + m) / 12, (7 + m) % 12 + 1);
            let date = format!("{y}-{mo:02}-01");
            let n = people
                .iter()
                .filter(|p| p["team"] == t["team"])
                .filter(|p| {
                    p["start_date"] <= date && (p["end_date"].is_empty() || p["end_date"] >= date)
                })
                .count();
            assert!(
                (5..=12).contains(&n),
                "{} has {n} people on {date}",
                t["team"]
            );
        }
    }
}

#[test]
fn the_history_spans_fifteen_months() {
    let f = fixture();
    let (first, last) = (day("2025-08-01") * 86_400, day("2026-11-01") * 86_400);
    let mut total = 0;
    let (mut earliest, mut latest) = (i64::MAX, i64::MIN);
    for repo in &f.manifest.repos {
        let commits = history(repo);
        total += commits.len();
        for (t, _, _) in &commits {
            assert!(
                *t >= first && *t < last,
                "{}: commit at {t}",
                repo.display()
            );
            earliest = earliest.min(*t);
            latest = latest.max(*t);
        }
        let merges = commits.iter().filter(|c| c.2 == 2).count();
        assert!(
            merges * 2 > commits.len() / 3,
            "{}: {merges} merges",
            repo.display()
        );
    }
    assert_eq!(earliest / 86_400, day("2025-08-01"));
    assert!(latest >= day("2026-10-20") * 86_400);
    assert!((6_000..=10_000).contains(&total), "{total} commits");
}

#[test]
fn pull_request_check_and_deployment_shas_exist_in_their_repositories() {
    let f = fixture();
    let repos: BTreeMap<String, gix::Repository> = f
        .manifest
        .repos
        .iter()
        .map(|p| (repo_name(p), gix::open(p).unwrap()))
        .collect();
    let exists = |repo: &str, sha: &str| -> bool {
        let id = gix::ObjectId::from_hex(sha.as_bytes()).unwrap();
        repos[repo].has_object(id)
    };
    let (_, prs) = read_csv(&import("pull-requests.csv"));
    let mut merged = 0;
    for pr in &prs {
        let repo = pr["repo"].as_str();
        assert!(
            !pr["head_sha"].is_empty(),
            "{repo}#{} has no head",
            pr["number"]
        );
        assert!(
            exists(repo, &pr["head_sha"]),
            "{repo}#{} head",
            pr["number"]
        );
        if !pr["merged_at"].is_empty() {
            merged += 1;
            assert!(
                exists(repo, &pr["merge_sha"]),
                "{repo}#{} merge",
                pr["number"]
            );
            let id = gix::ObjectId::from_hex(pr["merge_sha"].as_bytes()).unwrap();
            let commit = repos[repo].find_commit(id).unwrap();
            let parents: Vec<_> = commit
                .parent_ids()
                .map(|p| p.detach().to_string())
                .collect();
            if parents.len() == 2 {
                assert_eq!(
                    parents[1], pr["head_sha"],
                    "{repo}#{} merges its head",
                    pr["number"]
                );
            }
        }
    }
    assert!(
        merged * 10 > prs.len() * 9,
        "{merged} of {} merged",
        prs.len()
    );
    let (_, deployments) = read_csv(&import("deployments.csv"));
    for d in &deployments {
        assert!(exists(&d["repo"], &d["sha"]), "deployment {}", d["id"]);
    }
    let checks = std::fs::read_to_string(import("checks.ndjson")).unwrap();
    for line in checks.lines() {
        let c: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            exists(c["repo"].as_str().unwrap(), c["sha"].as_str().unwrap()),
            "{line}"
        );
    }
}

/// Lines that only an AI tool leaves (the catalogue's forms the generator uses).
fn ai_signed(message: &str) -> bool {
    [
        "noreply@anthropic.com",
        "Generated with [Claude Code]",
        "+Copilot@users.noreply.github.com",
        "cursoragent@cursor.com",
        "Made-with: Cursor",
        "aider@aider.chat",
        "noreply@openai.com",
    ]
    .iter()
    .any(|s| message.contains(s))
}

#[test]
fn ai_signatures_appear_only_after_the_team_rollout() {
    let f = fixture();
    let (_, teams) = read_csv(&import("teams.csv"));
    let rollout: BTreeMap<String, i64> = teams
        .iter()
        .map(|t| {
            (
                format!("acme/{}-service", t["team"]),
                day(&t["ai_rollout_date"]) * 86_400,
            )
        })
        .collect();
    for repo in &f.manifest.repos {
        let name = repo_name(repo);
        let since = rollout[&name];
        let commits = history(repo);
        let signed: Vec<_> = commits.iter().filter(|c| ai_signed(&c.1)).collect();
        for (t, message, _) in &signed {
            assert!(
                *t >= since,
                "{name}: AI-signed commit before the rollout: {message}"
            );
        }
        let after = commits.iter().filter(|c| c.0 >= since && c.2 == 1).count();
        assert!(
            signed.len() * 5 > after,
            "{name}: {} of {after} signed",
            signed.len()
        );
    }
}

#[test]
fn every_work_type_and_the_planted_story_are_there() {
    let (_, items) = read_csv(&import("work-items.csv"));
    let types: BTreeSet<&str> = items.iter().map(|i| i["type"].as_str()).collect();
    assert_eq!(
        types,
        BTreeSet::from([
            "bug",
            "chore",
            "debt",
            "experiment",
            "feature",
            "incident",
            "spike"
        ])
    );
    let p = &fixture().manifest.planted;
    assert_eq!(p.effects.coding_stage_change_pct, -40.0);
    assert_eq!(p.roi.expected_payback_month, Some(9));
    assert_eq!(p.teams.len(), 6);
    let observed = &p.observed.stage_median_days;
    let median = |stage: &str, phase: &str| observed[stage][phase].median_days.unwrap();
    assert!(median("coding", "ai_before_governance") < median("coding", "baseline") * 0.75);
    assert!(median("review", "ai_before_governance") > median("review", "baseline") * 1.3);
    assert!(median("review", "ai_after_governance") < median("review", "baseline"));
    assert!(median("testing", "ai_before_governance") > median("testing", "baseline") * 1.25);
    let skills = &p.observed.skill_growth_yoy_pct;
    assert!(skills["junior"].after < skills["junior"].before);
    assert!(skills["mid"].after > skills["mid"].before);
}

#[test]
fn findings_are_monthly_sarif_runs_and_axe_scans() {
    for kind in ["security", "quality", "design"] {
        let v: serde_json::Value = serde_json::from_slice(
            &std::fs::read(import(&format!("findings-{kind}.sarif"))).unwrap(),
        )
        .unwrap();
        assert_eq!(v["version"], "2.1.0");
        let runs = v["runs"].as_array().unwrap();
        assert!(runs.len() >= 15, "{kind}: {} runs", runs.len());
        for run in runs {
            assert!(
                run["invocations"][0]["endTimeUtc"]
                    .as_str()
                    .unwrap()
                    .ends_with('Z')
            );
        }
    }
    let axe: serde_json::Value =
        serde_json::from_slice(&std::fs::read(import("a11y.json")).unwrap()).unwrap();
    for page in axe.as_array().unwrap() {
        assert!(page["url"].as_str().unwrap().starts_with("https://"));
        assert!(page["timestamp"].as_str().unwrap().ends_with('Z'));
    }
    let copilot: serde_json::Value =
        serde_json::from_slice(&std::fs::read(import("copilot-metrics.json")).unwrap()).unwrap();
    assert!(copilot.as_array().unwrap().len() >= 28);
}
