"""Golden values: the tutorial's worked example and small hand-derived cases.

Every expected value below is derived by hand in the comment beside it; every
implementation (shift, naive, scipy) must reproduce it exactly (integer data).
"""

import numpy as np
import pytest

import oracle

IMPLS = pytest.mark.parametrize("implementation", oracle.IMPLEMENTATIONS)


@IMPLS
def test_tutorial_conv3d_worked_example(implementation):
    # ../shared/seeds: x = [1, 10, ..., 100000] viewed as (1, 2, 3, 1, 1), Conv3d(2, 6, (2, 1, 1)),
    # all-ones weight (6, 2, 2, 1, 1), no bias.  Each output channel sums both input channels over
    # two consecutive depths: d=0: 1 + 10 + 1000 + 10000 = 11011; d=1: 10 + 100 + 10000 + 100000 = 110110.
    x = np.array([1, 10, 100, 1000, 10000, 100000], dtype=np.float32).reshape(1, 2, 3, 1, 1)
    weight = np.ones(24, dtype=np.float32).reshape(6, 2, 2, 1, 1)
    y = oracle.conv(x, weight, None, stride=1, padding=0, dilation=1, groups=1, implementation=implementation)
    assert weight.shape == (6, 2, 2, 1, 1)
    assert y.shape == (1, 6, 2, 1, 1) == oracle.output_shape(x.shape, weight.shape)
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y[0, :, :, 0, 0], np.tile([11011.0, 110110.0], (6, 1)))


def conv1d(x, w, implementation, **kw):
    return oracle.conv(np.array(x, float)[None, None], np.array(w, float)[None, None],
                       implementation=implementation, **kw)[0, 0]


@IMPLS
def test_stride(implementation):
    # windows of length 2 starting at 0, 2: [1+2, 3+4]; output size floor((5-2)/2)+1 = 2
    np.testing.assert_array_equal(conv1d([1, 2, 3, 4, 5], [1, 1], implementation, stride=2), [3, 7])


@IMPLS
def test_dilation(implementation):
    # taps at o and o+2: y[o] = x[o] + 10*x[o+2] = [1+30, 2+40, 3+50]; size 5 - 2*(2-1) = 3
    np.testing.assert_array_equal(conv1d([1, 2, 3, 4, 5], [1, 10], implementation, dilation=2), [31, 42, 53])


@IMPLS
def test_same_padding_puts_the_odd_element_at_the_end(implementation):
    # K=2: total padding 1, all of it after: y[o] = x[o] + 10*x[o+1], x[4] = 0 -> [21, 32, 43, 4]
    np.testing.assert_array_equal(conv1d([1, 2, 3, 4], [1, 10], implementation, padding="same"), [21, 32, 43, 4])


@IMPLS
@pytest.mark.parametrize("mode, expected", [
    # an identity kernel (K=1) returns the padded sequence itself; x = [1, 2, 3], padding 2
    ("zeros", [0, 0, 1, 2, 3, 0, 0]),
    ("reflect", [3, 2, 1, 2, 3, 2, 1]),    # mirror without repeating the edge
    ("replicate", [1, 1, 1, 2, 3, 3, 3]),  # repeat the edge
    ("circular", [2, 3, 1, 2, 3, 1, 2]),   # wrap around
])
def test_padding_modes(implementation, mode, expected):
    np.testing.assert_array_equal(conv1d([1, 2, 3], [1], implementation, padding=2, padding_mode=mode), expected)


@IMPLS
def test_groups(implementation):
    # groups=2 splits channels: out0 = 2 * in0, out1 = 3 * in1 (weight (2, 1, 1)); no mixing
    x = np.array([[[1.0, 2.0], [3.0, 4.0]]])
    w = np.array([[[2.0]], [[3.0]]])
    np.testing.assert_array_equal(oracle.conv(x, w, groups=2, implementation=implementation)[0],
                                  [[2, 4], [9, 12]])


@IMPLS
@pytest.mark.parametrize("padding, expected", [
    # x = [1, 2], w = [1, 10, 100], stride 2: x[0] lands at 0..2, x[1] at 2..4 -> [1, 10, 102, 20, 200];
    # output_padding 1 appends one position no tap reaches -> [.., 0]; size (2-1)*2 + 2 + 1 + 1 = 6
    (0, [1, 10, 102, 20, 200, 0]),
    # padding 1 crops one element from each end of that: size 6 - 2 = 4
    (1, [10, 102, 20, 200]),
])
def test_transpose_with_output_padding(implementation, padding, expected):
    y = oracle.conv_transpose(np.array([[[1.0, 2.0]]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2,
                              padding=padding, output_padding=1, implementation=implementation)
    np.testing.assert_array_equal(y[0, 0], expected)


@IMPLS
def test_bias_is_added_once_per_output(implementation):
    # 1x1 kernel weight 2: y = 2*x + b
    y = oracle.conv(np.array([[[1.0, 2.0]]]), np.array([[[2.0]]]), np.array([5.0]), implementation=implementation)
    np.testing.assert_array_equal(y, [[[7, 9]]])


def test_gradients_hand_derived():
    # y = conv1d(x=[1,2,3], w=[1,10]) = [21, 32]; with grad_output g = [1, 1]:
    # dL/dx[i] = sum over outputs reading x[i] of g*w: x0 <- w0, x1 <- w1 + w0, x2 <- w1 = [1, 11, 10]
    # dL/dw[k] = sum_o g[o] * x[o+k] = [1+2, 2+3] = [3, 5];  dL/db = sum g = 2
    for impl in ("shift", "naive"):
        gx, gw, gb = oracle.conv_grads(np.array([[[1.0, 2, 3]]]), np.array([[[1.0, 10]]]), np.array([[[1.0, 1]]]),
                                       implementation=impl)
        np.testing.assert_array_equal(gx, [[[1, 11, 10]]])
        np.testing.assert_array_equal(gw, [[[3, 5]]])
        np.testing.assert_array_equal(gb, [2])
