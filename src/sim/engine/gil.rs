//! The GIL: taking and releasing it, waiting, drop requests after a switch
//! interval, forced switching and hand-off latency (Python/ceval_gil.c).

use super::*;

impl Engine<'_> {
    pub(super) fn release_held(&mut self, tid: u32) {
        let held = self.threads[tid as usize].holds;
        if held != NO_GIL {
            self.release(tid, held);
        }
    }

    pub(super) fn try_take(&mut self, tid: u32, i: u32) -> bool {
        let g = &self.gils[i as usize];
        if g.holder != NONE {
            return false;
        }
        if self.threads[tid as usize].no_retake == i && g.last_holder == tid {
            return false;
        }
        let now = self.now;
        let g = &mut self.gils[i as usize];
        g.holder = tid;
        if g.last_holder != tid {
            g.last_holder = tid;
            g.switch_no += 1;
        }
        g.drop_requested = false;
        g.span_start = now;
        if let Some(pos) = g.waiters.iter().position(|&w| w == tid) {
            g.waiters.remove(pos);
        }
        if g.signaled == tid {
            g.signaled = NONE;
        }
        let waiting = !g.waiters.is_empty();
        let th = &mut self.threads[tid as usize];
        th.holds = i;
        th.no_retake = NO_GIL;
        if waiting {
            self.arm_drop(i);
        }
        true
    }

    pub(super) fn release(&mut self, tid: u32, i: u32) {
        let now = self.now;
        let g = &mut self.gils[i as usize];
        if g.holder != tid {
            self.failure = Some(format!("thread {tid} released GIL {i} it does not hold"));
            return;
        }
        g.holder = NONE;
        g.drop_requested = false;
        let start = g.span_start;
        self.threads[tid as usize].holds = NO_GIL;
        if let Some(tr) = &mut self.trace {
            if now > start {
                tr.gil_spans.push(GilSpan {
                    interpreter: i,
                    start_ns: start,
                    end_ns: now,
                    holder: tid,
                });
            }
        }
        self.maybe_signal(i);
    }

    pub(super) fn arm_drop(&mut self, i: u32) {
        let g = &mut self.gils[i as usize];
        if g.armed_for == Some(g.switch_no) {
            return;
        }
        g.armed_for = Some(g.switch_no);
        let sn = g.switch_no;
        self.q
            .push(self.now + self.c.switch_interval_ns, Ev::DropTimer(i, sn));
    }

    /// A GIL waiter stays on its core, awake but waiting, unless a runnable
    /// thread needs the core; then it sleeps without one.
    pub(super) fn park(&mut self, tid: u32, core: u32) {
        if self.runq.is_empty() {
            self.set_occ(core, Occ::Park(tid));
        } else {
            self.threads[tid as usize].core = None;
            self.n_gil_unparked += 1;
            self.vacate(core);
        }
    }

    pub(super) fn wait_gil(&mut self, tid: u32, i: u32) {
        let th = &mut self.threads[tid as usize];
        th.state = TState::GilWait;
        th.epoch = th.epoch.wrapping_add(1);
        self.gils[i as usize].waiters.push_back(tid);
        if let Some(core) = self.threads[tid as usize].core {
            self.park(tid, core);
        } else {
            self.n_gil_unparked += 1;
        }
        if self.gils[i as usize].holder != NONE {
            self.arm_drop(i);
        } else {
            self.maybe_signal(i);
        }
    }

    /// Wake the first waiter that may take the free GIL, unless one is
    /// already being woken.
    pub(super) fn maybe_signal(&mut self, i: u32) {
        let g = &self.gils[i as usize];
        if g.holder != NONE || g.signaled != NONE || g.waiters.is_empty() {
            return;
        }
        let eligible = g
            .waiters
            .iter()
            .copied()
            .find(|&w| !(self.threads[w as usize].no_retake == i && g.last_holder == w));
        let w = match eligible {
            Some(w) => w,
            None => {
                // Only a thread that just dropped it is waiting: nobody else
                // can take it, so forced switching has nothing to wait for.
                let w = g.waiters[0];
                self.threads[w as usize].no_retake = NO_GIL;
                w
            }
        };
        self.gils[i as usize].signaled = w;
        let ep = self.threads[w as usize].epoch;
        if let Some(core) = self.threads[w as usize].core {
            self.set_occ(core, Occ::Hand(w));
        }
        self.q
            .push(self.now + self.c.gil_handoff_ns, Ev::Wake(w, ep));
    }

    pub(super) fn on_wake(&mut self, tid: u32, ep: u32) {
        let th = &self.threads[tid as usize];
        let i = self.act_gil(tid);
        if th.epoch != ep || th.state != TState::GilWait || i == NO_GIL {
            return;
        }
        if self.gils[i as usize].signaled == tid {
            self.gils[i as usize].signaled = NONE;
        }
        if self.try_take(tid, i) {
            match self.threads[tid as usize].core {
                Some(core) => {
                    self.set_occ(core, Occ::Run(tid));
                    let now = self.now;
                    let c = &mut self.cores[core as usize];
                    c.switch_until = now;
                    c.placed_at = now;
                    c.epoch = c.epoch.wrapping_add(1);
                    let cep = c.epoch;
                    self.threads[tid as usize].state = TState::Running;
                    if !self.runq.is_empty() {
                        self.q
                            .push(now + self.c.os_quantum_ns, Ev::Slice(core, cep));
                    }
                    self.advance(tid);
                }
                None => {
                    self.n_gil_unparked -= 1;
                    self.make_runnable(tid);
                }
            }
        } else {
            if let Some(core) = self.threads[tid as usize].core {
                self.park(tid, core);
            }
            self.maybe_signal(i);
        }
    }

    pub(super) fn act_gil(&self, tid: u32) -> u32 {
        self.threads[tid as usize]
            .acts
            .front()
            .map(|a| a.gil)
            .unwrap_or(NO_GIL)
    }

    pub(super) fn on_drop_timer(&mut self, i: u32, sn: u64) {
        let g = &mut self.gils[i as usize];
        if g.armed_for == Some(sn) {
            g.armed_for = None;
        }
        if g.switch_no != sn || g.holder == NONE || g.waiters.is_empty() {
            if g.holder != NONE && !g.waiters.is_empty() {
                self.arm_drop(i);
            }
            return;
        }
        g.drop_requested = true;
        self.q
            .push(self.now + self.c.eval_breaker_ns, Ev::DropNotice(i, sn));
    }

    pub(super) fn on_drop_notice(&mut self, i: u32, sn: u64) {
        let g = &self.gils[i as usize];
        if g.switch_no != sn || !g.drop_requested || g.holder == NONE || g.waiters.is_empty() {
            return;
        }
        let h = g.holder;
        let th = &self.threads[h as usize];
        if th.state == TState::Running
            && th.act_running
            && th.acts.front().map(|a| a.gil) == Some(i)
        {
            self.force_drop(h, i);
        }
        // Otherwise the holder is off its core or between acts; it drops the
        // GIL when it next runs Python (see `advance`).
    }

    pub(super) fn force_drop(&mut self, tid: u32, i: u32) {
        self.stop_act(tid, false);
        self.release(tid, i);
        self.threads[tid as usize].no_retake = i;
        // The signalled waiter must take it before this thread may again.
        self.wait_gil(tid, i);
    }
}
