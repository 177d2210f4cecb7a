//! Real programs this project timed on its own machine, predicted with the
//! shipped profile (which was measured on the same machine). Today one:
//! the Michi Go engine's tree search (reports/michi.json, written by
//! `make michi`, see calibrate/michi.py), whose per-playout costs the
//! instrumented one-thread run supplies. Its other runs, N GIL threads and
//! N processes, are the checks: each speedup over the one-thread run must
//! land within 25% of the measured one.
#![cfg(not(target_arch = "wasm32"))]

use parallel_universe::model::Model;
use parallel_universe::predict::predict;
use parallel_universe::profile::Profile;
use parallel_universe::python::PythonVersion;
use parallel_universe::sim::Scenario;
use parallel_universe::workload::Workload;
use serde_json::Value;

fn report() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/reports/michi.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn michi_under_threads_and_processes_is_predicted_within_25_percent() {
    let r = report();
    let workload = Workload::from_value(&r["workload"]).expect("the report's workload");
    let cores = r["machine"]["cores"].as_u64().expect("machine.cores") as u32;
    let workers = r["workers"].as_u64().expect("workers") as u32;
    let version = r["python"].as_str().expect("python");
    let minor: String = version.split('.').take(2).collect::<Vec<_>>().join(".");
    let python: PythonVersion = minor.parse().expect("a known Python version");
    assert_eq!(r["gil_enabled"], Value::Bool(true), "a GIL build's run");
    let profile = Profile::shipped();
    let simulated = |model: Model, n: u32| {
        let s = Scenario {
            model,
            workers: n,
            cores,
            python,
            ..Scenario::new(model)
        };
        predict(&s, &workload, &profile)
            .unwrap_or_else(|e| panic!("{model} x{n}: {e}"))
            .makespan_s
    };
    let wall = |key: &str| {
        r["wall_s"][key]
            .as_f64()
            .unwrap_or_else(|| panic!("wall_s.{key}"))
    };
    let (measured_one, simulated_one) = (wall("threads x1"), simulated(Model::Threads, 1));
    println!(
        "michi on {} ({} cores), Python {version}, {}: one pool thread measured {measured_one:.2} s, simulated {simulated_one:.2} s",
        r["machine"]["cpu"].as_str().unwrap_or("?"),
        cores,
        r["date"].as_str().unwrap_or("?")
    );
    let mut failures = Vec::new();
    for model in [Model::Threads, Model::Processes] {
        let key = format!("{} x{workers}", model.name());
        let measured = measured_one / wall(&key);
        let predicted = simulated_one / simulated(model, workers);
        let err = predicted / measured - 1.0;
        println!(
            "{key}: measured {measured:.3}x, predicted {predicted:.3}x ({:+.1}%)",
            err * 100.0
        );
        if err.abs() > 0.25 {
            failures.push(format!("{key}: {:+.1}%", err * 100.0));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("; "));
}
