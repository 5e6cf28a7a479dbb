//! The links between work items, pull requests, commits, deployments and incidents.

use crate::graph::{CommitGraph, CommitIx, Lookup, Walker};
use crate::repos::{RepoMatch, RepoNames};
use foldhash::{HashMap, HashMapExt, HashSet};
use jiff::{SignedDuration, Timestamp};
use plumb_model::records::{
    DeployKind, DeployStatus, Deployment, Incident, PrRef, PullRequest, WorkItem,
};
use regex::Regex;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The work-item key pattern the spec gives: `[A-Z][A-Z0-9]+-[0-9]+` (`WEB-12`).
pub const DEFAULT_KEY_PATTERN: &str = "[A-Z][A-Z0-9]+-[0-9]+";

/// Environment names counted as production unless configured otherwise.
pub const DEFAULT_PRODUCTION_ENVIRONMENTS: [&str; 4] = ["production", "prod", "prd", "live"];

/// How long before an incident a deployment may have finished and still be taken as its
/// cause, when the incident names none.
pub const DEFAULT_INCIDENT_WINDOW: SignedDuration = SignedDuration::from_hours(7 * 24);

/// [`DEFAULT_KEY_PATTERN`], compiled.
#[expect(
    clippy::expect_used,
    reason = "the default pattern is a compile-time constant, proven to compile by a unit test"
)]
pub fn default_key_pattern() -> Regex {
    Regex::new(DEFAULT_KEY_PATTERN).expect("the default key pattern compiles")
}

/// [`DEFAULT_PRODUCTION_ENVIRONMENTS`], owned.
pub fn default_production_environments() -> Vec<String> {
    DEFAULT_PRODUCTION_ENVIRONMENTS
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Everything [`link`] reads: the stored records, the stored history, and the settings.
#[derive(Debug, Clone)]
pub struct LinkInput<'a> {
    pub work_items: &'a [WorkItem],
    pub pull_requests: &'a [PullRequest],
    pub deployments: &'a [Deployment],
    pub incidents: &'a [Incident],
    pub graph: &'a CommitGraph,
    pub repos: &'a RepoNames,
    /// Finds work-item keys in pull request titles and branch names.
    pub key_pattern: Regex,
    /// Environments that are production, compared ignoring case.
    pub production_environments: Vec<String>,
    /// See [`DEFAULT_INCIDENT_WINDOW`].
    pub incident_window: SignedDuration,
}

impl<'a> LinkInput<'a> {
    /// No records and the default settings; set the fields that have data.
    pub fn new(graph: &'a CommitGraph, repos: &'a RepoNames) -> LinkInput<'a> {
        LinkInput {
            work_items: &[],
            pull_requests: &[],
            deployments: &[],
            incidents: &[],
            graph,
            repos,
            key_pattern: default_key_pattern(),
            production_environments: default_production_environments(),
            incident_window: DEFAULT_INCIDENT_WINDOW,
        }
    }
}

/// How a link was made. Which methods apply depends on the link:
///
/// - pull request ↔ work item: [`Method::Explicit`] (the PR's `work_items`),
///   [`Method::WorkItemLinkedPrs`], [`Method::TitleKey`], [`Method::BranchKey`], strongest
///   first;
/// - pull request → commits: [`Method::MergeCommit`], [`Method::Squash`],
///   [`Method::HeadOnly`];
/// - incident → deployment: [`Method::Explicit`] (`caused_by_deployment`),
///   [`Method::Window`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// The record names the other side itself.
    Explicit,
    /// The work item's `linked_prs` names the pull request.
    WorkItemLinkedPrs,
    /// The key pattern matched in the pull request's title.
    TitleKey,
    /// The key pattern matched in the pull request's head branch.
    BranchKey,
    /// The merge commit's second parent (or the PR's head) and its ancestors that are not
    /// ancestors of the merge commit's first parent.
    MergeCommit,
    /// The merge sha has a single parent (squash or rebase merge): that commit alone.
    Squash,
    /// No merge sha in the history, only the head: the head commit alone.
    HeadOnly,
    /// The latest successful production deployment of the incident's repository (or
    /// service) that finished at most the window before it opened, `gap` before it.
    Window { gap: SignedDuration },
}

impl Method {
    /// Lower is stronger, for keeping one pull request ↔ work item link per pair.
    fn rank(self) -> u8 {
        match self {
            Method::Explicit => 0,
            Method::WorkItemLinkedPrs => 1,
            Method::TitleKey => 2,
            Method::BranchKey => 3,
            Method::MergeCommit | Method::Squash | Method::HeadOnly | Method::Window { .. } => 4,
        }
    }
}

