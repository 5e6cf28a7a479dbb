//! Packed records: each record also kept in a compact binary form (postcard), which is
//! what a report reads.
//!
//! The JSON payload in `records` stays the record of truth: it describes itself, so a
//! newer plumb still reads it after a record type gains a field, and it is what
//! `Store::records` gives. The packed form has no field names and is about a third of the
//! size, so reading every record of a large store is mostly decoding rather than scanning
//! pages, and decoding it is faster than parsing JSON. It cannot describe itself: its
//! layout is the record types' fields in order, pinned by [`CODEC`]. When a record type
//! changes, [`CODEC`] is raised (the test `packed_layout_is_pinned` fails until it is),
//! and the first open of a store packed with another codec packs every record again from
//! its JSON ([`repack`]).
//!
//! A kind's packed records are kept in `records_parts`, in key order, [`PART_RECORDS`] to
//! a part: each entry is its key and its packed record, each preceded by its length as a
//! LEB128 varint. A report reads a few hundred parts, not millions of rows, and decodes
//! each as it is read. A write of a kind merges its changed records into the kind's
//! entries and writes its parts again ([`write_kind`]), in the same transaction as the
//! JSON.

use crate::query_err;
use plumb_model::records::{Record, RecordKind};
use plumb_store::StoreError;
use rusqlite::{Transaction, params};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// The layout of the packed records; raise it whenever a record type changes.
pub const CODEC: i64 = 1;

/// Records per part.
pub(crate) const PART_RECORDS: usize = 2048;

/// Appends `bytes` to a part, after its length.
fn push_field(part: &mut Vec<u8>, bytes: &[u8]) {
    let mut n = bytes.len();
    loop {
        // The low seven bits, and the high bit when more follow.
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            part.push(low);
            break;
        }
        part.push(low | 0x80);
    }
    part.extend_from_slice(bytes);
}

/// Appends an entry (a key and its packed record) to a part.
fn push_entry(part: &mut Vec<u8>, key: &str, data: &[u8]) {
    push_field(part, key.as_bytes());
    push_field(part, data);
}

/// The entries of a part, in order: (key, packed record), or why the part cannot be read
/// further (its framing is cut short or not UTF-8 where a key is).
pub(crate) struct Entries<'p> {
    rest: &'p [u8],
}

/// The entries of `part`.
pub(crate) fn entries(part: &[u8]) -> Entries<'_> {
    Entries { rest: part }
}

impl<'p> Entries<'p> {
    fn field(&mut self) -> Result<&'p [u8], String> {
        let mut n = 0usize;
        let mut shift = 0u32;
        loop {
            let (&b, rest) = self
                .rest
                .split_first()
                .ok_or("a part ends inside a length")?;
            self.rest = rest;
            if shift > 56 {
                return Err("a length in a part is too long".into());
            }
            n |= usize::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        if n > self.rest.len() {
            return Err(format!(
                "a part ends inside an entry ({n} bytes announced, {} left)",
                self.rest.len()
            ));
        }
        let (field, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(field)
    }
}

impl<'p> Iterator for Entries<'p> {
    type Item = Result<(&'p str, &'p [u8]), String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let entry = self.field().and_then(|key| {
            let key = std::str::from_utf8(key).map_err(|e| format!("a key is not UTF-8: {e}"))?;
            Ok((key, self.field()?))
        });
        if entry.is_err() {
            // Nothing after a broken framing can be read.
            self.rest = &[];
        }
        Some(entry)
    }
}

/// The parts of `kind`, in order.
pub(crate) fn parts_of(
    conn: &rusqlite::Connection,
    kind: RecordKind,
) -> Result<Vec<Vec<u8>>, StoreError> {
    let err = query_err("read records");
    let mut stmt = conn
        .prepare_cached("SELECT data FROM records_parts WHERE kind = ?1 ORDER BY part")
        .map_err(&err)?;
    stmt.query_map([kind.as_str()], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(&err)
}

/// Writes `changed` (key → packed record; keys not yet packed are added, others replaced)
/// into the packed records of `kind`: the kind's entries merged with them, in key order,
/// written again as its parts.
pub(crate) fn write_kind(
    tx: &Transaction<'_>,
    kind: RecordKind,
    changed: &BTreeMap<String, Vec<u8>>,
) -> Result<(), StoreError> {
    if changed.is_empty() {
        return Ok(());
    }
    let err = query_err("write records");
    let old = parts_of(tx, kind)?;
    let mut merged: Vec<(&str, &[u8])> = Vec::new();
    let mut new = changed.iter().peekable();
    for (n, part) in old.iter().enumerate() {
        for entry in entries(part) {
            let (key, data) = entry.map_err(|message| StoreError::Corrupt {
                context: format!("{kind} records, part {n}"),
                message,
            })?;
            while let Some((k, d)) = new.next_if(|(k, _)| k.as_str() < key) {
                merged.push((k, d));
            }
            match new.next_if(|(k, _)| k.as_str() == key) {
                Some((k, d)) => merged.push((k, d)),
                None => merged.push((key, data)),
            }
        }
    }
    merged.extend(new.map(|(k, d)| (k.as_str(), d.as_slice())));
    put_parts(tx, kind.as_str(), merged.into_iter()).map_err(err)
}

/// Replaces the parts of `kind` by `entries` (in key order), [`PART_RECORDS`] to a part.
fn put_parts<'e>(
    tx: &Transaction<'_>,
    kind: &str,
    entries: impl Iterator<Item = (&'e str, &'e [u8])>,
) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM records_parts WHERE kind = ?1", [kind])?;
    let mut insert =
        tx.prepare_cached("INSERT INTO records_parts (kind, part, data) VALUES (?1, ?2, ?3)")?;
    let (mut part, mut count, mut number) = (Vec::new(), 0usize, 0i64);
    for (key, data) in entries {
        push_entry(&mut part, key, data);
        count += 1;
        if count == PART_RECORDS {
            insert.execute(params![kind, number, part])?;
            (part, count, number) = (Vec::new(), 0, number + 1);
        }
    }
    if count > 0 {
        insert.execute(params![kind, number, part])?;
    }
    Ok(())
}

