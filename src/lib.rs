//! Parallel Universe: predict how Python work scales across CPU cores.
//!
//! The crate is the simulation core shared by the command-line program and
//! the web app. It holds no terminal or browser code:
//!
//! - [`workload`]: the workload format (what each task does, how many).
//! - [`profile`]: calibration profiles (every cost with unit and provenance).
//! - [`python`], [`model`]: Python versions and execution models.
//! - [`sim`]: the discrete-event simulator and its traces.
//! - [`predict`]: a run plus its sequential baseline, summarised; sweeps.
//! - [`presets`]: named workloads from the talks.
//! - [`calibrate`] (native only): the harness that measures a profile on
//!   real CPython interpreters.
//! - [`gantt`]: an ASCII chart of a trace.
//! - [`verdict`]: plain-words conclusions drawn from predictions.
//! - [`view`]: what the web app shows, as plain data: a view's state and
//!   its URL, its runs, and traces laid out as lanes.
//! - [`content`]: the guide's chapters and the tutorials' lessons: their
//!   catalogue, their Markdown read into blocks, and the claims lessons make.
//! - [`i18n`]: the interface's languages (English, Japanese).
//! - [`json`], [`rng`]: strict input reading, deterministic randomness.
//!
//! ```
//! use parallel_universe::{model::Model, predict::predict, presets, profile::Profile, sim::Scenario};
//! let workload = presets::get("cpu-bound").unwrap().workload();
//! let mut scenario = Scenario::new(Model::Interpreters);
//! scenario.cores = 4;
//! scenario.workers = 4;
//! let p = predict(&scenario, &workload, &Profile::shipped()).unwrap();
//! assert!(p.speedup > 2.0);
//! ```

#[cfg(not(target_arch = "wasm32"))]
pub mod calibrate;
pub mod content;
pub mod gantt;
pub mod i18n;
pub mod json;
pub mod model;
pub mod predict;
pub mod presets;
pub mod profile;
pub mod python;
pub mod rng;
pub mod sim;
pub mod verdict;
pub mod view;
pub mod workload;
