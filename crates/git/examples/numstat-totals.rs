//! Prints the commit count and line totals plumb's reader finds, for comparison with
//! `git log --numstat --no-renames`: `cargo run --release -p plumb-git --example numstat-totals -- REPO [THREADS]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: numstat-totals REPO [THREADS]")?;
    // 0: one reading thread per core.
    let threads = match args.next() {
        Some(t) => t.parse()?,
        None => 0,
    };
    let started = std::time::Instant::now();
    let repo = plumb_git::Repository::open(std::path::Path::new(&path), None)?;
    let ids = repo.commits_to_read(&[], &|_| false)?;
    let walked = started.elapsed();
    let (mut added, mut deleted, mut binary) = (0u64, 0u64, 0u64);
    let summary = repo.read(&ids, threads, |r| {
        if let plumb_model::FileStats::Files { files } = &r.stats {
            for f in files {
                added += f.stats.added();
                deleted += f.stats.deleted();
                binary += u64::from(f.stats == plumb_model::LineStats::Binary);
            }
        }
        Ok::<(), std::convert::Infallible>(())
    })?;
    println!(
        "commits={} merges={} added={added} deleted={deleted} binary={binary} unknown={} walk={:.2}s total={:.2}s",
        summary.commits,
        summary.merge_commits,
        summary.unknown_file_changes,
        walked.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
