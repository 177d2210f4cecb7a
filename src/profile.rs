//! Calibration profiles: every cost the simulator charges, with its unit and
//! where the number came from.
//!
//! A profile is a list of parameter entries. Each entry names a parameter from
//! [`PARAMETERS`], optionally a Python version it applies to, a value in one of
//! the units that parameter's dimension accepts, and its provenance: measured
//! by this project's harness (interpreter, build, machine, date, method,
//! repeats, spread), published (a citation), an estimate (with its basis,
//! for what neither the harness nor a source gives yet), or unavailable (what
//! an interpreter lacks, with the reason). [`Profile::costs`] resolves the entries
//! for one Python version into the integer costs the engine uses.
//!
//! Resolution for version V: an entry for V itself, else one for the GIL build
//! of V's release, else one for every version (`"python": "*"`), else the
//! entry for the nearest release (newer on a tie). A user's profile may be
//! partial: what it lacks comes from the shipped default profile, and
//! [`Resolved::sources`] says which entry every figure came from.

use crate::json::{err, number_in, parse_document, InputError, InputResult, Obj};
use crate::python::PythonVersion;
use serde::Serialize;
use serde_json::Value;

/// The shipped default profile (figures cited from published sources).
pub const DEFAULT_PROFILE_JSON: &str = include_str!("../profiles/default.json");

/// The published figures the project started from (each cited), the base a
/// calibration run fills gaps from and the profile the published comparisons
/// use, since those ran on other machines.
pub const PUBLISHED_PROFILE_JSON: &str = include_str!("../profiles/published.json");

/// The format tag a profile document carries.
pub const FORMAT: &str = "parallel-universe/profile@1";

/// What a parameter measures, which decides the units it accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// A duration: ns, us, ms, s.
    Time,
    /// An amount of memory: B, KiB, MiB, GiB.
    Memory,
    /// A data rate: MB/s, MiB/s, GB/s, GiB/s.
    Throughput,
    /// A dimensionless fraction (0.4 = 40 % more).
    Ratio,
}

impl Dimension {
    /// The accepted units and each one's factor to the canonical unit
    /// (ns, bytes, bytes per second, ratio).
    pub fn units(self) -> &'static [(&'static str, f64)] {
        match self {
            Dimension::Time => &[("ns", 1.0), ("us", 1e3), ("ms", 1e6), ("s", 1e9)],
            Dimension::Memory => &[
                ("B", 1.0),
                ("KiB", 1024.0),
                ("MiB", 1_048_576.0),
                ("GiB", 1_073_741_824.0),
            ],
            Dimension::Throughput => &[
                ("MB/s", 1e6),
                ("MiB/s", 1_048_576.0),
                ("GB/s", 1e9),
                ("GiB/s", 1_073_741_824.0),
            ],
            Dimension::Ratio => &[("ratio", 1.0)],
        }
    }
}

/// A parameter the simulator knows: its name, dimension, the range of values
/// it accepts (in canonical units) and what it means.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ParamSpec {
    /// Name used in profile files.
    pub name: &'static str,
    /// What it measures.
    pub dimension: Dimension,
    /// Smallest accepted value, canonical unit.
    pub min: f64,
    /// Largest accepted value, canonical unit.
    pub max: f64,
    /// One sentence on what it is.
    pub meaning: &'static str,
}

const US: f64 = 1e3;
const MS: f64 = 1e6;
const S: f64 = 1e9;
const MIB: f64 = 1_048_576.0;

macro_rules! params {
    ($($name:literal, $dim:ident, $min:expr, $max:expr, $meaning:literal;)*) => {
        /// Every parameter a profile can carry.
        pub const PARAMETERS: &[ParamSpec] = &[
            $(ParamSpec { name: $name, dimension: Dimension::$dim, min: $min, max: $max, meaning: $meaning },)*
        ];
    };
}

