#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Linking over hand-built data whose answers are worked out in the comments.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use plumb_link::{
    Band, Cause, CommitGraph, CommitNode, DeploymentLink, Identities, LinkInput, Lookup, Method,
    Reason, RepoMatch, RepoNames, TeamMembers, band, employed_on, link,
};
use plumb_model::records::{
    DeployKind, DeployStatus, Deployment, Incident, Level, Person, PrRef, PullRequest, Team,
    WorkItem, WorkType,
};

// ---------------------------------------------------------------------------------------
// The history of repository `web`, oldest first (author time in brackets):
//
//   A(1000) ← B(2000) ← C(3000) ← M(4000) ← D(5000) ← E(6000) ← H(7000)
//               ↖                 /
//                F1(2500) ← F2(2600)
//
// M merges the feature branch F1–F2 (second parent F2) into main (first parent C).
// ---------------------------------------------------------------------------------------

/// The full id of a named commit: its hex digits repeated to 40.
fn id(name: &str) -> String {
    let digits = match name {
        "A" => "a",
        "B" => "b",
        "C" => "c",
        "D" => "d",
        "E" => "e",
        "F1" => "f1",
        "F2" => "f2",
        "M" => "1",
        "H" => "2",
        other => panic!("no commit {other}"),
    };
    digits.repeat(40 / digits.len())
}

fn names(ids: &[String]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = ids
        .iter()
        .map(|i| {
            ["A", "B", "C", "D", "E", "F1", "F2", "M", "H"]
                .into_iter()
                .find(|n| id(n) == *i)
                .unwrap_or_else(|| panic!("unnamed commit {i}"))
        })
        .collect();
    out.sort_unstable();
    out
}

/// The names of commits of `g`, sorted.
fn commit_names(g: &CommitGraph, commits: &[plumb_link::CommitIx]) -> Vec<&'static str> {
    names(
        &commits
            .iter()
            .map(|&c| g.id(c).to_string())
            .collect::<Vec<_>>(),
    )
}

fn node(repo: &str, name: &str, parents: &[&str], time: i64) -> CommitNode {
    CommitNode {
        repo: repo.into(),
        id: id(name).into(),
        parents: parents.iter().map(|p| id(p)).collect(),
        author_email: format!("{}@x.io", name.to_lowercase()).into(),
        author_time: time,
    }
}

fn web_graph() -> CommitGraph {
    CommitGraph::new(vec![
        node("web", "A", &[], 1000),
        node("web", "B", &["A"], 2000),
        node("web", "C", &["B"], 3000),
        node("web", "F1", &["B"], 2500),
        node("web", "F2", &["F1"], 2600),
        node("web", "M", &["C", "F2"], 4000),
        node("web", "D", &["M"], 5000),
        node("web", "E", &["D"], 6000),
        node("web", "H", &["E"], 7000),
    ])
}

fn store_repos() -> RepoNames {
    RepoNames::new(&["web".to_string()])
}

/// Midnight UTC of a day in March 2026, plus seconds.
fn at(day: i64, plus_secs: i64) -> Timestamp {
    let base: Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
    base + SignedDuration::from_secs(day * 86_400 + plus_secs)
}

fn deployment(
    id: &str,
    repo: &str,
    environment: &str,
    sha: &str,
    day: i64,
    status: DeployStatus,
    kind: Option<DeployKind>,
) -> Deployment {
    Deployment {
        id: id.into(),
        repo: repo.into(),
        environment: environment.into(),
        sha: sha.into(),
        started_at: None,
        finished_at: at(day, 0),
        status,
        kind,
        service: None,
    }
}

fn incident(id: &str, opened: Timestamp) -> Incident {
    Incident {
        id: id.into(),
        service: None,
        repo: None,
        severity: None,
        opened_at: opened,
        resolved_at: None,
        caused_by_deployment: None,
        customer_impacting: None,
        ai_related: None,
    }
}

use DeployKind::{Hotfix, Rollback};
use DeployStatus::{Failure, Success};

/// Production on `web` (named `acme/web` in the records, resolved to the stored `web`),
/// staging beside it, and one deployment of a repository the store does not have.
fn deployments() -> Vec<Deployment> {
    let short_d = &id("D")[..7];
    let mut api = deployment("d-api", "acme/api", "prod", "abc1234", 15, Success, None);
    api.service = Some("checkout".into());
    vec![
        deployment("d1", "acme/web", "production", &id("B"), 1, Success, None),
        deployment("d2", "acme/web", "production", &id("M"), 2, Success, None),
        deployment("d3", "acme/web", "production", &id("D"), 3, Failure, None),
        deployment("d4", "acme/web", "Production", short_d, 4, Success, None),
        deployment("d5", "acme/web", "production", &id("E"), 10, Success, None),
        // Two hours after d5.
        Deployment {
            finished_at: at(10, 7200),
            ..deployment(
                "d6",
                "web",
                "production",
                &id("H"),
                0,
                Success,
                Some(Hotfix),
            )
        },
        deployment(
            "d7",
            "web",
            "production",
            &id("C"),
            11,
            Success,
            Some(Rollback),
        ),
        deployment("d8", "web", "production", &id("H"), 20, Success, None),
        deployment("s1", "web", "staging", &id("E"), 5, Success, None),
        deployment("s2", "web", "staging", "0123456789abcdef", 6, Success, None),
        deployment("s3", "web", "staging", &id("H"), 7, Success, None),
        api,
    ]
}

