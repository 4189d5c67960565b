//! Bounded fuzzing in the normal test suite (the cargo-fuzz targets in fuzz/
//! run the same properties unbounded): no input makes the loaders or the
//! escaper panic, and numbers read back what they print.

use baocao::internals::markup::{convert, is_sentinel};
use baocao::internals::number::{format, parse, Parsed};
use baocao::Findings;
use proptest::prelude::*;
use std::path::Path;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn numbers_never_panic_and_round_trip(text in "[-+0-9.,a-z %]{0,24}") {
        if let Ok(Parsed::Exact { value, decimals, .. }) = parse(&text) {
            let printed = format(value, decimals);
            match parse(&printed) {
                Ok(Parsed::Exact { value: back, .. }) => prop_assert!((back - value).abs() <= 1e-6 * value.abs().max(1.0), "{printed}"),
                Ok(Parsed::Ambiguous { thousands, .. }) => prop_assert_eq!(thousands, value),
                Err(e) => prop_assert!(false, "{printed:?} from {text:?}: {e:?}"),
            }
        }
    }

    /// Long fractions (a 260-digit one once wrapped the decimal count).
    #[test]
    fn long_fractions_round_trip(text in "[0-9]{1,4}[.,][0-9]{0,300}") {
        if let Ok(Parsed::Exact { value, decimals, .. }) = parse(&text) {
            let back = match parse(&format(value, decimals)) {
                Ok(Parsed::Exact { value, .. }) => value,
                Ok(Parsed::Ambiguous { thousands, .. }) => thousands,
                Err(e) => panic!("{e:?}"),
            };
            prop_assert!((back - value).abs() <= 1e-6 * value.abs().max(1.0), "{text}");
        }
    }

    #[test]
    fn any_number_prints_and_reads_back(v in -1e12f64..1e12, d in 0u8..4) {
        let printed = format(v, d);
        let back = match parse(&printed) {
            Ok(Parsed::Exact { value, .. }) => value,
            Ok(Parsed::Ambiguous { thousands, .. }) => thousands,
            Err(e) => panic!("{printed}: {e:?}"),
        };
        prop_assert!((back - baocao::internals::number::round(v, d)).abs() < 1e-6 * v.abs().max(1.0), "{v} -> {printed} -> {back}");
    }

    #[test]
    fn csv_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut f = Findings::default();
        let _ = baocao::internals::parse_sector_csv(&bytes, Path::new("x.csv"), "x", &mut f);
        let _ = f.to_string();
    }

    #[test]
    fn csv_like_text_never_panics(text in "(ma|ten|don_vi|gia_tri|cha|[a-z]{1,3}|\"|,|;|\r?\n|[0-9.,-]{1,6}| ){0,60}") {
        let mut f = Findings::default();
        let _ = baocao::internals::parse_sector_csv(text.as_bytes(), Path::new("x.csv"), "x", &mut f);
    }

    #[test]
    fn escaper_escapes_all_punctuation(text in "\\PC{0,60}") {
        let plain = !text.contains("^[") && !text.contains("**") && !text.contains("__") && !text.chars().any(is_sentinel);
        if let Ok(c) = convert(&text) {
            if plain {
                let mut chars = c.typst.chars();
                while let Some(ch) = chars.next() {
                    if ch == '\\' {
                        chars.next();
                        continue;
                    }
                    prop_assert!(!ch.is_ascii_punctuation(), "unescaped {ch:?} in {:?}", c.typst);
                }
            }
        } else {
            prop_assert!(!plain, "plain text must convert: {text:?}");
        }
    }
}
