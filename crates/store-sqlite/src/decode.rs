//! Reading records: rows are read on the calling thread, their JSON payloads decoded on
//! every core; or the parts of packed records ([`crate::packed`]) decoded as they are read.
//!
//! Decoding the payloads is most of the cost of reading a kind with many records (AI usage,
//! checks). The calling thread reads rows into batches (keys and payloads packed in two
//! buffers, so a row costs no allocation) and hands each batch to a worker; when every
//! worker is busy it decodes the batch itself, and once the rows are read it decodes what is
//! left. Batches are put back in read order, so records come out in key order and the
//! first corrupt payload in key order is the one reported.

use crate::query_err;
use plumb_model::records::{Record, RecordKind};
use plumb_store::{KeyedRecord, StoreError};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, TrySendError, sync_channel};

/// Rows per batch: small enough to spread a kind over the workers, large enough that
/// handing a batch over costs nothing next to decoding it.
const BATCH_ROWS: usize = 1024;

/// Worker threads at most, besides the calling thread.
const MAX_WORKERS: usize = 7;

/// Decodes one row of a kind, given its key and payload; the error says why it is corrupt.
pub(crate) type DecodeRow<T> = fn(RecordKind, &str, &[u8]) -> Result<T, String>;

/// A row as [`plumb_store::Store::records`] gives it: the key and the record its JSON
/// payload holds.
pub(crate) fn keyed(_: RecordKind, key: &str, payload: &[u8]) -> Result<KeyedRecord, String> {
    let record = serde_json::from_slice::<Record>(payload).map_err(|e| e.to_string())?;
    Ok(KeyedRecord {
        key: key.to_string(),
        record,
    })
}

/// Rows read, not yet decoded.
struct Batch {
    /// Position of the batch in read order.
    index: usize,
    /// The keys one after the other; key `i` ends at `key_ends[i]`.
    keys: String,
    key_ends: Vec<usize>,
    /// The payloads likewise.
    payloads: Vec<u8>,
    payload_ends: Vec<usize>,
}

impl Batch {
    fn new(index: usize) -> Self {
        Batch {
            index,
            keys: String::new(),
            key_ends: Vec::with_capacity(BATCH_ROWS),
            payloads: Vec::new(),
            payload_ends: Vec::with_capacity(BATCH_ROWS),
        }
    }

    /// Reads rows until the batch is full; `false` when the rows ran out.
    fn fill(&mut self, rows: &mut rusqlite::Rows<'_>) -> Result<bool, StoreError> {
        let err = query_err("read records");
        while self.key_ends.len() < BATCH_ROWS {
            let Some(row) = rows.next().map_err(&err)? else {
                return Ok(false);
            };
            let key = row.get_ref(0).and_then(|v| Ok(v.as_str()?)).map_err(&err)?;
            let payload = row
                .get_ref(1)
                .and_then(|v| Ok(v.as_bytes()?))
                .map_err(&err)?;
            self.keys.push_str(key);
            self.key_ends.push(self.keys.len());
            self.payloads.extend_from_slice(payload);
            self.payload_ends.push(self.payloads.len());
        }
        Ok(true)
    }

    /// Decodes the rows, stopping at the first corrupt one.
    fn decode<T>(&self, kind: RecordKind, decode: DecodeRow<T>) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::with_capacity(self.key_ends.len());
        let (mut key_start, mut payload_start) = (0, 0);
        for (&key_end, &payload_end) in self.key_ends.iter().zip(&self.payload_ends) {
            // The ends are char boundaries of the keys by construction.
            let key = self.keys.get(key_start..key_end).unwrap_or_default();
            let payload = self
                .payloads
                .get(payload_start..payload_end)
                .unwrap_or_default();
            (key_start, payload_start) = (key_end, payload_end);
            match decode(kind, key, payload) {
                Ok(item) => out.push(item),
                Err(message) => {
                    return Err(StoreError::Corrupt {
                        context: format!("{kind} record {key:?}"),
                        message,
                    });
                }
            }
        }
        Ok(out)
    }
}

type Decoded<T> = (usize, Result<Vec<T>, StoreError>);

/// Decodes batches from `queue` until it is closed and empty.
fn drain<T>(
    kind: RecordKind,
    decode: DecodeRow<T>,
    queue: &Mutex<Receiver<Batch>>,
) -> Vec<Decoded<T>> {
    let mut done = Vec::new();
    loop {
        // A poisoned lock means another worker panicked; its panic is raised on join.
        let next = match queue.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        match next {
            Ok(batch) => done.push((batch.index, batch.decode(kind, decode))),
            Err(_) => break,
        }
    }
    done
}

