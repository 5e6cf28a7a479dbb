//! `plumb import copilot-metrics`: GitHub Copilot telemetry becomes [`AiUsage`] records
//! (tool `copilot`), one per day, subject and capability.
//!
//! Two formats are read, told apart by their content (they can even share a file):
//!
//! # The Copilot metrics API
//!
//! The array `GET /orgs/{org}/copilot/metrics` (and the enterprise and team variants)
//! returns, one object per day with `date`; field names as in GitHub's REST reference
//! (<https://docs.github.com/rest/copilot/copilot-metrics>). The subject is the team given
//! with `--team`, else the organisation. Per day:
//!
//! | capability | from | active | counts |
//! |---|---|---|---|
//! | completion | `copilot_ide_code_completions` | its `total_engaged_users` | suggestions, acceptances, lines suggested and accepted: `total_code_suggestions`, `total_code_acceptances`, `total_code_lines_suggested`, `total_code_lines_accepted` summed over `editors[].models[].languages[]` |
//! | chat | `copilot_ide_chat`, `copilot_dotcom_chat` | the larger of the two `total_engaged_users` | none |
//! | review | `copilot_dotcom_pull_requests` | its `total_engaged_users` | suggestions: `total_pr_summaries_created` summed over `repositories[].models[]` |
//! | other | the day itself | `total_active_users`: any Copilot use that day | none |
//!
//! Chat's active users are the larger of the IDE and github.com counts, not their sum: the
//! same person often uses both, so the sum would count them twice, and the true union is
//! not in the data (it lies between the larger count and the sum). Chat has no counts: a
//! chat turn (`total_chats`) is not a suggestion, and insertion or copy events
//! (`total_chat_insertion_events`, `total_chat_copy_events`) are not acceptances of one, so
//! storing them as such would make acceptance rates across capabilities meaningless.
//!
//! A section missing from a day (or `null`) makes no record: missing is unknown, never
//! zero.
//!
//! # The Copilot usage metrics report
//!
//! The newer report: the files the `…/copilot/metrics/reports/…` endpoints link to (they
//! answer with `download_links`, which is refused with a hint) and the dashboard's NDJSON
//! export, as NDJSON or a JSON array. Field names are those of GitHub's reference
//! (<https://docs.github.com/en/copilot/reference/copilot-usage-metrics/copilot-usage-metrics>)
//! and example schema
//! (<https://docs.github.com/en/copilot/reference/copilot-usage-metrics/example-schema>).
//! Rows carry `day`; per-user rows also `user_login`, organisation and enterprise rows
//! `daily_active_users`, and a 28-day organisation or enterprise report wraps its days in
//! `day_totals`, which is unwrapped here.
//!
//! Each row's `totals_by_feature` is summed per capability (suggestions from
//! `code_generation_activity_count`, acceptances from `code_acceptance_activity_count`,
//! lines suggested from `loc_suggested_to_add_sum`, lines accepted from `loc_added_sum`), by
//! this map of `feature` values:
//!
//! - `code_completion` → completion;
//! - `chat_panel_ask_mode`, `chat_panel_edit_mode`, `chat_panel_plan_mode`,
//!   `chat_panel_unknown_mode`, `chat_inline` → chat (a person asks and takes or leaves
//!   each answer);
//! - `chat_panel_agent_mode`, `chat_panel_custom_mode` (custom agents), `agent_edit` (the
//!   lines agent and edit modes write into files themselves) → agent;
//! - anything else → other, named in a note. The reference lists every value above but
//!   `chat_inline`, which third-party readers of these exports handle (inline chat).
//!
//! For chat and agent the counts are of code blocks and their uses (apply, insert, copy),
//! not of inline completions.
//!
//! A per-user row (subject: the person, by `user_login`) makes:
//! completion (active 1 when it generated anything, else 0; counts from the
//! `code_completion` feature, or from the row's own totals when it has no
//! `totals_by_feature` — those also include chat code blocks), chat (active from
//! `used_chat`), agent (active from `used_agent`: agent mode in the IDE), review (active from
//! `used_copilot_code_review_active`), and other for unmapped features.
//!
//! An organisation or enterprise day (subject: `--team`, else the organisation) makes one
//! record per capability its features map to (no active count: the report has no daily
//! active users per feature), review (active `daily_active_copilot_code_review_users`,
//! suggestions and acceptances `pull_requests.total_copilot_suggestions` and
//! `total_copilot_applied_suggestions`: Copilot's review comments and those applied), and
//! other (active `daily_active_users`, plus unmapped features).
//!
//! Not imported: Copilot CLI usage (`totals_by_cli`, `used_cli`, `daily_active_cli_users`),
//! which the report keeps apart from the IDE figures; monthly and weekly counts; the
//! per-IDE, per-language and per-model breakdowns (they re-slice the same totals); and the
//! pull request lifecycle counts, which are not Copilot usage.
//!
//! # Errors
//!
//! Invalid JSON (with its line), a row of neither format, a `date`/`day` that is not a real
//! date, a count that is not a whole number 0 or more, and two records for the same day,
//! subject and capability (naming both lines) each refuse the file.

