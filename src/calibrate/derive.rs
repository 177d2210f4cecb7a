//! From the harness's raw metrics to profile parameters.
//!
//! Each rule says which metrics a parameter comes from, the arithmetic that
//! turns them into the quantity the simulator charges (for example, the
//! model adds the start-up hand-shake of a thread itself, so the measured
//! start+join time less one GIL hand-off and two context switches is
//! `thread_start`), how noisy the repeats may be, and what to say when a
//! metric is missing. Arithmetic is done per repeat where the metrics come
//! from one benchmark, so the spread describes the derived figure.

use super::stats::{summarise, Stat};
use serde_json::Value;
use std::collections::BTreeMap;

/// What one benchmark run printed.
#[derive(Clone, Debug, Default)]
pub struct BenchResult {
    /// One value per repeat, by metric name.
    pub metrics: BTreeMap<String, Vec<f64>>,
    /// Metrics the interpreter or platform cannot give, with the reason.
    pub unavailable: BTreeMap<String, String>,
    /// Anything else the benchmark reported.
    pub notes: Value,
}

/// Every benchmark's result for one interpreter, and the benchmarks that
/// failed with the reason.
#[derive(Clone, Debug, Default)]
pub struct Metrics {
    /// Results by benchmark name.
    pub benches: BTreeMap<String, BenchResult>,
    /// Benchmarks that failed or timed out.
    pub failed: BTreeMap<String, String>,
    /// The reference loop's time before and after every benchmark (ns):
    /// how fast the machine ran during the calibration.
    pub probes: Vec<f64>,
}

impl Metrics {
    /// The repeats of `metric`, or why there are none.
    pub fn values(&self, bench: &str, metric: &str) -> Result<&[f64], String> {
        if let Some(why) = self.failed.get(bench) {
            return Err(format!("the {bench} benchmark failed: {why}"));
        }
        let Some(b) = self.benches.get(bench) else {
            return Err(format!("the {bench} benchmark was not run"));
        };
        if let Some(v) = b.metrics.get(metric) {
            return Ok(v);
        }
        Err(b
            .unavailable
            .get(metric)
            .cloned()
            .unwrap_or_else(|| format!("the {bench} benchmark did not report {metric}")))
    }

    /// The summary of `metric`.
    pub fn stat(&self, bench: &str, metric: &str) -> Result<Stat, String> {
        let v = self.values(bench, metric)?;
        summarise(v).ok_or_else(|| format!("{metric} has no finite value"))
    }
}

/// One derived parameter: its value in canonical units (ns, bytes, bytes
/// per second, ratio) with the spread of its repeats, or why there is none.
#[derive(Clone, Debug)]
pub struct Derived {
    /// Parameter name.
    pub param: &'static str,
    /// Value and spread, or the reason the interpreter cannot give it.
    pub result: Result<Stat, String>,
    /// Largest spread accepted.
    pub limit: f64,
    /// How it was measured, for the provenance.
    pub method: String,
}

fn from_values(values: Vec<f64>) -> Result<Stat, String> {
    summarise(&values).ok_or_else(|| "no finite value".to_string())
}

fn per_repeat(
    m: &Metrics,
    bench: &str,
    metric: &str,
    f: impl Fn(f64) -> f64,
) -> Result<Stat, String> {
    from_values(m.values(bench, metric)?.iter().map(|&x| f(x)).collect())
}

fn pairwise(
    m: &Metrics,
    bench: &str,
    a: &str,
    b: &str,
    f: impl Fn(f64, f64) -> f64,
) -> Result<Stat, String> {
    let xs = m.values(bench, a)?;
    let ys = m.values(bench, b)?;
    from_values(xs.iter().zip(ys).map(|(&x, &y)| f(x, y)).collect())
}

fn d(param: &'static str, limit: f64, method: &str, result: Result<Stat, String>) -> Derived {
    Derived {
        param,
        result,
        limit,
        method: method.to_string(),
    }
}

