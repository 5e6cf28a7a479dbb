//! The organisation's work, simulated in time but not yet written anywhere: work items,
//! pull requests with their commits, reviews and checks, deployments and incidents.
//!
//! Everything here is plain data with instants in Unix seconds. Commits are described
//! (time, author, message, how many lines they add and delete, where) and the git writer
//! turns them into objects; shas are known only after that, so deployments point at "the
//! main branch after PR n was merged" ([`Tip`]).

use crate::calendar::{DAY, END, HOUR, MINUTE, START, WEEK, local_midnight, skip_weekend};
use crate::calendar::{time_of_day, weekday};
use crate::org::{Level, Person, Stack, TEAMS, Team, TeamSpec, Tool};
use crate::rng::Rng;
use crate::story::*;
use crate::words::*;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WorkType {
    Feature,
    Bug,
    Chore,
    Debt,
    Spike,
    Experiment,
    Incident,
}

impl WorkType {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkType::Feature => "feature",
            WorkType::Bug => "bug",
            WorkType::Chore => "chore",
            WorkType::Debt => "debt",
            WorkType::Spike => "spike",
            WorkType::Experiment => "experiment",
            WorkType::Incident => "incident",
        }
    }

    fn label(self) -> &'static str {
        match self {
            WorkType::Feature => "feature",
            WorkType::Bug => "bug",
            WorkType::Chore => "chore",
            WorkType::Debt => "tech-debt",
            WorkType::Spike | WorkType::Experiment => "exploration",
            WorkType::Incident => "incident",
        }
    }

    /// Median lines added by a change of this type, and deleted lines per added line.
    fn size(self) -> (f64, f64) {
        match self {
            WorkType::Feature => (140.0, 0.15),
            WorkType::Bug => (35.0, 0.6),
            WorkType::Chore => (30.0, 0.4),
            WorkType::Debt => (90.0, 0.9),
            WorkType::Spike => (60.0, 0.1),
            WorkType::Experiment => (90.0, 0.1),
            WorkType::Incident => (15.0, 0.5),
        }
    }

    /// How long coding takes relative to the median.
    fn coding_factor(self) -> f64 {
        match self {
            WorkType::Feature => 1.25,
            WorkType::Bug => 0.6,
            WorkType::Chore => 0.5,
            WorkType::Debt => 1.0,
            WorkType::Spike => 0.8,
            WorkType::Experiment => 1.0,
            WorkType::Incident => 0.3,
        }
    }
}

/// What a commit works on, which decides the folders it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Feature,
    Bug,
    Chore,
    Debt,
    Explore,
    Hotfix,
    Bump,
}

