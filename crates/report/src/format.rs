//! How figures read: numbers by unit, targets, statuses, and the pieces every format shares
//! (the board's rows and the "missing data" groups), so that text and Markdown say the same
//! thing in the same words.

use plumb_metrics::{
    Dimension, Direction, MetricResult, Scorecard, Source, Status, Target, TargetBasis, TargetOp,
    Unit, metric_def,
};

/// A value in its unit: percentages and durations with one decimal, counts as integers,
/// money with thousands separators.
pub(crate) fn number(value: f64, unit: Unit) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    // -0.0 would print as "-0.0".
    let v = if value == 0.0 { 0.0 } else { value };
    let body = match unit {
        Unit::Percent
        | Unit::Days
        | Unit::Hours
        | Unit::PerWeek
        | Unit::Points
        | Unit::Per100Prs
        | Unit::PerScan => format!("{v:.1}"),
        Unit::Ratio | Unit::Per1000Lines | Unit::PerRelease | Unit::PerDeveloperWeek => {
            format!("{v:.2}")
        }
        Unit::Count if v.fract() == 0.0 => thousands(v),
        Unit::Count => format!("{v:.1}"),
        Unit::Currency => thousands(v.round()),
    };
    format!("{body}{}", suffix(unit))
}

/// A target's number: as few decimals as it needs (80, 0.5, 1,000).
fn compact(value: f64) -> String {
    if value.fract() == 0.0 {
        thousands(value)
    } else {
        let s = format!("{value:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn suffix(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "%",
        Unit::Days => " d",
        Unit::Hours => " h",
        Unit::PerWeek => "/week",
        Unit::Count | Unit::Ratio | Unit::Currency => "",
        Unit::Points => " pts",
        Unit::Per100Prs => " per 100 PRs",
        Unit::Per1000Lines => " per 1,000 lines",
        Unit::PerScan => " per scan",
        Unit::PerRelease => " per release",
        Unit::PerDeveloperWeek => " per dev-week",
    }
}

/// An integer-valued float with thousands separators.
fn thousands(value: f64) -> String {
    let digits = group_digits(&format!("{:.0}", value.abs()));
    if value < 0.0 && digits != "0" {
        format!("-{digits}")
    } else {
        digits
    }
}

/// An integer with thousands separators.
pub(crate) fn count(n: u64) -> String {
    group_digits(&n.to_string())
}

/// `1234567` → `1,234,567`.
fn group_digits(digits: &str) -> String {
    let len = digits.chars().count();
    let mut out = String::with_capacity(len + len / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The target column: `≥ 80%`, `≤ 5 per 100 PRs`, `−15% vs baseline`, `↓ vs baseline`,
/// `elite (≤ 24 h)`; without a target, `context`, or `not configured` for a metric whose
/// target only the configuration can set.
pub(crate) fn target(m: &MetricResult) -> String {
    match &m.target {
        Some(t) => target_label(t, m.direction),
        None if metric_def(&m.id).is_some_and(|d| d.target_configured) => {
            "not configured".to_string()
        }
        None => "context".to_string(),
    }
}

/// How a target reads.
pub(crate) fn target_label(t: &Target, direction: Direction) -> String {
    if t.relative {
        return match t.op {
            TargetOp::Change => match direction {
                Direction::LowerIsBetter => "↓ vs baseline".to_string(),
                _ => "↑ vs baseline".to_string(),
            },
            TargetOp::AtLeast | TargetOp::AtMost => {
                let sign = if t.value < 0.0 { "−" } else { "+" };
                format!(
                    "{sign}{}{} vs baseline",
                    compact(t.value.abs()),
                    suffix(t.unit)
                )
            }
        };
    }
    let op = match t.op {
        TargetOp::AtLeast => "≥",
        TargetOp::AtMost => "≤",
        TargetOp::Change => "→",
    };
    let threshold = format!("{op} {}{}", compact(t.value), suffix(t.unit));
    match t.basis {
        TargetBasis::DoraElite => format!("elite ({threshold})"),
        TargetBasis::Catalogue | TargetBasis::Config => threshold,
    }
}

/// The actual column: the value with its sample, or `insufficient data`; a value judged
/// against a baseline says so: `2.8 d (n=40) vs baseline 10.0 d (−72.5%)`.
pub(crate) fn actual(m: &MetricResult) -> String {
    let mut out = match m.value {
        Some(v) if m.low_sample => format!("{} (n={}, low sample)", number(v, m.unit), m.n),
        Some(v) => format!("{} (n={})", number(v, m.unit), m.n),
        None => return "insufficient data".to_string(),
    };
    if let Some(b) = m.baseline {
        out.push_str(&format!(" vs baseline {}", number(b, m.unit)));
        if let Some(c) = m.change {
            let unit = m.target.map_or(m.unit, |t| t.unit);
            out.push_str(&format!(" ({})", signed(c, unit)));
        }
    }
    out
}

/// A change with its sign: `+100.0%`, `−72.5%`, `+6.0 pts`.
pub(crate) fn signed(value: f64, unit: Unit) -> String {
    let body = number(value.abs(), unit);
    if value > 0.0 {
        format!("+{body}")
    } else if value < 0.0 && body.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("−{body}")
    } else {
        body
    }
}

/// The status symbol of the board; `context` is spelt per format.
pub(crate) fn status(s: Status, context: &'static str) -> &'static str {
    match s {
        Status::Met => "✅",
        Status::Near => "⚠️",
        Status::Missed => "❌",
        Status::Insufficient => "—",
        Status::Context => context,
    }
}

/// The status in words, beside its symbol where colour or emoji may not come through
/// (print, colour-blind readers, CSV).
pub(crate) fn status_word(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::Near => "near target",
        Status::Missed => "missed",
        Status::Insufficient => "insufficient",
        Status::Context => "context",
    }
}

/// Unix seconds as a UTC date, `2026-05-02`; a second outside the calendar's range (which
/// no store holds) is written as the bare number rather than failing the report.
pub(crate) fn date(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| {
            t.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date()
                .to_string()
        })
        .unwrap_or_else(|_| seconds.to_string())
}

/// A value's words on the board and in the CSV: `low sample` first (it qualifies the
/// value), then why the value is missing or cannot be judged.
pub(crate) fn caveats(m: &MetricResult) -> Option<String> {
    let low = (m.value.is_some() && m.low_sample).then(|| "low sample".to_string());
    match (low, m.reason.clone()) {
        (Some(l), Some(r)) => Some(format!("{l}; {r}")),
        (l, r) => l.or(r),
    }
}

/// A dimension or overall score, rounded to a whole number.
pub(crate) fn score(s: f64) -> String {
    format!("{s:.0}")
}

/// One row of the board: a metric, or (with `status: None`) one group of its breakdown.
pub(crate) struct Row {
    pub dimension: Option<Dimension>,
    pub metric: String,
    pub target: String,
    pub actual: String,
    pub status: Option<Status>,
}

/// The board's rows, the dimension named on the first row of each.
pub(crate) fn rows(card: &Scorecard, breakdown_marker: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut last: Option<Dimension> = None;
    for m in &card.metrics {
        let first = last != Some(m.dimension);
        last = Some(m.dimension);
        rows.push(Row {
            dimension: first.then_some(m.dimension),
            metric: m.name.clone(),
            target: target(m),
            actual: actual(m),
            status: Some(m.status),
        });
        for (key, e) in &m.breakdown {
            rows.push(Row {
                dimension: None,
                metric: format!("{breakdown_marker}{key}"),
                target: String::new(),
                actual: format!("{} (n={})", number(e.value, m.unit), e.n),
                status: None,
            });
        }
    }
    rows
}

/// Why some metrics have no value, each cause once with the metrics it blocks: first one
/// group per missing source (a metric needing two missing sources is under both), then one
/// per other reason.
pub(crate) struct MissingGroup {
    pub reason: String,
    pub metrics: Vec<String>,
}

pub(crate) fn missing(card: &Scorecard) -> Vec<MissingGroup> {
    let mut groups: Vec<MissingGroup> = Vec::new();
    for source in Source::ALL {
        let metrics: Vec<String> = card
            .metrics
            .iter()
            .filter(|m| m.missing_sources.contains(&source))
            .map(|m| m.name.clone())
            .collect();
        if !metrics.is_empty() {
            groups.push(MissingGroup {
                reason: source.hint().to_string(),
                metrics,
            });
        }
    }
    let first_other = groups.len();
    for m in card.metrics.iter().filter(|m| m.missing_sources.is_empty()) {
        let Some(reason) = &m.reason else { continue };
        match groups[first_other..]
            .iter_mut()
            .find(|g| &g.reason == reason)
        {
            Some(g) => g.metrics.push(m.name.clone()),
            None => groups.push(MissingGroup {
                reason: reason.clone(),
                metrics: vec![m.name.clone()],
            }),
        }
    }
    groups
}

/// "1 commit", "2 commits".
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// "3 of 6 metrics with data, 1 scored".
pub(crate) fn coverage(with_data: u64, metrics: u64, scored: u64) -> String {
    format!("{with_data} of {metrics} metrics with data, {scored} scored")
}

/// The AI-assisted share of the counted commits, when there are any.
pub(crate) fn ai_share(card: &Scorecard) -> Option<String> {
    let a = &card.activity;
    (a.commits > 0).then(|| {
        number(
            100.0 * a.ai_assisted_commits as f64 / a.commits as f64,
            Unit::Percent,
        )
    })
}

/// "claude-code 30, copilot 12".
pub(crate) fn by_tool(card: &Scorecard) -> String {
    card.activity
        .ai_by_tool
        .iter()
        .map(|(tool, n)| format!("{tool} {}", count(*n)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "N commits (share): tool a, tool b" — the AI-assisted line of the activity section.
pub(crate) fn ai_summary(card: &Scorecard) -> String {
    use std::fmt::Write as _;
    let a = &card.activity;
    let mut ai = plural(a.ai_assisted_commits, "commit", "commits");
    if let Some(share) = ai_share(card) {
        let _ = write!(ai, " ({share})");
    }
    if !a.ai_by_tool.is_empty() {
        let _ = write!(ai, ": {}", by_tool(card));
    }
    ai
}

/// The activity of the window as (label, words) rows, shared by the terminal and HTML
/// reports.
pub(crate) fn activity_rows(card: &Scorecard) -> Vec<(&'static str, String)> {
    let a = &card.activity;
    vec![
        (
            "Commits",
            format!(
                "{} by people and AI agents ({} and {} not counted)",
                count(a.commits),
                plural(a.merge_commits, "merge", "merges"),
                plural(a.bot_commits, "bot commit", "bot commits")
            ),
        ),
        ("Active developers", count(a.active_developers)),
        (
            "Lines",
            format!(
                "+{} −{} (generated, vendored and lock files excluded)",
                count(a.lines_added),
                count(a.lines_deleted)
            ),
        ),
        ("AI-assisted", ai_summary(card)),
        (
            "AI review suggestions",
            plural(a.review_suggestion_commits, "commit", "commits"),
        ),
        (
            "Repositories",
            format!("{} with commits in the window", count(a.repos)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_by_unit() {
        assert_eq!(number(87.5, Unit::Percent), "87.5%");
        assert_eq!(number(100.0 / 3.0, Unit::Percent), "33.3%");
        assert_eq!(number(-0.0, Unit::Percent), "0.0%");
        assert_eq!(number(2.25, Unit::Days), "2.2 d");
        assert_eq!(number(1234.0, Unit::Count), "1,234");
        assert_eq!(number(2.5, Unit::Count), "2.5");
        assert_eq!(number(1_234_567.4, Unit::Currency), "1,234,567");
        assert_eq!(number(-1500.0, Unit::Currency), "-1,500");
        assert_eq!(number(f64::NAN, Unit::Percent), "n/a");
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(signed(100.0, Unit::Percent), "+100.0%");
        assert_eq!(signed(-72.5, Unit::Percent), "−72.5%");
        assert_eq!(signed(6.0, Unit::Points), "+6.0 pts");
        assert_eq!(signed(-0.01, Unit::Percent), "0.0%");
    }

    #[test]
    fn a_value_judged_against_a_baseline_shows_it() {
        let mut m = MetricResult {
            id: "process.cycle_time_days".into(),
            dimension: Dimension::Process,
            name: "Cycle time".into(),
            unit: Unit::Days,
            direction: Direction::LowerIsBetter,
            value: Some(2.75),
            n: 40,
            numerator: None,
            denominator: None,
            breakdown: Default::default(),
            target: Some(t(
                TargetOp::AtMost,
                -15.0,
                true,
                Unit::Percent,
                TargetBasis::Catalogue,
            )),
            attainment: Some(1.0),
            status: Status::Met,
            low_sample: false,
            sources: vec![],
            missing_sources: vec![],
            reason: None,
            baseline: Some(10.0),
            change: Some(-72.5),
        };
        assert_eq!(actual(&m), "2.8 d (n=40) vs baseline 10.0 d (−72.5%)");
        m.change = None;
        assert_eq!(actual(&m), "2.8 d (n=40) vs baseline 10.0 d");
        m.baseline = None;
        assert_eq!(actual(&m), "2.8 d (n=40)");
    }

    fn t(op: TargetOp, value: f64, relative: bool, unit: Unit, basis: TargetBasis) -> Target {
        Target {
            op,
            value,
            relative,
            unit,
            basis,
        }
    }

    #[test]
    fn targets_read_like_the_spec() {
        use Direction::*;
        use TargetBasis::*;
        use TargetOp::*;
        let cases = [
            (
                t(AtLeast, 80.0, false, Unit::Percent, Catalogue),
                HigherIsBetter,
                "≥ 80%",
            ),
            (
                t(AtMost, 5.0, false, Unit::Per100Prs, Catalogue),
                LowerIsBetter,
                "≤ 5 per 100 PRs",
            ),
            (
                t(AtMost, -15.0, true, Unit::Percent, Catalogue),
                LowerIsBetter,
                "−15% vs baseline",
            ),
            (
                t(AtLeast, 20.0, true, Unit::Percent, Catalogue),
                HigherIsBetter,
                "+20% vs baseline",
            ),
            (
                t(AtLeast, 5.0, true, Unit::Points, Catalogue),
                HigherIsBetter,
                "+5 pts vs baseline",
            ),
            (
                t(Change, 0.0, true, Unit::PerScan, Catalogue),
                LowerIsBetter,
                "↓ vs baseline",
            ),
            (
                t(Change, 0.0, true, Unit::Currency, Catalogue),
                HigherIsBetter,
                "↑ vs baseline",
            ),
            (
                t(AtMost, 24.0, false, Unit::Hours, DoraElite),
                LowerIsBetter,
                "elite (≤ 24 h)",
            ),
            (
                t(AtLeast, 7.0, false, Unit::PerWeek, DoraElite),
                HigherIsBetter,
                "elite (≥ 7/week)",
            ),
            (
                t(AtLeast, 62.5, false, Unit::Percent, Config),
                HigherIsBetter,
                "≥ 62.5%",
            ),
        ];
        for (target_, direction, expected) in cases {
            assert_eq!(target_label(&target_, direction), expected);
        }
    }
}
