//! The catalogue against the rows of `spec/ai-signatures.md`: a positive case for every
//! row and alternative, and the false positives the honesty rules exclude.
//!
//! Every table goes through one `check` helper per entry point, so a change of API touches
//! one place.

use plumb_model::{
    AiKind::{self, Authored, ReviewSuggestion},
    Commit, Detection,
    EvidenceField::{
        self, Author, Branch, Committer, Message, PrAuthor, PrBody, PrLabel, Subject, Trailer,
    },
    GitTime, IdentityClass, Signature, Trailer as GitTrailer,
};
use plumb_provenance::{Catalogue, CustomSignature, ProvenanceConfig, PullRequestView};

type Expected<'a> = &'a [(&'a str, AiKind, EvidenceField)];

const HUMAN: &str = "Jane Doe <jane@example.com>";
const WEB_FLOW: &str = "GitHub <noreply@github.com>";

fn signature(identity: &str) -> Signature {
    let (name, email) = identity
        .rsplit_once(" <")
        .map(|(n, e)| (n, e.trim_end_matches('>')))
        .unwrap_or((identity, ""));
    Signature {
        name: name.to_owned(),
        email: email.to_owned(),
        time: GitTime {
            seconds: 1_700_000_000,
            offset_minutes: 0,
        },
    }
}

/// The trailers of the message's last paragraph, as the git reader parses them.
fn last_paragraph_trailers(message: &str) -> Vec<GitTrailer> {
    let body: Vec<&str> = message.lines().skip(1).collect();
    let last = body
        .split(|l| l.trim().is_empty())
        .rfind(|p| !p.is_empty())
        .unwrap_or(&[]);
    if last.is_empty() {
        return Vec::new();
    }
    let parsed: Vec<GitTrailer> = last
        .iter()
        .filter_map(|l| l.split_once(": "))
        .filter(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(|(k, v)| GitTrailer {
            key: k.to_owned(),
            value: v.trim().to_owned(),
        })
        .collect();
    if parsed.len() == last.len() {
        parsed
    } else {
        Vec::new()
    }
}

fn commit(author: &str, committer: &str, message: &str) -> Commit {
    Commit {
        id: "0".repeat(40),
        parents: vec!["1".repeat(40)],
        author: signature(author),
        committer: signature(committer),
        message: message.to_owned(),
        trailers: last_paragraph_trailers(message),
    }
}

fn triples(detections: &[Detection]) -> Vec<(String, AiKind, EvidenceField)> {
    let mut t: Vec<_> = detections
        .iter()
        .map(|d| (d.tool.clone(), d.kind, d.field))
        .collect();
    t.dedup();
    t
}

fn expected(e: Expected<'_>) -> Vec<(String, AiKind, EvidenceField)> {
    let mut t: Vec<_> = e.iter().map(|(t, k, f)| (t.to_string(), *k, *f)).collect();
    t.sort_by(|a, b| (&a.0, a.2, a.1).cmp(&(&b.0, b.2, b.1)));
    t
}

fn check(
    cat: &Catalogue,
    name: &str,
    author: &str,
    committer: &str,
    message: &str,
    want: Expected<'_>,
) {
    let got = cat.detect_commit(&commit(author, committer, message));
    assert_eq!(triples(&got), expected(want), "case {name:?}: {got:#?}");
}

/// (case name, author, committer, message, expected (tool, kind, field)s)
type CommitCase<'a> = (&'a str, &'a str, &'a str, &'a str, Expected<'a>);

const POSITIVE: &[CommitCase<'static>] = &[
    // claude-code
    (
        "claude coauthor, old form",
        HUMAN,
        HUMAN,
        "feat: add x\n\nCo-authored-by: Claude <noreply@anthropic.com>",
        &[("claude-code", Authored, Trailer)],
    ),
    (
        "claude coauthor with model name",
        HUMAN,
        HUMAN,
        "feat: add x\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>",
        &[("claude-code", Authored, Trailer)],
    ),
    (
        "claude coauthor with 1M context",
        HUMAN,
        HUMAN,
        "feat: add x\n\nCo-Authored-By: Claude Sonnet 4.6 (1M context) <noreply@anthropic.com>",
        &[("claude-code", Authored, Trailer)],
    ),
    (
        "claude coauthor claude-code@anthropic.com",
        HUMAN,
        HUMAN,
        "feat: add x\n\nCo-Authored-By: Claude <claude-code@anthropic.com>",
        &[("claude-code", Authored, Trailer)],
    ),
    (
        "claude coauthor support@anthropic.com",
        HUMAN,
        HUMAN,
        "feat: add x\n\nCo-Authored-By: Claude <support@anthropic.com>",
        &[("claude-code", Authored, Trailer)],
    ),
    (
        "claude coauthor without email",
        HUMAN,
        HUMAN,
        "feat: add x\n\nCo-Authored-By: Claude (claude-opus-4-5)",
        &[("claude-code", Authored, Trailer)],
    ),
    (
        "claude generated-with line and coauthor",
        HUMAN,
        HUMAN,
        "feat: add x\n\n🤖 Generated with [Claude Code](https://claude.ai/code)\n\n\
         Co-Authored-By: Claude <noreply@anthropic.com>",
        &[
            ("claude-code", Authored, Trailer),
            ("claude-code", Authored, Message),
        ],
    ),
    (
        "claude generated-with claude.com variant",
        HUMAN,
        HUMAN,
        "feat: add x\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)",
        &[("claude-code", Authored, Message)],
    ),
    (
        "claude generated-with plain",
        HUMAN,
        HUMAN,
        "feat: add x\n\nGenerated with Claude Code",
        &[("claude-code", Authored, Message)],
    ),
    (
        "claude session trailer",
        HUMAN,
        HUMAN,
        "feat: add x\n\nClaude-Session: https://claude.ai/code/session_01AbCdEf",
        &[("claude-code", Authored, Trailer)],
    ),
    (
        "claude bare session url line",
        HUMAN,
        HUMAN,
        "feat: add x\n\nSome text.\n\nhttps://claude.ai/code/session_01AbCdEf",
        &[("claude-code", Authored, Message)],
    ),
    (
        "claude[bot] author and committer",
        "claude[bot] <209825114+claude[bot]@users.noreply.github.com>",
        "claude[bot] <209825114+claude[bot]@users.noreply.github.com>",
        "fix: handle empty input",
        &[
            ("claude-code", Authored, Author),
            ("claude-code", Authored, Committer),
        ],
    ),
    (
        "claude[bot] renamed, keyed on its id",
        "Claude <209825114+claude[bot]@users.noreply.github.com>",
        WEB_FLOW,
        "fix: handle empty input",
        &[("claude-code", Authored, Author)],
    ),
    (
        "claude issue branch in a merge subject",
        HUMAN,
        WEB_FLOW,
        "Merge pull request #12 from octo/claude/issue-12-fix-parser\n\nFix the parser",
        &[("claude-code", Authored, Branch)],
    ),
    // copilot-agent
    (
        "copilot-swe-agent[bot] author",
        "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>",
        WEB_FLOW,
        "Initial plan",
        &[("copilot-agent", Authored, Author)],
    ),
    (
        "Copilot author and committer by id",
        "Copilot <198982749+Copilot@users.noreply.github.com>",
        "Copilot <198982749+Copilot@users.noreply.github.com>",
        "Add tests for the parser",
        &[
            ("copilot-agent", Authored, Author),
            ("copilot-agent", Authored, Committer),
        ],
    ),
    (
        "copilot agent coauthor",
        HUMAN,
        WEB_FLOW,
        "Fix flaky test (#31)\n\nCo-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>",
        &[("copilot-agent", Authored, Trailer)],
    ),
    (
        "copilot agent coauthor by id",
        HUMAN,
        WEB_FLOW,
        "Fix flaky test (#31)\n\nCo-authored-by: Copilot <198982749+Copilot@users.noreply.github.com>",
        &[("copilot-agent", Authored, Trailer)],
    ),
    (
        "copilot agent logs url",
        HUMAN,
        HUMAN,
        "Fix flaky test\n\nAgent-Logs-Url: https://github.com/octo/repo/sessions/abc-123",
        &[("copilot-agent", Authored, Trailer)],
    ),
    (
        "copilot branch in a merge subject",
        HUMAN,
        WEB_FLOW,
        "Merge pull request #31 from octo/copilot/fix-30",
        &[("copilot-agent", Authored, Branch)],
    ),
    // copilot-assistant
    (
        "copilot assistant coauthor by id",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>",
        &[("copilot-assistant", Authored, Trailer)],
    ),
    (
        "copilot assistant Copilot App",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: Copilot App <223556219+Copilot@users.noreply.github.com>",
        &[("copilot-assistant", Authored, Trailer)],
    ),
    (
        "copilot assistant older copilot@github.com",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: Copilot <copilot@github.com>",
        &[("copilot-assistant", Authored, Trailer)],
    ),
    (
        "copilot assistant session trailer",
        HUMAN,
        HUMAN,
        "feat: x\n\nCopilot-Session: 4f1c2d",
        &[("copilot-assistant", Authored, Trailer)],
    ),
    // copilot-review
    (
        "copilot review suggestion by id",
        HUMAN,
        WEB_FLOW,
        "Apply suggestion from @Copilot\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
        &[("copilot-review", ReviewSuggestion, Trailer)],
    ),
    (
        "copilot autofix",
        HUMAN,
        WEB_FLOW,
        "Potential fix for code scanning alert no. 3\n\n\
         Co-authored-by: Copilot Autofix powered by AI <62310815+github-advanced-security[bot]@users.noreply.github.com>",
        &[("copilot-review", ReviewSuggestion, Trailer)],
    ),
    // codex
    (
        "codex coauthor default",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: Codex <noreply@openai.com>",
        &[("codex", Authored, Trailer)],
    ),
    (
        "codex coauthor GPT-5 Codex",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: GPT-5 Codex <codex@openai.com>",
        &[("codex", Authored, Trailer)],
    ),
    (
        "codex coauthor Codex CLI Agent",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: Codex CLI Agent <noreply@openai.com>",
        &[("codex", Authored, Trailer)],
    ),
    (
        "codex author",
        "Codex <codex@openai.com>",
        HUMAN,
        "feat: x",
        &[("codex", Authored, Author)],
    ),
    (
        "codex task url line",
        HUMAN,
        HUMAN,
        "feat: x\n\nhttps://chatgpt.com/codex/tasks/task_e_68a1b2c3d4",
        &[("codex", Authored, Message)],
    ),
    (
        "codex branch in a merge subject",
        HUMAN,
        HUMAN,
        "Merge branch 'codex/add-retry' into main",
        &[("codex", Authored, Branch)],
    ),
    // cursor
    (
        "cursor agent author and committer",
        "Cursor Agent <cursoragent@cursor.com>",
        "Cursor Agent <cursoragent@cursor.com>",
        "Refactor the cache",
        &[
            ("cursor", Authored, Author),
            ("cursor", Authored, Committer),
        ],
    ),
    (
        "cursor agent coauthor",
        HUMAN,
        HUMAN,
        "Refactor the cache\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>",
        &[("cursor", Authored, Trailer)],
    ),
    (
        "cursor coauthor",
        HUMAN,
        HUMAN,
        "Refactor the cache\n\nCo-authored-by: Cursor <cursoragent@cursor.com>",
        &[("cursor", Authored, Trailer)],
    ),
    (
        "cursor composer coauthor",
        HUMAN,
        HUMAN,
        "Refactor the cache\n\nCo-Authored-By: Composer <noreply@cursor.com>",
        &[("cursor", Authored, Trailer)],
    ),
    (
        "cursor made-with",
        HUMAN,
        HUMAN,
        "Refactor the cache\n\nMade-with: Cursor",
        &[("cursor", Authored, Trailer)],
    ),
    (
        "cursor branch in a merge subject",
        HUMAN,
        HUMAN,
        "Merge remote-tracking branch 'origin/cursor/refactor-cache-7f3a'",
        &[("cursor", Authored, Branch)],
    ),
    // aider
    (
        "aider author name suffix",
        "Paul Gauthier (aider) <paul@example.com>",
        "Paul Gauthier <paul@example.com>",
        "feat: add --dry-run",
        &[("aider", Authored, Author)],
    ),
    (
        "aider subject prefix",
        HUMAN,
        HUMAN,
        "aider: Added a dry-run flag",
        &[("aider", Authored, Subject)],
    ),
    (
        "aider coauthor noreply@aider.chat, model with slashes",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: aider (openrouter/anthropic/claude-3.5-sonnet) <noreply@aider.chat>",
        &[("aider", Authored, Trailer)],
    ),
    (
        "aider coauthor aider@aider.chat",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: aider (gpt-4o) <aider@aider.chat>",
        &[("aider", Authored, Trailer)],
    ),
    (
        "aider coauthor noreply@aider.dev",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: aider (sonnet) <noreply@aider.dev>",
        &[("aider", Authored, Trailer)],
    ),
    // devin
    (
        "devin bot author and committer",
        "devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
        "devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
        "Add pagination",
        &[("devin", Authored, Author), ("devin", Authored, Committer)],
    ),
    (
        "Devin AI author by id",
        "Devin AI <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
        WEB_FLOW,
        "Add pagination",
        &[("devin", Authored, Author)],
    ),
    (
        "devin coauthor",
        HUMAN,
        WEB_FLOW,
        "Add pagination (#4)\n\nCo-authored-by: devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
        &[("devin", Authored, Trailer)],
    ),
    (
        "devin branch in a merge subject",
        HUMAN,
        WEB_FLOW,
        "Merge pull request #4 from octo/devin/1718000000-add-pagination",
        &[("devin", Authored, Branch)],
    ),
    // jules
    (
        "jules bot author",
        "google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>",
        WEB_FLOW,
        "Add unit tests",
        &[("jules", Authored, Author)],
    ),
    (
        "jules coauthor",
        HUMAN,
        WEB_FLOW,
        "Add unit tests (#8)\n\nCo-authored-by: google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>",
        &[("jules", Authored, Trailer)],
    ),
    // gemini-code-assist
    (
        "gemini code assist suggestion",
        HUMAN,
        WEB_FLOW,
        "Update src/lib.rs\n\nCo-authored-by: gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>",
        &[("gemini-code-assist", ReviewSuggestion, Trailer)],
    ),
    // openhands
    (
        "openhands author",
        "openhands <openhands@all-hands.dev>",
        "openhands <openhands@all-hands.dev>",
        "Fix issue #5",
        &[("openhands", Authored, Author)],
    ),
    (
        "openhands author opendevin@all-hands.dev",
        "OpenHands-Claude <opendevin@all-hands.dev>",
        HUMAN,
        "Fix issue #5",
        &[("openhands", Authored, Author)],
    ),
    (
        "opendevin older author",
        "OpenDevin <opendevin@opendevin.ai>",
        HUMAN,
        "Fix issue #5",
        &[("openhands", Authored, Author)],
    ),
    (
        "opendevin bot older author",
        "OpenDevinBot <bot@opendevin.com>",
        HUMAN,
        "Fix issue #5",
        &[("openhands", Authored, Author)],
    ),
    (
        "openhands coauthor",
        HUMAN,
        HUMAN,
        "Fix issue #5\n\nCo-authored-by: OpenHands-GPT-5 <openhands@all-hands.dev>",
        &[("openhands", Authored, Trailer)],
    ),
    (
        "openhands coauthor without angle brackets",
        HUMAN,
        HUMAN,
        "Fix issue #5\n\nCo-authored-by: OpenHands Bot openhands@all-hands.dev",
        &[("openhands", Authored, Trailer)],
    ),
    // amazon-q
    (
        "amazon q author",
        "amazon-q-developer[bot] <208079219+amazon-q-developer[bot]@users.noreply.github.com>",
        WEB_FLOW,
        "Implement feature",
        &[("amazon-q", Authored, Author)],
    ),
    // amp
    (
        "amp thread",
        HUMAN,
        HUMAN,
        "feat: x\n\nAmp-Thread: https://ampcode.com/threads/T-0f1e2d3c",
        &[("amp", Authored, Trailer)],
    ),
    (
        "amp thread id",
        HUMAN,
        HUMAN,
        "feat: x\n\nAmp-Thread-ID: https://ampcode.com/threads/T-0f1e2d3c",
        &[("amp", Authored, Trailer)],
    ),
    (
        "amp coauthor",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: Amp <amp@ampcode.com>",
        &[("amp", Authored, Trailer)],
    ),
    // opencode
    (
        "opencode coauthor",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-Authored-By: opencode <noreply@opencode.ai>",
        &[("opencode", Authored, Trailer)],
    ),
    (
        "opencode generated-with",
        HUMAN,
        HUMAN,
        "feat: x\n\n🤖 Generated with [opencode](https://opencode.ai)",
        &[("opencode", Authored, Message)],
    ),
    // replit
    (
        "replit agent",
        HUMAN,
        HUMAN,
        "Add login page\n\nReplit-Commit-Author: Agent\nReplit-Commit-Session-Id: 1a2b",
        &[("replit", Authored, Trailer)],
    ),
    (
        "replit assistant",
        HUMAN,
        HUMAN,
        "Add login page\n\nReplit-Commit-Author: Assistant",
        &[("replit", Authored, Trailer)],
    ),
    // other
    (
        "generic assisted-by",
        HUMAN,
        HUMAN,
        "feat: x\n\nAssisted-by: Windsurf",
        &[("windsurf", Authored, Trailer)],
    ),
    (
        "generic generated-by",
        HUMAN,
        HUMAN,
        "feat: x\n\nGenerated-by: Gemini_CLI (gemini-2.5-pro)",
        &[("gemini-cli", Authored, Trailer)],
    ),
    (
        "generic assisted-by, kernel form agent:model tools",
        HUMAN,
        HUMAN,
        "feat: x\n\nAssisted-by: Claude:claude-3-opus coccinelle sparse",
        &[("claude", Authored, Trailer)],
    ),
    // rules
    (
        "squash merge: coauthors in the middle of the body, several tools",
        HUMAN,
        WEB_FLOW,
        "feat: x (#12)\n\n* part one\n\nCo-authored-by: Claude <noreply@anthropic.com>\n\n\
         * part two\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>\n\n\
         * part three",
        &[
            ("claude-code", Authored, Trailer),
            ("cursor", Authored, Trailer),
        ],
    ),
    (
        "trailer keys are case-insensitive",
        HUMAN,
        HUMAN,
        "feat: x\n\nCO-AUTHORED-BY: Claude <NoReply@Anthropic.com>",
        &[("claude-code", Authored, Trailer)],
    ),
    (
        "a review suggestion and an authored change on one commit",
        HUMAN,
        WEB_FLOW,
        "Fix (#9)\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n\
         Co-authored-by: Codex <noreply@openai.com>",
        &[
            ("codex", Authored, Trailer),
            ("copilot-review", ReviewSuggestion, Trailer),
        ],
    ),
];

const NEGATIVE: &[CommitCase<'static>] = &[
    (
        "a person named Jules",
        "Jules Verne <jules@example.com>",
        "Jules Verne <jules@example.com>",
        "Add chapter 20",
        &[],
    ),
    (
        "a person named Devin",
        "Devin Smith <devin.smith@example.com>",
        "Devin Smith <devin.smith@example.com>",
        "devin: fix typo",
        &[],
    ),
    (
        "a person named Claude",
        "Claude Monet <claude@example.org>",
        "Claude Monet <claude@example.org>",
        "Paint water lilies",
        &[],
    ),
    (
        "a person named Claude co-authoring",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: Claude Shannon <claude@example.com>",
        &[],
    ),
    (
        "an anthropic employee co-authoring",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: Jane Roe <jane@anthropic.com>",
        &[],
    ),
    (
        "an anthropic employee as author",
        "Jane Roe <jane@anthropic.com>",
        "Jane Roe <jane@anthropic.com>",
        "feat: x",
        &[],
    ),
    (
        "an openai employee co-authoring",
        HUMAN,
        HUMAN,
        "feat: x\n\nCo-authored-by: Jane Roe <jane@openai.com>",
        &[],
    ),
    (
        "cursor pagination",
        HUMAN,
        HUMAN,
        "Add cursor pagination\n\nUse cursor pagination for the list endpoint.\nCursor: opaque token",
        &[],
    ),
    (
        "a cursor-pagination branch merged",
        HUMAN,
        HUMAN,
        "Merge branch 'cursor-pagination'",
        &[],
    ),
    (
        "aider as committer only",
        "Paul Gauthier <paul@example.com>",
        "Paul Gauthier (aider) <paul@example.com>",
        "feat: add --dry-run",
        &[],
    ),
    (
        "aider subject prefix is case-sensitive",
        HUMAN,
        HUMAN,
        "Aider: bump version",
        &[],
    ),
    (
        "a co-author trailer not at the start of its line",
        HUMAN,
        HUMAN,
        "feat: x\n\n    Co-authored-by: Claude <noreply@anthropic.com>",
        &[],
    ),
    (
        "a trailer-shaped subject",
        HUMAN,
        HUMAN,
        "Made-with: Cursor",
        &[],
    ),
    (
        "the claude marker discussed, not written",
        HUMAN,
        HUMAN,
        "docs: describe the Generated with Claude Code marker",
        &[],
    ),
    (
        "an assisted-by trailer crediting a person",
        HUMAN,
        HUMAN,
        "feat: x\n\nAssisted-by: John Smith <john@example.com>",
        &[],
    ),
    (
        "dependabot",
        "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
        WEB_FLOW,
        "Bump serde from 1.0.1 to 1.0.2\n\nsigned-off-by: dependabot[bot] <support@github.com>",
        &[],
    ),
    (
        "renovate",
        "renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>",
        WEB_FLOW,
        "chore(deps): update rust crate regex to v1.13",
        &[],
    ),
    (
        "github-actions",
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>",
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>",
        "chore: release v1.2.0",
        &[],
    ),
    (
        "coderabbitai",
        "coderabbitai[bot] <136622811+coderabbitai[bot]@users.noreply.github.com>",
        WEB_FLOW,
        "📝 Add docstrings",
        &[],
    ),
    (
        "a human commit",
        HUMAN,
        HUMAN,
        "fix: off-by-one in pager\n\nSigned-off-by: Jane Doe <jane@example.com>",
        &[],
    ),
];

#[test]
fn every_catalogue_row_matches() {
    let cat = Catalogue::builtin();
    for (name, author, committer, message, want) in POSITIVE {
        check(&cat, name, author, committer, message, want);
    }
}

#[test]
fn honesty_rules_exclude_false_positives() {
    let cat = Catalogue::builtin();
    for (name, author, committer, message, want) in NEGATIVE {
        check(&cat, name, author, committer, message, want);
    }
}

#[test]
fn every_builtin_signature_has_a_positive_case() {
    // Each built-in id must fire on at least one case of the tables in this file, so a
    // row cannot be added without a test.
    let cat = Catalogue::builtin();
    let mut untested: Vec<String> = Vec::new();
    for sig in cat.signatures() {
        let alone = Catalogue::from_config(&ProvenanceConfig {
            disable: cat
                .signatures()
                .iter()
                .filter(|s| s.id != sig.id)
                .map(|s| s.id.clone())
                .collect(),
            ..ProvenanceConfig::default()
        })
        .unwrap();
        let commits = POSITIVE
            .iter()
            .any(|(_, a, c, m, _)| !alone.detect_commit(&commit(a, c, m)).is_empty());
        let branches = BRANCHES
            .iter()
            .any(|(b, _)| !alone.detect_branch(b).is_empty());
        let prs = PULL_REQUESTS
            .iter()
            .any(|(_, login, body, labels, branch, _)| {
                let labels: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
                !alone
                    .detect_pull_request(&PullRequestView {
                        author_login: login,
                        body,
                        labels: &labels,
                        head_branch: branch,
                    })
                    .is_empty()
            });
        if !(commits || branches || prs) {
            untested.push(sig.id.clone());
        }
    }
    assert!(
        untested.is_empty(),
        "built-in signatures without a positive case: {untested:?}"
    );
}

#[test]
fn detections_are_deduplicated_sorted_and_carry_the_line() {
    let cat = Catalogue::builtin();
    // The trailer is both in the parsed trailer block and in the body: one detection.
    let c = commit(
        "Cursor Agent <cursoragent@cursor.com>",
        HUMAN,
        "feat: x\n\n🤖 Generated with [Claude Code](https://claude.ai/code)\n\n\
         Co-Authored-By:  Claude\t<noreply@anthropic.com>  ",
    );
    assert_eq!(c.trailers.len(), 1);
    let got = cat.detect_commit(&c);
    let want = vec![
        Detection {
            tool: "claude-code".into(),
            kind: Authored,
            field: Trailer,
            evidence: "Co-Authored-By: Claude <noreply@anthropic.com>".into(),
        },
        Detection {
            tool: "claude-code".into(),
            kind: Authored,
            field: Message,
            evidence: "🤖 Generated with [Claude Code](https://claude.ai/code)".into(),
        },
        Detection {
            tool: "cursor".into(),
            kind: Authored,
            field: Author,
            evidence: "Cursor Agent <cursoragent@cursor.com>".into(),
        },
    ];
    assert_eq!(got, want);
}

#[test]
fn parsed_trailers_are_read_even_when_the_body_lacks_them() {
    let cat = Catalogue::builtin();
    let mut c = commit(HUMAN, HUMAN, "feat: x");
    c.trailers.push(GitTrailer {
        key: "made-with".into(),
        value: "Cursor".into(),
    });
    let got = cat.detect_commit(&c);
    assert_eq!(triples(&got), expected(&[("cursor", Authored, Trailer)]));
    assert_eq!(got[0].evidence, "made-with: Cursor");
}

/// (branch, expected tool or none)
const BRANCHES: &[(&str, Option<&str>)] = &[
    ("claude/issue-12-x", Some("claude-code")),
    ("copilot/fix-123", Some("copilot-agent")),
    ("codex/add-retry-logic", Some("codex")),
    ("cursor/refactor-cache-7f3a", Some("cursor")),
    ("devin/1718000000-add-pagination", Some("devin")),
    ("refs/heads/copilot/fix-1", Some("copilot-agent")),
    ("Copilot/Fix-1", Some("copilot-agent")),
    ("claude-refactor", None),
    ("feature/cursor-pagination", None),
    ("cursor-pagination", None),
    ("jules/fix", None),
    ("main", None),
    ("", None),
];

#[test]
fn agent_branch_prefixes() {
    let cat = Catalogue::builtin();
    for (branch, tool) in BRANCHES {
        let got = cat.detect_branch(branch);
        let want: Vec<(String, AiKind, EvidenceField)> = tool
            .map(|t| vec![(t.to_owned(), Authored, Branch)])
            .unwrap_or_default();
        assert_eq!(triples(&got), want, "branch {branch:?}");
    }
}

/// (case name, author login, body, labels, head branch, expected)
type PrCase<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a [&'a str],
    &'a str,
    Expected<'a>,
);

const PULL_REQUESTS: &[PrCase<'static>] = &[
    (
        "devin session link",
        "jane",
        "Adds pagination.\n\nLink to Devin run: https://app.devin.ai/sessions/0123abcd\nRequested by: Jane",
        &[],
        "feature/pagination",
        &[("devin", Authored, PrBody)],
    ),
    (
        "devin pr author and branch",
        "devin-ai-integration[bot]",
        "Adds pagination.",
        &[],
        "devin/1718000000-add-pagination",
        &[("devin", Authored, Branch), ("devin", Authored, PrAuthor)],
    ),
    (
        "jules task link",
        "jane",
        "Fixes #3\n\n---\n*PR created automatically by Jules for task [123](https://jules.google.com/task/123)*",
        &[],
        "fix-3",
        &[("jules", Authored, PrBody)],
    ),
    (
        "jules pr author",
        "google-labs-jules[bot]",
        "Fixes #3",
        &[],
        "fix-3",
        &[("jules", Authored, PrAuthor)],
    ),
    (
        "amazon q pr author",
        "amazon-q-developer[bot]",
        "Implements #7",
        &[],
        "amazon-q/feature",
        &[("amazon-q", Authored, PrAuthor)],
    ),
    (
        "copilot agent pr",
        "Copilot",
        "Fixes #30\n\nAgent-Logs-Url: https://github.com/octo/repo/sessions/abc-123",
        &[],
        "copilot/fix-30",
        &[
            ("copilot-agent", Authored, Branch),
            ("copilot-agent", Authored, PrAuthor),
            ("copilot-agent", Authored, PrBody),
        ],
    ),
    (
        "copilot agent pr by app login",
        "copilot-swe-agent[bot]",
        "Fixes #30",
        &[],
        "main-fix",
        &[("copilot-agent", Authored, PrAuthor)],
    ),
    (
        "claude code pr",
        "claude[bot]",
        "## Summary\n- fix parser\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)",
        &[],
        "claude/issue-12-fix-parser",
        &[
            ("claude-code", Authored, Branch),
            ("claude-code", Authored, PrAuthor),
            ("claude-code", Authored, PrBody),
        ],
    ),
    (
        "codex pr",
        "jane",
        "Summary\n\nhttps://chatgpt.com/codex/tasks/task_e_68a1b2c3d4",
        &[],
        "codex/add-retry",
        &[("codex", Authored, Branch), ("codex", Authored, PrBody)],
    ),
    (
        "opencode pr",
        "jane",
        "🤖 Generated with [opencode](https://opencode.ai)",
        &[],
        "fix",
        &[("opencode", Authored, PrBody)],
    ),
    (
        "cursor branch",
        "jane",
        "Refactor",
        &[],
        "cursor/refactor-cache",
        &[("cursor", Authored, Branch)],
    ),
    // false positives
    (
        "devin review badge",
        "jane",
        "Adds pagination.\n\n[![Review with Devin](https://devin.ai/assets/badge.svg)](https://app.devin.ai/review/octo/repo/pull/4)",
        &[],
        "feature/pagination",
        &[],
    ),
    (
        "a human named devin",
        "devin",
        "Adds a thing",
        &[],
        "devin-thing",
        &[],
    ),
    (
        "a human named claude",
        "claude",
        "Adds a thing",
        &[],
        "thing",
        &[],
    ),
    (
        "labels have no built-in signatures",
        "jane",
        "Adds a thing",
        &["ai-assisted", "copilot"],
        "thing",
        &[],
    ),
    (
        "cursor pagination body",
        "jane",
        "Switch to cursor pagination",
        &[],
        "feature/cursor-pagination",
        &[],
    ),
];

fn check_pr(cat: &Catalogue, case: &PrCase<'_>) {
    let (name, login, body, labels, branch, want) = case;
    let labels: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
    let got = cat.detect_pull_request(&PullRequestView {
        author_login: login,
        body,
        labels: &labels,
        head_branch: branch,
    });
    assert_eq!(triples(&got), expected(want), "case {name:?}: {got:#?}");
}

#[test]
fn pull_request_signatures() {
    let cat = Catalogue::builtin();
    for case in PULL_REQUESTS {
        check_pr(&cat, case);
    }
}

fn agent(tool: &str) -> IdentityClass {
    IdentityClass::AiAgent {
        tool: tool.to_owned(),
    }
}

#[test]
fn identities_are_classified() {
    let cat = Catalogue::builtin();
    let cases: &[(&str, &str, IdentityClass)] = &[
        (
            "dependabot[bot]",
            "49699333+dependabot[bot]@users.noreply.github.com",
            IdentityClass::Bot,
        ),
        (
            "dependabot-preview[bot]",
            "27856297+dependabot-preview[bot]@users.noreply.github.com",
            IdentityClass::Bot,
        ),
        (
            "renovate[bot]",
            "29139614+renovate[bot]@users.noreply.github.com",
            IdentityClass::Bot,
        ),
        ("Renovate Bot", "bot@renovateapp.com", IdentityClass::Bot),
        (
            "github-actions[bot]",
            "41898282+github-actions[bot]@users.noreply.github.com",
            IdentityClass::Bot,
        ),
        (
            "github-actions",
            "github-actions@github.com",
            IdentityClass::Bot,
        ),
        ("GitHub", "noreply@github.com", IdentityClass::Bot),
        (
            "semantic-release-bot",
            "semantic-release-bot@martynus.net",
            IdentityClass::Bot,
        ),
        (
            "coderabbitai[bot]",
            "136622811+coderabbitai[bot]@users.noreply.github.com",
            IdentityClass::Bot,
        ),
        (
            "copilot-pull-request-reviewer[bot]",
            "175728472+copilot-pull-request-reviewer[bot]@users.noreply.github.com",
            IdentityClass::Bot,
        ),
        (
            "Copilot",
            "175728472+Copilot@users.noreply.github.com",
            agent("copilot-review"),
        ),
        (
            "release-please[bot]",
            "55107282+release-please[bot]@users.noreply.github.com",
            IdentityClass::Bot,
        ),
        ("some-app[bot]", "", IdentityClass::Bot),
        (
            "Some App",
            "123+some-app[bot]@users.noreply.github.com",
            IdentityClass::Bot,
        ),
        (
            "copilot-swe-agent[bot]",
            "198982749+Copilot@users.noreply.github.com",
            agent("copilot-agent"),
        ),
        (
            "Copilot",
            "198982749+Copilot@users.noreply.github.com",
            agent("copilot-agent"),
        ),
        (
            "Copilot",
            "223556219+Copilot@users.noreply.github.com",
            agent("copilot-assistant"),
        ),
        ("Cursor Agent", "cursoragent@cursor.com", agent("cursor")),
        (
            "claude[bot]",
            "209825114+claude[bot]@users.noreply.github.com",
            agent("claude-code"),
        ),
        ("Claude", "noreply@anthropic.com", agent("claude-code")),
        (
            "Claude Opus 4.5",
            "noreply@anthropic.com",
            agent("claude-code"),
        ),
        ("Paul (aider)", "paul@example.com", agent("aider")),
        ("aider (gpt-4o)", "noreply@aider.chat", agent("aider")),
        ("Codex", "codex@openai.com", agent("codex")),
        (
            "devin-ai-integration[bot]",
            "158243242+devin-ai-integration[bot]@users.noreply.github.com",
            agent("devin"),
        ),
        (
            "google-labs-jules[bot]",
            "161369871+google-labs-jules[bot]@users.noreply.github.com",
            agent("jules"),
        ),
        (
            "gemini-code-assist[bot]",
            "176961590+gemini-code-assist[bot]@users.noreply.github.com",
            agent("gemini-code-assist"),
        ),
        ("openhands", "openhands@all-hands.dev", agent("openhands")),
        (
            "amazon-q-developer[bot]",
            "208079219+amazon-q-developer[bot]@users.noreply.github.com",
            agent("amazon-q"),
        ),
        ("Amp", "amp@ampcode.com", agent("amp")),
        ("opencode", "noreply@opencode.ai", agent("opencode")),
        ("Jane Doe", "jane@example.com", IdentityClass::Person),
        ("Jules Verne", "jules@example.com", IdentityClass::Person),
        ("Devin Smith", "devin@example.com", IdentityClass::Person),
        ("Claude Monet", "claude@example.org", IdentityClass::Person),
        ("Jane Roe", "jane@anthropic.com", IdentityClass::Person),
        ("Jane Roe", "jane@openai.com", IdentityClass::Person),
        (
            "Jane Doe",
            "12345+jane@users.noreply.github.com",
            IdentityClass::Person,
        ),
    ];
    for (name, email, want) in cases {
        assert_eq!(
            &cat.classify_identity(name, email),
            want,
            "{name} <{email}>"
        );
    }
}

fn custom(tool: &str, field: &str, pattern: &str, kind: Option<&str>) -> CustomSignature {
    CustomSignature {
        tool: tool.to_owned(),
        field: field.to_owned(),
        pattern: pattern.to_owned(),
        kind: kind.map(str::to_owned),
    }
}

fn with(signatures: Vec<CustomSignature>, disable: &[&str]) -> ProvenanceConfig {
    ProvenanceConfig {
        signatures,
        disable: disable.iter().map(|d| d.to_string()).collect(),
    }
}

#[test]
fn custom_signatures_match_their_field() {
    let cfg = with(
        vec![
            custom(
                "internal-agent",
                "trailer",
                "^Assisted-by: acme-agent",
                None,
            ),
            custom(
                "acme-bot",
                "author",
                r"^acme bot <bot@acme\.example>$",
                None,
            ),
            custom("acme-ci", "committer", "<ci@acme\\.example>$", None),
            custom("acme-msg", "message", "^acme-session: ", None),
            custom(
                "acme-subj",
                "subject",
                "^\\[acme\\]",
                Some("review-suggestion"),
            ),
            custom("acme-branch", "branch", "^acme/", None),
            custom("acme-label", "label", "^ai-assisted$", None),
            custom("acme-body", "body", "acme\\.example/runs/", None),
            custom("acme-login", "pr-author", "^acme-agent\\[bot\\]$", None),
        ],
        &[],
    );
    let cat = Catalogue::from_config(&cfg).unwrap();
    assert_eq!(cat.signatures().iter().filter(|s| !s.builtin).count(), 9);
    assert_eq!(cat.signatures().last().unwrap().id, "acme-login.custom-9");

    let commits: &[CommitCase<'_>] = &[
        (
            "custom trailer, with the generic disclosure alongside",
            HUMAN,
            HUMAN,
            "feat: x\n\nAssisted-by: acme-agent v2",
            &[
                ("acme-agent", Authored, Trailer),
                ("internal-agent", Authored, Trailer),
            ],
        ),
        (
            "custom author",
            "Acme Bot <bot@acme.example>",
            HUMAN,
            "feat: x",
            &[("acme-bot", Authored, Author)],
        ),
        (
            "custom committer",
            HUMAN,
            "CI <ci@acme.example>",
            "feat: x",
            &[("acme-ci", Authored, Committer)],
        ),
        (
            "custom message",
            HUMAN,
            HUMAN,
            "feat: x\n\n  ACME-Session: 42",
            &[("acme-msg", Authored, Message)],
        ),
        (
            "custom subject and kind",
            HUMAN,
            HUMAN,
            "[acme] apply fix",
            &[("acme-subj", ReviewSuggestion, Subject)],
        ),
        (
            "custom branch from a merge subject",
            HUMAN,
            HUMAN,
            "Merge branch 'acme/x'",
            &[("acme-branch", Authored, Branch)],
        ),
    ];
    for (name, author, committer, message, want) in commits {
        check(&cat, name, author, committer, message, want);
    }
    let prs: &[PrCase<'_>] = &[
        (
            "custom label",
            "jane",
            "x",
            &["AI-Assisted"],
            "x",
            &[("acme-label", Authored, PrLabel)],
        ),
        (
            "custom body",
            "jane",
            "see https://acme.example/runs/1",
            &[],
            "x",
            &[("acme-body", Authored, PrBody)],
        ),
        (
            "custom pr author",
            "acme-agent[bot]",
            "x",
            &[],
            "x",
            &[("acme-login", Authored, PrAuthor)],
        ),
        (
            "custom branch",
            "jane",
            "x",
            &[],
            "acme/fix",
            &[("acme-branch", Authored, Branch)],
        ),
    ];
    for case in prs {
        check_pr(&cat, case);
    }
    assert_eq!(
        cat.classify_identity("Acme Bot", "bot@acme.example"),
        agent("acme-bot")
    );
}

#[test]
fn disabling_a_tool_or_a_signature() {
    let message = "Merge pull request #3 from octo/cursor/x\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>";
    let cat = Catalogue::from_config(&with(vec![], &["cursor"])).unwrap();
    assert!(cat.signatures().iter().all(|s| s.tool != "cursor"));
    check(&cat, "cursor disabled", HUMAN, HUMAN, message, &[]);
    assert_eq!(
        cat.classify_identity("Cursor Agent", "cursoragent@cursor.com"),
        IdentityClass::Person
    );

    let cat = Catalogue::from_config(&with(vec![], &["cursor.branch"])).unwrap();
    check(
        &cat,
        "cursor.branch disabled",
        HUMAN,
        HUMAN,
        message,
        &[("cursor", Authored, Trailer)],
    );
    assert!(cat.detect_branch("cursor/x").is_empty());

    let cat = Catalogue::from_config(&with(vec![], &["other"])).unwrap();
    check(
        &cat,
        "other disabled",
        HUMAN,
        HUMAN,
        "feat: x\n\nAssisted-by: Windsurf",
        &[],
    );
}

#[test]
fn configuration_errors_name_the_culprit() {
    let cases: &[(ProvenanceConfig, &str)] = &[
        (
            with(vec![], &["cursr"]),
            "ai.disable: unknown signature or tool \"cursr\", expected a built-in tool id (e.g. \"cursor\") or signature id (e.g. \"cursor.branch\")",
        ),
        (
            with(vec![], &["cursor.nope"]),
            "ai.disable: unknown signature or tool \"cursor.nope\"",
        ),
        (
            with(
                vec![
                    custom("ok", "trailer", "^x", None),
                    custom("acme", "trailer", "(", None),
                ],
                &[],
            ),
            "signature 2 (tool \"acme\"): pattern \"(\": regex parse error",
        ),
        (
            with(vec![custom("acme", "footer", "^x", None)], &[]),
            "signature 1 (tool \"acme\"): unknown field \"footer\", expected one of trailer, author",
        ),
        (
            with(vec![custom("acme", "trailer", "^x", Some("assisted"))], &[]),
            "signature 1 (tool \"acme\"): unknown kind \"assisted\", expected authored or review-suggestion",
        ),
        (
            with(vec![custom("acme", "trailer", "", None)], &[]),
            "signature 1 (tool \"acme\"): pattern is empty",
        ),
        (
            with(vec![custom(" ", "trailer", "^x", None)], &[]),
            "signature 1: tool is empty",
        ),
    ];
    for (cfg, want) in cases {
        match Catalogue::from_config(cfg) {
            Ok(_) => panic!("expected an error starting {want:?}"),
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    msg.starts_with(want),
                    "{msg:?} does not start with {want:?}"
                );
            }
        }
        // Checking a configuration without building the catalogue gives the same error.
        match Catalogue::check_config(cfg) {
            Ok(()) => panic!("check_config accepted what from_config rejects: {want:?}"),
            Err(e) => assert_eq!(
                e.to_string(),
                Catalogue::from_config(cfg)
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default()
            ),
        }
    }
    // … and accepts what it accepts.
    let good = with(vec![custom("acme", "trailer", "^x", None)], &["cursor"]);
    assert!(Catalogue::from_config(&good).is_ok());
    assert!(Catalogue::check_config(&good).is_ok());
}

