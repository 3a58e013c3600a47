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

from conformance.backends.protocol import Capabilities, GradResult, Result
from conformance.model.dtypes import round_to_dtype


def patches(a, kernel, stride, dilation, pad_before, out_size):
    """(N, C, *out, taps): a[n, c, o*s + k*d - p] for every output position o and tap k, zero outside `a` (zero
    padding, a transposed convolution's missing positions, a gradient's cropped ones)."""
    nd = len(kernel)
    # the window of output o reads o*s + k*d - p: from -p (o = k = 0) to (out-1)*s + (K-1)*d - p
    lo = [p for p in pad_before]
    hi = [max(0, (o - 1) * s + (k - 1) * d - p - (n - 1)) for o, k, d, s, p, n in
          zip(out_size, kernel, dilation, stride, pad_before, a.shape[2:])]
    shift = [max(0, -p) for p in pad_before]  # negative padding: a crop, read from further in
    ap = np.pad(a, [(0, 0), (0, 0)] + [(max(0, b), h) for b, h in zip(lo, hi)])
    taps = list(itertools.product(*[range(k) for k in kernel]))
    out = np.empty(a.shape[:2] + tuple(out_size) + (len(taps),))
    for t, tap in enumerate(taps):
        index = tuple(slice(c + k * d, c + k * d + (o - 1) * s + 1, s)
                      for c, k, d, s, o in zip(shift, tap, dilation, stride, out_size))
        out[..., t] = ap[(slice(None), slice(None), *index)]
    assert out.shape[2:2 + nd] == tuple(out_size)
    return out


def _conv(a, w, groups, stride, dilation, pad_before, out_size):
    """(N, Cout, *out, Cin/G * taps): the products of a forward convolution of `a` with `w` (Cout, Cin/G, *k)."""
    p = patches(a, w.shape[2:], stride, dilation, pad_before, out_size)  # (N, Cin, *out, taps)
    n, cin = a.shape[:2]
    cout, cin_g, nd = w.shape[0], w.shape[1], len(out_size)
    cout_g = cout // groups
    terms = np.empty((n, cout, *out_size, cin_g * p.shape[-1]))
    for g in range(groups):
        xs = p[:, g * cin_g:(g + 1) * cin_g]  # (N, cin_g, *out, taps)
        ws = w[g * cout_g:(g + 1) * cout_g].reshape(cout_g, cin_g, -1)  # (cout_g, cin_g, taps)
        prod = xs[:, None] * ws.reshape(cout_g, cin_g, *[1] * nd, -1)[None]  # (N, cout_g, cin_g, *out, taps)
        terms[:, g * cout_g:(g + 1) * cout_g] = np.moveaxis(prod, 2, -2).reshape(n, cout_g, *out_size, -1)
    return terms


def _transpose(a, w, groups, stride, dilation, pad_before, out_size):
    """The products of a transposed convolution of `a` with `w` (Cin, Cout/G, *k), as a stride-1 convolution of
    `a` with zeros inserted between its elements (output o takes tap k from input i where i*s + k*d - p = o; with
    the zero-inserted j = i*s and the flipped tap k' = K-1-k, j = o + k'*d - ((K-1)*d - p)).  The inserted
    zeros are terms too: they change no sum."""
    nd = len(out_size)
    spread = np.zeros(a.shape[:2] + tuple((n - 1) * s + 1 for n, s in zip(a.shape[2:], stride)))
    spread[(slice(None), slice(None), *[slice(None, None, s) for s in stride])] = a
    cin, cout_g = w.shape[:2]
    cin_g = cin // groups
    flipped = np.flip(w, axis=tuple(range(2, 2 + nd)))
    # as a convolution weight (Cout, Cin/G, *k): output channel g*cout_g + c takes input ic of group g
    conv_w = flipped.reshape(groups, cin_g, cout_g, *w.shape[2:]).swapaxes(1, 2).reshape(groups * cout_g, cin_g,
                                                                                         *w.shape[2:])
    pads = [(k - 1) * d - p for k, d, p in zip(w.shape[2:], dilation, pad_before)]
    return _conv(spread, conv_w, groups, (1,) * nd, dilation, pads, out_size)


