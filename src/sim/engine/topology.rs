//! Building a run: the tasks, and the processes, interpreters and threads each
//! model starts, with what each thread does first.

use super::*;

impl Engine<'_> {
    pub(super) fn build_tasks(&mut self, w: &Workload) {
        if self.server {
            for (i, g) in w.groups.iter().enumerate() {
                if let Arrival::Server {
                    rate_per_s,
                    duration_s,
                } = g.arrival
                {
                    self.streams.push(ArrivalStream {
                        rng: SplitMix64::stream(self.seed, i as u64),
                        mean_ns: 1e9 / rate_per_s,
                        next: 0,
                        end: ms_to_ns(duration_s * 1e3),
                    });
                }
            }
            return;
        }
        let counts: Vec<u32> = w
            .groups
            .iter()
            .map(|g| match g.arrival {
                Arrival::Batch { tasks } => tasks,
                Arrival::Server { .. } => 0,
            })
            .collect();
        let mut left = counts.clone();
        while left.iter().any(|&n| n > 0) {
            for (gi, n) in left.iter_mut().enumerate() {
                if *n > 0 {
                    *n -= 1;
                    let id = self.new_task(gi as u32, 0);
                    self.pending.push_back(id);
                }
            }
        }
        self.outstanding = self.tasks.len() as u64;
        // When the caller works on each task in a thread of its own, or
        // submits each to a thread pool at a cost, the pool's queue fills
        // only as fast as the caller hands tasks over.
        let caller_works = self.groups.iter().any(|g| g.parent_ns > 0)
            || (self.submits_in_caller() && self.c.submit_ns > 0);
        let own_thread = matches!(
            self.setup.model,
            Model::Sequential
                | Model::Threads
                | Model::FreeThreading
                | Model::Interpreters
                | Model::InterpretersThreads
        );
        if caller_works && own_thread {
            self.held = std::mem::take(&mut self.pending);
        }
    }

    pub(super) fn new_task(&mut self, group: u32, arrival: u64) -> u32 {
        let id = self.tasks.len() as u32;
        self.tasks.push(Task {
            group,
            arrival,
            start: 0,
            done: 0,
            worker: NONE,
            xfer_from: NONE,
            xfer_start: 0,
        });
        id
    }

    pub(super) fn add_gil(&mut self, process: u32, enabled: bool) -> u32 {
        let id = self.gils.len() as u32;
        self.gils.push(Gil {
            enabled,
            holder: NONE,
            last_holder: NONE,
            waiters: VecDeque::new(),
            switch_no: 0,
            armed_for: None,
            drop_requested: false,
            signaled: NONE,
            span_start: 0,
            live_threads: 0,
        });
        if let Some(t) = &mut self.trace {
            t.gils.push(GilInfo {
                interpreter: id,
                process,
                enabled,
            });
        }
        id
    }

    pub(super) fn add_process(&mut self) -> u32 {
        self.shared_running.push(Vec::new());
        self.shared_running.len() as u32 - 1
    }

    pub(super) fn add_thread(
        &mut self,
        process: u32,
        interp: u32,
        role: Role,
        memory: u64,
        label: Label,
    ) -> u32 {
        let id = self.threads.len() as u32;
        self.threads.push(Thread {
            process,
            interp,
            role,
            acts: VecDeque::new(),
            state: TState::Created,
            core: None,
            last_core: None,
            epoch: 0,
            holds: NO_GIL,
            no_retake: NO_GIL,
            run_start: 0,
            factor_ppm: PPM,
            overhead_ppm: 0,
            contention_ppm: 0,
            clock_ppm: PPM,
            act_running: false,
            in_shared: false,
            started: false,
            creator: NONE,
            waiting_for: NONE,
            memory,
            in_pool: role == Role::Worker,
            tasks_run: 0,
            ended_in_wait: false,
        });
        if role == Role::Worker {
            self.pool_total += 1;
        }
        self.gils[interp as usize].live_threads += 1;
        if let Some(t) = &mut self.trace {
            t.threads.push(ThreadInfo {
                thread: id,
                process,
                interpreter: interp,
                role: label.text(),
            });
        }
        id
    }

    pub(super) fn ft_mem(&self, bytes: u64) -> u64 {
        if self.ft_build {
            scale_mem(bytes, self.c.ft_memory_overhead_ppm)
        } else {
            bytes
        }
    }

    /// Queue on `creator` the acts that start `child` as a thread in `interp`,
    /// and on `child` its half of the start-up hand-shake.
    pub(super) fn start_thread_acts(&mut self, creator: u32, child: u32, interp: u32) {
        let half = self.c.thread_start_ns / 2;
        let rest = self.c.thread_start_ns - half;
        let ca = &mut self.threads[creator as usize].acts;
        ca.push_back(Act::cpu(Kind::Startup, half, interp));
        ca.push_back(Act::mark(Mark::SpawnThread(child)));
        ca.push_back(Act::mark(Mark::WaitStarted(child)));
        let ch = &mut self.threads[child as usize];
        ch.creator = creator;
        ch.acts.push_back(Act::cpu(Kind::Startup, rest, interp));
        ch.acts.push_back(Act::mark(Mark::SignalStarted));
    }

    pub(super) fn build_topology(&mut self) {
        let c = self.c;
        let gil_on = self.setup.gil_enabled;
        let p0 = self.add_process();
        let i0 = self.add_gil(p0, gil_on);
        let base_mem = self.ft_mem(c.process_memory);
        let model = self.setup.model;
        let n = self.setup.workers;
        let t = self.setup.threads_per_worker;
        let thread_mem = c.thread_memory;
        match model {
            Model::Sequential => {
                let m = self.add_thread(p0, i0, Role::Worker, base_mem, Label::Main);
                self.threads[m as usize]
                    .acts
                    .push_back(Act::mark(Mark::WorkerReady));
                self.boot(m);
            }
            Model::Asyncio => {
                let m = self.add_thread(p0, i0, Role::AsyncLoop, base_mem, Label::EventLoop);
                self.async_limit = n;
                self.boot(m);
            }
            Model::Threads | Model::FreeThreading => {
                let m = self.add_thread(p0, i0, Role::Main, base_mem, Label::Main);
                for k in 0..n {
                    let w = self.add_thread(p0, i0, Role::Worker, thread_mem, Label::Worker(k));
                    self.start_thread_acts(m, w, i0);
                    self.threads[w as usize]
                        .acts
                        .push_back(Act::mark(Mark::WorkerReady));
                }
                self.finish_main(m);
            }
            Model::Interpreters | Model::InterpretersThreads => {
                let m = self.add_thread(p0, i0, Role::Main, base_mem, Label::Main);
                let interp_mem = self.ft_mem(c.interpreter_memory);
                for k in 0..n {
                    let ik = self.add_gil(p0, gil_on);
                    let first =
                        self.add_thread(p0, ik, Role::Worker, thread_mem, Label::Interp(k, 0));
                    self.start_thread_acts(m, first, i0);
                    let fa = &mut self.threads[first as usize].acts;
                    fa.push_back(Act::cpu(Kind::Startup, c.interpreter_create_ns, ik));
                    fa.push_back(Act::mark(Mark::MemAdd(interp_mem)));
                    fa.push_back(Act::cpu(Kind::Startup, self.import_ns, ik));
                    self.add_siblings(first, t, |j| Label::Interp(k, j));
                    self.threads[first as usize]
                        .acts
                        .push_back(Act::mark(Mark::WorkerReady));
                }
                self.finish_main(m);
            }
            Model::Processes | Model::ProcessesThreads => {
                let m = self.add_thread(p0, i0, Role::Parent, base_mem, Label::Parent);
                self.parent = m;
                let method = self.setup.start_method.unwrap_or(StartMethod::Fork);
                if method == StartMethod::Forkserver {
                    let ps = self.add_process();
                    let is = self.add_gil(ps, gil_on);
                    let s = self.add_thread(ps, is, Role::ForkServer, base_mem, Label::ForkServer);
                    self.server_thread = s;
                    let sa = &mut self.threads[s as usize].acts;
                    sa.push_back(Act::cpu(Kind::Startup, c.process_boot_ns, is));
                    sa.push_back(Act::cpu(Kind::Startup, self.import_ns, is));
                    let ma = &mut self.threads[m as usize].acts;
                    ma.push_back(Act::cpu(Kind::Startup, c.spawn_start_ns, i0));
                    ma.push_back(Act::mark(Mark::SpawnThread(s)));
                }
                let child_mem = match method {
                    StartMethod::Spawn => base_mem,
                    _ => self.ft_mem(c.fork_memory),
                };
                // With fork, CPython's ProcessPoolExecutor starts every
                // worker up front; with forkserver or spawn, one per
                // submitted task while none is idle (`_adjust_process_count`).
                // Here a server, or a worker per task, starts them all first.
                let on_submit = method != StartMethod::Fork && !self.server && !self.setup.per_task;
                for k in 0..n {
                    let pk = self.add_process();
                    let ik = self.add_gil(pk, gil_on);
                    let first =
                        self.add_thread(pk, ik, Role::Worker, child_mem, Label::Process(k, 0));
                    if method == StartMethod::Spawn {
                        let fa = &mut self.threads[first as usize].acts;
                        fa.push_back(Act::cpu(Kind::Startup, c.process_boot_ns, ik));
                        fa.push_back(Act::cpu(Kind::Startup, self.import_ns, ik));
                    }
                    if on_submit {
                        self.deferred_starts.push_back(first);
                    } else {
                        let mut ma = std::mem::take(&mut self.threads[m as usize].acts);
                        self.start_worker_acts(&mut ma, first);
                        self.threads[m as usize].acts = ma;
                    }
                    self.add_siblings(first, t, |j| Label::Process(k, j));
                    self.threads[first as usize]
                        .acts
                        .push_back(Act::mark(Mark::WorkerReady));
                }
                if self.server && self.feed == Feed::Direct {
                    // The workers accept requests themselves; the parent waits.
                    let ma = &mut self.threads[m as usize].acts;
                    ma.push_back(Act::mark(Mark::Join));
                    ma.push_back(Act::mark(Mark::Exit));
                }
                self.boot(m);
            }
        }
    }

    /// Queue on the pool's parent the acts that start the worker process
    /// whose first thread is `first`, by the pool's start method.
    pub(super) fn start_worker_acts(&self, acts: &mut VecDeque<Act>, first: u32) {
        match self.setup.start_method.unwrap_or(StartMethod::Fork) {
            StartMethod::Fork => {
                acts.push_back(Act::cpu(Kind::Startup, self.c.fork_start_ns, 0));
                acts.push_back(Act::mark(Mark::SpawnThread(first)));
            }
            StartMethod::Spawn => {
                acts.push_back(Act::cpu(Kind::Startup, self.c.spawn_start_ns, 0));
                acts.push_back(Act::mark(Mark::SpawnThread(first)));
            }
            StartMethod::Forkserver => acts.push_back(Act::mark(Mark::ForkRequest(first))),
        }
    }

    /// The hybrids: `first` starts the other `total - 1` threads of its
    /// process and interpreter, which then join the pool.
    pub(super) fn add_siblings(&mut self, first: u32, total: u32, label: impl Fn(u32) -> Label) {
        let (process, interp) = (
            self.threads[first as usize].process,
            self.threads[first as usize].interp,
        );
        for j in 1..total {
            let s = self.add_thread(
                process,
                interp,
                Role::Worker,
                self.c.thread_memory,
                label(j),
            );
            self.start_thread_acts(first, s, interp);
            self.threads[s as usize]
                .acts
                .push_back(Act::mark(Mark::WorkerReady));
        }
    }

    pub(super) fn finish_main(&mut self, m: u32) {
        // After starting the workers the main thread hands tasks over (see
        // `main_next`), then joins.
        self.boot(m);
    }

    pub(super) fn boot(&mut self, m: u32) {
        let mem = self.threads[m as usize].memory;
        self.mem_add(mem);
        self.live_threads += 1;
        if self.threads[m as usize].role == Role::Worker {
            self.live_workers += 1;
        }
        self.threads[m as usize].state = TState::Runnable;
        // Placed when the run starts, at time 0.
        self.runq.push_back(m);
    }
}
