//! The native calibration harness: measure the simulator's costs on real
//! CPython interpreters and write them as a profile.
//!
//! [`calibrate`] writes the benchmark script (`calibrate/harness.py`, kept in
//! the repository and compiled into the binary) to a temporary directory,
//! runs each benchmark in a fresh process of every interpreter it is given
//! (with `PYTHONDONTWRITEBYTECODE` cleared, so start-up times include the
//! bytecode caches a real installation has), and turns the repeats into
//! profile entries through the rules in [`mod@derive`]. A figure whose repeats
//! disagree by more than its rule allows is refused: the profile records it
//! as unavailable with the reason, and the run's report lists it. What an
//! interpreter lacks (sub-interpreters before 3.12, contention without a
//! free-threaded build) is recorded as unavailable, never guessed.
//! Parameters measured for no interpreter are carried over from a base
//! profile (the published figures) with their original provenance.

pub mod derive;
pub mod stats;
pub mod validate;

use crate::profile::{Dimension, Entry, MachineInfo, Observation, Profile, Provenance, FORMAT};
use crate::python::PythonVersion;
use derive::{BenchResult, Derived, Metrics};
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The benchmark script, as kept in `calibrate/harness.py`.
pub const HARNESS_PY: &str = include_str!("../../calibrate/harness.py");

/// The observation that records the machine's speed during calibration.
pub const REFERENCE_KERNEL: &str = "reference_kernel";

/// Benchmarks run for every interpreter, in order.
pub const BENCHES: &[&str] = &[
    "threads",
    "gil",
    "convoy",
    "os",
    "processes",
    "interpreters",
    "pickle",
    "pipe",
    "pools",
    "handover",
    "asyncio",
    "timers",
    "single",
    "contention",
];

/// What `calibrate` is asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// Interpreters to measure.
    pub pythons: Vec<PathBuf>,
    /// Fewer repeats and smaller batches (for tests; figures are noisier).
    pub quick: bool,
    /// Where parameters no interpreter measured come from.
    pub base: Profile,
    /// Run only these benchmarks (all when empty) and update in the base
    /// profile only what they measure: everything else, the observations
    /// (the machine's speed at calibration) included, stays as in the base.
    pub only: Vec<String>,
    /// Longest one benchmark run may take.
    pub timeout: Duration,
}

/// One interpreter as it describes itself.
#[derive(Clone, Debug)]
pub struct Interpreter {
    /// Path it was given as.
    pub path: PathBuf,
    /// Full version, e.g. "3.14.0".
    pub version: String,
    /// The simulator's name for its release and build.
    pub python: PythonVersion,
    /// Whether the GIL was on while it ran (a free-threaded build can turn it back on).
    pub gil_enabled: bool,
    /// `sys.getswitchinterval()`.
    pub switch_interval_s: Option<f64>,
    /// CPU model, logical CPUs and operating system as it reported them.
    pub machine: MachineInfo,
}

/// The result of a calibration run.
#[derive(Clone, Debug)]
pub struct Report {
    /// The profile to write.
    pub profile: Profile,
    /// Figures refused as too noisy, one line each.
    pub refused: Vec<String>,
    /// Figures an interpreter could not give, one line each.
    pub unavailable: Vec<String>,
    /// With `--only`: how many figures were measured again (the rest of
    /// the profile is the base's).
    pub remeasured: Option<usize>,
}

/// Run `python script args...` in `dir` with a time limit; its last line of
/// standard output, parsed as JSON.
pub fn run_json(
    python: &Path,
    script: &Path,
    args: &[&str],
    dir: &Path,
    timeout: Duration,
) -> Result<Value, String> {
    let mut child = Command::new(python)
        .arg(script)
        .args(args)
        .current_dir(dir)
        .env_remove("PYTHONDONTWRITEBYTECODE")
        .env_remove("PYTHONSTARTUP")
        .env_remove("PYTHONPATH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_string(&mut s);
        }
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("waiting for the interpreter failed: {e}")),
        }
    };
    let stdout = reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    if !status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("exited with {status}: {}", tail.join(" / ")));
    }
    let line = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(|| "printed nothing".to_string())?;
    serde_json::from_str(line).map_err(|e| format!("printed something that is not JSON ({e})"))
}

