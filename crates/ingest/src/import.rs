//! The file pipeline: `plumb import KIND FILE`.
//!
//! A file is parsed and validated whole by `plumb-import`; if any row is refused, nothing
//! is written. Otherwise its records go to the store in one transaction, keyed by their
//! natural keys, so importing the same file twice changes nothing and a changed row
//! updates its record. References the store cannot resolve yet — people not on the
//! roster, repositories not ingested, teams nobody belongs to — do not refuse the file
//! (rosters and repositories often arrive later); they are counted and named in warnings.
//!
//! Findings keep their history across scans: a finding already stored keeps its
//! `first_seen`, and its `last_seen` moves to the newest scan that reported it.

use plumb_import::{ImportKind, Invalid, Keyed, Options};
use plumb_model::normalize_email;
use plumb_model::records::{Record, RecordKind, UsageSubject};
use plumb_store::{KeyedRecord, RecordChanges, Store, StoreError};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Why an import refused a file or could not write it.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What importing one file did (or, in a dry run, would do).
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    pub kind: ImportKind,
    pub file: String,
    /// Valid records in the file.
    pub records: u64,
    pub changes: RecordChanges,
    pub dry_run: bool,
    /// Remarks on the file itself (ignored columns, repeated findings).
    pub notes: Vec<String>,
    /// Unresolved references, each with its count.
    pub warnings: Vec<String>,
}

/// Validates `bytes` as `kind` and writes the records in one transaction (none when
/// `dry_run`). `file` names the file in messages.
pub fn import_file(
    store: &mut dyn Store,
    kind: ImportKind,
    file: &str,
    bytes: &[u8],
    opts: &Options,
    dry_run: bool,
) -> Result<ImportOutcome, ImportError> {
    let parsed = plumb_import::parse(kind, file, bytes, opts)?;
    let record_kind = kind.record_kind();
    let mut records: Vec<KeyedRecord> = parsed
        .records
        .into_iter()
        .map(|Keyed { key, record, .. }| KeyedRecord { key, record })
        .collect();
    if record_kind == RecordKind::Findings {
        keep_finding_history(store, &mut records)?;
    }
    let warnings = unresolved(store, &records)?;
    let changes = store.write_records(record_kind, &records, file, dry_run)?;
    Ok(ImportOutcome {
        kind,
        file: file.to_string(),
        records: records.len() as u64,
        changes,
        dry_run,
        notes: parsed.notes,
        warnings,
    })
}

fn keep_finding_history(store: &dyn Store, records: &mut [KeyedRecord]) -> Result<(), StoreError> {
    let stored: HashMap<String, Record> = store
        .records(RecordKind::Findings)?
        .into_iter()
        .map(|r| (r.key, r.record))
        .collect();
    for r in records.iter_mut() {
        if let (Record::Findings(new), Some(Record::Findings(old))) =
            (&mut r.record, stored.get(&r.key))
        {
            new.first_seen = new.first_seen.min(old.first_seen);
            new.last_seen = new.last_seen.max(old.last_seen);
        }
    }
    Ok(())
}

/// Who and what the store can resolve: roster identities, team names, repository names.
struct Known {
    roster: bool,
    identities: HashSet<String>,
    teams: HashSet<String>,
    repos: Vec<String>,
}

impl Known {
    fn load(store: &dyn Store, incoming: &[KeyedRecord]) -> Result<Known, StoreError> {
        let mut people = store.records(RecordKind::People)?;
        let mut teams_records = store.records(RecordKind::Teams)?;
        // The file being imported counts too (a roster resolves itself).
        for r in incoming {
            match &r.record {
                Record::People(_) => people.push(r.clone()),
                Record::Teams(_) => teams_records.push(r.clone()),
                _ => {}
            }
        }
        let mut identities = HashSet::new();
        let mut teams = HashSet::new();
        for r in &people {
            if let Record::People(p) = &r.record {
                identities.extend(p.emails.iter().map(|e| normalize_email(e)));
                identities.extend(p.logins.iter().map(|l| l.trim().to_lowercase()));
                teams.insert(p.team.to_lowercase());
            }
        }
        for r in &teams_records {
            if let Record::Teams(t) = &r.record {
                teams.insert(t.team.to_lowercase());
            }
        }
        Ok(Known {
            roster: !people.is_empty(),
            identities,
            teams,
            repos: store.repos()?.into_iter().map(|r| r.name).collect(),
        })
    }

