"""Forward and transposed convolution of the backend under test against the oracle.

One item per (backend, dtype, padding mode, data kind): each data kind meets every dtype and
mode by construction, and a failing item names the kind in its id.
"""

import pytest

import oracle

from conformance.run.suite import check_examples, claimed_configs, require


@pytest.mark.parametrize("padding_mode", oracle.PADDING_MODES)
def test_forward(backend, dtype, padding_mode, kind, request):
    require(backend, dtype, kind=kind)
    if padding_mode not in backend.capabilities.padding_modes:
        pytest.skip(f"{backend.name}: padding_mode {padding_mode!r} not declared")
    configs = claimed_configs(backend, transposed=False, padding_modes=(padding_mode,), dtype=dtype)
    check_examples(backend, request, configs, "forward", dtype, kind)


def test_transposed(backend, dtype, kind, request):
    require(backend, dtype, transposed=True, kind=kind)
    check_examples(backend, request, claimed_configs(backend, transposed=True, dtype=dtype), "forward", dtype, kind)
