"""naive, shift and scipy are three evaluations of one definition: they must agree.

Integer data: every evaluation is exact (functional.py), so results are bit-identical.
Float data: each errs by at most gamma(K+1) * magnitude, so they agree within twice that.
"""

import numpy as np
from hypothesis import given, strategies as st

import oracle
from conformance.strategies import conv_configs, draw_inputs, seeds

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


@given(conv_configs(**TINY), seeds(), st.sampled_from([np.nan, np.inf, -np.inf]))
def test_nonfinite_weights_give_nan_and_inf_exactly_where_the_definition_does(config, seed, bad):
    # conv: a tap reading zero padding is a 0 * w term of the sum, so NaN there; the transpose
    # has no such terms, and its gather path (which multiplies zero padding by the weights)
    # must hand non-finite weights to the scatter path
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    w.flat[np.random.default_rng(seed).integers(w.size)] = bad
    expected = forward(config, x, w, b, "naive")
    got = forward(config, x, w, b, "shift")
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_array_equal(got[~np.isnan(got)], expected[~np.isnan(expected)])


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
