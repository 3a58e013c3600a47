"""Tensor data of each kind, reproducible from a seed: what the backend and the oracle both receive.

Every value is exactly representable in the requested dtype and travels as float64, so
the oracle sees exactly what the backend received.  Kinds:

  integer       small integers, sized so every partial sum is exact: bit-exactness is owed
  random        standard normal, rounded to the dtype
  adversarial   mixed magnitudes, signed zeros, subnormals, cancellation pairs; NaN/inf inputs
  nonfinite     NaN and +-inf in the input, the weight and the bias, beside signed zeros
  overflow      magnitudes near sqrt(max finite): products and partial sums pass the dtype's
                largest finite value, so exact results round to +-inf (conformance.judge.verdict
                says what each accumulation may then return)
  cancellation  large values in pairs whose products cancel exactly (channel or tap pairs)
  subnormal     every product x*w below the smallest normal of the format it is summed in

A reproducer needs only (config, dtype, kind, seed).
"""

from __future__ import annotations

import numpy as np

from conformance.model.config import ConvConfig
from conformance.model.dtypes import DTYPES, round_to_dtype

DATA_KINDS = ("integer", "random", "adversarial", "nonfinite", "overflow", "cancellation", "subnormal")
NONFINITE_KINDS = ("adversarial", "nonfinite")  # the kinds that put NaN/inf in the data

# overflow: factors 2**(E + r), r in [-4, 1], with E = floor(log2(max finite) / 2), so products reach
# 2**(2E + 2) > max finite; a bias (a sum-sized value) gets 2**(2E + r)
OVERFLOW_EXPONENT = {"float64": 511, "float32": 63, "bfloat16": 63, "float16": 7}
# subnormal: factor exponents whose products (sum e_x + e_w) lie in the subnormal range of the
# format the products are summed in (float32 for half types under exact-inputs; float16's own
# range for float16, whose products are normal in float32, so that its output and storage-class
# sums are subnormal); a bias gets an exponent of that range itself
SUBNORMAL_FACTOR = {"float64": (-535, -515), "float32": (-74, -64), "bfloat16": (-74, -64), "float16": (-12, -7)}
SUBNORMAL_SUM = {"float64": (-1070, -1030), "float32": (-148, -127), "bfloat16": (-133, -127), "float16": (-24, -15)}
# float64 data of these kinds leave the float64 oracle's exact range (products past 2**1024, or
# subnormal in float64 itself): the oracle runs on data scaled by 2**-e per factor (exact, a power
# of two) and the verdict compares in that frame (conformance.judge.verdict.check, `scale`)
FRAME = {("float64", "overflow"): 511, ("float64", "subnormal"): -525}


def frame(dtype: str, kind: str) -> int:
    """The power-of-two exponent by which each factor is scaled down before the oracle sees it."""
    return FRAME.get((dtype, kind), 0)


def _signs(rng, shape):
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0)


def _zeros(rng, a, share=0.1):
    """A share of signed zeros: they meet infinities (0 * inf) and take part in sign rules."""
    pick = rng.random(a.shape)
    a[pick < share / 2] = 0.0
    a[(pick >= share / 2) & (pick < share)] = -0.0
    return a


def draw_array(shape, dtype: str, kind: str, seed: int, *, nonfinite: bool = False, integer_limit: int = 4,
               role: str = "factor") -> np.ndarray:
    """An array of values exactly representable in `dtype`, as float64 numpy (an exact upcast).

    role "factor" (input, weight, grad_output) or "sum" (a bias: sized like a product).
    `nonfinite` adds NaN/inf for the adversarial kind (the nonfinite kind always has them).
    """
    # Hypothesis's error for bad strategy arguments, imported only to raise it: the findings (and so every reduced
    # reproducer, run as `python -m conformance.findings.reproducers.<key>`) import this module for its constants
    from hypothesis.errors import InvalidArgument

    if dtype not in DTYPES:
        raise InvalidArgument(f"dtype={dtype!r} must be one of {tuple(DTYPES)}")
    if kind not in DATA_KINDS:
        raise InvalidArgument(f"kind={kind!r} must be one of {DATA_KINDS}")
    if role not in ("factor", "sum"):
        raise InvalidArgument(f"role={role!r} must be 'factor' or 'sum'")
    rng = np.random.default_rng(seed)
    info = DTYPES[dtype]
    if kind == "integer":
        return rng.integers(-integer_limit, integer_limit + 1, size=shape).astype(np.float64)
    if kind in ("random", "nonfinite"):
        a = rng.standard_normal(shape)
        if kind == "nonfinite":
            _zeros(rng, a)
            _nonfinite(rng, a, 3 if role == "sum" else 1)
        return round_to_dtype(a, dtype)
    if kind == "overflow":
        e = OVERFLOW_EXPONENT[dtype] * (2 if role == "sum" else 1)
        a = _signs(rng, shape) * (1 + rng.random(shape)) * np.exp2(e + rng.integers(-4, 2, size=shape))
        # 2**(2E+1) * (1 + f) may pass the largest finite value itself: clip below it
        return round_to_dtype(np.clip(_zeros(rng, a), -info.max_finite, info.max_finite), dtype)
    if kind == "subnormal":
        lo, hi = (SUBNORMAL_SUM if role == "sum" else SUBNORMAL_FACTOR)[dtype]
        a = _signs(rng, shape) * (1 + rng.random(shape)) * np.exp2(rng.integers(lo, hi + 1, size=shape))
        return round_to_dtype(_zeros(rng, a), dtype)
    if kind == "cancellation":
        # large factors (the pairing that cancels them is structural: draw_inputs); a small bias
        scale = 1.0 if role == "sum" else np.exp2(min(info.adversarial_exponent, 2 * info.mantissa_bits))
        return round_to_dtype(rng.standard_normal(shape) * scale, dtype)
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
        _nonfinite(rng, flat)
    return round_to_dtype(a, dtype)


