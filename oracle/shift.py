"""Default oracle: every kernel tap's window gathered at once, one GEMM per image and group.

For a fixed tap k the forward sum of naive.py becomes, over all output positions at once,

    y[n, g, :, o] += w[g, :, :, k] @ xpad[n, g, :, o*s + k*d]

one strided window of the padded input times one (Cout/G x Cin/G) weight slice per group.
A per-tap product has an inner dimension of only Cin/G, which BLAS runs slowly (depthwise:
1), so all windows are gathered into one (Cin/G * taps x P) buffer ("im2col") and summed by
a single (Cout/G x Cin/G * taps) @ (Cin/G * taps x P) product per image and group
(_correlate).  The windows of all taps are one strided view of the padded input: index
c, k, o reads c, k*d + o*s, affine in (k, o), so the gather is a single copy.

The transpose runs the same machinery per output phase: output positions u = o + p with
u % s == r receive exactly the taps with (k*d) % s == r, which read the input at unit
stride (see conv_transpose).  Phases that start at the same input block share one gather
and one GEMM, phases with fewer taps padded by zero-weight taps; for non-finite weights it
scatters the products instead, forming only those of the definition.  Which phases share a
GEMM, and every index that follows, depends on the spec alone and is planned once per spec
(_transpose_plan): for small inputs that planning cost as much as the arithmetic.

The gradients gather and scatter strided windows of group-major (G, C/G, N, *spatial)
arrays.  Chunks keep buffers under MAX_BUFFER elements.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from itertools import product
from math import gcd, prod
from typing import NamedTuple

import numpy as np

from .padding import pad, padded_shape, unpad_adjoint
from .reach import dropped_nonfinite, reduce_taps
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
    are kept per role (four roles: at most 64 MiB of float64 per thread).
    """
    size, dtype = prod(shape), np.dtype(dtype)
    if size > SCRATCH_LIMIT:
        return np.empty(shape, dtype)
    held = getattr(_held, role, None)
    if held is None or held.size < size or held.dtype != dtype:
        held = np.empty(size, dtype)
        setattr(_held, role, held)
    return held[:size].reshape(shape)


def _windows(a: np.ndarray, start, tap_step, out_step, taps, count) -> np.ndarray:
    """View (..., *taps, *count) of a's last n axes: [..., j, m] reads a[..., start + j*tap_step + m*out_step].

    a must be C-contiguous.  Steps may be negative (the view then reads below `start`);
    numpy's ndarray constructor checks that every read lies inside a's buffer.  No copy:
    _correlate copies the view once, chunk by chunk.
    """
    nd = len(start)
    axes = a.strides[-nd:]
    strides = (*a.strides[:-nd], *(t * st for t, st in zip(tap_step, axes)), *(o * st for o, st in zip(out_step, axes)))
    return np.ndarray((*a.shape[:-nd], *taps, *count), a.dtype, buffer=a,
                      offset=sum(i * st for i, st in zip(start, axes)), strides=strides)