fn incidents() -> Vec<Incident> {
    vec![
        // One day after d7 (the rollback, a successful production deployment).
        Incident {
            repo: Some("web".into()),
            ..incident("i1-window", at(12, 0))
        },
        // Exactly seven days after d8: inside (the window is inclusive).
        Incident {
            repo: Some("acme/web".into()),
            ..incident("i2-edge", at(27, 0))
        },
        // Seven days and one second after d8: outside.
        Incident {
            repo: Some("acme/web".into()),
            ..incident("i3-late", at(27, 1))
        },
        // Names d2 although d2 is long past: explicit wins over time.
        Incident {
            repo: Some("web".into()),
            caused_by_deployment: Some("d2".into()),
            ..incident("i4-explicit", at(30, 0))
        },
        Incident {
            caused_by_deployment: Some("d-404".into()),
            ..incident("i5-unknown", at(5, 0))
        },
        // Before any deployment of web.
        Incident {
            repo: Some("web".into()),
            ..incident("i6-early", at(0, 0))
        },
        // A service that d-api declares, in another case; one day after d-api.
        Incident {
            service: Some("Checkout".into()),
            ..incident("i7-service", at(16, 0))
        },
        incident("i8-nothing", at(16, 0)),
        // A service no deployment declares, tried as a repository name; one hour after d8.
        Incident {
            service: Some("web".into()),
            ..incident("i9-service-as-repo", at(20, 3600))
        },
    ]
}

fn work_item(key: &str, linked: &[&str]) -> WorkItem {
    WorkItem {
        key: key.into(),
        kind: WorkType::Feature,
        title: None,
        team: None,
        created_at: at(0, 0),
        started_at: None,
        done_at: None,
        released_at: None,
        customer_request: None,
        labels: vec![],
        linked_prs: linked.iter().map(|s| PrRef::parse(s).unwrap()).collect(),
    }
}

fn pr(repo: &str, number: u64) -> PullRequest {
    PullRequest {
        repo: repo.into(),
        number,
        author: "ann@x.io".into(),
        title: None,
        created_at: at(0, 0),
        ready_at: None,
        merged_at: None,
        closed_at: None,
        base: None,
        head_branch: None,
        head_sha: None,
        merge_sha: None,
        labels: vec![],
        additions: None,
        deletions: None,
        work_items: vec![],
        body_markers: vec![],
    }
}

fn work_items() -> Vec<WorkItem> {
    vec![
        // WEB-1 names PR 1 (as `web#1`, the stored name) and a PR that was never imported.
        work_item("WEB-1", &["web#1", "web#99"]),
        // WEB-2 names PR 4 of an unstored repository by its short name.
        work_item("WEB-2", &["mobile#4"]),
        work_item("WEB-3", &[]),
    ]
}

fn pull_requests() -> Vec<PullRequest> {
    vec![
        // Title names WEB-1 and WEB-3, the branch (lower case) WEB-2, work_items WEB-3 and a
        // key that is not imported; WEB-1 also lists this PR.
        PullRequest {
            title: Some("WEB-1 WEB-3: add login".into()),
            head_branch: Some("feature/web-2-login".into()),
            work_items: vec!["WEB-3".into(), "NOPE-9".into()],
            merge_sha: Some(id("M")),
            ..pr("acme/web", 1)
        },
        // A squash merge, by short sha; "UTF-8" matches the pattern but is no work item.
        PullRequest {
            title: Some("UTF-8 hotfix".into()),
            merge_sha: Some(id("H")[..7].to_uppercase()),
            ..pr("acme/web", 2)
        },
        // Open: only its head is known.
        PullRequest {
            head_sha: Some(id("E")),
            ..pr("acme/web", 3)
        },
        pr("acme/mobile", 4),
        PullRequest {
            merge_sha: Some("ffffffffff".into()),
            ..pr("web", 5)
        },
        // A merge commit whose PR head is F1: the head wins over the second parent.
        PullRequest {
            merge_sha: Some(id("M")),
            head_sha: Some(id("F1")),
            ..pr("web", 6)
        },
    ]
}

struct Fixture {
    graph: CommitGraph,
    repos: RepoNames,
    work_items: Vec<WorkItem>,
    pull_requests: Vec<PullRequest>,
    deployments: Vec<Deployment>,
    incidents: Vec<Incident>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            graph: web_graph(),
            repos: store_repos(),
            work_items: work_items(),
            pull_requests: pull_requests(),
            deployments: deployments(),
            incidents: incidents(),
        }
    }

    fn link(&self) -> plumb_link::Links {
        let mut input = LinkInput::new(&self.graph, &self.repos);
        input.work_items = &self.work_items;
        input.pull_requests = &self.pull_requests;
        input.deployments = &self.deployments;
        input.incidents = &self.incidents;
        link(&input)
    }
}

fn dep<'a>(links: &'a plumb_link::Links, id: &str) -> &'a DeploymentLink {
    links
        .deployment(id)
        .unwrap_or_else(|| panic!("no deployment {id}"))
}

#[test]
fn deployments_ship_the_commits_since_the_last_successful_one() {
    let fixture = Fixture::new();
    let links = fixture.link();
    let check = |id: &str, expected: Option<&[&str]>| {
        let got = dep(&links, id)
            .commits
            .as_deref()
            .map(|cs| commit_names(&fixture.graph, cs));
        assert_eq!(got.as_deref(), expected, "deployment {id}");
    };
    // The first deployment ships all of B's history.
    check("d1", Some(&["A", "B"]));
    // The merge brings main's C and the feature branch.
    check("d2", Some(&["C", "F1", "F2", "M"]));
    // d3 fails: it would have shipped D, and the baseline stays at M ...
    check("d3", Some(&["D"]));
    // ... so d4 (the same commit, by short sha and another case of environment) ships D.
    check("d4", Some(&["D"]));
    check("d5", Some(&["E"]));
    check("d6", Some(&["H"]));
    // A rollback to C ships nothing new, and moves the baseline back to C ...
    check("d7", Some(&[]));
    // ... so redeploying H ships again everything after C.
    check("d8", Some(&["D", "E", "F1", "F2", "H", "M"]));
    // Staging is its own group; s2's sha is not in the history, so it is unknown and s3
    // is measured from s1.
    check("s1", Some(&["A", "B", "C", "D", "E", "F1", "F2", "M"]));
    check("s2", None);
    check("s3", Some(&["H"]));
    // The store has no `api` repository.
    check("d-api", None);
    assert_eq!(dep(&links, "d-api").repo, None);
    assert_eq!(dep(&links, "d1").repo.as_deref(), Some("web"));
    assert!(dep(&links, "d4").production);
    assert!(!dep(&links, "s1").production);
}

