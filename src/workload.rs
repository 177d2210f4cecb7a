//! The workload format: what each task does and how many tasks there are.
//!
//! A workload is one or more task groups. Each group is either a batch (`tasks`
//! to run as fast as possible) or a server stream (`arrivals` at a rate for a
//! duration, open loop), and says what one task does: an ordered list of
//! steps (Python bytecode, GIL-releasing native code, blocking I/O), the bytes
//! it takes in and gives back, how much of its Python time mutates state other
//! workers share, and, for the whole workload, how long its imports take in a
//! fresh interpreter and whether its C extensions tolerate free-threading and
//! sub-interpreters.
//!
//! Documents are read strictly (see [`crate::json`]): unknown fields, wrong
//! types, non-finite or out-of-range numbers are rejected with the field's
//! path. The single-group form:
//!
//! ```json
//! {"name": "cpu", "tasks": 64,
//!  "steps": [{"python_ms": 10.0}, {"native_ms": 0.0}, {"io_ms": 0.0}],
//!  "input_bytes": 0, "output_bytes": 0, "shared_state": 0.0, "import_ms": 0.0,
//!  "extensions": {"free_threading_safe": true, "subinterpreter_safe": true}}
//! ```
//!
//! A server replaces `tasks` with `"arrivals": {"rate_per_s": 500.0,
//! "duration_s": 2.0}`; several kinds of task sharing the machine go in
//! `"groups": [{...}, {...}]`, each group holding `tasks` or `arrivals`,
//! `steps`, and optionally `name`, `repeat`, `input_bytes`, `output_bytes`,
//! `payload` and `shared_state`.

use crate::json::{err, parse_document, InputResult, Obj};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Largest number of tasks in one group.
pub const MAX_TASKS: u64 = 100_000;
/// Largest expected number of arrivals in one group (rate x duration).
pub const MAX_ARRIVALS: f64 = 100_000.0;
/// Largest number of groups.
pub const MAX_GROUPS: usize = 16;
/// Largest number of steps listed in one group.
pub const MAX_STEPS: usize = 64;
/// Largest number of steps one task runs (listed steps x repeat).
pub const MAX_STEPS_PER_TASK: u64 = 10_000;
/// Largest number of steps over the whole workload.
pub const MAX_TOTAL_STEPS: u64 = 2_000_000;
/// Longest single step (ms) (one hour).
pub const MAX_STEP_MS: f64 = 3_600_000.0;
/// Largest payload in either direction (bytes) (1 GiB).
pub const MAX_BYTES: u64 = 1 << 30;
/// Longest import time (ms) (ten minutes).
pub const MAX_IMPORT_MS: f64 = 600_000.0;

/// One step of a task.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    /// Python bytecode for this many ms of one core on the GIL build.
    Python(f64),
    /// Native code that releases the GIL, for this many ms of one core.
    Native(f64),
    /// A blocking wait (socket, disk, sleep) that uses no core, in ms.
    Io(f64),
}

impl Step {
    /// Duration (ms).
    pub fn ms(self) -> f64 {
        match self {
            Step::Python(d) | Step::Native(d) | Step::Io(d) => d,
        }
    }
}

/// How a group's tasks arrive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arrival {
    /// A batch of this many tasks, all available at the start.
    Batch { tasks: u32 },
    /// An open-loop Poisson stream.
    Server {
        /// Mean arrivals per second.
        rate_per_s: f64,
        /// How long arrivals continue (s).
        duration_s: f64,
    },
}

/// What the bytes a task sends and receives are, which decides how they cross
/// between interpreters and processes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Payload {
    /// An object graph (records: dicts, strings, class instances): pickled
    /// everywhere.
    Objects,
    /// Flat containers of numbers (a list of floats or ints): pickled
    /// everywhere, several times faster per byte than records.
    Numbers,
    /// A flat `bytes` buffer: pickled across processes, copied as a shareable
    /// object across interpreters.
    Bytes,
}

/// Who takes a server's requests off the network.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Accept {
    /// Every worker accepts from one shared listening socket and reads the
    /// request itself, as pre-fork and threaded web servers do.
    #[default]
    Workers,
    /// One caller receives each request and submits it to the pool
    /// (`executor.submit` per request), so a process pool's parent pickles
    /// every request and collects every response.
    Caller,
}

