//! The AI-assistance signature catalogue and its matching; pure.
//!
//! plumb decides that a change was AI-assisted only from what the tools themselves leave
//! behind in history: a co-author trailer with a tool's own address, a bot identity, a
//! marker line the tool writes, an agent's branch prefix. Each such fact is one row of
//! `spec/ai-signatures.md`, and this crate encodes those rows as data (a table of
//! [`SignatureDef`]s) rather than as code, for three reasons:
//!
//! - users can switch rows off and add their own (`[ai]` in the configuration) without a
//!   new release, so every AI figure plumb reports is a lower bound that the user controls;
//! - `plumb signatures` can list exactly what is matched, with the pattern, so a reader of a
//!   report can check a figure against the evidence;
//! - the catalogue has a [`fingerprint`](Catalogue::fingerprint), so stored detections are
//!   recomputed exactly when the set of signatures changes.
//!
//! # Rules that keep it honest
//!
//! 1. Only identities (bot ids, tool-owned noreply addresses) and anchored lines match,
//!    never a bare word or a bare domain. People named Jules, Devin or Claude exist, and
//!    vendor employees co-author commits as `jane@anthropic.com` or `jane@openai.com`;
//!    "cursor" is also a pagination word. None of these is a detection.
//! 2. GitHub apps are keyed on their numeric user id (`198982749+…`): logins get renamed,
//!    ids don't.
//! 3. Trailer keys are case-insensitive and trailer lines are matched from the start of the
//!    line, both in the parsed trailer block and anywhere in the body, because squash
//!    merges concatenate the co-author trailers of many commits in the middle of the body.
//!    The subject is never read as a trailer (`fix: x` has trailer shape).
//! 4. aider's ` (aider)` suffix counts on the author only: a committer-only ` (aider)` is a
//!    human commit made through aider.
//! 5. Branch names reach history only through merge subjects (`Merge pull request #1 from
//!    o/copilot/x`); with a forge connector they come from the pull request itself.
//!
//! Detections carry the evidence (the field and the whole matched line or identity), so
//! every figure can be traced back to the text that produced it.
//!
//! This crate does no I/O: it turns plain [`plumb_model`] values into detections.

#![forbid(unsafe_code)]

mod builtin;
mod config;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::LazyLock;

use plumb_model::{AiKind, Commit, Detection, EvidenceField, IdentityClass};
use regex::{Regex, RegexBuilder};

pub use config::{CustomSignature, ProvenanceConfig, ProvenanceError};

/// Bump when the matching rules in code (not the signature rows) change meaning, so that
/// the fingerprint changes with them.
const MATCHER_VERSION: u32 = 2;

/// One signature of the catalogue: where it looks, what it matches and what it means.
#[derive(Debug, Clone)]
pub struct SignatureDef {
    /// `tool.name` for built-ins (e.g. `claude-code.coauthor`), `tool.custom-N` for the
    /// N-th `[[ai.signatures]]` entry.
    pub id: String,
    /// The tool id detections are reported under. For `other.disclosure` the detection's
    /// tool is instead taken from the trailer's value (`Assisted-by: Windsurf` → `windsurf`).
    pub tool: String,
    pub kind: AiKind,
    /// The fields the pattern is matched against (see [`Catalogue::detect_commit`] for the
    /// text each field provides).
    pub fields: Vec<EvidenceField>,
    /// The regular expression, matched case-insensitively.
    pub pattern: String,
    pub description: String,
    /// Whether the signature comes from the built-in catalogue rather than the config.
    pub builtin: bool,
    regex: Regex,
    tool_from_value: bool,
}

impl SignatureDef {
    fn looks_at(&self, field: EvidenceField) -> bool {
        self.fields.contains(&field)
    }
}

/// A pull request as the forge connectors see it, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct PullRequestView<'a> {
    pub author_login: &'a str,
    pub body: &'a str,
    pub labels: &'a [String],
    pub head_branch: &'a str,
}

/// A set of signatures, ready to match.
#[derive(Debug, Clone)]
pub struct Catalogue {
    signatures: Vec<SignatureDef>,
    /// Per field, one `RegexSet` of every signature that looks at it: almost no text
    /// matches anything, and one pass of the set tells which few signatures to run.
    prefilter: Vec<(EvidenceField, regex::RegexSet, Vec<usize>)>,
}

fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern).case_insensitive(true).build()
}

#[expect(
    clippy::expect_used,
    reason = "built-in patterns are compile-time constants, proven to compile by a unit test"
)]
fn compile_builtin(pattern: &str) -> Regex {
    compile(pattern).expect("built-in pattern compiles")
}

static BUILTIN: LazyLock<Vec<SignatureDef>> = LazyLock::new(|| {
    builtin::BUILTINS
        .iter()
        .map(|b| SignatureDef {
            id: b.id.to_owned(),
            tool: b.tool.to_owned(),
            kind: b.kind,
            fields: b.fields.to_vec(),
            pattern: b.pattern.to_owned(),
            description: b.description.to_owned(),
            builtin: true,
            regex: compile_builtin(b.pattern),
            tool_from_value: b.tool_from_value,
        })
        .collect()
});

static BOTS: LazyLock<Vec<Regex>> =
    LazyLock::new(|| builtin::BOTS.iter().map(|p| compile_builtin(p)).collect());

static MERGE_SUBJECTS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    builtin::MERGE_SUBJECTS
        .iter()
        .map(|p| {
            // Merge subjects are written by tools, in exactly these words.
            compile_builtin(&format!("(?-i){p}"))
        })
        .collect()
});

/// The detections found so far, deduplicated and ordered by tool, field, kind, evidence.
type Found = BTreeSet<(String, EvidenceField, AiKind, String)>;

impl Catalogue {
    /// The built-in catalogue of ai-signatures.md.
    pub fn builtin() -> Catalogue {
        Catalogue::new(BUILTIN.clone())
    }

    fn new(signatures: Vec<SignatureDef>) -> Catalogue {
        let prefilter = EvidenceField::ALL
            .into_iter()
            .filter_map(|field| {
                let members: Vec<usize> = (0..signatures.len())
                    .filter(|&i| signatures[i].looks_at(field))
                    .collect();
                // Every pattern compiled on its own; should the set still not build (size
                // limits), scanning falls back to running each signature.
                let set =
                    regex::RegexSetBuilder::new(members.iter().map(|&i| &signatures[i].pattern))
                        .case_insensitive(true)
                        .build()
                        .ok()?;
                Some((field, set, members))
            })
            .collect();
        Catalogue {
            signatures,
            prefilter,
        }
    }

    /// Built-in catalogue, minus disabled entries, plus custom signatures from config.
    ///
    /// A `disable` entry naming neither a built-in signature id nor a built-in tool id is
    /// an error: a typo would otherwise silently keep the signature on.
    pub fn from_config(cfg: &ProvenanceConfig) -> Result<Catalogue, ProvenanceError> {
        Ok(Catalogue::new(signatures_of(cfg)?))
    }

    /// Whether [`Catalogue::from_config`] accepts `cfg`, with the same error when not,
    /// without building the matchers (the per-field regex sets, which take milliseconds):
    /// for checking a configuration that is read before it is used, if it is.
    pub fn check_config(cfg: &ProvenanceConfig) -> Result<(), ProvenanceError> {
        signatures_of(cfg).map(drop)
    }

    /// A stable fingerprint of the signature set: FNV-1a 64 over the definitions rendered
    /// as text, as 16 lower-case hex digits. It changes when a signature is added, removed
    /// or changed, or when the matching rules change; descriptions do not take part.
    pub fn fingerprint(&self) -> String {
        let mut text = format!("plumb-provenance matcher {MATCHER_VERSION}\n");
        for s in &self.signatures {
            let fields: Vec<&str> = s.fields.iter().map(|f| f.as_str()).collect();
            // Writing to a String cannot fail.
            let _ = writeln!(
                text,
                "sig\t{}\t{}\t{}\t{}\t{}\t{}",
                s.id,
                s.tool,
                s.kind.as_str(),
                fields.join(","),
                s.tool_from_value,
                s.pattern
            );
        }
        for p in builtin::BOTS {
            let _ = writeln!(text, "bot\t{p}");
        }
        for p in builtin::MERGE_SUBJECTS {
            let _ = writeln!(text, "merge\t{p}");
        }
        format!("{:016x}", fnv1a64(text.as_bytes()))
    }

