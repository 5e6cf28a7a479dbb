//! The built-in catalogue of `spec/ai-signatures.md`, as data.
//!
//! Every entry is one observable fact (an identity, an anchored trailer line, a message
//! marker, a branch prefix) written as a case-insensitive regular expression over one kind
//! of text. Keeping the catalogue here, apart from the matching code, means that adding a
//! tool is adding a row, and that the fingerprint of the catalogue changes with the rows.
//!
//! The text each field's patterns see:
//! - `Author` / `Committer`: the identity rendered as `Name <email>`;
//! - `Trailer`: one trailer line, `Key: value`, starting at the key;
//! - `Message`: one trimmed line of the message (any line, subject included);
//! - `Subject`: the trimmed first line of the message;
//! - `Branch`: a branch name (from the forge, or from a merge subject);
//! - `PrAuthor`: a pull request author's login; `PrBody`: one trimmed line of its body.
//!
//! GitHub apps are keyed on their numeric user id (`<id>+login@users.noreply.github.com`),
//! because logins get renamed and ids don't.

use plumb_model::{AiKind, EvidenceField};

/// One built-in signature before compilation.
pub(crate) struct Builtin {
    pub id: &'static str,
    pub tool: &'static str,
    pub kind: AiKind,
    pub fields: &'static [EvidenceField],
    pub pattern: &'static str,
    pub description: &'static str,
    /// The detection's tool is the normalised value of the pattern's `tool` capture group
    /// instead of `tool` (the generic `Assisted-by:` disclosure).
    pub tool_from_value: bool,
}

use AiKind::{Authored, ReviewSuggestion};
use EvidenceField::{Author, Branch, Committer, Message, PrAuthor, PrBody, Subject, Trailer};

const fn sig(
    id: &'static str,
    tool: &'static str,
    kind: AiKind,
    fields: &'static [EvidenceField],
    pattern: &'static str,
    description: &'static str,
) -> Builtin {
    Builtin {
        id,
        tool,
        kind,
        fields,
        pattern,
        description,
        tool_from_value: false,
    }
}

