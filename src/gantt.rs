//! An ASCII Gantt chart of a trace: a row per core and a row per GIL, one
//! character per time bucket, showing what occupied each lane for most of
//! the bucket.

use crate::sim::trace::{CoreState, Trace};
use std::fmt::Write;

/// Render `trace` `width` characters wide.
pub fn render(trace: &Trace, width: u32) -> String {
    let width = width.clamp(10, 1000) as u64;
    let end = trace.makespan_ns.max(1);
    let bucket = end.div_ceil(width).max(1);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "time 0 .. {:.3} ms, {:.3} ms per column",
        end as f64 / 1e6,
        bucket as f64 / 1e6
    );
    // Per lane, per bucket, the time spent in each state.
    const STATES: [CoreState; 8] = [
        CoreState::Python,
        CoreState::Native,
        CoreState::Transfer,
        CoreState::Startup,
        CoreState::Dispatch,
        CoreState::OsSwitch,
        CoreState::GilWait,
        CoreState::Handoff,
    ];
    let mut cores = vec![vec![[0u64; 8]; width as usize]; trace.cores as usize];
    for s in &trace.core_spans {
        let si = STATES.iter().position(|x| *x == s.state).unwrap_or(0);
        spread(
            &mut cores[s.core as usize],
            s.start_ns,
            s.end_ns,
            bucket,
            si,
        );
    }
    for (i, lane) in cores.iter().enumerate() {
        let row: String = lane
            .iter()
            .map(|b| {
                let (k, v) = b
                    .iter()
                    .enumerate()
                    .max_by_key(|&(_, v)| *v)
                    .unwrap_or((0, &0));
                if *v * 2 < bucket {
                    ' '
                } else {
                    STATES[k].glyph()
                }
            })
            .collect();
        let _ = writeln!(out, "core {i:>3} |{row}|");
    }
    for g in &trace.gils {
        if !g.enabled {
            continue;
        }
        let mut lane = vec![(0u64, u32::MAX); width as usize];
        for s in trace
            .gil_spans
            .iter()
            .filter(|s| s.interpreter == g.interpreter)
        {
            let mut t = s.start_ns;
            while t < s.end_ns {
                let b = (t / bucket) as usize;
                let next = ((b as u64 + 1) * bucket).min(s.end_ns);
                if b < lane.len() {
                    lane[b].0 += next - t;
                    lane[b].1 = s.holder;
                }
                t = next;
            }
        }
        let row: String = lane
            .iter()
            .map(|&(busy, holder)| {
                if busy * 2 < bucket {
                    ' '
                } else {
                    std::char::from_digit(holder % 36, 36).unwrap_or('?')
                }
            })
            .collect();
        let _ = writeln!(out, "gil  {:>3} |{row}|", g.interpreter);
    }
    out.push_str(
        "legend: # python  n native  p transfer  s startup  d dispatch  o os switch  . waiting for GIL  h GIL hand-off  (blank) idle; GIL rows show the holder's thread number (base 36)\n",
    );
    out
}

fn spread(lane: &mut [[u64; 8]], start: u64, end: u64, bucket: u64, state: usize) {
    let mut t = start;
    while t < end {
        let b = (t / bucket) as usize;
        let next = ((b as u64 + 1) * bucket).min(end);
        if b < lane.len() {
            lane[b][state] += next - t;
        }
        t = next;
    }
}
