//! Measuring how right the simulator is: real end-to-end runs against
//! predictions.
//!
//! [`measure`] runs `calibrate/validate.py` (compiled into the binary) once
//! per case, model, start method and worker count, each in a fresh process
//! of a real interpreter, interleaving the repeats so that drift in the
//! machine's speed spreads over every case. Each run reports its wall time
//! and the workload it ran, with per-task costs measured in that process, in
//! the simulator's workload format. [`predict_all`] then simulates every
//! case with a profile on the machine's core count and compares speedups
//! over sequential: for batch cases, wall time; for the server cases, median
//! latency. The report keeps the measurements, so `validate --replay`
//! re-predicts them under another profile without running Python again.

use super::{interpreter_from_info, run_json, Interpreter, ScriptDir, HARNESS_PY};
use crate::model::{Model, StartMethod};
use crate::profile::Costs;
use crate::profile::{MachineInfo, Profile};
use crate::python::PythonVersion;
use crate::sim::{RunOptions, RunResult, Scenario};
use crate::workload::Workload;
use serde::Serialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The end-to-end workload runner, as kept in `calibrate/validate.py`.
pub const VALIDATE_PY: &str = include_str!("../../calibrate/validate.py");

/// Largest change of the machine's speed during a run (the runner's CPU
/// step timed before and after) before the run is repeated.
pub const MAX_DRIFT: f64 = 0.15;

/// The format tag of an accuracy report.
pub const FORMAT: &str = "parallel-universe/accuracy@1";

/// What `validate` is asked to measure.
#[derive(Clone, Debug)]
pub struct Options {
    /// Interpreters to run the suite under.
    pub pythons: Vec<PathBuf>,
    /// Smaller cases (for tests).
    pub quick: bool,
    /// Worker counts.
    pub workers: Vec<u32>,
    /// Cases to run (all when empty).
    pub cases: Vec<String>,
    /// Runs of each configuration; the median wall time counts.
    pub repeats: u32,
    /// Most runs of a configuration whose repeats disagree (spread more
    /// than [`NOISY_SPREAD`]): further passes run those again.
    pub max_repeats: u32,
    /// Longest one run may take.
    pub timeout: Duration,
}

/// One configuration measured on a real interpreter.
#[derive(Clone, Debug, Serialize)]
pub struct Measurement {
    /// Case name.
    pub case: String,
    /// The runner's model: sequential, threads, asyncio, processes, interpreters.
    pub model: String,
    /// Start method (processes).
    pub start_method: Option<String>,
    /// Workers.
    pub workers: u32,
    /// Interpreter version, e.g. "3.14.0".
    pub version: String,
    /// The simulator's name for it.
    pub python: String,
    /// Whether the GIL was off (free-threaded build).
    pub gil_disabled: bool,
    /// Seed of the server's arrivals (the runner draws them with the
    /// simulator's generator, so a prediction with this seed serves the
    /// same requests).
    pub seed: u64,
    /// Wall time of every repeat (s).
    pub wall_s: Vec<f64>,
    /// The first Python step's cost as each repeat measured it in its own
    /// process (ms; empty when the case has none): how fast the machine ran
    /// during that repeat.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cpu_ms: Vec<f64>,
    /// The calibration harness's reference loop timed around each repeat
    /// (ns): how fast the machine ran, to compare with the profile's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub probe_ns: Vec<f64>,
    /// Median latency of every repeat (server cases, ms).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub p50_ms: Vec<f64>,
    /// The mean thread CPU time of one Python step during each repeat, as
    /// its tasks timed it (ms; empty when the case has none, or the report
    /// predates it): how fast the machine ran the work while it ran.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub run_cpu_ms: Vec<f64>,
    /// The mean wall time of one wait during each repeat (ms; empty when
    /// the case has none): how late its sleeps ended.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub run_io_ms: Vec<f64>,
    /// The workload as the simulator reads it (from the first repeat).
    pub workload: Value,
}

/// One compared case.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// Case name.
    pub case: String,
    /// Simulator model name.
    pub model: String,
    /// Start method (processes).
    pub start_method: Option<String>,
    /// Workers.
    pub workers: u32,
    /// Python (simulator label).
    pub python: String,
    /// Median measured wall time (s).
    pub measured_s: f64,
    /// Predicted wall time (s).
    pub predicted_s: f64,
    /// Measured speedup over sequential on the same interpreter.
    pub measured_speedup: f64,
    /// Predicted speedup over sequential.
    pub predicted_speedup: f64,
    /// predicted / measured speedup - 1.
    pub error: f64,
    /// The lowest and highest speedup of single repeats (repeat i of this
    /// run over repeat i of the sequential run, taken in the same pass):
    /// how far the measurement itself moved.
    pub repeat_range: (f64, f64),
    /// How far the prediction lies outside that range (0 inside it):
    /// predicted over the nearer end, less 1.
    pub beyond_range: f64,
    /// What the speedup is of: "wall time" or "median latency".
    pub basis: &'static str,
    /// That figure (s or ms) for each repeat as simulated under the
    /// conditions it ran in, in the order of the measurement's repeats
    /// (`wall_s` or `p50_ms`).
    pub simulated: Vec<f64>,
    /// The same for each repeat of the sequential run.
    pub baseline_simulated: Vec<f64>,
    /// How many times as long CPU work took during this run as during
    /// calibration (the profile's costs were scaled by it; see
    /// `speed_factor`); absent when the profile or the run lacks the figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
}

/// Median and worst error over the compared cases.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Cases compared (sequential rows excluded: they are 1 by definition).
    pub cases: u32,
    /// Median absolute error of predicted speedup.
    pub median_abs_error: f64,
    /// Worst absolute error.
    pub worst_abs_error: f64,
    /// The worst case, described.
    pub worst_case: String,
    /// Cases within 10%.
    pub within_10: u32,
    /// Cases within 25%.
    pub within_25: u32,
    /// Cases whose prediction lies more than 25% outside the range of their
    /// single repeats' speedups.
    pub beyond_range_25: u32,
    /// The largest distance of a prediction outside its repeats' range.
    pub worst_beyond_range: f64,
}

/// An accuracy report: where it was measured, the measurements, the
/// comparison and its summary.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// Date of the measurements.
    pub date: String,
    /// The machine.
    pub machine: MachineInfo,
    /// Interpreter versions.
    pub interpreters: Vec<String>,
    /// Whether the quick suite was run.
    pub quick: bool,
    /// The profile predictions were made with.
    pub profile: String,
    /// Every measurement (for replay).
    pub measurements: Vec<Measurement>,
    /// The comparison.
    pub rows: Vec<Row>,
    /// Its summary.
    pub summary: Summary,
}

