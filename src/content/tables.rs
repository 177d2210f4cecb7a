//! Tables the guide computes from the active profile rather than stating:
//! the models at a glance, with each model's start-up cost and how data
//! crosses between its workers, for one Python version.

use crate::i18n::{tr, trf, Lang};
use crate::model::{Model, StartMethod};
use crate::profile::Profile;
use crate::python::PythonVersion;

/// One model's row.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelRow {
    /// The model.
    pub model: Model,
    /// How its workers run: in parallel, or taking turns.
    pub runs: String,
    /// What starting a worker costs, from the profile.
    pub startup: String,
    /// How data crosses between workers, with the profile's rates.
    pub exchange: String,
    /// What it suits.
    pub best_for: String,
}

/// A duration in nanoseconds, in the unit that reads best.
pub fn duration(ns: u64) -> String {
    let ns = ns as f64;
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.0} µs", ns / 1e3)
    } else if ns < 1e7 {
        format!("{:.1} ms", ns / 1e6)
    } else {
        format!("{:.0} ms", ns / 1e6)
    }
}

/// A rate in bytes per second, in GB/s or MB/s.
pub fn rate(bps: u64) -> String {
    let b = bps as f64;
    if b >= 1e9 {
        format!("{:.1} GB/s", b / 1e9)
    } else {
        format!("{:.0} MB/s", b / 1e6)
    }
}

/// The models at a glance for `python`, figures from `profile`.
pub fn models_table(
    profile: &Profile,
    python: PythonVersion,
    lang: Lang,
) -> Result<Vec<ModelRow>, String> {
    let gil = python.gil_build();
    let c = profile.costs(gil)?;
    let shared = tr(lang, "shared objects, nothing copied");
    let mut rows = vec![
        ModelRow {
            model: Model::Threads,
            runs: tr(lang, "one at a time in Python (one GIL); in parallel in I/O and GIL-releasing native code").into(),
            startup: trf(lang, "{} a thread", &[&duration(c.thread_start_ns)]),
            exchange: shared.into(),
            best_for: tr(lang, "I/O-bound work and native code that releases the GIL").into(),
        },
        ModelRow {
            model: Model::Asyncio,
            runs: tr(lang, "concurrently on one thread: tasks take turns at each await").into(),
            startup: trf(
                lang,
                "{} a task, {} an await",
                &[&duration(c.asyncio_task_ns), &duration(c.asyncio_await_ns)],
            ),
            exchange: shared.into(),
            best_for: tr(lang, "many simultaneous I/O waits with little CPU work each").into(),
        },
    ];
    let default = python.default_start_method();
    let mark = |m: StartMethod| {
        if m == default {
            tr(lang, " (default)")
        } else {
            ""
        }
    };
    rows.push(ModelRow {
        model: Model::Processes,
        runs: tr(lang, "in parallel, one interpreter and GIL per process").into(),
        startup: format!(
            "fork {}{} · forkserver {}{} · spawn {}{}",
            duration(c.fork_start_ns),
            mark(StartMethod::Fork),
            duration(c.forkserver_fork_ns),
            mark(StartMethod::Forkserver),
            duration(c.spawn_start_ns + c.process_boot_ns),
            mark(StartMethod::Spawn),
        ),
        exchange: trf(
            lang,
            "pickled, piped and unpickled both ways: pickling {}, pipe {}",
            &[&rate(c.pickle_bytes_bps), &rate(c.pipe_bps)],
        ),
        best_for: tr(
            lang,
            "CPU-bound Python in tasks long enough to repay the pickling",
        )
        .into(),
    });
    rows.push(if python.has_per_interpreter_gil() {
        ModelRow {
            model: Model::Interpreters,
            runs: tr(
                lang,
                "in parallel, one GIL per interpreter, all in one process",
            )
            .into(),
            startup: trf(
                lang,
                "{} an interpreter",
                &[&duration(c.interpreter_create_ns)],
            ),
            exchange: trf(
                lang,
                "shareable objects copied ({}), others pickled; memoryview shares a buffer",
                &[&rate(c.xi_copy_bps)],
            ),
            best_for: tr(
                lang,
                "CPU-bound Python with isolated state, lighter than processes",
            )
            .into(),
        }
    } else {
        unavailable(
            Model::Interpreters,
            lang,
            tr(lang, "needs Python 3.12 or later"),
        )
    });
    rows.push(match python.ft_build().filter(|_| python.minor >= 13) {
        Some(ft) => {
            let f = profile.costs(ft)?;
            ModelRow {
                model: Model::FreeThreading,
                runs: trf(
                    lang,
                    "in parallel, no GIL; Python runs {}% slower than on {}",
                    &[
                        &format!("{:.0}", f.ft_overhead_ppm as f64 / 1e4),
                        &gil.label(),
                    ],
                ),
                startup: trf(lang, "{} a thread", &[&duration(f.thread_start_ns)]),
                exchange: tr(
                    lang,
                    "shared objects, nothing copied; shared mutation contends",
                )
                .into(),
                best_for: tr(
                    lang,
                    "CPU-bound Python with little shared mutation and thread-safe extensions",
                )
                .into(),
            }
        }
        None => unavailable(
            Model::FreeThreading,
            lang,
            tr(lang, "needs a free-threaded build, 3.13t or later"),
        ),
    });
    Ok(rows)
}