/// The caller's per-task cost of a process pool, split into a per-call part
/// (`pickle_call`) and a per-wake-up part shared by the calls queued at once
/// (`pool_wakeup`, divided by workers + 1 in the simulator), from the
/// caller's CPU per no-op task through one worker (c1) and through a deep
/// pool of w workers (cw), both up at once and taking short batches in turn:
/// c = call + wakeup / (workers + 1) at both. `pickle_call` is the separate
/// one-worker batch (whose worker's CPU gives `worker_call`) less half a
/// wake-up. The machine's speed drifts between repeats, so each repeat's
/// pair is taken at the median one-worker speed (c1 the median, cw that
/// times the repeat's own cw / c1). Without a deep pool's figure, or when
/// the split is too noisy to trust, the one-worker figure is all per-call
/// and the wake-up part is refused with the reason.
fn pool_call_costs(m: &Metrics) -> [Derived; 2] {
    const LIMIT: f64 = 0.5;
    let one = "ProcessPoolExecutor (fork) with one worker, a batch of no-op calls with an int and a short str: CPU time of the calling process (all its threads) per task";
    let whole = |why: String| {
        [
            d(
                "pickle_call",
                0.3,
                one,
                m.stat("pools", "process_pool_parent_cpu_ns"),
            ),
            d("pool_wakeup", LIMIT, "", Err(why)),
        ]
    };
    let split = || -> Result<(f64, Vec<f64>), String> {
        // The one-worker batches taken in turn with the deep pool's, when
        // the harness took them (older harnesses took one batch before).
        let c1 = m
            .values("pools", "process_pool_shallow_parent_cpu_ns")
            .or_else(|_| m.values("pools", "process_pool_parent_cpu_ns"))?;
        let cw = m.values("pools", "process_pool_deep_parent_cpu_ns")?;
        let w = m.stat("pools", "process_pool_deep_workers")?.median;
        if w < 2.0 || c1.len() != cw.len() {
            return Err(format!(
                "the deep pool ({w} workers) cannot be compared with one worker"
            ));
        }
        let med = summarise(c1).ok_or("no finite one-worker figure")?.median;
        let ratios = c1
            .iter()
            .zip(cw)
            .filter(|(a, _)| **a > 0.0)
            .map(|(a, b)| b / a);
        // Between none and all of the one-worker cost.
        let wake = |r: f64| (med * (1.0 - r) / (0.5 - 1.0 / (w + 1.0))).clamp(0.0, 2.0 * med);
        Ok((w, ratios.map(wake).collect()))
    };
    let (w, wakes) = match split() {
        Ok(x) => x,
        Err(why) => return whole(why),
    };
    let wake = match summarise(&wakes) {
        Some(s) if s.spread <= LIMIT => s,
        Some(s) => {
            return whole(format!(
                "refused: the per-wake-up part of {} repeats disagrees too much (spread {:.0}% of the median; at most {:.0}% is accepted), so the one-worker figure counts as per call",
                s.repeats,
                s.spread * 100.0,
                LIMIT * 100.0
            ))
        }
        None => return whole("no finite value".into()),
    };
    let method = format!(
        "the calling process's CPU time (all its threads) per no-op call with an int and a short str through ProcessPoolExecutor (fork) with one worker (c1) and with {w} workers (cw), both pools up and taking short batches in turn, each repeat at the median one-worker speed; the call queue holds workers + 1 calls, so c = call + wakeup / (workers + 1) at both"
    );
    [
        d(
            "pickle_call",
            0.3,
            &format!("Per call, c1 less half the wake-up cost: {method}"),
            // At the median speed c1 less half a wake-up; each repeat at its
            // own speed, so the spread is the one-worker figure's.
            summarise(
                m.values("pools", "process_pool_parent_cpu_ns")
                    .unwrap_or(&[]),
            )
            .map(|c1| (c1.median - wake.median / 2.0).max(0.0) / c1.median)
            .ok_or_else(|| "no finite one-worker figure".to_string())
            .and_then(|share| {
                per_repeat(m, "pools", "process_pool_parent_cpu_ns", |c1| c1 * share)
            }),
        ),
        d(
            "pool_wakeup",
            LIMIT,
            &format!("Per wake-up, (c1 - cw) / (1/2 - 1/(w + 1)): {method}"),
            Ok(wake),
        ),
    ]
}

/// Largest spread accepted for a hand-over latency: wake-ups across cores
/// depend on where the scheduler puts the threads, so the repeats of one
/// machine differ more than CPU costs do.
const HANDOVER_LIMIT: f64 = 0.6;

