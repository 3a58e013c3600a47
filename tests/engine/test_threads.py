"""Worker processes get their share of the cores through OMP_NUM_THREADS, and the parent keeps its own."""

import multiprocessing as mp
import os

from conformance.run import threads


def _report_threads(conn):
    conn.send(os.environ.get(threads.VARIABLE))


def spawned_value(workers: int):
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_report_threads, args=(child,))
    with threads.spawn_env(workers):
        proc.start()
    value = parent.recv()
    proc.join(30)
    return value


def test_a_spawned_worker_gets_cores_over_workers_and_the_parent_is_unchanged(monkeypatch):
    monkeypatch.delenv(threads.VARIABLE, raising=False)
    cores = os.cpu_count() or 1
    assert spawned_value(2) == str(max(1, cores // 2))
    assert spawned_value(cores * 4) == "1"  # never 0 threads
    assert threads.VARIABLE not in os.environ  # restored: later subprocesses of the parent see the machine


def test_a_value_the_user_set_is_kept(monkeypatch):
    monkeypatch.setenv(threads.VARIABLE, "3")
    assert spawned_value(2) == "3" and threads.budget(2) == 3
    assert os.environ[threads.VARIABLE] == "3"


def test_xdist_worker_count_is_read_from_its_variable(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "4")
    assert threads.xdist_workers() == 4
    monkeypatch.delenv("PYTEST_XDIST_WORKER_COUNT")
    assert threads.xdist_workers() == 1
