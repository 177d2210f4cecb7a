//! Running a view: every compared model once with its trace, a sweep over
//! worker counts for the scaling chart, for servers a sweep over offered
//! load, and the verdict, all from the simulation core. Bounded: each run
//! has an event budget, a run that needs more says so, and the work comes in
//! pieces ([`Job`]) that a page runs between frames.

use super::ViewState;
use crate::i18n::Sentence;
use crate::model::Model;
use crate::predict::{baseline, predict_with, sweep_cell, CostCache, Prediction, SweepPoint};
use crate::profile::Profile;
use crate::sim::{RunOptions, SimError};
use crate::verdict::sentences;
use crate::workload::{Arrival, Workload};

/// Event budget of one traced run in the app. Each sweep cell and load
/// point gets a tenth, so a view costs at most this much per model plus a
/// tenth per cell and point, however large its workload (the page runs
/// them in pieces: see [`Job`]).
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
    pub verdict: Vec<Sentence>,
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

/// What the page says when a run cannot be had: why a model cannot run
/// the workload (the page says "unavailable" itself), or the error.
pub fn reason(e: SimError) -> String {
    match e {
        SimError::Unavailable(why) => why,
        SimError::TooLarge { max_events } => format!(
            "too large to simulate in the page (more than {max_events} events): use fewer tasks or longer steps"
        ),
        other => other.to_string(),
    }
}

/// One piece of a view's work.
#[derive(Clone, Copy, Debug)]
enum Piece {
    /// The traced run of the view's `i`th model.
    Run(usize),
    /// A sweep cell: the `i`th model at `w` workers.
    Sweep(usize, u32),
    /// The baseline at the `k`th offered load.
    LoadBase(usize),
    /// The `i`th model at the `k`th offered load.
    Load(usize, usize),
}

/// A view's runs, done a piece at a time so that a page can run them
/// between frames and stay responsive (and drop them when the view changes).
/// [`compute`] runs a job to the end at once.
pub struct Job {
    state: ViewState,
    profile: Profile,
    workload: Workload,
    max_events: u64,
    base_scenario: crate::sim::Scenario,
    base: crate::sim::RunResult,
    pieces: Vec<Piece>,
    next: usize,
    runs: Vec<ModelRun>,
    sweep: Vec<SweepPoint>,
    cache: CostCache,
    loads: Vec<(Workload, Option<crate::sim::RunResult>)>,
    load: Vec<LoadPoint>,
    failed: bool,
}

impl Job {
    /// Plan a view's work and run its sequential baseline. Fails only when
    /// the workload itself is bad or the baseline cannot run.
    pub fn new(
        state: &ViewState,
        profile: &Profile,
        sweep_points: bool,
        max_events: u64,
    ) -> Result<Job, String> {
        let workload = state.workload()?;
        let first = state.models.first().map_or(Model::Threads, |m| m.0);
        let base_scenario = state.scenario(first, 1);
        base_scenario.validate()?;
        // The baseline too stays within the budget (a sequential run needs
        // few events a task, so only absurd workloads reach it).
        let b = base_scenario.baseline();
        let costs = crate::predict::costs_for(profile, b.python).map_err(reason)?;
        let opts = RunOptions {
            trace: false,
            max_events,
        };
        let base = crate::sim::run(&b, &workload, &costs, opts).map_err(reason)?;
        let mut pieces: Vec<Piece> = (0..state.models.len()).map(Piece::Run).collect();
        let mut loads = Vec::new();
        if sweep_points {
            let most = state
                .models
                .iter()
                .map(|m| m.1)
                .max()
                .unwrap_or(1)
                .max(state.cores);
            for i in 0..state.models.len() {
                for &w in SWEEP_WORKERS.iter().filter(|&&w| w <= most) {
                    pieces.push(Piece::Sweep(i, w));
                }
            }
            if workload.is_server() {
                for &k in &LOAD_STEPS {
                    if let Some(w) = at_load(&workload, k) {
                        let kk = loads.len();
                        loads.push((w, None));
                        pieces.push(Piece::LoadBase(kk));
                        pieces.extend((0..state.models.len()).map(|i| Piece::Load(kk, i)));
                    }
                }
            }
        }
        Ok(Job {
            state: state.clone(),
            profile: profile.clone(),
            workload,
            max_events,
            base_scenario,
            base,
            pieces,
            next: 0,
            runs: Vec::new(),
            sweep: Vec::new(),
            cache: CostCache::default(),
            loads,
            load: Vec::new(),
            failed: false,
        })
    }