    /// All AI detections on a commit (after mailmap; `commit.message` holds subject+body,
    /// `commit.trailers` the last paragraph's trailers). Deduplicated: at most one
    /// Detection per (tool, kind, field, evidence). Sorted by tool then field for
    /// determinism.
    ///
    /// The text each field provides, and which becomes the evidence:
    /// - author / committer: `Name <email>`;
    /// - trailer: each parsed trailer, and each body line (not the subject) with trailer
    ///   shape `^[A-Za-z0-9][A-Za-z0-9-]*:\s`, as `Key: value` with the value's whitespace
    ///   collapsed;
    /// - message: each non-empty line of the message, trimmed;
    /// - subject: the first line, trimmed;
    /// - branch: the branch named by a merge subject, if any.
    pub fn detect_commit(&self, commit: &Commit) -> Vec<Detection> {
        let mut found = Found::new();
        let author = identity(&commit.author.name, &commit.author.email);
        self.scan(EvidenceField::Author, &author, &mut found);
        let committer = identity(&commit.committer.name, &commit.committer.email);
        self.scan(EvidenceField::Committer, &committer, &mut found);

        let subject = commit.subject().trim();
        self.scan(EvidenceField::Subject, subject, &mut found);

        for t in &commit.trailers {
            let line = trailer_line(&t.key, &t.value);
            self.scan(EvidenceField::Trailer, &line, &mut found);
        }
        for line in commit.message.lines().skip(1) {
            if has_trailer_shape(line)
                && let Some((key, value)) = line.split_once(':')
            {
                self.scan(
                    EvidenceField::Trailer,
                    &trailer_line(key, value),
                    &mut found,
                );
            }
        }
        for line in commit.message.lines() {
            let line = line.trim();
            if !line.is_empty() {
                self.scan(EvidenceField::Message, line, &mut found);
            }
        }

        if let Some(branch) = merge_subject_branch(subject) {
            self.scan(EvidenceField::Branch, branch, &mut found);
        }
        into_detections(found)
    }

    /// Detections from a branch name (agent branch prefixes like `claude/issue-12-x`,
    /// `copilot/`, `codex/`, `cursor/`, `devin/`). A leading `refs/heads/` is ignored.
    pub fn detect_branch(&self, branch: &str) -> Vec<Detection> {
        let mut found = Found::new();
        self.scan_branch(branch, &mut found);
        into_detections(found)
    }

    /// Detections on a pull request: its author login, each body line, each label and its
    /// head branch.
    pub fn detect_pull_request(&self, pr: &PullRequestView<'_>) -> Vec<Detection> {
        let mut found = Found::new();
        let login = pr.author_login.trim();
        if !login.is_empty() {
            self.scan(EvidenceField::PrAuthor, login, &mut found);
        }
        for line in pr.body.lines() {
            let line = line.trim();
            if !line.is_empty() {
                self.scan(EvidenceField::PrBody, line, &mut found);
            }
        }
        for label in pr.labels {
            let label = label.trim();
            if !label.is_empty() {
                self.scan(EvidenceField::PrLabel, label, &mut found);
            }
        }
        self.scan_branch(pr.head_branch, &mut found);
        into_detections(found)
    }

