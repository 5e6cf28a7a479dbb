//! `plumb gate` and `plumb zones`: the governance gate for AI-assisted changes.
//!
//! Gathers the change from git (a `--base`/`--head` range, or the shas of a GitHub event
//! payload), the approvals from the forge's reviews, and hands them to the pure policy
//! engine in `plumb-governance`.

use crate::cli::{GateArgs, GateFormat, ZonesArgs};
use crate::config::{self, Config};
use crate::{exit, output};
use anyhow::{Context, bail};
use plumb_governance::{
    Approvals, Approver, ChangeCommit, ChangeKind, ChangedFile, Decision, GateInput, Verdict,
    github,
};
use plumb_model::{CommitRecord, FileStats};
use plumb_store::{GateDecisionRow, Store};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

/// What the forge says about the change.
#[derive(Debug, Default)]
struct PullRequest {
    base: String,
    head: String,
    labels: Vec<String>,
}

pub fn run(db: Option<&Path>, config: &Config, args: &GateArgs) -> anyhow::Result<u8> {
    let zones = config::zone_set(config, args.preset.as_deref())?;
    let catalogue = plumb_provenance::Catalogue::from_config(&config.ai).context("[ai]")?;

    let mut pr = match (&args.event, &args.base, &args.head) {
        (Some(event), _, _) => read_event(event)?,
        (None, Some(base), Some(head)) => PullRequest {
            base: base.clone(),
            head: head.clone(),
            labels: Vec::new(),
        },
        _ => bail!("give either --base REV --head REV, or --event FILE"),
    };
    pr.labels.extend(args.labels.iter().cloned());
    let mut approvals = match &args.reviews {
        Some(path) => read_reviews(path)?,
        None => Approvals::default(),
    };
    approvals.count = approvals.count.saturating_add(args.approvals);
    if !config.groups.is_empty() {
        // The configured groups say who belongs where; a login in no group counts for no
        // zone that names reviewer groups.
        approvals.groups_known = true;
        for approver in &mut approvals.approvers {
            approver.groups = config
                .groups
                .iter()
                .filter(|(_, members)| {
                    members
                        .iter()
                        .any(|m| m.eq_ignore_ascii_case(&approver.login))
                })
                .map(|(group, _)| group.clone())
                .collect();
        }
    }

    let base_sha = plumb_git::Repository::open(&args.repo, Some(&pr.base))
        .with_context(|| format!("base revision {:?}", pr.base))?
        .tip()
        .with_context(|| format!("base revision {:?} names no commit", pr.base))?;
    let repo = plumb_git::Repository::open(&args.repo, Some(&pr.head))
        .with_context(|| format!("head revision {:?}", pr.head))?;
    let head_sha = repo
        .tip()
        .with_context(|| format!("head revision {:?} names no commit", pr.head))?;
    let ids = repo.commits_to_read(std::slice::from_ref(&base_sha), &|_| false)?;
    let mut records: HashMap<String, (CommitRecord, Vec<plumb_model::Detection>)> =
        HashMap::with_capacity(ids.len());
    repo.read(&ids, args.threads, |record| {
        let ingested = plumb_ingest::with_provenance(&catalogue, record);
        records.insert(
            ingested.record.commit.id.clone(),
            (ingested.record, ingested.detections),
        );
        Ok::<(), std::convert::Infallible>(())
    })?;

    // Oldest first, as a reviewer reads a pull request.
    let mut commits = Vec::with_capacity(ids.len());
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for id in ids.iter().rev() {
        let Some((record, detections)) = records.remove(id) else {
            bail!("commit {id} was not read from {}", repo.root().display());
        };
        match &record.stats {
            FileStats::Files { files: changed } => {
                for f in changed {
                    files.entry(f.path.clone()).or_default().push(id.clone());
                }
            }
            // A merge's changes are its parents' commits, which are in the range too.
            FileStats::Merge => {}
            FileStats::TreeUnknown => bail!(
                "commit {id}: its tree is missing (shallow or partial clone), so the files it changed are unknown; fetch the full history (actions/checkout with fetch-depth: 0)"
            ),
        }
        commits.push(ChangeCommit {
            id: id.clone(),
            subject: record.commit.subject().to_string(),
            detections,
        });
    }
    let input = GateInput {
        files: files
            .into_iter()
            .map(|(path, commits)| ChangedFile {
                path,
                // The reader reports changes as `git log --no-renames` does, without
                // telling adds and deletes apart; every kind counts as touching.
                kind: ChangeKind::Unknown,
                commits,
            })
            .collect(),
        commits,
        approvals,
        labels: pr.labels.clone(),
    };
    let decision = plumb_governance::check(&zones, &input);

    let text = match args.format {
        GateFormat::Text => render_text(&decision, &base_sha, &head_sha, &input),
        GateFormat::Json => {
            let json = GateJson {
                base: &base_sha,
                head: &head_sha,
                commits: input.commits.len(),
                files: input.files.len(),
                blocked: decision.verdict != Verdict::Pass,
                decision: &decision,
            };
            format!("{}\n", serde_json::to_string_pretty(&json)?)
        }
        GateFormat::Github => {
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                let path = Path::new(&path);
                let mut file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .with_context(|| format!("{}: cannot open the job summary", path.display()))?;
                file.write_all(github::summary(&decision, &base_sha, &head_sha).as_bytes())
                    .with_context(|| format!("{}: cannot write the job summary", path.display()))?;
            }
            github::annotations(&decision)
        }
    };

    if let Some(db) = db {
        let mut store = plumb_store_sqlite::SqliteStore::open(db)?;
        let root = repo.root();
        let row = GateDecisionRow {
            repo: root
                .canonicalize()
                .unwrap_or_else(|_| root.to_path_buf())
                .display()
                .to_string(),
            base: base_sha.clone(),
            head: head_sha.clone(),
            verdict: decision.verdict.as_str().to_string(),
            zones: decision.zones.iter().map(|z| z.zone.clone()).collect(),
            ai_tools: decision.ai_tools(),
            reasons: decision
                .reasons
                .iter()
                .map(|r| {
                    format!(
                        "{}: zone {} [{}] (ai = {}): {}",
                        r.verdict.as_str(),
                        r.zone,
                        r.globs.join(", "),
                        r.policy.as_str(),
                        r.message
                    )
                })
                .collect(),
            decided_at: jiff::Timestamp::now().as_second(),
        };
        store.record_gate_decision(&row)?;
        tracing::info!("gate decision recorded in {}", store.location());
    }

    output::print(&text)?;
    Ok(match decision.verdict {
        Verdict::Pass => exit::OK,
        Verdict::NeedsApproval | Verdict::Fail => exit::FAILED_CHECK,
    })
}

