//! Bad inputs through the real binary. Each is refused with its place (file,
//! line, column) and a Vietnamese message, never panics, and leaves out/ (the
//! PDF of an earlier good render, the history) exactly as it was.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

const CSV: &str = "data/2026-02/nong_nghiep.csv";
const PDF: &str = "out/bao-cao-thang-2026-02.pdf";
const MO_DAU: &str = "templates/bao-cao-thang/mo-dau.txt";
const MAU: &str = "templates/bao-cao-thang/mau.toml";
const HEADER: &str = "ma,ten,don_vi,gia_tri\n";
const LATIN1: &[u8] = b"ma,ten,don_vi,gia_tri\nx,L\xea\xa0,ha,1\n";
const HOSTILE: &str = r#"#read("/etc/hostname") ]*_ // $x$ @ref <l>"#;

/// Runs the binary: whatever the input, it must not panic.
fn run(s: &Scratch, args: &[&str]) -> Run {
    let r = s.run(args);
    assert_no_panic(&r);
    r
}

fn assert_no_panic(r: &Run) {
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(!all.contains("panicked"), "panic:\n{all}");
}

/// 1-based line of the first `needle` in the repository's copy of `rel`.
fn line_of(rel: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(repo().join(rel)).unwrap();
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

/// Everything under out/: path -> bytes (None for a folder).
type Snapshot = BTreeMap<String, Option<Vec<u8>>>;

fn snapshot(s: &Scratch) -> Snapshot {
    fn walk(dir: &Path, base: &Path, into: &mut Snapshot) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(base).unwrap().display().to_string();
            let bytes = (!p.is_dir()).then(|| std::fs::read(&p).unwrap());
            into.insert(rel, bytes);
            if p.is_dir() {
                walk(&p, base, into);
            }
        }
    }
    let mut m = Snapshot::new();
    walk(&s.file("out"), s.path(), &mut m);
    m
}

/// A scratch project after one good render.
fn rendered() -> Scratch {
    let s = Scratch::new();
    let r = run(&s, &["render"]);
    assert_eq!(r.code, 0, "good render failed:\n{}\n{}", r.stdout, r.stderr);
    assert!(std::fs::read(s.file(PDF)).unwrap().starts_with(b"%PDF-"));
    s
}

/// The run exited with `code`, printed every `expected` text on stderr, and
/// left out/ as in `before` (PDF byte-identical, no new version, no temp file).
fn assert_refused(s: &Scratch, before: &Snapshot, r: &Run, code: i32, expected: &[&str]) {
    assert_eq!(r.code, code, "exit code; stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    for e in expected {
        assert!(r.stderr.contains(e), "stderr lacks {e:?}:\n{}", r.stderr);
    }
    let after = snapshot(s);
    let hidden: Vec<_> = after.keys().filter(|k| k.rsplit('/').next().unwrap().starts_with('.')).collect();
    assert!(hidden.is_empty(), "temp files left in out/: {hidden:?}");
    let changed: Vec<_> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(changed.is_empty(), "out/ changed: {changed:?}");
}

/// Good render, then `damage`, then `baocao ARGS`: refused, out/ untouched.
fn refused(damage: impl FnOnce(&Scratch), args: &[&str], code: i32, expected: &[&str]) -> (Scratch, Run) {
    let s = rendered();
    damage(&s);
    let before = snapshot(&s);
    let r = run(&s, args);
    assert_refused(&s, &before, &r, code, expected);
    (s, r)
}

/// Damaged data: `render` refuses (exit 1) with the findings, `check` too.
fn bad_data(damage: impl FnOnce(&Scratch), findings: &[&str]) -> Run {
    let mut expected = vec!["Số liệu có lỗi, chưa tạo PDF"];
    expected.extend(findings);
    let (s, r) = refused(damage, &["render"], 1, &expected);
    let c = run(&s, &["check"]);
    let all = format!("{}{}", c.stdout, c.stderr);
    assert_eq!(c.code, 1, "check exit code:\n{all}");
    for f in findings {
        assert!(all.contains(f), "check lacks {f:?}:\n{all}");
    }
    r
}

/// Damage: the sector file replaced by `bytes`.
fn replaced(bytes: impl AsRef<[u8]>) -> impl FnOnce(&Scratch) {
    move |s| s.write(CSV, bytes)
}

