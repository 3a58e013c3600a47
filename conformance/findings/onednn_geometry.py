"""Where oneDNN v3.12's brgemm convolutions go wrong: geometry predicates for their known issues.

Each predicate takes a ConvConfig and describes the *direct* convolution oneDNN runs for it: the
config itself for a forward check, and for a transposed config the convolution behind its
grad_input and grad_weight (input and output sizes swapped, channels swapped).  Padding modes
other than zeros reach oneDNN as F.pad followed by an unpadded convolution; padding='same' with
an odd total as F.pad of the one extra element after the input and the symmetric rest as padding.
Along one axis (input n, kernel k, stride s, dilation d, padding p before, output o), output i's
window covers padded positions i*s - p ... i*s - p + d*(k-1); each output position is classed:

  r  some tap reads an input element
  L  the whole window lies left of the input (before element 0)
  R  the whole window lies right of it (past element n-1)
  S  the window straddles the input but every tap misses it (the dilation jumps over it)

The conditions come from a triage of about 20,000 configurations at 1 and 2 threads on a
Sapphire Rapids Xeon (AMX-BF16, AVX512-FP16) with torch 2.13.0: each predicate is True on every
failing case seen (no false negatives) and as narrow as the configuration can say; what else
decides (oneDNN's blocking by thread count and cache size) no config can express.
"""

from __future__ import annotations

from math import prod
from typing import NamedTuple

from conformance.model.config import ConvConfig


class Direct(NamedTuple):
    """The direct convolution oneDNN runs: per-axis sizes, and channels."""

    n: tuple
    k: tuple
    s: tuple
    d: tuple
    p: tuple
    o: tuple
    in_channels: int
    out_channels: int
    groups: int


def direct(config: ConvConfig) -> Direct:
    spec = config.spec()
    k, s, d = spec.kernel_size, spec.stride, spec.dilation
    if config.transposed:
        # grad_input of a transposed convolution is a direct convolution of the transposed output (size
        # spec.output_size) down to the transposed input: same kernel, stride, dilation and padding
        return Direct(spec.output_size, k, s, d, spec.pad_before, spec.input_size, config.out_channels,
                      config.in_channels, config.groups)
    n, p = spec.input_size, spec.pad_before
    if config.padding_mode != "zeros":  # F.pad, then no padding
        n = tuple(i + b + a for i, b, a in zip(n, spec.pad_before, spec.pad_after))
        p = (0,) * config.ndim
    elif spec.pad_before != spec.pad_after:
        # padding='same' with an odd total: ATen pads only the extra element after the input (F.pad) and hands
        # the symmetric part, pad_before, to the convolution (_convolution_mode)
        n = tuple(i + a - b for i, b, a in zip(n, spec.pad_before, spec.pad_after))
    return Direct(n, k, s, d, p, spec.output_size, config.in_channels, config.out_channels, config.groups)


def classes(n: int, k: int, s: int, d: int, p: int, o: int) -> str:
    """One letter per output position along an axis (module docstring): r, L, R or S."""
    extent = d * (k - 1) + 1
    out = ""
    for i in range(o):
        start = i * s - p
        if any(0 <= start + j * d < n for j in range(k)):
            out += "r"
        else:
            out += "L" if start + extent - 1 < 0 else ("R" if start >= n else "S")
    return out


def amx_bf16_wrong_rows(config: ConvConfig) -> bool:
    """brg_conv_fwd:avx10_1_512_amx (bfloat16) returns wrong output rows.

    A1: output width 1 reached with stride_w >= 2 and a kernel at least 2 wide, at least 2 output
    rows, and every padding oneDNN sees (its computed right/bottom/back padding included) smaller than
    the kernel on that axis: rows after the first of each work block come back wrong.
    A2 (3-d): input depth 1 under a depth kernel >= 2 whose first and last windows overlap the input,
    kernel width >= 2 at dilation 1, at least 3 output positions per plane, and channels per group
    below 16 and odd or with channels * kernel width > 32 (oneDNN's relocated-weights path): whole
    depth planes come back wrong.
    """
    g = direct(config)
    if config.ndim < 2:
        return False
    # oneDNN's right padding: what the last window needs past the input, (o-1)*s + d*(k-1) + 1 - n - p
    pads_small = all(p < k and (o - 1) * s + d * (k - 1) + 1 - n - p < k
                     for n, k, s, d, p, o in zip(g.n, g.k, g.s, g.d, g.p, g.o))
    a1 = pads_small and g.o[-1] == 1 and g.s[-1] >= 2 and g.k[-1] >= 2 and prod(g.o[:-1]) >= 2
    a2 = False
    if config.ndim == 3:
        extent = g.d[0] * (g.k[0] - 1) + 1
        back = (g.o[0] - 1) * g.s[0] + extent - g.n[0] - g.p[0]
        per_group = g.in_channels // g.groups
        relocated = per_group < 16 and (per_group % 2 == 1 or per_group * g.k[2] > 32)
        a2 = (g.n[0] == 1 and g.k[0] >= 2 and g.p[0] < extent and back < extent and relocated and g.k[2] >= 2
              and g.d[2] == 1 and g.o[1] * g.o[2] >= 3)
    return a1 or a2


