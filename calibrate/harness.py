"""Micro-benchmarks that measure the simulator's cost parameters on one CPython.

`parallel-universe calibrate` embeds this file, writes it to a temporary
directory and runs it once per benchmark under every interpreter it is given:

    python harness.py BENCH [--quick]
    python harness.py --list

Each run prints one JSON line on stdout:

    {"bench": "threads", "metrics": {"thread_start_ns": [61000.0, ...], ...},
     "unavailable": {"metric": "reason", ...}, "notes": {...}}

Every metric is a list with one value per repeat, each value itself an
average over a batch of operations. The driver takes medians and spreads,
refuses noisy metrics, and turns the rest into profile parameters; this file
only measures. Standard library only; Linux gives the memory figures (from
/proc), other systems report them unavailable. What an interpreter lacks
(sub-interpreters before 3.12, a free-threaded build) is reported as
unavailable, never guessed.
"""

import gc
import json
import os
import sys
import threading
import time

QUICK = "--quick" in sys.argv
REPEATS = 3 if QUICK else 7
now = time.perf_counter_ns


def noop(*_args):
    return None


# A typical small argument list for pool calls: an int beyond the cached
# small ints and a short str (what crosses to a worker changes the cost).
ARGS = (1000, "abc")

# Workers of the deep process pool whose caller's per-task CPU, against one
# worker's, separates the per-call and per-wake-up costs (pool_wakeup).
DEEP_POOL = 8


def _floats(n):
    return [i * 0.25 for i in range(n)]


def _pool_boot():
    # What a process pool's worker imports before its first task.
    import concurrent.futures.process  # noqa: F401


# ---------------------------------------------------------------- helpers


def private_bytes():
    """Private (unshared) resident memory of this process, or None."""
    try:
        with open("/proc/self/smaps_rollup") as f:
            total = 0
            for line in f:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1]) * 1024
            return total
    except OSError:
        return None


def rss_bytes():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


def free_threaded():
    import sysconfig

    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def gil_enabled():
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()


def spin_kernel(n):
    """A pure-Python CPU kernel: integer arithmetic in a loop."""
    x = 0
    for i in range(n):
        x = (x + i * i) % 1000003
    return x


def probe():
    """How fast this interpreter runs on this machine right now: the median
    time of spin_kernel(100_000) over five runs, in ns. validate.py times the
    same loop, so a run can be compared with the calibration's speed."""
    times = []
    for _ in range(5):
        t = now()
        spin_kernel(100_000)
        times.append(now() - t)
    return median(times)


def calibrate_kernel(target_ns):
    n = 1000
    while True:
        t = now()
        spin_kernel(n)
        dt = now() - t
        if dt > target_ns / 4:
            return max(1, int(n * target_ns / dt))
        n *= 2


def watch_gaps(stop_at, gap_ns, out):
    """Spin until stop_at, recording every gap longer than gap_ns during
    which this thread did not run: (last time seen, time seen again)."""
    last = now()
    count = 0
    while last < stop_at:
        t = now()
        if t - last > gap_ns:
            out.append((last, t))
        last = t
        count += 1
    return count


def switches(gaps):
    """From each thread's gaps, the GIL hand-offs and the slices between.

    A thread runs between resuming from one gap and stopping at the next.
    Consecutive runs of one thread (broken only by the OS or the hypervisor
    stealing the CPU) merge into one slice; where the running thread
    changes, the time from the old one's last sighting to the new one's
    first is a hand-off. Only slices with a switch at both ends count."""
    runs = []
    for i, g in enumerate(gaps):
        for (_, resumed), (stopped, _) in zip(g, g[1:]):
            runs.append((resumed, stopped, i))
    runs.sort()
    handoffs, slices = [], []
    cur = None  # [start, end, thread, bounded_at_start]
    for start, end, i in runs:
        if cur is not None and cur[2] == i:
            cur[1] = max(cur[1], end)
            continue
        if cur is not None:
            if start >= cur[1]:
                handoffs.append(start - cur[1])
            if cur[3]:
                slices.append(cur[1] - cur[0])
        cur = [start, end, i, cur is not None]
    return handoffs, slices


def median(xs):
    s = sorted(xs)
    n = len(s)
    if n == 0:
        return None
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


# ------------------------------------------------------------- benchmarks


def bench_info():
    import multiprocessing
    import platform

    interp = None
    for name in ("concurrent.interpreters", "_interpreters", "_xxsubinterpreters"):
        try:
            __import__(name)
            interp = name
            break
        except ImportError:
            pass
    return {
        "info": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "free_threaded": free_threaded(),
            "gil_enabled": gil_enabled(),
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "os": platform.platform(),
            "executable": sys.executable,
            "interpreters_module": interp,
            "start_methods": multiprocessing.get_all_start_methods(),
            "default_start_method": multiprocessing.get_start_method(),
            "switch_interval_s": sys.getswitchinterval(),
        }
    }


