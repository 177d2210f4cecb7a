#!/usr/bin/env python3
"""Check widely used packages against CPython 3.14's two new kinds of parallelism.

For each package in PACKAGES this records, from PyPI and a real interpreter:

  version         the latest release PyPI offers for the interpreter's Python
                  version (`pip index versions --python-version X.Y`);
  ft_wheel        whether that release has a free-threaded wheel (abi cpXYt)
                  for manylinux x86_64: "yes", "no", or "pure" when the only
                  match is a pure-Python wheel (py3-none-any) that installs
                  anywhere (`pip download --only-binary=:all: --no-deps
                  --abi cpXYt --platform ...`, then the saved wheel's tags are
                  read: pip's own tag list also accepts abi3 for cpXYt, which a
                  free-threaded interpreter cannot load, so the file decides);
  subinterpreter  whether that release, installed from binary wheels for the
                  given (GIL) interpreter into a private target directory,
                  imports inside `concurrent.interpreters.create()`: "yes",
                  "no", or "not installed" when no wheel installs. It is first
                  imported in the main interpreter of a separate process, so
                  "does not import at all" and "not in a sub-interpreter" are
                  told apart.

Usage (standard library only, Python 3.11+):

    python3 scripts/check-packages.py --python PATH_TO_PYTHON3.14 --out content/packages.json

Progress goes to stderr. If something outside the packages fails (no pip, no
network, PyPI unreachable, a broken interpreter), the script says so and exits
with status 2 without writing the output file, so no row is ever a guess.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# (PyPI name, import name). The import name is what is imported in both
# interpreters; for packages whose import is lazy, PROBES adds a statement
# that makes the native part load.
PACKAGES: list[tuple[str, str]] = [
    ("numpy", "numpy"),
    ("pandas", "pandas"),
    ("scipy", "scipy"),
    ("pydantic-core", "pydantic_core"),
    ("pydantic", "pydantic"),
    ("orjson", "orjson"),
    ("ujson", "ujson"),
    ("msgpack", "msgpack"),
    ("pyyaml", "yaml"),
    ("markupsafe", "markupsafe"),
    ("charset-normalizer", "charset_normalizer"),
    ("cryptography", "cryptography"),
    ("lxml", "lxml.etree"),
    ("pillow", "PIL.Image"),
    ("psycopg2-binary", "psycopg2"),
    ("aiohttp", "aiohttp"),
    ("uvloop", "uvloop"),
    ("httptools", "httptools"),
    ("regex", "regex"),
    ("requests", "requests"),
]

# Extra statements run after the import, in both interpreters, where the
# import alone would not load the package's compiled part.
PROBES: dict[str, str] = {
    # pydantic resolves its public names lazily; BaseModel pulls in pydantic_core.
    "pydantic": "import pydantic; pydantic.BaseModel",
    # `import cryptography` is pure Python; its Rust extension loads with the first primitive.
    "cryptography": "import cryptography.hazmat.bindings._rust",
}

# The free-threaded column asks about wheels most Linux machines can install:
# manylinux up to glibc 2.28 (and the older manylinux2014/2010/1 names). The
# sub-interpreter column installs whatever the tested interpreter's glibc takes.
FT_MAX_GLIBC_MINOR = 28

PIP_TIMEOUT = 600  # seconds for one pip command (scipy's wheel is ~35 MB)
IMPORT_TIMEOUT = 120  # seconds for one import test process

# Substrings of pip's output that mean the index could not be reached, as
# opposed to "this release has no such wheel".
NETWORK_MARKERS = (
    "Could not fetch URL",
    "Max retries exceeded",
    "Failed to establish a new connection",
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Name or service not known",
    "SSLError",
    "ProxyError",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "Read timed out",
    "Connection refused",
    "Connection reset",
    "HTTP error 5",
    "403 Client Error",
    "401 Client Error",
    "RemoteDisconnected",
    "IncompleteRead",
    "No space left on device",
)

RESULT_TAG = "@@CHECK-PACKAGES-RESULT@@"


class EnvironmentProblem(Exception):
    """Something outside the package failed; the run is not trustworthy."""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def first_line(text: str, limit: int = 200) -> str:
    for line in str(text).splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


def run(cmd: list[str], timeout: float, env: dict[str, str] | None = None, cwd: str | None = None):
    """Run a command; return (returncode or None on timeout, stdout, stderr)."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return None, out, err


