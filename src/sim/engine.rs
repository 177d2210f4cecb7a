//! The discrete-event engine.
//!
//! Entities: cores; OS threads, each in a process and running in an
//! interpreter; interpreters, each owning a GIL unless the build is
//! free-threaded; processes. Every thread works through a queue of activities
//! (`Act`): CPU work of some kind that may need a GIL, a blocking I/O wait, or
//! a zero-time control mark (spawn a thread, hand a task over, finish a task).
//! When its queue is empty the thread asks its role for more work (a pool
//! worker takes the next task, the parent of a process pool feeds or collects,
//! an event loop resumes the next ready coroutine) or blocks.
//!
//! Mechanisms, each in one place:
//! - OS scheduling (`make_runnable`, `place`, `leave_core`, `Ev::Slice`):
//!   free cores are taken at once, otherwise a FIFO run queue with a time
//!   slice per running thread; every switch to another thread costs a
//!   context switch.
//! - The GIL (`try_take`, `wait_gil`, `release`, `force_drop`, `maybe_signal`,
//!   `Ev::DropTimer`, `Ev::DropNotice`, `Ev::Wake`): a waiter that sees no
//!   switch for one switch interval sets the drop request; the holder notices
//!   it at its next eval-breaker check, drops the GIL and, with forced
//!   switching, cannot take it back until another thread has had it; a
//!   released GIL wakes the first waiter after the hand-off latency, and a
//!   thread already on a core may take a free GIL first. A waiter stays on its
//!   core ("awake but waiting") until the OS needs the core.
//! - Free-threading: Python work runs slower by the build's overhead, and
//!   threads mutating shared state in one process slow each other down in
//!   proportion to how many do so at once (`rescale_dirty`).
//! - Transfers: pickling and unpickling run under the GIL of the interpreter
//!   doing them, pipe copies release it (`send_side`, `receive_side`).
//! - Start-up (`build_topology`): fork copies the parent; spawn boots a fresh
//!   interpreter that re-imports the workload; forkserver boots one server
//!   that imports the workload once (CPython preloads `__main__` there) and
//!   forks every worker from it, one request at a time; each new
//!   sub-interpreter re-imports the workload.
//!
//! Accounting: every core-nanosecond goes to one [`Breakdown`] field, either
//! through the span of whatever occupies the core or, for idle cores, through
//! `tick`, which charges idle cores to GIL waits, I/O waits or plain idleness
//! by the number of threads in each state.

use super::queue::EventQueue;
use super::trace::{
    CoreSpan, CoreState, GilInfo, GilSpan, TaskSpan, ThreadInfo, Trace, TransferSpan,
};
use super::{
    Breakdown, Percentiles, RunOptions, RunResult, Scenario, ServerStats, Setup, SimError,
};
use crate::model::{Model, StartMethod};
use crate::profile::Costs;
use crate::rng::SplitMix64;
use crate::workload::{Arrival, Payload, Step, Workload};
use std::collections::VecDeque;

