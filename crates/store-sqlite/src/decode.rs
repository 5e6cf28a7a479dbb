//! Reading records: rows are read on the calling thread, their payloads (JSON, or packed
//! for [`crate::packed`]) decoded on every core.
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

/// Where the rows' keys are: read with each row (column 0, the payload column 1), or not
/// read at all (the payload column 0), in which case the key of a corrupt row is found
/// afterwards from its place in read order, by the given lookup.
#[derive(Clone, Copy)]
pub(crate) enum Keys<'k> {
    Read,
    Skipped(&'k dyn Fn(usize) -> Result<String, StoreError>),
}

/// Why a batch could not be decoded: a store error, or a corrupt row at `position` (in read
/// order), with its key when it was read.
enum Failure {
    Store(StoreError),
    Corrupt {
        position: usize,
        key: Option<String>,
        message: String,
    },
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

/// Rows read, not yet decoded.
struct Batch {
    /// Position of the batch in read order.
    index: usize,
    /// The keys one after the other (when they are read); key `i` ends at `key_ends[i]`.
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
    fn fill(&mut self, rows: &mut rusqlite::Rows<'_>, keys: Keys<'_>) -> Result<bool, StoreError> {
        let err = query_err("read records");
        let payload_column = match keys {
            Keys::Read => 1,
            Keys::Skipped(_) => 0,
        };
        while self.payload_ends.len() < BATCH_ROWS {
            let Some(row) = rows.next().map_err(&err)? else {
                return Ok(false);
            };
            if let Keys::Read = keys {
                let key = row.get_ref(0).and_then(|v| Ok(v.as_str()?)).map_err(&err)?;
                self.keys.push_str(key);
                self.key_ends.push(self.keys.len());
            }
            let payload = row
                .get_ref(payload_column)
                .and_then(|v| Ok(v.as_bytes()?))
                .map_err(&err)?;
            self.payloads.extend_from_slice(payload);
            self.payload_ends.push(self.payloads.len());
        }
        Ok(true)
    }

    /// Decodes the rows, stopping at the first corrupt one.
    fn decode<T>(&self, kind: RecordKind, decode: DecodeRow<T>) -> Result<Vec<T>, Failure> {
        let mut out = Vec::with_capacity(self.payload_ends.len());
        let (mut key_start, mut payload_start) = (0, 0);
        for (row, &payload_end) in self.payload_ends.iter().enumerate() {
            // The ends are char boundaries of the keys by construction; no key when they
            // were not read.
            let key = match self.key_ends.get(row) {
                Some(&key_end) => {
                    let key = self.keys.get(key_start..key_end);
                    key_start = key_end;
                    key
                }
                None => None,
            };
            let payload = self
                .payloads
                .get(payload_start..payload_end)
                .unwrap_or_default();
            payload_start = payload_end;
            match decode(kind, key.unwrap_or_default(), payload) {
                Ok(item) => out.push(item),
                Err(message) => {
                    return Err(Failure::Corrupt {
                        position: self.index * BATCH_ROWS + row,
                        key: key.map(str::to_string),
                        message,
                    });
                }
            }
        }
        Ok(out)
    }
}

type Decoded<T> = (usize, Result<Vec<T>, Failure>);

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
/// if any, naming a corrupt row by its kind and key.
fn assemble<T>(
    kind: RecordKind,
    keys: Keys<'_>,
    mut decoded: Vec<Decoded<T>>,
) -> Result<Vec<T>, StoreError> {
    decoded.sort_unstable_by_key(|(index, _)| *index);
    let mut batches = Vec::with_capacity(decoded.len());
    for (_, batch) in decoded {
        match batch {
            Ok(batch) => batches.push(batch),
            Err(Failure::Store(e)) => return Err(e),
            Err(Failure::Corrupt {
                position,
                key,
                message,
            }) => {
                let key = match (key, keys) {
                    (Some(key), _) => key,
                    (None, Keys::Skipped(lookup)) => lookup(position)?,
                    (None, Keys::Read) => String::new(),
                };
                return Err(StoreError::Corrupt {
                    context: format!("{kind} record {key:?}"),
                    message,
                });
            }
        }
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

/// Every row of `rows` (`(key, payload)`, or `(payload)` when `keys` is
/// [`Keys::Skipped`]), decoded by `decode` as records of `kind`, in row order.
pub(crate) fn read<T: Send>(
    kind: RecordKind,
    rows: &mut rusqlite::Rows<'_>,
    keys: Keys<'_>,
    decode: DecodeRow<T>,
) -> Result<Vec<T>, StoreError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_sub(1)
        .min(MAX_WORKERS);
    let mut batch = Batch::new(0);
    let mut more = batch.fill(rows, keys)?;
    if !more || workers == 0 {
        // One batch, or one core: no thread to start.
        let mut decoded = vec![(0, batch.decode(kind, decode))];
        while more {
            let mut next = Batch::new(decoded.len());
            more = next.fill(rows, keys)?;
            decoded.push((next.index, next.decode(kind, decode)));
        }
        return assemble(kind, keys, decoded);
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
            match batch.fill(rows, keys) {
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
        assemble(kind, keys, decoded)
    })
}
