"""pytest integration: --backend selection, isolated backend fixtures, the end-of-run summary.

    pytest --backend torch-cpu --backend mypkg.mymod:backend   (repeatable; default: every built-in)
    pytest --no-isolate            run backend calls in-process (debugging; a segfault ends the run)
    pytest --backend-timeout 60    seconds before a backend call counts as hung

(short names of --convconf-backend, --convconf-no-isolate, --convconf-backend-timeout, added where free; in a
session that is not convconf's the plugin is inert: conformance.run.session)

Tests take the `backend` fixture, parametrised over the selected backends; a backend
that cannot run here (no GPU) is skipped with its reason.  Under pytest-xdist each
worker sends its records to the controller, which prints the kernel paths served, the
tightest accuracy class each path met, examples and examples/s per bug family, and the
feature pairs reached.

Coverage is asserted from what the run recorded (conformance.judge.coverage): after a default
run (no --backend), every built-in backend whose core tests (CORE_TESTS) all ran must have
reached every family, declared feature pair, kernel path the probe grid reaches here, long
reduction per direction and kind, and known finding's geometry; otherwise the run fails,
naming what was missed.  With --backend the same table is printed, not asserted.
"""

from __future__ import annotations

import json
import os
import sys

import pytest

from conformance.judge import coverage
from conformance.judge.recording import Recorder, missed_geometries
from conformance.generate import profiles
from conformance.certify import rows
from conformance.backends import registry
from conformance.backends.protocol import unavailable
from conformance.generate.data import DATA_KINDS
from conformance.model.dtypes import DTYPES
from conformance.run import reach
from conformance.run.isolation import IsolatedBackend
from conformance.findings import all_issues, declared
from conformance.run.session import (ACTIVE_KEY, active, add_aliases, add_options, backend_specs, is_convconf_session,
                                     load_own_modules, own_environment)
from conformance.run.suite import not_claimed, session_recorder
from conformance.run.threads import xdist_workers

_BACKENDS = {}
CORE_TESTS = ("test_forward", "test_transposed", "test_gradients", "test_long_reductions", "test_findings_geometries")
_CORE_DONE = {}  # controller: backend spec -> core test items that passed or xfailed
_COVERAGE = {}  # backend spec -> what it missed (filled at session finish)
_REACHABLE = {}  # backend name -> kernel paths its probe grid reaches, probed where it ran (xdist workers)


def pytest_addoption(parser, pluginmanager):
    group = parser.getgroup("convconf", "convolution conformance")
    add_options(group)
    if pluginmanager.get_plugin("convconf") is None:  # loaded by a conftest, not the entry point: no hook to wait for
        add_aliases(parser)
    # certification (convconf certify runs conformance.certification with these; see conformance/certify/rows.py)
    group.addoption("--certify-profile", default=None, choices=("ci", "dev", "thorough", "large"),
                    help="certification depth: run conformance.certification's rows at this profile")
    group.addoption("--certify-examples", type=int, default=None, metavar="N", help="examples per certification row")
    group.addoption("--certify-resume", default=None, metavar="REPORT_JSON",
                    help="certify only the rows this report.json has no verdict for (convconf certify --resume)")
    for name, kind in (("ndim", int), ("direction", str), ("dtype", str), ("feature", str), ("kind", str)):
        group.addoption(f"--certify-{name}", action="append", type=kind, default=None,
                        help=f"certify only this {name} (repeatable)")
    group.addoption("--repro-dir", default="convconf-repros", metavar="DIR",
                    help="where failing cases' standalone reproducers (framework and numpy only) are written "
                         "(default ./convconf-repros)")


_NOT_HERE = {}  # default run: built-in backend -> why it cannot run on this machine