#[test]
fn lead_time_ends_at_the_first_successful_production_deployment() {
    let fixture = Fixture::new();
    let links = fixture.link();
    let first = links.first_production_deployments(&fixture.graph);
    // One entry per commit of the graph, the same as the deployment each commit gives.
    assert_eq!(links.first_production.len(), fixture.graph.len());
    for (c, d) in &first {
        let at = fixture.graph.find("web", c).unwrap();
        assert_eq!(&links.first_production_of(at).unwrap().deployment, d);
    }
    let mut got: Vec<(&str, &str)> = first
        .iter()
        .map(|(c, d)| (names(std::slice::from_ref(c))[0], d.as_str()))
        .collect();
    got.sort_unstable();
    // D was first in d3, which failed, so d4; staging does not count; d8 ships D–H again
    // but is not the first.
    assert_eq!(
        got,
        [
            ("A", "d1"),
            ("B", "d1"),
            ("C", "d2"),
            ("D", "d4"),
            ("E", "d5"),
            ("F1", "d2"),
            ("F2", "d2"),
            ("H", "d6"),
            ("M", "d2"),
        ]
    );
}

#[test]
fn deployment_failures_keep_every_reason() {
    let links = Fixture::new().link();
    let failures = |id: &str| dep(&links, id).failure.clone();
    assert_eq!(
        failures("d2"),
        [Reason::Incident {
            id: "i4-explicit".into()
        }]
    );
    assert_eq!(failures("d3"), [Reason::Status { status: Failure }]);
    // d5 is followed by the hotfix d6, d6 by the rollback d7.
    assert_eq!(
        failures("d5"),
        [Reason::FollowedBy {
            id: "d6".into(),
            kind: Hotfix
        }]
    );
    assert_eq!(
        failures("d6"),
        [Reason::FollowedBy {
            id: "d7".into(),
            kind: Rollback
        }]
    );
    // Incidents linked only by the window are not failure reasons (d7, d8).
    for ok in ["d1", "d4", "d7", "d8", "s1", "s2", "s3", "d-api"] {
        assert!(!dep(&links, ok).failed(), "{ok}");
    }
}

#[test]
fn a_deployment_with_every_kind_of_failure_lists_them_in_order() {
    let graph = web_graph();
    let repos = store_repos();
    let deployments = [
        deployment(
            "x1",
            "web",
            "prod",
            &id("B"),
            1,
            DeployStatus::RolledBack,
            None,
        ),
        deployment("x2", "web", "prod", &id("B"), 2, Success, Some(Rollback)),
    ];
    let incidents = [
        Incident {
            caused_by_deployment: Some("x1".into()),
            ..incident("z", at(3, 0))
        },
        Incident {
            caused_by_deployment: Some("x1".into()),
            ..incident("a", at(3, 0))
        },
    ];
    let mut input = LinkInput::new(&graph, &repos);
    input.deployments = &deployments;
    input.incidents = &incidents;
    let links = link(&input);
    assert_eq!(
        dep(&links, "x1").failure,
        [
            Reason::Status {
                status: DeployStatus::RolledBack
            },
            Reason::Incident { id: "a".into() },
            Reason::Incident { id: "z".into() },
            Reason::FollowedBy {
                id: "x2".into(),
                kind: Rollback
            },
        ]
    );
    // A rolled-back deployment does not move the baseline: x2 ships A and B again.
    assert_eq!(
        commit_names(&graph, dep(&links, "x2").commits.as_deref().unwrap()),
        ["A", "B"]
    );
}

#[test]
fn incidents_link_by_name_or_by_window() {
    let links = Fixture::new().link();
    let cause = |id: &str| links.incident(id).unwrap().cause.clone();
    let window = |id: &str, gap: SignedDuration| Cause::Deployment {
        id: id.into(),
        method: Method::Window { gap },
    };
    let day = SignedDuration::from_hours(24);
    assert_eq!(cause("i1-window"), window("d7", day));
    assert_eq!(cause("i2-edge"), window("d8", day * 7));
    assert_eq!(
        cause("i3-late"),
        Cause::OutsideWindow {
            latest: "d8".into(),
            gap: day * 7 + SignedDuration::from_secs(1)
        }
    );
    assert_eq!(
        cause("i4-explicit"),
        Cause::Deployment {
            id: "d2".into(),
            method: Method::Explicit
        }
    );
    assert_eq!(
        cause("i5-unknown"),
        Cause::UnknownDeployment { id: "d-404".into() }
    );
    assert_eq!(cause("i6-early"), Cause::NoEarlierDeployment);
    assert_eq!(cause("i7-service"), window("d-api", day));
    assert_eq!(cause("i8-nothing"), Cause::NoRepoOrService);
    assert_eq!(
        cause("i9-service-as-repo"),
        window("d8", SignedDuration::from_hours(1))
    );
    assert_eq!(
        links.incident("i1-window").unwrap().deployment(),
        Some("d7")
    );
    let order: Vec<&str> = links
        .incidents
        .iter()
        .map(|l| l.incident.as_str())
        .collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted);
}

#[test]
fn the_window_is_configurable_and_failed_deployments_are_not_causes() {
    let graph = web_graph();
    let repos = store_repos();
    let deployments = [
        deployment("ok", "web", "live", &id("B"), 1, Success, None),
        // Later, but failed and so not a candidate; and staging never is.
        deployment("bad", "web", "live", &id("C"), 2, Failure, None),
        deployment("stage", "web", "staging", &id("C"), 2, Success, None),
    ];
    let incidents = [Incident {
        repo: Some("web".into()),
        ..incident("i", at(3, 0))
    }];
    let mut input = LinkInput::new(&graph, &repos);
    input.deployments = &deployments;
    input.incidents = &incidents;
    input.incident_window = SignedDuration::from_hours(24);
    let links = link(&input);
    assert_eq!(
        links.incident("i").unwrap().cause,
        Cause::OutsideWindow {
            latest: "ok".into(),
            gap: SignedDuration::from_hours(48)
        }
    );
    input.incident_window = SignedDuration::from_hours(48);
    assert_eq!(link(&input).incident("i").unwrap().deployment(), Some("ok"));
}

