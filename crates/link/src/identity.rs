//! People and teams: resolving emails and logins to roster entries, and each person's
//! team, seniority band and employment on a given day.

use foldhash::HashMap;
use jiff::civil::Date;
use plumb_model::normalize_email;
use plumb_model::records::{Level, Person, Team};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A team as the configuration lists it: a name and its members' emails or logins.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct TeamMembers {
    pub name: String,
    pub members: Vec<String>,
}

/// A person on the roster, numbered in the order of their keys (first email, normalised),
/// so the numbering does not depend on the order the roster was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PersonId(usize);

impl PersonId {
    pub fn index(self) -> usize {
        self.0
    }
}

/// A seniority band, as `sustainability.skill_growth_pct` splits people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// 0–2 years of career, or level `junior`.
    Junior,
    /// 3–5 years, or level `mid`.
    Mid,
    /// 6 years or more, or level `senior`, `staff` or `principal`.
    Senior,
}

/// The band a level or career start gives on a day. The level wins when both are known:
/// it is what the organisation says, the career start is a proxy. Years are counted as
/// calendar years (`on.year() - career_start`), because the roster gives only the year;
/// a career start after `on` gives no band.
pub fn band(level: Option<Level>, career_start: Option<i16>, on: Date) -> Option<Band> {
    if let Some(level) = level {
        return Some(match level {
            Level::Junior => Band::Junior,
            Level::Mid => Band::Mid,
            Level::Senior | Level::Staff | Level::Principal => Band::Senior,
        });
    }
    let years = on.year() - career_start?;
    match years {
        ..0 => None,
        0..=2 => Some(Band::Junior),
        3..=5 => Some(Band::Mid),
        _ => Some(Band::Senior),
    }
}

/// Whether a person is employed on a day. Both dates are inclusive (the end date is the
/// last working day), and an unknown date does not limit: someone with no dates is
/// employed on every day.
pub fn employed_on(person: &Person, on: Date) -> bool {
    person.start_date.is_none_or(|s| s <= on) && person.end_date.is_none_or(|e| on <= e)
}

/// A team as known from the roster, the team records and the configuration together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamInfo {
    pub name: String,
    pub ai_rollout_date: Option<Date>,
    pub profile: Option<String>,
    pub parent: Option<String>,
    /// Some roster entry names the team.
    pub on_roster: bool,
    /// A `teams` record describes it.
    pub has_record: bool,
    /// The configuration lists it.
    pub in_config: bool,
    /// The people whose team it is, in [`PersonId`] order.
    pub members: Vec<PersonId>,
}

/// References that resolve to nobody, from [`Identities::count_unknown`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct UnknownPeople {
    /// How many references were unknown, repeats included.
    pub references: usize,
    /// The distinct unknown references, trimmed and lower-cased, sorted.
    pub distinct: Vec<String>,
}

/// The roster as a resolver: emails and logins to people, people to teams.
///
/// An email is compared normalised ([`normalize_email`]), a login ignoring case; GitHub's
/// no-reply addresses (`login@users.noreply.github.com`, `123+login@…`) resolve through the
/// login they contain, since commits made in the forge's web interface carry them. A
/// reference found in no roster entry is unknown: there is no guessing by name.
#[derive(Debug, Clone, Default)]
pub struct Identities {
    people: Vec<Person>,
    keys: Vec<String>,
    team_of: Vec<Option<String>>,
    by_email: HashMap<String, PersonId>,
    by_login: HashMap<String, PersonId>,
    teams: Vec<TeamInfo>,
    notes: Vec<String>,
}

const NOREPLY: &str = "@users.noreply.github.com";
/// How many examples a note lists before it says "…".
const EXAMPLES: usize = 5;

fn examples(items: &[String]) -> String {
    let mut s = items
        .iter()
        .take(EXAMPLES)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > EXAMPLES {
        s.push_str(", …");
    }
    s
}