impl Focus {
    fn of(kind: WorkType) -> Focus {
        match kind {
            WorkType::Feature => Focus::Feature,
            WorkType::Bug => Focus::Bug,
            WorkType::Chore => Focus::Chore,
            WorkType::Debt => Focus::Debt,
            WorkType::Spike | WorkType::Experiment => Focus::Explore,
            WorkType::Incident => Focus::Hotfix,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bot {
    Dependabot,
    Renovate,
}

impl Bot {
    pub fn login(self) -> &'static str {
        match self {
            Bot::Dependabot => "dependabot[bot]",
            Bot::Renovate => "renovate[bot]",
        }
    }

    pub fn email(self) -> &'static str {
        match self {
            Bot::Dependabot => "49699333+dependabot[bot]@users.noreply.github.com",
            Bot::Renovate => "29139614+renovate[bot]@users.noreply.github.com",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    Person(usize),
    Bot(Bot),
}

/// A dependency bump: package, old version, new version.
#[derive(Debug, Clone)]
pub struct Bump {
    pub package: String,
    pub to: String,
}

#[derive(Debug, Clone)]
pub struct CommitPlan {
    pub time: i64,
    pub author: Author,
    /// Committed with the person's second email.
    pub alt_email: bool,
    pub subject: String,
    pub body: Vec<String>,
    pub trailers: Vec<String>,
    pub add: u32,
    pub del: u32,
    pub focus: Focus,
    /// Written by an AI tool (an `authored` signature), for line attribution.
    pub ai: bool,
    pub bump: Option<Bump>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    Approved,
    ChangesRequested,
    Commented,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Approved => "approved",
            ReviewState::ChangesRequested => "changes_requested",
            ReviewState::Commented => "commented",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReviewPlan {
    pub reviewer: usize,
    pub state: ReviewState,
    pub at: i64,
}

#[derive(Debug, Clone)]
pub struct CheckPlan {
    /// Index of the commit in the PR's commits.
    pub commit: usize,
    pub name: &'static str,
    pub success: bool,
    pub started: i64,
    pub completed: i64,
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrKind {
    Work,
    Hotfix,
    Bump,
}

#[derive(Debug, Clone)]
pub struct Pr {
    pub kind: PrKind,
    pub author: Author,
    pub work: Option<usize>,
    /// The title without the work-item key.
    pub subject: String,
    /// 0 `KEY: subject`, 1 `KEY subject`, 2 `[KEY] subject`, 3 no key.
    pub title_style: u8,
    pub branch_prefix: Option<&'static str>,
    pub fixed_branch: Option<String>,
    pub started: i64,
    pub created: i64,
    pub ready: i64,
    pub approved: Option<i64>,
    pub tests_passed: Option<i64>,
    pub merged: Option<i64>,
    pub closed: Option<i64>,
    pub commits: Vec<CommitPlan>,
    pub squash: bool,
    pub merger: Option<usize>,
    pub reviews: Vec<ReviewPlan>,
    pub checks: Vec<CheckPlan>,
    pub tool: Option<Tool>,
    pub labels: Vec<String>,
    pub body_markers: Vec<String>,
    /// The work item is listed in the PR's `work_items` column.
    pub list_work_item: bool,
    /// First successful production deployment that shipped it.
    pub released: Option<i64>,
    pub number: u64,
    pub title: String,
    pub branch: String,
}

#[derive(Debug, Clone)]
pub struct WorkItem {
    pub kind: WorkType,
    pub title: String,
    pub created: i64,
    pub started: Option<i64>,
    pub done: Option<i64>,
    pub released: Option<i64>,
    pub customer_request: bool,
    pub labels: Vec<String>,
    pub prs: Vec<usize>,
    /// The PRs are listed in the item's `linked_prs` column.
    pub link_from_item: bool,
    pub key: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Env {
    Production,
    Staging,
}

impl Env {
    pub fn as_str(self) -> &'static str {
        match self {
            Env::Production => "production",
            Env::Staging => "staging",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployStatus {
    Success,
    Failure,
    RolledBack,
}

impl DeployStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeployStatus::Success => "success",
            DeployStatus::Failure => "failure",
            DeployStatus::RolledBack => "rolled_back",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployKind {
    Regular,
    Hotfix,
    Rollback,
}

impl DeployKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeployKind::Regular => "regular",
            DeployKind::Hotfix => "hotfix",
            DeployKind::Rollback => "rollback",
        }
    }
}

/// The state of main a deployment shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tip {
    /// The repository's first commit.
    Initial,
    /// The main branch right after this PR (index) was merged.
    Merge(usize),
}

#[derive(Debug, Clone)]
pub struct Deployment {
    pub id: String,
    pub env: Env,
    pub tip: Tip,
    pub started: i64,
    pub finished: i64,
    pub status: DeployStatus,
    pub kind: DeployKind,
    /// The planted truth: this production deployment caused a failure.
    pub failed: bool,
}

#[derive(Debug, Clone)]
pub struct Incident {
    pub id: String,
    pub service: String,
    /// The incident names the repository (else only the service).
    pub with_repo: bool,
    pub severity: u8,
    pub opened: i64,
    pub resolved: Option<i64>,
    /// Index of the deployment in the team's deployments.
    pub caused_by: Option<usize>,
    /// The deployment that really caused it, declared or not.
    pub cause: Option<usize>,
    pub customer_impacting: bool,
    pub ai_related: bool,
}

#[derive(Debug, Default)]
pub struct TeamPlan {
    pub prs: Vec<Pr>,
    pub items: Vec<WorkItem>,
    pub deployments: Vec<Deployment>,
    pub incidents: Vec<Incident>,
}

impl TeamPlan {
    /// Merged PRs in the order they land on main (time, then index).
    pub fn merge_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.prs.len())
            .filter(|&i| self.prs[i].merged.is_some())
            .collect();
        order.sort_by_key(|&i| (self.prs[i].merged, i));
        order
    }

    fn tip_time(&self, tip: Tip) -> i64 {
        match tip {
            Tip::Initial => i64::MIN,
            Tip::Merge(i) => self.prs[i].merged.unwrap_or(i64::MIN),
        }
    }
}

/// The whole plan: one per team, plus incidents of shared infrastructure.
pub struct Plan {
    pub teams: Vec<TeamPlan>,
}

/// The moment a repository's first commit is made.
pub const INITIAL_COMMIT: i64 = START + 12 * HOUR;
/// Branch commits start after it.
const FIRST_WORK: i64 = INITIAL_COMMIT + HOUR;

struct Ctx<'a> {
    t: usize,
    spec: &'a Team,
    teams: &'a [Team],
    story: TeamStory,
    people: &'a [Person],
    members: Vec<usize>,
    rng: Rng,
}

pub fn plan(seed: u64, all: &[Team], people: &[Person]) -> Plan {
    let stories = stories(all);
    let mut teams = Vec::new();
    for (t, spec) in all.iter().enumerate() {
        let mut ctx = Ctx {
            t,
            spec,
            teams: all,
            story: stories[t],
            people,
            members: (0..people.len()).filter(|&p| people[p].team == t).collect(),
            rng: Rng::new(seed, &format!("plan/{}", spec.name)),
        };
        let mut tp = TeamPlan::default();
        regular_work(&mut ctx, &mut tp);
        bot_work(&mut ctx, &mut tp);
        backlog(&mut ctx, &mut tp);
        deployments(&mut ctx, &mut tp);
        releases(&mut tp);
        finalize(&ctx, &mut tp);
        teams.push(tp);
    }
    shared_incidents(seed, all, &mut teams);
    number_incidents(&mut teams);
    Plan { teams }
}

/// Moves an instant into the person's working hours (09:00–18:30 local, weekdays).
fn working_time(t: i64, offset: i32, rng: &mut Rng) -> i64 {
    let t = skip_weekend(t, offset);
    let tod = time_of_day(t, offset);
    if (9 * HOUR..18 * HOUR + 30 * MINUTE).contains(&tod) {
        return t;
    }
    let midnight = local_midnight(t, offset);
    let base = if tod < 9 * HOUR {
        midnight
    } else {
        midnight + DAY
    };
    skip_weekend(base + 9 * HOUR + rng.int(0, 150) * MINUTE, offset)
}

const TYPES: [WorkType; 6] = [
    WorkType::Feature,
    WorkType::Bug,
    WorkType::Chore,
    WorkType::Debt,
    WorkType::Spike,
    WorkType::Experiment,
];

fn type_weights(phase: Phase) -> [f64; 6] {
    let innovation = INNOVATION_SHARE[phase as usize];
    let rest = 1.0 - innovation;
    [
        0.46 * rest,
        0.25 * rest,
        0.17 * rest,
        0.12 * rest,
        innovation * 0.5,
        innovation * 0.5,
    ]
}

fn draw_type(phase: Phase, rng: &mut Rng) -> WorkType {
    TYPES[rng.weighted(&type_weights(phase))]
}

/// The next work type of a person: every type earns credit at its share of the phase's
/// mix and the richest type is taken. A person's mix of work then follows the proportions
/// closely month by month instead of drifting with chance, which keeps the number of
/// features a team delivers (and the ROI built on it) steady enough to measure.
fn next_type(credits: &mut [f64; 6], weights: &[f64; 6]) -> WorkType {
    let total: f64 = weights.iter().sum();
    let mut best: Option<usize> = None;
    for i in 0..credits.len() {
        if weights[i] <= 0.0 {
            continue;
        }
        credits[i] += weights[i] / total;
        if best.is_none_or(|b| credits[i] > credits[b]) {
            best = Some(i);
        }
    }
    let best = best.unwrap_or(0);
    credits[best] -= 1.0;
    TYPES[best]
}

fn pick_str(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len())]
}

fn item_title(kind: WorkType, spec: &TeamSpec, rng: &mut Rng) -> String {
    let n = *rng.pick(spec.nouns);
    let t = *rng.pick(FEATURE_THINGS);
    let p = *rng.pick(BUG_PROBLEMS);
    let x = *rng.pick(SPIKE_TECH);
    let forms = match kind {
        WorkType::Feature => FEATURE_FORMS,
        WorkType::Bug => BUG_FORMS,
        WorkType::Chore => CHORE_FORMS,
        WorkType::Debt => DEBT_FORMS,
        WorkType::Spike => SPIKE_FORMS,
        WorkType::Experiment => EXPERIMENT_FORMS,
        WorkType::Incident => &["Incident follow-up: {n} {p}"],
    };
    let p = if kind == WorkType::Incident {
        *rng.pick(INCIDENT_SYMPTOMS)
    } else {
        p
    };
    let form = pick_str(rng, forms);
    fill(form, n, t, p, x)
}

/// Trailers and body lines an AI tool leaves on a commit made at `t`.
fn ai_signature(tool: Tool, t: i64, rng: &mut Rng) -> (Vec<String>, Vec<String>) {
    let mut body = Vec::new();
    let mut trailers = Vec::new();
    match tool {
        Tool::ClaudeCode => {
            if rng.chance(0.7) {
                body.push("🤖 Generated with [Claude Code](https://claude.com/claude-code)".into());
            }
            let name = if t < crate::calendar::at(2025, 12, 1) {
                "Claude"
            } else if t < crate::calendar::at(2026, 3, 1) {
                *rng.pick(&["Claude Opus 4.5", "Claude Sonnet 4.5"])
            } else {
                *rng.pick(&["Claude Opus 4.6", "Claude Sonnet 4.6 (1M context)"])
            };
            trailers.push(format!("Co-Authored-By: {name} <noreply@anthropic.com>"));
        }
        Tool::CopilotAgent => {
            trailers.push(
                "Co-authored-by: Copilot <198982749+Copilot@users.noreply.github.com>".into(),
            );
        }
        Tool::CopilotAssistant => {
            trailers.push(
                "Co-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>".into(),
            );
        }
        Tool::Cursor => {
            if rng.chance(0.5) {
                trailers.push("Co-authored-by: Cursor <cursoragent@cursor.com>".into());
            } else {
                trailers.push("Made-with: Cursor".into());
            }
        }
        Tool::Aider => {
            let model = *rng.pick(&["anthropic/claude-sonnet-4-5", "openai/gpt-5"]);
            trailers.push(format!(
                "Co-authored-by: aider ({model}) <aider@aider.chat>"
            ));
        }
        Tool::Codex => {
            trailers.push("Co-authored-by: Codex <noreply@openai.com>".into());
        }
    }
    (body, trailers)
}