def bench_threads():
    n = 10 if QUICK else 20
    start = []
    for _ in range(REPEATS):
        # The median of ten batches, so a burst of other load on the
        # machine does not decide the repeat.
        batches = []
        for _ in range(10):
            t = now()
            for _ in range(n):
                th = threading.Thread(target=noop)
                th.start()
                th.join()
            batches.append((now() - t) / n)
        start.append(median(batches))
    metrics = {"thread_start_ns": start}
    un = {}
    if private_bytes() is None:
        un["thread_memory_bytes"] = "needs /proc/self/smaps_rollup (Linux)"
    else:
        k = 64
        mem = []
        for _ in range(REPEATS):
            gc.collect()
            ev = threading.Event()
            started = threading.Barrier(k + 1)

            def park():
                started.wait()
                ev.wait()

            before = private_bytes()
            ts = [threading.Thread(target=park) for _ in range(k)]
            for th in ts:
                th.start()
            started.wait()
            after = private_bytes()
            ev.set()
            for th in ts:
                th.join()
            mem.append(max(0, after - before) / k)
        metrics["thread_memory_bytes"] = mem
    return {"metrics": metrics, "unavailable": un}


def bench_gil():
    """Two CPU-bound threads: how long each holds the GIL before a forced
    switch (the switch interval as it behaves), how long a hand-off takes
    from the old holder's last instruction to the new holder's first, and
    how much work two threads get done against one."""
    duration = 0.25 if QUICK else 0.6
    gap = 20_000  # 20 us: longer than any pause of the loop itself
    slices, handoffs, efficiency = [], [], []
    for _ in range(REPEATS):
        # One thread alone for the baseline rate.
        out = []
        stop = now() + int(duration * 1e9)
        t0 = now()
        alone = watch_gaps(stop, gap, out) / (now() - t0)
        gaps = [[], []]
        counts = [0, 0]
        stop = now() + int(duration * 1e9)
        barrier = threading.Barrier(2)

        def run(i):
            barrier.wait()
            counts[i] = watch_gaps(stop, gap, gaps[i])

        ts = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        t0 = now()
        for th in ts:
            th.start()
        for th in ts:
            th.join()
        both = sum(counts) / (now() - t0)
        efficiency.append(both / alone)
        hs, ss = switches(gaps)
        if hs:
            handoffs.append(median(hs))
        if ss:
            slices.append(median(ss))
    metrics = {"gil_two_thread_efficiency": efficiency}
    un = {}
    if len(handoffs) == REPEATS and len(slices) == REPEATS:
        metrics["gil_handoff_ns"] = handoffs
        metrics["switch_interval_ns"] = slices
    else:
        un["gil_handoff_ns"] = un["switch_interval_ns"] = (
            "two CPU-bound threads never switched (the GIL is off or the OS ran one at a time)"
        )
    return {"metrics": metrics, "unavailable": un}


def bench_convoy():
    """An I/O-bound thread beside a CPU-bound one: the extra delay of each
    wake-up (a 1 ms sleep) when it must win the GIL back from a spinning thread."""
    k = 20 if QUICK else 60
    delays = []
    for _ in range(REPEATS):
        base = []
        for _ in range(k // 2):
            t = now()
            time.sleep(0.001)
            base.append(now() - t)
        stop = [False]

        def spin():
            while not stop[0]:
                pass

        th = threading.Thread(target=spin)
        th.start()
        time.sleep(0.02)
        loaded = []
        for _ in range(k):
            t = now()
            time.sleep(0.001)
            loaded.append(now() - t)
        stop[0] = True
        th.join()
        delays.append(median(loaded) - median(base))
    return {"metrics": {"io_wake_delay_beside_cpu_ns": delays}}


def _pin_to_first_cpu():
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[0]})
        return True
    return False


