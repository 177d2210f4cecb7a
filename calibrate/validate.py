"""Run one real end-to-end workload and describe it for the simulator.

`parallel-universe validate` runs this script once per case, each time in a
fresh interpreter process, and compares what it measures against what the
simulator predicts for the same workload. The script therefore does two
things:

1. It measures, in this process, single-threaded and before anything is
   timed, what one task costs (the median of several timings of the kernel
   or of the whole task function), and writes the workload in the
   simulator's JSON workload format (docs/formats.md) with those costs.
2. It runs the case for real under one execution model and times it.

Command line::

    python validate.py --case CASE --model MODEL --workers N
                       [--start-method fork|forkserver|spawn] [--quick] [--seed S]
    python validate.py --list          # the case names, one a line

MODEL is `sequential` (a plain loop in the main thread), `threads`
(ThreadPoolExecutor(N)), `processes` (ProcessPoolExecutor(N, mp_context=
get_context(start_method)), the interpreter's default start method unless
one is given; ignored by the other models), `interpreters`
(InterpreterPoolExecutor(N), 3.14+) or `asyncio` (one event loop, N worker
coroutines pulling from a queue, CPU steps inline, I/O steps awaited as
asyncio.sleep; for the server, at most N requests in flight).

`wall_s` (time.perf_counter) runs from just before the executor is created
(or the event loop / sequential loop starts) to just after shutdown(wait=True)
returns (or the loop ends), so it includes starting and stopping workers.
Batch tasks go in one `submit` each and every result is collected.

The server cases (`server` at about 80% load on one worker, `quiet-server`
at about 16%) feed requests as a seeded open-loop Poisson process; the
caller sleeps until each arrival and submits it (the workload says
`"accept": "caller"`). As in the simulator, the
arrivals start once every pool worker is ready (a few short warm-up calls
until every worker has answered); the event loop and the sequential loop
serve from the start. Latency is completion (the future's done-callback, or
the end of the coroutine) minus the scheduled arrival; throughput is the
completed requests over the time from the first arrival to the last
completion.

Output: exactly one JSON line on stdout::

    {"case", "model", "workers", "start_method", "python", "free_threaded",
     "gil_enabled", "seed", "wall_s", "run", "drift", "probe_ns",
     "workload": {...}, "server": {...}  (server cases only)}

or `{"unavailable": "reason"}` when this interpreter cannot run the model.
Exit status 0; 2 on bad arguments. `drift` is how much the first CPU step,
timed again after the run, moved against its measurement before it (null
without a CPU step): the driver re-runs a case whose machine changed speed
under it. `probe_ns` is the time of the calibration harness's reference
loop, before and after the run (their mean): with the profile's own figure
for it, it says how much faster or slower the machine ran than when the
profile was measured. `run` is what the work cost during the run, from
every task's own timings: `cpu_ms`, the mean thread CPU time of one Python
step (a thread waiting for the GIL or for a core accrues none), and `io_ms`,
the mean wall time of one wait (a sleep ends a little late); either is null
when the case has no such step. Diagnostics go to stderr.

Task functions are module level so that they pickle by reference; spawned
and forkserver workers (and sub-interpreters) re-import this file, so all
work is under `if __name__ == "__main__":`. Like a typical script using a
pool, the file imports concurrent.futures and multiprocessing at the top,
so that the fork server (which preloads `__main__`) has them loaded before
it forks a worker; what those imports add to a fresh worker (beyond the
pool machinery it loads anyway) is the workload's `import_ms`, timed after
the run. The kernel's loop count is calibrated once in the parent and
passed to the workers as an argument. Standard library only.
"""

import concurrent.futures as cf
import multiprocessing
import os
import sys
import threading
import time

# --------------------------------------------------------------------------
# Case parameters (normal, quick)