/// A pull request and a work item it delivers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkItemLink {
    /// The pull request, its repository as the record writes it.
    pub pr: PrRef,
    pub work_item: String,
    /// The strongest way the pair was linked.
    pub method: Method,
}

/// The commits a pull request brought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrCommits {
    pub pr: PrRef,
    /// The stored repository, when the record's repository resolves.
    pub repo: Option<String>,
    /// `None` when no commit could be found.
    pub method: Option<Method>,
    /// The merge (or squash) commit, when the merge sha is in the history: its number in
    /// the graph the links were made with ([`CommitGraph::id`] gives its id).
    pub merge_commit: Option<CommitIx>,
    /// The commits, by number in that graph, sorted (which sorts them by id: numbers
    /// follow ids within a repository). For [`Method::MergeCommit`] the merge commit itself
    /// is not among them (it is [`PrCommits::merge_commit`]).
    pub commits: Vec<CommitIx>,
    /// The earliest author time among [`PrCommits::commits`].
    pub first_commit_at: Option<Timestamp>,
}

/// Why a deployment counts as failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// Its status is `failure` or `rolled_back`.
    Status { status: DeployStatus },
    /// This incident names it in `caused_by_deployment`.
    Incident { id: String },
    /// The next deployment of the same repository and environment is a hotfix or a
    /// rollback.
    FollowedBy { id: String, kind: DeployKind },
}

/// A deployment's commits and failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeploymentLink {
    pub deployment: String,
    /// The stored repository, when the record's repository resolves.
    pub repo: Option<String>,
    pub environment: String,
    pub production: bool,
    pub status: DeployStatus,
    /// The commits it shipped, by number in the graph the links were made with, sorted
    /// (by id); `None` when unknown (repository or sha not in the stored history).
    pub commits: Option<Vec<CommitIx>>,
    /// Every reason it counts as failed; empty when it did not fail.
    pub failure: Vec<Reason>,
}

impl DeploymentLink {
    pub fn failed(&self) -> bool {
        !self.failure.is_empty()
    }

    pub fn successful(&self) -> bool {
        self.status == DeployStatus::Success
    }
}

/// What an incident was traced to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum Cause {
    /// A deployment, and how it was found.
    Deployment { id: String, method: Method },
    /// `caused_by_deployment` names a deployment that was not imported.
    UnknownDeployment { id: String },
    /// No successful production deployment of its repository or service finished at or
    /// before it opened.
    NoEarlierDeployment,
    /// The latest such deployment finished longer than the window before it opened.
    OutsideWindow { latest: String, gap: SignedDuration },
    /// It names neither a deployment, a repository nor a service.
    NoRepoOrService,
}

/// An incident and its cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentLink {
    pub incident: String,
    pub cause: Cause,
}

impl IncidentLink {
    /// The deployment the incident is linked to, if any.
    pub fn deployment(&self) -> Option<&str> {
        match &self.cause {
            Cause::Deployment { id, .. } => Some(id),
            _ => None,
        }
    }
}

/// Everything [`link`] found, each list sorted by its key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Links {
    /// One per (pull request, work item) pair, sorted by pull request then key.
    pub work_items: Vec<WorkItemLink>,
    /// Pull requests linked to no work item, sorted.
    pub prs_without_work_items: Vec<PrRef>,
    /// One per pull request, sorted by pull request.
    pub pr_commits: Vec<PrCommits>,
    /// One per deployment, sorted by id.
    pub deployments: Vec<DeploymentLink>,
    /// Per commit of the graph (by [`CommitIx::index`]): the earliest successful
    /// production deployment that shipped it (by finish time, then id), as its position in
    /// [`Links::deployments`]: where lead time for changes ends. By full id, so a commit
    /// stored in two repositories (a fork) has the earlier of both in each. See
    /// [`Links::first_production_of`] and [`Links::first_production_deployments`].
    pub first_production: Vec<Option<u32>>,
    /// One per incident, sorted by id.
    pub incidents: Vec<IncidentLink>,
    /// What could not be linked, with counts, for the report's data-quality section.
    pub notes: Vec<String>,
}

