//! What the web app shows, as plain data: the state of a view (which
//! workload, machine and models, where the clock stands) and how it lives in
//! the URL. Nothing here touches the browser, so it is tested natively and
//! the wasm32 app and the tests read URLs the same way.
//!
//! A URL is read leniently: every setting it holds is checked on its own, a
//! bad one is dropped with a notice that names it, and the rest still apply.
//! Reading never fails and never panics.

pub mod embed;
pub mod lanes;
pub mod query;
pub mod route;
pub mod run;

use crate::i18n::{mark, Lang, Part, Sentence};
use crate::model::{Model, StartMethod};
use crate::presets;
use crate::python::{PythonVersion, KNOWN_VERSIONS};
use crate::sim::Scenario;
use crate::workload::{Workload, MAX_BYTES, MAX_IMPORT_MS, MAX_STEP_MS, MAX_TASKS};
use serde_json::{json, Value};

/// Most cores the app simulates.
pub const MAX_VIEW_CORES: u32 = 128;
/// Most workers per model the app simulates.
pub const MAX_VIEW_WORKERS: u32 = 256;
/// Models compared when the URL names none.
pub const DEFAULT_MODELS: [Model; 5] = [
    Model::Threads,
    Model::Asyncio,
    Model::Processes,
    Model::Interpreters,
    Model::FreeThreading,
];

/// Changes to the preset's workload, applied to one task group. `None`
/// keeps the preset's value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edits {
    /// Group the edits apply to.
    pub group: u32,
    /// Batch size (batch presets).
    pub tasks: Option<u32>,
    /// Arrival rate (server presets), per second.
    pub rate_per_s: Option<f64>,
    /// Python time per task (ms), as one step.
    pub python_ms: Option<f64>,
    /// Native time per task (ms), as one step.
    pub native_ms: Option<f64>,
    /// I/O wait per task (ms), as one step.
    pub io_ms: Option<f64>,
    /// Bytes in with each task.
    pub input_bytes: Option<u64>,
    /// Bytes back with each result.
    pub output_bytes: Option<u64>,
    /// Shared-state fraction.
    pub shared_state: Option<f64>,
    /// Import time in a fresh interpreter (ms).
    pub import_ms: Option<f64>,
    /// Extensions free-threading-safe.
    pub ft_safe: Option<bool>,
    /// Extensions sub-interpreter-safe.
    pub si_safe: Option<bool>,
}

impl Edits {
    fn any_steps(&self) -> bool {
        self.python_ms.is_some() || self.native_ms.is_some() || self.io_ms.is_some()
    }
}

/// One view of the app: the playground's controls, or an embedded scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewState {
    /// Preset the workload starts from.
    pub preset: String,
    /// Changes to it.
    pub edits: Edits,
    /// Cores of the simulated machine.
    pub cores: u32,
    /// Python version.
    pub python: PythonVersion,
    /// Start method for process models (the version's default when `None`).
    pub start_method: Option<StartMethod>,
    /// Models to compare, in order, each with its worker count.
    pub models: Vec<(Model, u32)>,
    /// Seed of server arrivals.
    pub seed: u64,
    /// Where the clock stands, as a fraction of the longest run (the end,
    /// showing every run whole, unless the address says otherwise).
    pub at: f64,
    /// Playback speed: simulated seconds per real second, as a multiple of
    /// the speed that plays the longest run in ten seconds.
    pub speed: f64,
    /// Zoom of the timeline (1 shows the whole run).
    pub zoom: f64,
    /// Latency percentile the server chart shows (50, 95 or 99).
    pub pct: u8,
    /// Charts shown as tables, by id (see [`CHARTS`]).
    pub tables: Vec<String>,
    /// Whether the timeline is playing.
    pub play: bool,
}

/// The ids of the playground's charts, as `tables=` names them.
pub const CHARTS: [&str; 5] = ["speedup", "throughput", "latency", "breakdown", "memory"];

impl Default for ViewState {
    fn default() -> Self {
        Self {
            preset: "cpu-bound".into(),
            edits: Edits::default(),
            cores: 8,
            python: PythonVersion::DEFAULT,
            start_method: None,
            models: DEFAULT_MODELS.iter().map(|&m| (m, 8)).collect(),
            seed: 0,
            at: 1.0,
            speed: 1.0,
            zoom: 1.0,
            pct: 99,
            tables: Vec::new(),
            play: false,
        }
    }
}

