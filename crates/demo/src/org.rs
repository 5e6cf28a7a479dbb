//! The organisation: six teams with fixed designs (size, language, tools, rollout and
//! governance dates — the story) and a roster drawn from the seed (names, levels within
//! each team's mix, career starts, second emails, AI propensity).

use crate::calendar::{DAY, START, at};
use crate::rng::Rng;

/// The programming language a repository is mostly written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stack {
    TypeScript,
    Go,
}

/// A tool that leaves a signature in commits (ai-signatures.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tool {
    ClaudeCode,
    CopilotAgent,
    CopilotAssistant,
    Cursor,
    Aider,
    Codex,
}

impl Tool {
    /// The tool id of the signature catalogue.
    pub fn id(self) -> &'static str {
        match self {
            Tool::ClaudeCode => "claude-code",
            Tool::CopilotAgent => "copilot-agent",
            Tool::CopilotAssistant => "copilot-assistant",
            Tool::Cursor => "cursor",
            Tool::Aider => "aider",
            Tool::Codex => "codex",
        }
    }

    /// The tool name in usage telemetry (ai-usage `tool`).
    pub fn usage_tool(self) -> &'static str {
        match self {
            Tool::ClaudeCode => "claude-code",
            Tool::CopilotAgent | Tool::CopilotAssistant => "copilot",
            Tool::Cursor => "cursor",
            Tool::Aider => "aider",
            Tool::Codex => "codex",
        }
    }

    /// The branch prefix agent sessions of this tool use, when they use one.
    pub fn branch_prefix(self) -> Option<&'static str> {
        match self {
            Tool::ClaudeCode => Some("claude/"),
            Tool::CopilotAgent => Some("copilot/"),
            Tool::Cursor => Some("cursor/"),
            Tool::Codex => Some("codex/"),
            Tool::CopilotAssistant | Tool::Aider => None,
        }
    }
}

/// Paid AI subscriptions (costs.csv `ai_tool` lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    Copilot,
    Claude,
    Cursor,
    ChatGpt,
}

impl Seat {
    pub fn item(self) -> &'static str {
        match self {
            Seat::Copilot => "GitHub Copilot Business",
            Seat::Claude => "Claude Code (Team)",
            Seat::Cursor => "Cursor Business",
            Seat::ChatGpt => "ChatGPT Business (Codex)",
        }
    }

    /// Monthly price per seat in USD.
    pub fn price(self) -> f64 {
        match self {
            Seat::Copilot => 19.0,
            Seat::Claude => 30.0,
            Seat::Cursor => 40.0,
            Seat::ChatGpt => 30.0,
        }
    }

    pub const ALL: [Seat; 4] = [Seat::Copilot, Seat::Claude, Seat::Cursor, Seat::ChatGpt];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Junior,
    Mid,
    Senior,
    Staff,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Mid => "mid",
            Level::Senior => "senior",
            Level::Staff => "staff",
        }
    }
}

/// One team's fixed design.
pub struct TeamSpec {
    pub name: &'static str,
    /// Work-item key prefix.
    pub key: &'static str,
    pub stack: Stack,
    pub size: usize,
    /// Minutes east of UTC where the team works.
    pub offset_min: i32,
    pub rollout: (i64, u32, u32),
    pub governance: (i64, u32, u32),
    /// Signing tools and how often each is the one used on an AI-assisted change.
    pub tools: &'static [(Tool, f64)],
    pub seats: &'static [Seat],
    pub profile: &'static str,
    pub has_auth: bool,
    pub has_ui: bool,
    pub has_migrations: bool,
    /// Domain folders under `src/` (besides `api` and `auth`).
    pub domains: &'static [&'static str],
    /// Domain nouns for names and code.
    pub nouns: &'static [&'static str],
}

impl TeamSpec {
    pub fn rollout_at(&self) -> i64 {
        at(self.rollout.0, self.rollout.1, self.rollout.2)
    }

    pub fn governance_at(&self) -> i64 {
        at(self.governance.0, self.governance.1, self.governance.2)
    }
}