fn median(xs: &[f64]) -> f64 {
    super::stats::summarise(xs).map_or(f64::NAN, |s| s.median)
}

/// The configurations to run for one interpreter: (case, model, start method, workers).
fn configs(
    cases: &[String],
    workers: &[u32],
    start_methods: &[String],
    has_interpreter_pool: bool,
) -> Vec<Config> {
    let mut out = Vec::new();
    for case in cases {
        out.push((case.clone(), "sequential".to_string(), None, 1));
        for &w in workers {
            out.push((case.clone(), "threads".into(), None, w));
            out.push((case.clone(), "asyncio".into(), None, w));
            for m in start_methods {
                out.push((case.clone(), "processes".into(), Some(m.clone()), w));
            }
            if has_interpreter_pool {
                out.push((case.clone(), "interpreters".into(), None, w));
            }
        }
    }
    out
}

/// One configuration: (case, model, start method, workers).
type Config = (String, String, Option<String>, u32);

/// Spread of the repeats around a configuration's median (see
/// [`repeat_spread`]) above which `validate` runs it again, up to
/// `max_repeats` in all.
pub const NOISY_SPREAD: f64 = 0.15;

/// The runs of one `measure` call: what they need and what they count.
struct Runs<'a> {
    opts: &'a Options,
    runner: &'a Path,
    dir: &'a Path,
    started: Instant,
    step: u32,
    total: u32,
    retried: u32,
    unsteady: u32,
}

impl Runs<'_> {
    /// Run one configuration once and add the run to its measurement.
    fn one(
        &mut self,
        interp: &Interpreter,
        (case, model, method, workers): &Config,
        slot: &mut Option<Measurement>,
        progress: &mut dyn FnMut(&str),
    ) -> Result<(), String> {
        self.step += 1;
        let (step, total) = (self.step, self.total);
        let w = workers.to_string();
        let mut args = vec!["--case", case, "--model", model, "--workers", &w];
        if let Some(m) = method {
            args.push("--start-method");
            args.push(m);
        }
        if self.opts.quick {
            args.push("--quick");
        }
        let label = format!(
            "{case} {model}{} x{workers}",
            method
                .as_ref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        );
        // A run during which the machine changed speed by more than
        // MAX_DRIFT (the runner times its CPU step again afterwards) is
        // run again, up to twice; the steadiest attempt counts.
        let mut best: Option<(f64, Value)> = None;
        for _ in 0..3 {
            let v = run_json(
                &interp.path,
                self.runner,
                &args,
                self.dir,
                self.opts.timeout,
            )
            .map_err(|e| format!("Python {}: {label}: {e}", interp.python.label()))?;
            let drift = v["drift"].as_f64().map_or(0.0, f64::abs);
            if best.as_ref().map_or(true, |(d, _)| drift < *d) {
                best = Some((drift, v));
            }
            if drift <= MAX_DRIFT {
                break;
            }
            self.retried += 1;
        }
        let Some((drift, v)) = best else {
            return Ok(());
        };
        if drift > MAX_DRIFT {
            self.unsteady += 1;
        }
        if let Some(why) = v["unavailable"].as_str() {
            progress(&format!(
                "[{step}/{total}] Python {}: {label}: unavailable ({why})",
                interp.python.label()
            ));
            return Ok(());
        }
        let wall = v["wall_s"]
            .as_f64()
            .filter(|x| x.is_finite() && *x > 0.0)
            .ok_or_else(|| format!("{label}: the runner reported no wall time"))?;
        progress(&format!(
            "[{step}/{total}] Python {}: {label}: {wall:.3} s ({:.0} s so far)",
            interp.python.label(),
            self.started.elapsed().as_secs_f64()
        ));
        let m = slot.get_or_insert_with(|| Measurement {
            case: case.clone(),
            model: model.clone(),
            start_method: method.clone(),
            workers: *workers,
            version: interp.version.clone(),
            python: interp.python.label(),
            gil_disabled: interp.python.free_threaded
                && !v["gil_enabled"].as_bool().unwrap_or(true),
            seed: v["seed"].as_u64().unwrap_or(0),
            wall_s: Vec::new(),
            cpu_ms: Vec::new(),
            probe_ns: Vec::new(),
            p50_ms: Vec::new(),
            run_cpu_ms: Vec::new(),
            run_io_ms: Vec::new(),
            workload: v["workload"].clone(),
        });
        m.wall_s.push(wall);
        if let Some(ms) = first_python_ms(&v["workload"]) {
            m.cpu_ms.push(ms);
        }
        if let Some(p) = v["probe_ns"].as_f64().filter(|x| x.is_finite() && *x > 0.0) {
            m.probe_ns.push(p);
        }
        if let Some(p50) = v["server"]["latency_ms"]["p50"].as_f64() {
            m.p50_ms.push(p50);
        }
        let positive = |x: &Value| x.as_f64().filter(|x| x.is_finite() && *x > 0.0);
        if let Some(ms) = positive(&v["run"]["cpu_ms"]) {
            m.run_cpu_ms.push(ms);
        }
        if let Some(ms) = positive(&v["run"]["io_ms"]) {
            m.run_io_ms.push(ms);
        }
        Ok(())
    }
}

/// How unsettled a measurement's median is: the spread (highest over
/// lowest, less one) of the three repeats around the median, of the figure
/// its speedup is taken from (the median latency for a server case, the
/// normalised wall time otherwise). With three repeats that is all of them;
/// with more, a repeat caught by a slow or fast spell at either end stops
/// counting, so further passes settle a median that outliers moved.
pub fn repeat_spread(m: &Measurement) -> f64 {
    let mut xs = if !m.p50_ms.is_empty() {
        m.p50_ms.clone()
    } else {
        normalised_walls(m)
    };
    xs.retain(|x| x.is_finite() && *x > 0.0);
    xs.sort_by(f64::total_cmp);
    let (lo, hi) = match xs.len() {
        0 => return 0.0,
        1 | 2 => (xs[0], xs[xs.len() - 1]),
        n => {
            let k = (n - 1) / 2;
            (xs[k - 1], xs[k + 1])
        }
    };
    hi / lo - 1.0
}

/// The plan entries to run again: every measured configuration whose
/// repeats spread more than [`NOISY_SPREAD`], and the sequential baseline
/// of its case and interpreter, in plan order.
fn unsettled(plan: &[(Interpreter, Config)], results: &[Option<Measurement>]) -> Vec<usize> {
    let mut again = vec![false; plan.len()];
    for (k, (interp, (case, ..))) in plan.iter().enumerate() {
        if results[k]
            .as_ref()
            .is_some_and(|m| repeat_spread(m) > NOISY_SPREAD)
        {
            again[k] = true;
            if let Some(b) = plan
                .iter()
                .position(|(i, c)| i.path == interp.path && &c.0 == case && c.1 == "sequential")
            {
                again[b] = true;
            }
        }
    }
    (0..plan.len()).filter(|&k| again[k]).collect()
}