# --------------------------------------------------------------------------
# The interpreter under test


INTERP_INFO_CODE = r"""
import json, platform, sys, sysconfig
info = {
    "version": platform.python_version(),
    "implementation": sys.implementation.name,
    "major": sys.version_info[0], "minor": sys.version_info[1],
    "gil_disabled": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "machine": platform.machine(),
    "libc": list(platform.libc_ver()),
    "stdlib": sysconfig.get_paths()["stdlib"],
}
# The interpreter's own compiled modules: one that does not load (say, _ssl
# with an OpenSSL it cannot find) would make packages fail for its sake.
import importlib, os
broken = {}
dynload = os.path.join(info["stdlib"], "lib-dynload")
for f in sorted(os.listdir(dynload)) if os.path.isdir(dynload) else []:
    name = f.split(".")[0]
    if f.endswith(".so") and not name.startswith(("_test", "xx", "_xx", "_ctypes_test")):
        try:
            importlib.import_module(name)
        except Exception as e:
            broken[name] = (type(e).__name__ + ": " + str(e)).splitlines()[0][:300]
info["broken_stdlib"] = broken
try:
    from concurrent import interpreters
    info["interpreters"] = True
except ImportError as e:
    info["interpreters"] = False
    info["interpreters_error"] = str(e)
print(json.dumps(info))
"""

# Self-test of the sub-interpreter harness: a stdlib module that must load,
# and CPython's own single-phase test module, which must be refused.
HARNESS_SELFTEST_CODE = r"""
import json
from concurrent import interpreters
out = {}
for name in ("json", "_testsinglephase"):
    interp = interpreters.create()
    try:
        interp.exec("import " + name)
        out[name] = "ok"
    except interpreters.ExecutionFailed as e:
        out[name] = e.excinfo.type.__name__ + ": " + str(e.excinfo.msg)
    finally:
        interp.close()
print(json.dumps(out))
"""


def describe_interpreter(python: str) -> dict:
    rc, out, err = run([python, "-I", "-c", INTERP_INFO_CODE], timeout=60)
    if rc != 0:
        raise EnvironmentProblem(f"cannot run the interpreter {python}: {first_line(err) or 'exit ' + str(rc)}")
    info = json.loads(out)
    if info["implementation"] != "cpython":
        raise EnvironmentProblem(f"{python} is {info['implementation']}, not CPython")
    if not info["interpreters"]:
        raise EnvironmentProblem(
            f"{python} (Python {info['version']}) has no concurrent.interpreters "
            f"({info.get('interpreters_error')}); pass a CPython 3.14 or newer"
        )
    if info["gil_disabled"]:
        raise EnvironmentProblem(
            f"{python} is a free-threaded build; the sub-interpreter column is defined for the default (GIL) build"
        )
    for name, error in info["broken_stdlib"].items():
        log(f"WARNING: the interpreter's own module {name} does not load: {error}")
    rc, out, err = run([python, "-I", "-c", HARNESS_SELFTEST_CODE], timeout=IMPORT_TIMEOUT)
    if rc != 0:
        raise EnvironmentProblem(f"the sub-interpreter harness does not run under {python}: {first_line(err)}")
    selftest = json.loads(out)
    if selftest.get("json") != "ok":
        raise EnvironmentProblem(f"a sub-interpreter cannot even import json: {selftest.get('json')}")
    # _testsinglephase is missing from some distributions; when present it must be refused.
    single = selftest.get("_testsinglephase", "")
    if single == "ok":
        raise EnvironmentProblem("the harness let a single-phase-init module load in a sub-interpreter; it is not isolating")
    info["selftest"] = selftest
    return info


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


# --------------------------------------------------------------------------
# pip


