//! Fuzz target: see `draaiboeken::fuzzing::draaiboek`.
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: draaiboeken::fuzzing::init(),
    |data: &[u8]| draaiboeken::fuzzing::draaiboek(data)
);
