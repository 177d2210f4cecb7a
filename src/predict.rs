//! Predictions: a run of the simulator next to its sequential baseline,
//! summarised in the units people read (seconds, speedup, efficiency), and
//! sweeps of models over worker counts.
//!
//! This is what the command line prints and the web app charts. It resolves
//! the profile for each run's Python build, runs the baseline once per sweep,
//! and reports models a workload cannot use as unavailable with the reason.

use crate::model::Model;
use crate::profile::{Costs, Profile};
use crate::python::PythonVersion;
use crate::sim::{run, run_setup, Percentiles, RunOptions, RunResult, Scenario, Setup, SimError};
use crate::workload::Workload;
use serde::Serialize;
use std::collections::BTreeMap;

/// A run and its comparison with sequential execution.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prediction {
    /// Workload name.
    pub workload: String,
    /// Model.
    pub model: Model,
    /// Python build the model ran on.
    pub python: PythonVersion,
    /// Python build of the sequential baseline.
    pub baseline_python: PythonVersion,
    /// Cores.
    pub cores: u32,
    /// Workers.
    pub workers: u32,
    /// Threads per worker (hybrids).
    pub threads_per_worker: u32,
    /// Start method (process models).
    pub start_method: Option<String>,
    /// Wall time of the run (s).
    pub makespan_s: f64,
    /// Wall time of the sequential baseline (s).
    pub baseline_s: f64,
    /// Baseline time over this run's time (serving time for servers).
    pub speedup: f64,
    /// Speedup over the concurrency the model had (threads, or tasks in
    /// flight for asyncio), bounded by the cores.
    pub efficiency: f64,
    /// Core time per cause (s); adds up to cores x makespan.
    pub breakdown: BTreeMap<&'static str, f64>,
    /// Peak memory (bytes).
    pub peak_memory_bytes: u64,
    /// Requests per second (servers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throughput_per_s: Option<f64>,
    /// Offered requests per second (servers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offered_per_s: Option<f64>,
    /// Latency percentiles (servers) (ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<Percentiles>,
    /// Facts about the set-up.
    pub notes: Vec<String>,
    /// The underlying run.
    #[serde(skip)]
    pub run: RunResult,
}

/// Costs for one Python build, resolved from `profile` with the shipped
/// profile as fallback.
pub fn costs_for(profile: &Profile, python: PythonVersion) -> Result<Costs, SimError> {
    profile.costs(python).map_err(SimError::Invalid)
}

/// Run the sequential baseline of `scenario`.
pub fn baseline(
    scenario: &Scenario,
    workload: &Workload,
    profile: &Profile,
) -> Result<RunResult, SimError> {
    let b = scenario.baseline();
    let costs = costs_for(profile, b.python)?;
    run(&b, workload, &costs, RunOptions::default())
}

/// Predict one scenario.
pub fn predict(
    scenario: &Scenario,
    workload: &Workload,
    profile: &Profile,
) -> Result<Prediction, SimError> {
    predict_with(scenario, workload, profile, RunOptions::default(), None)
}

/// Predict one scenario with options, reusing a baseline run when given.
pub fn predict_with(
    scenario: &Scenario,
    workload: &Workload,
    profile: &Profile,
    opts: RunOptions,
    base: Option<&RunResult>,
) -> Result<Prediction, SimError> {
    let setup = Setup::resolve(scenario, workload)?;
    let costs = costs_for(profile, setup.python)?;
    let result = run_setup(scenario, setup, workload, &costs, opts)?;
    let owned;
    let base = match base {
        Some(b) => b,
        None => {
            owned = baseline(scenario, workload, profile)?;
            &owned
        }
    };
    Ok(summarise(workload, result, base))
}

