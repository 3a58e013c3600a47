"""Per-element error bounds from a backend's declared arithmetic (no rtol/atol guesses).

Model.  An output element is y = b + sum_{i<K} x_i * w_i.  Computed in floating point
with unit roundoff u_acc, in any order, blocked or pairwise, the standard result
(Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., eq. 3.4-3.5) is

    |fl(y) - y| <= gamma(K+1, u_acc) * m,   gamma(n, u) = n*u / (1 - n*u),
    m = |b| + sum |x_i| * |w_i|             (the oracle's magnitude companion)

K+1 counts the K products and the bias addition.  Then:
  * inputs rounded before multiplying (TF32: 10 fraction bits, u_in = 2**-11) scale each
    product by (1+d1)(1+d2), |d| <= u_in, adding gamma(2, u_in) * m;
  * storing the result in the output dtype adds one rounding, u_out * |y| + eta_out, where
    eta_out is half the output format's smallest subnormal (a float16 result below 2**-25
    rounds to 0: that is correct rounding, not an error of the backend);
  * gradual underflow inside the sum adds at most half the accumulation format's smallest
    subnormal per operation, an absolute (K+1) * eta_acc term.
So, combining the relative factors multiplicatively,

    bound = ((1 + gamma(2, u_in)) * (1 + gamma(K+1, u_acc)) * (1 + u_out) - 1) * m + (K+1) * eta_acc + eta_out

Accuracy classes say which u_in, u_acc, u_out a backend declares:
  exact-inputs    products exact (u_in = 0), accumulation in the accumulation dtype
  tf32            inputs rounded to TF32, float32 accumulation
  storage         accumulation in the storage dtype itself (float16/bfloat16 partial sums)
  transform       FFT / Winograd: transform algorithms are not element-wise accurate (an
                  element's error scales with the norm of the whole tile, not its own m).
                  The class is norm-wise: every element is held to the float32 bound of the
                  largest magnitude in its tensor times TRANSFORM_CONSTANT = 16.  That
                  constant is a declared allowance, not a derived one (Winograd error grows
                  with the norms of its transform matrices; Barabasz et al., 2020): a backend
                  that declares this class accepts a weaker promise, and reports say so.

Products of float16 or bfloat16 values are exact in float32 (11+11 and 8+8 significant
bits <= 24), so "float32 accumulation" of half-precision data is the exact-inputs class.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from conformance.model.dtypes import DTYPES, TF32

ACCURACY_CLASSES = ("exact-inputs", "tf32", "storage", "transform")
TRANSFORM_CONSTANT = 16


def gamma(n, u: float):
    """Higham's gamma_n = n*u / (1 - n*u); valid while n*u < 1."""
    n = np.asarray(n, dtype=np.float64)
    if np.any(n * u >= 1):
        raise ValueError(f"gamma({n.max()}, u={u}) is undefined: n*u >= 1, sums too long for this precision")
    return n * u / (1 - n * u)


@dataclass(frozen=True)
class Arithmetic:
    """How a backend computes for one dtype: input rounding, accumulation, output rounding."""

    accuracy_class: str
    u_in: float
    u_acc: float
    u_out: float
    eta_acc: float  # half the smallest subnormal of the accumulation format
    eta_out: float  # half the smallest subnormal of the output format

    def covers(self, terms: int) -> bool:
        """Whether the a priori bound exists for `terms` products: gamma needs (terms+1)*u_acc < 1.

        Beyond that (e.g. 256 terms accumulated in bfloat16, u = 2**-8) the model promises
        nothing about values: a storage-dtype sum of 256 ones may legitimately stall at 256.
        Such elements are still held to NaN/inf placement and, on exact integer data, to
        exactness where it is owed; reports count them as unbounded.
        """
        return (terms + 1) * self.u_acc < 1 and 2 * self.u_in < 1

    def bound(self, magnitude: np.ndarray, terms: int) -> np.ndarray:
        """Per-element bound |y - y_ref| for sums of `terms` products plus a bias."""
        rel = (1 + gamma(2, self.u_in)) * (1 + gamma(terms + 1, self.u_acc)) * (1 + self.u_out) - 1
        if self.accuracy_class == "transform":
            # norm-wise: every element is held to the bound of the largest magnitude in its tensor
            finite = magnitude[np.isfinite(magnitude)]
            magnitude = np.full_like(magnitude, finite.max() if finite.size else 0.0) * TRANSFORM_CONSTANT
        return rel * magnitude + (terms + 1) * self.eta_acc + self.eta_out


