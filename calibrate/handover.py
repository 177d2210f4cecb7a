"""How long a pool takes to hand one call to an idle worker and its result
back, and what a no-op call costs with the process pinned to one CPU and
unpinned.

The accuracy report's largest misses are one-worker pools serving requests
(every real one was slower than sequential code) and tiny tasks through an
interpreter pool. Both come down to the path a single call takes when the
pool is idle, which a batch hides: a batch keeps the queues full, so the
threads that relay calls never sleep, while a request arriving at an idle
pool must wake each of them in turn. This script times that path, so the
README's figures about it can be measured again. (The calibration's
`handover` benchmark in harness.py measures the same path for the profile,
as two numbers per pool: the way in and the way back. This script splits it
into steps and covers every start method.)

- `timer_late`: how much later than asked `time.sleep` returns (every
  request of the server case waits for its arrival time this way, pooled
  or not);
- `submit`: the caller's time inside `submit()`;
- `to_start`: from `submit()` returning to the task's first line running in
  an idle worker;
- `back`: from the task's last line to the caller's done-callback;
- `batch_call`: the wall time per no-op call of a batch (submit all, then
  wait for all), with the process pinned to one CPU (`pinned`) and free to
  use every CPU (`unpinned`);
- `busy_gap`: in a batch of tasks that each compute for 1 ms, the time from
  one task's last line to the next task's first line in the pool's one
  worker: a busy pool's hand-over, which the simulator charges as the
  per-call costs of a batch; `busy_gap_after_sleep`: the same when each
  task ends with a 5 ms sleep, so that the pool's threads idle while its
  worker sleeps (the accuracy report's one-worker servers, whose requests
  queue at a busy pool, answered more slowly than simulated). Both are
  timed by the calibration's own `handover` benchmark code (`_busy_gaps`
  in harness.py, beside this file), from which the profile's
  `*_after_wait` latencies come.

Medians over every call, each kind measured in turn in a fresh pool, the
whole set repeated. Standard library only; a kind the interpreter lacks is
reported as unavailable. Output: a table on stderr, one JSON object on
stdout.

    python3.14 calibrate/handover.py [--calls 200] [--repeats 3]
"""

import json
import os
import platform
import statistics
import sys
import time

import harness  # beside this file

SLEEP_S = 0.002
GAP_S = 0.004


def task(s):
    t = time.perf_counter()
    if s:
        time.sleep(s)
    return t, time.perf_counter()


def noop(x, y):
    return x


def executor(kind):
    """A one-worker pool of the given kind, or a reason it cannot be had."""
    import concurrent.futures as cf

    if kind == "threads":
        return cf.ThreadPoolExecutor(1), None
    if kind == "interpreters":
        if not hasattr(cf, "InterpreterPoolExecutor"):
            return None, "no InterpreterPoolExecutor before Python 3.14"
        return cf.InterpreterPoolExecutor(1), None
    import multiprocessing as mp

    method = kind.split(":", 1)[1]
    if method not in mp.get_all_start_methods():
        return None, f"start method {method} unavailable on this platform"
    return cf.ProcessPoolExecutor(1, mp_context=mp.get_context(method)), None


def idle_path(ex, calls):
    """Time `calls` requests, each to an idle pool."""
    perf = time.perf_counter
    late, submit, to_start, back = [], [], [], []
    ex.submit(task, 0).result()
    for _ in range(calls):
        target = perf() + GAP_S
        time.sleep(GAP_S)
        a = perf()
        f = ex.submit(task, SLEEP_S)
        b = perf()
        done = []
        f.add_done_callback(lambda _f: done.append(perf()))
        started, ended = f.result()
        while not done:  # the callback may run in another thread
            time.sleep(0)
        late.append(a - target)
        submit.append(b - a)
        to_start.append(started - b)
        back.append(done[0] - ended)
    return {"timer_late": late, "submit": submit, "to_start": to_start, "back": back}


