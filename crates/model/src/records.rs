//! The records every source other than git brings: people and teams, work items, pull
//! requests with their reviews and checks, deployments, incidents, AI usage, surveys,
//! skills, costs, KPIs and findings.
//!
//! They are what `plumb import` validates a file into and what the store keeps, one
//! record per natural key ([`Record::key`]). References to people (an email or a forge
//! login) and repositories (`owner/name` or a configured name) are kept as written:
//! resolving them is the identity step's job, so a roster imported later still applies.
//!
//! Times are UTC instants ([`jiff::Timestamp`], imported only from RFC 3339 with an
//! offset); dates are civil dates; months are [`Month`]s. An empty cell is `None`
//! ("unknown"), never a zero.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The record kinds the store keeps. `plumb import findings` and `plumb import a11y` both
/// make [`Finding`]s; `plumb import copilot-metrics` makes [`AiUsage`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    People,
    Teams,
    WorkItems,
    PullRequests,
    Reviews,
    Checks,
    Deployments,
    Incidents,
    AiUsage,
    Survey,
    Skills,
    Costs,
    Kpis,
    Findings,
}

impl RecordKind {
    pub const ALL: [RecordKind; 14] = [
        RecordKind::People,
        RecordKind::Teams,
        RecordKind::WorkItems,
        RecordKind::PullRequests,
        RecordKind::Reviews,
        RecordKind::Checks,
        RecordKind::Deployments,
        RecordKind::Incidents,
        RecordKind::AiUsage,
        RecordKind::Survey,
        RecordKind::Skills,
        RecordKind::Costs,
        RecordKind::Kpis,
        RecordKind::Findings,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            RecordKind::People => "people",
            RecordKind::Teams => "teams",
            RecordKind::WorkItems => "work-items",
            RecordKind::PullRequests => "pull-requests",
            RecordKind::Reviews => "reviews",
            RecordKind::Checks => "checks",
            RecordKind::Deployments => "deployments",
            RecordKind::Incidents => "incidents",
            RecordKind::AiUsage => "ai-usage",
            RecordKind::Survey => "survey",
            RecordKind::Skills => "skills",
            RecordKind::Costs => "costs",
            RecordKind::Kpis => "kpis",
            RecordKind::Findings => "findings",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    pub year: i16,
    /// 1–12.
    pub month: i8,
}

impl Month {
    /// Parses `YYYY-MM` (four-digit year, two-digit month 01–12).
    pub fn parse(s: &str) -> Option<Month> {
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit) {
            return None;
        }
        let year: i16 = s[..4].parse().ok()?;
        let month: i8 = s[5..].parse().ok()?;
        ((1..=12).contains(&month) && year >= 1).then_some(Month { year, month })
    }

    /// The first day of the month.
    pub fn first_day(&self) -> Date {
        // Valid by construction: year 1–9999 and month 1–12.
        Date::new(self.year, self.month, 1).unwrap_or(Date::MIN)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Month::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a month: {s:?}")))
    }
}