CPU_TASKS = (32, 8)
CPU_MS = 20.0
IO_TASKS = (64, 16)
IO_MS = 20.0
MIXED_TASKS = (48, 12)
MIXED_CPU_MS = 4.0
MIXED_IO_MS = 10.0
PAYLOAD_TASKS = (64, 16)
PAYLOAD_CPU_MS = 2.0
PAYLOAD_BYTES = 1 << 20
PAYLOAD_FLOATS = 20_000
TINY_TASKS = (2000, 500)
TINY_MS = 0.020
SERVER_RATE = 100.0
# Three seconds (300 requests) rather than one. At this load a single worker
# is busy about 80% of the time, and its median latency moves severalfold
# between repeats: up to 2.5x over one second, and still 3 to 6x over three
# in the report of 2026-11-23 (the machine's speed, not the sample, moves it).
SERVER_DURATION = (3.0, 0.4)
SERVER_CPU_MS = 3.0
SERVER_IO_MS = 5.0
# The same requests at a fifth of the rate: a worker is busy about 16% of
# the time, so nearly every request finds its pool idle and its median
# latency is one request's way through the pool, which a batch never shows
# (the hand-over of a call to a pool whose threads sleep).
QUIET_RATE = 20.0
QUIET_DURATION = (3.0, 0.5)
# Seed of the server's arrivals. The arrival times come from the same
# generator the simulator uses (SplitMix64, stream 0 of the seed), so a
# prediction with this seed serves exactly the requests that were measured.
DEFAULT_SEED = 0

CASES = ("cpu", "io", "mixed", "payload-bytes", "payload-objects", "tiny", "server",
         "quiet-server")
MODELS = ("sequential", "threads", "processes", "interpreters", "asyncio")
START_METHODS = ("fork", "forkserver", "spawn")


# --------------------------------------------------------------------------
# The kernel and the task functions (module level: they pickle by reference)


def spin(n):
    """Pure-Python integer arithmetic, about linear in n."""
    x = 0
    for i in range(n):
        x = (x * 31 + i) & 0xFFFFFF
    return x


def reference_kernel(n):
    """The calibration harness's spin_kernel, character for character: its
    speed now, against its speed while the profile was measured, says how
    much faster or slower this machine runs than it did then."""
    x = 0
    for i in range(n):
        x = (x + i * i) % 1000003
    return x


def probe():
    """Median time of reference_kernel(100_000) over five runs, in ns."""
    times = []
    for _ in range(5):
        t = time.perf_counter_ns()
        reference_kernel(100_000)
        times.append(time.perf_counter_ns() - t)
    return sorted(times)[2]


# Every task times its own work as it runs, so that a prediction can use
# what the work cost during the run rather than before it: this machine
# changes speed within a run (a 3 ms step took 3.0 ms for most requests of a
# server run and about 4.6 ms for some, in spells). A task returns
# (result, cpu_ns, io_ns): the thread CPU time of its Python steps (time.
# thread_time_ns, which a thread waiting for the GIL or for a core does not
# accrue) and the wall time of its waits.
cpu_clock = time.thread_time_ns
wall_clock = time.perf_counter_ns


def task_cpu(n):
    t = cpu_clock()
    x = spin(n)
    return x, cpu_clock() - t, 0


def task_io(s):
    w = wall_clock()
    time.sleep(s)
    return 0, 0, wall_clock() - w


def task_mixed(n, s):
    t = cpu_clock()
    spin(n)
    cpu = cpu_clock() - t
    w = wall_clock()
    time.sleep(s)
    io = wall_clock() - w
    t = cpu_clock()
    x = spin(n)
    return x, cpu + cpu_clock() - t, io


def task_bytes(n, size):
    t = cpu_clock()
    spin(n)
    x = b"x" * size
    return x, cpu_clock() - t, 0


def task_objects(n, count):
    t = cpu_clock()
    spin(n)
    x = [i * 0.5 for i in range(count)]
    return x, cpu_clock() - t, 0


def task_tiny(n):
    t = cpu_clock()
    x = spin(n)
    return x, cpu_clock() - t, 0