/// The latency of a call to an idle pool beyond the CPU the simulator
/// charges on its way (`bench_handover`). Each repeat pairs calls made one
/// at a time to an idle one-worker pool with a batch through the same pool:
/// the simulator charges an idle call what a batch costs per call, so the
/// difference is what a busy pool hides (its threads never sleep).
///
/// - A thread pool charges `dispatch` (the batch's wall time per task) on
///   the way in: `thread_handover` is the idle call's way in less that.
/// - An interpreter pool charges `dispatch` and one `xi_call` on the way in,
///   which is half the batch's time per task plus half the thread pool's.
/// - A process pool charges each end half its per-call CPU in each
///   direction: on the way in and on the way back, half the caller's and
///   half the worker's CPU per call of the batch.
///
/// A way back of a thread or interpreter pool measures within a few
/// microseconds of what is charged, so it has no parameter.
///
/// A busy pool's after-wait latency (`*_after_wait`) is, in the same pool,
/// the median gap between consecutive tasks of a batch whose tasks compute
/// for 1 ms and then sleep for 5 ms, less the same gap when they only
/// compute: the simulator charges the latter as a busy pool's per-call
/// cost, and the timer's lateness falls before the gap.
fn handover_params(m: &Metrics) -> Vec<Derived> {
    let b = "handover";
    let idle = "calls made one at a time to an idle one-worker pool, each after a 3 ms pause, median per repeat (a no-op with an int and a short str, timed with perf_counter_ns in both processes)";
    let process = |idle_metric: &str| -> Result<Stat, String> {
        let xs = m.values(b, idle_metric)?;
        let cs = m.values(b, "process_batch_caller_cpu_ns")?;
        let ws = m.values(b, "process_batch_worker_cpu_ns")?;
        from_values(
            xs.iter()
                .zip(cs)
                .zip(ws)
                .map(|((x, c), w)| (x - (c + w) / 2.0).max(0.0))
                .collect(),
        )
    };
    vec![
        d(
            "thread_handover",
            HANDOVER_LIMIT,
            &format!("ThreadPoolExecutor: from submit() to the call running in the worker, {idle}, less the same pool's wall time per task in a batch (dispatch)"),
            pairwise(m, b, "thread_idle_in_ns", "thread_batch_task_ns", |x, t| {
                (x - t).max(0.0)
            }),
        ),
        d(
            "interpreter_handover",
            HANDOVER_LIMIT,
            &format!("InterpreterPoolExecutor: from submit() to the call running in the worker's interpreter, {idle}, less half its wall time per task in a batch and half a thread pool's (dispatch and one xi_call)"),
            m.stat(b, "thread_batch_task_ns").and_then(|t| {
                pairwise(
                    m,
                    b,
                    "interpreter_idle_in_ns",
                    "interpreter_batch_task_ns",
                    |x, i| (x - (i + t.median) / 2.0).max(0.0),
                )
            }),
        ),
        d(
            "process_handover",
            HANDOVER_LIMIT,
            &format!("ProcessPoolExecutor (fork): from submit() to the call running in the worker process, {idle}, less half the caller's and half the worker's CPU per call in a batch through the same pool"),
            process("process_idle_in_ns"),
        ),
        d(
            "process_collect",
            HANDOVER_LIMIT,
            &format!("ProcessPoolExecutor (fork): from the call returning in the worker to the caller's done-callback, {idle}, less half the caller's and half the worker's CPU per call in a batch through the same pool"),
            process("process_idle_out_ns"),
        ),
        after_wait(m, "thread_after_wait", "thread", "ThreadPoolExecutor"),
        after_wait(m, "interpreter_after_wait", "interpreter", "InterpreterPoolExecutor"),
        after_wait(m, "process_after_wait", "process", "ProcessPoolExecutor (fork)"),
    ]
}

/// One pool's after-wait latency (see [`handover_params`]).
fn after_wait(m: &Metrics, param: &'static str, kind: &str, pool: &str) -> Derived {
    d(
        param,
        HANDOVER_LIMIT,
        &format!("{pool} with one worker: the median gap from one task's last line to the next one's first line in a batch of tasks that each compute for 1 ms and then sleep for 5 ms, less the same in a batch whose tasks only compute, per repeat (perf_counter_ns in the worker)"),
        pairwise(
            m,
            "handover",
            &format!("{kind}_busy_gap_after_wait_ns"),
            &format!("{kind}_busy_gap_ns"),
            |w, c| (w - c).max(0.0),
        ),
    )
}