/// What a workload's I/O steps wait for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Waits {
    /// A socket, a pipe or a disk: the wait ends when the data is there.
    #[default]
    Io,
    /// A timer (`time.sleep`, `asyncio.sleep`), as in benchmarks and demos
    /// that stand in for I/O with sleeps: a thread's sleep ends a little
    /// late (the OS's timer slack and waking the sleeper), and an asyncio
    /// event loop with nothing to do waits for its next timer in its
    /// selector, which on Linux counts whole milliseconds. With
    /// `"accept": "caller"`, the caller sleeps until each arrival the same way.
    Sleep,
}

/// C-extension compatibility of the workload's imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Extensions {
    /// Every extension declares it runs without the GIL (otherwise importing
    /// one turns the GIL back on in a free-threaded build).
    pub free_threading_safe: bool,
    /// Every extension supports multi-phase init and per-interpreter state
    /// (otherwise it cannot be imported in a sub-interpreter).
    pub subinterpreter_safe: bool,
}

impl Default for Extensions {
    fn default() -> Self {
        Self {
            free_threading_safe: true,
            subinterpreter_safe: true,
        }
    }
}

/// One kind of task.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskGroup {
    /// Optional label.
    pub name: Option<String>,
    /// Batch size or arrival stream.
    pub arrival: Arrival,
    /// The steps of one task, in order.
    pub steps: Vec<Step>,
    /// How many times the steps run in one task.
    pub repeat: u32,
    /// Bytes sent to the worker with each task.
    pub input_bytes: u64,
    /// Bytes sent back with each result.
    pub output_bytes: u64,
    /// What the payloads are.
    pub payload: Payload,
    /// Fraction [0, 1] of Python time spent mutating objects other workers share.
    pub shared_state: f64,
    /// Python time the caller spends on each task in its own thread, such
    /// as preparing it or folding its result into a shared structure (ms).
    pub parent_ms: f64,
}

impl TaskGroup {
    /// Total Python, native and I/O time of one task (ms).
    pub fn totals_ms(&self) -> (f64, f64, f64) {
        let (mut p, mut n, mut io) = (0.0, 0.0, 0.0);
        for s in &self.steps {
            match *s {
                Step::Python(d) => p += d,
                Step::Native(d) => n += d,
                Step::Io(d) => io += d,
            }
        }
        let r = self.repeat as f64;
        (p * r, n * r, io * r)
    }

    /// Number of tasks (batch) or expected arrivals (server).
    pub fn expected_tasks(&self) -> f64 {
        match self.arrival {
            Arrival::Batch { tasks } => tasks as f64,
            Arrival::Server {
                rate_per_s,
                duration_s,
            } => rate_per_s * duration_s,
        }
    }
}

/// A validated workload.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// Short name.
    pub name: String,
    /// What it stands for.
    pub description: Option<String>,
    /// Time to import the workload's modules in a fresh interpreter (ms).
    pub import_ms: f64,
    /// Extension compatibility.
    pub extensions: Extensions,
    /// Who takes a server's requests (servers only; batches ignore it).
    pub accept: Accept,
    /// What the I/O steps wait for.
    pub waits: Waits,
    /// The task groups (at least one; all batch or all server).
    pub groups: Vec<TaskGroup>,
}

impl Workload {
    /// Parse and validate a workload document.
    pub fn from_json(text: &str) -> InputResult<Self> {
        let doc = parse_document(text, "the workload")?;
        Self::from_value(&doc)
    }

