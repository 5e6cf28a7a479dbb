//! `plumb init`: writes a commented `plumb.toml` with every key the configuration reads.
//!
//! The file is a working configuration and its own reference at once. Keys whose default
//! is a plain value are written active with that value; keys whose default is "absent"
//! (a name, a store URL, teams, a value model, zones) are written as commented examples,
//! because writing them active would change what plumb does. A profile's deliberate
//! changes — scorecard weights, tighter targets, the industry's risk zones — are written
//! active and listed in the header. So the file parses to exactly the defaults, apart
//! from the profile (checked by the tests below).

use crate::cli::InitArgs;
use crate::config::FILE_NAME;
use crate::{exit, output};
use anyhow::{Context, bail};
use plumb_metrics::{Dimension, Direction, TargetBasis, TargetOp};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub fn run(config_flag: Option<&Path>, args: &InitArgs) -> anyhow::Result<u8> {
    let profile = match args.profile.as_deref() {
        Some(name) => Some(Profile::parse(name)?),
        None => None,
    };
    let path: PathBuf = config_flag.map_or_else(|| PathBuf::from(FILE_NAME), Path::to_path_buf);
    let text = render(profile, false)?;
    if args.force {
        std::fs::write(&path, &text)
            .with_context(|| format!("{}: cannot write the configuration", path.display()))?;
    } else {
        // `create_new`: refusing and writing are one step, so a file that appears between a
        // check and the write is not overwritten either.
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
                "{}: the file already exists; pass --force to overwrite it",
                path.display()
            ),
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("{}: cannot write the configuration", path.display())
                });
            }
        };
        std::io::Write::write_all(&mut file, text.as_bytes())
            .with_context(|| format!("{}: cannot write the configuration", path.display()))?;
    }
    let what = match profile {
        Some(p) => format!(" (profile {})", p.name()),
        None => String::new(),
    };
    output::print(&format!("wrote {}{what}\n", path.display()))?;
    Ok(exit::OK)
}

/// An industry profile: the defaults with deliberate changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Saas,
    Fintech,
    Healthcare,
    Consumer,
}

impl Profile {
    pub const ALL: [Profile; 4] = [
        Profile::Saas,
        Profile::Fintech,
        Profile::Healthcare,
        Profile::Consumer,
    ];

    pub fn parse(name: &str) -> anyhow::Result<Profile> {
        Profile::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .with_context(|| {
                format!("unknown profile {name:?}, expected saas, fintech, healthcare or consumer")
            })
    }

    pub fn name(self) -> &'static str {
        match self {
            Profile::Saas => "saas",
            Profile::Fintech => "fintech",
            Profile::Healthcare => "healthcare",
            Profile::Consumer => "consumer",
        }
    }

    /// Why the profile differs from the defaults, for the file's header.
    fn summary(self) -> &'static str {
        match self {
            Profile::Saas => {
                "the defaults were written for SaaS teams: equal weights and the catalogue's \
                 targets; its risk zones add tenancy, SSO/OAuth and API keys to red"
            }
            Profile::Fintech => {
                "a defect reaches money: quality weighs double, change failure rate, defect \
                 rate and security findings are held tighter, and AI is prohibited in \
                 payments, billing, ledger and cryptography"
            }
            Profile::Healthcare => {
                "a defect reaches patients: quality weighs double, change failure rate and \
                 security findings are held tighter, accessibility must improve by a set \
                 amount, and AI is prohibited where PHI/PII and patient records live"
            }
            Profile::Consumer => {
                "value is in what users get: business outcomes weigh double, features \
                 delivered must grow faster and accessibility must improve by a set amount; \
                 privacy, consent and account deletion are red"
            }
        }
    }

    /// `[scorecard.weights]` that differ from 1.
    pub fn weights(self) -> &'static [(Dimension, f64)] {
        match self {
            Profile::Saas => &[],
            Profile::Fintech | Profile::Healthcare => &[(Dimension::Quality, 2.0)],
            Profile::Consumer => &[(Dimension::Outcomes, 2.0)],
        }
    }

    /// `[scorecard.targets]` that differ from the catalogue, with why.
    pub fn targets(self) -> &'static [(&'static str, f64, &'static str)] {
        const CFR: (&str, f64, &str) = (
            "dora.change_failure_rate_pct",
            3.0,
            "at most 3% of deployments fail (default 5%)",
        );
        const SECURITY: (&str, f64, &str) = (
            "quality.security_findings",
            -20.0,
            "findings per 1,000 changed lines fall by at least 20% vs the baseline (default: any fall)",
        );
        match self {
            Profile::Saas => &[],
            Profile::Fintech => &[
                CFR,
                SECURITY,
                (
                    "quality.defect_rate",
                    3.0,
                    "at most 3 bugs per 100 merged PRs (default 5)",
                ),
            ],
            Profile::Healthcare => &[
                CFR,
                SECURITY,
                (
                    "quality.accessibility_failures",
                    -20.0,
                    "accessibility failures per scan fall by at least 20% vs the baseline (default: any fall)",
                ),
            ],
            Profile::Consumer => &[
                (
                    "outcomes.features_delivered",
                    25.0,
                    "features delivered grow by at least 25% vs the baseline (default 20%)",
                ),
                (
                    "quality.accessibility_failures",
                    -20.0,
                    "accessibility failures per scan fall by at least 20% vs the baseline (default: any fall)",
                ),
            ],
        }
    }
}