/// Parameters that depend on the interpreter, for one interpreter.
/// `switch_interval_s` comes from the interpreter's `info`.
pub fn interpreter_params(m: &Metrics, switch_interval_s: Option<f64>) -> Vec<Derived> {
    let mut out = Vec::new();
    let interval_ns = switch_interval_s.map(|s| s * 1e9);
    out.push(d(
        "switch_interval",
        0.0,
        "sys.getswitchinterval() read from the interpreter (the configured value)",
        interval_ns
            .map(|v| Stat {
                median: v,
                spread: 0.0,
                repeats: 1,
            })
            .ok_or_else(|| "the interpreter did not report its switch interval".to_string()),
    ));
    let handoff = m.stat("gil", "gil_handoff_ns");
    let switch = m
        .stat("os", "context_switch_ns")
        .map(|s| s.median)
        .unwrap_or(0.0);
    out.push(d(
        "eval_breaker_check",
        1.0,
        "Two CPU-bound threads, each noting when it stops and resumes running; the median slice between forced switches less the switch interval (the waiter's timer latency and the holder's reaction to the drop request)",
        match interval_ns {
            Some(iv) => per_repeat(m, "gil", "switch_interval_ns", |x| (x - iv).max(0.0)),
            None => Err("the interpreter did not report its switch interval".into()),
        },
    ));
    out.push(d(
        "gil_handoff",
        0.6,
        "Two CPU-bound threads; at each forced switch, the time from the old holder's last step to the new holder's first (median per repeat)",
        handoff.clone(),
    ));
    let hand = handoff.as_ref().map(|s| s.median).unwrap_or(0.0);
    out.push(d(
        "thread_start",
        0.3,
        "threading.Thread(target=noop).start() and join(), one at a time, mean per thread; less one GIL hand-off and two context switches, which the simulator charges itself",
        per_repeat(m, "threads", "thread_start_ns", |x| {
            (x - hand - 2.0 * switch).max(0.25 * x)
        }),
    ));
    out.push(d(
        "thread_memory",
        0.35,
        "Private resident memory (/proc/self/smaps_rollup) added by 64 parked threads, per thread",
        m.stat("threads", "thread_memory_bytes"),
    ));
    out.push(d(
        "fork_start",
        0.3,
        "multiprocessing fork context: Process(target=noop).start() and join(), one at a time, mean per process",
        m.stat("processes", "fork_cycle_ns"),
    ));
    out.push(d(
        "forkserver_fork",
        0.3,
        "multiprocessing forkserver context, server already running: Process.start() and join(), one at a time, mean per process",
        m.stat("processes", "forkserver_cycle_ns"),
    ));
    out.push(d(
        "spawn_start",
        0.5,
        "multiprocessing spawn context: time inside Process.start() in the parent, mean per process",
        m.stat("processes", "spawn_parent_ns"),
    ));
    out.push(d(
        "process_boot",
        0.3,
        "multiprocessing spawn context: start() to join() of a child that imports concurrent.futures.process (a pool worker's bootstrap), less the parent-side start",
        pairwise(m, "processes", "spawn_cycle_ns", "spawn_parent_ns", |c, p| {
            (c - p).max(0.0)
        }),
    ));
    out.push(d(
        "process_memory",
        0.2,
        "Private resident memory of a spawned child after its pool bootstrap (/proc/self/smaps_rollup)",
        m.stat("processes", "spawn_memory_bytes"),
    ));
    out.push(d(
        "fork_memory",
        0.2,
        "Private resident memory of a forked child after its pool bootstrap: the pages copied on write",
        m.stat("processes", "fork_memory_bytes"),
    ));
    out.push(interpreter_create(m));
    out.push(d(
        "interpreter_close",
        0.4,
        "Closing a sub-interpreter, mean of a batch",
        m.stat("interpreters", "interpreter_close_ns"),
    ));
    out.push(d(
        "interpreter_memory",
        0.35,
        "Private resident memory added by a batch of live sub-interpreters, per interpreter",
        m.stat("interpreters", "interpreter_memory_bytes"),
    ));
    let dispatch = m.stat("pools", "thread_pool_task_ns");
    let xi_call = match (m.values("pools", "interpreter_pool_task_ns"), &dispatch) {
        (Ok(_), Ok(dsp)) => d(
            "xi_call",
            0.4,
            "InterpreterPoolExecutor with one worker: per task in a batch (a no-op with an int and a short str), less a thread pool's per-task cost, halved (a call in and its reply out)",
            per_repeat(m, "pools", "interpreter_pool_task_ns", |x| {
                ((x - dsp.median) / 2.0).max(0.0)
            }),
        ),
        _ => {
            let small = m
                .stat("pickle", "pickle_small_ns")
                .map(|s| s.median)
                .unwrap_or(0.0);
            d(
                "xi_call",
                0.4,
                "No InterpreterPoolExecutor: running a function in a sub-interpreter from a worker thread, per call, plus pickling and unpickling a small call message",
                per_repeat(m, "interpreters", "xi_call_ns", |x| x + small),
            )
        }
    };
    out.push(xi_call);
    out.push(d(
        "xi_numbers",
        0.4,
        "InterpreterPoolExecutor(1) returning lists of 20,000 floats, every result kept: per task, less building the list in-process and a no-op call, per pickled byte",
        m.stat("pools", "xi_numbers_bps"),
    ));
    out.push(d(
        "xi_objects",
        0.4,
        "InterpreterPoolExecutor(1) returning lists of 2,000 records, every result kept: per task, less building the list in-process and a no-op call, per pickled byte",
        m.stat("pools", "xi_objects_bps"),
    ));
    out.push(d(
        "xi_copy",
        0.4,
        "Copying a 16 MiB bytes object into a sub-interpreter's __main__ from a worker thread",
        m.stat("interpreters", "xi_copy_bps"),
    ));
    out.push(d(
        "pickle_bytes",
        0.3,
        "pickle.dumps of 1 MiB bytes objects one after another, highest protocol, every pickle kept until the batch ends so that each lands in fresh memory (freed at once, their memory was reused or returned to the kernel depending on the allocator's state, and repeats differed tenfold)",
        m.stat("pickle", "pickle_bytes_bps"),
    ));
    out.push(d(
        "unpickle_bytes",
        0.4,
        "pickle.loads of those pickles, every result kept (as a pool's caller keeps its results, so each lands in fresh memory)",
        m.stat("pickle", "unpickle_bytes_bps"),
    ));
    out.push(d(
        "pickle_objects",
        0.3,
        "pickle.dumps of lists of 2,000 small records (dicts of an int, a str, a float and a list), every pickle kept, per pickled byte",
        m.stat("pickle", "pickle_objects_bps"),
    ));
    out.push(d(
        "unpickle_objects",
        0.3,
        "pickle.loads of those pickles, every result kept, per pickled byte",
        m.stat("pickle", "unpickle_objects_bps"),
    ));
    out.push(d(
        "pickle_numbers",
        0.3,
        "pickle.dumps of lists of 20,000 floats, every pickle kept, per pickled byte",
        m.stat("pickle", "pickle_floats_bps"),
    ));
    out.push(d(
        "unpickle_numbers",
        0.3,
        "pickle.loads of those pickles, every result kept, per pickled byte",
        m.stat("pickle", "unpickle_floats_bps"),
    ));
    out.extend(pool_call_costs(m));
    out.push(d(
        "worker_call",
        0.3,
        "ProcessPoolExecutor (fork) with one worker, the same batch: CPU time of the worker process per task (getrusage of the reaped child)",
        m.stat("pools", "process_pool_worker_cpu_ns"),
    ));
    out.push(d(
        "pipe",
        0.4,
        "multiprocessing Connection.send_bytes/recv_bytes of 1 MiB blocks from a forked child, every block kept: bytes per second of wall time",
        m.stat("pipe", "pipe_bps"),
    ));
    out.push(d(
        "pipe_send",
        0.4,
        "The same transfer: the sending thread's CPU time (time.thread_time) per byte",
        m.stat("pipe", "pipe_send_cpu_bps"),
    ));
    out.push(d(
        "pipe_receive",
        0.4,
        "The same transfer: the receiving thread's CPU time (time.thread_time) per byte, every block kept",
        m.stat("pipe", "pipe_receive_cpu_bps"),
    ));
    out.push(d(
        "dispatch",
        0.3,
        "ThreadPoolExecutor with one worker: per task in a batch (a no-op with an int and a short str)",
        dispatch,
    ));
    out.push(d(
        "submit",
        0.3,
        "ThreadPoolExecutor with one worker, a batch of the same calls: the submitting thread's CPU time (time.thread_time) per call, submitting every call and then taking every result",
        m.stat("pools", "thread_pool_caller_cpu_ns"),
    ));
    out.extend(handover_params(m));
    out.push(d(
        "asyncio_task",
        0.3,
        "asyncio: ensure_future and gather of no-op coroutines, per task",
        m.stat("asyncio", "asyncio_task_ns"),
    ));
    out.push(d(
        "asyncio_await",
        0.3,
        "asyncio: one coroutine awaiting asyncio.sleep(0) in a loop, per await",
        m.stat("asyncio", "asyncio_await_ns"),
    ));
    out.push(d(
        "asyncio_task_memory",
        0.2,
        "tracemalloc: Python heap held by pending tasks awaiting one future, per task",
        m.stat("asyncio", "asyncio_task_memory_bytes"),
    ));
    out.extend(timer_params(m));
    out.push(d(
        "contention",
        0.5,
        "Free-threaded build: threads (one per core) writing to one shared dict against each writing its own; the extra time per additional thread",
        m.stat("contention", "contention"),
    ));
    out
}

