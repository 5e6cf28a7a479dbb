//! Any bytes as an axe-core results file: an error value or records, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plumb_import::{ImportKind, Options};

fuzz_target!(|data: &[u8]| {
    let _ = plumb_import::parse(ImportKind::A11y, "fuzz", data, &Options::default());
});