/// The decoded batches in read order, as one list; the first error in read order instead,
/// if any.
fn assemble<T>(mut decoded: Vec<Decoded<T>>) -> Result<Vec<T>, StoreError> {
    decoded.sort_unstable_by_key(|(index, _)| *index);
    let mut batches = Vec::with_capacity(decoded.len());
    for (_, batch) in decoded {
        batches.push(batch?);
    }
    if batches.len() == 1 {
        return Ok(batches.pop().unwrap_or_default());
    }
    let mut records = Vec::with_capacity(batches.iter().map(Vec::len).sum());
    for batch in batches {
        records.extend(batch);
    }
    Ok(records)
}

/// Every `(key, payload)` row of `rows`, decoded by `decode` as records of `kind`, in row
/// order.
pub(crate) fn read<T: Send>(
    kind: RecordKind,
    rows: &mut rusqlite::Rows<'_>,
    decode: DecodeRow<T>,
) -> Result<Vec<T>, StoreError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_sub(1)
        .min(MAX_WORKERS);
    let mut batch = Batch::new(0);
    let mut more = batch.fill(rows)?;
    if !more || workers == 0 {
        // One batch, or one core: no thread to start.
        let mut decoded = vec![(0, batch.decode(kind, decode))];
        while more {
            let mut next = Batch::new(decoded.len());
            more = next.fill(rows)?;
            decoded.push((next.index, next.decode(kind, decode)));
        }
        return assemble(decoded);
    }
    let (tx, rx) = sync_channel::<Batch>(workers);
    let queue = Mutex::new(rx);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| drain(kind, decode, &queue)))
            .collect();
        let mut decoded = Vec::new();
        let read = loop {
            let index = batch.index;
            match tx.try_send(batch) {
                Ok(()) => {}
                // Every worker is busy (or gone): decode it here rather than wait.
                Err(TrySendError::Full(b) | TrySendError::Disconnected(b)) => {
                    decoded.push((b.index, b.decode(kind, decode)));
                }
            }
            if !more {
                break Ok(());
            }
            batch = Batch::new(index + 1);
            match batch.fill(rows) {
                Ok(m) => more = m,
                Err(e) => break Err(e),
            }
        };
        drop(tx);
        decoded.extend(drain(kind, decode, &queue));
        for handle in handles {
            match handle.join() {
                Ok(done) => decoded.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        read?;
        assemble(decoded)
    })
}

/// Every packed record of `kind`, decoded by `decode`, in key order: its parts read in
/// order and decoded as they are read, on the calling thread, straight into the one list
/// (no copy of a part, no second list to join). A report reads the large kinds on threads
/// of their own. The first corrupt entry in order is named by its kind and key; a part
/// whose framing is broken, by its kind and number.
pub(crate) fn read_kind<T>(
    conn: &rusqlite::Connection,
    kind: RecordKind,
    decode: DecodeRow<T>,
) -> Result<Vec<T>, StoreError> {
    let err = query_err("read records");
    let parts: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM records_parts WHERE kind = ?1")
        .and_then(|mut stmt| stmt.query_row([kind.as_str()], |r| r.get(0)))
        .map_err(&err)?;
    // Every part but the last is full.
    let mut out =
        Vec::with_capacity(usize::try_from(parts).unwrap_or(0) * crate::packed::PART_RECORDS);
    let mut stmt = conn
        .prepare_cached("SELECT data FROM records_parts WHERE kind = ?1 ORDER BY part")
        .map_err(&err)?;
    let mut rows = stmt.query([kind.as_str()]).map_err(&err)?;
    let mut n = 0usize;
    while let Some(row) = rows.next().map_err(&err)? {
        let part = row
            .get_ref(0)
            .and_then(|v| Ok(v.as_blob()?))
            .map_err(&err)?;
        for entry in crate::packed::entries(part) {
            let (key, data) = entry.map_err(|message| StoreError::Corrupt {
                context: format!("{kind} records, part {n}"),
                message,
            })?;
            let record = decode(kind, key, data).map_err(|message| StoreError::Corrupt {
                context: format!("{kind} record {key:?}"),
                message,
            })?;
            out.push(record);
        }
        n += 1;
    }
    Ok(out)
}
