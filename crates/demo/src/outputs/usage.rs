//! ai-usage (per person per working day after the team's rollout) and the organisation's
//! Copilot metrics report, derived from the same daily figures so that the two agree.

use super::csv::{Ndjson, write_json};
use crate::DemoError;
use crate::calendar::{DAY, END, date, weekday};
use crate::org::{Person, Seat, Stack, Team, Tool};
use crate::plan::{Author, Plan};
use crate::rng::{Rng, fnv};
use crate::story::{Phase, TeamStory};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One person's use of one tool and capability on one day.
pub struct Day {
    pub day: i64,
    pub person: usize,
    pub tool: &'static str,
    pub capability: &'static str,
    pub suggestions: u64,
    pub acceptances: u64,
    pub lines_suggested: u64,
    pub lines_accepted: u64,
}

/// Days of the Copilot metrics report (the API returns up to 100; the demo gives 56).
const COPILOT_DAYS: i64 = 56;

pub fn ai_usage(seed: u64, teams: &[Team], people: &[Person]) -> Vec<Day> {
    let mut out = Vec::new();
    for (p, person) in people.iter().enumerate() {
        let spec = &teams[person.team];
        let story = TeamStory::of(spec);
        let mut rng = Rng::new(seed, &format!("usage/{}", person.login));
        let mut day = story.rollout;
        while day < END {
            let t = day;
            day += DAY;
            if weekday(t, 0) >= 5 || !person.employed(t) {
                continue;
            }
            let months = story.months_since_rollout(t).unwrap_or(0.0);
            let ramp = (months / 6.0).min(1.0);
            let active = (0.45 + 0.45 * ramp) * person.ai_propensity.clamp(0.3, 1.1);
            if !rng.chance(active) {
                continue;
            }
            let governed = story.phase(t) == Phase::Governed;
            // Completions in the IDE (every team has Copilot seats).
            let suggestions = rng.lognormal(60.0, 0.5).round() as u64 + 1;
            let rate = if governed { 0.31 } else { 0.27 } + rng.uniform(-0.05, 0.05);
            let acceptances = (suggestions as f64 * rate).round() as u64;
            let lines_suggested = (suggestions as f64 * rng.uniform(1.5, 3.0)).round() as u64;
            let lines_accepted = (acceptances as f64 * rng.uniform(1.4, 2.4)).round() as u64;
            out.push(Day {
                day: t,
                person: p,
                tool: "copilot",
                capability: "completion",
                suggestions,
                acceptances,
                lines_suggested,
                lines_accepted: lines_accepted.min(lines_suggested),
            });
            if rng.chance(0.35) {
                let chats = rng.int(2, 18) as u64;
                out.push(Day {
                    day: t,
                    person: p,
                    tool: "copilot",
                    capability: "chat",
                    suggestions: chats,
                    acceptances: (chats as f64 * rng.uniform(0.2, 0.6)).round() as u64,
                    lines_suggested: chats * rng.int(5, 20) as u64,
                    lines_accepted: chats * rng.int(1, 6) as u64,
                });
            }
            if governed && rng.chance(0.4) {
                let comments = rng.int(1, 8) as u64;
                out.push(Day {
                    day: t,
                    person: p,
                    tool: "copilot",
                    capability: "review",
                    suggestions: comments,
                    acceptances: rng.int(0, comments as i64) as u64,
                    lines_suggested: comments * 3,
                    lines_accepted: rng.int(0, comments as i64 * 3) as u64,
                });
            }
            // The team's agents.
            let mut agents: Vec<Tool> = spec
                .tools
                .iter()
                .map(|(t, _)| *t)
                .filter(|t| !matches!(t, Tool::CopilotAssistant))
                .collect();
            agents.dedup();
            for tool in agents {
                let p_use = match tool {
                    Tool::ClaudeCode => 0.6,
                    Tool::Cursor => 0.65,
                    Tool::CopilotAgent => 0.2,
                    Tool::Codex | Tool::Aider => 0.35,
                    Tool::CopilotAssistant => 0.0,
                };
                if !rng.chance(p_use * person.ai_propensity.min(1.0)) {
                    continue;
                }
                let edits = rng.int(4, 40) as u64;
                let lines = (rng.lognormal(180.0, 0.7)).round() as u64 + 10;
                out.push(Day {
                    day: t,
                    person: p,
                    tool: tool.usage_tool(),
                    capability: "agent",
                    suggestions: edits,
                    acceptances: (edits as f64 * rng.uniform(0.55, 0.85)).round() as u64,
                    lines_suggested: lines,
                    lines_accepted: (lines as f64 * rng.uniform(0.6, 0.9)).round() as u64,
                });
                if tool == Tool::Cursor {
                    let s = rng.lognormal(80.0, 0.5).round() as u64 + 1;
                    out.push(Day {
                        day: t,
                        person: p,
                        tool: "cursor",
                        capability: "completion",
                        suggestions: s,
                        acceptances: (s as f64 * rng.uniform(0.3, 0.45)).round() as u64,
                        lines_suggested: s * 2,
                        lines_accepted: (s as f64 * rng.uniform(0.4, 0.8)).round() as u64,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (a.day, a.person, a.tool, a.capability).cmp(&(b.day, b.person, b.tool, b.capability))
    });
    out
}

#[derive(Serialize)]
struct UsageRow<'a> {
    date: String,
    person: &'a str,
    tool: &'a str,
    capability: &'a str,
    active: u64,
    suggestions: u64,
    acceptances: u64,
    lines_suggested: u64,
    lines_accepted: u64,
}

pub fn write_usage(path: &Path, days: &[Day], people: &[Person]) -> Result<usize, DemoError> {
    let mut out = Ndjson::create(path)?;
    for d in days {
        out.row(
            &UsageRow {
                date: date(d.day),
                person: people[d.person].email(),
                tool: d.tool,
                capability: d.capability,
                active: 1,
                suggestions: d.suggestions,
                acceptances: d.acceptances,
                lines_suggested: d.lines_suggested,
                lines_accepted: d.lines_accepted,
            },
            path,
        )?;
    }
    out.finish()
}

#[derive(Serialize)]
struct CopilotDay {
    date: String,
    total_active_users: u64,
    total_engaged_users: u64,
    copilot_ide_code_completions: Completions,
    copilot_ide_chat: IdeChat,
    copilot_dotcom_chat: DotcomChat,
    copilot_dotcom_pull_requests: DotcomPrs,
}

#[derive(Serialize)]
struct Completions {
    total_engaged_users: u64,
    languages: Vec<LanguageUsers>,
    editors: Vec<CompletionEditor>,
}

#[derive(Serialize)]
struct LanguageUsers {
    name: String,
    total_engaged_users: u64,
}

#[derive(Serialize)]
struct CompletionEditor {
    name: String,
    total_engaged_users: u64,
    models: Vec<CompletionModel>,
}

#[derive(Serialize)]
struct CompletionModel {
    name: &'static str,
    is_custom_model: bool,
    custom_model_training_date: Option<String>,
    total_engaged_users: u64,
    languages: Vec<LanguageStats>,
}

#[derive(Serialize, Default)]
struct LanguageStats {
    name: String,
    total_engaged_users: u64,
    total_code_suggestions: u64,
    total_code_acceptances: u64,
    total_code_lines_suggested: u64,
    total_code_lines_accepted: u64,
}

#[derive(Serialize)]
struct IdeChat {
    total_engaged_users: u64,
    editors: Vec<ChatEditor>,
}

#[derive(Serialize)]
struct ChatEditor {
    name: String,
    total_engaged_users: u64,
    models: Vec<ChatModel>,
}

#[derive(Serialize)]
struct ChatModel {
    name: &'static str,
    is_custom_model: bool,
    custom_model_training_date: Option<String>,
    total_engaged_users: u64,
    total_chats: u64,
    total_chat_insertion_events: u64,
    total_chat_copy_events: u64,
}

#[derive(Serialize)]
struct DotcomChat {
    total_engaged_users: u64,
    models: Vec<DotcomChatModel>,
}

#[derive(Serialize)]
struct DotcomChatModel {
    name: &'static str,
    is_custom_model: bool,
    custom_model_training_date: Option<String>,
    total_engaged_users: u64,
    total_chats: u64,
}

#[derive(Serialize)]
struct DotcomPrs {
    total_engaged_users: u64,
    repositories: Vec<PrRepo>,
}

#[derive(Serialize)]
struct PrRepo {
    name: String,
    total_engaged_users: u64,
    models: Vec<PrModel>,
}

#[derive(Serialize)]
struct PrModel {
    name: &'static str,
    is_custom_model: bool,
    custom_model_training_date: Option<String>,
    total_pr_summaries_created: u64,
    total_engaged_users: u64,
}

/// One language's completions in one editor, with the people who used them.
type EditorLanguage = (String, LanguageStats, Vec<usize>);

/// The editor a person works in, stable per person.
fn editor(person: &Person) -> &'static str {
    match fnv(person.login.as_bytes()) % 10 {
        0..=5 => "vscode",
        6..=8 => "jetbrains",
        _ => "neovim",
    }
}

fn language(teams: &[Team], person: &Person) -> &'static str {
    match teams[person.team].stack {
        Stack::TypeScript => "typescript",
        Stack::Go => "go",
    }
}

/// The GitHub Copilot metrics API array for the last days of the history.
pub fn copilot_metrics(
    path: &Path,
    days: &[Day],
    teams: &[Team],
    people: &[Person],
    plan: &Plan,
) -> Result<usize, DemoError> {
    let first = END - COPILOT_DAYS * DAY;
    let copilot_seated = |p: &Person, t: i64| {
        teams[p.team].seats.contains(&Seat::Copilot) && t >= teams[p.team].rollout_at()
    };
    let mut report = Vec::new();
    let mut day = first;
    while day < END {
        let todays: Vec<&Day> = days
            .iter()
            .filter(|d| d.day == day && d.tool == "copilot")
            .collect();
        // Completions by editor and language (a share of each day's lines is Markdown).
        let mut stats: BTreeMap<(&str, &str), (LanguageStats, Vec<usize>)> = BTreeMap::new();
        let mut chat: BTreeMap<&str, (u64, u64, u64, Vec<usize>)> = BTreeMap::new();
        let mut active: Vec<usize> = Vec::new();
        for d in &todays {
            let person = &people[d.person];
            active.push(d.person);
            let ed = editor(person);
            match d.capability {
                "completion" => {
                    let md = d.suggestions * 15 / 100;
                    for (lang, share_num, suggestions) in [
                        (language(teams, person), 85, d.suggestions - md),
                        ("markdown", 15, md),
                    ] {
                        if suggestions == 0 {
                            continue;
                        }
                        let e = stats.entry((ed, lang)).or_default();
                        e.0.total_code_suggestions += suggestions;
                        e.0.total_code_acceptances += d.acceptances * share_num / 100;
                        e.0.total_code_lines_suggested += d.lines_suggested * share_num / 100;
                        e.0.total_code_lines_accepted += d.lines_accepted * share_num / 100;
                        e.1.push(d.person);
                    }
                }
                "chat" => {
                    let e = chat.entry(ed).or_default();
                    e.0 += d.suggestions;
                    e.1 += d.acceptances;
                    e.2 += d.suggestions / 3;
                    e.3.push(d.person);
                }
                _ => {}
            }
        }
        active.sort_unstable();
        active.dedup();
        let mut completion_users: Vec<usize> = stats
            .values()
            .flat_map(|(_, u)| u.iter().copied())
            .collect();
        completion_users.sort_unstable();
        completion_users.dedup();
        let mut chat_users: Vec<usize> = chat.values().flat_map(|c| c.3.iter().copied()).collect();
        chat_users.sort_unstable();
        chat_users.dedup();

        let mut languages: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut editors: BTreeMap<&str, Vec<EditorLanguage>> = BTreeMap::new();
        for ((ed, lang), (mut s, mut users)) in stats {
            users.sort_unstable();
            users.dedup();
            languages
                .entry(lang)
                .or_default()
                .extend(users.iter().copied());
            s.name = lang.to_string();
            s.total_engaged_users = users.len() as u64;
            editors
                .entry(ed)
                .or_default()
                .push((lang.to_string(), s, users));
        }
        let completion_editors = editors
            .into_iter()
            .map(|(ed, langs)| {
                let mut users: Vec<usize> =
                    langs.iter().flat_map(|l| l.2.iter().copied()).collect();
                users.sort_unstable();
                users.dedup();
                CompletionEditor {
                    name: ed.to_string(),
                    total_engaged_users: users.len() as u64,
                    models: vec![CompletionModel {
                        name: "default",
                        is_custom_model: false,
                        custom_model_training_date: None,
                        total_engaged_users: users.len() as u64,
                        languages: langs.into_iter().map(|l| l.1).collect(),
                    }],
                }
            })
            .collect();
        let chat_editors = chat
            .into_iter()
            .map(|(ed, (chats, inserts, copies, mut users))| {
                users.sort_unstable();
                users.dedup();
                ChatEditor {
                    name: ed.to_string(),
                    total_engaged_users: users.len() as u64,
                    models: vec![ChatModel {
                        name: "default",
                        is_custom_model: false,
                        custom_model_training_date: None,
                        total_engaged_users: users.len() as u64,
                        total_chats: chats,
                        total_chat_insertion_events: inserts,
                        total_chat_copy_events: copies,
                    }],
                }
            })
            .collect();
        // PR summaries on github.com: a third of the PRs opened that day by seated people.
        let mut repos = Vec::new();
        let mut pr_users: Vec<usize> = Vec::new();
        for (t, tp) in plan.teams.iter().enumerate() {
            let mut authors: Vec<usize> = tp
                .prs
                .iter()
                .filter(|pr| pr.created >= day && pr.created < day + DAY && pr.number % 3 == 0)
                .filter_map(|pr| match pr.author {
                    Author::Person(p) if copilot_seated(&people[p], day) => Some(p),
                    _ => None,
                })
                .collect();
            if authors.is_empty() {
                continue;
            }
            let summaries = authors.len() as u64;
            authors.sort_unstable();
            authors.dedup();
            pr_users.extend(authors.iter().copied());
            repos.push(PrRepo {
                name: teams[t].repo(),
                total_engaged_users: authors.len() as u64,
                models: vec![PrModel {
                    name: "default",
                    is_custom_model: false,
                    custom_model_training_date: None,
                    total_pr_summaries_created: summaries,
                    total_engaged_users: authors.len() as u64,
                }],
            });
        }
        pr_users.sort_unstable();
        pr_users.dedup();
        let dotcom_chat_users = chat_users.len() as u64 / 4;
        let mut engaged: Vec<usize> = completion_users
            .iter()
            .chain(&chat_users)
            .chain(&pr_users)
            .copied()
            .collect();
        engaged.sort_unstable();
        engaged.dedup();
        report.push(CopilotDay {
            date: date(day),
            total_active_users: active.len().max(engaged.len()) as u64,
            total_engaged_users: engaged.len() as u64,
            copilot_ide_code_completions: Completions {
                total_engaged_users: completion_users.len() as u64,
                languages: languages
                    .into_iter()
                    .map(|(name, mut users)| {
                        users.sort_unstable();
                        users.dedup();
                        LanguageUsers {
                            name: name.to_string(),
                            total_engaged_users: users.len() as u64,
                        }
                    })
                    .collect(),
                editors: completion_editors,
            },
            copilot_ide_chat: IdeChat {
                total_engaged_users: chat_users.len() as u64,
                editors: chat_editors,
            },
            copilot_dotcom_chat: DotcomChat {
                total_engaged_users: dotcom_chat_users,
                models: if dotcom_chat_users > 0 {
                    vec![DotcomChatModel {
                        name: "default",
                        is_custom_model: false,
                        custom_model_training_date: None,
                        total_engaged_users: dotcom_chat_users,
                        total_chats: dotcom_chat_users * 3,
                    }]
                } else {
                    Vec::new()
                },
            },
            copilot_dotcom_pull_requests: DotcomPrs {
                total_engaged_users: pr_users.len() as u64,
                repositories: repos,
            },
        });
        day += DAY;
    }
    let n = report.len();
    write_json(path, &report)?;
    Ok(n)
}