#[test]
fn pull_requests_link_to_work_items_with_the_strongest_method() {
    let links = Fixture::new().link();
    let got: Vec<(String, &str, Method)> = links
        .work_items
        .iter()
        .map(|l| (l.pr.to_string(), l.work_item.as_str(), l.method))
        .collect();
    assert_eq!(
        got,
        [
            (
                "acme/mobile#4".to_string(),
                "WEB-2",
                Method::WorkItemLinkedPrs
            ),
            // Title and linked_prs: linked_prs is stronger.
            ("acme/web#1".to_string(), "WEB-1", Method::WorkItemLinkedPrs),
            // Found in the lower-case branch.
            ("acme/web#1".to_string(), "WEB-2", Method::BranchKey),
            // Title and work_items: explicit is stronger.
            ("acme/web#1".to_string(), "WEB-3", Method::Explicit),
        ]
    );
    let without: Vec<String> = links
        .prs_without_work_items
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(without, ["acme/web#2", "acme/web#3", "web#5", "web#6"]);
    let pr1 = PrRef::parse("acme/web#1").unwrap();
    assert_eq!(links.work_items_of(&pr1).count(), 3);
    assert_eq!(links.prs_of("WEB-2").count(), 2);
}

#[test]
fn title_and_branch_methods_when_alone() {
    let graph = CommitGraph::default();
    let repos = RepoNames::default();
    let items = [work_item("OPS-7", &[]), work_item("OPS-8", &[])];
    let prs = [
        PullRequest {
            title: Some("[OPS-7] rotate keys".into()),
            head_branch: Some("ops-7".into()),
            ..pr("r", 1)
        },
        PullRequest {
            head_branch: Some("OPS-8-and-OPS-9".into()),
            ..pr("r", 2)
        },
    ];
    let mut input = LinkInput::new(&graph, &repos);
    input.work_items = &items;
    input.pull_requests = &prs;
    let links = link(&input);
    let got: Vec<(u64, &str, Method)> = links
        .work_items
        .iter()
        .map(|l| (l.pr.number, l.work_item.as_str(), l.method))
        .collect();
    assert_eq!(
        got,
        [
            (1, "OPS-7", Method::TitleKey),
            (2, "OPS-8", Method::BranchKey)
        ]
    );
    assert!(links.prs_without_work_items.is_empty());
}

#[test]
fn pull_requests_find_their_commits() {
    let fixture = Fixture::new();
    let links = fixture.link();
    let g = &fixture.graph;
    let get = |s: &str| {
        let pr = PrRef::parse(s).unwrap();
        let found = links.pr_commits_of(&pr).unwrap();
        // The same entry found from the repository and number.
        assert!(std::ptr::eq(
            found,
            links.pr_commits_at(&pr.repo, pr.number).unwrap()
        ));
        found
    };

    let merged = get("acme/web#1");
    assert_eq!(merged.method, Some(Method::MergeCommit));
    assert_eq!(commit_names(g, &merged.commits), ["F1", "F2"]);
    assert_eq!(merged.merge_commit.map(|c| g.id(c)), Some(id("M").as_str()));
    assert_eq!(
        merged.first_commit_at,
        Some(Timestamp::from_second(2500).unwrap())
    );
    assert_eq!(merged.repo.as_deref(), Some("web"));

    let squash = get("acme/web#2");
    assert_eq!(squash.method, Some(Method::Squash));
    assert_eq!(commit_names(g, &squash.commits), ["H"]);
    assert_eq!(
        squash.first_commit_at,
        Some(Timestamp::from_second(7000).unwrap())
    );

    let open = get("acme/web#3");
    assert_eq!(open.method, Some(Method::HeadOnly));
    assert_eq!(commit_names(g, &open.commits), ["E"]);
    assert_eq!(open.merge_commit, None);

    let unstored = get("acme/mobile#4");
    assert_eq!((unstored.method, unstored.repo.clone()), (None, None));
    assert!(unstored.commits.is_empty());

    let unknown_sha = get("web#5");
    assert_eq!(unknown_sha.method, None);
    assert_eq!(unknown_sha.first_commit_at, None);

    let by_head = get("web#6");
    assert_eq!(by_head.method, Some(Method::MergeCommit));
    assert_eq!(commit_names(g, &by_head.commits), ["F1"]);
}

#[test]
fn notes_count_what_did_not_link() {
    let links = Fixture::new().link();
    let notes = links.notes.join("\n");
    for expected in [
        "4 of 6 pull requests link to no work item",
        "1 work-item keys in pull requests' work_items name no imported work item",
        "1 linked_prs entries of work items name no imported pull request",
        "2 of 6 pull requests have no commits in the stored history: 1 name no stored \
         repository, 1 have neither merge nor head sha in it",
        "2 of 12 deployments have unknown commits: 1 name no stored repository, 1 have a sha",
        "4 of 9 incidents are linked to no deployment: 1 name a deployment that was not \
         imported, 1 came before any successful production deployment of their repository \
         or service, 1 had none in the 7 days before, 1 name neither repository nor service",
        "2 repository names in records match no stored repository: acme/api, acme/mobile",
    ] {
        assert!(
            notes.contains(expected),
            "missing {expected:?} in:\n{notes}"
        );
    }
}

#[test]
fn output_does_not_depend_on_input_order() {
    let fixture = Fixture::new();
    let mut reversed = Fixture::new();
    reversed.work_items.reverse();
    reversed.pull_requests.reverse();
    reversed.deployments.reverse();
    reversed.incidents.reverse();
    assert_eq!(fixture.link(), reversed.link());
}

