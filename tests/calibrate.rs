//! The calibration harness and the accuracy suite, end to end, on the
//! machine's own `python3` (Debian's 3.11 on the project's machines): quick
//! runs, so the figures are noisy and only their shape is checked here; the
//! shipped profile and the kept accuracy report come from full runs.
#![cfg(not(target_arch = "wasm32"))]

use parallel_universe::profile::{Profile, Provenance};
use serde_json::Value;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_parallel-universe"))
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("pu-calibrate-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn calibrate_quick_writes_a_profile_with_provenance() {
    let out = tmp("quick-profile.json");
    let (code, stdout, stderr) = run(&[
        "calibrate",
        "--python",
        "python3",
        "--quick",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    // Progress went to standard error, one line per benchmark.
    assert!(stderr.contains("[1/"), "{stderr}");
    assert!(stdout.contains("measured figures"), "{stdout}");
    let text = std::fs::read_to_string(&out).unwrap();
    let p = Profile::from_json(&text).unwrap();
    let machine = p.machine.clone().expect("machine recorded");
    assert!(machine.cores >= 1);
    // Thread start-up is measured on every CPython, with full provenance.
    let ts = p
        .parameters
        .iter()
        .find(|e| e.name == "thread_start" && e.python.is_some())
        .expect("thread_start entry");
    match &ts.provenance {
        Provenance::Measured {
            interpreter,
            build,
            machine,
            date,
            repeats,
            spread,
            ..
        } => {
            assert!(interpreter.starts_with("3."), "{interpreter}");
            assert_eq!(build, "default");
            assert!(machine.contains("logical CPUs"));
            assert_eq!(date.len(), 10);
            assert!(*repeats >= 3);
            assert!(*spread >= 0.0);
            assert!(ts.value.unwrap() > 0.0);
        }
        // Quick runs are noisy: a refusal is allowed, but it must say why.
        Provenance::Unavailable { reason } => assert!(reason.contains("spread"), "{reason}"),
        other => panic!("thread_start: {other:?}"),
    }
    // Free-threading figures cannot come from a GIL build: carried over, cited.
    let ft = p
        .parameters
        .iter()
        .find(|e| e.name == "ft_overhead")
        .unwrap();
    assert!(matches!(ft.provenance, Provenance::Published { .. }));
    // Contention needs a free-threaded build: recorded as unavailable, with why.
    assert!(p.parameters.iter().any(|e| e.name == "contention"
        && matches!(&e.provenance, Provenance::Unavailable { reason } if reason.contains("free-threaded"))));
    // The profile is usable: every version resolves, the measured ones first.
    for v in parallel_universe::python::KNOWN_VERSIONS {
        p.costs(v).unwrap();
    }
    // And `profile show` prints it.
    let (code, shown, _) = run(&["profile", "show", out.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(shown.contains("measured: Python 3."), "{shown}");
}

#[test]
fn calibrate_only_one_benchmark_updates_the_base_profile() {
    let out = tmp("updated-profile.json");
    let (code, stdout, stderr) = run(&[
        "calibrate",
        "--python",
        "python3",
        "--quick",
        "--only",
        "handover",
        "--base",
        "profiles/default.json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("[1/1]"), "one benchmark only: {stderr}");
    assert!(stdout.contains("measured again"), "{stdout}");
    let base = Profile::from_json(include_str!("../profiles/default.json")).unwrap();
    let p = Profile::from_json(&std::fs::read_to_string(&out).unwrap()).unwrap();
    // Everything the benchmark does not measure is the base's, unchanged.
    let handover = [
        "thread_handover",
        "interpreter_handover",
        "process_handover",
        "process_collect",
        "thread_after_wait",
        "interpreter_after_wait",
        "process_after_wait",
    ];
    let rest = |p: &Profile| -> Vec<String> {
        p.parameters
            .iter()
            .filter(|e| !handover.contains(&e.name.as_str()))
            .map(|e| format!("{e:?}"))
            .collect()
    };
    assert_eq!(rest(&p), rest(&base));
    assert_eq!(p.observations, base.observations);
    // A process pool's hand-over is measured on every CPython with fork
    // (or refused as noisy, saying why).
    let latest = p
        .parameters
        .iter()
        .filter(|e| e.name == "process_handover")
        .filter_map(|e| match &e.provenance {
            Provenance::Measured { date, .. } => Some(date.clone()),
            _ => None,
        })
        .max()
        .unwrap();
    assert!(
        latest == parallel_universe::calibrate::today() || stdout.contains("process_handover"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&[
        "calibrate",
        "--python",
        "python3",
        "--only",
        "nosuch",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no such benchmark"), "{stderr}");
}

#[test]
fn calibrate_rejects_bad_input_before_measuring() {
    let out = tmp("never.json");
    for (args, expect) in [
        (
            vec!["calibrate", "--python", "/nonexistent/python", "--out"],
            "no such file",
        ),
        (
            vec!["calibrate", "--python", "no-such-python-here", "--out"],
            "not found on PATH",
        ),
        (
            vec!["calibrate", "--python", "/bin/true", "--out"],
            "printed nothing",
        ),
    ] {
        let mut args = args;
        args.push(out.to_str().unwrap());
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
    }
    assert!(!out.exists() || std::fs::read_to_string(&out).unwrap().is_empty());
    let (code, _, stderr) = run(&[
        "calibrate",
        "--python",
        "python3",
        "--out",
        "/nonexistent-dir/p.json",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--out"), "{stderr}");
}

#[test]
fn validate_quick_then_replay() {
    let report = tmp("accuracy.json");
    let md = tmp("accuracy.md");
    let (code, stdout, stderr) = run(&[
        "validate",
        "--python",
        "python3",
        "--quick",
        "--cases",
        "cpu,io",
        "--workers",
        "2",
        "--out",
        report.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("median absolute error"), "{stdout}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["format"], "parallel-universe/accuracy@1");
    let rows = v["rows"].as_array().unwrap();
    // cpu and io, each under threads, asyncio and every start method at 2 workers.
    assert!(rows.len() >= 2 * 3, "{rows:?}");
    for r in rows {
        let m = r["measured_speedup"].as_f64().unwrap();
        let p = r["predicted_speedup"].as_f64().unwrap();
        assert!(m > 0.0 && p > 0.0, "{r}");
        let err = r["error"].as_f64().unwrap();
        assert!((p / m - 1.0 - err).abs() < 1e-9);
    }
    // Every run says what its work cost while it ran: the Python step's
    // thread CPU time and the wait's wall time, per repeat.
    for m in v["measurements"].as_array().unwrap() {
        let repeats = m["wall_s"].as_array().unwrap().len();
        let (cpu, io) = (&m["run_cpu_ms"], &m["run_io_ms"]);
        if m["case"] == "cpu" {
            assert_eq!(cpu.as_array().map(Vec::len), Some(repeats), "{m}");
            assert!(cpu[0].as_f64().unwrap() > 0.0, "{m}");
            assert!(io.is_null(), "{m}");
        } else {
            // The io case's 20 ms sleeps end no earlier than asked.
            assert!(cpu.is_null(), "{m}");
            assert!(io[0].as_f64().unwrap() >= 20.0, "{m}");
        }
    }
    // Sleeping tasks overlap under threads; the simulator must say so too.
    let io_threads = rows
        .iter()
        .find(|r| r["case"] == "io" && r["model"] == "threads")
        .unwrap();
    assert!(io_threads["measured_speedup"].as_f64().unwrap() > 1.5);
    assert!(io_threads["predicted_speedup"].as_f64().unwrap() > 1.5);
    assert!(std::fs::read_to_string(&md)
        .unwrap()
        .contains("| case | model |"));

    // Replay under another profile re-predicts without running Python.
    let (code, stdout, stderr) = run(&[
        "validate",
        "--replay",
        report.to_str().unwrap(),
        "--profile",
        "profiles/published.json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("published figures"), "{stdout}");

    // A damaged report is refused with a message.
    let bad = tmp("bad-report.json");
    let mut broken = v.clone();
    broken["measurements"][0]["wall_s"] = serde_json::json!([-1.0]);
    std::fs::write(&bad, broken.to_string()).unwrap();
    let (code, _, stderr) = run(&["validate", "--replay", bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("wall_s"), "{stderr}");
    std::fs::write(&bad, "{}").unwrap();
    let (code, _, stderr) = run(&["validate", "--replay", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not an accuracy report"), "{stderr}");
}
