//! Quality and sustainability: defects, findings, accessibility, design-system
//! compliance, satisfaction, retention, skill growth, innovation, knowledge and
//! collaboration.
//!
//! Definitions and the decisions behind them:
//!
//! - **Defect rate**: per 100 pull requests merged in the window, the bug work items
//!   created in the window — or, when no work item is imported at all, the incidents
//!   opened in the window (the spec's "or production incidents"). Customer-found = a bug
//!   flagged `customer_request`, or a `customer_impacting` incident; the rest is internal.
//! - **Changed lines** (the denominator of the finding rates): lines added plus deleted by
//!   the window's non-merge commits, outside generated, vendored and lock files (the same
//!   exclusions as every line count). Findings are new when first seen in the window.
//!   Security findings count when high or critical; quality findings at any severity.
//! - **Accessibility**: serious or critical violations (severity high or critical) first
//!   seen in the window, per scan. The findings do not record scans, so a scan is a
//!   distinct (page, day) pair on which an accessibility finding was first or last seen
//!   in the window: the days axe ran on a page and reported something.
//! - **Design-system compliance**: UI files changed in the window (a path with a `ui` or
//!   `components` directory, or ending in `.tsx`, `.jsx`, `.vue`, `.css`, `.scss`) that
//!   have no design finding open during the window (first seen before its end, last seen
//!   after its start) on the same path, over the UI files changed. Paths match when equal
//!   or when one ends with the other after a `/` (scanners write absolute or repo-relative
//!   paths).
//! - **Retention**: people on the roster employed on the window's first day who are still
//!   employed on its last, annualised as `r^(365/days)`; it needs employment dates on the
//!   roster and at least `min_group_size` people, and teams below that size are left out
//!   of the breakdown.
//! - **Skill growth**: per person, their latest assessment in the window against the one
//!   closest to a year earlier among those 9–15 months earlier, as a percent change; the
//!   value is the mean over people, the breakdown the mean per seniority band on the
//!   window's last day (bands with fewer than `min_group_size` people are left out), and a
//!   note flags bands more than 10 points apart.
//! - **Innovation share**: work items of type spike or experiment created in the window,
//!   over all work items created in it.
//! - **Knowledge health** (context): the share of the window's non-merge commits by people
//!   and agents touching documentation (`docs/`, `adr/`, `*.md`); the share of merged pull
//!   requests with at least two distinct reviewers in the breakdown.
//! - **Collaboration** (context): the share of the window's reviews given by someone of
//!   another team than the pull request's author, among reviews where both teams are on
//!   the roster. Pairing (human co-author trailers) is not counted: the dataset carries no
//!   trailers.

use crate::adoption::Figure;
use crate::org::Org;
use crate::stats::{DAY, date_of, day_start, entry, months_before, pct, secs, share};
use crate::{BreakdownEntry, Window};
use foldhash::{HashMap, HashMapExt, HashSet};
use plumb_model::IdentityClass;
use plumb_model::records::{Finding, FindingKind, Severity, WorkType};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) fn defect_rate(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let merged = org.prs_merged_count(w);
    if merged == 0 {
        return Err(format!("no pull requests merged in window {}", w.label()));
    }
    let rec = &org.data.records;
    let (defects, customer, source): (u64, u64, &str) = if !rec.work_items.is_empty() {
        let bugs: Vec<_> = org
            .items_created_in(w)
            .filter(|i| i.rec.kind == WorkType::Bug)
            .collect();
        let customer = bugs
            .iter()
            .filter(|i| i.rec.customer_request == Some(true))
            .count();
        (bugs.len() as u64, customer as u64, "bug work items created")
    } else if !rec.incidents.is_empty() {
        let opened: Vec<_> = rec
            .incidents
            .iter()
            .filter(|i| w.contains(secs(i.opened_at)))
            .collect();
        let customer = opened
            .iter()
            .filter(|i| i.customer_impacting == Some(true))
            .count();
        (
            opened.len() as u64,
            customer as u64,
            "incidents opened (no work items are imported)",
        )
    } else {
        return Err(
            "no work items or incidents: import bugs with `plumb import work-items FILE` or incidents with `plumb import incidents FILE`".to_string(),
        );
    };
    let per100 = |x: u64| 100.0 * x as f64 / merged as f64;
    let mut f = Figure {
        value: per100(defects),
        n: merged,
        numerator: Some(defects as f64),
        denominator: Some(merged as f64),
        breakdown: BTreeMap::new(),
        notes: vec![format!("defects = {source} in the window")],
    };
    f.breakdown.insert(
        "customer-found".to_string(),
        entry(per100(customer), customer),
    );
    f.breakdown.insert(
        "internally found".to_string(),
        entry(per100(defects - customer), defects - customer),
    );
    Ok(f)
}