use crate::json::{self, Fields, JsonPath, Lines, field};
use crate::sarif::what_json;
use crate::{ImportKind, Invalid, Keyed, Options, Parsed, Problem, Problems, check_duplicate_keys};
use jiff::civil::Date;
use plumb_model::records::{AiUsage, Capability, Record, UsageSubject};
use serde_json::Value;
use std::collections::BTreeSet;

/// The tool name of every record.
pub const TOOL: &str = "copilot";

const EXPECTED: &str = "expected a Copilot metrics API day (an object with \"date\") or a usage metrics report row (an object with \"day\")";

/// Parses Copilot metrics: the metrics API's array of days, or usage metrics report rows
/// as NDJSON or a JSON array.
pub fn parse(file: &str, bytes: &[u8], opts: &Options) -> Result<Parsed, Invalid> {
    let refuse = |p: Problem| Invalid {
        file: file.to_string(),
        problems: vec![p],
        more: 0,
    };
    let text = json::strip_bom(bytes);
    if json::is_blank(text) {
        return Err(refuse(Problem::file(format!(
            "the file is empty: {EXPECTED}"
        ))));
    }
    let mut problems = Problems::default();
    let mut rows: Vec<Row<'_>> = Vec::new();
    let doc;
    let ndjson_values;
    match json::parse_value(text, 0) {
        Ok(v) => {
            doc = v;
            let lines = Lines::scan(
                text,
                &[&[], &["*"], &["day_totals", "*"], &["*", "day_totals", "*"]],
            );
            let root = JsonPath::root();
            match &doc {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let path = root.index(i);
                        rows.push(Row {
                            line: lines.of(&path),
                            value: item,
                            path,
                            lines: Some(&lines),
                        });
                    }
                }
                Value::Object(_) => rows.push(Row {
                    line: lines.of(&root),
                    value: &doc,
                    path: root,
                    lines: Some(&lines),
                }),
                other => {
                    return Err(refuse(Problem::file(format!(
                        "not Copilot metrics: found {}: {EXPECTED}",
                        what_json(other)
                    ))));
                }
            }
            return read_rows(file, rows, opts, problems);
        }
        Err(whole) => match ndjson(text) {
            Some(values) => ndjson_values = values,
            None => return Err(refuse(whole)),
        },
    }
    for (line, value) in &ndjson_values {
        match value {
            Ok(v) => rows.push(Row {
                line: Some(*line),
                value: v,
                path: JsonPath::root(),
                lines: None,
            }),
            Err(p) => problems.push(p.clone()),
        }
    }
    read_rows(file, rows, opts, problems)
}

type NdjsonLine = (u64, Result<Value, Problem>);

/// The file as NDJSON, one value per non-blank line, when it looks like NDJSON: at least two
/// non-blank lines, the first of them JSON by itself. Otherwise `None`, and the caller
/// reports why the file is not one JSON document.
fn ndjson(text: &[u8]) -> Option<Vec<NdjsonLine>> {
    let mut out = Vec::new();
    for (i, raw) in text.split(|b| *b == b'\n').enumerate() {
        if json::is_blank(raw) {
            continue;
        }
        let line = u64::try_from(i).unwrap_or(u64::MAX);
        out.push((line.saturating_add(1), json::parse_value(raw, line)));
    }
    let first_ok = out.first().is_some_and(|(_, v)| v.is_ok());
    (first_ok && out.len() >= 2).then_some(out)
}

/// One row of the file: an element of the top-level array, the document itself, or one
/// NDJSON line.
struct Row<'a> {
    value: &'a Value,
    path: JsonPath,
    line: Option<u64>,
    /// Line positions inside a single JSON document (none for NDJSON, where the row's line
    /// is the line of all its parts).
    lines: Option<&'a Lines>,
}

/// Counts of one capability, before they become a record.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Counts {
    active: Option<u64>,
    suggestions: Option<u64>,
    acceptances: Option<u64>,
    lines_suggested: Option<u64>,
    lines_accepted: Option<u64>,
}

impl Counts {
    fn is_unknown(&self) -> bool {
        *self == Counts::default()
    }

    fn add(&mut self, other: &Counts) {
        add(&mut self.active, other.active);
        add(&mut self.suggestions, other.suggestions);
        add(&mut self.acceptances, other.acceptances);
        add(&mut self.lines_suggested, other.lines_suggested);
        add(&mut self.lines_accepted, other.lines_accepted);
    }
}

