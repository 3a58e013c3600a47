"""Framework padding conventions resolved to `oracle.conv_general`'s (low, high) pairs, one per spatial axis.

Each helper follows its framework's specification (cited per function) and returns plain pairs, so
an ONNX, TensorFlow or XLA layer is checked against the oracle without hand-written np.pad or
cropping.  Sizes are per spatial axis: n input, k kernel, s stride, d dilation; the dilated kernel
extent is d*(k-1) + 1.
"""

from __future__ import annotations

from .errors import ConvConfigError

AUTO_PADS = ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID")


def _same_total(n: int, k: int, s: int, d: int) -> int:
    """Padding that makes the output ceil(n / s) long: (out - 1)*s + extent - n, never negative."""
    out = -(-n // s)
    return max((out - 1) * s + d * (k - 1) + 1 - n, 0)


def _split(total: int, extra_first: bool) -> tuple:
    """total as (low, high), an odd element on the low side (extra_first) or the high side."""
    small = total // 2
    return (total - small, small) if extra_first else (small, total - small)


def _axes(name: str, values, ndim: int, default: int) -> tuple:
    if values is None:
        return (default,) * ndim
    values = tuple(int(v) for v in values)
    if len(values) != ndim:
        raise ConvConfigError(name, f"must have {ndim} entries (one per spatial axis), got {values!r}")
    return values


def _onnx_pads(pads, ndim: int) -> tuple:
    """ONNX `pads` [x1_begin, x2_begin, ..., x1_end, x2_end, ...] as pairs (zeros when absent)."""
    if pads is None:
        return ((0, 0),) * ndim
    pads = tuple(int(p) for p in pads)
    if len(pads) != 2 * ndim:
        raise ConvConfigError("pads", f"must have 2 * {ndim} entries (all begins, then all ends), got {pads!r}")
    return tuple(zip(pads[:ndim], pads[ndim:]))


def _auto_pad(auto_pad: str) -> str:
    if auto_pad not in AUTO_PADS:
        raise ConvConfigError("auto_pad", f"must be one of {AUTO_PADS}, got {auto_pad!r}")
    return auto_pad


def onnx_conv_padding(input_size, kernel_size, strides=None, dilations=None, auto_pad="NOTSET", pads=None) -> tuple:
    """ONNX Conv (opset 11+, https://onnx.ai/onnx/operators/onnx__Conv.html): NOTSET takes `pads`; SAME_UPPER and
    SAME_LOWER pad so that the output is ceil(n / s), splitting the total equally, an odd extra element at the end
    (UPPER) or the beginning (LOWER); VALID pads nothing."""
    ndim = len(input_size)
    kernel_size = _axes("kernel_shape", kernel_size, ndim, 1)
    strides, dilations = _axes("strides", strides, ndim, 1), _axes("dilations", dilations, ndim, 1)
    auto_pad = _auto_pad(auto_pad)
    if auto_pad == "NOTSET":
        return _onnx_pads(pads, ndim)
    if auto_pad == "VALID":
        return ((0, 0),) * ndim
    return tuple(_split(_same_total(n, k, s, d), extra_first=auto_pad == "SAME_LOWER")
                 for n, k, s, d in zip(input_size, kernel_size, strides, dilations))


def onnx_conv_transpose_padding(input_size, kernel_size, strides=None, dilations=None, auto_pad="NOTSET",
                                pads=None, output_padding=None, output_shape=None) -> tuple:
    """ONNX ConvTranspose (https://onnx.ai/onnx/operators/onnx__ConvTranspose.html) as (pads, output_padding): the
    (begin, end) crop of the full output (n-1)*s + output_padding + extent, as `transpose_padding` takes them.

    With SAME_UPPER or SAME_LOWER, total = (n-1)*s + output_padding + extent - output_shape, where output_shape
    defaults to n*s, is split with the odd element at the end (UPPER) or the beginning (LOWER).  With NOTSET the
    explicit pads (zeros when absent) apply, and an explicit output_shape extends or cuts the output at its end:
    the specification's text sends NOTSET through the LOWER split, which onnx.reference (whose outputs the
    backend node tests hold) does not do; this follows onnx.reference.  A negative end pad extends the output."""
    ndim = len(input_size)
    kernel_size = _axes("kernel_shape", kernel_size, ndim, 1)
    strides, dilations = _axes("strides", strides, ndim, 1), _axes("dilations", dilations, ndim, 1)
    output_padding = _axes("output_padding", output_padding, ndim, 0)
    auto_pad = _auto_pad(auto_pad)
    full = [(n - 1) * s + op + d * (k - 1) + 1
            for n, k, s, d, op in zip(input_size, kernel_size, strides, dilations, output_padding)]
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        wanted = _axes("output_shape", output_shape, ndim, 0) if output_shape is not None else \
            tuple(n * s for n, s in zip(input_size, strides))
        pairs = tuple(_split(f - o, extra_first=auto_pad == "SAME_LOWER") for f, o in zip(full, wanted))
        return pairs, output_padding
    pairs = ((0, 0),) * ndim if auto_pad == "VALID" else _onnx_pads(pads, ndim)
    if output_shape is not None:
        wanted = _axes("output_shape", output_shape, ndim, 0)
        pairs = tuple((b, f - b - o) for (b, _), f, o in zip(pairs, full, wanted))
    return pairs, output_padding


def tf_padding(input_size, kernel_size, strides=None, dilations=None, padding="VALID") -> tuple:
    """TensorFlow tf.nn.convolution / conv2d (https://www.tensorflow.org/api_docs/python/tf/nn#padding): "SAME"
    makes the output ceil(n / s), the odd element at the end (bottom, right); "VALID" pads nothing; an explicit
    list holds one (before, after) pair per spatial axis (tf.nn.conv2d's EXPLICIT form, without the batch and
    channel pairs)."""
    ndim = len(input_size)
    kernel_size = _axes("kernel_size", kernel_size, ndim, 1)
    strides, dilations = _axes("strides", strides, ndim, 1), _axes("dilations", dilations, ndim, 1)
    if isinstance(padding, str):
        if padding == "VALID":
            return ((0, 0),) * ndim
        if padding == "SAME":
            return tuple(_split(_same_total(n, k, s, d), extra_first=False)
                         for n, k, s, d in zip(input_size, kernel_size, strides, dilations))
        raise ConvConfigError("padding", f"must be 'SAME', 'VALID' or explicit pairs, got {padding!r}")
    return xla_padding(padding, ndim)


def xla_padding(padding, ndim: int) -> tuple:
    """XLA / jax.lax.conv_general_dilated (https://openxla.org/xla/operation_semantics#conv_convolution): padding is
    already one (low, high) pair per spatial axis, negative values crop; checked and returned as int pairs.  (Its
    string forms 'SAME', 'SAME_LOWER' and 'VALID' are TensorFlow's SAME and ONNX's SAME_LOWER and VALID.)"""
    pairs = tuple(padding)
    if len(pairs) != ndim or any(len(tuple(p)) != 2 for p in pairs):
        raise ConvConfigError("padding", f"must be {ndim} (low, high) pairs, got {padding!r}")
    return tuple((int(lo), int(hi)) for lo, hi in pairs)