impl Ctx<'_> {
    fn person(&self, p: usize) -> &Person {
        &self.people[p]
    }

    fn offset(&self) -> i32 {
        self.spec.offset_min
    }

    /// A reviewer for a PR by `author` at `t`: mostly teammates weighted towards seniors,
    /// sometimes a senior of another team.
    fn reviewer(&mut self, author: Option<usize>, t: i64, exclude: &[usize]) -> usize {
        let cross = self.rng.chance(0.1);
        let pool: Vec<usize> = if cross {
            (0..self.people.len())
                .filter(|&p| {
                    let q = &self.people[p];
                    q.team != self.t
                        && self.teams[q.team].copy == self.spec.copy
                        && matches!(q.level, Level::Senior | Level::Staff)
                        && q.employed(t)
                })
                .collect()
        } else {
            self.members
                .iter()
                .copied()
                .filter(|&p| {
                    Some(p) != author && !exclude.contains(&p) && self.people[p].employed(t)
                })
                .collect()
        };
        let pool = if pool.is_empty() {
            self.members
                .iter()
                .copied()
                .filter(|&p| Some(p) != author)
                .collect::<Vec<_>>()
        } else {
            pool
        };
        let weights: Vec<f64> = pool
            .iter()
            .map(|&p| review_weight(self.people[p].level))
            .collect();
        pool[self.rng.weighted(&weights)]
    }

    /// Someone on call at `t`: a senior or mid-level engineer of the team.
    fn on_call(&mut self, t: i64) -> usize {
        let pool: Vec<usize> = self
            .members
            .iter()
            .copied()
            .filter(|&p| self.people[p].employed(t) && self.people[p].level != Level::Junior)
            .collect();
        if pool.is_empty() {
            return self.members[0];
        }
        pool[self.rng.below(pool.len())]
    }

    fn checks_on_push(&mut self, commit: usize, at: i64, phase: Phase, out: &mut Vec<CheckPlan>) {
        let rng = &mut self.rng;
        // build
        let started = at + rng.int(1, 4) * MINUTE;
        let mut completed = started + rng.int(3, 9) * MINUTE;
        if rng.chance(0.03) {
            out.push(CheckPlan {
                commit,
                name: "build",
                success: false,
                started,
                completed,
                required: true,
            });
            let again = completed + rng.int(10, 40) * MINUTE;
            completed = again + rng.int(3, 9) * MINUTE;
            out.push(CheckPlan {
                commit,
                name: "build",
                success: true,
                started: again,
                completed,
                required: true,
            });
        } else {
            out.push(CheckPlan {
                commit,
                name: "build",
                success: true,
                started,
                completed,
                required: true,
            });
        }
        // unit tests
        let started = at + rng.int(1, 4) * MINUTE;
        let completed = started + rng.int(8, 20) * MINUTE;
        let fail = [0.08, 0.14, 0.06][phase as usize];
        if rng.chance(fail) {
            out.push(CheckPlan {
                commit,
                name: "test",
                success: false,
                started,
                completed,
                required: true,
            });
            let again = completed + rng.int(20, 120) * MINUTE;
            out.push(CheckPlan {
                commit,
                name: "test",
                success: true,
                started: again,
                completed: again + rng.int(8, 20) * MINUTE,
                required: true,
            });
        } else {
            out.push(CheckPlan {
                commit,
                name: "test",
                success: true,
                started,
                completed,
                required: true,
            });
        }
        let started = at + rng.int(1, 3) * MINUTE;
        out.push(CheckPlan {
            commit,
            name: "lint",
            success: rng.chance(0.94),
            started,
            completed: started + rng.int(1, 3) * MINUTE,
            required: false,
        });
    }

    /// Plans a PR for a work item of `kind` that `author` starts at `start`. `None` when
    /// the work finished before the history begins or never reached a first commit.
    fn work_pr(
        &mut self,
        author: usize,
        kind: WorkType,
        start: i64,
        work: Option<usize>,
    ) -> Option<Pr> {
        let person = self.person(author);
        let level = person.level;
        let propensity = person.ai_propensity;
        let has_alt = person.emails.len() > 1;
        let alt_share = person.alt_email_share;
        let offset = self.offset();
        let story = self.story;
        let phase_start = story.phase(start);
        let share = story.ai_share(start, propensity);
        let ai_pr = share > 0.0 && self.rng.chance((share / SIGNED_COMMIT_SHARE).min(0.98));
        let tool = if ai_pr {
            let weights: Vec<f64> = self.spec.tools.iter().map(|(_, w)| *w).collect();
            Some(self.spec.tools[self.rng.weighted(&weights)].0)
        } else {
            None
        };
        let coding = self.rng.lognormal(
            CODING_DAYS * coding_level_factor(level) * kind.coding_factor(),
            STAGE_SIGMA,
        ) * CODING_MULT[phase_start as usize]
            * DAY as f64;
        let mut ready = start + coding as i64;
        if ready < FIRST_WORK + DAY {
            return None;
        }

        // Commits.
        let k = 1 + self.rng.weighted(&[0.35, 0.30, 0.20, 0.15]);
        let (median, del_ratio) = kind.size();
        let boost = if ai_pr { 1.3 } else { 1.0 };
        let total_add = (self.rng.lognormal(median * boost, 0.7).max(3.0)) as u32;
        let total_del = (f64::from(total_add) * del_ratio * self.rng.uniform(0.5, 1.5)) as u32;
        let weights: Vec<f64> = (0..k).map(|_| self.rng.uniform(0.3, 1.0)).collect();
        let wsum: f64 = weights.iter().sum();
        let mut times = Vec::with_capacity(k);
        for i in 0..k {
            let frac = (i as f64 + self.rng.uniform(0.3, 1.0)) / k as f64;
            let mut t = start + (coding * (0.05 + 0.9 * frac)) as i64;
            if t < FIRST_WORK {
                // Work begun before the history: its commits land in the first days.
                let room = ((ready - FIRST_WORK) as f64 * 0.6) as i64;
                t = FIRST_WORK + self.rng.int(0, room.max(HOUR));
            }
            let adjusted = working_time(t, offset, &mut self.rng);
            if adjusted < ready - 10 * MINUTE {
                t = adjusted;
            }
            times.push(t);
        }
        times.sort_unstable();
        for i in 1..k {
            if times[i] < times[i - 1] + 3 * MINUTE {
                times[i] = times[i - 1] + 3 * MINUTE;
            }
        }
        ready = ready.max(times[k - 1] + 5 * MINUTE);
        let focus = Focus::of(kind);
        let title = match work {
            Some(_) => String::new(), // filled by the caller from the item
            None => item_title(kind, self.spec, &mut self.rng),
        };
        let mut commits = Vec::with_capacity(k + 1);
        let pair = if phase_start == Phase::Baseline {
            0.06
        } else {
            0.03
        };
        for (i, &t) in times.iter().enumerate() {
            let add = ((f64::from(total_add) * weights[i] / wsum).round() as u32).max(1);
            let del = (f64::from(total_del) * weights[i] / wsum).round() as u32;
            let n = *self.rng.pick(self.spec.nouns);
            let thing = *self.rng.pick(FEATURE_THINGS);
            let subject = if i == 0 {
                String::new() // the work's title, filled in later
            } else {
                fill(
                    pick_str(&mut self.rng, FOLLOW_UP_SUBJECTS),
                    n,
                    thing,
                    "",
                    "",
                )
            };
            let signed = tool.is_some() && self.rng.chance(SIGNED_COMMIT_SHARE);
            let (body, mut trailers) = match (signed, tool) {
                (true, Some(tool)) => ai_signature(tool, t, &mut self.rng),
                _ => (Vec::new(), Vec::new()),
            };
            if self.rng.chance(pair) {
                let mate = self.reviewer(Some(author), t, &[]);
                let q = self.person(mate);
                trailers.push(format!("Co-authored-by: {} <{}>", q.name, q.email()));
            }
            commits.push(CommitPlan {
                time: t,
                author: Author::Person(author),
                alt_email: has_alt && self.rng.chance(alt_share),
                subject,
                body,
                trailers,
                add,
                del,
                focus,
                ai: signed,
                bump: None,
            });
        }
        let created = if self.rng.chance(0.35) {
            times[0] + self.rng.int(1, 20) * MINUTE
        } else {
            ready - self.rng.int(1, 30) * MINUTE
        }
        .max(times[0] + MINUTE)
        // A pull request is never ready for review before it exists.
        .min(ready);

        // Review.
        let phase_ready = story.phase(ready);
        let review = self.rng.lognormal(REVIEW_DAYS, STAGE_SIGMA)
            * REVIEW_MULT[phase_ready as usize]
            * DAY as f64;
        let approved = ready + review as i64;
        let approver = self.reviewer(Some(author), ready, &[]);
        let mut reviews = Vec::new();
        let mut checks = Vec::new();
        let p_cr = match phase_ready {
            Phase::Baseline => CHANGES_REQUESTED_BASELINE,
            Phase::Ai if ai_pr => CHANGES_REQUESTED_AI_ASSISTED,
            Phase::Ai => CHANGES_REQUESTED_AI_OTHER,
            Phase::Governed => CHANGES_REQUESTED_GOVERNED,
        };
        let abandoned = self.rng.chance(0.03);
        if self.rng.chance(p_cr) {
            let r1 = ready + (review * self.rng.uniform(0.25, 0.6)) as i64;
            let who = if self.rng.chance(0.7) {
                approver
            } else {
                self.reviewer(Some(author), r1, &[approver])
            };
            reviews.push(ReviewPlan {
                reviewer: who,
                state: ReviewState::ChangesRequested,
                at: r1,
            });
            checks_for_push(
                self,
                commits.len() - 1,
                times[k - 1],
                phase_start,
                &mut checks,
            );
            let t = r1 + ((approved - r1) as f64 * self.rng.uniform(0.2, 0.7)) as i64;
            let copilot_suggestion = phase_ready == Phase::Governed && self.rng.chance(0.3);
            let n = *self.rng.pick(self.spec.nouns);
            let (subject, trailers, ai) = if copilot_suggestion {
                (
                    "Apply suggestion from @Copilot".to_string(),
                    vec![
                        "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>"
                            .to_string(),
                    ],
                    false,
                )
            } else {
                let signed = tool.is_some() && self.rng.chance(SIGNED_COMMIT_SHARE);
                let (_, trailers) = match (signed, tool) {
                    (true, Some(tool)) => ai_signature(tool, t, &mut self.rng),
                    _ => (Vec::new(), Vec::new()),
                };
                (
                    fill(pick_str(&mut self.rng, REWORK_SUBJECTS), n, "", "", ""),
                    trailers,
                    signed,
                )
            };
            let add = self.rng.int(3, 30) as u32;
            commits.push(CommitPlan {
                time: t,
                author: Author::Person(author),
                alt_email: false,
                subject,
                body: Vec::new(),
                trailers,
                add,
                del: self.rng.int(1, 15) as u32,
                focus,
                ai,
                bump: None,
            });
        }
        if self.rng.chance(0.25) {
            let at = ready + (review * self.rng.uniform(0.05, 0.5)) as i64;
            let who = self.reviewer(Some(author), at, &[approver]);
            reviews.push(ReviewPlan {
                reviewer: who,
                state: ReviewState::Commented,
                at,
            });
        }
        let head = commits.len() - 1;
        let head_time = commits[head].time;
        checks_for_push(self, head, head_time, phase_start, &mut checks);

        let mut pr = Pr {
            kind: PrKind::Work,
            author: Author::Person(author),
            work,
            subject: title,
            title_style: self.rng.weighted(&[0.55, 0.15, 0.15, 0.15]) as u8,
            branch_prefix: tool.and_then(|t| {
                let p = t.branch_prefix()?;
                let share = if t == Tool::CopilotAgent { 1.0 } else { 0.35 };
                self.rng.chance(share).then_some(p)
            }),
            fixed_branch: None,
            started: start,
            created,
            ready,
            approved: None,
            tests_passed: None,
            merged: None,
            closed: None,
            commits,
            squash: self.rng.chance(0.05),
            merger: None,
            reviews,
            checks,
            tool,
            labels: vec![kind.label().to_string()],
            body_markers: Vec::new(),
            list_work_item: work.is_some() && self.rng.chance(0.25),
            released: None,
            number: 0,
            title: String::new(),
            branch: String::new(),
        };
        if let Some(tool) = tool {
            let label = if phase_ready == Phase::Governed {
                0.85
            } else {
                0.25
            };
            if self.rng.chance(label) {
                pr.labels.push("ai-assisted".into());
            }
            if tool == Tool::ClaudeCode && self.rng.chance(0.6) {
                pr.body_markers.push("Generated with Claude Code".into());
            }
        }
        if abandoned {
            pr.closed = Some(ready + self.rng.int(2, 10) * DAY);
            pr.reviews.retain(|r| r.state != ReviewState::Approved);
        } else {
            pr.reviews.push(ReviewPlan {
                reviewer: approver,
                state: ReviewState::Approved,
                at: approved,
            });
            if self.rng.chance(0.3) {
                let at =
                    (approved - (review * self.rng.uniform(0.0, 0.3)) as i64).max(ready + MINUTE);
                let who = self.reviewer(Some(author), at, &[approver]);
                pr.reviews.push(ReviewPlan {
                    reviewer: who,
                    state: ReviewState::Approved,
                    at,
                });
            }
            let phase_approved = story.phase(approved);
            let testing = self.rng.lognormal(TESTING_DAYS, STAGE_SIGMA)
                * TESTING_MULT[phase_approved as usize]
                * DAY as f64;
            let passed = approved + testing as i64;
            if self.rng.chance(E2E_FIRST_FAILURE[phase_approved as usize]) {
                let done = approved + (testing * self.rng.uniform(0.3, 0.6)) as i64;
                pr.checks.push(CheckPlan {
                    commit: head,
                    name: "e2e",
                    success: false,
                    started: (done - 25 * MINUTE).max(approved),
                    completed: done,
                    required: true,
                });
            }
            pr.checks.push(CheckPlan {
                commit: head,
                name: "e2e",
                success: true,
                started: (passed - self.rng.int(18, 30) * MINUTE).max(approved),
                completed: passed.max(approved + 5 * MINUTE),
                required: true,
            });
            let merged = passed + self.rng.lognormal(0.6 * HOUR as f64, 0.8) as i64;
            pr.approved = Some(approved);
            pr.tests_passed = Some(passed.max(approved + 5 * MINUTE));
            pr.merged = Some(merged.max(passed + 5 * MINUTE + MINUTE));
            pr.merger = Some(if self.rng.chance(0.75) {
                author
            } else {
                approver
            });
        }
        if pr.reviews.len() > 3 {
            pr.reviews.retain(|r| r.state != ReviewState::Commented);
        }
        pr.reviews.sort_by_key(|r| r.at);
        cut_at_end(&mut pr);
        if pr.commits.is_empty() || pr.created >= END {
            return None;
        }
        Some(pr)
    }

    /// A hotfix PR opened at `at` by whoever is on call, linked to `item`.
    fn hotfix_pr(&mut self, at: i64, item: usize) -> Option<Pr> {
        let author = self.on_call(at);
        let phase = self.story.phase(at);
        let commit_at = at + self.rng.int(10, 60) * MINUTE;
        let ready = commit_at + self.rng.int(3, 10) * MINUTE;
        let approved = ready + self.rng.lognormal(40.0 * MINUTE as f64, 0.5) as i64;
        let passed = approved + self.rng.int(15, 40) * MINUTE;
        let merged = passed + self.rng.int(5, 20) * MINUTE;
        if merged >= END {
            return None;
        }
        let approver = self.reviewer(Some(author), ready, &[]);
        let n = *self.rng.pick(self.spec.nouns);
        let mut checks = Vec::new();
        checks_for_push(self, 0, commit_at, phase, &mut checks);
        checks.retain(|c| c.success || c.name == "lint");
        checks.push(CheckPlan {
            commit: 0,
            name: "e2e",
            success: true,
            started: passed - 12 * MINUTE,
            completed: passed,
            required: true,
        });
        let alt = self.person(author).emails.len() > 1 && self.rng.chance(0.1);
        Some(Pr {
            kind: PrKind::Hotfix,
            author: Author::Person(author),
            work: Some(item),
            subject: format!("Hotfix {n} regression"),
            title_style: 0,
            branch_prefix: None,
            fixed_branch: None,
            started: at,
            created: ready - MINUTE,
            ready,
            approved: Some(approved),
            tests_passed: Some(passed),
            merged: Some(merged),
            closed: None,
            commits: vec![CommitPlan {
                time: commit_at,
                author: Author::Person(author),
                alt_email: alt,
                subject: format!("Fix {n} regression from last deploy"),
                body: Vec::new(),
                trailers: Vec::new(),
                add: self.rng.int(2, 25) as u32,
                del: self.rng.int(1, 12) as u32,
                focus: Focus::Hotfix,
                ai: false,
                bump: None,
            }],
            squash: false,
            merger: Some(author),
            reviews: vec![ReviewPlan {
                reviewer: approver,
                state: ReviewState::Approved,
                at: approved,
            }],
            checks,
            tool: None,
            labels: vec!["hotfix".into()],
            body_markers: Vec::new(),
            list_work_item: true,
            released: None,
            number: 0,
            title: String::new(),
            branch: String::new(),
        })
    }
}

