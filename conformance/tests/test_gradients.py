"""grad_input, grad_weight and grad_bias of the backend against oracle.conv_grads / conv_transpose_grads."""

from hypothesis import given, strategies as st

from conformance.checks import check_grads
from conformance.strategies import seeds
from conformance.suite import KnownHits, claimed_configs, exploring, require


def test_gradients(backend, dtype, kind, request):
    require(backend, dtype, gradients=True, kind=kind)
    known = KnownHits()
    configs = claimed_configs(backend, dtype=dtype, gradients=True)

    @exploring(backend, request)
    @given(st.data(), seeds())
    def run(data, seed):
        with known.absorb():
            check_grads(backend, data.draw(configs, label="config"), dtype, kind, seed)

    run()
    known.xfail_if_any()