params! {
    "switch_interval", Time, 1.0 * US, 1.0 * S, "How long a thread waits for the GIL before asking the holder to drop it (sys.getswitchinterval).";
    "gil_handoff", Time, 0.0, 10.0 * MS, "From the holder dropping the GIL to a sleeping waiter running with it (condition-variable wake-up across cores).";
    "eval_breaker_check", Time, 0.0, 10.0 * MS, "From a drop request to the holder noticing it at its next eval-breaker check.";
    "os_quantum", Time, 100.0 * US, 1.0 * S, "Time slice the OS gives a runnable thread when threads outnumber cores.";
    "context_switch", Time, 0.0, 10.0 * MS, "Cost of the OS switching a core from one thread to another.";
    "thread_start", Time, 0.0, 1.0 * S, "Starting and joining one Python thread (threading.Thread start + join).";
    "thread_memory", Memory, 0.0, 1024.0 * MIB, "Resident memory of one more Python thread.";
    "process_memory", Memory, 0.0, 64.0 * 1024.0 * MIB, "Resident memory of a fresh interpreter process (the parent, a spawned child, the fork server).";
    "fork_memory", Memory, 0.0, 64.0 * 1024.0 * MIB, "Memory a forked worker adds beyond what it shares copy-on-write with its parent.";
    "fork_start", Time, 0.0, 10.0 * S, "Parent-side cost of starting one worker with fork.";
    "spawn_start", Time, 0.0, 10.0 * S, "Parent-side cost of starting one worker with spawn (fork+exec and sending preparation data).";
    "process_boot", Time, 0.0, 10.0 * S, "A fresh process's interpreter start-up and multiprocessing bootstrap, before the workload's imports.";
    "forkserver_fork", Time, 0.0, 10.0 * S, "Fork-server-side cost of forking one worker.";
    "interpreter_create", Time, 0.0, 10.0 * S, "Creating one sub-interpreter with its own GIL (site import included).";
    "interpreter_close", Time, 0.0, 10.0 * S, "Finalising and freeing one sub-interpreter.";
    "interpreter_memory", Memory, 0.0, 64.0 * 1024.0 * MIB, "Resident memory of one more sub-interpreter.";
    "pickle_bytes", Throughput, 1e6, 1e12, "pickle.dumps throughput for a large bytes object.";
    "unpickle_bytes", Throughput, 1e6, 1e12, "pickle.loads throughput for a large bytes object.";
    "pickle_objects", Throughput, 1e5, 1e12, "pickle.dumps throughput for an object graph of records (dicts with string keys, strings, small lists), per pickled byte.";
    "unpickle_objects", Throughput, 1e5, 1e12, "pickle.loads throughput for an object graph of records, per pickled byte.";
    "pickle_numbers", Throughput, 1e5, 1e12, "pickle.dumps throughput for flat containers of numbers (a list of floats), per pickled byte.";
    "unpickle_numbers", Throughput, 1e5, 1e12, "pickle.loads throughput for flat containers of numbers, per pickled byte.";
    "pickle_call", Time, 0.0, 100.0 * MS, "The caller's fixed cost per task sent to a process pool: submitting it, pickling and queueing the call, receiving and unpickling the result's envelope.";
    "pool_wakeup", Time, 0.0, 100.0 * MS, "The caller's cost of waking the threads that feed a process pool and collect its results (a futex wake-up, the GIL taken again), shared by the calls queued at once: the call queue holds one more call than there are workers, so each task pays this divided by workers + 1.";
    "worker_call", Time, 0.0, 100.0 * MS, "A pool worker process's fixed cost per task: taking the call off its queue, unpickling it, pickling and sending back the result's envelope.";
    "pipe", Throughput, 1e6, 1e12, "Throughput of moving bytes through a pipe or socket between processes.";
    "pipe_send", Throughput, 1e6, 1e12, "CPU time the sending end of a process pool's pipe spends per byte (multiprocessing's Connection writing a pickle), as bytes per CPU second.";
    "pipe_receive", Throughput, 1e6, 1e12, "CPU time the receiving end spends per byte, as bytes per CPU second: multiprocessing reads a message in pipe-sized pieces into fresh buffers, and a pool keeps its results, so the pages are new each time; often the slower end.";
    "xi_copy", Throughput, 1e6, 1e12, "Throughput of copying a shareable object (bytes, str) into another interpreter.";
    "xi_numbers", Throughput, 1e5, 1e12, "Moving a list of numbers between interpreters as InterpreterPoolExecutor returns a result (converted at one end, rebuilt at the other), per pickled byte.";
    "xi_objects", Throughput, 1e5, 1e12, "Moving an object graph of records between interpreters the same way, per pickled byte.";
    "xi_call", Time, 0.0, 100.0 * MS, "Fixed cost of one call into another interpreter or of its reply, paid under the calling interpreter's GIL (creating and deleting the callee's thread state, converting the call's envelope).";
    "dispatch", Time, 0.0, 100.0 * MS, "Handing one task to a pool thread and its result back (queue put and get, future bookkeeping).";
    "submit", Time, 0.0, 100.0 * MS, "The submitting thread's share of dispatch (at most all of it): its CPU per task of a batch handed to a thread pool (creating the future and work item, queueing it, taking the result). The worker pays the rest; a server's requests, which have no simulated caller, leave all of dispatch to the worker. Under a GIL it takes turns with the workers; under free-threading one submitting thread can hand out at most one task per this time.";
    "thread_handover", Time, 0.0, 100.0 * MS, "Extra latency of a call to an idle thread pool before its worker starts it, beyond dispatch: the worker thread sleeps until woken. A busy pool hides it.";
    "interpreter_handover", Time, 0.0, 100.0 * MS, "Extra latency of a call to an idle interpreter pool before its worker starts it, beyond dispatch and the call's own cost: the worker thread wakes and enters its interpreter. A busy pool hides it.";
    "process_handover", Time, 0.0, 100.0 * MS, "Extra latency of a call to an idle process pool before its worker starts it, beyond the call's CPU at both ends: the pool's manager thread, its call queue's feeder thread and the worker process each sleep until woken, in turn. A busy pool hides it.";
    "process_collect", Time, 0.0, 100.0 * MS, "Extra latency before the idle caller of a process pool has a result, beyond the CPU of sending and receiving it: the pool's manager thread sleeps until the result arrives. A busy caller hides it.";
    "thread_after_wait", Time, 0.0, 100.0 * MS, "Extra time before a busy thread pool's worker starts its next call when the call it just finished ended in a wait (a sleep or I/O), beyond dispatch: the pool's threads and the caller slept through the wait, and handing the result back wakes them. A pool busy computing hides it.";
    "interpreter_after_wait", Time, 0.0, 100.0 * MS, "Extra time before a busy interpreter pool's worker starts its next call when the call it just finished ended in a wait, beyond what a busy pool charges per call: the caller slept through the wait, and handing the result back wakes it.";
    "process_after_wait", Time, 0.0, 100.0 * MS, "Extra time before a busy process pool's worker starts its next call when the call it just finished ended in a wait, beyond the call's CPU at both ends: the pool's manager thread and the caller slept through the wait, and sending the result back wakes them.";
    "asyncio_task", Time, 0.0, 100.0 * MS, "Creating, scheduling and finishing one asyncio task.";
    "asyncio_await", Time, 0.0, 100.0 * MS, "One await that suspends and resumes a coroutine through the event loop.";
    "asyncio_task_memory", Memory, 0.0, 64.0 * MIB, "Memory of one pending asyncio task.";
    "timer_late", Time, 0.0, 100.0 * MS, "How late a thread's timed sleep (time.sleep) ends: the OS's timer slack and waking the sleeper. Charged where a workload's waits are sleeps.";
    "asyncio_timer_late", Time, 0.0, 100.0 * MS, "How late an asyncio timer (asyncio.sleep) fires in an event loop with nothing else to do, beyond the selector's rounding: the selector's timer slack, waking the loop and resuming the coroutine. Charged where a workload's waits are sleeps.";
    "asyncio_timer_tick", Time, 0.0, 1.0 * S, "The unit in which asyncio's event loop waits for its next timer when it has nothing else to do: with epoll or poll (Linux), CPython rounds the wait up to whole milliseconds; 0 where the wait is finer.";
    "ft_overhead", Ratio, 0.0, 10.0, "Extra time a free-threaded build spends on Python code, single thread, as a fraction of the GIL build's.";
    "ft_memory_overhead", Ratio, 0.0, 10.0, "Extra memory of a free-threaded build, as a fraction of the GIL build's.";
    "all_core_speed", Ratio, 0.1, 1.0, "Speed of each core when every core is busy, relative to one busy core (turbo and thermal limits); linear in between.";
    "all_core_memory_speed", Ratio, 0.1, 1.0, "Speed of memory-bound work (pickling, copying, piping) on each core when every core is busy, relative to one busy core (shared memory bandwidth and page-fault handling); linear in between.";
    "contention", Ratio, 0.0, 1000.0, "Slow-down of shared-state mutation per additional thread mutating the same objects at once (free-threaded builds).";
}

