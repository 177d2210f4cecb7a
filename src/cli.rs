//! Argument parsing and printing for the `parallel-universe` binary.
//!
//! Raw flags (`ScenarioArgs`) are turned into a validated `Scenario` and
//! `Workload` before anything runs; every failure becomes a one-line message
//! on standard error and a non-zero exit status (2 for bad input, 1 for a
//! model that cannot run the workload or a run that failed).

use clap::{Args, Parser, Subcommand};
use parallel_universe::gantt;
use parallel_universe::model::{Model, StartMethod};
use parallel_universe::predict::{predict_with, sweep, Prediction, SweepOutcome};
use parallel_universe::presets::{self, PRESETS};
use parallel_universe::profile::{Profile, Provenance, PARAMETERS};
use parallel_universe::python::PythonVersion;
use parallel_universe::sim::{RunOptions, Scenario, SimError};
use parallel_universe::workload::Workload;
use std::fmt::Write as _;

#[derive(Parser)]
#[command(
    name = "parallel-universe",
    version,
    about = "Predict how Python work scales across CPU cores under threads, asyncio, multiprocessing, sub-interpreters and free-threading",
    long_about = "Simulates CPython's execution models on a multi-core machine with a cost model from a calibration profile. \
                  Models: sequential, threads, asyncio, processes, interpreters, free-threading, processes+threads, interpreters+threads."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Predict one model's run of a workload and compare it with sequential.
    Predict {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Number of workers: threads, processes or interpreters; tasks in flight for
        /// asyncio (default: the preset's suggestion, else the core count).
        #[arg(long, value_name = "N")]
        workers: Option<u32>,
        /// Print one JSON object instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Run every model (or one) at one worker count and say which wins and why.
    Compare {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Number of workers (default: the preset's suggestion, else the core count).
        #[arg(long, value_name = "N")]
        workers: Option<u32>,
        /// Print JSON (the predictions, the unavailable models and the verdict).
        #[arg(long)]
        json: bool,
    },
    /// Print the scaling table of one or all models over worker counts.
    Sweep {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Worker counts: a range `1..64`, a list `1,2,4,8`, or one number.
        #[arg(long, value_name = "RANGE", default_value = "1,2,4,8,16,32,64")]
        workers: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Run one scenario and write its trace as JSON, or draw it.
    Trace {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Number of workers (default: the preset's suggestion, else the core count).
        #[arg(long, value_name = "N")]
        workers: Option<u32>,
        /// Write the JSON trace to this file (`-` for standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<String>,
        /// Print an ASCII Gantt chart of cores and GILs.
        #[arg(long)]
        gantt: bool,
        /// Width of the chart in columns.
        #[arg(long, default_value_t = 100)]
        width: u32,
    },
    /// List the named workloads.
    Presets {
        /// Print JSON (names, descriptions and workload documents).
        #[arg(long)]
        json: bool,
    },
    /// Inspect calibration profiles.
    Profile {
        #[command(subcommand)]
        action: ProfileAction,
    },
    /// Work with the guide and tutorials under content/.
    Content {
        #[command(subcommand)]
        action: ContentAction,
    },
    /// Measure the cost model on real CPython interpreters and write a profile.
    ///
    /// Runs the benchmark harness (calibrate/harness.py, built into this
    /// program) in fresh processes of each interpreter, shows progress on
    /// standard error, and writes a profile whose every figure carries its
    /// value, unit, spread and provenance. Figures whose repeats disagree too
    /// much are refused and listed; parameters no interpreter measured are
    /// carried over from the base profile.
    Calibrate {
        /// A CPython interpreter to measure (repeat for several: at most one
        /// per version and build). Give a free-threaded build together with
        /// the GIL build of its release to measure free-threading's overhead.
        #[arg(long = "python", value_name = "PATH", required = true)]
        pythons: Vec<String>,
        /// Where to write the profile.
        #[arg(long, value_name = "FILE")]
        out: String,
        /// Fewer repeats and smaller batches: a minute instead of several,
        /// noisier figures (for tests).
        #[arg(long)]
        quick: bool,
        /// Profile whose figures fill in what no interpreter measured
        /// (default: the published figures built into this program).
        #[arg(long, value_name = "FILE")]
        base: Option<String>,
        /// Run only this benchmark (repeat for several) and update the base
        /// profile with what it measures, keeping the rest of the base as it
        /// is: for example `--only handover --base profiles/default.json`.
        #[arg(long, value_name = "BENCH")]
        only: Vec<String>,
        /// Longest one benchmark may run, in seconds.
        #[arg(long, value_name = "S", default_value_t = 300)]
        timeout: u64,
    },
    /// Run real end-to-end workloads and compare them with the simulator.
    ///
    /// Runs calibrate/validate.py (built into this program) under each
    /// interpreter: CPU-bound, I/O-bound, mixed, payload-heavy, tiny-task and
    /// server cases with sequential code, ThreadPoolExecutor, asyncio,
    /// ProcessPoolExecutor for each start method and InterpreterPoolExecutor
    /// (3.14+), at each worker count; then simulates the same workloads on this
    /// machine's core count and reports measured and predicted speedups and
    /// the error. With --replay, re-predicts a saved report's measurements.
    Validate(ValidateArgs),
}

#[derive(Args)]
struct ValidateArgs {
    /// A CPython interpreter to run the suite under (repeatable).
    #[arg(long = "python", value_name = "PATH", conflicts_with = "replay")]
    pythons: Vec<String>,
    /// Re-predict the measurements of a saved report instead of running Python.
    #[arg(long, value_name = "REPORT")]
    replay: Option<String>,
    /// Calibration profile to predict with (default: the shipped profile).
    #[arg(long, value_name = "FILE")]
    profile: Option<String>,
    /// Smaller cases and one repeat (for tests).
    #[arg(long)]
    quick: bool,
    /// Worker counts.
    #[arg(long, value_name = "LIST", default_value = "1,2,4,8")]
    workers: String,
    /// Cases to run, comma-separated (default: all).
    #[arg(long, value_name = "LIST")]
    cases: Option<String>,
    /// Runs of each configuration (the median counts; default 3, 1 with --quick).
    #[arg(long, value_name = "N")]
    repeats: Option<u32>,
    /// Most runs of a configuration whose median is unsettled after
    /// --repeats (the three repeats around it spread more than 15%):
    /// further passes run those again, each with its sequential baseline
    /// (default 7; --repeats with --quick).
    #[arg(long, value_name = "N")]
    max_repeats: Option<u32>,
    /// Write the report as JSON (with the measurements, for --replay).
    #[arg(long, value_name = "FILE")]
    out: Option<String>,
    /// Write the report as Markdown.
    #[arg(long, value_name = "FILE")]
    markdown: Option<String>,
}

#[derive(Subcommand)]
enum ContentAction {
    /// Parse every chapter and lesson and write them as JSON for the site
    /// (Trunk runs this before each build). Refuses, listing what is wrong,
    /// if any file has an error.
    Build {
        /// The folder to write (the site serves it as `pages/`).
        #[arg(long, value_name = "DIR")]
        out: String,
        /// The repository (where `content/` is).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: String,
    },
}

#[derive(Subcommand)]
enum ProfileAction {
    /// Print every parameter of a profile with its value and provenance
    /// (the shipped default profile when no file is given).
    Show {
        /// A profile file.
        file: Option<String>,
        /// Resolve for this Python version (default: every entry as written).
        #[arg(long, value_name = "V")]
        python: Option<String>,
        /// Print the profile document as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct ScenarioArgs {
    /// A workload file (JSON).
    #[arg(long, value_name = "FILE", conflicts_with = "preset")]
    workload: Option<String>,
    /// A named workload (see `parallel-universe presets`).
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// Execution model: sequential, threads, asyncio, processes, interpreters,
    /// free-threading, processes+threads, interpreters+threads. predict and
    /// trace default to the preset's model; sweep and compare to `all`.
    #[arg(long, value_name = "MODEL")]
    model: Option<String>,
    /// Threads per process or interpreter in the hybrid models.
    #[arg(long, value_name = "T", default_value_t = 4)]
    threads: u32,
    /// Physical cores.
    #[arg(long, value_name = "C", default_value_t = 8)]
    cores: u32,
    /// Python version: 3.11, 3.12, 3.13, 3.13t, 3.14, 3.14t (free-threading runs on the t build).
    #[arg(long, value_name = "V", default_value = "3.14")]
    python: String,
    /// Start method for process models: fork, forkserver or spawn (default: the version's).
    #[arg(long, value_name = "M")]
    start_method: Option<String>,
    /// Calibration profile file (default: the shipped profile).
    #[arg(long, value_name = "FILE")]
    profile: Option<String>,
    /// Override a profile parameter, e.g. `--set thread_start=400us` or
    /// `--set ft_overhead:3.14t=0.1` (repeatable).
    #[arg(long, value_name = "NAME=VALUE")]
    set: Vec<String>,
    /// Seed for server arrivals.
    #[arg(long, value_name = "S", default_value_t = 0)]
    seed: u64,
    /// Start one worker per task instead of a pool (default: as the preset suggests).
    #[arg(long)]
    per_task: bool,
    /// Use a pool even when the preset starts one worker per task.
    #[arg(long, conflicts_with = "per_task")]
    pool: bool,
}

/// A failure: message and exit status.
struct Fail(String, i32);

impl From<SimError> for Fail {
    fn from(e: SimError) -> Self {
        let code = match e {
            SimError::Invalid(_) => 2,
            _ => 1,
        };
        Fail(e.to_string(), code)
    }
}

fn bad(msg: impl Into<String>) -> Fail {
    Fail(msg.into(), 2)
}

/// Every `--python` given, found on disk or on PATH.
fn find_pythons(given: &[String]) -> Result<Vec<std::path::PathBuf>, Fail> {
    given
        .iter()
        .map(|p| parallel_universe::calibrate::find_python(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(bad)
}

/// A failure that is not the input's fault (exit status 1).
fn fail(msg: impl Into<String>) -> Fail {
    Fail(msg.into(), 1)
}

/// Entry point; returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match dispatch(cli.command) {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(Fail(msg, code)) => {
            eprintln!("parallel-universe: {msg}");
            code
        }
    }
}

fn read_file(path: &str, what: &str) -> Result<String, Fail> {
    let meta =
        std::fs::metadata(path).map_err(|e| bad(format!("cannot read {what} {path}: {e}")))?;
    if meta.len() > parallel_universe::json::MAX_DOCUMENT_BYTES as u64 {
        return Err(bad(format!(
            "{what} {path} is {} bytes; the limit is 4 MiB",
            meta.len()
        )));
    }
    std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read {what} {path}: {e}")))
}

struct Loaded {
    scenario: Scenario,
    workload: Workload,
    profile: Profile,
    /// The model named, `None` for `all`.
    model: Option<Model>,
    suggested_workers: Option<u32>,
}

fn load(a: &ScenarioArgs, allow_all: bool) -> Result<Loaded, Fail> {
    let (workload, default_model, suggested_workers, suggested_per_task) =
        match (&a.workload, &a.preset) {
            (Some(path), None) => {
                let text = read_file(path, "workload")?;
                let w =
                    Workload::from_json(&text).map_err(|e| bad(format!("workload {path}: {e}")))?;
                (w, Model::Threads, None, false)
            }
            (None, Some(name)) => {
                let p = presets::get(name).ok_or_else(|| {
                    bad(format!(
                        "unknown preset {name:?}; presets: {}",
                        presets::names().join(", ")
                    ))
                })?;
                (p.workload(), p.model, p.workers, p.per_task)
            }
            (None, None) => {
                return Err(bad(
                    "give --workload FILE or --preset NAME (see `parallel-universe presets`)",
                ))
            }
            (Some(_), Some(_)) => return Err(bad("give either --workload or --preset, not both")),
        };
    let model = match a.model.as_deref() {
        Some("all") if allow_all => None,
        Some(m) => Some(m.parse::<Model>().map_err(bad)?),
        None if allow_all => None,
        None => Some(default_model),
    };
    let python: PythonVersion = a.python.parse().map_err(bad)?;
    let start_method = match &a.start_method {
        Some(s) => Some(s.parse::<StartMethod>().map_err(bad)?),
        None => None,
    };
    let profile = match &a.profile {
        Some(path) => {
            let text = read_file(path, "profile")?;
            Profile::from_json(&text).map_err(|e| bad(format!("profile {path}: {e}")))?
        }
        None => Profile::shipped(),
    };
    let mut profile = profile;
    for setting in &a.set {
        profile
            .apply_setting(setting)
            .map_err(|e| bad(e.to_string()))?;
    }
    let scenario = Scenario {
        model: model.unwrap_or(Model::Sequential),
        workers: a.cores,
        threads_per_worker: a.threads,
        cores: a.cores,
        python,
        start_method,
        seed: a.seed,
        per_task: (a.per_task || suggested_per_task) && !a.pool,
    };
    scenario.validate().map_err(bad)?;
    Ok(Loaded {
        scenario,
        workload,
        profile,
        model,
        suggested_workers,
    })
}

fn dispatch(cmd: Command) -> Result<String, Fail> {
    match cmd {
        Command::Predict {
            scenario,
            workers,
            json,
        } => {
            let mut l = load(&scenario, false)?;
            l.scenario.workers = workers.or(l.suggested_workers).unwrap_or(l.scenario.cores);
            l.scenario.validate().map_err(bad)?;
            let p = predict_with(
                &l.scenario,
                &l.workload,
                &l.profile,
                RunOptions::default(),
                None,
            )?;
            if json {
                Ok(serde_json::to_string_pretty(&p).unwrap_or_default() + "\n")
            } else {
                Ok(summary(&p))
            }
        }
        Command::Compare {
            scenario,
            workers,
            json,
        } => {
            let mut l = load(&scenario, true)?;
            l.scenario.workers = workers.or(l.suggested_workers).unwrap_or(l.scenario.cores);
            l.scenario.validate().map_err(bad)?;
            let models: Vec<Model> = match l.model {
                Some(m) => vec![Model::Sequential, m],
                None => Model::ALL.to_vec(),
            };
            let base = parallel_universe::predict::baseline(&l.scenario, &l.workload, &l.profile)?;
            let mut preds = Vec::new();
            let mut unavailable = Vec::new();
            for m in models {
                let s = Scenario {
                    model: m,
                    ..l.scenario.clone()
                };
                match predict_with(
                    &s,
                    &l.workload,
                    &l.profile,
                    RunOptions::default(),
                    Some(&base),
                ) {
                    Ok(p) => preds.push(p),
                    Err(SimError::Unavailable(why)) => unavailable.push((m, why)),
                    Err(e) => return Err(e.into()),
                }
            }
            let lines = parallel_universe::verdict::verdict(&preds, &unavailable);
            if json {
                let doc = serde_json::json!({
                    "predictions": preds,
                    "unavailable": unavailable.iter().map(|(m, why)| serde_json::json!({"model": m, "reason": why})).collect::<Vec<_>>(),
                    "verdict": lines,
                });
                return Ok(serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n");
            }
            Ok(compare_table(&l, &preds, &lines))
        }
        Command::Sweep {
            scenario,
            workers,
            json,
        } => {
            let l = load(&scenario, true)?;
            let counts = parse_workers(&workers)?;
            let models: Vec<Model> = match l.model {
                Some(m) => vec![m],
                None => Model::ALL.to_vec(),
            };
            let points = sweep(&l.scenario, &l.workload, &l.profile, &models, &counts)?;
            if json {
                Ok(serde_json::to_string_pretty(&points).unwrap_or_default() + "\n")
            } else {
                Ok(sweep_table(&l, &models, &counts, &points))
            }
        }
        Command::Trace {
            scenario,
            workers,
            out,
            gantt: draw,
            width,
        } => {
            let mut l = load(&scenario, false)?;
            l.scenario.workers = workers.or(l.suggested_workers).unwrap_or(l.scenario.cores);
            l.scenario.validate().map_err(bad)?;
            if out.is_none() && !draw {
                return Err(bad(
                    "give --out FILE (or - for standard output), --gantt, or both",
                ));
            }
            let opts = RunOptions {
                trace: true,
                ..RunOptions::default()
            };
            let p = predict_with(&l.scenario, &l.workload, &l.profile, opts, None)?;
            let trace = p.run.trace.clone().unwrap_or_default();
            let mut text = String::new();
            if let Some(path) = out {
                let doc = serde_json::json!({"prediction": &p, "trace": &trace});
                let body = serde_json::to_string(&doc).unwrap_or_default();
                if path == "-" {
                    text.push_str(&body);
                    text.push('\n');
                } else {
                    std::fs::write(&path, body)
                        .map_err(|e| Fail(format!("cannot write {path}: {e}"), 1))?;
                }
            }
            if draw {
                let _ = writeln!(
                    text,
                    "{} under {} on {} cores, Python {}",
                    p.workload, p.model, p.cores, p.python
                );
                text.push_str(&gantt::render(&trace, width));
            }
            Ok(text)
        }
        Command::Presets { json } => {
            if json {
                let list: Vec<_> = PRESETS
                    .iter()
                    .map(|p| {
                        serde_json::json!({"name": p.name, "title": p.title, "about": p.about, "source": p.source,
                            "model": p.model, "workers": p.workers, "workload": p.workload().to_value()})
                    })
                    .collect();
                return Ok(serde_json::to_string_pretty(&list).unwrap_or_default() + "\n");
            }
            let mut s = String::new();
            for p in PRESETS {
                let _ = writeln!(s, "{:<18} {}", p.name, p.title);
                let _ = writeln!(s, "{:<18} {}", "", p.about);
                let _ = writeln!(s, "{:<18} source: {}", "", p.source);
            }
            Ok(s)
        }
        Command::Content {
            action: ContentAction::Build { out, root },
        } => {
            match parallel_universe::content::build(
                std::path::Path::new(&root),
                std::path::Path::new(&out),
            ) {
                Ok(n) => Ok(format!("wrote {n} pages to {out}\n")),
                Err(errors) => Err(bad(format!(
                    "the content has errors; nothing written:\n{}",
                    errors.join("\n")
                ))),
            }
        }
        Command::Profile {
            action: ProfileAction::Show { file, python, json },
        } => {
            let profile = match &file {
                Some(path) => {
                    let text = read_file(path, "profile")?;
                    Profile::from_json(&text).map_err(|e| bad(format!("profile {path}: {e}")))?
                }
                None => Profile::shipped(),
            };
            if json {
                return Ok(profile.to_json_pretty() + "\n");
            }
            let version = match &python {
                Some(v) => Some(v.parse::<PythonVersion>().map_err(bad)?),
                None => None,
            };
            Ok(profile_text(&profile, version)?)
        }
        Command::Calibrate {
            pythons,
            out,
            quick,
            base,
            only,
            timeout,
        } => calibrate_command(pythons, out, quick, base, only, timeout),
        Command::Validate(args) => validate_command(args),
    }
}

fn validate_command(a: ValidateArgs) -> Result<String, Fail> {
    use parallel_universe::calibrate::{today, validate};
    let profile = match &a.profile {
        Some(path) => {
            let text = read_file(path, "profile")?;
            Profile::from_json(&text).map_err(|e| bad(format!("profile {path}: {e}")))?
        }
        None => Profile::shipped(),
    };
    for path in a.out.iter().chain(a.markdown.iter()) {
        if std::path::Path::new(path).is_dir() {
            return Err(bad(format!("{path} is a directory")));
        }
    }
    let saved = match &a.replay {
        Some(path) => {
            let text = read_file(path, "report")?;
            validate::read_report(&text).map_err(|e| bad(format!("report {path}: {e}")))?
        }
        None => {
            if a.pythons.is_empty() {
                return Err(bad("give --python PATH (one or more) or --replay REPORT"));
            }
            let pythons = find_pythons(&a.pythons)?;
            let workers = parse_workers(&a.workers)?;
            if workers.iter().any(|&w| w > 64) {
                return Err(bad("--workers: at most 64 real workers"));
            }
            let repeats = a.repeats.unwrap_or(if a.quick { 1 } else { 3 });
            if !(1..=20).contains(&repeats) {
                return Err(bad("--repeats: give 1 to 20"));
            }
            let max_repeats =
                a.max_repeats
                    .unwrap_or(if a.quick { repeats } else { repeats.max(7) });
            if !(repeats..=20).contains(&max_repeats) {
                return Err(bad(format!(
                    "--max-repeats: give {repeats} (--repeats) to 20"
                )));
            }
            let opts = validate::Options {
                pythons,
                quick: a.quick,
                workers,
                cases: a
                    .cases
                    .as_deref()
                    .map(|c| c.split(',').map(|x| x.trim().to_string()).collect())
                    .unwrap_or_default(),
                repeats,
                max_repeats,
                timeout: std::time::Duration::from_secs(300),
            };
            let (machine, ms) =
                validate::measure(&opts, &mut |line| eprintln!("{line}")).map_err(fail)?;
            let mut interpreters: Vec<String> = Vec::new();
            for m in &ms {
                let label = format!("{} ({})", m.version, m.python);
                if !interpreters.contains(&label) {
                    interpreters.push(label);
                }
            }
            validate::Saved {
                machine,
                measurements: ms,
                date: today(),
                interpreters,
                quick: a.quick,
            }
        }
    };
    let report = validate::report(saved, &profile).map_err(fail)?;
    let md = validate::markdown(&report);
    if let Some(path) = &a.out {
        std::fs::write(path, validate::to_json(&report))
            .map_err(|e| fail(format!("--out {path}: {e}")))?;
    }
    if let Some(path) = &a.markdown {
        std::fs::write(path, &md).map_err(|e| fail(format!("--markdown {path}: {e}")))?;
    }
    Ok(md)
}

fn calibrate_command(
    pythons: Vec<String>,
    out: String,
    quick: bool,
    base: Option<String>,
    only: Vec<String>,
    timeout: u64,
) -> Result<String, Fail> {
    use parallel_universe::calibrate::{calibrate, Options};
    let base = match &base {
        Some(path) => {
            let text = read_file(path, "profile")?;
            Profile::from_json(&text).map_err(|e| bad(format!("profile {path}: {e}")))?
        }
        None => Profile::published(),
    };
    let pythons = find_pythons(&pythons)?;
    if timeout == 0 || timeout > 3600 {
        return Err(bad("--timeout: give 1 to 3600 seconds"));
    }
    // Fail before measuring, not after, if the output cannot be written.
    std::fs::write(&out, "").map_err(|e| bad(format!("--out {out}: {e}")))?;
    let opts = Options {
        pythons,
        quick,
        base,
        only,
        timeout: std::time::Duration::from_secs(timeout),
    };
    let report = calibrate(&opts, &mut |line| eprintln!("{line}")).map_err(|e| {
        let _ = std::fs::remove_file(&out);
        bad(e)
    })?;
    // The profile must read back as written.
    let text = report.profile.to_json_pretty() + "\n";
    Profile::from_json(&text).map_err(|e| fail(format!("the measured profile is invalid: {e}")))?;
    std::fs::write(&out, &text).map_err(|e| fail(format!("--out {out}: {e}")))?;
    let measured = report
        .profile
        .parameters
        .iter()
        .filter(|e| matches!(e.provenance, Provenance::Measured { .. }))
        .count();
    let carried = report
        .profile
        .parameters
        .iter()
        .filter(|e| {
            matches!(
                e.provenance,
                Provenance::Published { .. } | Provenance::Estimate { .. }
            )
        })
        .count();
    let mut s = String::new();
    let whole = match report.remeasured {
        Some(n) => format!("{n} figures measured again, the rest as in the base profile"),
        None => {
            format!("{measured} measured figures, {carried} carried over from the base profile")
        }
    };
    let _ = writeln!(
        s,
        "wrote {out}: {whole}, {} refused as too noisy, {} unavailable",
        report.refused.len(),
        report.unavailable.len()
    );
    for r in &report.refused {
        let _ = writeln!(s, "  refused: {r}");
    }
    for u in &report.unavailable {
        let _ = writeln!(s, "  unavailable: {u}");
    }
    Ok(s)
}

fn parse_workers(s: &str) -> Result<Vec<u32>, Fail> {
    let err = || {
        bad(format!(
            "--workers {s:?}: expected a range like 1..64, a list like 1,2,4,8, or a number"
        ))
    };
    let max = parallel_universe::sim::MAX_WORKERS;
    let mut out = Vec::new();
    if let Some((a, b)) = s.split_once("..") {
        let a: u32 = a.trim().parse().map_err(|_| err())?;
        let b: u32 = b
            .trim()
            .trim_start_matches('=')
            .parse()
            .map_err(|_| err())?;
        if a == 0 || b < a || b > max {
            return Err(bad(format!(
                "--workers {s:?}: the range must lie within 1..{max} and not be empty"
            )));
        }
        out.extend(a..=b);
    } else {
        for part in s.split(',') {
            let n: u32 = part.trim().parse().map_err(|_| err())?;
            if n == 0 || n > max {
                return Err(bad(format!("--workers: {n} is outside 1..{max}")));
            }
            out.push(n);
        }
    }
    out.dedup();
    Ok(out)
}

fn mib(b: u64) -> String {
    format!("{:.1} MiB", b as f64 / 1_048_576.0)
}

fn summary(p: &Prediction) -> String {
    let mut s = String::new();
    let workers = match p.model {
        Model::Sequential => String::new(),
        Model::Asyncio => format!(", at most {} tasks in flight", p.workers),
        m if m.is_hybrid() => format!(
            " x {} workers x {} threads",
            p.workers, p.threads_per_worker
        ),
        _ => format!(" x {} workers", p.workers),
    };
    let _ = writeln!(
        s,
        "{}: {}{} on {} cores, Python {}",
        p.workload, p.model, workers, p.cores, p.python
    );
    if let Some(m) = &p.start_method {
        let _ = writeln!(s, "  start method   {m}");
    }
    let _ = writeln!(
        s,
        "  wall time      {:.4} s   (sequential on {}: {:.4} s)",
        p.makespan_s, p.baseline_python, p.baseline_s
    );
    let _ = writeln!(
        s,
        "  speedup        {:.2}x    efficiency {:.0}%",
        p.speedup,
        p.efficiency * 100.0
    );
    let _ = writeln!(s, "  peak memory    {}", mib(p.peak_memory_bytes));
    if let (Some(t), Some(l)) = (p.throughput_per_s, &p.latency_ms) {
        let _ = writeln!(
            s,
            "  throughput     {:.1} requests/s (offered {:.1})",
            t,
            p.offered_per_s.unwrap_or(0.0)
        );
        let _ = writeln!(
            s,
            "  latency        p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
            l.p50, l.p95, l.p99
        );
    }
    let total: f64 = p.breakdown.values().sum();
    let _ = writeln!(
        s,
        "  where the core time went ({} cores x {:.4} s = {:.4} core-s):",
        p.cores, p.makespan_s, total
    );
    let mut items: Vec<(&str, f64)> = p.breakdown.iter().map(|(k, v)| (*k, *v)).collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (k, v) in items {
        if v <= 0.0 {
            continue;
        }
        let share = if total > 0.0 { v / total } else { 0.0 };
        let bar = "#".repeat((share * 40.0).round() as usize);
        let _ = writeln!(s, "    {k:<12} {v:>10.4} s {:>5.1}%  {bar}", share * 100.0);
    }
    for n in &p.notes {
        let _ = writeln!(s, "  note: {n}");
    }
    s
}

fn compare_table(l: &Loaded, preds: &[Prediction], verdict: &[String]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} workers on {} cores, Python {}",
        l.workload.name, l.scenario.workers, l.scenario.cores, l.scenario.python
    );
    let _ = writeln!(
        s,
        "{:<22} {:>11} {:>9} {:>10} {:>11}",
        "model", "wall time", "speedup", "efficiency", "peak memory"
    );
    for p in preds {
        let _ = writeln!(
            s,
            "{:<22} {:>9.4} s {:>8.2}x {:>9.0}% {:>11}",
            p.model.name(),
            p.makespan_s,
            p.speedup,
            p.efficiency * 100.0,
            mib(p.peak_memory_bytes)
        );
    }
    s.push('\n');
    for line in verdict {
        let _ = writeln!(s, "{line}");
    }
    s
}

fn sweep_table(
    l: &Loaded,
    models: &[Model],
    counts: &[u32],
    points: &[parallel_universe::predict::SweepPoint],
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: speedup against sequential, {} cores, Python {}",
        l.workload.name, l.scenario.cores, l.scenario.python
    );
    if models.iter().any(|m| m.is_hybrid()) {
        let _ = writeln!(
            s,
            "(the hybrid models run {} threads in each worker)",
            l.scenario.threads_per_worker
        );
    }
    let _ = write!(s, "{:>8}", "workers");
    for m in models {
        let _ = write!(s, " {:>12}", m.name());
    }
    s.push('\n');
    let mut reasons = Vec::new();
    for &w in counts {
        let _ = write!(s, "{w:>8}");
        for &m in models {
            let cell = points
                .iter()
                .find(|p| p.model == m && p.workers == w)
                .map(|p| &p.outcome);
            match cell {
                Some(SweepOutcome::Ran { speedup, .. }) => {
                    let _ = write!(s, " {:>11.2}x", speedup);
                }
                Some(SweepOutcome::Unavailable { unavailable }) => {
                    let _ = write!(s, " {:>12}", "n/a");
                    if !reasons.iter().any(|(mm, _)| *mm == m) {
                        reasons.push((m, unavailable.clone()));
                    }
                }
                None => {
                    let _ = write!(s, " {:>12}", "");
                }
            }
        }
        s.push('\n');
    }
    for (m, why) in reasons {
        let _ = writeln!(s, "{m}: unavailable: {why}");
    }
    s
}

fn profile_text(profile: &Profile, version: Option<PythonVersion>) -> Result<String, Fail> {
    let mut s = String::new();
    let _ = writeln!(s, "{}", profile.name);
    if !profile.description.is_empty() {
        let _ = writeln!(s, "{}", profile.description);
    }
    if let Some(m) = &profile.machine {
        let _ = writeln!(s, "machine: {}, {} logical CPUs, {}", m.cpu, m.cores, m.os);
    }
    s.push('\n');
    match version {
        Some(v) => {
            let shipped = Profile::shipped();
            let resolved = profile.resolve(v, Some(&shipped)).map_err(bad)?;
            let _ = writeln!(s, "resolved for Python {v}:");
            for src in &resolved.sources {
                let e = &src.entry;
                let from = if src.from_fallback {
                    " [from the shipped profile]"
                } else {
                    ""
                };
                let _ = writeln!(
                    s,
                    "  {:<20} {:>10} {:<6} (entry for {}){from}",
                    src.name,
                    e.value.map(|x| format!("{x}")).unwrap_or_default(),
                    e.unit,
                    e.python
                        .map(|p| p.label())
                        .unwrap_or_else(|| "every version".into())
                );
                let _ = writeln!(s, "  {:<20} {}", "", e.provenance.describe());
            }
        }
        None => {
            for spec in PARAMETERS {
                let entries: Vec<_> = profile
                    .parameters
                    .iter()
                    .filter(|e| e.name == spec.name)
                    .collect();
                let _ = writeln!(s, "{}: {}", spec.name, spec.meaning);
                if entries.is_empty() {
                    let _ = writeln!(s, "    (not in this profile; the shipped value applies)");
                }
                for e in entries {
                    let v = e
                        .value
                        .map(|x| format!("{x} {}", e.unit))
                        .unwrap_or_else(|| "-".into());
                    let py = e
                        .python
                        .map(|p| p.label())
                        .unwrap_or_else(|| "all versions".into());
                    let _ = writeln!(s, "    {py:<13} {v:<14} {}", e.provenance.describe());
                }
            }
        }
    }
    Ok(s)
}