/// Declares a closed set of lower-case names as an enum with `as_str`, `parse` and `ALL`.
macro_rules! names {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The accepted names, for error messages.
            pub fn names() -> String {
                [$($text),+].join("/")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

names!(
    /// A person's level on the roster.
    Level { Junior = "junior", Mid = "mid", Senior = "senior", Staff = "staff", Principal = "principal" }
);
names!(
    /// The kind of a work item.
    WorkType {
        Feature = "feature",
        Bug = "bug",
        Chore = "chore",
        Debt = "debt",
        Spike = "spike",
        Experiment = "experiment",
        Incident = "incident",
    }
);
names!(
    /// A review's verdict.
    ReviewState {
        Approved = "approved",
        ChangesRequested = "changes_requested",
        Commented = "commented",
        Dismissed = "dismissed",
    }
);
names!(
    /// How a check run ended.
    CheckConclusion { Success = "success", Failure = "failure", Cancelled = "cancelled", Skipped = "skipped" }
);
names!(
    /// How a deployment ended.
    DeployStatus { Success = "success", Failure = "failure", RolledBack = "rolled_back" }
);
names!(
    /// Why a deployment was made.
    DeployKind { Regular = "regular", Hotfix = "hotfix", Rollback = "rollback" }
);
names!(
    /// What an AI tool was used for.
    Capability { Completion = "completion", Chat = "chat", Agent = "agent", Review = "review", Other = "other" }
);
names!(
    /// What a cost paid for.
    CostCategory {
        AiTool = "ai_tool",
        CiCd = "ci_cd",
        SecurityTooling = "security_tooling",
        Training = "training",
        Consulting = "consulting",
        Infrastructure = "infrastructure",
        Other = "other",
    }
);
names!(
    /// What a finding is about.
    FindingKind { Security = "security", Quality = "quality", Design = "design", Accessibility = "accessibility" }
);
names!(
    /// How serious a finding is, on one scale for SARIF levels, security severities and axe
    /// impacts.
    Severity { Critical = "critical", High = "high", Medium = "medium", Low = "low", Info = "info" }
);

/// A repository's pull request, `repo#number`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PrRef {
    pub repo: String,
    pub number: u64,
}

impl PrRef {
    /// Parses `owner/name#123` or `name#123`.
    pub fn parse(s: &str) -> Option<PrRef> {
        let (repo, number) = s.rsplit_once('#')?;
        let number: u64 = number.parse().ok()?;
        (!repo.is_empty() && number > 0).then(|| PrRef {
            repo: repo.to_string(),
            number,
        })
    }
}

impl fmt::Display for PrRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.repo, self.number)
    }
}

/// A person on the roster. Key: the first email, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    /// Every email the person commits with; the first is the key.
    pub emails: Vec<String>,
    /// Forge logins.
    pub logins: Vec<String>,
    pub team: String,
    pub level: Option<Level>,
    /// The year the person's career started.
    pub career_start: Option<i16>,
    #[serde(default, with = "time_form::option_date")]
    pub start_date: Option<Date>,
    #[serde(default, with = "time_form::option_date")]
    pub end_date: Option<Date>,
}

/// A team. Key: its name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub team: String,
    #[serde(default, with = "time_form::option_date")]
    pub ai_rollout_date: Option<Date>,
    pub profile: Option<String>,
    pub parent: Option<String>,
}

/// A tracker's work item. Key: `key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    pub key: String,
    #[serde(rename = "type")]
    pub kind: WorkType,
    pub title: Option<String>,
    pub team: Option<String>,
    #[serde(with = "time_form::timestamp")]
    pub created_at: Timestamp,
    #[serde(default, with = "time_form::option_timestamp")]
    pub started_at: Option<Timestamp>,
    #[serde(default, with = "time_form::option_timestamp")]
    pub done_at: Option<Timestamp>,
    #[serde(default, with = "time_form::option_timestamp")]
    pub released_at: Option<Timestamp>,
    pub customer_request: Option<bool>,
    pub labels: Vec<String>,
    pub linked_prs: Vec<PrRef>,
}

/// A pull (merge) request. Key: `repo#number`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullRequest {
    pub repo: String,
    pub number: u64,
    /// An email or forge login.
    pub author: String,
    pub title: Option<String>,
    #[serde(with = "time_form::timestamp")]
    pub created_at: Timestamp,
    #[serde(default, with = "time_form::option_timestamp")]
    pub ready_at: Option<Timestamp>,
    #[serde(default, with = "time_form::option_timestamp")]
    pub merged_at: Option<Timestamp>,
    #[serde(default, with = "time_form::option_timestamp")]
    pub closed_at: Option<Timestamp>,
    pub base: Option<String>,
    pub head_branch: Option<String>,
    pub head_sha: Option<String>,
    pub merge_sha: Option<String>,
    pub labels: Vec<String>,
    pub additions: Option<u64>,
    pub deletions: Option<u64>,
    pub work_items: Vec<String>,
    /// Markers found in the body (e.g. `Generated with Claude Code`).
    pub body_markers: Vec<String>,
}