/// Turn a run and its baseline into a prediction.
pub fn summarise(workload: &Workload, run: RunResult, base: &RunResult) -> Prediction {
    let secs = |ns: u64| ns as f64 / 1e9;
    let t = run.serving_ns.max(1);
    let speedup = base.serving_ns as f64 / t as f64;
    let setup = &run.setup;
    // What the model could overlap at most: its threads, or for asyncio the
    // tasks it keeps in flight, bounded by the cores.
    let parallel = match setup.model {
        Model::Sequential => 1,
        _ => setup.workers * setup.threads_per_worker,
    };
    let efficiency = speedup / parallel.min(run.cores).max(1) as f64;
    let breakdown = run
        .breakdown
        .items()
        .iter()
        .map(|&(k, v)| (k, secs(v)))
        .collect();
    Prediction {
        workload: workload.name.clone(),
        model: setup.model,
        python: setup.python,
        baseline_python: base.setup.python,
        cores: run.cores,
        workers: setup.workers,
        threads_per_worker: setup.threads_per_worker,
        start_method: setup.start_method.map(|m| m.name().to_string()),
        makespan_s: secs(run.makespan_ns),
        baseline_s: secs(base.serving_ns),
        speedup,
        efficiency,
        breakdown,
        peak_memory_bytes: run.peak_memory_bytes,
        throughput_per_s: run.server.as_ref().map(|s| s.throughput_per_s),
        offered_per_s: run.server.as_ref().map(|s| s.offered_per_s),
        latency_ms: run.server.as_ref().map(|s| s.latency_ms.clone()),
        notes: setup.notes.clone(),
        run,
    }
}

/// One cell of a sweep.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepPoint {
    /// Model.
    pub model: Model,
    /// Workers.
    pub workers: u32,
    /// The prediction, or why the model cannot run.
    #[serde(flatten)]
    pub outcome: SweepOutcome,
}

/// A sweep cell's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SweepOutcome {
    /// The model ran.
    Ran {
        /// Wall time (s).
        makespan_s: f64,
        /// Speedup against sequential.
        speedup: f64,
        /// Efficiency.
        efficiency: f64,
        /// Peak memory (bytes).
        peak_memory_bytes: u64,
        /// Servers: throughput (1/s).
        #[serde(skip_serializing_if = "Option::is_none")]
        throughput_per_s: Option<f64>,
        /// Servers: 99th-percentile latency (ms).
        #[serde(skip_serializing_if = "Option::is_none")]
        p99_ms: Option<f64>,
    },
    /// The model cannot run this workload.
    Unavailable {
        /// Why.
        unavailable: String,
    },
}

/// Sweep `models` over `workers` with everything else from `scenario`.
/// The sequential baseline runs once. Each cell runs within
/// [`SWEEP_CELL_MAX_EVENTS`], as in the web app; each model's sweep stops
/// after [`SWEEP_MODEL_FAILED_CELLS`] cells over that budget or
/// [`SWEEP_MODEL_BUDGET_CELLS`] cells' worth of events. Natively the
/// models run on separate threads (each model's cells are run in order on
/// one thread, so the result is the same and in the same order); on wasm32
/// they run one after another.
pub fn sweep(
    scenario: &Scenario,
    workload: &Workload,
    profile: &Profile,
    models: &[Model],
    workers: &[u32],
) -> Result<Vec<SweepPoint>, SimError> {
    sweep_bounded(
        scenario,
        workload,
        profile,
        models,
        workers,
        SWEEP_CELL_MAX_EVENTS,
    )
}

/// Event budget of one cell of [`sweep`]: a tenth of a single run's, as the
/// web app gives its sweep cells, so that a sweep of a workload too large to
/// simulate ends with reasons in seconds, not minutes.
pub const SWEEP_CELL_MAX_EVENTS: u64 = crate::sim::DEFAULT_MAX_EVENTS / 10;

/// How many cells' worth of events one model's sweep may simulate in all.
/// A sweep of up to 100 worker counts never reaches it; a longer one of
/// heavy cells may, and its remaining cells then say so.
pub const SWEEP_MODEL_BUDGET_CELLS: u64 = 100;

/// How many of one model's cells may go over their budget before its
/// remaining cells are not run: a workload too large to simulate at one
/// worker count is usually too large at the next, and each such cell spends
/// its whole budget to find out.
pub const SWEEP_MODEL_FAILED_CELLS: u32 = 10;