impl Links {
    /// The work items a pull request is linked to.
    pub fn work_items_of<'s>(&'s self, pr: &PrRef) -> impl Iterator<Item = &'s WorkItemLink> {
        let start = self.work_items.partition_point(|l| l.pr < *pr);
        let end = self.work_items.partition_point(|l| l.pr <= *pr);
        self.work_items[start..end].iter()
    }

    /// The pull requests a work item is linked to.
    pub fn prs_of<'s>(&'s self, work_item: &'s str) -> impl Iterator<Item = &'s WorkItemLink> {
        self.work_items
            .iter()
            .filter(move |l| l.work_item == work_item)
    }

    pub fn pr_commits_of(&self, pr: &PrRef) -> Option<&PrCommits> {
        self.pr_commits
            .binary_search_by(|p| p.pr.cmp(pr))
            .ok()
            .map(|i| &self.pr_commits[i])
    }

    /// [`Links::pr_commits_of`] the pull request `number` of `repo`, without a [`PrRef`].
    pub fn pr_commits_at(&self, repo: &str, number: u64) -> Option<&PrCommits> {
        self.pr_commits
            .binary_search_by(|p| (p.pr.repo.as_str(), p.pr.number).cmp(&(repo, number)))
            .ok()
            .map(|i| &self.pr_commits[i])
    }

    pub fn deployment(&self, id: &str) -> Option<&DeploymentLink> {
        self.deployments
            .binary_search_by(|d| d.deployment.as_str().cmp(id))
            .ok()
            .map(|i| &self.deployments[i])
    }

    /// The earliest successful production deployment that shipped commit `c`.
    pub fn first_production_of(&self, c: CommitIx) -> Option<&DeploymentLink> {
        let d = (*self.first_production.get(c.index())?)?;
        self.deployments.get(d as usize)
    }

    /// [`Links::first_production`] as a map from commit id to deployment id (`graph` is
    /// the graph the links were made with): for reading and tests, as it copies every id.
    pub fn first_production_deployments(&self, graph: &CommitGraph) -> BTreeMap<String, String> {
        graph
            .commits()
            .filter_map(|c| {
                let d = self.first_production_of(c)?;
                Some((graph.id(c).to_string(), d.deployment.clone()))
            })
            .collect()
    }

    pub fn incident(&self, id: &str) -> Option<&IncidentLink> {
        self.incidents
            .binary_search_by(|l| l.incident.as_str().cmp(id))
            .ok()
            .map(|i| &self.incidents[i])
    }
}

/// Links the records to each other and to the history. See the crate documentation for
/// the rules and the decisions behind them.
pub fn link(input: &LinkInput) -> Links {
    let mut repo_log = RepoLog::new(input.repos);
    let mut links = Links::default();
    let mut notes = Vec::new();

    // Deployments, work items and the pull requests' commits need nothing of each other:
    // on a large history each takes long, so each is linked on a thread of its own, with its
    // own log of repository names and notes, merged in the order a single thread would have
    // written them.
    let alone = |step: fn(&LinkInput, &mut RepoLog, &mut Links, &mut Vec<String>)| {
        let mut log = RepoLog::new(input.repos);
        let mut own = Links::default();
        let mut notes = Vec::new();
        step(input, &mut log, &mut own, &mut notes);
        (own, log, notes)
    };
    // Incidents need nothing linked either: they follow the pull requests' commits, the
    // shortest step.
    let steps = std::thread::scope(|s| {
        let deploying = s.spawn(|| alone(link_deployments));
        let items = s.spawn(|| alone(link_work_items));
        let commits = alone(link_pr_commits);
        let incidents = alone(link_incidents);
        [joined(items), commits, joined(deploying), incidents]
    });
    for (own, log, own_notes) in steps {
        notes.extend(own_notes);
        repo_log.unknown.extend(log.unknown);
        repo_log.ambiguous.extend(log.ambiguous);
        links.merge(own);
    }

    notes.extend(repo_log.notes());
    links.notes = notes;
    links
}

/// What a scoped thread returned; its panic goes on in this thread.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match handle.join() {
        Ok(done) => done,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

impl Links {
    /// Adds what one step linked on its own (each step fills its own lists).
    fn merge(&mut self, own: Links) {
        let Links {
            work_items,
            prs_without_work_items,
            pr_commits,
            deployments,
            first_production,
            incidents,
            notes,
        } = own;
        append(&mut self.work_items, work_items);
        append(&mut self.prs_without_work_items, prs_without_work_items);
        append(&mut self.pr_commits, pr_commits);
        append(&mut self.deployments, deployments);
        append(&mut self.first_production, first_production);
        append(&mut self.incidents, incidents);
        append(&mut self.notes, notes);
    }
}

/// `items` in the order of `order` (positions into `items`, each once), each moved once.
fn permuted<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(slots.len());
    out.extend(
        order
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take)),
    );
    out
}

