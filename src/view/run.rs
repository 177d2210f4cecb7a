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
use crate::workload::Workload;

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
    Ok(ViewResult {
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