def bench_os():
    """OS figures: a context switch (two processes on one CPU passing a
    byte back and forth), the time slice (two CPU-bound processes sharing
    one CPU), and how fast each core runs when every core is busy."""
    if not hasattr(os, "fork") or not hasattr(os, "sched_setaffinity"):
        reason = "needs os.fork and os.sched_setaffinity (Linux)"
        return {
            "metrics": {},
            "unavailable": {
                "context_switch_ns": reason,
                "os_quantum_ns": reason,
                "all_core_speed": reason,
                "all_core_memory_speed": reason,
            },
        }
    rounds = 5000 if QUICK else 20000
    switch = []
    for _ in range(REPEATS):
        a_r, a_w = os.pipe()
        b_r, b_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            _pin_to_first_cpu()
            for _ in range(rounds):
                os.read(a_r, 1)
                os.write(b_w, b"x")
            os._exit(0)
        mask = os.sched_getaffinity(0)
        _pin_to_first_cpu()
        os.write(a_w, b"x")
        os.read(b_r, 1)
        t = now()
        for _ in range(rounds - 1):
            os.write(a_w, b"x")
            os.read(b_r, 1)
        dt = now() - t
        os.waitpid(pid, 0)
        os.sched_setaffinity(0, mask)
        for fd in (a_r, a_w, b_r, b_w):
            os.close(fd)
        switch.append(dt / (rounds - 1) / 2)

    # Time slice: two spinning processes pinned to one CPU, each recording
    # when it did not run.
    duration = 0.3 if QUICK else 0.6
    quantum = []
    for _ in range(REPEATS):
        r, w = os.pipe()
        stop = now() + int(duration * 1e9)
        pid = os.fork()
        if pid == 0:
            _pin_to_first_cpu()
            out = []
            watch_gaps(stop, 100_000, out)
            slices = [b[0] - a[1] for a, b in zip(out, out[1:])]
            os.write(w, json.dumps(slices).encode())
            os._exit(0)
        mask = os.sched_getaffinity(0)
        _pin_to_first_cpu()
        out = []
        watch_gaps(stop, 100_000, out)
        os.sched_setaffinity(0, mask)
        data = b""
        while True:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            data += chunk
            if data.endswith(b"]"):
                break
        os.waitpid(pid, 0)
        os.close(r)
        os.close(w)
        slices = [b[0] - a[1] for a, b in zip(out, out[1:])] + json.loads(data)
        if slices:
            quantum.append(median(slices))

    # All-core speed: the same kernel alone, then on every core at once.
    cores = len(os.sched_getaffinity(0))
    n = calibrate_kernel(100_000_000 if not QUICK else 40_000_000)
    # The same for memory-bound work (what pickling, copying and piping
    # results does): unpickling float lists into fresh memory and copying a
    # 1 MiB buffer, results kept.
    import pickle

    floats_pickle = pickle.dumps([i * 0.25 for i in range(20000)], pickle.HIGHEST_PROTOCOL)
    block = b"x" * (1 << 20)

    def mem_kernel(rounds):
        kept = []
        for _ in range(rounds):
            kept.append(pickle.loads(floats_pickle))
            kept.append(block[1:])
        return len(kept)

    t = now()
    mem_kernel(4)
    per = max(1, now() - t) / 4
    rounds = max(4, int((40_000_000 if QUICK else 100_000_000) / per))
    speed = [_all_core_ratio(lambda: spin_kernel(n), cores) for _ in range(REPEATS)]
    mem_speed = [_all_core_ratio(lambda: mem_kernel(rounds), cores) for _ in range(REPEATS)]
    metrics = {"context_switch_ns": switch, "all_core_speed": speed, "all_core_memory_speed": mem_speed}
    un = {}
    if len(quantum) == REPEATS:
        metrics["os_quantum_ns"] = quantum
    else:
        un["os_quantum_ns"] = "two processes on one CPU never took turns"
    return {"metrics": metrics, "unavailable": un, "notes": {"cores_busy": cores}}


def _forked_times(work, count):
    """Run work() in `count` forked children at once (each with a fresh
    copy of this heap); the median of their times, in ns."""
    pipes = []
    for _ in range(count):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            t = now()
            work()
            os.write(w, str(now() - t).encode())
            os._exit(0)
        pipes.append((pid, r, w))
    times = []
    for pid, r, w in pipes:
        os.waitpid(pid, 0)
        times.append(int(os.read(r, 64)))
        os.close(r)
        os.close(w)
    return median(times)


def _all_core_ratio(work, cores):
    """One repeat of an all-core speed: work() alone and on every CPU at
    once, alternating and starting and ending alone, so that a change of the
    machine's speed in between does not pass for a slow-down; the ratio of
    the medians."""
    alone, busy = [_forked_times(work, 1)], []
    for _ in range(2 if QUICK else 3):
        busy.append(_forked_times(work, cores))
        alone.append(_forked_times(work, 1))
    return median(alone) / median(busy)


def _child_memory(conn):
    _pool_boot()
    conn.send(private_bytes())
    conn.recv()


def bench_processes():
    """Starting workers with each start method, and their memory."""
    import multiprocessing as mp

    metrics, un = {}, {}
    methods = mp.get_all_start_methods()
    counts = {"fork": 20 if QUICK else 60, "forkserver": 10 if QUICK else 30, "spawn": 3 if QUICK else 8}
    for m in ("fork", "forkserver", "spawn"):
        if m not in methods:
            un[f"{m}_cycle_ns"] = f"start method {m} is not available here"
            continue
        ctx = mp.get_context(m)
        # Warm up (starts the fork server, loads the modules).
        p = ctx.Process(target=noop)
        p.start()
        p.join()
        cycle, parent = [], []
        n = counts[m]
        for _ in range(REPEATS):
            totals, sides = [], []
            for _ in range(n):
                p = ctx.Process(target=_pool_boot if m == "spawn" else noop)
                t = now()
                p.start()
                s = now()
                p.join()
                e = now()
                totals.append(e - t)
                sides.append(s - t)
            cycle.append(median(totals))
            parent.append(median(sides))
        metrics[f"{m}_cycle_ns"] = cycle
        metrics[f"{m}_parent_ns"] = parent
    if private_bytes() is None:
        un["spawn_memory_bytes"] = un["fork_memory_bytes"] = "needs /proc/self/smaps_rollup (Linux)"
        return {"metrics": metrics, "unavailable": un}
    for m in ("spawn", "fork"):
        if m not in methods:
            un[f"{m}_memory_bytes"] = f"start method {m} is not available here"
            continue
        ctx = mp.get_context(m)
        mem = []
        for _ in range(REPEATS):
            a, b = ctx.Pipe()
            p = ctx.Process(target=_child_memory, args=(b,))
            p.start()
            mem.append(a.recv())
            a.send(None)
            p.join()
        metrics[f"{m}_memory_bytes"] = mem
    return {"metrics": metrics, "unavailable": un}


