//! people, teams, work-items, pull-requests, reviews, checks, deployments, incidents.

use super::csv::{Csv, Ndjson, bool_str, opt};
use crate::DemoError;
use crate::calendar::{date, rfc3339, utc};
use crate::gitwrite::RepoOutput;
use crate::org::{Person, Team};
use crate::plan::{Author, Plan, Pr, Tip};
use crate::rng::mix;
use serde::Serialize;
use std::path::Path;

pub const PEOPLE: &[&str] = &[
    "name",
    "emails",
    "logins",
    "team",
    "level",
    "career_start",
    "start_date",
    "end_date",
];
pub const TEAMS_COLUMNS: &[&str] = &["team", "ai_rollout_date", "profile", "parent"];
pub const WORK_ITEMS: &[&str] = &[
    "key",
    "type",
    "title",
    "team",
    "created_at",
    "started_at",
    "done_at",
    "released_at",
    "customer_request",
    "labels",
    "linked_prs",
];
pub const PULL_REQUESTS: &[&str] = &[
    "repo",
    "number",
    "author",
    "title",
    "created_at",
    "ready_at",
    "merged_at",
    "closed_at",
    "base",
    "head_branch",
    "head_sha",
    "merge_sha",
    "labels",
    "additions",
    "deletions",
    "work_items",
    "body_markers",
];
pub const REVIEWS: &[&str] = &["repo", "number", "reviewer", "state", "submitted_at"];
pub const DEPLOYMENTS: &[&str] = &[
    "id",
    "repo",
    "environment",
    "sha",
    "started_at",
    "finished_at",
    "status",
    "kind",
    "service",
];
pub const INCIDENTS: &[&str] = &[
    "id",
    "service",
    "repo",
    "severity",
    "opened_at",
    "resolved_at",
    "caused_by_deployment",
    "customer_impacting",
    "ai_related",
];

pub fn teams(path: &Path, teams: &[Team]) -> Result<usize, DemoError> {
    let mut csv = Csv::create(path, TEAMS_COLUMNS)?;
    for spec in teams {
        csv.row(&[
            spec.name.to_string(),
            date(spec.rollout_at()),
            spec.profile.to_string(),
            String::new(),
        ]);
    }
    csv.finish()
}

pub fn people(path: &Path, teams: &[Team], people: &[Person]) -> Result<usize, DemoError> {
    let mut csv = Csv::create(path, PEOPLE)?;
    for p in people {
        csv.row(&[
            p.name.clone(),
            p.emails.join(";"),
            p.login.clone(),
            teams[p.team].name.to_string(),
            p.level.as_str().to_string(),
            p.career_start.to_string(),
            date(p.start_date),
            opt(p.end_date.map(date)),
        ]);
    }
    csv.finish()
}

fn pr_ref(team: &Team, pr: &Pr) -> String {
    format!("{}#{}", team.full_repo(), pr.number)
}

pub fn work_items(path: &Path, teams: &[Team], plan: &Plan) -> Result<usize, DemoError> {
    let mut csv = Csv::create(path, WORK_ITEMS)?;
    for (t, tp) in plan.teams.iter().enumerate() {
        let mut order: Vec<usize> = (0..tp.items.len()).collect();
        order.sort_by_key(|&i| (tp.items[i].created, i));
        for i in order {
            let item = &tp.items[i];
            let linked = if item.link_from_item {
                item.prs
                    .iter()
                    .map(|&p| pr_ref(&teams[t], &tp.prs[p]))
                    .collect::<Vec<_>>()
                    .join(";")
            } else {
                String::new()
            };
            csv.row(&[
                item.key.clone(),
                item.kind.as_str().to_string(),
                item.title.clone(),
                teams[t].name.to_string(),
                utc(item.created),
                opt(item.started.map(utc)),
                opt(item.done.map(utc)),
                opt(item.released.map(utc)),
                bool_str(item.customer_request),
                item.labels.join(";"),
                linked,
            ]);
        }
    }
    csv.finish()
}

/// How a person is named in forge exports: mostly the login, sometimes the email.
fn who(people: &[Person], author: Author, salt: u64) -> String {
    match author {
        Author::Person(p) => {
            if mix(salt).is_multiple_of(10) {
                people[p].email().to_string()
            } else {
                people[p].login.clone()
            }
        }
        Author::Bot(b) => b.login().to_string(),
    }
}

fn sorted_prs(plan: &Plan) -> Vec<(usize, usize)> {
    let mut all = Vec::new();
    for (t, tp) in plan.teams.iter().enumerate() {
        let mut order: Vec<usize> = (0..tp.prs.len()).collect();
        order.sort_by_key(|&i| tp.prs[i].number);
        all.extend(order.into_iter().map(|i| (t, i)));
    }
    all
}

