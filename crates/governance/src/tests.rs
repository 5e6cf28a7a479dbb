use super::*;
use plumb_model::EvidenceField;

fn zones() -> ZoneSet {
    let mut z = default_zones();
    z.insert(
        0,
        Zone {
            name: "vault".into(),
            paths: vec!["**/vault/**".into()],
            ai: AiPolicy::Prohibited,
            required_approvals: 2,
            reviewer_groups: vec!["security".into()],
            approval_label: Some("ai-approved".into()),
            checklist: vec!["Written by a person".into()],
        },
    );
    match ZoneSet::new(z) {
        Ok(z) => z,
        Err(e) => panic!("{e}"),
    }
}

fn claude() -> Detection {
    Detection {
        tool: "claude-code".into(),
        kind: AiKind::Authored,
        field: EvidenceField::Trailer,
        evidence: "Co-Authored-By: Claude <noreply@anthropic.com>".into(),
    }
}

fn review() -> Detection {
    Detection {
        tool: "copilot-review".into(),
        kind: AiKind::ReviewSuggestion,
        field: EvidenceField::Trailer,
        evidence: "Co-authored-by: Copilot".into(),
    }
}

/// A commit "h1", "h2"… (human) or "a1", "a2"… (Claude) touching the given paths.
struct Case {
    name: &'static str,
    commits: &'static [(&'static str, &'static [&'static str])],
    approvals: u32,
    approvers: &'static [(&'static str, &'static [&'static str])],
    labels: &'static [&'static str],
    expected: Verdict,
    /// (zone, verdict) of each touched zone, in order.
    zones: &'static [(&'static str, Verdict)],
}

fn input(case: &Case) -> GateInput {
    let mut files: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut commits = Vec::new();
    for (id, paths) in case.commits {
        for p in *paths {
            files.entry(p).or_default().push(id.to_string());
        }
        let detections = match id.as_bytes().first() {
            Some(b'a') => vec![claude()],
            Some(b'r') => vec![review()],
            _ => vec![],
        };
        commits.push(ChangeCommit {
            id: id.to_string(),
            subject: format!("commit {id}"),
            detections,
        });
    }
    GateInput {
        files: files
            .into_iter()
            .map(|(path, commits)| ChangedFile {
                path: path.into(),
                kind: ChangeKind::Modified,
                commits,
            })
            .collect(),
        commits,
        approvals: Approvals {
            count: case.approvals,
            approvers: case
                .approvers
                .iter()
                .map(|(login, groups)| Approver {
                    login: login.to_string(),
                    groups: groups.iter().map(|g| g.to_string()).collect(),
                })
                .collect(),
            groups_known: !case.approvers.is_empty(),
        },
        labels: case.labels.iter().map(|l| l.to_string()).collect(),
    }
}

fn check_case(case: &Case) {
    let decision = check(&zones(), &input(case));
    assert_eq!(
        decision.verdict, case.expected,
        "{}: {decision:#?}",
        case.name
    );
    let got: Vec<(&str, Verdict)> = decision
        .zones
        .iter()
        .map(|z| (z.zone.as_str(), z.verdict))
        .collect();
    assert_eq!(got, case.zones.to_vec(), "{}", case.name);
    // Every reason names a zone and, for zoned files, the globs that matched.
    for r in &decision.reasons {
        assert!(!r.zone.is_empty());
        if r.zone != UNZONED {
            assert!(!r.globs.is_empty(), "{}: {r:?}", case.name);
        }
    }
}

const NONE: &[(&str, &[&str])] = &[];

