//! The tabular kinds (`people` … `kpis`) as CSV or NDJSON.
//!
//! Both encodings become the same [`Row`]s — a line number and named cells — and one
//! builder per kind turns a row into a record, reporting every bad cell rather than the
//! first. The columns of each kind are in [`columns`]; the rules a value must follow are
//! those of `import-formats.md`:
//!
//! - CSV: a header row, RFC 4180 quoting, UTF-8 (a BOM is accepted and ignored); an empty
//!   cell is unknown; a list is `;`-separated.
//! - NDJSON: one object per line with the same field names; `null` is unknown; a list is a
//!   JSON array or a `;`-separated string; numbers and booleans may be JSON values or
//!   strings.
//! - Column names are matched case-insensitively after trimming. An unknown column
//!   refuses the file unless `--allow-extra`.
//! - Timestamps are RFC 3339 with an offset; a timestamp without one is refused (its zone
//!   would be a guess). Dates are `YYYY-MM-DD` and must exist. Months are `YYYY-MM`.
//! - An end before its start (a PR merged before it was opened, an incident resolved
//!   before it was opened) is refused: a negative duration is always a data error.
//! - Two rows with the same natural key in one file refuse the file, naming both lines.
//!   (Across files, a later import of the same key updates the record.)
//! - Anonymous survey answers (no respondent) have no natural key of their own: the
//!   n-th anonymous answer of a team to a question in a quarter is keyed by that ordinal,
//!   so re-importing the same file changes nothing.

use crate::{ImportKind, Options};
use crate::{Invalid, Keyed, Parsed, Problem, Problems, TableFormat, check_duplicate_keys};
use jiff::Timestamp;
use jiff::civil::Date;
use plumb_model::records::*;
use std::collections::{BTreeMap, HashMap};

/// A column of a tabular kind.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

/// The columns of a tabular kind, as `import-formats.md` lists them.
pub fn columns(kind: RecordKind) -> &'static [Column] {
    match kind {
        RecordKind::People => {
            const {
                &[
                    req("name"),
                    req("emails"),
                    opt("logins"),
                    req("team"),
                    opt("level"),
                    opt("career_start"),
                    opt("start_date"),
                    opt("end_date"),
                ]
            }
        }
        RecordKind::Teams => {
            const {
                &[
                    req("team"),
                    opt("ai_rollout_date"),
                    opt("profile"),
                    opt("parent"),
                ]
            }
        }
        RecordKind::WorkItems => {
            const {
                &[
                    req("key"),
                    req("type"),
                    opt("title"),
                    opt("team"),
                    req("created_at"),
                    opt("started_at"),
                    opt("done_at"),
                    opt("released_at"),
                    opt("customer_request"),
                    opt("labels"),
                    opt("linked_prs"),
                ]
            }
        }
        RecordKind::PullRequests => {
            const {
                &[
                    req("repo"),
                    req("number"),
                    req("author"),
                    opt("title"),
                    req("created_at"),
                    opt("ready_at"),
                    opt("merged_at"),
                    opt("closed_at"),
                    opt("base"),
                    opt("head_branch"),
                    opt("head_sha"),
                    opt("merge_sha"),
                    opt("labels"),
                    opt("additions"),
                    opt("deletions"),
                    opt("work_items"),
                    opt("body_markers"),
                ]
            }
        }
        RecordKind::Reviews => {
            const {
                &[
                    req("repo"),
                    req("number"),
                    req("reviewer"),
                    req("state"),
                    req("submitted_at"),
                ]
            }
        }
        RecordKind::Checks => {
            const {
                &[
                    req("repo"),
                    req("sha"),
                    req("name"),
                    req("conclusion"),
                    opt("started_at"),
                    req("completed_at"),
                    opt("required"),
                ]
            }
        }
        RecordKind::Deployments => {
            const {
                &[
                    req("id"),
                    req("repo"),
                    req("environment"),
                    req("sha"),
                    opt("started_at"),
                    req("finished_at"),
                    req("status"),
                    opt("kind"),
                    opt("service"),
                ]
            }
        }
        RecordKind::Incidents => {
            const {
                &[
                    req("id"),
                    opt("service"),
                    opt("repo"),
                    opt("severity"),
                    req("opened_at"),
                    opt("resolved_at"),
                    opt("caused_by_deployment"),
                    opt("customer_impacting"),
                    opt("ai_related"),
                ]
            }
        }
        RecordKind::AiUsage => {
            const {
                &[
                    req("date"),
                    opt("person"),
                    opt("team"),
                    req("tool"),
                    req("capability"),
                    opt("active"),
                    opt("suggestions"),
                    opt("acceptances"),
                    opt("lines_suggested"),
                    opt("lines_accepted"),
                ]
            }
        }
        RecordKind::Survey => {
            const {
                &[
                    req("date"),
                    opt("respondent"),
                    req("team"),
                    req("question"),
                    req("score"),
                ]
            }
        }
        RecordKind::Skills => const { &[req("person"), req("date"), req("score")] },
        RecordKind::Costs => {
            const {
                &[
                    req("month"),
                    req("category"),
                    req("item"),
                    req("amount"),
                    req("currency"),
                    opt("seats"),
                ]
            }
        }
        RecordKind::Kpis => {
            const {
                &[
                    req("kpi"),
                    req("date"),
                    req("value"),
                    opt("unit"),
                    opt("feature"),
                ]
            }
        }
        // Findings come from SARIF and axe files, not tables.
        RecordKind::Findings => &[],
    }
}