    /// Validate an already parsed document.
    pub fn from_value(doc: &Value) -> InputResult<Self> {
        let mut o = Obj::new(doc, "")?;
        let name = o
            .opt_str("name", 200)?
            .unwrap_or_else(|| "workload".to_string());
        let description = o.opt_str("description", 4000)?;
        let import_ms = o.f64_or("import_ms", 0.0, 0.0, MAX_IMPORT_MS)?;
        let extensions = match o.opt_obj("extensions")? {
            None => Extensions::default(),
            Some(mut e) => {
                let x = Extensions {
                    free_threading_safe: e.opt_bool("free_threading_safe")?.unwrap_or(true),
                    subinterpreter_safe: e.opt_bool("subinterpreter_safe")?.unwrap_or(true),
                };
                e.finish()?;
                x
            }
        };
        let accept = match o.opt_str("accept", 16)?.as_deref() {
            None | Some("workers") => Accept::Workers,
            Some("caller") => Accept::Caller,
            Some(other) => {
                return err(
                    "accept",
                    format!("must be \"workers\" or \"caller\" (got {other:?})"),
                )
            }
        };
        let waits = match o.opt_str("waits", 16)?.as_deref() {
            None | Some("io") => Waits::Io,
            Some("sleep") => Waits::Sleep,
            Some(other) => {
                return err(
                    "waits",
                    format!("must be \"io\" or \"sleep\" (got {other:?})"),
                )
            }
        };
        let groups = if o.has("groups") {
            const FLAT: [&str; 9] = [
                "tasks",
                "arrivals",
                "steps",
                "repeat",
                "input_bytes",
                "output_bytes",
                "payload",
                "shared_state",
                "parent_ms",
            ];
            if let Some(k) = FLAT.iter().find(|k| o.has(k)) {
                return err(
                    k,
                    "cannot be given beside \"groups\": put it inside each group",
                );
            }
            let items = o.opt_array("groups", MAX_GROUPS)?.unwrap_or_default();
            if items.is_empty() {
                return err("groups", "must hold at least one group");
            }
            let mut groups = Vec::with_capacity(items.len());
            for (path, v) in items {
                let mut g = Obj::new(v, &path)?;
                let group = read_group(&mut g, true)?;
                g.finish()?;
                groups.push(group);
            }
            groups
        } else {
            vec![read_group(&mut o, false)?]
        };
        o.finish()?;
        let w = Workload {
            name,
            description,
            import_ms,
            extensions,
            accept,
            waits,
            groups,
        };
        w.check_totals()?;
        Ok(w)
    }

    fn check_totals(&self) -> InputResult<()> {
        if self.accept != Accept::Workers && !self.is_server() {
            return err(
                "accept",
                "applies to servers (arrivals); a batch's tasks always come from its caller",
            );
        }
        let batch = self
            .groups
            .iter()
            .filter(|g| matches!(g.arrival, Arrival::Batch { .. }))
            .count();
        if batch != 0 && batch != self.groups.len() {
            return err(
                "groups",
                "mixes batch groups (tasks) with server groups (arrivals); use one kind",
            );
        }
        let total: f64 = self
            .groups
            .iter()
            .map(|g| g.expected_tasks() * (g.steps.len() as f64 * g.repeat as f64))
            .sum();
        if total > MAX_TOTAL_STEPS as f64 {
            return err(
                "",
                format!("the workload runs about {total:.0} steps in all; the limit is {MAX_TOTAL_STEPS}"),
            );
        }
        Ok(())
    }

    /// Whether the workload is a server (arrival streams) rather than a batch.
    pub fn is_server(&self) -> bool {
        matches!(self.groups[0].arrival, Arrival::Server { .. })
    }

    /// The document form, which [`Workload::from_json`] reads back unchanged.
    pub fn to_value(&self) -> Value {
        let mut top = Map::new();
        top.insert("name".into(), json!(self.name));
        if let Some(d) = &self.description {
            top.insert("description".into(), json!(d));
        }
        let single = self.groups.len() == 1 && self.groups[0].name.is_none();
        if single {
            write_group(&self.groups[0], &mut top);
        } else {
            let groups: Vec<Value> = self
                .groups
                .iter()
                .map(|g| {
                    let mut m = Map::new();
                    if let Some(n) = &g.name {
                        m.insert("name".into(), json!(n));
                    }
                    write_group(g, &mut m);
                    Value::Object(m)
                })
                .collect();
            top.insert("groups".into(), Value::Array(groups));
        }
        top.insert("import_ms".into(), json!(self.import_ms));
        if self.accept != Accept::Workers {
            top.insert("accept".into(), json!(self.accept));
        }
        if self.waits != Waits::Io {
            top.insert("waits".into(), json!(self.waits));
        }
        top.insert(
            "extensions".into(),
            serde_json::to_value(self.extensions).unwrap_or(Value::Null),
        );
        Value::Object(top)
    }

    /// Pretty JSON text of [`Workload::to_value`].
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.to_value()).unwrap_or_default()
    }
}

