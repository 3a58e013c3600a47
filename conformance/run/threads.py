"""Thread budgets for backend worker processes: the machine's cores shared among the workers running at once.

Frameworks size their intra-op thread pools to every core of the machine.  With several
worker processes (certify's --jobs, pytest-xdist's -n, each with its isolated backend child)
that oversubscribes the cores, and on small convolutions OpenMP threads spinning against each
other cost more than the work: measured on 2 cores with 2 certify workers, a torch gradient
cell ran 2.1x faster with 1 thread per worker than with 2.  So a worker is spawned with
OMP_NUM_THREADS = cores // workers (at least 1), which torch (OpenMP, oneDNN, MKL) reads as it
loads; the ONNX Runtime backend reads it for its sessions.  A value the user set is kept.
"""

from __future__ import annotations

import contextlib
import os

VARIABLE = "OMP_NUM_THREADS"


def per_worker(workers: int) -> int:
    """Threads for each of `workers` processes running at once on this machine's cores."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def budget(workers: int) -> int:
    """The thread count workers spawned under `spawn_env(workers)` get: the user's setting, else per_worker."""
    try:
        return max(1, int(os.environ[VARIABLE]))
    except (KeyError, ValueError):
        return per_worker(workers)


@contextlib.contextmanager
def spawn_env(workers: int):
    """Processes started inside this block (multiprocessing spawn copies os.environ) get the thread budget;
    the parent's environment is restored after, so other subprocesses it starts are unaffected."""
    if VARIABLE in os.environ:
        yield
        return
    os.environ[VARIABLE] = str(per_worker(workers))
    try:
        yield
    finally:
        os.environ.pop(VARIABLE, None)


def xdist_workers() -> int:
    """How many pytest-xdist workers this run has (1 without xdist)."""
    try:
        return max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    except ValueError:
        return 1


@contextlib.contextmanager
def variables(env: dict):
    """os.environ holds `env` inside the block (for processes spawned there), restored after."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
