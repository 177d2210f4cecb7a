//! The wasm32 build in a real browser (headless Chromium, driven by
//! wasm-bindgen-test-runner through chromedriver): the golden runs come out
//! identical to the native build's, and a whole web view (every model with
//! its trace, the sweep) computes there as it does natively. Run with
//! `make test-browser`.
#![cfg(target_arch = "wasm32")]

use parallel_universe::profile::Profile;
use parallel_universe::view::run::{compute, VIEW_MAX_EVENTS};
use parallel_universe::view::ViewState;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/golden_cases.rs"]
mod golden_cases;

#[wasm_bindgen_test]
fn the_browser_reproduces_the_golden_runs() {
    golden_cases::assert_matches_golden_file();
}

#[wasm_bindgen_test]
fn a_view_computes_in_the_browser_with_traces_for_every_model() {
    let p = ViewState::from_query("preset=data-pipeline&cores=8&workers=8");
    assert!(p.notices.is_empty(), "{:?}", p.notices);
    let r = compute(&p.state, &Profile::shipped(), true, VIEW_MAX_EVENTS).unwrap();
    assert_eq!(r.runs.len(), 5);
    for run in &r.runs {
        let pred = run.outcome.as_ref().unwrap();
        let trace = pred.run.trace.as_ref().unwrap();
        assert_eq!(trace.cores, 8);
        assert!(!trace.core_spans.is_empty());
    }
    assert!(!r.sweep.is_empty() && !r.verdict.is_empty());
}
