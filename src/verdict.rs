//! Plain-words verdicts computed from predictions: which model wins and by
//! how much, where the others lose their time, and which cannot run. The
//! command line prints them under a comparison and the web app shows them
//! beside its charts; every number comes from the predictions passed in.

use crate::i18n::{mark, Lang, Part, Sentence};
use crate::model::Model;
use crate::predict::Prediction;

/// A cause of lost time worth naming, with the words for it.
/// Waiting on I/O is the workload's, not the model's, so it is not named.
const LOSSES: [(&str, &str); 9] = [
    ("gil_wait", mark("waiting for a GIL")),
    ("gil_handoff", mark("GIL hand-offs")),
    ("transfer", mark("pickling and copying payloads")),
    ("startup", mark("starting workers and importing")),
    ("dispatch", mark("handing tasks over")),
    ("ft_overhead", mark("the free-threaded build's overhead")),
    ("contention", mark("contention on shared objects")),
    ("clock", mark("the lower all-core clock")),
    ("os_switch", mark("switching threads")),
];

/// Words for a cause of lost time (a breakdown key), for tables; idle
/// cores and anything not named above keep their key.
pub fn loss_words(cause: &str) -> &str {
    match cause {
        "idle" => mark("idle cores"),
        c => LOSSES.iter().find(|l| l.0 == c).map_or(c, |l| l.1),
    }
}

/// The share of a prediction's core time [0, 1] spent on `cause`.
fn share(p: &Prediction, cause: &str) -> f64 {
    let total: f64 = p.breakdown.values().sum();
    if total <= 0.0 {
        0.0
    } else {
        p.breakdown.get(cause).copied().unwrap_or(0.0) / total
    }
}

/// The largest named loss of a prediction, if it takes at least `min` of
/// its core time.
fn main_loss(p: &Prediction, min: f64) -> Option<(&'static str, f64)> {
    LOSSES
        .iter()
        .map(|&(cause, words)| (words, share(p, cause)))
        .filter(|&(_, s)| s >= min)
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

fn times(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.0}x")
    } else {
        format!("{x:.1}x")
    }
}

fn t(x: impl ToString) -> Part {
    Part::Text(x.to_string())
}

/// The opening sentences for a server: who keeps up with the offered load,
/// and who answers fastest.
fn server_lead(preds: &[Prediction]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let Some(first) = preds.first() else {
        return out;
    };
    let offered = first.offered_per_s.unwrap_or(0.0);
    let p99 = |p: &Prediction| {
        p.latency_ms
            .as_ref()
            .map(|l| l.p99)
            .unwrap_or(f64::INFINITY)
    };
    let thr = |p: &Prediction| p.throughput_per_s.unwrap_or(0.0);
    let keep_up: Vec<&Prediction> = preds.iter().filter(|p| thr(p) >= 0.95 * offered).collect();
    let best = keep_up
        .iter()
        .copied()
        .min_by(|a, b| p99(a).total_cmp(&p99(b)))
        .or_else(|| preds.iter().max_by(|a, b| thr(a).total_cmp(&thr(b))));
    out.push(Sentence::new(
        mark("On {} cores, {} of {} models keep up with the offered {} requests/s."),
        vec![
            t(first.cores),
            t(keep_up.len()),
            t(preds.len()),
            t(format!("{offered:.0}")),
        ],
    ));
    if let Some(b) = best {
        let lead = vec![
            t(format!("{:.1}", p99(b))),
            t(format!("{:.0}", thr(b))),
            t(b.model),
        ];
        match preds
            .iter()
            .find(|p| p.model == Model::Sequential && p.model != b.model)
        {
            Some(seq) => out.push(Sentence::new(
                mark("The lowest p99 latency, {} ms at {} requests/s, comes with {} (sequential: {} ms at {} requests/s)."),
                lead.into_iter()
                    .chain([t(format!("{:.1}", p99(seq))), t(format!("{:.0}", thr(seq)))])
                    .collect(),
            )),
            None => out.push(Sentence::new(
                mark("The lowest p99 latency, {} ms at {} requests/s, comes with {}."),
                lead,
            )),
        }
    }
    out
}