/// The result of reading a URL: the view, and one notice per setting that
/// could not be used.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    /// The view (defaults where the URL said nothing usable).
    pub state: ViewState,
    /// Plain-words notices, one per refused setting.
    pub notices: Vec<Sentence>,
}

impl Parsed {
    /// The notices in `lang`.
    pub fn notice_text(&self, lang: Lang) -> Vec<String> {
        self.notices.iter().map(|n| n.render(lang)).collect()
    }
}

/// A notice: an English pattern and its parts (numbers, names and
/// values as given).
pub(super) fn note(pattern: &'static str, parts: &[&dyn std::fmt::Display]) -> Sentence {
    Sentence::new(
        pattern,
        parts.iter().map(|p| Part::Text(p.to_string())).collect(),
    )
}

fn num<T: std::str::FromStr + PartialOrd + Copy + std::fmt::Display>(
    key: &str,
    v: &str,
    lo: T,
    hi: T,
    notices: &mut Vec<Sentence>,
) -> Option<T> {
    match v.trim().parse::<T>() {
        Ok(x) if x >= lo && x <= hi => Some(x),
        Ok(_) => {
            notices.push(note(
                mark("{}: {} is out of range ({} to {}); ignored"),
                &[&key, &format!("{v:?}"), &lo, &hi],
            ));
            None
        }
        Err(_) => {
            notices.push(note(
                mark("{}: {} is not a number; ignored"),
                &[&key, &format!("{v:?}")],
            ));
            None
        }
    }
}

fn float(key: &str, v: &str, lo: f64, hi: f64, notices: &mut Vec<Sentence>) -> Option<f64> {
    // `parse::<f64>` accepts "inf" and "NaN"; the range check refuses both.
    num(key, v, lo, hi, notices).filter(|x: &f64| x.is_finite())
}

pub(super) fn flag(key: &str, v: &str, notices: &mut Vec<Sentence>) -> Option<bool> {
    match v {
        "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => {
            notices.push(note(
                mark("{}: {} is not 0 or 1; ignored"),
                &[&key, &format!("{v:?}")],
            ));
            None
        }
    }
}