/// Largest spread accepted for a timer's lateness: like a hand-over, it is
/// a wake-up, and where the scheduler puts the sleeper moves it.
const TIMER_LIMIT: f64 = 0.6;

/// How late timed sleeps end (`bench_timers`), and the unit asyncio's
/// event loop waits in.
fn timer_params(m: &Metrics) -> Vec<Derived> {
    let selector = m
        .benches
        .get("timers")
        .and_then(|b| b.notes["selector"].as_str())
        .unwrap_or("its selector")
        .to_string();
    vec![
        d(
            "timer_late",
            TIMER_LIMIT,
            "time.sleep(5 ms) in a thread, one after another: the median time past 5 ms, per repeat",
            m.stat("timers", "sleep_late_ns"),
        ),
        d(
            "asyncio_timer_late",
            TIMER_LIMIT,
            "asyncio.sleep(5 ms) in an event loop with nothing else to do, one after another (its selector's timeout then falls on a whole millisecond): the median time past 5 ms, per repeat",
            m.stat("timers", "asyncio_sleep_late_ns"),
        ),
        d(
            "asyncio_timer_tick",
            0.0,
            &format!("read from the interpreter: asyncio's default event loop waits in {selector}; epoll, poll and the Windows proactor take timeouts in whole milliseconds, which CPython rounds up (Lib/selectors.py), kqueue and select finer ones"),
            m.stat("timers", "asyncio_timer_tick_ns"),
        ),
    ]
}

