//! The discrete-event engine.
//!
//! Entities: cores; OS threads, each in a process and running in an
//! interpreter; interpreters, each owning a GIL unless the build is
//! free-threaded; processes. Every thread works through a queue of activities
//! (`Act`): CPU work of some kind that may need a GIL, a blocking I/O wait, or
//! a zero-time control mark (spawn a thread, hand a task over, finish a task).
//! When its queue is empty the thread asks its role for more work (a pool
//! worker takes the next task, the parent of a process pool feeds or collects,
//! an event loop resumes the next ready coroutine; `work.rs`) or blocks.
//! Control marks are applied in `marks.rs`, server arrivals in `arrivals.rs`.
//!
//! Mechanisms, each in one place:
//! - OS scheduling (`cores.rs`: `make_runnable`, `place`, `leave_core`,
//!   `Ev::Slice`):
//!   free cores are taken at once, otherwise a FIFO run queue with a time
//!   slice per running thread; every switch to another thread costs a
//!   context switch.
//! - The GIL (`gil.rs`: `try_take`, `wait_gil`, `release`, `force_drop`,
//!   `maybe_signal`, `Ev::DropTimer`, `Ev::DropNotice`, `Ev::Wake`): a waiter that sees no
//!   switch for one switch interval sets the drop request; the holder notices
//!   it at its next eval-breaker check, drops the GIL and, with forced
//!   switching, cannot take it back until another thread has had it; a
//!   released GIL wakes the first waiter after the hand-off latency, and a
//!   thread already on a core may take a free GIL first. A waiter stays on its
//!   core ("awake but waiting") until the OS needs the core.
//! - Free-threading: Python work runs slower by the build's overhead, and
//!   threads mutating shared state in one process slow each other down in
//!   proportion to how many do so at once (`acts.rs`: `rescale_dirty`).
//! - The clock: cores run slower the more of them are busy (turbo and
//!   thermal limits, shared memory bandwidth). Like a frequency governor,
//!   the clock follows the mean number of busy cores over a sampling window
//!   of `CLOCK_SAMPLE_NS` rather than every instant (a core idle for the
//!   microseconds of a GIL hand-off does not speed the others up), and
//!   every running act is re-timed when it changes (`acts.rs`:
//!   `clock_factor`, `on_clock_sample`).
//! - Transfers: pickling and unpickling run under the GIL of the interpreter
//!   doing them, pipe copies release it (`work.rs`: `send_side`,
//!   `receive_side`).
//! - Hand-overs (`acts.rs`: `wake_after`, `handover_ns`): a pool's threads
//!   sleep when there is nothing to relay, and a call reaching an idle pool
//!   wakes them in turn (a process pool's manager and feeder threads, then
//!   the worker; a thread pool's worker thread), so its worker starts the
//!   profile's hand-over latency later, and a process pool's result reaches
//!   an idle caller `process_collect` later. A busy pool finds the next call
//!   queued and pays none of it, except after a task that ended in a wait
//!   (`work.rs`: `take_task`; `acts.rs`: `after_wait_ns`): the pool's other
//!   threads and its caller slept through the wait, and handing the result
//!   back wakes them before the worker goes on.
//! - The event loop (`work.rs`: `loop_next`): one thread runs every
//!   coroutine's CPU steps in turn. A batch's worker coroutine goes straight
//!   on to its next task when it finishes one (nothing is awaited in
//!   between), ahead of coroutines waiting to resume; a server's request
//!   handlers end with their request.
//! - Timed sleeps (`Waits::Sleep`; `acts.rs`, `marks.rs`: `wake_loop_timer`):
//!   a thread's sleep ends the profile's timer lateness late, and an event
//!   loop with nothing to do waits for its next timer in whole selector
//!   ticks counted from when it ran out of work (CPython rounds epoll's
//!   timeout up to milliseconds); a server's caller that sleeps until each
//!   arrival wakes the same way.
//! - Start-up (`topology.rs`: `build_topology`): fork copies the parent; spawn boots a fresh
//!   interpreter that re-imports the workload; forkserver boots one server
//!   that imports the workload once (CPython preloads `__main__` there) and
//!   forks every worker from it, one request at a time; each new
//!   sub-interpreter re-imports the workload. A batch pool forks all its
//!   workers before the first task, but with forkserver or spawn starts one
//!   per submitted task until it has them all (`work.rs`: `parent_next`), as
//!   CPython's `ProcessPoolExecutor` does.
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
use crate::workload::{Accept, Arrival, Payload, Step, Waits, Workload};
use std::collections::VecDeque;

mod acts;
mod arrivals;
mod cores;
mod gil;
mod marks;
mod topology;
mod work;

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
    /// A busy pool's worker, back from a task that ended in a wait, pauses
    /// before its next one (`acts.rs`: `after_wait_ns`).
    AfterWait,
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
    /// Woken by another thread, not yet runnable (`acts.rs`: `wake_after`).
    Waking,
    Io,
    Done,
}

/// What a thread is, for traces; turned into text only when tracing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Label {
    Main,
    EventLoop,
    Parent,
    ForkServer,
    Worker(u32),
    Interp(u32, u32),
    Process(u32, u32),
}

