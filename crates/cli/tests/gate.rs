#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `plumb gate` on real repositories built with the git CLI.

mod support;

use support::{GitRepo, Plumb};

const CLAUDE: &str = "Co-Authored-By: Claude <noreply@anthropic.com>";
const CURSOR: &str = "Co-authored-by: Cursor <cursoragent@cursor.com>";

fn date(n: u32) -> String {
    format!("2026-03-{:02}T10:00:00+00:00", n)
}

/// A repository with a human base commit; returns it and the base sha.
fn base_repo() -> (GitRepo, String) {
    let repo = GitRepo::new();
    repo.write("README.md", "hello\n");
    repo.write("src/main.rs", "fn main() {}\n");
    repo.write("src/auth/login.rs", "// login\n");
    repo.commit_as("Ana", "ana@acme.com", &date(1), "initial");
    let base = repo.head();
    (repo, base)
}

/// A red-zone change by Claude Code on top of the base.
fn red_change() -> (GitRepo, String, String) {
    let (repo, base) = base_repo();
    repo.write("src/auth/login.rs", "// login\nfn check() {}\n");
    repo.commit_as(
        "Bo",
        "bo@acme.com",
        &date(2),
        &format!("Harden login\n\n{CLAUDE}"),
    );
    let head = repo.head();
    (repo, base, head)
}