/// Look up a parameter by name.
pub fn spec(name: &str) -> Option<&'static ParamSpec> {
    PARAMETERS.iter().find(|p| p.name == name)
}

/// Where a figure comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Provenance {
    /// Measured by this project's calibration harness.
    Measured {
        /// Interpreter version string, e.g. "3.14.0".
        interpreter: String,
        /// "default" or "free-threaded".
        build: String,
        /// CPU model and core count.
        machine: String,
        /// ISO date of the run.
        date: String,
        /// What the harness did.
        method: String,
        /// Number of measured repeats.
        repeats: u32,
        /// Relative spread of the repeats (interquartile range / median).
        spread: f64,
    },
    /// Cited from a published source.
    Published {
        /// The citation.
        source: String,
        /// How the value was read off the source, when arithmetic was involved.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Neither measured nor published: an engineering estimate, with its
    /// basis, kept until the calibration harness measures it.
    Estimate {
        /// What the estimate rests on.
        basis: String,
    },
    /// Not available on this interpreter.
    Unavailable {
        /// Why.
        reason: String,
    },
}

impl Provenance {
    /// One line saying where a value came from, as `profile show` and the
    /// web app's calibration page print it.
    pub fn describe(&self) -> String {
        match self {
            Provenance::Measured {
                interpreter,
                build,
                machine,
                date,
                method,
                repeats,
                spread,
            } => format!(
                "measured: Python {interpreter} ({build}) on {machine}, {date}; {method}; {repeats} repeats, spread {:.1}%",
                spread * 100.0
            ),
            Provenance::Published { source, note } => match note {
                Some(n) => format!("published: {source}. {n}"),
                None => format!("published: {source}"),
            },
            Provenance::Estimate { basis } => {
                format!("ESTIMATE (not measured, not published): {basis}")
            }
            Provenance::Unavailable { reason } => format!("unavailable: {reason}"),
        }
    }
}

/// One entry of a profile.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    /// Parameter name.
    pub name: String,
    /// Version the entry applies to (`None` for all versions).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_python")]
    pub python: Option<PythonVersion>,
    /// Value in `unit` (absent when unavailable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Unit of `value`.
    pub unit: String,
    /// Where the value came from.
    pub provenance: Provenance,
}

fn ser_python<S: serde::Serializer>(v: &Option<PythonVersion>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_str(&v.label()),
        None => s.serialize_str("*"),
    }
}

impl Entry {
    /// The value in the parameter's canonical unit.
    pub fn canonical(&self) -> Option<f64> {
        let spec = spec(&self.name)?;
        let factor = spec
            .dimension
            .units()
            .iter()
            .find(|(u, _)| *u == self.unit)?
            .1;
        self.value.map(|v| v * factor)
    }
}

/// Optional description of the machine a profile was measured on.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MachineInfo {
    /// CPU model.
    pub cpu: String,
    /// Logical CPUs the OS reported.
    pub cores: u32,
    /// Operating system.
    pub os: String,
}

/// A figure the calibration harness measured for comparison that the
/// simulator does not take as a parameter (say, the convoy delay it should
/// reproduce), kept with the profile so its readers can check the model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Observation {
    /// What was observed.
    pub name: String,
    /// The interpreter it was observed on (`None`: any).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_python")]
    pub python: Option<PythonVersion>,
    /// Median of the repeats.
    pub value: f64,
    /// Unit of `value`.
    pub unit: String,
    /// Interquartile range over the median.
    pub spread: f64,
    /// Number of repeats.
    pub repeats: u32,
    /// What it means.
    pub meaning: String,
}

/// A calibration profile.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Profile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Short name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// Where it was measured, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine: Option<MachineInfo>,
    /// The entries.
    pub parameters: Vec<Entry>,
    /// Measured figures kept for comparison (optional).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
}

/// Largest number of entries a profile may hold.
pub const MAX_ENTRIES: usize = 2000;

impl Profile {
    /// The shipped default profile.
    pub fn shipped() -> Profile {
        Profile::shipped_ref().clone()
    }

