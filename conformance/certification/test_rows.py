"""One pytest item per certification row: generated rows (cell x data kind), invalid-config rules, historical bugs.

`convconf certify` runs these with the options that choose the rows (`--certify-profile`, `--certify-ndim`, ...,
see conformance.pytest_plugin); the items are parametrised by the plugin, run against the isolated `backend`
fixture (a crash or hang is that row's verdict), and hand their row record to the run's controller in
`user_properties`, where conformance.certify.controller writes the reports.  The item's own outcome mirrors the
row: a failing, crashing or hanging row fails (so `--junitxml` reads like the report), a known issue xfails, an
undeclared row skips.
"""

import json
import os
import socket
import sys

import pytest

from conformance.certify import rows

_ENVIRONMENT = {}  # this process: its environment record, sent once with its first row
_COMPILE = {}  # this process: the backend's compile statistics as last reported (rows carry their share)


def environment_of(backend, request) -> dict:
    """This worker's environment: machine, versions, the gateway it serves, what its backend process dispatched."""
    from conformance.certify.controller import environment
    from conformance.run.threads import xdist_workers

    if not _ENVIRONMENT:
        options = request.config.option
        workerinput = getattr(request.config, "workerinput", {})
        env = environment(backend, options.certify_profile, xdist_workers(), options.certify_examples)
        env.update(host=socket.gethostname(), python_executable=sys.executable,
                   gateway=workerinput.get("workerid", "main"), cwd=os.getcwd())
        _ENVIRONMENT.update(env)
    return dict(_ENVIRONMENT)


def env_slug(env: dict) -> str:
    """Which environment a row comes from: the machine and library versions, as a folder name."""
    version = env.get("backend_version") or env.get("torch") or "unknown"
    parts = [env["host"], f"py{env['python']}", version.split(" (")[0]]
    return "_".join("".join(c if c.isalnum() or c in ".+-" else "-" for c in p) for p in parts)


def _runtime(backend) -> dict:
    from conformance.backends.protocol import runtime_info

    try:
        return runtime_info(backend)
    except Exception as exc:  # noqa: BLE001 - a dead worker says so instead of failing the row
        return {"error": f"{type(exc).__name__}: {exc}"}


def test_row(backend, certify_entry, request):
    options = request.config.option
    examples = options.certify_examples or rows.PROFILES.get(options.certify_profile, 1)
    spec = options.convconf_backend[0] if options.convconf_backend else None
    row = rows.run_entry(backend, certify_entry, examples, spec)
    first = not _ENVIRONMENT
    env = environment_of(backend, request)
    runtime = _runtime(backend) if first or _COMPILE else {}
    if first:  # once per process: what the backend's process dispatched, with the environment
        env["runtime"] = {k: v for k, v in runtime.items() if k != "compile"}
        row["environment"] = env
    if "compile" in runtime:  # a compiled backend's statistics are cumulative in its process: this row's share
        row["compile"] = {k: round(v - _COMPILE.get(k, 0), 3) for k, v in runtime["compile"].items()}
        _COMPILE.update(runtime["compile"])
    row["env"], row["gateway"] = env_slug(env), env["gateway"]
    request.node.user_properties.append(("convconf_row", json.dumps(row)))
    if row["status"] in ("fail", "crash", "timeout"):
        failure = (row.get("minimal_failure") or {}).get("report") or row.get("reason") or row["status"]
        pytest.fail(failure, pytrace=False)
    if row["status"] == "known":
        pytest.xfail("known issue " + ", ".join(row["known_issues"]))
    if row["status"] in ("unsupported", "untested"):
        pytest.skip(row.get("reason") or row["status"])
