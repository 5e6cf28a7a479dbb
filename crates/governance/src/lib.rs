//! Risk zones and the policy engine behind `plumb gate`; pure.
//!
//! [`check`] is a function from a change ([`GateInput`]: the files it changed, its commits
//! with their AI detections, the approvals and labels it has) and the zones
//! ([`ZoneSet`]) to a [`Decision`]. It reads no files, no git, no environment and no
//! clock, so every decision can be reproduced from its input and tested with data built
//! by hand. The CLI gathers the input from git and the forge's event payload.
//!
//! # Semantics
//!
//! - A file belongs to the first zone (configuration order) with a matching glob; a file
//!   no zone matches is treated as green (AI allowed, no approvals).
//! - A zone is *AI-touched* when an AI-authored commit of the change (a detection of kind
//!   `authored`, which includes AI agent authors) changed one of its files: attribution is
//!   per commit, so a human commit in the same range does not make its files AI-touched.
//!   Deleting a file touches it, so renaming a file out of a zone (a delete plus an add,
//!   as with `git log --no-renames`) touches the zone it left.
//! - `prohibited`: an AI-touched zone fails the gate; approvals and labels do not help.
//! - `needs-approval`: an AI-touched zone passes once it has `required_approvals`
//!   approvals (at least 1), **or** the zone's `approval_label` is on the change — the
//!   label alone suffices. Otherwise the verdict is `needs-approval`.
//! - `allowed`: never blocks; the checklist and expected reviewers are still shown.
//! - Human-only changes pass every zone: approval rules for people are CODEOWNERS' and
//!   branch protection's job, not the AI gate's.
//! - The strictest zone wins: `fail` > `needs-approval` > `pass`.

#![forbid(unsafe_code)]

pub mod github;
mod zones;

pub use zones::{AiPolicy, PRESETS, Zone, ZoneMatch, ZoneSet, default_zones, preset};

use plumb_model::{AiKind, Detection};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Why zones could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GovernanceError {
    #[error("zone #{index} {zone:?}: {message}")]
    Zone {
        index: usize,
        zone: String,
        message: String,
    },
    #[error("zone {zone:?}: bad glob {glob:?}: {message}")]
    Glob {
        zone: String,
        glob: String,
        message: String,
    },
    #[error("unknown zone preset {name:?}, expected saas, fintech, healthcare or consumer")]
    UnknownPreset { name: String },
}

/// The name under which files no zone matches are reported.
pub const UNZONED: &str = "unzoned";

/// How the change touched a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Deleted,
    Modified,
    /// The source does not say (every kind is treated the same way).
    Unknown,
}

/// A file the change touched, and the commits (ids) that touched it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    pub path: String,
    pub kind: ChangeKind,
    pub commits: Vec<String>,
}

/// A commit of the change with its AI provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeCommit {
    pub id: String,
    pub subject: String,
    pub detections: Vec<Detection>,
}

impl ChangeCommit {
    /// Whether an AI tool authored (part of) the commit.
    pub fn is_ai(&self) -> bool {
        self.detections.iter().any(|d| d.kind == AiKind::Authored)
    }

    /// The tools that authored the commit, sorted and distinct.
    pub fn ai_tools(&self) -> Vec<String> {
        let tools: BTreeSet<&str> = self
            .detections
            .iter()
            .filter(|d| d.kind == AiKind::Authored)
            .map(|d| d.tool.as_str())
            .collect();
        tools.into_iter().map(str::to_string).collect()
    }
}

/// Someone who approved the change, with their groups when the source knows them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Approver {
    pub login: String,
    pub groups: Vec<String>,
}

/// The approvals the change has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Approvals {
    /// Approvals in total (may exceed `approvers` when only a count is known).
    pub count: u32,
    pub approvers: Vec<Approver>,
    /// Whether the approvers' groups are known (a `[groups]` table is configured): then a
    /// zone with `reviewer_groups` counts only approvers in those groups, and an approver
    /// in no group counts for none of them.
    pub groups_known: bool,
}

/// Everything the engine judges.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GateInput {
    pub files: Vec<ChangedFile>,
    pub commits: Vec<ChangeCommit>,
    pub approvals: Approvals,
    pub labels: Vec<String>,
}

/// The gate's answer, ordered from least to most strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    NeedsApproval,
    Fail,
}

impl Verdict {
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::NeedsApproval => "needs-approval",
            Verdict::Fail => "fail",
        }
    }
}

/// One reason for the decision, traceable to a zone, its globs and its policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub verdict: Verdict,
    pub zone: String,
    /// The globs that matched the files this reason is about.
    pub globs: Vec<String>,
    pub policy: AiPolicy,
    pub message: String,
    pub files: Vec<String>,
}