/// A review of a pull request. Key: repo, number, reviewer, submitted_at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub repo: String,
    pub number: u64,
    pub reviewer: String,
    pub state: ReviewState,
    #[serde(with = "time_form::timestamp")]
    pub submitted_at: Timestamp,
}

/// A CI check run on a commit. Key: repo, sha, name, started_at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub repo: String,
    pub sha: String,
    pub name: String,
    pub conclusion: CheckConclusion,
    #[serde(default, with = "time_form::option_timestamp")]
    pub started_at: Option<Timestamp>,
    #[serde(with = "time_form::timestamp")]
    pub completed_at: Timestamp,
    pub required: Option<bool>,
}

/// A deployment. Key: `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    pub id: String,
    pub repo: String,
    pub environment: String,
    pub sha: String,
    #[serde(default, with = "time_form::option_timestamp")]
    pub started_at: Option<Timestamp>,
    #[serde(with = "time_form::timestamp")]
    pub finished_at: Timestamp,
    pub status: DeployStatus,
    pub kind: Option<DeployKind>,
    pub service: Option<String>,
}

/// An incident. Key: `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: String,
    pub service: Option<String>,
    pub repo: Option<String>,
    pub severity: Option<String>,
    #[serde(with = "time_form::timestamp")]
    pub opened_at: Timestamp,
    #[serde(default, with = "time_form::option_timestamp")]
    pub resolved_at: Option<Timestamp>,
    pub caused_by_deployment: Option<String>,
    pub customer_impacting: Option<bool>,
    pub ai_related: Option<bool>,
}

/// Times and dates as records serialise them: in human-readable formats (JSON) jiff's own
/// text (RFC 3339, ISO 8601 dates), unchanged; in binary formats (the store's packed
/// records) numbers, which read back without parsing text: a timestamp as its seconds and
/// nanoseconds, a date as its year, month and day.
mod time_form {
    use jiff::Timestamp;
    use jiff::civil::Date;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub mod timestamp {
        use super::*;

        pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
            if s.is_human_readable() {
                t.serialize(s)
            } else {
                (t.as_second(), t.subsec_nanosecond()).serialize(s)
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
            if d.is_human_readable() {
                Timestamp::deserialize(d)
            } else {
                let (second, nanosecond) = <(i64, i32)>::deserialize(d)?;
                Timestamp::new(second, nanosecond).map_err(D::Error::custom)
            }
        }
    }

    pub mod date {
        use super::*;

        pub fn serialize<S: Serializer>(t: &Date, s: S) -> Result<S::Ok, S::Error> {
            if s.is_human_readable() {
                t.serialize(s)
            } else {
                (t.year(), t.month(), t.day()).serialize(s)
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
            if d.is_human_readable() {
                Date::deserialize(d)
            } else {
                let (year, month, day) = <(i16, i8, i8)>::deserialize(d)?;
                Date::new(year, month, day).map_err(D::Error::custom)
            }
        }
    }

    /// `Option<T>` of a form above.
    macro_rules! optional {
        ($name:ident, $form:ident, $t:ty) => {
            pub mod $name {
                use super::*;

                struct Out<'a>(&'a $t);

                impl Serialize for Out<'_> {
                    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        super::$form::serialize(self.0, s)
                    }
                }

                struct In($t);

                impl<'de> Deserialize<'de> for In {
                    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        super::$form::deserialize(d).map(In)
                    }
                }

                pub fn serialize<S: Serializer>(t: &Option<$t>, s: S) -> Result<S::Ok, S::Error> {
                    t.as_ref().map(Out).serialize(s)
                }

                pub fn deserialize<'de, D: Deserializer<'de>>(
                    d: D,
                ) -> Result<Option<$t>, D::Error> {
                    Ok(Option::<In>::deserialize(d)?.map(|x| x.0))
                }
            }
        };
    }

    optional!(option_timestamp, timestamp, Timestamp);
    optional!(option_date, date, Date);
}