/// The file's text. With `enable_examples`, the commented examples are written active too
/// (the tests use it to check every example is a key the configuration reads).
pub fn render(profile: Option<Profile>, enable_examples: bool) -> anyhow::Result<String> {
    let mut t = Template {
        out: String::new(),
        enable_examples,
    };
    header(&mut t, profile);

    t.section(
        "[org]",
        "The organisation. Both keys are optional; reports use calendar quarters today.",
    );
    t.comment("Shown in reports. Default: none.");
    t.example(&["name = \"Acme\""]);
    t.comment("First month of the fiscal year, 1-12. Default: 1. Read by later versions of plumb.");
    t.example(&["quarter_start_month = 1"]);

    t.section("[database]", "Where plumb keeps what it reads.");
    t.comment(
        "sqlite://PATH, relative to this file; a plain path works too. Default: .plumb/plumb.db",
    );
    t.comment("beside this file. --db and PLUMB_DB take precedence. Only SQLite in this version.");
    t.comment(
        "(Setting it also makes `plumb gate` record its decisions even before a store exists.)",
    );
    t.example(&["url = \"sqlite://.plumb/plumb.db\""]);

    t.section("[privacy]", "");
    t.comment("The smallest group of people any person-derived figure is shown for. Default: 5.");
    t.setting("min_group_size = 5");

    t.section("[metrics]", "");
    t.comment("Below this sample a value is shown flagged low_sample and not scored. Default: 5.");
    t.setting("min_sample = 5");
    t.comment(
        "An incident is blamed on the latest production deployment that finished at most this",
    );
    t.comment("many days before it (when the incident names none). Default: 7.");
    t.setting("incident_link_window_days = 7");
    t.comment("Paths left out of line counts (gitignore-style globs) on top of the built-in");
    t.comment(
        "generated, vendored and lock files. Default: none, e.g. [\"vendor/**\", \"**/*.pb.go\"].",
    );
    t.setting("exclude = []");

    t.section(
        "[ai]",
        "AI provenance: the built-in signature catalogue (shared/spec/ai-signatures.md) plus yours.",
    );
    t.comment("Built-in signature ids or whole tool ids to switch off, e.g. [\"cursor.branch\"]. Default: none.");
    t.setting("disable = []");
    t.comment("Extra signatures on top of the built-in catalogue (repeat the block for more). field is one");
    t.comment("of trailer, author, committer, message, subject, branch, label, body, pr-author; pattern is");
    t.comment(
        "a case-insensitive regular expression; kind is authored (default) or review-suggestion.",
    );
    t.example(&[
        "[[ai.signatures]]",
        "tool = \"internal-agent\"",
        "field = \"trailer\"",
        "pattern = \"^Assisted-by: acme-agent\"",
        "kind = \"authored\"",
    ]);

    t.blank();
    t.comment("[[repos]]: repositories to read. Accepted, but not used by this version of plumb:");
    t.comment("name repositories on the command line (`plumb ingest PATH`, `plumb report PATH`).");
    t.example(&[
        "[[repos]]",
        "name = \"web\"",
        "path = \"../web\"",
        "github = \"acme/web\"",
        "exclude = [\"vendor/**\", \"**/*.lock\", \"**/generated/**\"]",
    ]);

    t.blank();
    t.comment(
        "[[teams]]: a team's AI rollout date (YYYY-MM-DD) and members (emails or forge logins),",
    );
    t.comment(
        "beside `plumb import teams` / `people` (an imported teams file wins where both say).",
    );
    t.comment("Default: none. Repeat the block per team.");
    t.example(&[
        "[[teams]]",
        "name = \"payments\"",
        "ai_rollout_date = \"2026-02-01\"",
        "members = [\"ana@acme.com\", \"bo@acme.com\"]",
    ]);

    t.blank();
    t.comment(
        "[cohorts]: how developers are split into AI-heavy and AI-light. Accepted, but not used by",
    );
    t.comment("this version of plumb.");
    t.example(&["[cohorts]", "split = \"tercile\""]);

    t.section(
        "[scorecard.weights]",
        "Dimension weights for the overall score, normalised. Default: 1 each.",
    );
    for d in Dimension::ALL {
        let w = profile
            .and_then(|p| p.weights().iter().find(|(x, _)| *x == d).map(|(_, w)| *w))
            .unwrap_or(1.0);
        let note = if w == 1.0 {
            String::new()
        } else {
            format!("   # profile {}", profile.map_or("", Profile::name))
        };
        t.setting(&format!("{} = {}{note}", d.as_str(), number(w)));
    }

    t.section(
        "[scorecard.targets]",
        "Override a metric's target: \"metric id\" = number (see docs/report-schema.md for the ids).",
    );
    t.comment(
        "The number keeps the target's comparison: \"at least\" / \"at most\" a value, or a change \
         in percent vs the baseline period for a relative target. A target shown as ↓/↑ (any move \
         the better way) becomes a change in percent to reach: -10 for a fall of at least 10%, 10 \
         for a rise of at least 10%. A metric with no default target gets \"at least\" / \"at \
         most\" the number, in its better direction. Commented lines are the defaults.",
    );
    t.comment("How far short of a target still counts as near (⚠️), in percent. Default: 20.");
    t.setting("tolerance_pct = 20");
    let overrides = profile.map_or(&[][..], |p| p.targets());
    for (id, value, _) in overrides {
        t.setting(&format!(
            "{:<48} # profile {} (see the header)",
            format!("\"{id}\" = {}", number(*value)),
            profile.map_or("", Profile::name)
        ));
    }
    for def in plumb_metrics::catalogue() {
        if def.direction == Direction::Context || overrides.iter().any(|(id, _, _)| *id == def.id) {
            continue;
        }
        let (example, meaning) = match def.target {
            Some(target) => describe_target(&target, def.direction),
            // The spec's "configured" targets: no default, scored once one is set.
            None => {
                let word = match def.direction {
                    Direction::HigherIsBetter => "at least",
                    _ => "at most",
                };
                let why = if def.target_configured {
                    "no default: set one to score it"
                } else {
                    "no default target"
                };
                (
                    "0".to_string(),
                    format!(
                        "{why}; a number sets {word} that many{}",
                        unit_words(def.unit)
                    ),
                )
            }
        };
        t.example_with_note(&format!("\"{}\" = {example}", def.id), &meaning);
    }

    // An empty [value_model] table is a value model with no assumptions, not the default
    // (none): the whole section is an example.
    t.blank();
    t.comment(
        "[value_model]: the assumptions value created and ROI are computed from, printed beside",
    );
    t.comment(
        "them: currency units per delivered feature, the loaded cost of an engineer-day, the",
    );
    t.comment(
        "currency (default USD) and the cost of one hour of incident. Default: none (value and ROI",
    );
    t.comment("then say which assumption is missing).");
    t.example(&[
        "[value_model]",
        "average_feature_value = 50000",
        "loaded_cost_per_engineer_day = 800",
        "currency = \"USD\"",
        "cost_per_incident_hour = 2000",
    ]);

    zones(&mut t, profile)?;

    t.blank();
    t.comment(
        "[groups]: reviewer groups named by zones' reviewer_groups, each a list of forge logins.",
    );
    t.comment(
        "When set, only approvals from a zone's groups count for it, and every group a zone names",
    );
    t.comment("must be defined here. Default: none (any approval counts).");
    t.example(&[
        "[groups]",
        "security = [\"ana\", \"bochen\"]",
        "design = [\"cy\"]",
        "dba = [\"di\"]",
    ]);
    Ok(t.out)
}