def task_server(n, s):
    t = cpu_clock()
    x = spin(n)
    cpu = cpu_clock() - t
    w = wall_clock()
    time.sleep(s)
    return x, cpu, wall_clock() - w


def ping(s):
    """Warm-up call: which worker (process, thread) ran it."""
    time.sleep(s)
    return (os.getpid(), threading.get_ident())


# The asyncio versions: CPU inline in the loop, sleeps awaited. `asyncio` is
# imported by main() only, so that workers importing this file stay cheap.
asyncio = None


async def atask_io(s):
    w = wall_clock()
    await asyncio.sleep(s)
    return 0, 0, wall_clock() - w


async def atask_mixed(n, s):
    t = cpu_clock()
    spin(n)
    cpu = cpu_clock() - t
    w = wall_clock()
    await asyncio.sleep(s)
    io = wall_clock() - w
    t = cpu_clock()
    x = spin(n)
    return x, cpu + cpu_clock() - t, io


async def atask_server(n, s):
    t = cpu_clock()
    x = spin(n)
    cpu = cpu_clock() - t
    w = wall_clock()
    await asyncio.sleep(s)
    return x, cpu, wall_clock() - w


# --------------------------------------------------------------------------
# Measurement


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def median(xs):
    xs = sorted(xs)
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2


def per_call_s(fn, args, reps, warm=True):
    """Median per-call time of fn(*args) in seconds over `reps` timings,
    each of enough back-to-back calls to last about 2 ms; the first call
    (a warm-up unless warm is False) sizes the batches. The results are kept
    until the end, as the run keeps them: a result built in freshly mapped
    memory costs more than one built where the previous one was just freed
    (for a 1 MiB result, about a quarter more on the machine this was
    written on)."""
    perf = time.perf_counter
    keep = []
    append = keep.append
    t = perf()
    append(fn(*args))
    one = max(perf() - t, 1e-7)
    inner = max(1, int(0.002 / one))
    rng = range(inner)
    if warm and inner > 1:
        for _ in rng:
            append(fn(*args))
    out = []
    for _ in range(reps):
        t = perf()
        for _ in rng:
            append(fn(*args))
        out.append((perf() - t) / inner)
    del keep, append
    return median(out)


class Kernel:
    """Loop counts for the kernel, calibrated once on this interpreter."""

    def __init__(self):
        spin(20_000)  # warm up (specialisation)
        probe = 100_000
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            spin(probe)
            best = min(best, time.perf_counter() - t)
        self.iter_s = best / probe

    def count(self, ms):
        return max(1, round(ms / 1000.0 / self.iter_s))


def sig(x, digits=4):
    return float(f"{x:.{digits}g}")


def ms_of(seconds):
    return sig(seconds * 1000.0)


# --------------------------------------------------------------------------
# Case set-up: the task function, its arguments and the measured steps


class Plan:
    def __init__(self, name, fn, afn, args, steps, tasks=None, arrivals=None, probe=None):
        self.name = name
        self.fn = fn  # the task function (processes, threads, sequential)
        self.afn = afn  # its coroutine version, or None: call fn inline
        self.args = args
        self.steps = steps
        self.tasks = tasks
        self.arrivals = arrivals  # (rate_per_s, duration_s)
        self.sample = None  # one result, computed in-process
        self.probe = probe  # (fn, args) timed for the first python_ms step