/// One cell's content: absent cells are not stored.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    List(Vec<String>),
}

/// A row: the line it starts on and its non-empty cells by column.
#[derive(Debug)]
struct Row {
    line: u64,
    cells: HashMap<&'static str, Cell>,
}

/// Parses a tabular file of `kind`.
pub fn parse(
    kind: RecordKind,
    file: &str,
    bytes: &[u8],
    format: TableFormat,
    opts: &Options,
) -> Result<Parsed, Invalid> {
    let cols = columns(kind);
    if cols.is_empty() {
        return Err(Invalid {
            file: file.to_string(),
            problems: vec![Problem::file(format!(
                "{kind} are not a table: import SARIF with `plumb import findings` or axe results with `plumb import a11y`"
            ))],
            more: 0,
        });
    }
    let mut problems = Problems::default();
    let mut notes = Vec::new();
    let bytes = match check_encoding(bytes) {
        Ok(b) => b,
        Err(p) => {
            problems.push(p);
            return Err(finish_err(problems, file));
        }
    };
    let rows = match format {
        TableFormat::Csv => csv_rows(bytes, cols, opts, &mut problems, &mut notes),
        TableFormat::Ndjson => ndjson_rows(bytes, cols, opts, &mut problems, &mut notes),
    };
    let mut records = Vec::with_capacity(rows.len());
    let mut anonymous: BTreeMap<String, u64> = BTreeMap::new();
    for row in &rows {
        let mut r = Reader {
            row,
            problems: &mut problems,
            bad: false,
        };
        let record = build(kind, &mut r);
        if r.bad {
            continue;
        }
        if let Some(record) = record {
            let mut key = record.key();
            if let Record::Survey(s) = &record
                && s.respondent.is_none()
            {
                let n = anonymous.entry(key.clone()).or_insert(0);
                *n += 1;
                key = format!("{key}\u{1f}{n}");
            }
            records.push(Keyed {
                key,
                line: row.line,
                record,
            });
        }
    }
    if !problems.is_empty() {
        return Err(finish_err(problems, file));
    }
    check_duplicate_keys(file, &records, &singular(kind))?;
    if records.is_empty() {
        notes.push(format!("{file}: no rows"));
    }
    Ok(Parsed {
        kind: ImportKind::Table(kind),
        records,
        notes,
    })
}

fn finish_err(problems: Problems, file: &str) -> Invalid {
    match problems.finish(file) {
        Err(e) => e,
        Ok(()) => Invalid {
            file: file.to_string(),
            problems: Vec::new(),
            more: 0,
        },
    }
}

