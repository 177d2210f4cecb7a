//! Claims: the statements a lesson makes about a run, in a form the tests
//! check against the simulator and the page ticks against the learner's
//! own run (`fastest = interpreters`, `speedup(threads) < 1.1`,
//! `share(threads, gil_wait) > 0.5`). The grammar is in `docs/content.md`.

use crate::model::Model;
use crate::view::run::ViewResult;
use serde::{Deserialize, Serialize};

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
        }
    }
}

/// A server latency percentile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pct {
    /// Median.
    P50,
    /// 95th.
    P95,
    /// 99th.
    P99,
}

/// Causes a share may name: the keys of a prediction's breakdown.
pub const CAUSES: [&str; 12] = [
    "python",
    "native",
    "io_wait",
    "gil_wait",
    "gil_handoff",
    "transfer",
    "startup",
    "dispatch",
    "os_switch",
    "ft_overhead",
    "contention",
    "idle",
];

/// One checkable statement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Claim {
    /// The model has the shortest makespan of those compared.
    Fastest(Model),
    /// The longest.
    Slowest(Model),
    /// Its speedup over sequential compares with a number.
    Speedup(Model, Op, f64),
    /// Its makespan over another's compares with a number.
    Ratio(Model, Model, Op, f64),
    /// The fraction of cores x makespan spent on a cause.
    Share(Model, String, Op, f64),
    /// A server's latency percentile (ms).
    Latency(Model, Pct, Op, f64),
    /// A server's completed requests per second.
    Throughput(Model, Op, f64),
    /// The model cannot run the workload.
    Unavailable(Model),
}

impl Claim {
    /// The models it names.
    pub fn models(&self) -> Vec<Model> {
        match *self {
            Claim::Fastest(m)
            | Claim::Slowest(m)
            | Claim::Speedup(m, ..)
            | Claim::Share(m, ..)
            | Claim::Latency(m, ..)
            | Claim::Throughput(m, ..)
            | Claim::Unavailable(m) => vec![m],
            Claim::Ratio(a, b, ..) => vec![a, b],
        }
    }
}

fn model(s: &str) -> Result<Model, String> {
    s.trim().parse()
}

fn number(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{:?} is not a number", s.trim()))?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(format!("{:?} is not a finite number", s.trim()))
    }
}

/// `name(args) OP number`, split.
fn call(s: &str) -> Result<(&str, Vec<&str>, Op, f64), String> {
    let open = s.find('(').ok_or("expected name(...)")?;
    let close = s.find(')').ok_or("a ( is not closed")?;
    if close < open {
        return Err("a ) comes before its (".into());
    }
    let name = s[..open].trim();
    let args = s[open + 1..close].split(',').map(str::trim).collect();
    let rest = s[close + 1..].trim();
    let (op, num) = if let Some(r) = rest.strip_prefix("<=") {
        (Op::Le, r)
    } else if let Some(r) = rest.strip_prefix(">=") {
        (Op::Ge, r)
    } else if let Some(r) = rest.strip_prefix('<') {
        (Op::Lt, r)
    } else if let Some(r) = rest.strip_prefix('>') {
        (Op::Gt, r)
    } else {
        return Err(format!(
            "expected <, <=, > or >= and a number after {name}(...)"
        ));
    };
    Ok((name, args, op, number(num)?))
}

/// Read one claim line.
pub fn parse(line: &str) -> Result<Claim, String> {
    let s = line.trim();
    if let Some((k, v)) = s.split_once('=') {
        if !k.contains(['<', '>', '(']) {
            return match k.trim() {
                "fastest" => Ok(Claim::Fastest(model(v)?)),
                "slowest" => Ok(Claim::Slowest(model(v)?)),
                other => Err(format!(
                    "unknown claim {other:?}: expected fastest or slowest"
                )),
            };
        }
    }
    if let Some(inner) = s
        .strip_prefix("unavailable(")
        .and_then(|r| r.strip_suffix(')'))
    {
        return Ok(Claim::Unavailable(model(inner)?));
    }
    let (name, args, op, x) = call(s)?;
    let arity = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("{name} takes {n} argument(s), not {}", args.len()))
        }
    };
    match name {
        "speedup" => {
            arity(1)?;
            Ok(Claim::Speedup(model(args[0])?, op, x))
        }
        "ratio" => {
            arity(2)?;
            Ok(Claim::Ratio(model(args[0])?, model(args[1])?, op, x))
        }
        "share" => {
            arity(2)?;
            let cause = CAUSES
                .iter()
                .find(|c| **c == args[1])
                .ok_or_else(|| format!("unknown cause {:?}: expected one of {}", args[1], CAUSES.join(", ")))?;
            Ok(Claim::Share(model(args[0])?, cause.to_string(), op, x))
        }
        "p50" | "p95" | "p99" => {
            arity(1)?;
            let p = match name {
                "p50" => Pct::P50,
                "p95" => Pct::P95,
                _ => Pct::P99,
            };
            Ok(Claim::Latency(model(args[0])?, p, op, x))
        }
        "throughput" => {
            arity(1)?;
            Ok(Claim::Throughput(model(args[0])?, op, x))
        }
        other => Err(format!(
            "unknown claim {other:?}: expected speedup, ratio, share, p50, p95, p99, throughput or unavailable"
        )),
    }
}

/// A claim checked against a run: whether it holds and what the run gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// Whether it holds.
    pub holds: bool,
    /// The value the run gave, in words (`1.02`, `interpreters`).
    pub actual: String,
}

/// The compared model that finished first, among those that ran.
pub fn fastest(r: &ViewResult) -> Option<Model> {
    extreme(r, true)
}