/// Run the suite on every interpreter. `progress` receives one line per run.
pub fn measure(
    opts: &Options,
    progress: &mut dyn FnMut(&str),
) -> Result<(MachineInfo, Vec<Measurement>), String> {
    if opts.pythons.is_empty() {
        return Err("give at least one --python".into());
    }
    let dir = ScriptDir::new(&[("harness.py", HARNESS_PY), ("validate.py", VALIDATE_PY)])?;
    let runner = dir.path.join("validate.py");
    let harness = dir.path.join("harness.py");
    let listed = run_json_lines(&opts.pythons[0], &runner, &dir.path)?;
    let cases: Vec<String> = if opts.cases.is_empty() {
        listed
    } else {
        for c in &opts.cases {
            if !listed.contains(c) {
                return Err(format!(
                    "--cases: unknown case {c:?}; the suite has {}",
                    listed.join(", ")
                ));
            }
        }
        opts.cases.clone()
    };
    let mut plan = Vec::new();
    let mut machine = None;
    for p in &opts.pythons {
        let info = run_json(p, &harness, &["info"], &dir.path, Duration::from_secs(60))
            .map_err(|e| format!("{}: {e}", p.display()))?;
        let interp = interpreter_from_info(p, &info["info"])?;
        let methods: Vec<String> = info["info"]["start_methods"]
            .as_array()
            .map(|a| {
                ["fork", "forkserver", "spawn"]
                    .iter()
                    .filter(|m| a.iter().any(|x| x.as_str() == Some(m)))
                    .map(|m| m.to_string())
                    .collect()
            })
            .unwrap_or_default();
        let has_ipe = interp.python.minor >= 14;
        progress(&format!(
            "{}: Python {} on {}",
            p.display(),
            interp.version,
            interp.machine.cpu
        ));
        machine.get_or_insert(interp.machine.clone());
        for c in configs(&cases, &opts.workers, &methods, has_ipe) {
            plan.push((interp.clone(), c));
        }
    }
    let mut results: Vec<Option<Measurement>> = vec![None; plan.len()];
    let mut run = Runs {
        opts,
        runner: &runner,
        dir: &dir.path,
        started: Instant::now(),
        step: 0,
        total: plan.len() as u32 * opts.repeats,
        retried: 0,
        unsteady: 0,
    };
    for _ in 0..opts.repeats {
        for (k, (interp, cfg)) in plan.iter().enumerate() {
            run.one(interp, cfg, &mut results[k], progress)?;
        }
    }
    // Further passes for the configurations whose repeats still disagree,
    // each with its sequential baseline (speedups pair the two run by run).
    for pass in opts.repeats..opts.max_repeats.max(opts.repeats) {
        let noisy = unsettled(&plan, &results);
        if noisy.is_empty() {
            break;
        }
        progress(&format!(
            "pass {}: {} configurations whose repeats spread more than {:.0}%, with their baselines, run again",
            pass + 1,
            noisy.len(),
            NOISY_SPREAD * 100.0
        ));
        run.total += noisy.len() as u32;
        for k in noisy {
            let (interp, cfg) = &plan[k];
            run.one(interp, cfg, &mut results[k], progress)?;
        }
    }
    let (retried, unsteady) = (run.retried, run.unsteady);
    if retried > 0 {
        progress(&format!(
            "{retried} runs were repeated because the machine changed speed under them; {unsteady} stayed unsteady after three tries"
        ));
    }
    let machine = machine.ok_or("no interpreter ran")?;
    Ok((machine, results.into_iter().flatten().collect()))
}

/// How many times as long as while the profile was measured CPU work took
/// during repeat `i` of a measurement, as the timings taken around the run
/// say (what the run's own tasks measured refines it: [`in_run_mode`]).
///
/// Two clocks say it, each badly alone. The reference loop, timed before
/// and after every run, gives the level: the median of its times over every
/// run of the case on this interpreter, against its time during the
/// calibration. A single run's loop hardly tracks that run (within a
/// configuration, the report of 2026-11-23 has its times and the wall
/// times correlating at -0.12 to 0.26), so each run's departure from the
/// level comes from the case's own Python step, timed in the run's process
/// just before the run: its time in this repeat against its median over
/// every run of the case.
fn speed_factor(m: &Measurement, i: usize, all: &[Measurement], profile: &Profile) -> Option<f64> {
    let python: PythonVersion = m.python.parse().ok()?;
    let reference = profile
        .observations
        .iter()
        .find(|o| o.name == super::REFERENCE_KERNEL && o.python == Some(python) && o.value > 0.0)?;
    let factor = crate::profile::spec("switch_interval")?
        .dimension
        .units()
        .iter()
        .find(|(u, _)| *u == reference.unit)
        .map(|(_, f)| *f)?;
    let same = || {
        all.iter()
            .filter(|x| x.case == m.case && x.python == m.python)
    };
    let probes: Vec<f64> = same().flat_map(|x| x.probe_ns.iter().copied()).collect();
    let cpus: Vec<f64> = same().flat_map(|x| x.cpu_ms.iter().copied()).collect();
    if probes.is_empty() {
        return None;
    }
    let level = median(&probes) / (reference.value * factor);
    let own = match m.cpu_ms.get(i) {
        Some(c) if m.cpu_ms.len() == m.wall_s.len() && !cpus.is_empty() => c / median(&cpus),
        _ => 1.0,
    };
    let f = level * own;
    (f.is_finite() && f > 0.2 && f < 5.0).then_some(f)
}