fn singular(kind: RecordKind) -> String {
    match kind {
        RecordKind::People => "person".into(),
        RecordKind::Survey => "survey answer".into(),
        RecordKind::Skills => "skill assessment".into(),
        RecordKind::Kpis => "KPI point".into(),
        RecordKind::AiUsage => "AI usage row".into(),
        other => other.as_str().trim_end_matches('s').replace('-', " "),
    }
}

/// Strips a UTF-8 BOM; refuses UTF-16 and UTF-32 with a clear word.
fn check_encoding(bytes: &[u8]) -> Result<&[u8], Problem> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(rest);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Problem::file(
            "the file is UTF-16 encoded: save it as UTF-8 (CSV UTF-8 in spreadsheet tools)",
        ));
    }
    Ok(bytes)
}

/// Matches a header name against the kind's columns.
fn column_named(cols: &[Column], name: &str) -> Option<&'static str> {
    let name = name.trim().to_ascii_lowercase();
    cols.iter().find(|c| c.name == name).map(|c| c.name)
}

fn known_columns(cols: &[Column]) -> String {
    cols.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
}

fn unknown_column(cols: &[Column], name: &str, line: u64) -> Problem {
    Problem {
        line: Some(line),
        column: Some(crate::shorten(name)),
        value: None,
        why: format!(
            "unknown column (known: {}); pass --allow-extra to ignore it",
            known_columns(cols)
        ),
    }
}

fn split_list(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn csv_rows(
    bytes: &[u8],
    cols: &[Column],
    opts: &Options,
    problems: &mut Problems,
    notes: &mut Vec<String>,
) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => {
            problems.push(Problem::file(
                "the file is empty: a CSV needs a header row naming its columns",
            ));
            return Vec::new();
        }
        Some(Err(e)) => {
            problems.push(csv_problem(&e, 1));
            return Vec::new();
        }
        Some(Ok(h)) => h,
    };
    // Header: which field index is which column.
    let mut index: Vec<Option<&'static str>> = Vec::with_capacity(header.len());
    let mut seen: HashMap<&'static str, usize> = HashMap::new();
    let mut extra = Vec::new();
    for (i, raw) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(raw);
        match column_named(cols, &name) {
            Some(c) => {
                if let Some(first) = seen.insert(c, i + 1) {
                    problems.push(Problem {
                        line: Some(1),
                        column: Some(c.to_string()),
                        value: None,
                        why: format!("appears twice in the header (fields {first} and {})", i + 1),
                    });
                }
                index.push(Some(c));
            }
            None if name.trim().is_empty() => {
                problems.push(Problem::at(
                    1,
                    format!("header field {} is empty: every column needs a name", i + 1),
                ));
                index.push(None);
            }
            None => {
                if opts.allow_extra {
                    extra.push(name.trim().to_string());
                } else {
                    problems.push(unknown_column(cols, &name, 1));
                }
                index.push(None);
            }
        }
    }
    for c in cols.iter().filter(|c| c.required) {
        if !seen.contains_key(c.name) {
            problems.push(Problem {
                line: Some(1),
                column: Some(c.name.to_string()),
                value: None,
                why: "required column is missing from the header".to_string(),
            });
        }
    }
    if !extra.is_empty() {
        notes.push(format!("ignored extra columns: {}", extra.join(", ")));
    }
    if !problems.is_empty() {
        return Vec::new();
    }
    let mut rows = Vec::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.push(csv_problem(&e, line));
                // The reader cannot resynchronise reliably after a syntax error.
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.is_empty()) {
            continue; // a blank line
        }
        if rec.len() != index.len() {
            problems.push(Problem::at(
                line,
                format!(
                    "has {} fields, the header has {}: a missing or extra separator, or an unquoted comma",
                    rec.len(),
                    index.len()
                ),
            ));
            continue;
        }
        let mut cells = HashMap::new();
        for (field, col) in rec.iter().zip(&index) {
            let Some(col) = col else { continue };
            let text = match std::str::from_utf8(field) {
                Ok(t) => t,
                Err(_) => {
                    problems.push(Problem::field(
                        line,
                        col,
                        Some(&String::from_utf8_lossy(field)),
                        "is not valid UTF-8: save the file as UTF-8",
                    ));
                    continue;
                }
            };
            let text = text.trim();
            if !text.is_empty() {
                cells.insert(*col, Cell::Text(text.to_string()));
            }
        }
        rows.push(Row { line, cells });
    }
    rows
}