/// The view the decision form shows for the reader's numbers (address key
/// to value): every model but sequential, each with one worker a core.
pub fn decide_query(fields: &std::collections::BTreeMap<String, String>) -> String {
    use crate::view::query::{encode, join};
    let cores: u32 = fields
        .get("cores")
        .and_then(|c| c.trim().parse().ok())
        .unwrap_or(8);
    let models: Vec<&str> = Model::ALL
        .iter()
        .filter(|m| **m != Model::Sequential)
        .map(|m| m.name())
        .collect();
    let mut q = join(
        &fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect::<Vec<_>>(),
    );
    q.push_str(&format!(
        "&models={}&workers={}&preset=cpu-bound",
        encode(&models.join(",")),
        cores.clamp(1, 128)
    ));
    q
}

fn unavailable(model: Model, lang: Lang, why: &str) -> ModelRow {
    ModelRow {
        model,
        runs: why.into(),
        startup: "-".into(),
        exchange: "-".into(),
        best_for: tr(lang, "unavailable").into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_come_from_the_profile() {
        let p = Profile::shipped();
        let rows = models_table(&p, PythonVersion::DEFAULT, Lang::En).unwrap();
        let c = p.costs(PythonVersion::DEFAULT).unwrap();
        assert_eq!(rows.len(), 5);
        assert!(rows[0].startup.contains(&duration(c.thread_start_ns)));
        assert!(rows[2].startup.contains("forkserver") && rows[2].startup.contains("(default)"));
        assert!(rows[3].startup.contains(&duration(c.interpreter_create_ns)));
        assert!(rows[4].runs.contains("slower"), "{}", rows[4].runs);
        let old = models_table(&p, "3.11".parse().unwrap(), Lang::En).unwrap();
        assert_eq!(old[3].startup, "-");
        assert_eq!(old[4].startup, "-");
        let ja = models_table(&p, PythonVersion::DEFAULT, Lang::Ja).unwrap();
        assert_ne!(ja[0].runs, rows[0].runs);
    }

    #[test]
    fn the_decision_form_asks_for_every_model() {
        let mut f = std::collections::BTreeMap::new();
        for (k, v) in [
            ("python_ms", "5"),
            ("io_ms", "20"),
            ("cores", "16"),
            ("ft_safe", "0"),
        ] {
            f.insert(k.to_string(), v.to_string());
        }
        let parsed = crate::view::ViewState::from_query(&decide_query(&f));
        assert!(parsed.notices.is_empty(), "{:?}", parsed.notices);
        assert_eq!(parsed.state.models.len(), Model::ALL.len() - 1);
        assert!(parsed.state.models.iter().all(|m| m.1 == 16));
        f.insert("cores".into(), "100000".into());
        let parsed = crate::view::ViewState::from_query(&decide_query(&f));
        assert!(
            parsed
                .notices
                .iter()
                .any(|n| n.to_string().starts_with("cores")),
            "{:?}",
            parsed.notices
        );
    }

    #[test]
    fn units() {
        assert_eq!(duration(950), "950 ns");
        assert_eq!(duration(76_250), "76 µs");
        assert_eq!(duration(2_063_000), "2.1 ms");
        assert_eq!(duration(68_470_000), "68 ms");
        assert_eq!(rate(2_559_000_000), "2.6 GB/s");
        assert_eq!(rate(850_000_000), "850 MB/s");
    }
}