    /// Person, AiAgent{tool} or Bot for an identity (name + email).
    ///
    /// An identity is an AI agent when an author or committer signature matches
    /// `Name <email>`, or a co-author trailer signature matches
    /// `Co-authored-by: Name <email>` (so `Claude <noreply@anthropic.com>` is an agent
    /// wherever it appears, and `Jane <jane@anthropic.com>` is a person). It is a bot when
    /// it is a known non-AI automation (checked first: dependabot, renovate,
    /// github-actions, GitHub's web-flow, release robots, AI reviewers that write no
    /// commits), or any other GitHub app (`name[bot]`, or
    /// `<id>+name[bot]@users.noreply.github.com`). Otherwise it is a person.
    pub fn classify_identity(&self, name: &str, email: &str) -> IdentityClass {
        let id = identity(name, email);
        // The known non-AI automation first: the Copilot reviewer app shares its id with
        // the co-author of applied Copilot review suggestions, but as a login it writes
        // no commits.
        if BOTS.iter().any(|r| r.is_match(&id)) {
            return IdentityClass::Bot;
        }
        let coauthor = format!("Co-authored-by: {id}");
        let agent = self.signatures.iter().find_map(|s| {
            let by_identity = (s.looks_at(EvidenceField::Author)
                || s.looks_at(EvidenceField::Committer))
                && s.regex.is_match(&id);
            let by_trailer = s.looks_at(EvidenceField::Trailer) && s.regex.is_match(&coauthor);
            let tool = if s.tool_from_value {
                None
            } else {
                Some(s.tool.clone())
            };
            if by_identity || by_trailer {
                tool
            } else {
                None
            }
        });
        if let Some(tool) = agent {
            return IdentityClass::AiAgent { tool };
        }
        if is_app(name, email) {
            return IdentityClass::Bot;
        }
        IdentityClass::Person
    }

    /// The signature definitions, for `plumb signatures` listings and docs.
    pub fn signatures(&self) -> &[SignatureDef] {
        &self.signatures
    }

    fn scan_branch(&self, branch: &str, found: &mut Found) {
        let branch = branch.trim();
        let branch = branch.strip_prefix("refs/heads/").unwrap_or(branch);
        if !branch.is_empty() {
            self.scan(EvidenceField::Branch, branch, found);
        }
    }

    /// Matches every signature that looks at `field` against `text`, recording detections
    /// with `text` as the evidence.
    fn scan(&self, field: EvidenceField, text: &str, found: &mut Found) {
        let candidates: Vec<&SignatureDef> = match self.prefilter.iter().find(|p| p.0 == field) {
            Some((_, set, members)) => set
                .matches(text)
                .iter()
                .map(|m| &self.signatures[members[m]])
                .collect(),
            None => self
                .signatures
                .iter()
                .filter(|s| s.looks_at(field))
                .collect(),
        };
        for s in candidates {
            if s.tool_from_value {
                let tool = s
                    .regex
                    .captures(text)
                    .and_then(|c| c.name("tool"))
                    .and_then(|m| normalise_tool(m.as_str()));
                if let Some(tool) = tool {
                    found.insert((tool, field, s.kind, text.to_owned()));
                }
            } else if s.regex.is_match(text) {
                found.insert((s.tool.clone(), field, s.kind, text.to_owned()));
            }
        }
    }
}

/// The built-in signatures, minus disabled entries, plus custom signatures from config
/// (each compiled on its own, so that a bad pattern is an error here).
fn signatures_of(cfg: &ProvenanceConfig) -> Result<Vec<SignatureDef>, ProvenanceError> {
    for name in &cfg.disable {
        let known = BUILTIN.iter().any(|s| s.id == *name || s.tool == *name);
        if !known {
            return Err(ProvenanceError::UnknownDisable { name: name.clone() });
        }
    }
    let mut signatures: Vec<SignatureDef> = BUILTIN
        .iter()
        .filter(|s| !cfg.disable.iter().any(|d| *d == s.id || *d == s.tool))
        .cloned()
        .collect();
    for (i, custom) in cfg.signatures.iter().enumerate() {
        signatures.push(custom_signature(i + 1, custom)?);
    }
    Ok(signatures)
}