/// A file of a touched zone, with the rule that put it there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneFile {
    pub path: String,
    /// `None` for files no zone matched.
    pub glob: Option<String>,
    pub kind: ChangeKind,
    /// AI-authored commits (ids) that changed the file.
    pub ai_commits: Vec<String>,
    pub verdict: Verdict,
}

/// A zone the change touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneReport {
    pub zone: String,
    pub policy: AiPolicy,
    pub required_approvals: u32,
    pub reviewer_groups: Vec<String>,
    pub approval_label: Option<String>,
    pub ai_touched: bool,
    pub verdict: Verdict,
    pub files: Vec<ZoneFile>,
    pub checklist: Vec<String>,
}

/// An AI-assisted commit of the change with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AiCommit {
    pub id: String,
    pub subject: String,
    pub tools: Vec<String>,
    pub evidence: Vec<Detection>,
}

/// The decision with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
    /// Touched zones in configuration order, then unzoned files.
    pub zones: Vec<ZoneReport>,
    pub ai_commits: Vec<AiCommit>,
    pub approvals: u32,
    pub labels: Vec<String>,
}

impl Decision {
    /// The distinct AI tools of the change.
    pub fn ai_tools(&self) -> Vec<String> {
        let tools: BTreeSet<&str> = self
            .ai_commits
            .iter()
            .flat_map(|c| c.tools.iter().map(String::as_str))
            .collect();
        tools.into_iter().map(str::to_string).collect()
    }

    /// Every file with a zone verdict, in zone order.
    pub fn files(&self) -> impl Iterator<Item = (&ZoneReport, &ZoneFile)> {
        self.zones
            .iter()
            .flat_map(|z| z.files.iter().map(move |f| (z, f)))
    }
}

