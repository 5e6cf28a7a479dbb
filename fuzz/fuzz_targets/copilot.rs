//! Any bytes as a Copilot metrics file: an error value or records, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plumb_import::{ImportKind, Options};

fuzz_target!(|data: &[u8]| {
    let _ = plumb_import::parse(ImportKind::CopilotMetrics, "fuzz", data, &Options::default());
});