fn csv_problem(e: &csv::Error, line: u64) -> Problem {
    let why = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "field {} is not valid UTF-8: save the file as UTF-8",
            err.field() + 1
        ),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} fields, the header has {expected_len}"),
        _ => format!("is not valid CSV: {e}"),
    };
    Problem::at(line.max(1), why)
}

fn ndjson_rows(
    bytes: &[u8],
    cols: &[Column],
    opts: &Options,
    problems: &mut Problems,
    notes: &mut Vec<String>,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut extra: Vec<String> = Vec::new();
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = i as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Ok(text) = std::str::from_utf8(raw) else {
            problems.push(Problem::at(
                line,
                "is not valid UTF-8: save the file as UTF-8",
            ));
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let obj: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(text) {
            Ok(serde_json::Value::Object(o)) => o,
            Ok(_) => {
                problems.push(Problem::at(
                    line,
                    "is not a JSON object: NDJSON has one object per line",
                ));
                continue;
            }
            Err(e) => {
                problems.push(Problem::at(line, format!("is not valid JSON: {e}")));
                continue;
            }
        };
        let mut cells = HashMap::new();
        for (name, value) in obj {
            let Some(col) = column_named(cols, &name) else {
                if opts.allow_extra {
                    if !extra.contains(&name) {
                        extra.push(name);
                    }
                } else {
                    problems.push(unknown_column(cols, &name, line));
                }
                continue;
            };
            use serde_json::Value;
            let cell = match value {
                Value::Null => continue,
                Value::String(s) => {
                    let s = s.trim();
                    if s.is_empty() {
                        continue;
                    }
                    Cell::Text(s.to_string())
                }
                Value::Number(n) => Cell::Text(n.to_string()),
                Value::Bool(b) => Cell::Text(b.to_string()),
                Value::Array(items) => {
                    let mut list = Vec::with_capacity(items.len());
                    let mut ok = true;
                    for item in items {
                        match item {
                            Value::String(s) if !s.trim().is_empty() => {
                                list.push(s.trim().to_string())
                            }
                            Value::String(_) | Value::Null => {}
                            Value::Number(n) => list.push(n.to_string()),
                            other => {
                                problems.push(Problem::field(
                                    line,
                                    col,
                                    Some(&other.to_string()),
                                    "is not a list of strings",
                                ));
                                ok = false;
                                break;
                            }
                        }
                    }
                    if !ok || list.is_empty() {
                        continue;
                    }
                    Cell::List(list)
                }
                Value::Object(_) => {
                    problems.push(Problem::field(
                        line,
                        col,
                        None,
                        "is an object: expected a string, number, boolean, list or null",
                    ));
                    continue;
                }
            };
            cells.insert(col, cell);
        }
        rows.push(Row { line, cells });
    }
    if !extra.is_empty() {
        notes.push(format!("ignored extra fields: {}", extra.join(", ")));
    }
    rows
}

/// Typed access to a row's cells, recording a problem per bad cell.
struct Reader<'a> {
    row: &'a Row,
    problems: &'a mut Problems,
    bad: bool,
}

