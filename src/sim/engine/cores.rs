//! The machine: which thread runs on which core, OS time slicing and context
//! switches, and the span-by-span accounting of every core-nanosecond.

use super::*;

impl Engine<'_> {
    pub(super) fn close_span(&mut self, core: u32) {
        let now = self.now;
        let c = &self.cores[core as usize];
        let start = c.span_start;
        if now <= start && !matches!(c.occ, Occ::Run(_)) {
            return;
        }
        let occ = c.occ;
        let switch_until = c.switch_until;
        let kind = c.kind;
        let mut spans: [(u64, u64, CoreState, u32); 2] = [(0, 0, CoreState::Python, 0); 2];
        let mut n = 0;
        match occ {
            Occ::Idle => {}
            Occ::Park(t) => {
                self.bd.gil_wait_ns += now - start;
                spans[0] = (start, now, CoreState::GilWait, t);
                n = 1;
            }
            Occ::Hand(t) => {
                self.bd.gil_handoff_ns += now - start;
                spans[0] = (start, now, CoreState::Handoff, t);
                n = 1;
            }
            Occ::Run(t) => {
                let sw_end = switch_until.min(now);
                if sw_end > start {
                    self.bd.os_switch_ns += sw_end - start;
                    spans[n] = (start, sw_end, CoreState::OsSwitch, t);
                    n += 1;
                }
                let busy_start = start.max(switch_until);
                if now > busy_start {
                    let len = now - busy_start;
                    let state = kind.unwrap_or(CoreState::Dispatch);
                    self.charge(state, len, t);
                    spans[n] = (busy_start, now, state, t);
                    n += 1;
                }
            }
        }
        if let Some(tr) = &mut self.trace {
            for &(s, e, state, thread) in &spans[..n] {
                if e > s {
                    tr.core_spans.push(CoreSpan {
                        core,
                        start_ns: s,
                        end_ns: e,
                        state,
                        thread,
                    });
                }
            }
        }
        self.cores[core as usize].span_start = now;
    }

    pub(super) fn charge(&mut self, state: CoreState, len: u64, t: u32) {
        match state {
            CoreState::Python => {
                let th = &self.threads[t as usize];
                let scale =
                    |x: u64, f: u64| ((x as u128 * f as u128 / PPM as u128) as u64).min(len);
                if th.factor_ppm == PPM {
                    self.bd.python_ns += len;
                    return;
                }
                let useful = (len as u128 * PPM as u128 / th.factor_ppm as u128) as u64;
                let with_overhead = scale(useful, PPM + th.overhead_ppm);
                // Rounding remainders go to the last factor in play.
                let with_contention = if th.clock_ppm == PPM {
                    len
                } else {
                    scale(with_overhead, PPM + th.contention_ppm)
                };
                self.bd.python_ns += useful;
                self.bd.ft_overhead_ns += with_overhead - useful;
                self.bd.contention_ns += with_contention - with_overhead;
                self.bd.clock_ns += len - with_contention;
                self.bd.python_clock_ns += len - with_contention;
            }
            CoreState::Native | CoreState::Transfer | CoreState::Startup | CoreState::Dispatch => {
                let clock = self.threads[t as usize].clock_ppm;
                let base = if clock == PPM {
                    len
                } else {
                    (len as u128 * PPM as u128 / clock as u128) as u64
                };
                self.bd.clock_ns += len - base;
                match state {
                    CoreState::Native => self.bd.native_ns += base,
                    CoreState::Transfer => self.bd.transfer_ns += base,
                    CoreState::Startup => self.bd.startup_ns += base,
                    _ => self.bd.dispatch_ns += base,
                }
            }
            CoreState::OsSwitch => self.bd.os_switch_ns += len,
            CoreState::GilWait => self.bd.gil_wait_ns += len,
            CoreState::Handoff => self.bd.gil_handoff_ns += len,
        }
    }

    pub(super) fn set_occ(&mut self, core: u32, occ: Occ) {
        self.close_span(core);
        let c = &mut self.cores[core as usize];
        let old = c.occ;
        c.occ = occ;
        c.kind = None;
        let was = matches!(old, Occ::Run(_));
        let is = matches!(occ, Occ::Run(_));
        if was != is {
            self.count_busy();
            if was {
                self.running_cores -= 1;
            } else {
                self.running_cores += 1;
            }
            self.open_clock_window();
        }
        match old {
            Occ::Idle => {
                self.idle_cores.remove(core);
            }
            Occ::Park(_) => {
                self.parked_cores.remove(core);
            }
            _ => {}
        }
        match occ {
            Occ::Idle => {
                self.idle_cores.insert(core);
            }
            Occ::Park(_) => {
                self.parked_cores.insert(core);
            }
            _ => {}
        }
    }

    pub(super) fn set_kind(&mut self, core: u32, kind: Option<CoreState>) {
        if self.cores[core as usize].kind != kind {
            self.close_span(core);
            self.cores[core as usize].kind = kind;
        }
    }

    pub(super) fn find_free_core(&self, tid: u32) -> Option<u32> {
        if let Some(c) = self.threads[tid as usize].last_core {
            if self.cores[c as usize].occ == Occ::Idle {
                return Some(c);
            }
        }
        self.idle_cores
            .first()
            .or_else(|| self.parked_cores.first())
    }

    pub(super) fn make_runnable(&mut self, tid: u32) {
        self.threads[tid as usize].state = TState::Runnable;
        match self.find_free_core(tid) {
            Some(core) => self.place(tid, core),
            None => {
                let was_empty = self.runq.is_empty();
                self.runq.push_back(tid);
                if was_empty {
                    for core in 0..self.ncores {
                        let c = &self.cores[core as usize];
                        if matches!(c.occ, Occ::Run(_)) {
                            let at = (c.placed_at + self.c.os_quantum_ns).max(self.now);
                            self.q.push(at, Ev::Slice(core, c.epoch));
                        }
                    }
                }
            }
        }
    }

    pub(super) fn place(&mut self, tid: u32, core: u32) {
        if let Occ::Park(w) = self.cores[core as usize].occ {
            if w != tid {
                self.threads[w as usize].core = None;
                self.n_gil_unparked += 1;
            }
        }
        let ctx = if self.cores[core as usize].last_thread == Some(tid) {
            0
        } else {
            self.c.context_switch_ns
        };
        self.set_occ(core, Occ::Run(tid));
        let now = self.now;
        let c = &mut self.cores[core as usize];
        c.switch_until = now + ctx;
        c.last_thread = Some(tid);
        c.placed_at = now;
        c.epoch = c.epoch.wrapping_add(1);
        let ep = c.epoch;
        let th = &mut self.threads[tid as usize];
        th.core = Some(core);
        th.last_core = Some(core);
        th.state = TState::Running;
        if !self.runq.is_empty() {
            self.q.push(now + self.c.os_quantum_ns, Ev::Slice(core, ep));
        }
        self.advance(tid);
    }

    /// The thread gives up its core (it blocked, waits on I/O or exited).
    pub(super) fn leave_core(&mut self, tid: u32) {
        let Some(core) = self.threads[tid as usize].core.take() else {
            return;
        };
        self.vacate(core);
    }

    pub(super) fn vacate(&mut self, core: u32) {
        if let Some(next) = self.runq.pop_front() {
            self.place(next, core);
        } else {
            self.set_occ(core, Occ::Idle);
        }
    }

    pub(super) fn on_slice(&mut self, core: u32, ep: u32) {
        let c = &self.cores[core as usize];
        if c.epoch != ep || self.runq.is_empty() {
            return;
        }
        let Occ::Run(t) = c.occ else { return };
        self.stop_act(t, false);
        let th = &mut self.threads[t as usize];
        th.core = None;
        th.state = TState::Runnable;
        th.epoch = th.epoch.wrapping_add(1);
        self.runq.push_back(t);
        let next = self.runq.pop_front().unwrap_or(t);
        self.place(next, core);
    }
}