pub fn pull_requests(
    path: &Path,
    teams: &[Team],
    people: &[Person],
    plan: &Plan,
    repos: &[RepoOutput],
) -> Result<usize, DemoError> {
    let mut csv = Csv::create(path, PULL_REQUESTS)?;
    for (t, i) in sorted_prs(plan) {
        let pr = &plan.teams[t].prs[i];
        let tp = &plan.teams[t];
        let off = teams[t].offset_min;
        let ts = |x: i64| rfc3339(x, off);
        let head = repos[t].branch_commits[i].last().map(|h| h.to_string());
        let merge = repos[t].merge_commits[i].map(|m| m.to_string());
        let (add, del) = repos[t].stats[i];
        let work = match pr.work {
            Some(w) if pr.list_work_item => tp.items[w].key.clone(),
            _ => String::new(),
        };
        csv.row(&[
            teams[t].full_repo(),
            pr.number.to_string(),
            who(people, pr.author, (t as u64) << 32 | pr.number),
            pr.title.clone(),
            ts(pr.created),
            opt((pr.ready < crate::calendar::END).then(|| ts(pr.ready))),
            opt(pr.merged.map(ts)),
            opt(pr.merged.or(pr.closed).map(ts)),
            "main".to_string(),
            pr.branch.clone(),
            opt(head),
            opt(merge),
            pr.labels.join(";"),
            add.to_string(),
            del.to_string(),
            work,
            pr.body_markers.join(";"),
        ]);
    }
    csv.finish()
}

pub fn reviews(
    path: &Path,
    teams: &[Team],
    people: &[Person],
    plan: &Plan,
) -> Result<usize, DemoError> {
    let mut csv = Csv::create(path, REVIEWS)?;
    for (t, i) in sorted_prs(plan) {
        let pr = &plan.teams[t].prs[i];
        let off = teams[t].offset_min;
        for (k, r) in pr.reviews.iter().enumerate() {
            csv.row(&[
                teams[t].full_repo(),
                pr.number.to_string(),
                who(
                    people,
                    Author::Person(r.reviewer),
                    (t as u64) << 40 | pr.number << 4 | k as u64,
                ),
                r.state.as_str().to_string(),
                rfc3339(r.at, off),
            ]);
        }
    }
    csv.finish()
}

#[derive(Serialize)]
struct CheckRow<'a> {
    repo: String,
    sha: String,
    name: &'a str,
    conclusion: &'a str,
    started_at: String,
    completed_at: String,
    required: bool,
}

pub fn checks(
    path: &Path,
    teams: &[Team],
    plan: &Plan,
    repos: &[RepoOutput],
) -> Result<usize, DemoError> {
    let mut out = Ndjson::create(path)?;
    for (t, i) in sorted_prs(plan) {
        let pr = &plan.teams[t].prs[i];
        let mut checks: Vec<_> = pr.checks.iter().collect();
        checks.sort_by_key(|c| (c.started, c.name));
        for c in checks {
            let Some(sha) = repos[t].branch_commits[i].get(c.commit) else {
                continue;
            };
            out.row(
                &CheckRow {
                    repo: teams[t].full_repo(),
                    sha: sha.to_string(),
                    name: c.name,
                    conclusion: if c.success { "success" } else { "failure" },
                    started_at: utc(c.started),
                    completed_at: utc(c.completed),
                    required: c.required,
                },
                path,
            )?;
        }
    }
    out.finish()
}

pub fn deployments(
    path: &Path,
    teams: &[Team],
    plan: &Plan,
    repos: &[RepoOutput],
) -> Result<usize, DemoError> {
    let mut csv = Csv::create(path, DEPLOYMENTS)?;
    for (t, tp) in plan.teams.iter().enumerate() {
        let mut order: Vec<usize> = (0..tp.deployments.len()).collect();
        order.sort_by_key(|&i| (tp.deployments[i].started, i));
        for i in order {
            let d = &tp.deployments[i];
            let sha = match d.tip {
                Tip::Initial => Some(repos[t].initial),
                Tip::Merge(p) => repos[t].merge_commits[p],
            };
            let Some(sha) = sha else {
                continue;
            };
            csv.row(&[
                d.id.clone(),
                teams[t].full_repo(),
                d.env.as_str().to_string(),
                sha.to_string(),
                utc(d.started),
                utc(d.finished),
                d.status.as_str().to_string(),
                d.kind.as_str().to_string(),
                teams[t].service(),
            ]);
        }
    }
    csv.finish()
}

pub fn incidents(path: &Path, teams: &[Team], plan: &Plan) -> Result<usize, DemoError> {
    let mut csv = Csv::create(path, INCIDENTS)?;
    let mut all = Vec::new();
    for (t, tp) in plan.teams.iter().enumerate() {
        for inc in &tp.incidents {
            all.push((inc.opened, t, inc));
        }
    }
    all.sort_by(|a, b| (a.0, &a.2.id).cmp(&(b.0, &b.2.id)));
    for (_, t, inc) in all {
        let tp = &plan.teams[t];
        csv.row(&[
            inc.id.clone(),
            inc.service.clone(),
            if inc.with_repo {
                teams[t].full_repo()
            } else {
                String::new()
            },
            format!("sev{}", inc.severity),
            utc(inc.opened),
            opt(inc.resolved.map(utc)),
            opt(inc.caused_by.map(|d| tp.deployments[d].id.clone())),
            bool_str(inc.customer_impacting),
            bool_str(inc.ai_related),
        ]);
    }
    csv.finish()
}