/// Adds a known value to a sum that is unknown until some part of it is known.
fn add(sum: &mut Option<u64>, v: Option<u64>) {
    if let Some(v) = v {
        *sum = Some(sum.unwrap_or(0).saturating_add(v));
    }
}

/// What the rows of a file make.
struct Out {
    records: Vec<Keyed>,
    unmapped: BTreeSet<String>,
}

impl Out {
    fn emit(
        &mut self,
        line: Option<u64>,
        date: Date,
        who: &UsageSubject,
        capability: Capability,
        c: Counts,
    ) {
        if c.is_unknown() {
            return;
        }
        let record = Record::AiUsage(AiUsage {
            date,
            who: who.clone(),
            tool: TOOL.to_string(),
            capability,
            active: c.active,
            suggestions: c.suggestions,
            acceptances: c.acceptances,
            lines_suggested: c.lines_suggested,
            lines_accepted: c.lines_accepted,
        });
        self.records.push(Keyed {
            key: record.key(),
            line: line.unwrap_or(1),
            record,
        });
    }
}

fn read_rows(
    file: &str,
    rows: Vec<Row<'_>>,
    opts: &Options,
    mut problems: Problems,
) -> Result<Parsed, Invalid> {
    let org = match &opts.team {
        Some(team) => UsageSubject::Team(team.clone()),
        None => UsageSubject::Org,
    };
    let mut out = Out {
        records: Vec::new(),
        unmapped: BTreeSet::new(),
    };
    for row in &rows {
        let mut f = Fields {
            line: row.line,
            problems: &mut problems,
        };
        read_row(&mut f, row, &org, &mut out);
    }
    problems.finish(file)?;
    check_duplicate_keys(file, &out.records, "usage record")?;
    let mut notes = Vec::new();
    if !out.unmapped.is_empty() {
        let names: Vec<&str> = out.unmapped.iter().map(String::as_str).collect();
        notes.push(format!(
            "features not mapped to a capability, counted under other: {}",
            names.join(", ")
        ));
    }
    Ok(Parsed {
        kind: ImportKind::CopilotMetrics,
        records: out.records,
        notes,
    })
}

fn read_row(f: &mut Fields<'_>, row: &Row<'_>, org: &UsageSubject, out: &mut Out) {
    let (v, p) = (row.value, &row.path);
    if !v.is_object() {
        f.push(
            p,
            None,
            format!("{} is not a row: {EXPECTED}", json::shown(v)),
        );
        return;
    }
    if field(v, "date").is_some() {
        api_day(f, v, p, org, out);
    } else if field(v, "download_links").is_some() {
        f.push(
            p,
            None,
            "is the report's list of download links, not the report: download the files it links to and import those",
        );
    } else if field(v, "day_totals").is_some() {
        let Some(days) = f.array(v, "day_totals", p) else {
            return;
        };
        for (k, day) in days.iter().enumerate() {
            let dp = p.key("day_totals").index(k);
            let line = row.lines.and_then(|l| l.of(&dp)).or(row.line);
            let mut f = Fields {
                line,
                problems: &mut *f.problems,
            };
            if !day.is_object() {
                f.push(
                    &dp,
                    None,
                    format!(
                        "{} is not a day: expected an object with \"day\"",
                        json::shown(day)
                    ),
                );
                continue;
            }
            org_day(&mut f, day, &dp, org, out);
        }
    } else if field(v, "user_login").is_some() {
        user_day(f, v, p, out);
    } else if field(v, "day").is_some() {
        org_day(&mut *f, v, p, org, out);
    } else {
        f.push(p, None, format!("not Copilot metrics: {EXPECTED}"));
    }
}