/// New findings of a kind (and severities) per 1,000 changed lines.
pub(crate) fn finding_rate(
    org: &Org<'_>,
    w: &Window,
    kind: FindingKind,
    serious_only: bool,
) -> Result<Figure, String> {
    let (lines, commits) = org.changed_lines(w);
    if commits == 0 {
        return Err(format!(
            "no commits of window {} in the dataset to count changed lines",
            w.label()
        ));
    }
    if lines == 0 {
        return Err(format!(
            "no changed lines in window {} outside generated, vendored and lock files",
            w.label()
        ));
    }
    let new: Vec<&Finding> = org
        .findings_new_in(kind, w)
        .filter(|f| !serious_only || matches!(f.severity, Severity::High | Severity::Critical))
        .collect();
    let per1000 = |x: usize| 1000.0 * x as f64 / lines as f64;
    let mut f = Figure {
        value: per1000(new.len()),
        n: commits,
        numerator: Some(new.len() as f64),
        denominator: Some(lines as f64),
        breakdown: BTreeMap::new(),
        notes: Vec::new(),
    };
    let mut by_severity: BTreeMap<Severity, usize> = BTreeMap::new();
    for x in &new {
        *by_severity.entry(x.severity).or_default() += 1;
    }
    for (sev, n) in by_severity {
        f.breakdown
            .insert(sev.as_str().to_string(), entry(per1000(n), n as u64));
    }
    if kind == FindingKind::Security && !new.is_empty() {
        let paths: Vec<Option<&str>> = new.iter().map(|x| x.path.as_deref()).collect();
        let ai = in_ai_changed_files(org, w, &paths);
        f.notes.push(format!(
            "{ai} of {} new finding(s) ({:.0}%) are in files an AI-assisted commit changed in the window",
            new.len(),
            pct(ai as f64, new.len() as f64)
        ));
    }
    let open = org
        .findings_open_in(kind, w)
        .filter(|x| !serious_only || matches!(x.severity, Severity::High | Severity::Critical))
        .count();
    f.notes.push(format!(
        "{open} such finding(s) were open at some point in the window"
    ));
    Ok(f)
}

/// How many of `paths` name a file an AI-assisted commit of the window changed (as
/// [`paths_match`] compares them). The few paths are indexed by file name and the window's
/// changed files looked up in that index, rather than the other way round: a quarter's
/// AI-assisted commits change far more files than there are findings.
fn in_ai_changed_files(org: &Org<'_>, w: &Window, paths: &[Option<&str>]) -> usize {
    let mut by_name: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        let Some(p) = p.map(normal_path) else {
            continue;
        };
        let name = p.rsplit('/').next().unwrap_or("");
        if !name.is_empty() {
            by_name.entry(name).or_default().push((i, p));
        }
    }
    let mut hit = vec![false; paths.len()];
    if by_name.is_empty() {
        return 0;
    }
    let ai_commits = org.commits_in(w).map(|(c, _)| c).filter(|c| {
        !c.is_merge
            && (matches!(c.author_class, IdentityClass::AiAgent { .. })
                || c.detections
                    .iter()
                    .any(|d| d.kind == plumb_model::AiKind::Authored))
    });
    for c in ai_commits {
        for f in &c.files {
            let changed = normal_path(&f.path);
            let name = changed.rsplit('/').next().unwrap_or("");
            for &(i, p) in by_name.get(name).map_or(&[][..], Vec::as_slice) {
                if !hit[i] && paths_match(p, changed) {
                    hit[i] = true;
                }
            }
        }
    }
    hit.iter().filter(|h| **h).count()
}

