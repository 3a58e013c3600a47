"""Default oracle: shift-and-accumulate over kernel taps, numpy for the rest.

For a fixed tap k the forward sum of naive.py becomes, over all output positions at once,

    y[n, g, :, o] += w[g, :, :, k] @ xpad[n, g, :, o*s + k*d]

one shifted window of the padded input times one (Cout/G x Cin/G) weight slice per
group.  A per-tap product has an inner dimension of only Cin/G, which BLAS runs slowly
(depthwise: 1), so the windows of many taps are gathered into one buffer and summed by
a single (Co x taps*Ci) @ (taps*Ci x P) product per image and group (_correlate).

Two layout tricks make every gathered window one contiguous copy:
  * phases: split the padded frame by position modulo s (per dimension); then
    xpad[o*s + k*d] = phase[(k*d) % s][o + (k*d) // s], a unit-stride window;
  * wide rows: with the spatial axes flattened, a unit-stride window is one run of
    memory if the output keeps the frame's row length; the extra columns are
    computed from wrapped-around neighbours and cropped.
The transpose runs the same machinery per output phase (each phase of the output
receives a fixed subset of taps); for non-finite weights it scatters the products
instead, forming only those of the definition.  The gradients gather and scatter
strided windows of group-major (G, C/G, N, *spatial) arrays.  Chunks keep buffers
under MAX_BUFFER elements.
"""

from __future__ import annotations

import threading
from itertools import product
from math import prod

import numpy as np

from .padding import pad, unpad_adjoint
from .spec import ConvSpec


MAX_BUFFER = 2**23  # elements of one gathered chunk (64 MiB of float64)
SCRATCH_LIMIT = 2**21  # elements of one reused scratch buffer (16 MiB of float64)


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


def _batch_major(a: np.ndarray) -> np.ndarray:
    """(G, C/G, N, *sp) -> contiguous (N, C, *sp)."""
    g, cg, n = a.shape[:3]
    return np.ascontiguousarray(np.moveaxis(a, 2, 0)).reshape(n, g * cg, *a.shape[3:])


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


_held = threading.local()


def _scratch(role: str, shape, dtype) -> np.ndarray:
    """A per-thread scratch array reused across calls, for intermediates that never leave here.

    A large fresh numpy array is fresh pages from the OS (glibc maps large blocks and unmaps
    them on free), each faulting on first touch: measured here, the same transposed
    convolution ran 2-3x slower in a fresh process than after larger ones had run.  Reuse
    makes the oracle's speed independent of that history.  At most SCRATCH_LIMIT elements
    are kept per role (five roles: at most 80 MiB of float64 per thread).
    """
    size, dtype = prod(shape), np.dtype(dtype)
    if size > SCRATCH_LIMIT:
        return np.empty(shape, dtype)
    held = getattr(_held, role, None)
    if held is None or held.size < size or held.dtype != dtype:
        held = np.empty(size, dtype)
        setattr(_held, role, held)
    return held[:size].reshape(shape)