impl ViewState {
    /// Read a view from a URL query (the part after `?`). Never fails.
    pub fn from_query(q: &str) -> Parsed {
        let mut s = ViewState::default();
        let mut notices = Vec::new();
        let pairs = match query::parse(q) {
            Ok(p) => p,
            Err(e) => {
                return Parsed {
                    state: s,
                    notices: vec![note(mark("{}; showing the defaults"), &[&e])],
                }
            }
        };
        let mut models: Option<Vec<Model>> = None;
        let mut workers_all: Option<u32> = None;
        let mut workers_each: Vec<(Model, u32)> = Vec::new();
        let n = &mut notices;
        for (k, v) in &pairs {
            let e = &mut s.edits;
            match k.as_str() {
                "preset" => match presets::get(v) {
                    Some(p) => s.preset = p.name.to_string(),
                    None => n.push(note(
                        mark("preset: no preset named {}; the presets are {}"),
                        &[&format!("{v:?}"), &presets::names().join(", ")],
                    )),
                },
                "group" => e.group = num(k, v, 0, 15, n).unwrap_or(0),
                "tasks" => e.tasks = num(k, v, 1, MAX_TASKS as u32, n),
                "rate" => e.rate_per_s = float(k, v, 0.001, 1e6, n),
                "python_ms" => e.python_ms = float(k, v, 0.0, MAX_STEP_MS, n),
                "native_ms" => e.native_ms = float(k, v, 0.0, MAX_STEP_MS, n),
                "io_ms" => e.io_ms = float(k, v, 0.0, MAX_STEP_MS, n),
                "in" => e.input_bytes = num(k, v, 0, MAX_BYTES, n),
                "out" => e.output_bytes = num(k, v, 0, MAX_BYTES, n),
                "shared" => e.shared_state = float(k, v, 0.0, 1.0, n),
                "import_ms" => e.import_ms = float(k, v, 0.0, MAX_IMPORT_MS, n),
                "ft_safe" => e.ft_safe = flag(k, v, n),
                "si_safe" => e.si_safe = flag(k, v, n),
                "cores" => {
                    if let Some(c) = num(k, v, 1, MAX_VIEW_CORES, n) {
                        s.cores = c;
                    }
                }
                "python" => match v.parse::<PythonVersion>() {
                    Ok(p) if KNOWN_VERSIONS.contains(&p) => s.python = p,
                    _ => n.push(note(
                        mark("python: {} is not one of {}; ignored"),
                        &[
                            &format!("{v:?}"),
                            &KNOWN_VERSIONS.map(|p| p.label()).join(", "),
                        ],
                    )),
                },
                "method" => match v.as_str() {
                    "" | "default" => s.start_method = None,
                    _ => match v.parse::<StartMethod>() {
                        Ok(m) => s.start_method = Some(m),
                        Err(err) => n.push(note(mark("{}: {}; ignored"), &[&"method", &err])),
                    },
                },
                "models" => {
                    let mut list = Vec::new();
                    for name in v.split(',').filter(|x| !x.trim().is_empty()) {
                        match name.parse::<Model>() {
                            Ok(Model::Sequential) => {}
                            Ok(m) if !list.contains(&m) => list.push(m),
                            Ok(_) => {}
                            Err(err) => n.push(note(mark("{}: {}; ignored"), &[&"models", &err])),
                        }
                    }
                    if list.is_empty() {
                        n.push(note(
                            mark("models: none usable; comparing the default models"),
                            &[],
                        ));
                    } else {
                        models = Some(list);
                    }
                }
                "workers" => workers_all = num(k, v, 1, MAX_VIEW_WORKERS, n),
                "seed" => s.seed = num(k, v, 0, u64::MAX, n).unwrap_or(0),
                "at" => s.at = float(k, v, 0.0, 1.0, n).unwrap_or(s.at),
                "speed" => s.speed = float(k, v, 0.01, 100.0, n).unwrap_or(s.speed),
                "zoom" => s.zoom = float(k, v, 1.0, 1000.0, n).unwrap_or(s.zoom),
                "tables" => {
                    s.tables.clear();
                    for t in v.split(',').filter(|t| !t.is_empty()) {
                        if CHARTS.contains(&t) {
                            if !s.tables.iter().any(|x| x == t) {
                                s.tables.push(t.to_string());
                            }
                        } else {
                            n.push(note(
                                mark("tables: no chart named {}; the charts are {}"),
                                &[&format!("{t:?}"), &CHARTS.join(", ")],
                            ));
                        }
                    }
                }
                "play" => s.play = flag(k, v, n).unwrap_or(false),
                "pct" => match v.as_str() {
                    "50" | "95" | "99" => s.pct = v.parse().unwrap_or(99),
                    _ => n.push(note(
                        mark("pct: {} is not 50, 95 or 99; ignored"),
                        &[&format!("{v:?}")],
                    )),
                },
                _ => {
                    if let Some(name) = k.strip_prefix("w.") {
                        match name.parse::<Model>() {
                            Ok(m) => {
                                if let Some(w) = num(k, v, 1, MAX_VIEW_WORKERS, n) {
                                    workers_each.retain(|(x, _)| *x != m);
                                    workers_each.push((m, w));
                                }
                            }
                            Err(err) => n.push(note(mark("{}: {}; ignored"), &[k, &err])),
                        }
                    } else if !is_embed_key(k) {
                        n.push(note(
                            mark("{}: not a setting this page knows; ignored"),
                            &[k],
                        ));
                    }
                }
            }
        }
        let list = models.unwrap_or_else(|| DEFAULT_MODELS.to_vec());
        let default_workers = workers_all.unwrap_or(s.cores.min(MAX_VIEW_WORKERS));
        s.models = list
            .into_iter()
            .map(|m| {
                let w = workers_each
                    .iter()
                    .find(|(x, _)| *x == m)
                    .map_or(default_workers, |(_, w)| *w);
                (m, w)
            })
            .collect();
        // The workload must still be valid with the edits; otherwise the
        // preset's own workload is shown.
        if let Err(e) = s.workload() {
            notices.push(Sentence::new(
                mark("{}; showing the preset's own workload"),
                vec![Part::Message(e)],
            ));
            s.edits = Edits::default();
        }
        Parsed { state: s, notices }
    }