/// A path without `file://`, `./` or a leading `/`, for comparison.
fn normal_path(p: &str) -> &str {
    let p = p.trim();
    let p = p.strip_prefix("file://").unwrap_or(p);
    p.trim_start_matches("./").trim_start_matches('/')
}

/// Whether two normalised paths name the same file: equal, or one ends with `/` + the
/// other (scanners write absolute or repository-relative paths).
fn paths_match(a: &str, b: &str) -> bool {
    let suffix = |long: &str, short: &str| {
        long.len() > short.len()
            && long.ends_with(short)
            && long.as_bytes()[long.len() - short.len() - 1] == b'/'
    };
    !a.is_empty() && !b.is_empty() && (a == b || suffix(a, b) || suffix(b, a))
}

/// Paths indexed by file name, so that matching a path compares it with the few paths of
/// the same name instead of all of them.
struct PathIndex<'p> {
    by_name: HashMap<&'p str, Vec<&'p str>>,
}

impl<'p> PathIndex<'p> {
    fn new(paths: impl IntoIterator<Item = &'p str>) -> Self {
        let mut by_name: HashMap<&'p str, Vec<&'p str>> = HashMap::new();
        for p in paths {
            let p = normal_path(p);
            let name = p.rsplit('/').next().unwrap_or("");
            if !name.is_empty() {
                by_name.entry(name).or_default().push(p);
            }
        }
        // Many commits change the same files: each path once, sorted.
        for paths in by_name.values_mut() {
            paths.sort_unstable();
            paths.dedup();
        }
        PathIndex { by_name }
    }

    fn matches(&self, path: &str) -> bool {
        let p = normal_path(path);
        let name = p.rsplit('/').next().unwrap_or("");
        self.by_name.get(name).is_some_and(|cands| {
            cands.binary_search(&p).is_ok() || cands.iter().any(|c| paths_match(c, p))
        })
    }
}

pub(crate) fn accessibility(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let mut scans: BTreeSet<(String, i64)> = BTreeSet::new();
    let mut violations = 0u64;
    for f in org.findings_of_kind(FindingKind::Accessibility) {
        let page = f
            .url
            .as_deref()
            .or(f.path.as_deref())
            .unwrap_or("")
            .trim()
            .to_string();
        for t in [secs(f.first_seen), secs(f.last_seen)] {
            if w.contains(t) {
                scans.insert((page.clone(), t.div_euclid(DAY)));
            }
        }
        if w.contains(secs(f.first_seen))
            && matches!(f.severity, Severity::High | Severity::Critical)
        {
            violations += 1;
        }
    }
    if scans.is_empty() {
        return Err(format!("no accessibility scans in window {}", w.label()));
    }
    let n = scans.len() as u64;
    Ok(Figure {
        value: violations as f64 / n as f64,
        n,
        numerator: Some(violations as f64),
        denominator: Some(n as f64),
        breakdown: BTreeMap::new(),
        notes: vec![
            "a scan is a distinct (page, day) on which an accessibility finding was first or last seen; violations are serious or critical findings first seen in the window".to_string(),
        ],
    })
}

/// Whether a changed file is UI code.
pub(crate) fn is_ui(path: &str) -> bool {
    let (mut dirs, file) = split_path(path);
    dirs.any(|c| c.eq_ignore_ascii_case("ui") || c.eq_ignore_ascii_case("components"))
        || [".tsx", ".jsx", ".vue", ".css", ".scss"]
            .iter()
            .any(|ext| ends_with_ignore_case(file, ext))
}

