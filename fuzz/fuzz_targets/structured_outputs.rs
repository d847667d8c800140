#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::structured_outputs(data));