/// Sentences about a set of predictions of one workload on one machine, and
/// the models that could not run it (with the reason).
pub fn sentences(preds: &[Prediction], unavailable: &[(Model, String)]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut ranked: Vec<&Prediction> = preds.iter().collect();
    ranked.sort_by(|a, b| b.speedup.total_cmp(&a.speedup));
    let server = preds.iter().any(|p| p.throughput_per_s.is_some());
    if server {
        out.extend(server_lead(preds));
    } else if let Some(best) = ranked.first() {
        out.push(if best.speedup >= 1.05 {
            Sentence::new(
                mark("On {} cores the fastest model is {}, {} faster than sequential ({} s against {} s)."),
                vec![
                    t(best.cores),
                    t(best.model),
                    t(times(best.speedup)),
                    t(format!("{:.3}", best.makespan_s)),
                    t(format!("{:.3}", best.baseline_s)),
                ],
            )
        } else {
            Sentence::new(
                mark("On {} cores no model beats sequential by more than 5%; the best is {} at {}x."),
                vec![t(best.cores), t(best.model), t(format!("{:.2}", best.speedup))],
            )
        });
        if let Some(second) = ranked.get(1) {
            if second.speedup > 0.0 && best.speedup / second.speedup < 1.1 {
                out.push(Sentence::new(
                    mark("Close behind: {} at {}x, with a peak of {} MiB against {} MiB."),
                    vec![
                        t(second.model),
                        t(format!("{:.2}", second.speedup)),
                        t(format!(
                            "{:.0}",
                            second.peak_memory_bytes as f64 / 1_048_576.0
                        )),
                        t(format!(
                            "{:.0}",
                            best.peak_memory_bytes as f64 / 1_048_576.0
                        )),
                    ],
                ));
            }
        }
    }
    for p in &ranked {
        if p.model == Model::Sequential {
            continue;
        }
        let loss = main_loss(p, 0.2);
        let pct = |s: f64| t(format!("{:.0}", s * 100.0));
        if p.speedup < 0.95 {
            let slower = t(times(1.0 / p.speedup.max(1e-9)));
            out.push(match loss {
                Some((words, s)) => Sentence::new(
                    mark("With {}, the work runs {} slower than sequential: {}% of the core time goes to {}."),
                    vec![t(p.model), slower, pct(s), Part::Words(words)],
                ),
                None => Sentence::new(
                    mark("With {}, the work runs {} slower than sequential."),
                    vec![t(p.model), slower],
                ),
            });
        } else if let Some((words, s)) = loss {
            out.push(Sentence::new(
                mark("With {}, {}% of the core time goes to {}."),
                vec![t(p.model), pct(s), Part::Words(words)],
            ));
        }
    }
    for (m, why) in unavailable {
        out.push(Sentence::new(
            mark("Unavailable: {} ({})."),
            vec![t(m), Part::Message(why.clone())],
        ));
    }
    out
}

/// [`sentences`] in English.
pub fn verdict(preds: &[Prediction], unavailable: &[(Model, String)]) -> Vec<String> {
    sentences(preds, unavailable)
        .iter()
        .map(|s| s.render(Lang::En))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::predict::predict;
    use crate::presets;
    use crate::profile::Profile;
    use crate::sim::Scenario;

    #[test]
    fn names_the_winner_and_the_gil_bound_threads() {
        let w = presets::get("cpu-bound").unwrap().workload();
        let profile = Profile::shipped();
        let preds: Vec<Prediction> = [Model::Sequential, Model::Threads, Model::Interpreters]
            .iter()
            .map(|&m| predict(&Scenario::new(m), &w, &profile).unwrap())
            .collect();
        let v = verdict(&preds, &[(Model::FreeThreading, "no reason".into())]);
        assert!(
            v[0].starts_with("On 8 cores the fastest model is interpreters"),
            "{v:?}"
        );
        let threads = v.iter().find(|s| s.starts_with("With threads")).unwrap();
        assert!(threads.contains("waiting for a GIL"), "{threads}");
        // Most cores wait while one holds the GIL; the figure is the run's own.
        let t = preds.iter().find(|p| p.model == Model::Threads).unwrap();
        let expected = format!("{:.0}%", share(t, "gil_wait") * 100.0);
        assert!(
            threads.contains(&expected) && share(t, "gil_wait") > 0.6,
            "{threads}"
        );
        assert!(v.last().unwrap().starts_with("Unavailable: free-threading"));
    }
}
