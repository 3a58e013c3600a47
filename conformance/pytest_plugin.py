"""pytest integration: --backend selection, isolated backend fixtures, the end-of-run summary.

    pytest --backend torch-cpu --backend mypkg.mymod:backend   (repeatable; default: every built-in)
    pytest --no-isolate            run backend calls in-process (debugging; a segfault ends the run)
    pytest --backend-timeout 60    seconds before a backend call counts as hung

Tests take the `backend` fixture, parametrised over the selected backends; a backend
that cannot run here (no GPU) is skipped with its reason.  Under pytest-xdist each
worker sends its records to the controller, which prints the kernel-path coverage
and the tightest accuracy class each path met.
"""

from __future__ import annotations

import json

import pytest

from .backends import registry
from .backends.protocol import unavailable
from .dtypes import DTYPES
from .isolation import IsolatedBackend
from .recording import RECORDER

_BACKENDS = {}


def pytest_addoption(parser):
    group = parser.getgroup("convconf", "convolution conformance")
    group.addoption("--backend", action="append", default=None, metavar="NAME",
                    help="backend to test: a built-in or installed name, or package.module:attr (repeatable)")
    group.addoption("--no-isolate", action="store_true", help="call backends in-process (no crash/hang isolation)")
    group.addoption("--backend-timeout", type=float, default=120.0, metavar="SECONDS",
                    help="a backend call taking longer counts as hung (default 120)")


def selected_backends(config) -> list:
    return config.getoption("--backend") or registry.default_names()


def pytest_configure(config):
    config.addinivalue_line("markers", "backend_engine: tests of the engine itself, not of a backend")
    for spec in selected_backends(config):
        try:
            registry.load(spec)
        except registry.UnknownBackend as exc:
            raise pytest.UsageError(f"--backend: {exc}") from None


def pytest_generate_tests(metafunc):
    if "backend_name" in metafunc.fixturenames:
        metafunc.parametrize("backend_name", selected_backends(metafunc.config), scope="session")
    if "dtype" in metafunc.fixturenames and not any(m.name == "parametrize" and "dtype" in m.args[0]
                                                   for m in metafunc.definition.iter_markers()):
        metafunc.parametrize("dtype", list(DTYPES))


@pytest.fixture(scope="session")
def backend(backend_name, request):
    """The backend under test (isolated in a child process unless --no-isolate); skips if it cannot run here."""
    if backend_name not in _BACKENDS:
        if request.config.getoption("--no-isolate"):
            _BACKENDS[backend_name] = registry.load(backend_name)
        else:
            _BACKENDS[backend_name] = IsolatedBackend(backend_name, request.config.getoption("--backend-timeout"))
    found = _BACKENDS[backend_name]
    reason = unavailable(found)
    if reason:
        pytest.skip(reason)
    return found


def pytest_sessionfinish(session):
    for found in _BACKENDS.values():
        close = getattr(found, "close", None)
        if close:
            close()
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: ship records to the controller
        workeroutput["convconf_records"] = json.dumps(RECORDER.export())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    rows = getattr(node, "workeroutput", {}).get("convconf_records")
    if rows:
        RECORDER.merge(json.loads(rows))


def pytest_terminal_summary(terminalreporter):
    text = RECORDER.summary()
    if text:
        terminalreporter.section("convconf: kernel paths and accuracy classes met")
        terminalreporter.write_line(text)