class _Interpreters:
    """The sub-interpreter API of this version, behind one face."""

    def __init__(self):
        self.kind = None
        if sys.version_info < (3, 12):
            self.reason = "sub-interpreters with their own GIL need Python 3.12 or later"
            return
        try:
            import concurrent.interpreters as ci

            self.kind, self.mod = "public", ci
            return
        except ImportError:
            pass
        for name in ("_interpreters", "_xxsubinterpreters"):
            try:
                self.mod = __import__(name)
                self.kind = name
                return
            except ImportError:
                pass
        self.reason = "this build has no sub-interpreter module"

    def create(self):
        if self.kind == "public":
            return self.mod.create()
        if self.kind == "_xxsubinterpreters":
            return self.mod.create(isolated=True)
        return self.mod.create("isolated")

    def close(self, h):
        if self.kind == "public":
            h.close()
        else:
            self.mod.destroy(h)

    def run(self, h, code):
        if self.kind == "public":
            h.exec(code)
        elif self.kind == "_xxsubinterpreters":
            self.mod.run_string(h, code)
        else:
            self.mod.exec(h, code)

    def share(self, h, **values):
        if self.kind == "public":
            h.prepare_main(**values)
        elif self.kind == "_xxsubinterpreters":
            self.mod.run_string(h, "pass", shared=values)
        else:
            self.mod.set___main___attrs(h, values)


def bench_interpreters():
    api = _Interpreters()
    names = ["interpreter_create_ns", "interpreter_close_ns", "interpreter_memory_bytes", "xi_call_ns", "xi_copy_bps"]
    if api.kind is None:
        return {"metrics": {}, "unavailable": {n: api.reason for n in names}}
    n = 5 if QUICK else 12
    create, close, mem, call, copy = [], [], [], [], []
    h = api.create()
    api.close(h)
    for _ in range(REPEATS):
        gc.collect()
        before = private_bytes()
        hs, tc = [], 0
        for _ in range(n):
            t = now()
            hs.append(api.create())
            tc += now() - t
        after = private_bytes()
        create.append(tc / n)
        if before is not None:
            mem.append(max(0, after - before) / n)
        # Calls and copies from a worker thread, as a pool's workers make them.
        k = 500 if QUICK else 2000
        box = []

        def worker():
            api.run(hs[0], "pass")
            t = now()
            for _ in range(k):
                api.run(hs[0], "pass")
            box.append((now() - t) / k)
            rates = []
            for _ in range(3):
                t = now()
                api.share(hs[1], data=data)
                rates.append(len(data) / ((now() - t) / 1e9))
            box.append(median(rates))

        data = b"x" * (16 << 20)
        th = threading.Thread(target=worker)
        th.start()
        th.join()
        call.append(box[0])
        copy.append(box[1])
        del data
        tc = 0
        for h in hs:
            t = now()
            api.close(h)
            tc += now() - t
        close.append(tc / n)
    metrics = {
        "interpreter_create_ns": create,
        "interpreter_close_ns": close,
        "xi_call_ns": call,
        "xi_copy_bps": copy,
    }
    un = {}
    if mem:
        metrics["interpreter_memory_bytes"] = mem
    else:
        un["interpreter_memory_bytes"] = "needs /proc/self/smaps_rollup (Linux)"
    return {"metrics": metrics, "unavailable": un, "notes": {"api": api.kind}}


def _graph(n):
    return [{"id": i, "name": "item%d" % i, "score": i * 0.5, "tags": [i, i + 1]} for i in range(n)]


def bench_pickle():
    """Pickling as a pool does it, message by message: a sender pickles each
    result; a receiver unpickles each one and keeps it (the caller collects
    its results). Both ends are timed with every result kept, so that each
    lands in fresh memory. Per kind: 1 MiB bytes objects, lists of 20,000 floats, lists of
    2,000 small records."""
    import pickle

    proto = pickle.HIGHEST_PROTOCOL
    kinds = {
        "bytes": b"x" * (1 << 20),
        "floats": [i * 0.25 for i in range(20000)],
        "objects": _graph(2000),
    }
    # Messages per repeat: about 24 MB of pickles (less when quick).
    scale = 0.25 if QUICK else 1.0
    m = {k: [] for k in ("pickle_bytes_bps", "unpickle_bytes_bps", "pickle_objects_bps", "unpickle_objects_bps", "pickle_floats_bps", "unpickle_floats_bps", "pickle_small_ns", "pickle_per_object_ns", "unpickle_per_object_ns")}
    # Objects in a record: a dict, a str, a float and a two-item list (small
    # ints are shared); plus the outer list.
    objects = 4 * len(kinds["objects"]) + 1
    small = (noop, (1, "a"), {})
    for _ in range(REPEATS):
        for name, obj in kinds.items():
            p = pickle.dumps(obj, proto)
            n = max(4, int(scale * 24e6 / len(p)))
            # Every pickle is kept until the batch ends, so each lands in
            # fresh memory. Freed at once, a 1 MiB pickle's memory is reused
            # or handed back to the kernel depending on the allocator's state
            # (glibc's moving mmap and trim thresholds): repeats on 3.13 came
            # out at 2 and at 20-25 GB/s in one run. A pool's long-running
            # worker lands in either state, so the profile takes the one that
            # does not depend on what ran before.
            sent = []
            t = now()
            for _ in range(n):
                sent.append(pickle.dumps(obj, proto))
            dump_ns = (now() - t) / n
            del sent
            kept = []
            t = now()
            for _ in range(n):
                kept.append(pickle.loads(p))
            load_ns = (now() - t) / n
            del kept
            m[f"pickle_{name}_bps"].append(len(p) / (dump_ns / 1e9))
            m[f"unpickle_{name}_bps"].append(len(p) / (load_ns / 1e9))
            if name == "objects":
                m["pickle_per_object_ns"].append(dump_ns / objects)
                m["unpickle_per_object_ns"].append(load_ns / objects)
        k = 2000 if QUICK else 10000
        t = now()
        for _ in range(k):
            pickle.loads(pickle.dumps(small, proto))
        m["pickle_small_ns"].append((now() - t) / k)
    return {"metrics": m}


