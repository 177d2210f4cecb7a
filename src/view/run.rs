//! Running a view: every compared model once with its trace, a sweep over
//! worker counts for the scaling chart, and the verdict, all from the
//! simulation core. Bounded: each run has an event budget small enough that
//! a browser tab stays responsive, and a run that needs more says so.

use super::ViewState;
use crate::model::Model;
use crate::predict::{baseline, predict_with, sweep_bounded, Prediction, SweepPoint};
use crate::profile::Profile;
use crate::sim::{RunOptions, SimError};
use crate::verdict::verdict;
use crate::workload::{Arrival, Workload};

/// Event budget of one traced run in the app. The sweep's runs get a tenth
/// each, so that a view of five models costs at most about 14 M events
/// (a few seconds in the slowest browsers) however large its workload.
pub const VIEW_MAX_EVENTS: u64 = 1_500_000;

/// Worker counts the scaling chart sweeps (those up to its largest).
pub const SWEEP_WORKERS: [u32; 9] = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/// One compared model's run, or why it has none.
#[derive(Clone, Debug)]
pub struct ModelRun {
    /// Model.
    pub model: Model,
    /// Workers.
    pub workers: u32,
    /// The prediction with its trace, or a plain-words reason.
    pub outcome: Result<Prediction, String>,
}

/// Offered load multiples the server charts sweep (of the workload's rates).
pub const LOAD_STEPS: [f64; 7] = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0];

/// One model serving one offered load.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadPoint {
    /// Model.
    pub model: Model,
    /// Requests offered per second (all streams).
    pub offered_per_s: f64,
    /// Requests completed per second.
    pub throughput_per_s: f64,
    /// Median latency (ms).
    pub p50_ms: f64,
    /// 95th-percentile latency (ms).
    pub p95_ms: f64,
    /// 99th-percentile latency (ms).
    pub p99_ms: f64,
}

/// Everything a view shows.
#[derive(Clone, Debug)]
pub struct ViewResult {
    /// The workload that ran.
    pub workload: Workload,
    /// Sequential wall time (s).
    pub baseline_s: f64,
    /// One run per compared model, in the view's order.
    pub runs: Vec<ModelRun>,
    /// Speedup against workers for each compared model.
    pub sweep: Vec<SweepPoint>,
    /// The verdict's sentences.
    pub verdict: Vec<String>,
    /// Servers: each model's throughput and latency at several offered
    /// loads (empty for batches, or when not asked for).
    pub load: Vec<LoadPoint>,
}

/// The workload with every arrival rate multiplied by `k`, if it stays a
/// valid workload.
fn at_load(w: &Workload, k: f64) -> Option<Workload> {
    let mut out = w.clone();
    for g in &mut out.groups {
        if let Arrival::Server { rate_per_s, .. } = &mut g.arrival {
            *rate_per_s *= k;
        }
    }
    Workload::from_value(&out.to_value()).ok()
}

/// Each model at each load in [`LOAD_STEPS`], within `max_events` a run;
/// a run over its budget is left out.
fn load_sweep(
    state: &ViewState,
    workload: &Workload,
    profile: &Profile,
    max_events: u64,
) -> Vec<LoadPoint> {
    let mut out = Vec::new();
    let opts = RunOptions {
        trace: false,
        max_events,
    };
    for &k in &LOAD_STEPS {
        let Some(w) = at_load(workload, k) else {
            continue;
        };
        let Ok(base) = baseline(&state.scenario(Model::Sequential, 1), &w, profile) else {
            continue;
        };
        for &(model, workers) in &state.models {
            let s = state.scenario(model, workers);
            if let Ok(p) = predict_with(&s, &w, profile, opts, Some(&base)) {
                if let (Some(t), Some(o), Some(l)) =
                    (p.throughput_per_s, p.offered_per_s, p.latency_ms.as_ref())
                {
                    out.push(LoadPoint {
                        model,
                        offered_per_s: o,
                        throughput_per_s: t,
                        p50_ms: l.p50,
                        p95_ms: l.p95,
                        p99_ms: l.p99,
                    });
                }
            }
        }
    }
    out
}

fn reason(e: SimError) -> String {
    match e {
        SimError::TooLarge { max_events } => format!(
            "too large to simulate in the page (more than {max_events} events): use fewer tasks or longer steps"
        ),
        other => other.to_string(),
    }
}