class Pip:
    """pip, run as a separate process, always pointed at the target Python's tags."""

    def __init__(self, runner: list[str], py: dict, work: Path):
        self.runner = runner
        self.pyver = f"{py['major']}.{py['minor']}"
        self.cp = f"cp{py['major']}{py['minor']}"
        # Every manylinux tag an x86_64 glibc up to the interpreter's own accepts,
        # newest first (pip < 24 does not expand a --platform downwards by itself).
        libc = py.get("libc") or ["", ""]
        glibc_minor = 17
        if libc[0] == "glibc" and re.fullmatch(r"2\.\d+", libc[1] or ""):
            glibc_minor = max(17, int(libc[1].split(".")[1]))
        arch = self.arch = py["machine"]
        legacy = [f"manylinux2014_{arch}", f"manylinux2010_{arch}", f"manylinux1_{arch}"]
        self.platforms = [f"manylinux_2_{m}_{arch}" for m in range(glibc_minor, 16, -1)] + legacy
        self.ft_platforms = [f"manylinux_2_{m}_{arch}" for m in range(FT_MAX_GLIBC_MINOR, 16, -1)] + legacy
        self.env = dict(os.environ)
        # Only the index counts: no local wheel folders, no "no index".
        for key in ("PIP_FIND_LINKS", "PIP_NO_INDEX", "PIP_REQUIRE_VIRTUALENV", "PYTHONPATH"):
            self.env.pop(key, None)
        self.env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        self.env["PIP_NO_INPUT"] = "1"
        self.env["PYTHONWARNINGS"] = "ignore"
        self.work = work

    def target_args(self, abi: str) -> list[str]:
        args = ["--only-binary=:all:", "--python-version", self.pyver, "--implementation", "cp", "--abi", abi]
        for p in (self.ft_platforms if abi.endswith("t") else self.platforms):
            args += ["--platform", p]
        return args

    def __call__(self, *args: str, timeout: float = PIP_TIMEOUT):
        cmd = self.runner + list(args)
        rc, out, err = run(cmd, timeout=timeout, env=self.env, cwd=str(self.work))
        text = out + "\n" + err
        if rc is None:
            raise EnvironmentProblem(f"pip timed out after {timeout:.0f} s: {' '.join(args[:3])} …")
        for marker in NETWORK_MARKERS:
            if marker in text:
                line = next((l for l in text.splitlines() if marker in l), marker)
                raise EnvironmentProblem(f"pip could not reach the package index: {first_line(line, 300)}")
        return rc, out, err

    def assert_reachable(self) -> None:
        """pip turns an unreachable index into "no matching distribution" (silently, with
        --retries 0), so every negative answer is checked against a package that must exist."""
        rc, out, err = self("index", "versions", "--python-version", self.pyver, "pip")
        if rc != 0 or not re.search(r"^pip \(", out, re.M):
            raise EnvironmentProblem(
                "cannot reach the package index: pip finds no release of pip itself there "
                f"({first_line(err.strip().splitlines()[-1] if err.strip() else out) or 'no output'})"
            )

    def version(self) -> str:
        rc, out, err = self("--version", timeout=60)
        m = re.match(r"pip (\S+) from .* \(python (\S+)\)", out.strip())
        if rc != 0 or not m:
            raise EnvironmentProblem(f"pip does not run: {first_line(err) or out}")
        return m.group(1)

    def latest(self, name: str) -> str:
        rc, out, err = self("index", "versions", "--python-version", self.pyver, name)
        m = re.search(r"^\S+ \(([^)]+)\)\s*$", out, re.M)
        if rc != 0 or not m:
            self.assert_reachable()
            if "No matching distribution found" in err:
                raise EnvironmentProblem(
                    f"PyPI lists no release of {name!r} for Python {self.pyver}; fix the name in PACKAGES"
                )
            raise EnvironmentProblem(f"`pip index versions {name}` failed: {first_line(err) or first_line(out)}")
        return m.group(1)

    def download_one(self, name: str, version: str, abi: str, dest: Path):
        """Download the best wheel of name==version for abi; return (wheel filename or None, pip output)."""
        dest.mkdir(parents=True, exist_ok=True)
        rc, out, err = self("download", "--no-deps", "--dest", str(dest), *self.target_args(abi), f"{name}=={version}")
        wheels = sorted(p.name for p in dest.glob("*.whl"))
        if rc == 0 and len(wheels) == 1:
            return wheels[0], out + err
        if rc == 0:
            raise EnvironmentProblem(f"pip download {name}=={version} left {len(wheels)} wheels in {dest}")
        if "No matching distribution found" in err or "Could not find a version that satisfies" in err:
            self.assert_reachable()
            return None, out + err
        raise EnvironmentProblem(f"pip download {name}=={version} failed: {first_line(err.strip().splitlines()[-1] if err.strip() else out)}")

    def download_tree(self, name: str, version: str, abi: str, dest: Path):
        """Download name==version with its dependencies as wheels for abi.

        Returns (wheel filenames, None) or (whatever was fetched, the requirement
        that has no such wheel). pip resolves Requires-Python against
        --python-version here, which `pip install --target` of pip < 24 does not.
        """
        dest.mkdir(parents=True, exist_ok=True)
        rc, out, err = self("download", "--dest", str(dest), *self.target_args(abi), f"{name}=={version}")
        files = sorted(p.name for p in dest.glob("*.whl"))
        if rc == 0:
            return files, None
        m = re.search(r"No matching distribution found for (\S+)", err)
        if m:
            self.assert_reachable()
            return files, m.group(1)
        if "ResolutionImpossible" in err:
            return files, "a consistent set of binary wheels (ResolutionImpossible)"
        raise EnvironmentProblem(f"pip download {name}=={version} (with dependencies) failed: "
                                 f"{first_line(err.strip().splitlines()[-1] if err.strip() else out)}")

    def install(self, name: str, version: str, target: Path, wheels: Path):
        """Install name==version and its dependencies as cpXY wheels into target; return (ok, detail)."""
        files, missing = self.download_tree(name, version, self.cp, wheels)
        if missing:
            base = re.split(r"[<>=!~;\[ ]", missing, maxsplit=1)[0]
            if canonical(base) == canonical(name):
                return False, f"no {self.cp} manylinux {self.arch} wheel for {name} {version}"
            return False, f"dependency {missing} has no {self.cp} manylinux {self.arch} wheel"
        # The files are already chosen for the target; install exactly them.
        rc, out, err = self("install", "--no-deps", "--no-index", "--ignore-requires-python", "--no-compile",
                            "--no-warn-script-location", "--target", str(target), *self.target_args(self.cp),
                            *(str(wheels / f) for f in files))
        if rc != 0:
            raise EnvironmentProblem(f"pip could not install the downloaded wheels of {name}: {first_line(err)}")
        return True, ""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_tags(filename: str) -> list[tuple[str, str, str]]:
    """The (python, abi, platform) tags of a wheel file name."""
    stem = filename[:-4] if filename.endswith(".whl") else filename
    parts = stem.split("-")
    if len(parts) < 5:
        return []
    py, abi, plat = parts[-3:]
    return [(p, a, pl) for p in py.split(".") for a in abi.split(".") for pl in plat.split(".")]


