//! Fuzz target: see `draaiboeken::fuzzing::frames`.
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: draaiboeken::fuzzing::init(),
    |data: &[u8]| draaiboeken::fuzzing::frames(data)
);