#[test]
fn fingerprint_is_stable_and_follows_the_signature_set() {
    let builtin = Catalogue::builtin().fingerprint();
    assert_eq!(builtin.len(), 16);
    assert!(builtin.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')));
    assert_eq!(builtin, Catalogue::builtin().fingerprint());
    assert_eq!(
        builtin,
        Catalogue::from_config(&ProvenanceConfig::default())
            .unwrap()
            .fingerprint()
    );

    let disabled = Catalogue::from_config(&with(vec![], &["cursor.branch"]))
        .unwrap()
        .fingerprint();
    let one = Catalogue::from_config(&with(vec![custom("acme", "trailer", "^x", None)], &[]))
        .unwrap()
        .fingerprint();
    let other_pattern =
        Catalogue::from_config(&with(vec![custom("acme", "trailer", "^y", None)], &[]))
            .unwrap()
            .fingerprint();
    let other_kind = Catalogue::from_config(&with(
        vec![custom("acme", "trailer", "^x", Some("review-suggestion"))],
        &[],
    ))
    .unwrap()
    .fingerprint();
    let all = [&builtin, &disabled, &one, &other_pattern, &other_kind];
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a, b);
        }
    }
}

#[test]
fn the_config_section_deserialises() {
    // The example of spec/config.md, plus the keys it leaves out.
    let cfg: ProvenanceConfig = toml::from_str(
        r#"
        disable = ["cursor.branch"]

        [[signatures]]
        tool = "internal-agent"
        field = "trailer"                # trailer | author | committer | message | branch | label
        pattern = "^Assisted-by: acme-agent"

        [[signatures]]
        tool = "acme-review"
        field = "trailer"
        pattern = "^Suggested-by: acme-review"
        kind = "review-suggestion"
        "#,
    )
    .unwrap();
    assert_eq!(cfg.disable, vec!["cursor.branch".to_owned()]);
    assert_eq!(
        cfg.signatures[0],
        custom(
            "internal-agent",
            "trailer",
            "^Assisted-by: acme-agent",
            None
        )
    );
    assert_eq!(cfg.signatures[1].kind.as_deref(), Some("review-suggestion"));
    assert!(Catalogue::from_config(&cfg).is_ok());

    assert_eq!(
        toml::from_str::<ProvenanceConfig>("").unwrap(),
        ProvenanceConfig::default()
    );
    assert!(toml::from_str::<ProvenanceConfig>("disabled = []").is_err());
    assert!(
        toml::from_str::<ProvenanceConfig>(
            "[[signatures]]\ntool = \"a\"\nfield = \"trailer\"\npattern = \"x\"\nfeild = \"y\""
        )
        .is_err()
    );
}

#[test]
fn signature_listing_is_complete() {
    let cat = Catalogue::builtin();
    let tools: std::collections::BTreeSet<&str> =
        cat.signatures().iter().map(|s| s.tool.as_str()).collect();
    let want = [
        "aider",
        "amazon-q",
        "amp",
        "claude-code",
        "codex",
        "copilot-agent",
        "copilot-assistant",
        "copilot-review",
        "cursor",
        "devin",
        "gemini-code-assist",
        "jules",
        "opencode",
        "openhands",
        "other",
        "replit",
    ];
    assert_eq!(tools.into_iter().collect::<Vec<_>>(), want);
    for s in cat.signatures() {
        assert!(
            s.builtin && !s.description.is_empty() && !s.fields.is_empty(),
            "{}",
            s.id
        );
        let want_kind = if matches!(s.tool.as_str(), "copilot-review" | "gemini-code-assist") {
            ReviewSuggestion
        } else {
            Authored
        };
        assert_eq!(s.kind, want_kind, "{}", s.id);
    }
}
