//! Property tests of the simulator's invariants over random workloads and
//! scenarios: every task completes, a GIL never has two holders, a core never
//! runs two things, busy time fits in cores x makespan, the breakdown adds up
//! to cores x makespan exactly, and the same inputs and seed give the same
//! trace.
#![cfg(not(target_arch = "wasm32"))]

use parallel_universe::model::{Model, StartMethod};
use parallel_universe::predict::costs_for;
use parallel_universe::profile::Profile;
use parallel_universe::python::KNOWN_VERSIONS;
use parallel_universe::sim::{run, RunOptions, RunResult, Scenario, Setup, SimError};
use parallel_universe::workload::Workload;
use proptest::prelude::*;
use serde_json::json;

fn step() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        (0.0f64..8.0).prop_map(|d| json!({"python_ms": d})),
        (0.0f64..8.0).prop_map(|d| json!({"native_ms": d})),
        (0.0f64..12.0).prop_map(|d| json!({"io_ms": d})),
    ]
}

fn group(server: bool) -> impl Strategy<Value = serde_json::Value> {
    (
        prop::collection::vec(step(), 1..4),
        1u32..4,
        0u64..200_000,
        0u64..200_000,
        0.0f64..1.0,
        any::<bool>(),
        1u32..24,
        20.0f64..400.0,
        prop_oneof![Just(0.0f64), 0.0f64..3.0],
    )
        .prop_map(move |(steps, repeat, inb, outb, shared, bytes, tasks, rate, parent_ms)| {
            let mut g = json!({"steps": steps, "repeat": repeat, "input_bytes": inb, "output_bytes": outb,
                "shared_state": shared, "payload": if bytes {"bytes"} else {"objects"}});
            if server {
                g["arrivals"] = json!({"rate_per_s": rate, "duration_s": 0.1});
            } else {
                g["tasks"] = json!(tasks);
                g["parent_ms"] = json!(parent_ms);
            }
            g
        })
}

fn workload() -> impl Strategy<Value = Workload> {
    workload_of(any::<bool>())
}

fn batch_workload() -> impl Strategy<Value = Workload> {
    workload_of(Just(false))
}

fn workload_of(server: impl Strategy<Value = bool>) -> impl Strategy<Value = Workload> {
    server
        .prop_flat_map(|server| {
            (
                prop::collection::vec(group(server), 1..3),
                0.0f64..30.0,
                any::<bool>(),
                any::<bool>(),
                // Who takes a server's requests (batches take "workers").
                any::<bool>().prop_map(move |c| c && server),
            )
        })
        .prop_map(|(groups, import_ms, ft_safe, si_safe, caller)| {
            let doc = json!({"name": "random", "groups": groups, "import_ms": import_ms,
                "extensions": {"free_threading_safe": ft_safe, "subinterpreter_safe": si_safe},
                "accept": if caller {"caller"} else {"workers"}});
            Workload::from_value(&doc).expect("generated workloads are valid")
        })
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        0usize..8,
        1u32..12,
        1u32..4,
        1u32..9,
        0usize..6,
        0usize..4,
        any::<u64>(),
        any::<bool>(),
    )
        .prop_map(
            |(m, workers, threads, cores, v, sm, seed, per_task)| Scenario {
                model: Model::ALL[m],
                workers,
                threads_per_worker: threads,
                cores,
                python: KNOWN_VERSIONS[v],
                start_method: [
                    None,
                    Some(StartMethod::Fork),
                    Some(StartMethod::Spawn),
                    Some(StartMethod::Forkserver),
                ][sm],
                seed,
                per_task,
            },
        )
}

