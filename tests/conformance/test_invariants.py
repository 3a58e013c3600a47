"""Oracle-free invariants (batch independence, linearity) on configs ten times larger than the oracle checks."""

import dataclasses

import pytest
from hypothesis import assume, given, strategies as st

from conformance.invariants import CHECKS
from conformance.suite import claimed_configs, require

# ten times the oracle checks' MAC budget: no oracle call, so size costs only backend time
LARGE = dict(max_batch=4, max_macs=300_000)


@pytest.mark.parametrize("invariant", list(CHECKS))
def test_invariant(backend, dtype, invariant):
    require(backend, dtype)
    if not backend.capabilities.exact_integers:
        pytest.skip(f"{backend.name}: exact integer arithmetic not declared, so the invariants are not owed exactly")
    configs = claimed_configs(backend, dtype=dtype, **LARGE)
    if invariant == "batch-independence":
        configs = configs.map(lambda c: dataclasses.replace(c, batch=max(2, c.batch)))

    @given(configs, st.integers(0, 2**32 - 1))
    def run(config, seed):
        assume(CHECKS[invariant](backend, config, dtype, seed))

    run()
