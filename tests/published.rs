//! The simulator against published end-to-end measurements (the table in
//! ../shared/design/simulation-model.md), with the published-figures profile
//! (profiles/published.json: those runs were on other machines, so this
//! machine's measured profile is not the one to hold them to) and each
//! source's core count. Three kinds of value differ per source, each derived
//! from the source's own figures: its machine's all-core speed (from one of
//! its rows, which the case marks as calibrating it), for pool-party's
//! nogil-3.12 column that build's single-thread overhead (from its
//! nogil-sequential column), and for thesis-benchmarks' macOS iMac the
//! parent's time inside Process.start() with spawn (from its ten spawns at
//! once computing pi to 200 digits, a row the design notes leave out).
//!
//! Every case names its source and how its workload was read off the
//! benchmark's code. A case's speedup is its reference time over its time:
//! the sequential run where the source has one, otherwise the source's
//! GIL-threads run (which the GIL makes equivalent to sequential). Where the
//! source published several runs of the same benchmark (pool-party's git
//! history), the published speedup is the range over them, and the nearest
//! end counts. Every case
//! must match the published direction (faster or slower than the
//! reference); cases marked `Within25` must also land within 25% of the
//! published speedup. Cases the model does not yet reach are marked
//! `DirectionOnly` (or, where even the direction is missed, `Miss`) with the
//! reason, so that each gap stays visible here, in the printed report and in
//! the issue tracker instead of being hidden by a looser band.
#![cfg(not(target_arch = "wasm32"))]