    /// The URL query (without `?`) that [`ViewState::from_query`] reads back
    /// as this view. Settings at their defaults are left out.
    pub fn to_query(&self) -> String {
        let d = ViewState::default();
        let mut p: Vec<(&str, String)> = vec![("preset", self.preset.clone())];
        let e = &self.edits;
        if e.group != 0 {
            p.push(("group", e.group.to_string()));
        }
        let f = |x: f64| format!("{x}");
        let opt = [
            ("tasks", e.tasks.map(|x| x.to_string())),
            ("rate", e.rate_per_s.map(f)),
            ("python_ms", e.python_ms.map(f)),
            ("native_ms", e.native_ms.map(f)),
            ("io_ms", e.io_ms.map(f)),
            ("in", e.input_bytes.map(|x| x.to_string())),
            ("out", e.output_bytes.map(|x| x.to_string())),
            ("shared", e.shared_state.map(f)),
            ("import_ms", e.import_ms.map(f)),
            ("ft_safe", e.ft_safe.map(|b| u8::from(b).to_string())),
            ("si_safe", e.si_safe.map(|b| u8::from(b).to_string())),
        ];
        for (k, v) in opt {
            if let Some(v) = v {
                p.push((k, v));
            }
        }
        p.push(("cores", self.cores.to_string()));
        if self.python != d.python {
            p.push(("python", self.python.label()));
        }
        if let Some(m) = self.start_method {
            p.push(("method", m.name().to_string()));
        }
        p.push((
            "models",
            self.models
                .iter()
                .map(|(m, _)| m.name())
                .collect::<Vec<_>>()
                .join(","),
        ));
        // One shared worker count when every model has it; else one each.
        let first = self.models.first().map(|x| x.1);
        if first.is_some() && self.models.iter().all(|x| Some(x.1) == first) {
            p.push(("workers", first.unwrap_or(1).to_string()));
        } else {
            for (m, w) in &self.models {
                p.push((worker_key(*m), w.to_string()));
            }
        }
        if self.seed != 0 {
            p.push(("seed", self.seed.to_string()));
        }
        if self.at != d.at {
            p.push(("at", format!("{:.4}", self.at)));
        }
        if self.speed != d.speed {
            p.push(("speed", f(self.speed)));
        }
        if self.zoom != d.zoom {
            p.push(("zoom", f(self.zoom)));
        }
        if self.pct != d.pct {
            p.push(("pct", self.pct.to_string()));
        }
        if !self.tables.is_empty() {
            p.push(("tables", self.tables.join(",")));
        }
        if self.play {
            p.push(("play", "1".into()));
        }
        query::join(&p)
    }

