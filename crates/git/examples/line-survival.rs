//! Prints line-survival totals over a repository's history (from SINCE, Unix seconds, or
//! all of it) and the time they took:
//! `cargo run --release -p plumb-git --example line-survival -- REPO [HORIZON_DAYS] [THREADS] [SINCE]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: line-survival REPO [HORIZON_DAYS] [THREADS] [SINCE]")?;
    let days: i64 = match args.next() {
        Some(d) => d.parse()?,
        None => 21,
    };
    // 0: one diff thread per core.
    let threads = match args.next() {
        Some(t) => t.parse()?,
        None => 0,
    };
    let since: i64 = match args.next() {
        Some(s) => s.parse()?,
        None => i64::MIN / 4,
    };
    let started = std::time::Instant::now();
    let repo = plumb_git::Repository::open(std::path::Path::new(&path), None)?;
    let commits = repo.line_survival(since, i64::MAX / 4, days * 86_400, threads)?;
    let (mut added, mut churned, mut markers_added, mut markers_removed) = (0u64, 0u64, 0u64, 0u64);
    for f in commits.iter().flat_map(|c| &c.files) {
        added += u64::from(f.lines_added);
        churned += u64::from(f.lines_churned);
        markers_added += u64::from(f.markers_added);
        markers_removed += u64::from(f.markers_removed);
    }
    let incomplete = commits.iter().filter(|c| !c.horizon_complete).count();
    println!(
        "commits={} added={added} churned={churned} ({:.1}%) markers=+{markers_added}-{markers_removed} horizon_incomplete={incomplete} total={:.2}s",
        commits.len(),
        100.0 * churned as f64 / added.max(1) as f64,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
