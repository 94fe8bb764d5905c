//! Fuzz target: see `draaiboeken::fuzzing::json`.
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: draaiboeken::fuzzing::init(),
    |data: &[u8]| draaiboeken::fuzzing::json(data)
);
