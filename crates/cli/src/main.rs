//! `plumb`: measures whether AI coding tools make an engineering organisation more
//! productive, from its own data, on its own machine.
//!
//! The binary is the only place that knows about terminals, files on disk, exit codes and
//! configuration; everything it does is wiring of the library crates.

#![forbid(unsafe_code)]

mod churn;
mod cli;
mod config;
mod demo_cmd;
mod gate_cmd;
mod import_cmd;
mod ingest_cmd;
mod init_cmd;
mod output;
mod progress;
mod report_cmd;
mod snapshot_cmd;
mod window;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the report allocates and frees millions of small strings and vectors, where
/// the system allocator spent a fifth of the time (malloc, free, consolidation, page
/// faults) at ×50. Built without transparent huge pages (`no_thp`): zeroing 2 MiB pages
/// the heap did not need cost the kernel seconds at ×50. See docs/BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes, part of the command-line contract.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// A check failed (the governance gate blocked a change).
    pub const FAILED_CHECK: u8 = 1;
    /// An error: bad input, bad configuration, unreadable repository or store.
    pub const ERROR: u8 = 2;
}

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    init_tracing(args.verbose);
    match run(args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if output::is_broken_pipe(&err) {
                // The reader went away (`plumb report | head`): not an error.
                return ExitCode::from(exit::OK);
            }
            eprintln!("error: {err:#}");
            ExitCode::from(exit::ERROR)
        }
    }
}

fn run(args: cli::Cli) -> anyhow::Result<u8> {
    // `plumb init` writes the configuration: an existing file, however broken, must not
    // stop it (with --force) from being replaced.
    if let cli::Command::Init(cmd) = &args.command {
        return init_cmd::run(args.config.as_deref(), cmd);
    }
    let config = config::load(args.config.as_deref())?;
    let db = config::database_path(args.db.as_deref(), &config);
    match args.command {
        cli::Command::Ingest(cmd) => ingest_cmd::run(&db, &config, &cmd),
        cli::Command::Report(cmd) => report_cmd::run(&db, &config, &cmd),
        cli::Command::Phase(cmd) => report_cmd::run_phase(&db, &config, &cmd),
        cli::Command::Gate(cmd) => {
            // Record only where a store is wanted: an explicit --db / PLUMB_DB or
            // [database] url, or a store that already exists.
            let record = args.db.is_some() || config.database.url.is_some() || db.exists();
            gate_cmd::run(record.then_some(db.as_path()), &config, &cmd)
        }
        cli::Command::Zones(cmd) => gate_cmd::zones(&config, &cmd),
        cli::Command::Import(cmd) => import_cmd::run(&db, &cmd),
        cli::Command::Demo(cmd) => demo_cmd::run(args.db.as_deref(), &cmd),
        cli::Command::Snapshot(cmd) => snapshot_cmd::run(&db, &config, &cmd),
        // Handled above, before any configuration is read.
        cli::Command::Init(cmd) => init_cmd::run(args.config.as_deref(), &cmd),
    }
}

fn init_tracing(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("PLUMB_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("plumb={level},{level}")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