impl Label {
    fn text(self) -> String {
        match self {
            Label::Main => "main".into(),
            Label::EventLoop => "event loop".into(),
            Label::Parent => "parent".into(),
            Label::ForkServer => "fork server".into(),
            Label::Worker(k) => format!("worker {k}"),
            Label::Interp(k, j) => format!("interp {k} thread {j}"),
            Label::Process(k, j) => format!("process {k} thread {j}"),
        }
    }
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
    /// The task this worker took last ends in a wait (a sleep or I/O): if
    /// it takes its next one straight from a busy pool, that one starts
    /// the profile's after-wait latency later.
    ended_in_wait: bool,
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
    Resume(u32, u32),
    Woken(u32, u32),
    ClockSample,
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
    /// The clock (`acts.rs`: `clock_factor`, `on_clock_sample`): the mean
    /// number of busy cores over the last sampling window, in millionths,
    /// which sets how fast every core runs until the next sample.
    clock_busy_ppm: u64,
    /// The open sampling window's start (`None`: no sample pending), and its
    /// core-nanoseconds of busy cores up to `busy_since`.
    clock_window: Option<u64>,
    window_area: u64,
    busy_since: u64,
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
    /// A process pool's relay (the parent's manager and feeder threads)
    /// has slept since the last call it sent: the next call wakes it, and
    /// pays the profile's `process_handover` if its worker sleeps too.
    relay_asleep: bool,
    call_q: VecDeque<u32>,
    results: VecDeque<u32>,
    idle_workers: VecDeque<u32>,
    parent: u32,
    main_join: u32,
    fork_q: VecDeque<u32>,
    /// A process pool started with forkserver or spawn: the first thread of
    /// each worker process not yet started. CPython starts such a worker
    /// when a task is submitted and no worker is idle, so the first workers
    /// take tasks while the later ones start (`work.rs`: `parent_next`).
    deferred_starts: VecDeque<u32>,
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
    /// A batch's worker coroutine has just finished a task: the next task
    /// it takes from the queue runs at once (nothing is awaited in
    /// between), ahead of coroutines already ready to resume.
    async_worker_free: bool,
    /// When the event loop last ran out of work (see `wake_loop_timer`).
    async_idle_since: u64,
    /// The event loop is waking for a timer, its selector's timeout not yet
    /// over (a ready socket wakes it sooner: `wake_loop`).
    async_timer_wait: bool,
    /// The workload's waits are timed sleeps (`Waits::Sleep`).
    sleeps: bool,
    /// A server's caller sleeps until each arrival (sleeps, and
    /// `"accept": "caller"`).
    caller_sleeps: bool,
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

/// Smallest change of a running act's end worth re-timing it for when the
/// clock changes (`acts.rs`: `on_clock_sample`).
const RECLOCK_TOLERANCE_NS: u64 = 1_000;

/// How often the clock follows the number of busy cores while it changes: a
/// modelling choice of the order of a CPU frequency governor's update period
/// (a millisecond), not a measured figure. Work in pieces much longer than
/// this runs at the clock of the cores busy beside it; a core idle for a
/// few microseconds leaves the clock alone.
const CLOCK_SAMPLE_NS: u64 = 1_000_000;

/// The smallest change of the clock, in millionths (1%): like the discrete
/// frequency steps of a CPU (100 MHz is 2.5% at 4 GHz), smaller changes of
/// the number of busy cores leave it alone.
const CLOCK_STEP_PPM: u64 = 10_000;

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
        // A server whose workers accept from a shared socket reads requests
        // there; one whose caller submits each request is fed like a batch.
        let (feed, xfer) = if server && workload.accept == Accept::Workers {
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
            clock_busy_ppm: PPM,
            clock_window: None,
            window_area: 0,
            busy_since: 0,
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
            relay_asleep: true,
            call_q: VecDeque::new(),
            results: VecDeque::new(),
            idle_workers: VecDeque::new(),
            parent: NONE,
            main_join: NONE,
            fork_q: VecDeque::new(),
            deferred_starts: VecDeque::new(),
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
            async_worker_free: false,
            async_idle_since: 0,
            async_timer_wait: false,
            sleeps: workload.waits == Waits::Sleep,
            caller_sleeps: server
                && workload.waits == Waits::Sleep
                && workload.accept == Accept::Caller,
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
            Ev::ClockSample => self.on_clock_sample(),
            Ev::AsyncIo(task, next) => {
                self.n_io -= 1;
                self.async_ready.push_back((task, next));
                if self.sleeps {
                    self.wake_loop_timer();
                } else {
                    self.wake_loop();
                }
            }
            Ev::Woken(tid, ep) => {
                let th = &self.threads[tid as usize];
                if th.epoch == ep && th.state == TState::Waking {
                    self.make_runnable(tid);
                }
            }
            Ev::Resume(tid, ep) => {
                let th = &self.threads[tid as usize];
                if th.epoch == ep && th.state == TState::Running && !th.act_running {
                    self.advance(tid);
                }
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
}
