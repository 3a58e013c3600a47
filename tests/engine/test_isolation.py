"""A segfault, an abort or a hang in a backend fails that case and the next call runs."""

import numpy as np
import pytest

from conformance.backends import BackendCrash, BackendTimeout
from conformance.model.config import ConvConfig
from conformance.run.isolation import BackendError, IsolatedBackend

BAD = ConvConfig(1, 1, 2, 1, 1, (3,), (1,), (1,), (0,), (1,))
GOOD = ConvConfig(1, 1, 1, 1, 1, (3,), (1,), (1,), (0,), (1,))


@pytest.mark.parametrize("how, error, text", [
    ("segfault", BackendCrash, "signal SIGSEGV"),
    ("abort", BackendCrash, "signal SIGABRT"),
    ("hang", BackendTimeout, "did not return within 3 s"),
])
def test_a_dying_backend_fails_one_case_and_the_run_goes_on(how, error, text):
    backend = IsolatedBackend(f"tests.engine.crashing_backends:{how}", timeout=3)
    try:
        with pytest.raises(error, match=text):
            backend.forward(BAD, np.ones((1, 2, 3)), np.ones((1, 2, 1)), None, "float64")
        # a fresh worker serves the next call
        out = backend.forward(GOOD, np.full((1, 1, 3), 7.0), np.ones((1, 1, 1)), None, "float64")
        np.testing.assert_array_equal(out.output, np.full((1, 1, 3), 7.0))
    finally:
        backend.close()


def test_a_python_exception_comes_back_with_its_type():
    backend = IsolatedBackend("tests.engine.crashing_backends:segfault", timeout=30)
    try:
        with pytest.raises(BackendError, match="NotImplementedError"):
            backend.grads(GOOD, None, None, None, None, "float64")
    finally:
        backend.close()


def _check_pair(spec, monkeypatch, issues=()):
    """check_forward on a 'corrupting' config (3 input channels) and then on a victim (2 input channels) in one
    isolated backend; returns the victim's exception."""
    from conformance import findings as known_issues
    from conformance.judge.checks import check_forward

    monkeypatch.setattr(known_issues, "KNOWN_ISSUES", list(known_issues.KNOWN_ISSUES) + list(issues))
    backend = IsolatedBackend(spec, timeout=30)
    try:
        check_forward(backend, ConvConfig(1, 1, 3, 1, 1, (3,), (1,), (1,), (0,), (1,)), "float64", "integer", 1)
        with pytest.raises(Exception) as victim:
            check_forward(backend, BAD, "float64", "integer", 1)
        return victim.value
    finally:
        backend.close()


def test_a_crash_that_survives_a_fresh_process_names_the_earlier_calls(monkeypatch):
    from conformance.judge.verdict import NonConformance

    failure = _check_pair("tests.engine.crashing_backends:heap_corrupting", monkeypatch)
    assert isinstance(failure, NonConformance) and failure.died == "crash"
    text = str(failure)
    assert "survived when re-run alone in a fresh process; the dead one had served 1 earlier call(s)" in text
    assert "last calls    forward float64 conv1d x(1, 3, 3)" in text  # the suspect, with its shapes


def test_a_crash_after_a_memory_unsafe_call_is_that_issues(monkeypatch):
    from conformance.findings import KnownIssue, KnownNonConformance

    unsafe = KnownIssue(key="fake-heap-corruption", backends=("heap-corrupting",), dtypes=("float64",),
                        kernel_paths=("oracle",), summary="3 input channels corrupt the heap",
                        hypothesis="crash", when=lambda config: config.in_channels == 3)
    failure = _check_pair("tests.engine.crashing_backends:heap_corrupting", monkeypatch, [unsafe])
    assert isinstance(failure, KnownNonConformance) and failure.issue.key == "fake-heap-corruption"
    assert "earlier call  forward float64 conv1d x(1, 3, 3)" in failure.report
    assert "in the geometry of known issue fake-heap-corruption (memory-unsafe)" in failure.report


def test_a_crash_that_recurs_in_a_fresh_process_stays_the_cases_own(monkeypatch):
    from conformance.findings import KnownIssue
    from conformance.judge.verdict import NonConformance

    # even with a memory-unsafe call before it, a case that dies alone is charged to itself
    unsafe = KnownIssue(key="fake-heap-corruption", backends=("heap-corrupting",), dtypes=("float64",),
                        kernel_paths=("oracle",), summary="-", hypothesis="crash",
                        when=lambda config: config.in_channels == 3)
    failure = _check_pair("tests.engine.crashing_backends:always_crashing", monkeypatch, [unsafe])
    assert isinstance(failure, NonConformance) and failure.died == "crash"
    assert "died again when re-run alone in a fresh process (heap-corrupting.forward killed its process " \
           "(signal SIGSEGV))" in str(failure)
