//! The `parallel-universe` binary: its outputs other tools rely on, and clear
//! messages with non-zero exits for bad input.
#![cfg(not(target_arch = "wasm32"))]

use std::process::{Command, Output};

fn pu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parallel-universe"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = pu(args);
    assert!(o.status.success(), "{:?}: {}", args, stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)))
}

fn temp_file(name: &str, body: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("pu-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

#[test]
fn predict_json_has_the_documented_fields() {
    let v = json(&[
        "predict",
        "--preset",
        "cpu-bound",
        "--model",
        "interpreters",
        "--json",
    ]);
    for k in [
        "makespan_s",
        "speedup",
        "efficiency",
        "breakdown",
        "peak_memory_bytes",
    ] {
        assert!(v.get(k).is_some(), "missing {k}: {v}");
    }
    assert_eq!(v["cores"], 8);
    assert_eq!(v["workers"], 8);
    assert_eq!(v["python"], "3.14");
    let total: f64 = v["breakdown"]
        .as_object()
        .unwrap()
        .values()
        .map(|x| x.as_f64().unwrap())
        .sum();
    let expect = 8.0 * v["makespan_s"].as_f64().unwrap();
    assert!(
        (total - expect).abs() < 1e-6 * expect.max(1.0),
        "{total} vs {expect}"
    );
    let ft = json(&[
        "predict",
        "--preset",
        "cpu-bound",
        "--model",
        "free-threading",
        "--json",
    ]);
    assert_eq!(ft["python"], "3.14t");
    assert_eq!(ft["baseline_python"], "3.14");
}

#[test]
fn predict_json_for_servers_has_throughput_and_latency() {
    let v = json(&[
        "predict",
        "--preset",
        "web-server",
        "--model",
        "threads",
        "--json",
        "--seed",
        "7",
    ]);
    assert!(v["throughput_per_s"].as_f64().unwrap() > 0.0);
    for k in ["p50", "p95", "p99"] {
        assert!(v["latency_ms"][k].as_f64().unwrap() > 0.0, "{k}");
    }
}

#[test]
fn settings_change_the_prediction() {
    let base = json(&["predict", "--preset", "loop-100-threads", "--json"]);
    let slow = json(&[
        "predict",
        "--preset",
        "loop-100-threads",
        "--json",
        "--set",
        "thread_start=400us",
    ]);
    assert!(slow["makespan_s"].as_f64().unwrap() > 2.0 * base["makespan_s"].as_f64().unwrap());
}

#[test]
fn a_workload_file_is_read() {
    let f = temp_file(
        "w.json",
        r#"{"name": "cpu", "tasks": 64, "steps": [{"python_ms": 10.0}, {"native_ms": 0.0}, {"io_ms": 0.0}], "input_bytes": 0, "output_bytes": 0, "shared_state": 0.0, "import_ms": 0.0, "extensions": {"free_threading_safe": true, "subinterpreter_safe": true}}"#,
    );
    let v = json(&[
        "predict",
        "--workload",
        f.to_str().unwrap(),
        "--model",
        "processes",
        "--workers",
        "4",
        "--cores",
        "4",
        "--python",
        "3.13",
        "--json",
    ]);
    assert_eq!(v["workload"], "cpu");
    assert_eq!(v["start_method"], "fork");
    assert!(v["speedup"].as_f64().unwrap() > 2.0);
}

#[test]
fn sweep_covers_every_model_and_worker_count() {
    let v = json(&[
        "sweep",
        "--preset",
        "cpu-bound",
        "--workers",
        "1..64",
        "--json",
    ]);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 8 * 64);
    let table = stdout(&pu(&[
        "sweep",
        "--preset",
        "cpu-bound",
        "--workers",
        "1,2,4",
        "--python",
        "3.11",
    ]));
    assert!(table.contains("interpreters: unavailable"), "{table}");
    assert!(table.contains("free-threading: unavailable"), "{table}");
}

#[test]
fn trace_writes_json_and_draws_a_gantt_chart() {
    let out = std::env::temp_dir().join(format!("pu-trace-{}.json", std::process::id()));
    let o = pu(&[
        "trace",
        "--preset",
        "convoy",
        "--out",
        out.to_str().unwrap(),
        "--gantt",
        "--width",
        "60",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let chart = stdout(&o);
    assert!(
        chart.contains("core   0 |") && chart.contains("gil    0 |"),
        "{chart}"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(!doc["trace"]["core_spans"].as_array().unwrap().is_empty());
    assert!(!doc["trace"]["gil_spans"].as_array().unwrap().is_empty());
    let _ = std::fs::remove_file(out);
}

#[test]
fn presets_and_profile_show_list_everything() {
    let list = stdout(&pu(&["presets"]));
    for p in parallel_universe::presets::PRESETS {
        assert!(list.contains(p.name));
    }
    let prof = stdout(&pu(&["profile", "show"]));
    for p in parallel_universe::profile::PARAMETERS {
        assert!(prof.contains(p.name), "{} missing", p.name);
    }
    // The shipped profile is measured, with cited free-threading figures;
    // the published one keeps its estimates marked as such.
    assert!(prof.contains("measured:") && prof.contains("published:"));
    let published = stdout(&pu(&["profile", "show", "profiles/published.json"]));
    assert!(published.contains("ESTIMATE"));
    let resolved = stdout(&pu(&["profile", "show", "--python", "3.13t"]));
    assert!(
        resolved.contains("ft_overhead") && resolved.contains("0.4"),
        "{resolved}"
    );
}

#[test]
fn help_works_for_every_command() {
    for cmd in [
        vec!["--help"],
        vec!["predict", "--help"],
        vec!["sweep", "--help"],
        vec!["compare", "--help"],
        vec!["trace", "--help"],
        vec!["presets", "--help"],
        vec!["profile", "show", "--help"],
    ] {
        let o = pu(&cmd);
        assert!(o.status.success(), "{cmd:?}");
        assert!(stdout(&o).contains("Usage"), "{cmd:?}");
    }
}

fn fails_with(args: &[&str], needle: &str) {
    let o = pu(args);
    assert!(!o.status.success(), "{args:?} succeeded");
    let err = stderr(&o);
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
}

#[test]
fn bad_input_gives_a_clear_message_and_a_non_zero_exit() {
    fails_with(&["predict", "--preset", "nope"], "unknown preset");
    fails_with(
        &["predict", "--preset", "cpu-bound", "--model", "fibers"],
        "unknown model",
    );
    fails_with(
        &["predict", "--preset", "cpu-bound", "--cores", "0"],
        "cores must be between",
    );
    fails_with(
        &["predict", "--preset", "cpu-bound", "--workers", "0"],
        "workers must be between",
    );
    fails_with(
        &["predict", "--preset", "cpu-bound", "--python", "2.7"],
        "unknown Python version",
    );
    fails_with(
        &[
            "predict",
            "--preset",
            "cpu-bound",
            "--start-method",
            "vfork",
        ],
        "unknown start method",
    );
    fails_with(
        &["predict", "--workload", "/nonexistent/w.json"],
        "cannot read workload",
    );
    fails_with(&["predict"], "--workload FILE or --preset NAME");
    fails_with(
        &["sweep", "--preset", "cpu-bound", "--workers", "5..2"],
        "--workers",
    );
    fails_with(
        &["sweep", "--preset", "cpu-bound", "--workers", "1..99999"],
        "--workers",
    );
    fails_with(
        &[
            "predict",
            "--preset",
            "cpu-bound",
            "--model",
            "interpreters",
            "--python",
            "3.11",
        ],
        "per-interpreter GIL",
    );
    let bad = temp_file("bad.json", r#"{"tasks": 4, "steps": [{"python_ms": -1}]}"#);
    fails_with(
        &["predict", "--workload", bad.to_str().unwrap()],
        "steps[0].python_ms: must be at least 0",
    );
    let garbage = temp_file("garbage.json", "{not json");
    fails_with(
        &["predict", "--workload", garbage.to_str().unwrap()],
        "not valid JSON",
    );
    let prof = temp_file(
        "p.json",
        r#"{"format": "parallel-universe/profile@1", "parameters": [{"name": "switch_interval", "value": 5, "unit": "parsecs", "provenance": {"kind": "published", "source": "x"}}]}"#,
    );
    fails_with(
        &[
            "predict",
            "--preset",
            "cpu-bound",
            "--profile",
            prof.to_str().unwrap(),
        ],
        "parameters[0].unit",
    );
    fails_with(
        &["profile", "show", prof.to_str().unwrap()],
        "parameters[0].unit",
    );
    fails_with(&["trace", "--preset", "cpu-bound"], "--out");
    fails_with(
        &[
            "predict",
            "--preset",
            "cpu-bound",
            "--set",
            "thread_start=4parsecs",
        ],
        "--set thread_start=4parsecs",
    );
    fails_with(
        &["predict", "--preset", "cpu-bound", "--set", "warp=1ms"],
        "unknown parameter",
    );
}

#[test]
fn compare_names_the_winner_with_numbers() {
    let o = pu(&["compare", "--preset", "cpu-bound"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("the fastest model is"), "{text}");
    assert!(text.contains("waiting for a GIL"), "{text}");
    let v = json(&[
        "compare",
        "--preset",
        "web-server",
        "--python",
        "3.11",
        "--json",
    ]);
    assert!(v["verdict"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l.as_str().unwrap().contains("keep up")));
    assert_eq!(v["unavailable"].as_array().unwrap().len(), 3);
    assert_eq!(v["predictions"].as_array().unwrap().len(), 5);
}
