"""Drop the kernel taps that read only zero padding, so huge dilations and paddings stay cheap.

A dense evaluation pads the input to `n + pad_before + pad_after` per dimension: with
padding='same' and dilation 2**31 that is 2**32 elements per row, although every output
reads at most the input itself.  Along one dimension, tap k of output o reads padded
position q = o*s + k*d - p (p = pad_before); over all outputs o in [0, O) tap k reads
q in [k*d - p, k*d - p + (O-1)*s].  A tap whose interval misses [0, n) reads zero
padding at every output, so each of its products is 0 * w: exactly zero for a finite w,
NaN for an inf or NaN w (the literal IEEE sum the oracle defines).

The kept taps form one run [k_lo, k_hi] (the intervals move right with k).  Keeping only
them is a convolution with kernel K' = k_hi - k_lo + 1 whose window starts at
p' = p - k_lo*d; p' < 0 means the first -p' input elements are read by no kept tap (crop
them), and the trailing padding is whatever keeps the output size O:
n' + p' + a' = (O-1)*s + (K'-1)*d + 1 (a' < 0 crops the end).  Every kept interval
meets [0, n), so the reduced padded frame is at most about 2*(n + (O-1)*s) long.

Only zero padding is reduced: the other modes read real elements everywhere, and their
padding is at most the input size anyway (reflect, circular) or drawn small (replicate).
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple, Optional

import numpy as np

from .spec import ConvSpec


class Reduction(NamedTuple):
    spec: Optional[ConvSpec]  # the reduced forward convolution (same output size); None: no tap reads input
    taps: tuple  # per dimension, the slice of kernel taps kept
    crop: tuple  # per dimension, the slice of input elements any kept tap reads


def reduce_taps(spec: ConvSpec) -> Optional[Reduction]:
    """The reduction of a zero-padded forward `spec`, or None when every tap reaches the input."""
    if spec.transposed or spec.padding_mode != "zeros":
        return None
    taps, crop, pad_before, pad_after, input_size, kernel = [], [], [], [], [], []
    changed = False
    for n, p, k, d, s, o in zip(spec.input_size, spec.pad_before, spec.kernel_size, spec.dilation, spec.stride,
                                spec.output_size):
        # tap j reaches the input iff j*d - p <= n - 1 and j*d - p + (o-1)*s >= 0
        lo = max(0, -((-(p - (o - 1) * s)) // d))  # smallest j with j*d >= p - (o-1)*s (ceil division)
        hi = min(k - 1, (n - 1 + p) // d)  # largest j with j*d <= n - 1 + p
        if lo > hi:  # no tap of this dimension ever reads the input: every product is 0 * w
            empty = (slice(0, 0),) * spec.ndim
            return Reduction(None, empty, empty)
        kept = hi - lo + 1
        before = p - lo * d
        after = (o - 1) * s + (kept - 1) * d + 1 - n - before
        # kept taps read [lo*d - p, hi*d - p + (o-1)*s] = [-before, n + after - 1], which meets [0, n)
        start, stop = max(0, -before), n - max(0, -after)
        changed |= kept != k or start != 0 or stop != n
        taps.append(slice(lo, lo + kept))
        crop.append(slice(start, stop))
        pad_before.append(max(0, before))
        pad_after.append(max(0, after))
        input_size.append(stop - start)
        kernel.append(kept)
    if not changed:
        return None
    reduced = replace(spec, input_size=tuple(input_size), kernel_size=tuple(kernel), pad_before=tuple(pad_before),
                      pad_after=tuple(pad_after))
    return Reduction(reduced, tuple(taps), tuple(crop))


def dropped_nonfinite(spec: ConvSpec, w: np.ndarray, taps: tuple) -> np.ndarray:
    """(out_channels,) mask: channels with a non-finite weight on a dropped tap, whose every output is NaN."""
    dropped = ~np.isfinite(w)
    dropped[(Ellipsis, *taps)] = False
    return dropped.reshape(spec.out_channels, -1).any(axis=1)