def amx_bf16_grad_weight_uninitialised(config: ConvConfig) -> bool:
    """brgconv_bwd_w:avx10_1_512_amx (bfloat16), and jit_bf16:avx512_core(_bf16) for channels-last inputs: the
    taps that only ever meet padding get uninitialised values in grad_weight when the width stride exceeds the
    input width (stride_w > input_w, dilation_w 1, kernel_w >= 2, 1 <= padding_w < kernel_w)."""
    g = direct(config)
    return g.s[-1] > g.n[-1] and g.d[-1] == 1 and g.k[-1] >= 2 and 1 <= g.p[-1] < g.k[-1]


def amx_bf16_padding_only_segfault(config: ConvConfig) -> bool:
    """brg_conv_fwd:avx10_1_512_amx (bfloat16) dies on a non-last spatial axis where every window straddles the
    input with no tap on it (all S).  First seen on the depth axis, and on the height axis with padding >= kernel;
    the thorough certification then crashed on 3-d height axes with padding < kernel (padding 1, kernel 2 at
    dilation 3 over a height of 2) and 2-d ones with 8 channels, so any such axis is claimed.  (Small channel
    counts often take other kernels and survive, but a 1 -> 1 channel 3x3x3 case crashed too: the claim does not
    depend on channels.)"""
    g = direct(config)
    if config.ndim < 2:
        return False
    return any(set(classes(g.n[axis], g.k[axis], g.s[axis], g.d[axis], g.p[axis], g.o[axis])) == {"S"}
               for axis in range(config.ndim - 1))


def padding_only_width(config: ConvConfig) -> bool:
    """brg_conv_fwd (any ISA from AVX2) dies when no output along the last axis reads the input, some window
    lies wholly left and some wholly right of it, and the width dilation exceeds the input width."""
    if config.transposed:
        return False
    g = direct(config)
    cls = classes(g.n[-1], g.k[-1], g.s[-1], g.d[-1], g.p[-1], g.o[-1])
    return "r" not in cls and "L" in cls and "R" in cls and g.d[-1] > g.n[-1]


def amx_bf16_transposed_unreached(config: ConvConfig) -> bool:
    """A transposed convolution where, along a non-last spatial axis with stride 1, no input reaches any output
    (every tap lands in the cropped padding: input i's tap j lands on output i*s + j*d - p).  oneDNN's AMX
    backward-data kernel (bfloat16) died on such configs; which of them depends on channels and the width
    kernel too, so this claim is wider than the crash."""
    if not config.transposed or config.ndim < 2:
        return False
    spec = config.spec()
    for axis in range(config.ndim - 1):
        n, k, s, d = spec.input_size[axis], spec.kernel_size[axis], spec.stride[axis], spec.dilation[axis]
        p, o = spec.pad_before[axis], spec.output_size[axis]
        if s == 1 and not any(0 <= i * s + j * d - p < o for i in range(n) for j in range(k)):
            return True
    return False


def bf16_long_kernel(config: ConvConfig) -> bool:
    """jit_bf16 backward weights (bfloat16, 3-d) with a kernel longer than the input, on the direct convolution:
    along the depth axis, dilation 1, 1 <= padding < kernel and 2 or more outputs (a grid of depth 1-6, kernel 1-6,
    stride 1-4, padding 0-6, dilation 1-3: 121 configs claimed, 102 wrong, none outside; the 19 right ones all
    stride >= 2); along the height axis, dilation 1, one output whose window has padding-only taps on both sides
    (height 1-4, kernel 1-5, stride 1-3, padding 0-4: 34 claimed, 20 wrong, none outside; 2-d heights were right)."""
    if config.ndim != 3:
        return False
    g = direct(config)
    depth = g.d[0] == 1 and g.k[0] > g.n[0] and 1 <= g.p[0] < g.k[0] and g.o[0] >= 2
    height = g.d[1] == 1 and g.k[1] > g.n[1] and g.o[1] == 1 and g.p[1] >= 1 and g.k[1] - g.p[1] - g.n[1] >= 1
    return depth or height


def huge_dilation_non_last_axis(config: ConvConfig) -> bool:
    """A dilation of 2**29 - 1 or more on a spatial axis other than the last (where brg_conv_fwd's channels-last
    kernels segfaulted from 536870911 up, with batch >= 2; 536870910 ran)."""
    return any(d >= 2**29 - 1 for d in config.dilation[:-1])


def near_2_32_extent(config: ConvConfig) -> bool:
    """A kernel of at least 3 taps whose dilated span (k-1)*d lies within 4 of 2**32 (2**32-4 .. 2**32-1):
    where oneDNN's float16 convolution divided by zero (k = 2 or a span of 2**32 and above ran)."""
    return any(k >= 3 and 2**32 - 4 <= (k - 1) * d <= 2**32 - 1 for k, d in zip(config.kernel_size, config.dilation))


def avx512_f32_depth_stride(config: ConvConfig) -> bool:
    """jit:avx512_core backward weights (float32, 3-d): an input depth >= 2, a depth stride >= 2 and a depth
    padding >= stride + 1 (of the direct convolution); the batch condition (2 or more, or 1 with groups and a
    channels-last input) is the keys' layout predicate.  A superset: on a grid of depth 1-8, kernel 2-7,
    stride 1-4, padding 0-6 (batch 2, one channel) it claims 133 configs, of which 69 were wrong or crashed and
    none outside it was (with 3 channels and a 2x2 height and width: 73, none outside); batch 1 was always right;
    no simpler rule of these sizes separates the two."""
    if config.ndim != 3:
        return False
    g = direct(config)
    return g.n[0] >= 2 and g.s[0] >= 2 and g.p[0] >= g.s[0] + 1