fn header(t: &mut Template, profile: Option<Profile>) {
    let version = env!("CARGO_PKG_VERSION");
    match profile {
        Some(p) => t.comment(&format!(
            "plumb.toml, written by `plumb init --profile {}` (plumb {version}).",
            p.name()
        )),
        None => t.comment(&format!(
            "plumb.toml, written by `plumb init` (plumb {version})."
        )),
    }
    t.comment("");
    t.comment(
        "Every key has a default: a key left out means its default, and so does every commented",
    );
    t.comment(
        "example below (remove the leading \"# \" to use one). Active keys hold their defaults",
    );
    t.comment(
        "unless the profile changed them. An unknown key is an error naming the key and its line.",
    );
    t.comment("Reference: docs/config.md.");
    if let Some(p) = profile {
        t.comment("");
        t.comment(&format!("Profile {}: {}.", p.name(), p.summary()));
        t.comment("What it changes from the defaults:");
        for (d, w) in p.weights() {
            t.comment(&format!(
                "  [scorecard.weights] {} = {} (default 1)",
                d.as_str(),
                number(*w)
            ));
        }
        for (id, value, why) in p.targets() {
            t.comment(&format!(
                "  [scorecard.targets] \"{id}\" = {}: {why}",
                number(*value)
            ));
        }
        t.comment(&format!(
            "  [[zones]] the {} preset (the same as `plumb gate --preset {}`, which cannot be \
             combined with [[zones]] here) instead of the built-in zones",
            p.name(),
            p.name()
        ));
    }
}

