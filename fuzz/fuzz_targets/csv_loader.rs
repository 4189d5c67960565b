#![no_main]
//! Any bytes as a sector CSV: findings, never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut findings = baocao::Findings::default();
    let _ = baocao::internals::parse_sector_csv(bytes, std::path::Path::new("fuzz.csv"), "fuzz", &mut findings);
    for f in &findings.0 {
        let _ = f.to_string();
    }
});
