//! Running a thread's activities: taking the GIL an act needs, timing it with
//! the build's overhead, contention and the all-core clock, and blocking and
//! waking threads.

use super::*;

impl Engine<'_> {
    pub(super) fn gil_active(&self, i: u32) -> bool {
        i != NO_GIL && self.gils[i as usize].enabled
    }

    /// Work through the thread's activities until it starts a timed one,
    /// blocks or exits. The thread is on a core.
    pub(super) fn advance(&mut self, tid: u32) {
        loop {
            if self.threads[tid as usize].state != TState::Running {
                return;
            }
            let Some(act) = self.threads[tid as usize].acts.front().copied() else {
                if !self.next_work(tid) {
                    self.block(tid);
                    return;
                }
                continue;
            };
            // A thread the OS is still switching in can do nothing yet:
            // control steps and I/O wait for the switch to finish (CPU
            // work accounts for it in `start_act`).
            if matches!(act.kind, Kind::Mark(_) | Kind::Io) {
                if let Some(core) = self.threads[tid as usize].core {
                    let until = self.cores[core as usize].switch_until;
                    if self.now < until {
                        let th = &mut self.threads[tid as usize];
                        th.epoch = th.epoch.wrapping_add(1);
                        let ep = th.epoch;
                        self.q.push(until, Ev::Resume(tid, ep));
                        return;
                    }
                }
            }
            match act.kind {
                Kind::Mark(m) => {
                    self.threads[tid as usize].acts.pop_front();
                    if !self.mark(tid, m) {
                        return;
                    }
                }
                Kind::Io => {
                    self.threads[tid as usize].acts.pop_front();
                    if act.work == 0 {
                        continue;
                    }
                    self.release_held(tid);
                    let th = &mut self.threads[tid as usize];
                    th.state = TState::Io;
                    th.epoch = th.epoch.wrapping_add(1);
                    let ep = th.epoch;
                    self.n_io += 1;
                    // A timed sleep ends late by the OS's timer slack and
                    // the sleeper's wake-up.
                    let late = if self.sleeps { self.c.timer_late_ns } else { 0 };
                    self.q.push(self.now + act.work + late, Ev::IoDone(tid, ep));
                    self.leave_core(tid);
                    return;
                }
                _ => {
                    if act.work == 0 {
                        self.threads[tid as usize].acts.pop_front();
                        continue;
                    }
                    let held = self.threads[tid as usize].holds;
                    if self.gil_active(act.gil) {
                        if held == act.gil {
                            let g = &self.gils[act.gil as usize];
                            if g.drop_requested && !g.waiters.is_empty() {
                                self.force_drop(tid, act.gil);
                                return;
                            }
                        } else {
                            if held != NO_GIL {
                                self.release(tid, held);
                            }
                            if !self.try_take(tid, act.gil) {
                                self.wait_gil(tid, act.gil);
                                return;
                            }
                        }
                    } else if held != NO_GIL {
                        self.release(tid, held);
                    }
                    self.start_act(tid);
                    return;
                }
            }
        }
    }

    pub(super) fn shared_counted(&self, tid: u32, act: &Act) -> bool {
        act.kind == Kind::Python
            && act.shared_ppm > 0
            && self.c.contention_ppm > 0
            && !self.gil_active(self.threads[tid as usize].interp)
    }

    pub(super) fn start_act(&mut self, tid: u32) {
        let act = self.threads[tid as usize].acts[0];
        let p = self.threads[tid as usize].process as usize;
        let counted = self.shared_counted(tid, &act);
        if counted {
            self.shared_running[p].push(tid);
            self.threads[tid as usize].in_shared = true;
            self.mark_dirty(p);
        }
        let overhead = if self.ft_build && act.kind == Kind::Python {
            self.c.ft_overhead_ppm
        } else {
            0
        };
        let contention = if counted {
            self.contention_for(p, act.shared_ppm)
        } else {
            0
        };
        let core = self.threads[tid as usize].core.unwrap_or(0);
        let state = match act.kind {
            Kind::Python => CoreState::Python,
            Kind::Native => CoreState::Native,
            Kind::Transfer => CoreState::Transfer,
            Kind::Startup => CoreState::Startup,
            _ => CoreState::Dispatch,
        };
        self.set_kind(core, Some(state));
        let start = self.now.max(self.cores[core as usize].switch_until);
        let clock = self.clock_factor(act.kind);
        let th = &mut self.threads[tid as usize];
        th.overhead_ppm = overhead;
        th.contention_ppm = contention;
        th.clock_ppm = clock;
        th.factor_ppm = compose(overhead, contention, clock);
        th.run_start = start;
        th.act_running = true;
        th.epoch = th.epoch.wrapping_add(1);
        let ep = th.epoch;
        let dur = scaled_time(act.work, th.factor_ppm);
        self.q.push(start + dur, Ev::ActDone(tid, ep));
    }

    /// How much slower than a lone core the cores run now for work of
    /// `kind`, in parts per million (>= 1,000,000): linear in the mean number
    /// of cores running threads over the last sampling window, down to the
    /// profile's all-core speed, or for
    /// transfers (pickling, copying, piping: memory-bound work) its all-core
    /// memory speed. `on_clock_sample` re-times running acts when it changes.
    pub(super) fn clock_factor(&self, kind: Kind) -> u64 {
        self.clock_factor_at(kind, self.clock_busy_ppm)
    }

    /// The clock factor for work of `kind` with `busy_ppm` busy cores.
    fn clock_factor_at(&self, kind: Kind, busy_ppm: u64) -> u64 {
        let speed = if kind == Kind::Transfer {
            self.c.all_core_memory_speed_ppm
        } else {
            self.c.all_core_speed_ppm
        };
        if speed >= PPM || self.ncores <= 1 {
            return PPM;
        }
        let n = self.ncores as u64;
        let busy = busy_ppm.clamp(PPM, n * PPM);
        let drop = (PPM - speed) * (busy - PPM) / ((n - 1) * PPM);
        PPM * PPM / (PPM - drop)
    }

    pub(super) fn contention_for(&self, p: usize, shared_ppm: u32) -> u64 {
        let k = self.shared_running[p].len() as u64;
        if k <= 1 {
            return 0;
        }
        (self.c.contention_ppm as u128 * shared_ppm as u128 / PPM as u128) as u64 * (k - 1)
    }

    /// Account the progress of the running act up to now.
    pub(super) fn settle(&mut self, tid: u32) {
        let now = self.now;
        let th = &mut self.threads[tid as usize];
        if !th.act_running || now <= th.run_start {
            return;
        }
        let elapsed = now - th.run_start;
        let done = if th.factor_ppm == PPM {
            elapsed
        } else {
            (elapsed as u128 * PPM as u128 / th.factor_ppm as u128) as u64
        };
        if let Some(a) = th.acts.front_mut() {
            a.work = a.work.saturating_sub(done).max(1);
        }
        th.run_start = now;
    }

    /// Stop the running act: `finished` pops it, otherwise its progress is kept.
    pub(super) fn stop_act(&mut self, tid: u32, finished: bool) {
        if !self.threads[tid as usize].act_running {
            return;
        }
        if finished {
            self.threads[tid as usize].acts.pop_front();
        } else {
            self.settle(tid);
        }
        let th = &mut self.threads[tid as usize];
        th.act_running = false;
        th.epoch = th.epoch.wrapping_add(1);
        if let Some(core) = th.core {
            self.set_kind(core, None);
        }
        if self.threads[tid as usize].in_shared {
            self.threads[tid as usize].in_shared = false;
            let p = self.threads[tid as usize].process as usize;
            self.shared_running[p].retain(|&x| x != tid);
            self.mark_dirty(p);
        }
    }

    /// The number of threads mutating shared state in process `p` changed:
    /// re-time every other such thread.
    /// Note that the number of threads mutating shared state in process `p`
    /// changed; `rescale_dirty` re-times them once the event is handled.
    pub(super) fn mark_dirty(&mut self, p: usize) {
        if !self.dirty.contains(&(p as u32)) {
            self.dirty.push(p as u32);
        }
    }

    /// Re-time every thread whose contention changed with the number of
    /// threads mutating shared state in its process. Done once per event, so
    /// a thread swapped for another at the same instant re-times nobody.
    pub(super) fn rescale_dirty(&mut self) {
        while let Some(p) = self.dirty.pop() {
            let p = p as usize;
            for i in 0..self.shared_running[p].len() {
                let t = self.shared_running[p][i];
                let shared = self.threads[t as usize].acts[0].shared_ppm;
                let contention = self.contention_for(p, shared);
                if contention == self.threads[t as usize].contention_ppm {
                    continue;
                }
                let clock = self.threads[t as usize].clock_ppm;
                self.retime(t, contention, clock);
            }
        }
    }

    /// Re-time thread `t`'s running act from now with a new contention and
    /// clock factor: its progress so far is kept at the old ones, and the
    /// span so far is accounted at them.
    fn retime(&mut self, t: u32, contention_ppm: u64, clock_ppm: u64) {
        self.settle(t);
        if let Some(core) = self.threads[t as usize].core {
            self.close_span(core);
        }
        let th = &mut self.threads[t as usize];
        th.contention_ppm = contention_ppm;
        th.clock_ppm = clock_ppm;
        th.factor_ppm = compose(th.overhead_ppm, contention_ppm, clock_ppm);
        th.epoch = th.epoch.wrapping_add(1);
        let ep = th.epoch;
        let dur = scaled_time(th.acts[0].work, th.factor_ppm);
        let at = th.run_start.max(self.now) + dur;
        self.q.push(at, Ev::ActDone(t, ep));
    }

    /// Add the busy core-time up to now to the open sampling window's.
    pub(super) fn count_busy(&mut self) {
        if self.clock_window.is_some() {
            let dt = self.now.saturating_sub(self.busy_since);
            self.window_area += self.running_cores as u64 * dt;
        }
        self.busy_since = self.now;
    }

    /// The number of busy cores changed: open a sampling window unless one
    /// is open or the cores busy now would not move the clock by a step.
    pub(super) fn open_clock_window(&mut self) {
        let fixed = self.ncores <= 1
            || (self.c.all_core_speed_ppm >= PPM && self.c.all_core_memory_speed_ppm >= PPM);
        if fixed
            || self.clock_window.is_some()
            || !self.clock_would_step(self.running_cores as u64 * PPM)
        {
            return;
        }
        self.clock_window = Some(self.now);
        self.window_area = 0;
        self.busy_since = self.now;
        self.q.push(self.now + CLOCK_SAMPLE_NS, Ev::ClockSample);
    }

    /// The end of a sampling window: the clock takes the mean number of busy
    /// cores over it (when that moves the clock by a step or more), every
    /// running act whose end moves by a microsecond or more is re-timed, and
    /// a new window opens if the cores busy now would move the clock again.
    pub(super) fn on_clock_sample(&mut self) {
        let Some(start) = self.clock_window else {
            return;
        };
        self.count_busy();
        self.clock_window = None;
        // At most cores x CLOCK_SAMPLE_NS core-ns: no overflow in u64 (and
        // no 128-bit arithmetic, which is slow in wasm32).
        let len = self.now.saturating_sub(start).max(1);
        let mean = self.window_area * PPM / len;
        if self.clock_would_step(mean) {
            self.clock_busy_ppm = mean;
            self.retime_clock();
        }
        self.open_clock_window();
    }

    /// Whether `busy_ppm` busy cores would move the clock by a step or more.
    /// Like a CPU's discrete frequency steps, a smaller change in how many
    /// cores are busy leaves the clock where it is.
    /// Both clocks count: CPU work's and memory-bound work's (a machine
    /// whose cores keep their speed when all are busy may still share its
    /// memory bandwidth).
    fn clock_would_step(&self, busy_ppm: u64) -> bool {
        [Kind::Python, Kind::Transfer].into_iter().any(|kind| {
            let now = self.clock_factor(kind);
            let then = self.clock_factor_at(kind, busy_ppm);
            now.abs_diff(then) * PPM >= CLOCK_STEP_PPM * now
        })
    }

    /// Re-time every running act whose clock factor changed.
    fn retime_clock(&mut self) {
        for core in 0..self.ncores {
            let Occ::Run(t) = self.cores[core as usize].occ else {
                continue;
            };
            let th = &self.threads[t as usize];
            if !th.act_running {
                continue;
            }
            let clock = self.clock_factor(th.acts[0].kind);
            if clock == th.clock_ppm {
                continue;
            }
            // An act about to end keeps its time when the change would move
            // its end by under a microsecond.
            let left = scaled_time(th.acts[0].work, th.factor_ppm)
                .saturating_sub(self.now.saturating_sub(th.run_start));
            // Saturating: an overflow only means the act is re-timed.
            let moved = left.saturating_mul(clock.abs_diff(th.clock_ppm)) / th.clock_ppm.max(1);
            if moved < RECLOCK_TOLERANCE_NS {
                continue;
            }
            let contention = th.contention_ppm;
            self.retime(t, contention, clock);
        }
    }

    pub(super) fn block(&mut self, tid: u32) {
        if tid == self.parent && self.feed == Feed::Parent {
            self.relay_asleep = true;
        }
        self.release_held(tid);
        let th = &mut self.threads[tid as usize];
        th.state = TState::Blocked;
        th.epoch = th.epoch.wrapping_add(1);
        self.leave_core(tid);
    }

    /// How long a call takes to reach a pool worker that sleeps, beyond
    /// the CPU charged for it (the profile's hand-over latencies): the
    /// worker thread of a thread pool; the worker thread entering its
    /// interpreter; a process pool's manager and feeder threads, then the
    /// worker process. A relay that has not slept since its last call
    /// finds the worker's pipe with its threads awake: only the worker
    /// wakes, at no extra cost.
    pub(super) fn handover_ns(&self) -> u64 {
        let process = if self.relay_asleep {
            self.c.process_handover_ns
        } else {
            0
        };
        self.per_pool(
            self.c.thread_handover_ns,
            self.c.interpreter_handover_ns,
            process,
        )
    }

    /// How much later a busy pool's worker starts its next task after one
    /// that ended in a wait than after one that ended computing: the
    /// caller and the pool's relaying threads slept through the wait, and
    /// handing the result back wakes them (the profile's after-wait
    /// latencies, measured as the gap between two tasks of a one-worker
    /// pool with and without a sleep ending the first).
    pub(super) fn after_wait_ns(&self) -> u64 {
        self.per_pool(
            self.c.thread_after_wait_ns,
            self.c.interpreter_after_wait_ns,
            self.c.process_after_wait_ns,
        )
    }

    /// A pool's latency by the kind of pool: nothing for sequential code
    /// (its one thread is the caller) or for workers accepting from a
    /// shared socket.
    fn per_pool(&self, thread: u64, interpreter: u64, process: u64) -> u64 {
        if self.setup.model == Model::Sequential {
            return 0;
        }
        match self.xfer {
            Xfer::None => thread,
            Xfer::Interp => interpreter,
            Xfer::Pickle => process,
            Xfer::Socket => 0,
        }
    }

    /// Wake one worker waiting for a task, if any, after `latency`: the
    /// time the pool's relay takes to reach a worker that sleeps (see
    /// [`Engine::wake_after`]).
    pub(super) fn wake_idle_worker(&mut self, latency: u64) {
        if let Some(w) = self.idle_workers.pop_front() {
            self.wake_after(w, latency);
        }
    }

    /// Wake every worker waiting for a task (to take one or to exit).
    pub(super) fn wake_all_idle(&mut self) {
        // Take the list first: a woken worker that still has nothing to do
        // queues itself again, and must not be woken again in this call.
        for w in std::mem::take(&mut self.idle_workers) {
            self.wake(w);
        }
    }

    pub(super) fn wake(&mut self, tid: u32) {
        self.wake_after(tid, 0);
    }

    /// Wake a blocked thread, runnable `latency` from now. A pool's calls
    /// and results reach a thread that sleeps for them through wake-ups
    /// (a pipe, a futex, the GIL taken again), one per thread on the way;
    /// the profile's hand-over latencies are what those cost beyond the CPU
    /// charged for the call. The thread does nothing meanwhile and its core
    /// is free. A thread that is running is not delayed: a busy pool finds
    /// the next call queued. One already waking runs at once if something
    /// else wakes it with no latency (a process pool's one parent thread
    /// stands for its caller and its manager thread: a request arriving
    /// while a result's wake-up is under way is taken at once).
    pub(super) fn wake_after(&mut self, tid: u32, latency: u64) {
        if tid == NONE {
            return;
        }
        match self.threads[tid as usize].state {
            TState::Blocked => {}
            TState::Waking if latency == 0 => {
                self.make_runnable(tid);
                return;
            }
            _ => return,
        }
        if latency == 0 {
            self.make_runnable(tid);
            return;
        }
        let th = &mut self.threads[tid as usize];
        th.state = TState::Waking;
        th.epoch = th.epoch.wrapping_add(1);
        let ep = th.epoch;
        self.q.push(self.now + latency, Ev::Woken(tid, ep));
    }
}