    /// Pieces done and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.pieces.len())
    }

    /// Whether every piece is done, or a piece failed (nothing more will
    /// be done).
    pub fn done(&self) -> bool {
        self.failed || self.next >= self.pieces.len()
    }

    /// Do the next piece (each within the job's event budget). Fails only
    /// on an internal error of the simulator, which ends the job.
    pub fn step(&mut self) -> Result<(), String> {
        let r = self.piece();
        if r.is_err() {
            self.failed = true;
        }
        r
    }

    fn piece(&mut self) -> Result<(), String> {
        let Some(&piece) = self.pieces.get(self.next) else {
            return Ok(());
        };
        self.next += 1;
        let sweep_budget = self.max_events / 10;
        match piece {
            Piece::Run(i) => {
                let (model, workers) = self.state.models[i];
                let s = self.state.scenario(model, workers);
                let opts = RunOptions {
                    trace: true,
                    max_events: self.max_events,
                };
                let outcome = s.validate().and_then(|_| {
                    predict_with(&s, &self.workload, &self.profile, opts, Some(&self.base))
                        .map_err(reason)
                });
                self.runs.push(ModelRun {
                    model,
                    workers,
                    outcome,
                });
            }
            Piece::Sweep(i, w) => {
                let model = self.state.models[i].0;
                let s = crate::sim::Scenario {
                    model,
                    workers: w,
                    ..self.base_scenario.clone()
                };
                let outcome = sweep_cell(
                    &s,
                    &self.workload,
                    &self.profile,
                    &self.base,
                    sweep_budget,
                    &mut self.cache,
                )
                .map_err(reason)?;
                self.sweep.push(SweepPoint {
                    model,
                    workers: w,
                    outcome,
                });
            }
            Piece::LoadBase(k) => {
                let s = self.state.scenario(Model::Sequential, 1);
                let b = baseline(&s, &self.loads[k].0, &self.profile).ok();
                self.loads[k].1 = b;
            }
            Piece::Load(k, i) => {
                let (w, b) = &self.loads[k];
                let Some(b) = b else { return Ok(()) };
                let (model, workers) = self.state.models[i];
                let s = self.state.scenario(model, workers);
                let opts = RunOptions {
                    trace: false,
                    max_events: sweep_budget,
                };
                // A run over its budget is left out of the chart.
                if let Ok(p) = predict_with(&s, w, &self.profile, opts, Some(b)) {
                    if let (Some(t), Some(o), Some(l)) =
                        (p.throughput_per_s, p.offered_per_s, p.latency_ms.as_ref())
                    {
                        self.load.push(LoadPoint {
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
        Ok(())
    }

    /// What the view shows: every piece done so far (all of them once
    /// [`Job::done`]).
    pub fn result(&self) -> ViewResult {
        ViewResult {
            workload: self.workload.clone(),
            baseline_s: self.base.makespan_ns as f64 / 1e9,
            verdict: verdict_of(&self.runs),
            runs: self.runs.clone(),
            sweep: self.sweep.clone(),
            load: self.load.clone(),
        }
    }
}

impl Job {
    /// The whole result, moved out of a finished job (without copying its
    /// traces, as [`Job::result`] does); the job is left empty.
    pub fn finish(&mut self) -> ViewResult {
        let mut r = ViewResult {
            workload: self.workload.clone(),
            baseline_s: self.base.makespan_ns as f64 / 1e9,
            verdict: Vec::new(),
            runs: std::mem::take(&mut self.runs),
            sweep: std::mem::take(&mut self.sweep),
            load: std::mem::take(&mut self.load),
        };
        r.verdict = verdict_of(&r.runs);
        r
    }
}

fn verdict_of(runs: &[ModelRun]) -> Vec<Sentence> {
    let preds: Vec<Prediction> = runs
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().cloned())
        .collect();
    let unavailable: Vec<(Model, String)> = runs
        .iter()
        .filter_map(|r| r.outcome.as_ref().err().map(|e| (r.model, e.clone())))
        .collect();
    sentences(&preds, &unavailable)
}

/// Run a view with `profile`, each run within `max_events` (the app uses
/// [`VIEW_MAX_EVENTS`]; a sweep or load point gets a tenth). Fails only
/// when the workload itself is bad or the sequential baseline cannot run; a
/// model that cannot run has its reason.
pub fn compute(
    state: &ViewState,
    profile: &Profile,
    sweep_points: bool,
    max_events: u64,
) -> Result<ViewResult, String> {
    let mut job = Job::new(state, profile, sweep_points, max_events)?;
    while !job.done() {
        job.step()?;
    }
    Ok(job.finish())
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
    fn a_job_done_piece_by_piece_gives_what_compute_gives() {
        let p = ViewState::from_query("preset=io-fanout&cores=4&models=threads,asyncio&workers=4");
        let all = compute(&p.state, &Profile::shipped(), true, VIEW_MAX_EVENTS).unwrap();
        let mut job = Job::new(&p.state, &Profile::shipped(), true, VIEW_MAX_EVENTS).unwrap();
        let (_, total) = job.progress();
        // Two traced runs, then 2 models x workers 1, 2, 4.
        assert_eq!(total, 2 + 6);
        let mut seen = 0;
        while !job.done() {
            job.step().unwrap();
            let (done, _) = job.progress();
            assert_eq!(done, seen + 1);
            seen = done;
            // Partial results grow as pieces finish.
            let r = job.result();
            assert_eq!(r.runs.len() + r.sweep.len(), done);
        }
        let r = job.result();
        assert_eq!(r.sweep, all.sweep);
        assert_eq!(r.verdict, all.verdict);
        for (a, b) in r.runs.iter().zip(&all.runs) {
            assert_eq!(
                a.outcome.as_ref().ok().map(|p| p.makespan_s),
                b.outcome.as_ref().ok().map(|p| p.makespan_s)
            );
        }
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
