"""Certification on pytest's engine: rows through pytest-xdist gateways, one report per environment, the
invalid-config and historical rows, JUnit XML."""

import json
import os
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pytest

import oracle
from conformance.backends import Capabilities, Result
from conformance.judge.invalid import RULES

from .test_certify import ROOT, convconf, load

ONE_CELL = ["--ndim", "1", "--direction", "forward", "--dtype", "float64", "--profile", "ci",
            "--feature", "zeros", "--feature", "reflect", "--kind", "integer", "--kind", "random"]
POPEN = f"popen//python={sys.executable}"


@pytest.fixture(scope="module")
def two_gateways(tmp_path_factory):
    """One certification through two popen gateways, read by the tests that only inspect its report."""
    out = tmp_path_factory.mktemp("two_gateways")
    run = convconf("certify", "--backend", "scipy", "--out", str(out), *ONE_CELL, "--tx", POPEN, "--tx", POPEN,
                   "--junitxml", str(out / "junit.xml"))
    return run, out


def test_rows_through_two_gateways_make_one_complete_report(two_gateways):
    run, tmp_path = two_gateways
    assert run.returncode == 0, run.stdout + run.stderr
    report = load(str(tmp_path))
    ran = [r for r in report["cells"] if r["status"] == "pass"]
    assert report["complete"] and len(ran) == 4  # 2 features x 2 kinds, nothing lost or doubled
    assert {r["gateway"] for r in ran} == {"gw0", "gw1"}  # the rows were shared between the gateways
    assert all(r["host"] == socket.gethostname() for r in ran) and report["environment"]["host"]
    # JUnit XML is pytest's own: one test case per row, named by the row
    cases = ET.parse(tmp_path / "junit.xml").getroot().iter("testcase")
    names = sorted(c.get("name") for c in cases)
    assert len(names) == 4 and all(n.startswith("test_row[scipy-1d-forward-") for n in names), names


@pytest.mark.slow  # 8 s: two gateways each run every row; the default run keeps the shared (load) distribution
def test_dist_each_certifies_every_environment_side_by_side(tmp_path):
    run = convconf("certify", "--backend", "scipy", "--out", str(tmp_path), *ONE_CELL, "--tx", POPEN, "--tx", POPEN,
                   "--dist", "each")
    assert run.returncode == 0, run.stdout + run.stderr
    folders = sorted(d for d in os.listdir(tmp_path) if os.path.isdir(tmp_path / d))
    assert len(folders) == 2 and folders[0].startswith("gw0_") and folders[1].startswith("gw1_")
    for folder in folders:
        report = load(str(tmp_path / folder))
        assert report["complete"] and sum(r["status"] == "pass" for r in report["cells"]) == 4
        assert report["environment"]["gateway"] == folder.split("_")[0]
    assert "| forward | 1d | zeros |" in (tmp_path / "compare.md").read_text()
    assert "convconf diff" in run.stdout