def _pipe_sender(conn, total, chunk):
    block = b"x" * chunk
    conn.send_bytes(block)
    c = time.thread_time_ns()
    for _ in range(total // chunk - 1):
        conn.send_bytes(block)
    # The sender's CPU time for all but the first block, as the last message.
    conn.send(time.thread_time_ns() - c)
    conn.close()


def bench_pipe():
    """multiprocessing's Connection moving 1 MiB blocks from a forked child:
    the throughput (wall time), and the CPU time each end spends per byte.
    The receiver keeps every block, as a pool's caller keeps its results, so
    its reads land in fresh pages as they do there."""
    import multiprocessing as mp

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    total = (64 if QUICK else 256) << 20
    chunk = 1 << 20
    rates, send_cpu, recv_cpu = [], [], []
    for _ in range(REPEATS):
        a, b = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_pipe_sender, args=(b, total, chunk))
        p.start()
        b.close()
        kept = [a.recv_bytes()]
        got = len(kept[0])
        c = time.thread_time_ns()
        t = now()
        while got < total:
            kept.append(a.recv_bytes())
            got += len(kept[-1])
        dt = now() - t
        recv_cpu.append(time.thread_time_ns() - c)
        send_cpu.append(a.recv())
        p.join()
        a.close()
        del kept
        moved = total - chunk
        rates.append(moved / (dt / 1e9))
        recv_cpu[-1] = moved / (max(1, recv_cpu[-1]) / 1e9)
        send_cpu[-1] = moved / (max(1, send_cpu[-1]) / 1e9)
    return {"metrics": {"pipe_bps": rates, "pipe_send_cpu_bps": send_cpu,
                        "pipe_receive_cpu_bps": recv_cpu}}


def _noop_batch(pool, n, clock=None):
    """Submit n no-op calls to pool and wait for them all: the time per call
    on `clock` (wall time by default; time.process_time_ns for the calling
    process's CPU)."""
    clock = clock or now
    t = clock()
    for f in [pool.submit(noop, *ARGS) for _ in range(n)]:
        f.result()
    return (clock() - t) / n