/// [`sweep`] with an event budget for each run: a run that needs more is a
/// cell with the reason instead of a result.
pub fn sweep_bounded(
    scenario: &Scenario,
    workload: &Workload,
    profile: &Profile,
    models: &[Model],
    workers: &[u32],
    max_events: u64,
) -> Result<Vec<SweepPoint>, SimError> {
    let base = baseline(scenario, workload, profile)?;
    let one = |model: Model| {
        sweep_model(
            scenario, workload, profile, model, workers, &base, max_events,
        )
    };
    #[cfg(not(target_arch = "wasm32"))]
    let per_model: Vec<Result<Vec<SweepPoint>, SimError>> = {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(models.len().max(1));
        if threads <= 1 {
            models.iter().map(|&m| one(m)).collect()
        } else {
            // Hand models out round-robin; collect back in model order.
            let mut slots: Vec<Option<Result<Vec<SweepPoint>, SimError>>> =
                (0..models.len()).map(|_| None).collect();
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let one = &one;
                        scope.spawn(move || {
                            models
                                .iter()
                                .enumerate()
                                .filter(|(i, _)| i % threads == t)
                                .map(|(i, &m)| (i, one(m)))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                for h in handles {
                    // A panicking thread leaves its slots empty; they become errors below.
                    if let Ok(done) = h.join() {
                        for (i, r) in done {
                            slots[i] = Some(r);
                        }
                    }
                }
            });
            slots
                .into_iter()
                .map(|s| {
                    s.unwrap_or_else(|| Err(SimError::Internal("a sweep thread panicked".into())))
                })
                .collect()
        }
    };
    #[cfg(target_arch = "wasm32")]
    let per_model: Vec<Result<Vec<SweepPoint>, SimError>> =
        models.iter().map(|&m| one(m)).collect();
    let mut out = Vec::with_capacity(models.len() * workers.len());
    for r in per_model {
        out.extend(r?);
    }
    Ok(out)
}

fn sweep_model(
    scenario: &Scenario,
    workload: &Workload,
    profile: &Profile,
    model: Model,
    workers: &[u32],
    base: &RunResult,
    max_events: u64,
) -> Result<Vec<SweepPoint>, SimError> {
    let mut out = Vec::with_capacity(workers.len());
    let mut cache = CostCache::default();
    let budget = max_events.saturating_mul(SWEEP_MODEL_BUDGET_CELLS);
    let mut spent = 0u64;
    let mut failed = 0u32;
    for &w in workers {
        let s = Scenario {
            model,
            workers: w,
            ..scenario.clone()
        };
        let outcome = if failed >= SWEEP_MODEL_FAILED_CELLS {
            SweepOutcome::Unavailable {
                unavailable: format!(
                    "not run: {failed} of this model's worker counts already needed more than {max_events} events each"
                ),
            }
        } else if spent >= budget {
            SweepOutcome::Unavailable {
                unavailable: format!(
                    "not run: this model's sweep reached its limit of {budget} events; sweep fewer worker counts"
                ),
            }
        } else {
            let (outcome, events) =
                sweep_cell_counted(&s, workload, profile, base, max_events, &mut cache)?;
            spent = spent.saturating_add(events);
            if events > max_events {
                failed += 1;
            }
            outcome
        };
        out.push(SweepPoint {
            model,
            workers: w,
            outcome,
        });
    }
    Ok(out)
}

/// The costs last resolved for a sweep, kept while the Python build stays
/// the same (resolving a profile is the slow part of a tiny run).
#[derive(Default)]
pub struct CostCache(Option<(PythonVersion, Costs)>);

/// One cell of a sweep: `scenario` run without a trace within
/// `max_events`, against `base`. A model that cannot run, or a run over
/// the budget, is a cell with the reason.
pub fn sweep_cell(
    scenario: &Scenario,
    workload: &Workload,
    profile: &Profile,
    base: &RunResult,
    max_events: u64,
    cache: &mut CostCache,
) -> Result<SweepOutcome, SimError> {
    sweep_cell_counted(scenario, workload, profile, base, max_events, cache).map(|(o, _)| o)
}

