//! Parses and validates every file `plumb import` takes into model records; pure.
//!
//! [`parse`] is a function from a file's name and bytes to the records it holds, or to every
//! problem found in it (up to [`MAX_PROBLEMS`]), each naming the line, the column, the value
//! and why it was refused. It reads nothing but its arguments: the caller reads the file,
//! and writes the records to the store in one transaction, so a file is imported whole or
//! not at all.
//!
//! Formats:
//! - the tabular kinds (`people` … `kpis`) as CSV (header row, RFC 4180, UTF-8 with or
//!   without a BOM) or NDJSON (one JSON object per line, same field names) — see
//!   [`tabular`];
//! - `findings`: SARIF 2.1.0 ([`sarif`]); `a11y`: axe-core results JSON ([`axe`]);
//! - `copilot-metrics`: GitHub's Copilot metrics API array, or the usage-metrics report's
//!   NDJSON rows ([`copilot`]).
//!
//! Malformed input is an error value, never a panic; the fuzz targets in `fuzz/` and the
//! property tests hold the crate to that.

#![forbid(unsafe_code)]

pub mod axe;
pub mod copilot;
mod json;
pub mod sarif;
pub mod tabular;

use jiff::Timestamp;
use plumb_model::records::{FindingKind, Record, RecordKind};
use std::fmt;

/// The most problems one file reports; the rest are counted.
pub const MAX_PROBLEMS: usize = 50;

/// What `plumb import KIND` was asked to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    /// One of the tabular kinds of `import-formats.md`.
    Table(RecordKind),
    /// SARIF 2.1.0.
    Findings,
    /// axe-core results JSON.
    A11y,
    /// GitHub Copilot metrics.
    CopilotMetrics,
}

impl ImportKind {
    /// Every kind, in the order of `import-formats.md`.
    pub fn all() -> Vec<ImportKind> {
        let mut all: Vec<ImportKind> = RecordKind::ALL
            .into_iter()
            .filter(|k| *k != RecordKind::Findings)
            .map(ImportKind::Table)
            .collect();
        all.extend([
            ImportKind::Findings,
            ImportKind::A11y,
            ImportKind::CopilotMetrics,
        ]);
        all
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            ImportKind::Table(k) => k.as_str(),
            ImportKind::Findings => "findings",
            ImportKind::A11y => "a11y",
            ImportKind::CopilotMetrics => "copilot-metrics",
        }
    }

    pub fn parse(s: &str) -> Option<ImportKind> {
        Self::all().into_iter().find(|k| k.as_str() == s)
    }

    /// The kind of record the store keeps for this import.
    pub fn record_kind(&self) -> RecordKind {
        match self {
            ImportKind::Table(k) => *k,
            ImportKind::Findings | ImportKind::A11y => RecordKind::Findings,
            ImportKind::CopilotMetrics => RecordKind::AiUsage,
        }
    }
}

impl fmt::Display for ImportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The encoding of a tabular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Ndjson,
}

impl TableFormat {
    /// Chosen by the file's extension: `.csv`, or `.ndjson` / `.jsonl` / `.json`.
    pub fn from_file_name(name: &str) -> Option<TableFormat> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(TableFormat::Csv)
        } else if lower.ends_with(".ndjson")
            || lower.ends_with(".jsonl")
            || lower.ends_with(".json")
        {
            Some(TableFormat::Ndjson)
        } else {
            None
        }
    }
}

/// Knobs of an import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Ignore unknown columns instead of refusing the file.
    pub allow_extra: bool,
    /// The tabular encoding, when the extension does not say.
    pub format: Option<TableFormat>,
    /// For SARIF: what the findings are about (default: `security` for results whose rule
    /// has a `security` tag or a `security-severity`, else `quality` — see [`sarif`]).
    pub finding_kind: Option<FindingKind>,
    /// When the scan ran, for scanner output that does not say (SARIF without invocation
    /// times, axe results without a timestamp).
    pub scanned_at: Option<Timestamp>,
    /// For Copilot metrics: the team the telemetry belongs to (default: the organisation).
    pub team: Option<String>,
}

/// One thing wrong with a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line (for CSV the line a row starts on; the header is line 1). `None` for
    /// problems of the whole file.
    pub line: Option<u64>,
    /// The column or field (a JSON path for nested formats).
    pub column: Option<String>,
    /// The offending value as written, shortened to [`VALUE_SHOWN`] characters.
    pub value: Option<String>,
    pub why: String,
}

/// How much of an offending value a message shows.
pub const VALUE_SHOWN: usize = 60;

impl Problem {
    pub fn file(why: impl Into<String>) -> Problem {
        Problem {
            line: None,
            column: None,
            value: None,
            why: why.into(),
        }
    }

    pub fn at(line: u64, why: impl Into<String>) -> Problem {
        Problem {
            line: Some(line),
            column: None,
            value: None,
            why: why.into(),
        }
    }

    pub fn field(line: u64, column: &str, value: Option<&str>, why: impl Into<String>) -> Problem {
        Problem {
            line: Some(line),
            column: Some(column.to_string()),
            value: value.map(shorten),
            why: why.into(),
        }
    }