/// Run a view with `profile`, each run within `max_events` (the app uses
/// [`VIEW_MAX_EVENTS`]). Fails only when the workload itself is bad or the
/// sequential baseline cannot run; a model that cannot run has its reason.
pub fn compute(
    state: &ViewState,
    profile: &Profile,
    sweep_points: bool,
    max_events: u64,
) -> Result<ViewResult, String> {
    let workload = state.workload()?;
    let first = state.models.first().map_or(Model::Threads, |m| m.0);
    let base_scenario = state.scenario(first, 1);
    base_scenario.validate()?;
    let base = baseline(&base_scenario, &workload, profile).map_err(reason)?;
    let mut runs = Vec::with_capacity(state.models.len());
    for &(model, workers) in &state.models {
        let s = state.scenario(model, workers);
        let outcome = s.validate().and_then(|_| {
            let opts = RunOptions {
                trace: true,
                max_events,
            };
            predict_with(&s, &workload, profile, opts, Some(&base)).map_err(reason)
        });
        runs.push(ModelRun {
            model,
            workers,
            outcome,
        });
    }
    let preds: Vec<Prediction> = runs
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().cloned())
        .collect();
    let unavailable: Vec<(Model, String)> = runs
        .iter()
        .filter_map(|r| r.outcome.as_ref().err().map(|e| (r.model, e.clone())))
        .collect();
    let sweep = if sweep_points {
        let most = state
            .models
            .iter()
            .map(|m| m.1)
            .max()
            .unwrap_or(1)
            .max(state.cores);
        let ws: Vec<u32> = SWEEP_WORKERS
            .iter()
            .copied()
            .filter(|&w| w <= most)
            .collect();
        let models: Vec<Model> = state.models.iter().map(|m| m.0).collect();
        sweep_bounded(
            &base_scenario,
            &workload,
            profile,
            &models,
            &ws,
            max_events / 10,
        )
        .map_err(reason)?
    } else {
        Vec::new()
    };
    let load = if sweep_points && workload.is_server() {
        load_sweep(state, &workload, profile, max_events / 10)
    } else {
        Vec::new()
    };
    Ok(ViewResult {
        load,
        baseline_s: base.makespan_ns as f64 / 1e9,
        workload,
        verdict: verdict(&preds, &unavailable),
        runs,
        sweep,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_runs_every_model_with_a_trace() {
        let p = ViewState::from_query("preset=cpu-bound&cores=4&workers=4");
        let r = compute(&p.state, &Profile::shipped(), true, VIEW_MAX_EVENTS).unwrap();
        assert_eq!(r.runs.len(), 5);
        for run in &r.runs {
            let pred = run.outcome.as_ref().unwrap();
            assert!(pred.run.trace.is_some(), "{}", run.model);
        }
        assert!(!r.verdict.is_empty());
        // 5 models x workers 1, 2, 4.
        assert_eq!(r.sweep.len(), 15);
    }

    #[test]
    fn a_server_view_sweeps_the_offered_load() {
        let p =
            ViewState::from_query("preset=web-server&cores=4&models=threads,processes&workers=4");
        let r = compute(&p.state, &Profile::shipped(), true, VIEW_MAX_EVENTS).unwrap();
        assert_eq!(r.load.len(), 2 * LOAD_STEPS.len());
        for m in [Model::Threads, Model::Processes] {
            let pts: Vec<&LoadPoint> = r.load.iter().filter(|x| x.model == m).collect();
            // Offered load rises with the steps, and latency does not fall
            // as the load grows from a quarter to twice the preset's.
            assert!(pts
                .windows(2)
                .all(|w| w[1].offered_per_s > w[0].offered_per_s));
            assert!(pts.last().unwrap().p99_ms >= pts[0].p99_ms, "{m}");
        }
    }

    #[test]
    fn a_run_too_large_for_the_page_says_so() {
        let p = ViewState::from_query("preset=cpu-bound&models=threads,processes&workers=8");
        let r = compute(&p.state, &Profile::shipped(), true, 100).unwrap();
        for run in &r.runs {
            match &run.outcome {
                Ok(_) => panic!("{} ran within 100 events", run.model),
                Err(e) => assert!(e.contains("too large"), "{e}"),
            }
        }
        // The sweep's cells say so too, rather than failing the view.
        assert!(r.sweep.iter().any(|c| matches!(
            &c.outcome,
            crate::predict::SweepOutcome::Unavailable { unavailable } if unavailable.contains("events")
        )));
    }
}