fn zones(t: &mut Template, profile: Option<Profile>) -> anyhow::Result<()> {
    t.blank();
    t.comment(
        "[[zones]]: risk zones for `plumb gate` (docs/governance.md). A file belongs to the first",
    );
    t.comment(
        "zone, in this order, with a matching gitignore-style glob; anything unmatched is green.",
    );
    t.comment("ai is allowed (default) | needs-approval | prohibited; required_approvals, reviewer_groups,");
    t.comment("approval_label (a PR label that approves on its own) and checklist are optional.");
    let zones = match profile {
        Some(p) => {
            t.comment(&format!(
                "These are the {} preset's zones (profile {}).",
                p.name(),
                p.name()
            ));
            plumb_governance::preset(p.name())?
        }
        None => {
            t.comment("Default: the built-in zones below, which apply while every [[zones]] is commented.");
            plumb_governance::default_zones()
        }
    };
    for zone in zones {
        let mut lines = vec![
            "[[zones]]".to_string(),
            format!("name = {}", quote(&zone.name)),
            format!("paths = {}", list(&zone.paths)),
            format!("ai = {}", quote(zone.ai.as_str())),
            format!("required_approvals = {}", zone.required_approvals),
            format!("reviewer_groups = {}", list(&zone.reviewer_groups)),
        ];
        if let Some(label) = &zone.approval_label {
            lines.push(format!("approval_label = {}", quote(label)));
        }
        if zone.checklist.is_empty() {
            lines.push("checklist = []".to_string());
        } else {
            lines.push("checklist = [".to_string());
            for item in &zone.checklist {
                lines.push(format!("  {},", quote(item)));
            }
            lines.push("]".to_string());
        }
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        if profile.is_some() {
            t.blank();
            for line in lines {
                t.setting(line);
            }
        } else {
            t.example(&lines);
        }
    }
    Ok(())
}

