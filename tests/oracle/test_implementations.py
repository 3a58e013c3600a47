"""naive, shift and scipy are three evaluations of one definition: they must agree.

Integer data: every evaluation is exact (functional.py), so results are bit-identical.
Float data: each errs by at most gamma(K+1) * magnitude, so they agree within twice that.
"""

from unittest import mock

import numpy as np
from hypothesis import given, strategies as st

import oracle
from oracle import shift
from conformance.generate.data import draw_inputs
from conformance.generate.strategies import conv_configs, seeds

from .agreement import assert_float64_agree

# naive costs one Python iteration per product: keep its cases tiny
TINY = dict(max_macs=1500)


def forward(config, x, w, b, implementation):
    fn = oracle.conv_transpose if config.transposed else oracle.conv
    return fn(x, w, b, **config.kwargs(), implementation=implementation)


def grads(config, x, w, gy, implementation):
    fn = oracle.conv_transpose_grads if config.transposed else oracle.conv_grads
    return fn(x, w, gy, **config.kwargs(), implementation=implementation)


@given(conv_configs(**TINY), seeds())
def test_naive_and_shift_are_bit_identical_on_integers(config, seed):
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    np.testing.assert_array_equal(forward(config, x, w, b, "naive"), forward(config, x, w, b, "shift"))


@given(conv_configs(**TINY), seeds(), st.sampled_from(["random", "adversarial"]))
def test_naive_and_shift_agree_on_floats(config, seed, kind):
    x, w, b = draw_inputs(config, "float64", kind, seed, nonfinite=kind == "adversarial")
    m = oracle.magnitude(oracle.conv_transpose if config.transposed else oracle.conv, x, w, b, **config.kwargs())
    assert_float64_agree(forward(config, x, w, b, "naive"), forward(config, x, w, b, "shift"), m,
                         config.spec().terms_per_output, config.short())


@given(conv_configs(transposed=True, **TINY), seeds(), st.sampled_from([0, 2**62]))
def test_transpose_phase_blocks_one_per_phase_or_all_at_once_are_bit_identical_to_naive(config, seed, cost):
    # PHASE_COST_MACS 0: one GEMM per output phase; huge: every phase in one GEMM whenever the
    # phases share their first block (zero-weight taps then pad the phases with fewer taps)
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    with mock.patch.object(shift, "PHASE_COST_MACS", cost):
        np.testing.assert_array_equal(forward(config, x, w, b, "naive"), forward(config, x, w, b, "shift"))


@given(conv_configs(**TINY), seeds(), st.sampled_from([1, 40, 400]))
def test_gathers_chunked_by_rows_or_images_are_bit_identical_to_naive(config, seed, limit):
    # a MAX_BUFFER below one image's gathered windows splits them by rows of the first output axis
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    with mock.patch.object(shift, "MAX_BUFFER", limit):
        np.testing.assert_array_equal(forward(config, x, w, b, "naive"), forward(config, x, w, b, "shift"))


@given(conv_configs(max_macs=6000), seeds())
def test_scipy_cross_check_is_bit_identical_on_integers(config, seed):
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    np.testing.assert_array_equal(forward(config, x, w, b, "scipy"), forward(config, x, w, b, "shift"))


@given(conv_configs(max_macs=6000), seeds())
def test_scipy_cross_check_agrees_on_floats(config, seed):
    x, w, b = draw_inputs(config, "float64", "random", seed)
    m = oracle.magnitude(oracle.conv_transpose if config.transposed else oracle.conv, x, w, b, **config.kwargs())
    assert_float64_agree(forward(config, x, w, b, "scipy"), forward(config, x, w, b, "shift"), m,
                         config.spec().terms_per_output, config.short())


@given(conv_configs(**TINY), seeds())
def test_naive_and_shift_gradients_are_bit_identical_on_integers(config, seed):
    x, w, _ = draw_inputs(config, "float64", "integer", seed)
    gy = np.random.default_rng(seed).integers(-4, 5, config.output_shape).astype(float)
    for a, b in zip(grads(config, x, w, gy, "naive"), grads(config, x, w, gy, "shift")):
        np.testing.assert_array_equal(a, b)


@given(conv_configs(**TINY), seeds(), st.sampled_from([np.nan, np.inf, -np.inf]), st.sampled_from(["x", "w"]),
       st.sampled_from([0, 2**62]))