/// One team of the generated organisation: a design of [`TEAMS`] and the copy it belongs
/// to. `plumb demo --scale N` makes N copies of the six teams; copy 1 is the organisation
/// as designed (`payments`, `PAY`), copy `c` > 1 repeats every team under its own name,
/// key prefix and repository (`payments-2`, `PAY2`, `acme/payments-2-service`) with the
/// same stack, tools and story dates, so that the planted story holds in every copy.
///
/// It dereferences to its design, so `team.stack`, `team.tools` … read the design; its
/// name, key and the names built from them are the copy's own.
pub struct Team {
    pub spec: &'static TeamSpec,
    /// Index of the design in [`TEAMS`].
    pub base: usize,
    /// 1 for the designed organisation, 2… for the copies.
    pub copy: u32,
    pub name: String,
    /// Work-item key prefix.
    pub key: String,
}

impl std::ops::Deref for Team {
    type Target = TeamSpec;

    fn deref(&self) -> &TeamSpec {
        self.spec
    }
}

impl Team {
    pub fn repo(&self) -> String {
        format!("{}-service", self.name)
    }

    pub fn full_repo(&self) -> String {
        format!("acme/{}-service", self.name)
    }

    pub fn service(&self) -> String {
        format!("{}-service", self.name)
    }

    /// What the copy adds to names shared by a copy's teams (`""` for copy 1, `-2` …).
    pub fn suffix(&self) -> String {
        copy_suffix(self.copy)
    }
}

/// `""` for copy 1, `-c` for copy `c`.
pub fn copy_suffix(copy: u32) -> String {
    if copy <= 1 {
        String::new()
    } else {
        format!("-{copy}")
    }
}

/// The teams of an organisation of `scale` copies (at least one), copy by copy in
/// [`TEAMS`] order: team `t` is design `t % 6` of copy `t / 6 + 1`.
pub fn teams(scale: u32) -> Vec<Team> {
    let mut out = Vec::with_capacity(scale.max(1) as usize * TEAMS.len());
    for copy in 1..=scale.max(1) {
        for (base, spec) in TEAMS.iter().enumerate() {
            let (name, key) = if copy == 1 {
                (spec.name.to_string(), spec.key.to_string())
            } else {
                (
                    format!("{}-{copy}", spec.name),
                    format!("{}{copy}", spec.key),
                )
            };
            out.push(Team {
                spec,
                base,
                copy,
                name,
                key,
            });
        }
    }
    out
}

