//! Plain domain types shared by every plumb crate.
//!
//! This crate is the centre the other crates point at: it has no I/O, no knowledge of git
//! libraries, databases, HTTP or terminals. Its types are plain data that can be built by
//! hand in a test, serialised, compared and merged. When a type here needs a dependency
//! beyond `serde` and `jiff` (dates and instants), that is a sign it belongs in another crate.

#![forbid(unsafe_code)]

pub mod records;

use serde::{Deserialize, Serialize};
use std::fmt;

/// A point in time as git records it: seconds since the Unix epoch and the offset from UTC
/// the author's clock had, in minutes. The offset is kept so that reports can speak of the
/// author's local day and week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GitTime {
    pub seconds: i64,
    pub offset_minutes: i32,
}

/// A name, an email and a time: the author or committer of a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub name: String,
    pub email: String,
    pub time: GitTime,
}

/// One `Key: value` line of a commit message's trailer block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trailer {
    pub key: String,
    pub value: String,
}

/// A commit's metadata as read from git, after `.mailmap` resolution of both identities.
///
/// Text that is not valid UTF-8 in git (names, messages) is converted lossily; the commit id
/// and the counts stay exact, which is what every metric relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    /// Full hexadecimal object id.
    pub id: String,
    pub parents: Vec<String>,
    pub author: Signature,
    pub committer: Signature,
    /// The whole message, subject first.
    pub message: String,
    /// The trailers of the message's last paragraph, in order.
    pub trailers: Vec<Trailer>,
}

impl Commit {
    /// The first line of the message.
    pub fn subject(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }

    /// A merge has two or more parents; git shows no file statistics for it by default and
    /// neither does plumb.
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }
}

/// Added and deleted lines of one file in one commit, as `git log --numstat` counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LineStats {
    /// A text change with its line counts.
    Text { added: u32, deleted: u32 },
    /// Git's rule found a NUL byte in the first 8000 bytes of either side: no line counts.
    Binary,
    /// An object needed to count the lines is missing (partial clone, damaged mirror).
    Unknown,
}

impl LineStats {
    pub fn added(&self) -> u64 {
        match self {
            LineStats::Text { added, .. } => u64::from(*added),
            _ => 0,
        }
    }

    pub fn deleted(&self) -> u64 {
        match self {
            LineStats::Text { deleted, .. } => u64::from(*deleted),
            _ => 0,
        }
    }
}

/// One changed path of a non-merge commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    /// The path relative to the repository root. Bytes that are not UTF-8 are written as
    /// `\xNN` so that distinct paths stay distinct.
    pub path: String,
    pub stats: LineStats,
}

/// Whether a commit's file statistics could be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileStats {
    /// Merges carry no file statistics, as in `git log --numstat`.
    Merge,
    /// The per-file changes against the first (only) parent, or the empty tree for a root.
    Files { files: Vec<FileChange> },
    /// A tree needed for the diff is missing, so not even the list of files is known.
    TreeUnknown,
}

/// What ingesting one commit produces: its metadata and its file statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitRecord {
    pub commit: Commit,
    pub stats: FileStats,
}

/// What an AI tool did to a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AiKind {
    /// An agent or assistant wrote (part of) the change.
    Authored,
    /// An accepted AI review suggestion or autofix.
    ReviewSuggestion,
}

impl AiKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            AiKind::Authored => "authored",
            AiKind::ReviewSuggestion => "review-suggestion",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "authored" => Some(AiKind::Authored),
            "review-suggestion" => Some(AiKind::ReviewSuggestion),
            _ => None,
        }
    }
}

/// Where in a commit or pull request a signature was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceField {
    Author,
    Committer,
    Trailer,
    Message,
    Subject,
    Branch,
    PrAuthor,
    PrBody,
    PrLabel,
}

impl EvidenceField {
    pub const ALL: [EvidenceField; 9] = [
        EvidenceField::Author,
        EvidenceField::Committer,
        EvidenceField::Trailer,
        EvidenceField::Message,
        EvidenceField::Subject,
        EvidenceField::Branch,
        EvidenceField::PrAuthor,
        EvidenceField::PrBody,
        EvidenceField::PrLabel,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            EvidenceField::Author => "author",
            EvidenceField::Committer => "committer",
            EvidenceField::Trailer => "trailer",
            EvidenceField::Message => "message",
            EvidenceField::Subject => "subject",
            EvidenceField::Branch => "branch",
            EvidenceField::PrAuthor => "pr-author",
            EvidenceField::PrBody => "pr-body",
            EvidenceField::PrLabel => "pr-label",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl fmt::Display for EvidenceField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One AI signature found on a commit or pull request, with the evidence that shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Detection {
    /// The catalogue's tool id, e.g. `claude-code`.
    pub tool: String,
    pub kind: AiKind,
    pub field: EvidenceField,
    /// The matched text (a trailer line, an email, a subject prefix).
    pub evidence: String,
}

/// What kind of actor an identity (name + email) is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IdentityClass {
    /// A human. Only people count in people metrics.
    Person,
    /// An AI agent that authors commits itself (e.g. `copilot-swe-agent[bot]`): its commits
    /// count as AI-assisted changes, but it is never counted as a developer.
    AiAgent { tool: String },
    /// A non-AI automation (dependabot, renovate, release bots): excluded from people and
    /// from both sides of the adoption ratios.
    Bot,
}

/// Normalises an email address for use as a person key: trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_field_names_round_trip() {
        for f in EvidenceField::ALL {
            assert_eq!(EvidenceField::parse(f.as_str()), Some(f));
        }
    }

    #[test]
    fn subject_is_first_line() {
        let sig = Signature {
            name: "a".into(),
            email: "a@x".into(),
            time: GitTime {
                seconds: 0,
                offset_minutes: 0,
            },
        };
        let c = Commit {
            id: "0".repeat(40),
            parents: vec![],
            author: sig.clone(),
            committer: sig,
            message: "fix: it\n\nbody\n".into(),
            trailers: vec![],
        };
        assert_eq!(c.subject(), "fix: it");
        assert!(!c.is_merge());
    }
}