fn custom_signature(index: usize, c: &CustomSignature) -> Result<SignatureDef, ProvenanceError> {
    let tool = c.tool.trim();
    if tool.is_empty() {
        return Err(ProvenanceError::EmptyTool { index });
    }
    let field = config::CUSTOM_FIELDS
        .iter()
        .find(|(name, _)| *name == c.field.trim())
        .map(|(_, f)| *f)
        .ok_or_else(|| ProvenanceError::UnknownField {
            index,
            tool: tool.to_owned(),
            field: c.field.clone(),
        })?;
    let kind = match &c.kind {
        None => AiKind::Authored,
        Some(k) => AiKind::parse(k.trim()).ok_or_else(|| ProvenanceError::UnknownKind {
            index,
            tool: tool.to_owned(),
            kind: k.clone(),
        })?,
    };
    if c.pattern.is_empty() {
        return Err(ProvenanceError::EmptyPattern {
            index,
            tool: tool.to_owned(),
        });
    }
    let regex = compile(&c.pattern).map_err(|error| ProvenanceError::BadPattern {
        index,
        tool: tool.to_owned(),
        pattern: c.pattern.clone(),
        error,
    })?;
    Ok(SignatureDef {
        id: format!("{tool}.custom-{index}"),
        tool: tool.to_owned(),
        kind,
        fields: vec![field],
        pattern: c.pattern.clone(),
        description: format!("custom signature {index} from [[ai.signatures]]"),
        builtin: false,
        regex,
        tool_from_value: false,
    })
}

fn into_detections(found: Found) -> Vec<Detection> {
    found
        .into_iter()
        .map(|(tool, field, kind, evidence)| Detection {
            tool,
            kind,
            field,
            evidence,
        })
        .collect()
}

/// An identity as the author and committer patterns see it.
fn identity(name: &str, email: &str) -> String {
    format!("{} <{}>", name.trim(), email.trim())
}

/// A GitHub app: its login ends in `[bot]`, which no person's login can.
fn is_app(name: &str, email: &str) -> bool {
    let local = email.trim().split('@').next().unwrap_or("");
    name.trim().to_ascii_lowercase().ends_with("[bot]")
        || local.to_ascii_lowercase().ends_with("[bot]")
}

/// A trailer as the trailer patterns see it: `Key: value`, with the whitespace of the
/// value collapsed, so that the parsed trailer block and the same line read from the body
/// give the same evidence.
fn trailer_line(key: &str, value: &str) -> String {
    let mut line = format!("{}:", key.trim());
    for word in value.split_whitespace() {
        line.push(' ');
        line.push_str(word);
    }
    line
}

/// `^[A-Za-z0-9][A-Za-z0-9-]*:\s`, the shape git gives a trailer line.
fn has_trailer_shape(line: &str) -> bool {
    let bytes = line.as_bytes();
    let Some(first) = bytes.first() else {
        return false;
    };
    if !first.is_ascii_alphanumeric() {
        return false;
    }
    let key_len = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    bytes.get(key_len) == Some(&b':')
        && bytes
            .get(key_len + 1)
            .is_some_and(|b| b.is_ascii_whitespace())
}

/// The branch a merge subject names, if it is one of the known merge subjects.
fn merge_subject_branch(subject: &str) -> Option<&str> {
    MERGE_SUBJECTS.iter().find_map(|r| {
        r.captures(subject)
            .and_then(|c| c.name("branch"))
            .map(|m| m.as_str())
    })
}

/// The tool id a generic disclosure trailer names: the value's first word (before a space,
/// `<`, `(`, `[` or `:`), lower-cased, with runs of other characters than `a-z0-9` turned
/// into `-`. A value holding an e-mail address credits a person, not a tool: `None`.
///
/// Model names are folded into their family, so that one assistant is one tool in the
/// report: `Claude Opus 4.6` and `Opus 4.7` are both `claude` (git.git's `Assisted-by:`
/// trailers name models, not tools), `GPT-5` and `ChatGPT-4o` are `chatgpt`; and the
/// two-word names of catalogued tools map to their ids (`Claude Code` → `claude-code`,
/// `GitHub Copilot` → `copilot`).
fn normalise_tool(value: &str) -> Option<String> {
    let value = value.trim();
    if value.contains('@') {
        return None;
    }
    let lower = value.to_lowercase();
    for (prefix, tool) in [
        ("claude code", "claude-code"),
        ("github copilot", "copilot"),
    ] {
        if lower.starts_with(prefix) {
            return Some(tool.to_string());
        }
    }
    let family = normalise_word(value)?;
    let folded = match family.as_str() {
        "opus" | "sonnet" | "haiku" => "claude",
        f if f.starts_with("claude-") => "claude",
        f if f.starts_with("gpt") || f.starts_with("chatgpt") => "chatgpt",
        f => f,
    };
    Some(folded.to_string())
}

