"""General convolution: any spatial rank, (low, high) padding pairs that may crop, input (lhs) dilation.

This is the convolution of XLA's conv_general_dilated and of ONNX and TensorFlow once their
padding conventions are resolved to pairs (oracle.conventions).  Along each spatial axis the
input is prepared in three steps, then convolved as `oracle.conv` defines it at padding 0:

    1. lhs dilation l: l - 1 zeros between neighbours (an input of n becomes (n-1)*l + 1);
    2. cropping: a negative low (high) pad drops that many leading (trailing) elements;
    3. padding: a positive low (high) pad adds elements read through padding_mode
       (zeros, reflect, replicate, circular: as torch's F.pad, of the cropped input).

    y[n, oc, o] = b[oc] + sum_{c < Cin/G} sum_{k} xg[n, g*(Cin/G) + c, o*s + k*d] * w[oc, c, k]

with xg the prepared input, s the window strides, d the rhs (kernel) dilation and g the group
of oc.  As in `oracle.conv`, a tap on zero padding or on an inserted zero is a 0 * w term of
the sum (a NaN or inf weight there makes the output NaN: the literal IEEE sum); frameworks that
skip such taps differ only there.  Padding modes other than zeros need lhs dilation 1 (no
framework defines reflecting a dilated input).  A PyTorch-style `oracle.conv` is the special
case l = 1, padding (p, p); a transposed convolution is the case l = stride with the kernel
flipped and its in/out channels swapped per group (`transpose_as_general`).

Every implementation (naive, shift, scipy) evaluates the same prepared input, so the
definition's sum is computed three ways, as for the PyTorch-style functions.
"""

from __future__ import annotations

import numpy as np

from .errors import ConvConfigError
from .functional import ConvGrads, _check_exact, _grad_implementation, _ieee, _implementation, _operand, _operands
from .spec import PADDING_MODES, ConvSpec, _check_bias, _int, _shapes, check_mode_padding, per_dim


def _pairs(padding, ndim: int) -> tuple:
    """padding as ndim (low, high) int pairs: an int (the same on both sides of every axis), or one pair
    per axis; negative values crop."""
    def whole(name, v):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise ConvConfigError(name, f"must be an int, got {v!r}")
        return int(v)

    if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool):
        return ((int(padding), int(padding)),) * ndim
    if not isinstance(padding, (tuple, list)) or len(padding) != ndim:
        raise ConvConfigError("padding", f"must be an int or {ndim} (low, high) pairs for {ndim} spatial "
                              f"dimensions, got {padding!r}")
    out = []
    for i, pair in enumerate(padding):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ConvConfigError(f"padding[{i}]", f"must be a (low, high) pair, got {pair!r}")
        out.append((whole(f"padding[{i}][0]", pair[0]), whole(f"padding[{i}][1]", pair[1])))
    return tuple(out)


