//! The simulator: a deterministic discrete-event model of Python's execution
//! models on a multi-core machine.
//!
//! [`Scenario`] says what to run (model, workers, cores, Python version, start
//! method, seed); [`Setup::resolve`] decides whether the model can run that
//! workload on that version and with what GIL arrangement; [`run`] executes it
//! with the costs of a calibration profile and returns a [`RunResult`] with the
//! makespan, where every core-nanosecond went ([`Breakdown`]), peak memory,
//! latency percentiles for servers, and optionally the full [`Trace`].
//!
//! Time is an integer count of nanoseconds and events are ordered by (time,
//! sequence number), so the same inputs and seed give the same result on every
//! target. This module knows nothing about browsers or terminals.

pub mod engine;
pub mod queue;
pub mod trace;

use crate::model::{Model, StartMethod};
use crate::profile::Costs;
use crate::python::PythonVersion;
use crate::workload::Workload;
use serde::Serialize;
pub use trace::Trace;

/// Largest core count a scenario may ask for.
pub const MAX_CORES: u32 = 1024;
/// Largest worker count a scenario may ask for.
pub const MAX_WORKERS: u32 = 1024;
/// Largest number of threads per worker in the hybrid models.
pub const MAX_THREADS_PER_WORKER: u32 = 64;
/// Default event budget of one run; a run that needs more stops with
/// [`SimError::TooLarge`] instead of hanging.
pub const DEFAULT_MAX_EVENTS: u64 = 20_000_000;

/// What to simulate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// Execution model.
    pub model: Model,
    /// Workers: threads, processes or interpreters in the pool; for asyncio,
    /// the most tasks in flight at once; ignored by sequential.
    pub workers: u32,
    /// Threads in each process or interpreter (hybrid models only).
    pub threads_per_worker: u32,
    /// Physical cores.
    pub cores: u32,
    /// Python version chosen; free-threading runs on its `t` build.
    pub python: PythonVersion,
    /// Multiprocessing start method (the version's default when `None`).
    pub start_method: Option<StartMethod>,
    /// Seed for server arrivals.
    pub seed: u64,
    /// Start one worker per task (each runs exactly one task and exits), as
    /// a program that starts a `Thread`, `Process` or interpreter for every
    /// piece of work does, instead of a pool that reuses its workers.
    pub per_task: bool,
}

impl Scenario {
    /// A scenario with the documented defaults: 8 cores, Python 3.14,
    /// workers = cores, 4 threads per worker in hybrids, seed 0.
    pub fn new(model: Model) -> Self {
        Self {
            model,
            workers: 8,
            threads_per_worker: 4,
            cores: 8,
            python: PythonVersion::DEFAULT,
            start_method: None,
            seed: 0,
            per_task: false,
        }
    }

    /// Check the numeric ranges.
    pub fn validate(&self) -> Result<(), String> {
        if self.cores == 0 || self.cores > MAX_CORES {
            return Err(format!(
                "cores must be between 1 and {MAX_CORES} (got {})",
                self.cores
            ));
        }
        if self.workers == 0 || self.workers > MAX_WORKERS {
            return Err(format!(
                "workers must be between 1 and {MAX_WORKERS} (got {})",
                self.workers
            ));
        }
        if self.threads_per_worker == 0 || self.threads_per_worker > MAX_THREADS_PER_WORKER {
            return Err(format!(
                "threads per worker must be between 1 and {MAX_THREADS_PER_WORKER} (got {})",
                self.threads_per_worker
            ));
        }
        if self.model.is_hybrid() && self.workers as u64 * self.threads_per_worker as u64 > 4096 {
            return Err("workers x threads per worker must be at most 4096".into());
        }
        Ok(())
    }

    /// The sequential baseline for this scenario: same cores, Python and seed.
    pub fn baseline(&self) -> Scenario {
        Scenario {
            model: Model::Sequential,
            workers: 1,
            start_method: None,
            ..self.clone()
        }
    }
}

/// How a model will run a workload on a Python version, once it is known to
/// be possible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setup {
    /// The model.
    pub model: Model,
    /// The build it runs on (the `t` build for free-threading).
    pub python: PythonVersion,
    /// Whether each interpreter has a GIL (false only on free-threaded builds
    /// whose extensions are all free-threading-safe).
    pub gil_enabled: bool,
    /// Start method, for models with processes.
    pub start_method: Option<StartMethod>,
    /// Pool size used.
    pub workers: u32,
    /// Threads per worker used.
    pub threads_per_worker: u32,
    /// Whether every worker runs exactly one task.
    pub per_task: bool,
    /// Facts worth telling the user about this set-up.
    pub notes: Vec<String>,
}

