//! Matching the repository names records use to the repositories the store has.

use foldhash::{HashMap, HashMapExt};

/// How a repository reference matched, from [`RepoNames::lookup`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoMatch<'a> {
    /// The reference is a stored name.
    Exact(&'a str),
    /// The reference's last `/` segment (without `.git`) names one stored repository.
    ByName(&'a str),
    /// The last segment fits several stored repositories.
    Ambiguous(Vec<&'a str>),
    Unknown,
}

/// The store's repository names, and how references in records map to them.
///
/// Records name a repository `owner/name` (as the forge does) or by the configured short
/// name; the store knows each git repository by a short name (its directory name). A
/// reference resolves, in order, to: the stored name equal to it; else the one stored
/// name whose last `/` segment equals the reference's last segment (a trailing `.git` is
/// ignored, so clone URLs work too); else the one whose last segment equals it ignoring
/// case (forges treat names case-insensitively, directories may not). Two or more
/// candidates at the deciding step make the reference ambiguous, and it resolves to
/// nothing rather than to a guess.
#[derive(Debug, Clone, Default)]
pub struct RepoNames {
    names: Vec<String>,
    by_last: HashMap<String, Vec<usize>>,
    by_last_lower: HashMap<String, Vec<usize>>,
}

fn last_segment(s: &str) -> &str {
    let s = s.trim().trim_end_matches('/');
    let last = s.rsplit('/').next().unwrap_or(s);
    last.strip_suffix(".git").unwrap_or(last)
}

impl RepoNames {
    pub fn new(store_names: &[String]) -> RepoNames {
        let mut names: Vec<String> = store_names.iter().map(|s| s.trim().to_string()).collect();
        names.sort();
        names.dedup();
        let mut by_last: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_last_lower: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            let last = last_segment(n);
            by_last.entry(last.to_string()).or_default().push(i);
            by_last_lower
                .entry(last.to_lowercase())
                .or_default()
                .push(i);
        }
        RepoNames {
            names,
            by_last,
            by_last_lower,
        }
    }

    /// The stored names, sorted.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The stored name a reference means, when exactly one fits.
    pub fn resolve(&self, reference: &str) -> Option<&str> {
        match self.lookup(reference) {
            RepoMatch::Exact(n) | RepoMatch::ByName(n) => Some(n),
            RepoMatch::Ambiguous(_) | RepoMatch::Unknown => None,
        }
    }

    /// How a reference matches, with the candidates of an ambiguous one.
    pub fn lookup(&self, reference: &str) -> RepoMatch<'_> {
        let reference = reference.trim();
        if let Ok(i) = self.names.binary_search_by(|n| n.as_str().cmp(reference)) {
            return RepoMatch::Exact(&self.names[i]);
        }
        let last = last_segment(reference);
        if last.is_empty() {
            return RepoMatch::Unknown;
        }
        let candidates = self
            .by_last
            .get(last)
            .or_else(|| self.by_last_lower.get(&last.to_lowercase()));
        match candidates.map(Vec::as_slice) {
            Some([one]) => RepoMatch::ByName(&self.names[*one]),
            Some(many) if !many.is_empty() => {
                RepoMatch::Ambiguous(many.iter().map(|&i| self.names[i].as_str()).collect())
            }
            _ => RepoMatch::Unknown,
        }
    }
}
