//! `plumb.toml`: every key has a default, so no file at all is a valid configuration.
//! Unknown keys are an error that names the key and its line.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "plumb.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub org: Org,
    pub database: Database,
    pub privacy: Privacy,
    pub metrics: Metrics,
    pub ai: plumb_provenance::ProvenanceConfig,
    pub scorecard: Scorecard,
    /// Risk zones for `plumb gate`, first match wins (built-in defaults when absent).
    pub zones: Option<Vec<ZoneConfig>>,
    /// Reviewer groups named by zones' `reviewer_groups`: group → forge logins. When set,
    /// only approvals from a zone's groups count for it.
    pub groups: BTreeMap<String, Vec<String>>,
    // Sections that later versions of plumb read. They are accepted (and checked to be
    // tables or arrays of tables) so that a complete plumb.toml written from the spec
    // works today; `plumb -v` says they are not used yet.
    pub repos: Option<Vec<toml::Table>>,
    /// Teams: rollout dates and members (emails or logins), beside `plumb import teams` /
    /// `people`.
    pub teams: Vec<TeamConfig>,
    pub cohorts: Option<toml::Table>,
    /// The assumptions value and ROI are computed from.
    pub value_model: Option<ValueModel>,
    /// The folder the file was read from; relative paths in it are relative to this.
    #[serde(skip)]
    pub dir: Option<PathBuf>,
}

/// One `[[teams]]` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TeamConfig {
    pub name: String,
    /// `YYYY-MM-DD`.
    pub ai_rollout_date: Option<String>,
    pub members: Vec<String>,
}

