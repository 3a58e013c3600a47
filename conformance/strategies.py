"""Hypothesis strategies: valid convolution configurations and the data fed to them.

`conv_configs()` only generates configurations the oracle accepts: sizes are drawn
after the hyper-parameters they depend on (input size >= what kernel, dilation and
padding need; reflect padding < input size), so nothing is filtered away but the
rare draw over the MAC budget.  Every draw starts from its simplest value, so a
failure shrinks to a small readable config (1-d, batch 1, groups 1, stride 1, ...).

Tensor data is drawn as a seed for numpy's generator: fast for large arrays, and a
reproducer needs only (config, dtype, kind, seed).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import oracle

from .config import ConvConfig, padding_pairs
from .dtypes import DTYPES, round_to_dtype

DATA_KINDS = ("integer", "random", "adversarial")


def _check_range(name: str, value, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgument(f"{name}={value!r} must be an int >= {minimum}")


def _check_subset(name: str, value, allowed) -> tuple:
    value = tuple(value)
    if not value or any(v not in allowed for v in value):
        raise InvalidArgument(f"{name}={value!r} must be a non-empty subset of {tuple(allowed)}")
    return value


def conv_configs(*, ndim=None, transposed=None, padding_modes=oracle.PADDING_MODES, bias=None, max_batch=3,
                 max_groups=4, max_channels_per_group=3, max_kernel=4, max_stride=3, max_dilation=3,
                 max_macs=30_000) -> st.SearchStrategy[ConvConfig]:
    """Valid ConvConfigs; pass ndim=1|2|3, transposed=True|False, ... to narrow the space."""
    ndims = _check_subset("ndim", (1, 2, 3) if ndim is None else (ndim,), (1, 2, 3))
    transposes = _check_subset("transposed", (False, True) if transposed is None else (transposed,), (False, True))
    modes = _check_subset("padding_modes", padding_modes, oracle.PADDING_MODES)
    biases = _check_subset("bias", (True, False) if bias is None else (bias,), (True, False))
    for name, value in [("max_batch", max_batch), ("max_groups", max_groups),
                        ("max_channels_per_group", max_channels_per_group), ("max_kernel", max_kernel),
                        ("max_stride", max_stride), ("max_dilation", max_dilation), ("max_macs", max_macs)]:
        _check_range(name, value, 1)
    limits = dict(max_batch=max_batch, max_groups=max_groups, max_cpg=max_channels_per_group,
                  max_kernel=max_kernel, max_stride=max_stride, max_dilation=max_dilation)
    return _configs(ndims, transposes, modes, biases, limits).filter(lambda c: c.macs <= max_macs)


def _one_or_more(upper: int) -> st.SearchStrategy[int]:
    return st.one_of(st.just(1), st.integers(1, upper))


@st.composite
def _configs(draw, ndims, transposes, modes, biases, limits) -> ConvConfig:
    nd = draw(st.sampled_from(ndims))
    is_transposed = draw(st.sampled_from(transposes))
    # batch 1 and groups 1 half the time: kernel selection often special-cases them (e.g. torch
    # CPU float32 takes SlowDilated3d only for an ungrouped, dilated 3-d conv of a single image)
    batch = draw(_one_or_more(limits["max_batch"]))
    groups = draw(_one_or_more(limits["max_groups"]))
    # independent per-group counts reach depthwise (in=1 per group) and channel multipliers (out>1)
    in_pg = draw(st.integers(1, limits["max_cpg"]))
    out_pg = draw(st.integers(1, limits["max_cpg"]))

    def dims(lo, hi):
        return tuple(draw(st.integers(lo, hi)) for _ in range(nd))

    kernel = dims(1, limits["max_kernel"])
    stride = dims(1, limits["max_stride"])
    dilation = dims(1, limits["max_dilation"])
    if is_transposed:
        padding = dims(0, 2)
        # PyTorch's rule: each output_padding must be smaller than its stride or its dilation
        output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
        # output size (L-1)*s - 2p + d*(K-1) + op + 1 >= 1  <=>  (L-1)*s >= 2p - d*(K-1) - op
        lows = [1 + max(0, -(-(2 * p - d * (k - 1) - op) // s))
                for p, d, k, op, s in zip(padding, dilation, kernel, output_padding, stride)]
        size = tuple(draw(st.integers(lo, lo + 5)) for lo in lows)
        return ConvConfig(nd, batch, groups * in_pg, groups * out_pg, groups,
                          size, kernel, stride, padding, dilation, "zeros", draw(st.sampled_from(biases)), True,
                          output_padding)
    mode = draw(st.sampled_from(modes))
    # explicit ints first so failures shrink to them; "same" and "valid" are the strings torch accepts
    padding_kind = draw(st.sampled_from(("explicit", "valid", "same")))
    padding = dims(0, 3) if padding_kind == "explicit" else padding_kind
    if padding == "same":
        stride = (1,) * nd  # PyTorch rejects 'same' with stride > 1
    before, after = padding_pairs(padding, kernel, dilation)
    lows = []
    for k, d, b, a in zip(kernel, dilation, before, after):
        low = max(1, d * (k - 1) + 1 - b - a)  # the padded input must hold the dilated kernel
        if mode == "reflect":
            low = max(low, max(b, a) + 1)  # reflect padding must be < input size
        elif mode == "circular":
            low = max(low, max(b, a))  # circular padding must be <= input size
        lows.append(low)
    size = tuple(draw(st.integers(lo, lo + 5)) for lo in lows)
    return ConvConfig(nd, batch, groups * in_pg, groups * out_pg, groups, size,
                      kernel, stride, padding, dilation, mode, draw(st.sampled_from(biases)), False, None)


def draw_array(shape, dtype: str, kind: str, seed: int, *, nonfinite: bool = False,
               integer_limit: int = 4) -> np.ndarray:
    """An array of values exactly representable in `dtype`, as float64 numpy (an exact upcast).

    integer: small integers in [-integer_limit, integer_limit] (callers size the limit so sums stay exact)
    random: standard normal, rounded to the dtype
    adversarial: mixed magnitudes (2^-e..2^e, e by dtype range), exact cancellation pairs,
                 signed zeros, subnormals of the dtype, and NaN/inf where `nonfinite`
    """
    if dtype not in DTYPES:
        raise InvalidArgument(f"dtype={dtype!r} must be one of {tuple(DTYPES)}")
    if kind not in DATA_KINDS:
        raise InvalidArgument(f"kind={kind!r} must be one of {DATA_KINDS}")
    rng = np.random.default_rng(seed)
    if kind == "integer":
        return rng.integers(-integer_limit, integer_limit + 1, size=shape).astype(np.float64)
    if kind == "random":
        return round_to_dtype(rng.standard_normal(shape), dtype)
    info = DTYPES[dtype]
    a = rng.standard_normal(shape) * np.exp2(rng.integers(-info.adversarial_exponent, info.adversarial_exponent + 1,
                                                          size=shape))
    flat = a.reshape(-1)
    pick = rng.random(flat.shape)
    flat[pick < 0.08] = 0.0
    flat[(pick >= 0.08) & (pick < 0.14)] = -0.0
    sub = (pick >= 0.14) & (pick < 0.2)
    flat[sub] = rng.integers(-3, 4, size=int(sub.sum())) * info.smallest_subnormal
    if flat.size >= 2:  # a few exact cancellation pairs: v and -v side by side
        i = rng.integers(0, flat.size - 1, size=max(1, flat.size // 10))
        flat[i + 1] = -flat[i]
    if nonfinite:
        for value, share in ((np.nan, 0.02), (np.inf, 0.01), (-np.inf, 0.01)):
            flat[rng.random(flat.shape) < share] = value
    return round_to_dtype(a, dtype)


def seeds() -> st.SearchStrategy[int]:
    return st.integers(0, 2**32 - 1)


def integer_limit(dtype: str, terms: int) -> int:
    """Largest r <= 4 with r*r*(terms+1) <= 2**(mantissa+1): sums of products of integers in [-r, r]
    (plus a bias) are then exact in `dtype` (at least 1, where exactness is then checked per case)."""
    span = 2.0 ** (DTYPES[dtype].mantissa_bits + 1)
    return max(1, min(4, int((span / (terms + 1)) ** 0.5)))


def draw_inputs(config: ConvConfig, dtype: str, kind: str, seed: int, *, nonfinite: bool = False):
    """(x, weight, bias) for `config`, reproducible from `seed`; bias is None when config.bias is False.

    `nonfinite` puts NaN/inf in the input only: there IEEE fixes the result (a NaN input reaches
    every output that reads it, even through a zero weight).  A NaN weight on a tap that reads
    zero padding is implementation-defined in practice (many kernels skip padded taps), so
    weights and bias stay finite.
    """
    limit = integer_limit(dtype, config.spec().terms_per_output)
    x = draw_array(config.input_shape, dtype, kind, seed, nonfinite=nonfinite, integer_limit=limit)
    w = draw_array(config.weight_shape, dtype, kind, seed + 1, integer_limit=limit)
    b = draw_array(config.bias_shape, dtype, kind, seed + 2, integer_limit=limit) if config.bias else None
    return x, w, b