// --- the commit graph ------------------------------------------------------------------

/// Hundreds of commits in two repositories, listed interleaved and out of order, whose ids
/// share their first eight digits in groups, some repeated in upper case: every commit is
/// found by its id and its parent, and every prefix as a plain scan of the ids finds it.
#[test]
fn a_large_graph_finds_what_a_scan_of_its_ids_finds() {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut nodes: Vec<CommitNode> = Vec::new();
    let mut last: [Option<String>; 2] = [None, None];
    for i in 0..600u64 {
        let r = usize::from(next() % 3 == 0);
        let repo = ["web", "api"][r];
        // Eight shared digits (one of five groups), then 32 of its own.
        let id = format!("{:08x}{:016x}{:016x}", (i % 5) * 0x1111, next(), next());
        nodes.push(CommitNode {
            repo: repo.into(),
            id: id.clone().into(),
            parents: last[r].iter().cloned().collect(),
            author_email: format!("{i}@x.io").into(),
            author_time: i as i64,
        });
        last[r] = Some(id);
    }
    // Some nodes again, in upper case and with spaces: each is the commit listed first.
    let repeats: Vec<usize> = (0..nodes.len()).step_by(37).collect();
    for &i in &repeats {
        let mut again = nodes[i].clone();
        again.id = format!(" {} ", again.id.to_uppercase()).into();
        again.author_email = "again@x.io".into();
        nodes.push(again);
    }
    let g = CommitGraph::from_nodes(&nodes);
    assert_eq!(g.len(), 600);
    assert_eq!(g.repos().collect::<Vec<_>>(), ["api", "web"]);
    for (i, n) in nodes.iter().enumerate().take(600) {
        let c = g
            .find(&n.repo, &n.id)
            .expect("every commit is found by its id");
        assert_eq!(g.of_node(i), Some(c));
        assert_eq!(
            (g.repo(c), g.author_email(c)),
            (n.repo.as_ref(), n.author_email.as_ref())
        );
        let parents: Vec<&str> = g.parents(c).iter().map(|&p| g.id(p)).collect();
        assert_eq!(
            parents,
            n.parents.iter().map(String::as_str).collect::<Vec<_>>()
        );
    }
    for (k, &i) in repeats.iter().enumerate() {
        assert_eq!(g.of_node(600 + k), g.of_node(i));
    }
    // Prefixes of every length from 7 to 12, of ids of both repositories and of neither.
    for n in nodes.iter().take(600) {
        for len in 7..=12 {
            for repo in ["web", "api"] {
                let prefix = &n.id[..len];
                let matching: Vec<&CommitNode> = nodes[..600]
                    .iter()
                    .filter(|m| *m.repo == *repo && m.id.starts_with(prefix))
                    .collect();
                let expected = match matching.as_slice() {
                    [] => Lookup::NotFound,
                    [one] => Lookup::Found(g.find(repo, &one.id).expect("found by id")),
                    _ => Lookup::Ambiguous,
                };
                assert_eq!(g.lookup(repo, prefix), expected, "{repo} {prefix}");
            }
        }
    }
    // Eight digits that a group of ids shares.
    assert_eq!(g.lookup("web", "00001111"), Lookup::Ambiguous);
}

#[test]
fn shas_are_found_by_full_id_or_unique_prefix() {
    let mut nodes = vec![node("web", "A", &[], 1), node("web", "B", &["A"], 2)];
    for (i, sha) in ["abcdef1200", "abcdef1300"].iter().enumerate() {
        nodes.push(CommitNode {
            repo: "web".into(),
            id: format!("{sha:0<40}").into(),
            parents: vec![],
            author_email: "x@x".into(),
            author_time: i as i64,
        });
    }
    nodes.push(node("other", "A", &[], 1));
    let g = CommitGraph::new(nodes);
    let found = |repo: &str, sha: &str| match g.lookup(repo, sha) {
        Lookup::Found(c) => Some((g.repo(c).to_string(), g.id(c).to_string())),
        _ => None,
    };
    assert_eq!(found("web", &id("A")), Some(("web".into(), id("A"))));
    assert_eq!(found("web", "aaaaaaa"), Some(("web".into(), id("A"))));
    assert_eq!(found("web", " BBBBBBBBB "), Some(("web".into(), id("B"))));
    assert_eq!(found("other", "aaaaaaa"), Some(("other".into(), id("A"))));
    assert_eq!(
        found("web", "abcdef12"),
        Some(("web".into(), format!("{:0<40}", "abcdef12")))
    );
    assert_eq!(g.lookup("web", "abcdef1"), Lookup::Ambiguous);
    assert_eq!(g.lookup("web", "aaaaaa"), Lookup::Invalid);
    assert_eq!(g.lookup("web", "zzzzzzz"), Lookup::Invalid);
    assert_eq!(g.lookup("web", "1234567"), Lookup::NotFound);
    assert_eq!(g.lookup("nope", "aaaaaaa"), Lookup::NotFound);
    assert_eq!(g.find("other", &id("B")), None);
}

#[test]
fn reachability() {
    let g = web_graph();
    let c = |name: &str| g.find("web", &id(name)).unwrap();
    let ids = |list: Vec<plumb_link::CommitIx>| -> Vec<String> {
        list.into_iter().map(|x| g.id(x).to_string()).collect()
    };
    assert_eq!(
        names(&ids(g.ancestors(&[c("M")]))),
        ["A", "B", "C", "F1", "F2", "M"]
    );
    assert_eq!(
        names(&ids(g.only(&[c("H")], &[c("C")]))),
        ["D", "E", "F1", "F2", "H", "M"]
    );
    assert_eq!(names(&ids(g.only(&[c("F2")], &[c("C")]))), ["F1", "F2"]);
    assert!(g.only(&[c("C")], &[c("H")]).is_empty());
    assert!(g.is_ancestor(c("F1"), c("H")));
    assert!(g.is_ancestor(c("H"), c("H")));
    assert!(!g.is_ancestor(c("F1"), c("C")));
    assert!(!g.is_ancestor(c("H"), c("A")));
    assert_eq!(g.parents(c("M")), [c("C"), c("F2")]);
    assert!(g.notes().is_empty());
}

