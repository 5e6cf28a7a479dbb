//! The hand-built dataset every report test renders: its figures are worked out in
//! `render.rs`'s module documentation.

use plumb_metrics::{
    CommitFact, Dataset, MetricsConfig, Scorecard, SourceInventory, Window, compute,
};
use plumb_model::{
    AiKind, Detection, EvidenceField, FileChange, GitTime, IdentityClass, LineStats,
};
use plumb_report::{RepoMeta, ReportMeta};

pub const SINCE: i64 = 1_777_680_000; // 2026-05-02T00:00:00Z
pub const UNTIL: i64 = SINCE + 90 * 86_400; // 2026-07-31T00:00:00Z

pub fn commit(
    n: u32,
    key: &str,
    class: IdentityClass,
    tools: &[&str],
    files: &[(&str, u32, u32)],
) -> CommitFact {
    CommitFact {
        repo: "web".into(),
        id: format!("{n:040x}").into(),
        author_key: format!("{key}@acme.test").into(),
        author_class: class,
        time: GitTime {
            seconds: SINCE + i64::from(n) * 3_600,
            offset_minutes: 120,
        },
        is_merge: false,
        files: files
            .iter()
            .map(|(path, added, deleted)| FileChange {
                path: (*path).into(),
                stats: LineStats::Text {
                    added: *added,
                    deleted: *deleted,
                },
            })
            .collect(),
        detections: tools
            .iter()
            .map(|t| Detection {
                tool: (*t).into(),
                kind: AiKind::Authored,
                field: EvidenceField::Trailer,
                evidence: format!("Co-authored-by: {t}"),
            })
            .collect(),
    }
}

pub fn fixture() -> Dataset {
    let p = || IdentityClass::Person;
    let mut commits = Vec::new();
    for (i, who) in ["a", "b", "c", "d", "e"].iter().enumerate() {
        commits.push(commit(
            i as u32,
            who,
            p(),
            &["claude-code"],
            &[("src/lib.rs", 40, 10)],
        ));
    }
    commits.push(commit(5, "f", p(), &["aider"], &[("src/f.rs", 20, 0)]));
    commits.push(commit(
        6,
        "g",
        p(),
        &[],
        &[("src/g.rs", 60, 5), ("Cargo.lock", 5_000, 900)],
    ));
    commits.push(commit(7, "g", p(), &[], &[("docs/g.md", 20, 0)]));
    commits.push(commit(8, "a", p(), &[], &[("src/a.rs", 20, 0)]));
    let agent = || IdentityClass::AiAgent {
        tool: "copilot".into(),
    };
    commits.push(commit(9, "copilot", agent(), &[], &[("src/bot.rs", 40, 0)]));
    commits.push(commit(
        10,
        "copilot",
        agent(),
        &[],
        &[("src/bot2.rs", 40, 0)],
    ));
    let mut review = commit(11, "b", p(), &[], &[("src/r.rs", 0, 3)]);
    review.detections.push(Detection {
        tool: "coderabbit".into(),
        kind: AiKind::ReviewSuggestion,
        field: EvidenceField::Trailer,
        evidence: "Co-authored-by: coderabbitai[bot]".into(),
    });
    commits.push(review);
    commits.push(commit(
        12,
        "dependabot",
        IdentityClass::Bot,
        &[],
        &[("Cargo.toml", 1, 1)],
    ));
    let mut merge = commit(13, "a", p(), &[], &[]);
    merge.is_merge = true;
    commits.push(merge);
    Dataset {
        window: Window {
            since: SINCE,
            until: UNTIL,
        },
        commits,
        sources: SourceInventory {
            git_repos: 1,
            ..SourceInventory::default()
        },
        records: Default::default(),
        graph: Vec::new(),
        ai_assisted: Default::default(),
        config_teams: Vec::new(),
        churn: None,
    }
}

pub fn card() -> Scorecard {
    compute(&fixture(), &MetricsConfig::default())
}

pub fn meta() -> ReportMeta {
    ReportMeta {
        tool_version: "0.1.0".into(),
        window_label: "2026-05-02 → 2026-07-31 (90 days ending at the newest data)".into(),
        repos: vec![RepoMeta {
            name: "web".into(),
            path: "/src/web".into(),
            head: Some("1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b".into()),
            commits: 1_234,
        }],
    }
}
