//! Any bytes as an annotation file: the loader must return Ok or Err, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tallymark_core::persist::parse(std::path::Path::new("fuzz.ron"), text);
    }
    let _ = tallymark_core::persist::decode_article(std::path::Path::new("fuzz.txt"), data);
});
