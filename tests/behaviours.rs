//! Named behaviours the simulator must show, each citing the mechanism that
//! produces it (see ../shared/design/simulation-model.md). All use the
//! shipped profile unless a test says otherwise.
#![cfg(not(target_arch = "wasm32"))]

use parallel_universe::model::{Model, StartMethod};
use parallel_universe::predict::{predict, predict_with, Prediction};
use parallel_universe::presets;
use parallel_universe::profile::Profile;
use parallel_universe::python::PythonVersion;
use parallel_universe::sim::{RunOptions, Scenario, SimError};
use parallel_universe::workload::Workload;

fn scenario(model: Model, workers: u32, cores: u32) -> Scenario {
    Scenario {
        workers,
        cores,
        ..Scenario::new(model)
    }
}

fn preset(name: &str) -> Workload {
    presets::get(name).unwrap().workload()
}

fn go(s: &Scenario, w: &Workload) -> Prediction {
    predict(s, w, &Profile::shipped()).unwrap_or_else(|e| panic!("{e}"))
}

/// Mechanism: one GIL serialises Python bytecode; forced switching every
/// switch interval and thread start-up only add to the sequential time.
#[test]
fn cpu_bound_threads_never_beat_one_core_and_lose_more_as_threads_are_added() {
    let w = preset("cpu-bound");
    let mut last = 0.0;
    for n in [1, 2, 4, 8, 16, 32, 64] {
        let p = go(&scenario(Model::Threads, n, 8), &w);
        assert!(p.speedup <= 1.0, "{n} threads: speedup {}", p.speedup);
        assert!(
            p.makespan_s >= last,
            "{n} threads ran faster than fewer threads"
        );
        last = p.makespan_s;
    }
    let one = go(&scenario(Model::Threads, 1, 8), &w).makespan_s;
    assert!(last > one * 1.005, "64 threads {last} vs 1 thread {one}");
}

/// Mechanism: Thread.start() waits for the new thread to run, and each start
/// passes the GIL back and forth; 100 starts cost about as much as the loop.
/// (Anthony Shaw, PyCon US 2024: the split loop ran about twice as slow.)
#[test]
fn the_talks_loop_over_100_threads_is_about_twice_as_slow() {
    let w = preset("loop-100-threads");
    let mut s = scenario(Model::Threads, 100, 8);
    s.per_task = true;
    // On a machine like the talk's: the published figures (a thread start
    // of about 60 us, measured on a 4-core iMac).
    let p = predict(&s, &w, &Profile::published()).unwrap();
    let slowdown = 1.0 / p.speedup;
    assert!((1.6..=2.6).contains(&slowdown), "slowdown {slowdown}");
    // On this project's machine (the shipped, measured profile) it is slower
    // still, and where starting a thread costs more (about 400 us was seen on
    // a busy 2-vCPU VM), several times slower.
    let here = 1.0 / go(&s, &w).speedup;
    assert!(
        here >= slowdown,
        "measured profile {here} vs published {slowdown}"
    );
    let mut profile = Profile::published();
    profile.apply_setting("thread_start=400us").unwrap();
    let slow = predict(&s, &w, &profile).unwrap();
    assert!(1.0 / slow.speedup > 4.0, "slowdown {}", 1.0 / slow.speedup);
}

/// Mechanism: no GIL (free-threading) or one GIL per interpreter lets every
/// core run Python; what is lost is the build's overhead and start-up.
#[test]
fn free_threading_and_interpreters_scale_cpu_bound_work_close_to_the_core_count() {
    let w = preset("cpu-bound");
    // With the published figures (interpreter creation about 9 ms, cores at
    // full speed when all are busy) both come within a quarter of 8x.
    for model in [Model::FreeThreading, Model::Interpreters] {
        let p = predict(&scenario(model, 8, 8), &w, &Profile::published()).unwrap();
        assert!(p.speedup > 6.0 && p.speedup < 8.0, "{model}: {}", p.speedup);
    }
    // With this machine's measured costs (an InterpreterPoolExecutor worker
    // takes tens of milliseconds to come up, and cores slow down when all
    // are busy) they still scale, by less.
    for model in [Model::FreeThreading, Model::Interpreters] {
        let p = go(&scenario(model, 8, 8), &w);
        assert!(p.speedup > 4.0 && p.speedup < 8.0, "{model}: {}", p.speedup);
    }
    // Free-threading pays its single-thread overhead: 1 thread is slower than sequential.
    let one = go(&scenario(Model::FreeThreading, 1, 8), &w);
    assert!(one.speedup < 1.0 && one.breakdown["ft_overhead"] > 0.0);
}