/// One walker, many walks in a row (as linking walks once per pull request and
/// deployment): each gives what a walk of its own gives, whatever walked before it.
#[test]
fn a_walker_reused_walks_as_a_fresh_one() {
    let g = web_graph();
    let all: Vec<plumb_link::CommitIx> = g.commits().collect();
    let mut walker = g.walker();
    let mut walks = 0;
    for &a in &all {
        for &b in &all {
            for (include, exclude) in [
                (vec![a], vec![b]),
                (vec![a, b], vec![]),
                (vec![b], vec![a, b]),
            ] {
                assert_eq!(walker.only(&include, &exclude), g.only(&include, &exclude));
                walks += 1;
            }
            let stop_at = |c: plumb_link::CommitIx| c == b;
            assert_eq!(
                walker.ancestors_until(&[a], stop_at),
                g.ancestors_until(&[a], stop_at)
            );
        }
    }
    assert!(walks > 100, "{walks}");
    // Not vacuous: walks in a row differ, and a fresh one still gives the first answer.
    let c = |name: &str| g.find("web", &id(name)).unwrap();
    assert_eq!(walker.only(&[c("H")], &[c("C")]).len(), 6);
    assert!(walker.only(&[c("C")], &[c("H")]).is_empty());
    assert_eq!(walker.only(&[c("H")], &[c("C")]).len(), 6);
}

#[test]
fn missing_parents_and_repeats_are_noted() {
    let g = CommitGraph::new(vec![
        node("web", "B", &["A"], 2),
        node("web", "C", &["B"], 3),
        node("web", "C", &["B"], 3),
    ]);
    assert_eq!(g.len(), 2);
    let c = g.find("web", &id("C")).unwrap();
    assert_eq!(g.ancestors(&[c]).len(), 2);
    assert_eq!(
        g.notes(),
        [
            "1 repeated commits in the input: the first of each was kept",
            "1 parents of 1 commits are not in the stored history (shallow or partial clone): \
             those commits are treated as roots",
        ]
    );
}

/// Ids are matched in lower case and trimmed, a repeated node keeps its first copy (its
/// parents), and a commit held by two repositories (a fork) is first shipped by the earlier
/// of their production deployments.
#[test]
fn ids_in_any_case_repeats_and_forks() {
    let shout = |name: &str| format!(" {} ", id(name).to_uppercase());
    let graph = CommitGraph::from_nodes(&[
        CommitNode {
            repo: "web".into(),
            id: shout("B").into(),
            parents: vec![shout("A")],
            author_email: "b@x.io".into(),
            author_time: 2,
        },
        node("web", "A", &[], 1),
        // A repeat of B without its parent: the first copy, with A, is kept.
        node("web", "B", &[], 2),
        node("fork", "A", &[], 1),
        node("fork", "B", &["A"], 2),
    ]);
    assert_eq!(graph.len(), 4);
    let b = graph.find("web", &id("B")).unwrap();
    assert_eq!(graph.id(b), id("B"));
    assert_eq!(graph.ancestors(&[b]).len(), 2);
    assert!(graph.find("web", &id("B").to_uppercase()).is_some());

    let repos = RepoNames::new(&["web".to_string(), "fork".to_string()]);
    let deployments = vec![
        deployment("w1", "web", "production", &id("B"), 5, Success, None),
        deployment("f1", "fork", "production", &id("A"), 3, Success, None),
        deployment("f2", "fork", "staging", &id("B"), 1, Success, None),
    ];
    let mut input = LinkInput::new(&graph, &repos);
    input.deployments = &deployments;
    let links = link(&input);
    let first = links.first_production_deployments(&graph);
    let first: Vec<(&str, &str)> = first
        .iter()
        .map(|(c, d)| (names(std::slice::from_ref(c))[0], d.as_str()))
        .collect();
    // A reached production first in the fork (day 3), B only in web (day 5): staging
    // does not count.
    assert_eq!(first, [("A", "f1"), ("B", "w1")]);
    // Per commit, each repository's copy of an id has the earliest of both.
    let first_of = |repo: &str, name: &str| {
        let c = graph.find(repo, &id(name)).unwrap();
        links.first_production_of(c).map(|d| d.deployment.as_str())
    };
    assert_eq!(first_of("web", "A"), Some("f1"));
    assert_eq!(first_of("fork", "A"), Some("f1"));
    assert_eq!(first_of("web", "B"), Some("w1"));
    assert_eq!(first_of("fork", "B"), Some("w1"));
    // Each input node maps to its commit; the repeated B to the copy kept.
    let web_b = graph.find("web", &id("B"));
    assert_eq!(graph.of_node(0), web_b);
    assert_eq!(graph.of_node(2), web_b);
    assert_eq!(graph.of_node(1), graph.find("web", &id("A")));
    assert_eq!(graph.of_node(3), graph.find("fork", &id("A")));
    assert_eq!(graph.of_node(4), graph.find("fork", &id("B")));
    assert_eq!(graph.of_node(5), None);
}