impl Identities {
    /// Builds the resolver from the roster (`people`), the team records (`teams`: rollout
    /// dates, profiles, parents) and the configuration's member lists.
    ///
    /// A person's team is the roster's `team`; a configured member list gives a team to
    /// the people it names that have none on the roster. When the roster and the
    /// configuration disagree the roster wins (it is the imported, dated source) and a
    /// note says so; a person listed in two configured teams, and not on the roster,
    /// gets the first. A configured member that is not on the roster becomes a person of
    /// that team with the one identity the configuration gives (an email, or a login
    /// keyed `login:NAME`), numbered after the roster, and a note names them: a small
    /// organisation can list its teams in `plumb.toml` instead of importing a roster.
    ///
    /// People without an email have no key and are left out; a key or an email or login
    /// held by two entries belongs to the first (in key order). All of these are noted.
    pub fn build(people: &[Person], teams: &[Team], config_teams: &[TeamMembers]) -> Identities {
        let mut notes = Vec::new();
        let mut keyed: Vec<(String, &Person)> = Vec::new();
        let mut keyless = 0usize;
        for p in people {
            let key = p
                .emails
                .first()
                .map(|e| normalize_email(e))
                .unwrap_or_default();
            if key.is_empty() {
                keyless += 1;
            } else {
                keyed.push((key, p));
            }
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let before = keyed.len();
        keyed.dedup_by(|later, first| later.0 == first.0);
        let repeated = before - keyed.len();
        if keyless > 0 {
            notes.push(format!(
                "{keyless} roster entries have no email and were left out"
            ));
        }
        if repeated > 0 {
            notes.push(format!(
                "{repeated} roster entries repeat another's first email: the first was kept"
            ));
        }

        let mut ids = Identities::default();
        let mut shared: BTreeSet<String> = BTreeSet::new();
        for (i, (key, p)) in keyed.into_iter().enumerate() {
            let id = PersonId(i);
            for e in &p.emails {
                let e = normalize_email(e);
                if e.is_empty() {
                    continue;
                }
                match ids.by_email.get(&e) {
                    Some(&other) if other != id => {
                        shared.insert(e);
                    }
                    Some(_) => {}
                    None => {
                        ids.by_email.insert(e, id);
                    }
                }
            }
            for l in &p.logins {
                let l = l.trim().to_lowercase();
                if l.is_empty() {
                    continue;
                }
                match ids.by_login.get(&l) {
                    Some(&other) if other != id => {
                        shared.insert(l);
                    }
                    Some(_) => {}
                    None => {
                        ids.by_login.insert(l, id);
                    }
                }
            }
            let team = p.team.trim();
            ids.team_of
                .push((!team.is_empty()).then(|| team.to_string()));
            ids.keys.push(key);
            ids.people.push(p.clone());
        }
        if !shared.is_empty() {
            let shared: Vec<String> = shared.into_iter().collect();
            notes.push(format!(
                "{} emails or logins appear on two roster entries and belong to the first: {}",
                shared.len(),
                examples(&shared)
            ));
        }

        // Configured member lists, after the roster so the roster wins.
        let roster_len = ids.people.len();
        let mut conflicts: Vec<String> = Vec::new();
        let mut not_on_roster: BTreeSet<String> = BTreeSet::new();
        let mut from_config: Vec<bool> = vec![false; ids.people.len()];
        for t in config_teams {
            let name = t.name.trim();
            for m in &t.members {
                let Some(id) = ids.resolve(m) else {
                    let m = m.trim();
                    if !m.is_empty() {
                        // Not on the roster: the configuration is the only word on this
                        // person, so they join with the one identity it gives.
                        not_on_roster.insert(m.to_lowercase());
                        let (key, emails, logins) = if m.contains('@') {
                            (normalize_email(m), vec![m.to_string()], Vec::new())
                        } else {
                            (
                                format!("login:{}", m.to_lowercase()),
                                Vec::new(),
                                vec![m.to_string()],
                            )
                        };
                        let id = PersonId(ids.people.len());
                        if let Some(e) = emails.first() {
                            ids.by_email.insert(normalize_email(e), id);
                        }
                        if let Some(l) = logins.first() {
                            ids.by_login.insert(l.to_lowercase(), id);
                        }
                        ids.people.push(Person {
                            name: m.to_string(),
                            emails,
                            logins,
                            team: name.to_string(),
                            level: None,
                            career_start: None,
                            start_date: None,
                            end_date: None,
                        });
                        ids.keys.push(key);
                        ids.team_of.push(Some(name.to_string()));
                        from_config.push(true);
                    }
                    continue;
                };
                match &ids.team_of[id.0] {
                    None => {
                        ids.team_of[id.0] = Some(name.to_string());
                        from_config[id.0] = true;
                    }
                    Some(current) if current != name => {
                        let source = if from_config[id.0] {
                            "an earlier configured team"
                        } else {
                            "the roster"
                        };
                        conflicts.push(format!(
                            "{} ({source} says {current}, team {name} lists them)",
                            ids.keys[id.0]
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        if !conflicts.is_empty() {
            notes.push(format!(
                "{} configured team memberships disagree with an earlier source, which wins: {}",
                conflicts.len(),
                examples(&conflicts)
            ));
        }
        if !not_on_roster.is_empty() {
            let list: Vec<String> = not_on_roster.into_iter().collect();
            notes.push(format!(
                "{} configured team members are not on the roster and join from the configuration alone (no level, no dates): {}",
                list.len(),
                examples(&list)
            ));
        }

        let roster_teams: BTreeSet<&str> = ids.people[..roster_len]
            .iter()
            .map(|p| p.team.trim())
            .filter(|t| !t.is_empty())
            .collect();
        ids.teams = merge_teams(&ids.team_of, &roster_teams, teams, config_teams);
        ids.notes = notes;
        ids
    }

    /// The person an email or login names, if the roster has them.
    pub fn resolve(&self, reference: &str) -> Option<PersonId> {
        let r = reference.trim();
        if r.is_empty() {
            return None;
        }
        if let Some(&id) = self.by_email.get(&normalize_email(r)) {
            return Some(id);
        }
        let lower = r.to_lowercase();
        if let Some(&id) = self.by_login.get(&lower) {
            return Some(id);
        }
        let local = lower.strip_suffix(NOREPLY)?;
        let login = local.split_once('+').map_or(local, |(_, login)| login);
        self.by_login.get(login).copied()
    }

    /// Counts the references that resolve to nobody (bots included: telling bots apart
    /// is the provenance catalogue's job, not the roster's).
    pub fn count_unknown<I, S>(&self, references: I) -> UnknownPeople
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = UnknownPeople::default();
        let mut distinct = BTreeSet::new();
        for r in references {
            let r = r.as_ref();
            if self.resolve(r).is_none() {
                out.references += 1;
                distinct.insert(r.trim().to_lowercase());
            }
        }
        out.distinct = distinct.into_iter().collect();
        out
    }

    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// Every person, in key order.
    pub fn ids(&self) -> impl Iterator<Item = PersonId> + use<> {
        (0..self.people.len()).map(PersonId)
    }

    pub fn person(&self, id: PersonId) -> &Person {
        &self.people[id.0]
    }

    /// The person's key: their first email, normalised.
    pub fn key(&self, id: PersonId) -> &str {
        &self.keys[id.0]
    }

    /// The person with this key (first email, normalised).
    pub fn by_key(&self, key: &str) -> Option<PersonId> {
        self.keys
            .binary_search_by(|k| k.as_str().cmp(key))
            .ok()
            .map(PersonId)
    }

    pub fn team_of(&self, id: PersonId) -> Option<&str> {
        self.team_of[id.0].as_deref()
    }

    /// See [`band`].
    pub fn seniority(&self, id: PersonId, on: Date) -> Option<Band> {
        let p = &self.people[id.0];
        band(p.level, p.career_start, on)
    }

    /// See [`employed_on`].
    pub fn employed(&self, id: PersonId, on: Date) -> bool {
        employed_on(&self.people[id.0], on)
    }

    /// Every team any source names, sorted by name.
    pub fn teams(&self) -> &[TeamInfo] {
        &self.teams
    }

    /// A team by its exact name (trimmed).
    pub fn team(&self, name: &str) -> Option<&TeamInfo> {
        let name = name.trim();
        self.teams
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.teams[i])
    }

    pub fn rollout_date(&self, team: &str) -> Option<Date> {
        self.team(team)?.ai_rollout_date
    }

    /// What building noticed: left-out entries, shared emails, team conflicts, configured
    /// members not on the roster.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
}

/// One list of teams from the people's resolved teams, the team records and the
/// configuration. Team names are compared exactly (after trimming): a team spelled two
/// ways is two teams, which the report shows rather than hides.
fn merge_teams(
    team_of: &[Option<String>],
    roster_teams: &BTreeSet<&str>,
    records: &[Team],
    config: &[TeamMembers],
) -> Vec<TeamInfo> {
    let mut teams: BTreeMap<String, TeamInfo> = BTreeMap::new();
    let entry = |teams: &mut BTreeMap<String, TeamInfo>, name: &str| -> Option<()> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        teams.entry(name.to_string()).or_insert_with(|| TeamInfo {
            name: name.to_string(),
            ai_rollout_date: None,
            profile: None,
            parent: None,
            on_roster: false,
            has_record: false,
            in_config: false,
            members: Vec::new(),
        });
        Some(())
    };
    for (i, team) in team_of.iter().enumerate() {
        if let Some(team) = team {
            entry(&mut teams, team);
            if let Some(t) = teams.get_mut(team.as_str()) {
                t.members.push(PersonId(i));
                t.on_roster |= roster_teams.contains(team.as_str());
            }
        }
    }
    for r in records {
        if entry(&mut teams, &r.team).is_some()
            && let Some(t) = teams.get_mut(r.team.trim())
        {
            t.has_record = true;
            t.ai_rollout_date = r.ai_rollout_date;
            t.profile.clone_from(&r.profile);
            t.parent.clone_from(&r.parent);
        }
    }
    for c in config {
        if entry(&mut teams, &c.name).is_some()
            && let Some(t) = teams.get_mut(c.name.trim())
        {
            t.in_config = true;
        }
    }
    teams.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noreply_addresses_resolve_through_the_login() {
        let p = Person {
            name: "Ann".into(),
            emails: vec!["ann@x.io".into()],
            logins: vec!["AnnX".into()],
            team: "web".into(),
            level: None,
            career_start: None,
            start_date: None,
            end_date: None,
        };
        let ids = Identities::build(&[p], &[], &[]);
        let ann = ids.resolve("ann@x.io");
        assert!(ann.is_some());
        assert_eq!(ids.resolve("annx@users.noreply.github.com"), ann);
        assert_eq!(ids.resolve("123+annx@users.noreply.github.com"), ann);
        assert_eq!(ids.resolve("bob@users.noreply.github.com"), None);
    }
}
