//! Speed of the core in WebAssembly, which the web app runs on one thread:
//! a full sweep (8 models x 64 worker counts) of the CPU-bound and
//! web-server presets. Reports, asserts nothing; run with `make bench-wasm`
//! (Node) and read the printed lines.
#![cfg(target_arch = "wasm32")]

use parallel_universe::model::Model;
use parallel_universe::predict::sweep;
use parallel_universe::presets;
use parallel_universe::profile::Profile;
use parallel_universe::sim::Scenario;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

#[wasm_bindgen_test]
fn full_sweep_speed() {
    let profile = Profile::shipped();
    let workers: Vec<u32> = (1..=64).collect();
    for preset in ["cpu-bound", "web-server"] {
        let w = presets::get(preset).unwrap().workload();
        let s = Scenario::new(Model::Threads);
        // Warm up once, then take the best of five.
        sweep(&s, &w, &profile, &Model::ALL, &workers).unwrap();
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t0 = js_sys::Date::now();
            sweep(&s, &w, &profile, &Model::ALL, &workers).unwrap();
            best = best.min(js_sys::Date::now() - t0);
        }
        console_log!("wasm32 full sweep, {preset}: {best:.1} ms (best of 5)");
    }
}