impl Reader<'_> {
    fn fail(&mut self, column: &str, value: Option<&str>, why: impl Into<String>) {
        self.bad = true;
        self.problems
            .push(Problem::field(self.row.line, column, value, why));
    }

    fn text(&mut self, col: &'static str) -> Option<String> {
        match self.row.cells.get(col)? {
            Cell::Text(t) => Some(t.clone()),
            Cell::List(l) => {
                let joined = l.join(";");
                self.fail(col, Some(&joined), "is a list: expected one value");
                None
            }
        }
    }

    fn required(&mut self, col: &'static str) -> Option<String> {
        let v = self.text(col);
        if v.is_none() && !self.row.cells.contains_key(col) {
            self.fail(col, None, "is required and empty");
        }
        v
    }

    fn list(&mut self, col: &'static str) -> Vec<String> {
        match self.row.cells.get(col) {
            None => Vec::new(),
            Some(Cell::Text(t)) => split_list(t),
            Some(Cell::List(l)) => l.clone(),
        }
    }

    fn parsed<T>(
        &mut self,
        col: &'static str,
        required: bool,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = if required {
            self.required(col)?
        } else {
            self.text(col)?
        };
        match parse(&text) {
            Ok(v) => Some(v),
            Err(why) => {
                self.fail(col, Some(&text), why);
                None
            }
        }
    }

    fn timestamp(&mut self, col: &'static str, required: bool) -> Option<Timestamp> {
        self.parsed(col, required, parse_timestamp)
    }

    fn date(&mut self, col: &'static str, required: bool) -> Option<Date> {
        self.parsed(col, required, parse_date)
    }

    fn count(&mut self, col: &'static str, required: bool) -> Option<u64> {
        self.parsed(col, required, |s| {
            s.parse::<u64>().map_err(|_| {
                if s.starts_with('-') {
                    "is negative: expected a count (0 or more)".to_string()
                } else {
                    "is not a whole number".to_string()
                }
            })
        })
    }

    fn number(&mut self, col: &'static str, required: bool) -> Option<f64> {
        self.parsed(col, required, |s| match s.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err("is not a number".to_string()),
        })
    }

    fn boolean(&mut self, col: &'static str) -> Option<bool> {
        self.parsed(col, false, |s| match s {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err("is not a boolean: expected true or false".to_string()),
        })
    }

    fn choice<T>(
        &mut self,
        col: &'static str,
        required: bool,
        parse: fn(&str) -> Option<T>,
        names: fn() -> String,
    ) -> Option<T> {
        self.parsed(col, required, |s| {
            parse(s).ok_or_else(|| format!("is not one of {}", names()))
        })
    }

    fn sha(&mut self, col: &'static str, required: bool) -> Option<String> {
        self.parsed(col, required, |s| {
            let ok = (7..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit());
            if ok {
                Ok(s.to_ascii_lowercase())
            } else {
                Err("is not a commit id (7 to 64 hexadecimal digits)".to_string())
            }
        })
    }

    /// Refuses `end` before `start`.
    fn ordered(
        &mut self,
        start_col: &'static str,
        start: Option<Timestamp>,
        end_col: &'static str,
        end: Option<Timestamp>,
    ) {
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            let shown = self.row.cells.get(end_col).and_then(|c| match c {
                Cell::Text(t) => Some(t.clone()),
                Cell::List(_) => None,
            });
            self.fail(
                end_col,
                shown.as_deref(),
                format!("is before {start_col} ({s}): a negative duration"),
            );
        }
    }
}

/// Parses an RFC 3339 timestamp with an offset, with a message that says what is wrong.
pub fn parse_timestamp(s: &str) -> Result<Timestamp, String> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t);
    }
    if s.parse::<jiff::civil::DateTime>().is_ok() {
        return Err(
            "is not a timestamp: it has no UTC offset (add Z or ±hh:mm, e.g. 2026-03-04T09:15:00Z)"
                .to_string(),
        );
    }
    if s.parse::<Date>().is_ok() {
        return Err(
            "is not a timestamp: a date alone has no time and offset (e.g. 2026-03-04T09:15:00Z)"
                .to_string(),
        );
    }
    match s.get(..10).map(parse_date) {
        Some(Err(why)) if why.contains(" no ") => {
            Err(why.replacen("is not a date", "is not a timestamp", 1))
        }
        _ => Err(
            "is not a timestamp: expected RFC 3339 with an offset, e.g. 2026-03-04T09:15:00Z"
                .to_string(),
        ),
    }
}

