//! The native build reproduces tests/golden/runs.txt exactly; the wasm32
//! build checks the same file (tests/wasm_golden.rs), so both give the same
//! numbers. Regenerate after an intended model change with
//! `UPDATE_GOLDEN=1 cargo test --test golden` and say why in the commit.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/golden_cases.rs"]
mod golden_cases;

#[test]
fn native_results_match_the_golden_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/runs.txt");
    let now = golden_cases::golden_lines().join("\n") + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &now).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).expect("tests/golden/runs.txt exists");
    for (a, b) in expected.lines().zip(now.lines()) {
        assert_eq!(
            a, b,
            "a run changed; if intended, regenerate with UPDATE_GOLDEN=1"
        );
    }
    assert_eq!(expected.lines().count(), now.lines().count());
}
