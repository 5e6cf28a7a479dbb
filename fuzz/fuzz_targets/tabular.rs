//! Any bytes, as any tabular kind, in CSV and NDJSON: an error value or records, never a
//! panic. The first byte picks the kind and the encoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plumb_import::{ImportKind, Options, TableFormat};
use plumb_model::records::RecordKind;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kinds = RecordKind::ALL;
    let kind = kinds[usize::from(selector) % kinds.len()];
    let format = if selector & 0x80 == 0 {
        TableFormat::Csv
    } else {
        TableFormat::Ndjson
    };
    let opts = Options {
        format: Some(format),
        allow_extra: selector & 0x40 != 0,
        ..Options::default()
    };
    let _ = plumb_import::parse(ImportKind::Table(kind), "fuzz", bytes, &opts);
});
