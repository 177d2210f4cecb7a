//! Speed of the simulation core: events per second on a busy run, and the
//! full sweep the web app runs on every slider move (8 models x 64 worker
//! counts) for the CPU-bound and web-server presets. Run with `cargo bench`;
//! the README reports the numbers.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use parallel_universe::model::Model;
use parallel_universe::predict::{costs_for, sweep};
use parallel_universe::presets;
use parallel_universe::profile::Profile;
use parallel_universe::sim::{run, RunOptions, Scenario};

fn events(c: &mut Criterion) {
    let profile = Profile::shipped();
    let mut g = c.benchmark_group("events");
    for (preset, model, workers) in [
        ("web-server", Model::Threads, 16),
        ("cpu-bound", Model::Threads, 64),
        ("tiny-tasks", Model::Processes, 8),
    ] {
        let w = presets::get(preset).unwrap().workload();
        let s = Scenario {
            workers,
            ..Scenario::new(model)
        };
        let costs = costs_for(&profile, s.python).unwrap();
        let n = run(&s, &w, &costs, RunOptions::default()).unwrap().events;
        g.throughput(Throughput::Elements(n));
        g.bench_function(
            BenchmarkId::new(preset, format!("{model} x {workers}")),
            |b| b.iter(|| run(black_box(&s), &w, &costs, RunOptions::default()).unwrap()),
        );
    }
    g.finish();
}

fn full_sweep(c: &mut Criterion) {
    let profile = Profile::shipped();
    let workers: Vec<u32> = (1..=64).collect();
    let mut g = c.benchmark_group("full sweep (8 models x 64 workers, 8 cores)");
    g.sample_size(20);
    for preset in ["cpu-bound", "web-server"] {
        let w = presets::get(preset).unwrap().workload();
        let s = Scenario::new(Model::Threads);
        g.bench_function(format!("{preset}, both cores"), |b| {
            b.iter(|| sweep(black_box(&s), &w, &profile, &Model::ALL, &workers).unwrap())
        });
        // One model per call runs on one thread: the single-core cost, as in
        // the browser.
        g.bench_function(format!("{preset}, one core"), |b| {
            b.iter(|| {
                for m in Model::ALL {
                    sweep(black_box(&s), &w, &profile, &[m], &workers).unwrap();
                }
            })
        });
    }
    g.finish();
}

criterion_group!(benches, events, full_sweep);
criterion_main!(benches);