    /// The shipped default profile, parsed once.
    pub fn shipped_ref() -> &'static Profile {
        static SHIPPED: std::sync::OnceLock<Profile> = std::sync::OnceLock::new();
        // The shipped document is tested; a failure here is a build defect.
        SHIPPED.get_or_init(|| {
            Profile::from_json(DEFAULT_PROFILE_JSON).expect("the shipped profile is valid")
        })
    }

    /// The published-figures profile.
    pub fn published() -> Profile {
        // Tested like the shipped profile; a failure is a build defect.
        Profile::from_json(PUBLISHED_PROFILE_JSON).expect("the published profile is valid")
    }

    /// Parse and validate a profile document.
    pub fn from_json(text: &str) -> InputResult<Profile> {
        let doc = parse_document(text, "the profile")?;
        Self::from_value(&doc)
    }

    /// Validate a parsed profile document.
    pub fn from_value(doc: &Value) -> InputResult<Profile> {
        let mut o = Obj::new(doc, "")?;
        match o.opt_str("format", 100)? {
            Some(f) if f == FORMAT => {}
            Some(f) => return err("format", format!("is {f:?}; this program reads {FORMAT:?}")),
            None => return err("format", format!("is required (\"{FORMAT}\")")),
        }
        let name = o.opt_str("name", 200)?.unwrap_or_else(|| "profile".into());
        let description = o.opt_str("description", 8000)?.unwrap_or_default();
        let machine = match o.opt_obj("machine")? {
            None => None,
            Some(mut m) => {
                let info = MachineInfo {
                    cpu: m.opt_str("cpu", 300)?.unwrap_or_default(),
                    cores: m.u64_or("cores", 0, 0, 100_000)? as u32,
                    os: m.opt_str("os", 300)?.unwrap_or_default(),
                };
                m.finish()?;
                Some(info)
            }
        };
        let items = match o.opt_array("parameters", MAX_ENTRIES)? {
            Some(items) => items,
            None => return err("parameters", "is required: a list of parameter entries"),
        };
        let mut parameters = Vec::with_capacity(items.len());
        for (path, v) in items {
            let mut e = Obj::new(v, &path)?;
            parameters.push(read_entry(&mut e)?);
            e.finish()?;
        }
        let mut observations = Vec::new();
        if let Some(items) = o.opt_array("observations", MAX_ENTRIES)? {
            for (path, v) in items {
                let mut e = Obj::new(v, &path)?;
                observations.push(read_observation(&mut e)?);
                e.finish()?;
            }
        }
        o.finish()?;
        for (i, a) in parameters.iter().enumerate() {
            if parameters[..i]
                .iter()
                .any(|b| b.name == a.name && b.python == a.python)
            {
                return err(
                    &format!("parameters[{i}]"),
                    format!(
                        "repeats {} for Python {}",
                        a.name,
                        a.python.map(|p| p.label()).unwrap_or_else(|| "*".into())
                    ),
                );
            }
        }
        Ok(Profile {
            format: FORMAT.into(),
            name,
            description,
            machine,
            parameters,
            observations,
        })
    }

    /// Override one parameter from a `NAME[:VERSION]=VALUE[UNIT]` setting,
    /// such as `thread_start=400us` or `ft_overhead:3.14t=0.1`. Without a
    /// version the value replaces every entry of that parameter. The value
    /// is checked like a profile file's and marked as an estimate set by the
    /// user.
    pub fn apply_setting(&mut self, setting: &str) -> InputResult<()> {
        let path = format!("--set {setting}");
        let Some((lhs, rhs)) = setting.split_once('=') else {
            return err(
                &path,
                "expected NAME=VALUE with a unit, such as thread_start=400us",
            );
        };
        let (name, python) = match lhs.split_once(':') {
            Some((n, v)) => (n.trim(), Some(v.trim())),
            None => (lhs.trim(), None),
        };
        let Some(spec) = spec(name) else {
            return err(&path, format!("unknown parameter {name:?}"));
        };
        let rhs = rhs.trim();
        let split = rhs
            .find(|c: char| {
                !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')
            })
            .unwrap_or(rhs.len());
        let (number, unit) = rhs.split_at(split);
        let unit = match unit.trim() {
            "" if spec.dimension == Dimension::Ratio => "ratio",
            "" => {
                return err(
                    &path,
                    format!(
                        "give a unit: {}",
                        spec.dimension
                            .units()
                            .iter()
                            .map(|(u, _)| *u)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            }
            u => u,
        };
        let Ok(value) = number.parse::<f64>() else {
            return err(&path, format!("{number:?} is not a number"));
        };
        let mut entry = serde_json::json!({
            "name": name, "value": value, "unit": unit,
            "provenance": {"kind": "estimate", "basis": "set on the command line"},
        });
        if let Some(v) = python {
            entry["python"] = serde_json::json!(v);
        }
        let doc = serde_json::json!({"format": FORMAT, "parameters": [entry]});
        let parsed = Profile::from_value(&doc).map_err(|e| InputError {
            path: path.clone(),
            message: e.message,
        })?;
        let entry = parsed
            .parameters
            .into_iter()
            .next()
            .ok_or_else(|| InputError {
                path: path.clone(),
                message: "no entry".into(),
            })?;
        self.parameters.retain(|e| {
            !(e.name == entry.name && (entry.python.is_none() || e.python == entry.python))
        });
        self.parameters.push(entry);
        Ok(())
    }

    /// This profile's costs for `python` on a machine running `factor` times
    /// slower (above 1) or faster (below 1) than when they were measured:
    /// every time cost multiplied and every throughput divided by `factor`,
    /// except the switch interval and the OS time slice, which are settings.
    /// The result holds one entry per parameter, for every version.
    pub fn at_speed(&self, python: PythonVersion, factor: f64) -> Result<Profile, String> {
        if !(factor.is_finite() && factor > 0.0) {
            return Err(format!("speed factor {factor} is not a positive number"));
        }
        let resolved = self.resolve(python, Some(Profile::shipped_ref()))?;
        let mut parameters = Vec::with_capacity(PARAMETERS.len());
        for (spec, &v) in PARAMETERS.iter().zip(&resolved.values) {
            // Settings and timer latencies, not CPU work.
            let fixed = matches!(
                spec.name,
                "switch_interval"
                    | "os_quantum"
                    | "timer_late"
                    | "asyncio_timer_late"
                    | "asyncio_timer_tick"
            );
            let (value, unit) = match spec.dimension {
                Dimension::Time if !fixed => (v * factor, "ns"),
                Dimension::Time => (v, "ns"),
                Dimension::Throughput => (v / factor / 1e6, "MB/s"),
                Dimension::Memory => (v, "B"),
                Dimension::Ratio => (v, "ratio"),
            };
            let canonical = if unit == "MB/s" { value * 1e6 } else { value };
            parameters.push(Entry {
                name: spec.name.to_string(),
                python: None,
                value: Some(value),
                unit: unit.to_string(),
                provenance: Provenance::Estimate {
                    basis: format!(
                        "{} for Python {python} scaled to a machine running {factor:.3} times as long",
                        self.name
                    ),
                },
            });
            if canonical < spec.min || canonical > spec.max {
                return Err(format!(
                    "{} at speed factor {factor:.3} leaves its accepted range",
                    spec.name
                ));
            }
        }
        Ok(Profile {
            format: FORMAT.into(),
            name: format!("{} (speed x{factor:.3})", self.name),
            description: self.description.clone(),
            machine: self.machine.clone(),
            parameters,
            observations: Vec::new(),
        })
    }

    /// Pretty JSON text that [`Profile::from_json`] reads back unchanged.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The entry that decides `name` for `python`, following the resolution
    /// order in the module docs (unavailable entries are skipped).
    pub fn lookup(&self, name: &str, python: PythonVersion) -> Option<&Entry> {
        let candidates: Vec<&Entry> = self
            .parameters
            .iter()
            .filter(|e| e.name == name && e.value.is_some())
            .collect();
        let exact = candidates.iter().find(|e| e.python == Some(python));
        let same_release = candidates
            .iter()
            .find(|e| e.python == Some(python.gil_build()));
        let any = candidates.iter().find(|e| e.python.is_none());
        let nearest = candidates
            .iter()
            .filter(|e| e.python.is_some())
            .min_by_key(|e| {
                let v = e.python.unwrap_or(python);
                let build_differs = (v.free_threaded != python.free_threaded) as i32;
                (
                    (v.minor as i32 - python.minor as i32).abs(),
                    -(v.minor as i32),
                    build_differs,
                )
            });
        exact.or(same_release).or(any).or(nearest).copied()
    }

    /// Resolve every parameter for `python`, taking what this profile lacks
    /// from `fallback` (normally the shipped profile).
    pub fn resolve(
        &self,
        python: PythonVersion,
        fallback: Option<&Profile>,
    ) -> Result<Resolved, String> {
        let mut values = Vec::with_capacity(PARAMETERS.len());
        let mut sources = Vec::with_capacity(PARAMETERS.len());
        for p in PARAMETERS {
            let (entry, from_fallback) = match self.lookup(p.name, python) {
                Some(e) => (e, false),
                None => match fallback.and_then(|f| f.lookup(p.name, python)) {
                    Some(e) => (e, true),
                    None => {
                        return Err(format!(
                            "the profile has no value for {} on Python {python}",
                            p.name
                        ))
                    }
                },
            };
            let v = entry
                .canonical()
                .ok_or_else(|| format!("bad unit for {}", p.name))?;
            values.push(v);
            sources.push(Source {
                name: p.name,
                entry: entry.clone(),
                from_fallback,
            });
        }
        Ok(Resolved {
            python,
            values,
            sources,
        })
    }

    /// Resolve against the shipped profile as fallback and convert to costs.
    pub fn costs(&self, python: PythonVersion) -> Result<Costs, String> {
        Ok(self.resolve(python, Some(Profile::shipped_ref()))?.costs())
    }
}

/// An entry's optional `python`: a version label, or `*` (or nothing) for all.
fn read_python(e: &mut Obj<'_>) -> InputResult<Option<PythonVersion>> {
    let path = e.field_path("python");
    match e.opt_str("python", 20)? {
        None => Ok(None),
        Some(s) if s == "*" => Ok(None),
        Some(s) => s
            .parse::<PythonVersion>()
            .map(Some)
            .or_else(|m| err(&path, m)),
    }
}

fn read_observation(e: &mut Obj<'_>) -> InputResult<Observation> {
    let required = |v: Option<String>, e: &Obj<'_>, field: &str| -> InputResult<String> {
        v.map_or_else(|| err(&e.field_path(field), "is required"), Ok)
    };
    let name = e.opt_str("name", 100)?;
    let name = required(name, e, "name")?;
    let python = read_python(e)?;
    let value_path = e.field_path("value");
    let value = match e.get("value") {
        Some(v) => number_in(v, &value_path, -1e18, 1e18)?,
        None => return err(&value_path, "is required"),
    };
    let unit = e.opt_str("unit", 20)?;
    let unit = required(unit, e, "unit")?;
    let spread_path = e.field_path("spread");
    let spread = match e.get("spread") {
        Some(v) => number_in(v, &spread_path, 0.0, 1e9)?,
        None => 0.0,
    };
    let repeats = e.u64_or("repeats", 0, 0, 1_000_000)? as u32;
    let meaning = e.opt_str("meaning", 1000)?.unwrap_or_default();
    Ok(Observation {
        name,
        python,
        value,
        unit,
        spread,
        repeats,
        meaning,
    })
}

