//! The integration tests: one binary (as ripgrep and mdBook do), one module per area,
//! shared helpers in `common` (a scratch copy of the project, the real binary) and
//! `server` (the real `baocao serve` and a small HTTP client). Every test runs the real
//! program in its own process on its own scratch folder, so tests share no state.

mod common;
/// The loopback HTTP client of the `serve_load` bench (one request per connection).
#[path = "../benches/common/http.rs"]
mod http;
mod server;

mod audit;
mod bad_input;
mod browser;
mod browser_merge;
mod browser_paint;
mod browser_word;
mod cycle;
mod education;
mod escaping;
mod fragments;
mod fuzz_props;
mod import;
mod indicator_table;
mod issuance;
mod layout;
mod messages;
mod month;
mod month_page;
mod own_text;
mod periods;
mod render;
mod report_type_page;
mod report_types;
mod seed_types;
mod serve_auth;
mod serve_hardening;
mod serve_http;
mod serve_tls;
mod versions;
mod workflow;
mod xlsx;
