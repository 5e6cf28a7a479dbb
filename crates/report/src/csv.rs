//! The CSV report: one row per metric and period, for spreadsheets and BI tools.
//!
//! Every row has the same fifteen columns (documented in `docs/html-report.md`), so a
//! reader can filter on `period_kind` and pivot on `metric_id` without knowing the report's
//! layout. Values are plain decimals (no units, no thousands separators, at most six
//! decimals); the words (`target`, `status`, `reason`) are the board's.

use crate::{ReportMeta, format};
use plumb_metrics::{
    Analysis, Dimension, MetricResult, PeriodValue, Scorecard, Window, catalogue, metric_def,
};
use std::collections::BTreeMap;

/// The header, in order.
pub(crate) const COLUMNS: [&str; 15] = [
    "period_kind",
    "period",
    "since",
    "until",
    "metric_id",
    "dimension",
    "metric",
    "unit",
    "value",
    "n",
    "p75",
    "p90",
    "target",
    "status",
    "reason",
];

/// One row; empty strings are empty cells.
#[derive(Default)]
struct Row {
    period_kind: String,
    period: String,
    since: String,
    until: String,
    metric_id: String,
    dimension: String,
    metric: String,
    unit: String,
    value: String,
    n: String,
    p75: String,
    p90: String,
    target: String,
    status: String,
    reason: String,
}

impl Row {
    fn fields(&self) -> [&str; 15] {
        [
            &self.period_kind,
            &self.period,
            &self.since,
            &self.until,
            &self.metric_id,
            &self.dimension,
            &self.metric,
            &self.unit,
            &self.value,
            &self.n,
            &self.p75,
            &self.p90,
            &self.target,
            &self.status,
            &self.reason,
        ]
    }
}

pub(crate) fn render(card: &Scorecard, analysis: Option<&Analysis>, _meta: &ReportMeta) -> String {
    match write(&rows(card, analysis)) {
        Ok(s) => s,
        // Writing to memory cannot fail; should it ever, the file says why instead of
        // being silently empty.
        Err(e) => format!("error\n{}\n", e.to_string().replace(['\n', ','], " ")),
    }
}

