//! Control marks: the zero-time steps that start threads, hand tasks and
//! results over, finish tasks and exit.

use super::*;

impl Engine<'_> {
    /// Apply a control mark. Returns false when the thread stopped running.
    pub(super) fn mark(&mut self, tid: u32, m: Mark) -> bool {
        match m {
            Mark::SpawnThread(child) => {
                let mem = self.threads[child as usize].memory;
                self.mem_add(mem);
                self.live_threads += 1;
                if self.threads[child as usize].role == Role::Worker {
                    self.live_workers += 1;
                }
                if self.threads[child as usize].creator == NONE {
                    self.threads[child as usize].creator = tid;
                }
                self.make_runnable(child);
                true
            }
            Mark::WaitStarted(child) => {
                if self.threads[child as usize].started {
                    true
                } else {
                    self.threads[tid as usize].waiting_for = child;
                    self.block(tid);
                    false
                }
            }
            Mark::SignalStarted => {
                self.threads[tid as usize].started = true;
                let creator = self.threads[tid as usize].creator;
                if creator != NONE && self.threads[creator as usize].waiting_for == tid {
                    self.threads[creator as usize].waiting_for = NONE;
                    self.wake(creator);
                }
                true
            }
            Mark::WorkerReady => {
                self.pool_ready += 1;
                if self.server && self.pool_ready == self.pool_total {
                    self.start_arrivals();
                }
                true
            }
            Mark::XferBegin(task, dir) => {
                let t = &mut self.tasks[task as usize];
                t.xfer_from = tid;
                t.xfer_start = self.now;
                let b = self.payload_bytes(task, dir);
                self.mem_add(b);
                true
            }
            Mark::XferEnd(task, dir) => {
                let b = self.payload_bytes(task, dir);
                self.mem_sub(b);
                let t = &self.tasks[task as usize];
                let span = TransferSpan {
                    task,
                    from_thread: t.xfer_from,
                    to_thread: tid,
                    bytes: b,
                    start_ns: t.xfer_start,
                    end_ns: self.now,
                    direction: if dir == Dir::Input { "input" } else { "output" },
                };
                if let Some(tr) = &mut self.trace {
                    tr.transfers.push(span);
                }
                true
            }
            Mark::SendInput(task) => {
                let sent = self.pending.pop_front();
                debug_assert_eq!(sent, Some(task));
                self.call_q.push_back(task);
                let latency = self.handover_ns();
                self.relay_asleep = false;
                self.wake_idle_worker(latency);
                true
            }
            Mark::SendResult(task) => {
                self.results.push_back(task);
                // The pool's manager thread sleeps until a result comes.
                let (p, latency) = (self.parent, self.c.process_collect_ns);
                self.wake_after(p, latency);
                true
            }
            Mark::TaskStart(task) => {
                self.start_task(task, tid);
                true
            }
            Mark::TaskDone(task) => {
                self.tasks[task as usize].done = self.now;
                self.outstanding -= 1;
                self.completed += 1;
                if !self.server {
                    let out = self.groups[self.tasks[task as usize].group as usize].output_bytes;
                    self.mem_add(out);
                }
                self.check_join();
                true
            }
            Mark::ForkRequest(child) => {
                self.fork_q.push_back(child);
                let s = self.server_thread;
                self.wake(s);
                self.block(tid);
                false
            }
            Mark::ForkReply => {
                let p = self.parent;
                self.wake(p);
                true
            }
            Mark::AsyncAdmit(task) => {
                if std::mem::take(&mut self.async_worker_free) {
                    self.async_ready.push_front((task, 0));
                } else {
                    self.async_ready.push_back((task, 0));
                }
                self.mem_add(self.c.asyncio_task_memory);
                self.start_task(task, tid);
                true
            }
            Mark::AsyncSuspend(task, next) => {
                let g = self.tasks[task as usize].group as usize;
                let (_, io) = self.groups[g].step(next - 1);
                self.n_io += 1;
                self.q.push(self.now + io, Ev::AsyncIo(task, next));
                true
            }
            Mark::Release(task) => {
                let held = self.held.pop_front();
                debug_assert_eq!(held, Some(task));
                self.pending.push_back(task);
                let latency = self.handover_ns();
                self.wake_idle_worker(latency);
                true
            }
            Mark::AfterWait => {
                // The worker sleeps meanwhile and its core is free.
                let latency = self.after_wait_ns();
                self.block(tid);
                self.wake_after(tid, latency);
                false
            }
            Mark::MemAdd(b) => {
                self.mem_add(b);
                true
            }
            Mark::MemFree(b) => {
                self.mem_sub(b);
                true
            }
            Mark::Join => {
                if self.outstanding == 0 && self.live_workers == 0 {
                    true
                } else {
                    self.main_join = tid;
                    self.block(tid);
                    false
                }
            }
            Mark::Exit => {
                self.release_held(tid);
                let th = &mut self.threads[tid as usize];
                th.state = TState::Done;
                th.epoch = th.epoch.wrapping_add(1);
                let mem = th.memory;
                let worker = th.in_pool;
                self.mem_sub(mem);
                self.live_threads -= 1;
                if worker {
                    self.live_workers -= 1;
                    self.check_join();
                }
                self.leave_core(tid);
                false
            }
        }
    }

    pub(super) fn start_task(&mut self, task: u32, worker: u32) {
        let t = &mut self.tasks[task as usize];
        t.start = self.now;
        t.worker = worker;
    }

    pub(super) fn payload_bytes(&self, task: u32, dir: Dir) -> u64 {
        let g = &self.groups[self.tasks[task as usize].group as usize];
        match dir {
            Dir::Input => g.input_bytes,
            Dir::Output => g.output_bytes,
        }
    }

    pub(super) fn check_join(&mut self) {
        if self.main_join != NONE && self.outstanding == 0 && self.live_workers == 0 {
            let m = self.main_join;
            self.main_join = NONE;
            self.wake(m);
        }
        if self.outstanding == 0 && !self.arrivals_open {
            // Nothing more will come: let blocked workers exit.
            self.wake_all_idle();
            let p = self.parent;
            self.wake(p);
            let s = self.server_thread;
            self.wake(s);
            self.wake_loop();
        }
    }

    pub(super) fn wake_loop(&mut self) {
        // A loop waiting out its selector's timeout for a timer also wakes
        // at once for a socket that is ready.
        if self.async_blocked || std::mem::take(&mut self.async_timer_wait) {
            self.async_blocked = false;
            self.wake(self.main_thread());
        }
    }

    /// Wake the event loop for a timer that came due now (`Waits::Sleep`).
    /// A loop at work takes it on its next turn. A loop with nothing to do
    /// sleeps in its selector, with a timeout computed when it ran out of
    /// work and rounded up to the selector's unit (`asyncio_timer_tick`,
    /// whole milliseconds with epoll), so it wakes on the first tick at or
    /// after now, counted from then, and `asyncio_timer_late` later still.
    pub(super) fn wake_loop_timer(&mut self) {
        if !self.async_blocked {
            return;
        }
        let waited = self.now.saturating_sub(self.async_idle_since);
        let tick = self.c.asyncio_timer_tick_ns;
        let rounded = if tick > 0 {
            waited.div_ceil(tick).saturating_mul(tick)
        } else {
            waited
        };
        let latency = rounded - waited + self.c.asyncio_timer_late_ns;
        self.async_blocked = false;
        self.async_timer_wait = true;
        let main = self.main_thread();
        self.wake_after(main, latency);
    }
}