fn gate(
    plumb: &Plumb,
    repo: &GitRepo,
    base: &str,
    head: &str,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "gate",
        "--repo",
        repo.path_str(),
        "--base",
        base,
        "--head",
        head,
    ];
    args.extend_from_slice(extra);
    plumb
        .command(&args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn event(dir: &std::path::Path, base: &str, head: &str, labels: &[&str]) -> String {
    let labels: Vec<serde_json::Value> = labels
        .iter()
        .map(|l| serde_json::json!({ "name": l }))
        .collect();
    let payload = serde_json::json!({
        "action": "synchronize",
        "pull_request": {
            "number": 7,
            "user": { "login": "bo" },
            "base": { "sha": base, "ref": "main" },
            "head": { "sha": head, "ref": "feature" },
            "labels": labels,
        }
    });
    let path = dir.join("event.json");
    std::fs::write(&path, payload.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

fn reviews(dir: &std::path::Path, reviews: &[(&str, &str, &str)]) -> String {
    let items: Vec<serde_json::Value> = reviews
        .iter()
        .map(|(login, state, at)| {
            serde_json::json!({ "user": { "login": login }, "state": state, "submitted_at": at })
        })
        .collect();
    let path = dir.join("reviews.json");
    std::fs::write(&path, serde_json::Value::Array(items).to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn red_zone_ai_change_without_approval_is_blocked_and_annotated() {
    let (repo, base, head) = red_change();
    let plumb = Plumb::new();
    let out = gate(&plumb, &repo, &base, &head, &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("plumb gate: needs-approval — blocked until approved"),
        "{text}"
    );
    assert!(
        text.contains("src/auth/login.rs  [**/auth/**]  AI: "),
        "{text}"
    );
    assert!(
        text.contains("- [ ] Threat model updated for the changed flow"),
        "{text}"
    );
    assert!(text.contains("claude-code"), "{text}");

    let out = gate(&plumb, &repo, &base, &head, &["--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let short = &head[..12];
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "::error file=src/auth/login.rs,title=plumb gate%3A needs-approval zone red (ai = needs-approval)::src/auth/login.rs matches **/auth/** in zone red: AI-authored commits changed 1 file; needs 2 approvals or the label \"ai-approved\", has 0. AI-authored commits: {short}"
        )
    );
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("::error title=plumb gate::needs-approval: zone red — "),
        "{text}"
    );

    // The decision is recorded: --db was given.
    let conn = rusqlite::Connection::open(plumb.db()).unwrap();
    let (verdict, zones, tools): (String, String, String) = conn
        .query_row(
            "SELECT verdict, zones, ai_tools FROM gate_decisions ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (verdict.as_str(), zones.as_str(), tools.as_str()),
        ("needs-approval", "[\"red\"]", "[\"claude-code\"]")
    );
}

#[test]
fn approval_label_or_enough_approvals_unblock() {
    let (repo, base, head) = red_change();
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();

    let with_label = event(dir.path(), &base, &head, &["ai-approved"]);
    let out = plumb
        .command(&["gate", "--repo", repo.path_str(), "--event", &with_label])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("approved by the label \"ai-approved\""));

    let no_label = event(dir.path(), &base, &head, &["docs"]);
    let one = reviews(
        dir.path(),
        &[
            ("cy", "APPROVED", "2026-03-03T10:00:00Z"),
            ("di", "APPROVED", "2026-03-03T11:00:00Z"),
            // di's later change request wins over the approval…
            ("di", "CHANGES_REQUESTED", "2026-03-03T12:00:00Z"),
            // …and a later comment does not dismiss cy's approval.
            ("cy", "COMMENTED", "2026-03-03T13:00:00Z"),
        ],
    );
    let out = plumb
        .command(&[
            "gate",
            "--repo",
            repo.path_str(),
            "--event",
            &no_label,
            "--reviews",
            &one,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("needs 2 approvals or the label \"ai-approved\", has 1"));

    let two = reviews(
        dir.path(),
        &[
            ("cy", "APPROVED", "2026-03-03T10:00:00Z"),
            ("di", "CHANGES_REQUESTED", "2026-03-03T11:00:00Z"),
            ("di", "APPROVED", "2026-03-03T12:00:00Z"),
        ],
    );
    let out = plumb
        .command(&[
            "gate",
            "--repo",
            repo.path_str(),
            "--event",
            &no_label,
            "--reviews",
            &two,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("approved (2 of 2 approvals)"));
}

#[test]
fn only_approvals_from_the_zones_reviewer_groups_count_when_groups_are_configured() {
    let (repo, base, head) = red_change();
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("plumb.toml");
    std::fs::write(
        &config,
        "[groups]\nsecurity = [\"Sec-Alice\", \"sec-bob\"]\n\n\
         [[zones]]\nname = \"red\"\npaths = [\"**/auth/**\"]\nai = \"needs-approval\"\n\
         required_approvals = 1\nreviewer_groups = [\"security\"]\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let no_label = event(dir.path(), &base, &head, &[]);
    let run = |reviews_file: &str| {
        plumb
            .command(&[
                "--config",
                config,
                "gate",
                "--repo",
                repo.path_str(),
                "--event",
                &no_label,
                "--reviews",
                reviews_file,
            ])
            .output()
            .unwrap()
    };
    // Two approvals, neither from security: the zone is still waiting.
    let outsiders = reviews(
        dir.path(),
        &[
            ("cy", "APPROVED", "2026-03-03T10:00:00Z"),
            ("di", "APPROVED", "2026-03-03T11:00:00Z"),
        ],
    );
    let out = run(&outsiders);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // One approval from a security member (logins compare case-insensitively) unblocks it.
    let member = reviews(
        dir.path(),
        &[("sec-alice", "APPROVED", "2026-03-03T10:00:00Z")],
    );
    let out = run(&member);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    std::fs::write(
        dir.path().join("bad.toml"),
        "[groups]\nsecurity = [\"a\"]\n\n[[zones]]\nname = \"red\"\npaths = [\"**/auth/**\"]\n\
         ai = \"needs-approval\"\nreviewer_groups = [\"dba\"]\n",
    )
    .unwrap();
    let err = plumb.fails(
        &[
            "--config",
            dir.path().join("bad.toml").to_str().unwrap(),
            "gate",
            "--repo",
            repo.path_str(),
            "--base",
            &base,
            "--head",
            &head,
        ],
        2,
    );
    assert!(err.contains("\"dba\"") && err.contains("[groups]"), "{err}");
}

#[test]
fn human_only_red_change_passes() {
    let (repo, base) = base_repo();
    repo.write("src/auth/login.rs", "// human edit\n");
    repo.write("db/migrations/001.sql", "create table t(x int);\n");
    repo.commit_as("Ana", "ana@acme.com", &date(2), "Fix login");
    let plumb = Plumb::new();
    let out = gate(&plumb, &repo, &base, &repo.head(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("changed by people only"), "{text}");
    assert!(text.contains("CODEOWNERS"), "{text}");
}

const PROHIBITED: &str = r#"
[[zones]]
name = "vault"
paths = ["src/vault/**"]
ai = "prohibited"
checklist = ["Written by a person"]

[[zones]]
name = "red"
paths = ["**/auth/**"]
ai = "needs-approval"
required_approvals = 1
approval_label = "ai-approved"
checklist = ["Threat model updated"]
"#;

#[test]
fn prohibited_zone_fails_even_with_approval() {
    let (repo, base) = base_repo();
    repo.write("src/vault/keys.rs", "// keys\n");
    repo.commit_as(
        "Bo",
        "bo@acme.com",
        &date(2),
        &format!("Add keys\n\n{CLAUDE}"),
    );
    let head = repo.head();
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("plumb.toml");
    std::fs::write(&config, PROHIBITED).unwrap();
    let ev = event(dir.path(), &base, &head, &["ai-approved"]);
    let rv = reviews(
        dir.path(),
        &[
            ("cy", "APPROVED", "2026-03-03T10:00:00Z"),
            ("di", "APPROVED", "2026-03-03T10:00:00Z"),
        ],
    );
    let out = plumb
        .command(&[
            "--config",
            config.to_str().unwrap(),
            "gate",
            "--repo",
            repo.path_str(),
            "--event",
            &ev,
            "--reviews",
            &rv,
            "--format",
            "github",
        ])
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("::error file=src/vault/keys.rs,title=plumb gate%3A fail zone vault (ai = prohibited)::src/vault/keys.rs matches src/vault/** in zone vault: AI-authored commits changed 1 file where AI is prohibited"),
        "{text}"
    );
}

#[test]
fn spanning_zones_applies_the_strictest() {
    let (repo, base) = base_repo();
    repo.write("src/auth/login.rs", "// ai\n");
    repo.write("src/vault/keys.rs", "// ai\n");
    repo.write("docs/guide.md", "guide\n");
    repo.commit_as(
        "Bo",
        "bo@acme.com",
        &date(2),
        &format!("Many things\n\n{CLAUDE}"),
    );
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("plumb.toml");
    std::fs::write(&config, PROHIBITED).unwrap();
    let out = plumb
        .command(&[
            "--config",
            config.to_str().unwrap(),
            "gate",
            "--repo",
            repo.path_str(),
            "--base",
            &base,
            "--head",
            &repo.head(),
            "--format",
            "json",
            "--label",
            "ai-approved",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["decision"]["verdict"], "fail");
    assert_eq!(json["blocked"], true);
    let zones: Vec<(String, String)> = json["decision"]["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| {
            (
                z["zone"].as_str().unwrap().to_string(),
                z["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        zones,
        vec![
            ("vault".to_string(), "fail".to_string()),
            ("red".to_string(), "pass".to_string()),
            ("unzoned".to_string(), "pass".to_string()),
        ]
    );
}

#[test]
fn renaming_out_of_a_red_zone_touches_it() {
    let (repo, base) = base_repo();
    repo.git(&["mv", "src/auth/login.rs", "src/login.rs"]);
    repo.commit_as(
        "Bo",
        "bo@acme.com",
        &date(2),
        &format!("Move login\n\n{CLAUDE}"),
    );
    let plumb = Plumb::new();
    let out = gate(&plumb, &repo, &base, &repo.head(), &["--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).starts_with("::error file=src/auth/login.rs,"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn merges_and_a_squashed_multi_tool_commit() {
    let (repo, base) = base_repo();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/payments/charge.rs", "// charge\n");
    repo.commit_as(
        "Bo",
        "bo@acme.com",
        &date(2),
        &format!("Squashed: charge (#12)\n\n* claude part\n* cursor part\n\n{CLAUDE}\n{CURSOR}"),
    );
    repo.git(&["checkout", "-q", "main"]);
    repo.write("docs/guide.md", "guide\n");
    repo.commit_as("Ana", "ana@acme.com", &date(3), "Docs");
    repo.merge("feature", "Ana", "ana@acme.com", &date(4));
    let head = repo.head();
    let plumb = Plumb::new();
    let out = gate(&plumb, &repo, &base, &head, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["commits"], 3);
    assert_eq!(json["files"], 2);
    let ai = json["decision"]["ai_commits"].as_array().unwrap();
    assert_eq!(ai.len(), 1);
    assert_eq!(ai[0]["tools"], serde_json::json!(["claude-code", "cursor"]));
    assert_eq!(ai[0]["subject"], "Squashed: charge (#12)");
    let red = &json["decision"]["zones"][0];
    assert_eq!(red["zone"], "red");
    assert_eq!(red["verdict"], "needs-approval");
    assert_eq!(red["files"][0]["path"], "src/payments/charge.rs");
    assert_eq!(red["files"][0]["glob"], "**/payments/**");
    let green = &json["decision"]["zones"][1];
    assert_eq!(green["zone"], "green");
    assert_eq!(green["ai_touched"], false);
}

#[test]
fn github_job_summary_is_written() {
    let (repo, base, head) = red_change();
    let plumb = Plumb::new();
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = plumb
        .command(&[
            "gate",
            "--repo",
            repo.path_str(),
            "--base",
            &base,
            "--head",
            &head,
            "--format",
            "github",
        ])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = std::fs::read_to_string(&summary).unwrap();
    let (b, h) = (&base[..12], &head[..12]);
    let expected = format!(
        "earlier step
## plumb gate: ⚠️ needs-approval

`{b}..{h}` — zone red — AI-authored commits changed 1 file; needs 2 approvals or the label \"ai-approved\", has 0

### Zones touched

| Zone | AI policy | Files | AI-touched files | Rule | Verdict |
|---|---|---:|---:|---|---|
| red | needs-approval | 1 | 1 | `**/auth/**` | needs-approval |

### Reasons

- **needs-approval** — zone `red` (ai = needs-approval, rule `**/auth/**`): AI-authored commits changed 1 file; needs 2 approvals or the label \"ai-approved\", has 0
  - `src/auth/login.rs`

### AI-assisted commits

| Commit | Subject | Tools | Evidence |
|---|---|---|---|
| `{h}` | Harden login | claude-code | trailer: `{CLAUDE}` |

### Review checklists

**red**

- [ ] Threat model updated for the changed flow
- [ ] No secrets, keys or PII in code, logs or tests
- [ ] Every AI-written branch covered by a test a human read
- [ ] Schema migrations are reversible and were tried on a copy of production data

### Decision

**needs-approval** — approvals: 0; labels: none
"
    );
    assert_eq!(md, expected);
}

#[test]
fn bad_input_is_an_error_with_a_precise_message() {
    let (repo, base, head) = red_change();
    let plumb = Plumb::new();
    let err = plumb.fails(
        &[
            "gate",
            "--repo",
            repo.path_str(),
            "--base",
            "no-such-rev",
            "--head",
            &head,
        ],
        2,
    );
    assert!(err.contains("base revision \"no-such-rev\""), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("plumb.toml");
    std::fs::write(
        &config,
        "[[zones]]\nname = \"red\"\npaths = [\"x\"]\nai = \"sometimes\"\n",
    )
    .unwrap();
    let err = plumb.fails(
        &[
            "--config",
            config.to_str().unwrap(),
            "gate",
            "--repo",
            repo.path_str(),
            "--base",
            &base,
            "--head",
            &head,
        ],
        2,
    );
    assert!(err.contains("sometimes") && err.contains("line 4"), "{err}");

    let ev = dir.path().join("event.json");
    std::fs::write(
        &ev,
        r#"{"pull_request": {"base": {"sha": 42}, "head": {"sha": "x"}}}"#,
    )
    .unwrap();
    let err = plumb.fails(
        &[
            "gate",
            "--repo",
            repo.path_str(),
            "--event",
            ev.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        err.contains("event.json: pull_request.base.sha is not a string (found 42)"),
        "{err}"
    );

    std::fs::write(&ev, "{not json").unwrap();
    let err = plumb.fails(
        &[
            "gate",
            "--repo",
            repo.path_str(),
            "--event",
            ev.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        err.contains("event.json: the event payload is not valid JSON"),
        "{err}"
    );

    let good = event(dir.path(), &base, &head, &[]);
    let rv = dir.path().join("reviews.json");
    std::fs::write(
        &rv,
        r#"[{"user": {"login": "cy"}, "state": "APPROVED"}, {"user": {}, "state": "APPROVED"}]"#,
    )
    .unwrap();
    let err = plumb.fails(
        &[
            "gate",
            "--repo",
            repo.path_str(),
            "--event",
            &good,
            "--reviews",
            rv.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        err.contains("reviews.json: [1].user.login is missing"),
        "{err}"
    );
}

#[test]
fn zones_command_names_zone_and_rule() {
    let plumb = Plumb::new();
    let out = plumb.ok(&[
        "zones",
        "src/auth/login.rs",
        "db/migrations/1.sql",
        "README.md",
        "src/main.rs",
    ]);
    assert_eq!(
        out,
        "src/auth/login.rs\tred\t**/auth/**\tai = needs-approval\n\
         db/migrations/1.sql\tred\t**/migrations/**\tai = needs-approval\n\
         README.md\tgreen\t**/*.md\tai = allowed\n\
         src/main.rs\tunzoned\t(no rule matched: green)\tai = allowed\n"
    );
    let out = plumb.ok(&["zones", "--preset", "fintech", "src/payments/x.rs"]);
    assert_eq!(
        out,
        "src/payments/x.rs\trestricted\t**/payments/**\tai = prohibited\n"
    );
}
