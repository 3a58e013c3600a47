"""Forward and transposed convolution of the backend under test against the oracle."""

import pytest
from hypothesis import given, strategies as st

import oracle

from conformance.checks import check_forward
from conformance.strategies import DATA_KINDS, seeds
from conformance.suite import KnownHits, claimed_configs, require


@pytest.mark.parametrize("padding_mode", oracle.PADDING_MODES)
def test_forward(backend, dtype, padding_mode):
    # one test per padding mode: each mode gets the profile's full example budget
    require(backend, dtype)
    if padding_mode not in backend.capabilities.padding_modes:
        pytest.skip(f"{backend.name}: padding_mode {padding_mode!r} not declared")
    known = KnownHits()

    @given(st.data(), st.sampled_from(DATA_KINDS), seeds())
    def run(data, kind, seed):
        configs = claimed_configs(backend, transposed=False, padding_modes=(padding_mode,), dtype=dtype)
        config = data.draw(configs, label="config")
        with known.absorb():
            check_forward(backend, config, dtype, kind, seed)

    run()
    known.xfail_if_any()


def test_transposed(backend, dtype):
    require(backend, dtype, transposed=True)
    known = KnownHits()

    @given(st.data(), st.sampled_from(DATA_KINDS), seeds())
    def run(data, kind, seed):
        with known.absorb():
            config = data.draw(claimed_configs(backend, transposed=True, dtype=dtype), label="config")
            check_forward(backend, config, dtype, kind, seed)

    run()
    known.xfail_if_any()
