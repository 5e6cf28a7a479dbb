//! Small, deterministic SVG charts for the HTML report: a line chart over periods and a
//! grouped horizontal bar chart. Why these are written here rather than drawn with a chart
//! crate is in `docs/html-report.md`.
//!
//! What every chart keeps:
//!
//! - a period without a value is a gap, never a zero; a chart without a single value is
//!   not drawn at all (the caller says "no data" in its place);
//! - a partial period (cut by the window or the data) is a hollow point, and the segments
//!   touching it are dashed, with a legend entry saying so;
//! - series differ by marker shape as well as colour (Okabe–Ito colours, readable by
//!   colour-blind readers and in grey on paper), and every chart carries a `<title>` and a
//!   `<desc>` listing its figures for screen readers;
//! - coordinates are rounded to a tenth of a unit, so the output is byte-for-byte stable.
//!
//! Text widths cannot be measured without a font, so they are estimated from the number of
//! characters; the layout leaves room for that estimate to be off.

use crate::html::esc;
use std::fmt::Write as _;

/// Okabe–Ito colours, in the order series take them; black is kept for the emphasised
/// series (the overall score).
const PALETTE: [&str; 6] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
];
const EMPHASIS: &str = "#111111";
const GRID: &str = "#d9d9d9";
const AXIS: &str = "#333333";
const MUTED: &str = "#555555";
/// The SVG's font size, in its own units (the SVG scales with the page).
const FONT: f64 = 17.0;
const SMALL: f64 = 15.0;

/// One series of a line chart: a value per period, `None` where the period has no data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub name: String,
    pub values: Vec<Option<f64>>,
    /// Drawn black and thicker (the overall score among the dimensions).
    pub emphasis: bool,
}

/// A line chart over periods (weeks, months, quarters).
#[derive(Clone, Copy)]
pub(crate) struct LineChart<'a> {
    /// Unique in the document: the ids of the chart's title and description derive from it.
    pub id: &'a str,
    pub title: &'a str,
    /// The periods' labels, in order.
    pub periods: &'a [String],
    /// Which periods are partial; as long as `periods` (missing entries count as whole).
    pub partial: &'a [bool],
    /// What the y axis measures, with its unit: `score (0–100)`, `days`.
    pub y_title: &'a str,
    /// A range the axis always shows (0–100 for scores); otherwise it starts at zero (or
    /// the lowest value, when negative) and ends at a round number above the highest.
    pub y_range: Option<(f64, f64)>,
    pub lines: &'a [Line],
    /// How a value reads in the description: with its unit.
    pub value_label: &'a dyn Fn(f64) -> String,
    pub width: f64,
    /// The height of the plotting area; the SVG adds its axes and legend.
    pub plot_height: f64,
    /// Whether the legend explains the partial-period marks; small multiples leave that
    /// to their figure's caption, once.
    pub partial_legend: bool,
}