/// How many times as long as the time taken before the run said repeat
/// `i`'s Python steps took during it, read from the tasks' own timings
/// (`run_cpu_ms`) as far as they can say it; 1 when the run has none.
///
/// This machine changes speed within a run, in spells: one server run's
/// 3 ms steps took 3.0 ms for most requests and about 4.6 ms for the rest,
/// so a run's own mean says more than any timing before it. But where
/// several cores were busy, a task's CPU time also holds the slower
/// all-core clock, which is the simulator's to predict, not the run's to
/// tell it. So `first`, the run simulated at the speed before the run, says
/// what the steps should have cost as they ran (its clock, and on a
/// free-threaded build its overhead and contention), the ratio of the
/// measured cost to that is the machine's own departure, and it counts in
/// proportion to the share of the all-core slowdown the simulation did not
/// apply: fully for work that ran alone on the machine, not at all for work
/// that ran with every core busy (there the timing before the run stands).
fn in_run_mode(m: &Measurement, i: usize, first: &RunResult, costs: &Costs, ft: bool) -> f64 {
    let n = m.wall_s.len();
    if m.run_cpu_ms.len() != n || m.cpu_ms.len() != n {
        return 1.0;
    }
    let (run, before) = (m.run_cpu_ms[i], m.cpu_ms[i]);
    let b = &first.breakdown;
    if !(run > 0.0 && before > 0.0) || b.python_ns == 0 {
        return 1.0;
    }
    let py = b.python_ns as f64;
    let slowed = (b.python_ns + b.ft_overhead_ns + b.contention_ns + b.python_clock_ns) as f64 / py;
    // The simulator was given the step at the GIL build's cost (see
    // `workload_for`) and adds a free-threaded build's overhead back.
    let given = if ft {
        before / (1.0 + costs.ft_overhead_ppm as f64 / 1e6)
    } else {
        before
    };
    let departure = (run / (given * slowed)).clamp(0.25, 4.0);
    let full = 1e6 / costs.all_core_speed_ppm.max(1) as f64 - 1.0;
    let shared = if first.cores > 1 && full > 1e-9 {
        (b.python_clock_ns as f64 / py / full).clamp(0.0, 1.0)
    } else {
        0.0
    };
    1.0 + (1.0 - shared) * (departure - 1.0)
}

/// The first `python_ms` step of a runner's workload.
fn first_python_ms(workload: &Value) -> Option<f64> {
    workload["steps"]
        .as_array()?
        .iter()
        .find_map(|s| s.get("python_ms").and_then(Value::as_f64))
        .filter(|x| x.is_finite() && *x > 0.0)
}

/// The share of a task's time that is CPU work (Python or native steps),
/// the part that runs slower when the machine does.
fn cpu_share(workload: &Value) -> f64 {
    let Some(steps) = workload["steps"].as_array() else {
        return 1.0;
    };
    let (mut cpu, mut all) = (0.0, 0.0);
    for s in steps {
        for (k, v) in s.as_object().into_iter().flatten() {
            let ms = v.as_f64().unwrap_or(0.0).max(0.0);
            all += ms;
            if k != "io_ms" {
                cpu += ms;
            }
        }
    }
    if all > 0.0 {
        cpu / all
    } else {
        1.0
    }
}

/// The repeat whose CPU step, timed before its run, took the median time.
fn reference_repeat(m: &Measurement) -> usize {
    if m.cpu_ms.len() != m.wall_s.len() || m.cpu_ms.is_empty() {
        return 0;
    }
    let mut order: Vec<usize> = (0..m.cpu_ms.len()).collect();
    order.sort_by(|&a, &b| m.cpu_ms[a].total_cmp(&m.cpu_ms[b]));
    order[(order.len() - 1) / 2]
}

/// Every repeat's wall time with its CPU share scaled to the speed of the
/// reference repeat (see [`reference_repeat`]): whether the measurement of a
/// batch is settled enough to stop running it ([`repeat_spread`]) is judged
/// on these, so that a repeat run while the machine was slower does not
/// look like a disagreement. (The comparison itself simulates every repeat
/// at its own speed.)
fn normalised_walls(m: &Measurement) -> Vec<f64> {
    if m.cpu_ms.len() == m.wall_s.len() && !m.cpu_ms.is_empty() {
        let r = m.cpu_ms[reference_repeat(m)];
        let f = cpu_share(&m.workload);
        m.wall_s
            .iter()
            .zip(&m.cpu_ms)
            .map(|(w, c)| w * (f * r / c + (1.0 - f)))
            .collect()
    } else {
        m.wall_s.clone()
    }
}

/// The lowest and highest speedup of single repeats: repeat i of `m` over
/// repeat i of `seq` (the suite runs every configuration once per pass, so
/// both saw the machine at about the same time), by wall time or, for a
/// server, by median latency.
fn repeat_range(seq: &Measurement, m: &Measurement) -> Option<(f64, f64)> {
    let ratios: Vec<f64> = figures(seq)
        .iter()
        .zip(figures(m))
        .filter(|(_, y)| **y > 0.0)
        .map(|(x, y)| x / y)
        .filter(|r| r.is_finite())
        .collect();
    let lo = ratios.iter().copied().reduce(f64::min)?;
    let hi = ratios.iter().copied().reduce(f64::max)?;
    Some((lo, hi))
}

fn run_json_lines(python: &Path, script: &Path, dir: &Path) -> Result<Vec<String>, String> {
    let out = std::process::Command::new(python)
        .arg(script)
        .arg("--list")
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!("{} could not list the cases", python.display()));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect())
}

/// The simulator's scenario for a measurement on a machine with `cores`.
fn scenario_for(m: &Measurement, cores: u32) -> Result<Scenario, String> {
    let python: PythonVersion = m.python.parse()?;
    let model = match m.model.as_str() {
        "sequential" => Model::Sequential,
        "threads" if m.gil_disabled => Model::FreeThreading,
        "threads" => Model::Threads,
        "asyncio" => Model::Asyncio,
        "processes" => Model::Processes,
        "interpreters" => Model::Interpreters,
        other => return Err(format!("unknown runner model {other:?}")),
    };
    let mut s = Scenario::new(model);
    s.cores = cores.max(1);
    s.workers = m.workers.max(1);
    s.python = python;
    s.seed = m.seed;
    s.start_method = match &m.start_method {
        Some(x) => Some(x.parse::<StartMethod>()?),
        None => None,
    };
    Ok(s)
}

