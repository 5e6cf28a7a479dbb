//! `plumb import KIND FILE…`: records from files into the store.

use crate::cli::{ImportArgs, IngestFormat, TableFormatArg};
use crate::{exit, output};
use anyhow::{Context, anyhow};
use plumb_import::{ImportKind, Options, TableFormat};
use plumb_ingest::import::{ImportError, ImportOutcome, import_file};
use plumb_model::records::FindingKind;
use plumb_store::Store;
use plumb_store_sqlite::SqliteStore;
use serde::Serialize;
use std::path::Path;

pub fn run(db: &Path, args: &ImportArgs) -> anyhow::Result<u8> {
    let kind =
        ImportKind::parse(&args.kind).ok_or_else(|| anyhow!("unknown kind {}", args.kind))?;
    let opts = options(args)?;
    let mut store = SqliteStore::open(db)?;
    let mut outcomes = Vec::new();
    let mut failed = 0;
    for file in &args.files {
        match import_one(&mut store, kind, file, &opts, args.dry_run) {
            Ok(o) => outcomes.push(o),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
            }
        }
    }
    let text = match args.output {
        IngestFormat::Json => {
            let rows: Vec<ImportJson> = outcomes.iter().map(ImportJson::from).collect();
            format!("{}\n", serde_json::to_string_pretty(&rows)?)
        }
        IngestFormat::Text => outcomes.iter().map(summary).collect(),
    };
    output::print(&text)?;
    Ok(if failed > 0 { exit::ERROR } else { exit::OK })
}

fn options(args: &ImportArgs) -> anyhow::Result<Options> {
    let scanned_at = match &args.scanned_at {
        None => None,
        Some(s) => Some(
            plumb_import::tabular::parse_timestamp(s)
                .map_err(|why| anyhow!("--scanned-at: {s:?} {why}"))?,
        ),
    };
    Ok(Options {
        allow_extra: args.allow_extra,
        format: args.format.map(|f| match f {
            TableFormatArg::Csv => TableFormat::Csv,
            TableFormatArg::Ndjson => TableFormat::Ndjson,
        }),
        finding_kind: args.finding_kind.as_deref().and_then(FindingKind::parse),
        scanned_at,
        team: args.team.clone(),
    })
}

/// Imports one file; shared with `plumb demo`.
pub fn import_one(
    store: &mut dyn Store,
    kind: ImportKind,
    file: &Path,
    opts: &Options,
    dry_run: bool,
) -> anyhow::Result<ImportOutcome> {
    let bytes = std::fs::read(file).with_context(|| format!("{}: cannot read", file.display()))?;
    let label = file.display().to_string();
    match import_file(store, kind, &label, &bytes, opts, dry_run) {
        Ok(o) => Ok(o),
        // The problems already name the file, line and column.
        Err(ImportError::Invalid(invalid)) => Err(anyhow!("{invalid}")),
        Err(ImportError::Store(e)) => {
            Err(anyhow::Error::new(e).context(format!("{label}: nothing was imported")))
        }
    }
}

fn summary(o: &ImportOutcome) -> String {
    let c = &o.changes;
    let mut s = if o.dry_run {
        format!(
            "{}: {} valid ({}); would add {}, update {}, leave {} unchanged (dry run: nothing written)\n",
            o.file,
            records(o.records),
            o.kind,
            c.inserted,
            c.updated,
            c.unchanged
        )
    } else {
        format!(
            "{}: {} ({}): {} added, {} updated, {} unchanged\n",
            o.file,
            records(o.records),
            o.kind,
            c.inserted,
            c.updated,
            c.unchanged
        )
    };
    if o.dry_run && !c.updated_keys.is_empty() {
        let shown: Vec<String> = c
            .updated_keys
            .iter()
            .take(10)
            .map(|k| k.replace('\u{1f}', ", "))
            .collect();
        let more = c.updated_keys.len() - shown.len();
        s.push_str(&format!(
            "  would update: {}{}\n",
            shown.join("; "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    for n in &o.notes {
        s.push_str(&format!("  note: {n}\n"));
    }
    for w in &o.warnings {
        s.push_str(&format!("  warning: {w}\n"));
    }
    s
}

fn records(n: u64) -> String {
    format!("{n} record{}", if n == 1 { "" } else { "s" })
}

#[derive(Serialize)]
struct ImportJson<'a> {
    file: &'a str,
    kind: &'static str,
    records: u64,
    inserted: u64,
    updated: u64,
    unchanged: u64,
    dry_run: bool,
    notes: &'a [String],
    warnings: &'a [String],
}

impl<'a> From<&'a ImportOutcome> for ImportJson<'a> {
    fn from(o: &'a ImportOutcome) -> Self {
        ImportJson {
            file: &o.file,
            kind: o.kind.as_str(),
            records: o.records,
            inserted: o.changes.inserted,
            updated: o.changes.updated,
            unchanged: o.changes.unchanged,
            dry_run: o.dry_run,
            notes: &o.notes,
            warnings: &o.warnings,
        }
    }
}