/// Mechanism: threads mutating the same objects contend (locks, reference
/// counts, cache lines), slowing each other in proportion to how many do so.
#[test]
fn free_threading_with_heavy_shared_mutation_can_be_slower_than_one_thread() {
    let w = preset("shared-state");
    let p = go(&scenario(Model::FreeThreading, 8, 8), &w);
    assert!(p.speedup < 1.0, "speedup {}", p.speedup);
    assert!(p.breakdown["contention"] > p.breakdown["python"]);
    // Without sharing the same work scales: within a tenth of the core
    // count less the build's overhead and the cores' all-busy slow-down
    // (this machine's measured figure, which moves between calibrations).
    let unshared =
        Workload::from_json(r#"{"name": "x", "tasks": 64, "steps": [{"python_ms": 20.0}]}"#)
            .unwrap();
    let c = Profile::shipped().costs(PythonVersion::ft(14)).unwrap();
    let ideal = 8.0 * (c.all_core_speed_ppm as f64 / 1e6) / (1.0 + c.ft_overhead_ppm as f64 / 1e6);
    let got = go(&scenario(Model::FreeThreading, 8, 8), &unshared).speedup;
    assert!(got > 0.9 * ideal && got <= ideal, "{got} against {ideal}");
    // Processes and interpreters share nothing, so they do not contend.
    assert!(go(&scenario(Model::Interpreters, 8, 8), &w).speedup > 5.0);
}

/// Mechanism: I/O waits release the GIL and need no core, so overlapping
/// them needs concurrency (threads, an event loop), not cores.
#[test]
fn io_bound_work_scales_with_threads_and_asyncio_not_with_cores() {
    let w = preset("io-fanout");
    for model in [Model::Threads, Model::Asyncio] {
        let one_core = go(&scenario(model, 64, 1), &w);
        let eight = go(&scenario(model, 64, 8), &w);
        assert!(eight.speedup > 20.0, "{model}: {}", eight.speedup);
        assert!(
            (one_core.speedup / eight.speedup) > 0.9,
            "{model}: cores should barely matter"
        );
        let few = go(&scenario(model, 4, 8), &w);
        assert!(
            eight.speedup > 8.0 * few.speedup,
            "{model}: more concurrency should help"
        );
    }
}

/// Mechanism: an I/O-bound thread that wakes while a CPU-bound thread holds
/// the GIL waits a switch interval for the drop request (the convoy effect);
/// free-threading has no GIL to wait for.
#[test]
fn a_cpu_bound_thread_delays_each_wake_up_of_an_io_bound_thread_by_up_to_a_switch_interval() {
    let w = preset("convoy");
    let opts = RunOptions {
        trace: true,
        ..RunOptions::default()
    };
    let io_time = |model: Model| {
        let p = predict_with(&scenario(model, 2, 8), &w, &Profile::shipped(), opts, None).unwrap();
        let t = p.run.trace.unwrap();
        let io = t.tasks.iter().find(|t| t.group == 1).unwrap();
        (io.end_ns - io.start_ns) as f64 / 1e6
    };
    // 100 rounds of 1 ms I/O and 0.05 ms Python.
    let alone = 100.0 * 1.05;
    let gil = io_time(Model::Threads);
    let interval = 5.0;
    assert!(gil > alone + 50.0 * interval, "threads: {gil} ms");
    assert!(
        gil <= alone + 100.0 * (interval + 0.1),
        "threads: {gil} ms; each wake waits at most an interval"
    );
    let ft = io_time(Model::FreeThreading);
    assert!(ft < alone * 1.2, "free-threading: {ft} ms");
}

/// Mechanism: processes pickle every argument and result on both ends and the
/// parent does its half under its own GIL; threads pass references.
#[test]
fn large_payloads_make_processes_slower_than_threads() {
    let w = Workload::from_json(
        r#"{"name": "data_pass", "tasks": 1024, "steps": [{"python_ms": 1.0}], "output_bytes": 590000}"#,
    )
    .unwrap();
    let threads = go(&scenario(Model::Threads, 16, 8), &w);
    let procs = go(&scenario(Model::Processes, 16, 8), &w);
    assert!(
        procs.makespan_s > threads.makespan_s * 2.0,
        "{} vs {}",
        procs.makespan_s,
        threads.makespan_s
    );
    assert!(procs.breakdown["transfer"] > procs.breakdown["python"]);
    // The data-pipeline preset: the parent becomes the bottleneck.
    let dp = go(&scenario(Model::Processes, 8, 8), &preset("data-pipeline"));
    assert!(dp.speedup < 2.0, "data pipeline speedup {}", dp.speedup);
}

/// Mechanism: spawn starts a fresh interpreter that re-imports the workload;
/// fork copies the parent.
#[test]
fn spawn_costs_more_than_fork() {
    let w = Workload::from_json(
        r#"{"name": "x", "tasks": 64, "steps": [{"python_ms": 10.0}], "import_ms": 100.0}"#,
    )
    .unwrap();
    let run = |m| {
        let mut s = scenario(Model::Processes, 8, 8);
        s.start_method = Some(m);
        go(&s, &w)
    };
    let fork = run(StartMethod::Fork);
    let spawn = run(StartMethod::Spawn);
    let forkserver = run(StartMethod::Forkserver);
    assert!(spawn.makespan_s > fork.makespan_s);
    assert!(spawn.breakdown["startup"] > 5.0 * fork.breakdown["startup"]);
    // The fork server boots and imports once, then forks each worker: less
    // start-up work than spawning every worker, more than forking from the
    // parent. (With a free core per worker, parallel spawns can still finish
    // booting as soon as the one server plus its serial forks.)
    assert!(forkserver.makespan_s > fork.makespan_s);
    assert!(
        forkserver.breakdown["startup"] > fork.breakdown["startup"]
            && forkserver.breakdown["startup"] < spawn.breakdown["startup"]
    );
    assert!(spawn.peak_memory_bytes > fork.peak_memory_bytes);
}

/// Mechanism: importing an extension not marked free-threading-safe turns the
/// GIL back on, so a free-threaded build behaves like GIL threads that also
/// pay the build's overhead.
#[test]
fn a_non_free_threading_safe_extension_gives_gil_behaviour_plus_the_overhead() {
    let safe = preset("cpu-bound");
    let mut unsafe_ext = safe.clone();
    unsafe_ext.extensions.free_threading_safe = false;
    let ft = go(&scenario(Model::FreeThreading, 8, 8), &unsafe_ext);
    assert!(ft.speedup < 1.0, "speedup {}", ft.speedup);
    assert!(ft.notes.iter().any(|n| n.contains("GIL back on")));
    let gil = go(&scenario(Model::Threads, 8, 8), &safe);
    let ratio = ft.makespan_s / gil.makespan_s;
    // 3.14t overhead in the shipped profile: 8%.
    assert!((1.05..1.11).contains(&ratio), "ratio {ratio}");
}

/// What a version or an extension rules out is reported, with the reason.
#[test]
fn unavailable_models_say_why() {
    let w = preset("cpu-bound");
    let mut s = scenario(Model::Interpreters, 4, 4);
    s.python = PythonVersion::gil(11);
    match predict(&s, &w, &Profile::shipped()) {
        Err(SimError::Unavailable(why)) => assert!(why.contains("per-interpreter GIL"), "{why}"),
        other => panic!("{other:?}"),
    }
    let mut s = scenario(Model::FreeThreading, 4, 4);
    s.python = PythonVersion::gil(12);
    assert!(matches!(
        predict(&s, &w, &Profile::shipped()),
        Err(SimError::Unavailable(_))
    ));
    let mut ext = w.clone();
    ext.extensions.subinterpreter_safe = false;
    match predict(
        &scenario(Model::InterpretersThreads, 4, 4),
        &ext,
        &Profile::shipped(),
    ) {
        Err(SimError::Unavailable(why)) => assert!(why.contains("sub-interpreters"), "{why}"),
        other => panic!("{other:?}"),
    }
}

/// The version decides the start method: fork before 3.14, forkserver after.
#[test]
fn python_version_changes_the_default_start_method() {
    let w = preset("cpu-bound");
    let mut s = scenario(Model::Processes, 4, 4);
    s.python = PythonVersion::gil(13);
    assert_eq!(go(&s, &w).start_method.as_deref(), Some("fork"));
    s.python = PythonVersion::gil(14);
    assert_eq!(go(&s, &w).start_method.as_deref(), Some("forkserver"));
}

/// Servers report throughput and latency; an overloaded model queues.
#[test]
fn servers_report_throughput_and_latency() {
    let w = preset("web-server");
    let seq = go(&scenario(Model::Sequential, 1, 8), &w);
    let mt = go(&scenario(Model::Threads, 8, 8), &w);
    let (lt, ls) = (
        mt.latency_ms.clone().unwrap(),
        seq.latency_ms.clone().unwrap(),
    );
    assert!(lt.p50 <= lt.p95 && lt.p95 <= lt.p99 && lt.p99 <= lt.max);
    // One thread cannot keep up with 200 requests/s of 10.5 ms each; 8 threads can.
    assert!(ls.p99 > 10.0 * lt.p99, "{} vs {}", ls.p99, lt.p99);
    assert!(mt.throughput_per_s.unwrap() > 150.0);
}

/// Mechanism: a caller that does Python work for every task (preparing it,
/// folding its result into a shared structure) does it in one thread, under
/// its own GIL: that serial part caps any pool (Amdahl's law), and under GIL
/// threads the caller also queues for the GIL behind the workers.
#[test]
fn a_callers_own_work_per_task_caps_every_pool() {
    let w = Workload::from_json(
        r#"{"name": "coordinator", "tasks": 200, "steps": [{"python_ms": 10.0}], "parent_ms": 5.0}"#,
    )
    .unwrap();
    let seq = go(&scenario(Model::Sequential, 1, 8), &w);
    assert!(
        (seq.baseline_s - 3.0).abs() < 0.01,
        "sequential does both parts: {}",
        seq.baseline_s
    );
    for model in [Model::Processes, Model::FreeThreading, Model::Interpreters] {
        let p = go(&scenario(model, 8, 8), &w);
        // 15 ms of work per task, 5 of them serial in the caller: at most 3x.
        assert!(p.speedup < 3.0 && p.speedup > 2.0, "{model}: {}", p.speedup);
    }
    let t = go(&scenario(Model::Threads, 8, 8), &w);
    assert!(
        t.speedup <= 1.0 && t.breakdown["gil_wait"] > 0.0,
        "threads: {}",
        t.speedup
    );
}

fn traced(s: &Scenario, w: &Workload) -> parallel_universe::sim::Trace {
    let opts = RunOptions {
        trace: true,
        ..RunOptions::default()
    };
    predict_with(s, w, &Profile::shipped(), opts, None)
        .unwrap()
        .run
        .trace
        .unwrap()
}

/// Mechanism (Python/ceval_gil.c): a waiter that sees no switch for one
/// switch interval asks for the GIL; the holder drops it at its next check,
/// and with forced switching a waiter takes it, not the holder again.
#[test]
fn cpu_bound_threads_trade_the_gil_every_switch_interval() {
    let w = Workload::from_json(r#"{"name": "two", "tasks": 2, "steps": [{"python_ms": 200.0}]}"#)
        .unwrap();
    let mut s = scenario(Model::Threads, 2, 4);
    s.per_task = true;
    let t = traced(&s, &w);
    let mut spans: Vec<_> = t
        .gil_spans
        .iter()
        .filter(|g| g.end_ns - g.start_ns > 1_000_000)
        .collect();
    spans.sort_by_key(|g| g.start_ns);
    assert!(spans.len() > 60, "{} long holds", spans.len());
    // Once both workers run (after the main thread's short holds while
    // starting them), holders alternate and each hold lasts one interval.
    let middle = &spans[3..spans.len() - 2];
    for pair in middle.windows(2) {
        assert_ne!(pair[0].holder, pair[1].holder);
    }
    // A hold lasts the switch interval plus the holder's reaction to the drop
    // request; the gap between two holders is the hand-off latency.
    let c = Profile::shipped().costs(PythonVersion::DEFAULT).unwrap();
    let hold = (c.switch_interval_ns + c.eval_breaker_ns) as f64;
    for g in middle {
        let held = (g.end_ns - g.start_ns) as f64;
        assert!(
            (hold * 0.99..=hold * 1.02).contains(&held),
            "held {held} ns, expected {hold}"
        );
    }
    let handoff = c.gil_handoff_ns as f64;
    for pair in middle.windows(2) {
        let gap = (pair[1].start_ns - pair[0].end_ns) as f64;
        assert!(
            (handoff * 0.75..=handoff * 1.25 + 5_000.0).contains(&gap),
            "gap {gap} ns, hand-off {handoff}"
        );
    }
}

/// Mechanism: blocking I/O releases the GIL at once, so the other thread
/// takes it without waiting for a switch interval.
#[test]
fn io_releases_the_gil_at_once() {
    let w = Workload::from_json(
        r#"{"name": "io", "groups": [{"tasks": 1, "steps": [{"python_ms": 1.0}, {"io_ms": 50.0}, {"python_ms": 1.0}]}, {"tasks": 1, "steps": [{"python_ms": 30.0}]}]}"#,
    )
    .unwrap();
    let mut s = scenario(Model::Threads, 2, 4);
    s.per_task = true;
    let t = traced(&s, &w);
    // The CPU-bound task never waits a whole switch interval for the GIL while
    // the other is in I/O: it finishes within its 30 ms plus start-up and
    // the other's 2 ms of Python.
    let cpu = t.tasks.iter().find(|k| k.group == 1).unwrap();
    let took = (cpu.end_ns - cpu.start_ns) as f64 / 1e6;
    assert!(took < 30.0 + 2.0 + 5.0, "{took} ms");
    // Native code releases the GIL too: two native tasks overlap.
    let n = Workload::from_json(r#"{"name": "n", "tasks": 2, "steps": [{"native_ms": 100.0}]}"#)
        .unwrap();
    let p = go(&scenario(Model::Threads, 2, 4), &n);
    // Near two, less the cores' slow-down with more of them busy.
    assert!(p.speedup > 1.8, "{}", p.speedup);
}

/// Each interpreter has its own GIL: two interpreters never wait for each other.
#[test]
fn every_interpreter_has_its_own_gil() {
    let w = preset("cpu-bound");
    let t = traced(&scenario(Model::Interpreters, 4, 4), &w);
    let enabled = t.gils.iter().filter(|g| g.enabled).count();
    assert_eq!(enabled, 5, "the main interpreter and four workers");
    let ft = traced(&scenario(Model::FreeThreading, 4, 4), &w);
    assert!(ft.gils.iter().all(|g| !g.enabled) && ft.gil_spans.is_empty());
}

/// The shipped profile with `settings` (`name=value unit`) applied in order.
fn shipped_with(settings: &[&str]) -> Profile {
    let mut p = Profile::shipped();
    for s in settings {
        p.apply_setting(s).unwrap();
    }
    p
}

/// Tiny tasks, each with the given fixed costs set and every other fixed
/// cost of the pools zero, so that one mechanism shows alone.
fn tiny_with(settings: &[&str]) -> (Workload, Profile) {
    let w =
        Workload::from_json(r#"{"name": "tiny", "tasks": 2000, "steps": [{"python_ms": 0.001}]}"#)
            .unwrap();
    let zero = [
        "pickle_call=0us",
        "worker_call=0us",
        "pool_wakeup=0us",
        "xi_call=0us",
        "dispatch=0us",
    ];
    (w, shipped_with(&[&zero[..], settings].concat()))
}

/// Mechanism: ThreadPoolExecutor.submit() runs in the submitting thread
/// (creating the future and work item, queueing it), so that thread pays
/// its share of each task's dispatch (`submit`) and the worker the rest.
/// Under a GIL the two take turns and the total stays the same; without
/// one, a single submitting thread hands out at most one task per `submit`
/// however many workers wait (Lib/concurrent/futures/thread.py).
#[test]
fn one_submitting_thread_caps_how_fast_a_free_threaded_pool_gets_tiny_tasks() {
    let tiny = |submit: &str| tiny_with(&["dispatch=20us", submit]);
    let (w, in_caller) = tiny("submit=15us");
    let (_, in_worker) = tiny("submit=0us");
    let ft = |p: &Profile, workers: u32| {
        predict(&scenario(Model::FreeThreading, workers, 16), &w, p)
            .unwrap()
            .makespan_s
    };
    // 2,000 tasks: the caller's 15 us each take 30 ms however many workers
    // there are, while 16 workers could share 2,000 x 20 us in 2.5 ms.
    for workers in [4, 16] {
        let t = ft(&in_caller, workers);
        assert!(t >= 2000.0 * 15e-6, "{workers} workers: {t} s");
    }
    assert!(
        ft(&in_worker, 16) < 0.5 * ft(&in_caller, 16),
        "with the whole dispatch on the workers, 16 of them share it"
    );
    // On a GIL build it is a wash: the same 20 us per task, all in turn.
    let threads = |p: &Profile| {
        predict(&scenario(Model::Threads, 4, 4), &w, p)
            .unwrap()
            .makespan_s
    };
    let (a, b) = (threads(&in_caller), threads(&in_worker));
    assert!((a - b).abs() < 0.05 * b, "GIL threads: {a} s against {b} s");
    // A worker started for its task is handed it, and a sequential loop
    // submits nothing.
    let mut per_task = scenario(Model::FreeThreading, 16, 16);
    per_task.per_task = true;
    let w16 = Workload::from_json(r#"{"name": "t", "tasks": 16, "steps": [{"python_ms": 1.0}]}"#)
        .unwrap();
    let sequential = scenario(Model::Sequential, 1, 16);
    for (s, w) in [(&per_task, &w16), (&sequential, &w)] {
        assert_eq!(
            predict(s, w, &in_caller).unwrap().makespan_s,
            predict(s, w, &in_worker).unwrap().makespan_s,
            "{:?}",
            s.model
        );
    }
}

/// Mechanism: a process pool's call queue holds one more call than there
/// are workers, and each wake-up of the caller's feeding and collecting
/// threads serves what has piled up, so the caller's wake-up cost per task
/// falls as the pool deepens (CPython's concurrent/futures/process.py,
/// EXTRA_QUEUED_CALLS).
#[test]
fn a_deeper_process_pool_shares_its_callers_wakeups_among_more_calls() {
    let (w, p) = tiny_with(&["pool_wakeup=1ms"]);
    let run = |n| predict(&scenario(Model::Processes, n, 16), &w, &p).unwrap();
    let (one, four) = (run(1), run(4));
    // The caller is the bottleneck: 2000 wake-ups shared by 2, then by 5.
    let per_task = |x: &Prediction| x.breakdown["transfer"] / 2000.0 * 1e6;
    assert!((per_task(&one) - 500.0).abs() < 25.0, "{}", per_task(&one));
    assert!(
        (per_task(&four) - 200.0).abs() < 25.0,
        "{}",
        per_task(&four)
    );
    assert!(four.makespan_s < one.makespan_s * 0.5);
}

/// Mechanism: a call into a sub-interpreter creates the callee's thread
/// state and converts the call's envelope under the caller's GIL, and
/// deletes it there after the call (Python/crossinterp.c, _enter_session
/// and _exit_session), so the callers of one interpreter queue for its GIL:
/// more workers do not make fixed-cost-bound tiny tasks faster.
#[test]
fn cross_interpreter_calls_queue_for_the_callers_gil() {
    let (w, p) = tiny_with(&["xi_call=50us"]);
    let run = |n| predict(&scenario(Model::Interpreters, n, 16), &w, &p).unwrap();
    let (one, eight) = (run(1), run(8));
    // 2000 tasks, a call in and a reply out each, all under the main GIL.
    let floor = 2000.0 * 2.0 * 50e-6;
    assert!(eight.makespan_s > floor, "{} s", eight.makespan_s);
    assert!(
        eight.makespan_s > one.makespan_s * 0.9,
        "8 workers {} s against 1 worker {} s",
        eight.makespan_s,
        one.makespan_s
    );
}

/// Mechanism: the two ends of a pool's pipe spend different CPU per byte
/// (the reader fills fresh buffers); a caller collecting large results
/// from many workers is bound by its own reading.
#[test]
fn a_pools_caller_is_bound_by_reading_large_results() {
    let w = Workload::from_json(
        r#"{"name": "big", "tasks": 100, "steps": [{"python_ms": 0.1}], "output_bytes": 10000000, "payload": "bytes"}"#,
    )
    .unwrap();
    let p = shipped_with(&[
        "pipe_send=10GB/s",
        "pipe_receive=1GB/s",
        "pickle_bytes=1000GB/s",
        "unpickle_bytes=1000GB/s",
    ]);
    let r = predict(&scenario(Model::Processes, 8, 16), &w, &p).unwrap();
    // 100 results of 10 MB read at 1 GB/s by one thread: at least 1 s.
    assert!(r.makespan_s > 1.0, "{} s", r.makespan_s);
    assert!(r.makespan_s < 1.3, "{} s", r.makespan_s);
}

/// Mechanism: a server whose workers accept from a shared socket reads each
/// request in the worker; one whose caller submits each request to a process
/// pool (`executor.submit` at arrival) pickles every request and unpickles
/// every response in the parent, one thread under one GIL. At a high rate of
/// short requests that parent caps the throughput however many cores and
/// workers there are, and every request waits for it.
#[test]
fn a_process_pool_fed_by_its_caller_caps_a_servers_throughput() {
    let doc = |accept: &str| {
        Workload::from_json(&format!(
            r#"{{"name": "api", "arrivals": {{"rate_per_s": 20000.0, "duration_s": 0.2}},
                "steps": [{{"python_ms": 0.05}}], "input_bytes": 200, "output_bytes": 200,
                "accept": "{accept}"}}"#
        ))
        .unwrap()
    };
    let (workers, caller) = (doc("workers"), doc("caller"));
    let s = scenario(Model::Processes, 8, 8);
    let sock = go(&s, &workers);
    let fed = go(&s, &caller);
    let (ts, tf) = (
        sock.throughput_per_s.unwrap(),
        fed.throughput_per_s.unwrap(),
    );
    // Eight workers keep up with 20,000 short requests a second on their own.
    assert!(ts > 19_000.0, "socket-fed throughput {ts}");
    // The caller's fixed cost per call and per result bounds its pool.
    let costs = Profile::shipped()
        .costs("3.14".parse::<PythonVersion>().unwrap())
        .unwrap();
    let per_request_s = (costs.pickle_call_ns + costs.pool_wakeup_ns / 9) as f64 / 1e9;
    assert!(
        tf < 1.05 / per_request_s && tf < 0.8 * ts,
        "caller-fed throughput {tf}, bound {}",
        1.0 / per_request_s
    );
    let (ls, lf) = (sock.latency_ms.unwrap(), fed.latency_ms.unwrap());
    assert!(lf.p50 > ls.p50, "caller-fed p50 {} vs {}", lf.p50, ls.p50);
    assert!(fed.breakdown["transfer"] > sock.breakdown["transfer"]);
}

/// Mechanism: cores run slower the more of them are busy (turbo and thermal
/// limits), and the clock follows how many are busy over a millisecond or
/// so, like a frequency governor. A one-worker process pool's parent is busy
/// for microseconds per result, so its worker runs at a lone core's speed;
/// two workers busy together run at the all-core speed.
#[test]
fn the_clock_follows_how_many_cores_stay_busy() {
    let w = Workload::from_json(r#"{"name": "cpu", "tasks": 32, "steps": [{"python_ms": 20.0}]}"#)
        .unwrap();
    let mut s = scenario(Model::Processes, 1, 2);
    s.start_method = Some(StartMethod::Fork);
    let one = go(&s, &w);
    let clock = one.breakdown["clock"];
    assert!(
        clock < 0.01 * one.breakdown["python"],
        "one worker lost {clock} s to the clock"
    );
    s.workers = 2;
    let two = go(&s, &w);
    let speed = Profile::shipped()
        .costs("3.14".parse::<PythonVersion>().unwrap())
        .unwrap()
        .all_core_speed_ppm as f64
        / 1e6;
    let expected = 1.0 / speed - 1.0;
    let got = two.breakdown["clock"] / two.breakdown["python"];
    assert!(
        (got - expected).abs() < 0.1 * expected,
        "two busy workers lost {got} of their Python time to the clock, expected {expected}"
    );
}

/// Mechanism: memory-bound work (pickling, copying, piping) has its own
/// all-core speed, shared memory bandwidth, and slows down when every core
/// is busy even on a machine whose cores keep their speed for CPU work.
#[test]
fn transfers_slow_down_with_busy_cores_even_where_the_cpu_clock_holds() {
    let w = Workload::from_json(
        r#"{"name": "payload", "tasks": 32, "steps": [{"python_ms": 2.0}], "output_bytes": 4000000}"#,
    )
    .unwrap();
    let mut s = scenario(Model::Processes, 2, 2);
    s.start_method = Some(StartMethod::Fork);
    let flat = shipped_with(&["all_core_speed=1", "all_core_memory_speed=1"]);
    let shared = shipped_with(&["all_core_speed=1", "all_core_memory_speed=0.5"]);
    let a = predict(&s, &w, &flat).unwrap();
    let b = predict(&s, &w, &shared).unwrap();
    assert!(
        b.makespan_s > 1.05 * a.makespan_s,
        "memory speed 0.5: {} s against {} s",
        b.makespan_s,
        a.makespan_s
    );
    // CPU work on both cores with nothing to transfer (free-threaded
    // threads) does not notice.
    let cpu = Workload::from_json(r#"{"name": "cpu", "tasks": 32, "steps": [{"python_ms": 2.0}]}"#)
        .unwrap();
    let ft = scenario(Model::FreeThreading, 2, 2);
    let (a, b) = (
        predict(&ft, &cpu, &flat).unwrap(),
        predict(&ft, &cpu, &shared).unwrap(),
    );
    assert_eq!(a.makespan_s, b.makespan_s);
}

/// Mechanism (CPython's concurrent/futures/process.py, `_adjust_process_count`):
/// with forkserver or spawn, ProcessPoolExecutor starts a worker when a task
/// is submitted and none is idle, so the first worker takes a task while
/// the later ones are still being forked, and a pool given fewer tasks than
/// workers starts only as many; with fork it starts every worker first.
#[test]
fn forkserver_and_spawn_pools_start_workers_as_tasks_are_submitted() {
    let workers_run = |t: &parallel_universe::sim::Trace| {
        let mut first_run: Vec<(u32, u64)> = Vec::new();
        for th in t.threads.iter().filter(|th| th.process > 0) {
            if let Some(start) = t
                .core_spans
                .iter()
                .filter(|c| c.thread == th.thread)
                .map(|c| c.start_ns)
                .min()
            {
                first_run.push((th.thread, start));
            }
        }
        first_run
    };
    let w = Workload::from_json(r#"{"name": "cpu", "tasks": 64, "steps": [{"python_ms": 5.0}]}"#)
        .unwrap();
    let mut s = scenario(Model::Processes, 8, 8);
    s.start_method = Some(StartMethod::Forkserver);
    let t = traced(&s, &w);
    let first_task = t.tasks.iter().map(|k| k.start_ns).min().unwrap();
    let last_worker = workers_run(&t).iter().map(|&(_, at)| at).max().unwrap();
    assert!(
        first_task < last_worker,
        "first task at {first_task} ns, last worker first ran at {last_worker} ns"
    );
    s.start_method = Some(StartMethod::Fork);
    let t = traced(&s, &w);
    let first_task = t.tasks.iter().map(|k| k.start_ns).min().unwrap();
    let forked = workers_run(&t);
    assert_eq!(forked.len(), 8);
    let last_worker = forked.iter().map(|&(_, at)| at).max().unwrap();
    assert!(
        first_task >= last_worker,
        "fork: first task at {first_task} ns, before the last worker ran at {last_worker} ns"
    );

    let few = Workload::from_json(r#"{"name": "few", "tasks": 3, "steps": [{"python_ms": 5.0}]}"#)
        .unwrap();
    for (method, started) in [
        (StartMethod::Spawn, 3),
        (StartMethod::Forkserver, 3),
        (StartMethod::Fork, 8),
    ] {
        s.start_method = Some(method);
        // Worker processes only: a fork server is a process of its own.
        let t = traced(&s, &few);
        let n = workers_run(&t)
            .iter()
            .filter(|&&(th, _)| t.threads[th as usize].role.starts_with("process"))
            .count();
        assert_eq!(n, started, "{method:?}: {n} worker processes ran");
        // The trace lists only the interpreters that existed: the parent's,
        // the fork server's and each started worker's.
        let server = usize::from(method == StartMethod::Forkserver);
        assert_eq!(t.gils.len(), 1 + server + started, "{method:?}");
        assert!(t
            .threads
            .iter()
            .enumerate()
            .all(|(i, th)| th.thread as usize == i));
    }
}

/// Mechanism (CPython's concurrent/futures/process.py and thread.py): a
/// pool's threads sleep when there is nothing to relay. A request reaching
/// an idle process pool wakes the pool's manager thread, its call queue's
/// feeder thread and then the worker process, each in turn, and the
/// result wakes the manager thread again; an idle thread pool's worker
/// thread wakes for its call. A pool kept busy finds the next call queued
/// and pays none of it, so a batch runs as fast as before.
#[test]
fn a_call_to_an_idle_pool_waits_for_its_threads_to_wake() {
    let costs = Profile::shipped()
        .costs("3.14".parse::<PythonVersion>().unwrap())
        .unwrap();
    assert!(costs.process_handover_ns > 0 && costs.thread_handover_ns > 0);
    let idle = Workload::from_json(
        r#"{"name": "quiet", "arrivals": {"rate_per_s": 5.0, "duration_s": 20.0},
            "steps": [{"python_ms": 3.0}, {"io_ms": 5.0}], "accept": "caller"}"#,
    )
    .unwrap();
    let none = shipped_with(&[
        "thread_handover=0us",
        "interpreter_handover=0us",
        "process_handover=0us",
        "process_collect=0us",
    ]);
    let p50 = |m: Model, p: &Profile| {
        let mut s = scenario(m, 1, 2);
        s.start_method = Some(StartMethod::Fork);
        predict(&s, &idle, p).unwrap().latency_ms.unwrap().p50
    };
    // Requests five a second apart each find the pool asleep: the median
    // request pays the whole relay, there and back.
    let extra = p50(Model::Processes, &Profile::shipped()) - p50(Model::Processes, &none);
    let relay = (costs.process_handover_ns + costs.process_collect_ns) as f64 / 1e6;
    assert!(
        (extra - relay).abs() < 0.02 * relay,
        "an idle process pool's request took {extra} ms longer, its relay is {relay} ms"
    );
    let extra = p50(Model::Threads, &Profile::shipped()) - p50(Model::Threads, &none);
    let wake = costs.thread_handover_ns as f64 / 1e6;
    assert!(
        (extra - wake).abs() < 0.02 * wake,
        "an idle thread pool's request took {extra} ms longer, its wake-up is {wake} ms"
    );
    // Sequential code has no pool: its one thread is the caller.
    assert_eq!(
        p50(Model::Sequential, &Profile::shipped()),
        p50(Model::Sequential, &none)
    );
    // A batch keeps every pool busy: the relay's threads never sleep.
    let busy = preset("cpu-bound");
    for m in [Model::Processes, Model::Threads, Model::Interpreters] {
        let mut s = scenario(m, 4, 4);
        s.start_method = Some(StartMethod::Fork);
        let with = predict(&s, &busy, &Profile::shipped()).unwrap().makespan_s;
        let without = predict(&s, &busy, &none).unwrap().makespan_s;
        assert!(
            (with - without).abs() < 0.002 * without,
            "{m:?}: a busy batch took {with} s against {without} s"
        );
    }
}

/// Mechanism: a busy pool hides its hand-over because its threads never
/// sleep, except when a task ends in a wait: the caller and the pool's
/// relaying threads sleep through it, and handing the result back wakes
/// them before the worker goes on to the next queued call (measured as
/// the gap between two tasks of a one-worker pool with and without a
/// sleep ending the first; `*_after_wait`). Tasks that end computing, an
/// idle pool (which pays the idle hand-over instead) and sequential code
/// pay none of it.
#[test]
fn a_busy_pools_worker_back_from_a_wait_pauses_before_its_next_call() {
    let py: PythonVersion = "3.14".parse().unwrap();
    let costs = Profile::shipped().costs(py).unwrap();
    let none = shipped_with(&[
        "thread_after_wait=0us",
        "interpreter_after_wait=0us",
        "process_after_wait=0us",
    ]);
    let batch = |steps: &str| {
        Workload::from_json(&format!(
            r#"{{"name": "b", "tasks": 41, "steps": {steps}}}"#
        ))
        .unwrap()
    };
    let ends_waiting = batch(r#"[{"python_ms": 1.0}, {"io_ms": 5.0}]"#);
    let ends_computing = batch(r#"[{"io_ms": 5.0}, {"python_ms": 1.0}]"#);
    let run = |m: Model, w: &Workload, p: &Profile| {
        let mut s = scenario(m, 1, 2);
        s.start_method = Some(StartMethod::Fork);
        predict(&s, w, p).unwrap().makespan_s
    };
    for (m, after) in [
        (Model::Threads, costs.thread_after_wait_ns),
        (Model::Interpreters, costs.interpreter_after_wait_ns),
        (Model::Processes, costs.process_after_wait_ns),
    ] {
        assert!(after > 0, "{m:?}: the shipped profile measures it");
        // Every task but the last hands over to a queued one.
        let extra = run(m, &ends_waiting, &Profile::shipped()) - run(m, &ends_waiting, &none);
        let expected = 40.0 * after as f64 / 1e9;
        assert!(
            (extra - expected).abs() < 0.05 * expected,
            "{m:?}: 40 hand-overs after a wait added {extra} s, expected {expected} s"
        );
        let extra = run(m, &ends_computing, &Profile::shipped()) - run(m, &ends_computing, &none);
        assert!(
            extra.abs() < 1e-9,
            "{m:?}: tasks ending in CPU added {extra} s"
        );
    }
    assert_eq!(
        run(Model::Sequential, &ends_waiting, &Profile::shipped()),
        run(Model::Sequential, &ends_waiting, &none)
    );
    // Requests five a second apart find the pool idle, not busy.
    let idle = Workload::from_json(
        r#"{"name": "quiet", "arrivals": {"rate_per_s": 5.0, "duration_s": 20.0},
            "steps": [{"python_ms": 3.0}, {"io_ms": 5.0}], "accept": "caller"}"#,
    )
    .unwrap();
    for m in [Model::Threads, Model::Interpreters, Model::Processes] {
        let mut s = scenario(m, 1, 2);
        s.start_method = Some(StartMethod::Fork);
        let p50 = |p: &Profile| predict(&s, &idle, p).unwrap().latency_ms.unwrap().p50;
        assert_eq!(p50(&Profile::shipped()), p50(&none), "{m:?}");
    }
}

/// Mechanism: a timed sleep ends late by the OS's timer slack and the
/// sleeper's wake-up (`timer_late`; prctl(2)'s default slack is 50 us), and
/// an asyncio event loop with nothing to do waits for its next timer in its
/// selector, whose timeout CPython rounds up to whole milliseconds on Linux
/// (Lib/selectors.py; `asyncio_timer_tick`), then `asyncio_timer_late` more.
/// Waits on a socket or pipe (`"waits": "io"`, the default) pay neither.
#[test]
fn timed_sleeps_end_late_and_an_idle_event_loop_wakes_on_its_ticks() {
    let py: PythonVersion = "3.14".parse().unwrap();
    let profile = Profile::shipped();
    let c = profile.costs(py).unwrap();
    assert!(c.timer_late_ns > 0 && c.asyncio_timer_late_ns > 0);
    assert_eq!(c.asyncio_timer_tick_ns, 1_000_000);
    let batch = |waits: &str, io_ms: f64| {
        Workload::from_json(&format!(
            r#"{{"name": "sleeps", "tasks": 20, "steps": [{{"io_ms": {io_ms}}}], "waits": "{waits}"}}"#
        ))
        .unwrap()
    };
    let time = |m: Model, w: &Workload| go(&scenario(m, 1, 2), w).makespan_s;
    // One thread sleeping 20 times: each sleep ends timer_late late.
    let late = c.timer_late_ns as f64 / 1e9;
    let d =
        time(Model::Sequential, &batch("sleep", 5.0)) - time(Model::Sequential, &batch("io", 5.0));
    assert!(
        (d - 20.0 * late).abs() < 1e-6,
        "20 sleeps ended {d} s later, not {}",
        20.0 * late
    );
    // One coroutine sleeping 5.3 ms at a time: the idle loop's timeout of
    // about 5.3 ms is rounded up to 6 ms, and the timer fires late on top.
    let loop_late = c.asyncio_timer_late_ns as f64 / 1e9;
    let d = time(Model::Asyncio, &batch("sleep", 5.3)) - time(Model::Asyncio, &batch("io", 5.3));
    let want = 20.0 * (0.0007 + loop_late);
    assert!(
        (d - want).abs() < 20.0 * 20e-6,
        "20 asyncio sleeps ended {d} s later, not about {want}"
    );
    // A whole number of milliseconds is not rounded: only the lateness.
    let d = time(Model::Asyncio, &batch("sleep", 5.0)) - time(Model::Asyncio, &batch("io", 5.0));
    assert!((d - 20.0 * loop_late).abs() < 20.0 * 20e-6, "{d}");
    // Without the tick (a selector with fine timeouts) 5.3 ms pays only the lateness.
    let fine = shipped_with(&["asyncio_timer_tick=0us"]);
    let t = |w: &Workload, p: &Profile| {
        predict(&scenario(Model::Asyncio, 1, 2), w, p)
            .unwrap()
            .makespan_s
    };
    let d = t(&batch("sleep", 5.3), &fine) - t(&batch("io", 5.3), &fine);
    assert!((d - 20.0 * loop_late).abs() < 20.0 * 20e-6, "{d}");

    // A server whose caller sleeps until each arrival: with nothing else to
    // do, an event loop wakes for an arrival on its tick, so a one-worker
    // asyncio server answers later than sequential code, whose thread
    // wakes timer_late after the arrival. On a socket neither waits.
    let server = |waits: &str| {
        Workload::from_json(&format!(
            r#"{{"name": "quiet", "arrivals": {{"rate_per_s": 20.0, "duration_s": 10.0}},
                "steps": [{{"python_ms": 3.0}}, {{"io_ms": 5.0}}], "accept": "caller", "waits": "{waits}"}}"#
        ))
        .unwrap()
    };
    let p50 = |m: Model, w: &Workload| go(&scenario(m, 1, 2), w).latency_ms.unwrap().p50;
    let (seq, aio) = (
        p50(Model::Sequential, &server("sleep")),
        p50(Model::Asyncio, &server("sleep")),
    );
    assert!(
        aio > seq + 0.3,
        "asyncio {aio} ms against sequential {seq} ms"
    );
    let (seq, aio) = (
        p50(Model::Sequential, &server("io")),
        p50(Model::Asyncio, &server("io")),
    );
    assert!(
        (aio - seq).abs() < 0.1,
        "on a socket: asyncio {aio} ms, sequential {seq} ms"
    );
}

/// Mechanism: a batch's asyncio workers are coroutines that take the next
/// task from a queue as soon as they finish one, with nothing awaited in
/// between, so the next task's first step runs before coroutines that were
/// waiting to resume. Two of them overlap one task's CPU with the other's
/// wait, as two GIL threads do.
#[test]
fn an_asyncio_worker_goes_straight_on_to_its_next_task() {
    let w = Workload::from_json(
        r#"{"name": "mixed", "tasks": 48, "steps": [{"python_ms": 4.0}, {"io_ms": 10.0}, {"python_ms": 4.0}]}"#,
    )
    .unwrap();
    let aio = go(&scenario(Model::Asyncio, 2, 2), &w).speedup;
    let threads = go(&scenario(Model::Threads, 2, 2), &w).speedup;
    // Each task is 8 ms of CPU and a 10 ms wait: two in flight keep the
    // loop busy 8 ms of every 9, close to twice sequential speed.
    assert!(aio > 1.9, "two asyncio workers: {aio}x");
    assert!(
        (aio - threads).abs() < 0.05 * threads,
        "asyncio {aio}x, threads {threads}x"
    );
}