const PPM: u64 = 1_000_000;
const NO_GIL: u32 = u32::MAX;
const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Dir {
    Input,
    Output,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mark {
    SpawnThread(u32),
    WaitStarted(u32),
    SignalStarted,
    WorkerReady,
    XferBegin(u32, Dir),
    XferEnd(u32, Dir),
    SendInput(u32),
    SendResult(u32),
    TaskStart(u32),
    TaskDone(u32),
    ForkRequest(u32),
    ForkReply,
    AsyncAdmit(u32),
    AsyncSuspend(u32, u32),
    MemAdd(u64),
    MemFree(u64),
    Release(u32),
    Join,
    Exit,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Python,
    Native,
    Transfer,
    Startup,
    Dispatch,
    Io,
    Mark(Mark),
}

#[derive(Clone, Copy, Debug)]
struct Act {
    kind: Kind,
    work: u64,
    gil: u32,
    shared_ppm: u32,
}

impl Act {
    fn cpu(kind: Kind, work: u64, gil: u32) -> Act {
        Act {
            kind,
            work,
            gil,
            shared_ppm: 0,
        }
    }
    fn mark(m: Mark) -> Act {
        Act {
            kind: Kind::Mark(m),
            work: 0,
            gil: NO_GIL,
            shared_ppm: 0,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TState {
    Created,
    Runnable,
    Running,
    GilWait,
    Blocked,
    Io,
    Done,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Main,
    Parent,
    Worker,
    AsyncLoop,
    ForkServer,
}

struct Thread {
    process: u32,
    interp: u32,
    role: Role,
    acts: VecDeque<Act>,
    state: TState,
    core: Option<u32>,
    last_core: Option<u32>,
    epoch: u32,
    holds: u32,
    no_retake: u32,
    run_start: u64,
    factor_ppm: u64,
    overhead_ppm: u64,
    contention_ppm: u64,
    clock_ppm: u64,
    act_running: bool,
    in_shared: bool,
    started: bool,
    creator: u32,
    waiting_for: u32,
    memory: u64,
    in_pool: bool,
    tasks_run: u32,
}

struct Gil {
    enabled: bool,
    holder: u32,
    last_holder: u32,
    waiters: VecDeque<u32>,
    switch_no: u64,
    armed_for: Option<u64>,
    drop_requested: bool,
    signaled: u32,
    span_start: u64,
    live_threads: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Occ {
    Idle,
    Run(u32),
    Park(u32),
    Hand(u32),
}

struct Core {
    occ: Occ,
    span_start: u64,
    switch_until: u64,
    kind: Option<CoreState>,
    last_thread: Option<u32>,
    placed_at: u64,
    epoch: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ev {
    ActDone(u32, u32),
    IoDone(u32, u32),
    Slice(u32, u32),
    DropTimer(u32, u64),
    DropNotice(u32, u64),
    Wake(u32, u32),
    Arrival,
    AsyncIo(u32, u32),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Feed {
    Direct,
    Parent,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Xfer {
    None,
    Pickle,
    Interp,
    Socket,
}

struct GroupPlan {
    steps: Vec<(Kind, u64)>,
    repeat: u32,
    input_bytes: u64,
    output_bytes: u64,
    payload: Payload,
    shared_ppm: u32,
    parent_ns: u64,
}

impl GroupPlan {
    fn total_steps(&self) -> u32 {
        self.steps.len() as u32 * self.repeat
    }
    fn step(&self, j: u32) -> (Kind, u64) {
        self.steps[(j % self.steps.len() as u32) as usize]
    }
}

struct Task {
    group: u32,
    arrival: u64,
    start: u64,
    done: u64,
    worker: u32,
    xfer_from: u32,
    xfer_start: u64,
}

struct ArrivalStream {
    rng: SplitMix64,
    mean_ns: f64,
    next: u64,
    end: u64,
}

/// The running simulation. Built by [`Engine::new`], consumed by [`Engine::run`].
pub struct Engine<'a> {
    c: &'a Costs,
    setup: Setup,
    ncores: u32,
    seed: u64,
    ft_build: bool,
    now: u64,
    q: EventQueue<Ev>,
    cores: Vec<Core>,
    idle_cores: CoreSet,
    parked_cores: CoreSet,
    running_cores: u32,
    threads: Vec<Thread>,
    gils: Vec<Gil>,
    shared_running: Vec<Vec<u32>>,
    dirty: Vec<u32>,
    runq: VecDeque<u32>,
    groups: Vec<GroupPlan>,
    tasks: Vec<Task>,
    server: bool,
    feed: Feed,
    xfer: Xfer,
    import_ns: u64,
    pending: VecDeque<u32>,
    held: VecDeque<u32>,
    producer_blocked: bool,
    call_q: VecDeque<u32>,
    results: VecDeque<u32>,
    idle_workers: VecDeque<u32>,
    parent: u32,
    main_join: u32,
    fork_q: VecDeque<u32>,
    server_thread: u32,
    pool_total: u32,
    pool_ready: u32,
    live_workers: u32,
    outstanding: u64,
    completed: u64,
    streams: Vec<ArrivalStream>,
    arrivals_open: bool,
    first_arrival: Option<u64>,
    async_limit: u32,
    async_in_flight: u32,
    async_ready: VecDeque<(u32, u32)>,
    async_blocked: bool,
    n_io: u32,
    n_gil_unparked: u32,
    last_tick: u64,
    bd: Breakdown,
    mem: u64,
    mem_peak: u64,
    events: u64,
    max_events: u64,
    live_threads: u32,
    trace: Option<Trace>,
    failure: Option<String>,
}

fn div_ceil(a: u128, b: u128) -> u64 {
    (a.div_ceil(b.max(1))).min(u64::MAX as u128) as u64
}

fn ms_to_ns(ms: f64) -> u64 {
    let ns = ms * 1e6;
    if ns <= 0.0 {
        0
    } else {
        (ns + 0.5).min(u64::MAX as f64 / 4.0) as u64
    }
}

fn bytes_time(bytes: u64, bytes_per_s: u64) -> u64 {
    div_ceil(bytes as u128 * 1_000_000_000, bytes_per_s as u128)
}

/// Wall time of `work` nominal nanoseconds at a slow-down of `factor_ppm`.
fn scaled_time(work: u64, factor_ppm: u64) -> u64 {
    if factor_ppm == PPM {
        work
    } else {
        div_ceil(work as u128 * factor_ppm as u128, PPM as u128)
    }
}

/// A set of core indices as a bit set: the lowest member in O(cores / 64).
struct CoreSet {
    words: Vec<u64>,
    len: u32,
}

impl CoreSet {
    /// The set {0, ..., n - 1}, sized for at least `n` cores.
    fn full(n: u32) -> Self {
        let mut words = vec![0u64; (n.max(1) as usize).div_ceil(64)];
        for i in 0..n {
            words[(i / 64) as usize] |= 1 << (i % 64);
        }
        CoreSet { words, len: n }
    }

    fn insert(&mut self, i: u32) {
        let w = (i / 64) as usize;
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        let bit = 1u64 << (i % 64);
        if self.words[w] & bit == 0 {
            self.words[w] |= bit;
            self.len += 1;
        }
    }

    fn remove(&mut self, i: u32) {
        let w = (i / 64) as usize;
        let bit = 1u64 << (i % 64);
        if w < self.words.len() && self.words[w] & bit != 0 {
            self.words[w] &= !bit;
            self.len -= 1;
        }
    }

    fn first(&self) -> Option<u32> {
        self.words
            .iter()
            .enumerate()
            .find(|(_, w)| **w != 0)
            .map(|(k, w)| k as u32 * 64 + w.trailing_zeros())
    }

    fn len(&self) -> u32 {
        self.len
    }
}

/// The slow-down of a running act: free-threading overhead, contention and
/// clock, each in parts per million over 1.
fn compose(overhead_ppm: u64, contention_ppm: u64, clock_ppm: u64) -> u64 {
    let a = (PPM + overhead_ppm) as u128 * (PPM + contention_ppm) as u128 / PPM as u128;
    (a * clock_ppm as u128 / PPM as u128) as u64
}

fn scale_mem(bytes: u64, overhead_ppm: u64) -> u64 {
    (bytes as u128 * (PPM + overhead_ppm) as u128 / PPM as u128) as u64
}

impl<'a> Engine<'a> {
    /// Build the machine, interpreters, threads and tasks for a resolved set-up.
    pub fn new(
        scenario: &Scenario,
        setup: Setup,
        workload: &Workload,
        c: &'a Costs,
        opts: RunOptions,
    ) -> Self {
        let ncores = scenario.cores;
        let cores = (0..ncores)
            .map(|_| Core {
                occ: Occ::Idle,
                span_start: 0,
                switch_until: 0,
                kind: None,
                last_thread: None,
                placed_at: 0,
                epoch: 0,
            })
            .collect();
        let groups = workload
            .groups
            .iter()
            .map(|g| GroupPlan {
                steps: g
                    .steps
                    .iter()
                    .map(|s| match *s {
                        Step::Python(d) => (Kind::Python, ms_to_ns(d)),
                        Step::Native(d) => (Kind::Native, ms_to_ns(d)),
                        Step::Io(d) => (Kind::Io, ms_to_ns(d)),
                    })
                    .collect(),
                repeat: g.repeat,
                input_bytes: g.input_bytes,
                output_bytes: g.output_bytes,
                payload: g.payload,
                shared_ppm: (g.shared_state * 1e6 + 0.5) as u32,
                parent_ns: ms_to_ns(g.parent_ms),
            })
            .collect();
        let server = workload.is_server();
        let model = setup.model;
        let (feed, xfer) = if server {
            (Feed::Direct, Xfer::Socket)
        } else if model.uses_processes() {
            (Feed::Parent, Xfer::Pickle)
        } else if model.uses_interpreters() {
            (Feed::Direct, Xfer::Interp)
        } else {
            (Feed::Direct, Xfer::None)
        };
        let mut e = Engine {
            c,
            ft_build: setup.python.free_threaded,
            setup,
            ncores,
            seed: scenario.seed,
            now: 0,
            q: EventQueue::new(),
            cores,
            idle_cores: CoreSet::full(ncores),
            parked_cores: CoreSet::full(0),
            running_cores: 0,
            threads: Vec::new(),
            gils: Vec::new(),
            shared_running: Vec::new(),
            dirty: Vec::new(),
            runq: VecDeque::new(),
            groups,
            tasks: Vec::new(),
            server,
            feed,
            xfer,
            import_ns: ms_to_ns(workload.import_ms),
            pending: VecDeque::new(),
            held: VecDeque::new(),
            producer_blocked: false,
            call_q: VecDeque::new(),
            results: VecDeque::new(),
            idle_workers: VecDeque::new(),
            parent: NONE,
            main_join: NONE,
            fork_q: VecDeque::new(),
            server_thread: NONE,
            pool_total: 0,
            pool_ready: 0,
            live_workers: 0,
            outstanding: 0,
            completed: 0,
            streams: Vec::new(),
            arrivals_open: server,
            first_arrival: None,
            async_limit: 1,
            async_in_flight: 0,
            async_ready: VecDeque::new(),
            async_blocked: false,
            n_io: 0,
            n_gil_unparked: 0,
            last_tick: 0,
            bd: Breakdown::default(),
            mem: 0,
            mem_peak: 0,
            events: 0,
            max_events: opts.max_events,
            live_threads: 0,
            trace: opts.trace.then(|| Trace {
                cores: ncores,
                ..Trace::default()
            }),
            failure: None,
        };
        e.build_tasks(workload);
        e.build_topology();
        if e.server && e.pool_total == 0 {
            // An event loop serves requests from the start.
            e.start_arrivals();
        }
        e
    }

    // ----- construction -------------------------------------------------

    fn build_tasks(&mut self, w: &Workload) {
        if self.server {
            for (i, g) in w.groups.iter().enumerate() {
                if let Arrival::Server {
                    rate_per_s,
                    duration_s,
                } = g.arrival
                {
                    self.streams.push(ArrivalStream {
                        rng: SplitMix64::stream(self.seed, i as u64),
                        mean_ns: 1e9 / rate_per_s,
                        next: 0,
                        end: ms_to_ns(duration_s * 1e3),
                    });
                }
            }
            return;
        }
        let counts: Vec<u32> = w
            .groups
            .iter()
            .map(|g| match g.arrival {
                Arrival::Batch { tasks } => tasks,
                Arrival::Server { .. } => 0,
            })
            .collect();
        let mut left = counts.clone();
        while left.iter().any(|&n| n > 0) {
            for (gi, n) in left.iter_mut().enumerate() {
                if *n > 0 {
                    *n -= 1;
                    let id = self.new_task(gi as u32, 0);
                    self.pending.push_back(id);
                }
            }
        }
        self.outstanding = self.tasks.len() as u64;
        // When the caller works on each task in a thread of its own, the
        // pool's queue fills only as fast as the caller hands tasks over.
        let caller_works = self.groups.iter().any(|g| g.parent_ns > 0);
        let own_thread = matches!(
            self.setup.model,
            Model::Sequential
                | Model::Threads
                | Model::FreeThreading
                | Model::Interpreters
                | Model::InterpretersThreads
        );
        if caller_works && own_thread {
            self.held = std::mem::take(&mut self.pending);
        }
    }

    fn new_task(&mut self, group: u32, arrival: u64) -> u32 {
        let id = self.tasks.len() as u32;
        self.tasks.push(Task {
            group,
            arrival,
            start: 0,
            done: 0,
            worker: NONE,
            xfer_from: NONE,
            xfer_start: 0,
        });
        id
    }

    fn add_gil(&mut self, process: u32, enabled: bool) -> u32 {
        let id = self.gils.len() as u32;
        self.gils.push(Gil {
            enabled,
            holder: NONE,
            last_holder: NONE,
            waiters: VecDeque::new(),
            switch_no: 0,
            armed_for: None,
            drop_requested: false,
            signaled: NONE,
            span_start: 0,
            live_threads: 0,
        });
        if let Some(t) = &mut self.trace {
            t.gils.push(GilInfo {
                interpreter: id,
                process,
                enabled,
            });
        }
        id
    }

    fn add_process(&mut self) -> u32 {
        self.shared_running.push(Vec::new());
        self.shared_running.len() as u32 - 1
    }

    fn add_thread(
        &mut self,
        process: u32,
        interp: u32,
        role: Role,
        memory: u64,
        label: &str,
    ) -> u32 {
        let id = self.threads.len() as u32;
        self.threads.push(Thread {
            process,
            interp,
            role,
            acts: VecDeque::new(),
            state: TState::Created,
            core: None,
            last_core: None,
            epoch: 0,
            holds: NO_GIL,
            no_retake: NO_GIL,
            run_start: 0,
            factor_ppm: PPM,
            overhead_ppm: 0,
            contention_ppm: 0,
            clock_ppm: PPM,
            act_running: false,
            in_shared: false,
            started: false,
            creator: NONE,
            waiting_for: NONE,
            memory,
            in_pool: role == Role::Worker,
            tasks_run: 0,
        });
        if role == Role::Worker {
            self.pool_total += 1;
        }
        if let Some(t) = &mut self.trace {
            t.threads.push(ThreadInfo {
                thread: id,
                process,
                interpreter: interp,
                role: label.to_string(),
            });
        }
        id
    }

    fn ft_mem(&self, bytes: u64) -> u64 {
        if self.ft_build {
            scale_mem(bytes, self.c.ft_memory_overhead_ppm)
        } else {
            bytes
        }
    }

    /// Queue on `creator` the acts that start `child` as a thread in `interp`,
    /// and on `child` its half of the start-up hand-shake.
    fn start_thread_acts(&mut self, creator: u32, child: u32, interp: u32) {
        let half = self.c.thread_start_ns / 2;
        let rest = self.c.thread_start_ns - half;
        let ca = &mut self.threads[creator as usize].acts;
        ca.push_back(Act::cpu(Kind::Startup, half, interp));
        ca.push_back(Act::mark(Mark::SpawnThread(child)));
        ca.push_back(Act::mark(Mark::WaitStarted(child)));
        let ch = &mut self.threads[child as usize];
        ch.creator = creator;
        ch.acts.push_back(Act::cpu(Kind::Startup, rest, interp));
        ch.acts.push_back(Act::mark(Mark::SignalStarted));
    }

    fn build_topology(&mut self) {
        let c = self.c;
        let gil_on = self.setup.gil_enabled;
        let p0 = self.add_process();
        let i0 = self.add_gil(p0, gil_on);
        let base_mem = self.ft_mem(c.process_memory);
        let model = self.setup.model;
        let n = self.setup.workers;
        let t = self.setup.threads_per_worker;
        let thread_mem = c.thread_memory;
        match model {
            Model::Sequential => {
                let m = self.add_thread(p0, i0, Role::Worker, base_mem, "main");
                self.threads[m as usize]
                    .acts
                    .push_back(Act::mark(Mark::WorkerReady));
                self.boot(m);
            }
            Model::Asyncio => {
                let m = self.add_thread(p0, i0, Role::AsyncLoop, base_mem, "event loop");
                self.async_limit = n;
                self.boot(m);
            }
            Model::Threads | Model::FreeThreading => {
                let m = self.add_thread(p0, i0, Role::Main, base_mem, "main");
                for k in 0..n {
                    let w =
                        self.add_thread(p0, i0, Role::Worker, thread_mem, &format!("worker {k}"));
                    self.start_thread_acts(m, w, i0);
                    self.threads[w as usize]
                        .acts
                        .push_back(Act::mark(Mark::WorkerReady));
                }
                self.finish_main(m);
            }
            Model::Interpreters | Model::InterpretersThreads => {
                let m = self.add_thread(p0, i0, Role::Main, base_mem, "main");
                let interp_mem = self.ft_mem(c.interpreter_memory);
                for k in 0..n {
                    let ik = self.add_gil(p0, gil_on);
                    let first = self.add_thread(
                        p0,
                        ik,
                        Role::Worker,
                        thread_mem,
                        &format!("interp {k} thread 0"),
                    );
                    self.start_thread_acts(m, first, i0);
                    let fa = &mut self.threads[first as usize].acts;
                    fa.push_back(Act::cpu(Kind::Startup, c.interpreter_create_ns, ik));
                    fa.push_back(Act::mark(Mark::MemAdd(interp_mem)));
                    fa.push_back(Act::cpu(Kind::Startup, self.import_ns, ik));
                    self.gils[ik as usize].live_threads += 1;
                    for j in 1..t {
                        let s = self.add_thread(
                            p0,
                            ik,
                            Role::Worker,
                            thread_mem,
                            &format!("interp {k} thread {j}"),
                        );
                        self.gils[ik as usize].live_threads += 1;
                        self.start_thread_acts(first, s, ik);
                        self.threads[s as usize]
                            .acts
                            .push_back(Act::mark(Mark::WorkerReady));
                    }
                    self.threads[first as usize]
                        .acts
                        .push_back(Act::mark(Mark::WorkerReady));
                }
                self.finish_main(m);
            }
            Model::Processes | Model::ProcessesThreads => {
                let m = self.add_thread(p0, i0, Role::Parent, base_mem, "parent");
                self.parent = m;
                let method = self.setup.start_method.unwrap_or(StartMethod::Fork);
                if method == StartMethod::Forkserver {
                    let ps = self.add_process();
                    let is = self.add_gil(ps, gil_on);
                    let s = self.add_thread(ps, is, Role::ForkServer, base_mem, "fork server");
                    self.server_thread = s;
                    let sa = &mut self.threads[s as usize].acts;
                    sa.push_back(Act::cpu(Kind::Startup, c.process_boot_ns, is));
                    sa.push_back(Act::cpu(Kind::Startup, self.import_ns, is));
                    let ma = &mut self.threads[m as usize].acts;
                    ma.push_back(Act::cpu(Kind::Startup, c.spawn_start_ns, i0));
                    ma.push_back(Act::mark(Mark::SpawnThread(s)));
                }
                let child_mem = match method {
                    StartMethod::Spawn => base_mem,
                    _ => self.ft_mem(c.fork_memory),
                };
                for k in 0..n {
                    let pk = self.add_process();
                    let ik = self.add_gil(pk, gil_on);
                    let first = self.add_thread(
                        pk,
                        ik,
                        Role::Worker,
                        child_mem,
                        &format!("process {k} thread 0"),
                    );
                    match method {
                        StartMethod::Fork => {
                            let ma = &mut self.threads[m as usize].acts;
                            ma.push_back(Act::cpu(Kind::Startup, c.fork_start_ns, i0));
                            ma.push_back(Act::mark(Mark::SpawnThread(first)));
                        }
                        StartMethod::Spawn => {
                            let ma = &mut self.threads[m as usize].acts;
                            ma.push_back(Act::cpu(Kind::Startup, c.spawn_start_ns, i0));
                            ma.push_back(Act::mark(Mark::SpawnThread(first)));
                            let fa = &mut self.threads[first as usize].acts;
                            fa.push_back(Act::cpu(Kind::Startup, c.process_boot_ns, ik));
                            fa.push_back(Act::cpu(Kind::Startup, self.import_ns, ik));
                        }
                        StartMethod::Forkserver => {
                            self.threads[m as usize]
                                .acts
                                .push_back(Act::mark(Mark::ForkRequest(first)));
                        }
                    }
                    for j in 1..t {
                        let s = self.add_thread(
                            pk,
                            ik,
                            Role::Worker,
                            thread_mem,
                            &format!("process {k} thread {j}"),
                        );
                        self.start_thread_acts(first, s, ik);
                        self.threads[s as usize]
                            .acts
                            .push_back(Act::mark(Mark::WorkerReady));
                    }
                    self.threads[first as usize]
                        .acts
                        .push_back(Act::mark(Mark::WorkerReady));
                }
                if self.server {
                    let ma = &mut self.threads[m as usize].acts;
                    ma.push_back(Act::mark(Mark::Join));
                    ma.push_back(Act::mark(Mark::Exit));
                }
                self.boot(m);
            }
        }
    }

    fn finish_main(&mut self, m: u32) {
        // After starting the workers the main thread hands tasks over (see
        // `main_next`), then joins.
        self.boot(m);
    }

    fn boot(&mut self, m: u32) {
        let mem = self.threads[m as usize].memory;
        self.mem_add(mem);
        self.live_threads += 1;
        if self.threads[m as usize].role == Role::Worker {
            self.live_workers += 1;
        }
        self.threads[m as usize].state = TState::Runnable;
        // Placed when the run starts, at time 0.
        self.runq.push_back(m);
    }

    // ----- the event loop ------------------------------------------------

    /// Run to completion.
    pub fn run(mut self) -> Result<RunResult, SimError> {
        while let Some(m) = self.runq.pop_front() {
            if let Some(core) = self.find_free_core(m) {
                self.place(m, core);
            } else {
                self.runq.push_front(m);
                break;
            }
        }
        self.rescale_dirty();
        while let Some((t, ev)) = self.q.pop() {
            self.events += 1;
            if self.events > self.max_events {
                return Err(SimError::TooLarge {
                    max_events: self.max_events,
                });
            }
            self.tick(t);
            self.now = t;
            self.handle(ev);
            self.rescale_dirty();
            if let Some(f) = self.failure.take() {
                return Err(SimError::Internal(f));
            }
            if self.live_threads == 0 {
                // Every thread has exited: what is left in the queue is stale.
                break;
            }
        }
        self.finish()
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::ActDone(tid, ep) => {
                let th = &self.threads[tid as usize];
                if th.epoch != ep || th.state != TState::Running || !th.act_running {
                    return;
                }
                self.stop_act(tid, true);
                self.advance(tid);
            }
            Ev::IoDone(tid, ep) => {
                let th = &self.threads[tid as usize];
                if th.epoch != ep || th.state != TState::Io {
                    return;
                }
                self.n_io -= 1;
                self.make_runnable(tid);
            }
            Ev::Slice(core, ep) => self.on_slice(core, ep),
            Ev::DropTimer(i, sn) => self.on_drop_timer(i, sn),
            Ev::DropNotice(i, sn) => self.on_drop_notice(i, sn),
            Ev::Wake(tid, ep) => self.on_wake(tid, ep),
            Ev::Arrival => self.on_arrival(),
            Ev::AsyncIo(task, next) => {
                self.n_io -= 1;
                self.async_ready.push_back((task, next));
                self.wake_loop();
            }
        }
    }

    fn tick(&mut self, t: u64) {
        if t <= self.last_tick {
            return;
        }
        let dt = t - self.last_tick;
        let idle = self.idle_cores.len() as u64;
        let g = idle.min(self.n_gil_unparked as u64);
        let io = (idle - g).min(self.n_io as u64);
        self.bd.gil_wait_ns += g * dt;
        self.bd.io_wait_ns += io * dt;
        self.bd.idle_ns += (idle - g - io) * dt;
        self.last_tick = t;
    }

    fn finish(mut self) -> Result<RunResult, SimError> {
        let end = self.now;
        self.tick(end);
        for core in 0..self.ncores {
            self.close_span(core);
        }
        if self.completed != self.tasks.len() as u64 || self.outstanding != 0 {
            let stuck: Vec<String> = self
                .threads
                .iter()
                .enumerate()
                .filter(|(_, t)| t.state != TState::Done)
                .map(|(i, t)| {
                    format!(
                        "thread {i} {:?} {:?} next {:?}",
                        t.role,
                        t.state,
                        t.acts.front().map(|a| a.kind)
                    )
                })
                .collect();
            return Err(SimError::Internal(format!(
                "the run stopped with {} of {} tasks complete; stuck: {}",
                self.completed,
                self.tasks.len(),
                stuck.join("; ")
            )));
        }
        // Everything allocated was freed but the results a batch keeps.
        let kept: u64 = if self.server {
            0
        } else {
            self.tasks
                .iter()
                .map(|t| self.groups[t.group as usize].output_bytes)
                .sum()
        };
        if self.mem != kept {
            return Err(SimError::Internal(format!(
                "memory accounting: {} bytes in use at the end, expected the {kept} bytes of kept results",
                self.mem
            )));
        }
        let total = self.bd.total_ns();
        if total != end * self.ncores as u64 {
            return Err(SimError::Internal(format!(
                "accounting: breakdown {total} ns against {} cores x {end} ns",
                self.ncores
            )));
        }
        let server = self.server_stats();
        let serving_ns = match (self.server, self.first_arrival) {
            (true, Some(first)) => self
                .tasks
                .iter()
                .map(|t| t.done)
                .max()
                .unwrap_or(first)
                .saturating_sub(first),
            _ => end,
        };
        let mut trace = self.trace.take();
        if let Some(tr) = &mut trace {
            tr.makespan_ns = end;
            tr.tasks = self
                .tasks
                .iter()
                .enumerate()
                .map(|(i, t)| TaskSpan {
                    task: i as u32,
                    group: t.group,
                    worker: t.worker,
                    arrival_ns: t.arrival,
                    start_ns: t.start,
                    end_ns: t.done,
                })
                .collect();
        }
        Ok(RunResult {
            setup: self.setup,
            cores: self.ncores,
            makespan_ns: end,
            serving_ns,
            breakdown: self.bd,
            peak_memory_bytes: self.mem_peak,
            tasks: self.completed,
            events: self.events,
            server,
            trace,
        })
    }

    fn server_stats(&self) -> Option<ServerStats> {
        if !self.server {
            return None;
        }
        let mut lat: Vec<u64> = self.tasks.iter().map(|t| t.done - t.arrival).collect();
        lat.sort_unstable();
        let pct = |p: u64| -> f64 {
            if lat.is_empty() {
                return 0.0;
            }
            let n = lat.len() as u64;
            let rank = (p * n).div_ceil(100).clamp(1, n);
            lat[(rank - 1) as usize] as f64 / 1e6
        };
        let first = self.first_arrival.unwrap_or(0);
        let last = self.tasks.iter().map(|t| t.done).max().unwrap_or(first);
        let span_s = (last.saturating_sub(first)) as f64 / 1e9;
        let offered: f64 = self.streams.iter().map(|s| 1e9 / s.mean_ns).sum();
        Some(ServerStats {
            completed: self.completed,
            throughput_per_s: if span_s > 0.0 {
                self.completed as f64 / span_s
            } else {
                0.0
            },
            offered_per_s: offered,
            latency_ms: Percentiles {
                p50: pct(50),
                p95: pct(95),
                p99: pct(99),
                max: pct(100),
            },
        })
    }

    // ----- memory ----------------------------------------------------------

    fn mem_add(&mut self, b: u64) {
        self.mem += b;
        self.mem_peak = self.mem_peak.max(self.mem);
    }

    fn mem_sub(&mut self, b: u64) {
        self.mem = self.mem.saturating_sub(b);
    }

    // ----- cores and spans -----------------------------------------------

    fn close_span(&mut self, core: u32) {
        let now = self.now;
        let c = &self.cores[core as usize];
        let start = c.span_start;
        if now <= start && !matches!(c.occ, Occ::Run(_)) {
            return;
        }
        let occ = c.occ;
        let switch_until = c.switch_until;
        let kind = c.kind;
        let mut spans: [(u64, u64, CoreState, u32); 2] = [(0, 0, CoreState::Python, 0); 2];
        let mut n = 0;
        match occ {
            Occ::Idle => {}
            Occ::Park(t) => {
                self.bd.gil_wait_ns += now - start;
                spans[0] = (start, now, CoreState::GilWait, t);
                n = 1;
            }
            Occ::Hand(t) => {
                self.bd.gil_handoff_ns += now - start;
                spans[0] = (start, now, CoreState::Handoff, t);
                n = 1;
            }
            Occ::Run(t) => {
                let sw_end = switch_until.min(now);
                if sw_end > start {
                    self.bd.os_switch_ns += sw_end - start;
                    spans[n] = (start, sw_end, CoreState::OsSwitch, t);
                    n += 1;
                }
                let busy_start = start.max(switch_until);
                if now > busy_start {
                    let len = now - busy_start;
                    let state = kind.unwrap_or(CoreState::Dispatch);
                    self.charge(state, len, t);
                    spans[n] = (busy_start, now, state, t);
                    n += 1;
                }
            }
        }
        if let Some(tr) = &mut self.trace {
            for &(s, e, state, thread) in &spans[..n] {
                if e > s {
                    tr.core_spans.push(CoreSpan {
                        core,
                        start_ns: s,
                        end_ns: e,
                        state,
                        thread,
                    });
                }
            }
        }
        self.cores[core as usize].span_start = now;
    }

    fn charge(&mut self, state: CoreState, len: u64, t: u32) {
        match state {
            CoreState::Python => {
                let th = &self.threads[t as usize];
                let scale =
                    |x: u64, f: u64| ((x as u128 * f as u128 / PPM as u128) as u64).min(len);
                if th.factor_ppm == PPM {
                    self.bd.python_ns += len;
                    return;
                }
                let useful = (len as u128 * PPM as u128 / th.factor_ppm as u128) as u64;
                let with_overhead = scale(useful, PPM + th.overhead_ppm);
                // Rounding remainders go to the last factor in play.
                let with_contention = if th.clock_ppm == PPM {
                    len
                } else {
                    scale(with_overhead, PPM + th.contention_ppm)
                };
                self.bd.python_ns += useful;
                self.bd.ft_overhead_ns += with_overhead - useful;
                self.bd.contention_ns += with_contention - with_overhead;
                self.bd.clock_ns += len - with_contention;
            }
            CoreState::Native | CoreState::Transfer | CoreState::Startup | CoreState::Dispatch => {
                let clock = self.threads[t as usize].clock_ppm;
                let base = if clock == PPM {
                    len
                } else {
                    (len as u128 * PPM as u128 / clock as u128) as u64
                };
                self.bd.clock_ns += len - base;
                match state {
                    CoreState::Native => self.bd.native_ns += base,
                    CoreState::Transfer => self.bd.transfer_ns += base,
                    CoreState::Startup => self.bd.startup_ns += base,
                    _ => self.bd.dispatch_ns += base,
                }
            }
            CoreState::OsSwitch => self.bd.os_switch_ns += len,
            CoreState::GilWait => self.bd.gil_wait_ns += len,
            CoreState::Handoff => self.bd.gil_handoff_ns += len,
        }
    }

    fn set_occ(&mut self, core: u32, occ: Occ) {
        self.close_span(core);
        let c = &mut self.cores[core as usize];
        let old = c.occ;
        c.occ = occ;
        c.kind = None;
        if matches!(old, Occ::Run(_)) {
            self.running_cores -= 1;
        }
        if matches!(occ, Occ::Run(_)) {
            self.running_cores += 1;
        }
        match old {
            Occ::Idle => {
                self.idle_cores.remove(core);
            }
            Occ::Park(_) => {
                self.parked_cores.remove(core);
            }
            _ => {}
        }
        match occ {
            Occ::Idle => {
                self.idle_cores.insert(core);
            }
            Occ::Park(_) => {
                self.parked_cores.insert(core);
            }
            _ => {}
        }
    }

    fn set_kind(&mut self, core: u32, kind: Option<CoreState>) {
        if self.cores[core as usize].kind != kind {
            self.close_span(core);
            self.cores[core as usize].kind = kind;
        }
    }

    fn find_free_core(&self, tid: u32) -> Option<u32> {
        if let Some(c) = self.threads[tid as usize].last_core {
            if self.cores[c as usize].occ == Occ::Idle {
                return Some(c);
            }
        }
        self.idle_cores
            .first()
            .or_else(|| self.parked_cores.first())
    }

    fn make_runnable(&mut self, tid: u32) {
        self.threads[tid as usize].state = TState::Runnable;
        match self.find_free_core(tid) {
            Some(core) => self.place(tid, core),
            None => {
                let was_empty = self.runq.is_empty();
                self.runq.push_back(tid);
                if was_empty {
                    for core in 0..self.ncores {
                        let c = &self.cores[core as usize];
                        if matches!(c.occ, Occ::Run(_)) {
                            let at = (c.placed_at + self.c.os_quantum_ns).max(self.now);
                            self.q.push(at, Ev::Slice(core, c.epoch));
                        }
                    }
                }
            }
        }
    }

    fn place(&mut self, tid: u32, core: u32) {
        if let Occ::Park(w) = self.cores[core as usize].occ {
            if w != tid {
                self.threads[w as usize].core = None;
                self.n_gil_unparked += 1;
            }
        }
        let ctx = if self.cores[core as usize].last_thread == Some(tid) {
            0
        } else {
            self.c.context_switch_ns
        };
        self.set_occ(core, Occ::Run(tid));
        let now = self.now;
        let c = &mut self.cores[core as usize];
        c.switch_until = now + ctx;
        c.last_thread = Some(tid);
        c.placed_at = now;
        c.epoch = c.epoch.wrapping_add(1);
        let ep = c.epoch;
        let th = &mut self.threads[tid as usize];
        th.core = Some(core);
        th.last_core = Some(core);
        th.state = TState::Running;
        if !self.runq.is_empty() {
            self.q.push(now + self.c.os_quantum_ns, Ev::Slice(core, ep));
        }
        self.advance(tid);
    }

    /// The thread gives up its core (it blocked, waits on I/O or exited).
    fn leave_core(&mut self, tid: u32) {
        let Some(core) = self.threads[tid as usize].core.take() else {
            return;
        };
        self.vacate(core);
    }

    fn vacate(&mut self, core: u32) {
        if let Some(next) = self.runq.pop_front() {
            self.place(next, core);
        } else {
            self.set_occ(core, Occ::Idle);
        }
    }

    fn on_slice(&mut self, core: u32, ep: u32) {
        let c = &self.cores[core as usize];
        if c.epoch != ep || self.runq.is_empty() {
            return;
        }
        let Occ::Run(t) = c.occ else { return };
        self.stop_act(t, false);
        let th = &mut self.threads[t as usize];
        th.core = None;
        th.state = TState::Runnable;
        th.epoch = th.epoch.wrapping_add(1);
        self.runq.push_back(t);
        let next = self.runq.pop_front().unwrap_or(t);
        self.place(next, core);
    }

    // ----- running activities ---------------------------------------------

    fn gil_active(&self, i: u32) -> bool {
        i != NO_GIL && self.gils[i as usize].enabled
    }

    /// Work through the thread's activities until it starts a timed one,
    /// blocks or exits. The thread is on a core.
    fn advance(&mut self, tid: u32) {
        loop {
            if self.threads[tid as usize].state != TState::Running {
                return;
            }
            let Some(act) = self.threads[tid as usize].acts.front().copied() else {
                if !self.next_work(tid) {
                    self.block(tid);
                    return;
                }
                continue;
            };
            match act.kind {
                Kind::Mark(m) => {
                    self.threads[tid as usize].acts.pop_front();
                    if !self.mark(tid, m) {
                        return;
                    }
                }
                Kind::Io => {
                    self.threads[tid as usize].acts.pop_front();
                    if act.work == 0 {
                        continue;
                    }
                    self.release_held(tid);
                    let th = &mut self.threads[tid as usize];
                    th.state = TState::Io;
                    th.epoch = th.epoch.wrapping_add(1);
                    let ep = th.epoch;
                    self.n_io += 1;
                    self.q.push(self.now + act.work, Ev::IoDone(tid, ep));
                    self.leave_core(tid);
                    return;
                }
                _ => {
                    if act.work == 0 {
                        self.threads[tid as usize].acts.pop_front();
                        continue;
                    }
                    let held = self.threads[tid as usize].holds;
                    if self.gil_active(act.gil) {
                        if held == act.gil {
                            let g = &self.gils[act.gil as usize];
                            if g.drop_requested && !g.waiters.is_empty() {
                                self.force_drop(tid, act.gil);
                                return;
                            }
                        } else {
                            if held != NO_GIL {
                                self.release(tid, held);
                            }
                            if !self.try_take(tid, act.gil) {
                                self.wait_gil(tid, act.gil);
                                return;
                            }
                        }
                    } else if held != NO_GIL {
                        self.release(tid, held);
                    }
                    self.start_act(tid);
                    return;
                }
            }
        }
    }

    fn shared_counted(&self, tid: u32, act: &Act) -> bool {
        act.kind == Kind::Python
            && act.shared_ppm > 0
            && self.c.contention_ppm > 0
            && !self.gil_active(self.threads[tid as usize].interp)
    }

    fn start_act(&mut self, tid: u32) {
        let act = self.threads[tid as usize].acts[0];
        let p = self.threads[tid as usize].process as usize;
        let counted = self.shared_counted(tid, &act);
        if counted {
            self.shared_running[p].push(tid);
            self.threads[tid as usize].in_shared = true;
            self.mark_dirty(p);
        }
        let overhead = if self.ft_build && act.kind == Kind::Python {
            self.c.ft_overhead_ppm
        } else {
            0
        };
        let contention = if counted {
            self.contention_for(p, act.shared_ppm)
        } else {
            0
        };
        let core = self.threads[tid as usize].core.unwrap_or(0);
        let state = match act.kind {
            Kind::Python => CoreState::Python,
            Kind::Native => CoreState::Native,
            Kind::Transfer => CoreState::Transfer,
            Kind::Startup => CoreState::Startup,
            _ => CoreState::Dispatch,
        };
        self.set_kind(core, Some(state));
        let start = self.now.max(self.cores[core as usize].switch_until);
        let clock = self.clock_factor();
        let th = &mut self.threads[tid as usize];
        th.overhead_ppm = overhead;
        th.contention_ppm = contention;
        th.clock_ppm = clock;
        th.factor_ppm = compose(overhead, contention, clock);
        th.run_start = start;
        th.act_running = true;
        th.epoch = th.epoch.wrapping_add(1);
        let ep = th.epoch;
        let dur = scaled_time(act.work, th.factor_ppm);
        self.q.push(start + dur, Ev::ActDone(tid, ep));
    }

    /// How much slower than a lone core the cores run now, in parts per
    /// million (>= 1,000,000): linear in the number of cores running threads,
    /// down to the profile's all-core speed. An act keeps the factor it
    /// started with.
    fn clock_factor(&self) -> u64 {
        let speed = self.c.all_core_speed_ppm;
        if speed >= PPM || self.ncores <= 1 {
            return PPM;
        }
        let busy = self.running_cores.clamp(1, self.ncores) as u64;
        let drop = (PPM - speed) * (busy - 1) / (self.ncores as u64 - 1);
        PPM * PPM / (PPM - drop)
    }

    fn contention_for(&self, p: usize, shared_ppm: u32) -> u64 {
        let k = self.shared_running[p].len() as u64;
        if k <= 1 {
            return 0;
        }
        (self.c.contention_ppm as u128 * shared_ppm as u128 / PPM as u128) as u64 * (k - 1)
    }

    /// Account the progress of the running act up to now.
    fn settle(&mut self, tid: u32) {
        let now = self.now;
        let th = &mut self.threads[tid as usize];
        if !th.act_running || now <= th.run_start {
            return;
        }
        let elapsed = now - th.run_start;
        let done = if th.factor_ppm == PPM {
            elapsed
        } else {
            (elapsed as u128 * PPM as u128 / th.factor_ppm as u128) as u64
        };
        if let Some(a) = th.acts.front_mut() {
            a.work = a.work.saturating_sub(done).max(1);
        }
        th.run_start = now;
    }

    /// Stop the running act: `finished` pops it, otherwise its progress is kept.
    fn stop_act(&mut self, tid: u32, finished: bool) {
        if !self.threads[tid as usize].act_running {
            return;
        }
        if finished {
            self.threads[tid as usize].acts.pop_front();
        } else {
            self.settle(tid);
        }
        let th = &mut self.threads[tid as usize];
        th.act_running = false;
        th.epoch = th.epoch.wrapping_add(1);
        if let Some(core) = th.core {
            self.set_kind(core, None);
        }
        if self.threads[tid as usize].in_shared {
            self.threads[tid as usize].in_shared = false;
            let p = self.threads[tid as usize].process as usize;
            self.shared_running[p].retain(|&x| x != tid);
            self.mark_dirty(p);
        }
    }

    /// The number of threads mutating shared state in process `p` changed:
    /// re-time every other such thread.
    /// Note that the number of threads mutating shared state in process `p`
    /// changed; `rescale_dirty` re-times them once the event is handled.
    fn mark_dirty(&mut self, p: usize) {
        if !self.dirty.contains(&(p as u32)) {
            self.dirty.push(p as u32);
        }
    }

    /// Re-time every thread whose contention changed with the number of
    /// threads mutating shared state in its process. Done once per event, so
    /// a thread swapped for another at the same instant re-times nobody.
    fn rescale_dirty(&mut self) {
        while let Some(p) = self.dirty.pop() {
            let p = p as usize;
            for i in 0..self.shared_running[p].len() {
                let t = self.shared_running[p][i];
                let shared = self.threads[t as usize].acts[0].shared_ppm;
                let contention = self.contention_for(p, shared);
                if contention == self.threads[t as usize].contention_ppm {
                    continue;
                }
                self.settle(t);
                if let Some(core) = self.threads[t as usize].core {
                    self.close_span(core);
                }
                let th = &mut self.threads[t as usize];
                th.contention_ppm = contention;
                th.factor_ppm = compose(th.overhead_ppm, contention, th.clock_ppm);
                th.epoch = th.epoch.wrapping_add(1);
                let ep = th.epoch;
                let work = th.acts[0].work;
                let dur = scaled_time(work, th.factor_ppm);
                let at = th.run_start.max(self.now) + dur;
                self.q.push(at, Ev::ActDone(t, ep));
            }
        }
    }

    fn block(&mut self, tid: u32) {
        self.release_held(tid);
        let th = &mut self.threads[tid as usize];
        th.state = TState::Blocked;
        th.epoch = th.epoch.wrapping_add(1);
        self.leave_core(tid);
    }

    /// Wake one worker waiting for a task, if any.
    fn wake_idle_worker(&mut self) {
        if let Some(w) = self.idle_workers.pop_front() {
            self.wake(w);
        }
    }

    /// Wake every worker waiting for a task (to take one or to exit).
    fn wake_all_idle(&mut self) {
        while let Some(w) = self.idle_workers.pop_front() {
            self.wake(w);
        }
    }

    fn wake(&mut self, tid: u32) {
        if tid != NONE && self.threads[tid as usize].state == TState::Blocked {
            self.make_runnable(tid);
        }
    }

    // ----- the GIL ---------------------------------------------------------

    fn release_held(&mut self, tid: u32) {
        let held = self.threads[tid as usize].holds;
        if held != NO_GIL {
            self.release(tid, held);
        }
    }

    fn try_take(&mut self, tid: u32, i: u32) -> bool {
        let g = &self.gils[i as usize];
        if g.holder != NONE {
            return false;
        }
        if self.threads[tid as usize].no_retake == i && g.last_holder == tid {
            return false;
        }
        let now = self.now;
        let g = &mut self.gils[i as usize];
        g.holder = tid;
        if g.last_holder != tid {
            g.last_holder = tid;
            g.switch_no += 1;
        }
        g.drop_requested = false;
        g.span_start = now;
        if let Some(pos) = g.waiters.iter().position(|&w| w == tid) {
            g.waiters.remove(pos);
        }
        if g.signaled == tid {
            g.signaled = NONE;
        }
        let waiting = !g.waiters.is_empty();
        let th = &mut self.threads[tid as usize];
        th.holds = i;
        th.no_retake = NO_GIL;
        if waiting {
            self.arm_drop(i);
        }
        true
    }

    fn release(&mut self, tid: u32, i: u32) {
        let now = self.now;
        let g = &mut self.gils[i as usize];
        if g.holder != tid {
            self.failure = Some(format!("thread {tid} released GIL {i} it does not hold"));
            return;
        }
        g.holder = NONE;
        g.drop_requested = false;
        let start = g.span_start;
        self.threads[tid as usize].holds = NO_GIL;
        if let Some(tr) = &mut self.trace {
            if now > start {
                tr.gil_spans.push(GilSpan {
                    interpreter: i,
                    start_ns: start,
                    end_ns: now,
                    holder: tid,
                });
            }
        }
        self.maybe_signal(i);
    }

    fn arm_drop(&mut self, i: u32) {
        let g = &mut self.gils[i as usize];
        if g.armed_for == Some(g.switch_no) {
            return;
        }
        g.armed_for = Some(g.switch_no);
        let sn = g.switch_no;
        self.q
            .push(self.now + self.c.switch_interval_ns, Ev::DropTimer(i, sn));
    }

    fn wait_gil(&mut self, tid: u32, i: u32) {
        let th = &mut self.threads[tid as usize];
        th.state = TState::GilWait;
        th.epoch = th.epoch.wrapping_add(1);
        self.gils[i as usize].waiters.push_back(tid);
        if let Some(core) = self.threads[tid as usize].core {
            if self.runq.is_empty() {
                self.set_occ(core, Occ::Park(tid));
            } else {
                self.threads[tid as usize].core = None;
                self.n_gil_unparked += 1;
                self.vacate(core);
            }
        } else {
            self.n_gil_unparked += 1;
        }
        if self.gils[i as usize].holder != NONE {
            self.arm_drop(i);
        } else {
            self.maybe_signal(i);
        }
    }

    /// Wake the first waiter that may take the free GIL, unless one is
    /// already being woken.
    fn maybe_signal(&mut self, i: u32) {
        let g = &self.gils[i as usize];
        if g.holder != NONE || g.signaled != NONE || g.waiters.is_empty() {
            return;
        }
        let eligible = g
            .waiters
            .iter()
            .copied()
            .find(|&w| !(self.threads[w as usize].no_retake == i && g.last_holder == w));
        let w = match eligible {
            Some(w) => w,
            None => {
                // Only a thread that just dropped it is waiting: nobody else
                // can take it, so forced switching has nothing to wait for.
                let w = g.waiters[0];
                self.threads[w as usize].no_retake = NO_GIL;
                w
            }
        };
        self.gils[i as usize].signaled = w;
        let ep = self.threads[w as usize].epoch;
        if let Some(core) = self.threads[w as usize].core {
            self.set_occ(core, Occ::Hand(w));
        }
        self.q
            .push(self.now + self.c.gil_handoff_ns, Ev::Wake(w, ep));
    }

    fn on_wake(&mut self, tid: u32, ep: u32) {
        let th = &self.threads[tid as usize];
        let i = self.act_gil(tid);
        if th.epoch != ep || th.state != TState::GilWait || i == NO_GIL {
            return;
        }
        if self.gils[i as usize].signaled == tid {
            self.gils[i as usize].signaled = NONE;
        }
        if self.try_take(tid, i) {
            match self.threads[tid as usize].core {
                Some(core) => {
                    self.set_occ(core, Occ::Run(tid));
                    let now = self.now;
                    let c = &mut self.cores[core as usize];
                    c.switch_until = now;
                    c.placed_at = now;
                    c.epoch = c.epoch.wrapping_add(1);
                    let cep = c.epoch;
                    self.threads[tid as usize].state = TState::Running;
                    if !self.runq.is_empty() {
                        self.q
                            .push(now + self.c.os_quantum_ns, Ev::Slice(core, cep));
                    }
                    self.advance(tid);
                }
                None => {
                    self.n_gil_unparked -= 1;
                    self.make_runnable(tid);
                }
            }
        } else {
            if let Some(core) = self.threads[tid as usize].core {
                if self.runq.is_empty() {
                    self.set_occ(core, Occ::Park(tid));
                } else {
                    self.threads[tid as usize].core = None;
                    self.n_gil_unparked += 1;
                    self.vacate(core);
                }
            }
            self.maybe_signal(i);
        }
    }

    fn act_gil(&self, tid: u32) -> u32 {
        self.threads[tid as usize]
            .acts
            .front()
            .map(|a| a.gil)
            .unwrap_or(NO_GIL)
    }

    fn on_drop_timer(&mut self, i: u32, sn: u64) {
        let g = &mut self.gils[i as usize];
        if g.armed_for == Some(sn) {
            g.armed_for = None;
        }
        if g.switch_no != sn || g.holder == NONE || g.waiters.is_empty() {
            if g.holder != NONE && !g.waiters.is_empty() {
                self.arm_drop(i);
            }
            return;
        }
        g.drop_requested = true;
        self.q
            .push(self.now + self.c.eval_breaker_ns, Ev::DropNotice(i, sn));
    }

    fn on_drop_notice(&mut self, i: u32, sn: u64) {
        let g = &self.gils[i as usize];
        if g.switch_no != sn || !g.drop_requested || g.holder == NONE || g.waiters.is_empty() {
            return;
        }
        let h = g.holder;
        let th = &self.threads[h as usize];
        if th.state == TState::Running
            && th.act_running
            && th.acts.front().map(|a| a.gil) == Some(i)
        {
            self.force_drop(h, i);
        }
        // Otherwise the holder is off its core or between acts; it drops the
        // GIL when it next runs Python (see `advance`).
    }

    fn force_drop(&mut self, tid: u32, i: u32) {
        self.stop_act(tid, false);
        self.release(tid, i);
        self.threads[tid as usize].no_retake = i;
        // The signalled waiter must take it before this thread may again.
        self.wait_gil(tid, i);
    }

    // ----- control marks -------------------------------------------------

    /// Apply a control mark. Returns false when the thread stopped running.
    fn mark(&mut self, tid: u32, m: Mark) -> bool {
        match m {
            Mark::SpawnThread(child) => {
                let mem = self.threads[child as usize].memory;
                self.mem_add(mem);
                self.live_threads += 1;
                if self.threads[child as usize].role == Role::Worker {
                    self.live_workers += 1;
                }
                if self.threads[child as usize].creator == NONE {
                    self.threads[child as usize].creator = tid;
                }
                self.make_runnable(child);
                true
            }
            Mark::WaitStarted(child) => {
                if self.threads[child as usize].started {
                    true
                } else {
                    self.threads[tid as usize].waiting_for = child;
                    self.block(tid);
                    false
                }
            }
            Mark::SignalStarted => {
                self.threads[tid as usize].started = true;
                let creator = self.threads[tid as usize].creator;
                if creator != NONE && self.threads[creator as usize].waiting_for == tid {
                    self.threads[creator as usize].waiting_for = NONE;
                    self.wake(creator);
                }
                true
            }
            Mark::WorkerReady => {
                self.pool_ready += 1;
                if self.server && self.pool_ready == self.pool_total {
                    self.start_arrivals();
                }
                true
            }
            Mark::XferBegin(task, dir) => {
                let t = &mut self.tasks[task as usize];
                t.xfer_from = tid;
                t.xfer_start = self.now;
                let b = self.payload_bytes(task, dir);
                self.mem_add(b);
                true
            }
            Mark::XferEnd(task, dir) => {
                let b = self.payload_bytes(task, dir);
                self.mem_sub(b);
                let t = &self.tasks[task as usize];
                let span = TransferSpan {
                    task,
                    from_thread: t.xfer_from,
                    to_thread: tid,
                    bytes: b,
                    start_ns: t.xfer_start,
                    end_ns: self.now,
                    direction: if dir == Dir::Input { "input" } else { "output" },
                };
                if let Some(tr) = &mut self.trace {
                    tr.transfers.push(span);
                }
                true
            }
            Mark::SendInput(task) => {
                let sent = self.pending.pop_front();
                debug_assert_eq!(sent, Some(task));
                self.call_q.push_back(task);
                self.wake_idle_worker();
                true
            }
            Mark::SendResult(task) => {
                self.results.push_back(task);
                let p = self.parent;
                self.wake(p);
                true
            }
            Mark::TaskStart(task) => {
                self.start_task(task, tid);
                true
            }
            Mark::TaskDone(task) => {
                self.tasks[task as usize].done = self.now;
                self.outstanding -= 1;
                self.completed += 1;
                if !self.server {
                    let out = self.groups[self.tasks[task as usize].group as usize].output_bytes;
                    self.mem_add(out);
                }
                self.check_join();
                true
            }
            Mark::ForkRequest(child) => {
                self.fork_q.push_back(child);
                let s = self.server_thread;
                self.wake(s);
                self.block(tid);
                false
            }
            Mark::ForkReply => {
                let p = self.parent;
                self.wake(p);
                true
            }
            Mark::AsyncAdmit(task) => {
                self.async_ready.push_back((task, 0));
                self.mem_add(self.c.asyncio_task_memory);
                self.start_task(task, tid);
                true
            }
            Mark::AsyncSuspend(task, next) => {
                let g = self.tasks[task as usize].group as usize;
                let (_, io) = self.groups[g].step(next - 1);
                self.n_io += 1;
                self.q.push(self.now + io, Ev::AsyncIo(task, next));
                true
            }
            Mark::Release(task) => {
                let held = self.held.pop_front();
                debug_assert_eq!(held, Some(task));
                self.pending.push_back(task);
                self.wake_idle_worker();
                true
            }
            Mark::MemAdd(b) => {
                self.mem_add(b);
                true
            }
            Mark::MemFree(b) => {
                self.mem_sub(b);
                true
            }
            Mark::Join => {
                if self.outstanding == 0 && self.live_workers == 0 {
                    true
                } else {
                    self.main_join = tid;
                    self.block(tid);
                    false
                }
            }
            Mark::Exit => {
                self.release_held(tid);
                let th = &mut self.threads[tid as usize];
                th.state = TState::Done;
                th.epoch = th.epoch.wrapping_add(1);
                let mem = th.memory;
                let worker = th.in_pool;
                self.mem_sub(mem);
                self.live_threads -= 1;
                if worker {
                    self.live_workers -= 1;
                    self.check_join();
                }
                self.leave_core(tid);
                false
            }
        }
    }

    fn start_task(&mut self, task: u32, worker: u32) {
        let t = &mut self.tasks[task as usize];
        t.start = self.now;
        t.worker = worker;
    }

    fn payload_bytes(&self, task: u32, dir: Dir) -> u64 {
        let g = &self.groups[self.tasks[task as usize].group as usize];
        match dir {
            Dir::Input => g.input_bytes,
            Dir::Output => g.output_bytes,
        }
    }

    fn check_join(&mut self) {
        if self.main_join != NONE && self.outstanding == 0 && self.live_workers == 0 {
            let m = self.main_join;
            self.main_join = NONE;
            self.wake(m);
        }
        if self.outstanding == 0 && !self.arrivals_open {
            // Nothing more will come: let blocked workers exit.
            self.wake_all_idle();
            let p = self.parent;
            self.wake(p);
            let s = self.server_thread;
            self.wake(s);
            self.wake_loop();
        }
    }

    fn wake_loop(&mut self) {
        if self.async_blocked {
            self.async_blocked = false;
            self.wake(self.main_thread());
        }
    }

    // ----- work sources ----------------------------------------------------

    /// Give the thread more work. False means it must block.
    fn next_work(&mut self, tid: u32) -> bool {
        match self.threads[tid as usize].role {
            Role::Worker => self.worker_next(tid),
            Role::Parent => self.parent_next(tid),
            Role::AsyncLoop => self.loop_next(tid),
            Role::ForkServer => self.server_next(tid),
            Role::Main => self.main_next(tid),
        }
    }

    fn exit_acts(&mut self, tid: u32) {
        let i = self.threads[tid as usize].interp;
        let g = &mut self.gils[i as usize];
        g.live_threads = g.live_threads.saturating_sub(1);
        let last = g.live_threads == 0;
        if self.setup.model.uses_interpreters() && i != 0 && last {
            let mem = self.ft_mem(self.c.interpreter_memory);
            let acts = &mut self.threads[tid as usize].acts;
            acts.push_back(Act::cpu(Kind::Startup, self.c.interpreter_close_ns, i));
            acts.push_back(Act::mark(Mark::MemFree(mem)));
        }
        self.threads[tid as usize]
            .acts
            .push_back(Act::mark(Mark::Exit));
    }

    fn worker_next(&mut self, tid: u32) -> bool {
        if self.setup.per_task && self.threads[tid as usize].tasks_run > 0 {
            self.exit_acts(tid);
            return true;
        }
        match self.feed {
            Feed::Direct => {
                if let Some(task) = self.pending.pop_front() {
                    self.push_task_acts(tid, task);
                    if self.producer_blocked {
                        self.producer_blocked = false;
                        self.wake(self.main_thread());
                    }
                    return true;
                }
                if self.setup.model == Model::Sequential {
                    // The only thread is also the caller.
                    if let Some(task) = self.held.pop_front() {
                        let parent_ns =
                            self.groups[self.tasks[task as usize].group as usize].parent_ns;
                        let i = self.threads[tid as usize].interp;
                        self.threads[tid as usize].acts.push_back(Act::cpu(
                            Kind::Python,
                            parent_ns,
                            i,
                        ));
                        self.push_task_acts(tid, task);
                        return true;
                    }
                }
                if self.arrivals_open || !self.held.is_empty() {
                    self.idle_workers.push_back(tid);
                    return false;
                }
            }
            Feed::Parent => {
                if let Some(task) = self.call_q.pop_front() {
                    self.push_task_acts(tid, task);
                    let p = self.parent;
                    self.wake(p);
                    return true;
                }
                if !self.pending.is_empty() {
                    // The parent has more to feed.
                    self.idle_workers.push_back(tid);
                    return false;
                }
            }
        }
        self.exit_acts(tid);
        true
    }

    fn push_task_acts(&mut self, tid: u32, task: u32) {
        self.threads[tid as usize].tasks_run += 1;
        let gi = self.tasks[task as usize].group as usize;
        let home = self.threads[tid as usize].interp;
        let c = self.c;
        // A worker started for its task gets it as an argument, not from a queue.
        let sequential = self.setup.model == Model::Sequential || self.setup.per_task;
        let mut acts: Vec<Act> =
            Vec::with_capacity(self.groups[gi].steps.len() * self.groups[gi].repeat as usize + 8);
        let g = &self.groups[gi];
        match self.xfer {
            Xfer::Pickle => {
                // The parent pickled and piped the input; read and unpickle it here.
                self.receive_side(&mut acts, task, Dir::Input, home, g.input_bytes, g.payload);
            }
            Xfer::Interp => {
                if !sequential {
                    acts.push(Act::cpu(Kind::Dispatch, c.dispatch_ns, 0));
                }
                self.interp_transfer(
                    &mut acts,
                    task,
                    Dir::Input,
                    0,
                    home,
                    g.input_bytes,
                    g.payload,
                );
            }
            Xfer::Socket => {
                if !sequential {
                    acts.push(Act::cpu(Kind::Dispatch, c.dispatch_ns, home));
                }
                acts.push(Act::cpu(
                    Kind::Transfer,
                    bytes_time(g.input_bytes, c.pipe_bps),
                    NO_GIL,
                ));
            }
            Xfer::None => {
                if !sequential {
                    acts.push(Act::cpu(Kind::Dispatch, c.dispatch_ns, home));
                }
            }
        }
        acts.push(Act::mark(Mark::TaskStart(task)));
        for _ in 0..g.repeat {
            for &(kind, work) in &g.steps {
                let gil = if kind == Kind::Python { home } else { NO_GIL };
                acts.push(Act {
                    kind,
                    work,
                    gil,
                    shared_ppm: if kind == Kind::Python {
                        g.shared_ppm
                    } else {
                        0
                    },
                });
            }
        }
        match self.xfer {
            Xfer::Pickle => {
                self.send_side(
                    &mut acts,
                    task,
                    Dir::Output,
                    home,
                    g.output_bytes,
                    g.payload,
                );
                acts.push(Act::mark(Mark::SendResult(task)));
            }
            Xfer::Interp => {
                self.interp_transfer(
                    &mut acts,
                    task,
                    Dir::Output,
                    home,
                    0,
                    g.output_bytes,
                    g.payload,
                );
                acts.push(Act::mark(Mark::TaskDone(task)));
            }
            Xfer::Socket => {
                acts.push(Act::cpu(
                    Kind::Transfer,
                    bytes_time(g.output_bytes, c.pipe_bps),
                    NO_GIL,
                ));
                acts.push(Act::mark(Mark::TaskDone(task)));
            }
            Xfer::None => acts.push(Act::mark(Mark::TaskDone(task))),
        }
        self.threads[tid as usize].acts.extend(acts);
    }

    fn pickle_ns(&self, bytes: u64, payload: Payload) -> (u64, u64) {
        let c = self.c;
        let (p, u) = match payload {
            Payload::Bytes => (c.pickle_bytes_bps, c.unpickle_bytes_bps),
            Payload::Objects => (c.pickle_objects_bps, c.unpickle_objects_bps),
        };
        (bytes_time(bytes, p), bytes_time(bytes, u))
    }

    /// Sending half of a pickled, piped transfer: pickle under the sender's
    /// GIL, then write to the pipe with the GIL released.
    fn send_side(
        &self,
        acts: &mut Vec<Act>,
        task: u32,
        dir: Dir,
        gil: u32,
        bytes: u64,
        payload: Payload,
    ) {
        let (p, _) = self.pickle_ns(bytes, payload);
        let half_call = self.c.pickle_call_ns / 2;
        let pipe = bytes_time(bytes, self.c.pipe_bps);
        acts.push(Act::mark(Mark::XferBegin(task, dir)));
        acts.push(Act::cpu(Kind::Transfer, p + half_call, gil));
        acts.push(Act::cpu(Kind::Transfer, pipe / 2, NO_GIL));
    }

    /// Receiving half: read from the pipe, then unpickle under the receiver's GIL.
    fn receive_side(
        &self,
        acts: &mut Vec<Act>,
        task: u32,
        dir: Dir,
        gil: u32,
        bytes: u64,
        payload: Payload,
    ) {
        let (_, u) = self.pickle_ns(bytes, payload);
        let half_call = self.c.pickle_call_ns - self.c.pickle_call_ns / 2;
        let pipe = bytes_time(bytes, self.c.pipe_bps);
        acts.push(Act::cpu(Kind::Transfer, pipe - pipe / 2, NO_GIL));
        acts.push(Act::cpu(Kind::Transfer, u + half_call, gil));
        acts.push(Act::mark(Mark::XferEnd(task, dir)));
    }

    /// A transfer between two interpreters of one process, done by one thread:
    /// shareable bytes are copied, object graphs pickled; each half runs under
    /// the GIL of the interpreter it happens in.
    #[allow(clippy::too_many_arguments)]
    fn interp_transfer(
        &self,
        acts: &mut Vec<Act>,
        task: u32,
        dir: Dir,
        from: u32,
        to: u32,
        bytes: u64,
        payload: Payload,
    ) {
        let c = self.c;
        let (send, recv) = match payload {
            Payload::Bytes => {
                let t = bytes_time(bytes, c.xi_copy_bps);
                (t / 2, t - t / 2)
            }
            Payload::Objects => self.pickle_ns(bytes, payload),
        };
        let half_call = c.xi_call_ns / 2;
        acts.push(Act::mark(Mark::XferBegin(task, dir)));
        acts.push(Act::cpu(Kind::Transfer, send + half_call, from));
        acts.push(Act::cpu(
            Kind::Transfer,
            recv + (c.xi_call_ns - half_call),
            to,
        ));
        acts.push(Act::mark(Mark::XferEnd(task, dir)));
    }

    /// The main (or parent, or event-loop) thread is always thread 0.
    fn main_thread(&self) -> u32 {
        0
    }

    /// The main thread of a thread or interpreter pool: prepare and hand
    /// over the next task while the queue has room, then join.
    fn main_next(&mut self, tid: u32) -> bool {
        if let Some(&task) = self.held.front() {
            if (self.pending.len() as u32) < self.pool_total {
                // The task stays held until released, so that no worker
                // exits believing the work is done while it is prepared.
                let parent_ns = self.groups[self.tasks[task as usize].group as usize].parent_ns;
                let acts = &mut self.threads[tid as usize].acts;
                acts.push_back(Act::cpu(Kind::Python, parent_ns, 0));
                acts.push_back(Act::mark(Mark::Release(task)));
                return true;
            }
            self.producer_blocked = true;
            return false;
        }
        let acts = &mut self.threads[tid as usize].acts;
        acts.push_back(Act::mark(Mark::Join));
        acts.push_back(Act::mark(Mark::Exit));
        true
    }

    fn parent_next(&mut self, tid: u32) -> bool {
        let n_threads = self.pool_total;
        let take_result =
            !self.results.is_empty() && (!self.call_q.is_empty() || self.pending.is_empty());
        if take_result {
            return self.collect_result(tid);
        }
        if !self.pending.is_empty() && (self.call_q.len() as u32) < n_threads + 1 {
            // The task leaves `pending` only when it reaches the call queue,
            // so no worker exits while the parent still prepares it.
            if let Some(&task) = self.pending.front() {
                let g = &self.groups[self.tasks[task as usize].group as usize];
                let (bytes, payload) = (g.input_bytes, g.payload);
                let mut acts = Vec::with_capacity(5);
                acts.push(Act::cpu(Kind::Python, g.parent_ns, 0));
                self.send_side(&mut acts, task, Dir::Input, 0, bytes, payload);
                acts.push(Act::mark(Mark::SendInput(task)));
                self.threads[tid as usize].acts.extend(acts);
                return true;
            }
        }
        if !self.results.is_empty() {
            return self.collect_result(tid);
        }
        if self.outstanding == 0 {
            let acts = &mut self.threads[tid as usize].acts;
            acts.push_back(Act::mark(Mark::Join));
            acts.push_back(Act::mark(Mark::Exit));
            // Workers waiting for tasks can now exit.
            self.wake_all_idle();
            return true;
        }
        false
    }

    fn collect_result(&mut self, tid: u32) -> bool {
        let Some(task) = self.results.pop_front() else {
            return false;
        };
        let g = &self.groups[self.tasks[task as usize].group as usize];
        let (bytes, payload) = (g.output_bytes, g.payload);
        let mut acts = Vec::with_capacity(4);
        self.receive_side(&mut acts, task, Dir::Output, 0, bytes, payload);
        acts.push(Act::mark(Mark::TaskDone(task)));
        self.threads[tid as usize].acts.extend(acts);
        true
    }

    fn server_next(&mut self, tid: u32) -> bool {
        if let Some(child) = self.fork_q.pop_front() {
            let i = self.threads[tid as usize].interp;
            let acts = &mut self.threads[tid as usize].acts;
            acts.push_back(Act::cpu(Kind::Startup, self.c.forkserver_fork_ns, i));
            acts.push_back(Act::mark(Mark::SpawnThread(child)));
            acts.push_back(Act::mark(Mark::ForkReply));
            return true;
        }
        if self.outstanding == 0 && !self.arrivals_open && self.pool_forked() {
            self.threads[tid as usize]
                .acts
                .push_back(Act::mark(Mark::Exit));
            return true;
        }
        false
    }

    fn pool_forked(&self) -> bool {
        self.threads
            .iter()
            .filter(|t| t.role == Role::Worker)
            .all(|t| t.state != TState::Created)
    }

    fn loop_next(&mut self, tid: u32) -> bool {
        let c = self.c;
        if !self.pending.is_empty() && self.async_in_flight < self.async_limit {
            if let Some(task) = self.pending.pop_front() {
                self.async_in_flight += 1;
                let parent_ns = self.groups[self.tasks[task as usize].group as usize].parent_ns;
                let acts = &mut self.threads[tid as usize].acts;
                acts.push_back(Act::cpu(Kind::Python, parent_ns, 0));
                acts.push_back(Act::cpu(Kind::Dispatch, c.asyncio_task_ns, 0));
                acts.push_back(Act::mark(Mark::AsyncAdmit(task)));
                return true;
            }
        }
        if let Some((task, idx)) = self.async_ready.pop_front() {
            let gi = self.tasks[task as usize].group as usize;
            let g = &self.groups[gi];
            let total = g.total_steps();
            let mut acts = Vec::new();
            if idx > 0 {
                acts.push(Act::cpu(Kind::Dispatch, c.asyncio_await_ns, 0));
            } else if self.xfer == Xfer::Socket {
                acts.push(Act::cpu(
                    Kind::Transfer,
                    bytes_time(g.input_bytes, c.pipe_bps),
                    NO_GIL,
                ));
            }
            let mut j = idx;
            let mut suspended = false;
            while j < total {
                let (kind, work) = g.step(j);
                j += 1;
                match kind {
                    Kind::Io if work > 0 => {
                        acts.push(Act::mark(Mark::AsyncSuspend(task, j)));
                        suspended = true;
                        break;
                    }
                    Kind::Io => {}
                    Kind::Python => acts.push(Act {
                        kind,
                        work,
                        gil: 0,
                        shared_ppm: g.shared_ppm,
                    }),
                    _ => acts.push(Act::cpu(kind, work, NO_GIL)),
                }
            }
            if !suspended {
                if self.xfer == Xfer::Socket {
                    acts.push(Act::cpu(
                        Kind::Transfer,
                        bytes_time(g.output_bytes, c.pipe_bps),
                        NO_GIL,
                    ));
                }
                acts.push(Act::mark(Mark::MemFree(c.asyncio_task_memory)));
                acts.push(Act::mark(Mark::TaskDone(task)));
                self.async_in_flight -= 1;
            }
            self.threads[tid as usize].acts.extend(acts);
            return true;
        }
        if self.async_in_flight > 0 || self.arrivals_open || !self.pending.is_empty() {
            self.async_blocked = true;
            return false;
        }
        self.threads[tid as usize]
            .acts
            .push_back(Act::mark(Mark::Exit));
        true
    }

    // ----- server arrivals -------------------------------------------------

    fn start_arrivals(&mut self) {
        let now = self.now;
        for s in &mut self.streams {
            s.end = now.saturating_add(s.end);
            s.next = now.saturating_add(s.rng.exponential_ns(s.mean_ns));
        }
        self.first_arrival = None;
        self.schedule_next_arrival();
    }

    fn schedule_next_arrival(&mut self) {
        let next = self
            .streams
            .iter()
            .filter(|s| s.next <= s.end)
            .map(|s| s.next)
            .min();
        match next {
            Some(t) => self.q.push(t, Ev::Arrival),
            None => {
                self.arrivals_open = false;
                self.check_join();
                // Workers idle for more requests can now exit.
                self.wake_all_idle();
                self.wake_loop();
            }
        }
    }

    fn on_arrival(&mut self) {
        let now = self.now;
        let gi = self
            .streams
            .iter()
            .position(|s| s.next == now && s.next <= s.end);
        let Some(gi) = gi else {
            self.schedule_next_arrival();
            return;
        };
        let s = &mut self.streams[gi];
        s.next = now.saturating_add(s.rng.exponential_ns(s.mean_ns));
        let id = self.new_task(gi as u32, now);
        self.first_arrival.get_or_insert(now);
        self.outstanding += 1;
        self.pending.push_back(id);
        self.wake_idle_worker();
        self.wake_loop();
        self.schedule_next_arrival();
    }
}
