//! Named workloads for the talks' examples. Each preset is a workload
//! document in the public format (so it doubles as an example of it), a
//! suggested scenario, and where the example comes from.

use crate::i18n::mark;
use crate::model::Model;
use crate::workload::Workload;

/// A named workload.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// Name used on the command line and in URLs.
    pub name: &'static str,
    /// One line for lists.
    pub title: &'static str,
    /// What it shows.
    pub about: &'static str,
    /// Where the example comes from.
    pub source: &'static str,
    /// Workers the example was run with, when it matters.
    pub workers: Option<u32>,
    /// The model the example is about.
    pub model: Model,
    /// Whether the example starts one worker per task rather than a pool.
    pub per_task: bool,
    /// The workload document.
    pub json: &'static str,
}

impl Preset {
    /// The parsed workload. Presets are tested to parse.
    pub fn workload(&self) -> Workload {
        Workload::from_json(self.json).expect("presets are valid workloads")
    }
}

/// Every preset.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "cpu-bound",
        title: mark("CPU-bound Python: 64 tasks of 10 ms"),
        about: "Illustrative sizes: pure-Python computation with no I/O and little to send; GIL threads cannot beat one core, while interpreters, processes and free-threading can.",
        source: "the workload example of this project's format",
        workers: None,
        model: Model::Threads,
        per_task: false,
        json: r#"{"name": "cpu-bound", "tasks": 64, "steps": [{"python_ms": 10.0}], "input_bytes": 64, "output_bytes": 64}"#,
    },
    Preset {
        name: "loop-100-threads",
        title: mark("A 100,000-step Python loop split over 100 threads"),
        about: "The PyCon US 2024 example: each thread runs 1,000 iterations of abs(x - 50) over NumPy scalars, about 0.08 ms (65-87 ns an iteration, measured on this project's 2-vCPU VM with CPython 3.11 and NumPy 2.4); starting 100 threads and passing the GIL costs more than the loop itself.",
        source: "Anthony Shaw, 'Unlocking the Parallel Universe', PyCon US 2024 talk notes",
        workers: Some(100),
        model: Model::Threads,
        per_task: true,
        json: r#"{"name": "loop-100-threads", "tasks": 100, "steps": [{"python_ms": 0.08}]}"#,
    },
    Preset {
        name: "pi-digits",
        title: mark("Digits of pi, ten times in parallel"),
        about: "Ten pidigits spigot computations of 2,000 digits each, each in a fresh worker; 0.237 s of bigint work apiece, from the thesis benchmark's 2.37 s for ten GIL threads.",
        source: "tonybaloney/thesis-benchmarks bm_parallel.py; digits of e in Vita Midori's Swiss Python Summit 2024 talk",
        workers: Some(10),
        model: Model::Interpreters,
        per_task: true,
        json: r#"{"name": "pi-digits", "tasks": 10, "steps": [{"python_ms": 237.0}], "import_ms": 2.0}"#,
    },
    Preset {
        name: "io-fanout",
        title: mark("I/O fan-out: 200 requests of 50 ms"),
        about: "Illustrative sizes: each task parses a little, waits 50 ms on the network and parses the reply; threads and asyncio overlap the waits and cores hardly matter.",
        source: "the threads/coroutines rows of the models table in the PyCon talk notes",
        workers: Some(64),
        model: Model::Asyncio,
        per_task: false,
        json: r#"{"name": "io-fanout", "tasks": 200, "steps": [{"python_ms": 0.2}, {"io_ms": 50.0}, {"python_ms": 0.3}], "input_bytes": 200, "output_bytes": 2000}"#,
    },
    Preset {
        name: "web-server",
        title: mark("A web server: 200 requests/s, Python, a database call, a template"),
        about: "An illustrative request mix for the PyCon talk's multi-worker, multi-thread server comparison: open-loop requests that run 1.5 ms of Python, wait 8 ms on a database and render for 1 ms.",
        source: "Anthony Shaw, PyCon US 2024 / PyCon JP 2024: multi-worker, multi-thread ASGI server",
        workers: None,
        model: Model::InterpretersThreads,
        per_task: false,
        json: r#"{"name": "web-server", "arrivals": {"rate_per_s": 200.0, "duration_s": 1.0}, "steps": [{"python_ms": 1.5}, {"io_ms": 8.0}, {"python_ms": 1.0}], "input_bytes": 2000, "output_bytes": 16000, "payload": "bytes", "import_ms": 150.0}"#,
    },
    Preset {
        name: "data-pipeline",
        title: mark("A data pipeline with 4 MB payloads"),
        about: "Illustrative sizes: each task transforms 4 MB of records in 5 ms of Python and returns 1 MB; pickling both ways makes the parent of a process pool the bottleneck.",
        source: "the data-exchange column of the PyCon talk's models table; mdboom/pool-party data_pass",
        workers: None,
        model: Model::Processes,
        per_task: false,
        json: r#"{"name": "data-pipeline", "tasks": 128, "steps": [{"python_ms": 5.0}], "input_bytes": 4000000, "output_bytes": 1000000}"#,
    },
    Preset {
        name: "tiny-tasks",
        title: mark("Many tiny tasks: 10,000 of 20 us"),
        about: "Illustrative sizes: tasks far shorter than any hand-over, so the per-task cost of each model decides everything.",
        source: "the start-up time column of the PyCon talk's models table",
        workers: None,
        model: Model::Processes,
        per_task: false,
        json: r#"{"name": "tiny-tasks", "tasks": 10000, "steps": [{"python_ms": 0.02}], "input_bytes": 32, "output_bytes": 32}"#,
    },
    Preset {
        name: "numeric",
        title: mark("GIL-releasing numeric work"),
        about: "Illustrative sizes: NumPy-style kernels that release the GIL for 20 ms around 0.5 ms of Python glue; even GIL threads scale.",
        source: "the design notes' native-code step (numpy, hashlib, zlib)",
        workers: None,
        model: Model::Threads,
        per_task: false,
        json: r#"{"name": "numeric", "tasks": 64, "steps": [{"python_ms": 0.5}, {"native_ms": 20.0}], "input_bytes": 8000, "output_bytes": 8000, "payload": "bytes", "import_ms": 80.0}"#,
    },
    Preset {
        name: "shared-state",
        title: mark("Mutating shared objects"),
        about: "Illustrative sizes: every task spends half its Python time updating objects all workers share; free-threaded threads contend and can lose to one thread.",
        source: "mdboom/pool-party nbody (shared module-level lists)",
        workers: None,
        model: Model::FreeThreading,
        per_task: false,
        json: r#"{"name": "shared-state", "tasks": 64, "steps": [{"python_ms": 20.0}], "shared_state": 0.5}"#,
    },
    Preset {
        name: "convoy",
        title: mark("One CPU-bound thread beside an I/O-bound one"),
        about: "Illustrative sizes: an I/O loop (100 x 1 ms waits) shares a process with a 500 ms CPU-bound thread, and each wake-up waits for the switch interval (the convoy effect).",
        source: "the GIL section of the PyCon talk; the convoy effect of bpo-7946",
        workers: Some(2),
        model: Model::Threads,
        per_task: false,
        json: r#"{"name": "convoy", "groups": [{"name": "cpu", "tasks": 1, "steps": [{"python_ms": 500.0}]}, {"name": "io", "tasks": 1, "steps": [{"io_ms": 1.0}, {"python_ms": 0.05}], "repeat": 100}]}"#,
    },
];

/// Find a preset by name.
pub fn get(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// Names of all presets, for messages.
pub fn names() -> Vec<&'static str> {
    PRESETS.iter().map(|p| p.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_names_are_unique() {
        for (i, p) in PRESETS.iter().enumerate() {
            let w = Workload::from_json(p.json).unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert_eq!(w.name, p.name);
            assert!(PRESETS[..i].iter().all(|q| q.name != p.name));
        }
    }
}
