"""oracle.conv_general: one definition for every framework, evaluated three ways, and the PyTorch-style functions
as its special cases.

Integer data keep every evaluation exact (oracle/functional.py), so the comparisons are bit-for-bit.
"""

import re
from math import prod

import numpy as np
import pytest
from hypothesis import given, strategies as st

import oracle
from oracle import ConvConfigError
from oracle.general import (_prepare, conv_general, conv_general_grads, conv_general_output_shape,
                            transpose_as_general, transpose_padding)
from conformance.generate.data import draw_inputs
from conformance.generate.strategies import conv_configs, seeds

from .agreement import assert_float64_agree

IMPLEMENTATIONS = ("shift", "naive", "scipy")


@st.composite
def general_configs(draw, max_rank=4, modes=("zeros",), max_products=1500):
    """A valid conv_general configuration (as keyword arguments plus shapes), small enough for the naive loops:
    any rank up to max_rank, (low, high) pairs in [-2, 3] that may crop, lhs and rhs dilation, strides, groups."""
    rank = draw(st.integers(1, max_rank))
    mode = draw(st.sampled_from(modes))
    groups = draw(st.integers(1, 2))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    size, kernel, strides, lhs, rhs, pairs = [], [], [], [], [], []
    for _ in range(rank):
        n, k = draw(st.integers(1, 4)), draw(st.integers(1, 3))
        m = draw(st.integers(1, 3)) if mode == "zeros" else 1
        d, s = draw(st.integers(1, 2)), draw(st.integers(1, 3))
        dilated = (n - 1) * m + 1
        lo = draw(st.integers(-2, 3))
        hi = draw(st.integers(-2, 3))
        kept = dilated - max(-lo, 0) - max(-hi, 0)
        if mode == "reflect":
            lo, hi = min(lo, kept - 1), min(hi, kept - 1)
        elif mode == "circular":
            lo, hi = min(lo, kept), min(hi, kept)
        # keep at least one element after cropping and an output of at least 1
        if kept < 1 or kept + max(lo, 0) + max(hi, 0) < d * (k - 1) + 1:
            lo, hi = max(lo, 0), max(hi, 0) + d * (k - 1)
            if mode == "reflect":
                d, k, lo, hi = 1, 1, min(lo, dilated - 1), min(hi, dilated - 1)
            elif mode == "circular":
                d, k, lo, hi = 1, 1, min(lo, dilated), min(hi, dilated)
        size.append(n)
        kernel.append(k)
        strides.append(s)
        lhs.append(m)
        rhs.append(d)
        pairs.append((lo, hi))
    batch = draw(st.integers(1, 2))
    kwargs = dict(window_strides=tuple(strides), padding=tuple(pairs), lhs_dilation=tuple(lhs),
                  rhs_dilation=tuple(rhs), feature_group_count=groups, padding_mode=mode)
    x_shape, w_shape = (batch, cin, *size), (cout, cin // groups, *kernel)
    out = conv_general_output_shape(x_shape, w_shape, **kwargs)
    if prod(out) * prod(kernel) * (cin // groups) > max_products:
        x_shape, w_shape = (1, groups, *size), (groups, 1, *kernel)
    return x_shape, w_shape, kwargs


def integers(shape, seed, low=-3, high=3):
    return np.random.default_rng(seed).integers(low, high + 1, shape).astype(np.float64)


@given(general_configs(modes=("zeros", "reflect", "replicate", "circular")), seeds())
def test_the_three_implementations_are_bit_identical_on_integers(config, seed):
    x_shape, w_shape, kwargs = config
    x, w, b = integers(x_shape, seed), integers(w_shape, seed + 1), integers(w_shape[:1], seed + 2)
    results = [conv_general(x, w, b, **kwargs, implementation=i) for i in IMPLEMENTATIONS]
    for name, y in zip(IMPLEMENTATIONS[1:], results[1:]):
        np.testing.assert_array_equal(y, results[0], err_msg=f"{name} vs shift, {kwargs}")


@given(general_configs(modes=("zeros", "reflect", "replicate", "circular")), seeds())
def test_gradients_agree_and_are_the_adjoint(config, seed):
    """naive and shift gradients are bit-identical, and <conv(x, w), gy> = <x, grad_input> = <w, grad_weight>
    exactly on integers: grad_input undoes the lhs dilation and the cropping (zeros for cropped elements)."""
    x_shape, w_shape, kwargs = config
    x, w = integers(x_shape, seed), integers(w_shape, seed + 1)
    y = conv_general(x, w, **kwargs)
    gy = integers(y.shape, seed + 2)
    shifted, literal = (conv_general_grads(x, w, gy, **kwargs, implementation=i) for i in ("shift", "naive"))
    for a, b in zip(shifted, literal):
        np.testing.assert_array_equal(a, b)
    assert np.sum(y * gy) == np.sum(x * shifted.grad_input) == np.sum(w * shifted.grad_weight)
    np.testing.assert_array_equal(shifted.grad_bias, gy.sum(axis=(0, *range(2, gy.ndim))))


@given(general_configs(modes=("zeros", "reflect", "replicate", "circular")), seeds())
def test_the_implementations_agree_on_floats(config, seed):
    x_shape, w_shape, kwargs = config
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    magnitude = conv_general(np.abs(x), np.abs(w), **kwargs)
    terms = prod(w_shape[1:])
    shifted = conv_general(x, w, **kwargs)
    for name in IMPLEMENTATIONS[1:]:
        assert_float64_agree(shifted, conv_general(x, w, **kwargs, implementation=name), magnitude, terms, name)


@given(st.integers(1, 5), st.integers(1, 3), st.integers(0, 3), st.integers(0, 3), seeds())
def test_the_prepared_input_is_the_definitions(n, m, crop_low, crop_high, seed):
    """Steps 1-2 of the definition, element by element: frame element j holds x[(j + crop_low) / m] when that is
    an integer index, else an inserted zero."""
    dilated = (n - 1) * m + 1
    if dilated - crop_low - crop_high < 1:
        return
    x = integers((1, 1, n), seed, 1, 9)  # no zeros in x: an inserted zero is told apart
    frame = _prepare(x, (m,), (crop_low,), (crop_high,))[0, 0]
    expected = [x[0, 0, (j + crop_low) // m] if (j + crop_low) % m == 0 else 0.0
                for j in range(dilated - crop_low - crop_high)]
    np.testing.assert_array_equal(frame, expected)


@given(conv_configs(max_macs=1500), seeds())
def test_pytorch_convolutions_are_special_cases(config, seed):
    """conv = conv_general with (p, p) pairs; conv_transpose = conv_general of the stride-dilated input with the
    flipped, group-swapped kernel and pairs d*(k-1) - p, d*(k-1) - p + output_padding (transpose_padding)."""
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    kw = config.kwargs()
    if config.transposed:
        expected = oracle.conv_transpose(x, w, b, **kw)
        pads = [(p, p) for p in config.padding]
        got = conv_general(x, transpose_as_general(w, config.groups), b, padding=transpose_padding(
            config.kernel_size, config.dilation, pads, config.output_padding), lhs_dilation=config.stride,
            rhs_dilation=config.dilation, feature_group_count=config.groups)
    else:
        expected = oracle.conv(x, w, b, **kw)
        spec = config.spec()
        got = conv_general(x, w, b, window_strides=config.stride, padding=tuple(zip(spec.pad_before, spec.pad_after)),
                           rhs_dilation=config.dilation, feature_group_count=config.groups,
                           padding_mode=config.padding_mode)
    np.testing.assert_array_equal(got, expected)


def test_a_4d_spatial_convolution_cross_checked():
    """Rank 4 (no PyTorch function has it): naive, shift and scipy bit-identical, with cropping, lhs dilation and
    groups on the way; and one output element recomputed from the definition by hand."""
    x, w, b = integers((2, 4, 3, 2, 4, 3), 1), integers((2, 2, 2, 1, 3, 2), 2), integers((2,), 3)
    kwargs = dict(window_strides=(1, 2, 1, 2), padding=((1, 0), (0, 1), (-1, 2), (2, -1)), lhs_dilation=(1, 1, 2, 1),
                  rhs_dilation=(2, 1, 1, 1), feature_group_count=2)
    results = [conv_general(x, w, b, **kwargs, implementation=i) for i in IMPLEMENTATIONS]
    for y in results[1:]:
        np.testing.assert_array_equal(y, results[0])
    # y[1, 1, 0, 0, 0, 1]: output channel 1 is group 1 (input channels 2 and 3).  Prepared position q per axis:
    # axis 0: q = 0 + 2*k0, padding 1 low: x index q - 1;  axis 1: q = 0, x index 0;
    # axis 2: q = 0 + k2 in the frame cropped by 1 of the 2-dilated input: dilated index q + 1, x index (q + 1) / 2
    #         when even (odd: an inserted zero);  axis 3: q = 1*2 + k3, padding 2 low (crop 1 high): x index q - 2
    manual = b[1]
    for c in range(2):
        for k0 in range(2):
            for k2 in range(3):
                for k3 in range(2):
                    i0, dilated2, i3 = 2 * k0 - 1, k2 + 1, 2 + k3 - 2
                    if not 0 <= i0 < 3 or dilated2 % 2 or not 0 <= dilated2 // 2 < 4 or not 0 <= i3 < 2:
                        continue
                    manual += x[1, 2 + c, i0, 0, dilated2 // 2, i3] * w[1, c, k0, 0, k2, k3]
    assert results[0][1, 1, 0, 0, 0, 1] == manual


def test_an_asymmetric_reflect_padded_convolution_cross_checked():
    """Reflect padding (2, 0) on one axis and (0, 3) on the other, which torch's nn.Conv2d cannot express:
    three implementations bit-identical, and equal to numpy.pad's reflect followed by a valid convolution."""
    x, w = integers((1, 2, 5, 6), 4), integers((3, 2, 3, 2), 5)
    kwargs = dict(padding=((2, 0), (0, 3)), padding_mode="reflect")
    results = [conv_general(x, w, **kwargs, implementation=i) for i in IMPLEMENTATIONS]
    for y in results[1:]:
        np.testing.assert_array_equal(y, results[0])
    padded = np.pad(x, ((0, 0), (0, 0), (2, 0), (0, 3)), mode="reflect")
    np.testing.assert_array_equal(results[0], oracle.conv(padded, w))


@pytest.mark.parametrize("kwargs, param, rule", [
    (dict(padding=((0, 0),)), "padding", "2 (low, high) pairs"),
    (dict(padding=((0, 0), (1,))), "padding[1]", "(low, high) pair"),
    (dict(padding=((-5, 0), (0, 0))), "padding", "at least 0 must remain with zero padding"),
    (dict(padding=((-4, 2), (0, 0)), padding_mode="reflect"), "padding", "at least 1 must remain for 'reflect'"),
    (dict(padding=((0, 0), (0, 0)), lhs_dilation=2, padding_mode="reflect"), "padding_mode", "lhs_dilation 1"),
    (dict(padding=((4, 0), (0, 0)), padding_mode="reflect"), "padding", "must be < the (cropped) input size"),
    (dict(lhs_dilation=0), "lhs_dilation", "positive"),
    (dict(window_strides=(1, 0)), "window_strides[1]", "positive"),
    (dict(feature_group_count=3), "feature_group_count", "divisible"),
    (dict(padding=((-2, -1), (0, 0)), rhs_dilation=2), "padding", "computed output size < 1"),
])
def test_bad_configurations_name_the_parameter_and_the_rule(kwargs, param, rule):
    with pytest.raises(ConvConfigError, match=re.escape(rule)) as error:
        conv_general(np.ones((1, 2, 4, 4)), np.ones((2, 2, 2, 2)), **kwargs)
    assert error.value.param == param


def test_any_rank_from_one():
    with pytest.raises(ConvConfigError, match=">= 1 spatial dimension"):
        conv_general(np.ones((1, 1)), np.ones((1, 1)))
    # 5 spatial axes, a 2-tap kernel along the last with 1 zero padded high: [x0 + x1, x1 + 0] = [2, 1]
    y = conv_general(np.ones((1, 1, 2, 2, 2, 2, 2)), np.ones((1, 1, 1, 1, 1, 1, 2)), padding=((0, 0),) * 4 + ((0, 1),))
    np.testing.assert_array_equal(y, np.broadcast_to([2.0, 1.0], (1, 1, 2, 2, 2, 2, 2)))
