// Scenarios whose results both the native and the wasm32 builds must
// reproduce bit for bit (tests/golden.rs and tests/wasm_golden.rs).

use parallel_universe::model::Model;
use parallel_universe::predict::costs_for;
use parallel_universe::presets::PRESETS;
use parallel_universe::profile::Profile;
use parallel_universe::sim::{run, RunOptions, Scenario, SimError};

/// One line per case: name, makespan, peak memory, events and trace digest.
pub fn golden_lines() -> Vec<String> {
    let profile = Profile::shipped();
    let models = Model::ALL;
    let mut lines = Vec::new();
    for p in PRESETS {
        let w = p.workload();
        for m in models {
            let s = Scenario {
                workers: 4,
                cores: 4,
                threads_per_worker: 2,
                seed: 42,
                ..Scenario::new(m)
            };
            let line = match parallel_universe::sim::Setup::resolve(&s, &w) {
                Ok(setup) => {
                    let costs = costs_for(&profile, setup.python).expect("costs");
                    match run(
                        &s,
                        &w,
                        &costs,
                        RunOptions {
                            trace: true,
                            ..RunOptions::default()
                        },
                    ) {
                        Ok(r) => format!(
                            "{} {} makespan_ns={} peak={} events={} digest={:016x}",
                            p.name,
                            m,
                            r.makespan_ns,
                            r.peak_memory_bytes,
                            r.events,
                            r.trace.map(|t| t.digest()).unwrap_or(0)
                        ),
                        Err(e) => format!("{} {} error={}", p.name, m, e),
                    }
                }
                Err(SimError::Unavailable(_)) => format!("{} {} unavailable", p.name, m),
                Err(e) => format!("{} {} error={}", p.name, m, e),
            };
            lines.push(line);
        }
    }
    lines
}

/// The golden file's lines against this build's, one by one (the wasm32
/// tests; the native test also rewrites the file on request).
#[cfg(target_arch = "wasm32")]
pub fn assert_matches_golden_file() {
    let expected = include_str!("../golden/runs.txt");
    let now = golden_lines();
    assert_eq!(expected.lines().count(), now.len());
    for (a, b) in expected.lines().zip(now.iter()) {
        assert_eq!(a, b);
    }
}