pub const TEAMS: [TeamSpec; 6] = [
    TeamSpec {
        name: "payments",
        key: "PAY",
        stack: Stack::TypeScript,
        size: 9,
        offset_min: 60,
        rollout: (2025, 11, 3),
        governance: (2026, 3, 2),
        tools: &[(Tool::ClaudeCode, 1.0)],
        seats: &[Seat::Copilot, Seat::Claude],
        profile: "fintech",
        has_auth: true,
        has_ui: false,
        has_migrations: true,
        domains: &["refunds", "ledger", "payouts"],
        nouns: &[
            "refund",
            "ledger",
            "payout",
            "invoice",
            "charge",
            "settlement",
            "dispute",
            "fee",
            "currency",
            "balance",
        ],
    },
    TeamSpec {
        name: "checkout",
        key: "CHK",
        stack: Stack::TypeScript,
        size: 8,
        offset_min: 60,
        rollout: (2025, 12, 1),
        governance: (2026, 3, 16),
        tools: &[(Tool::ClaudeCode, 0.7), (Tool::CopilotAgent, 0.3)],
        seats: &[Seat::Copilot, Seat::Claude],
        profile: "saas",
        has_auth: false,
        has_ui: true,
        has_migrations: true,
        domains: &["cart", "pricing", "shipping"],
        nouns: &[
            "cart", "basket", "coupon", "price", "shipping", "address", "tax", "order", "promo",
            "voucher",
        ],
    },
    TeamSpec {
        name: "platform",
        key: "PLAT",
        stack: Stack::Go,
        size: 10,
        offset_min: 0,
        rollout: (2026, 1, 12),
        governance: (2026, 4, 6),
        tools: &[(Tool::ClaudeCode, 0.6), (Tool::Codex, 0.4)],
        seats: &[Seat::Copilot, Seat::Claude, Seat::ChatGpt],
        profile: "saas",
        has_auth: true,
        has_ui: false,
        has_migrations: false,
        domains: &["queue", "storage", "telemetry"],
        nouns: &[
            "queue", "worker", "bucket", "lease", "metric", "tenant", "quota", "shard", "token",
            "cache",
        ],
    },
    TeamSpec {
        name: "mobile",
        key: "MOB",
        stack: Stack::TypeScript,
        size: 7,
        offset_min: -300,
        rollout: (2026, 2, 2),
        governance: (2026, 5, 4),
        tools: &[(Tool::CopilotAssistant, 0.7), (Tool::CopilotAgent, 0.3)],
        seats: &[Seat::Copilot],
        profile: "consumer",
        has_auth: false,
        has_ui: true,
        has_migrations: false,
        domains: &["notifications", "onboarding", "offline"],
        nouns: &[
            "screen",
            "push",
            "badge",
            "session",
            "device",
            "onboarding",
            "sync",
            "draft",
            "gesture",
            "deeplink",
        ],
    },
    TeamSpec {
        name: "search",
        key: "SRCH",
        stack: Stack::Go,
        size: 6,
        offset_min: 330,
        rollout: (2026, 3, 2),
        governance: (2026, 5, 18),
        tools: &[(Tool::Cursor, 0.7), (Tool::Aider, 0.3)],
        seats: &[Seat::Copilot, Seat::Cursor],
        profile: "saas",
        has_auth: false,
        has_ui: true,
        has_migrations: true,
        domains: &["index", "ranking", "query"],
        nouns: &[
            "index",
            "ranker",
            "query",
            "facet",
            "synonym",
            "shard",
            "snippet",
            "filter",
            "suggestion",
            "score",
        ],
    },
    TeamSpec {
        name: "growth",
        key: "GRW",
        stack: Stack::TypeScript,
        size: 11,
        offset_min: -480,
        rollout: (2026, 4, 6),
        governance: (2026, 6, 15),
        tools: &[(Tool::ClaudeCode, 0.5), (Tool::Cursor, 0.5)],
        seats: &[Seat::Copilot, Seat::Claude, Seat::Cursor],
        profile: "consumer",
        has_auth: false,
        has_ui: true,
        has_migrations: true,
        domains: &["experiments", "referrals", "lifecycle"],
        nouns: &[
            "campaign", "referral", "cohort", "funnel", "trial", "signup", "variant", "nudge",
            "reward", "segment",
        ],
    },
];

/// A person on the roster.
pub struct Person {
    pub name: String,
    pub login: String,
    /// The work email first; a GitHub noreply address second for some.
    pub emails: Vec<String>,
    pub team: usize,
    pub level: Level,
    pub career_start: i64,
    pub start_date: i64,
    /// Joined during the history (a new hire).
    pub joined: bool,
    pub end_date: Option<i64>,
    /// How readily the person uses AI tools, around 1.
    pub ai_propensity: f64,
    /// Share of commits made with the second email (web edits), when there is one.
    pub alt_email_share: f64,
}

impl Person {
    pub fn employed(&self, t: i64) -> bool {
        t >= self.start_date && self.end_date.is_none_or(|e| t < e + DAY)
    }

    pub fn email(&self) -> &str {
        &self.emails[0]
    }
}

const FIRST: &[&str] = &[
    "Ana", "Bo", "Chen", "Dara", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kavya", "Liam",
    "Maya", "Nikolai", "Oona", "Priya", "Quentin", "Rosa", "Samir", "Tomasz", "Uma", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zoe", "Aisha", "Bruno", "Carmen", "Diego", "Emeka", "Farah",
    "Gabriel", "Hana", "Ivan", "Julia", "Kenji", "Lucia", "Mateo", "Nadia", "Omar", "Paula",
    "Rahul", "Sofia", "Tariq", "Valeria", "Wojtek", "Yara", "Amir", "Beatriz", "Cyrus", "Daniela",
    "Erik", "Fatima", "Goran", "Helena", "Isaac", "Jana", "Keisha", "Luis", "Michelle", "Noor",
    "Oskar", "Pedro", "Rin", "Sven", "Thandi", "Ulrich", "Vera", "Will",
];