def _nonfinite(rng, a, weight: int = 1) -> None:
    for value, share in ((np.nan, 0.02), (np.inf, 0.01), (-np.inf, 0.01)):
        a[rng.random(a.shape) < share * weight] = value


def integer_limit(dtype: str, terms: int) -> int:
    """Largest r <= 4 with r*r*(terms+1) <= 2**(mantissa+1): sums of products of integers in [-r, r]
    (plus a bias) are then exact in `dtype` (at least 1, where exactness is then checked per case)."""
    span = 2.0 ** (DTYPES[dtype].mantissa_bits + 1)
    return max(1, min(4, int((span / (terms + 1)) ** 0.5)))


def draw_inputs(config: ConvConfig, dtype: str, kind: str, seed: int, *, nonfinite: bool = False):
    """(x, weight, bias) for `config`, reproducible from `seed`; bias is None when config.bias is False.

    NaN/inf: the adversarial kind puts them in the input only, where `nonfinite` (the backend
    declares IEEE semantics for them): there IEEE fixes the result (a NaN input reaches every
    output that reads it, even through a zero weight).  The nonfinite kind puts them in the
    weight and bias too; a non-finite weight on a tap that reads zero padding (or a transposed
    convolution's zero-inserted positions) is implementation-defined, and the verdict exempts
    exactly those outputs (checks.nonfinite_weight_exempt); for gradients, the grad_input elements where
    one meets a grad_output position that does not exist (checks.nonfinite_weight_exempt_grad_input).
    """
    limit = integer_limit(dtype, config.spec().terms_per_output)
    x = draw_array(config.input_shape, dtype, kind, seed, nonfinite=nonfinite, integer_limit=limit)
    w = draw_array(config.weight_shape, dtype, kind, seed + 1, integer_limit=limit)
    b = draw_array(config.bias_shape, dtype, kind, seed + 2, integer_limit=limit, role="sum") \
        if config.bias else None
    if kind == "cancellation":
        _pair(config, x, w)
    return x, w, b


def _pair(config: ConvConfig, x: np.ndarray, w: np.ndarray) -> None:
    """Make products cancel exactly in pairs: channel 2j+1 of each group holds -x and the same weights
    as channel 2j; with one input channel per group, taps 2m and 2m+1 of the last kernel axis share a
    weight and read inputs d apart whose sign flips every d positions (forward only)."""
    groups = config.groups
    in_pg = config.in_channels // groups
    if in_pg >= 2:
        for g in range(groups):
            for j in range(in_pg // 2):
                even, odd = g * in_pg + 2 * j, g * in_pg + 2 * j + 1
                x[:, odd] = -x[:, even]
                if config.transposed:  # weight (in_channels, out/groups, *k)
                    w[odd] = w[even]
                else:  # weight (out_channels, in/groups, *k)
                    w[:, 2 * j + 1] = w[:, 2 * j]
        return
    k, d = config.kernel_size[-1], config.dilation[-1]
    if config.transposed or k < 2:
        return
    w[..., 1:2 * (k // 2):2] = w[..., 0:2 * (k // 2):2]
    magnitude = np.abs(x[..., :1])  # one magnitude per row of the last axis
    sign = np.where((np.arange(x.shape[-1]) // d) % 2 == 0, 1.0, -1.0)
    x[...] = magnitude * sign
