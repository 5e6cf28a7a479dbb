//! Adoption beyond git signatures: AI users from usage telemetry, AI-assisted pull
//! requests, the AI-tool satisfaction survey and usage per capability.
//!
//! Decisions:
//!
//! - **AI user.** With per-person usage telemetry, an active developer (a non-merge commit
//!   or a pull request opened or merged in the window) is an AI user when a telemetry row
//!   of theirs in the window shows use (`active > 0`; a row without `active` counts when
//!   it has suggestions or acceptances) *or* they made an AI-assisted commit (the git
//!   rule). Telemetry rarely covers every tool, so a commit signed by an agent the
//!   telemetry does not know still counts. Without per-person telemetry the git figure
//!   stands. A note says which rule was used.
//! - **AI-assisted pull request.** A merged pull request whose linked commits include an
//!   AI-assisted one, or with a label carrying an AI word (`ai-assisted`, `copilot`,
//!   `claude`…: see `AI_LABEL_TOKENS`), or with any body marker. The metrics do not
//!   depend on the provenance catalogue: importers already record body markers, and label
//!   words are matched whole. Pull requests by non-AI bots that carry no AI evidence
//!   (dependabot, renovate) are left out of both sides, as in the commit share.
//! - **Satisfaction.** Favourable = 4 or 5 on the 1–5 scale, over the answers dated in the
//!   window; per-team shares are shown only for teams with at least `min_group_size`
//!   answers.
//! - **Capabilities.** Per capability, the distinct people with use in the window (from
//!   person rows), or — for capabilities only team or organisation rows describe (Copilot
//!   metrics) — the highest daily sum of `active`. The value is the distinct people across
//!   capabilities (or, without person rows, the highest daily sum overall). Acceptance rate
//!   = acceptances / suggestions over every row of the capability.

use crate::adoption::Figure;
use crate::org::Org;
use crate::stats::{entry, pct, share};
use crate::{BreakdownEntry, Window};
use plumb_model::records::{AiUsage, Capability, UsageSubject};
use plumb_model::{AiKind, IdentityClass};
use std::collections::BTreeMap;

/// Whether a usage row shows use.
pub(crate) fn used(u: &AiUsage) -> bool {
    match u.active {
        Some(a) => a > 0,
        None => u.suggestions.unwrap_or(0) > 0 || u.acceptances.unwrap_or(0) > 0,
    }
}

/// The highest of daily sums, given the days in order.
#[derive(Default)]
struct DailyMax {
    /// The day being summed, and its sum so far.
    day: Option<(jiff::civil::Date, u64)>,
    /// The highest sum of the days before it.
    before: u64,
}

impl DailyMax {
    fn add(&mut self, date: jiff::civil::Date, n: u64) {
        match &mut self.day {
            Some((day, sum)) if *day == date => *sum += n,
            _ => {
                self.before = self.max();
                self.day = Some((date, n));
            }
        }
    }

    /// 0 without days.
    fn max(&self) -> u64 {
        self.day
            .map_or(self.before, |(_, sum)| sum.max(self.before))
    }
}

/// Per person of [`Org::people`]: authored an AI-assisted non-merge commit in the window
/// (an authored detection).
fn git_ai_people(org: &Org<'_>, w: &Window) -> Vec<bool> {
    org.person_flags(
        org.commits_in(w)
            .filter(|(c, _)| !c.is_merge)
            .filter(|(c, _)| c.author_class == IdentityClass::Person)
            .filter(|(c, _)| c.detections.iter().any(|d| d.kind == AiKind::Authored))
            .filter_map(|(_, m)| m.actor),
    )
}

