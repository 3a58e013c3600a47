"""Oracle-free invariants (batch independence, linearity), exact on integer data, on every config family."""

import dataclasses

import pytest
from hypothesis import assume, given, strategies as st

from conformance.judge.invariants import CHECKS
from conformance.run.runner import run_check
from conformance.run.suite import KnownHits, claimed_configs, exploring, require, session_recorder

# batches up to 4 in the box (the batch-blocks family brings 4-17); the box's MAC budget for every draw,
# and half the profile's examples, since each example costs up to batch + 1 backend calls
LARGE = dict(max_batch=4, max_macs=30_000)


@pytest.mark.parametrize("invariant", list(CHECKS))
def test_invariant(backend, dtype, invariant, request):
    require(backend, dtype)
    if not backend.capabilities.exact_integers:
        pytest.skip(f"{backend.name}: exact integer arithmetic not declared, so the invariants are not owed exactly")
    configs = claimed_configs(backend, dtype=dtype, **LARGE)
    if invariant == "batch-independence":
        configs = configs.map(lambda c: dataclasses.replace(c, batch=max(2, c.batch)))

    known, recorder = KnownHits(), session_recorder(request.config)

    @exploring(backend, request, share=2, per_dtype=False)
    @given(configs, st.integers(0, 2**32 - 1))
    def run(config, seed):
        # an invariant's check says False where exactness is not owed (that draw is rejected); a known issue's
        # claim (a kernel path known to compute by a transform owes no exactness) is kept, the draw counted
        assume(known.take(run_check(invariant, backend, config, dtype, seed, recorder=recorder)) is not False)

    run()
    known.xfail_if_any()
