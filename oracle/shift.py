"""Default oracle: shift-and-accumulate over kernel taps, numpy for the rest.

For a fixed tap k the forward sum of naive.py becomes, over all output positions at once,

    y[g, oc, n, :] += w[g, oc, :, k] @ xpad[g, :, n, k*d : k*d + s*(out-1) + 1 : s]

i.e. one strided window of the padded input times one (Cout/G x Cin/G) weight slice
per group.  Arrays are kept group-major, (G, C/G, N, *spatial).  A per-tap product has
an inner dimension of only Cin/G, which BLAS runs slowly (depthwise: 1), so taps are
taken in chunks: the chunk's shifted windows are gathered into one buffer and
accumulated with a single (Co x chunk*Ci) @ (chunk*Ci x N*P) product.  Chunks keep the
buffer under MAX_BUFFER elements.  The transpose scatters the same products into the
uncropped output; the gradients are the same loops with one factor replaced by
grad_output.
"""

from __future__ import annotations

from itertools import product

import numpy as np

from .padding import pad, unpad_adjoint
from .spec import ConvSpec


MAX_BUFFER = 2**23  # elements of one gathered chunk (64 MiB of float64)


def _chunks(kernel_size, per_tap: int):
    """Lists of (tap number, tap multi-index), each list's windows fitting in MAX_BUFFER."""
    taps = list(enumerate(product(*map(range, kernel_size))))
    size = max(1, MAX_BUFFER // max(per_tap, 1))
    return [taps[i:i + size] for i in range(0, len(taps), size)]


def _gather(a: np.ndarray, spec: ConvSpec, chunk, count) -> np.ndarray:
    """(G, C, chunk*... ) buffer: the windows of `chunk` taps stacked tap-major on axis 1, flattened."""
    g, c = a.shape[:2]
    out = np.empty((g, len(chunk), c, a.shape[2], *count), dtype=a.dtype)
    for j, (_, k) in enumerate(chunk):
        out[:, j] = a[_window(spec, k, count)]
    return out.reshape(g, len(chunk) * c, -1)


def _weights(wg: np.ndarray, chunk) -> np.ndarray:
    """(G, A, B, T) weight -> (G, A, chunk*B), tap-major to match _gather."""
    taps = [t for t, _ in chunk]
    return np.moveaxis(wg[..., taps], 3, 2).reshape(wg.shape[0], wg.shape[1], -1)


def _group_major(a: np.ndarray, groups: int) -> np.ndarray:
    """(N, C, *sp) -> (G, C/G, N, *sp) as a view."""
    n, c = a.shape[:2]
    return np.moveaxis(a.reshape(n, groups, c // groups, *a.shape[2:]), 0, 2)


def _batch_major(a: np.ndarray, bias=None) -> np.ndarray:
    """(G, C/G, N, *sp) -> contiguous (N, C, *sp), adding the bias in the same pass."""
    g, cg, n = a.shape[:3]
    out = np.empty((n, g * cg, *a.shape[3:]), dtype=a.dtype if bias is None else np.result_type(a, bias))
    view = out.reshape(n, g, cg, *a.shape[3:])
    if bias is None:
        view[...] = np.moveaxis(a, 2, 0)
    else:
        np.add(np.moveaxis(a, 2, 0), bias.reshape(g, cg, *(1,) * (a.ndim - 3)), out=view)
    return out


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


def _gather_batch_major(a: np.ndarray, spec: ConvSpec, chunk) -> np.ndarray:
    """(N, G, chunk*C/G, P) buffer of the chunk's windows of the padded (N, G, C/G, *sp) input."""
    n, g, c = a.shape[:3]
    out = np.empty((n, g, len(chunk), c, *spec.output_size), dtype=a.dtype)
    for j, (_, k) in enumerate(chunk):
        out[:, :, j] = a[_window(spec, k, spec.output_size)]
    return out.reshape(n, g, len(chunk) * c, int(np.prod(spec.output_size)))


def conv(spec: ConvSpec, x, w, b):
    # batch-major throughout: (G, Co/G, chunk*Ci/G) @ (N, G, chunk*Ci/G, P) broadcasts to one GEMM
    # per (image, group) whose (N, G, Co/G, P) result already is the (N, Co, *out) output
    xp = pad(x, spec.pad_before, spec.pad_after, spec.padding_mode, 2)
    xp = xp.reshape(spec.batch, spec.groups, spec.in_per_group, *xp.shape[2:])
    wg = w.reshape(spec.groups, spec.out_per_group, spec.in_per_group, -1)  # taps flattened last
    points = spec.batch * int(np.prod(spec.output_size))
    chunks = _chunks(spec.kernel_size, spec.in_channels * points)
    y = _weights(wg, chunks[0]) @ _gather_batch_major(xp, spec, chunks[0])  # no zeros-then-add pass
    for chunk in chunks[1:]:
        y += _weights(wg, chunk) @ _gather_batch_major(xp, spec, chunk)
    y = y.reshape(spec.batch, spec.out_channels, *spec.output_size)
    if b is not None:
        y = y + b.reshape(-1, *(1,) * spec.ndim) if np.result_type(y, b) != y.dtype else \
            np.add(y, b.reshape(-1, *(1,) * spec.ndim), out=y)
    return y


def _scatter(full: np.ndarray, parts: np.ndarray, spec: ConvSpec, chunk, count) -> None:
    """Add each tap's (G, C, N*P) slab of `parts` (tap-major on axis 1) into its window of `full`."""
    parts = parts.reshape(full.shape[0], len(chunk), full.shape[1], full.shape[2], *count)
    for j, (_, k) in enumerate(chunk):
        full[_window(spec, k, count)] += parts[:, j]


def conv_transpose(spec: ConvSpec, x, w, b):
    xg = _flat(_group_major(x, spec.groups))
    wg = w.reshape(spec.groups, spec.in_per_group, spec.out_per_group, -1)
    full = np.zeros((spec.groups, spec.out_per_group, spec.batch, *spec.padded_size), dtype=np.result_type(x, w))
    for chunk in _chunks(spec.kernel_size, spec.out_channels * xg.shape[2]):
        # (G, chunk*Co, Ci) @ (G, Ci, N*Pin): every tap's contribution, then one scatter per tap
        _scatter(full, _weights(wg, chunk).transpose(0, 2, 1) @ xg, spec, chunk, spec.input_size)
    return _batch_major(full[_cropped(spec)], b)


def conv_grads(spec: ConvSpec, x, w, gy):
    xp = _group_major(pad(x, spec.pad_before, spec.pad_after, spec.padding_mode, 2), spec.groups)
    gyg = _flat(_group_major(gy, spec.groups))  # (G, Co, N*P)
    wg = w.reshape(spec.groups, spec.out_per_group, spec.in_per_group, -1)
    gxp = np.zeros(xp.shape, dtype=np.result_type(gy, w))
    gw = np.zeros(wg.shape, dtype=np.result_type(gy, x))
    for chunk in _chunks(spec.kernel_size, spec.in_channels * gyg.shape[2]):
        taps = [t for t, _ in chunk]
        cols = _gather(xp, spec, chunk, spec.output_size)  # (G, chunk*Ci, N*P)
        gw[..., taps] = np.moveaxis((gyg @ cols.transpose(0, 2, 1)).reshape(*wg.shape[:2], len(chunk), -1), 2, 3)
        _scatter(gxp, _weights(wg, chunk).transpose(0, 2, 1) @ gyg, spec, chunk, spec.output_size)
    gx = unpad_adjoint(_batch_major(gxp), spec.input_size, spec.pad_before, spec.pad_after, spec.padding_mode, 2)
    return gx, gw.reshape(w.shape), gy.sum(axis=(0, *range(2, gy.ndim)))


def _surviving(spec: ConvSpec, k) -> np.ndarray:
    """Mask over flattened (N, *input) positions i whose tap-k output o = i*s + k*d - p is not cropped."""
    axes = [(0 <= (o := np.arange(n) * s + kk * d - p)) & (o < out)
            for n, s, kk, d, p, out in zip(spec.input_size, spec.stride, k, spec.dilation, spec.pad_before,
                                           spec.output_size)]
    mask = np.ones((), dtype=bool)
    for a in axes:
        mask = np.multiply.outer(mask, a)
    return np.broadcast_to(mask, (spec.batch, *spec.input_size)).reshape(-1)


def conv_transpose_grads(spec: ConvSpec, x, w, gy):
    gyg = _group_major(gy, spec.groups)
    full = np.zeros((*gyg.shape[:3], *spec.padded_size), dtype=gy.dtype)
    full[_cropped(spec)] = gyg  # the cropped margins and output_padding received no gradient
    xg = _flat(_group_major(x, spec.groups))  # (G, Ci, N*Pin)
    wg = w.reshape(spec.groups, spec.in_per_group, spec.out_per_group, -1)
    gx = np.zeros(xg.shape, dtype=np.result_type(gy, w))
    gw = np.zeros(wg.shape, dtype=np.result_type(gy, x))
    finite = bool(np.isfinite(x).all())
    for chunk in _chunks(spec.kernel_size, spec.out_channels * xg.shape[2]):
        taps = [t for t, _ in chunk]
        windows = _gather(full, spec, chunk, spec.input_size)  # (G, chunk*Co, N*Pin)
        gx += _weights(wg, chunk) @ windows
        if finite:  # products with the cropped margins are exact zeros: one GEMM for the chunk
            gw[..., taps] = np.moveaxis((xg @ windows.transpose(0, 2, 1)).reshape(*wg.shape[:2], len(chunk), -1), 2, 3)
            continue
        # a NaN/inf input times a cropped-away margin is a term of no output: leave it out per tap
        for j, (t, k) in enumerate(chunk):
            window = windows.reshape(spec.groups, len(chunk), spec.out_per_group, -1)[:, j]
            gw[..., t] = np.where(_surviving(spec, k), xg, 0.0) @ window.transpose(0, 2, 1)
    gx = _batch_major(gx.reshape(spec.groups, spec.in_per_group, spec.batch, *spec.input_size))
    return gx, gw.reshape(w.shape), gy.sum(axis=(0, *range(2, gy.ndim)))