# ---------------------------------------------------------------- the probabilistic tier
#
# The worst-case bound grows like K*u: at the reduction lengths of real layers (a ResNet weight gradient sums
# 32 x 56 x 56 ~ 1e5 products) it is looser than a narrower accumulator's own rounding, so a kernel that keeps
# float32 partial sums in bfloat16 would pass it.  Higham & Mary (SIAM J. Sci. Comput. 41(5), 2019, "A new
# approach to probabilistic rounding error analysis", Theorem 3.1) model the rounding errors delta_k of the
# sum as mean independent random variables with |delta_k| <= u (what round-to-nearest gives on data without
# structure, in any summation order: pairwise, blocked, FMA and compensated sums included).  Then for any
# lambda > 0 a product of n factors (1 + delta_k) is 1 + theta with
#
#     |theta| <= gamma_tilde(n, lambda, u) = exp(lambda * sqrt(n) * u + n * u**2 / (1 - u)) - 1
#
# with probability at least 1 - 2 exp(-lambda**2 (1 - u)**2 / 2); a sum of n terms carries n such products
# (one per term), so by a union bound its error |fl(y) - y| <= gamma_tilde(n, lambda, u) * m fails with
# probability at most 2 n exp(-lambda**2 (1 - u)**2 / 2), m = sum |terms| as for the worst case.  A run judges
# at most MAX_ELEMENTS elements; a union over them keeps the whole run's false-alarm probability below
# FALSE_ALARM when
#
#     2 n MAX_ELEMENTS exp(-lambda**2 (1 - u)**2 / 2) <= FALSE_ALARM
#     lambda = sqrt(2 ln(2 n MAX_ELEMENTS / FALSE_ALARM)) / (1 - u)          (about 10 for n = 1e5)
#
# so gamma_tilde ~ 10 sqrt(n) u: 30x tighter than n u at n = 1e5.  Input rounding (TF32: 2 roundings per
# product) keeps its worst-case gamma(2, u_in); the output rounding is owed on the result, u_out |y| + eta_out,
# not on m; the subnormal terms stay as in the worst case.  The tier applies where its model does: random
# data (conformance.generate.data: standard normal), a class that declares element-wise accumulation
# (exact-inputs, tf32, storage), and only where it is tighter than the worst case (n > ~lambda**2).
FALSE_ALARM = 1e-6
MAX_ELEMENTS = 10**10  # a thorough certification of a four-dtype backend judges well under 1e9 elements
PROBABILISTIC_CLASSES = ("exact-inputs", "tf32", "storage")


def probabilistic_lambda(terms: int, u: float) -> float:
    """lambda keeping a run's false alarms below FALSE_ALARM for sums of `terms` terms (derivation above)."""
    return float(np.sqrt(2 * np.log(2 * terms * MAX_ELEMENTS / FALSE_ALARM)) / (1 - u))


def gamma_tilde(n: int, lam: float, u: float) -> float:
    """Higham & Mary's probabilistic gamma: exp(lambda sqrt(n) u + n u^2 / (1 - u)) - 1."""
    return float(np.expm1(lam * np.sqrt(n) * u + n * u * u / (1 - u)))


def probable_bound(arith: "Arithmetic", magnitude: np.ndarray, reference: np.ndarray, terms: int) -> np.ndarray:
    """Per-element error a correct implementation of `arith` exceeds with probability below FALSE_ALARM per run
    (derivation above): ((1 + gamma(2, u_in)) (1 + gamma_tilde) - 1) m (1 + u_out) + u_out |y| + subnormal terms."""
    n = terms + 1
    acc = ((1 + gamma(2, arith.u_in)) * (1 + gamma_tilde(n, probabilistic_lambda(n, arith.u_acc), arith.u_acc)) - 1)
    return (acc * magnitude + n * arith.eta_acc) * (1 + arith.u_out) + arith.u_out * np.abs(reference) + \
        arith.eta_out


def effective_bits(error: np.ndarray, magnitude: np.ndarray, terms: int, u_declared: float) -> float:
    """The accumulation precision (bits: -log2 u) that the largest of these errors implies under the probabilistic
    model: the u for which error = lambda sqrt(n) u m at the worst element (the declared lambda)."""
    n = terms + 1
    scale = probabilistic_lambda(n, u_declared) * np.sqrt(n) * magnitude
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.max(np.where(scale > 0, error / scale, 0.0)) if error.size else 0.0
    return float(-np.log2(u)) if u > 0 else float("inf")


def arithmetic(dtype: str, accuracy_class: str = "exact-inputs", scale: int = 0) -> Arithmetic:
    """The Arithmetic a backend declares for `dtype` under `accuracy_class`.

    scale: the comparison frame (conformance.judge.verdict): the absolute subnormal terms are for
    values times 2**-scale.
    """
    if dtype not in DTYPES:
        raise ValueError(f"dtype={dtype!r} must be one of {tuple(DTYPES)}")
    if accuracy_class not in ACCURACY_CLASSES:
        raise ValueError(f"accuracy_class={accuracy_class!r} must be one of {ACCURACY_CLASSES}")
    out, acc = DTYPES[dtype], accumulation_format(dtype, accuracy_class)
    u_in = TF32.unit_roundoff if accuracy_class == "tf32" and dtype == "float32" else 0.0
    return Arithmetic(accuracy_class, u_in, acc.unit_roundoff, out.unit_roundoff, half_subnormal(acc, scale),
                      half_subnormal(out, scale))


def accumulation_format(dtype: str, accuracy_class: str):
    """The format partial sums are held in: half-precision data accumulates in float32 unless the
    class is `storage` (partial sums in the storage dtype itself)."""
    if dtype in ("float16", "bfloat16") and accuracy_class != "storage":
        return DTYPES["float32"]
    return DTYPES[dtype]


def half_subnormal(fmt, scale: int = 0) -> float:
    """Half the smallest subnormal of `fmt`, times 2**-scale: the largest error of one rounding in the
    subnormal range.  float64 cannot hold half of its own smallest subnormal (2**-1075 rounds to 0):
    there the smallest subnormal itself stands in, a bound twice as wide at that scale."""
    exponent = int(np.log2(fmt.smallest_subnormal))
    return float(np.ldexp(1.0, exponent - 1 - scale)) or float(np.ldexp(1.0, exponent - scale))


def ulps(a: np.ndarray, b: np.ndarray, dtype: str) -> np.ndarray:
    """|a - b| in units in the last place of `dtype` at b's magnitude (subnormal spacing floor)."""
    fmt = DTYPES[dtype]
    with np.errstate(divide="ignore", invalid="ignore"):
        exponent = np.floor(np.log2(np.maximum(np.abs(b), np.finfo(np.float64).tiny)))
        spacing = np.maximum(np.exp2(exponent - fmt.mantissa_bits), fmt.smallest_subnormal)
        with np.errstate(over="ignore"):  # a huge error over a subnormal spacing is +inf ulps
            return np.abs(a - b) / spacing