fn checks_for_push(
    ctx: &mut Ctx<'_>,
    commit: usize,
    at: i64,
    phase: Phase,
    out: &mut Vec<CheckPlan>,
) {
    ctx.checks_on_push(commit, at, phase, out);
}

/// Drops everything that would happen after the history ends.
fn cut_at_end(pr: &mut Pr) {
    pr.commits.retain(|c| c.time < END);
    let n = pr.commits.len();
    pr.checks.retain(|c| c.completed < END && c.commit < n);
    pr.reviews.retain(|r| r.at < END);
    if pr.approved.is_some_and(|t| t >= END) {
        pr.approved = None;
    }
    if pr.tests_passed.is_some_and(|t| t >= END) {
        pr.tests_passed = None;
    }
    if pr.merged.is_some_and(|t| t >= END) {
        pr.merged = None;
        pr.merger = None;
    }
    if pr.closed.is_some_and(|t| t >= END) {
        pr.closed = None;
    }
    if pr.ready >= END {
        // Still a draft: no review was requested yet.
        pr.reviews.clear();
    }
}

/// The share of new work that is a feature, by phase.
fn feature_share(phase: Phase) -> f64 {
    type_weights(phase)[0]
}

/// Regular work. Features come from the team's roadmap at a steady cadence (the team's
/// capacity times the throughput multiplier) and go to its members in turn; everything
/// else (bugs, chores, debt, exploration) comes to each person at their own pace.
fn regular_work(ctx: &mut Ctx<'_>, tp: &mut TeamPlan) {
    let members = ctx.members.clone();
    let offset = ctx.offset();
    for &p in &members {
        let (level, hired) = (ctx.people[p].level, ctx.people[p].start_date);
        let mut clock = hired.max(START - 30 * DAY);
        // Random starting credits put people out of step with each other.
        let mut credits = [0.0; 6];
        for c in &mut credits {
            *c = ctx.rng.uniform(-0.5, 0.5);
        }
        loop {
            let phase = ctx.story.phase(clock);
            let rate = BASE_STARTS_PER_WEEK
                * start_rate_factor(level)
                * ctx.story.throughput(clock)
                * (1.0 - feature_share(phase));
            // Erlang-distributed gaps (shape 8): work arrives more regularly than a
            // Poisson stream, as it does from a planned backlog.
            let gap: f64 = (0..8).map(|_| ctx.rng.exponential(1.0)).sum::<f64>() / 8.0;
            clock += (gap / rate * WEEK as f64) as i64;
            let start = working_time(clock, offset, &mut ctx.rng);
            if start >= END {
                break;
            }
            if !ctx.people[p].employed(start) {
                if ctx.people[p].end_date.is_some_and(|e| start > e) {
                    break;
                }
                continue;
            }
            let mut weights = type_weights(ctx.story.phase(start));
            weights[0] = 0.0;
            let kind = next_type(&mut credits, &weights);
            start_work(ctx, tp, p, kind, start);
        }
    }
    // The roadmap: smooth weighted round robin over the members employed at each start.
    let mut turn: Vec<f64> = members.iter().map(|_| ctx.rng.uniform(0.0, 1.0)).collect();
    let mut clock = START - 30 * DAY;
    loop {
        let capacity: f64 = members
            .iter()
            .filter(|&&p| ctx.people[p].employed(clock))
            .map(|&p| BASE_STARTS_PER_WEEK * start_rate_factor(ctx.people[p].level))
            .sum();
        let rate = capacity * ctx.story.throughput(clock) * feature_share(ctx.story.phase(clock));
        if rate <= 0.0 {
            break;
        }
        clock += (ctx.rng.uniform(0.8, 1.2) / rate * WEEK as f64) as i64;
        let start = working_time(clock, offset, &mut ctx.rng);
        if start >= END {
            break;
        }
        let employed: Vec<usize> = (0..members.len())
            .filter(|&i| ctx.people[members[i]].employed(start))
            .collect();
        if employed.is_empty() {
            continue;
        }
        let total: f64 = employed
            .iter()
            .map(|&i| start_rate_factor(ctx.people[members[i]].level))
            .sum();
        for &i in &employed {
            turn[i] += start_rate_factor(ctx.people[members[i]].level);
        }
        let mut best = employed[0];
        for &i in &employed {
            if turn[i] > turn[best] {
                best = i;
            }
        }
        turn[best] -= total;
        start_work(ctx, tp, members[best], WorkType::Feature, start);
    }
}