/// Appends `more` to `list`; an empty list takes `more` as it is, not a copy of it (a step
/// fills its own lists, of hundreds of thousands of entries, and the others none).
fn append<T>(list: &mut Vec<T>, mut more: Vec<T>) {
    if list.is_empty() {
        std::mem::swap(list, &mut more);
    } else {
        list.append(&mut more);
    }
}

/// Resolves repository references and remembers the ones that did not resolve.
struct RepoLog<'a> {
    repos: &'a RepoNames,
    unknown: BTreeSet<String>,
    ambiguous: BTreeSet<String>,
    /// The last reference resolved and its result: records come grouped by repository,
    /// so most references equal the one before (the sets above already hold it).
    last: Option<(String, Option<&'a str>)>,
}

impl<'a> RepoLog<'a> {
    fn new(repos: &'a RepoNames) -> Self {
        RepoLog {
            repos,
            unknown: BTreeSet::new(),
            ambiguous: BTreeSet::new(),
            last: None,
        }
    }

    fn resolve(&mut self, reference: &str) -> Option<&'a str> {
        if let Some((last, resolved)) = &self.last
            && last == reference
        {
            return *resolved;
        }
        let resolved = match self.repos.lookup(reference) {
            RepoMatch::Exact(n) | RepoMatch::ByName(n) => Some(n),
            RepoMatch::Ambiguous(_) => {
                self.ambiguous.insert(reference.trim().to_string());
                None
            }
            RepoMatch::Unknown => {
                self.unknown.insert(reference.trim().to_string());
                None
            }
        };
        match &mut self.last {
            Some((last, at)) => {
                last.clear();
                last.push_str(reference);
                *at = resolved;
            }
            None => self.last = Some((reference.to_string(), resolved)),
        }
        resolved
    }

    /// The stored name when the reference resolves, else the reference as written: two
    /// records naming the same unstored repository the same way still meet.
    fn canonical<'r>(&mut self, reference: &'r str) -> &'r str
    where
        'a: 'r,
    {
        self.resolve(reference).unwrap_or_else(|| reference.trim())
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.unknown.is_empty() {
            let list: Vec<String> = self.unknown.iter().cloned().collect();
            notes.push(format!(
                "{} repository names in records match no stored repository: {}",
                list.len(),
                examples(&list)
            ));
        }
        if !self.ambiguous.is_empty() {
            let list: Vec<String> = self.ambiguous.iter().cloned().collect();
            notes.push(format!(
                "{} repository names in records fit several stored repositories and were \
                 not resolved (use the stored name): {}",
                list.len(),
                examples(&list)
            ));
        }
        notes
    }
}

const EXAMPLES: usize = 5;

fn examples(items: &[String]) -> String {
    let mut s = items
        .iter()
        .take(EXAMPLES)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > EXAMPLES {
        s.push_str(", …");
    }
    s
}

fn pr_ref(pr: &PullRequest) -> PrRef {
    PrRef {
        repo: pr.repo.trim().to_string(),
        number: pr.number,
    }
}