/// `[value_model]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ValueModel {
    /// Currency units per delivered feature.
    pub average_feature_value: Option<f64>,
    /// Loaded cost of one engineer-day.
    pub loaded_cost_per_engineer_day: Option<f64>,
    pub currency: Option<String>,
    pub cost_per_incident_hour: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Org {
    pub name: Option<String>,
    pub quarter_start_month: Option<u8>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Database {
    /// `sqlite://PATH`; a plain path is accepted too.
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Privacy {
    pub min_group_size: u64,
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy { min_group_size: 5 }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Metrics {
    pub min_sample: u64,
    pub incident_link_window_days: u64,
    /// Paths left out of line counts (generated, vendored, lock files) on top of the built-in list.
    pub exclude: Vec<String>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            min_sample: 5,
            incident_link_window_days: 7,
            exclude: Vec::new(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scorecard {
    /// Dimension weights, normalised: adoption, process, quality, outcomes, cost.
    pub weights: BTreeMap<String, f64>,
    /// Metric id → target, plus `tolerance_pct`.
    pub targets: BTreeMap<String, f64>,
}

/// One `[[zones]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneConfig {
    pub name: String,
    /// Gitignore-style globs.
    pub paths: Vec<String>,
    #[serde(default = "default_ai")]
    pub ai: plumb_governance::AiPolicy,
    #[serde(default)]
    pub required_approvals: u32,
    #[serde(default)]
    pub reviewer_groups: Vec<String>,
    #[serde(default)]
    pub approval_label: Option<String>,
    #[serde(default)]
    pub checklist: Vec<String>,
}

fn default_ai() -> plumb_governance::AiPolicy {
    plumb_governance::AiPolicy::Allowed
}

/// The zones `plumb gate` and `plumb zones` apply: `--preset`, else `[[zones]]`, else the
/// built-in defaults. A preset and configured zones together are an error.
pub fn zone_set(
    config: &Config,
    preset: Option<&str>,
) -> anyhow::Result<plumb_governance::ZoneSet> {
    let zones = match (preset, &config.zones) {
        (Some(_), Some(_)) => {
            bail!("--preset cannot be combined with [[zones]] in plumb.toml: remove one of them")
        }
        (Some(name), None) => plumb_governance::preset(name)?,
        (None, Some(zones)) => zones
            .iter()
            .map(|z| plumb_governance::Zone {
                name: z.name.clone(),
                paths: z.paths.clone(),
                ai: z.ai,
                required_approvals: z.required_approvals,
                reviewer_groups: z.reviewer_groups.clone(),
                approval_label: z.approval_label.clone(),
                checklist: z.checklist.clone(),
            })
            .collect(),
        (None, None) => plumb_governance::default_zones(),
    };
    plumb_governance::ZoneSet::new(zones).context("[[zones]]")
}

/// Reads `path`, or `./plumb.toml` when it exists, or returns the defaults.
pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
    let path = match path {
        Some(p) => p.to_path_buf(),
        None => {
            let default = PathBuf::from(FILE_NAME);
            if !default.exists() {
                return Ok(Config::default());
            }
            default
        }
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{}: cannot read the configuration", path.display()))?;
    let mut config = parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    config.dir = path
        .canonicalize()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    for (section, present) in [
        ("repos", config.repos.is_some()),
        ("cohorts", config.cohorts.is_some()),
    ] {
        if present {
            tracing::info!(
                "{}: [{section}] is not used by this version of plumb",
                path.display()
            );
        }
    }
    Ok(config)
}

/// Parses configuration text and checks what serde cannot.
pub fn parse(text: &str) -> anyhow::Result<Config> {
    let config: Config =
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{}", e.to_string().trim_end()))?;
    // Checked here, built where it is used (ingesting).
    plumb_provenance::Catalogue::check_config(&config.ai).context("[ai]")?;
    if !config.groups.is_empty() {
        for zone in config.zones.iter().flatten() {
            for group in &zone.reviewer_groups {
                if !config.groups.contains_key(group) {
                    bail!(
                        "[[zones]] {:?}: reviewer group {group:?} is not defined in [groups]",
                        zone.name
                    );
                }
            }
        }
    }
    for key in config.scorecard.weights.keys() {
        if plumb_metrics::Dimension::parse(key).is_none() {
            bail!(
                "[scorecard.weights]: unknown dimension {key:?}, expected adoption, process, quality, outcomes or cost"
            );
        }
    }
    for (key, value) in &config.scorecard.targets {
        if key == "tolerance_pct" {
            if !(0.0..=100.0).contains(value) {
                bail!("[scorecard.targets]: tolerance_pct = {value} is not between 0 and 100");
            }
            continue;
        }
        if !plumb_metrics::catalogue().iter().any(|m| m.id == key) {
            bail!(
                "[scorecard.targets]: unknown metric id {key:?} (see docs/report-schema.md for the ids)"
            );
        }
    }
    if config.zones.is_some() {
        zone_set(&config, None)?;
    }
    let mut names = std::collections::BTreeSet::new();
    for team in &config.teams {
        if team.name.trim().is_empty() {
            bail!("[[teams]]: every team needs a name");
        }
        if !names.insert(team.name.as_str()) {
            bail!("[[teams]] {:?}: the team is listed twice", team.name);
        }
        if let Some(d) = &team.ai_rollout_date {
            plumb_import::tabular::parse_date(d).map_err(|why| {
                anyhow::anyhow!("[[teams]] {:?}: ai_rollout_date {d:?} {why}", team.name)
            })?;
        }
    }
    if let Some(url) = &config.database.url
        && !url.starts_with("sqlite://")
        && url.contains("://")
    {
        bail!("[database] url {url:?}: only sqlite:// stores are supported by this version");
    }
    Ok(config)
}

/// The store file: `--db`, else `[database] url`, else `.plumb/plumb.db` beside the
/// configuration file (or in the current folder).
pub fn database_path(flag: Option<&Path>, config: &Config) -> PathBuf {
    if let Some(path) = flag {
        return path.to_path_buf();
    }
    let base = config.dir.clone().unwrap_or_default();
    match &config.database.url {
        Some(url) => base.join(url.strip_prefix("sqlite://").unwrap_or(url)),
        None => base.join(".plumb").join("plumb.db"),
    }
}

/// The metrics engine's configuration from the file.
pub fn metrics_config(config: &Config) -> plumb_metrics::MetricsConfig {
    let mut m = plumb_metrics::MetricsConfig {
        min_sample: config.metrics.min_sample,
        min_group_size: config.privacy.min_group_size,
        excluded_paths: config.metrics.exclude.clone(),
        incident_link_window_days: config.metrics.incident_link_window_days,
        value_model: config
            .value_model
            .as_ref()
            .map(|v| plumb_metrics::ValueModel {
                average_feature_value: v.average_feature_value,
                loaded_cost_per_engineer_day: v.loaded_cost_per_engineer_day,
                currency: v.currency.clone().unwrap_or_else(|| "USD".to_string()),
                cost_per_incident_hour: v.cost_per_incident_hour,
            }),
        ..plumb_metrics::MetricsConfig::default()
    };
    for (key, weight) in &config.scorecard.weights {
        if let Some(d) = plumb_metrics::Dimension::parse(key) {
            m.weights.insert(d, *weight);
        }
    }
    for (key, value) in &config.scorecard.targets {
        if key == "tolerance_pct" {
            m.tolerance_pct = *value;
        } else {
            m.target_overrides.insert(key.clone(), *value);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        match parse(text) {
            Ok(_) => panic!("expected an error for {text:?}"),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn empty_file_is_valid() {
        assert!(parse("").is_ok());
    }

    #[test]
    fn unknown_keys_name_the_key_and_line() {
        let e = error_of("[org]\nname = \"Acme\"\nnmae = \"x\"\n");
        assert!(e.contains("nmae") && e.contains("line 3"), "{e}");
        let e = error_of("[privacy]\nmin_group = 3\n");
        assert!(e.contains("min_group") && e.contains("line 2"), "{e}");
    }

    #[test]
    fn teams_and_value_model_are_read_and_checked() {
        let c = parse(
            "[[teams]]\nname = \"payments\"\nai_rollout_date = \"2026-02-01\"\nmembers = [\"ana@acme.com\", \"bochen\"]\n\n\
             [value_model]\naverage_feature_value = 50000\nloaded_cost_per_engineer_day = 800\ncurrency = \"EUR\"\n",
        )
        .unwrap();
        assert_eq!(c.teams.len(), 1);
        assert_eq!(c.teams[0].members, ["ana@acme.com", "bochen"]);
        let m = metrics_config(&c);
        let v = m.value_model.unwrap();
        assert_eq!(v.average_feature_value, Some(50000.0));
        assert_eq!(v.currency, "EUR");

        let e = error_of("[[teams]]\nname = \"payments\"\nai_rollout_date = \"2026-02-30\"\n");
        assert!(
            e.contains("\"payments\"") && e.contains("2026-02 has no day 30"),
            "{e}"
        );
        let e = error_of("[[teams]]\nname = \"a\"\n[[teams]]\nname = \"a\"\n");
        assert!(e.contains("listed twice"), "{e}");
        let e = error_of("[[teams]]\nname = \"a\"\nmembrs = []\n");
        assert!(e.contains("membrs") && e.contains("line 3"), "{e}");
        let e = error_of("[value_model]\nfeature_value = 1\n");
        assert!(e.contains("feature_value"), "{e}");
    }

    #[test]
    fn bad_signature_regex_is_an_error() {
        let e = error_of("[[ai.signatures]]\ntool = \"x\"\nfield = \"trailer\"\npattern = \"(\"\n");
        assert!(e.contains("[ai]") && e.contains("pattern"), "{e}");
    }

    #[test]
    fn scorecard_keys_are_checked() {
        assert!(error_of("[scorecard.weights]\nadoptoin = 1\n").contains("adoptoin"));
        assert!(error_of("[scorecard.targets]\n\"dora.nope\" = 1\n").contains("dora.nope"));
        assert!(
            parse(
                "[scorecard.targets]\n\"adoption.active_ai_users_pct\" = 70\ntolerance_pct = 10\n"
            )
            .is_ok()
        );
    }

    #[test]
    fn zones_are_typed_and_checked() {
        let ok = parse(
            "[[zones]]\nname = \"red\"\npaths = [\"**/auth/**\"]\nai = \"needs-approval\"\nrequired_approvals = 2\napproval_label = \"ai-approved\"\n",
        );
        assert!(ok.is_ok(), "{ok:?}");
        let e = error_of("[[zones]]\nname = \"red\"\npaths = [\"x\"]\nai = \"maybe\"\n");
        assert!(e.contains("maybe") && e.contains("line 4"), "{e}");
        let e = error_of("[[zones]]\nname = \"red\"\npaths = [\"x\"]\nreviewers = []\n");
        assert!(e.contains("reviewers") && e.contains("line 4"), "{e}");
        let e = error_of("[[zones]]\nname = \"red\"\npaths = [\"src/[a\"]\n");
        assert!(e.contains("[[zones]]") && e.contains("src/[a"), "{e}");
    }

    #[test]
    fn database_path_defaults_beside_the_config() {
        let mut c = Config::default();
        assert_eq!(database_path(None, &c), PathBuf::from(".plumb/plumb.db"));
        c.dir = Some(PathBuf::from("/etc/acme"));
        assert_eq!(
            database_path(None, &c),
            PathBuf::from("/etc/acme/.plumb/plumb.db")
        );
        c.database.url = Some("sqlite://data/p.db".into());
        assert_eq!(
            database_path(None, &c),
            PathBuf::from("/etc/acme/data/p.db")
        );
        assert_eq!(
            database_path(Some(Path::new("x.db")), &c),
            PathBuf::from("x.db")
        );
        assert!(error_of("[database]\nurl = \"postgres://h/db\"\n").contains("sqlite"));
    }
}