    fn person(&self, who: &str) -> bool {
        let w = who.trim().to_lowercase();
        self.identities.contains(&w)
    }

    fn repo(&self, reference: &str) -> bool {
        let short = reference.rsplit('/').next().unwrap_or(reference);
        self.repos.iter().any(|r| r == reference || r == short)
    }
}

/// Counts references the store cannot resolve, as warnings.
fn unresolved(store: &dyn Store, records: &[KeyedRecord]) -> Result<Vec<String>, StoreError> {
    let known = Known::load(store, records)?;
    // what → (rows, distinct names)
    let mut people: (u64, BTreeSet<String>) = (0, BTreeSet::new());
    let mut repos: (u64, BTreeSet<String>) = (0, BTreeSet::new());
    let mut teams: (u64, BTreeSet<String>) = (0, BTreeSet::new());
    let note = |slot: &mut (u64, BTreeSet<String>), name: &str| {
        slot.0 += 1;
        slot.1.insert(name.to_string());
    };
    for r in records {
        let (persons, repo, team): (Vec<&str>, Option<&str>, Option<&str>) = match &r.record {
            Record::PullRequests(p) => (vec![p.author.as_str()], Some(p.repo.as_str()), None),
            Record::Reviews(v) => (vec![v.reviewer.as_str()], Some(v.repo.as_str()), None),
            Record::Checks(c) => (vec![], Some(c.repo.as_str()), None),
            Record::Deployments(d) => (vec![], Some(d.repo.as_str()), None),
            Record::Incidents(i) => (vec![], i.repo.as_deref(), None),
            Record::WorkItems(w) => (vec![], None, w.team.as_deref()),
            Record::AiUsage(u) => match &u.who {
                UsageSubject::Person(p) => (vec![p.as_str()], None, None),
                UsageSubject::Team(t) => (vec![], None, Some(t.as_str())),
                UsageSubject::Org => (vec![], None, None),
            },
            Record::Skills(s) => (vec![s.person.as_str()], None, None),
            Record::Survey(s) => (vec![], None, Some(s.team.as_str())),
            _ => (vec![], None, None),
        };
        for p in persons {
            if !known.person(p) {
                note(&mut people, p);
            }
        }
        if let Some(repo) = repo
            && !known.repo(repo)
        {
            note(&mut repos, repo);
        }
        if let Some(team) = team
            && !known.teams.contains(&team.to_lowercase())
        {
            note(&mut teams, team);
        }
    }
    let mut warnings = Vec::new();
    let list = |names: &BTreeSet<String>| {
        let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
        let more = names.len().saturating_sub(shown.len());
        if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    };
    let rows = |n: u64| plural(n, "row names", "rows name");
    if people.0 > 0 {
        let who = plural(people.1.len() as u64, "person", "people");
        warnings.push(if known.roster {
            format!(
                "{} {who} not on the roster ({}): counted as unknown people until `plumb import people` lists them",
                rows(people.0),
                list(&people.1)
            )
        } else {
            format!(
                "{} {who}, and no roster is imported yet: unresolved (no team, no seniority) until `plumb import people` lists them",
                rows(people.0)
            )
        });
    }
    if repos.0 > 0 {
        warnings.push(format!(
            "{} {} not ingested ({}): their commits cannot be linked until `plumb ingest` reads them",
            rows(repos.0),
            plural(repos.1.len() as u64, "repository", "repositories"),
            list(&repos.1)
        ));
    }
    if teams.0 > 0 {
        warnings.push(format!(
            "{} {} nobody on the roster belongs to ({}): import people or teams to place them",
            rows(teams.0),
            plural(teams.1.len() as u64, "team", "teams"),
            list(&teams.1)
        ));
    }
    Ok(warnings)
}

/// `1 row`, `2 rows`.
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
