"""oracle.conventions: each framework's padding rule gives the output size its specification promises, puts an odd
extra element on the side it names, and agrees with the other frameworks where their rules coincide."""

import pytest
from hypothesis import given, strategies as st

import oracle
from oracle import ConvConfigError
from oracle.conventions import onnx_conv_padding, onnx_conv_transpose_padding, tf_padding, xla_padding
from oracle.general import conv_general_output_shape, transpose_padding

sizes = st.integers(1, 9)
kernels = st.integers(1, 4)
strides = st.integers(1, 4)
dilations = st.integers(1, 3)


def output_length(n, k, s, d, pair):
    return conv_general_output_shape((1, 1, n), (1, 1, k), window_strides=s, padding=(pair,), rhs_dilation=d)[2]


@given(sizes, kernels, strides, dilations, st.sampled_from(["SAME_UPPER", "SAME_LOWER"]))
def test_onnx_same_gives_ceil_n_over_s_and_splits_evenly(n, k, s, d, mode):
    (pair,) = onnx_conv_padding((n,), (k,), (s,), (d,), mode)
    low, high = pair
    assert output_length(n, k, s, d, pair) == -(-n // s)
    assert 0 <= high - low <= 1 if mode == "SAME_UPPER" else 0 <= low - high <= 1


def test_onnx_same_odd_totals_by_hand():
    # n=6, k=3, s=2: output ceil(6/2) = 3 needs (3-1)*2 + 3 = 7 positions, 1 more than 6: the odd element goes
    # last for SAME_UPPER and first for SAME_LOWER
    assert onnx_conv_padding((6,), (3,), (2,), (1,), "SAME_UPPER") == ((0, 1),)
    assert onnx_conv_padding((6,), (3,), (2,), (1,), "SAME_LOWER") == ((1, 0),)
    assert onnx_conv_padding((6, 5), (3, 3), auto_pad="VALID") == ((0, 0), (0, 0))
    # NOTSET: all begins, then all ends
    assert onnx_conv_padding((6, 5), (3, 3), pads=[1, 0, 2, 3]) == ((1, 2), (0, 3))


@given(sizes, kernels, strides, dilations)
def test_tensorflow_same_is_onnx_same_upper(n, k, s, d):
    assert tf_padding((n,), (k,), (s,), (d,), "SAME") == onnx_conv_padding((n,), (k,), (s,), (d,), "SAME_UPPER")


@given(sizes, kernels, dilations)
def test_tensorflow_same_at_stride_1_is_torchs_same(n, k, d):
    before, after = oracle.same_padding((k,), (d,))
    assert tf_padding((n,), (k,), (1,), (d,), "SAME") == ((before[0], after[0]),)


@given(sizes, kernels, strides, dilations, st.sampled_from(["SAME_UPPER", "SAME_LOWER"]), st.data())
def test_onnx_conv_transpose_same_gives_n_times_s(n, k, s, d, mode, data):
    op = data.draw(st.integers(0, max(s, d) - 1))
    (pads,), (output_padding,) = onnx_conv_transpose_padding((n,), (k,), (s,), (d,), mode, output_padding=(op,))
    (pair,) = transpose_padding((k,), (d,), (pads,), (output_padding,))
    shape = conv_general_output_shape((1, 1, n), (1, 1, k), padding=(pair,), lhs_dilation=s, rhs_dilation=d)
    assert shape[2] == n * s
    low, high = pads
    assert 0 <= high - low <= 1 if mode == "SAME_UPPER" else 0 <= low - high <= 1


@given(sizes, kernels, strides, dilations, st.integers(0, 2), st.integers(0, 2), st.integers(1, 30))
def test_onnx_conv_transpose_output_shape_is_honoured(n, k, s, d, begin, end, wanted):
    """NOTSET with an explicit output_shape: the output has exactly that length, the pads' begin kept."""
    (pads,), _ = onnx_conv_transpose_padding((n,), (k,), (s,), (d,), pads=[begin, end], output_shape=[wanted])
    assert pads[0] == begin
    (pair,) = transpose_padding((k,), (d,), (pads,), (0,))
    full = (n - 1) * s + d * (k - 1) + 1
    if wanted > full + d * (k - 1) or begin >= full:
        return  # past what padding the dilated input can reach, or nothing left: not a valid layer
    try:
        shape = conv_general_output_shape((1, 1, n), (1, 1, k), padding=(pair,), lhs_dilation=s, rhs_dilation=d)
    except ConvConfigError:
        return  # cropped past the input: ONNX has no output either
    assert shape[2] == wanted


@pytest.mark.parametrize("call, param", [
    (lambda: onnx_conv_padding((4,), (3,), auto_pad="SAME"), "auto_pad"),
    (lambda: onnx_conv_padding((4, 4), (3, 3), pads=[1, 1]), "pads"),
    (lambda: onnx_conv_padding((4, 4), (3,)), "kernel_shape"),
    (lambda: tf_padding((4,), (3,), padding="same"), "padding"),
    (lambda: xla_padding([(1, 2, 3)], 1), "padding"),
])
def test_bad_conventions_name_the_parameter(call, param):
    with pytest.raises(ConvConfigError) as error:
        call()
    assert error.value.param == param


def test_xla_pairs_pass_through_and_may_crop():
    assert xla_padding([(-1, 2), (0, 0)], 2) == ((-1, 2), (0, 0))