pub(crate) fn active_ai_users(
    org: &Org<'_>,
    w: &Window,
    git: &Result<Figure, String>,
) -> Result<Figure, String> {
    let has_person_rows = org
        .data
        .records
        .ai_usage
        .iter()
        .any(|u| matches!(u.who, UsageSubject::Person(_)));
    if !has_person_rows {
        return git.clone().map(|mut f| {
            f.notes.push(
                "AI users counted from git signatures (≥ 1 AI-assisted commit): no per-person AI usage telemetry is imported".to_string(),
            );
            f
        });
    }
    // Per person of `org.people`, only counted.
    let active = org.active_people(w);
    let devs = active.iter().filter(|a| **a).count() as u64;
    if devs == 0 {
        return Err(
            "no active developers in window (no commit or pull request by a person)".to_string(),
        );
    }
    let telemetry = org.person_flags(org.usage_users_in(w));
    let git_people = git_ai_people(org, w);
    let (mut via_telemetry, mut via_git, mut users) = (0u64, 0u64, 0u64);
    for ((&a, &t), &g) in active.iter().zip(&telemetry).zip(&git_people) {
        if a {
            via_telemetry += u64::from(t);
            via_git += u64::from(g);
            users += u64::from(t || g);
        }
    }
    let mut f = share(users, devs, String::new)?;
    let min = org.config.min_group_size;
    let mut suppressed = 0;
    for (key, n) in [
        ("usage telemetry", via_telemetry),
        ("git signatures", via_git),
    ] {
        if n >= min {
            f.breakdown
                .insert(key.to_string(), entry(pct(n as f64, devs as f64), n));
        } else if n > 0 {
            suppressed += 1;
        }
    }
    f.notes.push(
        "AI users counted from AI usage telemetry (use in the window) or an AI-assisted commit; active developers are people with a commit or pull request in the window".to_string(),
    );
    if suppressed > 0 {
        f.notes.push(format!(
            "{suppressed} breakdown group(s) with fewer than {min} people left out (privacy.min_group_size)"
        ));
    }
    Ok(f)
}

pub(crate) fn ai_assisted_prs(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let merged: Vec<_> = org
        .prs_merged_in(w)
        .filter(|p| p.author.is_some() || p.ai.any() || p.rec.author.trim().is_empty())
        .collect();
    let total = merged.len() as u64;
    let ai = merged.iter().filter(|p| p.ai.any()).count() as u64;
    let mut f = share(ai, total, || {
        "no pull requests merged in window".to_string()
    })?;
    let count = |pred: &dyn Fn(&crate::org::PrAi) -> bool| {
        merged.iter().filter(|p| pred(&p.ai)).count() as u64
    };
    for (key, n) in [
        ("AI-assisted commits", count(&|a| a.commits)),
        ("AI label", count(&|a| a.label)),
        ("body marker", count(&|a| a.marker)),
    ] {
        f.breakdown
            .insert(key.to_string(), entry(pct(n as f64, total as f64), n));
    }
    if org.data.graph.is_empty() {
        f.notes.push(
            "no git history is stored: pull requests are AI-assisted only by label or body marker"
                .to_string(),
        );
    }
    Ok(f)
}

/// The favourable share (4–5) of a survey question's answers in the window.
pub(crate) fn survey(org: &Org<'_>, w: &Window, question: &str) -> Result<Figure, String> {
    let answers: Vec<_> = org
        .data
        .records
        .survey
        .iter()
        .filter(|s| w.contains_date(s.date) && s.question.trim().eq_ignore_ascii_case(question))
        .collect();
    let favourable = answers.iter().filter(|s| s.score >= 4).count() as u64;
    let mut f = share(favourable, answers.len() as u64, || {
        format!("no answers to the survey question `{question}` in window")
    })?;
    let mut teams: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for a in &answers {
        let t = teams.entry(a.team.trim()).or_default();
        t.1 += 1;
        if a.score >= 4 {
            t.0 += 1;
        }
    }
    let min = org.config.min_group_size;
    let mut suppressed = 0;
    for (team, (fav, all)) in teams {
        if team.is_empty() {
            continue;
        }
        if all >= min {
            f.breakdown.insert(
                format!("team {team}"),
                entry(pct(fav as f64, all as f64), all),
            );
        } else {
            suppressed += 1;
        }
    }
    if suppressed > 0 {
        f.notes.push(format!(
            "{suppressed} team(s) with fewer than {min} answers left out of the breakdown (privacy.min_group_size)"
        ));
    }
    Ok(f)
}