def make_plan(case, quick):
    q = 1 if quick else 0
    k = Kernel()

    def measure_ms(fn, args, reps):
        return ms_of(per_call_s(fn, args, 5 if quick else reps))

    if case == "cpu":
        args = (k.count(CPU_MS),)
        steps = [{"python_ms": measure_ms(task_cpu, args, 7)}]
        return Plan(case, task_cpu, None, args, steps, tasks=CPU_TASKS[q],
                    probe=(task_cpu, args))
    if case == "io":
        args = (IO_MS / 1000.0,)
        return Plan(case, task_io, atask_io, args, [{"io_ms": IO_MS}], tasks=IO_TASKS[q])
    if case == "mixed":
        n = k.count(MIXED_CPU_MS)
        cpu = measure_ms(spin, (n,), 9)
        steps = [{"python_ms": cpu}, {"io_ms": MIXED_IO_MS}, {"python_ms": cpu}]
        args = (n, MIXED_IO_MS / 1000.0)
        return Plan(case, task_mixed, atask_mixed, args, steps, tasks=MIXED_TASKS[q],
                    probe=(spin, (n,)))
    if case == "payload-bytes":
        args = (k.count(PAYLOAD_CPU_MS), PAYLOAD_BYTES)
        steps = [{"python_ms": measure_ms(task_bytes, args, 9)}]
        return Plan(case, task_bytes, None, args, steps, tasks=PAYLOAD_TASKS[q],
                    probe=(task_bytes, args))
    if case == "payload-objects":
        args = (k.count(PAYLOAD_CPU_MS), PAYLOAD_FLOATS)
        steps = [{"python_ms": measure_ms(task_objects, args, 9)}]
        return Plan(case, task_objects, None, args, steps, tasks=PAYLOAD_TASKS[q],
                    probe=(task_objects, args))
    if case == "tiny":
        args = (k.count(TINY_MS),)
        steps = [{"python_ms": measure_ms(task_tiny, args, 11)}]
        return Plan(case, task_tiny, None, args, steps, tasks=TINY_TASKS[q],
                    probe=(task_tiny, args))
    if case in ("server", "quiet-server"):
        n = k.count(SERVER_CPU_MS)
        steps = [{"python_ms": measure_ms(spin, (n,), 9)}, {"io_ms": SERVER_IO_MS}]
        args = (n, SERVER_IO_MS / 1000.0)
        arrivals = ((SERVER_RATE, SERVER_DURATION[q]) if case == "server"
                    else (QUIET_RATE, QUIET_DURATION[q]))
        return Plan(
            case, task_server, atask_server, args, steps,
            arrivals=arrivals, probe=(spin, (n,)),
        )
    raise ValueError(case)


# This file's top-level imports, which spawned workers, the fork server and
# every sub-interpreter run again when they import it (see the docstring).
MAIN_IMPORTS = "concurrent.futures, multiprocessing, os, sys, threading, time"


def main_import_ms(model):
    """What this file's top-level imports add to a fresh worker, in ms: the
    workload's `import_ms`. A pool's worker loads its own machinery anyway
    (concurrent.futures.process in a process, concurrent.futures.interpreter
    in a sub-interpreter), and the profile's start-up figures include that,
    so only what comes on top counts. Timed inside three fresh processes of
    this interpreter (each one's own clock around the import statement), the
    median; run after the measured run so as not to disturb it."""
    import subprocess

    base = ("concurrent.futures.interpreter" if model == "interpreters"
            else "concurrent.futures.process")
    code = (f"import {base}, time; t = time.perf_counter_ns(); "
            f"import {MAIN_IMPORTS}; "
            "print((time.perf_counter_ns() - t) / 1e6)")
    times = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                             text=True, timeout=120, check=True)
        times.append(float(out.stdout.strip()))
    return round(sorted(times)[1], 3)


