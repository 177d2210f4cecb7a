//! A trace laid out for drawing: one lane per core and one per GIL, each a
//! list of spans sorted by start, so that a renderer can find the spans in a
//! time window by binary search; and what is on every lane at an instant,
//! for the hover read-out.

use crate::i18n::mark;
use crate::sim::trace::{CoreState, Trace, TransferSpan};

/// A span on a lane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    /// Start (ns).
    pub start: u64,
    /// End (ns).
    pub end: u64,
    /// What a core does (core lanes), or `None` for a GIL held.
    pub state: Option<CoreState>,
    /// The thread on the core, or holding the GIL.
    pub thread: u32,
}

/// The kind of a lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneKind {
    /// A core.
    Core(u32),
    /// The GIL of an interpreter.
    Gil(u32),
}

/// One lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// What it shows.
    pub kind: LaneKind,
    /// Spans sorted by start, not overlapping.
    pub spans: Vec<Span>,
}

/// A trace as lanes.
#[derive(Clone, Debug, PartialEq)]
pub struct Lanes {
    /// Run length (ns).
    pub makespan: u64,
    /// Core lanes then GIL lanes (only GILs that are enabled).
    pub lanes: Vec<Lane>,
    /// Transfers sorted by start.
    pub transfers: Vec<TransferSpan>,
    /// Longest transfer (ns), to bound searches for those in flight.
    pub longest_transfer: u64,
    /// Role of each thread ("main", "worker", ...), by thread index.
    pub roles: Vec<String>,
}

impl Lanes {
    /// Lay out a trace.
    pub fn new(t: &Trace) -> Self {
        let mut lanes: Vec<Lane> = (0..t.cores)
            .map(|c| Lane {
                kind: LaneKind::Core(c),
                spans: Vec::new(),
            })
            .collect();
        for s in &t.core_spans {
            if let Some(l) = lanes.get_mut(s.core as usize) {
                l.spans.push(Span {
                    start: s.start_ns,
                    end: s.end_ns,
                    state: Some(s.state),
                    thread: s.thread,
                });
            }
        }
        let first_gil = lanes.len();
        for g in t.gils.iter().filter(|g| g.enabled) {
            lanes.push(Lane {
                kind: LaneKind::Gil(g.interpreter),
                spans: Vec::new(),
            });
        }
        for s in &t.gil_spans {
            if let Some(l) = lanes[first_gil..]
                .iter_mut()
                .find(|l| l.kind == LaneKind::Gil(s.interpreter))
            {
                l.spans.push(Span {
                    start: s.start_ns,
                    end: s.end_ns,
                    state: None,
                    thread: s.holder,
                });
            }
        }
        for l in &mut lanes {
            l.spans.sort_by_key(|s| (s.start, s.end));
        }
        let mut transfers = t.transfers.clone();
        transfers.sort_by_key(|x| (x.start_ns, x.end_ns));
        let longest_transfer = transfers
            .iter()
            .map(|x| x.end_ns - x.start_ns)
            .max()
            .unwrap_or(0);
        let mut roles = vec![String::new(); t.threads.len()];
        for th in &t.threads {
            if let Some(r) = roles.get_mut(th.thread as usize) {
                *r = th.role.clone();
            }
        }
        Lanes {
            makespan: t.makespan_ns,
            lanes,
            transfers,
            longest_transfer,
            roles,
        }
    }

    /// Number of core lanes.
    pub fn cores(&self) -> usize {
        self.lanes
            .iter()
            .filter(|l| matches!(l.kind, LaneKind::Core(_)))
            .count()
    }

    /// Transfers in flight at `t`.
    pub fn in_flight(&self, t: u64) -> impl Iterator<Item = &TransferSpan> {
        let from = t.saturating_sub(self.longest_transfer);
        let i = self.transfers.partition_point(|x| x.start_ns < from);
        self.transfers[i..]
            .iter()
            .take_while(move |x| x.start_ns <= t)
            .filter(move |x| x.end_ns >= t)
    }
}

impl Lane {
    /// The spans that overlap `[from, to)`.
    pub fn window(&self, from: u64, to: u64) -> &[Span] {
        // Spans do not overlap, so their ends are sorted too.
        let i = self.spans.partition_point(|s| s.end <= from);
        let j = self.spans.partition_point(|s| s.start < to);
        &self.spans[i..j.max(i)]
    }

    /// The span at `t`, if any.
    pub fn at(&self, t: u64) -> Option<&Span> {
        self.window(t, t.saturating_add(1)).first()
    }
}

/// Plain words for a core state, as the legend and hover read-out say it.
pub fn state_label(s: CoreState) -> &'static str {
    match s {
        CoreState::Python => mark("running Python"),
        CoreState::Native => mark("native code (GIL released)"),
        CoreState::Transfer => mark("pickling, copying or piping"),
        CoreState::Startup => mark("starting up or importing"),
        CoreState::Dispatch => mark("pool or event-loop bookkeeping"),
        CoreState::OsSwitch => mark("OS context switch"),
        CoreState::GilWait => mark("awake, waiting for the GIL"),
        CoreState::Handoff => mark("GIL hand-off"),
    }
}

/// Every core state, in legend order.
pub const STATES: [CoreState; 8] = [
    CoreState::Python,
    CoreState::Native,
    CoreState::GilWait,
    CoreState::Handoff,
    CoreState::Transfer,
    CoreState::Startup,
    CoreState::Dispatch,
    CoreState::OsSwitch,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::predict::predict_with;
    use crate::presets;
    use crate::profile::Profile;
    use crate::sim::{RunOptions, Scenario};

    fn lanes_of(model: Model, preset: &str) -> Lanes {
        let w = presets::get(preset).unwrap().workload();
        let mut s = Scenario::new(model);
        s.cores = 4;
        s.workers = 4;
        let opts = RunOptions {
            trace: true,
            ..RunOptions::default()
        };
        let p = predict_with(&s, &w, &Profile::shipped(), opts, None).unwrap();
        Lanes::new(p.run.trace.as_ref().unwrap())
    }

    #[test]
    fn lanes_hold_sorted_disjoint_spans_and_windows_find_them() {
        let l = lanes_of(Model::Threads, "cpu-bound");
        assert_eq!(l.cores(), 4);
        // One GIL lane for the one interpreter.
        assert_eq!(l.lanes.len(), 5);
        for lane in &l.lanes {
            for w in lane.spans.windows(2) {
                assert!(w[0].end <= w[1].start, "{:?}", lane.kind);
            }
            // A window finds exactly the overlapping spans.
            let (a, b) = (l.makespan / 3, l.makespan / 2);
            let found = lane.window(a, b);
            let want: Vec<Span> = lane
                .spans
                .iter()
                .filter(|s| s.start < b && s.end > a)
                .copied()
                .collect();
            assert_eq!(found, &want[..]);
        }
        let gil = l.lanes.last().unwrap();
        assert!(gil.at(l.makespan / 2).is_some(), "the GIL is held mid-run");
    }

    #[test]
    fn transfers_in_flight_are_found() {
        let l = lanes_of(Model::Processes, "data-pipeline");
        assert!(!l.transfers.is_empty());
        let x = &l.transfers[l.transfers.len() / 2];
        let mid = (x.start_ns + x.end_ns) / 2;
        assert!(l.in_flight(mid).any(|y| y == x));
        let brute = l
            .transfers
            .iter()
            .filter(|y| y.start_ns <= mid && y.end_ns >= mid)
            .count();
        assert_eq!(l.in_flight(mid).count(), brute);
    }
}