fn extreme(r: &ViewResult, first: bool) -> Option<Model> {
    let mut best: Option<(Model, f64)> = None;
    for run in &r.runs {
        if let Ok(p) = &run.outcome {
            let better = match best {
                None => true,
                Some((_, b)) => {
                    if first {
                        p.makespan_s < b
                    } else {
                        p.makespan_s > b
                    }
                }
            };
            if better {
                best = Some((run.model, p.makespan_s));
            }
        }
    }
    best.map(|b| b.0)
}

fn prediction(r: &ViewResult, m: Model) -> Result<&crate::predict::Prediction, String> {
    match r.runs.iter().find(|x| x.model == m).map(|x| &x.outcome) {
        Some(Ok(p)) => Ok(p),
        Some(Err(e)) => Err(format!("{} did not run: {e}", m.name())),
        None => Err(format!("{} is not compared", m.name())),
    }
}

/// The speedup of `m` in the run, if it ran.
pub fn speedup(r: &ViewResult, m: Model) -> Option<f64> {
    prediction(r, m).ok().map(|p| p.speedup)
}

/// Check a claim against a run. A claim about a model that did not run
/// does not hold (except `unavailable`).
pub fn check(c: &Claim, r: &ViewResult) -> Check {
    let value = |x: f64, op: Op, want: f64| Check {
        holds: op.holds(x, want),
        actual: format!("{x:.3}"),
    };
    let fail = |e: String| Check {
        holds: false,
        actual: e,
    };
    match c {
        Claim::Fastest(m) | Claim::Slowest(m) => {
            let got = extreme(r, matches!(c, Claim::Fastest(_)));
            Check {
                holds: got == Some(*m),
                actual: got.map_or("no model ran".into(), |g| g.name().to_string()),
            }
        }
        Claim::Speedup(m, op, x) => match prediction(r, *m) {
            Ok(p) => value(p.speedup, *op, *x),
            Err(e) => fail(e),
        },
        Claim::Ratio(a, b, op, x) => match (prediction(r, *a), prediction(r, *b)) {
            (Ok(pa), Ok(pb)) if pb.makespan_s > 0.0 => {
                value(pa.makespan_s / pb.makespan_s, *op, *x)
            }
            (Err(e), _) | (_, Err(e)) => fail(e),
            _ => fail("a makespan of zero".into()),
        },
        Claim::Share(m, cause, op, x) => match prediction(r, *m) {
            Ok(p) => {
                let total = f64::from(p.cores) * p.makespan_s;
                let part = p.breakdown.get(cause.as_str()).copied().unwrap_or(0.0);
                if total > 0.0 {
                    value(part / total, *op, *x)
                } else {
                    fail("a makespan of zero".into())
                }
            }
            Err(e) => fail(e),
        },
        Claim::Latency(m, pct, op, x) => match prediction(r, *m) {
            Ok(p) => match &p.latency_ms {
                Some(l) => value(
                    match pct {
                        Pct::P50 => l.p50,
                        Pct::P95 => l.p95,
                        Pct::P99 => l.p99,
                    },
                    *op,
                    *x,
                ),
                None => fail("not a server".into()),
            },
            Err(e) => fail(e),
        },
        Claim::Throughput(m, op, x) => match prediction(r, *m) {
            Ok(p) => match p.throughput_per_s {
                Some(t) => value(t, *op, *x),
                None => fail("not a server".into()),
            },
            Err(e) => fail(e),
        },
        Claim::Unavailable(m) => match r.runs.iter().find(|x| x.model == *m) {
            Some(run) => Check {
                holds: run.outcome.is_err(),
                actual: match &run.outcome {
                    Ok(_) => "it ran".into(),
                    Err(e) => e.clone(),
                },
            },
            None => fail(format!("{} is not compared", m.name())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        assert_eq!(
            parse("fastest = interpreters"),
            Ok(Claim::Fastest(Model::Interpreters))
        );
        assert_eq!(parse("slowest=threads"), Ok(Claim::Slowest(Model::Threads)));
        assert_eq!(
            parse("speedup(threads) < 1.1"),
            Ok(Claim::Speedup(Model::Threads, Op::Lt, 1.1))
        );
        assert_eq!(
            parse("ratio(free-threading, interpreters) >= 2"),
            Ok(Claim::Ratio(
                Model::FreeThreading,
                Model::Interpreters,
                Op::Ge,
                2.0
            ))
        );
        assert_eq!(
            parse("share(threads, gil_wait) > 0.5"),
            Ok(Claim::Share(Model::Threads, "gil_wait".into(), Op::Gt, 0.5))
        );
        assert_eq!(
            parse("p99(processes+threads) <= 40"),
            Ok(Claim::Latency(
                Model::ProcessesThreads,
                Pct::P99,
                Op::Le,
                40.0
            ))
        );
        assert_eq!(
            parse("throughput(asyncio) > 100"),
            Ok(Claim::Throughput(Model::Asyncio, Op::Gt, 100.0))
        );
        assert_eq!(
            parse("unavailable(interpreters)"),
            Ok(Claim::Unavailable(Model::Interpreters))
        );
    }

    #[test]
    fn refuses_what_is_not_a_claim() {
        for bad in [
            "",
            "fastest = nobody",
            "quickest = threads",
            "speedup(threads)",
            "speedup(threads) = 2",
            "speedup(threads) < lots",
            "speedup(threads) < inf",
            "speedup(threads, asyncio) < 2",
            "share(threads, coffee) > 0.1",
            "median(threads) < 3",
            ")speedup(threads < 2",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
