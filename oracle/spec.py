"""Validate and normalise a convolution configuration into a `ConvSpec`.

Every implementation (naive, shift-and-accumulate, scipy cross-check) consumes
the same normalised spec, so the rules live here once.  The rules and argument
conventions are those of `torch.nn.functional.conv{1,2,3}d` / `conv_transpose*d`
and `torch.nn.Conv*d(padding_mode=...)`; every violation raises
`ConvConfigError` naming the parameter and the rule.

Output sizes, per spatial dimension (L input, K kernel, s stride, d dilation):
  conv:            floor((L + pad_before + pad_after - d*(K-1) - 1) / s) + 1
  conv_transpose:  (L-1)*s - 2*p + d*(K-1) + output_padding + 1
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from math import gcd, prod

from .errors import ConvConfigError

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
SPATIAL_RANKS = (1, 2, 3)


@dataclass(frozen=True)
class ConvSpec:
    """A validated configuration; all per-dimension values are tuples of length ndim."""

    transposed: bool
    batch: int
    in_channels: int
    out_channels: int
    groups: int
    input_size: tuple
    kernel_size: tuple
    stride: tuple
    dilation: tuple
    pad_before: tuple
    pad_after: tuple
    output_padding: tuple
    padding_mode: str
    output_size: tuple
    has_bias: bool

    @property
    def ndim(self) -> int:
        return len(self.input_size)

    @property
    def in_per_group(self) -> int:
        return self.in_channels // self.groups

    @property
    def out_per_group(self) -> int:
        return self.out_channels // self.groups

    @property
    def kernel_volume(self) -> int:
        return prod(self.kernel_size)

    @property
    def input_shape(self) -> tuple:
        return (self.batch, self.in_channels, *self.input_size)

    @property
    def output_shape(self) -> tuple:
        return (self.batch, self.out_channels, *self.output_size)

    @property
    def weight_shape(self) -> tuple:
        if self.transposed:
            return (self.in_channels, self.out_per_group, *self.kernel_size)
        return (self.out_channels, self.in_per_group, *self.kernel_size)

    @property
    def padded_size(self) -> tuple:
        """Conv: input size after explicit padding. Transpose: the uncropped output size."""
        if self.transposed:
            return tuple(o + b + a for o, b, a in zip(self.output_size, self.pad_before, self.pad_after))
        return tuple(n + b + a for n, b, a in zip(self.input_size, self.pad_before, self.pad_after))

    @property
    def total_products(self) -> int:
        """Every product x*w of the defining sum; bounds the terms of any gradient element."""
        if self.transposed:
            return prod(self.input_shape) * self.out_per_group * self.kernel_volume
        return prod(self.output_shape) * self.in_per_group * self.kernel_volume

    @property
    def terms_per_output(self) -> int:
        """Upper bound on the products summed into one output element (bias excluded)."""
        if self.transposed:
            # output o gets tap k from input i = (o + p - k*d) / s when that is an integer, so the taps
            # reaching one o have k*d in one residue class mod s; k*d mod s has period s/gcd(s, d) in k,
            # hence at most ceil(K / (s/gcd(s, d))) taps per dimension
            taps = prod(-(-k // (s // gcd(s, d))) for k, s, d in zip(self.kernel_size, self.stride, self.dilation))
            return self.in_per_group * taps
        return self.in_per_group * self.kernel_volume


def _int(name: str, value, minimum: int, index=None) -> int:
    if type(value) is not int:  # plain ints (most calls) skip the slower abstract-type checks
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise ConvConfigError(_entry(name, index), f"must be an int, got {value!r}")
        value = int(value)
    if value < minimum:
        rule = "positive" if minimum == 1 else f">= {minimum}"
        raise ConvConfigError(_entry(name, index), f"must be {rule}, got {value!r}")
    return value


def _entry(name: str, index) -> str:
    return name if index is None else f"{name}[{index}]"


def per_dim(name: str, value, ndim: int, minimum: int) -> tuple:
    """An int (broadcast) or a tuple of `ndim` ints, each >= minimum."""
    if isinstance(value, (tuple, list)):
        if len(value) != ndim:
            raise ConvConfigError(name, f"must have {ndim} entries for a {ndim}-d convolution, got {tuple(value)!r}")
        return tuple([_int(name, v, minimum, i) for i, v in enumerate(value)])
    return (_int(name, value, minimum),) * ndim


def _shapes(input_shape, weight_shape, bias_shape, any_rank: bool = False) -> tuple:
    """Shape checks shared by every spec; any_rank: any number >= 1 of spatial axes (general convolution)."""
    input_shape, weight_shape = tuple(input_shape), tuple(weight_shape)
    if any_rank and len(input_shape) < 3:
        raise ConvConfigError("input", f"must be (batch, channels, *spatial) with >= 1 spatial dimension, got "
                              f"shape {input_shape}")
    if not any_rank and len(input_shape) - 2 not in SPATIAL_RANKS:
        raise ConvConfigError(
            "input", f"must be 3-, 4- or 5-d (batch, channels, *spatial), got shape {input_shape}"
        )
    if len(weight_shape) != len(input_shape):
        raise ConvConfigError(
            "weight", f"must have the same rank as input ({len(input_shape)}), got shape {weight_shape}"
        )
    if input_shape[1] < 1 or any(n < 1 for n in input_shape[2:]):
        raise ConvConfigError("input", f"channel and spatial sizes must be >= 1, got shape {input_shape}")
    if any(n < 1 for n in weight_shape):
        raise ConvConfigError("weight", f"every dimension must be >= 1, got shape {weight_shape}")
    if bias_shape is not None:
        bias_shape = tuple(bias_shape)
    return input_shape, weight_shape, bias_shape


def _check_bias(bias_shape, out_channels: int) -> None:
    if bias_shape is not None and bias_shape != (out_channels,):
        raise ConvConfigError("bias", f"must have shape ({out_channels},) (out_channels), got {bias_shape}")


def same_padding(kernel, dilation) -> tuple:
    """(before, after) per dimension for padding='same' at stride 1; no validation.

    The total is d*(K-1); an odd total puts the extra element at the end, as PyTorch does.
    """
    total = [d * (k - 1) for d, k in zip(dilation, kernel)]
    return tuple(t // 2 for t in total), tuple(t - t // 2 for t in total)


def _padding_amounts(padding, ndim, stride, dilation, kernel) -> tuple:
    if isinstance(padding, str):
        if padding == "valid":
            return (0,) * ndim, (0,) * ndim
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ConvConfigError("padding", f"padding='same' requires stride 1, got stride={stride}")
            return same_padding(kernel, dilation)
        raise ConvConfigError("padding", f"string padding must be 'same' or 'valid', got {padding!r}")
    pad = per_dim("padding", padding, ndim, 0)
    return pad, pad


def check_mode_padding(padding_mode: str, before: int, after: int, n: int, i: int, what: str = "input size") -> None:
    """Reflect mirrors without repeating the edge, so it can reach at most n-1 elements; circular wraps at most once
    (PyTorch's rules for F.pad)."""
    if padding_mode == "reflect" and max(before, after) >= n:
        raise ConvConfigError("padding", f"reflect padding ({before}, {after}) in spatial dim {i} must be < {what} {n}")
    if padding_mode == "circular" and max(before, after) > n:
        raise ConvConfigError("padding", f"circular padding ({before}, {after}) in spatial dim {i} must be <= {what} "
                              f"{n}")


def conv_spec(input_shape, weight_shape, bias_shape=None, stride=1, padding=0, dilation=1, groups=1,
              padding_mode="zeros") -> ConvSpec:
    """Validate a forward convolution; weight is (out_channels, in_channels/groups, *kernel)."""
    input_shape, weight_shape, bias_shape = _shapes(input_shape, weight_shape, bias_shape)
    ndim = len(input_shape) - 2
    groups = _int("groups", groups, 1)
    in_channels, out_channels = input_shape[1], weight_shape[0]
    if in_channels % groups:
        raise ConvConfigError("groups", f"in_channels={in_channels} must be divisible by groups={groups}")
    if out_channels % groups:
        raise ConvConfigError("groups", f"out_channels={out_channels} must be divisible by groups={groups}")
    if weight_shape[1] * groups != in_channels:
        raise ConvConfigError(
            "weight", f"shape {weight_shape} needs weight.shape[1] * groups == in_channels, "
            f"but {weight_shape[1]} * {groups} != {in_channels}"
        )
    _check_bias(bias_shape, out_channels)
    stride = per_dim("stride", stride, ndim, 1)
    dilation = per_dim("dilation", dilation, ndim, 1)
    kernel = weight_shape[2:]
    pad_before, pad_after = _padding_amounts(padding, ndim, stride, dilation, kernel)
    if padding_mode not in PADDING_MODES:
        raise ConvConfigError("padding_mode", f"must be one of {PADDING_MODES}, got {padding_mode!r}")
    size = input_shape[2:]
    for i, (n, b, a) in enumerate(zip(size, pad_before, pad_after)):
        check_mode_padding(padding_mode, b, a, n, i)
    output = []
    for i, (n, b, a, k, s, d) in enumerate(zip(size, pad_before, pad_after, kernel, stride, dilation)):
        span = n + b + a - d * (k - 1) - 1  # padded length minus the dilated kernel extent
        if span < 0:
            raise ConvConfigError(
                "input", f"computed output size < 1 in spatial dim {i}: padded size {n + b + a} is smaller "
                f"than the dilated kernel extent {d * (k - 1) + 1}"
            )
        output.append(span // s + 1)
    return ConvSpec(False, input_shape[0], in_channels, out_channels, groups, size, kernel, stride, dilation,
                    pad_before, pad_after, (0,) * ndim, padding_mode, tuple(output), bias_shape is not None)


def conv_transpose_spec(input_shape, weight_shape, bias_shape=None, stride=1, padding=0, output_padding=0,
                        groups=1, dilation=1) -> ConvSpec:
    """Validate a transposed convolution; weight is (in_channels, out_channels/groups, *kernel)."""
    input_shape, weight_shape, bias_shape = _shapes(input_shape, weight_shape, bias_shape)
    ndim = len(input_shape) - 2
    groups = _int("groups", groups, 1)
    in_channels = input_shape[1]
    if weight_shape[0] != in_channels:
        raise ConvConfigError(
            "weight", f"shape {weight_shape} needs weight.shape[0] == in_channels={in_channels} for conv_transpose"
        )
    if in_channels % groups:
        raise ConvConfigError("groups", f"in_channels={in_channels} must be divisible by groups={groups}")
    out_channels = weight_shape[1] * groups
    _check_bias(bias_shape, out_channels)
    stride = per_dim("stride", stride, ndim, 1)
    dilation = per_dim("dilation", dilation, ndim, 1)
    if isinstance(padding, str):
        raise ConvConfigError("padding", f"string padding {padding!r} is not supported for conv_transpose")
    pad = per_dim("padding", padding, ndim, 0)
    output_padding = per_dim("output_padding", output_padding, ndim, 0)
    for i, (op, s, d) in enumerate(zip(output_padding, stride, dilation)):
        if op >= s and op >= d:
            raise ConvConfigError(
                "output_padding", f"{op} in spatial dim {i} must be smaller than either stride ({s}) or "
                f"dilation ({d})"
            )
    kernel = weight_shape[2:]
    output = []
    for i, (n, p, op, k, s, d) in enumerate(zip(input_shape[2:], pad, output_padding, kernel, stride, dilation)):
        size = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
        if size < 1:
            raise ConvConfigError(
                "padding", f"computed output size {size} < 1 in spatial dim {i}: padding {p} crops more than "
                f"the full transposed size {size + 2 * p}"
            )
        output.append(size)
    # pad_after counts only the cropped padding; output_padding extends the uncropped output
    # at the end, so the uncropped size is output + pad_before + pad_after.
    return ConvSpec(True, input_shape[0], in_channels, out_channels, groups, input_shape[2:], kernel, stride,
                    dilation, pad, pad, output_padding, "zeros", tuple(output), bias_shape is not None)