/// The JSON contract of `plumb gate --format json`.
#[derive(Debug, Serialize)]
struct GateJson<'a> {
    base: &'a str,
    head: &'a str,
    commits: usize,
    files: usize,
    blocked: bool,
    decision: &'a Decision,
}

fn render_text(decision: &Decision, base: &str, head: &str, input: &GateInput) -> String {
    let short = github::short_id;
    let blocked = match decision.verdict {
        Verdict::Pass => "the change may merge",
        Verdict::NeedsApproval => "blocked until approved",
        Verdict::Fail => "blocked",
    };
    let mut out = format!(
        "plumb gate: {} — {blocked}\nchange {}..{}: {} commits ({} AI-assisted), {} files, {} approvals, labels: {}\n",
        decision.verdict.as_str(),
        short(base),
        short(head),
        input.commits.len(),
        decision.ai_commits.len(),
        input.files.len(),
        decision.approvals,
        if decision.labels.is_empty() {
            "none".to_string()
        } else {
            decision.labels.join(", ")
        }
    );
    out.push_str("\nzones touched:\n");
    for z in &decision.zones {
        let mut policy = format!("ai = {}", z.policy.as_str());
        if z.policy == plumb_governance::AiPolicy::NeedsApproval {
            policy.push_str(&format!(", {} approvals", z.required_approvals.max(1)));
            if let Some(label) = &z.approval_label {
                policy.push_str(&format!(" or label {label:?}"));
            }
        }
        if !z.reviewer_groups.is_empty() {
            policy.push_str(&format!(", reviewers: {}", z.reviewer_groups.join(", ")));
        }
        out.push_str(&format!(
            "  {} ({policy}): {} — {} files\n",
            z.zone,
            z.verdict.as_str(),
            z.files.len()
        ));
        for f in z.files.iter().take(20) {
            let ai = if f.ai_commits.is_empty() {
                String::new()
            } else {
                let ids: Vec<&str> = f.ai_commits.iter().map(|c| short(c)).collect();
                format!("  AI: {}", ids.join(", "))
            };
            out.push_str(&format!(
                "    {}  [{}]{ai}\n",
                f.path,
                f.glob.as_deref().unwrap_or("no rule")
            ));
        }
        if z.files.len() > 20 {
            out.push_str(&format!("    … and {} more\n", z.files.len() - 20));
        }
    }
    out.push_str("\nreasons:\n");
    for r in &decision.reasons {
        out.push_str(&format!(
            "  {}: zone {} [{}] (ai = {}): {}\n",
            r.verdict.as_str(),
            r.zone,
            r.globs.join(", "),
            r.policy.as_str(),
            r.message
        ));
    }
    out.push_str("\nAI-assisted commits:\n");
    if decision.ai_commits.is_empty() {
        out.push_str("  none found in commit signatures\n");
    }
    for c in &decision.ai_commits {
        out.push_str(&format!(
            "  {} {} — {}\n",
            short(&c.id),
            c.subject,
            c.tools.join(", ")
        ));
        for d in &c.evidence {
            out.push_str(&format!("      {}: {}\n", d.field, d.evidence));
        }
    }
    for z in decision.zones.iter().filter(|z| !z.checklist.is_empty()) {
        out.push_str(&format!("\nchecklist ({}):\n", z.zone));
        for item in &z.checklist {
            out.push_str(&format!("  - [ ] {item}\n"));
        }
    }
    out
}

