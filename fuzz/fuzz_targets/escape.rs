#![no_main]
//! The fragment text converter never panics, and escaped text never contains
//! an unescaped Typst markup character.
use baocao::internals::markup::convert;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(c) = convert(text) {
        // Outside the constructs it emits itself, every ASCII punctuation is escaped.
        let plain = !text.contains("^[") && !text.contains("**") && !text.contains("__") && !text.chars().any(baocao::internals::markup::is_sentinel);
        if plain {
            let mut chars = c.typst.chars().peekable();
            while let Some(ch) = chars.next() {
                if ch == '\\' {
                    chars.next();
                    continue;
                }
                assert!(!ch.is_ascii_punctuation(), "unescaped {ch:?} in {:?} from {text:?}", c.typst);
            }
        }
    }
});