/// Whose AI usage a record counts.
///
/// In JSON (any human-readable format) it is adjacently tagged, `{"scope": "person",
/// "name": "…"}` or `{"scope": "org"}`; in binary formats, such as the store's packed
/// records, it is a plain enum, which formats that do not describe themselves can read
/// back (an adjacently tagged one they cannot).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UsageSubject {
    /// One person (an email or login).
    Person(String),
    /// A team, by name.
    Team(String),
    /// The whole organisation (org-level telemetry such as Copilot metrics).
    Org,
}

/// [`UsageSubject`]'s two serialised forms. Each is generic over the name so that
/// serialising borrows it and deserialising owns it.
mod subject {
    use serde::{Deserialize, Serialize};

    /// Human-readable: adjacently tagged. Named like the public type, which error
    /// messages name.
    #[derive(Serialize, Deserialize)]
    #[serde(tag = "scope", content = "name", rename_all = "snake_case")]
    pub(super) enum UsageSubject<S> {
        Person(S),
        Team(S),
        Org,
    }

    /// Binary: a plain enum.
    #[derive(Serialize, Deserialize)]
    #[serde(rename = "UsageSubject")]
    pub(super) enum Plain<S> {
        Person(S),
        Team(S),
        Org,
    }
}

impl Serialize for UsageSubject {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use subject::{Plain, UsageSubject as Tagged};
        match (self, serializer.is_human_readable()) {
            (UsageSubject::Person(p), true) => Tagged::Person(p.as_str()).serialize(serializer),
            (UsageSubject::Team(t), true) => Tagged::Team(t.as_str()).serialize(serializer),
            (UsageSubject::Org, true) => Tagged::<&str>::Org.serialize(serializer),
            (UsageSubject::Person(p), false) => Plain::Person(p.as_str()).serialize(serializer),
            (UsageSubject::Team(t), false) => Plain::Team(t.as_str()).serialize(serializer),
            (UsageSubject::Org, false) => Plain::<&str>::Org.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for UsageSubject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use subject::{Plain, UsageSubject as Tagged};
        Ok(if deserializer.is_human_readable() {
            match Tagged::<String>::deserialize(deserializer)? {
                Tagged::Person(p) => UsageSubject::Person(p),
                Tagged::Team(t) => UsageSubject::Team(t),
                Tagged::Org => UsageSubject::Org,
            }
        } else {
            match Plain::<String>::deserialize(deserializer)? {
                Plain::Person(p) => UsageSubject::Person(p),
                Plain::Team(t) => UsageSubject::Team(t),
                Plain::Org => UsageSubject::Org,
            }
        })
    }
}

impl fmt::Display for UsageSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageSubject::Person(p) => write!(f, "person:{p}"),
            UsageSubject::Team(t) => write!(f, "team:{t}"),
            UsageSubject::Org => f.write_str("org"),
        }
    }
}

/// AI tool usage for one day. Key: date, who, tool, capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AiUsage {
    #[serde(with = "time_form::date")]
    pub date: Date,
    pub who: UsageSubject,
    pub tool: String,
    pub capability: Capability,
    /// Active users that day (0 or 1 for a person).
    pub active: Option<u64>,
    pub suggestions: Option<u64>,
    pub acceptances: Option<u64>,
    pub lines_suggested: Option<u64>,
    pub lines_accepted: Option<u64>,
}

/// One survey answer. Key: quarter, respondent (or team and ordinal for anonymous
/// answers), question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResponse {
    #[serde(with = "time_form::date")]
    pub date: Date,
    /// An opaque id; `None` for an anonymous answer.
    pub respondent: Option<String>,
    pub team: String,
    pub question: String,
    /// 1–5.
    pub score: u8,
}

/// A skill assessment. Key: person, date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillAssessment {
    pub person: String,
    #[serde(with = "time_form::date")]
    pub date: Date,
    /// 0–100.
    pub score: f64,
}

