"""The definition itself: scalar loops over every output element and every kernel tap.

Forward convolution (PyTorch's cross-correlation), per spatial multi-index o:

    y[n, oc, o] = b[oc] + sum_{c < Cin/G} sum_{k} xpad[n, g*(Cin/G) + c, o*s + k*d - p] * w[oc, c, k]
    with g = oc // (Cout/G) the group of output channel oc, and xpad the input read
    through the padding mode (padding.source_index), zero outside for mode "zeros".
    Zero padding is part of the sum (0 * w terms), so a NaN or inf weight on a tap that
    reads padding makes the output NaN, as IEEE arithmetic of the literal sum dictates.

Transposed convolution (the adjoint of the above in x), weight shaped (Cin, Cout/G, *k):

    y[n, g*(Cout/G) + c, o] = b[.] + sum_{ic in group g} sum_{k} sum_{i : i*s + k*d - p == o} x[n, ic, i] * w[ic, c, k]

Each function enumerates the (y index, x index, w index) triples of one product in
that sum; forward, transpose and both gradients are then one-line loops over them
(the gradient of a sum of products x*w is the same sum with one factor swapped for
grad_output).  Meant for tiny cases: cost is one Python iteration per product.
"""

from __future__ import annotations

from itertools import product

import numpy as np

from .padding import source_index
from .spec import ConvSpec


def conv_terms(spec: ConvSpec):
    """Yield (y_index, x_index, w_index) for every product of the forward convolution.

    x_index is None for a tap that reads zero padding."""
    ranges = [range(n) for n in spec.output_size]
    taps = [range(k) for k in spec.kernel_size]
    for n, oc in product(range(spec.batch), range(spec.out_channels)):
        g = oc // spec.out_per_group
        for o in product(*ranges):
            for c in range(spec.in_per_group):
                ic = g * spec.in_per_group + c
                for k in product(*taps):
                    src = []
                    for i in range(spec.ndim):
                        pos = o[i] * spec.stride[i] + k[i] * spec.dilation[i] - spec.pad_before[i]
                        src.append(source_index(pos, spec.input_size[i], spec.padding_mode))
                    # None marks a zero-padding position: a 0 * w term with no input element behind it
                    yield (n, oc, *o), (None if None in src else (n, ic, *src)), (oc, c, *k)


def conv_transpose_terms(spec: ConvSpec):
    """Yield (y_index, x_index, w_index) for every product of the transposed convolution."""
    ranges = [range(n) for n in spec.input_size]
    taps = [range(k) for k in spec.kernel_size]
    for n, ic in product(range(spec.batch), range(spec.in_channels)):
        g = ic // spec.in_per_group
        for i in product(*ranges):
            for c in range(spec.out_per_group):
                for k in product(*taps):
                    o = tuple(i[j] * spec.stride[j] + k[j] * spec.dilation[j] - spec.pad_before[j]
                              for j in range(spec.ndim))
                    if all(0 <= o[j] < spec.output_size[j] for j in range(spec.ndim)):
                        yield (n, g * spec.out_per_group + c, *o), (n, ic, *i), (ic, c, *k)


def _terms(spec: ConvSpec):
    return conv_transpose_terms(spec) if spec.transposed else conv_terms(spec)


def forward(spec: ConvSpec, x, w, b):
    """conv or conv_transpose (by spec.transposed), bias added after the sum of products."""
    y = np.zeros(spec.output_shape, dtype=np.result_type(x, w))
    for yi, xi, wi in _terms(spec):
        y[yi] += (0.0 if xi is None else x[xi]) * w[wi]
    if b is not None:
        y += b.reshape((-1,) + (1,) * spec.ndim)
    return y


def grads(spec: ConvSpec, x, w, gy):
    """(grad_input, grad_weight, grad_bias): d<gy, y>/dx and /dw from the same products."""
    gx = np.zeros(x.shape, dtype=np.result_type(gy, w))
    gw = np.zeros(w.shape, dtype=np.result_type(gy, x))
    for yi, xi, wi in _terms(spec):
        if xi is not None:  # a padding zero has no gradient and adds 0 * gy to grad_weight
            gx[xi] += gy[yi] * w[wi]
            gw[wi] += gy[yi] * x[xi]
    gb = gy.sum(axis=(0, *range(2, gy.ndim)))
    return gx, gw, gb