def test_nonfinite_operands_give_nan_and_inf_exactly_where_the_definition_does(config, seed, bad, operand, cost):
    # conv: a tap reading zero padding is a 0 * w term of the sum, so NaN there.  The transpose
    # has no such terms: its gather multiplies zero padding by the weights (so non-finite
    # weights must go to the scatter path), and when all phases share one GEMM, zero-weight
    # taps multiply real inputs (so non-finite inputs must not take that path)
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    a = x if operand == "x" else w
    a.flat[np.random.default_rng(seed).integers(a.size)] = bad
    expected = forward(config, x, w, b, "naive")
    with mock.patch.object(shift, "PHASE_COST_MACS", cost):
        got = forward(config, x, w, b, "shift")
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_array_equal(got[~np.isnan(got)], expected[~np.isnan(expected)])


def test_transpose_inf_input_reaches_only_the_outputs_it_feeds():
    # u = 2*i + k with all-ones weights: u=0: x0; 1: x0; 2: x0 + x1; 3: x1; 4: x1 + x2; 5: x2;
    # 6: x2 + x3; 7: x3; 8: x3.  Phase 1 (odd u) has one tap, phase 0 two: sharing one GEMM
    # would give phase 1 a zero-weight tap reading x1 = inf, a NaN the sum does not have
    # (all-finite x first: the plan cached for that spec must not carry over to the inf input)
    finite, x = np.ones((1, 1, 4)), np.array([[[1.0, np.inf, 1.0, 1.0]]])
    for cost in (0, 2**62):
        with mock.patch.object(shift, "PHASE_COST_MACS", cost):
            for impl in oracle.IMPLEMENTATIONS:
                for x_, expected in ((finite, [1, 1, 2, 1, 2, 1, 2, 1, 1]),
                                     (x, [1, 1, np.inf, np.inf, np.inf, 1, 2, 1, 1])):
                    np.testing.assert_array_equal(oracle.conv_transpose(x_, np.ones((1, 1, 3)), stride=2,
                                                                        implementation=impl)[0, 0], expected)


def test_nan_propagates_through_a_zero_weight():
    # 0 * NaN is NaN in IEEE arithmetic: a NaN input must reach every output that reads it
    x = np.ones((1, 1, 3))
    x[0, 0, 1] = np.nan
    for impl in oracle.IMPLEMENTATIONS:
        y = oracle.conv(x, np.zeros((1, 1, 2)), implementation=impl)
        assert np.isnan(y).all(), impl


def test_complex_is_the_composition_of_real_convolutions():
    rng = np.random.default_rng(0)
    xr, xi = rng.integers(-3, 4, (2, 1, 2, 5, 5)).astype(float)
    wr, wi = rng.integers(-3, 4, (2, 4, 2, 3, 3)).astype(float)
    kw = dict(stride=2, padding=1, padding_mode="reflect")
    for impl in oracle.IMPLEMENTATIONS:
        y = oracle.conv(xr + 1j * xi, wr + 1j * wi, implementation=impl, **kw)
        expected = (oracle.conv(xr, wr, **kw) - oracle.conv(xi, wi, **kw)) + 1j * (
            oracle.conv(xr, wi, **kw) + oracle.conv(xi, wr, **kw))
        assert y.dtype == np.complex128
        np.testing.assert_array_equal(y, expected, err_msg=impl)


def test_integer_dtypes_give_the_exact_integer_result():
    rng = np.random.default_rng(1)
    x = rng.integers(-1000, 1000, (1, 2, 9, 9), dtype=np.int64)
    w = rng.integers(-1000, 1000, (3, 2, 3, 3), dtype=np.int32)
    y = oracle.conv(x, w, padding=1)
    assert y.dtype == np.float64
    # exact integer arithmetic via Python ints as the reference
    xp = np.pad(x.astype(object), [(0, 0), (0, 0), (1, 1), (1, 1)])
    ref = np.zeros((1, 3, 9, 9), dtype=object)
    for i in range(3):
        for j in range(3):
            ref += np.einsum("oc,nchw->nohw", w[:, :, i, j].astype(object), xp[:, :, i:i + 9, j:j + 9])
    assert (y.astype(np.int64) == ref.astype(np.int64)).all()


@given(conv_configs(transposed=True, **TINY), seeds())
def test_naive_and_shift_transpose_gradients_agree_with_nonfinite_input(config, seed):
    # cropped-away outputs are no part of the loss: a NaN input must not reach grad_weight through them
    x, w, _ = draw_inputs(config, "float64", "adversarial", seed, nonfinite=True)
    gy = np.random.default_rng(seed).standard_normal(config.output_shape)
    for a, b, m in zip(grads(config, x, w, gy, "naive"), grads(config, x, w, gy, "shift"),
                       oracle.magnitude(oracle.conv_transpose_grads, x, w, gy, **config.kwargs())):
        assert_float64_agree(a, b, m, int(np.prod(config.input_shape)) * config.out_channels * 64, config.short())
