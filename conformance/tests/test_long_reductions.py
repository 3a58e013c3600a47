"""Long reductions in every direction: forward, transposed, grad_input, grad_weight and grad_bias each sum at
least 512 products per element (classify.LONG_TERMS), in every data kind.

The worst-case bound grows with the number of terms n; past a few hundred it no longer sees a kernel that keeps
its partial sums in a narrower type than it declares, and the probabilistic tier (conformance.model.bounds)
does, on random data.  The other core tests meet such sums only where the long-reduction family lands on their
direction; here each example is a pair of that family's configs, one plain and one transposed (where declared),
each long in every direction (~64- or ~128-tap kernels, 8 or 4 channels a side, >= 512 positions, with a
bias), in a dtype
drawn from the declared ones, checked forward and (where declared) backward.  A full run asserts every
(direction, kind) was reached (conformance.judge.coverage).
"""

from hypothesis import given, strategies as st

from conformance.run.suite import KnownHits, exploring, long_reduction_example, require, session_recorder
from conformance.generate.strategies import seeds

# the ci profile's 30 examples per direction over 15 shares: two per data kind
SHARE = 15


def test_long_reductions(backend, kind, request):
    require(backend, backend.capabilities.dtypes[0], kind=kind)
    known, recorder = KnownHits(), session_recorder(request.config)

    @exploring(backend, request, share=SHARE, per_dtype=False)
    @given(st.data(), seeds())
    def run(data, seed_):
        long_reduction_example(backend, kind, data, seed_, recorder, known)

    run()
    known.xfail_if_any()