/// A path's directories and its file name (the part after the last `/`).
fn split_path(path: &str) -> (impl Iterator<Item = &str>, &str) {
    let (dirs, file) = path.rsplit_once('/').unwrap_or(("", path));
    (dirs.split('/'), file)
}

/// `s` ends with `suffix` (ASCII), ignoring ASCII case.
fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

pub(crate) fn design_compliance(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let files: HashSet<(&str, &str)> = org
        .commits_in(w)
        .filter(|(c, m)| !c.is_merge && m.ui)
        .map(|(c, _)| c)
        .flat_map(|c| {
            c.files
                .iter()
                .filter(|f| is_ui(&f.path))
                .map(move |f| (c.repo.as_ref(), f.path.as_str()))
        })
        .collect();
    let flagged_paths = PathIndex::new(
        org.findings_open_in(FindingKind::Design, w)
            .filter_map(|f| f.path.as_deref()),
    );
    let flagged = files
        .iter()
        .filter(|(_, path)| flagged_paths.matches(path))
        .count() as u64;
    let total = files.len() as u64;
    share(total - flagged, total, || {
        format!(
            "no UI files changed in window {} (paths under ui/ or components/, or *.tsx, *.jsx, *.vue, *.css, *.scss)",
            w.label()
        )
    })
}

pub(crate) fn retention(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let people = &org.data.records.people;
    if !people
        .iter()
        .any(|p| p.start_date.is_some() || p.end_date.is_some())
    {
        return Err(
            "the roster has no start or end dates: retention needs employment dates".to_string(),
        );
    }
    if w.seconds() < DAY {
        return Err("the window is shorter than a day".to_string());
    }
    let first = date_of(w.since);
    let last = date_of(w.until - 1);
    let min = org.config.min_group_size;
    let at_start: Vec<_> = org
        .ids
        .ids()
        .filter(|&id| org.ids.employed(id, first))
        .collect();
    if (at_start.len() as u64) < min {
        return Err(format!(
            "suppressed: {} people employed on the window's first day, fewer than privacy.min_group_size ({min})",
            at_start.len()
        ));
    }
    let annualise = |stayed: usize, of: usize| -> f64 {
        let r = stayed as f64 / of as f64;
        100.0 * r.powf(365.0 / w.days())
    };
    let stayed = at_start
        .iter()
        .filter(|&&id| org.ids.employed(id, last))
        .count();
    let mut f = Figure {
        value: annualise(stayed, at_start.len()),
        n: at_start.len() as u64,
        numerator: Some(stayed as f64),
        denominator: Some(at_start.len() as f64),
        breakdown: BTreeMap::new(),
        notes: vec![format!(
            "{stayed} of {} people employed on {first} were still employed on {last} ({:.1}% over the window), annualised",
            at_start.len(),
            pct(stayed as f64, at_start.len() as f64)
        )],
    };
    let mut teams: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for &id in &at_start {
        let t = teams.entry(org.ids.team_of(id).unwrap_or("")).or_default();
        t.1 += 1;
        if org.ids.employed(id, last) {
            t.0 += 1;
        }
    }
    let mut suppressed = 0;
    for (team, (s, of)) in teams {
        if team.is_empty() {
            continue;
        }
        if of as u64 >= min {
            f.breakdown
                .insert(format!("team {team}"), entry(annualise(s, of), of as u64));
        } else {
            suppressed += 1;
        }
    }
    if suppressed > 0 {
        f.notes.push(format!(
            "{suppressed} team(s) with fewer than {min} people left out of the breakdown (privacy.min_group_size)"
        ));
    }
    Ok(f)
}

/// How far apart band means may be before a note flags divergence, in percentage points.
const DIVERGENCE_POINTS: f64 = 10.0;

