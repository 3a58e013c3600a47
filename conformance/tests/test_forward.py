"""Forward and transposed convolution of the backend under test against the oracle.

One item per (backend, dtype, padding mode, data kind): each data kind meets every dtype and
mode by construction, and a failing item names the kind in its id.
"""

import pytest
from hypothesis import given, strategies as st

import oracle

from conformance.checks import check_forward
from conformance.strategies import seeds
from conformance.suite import KnownHits, claimed_configs, exploring, require


@pytest.mark.parametrize("padding_mode", oracle.PADDING_MODES)
def test_forward(backend, dtype, padding_mode, kind, request):
    require(backend, dtype, kind=kind)
    if padding_mode not in backend.capabilities.padding_modes:
        pytest.skip(f"{backend.name}: padding_mode {padding_mode!r} not declared")
    known = KnownHits()
    configs = claimed_configs(backend, transposed=False, padding_modes=(padding_mode,), dtype=dtype)

    @exploring(backend, request)
    @given(st.data(), seeds())
    def run(data, seed):
        config = data.draw(configs, label="config")
        with known.absorb():
            check_forward(backend, config, dtype, kind, seed)

    run()
    known.xfail_if_any()


def test_transposed(backend, dtype, kind, request):
    require(backend, dtype, transposed=True, kind=kind)
    known = KnownHits()
    configs = claimed_configs(backend, transposed=True, dtype=dtype)

    @exploring(backend, request)
    @given(st.data(), seeds())
    def run(data, seed):
        config = data.draw(configs, label="config")
        with known.absorb():
            check_forward(backend, config, dtype, kind, seed)

    run()
    known.xfail_if_any()
