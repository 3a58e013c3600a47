"""Backends that sum a convolution's products term by term, in a chosen order and precision.

Each computes the forward convolution as the products of every output element (im2col), then accumulates them
with one policy: the legitimate ones a correct float32 kernel may use (pairwise, reversed, blocked, FMA,
compensated, float64 then one rounding) and faulty ones that keep partial sums narrower than the float32 they
declare (rounded to bfloat16 every 64 terms, to float16 every 8) or round their inputs to TF32 without
declaring it.  The probabilistic tier (conformance.model.bounds.probable_bound) must flag every faulty one on
long reductions and none of the legitimate ones (tests/engine/test_probabilistic_tier.py,
benchmarks/probabilistic_tier.py).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from conformance.backends.protocol import Capabilities, Result
from conformance.model.dtypes import round_to_dtype


def forward_terms(config, x, w):
    """The products of every output element: (N, Cout, *out, K) with K = Cin/groups x taps, zeros padding."""
    g, ndim = config.groups, config.ndim
    cin_g = config.in_channels // g
    cout_g = config.out_channels // g
    pads = [(0, 0), (0, 0)] + [(p, p) for p in config.padding]
    xp = np.pad(x, pads)
    out = config.output_shape[2:]
    taps = list(itertools.product(*[range(k) for k in config.kernel_size]))
    terms = np.empty((x.shape[0], config.out_channels, *out, cin_g * len(taps)))
    for t, tap in enumerate(taps):
        # input positions read by this tap: o * stride + tap * dilation, per spatial dimension
        index = tuple(slice(k * d, k * d + (o - 1) * s + 1, s)
                      for k, d, s, o in zip(tap, config.dilation, config.stride, out))
        patch = xp[(slice(None), slice(None), *index)]  # (N, Cin, *out)
        for group in range(g):
            xs = patch[:, group * cin_g:(group + 1) * cin_g]  # (N, cin_g, *out)
            ws = w[group * cout_g:(group + 1) * cout_g][(slice(None), slice(None), *tap)]  # (cout_g, cin_g)
            prod = xs[:, None] * ws.reshape(cout_g, cin_g, *[1] * ndim)[None]  # (N, cout_g, cin_g, *out)
            terms[:, group * cout_g:(group + 1) * cout_g, ..., t * cin_g:(t + 1) * cin_g] = \
                np.moveaxis(prod, 2, -1)
    return terms


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def tf32(a):
    """Round float32 values to TF32 (10 fraction bits), to nearest even."""
    bits = np.asarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0xFFF + ((bits >> 13) & 1)) & ~np.uint64(0x1FFF)
    return rounded.astype(np.uint32).view(np.float32).astype(np.float64)


def sequential(terms, order=None, every=None, narrow=None):
    """Sum along the last axis in float32, one term at a time (in `order`); every `every` terms the running sum is
    rounded to `narrow` (a faulty accumulator)."""
    acc = np.zeros(terms.shape[:-1])
    for i, k in enumerate(order if order is not None else range(terms.shape[-1])):
        acc = f32(acc + f32(terms[..., k]))  # each product rounded to float32, then the sum
        if every and (i + 1) % every == 0:
            acc = round_to_dtype(acc, narrow)
    return acc


def fma(terms):
    """acc = fl(acc + x*w) with the product exact: one rounding per term (float32 products of float32 data are exact
    in float64)."""
    acc = np.zeros(terms.shape[:-1])
    for k in range(terms.shape[-1]):
        acc = f32(acc + terms[..., k])
    return acc


def pairwise(terms):
    t = f32(terms)
    while t.shape[-1] > 1:
        if t.shape[-1] % 2:
            t = np.concatenate([t, np.zeros(t.shape[:-1] + (1,))], axis=-1)
        t = f32(t[..., 0::2] + t[..., 1::2])
    return t[..., 0]


def blocked(terms, block=16):
    """Blocks summed sequentially, then the block sums (a register-blocked kernel's order)."""
    k = terms.shape[-1]
    partial = np.stack([sequential(terms[..., i:i + block]) for i in range(0, k, block)], axis=-1)
    return sequential(partial)


def kahan(terms):
    acc, comp = np.zeros(terms.shape[:-1]), np.zeros(terms.shape[:-1])
    for k in range(terms.shape[-1]):
        y = f32(f32(terms[..., k]) - comp)
        t = f32(acc + y)
        comp = f32(f32(t - acc) - y)
        acc = t
    return acc


LEGITIMATE = {
    "sequential": sequential,
    "reversed": lambda t: sequential(t, order=range(t.shape[-1] - 1, -1, -1)),
    "pairwise": pairwise,
    "blocked": blocked,
    "fma": fma,
    "kahan": kahan,
    "float64-then-round": lambda t: t.sum(axis=-1),
}
FAULTY = {
    "bfloat16-every-64": lambda t: sequential(t, every=64, narrow="bfloat16"),
    "float16-every-8": lambda t: sequential(t, every=8, narrow="float16"),
}


@dataclass
class Accumulating:
    """float32 forward convolution (zeros padding, no transposed, no gradients) summed by `policy`; with `inputs`
    "tf32", x and w are rounded to TF32 first (undeclared: the declared class is exact-inputs)."""

    policy: str
    inputs: str = "float32"
    name: str = ""
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(
        dtypes=("float32",), accuracy={"float32": "exact-inputs"}, padding_modes=("zeros",), transposed=False,
        gradients=False, nonfinite=False))

    def __post_init__(self):
        self.name = self.name or f"accumulating-{self.policy}" + ("-tf32" if self.inputs == "tf32" else "")

    def forward(self, config, x, weight, bias, dtype):
        if self.inputs == "tf32":
            x, weight = tf32(x), tf32(weight)
        total = {**LEGITIMATE, **FAULTY}[self.policy](forward_terms(config, x, weight))
        if bias is not None:
            total = f32(total + bias.reshape(1, -1, *[1] * config.ndim))
        return Result(total, dtype, f"accumulate:{self.policy}")

    def grads(self, *args):
        raise NotImplementedError("forward only")