/// Repeat `i`'s workload as the simulator should run it: its `python_ms`
/// steps at that repeat's cost times `mode` (see [`in_run_mode`]), and as
/// the simulator defines them, CPU time on the GIL build. A free-threaded
/// interpreter measured its own (slower) Python steps, so they are divided
/// by one plus the profile's overhead for that build, which the simulator
/// adds back.
fn workload_for(
    m: &Measurement,
    i: usize,
    profile: &Profile,
    mode: f64,
) -> Result<Workload, String> {
    let python: PythonVersion = m.python.parse()?;
    let mut doc = m.workload.clone();
    // The runner's waits have always been time.sleep and asyncio.sleep
    // (and a server's caller sleeps until each arrival); reports from
    // before it said so in the workload are read that way.
    if let Some(o) = doc.as_object_mut() {
        o.entry("waits").or_insert_with(|| json!("sleep"));
    }
    // The kept workload holds the first repeat's costs.
    let mut factor = match (m.cpu_ms.get(i), m.cpu_ms.first()) {
        (Some(r), Some(f)) if *f > 0.0 && m.cpu_ms.len() == m.wall_s.len() => r / f,
        _ => 1.0,
    } * mode;
    if python.free_threaded {
        let costs = profile.costs(python)?;
        factor /= 1.0 + costs.ft_overhead_ppm as f64 / 1e6;
    }
    if factor != 1.0 {
        let scale = |steps: &mut Value| {
            for step in steps.as_array_mut().into_iter().flatten() {
                if let Some(ms) = step.get_mut("python_ms") {
                    if let Some(x) = ms.as_f64() {
                        *ms = json!(x * factor);
                    }
                }
            }
        };
        if let Some(steps) = doc.get_mut("steps") {
            scale(steps);
        }
        if let Some(groups) = doc.get_mut("groups").and_then(Value::as_array_mut) {
            for steps in groups.iter_mut().filter_map(|g| g.get_mut("steps")) {
                scale(steps);
            }
        }
    }
    Workload::from_value(&doc)
        .map_err(|e| format!("{} ({}): the runner's workload: {e}", m.case, m.model))
}

/// What a measurement's speedup is taken from, repeat by repeat: wall time
/// (s) for a batch, median latency (ms) for a server.
fn figures(m: &Measurement) -> &[f64] {
    if m.p50_ms.is_empty() {
        &m.wall_s
    } else {
        &m.p50_ms
    }
}

/// A measurement's repeats, each simulated under the conditions it ran in.
struct Predicted {
    /// Per repeat, what the speedup is taken from (see [`figures`]).
    figures: Vec<f64>,
    /// Per repeat, the simulated wall time (s).
    makespans: Vec<f64>,
    /// Per repeat, the factor the profile's costs were scaled by.
    speeds: Vec<f64>,
}

/// Simulate every repeat of `m` on `cores` with `profile`: the Python
/// steps at what they cost in that repeat and the profile's costs at the
/// speed the machine ran ([`speed_factor`], refined by [`in_run_mode`]).
fn predict_repeats(
    m: &Measurement,
    all: &[Measurement],
    profile: &Profile,
    cores: u32,
) -> Result<Predicted, String> {
    let scenario = scenario_for(m, cores)?;
    let python = scenario.python;
    let base_costs = profile.costs(python)?;
    let mut out = Predicted {
        figures: Vec::new(),
        makespans: Vec::new(),
        speeds: Vec::new(),
    };
    for i in 0..figures(m).len() {
        let speed = speed_factor(m, i, all, profile);
        let simulate = |mode: f64| -> Result<RunResult, String> {
            let f = speed.unwrap_or(1.0) * mode;
            let costs = if f == 1.0 {
                base_costs.clone()
            } else {
                profile.at_speed(python, f)?.costs(python)?
            };
            let w = workload_for(m, i, profile, mode)?;
            crate::sim::run(&scenario, &w, &costs, RunOptions::default()).map_err(|e| e.to_string())
        };
        let first = simulate(1.0)?;
        let mode = in_run_mode(m, i, &first, &base_costs, python.free_threaded);
        let (r, mode) = if (mode - 1.0).abs() > 1e-3 {
            (simulate(mode)?, mode)
        } else {
            (first, 1.0)
        };
        let figure = if m.p50_ms.is_empty() {
            r.makespan_ns as f64 / 1e9
        } else {
            r.server
                .as_ref()
                .map(|s| s.latency_ms.p50)
                .ok_or_else(|| format!("{}: the simulator gave no latencies", m.case))?
        };
        out.figures.push(figure);
        out.makespans.push(r.makespan_ns as f64 / 1e9);
        if let Some(f) = speed {
            out.speeds.push(f * mode);
        }
    }
    Ok(out)
}

/// Simulate every measurement with `profile` and compare: each repeat is
/// simulated under its own conditions, and the median of the simulated
/// repeats is set against the median of the measured ones.
pub fn predict_all(
    machine: &MachineInfo,
    measurements: &[Measurement],
    profile: &Profile,
) -> Result<(Vec<Row>, Summary), String> {
    let mut predicted: Vec<Option<Predicted>> = Vec::new();
    predicted.resize_with(measurements.len(), || None);
    let mut rows = Vec::new();
    for (k, m) in measurements.iter().enumerate() {
        if m.model == "sequential" {
            continue;
        }
        let Some(b) = measurements
            .iter()
            .position(|s| s.model == "sequential" && s.case == m.case && s.python == m.python)
        else {
            return Err(format!(
                "{} on {}: no sequential run to compare with",
                m.case, m.python
            ));
        };
        for j in [b, k] {
            if predicted[j].is_none() {
                predicted[j] = Some(predict_repeats(
                    &measurements[j],
                    measurements,
                    profile,
                    machine.cores,
                )?);
            }
        }
        let (Some(sp), Some(p)) = (&predicted[b], &predicted[k]) else {
            unreachable!("both were predicted above");
        };
        let seq = &measurements[b];
        let server = !m.p50_ms.is_empty();
        let measured_speedup = median(figures(seq)) / median(figures(m));
        let predicted_speedup = median(&sp.figures) / median(&p.figures).max(1e-12);
        let repeat_range = repeat_range(seq, m).unwrap_or((measured_speedup, measured_speedup));
        let beyond_range = if predicted_speedup > repeat_range.1 {
            predicted_speedup / repeat_range.1 - 1.0
        } else if predicted_speedup < repeat_range.0 {
            predicted_speedup / repeat_range.0 - 1.0
        } else {
            0.0
        };
        rows.push(Row {
            case: m.case.clone(),
            model: scenario_for(m, machine.cores)?.model.name().to_string(),
            start_method: m.start_method.clone(),
            workers: m.workers,
            python: m.python.clone(),
            measured_s: median(&m.wall_s),
            predicted_s: median(&p.makespans),
            measured_speedup,
            predicted_speedup,
            error: predicted_speedup / measured_speedup - 1.0,
            repeat_range,
            beyond_range,
            basis: if server {
                "median latency"
            } else {
                "wall time"
            },
            simulated: p.figures.iter().map(|x| round_sig(*x)).collect(),
            baseline_simulated: sp.figures.iter().map(|x| round_sig(*x)).collect(),
            speed: (!p.speeds.is_empty()).then(|| median(&p.speeds)),
        });
    }
    let summary = summarise(&rows);
    Ok((rows, summary))
}