/// The chart as an `<svg>` element, or `None` when no series has a single value.
pub(crate) fn line_chart(c: &LineChart<'_>) -> Option<String> {
    let values: Vec<f64> = c
        .lines
        .iter()
        .flat_map(|l| l.values.iter().take(c.periods.len()).flatten())
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() || c.periods.is_empty() {
        return None;
    }
    let (lo, hi) = data_range(&values, c.y_range);
    let axis = Axis::new(lo, hi, 5);
    let partial = |i: usize| c.partial.get(i).copied().unwrap_or(false);

    let left = 70.0;
    let right = 24.0;
    let top = 38.0;
    let x0 = left;
    let x1 = c.width - right;
    let y0 = top;
    let y1 = top + c.plot_height;
    let n = c.periods.len();
    let band = (x1 - x0) / n as f64;
    let x_at = |i: usize| x0 + (i as f64 + 0.5) * band;
    let y_at = |v: f64| y1 - (v - axis.lo) / (axis.hi - axis.lo) * (y1 - y0);

    // The legend: one entry per series when there are several, and the partial marker
    // when a partial period has a value.
    let shows_partial = c.partial_legend
        && c.lines.iter().any(|l| {
            l.values
                .iter()
                .take(n)
                .enumerate()
                .any(|(i, v)| v.is_some() && partial(i))
        });
    let mut entries: Vec<LegendEntry> = Vec::new();
    if c.lines.len() > 1 {
        for (k, l) in c.lines.iter().enumerate() {
            let has_data = l.values.iter().take(n).any(Option::is_some);
            entries.push(LegendEntry {
                label: if has_data {
                    l.name.clone()
                } else {
                    format!("{} — no data", l.name)
                },
                kind: if has_data {
                    LegendKind::Series(k, l.emphasis)
                } else {
                    LegendKind::Empty
                },
            });
        }
    }
    if shows_partial {
        entries.push(LegendEntry {
            label: "partial period (hollow point, dashed line)".to_string(),
            kind: LegendKind::Partial,
        });
    }
    let legend_top = y1 + 36.0;
    let (legend, legend_height) = legend(&entries, x0 - 40.0, legend_top, c.width - 24.0);
    let height = legend_top + legend_height + 6.0;

    let mut s = String::new();
    open_svg(&mut s, c.id, c.width, height, c.title, &line_desc(c));

    // Grid, ticks and the y axis title.
    for t in &axis.ticks {
        let y = y_at(*t);
        let _ = writeln!(
            s,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{GRID}" stroke-width="1"/>"#,
            px(x0),
            px(y),
            px(x1),
            px(y)
        );
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" font-size="{SMALL}" fill="{AXIS}">{}</text>"#,
            px(x0 - 8.0),
            px(y + 5.0),
            tick_label(*t, axis.step)
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" font-size="{SMALL}" fill="{AXIS}">{}</text>"#,
        px(x0 - 62.0),
        px(top - 16.0),
        esc(c.y_title)
    );
    let zero = if axis.lo <= 0.0 && axis.hi >= 0.0 {
        0.0
    } else {
        axis.lo
    };
    let _ = writeln!(
        s,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{AXIS}" stroke-width="1.5"/>"#,
        px(x0),
        px(y_at(zero)),
        px(x1),
        px(y_at(zero))
    );

    // Period labels, thinned so they do not overlap.
    let widest = c
        .periods
        .iter()
        .map(|p| text_width(p, SMALL))
        .fold(0.0, f64::max);
    let every = ((widest + 10.0) / band).ceil().max(1.0) as usize;
    for (i, p) in c.periods.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" font-size="{SMALL}" fill="{AXIS}">{}</text>"#,
            px(x_at(i)),
            px(y1 + 22.0),
            esc(p)
        );
    }
    let _ = writeln!(
        s,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{AXIS}" stroke-width="1"/>"#,
        px(x0),
        px(y0),
        px(x0),
        px(y1)
    );

    // The series: solid segments between whole periods, dashed ones touching a partial
    // period, gaps where a period has no value.
    for (k, l) in c.lines.iter().enumerate() {
        let colour = colour(k, l.emphasis);
        let width = if l.emphasis { 3.5 } else { 2.5 };
        let mut solid = String::new();
        let mut dashed = String::new();
        for i in 1..n {
            let (Some(Some(a)), Some(Some(b))) = (l.values.get(i - 1), l.values.get(i)) else {
                continue;
            };
            if !a.is_finite() || !b.is_finite() {
                continue;
            }
            let path = if partial(i - 1) || partial(i) {
                &mut dashed
            } else {
                &mut solid
            };
            let _ = write!(
                path,
                "M{} {}L{} {}",
                px(x_at(i - 1)),
                px(y_at(*a)),
                px(x_at(i)),
                px(y_at(*b))
            );
        }
        let class = format!("series s{k}");
        if !solid.is_empty() {
            let _ = writeln!(
                s,
                r#"<path class="{class}" d="{solid}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-linejoin="round"/>"#
            );
        }
        if !dashed.is_empty() {
            let _ = writeln!(
                s,
                r#"<path class="{class} partial" d="{dashed}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-dasharray="7 5"/>"#
            );
        }
        for (i, v) in l.values.iter().take(n).enumerate() {
            let Some(v) = v.filter(|v| v.is_finite()) else {
                continue;
            };
            let tip = format!(
                "{} {}: {}{}",
                l.name,
                c.periods.get(i).map(String::as_str).unwrap_or(""),
                (c.value_label)(v),
                if partial(i) { " (partial)" } else { "" }
            );
            s.push_str(&marker(
                k,
                l.emphasis,
                x_at(i),
                y_at(v),
                partial(i),
                Some(&tip),
            ));
        }
    }
    s.push_str(&legend);
    s.push_str("</svg>\n");
    Some(s)
}

