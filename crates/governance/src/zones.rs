//! Risk zones: named sets of gitignore-style globs, each with an AI policy.

use crate::GovernanceError;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

/// What a zone allows AI-authored commits to do to its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AiPolicy {
    /// AI-authored changes are fine; the gate never blocks on this zone.
    Allowed,
    /// AI-authored changes need `required_approvals` approvals or the approval label.
    NeedsApproval,
    /// AI-authored changes fail the gate, approvals or not.
    Prohibited,
}

impl AiPolicy {
    pub fn as_str(&self) -> &'static str {
        match self {
            AiPolicy::Allowed => "allowed",
            AiPolicy::NeedsApproval => "needs-approval",
            AiPolicy::Prohibited => "prohibited",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "allowed" => Some(AiPolicy::Allowed),
            "needs-approval" => Some(AiPolicy::NeedsApproval),
            "prohibited" => Some(AiPolicy::Prohibited),
            _ => None,
        }
    }
}

/// One zone as configured (`[[zones]]` in plumb.toml) or built in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    pub name: String,
    /// Gitignore-style globs; see [`ZoneSet`] for the matching rules.
    pub paths: Vec<String>,
    pub ai: AiPolicy,
    /// Approvals an AI-touched `needs-approval` zone needs (at least 1 is always needed).
    pub required_approvals: u32,
    /// Groups whose members' approvals count, when the approvers' groups are known.
    pub reviewer_groups: Vec<String>,
    /// A pull-request label that approves the zone's AI changes on its own.
    pub approval_label: Option<String>,
    /// The AI-specific review checklist shown when the zone is touched.
    pub checklist: Vec<String>,
}

/// The zone a path falls in and the glob that put it there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneMatch<'a> {
    pub index: usize,
    pub zone: &'a Zone,
    /// The glob as written in the configuration.
    pub glob: &'a str,
}

/// Zones compiled for matching. The first zone (in configuration order) with a matching
/// glob wins, and within it the first matching glob is the one reported.
///
/// Globs follow `.gitignore`: `*` and `?` never cross a `/`, `**` spans directories, a
/// pattern without a `/` (other than a trailing one) matches at any depth (`*.md` is
/// `**/*.md`), a leading `/` anchors at the repository root, and a pattern that names a
/// directory also matches everything below it (`src/auth` matches `src/auth/login.rs`).
#[derive(Debug, Clone)]
pub struct ZoneSet {
    zones: Vec<Zone>,
    set: GlobSet,
    /// For each compiled glob: (zone index, index in the zone's `paths`).
    owners: Vec<(usize, usize)>,
}

/// The globs a gitignore-style pattern compiles to.
fn expand(pattern: &str) -> Vec<String> {
    let trimmed = pattern.trim();
    let dir_only = trimmed.ends_with('/');
    let body = trimmed.trim_end_matches('/');
    let anchored = body.starts_with('/');
    let body = body.trim_start_matches('/');
    let base = if !anchored && !body.contains('/') && !body.starts_with("**") {
        format!("**/{body}")
    } else {
        body.to_string()
    };
    if dir_only {
        return vec![format!("{base}/**")];
    }
    if base.ends_with("/**") {
        return vec![base];
    }
    vec![base.clone(), format!("{base}/**")]
}

impl ZoneSet {
    pub fn new(zones: Vec<Zone>) -> Result<Self, GovernanceError> {
        let mut builder = GlobSetBuilder::new();
        let mut owners = Vec::new();
        for (zi, zone) in zones.iter().enumerate() {
            if zone.name.trim().is_empty() {
                return Err(GovernanceError::Zone {
                    index: zi + 1,
                    zone: zone.name.clone(),
                    message: "name is empty".into(),
                });
            }
            if zones[..zi].iter().any(|z| z.name == zone.name) {
                return Err(GovernanceError::Zone {
                    index: zi + 1,
                    zone: zone.name.clone(),
                    message: "another zone has the same name".into(),
                });
            }
            if zone.paths.is_empty() {
                return Err(GovernanceError::Zone {
                    index: zi + 1,
                    zone: zone.name.clone(),
                    message: "paths is empty: a zone needs at least one glob".into(),
                });
            }
            if zone
                .approval_label
                .as_deref()
                .is_some_and(|l| l.trim().is_empty())
            {
                return Err(GovernanceError::Zone {
                    index: zi + 1,
                    zone: zone.name.clone(),
                    message: "approval_label is empty".into(),
                });
            }
            for (pi, pattern) in zone.paths.iter().enumerate() {
                if pattern.trim().trim_matches('/').is_empty() {
                    return Err(GovernanceError::Glob {
                        zone: zone.name.clone(),
                        glob: pattern.clone(),
                        message: "empty pattern".into(),
                    });
                }
                for g in expand(pattern) {
                    let glob = GlobBuilder::new(&g)
                        .literal_separator(true)
                        .backslash_escape(true)
                        .build()
                        .map_err(|e| GovernanceError::Glob {
                            zone: zone.name.clone(),
                            glob: pattern.clone(),
                            message: e.kind().to_string(),
                        })?;
                    builder.add(glob);
                    owners.push((zi, pi));
                }
            }
        }
        let set = builder.build().map_err(|e| GovernanceError::Glob {
            zone: String::new(),
            glob: e.glob().unwrap_or_default().to_string(),
            message: e.kind().to_string(),
        })?;
        Ok(ZoneSet { zones, set, owners })
    }

    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// The zone of `path` (relative to the repository root, `/`-separated), or `None` when
    /// no glob matches: such paths are treated as green (AI allowed, no approvals).
    pub fn classify(&self, path: &str) -> Option<ZoneMatch<'_>> {
        let path = path.trim_start_matches("./");
        let best = self
            .set
            .matches(path)
            .into_iter()
            .filter_map(|i| self.owners.get(i).copied())
            .min()?;
        let zone = self.zones.get(best.0)?;
        Some(ZoneMatch {
            index: best.0,
            zone,
            glob: zone.paths.get(best.1)?,
        })
    }
}