impl Setup {
    /// Decide how `scenario` runs `workload`, or why it cannot.
    pub fn resolve(scenario: &Scenario, workload: &Workload) -> Result<Setup, SimError> {
        scenario.validate().map_err(SimError::Invalid)?;
        let model = scenario.model;
        let mut notes = Vec::new();
        let python = if model == Model::FreeThreading {
            match scenario.python.ft_build() {
                Some(v) => v,
                None => {
                    return Err(SimError::Unavailable(format!(
                        "Python {} has no free-threaded build; free-threading arrived as an experimental build in 3.13t (PEP 703)",
                        scenario.python.gil_build()
                    )))
                }
            }
        } else {
            scenario.python
        };
        if model.uses_interpreters() {
            if !python.has_per_interpreter_gil() {
                return Err(SimError::Unavailable(format!(
                    "Python {python} has no per-interpreter GIL: its sub-interpreters share one GIL (PEP 684 gave each its own in 3.12)"
                )));
            }
            if !workload.extensions.subinterpreter_safe {
                return Err(SimError::Unavailable(
                    "an extension this workload imports does not support sub-interpreters (it needs multi-phase init and per-interpreter state), so the import fails inside one".into(),
                ));
            }
            notes.push(format!(
                "sub-interpreters through {}",
                python.interpreters_api()
            ));
        }
        let gil_enabled = !python.free_threaded || !workload.extensions.free_threading_safe;
        if python.free_threaded && gil_enabled {
            notes.push(
                "an extension that is not free-threading-safe turned the GIL back on at import; the build's overhead remains"
                    .into(),
            );
        }
        if python.free_threaded && model == Model::Threads && !gil_enabled {
            notes.push(format!("on {python} threads run without a GIL"));
        }
        let start_method = if model.uses_processes() {
            let m = scenario
                .start_method
                .unwrap_or_else(|| python.default_start_method());
            if scenario.start_method.is_none() {
                notes.push(format!(
                    "start method {m}, the Linux default on Python {}",
                    python.gil_build()
                ));
            }
            Some(m)
        } else {
            None
        };
        let (mut workers, threads_per_worker) = match model {
            Model::Sequential => (1, 1),
            m if m.is_hybrid() => (scenario.workers, scenario.threads_per_worker),
            _ => (scenario.workers, 1),
        };
        let per_task = scenario.per_task && !matches!(model, Model::Sequential | Model::Asyncio);
        if per_task {
            if model.is_hybrid() {
                return Err(SimError::Invalid("one worker per task applies to threads, processes, interpreters and free-threading, not to the hybrid models".into()));
            }
            if workload.is_server() {
                return Err(SimError::Invalid(
                    "one worker per task applies to batch workloads".into(),
                ));
            }
            let tasks = workload
                .groups
                .iter()
                .map(|g| g.expected_tasks())
                .sum::<f64>() as u64;
            if tasks > MAX_WORKERS as u64 {
                return Err(SimError::Invalid(format!(
                    "one worker per task would start {tasks} workers; the limit is {MAX_WORKERS}"
                )));
            }
            workers = tasks as u32;
            notes.push(format!(
                "one fresh worker per task: {workers} workers, each runs one task"
            ));
        }
        Ok(Setup {
            per_task,
            model,
            python,
            gil_enabled,
            start_method,
            workers,
            threads_per_worker,
            notes,
        })
    }
}

/// Where every core-nanosecond of a run went. The fields add up to cores x
/// makespan exactly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    /// Useful Python bytecode, at the GIL build's speed.
    pub python_ns: u64,
    /// Useful native code that released the GIL.
    pub native_ns: u64,
    /// Extra time a free-threaded build spent on Python code.
    pub ft_overhead_ns: u64,
    /// Extra time lost to contention on shared mutable state.
    pub contention_ns: u64,
    /// Extra time from cores running slower while many are busy (turbo and
    /// thermal limits).
    pub clock_ns: u64,
    /// The part of `clock_ns` that slowed Python steps (not a cause of its
    /// own: `items` leaves it out). With `python_ns`, it says how much
    /// slower than at one busy core the run's Python work went.
    pub python_clock_ns: u64,
    /// Pickling, unpickling, copying and piping payloads.
    pub transfer_ns: u64,
    /// Starting threads, processes and interpreters, and importing.
    pub startup_ns: u64,
    /// Pool and event-loop bookkeeping.
    pub dispatch_ns: u64,
    /// The OS switching threads on cores.
    pub os_switch_ns: u64,
    /// Cores left unused while threads waited for a GIL.
    pub gil_wait_ns: u64,
    /// GIL hand-offs in progress (waking the next holder).
    pub gil_handoff_ns: u64,
    /// Cores left unused while work waited on I/O.
    pub io_wait_ns: u64,
    /// Cores with nothing to do.
    pub idle_ns: u64,
}

