//! The execution models a scenario can run under, and multiprocessing start
//! methods. Only names and parsing live here; the behaviour of each model is
//! built by the engine (`sim::engine`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the work is spread over the machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    /// One thread, tasks one after another: the baseline for every speedup.
    Sequential,
    /// A pool of OS threads in one interpreter (one GIL on a GIL build).
    Threads,
    /// One event loop on one thread; I/O waits overlap.
    Asyncio,
    /// A pool of worker processes fed through pickling and pipes.
    Processes,
    /// A pool of sub-interpreters, each with its own GIL.
    Interpreters,
    /// A pool of threads on a free-threaded (`t`) build.
    #[serde(rename = "free-threading")]
    FreeThreading,
    /// Worker processes, each running several threads.
    #[serde(rename = "processes+threads")]
    ProcessesThreads,
    /// Sub-interpreters, each running several threads.
    #[serde(rename = "interpreters+threads")]
    InterpretersThreads,
}

impl Model {
    /// Every model, in the order tables list them.
    pub const ALL: [Model; 8] = [
        Model::Sequential,
        Model::Threads,
        Model::Asyncio,
        Model::Processes,
        Model::Interpreters,
        Model::FreeThreading,
        Model::ProcessesThreads,
        Model::InterpretersThreads,
    ];

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Model::Sequential => "sequential",
            Model::Threads => "threads",
            Model::Asyncio => "asyncio",
            Model::Processes => "processes",
            Model::Interpreters => "interpreters",
            Model::FreeThreading => "free-threading",
            Model::ProcessesThreads => "processes+threads",
            Model::InterpretersThreads => "interpreters+threads",
        }
    }

    /// Whether the model runs several threads per process or interpreter.
    pub fn is_hybrid(self) -> bool {
        matches!(self, Model::ProcessesThreads | Model::InterpretersThreads)
    }

    /// Whether the model uses worker processes (and so a start method).
    pub fn uses_processes(self) -> bool {
        matches!(self, Model::Processes | Model::ProcessesThreads)
    }

    /// Whether the model uses sub-interpreters.
    pub fn uses_interpreters(self) -> bool {
        matches!(self, Model::Interpreters | Model::InterpretersThreads)
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Model {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase();
        let alias = match key.as_str() {
            "seq" => "sequential",
            "thread" => "threads",
            "async" => "asyncio",
            "process" | "multiprocessing" => "processes",
            "subinterpreters" | "sub-interpreters" | "interpreter" => "interpreters",
            "free-threaded" | "freethreading" | "ft" | "nogil" => "free-threading",
            other => other,
        };
        Model::ALL
            .iter()
            .copied()
            .find(|m| m.name() == alias)
            .ok_or_else(|| {
                format!(
                    "unknown model {s:?}: expected one of {}",
                    Model::ALL.map(|m| m.name()).join(", ")
                )
            })
    }
}

/// How multiprocessing starts a worker process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StartMethod {
    /// Copy the parent with fork(): cheap, inherits imports.
    Fork,
    /// Fork from a server process started once (Linux default from 3.14).
    Forkserver,
    /// Start a fresh interpreter that re-imports the workload.
    Spawn,
}

impl StartMethod {
    /// Every start method.
    pub const ALL: [StartMethod; 3] = [
        StartMethod::Fork,
        StartMethod::Forkserver,
        StartMethod::Spawn,
    ];

    /// The name multiprocessing uses.
    pub fn name(self) -> &'static str {
        match self {
            StartMethod::Fork => "fork",
            StartMethod::Forkserver => "forkserver",
            StartMethod::Spawn => "spawn",
        }
    }
}

impl fmt::Display for StartMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for StartMethod {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StartMethod::ALL
            .iter()
            .copied()
            .find(|m| m.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!("unknown start method {s:?}: expected fork, forkserver or spawn")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in Model::ALL {
            assert_eq!(m.name().parse::<Model>().unwrap(), m);
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(json, format!("\"{}\"", m.name()));
            assert_eq!(serde_json::from_str::<Model>(&json).unwrap(), m);
        }
        for s in StartMethod::ALL {
            assert_eq!(s.name().parse::<StartMethod>().unwrap(), s);
        }
        assert!("fibers".parse::<Model>().is_err());
        assert!("vfork".parse::<StartMethod>().is_err());
    }
}