fn cases(default: u32) -> u32 {
    std::env::var("PU_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn simulate(s: &Scenario, w: &Workload, profile: &Profile) -> Result<RunResult, SimError> {
    let setup = Setup::resolve(s, w)?;
    let costs = costs_for(profile, setup.python)?;
    run(
        s,
        w,
        &costs,
        RunOptions {
            trace: true,
            ..RunOptions::default()
        },
    )
}

fn check(s: &Scenario, w: &Workload, r: &RunResult) -> Result<(), TestCaseError> {
    let trace = r.trace.as_ref().expect("trace requested");
    // Every task completes (the engine errors otherwise; servers: every arrival).
    prop_assert_eq!(r.tasks as usize, trace.tasks.len());
    if !w.is_server() {
        let expected: u64 = w.groups.iter().map(|g| g.expected_tasks() as u64).sum();
        prop_assert_eq!(r.tasks, expected);
    }
    for t in &trace.tasks {
        prop_assert!(
            t.arrival_ns <= t.start_ns && t.start_ns <= t.end_ns && t.end_ns <= r.makespan_ns
        );
    }
    // The breakdown adds up to cores x makespan, and busy time fits in it.
    let total = s.cores as u64 * r.makespan_ns;
    prop_assert_eq!(r.breakdown.total_ns(), total);
    prop_assert!(r.breakdown.busy_ns() <= total);
    // At most one holder per GIL at any instant.
    let mut gil = trace.gil_spans.clone();
    gil.sort_by_key(|g| (g.interpreter, g.start_ns));
    for pair in gil.windows(2) {
        if pair[0].interpreter == pair[1].interpreter {
            prop_assert!(
                pair[0].end_ns <= pair[1].start_ns,
                "GIL {} held twice: {:?}",
                pair[0].interpreter,
                pair
            );
        }
    }
    // A core does one thing at a time, and a thread is on one core at a time.
    let mut spans = trace.core_spans.clone();
    spans.sort_by_key(|c| (c.core, c.start_ns));
    for pair in spans.windows(2) {
        if pair[0].core == pair[1].core {
            prop_assert!(
                pair[0].end_ns <= pair[1].start_ns,
                "core overlap {:?}",
                pair
            );
        }
    }
    spans.sort_by_key(|c| (c.thread, c.start_ns));
    for pair in spans.windows(2) {
        if pair[0].thread == pair[1].thread {
            prop_assert!(
                pair[0].end_ns <= pair[1].start_ns,
                "thread on two cores {:?}",
                pair
            );
        }
    }
    // Core spans never exceed the core count or the run.
    prop_assert!(spans
        .iter()
        .all(|c| c.core < s.cores && c.end_ns <= r.makespan_ns));
    Ok(())
}

proptest! {
    // PU_CASES=20000 explores further; CI runs the default.
    #![proptest_config(ProptestConfig { cases: cases(300), .. ProptestConfig::default() })]

    #[test]
    fn invariants_hold_for_random_runs(w in workload(), s in scenario()) {
        let profile = Profile::shipped();
        match simulate(&s, &w, &profile) {
            Ok(r) => {
                check(&s, &w, &r)?;
                // Same inputs and seed, same trace.
                let again = simulate(&s, &w, &profile).expect("second run");
                prop_assert_eq!(r.trace.as_ref().map(|t| t.digest()), again.trace.as_ref().map(|t| t.digest()));
                prop_assert_eq!(r, again);
            }
            Err(SimError::Unavailable(why)) => {
                // Only the documented reasons make a model unavailable.
                let ok = why.contains("free-threaded build") || why.contains("per-interpreter GIL") || why.contains("sub-interpreters");
                prop_assert!(ok, "unexpected reason: {}", why);
            }
            Err(SimError::Invalid(why)) => {
                prop_assert!(s.per_task, "only per-task limits are invalid here: {}", why);
            }
            Err(e) => prop_assert!(false, "{} for {:?}", e, s),
        }
    }

    #[test]
    fn seeds_change_server_arrivals_but_not_batches(seed_a in any::<u64>(), seed_b in any::<u64>()) {
        prop_assume!(seed_a != seed_b);
        let profile = Profile::shipped();
        let server = parallel_universe::presets::get("web-server").unwrap().workload();
        let batch = parallel_universe::presets::get("cpu-bound").unwrap().workload();
        let mk = |seed| Scenario { seed, ..Scenario::new(Model::Threads) };
        let a = simulate(&mk(seed_a), &server, &profile).unwrap();
        let b = simulate(&mk(seed_b), &server, &profile).unwrap();
        prop_assert_ne!(a.trace.unwrap().digest(), b.trace.unwrap().digest());
        let a = simulate(&mk(seed_a), &batch, &profile).unwrap();
        let b = simulate(&mk(seed_b), &batch, &profile).unwrap();
        prop_assert_eq!(a.trace.unwrap().digest(), b.trace.unwrap().digest());
    }
}

#[test]
fn huge_runs_stop_with_a_message_instead_of_hanging() {
    let w = Workload::from_json(r#"{"tasks": 64, "steps": [{"python_ms": 100000}]}"#).unwrap();
    let mut s = Scenario::new(Model::Threads);
    s.workers = 64;
    let costs = costs_for(&Profile::shipped(), s.python).unwrap();
    let e = run(
        &s,
        &w,
        &costs,
        RunOptions {
            trace: false,
            max_events: 10_000,
        },
    )
    .unwrap_err();
    assert!(matches!(e, SimError::TooLarge { .. }), "{e}");
    assert!(e.to_string().contains("events"));
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(serde_json::Value::from),
        "[a-z_]{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let keys = prop_oneof![
            Just("tasks".to_string()),
            Just("steps".to_string()),
            Just("python_ms".to_string()),
            Just("io_ms".to_string()),
            Just("groups".to_string()),
            Just("arrivals".to_string()),
            Just("rate_per_s".to_string()),
            Just("duration_s".to_string()),
            Just("parameters".to_string()),
            Just("format".to_string()),
            Just("name".to_string()),
            Just("value".to_string()),
            Just("unit".to_string()),
            Just("provenance".to_string()),
            "[a-z_]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    /// Whatever a file or URL carries, the readers answer with a value or a
    /// message naming a field; they never panic.
    #[test]
    fn readers_never_panic_on_arbitrary_documents(v in json_value(), text in ".{0,200}") {
        let _ = Workload::from_value(&v);
        let _ = Profile::from_value(&v);
        let _ = Workload::from_json(&text);
        let _ = Profile::from_json(&text);
        if let Err(e) = Workload::from_value(&v) {
            prop_assert!(!e.message.is_empty());
        }
    }

    /// Any workload the reader accepts, it can write and read back unchanged.
    #[test]
    fn accepted_workloads_round_trip(w in workload()) {
        let again = Workload::from_json(&w.to_json_pretty()).unwrap();
        prop_assert_eq!(w, again);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), .. ProptestConfig::default() })]

    /// Sequential code pays for its steps and nothing else: a batch's
    /// makespan is the sum of every step and every caller's share, plus the
    /// one context switch that puts the thread on a core.
    #[test]
    fn sequential_batches_take_exactly_the_sum_of_their_steps(w in batch_workload()) {
        let profile = Profile::shipped();
        let s = Scenario::new(Model::Sequential);
        let r = simulate(&s, &w, &profile).unwrap();
        let ns = |ms: f64| if ms * 1e6 <= 0.0 { 0 } else { (ms * 1e6 + 0.5) as u64 };
        let mut total = costs_for(&profile, s.python).unwrap().context_switch_ns;
        for g in &w.groups {
            let per_task: u64 = g.steps.iter().map(|st| ns(st.ms())).sum::<u64>() * g.repeat as u64 + ns(g.parent_ms);
            total += per_task * g.expected_tasks() as u64;
        }
        prop_assert_eq!(r.makespan_ns, total);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), .. ProptestConfig::default() })]

    /// An event loop with one task in flight runs the steps one after
    /// another and adds exactly its own costs: one task creation per task
    /// and one round of the loop per I/O wait.
    #[test]
    fn one_task_in_flight_asyncio_adds_exactly_its_own_costs(w in batch_workload()) {
        let profile = Profile::shipped();
        let s = Scenario { workers: 1, ..Scenario::new(Model::Asyncio) };
        let c = costs_for(&profile, s.python).unwrap();
        let r = simulate(&s, &w, &profile).unwrap();
        let ns = |ms: f64| if ms * 1e6 <= 0.0 { 0 } else { (ms * 1e6 + 0.5) as u64 };
        let mut total = c.context_switch_ns;
        for g in &w.groups {
            let steps: u64 = g.steps.iter().map(|st| ns(st.ms())).sum::<u64>() * g.repeat as u64;
            let waits = g.steps.iter().filter(|st| matches!(st, parallel_universe::workload::Step::Io(d) if ns(*d) > 0)).count() as u64 * g.repeat as u64;
            let per_task = steps + ns(g.parent_ms) + c.asyncio_task_ns + waits * c.asyncio_await_ns;
            total += per_task * g.expected_tasks() as u64;
        }
        prop_assert_eq!(r.makespan_ns, total);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(40), .. ProptestConfig::default() })]

    /// Extreme machines and pools give a result or a clear "too large",
    /// never a panic or an internal error.
    #[test]
    fn extreme_sizes_end_cleanly(
        w in workload(),
        m in 0usize..8,
        cores in prop_oneof![Just(1u32), Just(2), Just(128), Just(1024)],
        workers in prop_oneof![Just(1u32), Just(64), Just(1024)],
        threads in prop_oneof![Just(1u32), Just(4), Just(64)],
    ) {
        let s = Scenario { model: Model::ALL[m], workers, threads_per_worker: threads, cores, ..Scenario::new(Model::ALL[m]) };
        let profile = Profile::shipped();
        let outcome = Setup::resolve(&s, &w).and_then(|setup| {
            let costs = costs_for(&profile, setup.python)?;
            run(&s, &w, &costs, RunOptions { trace: false, max_events: 300_000 })
        });
        match outcome {
            Ok(r) => prop_assert_eq!(r.breakdown.total_ns(), cores as u64 * r.makespan_ns),
            Err(SimError::Internal(e)) => prop_assert!(false, "internal error: {}", e),
            Err(_) => {}
        }
    }
}