    /// The workload: the preset with the edits applied to its group.
    pub fn workload(&self) -> Result<Workload, String> {
        let preset = presets::get(&self.preset)
            .ok_or_else(|| format!("no preset named {:?}", self.preset))?;
        let base = preset.workload();
        let e = &self.edits;
        if *e == Edits::default() {
            return Ok(base);
        }
        let totals = base
            .groups
            .get(e.group as usize)
            .map(|g| g.totals_ms())
            .unwrap_or_default();
        let mut doc = base.to_value();
        // Edit one group: the single-group form is a group itself.
        let single = doc.get("groups").is_none();
        {
            let g: &mut Value = if single {
                &mut doc
            } else {
                let groups = doc["groups"]
                    .as_array_mut()
                    .ok_or("the preset has no groups")?;
                let n = groups.len();
                groups.get_mut(e.group as usize).ok_or_else(|| {
                    format!(
                        "group: the preset has {n} group(s); there is no group {}",
                        e.group
                    )
                })?
            };
            if let Some(t) = e.tasks {
                if g.get("tasks").is_none() {
                    return Err("tasks: this preset is a server; set its rate instead".into());
                }
                g["tasks"] = json!(t);
            }
            if let Some(r) = e.rate_per_s {
                if g.get("arrivals").is_none() {
                    return Err("rate: this preset is a batch; set its tasks instead".into());
                }
                g["arrivals"]["rate_per_s"] = json!(r);
            }
            if e.any_steps() {
                // The edited task runs its Python, native and I/O time as
                // one step each, in that order.
                let (p, nat, io) = totals;
                let steps: Vec<Value> = [
                    ("python_ms", e.python_ms.unwrap_or(p)),
                    ("native_ms", e.native_ms.unwrap_or(nat)),
                    ("io_ms", e.io_ms.unwrap_or(io)),
                ]
                .iter()
                .filter(|(_, ms)| *ms > 0.0)
                .map(|(k, ms)| json!({ *k: ms }))
                .collect();
                let steps = if steps.is_empty() {
                    vec![json!({"python_ms": 0.0})]
                } else {
                    steps
                };
                g["steps"] = Value::Array(steps);
                if let Some(o) = g.as_object_mut() {
                    o.remove("repeat");
                }
            }
            let set = |g: &mut Value, k: &str, v: Option<Value>| {
                if let Some(v) = v {
                    g[k] = v;
                }
            };
            set(g, "input_bytes", e.input_bytes.map(|x| json!(x)));
            set(g, "output_bytes", e.output_bytes.map(|x| json!(x)));
            set(g, "shared_state", e.shared_state.map(|x| json!(x)));
        }
        if let Some(x) = e.import_ms {
            doc["import_ms"] = json!(x);
        }
        if let Some(b) = e.ft_safe {
            doc["extensions"]["free_threading_safe"] = json!(b);
        }
        if let Some(b) = e.si_safe {
            doc["extensions"]["subinterpreter_safe"] = json!(b);
        }
        Workload::from_value(&doc).map_err(|e| e.to_string())
    }

    /// The part of the view the simulation depends on: the same view with
    /// the clock, the playback and the way charts are shown at their
    /// defaults. Two views with equal parts need no new runs.
    pub fn sim_part(&self) -> ViewState {
        let d = ViewState::default();
        ViewState {
            at: d.at,
            speed: d.speed,
            zoom: d.zoom,
            pct: d.pct,
            tables: d.tables,
            play: d.play,
            ..self.clone()
        }
    }

    /// The scenario of one compared model.
    pub fn scenario(&self, model: Model, workers: u32) -> Scenario {
        let preset = presets::get(&self.preset);
        Scenario {
            model,
            workers,
            cores: self.cores,
            python: self.python,
            start_method: self.start_method,
            seed: self.seed,
            per_task: preset.is_some_and(|p| p.per_task),
            ..Scenario::new(model)
        }
    }
}

/// The URL key of one model's worker count.
pub fn worker_key(m: Model) -> &'static str {
    match m {
        Model::Sequential => "w.sequential",
        Model::Threads => "w.threads",
        Model::Asyncio => "w.asyncio",
        Model::Processes => "w.processes",
        Model::Interpreters => "w.interpreters",
        Model::FreeThreading => "w.free-threading",
        Model::ProcessesThreads => "w.processes+threads",
        Model::InterpretersThreads => "w.interpreters+threads",
    }
}

