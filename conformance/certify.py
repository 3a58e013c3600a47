"""`python -m conformance certify`: run the conformance checks on one backend, cell by cell.

A feature cell is (spatial rank, feature, dtype, direction); inside it each data kind
(integer, random, adversarial) is a separate Hypothesis run, with its own minimal failure,
and the report has one row per cell and kind.  Each cell runs in its own
spawned worker process with a time limit, so a backend that segfaults, aborts or hangs
fails that cell (with the case it was on) and the run goes on.  Cells run in parallel
over the available cores.  After every cell the JSON report is rewritten atomically, so
an interrupted run leaves a valid partial report ("complete": false).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import platform
import time
import warnings
import zlib
from collections import Counter
from dataclasses import asdict, dataclass

from . import threads
from .backends import registry
from .data import DATA_KINDS

DIRECTIONS = ("forward", "transpose", "gradients")
# feature -> (padding modes drawn, extra condition on the config)
FEATURES = {
    "zeros": ("zeros",),
    "reflect": ("reflect",),
    "replicate": ("replicate",),
    "circular": ("circular",),
    "grouped": ("zeros",),
    "dilated": ("zeros",),
    "strided": ("zeros",),
}
TRANSPOSE_FEATURES = ("zeros", "grouped", "dilated", "strided")
# examples per (cell, data kind) for each profile: the pytest suite's Hypothesis profiles count
# per test, certification per cell and kind (216 cells x 7 kinds for torch-cpu), so these are
# its own depths; ci is a smoke run (about 100 s for torch-cpu on 2 cores)
PROFILES = {"ci": 3, "dev": 30, "thorough": 100}


def feature_holds(feature: str, config) -> bool:
    if feature == "grouped":
        return config.groups > 1
    if feature == "dilated":
        return any(d > 1 for d in config.dilation)
    if feature == "strided":
        return any(s > 1 for s in config.stride)
    return True


@dataclass(frozen=True)
class Cell:
    ndim: int
    feature: str
    dtype: str
    direction: str

    @property
    def name(self) -> str:
        return f"{self.ndim}d {self.direction} {self.feature} {self.dtype}"


def cells_for(dtypes) -> list:
    out = []
    for direction in DIRECTIONS:
        features = TRANSPOSE_FEATURES if direction == "transpose" else tuple(FEATURES)
        for ndim in (1, 2, 3):
            for feature in features:
                for dtype in dtypes:
                    out.append(Cell(ndim, feature, dtype, direction))
    return out


def unsupported(caps, cell: Cell):
    """Why the backend does not claim this cell, or None."""
    if cell.dtype not in caps.dtypes:
        return f"dtype {cell.dtype} not declared"
    if cell.ndim not in caps.ndims:
        return f"{cell.ndim}-d not declared"
    if cell.direction == "transpose" and not caps.transposed:
        return "transposed convolution not declared"
    if cell.direction == "gradients" and not caps.gradients:
        return "gradients not declared"
    if cell.direction != "transpose" and FEATURES[cell.feature][0] not in caps.padding_modes:
        return f"padding_mode {FEATURES[cell.feature][0]!r} not declared"
    return None


def _kind_stats() -> dict:
    return {"examples": 0, "failures": 0, "known_issues": [], "worst_ratio": 0.0, "worst_ulps": 0.0,
            "unbounded": 0, "ratios_sample": [], "failing_ratios": [], "kernel_paths": {}, "coverage": None,
            "warnings": []}


_LOADED = {}  # worker process: spec -> its backend (and ("compile", spec) -> compile counts last reported)


def _serve_cells(spec: str, conn) -> None:
    """A worker process: run the cells it is sent, one at a time, until the pipe closes."""
    while True:
        try:
            cell, examples, kinds = conn.recv()
        except EOFError:
            return
        _run_cell(spec, cell, examples, conn, kinds)


def _run_cell(spec: str, cell: Cell, examples: int, conn, selected=None) -> None:
    """Run one cell; send ('case', ...) before each check and ('done', ...) at the end."""
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis.errors import Unsatisfiable

    from .checks import check_forward, check_grads
    from .coverage import kinds_for
    from .known_issues import KnownNonConformance
    from .recording import RECORDER
    from .strategies import conv_configs, seeds
    from .verdict import Case, NonConformance

    if spec not in _LOADED:  # one backend object per worker process: compiled functions survive across cells
        _LOADED[spec] = registry.load(spec)
    backend = _LOADED[spec]
    declared = backend.capabilities.accuracy.get(cell.dtype, "exact-inputs")
    stats = {kind: _kind_stats() for kind in DATA_KINDS}
    limits = Counter()  # why drawn configs of this cell fell outside the backend's declared limits

    def claimed(config):
        if not feature_holds(cell.feature, config):
            return False
        why = backend.capabilities.excludes(config, cell.dtype, cell.direction == "gradients")
        if why:
            limits[why] += 1
        return why is None

    strategy = conv_configs(ndim=cell.ndim, transposed=cell.direction == "transpose",
                            padding_modes=FEATURES[cell.feature],
                            max_extent=backend.capabilities.max_extent).filter(claimed)
    check = check_grads if cell.direction == "gradients" else check_forward

    def run_kind(kind):
        failure = {}

        # seeded by the row's name, not (as derandomize would) by this function's source: a row draws the
        # same cases in every version of convconf whose strategies are unchanged, so reports compare
        @seed(zlib.crc32(f"{cell.name} {kind}".encode()))
        # no explain phase: it re-runs the shrunk failure only to annotate Hypothesis' own report, which
        # certification replaces with its own (and on an expensive backend it costs more than the shrinking)
        @settings(max_examples=examples, database=None, deadline=None,
                  phases=[p for p in Phase if p.name != "explain"], suppress_health_check=list(HealthCheck))
        @given(strategy, seeds())
        def run(config, seed):
            conn.send(("case", repr(config), kind, seed))
            s = stats[kind]
            s["examples"] += 1
            try:
                # the backend's own warnings (framework advisories) are not findings: kept once each for
                # the report, never printed over the progress lines
                with warnings.catch_warnings(record=True) as raised:
                    warnings.simplefilter("always")
                    try:
                        measured = check(backend, config, cell.dtype, kind, seed)
                    finally:
                        for w in raised:
                            text = f"{w.category.__name__}: {str(w.message).splitlines()[0][:200]}"
                            if text not in s["warnings"] and len(s["warnings"]) < 5:
                                s["warnings"].append(text)
            except KnownNonConformance as known:
                if known.issue.key not in s["known_issues"]:
                    s["known_issues"].append(known.issue.key)
                return
            except NonConformance as bad:
                s["failures"] += 1
                failure.update(config=repr(config), kind=kind, seed=seed, report=str(bad))
                if bad.ratio is not None:  # the failing ratio belongs in the distribution, past the bound
                    s["worst_ratio"] = max(s["worst_ratio"], bad.ratio)
                    s["failing_ratios"].append(bad.ratio)
                raise
            except Exception as exc:  # noqa: BLE001 - a backend raising on a valid config is a failure
                s["failures"] += 1
                case = Case(backend.name, config, cell.dtype, kind, seed,
                            "grad_input" if cell.direction == "gradients" else "forward")
                report = (f"{backend.name}: raised {type(exc).__name__} on a valid config: {exc}\n"
                          f"  config        {config.short()}\n  reproduce     {case.reproducer()}")
                failure.update(config=repr(config), kind=kind, seed=seed, report=report)
                raise NonConformance(report) from None
            for m in (measured.values() if isinstance(measured, dict) else [measured]):
                ratio = m.ratios.get(declared)
                if ratio is not None:
                    s["worst_ratio"] = max(s["worst_ratio"], ratio)
                    if len(s["ratios_sample"]) < 400:
                        s["ratios_sample"].append(ratio)
                s["worst_ulps"] = max(s["worst_ulps"], m.max_ulps)
                s["unbounded"] += int(m.unbounded)

        RECORDER.__init__()  # this kind's kernel paths and feature coverage only
        try:
            run()
        except NonConformance:
            pass  # `failure` holds the last failing example: after shrinking, the minimal one
        except Unsatisfiable:
            # the declared limits leave nothing of this cell (e.g. TensorFlow's grouped 3-d)
            emptied.append("every config drawn is outside the declared limits: " +
                           "; ".join(why for why, _ in limits.most_common(3)))
            stats[kind]["unsupported"] = emptied[0]
        stats[kind]["kernel_paths"] = dict(RECORDER.served.get(backend.name, {}))
        stats[kind]["coverage"] = {field: dict(getattr(RECORDER, field).get(backend.name, {}))
                                   for field in ("features", "pairs", "seconds")}
        return failure or None

    kinds = [k for k in kinds_for(backend) if selected is None or k in selected]
    for kind in DATA_KINDS:
        if kind not in kinds_for(backend):
            stats[kind]["unsupported"] = f"{kind} data: NaN/inf semantics not declared (Capabilities.nonfinite)"
        elif kind not in kinds:
            stats[kind]["untested"] = "data kind not selected (--kind)"
    emptied = []  # set by the first kind that finds the cell empty: the limits do not depend on the data
    for kind in DATA_KINDS:  # each kind's result as it ends: a later crash loses none of it
        if emptied and kind in kinds:
            stats[kind]["unsupported"] = emptied[0]
        conn.send(("kind", kind, stats[kind], run_kind(kind) if kind in kinds and not emptied else None))
    from .backends.protocol import runtime_info

    info = runtime_info(backend)  # what this worker's process really dispatched
    if "compile" in info:  # the process's counts are cumulative: send this cell's share
        last = _LOADED.setdefault(("compile", spec), {})
        info["compile"], _LOADED[("compile", spec)] = (
            {k: round(v - last.get(k, 0), 3) for k, v in info["compile"].items()}, dict(info["compile"]))
    conn.send(("runtime", info))
    conn.send(("done",))


def environment(backend, profile: str, jobs: int = 1, examples=None) -> dict:
    """Versions and hardware the report was made on: enough to compare reports from two machines."""
    import hypothesis
    import numpy

    env = {"cpu": _cpu_name(), "cpu_isa": cpu_isa(), "cpu_count": os.cpu_count(), "jobs": jobs,
           "threads_per_worker": threads.budget(jobs),
           "platform": platform.platform(), "python": platform.python_version(), "numpy": numpy.__version__,
           "hypothesis": hypothesis.__version__, "profile": profile,
           "examples_per_cell_and_kind": examples or PROFILES[profile],
           "seed": "per row: crc32 of the row's cell and data kind (the same strategies draw the same cases)"}
    try:
        import scipy
        env["scipy"] = scipy.__version__
    except ImportError:
        pass
    try:
        import torch
        env["torch"] = torch.__version__
        env["torch_cpu_capability"] = torch.backends.cpu.get_cpu_capability()
        env["cuda"] = torch.version.cuda
        env["cudnn"] = torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None
        env["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    except ImportError:
        pass
    version = getattr(backend, "version", None)
    env["backend_version"] = version() if callable(version) else None
    return env


# the instruction-set extensions that select convolution kernels (oneDNN, XLA, MKL dispatch on them)
ISA_FLAGS = ("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni",
             "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_bf16", "amx_int8", "amx_tile", "asimd", "sve")


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_isa() -> str:
    """The kernel-relevant ISA flags of this CPU (from /proc/cpuinfo), or the machine type elsewhere."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    have = set(line.split(":", 1)[1].split())
                    return " ".join(flag for flag in ISA_FLAGS if flag in have) or "none of " + " ".join(ISA_FLAGS)
    except OSError:
        pass
    return platform.machine()