/// A record's packed form.
pub(crate) fn pack(record: &Record) -> Result<Vec<u8>, postcard::Error> {
    match record {
        Record::People(r) => postcard::to_allocvec(r),
        Record::Teams(r) => postcard::to_allocvec(r),
        Record::WorkItems(r) => postcard::to_allocvec(r),
        Record::PullRequests(r) => postcard::to_allocvec(r),
        Record::Reviews(r) => postcard::to_allocvec(r),
        Record::Checks(r) => postcard::to_allocvec(r),
        Record::Deployments(r) => postcard::to_allocvec(r),
        Record::Incidents(r) => postcard::to_allocvec(r),
        Record::AiUsage(r) => postcard::to_allocvec(r),
        Record::Survey(r) => postcard::to_allocvec(r),
        Record::Skills(r) => postcard::to_allocvec(r),
        Record::Costs(r) => postcard::to_allocvec(r),
        Record::Kpis(r) => postcard::to_allocvec(r),
        Record::Findings(r) => postcard::to_allocvec(r),
    }
}

/// The record of a packed row of `kind`, whose type is `T`; the error says why it is
/// corrupt (including bytes left over after the record).
pub(crate) fn unpack<T: DeserializeOwned>(
    _kind: RecordKind,
    _key: &str,
    bytes: &[u8],
) -> Result<T, String> {
    match postcard::take_from_bytes::<T>(bytes) {
        Ok((record, [])) => Ok(record),
        Ok((_, rest)) => Err(format!(
            "{} byte(s) left after the packed record",
            rest.len()
        )),
        Err(e) => Err(format!("packed record unreadable: {e}")),
    }
}

/// Packs every record again from its JSON payload, and records [`CODEC`]. A payload that
/// does not decode is an error naming its kind and key: the store is left as it was.
pub(crate) fn repack(tx: &Transaction<'_>) -> Result<u64, StoreError> {
    let err = query_err("pack records");
    tx.execute("DELETE FROM records_parts", []).map_err(&err)?;
    let mut read = tx
        .prepare("SELECT kind, key, payload FROM records ORDER BY kind, key")
        .map_err(&err)?;
    let mut rows = read.query([]).map_err(&err)?;
    let mut packed = 0u64;
    // One kind's entries at a time, in key order.
    let mut kind_entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut current: Option<String> = None;
    let flush = |kind: &Option<String>, entries: &mut Vec<(String, Vec<u8>)>| {
        if let Some(kind) = kind {
            put_parts(
                tx,
                kind,
                entries.iter().map(|(k, d)| (k.as_str(), d.as_slice())),
            )
            .map_err(&err)?;
        }
        entries.clear();
        Ok::<(), StoreError>(())
    };
    while let Some(row) = rows.next().map_err(&err)? {
        let kind: &str = row.get_ref(0).and_then(|v| Ok(v.as_str()?)).map_err(&err)?;
        let key: &str = row.get_ref(1).and_then(|v| Ok(v.as_str()?)).map_err(&err)?;
        let payload = row
            .get_ref(2)
            .and_then(|v| Ok(v.as_bytes()?))
            .map_err(&err)?;
        let corrupt = |message: String| StoreError::Corrupt {
            context: format!("{kind} record {key:?}"),
            message,
        };
        let record: Record = serde_json::from_slice(payload).map_err(|e| corrupt(e.to_string()))?;
        if record.kind().as_str() != kind {
            return Err(corrupt(format!(
                "the payload holds a {} record",
                record.kind()
            )));
        }
        let data = pack(&record).map_err(|e| corrupt(e.to_string()))?;
        if current.as_deref() != Some(kind) {
            flush(&current, &mut kind_entries)?;
            current = Some(kind.to_string());
        }
        kind_entries.push((key.to_string(), data));
        packed += 1;
    }
    flush(&current, &mut kind_entries)?;
    tx.execute("DELETE FROM records_packed_codec", [])
        .map_err(&err)?;
    tx.execute(
        "INSERT INTO records_packed_codec (codec) VALUES (?1)",
        [CODEC],
    )
    .map_err(&err)?;
    Ok(packed)
}
