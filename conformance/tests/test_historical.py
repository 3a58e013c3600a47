"""Documented past convolution bugs (conformance/generate/historical.py), replayed against every backend."""

import pytest

from conformance.judge.coverage import kinds_for
from conformance.generate.historical import HISTORICAL_BUGS
from conformance.run.runner import run_check
from conformance.run.suite import KnownHits, session_recorder

SEEDS = (0, 1)
# the reports were about wrong values: replayed with the value kinds (the special-value kinds
# meet these configs in the generated tests, where the families draw them too)
KINDS = ("integer", "random", "adversarial")


@pytest.mark.parametrize("bug", HISTORICAL_BUGS, ids=lambda b: b.key)
def test_historical_bug(backend, dtype, bug, request):
    why = backend.capabilities.unsupported(bug.config, dtype)
    if why:
        pytest.skip(f"{backend.name}: {why}")
    checks = ["forward"]
    if bug.gradients and backend.capabilities.unsupported(bug.config, dtype, gradients=True) is None:
        checks.append("grads")
    known, recorder = KnownHits(), session_recorder(request.config)
    for check in checks:
        for kind in (k for k in KINDS if k in kinds_for(backend)):
            for seed in SEEDS:
                known.take(run_check(check, backend, bug.config, dtype, kind, seed, recorder=recorder))
    known.xfail_if_any()