/// One day of the metrics API.
fn api_day(f: &mut Fields<'_>, day: &Value, p: &JsonPath, who: &UsageSubject, out: &mut Out) {
    let before = f.problems.len();
    let date = f.date(day, "date", p);

    let mut completion = Counts::default();
    let cp = p.key("copilot_ide_code_completions");
    if let Some(sec) = section(f, day, "copilot_ide_code_completions", p) {
        completion.active = f.count(sec, "total_engaged_users", &cp);
        for_each(
            f,
            sec,
            &cp,
            &["editors", "models", "languages"],
            &mut |f, lang, lp| {
                add(
                    &mut completion.suggestions,
                    f.count(lang, "total_code_suggestions", lp),
                );
                add(
                    &mut completion.acceptances,
                    f.count(lang, "total_code_acceptances", lp),
                );
                add(
                    &mut completion.lines_suggested,
                    f.count(lang, "total_code_lines_suggested", lp),
                );
                add(
                    &mut completion.lines_accepted,
                    f.count(lang, "total_code_lines_accepted", lp),
                );
            },
        );
    }

    let mut chat = Counts::default();
    for key in ["copilot_ide_chat", "copilot_dotcom_chat"] {
        if let Some(sec) = section(f, day, key, p) {
            let engaged = f.count(sec, "total_engaged_users", &p.key(key));
            chat.active = chat.active.max(engaged);
        }
    }

    let mut review = Counts::default();
    let rp = p.key("copilot_dotcom_pull_requests");
    if let Some(sec) = section(f, day, "copilot_dotcom_pull_requests", p) {
        review.active = f.count(sec, "total_engaged_users", &rp);
        for_each(
            f,
            sec,
            &rp,
            &["repositories", "models"],
            &mut |f, model, mp| {
                add(
                    &mut review.suggestions,
                    f.count(model, "total_pr_summaries_created", mp),
                );
            },
        );
    }

    let other = Counts {
        active: f.count(day, "total_active_users", p),
        ..Counts::default()
    };

    let Some(date) = date else { return };
    if f.problems.len() > before {
        return;
    }
    out.emit(f.line, date, who, Capability::Completion, completion);
    out.emit(f.line, date, who, Capability::Chat, chat);
    out.emit(f.line, date, who, Capability::Review, review);
    out.emit(f.line, date, who, Capability::Other, other);
}

/// A section object of a day, when present.
fn section<'v>(f: &mut Fields<'_>, v: &'v Value, key: &str, p: &JsonPath) -> Option<&'v Value> {
    f.object(v, key, p)?;
    field(v, key)
}

/// Calls `visit` on every object at the end of a chain of nested arrays
/// (`editors[].models[].languages[]`).
fn for_each(
    f: &mut Fields<'_>,
    v: &Value,
    p: &JsonPath,
    keys: &[&str],
    visit: &mut dyn FnMut(&mut Fields<'_>, &Value, &JsonPath),
) {
    let Some((key, rest)) = keys.split_first() else {
        visit(f, v, p);
        return;
    };
    let Some(items) = f.array(v, key, p) else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let ip = p.key(key).index(i);
        if item.is_object() {
            for_each(f, item, &ip, rest, visit);
        } else {
            f.push(&ip, None, format!("{} is not an object", json::shown(item)));
        }
    }
}

/// Sums a usage report row's `totals_by_feature` per capability, in the order completion,
/// chat, agent, other; `None` when the row has no such breakdown.
fn features(f: &mut Fields<'_>, row: &Value, p: &JsonPath, out: &mut Out) -> Option<[Counts; 4]> {
    let list = f.array(row, "totals_by_feature", p)?;
    let mut sums = [Counts::default(); 4];
    for (i, entry) in list.iter().enumerate() {
        let ep = p.key("totals_by_feature").index(i);
        if !entry.is_object() {
            f.push(
                &ep,
                None,
                format!("{} is not an object", json::shown(entry)),
            );
            continue;
        }
        let name = f.string(entry, "feature", &ep);
        if name.is_none() && field(entry, "feature").is_none() {
            f.missing(&ep.key("feature"), "the feature's name");
        }
        let counts = Counts {
            active: None,
            suggestions: f.count(entry, "code_generation_activity_count", &ep),
            acceptances: f.count(entry, "code_acceptance_activity_count", &ep),
            lines_suggested: f.count(entry, "loc_suggested_to_add_sum", &ep),
            lines_accepted: f.count(entry, "loc_added_sum", &ep),
        };
        let Some(name) = name else { continue };
        let slot = match feature_capability(name) {
            Some(Capability::Completion) => 0,
            Some(Capability::Chat) => 1,
            Some(Capability::Agent) => 2,
            _ => {
                out.unmapped.insert(name.to_string());
                3
            }
        };
        if let Some(sum) = sums.get_mut(slot) {
            sum.add(&counts);
        }
    }
    Some(sums)
}

/// The capability a usage report `feature` counts toward; `None` for features this
/// importer does not know (counted as other).
fn feature_capability(feature: &str) -> Option<Capability> {
    match feature {
        "code_completion" => Some(Capability::Completion),
        "chat_panel_ask_mode"
        | "chat_panel_edit_mode"
        | "chat_panel_plan_mode"
        | "chat_panel_unknown_mode"
        | "chat_inline" => Some(Capability::Chat),
        "chat_panel_agent_mode" | "chat_panel_custom_mode" | "agent_edit" => {
            Some(Capability::Agent)
        }
        _ => None,
    }
}

fn flag(b: Option<bool>) -> Option<u64> {
    b.map(u64::from)
}