    /// The message, prefixed with the file name: `deployments.csv:14: finished_at:
    /// "2026-13-01" is not a timestamp`.
    pub fn render(&self, file: &str) -> String {
        let mut s = String::from(file);
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
        }
        s.push_str(": ");
        if let Some(c) = &self.column {
            s.push_str(c);
            s.push_str(": ");
        }
        if let Some(v) = &self.value {
            s.push_str(&format!("{v:?} "));
        }
        s.push_str(&self.why);
        s
    }
}

/// A value as an error message shows it: at most [`VALUE_SHOWN`] characters.
pub fn shorten(value: &str) -> String {
    let mut chars = value.chars();
    let head: String = chars.by_ref().take(VALUE_SHOWN).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// Every problem of a refused file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render_problems(.file, .problems, *.more))]
pub struct Invalid {
    pub file: String,
    /// The first [`MAX_PROBLEMS`] problems, in file order.
    pub problems: Vec<Problem>,
    /// How many more there were.
    pub more: usize,
}

fn render_problems(file: &str, problems: &[Problem], more: usize) -> String {
    let mut lines: Vec<String> = problems.iter().map(|p| p.render(file)).collect();
    if more > 0 {
        lines.push(format!("{file}: … and {more} more problems"));
    }
    let count = problems.len() + more;
    lines.push(format!(
        "{file}: refused: {count} problem{} (nothing was imported)",
        if count == 1 { "" } else { "s" }
    ));
    lines.join("\n")
}

/// Collects problems, keeping the first [`MAX_PROBLEMS`].
#[derive(Debug, Default)]
pub struct Problems {
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    pub fn push(&mut self, p: Problem) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        } else {
            self.more += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len() + self.more
    }

    /// `Err` with every problem when there is any.
    pub fn finish(self, file: &str) -> Result<(), Invalid> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(Invalid {
                file: file.to_string(),
                problems: self.list,
                more: self.more,
            })
        }
    }
}

/// A validated record with its natural key and the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed {
    pub key: String,
    /// 1-based line of the row (or of the result, for nested formats when known).
    pub line: u64,
    pub record: Record,
}

/// What a file holds, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub kind: ImportKind,
    pub records: Vec<Keyed>,
    /// Things worth telling that do not refuse the file (e.g. ignored extra columns).
    pub notes: Vec<String>,
}

/// Parses a whole file. `file` names it in messages (a path as the user wrote it).
pub fn parse(
    kind: ImportKind,
    file: &str,
    bytes: &[u8],
    opts: &Options,
) -> Result<Parsed, Invalid> {
    match kind {
        ImportKind::Table(k) => {
            let format = match opts.format.or_else(|| TableFormat::from_file_name(file)) {
                Some(f) => f,
                None => {
                    return Err(Invalid {
                        file: file.to_string(),
                        problems: vec![Problem::file(
                            "cannot tell CSV from NDJSON by the extension (.csv, .ndjson, .jsonl): pass --format csv|ndjson",
                        )],
                        more: 0,
                    });
                }
            };
            tabular::parse(k, file, bytes, format, opts)
        }
        ImportKind::Findings => sarif::parse(file, bytes, opts),
        ImportKind::A11y => axe::parse(file, bytes, opts),
        ImportKind::CopilotMetrics => copilot::parse(file, bytes, opts),
    }
}

/// A stable 64-bit FNV-1a hash in hex, for fingerprints that must not change between
/// plumb versions (std's hasher may).
pub fn stable_hash(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0x1f)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Refuses a file whose records repeat a key, naming both lines.
pub fn check_duplicate_keys(file: &str, records: &[Keyed], what: &str) -> Result<(), Invalid> {
    let mut seen = std::collections::HashMap::with_capacity(records.len());
    let mut problems = Problems::default();
    for r in records {
        if let Some(first) = seen.insert(r.key.as_str(), r.line) {
            problems.push(Problem::at(
                r.line,
                format!(
                    "duplicate {what} {}: line {first} has the same key",
                    r.key.replace('\u{1f}', ", ")
                ),
            ));
            seen.insert(r.key.as_str(), first);
        }
    }
    problems.finish(file)
}

/// What the parsers' unit tests share.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Invalid, Options, Parsed};
    use plumb_model::records::{Finding, Record};

    pub(crate) type ParseFn = fn(&str, &[u8], &Options) -> Result<Parsed, Invalid>;

    /// The file parsed; a refusal fails the test with its problems.
    pub(crate) fn accepted(parse: ParseFn, file: &str, text: &str, opts: &Options) -> Parsed {
        match parse(file, text.as_bytes(), opts) {
            Ok(p) => p,
            Err(e) => panic!("refused:\n{e}"),
        }
    }

    /// The problems a refused file is refused for, as rendered.
    pub(crate) fn refused(parse: ParseFn, file: &str, text: &str) -> Vec<String> {
        match parse(file, text.as_bytes(), &Options::default()) {
            Ok(p) => panic!("accepted: {:?}", p.records),
            Err(e) => e.problems.iter().map(|p| p.render(file)).collect(),
        }
    }

    pub(crate) fn findings(p: &Parsed) -> Vec<Finding> {
        p.records
            .iter()
            .map(|k| match &k.record {
                Record::Findings(f) => f.clone(),
                other => panic!("not a finding: {other:?}"),
            })
            .collect()
    }
}