def workload_json(plan):
    import pickle

    plan.sample = plan.fn(*plan.args)
    result = plan.sample[0]
    w = {"name": plan.name}
    if plan.arrivals is not None:
        w["arrivals"] = {"rate_per_s": plan.arrivals[0], "duration_s": plan.arrivals[1]}
        # The caller submits each request to the pool at its arrival (see
        # run_server), rather than each worker taking it from a socket.
        w["accept"] = "caller"
    else:
        w["tasks"] = plan.tasks
    w["steps"] = plan.steps
    # Its waits are time.sleep and asyncio.sleep, and a server's caller
    # sleeps until each arrival.
    w["waits"] = "sleep"
    w["input_bytes"] = len(pickle.dumps(plan.args, protocol=pickle.HIGHEST_PROTOCOL))
    # What a pool really sends back: the result with the task's own timings.
    w["output_bytes"] = len(pickle.dumps(plan.sample, protocol=pickle.HIGHEST_PROTOCOL))
    if isinstance(result, bytes):
        w["payload"] = "bytes"
    elif isinstance(result, list) and all(type(x) in (int, float) for x in result):
        w["payload"] = "numbers"
    else:
        w["payload"] = "objects"
    return w


# --------------------------------------------------------------------------
# Executors


def executor_factory(model, workers, start_method):
    """A zero-argument constructor for the model's executor."""
    if model == "threads":
        cls = cf.ThreadPoolExecutor
        return lambda: cls(workers)
    if model == "interpreters":
        cls = cf.InterpreterPoolExecutor
        return lambda: cls(workers)
    if model == "processes":
        cls = cf.ProcessPoolExecutor
        ctx = multiprocessing.get_context(start_method)
        return lambda: cls(workers, mp_context=ctx)
    raise ValueError(model)


def check(results, plan):
    """Every result came back whole (compared with the sample result)."""
    expect = plan.sample[0]
    if len(results) != (plan.tasks or len(results)):
        raise RuntimeError("lost results")
    for r in results:
        if not (isinstance(r, tuple) and len(r) == 3):
            raise RuntimeError(f"unexpected result {type(r).__name__}")
        r = r[0]
        if type(r) is not type(expect) or (
            isinstance(r, (bytes, list)) and len(r) != len(expect)
        ):
            raise RuntimeError(f"unexpected result {type(r).__name__}")


def in_run(results, plan):
    """What the work cost during the run, from the tasks' own timings: the
    mean thread CPU time of one Python step and the mean wall time of one
    wait, in ms (None where the case has no such step)."""
    cpu_steps = sum(1 for s in plan.steps if "python_ms" in s)
    io_steps = sum(1 for s in plan.steps if "io_ms" in s)
    n = len(results)

    def mean_ms(k, per_task):
        if not (n and per_task):
            return None
        return round(sum(r[k] for r in results) / (n * per_task) / 1e6, 5)

    return {"cpu_ms": mean_ms(1, cpu_steps), "io_ms": mean_ms(2, io_steps)}


# ----- batch


def run_batch(plan, model, workers, make_executor):
    fn, args, tasks = plan.fn, plan.args, plan.tasks
    perf = time.perf_counter
    if model == "sequential":
        t0 = perf()
        results = []
        for _ in range(tasks):
            results.append(fn(*args))
        t1 = perf()
    elif model == "asyncio":
        t0 = perf()
        results = asyncio.run(async_batch(plan, workers))
        t1 = perf()
    else:
        t0 = perf()
        ex = make_executor()
        futures = [ex.submit(fn, *args) for _ in range(tasks)]
        results = [f.result() for f in futures]
        ex.shutdown(wait=True)
        t1 = perf()
    check(results, plan)
    return t1 - t0, in_run(results, plan)


async def async_batch(plan, workers):
    fn, afn, args = plan.fn, plan.afn, plan.args
    queue = asyncio.Queue()
    for i in range(plan.tasks):
        queue.put_nowait(i)
    results = [None] * plan.tasks

    async def worker():
        while True:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            if afn is None:
                results[i] = fn(*args)
            else:
                results[i] = await afn(*args)

    await asyncio.gather(*(worker() for _ in range(workers)))
    return results


# ----- server


_MASK = (1 << 64) - 1