fn link_work_items<'a>(
    input: &LinkInput<'a>,
    repo_log: &mut RepoLog,
    links: &mut Links,
    notes: &mut Vec<String>,
) {
    let keys: HashSet<&str> = input.work_items.iter().map(|w| w.key.trim()).collect();
    // Keyed by ((repository, number), work item) as borrowed from the records, the pull
    // request as `pr_ref` gives it: owned copies are made once per link found, at the end.
    let mut best: HashMap<((&str, u64), &str), Method> =
        HashMap::with_capacity(input.pull_requests.len());
    let mut offer = |pr: (&'a str, u64), key: &'a str, method: Method| {
        let slot = best.entry((pr, key)).or_insert(method);
        if method.rank() < slot.rank() {
            *slot = method;
        }
    };

    let mut dangling_explicit = 0usize;
    for pr in input.pull_requests {
        let r = (pr.repo.trim(), pr.number);
        for key in &pr.work_items {
            let key = key.trim();
            if keys.contains(key) {
                offer(r, key, Method::Explicit);
            } else if !key.is_empty() {
                dangling_explicit += 1;
            }
        }
        if let Some(title) = &pr.title {
            for m in input.key_pattern.find_iter(title) {
                if let Some(&key) = keys.get(m.as_str()) {
                    offer(r, key, Method::TitleKey);
                }
            }
        }
        if let Some(branch) = &pr.head_branch {
            // Trackers that name branches for you (Linear, Jira's "create branch") often
            // lower-case them, so the branch is searched as written and upper-cased; only
            // keys of imported work items link, which keeps stray matches out.
            let upper = branch.to_uppercase();
            for text in [branch.as_str(), upper.as_str()] {
                for m in input.key_pattern.find_iter(text) {
                    if let Some(&key) = keys.get(m.as_str()) {
                        offer(r, key, Method::BranchKey);
                    }
                }
            }
        }
    }

    // A `linked_prs` entry meets its pull request through the stored repository name;
    // for repositories the store does not have, the pull requests' own repository names
    // stand in for the store's, matched by the same rule (`mobile#4` finds the pull
    // request of `acme/mobile`).
    let mut pr_index: HashMap<(&str, u64), (&str, u64)> =
        HashMap::with_capacity(input.pull_requests.len());
    let mut pr_repos: HashSet<&str> = HashSet::default();
    for pr in input.pull_requests {
        let canonical = repo_log.canonical(&pr.repo);
        pr_repos.insert(canonical);
        pr_index
            .entry((canonical, pr.number))
            .or_insert((pr.repo.trim(), pr.number));
    }
    // One name per repository (RepoNames dedups too, after copying every name).
    let pr_repos: Vec<String> = pr_repos.into_iter().map(str::to_string).collect();
    let pr_repos = RepoNames::new(&pr_repos);
    let mut dangling_linked = 0usize;
    for w in input.work_items {
        for l in &w.linked_prs {
            let repo = input
                .repos
                .resolve(&l.repo)
                .or_else(|| pr_repos.resolve(&l.repo))
                .or_else(|| repo_log.resolve(&l.repo));
            match repo.and_then(|r| pr_index.get(&(r, l.number))) {
                Some(&pr) => offer(pr, w.key.trim(), Method::WorkItemLinkedPrs),
                None => dangling_linked += 1,
            }
        }
    }

    let linked: HashSet<(&str, u64)> = best.keys().map(|(pr, _)| *pr).collect();
    let mut all: Vec<WorkItemLink> = best
        .into_iter()
        .map(|(((repo, number), work_item), method)| WorkItemLink {
            pr: PrRef {
                repo: repo.to_string(),
                number,
            },
            work_item: work_item.to_string(),
            method,
        })
        .collect();
    all.sort_by(|a, b| (&a.pr, &a.work_item).cmp(&(&b.pr, &b.work_item)));
    let mut without: Vec<PrRef> = input
        .pull_requests
        .iter()
        .filter(|pr| !linked.contains(&(pr.repo.trim(), pr.number)))
        .map(pr_ref)
        .collect();
    without.sort();
    without.dedup();

    if !without.is_empty() {
        notes.push(format!(
            "{} of {} pull requests link to no work item",
            without.len(),
            input.pull_requests.len()
        ));
    }
    if dangling_explicit > 0 {
        notes.push(format!(
            "{dangling_explicit} work-item keys in pull requests' work_items name no imported \
             work item"
        ));
    }
    if dangling_linked > 0 {
        notes.push(format!(
            "{dangling_linked} linked_prs entries of work items name no imported pull request"
        ));
    }
    links.work_items = all;
    links.prs_without_work_items = without;
}

fn link_pr_commits(
    input: &LinkInput,
    repo_log: &mut RepoLog,
    links: &mut Links,
    notes: &mut Vec<String>,
) {
    let graph = input.graph;
    let mut no_repo = 0usize;
    let mut no_sha = 0usize;
    let mut out = Vec::with_capacity(input.pull_requests.len());
    let mut walker = graph.walker();
    for pr in input.pull_requests {
        let mut result = PrCommits {
            pr: pr_ref(pr),
            repo: None,
            method: None,
            merge_commit: None,
            commits: Vec::new(),
            first_commit_at: None,
        };
        let Some(repo) = repo_log.resolve(&pr.repo) else {
            no_repo += 1;
            out.push(result);
            continue;
        };
        result.repo = Some(repo.to_string());
        let find = |sha: &Option<String>| sha.as_deref().and_then(|s| graph.find(repo, s));
        let merge = find(&pr.merge_sha);
        let head = find(&pr.head_sha);
        let (method, commits) = match (merge, head) {
            (Some(m), head) => {
                result.merge_commit = Some(m);
                match graph.parents(m) {
                    [first, rest @ ..] if !rest.is_empty() => {
                        let include = head.map_or_else(|| rest.to_vec(), |h| vec![h]);
                        (Method::MergeCommit, walker.only(&include, &[*first]))
                    }
                    _ => (Method::Squash, vec![m]),
                }
            }
            (None, Some(h)) => (Method::HeadOnly, vec![h]),
            (None, None) => {
                no_sha += 1;
                out.push(result);
                continue;
            }
        };
        result.method = Some(method);
        result.first_commit_at = commits
            .iter()
            .map(|&c| graph.author_time(c))
            .min()
            .and_then(|s| Timestamp::from_second(s).ok());
        // `only` gives them sorted.
        result.commits = commits;
        out.push(result);
    }
    // Sorted by pull request (as `PrRef` orders them, equal ones in input order): the
    // positions are sorted, borrowing the records' names, and each entry moved once.
    let prs = input.pull_requests;
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        (prs[a].repo.trim(), prs[a].number, a).cmp(&(prs[b].repo.trim(), prs[b].number, b))
    });
    let out = permuted(out, &order);

    let missing = no_repo + no_sha;
    if missing > 0 {
        notes.push(format!(
            "{missing} of {} pull requests have no commits in the stored history: {no_repo} \
             name no stored repository, {no_sha} have neither merge nor head sha in it",
            input.pull_requests.len()
        ));
    }
    links.pr_commits = out;
}