/// A month's cost line. Key: month, category, item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    pub month: Month,
    pub category: CostCategory,
    pub item: String,
    pub amount: f64,
    /// ISO 4217 code, upper case.
    pub currency: String,
    pub seats: Option<u64>,
}

/// One value of a KPI. Key: kpi, date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiPoint {
    pub kpi: String,
    #[serde(with = "time_form::date")]
    pub date: Date,
    pub value: f64,
    pub unit: Option<String>,
    /// A work-item key, when the KPI measures a feature's adoption.
    pub feature: Option<String>,
}

/// A finding of a scanner (SARIF) or an accessibility check (axe). Key: kind, tool,
/// fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub tool: String,
    pub rule: String,
    pub severity: Severity,
    pub path: Option<String>,
    pub line: Option<u64>,
    /// The page an accessibility violation was found on.
    pub url: Option<String>,
    pub message: Option<String>,
    /// When the scan that first reported it ran.
    #[serde(with = "time_form::timestamp")]
    pub first_seen: Timestamp,
    /// When the latest scan that reported it ran.
    #[serde(with = "time_form::timestamp")]
    pub last_seen: Timestamp,
    /// Stable identity across scans: the scanner's fingerprint when it gives one, else a
    /// hash of rule, location and message.
    pub fingerprint: String,
}

/// Any record, tagged by kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "record", rename_all = "kebab-case")]
pub enum Record {
    People(Person),
    Teams(Team),
    WorkItems(WorkItem),
    PullRequests(PullRequest),
    Reviews(Review),
    Checks(Check),
    Deployments(Deployment),
    Incidents(Incident),
    AiUsage(AiUsage),
    Survey(SurveyResponse),
    Skills(SkillAssessment),
    Costs(Cost),
    Kpis(KpiPoint),
    Findings(Finding),
}

/// The quarter a date falls in, `YYYY-Qn` (calendar quarters).
pub fn quarter_of(date: Date) -> String {
    format!("{:04}-Q{}", date.year(), (date.month() - 1) / 3 + 1)
}