/// A temporary directory holding the harness scripts, removed on drop.
pub struct ScriptDir {
    /// Its path.
    pub path: PathBuf,
}

impl ScriptDir {
    /// Create it and write `files` (name, contents) into it.
    pub fn new(files: &[(&str, &str)]) -> Result<ScriptDir, String> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("parallel-universe-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        for (name, text) in files {
            std::fs::write(path.join(name), text)
                .map_err(|e| format!("cannot write {name}: {e}"))?;
        }
        Ok(ScriptDir { path })
    }
}

impl Drop for ScriptDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The interpreter a `--python` argument names: a path, or a bare name
/// such as `python3.13` looked up on `PATH` as a shell would.
pub fn find_python(arg: &str) -> Result<PathBuf, String> {
    if arg.is_empty() {
        return Err("--python: empty path".into());
    }
    if arg.contains('/') {
        let p = PathBuf::from(arg);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("--python {arg}: no such file"))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(arg))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("--python {arg}: not found on PATH"))
}

/// Ask an interpreter what it is.
pub fn detect(python: &Path, dir: &Path) -> Result<Interpreter, String> {
    let v = run_json(
        python,
        &dir.join("harness.py"),
        &["info"],
        dir,
        Duration::from_secs(60),
    )
    .map_err(|e| format!("{}: {e}", python.display()))?;
    interpreter_from_info(python, &v["info"])
}