pub(crate) fn skill_growth(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let last_day = date_of(w.until.saturating_sub(1).max(w.since));
    let mut growth: Vec<(&str, f64)> = Vec::new();
    for (person, points) in org.skills_by_person() {
        let Some(&(latest, now)) = points.iter().rev().find(|(d, _)| w.contains_date(*d)) else {
            continue;
        };
        let (lo, hi, year) = (
            months_before(latest, 15),
            months_before(latest, 9),
            day_start(months_before(latest, 12)),
        );
        let before = points
            .iter()
            .filter(|(d, _)| lo <= *d && *d <= hi)
            .min_by_key(|(d, _)| ((day_start(*d) - year).abs(), *d));
        if let Some(&(_, then)) = before
            && then > 0.0
        {
            growth.push((person, pct(now - then, then)));
        }
    }
    if growth.is_empty() {
        return Err(format!(
            "no person has a skill assessment in window {} and another 9–15 months before it",
            w.label()
        ));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let all: Vec<f64> = growth.iter().map(|(_, g)| *g).collect();
    let mut bands: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (person, g) in &growth {
        let band = org
            .ids
            .resolve(person)
            .and_then(|id| org.ids.seniority(id, last_day))
            .map_or("unknown band".to_string(), |b| band_name(b).to_string());
        bands.entry(band).or_default().push(*g);
    }
    let min = org.config.min_group_size;
    let mut breakdown: BTreeMap<String, BreakdownEntry> = BTreeMap::new();
    let mut suppressed = 0;
    for (band, values) in &bands {
        if values.len() as u64 >= min {
            breakdown.insert(band.clone(), entry(mean(values), values.len() as u64));
        } else {
            suppressed += 1;
        }
    }
    let mut notes = vec![
        "growth = latest score in the window vs the score closest to a year earlier (9–15 months before), per person; the value is the mean over people".to_string(),
    ];
    if suppressed > 0 {
        notes.push(format!(
            "{suppressed} seniority band(s) with fewer than {min} people left out (privacy.min_group_size)"
        ));
    }
    let shown: Vec<(&String, f64)> = breakdown
        .iter()
        .filter(|(k, _)| k.as_str() != "unknown band")
        .map(|(k, e)| (k, e.value))
        .collect();
    if let (Some(lo), Some(hi)) = (
        shown.iter().min_by(|a, b| a.1.total_cmp(&b.1)),
        shown.iter().max_by(|a, b| a.1.total_cmp(&b.1)),
    ) && hi.1 - lo.1 > DIVERGENCE_POINTS
    {
        notes.push(format!(
            "divergence between seniority bands: {} grew {:.1}% and {} {:.1}%, more than {DIVERGENCE_POINTS:.0} points apart",
            hi.0, hi.1, lo.0, lo.1
        ));
    }
    Ok(Figure {
        value: mean(&all),
        n: all.len() as u64,
        numerator: None,
        denominator: None,
        breakdown,
        notes,
    })
}

fn band_name(b: plumb_link::Band) -> &'static str {
    match b {
        plumb_link::Band::Junior => "junior",
        plumb_link::Band::Mid => "mid",
        plumb_link::Band::Senior => "senior",
    }
}

pub(crate) fn innovation_share(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let created: Vec<_> = org.items_created_in(w).collect();
    let innovative = created
        .iter()
        .filter(|i| matches!(i.rec.kind, WorkType::Spike | WorkType::Experiment))
        .count() as u64;
    share(innovative, created.len() as u64, || {
        format!("no work items created in window {}", w.label())
    })
}

pub(crate) fn touches_docs(path: &str) -> bool {
    let (mut dirs, file) = split_path(path);
    ends_with_ignore_case(file, ".md")
        || dirs.any(|c| {
            ["docs", "doc", "adr", "adrs"]
                .iter()
                .any(|d| c.eq_ignore_ascii_case(d))
        })
}