const LAST: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Moreau",
    "Kowalski",
    "Haddad",
    "Nguyen",
    "Fischer",
    "Silva",
    "Petrov",
    "Mensah",
    "Rossi",
    "Yilmaz",
    "Novak",
    "Oliveira",
    "Schmidt",
    "Kim",
    "Dubois",
    "Ibrahim",
    "Costa",
    "Larsen",
    "Garcia",
    "Mehta",
    "Sato",
    "Walsh",
    "Horvat",
    "Banerjee",
    "Nakamura",
    "Eriksson",
    "Popescu",
    "Adeyemi",
    "Castillo",
    "Jansen",
    "Kaur",
    "Lefebvre",
    "Morales",
    "Nilsen",
    "Ortiz",
    "Park",
    "Quinn",
    "Reyes",
    "Suzuki",
    "Torres",
    "Ueda",
    "Vargas",
    "Weber",
    "Xu",
    "Zhang",
    "Abara",
    "Brennan",
    "Chowdhury",
    "Demir",
    "Esposito",
    "Fontaine",
    "Gupta",
    "Hoffmann",
    "Iyer",
    "Jovanovic",
    "Khan",
    "Lopez",
];

/// People who join during the history: (team, level, start date). Growth and search
/// grow; the others backfill a leaver.
const JOINERS: [(usize, Level, (i64, u32, u32)); 5] = [
    (5, Level::Mid, (2025, 11, 17)),
    (3, Level::Junior, (2026, 2, 16)),
    (4, Level::Junior, (2026, 5, 11)),
    (0, Level::Mid, (2026, 6, 1)),
    (2, Level::Mid, (2026, 9, 7)),
];

/// People who leave: (team, level, last day). The first person of that level in the team.
const LEAVERS: [(usize, Level, (i64, u32, u32)); 3] = [
    (3, Level::Junior, (2026, 1, 16)),
    (0, Level::Mid, (2026, 4, 30)),
    (2, Level::Senior, (2026, 7, 31)),
];

/// The levels of a team of `size`, most senior first.
fn level_mix(size: usize, team: usize) -> Vec<Level> {
    let staff = usize::from(size >= 9 || team == 0);
    let senior = ((size as f64) * 0.28).round() as usize;
    let junior = ((size as f64) * 0.25).round() as usize;
    let mid = size - staff - senior - junior;
    let mut v = vec![Level::Staff; staff];
    v.extend(std::iter::repeat_n(Level::Senior, senior));
    v.extend(std::iter::repeat_n(Level::Mid, mid));
    v.extend(std::iter::repeat_n(Level::Junior, junior));
    v
}

fn career_start(level: Level, rng: &mut Rng) -> i64 {
    match level {
        Level::Junior => rng.int(2024, 2025),
        Level::Mid => rng.int(2021, 2022),
        Level::Senior => rng.int(2012, 2019),
        Level::Staff => rng.int(2004, 2011),
    }
}

/// The roster: for every copy of the organisation, every team's members in team order,
/// then the people who join later. Copy 1 draws from the stream `roster`, copy `c` from
/// `roster/c`; a copy's people have logins ending in `-c` and work emails ending in
/// `.c@acme.example`, and names no other copy uses while the name pool lasts.
pub fn roster(seed: u64, teams: &[Team]) -> Vec<Person> {
    let copies = teams.len().div_ceil(TEAMS.len()).max(1);
    let mut used_names = std::collections::BTreeSet::new();
    let mut people = Vec::new();
    for copy in 1..=copies {
        let label = if copy == 1 {
            "roster".to_string()
        } else {
            format!("roster/{copy}")
        };
        let mut rng = Rng::new(seed, &label);
        let first_team = (copy - 1) * TEAMS.len();
        let first_person = people.len();
        roster_copy(copy, first_team, &mut rng, &mut used_names, &mut people);
        for (team, level, (y, m, d)) in LEAVERS {
            if let Some(p) = people[first_person..].iter_mut().find(|p| {
                p.team == first_team + team && p.level == level && !p.joined && p.end_date.is_none()
            }) {
                p.end_date = Some(at(y, m, d));
            }
        }
    }
    people
}