fn write_group(g: &TaskGroup, m: &mut Map<String, Value>) {
    match g.arrival {
        Arrival::Batch { tasks } => {
            m.insert("tasks".into(), json!(tasks));
        }
        Arrival::Server {
            rate_per_s,
            duration_s,
        } => {
            m.insert(
                "arrivals".into(),
                json!({"rate_per_s": rate_per_s, "duration_s": duration_s}),
            );
        }
    }
    let steps: Vec<Value> = g
        .steps
        .iter()
        .map(|s| match *s {
            Step::Python(d) => json!({"python_ms": d}),
            Step::Native(d) => json!({"native_ms": d}),
            Step::Io(d) => json!({"io_ms": d}),
        })
        .collect();
    m.insert("steps".into(), Value::Array(steps));
    if g.repeat != 1 {
        m.insert("repeat".into(), json!(g.repeat));
    }
    m.insert("input_bytes".into(), json!(g.input_bytes));
    m.insert("output_bytes".into(), json!(g.output_bytes));
    match g.payload {
        Payload::Objects => {}
        Payload::Numbers => {
            m.insert("payload".into(), json!("numbers"));
        }
        Payload::Bytes => {
            m.insert("payload".into(), json!("bytes"));
        }
    }
    m.insert("shared_state".into(), json!(g.shared_state));
    if g.parent_ms != 0.0 {
        m.insert("parent_ms".into(), json!(g.parent_ms));
    }
}