def run_cells(spec: str, cells: list, examples: int, jobs: int, cell_timeout: float, on_cell_done,
              kinds=None, on_runtime=None) -> None:
    """Run `cells` in worker processes, `jobs` at a time; call on_cell_done(cell, rows, seconds) as each ends.

    kinds: the data kinds to run (None: every kind the backend is checked with).  on_runtime(info): each
    cell's worker reports what its process dispatched (protocol.runtime_info) when the cell ends.
    Workers are spawned with the backend's process_env (a oneDNN ISA cap must precede torch's loading)."""
    from .backends.protocol import process_env

    env = process_env(registry.load(spec))
    ctx = mp.get_context("spawn")
    pending = list(cells)
    idle = []  # (process, conn) of live workers waiting for a cell
    running = {}  # cell -> [process, conn, started, last case, {kind: (stats, failure)}]

    def worker():
        if idle:
            return idle.pop()
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve_cells, args=(spec, child), daemon=True)
        with threads.spawn_env(jobs), threads.variables(env):  # the cores shared among the cells running at once
            proc.start()
        child.close()
        return proc, parent

    try:
        while pending or running:
            while pending and len(running) < jobs:
                cell = pending.pop(0)
                proc, conn = worker()
                conn.send((cell, examples, kinds))
                running[cell] = [proc, conn, time.monotonic(), None, {}]
            for cell, state in list(running.items()):
                proc, conn, started, _, finished = state
                outcome = None
                try:
                    while conn.poll(0.05):
                        message = conn.recv()
                        if message[0] == "case":
                            state[3] = message[1:]
                        elif message[0] == "kind":
                            finished[message[1]] = message[2:]
                        elif message[0] == "runtime" and on_runtime is not None:
                            on_runtime(message[1])
                        elif message[0] == "done":
                            outcome = ("done",)
                            break
                except (EOFError, ConnectionResetError):
                    proc.join(5)
                    outcome = ("crash", proc.exitcode)
                if outcome is None and time.monotonic() - started > cell_timeout:
                    proc.kill()
                    outcome = ("timeout", cell_timeout)
                if outcome is None and not proc.is_alive():
                    outcome = ("crash", proc.exitcode)
                if outcome is None:
                    continue
                del running[cell]
                if outcome[0] == "done":
                    idle.append((proc, conn))  # a healthy worker serves the next cell
                else:
                    proc.kill()
                    proc.join(5)
                on_cell_done(cell, _rows(spec, cell, outcome, state[3], finished), time.monotonic() - started)
    finally:
        for proc, conn in idle + [(st[0], st[1]) for st in running.values()]:
            conn.close()
            proc.kill()
            proc.join(5)