/// Damage: each `(from, to)` replaced in the sector file.
fn edited(pairs: &'static [(&'static str, &'static str)]) -> impl FnOnce(&Scratch) {
    move |s| pairs.iter().for_each(|(from, to)| s.edit(CSV, from, to))
}

/// `text` as UTF-16 LE bytes (Excel "Unicode Text").
fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// A finding about the sector file: `at!(", dòng 2, cột 4 [x]: ...")`.
macro_rules! at {
    ($rest:literal) => {
        concat!("LỖI: data/2026-02/nong_nghiep.csv", $rest)
    };
}

/// One #[test] per damaged data case: `name: damage => [findings];`.
macro_rules! bad_data_tests {
    ($($(#[$m:meta])* $name:ident: $damage:expr => [$($finding:expr),+];)+) => {$(
        $(#[$m])*
        #[test]
        fn $name() {
            bad_data($damage, &[$($finding),+]);
        }
    )+};
}

bad_data_tests! {
    empty_file: replaced("") => [at!(": tệp trống, cần ít nhất dòng tiêu đề và một dòng số liệu")];
    header_only: replaced(HEADER) => [at!(": tệp chỉ có dòng tiêu đề, chưa có số liệu")];
    ragged_row: replaced(format!("{HEADER}a,A,ha,1\n\nb,B,ha,2,3\n"))
        => [at!(", dòng 4: dòng có 5 ô nhưng dòng tiêu đề có 4 cột")];
    unclosed_quote: replaced("ma,ten,don_vi,gia_tri\r\na,A,ha,1\r\nb,\"B,ha,2\r\nc,C,ha,3\r\n")
        => [at!(", dòng 3, cột 2: lỗi cú pháp CSV: dấu ngoặc kép \" mở ở ô này không được đóng")];
    unclosed_quote_at_end_of_file: replaced("ma,ten,don_vi,gia_tri\na,A,ha,1\nb,B,ha,\"2")
        => [at!(", dòng 3, cột 4: lỗi cú pháp CSV")];
    duplicate_header: replaced("ma,ten,don_vi,gia_tri,ten\na,A,ha,1,B\n")
        => [at!(", dòng 1, cột 5: cột \"ten\" xuất hiện hai lần ở dòng tiêu đề")];
    unknown_column: replaced("ma,ten,don_vi,mau_sac,gia_tri\na,A,ha,do,1\n")
        => [at!(", dòng 1, cột 4: cột \"mau_sac\" không được biết; các cột dùng được: ma, ten, don_vi")];
    // Excel writes ",,," lines for formatted but empty rows.
    blank_cells_only_is_an_empty_file: replaced(",,,\n,,,\n") => [at!(": tệp trống")];
    non_numeric_value: edited(&[(",ha,1.196,", ",ha,12a,")])
        => [at!(", dòng 3, cột 4 [ngo]: \"12a\" không phải là số")];
    negative_count: edited(&[(",con,84.860,dan_gia_suc,", ",con,-84.860,dan_gia_suc,")])
        => [at!(", dòng 13, cột 4 [dan_trau]: giá trị âm \"-84.860\" không hợp lệ")];
    nan_and_inf: edited(&[(",tấn,1.700,,,1.724,", ",tấn,1.700,,,NaN,"), (",ha,6.014,", ",ha,inf,")])
        => [at!(", dòng 2, cột 4 [lua_dong_xuan]: \"inf\" không phải là số"),
            at!(", dòng 17, cột 7 [thit_hoi]: \"NaN\" không phải là số")];
    ten_to_the_thirtieth: edited(&[(",ha,1.034,", ",ha,1000000000000000000000000000000,")])
        => [at!(", dòng 19, cột 4 [dt_ao_nuoi]: \"1000000000000000000000000000000\" quá lớn (vượt 10^15)")];
    utf16_with_bom: replaced(utf16le("\u{feff}ma,ten,don_vi,gia_tri\r\na,Lúa,ha,1\r\n"))
        => [at!(": tệp được lưu dạng UTF-16 (Unicode Text)")];
    legacy_code_page: replaced(LATIN1) => [at!(", dòng 2: tệp không phải UTF-8 (có thể là bảng mã Windows-1258")];
}

#[test]
fn bad_number_is_reported_once() {
    let r = bad_data(edited(&[(",ha,1.196,", ",ha,12a,")]), &[]);
    let about_ngo: Vec<_> = r.stderr.lines().filter(|l| l.contains("[ngo]")).collect();
    assert_eq!(about_ngo.len(), 1, "{about_ngo:#?}");
}

/// Runs the binary, killing it after `limit`: (run, peak memory in kB if known, time taken).
fn run_measured(s: &Scratch, args: &[&str], limit: Duration) -> (Run, Option<u64>, Duration) {
    let (out, err) = (s.file("stdout.log"), s.file("stderr.log"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(args)
        .current_dir(s.path())
        .stdout(Stdio::from(std::fs::File::create(&out).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&err).unwrap()))
        .spawn()
        .unwrap();
    let start = Instant::now();
    let (code, rss) = loop {
        if let Some(done) = reap(&mut child) {
            break done;
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("baocao {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let text = |p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    let r = Run {
        code,
        stdout: text(&out),
        stderr: text(&err),
    };
    assert_no_panic(&r);
    (r, rss, start.elapsed())
}

/// Exit code and peak resident memory (kB) of a finished child, via wait4.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn reap(child: &mut std::process::Child) -> Option<(i32, Option<u64>)> {
    extern "C" {
        fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut i64) -> i32;
    }
    // struct rusage: two timevals (4 words), then ru_maxrss, ... (18 words).
    let (mut status, mut ru) = (0i32, [0i64; 18]);
    let pid = unsafe {
        wait4(child.id() as i32, &mut status, 1 /* WNOHANG */, ru.as_mut_ptr())
    };
    assert!(pid >= 0, "wait4 failed");
    let code = if status & 0x7f == 0 { (status >> 8) & 0xff } else { -1 };
    (pid > 0).then_some((code, Some(ru[4] as u64)))
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn reap(child: &mut std::process::Child) -> Option<(i32, Option<u64>)> {
    child.try_wait().unwrap().map(|s| (s.code().unwrap_or(-1), None))
}

/// Good render, then a 108 MB sector file, then render.
fn huge_csv() -> (Option<u64>, Duration) {
    let s = rendered();
    let mut f = std::fs::File::create(s.file(CSV)).unwrap();
    f.write_all(HEADER.as_bytes()).unwrap();
    let chunk = "a,A,ha,1\n".repeat(1_000_000);
    (0..12).for_each(|_| f.write_all(chunk.as_bytes()).unwrap());
    let before = snapshot(&s);
    let (r, rss, took) = run_measured(&s, &["render"], Duration::from_secs(60));
    let msg = "LỖI: data/2026-02/nong_nghiep.csv: tệp quá lớn (108 MB); một tệp số liệu không được vượt quá 20 MB";
    assert_refused(&s, &before, &r, 1, &[msg]);
    (rss, took)
}

#[test]
fn file_over_100_mb_is_refused_quickly() {
    let (_, took) = huge_csv();
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn file_over_100_mb_is_not_read_into_memory() {
    match huge_csv() {
        (Some(kb), _) => assert!(kb < 50_000, "peak memory {kb} kB for a refused 100 MB file"),
        (None, _) => eprintln!("NOTE: peak memory not measurable on this platform"),
    }
}

#[test]
fn missing_period_folder() {
    let msg = "Không có thư mục số liệu cho kỳ 2031-05: data/2031-05 không tồn tại";
    refused(|_| {}, &["render", "--period", "2031-05"], 1, &[msg]);
}

#[test]
fn missing_period_hint_is_a_real_command() {
    let (s, r) = refused(|_| {}, &["render", "--period", "2031-05"], 1, &[]);
    if let Some(hint) = r.stderr.split("bằng: ").nth(1) {
        let cmd: Vec<&str> = hint.split_whitespace().skip(1).take(1).chain(["--help"]).collect();
        let h = run(&s, &cmd);
        assert_eq!(h.code, 0, "suggested command {hint:?} does not exist:\n{}", h.stderr);
    }
}

#[test]
fn invalid_period_is_a_usage_error() {
    let msg = "Kỳ báo cáo \"2026-13\" không hợp lệ. Viết theo dạng 2026-02 (tháng)";
    let (s, _) = refused(|_| {}, &["render", "--period", "2026-13"], 2, &[msg]);
    assert_eq!(run(&s, &["check", "--period", "2026-13"]).code, 2);
}

#[test]
fn missing_fragment() {
    let expected = [
        MO_DAU,
        "không tìm thấy tệp đoạn \"mo-dau.txt\" mà mau.toml khai báo (trường doan = \"mo-dau\")",
    ];
    refused(|s| std::fs::remove_file(s.file(MO_DAU)).unwrap(), &["render"], 1, &expected);
}

#[test]
fn manifest_not_toml() {
    let at = format!("{MAU}: dòng {}: tệp TOML không hợp lệ", line_of(MAU, "dia_danh ="));
    let damage = |s: &Scratch| s.edit(MAU, "dia_danh = \"Lai Châu\"", "dia_danh = \"Lai Châu");
    refused(damage, &["render"], 1, &[&at]);
}

#[test]
fn manifest_unknown_field() {
    let at = format!("{MAU}: dòng {}: trường \"mau_chu\" không được biết", line_of(MAU, "nguoi_ky ="));
    let damage = |s: &Scratch| s.edit(MAU, "\nnguoi_ky =", "\nmau_chu = \"đỏ\"\nnguoi_ky =");
    refused(damage, &["render"], 1, &[&at]);
}

#[test]
fn misspelt_variable_in_fragment() {
    let fragment = "Mở đầu {{ ky.nhan }}.\n\nTháng này gieo {{ nong_nghiep.lua_dong_xuann }} ha.\n";
    let expected = [
        "templates/bao-cao-thang/mo-dau.txt, dòng 3, cột 19: \"nong_nghiep.lua_dong_xuann\" không có trong số liệu",
        "    Tháng này gieo {{ nong_nghiep.lua_dong_xuann }} ha.",
    ];
    refused(|s| s.write(MO_DAU, fragment), &["render"], 1, &expected);
}

#[test]
fn misspelt_variable_as_filter_argument() {
    let fragment = "Gieo {{ nong_nghiep.lua_dong_xuan | so(chu_so) }} ha.\n";
    refused(|s| s.write(MO_DAU, fragment), &["render"], 1, &[MO_DAU, "dòng 1", "chu_so"]);
}

#[test]
fn fragment_reading_etc_passwd() {
    let damage = |s: &Scratch| s.write(MO_DAU, "Mở đầu.\n\n{{ \"#read(\\\"/etc/passwd\\\")\" | typst }}\n");
    let (_, r) = refused(damage, &["render"], 1, &[MO_DAU, "dòng 3", "baocao không cho đọc \"/etc/passwd\""]);
    assert!(!r.stderr.contains("root:"), "file content leaked:\n{}", r.stderr);
}

#[test]
fn hostile_text_cell_prints_literally() {
    let s = Scratch::new();
    let quoted = format!("\"{}\"", HOSTILE.replace('"', "\"\""));
    s.edit(
        CSV,
        "lua_dong_xuan,Diện tích gieo cấy lúa đông xuân,",
        &format!("lua_dong_xuan,{quoted},"),
    );
    let fragment = s.read(MO_DAU) + "\n{{ nong_nghiep.lua_dong_xuan.ten }}\n";
    s.write(MO_DAU, fragment);
    let (r, dump) = s.render_text(&[]);
    assert_no_panic(&r);
    assert!(flat(&dump).contains(HOSTILE), "hostile text not printed literally:\n{dump}");
}

/// Good render, then out/ made read-only, then render (skipped where chmod does not stop writes).
#[cfg(unix)]
fn unwritable_out_dir() -> Option<Run> {
    use std::os::unix::fs::PermissionsExt;
    let s = rendered();
    let out = s.file("out");
    let mode = |m| std::fs::set_permissions(&out, std::fs::Permissions::from_mode(m)).unwrap();
    mode(0o555);
    if std::fs::write(out.join("probe"), b"").is_ok() {
        std::fs::remove_file(out.join("probe")).unwrap();
        mode(0o755);
        eprintln!("NOTE: unwritable out/ test skipped: chmod does not stop writes here (running as root?)");
        return None;
    }
    let before = snapshot(&s);
    let r = run(&s, &["render"]);
    mode(0o755);
    assert_refused(&s, &before, &r, 1, &["Không ghi được", "out"]);
    Some(r)
}

#[cfg(unix)]
#[test]
fn unwritable_out_is_refused_and_left_intact() {
    unwritable_out_dir();
}

#[cfg(unix)]
#[test]
fn unwritable_out_message_names_no_temp_file() {
    if let Some(r) = unwritable_out_dir() {
        assert!(!r.stderr.contains(".tmp"), "message names the temp file:\n{}", r.stderr);
    }
}

#[test]
fn output_path_is_a_directory() {
    let damage = |s: &Scratch| {
        std::fs::remove_file(s.file(PDF)).unwrap();
        std::fs::create_dir(s.file(PDF)).unwrap();
    };
    refused(damage, &["render"], 1, &["out/bao-cao-thang-2026-02.pdf là một thư mục có sẵn"]);
}

#[test]
fn semicolon_crlf_bom_renders_like_comma() {
    let s = Scratch::new();
    let (_, comma) = s.render_text(&[]);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(std::io::Cursor::new(s.read(CSV)));
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    for rec in rdr.records() {
        w.write_record(&rec.unwrap()).unwrap();
    }
    let bytes = w.into_inner().unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFma;ten;don_vi;gia_tri;") && bytes.ends_with(b"\r\n"));
    s.write(CSV, bytes);
    let (r, semicolon) = s.render_text(&[]);
    assert_no_panic(&r);
    assert!(!r.stdout.contains("nong_nghiep.csv"), "findings about the file:\n{}", r.stdout);
    assert_eq!(semicolon, comma, "the semicolon file does not read the same");
}

#[test]
fn no_input_panics() {
    let chain: String = (1..3000).map(|i| format!("c{i},C,con,,c{}\n", i - 1)).collect();
    // Short inputs, separated by '|'.
    let short = "|\u{feff}|\"|\n\n\r\r|,,,\n|;;;\r\n|ma\n|ma,ten,don_vi,gia_tri,\n|ma,ma,ma,ma\na,a,a,a\n";
    let texts = [
        "ma,ten,don_vi,gia_tri\na,A,ha,1\na,A,ha,1\n",
        "ma,ten,don_vi,gia_tri\na,A,ha,-0\nb,B,ha,+5\nc,C,ha,1e5\nd,D,ha,٣\ne,E,ha,−5\nf,F,ha,1.2.3\ng,G,ha,.5\nh,H,ha,5.\n",
        "ma,ten,don_vi,gia_tri,cha\na,A,ha,,b\nb,B,ha,,a\nc,C,ha,,c\nd,D,ha,1,zz\n",
        "ma,ten,don_vi,gia_tri,tong_hop\na,A,ha,1,trung_binh\n",
        "ma,ten\0,don_vi,gia_tri\na\0,A,ha,1\n",
        &format!("ma,ten,don_vi,gia_tri\na,A,ha,\"1,{}\"\n", "0".repeat(300)),
        &format!("ma,ten,don_vi,gia_tri\na,{},ha,1\n", "Ạ".repeat(400_000)),
        &format!("ma,ten,don_vi,gia_tri,cha\nc0,C,con,1,\n{chain}"),
    ];
    let bytes: [&[u8]; 3] = [b"\xfe\xff\0m\0a", b"m\0a\0,\0t\0e\0n\0", LATIN1];
    let inputs = short.split('|').chain(texts).map(str::as_bytes).chain(bytes);
    let s = Scratch::new();
    for bytes in inputs {
        s.write(CSV, bytes);
        for cmd in ["render", "check"] {
            let r = run(&s, &[cmd]);
            let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(80)]).into_owned();
            assert!(r.code == 0 || r.code == 1, "{cmd} on {shown:?}: exit {}\n{}", r.code, r.stderr);
        }
    }
}

#[test]
fn help_and_usage_errors_are_vietnamese() {
    let s = Scratch::new();
    for args in [
        &["--help"][..],
        &["render", "--help"],
        &["new-period", "--help"],
        &["serve", "--help"],
    ] {
        let h = run(&s, args);
        assert_eq!(h.code, 0, "{args:?}: {}", h.stderr);
        assert!(
            h.stdout.contains("Tùy chọn:") && h.stdout.contains("In trợ giúp"),
            "{args:?}:\n{}",
            h.stdout
        );
        for english in [
            "Options:",
            "Print help",
            "Usage:",
            "[OPTIONS]",
            "[default:",
            "Arguments:",
            "Commands:",
        ] {
            assert!(!h.stdout.contains(english), "{args:?} still says {english}:\n{}", h.stdout);
        }
    }
    let typo = run(&s, &["render", "--pgn"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("Lỗi: không có tùy chọn \"--pgn\""), "{}", typo.stderr);
    let missing = run(&s, &["render", "--period"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("--period <KỲ> cần một giá trị"), "{}", missing.stderr);
    let unknown = run(&s, &["rendr"]);
    assert!(
        unknown.code == 2 && unknown.stderr.contains("có phải ý là \"render\""),
        "{}",
        unknown.stderr
    );
}
