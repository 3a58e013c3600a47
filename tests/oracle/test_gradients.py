"""Gradients of L = <grad_output, y(x, w, b)>, a bilinear form in (x, w) plus <grad_output, b>.

Bilinearity gives exact identities on integer data: L = <x, grad_input> = <w, grad_weight>
(bias omitted), for every padding mode and for the transpose.  Then grad_input is itself a
transposed convolution (zeros padding), and finite differences agree in float64.
"""

import numpy as np
from hypothesis import given

import oracle
from conformance.model.bounds import gamma
from conformance.generate.data import draw_inputs
from conformance.generate.strategies import conv_configs, seeds

from .test_implementations import forward, grads
from .test_properties import transpose_back

CONFIGS = conv_configs(max_macs=8000)


def ints(shape, seed):
    return np.random.default_rng(seed).integers(-4, 5, shape).astype(float)


@given(CONFIGS, seeds())
def test_gradients_satisfy_the_bilinear_identities(config, seed):
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    gy = ints(config.output_shape, seed + 5)
    gx, gw, gb = grads(config, x, w, gy, "shift")
    loss = np.vdot(gy, forward(config, x, w, None, "shift"))
    assert loss == np.vdot(x, gx) == np.vdot(w, gw)
    np.testing.assert_array_equal(gb, gy.sum(axis=(0, *range(2, gy.ndim))))


@given(conv_configs(transposed=False, padding_modes=("zeros",), max_macs=8000).filter(lambda c: c.padding != "same"),
       seeds())
def test_conv_grad_input_is_the_transpose_applied_to_grad_output(config, seed):
    s = config.spec()
    x, w, _ = draw_inputs(config, "float64", "integer", seed)
    gy = ints(s.output_shape, seed + 5)
    expected = transpose_back(s, gy, w)
    np.testing.assert_array_equal(oracle.conv_grads(x, w, gy, **config.kwargs()).grad_input, expected)


@given(conv_configs(transposed=True, max_macs=8000), seeds())
def test_conv_transpose_grad_input_is_the_convolution_of_grad_output(config, seed):
    s = config.spec()
    x, w, _ = draw_inputs(config, "float64", "integer", seed)
    gy = ints(s.output_shape, seed + 5)
    expected = oracle.conv(gy, w, stride=s.stride, padding=s.pad_before, dilation=s.dilation, groups=s.groups)
    # with output_padding >= stride (valid thanks to dilation) that conv has extra trailing positions
    # that correspond to no input element; the identity holds on the input's own extent
    expected = expected[(Ellipsis, *(slice(0, n) for n in s.input_size))]
    np.testing.assert_array_equal(oracle.conv_transpose_grads(x, w, gy, **config.kwargs()).grad_input, expected)


@given(CONFIGS, seeds())
def test_gradients_agree_with_float64_finite_differences(config, seed):
    # L is bilinear, so the central difference (L(x+hv) - L(x-hv)) / 2h equals <grad_input, v>
    # exactly in real arithmetic for any h; h = 1 avoids amplifying rounding.  Each L is a sum of
    # n = products + outputs terms, erring by <= gamma(n) * M with M = <|gy|, conv(|x|+|v|, |w|)>;
    # the difference of two such values and the dot product <gx, v> each contribute at most that.
    x, w, _ = draw_inputs(config, "float64", "random", seed)
    v, u = draw_inputs(config, "float64", "random", seed + 3)[:2]
    gy = np.random.default_rng(seed + 6).standard_normal(config.output_shape)
    gx, gw, _ = grads(config, x, w, gy, "shift")
    s = config.spec()
    n = int(np.prod(s.output_shape)) * (s.terms_per_output + 2) + gx.size + gw.size
    fn = oracle.conv_transpose if config.transposed else oracle.conv

    def loss(xx, ww):
        return np.vdot(gy, fn(xx, ww, **config.kwargs()))

    for (plus, minus, grad, direction, scale) in [
        (loss(x + v, w), loss(x - v, w), gx, v, oracle.magnitude(fn, np.abs(x) + np.abs(v), w, **config.kwargs())),
        (loss(x, w + u), loss(x, w - u), gw, u, oracle.magnitude(fn, x, np.abs(w) + np.abs(u), **config.kwargs())),
    ]:
        tol = 3 * gamma(n, 2.0**-53) * np.vdot(np.abs(gy), scale)
        assert abs((plus - minus) / 2 - np.vdot(grad, direction)) <= tol