fn write(rows: &[Row]) -> Result<String, Box<dyn std::error::Error>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for r in rows {
        w.write_record(r.fields())?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

fn rows(card: &Scorecard, analysis: Option<&Analysis>) -> Vec<Row> {
    let window = Period::of("window", "window", Some(card.window));
    let mut rows: Vec<Row> = card
        .metrics
        .iter()
        .map(|m| metric_row(&window, m))
        .collect();
    rows.extend(window_scores(card, &window));
    let Some(a) = analysis else {
        return rows;
    };
    let t = &a.trends;
    for (kind, periods) in [("week", &t.weeks), ("month", &t.months)] {
        for p in periods {
            let period = Period::of(kind, &p.label, Some(p.window));
            rows.extend(
                in_board_order(&p.values)
                    .into_iter()
                    .map(|(id, v)| value_row(&period, card, id, v)),
            );
        }
    }
    for q in &t.quarters {
        let period = Period::of("quarter", &q.label, Some(q.window));
        for (d, score) in &q.dimensions {
            if let Some(s) = score {
                rows.push(score_row(&period, Some(*d), Some(*s), None, None));
            }
        }
        if let Some(s) = q.overall {
            rows.push(score_row(&period, None, Some(s), None, None));
        }
    }
    for team in &t.teams {
        let period = Period::of(&format!("team:{}", team.team), "window", Some(card.window));
        rows.extend(
            in_board_order(&team.values)
                .into_iter()
                .map(|(id, v)| value_row(&period, card, id, v)),
        );
    }
    for (kind, label, after) in [
        ("stage_before", "before", false),
        ("stage_after", "after", true),
    ] {
        let period = Period::of(kind, label, None);
        for s in &t.stages.rows {
            let v = if after { s.after } else { s.before };
            if let Some(v) = v {
                let id = format!("process.stage.{}_days", s.stage);
                rows.push(value_row(&period, card, &id, &v));
            }
        }
    }
    rows
}

/// The first four columns, shared by a period's rows.
struct Period {
    kind: String,
    label: String,
    since: String,
    until: String,
}

impl Period {
    fn of(kind: &str, label: &str, window: Option<Window>) -> Period {
        Period {
            kind: kind.to_string(),
            label: label.to_string(),
            since: window.map(|w| format::date(w.since)).unwrap_or_default(),
            until: window.map(|w| format::date(w.until)).unwrap_or_default(),
        }
    }

    fn row(&self) -> Row {
        Row {
            period_kind: self.kind.clone(),
            period: self.label.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            ..Row::default()
        }
    }
}

/// A window row: every catalogue metric, with or without a value.
fn metric_row(period: &Period, m: &MetricResult) -> Row {
    let quantile = |key: &str| {
        m.breakdown
            .get(key)
            .map(|e| plain(e.value))
            .unwrap_or_default()
    };
    Row {
        metric_id: m.id.clone(),
        dimension: m.dimension.as_str().to_string(),
        metric: m.name.clone(),
        unit: m.unit.as_str().to_string(),
        value: m.value.map(plain).unwrap_or_default(),
        n: if m.value.is_some() {
            m.n.to_string()
        } else {
            String::new()
        },
        p75: quantile("p75"),
        p90: quantile("p90"),
        target: format::target(m),
        status: m.status.as_str().to_string(),
        reason: format::caveats(m).unwrap_or_default(),
        ..period.row()
    }
}

/// A metric's figure over a period (a week, a month, a team, a side of the rollout). The
/// names and target come from the window's scorecard, so they read as on the board.
fn value_row(period: &Period, card: &Scorecard, id: &str, v: &PeriodValue) -> Row {
    let on_board = card.metrics.iter().find(|m| m.id == id);
    let (dimension, metric, unit) = match (on_board, metric_def(id)) {
        (Some(m), _) => (m.dimension.as_str(), m.name.clone(), m.unit.as_str()),
        (None, Some(d)) => (d.dimension.as_str(), d.name.to_string(), d.unit.as_str()),
        (None, None) => ("", id.to_string(), ""),
    };
    Row {
        metric_id: id.to_string(),
        dimension: dimension.to_string(),
        metric,
        unit: unit.to_string(),
        value: plain(v.value),
        n: v.n.to_string(),
        p75: v.p75.map(plain).unwrap_or_default(),
        p90: v.p90.map(plain).unwrap_or_default(),
        target: on_board.map(format::target).unwrap_or_default(),
        ..period.row()
    }
}

/// The window's dimension and overall scores, each with or without a value.
fn window_scores(card: &Scorecard, period: &Period) -> Vec<Row> {
    let mut rows: Vec<Row> = card
        .dimensions
        .iter()
        .map(|d| {
            let why = d.score.is_none().then(|| {
                format!(
                    "no metric of the dimension is scored ({})",
                    format::coverage(d.metrics_with_data, d.metrics, d.metrics_scored)
                )
            });
            score_row(
                period,
                Some(d.dimension),
                d.score,
                Some(d.metrics_scored),
                why,
            )
        })
        .collect();
    let o = &card.overall;
    rows.push(score_row(
        period,
        None,
        o.score,
        Some(o.dimensions_with_score),
        o.score
            .is_none()
            .then(|| "no dimension has a score".to_string()),
    ));
    rows
}

/// `score.<dimension>` or `score.overall`; `n` is what the score rests on (scored metrics,
/// scored dimensions) where the period says.
fn score_row(
    period: &Period,
    dimension: Option<Dimension>,
    score: Option<f64>,
    n: Option<u64>,
    reason: Option<String>,
) -> Row {
    let (id, name) = match dimension {
        Some(d) => (d.as_str(), format!("{} score", d.name())),
        None => ("overall", "Overall score".to_string()),
    };
    Row {
        metric_id: format!("score.{id}"),
        dimension: dimension
            .map(|d| d.as_str().to_string())
            .unwrap_or_default(),
        metric: name,
        unit: "score".to_string(),
        value: score.map(plain).unwrap_or_default(),
        n: n.filter(|_| score.is_some())
            .map(|n| n.to_string())
            .unwrap_or_default(),
        reason: reason.unwrap_or_default(),
        ..period.row()
    }
}

/// A period's figures in the board's order (catalogue order), then any id the catalogue
/// does not know, by id.
fn in_board_order(values: &BTreeMap<String, PeriodValue>) -> Vec<(&str, &PeriodValue)> {
    let mut out: Vec<(&str, &PeriodValue)> = catalogue()
        .iter()
        .filter_map(|d| values.get_key_value(d.id))
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    out.extend(
        values
            .iter()
            .filter(|(k, _)| metric_def(k).is_none())
            .map(|(k, v)| (k.as_str(), v)),
    );
    out
}

/// A number as a spreadsheet reads it: plain decimal, at most six decimals, no trailing
/// zeros; empty when not finite.
pub(crate) fn plain(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_plain_decimals() {
        assert_eq!(plain(200.0 / 3.0), "66.666667");
        assert_eq!(plain(1_234_567.0), "1234567");
        assert_eq!(plain(0.5), "0.5");
        assert_eq!(plain(-0.0000001), "0");
        assert_eq!(plain(-2.25), "-2.25");
        assert_eq!(plain(f64::NAN), "");
        assert_eq!(plain(f64::INFINITY), "");
    }
}