/// A set of commits of one repository, as bits over its block of commit numbers.
struct BlockSet {
    start: usize,
    words: Vec<u64>,
}

impl BlockSet {
    fn new(block: std::ops::Range<usize>) -> Self {
        BlockSet {
            start: block.start,
            words: vec![0; block.len().div_ceil(64)],
        }
    }

    fn slot(&self, c: CommitIx) -> Option<(usize, u64)> {
        let i = c.index().checked_sub(self.start)?;
        (i / 64 < self.words.len()).then_some((i / 64, 1u64 << (i % 64)))
    }

    fn contains(&self, c: CommitIx) -> bool {
        self.slot(c)
            .is_some_and(|(w, bit)| self.words[w] & bit != 0)
    }

    fn set(&mut self, c: CommitIx, on: bool) {
        if let Some((w, bit)) = self.slot(c) {
            if on {
                self.words[w] |= bit;
            } else {
                self.words[w] &= !bit;
            }
        }
    }
}

/// What a repository and environment has shipped so far: exactly the ancestors of the
/// last successful deployment's commit (the baseline).
struct Shipped {
    baseline: Option<CommitIx>,
    set: BlockSet,
}

impl Shipped {
    /// The commits `sha` would ship: its ancestors that are not the baseline's. Because
    /// the set is ancestor-closed the walk stops at its edge and costs only the new
    /// commits. When `successful`, the baseline moves to `sha`. Sorted.
    fn ship(&mut self, walker: &mut Walker<'_>, sha: CommitIx, successful: bool) -> Vec<CommitIx> {
        let (new, edge) = walker.ancestors_until(&[sha], |c| self.set.contains(c));
        if successful {
            // The baseline is among the edge exactly when it is an ancestor of `sha`; if
            // not (a rollback to an older commit, a deployment from another branch), the
            // baseline's commits that `sha` lacks leave the set, so it stays exactly the
            // ancestors of the new baseline.
            if let Some(old) = self.baseline
                && edge.binary_search(&old).is_err()
            {
                for c in walker.only(&[old], &[sha]) {
                    self.set.set(c, false);
                }
            }
            for &c in &new {
                self.set.set(c, true);
            }
            self.baseline = Some(sha);
        }
        new
    }
}

fn is_production(input: &LinkInput, environment: &str) -> bool {
    let env = environment.trim();
    input
        .production_environments
        .iter()
        .any(|p| p.trim().eq_ignore_ascii_case(env))
}