/// One person's day of the usage metrics report.
fn user_day(f: &mut Fields<'_>, row: &Value, p: &JsonPath, out: &mut Out) {
    let before = f.problems.len();
    let login = f.string(row, "user_login", p);
    if login.is_some_and(|l| l.trim().is_empty()) {
        f.push(
            &p.key("user_login"),
            login,
            "is empty: expected the person's GitHub login",
        );
    }
    let date = required_day(f, row, p);
    let [mut completion, mut chat, mut agent, other] = match features(f, row, p, out) {
        Some(sums) => sums,
        None => {
            // Without a breakdown, the row's own totals are all there is; they include chat
            // code blocks too.
            let own = Counts {
                active: None,
                suggestions: f.count(row, "code_generation_activity_count", p),
                acceptances: f.count(row, "code_acceptance_activity_count", p),
                lines_suggested: f.count(row, "loc_suggested_to_add_sum", p),
                lines_accepted: f.count(row, "loc_added_sum", p),
            };
            [own, Counts::default(), Counts::default(), Counts::default()]
        }
    };
    let has_breakdown = field(row, "totals_by_feature").is_some();
    completion.active = match completion.suggestions {
        Some(n) => Some(u64::from(n > 0)),
        None if has_breakdown => Some(0),
        None => None,
    };
    chat.active = flag(f.boolean(row, "used_chat", p));
    agent.active = flag(f.boolean(row, "used_agent", p));
    let review = Counts {
        active: flag(f.boolean(row, "used_copilot_code_review_active", p)),
        ..Counts::default()
    };

    let (Some(login), Some(date)) = (login, date) else {
        return;
    };
    if f.problems.len() > before {
        return;
    }
    let who = UsageSubject::Person(login.to_string());
    out.emit(f.line, date, &who, Capability::Completion, completion);
    out.emit(f.line, date, &who, Capability::Chat, chat);
    out.emit(f.line, date, &who, Capability::Agent, agent);
    out.emit(f.line, date, &who, Capability::Review, review);
    out.emit(f.line, date, &who, Capability::Other, other);
}

/// One organisation or enterprise day of the usage metrics report.
fn org_day(f: &mut Fields<'_>, row: &Value, p: &JsonPath, who: &UsageSubject, out: &mut Out) {
    let before = f.problems.len();
    let date = required_day(f, row, p);
    let [completion, chat, agent, mut other] = features(f, row, p, out).unwrap_or_default();
    other.active = f.count(row, "daily_active_users", p);
    let mut review = Counts {
        active: f.count(row, "daily_active_copilot_code_review_users", p),
        ..Counts::default()
    };
    if let Some(prs) = section(f, row, "pull_requests", p) {
        let pp = p.key("pull_requests");
        review.suggestions = f.count(prs, "total_copilot_suggestions", &pp);
        review.acceptances = f.count(prs, "total_copilot_applied_suggestions", &pp);
    }

    let Some(date) = date else { return };
    if f.problems.len() > before {
        return;
    }
    out.emit(f.line, date, who, Capability::Completion, completion);
    out.emit(f.line, date, who, Capability::Chat, chat);
    out.emit(f.line, date, who, Capability::Agent, agent);
    out.emit(f.line, date, who, Capability::Review, review);
    out.emit(f.line, date, who, Capability::Other, other);
}

