"""A segfault, an abort or a hang in a backend fails that case and the next call runs."""

import numpy as np
import pytest

from conformance.backends import BackendCrash, BackendTimeout
from conformance.config import ConvConfig
from conformance.isolation import BackendError, IsolatedBackend

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
