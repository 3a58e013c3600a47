"""grad_input, grad_weight and grad_bias of the backend against oracle.conv_grads / conv_transpose_grads."""

from hypothesis import given, strategies as st

from conformance.checks import check_grads
from conformance.strategies import DATA_KINDS, seeds
from conformance.suite import KnownHits, claimed_configs, require


def test_gradients(backend, dtype):
    require(backend, dtype, gradients=True)
    known = KnownHits()

    @given(st.data(), st.sampled_from(DATA_KINDS), seeds())
    def run(data, kind, seed):
        with known.absorb():
            configs = claimed_configs(backend, max_macs=15_000, dtype=dtype, gradients=True)
            check_grads(backend, data.draw(configs, label="config"), dtype, kind, seed)

    run()
    known.xfail_if_any()
