//! GitHub Actions output for a decision: workflow-command annotations and the Markdown
//! job summary. Text only; the CLI decides where it goes.

use crate::{AiPolicy, Decision, Verdict};

/// Escapes a workflow command's message (`%`, `\r`, `\n`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(level: &str, file: Option<&str>, title: &str, message: &str) -> String {
    let mut props = Vec::new();
    if let Some(file) = file {
        props.push(format!("file={}", escape_property(file)));
    }
    props.push(format!("title={}", escape_property(title)));
    format!("::{level} {}::{}\n", props.join(","), escape_data(message))
}

/// One annotation per AI-touched file of a blocking or approval zone (`::error` for
/// fail and for needs-approval — both block the merge — and `::notice` when approved), then one line with the
/// decision (`::error` when blocked, `::notice` when it passes).
pub fn annotations(decision: &Decision) -> String {
    let mut out = String::new();
    for (zone, file) in decision.files() {
        if file.ai_commits.is_empty() || zone.policy == AiPolicy::Allowed {
            continue;
        }
        let level = match file.verdict {
            Verdict::Fail => "error",
            Verdict::NeedsApproval => "error",
            Verdict::Pass => "notice",
        };
        let reason = decision
            .reasons
            .iter()
            .find(|r| r.zone == zone.zone)
            .map(|r| r.message.as_str())
            .unwrap_or_default();
        let title = format!(
            "plumb gate: {} zone {} (ai = {})",
            file.verdict.as_str(),
            zone.zone,
            zone.policy.as_str()
        );
        let short: Vec<&str> = file.ai_commits.iter().map(|c| short_id(c)).collect();
        let message = format!(
            "{} matches {} in zone {}: {reason}. AI-authored commits: {}",
            file.path,
            file.glob.as_deref().unwrap_or("no rule"),
            zone.zone,
            short.join(", ")
        );
        out.push_str(&command(level, Some(&file.path), &title, &message));
    }
    let level = match decision.verdict {
        Verdict::Fail => "error",
        Verdict::NeedsApproval => "error",
        Verdict::Pass => "notice",
    };
    out.push_str(&command(
        level,
        None,
        "plumb gate",
        &format!("{}: {}", decision.verdict.as_str(), headline(decision)),
    ));
    out
}

/// The first 12 characters of a commit id.
pub fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// One sentence: what decided the verdict.
pub fn headline(decision: &Decision) -> String {
    let deciding: Vec<String> = decision
        .reasons
        .iter()
        .filter(|r| r.verdict == decision.verdict && r.verdict != Verdict::Pass)
        .map(|r| format!("zone {} — {}", r.zone, r.message))
        .collect();
    if deciding.is_empty() {
        let n = decision.ai_commits.len();
        return format!(
            "no zone policy blocks this change ({} AI-assisted commit{})",
            n,
            if n == 1 { "" } else { "s" }
        );
    }
    deciding.join("; ")
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown job summary: decision, zones touched, AI-assisted commits with evidence,
/// and the checklists of the zones touched.
pub fn summary(decision: &Decision, base: &str, head: &str) -> String {
    let icon = match decision.verdict {
        Verdict::Pass => "✅",
        Verdict::NeedsApproval => "⚠️",
        Verdict::Fail => "❌",
    };
    let mut md = format!(
        "## plumb gate: {icon} {}\n\n`{}..{}` — {}\n\n",
        decision.verdict.as_str(),
        short_id(base),
        short_id(head),
        headline(decision)
    );
    md.push_str("### Zones touched\n\n| Zone | AI policy | Files | AI-touched files | Rule | Verdict |\n|---|---|---:|---:|---|---|\n");
    for z in &decision.zones {
        let ai_files = z.files.iter().filter(|f| !f.ai_commits.is_empty()).count();
        let mut globs: Vec<&str> = z.files.iter().filter_map(|f| f.glob.as_deref()).collect();
        globs.dedup();
        globs.sort_unstable();
        globs.dedup();
        let rule = if globs.is_empty() {
            "no rule matched".to_string()
        } else {
            globs
                .iter()
                .map(|g| format!("`{}`", cell(g)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            cell(&z.zone),
            z.policy.as_str(),
            z.files.len(),
            ai_files,
            rule,
            z.verdict.as_str()
        ));
    }
    md.push_str("\n### Reasons\n\n");
    for r in &decision.reasons {
        let globs: Vec<String> = r.globs.iter().map(|g| format!("`{}`", cell(g))).collect();
        md.push_str(&format!(
            "- **{}** — zone `{}` (ai = {}{}): {}\n",
            r.verdict.as_str(),
            r.zone,
            r.policy.as_str(),
            if globs.is_empty() {
                String::new()
            } else {
                format!(", rule {}", globs.join(", "))
            },
            r.message
        ));
        if r.verdict != Verdict::Pass || r.policy != AiPolicy::Allowed {
            for f in r.files.iter().take(20) {
                md.push_str(&format!("  - `{}`\n", cell(f)));
            }
            if r.files.len() > 20 {
                md.push_str(&format!("  - … and {} more\n", r.files.len() - 20));
            }
        }
    }
    md.push_str("\n### AI-assisted commits\n\n");
    if decision.ai_commits.is_empty() {
        md.push_str(
            "None found in commit signatures (a lower bound: signatures can be switched off).\n",
        );
    } else {
        md.push_str("| Commit | Subject | Tools | Evidence |\n|---|---|---|---|\n");
        for c in &decision.ai_commits {
            let evidence: Vec<String> = c
                .evidence
                .iter()
                .map(|d| format!("{}: `{}`", d.field, cell(&d.evidence)))
                .collect();
            md.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                short_id(&c.id),
                cell(&c.subject),
                c.tools.join(", "),
                evidence.join("<br>")
            ));
        }
    }
    let checklists: Vec<_> = decision
        .zones
        .iter()
        .filter(|z| !z.checklist.is_empty())
        .collect();
    if !checklists.is_empty() {
        md.push_str("\n### Review checklists\n");
        for z in checklists {
            md.push_str(&format!("\n**{}**\n\n", cell(&z.zone)));
            for item in &z.checklist {
                md.push_str(&format!("- [ ] {}\n", cell(item)));
            }
        }
    }
    md.push_str(&format!(
        "\n### Decision\n\n**{}** — approvals: {}; labels: {}\n",
        decision.verdict.as_str(),
        decision.approvals,
        if decision.labels.is_empty() {
            "none".to_string()
        } else {
            decision
                .labels
                .iter()
                .map(|l| format!("`{}`", cell(l)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    ));
    md
}