pub(crate) fn capability_usage(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    // By day (`usage_in` gives the rows in day order).
    let mut rows = org.usage_in(w).peekable();
    if rows.peek().is_none() {
        return Err("no AI usage telemetry in window".to_string());
    }
    #[derive(Default)]
    struct Cap {
        /// Per person of [`Org::people`]: used the capability.
        people: Vec<bool>,
        person_rows: bool,
        /// The summed `active` of team and organisation rows, per day.
        daily: DailyMax,
        suggestions: u64,
        acceptances: u64,
    }
    // Per capability, in `Capability::ALL`'s (and so the breakdown's) order.
    let mut caps: Vec<Option<Cap>> = Capability::ALL.iter().map(|_| None).collect();
    let mut everyone: Vec<bool> = vec![false; org.people.len()];
    let mark = |set: &mut Vec<bool>, k: u32| {
        if let Some(slot) = set.get_mut(k as usize) {
            *slot = true;
        } else {
            set.resize(k as usize + 1, false);
            set[k as usize] = true;
        }
    };
    let count = |set: &[bool]| set.iter().filter(|x| **x).count() as u64;
    let mut daily_all = DailyMax::default();
    for (u, actor) in rows {
        let Some(c) = caps.get_mut(u.capability as usize) else {
            continue;
        };
        let c = c.get_or_insert_with(Cap::default);
        c.suggestions += u.suggestions.unwrap_or(0);
        c.acceptances += u.acceptances.unwrap_or(0);
        match &u.who {
            UsageSubject::Person(_) => {
                c.person_rows = true;
                if used(u)
                    && let Some(k) = actor
                {
                    mark(&mut c.people, k);
                    mark(&mut everyone, k);
                }
            }
            UsageSubject::Team(_) | UsageSubject::Org => {
                let a = u.active.unwrap_or(0);
                c.daily.add(u.date, a);
                daily_all.add(u.date, a);
            }
        }
    }
    let caps = Capability::ALL
        .iter()
        .zip(&caps)
        .filter_map(|(cap, c)| Some((cap, c.as_ref()?)));
    let min = org.config.min_group_size;
    let mut breakdown: BTreeMap<String, BreakdownEntry> = BTreeMap::new();
    let mut suppressed = 0;
    for (cap, c) in caps {
        let (users, from_people) = if c.person_rows {
            (count(&c.people), true)
        } else {
            (c.daily.max(), false)
        };
        if from_people && users < min {
            suppressed += 1;
            continue;
        }
        breakdown.insert(format!("{cap} users"), entry(users as f64, users));
        if c.suggestions > 0 {
            breakdown.insert(
                format!("{cap} acceptance %"),
                entry(
                    pct(c.acceptances as f64, c.suggestions as f64),
                    c.suggestions,
                ),
            );
        }
    }
    // No person with use (`everyone` has a slot per known person, used or not): the team
    // and organisation telemetry's daily sums give the value.
    let people_with_use = count(&everyone);
    let (value, rule) = if people_with_use == 0 {
        (
            daily_all.max(),
            "the highest daily sum of active users of team and organisation telemetry",
        )
    } else {
        (
            people_with_use,
            "distinct people with AI use in the window, across capabilities",
        )
    };
    let mut notes = vec![format!(
        "the value is {rule}; the breakdown gives users and the suggestion acceptance rate (%) per capability"
    )];
    if suppressed > 0 {
        notes.push(format!(
            "{suppressed} capability(ies) used by fewer than {min} people left out (privacy.min_group_size)"
        ));
    }
    Ok(Figure {
        value: value as f64,
        n: value,
        numerator: None,
        denominator: None,
        breakdown,
        notes,
    })
}