/// Parses `YYYY-MM-DD`, refusing days that do not exist.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err("is not a date: expected YYYY-MM-DD".to_string());
    }
    let year: i16 = s[..4].parse().map_err(|_| "is not a date".to_string())?;
    let month: i8 = s[5..7].parse().map_err(|_| "is not a date".to_string())?;
    let day: i8 = s[8..].parse().map_err(|_| "is not a date".to_string())?;
    if !(1..=12).contains(&month) {
        return Err(format!("is not a date: there is no month {month}"));
    }
    Date::new(year, month, day)
        .map_err(|_| format!("is not a date: {year:04}-{month:02} has no day {day}"))
}

fn build(kind: RecordKind, r: &mut Reader<'_>) -> Option<Record> {
    match kind {
        RecordKind::People => people(r).map(Record::People),
        RecordKind::Teams => teams(r).map(Record::Teams),
        RecordKind::WorkItems => work_item(r).map(Record::WorkItems),
        RecordKind::PullRequests => pull_request(r).map(Record::PullRequests),
        RecordKind::Reviews => review(r).map(Record::Reviews),
        RecordKind::Checks => check(r).map(Record::Checks),
        RecordKind::Deployments => deployment(r).map(Record::Deployments),
        RecordKind::Incidents => incident(r).map(Record::Incidents),
        RecordKind::AiUsage => ai_usage(r).map(Record::AiUsage),
        RecordKind::Survey => survey(r).map(Record::Survey),
        RecordKind::Skills => skill(r).map(Record::Skills),
        RecordKind::Costs => cost(r).map(Record::Costs),
        RecordKind::Kpis => kpi(r).map(Record::Kpis),
        RecordKind::Findings => None,
    }
}

fn people(r: &mut Reader<'_>) -> Option<Person> {
    let name = r.required("name");
    let emails = r.list("emails");
    if emails.is_empty() {
        r.fail("emails", None, "is required and empty");
    }
    for e in &emails {
        if !e.contains('@') || e.contains(char::is_whitespace) {
            r.fail("emails", Some(e), "is not an email address");
        }
    }
    let logins = r.list("logins");
    let team = r.required("team");
    let level = r.choice("level", false, Level::parse, Level::names);
    let career_start = r.parsed("career_start", false, |s| match s.parse::<i16>() {
        Ok(y) if (1940..=2100).contains(&y) && s.len() == 4 => Ok(y),
        _ => Err("is not a year (YYYY)".to_string()),
    });
    let start_date = r.date("start_date", false);
    let end_date = r.date("end_date", false);
    if let (Some(s), Some(e)) = (start_date, end_date)
        && e < s
    {
        let shown = e.to_string();
        r.fail(
            "end_date",
            Some(&shown),
            format!("is before start_date ({s}): a negative duration"),
        );
    }
    Some(Person {
        name: name?,
        emails,
        logins,
        team: team?,
        level,
        career_start,
        start_date,
        end_date,
    })
}

fn teams(r: &mut Reader<'_>) -> Option<Team> {
    let team = r.required("team");
    let ai_rollout_date = r.date("ai_rollout_date", false);
    Some(Team {
        team: team?,
        ai_rollout_date,
        profile: r.text("profile"),
        parent: r.text("parent"),
    })
}

fn pr_refs(r: &mut Reader<'_>, col: &'static str) -> Vec<PrRef> {
    let mut refs = Vec::new();
    for item in r.list(col) {
        match PrRef::parse(&item) {
            Some(p) => refs.push(p),
            None => r.fail(
                col,
                Some(&item),
                "is not a pull request reference (repo#number)",
            ),
        }
    }
    refs
}

fn work_item(r: &mut Reader<'_>) -> Option<WorkItem> {
    let key = r.required("key");
    let kind = r.choice("type", true, WorkType::parse, WorkType::names);
    let created_at = r.timestamp("created_at", true);
    let started_at = r.timestamp("started_at", false);
    let done_at = r.timestamp("done_at", false);
    let released_at = r.timestamp("released_at", false);
    r.ordered("created_at", created_at, "done_at", done_at);
    r.ordered("started_at", started_at, "done_at", done_at);
    r.ordered("created_at", created_at, "released_at", released_at);
    let customer_request = r.boolean("customer_request");
    let linked_prs = pr_refs(r, "linked_prs");
    Some(WorkItem {
        key: key?,
        kind: kind?,
        title: r.text("title"),
        team: r.text("team"),
        created_at: created_at?,
        started_at,
        done_at,
        released_at,
        customer_request,
        labels: r.list("labels"),
        linked_prs,
    })
}