def _known_crash(spec: str, cell: Cell, config_repr: str) -> list:
    """[key] of the known issue explaining a worker's death on this case (the row is then 'known')."""
    from .backends import registry
    from .config import ConvConfig
    from .known_issues import known_crash

    config = eval(config_repr, {"ConvConfig": ConvConfig})  # noqa: S307 - our own repr of a dataclass
    direction = {"gradients": "grad_input", "transpose": "transposed"}.get(cell.direction, "forward")
    issue = known_crash(registry.load(spec).name, cell.dtype, config, direction)
    return [issue.key] if issue else []


def _rows(spec: str, cell: Cell, outcome, last_case, finished: dict) -> list:
    """One report row per data kind of a finished cell, or of one whose worker crashed or hung: the kinds
    that ended keep their rows, the one it died on is the crash (or the known issue explaining it), and
    the kinds after it are untested."""
    base = asdict(cell)
    rows = [_row(base, kind, *finished[kind]) for kind in DATA_KINDS if kind in finished]
    if outcome[0] == "done":
        return rows
    if outcome[0] == "crash":
        code = outcome[1]
        what = f"the worker died (exit code {code}{', a signal' if code is not None and code < 0 else ''})"
    else:
        what = f"the cell did not finish within {outcome[1]:g} s (hang)"
    config, kind, seed = last_case if last_case else (None, None, None)
    known = _known_crash(spec, cell, config) if outcome[0] == "crash" and config else []
    for k in DATA_KINDS:
        if k in finished:
            continue
        if k == kind:
            failure = {"config": config, "kind": kind, "seed": seed, "report": f"{what} while checking this case"}
            status, reason = ("known" if known else outcome[0]), what
        else:
            failure, status, reason = None, "untested", f"not run: {what}" + (f" on the {kind} kind" if kind else "")
        rows.append(dict(base, kind=k, status=status, reason=reason, examples=0, failures=int(status != "untested"
                                                                                               and not known),
                         worst_ratio=None, worst_ulps=None, unbounded=0, ratios_sample=[], failing_ratios=[],
                         kernel_paths={}, coverage=None, known_issues=known if k == kind else [],
                         minimal_failure=failure))
    return rows


def _row(base: dict, kind: str, s: dict, failure) -> dict:
    status = "fail" if s["failures"] else ("known" if s["known_issues"] else ("pass" if s["examples"] else "untested"))
    if s.get("unsupported") and not s["examples"]:
        status = "unsupported"
    return dict(base, kind=kind, status=status, reason=s.get("unsupported") or s.get("untested"),
                examples=s["examples"], failures=s["failures"], worst_ratio=s["worst_ratio"],
                worst_ulps=s["worst_ulps"], unbounded=s["unbounded"], ratios_sample=s["ratios_sample"],
                failing_ratios=s["failing_ratios"], kernel_paths=s["kernel_paths"], coverage=s["coverage"],
                known_issues=s["known_issues"], minimal_failure=failure, warnings=s.get("warnings", []))