def _correlate(a: np.ndarray, weights: np.ndarray, phases, offsets, box, bounds=None) -> np.ndarray:
    """Stride-1 correlations with a per-read offset, on rows flattened to one axis.

    a: (N, G, C, PH, *S), PH frames of spatial size S.  Read r takes frame phases[r] shifted
    by offsets[r] (an (R, n) int array) and multiplies it by weights[:, :, r*C:(r+1)*C]
    (weights: (G, Co, R*C)).  The reads bounds[j]:bounds[j+1] sum into output j (default:
    all into one).  box is the output extent M, with M_i + offset_i <= S_i for every read.
    Returns the "wide" (J, N, G, Co, M_1, S_2, ..., S_n), in scratch memory (see _scratch):

        y[j, n, g, :, m] = sum over reads r of segment j of
                           weights[g, :, r*C:(r+1)*C] @ a[n, g, :, phases[r], m + offsets[r]]

    With the spatial axes flattened (row strides R_i = prod(S[i+1:])), m + offset is the flat
    index of m plus sum(offset_i * R_i), so every read is one contiguous run of M_1 * R_1
    elements: no strided window copies.  The price is the columns m_i >= M_i (i >= 2),
    computed from wrapped-around neighbours; the caller crops them.  Only they can run past
    the end of a frame (a real m + offset stays inside S), so that tail is filled with zeros.
    """
    n, g, c, frames = a.shape[:4]
    co, size, total = weights.shape[1], a.shape[4:], len(phases)
    length = prod(size)
    wide = box[0] * (length // size[0])
    flat = a.reshape(n, g, c, frames, length)
    bounds = [0, total] if bounds is None else list(bounds)
    strides = np.asarray([prod(size[i + 1:]) for i in range(len(size))], dtype=np.intp)
    starts = (np.asarray(offsets, dtype=np.intp).reshape(total, len(size)) @ strides).tolist()
    y = _scratch("wide", (len(bounds) - 1, n, g, co, wide), np.result_type(a, weights))
    started = [False] * (len(bounds) - 1)
    step = max(1, MAX_BUFFER // max(n * g * c * wide, 1))
    for lo in range(0, total, step):  # chunks of reads whose gathered runs fit in MAX_BUFFER
        hi = min(lo + step, total)
        buf = _scratch("reads", (n, g, hi - lo, c, wide), a.dtype)
        for j in range(hi - lo):
            first = starts[lo + j]
            count = min(wide, length - first)
            buf[:, :, j, :, :count] = flat[:, :, :, phases[lo + j], first:first + count]
            if count < wide:
                buf[:, :, j, :, count:] = 0  # read only by wide columns (see docstring)
        for seg in range(len(bounds) - 1):
            r0, r1 = max(bounds[seg], lo), min(bounds[seg + 1], hi)
            if r0 >= r1:
                continue
            operands = weights[:, :, r0 * c:r1 * c], buf[:, :, r0 - lo:r1 - lo].reshape(n, g, (r1 - r0) * c, wide)
            if started[seg]:
                y[seg] += np.matmul(*operands)
            else:
                np.matmul(*operands, out=y[seg])
                started[seg] = True
    for seg in range(len(bounds) - 1):
        if not started[seg]:  # no read in this segment: an empty sum
            y[seg] = 0
    return y.reshape(len(bounds) - 1, n, g, co, box[0], *size[1:])


def _read_major(w: np.ndarray) -> np.ndarray:
    """(G, Co, C, T) weights -> contiguous (G, Co, T, C): a tap subset is then one read-major block."""
    return np.ascontiguousarray(np.moveaxis(w, 3, 2))


def _write(out: np.ndarray, source: np.ndarray, bias) -> None:
    """out[...] = source + bias (bias None: a plain copy), in one pass."""
    if bias is None:
        out[...] = source
    else:
        np.add(source, bias, out=out)


def _tap_phases(spec: ConvSpec):
    """(T, n) arrays over the taps (C order): the phase (k*d) % s and the block (k*d) // s.

    Position k*d of a frame split into s phases of period s lies in phase (k*d) % s at
    block (k*d) // s, so in the phase-split frame a strided read becomes a unit-stride one.
    """
    kd = np.indices(spec.kernel_size).reshape(spec.ndim, -1).T * np.asarray(spec.dilation)
    return np.divmod(kd, np.asarray(spec.stride))[::-1]


def _phase_ids(phase: np.ndarray, stride) -> np.ndarray:
    """Per-dimension phases (T, n) -> the C-order number of each phase among prod(stride)."""
    return phase @ np.asarray([prod(stride[i + 1:]) for i in range(len(stride))], dtype=np.intp)


def conv(spec: ConvSpec, x, w, b):
    # y[o] = sum_k W_k @ xpad[o*s + k*d].  Split the padded frame into its s phases per
    # dimension: xpad[o*s + k*d] = phase[(k*d) % s][o + (k*d) // s], a unit-stride read, so
    # _correlate does every tap as one contiguous run.  The frame is padded up to whole
    # blocks of s; that extension is read only by cropped wide columns.
    s, nd = spec.stride, spec.ndim
    blocks = [-(-p // st) for p, st in zip(spec.padded_size, s)]
    head = (spec.batch, spec.groups, spec.in_per_group)
    frames = _scratch("frames", (*head, prod(s), *blocks), np.result_type(x))
    if all(st == 1 for st in s):  # the padded input is the only frame
        pad(x.reshape(*head, *spec.input_size), spec.pad_before, spec.pad_after, spec.padding_mode, 3,
            out=frames.reshape(*head, *spec.padded_size))
    else:
        # pad up to whole blocks of s (the extension is read only by cropped wide columns and
        # is zero, not padding_mode's, whose rules need not hold out there), then split
        # into the frames (N, G, C, s_1..s_n, B_1..B_n): frame r holds positions b*s + r
        full = _scratch("padded", (*head, *(bl * st for bl, st in zip(blocks, s))), frames.dtype)
        pad(x.reshape(*head, *spec.input_size), spec.pad_before, spec.pad_after, spec.padding_mode, 3,
            out=full[(Ellipsis, *(slice(0, p) for p in spec.padded_size))])
        for i, p in enumerate(spec.padded_size):
            full[(slice(None),) * (3 + i) + (slice(p, None),)] = 0
        split = [v for bl, st in zip(blocks, s) for v in (bl, st)]  # (B_1, s_1, B_2, s_2, ...)
        frames.reshape(*head, *s, *blocks)[...] = full.reshape(*head, *split).transpose(
            0, 1, 2, *range(4, 4 + 2 * nd, 2), *range(3, 3 + 2 * nd, 2))
    phase, block = _tap_phases(spec)
    weights = _read_major(w.reshape(spec.groups, spec.out_per_group, spec.in_per_group, -1))
    wide = _correlate(frames, weights.reshape(spec.groups, spec.out_per_group, -1), _phase_ids(phase, s).tolist(),
                      block, spec.output_size)[0]
    y = np.empty(spec.output_shape, dtype=np.result_type(wide, b) if b is not None else wide.dtype)
    bias = None if b is None else b.reshape(spec.groups, spec.out_per_group, *(1,) * nd)
    # the real part of the wide rows: the first out_i columns of every axis after the first
    _write(y.reshape(spec.batch, spec.groups, spec.out_per_group, *spec.output_size),
           wide[(Ellipsis, *(slice(0, m) for m in spec.output_size[1:]))], bias)
    return y


def _scatter(full: np.ndarray, parts: np.ndarray, spec: ConvSpec, chunk, count) -> None:
    """Add each tap's (G, C, N*P) slab of `parts` (tap-major on axis 1) into its window of `full`."""
    parts = parts.reshape(full.shape[0], len(chunk), full.shape[1], full.shape[2], *count)
    for j, (_, k) in enumerate(chunk):
        full[_window(spec, k, count)] += parts[:, j]


def conv_transpose(spec: ConvSpec, x, w, b):
    # Position u = o + p of the uncropped frame receives x[i] * W_k for every u = i*s + k*d.
    # Split u into phase r = u % s and block u // s: phase r receives only the taps with
    # (k*d) % s == r, each reading x[block - (k*d) // s] at unit stride.  So every phase is
    # a forward correlation of x (zero-padded in front by Q = max (k*d) // s) with its own
    # taps: one _correlate call with one segment per phase, interleaved back into the frame.
    # The zero padding adds 0 * w terms the definition does not have: exact zeros for finite
    # weights, so non-finite weights take the scatter path, which forms only defined products.
    if not np.isfinite(w).all():
        return _conv_transpose_scatter(spec, x, w, b)
    s, p, nd = spec.stride, spec.pad_before, spec.ndim
    phase, block = _tap_phases(spec)
    reach = block.max(axis=0).tolist()  # Q
    # blocks [p // s, (out - 1 + p) // s] hold every surviving output, for all phases alike
    low = [pp // st for pp, st in zip(p, s)]
    box = [(out - 1 + pp) // st + 1 - lo for out, pp, st, lo in zip(spec.output_size, p, s, low)]
    size = [max(n, lo + m) + q for n, lo, m, q in zip(spec.input_size, low, box, reach)]
    head = (spec.batch, spec.groups, spec.in_per_group)
    xq = _scratch("frames", (*head, 1, *size), x.dtype)
    after = [m - n - q for m, n, q in zip(size, spec.input_size, reach)]
    pad(x.reshape(*head, *spec.input_size), reach, after, "zeros", 3, out=xq[:, :, :, 0])
    phase_id = _phase_ids(phase, s)
    order = np.argsort(phase_id, kind="stable")  # taps grouped by phase, C order within
    bounds = np.concatenate([[0], np.cumsum(np.bincount(phase_id, minlength=prod(s)))]).tolist()
    wt = _read_major(w.reshape(spec.groups, spec.in_per_group, spec.out_per_group, -1).transpose(0, 2, 1, 3))
    wide = _correlate(xq, wt[:, :, order].reshape(spec.groups, spec.out_per_group, -1), [0] * len(order),
                      np.asarray(low) + np.asarray(reach) - block[order], box, bounds)
    return _phases_out(spec, wide.reshape(*s, *wide.shape[1:4], *box[:1], *size[1:]).transpose(
        nd, nd + 1, nd + 2, *range(nd), *range(nd + 3, 2 * nd + 3)), low, b)


def _conv_transpose_scatter(spec: ConvSpec, x, w, b):
    """conv_transpose by scattering every tap's products into a phase-major frame.

    Tap k sends x[i] * W_k to frame position u = i*s + k*d, which is phase (k*d) % s at block
    i + (k*d) // s: in a frame stored as (phases, blocks) each tap's target is one box of
    unit stride.  Only the products of the definition are formed, whatever the weights.
    """
    s, nd = spec.stride, spec.ndim
    phase, block = _tap_phases(spec)
    phase, block = phase.tolist(), block.tolist()
    reach = [max(q) for q in zip(*block)]
    # blocks enough for every tap's box and for every output position u = o + p
    blocks = [max(n + q, -(-(out + p) // st))
              for n, q, out, p, st in zip(spec.input_size, reach, spec.output_size, spec.pad_before, s)]
    frame = _scratch("frame", (spec.groups, spec.out_per_group, spec.batch, *s, *blocks), np.result_type(x, w))
    frame[...] = 0
    xg = _flat(_group_major(x, spec.groups))  # (G, Ci, N*Pin)
    wg = w.reshape(spec.groups, spec.in_per_group, spec.out_per_group, -1)
    for chunk in _chunks(spec.kernel_size, spec.out_channels * xg.shape[2]):
        # (G, chunk*Co, Ci) @ (G, Ci, N*Pin): every tap's contribution, then one add per tap
        parts = (_weights(wg, chunk).transpose(0, 2, 1) @ xg).reshape(
            spec.groups, len(chunk), spec.out_per_group, spec.batch, *spec.input_size)
        for j, (t, _) in enumerate(chunk):
            frame[(slice(None),) * 3 + tuple(phase[t])
                  + tuple(slice(q, q + n) for q, n in zip(block[t], spec.input_size))] += parts[:, j]
    return _phases_out(spec, frame.transpose(2, 0, 1, *range(3, 3 + 2 * nd)), [0] * nd, b)


def _phases_out(spec: ConvSpec, frames, low, b):
    """The transpose's output from per-phase frames (N, G, Co, s_1..s_n, blocks...).

    Frame r, block m holds u = (low + m)*s + r, i.e. output o = u - p: phase r fills
    out[o0::s] from its first surviving block ceil((p - r) / s), plus the bias.
    """
    s, p, nd = spec.stride, spec.pad_before, spec.ndim
    dtype = frames.dtype if b is None else np.result_type(frames, b)
    y = np.empty(spec.output_shape, dtype=dtype)
    yg = y.reshape(spec.batch, spec.groups, spec.out_per_group, *spec.output_size)
    bias = None if b is None else b.reshape(spec.groups, spec.out_per_group, *(1,) * nd)
    for r in product(*map(range, s)):
        first = [-((ri - pp) // st) for ri, pp, st in zip(r, p, s)]
        target = yg[(Ellipsis, *(slice(f * st + ri - pp, None, st) for f, st, ri, pp in zip(first, s, r, p)))]
        if target.size:
            source = frames[(slice(None),) * 3 + r + tuple(slice(f - lo, f - lo + c)
                                                         for f, lo, c in zip(first, low, target.shape[3:]))]
            _write(target, source, bias)
    return y


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