/// A work item of `kind` that `p` starts at `start`, with its PR when it has one.
fn start_work(ctx: &mut Ctx<'_>, tp: &mut TeamPlan, p: usize, kind: WorkType, start: i64) {
    let title = item_title(kind, ctx.spec, &mut ctx.rng);
    let wait = ctx.rng.lognormal(6.0, 0.9) * DAY as f64;
    let created = (start - wait as i64).max(START - 60 * DAY);
    let customer = match kind {
        WorkType::Feature => ctx.rng.chance(0.3),
        WorkType::Bug => ctx.rng.chance(0.45),
        _ => false,
    };
    // Half of the exploratory work ends in a write-up, not code.
    if matches!(kind, WorkType::Spike | WorkType::Experiment) && ctx.rng.chance(0.5) {
        let done = start + (ctx.rng.lognormal(4.0, 0.5) * DAY as f64) as i64;
        if done < START {
            return;
        }
        tp.items.push(WorkItem {
            kind,
            title,
            created,
            started: Some(start),
            done: (done < END).then_some(done),
            released: None,
            customer_request: false,
            labels: vec![kind.label().to_string()],
            prs: Vec::new(),
            link_from_item: false,
            key: String::new(),
        });
        return;
    }
    // Some chores are done without a ticket.
    let ticketless = kind == WorkType::Chore && ctx.rng.chance(0.25);
    let item_index = (!ticketless).then_some(tp.items.len());
    let Some(mut pr) = ctx.work_pr(p, kind, start, item_index) else {
        if start >= START {
            // Started but not coded before the history ends (or not at all).
            if !ticketless && start < END {
                tp.items.push(WorkItem {
                    kind,
                    title,
                    created,
                    started: Some(start),
                    done: None,
                    released: None,
                    customer_request: customer,
                    labels: vec![kind.label().to_string()],
                    prs: Vec::new(),
                    link_from_item: false,
                    key: String::new(),
                });
            }
        }
        return;
    };
    let pr_index = tp.prs.len();
    if let Some(i) = item_index {
        pr.subject = title.clone();
        let mut labels = vec![kind.label().to_string()];
        if customer {
            labels.push("customer".into());
        }
        tp.items.push(WorkItem {
            kind,
            title,
            created,
            started: Some(start),
            done: pr.merged,
            released: None,
            customer_request: customer,
            labels,
            prs: vec![pr_index],
            link_from_item: ctx.rng.chance(0.15),
            key: String::new(),
        });
        debug_assert_eq!(i + 1, tp.items.len());
    } else {
        pr.title_style = 3;
    }
    if pr.commits[0].subject.is_empty() {
        pr.commits[0].subject = pr.subject.clone();
    }
    tp.prs.push(pr);
}