/// The first word of a disclosure value, as an id.
fn normalise_word(value: &str) -> Option<String> {
    let head = value
        .split(|c: char| c.is_whitespace() || matches!(c, '<' | '(' | '[' | ':'))
        .next()
        .unwrap_or("");
    let mut out = String::new();
    for c in head.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    (!out.is_empty()).then_some(out)
}

/// FNV-1a, 64 bits: tiny, stable across processes and platforms, and enough to tell two
/// signature sets apart (this is not a security boundary).
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_pattern_compiles() {
        for b in builtin::BUILTINS {
            assert!(compile(b.pattern).is_ok(), "{}: {}", b.id, b.pattern);
            if b.tool_from_value {
                let r = compile(b.pattern).unwrap();
                assert!(r.capture_names().any(|n| n == Some("tool")), "{}", b.id);
            }
        }
        for p in builtin::BOTS {
            assert!(compile(p).is_ok(), "{p}");
        }
        for p in builtin::MERGE_SUBJECTS {
            let r = compile(&format!("(?-i){p}")).unwrap();
            assert!(r.capture_names().any(|n| n == Some("branch")), "{p}");
        }
        assert_eq!(BUILTIN.len(), builtin::BUILTINS.len());
        assert_eq!(BOTS.len(), builtin::BOTS.len());
        assert_eq!(MERGE_SUBJECTS.len(), builtin::MERGE_SUBJECTS.len());
    }

    #[test]
    fn builtin_ids_are_unique_and_prefixed_by_their_tool() {
        let mut seen = BTreeSet::new();
        for b in builtin::BUILTINS {
            assert!(seen.insert(b.id), "duplicate id {}", b.id);
            assert!(b.id.starts_with(&format!("{}.", b.tool)), "{}", b.id);
            assert!(!b.fields.is_empty(), "{}", b.id);
        }
    }

    #[test]
    fn trailer_shape() {
        let cases = [
            ("Co-authored-by: X <x@y>", true),
            ("Made-with: Cursor", true),
            ("a1-B: v", true),
            ("Co-authored-by:X", false),
            (" Co-authored-by: X", false),
            ("-x: y", false),
            ("https://claude.ai/code/session_1", false),
            ("Key with space: v", false),
            ("", false),
        ];
        for (line, expected) in cases {
            assert_eq!(has_trailer_shape(line), expected, "{line:?}");
        }
    }

    #[test]
    fn tool_normalisation() {
        let cases = [
            ("Windsurf", Some("windsurf")),
            ("  Claude Code ", Some("claude-code")),
            ("Claude:claude-3-opus coccinelle sparse", Some("claude")),
            ("Claude Opus 4.6", Some("claude")),
            ("Opus 4.7", Some("claude")),
            ("Sonnet 4.5", Some("claude")),
            ("claude-sonnet-4-5", Some("claude")),
            ("Cursor (Claude Sonnet)", Some("cursor")),
            ("Gemini_CLI", Some("gemini-cli")),
            ("ChatGPT-4o", Some("chatgpt")),
            ("GPT-5", Some("chatgpt")),
            ("GitHub Copilot", Some("copilot")),
            ("Jane Doe <jane@example.com>", None),
            ("???", None),
        ];
        for (value, expected) in cases {
            assert_eq!(normalise_tool(value).as_deref(), expected, "{value:?}");
        }
    }

    #[test]
    fn merge_subjects_name_their_branch() {
        let cases = [
            (
                "Merge pull request #12 from octo/claude/issue-12-fix",
                Some("claude/issue-12-fix"),
            ),
            (
                "Merge branch 'copilot/fix-3' into main",
                Some("copilot/fix-3"),
            ),
            (
                "Merge remote-tracking branch 'origin/codex/add-x'",
                Some("codex/add-x"),
            ),
            (
                "Merged in devin/123-x (pull request #5)",
                Some("devin/123-x"),
            ),
            ("merge branch 'copilot/x'", None),
            ("Add cursor pagination", None),
        ];
        for (subject, expected) in cases {
            assert_eq!(merge_subject_branch(subject), expected, "{subject:?}");
        }
    }

    #[test]
    fn fnv1a64_known_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
