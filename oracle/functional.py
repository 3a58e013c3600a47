"""The oracle's public functions, shaped like `torch.nn.functional`: numpy in, float64 out.

Inputs of any real or complex dtype are converted exactly to float64 / complex128
(every float16/float32/float64 value and every integer below 2**53 is a float64),
so the oracle sees exactly the values a backend received.

Integer data gives the exact integer result: each product and partial sum of
integers is an integer, and float64 represents every integer of magnitude below
2**53 exactly, so no operation rounds while max|x| * max|w| * terms + max|b| < 2**53.
That bound is checked for integer-dtype inputs; float inputs that happen to hold
small integers (as the conformance engine draws them) get the same guarantee.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import naive, shift
from .errors import ConvConfigError
from .spec import ConvSpec, conv_spec, conv_transpose_spec

IMPLEMENTATIONS = ("shift", "naive", "scipy")
EXACT_INTEGER_LIMIT = 2**53
# NaN and inf follow IEEE rules on purpose (0 * NaN = NaN, inf - inf = NaN): no warnings for them
def _ieee():
    return np.errstate(invalid="ignore", over="ignore")


class ConvGrads(NamedTuple):
    grad_input: np.ndarray
    grad_weight: np.ndarray
    grad_bias: np.ndarray


def _operand(name: str, a, allow_none: bool = False):
    if a is None:
        if allow_none:
            return None
        raise ConvConfigError(name, "is required, got None")
    try:
        a = np.asarray(a)
    except ValueError as exc:  # ragged nested sequences
        raise ConvConfigError(name, f"is not a rectangular array ({exc})") from None
    kind = a.dtype.kind
    if kind not in "iufc":
        raise ConvConfigError(name, f"must be a real or complex numeric array, got dtype {a.dtype}")
    if kind in "fc" and a.dtype.itemsize > (8 if kind == "f" else 16):
        raise ConvConfigError(name, f"dtype {a.dtype} is wider than float64 and would be rounded")
    return a.astype(np.complex128 if kind == "c" else np.float64, copy=False)


def _operands(x, weight, bias):
    originals = (x, weight, bias)
    converted = _operand("input", x), _operand("weight", weight), _operand("bias", bias, allow_none=True)
    integer = any(a is not None and np.asarray(a).dtype.kind in "iu" for a in originals)
    return (*converted, integer)


def _check_exact(integer: bool, terms: int, a, b, c=None) -> None:
    """For integer data: every partial sum stays below 2**53 (see module docstring)."""
    if not integer or a.size == 0 or b.size == 0:
        return
    bound = float(np.abs(a).max()) * float(np.abs(b).max()) * terms
    bound += float(np.abs(c).max()) if c is not None and c.size else 0.0
    if bound >= EXACT_INTEGER_LIMIT:
        raise ConvConfigError(
            "input", f"integer data too large for an exact result: max|x|*max|w|*terms = {bound:.3g} >= 2**53"
        )


def _implementation(name: str):
    if name == "shift":
        return shift.conv, shift.conv_transpose
    if name == "naive":
        return naive.forward, naive.forward
    if name == "scipy":
        from . import scipy_reference
        return scipy_reference.conv, scipy_reference.conv_transpose
    raise ConvConfigError("implementation", f"must be one of {IMPLEMENTATIONS}, got {name!r}")


def _grad_implementation(name: str, transposed: bool):
    if name == "shift":
        return shift.conv_transpose_grads if transposed else shift.conv_grads
    if name == "naive":
        return naive.grads
    raise ConvConfigError("implementation", f"gradients are implemented by 'shift' and 'naive', got {name!r}")


def conv(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros", *,
         implementation="shift"):
    """N-d convolution (cross-correlation) as torch.nn.functional.conv{1,2,3}d / nn.Conv*d.

    weight: (out_channels, in_channels/groups, *kernel); padding: int, tuple, "same" or "valid";
    padding_mode: zeros, reflect, replicate, circular (as nn.Conv*d).  The case of `conv_general` with
    window_strides=stride, padding=((p, p), ...) (or the pairs padding='same' stands for), rhs_dilation=dilation,
    feature_group_count=groups, lhs_dilation 1: the same spec reaches the same engines, validated here with
    torch's names and rules (1-3 spatial axes, non-negative symmetric padding).
    """
    x, weight, bias, integer = _operands(x, weight, bias)
    spec = conv_spec(x.shape, weight.shape, None if bias is None else bias.shape, stride, padding, dilation,
                     groups, padding_mode)
    _check_exact(integer, spec.terms_per_output, x, weight, bias)
    with _ieee():
        return _implementation(implementation)[0](spec, x, weight, bias)


def conv_transpose(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1, *,
                   implementation="shift"):
    """N-d transposed convolution as torch.nn.functional.conv_transpose{1,2,3}d.

    weight: (in_channels, out_channels/groups, *kernel).  It is the adjoint of `conv` in x, and the case of
    `conv_general` with lhs_dilation=stride, the kernel flipped and group-swapped (`transpose_as_general`) and
    pairs (d*(k-1) - p, d*(k-1) - p + output_padding) (`transpose_padding`): equal on finite data (tested bit for
    bit on integers).  It is evaluated directly, phase by phase, not through that dilated input: s**ndim fewer
    products, and no 0 * w terms at the inserted zeros, which the adjoint's sum does not have (they differ only
    for a non-finite weight there).
    """
    x, weight, bias, integer = _operands(x, weight, bias)
    spec = conv_transpose_spec(x.shape, weight.shape, None if bias is None else bias.shape, stride, padding,
                               output_padding, groups, dilation)
    _check_exact(integer, spec.terms_per_output, x, weight, bias)
    with _ieee():
        return _implementation(implementation)[1](spec, x, weight, bias)


def _grads(spec: ConvSpec, x, weight, grad_output, integer, implementation) -> ConvGrads:
    integer = integer or np.asarray(grad_output).dtype.kind in "iu"
    grad_output = _operand("grad_output", grad_output)
    if grad_output.shape != spec.output_shape:
        raise ConvConfigError("grad_output", f"must have the output shape {spec.output_shape}, got {grad_output.shape}")
    total = spec.total_products
    _check_exact(integer, total, grad_output, weight)
    _check_exact(integer, total, grad_output, x)
    with _ieee():
        return ConvGrads(*_grad_implementation(implementation, spec.transposed)(spec, x, weight, grad_output))


def conv_grads(x, weight, grad_output, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros", *,
               implementation="shift") -> ConvGrads:
    """Gradients of sum(grad_output * conv(x, weight, bias)) with respect to x, weight and bias.

    For complex data these are the plain (unconjugated) transposes of the bilinear map;
    PyTorch's complex autograd returns their conjugates.
    """
    x_, w_, _, integer = _operands(x, weight, None)
    spec = conv_spec(x_.shape, w_.shape, None, stride, padding, dilation, groups, padding_mode)
    return _grads(spec, x_, w_, grad_output, integer, implementation)


def conv_transpose_grads(x, weight, grad_output, stride=1, padding=0, output_padding=0, groups=1, dilation=1,
                         *, implementation="shift") -> ConvGrads:
    """Gradients of sum(grad_output * conv_transpose(x, weight, bias)); see conv_grads."""
    x_, w_, _, integer = _operands(x, weight, None)
    spec = conv_transpose_spec(x_.shape, w_.shape, None, stride, padding, output_padding, groups, dilation)
    return _grads(spec, x_, w_, grad_output, integer, implementation)


def output_shape(input_shape, weight_shape, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    """Shape of conv(x, weight, ...) for these shapes, validated as conv would."""
    return conv_spec(input_shape, weight_shape, None, stride, padding, dilation, groups, padding_mode).output_shape


def conv_transpose_output_shape(input_shape, weight_shape, stride=1, padding=0, output_padding=0, groups=1,
                                dilation=1):
    """Shape of conv_transpose(x, weight, ...) for these shapes, validated as conv_transpose would."""
    return conv_transpose_spec(input_shape, weight_shape, None, stride, padding, output_padding, groups,
                               dilation).output_shape


def magnitude(fn, *arrays, **config):
    """The magnitude companion of a bilinear oracle function: fn applied to |each array|.

    For conv this is conv(|x|, |w|) + |b|: the sum of the absolute values of the terms of
    each output element, the quantity every rounding-error bound scales with.  The same
    holds for conv_transpose and for each gradient in conv_grads.
    """
    return fn(*(None if a is None else np.abs(np.asarray(a)) for a in arrays), **config)
