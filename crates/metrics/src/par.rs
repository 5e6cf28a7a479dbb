//! Work spread over the machine's cores: the trends compute one scorecard per quarter and
//! fifteen figures per week and month, each independent of the others, and beside them the
//! window's own scorecard.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every item, on up to one thread per core, results in the items' order.
/// Items are handed out one at a time, so a slow item does not hold back the others.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            break;
                        };
                        out.push((i, f(item)));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(out) => out,
                // A worker that panicked: re-raise its panic here, as the sequential
                // map would have.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// `a` on this thread and `b` on another, at once (one after the other on a single core).
pub(crate) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    if cores <= 1 {
        let a = a();
        return (a, b());
    }
    std::thread::scope(|s| {
        let other = s.spawn(b);
        let a = a();
        match other.join() {
            Ok(b) => (a, b),
            // Re-raise the other thread's panic here, as the sequential calls would have.
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{join, map};

    #[test]
    fn join_returns_both_in_order() {
        let (a, b) = join(|| (0..100u64).sum::<u64>(), || "other".to_string());
        assert_eq!((a, b.as_str()), (4950, "other"));
    }

    #[test]
    fn keeps_the_items_order() {
        let items: Vec<u64> = (0..1000).collect();
        let out = map(&items, |x| x * x);
        assert_eq!(out, items.iter().map(|x| x * x).collect::<Vec<_>>());
    }

    #[test]
    fn empty_and_single() {
        assert!(map(&Vec::<u8>::new(), |x| *x).is_empty());
        assert_eq!(map(&[7u8], |x| *x + 1), vec![8]);
    }
}
