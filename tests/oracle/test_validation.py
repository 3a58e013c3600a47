"""Every invalid configuration raises ConvConfigError (a ValueError) naming the parameter and rule."""

import numpy as np
import pytest

import oracle

X2 = np.zeros((1, 4, 5, 5))
W2 = np.zeros((6, 4, 3, 3))


def conv(x=X2, w=W2, **kw):
    return oracle.conv(x, w, **kw)


def convT(x=X2, w=np.zeros((4, 3, 3, 3)), **kw):
    return oracle.conv_transpose(x, w, **kw)


CASES = [
    # (call, parameter named, fragment of the rule)
    (lambda: conv(groups=3), "groups", "in_channels=4 must be divisible by groups=3"),
    (lambda: conv(w=np.zeros((6, 2, 3, 3)), groups=4), "groups", "out_channels=6 must be divisible by groups=4"),
    (lambda: conv(w=np.zeros((6, 3, 3, 3))), "weight", "weight.shape[1] * groups == in_channels"),
    (lambda: conv(groups=0), "groups", "must be positive"),
    (lambda: conv(stride=0), "stride", "must be positive"),
    (lambda: conv(stride=(1, -1)), "stride[1]", "must be positive"),
    (lambda: conv(dilation=0), "dilation", "must be positive"),
    (lambda: conv(padding=-1), "padding", "must be >= 0"),
    (lambda: conv(padding=(1, 2, 3)), "padding", "must have 2 entries"),
    (lambda: conv(stride=1.5), "stride", "must be an int"),
    (lambda: conv(w=np.zeros((6, 4, 7, 3))), "input", "computed output size < 1"),
    (lambda: conv(padding="same", stride=2), "padding", "'same' requires stride 1"),
    (lambda: conv(padding="full"), "padding", "must be 'same' or 'valid'"),
    (lambda: conv(padding=5, padding_mode="reflect"), "padding", "reflect padding (5, 5) in spatial dim 0 must be < input size 5"),
    (lambda: conv(padding=6, padding_mode="circular"), "padding", "circular padding (6, 6) in spatial dim 0 must be <= input size 5"),
    (lambda: conv(padding_mode="symmetric"), "padding_mode", "must be one of"),
    (lambda: conv(x=np.zeros((4, 5))), "input", "must be 3-, 4- or 5-d"),
    (lambda: conv(x=np.zeros((4, 5, 5))), "weight", "same rank as input (3)"),
    (lambda: conv(x=np.zeros((1, 4, 5, 5, 5, 5)), w=np.zeros((6, 4, 1, 1, 1, 1))), "input", "must be 3-, 4- or 5-d"),
    (lambda: conv(w=np.zeros((6, 4, 3))), "weight", "same rank as input"),
    (lambda: conv(bias=np.zeros(5)), "bias", "must have shape (6,)"),
    (lambda: conv(x=np.zeros((1, 4, 0, 5))), "input", "spatial sizes must be >= 1"),
    (lambda: conv(x=np.zeros((1, 4, 5, 5), dtype=bool)), "input", "real or complex numeric"),
    (lambda: conv(w=[[1, 2], [3]]), "weight", "not a rectangular array"),
    (lambda: conv(x=None), "input", "is required"),
    (lambda: conv(implementation="fft"), "implementation", "must be one of"),
    (lambda: conv(x=np.full((1, 4, 5, 5), 2**40, dtype=np.int64), w=np.full((6, 4, 3, 3), 2**20, dtype=np.int64)),
     "input", "integer data too large"),
    (lambda: convT(stride=2, output_padding=2), "output_padding", "smaller than either stride (2) or dilation (1)"),
    (lambda: convT(output_padding=-1), "output_padding", "must be >= 0"),
    (lambda: convT(w=np.zeros((3, 3, 3, 3))), "weight", "weight.shape[0] == in_channels=4"),
    (lambda: convT(padding="same"), "padding", "not supported for conv_transpose"),
    (lambda: convT(padding=4), "padding", "computed output size"),
    (lambda: convT(groups=3), "groups", "in_channels=4 must be divisible by groups=3"),
    (lambda: convT(bias=np.zeros(4)), "bias", "must have shape (3,)"),
    (lambda: oracle.conv_grads(X2, W2, np.zeros((1, 6, 2, 2))), "grad_output", "must have the output shape (1, 6, 3, 3)"),
    (lambda: oracle.conv_grads(X2, W2, np.zeros((1, 6, 3, 3)), implementation="scipy"), "implementation",
     "gradients are implemented by"),
    (lambda: oracle.output_shape((1, 4, 5), (6, 4, 9)), "input", "computed output size < 1"),
    (lambda: oracle.conv_transpose_output_shape((1, 4, 5), (4, 2, 3), stride=3, output_padding=3), "output_padding",
     "smaller than either"),
]


@pytest.mark.parametrize("call, param, rule", CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_invalid_configuration_is_rejected_with_its_rule(call, param, rule):
    with pytest.raises(oracle.ConvConfigError) as info:
        call()
    assert isinstance(info.value, ValueError)
    assert info.value.param == param
    assert str(info.value).startswith(f"{param}: ")
    assert rule in str(info.value)


def test_output_padding_below_dilation_is_valid_even_if_not_below_stride():
    # PyTorch's rule is "smaller than either": stride 1, dilation 3, output_padding 2 is allowed
    assert oracle.conv_transpose_output_shape((1, 1, 4), (1, 1, 2), stride=1, output_padding=2, dilation=3) == (1, 1, 9)


def test_edge_sizes_that_are_valid():
    # reflect padding n-1 and circular padding n are the largest allowed
    assert conv(x=np.zeros((1, 4, 5, 5)), padding=4, padding_mode="reflect").shape == (1, 6, 11, 11)
    assert conv(padding=5, padding_mode="circular").shape == (1, 6, 13, 13)
    # a kernel larger than the input is fine when padding makes room
    assert conv(w=np.zeros((6, 4, 7, 7)), padding=1).shape == (1, 6, 1, 1)
    # an empty batch gives an empty output, as in torch
    assert conv(x=np.zeros((0, 4, 5, 5))).shape == (0, 6, 3, 3)
