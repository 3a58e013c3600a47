"""Non-finite weights in the gradient directions (issue #31): the nonfinite kind puts NaN/inf in the weight and
exact zeros in grad_output, so 0 * inf = NaN is owed in grad_input wherever one meets the other, while the
products with outputs that do not exist (strides, padding, a transposed config's cropped outputs) stay the
implementation's choice (checks.nonfinite_weight_exempt_grad_input)."""

from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import oracle
from oracle.padding import source_index
from conformance.backends.protocol import Capabilities, GradResult, Result
from conformance.generate.data import draw_inputs
from conformance.generate.strategies import conv_configs
from conformance.judge.checks import check_grads, grad_output_for, nonfinite_weight_exempt_grad_input
from conformance.model.config import ConvConfig
from conformance.judge.verdict import NonConformance
from tests.engine.accumulators import Accumulating, f32


@dataclass
class SparseGradInput:
    """grad_input by the literal sum, skipping grad_output entries equal to zero (a sparse shortcut): wrong
    only where 0 * inf = NaN is owed."""

    name: str = "sparse-grad-input"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(dtypes=("float64",)))

    def forward(self, config, x, weight, bias, dtype):
        return Result(config.oracle_forward()(x, weight, bias), dtype, "literal")

    def grads(self, config, x, weight, bias, grad_output, dtype):
        exact = config.oracle_grads()(x, weight, grad_output)
        spec = config.spec()
        gx = np.zeros(x.shape)
        with np.errstate(invalid="ignore"):  # inf - inf: the NaN the sum owes
            for yi, xi, wi in oracle.naive._terms(spec):
                if xi is not None and grad_output[yi] != 0:
                    gx[xi] += grad_output[yi] * weight[wi]
        return GradResult(gx, exact.grad_weight, exact.grad_bias if bias is not None else None, dtype, "sparse")


SMALL = st.one_of(conv_configs(max_macs=400, families=()), conv_configs(transposed=True, max_macs=400,
                                                                          families=()))


def test_a_sparse_grad_input_is_caught_on_nonfinite_data():
    found = []

    @settings(max_examples=60, database=None, derandomize=True, deadline=None)
    @given(SMALL, st.integers(0, 2**16))
    def run(config, seed):
        try:
            check_grads(SparseGradInput(), config, "float64", "nonfinite", seed)
        except NonConformance as failure:
            found.append(str(failure))

    run()
    assert found, "no nonfinite example met 0 * inf in grad_input"
    assert "[grad_input, float64, nonfinite data" in found[0].splitlines()[0]


def test_a_dense_grad_input_is_exempt_exactly_where_it_meets_missing_outputs():
    # grad_input as a dense transposed convolution of grad_output (zero-inserted, zero-padded: every tap of
    # every output channel, the structural zeros included) is right by IEEE wherever the literal sum is owed
    dense = Accumulating("float64-then-round", where="grad_input")
    dense.capabilities = Capabilities(dtypes=("float32",), accuracy={"float32": "exact-inputs"},
                                      padding_modes=("zeros",), nonfinite=True)
    exempt_seen = []

    @settings(max_examples=80, database=None, derandomize=True, deadline=None)
    @given(st.one_of(conv_configs(padding_modes=("zeros",), max_macs=3000, families=()),
                     conv_configs(transposed=True, max_macs=3000, families=())), st.integers(0, 2**16))
    def run(config, seed):
        check_grads(dense, config, "float32", "nonfinite", seed)  # raises NonConformance if not exempt enough
        x, w, _ = draw_inputs(config, "float32", "nonfinite", seed, nonfinite=True)
        mask = nonfinite_weight_exempt_grad_input(config, w)
        exempt_seen.append(0 if mask is None else int(mask.sum()))

    run()
    assert sum(exempt_seen) > 0, "no example met a non-finite weight on a missing output"


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_the_exemption_against_a_brute_force_enumeration(mode):
    # a dense kernel's products land on padded positions q: q is exempt when a non-finite tap (co, k) of its
    # channel has no real output o with o*s + k*d == q; an input element is exempt when a padded position that
    # holds it (oracle.padding.source_index, the definition the oracle reads through) is
    rng = np.random.default_rng(1)
    config = ConvConfig(1, 1, 2, 2, 1, (5,), (3,), (2,), (2,), (1,), mode)
    w = rng.standard_normal(config.weight_shape)
    w[0, 1, 2] = np.inf
    w[1, 0, 0] = np.nan
    spec = config.spec()
    (n,), (k_size,), (s,), (d,), (pb,) = spec.input_size, spec.kernel_size, spec.stride, spec.dilation, spec.pad_before
    out = spec.output_size[0]
    expected = np.zeros(config.input_shape, bool)
    for ci in range(2):
        bad = {(co, k) for co in range(2) for k in range(k_size) if not np.isfinite(w[co, ci, k])}
        for q in range(spec.padded_size[0]):
            reached = {(co, k) for co in range(2) for k in range(k_size)
                       if (q - k * d) % s == 0 and 0 <= (q - k * d) // s < out}
            i = source_index(q - pb, n, mode)
            if i is not None and bad - reached:
                expected[0, ci, i] = True
    np.testing.assert_array_equal(nonfinite_weight_exempt_grad_input(config, w), expected)


def test_the_exemption_of_a_transposed_config():
    # a transposed config's grad_input reads grad_output at i*s + k*d - p: exempt where that is outside it
    config = ConvConfig(1, 1, 2, 2, 1, (4,), (3,), (2,), (2,), (1,), "zeros", True, True, (1,))
    w = np.ones(config.weight_shape)
    w[1, 0, 0] = np.inf  # input channel 1, tap 0: reads o = 2i - 2, outside the output at i = 0
    mask = nonfinite_weight_exempt_grad_input(config, w)
    out = config.output_shape[2]
    expected = np.zeros(config.input_shape, bool)
    expected[0, 1] = [not 0 <= 2 * i - 2 < out for i in range(4)]
    np.testing.assert_array_equal(mask, expected)


def test_grad_output_of_the_nonfinite_kind_is_finite_with_exact_zeros():
    config = ConvConfig(2, 2, 3, 4, 1, (6, 6), (3, 3), (1, 1), (1, 1), (1, 1))
    gy = grad_output_for(config, "float32", "nonfinite", 7)
    assert np.isfinite(gy).all()
    share = float((gy == 0).mean())
    assert 0.15 < share < 0.35, share
    assert np.array_equal(f32(gy), gy)
