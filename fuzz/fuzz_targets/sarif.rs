//! Any bytes as a SARIF file: an error value or records, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plumb_import::{ImportKind, Options};

fuzz_target!(|data: &[u8]| {
    let _ = plumb_import::parse(ImportKind::Findings, "fuzz", data, &Options::default());
});
