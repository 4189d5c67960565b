#![no_main]
//! The number parser never panics, and what it formats it reads back.
use baocao::internals::number::{format, parse, Parsed};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(Parsed::Exact { value, decimals, .. }) = parse(text) {
        let printed = format(value, decimals);
        match parse(&printed) {
            Ok(Parsed::Exact { value: back, .. }) => assert!((back - value).abs() <= 1e-6 * value.abs().max(1.0)),
            Ok(Parsed::Ambiguous { thousands, .. }) => assert_eq!(thousands, value),
            Err(e) => panic!("{printed:?} from {text:?} does not parse: {e:?}"),
        }
    }
});