/// One copy's people (members, then joiners), appended to `people`.
fn roster_copy(
    copy: usize,
    first_team: usize,
    rng: &mut Rng,
    used_names: &mut std::collections::BTreeSet<(&'static str, &'static str)>,
    people: &mut Vec<Person>,
) {
    let mut names_here = std::collections::BTreeSet::new();
    let mut used_logins = std::collections::BTreeSet::new();
    let mut make = |team: usize, level: Level, joined: Option<i64>, rng: &mut Rng| {
        // A name no copy has used yet; once the pool runs short (past 70-odd copies), one
        // that is only new to this copy.
        let mut tries = 0;
        let (first, last) = loop {
            let f = *rng.pick(FIRST);
            let l = *rng.pick(LAST);
            if names_here.contains(&(f, l)) {
                continue;
            }
            tries += 1;
            if used_names.insert((f, l)) || tries > 200 {
                names_here.insert((f, l));
                break (f, l);
            }
        };
        let mut login = format!("{}{}", &first[..1], last).to_lowercase();
        while !used_logins.insert(login.clone()) {
            login.push_str(&rng.int(2, 9).to_string());
        }
        let work = if copy == 1 {
            format!(
                "{}.{}@acme.example",
                first.to_lowercase(),
                last.to_lowercase()
            )
        } else {
            login.push_str(&format!("-{copy}"));
            format!(
                "{}.{}.{copy}@acme.example",
                first.to_lowercase(),
                last.to_lowercase()
            )
        };
        let mut emails = vec![work];
        if rng.chance(0.55) {
            let id = rng.int(1_200_000, 98_000_000);
            emails.push(format!("{id}+{login}@users.noreply.github.com"));
        }
        let career = career_start(level, rng);
        let hired = match joined {
            Some(t) => t,
            None => {
                let earliest = at(career.max(2016), 1, 1);
                let latest = START - 90 * DAY;
                let t = rng.int(earliest.min(latest), latest);
                t - t.rem_euclid(DAY)
            }
        };
        Person {
            name: format!("{first} {last}"),
            login,
            emails,
            team,
            level,
            career_start: career,
            start_date: hired,
            joined: joined.is_some(),
            end_date: None,
            ai_propensity: if rng.chance(0.15) {
                rng.uniform(0.25, 0.5)
            } else {
                rng.uniform(0.8, 1.25)
            },
            alt_email_share: rng.uniform(0.05, 0.25),
        }
    };
    for (t, spec) in TEAMS.iter().enumerate() {
        for level in level_mix(spec.size, t) {
            let p = make(first_team + t, level, None, rng);
            people.push(p);
        }
    }
    for (team, level, (y, m, d)) in JOINERS {
        let p = make(first_team + team, level, Some(at(y, m, d)), rng);
        people.push(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn copies_have_their_own_names_keys_and_people() {
        let teams = teams(3);
        assert_eq!(teams.len(), 3 * TEAMS.len());
        assert_eq!(
            (teams[0].name.as_str(), teams[0].key.as_str()),
            ("payments", "PAY")
        );
        assert_eq!(teams[6].full_repo(), "acme/payments-2-service");
        assert_eq!(
            (teams[8].key.as_str(), teams[17].key.as_str()),
            ("PLAT2", "GRW3")
        );
        assert_eq!(teams[13].rollout_at(), TEAMS[1].rollout_at());
        // The first copy's people are the designed organisation's.
        let one = roster(1, &super::teams(1));
        let three = roster(1, &teams);
        for (a, b) in one.iter().zip(&three) {
            assert_eq!((&a.login, &a.emails, a.team), (&b.login, &b.emails, b.team));
        }
        assert_eq!(three.len(), 3 * one.len());
        assert!(three[one.len()..].iter().all(|p| p.team >= TEAMS.len()));
    }

    /// Past the name pool (70 × 60 names, about 75 copies) names repeat across copies,
    /// never within one, and logins and emails stay unique.
    #[test]
    fn logins_and_emails_stay_unique_at_any_scale() {
        let people = roster(7, &teams(90));
        let mut seen = BTreeSet::new();
        for p in &people {
            assert!(seen.insert(p.login.clone()), "{}", p.login);
            for e in &p.emails {
                assert!(seen.insert(e.clone()), "{e}");
            }
        }
        for copy in people.chunks(people.len() / 90) {
            let names: BTreeSet<&str> = copy.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(names.len(), copy.len());
        }
        let leavers = people.iter().filter(|p| p.end_date.is_some()).count();
        assert_eq!(leavers, 90 * LEAVERS.len());
    }
}