def classify_ft(filename: str | None, cp: str) -> tuple[str, str]:
    """("yes"|"no"|"pure", detail) for the wheel pip picked when asked for abi cpXYt."""
    if filename is None:
        return "no", f"no {cp}t wheel"
    tags = wheel_tags(filename)
    abis = {a for _, a, _ in tags}
    plats = {pl for _, _, pl in tags}
    if f"{cp}t" in abis:
        return "yes", ""
    if abis == {"none"} and plats == {"any"}:
        return "pure", ""
    if abis == {"none"}:
        return "yes", f"wheel has no Python ABI ({filename})"
    if "abi3" in abis:
        return "no", f"no {cp}t wheel (only abi3, which a free-threaded {cp[2]}.{cp[3:]} cannot load)"
    return "no", f"no {cp}t wheel (best match {filename})"


# --------------------------------------------------------------------------
# Import tests, each in its own process


IMPORT_CODE = r"""
import json, sys
target, module, probe, where, expected = sys.argv[1:6]
expected = [n for n in expected.split(",") if n]
code = "import sys\nsys.path.insert(0, %r)\nimport %s\n%s\n" % (target, module, probe)
# The compiled modules from the target directory that this interpreter loaded,
# named by file (a package may register one module under several names).
native_code = (
    "import os, sys\n"
    "_native = set()\n"
    "for _m in list(sys.modules.values()):\n"
    "    _f = getattr(_m, '__file__', None) or ''\n"
    "    if _f.startswith(%r) and _f.endswith('.so'):\n"
    "        _rel = os.path.relpath(_f, %r)\n"
    "        _native.add(_rel.rsplit('/', 1)[0].replace('/', '.') + '.' + _rel.rsplit('/', 1)[-1].split('.')[0] if '/' in _rel else _rel.split('.')[0])\n"
    "_native = sorted(_native)\n" % (target, target)
)

def first(text):
    # The whole message (bounded); the parent picks the telling line.
    return str(text).strip()[:4000]

res = {}
if where == "main":
    try:
        exec(code, {"__name__": "__check__"})
        ns = {}
        exec(native_code, ns)
        res = {"ok": True, "native": ns["_native"]}
    except BaseException as e:
        res = {"ok": False, "type": type(e).__name__, "msg": first(e)}
else:
    from concurrent import interpreters
    interp = interpreters.create()
    queue = interpreters.create_queue()
    interp.prepare_main(queue=queue)
    try:
        interp.exec(code)
        interp.exec(native_code + "queue.put('\\n'.join(_native))\n")
        got = [n for n in queue.get(timeout=30).split("\n") if n]
        res = {"ok": True, "native": got, "skipped": {}}
        # Compiled modules the main interpreter loaded but this one went without: why?
        for name in expected:
            if name in got:
                continue
            try:
                interp.exec("import " + name)
                res["skipped"][name] = "imports when asked directly"
            except interpreters.ExecutionFailed as e:
                res["skipped"][name] = e.excinfo.type.__name__ + ": " + first(e.excinfo.msg)
    except interpreters.ExecutionFailed as e:
        res = {"ok": False, "type": e.excinfo.type.__name__, "msg": first(e.excinfo.msg)}
    except BaseException as e:
        res = {"ok": False, "type": type(e).__name__, "msg": "harness: " + first(e)}
    print(%(tag)r + json.dumps(res), flush=True)
    interp.close()
    res = None
if res is not None:
    print(%(tag)r + json.dumps(res), flush=True)
""".replace("%(tag)r", repr(RESULT_TAG))


