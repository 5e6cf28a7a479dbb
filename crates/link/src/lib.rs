//! Turns stored records and the stored commit graph into a linked organisation: who is
//! who, which repository a record means, which commits a pull request and a deployment
//! carry, which work items a pull request delivers, which deployments failed and what
//! caused each incident. The metrics read the result.
//!
//! # Why this crate is pure
//!
//! Every function here takes plain data and returns plain data: no files, no database,
//! no environment, no clock. The CLI reads the store and the git mirrors and hands the
//! records and a [`CommitGraph`] in; this crate never knows a store exists. That keeps
//! each link reproducible and testable with a hand-built graph of five commits whose
//! expected answers can be worked out on paper. Missing or contradictory data is not an
//! error: it becomes an unlinked result and a counted note ([`Links::notes`],
//! [`Identities::notes`], [`CommitGraph::notes`]) for the report's data-quality section.
//!
//! # Every link says how it was made
//!
//! The spec asks that a figure built on an inferred link can be told from one built on a
//! stated link, so each link carries a [`Method`]:
//!
//! - **Pull request ↔ work item**: the pull request's `work_items` ([`Method::Explicit`]),
//!   the work item's `linked_prs` ([`Method::WorkItemLinkedPrs`]), the key pattern in the
//!   title ([`Method::TitleKey`]) or in the head branch ([`Method::BranchKey`]). Only keys
//!   of imported work items link, so a pattern match on `UTF-8` or `ISO-9001` stays
//!   harmless. A pair found several ways is one link with the strongest method, in that
//!   order. The branch is also searched upper-cased, because trackers that create
//!   branches (Linear) lower-case them.
//! - **Pull request → commits**: when the merge sha is in the history and is a merge, the
//!   commits reachable from its second parent (or from the head sha, when that is in the
//!   history) and not from its first parent ([`Method::MergeCommit`]; the merge commit
//!   itself is [`PrCommits::merge_commit`]); when it has one parent, a squash or rebase
//!   merge, that commit alone ([`Method::Squash`] — a rebase merge's earlier commits are
//!   not found); with no merge sha in the history but a head sha, the head commit alone
//!   ([`Method::HeadOnly`]). Walking the head's ancestors back to the base branch would
//!   need the base's history as it was when the request was open, which the store does
//!   not have, so that simple rule is the honest one. The earliest author time among the
//!   commits is [`PrCommits::first_commit_at`]; for a squash it is the squash commit's own
//!   author time.
//! - **Deployment → commits**: deployments are grouped by (resolved repository,
//!   environment ignoring case) and ordered by `finished_at`, then id. A deployment ships
//!   the commits reachable from its sha and not from the sha of the previous *successful*
//!   deployment of its group: a failed or rolled-back deployment does not move that
//!   baseline, so the next successful one ships its commits again, and neither does a
//!   sha that is not in the history (its commits are `None`). Each group keeps the exact
//!   set of its baseline's ancestors and grows it with each successful deployment, so the
//!   work is linear in the history; when the new sha does not descend from the baseline
//!   (a rollback to an older commit) the commits the new sha lacks leave the set, so the
//!   deployment after a rollback ships the rolled-back commits again, as the spec's rule
//!   says. [`Links::first_production`] gives each commit the earliest successful
//!   production deployment that shipped it.
//! - **Deployment failure** ([`Reason`]): its status is `failure` or `rolled_back`, an
//!   incident names it in `caused_by_deployment`, or the next deployment of its group is a
//!   `hotfix` or a `rollback`. All reasons are kept. An incident linked only by the time
//!   window is *not* a failure reason (the spec's rule names `caused_by_deployment`); the
//!   window link is in [`Links::incidents`] with its [`Method::Window`], for a metric
//!   that chooses to count it.
//! - **Incident → deployment**: `caused_by_deployment` when it names an imported deployment
//!   ([`Method::Explicit`]; an unknown id is noted and not replaced by a guess); else the
//!   latest successful production deployment of the incident's repository — or, without a
//!   repository, of its service (a deployment's `service`, ignoring case; failing that,
//!   the service tried as a repository name) — that finished at or before the incident
//!   opened and at most [`LinkInput::incident_window`] (default seven days, inclusive)
//!   before it ([`Method::Window`], with the gap).
//!
//! # Identities, repositories and the graph
//!
//! [`Identities`] resolves emails (normalised) and logins (ignoring case) to roster
//! entries, gives each person a team (roster first, then the configuration's member
//! lists), a seniority [`Band`] on a day and whether they were employed then. An email on
//! no roster entry is unknown; nothing is guessed from names. [`RepoNames`] maps the
//! `owner/name` or short names records use to the store's repository names, refusing to
//! guess between two candidates. [`CommitGraph`] numbers commits per repository, finds
//! them by full id or unique prefix of at least seven digits, and walks reachability
//! iteratively (histories have hundreds of thousands of commits, and chains as deep).
//!
//! # Determinism
//!
//! Every output list is sorted by its key and maps are `BTreeMap`s, so the same input
//! gives the same output whatever order the records came in (hash maps are only used
//! inside functions).

#![forbid(unsafe_code)]

mod graph;
mod identity;
mod link;
mod repos;

pub use graph::{CommitGraph, CommitIx, CommitNode, Lookup, MIN_PREFIX, Walker, lower_id};
pub use identity::{
    Band, Identities, PersonId, TeamInfo, TeamMembers, UnknownPeople, band, employed_on,
};
pub use link::{
    Cause, DEFAULT_INCIDENT_WINDOW, DEFAULT_KEY_PATTERN, DEFAULT_PRODUCTION_ENVIRONMENTS,
    DeploymentLink, IncidentLink, LinkInput, Links, Method, PrCommits, Reason, WorkItemLink,
    default_key_pattern, default_production_environments, link,
};
pub use repos::{RepoMatch, RepoNames};