fn link_deployments(
    input: &LinkInput,
    repo_log: &mut RepoLog,
    links: &mut Links,
    notes: &mut Vec<String>,
) {
    let graph = input.graph;
    let mut order: Vec<&Deployment> = input.deployments.iter().collect();
    order.sort_by(|a, b| (a.finished_at, &a.id).cmp(&(b.finished_at, &b.id)));

    // Group by (repository, environment) in time order; the environment ignoring case.
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    let mut resolved: Vec<Option<&str>> = Vec::with_capacity(order.len());
    for (i, d) in order.iter().enumerate() {
        let repo = repo_log.resolve(&d.repo);
        resolved.push(repo);
        let key = repo.map_or_else(|| d.repo.trim().to_string(), str::to_string);
        groups
            .entry((key, d.environment.trim().to_lowercase()))
            .or_default()
            .push(i);
    }

    let mut out: Vec<DeploymentLink> = order
        .iter()
        .zip(&resolved)
        .map(|(d, repo)| DeploymentLink {
            deployment: d.id.clone(),
            repo: repo.map(str::to_string),
            environment: d.environment.clone(),
            production: is_production(input, &d.environment),
            status: d.status,
            commits: None,
            failure: match d.status {
                DeployStatus::Success => Vec::new(),
                status => vec![Reason::Status { status }],
            },
        })
        .collect();

    let mut no_repo = 0usize;
    let mut unknown_sha = 0usize;
    // Per commit number: the position in `order` of the first successful production
    // deployment that shipped it.
    let mut first_at: Vec<Option<usize>> = vec![None; graph.len()];
    let mut walker = graph.walker();
    for members in groups.values() {
        let mut shipped = None;
        for &i in members {
            let d = order[i];
            let Some(repo) = resolved[i] else {
                no_repo += 1;
                continue;
            };
            let shipped = shipped.get_or_insert_with(|| Shipped {
                baseline: None,
                set: BlockSet::new(graph.repo_commits(repo)),
            });
            match graph.lookup(repo, &d.sha) {
                Lookup::Found(sha) => {
                    let new = shipped.ship(&mut walker, sha, d.status == DeployStatus::Success);
                    if out[i].production && d.status == DeployStatus::Success {
                        for &c in &new {
                            if let Some(slot) = first_at.get_mut(c.index()) {
                                *slot = Some(slot.map_or(i, |f| f.min(i)));
                            }
                        }
                    }
                    // `ship` gives them sorted.
                    out[i].commits = Some(new);
                }
                Lookup::Ambiguous | Lookup::NotFound | Lookup::Invalid => unknown_sha += 1,
            }
        }
        for pair in members.windows(2) {
            if let [this, next] = *pair
                && let Some(kind @ (DeployKind::Hotfix | DeployKind::Rollback)) = order[next].kind
            {
                out[this].failure.push(Reason::FollowedBy {
                    id: order[next].id.clone(),
                    kind,
                });
            }
        }
    }

    // Incidents that name a deployment fail it, in incident id order.
    let position: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.trim(), i))
        .collect();
    let mut naming: Vec<(&str, usize)> = input
        .incidents
        .iter()
        .filter_map(|inc| {
            let cause = inc.caused_by_deployment.as_deref()?.trim();
            position.get(cause).map(|&i| (inc.id.as_str(), i))
        })
        .collect();
    naming.sort();
    for (incident, i) in naming {
        out[i].failure.push(Reason::Incident {
            id: incident.to_string(),
        });
    }
    for link in &mut out {
        // Status first, then incidents, then the following deployment.
        link.failure.sort_by_key(|r| match r {
            Reason::Status { .. } => 0,
            Reason::Incident { .. } => 1,
            Reason::FollowedBy { .. } => 2,
        });
    }

    // Lead time ends at the first successful production deployment of a commit; `order`
    // is by finish time, so the lowest position wins, also across the repositories that
    // hold the same commit (a fork): every commit of an id gets the lowest of them.
    // Ids are found in several repositories by their heads first (the first eight bytes as
    // one number, sorted with the commit numbers): only commits whose head another shares
    // are compared by their whole ids.
    // Runs are disjoint: each reads its commits' own positions before it writes them.
    let mut first_of: Vec<Option<usize>> = first_at;
    let mut heads: Vec<(u64, usize)> = (0..graph.len())
        .map(|c| (graph.id_head(CommitIx::at(c)), c))
        .collect();
    heads.sort_unstable();
    for run in heads
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
    {
        let mut same: Vec<(&str, Option<usize>, usize)> = run
            .iter()
            .map(|&(_, c)| (graph.id(CommitIx::at(c)), first_of[c], c))
            .collect();
        // `None` sorts before every position: a group's first position is its lowest.
        same.sort_unstable();
        for group in same.chunk_by(|a, b| a.0 == b.0) {
            let lowest = group.iter().find_map(|&(_, at, _)| at);
            for &(_, _, c) in group {
                first_of[c] = lowest;
            }
        }
    }

    let unknown = no_repo + unknown_sha;
    if unknown > 0 {
        notes.push(format!(
            "{unknown} of {} deployments have unknown commits: {no_repo} name no stored \
             repository, {unknown_sha} have a sha that is not in the stored history (a \
             deployment with an unknown sha does not move its environment's baseline)",
            order.len()
        ));
    }
    // Sorted by id (the positions sorted, then each link moved once), each remembering
    // its position in `order` for `first_of`.
    let mut by_deployment: Vec<usize> = (0..out.len()).collect();
    by_deployment.sort_by(|&a, &b| out[a].deployment.cmp(&out[b].deployment));
    let mut place = vec![0u32; out.len()];
    for (to, &from) in by_deployment.iter().enumerate() {
        place[from] = u32::try_from(to).unwrap_or(u32::MAX);
    }
    links.deployments = permuted(out, &by_deployment);
    links.first_production = first_of
        .into_iter()
        .map(|at| at.map(|at| place[at]))
        .collect();
}