fn pr_number(r: &mut Reader<'_>) -> Option<u64> {
    r.parsed("number", true, |s| {
        match s.trim_start_matches('#').parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err("is not a pull request number (1 or more)".to_string()),
        }
    })
}

fn pull_request(r: &mut Reader<'_>) -> Option<PullRequest> {
    let repo = r.required("repo");
    let number = pr_number(r);
    let author = r.required("author");
    let created_at = r.timestamp("created_at", true);
    let ready_at = r.timestamp("ready_at", false);
    let merged_at = r.timestamp("merged_at", false);
    let closed_at = r.timestamp("closed_at", false);
    r.ordered("created_at", created_at, "ready_at", ready_at);
    r.ordered("created_at", created_at, "merged_at", merged_at);
    r.ordered("created_at", created_at, "closed_at", closed_at);
    let head_sha = r.sha("head_sha", false);
    let merge_sha = r.sha("merge_sha", false);
    let additions = r.count("additions", false);
    let deletions = r.count("deletions", false);
    Some(PullRequest {
        repo: repo?,
        number: number?,
        author: author?,
        title: r.text("title"),
        created_at: created_at?,
        ready_at,
        merged_at,
        closed_at,
        base: r.text("base"),
        head_branch: r.text("head_branch"),
        head_sha,
        merge_sha,
        labels: r.list("labels"),
        additions,
        deletions,
        work_items: r.list("work_items"),
        body_markers: r.list("body_markers"),
    })
}

fn review(r: &mut Reader<'_>) -> Option<Review> {
    let repo = r.required("repo");
    let number = pr_number(r);
    let reviewer = r.required("reviewer");
    let state = r.choice("state", true, ReviewState::parse, ReviewState::names);
    let submitted_at = r.timestamp("submitted_at", true);
    Some(Review {
        repo: repo?,
        number: number?,
        reviewer: reviewer?,
        state: state?,
        submitted_at: submitted_at?,
    })
}

fn check(r: &mut Reader<'_>) -> Option<Check> {
    let repo = r.required("repo");
    let sha = r.sha("sha", true);
    let name = r.required("name");
    let conclusion = r.choice(
        "conclusion",
        true,
        CheckConclusion::parse,
        CheckConclusion::names,
    );
    let started_at = r.timestamp("started_at", false);
    let completed_at = r.timestamp("completed_at", true);
    r.ordered("started_at", started_at, "completed_at", completed_at);
    let required = r.boolean("required");
    Some(Check {
        repo: repo?,
        sha: sha?,
        name: name?,
        conclusion: conclusion?,
        started_at,
        completed_at: completed_at?,
        required,
    })
}

fn deployment(r: &mut Reader<'_>) -> Option<Deployment> {
    let id = r.required("id");
    let repo = r.required("repo");
    let environment = r.required("environment");
    let sha = r.sha("sha", true);
    let started_at = r.timestamp("started_at", false);
    let finished_at = r.timestamp("finished_at", true);
    r.ordered("started_at", started_at, "finished_at", finished_at);
    let status = r.choice("status", true, DeployStatus::parse, DeployStatus::names);
    let kind = r.choice("kind", false, DeployKind::parse, DeployKind::names);
    Some(Deployment {
        id: id?,
        repo: repo?,
        environment: environment?,
        sha: sha?,
        started_at,
        finished_at: finished_at?,
        status: status?,
        kind,
        service: r.text("service"),
    })
}

fn incident(r: &mut Reader<'_>) -> Option<Incident> {
    let id = r.required("id");
    let opened_at = r.timestamp("opened_at", true);
    let resolved_at = r.timestamp("resolved_at", false);
    r.ordered("opened_at", opened_at, "resolved_at", resolved_at);
    let customer_impacting = r.boolean("customer_impacting");
    let ai_related = r.boolean("ai_related");
    Some(Incident {
        id: id?,
        service: r.text("service"),
        repo: r.text("repo"),
        severity: r.text("severity"),
        opened_at: opened_at?,
        resolved_at,
        caused_by_deployment: r.text("caused_by_deployment"),
        customer_impacting,
        ai_related,
    })
}