#[test]
fn policy_table() {
    use Verdict::*;
    let cases = [
        Case {
            name: "AI in red without approval",
            commits: &[("a1", &["src/auth/login.rs"])],
            approvals: 0,
            approvers: NONE,
            labels: &[],
            expected: NeedsApproval,
            zones: &[("red", NeedsApproval)],
        },
        Case {
            name: "AI in red with one of two approvals",
            commits: &[("a1", &["src/auth/login.rs"])],
            approvals: 1,
            approvers: NONE,
            labels: &[],
            expected: NeedsApproval,
            zones: &[("red", NeedsApproval)],
        },
        Case {
            name: "AI in red with two approvals",
            commits: &[("a1", &["src/auth/login.rs"])],
            approvals: 2,
            approvers: NONE,
            labels: &[],
            expected: Pass,
            zones: &[("red", Pass)],
        },
        Case {
            name: "AI in red with the label alone",
            commits: &[("a1", &["src/auth/login.rs"])],
            approvals: 0,
            approvers: NONE,
            labels: &["ai-approved"],
            expected: Pass,
            zones: &[("red", Pass)],
        },
        Case {
            name: "another label does not approve",
            commits: &[("a1", &["src/auth/login.rs"])],
            approvals: 0,
            approvers: NONE,
            labels: &["lgtm"],
            expected: NeedsApproval,
            zones: &[("red", NeedsApproval)],
        },
        Case {
            name: "approvals from outside the reviewer groups do not count when groups are known",
            commits: &[("a1", &["src/auth/login.rs"])],
            approvals: 2,
            approvers: &[("ana", &["design"]), ("bo", &["security"])],
            labels: &[],
            expected: NeedsApproval,
            zones: &[("red", NeedsApproval)],
        },
        Case {
            name: "human-only red change passes",
            commits: &[("h1", &["src/auth/login.rs", "db/migrations/1.sql"])],
            approvals: 0,
            approvers: NONE,
            labels: &[],
            expected: Pass,
            zones: &[("red", Pass)],
        },
        Case {
            name: "AI review suggestions are not AI authorship",
            commits: &[("r1", &["src/auth/login.rs"])],
            approvals: 0,
            approvers: NONE,
            labels: &[],
            expected: Pass,
            zones: &[("red", Pass)],
        },
        Case {
            name: "prohibited fails even with approvals and label",
            commits: &[("a1", &["src/vault/keys.rs"])],
            approvals: 5,
            approvers: NONE,
            labels: &["ai-approved"],
            expected: Fail,
            zones: &[("vault", Fail)],
        },
        Case {
            name: "per-commit attribution: human touched red, AI touched green",
            commits: &[("h1", &["src/auth/login.rs"]), ("a1", &["docs/guide.md"])],
            approvals: 0,
            approvers: NONE,
            labels: &[],
            expected: Pass,
            zones: &[("red", Pass), ("green", Pass)],
        },
        Case {
            name: "strictest zone wins across zones",
            commits: &[(
                "a1",
                &[
                    "src/vault/x.rs",
                    "src/auth/y.rs",
                    "src/api/z.rs",
                    "src/main.rs",
                ],
            )],
            approvals: 0,
            approvers: NONE,
            labels: &[],
            expected: Fail,
            zones: &[
                ("vault", Fail),
                ("red", NeedsApproval),
                ("yellow", Pass),
                (UNZONED, Pass),
            ],
        },
        Case {
            name: "unmatched files are green",
            commits: &[("a1", &["src/main.rs"])],
            approvals: 0,
            approvers: NONE,
            labels: &[],
            expected: Pass,
            zones: &[(UNZONED, Pass)],
        },
        Case {
            name: "empty change passes",
            commits: NONE,
            approvals: 0,
            approvers: NONE,
            labels: &[],
            expected: Pass,
            zones: &[],
        },
    ];
    for case in &cases {
        check_case(case);
    }
}

#[test]
fn reasons_trace_to_the_rule() {
    let case = Case {
        name: "trace",
        commits: &[(
            "a1",
            &["src/auth/login.rs", "src/payments/pay.rs", "README.md"],
        )],
        approvals: 0,
        approvers: NONE,
        labels: &[],
        expected: Verdict::NeedsApproval,
        zones: &[("red", Verdict::NeedsApproval), ("green", Verdict::Pass)],
    };
    check_case(&case);
    let d = check(&zones(), &input(&case));
    let red = &d.reasons[0];
    assert_eq!(red.zone, "red");
    assert_eq!(red.policy, AiPolicy::NeedsApproval);
    assert_eq!(red.globs, vec!["**/auth/**", "**/payments/**"]);
    assert_eq!(red.files, vec!["src/auth/login.rs", "src/payments/pay.rs"]);
    assert!(
        red.message.contains("needs 2 approvals") && red.message.contains("\"ai-approved\""),
        "{}",
        red.message
    );
    assert_eq!(d.ai_commits.len(), 1);
    assert_eq!(d.ai_commits[0].tools, vec!["claude-code"]);
    assert_eq!(d.zones[0].checklist.len(), 4);
}

#[test]
fn workflow_commands_are_escaped() {
    assert_eq!(
        github::escape_data("50% done\r\nnext"),
        "50%25 done%0D%0Anext"
    );
    assert_eq!(github::escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
    let case = Case {
        name: "annotations",
        commits: &[("a1234567890abcdef", &["src/auth/a,b:c.rs"])],
        approvals: 0,
        approvers: NONE,
        labels: &[],
        expected: Verdict::NeedsApproval,
        zones: &[("red", Verdict::NeedsApproval)],
    };
    let d = check(&zones(), &input(&case));
    let out = github::annotations(&d);
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(
            "::error file=src/auth/a%2Cb%3Ac.rs,title=plumb gate%3A needs-approval zone red (ai = needs-approval)::"
        ),
        "{first}"
    );
    assert!(first.contains("a1234567890a"), "{first}");
    assert!(
        out.lines()
            .last()
            .unwrap_or_default()
            .starts_with("::error title=plumb gate::needs-approval: ")
    );
}