fn bot_work(ctx: &mut Ctx<'_>, tp: &mut TeamPlan) {
    let (bot, packages) = match ctx.spec.stack {
        Stack::TypeScript => (Bot::Dependabot, TS_PACKAGES),
        Stack::Go => (Bot::Renovate, GO_MODULES),
    };
    let mut versions: BTreeMap<&str, (u32, u32, u32)> = BTreeMap::new();
    for (i, p) in packages.iter().enumerate() {
        versions.insert(p, (1 + (i as u32 % 3), 4 + i as u32, i as u32 % 5));
    }
    let mut clock = START + ctx.rng.int(2, 8) * DAY;
    loop {
        clock += (ctx.rng.exponential(13.0) * DAY as f64) as i64;
        let at = local_midnight(clock, 0) + 5 * HOUR + ctx.rng.int(0, 59) * MINUTE;
        if at >= END - 3 * DAY {
            break;
        }
        let package = *ctx.rng.pick(packages);
        let Some(v) = versions.get_mut(package) else {
            continue;
        };
        let from = format!("{}.{}.{}", v.0, v.1, v.2);
        if ctx.rng.chance(0.3) {
            v.1 += 1;
            v.2 = 0;
        } else {
            v.2 += 1 + ctx.rng.int(0, 2) as u32;
        }
        let to = format!("{}.{}.{}", v.0, v.1, v.2);
        let (subject, branch) = match bot {
            Bot::Dependabot => (
                format!("Bump {package} from {from} to {to}"),
                format!("dependabot/npm_and_yarn/{}-{to}", package.replace('@', "")),
            ),
            Bot::Renovate => (
                format!("fix(deps): update module {package} to v{to}"),
                format!("renovate/{}-{}.x", package.replace(['/', '.'], "-"), v.0),
            ),
        };
        let body = match bot {
            Bot::Dependabot => vec![
                format!("Bumps [{package}](https://github.com/advisories) from {from} to {to}."),
                "---\nupdated-dependencies:\n- dependency-name: ".to_string() + package,
            ],
            Bot::Renovate => vec![format!(
                "This PR contains the following updates: {package} v{from} -> v{to}."
            )],
        };
        let trailers = match bot {
            Bot::Dependabot => vec!["Signed-off-by: dependabot[bot] <support@github.com>".into()],
            Bot::Renovate => Vec::new(),
        };
        let phase = ctx.story.phase(at);
        let ready = at + 2 * MINUTE;
        let approved = ready + ctx.rng.lognormal(10.0 * HOUR as f64, 0.8) as i64;
        let approver = ctx.reviewer(None, approved, &[]);
        let passed = approved + ctx.rng.int(10, 40) * MINUTE;
        let merged = passed + ctx.rng.int(5, 90) * MINUTE;
        let mut checks = Vec::new();
        checks_for_push(ctx, 0, at, phase, &mut checks);
        checks.push(CheckPlan {
            commit: 0,
            name: "e2e",
            success: true,
            started: passed - 15 * MINUTE,
            completed: passed,
            required: true,
        });
        let mut pr = Pr {
            kind: PrKind::Bump,
            author: Author::Bot(bot),
            work: None,
            subject: subject.clone(),
            title_style: 3,
            branch_prefix: None,
            fixed_branch: Some(branch),
            started: at,
            created: at + MINUTE,
            ready,
            approved: Some(approved),
            tests_passed: Some(passed),
            merged: Some(merged),
            closed: None,
            commits: vec![CommitPlan {
                time: at,
                author: Author::Bot(bot),
                alt_email: false,
                subject,
                body,
                trailers,
                add: 4,
                del: 4,
                focus: Focus::Bump,
                ai: false,
                bump: Some(Bump {
                    package: package.to_string(),
                    to,
                }),
            }],
            squash: false,
            merger: Some(approver),
            reviews: vec![ReviewPlan {
                reviewer: approver,
                state: ReviewState::Approved,
                at: approved,
            }],
            checks,
            tool: None,
            labels: vec!["dependencies".into()],
            body_markers: Vec::new(),
            list_work_item: false,
            released: None,
            number: 0,
            title: String::new(),
            branch: String::new(),
        };
        cut_at_end(&mut pr);
        if !pr.commits.is_empty() {
            tp.prs.push(pr);
        }
    }
}

/// Work that was asked for and not started yet.
fn backlog(ctx: &mut Ctx<'_>, tp: &mut TeamPlan) {
    let n = ctx.rng.int(10, 18);
    for _ in 0..n {
        let created = END - ctx.rng.int(1, 90) * DAY - ctx.rng.int(0, 8) * HOUR;
        let kind = draw_type(Phase::Governed, &mut ctx.rng);
        let customer = kind == WorkType::Bug && ctx.rng.chance(0.5);
        tp.items.push(WorkItem {
            kind,
            title: item_title(kind, ctx.spec, &mut ctx.rng),
            created,
            started: None,
            done: None,
            released: None,
            customer_request: customer,
            labels: vec![kind.label().to_string()],
            prs: Vec::new(),
            link_from_item: false,
            key: String::new(),
        });
    }
}