fn read_entry(e: &mut Obj<'_>) -> InputResult<Entry> {
    let name_path = e.field_path("name");
    let name = match e.opt_str("name", 100)? {
        Some(n) => n,
        None => return err(&name_path, "is required"),
    };
    let Some(spec) = spec(&name) else {
        return err(
            &name_path,
            format!(
                "unknown parameter {name:?}; known: {}",
                PARAMETERS
                    .iter()
                    .map(|p| p.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    };
    let python = read_python(e)?;
    let unit_path = e.field_path("unit");
    let unit = match e.opt_str("unit", 20)? {
        Some(u) => u,
        None => return err(&unit_path, "is required"),
    };
    let Some(&(_, factor)) = spec.dimension.units().iter().find(|(u, _)| *u == unit) else {
        return err(
            &unit_path,
            format!(
                "{unit:?} is not a unit of {}; use one of {}",
                name,
                spec.dimension
                    .units()
                    .iter()
                    .map(|(u, _)| *u)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    };
    let prov_path = e.field_path("provenance");
    let provenance = match e.opt_obj("provenance")? {
        None => {
            return err(
                &prov_path,
                "is required: measured, published, estimate or unavailable",
            )
        }
        Some(mut p) => {
            let prov = read_provenance(&mut p)?;
            p.finish()?;
            prov
        }
    };
    let value_path = e.field_path("value");
    let value = match (e.get("value"), &provenance) {
        (None, Provenance::Unavailable { .. }) => None,
        (Some(_), Provenance::Unavailable { .. }) => {
            return err(
                &value_path,
                "must be absent when the provenance is unavailable",
            )
        }
        (None, _) => return err(&value_path, "is required"),
        (Some(v), _) => {
            let raw = number_in(v, &value_path, f64::MIN, f64::MAX)?;
            let canonical = raw * factor;
            if canonical < spec.min || canonical > spec.max {
                let show = |x: f64| x / factor;
                return err(
                    &value_path,
                    format!(
                        "{raw} {unit} is outside the accepted range {} to {} {unit}",
                        show(spec.min),
                        show(spec.max)
                    ),
                );
            }
            Some(raw)
        }
    };
    Ok(Entry {
        name,
        python,
        value,
        unit,
        provenance,
    })
}

fn read_provenance(p: &mut Obj<'_>) -> InputResult<Provenance> {
    let kind_path = p.field_path("kind");
    let kind = p.opt_str("kind", 20)?;
    let required = |p: &mut Obj<'_>, key: &'static str| -> InputResult<String> {
        let path = p.field_path(key);
        match p.opt_str(key, 2000)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => err(&path, "is required"),
        }
    };
    match kind.as_deref() {
        Some("measured") => Ok(Provenance::Measured {
            interpreter: required(p, "interpreter")?,
            build: required(p, "build")?,
            machine: required(p, "machine")?,
            date: required(p, "date")?,
            method: required(p, "method")?,
            repeats: p.u64_or("repeats", 1, 1, 1_000_000)? as u32,
            spread: p.f64_or("spread", 0.0, 0.0, 100.0)?,
        }),
        Some("published") => Ok(Provenance::Published {
            source: required(p, "source")?,
            note: p.opt_str("note", 2000)?,
        }),
        Some("estimate") => Ok(Provenance::Estimate {
            basis: required(p, "basis")?,
        }),
        Some("unavailable") => Ok(Provenance::Unavailable {
            reason: required(p, "reason")?,
        }),
        Some(other) => err(
            &kind_path,
            format!("is {other:?}; expected measured, published, estimate or unavailable"),
        ),
        None => err(
            &kind_path,
            "is required: measured, published, estimate or unavailable",
        ),
    }
}

/// Which entry decided one parameter.
#[derive(Clone, Debug, Serialize)]
pub struct Source {
    /// Parameter name.
    pub name: &'static str,
    /// The entry used.
    pub entry: Entry,
    /// Whether it came from the fallback (shipped) profile.
    pub from_fallback: bool,
}

/// Every parameter resolved for one Python version, in canonical units.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The version resolved for.
    pub python: PythonVersion,
    values: Vec<f64>,
    /// Where each value came from, in [`PARAMETERS`] order.
    pub sources: Vec<Source>,
}

impl Resolved {
    /// The canonical value of `name`.
    pub fn get(&self, name: &str) -> f64 {
        PARAMETERS
            .iter()
            .position(|p| p.name == name)
            .map(|i| self.values[i])
            .unwrap_or(0.0)
    }

    /// Integer costs for the engine.
    pub fn costs(&self) -> Costs {
        let ns = |n: &str| round_u64(self.get(n));
        let bytes = |n: &str| round_u64(self.get(n));
        let bps = |n: &str| round_u64(self.get(n)).max(1);
        let ppm = |n: &str| round_u64(self.get(n) * 1e6);
        Costs {
            switch_interval_ns: ns("switch_interval").max(1_000),
            gil_handoff_ns: ns("gil_handoff"),
            eval_breaker_ns: ns("eval_breaker_check"),
            os_quantum_ns: ns("os_quantum").max(100_000),
            context_switch_ns: ns("context_switch"),
            thread_start_ns: ns("thread_start"),
            thread_memory: bytes("thread_memory"),
            process_memory: bytes("process_memory"),
            fork_memory: bytes("fork_memory"),
            fork_start_ns: ns("fork_start"),
            spawn_start_ns: ns("spawn_start"),
            process_boot_ns: ns("process_boot"),
            forkserver_fork_ns: ns("forkserver_fork"),
            interpreter_create_ns: ns("interpreter_create"),
            interpreter_close_ns: ns("interpreter_close"),
            interpreter_memory: bytes("interpreter_memory"),
            pickle_bytes_bps: bps("pickle_bytes"),
            unpickle_bytes_bps: bps("unpickle_bytes"),
            pickle_objects_bps: bps("pickle_objects"),
            unpickle_objects_bps: bps("unpickle_objects"),
            pickle_numbers_bps: bps("pickle_numbers"),
            unpickle_numbers_bps: bps("unpickle_numbers"),
            pickle_call_ns: ns("pickle_call"),
            pool_wakeup_ns: ns("pool_wakeup"),
            worker_call_ns: ns("worker_call"),
            pipe_bps: bps("pipe"),
            pipe_send_bps: bps("pipe_send"),
            pipe_receive_bps: bps("pipe_receive"),
            xi_copy_bps: bps("xi_copy"),
            xi_numbers_bps: bps("xi_numbers"),
            xi_objects_bps: bps("xi_objects"),
            xi_call_ns: ns("xi_call"),
            dispatch_ns: ns("dispatch"),
            submit_ns: ns("submit").min(ns("dispatch")),
            thread_handover_ns: ns("thread_handover"),
            interpreter_handover_ns: ns("interpreter_handover"),
            process_handover_ns: ns("process_handover"),
            process_collect_ns: ns("process_collect"),
            thread_after_wait_ns: ns("thread_after_wait"),
            interpreter_after_wait_ns: ns("interpreter_after_wait"),
            process_after_wait_ns: ns("process_after_wait"),
            asyncio_task_ns: ns("asyncio_task"),
            asyncio_await_ns: ns("asyncio_await"),
            asyncio_task_memory: bytes("asyncio_task_memory"),
            timer_late_ns: ns("timer_late"),
            asyncio_timer_late_ns: ns("asyncio_timer_late"),
            asyncio_timer_tick_ns: ns("asyncio_timer_tick"),
            ft_overhead_ppm: ppm("ft_overhead"),
            ft_memory_overhead_ppm: ppm("ft_memory_overhead"),
            contention_ppm: ppm("contention"),
            all_core_speed_ppm: ppm("all_core_speed").clamp(100_000, 1_000_000),
            all_core_memory_speed_ppm: ppm("all_core_memory_speed").clamp(100_000, 1_000_000),
        }
    }
}

fn round_u64(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        (x + 0.5).min(u64::MAX as f64) as u64
    } else {
        0
    }
}

/// Costs in integer canonical units (ns, bytes, bytes per second, parts per
/// million), as the engine charges them. Field docs are those of [`PARAMETERS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct Costs {
    pub switch_interval_ns: u64,
    pub gil_handoff_ns: u64,
    pub eval_breaker_ns: u64,
    pub os_quantum_ns: u64,
    pub context_switch_ns: u64,
    pub thread_start_ns: u64,
    pub thread_memory: u64,
    pub process_memory: u64,
    pub fork_memory: u64,
    pub fork_start_ns: u64,
    pub spawn_start_ns: u64,
    pub process_boot_ns: u64,
    pub forkserver_fork_ns: u64,
    pub interpreter_create_ns: u64,
    pub interpreter_close_ns: u64,
    pub interpreter_memory: u64,
    pub pickle_bytes_bps: u64,
    pub unpickle_bytes_bps: u64,
    pub pickle_objects_bps: u64,
    pub unpickle_objects_bps: u64,
    pub pickle_numbers_bps: u64,
    pub unpickle_numbers_bps: u64,
    pub pickle_call_ns: u64,
    pub pool_wakeup_ns: u64,
    pub worker_call_ns: u64,
    pub pipe_bps: u64,
    pub pipe_send_bps: u64,
    pub pipe_receive_bps: u64,
    pub xi_copy_bps: u64,
    pub xi_numbers_bps: u64,
    pub xi_objects_bps: u64,
    pub xi_call_ns: u64,
    pub dispatch_ns: u64,
    /// The submitting thread's share of `dispatch_ns` (never more).
    pub submit_ns: u64,
    pub thread_handover_ns: u64,
    pub interpreter_handover_ns: u64,
    pub process_handover_ns: u64,
    pub process_collect_ns: u64,
    pub thread_after_wait_ns: u64,
    pub interpreter_after_wait_ns: u64,
    pub process_after_wait_ns: u64,
    pub asyncio_task_ns: u64,
    pub asyncio_await_ns: u64,
    pub asyncio_task_memory: u64,
    pub timer_late_ns: u64,
    pub asyncio_timer_late_ns: u64,
    pub asyncio_timer_tick_ns: u64,
    pub ft_overhead_ppm: u64,
    pub ft_memory_overhead_ppm: u64,
    pub contention_ppm: u64,
    pub all_core_speed_ppm: u64,
    pub all_core_memory_speed_ppm: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::KNOWN_VERSIONS;

    #[test]
    fn shipped_profile_is_complete_for_every_version() {
        let p = Profile::shipped();
        for v in KNOWN_VERSIONS {
            let r = p.resolve(v, None).unwrap();
            assert!(r.sources.iter().all(|s| !s.from_fallback));
        }
        // The published profile cites or estimates every figure; it never
        // claims a measurement of this project's.
        let published = Profile::published();
        for v in KNOWN_VERSIONS {
            let r = published.resolve(v, None).unwrap();
            assert!(r.sources.iter().all(|s| !s.from_fallback));
        }
        for e in &published.parameters {
            assert!(
                matches!(
                    e.provenance,
                    Provenance::Published { .. } | Provenance::Estimate { .. }
                ),
                "{} is marked measured",
                e.name
            );
        }
        // Free-threading figures cannot be measured on the machines the
        // shipped profile comes from: they are cited.
        for e in p.parameters.iter().filter(|e| e.name.starts_with("ft_")) {
            assert!(
                matches!(e.provenance, Provenance::Published { .. }),
                "{} {:?} should be cited",
                e.name,
                e.python
            );
        }
    }

    #[test]
    fn at_speed_scales_costs_but_not_settings() {
        let p = Profile::published();
        let v = PythonVersion::gil(14);
        let base = p.costs(v).unwrap();
        let slow = p.at_speed(v, 2.0).unwrap().costs(v).unwrap();
        assert_eq!(slow.switch_interval_ns, base.switch_interval_ns);
        assert_eq!(slow.os_quantum_ns, base.os_quantum_ns);
        assert_eq!(slow.thread_memory, base.thread_memory);
        assert_eq!(slow.contention_ppm, base.contention_ppm);
        assert!(slow.thread_start_ns.abs_diff(2 * base.thread_start_ns) <= 1);
        assert!(slow.pickle_bytes_bps.abs_diff(base.pickle_bytes_bps / 2) <= 1);
        assert!(p.at_speed(v, 0.0).is_err());
        assert!(p.at_speed(v, f64::NAN).is_err());
    }

    #[test]
    fn round_trips() {
        let p = Profile::shipped();
        let again = Profile::from_json(&p.to_json_pretty()).unwrap();
        assert_eq!(p, again);
    }

    #[test]
    fn free_threading_overhead_differs_by_version() {
        let p = Profile::shipped();
        let o13 = p.costs(PythonVersion::ft(13)).unwrap().ft_overhead_ppm;
        let o14 = p.costs(PythonVersion::ft(14)).unwrap().ft_overhead_ppm;
        assert!(o13 > o14 && o14 > 0, "{o13} {o14}");
    }

    fn error_of(text: &str) -> String {
        Profile::from_json(text).unwrap_err().to_string()
    }

    #[test]
    fn rejects_bad_profiles_naming_the_field() {
        let head = r#"{"format": "parallel-universe/profile@1", "parameters": ["#;
        let pub_ = r#""provenance": {"kind": "published", "source": "x"}"#;
        assert!(error_of(r#"{"parameters": []}"#).starts_with("format: is required"));
        assert!(error_of(&format!(
            r#"{head}{{"name": "warp", "value": 1, "unit": "ms", {pub_}}}]}}"#
        ))
        .starts_with("parameters[0].name: unknown parameter"));
        assert!(error_of(&format!(
            r#"{head}{{"name": "switch_interval", "value": 1, "unit": "MB/s", {pub_}}}]}}"#
        ))
        .starts_with("parameters[0].unit:"));
        assert!(error_of(&format!(
            r#"{head}{{"name": "switch_interval", "value": -5, "unit": "ms", {pub_}}}]}}"#
        ))
        .starts_with("parameters[0].value:"));
        assert!(error_of(&format!(r#"{head}{{"name": "switch_interval", "value": 5, "unit": "ms", "python": "2.7", {pub_}}}]}}"#))
            .starts_with("parameters[0].python:"));
        assert!(error_of(&format!(
            r#"{head}{{"name": "switch_interval", "value": 5, "unit": "ms"}}]}}"#
        ))
        .starts_with("parameters[0].provenance: is required"));
        assert!(error_of(&format!(
            r#"{head}{{"name": "switch_interval", "value": 5, "unit": "ms", {pub_}}}, {{"name": "switch_interval", "value": 4, "unit": "ms", {pub_}}}]}}"#
        ))
        .contains("repeats switch_interval"));
    }

    #[test]
    fn settings_override_parameters_and_are_checked() {
        let mut p = Profile::shipped();
        p.apply_setting("thread_start=400us").unwrap();
        assert_eq!(
            p.costs(PythonVersion::gil(14)).unwrap().thread_start_ns,
            400_000
        );
        p.apply_setting("ft_overhead:3.14t=0.2").unwrap();
        assert_eq!(
            p.costs(PythonVersion::ft(14)).unwrap().ft_overhead_ppm,
            200_000
        );
        assert_eq!(
            p.costs(PythonVersion::ft(13)).unwrap().ft_overhead_ppm,
            400_000
        );
        p.apply_setting("ft_overhead=0.5").unwrap();
        assert_eq!(
            p.costs(PythonVersion::ft(13)).unwrap().ft_overhead_ppm,
            500_000
        );
        for bad in [
            "thread_start",
            "warp=1ms",
            "thread_start=400",
            "thread_start=abc us",
            "thread_start=-4us",
            "thread_start=4 parsecs",
            "ft_overhead:2.7=0.1",
        ] {
            let e = p.apply_setting(bad).unwrap_err();
            assert!(e.to_string().starts_with("--set "), "{bad}: {e}");
        }
    }

    #[test]
    fn partial_profiles_fall_back_and_say_so() {
        let text = r#"{"format": "parallel-universe/profile@1", "parameters": [
            {"name": "switch_interval", "value": 1, "unit": "ms", "python": "3.13",
             "provenance": {"kind": "measured", "interpreter": "3.13.1", "build": "default", "machine": "test", "date": "2026-01-01", "method": "m", "repeats": 5, "spread": 0.01}}]}"#;
        let p = Profile::from_json(text).unwrap();
        let shipped = Profile::shipped();
        // 3.13t resolves to the 3.13 entry; 3.14 takes the nearest release.
        for v in [PythonVersion::ft(13), PythonVersion::gil(14)] {
            let r = p.resolve(v, Some(&shipped)).unwrap();
            assert_eq!(r.costs().switch_interval_ns, 1_000_000);
            let src = r
                .sources
                .iter()
                .find(|s| s.name == "switch_interval")
                .unwrap();
            assert!(!src.from_fallback);
            assert!(r
                .sources
                .iter()
                .filter(|s| s.name != "switch_interval")
                .all(|s| s.from_fallback));
        }
        assert!(p.resolve(PythonVersion::gil(14), None).is_err());
    }
}