/// The catalogue, in the order of `ai-signatures.md`.
pub(crate) const BUILTINS: &[Builtin] = &[
    // claude-code
    sig(
        "claude-code.coauthor",
        "claude-code",
        Authored,
        &[Trailer],
        r"^co-authored-by:\s*claude\b[^<>]*<(?:noreply|claude-code|support)@anthropic\.com>|^co-authored-by:\s*claude\s*\([^()<>]*\)\s*$",
        "Co-Authored-By: Claude… <noreply@anthropic.com> (also claude-code@ or support@anthropic.com, \
         or the e-mail-less form Co-Authored-By: Claude (model-id))",
    ),
    sig(
        "claude-code.generated-with",
        "claude-code",
        Authored,
        &[Message, PrBody],
        r"^\W*generated with \[?claude code\b",
        "a line starting 🤖 Generated with [Claude Code](https://claude.ai/code) or a variant",
    ),
    sig(
        "claude-code.session",
        "claude-code",
        Authored,
        &[Trailer],
        r"^claude-session:\s*\S",
        "Claude-Session: https://claude.ai/code/session_… trailer",
    ),
    sig(
        "claude-code.session-url",
        "claude-code",
        Authored,
        &[Message],
        r"^https://claude\.ai/code/session_",
        "a bare line starting https://claude.ai/code/session_ (before the Claude-Session trailer)",
    ),
    sig(
        "claude-code.bot",
        "claude-code",
        Authored,
        &[Author, Committer],
        r"^claude\[bot\] <|<209825114\+[^@<>]*@users\.noreply\.github\.com>$",
        "claude[bot], GitHub user id 209825114 (the Claude Code GitHub Action)",
    ),
    sig(
        "claude-code.branch",
        "claude-code",
        Authored,
        &[Branch],
        r"^claude/issue-\d+",
        "branch claude/issue-N-…",
    ),
    sig(
        "claude-code.pr-author",
        "claude-code",
        Authored,
        &[PrAuthor],
        r"^(?:claude\[bot\]|app/claude)$",
        "pull request opened by claude[bot]",
    ),
    // copilot-agent
    sig(
        "copilot-agent.identity",
        "copilot-agent",
        Authored,
        &[Author, Committer],
        r"^copilot-swe-agent\[bot\] <|<198982749\+[^@<>]*@users\.noreply\.github\.com>$",
        "copilot-swe-agent[bot] or Copilot, GitHub user id 198982749 (the Copilot coding agent)",
    ),
    sig(
        "copilot-agent.coauthor",
        "copilot-agent",
        Authored,
        &[Trailer],
        r"^co-authored-by:\s*(?:copilot-swe-agent\[bot\]\s*<|.*<198982749\+[^@<>]*@users\.noreply\.github\.com>)",
        "Co-authored-by: the Copilot coding agent (user id 198982749)",
    ),
    sig(
        "copilot-agent.logs-url",
        "copilot-agent",
        Authored,
        &[Trailer, PrBody],
        r"^agent-logs-url:\s*https://github\.com/\S*/sessions/",
        "Agent-Logs-Url: https://github.com/…/sessions/… line",
    ),
    sig(
        "copilot-agent.branch",
        "copilot-agent",
        Authored,
        &[Branch],
        r"^copilot/",
        "branch copilot/…",
    ),
    sig(
        "copilot-agent.pr-author",
        "copilot-agent",
        Authored,
        &[PrAuthor],
        r"^(?:copilot-swe-agent\[bot\]|app/copilot-swe-agent|copilot)$",
        "pull request opened by the Copilot coding agent (login Copilot / copilot-swe-agent[bot])",
    ),
    // copilot-assistant
    sig(
        "copilot-assistant.coauthor",
        "copilot-assistant",
        Authored,
        &[Trailer],
        r"^co-authored-by:\s*(?:copilot app\s*<|.*<223556219\+[^@<>]*@users\.noreply\.github\.com>|.*<copilot@github\.com>)",
        "Co-authored-by: Copilot (user id 223556219), Copilot App, or the older <copilot@github.com>",
    ),
    sig(
        "copilot-assistant.session",
        "copilot-assistant",
        Authored,
        &[Trailer],
        r"^copilot-session:\s*\S",
        "Copilot-Session: trailer",
    ),
    // copilot-review
    sig(
        "copilot-review.coauthor",
        "copilot-review",
        ReviewSuggestion,
        &[Trailer],
        r"^co-authored-by:\s*(?:copilot autofix powered by ai\s*<|.*<175728472\+[^@<>]*@users\.noreply\.github\.com>)",
        "Co-authored-by: Copilot (user id 175728472, an applied review suggestion) or Copilot Autofix powered by AI",
    ),
    // codex
    sig(
        "codex.coauthor",
        "codex",
        Authored,
        &[Trailer],
        r"^co-authored-by:.*<(?:noreply|codex)@openai\.com>",
        "Co-authored-by: … <noreply@openai.com> or <codex@openai.com>, whatever the name",
    ),
    sig(
        "codex.author",
        "codex",
        Authored,
        &[Author],
        r"<codex@openai\.com>$",
        "author Codex <codex@openai.com>",
    ),
    sig(
        "codex.task-url",
        "codex",
        Authored,
        &[Message, PrBody],
        r"https://chatgpt\.com/codex/tasks/task_",
        "a line with https://chatgpt.com/codex/tasks/task_…",
    ),
    sig(
        "codex.branch",
        "codex",
        Authored,
        &[Branch],
        r"^codex/",
        "branch codex/…",
    ),
    // cursor: identities and trailers only, never the word (cursor pagination).
    sig(
        "cursor.identity",
        "cursor",
        Authored,
        &[Author, Committer],
        r"<(?:cursoragent|noreply)@cursor\.com>$",
        "Cursor Agent <cursoragent@cursor.com> (or Composer <noreply@cursor.com>) as author or committer",
    ),
    sig(
        "cursor.coauthor",
        "cursor",
        Authored,
        &[Trailer],
        r"^co-authored-by:.*<(?:cursoragent|noreply)@cursor\.com>",
        "Co-authored-by: Cursor Agent / Cursor <cursoragent@cursor.com> or Composer <noreply@cursor.com>",
    ),
    sig(
        "cursor.made-with",
        "cursor",
        Authored,
        &[Trailer],
        r"^made-with:\s*cursor\b",
        "Made-with: Cursor trailer",
    ),
    sig(
        "cursor.branch",
        "cursor",
        Authored,
        &[Branch],
        r"^cursor/",
        "branch cursor/…",
    ),
    // aider
    sig(
        "aider.author",
        "aider",
        Authored,
        &[Author],
        r"\S \(aider\) <[^<>]*>$",
        "author name ending \" (aider)\" (v0.39–v0.84); a committer-only (aider) is a human commit",
    ),
    sig(
        "aider.subject",
        "aider",
        Authored,
        &[Subject],
        r"(?-i)^aider: ",
        "subject starting \"aider: \" (case-sensitive; up to v0.38)",
    ),
    sig(
        "aider.coauthor",
        "aider",
        Authored,
        &[Trailer],
        r"^co-authored-by:.*<(?:aider@aider\.chat|noreply@aider\.chat|noreply@aider\.dev)>",
        "Co-authored-by: aider (<model>) <aider@aider.chat | noreply@aider.chat | noreply@aider.dev>",
    ),
    // devin
    sig(
        "devin.identity",
        "devin",
        Authored,
        &[Author, Committer],
        r"^devin-ai-integration\[bot\] <|<158243242\+[^@<>]*@users\.noreply\.github\.com>$",
        "devin-ai-integration[bot] / Devin AI, GitHub user id 158243242",
    ),
    sig(
        "devin.coauthor",
        "devin",
        Authored,
        &[Trailer],
        r"^co-authored-by:\s*(?:devin-ai-integration\[bot\]\s*<|.*<158243242\+[^@<>]*@users\.noreply\.github\.com>)",
        "Co-authored-by: Devin (user id 158243242)",
    ),
    sig(
        "devin.session-url",
        "devin",
        Authored,
        &[PrBody],
        r"app\.devin\.ai/sessions/",
        "pull request body linking app.devin.ai/sessions/… (not app.devin.ai/review/, a review badge)",
    ),
    sig(
        "devin.branch",
        "devin",
        Authored,
        &[Branch],
        r"^devin/",
        "branch devin/…",
    ),
    sig(
        "devin.pr-author",
        "devin",
        Authored,
        &[PrAuthor],
        r"^(?:devin-ai-integration\[bot\]|app/devin-ai-integration)$",
        "pull request opened by devin-ai-integration[bot]",
    ),
    // jules
    sig(
        "jules.identity",
        "jules",
        Authored,
        &[Author],
        r"^google-labs-jules\[bot\] <|<161369871\+[^@<>]*@users\.noreply\.github\.com>$",
        "google-labs-jules[bot], GitHub user id 161369871",
    ),
    sig(
        "jules.coauthor",
        "jules",
        Authored,
        &[Trailer],
        r"^co-authored-by:\s*(?:google-labs-jules\[bot\]\s*<|.*<161369871\+[^@<>]*@users\.noreply\.github\.com>)",
        "Co-authored-by: google-labs-jules[bot] (user id 161369871)",
    ),
    sig(
        "jules.task-url",
        "jules",
        Authored,
        &[PrBody],
        r"jules\.google\.com/task/",
        "pull request body linking jules.google.com/task/…",
    ),
    sig(
        "jules.pr-author",
        "jules",
        Authored,
        &[PrAuthor],
        r"^(?:google-labs-jules\[bot\]|app/google-labs-jules)$",
        "pull request opened by google-labs-jules[bot]",
    ),
    // gemini-code-assist
    sig(
        "gemini-code-assist.coauthor",
        "gemini-code-assist",
        ReviewSuggestion,
        &[Trailer],
        r"^co-authored-by:\s*(?:gemini-code-assist\[bot\]\s*<|.*<176961590\+[^@<>]*@users\.noreply\.github\.com>)",
        "Co-authored-by: gemini-code-assist[bot] (user id 176961590, an applied review suggestion)",
    ),
    // openhands
    sig(
        "openhands.identity",
        "openhands",
        Authored,
        &[Author],
        r"<(?:openhands@all-hands\.dev|opendevin@all-hands\.dev|opendevin@opendevin\.ai|bot@opendevin\.com)>$",
        "author openhands@all-hands.dev / opendevin@all-hands.dev, older opendevin@opendevin.ai / bot@opendevin.com",
    ),
    sig(
        "openhands.coauthor",
        "openhands",
        Authored,
        &[Trailer],
        r"^co-authored-by:.*\b(?:openhands@all-hands\.dev|opendevin@all-hands\.dev|opendevin@opendevin\.ai|bot@opendevin\.com)\b",
        "Co-authored-by: OpenHands with one of its e-mails (angle brackets sometimes missing)",
    ),
    // amazon-q
    sig(
        "amazon-q.identity",
        "amazon-q",
        Authored,
        &[Author],
        r"^amazon-q-developer\[bot\] <|<208079219\+[^@<>]*@users\.noreply\.github\.com>$",
        "amazon-q-developer[bot], GitHub user id 208079219",
    ),
    sig(
        "amazon-q.pr-author",
        "amazon-q",
        Authored,
        &[PrAuthor],
        r"^(?:amazon-q-developer\[bot\]|app/amazon-q-developer)$",
        "pull request opened by amazon-q-developer[bot]",
    ),
    // amp
    sig(
        "amp.thread",
        "amp",
        Authored,
        &[Trailer],
        r"^amp-thread(?:-id)?:\s*\S",
        "Amp-Thread: / Amp-Thread-ID: trailer",
    ),
    sig(
        "amp.coauthor",
        "amp",
        Authored,
        &[Trailer],
        r"^co-authored-by:.*<amp@ampcode\.com>",
        "Co-authored-by: Amp <amp@ampcode.com>",
    ),
    // opencode
    sig(
        "opencode.coauthor",
        "opencode",
        Authored,
        &[Trailer],
        r"^co-authored-by:.*<noreply@opencode\.ai>",
        "Co-Authored-By: opencode <noreply@opencode.ai>",
    ),
    sig(
        "opencode.generated-with",
        "opencode",
        Authored,
        &[Message, PrBody],
        r"^\W*generated with \[?opencode\b",
        "a line starting Generated with opencode",
    ),
    // replit
    sig(
        "replit.commit-author",
        "replit",
        Authored,
        &[Trailer],
        r"^replit-commit-author:\s*(?:agent|assistant)\b",
        "Replit-Commit-Author: Agent / Assistant trailer",
    ),
    // other: the generic disclosure trailers name the tool themselves.
    Builtin {
        id: "other.disclosure",
        tool: "other",
        kind: Authored,
        fields: &[Trailer],
        pattern: r"^(?:assisted|generated)-by:\s*(?P<tool>\S.*)$",
        description: "Assisted-by: <tool> / Generated-by: <tool>; the detection's tool is the value's \
                      first word, normalised (a value with an e-mail address credits a person and is skipped)",
        tool_from_value: true,
    },
];