/// [`sweep_cell`] with the events the run simulated (more than `max_events`
/// when it went over the budget, none when the model cannot run).
fn sweep_cell_counted(
    scenario: &Scenario,
    workload: &Workload,
    profile: &Profile,
    base: &RunResult,
    max_events: u64,
    cache: &mut CostCache,
) -> Result<(SweepOutcome, u64), SimError> {
    let setup = match Setup::resolve(scenario, workload) {
        Err(SimError::Unavailable(why)) => {
            return Ok((SweepOutcome::Unavailable { unavailable: why }, 0))
        }
        Err(e) => return Err(e),
        Ok(setup) => setup,
    };
    let costs = match &cache.0 {
        Some((v, c)) if *v == setup.python => c.clone(),
        _ => {
            let c = costs_for(profile, setup.python)?;
            cache.0 = Some((setup.python, c.clone()));
            c
        }
    };
    let opts = RunOptions {
        trace: false,
        max_events,
    };
    Ok(match run_setup(scenario, setup, workload, &costs, opts) {
        Err(e @ SimError::TooLarge { .. }) => (
            SweepOutcome::Unavailable {
                unavailable: e.to_string(),
            },
            max_events.saturating_add(1),
        ),
        Err(e) => return Err(e),
        Ok(r) => {
            let events = r.events;
            let p = summarise(workload, r, base);
            (
                SweepOutcome::Ran {
                    makespan_s: p.makespan_s,
                    speedup: p.speedup,
                    efficiency: p.efficiency,
                    peak_memory_bytes: p.peak_memory_bytes,
                    throughput_per_s: p.throughput_per_s,
                    p99_ms: p.latency_ms.as_ref().map(|l| l.p99),
                },
                events,
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(cores: u32) -> Scenario {
        Scenario {
            model: Model::Threads,
            workers: 1,
            threads_per_worker: 1,
            cores,
            python: PythonVersion::gil(14),
            start_method: None,
            seed: 0,
            per_task: false,
        }
    }

    fn outcomes(points: &[SweepPoint]) -> Vec<String> {
        points
            .iter()
            .map(|p| match &p.outcome {
                SweepOutcome::Ran { .. } => "ran".to_string(),
                SweepOutcome::Unavailable { unavailable } => unavailable.clone(),
            })
            .collect()
    }

    #[test]
    fn cells_over_their_budget_say_so_until_the_model_stops_after_ten() {
        // Two or more threads sharing one core time-slice through four long
        // native steps: thousands of slices, far over 2,000 events.
        let w = Workload::from_json(
            r#"{"name": "long", "tasks": 4, "steps": [{"native_ms": 60000.0}]}"#,
        )
        .unwrap();
        let p = Profile::shipped();
        let counts: Vec<u32> = (1..=20).collect();
        let all = outcomes(
            &sweep_bounded(&scenario(1), &w, &p, &[Model::Threads], &counts, 2_000).unwrap(),
        );
        let tried = 1 + SWEEP_MODEL_FAILED_CELLS as usize;
        assert_eq!(all[0], "ran");
        for cell in &all[1..tried] {
            assert!(cell.contains("needs more than 2000 events"), "{cell}");
        }
        for cell in &all[tried..] {
            assert_eq!(
                cell,
                "not run: 10 of this model's worker counts already needed more than 2000 events each"
            );
        }
        // Until then, each cell is what it would be swept alone.
        for (i, n) in counts[..tried].iter().enumerate() {
            let alone = outcomes(
                &sweep_bounded(&scenario(1), &w, &p, &[Model::Threads], &[*n], 2_000).unwrap(),
            );
            assert_eq!(alone[0], all[i], "{n} workers");
        }
    }

    #[test]
    fn a_models_sweep_stops_once_it_has_simulated_its_budget() {
        let w =
            Workload::from_json(r#"{"name": "many", "tasks": 200, "steps": [{"python_ms": 1.0}]}"#)
                .unwrap();
        let p = Profile::shipped();
        let s = scenario(8);
        let one = sweep_bounded(&s, &w, &p, &[Model::Threads], &[4], 1_000_000).unwrap();
        assert_eq!(outcomes(&one), ["ran"]);
        // Find what one run costs, then give each cell room for two, so
        // that the model's budget holds SWEEP_MODEL_BUDGET_CELLS x 2 runs.
        let setup = Setup::resolve(
            &Scenario {
                workers: 4,
                ..s.clone()
            },
            &w,
        )
        .unwrap();
        let costs = costs_for(&p, setup.python).unwrap();
        let events = run_setup(
            &Scenario {
                workers: 4,
                ..s.clone()
            },
            setup,
            &w,
            &costs,
            RunOptions::default(),
        )
        .unwrap()
        .events;
        let counts = vec![4u32; (SWEEP_MODEL_BUDGET_CELLS * 2 + 20) as usize];
        let got = sweep_bounded(&s, &w, &p, &[Model::Threads], &counts, events * 2).unwrap();
        let got = outcomes(&got);
        let ran = got.iter().filter(|c| *c == "ran").count();
        assert_eq!(ran as u64, SWEEP_MODEL_BUDGET_CELLS * 2);
        assert!(got[..ran].iter().all(|c| c == "ran"));
        assert!(got[ran..]
            .iter()
            .all(|c| c.contains("reached its limit") && c.contains("sweep fewer worker counts")));
    }
}