/// Four significant digits, as the runner reports its own figures.
fn round_sig(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(3 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

fn describe(r: &Row) -> String {
    format!(
        "{} {}{} x{} on {}",
        r.case,
        r.model,
        r.start_method
            .as_ref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default(),
        r.workers,
        r.python
    )
}

fn summarise(rows: &[Row]) -> Summary {
    let errs: Vec<f64> = rows.iter().map(|r| r.error.abs()).collect();
    let worst = rows
        .iter()
        .max_by(|a, b| a.error.abs().total_cmp(&b.error.abs()));
    Summary {
        cases: rows.len() as u32,
        median_abs_error: median(&errs),
        worst_abs_error: worst.map_or(0.0, |r| r.error.abs()),
        worst_case: worst.map(describe).unwrap_or_default(),
        within_10: errs.iter().filter(|e| **e <= 0.10).count() as u32,
        within_25: errs.iter().filter(|e| **e <= 0.25).count() as u32,
        beyond_range_25: rows.iter().filter(|r| r.beyond_range.abs() > 0.25).count() as u32,
        worst_beyond_range: rows
            .iter()
            .map(|r| r.beyond_range.abs())
            .fold(0.0, f64::max),
    }
}

/// The measurements of a saved report and where they were taken.
#[derive(Clone, Debug)]
pub struct Saved {
    /// The machine.
    pub machine: MachineInfo,
    /// The measurements.
    pub measurements: Vec<Measurement>,
    /// When.
    pub date: String,
    /// Interpreter versions.
    pub interpreters: Vec<String>,
    /// Whether the quick suite was run.
    pub quick: bool,
}

/// Read the measurements (and their machine) back from a saved report.
pub fn read_report(text: &str) -> Result<Saved, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if v["format"].as_str() != Some(FORMAT) {
        return Err(format!(
            "not an accuracy report (format should be {FORMAT:?})"
        ));
    }
    let machine = MachineInfo {
        cpu: v["machine"]["cpu"].as_str().unwrap_or_default().to_string(),
        cores: v["machine"]["cores"]
            .as_u64()
            .filter(|c| (1..=4096).contains(c))
            .ok_or("machine.cores: expected 1 to 4096")? as u32,
        os: v["machine"]["os"].as_str().unwrap_or_default().to_string(),
    };
    let list = v["measurements"]
        .as_array()
        .ok_or("measurements: expected a list")?;
    let nums = |x: &Value, what: &str| -> Result<Vec<f64>, String> {
        let a = x.as_array();
        let out: Vec<f64> = a
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_f64)
                    .filter(|f| f.is_finite() && *f > 0.0)
                    .collect()
            })
            .unwrap_or_default();
        if a.is_some_and(|a| a.len() != out.len()) {
            return Err(format!("{what}: expected positive numbers"));
        }
        Ok(out)
    };
    let mut ms = Vec::new();
    for (i, m) in list.iter().enumerate() {
        let s = |k: &str| m[k].as_str().map(str::to_string);
        let at = format!("measurements[{i}]");
        let wall_s = nums(&m["wall_s"], &format!("{at}.wall_s"))?;
        if wall_s.is_empty() {
            return Err(format!("{at}.wall_s: no wall time"));
        }
        ms.push(Measurement {
            case: s("case").ok_or(format!("{at}.case: missing"))?,
            model: s("model").ok_or(format!("{at}.model: missing"))?,
            start_method: s("start_method"),
            workers: m["workers"]
                .as_u64()
                .filter(|w| (1..=1024).contains(w))
                .ok_or(format!("{at}.workers: expected 1 to 1024"))? as u32,
            version: s("version").unwrap_or_default(),
            python: s("python").ok_or(format!("{at}.python: missing"))?,
            gil_disabled: m["gil_disabled"].as_bool().unwrap_or(false),
            seed: m["seed"].as_u64().unwrap_or(0),
            wall_s,
            cpu_ms: nums(&m["cpu_ms"], &format!("{at}.cpu_ms"))?,
            probe_ns: nums(&m["probe_ns"], &format!("{at}.probe_ns"))?,
            p50_ms: nums(&m["p50_ms"], &format!("{at}.p50_ms"))?,
            run_cpu_ms: nums(&m["run_cpu_ms"], &format!("{at}.run_cpu_ms"))?,
            run_io_ms: nums(&m["run_io_ms"], &format!("{at}.run_io_ms"))?,
            workload: m["workload"].clone(),
        });
    }
    let interpreters = v["interpreters"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Ok(Saved {
        machine,
        measurements: ms,
        date: v["date"].as_str().unwrap_or_default().to_string(),
        interpreters,
        quick: v["quick"].as_bool().unwrap_or(false),
    })
}

/// The report as Markdown: where, what, and every row.
pub fn markdown(r: &Report) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "# Simulator accuracy\n");
    let _ = writeln!(
        s,
        "Measured on {} with {} logical CPUs ({}), {}, with CPython {}{}. Predictions use the profile \"{}\".\n",
        r.machine.cpu,
        r.machine.cores,
        r.machine.os,
        r.date,
        r.interpreters.join(", "),
        if r.quick { " (quick suite)" } else { "" },
        r.profile
    );
    let sm = &r.summary;
    let _ = writeln!(
        s,
        "{} cases: median absolute error of predicted speedup {:.1}%, worst {:.1}% ({}); {} within 10%, {} within 25%.\n",
        sm.cases,
        sm.median_abs_error * 100.0,
        sm.worst_abs_error * 100.0,
        sm.worst_case,
        sm.within_10,
        sm.within_25
    );
    let _ = writeln!(
        s,
        "The measurement itself moves: the speedups of single repeats (each repeat over the sequential repeat of the same pass) span the range shown. {} predictions lie more than 25% outside their range; the farthest lies {:.1}% outside it.\n",
        sm.beyond_range_25,
        sm.worst_beyond_range * 100.0
    );
    let _ = writeln!(
        s,
        "Speedup is over sequential code on the same interpreter: of wall time for batch cases, of median latency for the server cases; measured, the medians of the measured repeats; predicted, the medians of the repeats simulated one by one, each under the conditions it ran in. Its Python steps cost what they cost in that run where they ran alone on the machine (every task times its own; where other cores were busy, the slower all-core clock is the simulator's to predict, so the time taken just before the run stands). Machine time is how many times as long CPU work took than during calibration, the median over the simulated repeats: the calibration's reference loop, timed around every run of the case, gives the level, and each repeat's Python step its departure from it; the profile's costs were scaled by it (\"-\": the profile or the run lacks the figure).\n"
    );
    let _ = writeln!(
        s,
        "| case | model | workers | Python | measured s | predicted s | measured speedup | repeats' range | predicted speedup | error | machine time |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|---|---|");
    for row in &r.rows {
        let _ = writeln!(
            s,
            "| {} | {}{} | {} | {} | {:.3} | {:.3} | {:.2} | {:.2}-{:.2} | {:.2} | {:+.1}% | {} |",
            row.case,
            row.model,
            row.start_method
                .as_ref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default(),
            row.workers,
            row.python,
            row.measured_s,
            row.predicted_s,
            row.measured_speedup,
            row.repeat_range.0,
            row.repeat_range.1,
            row.predicted_speedup,
            row.error * 100.0,
            row.speed.map_or("-".to_string(), |f| format!("x{f:.2}"))
        );
    }
    s
}