def _noop_batches(pool, n):
    """The median per-call wall time of five batches of n // 5 no-op calls,
    after one warm-up call: this cost swings from one second to the next on
    a busy machine."""
    pool.submit(noop, *ARGS).result()
    return median([_noop_batch(pool, n // 5) for _ in range(5)])


def bench_pools():
    """Fixed per-task costs of the pools: a batch of calls to a function that
    does nothing, each with a typical small argument list (an int and a short
    str), through one worker (thread, process, interpreter), per task, and
    for the thread pool the submitting thread's own CPU time per task.
    Sub-interpreters: also what moving a result costs, per pickled byte, for
    a list of 20,000 floats and a list of 2,000 records."""
    import concurrent.futures as cf
    import multiprocessing as mp

    metrics, un = {}, {}
    k = 2000 if QUICK else 10000
    rt, rc = [], []
    for _ in range(REPEATS):
        with cf.ThreadPoolExecutor(1) as ex:
            rt.append(_noop_batches(ex, k))
            # The submitting thread's own share: its CPU time per call of a
            # batch (submitting every call, then taking every result), the
            # median of five batches as for the wall time.
            rc.append(median([_noop_batch(ex, k // 5, time.thread_time_ns)
                              for _ in range(5)]))
    metrics["thread_pool_task_ns"] = rt
    metrics["thread_pool_caller_cpu_ns"] = rc
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    kp = k // 4
    rp, parent_cpu, child_cpu, shallow_cpu, deep_cpu = [], [], [], [], []
    import resource

    for _ in range(REPEATS):
        # CPU time on each side: the caller's threads (this process) and the
        # worker (a child, counted once the pool has shut down), per task.
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        ex = cf.ProcessPoolExecutor(1, mp_context=ctx)
        ex.submit(noop, *ARGS).result()
        c = time.process_time_ns()
        rp.append(_noop_batch(ex, kp))
        parent_cpu.append((time.process_time_ns() - c) / kp)
        ex.shutdown(wait=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        child_cpu.append(spent * 1e9 / kp)
        # The caller's CPU per task through one worker against a deep pool:
        # the deep pool's call queue holds DEEP_POOL + 1 calls, so each
        # wake-up of the caller's feeding and collecting threads serves
        # several and the caller's CPU per task falls. Together the two give
        # the per-call and per-wake-up costs. Both pools stay up and take
        # short batches in turn, so that both see the machine at one speed.
        with cf.ProcessPoolExecutor(1, mp_context=ctx) as one, \
                cf.ProcessPoolExecutor(DEEP_POOL, mp_context=ctx) as deep:
            _noop_batch(one, 4)
            _noop_batch(deep, 4 * DEEP_POOL)
            rounds = {one: [], deep: []}
            for r in range(6):
                for pool in ((one, deep) if r % 2 == 0 else (deep, one)):
                    rounds[pool].append(_noop_batch(pool, kp // 6, time.process_time_ns))
            shallow_cpu.append(median(rounds[one]))
            deep_cpu.append(median(rounds[deep]))
    metrics["process_pool_task_ns"] = rp
    metrics["process_pool_parent_cpu_ns"] = parent_cpu
    metrics["process_pool_worker_cpu_ns"] = child_cpu
    metrics["process_pool_shallow_parent_cpu_ns"] = shallow_cpu
    metrics["process_pool_deep_parent_cpu_ns"] = deep_cpu
    metrics["process_pool_deep_workers"] = [DEEP_POOL] * len(deep_cpu)
    ipe = getattr(cf, "InterpreterPoolExecutor", None)
    if ipe is None:
        why = "concurrent.futures.InterpreterPoolExecutor needs Python 3.14"
        un["interpreter_pool_task_ns"] = un["xi_numbers_bps"] = un["xi_objects_bps"] = why
    else:
        ri = []
        for _ in range(REPEATS):
            with ipe(1) as ex:
                ri.append(_noop_batches(ex, kp))
        metrics["interpreter_pool_task_ns"] = ri
        # Results crossing back from a sub-interpreter, every one kept, net
        # of building the result in-process and of a no-op call.
        import pickle

        for name, fn, arg in (("numbers", _floats, 20000), ("objects", _graph, 2000)):
            size = len(pickle.dumps(fn(arg), pickle.HIGHEST_PROTOCOL))
            n = 12 if QUICK else 40
            rates = []
            for _ in range(REPEATS):
                kept = []
                t = now()
                for _ in range(n):
                    kept.append(fn(arg))
                build = (now() - t) / n
                del kept
                with ipe(1) as ex:
                    ex.submit(fn, arg).result()
                    kept = []
                    t = now()
                    for f in [ex.submit(fn, arg) for _ in range(n)]:
                        kept.append(f.result())
                    per = (now() - t) / n
                    del kept
                net = per - build - median(ri)
                rates.append(size / (net / 1e9) if net > 0 else float("nan"))
            metrics[f"xi_{name}_bps"] = rates
    # Start-up: from creating a pool to its first no-op result.
    first = {"thread_pool_first_ns": lambda: cf.ThreadPoolExecutor(1)}
    for m in ("fork", "forkserver", "spawn"):
        if m in mp.get_all_start_methods():
            first[f"process_pool_{m}_first_ns"] = lambda m=m: cf.ProcessPoolExecutor(1, mp_context=mp.get_context(m))
    if ipe is not None:
        first["interpreter_pool_first_ns"] = lambda: ipe(1)
    for name, make in first.items():
        times = []
        for _ in range(REPEATS):
            t = now()
            ex = make()
            ex.submit(noop, *ARGS).result()
            times.append(now() - t)
            ex.shutdown(wait=True)
        metrics[name] = times
    return {"metrics": metrics, "unavailable": un}


def stamp(*_args):
    """A no-op call that says when it ran (perf_counter_ns is one clock for
    every process of the machine)."""
    return now()


# Calls a one-worker pool takes one at a time, each after a pause long
# enough that every thread on the way has gone back to sleep.
IDLE_GAP_S = 0.003


def _idle_calls(pool, n):
    """Median time, over n calls each made to an idle pool, from just
    before submit() to the call running in the worker (in) and from there
    to the future's done-callback (out)."""
    pool.submit(stamp, *ARGS).result()
    ins, outs = [], []
    for _ in range(n):
        time.sleep(IDLE_GAP_S)
        done = []
        t = now()
        f = pool.submit(stamp, *ARGS)
        f.add_done_callback(lambda _f: done.append(now()))
        ran = f.result()
        while not done:  # the callback may run in the pool's own thread
            time.sleep(0)
        ins.append(ran - t)
        outs.append(done[0] - ran)
    return median(ins), median(outs)


# A busy pool's tasks: each computes for BUSY_NS, then (in the second batch)
# sleeps for BUSY_SLEEP_S, long enough for every other thread of the pool
# and its caller to go to sleep.
BUSY_NS = 1_000_000
BUSY_SLEEP_S = 0.005


def busy_task(compute_ns, sleep_s):
    """Compute (a busy loop), then sleep; when the task began and ended."""
    t = now()
    while now() - t < compute_ns:
        pass
    if sleep_s:
        time.sleep(sleep_s)
    return t, now()


def _busy_gaps(pool, n):
    """Median time, in a batch of n tasks through a one-worker pool, from
    one task's last line to the next one's first line: when the tasks only
    compute, and when each ends with a sleep."""
    for f in [pool.submit(busy_task, 0, 0.0) for _ in range(5)]:
        f.result()
    gaps = []
    for sleep_s in (0.0, BUSY_SLEEP_S):
        spans = [f.result() for f in [pool.submit(busy_task, BUSY_NS, sleep_s) for _ in range(n)]]
        gaps.append(median(b[0] - a[1] for a, b in zip(spans, spans[1:])))
    return gaps


def bench_handover():
    """One call to an idle pool, against what a busy pool charges per call.

    A pool kept busy relays calls without its threads ever sleeping; a call
    to an idle pool wakes each thread on its way in turn: for a process pool,
    the pool's manager thread, its call queue's feeder thread and the worker
    process, then the manager thread again for the result; for an
    interpreter pool, the worker thread entering its interpreter; for a
    thread pool, the worker thread. Each
    repeat times calls made one at a time to an idle one-worker pool, and
    in the same pool a batch's CPU per call (process pool: the caller's and
    the worker's, as `pools` measures them; interpreter and thread pools:
    wall time per task), so that the driver can subtract what the simulator
    already charges on the way.

    A busy pool hides the hand-over, except after a task that ends in a
    wait: its caller and relaying threads sleep meanwhile, and the result's
    hand-back wakes them before the worker goes on. So each repeat also
    times, in the same pool, the gap between consecutive tasks of a batch
    that computes and of one whose tasks end with a sleep."""
    import concurrent.futures as cf
    import multiprocessing as mp
    import resource

    metrics, un = {}, {}
    n = 30 if QUICK else 100
    k = 500 if QUICK else 2000
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    p_in, p_out, p_caller, p_worker, p_gap, p_gap_wait = [], [], [], [], [], []
    for _ in range(REPEATS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        ex = cf.ProcessPoolExecutor(1, mp_context=ctx)
        try:
            a, b = _idle_calls(ex, n)
            c = time.process_time_ns()
            _noop_batch(ex, k)
            p_caller.append((time.process_time_ns() - c) / k)
        finally:
            ex.shutdown(wait=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        # The worker's CPU covers the idle calls too: count them as calls.
        p_worker.append(spent * 1e9 / (k + n + 1))
        # The busy batches in a pool of their own, whose worker's CPU the
        # figure above must not include.
        with cf.ProcessPoolExecutor(1, mp_context=ctx) as ex:
            busy = _busy_gaps(ex, n)
        p_gap.append(busy[0])
        p_gap_wait.append(busy[1])
        p_in.append(a)
        p_out.append(b)
    metrics["process_idle_in_ns"] = p_in
    metrics["process_idle_out_ns"] = p_out
    metrics["process_batch_caller_cpu_ns"] = p_caller
    metrics["process_batch_worker_cpu_ns"] = p_worker
    metrics["process_busy_gap_ns"] = p_gap
    metrics["process_busy_gap_after_wait_ns"] = p_gap_wait

    def idle_and_batch(kind, make):
        ins, outs, batch, gap, gap_wait = [], [], [], [], []
        for _ in range(REPEATS):
            with make() as ex:
                a, b = _idle_calls(ex, n)
                batch.append(_noop_batches(ex, k))
                busy = _busy_gaps(ex, n)
            ins.append(a)
            outs.append(b)
            gap.append(busy[0])
            gap_wait.append(busy[1])
        metrics[f"{kind}_idle_in_ns"] = ins
        metrics[f"{kind}_idle_out_ns"] = outs
        metrics[f"{kind}_batch_task_ns"] = batch
        metrics[f"{kind}_busy_gap_ns"] = gap
        metrics[f"{kind}_busy_gap_after_wait_ns"] = gap_wait

    idle_and_batch("thread", lambda: cf.ThreadPoolExecutor(1))
    ipe = getattr(cf, "InterpreterPoolExecutor", None)
    if ipe is None:
        why = "concurrent.futures.InterpreterPoolExecutor needs Python 3.14"
        un["interpreter_idle_in_ns"] = un["interpreter_busy_gap_after_wait_ns"] = why
    else:
        idle_and_batch("interpreter", lambda: ipe(1))
    return {"metrics": metrics, "unavailable": un, "notes": {"idle_calls": n, "batch": k}}


def bench_asyncio():
    import asyncio

    n = 5000 if QUICK else 20000

    async def nothing():
        return None

    async def tasks():
        t = now()
        await asyncio.gather(*[asyncio.ensure_future(nothing()) for _ in range(n)])
        return (now() - t) / n

    async def awaits():
        t = now()
        for _ in range(n):
            await asyncio.sleep(0)
        return (now() - t) / n

    async def memory():
        import tracemalloc

        fut = asyncio.get_running_loop().create_future()

        async def wait():
            await fut

        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        ts = [asyncio.ensure_future(wait()) for _ in range(n)]
        await asyncio.sleep(0)
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        fut.set_result(None)
        await asyncio.gather(*ts)
        return max(0, after - before) / n

    task, aw, mem = [], [], []
    for _ in range(REPEATS):
        task.append(asyncio.run(tasks()))
        aw.append(asyncio.run(awaits()))
        mem.append(asyncio.run(memory()))
    return {"metrics": {"asyncio_task_ns": task, "asyncio_await_ns": aw, "asyncio_task_memory_bytes": mem}}


# The event loop selectors whose wait takes whole milliseconds, which
# CPython rounds a timeout up to (Lib/selectors.py; the proactor's IOCP wait
# on Windows likewise). kqueue and select take finer timeouts.
MS_SELECTORS = ("EpollSelector", "PollSelector", "DevpollSelector", "ProactorEventLoop")


def bench_timers():
    """How late a timed sleep ends: a thread's time.sleep(5 ms), and an
    asyncio.sleep(5 ms) in an event loop with nothing else to do (its
    selector's timeout then falls on a whole millisecond, so what is left is
    the timer's own lateness). Also which selector asyncio's default event
    loop waits in, and so the unit of its timeouts."""
    import asyncio

    k = 30 if QUICK else 100
    wait_ns = 5_000_000

    async def loop_sleeps():
        xs = []
        for _ in range(k):
            t = now()
            await asyncio.sleep(wait_ns / 1e9)
            xs.append(now() - t - wait_ns)
        return median(xs)

    thread_late, loop_late = [], []
    for _ in range(REPEATS):
        xs = []
        for _ in range(k):
            t = now()
            time.sleep(wait_ns / 1e9)
            xs.append(now() - t - wait_ns)
        thread_late.append(median(xs))
        loop_late.append(asyncio.run(loop_sleeps()))
    loop = asyncio.new_event_loop()
    try:
        selector = getattr(loop, "_selector", None)
        name = type(selector if selector is not None else loop).__name__
    finally:
        loop.close()
    tick = 1_000_000.0 if name in MS_SELECTORS else 0.0
    return {
        "metrics": {
            "sleep_late_ns": thread_late,
            "asyncio_sleep_late_ns": loop_late,
            "asyncio_timer_tick_ns": [tick],
        },
        "notes": {"selector": name},
    }


def bench_single():
    """Single-thread speed and memory of a fixed mix of pure-Python work,
    for comparing a free-threaded build with the GIL build of its release."""
    n = 3 if QUICK else 5

    def work():
        d = {}
        for i in range(60000):
            d["k%d" % (i % 5000)] = [i, i * 0.5, str(i)]
        s = 0
        for v in d.values():
            s += v[0]
        xs = sorted(range(100000), key=lambda x: -x)

        class P:
            __slots__ = ("x", "y")

            def __init__(self, x, y):
                self.x, self.y = x, y

        ps = [P(i, i + 1) for i in range(50000)]
        return s + sum(p.x * p.y for p in ps) + xs[0] + spin_kernel(200000)

    work()
    times, mem = [], []
    for _ in range(REPEATS):
        t = now()
        for _ in range(n):
            work()
        times.append((now() - t) / n)
        gc.collect()
        before = private_bytes()
        keep = _graph(100000)
        after = private_bytes()
        del keep
        if before is not None:
            mem.append(max(1, after - before))
    metrics = {"single_thread_work_ns": times}
    if mem:
        metrics["object_graph_memory_bytes"] = mem
    return {"metrics": metrics}


def bench_contention():
    """Free-threaded builds: threads mutating one shared dict against each
    mutating its own, per additional thread."""
    names = ["contention"]
    if not free_threaded() or gil_enabled():
        why = "contention between threads running at once needs a free-threaded build with the GIL off"
        return {"metrics": {}, "unavailable": {n: why for n in names}}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    k = max(2, min(cores, 8))
    if cores < 2:
        return {"metrics": {}, "unavailable": {"contention": "needs at least two cores"}}
    iters = 100000 if QUICK else 300000

    def mutate(d, n):
        for i in range(n):
            d[i & 1023] = i

    def run(shared):
        ds = [{}] * k if shared else [{} for _ in range(k)]
        barrier = threading.Barrier(k + 1)

        def body(d):
            barrier.wait()
            mutate(d, iters)

        ts = [threading.Thread(target=body, args=(d,)) for d in ds]
        for th in ts:
            th.start()
        barrier.wait()
        t = now()
        for th in ts:
            th.join()
        return now() - t

    out = []
    for _ in range(REPEATS):
        private = run(False)
        shared = run(True)
        out.append(max(0.0, shared / private - 1) / (k - 1))
    return {"metrics": {"contention": out}, "notes": {"threads": k}}


BENCHES = {
    "info": bench_info,
    "threads": bench_threads,
    "gil": bench_gil,
    "convoy": bench_convoy,
    "os": bench_os,
    "processes": bench_processes,
    "interpreters": bench_interpreters,
    "pickle": bench_pickle,
    "pipe": bench_pipe,
    "pools": bench_pools,
    "handover": bench_handover,
    "asyncio": bench_asyncio,
    "timers": bench_timers,
    "single": bench_single,
    "contention": bench_contention,
}


def main():
    args = [a for a in sys.argv[1:] if a != "--quick"]
    if args == ["--list"]:
        print("\n".join(BENCHES))
        return 0
    if len(args) != 1 or args[0] not in BENCHES:
        sys.stderr.write("usage: harness.py BENCH [--quick]; benches: %s\n" % ", ".join(BENCHES))
        return 2
    before = probe()
    result = BENCHES[args[0]]()
    result["probe_ns"] = [before, probe()]
    result["bench"] = args[0]
    result["repeats"] = REPEATS
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
