#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The demo organisation, generated once for the whole binary (seed 1 and scale 1, the
//! CLI's defaults) and checked against the promises; the determinism test generates
//! a second copy, and the scale test an organisation of two copies.

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
        // The defaults, as `plumb demo` without --scale asks for them.
        let manifest = generate(&DemoOptions::new(dir.clone(), SEED)).unwrap();
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

/// Also: `scale: 1` spelled out is the default organisation, byte for byte (the fixture
/// is generated with the defaults).
#[test]
fn the_same_seed_gives_identical_files_and_commits_and_scale_1_is_the_default() {
    let a = fixture();
    assert_eq!(DemoOptions::new(&a.dir, SEED).scale, 1);
    let other = tempfile::tempdir().unwrap();
    let b_dir = other.path().join("demo");
    let b = generate(&DemoOptions {
        dir: b_dir.clone(),
        seed: SEED,
        scale: 1,
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
    let err = generate(&DemoOptions::new(dir.path(), SEED)).unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
    assert!(dir.path().join("keep.txt").exists());
}

#[test]
fn a_scale_of_zero_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("demo");
    let err = generate(&DemoOptions {
        dir: target.clone(),
        seed: SEED,
        scale: 0,
    })
    .unwrap_err();
    assert!(err.to_string().contains("scale"), "{err}");
    assert!(!target.exists());
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

/// `scale: 2`: every team twice (`payments`, `payments-2` …) with the same story dates,
/// twice the people and repositories, about twice of every record, and every file still
/// valid for `plumb import` with every reference resolving within the organisation.
#[test]
fn scale_2_doubles_the_organisation_and_every_file_still_imports() {
    use plumb_import::{ImportKind, Options};
    use plumb_model::records::FindingKind;

    let one = fixture();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let two = generate(&DemoOptions {
        dir: dir.clone(),
        seed: SEED,
        scale: 2,
    })
    .unwrap();
    let file = |name: &str| dir.join("imports").join(name);

    // Teams: the six and their copies, with the same rollout dates.
    let (_, teams1) = read_csv(&import("teams.csv"));
    let (_, teams2) = read_csv(&file("teams.csv"));
    assert_eq!(teams2.len(), 2 * teams1.len());
    let rollout: BTreeMap<&str, &str> = teams2
        .iter()
        .map(|t| (t["team"].as_str(), t["ai_rollout_date"].as_str()))
        .collect();
    assert_eq!(rollout.len(), teams2.len(), "team names are unique");
    for t in &teams1 {
        let copy = format!("{}-2", t["team"]);
        assert_eq!(rollout[t["team"].as_str()], t["ai_rollout_date"]);
        assert_eq!(rollout[copy.as_str()], t["ai_rollout_date"], "{copy}");
    }

    // A repository per team, and its name in the files.
    assert_eq!(two.repos.len(), 2 * one.manifest.repos.len());
    let repos: BTreeSet<String> = two.repos.iter().map(|p| repo_name(p)).collect();
    for team in rollout.keys() {
        assert!(repos.contains(&format!("acme/{team}-service")), "{team}");
    }

    // People: twice as many, every login and email distinct, every team staffed.
    let (_, people1) = read_csv(&import("people.csv"));
    let (_, people2) = read_csv(&file("people.csv"));
    assert_eq!(people2.len(), 2 * people1.len());
    let mut known = BTreeSet::new();
    for p in &people2 {
        assert!(known.insert(p["logins"].clone()), "login {}", p["logins"]);
        for e in p["emails"].split(';') {
            assert!(known.insert(e.to_string()), "email {e}");
        }
        assert!(rollout.contains_key(p["team"].as_str()), "{p:?}");
    }
    for team in rollout.keys() {
        let n = people2.iter().filter(|p| p["team"] == *team).count();
        assert!(n >= 5, "{team} has {n} people");
    }

    // Work-item keys carry the copy's prefix.
    let (_, items) = read_csv(&file("work-items.csv"));
    for i in &items {
        let prefix = match i["team"].as_str() {
            "payments" => "PAY-",
            "payments-2" => "PAY2-",
            _ => continue,
        };
        assert!(
            i["key"].starts_with(prefix),
            "{} of {}",
            i["key"],
            i["team"]
        );
    }

    // About twice of everything.
    let (c1, c2) = (&one.manifest.planted.counts, &two.planted.counts);
    assert_eq!((c2.teams, c2.people, c2.repos), (12, people2.len(), 12));
    for (what, a, b) in [
        ("commits", c1.commits, c2.commits),
        ("pull requests", c1.pull_requests, c2.pull_requests),
        ("reviews", c1.reviews, c2.reviews),
        ("work items", c1.work_items, c2.work_items),
        ("deployments", c1.deployments, c2.deployments),
        ("incidents", c1.incidents, c2.incidents),
    ] {
        assert!(
            (a * 3 / 2..=a * 5 / 2).contains(&b),
            "{what}: {a} at scale 1, {b} at scale 2"
        );
    }
    for name in [
        "checks.ndjson",
        "ai-usage.ndjson",
        "survey.csv",
        "skills.csv",
        "a11y.json",
        "findings-quality.sarif",
    ] {
        let (a, b) = (c1.rows_per_file[name], c2.rows_per_file[name]);
        assert!((a * 3 / 2..=a * 5 / 2).contains(&b), "{name}: {a} → {b}");
    }
    assert_eq!(two.planted.roi.expected_payback_month, Some(9));

    // Every file passes plumb-import's validation (all of it, keys included).
    for (kind, path) in &two.imports {
        let (name, finding) = match kind.split_once(':') {
            Some((name, k)) => (name, FindingKind::parse(k)),
            None => (kind.as_str(), None),
        };
        let import = ImportKind::parse(name).unwrap();
        let opts = Options {
            finding_kind: finding,
            ..Options::default()
        };
        let bytes = std::fs::read(path).unwrap();
        let parsed = plumb_import::parse(import, &path.display().to_string(), &bytes, &opts)
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert!(!parsed.records.is_empty(), "{kind}");
    }

    // References resolve within the organisation: people, teams and repositories.
    let person = |s: &str| known.contains(s) || s.ends_with("[bot]");
    let (_, prs) = read_csv(&file("pull-requests.csv"));
    for pr in &prs {
        assert!(repos.contains(&pr["repo"]), "{pr:?}");
        assert!(person(&pr["author"]), "{pr:?}");
    }
    let (_, reviews) = read_csv(&file("reviews.csv"));
    for r in &reviews {
        assert!(
            repos.contains(&r["repo"]) && person(&r["reviewer"]),
            "{r:?}"
        );
    }
    let (_, deployments) = read_csv(&file("deployments.csv"));
    for d in &deployments {
        assert!(repos.contains(&d["repo"]), "{d:?}");
    }
    let (_, incidents) = read_csv(&file("incidents.csv"));
    for i in &incidents {
        assert!(i["repo"].is_empty() || repos.contains(&i["repo"]), "{i:?}");
    }
    for i in &items {
        assert!(rollout.contains_key(i["team"].as_str()), "{i:?}");
    }
    let (_, skills) = read_csv(&file("skills.csv"));
    for s in &skills {
        assert!(known.contains(&s["person"]), "{s:?}");
    }
    let usage = std::fs::read_to_string(file("ai-usage.ndjson")).unwrap();
    for line in usage.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(known.contains(v["person"].as_str().unwrap()), "{line}");
    }
    let checks = std::fs::read_to_string(file("checks.ndjson")).unwrap();
    for line in checks.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(repos.contains(v["repo"].as_str().unwrap()), "{line}");
    }
}
