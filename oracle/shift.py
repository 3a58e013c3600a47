"""Default oracle: shift-and-accumulate, one loop over kernel taps, numpy for the rest.

For a fixed tap k the forward sum of naive.py becomes, over all output positions at once,

    y[n, g, oc, :] += w[g, oc, :, k] @ xpad[n, g, :, k*d : k*d + s*(out-1) + 1 : s]

i.e. one strided window of the padded input times one (Cout/G x Cin/G) weight slice
per group.  Arrays are kept group-major, (G, C/G, N, *spatial), so that each tap is
a single batched matrix product (G, Co, Ci) @ (G, Ci, N*P) with few, large GEMMs.
The transpose scatters the same products into the uncropped output; the gradients
are the same loop with one factor replaced by grad_output.
"""

from __future__ import annotations

from itertools import product

import numpy as np

from .padding import pad, unpad_adjoint
from .spec import ConvSpec


def _group_major(a: np.ndarray, groups: int) -> np.ndarray:
    """(N, C, *sp) -> (G, C/G, N, *sp) as a view."""
    n, c = a.shape[:2]
    return np.moveaxis(a.reshape(n, groups, c // groups, *a.shape[2:]), 0, 2)


def _batch_major(a: np.ndarray) -> np.ndarray:
    """(G, C/G, N, *sp) -> (N, C, *sp), contiguous."""
    g, cg, n = a.shape[:3]
    return np.ascontiguousarray(np.moveaxis(a, 2, 0).reshape(n, g * cg, *a.shape[3:]))


def _window(spec: ConvSpec, k, count) -> tuple:
    """Slices of the padded/uncropped frame that tap k touches: start k*d, `count` steps of s."""
    return (Ellipsis,) + tuple(slice(kk * d, kk * d + s * (c - 1) + 1, s)
                               for kk, d, s, c in zip(k, spec.dilation, spec.stride, count))


def _flat(a: np.ndarray) -> np.ndarray:
    """(G, C, N, *sp) -> (G, C, N*P), copying a strided window once."""
    return a.reshape(a.shape[0], a.shape[1], -1)


def _cropped(spec: ConvSpec) -> tuple:
    """Where the transpose's output sits inside its uncropped frame."""
    return (Ellipsis,) + tuple(slice(p, p + o) for p, o in zip(spec.pad_before, spec.output_size))


def _add_bias(y: np.ndarray, b, spec: ConvSpec) -> np.ndarray:
    if b is not None:
        y += b.reshape((-1,) + (1,) * spec.ndim)
    return y


def conv(spec: ConvSpec, x, w, b):
    xp = _group_major(pad(x, spec.pad_before, spec.pad_after, spec.padding_mode, 2), spec.groups)
    wg = w.reshape(spec.groups, spec.out_per_group, spec.in_per_group, -1)  # taps flattened last
    y = np.zeros((spec.groups, spec.out_per_group, spec.batch * np.prod(spec.output_size, dtype=int)),
                 dtype=np.result_type(x, w))
    for t, k in enumerate(product(*map(range, spec.kernel_size))):
        y += wg[..., t] @ _flat(xp[_window(spec, k, spec.output_size)])
    y = y.reshape(spec.groups, spec.out_per_group, spec.batch, *spec.output_size)
    return _add_bias(_batch_major(y), b, spec)


def conv_transpose(spec: ConvSpec, x, w, b):
    xg = _flat(_group_major(x, spec.groups))
    wg = w.reshape(spec.groups, spec.in_per_group, spec.out_per_group, -1)
    full = np.zeros((spec.groups, spec.out_per_group, spec.batch, *spec.padded_size), dtype=np.result_type(x, w))
    shape = (spec.groups, spec.out_per_group, spec.batch, *spec.input_size)
    for t, k in enumerate(product(*map(range, spec.kernel_size))):
        full[_window(spec, k, spec.input_size)] += (wg[..., t].transpose(0, 2, 1) @ xg).reshape(shape)
    return _add_bias(_batch_major(full[_cropped(spec)]), b, spec)


def conv_grads(spec: ConvSpec, x, w, gy):
    xp = _group_major(pad(x, spec.pad_before, spec.pad_after, spec.padding_mode, 2), spec.groups)
    gyg = _flat(_group_major(gy, spec.groups))  # (G, Co, N*P)
    wg = w.reshape(spec.groups, spec.out_per_group, spec.in_per_group, -1)
    gxp = np.zeros(xp.shape, dtype=np.result_type(gy, w))
    gw = np.zeros(wg.shape, dtype=np.result_type(gy, x))
    shape = (spec.groups, spec.in_per_group, spec.batch, *spec.output_size)
    for t, k in enumerate(product(*map(range, spec.kernel_size))):
        window = _window(spec, k, spec.output_size)
        gw[..., t] = gyg @ _flat(xp[window]).transpose(0, 2, 1)
        gxp[window] += (wg[..., t].transpose(0, 2, 1) @ gyg).reshape(shape)
    gx = unpad_adjoint(_batch_major(gxp), spec.input_size, spec.pad_before, spec.pad_after, spec.padding_mode, 2)
    return gx, gw.reshape(w.shape), gy.sum(axis=(0, *range(2, gy.ndim)))


def conv_transpose_grads(spec: ConvSpec, x, w, gy):
    gyg = _group_major(gy, spec.groups)
    full = np.zeros((*gyg.shape[:3], *spec.padded_size), dtype=gy.dtype)
    full[_cropped(spec)] = gyg  # the cropped margins and output_padding received no gradient
    xg = _flat(_group_major(x, spec.groups))  # (G, Ci, N*Pin)
    wg = w.reshape(spec.groups, spec.in_per_group, spec.out_per_group, -1)
    gx = np.zeros(xg.shape, dtype=np.result_type(gy, w))
    gw = np.zeros(wg.shape, dtype=np.result_type(gy, x))
    for t, k in enumerate(product(*map(range, spec.kernel_size))):
        window = _flat(full[_window(spec, k, spec.input_size)])  # (G, Co, N*Pin)
        gx += wg[..., t] @ window
        gw[..., t] = xg @ window.transpose(0, 2, 1)
    gx = _batch_major(gx.reshape(spec.groups, spec.in_per_group, spec.batch, *spec.input_size))
    return gx, gw.reshape(w.shape), gy.sum(axis=(0, *range(2, gy.ndim)))