/// Build the report for measurements and predictions.
pub fn report(saved: Saved, profile: &Profile) -> Result<Report, String> {
    let (rows, summary) = predict_all(&saved.machine, &saved.measurements, profile)?;
    Ok(Report {
        format: FORMAT,
        date: saved.date,
        machine: saved.machine,
        interpreters: saved.interpreters,
        quick: saved.quick,
        profile: profile.name.clone(),
        measurements: saved.measurements,
        rows,
        summary,
    })
}

/// The report as JSON.
pub fn to_json(r: &Report) -> String {
    serde_json::to_string_pretty(&json!(r)).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measurement(wall_s: &[f64], cpu_ms: &[f64]) -> Measurement {
        Measurement {
            case: "cpu".into(),
            model: "threads".into(),
            start_method: None,
            workers: 2,
            version: "3.14.0".into(),
            python: "3.14".into(),
            gil_disabled: false,
            seed: 0,
            wall_s: wall_s.to_vec(),
            cpu_ms: cpu_ms.to_vec(),
            probe_ns: vec![9e6, 6e6, 6.2e6],
            p50_ms: Vec::new(),
            run_cpu_ms: Vec::new(),
            run_io_ms: Vec::new(),
            workload: json!({"name": "cpu", "tasks": 4, "steps": [{"python_ms": cpu_ms[0]}, {"io_ms": 1.0}]}),
        }
    }

    #[test]
    fn noisy_configurations_run_again_with_their_baselines() {
        let interp = |path: &str| Interpreter {
            path: path.into(),
            version: "3.14.0".into(),
            python: "3.14".parse().unwrap(),
            gil_enabled: true,
            switch_interval_s: None,
            machine: MachineInfo::default(),
        };
        let cfg = |case: &str, model: &str| (case.to_string(), model.to_string(), None, 2);
        let plan = vec![
            (interp("a"), cfg("cpu", "sequential")),
            (interp("a"), cfg("cpu", "threads")),
            (interp("a"), cfg("io", "sequential")),
            (interp("a"), cfg("io", "threads")),
            (interp("b"), cfg("cpu", "sequential")),
            (interp("b"), cfg("cpu", "threads")),
        ];
        let steady = measurement(&[1.0, 1.05, 1.1], &[3.0, 3.0, 3.0]);
        let noisy = measurement(&[1.0, 1.3, 1.1], &[3.0, 3.0, 3.0]);
        assert!((repeat_spread(&steady) - 0.1).abs() < 1e-9);
        assert!((repeat_spread(&noisy) - 0.3).abs() < 1e-9);
        // Five repeats: the outer two no longer count.
        let settled = measurement(&[0.5, 1.0, 1.02, 1.04, 1.6], &[3.0; 5]);
        assert!((repeat_spread(&settled) - 0.04).abs() < 1e-9);
        let results = vec![
            Some(steady.clone()),
            Some(steady.clone()),
            Some(steady.clone()),
            None,
            Some(steady.clone()),
            Some(noisy.clone()),
        ];
        // Only interpreter b's cpu threads disagree: it and b's cpu baseline
        // run again, not a's.
        assert_eq!(unsettled(&plan, &results), vec![4, 5]);
        // A server's spread is that of its median latencies.
        let mut server = steady.clone();
        server.case = "server".into();
        server.p50_ms = vec![10.0, 14.0, 11.0];
        assert!((repeat_spread(&server) - 0.4).abs() < 1e-9);
    }

    #[test]
    fn each_repeat_is_simulated_at_its_own_cost() {
        // The first repeat ran while the machine was twice as slow; the
        // kept workload holds its 6 ms steps.
        let m = measurement(&[1.0, 0.5, 0.52], &[6.0, 3.0, 3.2]);
        let profile = Profile::published();
        let step = |i: usize, mode: f64| match &workload_for(&m, i, &profile, mode).unwrap().groups
            [0]
        .steps[0]
        {
            crate::workload::Step::Python(ms) => *ms,
            other => panic!("{other:?}"),
        };
        assert!((step(0, 1.0) - 6.0).abs() < 1e-9);
        assert!((step(1, 1.0) - 3.0).abs() < 1e-9);
        assert!((step(2, 1.0) - 3.2).abs() < 1e-9);
        assert!((step(2, 1.25) - 4.0).abs() < 1e-9);
        // I/O steps stay as measured.
        let w = workload_for(&m, 1, &profile, 1.5).unwrap();
        assert!(matches!(w.groups[0].steps[1], crate::workload::Step::Io(ms) if ms == 1.0));
        // The repeats' walls and the median one, as the comparison takes them.
        assert_eq!(figures(&m), &[1.0, 0.5, 0.52]);
        // Without CPU steps every repeat runs the kept workload.
        let mut io = m.clone();
        io.cpu_ms.clear();
        assert!(
            (workload_for(&io, 2, &profile, 1.0).unwrap().groups[0].steps[0].ms() - 6.0).abs()
                < 1e-9
        );
    }

    #[test]
    fn the_case_sets_the_speed_level_and_each_run_its_departure() {
        // The profile timed the reference loop at 5 ms on 3.14.
        let mut profile = Profile::published();
        profile.observations.push(crate::profile::Observation {
            name: crate::calibrate::REFERENCE_KERNEL.into(),
            python: Some("3.14".parse().unwrap()),
            value: 5.0,
            unit: "ms".into(),
            spread: 0.0,
            repeats: 5,
            meaning: String::new(),
        });
        // Two runs of the case: their loops took 9, 6 and 6.2 ms (median of
        // the six: 6.2 ms, so the machine ran 1.24 times as long as then).
        let slow = measurement(&[1.0, 1.1, 1.2], &[4.0, 4.0, 4.0]);
        let fast = measurement(&[0.5, 0.55, 0.6], &[2.0, 2.0, 2.0]);
        let all = [slow.clone(), fast.clone()];
        // The case's Python step took 3 ms at the median; 4 ms in the slow
        // run's repeats and 2 ms in the fast one's.
        let f = |m: &Measurement, i| speed_factor(m, i, &all, &profile).unwrap();
        assert!(
            (f(&slow, 0) - 1.24 * 4.0 / 3.0).abs() < 1e-9,
            "{}",
            f(&slow, 0)
        );
        assert!(
            (f(&fast, 2) - 1.24 * 2.0 / 3.0).abs() < 1e-9,
            "{}",
            f(&fast, 2)
        );
        // A run's own loop times count only towards the case's level: a run
        // whose loop took 30 ms gets the factor of one like it whose loop
        // took 6 to 9.
        let mut odd = fast.clone();
        odd.probe_ns = vec![30e6, 30e6, 30e6];
        let all = [slow, odd.clone(), fast.clone()];
        let (a, b) = (
            speed_factor(&odd, 1, &all, &profile),
            speed_factor(&fast, 1, &all, &profile),
        );
        assert_eq!(a, b);
        // Without the profile's loop time there is no factor.
        assert!(speed_factor(&odd, 0, &all, &Profile::published()).is_none());
    }

    /// Repeat 0 of `m` simulated on two cores at the cost timed before it.
    fn simulate_first(m: &Measurement, profile: &Profile, costs: &Costs) -> RunResult {
        let w = workload_for(m, 0, profile, 1.0).unwrap();
        crate::sim::run(
            &scenario_for(m, 2).unwrap(),
            &w,
            costs,
            RunOptions::default(),
        )
        .unwrap()
    }

    /// A run of a server whose steps ran alone, or with every core busy.
    fn server_run(model: &str, workers: u32, before: f64, during: f64) -> Measurement {
        let mut m = measurement(&[3.0], &[before]);
        m.case = "server".into();
        m.model = model.into();
        m.workers = workers;
        m.p50_ms = vec![20.0];
        m.run_cpu_ms = vec![during];
        m.workload = json!({"name": "server", "accept": "caller",
            "arrivals": {"rate_per_s": 100.0, "duration_s": 1.0},
            "steps": [{"python_ms": before}, {"io_ms": 5.0}]});
        m
    }

    #[test]
    fn what_the_tasks_measured_during_a_lone_run_sets_its_cost() {
        let profile = Profile::published();
        let python: PythonVersion = "3.14".parse().unwrap();
        let costs = profile.costs(python).unwrap();
        // A sequential server whose 3 ms steps took 3.6 ms on average while
        // it ran: nothing else was busy, so all of the departure counts.
        let m = server_run("sequential", 1, 3.0, 3.6);
        let first = simulate_first(&m, &profile, &costs);
        assert_eq!(first.breakdown.python_clock_ns, 0);
        assert!((in_run_mode(&m, 0, &first, &costs, false) - 1.2).abs() < 1e-9);
        // Its simulated median latency follows: at 80% load a fifth more
        // work per request queues much longer.
        let p = predict_repeats(&m, std::slice::from_ref(&m), &profile, 2).unwrap();
        let mut plain = m.clone();
        plain.run_cpu_ms.clear();
        let q = predict_repeats(&plain, std::slice::from_ref(&plain), &profile, 2).unwrap();
        assert!(
            p.figures[0] > q.figures[0] * 1.2,
            "{} vs {}",
            p.figures[0],
            q.figures[0]
        );
        assert!(
            p.speeds.is_empty(),
            "the published profile has no loop time"
        );
    }

    #[test]
    fn the_all_core_clock_is_the_simulators_not_the_runs() {
        // The shipped profile measured cores running slower when both are busy.
        let profile = Profile::shipped();
        let python: PythonVersion = "3.14".parse().unwrap();
        let costs = profile.costs(python).unwrap();
        assert!(costs.all_core_speed_ppm < 1_000_000);
        // A CPU-bound batch of processes keeps both cores busy: the tasks'
        // CPU time holds the all-core clock, and whatever it says, the
        // timing before the run stands.
        let mut m = measurement(&[1.0], &[10.0]);
        m.model = "processes".into();
        m.start_method = Some("fork".into());
        m.workload = json!({"name": "cpu", "tasks": 64, "steps": [{"python_ms": 10.0}]});
        let first = simulate_first(&m, &profile, &costs);
        let b = first.breakdown;
        assert!(b.python_clock_ns > 0 && b.python_clock_ns <= b.clock_ns);
        let shared = b.python_clock_ns as f64
            / b.python_ns as f64
            / (1e6 / costs.all_core_speed_ppm as f64 - 1.0);
        assert!(shared > 0.95, "{shared}");
        for during in [10.0, 13.0, 20.0] {
            m.run_cpu_ms = vec![during];
            let mode = in_run_mode(&m, 0, &first, &costs, false);
            assert!(
                (mode - 1.0).abs() < 0.05 * (during / 10.0),
                "{during}: {mode}"
            );
        }
        // Without the tasks' timings (a report from before them) nothing changes.
        m.run_cpu_ms.clear();
        assert_eq!(in_run_mode(&m, 0, &first, &costs, false), 1.0);
    }

    #[test]
    fn the_comparison_is_of_medians_of_repeats() {
        // A sequential baseline and a two-thread run of the same I/O
        // batch, three repeats each: the measured speedup is the ratio of
        // the median walls, whatever order the repeats came in.
        let io = |model: &str, walls: &[f64]| {
            let mut m = measurement(walls, &[1.0]);
            m.cpu_ms.clear();
            m.case = "io".into();
            m.model = model.into();
            m.workers = if model == "sequential" { 1 } else { 2 };
            m.workload = json!({"name": "io", "tasks": 8, "steps": [{"io_ms": 10.0}]});
            m
        };
        let ms = [
            io("sequential", &[0.08, 0.09, 0.081]),
            io("threads", &[0.05, 0.04, 0.041]),
        ];
        let machine = MachineInfo {
            cores: 2,
            ..MachineInfo::default()
        };
        let (rows, summary) = predict_all(&machine, &ms, &Profile::published()).unwrap();
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert!((r.measured_speedup - 0.081 / 0.041).abs() < 1e-12);
        assert!((r.measured_s - 0.041).abs() < 1e-12);
        // Eight 10 ms waits: 80 ms one at a time, 40 ms two at a time.
        assert!(
            (r.predicted_speedup - 2.0).abs() < 0.05,
            "{}",
            r.predicted_speedup
        );
        assert_eq!(r.repeat_range, (0.08 / 0.05, 0.09 / 0.04));
        // Every repeat's simulated figure is kept beside the measured ones.
        assert_eq!((r.simulated.len(), r.baseline_simulated.len()), (3, 3));
        let ratio = median(&r.baseline_simulated) / median(&r.simulated);
        assert!((ratio / r.predicted_speedup - 1.0).abs() < 1e-3, "{ratio}");
        assert_eq!(summary.cases, 1);
    }
}
