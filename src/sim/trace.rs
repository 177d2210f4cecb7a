//! What a run records: spans per core and per GIL, payloads in flight, and
//! every task's timing. The web app replays a trace; the CLI prints it as
//! JSON or an ASCII Gantt chart (`crate::gantt`). Nothing here affects
//! results: the engine records a trace only when asked to.

use serde::Serialize;

/// What a core is doing during a span. Idle time is the gaps between spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoreState {
    /// Running Python bytecode (including free-threading overhead and contention).
    Python,
    /// Running native code that released the GIL.
    Native,
    /// Pickling, unpickling, copying or piping a payload.
    Transfer,
    /// Starting a thread, process or interpreter, or importing.
    Startup,
    /// Pool or event-loop bookkeeping (queue hand-over, task creation, awaits).
    Dispatch,
    /// The OS switching this core between threads.
    OsSwitch,
    /// A thread that wants its GIL sits here, awake but waiting.
    GilWait,
    /// A thread is being woken to take the GIL.
    Handoff,
}

impl CoreState {
    /// One character for ASCII charts.
    pub fn glyph(self) -> char {
        match self {
            CoreState::Python => '#',
            CoreState::Native => 'n',
            CoreState::Transfer => 'p',
            CoreState::Startup => 's',
            CoreState::Dispatch => 'd',
            CoreState::OsSwitch => 'o',
            CoreState::GilWait => '.',
            CoreState::Handoff => 'h',
        }
    }
}

/// A span of one core's time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoreSpan {
    /// Core index.
    pub core: u32,
    /// Start (ns).
    pub start_ns: u64,
    /// End (ns).
    pub end_ns: u64,
    /// What the core did.
    pub state: CoreState,
    /// The thread on the core.
    pub thread: u32,
}

/// A span during which one thread held a GIL.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GilSpan {
    /// Index of the interpreter whose GIL this is.
    pub interpreter: u32,
    /// Start (ns).
    pub start_ns: u64,
    /// End (ns).
    pub end_ns: u64,
    /// Holding thread.
    pub holder: u32,
}

/// A payload moving between two threads, from the start of pickling on the
/// sending side to the end of unpickling on the receiving side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TransferSpan {
    /// Task it belongs to.
    pub task: u32,
    /// Sending thread.
    pub from_thread: u32,
    /// Receiving thread.
    pub to_thread: u32,
    /// Payload size (bytes).
    pub bytes: u64,
    /// Start (ns).
    pub start_ns: u64,
    /// End (ns).
    pub end_ns: u64,
    /// "input" or "output".
    pub direction: &'static str,
}

/// One task's life.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskSpan {
    /// Task index.
    pub task: u32,
    /// Group index in the workload.
    pub group: u32,
    /// Thread that ran it.
    pub worker: u32,
    /// When it became available (ns).
    pub arrival_ns: u64,
    /// When a worker started it (ns).
    pub start_ns: u64,
    /// When its result was delivered (ns).
    pub end_ns: u64,
}

/// A thread of the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThreadInfo {
    /// Thread index.
    pub thread: u32,
    /// Process index (0 is the parent).
    pub process: u32,
    /// Interpreter it mainly runs in.
    pub interpreter: u32,
    /// What it does.
    pub role: String,
}

/// A GIL of the run (one per interpreter that has one).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GilInfo {
    /// Interpreter index.
    pub interpreter: u32,
    /// Process it lives in.
    pub process: u32,
    /// Whether the GIL is enabled (false on free-threaded builds).
    pub enabled: bool,
}

/// Everything a run did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Trace {
    /// Number of cores.
    pub cores: u32,
    /// Length of the run (ns).
    pub makespan_ns: u64,
    /// The threads.
    pub threads: Vec<ThreadInfo>,
    /// The interpreters and their GILs.
    pub gils: Vec<GilInfo>,
    /// Core spans, in the order they ended.
    pub core_spans: Vec<CoreSpan>,
    /// GIL holding spans, in the order they ended.
    pub gil_spans: Vec<GilSpan>,
    /// Payload transfers.
    pub transfers: Vec<TransferSpan>,
    /// Tasks.
    pub tasks: Vec<TaskSpan>,
}

impl Trace {
    /// A 64-bit FNV-1a digest of the trace's JSON, to compare runs and builds.
    pub fn digest(&self) -> u64 {
        let text = serde_json::to_string(self).unwrap_or_default();
        fnv1a(text.as_bytes())
    }
}

/// FNV-1a over bytes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
