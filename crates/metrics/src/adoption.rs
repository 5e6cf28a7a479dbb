//! The adoption figures git alone can give, and the activity context beside them.
//!
//! Who counts: non-merge commits whose author is a person or an AI agent. Bots that are not
//! AI (dependabot, renovate, release bots) are left out of both sides of every ratio, and
//! merges carry no file statistics. A commit is AI-assisted when it carries at least one
//! `authored` detection or its author is an AI agent; an accepted AI review suggestion
//! alone does not make a commit AI-written, so it is counted separately as activity.

use crate::org::Org;
use crate::{Activity, BreakdownEntry, Window};
use foldhash::{HashSet, HashSetExt};
use plumb_model::{AiKind, IdentityClass};
use std::collections::BTreeMap;

/// A computed value with its sample and parts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figure {
    pub value: f64,
    pub n: u64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub breakdown: BTreeMap<String, BreakdownEntry>,
    /// Caveats of this figure (which rule was used, what was left out), shown in the
    /// scorecard's notes prefixed by the metric's id.
    pub notes: Vec<String>,
}

/// Everything the git history of the window gives.
#[derive(Debug, Clone)]
pub(crate) struct GitFigures {
    pub activity: Activity,
    pub ai_assisted_commits: Result<Figure, String>,
    pub ai_code_share: Result<Figure, String>,
    pub active_ai_users: Result<Figure, String>,
    pub notes: Vec<String>,
}

/// One counted commit, reduced to what the adoption figures need.
struct Counted<'a> {
    /// The person's key: their roster key when the roster knows the email, else the email.
    person: Option<&'a str>,
    /// Its AI tools, distinct: a range of the pass's list of tools.
    tools: std::ops::Range<usize>,
    added: u64,
}

impl Counted<'_> {
    fn ai(&self) -> bool {
        !self.tools.is_empty()
    }
}

/// Per-tool tallies; `people` decides whether the tool may be shown (privacy).
#[derive(Default)]
struct ToolTally<'a> {
    commits: u64,
    line_commits: u64,
    lines: u64,
    people: HashSet<&'a str>,
}