def batch_call(ex, calls):
    """Wall time per no-op call of a batch."""
    for f in [ex.submit(noop, 1, "x") for _ in range(20)]:
        f.result()
    t = time.perf_counter()
    for f in [ex.submit(noop, 1, "x") for _ in range(calls)]:
        f.result()
    return (time.perf_counter() - t) / calls


def pinned(cpu):
    """Pin this process (and threads it starts) to one CPU; returns the
    previous set, or None where affinity cannot be set."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    old = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    return old


def measure(kind, calls):
    out = {}
    ex, why = executor(kind)
    if ex is None:
        return {"unavailable": why}
    try:
        for k, xs in idle_path(ex, calls).items():
            out[k] = statistics.median(xs)
        out["batch_call_unpinned"] = batch_call(ex, calls * 5)
        # The calibration's own measurement (harness.py, `handover`), in ns.
        gap, gap_after_sleep = harness._busy_gaps(ex, calls)
        out["busy_gap"] = gap / 1e9
        out["busy_gap_after_sleep"] = gap_after_sleep / 1e9
    finally:
        ex.shutdown(wait=True)
    old = pinned(min(os.sched_getaffinity(0))) if hasattr(os, "sched_getaffinity") else None
    if old is not None:
        try:
            ex, _ = executor(kind)  # workers inherit the pinning
            try:
                out["batch_call_pinned"] = batch_call(ex, calls * 5)
            finally:
                ex.shutdown(wait=True)
        finally:
            os.sched_setaffinity(0, old)
    return out


def main(argv):
    import argparse

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--calls", type=int, default=200, help="calls per measurement")
    p.add_argument("--repeats", type=int, default=3, help="rounds over every kind")
    a = p.parse_args(argv)
    if not (10 <= a.calls <= 100000 and 1 <= a.repeats <= 100):
        p.error("--calls must be 10 to 100000 and --repeats 1 to 100")
    kinds = ["threads", "processes:fork", "processes:forkserver", "processes:spawn",
             "interpreters"]
    rounds = {k: [] for k in kinds}
    for r in range(a.repeats):
        for k in kinds:
            print(f"round {r + 1}/{a.repeats}: {k}", file=sys.stderr, flush=True)
            rounds[k].append(measure(k, a.calls))
    result = {}
    fields = ("timer_late", "submit", "to_start", "back", "batch_call_pinned",
              "batch_call_unpinned", "busy_gap", "busy_gap_after_sleep")
    for k, rs in rounds.items():
        if "unavailable" in rs[0]:
            result[k] = rs[0]
            continue
        result[k] = {
            f: {"median_us": round(statistics.median(r[f] for r in rs) * 1e6, 1),
                "range_us": [round(min(r[f] for r in rs) * 1e6, 1),
                             round(max(r[f] for r in rs) * 1e6, 1)]}
            for f in fields if all(f in r for r in rs)
        }
    doc = {
        "python": platform.python_version(),
        "gil_disabled": not getattr(sys, "_is_gil_enabled", lambda: True)(),
        "machine": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d"),
        "calls": a.calls,
        "repeats": a.repeats,
        "results": result,
    }
    head = f"{'':22}" + "".join(f"{f:>22}" for f in fields)
    print(f"Python {doc['python']}, {doc['cpus']} CPUs; microseconds, median "
          f"of {a.repeats} rounds (range)", file=sys.stderr)
    print(head, file=sys.stderr)
    for k, r in result.items():
        if "unavailable" in r:
            print(f"{k:22}unavailable: {r['unavailable']}", file=sys.stderr)
            continue
        cells = "".join(
            f"{r[f]['median_us']:>10.0f} ({r[f]['range_us'][0]:.0f}-{r[f]['range_us'][1]:.0f})".rjust(22)
            if f in r else f"{'-':>22}"
            for f in fields
        )
        print(f"{k:22}{cells}", file=sys.stderr)
    print(json.dumps(doc))


if __name__ == "__main__":
    main(sys.argv[1:])