fn read_json(path: &Path, what: &str) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the {what}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{}: the {what} is not valid JSON", path.display()))
}

/// The string at `path` inside `value`, or an error naming the file and the field.
fn string_at<'a>(
    file: &Path,
    value: &'a Value,
    path: &[&str],
    prefix: &str,
) -> anyhow::Result<&'a str> {
    let mut v = value;
    let mut name = prefix.to_string();
    for key in path {
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(key);
        v = match v.get(key) {
            Some(v) if !v.is_null() => v,
            _ => bail!("{}: {name} is missing", file.display()),
        };
    }
    v.as_str()
        .with_context(|| format!("{}: {name} is not a string (found {v})", file.display()))
}

fn read_event(path: &Path) -> anyhow::Result<PullRequest> {
    let event = read_json(path, "event payload")?;
    if event.get("pull_request").is_none_or(Value::is_null) {
        bail!(
            "{}: pull_request is missing: not a pull_request or pull_request_review event",
            path.display()
        );
    }
    let base = string_at(path, &event, &["pull_request", "base", "sha"], "")?.to_string();
    let head = string_at(path, &event, &["pull_request", "head", "sha"], "")?.to_string();
    let mut labels = Vec::new();
    match event.pointer("/pull_request/labels") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                labels.push(
                    string_at(path, item, &["name"], &format!("pull_request.labels[{i}]"))?
                        .to_string(),
                );
            }
        }
        Some(other) => bail!(
            "{}: pull_request.labels is not an array (found {other})",
            path.display()
        ),
    }
    Ok(PullRequest { base, head, labels })
}

/// Approvals from GitHub's "list reviews for a pull request" array: the latest
/// APPROVED / CHANGES_REQUESTED / DISMISSED review of each user decides (COMMENTED and
/// PENDING reviews do not change a user's state, as on GitHub).
fn read_reviews(path: &Path) -> anyhow::Result<Approvals> {
    let reviews = read_json(path, "reviews")?;
    let Some(items) = reviews.as_array() else {
        bail!(
            "{}: expected a JSON array of reviews (GET /repos/OWNER/REPO/pulls/N/reviews)",
            path.display()
        );
    };
    // login → (submitted_at, index, state)
    let mut latest: BTreeMap<String, (String, usize, String)> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("[{i}]");
        if item.get("user").is_some_and(Value::is_null) {
            continue; // a deleted account
        }
        let login = string_at(path, item, &["user", "login"], &at)?;
        let state = string_at(path, item, &["state"], &at)?;
        let submitted = match item.get("submitted_at") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => bail!(
                "{}: {at}.submitted_at is not a string (found {other})",
                path.display()
            ),
        };
        match state {
            "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED" => {}
            "COMMENTED" | "PENDING" => continue,
            other => bail!(
                "{}: {at}.state is {other:?}, expected APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING",
                path.display()
            ),
        }
        let key = (submitted, i, state.to_string());
        match latest.get(login) {
            Some(prev) if (&prev.0, prev.1) > (&key.0, key.1) => {}
            _ => {
                latest.insert(login.to_string(), key);
            }
        }
    }
    let approvers: Vec<Approver> = latest
        .into_iter()
        .filter(|(_, (_, _, state))| state == "APPROVED")
        .map(|(login, _)| Approver {
            login,
            groups: Vec::new(),
        })
        .collect();
    Ok(Approvals {
        count: u32::try_from(approvers.len()).unwrap_or(u32::MAX),
        approvers,
        groups_known: false,
    })
}

/// `plumb zones`: each path's zone and rule, or the zones in matching order.
pub fn zones(config: &Config, args: &ZonesArgs) -> anyhow::Result<u8> {
    let set = config::zone_set(config, args.preset.as_deref())?;
    let mut out = String::new();
    if args.paths.is_empty() {
        out.push_str("zones in matching order (first match wins; unmatched paths are green):\n");
        for z in set.zones() {
            out.push_str(&format!("{} (ai = {}", z.name, z.ai.as_str()));
            if z.required_approvals > 0 {
                out.push_str(&format!(", {} approvals", z.required_approvals));
            }
            if let Some(label) = &z.approval_label {
                out.push_str(&format!(", label {label:?}"));
            }
            out.push_str(")\n");
            for p in &z.paths {
                out.push_str(&format!("  {p}\n"));
            }
        }
    }
    for path in &args.paths {
        let path = path.replace('\\', "/");
        match set.classify(&path) {
            Some(m) => out.push_str(&format!(
                "{path}\t{}\t{}\tai = {}\n",
                m.zone.name,
                m.glob,
                m.zone.ai.as_str()
            )),
            None => out.push_str(&format!(
                "{path}\t{}\t(no rule matched: green)\tai = allowed\n",
                plumb_governance::UNZONED
            )),
        }
    }
    output::print(&out)?;
    Ok(exit::OK)
}
