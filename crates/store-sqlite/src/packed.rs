//! Packed records: each record also kept in a compact binary form (postcard) in
//! `records_packed`, which is what a report reads.
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

use crate::query_err;
use plumb_model::records::{Record, RecordKind};
use plumb_store::StoreError;
use rusqlite::{Transaction, params};
use serde::de::DeserializeOwned;

/// The layout of the packed records; raise it whenever a record type changes.
pub const CODEC: i64 = 1;

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
    tx.execute("DELETE FROM records_packed", []).map_err(&err)?;
    let mut read = tx
        .prepare("SELECT kind, key, payload FROM records ORDER BY kind, key")
        .map_err(&err)?;
    let mut insert = tx
        .prepare("INSERT INTO records_packed (kind, key, data) VALUES (?1, ?2, ?3)")
        .map_err(&err)?;
    let mut rows = read.query([]).map_err(&err)?;
    let mut packed = 0u64;
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
        insert.execute(params![kind, key, data]).map_err(&err)?;
        packed += 1;
    }
    tx.execute("DELETE FROM records_packed_codec", [])
        .map_err(&err)?;
    tx.execute(
        "INSERT INTO records_packed_codec (codec) VALUES (?1)",
        [CODEC],
    )
    .map_err(&err)?;
    Ok(packed)
}
