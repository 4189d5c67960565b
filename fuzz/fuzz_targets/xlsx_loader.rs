#![no_main]
//! Any bytes as an .xlsx workbook: findings, never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fuzz.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let mut findings = baocao::Findings::default();
    let _ = baocao::internals::read_xlsx(&path, std::path::Path::new("fuzz.xlsx"), &mut findings);
});