def try_import(python: str, target: Path, module: str, probe: str, where: str, timeout: float,
               expected: list[str] = ()) -> dict:
    rc, out, err = run([python, "-I", "-X", "faulthandler", "-c", IMPORT_CODE, str(target), module, probe, where,
                        ",".join(expected)],
                       timeout=timeout, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    result = None
    for line in out.splitlines():
        if line.startswith(RESULT_TAG):
            result = json.loads(line[len(RESULT_TAG):])
    if rc is None:
        return {"ok": False, "type": "Timeout", "msg": f"no answer within {timeout:.0f} s"}
    if result is None:
        how = f"killed by signal {-rc}" if rc < 0 else f"exited with status {rc}"
        return {"ok": False, "type": "Crash", "msg": f"the process {how} during the import: {first_line(err.strip().splitlines()[-1] if err.strip() else '')}".rstrip(": ")}
    if not result.get("ok") and str(result.get("msg", "")).startswith("harness: "):
        raise EnvironmentProblem(f"the import test itself failed ({where} interpreter, {module}): {result['msg']}")
    if result.get("ok") and rc != 0:
        how = f"signal {-rc}" if rc < 0 else f"status {rc}"
        result["after"] = f"imported, but the process then ended with {how} (closing the interpreter)"
    return result


def summarize(msg: str) -> str:
    """One line of an exception message: the real cause where a package wraps it."""
    msg = str(msg)
    m = re.search(r"Original error was:\s*(.+)", msg)  # numpy's long ImportError
    if m:
        return first_line(m.group(1))
    for line in msg.splitlines():
        if "subinterpreter" in line.lower() or "sub-interpreter" in line.lower():
            return first_line(line)
    return first_line(msg)


def describe_failure(res: dict) -> str:
    return f"{res['type']}: {summarize(res['msg'])}" if res.get("msg") else res["type"]


# --------------------------------------------------------------------------


def blame_interpreter(res: dict, info: dict) -> None:
    """Raise EnvironmentProblem when a failed import is the interpreter's fault, not the package's."""
    msg = f"{res.get('type')}: {res.get('msg', '')}"
    culprit = None
    if info["stdlib"] in msg:
        culprit = "a module of its standard library"
    for name in info["broken_stdlib"]:
        if re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", msg) or \
                re.search(rf"(?<![\w.]){re.escape(name.lstrip('_'))}(?![\w])", msg):
            culprit = f"its own module {name} does not load"
            break
    if culprit:
        raise EnvironmentProblem(
            f"an import failed because the interpreter is broken, not the package: {culprit}. "
            f"Error: {summarize(res.get('msg', ''))}. Fix the interpreter (for a missing shared library, "
            f"point LD_LIBRARY_PATH at the right one in a wrapper script) and rerun"
        )


def check_package(name: str, module: str, python: str, pip: Pip, work: Path, index: int, total: int,
                  interp_info: dict) -> dict:
    tag = f"[{index}/{total}] {name}"
    probe = PROBES.get(name, "")
    row: dict = {"name": name, "module": module}
    details: list[str] = []

    version = pip.latest(name)
    row["version"] = version
    log(f"{tag}: latest {version}")

    filename, _ = pip.download_one(name, version, pip.cp + "t", work / "ft" / canonical(name))
    ft, why = classify_ft(filename, pip.cp)
    row["ft_wheel"] = ft
    if why:
        details.append("free-threaded: " + why)
    log(f"{tag}: free-threaded wheel: {ft}" + (f" ({filename})" if filename else "") + (f" - {why}" if why and ft != "yes" else ""))
    if ft in ("yes", "pure"):
        # The package itself is fine; say so if a dependency is not.
        files, missing = pip.download_tree(name, version, pip.cp + "t", work / "ft-deps" / canonical(name))
        lacking = []
        for f in files:
            dep = canonical(f.split("-", 1)[0])
            if dep != canonical(name) and classify_ft(f, pip.cp)[0] == "no":
                lacking.append(dep)
        if missing:
            lacking.append(re.split(r"[<>=!~;\[ ]", missing, maxsplit=1)[0])
        if lacking:
            note = f"dependency {', '.join(sorted(set(lacking)))} has no {pip.cp}t wheel"
            details.append("free-threaded: " + note)
            log(f"{tag}: free-threaded install of its dependencies: {note}")
        else:
            log(f"{tag}: all {len(files)} wheels of its dependency tree are free-threaded or pure")

    target = work / "site" / canonical(name)
    installed, why = pip.install(name, version, target, work / "wheels" / canonical(name))
    if not installed:
        row["subinterpreter"] = "not installed"
        details.append("sub-interpreter: " + why)
        log(f"{tag}: {pip.cp} install: FAILED - {why}")
    else:
        log(f"{tag}: {pip.cp} install: ok")
        main = try_import(python, target, module, probe, "main", IMPORT_TIMEOUT)
        if not main["ok"]:
            blame_interpreter(main, interp_info)
            row["subinterpreter"] = "no"
            details.append(f"sub-interpreter: does not import even in the main interpreter: {describe_failure(main)}")
            log(f"{tag}: main-interpreter import: FAILED - {describe_failure(main)}")
        else:
            log(f"{tag}: main-interpreter import: ok")
            sub = try_import(python, target, module, probe, "sub", IMPORT_TIMEOUT, main.get("native", []))
            if sub["ok"]:
                row["subinterpreter"] = "yes"
                skipped = sub.get("skipped", {})
                if skipped:
                    names = sorted(skipped)
                    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                    reasons = sorted({summarize(v) for v in skipped.values()})
                    if all("does not support loading in subinterpreters" in r for r in reasons):
                        why = "does not support loading in subinterpreters" if len(names) == 1 else \
                            "none supports loading in subinterpreters"
                    else:
                        why = reasons[0]
                    details.append(f"sub-interpreter: imports, but without {shown} ({why}), which the main interpreter loads;"
                                   " the package falls back or goes without")
                if sub.get("after"):
                    details.append("sub-interpreter: " + sub["after"])
                log(f"{tag}: sub-interpreter import: ok" + (f" - {'; '.join(details[-1:])}" if skipped or sub.get("after") else ""))
            else:
                row["subinterpreter"] = "no"
                details.append("sub-interpreter: " + describe_failure(sub))
                log(f"{tag}: sub-interpreter import: FAILED - {describe_failure(sub)}")
        shutil.rmtree(target, ignore_errors=True)

    row["detail"] = "; ".join(d for d in details if d)
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", required=True, help="the CPython 3.14 (GIL build) interpreter to test with")
    ap.add_argument("--out", help="where to write the JSON (default: stdout)")
    ap.add_argument("--pip", help="command that runs pip, e.g. 'python3 -m pip' (default: the tested "
                    "interpreter's own pip if it has one, else this script's interpreter's)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="check only these packages (from PACKAGES)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (downloads and installs)")
    args = ap.parse_args()

    started = time.monotonic()
    packages = PACKAGES
    if args.only:
        wanted = {canonical(n) for n in args.only}
        packages = [p for p in PACKAGES if canonical(p[0]) in wanted]
        unknown = wanted - {canonical(p[0]) for p in packages}
        if unknown:
            log(f"check-packages: not in PACKAGES: {', '.join(sorted(unknown))}")
            return 2

    work = Path(tempfile.mkdtemp(prefix="check-packages-"))
    try:
        python = shutil.which(args.python) or args.python
        py = describe_interpreter(python)
        log(f"interpreter: {python} (Python {py['version']}, {py['machine']}, {' '.join(py['libc'])})")
        log(f"sub-interpreter self-test: {py['selftest']}")

        if args.pip:
            runner = args.pip.split()
        else:
            rc, _, _ = run([python, "-I", "-m", "pip", "--version"], timeout=60)
            rc_ssl, _, _ = run([python, "-I", "-c", "import ssl"], timeout=60)
            if rc == 0 and rc_ssl == 0:
                runner = [python, "-I", "-m", "pip"]
            else:
                runner = [sys.executable, "-m", "pip"]
                log(f"{python} has no usable pip (pip: {'yes' if rc == 0 else 'no'}, ssl: {'yes' if rc_ssl == 0 else 'no'}); "
                    f"using {sys.executable} -m pip with --python-version/--abi/--platform instead")
        pip = Pip(runner, py, work)
        pip_version = pip.version()
        log(f"pip: {pip_version} ({' '.join(runner)}); {pip.cp} platforms {pip.platforms[0]} … {pip.platforms[-1]}; "
            f"{pip.cp}t platforms {pip.ft_platforms[0]} … {pip.ft_platforms[-1]}")
        pip.assert_reachable()  # fails early and clearly when the index cannot be reached

        rows = []
        for i, (name, module) in enumerate(packages, 1):
            t0 = time.monotonic()
            rows.append(check_package(name, module, python, pip, work, i, len(packages), py))
            log(f"[{i}/{len(packages)}] {name}: done in {time.monotonic() - t0:.0f} s")
    except EnvironmentProblem as e:
        log(f"check-packages: ENVIRONMENT PROBLEM, nothing written: {e}")
        return 2
    finally:
        if args.keep:
            log(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    cp = pip.cp
    doc = {
        "checked": _dt.datetime.now(_dt.timezone.utc).date().isoformat(),
        "interpreter": py["version"],
        "pip": pip_version,
        "machine": f"{py['machine']}, {cpu_model()}, {os.cpu_count()} logical CPUs, Linux ({' '.join(py['libc'])})",
        "method": (
            f"version: the newest release that `pip index versions --python-version {pip.pyver}` finds on PyPI. "
            f"ft_wheel: `pip download --only-binary=:all: --no-deps --implementation cp --abi {cp}t` of that "
            f"release for x86_64 manylinux up to glibc 2.{FT_MAX_GLIBC_MINOR}, judged by the tags of the wheel "
            f"it fetched (yes: a {cp}t wheel; pure: a py3-none-any wheel only; no: none, or abi3 only, which the "
            f"free-threaded build cannot load); the detail notes a dependency without such a wheel. "
            f"subinterpreter: that release and its dependencies installed from {cp} wheels into a private "
            f"directory, imported in the main interpreter of one CPython {py['version']} process and inside "
            f"concurrent.interpreters.create() in another (yes: it imports, with the detail naming any compiled "
            f"module it had to do without; no: the exception, including failures to import at all; "
            f"not installed: no {cp} wheel)."
        ),
        "packages": rows,
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
        log(f"wrote {out} ({len(rows)} packages) in {time.monotonic() - started:.0f} s")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