/// Copies of an id in two repositories share their earliest production deployment; an id
/// that only begins like another (its first sixteen digits) is another commit and keeps
/// its own.
#[test]
fn only_whole_ids_share_their_first_production() {
    // B's first sixteen digits, then others.
    let near_b = format!("{}{}", &id("B")[..16], "0".repeat(24));
    assert_ne!(near_b, id("B"));
    let graph = CommitGraph::from_nodes(&[
        node("web", "A", &[], 1),
        node("web", "B", &["A"], 2),
        node("fork", "A", &[], 1),
        node("fork", "B", &["A"], 2),
        CommitNode {
            repo: "other".into(),
            id: near_b.clone().into(),
            parents: Vec::new(),
            author_email: "n@x.io".into(),
            author_time: 1,
        },
    ]);
    let repos = RepoNames::new(&["web".to_string(), "fork".to_string(), "other".to_string()]);
    let deployments = vec![
        deployment("o1", "other", "production", &near_b, 1, Success, None),
        deployment("w1", "web", "production", &id("B"), 5, Success, None),
        deployment("f1", "fork", "production", &id("B"), 4, Success, None),
    ];
    let mut input = LinkInput::new(&graph, &repos);
    input.deployments = &deployments;
    let links = link(&input);
    let first_of = |repo: &str, sha: &str| {
        let c = graph.find(repo, sha).unwrap();
        links.first_production_of(c).map(|d| d.deployment.as_str())
    };
    assert_eq!(first_of("other", &near_b), Some("o1"));
    assert_eq!(first_of("web", &id("B")), Some("f1"));
    assert_eq!(first_of("fork", &id("B")), Some("f1"));
    assert_eq!(first_of("web", &id("A")), Some("f1"));
}

/// A history far longer than any recursion would survive, with many deployments: every
/// commit is shipped exactly once, by the first deployment that contains it.
#[test]
fn a_long_history_links_without_recursion() {
    const COMMITS: usize = 50_000;
    const EVERY: usize = 50;
    let hex = |i: usize| format!("{i:040x}");
    let nodes: Vec<CommitNode> = (0..COMMITS)
        .map(|i| CommitNode {
            repo: "big".into(),
            id: hex(i).into(),
            parents: if i == 0 { vec![] } else { vec![hex(i - 1)] },
            author_email: "a@x".into(),
            author_time: i as i64,
        })
        .collect();
    let graph = CommitGraph::new(nodes);
    let repos = RepoNames::new(&["big".to_string()]);
    let deployments: Vec<Deployment> = (1..=COMMITS / EVERY)
        .map(|k| {
            deployment(
                &format!("d{k:05}"),
                "big",
                "production",
                &hex(k * EVERY - 1),
                k as i64,
                Success,
                None,
            )
        })
        .collect();
    let mut input = LinkInput::new(&graph, &repos);
    input.deployments = &deployments;
    let links = link(&input);
    assert_eq!(links.deployments.len(), COMMITS / EVERY);
    for d in &links.deployments {
        assert_eq!(
            d.commits.as_ref().map(Vec::len),
            Some(EVERY),
            "{}",
            d.deployment
        );
    }
    let first = links.first_production_deployments(&graph);
    assert_eq!(first.len(), COMMITS);
    assert_eq!(first[&hex(0)], "d00001");
    assert_eq!(first[&hex(COMMITS - 1)], "d01000");
    let first = graph.find("big", &hex(COMMITS - 1)).unwrap();
    assert_eq!(graph.ancestors(&[first]).len(), COMMITS);
    let root = graph.find("big", &hex(0)).unwrap();
    assert!(graph.is_ancestor(root, first));
    assert_eq!(graph.only(&[first], &[root]).len(), COMMITS - 1);
}

// --- repositories ----------------------------------------------------------------------

#[test]
fn repository_references_resolve_or_refuse_to_guess() {
    let repos = RepoNames::new(&[
        "acme/web".to_string(),
        "other/web".to_string(),
        "api".to_string(),
        "api".to_string(),
    ]);
    let check = |reference: &str, expected: RepoMatch| {
        assert_eq!(repos.lookup(reference), expected, "{reference}");
    };
    check("acme/web", RepoMatch::Exact("acme/web"));
    check("web", RepoMatch::Ambiguous(vec!["acme/web", "other/web"]));
    check("api", RepoMatch::Exact("api"));
    check("acme/api", RepoMatch::ByName("api"));
    check("git@github.com:acme/api.git", RepoMatch::ByName("api"));
    check("Acme/API", RepoMatch::ByName("api"));
    check("mobile", RepoMatch::Unknown);
    check("", RepoMatch::Unknown);
    assert_eq!(repos.resolve("web"), None);
    assert_eq!(repos.resolve("x/api"), Some("api"));
    assert_eq!(repos.names(), ["acme/web", "api", "other/web"]);
}

// --- identities ------------------------------------------------------------------------

