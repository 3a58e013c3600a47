"""Metamorphic properties of convolution, checked exactly on integer data.

Each property relates two oracle calls with different configurations; with small
integers every result is exact (oracle.functional), so equality is bit-for-bit.
"""

from dataclasses import replace

import numpy as np
from hypothesis import assume, given, strategies as st

import oracle
from conformance.generate.data import draw_inputs
from conformance.generate.strategies import conv_configs, seeds

from .test_implementations import forward

FORWARD = conv_configs(transposed=False, max_macs=8000)
ZERO_PADDED = conv_configs(transposed=False, padding_modes=("zeros",), max_macs=8000)


def ints(shape, seed):
    return np.random.default_rng(seed).integers(-4, 5, shape).astype(float)


@given(conv_configs(max_macs=8000), seeds(), st.integers(-3, 3), st.integers(-3, 3))
def test_linear_in_input_and_in_weight(config, seed, a, b):
    config = replace(config, bias=False)
    x1, w1, _ = draw_inputs(config, "float64", "integer", seed)
    x2, w2, _ = draw_inputs(config, "float64", "integer", seed + 10)
    np.testing.assert_array_equal(forward(config, a * x1 + b * x2, w1, None, "shift"),
                                  a * forward(config, x1, w1, None, "shift")
                                  + b * forward(config, x2, w1, None, "shift"))
    np.testing.assert_array_equal(forward(config, x1, a * w1 + b * w2, None, "shift"),
                                  a * forward(config, x1, w1, None, "shift")
                                  + b * forward(config, x1, w2, None, "shift"))


@given(conv_configs(max_macs=8000), seeds())
def test_grouped_is_the_concatenation_of_per_group_convolutions(config, seed):
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    g, cin, cout = config.groups, config.in_channels // config.groups, config.out_channels // config.groups
    single = replace(config, groups=1, in_channels=cin, out_channels=cout)
    parts = []
    for i in range(g):
        xi = x[:, i * cin:(i + 1) * cin]
        # conv weight is grouped on its output axis, transposed weight on its input axis
        wi = w[i * cin:(i + 1) * cin] if config.transposed else w[i * cout:(i + 1) * cout]
        parts.append(forward(single, xi, wi, None if b is None else b[i * cout:(i + 1) * cout], "shift"))
    np.testing.assert_array_equal(forward(config, x, w, b, "shift"), np.concatenate(parts, axis=1))


def zero_insert(w, dilation):
    out = np.zeros(w.shape[:2] + tuple((k - 1) * d + 1 for k, d in zip(w.shape[2:], dilation)))
    out[(Ellipsis, *(slice(None, None, d) for d in dilation))] = w
    return out


@given(conv_configs(max_macs=8000), seeds())
def test_dilated_is_a_zero_inserted_kernel(config, seed):
    # output_padding >= stride is valid only thanks to dilation; the undilated twin would be invalid
    assume(not config.transposed or all(op < s for op, s in zip(config.output_padding, config.stride)))
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    wd = zero_insert(w, config.dilation)
    # 'same' padding depends on d*(K-1), which the zero-inserted kernel keeps: same padding, same result
    undilated = replace(config, dilation=(1,) * config.ndim, kernel_size=wd.shape[2:])
    np.testing.assert_array_equal(forward(config, x, w, b, "shift"), forward(undilated, x, wd, b, "shift"))


@given(FORWARD, seeds())
def test_strided_is_the_stride_one_result_subsampled(config, seed):
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    dense = replace(config, stride=(1,) * config.ndim)
    sub = (Ellipsis, *(slice(None, None, s) for s in config.stride))
    np.testing.assert_array_equal(forward(config, x, w, b, "shift"), forward(dense, x, w, b, "shift")[sub])


NUMPY_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


@given(FORWARD, seeds())
def test_padded_is_the_convolution_of_the_explicitly_padded_input(config, seed):
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    s = config.spec()
    xp = np.pad(x, [(0, 0), (0, 0), *zip(s.pad_before, s.pad_after)], mode=NUMPY_MODE[config.padding_mode])
    unpadded = replace(config, input_size=xp.shape[2:], padding=0, padding_mode="zeros")
    np.testing.assert_array_equal(forward(config, x, w, b, "shift"), forward(unpadded, xp, w, b, "shift"))


@given(conv_configs(ndim=1, max_macs=8000) | conv_configs(ndim=2, max_macs=8000), seeds(), st.data())
def test_lower_rank_is_three_d_with_singleton_dims(config, seed, data):
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    extra = 3 - config.ndim
    # put the singleton dims anywhere among the spatial axes
    where = data.draw(st.permutations(range(3)))[:extra]
    axes = sorted(2 + i for i in where)

    def lift(v, fill):
        if isinstance(v, str):
            return v
        v = list(v)
        for a in axes:
            v.insert(a - 2, fill)
        return tuple(v)

    lifted = replace(config, ndim=3, input_size=lift(config.input_size, 1), kernel_size=lift(config.kernel_size, 1),
                     stride=lift(config.stride, 1), padding=lift(config.padding, 0), dilation=lift(config.dilation, 1),
                     output_padding=None if config.output_padding is None else lift(config.output_padding, 0))
    x3, w3 = np.expand_dims(x, axes), np.expand_dims(w, axes)
    np.testing.assert_array_equal(np.expand_dims(forward(config, x, w, b, "shift"), axes),
                                  forward(lifted, x3, w3, b, "shift"))


def transpose_back(s, y, w):
    """conv_transpose of y onto conv's input size: output_padding = (L + 2p - d(K-1) - 1) mod s,
    the remainder conv's floor division dropped (< s, so always valid)."""
    op = tuple((n + 2 * p - d * (k - 1) - 1) % st_ for n, p, d, k, st_ in
               zip(s.input_size, s.pad_before, s.dilation, s.kernel_size, s.stride))
    return oracle.conv_transpose(y, w, stride=s.stride, padding=s.pad_before, output_padding=op, groups=s.groups,
                                 dilation=s.dilation)


@given(ZERO_PADDED.filter(lambda c: c.padding != "same"), seeds())
def test_conv_transpose_is_the_adjoint_of_conv(config, seed):
    # <conv(x, w), y> == <x, conv_transpose(y, w)> when conv_transpose maps back onto x's size:
    # output_padding = (L + 2p - d(K-1) - 1) mod s, the remainder conv's floor dropped (< s, so valid)
    s = config.spec()
    x, w, _ = draw_inputs(config, "float64", "integer", seed)
    y = ints(s.output_shape, seed + 3)
    xt = transpose_back(s, y, w)
    assert xt.shape == x.shape
    assert np.vdot(oracle.conv(x, w, **config.kwargs()), y) == np.vdot(x, xt)