/// Production (and staging) deployments of main, with failures, rollbacks, hotfixes and
/// the incidents they cause.
fn deployments(ctx: &mut Ctx<'_>, tp: &mut TeamPlan) {
    let offset = ctx.offset();
    // (merge time, pr) in main order; hotfixes are inserted as they are made.
    let mut merges: Vec<(i64, usize)> = tp
        .merge_order()
        .into_iter()
        .filter_map(|i| tp.prs[i].merged.map(|m| (m, i)))
        .collect();
    let tip_at = |merges: &[(i64, usize)], t: i64| -> Tip {
        let n = merges.partition_point(|(m, _)| *m <= t);
        if n == 0 {
            Tip::Initial
        } else {
            Tip::Merge(merges[n - 1].1)
        }
    };
    let mut last_prod_tip = Tip::Initial;
    let mut last_good = Tip::Initial;
    // Failures come from a credit that grows by the phase's failure rate with every
    // production deployment and fires near 1: the count follows the planted rate closely
    // (a few hundred Bernoulli draws per phase would not) while the timing stays random.
    let mut fail_credit = ctx.rng.uniform(0.0, 1.0);
    let mut threshold = ctx.rng.uniform(0.6, 1.4);
    let mut declare_next = ctx.rng.chance(0.5);
    let mut day = local_midnight(START + 3 * DAY, offset);
    while day < END {
        let wd = weekday(day + 12 * HOUR, offset);
        let deploy_today = match wd {
            1 | 3 => true,
            0 | 2 => ctx.rng.chance(0.35),
            4 => ctx.rng.chance(0.15),
            _ => false,
        };
        let slot = day + 14 * HOUR + ctx.rng.int(-90, 120) * MINUTE;
        day += DAY;
        if !deploy_today || slot >= END {
            continue;
        }
        let tip = tip_at(&merges, slot - 30 * MINUTE);
        if tip == last_prod_tip {
            continue;
        }
        let staging_start = slot - ctx.rng.int(60, 150) * MINUTE;
        let staging_ok = ctx.rng.chance(0.98);
        tp.deployments.push(Deployment {
            id: String::new(),
            env: Env::Staging,
            tip,
            started: staging_start,
            finished: staging_start + ctx.rng.int(6, 15) * MINUTE,
            status: if staging_ok {
                DeployStatus::Success
            } else {
                DeployStatus::Failure
            },
            kind: DeployKind::Regular,
            failed: false,
        });
        if !staging_ok {
            continue;
        }
        let finished = slot + ctx.rng.int(8, 25) * MINUTE;
        let phase = ctx.story.phase(slot);
        fail_credit += DEPLOY_FAILURE[phase as usize];
        let fails = fail_credit >= threshold;
        if fails {
            fail_credit -= 1.0;
            threshold = ctx.rng.uniform(0.6, 1.4);
        }
        let index = tp.deployments.len();
        last_prod_tip = tip;
        let mut dep = Deployment {
            id: String::new(),
            env: Env::Production,
            tip,
            started: slot,
            finished,
            status: DeployStatus::Success,
            kind: DeployKind::Regular,
            failed: fails,
        };
        if !fails {
            tp.deployments.push(dep);
            last_good = tip;
            continue;
        }
        // What the failing deployment shipped: merges after the previous production tip.
        let ai_shipped = shipped_ai(tp, &merges, last_good, tip);
        let roll = ctx.rng.f();
        let (hotfix_at, incident) = if roll < 0.25 {
            dep.status = DeployStatus::Failure;
            (finished + ctx.rng.int(20, 90) * MINUTE, None)
        } else if roll < 0.5 {
            dep.status = DeployStatus::RolledBack;
            let rb = finished + ctx.rng.int(10, 40) * MINUTE;
            tp.deployments.push(dep);
            tp.deployments.push(Deployment {
                id: String::new(),
                env: Env::Production,
                tip: last_good,
                started: rb,
                finished: rb + ctx.rng.int(5, 12) * MINUTE,
                status: DeployStatus::Success,
                kind: DeployKind::Rollback,
                failed: false,
            });
            last_prod_tip = last_good;
            let at = working_time(finished + ctx.rng.int(14, 24) * HOUR, offset, &mut ctx.rng);
            hotfix(
                ctx,
                tp,
                &mut merges,
                at,
                None,
                &mut last_prod_tip,
                &mut last_good,
            );
            continue;
        } else {
            last_good = tip;
            let opened = finished
                + ctx
                    .rng
                    .lognormal(3.0 * HOUR as f64, 0.9)
                    .min(40.0 * HOUR as f64) as i64;
            let severity = 1 + ctx.rng.weighted(&[0.15, 0.35, 0.5]) as u8;
            let resolve_median = [1.5, 3.0, 8.0][usize::from(severity - 1)];
            let resolved = opened + (ctx.rng.lognormal(resolve_median, 0.7) * HOUR as f64) as i64;
            let customer = match severity {
                1 => true,
                2 => ctx.rng.chance(0.7),
                _ => ctx.rng.chance(0.3),
            };
            // Every other incident names its deployment; the rest are linked by time.
            let declared = declare_next;
            declare_next = !declare_next;
            if opened >= END {
                tp.deployments.push(dep);
                continue;
            }
            tp.incidents.push(Incident {
                id: String::new(),
                service: ctx.spec.service(),
                with_repo: !declared || ctx.rng.chance(0.5),
                severity,
                opened,
                resolved: (resolved < END).then_some(resolved),
                caused_by: declared.then_some(index),
                cause: Some(index),
                customer_impacting: customer,
                ai_related: ai_shipped && ctx.rng.chance(0.6),
            });
            (
                opened + ctx.rng.int(15, 90) * MINUTE,
                Some((severity, opened)),
            )
        };
        tp.deployments.push(dep);
        hotfix(
            ctx,
            tp,
            &mut merges,
            hotfix_at,
            incident,
            &mut last_prod_tip,
            &mut last_good,
        );
    }
}

/// Whether any PR merged after `from` up to `to` was AI-assisted.
fn shipped_ai(tp: &TeamPlan, merges: &[(i64, usize)], from: Tip, to: Tip) -> bool {
    let lo = tp.tip_time(from);
    let hi = tp.tip_time(to);
    merges
        .iter()
        .filter(|(m, _)| *m > lo && *m <= hi)
        .any(|(_, i)| tp.prs[*i].tool.is_some())
}