use parallel_universe::model::{Model, StartMethod};
use parallel_universe::predict::{costs_for, predict};
use parallel_universe::profile::{Entry, Profile, Provenance};
use parallel_universe::python::PythonVersion;
use parallel_universe::sim::{run, RunOptions, Scenario};
use parallel_universe::workload::Workload;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Band {
    /// Direction and within 25% of the published speedup.
    Within25,
    /// Direction only, for the reason given.
    DirectionOnly(&'static str),
    /// A known miss, reported but not asserted, for the reason given.
    Miss(&'static str),
}

/// One published time to reproduce.
struct Run {
    model: Model,
    /// Published seconds (low and high ends when the source gives a range).
    lo: f64,
    hi: f64,
    band: Band,
    /// The workload as this model's code runs it, when it differs.
    workload: Option<&'static str>,
    /// The source's other runs of the same benchmark and configuration, as
    /// (reference seconds, this model's seconds): the published speedup is
    /// then the range over every run.
    also: Vec<(f64, f64)>,
}

fn r(model: Model, secs: f64, band: Band) -> Run {
    Run {
        model,
        lo: secs,
        hi: secs,
        band,
        workload: None,
        also: Vec::new(),
    }
}

struct Case {
    source: &'static str,
    label: &'static str,
    workload: &'static str,
    cores: u32,
    python: PythonVersion,
    start_method: Option<StartMethod>,
    per_task: bool,
    workers: u32,
    reference: (Model, f64),
    runs: Vec<Run>,
    /// Profile values for the source's machine and build, each derived from
    /// one of the source's own rows (which the case then marks as
    /// calibrating it) or from the source's other published columns.
    machine: Vec<(&'static str, Option<PythonVersion>, f64)>,
}

fn profile_for(case: &Case) -> Profile {
    with_machine(Profile::published(), &case.machine, case.source)
}

/// `p` with a source's machine values, each in its parameter's own unit.
/// The published profile takes memory-bound work's all-core speed equal to
/// the compute one; a source's all-core speed sets both.
fn with_machine(
    mut p: Profile,
    machine: &[(&'static str, Option<PythonVersion>, f64)],
    source: &str,
) -> Profile {
    let mut machine = machine.to_vec();
    for &(name, python, value) in machine.clone().iter() {
        if name == "all_core_speed" {
            machine.push(("all_core_memory_speed", python, value));
        }
    }
    for &(name, python, value) in &machine {
        let unit = p
            .parameters
            .iter()
            .find(|e| e.name == name)
            .map_or_else(|| "ratio".to_string(), |e| e.unit.clone());
        p.parameters
            .retain(|e| !(e.name == name && e.python == python));
        p.parameters.push(Entry {
            name: name.to_string(),
            python,
            value: Some(value),
            unit,
            provenance: Provenance::Published {
                source: source.to_string(),
                note: None,
            },
        });
    }
    p
}

fn sim_time(case: &Case, model: Model, workload: &str, profile: &Profile) -> f64 {
    let w = Workload::from_json(workload).unwrap_or_else(|e| panic!("{}: {e}", case.label));
    let s = Scenario {
        model,
        workers: case.workers,
        threads_per_worker: 1,
        cores: case.cores,
        python: case.python,
        start_method: case.start_method,
        seed: 0,
        per_task: case.per_task,
    };
    let setup = parallel_universe::sim::Setup::resolve(&s, &w)
        .unwrap_or_else(|e| panic!("{}: {e}", case.label));
    let costs = costs_for(profile, setup.python).unwrap();
    let r = run(&s, &w, &costs, RunOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", case.label));
    r.makespan_ns as f64 / 1e9
}

const DATA_PASS_FT: &str = "sixteen free-threaded threads barely used more than one core (115% CPU in c5f0271; 1.26 s against 0.89 s for the same build's sequential run): each task builds a 512 KB list in fresh memory that the caller keeps, and the kernel's page faults and mappings within one process do not scale with threads; the model has no such per-process serialization and treats the work as Python";
const CALIBRATES: &str = "this row calibrates the source machine's all-core speed";
const CALIBRATES_SPAWN: &str =
    "this row calibrates the source machine's time inside Process.start() with spawn";
const MICHI: &str = "GIL threads took 50.5 s, far above serial speed (processes on 6 cores took 4.7 s); on this project's 2-vCPU VM with CPython 3.14, michi through 2 GIL threads took 47.0 s against 47.7 s through one (reports/michi.json, 2026-12-07; tests/programs.rs predicts it within 2%; an earlier day's runs there took 55-60 s against 48.9 s), and a switch interval ten times shorter cost about 30 us per added switch, near the profile's hand-off: the Ryzen's slow-down comes from something this VM does not show, so the speedups over those threads come out about half the published ones";

/// An earlier run of a pool-party benchmark in the source's git history,
/// with the same benchmark code, pool types and worker count (16, the
/// machine's CPU count): wall seconds for sequential code, GIL threads
/// (`multiprocessing.pool.ThreadPool`), processes, the two sub-interpreter
/// pools and, where that run had one, free-threaded threads on nogil-3.12.
struct Earlier {
    seq: f64,
    threads: f64,
    procs: f64,
    interp: (f64, f64),
    ft: Option<f64>,
}

/// One mdboom/pool-party benchmark. Its machine ran every core at about 0.56
/// of a lone core's speed when all were busy: 3.91 s of fib over 8 cores took
/// 0.88 s with processes (that row calibrates it). Its free-threaded column
/// ran nogil-3.12, whose single-thread overhead on each benchmark is its own
/// nogil-sequential time over the GIL build's, less one (clamped at 0).
#[allow(clippy::too_many_arguments)]
fn pool_party(
    label: &'static str,
    workload: &'static str,
    seq: f64,
    threads: f64,
    procs: f64,
    interp: (f64, f64),
    ft: f64,
    nogil_overhead: f64,
    bands: [Band; 4],
    earlier: &[Earlier],
) -> Case {
    use Model::*;
    let also = |pick: fn(&Earlier) -> Vec<f64>| -> Vec<(f64, f64)> {
        earlier
            .iter()
            .flat_map(|e| pick(e).into_iter().map(move |t| (e.seq, t)))
            .collect()
    };
    Case {
        source: "mdboom/pool-party (results JSON), Linux, 8 cores / 16 hardware threads, 16 workers, multiprocessing.Pool with fork",
        label,
        workload,
        cores: 8,
        python: PythonVersion::gil(13),
        start_method: Some(StartMethod::Fork),
        per_task: false,
        workers: 16,
        reference: (Sequential, seq),
        runs: vec![
            Run { also: also(|e| vec![e.threads]), ..r(Threads, threads, bands[0]) },
            Run { also: also(|e| vec![e.procs]), ..r(Processes, procs, bands[1]) },
            Run {
                lo: interp.0,
                hi: interp.1,
                also: also(|e| vec![e.interp.0, e.interp.1]),
                ..r(Interpreters, interp.0, bands[2])
            },
            Run { also: also(|e| e.ft.into_iter().collect()), ..r(FreeThreading, ft, bands[3]) },
        ],
        machine: vec![("all_core_speed", None, 0.56), ("ft_overhead", Some(PythonVersion::ft(13)), nogil_overhead)],
    }
}

/// One tonybaloney/thesis-benchmarks bm_parallel.py run on its 4-core iMac
/// (CPython 3.12.0a7+, macOS): ten workers started at once, one per task,
/// each computing pi to some digits. `times` are the GIL-threads,
/// sub-interpreters and processes (spawn) seconds of `file`, its pyperf
/// means. `spawn_start` is that machine's time inside Process.start()
/// ([`imac_spawn_start_ms`]).
fn thesis_pi(
    label: &'static str,
    file: &'static str,
    python_ms: f64,
    times: (f64, f64, f64),
    processes: Band,
    spawn_start: f64,
) -> Case {
    use Model::*;
    let (threads, interpreters, procs) = times;
    let json = |import_ms: f64| -> &'static str {
        Box::leak(
            format!(r#"{{"name": "pi", "tasks": 10, "steps": [{{"python_ms": {python_ms}}}], "import_ms": {import_ms}}}"#)
                .into_boxed_str(),
        )
    };
    Case {
        source: Box::leak(
            format!("tonybaloney/thesis-benchmarks bm_parallel.py ({file}), CPython 3.12.0a7+, macOS, 4-core iMac")
                .into_boxed_str(),
        ),
        label,
        workload: json(2.0),
        cores: 4,
        python: PythonVersion::gil(12),
        start_method: Some(StartMethod::Spawn),
        per_task: true,
        workers: 10,
        reference: (Threads, threads),
        machine: vec![("spawn_start", None, spawn_start)],
        runs: vec![
            Run { workload: Some(json(45.0)), ..r(Processes, procs, processes) },
            r(Interpreters, interpreters, Band::Within25),
        ],
    }
}

/// The iMac's time inside Process.start() with spawn, derived from its
/// ten spawns at once in bm_parallel_200.json (0.300 s against 36.3 ms for
/// ten GIL threads): the value for which the simulator reproduces that
/// speedup, found by bisection (about 9.5 ms). The published profile's
/// 1.5 ms is an estimate (this project measures 0.5 to 0.65 ms on Linux).
/// Ten spawns at once took the iMac longer than ten single spawns' cost
/// spread over four cores; the source does not say why, and the simulator
/// puts the difference where a spawn serializes, in the parent.
fn imac_spawn_start_ms() -> f64 {
    let speedup = |ms: f64| {
        let case = thesis_pi(
            "",
            "bm_parallel_200.json",
            3.55,
            (0.0363, 0.0395, 0.300),
            Band::Within25,
            ms,
        );
        let profile = profile_for(&case);
        let (model, _) = case.reference;
        let reference = sim_time(&case, model, case.workload, &profile);
        reference
            / sim_time(
                &case,
                Model::Processes,
                case.runs[0].workload.unwrap(),
                &profile,
            )
    };
    let target = 0.0363 / 0.300;
    // More time in the parent per start only slows the ten starts down.
    let (mut lo, mut hi) = (0.0, 100.0);
    assert!(speedup(lo) > target && speedup(hi) < target);
    for _ in 0..40 {
        let mid = (lo + hi) / 2.0;
        if speedup(mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

fn cases() -> Vec<Case> {
    use Band::*;
    use Model::*;
    let py312 = PythonVersion::gil(12);
    let imac = imac_spawn_start_ms();
    let mut v = vec![
        Case {
            source: "V. Stinner, python-dev 2020-05-05, 'PoC: Subinterpreters 4x faster than sequential execution or threads on CPU-bound workaround'",
            label: "factorial(50000) x 4, 4 CPUs",
            // 1.99 s sequential for 4 tasks: 0.4975 s of bigint work each.
            workload: r#"{"name": "factorial", "tasks": 4, "steps": [{"python_ms": 497.5}]}"#,
            cores: 4,
            python: py312,
            start_method: Some(StartMethod::Fork),
            per_task: false,
            workers: 4,
            reference: (Sequential, 1.99),
            runs: vec![
                r(Threads, 3.15, DirectionOnly("pyperf reported 3.15 s +- 0.97 s on an experimental build with pymalloc and free lists disabled; the same post's other runs show the slow-down growing with the thread count (2 threads 1.08 s against 1.00 s sequential, 8 threads on 4 cores with Hyper-Threading 9.91 s against 4.01 s), while the model's GIL hand-offs every switch interval cost about 1% however many threads wait")),
                r(Processes, 0.560, DirectionOnly(CALIBRATES)),
                r(Interpreters, 0.583, Within25),
            ],
            // A 4-core laptop: 0.4975 s tasks on 4 busy cores took 0.56 s
            // with processes (that row calibrates it).
            machine: vec![("all_core_speed", None, 0.9)],
        },
        // thesis-benchmarks bm_parallel.py, each file's pyperf means (the
        // design notes round them). Ten GIL threads' time less what the
        // simulator charges for starting ten threads and handing the GIL
        // over (0.75 ms) gives each task's Python: 237 ms for pi to 2000
        // digits, 0.11 ms for 20 and 3.55 ms for 200. A spawned child
        // re-imports the benchmark's main module (pyperf, multiprocessing:
        // about 45 ms as in bm_bare); a sub-interpreter runs a source string
        // that imports only itertools.
        thesis_pi(
            "pi to 2000 digits x 10, a worker per task",
            "test3.json",
            237.0,
            (2.37, 0.629, 0.887),
            Within25,
            imac,
        ),
        // Pi to 20 digits under processes is, like the calibrating pi to
        // 200 row below, ten spawns with under 1% of Python: it checks
        // little beyond the two sessions agreeing (and took longer, 0.347 s
        // against 0.300 s, with less work).
        thesis_pi(
            "pi to 20 digits x 10, a worker per task",
            "bm_parallel_20.json",
            0.11,
            (0.00185, 0.0310, 0.347),
            Within25,
            imac,
        ),
        thesis_pi(
            "pi to 200 digits x 10, a worker per task",
            "bm_parallel_200.json",
            3.55,
            (0.0363, 0.0395, 0.300),
            DirectionOnly(CALIBRATES_SPAWN),
            imac,
        ),
        // pool-party: sequential seconds / 64 tasks give each task's time.
        // Its sub-interpreter pools run multiprocessing's worker loop inside
        // every sub-interpreter, which therefore imports multiprocessing.pool:
        // 28 ms with `python3.13 -X importtime` on this project's VM
        // (import_ms; a forked pool inherits the import instead).
        pool_party(
            "pool-party fib(28) x 64",
            r#"{"name": "fib", "tasks": 64, "steps": [{"python_ms": 61.1}], "input_bytes": 5, "output_bytes": 5, "import_ms": 28.0}"#,
            3.91, 3.79, 0.88, (1.21, 1.62), 0.71, 0.0,
            [Within25, DirectionOnly(CALIBRATES), Within25, Within25],
            &[],
        ),
        // fib2: every call does self.x += 1 through the class's shared
        // attribute machinery; the free-threaded row calibrates the profile's
        // contention constant (shared_state 1).
        pool_party(
            "pool-party fib2 x 64",
            r#"{"name": "fib2", "tasks": 64, "steps": [{"python_ms": 133.9}], "input_bytes": 5, "output_bytes": 5, "shared_state": 1.0, "import_ms": 28.0}"#,
            8.57, 8.22, 1.86, (1.96, 2.49), 78.46, 0.0,
            [Within25, Within25, Within25, DirectionOnly("this row calibrates the profile's contention constant")],
            &[],
        ),
        // nbody: every task mutates the same module-level lists (about half
        // of its bytecodes touch them, an estimate from the code).
        pool_party(
            "pool-party nbody x 64, shared globals",
            r#"{"name": "nbody", "tasks": 64, "steps": [{"python_ms": 1431.6}], "input_bytes": 5, "output_bytes": 100, "shared_state": 0.5, "import_ms": 28.0}"#,
            91.62, 91.85, 19.22, (17.63, 18.19), 517.16, 0.235,
            [Within25, Within25, Within25, Within25],
            &[],
        ),
        // nbody_no_share: private copies; only functions and module
        // globals stay shared (an estimated 5% of its bytecodes).
        pool_party(
            "pool-party nbody x 64, no sharing",
            r#"{"name": "nbody_no_share", "tasks": 64, "steps": [{"python_ms": 1496.9}], "input_bytes": 5, "output_bytes": 100, "shared_state": 0.05, "import_ms": 28.0}"#,
            95.8, 92.82, 19.48, (18.31, 18.92), 73.0, 0.158,
            [Within25, Within25, Within25, Within25],
            // Commit 291cf48 ran this code as `nbody`, before it was renamed.
            &[Earlier { seq: 91.89, threads: 86.5, procs: 16.45, interp: (16.74, 17.25), ft: Some(79.71) }],
        ),
        // data_pass: 1024 tasks each return 65,536 floats (about 590 KB
        // pickled). The source ran it three times with the same code
        // (commits e3e7979, 291cf48 and c5f0271, whose figures the design
        // notes quote): GIL threads were 0.92x, 0.93x and 1.17x of
        // sequential speed, so the source has no direction for them.
        pool_party(
            "pool-party data_pass 1024 x 590 KB",
            r#"{"name": "data_pass", "tasks": 1024, "steps": [{"python_ms": 1.24}], "input_bytes": 9, "output_bytes": 590000, "payload": "numbers", "import_ms": 28.0}"#,
            1.27, 1.09, 5.92, (3.96, 8.74), 1.26, 0.0,
            [Within25, Within25, Within25, Miss(DATA_PASS_FT)],
            &[
                Earlier { seq: 0.68, threads: 0.74, procs: 4.2, interp: (3.53, 3.13), ft: None },
                Earlier { seq: 0.78, threads: 0.84, procs: 4.28, interp: (13.12, 3.69), ft: Some(1.04) },
            ],
        ),
        Case {
            source: "Quansight-Labs free-threaded-compatibility, docs/examples/monte-carlo.md (nascheme/michi tsbenchmark), Ryzen 5 7600X, 6 cores / 12 threads, 12 workers",
            label: "Go MCTS, 1400 playouts",
            // Processes on 6 cores took 4.7 s: about 20 ms of Python per
            // playout. The coordinator descends and updates the search tree
            // for every playout itself (parent_ms; 1 ms is an estimate).
            workload: r#"{"name": "michi", "tasks": 1400, "steps": [{"python_ms": 20.0}], "input_bytes": 1000, "output_bytes": 1500, "parent_ms": 1.0}"#,
            cores: 6,
            python: PythonVersion::gil(14),
            start_method: None,
            per_task: false,
            workers: 12,
            reference: (Threads, 50.5),
            machine: vec![],
            runs: vec![
                r(Processes, 4.7, DirectionOnly(MICHI)),
                r(FreeThreading, 4.8, DirectionOnly(MICHI)),
            ],
        },
    ];
    // Quansight guide, Mandelbrot 800x800 on 3.13.5t: 200 tasks of four
    // rows, 12.0 s serial on the same build (60 ms per task on average).
    // Threads write into one shared array; joblib's reused process pool
    // returns a 25.6 KB array per task.
    for (n, ft, procs) in [
        (1, 12.0, 12.2),
        (2, 6.15, 6.77),
        (4, 3.13, 3.54),
        (8, 1.60, 1.84),
        (12, 1.07, 1.31),
        (16, 0.869, 1.07),
        (24, 0.919, 0.862),
        (32, 0.934, 0.768),
    ] {
        v.push(Case {
            source: "Quansight-Labs free-threaded-compatibility, docs/examples/mandelbrot.md and mandelbrot-threads.ipynb, 3.13.5t, 16 physical cores",
            label: ["Mandelbrot N=1", "Mandelbrot N=2", "Mandelbrot N=4", "Mandelbrot N=8", "Mandelbrot N=12", "Mandelbrot N=16", "Mandelbrot N=24", "Mandelbrot N=32"][[1, 2, 4, 8, 12, 16, 24, 32].iter().position(|&x| x == n).unwrap()],
            workload: r#"{"name": "mandelbrot", "tasks": 200, "steps": [{"python_ms": 60.0}], "input_bytes": 6464, "output_bytes": 25600, "payload": "bytes"}"#,
            cores: 16,
            python: PythonVersion::ft(13),
            start_method: Some(StartMethod::Fork),
            per_task: false,
            workers: n,
            reference: (Sequential, 12.0),
            // 12.0 s of work over 16 cores took 0.869 s with 16 free-threaded
            // threads: each core ran at about 0.86 of a lone core (that row
            // calibrates it).
            machine: vec![("all_core_speed", None, 0.86)],
            runs: vec![
                r(Threads, ft, if n == 16 { DirectionOnly(CALIBRATES) } else { Within25 }),
                r(Processes, procs, Within25),
            ],
        });
    }
    v
}

#[test]
fn published_end_to_end_comparisons() {
    let mut report = format!(
        "thesis-benchmarks iMac, time inside Process.start() with spawn, derived from bm_parallel_200.json: {:.2} ms\n",
        imac_spawn_start_ms()
    );
    let mut failures = Vec::new();
    for case in cases() {
        let profile = profile_for(&case);
        let (ref_model, ref_pub) = case.reference;
        let ref_sim = sim_time(&case, ref_model, case.workload, &profile);
        for run in &case.runs {
            let (model, lo, hi, band) = (run.model, run.lo, run.hi, run.band);
            let t = sim_time(
                &case,
                model,
                run.workload.unwrap_or(case.workload),
                &profile,
            );
            let pred = ref_sim / t;
            // Against a range (of one run's pools, or of the source's
            // several runs), the nearest end counts.
            let (s_lo, s_hi) = run
                .also
                .iter()
                .map(|&(r, t)| r / t)
                .fold((ref_pub / hi, ref_pub / lo), |(a, b), x| {
                    (a.min(x), b.max(x))
                });
            let published = pred.clamp(s_lo, s_hi);
            let err = (pred - published) / published;
            // Within 10% of the reference, a source's "faster" or "slower"
            // is inside its own noise: no direction to match there.
            let direction_ok = (published - 1.0).abs() < 0.10 || (pred > 1.0) == (published > 1.0);
            report.push_str(&format!(
                "{:<40} {:<14} published {:>15} predicted {:>8.3}x error {:>+6.1}% {:?}\n",
                case.label,
                model.name(),
                if s_hi > s_lo * 1.0005 {
                    format!("{s_lo:.3}-{s_hi:.3}x")
                } else {
                    format!("{s_lo:.3}x")
                },
                pred,
                err * 100.0,
                band
            ));
            if matches!(band, Band::Miss(_)) {
                continue;
            }
            if !direction_ok {
                failures.push(format!("{} {}: wrong direction", case.label, model));
            }
            if band == Band::Within25 && err.abs() > 0.25 {
                failures.push(format!(
                    "{} {}: {:+.1}% ({})",
                    case.label,
                    model,
                    err * 100.0,
                    case.source
                ));
            }
        }
    }
    println!("{report}");
    assert!(failures.is_empty(), "{}\n{report}", failures.join("\n"));
}

#[test]
fn thesis_start_and_stop_of_one_worker() {
    // tonybaloney/thesis-benchmarks bm_bare.py (test1.json): a worker started
    // and stopped one at a time, 100 times: threads 6.08 ms, sub-interpreters
    // (created, run an empty string) 0.893 s, processes (spawn) 9.97 s. The
    // same iMac as the pi cases (a CPython build three days older), so the
    // time inside Process.start() derived from its ten spawns at once holds
    // here too, one spawn at a time: it moves the processes figure from
    // -3.2% (with the profile's 1.5 ms) to +4.8%.
    let profile = with_machine(
        Profile::published(),
        &[("spawn_start", None, imac_spawn_start_ms())],
        "tonybaloney/thesis-benchmarks bm_parallel.py (bm_parallel_200.json)",
    );
    let w = Workload::from_json(
        r#"{"name": "bare", "tasks": 1, "steps": [{"python_ms": 0.001}], "import_ms": 45.0}"#,
    )
    .unwrap();
    let one = |model, import_ms: f64| {
        let mut w = w.clone();
        w.import_ms = import_ms;
        let s = Scenario {
            model,
            workers: 1,
            cores: 4,
            python: PythonVersion::gil(12),
            start_method: Some(StartMethod::Spawn),
            per_task: true,
            ..Scenario::new(model)
        };
        100.0 * predict(&s, &w, &profile).unwrap().makespan_s
    };
    // A spawned child re-imports the benchmark's main module (pyperf and
    // multiprocessing); a sub-interpreter running an empty string imports nothing.
    for (model, import_ms, published) in [
        (Model::Threads, 0.0, 0.00608),
        (Model::Interpreters, 0.0, 0.893),
        (Model::Processes, 45.0, 9.97),
    ] {
        let t = one(model, import_ms);
        let err = (t - published) / published;
        println!(
            "start+stop x100 {model}: published {published} s, predicted {t:.4} s ({:+.1}%)",
            err * 100.0
        );
        assert!(err.abs() <= 0.25, "{model}: {t} vs {published}");
    }
}

/// The design notes' other published figures, as the simulator applies them.
#[test]
fn published_anchors() {
    use parallel_universe::predict::predict;
    let profile = Profile::published();
    let cpu =
        Workload::from_json(r#"{"name": "one", "tasks": 1, "steps": [{"python_ms": 1000.0}]}"#)
            .unwrap();
    let one_thread = |python: PythonVersion| {
        let s = Scenario {
            python,
            workers: 1,
            ..Scenario::new(Model::FreeThreading)
        };
        predict(&s, &cpu, &profile).unwrap().makespan_s
    };
    let gil = predict(&Scenario::new(Model::Sequential), &cpu, &profile)
        .unwrap()
        .makespan_s;
    let (t13, t14) = (
        one_thread(PythonVersion::ft(13)),
        one_thread(PythonVersion::ft(14)),
    );
    let within = |x: f64, target: f64| ((x - target) / target).abs() <= 0.25;
    // 3.13t about 40% slower (3.13 HOWTO), 1.336x (free-threading-benchmarking, 3.13.0rc2).
    assert!(
        within(t13 / gil, 1.40) && within(t13 / gil, 1.336),
        "3.13t {}",
        t13 / gil
    );
    // 3.14t 5-10% (What's New in 3.14).
    assert!((1.05..=1.10).contains(&(t14 / gil)), "3.14t {}", t14 / gil);
    // 3.13t about 30% slower than 3.14t (Quansight-Labs free-threaded-compatibility docs/ci.md).
    assert!(within(t13 / t14, 1.30), "3.13t/3.14t {}", t13 / t14);

    // Fork server: 535 to 828 starts per second (cpython PR 99309).
    let bare =
        Workload::from_json(r#"{"name": "bare", "tasks": 100, "steps": [{"python_ms": 0.0}]}"#)
            .unwrap();
    let starts = |n: u32| {
        let s = Scenario {
            workers: n,
            start_method: Some(StartMethod::Forkserver),
            ..Scenario::new(Model::Processes)
        };
        predict(&s, &bare, &profile).unwrap().makespan_s
    };
    let rate = 99.0 / (starts(100) - starts(1));
    assert!(
        (535.0 * 0.75..=828.0 * 1.25).contains(&rate),
        "{rate} starts/s"
    );

    // 1,000,000 sleeping asyncio tasks used about 729 MB on 3.13
    // (async-runtimes-benchmarks): each task in flight adds about 0.73 kB.
    let sleepers =
        Workload::from_json(r#"{"name": "sleep", "tasks": 2048, "steps": [{"io_ms": 10000.0}]}"#)
            .unwrap();
    let in_flight = parallel_universe::sim::MAX_WORKERS;
    let s = Scenario {
        workers: in_flight,
        ..Scenario::new(Model::Asyncio)
    };
    let p = predict(&s, &sleepers, &profile).unwrap();
    let base = Profile::published()
        .costs(PythonVersion::gil(14))
        .unwrap()
        .process_memory as f64;
    let per_task = (p.peak_memory_bytes as f64 - base) / in_flight as f64;
    assert!(
        within(per_task, 729e6 / 1e6),
        "{per_task} bytes per in-flight task"
    );
}