class SplitMix64:
    """The simulator's generator (src/rng.rs), bit for bit."""

    def __init__(self, state):
        self.state = state & _MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    @classmethod
    def stream(cls, seed, k):
        mixer = cls(seed ^ ((k * 0xA0761D6478BD642F) & _MASK))
        return cls(mixer.next_u64())

    def exponential_ns(self, mean_ns):
        import math

        u = ((self.next_u64() >> 11) + 0.5) / 9007199254740992.0
        x = -math.log(u) * mean_ns
        return 1 if x < 1.0 else int(x)


def arrival_offsets(rate, duration, seed):
    """Arrival offsets in seconds: the simulator's Poisson stream for task
    group 0 of this seed (integer nanoseconds, as it draws them)."""
    rng = SplitMix64.stream(seed, 0)
    mean = 1e9 / rate
    end = int(duration * 1e9)
    out = []
    t = rng.exponential_ns(mean)
    while t <= end:
        out.append(t / 1e9)
        t += rng.exponential_ns(mean)
    return out


def warm_up(ex, workers, model):
    """Submit short calls until every worker has answered, so that every
    worker is ready when the arrivals start (as in the simulator)."""
    seen = set()
    deadline = time.perf_counter() + 30.0
    while len(seen) < workers and time.perf_counter() < deadline:
        for f in [ex.submit(ping, 0.005) for _ in range(workers)]:
            pid, tid = f.result()
            seen.add(pid if model == "processes" else tid)
    if len(seen) < workers:
        log(f"warning: only {len(seen)} of {workers} workers answered the warm-up")


def run_server(plan, model, workers, make_executor, seed):
    rate, duration = plan.arrivals
    offsets = arrival_offsets(rate, duration, seed)
    count = len(offsets)
    fn, args = plan.fn, plan.args
    perf = time.perf_counter
    sleep = time.sleep
    done_at = [0.0] * count
    results = []

    if model == "sequential":
        t0 = perf()
        start = t0
        for i, off in enumerate(offsets):
            wait = start + off - perf()
            if wait > 0:
                sleep(wait)
            results.append(fn(*args))
            done_at[i] = perf()
        t1 = perf()
    elif model == "asyncio":
        holder = {}
        t0 = perf()
        results = asyncio.run(async_server(plan, workers, offsets, done_at, holder))
        t1 = perf()
        start = holder["start"]
    else:
        t0 = perf()
        ex = make_executor()
        warm_up(ex, workers, model)
        start = perf()
        futures = []
        for i, off in enumerate(offsets):
            wait = start + off - perf()
            if wait > 0:
                sleep(wait)
            f = ex.submit(fn, *args)
            f.add_done_callback(lambda _f, i=i: done_at.__setitem__(i, perf()))
            futures.append(f)
        results = [f.result() for f in futures]
        ex.shutdown(wait=True)
        t1 = perf()
    if count:
        check(results, plan)
    return t1 - t0, server_stats(offsets, done_at, start), in_run(results, plan)


async def async_server(plan, workers, offsets, done_at, holder):
    afn, args = plan.afn, plan.args
    perf = time.perf_counter
    sem = asyncio.Semaphore(workers)
    results = [None] * len(offsets)

    async def handle(i):
        async with sem:
            results[i] = await afn(*args)
        done_at[i] = perf()

    start = perf()
    holder["start"] = start
    tasks = []
    for i, off in enumerate(offsets):
        wait = start + off - perf()
        if wait > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.ensure_future(handle(i)))
    await asyncio.gather(*tasks)
    return results


def nearest_rank(sorted_xs, p):
    import math

    rank = max(1, math.ceil(p / 100.0 * len(sorted_xs)))
    return sorted_xs[rank - 1]


def server_stats(offsets, done_at, start):
    count = len(offsets)
    if count == 0:
        return {"throughput_per_s": 0.0, "latency_ms": {"p50": 0.0, "p95": 0.0, "p99": 0.0},
                "completed": 0}
    lat = sorted((done_at[i] - (start + offsets[i])) * 1000.0 for i in range(count))
    span = max(done_at) - (start + offsets[0])
    return {
        "throughput_per_s": round(count / span, 3) if span > 0 else 0.0,
        "latency_ms": {p: round(nearest_rank(lat, q), 3)
                       for p, q in (("p50", 50), ("p95", 95), ("p99", 99))},
        "completed": count,
    }