@pytest.mark.slow  # 7 s; in the default run the two popen gateways of `two_gateways` carry the same row protocol
def test_a_socket_gateway_serves_rows(tmp_path):
    """xdist's socket gateway (execnet's socket server on another machine; here on the loopback)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # the server as a user starts it on another machine: its own directory, none of this pytest's variables,
    # its output in a file (a pipe nobody reads would fill and stall it)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CONVCONF_"))}
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "execnet.script.socketserver", f"127.0.0.1:{port}"],
                              stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(tmp_path))
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until the server accepts
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        run = convconf("certify", "--backend", "scipy", "--out", str(tmp_path), *ONE_CELL,
                       "--tx", f"socket=127.0.0.1:{port}")
    finally:
        server.kill()
        server.wait()
        log.close()
    assert run.returncode == 0, run.stdout + run.stderr + (tmp_path / "server.log").read_text()
    report = load(str(tmp_path))
    assert report["complete"] and {r["gateway"] for r in report["cells"] if r["status"] == "pass"} == {"gw0"}


def test_a_backend_accepting_invalid_configs_is_not_conformant(tmp_path):
    run = convconf("certify", "--backend", "tests.engine.faulty_backends:ACCEPTS_INVALID", "--out", str(tmp_path),
                   "--direction", "invalid", "--jobs", "1")
    assert run.returncode == 1, run.stdout + run.stderr
    report = load(str(tmp_path))
    invalid = {r["feature"]: r for r in report["cells"] if r["direction"] == "invalid"}
    assert set(invalid) == set(RULES)
    # every rule's config came back with numbers
    for row in invalid.values():
        assert row["status"] == "fail" and "returned an output" in row["minimal_failure"]["report"], row
    assert not report["summary"]["conformant"]
    assert "invalid" in (tmp_path / "report.md").read_text()


def test_historical_rows_replay_the_documented_bugs(tmp_path):
    run = convconf("certify", "--backend", "scipy", "--out", str(tmp_path), "--direction", "historical",
                   "--jobs", "1")
    assert run.returncode == 0, run.stdout + run.stderr
    rows = [r for r in load(str(tmp_path))["cells"] if r["direction"] == "historical"]
    from conformance.generate.historical import HISTORICAL_BUGS

    assert {r["feature"] for r in rows} == {b.key for b in HISTORICAL_BUGS}
    float64 = [r for r in rows if r["dtype"] == "float64"]
    assert all(r["status"] == "pass" and r["examples"] >= 6 for r in float64), float64
    assert all(r["status"] == "unsupported" for r in rows if r["dtype"] != "float64")


def test_the_report_json_names_every_row_once(two_gateways):
    run, tmp_path = two_gateways
    assert run.returncode == 0
    rows = load(str(tmp_path))["cells"]
    keys = [(r["direction"], r["ndim"], r["feature"], r["dtype"], r["kind"]) for r in rows]
    assert len(keys) == len(set(keys))
    json.dumps(rows)  # plain JSON


@pytest.mark.skipif(not os.path.exists("/bin/false"), reason="needs /bin/false as a Python that cannot start")
def test_a_gateway_that_fails_while_being_set_up_still_ends_in_a_partial_report(tmp_path):
    """A gateway 'Python' that exits at once fails inside pytest_sessionstart (INTERNALERROR), so pytest's session
    never finishes: the run still exits 1 with its reason and a valid partial report (it used to exit 0 with none)."""
    run = convconf("certify", "--backend", "scipy", "--out", str(tmp_path / "out"), *ONE_CELL,
                   "--tx", "popen//python=/bin/false", timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "pytest stopped with an internal error before any row ran" in run.stdout
    assert "No verdict (partial report: the run did not finish)" in run.stdout
    assert not load(str(tmp_path / "out"))["complete"]


def test_a_gateway_that_cannot_run_the_rows_ends_the_run_saying_why(tmp_path):
    """A Python without pytest (or convconf) behind a gateway: the run ends at once with the worker's error and no
    verdict, never restarting the worker forever."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True)
    run = convconf("certify", "--backend", "scipy", "--out", str(tmp_path / "out"), *ONE_CELL,
                   "--tx", f"popen//python={tmp_path / 'bare' / 'bin' / 'python'}", timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    # the worker dies either after xdist set it up (testnodedown) or while it does (an internal error in
    # pytest_sessionstart, seen under load): both end the run saying why
    assert ("xdist worker gw0 went down: ModuleNotFoundError" in run.stdout
            or "pytest stopped with an internal error before any row ran" in run.stdout), run.stdout + run.stderr
    assert "ModuleNotFoundError" in run.stdout + run.stderr
    assert "No verdict (partial report: the run did not finish)" in run.stdout
    assert not load(str(tmp_path / "out"))["complete"]


@pytest.mark.slow  # 10 s: a pytest-xdist worker killed and replaced; a dying backend process is in the default run
def test_a_row_whose_worker_dies_is_a_crash_row_not_a_missing_one(tmp_path):
    """The isolated backend process is not the only thing that can die: when the xdist worker running a row goes,
    the row becomes a CRASH row carrying pytest's account, and the report is complete."""
    marker = tmp_path / "kill-once"
    marker.write_text("")
    run = subprocess.run([sys.executable, "-m", "conformance", "certify", "--backend",
                          "tests.engine.faulty_backends:KILLS_ITS_WORKER", "--out", str(tmp_path / "out"),
                          "--ndim", "1", "--direction", "forward", "--feature", "zeros", "--kind", "integer",
                          "--kind", "random", "--profile", "ci", "--jobs", "2"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env=dict(os.environ, CONVCONF_TEST_KILL_ONCE=str(marker)))
    assert run.returncode == 1, run.stdout + run.stderr
    report = load(str(tmp_path / "out"))
    assert report["complete"] and not marker.exists()
    crashed = [r for r in report["cells"] if r["status"] == "crash"]
    assert len(crashed) == 1 and "the pytest worker running this row died" in crashed[0]["reason"], crashed
    assert sum(r["status"] == "pass" for r in report["cells"]) == 1  # the other kind ran on


@dataclass
class WrongOnFirstCall:
    """The oracle, but each config's first forward call answers one element off: a failure that does not recur
    when Hypothesis replays the example (process history), as oneDNN's stale-memory bugs do."""

    name: str = "wrong-on-first-call"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(dtypes=("float64",)))
    seen: set = field(default_factory=set)

    def forward(self, config, x, weight, bias, dtype):
        fn = oracle.conv_transpose if config.transposed else oracle.conv
        y = fn(x, weight, bias, **config.kwargs())
        if config not in self.seen:
            self.seen.add(config)
            y = y.copy()
            y.flat[0] += 1.0
        return Result(y, dtype, "first-call")

    def grads(self, config, x, weight, bias, grad_output, dtype):
        raise NotImplementedError


def test_a_failure_that_does_not_recur_on_replay_is_a_fail_row_saying_so():
    """Hypothesis raises FlakyFailure (an exception group) when a failing example passes on replay: the row is still
    a FAIL with its example and a line saying the result depended on what ran before, not a lost row."""
    from conformance.certify.rows import Cell, run_row

    row = run_row(WrongOnFirstCall(), Cell(1, "zeros", "float64", "forward"), "integer", 5)
    assert row["status"] == "fail" and row["failures"] >= 1
    assert "ConvConfig(" in row["minimal_failure"]["config"]
    assert "did not recur when Hypothesis replayed" in row["minimal_failure"]["report"]


def test_resume_keeps_judged_rows_and_runs_again_those_whose_worker_died():
    from conformance.certify.rows import done_ids, lost_row, planned, record_id
    from conformance.backends.registry import load

    entries, placeholders = planned(load("scipy"), [1], ["forward"], ["float64"], None, None, "ci")
    judged, died = entries[0], entries[1]
    ran = dict(lost_row("scipy", judged, "x"), status="pass", host="vm")  # the record shape, as a worker ran it
    report = {"cells": [*placeholders, ran, lost_row("scipy", died, "the worker died")]}
    every, _ = planned(load("scipy"), profile="ci")  # rows, invalid-config rules and historical replays
    assert {e.what for e in every} == {"row", "invalid", "historical"}
    assert all(record_id(lost_row("scipy", e, "x")) == e.id for e in every)  # one id, entry and record
    assert done_ids(report) == {judged.id}