fn person(name: &str, emails: &[&str], logins: &[&str], team: &str) -> Person {
    Person {
        name: name.into(),
        emails: emails.iter().map(|s| s.to_string()).collect(),
        logins: logins.iter().map(|s| s.to_string()).collect(),
        team: team.into(),
        level: None,
        career_start: None,
        start_date: None,
        end_date: None,
    }
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn roster() -> Identities {
    let people = [
        Person {
            level: Some(Level::Staff),
            career_start: Some(2025),
            ..person("Ann", &["Ann@X.io", "ann@home.net"], &["AnnX"], "web")
        },
        Person {
            career_start: Some(2023),
            start_date: Some(date("2025-01-10")),
            end_date: Some(date("2026-03-31")),
            ..person("Bob", &["bob@x.io"], &["bobby"], "")
        },
        person("Cy", &["cy@x.io"], &[], "data"),
    ];
    let teams = [
        Team {
            team: "web".into(),
            ai_rollout_date: Some(date("2026-01-15")),
            profile: Some("product".into()),
            parent: None,
        },
        Team {
            team: "empty".into(),
            ai_rollout_date: None,
            profile: None,
            parent: Some("web".into()),
        },
    ];
    let config = [TeamMembers {
        name: "platform".into(),
        members: vec!["bobby".into(), "ann@x.io".into(), "nobody@x.io".into()],
    }];
    Identities::build(&people, &teams, &config)
}

#[test]
fn emails_and_logins_resolve_to_one_person() {
    let ids = roster();
    let ann = ids.resolve("ann@x.io").unwrap();
    for alias in [" ANN@x.io ", "ann@home.net", "annx", "ANNX"] {
        assert_eq!(ids.resolve(alias), Some(ann), "{alias}");
    }
    assert_eq!(ids.key(ann), "ann@x.io");
    assert_eq!(ids.by_key("ann@x.io"), Some(ann));
    assert_eq!(ids.person(ann).name, "Ann");
    assert_eq!(ids.resolve("ghost@x.io"), None);
    assert_eq!(ids.resolve(""), None);
    // Numbered in key order, whatever the roster order; then the people only the
    // configuration names, in its order.
    let order: Vec<&str> = ids.ids().map(|p| ids.key(p)).collect();
    assert_eq!(order, ["ann@x.io", "bob@x.io", "cy@x.io", "nobody@x.io"]);
    let nobody = ids.resolve("nobody@x.io").unwrap();
    assert_eq!(ids.team_of(nobody), Some("platform"));
}

#[test]
fn unknown_people_are_counted() {
    let ids = roster();
    let unknown = ids.count_unknown([
        "ann@x.io",
        "ANN@X.IO ",
        "bobby",
        "ghost@x.io",
        "Ghost@x.io",
        "dependabot[bot]",
    ]);
    assert_eq!(unknown.references, 3);
    assert_eq!(unknown.distinct, ["dependabot[bot]", "ghost@x.io"]);
}

#[test]
fn teams_merge_roster_records_and_configuration() {
    let ids = roster();
    let ann = ids.resolve("ann@x.io").unwrap();
    let bob = ids.resolve("bob@x.io").unwrap();
    let cy = ids.resolve("cy@x.io").unwrap();
    // The roster wins over the configuration for Ann; Bob has no roster team.
    assert_eq!(ids.team_of(ann), Some("web"));
    assert_eq!(ids.team_of(bob), Some("platform"));
    assert_eq!(ids.team_of(cy), Some("data"));
    let teams: Vec<(&str, bool, bool, bool, usize)> = ids
        .teams()
        .iter()
        .map(|t| {
            (
                t.name.as_str(),
                t.on_roster,
                t.has_record,
                t.in_config,
                t.members.len(),
            )
        })
        .collect();
    assert_eq!(
        teams,
        [
            ("data", true, false, false, 1),
            ("empty", false, true, false, 0),
            ("platform", false, false, true, 2),
            ("web", true, true, false, 1),
        ]
    );
    assert_eq!(ids.rollout_date("web"), Some(date("2026-01-15")));
    assert_eq!(ids.rollout_date("platform"), None);
    assert_eq!(ids.rollout_date("nope"), None);
    assert_eq!(ids.team("empty").unwrap().parent.as_deref(), Some("web"));
    assert_eq!(
        ids.notes(),
        [
            "1 configured team memberships disagree with an earlier source, which wins: \
             ann@x.io (the roster says web, team platform lists them)",
            "1 configured team members are not on the roster and join from the configuration alone (no level, no dates): nobody@x.io",
        ]
    );
}

#[test]
fn seniority_bands_at_their_boundaries() {
    let on = date("2026-06-01");
    let check = |level: Option<Level>, start: Option<i16>, expected: Option<Band>| {
        assert_eq!(band(level, start, on), expected, "{level:?} {start:?}");
    };
    check(None, Some(2026), Some(Band::Junior));
    check(None, Some(2024), Some(Band::Junior)); // 2 years
    check(None, Some(2023), Some(Band::Mid)); // 3
    check(None, Some(2021), Some(Band::Mid)); // 5
    check(None, Some(2020), Some(Band::Senior)); // 6
    check(None, Some(1990), Some(Band::Senior));
    check(None, Some(2027), None); // in the future
    check(None, None, None);
    // The level wins over the career start.
    check(Some(Level::Junior), Some(2000), Some(Band::Junior));
    check(Some(Level::Mid), Some(2026), Some(Band::Mid));
    check(Some(Level::Senior), None, Some(Band::Senior));
    check(Some(Level::Principal), None, Some(Band::Senior));

    let ids = roster();
    let ann = ids.resolve("annx").unwrap();
    let bob = ids.resolve("bobby").unwrap();
    let cy = ids.resolve("cy@x.io").unwrap();
    assert_eq!(ids.seniority(ann, on), Some(Band::Senior)); // staff, despite 2025
    assert_eq!(ids.seniority(bob, on), Some(Band::Mid));
    assert_eq!(ids.seniority(cy, on), None);
}

#[test]
fn employment_dates_are_inclusive_and_unknown_dates_do_not_limit() {
    let ids = roster();
    let bob = ids.resolve("bob@x.io").unwrap();
    let check = |day: &str, expected: bool| {
        assert_eq!(ids.employed(bob, date(day)), expected, "{day}");
    };
    check("2025-01-09", false);
    check("2025-01-10", true);
    check("2026-03-31", true);
    check("2026-04-01", false);
    let cy = ids.resolve("cy@x.io").unwrap();
    assert!(ids.employed(cy, date("1970-01-01")));
    assert!(employed_on(ids.person(cy), date("2999-12-31")));
}

#[test]
fn shared_and_missing_emails_are_noted() {
    let people = [
        person("One", &["one@x.io", "shared@x.io"], &["dup"], "a"),
        person("Two", &["two@x.io", "SHARED@x.io"], &["DUP"], "a"),
        person("Nameless", &[], &["nobody"], "a"),
        person("One again", &["one@x.io"], &[], "b"),
    ];
    let ids = Identities::build(&people, &[], &[]);
    assert_eq!(ids.len(), 2);
    assert_eq!(ids.resolve("shared@x.io"), ids.resolve("one@x.io"));
    assert_eq!(ids.resolve("dup"), ids.resolve("one@x.io"));
    assert_eq!(ids.resolve("nobody"), None);
    assert_eq!(ids.person(ids.resolve("one@x.io").unwrap()).name, "One");
    assert_eq!(
        ids.notes(),
        [
            "1 roster entries have no email and were left out",
            "1 roster entries repeat another's first email: the first was kept",
            "2 emails or logins appear on two roster entries and belong to the first: dup, \
             shared@x.io",
        ]
    );
}