fn read_group(o: &mut Obj<'_>, in_list: bool) -> InputResult<TaskGroup> {
    let name = if in_list {
        o.opt_str("name", 200)?
    } else {
        None
    };
    let tasks = o.opt_u64("tasks", 1, MAX_TASKS)?;
    let arrivals = o.opt_obj("arrivals")?;
    let arrival = match (tasks, arrivals) {
        (Some(_), Some(_)) => return err(o.path(), "give either \"tasks\" or \"arrivals\", not both"),
        (None, None) => {
            return err(
                o.path(),
                "needs \"tasks\" (a batch) or \"arrivals\": {\"rate_per_s\": ..., \"duration_s\": ...} (a server)",
            )
        }
        (Some(n), None) => Arrival::Batch { tasks: n as u32 },
        (None, Some(mut a)) => {
            let rate_per_s = match a.opt_f64("rate_per_s", 0.0, 1e6)? {
                Some(r) if r > 0.0 => r,
                Some(_) => return err(&a.field_path("rate_per_s"), "must be greater than 0"),
                None => return err(&a.field_path("rate_per_s"), "is required"),
            };
            let duration_s = match a.opt_f64("duration_s", 0.0, 3600.0)? {
                Some(d) if d > 0.0 => d,
                Some(_) => return err(&a.field_path("duration_s"), "must be greater than 0"),
                None => return err(&a.field_path("duration_s"), "is required"),
            };
            if rate_per_s * duration_s > MAX_ARRIVALS {
                return err(
                    a.path(),
                    format!(
                        "expects {:.0} arrivals (rate_per_s x duration_s); the limit is {MAX_ARRIVALS}",
                        rate_per_s * duration_s
                    ),
                );
            }
            a.finish()?;
            Arrival::Server { rate_per_s, duration_s }
        }
    };
    let steps_path = o.field_path("steps");
    let items = match o.opt_array("steps", MAX_STEPS)? {
        Some(items) if !items.is_empty() => items,
        Some(_) => return err(&steps_path, "must hold at least one step"),
        None => {
            return err(
                &steps_path,
                "is required: a list of {\"python_ms\"|\"native_ms\"|\"io_ms\": ms}",
            )
        }
    };
    let mut steps = Vec::with_capacity(items.len());
    for (path, v) in items {
        let mut s = Obj::new(v, &path)?;
        let p = s.opt_f64("python_ms", 0.0, MAX_STEP_MS)?;
        let n = s.opt_f64("native_ms", 0.0, MAX_STEP_MS)?;
        let io = s.opt_f64("io_ms", 0.0, MAX_STEP_MS)?;
        s.finish()?;
        let step = match (p, n, io) {
            (Some(d), None, None) => Step::Python(d),
            (None, Some(d), None) => Step::Native(d),
            (None, None, Some(d)) => Step::Io(d),
            _ => {
                return err(
                    &path,
                    "a step holds exactly one of python_ms, native_ms, io_ms",
                )
            }
        };
        steps.push(step);
    }
    let repeat = o.u64_or("repeat", 1, 1, MAX_STEPS_PER_TASK)? as u32;
    if steps.len() as u64 * repeat as u64 > MAX_STEPS_PER_TASK {
        return err(
            &o.field_path("repeat"),
            format!(
                "a task would run {} steps; the limit is {MAX_STEPS_PER_TASK}",
                steps.len() as u64 * repeat as u64
            ),
        );
    }
    let input_bytes = o.u64_or("input_bytes", 0, 0, MAX_BYTES)?;
    let output_bytes = o.u64_or("output_bytes", 0, 0, MAX_BYTES)?;
    let payload = match o.opt_str("payload", 16)?.as_deref() {
        None | Some("objects") => Payload::Objects,
        Some("numbers") => Payload::Numbers,
        Some("bytes") => Payload::Bytes,
        Some(other) => {
            return err(
                &o.field_path("payload"),
                format!("must be \"objects\", \"numbers\" or \"bytes\" (got {other:?})"),
            )
        }
    };
    let shared_state = o.f64_or("shared_state", 0.0, 0.0, 1.0)?;
    let parent_ms = o.f64_or("parent_ms", 0.0, 0.0, MAX_STEP_MS)?;
    if parent_ms > 0.0 && matches!(arrival, Arrival::Server { .. }) {
        return err(
            &o.field_path("parent_ms"),
            "applies to batch groups (a server's requests arrive without a caller)",
        );
    }
    Ok(TaskGroup {
        name,
        arrival,
        steps,
        repeat,
        input_bytes,
        output_bytes,
        payload,
        shared_state,
        parent_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUE_EXAMPLE: &str = r#"{"name": "cpu", "tasks": 64, "steps": [{"python_ms": 10.0}, {"native_ms": 0.0}, {"io_ms": 0.0}], "input_bytes": 0, "output_bytes": 0, "shared_state": 0.0, "import_ms": 0.0, "extensions": {"free_threading_safe": true, "subinterpreter_safe": true}}"#;

    #[test]
    fn reads_the_documented_example() {
        let w = Workload::from_json(ISSUE_EXAMPLE).unwrap();
        assert_eq!(w.name, "cpu");
        assert_eq!(w.groups.len(), 1);
        assert_eq!(w.groups[0].arrival, Arrival::Batch { tasks: 64 });
        assert_eq!(
            w.groups[0].steps,
            vec![Step::Python(10.0), Step::Native(0.0), Step::Io(0.0)]
        );
        assert!(!w.is_server());
    }

    #[test]
    fn round_trips_through_its_document_form() {
        let server = r#"{"name": "web", "groups": [
            {"name": "cheap", "arrivals": {"rate_per_s": 400, "duration_s": 1}, "steps": [{"python_ms": 1}, {"io_ms": 5}], "input_bytes": 2000, "output_bytes": 20000, "payload": "bytes"},
            {"name": "dear", "arrivals": {"rate_per_s": 20, "duration_s": 1}, "steps": [{"python_ms": 30}], "repeat": 2, "shared_state": 0.1}
        ], "import_ms": 50, "extensions": {"free_threading_safe": false}}"#;
        for text in [ISSUE_EXAMPLE, server] {
            let w = Workload::from_json(text).unwrap();
            let again = Workload::from_json(&w.to_json_pretty()).unwrap();
            assert_eq!(w, again);
        }
    }

    fn error_of(text: &str) -> String {
        Workload::from_json(text).unwrap_err().to_string()
    }

    #[test]
    fn rejects_bad_input_naming_the_field() {
        assert!(error_of(r#"{"tasks": 4, "steps": [{"python_ms": -1}]}"#)
            .starts_with("steps[0].python_ms: must be at least 0"));
        assert!(
            error_of(r#"{"tasks": 4, "steps": [{"python_ms": 1}], "colour": 1}"#)
                .starts_with("colour: unknown field")
        );
        assert!(error_of(r#"{"tasks": 0, "steps": [{"python_ms": 1}]}"#)
            .starts_with("tasks: must be at least 1"));
        assert!(error_of(r#"{"tasks": -3, "steps": [{"python_ms": 1}]}"#)
            .starts_with("tasks: must be at least 1"));
        assert!(error_of(r#"{"tasks": 2.5, "steps": [{"python_ms": 1}]}"#)
            .starts_with("tasks: must be a whole number"));
        assert!(
            error_of(r#"{"tasks": 4, "steps": [{"python_ms": 1, "io_ms": 1}]}"#)
                .contains("exactly one")
        );
        assert!(error_of(r#"{"tasks": 4, "steps": []}"#)
            .starts_with("steps: must hold at least one step"));
        assert!(
            error_of(r#"{"tasks": 4, "steps": [{"python_ms": 1}], "input_bytes": 1e12}"#)
                .starts_with("input_bytes:")
        );
        assert!(
            error_of(r#"{"tasks": 4, "steps": [{"python_ms": 1}], "shared_state": 1.5}"#)
                .starts_with("shared_state: must be at most 1")
        );
        assert!(
            error_of(r#"{"tasks": 4, "steps": [{"python_ms": 1e400}]}"#).contains("not valid JSON")
        );
        assert!(error_of(
            r#"{"arrivals": {"rate_per_s": 1e6, "duration_s": 3600}, "steps": [{"python_ms": 1}]}"#
        )
        .starts_with("arrivals: expects"));
        assert!(error_of(
            r#"{"arrivals": {"rate_per_s": 0, "duration_s": 1}, "steps": [{"python_ms": 1}]}"#
        )
        .starts_with("arrivals.rate_per_s"));
        assert!(error_of(r#"{"steps": [{"python_ms": 1}]}"#).contains("needs \"tasks\""));
        assert!(error_of(r#"{"groups": [{"tasks": 1, "steps": [{"python_ms": 1}]}, {"arrivals": {"rate_per_s": 1, "duration_s": 1}, "steps": [{"io_ms": 1}]}]}"#).starts_with("groups: mixes"));
        assert!(
            error_of(r#"{"groups": [{"tasks": 1, "steps": [{"python_ms": 1}]}], "tasks": 3}"#)
                .starts_with("tasks: cannot be given beside")
        );
        assert!(
            error_of(r#"{"groups": [{"tasks": 1, "steps": [{"python_ms": 1}], "wat": 0}]}"#)
                .starts_with("groups[0].wat: unknown field")
        );
        assert!(error_of(r#"[1, 2]"#).contains("expected an object"));
        assert!(
            error_of(r#"{"tasks": 100000, "steps": [{"python_ms": 1}], "repeat": 100}"#)
                .contains("steps in all")
        );
        assert!(
            error_of(r#"{"tasks": 4, "steps": [{"python_ms": 1}], "payload": "yaml"}"#)
                .starts_with("payload:")
        );
        assert!(
            error_of(r#"{"tasks": 4, "steps": [{"python_ms": 1}], "accept": "caller"}"#)
                .starts_with("accept: applies to servers")
        );
        assert!(error_of(
            r#"{"arrivals": {"rate_per_s": 1, "duration_s": 1}, "steps": [{"python_ms": 1}], "accept": "parent"}"#
        )
        .starts_with("accept: must be"));
    }

    #[test]
    fn a_server_says_who_takes_its_requests() {
        let doc =
            r#"{"arrivals": {"rate_per_s": 10, "duration_s": 1}, "steps": [{"python_ms": 1}]}"#;
        assert_eq!(Workload::from_json(doc).unwrap().accept, Accept::Workers);
        let caller = doc.replace("}]}", "}], \"accept\": \"caller\"}");
        let w = Workload::from_json(&caller).unwrap();
        assert_eq!(w.accept, Accept::Caller);
        let back = Workload::from_json(&w.to_value().to_string()).unwrap();
        assert_eq!(back, w);
    }

    #[test]
    fn a_workload_says_what_its_waits_are() {
        let doc = r#"{"tasks": 4, "steps": [{"io_ms": 5}]}"#;
        assert_eq!(Workload::from_json(doc).unwrap().waits, Waits::Io);
        let sleeps = doc.replace("}]}", "}], \"waits\": \"sleep\"}");
        let w = Workload::from_json(&sleeps).unwrap();
        assert_eq!(w.waits, Waits::Sleep);
        assert_eq!(Workload::from_json(&w.to_value().to_string()).unwrap(), w);
        assert_eq!(
            error_of(&doc.replace("}]}", "}], \"waits\": \"timer\"}")),
            "waits: must be \"io\" or \"sleep\" (got \"timer\")"
        );
    }
}