fn required_day(f: &mut Fields<'_>, row: &Value, p: &JsonPath) -> Option<Date> {
    let day = f.date(row, "day", p);
    if field(row, "day").is_none() {
        f.missing(&p.key("day"), "the day the row counts (YYYY-MM-DD)");
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(file: &str, text: &str, opts: &Options) -> Parsed {
        crate::testing::accepted(parse, file, text, opts)
    }

    fn problems(file: &str, text: &str) -> Vec<String> {
        crate::testing::refused(parse, file, text)
    }

    fn usages(p: &Parsed) -> Vec<AiUsage> {
        p.records
            .iter()
            .map(|k| match &k.record {
                Record::AiUsage(u) => u.clone(),
                other => panic!("not AI usage: {other:?}"),
            })
            .collect()
    }

    type Five = [Option<u64>; 5];

    /// A record with active, suggestions, acceptances, lines suggested and lines accepted.
    fn usage(date: &str, who: &UsageSubject, capability: Capability, n: Five) -> AiUsage {
        let [
            active,
            suggestions,
            acceptances,
            lines_suggested,
            lines_accepted,
        ] = n;
        AiUsage {
            date: date.parse().unwrap(),
            who: who.clone(),
            tool: "copilot".into(),
            capability,
            active,
            suggestions,
            acceptances,
            lines_suggested,
            lines_accepted,
        }
    }

    const N: Option<u64> = None;

    #[test]
    fn metrics_api_days() {
        let text = r#"[
{"date": "2026-03-01", "total_active_users": 10, "total_engaged_users": 8,
 "copilot_ide_code_completions": {"total_engaged_users": 7, "languages": [{"name": "rust", "total_engaged_users": 6}], "editors": [
   {"name": "vscode", "total_engaged_users": 6, "models": [{"name": "default", "is_custom_model": false, "languages": [
     {"name": "rust", "total_code_suggestions": 100, "total_code_acceptances": 30, "total_code_lines_suggested": 150, "total_code_lines_accepted": 40},
     {"name": "go", "total_code_suggestions": 50, "total_code_acceptances": 20, "total_code_lines_suggested": 60, "total_code_lines_accepted": 25}]}]},
   {"name": "neovim", "models": [{"name": "default", "languages": [{"name": "rust", "total_code_suggestions": 5, "total_code_acceptances": 1}]}]}]},
 "copilot_ide_chat": {"total_engaged_users": 4, "editors": [{"name": "vscode", "models": [{"total_chats": 40, "total_chat_insertion_events": 5}]}]},
 "copilot_dotcom_chat": {"total_engaged_users": 6, "models": [{"total_chats": 9}]},
 "copilot_dotcom_pull_requests": {"total_engaged_users": 2, "repositories": [
   {"name": "acme/a", "models": [{"name": "default", "total_pr_summaries_created": 3}]},
   {"name": "acme/b", "models": [{"total_pr_summaries_created": 1}]}]}},
{"date": "2026-03-02", "total_active_users": 3, "copilot_dotcom_chat": null}
]"#;
        let opts = Options {
            team: Some("payments".into()),
            ..Options::default()
        };
        let p = ok("copilot.json", text, &opts);
        let team = UsageSubject::Team("payments".into());
        assert_eq!(
            usages(&p),
            [
                usage(
                    "2026-03-01",
                    &team,
                    Capability::Completion,
                    [Some(7), Some(155), Some(51), Some(210), Some(65)]
                ),
                usage("2026-03-01", &team, Capability::Chat, [Some(6), N, N, N, N]),
                usage(
                    "2026-03-01",
                    &team,
                    Capability::Review,
                    [Some(2), Some(4), N, N, N]
                ),
                usage(
                    "2026-03-01",
                    &team,
                    Capability::Other,
                    [Some(10), N, N, N, N]
                ),
                usage(
                    "2026-03-02",
                    &team,
                    Capability::Other,
                    [Some(3), N, N, N, N]
                ),
            ]
        );
        let lines: Vec<u64> = p.records.iter().map(|k| k.line).collect();
        assert_eq!(lines, [2, 2, 2, 2, 13]);
        assert_eq!(p.kind, ImportKind::CopilotMetrics);
        // Without --team the organisation is the subject.
        let p = ok(
            "copilot.json",
            r#"[{"date": "2026-03-02", "total_active_users": 3}]"#,
            &Options::default(),
        );
        assert_eq!(usages(&p)[0].who, UsageSubject::Org);
    }

    #[test]
    fn usage_report_user_rows() {
        let text = r#"{"user_login": "octocat", "user_id": 1, "day": "2026-03-01", "used_agent": true, "used_chat": false, "used_cli": true, "code_generation_activity_count": 12, "code_acceptance_activity_count": 5, "totals_by_cli": {"session_count": 2}, "totals_by_feature": [{"feature": "code_completion", "code_generation_activity_count": 10, "code_acceptance_activity_count": 4, "loc_suggested_to_add_sum": 20, "loc_added_sum": 8, "user_initiated_interaction_count": 0}, {"feature": "agent_edit", "loc_added_sum": 30, "loc_deleted_sum": 2}, {"feature": "chat_panel_agent_mode", "code_generation_activity_count": 2, "code_acceptance_activity_count": 1, "user_initiated_interaction_count": 3}]}

{"user_login": "hubot", "day": "2026-03-01", "used_agent": false, "used_chat": true, "used_copilot_code_review_active": true, "totals_by_feature": [{"feature": "chat_panel_ask_mode", "code_generation_activity_count": 3, "code_acceptance_activity_count": 0, "loc_suggested_to_add_sum": 9, "loc_added_sum": 0}, {"feature": "copilot_space", "code_generation_activity_count": 1}]}
{"user_login": "legacy", "day": "2026-03-01", "code_generation_activity_count": 0, "code_acceptance_activity_count": 0}
"#;
        let p = ok("usage.ndjson", text, &Options::default());
        let octocat = UsageSubject::Person("octocat".into());
        let hubot = UsageSubject::Person("hubot".into());
        let legacy = UsageSubject::Person("legacy".into());
        let d = "2026-03-01";
        assert_eq!(
            usages(&p),
            [
                usage(
                    d,
                    &octocat,
                    Capability::Completion,
                    [Some(1), Some(10), Some(4), Some(20), Some(8)]
                ),
                usage(d, &octocat, Capability::Chat, [Some(0), N, N, N, N]),
                usage(
                    d,
                    &octocat,
                    Capability::Agent,
                    [Some(1), Some(2), Some(1), N, Some(30)]
                ),
                usage(d, &hubot, Capability::Completion, [Some(0), N, N, N, N]),
                usage(
                    d,
                    &hubot,
                    Capability::Chat,
                    [Some(1), Some(3), Some(0), Some(9), Some(0)]
                ),
                usage(d, &hubot, Capability::Agent, [Some(0), N, N, N, N]),
                usage(d, &hubot, Capability::Review, [Some(1), N, N, N, N]),
                usage(d, &hubot, Capability::Other, [N, Some(1), N, N, N]),
                usage(
                    d,
                    &legacy,
                    Capability::Completion,
                    [Some(0), Some(0), Some(0), N, N]
                ),
            ]
        );
        let lines: Vec<u64> = p.records.iter().map(|k| k.line).collect();
        assert_eq!(lines, [1, 1, 1, 3, 3, 3, 3, 3, 4]);
        assert_eq!(
            p.notes,
            ["features not mapped to a capability, counted under other: copilot_space"]
        );
    }

    #[test]
    fn usage_report_organisation_days() {
        // A 28-day report wraps its days in day_totals, as GitHub's example schema shows.
        let text = r#"{"day_totals": [
  {"day": "2026-03-01", "organization_id": "9", "daily_active_users": 20, "weekly_active_users": 30, "monthly_active_agent_users": 7,
   "daily_active_copilot_code_review_users": 4,
   "pull_requests": {"total_created": 12, "total_copilot_suggestions": 9, "total_copilot_applied_suggestions": 3},
   "totals_by_feature": [
     {"feature": "code_completion", "code_generation_activity_count": 400, "code_acceptance_activity_count": 120, "loc_suggested_to_add_sum": 700, "loc_added_sum": 210},
     {"feature": "chat_panel_edit_mode", "code_generation_activity_count": 30, "code_acceptance_activity_count": 10},
     {"feature": "chat_inline", "code_generation_activity_count": 5, "code_acceptance_activity_count": 2, "loc_added_sum": 11}]},
  {"day": "2026-03-02", "daily_active_users": 18}
], "organization_id": "9", "report_start_day": "2026-02-03", "report_end_day": "2026-03-02"}"#;
        let p = ok("org.json", text, &Options::default());
        let org = UsageSubject::Org;
        assert_eq!(
            usages(&p),
            [
                usage(
                    "2026-03-01",
                    &org,
                    Capability::Completion,
                    [N, Some(400), Some(120), Some(700), Some(210)]
                ),
                usage(
                    "2026-03-01",
                    &org,
                    Capability::Chat,
                    [N, Some(35), Some(12), N, Some(11)]
                ),
                usage(
                    "2026-03-01",
                    &org,
                    Capability::Review,
                    [Some(4), Some(9), Some(3), N, N]
                ),
                usage(
                    "2026-03-01",
                    &org,
                    Capability::Other,
                    [Some(20), N, N, N, N]
                ),
                usage(
                    "2026-03-02",
                    &org,
                    Capability::Other,
                    [Some(18), N, N, N, N]
                ),
            ]
        );
        let lines: Vec<u64> = p.records.iter().map(|k| k.line).collect();
        assert_eq!(lines, [2, 2, 2, 2, 9]);
        // The same days as NDJSON rows without the wrapper.
        let text = "{\"day\": \"2026-03-01\", \"daily_active_users\": 20}\n{\"day\": \"2026-03-02\", \"daily_active_users\": 18}\n";
        assert_eq!(
            usages(&ok("org.ndjson", text, &Options::default())).len(),
            2
        );
    }

    #[test]
    fn refusals_say_where_and_why() {
        let cases: [(&str, &str, &[&str]); 12] = [
            (
                "c.json",
                "",
                &[
                    r#"c.json: the file is empty: expected a Copilot metrics API day (an object with "date") or a usage metrics report row (an object with "day")"#,
                ],
            ),
            (
                "c.json",
                "[\n{\"date\": \"2026-03-01\",}\n]",
                &["c.json:2: not valid JSON: trailing comma at column 23"],
            ),
            (
                "c.ndjson",
                "{\"day\": \"2026-03-01\", \"user_login\": \"a\"}\n{\"day\": \"2026-03-01\", \"user_login\": \"b\"}\n{\"day\": \n",
                &["c.ndjson:3: not valid JSON: EOF while parsing a value at column 8"],
            ),
            (
                "c.json",
                r#"[{"date": "2026-03-01", "total_active_users": 1}, {"date": "2026-02-30", "total_active_users": 1}]"#,
                &[r#"c.json:1: [1].date: "2026-02-30" is not a date: 2026-02 has no day 30"#],
            ),
            (
                "c.json",
                "[{\"date\": \"2026-03-01\", \"total_active_users\": -3,\n \"copilot_ide_code_completions\": {\"editors\": [{\"models\": [{\"languages\": [{\"total_code_suggestions\": 1.5}]}]}]}}]",
                &[
                    "c.json:1: [0].copilot_ide_code_completions.editors[0].models[0].languages[0].total_code_suggestions: 1.5 is not a count: expected a whole number, 0 or more",
                    "c.json:1: [0].total_active_users: -3 is not a count: expected a whole number, 0 or more",
                ],
            ),
            (
                "c.json",
                r#"[{"foo": 1}]"#,
                &[
                    r#"c.json:1: [0]: not Copilot metrics: expected a Copilot metrics API day (an object with "date") or a usage metrics report row (an object with "day")"#,
                ],
            ),
            (
                "c.json",
                "42",
                &[
                    r#"c.json: not Copilot metrics: found a number: expected a Copilot metrics API day (an object with "date") or a usage metrics report row (an object with "day")"#,
                ],
            ),
            (
                "c.json",
                r#"{"download_links": ["https://example.invalid/r1.ndjson"], "report_start_day": "2026-02-03", "report_end_day": "2026-03-02"}"#,
                &[
                    "c.json:1: is the report's list of download links, not the report: download the files it links to and import those",
                ],
            ),
            (
                "c.ndjson",
                "{\"user_login\": \"\", \"day\": \"2026-03-01\", \"used_chat\": \"yes\"}\n{\"user_login\": \"a\", \"used_agent\": true}\n",
                &[
                    r#"c.ndjson:1: user_login: "" is empty: expected the person's GitHub login"#,
                    r#"c.ndjson:1: used_chat: "yes" is not true or false"#,
                    "c.ndjson:2: day: missing: expected the day the row counts (YYYY-MM-DD)",
                ],
            ),
            (
                "c.json",
                r#"[{"day": "2026-03-01", "totals_by_feature": [{"code_generation_activity_count": 1}, 3]}]"#,
                &[
                    "c.json:1: [0].totals_by_feature[0].feature: missing: expected the feature's name",
                    "c.json:1: [0].totals_by_feature[1]: 3 is not an object",
                ],
            ),
            (
                "c.json",
                "[{\"date\": \"2026-03-01\", \"total_active_users\": 1},\n {\"date\": \"2026-03-01\", \"total_active_users\": 2}]",
                &[
                    "c.json:2: duplicate usage record 2026-03-01, org, copilot, other: line 1 has the same key",
                ],
            ),
            (
                "c.json",
                r#"{"day_totals": [{"day": "2026-03-01", "daily_active_users": 1}, "x"]}"#,
                &[r#"c.json:1: day_totals[1]: "x" is not a day: expected an object with "day""#],
            ),
        ];
        for (file, text, want) in cases {
            assert_eq!(problems(file, text), want, "{text}");
        }
    }

    #[test]
    fn the_example_file() {
        let p = ok(
            "copilot-metrics.json",
            std::str::from_utf8(include_bytes!(
                "../../../docs/import-examples/copilot-metrics.json"
            ))
            .unwrap(),
            &Options::default(),
        );
        let org = UsageSubject::Org;
        assert_eq!(
            usages(&p),
            [
                usage(
                    "2026-03-02",
                    &org,
                    Capability::Completion,
                    [Some(37), Some(3100), Some(880), Some(5193), Some(1437)]
                ),
                usage("2026-03-02", &org, Capability::Chat, [Some(22), N, N, N, N]),
                usage(
                    "2026-03-02",
                    &org,
                    Capability::Review,
                    [Some(6), Some(7), N, N, N]
                ),
                usage(
                    "2026-03-02",
                    &org,
                    Capability::Other,
                    [Some(48), N, N, N, N]
                ),
                usage(
                    "2026-03-03",
                    &org,
                    Capability::Completion,
                    [Some(40), Some(2777), Some(800), Some(4656), Some(1297)]
                ),
                usage("2026-03-03", &org, Capability::Chat, [Some(28), N, N, N, N]),
                usage(
                    "2026-03-03",
                    &org,
                    Capability::Other,
                    [Some(51), N, N, N, N]
                ),
            ]
        );
    }
}
