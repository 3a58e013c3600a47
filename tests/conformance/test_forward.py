"""Forward and transposed convolution of the backend under test against the oracle."""

from hypothesis import given, strategies as st

from conformance.checks import check_forward
from conformance.strategies import DATA_KINDS, seeds
from conformance.suite import KnownHits, claimed_configs, require


def test_forward(backend, dtype):
    require(backend, dtype)
    known = KnownHits()

    @given(st.data(), st.sampled_from(DATA_KINDS), seeds())
    def run(data, kind, seed):
        with known.absorb():
            check_forward(backend, data.draw(claimed_configs(backend, transposed=False), label="config"), dtype, kind,
                          seed)

    run()
    known.xfail_if_any()


def test_transposed(backend, dtype):
    require(backend, dtype, transposed=True)
    known = KnownHits()

    @given(st.data(), st.sampled_from(DATA_KINDS), seeds())
    def run(data, kind, seed):
        with known.absorb():
            check_forward(backend, data.draw(claimed_configs(backend, transposed=True), label="config"), dtype, kind,
                          seed)

    run()
    known.xfail_if_any()
