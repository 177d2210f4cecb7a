//! The examples in docs/formats.md and README.md are valid documents.
#![cfg(not(target_arch = "wasm32"))]

use parallel_universe::profile::Profile;
use parallel_universe::workload::Workload;

fn json_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in text.lines() {
        match (&mut cur, line.trim_start()) {
            (None, "```json") => cur = Some(String::new()),
            (Some(_), "```") => out.push(cur.take().unwrap_or_default()),
            (Some(b), l) => {
                b.push_str(l);
                b.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[test]
fn documented_examples_parse() {
    let mut workloads = 0;
    let mut profiles = 0;
    for file in ["docs/formats.md", "README.md"] {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + file)
                .unwrap();
        for block in json_blocks(&text) {
            let v: serde_json::Value =
                serde_json::from_str(&block).unwrap_or_else(|e| panic!("{file}: {e}\n{block}"));
            if v["format"] == "parallel-universe/accuracy@1" {
                parallel_universe::calibrate::validate::read_report(&block)
                    .unwrap_or_else(|e| panic!("{file}: {e}\n{block}"));
            } else if v.get("format").is_some() {
                Profile::from_value(&v).unwrap_or_else(|e| panic!("{file}: {e}\n{block}"));
                profiles += 1;
            } else if v.get("steps").is_some() || v.get("groups").is_some() {
                Workload::from_value(&v).unwrap_or_else(|e| panic!("{file}: {e}\n{block}"));
                workloads += 1;
            }
        }
    }
    assert!(
        workloads >= 3 && profiles >= 2,
        "{workloads} workloads, {profiles} profiles"
    );
}