/// The default written as an override would be (the example value) and what it means.
fn describe_target(target: &plumb_metrics::Target, direction: Direction) -> (String, String) {
    let unit = unit_words(target.unit);
    let v = number(target.value);
    match (target.op, target.relative) {
        (TargetOp::Change, _) => {
            let (way, example) = match direction {
                Direction::LowerIsBetter => ("fall", "-10"),
                _ => ("rise", "10"),
            };
            (
                example.to_string(),
                format!(
                    "default: any {way} vs the baseline; a number is the percent change to reach"
                ),
            )
        }
        (TargetOp::AtLeast, true) => (
            v.clone(),
            format!("default: a change of at least {v}{unit} vs the baseline"),
        ),
        (TargetOp::AtMost, true) => (
            v.clone(),
            format!("default: a change of at most {v}{unit} vs the baseline"),
        ),
        (op, false) => {
            let word = if op == TargetOp::AtLeast {
                "at least"
            } else {
                "at most"
            };
            let elite = if target.basis == TargetBasis::DoraElite {
                " (DORA elite)"
            } else {
                ""
            };
            (v.clone(), format!("default: {word} {v}{unit}{elite}"))
        }
    }
}

/// A unit as the comments spell it after a number.
fn unit_words(unit: plumb_metrics::Unit) -> &'static str {
    use plumb_metrics::Unit as U;
    match unit {
        U::Percent => "%",
        U::Days => " days",
        U::Hours => " hours",
        U::PerWeek => " per week",
        U::Count | U::Ratio => "",
        U::Currency => " (currency)",
        U::Points => " points",
        U::Per100Prs => " per 100 PRs",
        U::Per1000Lines => " per 1,000 changed lines",
        U::PerScan => " per scan",
        U::PerRelease => " per release",
        U::PerDeveloperWeek => " per developer-week",
    }
}

/// A number as TOML reads it back to the same `f64`: integers without a fraction.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// Where prose comments wrap.
const WIDTH: usize = 92;

/// The file being written: prose comments, active settings and commented examples.
struct Template {
    out: String,
    enable_examples: bool,
}

impl Template {
    fn blank(&mut self) {
        self.out.push('\n');
    }

    fn section(&mut self, header: &str, about: &str) {
        self.blank();
        if !about.is_empty() {
            self.comment(about);
        }
        self.setting(header);
    }