impl Record {
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::People(_) => RecordKind::People,
            Record::Teams(_) => RecordKind::Teams,
            Record::WorkItems(_) => RecordKind::WorkItems,
            Record::PullRequests(_) => RecordKind::PullRequests,
            Record::Reviews(_) => RecordKind::Reviews,
            Record::Checks(_) => RecordKind::Checks,
            Record::Deployments(_) => RecordKind::Deployments,
            Record::Incidents(_) => RecordKind::Incidents,
            Record::AiUsage(_) => RecordKind::AiUsage,
            Record::Survey(_) => RecordKind::Survey,
            Record::Skills(_) => RecordKind::Skills,
            Record::Costs(_) => RecordKind::Costs,
            Record::Kpis(_) => RecordKind::Kpis,
            Record::Findings(_) => RecordKind::Findings,
        }
    }

    /// The natural key the store keeps one record per (within its kind). Parts are joined
    /// with a unit separator (U+001F), which no valid field contains.
    ///
    /// Anonymous survey answers have no respondent to key on; the importer gives each a
    /// respondent-less key with an ordinal (see `plumb-import`), so this returns the key of
    /// the answer's group and the importer appends the ordinal.
    pub fn key(&self) -> String {
        const SEP: &str = "\u{1f}";
        let ts = |t: &Timestamp| t.as_second().to_string();
        match self {
            Record::People(p) => p
                .emails
                .first()
                .map(|e| crate::normalize_email(e))
                .unwrap_or_default(),
            Record::Teams(t) => t.team.clone(),
            Record::WorkItems(w) => w.key.clone(),
            Record::PullRequests(p) => format!("{}#{}", p.repo, p.number),
            Record::Reviews(r) => [
                format!("{}#{}", r.repo, r.number),
                r.reviewer.to_lowercase(),
                ts(&r.submitted_at),
            ]
            .join(SEP),
            Record::Checks(c) => [
                c.repo.clone(),
                c.sha.to_lowercase(),
                c.name.clone(),
                c.started_at.as_ref().map(ts).unwrap_or_default(),
            ]
            .join(SEP),
            Record::Deployments(d) => d.id.clone(),
            Record::Incidents(i) => i.id.clone(),
            Record::AiUsage(u) => {
                let who = match &u.who {
                    UsageSubject::Person(p) => format!("person:{}", p.to_lowercase()),
                    other => other.to_string(),
                };
                [
                    u.date.to_string(),
                    who,
                    u.tool.clone(),
                    u.capability.to_string(),
                ]
                .join(SEP)
            }
            Record::Survey(s) => [
                quarter_of(s.date),
                s.respondent
                    .clone()
                    .unwrap_or_else(|| format!("anon:{}", s.team)),
                s.question.clone(),
            ]
            .join(SEP),
            Record::Skills(s) => [s.person.to_lowercase(), s.date.to_string()].join(SEP),
            Record::Costs(c) => {
                [c.month.to_string(), c.category.to_string(), c.item.clone()].join(SEP)
            }
            Record::Kpis(k) => [k.kpi.clone(), k.date.to_string()].join(SEP),
            Record::Findings(f) => {
                [f.kind.to_string(), f.tool.clone(), f.fingerprint.clone()].join(SEP)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_strictly() {
        assert_eq!(
            Month::parse("2026-03"),
            Some(Month {
                year: 2026,
                month: 3
            })
        );
        for bad in [
            "2026-13",
            "2026-00",
            "2026-3",
            "26-03",
            "2026/03",
            "2026-03-01",
            "",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Month {
                year: 2026,
                month: 3
            }
            .to_string(),
            "2026-03"
        );
    }

    #[test]
    fn pr_refs_parse() {
        assert_eq!(
            PrRef::parse("acme/web#12"),
            Some(PrRef {
                repo: "acme/web".into(),
                number: 12
            })
        );
        assert_eq!(PrRef::parse("web#0"), None);
        assert_eq!(PrRef::parse("#3"), None);
        assert_eq!(PrRef::parse("web"), None);
    }

    #[test]
    fn names_round_trip() {
        for w in WorkType::ALL {
            assert_eq!(WorkType::parse(w.as_str()), Some(*w));
        }
        assert_eq!(
            WorkType::names(),
            "feature/bug/chore/debt/spike/experiment/incident"
        );
        for k in RecordKind::ALL {
            assert_eq!(RecordKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn usage_subjects_keep_their_json_form() {
        let cases = [
            (
                UsageSubject::Person("ana@acme.example".into()),
                r#"{"scope":"person","name":"ana@acme.example"}"#,
            ),
            (
                UsageSubject::Team("payments".into()),
                r#"{"scope":"team","name":"payments"}"#,
            ),
            (UsageSubject::Org, r#"{"scope":"org"}"#),
        ];
        for (subject, json) in cases {
            assert_eq!(serde_json::to_string(&subject).unwrap(), json);
            assert_eq!(serde_json::from_str::<UsageSubject>(json).unwrap(), subject);
        }
        // Field order does not matter, and a bad scope is named.
        assert_eq!(
            serde_json::from_str::<UsageSubject>(r#"{"name":"x","scope":"team"}"#).unwrap(),
            UsageSubject::Team("x".into())
        );
        let err = serde_json::from_str::<UsageSubject>(r#"{"scope":"squad","name":"x"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown variant `squad`"), "{err}");
        assert!(serde_json::from_str::<UsageSubject>(r#"{"scope":"person"}"#).is_err());
    }

    #[test]
    fn quarters() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(quarter_of(d("2026-03-31")), "2026-Q1");
        assert_eq!(quarter_of(d("2026-04-01")), "2026-Q2");
        assert_eq!(quarter_of(d("2026-12-31")), "2026-Q4");
    }
}
