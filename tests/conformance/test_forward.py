"""Forward and transposed convolution of the backend under test against the oracle."""

import pytest
from hypothesis import given, strategies as st

import oracle

from conformance.checks import check_forward
from conformance.coverage import kinds_for
from conformance.strategies import seeds
from conformance.suite import KnownHits, claimed_configs, exploring, require


@pytest.mark.parametrize("padding_mode", oracle.PADDING_MODES)
def test_forward(backend, dtype, padding_mode, request):
    # one test per padding mode: each mode gets the profile's full example budget
    require(backend, dtype)
    if padding_mode not in backend.capabilities.padding_modes:
        pytest.skip(f"{backend.name}: padding_mode {padding_mode!r} not declared")
    known = KnownHits()
    configs = claimed_configs(backend, transposed=False, padding_modes=(padding_mode,), dtype=dtype)

    @exploring(backend, request)
    @given(st.data(), st.sampled_from(kinds_for(backend)), seeds())
    def run(data, kind, seed):
        config = data.draw(configs, label="config")
        with known.absorb():
            check_forward(backend, config, dtype, kind, seed)

    run()
    known.xfail_if_any()


def test_transposed(backend, dtype, request):
    require(backend, dtype, transposed=True)
    known = KnownHits()
    configs = claimed_configs(backend, transposed=True, dtype=dtype)

    @exploring(backend, request)
    @given(st.data(), st.sampled_from(kinds_for(backend)), seeds())
    def run(data, kind, seed):
        config = data.draw(configs, label="config")
        with known.absorb():
            check_forward(backend, config, dtype, kind, seed)

    run()
    known.xfail_if_any()
