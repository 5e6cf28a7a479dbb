//! `plumb demo`: a generated organisation, through the same paths a user's data takes.

use crate::cli::{DemoArgs, ReportArgs};
use crate::config;
use crate::import_cmd::import_one;
use crate::ingest_cmd::ingest_all;
use crate::{exit, report_cmd};
use anyhow::{Context, bail};
use plumb_import::{ImportKind, Options};
use plumb_model::records::FindingKind;
use plumb_store_sqlite::SqliteStore;
use std::path::{Path, PathBuf};

/// The file a finished demo leaves, which marks a folder as one `plumb demo` may replace.
const MARKER: &str = "PLANTED.json";

pub fn run(db: Option<&Path>, args: &DemoArgs) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    prepare_dir(&args.dir)?;
    let manifest = plumb_demo::generate(&plumb_demo::DemoOptions {
        dir: args.dir.clone(),
        seed: args.seed,
        scale: args.scale,
    })
    .with_context(|| format!("{}: cannot generate the demo", args.dir.display()))?;
    let generated = started.elapsed();

    // The demo's own configuration and store, unless --db says otherwise.
    let config = config::load(Some(&manifest.config))?;
    let db: PathBuf = db
        .map(Path::to_path_buf)
        .unwrap_or_else(|| args.dir.join(".plumb").join("plumb.db"));
    if db.exists() {
        std::fs::remove_file(&db)
            .with_context(|| format!("{}: cannot replace the demo store", db.display()))?;
    }
    let mut store = SqliteStore::open(&db)?;
    let outcomes = ingest_all(&mut store, &config, &manifest.repos, None, 0)?;
    let commits: u64 = outcomes.iter().map(|o| o.new_commits).sum();
    let mut records = 0;
    for (kind, file) in &manifest.imports {
        let (kind, opts) = import_kind(kind)?;
        let outcome = import_one(&mut store, kind, file, &opts, false)?;
        records += outcome.records;
    }
    drop(store);
    eprintln!(
        "demo: {} repositories ({commits} commits) and {} files ({records} records) in {}, generated in {:.1} s, stored in {:.1} s\n\
         demo: the story it plants is in {}",
        manifest.repos.len(),
        manifest.imports.len(),
        args.dir.display(),
        generated.as_secs_f64(),
        (started.elapsed() - generated).as_secs_f64(),
        args.dir.join(MARKER).display(),
    );
    eprintln!(
        "demo: see it again with `plumb --db {} --config {} report --format md`\n",
        db.display(),
        manifest.config.display()
    );
    let report = ReportArgs {
        repos: Vec::new(),
        branch: None,
        since: None,
        until: None,
        quarter: None,
        format: args.format,
        threads: 0,
    };
    report_cmd::run(&db, &config, &report)?;
    Ok(exit::OK)
}

/// Maps the manifest's kind (`findings:security` carries the SARIF kind) to an import.
fn import_kind(kind: &str) -> anyhow::Result<(ImportKind, Options)> {
    let (name, finding) = match kind.split_once(':') {
        Some((name, k)) => (name, FindingKind::parse(k)),
        None => (kind, None),
    };
    let Some(import) = ImportKind::parse(name) else {
        bail!("the demo generator asked for an unknown import kind {kind:?}");
    };
    Ok((
        import,
        Options {
            finding_kind: finding,
            ..Options::default()
        },
    ))
}

/// The folder must be new, empty, or a demo written before (which is replaced).
fn prepare_dir(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let mut entries =
        std::fs::read_dir(dir).with_context(|| format!("{}: cannot read", dir.display()))?;
    if entries.next().is_none() {
        return Ok(());
    }
    if !dir.join(MARKER).exists() {
        bail!(
            "{}: the folder exists and is not a plumb demo; choose another with --dir",
            dir.display()
        );
    }
    std::fs::remove_dir_all(dir)
        .with_context(|| format!("{}: cannot replace the previous demo", dir.display()))
}
