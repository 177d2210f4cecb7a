//! The wasm32 build reproduces the golden runs the native build checks
//! (tests/golden.rs): same inputs and seed, same numbers and traces.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test;

#[path = "common/golden_cases.rs"]
mod golden_cases;

#[wasm_bindgen_test]
fn wasm_results_match_the_golden_file() {
    golden_cases::assert_matches_golden_file();
}