/// Keys the embed route reads besides the view's own (see the embed page).
fn is_embed_key(k: &str) -> bool {
    matches!(k, "controls" | "loop" | "from" | "to" | "theme" | "lang")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_round_trips_through_its_url() {
        let mut s = ViewState {
            preset: "web-server".into(),
            cores: 32,
            python: "3.13t".parse().unwrap(),
            start_method: Some(StartMethod::Spawn),
            models: vec![(Model::Threads, 4), (Model::ProcessesThreads, 16)],
            seed: 7,
            at: 0.25,
            speed: 2.5,
            zoom: 4.0,
            pct: 50,
            tables: vec!["latency".into(), "memory".into()],
            play: true,
            ..ViewState::default()
        };
        s.edits.rate_per_s = Some(350.0);
        s.edits.python_ms = Some(2.0);
        s.edits.si_safe = Some(false);
        let q = s.to_query();
        let back = ViewState::from_query(&q);
        assert!(back.notices.is_empty(), "{:?}", back.notices);
        assert_eq!(back.state, s, "{q}");
        assert_eq!(ViewState::from_query("").state, ViewState::default());
    }

    #[test]
    fn bad_settings_are_dropped_with_a_notice_and_the_rest_apply() {
        let p = ViewState::from_query(
            "preset=nope&cores=100000&python=2.7&models=threads,warp,processes&workers=abc&w.threads=3&at=NaN&zoom=inf&x=1&tasks=5",
        );
        let s = &p.state;
        assert_eq!(s.preset, "cpu-bound");
        assert_eq!(s.cores, 8);
        assert_eq!(s.python, PythonVersion::DEFAULT);
        assert_eq!(s.models, vec![(Model::Threads, 3), (Model::Processes, 8)]);
        assert_eq!(s.at, 1.0);
        assert_eq!(s.zoom, 1.0);
        assert_eq!(s.edits.tasks, Some(5));
        for key in [
            "preset", "cores", "python", "models", "workers", "at", "zoom", "x",
        ] {
            assert!(
                p.notices.iter().any(|n| n.to_string().starts_with(key)),
                "no notice for {key}: {:?}",
                p.notices
            );
        }
    }

    #[test]
    fn edits_that_break_the_workload_fall_back_to_the_preset() {
        // A server preset has no batch size.
        let p = ViewState::from_query("preset=web-server&tasks=10");
        assert_eq!(p.state.edits, Edits::default());
        assert!(
            p.notices.iter().any(|n| n.to_string().contains("server")),
            "{:?}",
            p.notices
        );
        // A group the preset lacks.
        let p = ViewState::from_query("preset=convoy&group=5&python_ms=3");
        assert_eq!(p.state.edits, Edits::default());
    }

    #[test]
    fn edits_change_the_workload() {
        let p = ViewState::from_query("preset=convoy&group=1&io_ms=2&python_ms=0.1&tasks=3");
        assert!(p.notices.is_empty(), "{:?}", p.notices);
        let w = p.state.workload().unwrap();
        let g = &w.groups[1];
        assert_eq!(g.expected_tasks(), 3.0);
        assert_eq!(g.totals_ms(), (0.1, 0.0, 2.0));
        // The other group is untouched.
        assert_eq!(w.groups[0].totals_ms(), (500.0, 0.0, 0.0));
    }

    #[test]
    fn the_documented_address_reads_without_notices() {
        let doc = include_str!("../../docs/formats.md");
        let line = doc
            .lines()
            .find(|l| l.starts_with("#/playground?"))
            .expect("docs/formats.md shows an address");
        let p = ViewState::from_query(line.trim_start_matches("#/playground?"));
        assert!(p.notices.is_empty(), "{:?}", p.notices);
        assert_eq!(p.state.cores, 16);
        assert_eq!(p.state.models.len(), 3);
        assert_eq!(p.state.edits.rate_per_s, Some(350.0));
    }

    #[test]
    fn how_a_view_is_shown_needs_no_new_runs() {
        let p = ViewState::from_query(
            "preset=convoy&cores=2&at=0.5&zoom=4&tables=speedup,warp&play=1&pct=95",
        );
        assert_eq!(p.state.tables, vec!["speedup".to_string()]);
        assert!(
            p.notices
                .iter()
                .any(|n| n.to_string().starts_with("tables:")),
            "{:?}",
            p.notices
        );
        let sim = p.state.sim_part();
        assert_eq!(sim, ViewState::from_query("preset=convoy&cores=2").state);
        assert_ne!(
            sim,
            ViewState::from_query("preset=convoy&cores=4")
                .state
                .sim_part()
        );
    }

    #[test]
    fn hostile_urls_never_panic() {
        for q in [
            "%",
            "%%%",
            "=",
            "&&&",
            "preset",
            "models=",
            "w.=1",
            "cores=-1",
            "cores=1e309",
            "rate=1e400",
            "seed=18446744073709551616",
            "group=99999999999",
            "python_ms=1e308&tasks=100000",
            "preset=%00",
            "models=%2C%2C",
        ] {
            let p = ViewState::from_query(q);
            assert!(p.state.workload().is_ok(), "{q}");
        }
        let long = "a".repeat(10_000);
        assert!(!ViewState::from_query(&long).notices.is_empty());
    }
}