/// Non-AI automation: classified `Bot`, excluded from people and from both sides of the
/// adoption ratios. Matched against `Name <email>`, case-insensitive. Any other GitHub app
/// (`…[bot]`) is a bot too; that rule lives in code.
pub(crate) const BOTS: &[&str] = &[
    // dependabot[bot], id 49699333
    r"<49699333\+[^@<>]*@users\.noreply\.github\.com>$",
    // renovate[bot], id 29139614; self-hosted Renovate's default identity
    r"<29139614\+[^@<>]*@users\.noreply\.github\.com>$",
    r"<bot@renovateapp\.com>$",
    // github-actions[bot], id 41898282, and the older workflow identity
    r"<41898282\+[^@<>]*@users\.noreply\.github\.com>$",
    r"<github-actions@github\.com>$",
    // GitHub's web-flow committer of merges and web edits
    r"^github <noreply@github\.com>$",
    // release robots
    r"^semantic-release-bot <",
    // AI reviewers that write no commits
    r"^coderabbitai(?:\[bot\])? <",
    r"^copilot-pull-request-reviewer(?:\[bot\])? <",
];

/// Merge subjects that name the merged branch (git, GitHub, GitLab, Bitbucket), so that
/// branch signatures can be applied to history without a forge. Case-sensitive: the
/// tools write these exact words. Each has a `branch` capture group.
pub(crate) const MERGE_SUBJECTS: &[&str] = &[
    r"^Merge pull request #\d+ from [^/\s]+/(?P<branch>\S+)",
    r"^Merge branch '(?P<branch>[^']+)'",
    r"^Merge remote-tracking branch '[^/']+/(?P<branch>[^']+)'",
    r"^Merged in (?P<branch>\S+) \(pull request #\d+\)",
];