def direction_terms(config, direction, x, w, gy=None):
    """The products summed into each element of `direction` (forward, grad_input, grad_weight, grad_bias) of a
    zeros-padded config, plain or transposed, as (*element shape, terms)."""
    s, d, p = config.stride, config.dilation, config.spec().pad_before
    g = config.groups
    if direction == "forward":
        fn = _transpose if config.transposed else _conv
        return fn(x, w, g, s, d, p, config.output_shape[2:])
    if direction == "grad_input":  # the adjoint in x: a conv's is a transposed conv of gy, and the reverse
        fn = _conv if config.transposed else _transpose
        return fn(gy, w, g, s, d, p, config.input_size)
    if direction == "grad_bias":  # (Cout, N * out positions)
        return np.moveaxis(gy, 1, 0).reshape(gy.shape[1], -1)
    # grad_weight: one product per (image, position) for each weight element
    if config.transposed:  # gw[ic, c, k] = sum over n, i of x[n, ic, i] * gy[n, g*cout_g + c, i*s + k*d - p]
        q = patches(gy, config.kernel_size, s, d, p, config.input_size)  # (N, Cout, *in, taps)
        cin_g, cout_g = config.in_channels // g, config.out_channels // g
        q = q.reshape(q.shape[0], g, 1, cout_g, *q.shape[2:])  # (N, G, 1, cout_g, *in, taps)
        xs = x.reshape(x.shape[0], g, cin_g, 1, *x.shape[2:], 1)  # (N, G, cin_g, 1, *in, 1)
        prod = (xs * q).reshape(x.shape[0], config.in_channels, cout_g, -1, q.shape[-1])  # (N, Cin, cout_g, pos, taps)
        return np.moveaxis(prod, (0, 3), (-2, -1)).reshape(config.in_channels, cout_g, *config.kernel_size, -1)
    # plain: gw[oc, c, k] = sum over n, o of xpad[n, g*cin_g + c, o*s + k*d - p] * gy[n, oc, o]
    q = patches(x, config.kernel_size, s, d, p, config.output_shape[2:])  # (N, Cin, *out, taps)
    cin_g, cout_g = config.in_channels // g, config.out_channels // g
    q = q.reshape(q.shape[0], g, 1, cin_g, *q.shape[2:])  # (N, G, 1, cin_g, *out, taps)
    gys = gy.reshape(gy.shape[0], g, cout_g, 1, *gy.shape[2:], 1)
    prod = (gys * q).reshape(x.shape[0], config.out_channels, cin_g, -1, q.shape[-1])  # (N, Cout, cin_g, pos, taps)
    return np.moveaxis(prod, (0, 3), (-2, -1)).reshape(config.out_channels, cin_g, *config.kernel_size, -1)


def forward_terms(config, x, w):
    """The products of every output element: (N, Cout, *out, K), zeros padding (plain configs)."""
    return direction_terms(config, "forward", x, w)


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


DIRECTIONS = ("forward", "transposed", "grad_input", "grad_weight", "grad_bias")


@dataclass
class Accumulating:
    """float32 convolution (zeros padding, plain and transposed, gradients) whose sums of direction `where` (or
    "all") are accumulated by `policy` (the other sums exactly, then rounded once: legitimate); with `inputs`
    "tf32", the factors of those sums are rounded to TF32 first (undeclared: the declared class is exact-inputs)."""

    policy: str
    inputs: str = "float32"
    where: str = "forward"
    name: str = ""
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(
        dtypes=("float32",), accuracy={"float32": "exact-inputs"}, padding_modes=("zeros",), nonfinite=False))

    def __post_init__(self):
        assert self.where in DIRECTIONS + ("all",), self.where
        self.name = self.name or (f"accumulating-{self.policy}" + ("-tf32" if self.inputs == "tf32" else "")
                                  + ("" if self.where == "forward" else f"-in-{self.where}"))

    def _sum(self, config, direction, x, w, gy=None):
        named = "transposed" if direction == "forward" and config.transposed else direction
        if self.where not in (named, "all"):  # exact (the oracle's float64 sum of float32 products), rounded once
            exact = config.oracle_forward()(x, w, None) if direction == "forward" else \
                config.oracle_grads()(x, w, gy)._asdict()[direction] if direction != "grad_bias" else \
                gy.sum(axis=(0, *range(2, gy.ndim)))
            return f32(exact)
        if self.inputs == "tf32":
            x, w, gy = tf32(x), tf32(w), None if gy is None else tf32(gy)
        with np.errstate(invalid="ignore", over="ignore"):  # non-finite and overflow data: IEEE's results
            return {**LEGITIMATE, **FAULTY}[self.policy](direction_terms(config, direction, x, w, gy))

    def forward(self, config, x, weight, bias, dtype):
        total = self._sum(config, "forward", x, weight)
        if bias is not None:
            total = f32(total + bias.reshape(1, -1, *[1] * config.ndim))
        return Result(total, dtype, self._path())

    def grads(self, config, x, weight, bias, grad_output, dtype):
        return GradResult(self._sum(config, "grad_input", x, weight, grad_output),
                     self._sum(config, "grad_weight", x, weight, grad_output),
                     self._sum(config, "grad_bias", x, weight, grad_output) if bias is not None else None,
                     dtype, self._path())

    def _path(self) -> str:
        return f"accumulate:{self.policy}" + ("" if self.where == "forward" else f":{self.where}")