/// Starting one interpreter as a pool starts it: with InterpreterPoolExecutor
/// (3.14+) from its first-result latency, net of what a thread pool's first
/// result costs and of the call in and out; without it, a bare isolated
/// interpreter.
fn interpreter_create(m: &Metrics) -> Derived {
    let pool = (
        m.values("pools", "interpreter_pool_first_ns"),
        m.stat("pools", "thread_pool_first_ns"),
        m.stat("pools", "interpreter_pool_task_ns"),
        m.stat("pools", "thread_pool_task_ns"),
    );
    if let (Ok(_), Ok(tp), Ok(ipt), Ok(tpt)) = pool {
        let calls = (ipt.median - tpt.median).max(0.0);
        return d(
            "interpreter_create",
            0.3,
            "InterpreterPoolExecutor(1): from creating the pool to its first no-op result, less a ThreadPoolExecutor's (thread start and dispatch) and one task's calls in and out: the cost of bringing up one pool interpreter",
            per_repeat(m, "pools", "interpreter_pool_first_ns", |x| {
                (x - tp.median - calls).max(0.0)
            }),
        );
    }
    d(
        "interpreter_create",
        0.3,
        "Creating an isolated sub-interpreter (own GIL), mean of a batch (no InterpreterPoolExecutor on this version)",
        m.stat("interpreters", "interpreter_create_ns"),
    )
}

/// Parameters of the machine rather than the interpreter (measured once).
pub fn machine_params(m: &Metrics) -> Vec<Derived> {
    vec![
        d(
            "context_switch",
            0.3,
            "Two processes pinned to one CPU passing a byte back and forth through pipes; half a round trip (includes the read and write system calls)",
            m.stat("os", "context_switch_ns"),
        ),
        d(
            "os_quantum",
            0.3,
            "Two CPU-bound processes pinned to one CPU, each noting when it stops and resumes; the median run between pre-emptions",
            m.stat("os", "os_quantum_ns"),
        ),
        d(
            "all_core_speed",
            0.25,
            "A fixed CPU kernel alone, then in one process per CPU at once: time alone over the median time with every CPU busy",
            per_repeat(m, "os", "all_core_speed", |x| x.clamp(0.1, 1.0)),
        ),
        d(
            "all_core_memory_speed",
            0.25,
            "Memory-bound work (unpickling float lists into fresh memory, copying 1 MiB buffers, results kept) in one process, then in one process per CPU at once: time alone over the median time with every CPU busy",
            per_repeat(m, "os", "all_core_memory_speed", |x| x.clamp(0.1, 1.0)),
        ),
    ]
}

/// Free-threading figures from a free-threaded build measured beside the GIL
/// build of the same release.
pub fn free_threading_params(ft: &Metrics, gil: &Metrics) -> Vec<Derived> {
    let ratio = |metric: &str| -> Result<Stat, String> {
        let base = gil.stat("single", metric)?;
        if base.median <= 0.0 {
            return Err(format!("{metric} of the GIL build is zero"));
        }
        per_repeat(ft, "single", metric, |x| (x / base.median - 1.0).max(0.0))
    };
    vec![
        d(
            "ft_overhead",
            0.25,
            "A fixed mix of pure-Python work (dicts, sorting, small objects, integer loops), one thread: free-threaded time over the GIL build's median, less one",
            ratio("single_thread_work_ns"),
        ),
        d(
            "ft_memory_overhead",
            0.25,
            "Private resident memory of a list of 100,000 small records: free-threaded over the GIL build's median, less one",
            ratio("object_graph_memory_bytes"),
        ),
    ]
}

/// Figures the harness reports for comparison but the simulator does not
/// take as parameters: (metric bench, metric, unit, meaning).
pub const OBSERVATIONS: &[(&str, &str, &str, &str)] = &[
    ("gil", "gil_two_thread_efficiency", "ratio", "Work two CPU-bound threads get done together against one thread alone (GIL build: about 1)"),
    ("gil", "switch_interval_ns", "ns", "Observed slice between forced GIL switches with two CPU-bound threads"),
    ("convoy", "io_wake_delay_beside_cpu_ns", "ns", "Extra delay of a 1 ms sleep's wake-up when a CPU-bound thread holds the GIL (the convoy effect)"),
    ("pools", "process_pool_task_ns", "ns", "ProcessPoolExecutor (fork), one worker, per no-op task in a batch (wall time)"),
    ("pickle", "pickle_small_ns", "ns", "pickle.dumps and loads of a small call message (function, args, kwargs)"),
    ("pickle", "pickle_per_object_ns", "ns", "pickle.dumps of the record graph, per object in it"),
    ("pickle", "unpickle_per_object_ns", "ns", "pickle.loads of the record graph, per object in it"),
    ("processes", "spawn_cycle_ns", "ns", "Spawned process start to join, child importing concurrent.futures.process"),
    ("processes", "forkserver_parent_ns", "ns", "Parent-side time of starting a forkserver process"),
    ("pools", "interpreter_pool_task_ns", "ns", "InterpreterPoolExecutor, one worker, per no-op task in a batch"),
    ("pools", "thread_pool_first_ns", "ns", "ThreadPoolExecutor(1): creation to first no-op result"),
    ("pools", "process_pool_fork_first_ns", "ns", "ProcessPoolExecutor(1), fork: creation to first no-op result"),
    ("pools", "process_pool_forkserver_first_ns", "ns", "ProcessPoolExecutor(1), forkserver: creation to first no-op result (server possibly already running)"),
    ("pools", "process_pool_spawn_first_ns", "ns", "ProcessPoolExecutor(1), spawn: creation to first no-op result"),
    ("pools", "interpreter_pool_first_ns", "ns", "InterpreterPoolExecutor(1): creation to first no-op result"),
    ("interpreters", "interpreter_create_ns", "ns", "Creating a bare isolated sub-interpreter"),
    ("interpreters", "xi_call_ns", "ns", "Running a function in a sub-interpreter from a worker thread, per call"),
    ("single", "single_thread_work_ns", "ns", "A fixed mix of pure-Python work, one thread"),
];