/// A person is keyed by their roster key when the roster knows the email (the roster joins
/// several emails into one person), else by the email.
pub(crate) fn analyse(org: &Org<'_>, window: &Window) -> GitFigures {
    let config = org.config;
    let mut notes = Vec::new();
    let mut activity = Activity::default();
    let mut counted: Vec<Counted<'_>> = Vec::new();
    // Only counted: hash sets (which order nothing) rather than ordered ones.
    let mut repos: HashSet<&str> = HashSet::new();

    // The dataset may carry the baseline window's commits, or the whole history (for
    // trends): only the window's count here.
    // Every commit's tools, one after another (most commits have none or one).
    let mut all_tools: Vec<&str> = Vec::new();
    for (c, memo) in org.commits_in(window) {
        repos.insert(c.repo.as_ref());
        if c.is_merge {
            activity.merge_commits += 1;
            continue;
        }
        let person = match &c.author_class {
            IdentityClass::Bot => {
                activity.bot_commits += 1;
                continue;
            }
            IdentityClass::Person => {
                Some(memo.actor.map_or(c.author_key.as_ref(), |i| org.person(i)))
            }
            IdentityClass::AiAgent { .. } => None,
        };
        let start = all_tools.len();
        all_tools.extend(
            c.detections
                .iter()
                .filter(|d| d.kind == AiKind::Authored)
                .map(|d| d.tool.as_str()),
        );
        if let IdentityClass::AiAgent { tool } = &c.author_class {
            all_tools.push(tool.as_str());
        }
        if all_tools.len() - start > 1 {
            let mut mine = all_tools.split_off(start);
            mine.sort_unstable();
            mine.dedup();
            all_tools.append(&mut mine);
        }
        let tools = start..all_tools.len();
        if c.detections
            .iter()
            .any(|d| d.kind == AiKind::ReviewSuggestion)
        {
            activity.review_suggestion_commits += 1;
        }
        let added = memo.added;
        activity.lines_deleted += memo.deleted;
        activity.lines_added += added;
        counted.push(Counted {
            person,
            tools,
            added,
        });
    }

    let people: HashSet<&str> = counted.iter().filter_map(|c| c.person).collect();
    let ai_people: HashSet<&str> = counted
        .iter()
        .filter(|c| c.ai())
        .filter_map(|c| c.person)
        .collect();
    let mut tools: BTreeMap<&str, ToolTally<'_>> = BTreeMap::new();
    for c in &counted {
        for t in all_tools.get(c.tools.clone()).unwrap_or_default() {
            let tally = tools.entry(t).or_default();
            tally.commits += 1;
            tally.lines += c.added;
            if c.added > 0 {
                tally.line_commits += 1;
            }
            if let Some(p) = c.person {
                tally.people.insert(p);
            }
        }
    }

    // Principle 3: a breakdown derived from people shows only groups of at least
    // `min_group_size` people. A tool whose commits come from agents alone derives from
    // no person and is shown.
    let shown: BTreeMap<&str, &ToolTally<'_>> = tools
        .iter()
        .filter(|(_, t)| t.people.is_empty() || t.people.len() as u64 >= config.min_group_size)
        .map(|(k, v)| (*k, v))
        .collect();
    let suppressed = tools.len() - shown.len();
    if suppressed > 0 {
        notes.push(format!(
            "breakdowns by AI tool leave out {suppressed} tool(s) used by fewer than {} people (privacy.min_group_size)",
            config.min_group_size
        ));
    }

    activity.commits = counted.len() as u64;
    activity.active_developers = people.len() as u64;
    activity.ai_assisted_commits = counted.iter().filter(|c| c.ai()).count() as u64;
    activity.ai_by_tool = shown
        .iter()
        .map(|(k, t)| ((*k).to_string(), t.commits))
        .collect();
    activity.repos = repos.len() as u64;

    let in_window = activity.commits + activity.merge_commits + activity.bot_commits;
    let no_commits = || {
        if in_window == 0 {
            "no commits in window".to_string()
        } else {
            format!(
                "no commits by people or AI agents in window ({} bot commit(s) and {} merge(s) are not counted)",
                activity.bot_commits, activity.merge_commits
            )
        }
    };

    let total = activity.commits;
    let ai_assisted_commits = if total == 0 {
        Err(no_commits())
    } else {
        Ok(Figure {
            value: pct(activity.ai_assisted_commits, total),
            n: total,
            numerator: Some(activity.ai_assisted_commits as f64),
            denominator: Some(total as f64),
            breakdown: shown
                .iter()
                .map(|(k, t)| entry(k, pct(t.commits, total), t.commits))
                .collect(),
            notes: Vec::new(),
        })
    };

    let lines = activity.lines_added;
    let ai_lines: u64 = counted.iter().filter(|c| c.ai()).map(|c| c.added).sum();
    let ai_code_share = if total == 0 {
        Err(no_commits())
    } else if lines == 0 {
        Err("no lines added in window outside generated, vendored and lock files".to_string())
    } else {
        Ok(Figure {
            value: pct(ai_lines, lines),
            n: counted.iter().filter(|c| c.added > 0).count() as u64,
            numerator: Some(ai_lines as f64),
            denominator: Some(lines as f64),
            breakdown: shown
                .iter()
                .map(|(k, t)| entry(k, pct(t.lines, lines), t.line_commits))
                .collect(),
            notes: Vec::new(),
        })
    };

    let devs = people.len() as u64;
    let active_ai_users = if total == 0 {
        Err(no_commits())
    } else if devs == 0 {
        Err("no commits by people in window (only AI agents committed)".to_string())
    } else {
        Ok(Figure {
            value: pct(ai_people.len() as u64, devs),
            n: devs,
            numerator: Some(ai_people.len() as f64),
            denominator: Some(devs as f64),
            breakdown: shown
                .iter()
                .filter(|(_, t)| !t.people.is_empty())
                .map(|(k, t)| {
                    let users = t.people.len() as u64;
                    entry(k, pct(users, devs), users)
                })
                .collect(),
            notes: Vec::new(),
        })
    };

    GitFigures {
        activity,
        ai_assisted_commits,
        ai_code_share,
        active_ai_users,
        notes,
    }
}

fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn entry(key: &str, value: f64, n: u64) -> (String, BreakdownEntry) {
    (key.to_string(), BreakdownEntry { value, n })
}