# --------------------------------------------------------------------------
# Main


def drift_check(plan):
    """This machine's speed can change while a case runs (frequency scaling,
    other guests on the host): time the first CPU step again after the run.
    Returns the relative change (None when the case has no CPU step) and
    says so on stderr when it moved by more than 10%."""
    if plan.probe is None:
        return None
    before = next(s["python_ms"] for s in plan.steps if "python_ms" in s)
    after = per_call_s(plan.probe[0], plan.probe[1], 3, warm=False) * 1000.0
    change = after / before - 1.0
    if abs(change) > 0.10:
        log(f"warning: the CPU step measured {before} ms before the run and "
            f"{sig(after)} ms after it ({change:+.0%}); the machine's speed changed")
    return round(change, 4)


def parse_args(argv):
    import argparse

    p = argparse.ArgumentParser(
        description="Run one validation case for real and describe it as a "
        "parallel-universe workload (one JSON line on stdout)."
    )
    p.add_argument("--list", action="store_true", help="print the case names and exit")
    p.add_argument("--case", choices=CASES)
    p.add_argument("--model", choices=MODELS)
    p.add_argument("--workers", type=int)
    p.add_argument("--start-method", choices=START_METHODS, default=None,
                   help="processes only (default: the interpreter's own)")
    p.add_argument("--quick", action="store_true", help="smaller runs")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the server's arrivals")
    a = p.parse_args(argv)
    if not a.list:
        for name in ("case", "model", "workers"):
            if getattr(a, name) is None:
                p.error(f"--{name} is required")
        if not 1 <= a.workers <= 1024:
            p.error("--workers must be between 1 and 1024")
    return a


def unavailable(model, start_method):
    if model == "interpreters":
        if not hasattr(cf, "InterpreterPoolExecutor"):
            return ("interpreters needs concurrent.futures.InterpreterPoolExecutor "
                    f"(Python 3.14+); this is {sys.version.split()[0]}")
    if model == "processes" and start_method is not None:
        if start_method not in multiprocessing.get_all_start_methods():
            return f"start method {start_method!r} is not available on this platform"
    return None


def main(argv):
    a = parse_args(argv)
    if a.list:
        print("\n".join(CASES))
        return 0

    import json

    why = unavailable(a.model, a.start_method)
    if why:
        print(json.dumps({"unavailable": why}))
        return 0

    import sysconfig

    global asyncio
    import asyncio

    start_method = None
    make_executor = None
    if a.model == "processes":
        start_method = multiprocessing.get_context(a.start_method).get_start_method()
    if a.model in ("threads", "processes", "interpreters"):
        make_executor = executor_factory(a.model, a.workers, a.start_method)

    probe_before = probe()
    plan = make_plan(a.case, a.quick)
    workload = workload_json(plan)
    log(f"{a.case}/{a.model}/{a.workers}: steps {plan.steps}")

    out = {
        "case": a.case,
        "model": a.model,
        "workers": a.workers,
        "start_method": start_method,
        "python": sys.version.split()[0],
        "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "gil_enabled": bool(getattr(sys, "_is_gil_enabled", lambda: True)()),
        "seed": a.seed,
    }
    if plan.arrivals is not None:
        wall, stats, run = run_server(plan, a.model, a.workers, make_executor, a.seed)
    else:
        (wall, run), stats = run_batch(plan, a.model, a.workers, make_executor), None
    out["wall_s"] = round(wall, 6)
    out["run"] = run
    out["drift"] = drift_check(plan)
    out["probe_ns"] = (probe_before + probe()) / 2
    workload["import_ms"] = main_import_ms(a.model)
    out["workload"] = workload
    if stats is not None:
        out["server"] = stats
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
