//! Where threads get work: pool workers, the main thread and process-pool
//! parent that feed them, the fork server, the asyncio event loop, and the
//! transfers a task's payloads need.

use super::*;

impl Engine<'_> {
    /// Give the thread more work. False means it must block.
    pub(super) fn next_work(&mut self, tid: u32) -> bool {
        match self.threads[tid as usize].role {
            Role::Worker => self.worker_next(tid),
            Role::Parent => self.parent_next(tid),
            Role::AsyncLoop => self.loop_next(tid),
            Role::ForkServer => self.server_next(tid),
            Role::Main => self.main_next(tid),
        }
    }

    pub(super) fn exit_acts(&mut self, tid: u32) {
        let i = self.threads[tid as usize].interp;
        let g = &mut self.gils[i as usize];
        g.live_threads = g.live_threads.saturating_sub(1);
        let last = g.live_threads == 0;
        if self.setup.model.uses_interpreters() && i != 0 && last {
            let mem = self.ft_mem(self.c.interpreter_memory);
            let acts = &mut self.threads[tid as usize].acts;
            acts.push_back(Act::cpu(Kind::Startup, self.c.interpreter_close_ns, i));
            acts.push_back(Act::mark(Mark::MemFree(mem)));
        }
        self.threads[tid as usize]
            .acts
            .push_back(Act::mark(Mark::Exit));
    }

    pub(super) fn worker_next(&mut self, tid: u32) -> bool {
        if self.setup.per_task && self.threads[tid as usize].tasks_run > 0 {
            self.exit_acts(tid);
            return true;
        }
        match self.feed {
            Feed::Direct => {
                if let Some(task) = self.pending.pop_front() {
                    self.take_task(tid, task);
                    if self.producer_blocked {
                        self.producer_blocked = false;
                        self.wake(self.main_thread());
                    }
                    return true;
                }
                if self.setup.model == Model::Sequential {
                    // The only thread is also the caller.
                    if let Some(task) = self.held.pop_front() {
                        let parent_ns =
                            self.groups[self.tasks[task as usize].group as usize].parent_ns;
                        let i = self.threads[tid as usize].interp;
                        self.threads[tid as usize].acts.push_back(Act::cpu(
                            Kind::Python,
                            parent_ns,
                            i,
                        ));
                        self.push_task_acts(tid, task);
                        return true;
                    }
                }
                if self.arrivals_open || !self.held.is_empty() {
                    self.go_idle(tid);
                    return false;
                }
            }
            Feed::Parent => {
                if let Some(task) = self.call_q.pop_front() {
                    self.take_task(tid, task);
                    let p = self.parent;
                    self.wake(p);
                    return true;
                }
                if !self.pending.is_empty() || self.arrivals_open {
                    // The parent has more to feed, or requests may yet come.
                    self.go_idle(tid);
                    return false;
                }
            }
        }
        self.exit_acts(tid);
        true
    }

    /// A worker takes a queued task. After a task that ended in a wait it
    /// first pauses for the pool's after-wait latency.
    fn take_task(&mut self, tid: u32, task: u32) {
        if std::mem::take(&mut self.threads[tid as usize].ended_in_wait) && self.after_wait_ns() > 0
        {
            self.threads[tid as usize]
                .acts
                .push_back(Act::mark(Mark::AfterWait));
        }
        self.push_task_acts(tid, task);
    }

    /// A worker with nothing to take sleeps until a call wakes it, which
    /// costs the idle pool's hand-over instead of the after-wait latency.
    fn go_idle(&mut self, tid: u32) {
        self.threads[tid as usize].ended_in_wait = false;
        self.idle_workers.push_back(tid);
    }

    pub(super) fn push_task_acts(&mut self, tid: u32, task: u32) {
        self.threads[tid as usize].tasks_run += 1;
        let gi = self.tasks[task as usize].group as usize;
        let g = &self.groups[gi];
        self.threads[tid as usize].ended_in_wait = g.repeat > 0
            && g.steps
                .last()
                .is_some_and(|&(kind, ns)| kind == Kind::Io && ns > 0);
        let home = self.threads[tid as usize].interp;
        let c = self.c;
        // A worker started for its task gets it as an argument, not from a queue.
        let sequential = self.setup.model == Model::Sequential || self.setup.per_task;
        let mut acts = std::mem::take(&mut self.threads[tid as usize].acts);
        let g = &self.groups[gi];
        match self.xfer {
            Xfer::Pickle => {
                // The parent pickled and piped the input; read and unpickle it here.
                self.receive_side(&mut acts, task, Dir::Input, home, g.input_bytes, g.payload);
            }
            Xfer::Interp => {
                if !sequential {
                    acts.push_back(Act::cpu(Kind::Dispatch, c.dispatch_ns, 0));
                }
                self.interp_transfer(
                    &mut acts,
                    task,
                    Dir::Input,
                    0,
                    home,
                    g.input_bytes,
                    g.payload,
                );
            }
            Xfer::Socket => {
                if !sequential {
                    acts.push_back(Act::cpu(Kind::Dispatch, c.dispatch_ns, home));
                }
                acts.push_back(Act::cpu(
                    Kind::Transfer,
                    bytes_time(g.input_bytes, c.pipe_bps),
                    NO_GIL,
                ));
            }
            Xfer::None => {
                if !sequential {
                    // The caller paid its share of handing the task over.
                    let ns = if self.submits_in_caller() {
                        c.dispatch_ns - c.submit_ns
                    } else {
                        c.dispatch_ns
                    };
                    acts.push_back(Act::cpu(Kind::Dispatch, ns, home));
                }
            }
        }
        acts.push_back(Act::mark(Mark::TaskStart(task)));
        for _ in 0..g.repeat {
            for &(kind, work) in &g.steps {
                let gil = if kind == Kind::Python { home } else { NO_GIL };
                acts.push_back(Act {
                    kind,
                    work,
                    gil,
                    shared_ppm: if kind == Kind::Python {
                        g.shared_ppm
                    } else {
                        0
                    },
                });
            }
        }
        match self.xfer {
            Xfer::Pickle => {
                self.send_side(
                    &mut acts,
                    task,
                    Dir::Output,
                    home,
                    g.output_bytes,
                    g.payload,
                );
                acts.push_back(Act::mark(Mark::SendResult(task)));
            }
            Xfer::Interp => {
                self.interp_transfer(
                    &mut acts,
                    task,
                    Dir::Output,
                    home,
                    0,
                    g.output_bytes,
                    g.payload,
                );
                acts.push_back(Act::mark(Mark::TaskDone(task)));
            }
            Xfer::Socket => {
                acts.push_back(Act::cpu(
                    Kind::Transfer,
                    bytes_time(g.output_bytes, c.pipe_bps),
                    NO_GIL,
                ));
                acts.push_back(Act::mark(Mark::TaskDone(task)));
            }
            Xfer::None => acts.push_back(Act::mark(Mark::TaskDone(task))),
        }
        self.threads[tid as usize].acts = acts;
    }

    pub(super) fn pickle_ns(&self, bytes: u64, payload: Payload) -> (u64, u64) {
        let c = self.c;
        let (p, u) = match payload {
            Payload::Bytes => (c.pickle_bytes_bps, c.unpickle_bytes_bps),
            Payload::Objects => (c.pickle_objects_bps, c.unpickle_objects_bps),
            Payload::Numbers => (c.pickle_numbers_bps, c.unpickle_numbers_bps),
        };
        (bytes_time(bytes, p), bytes_time(bytes, u))
    }

    /// The fixed per-task cost of a process pool at one end: the caller's
    /// (interpreter 0, the parent) or a worker's. Each end pays half when it
    /// sends a task or result and half when it receives one. The caller's
    /// share of waking its feeding and collecting threads is spread over the
    /// calls its queue holds at once (CPython's call queue takes workers + 1).
    fn call_ns(&self, gil: u32) -> u64 {
        if gil == 0 {
            self.c.pickle_call_ns + self.c.pool_wakeup_ns / (u64::from(self.pool_total) + 1)
        } else {
            self.c.worker_call_ns
        }
    }

    /// Sending half of a pickled, piped transfer: pickle under the sender's
    /// GIL, then write to the pipe with the GIL released (the sender's CPU
    /// time per byte, `pipe_send`).
    pub(super) fn send_side(
        &self,
        acts: &mut VecDeque<Act>,
        task: u32,
        dir: Dir,
        gil: u32,
        bytes: u64,
        payload: Payload,
    ) {
        let (p, _) = self.pickle_ns(bytes, payload);
        let half_call = self.call_ns(gil) / 2;
        let pipe = bytes_time(bytes, self.c.pipe_send_bps);
        acts.push_back(Act::mark(Mark::XferBegin(task, dir)));
        acts.push_back(Act::cpu(Kind::Transfer, p + half_call, gil));
        acts.push_back(Act::cpu(Kind::Transfer, pipe, NO_GIL));
    }

    /// Receiving half: read from the pipe (the receiver's CPU time per byte,
    /// `pipe_receive`), then unpickle under the receiver's GIL.
    pub(super) fn receive_side(
        &self,
        acts: &mut VecDeque<Act>,
        task: u32,
        dir: Dir,
        gil: u32,
        bytes: u64,
        payload: Payload,
    ) {
        let (_, u) = self.pickle_ns(bytes, payload);
        let call = self.call_ns(gil);
        let half_call = call - call / 2;
        let pipe = bytes_time(bytes, self.c.pipe_receive_bps);
        acts.push_back(Act::cpu(Kind::Transfer, pipe, NO_GIL));
        acts.push_back(Act::cpu(Kind::Transfer, u + half_call, gil));
        acts.push_back(Act::mark(Mark::XferEnd(task, dir)));
    }

    /// A transfer between two interpreters of one process, done by one thread:
    /// shareable bytes are copied, object graphs converted at one end and
    /// rebuilt at the other (each half of the measured cost); each half runs
    /// under the GIL of the interpreter it happens in. The call's fixed cost
    /// falls on the calling interpreter (interpreter 0, the pool's owner):
    /// CPython creates a thread state for the target before switching to it
    /// and deletes it after switching back, and converts the call's envelope
    /// on the caller's side, all under the caller's GIL (Python/crossinterp.c,
    /// `_enter_session` and `_exit_session`). So the callers of one
    /// interpreter queue for its GIL, which is why an InterpreterPoolExecutor
    /// of tiny tasks gains little from more workers.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn interp_transfer(
        &self,
        acts: &mut VecDeque<Act>,
        task: u32,
        dir: Dir,
        from: u32,
        to: u32,
        bytes: u64,
        payload: Payload,
    ) {
        let c = self.c;
        let (send, recv) = match payload {
            Payload::Bytes => {
                let t = bytes_time(bytes, c.xi_copy_bps);
                (t / 2, t - t / 2)
            }
            Payload::Objects | Payload::Numbers => {
                let bps = if payload == Payload::Numbers {
                    c.xi_numbers_bps
                } else {
                    c.xi_objects_bps
                };
                let t = bytes_time(bytes, bps);
                (t / 2, t - t / 2)
            }
        };
        let (call_from, call_to) = if from == 0 {
            (c.xi_call_ns, 0)
        } else {
            (0, c.xi_call_ns)
        };
        acts.push_back(Act::mark(Mark::XferBegin(task, dir)));
        acts.push_back(Act::cpu(Kind::Transfer, send + call_from, from));
        acts.push_back(Act::cpu(Kind::Transfer, recv + call_to, to));
        acts.push_back(Act::mark(Mark::XferEnd(task, dir)));
    }

    /// The main (or parent, or event-loop) thread is always thread 0.
    pub(super) fn main_thread(&self) -> u32 {
        0
    }

    /// Whether the main thread submits each task to a thread pool itself,
    /// paying `submit` of its `dispatch` (the worker pays the rest): a batch
    /// through a pool of threads. A server's requests reach its workers
    /// without a simulated caller (its worker pays the whole dispatch), and
    /// a worker started for its task is handed it as an argument.
    pub(super) fn submits_in_caller(&self) -> bool {
        matches!(self.setup.model, Model::Threads | Model::FreeThreading)
            && self.xfer == Xfer::None
            && !self.server
            && !self.setup.per_task
    }

    /// The main thread of a thread or interpreter pool whose caller holds
    /// the tasks: prepare and hand over the next task (a caller with work of
    /// its own per task only while the queue has room), then join.
    pub(super) fn main_next(&mut self, tid: u32) -> bool {
        if let Some(&task) = self.held.front() {
            let parent_ns = self.groups[self.tasks[task as usize].group as usize].parent_ns;
            // A caller with work of its own per task keeps no more tasks
            // queued than there are workers; one that only submits queues
            // them all as fast as it can.
            if parent_ns == 0 || (self.pending.len() as u32) < self.pool_total {
                // The task stays held until released, so that no worker
                // exits believing the work is done while it is prepared.
                let submit_ns = if self.submits_in_caller() {
                    self.c.submit_ns
                } else {
                    0
                };
                let acts = &mut self.threads[tid as usize].acts;
                acts.push_back(Act::cpu(Kind::Python, parent_ns, 0));
                if submit_ns > 0 {
                    acts.push_back(Act::cpu(Kind::Dispatch, submit_ns, 0));
                }
                acts.push_back(Act::mark(Mark::Release(task)));
                return true;
            }
            self.producer_blocked = true;
            return false;
        }
        let acts = &mut self.threads[tid as usize].acts;
        acts.push_back(Act::mark(Mark::Join));
        acts.push_back(Act::mark(Mark::Exit));
        true
    }

    pub(super) fn parent_next(&mut self, tid: u32) -> bool {
        let n_threads = self.pool_total;
        let take_result =
            !self.results.is_empty() && (!self.call_q.is_empty() || self.pending.is_empty());
        if take_result {
            return self.collect_result(tid);
        }
        if !self.pending.is_empty() && (self.call_q.len() as u32) < n_threads + 1 {
            // The task leaves `pending` only when it reaches the call queue,
            // so no worker exits while the parent still prepares it.
            if let Some(&task) = self.pending.front() {
                let g = &self.groups[self.tasks[task as usize].group as usize];
                let (bytes, payload) = (g.input_bytes, g.payload);
                let mut acts = std::mem::take(&mut self.threads[tid as usize].acts);
                // Submitting a task while no worker is idle starts one more.
                if let Some(first) = self.deferred_starts.pop_front() {
                    self.start_worker_acts(&mut acts, first);
                }
                acts.push_back(Act::cpu(Kind::Python, g.parent_ns, 0));
                self.send_side(&mut acts, task, Dir::Input, 0, bytes, payload);
                acts.push_back(Act::mark(Mark::SendInput(task)));
                self.threads[tid as usize].acts = acts;
                return true;
            }
        }
        if self.pending.is_empty() && !self.arrivals_open && !self.deferred_starts.is_empty() {
            // Every task is submitted: the workers not started never will be.
            self.drop_deferred_starts();
        }
        if !self.results.is_empty() {
            return self.collect_result(tid);
        }
        if self.outstanding == 0 && !self.arrivals_open {
            let acts = &mut self.threads[tid as usize].acts;
            acts.push_back(Act::mark(Mark::Join));
            acts.push_back(Act::mark(Mark::Exit));
            // Workers waiting for tasks can now exit.
            self.wake_all_idle();
            return true;
        }
        false
    }

    pub(super) fn collect_result(&mut self, tid: u32) -> bool {
        let Some(task) = self.results.pop_front() else {
            return false;
        };
        let g = &self.groups[self.tasks[task as usize].group as usize];
        let (bytes, payload) = (g.output_bytes, g.payload);
        let mut acts = std::mem::take(&mut self.threads[tid as usize].acts);
        self.receive_side(&mut acts, task, Dir::Output, 0, bytes, payload);
        acts.push_back(Act::mark(Mark::TaskDone(task)));
        self.threads[tid as usize].acts = acts;
        true
    }

    pub(super) fn server_next(&mut self, tid: u32) -> bool {
        if let Some(child) = self.fork_q.pop_front() {
            let i = self.threads[tid as usize].interp;
            let acts = &mut self.threads[tid as usize].acts;
            acts.push_back(Act::cpu(Kind::Startup, self.c.forkserver_fork_ns, i));
            acts.push_back(Act::mark(Mark::SpawnThread(child)));
            acts.push_back(Act::mark(Mark::ForkReply));
            return true;
        }
        if self.outstanding == 0 && !self.arrivals_open && self.pool_forked() {
            self.threads[tid as usize]
                .acts
                .push_back(Act::mark(Mark::Exit));
            return true;
        }
        false
    }

    /// Retire the worker processes a pool never started (fewer tasks than
    /// workers): their threads are done without having run.
    fn drop_deferred_starts(&mut self) {
        let never: Vec<u32> = self
            .deferred_starts
            .drain(..)
            .map(|t| self.threads[t as usize].process)
            .collect();
        for th in self.threads.iter_mut() {
            if th.state == TState::Created && never.contains(&th.process) {
                th.state = TState::Done;
            }
        }
        // Nor do they appear in the trace: no lane for a GIL that never
        // existed. (They were created last, so the threads kept still sit at
        // their own indices.)
        if let Some(t) = &mut self.trace {
            t.gils.retain(|g| !never.contains(&g.process));
            t.threads.retain(|th| !never.contains(&th.process));
        }
        let s = self.server_thread;
        self.wake(s);
    }

    pub(super) fn pool_forked(&self) -> bool {
        self.threads
            .iter()
            .filter(|t| t.role == Role::Worker)
            .all(|t| t.state != TState::Created)
    }

    pub(super) fn loop_next(&mut self, tid: u32) -> bool {
        let c = self.c;
        if !self.pending.is_empty() && self.async_in_flight < self.async_limit {
            if let Some(task) = self.pending.pop_front() {
                self.async_in_flight += 1;
                let parent_ns = self.groups[self.tasks[task as usize].group as usize].parent_ns;
                let acts = &mut self.threads[tid as usize].acts;
                acts.push_back(Act::cpu(Kind::Python, parent_ns, 0));
                acts.push_back(Act::cpu(Kind::Dispatch, c.asyncio_task_ns, 0));
                acts.push_back(Act::mark(Mark::AsyncAdmit(task)));
                return true;
            }
        }
        if let Some((task, idx)) = self.async_ready.pop_front() {
            let gi = self.tasks[task as usize].group as usize;
            let g = &self.groups[gi];
            let total = g.total_steps();
            let mut acts = std::mem::take(&mut self.threads[tid as usize].acts);
            if idx > 0 {
                acts.push_back(Act::cpu(Kind::Dispatch, c.asyncio_await_ns, 0));
            } else if self.xfer == Xfer::Socket {
                acts.push_back(Act::cpu(
                    Kind::Transfer,
                    bytes_time(g.input_bytes, c.pipe_bps),
                    NO_GIL,
                ));
            }
            let mut j = idx;
            let mut suspended = false;
            while j < total {
                let (kind, work) = g.step(j);
                j += 1;
                match kind {
                    Kind::Io if work > 0 => {
                        acts.push_back(Act::mark(Mark::AsyncSuspend(task, j)));
                        suspended = true;
                        break;
                    }
                    Kind::Io => {}
                    Kind::Python => acts.push_back(Act {
                        kind,
                        work,
                        gil: 0,
                        shared_ppm: g.shared_ppm,
                    }),
                    _ => acts.push_back(Act::cpu(kind, work, NO_GIL)),
                }
            }
            if !suspended {
                if self.xfer == Xfer::Socket {
                    acts.push_back(Act::cpu(
                        Kind::Transfer,
                        bytes_time(g.output_bytes, c.pipe_bps),
                        NO_GIL,
                    ));
                }
                acts.push_back(Act::mark(Mark::MemFree(c.asyncio_task_memory)));
                acts.push_back(Act::mark(Mark::TaskDone(task)));
                self.async_in_flight -= 1;
                // A batch's worker coroutine goes straight on to its next
                // task; a server's request handlers end here.
                self.async_worker_free = !self.server;
            }
            self.threads[tid as usize].acts = acts;
            return true;
        }
        if self.async_in_flight > 0 || self.arrivals_open || !self.pending.is_empty() {
            self.async_blocked = true;
            self.async_idle_since = self.now;
            return false;
        }
        self.threads[tid as usize]
            .acts
            .push_back(Act::mark(Mark::Exit));
        true
    }
}