fn zone(
    name: &str,
    ai: AiPolicy,
    required_approvals: u32,
    groups: &[&str],
    label: Option<&str>,
    paths: &[&str],
    checklist: &[&str],
) -> Zone {
    Zone {
        name: name.into(),
        paths: paths.iter().map(|s| s.to_string()).collect(),
        ai,
        required_approvals,
        reviewer_groups: groups.iter().map(|s| s.to_string()).collect(),
        approval_label: label.map(str::to_string),
        checklist: checklist.iter().map(|s| s.to_string()).collect(),
    }
}

const RED_PATHS: &[&str] = &[
    "**/auth/**",
    "**/authn/**",
    "**/authz/**",
    "**/payments/**",
    "**/billing/**",
    "**/crypto/**",
    "**/migrations/**",
    "**/pii/**",
    "**/phi/**",
];

const RED_CHECKLIST: &[&str] = &[
    "Threat model updated for the changed flow",
    "No secrets, keys or PII in code, logs or tests",
    "Every AI-written branch covered by a test a human read",
    "Schema migrations are reversible and were tried on a copy of production data",
];

const YELLOW_PATHS: &[&str] = &["**/api/**", "**/components/**", "**/*.sql"];

const YELLOW_CHECKLIST: &[&str] = &[
    "API endpoints: authorisation and input validation reviewed (security review)",
    "Database queries: parameterised, indexed, query plan checked (SQL review)",
    "UI components: match the design system and accessibility rules (design review)",
];

const GREEN_PATHS: &[&str] = &[
    "**/tests/**",
    "**/test/**",
    "**/*_test.*",
    "**/*.test.*",
    "docs/**",
    "**/*.md",
    "scripts/**",
    "tools/**",
];

fn red(extra: &[&str], approvals: u32) -> Zone {
    let paths: Vec<&str> = RED_PATHS.iter().chain(extra).copied().collect();
    zone(
        "red",
        AiPolicy::NeedsApproval,
        approvals,
        &["security"],
        Some("ai-approved"),
        &paths,
        RED_CHECKLIST,
    )
}

fn yellow(extra: &[&str]) -> Zone {
    let paths: Vec<&str> = YELLOW_PATHS.iter().chain(extra).copied().collect();
    zone(
        "yellow",
        AiPolicy::Allowed,
        1,
        &["security", "design", "dba"],
        None,
        &paths,
        YELLOW_CHECKLIST,
    )
}

fn green() -> Zone {
    zone("green", AiPolicy::Allowed, 0, &[], None, GREEN_PATHS, &[])
}

/// The built-in zones used when plumb.toml has no `[[zones]]`: red (needs-approval, 2
/// approvals, security), yellow (allowed, reviews expected), green (allowed), in that
/// order so that the strictest zone wins a path two zones both match.
pub fn default_zones() -> Vec<Zone> {
    vec![red(&[], 2), yellow(&[]), green()]
}

/// The industry presets' names, for messages.
pub const PRESETS: &[&str] = &["saas", "fintech", "healthcare", "consumer"];