def general_spec(input_shape, weight_shape, bias_shape=None, *, window_strides=1, padding=0, lhs_dilation=1,
                 rhs_dilation=1, feature_group_count=1, padding_mode="zeros"):
    """Validate a general convolution: (ConvSpec of the prepared input's convolution at padding 0 before the
    mode padding, lhs_dilation, crop_low, crop_high).  Each violation names the parameter and the rule."""
    input_shape, weight_shape, bias_shape = _shapes(input_shape, weight_shape, bias_shape, any_rank=True)
    ndim = len(input_shape) - 2
    groups = _int("feature_group_count", feature_group_count, 1)
    in_channels, out_channels = input_shape[1], weight_shape[0]
    for name, channels in (("in_channels", in_channels), ("out_channels", out_channels)):
        if channels % groups:
            raise ConvConfigError("feature_group_count", f"{name}={channels} must be divisible by "
                                  f"feature_group_count={groups}")
    if weight_shape[1] * groups != in_channels:
        raise ConvConfigError("weight", f"shape {weight_shape} needs weight.shape[1] * feature_group_count == "
                              f"in_channels, but {weight_shape[1]} * {groups} != {in_channels}")
    _check_bias(bias_shape, out_channels)
    strides = per_dim("window_strides", window_strides, ndim, 1)
    lhs = per_dim("lhs_dilation", lhs_dilation, ndim, 1)
    rhs = per_dim("rhs_dilation", rhs_dilation, ndim, 1)
    pairs = _pairs(padding, ndim)
    if padding_mode not in PADDING_MODES:
        raise ConvConfigError("padding_mode", f"must be one of {PADDING_MODES}, got {padding_mode!r}")
    if padding_mode != "zeros" and any(v > 1 for v in lhs):
        raise ConvConfigError("padding_mode", f"{padding_mode!r} padding needs lhs_dilation 1 (the inserted "
                              f"zeros have no {padding_mode} reading), got lhs_dilation={lhs}")
    kernel = weight_shape[2:]
    size, before, after, output = [], [], [], []
    for i, (n, m, (lo, hi), k, s, d) in enumerate(zip(input_shape[2:], lhs, pairs, kernel, strides, rhs)):
        dilated = (n - 1) * m + 1
        kept = dilated - max(-lo, 0) - max(-hi, 0)  # what cropping leaves
        # zero padding may stand in for every element cropped (a transposed convolution's output_padding
        # elements past the last tap are such windows); the other modes read the input, so 1 must remain
        least, why = (0, "with zero padding") if padding_mode == "zeros" else (1, f"for {padding_mode!r} padding")
        if kept < least:
            raise ConvConfigError("padding", f"{(lo, hi)} in spatial dim {i} crops {max(-lo, 0) + max(-hi, 0)} of "
                                  f"the {dilated} elements of the lhs-dilated input: at least {least} must remain "
                                  f"{why}")
        b, a = max(lo, 0), max(hi, 0)
        check_mode_padding(padding_mode, b, a, kept, i, what="the (cropped) input size")
        span = kept + b + a - d * (k - 1) - 1
        if span < 0:
            raise ConvConfigError("padding", f"computed output size < 1 in spatial dim {i}: the prepared input "
                                  f"({kept + b + a}) is shorter than the dilated kernel extent {d * (k - 1) + 1}")
        size.append(kept)
        before.append(b)
        after.append(a)
        output.append(span // s + 1)
    spec = ConvSpec(False, input_shape[0], in_channels, out_channels, groups, tuple(size), kernel, strides, rhs,
                    tuple(before), tuple(after), (0,) * ndim, padding_mode, tuple(output), bias_shape is not None)
    crop_low = tuple(max(-lo, 0) for lo, _ in pairs)
    crop_high = tuple(max(-hi, 0) for _, hi in pairs)
    return spec, lhs, crop_low, crop_high


def _prepared_slices(shape, lhs, crop_low, crop_high) -> tuple:
    """Where the input's elements sit in the lhs-dilated, cropped frame (a stride-l slice per axis), and which
    input elements survive the crop: (frame shape, frame slices, input slices)."""
    frame, into, taken = list(shape[:2]), [slice(None)] * 2, [slice(None)] * 2
    for n, m, cl, ch in zip(shape[2:], lhs, crop_low, crop_high):
        # input element i sits at i*m of the dilated frame, at i*m - cl once cl leading elements are cropped
        dilated = (n - 1) * m + 1
        kept = dilated - cl - ch
        first = -(-cl // m)  # the first input element at or after the crop: i*m >= cl
        last = (dilated - 1 - ch) // m  # the last one before the trailing crop: i*m <= dilated - 1 - ch
        frame.append(kept)
        into.append(slice(first * m - cl, last * m - cl + 1, m))
        taken.append(slice(first, last + 1))
    return tuple(frame), tuple(into), tuple(taken)


def _prepare(x: np.ndarray, lhs, crop_low, crop_high) -> np.ndarray:
    """Steps 1 and 2 of the definition: lhs dilation with zeros, then cropping (the mode padding is the spec's)."""
    if all(v == 1 for v in lhs) and not any(crop_low) and not any(crop_high):
        return x
    frame, into, taken = _prepared_slices(x.shape, lhs, crop_low, crop_high)
    out = np.zeros(frame, dtype=x.dtype)
    out[into] = x[taken]
    return out


def _unprepare(g: np.ndarray, shape, lhs, crop_low, crop_high) -> np.ndarray:
    """The adjoint of _prepare: each input element's gradient is its frame element's; inserted zeros and cropped
    elements take part in no product of x (cropped ones get 0)."""
    if all(v == 1 for v in lhs) and not any(crop_low) and not any(crop_high):
        return g
    _, into, taken = _prepared_slices(shape, lhs, crop_low, crop_high)
    out = np.zeros(shape, dtype=g.dtype)
    out[taken] = g[into]
    return out


def conv_general(x, weight, bias=None, *, window_strides=1, padding=0, lhs_dilation=1, rhs_dilation=1,
                 feature_group_count=1, padding_mode="zeros", implementation="shift"):
    """The general convolution (module docstring) of x (N, Cin, *spatial) with weight (Cout, Cin/G, *kernel).

    padding: an int, or one (low, high) pair per spatial axis; negative values crop.  Names follow
    jax.lax.conv_general_dilated; any spatial rank >= 1."""
    x, weight, bias, integer = _operands(x, weight, bias)
    spec, lhs, crop_low, crop_high = general_spec(
        x.shape, weight.shape, None if bias is None else bias.shape, window_strides=window_strides,
        padding=padding, lhs_dilation=lhs_dilation, rhs_dilation=rhs_dilation,
        feature_group_count=feature_group_count, padding_mode=padding_mode)
    _check_exact(integer, spec.terms_per_output, x, weight, bias)
    with _ieee():
        return _implementation(implementation)[0](spec, _prepare(x, lhs, crop_low, crop_high), weight, bias)


def conv_general_grads(x, weight, grad_output, *, window_strides=1, padding=0, lhs_dilation=1, rhs_dilation=1,
                       feature_group_count=1, padding_mode="zeros", implementation="shift") -> ConvGrads:
    """Gradients of sum(grad_output * conv_general(x, weight, bias)) with respect to x, weight and bias."""
    x, weight, _, integer = _operands(x, weight, None)
    integer = integer or np.asarray(grad_output).dtype.kind in "iu"
    grad_output = _operand("grad_output", grad_output)
    spec, lhs, crop_low, crop_high = general_spec(
        x.shape, weight.shape, window_strides=window_strides, padding=padding, lhs_dilation=lhs_dilation,
        rhs_dilation=rhs_dilation, feature_group_count=feature_group_count, padding_mode=padding_mode)
    if grad_output.shape != spec.output_shape:
        raise ConvConfigError("grad_output", f"must have the output shape {spec.output_shape}, got {grad_output.shape}")
    _check_exact(integer, spec.total_products, grad_output, weight)
    _check_exact(integer, spec.total_products, grad_output, x)
    with _ieee():
        gx, gw, gb = _grad_implementation(implementation, False)(spec, _prepare(x, lhs, crop_low, crop_high),
                                                                  weight, grad_output)
    return ConvGrads(_unprepare(gx, x.shape, lhs, crop_low, crop_high), gw, gb)


def conv_general_output_shape(input_shape, weight_shape, *, window_strides=1, padding=0, lhs_dilation=1,
                              rhs_dilation=1, feature_group_count=1, padding_mode="zeros") -> tuple:
    """The output shape of conv_general (validating the configuration)."""
    return general_spec(input_shape, weight_shape, window_strides=window_strides, padding=padding,
                        lhs_dilation=lhs_dilation, rhs_dilation=rhs_dilation,
                        feature_group_count=feature_group_count, padding_mode=padding_mode)[0].output_shape


def transpose_as_general(weight, groups: int = 1) -> np.ndarray:
    """A transposed convolution's weight (Cin, Cout/G, *k) as conv_general's (Cout, Cin/G, *k): in and out channels
    swapped within each group and every spatial axis flipped (the adjoint's kernel)."""
    w = np.asarray(weight)
    cin, cout_g, kernel = w.shape[0], w.shape[1], w.shape[2:]
    if cin % groups:
        raise ConvConfigError("groups", f"in_channels={cin} must be divisible by groups={groups}")
    w = w.reshape(groups, cin // groups, cout_g, *kernel).swapaxes(1, 2).reshape(groups * cout_g, cin // groups,
                                                                                 *kernel)
    return np.ascontiguousarray(np.flip(w, axis=tuple(range(2, w.ndim))))


def transpose_padding(kernel_size, dilation, pads, output_padding) -> tuple:
    """conv_general's padding pairs for a transposed convolution cropping (begin, end) = pads per axis of its full
    output and extending it by output_padding at the end: the full output of input n is (n-1)*s + d*(k-1) + 1,
    which conv_general gives from the s-dilated input with d*(k-1) zeros padded on each side."""
    return tuple((d * (k - 1) - b, d * (k - 1) - e + op)
                 for k, d, (b, e), op in zip(kernel_size, dilation, pads, output_padding))