/// A hotfix PR made at `at` and its deployment.
fn hotfix(
    ctx: &mut Ctx<'_>,
    tp: &mut TeamPlan,
    merges: &mut Vec<(i64, usize)>,
    at: i64,
    incident: Option<(u8, i64)>,
    last_prod_tip: &mut Tip,
    last_good: &mut Tip,
) {
    if at >= END {
        return;
    }
    let (kind, title) = match incident {
        Some((sev, _)) if sev <= 2 => (
            WorkType::Incident,
            item_title(WorkType::Incident, ctx.spec, &mut ctx.rng),
        ),
        _ => {
            let n = *ctx.rng.pick(ctx.spec.nouns);
            (WorkType::Bug, format!("Fix {n} regression after deploy"))
        }
    };
    let item = tp.items.len();
    let Some(mut pr) = ctx.hotfix_pr(at, item) else {
        return;
    };
    pr.subject = title.clone();
    pr.commits[0].subject = format!("Fix {}", title.to_lowercase());
    let merged = pr.merged.unwrap_or(at);
    let pr_index = tp.prs.len();
    tp.items.push(WorkItem {
        kind,
        title,
        created: incident.map_or(at, |(_, t)| t),
        started: Some(at),
        done: Some(merged),
        released: None,
        customer_request: false,
        labels: vec!["hotfix".into()],
        prs: vec![pr_index],
        link_from_item: true,
        key: String::new(),
    });
    tp.prs.push(pr);
    let pos = merges.partition_point(|(m, i)| (*m, *i) <= (merged, pr_index));
    merges.insert(pos, (merged, pr_index));
    let started = merged + ctx.rng.int(10, 30) * MINUTE;
    if started >= END {
        return;
    }
    let ok = ctx.rng.chance(0.97);
    tp.deployments.push(Deployment {
        id: String::new(),
        env: Env::Production,
        tip: Tip::Merge(pr_index),
        started,
        finished: started + ctx.rng.int(8, 20) * MINUTE,
        status: if ok {
            DeployStatus::Success
        } else {
            DeployStatus::Failure
        },
        kind: DeployKind::Hotfix,
        failed: !ok,
    });
    *last_prod_tip = Tip::Merge(pr_index);
    if ok {
        *last_good = Tip::Merge(pr_index);
    }
}

/// When each PR and work item reached production.
fn releases(tp: &mut TeamPlan) {
    let mut prod: Vec<(i64, i64)> = tp
        .deployments
        .iter()
        .filter(|d| d.env == Env::Production && d.status == DeployStatus::Success)
        .map(|d| (d.finished, tp.tip_time(d.tip)))
        .collect();
    prod.sort_unstable();
    for pr in &mut tp.prs {
        if let Some(m) = pr.merged {
            pr.released = prod
                .iter()
                .find(|(finished, tip)| *tip >= m && *finished >= m)
                .map(|(f, _)| *f);
        }
    }
    for item in &mut tp.items {
        if item.prs.is_empty() {
            continue;
        }
        let all_merged = item.prs.iter().all(|&p| tp.prs[p].merged.is_some());
        if all_merged {
            item.done = item.prs.iter().filter_map(|&p| tp.prs[p].merged).max();
            let rel: Option<Vec<i64>> = item.prs.iter().map(|&p| tp.prs[p].released).collect();
            item.released = rel.and_then(|r| r.into_iter().max());
        } else {
            item.done = None;
            item.released = None;
        }
    }
}

/// Keys, PR numbers, titles, branch names and deployment ids, in time order.
fn finalize(ctx: &Ctx<'_>, tp: &mut TeamPlan) {
    let mut order: Vec<usize> = (0..tp.items.len()).collect();
    order.sort_by_key(|&i| (tp.items[i].created, i));
    for (n, &i) in order.iter().enumerate() {
        tp.items[i].key = format!("{}-{}", ctx.spec.key, n + 1);
    }
    let mut order: Vec<usize> = (0..tp.prs.len()).collect();
    order.sort_by_key(|&i| (tp.prs[i].created, i));
    for (n, &i) in order.iter().enumerate() {
        tp.prs[i].number = n as u64 + 1;
    }
    for i in 0..tp.prs.len() {
        let key = tp.prs[i].work.map(|w| tp.items[w].key.clone());
        let pr = &mut tp.prs[i];
        let subject = pr.subject.clone();
        pr.title = match (&key, pr.title_style) {
            (Some(k), 0) => format!("{k}: {subject}"),
            (Some(k), 1) => format!("{k} {subject}"),
            (Some(k), 2) => format!("[{k}] {subject}"),
            _ => subject.clone(),
        };
        let slug = slug(&subject);
        let keyed = match &key {
            Some(k) if pr.title_style != 3 || pr.kind == PrKind::Hotfix => {
                format!("{}-{slug}", k.to_ascii_lowercase())
            }
            _ => slug,
        };
        pr.branch = if let Some(b) = &pr.fixed_branch {
            b.clone()
        } else if pr.kind == PrKind::Hotfix {
            format!("hotfix/{keyed}")
        } else if let Some(prefix) = pr.branch_prefix {
            format!("{prefix}{keyed}")
        } else {
            match pr.author {
                Author::Person(p) => format!("{}/{keyed}", ctx.people[p].login),
                Author::Bot(_) => keyed,
            }
        };
        if pr.commits[0].subject.is_empty() {
            pr.commits[0].subject = subject;
        }
    }
    // Branch names are unique within a repository (a repeat gets the PR number).
    let mut seen = std::collections::BTreeSet::new();
    let mut by_number: Vec<usize> = (0..tp.prs.len()).collect();
    by_number.sort_by_key(|&i| tp.prs[i].number);
    for i in by_number {
        if !seen.insert(tp.prs[i].branch.clone()) {
            let pr = &mut tp.prs[i];
            pr.branch = format!("{}-{}", pr.branch, pr.number);
            seen.insert(pr.branch.clone());
        }
    }
    let mut order: Vec<usize> = (0..tp.deployments.len()).collect();
    order.sort_by_key(|&i| (tp.deployments[i].started, i));
    for (n, &i) in order.iter().enumerate() {
        tp.deployments[i].id = format!("{}-{:04}", ctx.spec.service(), n + 1);
    }
}

/// Incidents of the shared edge and of services that no deployment explains, per copy of
/// the organisation (each copy has its own edge).
fn shared_incidents(seed: u64, all: &[Team], teams: &mut [TeamPlan]) {
    for first in (0..all.len()).step_by(TEAMS.len()) {
        let copy = all[first].copy;
        let label = if copy == 1 {
            "plan/shared-incidents".to_string()
        } else {
            format!("plan/shared-incidents/{copy}")
        };
        let edge_service = format!("edge-gateway{}", all[first].suffix());
        let n = TEAMS.len().min(all.len() - first);
        shared_incidents_of_copy(
            &mut Rng::new(seed, &label),
            &edge_service,
            first,
            n,
            all,
            teams,
        );
    }
}

fn shared_incidents_of_copy(
    rng: &mut Rng,
    edge_service: &str,
    first: usize,
    n: usize,
    all: &[Team],
    teams: &mut [TeamPlan],
) {
    let mut clock = START;
    loop {
        clock += (rng.exponential(26.0) * DAY as f64) as i64;
        if clock >= END - DAY {
            break;
        }
        let t = first + rng.below(n);
        let edge = rng.chance(0.5);
        let severity = 2 + rng.weighted(&[0.3, 0.7]) as u8;
        teams[t].incidents.push(Incident {
            id: String::new(),
            service: if edge {
                edge_service.to_string()
            } else {
                all[t].service()
            },
            with_repo: !edge,
            severity,
            opened: clock,
            resolved: Some(clock + (rng.lognormal(4.0, 0.8) * HOUR as f64) as i64)
                .filter(|&r| r < END),
            caused_by: None,
            cause: None,
            customer_impacting: rng.chance(0.4),
            ai_related: false,
        });
    }
}

fn number_incidents(teams: &mut [TeamPlan]) {
    let mut all: Vec<(i64, usize, usize)> = Vec::new();
    for (t, tp) in teams.iter().enumerate() {
        for (i, inc) in tp.incidents.iter().enumerate() {
            all.push((inc.opened, t, i));
        }
    }
    all.sort_unstable();
    for (n, (_, t, i)) in all.into_iter().enumerate() {
        teams[t].incidents[i].id = format!("INC-{}", 1001 + n);
    }
}