fn counted_approvals(zone: &Zone, approvals: &Approvals) -> (u32, bool) {
    let groups_known =
        approvals.groups_known || approvals.approvers.iter().any(|a| !a.groups.is_empty());
    if zone.reviewer_groups.is_empty() || !groups_known {
        return (approvals.count, false);
    }
    let n = approvals
        .approvers
        .iter()
        .filter(|a| a.groups.iter().any(|g| zone.reviewer_groups.contains(g)))
        .count();
    (u32::try_from(n).unwrap_or(u32::MAX), true)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Applies the zones' policies to a change. See the crate docs for the semantics.
pub fn check(zones: &ZoneSet, input: &GateInput) -> Decision {
    let ai: BTreeMap<&str, &ChangeCommit> = input
        .commits
        .iter()
        .filter(|c| c.is_ai())
        .map(|c| (c.id.as_str(), c))
        .collect();

    // Files per zone index (`zones.len()` = unzoned), sorted by path.
    let mut by_zone: BTreeMap<usize, Vec<(ZoneFile, Option<usize>)>> = BTreeMap::new();
    let mut files: Vec<&ChangedFile> = input.files.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    for file in files {
        let m = zones.classify(&file.path);
        let index = m.map_or(zones.zones().len(), |m| m.index);
        let mut ai_commits: Vec<String> = file
            .commits
            .iter()
            .filter(|id| ai.contains_key(id.as_str()))
            .cloned()
            .collect();
        ai_commits.dedup();
        by_zone.entry(index).or_default().push((
            ZoneFile {
                path: file.path.clone(),
                glob: m.map(|m| m.glob.to_string()),
                kind: file.kind,
                ai_commits,
                verdict: Verdict::Pass,
            },
            m.map(|m| m.index),
        ));
    }

    let mut reasons = Vec::new();
    let mut reports = Vec::new();
    for (index, entries) in by_zone {
        let mut files: Vec<ZoneFile> = entries.into_iter().map(|(f, _)| f).collect();
        let Some(zone) = zones.zones().get(index) else {
            reasons.push(Reason {
                verdict: Verdict::Pass,
                zone: UNZONED.into(),
                globs: vec![],
                policy: AiPolicy::Allowed,
                message: format!(
                    "{} no zone matched: treated as green (AI allowed, no approvals)",
                    plural(files.len(), "file")
                ),
                files: files.iter().map(|f| f.path.clone()).collect(),
            });
            reports.push(ZoneReport {
                zone: UNZONED.into(),
                policy: AiPolicy::Allowed,
                required_approvals: 0,
                reviewer_groups: vec![],
                approval_label: None,
                ai_touched: files.iter().any(|f| !f.ai_commits.is_empty()),
                verdict: Verdict::Pass,
                files,
                checklist: vec![],
            });
            continue;
        };
        let ai_files: Vec<&ZoneFile> = files.iter().filter(|f| !f.ai_commits.is_empty()).collect();
        let ai_touched = !ai_files.is_empty();
        let globs_of = |fs: &[&ZoneFile]| -> Vec<String> {
            let mut g: Vec<String> = fs.iter().filter_map(|f| f.glob.clone()).collect();
            g.sort_by_key(|glob| zone.paths.iter().position(|p| p == glob));
            g.dedup();
            g
        };
        let all: Vec<&ZoneFile> = files.iter().collect();
        let (verdict, message, about): (Verdict, String, Vec<&ZoneFile>) = match zone.ai {
            _ if !ai_touched => (
                Verdict::Pass,
                match zone.ai {
                    AiPolicy::Allowed => format!(
                        "{} changed, no AI-authored commit among them",
                        plural(files.len(), "file")
                    ),
                    _ => format!(
                        "{} changed by people only: passes (approvals for human changes are CODEOWNERS' and branch protection's job)",
                        plural(files.len(), "file")
                    ),
                },
                all,
            ),
            AiPolicy::Allowed => (
                Verdict::Pass,
                format!(
                    "AI-authored commits changed {}; AI is allowed here{}",
                    plural(ai_files.len(), "file"),
                    if zone.reviewer_groups.is_empty() {
                        String::new()
                    } else {
                        format!(" (expected reviewers: {})", zone.reviewer_groups.join(", "))
                    }
                ),
                ai_files,
            ),
            AiPolicy::Prohibited => (
                Verdict::Fail,
                format!(
                    "AI-authored commits changed {} where AI is prohibited; approvals and labels do not lift a prohibition: rewrite the change without AI",
                    plural(ai_files.len(), "file")
                ),
                ai_files,
            ),
            AiPolicy::NeedsApproval => {
                let needed = zone.required_approvals.max(1);
                let (have, by_group) = counted_approvals(zone, &input.approvals);
                let label = zone
                    .approval_label
                    .as_deref()
                    .filter(|l| input.labels.iter().any(|x| x == l));
                let whose = if by_group {
                    format!(" from {}", zone.reviewer_groups.join("/"))
                } else {
                    String::new()
                };
                let or_label = zone
                    .approval_label
                    .as_deref()
                    .map(|l| format!(" or the label {l:?}"))
                    .unwrap_or_default();
                let touched = plural(ai_files.len(), "file");
                if let Some(label) = label {
                    (
                        Verdict::Pass,
                        format!(
                            "AI-authored commits changed {touched}; approved by the label {label:?}"
                        ),
                        ai_files,
                    )
                } else if have >= needed {
                    (
                        Verdict::Pass,
                        format!(
                            "AI-authored commits changed {touched}; approved ({have} of {needed} approvals{whose})"
                        ),
                        ai_files,
                    )
                } else {
                    (
                        Verdict::NeedsApproval,
                        format!(
                            "AI-authored commits changed {touched}; needs {needed} approvals{whose}{or_label}, has {have}"
                        ),
                        ai_files,
                    )
                }
            }
        };
        let globs = globs_of(&about);
        let about: Vec<String> = about.iter().map(|f| f.path.clone()).collect();
        for f in &mut files {
            if !f.ai_commits.is_empty() {
                f.verdict = verdict;
            }
        }
        reasons.push(Reason {
            verdict,
            zone: zone.name.clone(),
            globs,
            policy: zone.ai,
            message,
            files: about,
        });
        reports.push(ZoneReport {
            zone: zone.name.clone(),
            policy: zone.ai,
            required_approvals: zone.required_approvals,
            reviewer_groups: zone.reviewer_groups.clone(),
            approval_label: zone.approval_label.clone(),
            ai_touched,
            verdict,
            files,
            checklist: zone.checklist.clone(),
        });
    }

    let verdict = reports
        .iter()
        .map(|z| z.verdict)
        .max()
        .unwrap_or(Verdict::Pass);
    let ai_commits = input
        .commits
        .iter()
        .filter(|c| c.is_ai())
        .map(|c| AiCommit {
            id: c.id.clone(),
            subject: c.subject.clone(),
            tools: c.ai_tools(),
            evidence: c
                .detections
                .iter()
                .filter(|d| d.kind == AiKind::Authored)
                .cloned()
                .collect(),
        })
        .collect();
    Decision {
        verdict,
        reasons,
        zones: reports,
        ai_commits,
        approvals: input.approvals.count,
        labels: input.labels.clone(),
    }
}

#[cfg(test)]
mod tests;