/// Read the `info` benchmark's answer.
pub fn interpreter_from_info(path: &Path, info: &Value) -> Result<Interpreter, String> {
    let name = path.display();
    let version = info["version"]
        .as_str()
        .ok_or_else(|| format!("{name}: no version reported"))?
        .to_string();
    if info["implementation"].as_str() != Some("CPython") {
        return Err(format!(
            "{name} is {}, not CPython",
            info["implementation"]
                .as_str()
                .unwrap_or("an unknown implementation")
        ));
    }
    let mut parts = version.split('.');
    let major = parts.next().and_then(|p| p.parse::<u32>().ok());
    let minor = parts.next().and_then(|p| p.parse::<u8>().ok());
    let ft = info["free_threaded"].as_bool().unwrap_or(false);
    let python = match (major, minor) {
        (Some(3), Some(m)) => {
            let v = if ft {
                PythonVersion::ft(m)
            } else {
                PythonVersion::gil(m)
            };
            if !crate::python::KNOWN_VERSIONS.contains(&v) {
                return Err(format!(
                    "{name} is Python {version}{}, which the simulator does not model (it knows {})",
                    if ft { " (free-threaded)" } else { "" },
                    crate::python::KNOWN_VERSIONS
                        .iter()
                        .map(|v| v.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            v
        }
        _ => return Err(format!("{name}: cannot read version {version:?}")),
    };
    Ok(Interpreter {
        path: path.to_path_buf(),
        version,
        python,
        gil_enabled: info["gil_enabled"].as_bool().unwrap_or(true),
        switch_interval_s: info["switch_interval_s"].as_f64(),
        machine: MachineInfo {
            cpu: info["cpu"].as_str().unwrap_or("unknown CPU").to_string(),
            cores: info["cores"].as_u64().unwrap_or(0) as u32,
            os: info["os"].as_str().unwrap_or("").to_string(),
        },
    })
}

fn bench_result(v: &Value) -> BenchResult {
    let mut r = BenchResult::default();
    if let Some(m) = v["metrics"].as_object() {
        for (k, vals) in m {
            let xs: Vec<f64> = vals
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default();
            r.metrics.insert(k.clone(), xs);
        }
    }
    if let Some(u) = v["unavailable"].as_object() {
        for (k, why) in u {
            r.unavailable
                .insert(k.clone(), why.as_str().unwrap_or("unavailable").to_string());
        }
    }
    r.notes = v["notes"].clone();
    r
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A value in canonical units written in a readable unit, to four
/// significant figures.
pub fn display_unit(dim: Dimension, canonical: f64) -> (f64, &'static str) {
    let (v, u) = match dim {
        Dimension::Time if canonical >= 1e9 => (canonical / 1e9, "s"),
        Dimension::Time if canonical >= 1e6 => (canonical / 1e6, "ms"),
        Dimension::Time if canonical >= 1e3 => (canonical / 1e3, "us"),
        Dimension::Time => (canonical, "ns"),
        Dimension::Memory if canonical >= 1_048_576.0 => (canonical / 1_048_576.0, "MiB"),
        Dimension::Memory if canonical >= 1024.0 => (canonical / 1024.0, "KiB"),
        Dimension::Memory => (canonical, "B"),
        Dimension::Throughput if canonical >= 1e9 => (canonical / 1e9, "GB/s"),
        Dimension::Throughput => (canonical / 1e6, "MB/s"),
        Dimension::Ratio => (canonical, "ratio"),
    };
    (round_sig(v, 4), u)
}

fn round_sig(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let p = digits - 1 - v.abs().log10().floor() as i32;
    let f = 10f64.powi(p);
    (v * f).round() / f
}

/// What calibrating one interpreter found.
struct Measured {
    interp: Interpreter,
    metrics: Metrics,
}

/// Turn a derived figure into a profile entry, refusing it if it is too noisy.
fn entry_for(
    d: &Derived,
    python: Option<PythonVersion>,
    interp: &Interpreter,
    date: &str,
    report: &mut Report,
) -> Entry {
    let label = python.map(|p| p.label()).unwrap_or_else(|| "*".into());
    let spec = crate::profile::spec(d.param);
    let unavailable = |reason: String| Entry {
        name: d.param.to_string(),
        python,
        value: None,
        unit: spec
            .map(|s| s.dimension.units()[0].0.to_string())
            .unwrap_or_default(),
        provenance: Provenance::Unavailable { reason },
    };
    let Some(spec) = spec else {
        return unavailable("not a parameter".into());
    };
    match &d.result {
        Err(why) => {
            report
                .unavailable
                .push(format!("{} on {label}: {why}", d.param));
            unavailable(why.clone())
        }
        Ok(stat) if stat.spread > d.limit => {
            let why = format!(
                "refused: its {} repeats disagree too much (spread {:.0}% of the median; at most {:.0}% is accepted)",
                stat.repeats,
                stat.spread * 100.0,
                d.limit * 100.0
            );
            report
                .refused
                .push(format!("{} on {label}: {why}", d.param));
            unavailable(why)
        }
        Ok(stat) if stat.median < spec.min || stat.median > spec.max => {
            let why = format!(
                "measured {} (canonical units), outside the range the simulator accepts",
                stat.median
            );
            report
                .unavailable
                .push(format!("{} on {label}: {why}", d.param));
            unavailable(why)
        }
        Ok(stat) => {
            let (value, unit) = display_unit(spec.dimension, stat.median);
            Entry {
                name: d.param.to_string(),
                python,
                value: Some(value),
                unit: unit.to_string(),
                provenance: Provenance::Measured {
                    interpreter: interp.version.clone(),
                    build: if interp.python.free_threaded {
                        "free-threaded".into()
                    } else {
                        "default".into()
                    },
                    machine: machine_line(&interp.machine),
                    date: date.to_string(),
                    method: d.method.clone(),
                    repeats: stat.repeats,
                    spread: round_sig(stat.spread, 3),
                },
            }
        }
    }
}

fn machine_line(m: &MachineInfo) -> String {
    format!("{}, {} logical CPUs, {}", m.cpu, m.cores, m.os)
}

/// Measure every interpreter in `opts` and build the profile.
/// `progress` receives one line per step.
pub fn calibrate(opts: &Options, progress: &mut dyn FnMut(&str)) -> Result<Report, String> {
    if opts.pythons.is_empty() {
        return Err("give at least one --python".into());
    }
    if let Some(b) = opts.only.iter().find(|b| !BENCHES.contains(&b.as_str())) {
        return Err(format!(
            "--only {b}: no such benchmark (there are {})",
            BENCHES.join(", ")
        ));
    }
    let benches: Vec<&str> = BENCHES
        .iter()
        .copied()
        .filter(|b| opts.only.is_empty() || opts.only.iter().any(|o| o == b))
        .collect();
    let dir = ScriptDir::new(&[("harness.py", HARNESS_PY)])?;
    let script = dir.path.join("harness.py");
    let mut interps = Vec::new();
    for p in &opts.pythons {
        let i = detect(p, &dir.path)?;
        if let Some(other) = interps.iter().find(|o: &&Interpreter| o.python == i.python) {
            return Err(format!(
                "{} and {} are both Python {}; give one interpreter per version and build",
                other.path.display(),
                p.display(),
                i.python.label()
            ));
        }
        progress(&format!(
            "{}: Python {} ({}){}",
            p.display(),
            i.version,
            if i.python.free_threaded {
                "free-threaded build"
            } else {
                "default build"
            },
            if i.python.free_threaded && i.gil_enabled {
                "; the GIL is on (PYTHON_GIL=1 or an extension turned it on), so contention between threads cannot be measured"
            } else {
                ""
            }
        ));
        interps.push(i);
    }
    // Machine figures are measured once, with a GIL build if there is one.
    let machine_idx = interps
        .iter()
        .position(|i| !i.python.free_threaded)
        .unwrap_or(0);
    let machine_runs = usize::from(benches.contains(&"os"));
    let total = interps.len() * benches.len() - machine_runs * (interps.len() - 1);
    let mut step = 0;
    let started = Instant::now();
    let mut measured = Vec::new();
    for (k, interp) in interps.iter().enumerate() {
        let mut metrics = Metrics::default();
        for bench in &benches {
            if *bench == "os" && k != machine_idx {
                continue;
            }
            step += 1;
            let t = Instant::now();
            let mut args = vec![*bench];
            if opts.quick {
                args.push("--quick");
            }
            let outcome = run_json(&interp.path, &script, &args, &dir.path, opts.timeout);
            let secs = t.elapsed().as_secs_f64();
            match outcome {
                Ok(v) => {
                    metrics.probes.extend(
                        v["probe_ns"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_f64)
                            .filter(|x| x.is_finite() && *x > 0.0),
                    );
                    metrics.benches.insert(bench.to_string(), bench_result(&v));
                    progress(&format!(
                        "[{step}/{total}] Python {}: {bench} ({secs:.1} s, {:.0} s so far)",
                        interp.python.label(),
                        started.elapsed().as_secs_f64()
                    ));
                }
                Err(e) => {
                    progress(&format!(
                        "[{step}/{total}] Python {}: {bench} FAILED: {e}",
                        interp.python.label()
                    ));
                    metrics.failed.insert(bench.to_string(), e);
                }
            }
        }
        measured.push(Measured {
            interp: interp.clone(),
            metrics,
        });
    }
    Ok(if opts.only.is_empty() {
        build_profile(&measured, machine_idx, &opts.base, &today())
    } else {
        // Nothing carried over: the run's own entries, merged below.
        let empty = Profile {
            parameters: Vec::new(),
            ..opts.base.clone()
        };
        let run = build_profile(&measured, machine_idx, &empty, &today());
        update_base(run, &opts.base, &benches, &today())
    })
}

/// A base profile's entry standing in for a figure this machine measured
/// but that did not count (refused or unavailable), saying why.
fn stands_in(mut e: Entry, why: &str) -> Entry {
    let said = format!("Used because this machine's measurement did not count: {why}");
    match &mut e.provenance {
        Provenance::Published { note, .. } => {
            *note = Some(match note.take() {
                Some(n) => format!("{n} {said}"),
                None => said,
            })
        }
        Provenance::Estimate { basis } => *basis = format!("{basis} {said}"),
        _ => {}
    }
    e
}

/// A calibration of some benchmarks only, as an update of the base
/// profile: the parameters it measured replace the base's entries for the
/// same version; the rest of the base, its observations and machine
/// included, stays. Parameters the run could not derive (their benchmarks
/// did not run) are left out of the report's lists, which keep only what
/// the chosen benchmarks refused or could not measure. The switch interval
/// is read from the interpreter, not measured, so it stays as in the base.
fn update_base(mut run: Report, base: &Profile, benches: &[&str], date: &str) -> Report {
    let not_run = |line: &String| line.contains("benchmark was not run");
    run.unavailable.retain(|l| !not_run(l));
    let (mut fresh, missed): (Vec<Entry>, Vec<Entry>) = run
        .profile
        .parameters
        .into_iter()
        .filter(|e| e.name != "switch_interval")
        .partition(|e| matches!(e.provenance, Provenance::Measured { .. }));
    // A figure refused or unavailable on a version the base has nothing
    // for either: the published figure stands in, as in a full run.
    let published = Profile::published();
    for m in &missed {
        let Provenance::Unavailable { reason } = &m.provenance else {
            continue;
        };
        if reason.contains("benchmark was not run") {
            continue;
        }
        let covered = |es: &[Entry]| {
            es.iter().any(|e| {
                e.name == m.name
                    && e.value.is_some()
                    && (e.python == m.python || e.python.is_none())
            })
        };
        if covered(&fresh) || covered(&base.parameters) {
            continue;
        }
        for e in published.parameters.iter().filter(|e| e.name == m.name) {
            fresh.push(stands_in(
                e.clone(),
                &format!(
                    "{reason} (Python {})",
                    m.python.map(|p| p.label()).unwrap_or_default()
                ),
            ));
        }
    }
    let mut profile = base.clone();
    let mut names: Vec<&str> = Vec::new();
    for e in fresh
        .iter()
        .filter(|e| matches!(e.provenance, Provenance::Measured { .. }))
    {
        if !names.contains(&e.name.as_str()) {
            names.push(&e.name);
        }
    }
    let mut ordered = Vec::new();
    for spec in crate::profile::PARAMETERS {
        let new: Vec<&Entry> = fresh.iter().filter(|e| e.name == spec.name).collect();
        ordered.extend(new.iter().map(|e| (*e).clone()));
        ordered.extend(
            base.parameters
                .iter()
                .filter(|b| b.name == spec.name)
                .filter(|b| !new.iter().any(|e| e.python == b.python))
                .cloned(),
        );
    }
    profile.parameters = ordered;
    if !names.is_empty() {
        profile.description = format!(
            "{} Updated on {date} by `parallel-universe calibrate --only {}`, which measured {} again.",
            base.description.trim_end(),
            benches.join(" --only "),
            names.join(", ")
        );
    }
    run.remeasured = Some(
        fresh
            .iter()
            .filter(|e| matches!(e.provenance, Provenance::Measured { .. }))
            .count(),
    );
    run.profile = profile;
    run
}

fn build_profile(measured: &[Measured], machine_idx: usize, base: &Profile, date: &str) -> Report {
    let mut report = Report {
        profile: Profile {
            format: FORMAT.into(),
            name: String::new(),
            description: String::new(),
            machine: None,
            parameters: Vec::new(),
            observations: Vec::new(),
        },
        refused: Vec::new(),
        unavailable: Vec::new(),
        remeasured: None,
    };
    let mut entries = Vec::new();
    for m in measured {
        let v = m.interp.python;
        for d in derive::interpreter_params(&m.metrics, m.interp.switch_interval_s) {
            entries.push(entry_for(&d, Some(v), &m.interp, date, &mut report));
        }
        if v.free_threaded {
            if let Some(g) = measured.iter().find(|g| g.interp.python == v.gil_build()) {
                for d in derive::free_threading_params(&m.metrics, &g.metrics) {
                    entries.push(entry_for(&d, Some(v), &m.interp, date, &mut report));
                }
            }
        }
        if let Some(stat) = stats::summarise(&m.metrics.probes) {
            let (value, unit) = display_unit(Dimension::Time, stat.median);
            report.profile.observations.push(Observation {
                name: REFERENCE_KERNEL.to_string(),
                python: Some(v),
                value,
                unit: unit.to_string(),
                spread: round_sig(stat.spread, 3),
                repeats: stat.repeats,
                meaning: "Time of the harness's reference loop (spin_kernel(100000)) before and after every benchmark: the machine's speed while this profile was measured. validate times the same loop around its runs and scales the costs by how much longer or shorter it took then.".to_string(),
            });
        }
        for (bench, metric, unit, meaning) in derive::OBSERVATIONS {
            if let Ok(stat) = m.metrics.stat(bench, metric) {
                let (value, unit) = match *unit {
                    "ns" => display_unit(Dimension::Time, stat.median),
                    "B/s" => display_unit(Dimension::Throughput, stat.median),
                    _ => (round_sig(stat.median, 4), "ratio"),
                };
                report.profile.observations.push(Observation {
                    name: metric
                        .trim_end_matches("_ns")
                        .trim_end_matches("_bps")
                        .to_string(),
                    python: Some(v),
                    value,
                    unit: unit.to_string(),
                    spread: round_sig(stat.spread, 3),
                    repeats: stat.repeats,
                    meaning: meaning.to_string(),
                });
            }
        }
    }
    let mm = &measured[machine_idx];
    for d in derive::machine_params(&mm.metrics) {
        entries.push(entry_for(&d, None, &mm.interp, date, &mut report));
    }
    // What no interpreter measured comes from the base profile as it is.
    let measured_names: Vec<String> = entries
        .iter()
        .filter(|e| e.value.is_some())
        .map(|e| e.name.clone())
        .collect();
    let mut carried = Vec::new();
    for e in &base.parameters {
        if measured_names.contains(&e.name) {
            continue;
        }
        let mut e = e.clone();
        // A figure refused or missing for the same version gives way to the
        // base entry, which says why this machine's did not count.
        if let Some(pos) = entries
            .iter()
            .position(|x| x.name == e.name && x.python == e.python && x.value.is_none())
        {
            let why = match &entries.remove(pos).provenance {
                Provenance::Unavailable { reason } => reason.clone(),
                _ => String::new(),
            };
            e = stands_in(e, &why);
        }
        carried.push(e);
    }
    // Keep the catalogue's order: each parameter's entries together.
    let mut ordered = Vec::new();
    for spec in crate::profile::PARAMETERS {
        ordered.extend(entries.iter().filter(|e| e.name == spec.name).cloned());
        ordered.extend(carried.iter().filter(|e| e.name == spec.name).cloned());
    }
    let versions: Vec<String> = measured
        .iter()
        .map(|m| format!("{} ({})", m.interp.version, m.interp.python.label()))
        .collect();
    let machine = mm.interp.machine.clone();
    report.profile.name = format!(
        "measured on {}, {} logical CPUs",
        machine.cpu, machine.cores
    );
    report.profile.description = format!(
        "Measured by `parallel-universe calibrate` on {date} with CPython {} on {}. \
         Parameters no interpreter could measure are carried over from the base profile with their provenance.",
        versions.join(", "),
        machine_line(&machine)
    );
    report.profile.machine = Some(machine);
    report.profile.parameters = ordered;
    report
}

#[cfg(test)]
mod tests {
    use super::derive::metrics;
    use super::*;

    fn interp(python: PythonVersion) -> Interpreter {
        Interpreter {
            path: PathBuf::from("python"),
            version: format!("3.{}.0", python.minor),
            python,
            gil_enabled: !python.free_threaded,
            switch_interval_s: Some(0.005),
            machine: MachineInfo {
                cpu: "Test CPU".into(),
                cores: 4,
                os: "Linux".into(),
            },
        }
    }

    #[test]
    fn a_free_threaded_build_beside_its_gil_build_gives_free_threading_figures() {
        let gil = Measured {
            interp: interp(PythonVersion::gil(14)),
            metrics: metrics(&[
                ("single", "single_thread_work_ns", &[100.0, 100.0, 100.0]),
                ("os", "context_switch_ns", &[3000.0, 3100.0, 2900.0]),
                ("os", "all_core_speed", &[0.9, 0.9, 0.9]),
                ("threads", "thread_start_ns", &[70_000.0; 3]),
                ("pickle", "pickle_small_ns", &[2000.0, 2100.0, 1900.0]),
            ]),
        };
        let ft = Measured {
            interp: interp(PythonVersion::ft(14)),
            metrics: metrics(&[
                ("single", "single_thread_work_ns", &[110.0, 110.0, 110.0]),
                ("contention", "contention", &[4.0, 4.2, 3.8]),
                // Too noisy to keep: refused, and the base figure stays.
                (
                    "threads",
                    "thread_start_ns",
                    &[10_000.0, 90_000.0, 300_000.0],
                ),
            ]),
        };
        let base = Profile::published();
        let r = build_profile(&[gil, ft], 0, &base, "2026-11-22");
        let p = &r.profile;
        let find = |name: &str, v: Option<PythonVersion>| {
            p.parameters
                .iter()
                .find(|e| e.name == name && e.python == v)
                .unwrap_or_else(|| panic!("{name} {v:?}"))
        };
        let o = find("ft_overhead", Some(PythonVersion::ft(14)));
        assert!((o.value.unwrap() - 0.1).abs() < 1e-9);
        assert!(
            matches!(o.provenance, Provenance::Measured { ref build, .. } if build == "free-threaded")
        );
        assert_eq!(
            find("contention", Some(PythonVersion::ft(14))).value,
            Some(4.0)
        );
        // Machine figures once, for every version.
        assert!(find("context_switch", None).value.is_some());
        assert!(find("all_core_speed", None).value.is_some());
        // The refused figure is listed with its spread and is not a value.
        assert!(r
            .refused
            .iter()
            .any(|l| l.starts_with("thread_start on 3.14t")));
        assert!(find("thread_start", Some(PythonVersion::ft(14)))
            .value
            .is_none());
        // Missing benchmarks are unavailable, with why, not guessed.
        assert!(r
            .unavailable
            .iter()
            .any(|l| l.starts_with("pipe on 3.14:") && l.contains("not run")));
        // The base fills parameters nobody measured, with its provenance.
        assert!(p.parameters.iter().any(|e| e.name == "pipe"
            && matches!(
                e.provenance,
                Provenance::Published { .. } | Provenance::Estimate { .. }
            )));
        // And the whole thing is a valid profile that resolves everywhere.
        let again = Profile::from_json(&p.to_json_pretty()).unwrap();
        for v in crate::python::KNOWN_VERSIONS {
            again.costs(v).unwrap();
        }
    }

    #[test]
    fn only_some_benchmarks_update_the_base_and_keep_the_rest() {
        let v = PythonVersion::gil(14);
        let m = Measured {
            interp: interp(v),
            metrics: metrics(&[
                ("handover", "thread_idle_in_ns", &[60_000.0; 3]),
                ("handover", "thread_batch_task_ns", &[5_000.0; 3]),
                ("handover", "process_idle_in_ns", &[300_000.0; 3]),
                ("handover", "process_idle_out_ns", &[150_000.0; 3]),
                ("handover", "process_batch_caller_cpu_ns", &[100_000.0; 3]),
                ("handover", "process_batch_worker_cpu_ns", &[30_000.0; 3]),
                // Too noisy to keep.
                (
                    "handover",
                    "interpreter_idle_in_ns",
                    &[10_000.0, 200_000.0, 900_000.0],
                ),
                ("handover", "interpreter_batch_task_ns", &[40_000.0; 3]),
            ]),
        };
        // A base without any interpreter_handover figure: the published
        // one must stand in for the refused measurement.
        let mut base = Profile::shipped();
        base.parameters.retain(|e| e.name != "interpreter_handover");
        let empty = Profile {
            parameters: Vec::new(),
            ..base.clone()
        };
        let run = build_profile(&[m], 0, &empty, "2026-11-23");
        let r = update_base(run, &base, &["handover"], "2026-11-23");
        let p = &r.profile;
        let value = |name: &str, python: Option<PythonVersion>| {
            p.parameters
                .iter()
                .find(|e| e.name == name && e.python == python)
                .and_then(|e| e.canonical())
        };
        // What the simulator already charges on the way is subtracted.
        assert_eq!(value("thread_handover", Some(v)), Some(55_000.0));
        assert_eq!(value("process_handover", Some(v)), Some(235_000.0));
        assert_eq!(value("process_collect", Some(v)), Some(85_000.0));
        assert_eq!(r.remeasured, Some(3));
        // Other versions, other parameters and the observations stay.
        let v13 = PythonVersion::gil(13);
        for name in [
            "thread_handover",
            "process_handover",
            "switch_interval",
            "pipe",
        ] {
            let old = base.lookup(name, v13).unwrap();
            assert_eq!(p.lookup(name, v13), Some(old), "{name} on 3.13");
        }
        for name in ["switch_interval", "pickle_call", "all_core_speed"] {
            assert_eq!(p.lookup(name, v), base.lookup(name, v), "{name} on 3.14");
        }
        assert_eq!(p.observations, base.observations);
        assert_eq!(p.machine, base.machine);
        // Refused, listed, and the published estimate stands in, saying why.
        assert!(r
            .refused
            .iter()
            .any(|l| l.starts_with("interpreter_handover on 3.14")));
        let stand_in = p
            .parameters
            .iter()
            .find(|e| e.name == "interpreter_handover")
            .unwrap();
        assert!(stand_in.python.is_none());
        assert!(
            matches!(&stand_in.provenance, Provenance::Estimate { basis } if basis.contains("did not count"))
        );
        // Benchmarks not asked for are not reported as missing.
        assert!(r.unavailable.iter().all(|l| !l.contains("not run")));
        assert!(p.description.contains("--only handover"));
        for v in crate::python::KNOWN_VERSIONS {
            Profile::from_json(&p.to_json_pretty())
                .unwrap()
                .costs(v)
                .unwrap();
        }
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_414), (2025, 11, 22));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn units_read_well() {
        assert_eq!(display_unit(Dimension::Time, 61_234.0), (61.23, "us"));
        assert_eq!(display_unit(Dimension::Time, 5e6), (5.0, "ms"));
        assert_eq!(
            display_unit(Dimension::Memory, 12.7 * 1_048_576.0),
            (12.7, "MiB")
        );
        assert_eq!(display_unit(Dimension::Throughput, 2.5e9), (2.5, "GB/s"));
        assert_eq!(display_unit(Dimension::Ratio, 0.123456), (0.1235, "ratio"));
    }

    #[test]
    fn info_is_read_and_checked() {
        let info = serde_json::json!({
            "version": "3.14.0", "implementation": "CPython", "free_threaded": true,
            "gil_enabled": false, "cpu": "X", "cores": 4, "os": "Linux", "switch_interval_s": 0.005
        });
        let i = interpreter_from_info(Path::new("py"), &info).unwrap();
        assert_eq!(i.python, PythonVersion::ft(14));
        let mut old = info.clone();
        old["version"] = "3.9.1".into();
        old["free_threaded"] = false.into();
        let e = interpreter_from_info(Path::new("py"), &old).unwrap_err();
        assert!(e.contains("does not model"), "{e}");
        let mut pypy = info;
        pypy["implementation"] = "PyPy".into();
        assert!(interpreter_from_info(Path::new("py"), &pypy)
            .unwrap_err()
            .contains("not CPython"));
    }
}