/// Metrics from (benchmark, metric, repeats) triples, for tests.
#[cfg(test)]
pub(crate) fn metrics(pairs: &[(&str, &str, &[f64])]) -> Metrics {
    let mut m = Metrics::default();
    for (bench, metric, values) in pairs {
        m.benches
            .entry(bench.to_string())
            .or_default()
            .metrics
            .insert(metric.to_string(), values.to_vec());
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(ds: &'a [Derived], name: &str) -> &'a Derived {
        ds.iter().find(|d| d.param == name).unwrap()
    }

    #[test]
    fn thread_start_excludes_the_hand_shake_the_model_adds() {
        let m = metrics(&[
            (
                "threads",
                "thread_start_ns",
                &[100_000.0, 110_000.0, 90_000.0],
            ),
            ("gil", "gil_handoff_ns", &[30_000.0; 3]),
            ("os", "context_switch_ns", &[4_000.0; 3]),
        ]);
        let ds = interpreter_params(&m, Some(0.005));
        let ts = find(&ds, "thread_start").result.clone().unwrap();
        assert_eq!(ts.median, 100_000.0 - 30_000.0 - 8_000.0);
        let si = find(&ds, "switch_interval").result.clone().unwrap();
        assert_eq!(si.median, 5e6);
    }

    #[test]
    fn missing_metrics_say_why() {
        let mut m = Metrics::default();
        m.failed
            .insert("processes".into(), "timed out after 300 s".into());
        let mut b = BenchResult::default();
        b.unavailable.insert(
            "interpreter_create_ns".into(),
            "sub-interpreters with their own GIL need Python 3.12 or later".into(),
        );
        m.benches.insert("interpreters".into(), b);
        let ds = interpreter_params(&m, None);
        let fork = find(&ds, "fork_start").result.clone().unwrap_err();
        assert!(fork.contains("timed out"), "{fork}");
        let ic = find(&ds, "interpreter_create").result.clone().unwrap_err();
        assert!(ic.contains("3.12"), "{ic}");
        assert!(find(&ds, "asyncio_task")
            .result
            .clone()
            .unwrap_err()
            .contains("not run"));
    }

    #[test]
    fn free_threading_overhead_is_relative_to_the_gil_build() {
        let gil = metrics(&[("single", "single_thread_work_ns", &[100.0, 101.0, 99.0])]);
        let ft = metrics(&[("single", "single_thread_work_ns", &[140.0, 141.0, 139.0])]);
        let ds = free_threading_params(&ft, &gil);
        let o = find(&ds, "ft_overhead").result.clone().unwrap();
        assert!((o.median - 0.40).abs() < 1e-9);
        assert!(find(&ds, "ft_memory_overhead").result.is_err());
    }

    #[test]
    fn interpreter_pool_calls_are_halved_net_of_dispatch() {
        let m = metrics(&[
            ("pools", "thread_pool_task_ns", &[8_000.0; 3]),
            ("pools", "interpreter_pool_task_ns", &[68_000.0; 3]),
        ]);
        let ds = interpreter_params(&m, Some(0.005));
        assert_eq!(
            find(&ds, "xi_call").result.clone().unwrap().median,
            30_000.0
        );
    }

    #[test]
    fn submit_is_the_submitting_threads_cpu_per_call() {
        let m = metrics(&[
            ("pools", "thread_pool_task_ns", &[8_000.0; 3]),
            (
                "pools",
                "thread_pool_caller_cpu_ns",
                &[5_000.0, 6_000.0, 5_500.0],
            ),
        ]);
        let ds = interpreter_params(&m, Some(0.005));
        assert_eq!(find(&ds, "submit").result.clone().unwrap().median, 5_500.0);
        // A measurement taken before the harness timed it has none.
        let old = metrics(&[("pools", "thread_pool_task_ns", &[8_000.0; 3])]);
        assert!(find(&interpreter_params(&old, Some(0.005)), "submit")
            .result
            .is_err());
    }

    #[test]
    fn a_deep_pool_separates_per_call_and_per_wakeup_costs() {
        // call 34 us, wake-up 180 us: one worker 34 + 90, eight 34 + 20.
        let m = metrics(&[
            ("pools", "process_pool_parent_cpu_ns", &[124_000.0; 3]),
            ("pools", "process_pool_deep_parent_cpu_ns", &[54_000.0; 3]),
            ("pools", "process_pool_deep_workers", &[8.0; 3]),
        ]);
        let ds = interpreter_params(&m, Some(0.005));
        let call = find(&ds, "pickle_call").result.clone().unwrap().median;
        let wake = find(&ds, "pool_wakeup").result.clone().unwrap().median;
        assert!((call - 34_000.0).abs() < 1e-6, "{call}");
        assert!((wake - 180_000.0).abs() < 1e-6, "{wake}");
        // No saving in the deep pool: it is all per call.
        let flat = metrics(&[
            ("pools", "process_pool_parent_cpu_ns", &[50_000.0; 3]),
            ("pools", "process_pool_deep_parent_cpu_ns", &[60_000.0; 3]),
            ("pools", "process_pool_deep_workers", &[8.0; 3]),
        ]);
        let ds = interpreter_params(&flat, Some(0.005));
        assert_eq!(
            find(&ds, "pickle_call").result.clone().unwrap().median,
            50_000.0
        );
        assert_eq!(find(&ds, "pool_wakeup").result.clone().unwrap().median, 0.0);
        // A split too noisy to trust: refused, and all of it per call.
        let noisy = metrics(&[
            ("pools", "process_pool_parent_cpu_ns", &[100_000.0; 4]),
            (
                "pools",
                "process_pool_deep_parent_cpu_ns",
                &[95_000.0, 50_000.0, 90_000.0, 40_000.0],
            ),
            ("pools", "process_pool_deep_workers", &[8.0; 4]),
        ]);
        let ds = interpreter_params(&noisy, Some(0.005));
        assert_eq!(
            find(&ds, "pickle_call").result.clone().unwrap().median,
            100_000.0
        );
        let why = find(&ds, "pool_wakeup").result.clone().unwrap_err();
        assert!(why.contains("refused"), "{why}");
        // An older harness without the deep pool: the one-worker figure.
        let old = metrics(&[("pools", "process_pool_parent_cpu_ns", &[90_000.0; 3])]);
        let ds = interpreter_params(&old, Some(0.005));
        assert_eq!(
            find(&ds, "pickle_call").result.clone().unwrap().median,
            90_000.0
        );
        assert!(find(&ds, "pool_wakeup").result.is_err());
    }

    #[test]
    fn timer_figures_come_from_the_sleeps_and_the_selector() {
        let mut m = metrics(&[
            (
                "timers",
                "sleep_late_ns",
                &[110_000.0, 120_000.0, 130_000.0],
            ),
            (
                "timers",
                "asyncio_sleep_late_ns",
                &[200_000.0, 240_000.0, 220_000.0],
            ),
            ("timers", "asyncio_timer_tick_ns", &[1e6]),
        ]);
        m.benches.get_mut("timers").unwrap().notes =
            serde_json::json!({"selector": "EpollSelector"});
        let ds = interpreter_params(&m, Some(0.005));
        assert_eq!(
            find(&ds, "timer_late").result.clone().unwrap().median,
            120_000.0
        );
        assert_eq!(
            find(&ds, "asyncio_timer_late")
                .result
                .clone()
                .unwrap()
                .median,
            220_000.0
        );
        let tick = find(&ds, "asyncio_timer_tick");
        assert_eq!(tick.result.clone().unwrap().median, 1e6);
        assert!(tick.method.contains("EpollSelector"), "{}", tick.method);
        // Without the benchmark, none of them is guessed.
        let ds = interpreter_params(&Metrics::default(), Some(0.005));
        for p in ["timer_late", "asyncio_timer_late", "asyncio_timer_tick"] {
            assert!(find(&ds, p).result.is_err(), "{p}");
        }
    }

    #[test]
    fn after_wait_latency_is_the_gap_after_a_sleep_less_the_busy_gap() {
        let m = metrics(&[
            (
                "handover",
                "process_busy_gap_after_wait_ns",
                &[200_000.0, 230_000.0, 260_000.0],
            ),
            (
                "handover",
                "process_busy_gap_ns",
                &[20_000.0, 30_000.0, 40_000.0],
            ),
            ("handover", "thread_busy_gap_after_wait_ns", &[3_000.0; 3]),
            ("handover", "thread_busy_gap_ns", &[4_000.0; 3]),
        ]);
        let ds = handover_params(&m);
        // Repeat by repeat: 180, 200 and 220 us.
        let p = find(&ds, "process_after_wait").result.clone().unwrap();
        assert_eq!(p.median, 200_000.0);
        // A sleep that cost nothing more is none, never negative.
        let t = find(&ds, "thread_after_wait").result.clone().unwrap();
        assert_eq!(t.median, 0.0);
        // An interpreter without the pool says why.
        assert!(find(&ds, "interpreter_after_wait")
            .result
            .as_ref()
            .is_err_and(|e| e.contains("interpreter_busy_gap_after_wait_ns")));
    }
}