@pytest.hookimpl(hookwrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """The short option names (--backend, ...) where free: added once the initial conftests (the rootdir's, the
    arguments') have defined theirs, so a project's own --backend keeps its meaning (conformance.run.session)."""
    yield
    add_aliases(parser)


def certification_entries(config) -> list:
    """The certification rows the --certify-* options select for the (single) --backend; none without them."""
    if config.getoption("--certify-profile") is None:
        return []
    specs = selected_backends(config)
    if len(specs) != 1:
        raise pytest.UsageError(f"certification runs one --backend at a time, got {specs}")
    option = config.option
    entries, _ = rows.planned(registry.load(specs[0]), option.certify_ndim, option.certify_direction,
                              option.certify_dtype, option.certify_feature, option.certify_kind,
                              option.certify_profile)
    if option.certify_resume:  # convconf certify --resume: the rows the stopped run's report has no verdict for
        import json

        with open(option.certify_resume, encoding="utf-8") as f:
            done = rows.done_ids(json.load(f))
        entries = [e for e in entries if e.id not in done]
    return entries


def selected_backends(config) -> list:
    """The --backend specs, or by default every built-in that can run here (the others are named once
    in the summary, with the reason, instead of skipping every test)."""
    return backend_specs(config) or [n for n in registry.default_names() if n not in _NOT_HERE]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """xdist controller: tell each worker which environment the controller runs in (see _own_environment)."""
    node.workerinput["convconf_controller_prefix"] = sys.prefix


def pytest_configure(config):
    config.stash[ACTIVE_KEY] = is_convconf_session(config)
    if not active(config):  # another project's session: no backend imported, nothing parametrized
        return
    own_environment(config)
    load_own_modules()
    config.addinivalue_line("markers", "backend_engine: tests of the engine itself, not of a backend")
    config.addinivalue_line("markers", "large: a config past 2**31 elements or bytes; runs under "
                                       "--hypothesis-profile large only")
    # torch warns about TF32 on oneDNN whenever its flags are set (the findings' reduced scripts set
    # them): an advisory about Intel GPUs, not a finding; the backends already silence it in their calls
    config.addinivalue_line("filterwarnings", "ignore:TF32 acceleration on top of oneDNN:UserWarning")
    if backend_specs(config) is None:
        for name in registry.default_names():
            reason = unavailable(registry.load(name))
            if reason:
                _NOT_HERE[name] = reason
    for spec in selected_backends(config):
        try:
            registry.load(spec)
        except registry.UnknownBackend as exc:
            raise pytest.UsageError(f"--backend: {exc}") from None
    _declare_known_issues(config)


def _declare_known_issues(config) -> None:
    """The known issues of --known-issues files and of the selected backends' own `known_issues`."""
    from conformance.findings import DeclarationError, declare, declared

    try:
        for path in config.getoption("convconf_known_issues") or ():
            declare(declared.load_file(path))
        for spec in selected_backends(config):
            declare(declared.from_backend(registry.load(spec)))
    except DeclarationError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_generate_tests(metafunc):
    if not active(metafunc.config):
        return
    if "backend_name" in metafunc.fixturenames:
        metafunc.parametrize("backend_name", selected_backends(metafunc.config), scope="session")
    if "certify_entry" in metafunc.fixturenames:
        metafunc.parametrize("certify_entry", certification_entries(metafunc.config), ids=lambda entry: entry.id)
    for name, values in (("dtype", list(DTYPES)), ("kind", list(DATA_KINDS))):
        if name in metafunc.fixturenames and not any(m.name == "parametrize" and name in m.args[0]
                                                    for m in metafunc.definition.iter_markers()):
            metafunc.parametrize(name, values)


# test -> what its name says about the features it needs (beyond its dtype, kind and padding_mode parameters)
_NEEDS = {"test_transposed": dict(transposed=True), "test_gradients": dict(gradients=True)}
_DESELECTED = {}  # backend name -> number of items deselected because it does not declare their features
_OUT_OF_SCOPE = {}  # default run: variant backend name -> items outside its DefaultScope
_LARGE = []  # the large profile's cases that ran: their sizes, times and peak memory (conformance.judge.large)


def pytest_collection_modifyitems(config, items):
    """Deselect the suite's items for features their backend does not declare (a dtype, a data kind, a padding
    mode, transposed convolution, gradients): they are not owed, so they are not run, and the run's
    summary counts them per backend instead of listing hundreds of skips."""
    if not active(config):
        return
    keep, dropped = [], []
    default_run = backend_specs(config) is None
    large_profile = profiles.current_name() == "large"
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        spec = params.get("backend_name")
        why = None
        if item.get_closest_marker("large") is not None:
            if not large_profile:  # opt-in: tens of seconds and gigabytes per case
                dropped.append(item)
                continue
            if spec is not None and not registry.load(spec).capabilities.large_tensors:
                why = "large tensors not declared (Capabilities.large_tensors)"
        if spec is not None and getattr(item.module, "__name__", "").startswith("conformance.tests."):
            backend = registry.load(spec)
            name = getattr(item, "originalname", item.name)
            if why is None and not unavailable(backend):  # a backend that cannot run here skips with its reason
                why = not_claimed(backend, params.get("dtype"), kind=params.get("kind"),
                                  padding_mode=params.get("padding_mode"), **_NEEDS.get(name, {}))
                scope = registry.default_scope(backend.name) if default_run else None
                if why is None and scope is not None:
                    outside = scope.excludes(name, params.get("dtype"), params.get("kind"), params.get("padding_mode"))
                    if outside:
                        _OUT_OF_SCOPE[backend.name] = _OUT_OF_SCOPE.get(backend.name, 0) + 1
                        dropped.append(item)
                        continue
        if why:
            dropped.append(item)
            _DESELECTED[backend.name] = _DESELECTED.get(backend.name, 0) + 1
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session")
def backend(backend_name, request):
    """The backend under test (isolated in a child process unless --no-isolate); skips if it cannot run here."""
    if backend_name not in _BACKENDS:
        if request.config.getoption("convconf_no_isolate"):
            _BACKENDS[backend_name] = registry.load(backend_name)
        else:
            timeout = request.config.getoption("convconf_backend_timeout")
            _BACKENDS[backend_name] = IsolatedBackend(backend_name, timeout)
    found = _BACKENDS[backend_name]
    reason = unavailable(found)
    if reason is None and request.config.getoption("convconf_no_isolate"):
        in_process = getattr(found, "in_process_unavailable", None)  # e.g. a oneDNN ISA cap needs a fresh process
        reason = in_process() if callable(in_process) else None
    if reason:
        pytest.skip(reason)
    return found


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    name = getattr(item, "originalname", item.name)
    if name in CORE_TESTS and hasattr(item, "callspec") and "backend_name" in item.callspec.params:
        report.user_properties.append(("convconf_core", item.callspec.params["backend_name"]))
    if report.failed and call.excinfo is not None:
        path = _standalone_for(item, call.excinfo.value)
        if path:
            report.sections.append(("convconf standalone reproducer",
                                    f"needs only the framework and numpy: python {path}"))


def _failing_case(exc):
    """The Case of the first NonConformance in exc (Hypothesis groups several failures), or None."""
    from conformance.judge.verdict import NonConformance

    if isinstance(exc, NonConformance):
        return exc.case
    for inner in getattr(exc, "exceptions", ()) or ():
        found = _failing_case(inner)
        if found is not None:
            return found
    return None


def _standalone_for(item, exc):
    """Write the failing case's standalone reproducer (for backends that write them); its path, or None."""
    from conformance.report import standalone

    case = _failing_case(exc)
    spec = getattr(getattr(item, "callspec", None), "params", {}).get("backend_name")
    if case is None or spec is None:
        return None
    backend = _BACKENDS.get(spec) or registry.load(spec)
    if not standalone.supported(backend):
        return None
    check = "grads" if case.direction.startswith("grad") else "forward"
    try:
        return standalone.write(backend, case.config, case.dtype, case.kind, case.seed, check,
                                item.config.getoption("--repro-dir"), str(exc).splitlines()[0])
    except Exception as error:  # noqa: BLE001 - a reproducer that cannot be written must not hide the failure
        return f"(not written: {type(error).__name__}: {error})"


def pytest_runtest_logreport(report):
    large = dict(report.user_properties).get("convconf_large")
    if large is not None and report.when == "call":
        _LARGE.append(json.loads(large))
    spec = dict(report.user_properties).get("convconf_core")
    if spec is None or report.when != "call":
        return
    if report.passed or hasattr(report, "wasxfail"):
        _CORE_DONE[spec] = _CORE_DONE.get(spec, 0) + 1


def _core_items(backend) -> int:
    """How many core test items a full run of this backend passes or xfails (the rest skip)."""
    caps = backend.capabilities
    per_kind = len(caps.padding_modes) + int(caps.transposed) + int(caps.gradients)
    kinds = len(coverage.kinds_for(backend))
    # test_long_reductions: one item per kind; test_findings_geometries: one, where a finding can show here
    return len(caps.dtypes) * kinds * per_kind + kinds + int(bool(missed_geometries(Recorder(), backend)))


_RUNTIME = {}  # backend name -> [runtime_info of each process that ran it]


def _collect_runtime() -> None:
    """Ask each backend process that ran (isolated worker, or this process) what it dispatched."""
    from conformance.backends.protocol import runtime_info

    for found in _BACKENDS.values():
        started = getattr(found, "_process", True)  # an IsolatedBackend that never started has nothing to say
        if started is None or (started is not True and not started.is_alive()):
            continue
        try:
            info = runtime_info(found)
        except Exception:  # noqa: BLE001 - a worker that died at the end must not fail the session
            continue
        if info:
            _RUNTIME.setdefault(found.name, []).append(info)


def _probe_reachable(config) -> None:
    """xdist worker: the probe grid's kernel paths (reach.reachable_paths) for the backends that ran here and
    fall to this worker (every n-th of the run's backends), through their running processes: the probing is spread
    over the workers instead of following the run in the controller (10 s of a default run's tail on 2 cores).  A
    backend that did not run in the worker it falls to is probed by the controller, as without xdist."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
    mine = selected_backends(config)[worker::xdist_workers()]
    for spec in mine:
        found = _BACKENDS.get(spec)
        if found is None or not session_recorder(config).paths().get(found.name) or unavailable(found):
            continue
        try:
            _REACHABLE[found.name] = sorted(reach.reachable_paths(getattr(found, "local", found), runner=found))
        except Exception:  # noqa: BLE001 - the controller probes again, and reports what fails there
            continue


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    if not active(session.config):
        return
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        _probe_reachable(session.config)
    _collect_runtime()
    for found in _BACKENDS.values():
        close = getattr(found, "close", None)
        if close:
            close()
    if workeroutput is not None:  # an xdist worker: ship records to the controller
        workeroutput["convconf_reachable"] = json.dumps(_REACHABLE)
        workeroutput["convconf_records"] = json.dumps(session_recorder(session.config).export())
        workeroutput["convconf_deselected"] = json.dumps(_DESELECTED)
        workeroutput["convconf_out_of_scope"] = json.dumps(_OUT_OF_SCOPE)
        workeroutput["convconf_runtime"] = json.dumps(_RUNTIME)
        return
    default_run = backend_specs(session.config) is None
    seen = session_recorder(session.config)
    for spec in selected_backends(session.config):
        backend = registry.load(spec)
        if unavailable(backend) or _CORE_DONE.get(spec, 0) < _core_items(backend):
            continue  # not a full run of this backend: nothing to assert
        # a variant at its default-run share is shown, not asserted: its full depth is --backend NAME's
        asserted = default_run and registry.default_scope(backend.name) is None
        missed = coverage.missed(backend, set(seen.features[backend.name]), seen.seen_pairs(backend.name),
                                 set(seen.reductions[backend.name]))
        missed["findings' geometries"] = missed_geometries(seen, backend)
        reachable = set(_REACHABLE[backend.name]) if backend.name in _REACHABLE else reach.reachable_paths(backend)
        missed["kernel paths"] = sorted(reachable - seen.paths().get(backend.name, set()))
        _COVERAGE[backend.name] = (backend, missed, asserted)
        if asserted and any(missed.values()) and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    if not active(node.config):
        return
    rows = getattr(node, "workeroutput", {}).get("convconf_records")
    if rows:
        session_recorder(node.config).merge(json.loads(rows))
    # every worker collects (and deselects) the whole suite: the counts are the same, not to be added
    _DESELECTED.update(json.loads(getattr(node, "workeroutput", {}).get("convconf_deselected", "{}")))
    _OUT_OF_SCOPE.update(json.loads(getattr(node, "workeroutput", {}).get("convconf_out_of_scope", "{}")))
    for name, paths in json.loads(getattr(node, "workeroutput", {}).get("convconf_reachable", "{}")).items():
        _REACHABLE[name] = sorted(set(_REACHABLE.get(name, ())) | set(paths))
    for name, infos in json.loads(getattr(node, "workeroutput", {}).get("convconf_runtime", "{}")).items():
        _RUNTIME.setdefault(name, []).extend(infos)


def runtime_lines(runtime: dict) -> list:
    """One line per backend: the ISA and implementations its processes dispatched, threads, compile statistics
    (summed over its processes)."""
    lines = []
    for name, infos in sorted(runtime.items()):
        first = {k: v for k, v in infos[0].items() if k != "compile"}
        text = ", ".join(f"{k} {v}" for k, v in first.items())
        distinct = {json.dumps({k: v for k, v in i.items() if k != "compile"}, sort_keys=True) for i in infos}
        if len(distinct) > 1:
            text += f" (its {len(infos)} processes differ: {'; '.join(sorted(distinct))})"
        compiled = [i["compile"] for i in infos if i.get("compile")]
        if compiled:
            total = {}
            for c in compiled:
                for k, v in c.items():
                    total[k] = round(total.get(k, 0) + v, 3)
            text += "; compile: " + ", ".join(f"{k} {v}" for k, v in sorted(total.items()))
        lines.append(f"{name}: {text}")
    return lines


def pytest_report_header(config):
    if not active(config):
        return []
    lines = [f"convconf backends: {', '.join(selected_backends(config))}"]
    if _NOT_HERE:
        lines.append("convconf backends not run here: " + "; ".join(f"{n} ({why})" for n, why in _NOT_HERE.items()))
    return lines


def pytest_terminal_summary(terminalreporter):
    if not active(terminalreporter.config):
        return
    names = {registry.load(spec).name for spec in selected_backends(terminalreporter.config)}
    ran_suite = any("conformance/tests/" in getattr(r, "nodeid", "").replace("\\", "/")
                    for reports in terminalreporter.stats.values() for r in reports)
    if _NOT_HERE and ran_suite:  # only worth saying when the conformance suite ran
        terminalreporter.section("convconf: built-in backends not run on this machine")
        for name, why in _NOT_HERE.items():
            terminalreporter.write_line(why if why.startswith(name) else f"{name}: {why}")
    if _DESELECTED:
        terminalreporter.section("convconf: items deselected, their features not declared")
        terminalreporter.write_line("; ".join(f"{name} {n}" for name, n in sorted(_DESELECTED.items()))
                                    + " (dtypes, data kinds, padding modes, transposed or gradients the backend "
                                    "does not declare: not owed, so not run)")
    runtime = runtime_lines({n: v for n, v in _RUNTIME.items() if n in names})
    if runtime:
        terminalreporter.section("convconf: what the backend processes dispatched")
        for line in runtime:
            terminalreporter.write_line(line)
    if _OUT_OF_SCOPE:
        terminalreporter.section("convconf: variant backends at their default-run scope")
        terminalreporter.write_line(
            "; ".join(f"{name} {n} items outside" for name, n in sorted(_OUT_OF_SCOPE.items()))
            + ". A default run gives each variant the core tests on the dtypes, data kinds and padding modes where "
              "its kernels differ, at a share of the examples (conformance/backends/registry.py DEFAULT_SCOPES); "
              "--backend NAME runs it whole.")
    if _LARGE:
        terminalreporter.section("convconf: large cases (time and peak memory of the backend's process)")
        for r in _LARGE:
            peak = f"{r['peak_bytes'] / 2**30:.1f} GiB" if r.get("peak_bytes") else "peak unknown"
            terminalreporter.write_line(
                f"{r['backend']} {r['case']}: {r['output_elements']:,} output elements, {r['positions']} positions "
                f"checked; data {r['data_seconds']} s, call {r['call_seconds']} s, {peak}; kernel path "
                f"{r['kernel_path']}")
    seen = session_recorder(terminalreporter.config)
    text = seen.summary(names)
    if text:
        terminalreporter.section("convconf: kernel paths and accuracy classes met")
        terminalreporter.write_line(text)
    hits = {key for name in names for key in seen.known.get(name, ())}
    if hits:
        terminalreporter.section("convconf: known issues hit")
        for issue in (k for k in all_issues() if k.key in hits):
            counts = ", ".join(f"{name} {seen.known[name][issue.key]}" for name in sorted(names)
                               if seen.known.get(name, {}).get(issue.key))
            terminalreporter.write_line(f"{issue.key} ({counts} cases)")
            terminalreporter.write_line(f"  {issue.summary}")
            terminalreporter.write_line(f"  reproducer: {issue.reproducer}"
                                        + (f" (declared in {issue.declared_in})" if issue.declared_in else ""))
    stale = declared.unused(hits)
    if stale:
        terminalreporter.section("convconf: declared known issues that claimed no case (stale declarations?)")
        for issue in stale:
            terminalreporter.write_line(f"{issue.key} ({issue.declared_in}): {issue.summary}")
    geometry = seen.geometry_lines(_COVERAGE)
    if geometry:
        terminalreporter.section("convconf: findings' geometries reached (examples drawn inside each)")
        for line in geometry:
            terminalreporter.write_line(line)
    families = seen.family_table(names)
    if families:
        terminalreporter.section("convconf: bug families (examples, examples/s)")
        terminalreporter.write_line(families)
    for name, (backend, missed, asserted) in sorted(_COVERAGE.items()):
        required = len(coverage.required_pairs(backend))
        reached = required - len(missed["pairs"])
        served = sorted(seen.paths().get(name, ()))
        line = (f"{name}: {reached} of {required} declared feature pairs, {len(served)} kernel paths "
                f"({', '.join(served)})")
        if not any(missed.values()):
            terminalreporter.write_line(f"coverage complete: {line}")
            continue
        terminalreporter.section(f"convconf: coverage {'FAILED' if asserted else 'incomplete'} for {name}",
                                 red=asserted)
        terminalreporter.write_line(line)
        for what, items in missed.items():
            if items:
                shown = [" & ".join(i) if isinstance(i, tuple) else i for i in items]
                terminalreporter.write_line(f"  missed {what} ({len(items)}): {', '.join(shown[:40])}"
                                            + (" ..." if len(shown) > 40 else ""))