pub(crate) fn knowledge_health(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let (mut commits, mut docs) = (0u64, 0u64);
    for (_, m) in org
        .commits_in(w)
        .filter(|(c, _)| !c.is_merge && c.author_class != IdentityClass::Bot)
    {
        commits += 1;
        docs += u64::from(m.docs);
    }
    let mut f = share(docs, commits, || {
        format!("no commits by people or AI agents in window {}", w.label())
    })?;
    if !org.data.records.reviews.is_empty() {
        let merged: Vec<_> = org.prs_merged_in(w).collect();
        if !merged.is_empty() {
            let two = merged.iter().filter(|p| p.reviewers >= 2).count();
            f.breakdown.insert(
                "PRs with ≥ 2 reviewers".to_string(),
                entry(pct(two as f64, merged.len() as f64), merged.len() as u64),
            );
        }
    }
    f.notes.push(
        "the value is the share of commits touching docs/, adr/ or *.md; ADRs per quarter and bus factor per repository are not computed in this version".to_string(),
    );
    Ok(f)
}

pub(crate) fn collaboration(org: &Org<'_>, w: &Window) -> Result<Figure, String> {
    let mut known = 0u64;
    let mut across = 0u64;
    let mut unknown = 0u64;
    let from = org.review_teams.partition_point(|r| r.0 < w.since);
    let to = org.review_teams.partition_point(|r| r.0 < w.until);
    for &(_, author_team, reviewer_team) in org.review_teams.get(from..to).unwrap_or_default() {
        match (author_team, reviewer_team) {
            (Some(a), Some(b)) => {
                known += 1;
                if a != b {
                    across += 1;
                }
            }
            _ => unknown += 1,
        }
    }
    let mut f = share(across, known, || {
        format!(
            "no reviews in window {} with both the reviewer's and the author's team on the roster",
            w.label()
        )
    })?;
    f.notes.push(
        "the value is the share of reviews given across teams; pairing (human co-author trailers) is not counted in this version".to_string(),
    );
    if unknown > 0 {
        f.notes.push(format!(
            "{unknown} review(s) with a reviewer or author not on the roster are left out"
        ));
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::{PathIndex, is_ui, touches_docs};

    #[test]
    fn a_path_index_matches_equal_and_suffix_paths_once_each() {
        let index = PathIndex::new([
            "src/app/main.rs",
            "./src/app/main.rs",
            "src/app/main.rs",
            "/repo/lib/util.rs",
            "file://docs/x.md",
        ]);
        assert_eq!(index.by_name["main.rs"], ["src/app/main.rs"]);
        for found in [
            "src/app/main.rs",
            "/abs/checkout/src/app/main.rs",
            "app/main.rs",
            "lib/util.rs",
            "/repo/lib/util.rs",
            "docs/x.md",
        ] {
            assert!(index.matches(found), "{found}");
        }
        for not in ["pp/main.rs", "main.rs.bak", "other/main.rs", "", "util.rs/"] {
            assert!(!index.matches(not), "{not}");
        }
    }

    #[test]
    fn ui_and_docs_paths_ignore_case_and_need_whole_names() {
        for ui in [
            "web/UI/button.ts",
            "src/Components/x.rs",
            "App.TSX",
            "styles/site.scss",
            "/abs/ui/x",
        ] {
            assert!(is_ui(ui), "{ui}");
        }
        for not in ["src/uikit/x.rs", "ui", "x.tsx.bak", "scss", "components.rs"] {
            assert!(!is_ui(not), "{not}");
        }
        for docs in ["README.MD", "Docs/guide.txt", "a/adr/0001.txt", "x/ADRS/y"] {
            assert!(touches_docs(docs), "{docs}");
        }
        for not in ["src/docsite/x.rs", "docs", "ö/ü.mdx", "md"] {
            assert!(!touches_docs(not), "{not}");
        }
    }
}