/// A URL query of the page's own keys (and a few it does not know) with
/// values anywhere from sensible to hostile.
fn view_query() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "preset",
        "group",
        "tasks",
        "rate",
        "python_ms",
        "native_ms",
        "io_ms",
        "in",
        "out",
        "shared",
        "import_ms",
        "ft_safe",
        "si_safe",
        "cores",
        "python",
        "method",
        "models",
        "workers",
        "seed",
        "at",
        "speed",
        "zoom",
        "tables",
        "play",
        "pct",
        "w.threads",
        "w.processes",
        "w.free-threading",
        "w.nope",
        "controls",
        "from",
        "to",
        "loop",
        "theme",
        "lang",
        "",
        "%zz",
        "tasks%00",
    ]);
    let value = prop_oneof![
        prop::sample::select(vec![
            "",
            "0",
            "1",
            "-1",
            "2",
            "8",
            "64",
            "256",
            "1024",
            "100000",
            "1e6",
            "1e308",
            "NaN",
            "inf",
            "-0",
            "0.5",
            "3600000",
            "18446744073709551615",
            "99999999999999999999",
            "cpu-bound",
            "web-server",
            "data-pipeline",
            "tiny-tasks",
            "3.11",
            "3.13t",
            "3.14",
            "fork",
            "spawn",
            "forkserver",
            "default",
            "all",
            "threads,processes",
            "threads,,x",
            "true",
            "false",
            "yes",
            "%",
            "%E2%82",
            "%00",
            "a=b",
            "&&",
            "ja",
            "en",
        ])
        .prop_map(str::to_string),
        "[ -~]{0,12}",
    ];
    prop::collection::vec((key, value), 0..10).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), .. ProptestConfig::default() })]

    /// Whatever a URL says, the page's reader gives a view (with notices for
    /// what it refused) that its own query gives back unchanged, and
    /// computing that view within a small event budget ends with results or
    /// a message; it never panics.
    #[test]
    fn any_url_gives_a_view_that_computes_or_says_why(q in view_query()) {
        use parallel_universe::view::{embed::EmbedOptions, run::compute, ViewState};
        let parsed = ViewState::from_query(&q);
        let _ = parsed.notice_text(parallel_universe::i18n::Lang::Ja);
        let _ = EmbedOptions::from_query(&q);
        let again = ViewState::from_query(&parsed.state.to_query());
        prop_assert!(again.notices.is_empty(), "{q} -> {} -> {:?}", parsed.state.to_query(), again.notice_text(parallel_universe::i18n::Lang::En));
        prop_assert_eq!(&again.state, &parsed.state, "{}", q);
        if let Err(e) = compute(&parsed.state, &Profile::shipped(), true, 20_000) {
            prop_assert!(!e.trim().is_empty(), "{q}: an empty message");
        }
    }
}