/// An industry preset: the defaults, tightened.
///
/// - `saas`: red also covers tenancy, SSO/OAuth and API keys.
/// - `fintech`: a `restricted` zone (payments, billing, ledger, cryptography) where AI is
///   prohibited; SQL and migrations need approval; red needs 2 approvals.
/// - `healthcare`: a `restricted` zone for PHI/PII and patient records where AI is
///   prohibited; red needs 2 approvals.
/// - `consumer`: red also covers privacy, consent and account deletion; UI stays yellow.
pub fn preset(name: &str) -> Result<Vec<Zone>, GovernanceError> {
    let restricted = |paths: &[&str]| {
        zone(
            "restricted",
            AiPolicy::Prohibited,
            2,
            &["security"],
            None,
            paths,
            &[
                "This change must be written by a person: AI assistance is prohibited here",
                "Threat model updated for the changed flow",
            ],
        )
    };
    match name {
        "saas" => Ok(vec![
            red(
                &[
                    "**/tenancy/**",
                    "**/tenants/**",
                    "**/sso/**",
                    "**/oauth/**",
                    "**/api_keys/**",
                ],
                2,
            ),
            yellow(&[]),
            green(),
        ]),
        "fintech" => Ok(vec![
            restricted(&[
                "**/payments/**",
                "**/billing/**",
                "**/ledger/**",
                "**/crypto/**",
            ]),
            red(&["**/*.sql", "**/kyc/**", "**/aml/**"], 2),
            yellow(&[]),
            green(),
        ]),
        "healthcare" => Ok(vec![
            restricted(&["**/phi/**", "**/pii/**", "**/patients/**", "**/hipaa/**"]),
            red(&["**/*.sql", "**/records/**"], 2),
            yellow(&[]),
            green(),
        ]),
        "consumer" => Ok(vec![
            red(
                &["**/privacy/**", "**/consent/**", "**/account_deletion/**"],
                2,
            ),
            yellow(&["**/ui/**"]),
            green(),
        ]),
        _ => Err(GovernanceError::UnknownPreset {
            name: name.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(globs: &[&str]) -> ZoneSet {
        match ZoneSet::new(vec![zone("z", AiPolicy::Allowed, 0, &[], None, globs, &[])]) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn globs_follow_gitignore() {
        let cases: &[(&str, &str, bool)] = &[
            ("**/auth/**", "src/auth/login.rs", true),
            ("**/auth/**", "auth/login.rs", true),
            ("**/auth/**", "src/auth/deep/er/x.rs", true),
            ("**/auth/**", "src/oauth/login.rs", false),
            ("**/auth/**", "src/auth.rs", false),
            ("*.md", "README.md", true),
            ("*.md", "docs/deep/guide.md", true),
            ("docs/**", "docs/a/b.txt", true),
            ("docs/**", "src/docs/b.txt", false),
            ("src/*.rs", "src/main.rs", true),
            ("src/*.rs", "src/auth/main.rs", false),
            ("/Makefile", "Makefile", true),
            ("/Makefile", "sub/Makefile", false),
            ("vendor/", "vendor/x/y.c", true),
            ("src/auth", "src/auth/login.rs", true),
            ("src/auth", "src/auth", true),
            ("**/*_test.*", "pkg/a/foo_test.go", true),
            ("**/migrations/**/*.sql", "db/migrations/001/init.sql", true),
            ("**/migrations/**/*.sql", "db/migrations/init.sql", true),
            ("file?.rs", "file1.rs", true),
            ("file?.rs", "file/.rs", false),
        ];
        for (glob, path, expected) in cases {
            assert_eq!(
                set(&[glob]).classify(path).is_some(),
                *expected,
                "{glob} vs {path}"
            );
        }
    }

    #[test]
    fn first_zone_and_first_glob_win() {
        let zones = match ZoneSet::new(default_zones()) {
            Ok(z) => z,
            Err(e) => panic!("{e}"),
        };
        let m = zones.classify("src/auth/tests/login_test.rs");
        assert_eq!(
            m.map(|m| (m.zone.name.as_str(), m.glob)),
            Some(("red", "**/auth/**"))
        );
        let m = zones.classify("db/migrations/001.sql");
        assert_eq!(
            m.map(|m| (m.zone.name.as_str(), m.glob)),
            Some(("red", "**/migrations/**"))
        );
        let m = zones.classify("queries/report.sql");
        assert_eq!(
            m.map(|m| (m.zone.name.as_str(), m.glob)),
            Some(("yellow", "**/*.sql"))
        );
        let m = zones.classify("README.md");
        assert_eq!(
            m.map(|m| (m.zone.name.as_str(), m.glob)),
            Some(("green", "**/*.md"))
        );
        assert!(zones.classify("src/main.rs").is_none());
    }

    #[test]
    fn bad_zones_are_errors_that_name_the_zone() {
        let bad = ZoneSet::new(vec![zone(
            "red",
            AiPolicy::Allowed,
            0,
            &[],
            None,
            &["src/[a"],
            &[],
        )]);
        let e = bad
            .map(|_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("red") && e.contains("src/[a"), "{e}");
        let dup = ZoneSet::new(vec![green(), green()]);
        assert!(dup.is_err());
        let empty = ZoneSet::new(vec![zone("x", AiPolicy::Allowed, 0, &[], None, &[], &[])]);
        assert!(empty.is_err());
    }

    #[test]
    fn presets_compile_and_tighten() {
        for name in PRESETS {
            let zones = match preset(name) {
                Ok(z) => z,
                Err(e) => panic!("{e}"),
            };
            assert!(ZoneSet::new(zones).is_ok(), "{name}");
        }
        let fintech = match preset("fintech").and_then(ZoneSet::new) {
            Ok(z) => z,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            fintech
                .classify("src/payments/charge.rs")
                .map(|m| m.zone.ai),
            Some(AiPolicy::Prohibited)
        );
        assert!(preset("banking").is_err());
    }
}
