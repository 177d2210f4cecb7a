"""Time a real program, the Michi Go engine's tree-search benchmark, under
GIL threads and processes, and read off the workload the simulator needs to
predict it.

Michi (https://github.com/nascheme/michi, MIT licence, not shipped here)
runs 1,400 Monte Carlo playouts through a multiprocessing pool: its
coordinator descends the search tree, hands each playout to a worker and
stores the result back in the tree. The Quansight free-threading guide
times it under GIL threads, processes and free-threading (the published
test's "Go MCTS" case). This script runs the same search on this machine:

    python3.14 calibrate/michi.py --michi /path/to/michi/michi.py

It times three runs, each a fresh interpreter: one pool thread (the
reference, close to sequential), N pool threads and N pool processes (N is
--workers, by default the CPU count), with bytecode caches allowed. The
one-thread run is also the instrumented one: it sums the CPU time of every
playout (in the pool thread) and of every step of the coordinator's own
work (tree descent and update, in the main thread), and the pickled sizes
of a playout's arguments and result. It prints one JSON object: the
machine, the interpreter, the wall seconds of each run and the workload
those sums give, which `parallel-universe predict --workload` reads.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402  (this folder's calibration harness)

CHILD = r"""
import json, multiprocessing, os, pickle, sys, threading, time
path, mode, workers, instrument = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
sys.path.insert(0, os.path.dirname(path))
import michi
multiprocessing.cpu_count = lambda: workers
michi.FORCE_THREADS = mode == "threads"
stats = {"playouts": 0, "playout_cpu_s": 0.0, "coordinator_cpu_s": 0.0,
         "input_bytes": 0, "output_bytes": 0}
lock = threading.Lock()
if instrument:
    playout, descend, update = michi.mcplayout, michi.tree_descend, michi.tree_update
    def timed_playout(pos, amaf_map, disp=False):
        t = time.thread_time()
        result = playout(pos, amaf_map, disp)
        dt = time.thread_time() - t
        size_in = len(pickle.dumps((pos, amaf_map, disp)))
        size_out = len(pickle.dumps(result))
        with lock:
            stats["playouts"] += 1
            stats["playout_cpu_s"] += dt
            stats["input_bytes"] += size_in
            stats["output_bytes"] += size_out
        return result
    def timed(f):
        def run(*a, **k):
            t = time.thread_time()
            try:
                return f(*a, **k)
            finally:
                stats["coordinator_cpu_s"] += time.thread_time() - t
        return run
    michi.mcplayout = timed_playout
    michi.tree_descend = timed(descend)
    michi.tree_update = timed(update)
michi.setup_random()
root = michi.TreeNode(pos=michi.empty_position())
devnull = open(os.devnull, "w")
real_stdout, real_stderr = sys.stdout, sys.stderr
sys.stdout = sys.stderr = devnull
t0 = time.perf_counter()
michi.tree_search(root, michi.N_SIMS, michi.W * michi.W * [0], disp=False)
wall = time.perf_counter() - t0
sys.stdout, sys.stderr = real_stdout, real_stderr
michi.WORKER_POOL.terminate()
stats["wall_s"] = wall
stats["root_visits"] = root.v
print(json.dumps(stats))
"""


def run(python, path, mode, workers, instrument):
    env = dict(os.environ)
    # Imports and start-ups are part of what a pool costs: let them use
    # bytecode caches as they would outside this environment.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [python, "-c", CHILD, path, mode, str(workers), "1" if instrument else "0"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--michi", required=True, help="path to michi.py")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--python", default=sys.executable, help="interpreter to time")
    args = ap.parse_args()
    if not os.path.isfile(args.michi):
        sys.exit(f"michi.py not found at {args.michi}")
    version = subprocess.run(
        [args.python, "-c", "import sys; print(sys.version.split()[0], int(sys._is_gil_enabled()) if hasattr(sys, '_is_gil_enabled') else 1)"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    one = run(args.python, args.michi, "threads", 1, True)
    threads = run(args.python, args.michi, "threads", args.workers, False)
    processes = run(args.python, args.michi, "processes", args.workers, False)
    n = max(one["playouts"], 1)
    workload = {
        "name": "michi",
        "tasks": n,
        "steps": [{"python_ms": round(one["playout_cpu_s"] / n * 1e3, 3)}],
        "input_bytes": round(one["input_bytes"] / n),
        "output_bytes": round(one["output_bytes"] / n),
        "parent_ms": round(one["coordinator_cpu_s"] / n * 1e3, 3),
    }
    print(json.dumps({
        "date": time.strftime("%Y-%m-%d"),
        "machine": {"cpu": harness.cpu_model(), "cores": os.cpu_count(),
                    "os": platform.platform()},
        "python": version[0],
        "gil_enabled": version[1] == "1",
        "workers": args.workers,
        "wall_s": {"threads x1": one["wall_s"],
                   f"threads x{args.workers}": threads["wall_s"],
                   f"processes x{args.workers}": processes["wall_s"]},
        "playouts": {"threads x1": one["root_visits"],
                     f"threads x{args.workers}": threads["root_visits"],
                     f"processes x{args.workers}": processes["root_visits"]},
        "workload": workload,
    }, indent=2))


if __name__ == "__main__":
    main()