impl Breakdown {
    /// Names and values, in display order.
    pub fn items(&self) -> [(&'static str, u64); 13] {
        [
            ("python", self.python_ns),
            ("native", self.native_ns),
            ("ft_overhead", self.ft_overhead_ns),
            ("contention", self.contention_ns),
            ("clock", self.clock_ns),
            ("transfer", self.transfer_ns),
            ("startup", self.startup_ns),
            ("dispatch", self.dispatch_ns),
            ("os_switch", self.os_switch_ns),
            ("gil_wait", self.gil_wait_ns),
            ("gil_handoff", self.gil_handoff_ns),
            ("io_wait", self.io_wait_ns),
            ("idle", self.idle_ns),
        ]
    }

    /// Sum of every field.
    pub fn total_ns(&self) -> u64 {
        self.items().iter().map(|(_, v)| v).sum()
    }

    /// Time cores spent executing something (everything but waiting and idle).
    pub fn busy_ns(&self) -> u64 {
        self.total_ns() - self.gil_wait_ns - self.gil_handoff_ns - self.io_wait_ns - self.idle_ns
    }
}

/// Latency and throughput of a server run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerStats {
    /// Requests completed.
    pub completed: u64,
    /// Completed requests per second of serving time.
    pub throughput_per_s: f64,
    /// Offered load: requests per second the arrival streams asked for.
    pub offered_per_s: f64,
    /// Latency percentiles (ms).
    pub latency_ms: Percentiles,
}

/// Latency percentiles (ms).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Percentiles {
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest.
    pub max: f64,
}

/// What one run produced.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunResult {
    /// How it ran.
    pub setup: Setup,
    /// Cores simulated.
    pub cores: u32,
    /// From the start to the last event (ns).
    pub makespan_ns: u64,
    /// For servers, from the first arrival to the last completion (ns);
    /// for batches, the makespan.
    pub serving_ns: u64,
    /// Where the time went.
    pub breakdown: Breakdown,
    /// Largest memory in use at any instant (bytes).
    pub peak_memory_bytes: u64,
    /// Tasks completed.
    pub tasks: u64,
    /// Events processed.
    pub events: u64,
    /// Server statistics (server workloads only).
    pub server: Option<ServerStats>,
    /// The trace, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Trace>,
}

/// Why a run did not produce a result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// The model cannot run this workload on this version.
    Unavailable(String),
    /// Out-of-range scenario numbers.
    Invalid(String),
    /// The run needed more events than allowed.
    TooLarge {
        /// The budget that was exceeded.
        max_events: u64,
    },
    /// An internal inconsistency (a bug): the message says what.
    Internal(String),
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::Unavailable(why) => write!(f, "unavailable: {why}"),
            SimError::Invalid(why) => f.write_str(why),
            SimError::TooLarge { max_events } => write!(
                f,
                "the simulation needs more than {max_events} events; use fewer tasks, fewer workers per core, longer steps or a longer switch interval"
            ),
            SimError::Internal(why) => write!(f, "internal simulator error: {why}"),
        }
    }
}

impl std::error::Error for SimError {}

/// Options that change what a run records, never its results.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// Record the full trace.
    pub trace: bool,
    /// Event budget.
    pub max_events: u64,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            trace: false,
            max_events: DEFAULT_MAX_EVENTS,
        }
    }
}

/// Run `scenario` on `workload` with `costs` (resolved for the set-up's
/// Python build by the caller, see [`crate::predict`]).
pub fn run(
    scenario: &Scenario,
    workload: &Workload,
    costs: &Costs,
    opts: RunOptions,
) -> Result<RunResult, SimError> {
    let setup = Setup::resolve(scenario, workload)?;
    run_setup(scenario, setup, workload, costs, opts)
}

/// Run `scenario` with a set-up already resolved by [`Setup::resolve`].
pub fn run_setup(
    scenario: &Scenario,
    setup: Setup,
    workload: &Workload,
    costs: &Costs,
    opts: RunOptions,
) -> Result<RunResult, SimError> {
    engine::Engine::new(scenario, setup, workload, costs, opts).run()
}