/// What a screen reader hears: every series' values by period.
fn line_desc(c: &LineChart<'_>) -> String {
    let partial = |i: usize| c.partial.get(i).copied().unwrap_or(false);
    c.lines
        .iter()
        .map(|l| {
            let points: Vec<String> = l
                .values
                .iter()
                .zip(c.periods)
                .enumerate()
                .filter_map(|(i, (v, p))| {
                    v.map(|v| {
                        format!(
                            "{p} {}{}",
                            (c.value_label)(v),
                            if partial(i) { " (partial)" } else { "" }
                        )
                    })
                })
                .collect();
            if points.is_empty() {
                format!("{}: no data", l.name)
            } else {
                format!("{}: {}", l.name, points.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One group of bars: a label and up to two bars (before, after), each with its value
/// and the label printed beside it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BarGroup {
    pub label: String,
    pub bars: [Option<Bar>; 2],
    /// Printed in the right-hand column (the change, e.g. `−35.0%`).
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    pub value: f64,
    pub label: String,
}

/// A horizontal bar chart of groups of two bars (before and after).
#[derive(Debug, Clone)]
pub(crate) struct BarChart<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The two bars' names, as the legend and the row labels say them.
    pub bar_names: [&'a str; 2],
    /// The right-hand column's heading.
    pub note_title: &'a str,
    /// What the x axis measures, with its unit.
    pub x_title: &'a str,
    pub groups: Vec<BarGroup>,
    pub width: f64,
}

/// The chart as an `<svg>` element, or `None` when no group has a single bar.
pub(crate) fn bar_chart(c: &BarChart<'_>) -> Option<String> {
    let values: Vec<f64> = c
        .groups
        .iter()
        .flat_map(|g| g.bars.iter().flatten())
        .map(|b| b.value)
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        return None;
    }
    let (lo, hi) = data_range(&values, None);
    let axis = Axis::new(lo, hi, 5);

    let label_w = c
        .groups
        .iter()
        .map(|g| text_width(&g.label, FONT))
        .fold(60.0, f64::max);
    let names_w = c
        .bar_names
        .iter()
        .map(|n| text_width(n, SMALL))
        .fold(0.0, f64::max);
    let note_w = 110.0;
    let x0 = 16.0 + label_w + 12.0 + names_w + 10.0;
    let x_end = c.width - note_w - 16.0;
    // Room right of the longest bar for its value label.
    let value_w = c
        .groups
        .iter()
        .flat_map(|g| g.bars.iter().flatten())
        .map(|b| text_width(&b.label, SMALL))
        .fold(0.0, f64::max)
        + 12.0;
    let x1 = (x_end - value_w).max(x0 + 120.0);
    let x_at = |v: f64| x0 + (v - axis.lo) / (axis.hi - axis.lo) * (x1 - x0);

    let bar_h = 22.0;
    let gap = 5.0;
    let group_gap = 20.0;
    let top = 44.0;
    let group_h = 2.0 * bar_h + gap;
    let plot_bottom = top + c.groups.len() as f64 * (group_h + group_gap) - group_gap + 10.0;
    let height = plot_bottom + 50.0;

    let desc = c
        .groups
        .iter()
        .map(|g| {
            let bars: Vec<String> = g
                .bars
                .iter()
                .zip(c.bar_names)
                .map(|(b, name)| match b {
                    Some(b) => format!("{name} {}", b.label),
                    None => format!("{name} no data"),
                })
                .collect();
            let note = g
                .note
                .as_ref()
                .map(|n| format!(", {} {n}", c.note_title))
                .unwrap_or_default();
            format!("{}: {}{note}", g.label, bars.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");

    let mut s = String::new();
    open_svg(&mut s, c.id, c.width, height, c.title, &desc);

    // The legend and the note column's heading.
    let entries = [
        LegendEntry {
            label: c.bar_names[0].to_string(),
            kind: LegendKind::Bar(0),
        },
        LegendEntry {
            label: c.bar_names[1].to_string(),
            kind: LegendKind::Bar(1),
        },
    ];
    let (legend, _) = legend(&entries, x0, 8.0, x_end);
    s.push_str(&legend);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="end" font-size="{SMALL}" font-weight="bold" fill="{AXIS}">{}</text>"#,
        px(c.width - 16.0),
        px(top - 12.0),
        esc(c.note_title)
    );

    // Grid and axis.
    for t in &axis.ticks {
        let x = x_at(*t);
        let _ = writeln!(
            s,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{GRID}" stroke-width="1"/>"#,
            px(x),
            px(top - 4.0),
            px(x),
            px(plot_bottom)
        );
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" font-size="{SMALL}" fill="{AXIS}">{}</text>"#,
            px(x),
            px(plot_bottom + 18.0),
            tick_label(*t, axis.step)
        );
    }
    let _ = writeln!(
        s,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{AXIS}" stroke-width="1.5"/>"#,
        px(x_at(0.0_f64.clamp(axis.lo, axis.hi))),
        px(top - 4.0),
        px(x_at(0.0_f64.clamp(axis.lo, axis.hi))),
        px(plot_bottom)
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle" font-size="{SMALL}" fill="{AXIS}">{}</text>"#,
        px((x0 + x1) / 2.0),
        px(plot_bottom + 38.0),
        esc(c.x_title)
    );

    for (gi, g) in c.groups.iter().enumerate() {
        let gy = top + gi as f64 * (group_h + group_gap);
        let _ = writeln!(
            s,
            r#"<text x="16" y="{}" font-size="{FONT}" font-weight="bold" fill="{AXIS}">{}</text>"#,
            px(gy + group_h / 2.0 + 5.0),
            esc(&g.label)
        );
        for (bi, (bar, name)) in g.bars.iter().zip(c.bar_names).enumerate() {
            let by = gy + bi as f64 * (bar_h + gap);
            let mid = by + bar_h / 2.0 + 4.5;
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{}" text-anchor="end" font-size="{SMALL}" fill="{MUTED}">{}</text>"#,
                px(x0 - 8.0),
                px(mid),
                esc(name)
            );
            match bar.as_ref().filter(|b| b.value.is_finite()) {
                Some(b) => {
                    let from = x_at(0.0_f64.clamp(axis.lo, axis.hi));
                    let to = x_at(b.value);
                    let (x, w) = if to >= from {
                        (from, to - from)
                    } else {
                        (to, from - to)
                    };
                    let (fill, stroke) = bar_colours(bi);
                    let _ = writeln!(
                        s,
                        r#"<rect class="bar b{bi}" x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="{stroke}" stroke-width="1"><title>{}: {} {}</title></rect>"#,
                        px(x),
                        px(by),
                        px(w.max(1.0)),
                        px(bar_h),
                        esc(&g.label),
                        esc(name),
                        esc(&b.label)
                    );
                    let _ = writeln!(
                        s,
                        r#"<text x="{}" y="{}" font-size="{SMALL}" fill="{AXIS}">{}</text>"#,
                        px(x + w.max(1.0) + 6.0),
                        px(mid),
                        esc(&b.label)
                    );
                }
                None => {
                    let _ = writeln!(
                        s,
                        r#"<text x="{}" y="{}" font-size="{SMALL}" font-style="italic" fill="{MUTED}">{} — no data</text>"#,
                        px(x0 + 6.0),
                        px(mid),
                        esc(name)
                    );
                }
            }
        }
        if let Some(note) = &g.note {
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{}" text-anchor="end" font-size="{FONT}" font-weight="bold" fill="{AXIS}">{}</text>"#,
                px(c.width - 16.0),
                px(gy + group_h / 2.0 + 5.0),
                esc(note)
            );
        }
    }
    s.push_str("</svg>\n");
    Some(s)
}

/// Fill and outline of the first (before) and second (after) bar: light and dark, so they
/// differ in grey too.
fn bar_colours(i: usize) -> (&'static str, &'static str) {
    if i == 0 {
        ("#c6c6c6", "#555555")
    } else {
        ("#0072B2", "#00507d")
    }
}

fn open_svg(s: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = writeln!(
        s,
        r#"<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="inherit">"#,
        px(width),
        px(height),
        px(width),
        px(height)
    );
    let _ = writeln!(s, r#"<title id="{id}-title">{}</title>"#, esc(title));
    let _ = writeln!(s, r#"<desc id="{id}-desc">{}</desc>"#, esc(desc));
}

#[derive(Debug, Clone, PartialEq)]
struct LegendEntry {
    label: String,
    kind: LegendKind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum LegendKind {
    /// A series' colour and marker (index, emphasis).
    Series(usize, bool),
    /// A series without data: text only.
    Empty,
    /// The partial-period marker.
    Partial,
    /// A bar's swatch.
    Bar(usize),
}

/// Lays the entries out left to right from `(x, y)`, wrapping before `max_x`; returns the
/// SVG and the height used.
fn legend(entries: &[LegendEntry], x: f64, y: f64, max_x: f64) -> (String, f64) {
    if entries.is_empty() {
        return (String::new(), 0.0);
    }
    let row_h = 26.0;
    let mut s = String::new();
    let mut cx = x;
    let mut cy = y;
    for e in entries {
        let swatch = match e.kind {
            LegendKind::Empty => 0.0,
            _ => 34.0,
        };
        let w = swatch + text_width(&e.label, SMALL) + 22.0;
        if cx > x && cx + w > max_x {
            cx = x;
            cy += row_h;
        }
        let mid = cy + row_h / 2.0;
        match e.kind {
            LegendKind::Series(k, emphasis) => {
                let _ = writeln!(
                    s,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>"#,
                    px(cx),
                    px(mid),
                    px(cx + 28.0),
                    px(mid),
                    colour(k, emphasis),
                    if emphasis { 3.5 } else { 2.5 }
                );
                s.push_str(&marker(k, emphasis, cx + 14.0, mid, false, None));
            }
            LegendKind::Partial => {
                let _ = writeln!(
                    s,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{MUTED}" stroke-width="2.5" stroke-dasharray="7 5"/>"#,
                    px(cx),
                    px(mid),
                    px(cx + 28.0),
                    px(mid)
                );
                let _ = writeln!(
                    s,
                    r##"<circle cx="{}" cy="{}" r="5" fill="#ffffff" stroke="{MUTED}" stroke-width="2"/>"##,
                    px(cx + 14.0),
                    px(mid)
                );
            }
            LegendKind::Bar(i) => {
                let (fill, stroke) = bar_colours(i);
                let _ = writeln!(
                    s,
                    r#"<rect x="{}" y="{}" width="28" height="14" fill="{fill}" stroke="{stroke}" stroke-width="1"/>"#,
                    px(cx),
                    px(mid - 7.0)
                );
            }
            LegendKind::Empty => {}
        }
        let style = if e.kind == LegendKind::Empty {
            r#" font-style="italic""#
        } else {
            ""
        };
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" font-size="{SMALL}" fill="{AXIS}"{style}>{}</text>"#,
            px(cx + swatch),
            px(mid + 5.0),
            esc(&e.label)
        );
        cx += w;
    }
    (s, cy - y + row_h)
}

fn colour(k: usize, emphasis: bool) -> &'static str {
    if emphasis {
        EMPHASIS
    } else {
        PALETTE[k % PALETTE.len()]
    }
}

/// A point of series `k`: circle, square, triangle, diamond, inverted triangle, by series;
/// filled for a whole period, hollow for a partial one.
fn marker(k: usize, emphasis: bool, x: f64, y: f64, hollow: bool, tip: Option<&str>) -> String {
    let colour = colour(k, emphasis);
    let fill = if hollow { "#ffffff" } else { colour };
    let paint = format!(r#"fill="{fill}" stroke="{colour}" stroke-width="2""#);
    let class = if hollow {
        r#" class="point partial""#
    } else {
        r#" class="point""#
    };
    let r = if emphasis { 6.0 } else { 5.0 };
    // A point with a tooltip holds its `<title>`; one without is an empty element.
    let (body, close) = match tip {
        Some(t) => (format!("><title>{}</title>", esc(t)), true),
        None => ("/>".to_string(), false),
    };
    let end = |tag: &str| {
        if close {
            format!("</{tag}>\n")
        } else {
            "\n".to_string()
        }
    };
    let polygon = |pts: &[(f64, f64)]| {
        let pts: Vec<String> = pts
            .iter()
            .map(|(a, b)| format!("{},{}", px(*a), px(*b)))
            .collect();
        format!(
            r#"<polygon{class} points="{}" {paint}{body}{}"#,
            pts.join(" "),
            end("polygon")
        )
    };
    match if emphasis { 0 } else { k % 5 } {
        1 => format!(
            r#"<rect{class} x="{}" y="{}" width="{}" height="{}" {paint}{body}{}"#,
            px(x - r + 0.5),
            px(y - r + 0.5),
            px(2.0 * r - 1.0),
            px(2.0 * r - 1.0),
            end("rect")
        ),
        2 => polygon(&[
            (x, y - r - 1.0),
            (x + r + 0.5, y + r - 0.5),
            (x - r - 0.5, y + r - 0.5),
        ]),
        3 => polygon(&[
            (x, y - r - 1.0),
            (x + r + 1.0, y),
            (x, y + r + 1.0),
            (x - r - 1.0, y),
        ]),
        4 => polygon(&[
            (x, y + r + 1.0),
            (x + r + 0.5, y - r + 0.5),
            (x - r - 0.5, y - r + 0.5),
        ]),
        _ => format!(
            r#"<circle{class} cx="{}" cy="{}" r="{}" {paint}{body}{}"#,
            px(x),
            px(y),
            px(r),
            end("circle")
        ),
    }
}

/// The axis range for `values`: zero is always in it (a bar or a rate read from a
/// non-zero baseline exaggerates), widened to `fixed` when given; never empty.
fn data_range(values: &[f64], fixed: Option<(f64, f64)>) -> (f64, f64) {
    let mut lo = values.iter().copied().fold(0.0, f64::min);
    let mut hi = values.iter().copied().fold(0.0, f64::max);
    if let Some((a, b)) = fixed {
        lo = lo.min(a);
        hi = hi.max(b);
    }
    if hi - lo < f64::EPSILON * hi.abs().max(1.0) {
        hi = lo + 1.0;
    }
    (lo, hi)
}

/// A value axis with round ticks.
#[derive(Debug, Clone, PartialEq)]
struct Axis {
    lo: f64,
    hi: f64,
    step: f64,
    ticks: Vec<f64>,
}

impl Axis {
    /// About `target` intervals between `lo` and `hi`, each 1, 2, 2.5 or 5 × 10ⁿ, the ends
    /// widened to whole steps.
    fn new(lo: f64, hi: f64, target: usize) -> Axis {
        let raw = (hi - lo) / target.max(1) as f64;
        let magnitude = 10f64.powf(raw.log10().floor());
        let fraction = raw / magnitude;
        let nice = if fraction <= 1.0 {
            1.0
        } else if fraction <= 2.0 {
            2.0
        } else if fraction <= 2.5 {
            2.5
        } else if fraction <= 5.0 {
            5.0
        } else {
            10.0
        };
        let step = nice * magnitude;
        // Rounding absorbs the float error of e.g. 100 / 20 = 5.000000000000001.
        let first = (lo / step + 1e-9).floor() as i64;
        let last = (hi / step - 1e-9).ceil() as i64;
        let ticks: Vec<f64> = (first..=last).map(|i| i as f64 * step).collect();
        Axis {
            lo: first as f64 * step,
            hi: last as f64 * step,
            step,
            ticks,
        }
    }
}

/// A tick's number: as many decimals as the step needs, thousands grouped.
fn tick_label(v: f64, step: f64) -> String {
    let decimals = (0..=6)
        .find(|d| {
            let scaled = step * 10f64.powi(*d);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(6) as usize;
    let v = if v.abs() < step * 1e-9 { 0.0 } else { v };
    let s = format!("{v:.decimals$}");
    if decimals > 0 {
        return s;
    }
    let (sign, digits) = match s.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", s.as_str()),
    };
    let len = digits.len();
    let mut out = String::from(sign);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A coordinate rounded to a tenth, printed without a trailing `.0` (and never `-0`).
fn px(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r}")
}

/// An estimate of a text's width in SVG units: characters × 0.6 em (a sans-serif's
/// average, generous for digits).
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(v: f64) -> String {
        format!("{v:.1}")
    }

    fn chart<'a>(periods: &'a [String], partial: &'a [bool], lines: &'a [Line]) -> LineChart<'a> {
        LineChart {
            id: "t",
            title: "T <&>",
            periods,
            partial,
            y_title: "days",
            y_range: None,
            lines,
            value_label: &label,
            width: 600.0,
            plot_height: 200.0,
            partial_legend: true,
        }
    }

    fn line(name: &str, values: &[Option<f64>]) -> Line {
        Line {
            name: name.into(),
            values: values.to_vec(),
            emphasis: false,
        }
    }

    #[test]
    fn axes_have_round_ticks_from_zero() {
        let check = |lo: f64, hi: f64, expected: &[f64]| {
            let a = Axis::new(lo, hi, 5);
            assert_eq!(a.ticks, expected, "{lo}..{hi}");
            assert_eq!(a.lo, expected[0]);
            assert_eq!(a.hi, expected[expected.len() - 1]);
        };
        check(0.0, 100.0, &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        check(0.0, 7.3, &[0.0, 2.0, 4.0, 6.0, 8.0]);
        check(0.0, 0.42, &[0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5]);
        check(-3.0, 9.0, &[-5.0, -2.5, 0.0, 2.5, 5.0, 7.5, 10.0]);
        check(
            0.0,
            12_345.0,
            &[0.0, 2_500.0, 5_000.0, 7_500.0, 10_000.0, 12_500.0],
        );
        assert_eq!(data_range(&[0.0, 0.0], None), (0.0, 1.0));
        assert_eq!(data_range(&[5.0], Some((0.0, 100.0))), (0.0, 100.0));
        assert_eq!(data_range(&[-2.0, 3.0], None), (-2.0, 3.0));
    }

    #[test]
    fn tick_labels_need_no_more_decimals_than_the_step() {
        assert_eq!(tick_label(20.0, 20.0), "20");
        assert_eq!(tick_label(12_500.0, 2_500.0), "12,500");
        assert_eq!(tick_label(0.30000000000000004, 0.1), "0.3");
        assert_eq!(tick_label(0.25, 0.25), "0.25");
        assert_eq!(tick_label(-1e-17, 0.1), "0.0");
        assert_eq!(tick_label(-4_000.0, 2_000.0), "-4,000");
        assert_eq!(px(-0.04), "0");
        assert_eq!(px(12.0), "12");
        assert_eq!(px(123.45), "123.5");
    }

    #[test]
    fn a_chart_without_values_is_not_drawn() {
        let periods = vec!["2026-01".to_string(), "2026-02".to_string()];
        assert_eq!(line_chart(&chart(&periods, &[], &[])), None);
        assert_eq!(
            line_chart(&chart(&periods, &[], &[line("a", &[None, None])])),
            None
        );
        assert_eq!(
            line_chart(&chart(&[], &[], &[line("a", &[Some(1.0)])])),
            None
        );
        let bars = BarChart {
            id: "b",
            title: "B",
            bar_names: ["before", "after"],
            note_title: "change",
            x_title: "days",
            groups: vec![BarGroup {
                label: "coding".into(),
                bars: [None, None],
                note: None,
            }],
            width: 600.0,
        };
        assert_eq!(bar_chart(&bars), None);
    }

    #[test]
    fn gaps_are_gaps_and_partial_periods_are_dashed_and_hollow() {
        let periods: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        let partial = [false, false, false, false, true];
        let svg = line_chart(&chart(
            &periods,
            &partial,
            &[line(
                "x",
                &[Some(1.0), Some(2.0), None, Some(3.0), Some(4.0)],
            )],
        ))
        .unwrap();
        // One solid segment (a–b), none across the gap, one dashed (d–e).
        let solid = svg
            .lines()
            .find(|l| l.starts_with(r#"<path class="series s0""#))
            .unwrap();
        assert_eq!(solid.matches('M').count(), 1, "{solid}");
        let dashed = svg
            .lines()
            .find(|l| l.starts_with(r#"<path class="series s0 partial""#))
            .unwrap();
        assert_eq!(dashed.matches('M').count(), 1, "{dashed}");
        assert_eq!(svg.matches(r#"class="point""#).count(), 3);
        assert_eq!(svg.matches(r#"class="point partial""#).count(), 1);
        assert!(svg.contains("partial period (hollow point, dashed line)"));
        assert!(svg.contains("<title id=\"t-title\">T &lt;&amp;&gt;</title>"));
        assert!(svg.contains("x: a 1.0, b 2.0, d 3.0, e 4.0 (partial)"));
        // No value is drawn at the gap: the third period has no marker.
        assert!(!svg.contains("x c:"));
    }

    #[test]
    fn a_series_without_data_says_so_in_the_legend() {
        let periods: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let svg = line_chart(&chart(
            &periods,
            &[],
            &[line("x", &[Some(1.0), Some(2.0)]), line("y", &[None, None])],
        ))
        .unwrap();
        assert!(svg.contains(">y — no data</text>"));
        assert!(!svg.contains("series s1"));
        assert!(!svg.contains("partial period"));
    }

    #[test]
    fn charts_are_deterministic() {
        let periods: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let make = || {
            line_chart(&chart(
                &periods,
                &[],
                &[line("x", &[Some(1.0 / 3.0), Some(2.0)])],
            ))
        };
        assert_eq!(make(), make());
    }

    #[test]
    fn bars_without_a_value_say_no_data() {
        let svg = bar_chart(&BarChart {
            id: "b",
            title: "B",
            bar_names: ["before", "after"],
            note_title: "change",
            x_title: "days",
            groups: vec![BarGroup {
                label: "review".into(),
                bars: [
                    Some(Bar {
                        value: 2.0,
                        label: "2.0 d".into(),
                    }),
                    None,
                ],
                note: None,
            }],
            width: 600.0,
        })
        .unwrap();
        assert_eq!(svg.matches("<rect class=\"bar").count(), 1);
        assert!(svg.contains("after — no data"));
        assert!(svg.contains("review: before 2.0 d, after no data"));
    }
}