def _correlate(windows: np.ndarray, weights: np.ndarray, out: np.ndarray, bias=None) -> None:
    """out[n, g] = weights[g] @ windows[n, g] (+ bias[g]), each window flattened to a (C*T, P) matrix.

    windows: (N, G, C, *T, *O), a view of T taps' windows (see _windows); weights: (G, Co, C*T)
    in the same (C, T) order; out: (N, G, Co, P) with P = prod(O); bias: (G, Co) or None.  The
    windows are copied into a contiguous scratch buffer ("im2col") whole images at a time, or
    runs of rows of the first output axis when one image alone exceeds MAX_BUFFER elements.
    A bias is one more input row of ones with the bias as its weights: no pass of its own.
    """
    n, g = windows.shape[:2]
    ct, p = weights.shape[2], out.shape[3]
    nd = (windows.ndim - 3) // 2
    rows = windows.shape[3 + nd]  # the first output axis
    width = p // rows  # P is rows runs of `width` columns
    k = ct
    if bias is not None:
        weights = np.concatenate([weights, bias[:, :, None]], axis=2)
        k += 1

    def gathered(part):  # (images, G, k, columns) scratch holding part's windows, then ones
        buf = _scratch("im2col", (part.shape[0], g, k, prod(part.shape[3 + nd:])), np.result_type(part, weights))
        # splitting axes never needs a copy: the reshape is a view of buf's first C*T rows
        np.copyto(buf[:, :, :ct].reshape(part.shape), part)
        buf[:, :, ct:] = 1
        return buf

    if g * k * p <= MAX_BUFFER:
        step = MAX_BUFFER // max(g * k * p, 1)
        for n0 in range(0, n, step):
            np.matmul(weights, gathered(windows[n0:n0 + step]), out=out[n0:n0 + step])
        return
    step = max(1, MAX_BUFFER // (g * k * width))
    for i in range(n):
        for r0 in range(0, rows, step):
            r1 = min(r0 + step, rows)
            out[i, :, :, r0 * width:r1 * width] = weights @ gathered(
                windows[(slice(i, i + 1), *(slice(None),) * (2 + nd), slice(r0, r1))])[0]


def _scatter(full: np.ndarray, parts: np.ndarray, spec: ConvSpec, chunk, count) -> None:
    """Add each tap's (G, C, N*P) slab of `parts` (tap-major on axis 1) into its window of `full`."""
    parts = parts.reshape(full.shape[0], len(chunk), full.shape[1], full.shape[2], *count)
    for j, (_, k) in enumerate(chunk):
        full[_window(spec, k, count)] += parts[:, j]


def _write(out: np.ndarray, source: np.ndarray, bias) -> None:
    """out[...] = source + bias (bias None: a plain copy), in one pass."""
    if bias is None:
        out[...] = source
    else:
        np.add(source, bias, out=out)


def _result_type(x, w, b):
    return np.result_type(x, w) if b is None else np.result_type(x, w, b)


def conv(spec: ConvSpec, x, w, b):
    reduction = reduce_taps(spec)
    if reduction is not None:  # taps that read only zero padding (oracle/reach.py)
        return _reduced_conv(spec, reduction, x, w, b)
    # y[n, g, :, o] = sum_k w[g, :, :, k] @ xpad[n, g, :, k*d + o*s]: window element (c, k, o)
    # reads padded position k*d + o*s, at most d*(K-1) + s*(O-1) <= padded - 1 (the output size
    # formula), so all taps' windows are one view of the padded input.
    head = (spec.batch, spec.groups, spec.in_per_group)
    xp = _scratch("padded", (*head, *spec.padded_size), x.dtype)
    pad(x.reshape(*head, *spec.input_size), spec.pad_before, spec.pad_after, spec.padding_mode, 3, out=xp)
    windows = _windows(xp, (0,) * spec.ndim, spec.dilation, spec.stride, spec.kernel_size, spec.output_size)
    y = np.empty(spec.output_shape, dtype=_result_type(x, w, b))
    yg = y.reshape(spec.batch, spec.groups, spec.out_per_group, prod(spec.output_size))
    _correlate(windows, w.reshape(spec.groups, spec.out_per_group, -1), yg,
               None if b is None else b.reshape(spec.groups, spec.out_per_group))
    return y


def _reduced_conv(spec: ConvSpec, reduction, x, w, b):
    """conv over the taps that reach the input; a dropped non-finite weight makes its channel NaN."""
    if reduction.spec is None:
        y = np.zeros(spec.output_shape, dtype=_result_type(x, w, b))
        if b is not None:
            y += b.reshape((-1,) + (1,) * spec.ndim)
    else:
        y = conv(reduction.spec, np.ascontiguousarray(x[(Ellipsis, *reduction.crop)]),
                 np.ascontiguousarray(w[(Ellipsis, *reduction.taps)]), b)
    y[:, dropped_nonfinite(spec, w, reduction.taps)] = np.nan
    return y


def _phase_taps(kernel: int, s: int, d: int, p: int, out: int):
    """Per output phase r in [0, s) of one dimension: (k0, taps, b0, first, count).

    Uncropped position u = i*s + k*d lies in phase u % s = (k*d) % s.  The taps of phase r
    are k0, k0 + s/g, ... (g = gcd(s, d): k*d = r mod s fixes k mod s/g), `taps` of them,
    at blocks (k*d) // s = b0, b0 + d/g, ...  Phase r's outputs o = B*s + r - p >= 0 start at
    block first = ceil((p - r) / s); `count` of them are below out.
    """
    phases = []
    for r in range(s):
        ks = [k for k in range(kernel) if (k * d) % s == r]
        k0 = ks[0] if ks else 0
        first = _first_block(r, p, s)
        phases.append((k0, len(ks), k0 * d // s, first, len(range(first * s + r - p, out, s))))
    return phases


def _first_block(r: int, p: int, s: int) -> int:
    """ceil((p - r) / s): the first block B whose output o = B*s + r - p of phase r is >= 0."""
    return -((r - p) // s)


# Python work per output phase of the transpose, in multiply-adds of about the same time
# (~20 us at ~1e10 MAC/s): zero-weight taps that save a phase's pass are worth that many
PHASE_COST_MACS = 2**18


class _Block(NamedTuple):
    """One GEMM of the transpose (see conv_transpose): its window view, weights and writes."""

    start: tuple  # padded-x position read by tap 0 at the block's first output block, per dimension
    taps: tuple  # J per dimension
    extent: tuple  # output blocks hi - lo per dimension
    index: tuple  # per dimension, the kernel index of tap j of each phase (or the zero tap)
    counts: tuple  # phases per dimension
    writes: tuple  # (phase's outputs in yg, the same outputs in the GEMM's result) per phase


class _TransposePlan(NamedTuple):
    empty: tuple  # outputs of phases no tap reaches: the bias (or 0) only
    blocks: tuple
    tap_step: tuple  # -d/g per dimension: tap j reads j*d/g blocks before tap 0
    before: tuple  # zero padding of x in front (Q) and behind, per dimension
    after: tuple
    zero_tap: bool  # some phase gets zero-weight taps (read from one appended zero tap)


@lru_cache(maxsize=256)
def _transpose_plan(spec: ConvSpec, cost_macs: int, zero_taps: bool) -> _TransposePlan:
    """conv_transpose's blocks of phases and every index they use: a function of the spec alone."""
    s, d, nd = spec.stride, spec.dilation, spec.ndim
    dims = [_phase_taps(*a) for a in zip(spec.kernel_size, s, d, spec.pad_before, spec.output_size)]
    steps = [(si // gcd(si, di), di // gcd(si, di)) for si, di in zip(s, d)]  # (tap, block) steps
    live = [[r for r, (_, taps, _, _, count) in enumerate(phases) if taps and count] for phases in dims]
    empty = tuple(_phase_index(spec, r) for r in product(*map(range, s))
                  if not all(ri in lv for ri, lv in zip(r, live)) and all(dims[i][ri][4] for i, ri in enumerate(r)))
    if not all(live):
        return _TransposePlan(empty, (), (), (), (), False)
    # Blocks of phases done by one GEMM: per dimension a set of phases with one b0, each
    # given J = their most taps (missing taps get zero weights, so x must be finite), over
    # the union of their output blocks.  Either every live phase at once (when per dimension
    # they share b0 and the zero-weight taps cost less than the per-phase passes they save)
    # or one block per phase.
    combos = prod(map(len, live))
    extra = prod(len(lv) * max(dims[i][r][1] for r in lv) / sum(dims[i][r][1] for r in lv)
                 for i, lv in enumerate(live)) - 1
    shared = (all(len({dims[i][r][2] for r in lv}) == 1 for i, lv in enumerate(live))
              and extra * spec.total_products <= cost_macs * (combos - 1)
              and (zero_taps or not extra))
    phase_sets = [live] if shared else [[[ri] for ri in r] for r in product(*live)]
    spans = [[_block_plan(dims[i], rs) for i, rs in enumerate(phases)] for phases in phase_sets]
    reach = [max(span[i][0] + (span[i][1] - 1) * steps[i][1] for span in spans) for i in range(nd)]  # Q
    behind = [max(0, *(span[i][3] - span[i][0] - n for span in spans)) for i, n in enumerate(spec.input_size)]
    blocks = []
    for phases, span in zip(phase_sets, spans):
        b0, taps, lo, hi = zip(*span)  # per dimension: b0, J taps, output blocks [lo, hi)
        index = []
        for i, rs in enumerate(phases):  # tap j of phase r is k0 + j*s/g, or the zero tap K
            k = np.array([[dims[i][r][0] + j * steps[i][0] for j in range(taps[i])] for r in rs])
            k[k >= spec.kernel_size[i]] = spec.kernel_size[i]
            k.flags.writeable = False  # cached
            index.append(k.reshape([len(rs) if a == i else 1 for a in range(nd)]
                                   + [taps[i] if a == i else 1 for a in range(nd)]))
        counts = tuple(map(len, phases))
        writes = []
        for at in product(*map(range, counts)):
            r = [rs[a] for rs, a in zip(phases, at)]
            first, count = zip(*((dims[i][ri][3] - lo[i], dims[i][ri][4]) for i, ri in enumerate(r)))
            writes.append((_phase_index(spec, r),
                           (slice(None),) * 3 + at + tuple(slice(f, f + c) for f, c in zip(first, count))))
        # the read of tap j at output block lo + m is Q + lo + m - b0 - j*d/g (see conv_transpose)
        blocks.append(_Block(tuple(q + lo_ - b0_ for q, lo_, b0_ in zip(reach, lo, b0)), taps,
                             tuple(h - lo_ for h, lo_ in zip(hi, lo)), tuple(index), counts, tuple(writes)))
    return _TransposePlan(empty, tuple(blocks), tuple(-bs for _, bs in steps), tuple(reach), tuple(behind),
                          shared and bool(extra))


def conv_transpose(spec: ConvSpec, x, w, b):
    # Output o = B*s + r - p of phase r receives x[B - b_j] * W_{k_j} for its taps k_j =
    # k0 + j*s/g at blocks b_j = b0 + j*d/g (see _phase_taps): a forward correlation of x
    # with those taps, reading x at unit stride in B and stride -d/g in j.  x is zero-padded
    # by Q >= the largest block in front (and enough behind) so every read is inside; the
    # padding adds 0 * w terms the definition does not have: exact zeros for finite weights,
    # so non-finite weights take the scatter path, which forms only defined products.
    if not np.isfinite(w).all():
        return _conv_transpose_scatter(spec, x, w, b)
    plan = _transpose_plan(spec, PHASE_COST_MACS, True)
    if plan.zero_tap and not np.isfinite(x).all():
        plan = _transpose_plan(spec, PHASE_COST_MACS, False)
    nd = spec.ndim
    y = np.empty(spec.output_shape, dtype=_result_type(x, w, b))
    yg = y.reshape(spec.batch, spec.groups, spec.out_per_group, *spec.output_size)
    bias = None if b is None else b.reshape(spec.groups, spec.out_per_group, *(1,) * nd)
    for target in plan.empty:
        _write(yg[target], np.zeros((), y.dtype), bias)
    if not plan.blocks:
        return y
    head = (spec.batch, spec.groups, spec.in_per_group)
    xg = x.reshape(*head, *spec.input_size)
    xq = _scratch("padded", padded_shape(xg.shape, plan.before, plan.after, 3), x.dtype)
    pad(xg, plan.before, plan.after, "zeros", 3, out=xq)
    wz = w.reshape(spec.groups, spec.in_per_group, spec.out_per_group, *spec.kernel_size)
    if plan.zero_tap:  # one zero tap appended per kernel axis
        wz = np.zeros((*wz.shape[:3], *(k + 1 for k in spec.kernel_size)), w.dtype)
        wz[(Ellipsis, *(slice(0, k) for k in spec.kernel_size))] = w.reshape(wz.shape[:3] + spec.kernel_size)
    for block in plan.blocks:
        windows = _windows(xq, block.start, plan.tap_step, (1,) * nd, block.taps, block.extent)
        picked = wz[(slice(None),) * 3 + block.index]  # (G, C, Co, phases..., J...)
        weights = np.moveaxis(picked, 1, 2 + nd).reshape(spec.groups, -1, spec.in_per_group * prod(block.taps))
        res = _scratch("phase", (*head[:2], weights.shape[1], prod(block.extent)), y.dtype)
        _correlate(windows, weights, res)
        res = res.reshape(*head[:2], spec.out_per_group, *block.counts, *block.extent)
        for target, source in block.writes:
            _write(yg[target], res[source], bias)
    return y


def _block_plan(phases, rs):
    """(b0, J, lo, hi) of a block of phases rs of one dimension: shared b0, most taps, output blocks."""
    return (phases[rs[0]][2], max(phases[r][1] for r in rs),
            min(phases[r][3] for r in rs), max(phases[r][3] + phases[r][4] for r in rs))


def _phase_index(spec: ConvSpec, r) -> tuple:
    """Index of the outputs of phase r in (..., *output): o = first*s + r - p, step s, first = ceil((p - r) / s)."""
    return (Ellipsis, *(slice(_first_block(ri, p, s) * s + ri - p, None, s)
                        for ri, s, p in zip(r, spec.stride, spec.pad_before)))


def _conv_transpose_scatter(spec: ConvSpec, x, w, b):
    """conv_transpose by scattering every tap's products into a phase-major frame.

    Tap k sends x[i] * W_k to frame position u = i*s + k*d, which is phase (k*d) % s at block
    i + (k*d) // s: in a frame stored as (phases, blocks) each tap's target is one box of
    unit stride.  Only the products of the definition are formed, whatever the weights.
    """
    s, nd = spec.stride, spec.ndim
    kd = np.indices(spec.kernel_size).reshape(nd, -1).T * np.asarray(spec.dilation)  # (T, n), taps in C order
    block, phase = (a.tolist() for a in np.divmod(kd, np.asarray(s)))
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
    return _phases_out(spec, frame.transpose(2, 0, 1, *range(3, 3 + 2 * nd)), b)


def _phases_out(spec: ConvSpec, frames, b):
    """The transpose's output from per-phase frames (N, G, Co, s_1..s_n, blocks...).

    Frame r, block m holds u = m*s + r, i.e. output o = u - p: phase r fills its outputs
    (_phase_index) from its first surviving block ceil((p - r) / s), plus the bias.
    """
    s, p, nd = spec.stride, spec.pad_before, spec.ndim
    dtype = frames.dtype if b is None else np.result_type(frames, b)
    y = np.empty(spec.output_shape, dtype=dtype)
    yg = y.reshape(spec.batch, spec.groups, spec.out_per_group, *spec.output_size)
    bias = None if b is None else b.reshape(spec.groups, spec.out_per_group, *(1,) * nd)
    for r in product(*map(range, s)):
        target = yg[_phase_index(spec, r)]
        if target.size:
            first = [_first_block(ri, pp, st) for ri, pp, st in zip(r, p, s)]
            source = frames[(slice(None),) * 3 + r + tuple(slice(f, f + c) for f, c in zip(first, target.shape[3:]))]
            _write(target, source, bias)
    return y


def conv_grads(spec: ConvSpec, x, w, gy):
    reduction = reduce_taps(spec)
    if reduction is not None:
        # dropped taps and cropped inputs take part in no product: zero gradient (as in naive.grads)
        gx, gw = np.zeros(x.shape, np.result_type(gy, w)), np.zeros(w.shape, np.result_type(gy, x))
        if reduction.spec is not None:
            gx[(Ellipsis, *reduction.crop)], gw[(Ellipsis, *reduction.taps)], _ = conv_grads(
                reduction.spec, np.ascontiguousarray(x[(Ellipsis, *reduction.crop)]),
                np.ascontiguousarray(w[(Ellipsis, *reduction.taps)]), gy)
        return gx, gw, gy.sum(axis=(0, *range(2, gy.ndim)))
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