fn describe(d: SignedDuration) -> String {
    let secs = d.as_secs();
    if secs % 86_400 == 0 {
        format!("{} days", secs / 86_400)
    } else {
        format!("{d:#}")
    }
}

fn link_incidents(
    input: &LinkInput,
    repo_log: &mut RepoLog,
    links: &mut Links,
    notes: &mut Vec<String>,
) {
    // Successful production deployments, by repository and by service, in time order.
    type Timeline<'d> = Vec<(Timestamp, &'d str)>;
    let mut by_repo: HashMap<&str, Timeline> = HashMap::new();
    let mut by_service: HashMap<String, Timeline> = HashMap::new();
    let known: HashSet<&str> = input.deployments.iter().map(|d| d.id.trim()).collect();
    for d in input.deployments {
        if d.status != DeployStatus::Success || !is_production(input, &d.environment) {
            continue;
        }
        let entry = (d.finished_at, d.id.as_str());
        by_repo
            .entry(repo_log.canonical(&d.repo))
            .or_default()
            .push(entry);
        if let Some(service) = d.service.as_deref().map(str::trim)
            && !service.is_empty()
        {
            by_service
                .entry(service.to_lowercase())
                .or_default()
                .push(entry);
        }
    }
    for timeline in by_repo.values_mut().chain(by_service.values_mut()) {
        timeline.sort();
    }

    let nonempty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut out = Vec::with_capacity(input.incidents.len());
    for inc in input.incidents {
        let cause = if let Some(named) = nonempty(&inc.caused_by_deployment) {
            if known.contains(named.as_str()) {
                Cause::Deployment {
                    id: named,
                    method: Method::Explicit,
                }
            } else {
                Cause::UnknownDeployment { id: named }
            }
        } else {
            let timeline = match (nonempty(&inc.repo), nonempty(&inc.service)) {
                (Some(repo), _) => Some(by_repo.get(repo_log.canonical(&repo))),
                // A service no deployment declares is tried as a repository name: alerting
                // tools know services, forges know repositories, and they are often named
                // alike.
                (None, Some(service)) => Some(
                    by_service
                        .get(&service.to_lowercase())
                        .or_else(|| by_repo.get(input.repos.resolve(&service)?)),
                ),
                (None, None) => None,
            };
            match timeline {
                None => Cause::NoRepoOrService,
                Some(timeline) => {
                    let timeline = timeline.map_or(&[][..], Vec::as_slice);
                    let before = timeline.partition_point(|(t, _)| *t <= inc.opened_at);
                    match before.checked_sub(1).map(|i| timeline[i]) {
                        None => Cause::NoEarlierDeployment,
                        Some((finished, id)) => {
                            let gap = inc.opened_at.duration_since(finished);
                            if gap <= input.incident_window {
                                Cause::Deployment {
                                    id: id.to_string(),
                                    method: Method::Window { gap },
                                }
                            } else {
                                Cause::OutsideWindow {
                                    latest: id.to_string(),
                                    gap,
                                }
                            }
                        }
                    }
                }
            }
        };
        out.push(IncidentLink {
            incident: inc.id.clone(),
            cause,
        });
    }
    out.sort_by(|a, b| a.incident.cmp(&b.incident));

    let count = |f: fn(&Cause) -> bool| out.iter().filter(|l| f(&l.cause)).count();
    let unknown = count(|c| matches!(c, Cause::UnknownDeployment { .. }));
    let none_before = count(|c| matches!(c, Cause::NoEarlierDeployment));
    let outside = count(|c| matches!(c, Cause::OutsideWindow { .. }));
    let nothing = count(|c| matches!(c, Cause::NoRepoOrService));
    let unlinked = unknown + none_before + outside + nothing;
    if unlinked > 0 {
        notes.push(format!(
            "{unlinked} of {} incidents are linked to no deployment: {unknown} name a \
             deployment that was not imported, {none_before} came before any successful \
             production deployment of their repository or service, {outside} had none in the \
             {} before, {nothing} name neither repository nor service",
            out.len(),
            describe(input.incident_window)
        ));
    }
    links.incidents = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_key_pattern_compiles_and_finds_keys() {
        let re = default_key_pattern();
        let found: Vec<&str> = re
            .find_iter("WEB-12: fix A1-3 and x-1")
            .map(|m| m.as_str())
            .collect();
        assert_eq!(found, ["WEB-12", "A1-3"]);
    }
}
