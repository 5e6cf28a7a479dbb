//! The HTML report: one self-contained file for a board deck, a projector or paper.
//!
//! Self-contained means the file opens the same on a laptop without a network as on a
//! shared drive years later: the styles are inline, the charts are inline SVG (`svg`),
//! and nothing is loaded — no script, stylesheet, font or image. Every text that comes
//! from data (metric names, team names, notes, repository paths) is escaped.
//!
//! The content is the board of the other formats (`format` builds its rows and words)
//! followed, when an [`Analysis`] is given, by the charts, insights, phase assessment and
//! team figures. Statuses are a symbol and a word, so they survive colour-blindness,
//! grey-scale printing and fonts without emoji.

use crate::format;
use crate::svg::{self, Bar, BarChart, BarGroup, Line, LineChart};
use crate::{ReportMeta, short_head};
use plumb_metrics::{
    Analysis, Dimension, InsightLevel, Period, Scorecard, Status, Unit, catalogue, metric_def,
};
use std::fmt::Write as _;

/// The projector- and print-friendly styles. Light backgrounds only, so printing needs no
/// "background graphics" and a projector in a lit room keeps its contrast.
const CSS: &str = r#"
:root { color-scheme: light; --ink: #111; --muted: #4a4a4a; --rule: #c8c8c8; --soft: #f3f5f7;
  --met: #1a7f37; --near: #9a6700; --missed: #c62828; --info: #0b5cad; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 1180px; padding: 28px 36px 48px; color: var(--ink); background: #fff;
  font: 18px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
h1 { font-size: 2.1em; line-height: 1.15; margin: 0 0 .3em; }
h2 { font-size: 1.45em; margin: 1.8em 0 .6em; padding-bottom: .2em; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.12em; margin: 1.1em 0 .4em; }
p { margin: .4em 0; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8em; color: var(--muted); margin: 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .6em 0 0; color: var(--muted); }
dl.meta dt { font-weight: 600; color: var(--ink); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .9em; }
.summary { display: flex; gap: 28px; align-items: center; margin: 1.4em 0 0; padding: 18px 22px; border: 2px solid var(--ink); border-radius: 6px; }
.overall { text-align: center; min-width: 9em; }
.overall .big { display: block; font-size: 3.6em; font-weight: 700; line-height: 1; }
.overall .of { color: var(--muted); font-size: .85em; }
.assessment { font-size: 1.2em; margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; break-inside: avoid; page-break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: .38em .6em; border-bottom: 1px solid var(--rule); }
thead th { border-bottom: 2px solid var(--ink); font-size: .9em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.board { break-inside: auto; page-break-inside: auto; }
table.board tr { break-inside: avoid; page-break-inside: avoid; }
table.board tr.first td { border-top: 2px solid var(--ink); }
table.board td.dim { font-weight: 700; }
table.board tr.sub td { color: var(--muted); font-size: .9em; padding-top: .15em; padding-bottom: .15em; }
table.board tr.sub td.metric { padding-left: 1.6em; }
td.status { white-space: nowrap; font-weight: 600; }
.st-met { color: var(--met); } .st-near { color: var(--near); } .st-missed { color: var(--missed); }
td.status.st-insufficient, td.status.st-context { color: var(--muted); font-weight: 400; }
.meter { width: 12em; height: .8em; border: 1px solid var(--ink); background: #fff; display: inline-block; vertical-align: middle; }
.meter > span { display: block; height: 100%; background: #0072B2; }
.muted { color: var(--muted); }
figure { margin: 1.2em 0 2em; break-inside: avoid; page-break-inside: avoid; }
figcaption h3 { margin: 0 0 .2em; }
figcaption p { color: var(--muted); margin: 0 0 .5em; font-size: .92em; }
svg.chart { display: block; width: 100%; height: auto; font-family: inherit; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 28px; }
.grid figure { margin: .4em 0 1em; }
figure.panel figcaption h3 { font-size: 1em; }
.nodata { border: 2px dashed var(--rule); color: var(--muted); padding: 1.6em; text-align: center; font-style: italic; }
ul.insights { list-style: none; padding: 0; margin: 0; }
.insight { border: 1px solid var(--rule); border-left: 8px solid var(--muted); padding: .6em 1em; margin: 0 0 .8em; break-inside: avoid; page-break-inside: avoid; }
.insight h3 { margin: .1em 0 .3em; }
.insight ul { margin: .2em 0; }
.insight.warning { border-left-color: var(--missed); } .insight.info { border-left-color: var(--info); } .insight.positive { border-left-color: var(--met); }
.level { font-size: .8em; font-weight: 700; letter-spacing: .06em; text-transform: uppercase; margin: 0; }
.phase-now { font-size: 1.25em; font-weight: 700; }
ol.phases { list-style: none; padding: 0; margin: 0; }
.phase { border: 1px solid var(--rule); padding: .5em 1em; margin: 0 0 .6em; break-inside: avoid; page-break-inside: avoid; }
.phase h3 { margin: .2em 0 .3em; font-size: 1.05em; }
.phase .badge { font-size: .8em; font-weight: 700; border: 1.5px solid currentColor; border-radius: 3px; padding: 0 .4em; margin-left: .5em; }
.phase.met .badge { color: var(--met); } .phase.unmet .badge { color: var(--muted); }
ul.criteria { list-style: none; padding: 0; margin: 0; }
ul.criteria li { padding: .12em 0 .12em 1.7em; text-indent: -1.7em; }
.mark { display: inline-block; width: 1.7em; text-indent: 0; font-weight: 700; }
.crit.met .mark { color: var(--met); } .crit.unmet .mark { color: var(--missed); }
.evidence { color: var(--muted); }
section li + li { margin-top: .25em; }
.scroll { overflow-x: auto; }
footer { margin-top: 3em; color: var(--muted); font-size: .85em; border-top: 1px solid var(--rule); padding-top: .6em; }
@media (max-width: 760px) { body { padding: 16px; } .grid { grid-template-columns: 1fr; } .summary { flex-direction: column; } }
@page { margin: 14mm; }
@media print {
  body { font-size: 10.5pt; max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, figcaption { break-after: avoid; page-break-after: avoid; }
  .summary, section.dimensions { break-inside: avoid; page-break-inside: avoid; }
  .scroll { overflow: visible; }
}
"#;

pub(crate) fn render(card: &Scorecard, analysis: Option<&Analysis>, meta: &ReportMeta) -> String {
    let mut out = String::with_capacity(96 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<title>AI productivity scorecard — {}</title>",
        esc(&meta.window_label)
    );
    let _ = writeln!(out, "<style>{CSS}</style>\n</head>\n<body>");
    header(&mut out, meta);
    summary(&mut out, card);
    dimensions(&mut out, card);
    board(&mut out, card);
    if let Some(a) = analysis {
        charts(&mut out, card, a);
        insights(&mut out, card, a);
        phase(&mut out, a);
        teams(&mut out, card, a);
    }
    missing(&mut out, card);
    activity(&mut out, card);
    if !card.notes.is_empty() {
        out.push_str("<section class=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
        for n in &card.notes {
            let _ = writeln!(out, "<li>{}</li>", code_spans(n));
        }
        out.push_str("</ul>\n</section>\n");
    }
    let _ = writeln!(
        out,
        "<footer>Generated by plumb {} from the organisation's own records. A figure without \
         enough data says so; it is never shown as zero.</footer>",
        esc(&meta.tool_version)
    );
    out.push_str("</body>\n</html>\n");
    out
}

/// Text for HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn header(out: &mut String, meta: &ReportMeta) {
    out.push_str("<header>\n<p class=\"kicker\">plumb · AI productivity</p>\n");
    out.push_str("<h1>AI productivity scorecard</h1>\n<dl class=\"meta\">\n");
    let _ = writeln!(out, "<dt>Window</dt><dd>{}</dd>", esc(&meta.window_label));
    let repos = if meta.repos.is_empty() {
        "none".to_string()
    } else {
        meta.repos
            .iter()
            .map(|r| {
                let head = r.head.as_deref().map_or_else(
                    || "not ingested".to_string(),
                    |h| format!("HEAD <code>{}</code>", esc(short_head(h))),
                );
                format!(
                    "{} (<code>{}</code>, {head}, {})",
                    esc(&r.name),
                    esc(&r.path),
                    format::plural(r.commits, "commit", "commits")
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let _ = writeln!(out, "<dt>Repositories</dt><dd>{repos}</dd>");
    let _ = writeln!(
        out,
        "<dt>Generated by</dt><dd>plumb {}</dd>",
        esc(&meta.tool_version)
    );
    out.push_str("</dl>\n</header>\n");
}

fn summary(out: &mut String, card: &Scorecard) {
    let o = &card.overall;
    out.push_str("<section class=\"summary\" aria-label=\"Overall score and assessment\">\n");
    match o.score {
        Some(s) => {
            let _ = writeln!(
                out,
                "<div class=\"overall\"><span class=\"big\">{}</span><span class=\"of\">overall of 100<br>{} of {} dimensions scored</span></div>",
                format::score(s),
                o.dimensions_with_score,
                o.dimensions
            );
        }
        None => {
            out.push_str(
                "<div class=\"overall\"><span class=\"big\">—</span><span class=\"of\">overall<br>no dimension has a score</span></div>\n",
            );
        }
    }
    let _ = writeln!(
        out,
        "<p class=\"assessment\"><strong>Assessment:</strong> {}</p>\n</section>",
        esc(&card.assessment)
    );
}

fn dimensions(out: &mut String, card: &Scorecard) {
    out.push_str("<section class=\"dimensions\">\n<h2>Dimension scores</h2>\n<table>\n");
    out.push_str(
        "<thead><tr><th>Dimension</th><th class=\"num\">Score</th><th><span class=\"muted\">scale 0–100</span></th><th>Coverage</th></tr></thead>\n<tbody>\n",
    );
    for d in &card.dimensions {
        let coverage = format::coverage(d.metrics_with_data, d.metrics, d.metrics_scored);
        let (score, meter) = match d.score {
            Some(s) => (
                format::score(s),
                format!(
                    "<span class=\"meter\" role=\"img\" aria-label=\"{} of 100\"><span style=\"width:{}%\"></span></span>",
                    format::score(s),
                    format::score(s.clamp(0.0, 100.0))
                ),
            ),
            None => (
                "—".to_string(),
                "<span class=\"muted\">no data</span>".to_string(),
            ),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\"><strong>{score}</strong></td><td>{meter}</td><td>{}</td></tr>",
            esc(d.dimension.name()),
            esc(&coverage)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn board(out: &mut String, card: &Scorecard) {
    out.push_str("<section>\n<h2>Scorecard</h2>\n<table class=\"board\">\n");
    out.push_str(
        "<thead><tr><th>Dimension</th><th>Metric</th><th>Target</th><th>Actual</th><th>Status</th></tr></thead>\n<tbody>\n",
    );
    for r in format::rows(card, "↳ ") {
        let class = match (r.dimension, r.status) {
            (Some(_), _) => " class=\"first\"",
            (None, None) => " class=\"sub\"",
            (None, Some(_)) => "",
        };
        let status = match r.status {
            Some(s) => format!(
                "<td class=\"status {}\">{}</td>",
                status_class(s),
                status_cell(s)
            ),
            None => "<td></td>".to_string(),
        };
        let _ = writeln!(
            out,
            "<tr{class}><td class=\"dim\">{}</td><td class=\"metric\">{}</td><td>{}</td><td>{}</td>{status}</tr>",
            r.dimension.map(|d| esc(d.name())).unwrap_or_default(),
            esc(&r.metric),
            esc(&r.target),
            esc(&r.actual)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out.push_str(
        "<p class=\"muted\">✅ met · ⚠️ near target (within the tolerance) · ❌ missed · — insufficient data · context: shown without a target. A value with <em>low sample</em> is shown but not scored.</p>\n</section>\n",
    );
}

/// The symbol (hidden from screen readers, which read the word) and the word.
fn status_cell(s: Status) -> String {
    let word = format::status_word(s);
    match s {
        Status::Context => word.to_string(),
        _ => format!(
            "<span aria-hidden=\"true\">{}</span> {word}",
            format::status(s, "")
        ),
    }
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Met => "st-met",
        Status::Near => "st-near",
        Status::Missed => "st-missed",
        Status::Insufficient => "st-insufficient",
        Status::Context => "st-context",
    }
}

/// A metric's name as the board says it (the scorecard's, else the catalogue's, else the
/// id) and its unit.
fn name_and_unit(card: &Scorecard, id: &str) -> (String, Option<Unit>) {
    match (card.metrics.iter().find(|m| m.id == id), metric_def(id)) {
        (Some(m), _) => (m.name.clone(), Some(m.unit)),
        (None, Some(d)) => (d.name.to_string(), Some(d.unit)),
        (None, None) => (id.to_string(), None),
    }
}

/// How an axis names a unit.
fn unit_title(unit: Option<Unit>) -> &'static str {
    match unit {
        Some(Unit::Percent) => "percent",
        Some(Unit::Days) => "days",
        Some(Unit::Hours) => "hours",
        Some(Unit::PerWeek) => "per week",
        Some(Unit::Count) => "count",
        Some(Unit::Ratio) => "ratio",
        Some(Unit::Currency) => "currency",
        Some(Unit::Points) => "points",
        Some(Unit::Per100Prs) => "per 100 PRs",
        Some(Unit::Per1000Lines) => "per 1,000 lines",
        Some(Unit::PerScan) => "per scan",
        Some(Unit::PerRelease) => "per release",
        Some(Unit::PerDeveloperWeek) => "per developer-week",
        None => "value",
    }
}

/// A figure: its caption, then the chart, or "no data" in its place.
fn figure(out: &mut String, class: &str, title: &str, caption: &str, chart: Option<String>) {
    let _ = writeln!(out, "<figure class=\"{class}\">");
    let _ = write!(out, "<figcaption><h3>{}</h3>", esc(title));
    if !caption.is_empty() {
        let _ = write!(out, "<p>{caption}</p>");
    }
    out.push_str("</figcaption>\n");
    match chart {
        Some(svg) => out.push_str(&svg),
        None => {
            let _ = writeln!(
                out,
                "<div class=\"nodata\" role=\"img\" aria-label=\"{}: no data\">no data</div>",
                esc(title)
            );
        }
    }
    out.push_str("</figure>\n");
}

/// One metric's monthly series as a single-line chart.
fn month_panel(
    out: &mut String,
    card: &Scorecard,
    months: &[Period],
    id: &str,
    chart_id: &str,
    width: f64,
    plot_height: f64,
) {
    let (name, unit) = name_and_unit(card, id);
    let periods: Vec<String> = months.iter().map(|p| p.label.clone()).collect();
    let partial: Vec<bool> = months.iter().map(|p| p.partial).collect();
    let lines = [Line {
        name: name.clone(),
        values: months
            .iter()
            .map(|p| p.values.get(id).map(|v| v.value))
            .collect(),
        emphasis: false,
    }];
    let label = |v: f64| match unit {
        Some(u) => format::number(v, u),
        None => format!("{v}"),
    };
    let title = format!("{name} ({})", unit_title(unit));
    let chart = svg::line_chart(&LineChart {
        id: chart_id,
        title: &title,
        periods: &periods,
        partial: &partial,
        y_title: unit_title(unit),
        y_range: None,
        lines: &lines,
        value_label: &label,
        width,
        plot_height,
        partial_legend: false,
    });
    figure(out, "panel", &title, "", chart);
}

fn charts(out: &mut String, card: &Scorecard, a: &Analysis) {
    let t = &a.trends;
    out.push_str("<section class=\"charts\">\n<h2>Trends</h2>\n");

    // (1) Dimension and overall scores by quarter.
    let periods: Vec<String> = t.quarters.iter().map(|q| q.label.clone()).collect();
    let partial: Vec<bool> = t.quarters.iter().map(|q| q.partial).collect();
    let mut lines: Vec<Line> = Dimension::ALL
        .iter()
        .map(|d| Line {
            name: d.name().to_string(),
            values: t
                .quarters
                .iter()
                .map(|q| q.dimensions.get(d).copied().flatten())
                .collect(),
            emphasis: false,
        })
        .collect();
    lines.push(Line {
        name: "Overall".to_string(),
        values: t.quarters.iter().map(|q| q.overall).collect(),
        emphasis: true,
    });
    let score_label = |v: f64| format::score(v);
    let chart = svg::line_chart(&LineChart {
        id: "chart-scores",
        title: "Dimension scores by quarter",
        periods: &periods,
        partial: &partial,
        y_title: "score (0–100)",
        y_range: Some((0.0, 100.0)),
        lines: &lines,
        value_label: &score_label,
        width: 960.0,
        plot_height: 300.0,
        partial_legend: true,
    });
    figure(
        out,
        "wide",
        "Dimension scores by quarter",
        "Each quarter scored on its own data, 0–100; the overall score is the black line. A quarter without a score for a dimension is a gap, not a zero.",
        chart,
    );

    // (2) Cycle-time stages before and after the AI rollout.
    let groups: Vec<BarGroup> = t
        .stages
        .rows
        .iter()
        .map(|r| {
            let id = format!("process.stage.{}_days", r.stage);
            let label = match metric_def(&id) {
                Some(d) => d.name.to_string(),
                None => r.stage.clone(),
            };
            let bar = |v: Option<plumb_metrics::PeriodValue>| {
                v.map(|v| Bar {
                    value: v.value,
                    label: format!("{} (n={})", format::number(v.value, Unit::Days), v.n),
                })
            };
            BarGroup {
                label,
                bars: [bar(r.before), bar(r.after)],
                note: r.change_pct.map(|c| format::signed(c, Unit::Percent)),
            }
        })
        .collect();
    let chart = svg::bar_chart(&BarChart {
        id: "chart-stages",
        title: "Cycle-time stages before and after the AI rollout",
        bar_names: ["before rollout", "after rollout"],
        note_title: "change",
        x_title: "median days per pull request (n = pull requests)",
        groups,
        width: 960.0,
    });
    figure(
        out,
        "wide",
        "Cycle-time stages before and after the AI rollout",
        &format!(
            "Median days per stage; the change is the median's, after vs before (lower is faster).<br>How pull requests were placed: {}",
            code_spans(&t.stages.basis)
        ),
        chart,
    );

    // (3) DORA by month, as small multiples.
    out.push_str("<figure class=\"wide\">\n<figcaption><h3>DORA metrics by month</h3><p>Deployment frequency, lead time for changes, change failure rate and time to restore, each on its own scale. A month without data is a gap; a hollow point and a dashed line mark a partial month.</p></figcaption>\n<div class=\"grid\">\n");
    for (i, id) in [
        "dora.deployment_frequency",
        "dora.lead_time_for_changes_hours",
        "dora.change_failure_rate_pct",
        "dora.recovery_time_hours",
    ]
    .iter()
    .enumerate()
    {
        month_panel(
            out,
            card,
            &t.months,
            id,
            &format!("chart-dora-{i}"),
            520.0,
            190.0,
        );
    }
    out.push_str("</div>\n</figure>\n");

    // (4) Adoption beside cycle time, two panels on the same months.
    out.push_str("<figure class=\"wide\">\n<figcaption><h3>Adoption and cycle time by month</h3><p>Two panels on the same months: does cycle time fall as AI-assisted work rises? Moving together is not proof of cause. A hollow point and a dashed line mark a partial month.</p></figcaption>\n");
    month_panel(
        out,
        card,
        &t.months,
        "adoption.ai_assisted_commits_pct",
        "chart-adoption",
        960.0,
        170.0,
    );
    month_panel(
        out,
        card,
        &t.months,
        "process.cycle_time_days",
        "chart-cycle",
        960.0,
        170.0,
    );
    out.push_str("</figure>\n</section>\n");
}

fn insights(out: &mut String, card: &Scorecard, a: &Analysis) {
    out.push_str("<section>\n<h2>Insights</h2>\n");
    if a.insights.is_empty() {
        out.push_str("<p class=\"muted\">No insight rule fired for this window.</p>\n</section>\n");
        return;
    }
    out.push_str("<ul class=\"insights\">\n");
    for i in &a.insights {
        let (class, level) = match i.level {
            InsightLevel::Warning => ("warning", "⚠ Warning"),
            InsightLevel::Info => ("info", "• Info"),
            InsightLevel::Positive => ("positive", "✓ Positive"),
        };
        let _ = writeln!(
            out,
            "<li class=\"insight {class}\">\n<p class=\"level\">{level}</p>\n<h3>{}</h3>",
            esc(&i.title)
        );
        if !i.evidence.is_empty() {
            out.push_str("<ul>\n");
            for e in &i.evidence {
                let _ = writeln!(out, "<li>{}</li>", code_spans(e));
            }
            out.push_str("</ul>\n");
        }
        if !i.metrics.is_empty() {
            let names: Vec<String> = i
                .metrics
                .iter()
                .map(|id| esc(&name_and_unit(card, id).0))
                .collect();
            let _ = writeln!(out, "<p class=\"muted\">Rests on: {}</p>", names.join(", "));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n</section>\n");
}

fn phase(out: &mut String, a: &Analysis) {
    let p = &a.phase;
    out.push_str("<section>\n<h2>Phase assessment</h2>\n");
    let now = match p.phase {
        Some(n) => {
            let name = p
                .phases
                .iter()
                .find(|s| s.phase == n)
                .map(|s| format!(" — {}", esc(&s.name)))
                .unwrap_or_default();
            format!("Phase {n}{name}")
        }
        None => "none yet (phase 0 is not reached)".to_string(),
    };
    let now = format!("Current phase: {now}");
    let _ = writeln!(out, "<p class=\"phase-now\">{now}</p>");
    if !p.phases.is_empty() {
        out.push_str("<ol class=\"phases\">\n");
    }
    for s in &p.phases {
        let (class, badge) = if s.met {
            ("met", "reached")
        } else {
            ("unmet", "not reached")
        };
        let _ = writeln!(
            out,
            "<li class=\"phase {class}\">\n<h3>Phase {} — {}<span class=\"badge\">{badge}</span></h3>\n<ul class=\"criteria\">",
            s.phase,
            esc(&s.name)
        );
        for c in &s.criteria {
            let (class, mark, word) = if c.met {
                ("met", "✓", "met")
            } else {
                ("unmet", "✗", "not met")
            };
            let evidence = if c.evidence.is_empty() {
                String::new()
            } else {
                format!(
                    " <span class=\"evidence\">— {}</span>",
                    code_spans(&c.evidence)
                )
            };
            let _ = writeln!(
                out,
                "<li class=\"crit {class}\"><span class=\"mark\" role=\"img\" aria-label=\"{word}\">{mark}</span>{}{evidence}</li>",
                esc(&c.text)
            );
        }
        out.push_str("</ul>\n</li>\n");
    }
    if !p.phases.is_empty() {
        out.push_str("</ol>\n");
    }
    if !p.next_steps.is_empty() {
        out.push_str("<h3>Next steps</h3>\n<ul>\n");
        for step in &p.next_steps {
            let _ = writeln!(out, "<li>{}</li>", code_spans(step));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// Teams as columns, metrics as rows: a metric's figures read across the teams.
fn teams(out: &mut String, card: &Scorecard, a: &Analysis) {
    let teams = &a.trends.teams;
    out.push_str("<section>\n<h2>Teams</h2>\n");
    if teams.is_empty() {
        out.push_str("<p class=\"muted\">No team figures: teams come from the people roster or <code>[[teams]]</code> in <code>plumb.toml</code>, and a team smaller than the privacy minimum is left out.</p>\n</section>\n");
        return;
    }
    // Catalogue order, then ids the catalogue does not know.
    let mut ids: Vec<&str> = catalogue()
        .iter()
        .map(|d| d.id)
        .filter(|id| teams.iter().any(|t| t.values.contains_key(*id)))
        .collect();
    for t in teams {
        for id in t.values.keys() {
            if metric_def(id).is_none() && !ids.contains(&id.as_str()) {
                ids.push(id);
            }
        }
    }
    out.push_str("<div class=\"scroll\">\n<table class=\"teams\">\n<thead><tr><th>Metric</th>");
    for t in teams {
        let rollout = match &t.ai_rollout_date {
            Some(d) => format!("AI since {}", esc(d)),
            None => "no rollout date".to_string(),
        };
        let _ = write!(
            out,
            "<th class=\"num\">{}<br><span class=\"muted\">{} · {rollout}</span></th>",
            esc(&t.team),
            format::plural(t.people, "person", "people")
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for id in ids {
        let (name, unit) = name_and_unit(card, id);
        let _ = write!(out, "<tr><td>{}</td>", esc(&name));
        for t in teams {
            let cell = match (t.values.get(id), unit) {
                (Some(v), Some(u)) => format!("{} (n={})", format::number(v.value, u), v.n),
                (Some(v), None) => format!("{} (n={})", v.value, v.n),
                (None, _) => "—".to_string(),
            };
            let _ = write!(out, "<td class=\"num\">{}</td>", esc(&cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n<p class=\"muted\">Figures over the report's window; — means no data for that team.</p>\n</section>\n");
}

fn missing(out: &mut String, card: &Scorecard) {
    let groups = format::missing(card);
    if groups.is_empty() {
        return;
    }
    out.push_str("<section>\n<h2>Missing data</h2>\n<ul>\n");
    for g in &groups {
        let _ = writeln!(
            out,
            "<li>{}<br><span class=\"muted\">needed by: {}</span></li>",
            code_spans(&g.reason),
            esc(&g.metrics.join(", "))
        );
    }
    out.push_str("</ul>\n</section>\n");
}

/// Escapes `s` and shows its `backquoted` commands as code.
fn code_spans(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    // An odd number of backquotes leaves the last one unmatched: print it as written.
    if s.matches('`').count() % 2 == 1 {
        return esc(s);
    }
    out
}

fn activity(out: &mut String, card: &Scorecard) {
    out.push_str("<section>\n<h2>Activity</h2>\n<table>\n<tbody>\n");
    for (k, v) in format::activity_rows(card) {
        let _ = writeln!(out, "<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc(r#"<b>"R&D" 'x'</b>"#),
            "&lt;b&gt;&quot;R&amp;D&quot; &#39;x&#39;&lt;/b&gt;"
        );
        assert_eq!(
            code_spans("import them with `plumb import <kind> FILE`"),
            "import them with <code>plumb import &lt;kind&gt; FILE</code>"
        );
        assert_eq!(code_spans("a `b"), "a `b");
    }
}