    /// A prose comment, wrapped at [`WIDTH`] columns; an indented line keeps (and deepens)
    /// its indentation when it wraps.
    fn comment(&mut self, text: &str) {
        if text.is_empty() {
            self.out.push_str("#\n");
            return;
        }
        let indent = text.len() - text.trim_start().len();
        let mut line = format!("# {}", &text[..indent]);
        let mut empty = true;
        for word in text.split_whitespace() {
            if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
                let _ = writeln!(self.out, "{}", line.trim_end());
                let hang = if indent > 0 { indent + 2 } else { 0 };
                line = format!("# {}", " ".repeat(hang));
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        let _ = writeln!(self.out, "{}", line.trim_end());
    }

    fn setting(&mut self, line: &str) {
        let _ = writeln!(self.out, "{line}");
    }

    fn example(&mut self, lines: &[&str]) {
        for line in lines {
            if self.enable_examples {
                self.setting(line);
            } else {
                let _ = writeln!(self.out, "# {line}");
            }
        }
    }

    fn example_with_note(&mut self, line: &str, note: &str) {
        self.example(&[&format!("{line:<48} # {note}")]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{self, Config};

    fn parsed(profile: Option<Profile>, enable_examples: bool) -> Config {
        let text = match render(profile, enable_examples) {
            Ok(t) => t,
            Err(e) => panic!("render {profile:?}: {e:#}"),
        };
        match config::parse(&text) {
            Ok(c) => c,
            Err(e) => {
                panic!("{profile:?} (examples {enable_examples}) does not parse: {e:#}\n{text}")
            }
        }
    }

    /// Everything a configuration changes in what plumb does, in one comparable string.
    fn effective(c: &Config) -> String {
        let zones = config::zone_set(c, None)
            .map(|z| format!("{:?}", z.zones()))
            .unwrap_or_else(|e| format!("zones error: {e:#}"));
        format!(
            "{:?}\n{zones}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
            config::metrics_config(c),
            c.org,
            c.database,
            c.ai,
            c.groups,
            c.repos,
            c.teams,
            c.cohorts,
            c.value_model.as_ref().map(|v| format!("{v:?}")),
            c.zones.is_some(),
            config::database_path(None, c).display(),
        )
    }

    #[test]
    fn without_a_profile_the_file_is_exactly_the_defaults() {
        assert_eq!(
            effective(&parsed(None, false)),
            effective(&Config::default())
        );
    }

    #[test]
    fn a_profile_changes_only_what_it_says() {
        for p in Profile::ALL {
            let c = parsed(Some(p), false);
            let mut expected = Config::default();
            for (d, w) in p.weights() {
                expected
                    .scorecard
                    .weights
                    .insert(d.as_str().to_string(), *w);
            }
            for (id, value, _) in p.targets() {
                expected.scorecard.targets.insert(id.to_string(), *value);
            }
            let preset = plumb_governance::preset(p.name()).unwrap_or_default();
            expected.zones = Some(
                preset
                    .into_iter()
                    .map(|z| config::ZoneConfig {
                        name: z.name,
                        paths: z.paths,
                        ai: z.ai,
                        required_approvals: z.required_approvals,
                        reviewer_groups: z.reviewer_groups,
                        approval_label: z.approval_label,
                        checklist: z.checklist,
                    })
                    .collect(),
            );
            assert_eq!(effective(&c), effective(&expected), "profile {}", p.name());
        }
    }

    #[test]
    fn profiles_set_their_weights_targets_and_zones() {
        let m = |p| config::metrics_config(&parsed(Some(p), false));
        let fintech = m(Profile::Fintech);
        assert_eq!(fintech.weights.get(&Dimension::Quality), Some(&2.0));
        assert_eq!(fintech.weights.get(&Dimension::Adoption), Some(&1.0));
        assert_eq!(
            fintech.target_overrides.get("dora.change_failure_rate_pct"),
            Some(&3.0)
        );
        assert_eq!(
            fintech.target_overrides.get("quality.security_findings"),
            Some(&-20.0)
        );
        let healthcare = m(Profile::Healthcare);
        assert_eq!(healthcare.weights.get(&Dimension::Quality), Some(&2.0));
        assert_eq!(
            healthcare
                .target_overrides
                .get("quality.accessibility_failures"),
            Some(&-20.0)
        );
        let consumer = m(Profile::Consumer);
        assert_eq!(consumer.weights.get(&Dimension::Outcomes), Some(&2.0));
        assert_eq!(
            consumer.target_overrides.get("outcomes.features_delivered"),
            Some(&25.0)
        );
        let saas = m(Profile::Saas);
        assert_eq!(saas, plumb_metrics::MetricsConfig::default());
        assert_eq!(m(Profile::Consumer).tolerance_pct, 20.0);

        let c = parsed(Some(Profile::Fintech), false);
        let zones = config::zone_set(&c, None).map(|z| z.zones().to_vec());
        assert_eq!(
            zones.ok(),
            plumb_governance::preset("fintech").ok(),
            "the fintech profile's zones are the fintech preset"
        );
    }

    #[test]
    fn every_example_is_a_key_the_configuration_reads() {
        // With the examples active, every optional field is set and every list and table has
        // an entry: a key the template forgets (or misspells) shows up here as a `None`, an
        // empty list or a parse error.
        for profile in [None, Some(Profile::Fintech)] {
            let mut c = parsed(profile, true);
            c.dir = Some(PathBuf::from("/etc/acme"));
            // Zones legitimately leave keys out (green has no label, no checklist): check
            // one that uses every key, and only it below.
            let zones = c.zones.take().unwrap_or_default();
            assert!(zones.len() >= 3, "{profile:?}: {zones:?}");
            c.zones = Some(
                zones
                    .into_iter()
                    .filter(|z| z.approval_label.is_some() && !z.checklist.is_empty())
                    .take(1)
                    .collect(),
            );
            // Lists whose default (empty) is written active on purpose.
            c.metrics.exclude.push("vendor/**".into());
            c.ai.disable.push("cursor".into());
            let debug = format!("{c:?}");
            for empty in ["None", "[]", "{}"] {
                assert!(
                    !debug.contains(empty),
                    "an example leaves {empty} in {profile:?}: {debug}"
                );
            }
        }
    }

    #[test]
    fn every_targeted_metric_is_listed() {
        let text = render(None, false).unwrap_or_default();
        for def in plumb_metrics::catalogue() {
            let listed = text.contains(&format!("\"{}\" = ", def.id));
            assert_eq!(
                listed,
                def.direction != Direction::Context,
                "{} listed: {listed}",
                def.id
            );
        }
    }
}