fn ai_usage(r: &mut Reader<'_>) -> Option<AiUsage> {
    let date = r.date("date", true);
    let person = r.text("person");
    let team = r.text("team");
    let who = match (person, team) {
        (Some(p), None) => Some(UsageSubject::Person(p)),
        (None, Some(t)) => Some(UsageSubject::Team(t)),
        (Some(p), Some(_)) => {
            r.fail(
                "team",
                None,
                format!("is set as well as person ({p}): a row counts one person or one team"),
            );
            None
        }
        (None, None) => {
            r.fail(
                "person",
                None,
                "and team are both empty: one of them is required",
            );
            None
        }
    };
    let tool = r.required("tool");
    let capability = r.choice("capability", true, Capability::parse, Capability::names);
    let active = r.parsed("active", false, |s| match s {
        "true" => Ok(1),
        "false" => Ok(0),
        _ => s
            .parse::<u64>()
            .map_err(|_| "is not a count of active users or true/false".to_string()),
    });
    let suggestions = r.count("suggestions", false);
    let acceptances = r.count("acceptances", false);
    let lines_suggested = r.count("lines_suggested", false);
    let lines_accepted = r.count("lines_accepted", false);
    Some(AiUsage {
        date: date?,
        who: who?,
        tool: tool?,
        capability: capability?,
        active,
        suggestions,
        acceptances,
        lines_suggested,
        lines_accepted,
    })
}

fn survey(r: &mut Reader<'_>) -> Option<SurveyResponse> {
    let date = r.date("date", true);
    let respondent = r.text("respondent");
    let team = r.required("team");
    let question = r.required("question");
    let score = r.parsed("score", true, |s| match s.parse::<u8>() {
        Ok(v) if (1..=5).contains(&v) => Ok(v),
        _ => Err("is not a score from 1 to 5".to_string()),
    });
    Some(SurveyResponse {
        date: date?,
        respondent,
        team: team?,
        question: question?,
        score: score?,
    })
}

fn skill(r: &mut Reader<'_>) -> Option<SkillAssessment> {
    let person = r.required("person");
    let date = r.date("date", true);
    let score = r.parsed("score", true, |s| match s.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err("is not a score from 0 to 100".to_string()),
    });
    Some(SkillAssessment {
        person: person?,
        date: date?,
        score: score?,
    })
}

fn cost(r: &mut Reader<'_>) -> Option<Cost> {
    let month = r.parsed("month", true, |s| {
        Month::parse(s).ok_or_else(|| "is not a month (YYYY-MM)".to_string())
    });
    let category = r.choice("category", true, CostCategory::parse, CostCategory::names);
    let item = r.required("item");
    let amount = r.parsed("amount", true, |s| match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        Ok(v) if v.is_finite() => {
            Err("is negative: a cost is 0 or more (net credits into the month's line)".to_string())
        }
        _ => Err(
            "is not an amount (digits, optional decimals, no currency sign or thousands separator)"
                .to_string(),
        ),
    });
    let currency = r.parsed("currency", true, |s| {
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(s.to_ascii_uppercase())
        } else {
            Err("is not an ISO 4217 currency code (e.g. USD, EUR)".to_string())
        }
    });
    let seats = r.count("seats", false);
    Some(Cost {
        month: month?,
        category: category?,
        item: item?,
        amount: amount?,
        currency: currency?,
        seats,
    })
}

fn kpi(r: &mut Reader<'_>) -> Option<KpiPoint> {
    let kpi = r.required("kpi");
    let date = r.date("date", true);
    let value = r.number("value", true);
    Some(KpiPoint {
        kpi: kpi?,
        date: date?,
        value: value?,
        unit: r.text("unit"),
        feature: r.text("feature"),
    })
}
