"""Oracle values at chosen positions, for tensors too large to evaluate whole.

A certification run on a tensor of more than 2**31 elements (a numpy memory map, or
data computed from its index alone: `HashedTensor`) cannot afford the whole oracle,
but it can check a sample of result elements.  Each function here evaluates the
defining sums of naive.py at the multi-indices `at` (an int array of shape (P, rank)),
gathering by fancy indexing only the input and weight elements those sums read (a
memory map then reads only their pages) and converting only them to float64.

Each result element comes as a `PositionValues` row:

  values      the sum of naive.py (bias added): bit-identical to oracle.conv & co on
              integer data (every partial sum is an integer below 2**53, checked on the
              magnitude), within float64 rounding of them on float data;
  magnitudes  the same sum of |a|*|b| (plus |b|): oracle.magnitude's value, what error
              bounds scale with;
  terms       the products actually summed (int64).  A zero-padding tap of the forward
              convolution is NOT counted: its product 0*w is an exact zero (or NaN, which
              no bound covers), so it adds no rounding.  Every other product naive.py
              enumerates is counted, exactly, so terms is a valid K for gamma(K) bounds.

Cost: forward and grad_input elements take O(terms) each, vectorised over positions
and taps (1000 positions of a 3x3 convolution of a 2**31-element HashedTensor: ~10 ms).
A grad_weight or grad_bias element sums over the whole batch and output grid (N *
prod(output) products: up to ~2**31 for a 2**31-element tensor), one element at a time,
in boxes of CHUNK elements: about 30 ns per product from arrays in memory and 100 ns from
HashedTensors (hashing both operands), so a 2**31-product element takes one to four
minutes.  No temporary exceeds CHUNK elements; a handful live at once (~8 * 8 * CHUNK bytes).
"""

from __future__ import annotations

from math import gcd, prod
from typing import NamedTuple, Optional

import numpy as np

from .errors import ConvConfigError
from .functional import EXACT_INTEGER_LIMIT
from .hashed import HashedTensor
from .spec import ConvSpec, conv_spec, conv_transpose_spec

CHUNK = 2**22  # elements per temporary (positions x terms); tests shrink it to exercise the chunking


class PositionValues(NamedTuple):
    values: np.ndarray      # (P,) float64
    magnitudes: np.ndarray  # (P,) float64
    terms: np.ndarray       # (P,) int64


class PositionGrads(NamedTuple):
    grad_input: Optional[PositionValues]
    grad_weight: Optional[PositionValues]
    grad_bias: Optional[PositionValues]


# ---------------------------------------------------------------- validation


def _operand(name: str, a, allow_none: bool = False):
    """An array-like with a shape, left unread: its dtype must be a real float (<= 64 bits) or an integer."""
    if a is None:
        if allow_none:
            return None
        raise ConvConfigError(name, "is required, got None")
    if isinstance(a, HashedTensor):
        return a
    if not isinstance(a, np.ndarray):  # np.memmap is an ndarray: kept as is, nothing read
        try:
            a = np.asarray(a)
        except ValueError as exc:
            raise ConvConfigError(name, f"is not a rectangular array ({exc})") from None
    if a.dtype.kind not in "iuf" or (a.dtype.kind == "f" and a.dtype.itemsize > 8):
        raise ConvConfigError(name, f"must be a real float (<= 64 bits) or integer array, got dtype {a.dtype}")
    return a


def _integer(*arrays) -> bool:
    return any(a is not None and a.dtype.kind in "iu" for a in arrays)


def _positions(name: str, at, shape) -> Optional[np.ndarray]:
    """`at` as an int64 (P, rank) array of in-range multi-indices into `shape`."""
    if at is None:
        return None
    try:
        at = np.asarray(at)
    except ValueError as exc:
        raise ConvConfigError(name, f"is not a rectangular array ({exc})") from None
    rank = len(shape)
    if at.ndim != 2 or at.shape[1] != rank:
        raise ConvConfigError(name, f"must have shape (P, {rank}): multi-indices into the result of shape "
                                    f"{tuple(shape)}, got shape {at.shape}")
    if at.size and at.dtype.kind not in "iu":
        raise ConvConfigError(name, f"must hold integers, got dtype {at.dtype}")
    at = at.astype(np.int64)
    bad = (at < 0) | (at >= np.array(shape, dtype=np.int64))
    if bad.any():
        row, axis = np.argwhere(bad)[0]
        raise ConvConfigError(name, f"row {row} = {tuple(int(v) for v in at[row])} is out of range for the result "
                                    f"of shape {tuple(shape)}: entry {axis} must be in [0, {shape[axis]})")
    return at


def _checked(integer: bool, result: PositionValues) -> PositionValues:
    """Integer data: every partial sum of values is bounded by the magnitude, exact below 2**53."""
    if integer and (result.magnitudes >= EXACT_INTEGER_LIMIT).any():
        worst = float(result.magnitudes.max())
        raise ConvConfigError("input", f"integer data too large for an exact result: a magnitude reaches "
                                       f"{worst:.3g} >= 2**53")
    return result


def _ieee():
    return np.errstate(invalid="ignore", over="ignore")


# ---------------------------------------------------------------- gathering and per-dimension taps


def _take(a, index) -> np.ndarray:
    """a[index] (a tuple of broadcastable index arrays) as float64: only these elements are read."""
    if isinstance(a, HashedTensor):
        return a.take(index).astype(np.float64)
    return np.asarray(a[index]).astype(np.float64, copy=False)


def _source(pos, size: int, mode: str):
    """padding.source_index vectorised: (index read, valid); valid is False where zero padding is read."""
    if mode == "zeros":
        valid = (pos >= 0) & (pos < size)
        return np.where(valid, pos, 0), valid
    if mode == "replicate":
        src = np.clip(pos, 0, size - 1)
    elif mode == "circular":
        src = pos % size
    elif mode == "reflect":  # period 2*(size-1), descending half mirrored back (size 1 is never padded)
        period = max(2 * (size - 1), 1)
        folded = pos % period
        src = np.where(folded < size, folded, period - folded)
    else:
        raise ValueError(f"unknown padding mode {mode!r}")
    return src, np.ones(src.shape, dtype=bool)


def _direct_taps(i, kernel: int, stride: int, dilation: int, before: int, size: int, mode: str):
    """Every tap k of one dimension at output i: it reads position i*s + k*d - before, through `mode`.

    Returns (index read, k, valid), each (P, kernel).
    """
    k = np.arange(kernel, dtype=np.int64)
    src, valid = _source(i[:, None] * stride + k * dilation - before, size, mode)
    return src, np.broadcast_to(k, src.shape), valid


def _strided_taps(t, kernel: int, stride: int, dilation: int, size: int):
    """The (u, k) of one dimension with u*s + k*d == t, 0 <= k < kernel, 0 <= u < size, for targets t (P, Q).

    k*d == t (mod s) needs g = gcd(s, d) to divide t; then k == (t/g) * (d/g)^-1 (mod s/g), an
    arithmetic progression k0 + j*(s/g) with at most m = ceil(K / (s/g)) terms below K (the
    taps of ConvSpec.terms_per_output).  Returns (u, k, valid), each (P, Q*m).
    """
    g = gcd(stride, dilation)
    step = stride // g
    m = -(-kernel // step)
    inverse = pow(dilation // g, -1, step) if step > 1 else 0
    k = ((t // g) % step * inverse % step)[..., None] + step * np.arange(m, dtype=np.int64)
    u = (t[..., None] - k * dilation) // stride  # exact where t % g == 0, by the choice of k
    valid = (t % g == 0)[..., None] & (k < kernel) & (u >= 0) & (u < size)
    shape = (t.shape[0], -1)
    return (np.where(valid, u, 0).reshape(shape), np.where(valid, k, 0).reshape(shape), valid.reshape(shape))


def _preimage_width(size: int, before: int, after: int, mode: str) -> int:
    """The most padded positions that read one input element (see _preimages)."""
    return {"zeros": 1, "reflect": 3, "circular": 3, "replicate": 1 + before + after}[mode]


def _preimages(i, size: int, before: int, after: int, mode: str):
    """The padded positions q in [-before, size + after) whose source_index is i: (q, valid), (P, Q).

    zeros: i.  circular (pads <= size): i - size, i, i + size.  reflect (pads < size): i, -i and
    2*(size-1) - i.  replicate: i, and the whole leading (trailing) pad for the first (last) element.
    """
    i = i[:, None]
    if mode == "zeros":
        q = i
    elif mode == "circular":
        q = np.concatenate([i - size, i, i + size], axis=1)
    elif mode == "reflect":
        q = np.concatenate([i, -i, 2 * (size - 1) - i], axis=1)
    else:  # replicate: only columns some position of this chunk can use
        columns = [i]
        if (i == 0).any():
            columns.append(np.broadcast_to(-np.arange(1, before + 1, dtype=np.int64), (len(i), before)))
        if (i == size - 1).any():
            columns.append(np.broadcast_to(np.arange(size, size + after, dtype=np.int64), (len(i), after)))
        q = np.concatenate(columns, axis=1)
    valid = (q >= -before) & (q < size + after) & (_source(q, size, mode)[0] == i)
    # reflect lists 0 twice (i and -i) and size-1 twice (i and 2*(size-1) - i): count each once
    for c in range(1, q.shape[1] if mode == "reflect" else 1):
        valid[:, c] &= ~((q[:, :c] == q[:, c:c + 1]) & valid[:, :c]).any(axis=1)
    return q, valid


# ---------------------------------------------------------------- the two sums


def _sum_taps(data, n, data_channel, weight, weight_channel, weight_step, channels: int, tables, zero_taps: bool):
    """For each position p: sum over c < channels and the slots j of every table of

        data[n, data_channel + c, *index_j] * weight[w0 + c*s0, w1 + c*s1, *k_j]

    with (w0, w1) = weight_channel, (s0, s1) = weight_step, and tables[dim] = (index, k, valid),
    each (P, slots).  An invalid slot is a zero-padding tap (0 * w, when zero_taps: naive.py's
    forward term) or no term at all.  Returns values, magnitudes and the count of valid terms.
    """
    P = len(n)
    widths = [t[0].shape[1] for t in tables]
    total = channels * prod(widths)
    rows = np.arange(P)[:, None]
    value, magnitude, count = np.zeros(P), np.zeros(P), np.zeros(P, dtype=np.int64)
    block = max(1, CHUNK // max(P, 1))
    for t0 in range(0, total, block):
        c, *slots = np.unravel_index(np.arange(t0, min(total, t0 + block)), (channels, *widths))
        valid, index, taps = True, [], []
        for (src, k, ok), j in zip(tables, slots):
            index.append(src[rows, j])
            taps.append(k[rows, j])
            valid = valid & ok[rows, j]
        a = _take(data, (n[:, None], data_channel[:, None] + c, *index))
        b = _take(weight, (weight_channel[0][:, None] + c * weight_step[0],
                           weight_channel[1][:, None] + c * weight_step[1], *taps))
        if zero_taps:  # x read as 0.0 on zero padding, then multiplied: 0 * inf is NaN, as in naive.py
            a = np.where(valid, a, 0.0)
            products, absolute = a * b, np.abs(a) * np.abs(b)
        else:
            products, absolute = np.where(valid, a * b, 0.0), np.where(valid, np.abs(a) * np.abs(b), 0.0)
        value += products.sum(axis=1)
        magnitude += absolute.sum(axis=1)
        count += valid.sum(axis=1)
    return value, magnitude, count


def _boxes(shape, limit: int):
    """Split the index box `shape` into C-ordered sub-boxes of at most `limit` elements: ((start, stop), ...).

    The trailing axes stay whole while they fit, the axis before them goes in runs, and the
    axes before that one index at a time, so each box is at least half full (or the last run).
    """
    inner, j = 1, len(shape)
    while j > 0 and inner * shape[j - 1] <= limit:
        j -= 1
        inner *= shape[j]
    whole = tuple((0, n) for n in shape[j:])
    if j == 0:
        yield whole
        return
    rows = max(1, limit // inner)
    for lead in np.ndindex(*shape[:j - 1]):
        for r in range(0, shape[j - 1], rows):
            yield (*((i, i + 1) for i in lead), (r, min(shape[j - 1], r + rows)), *whole)


def _sum_grid(first, first_channel: int, second, second_channel: int, k, batch: int, grid, stride, dilation,
              before, size, mode: str):
    """One element of a sum over the whole batch and grid (grad_weight, or grad_bias when second is None):

        sum over n < batch, u in grid of first[n, first_channel, u] * second[n, second_channel, q(u)]

    with q_d(u) = source(u_d*s_d + k_d*d_d - before_d).  A zero-padding read is no term: under
    "zeros" the u of each dimension that read the input form one interval, and only it is summed.
    The grid goes in boxes of at most CHUNK elements, each read as an outer-product gather (np.ix_):
    the first operand at the box itself, the second through the per-dimension index maps q_d.
    """
    lows, highs = [0] * len(grid), list(grid)
    if second is not None and mode == "zeros":
        for dim in range(len(grid)):
            # 0 <= u*s + k*d - before <= size - 1  <=>  ceil((before - k*d) / s) <= u <= floor((size-1+before-k*d) / s)
            offset = k[dim] * dilation[dim] - before[dim]
            lows[dim] = max(0, -(offset // stride[dim]))
            highs[dim] = min(grid[dim], (size[dim] - 1 - offset) // stride[dim] + 1)
    extent = [max(0, h - lo) for lo, h in zip(lows, highs)]
    count = batch * prod(extent)
    value = magnitude = 0.0
    if count == 0:
        return value, magnitude, count
    for box in _boxes((batch, *extent), CHUNK):
        n = np.arange(*box[0])
        u = [lo + np.arange(*b) for lo, b in zip(lows, box[1:])]
        a = _take(first, np.ix_(n, [first_channel], *u))
        if second is None:
            value += a.sum()
            magnitude += np.abs(a).sum()
            continue
        q = [_source(ud * stride[dim] + k[dim] * dilation[dim] - before[dim], size[dim], mode)[0]
             for dim, ud in enumerate(u)]
        b = _take(second, np.ix_(n, [second_channel], *q))
        value += (a * b).sum()
        magnitude += (np.abs(a) * np.abs(b)).sum()
    return value, magnitude, count


def _by_chunks(at, width: int, evaluate) -> PositionValues:
    """evaluate(rows of at) over chunks of positions, at most CHUNK // width at a time."""
    P = len(at)
    out = PositionValues(np.zeros(P), np.zeros(P), np.zeros(P, dtype=np.int64))
    step = max(1, CHUNK // max(width, 1))
    for start in range(0, P, step):
        for column, part in zip(out, evaluate(at[start:start + step])):
            column[start:start + step] = part
    return out


# ---------------------------------------------------------------- forward


def _forward(spec: ConvSpec, x, w, b, at) -> PositionValues:
    cin, cout = spec.in_per_group, spec.out_per_group

    def evaluate(rows):
        n, oc, o = rows[:, 0], rows[:, 1], rows[:, 2:]
        g = oc // cout
        if spec.transposed:
            # y[n, g*cout + c, o] gets x[n, g*cin + ci, i] * w[g*cin + ci, c, k] where i*s + k*d - p == o
            tables = [_strided_taps(o[:, [d]] + spec.pad_before[d], spec.kernel_size[d], spec.stride[d],
                                    spec.dilation[d], spec.input_size[d]) for d in range(spec.ndim)]
            parts = _sum_taps(x, n, g * cin, w, (g * cin, oc % cout), (1, 0), cin, tables, zero_taps=False)
        else:
            # y[n, oc, o] gets x[n, g*cin + c, source(o*s + k*d - p_before)] * w[oc, c, k] for every tap k
            tables = [_direct_taps(o[:, d], spec.kernel_size[d], spec.stride[d], spec.dilation[d],
                                   spec.pad_before[d], spec.input_size[d], spec.padding_mode)
                      for d in range(spec.ndim)]
            parts = _sum_taps(x, n, g * cin, w, (oc, np.zeros_like(oc)), (0, 1), cin, tables, zero_taps=True)
        value, magnitude, count = parts
        if b is not None:  # added after the sum of products, as naive.py does
            bias = _take(b, (oc,))
            value, magnitude = value + bias, magnitude + np.abs(bias)
        return value, magnitude, count

    return _by_chunks(at, spec.terms_per_output, evaluate)


def conv_at(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros", *, at):
    """oracle.conv's elements at the output multi-indices `at` (P, ndim+2), with magnitudes and term counts."""
    x, weight, bias = _operand("input", x), _operand("weight", weight), _operand("bias", bias, allow_none=True)
    spec = conv_spec(x.shape, weight.shape, None if bias is None else bias.shape, stride, padding, dilation, groups,
                     padding_mode)
    at = _positions("at", at, spec.output_shape)
    with _ieee():
        return _checked(_integer(x, weight, bias), _forward(spec, x, weight, bias, at))


def conv_transpose_at(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1, *, at):
    """oracle.conv_transpose's elements at the output multi-indices `at`, with magnitudes and term counts."""
    x, weight, bias = _operand("input", x), _operand("weight", weight), _operand("bias", bias, allow_none=True)
    spec = conv_transpose_spec(x.shape, weight.shape, None if bias is None else bias.shape, stride, padding,
                               output_padding, groups, dilation)
    at = _positions("at", at, spec.output_shape)
    with _ieee():
        return _checked(_integer(x, weight, bias), _forward(spec, x, weight, bias, at))


# ---------------------------------------------------------------- gradients


def _grad_input(spec: ConvSpec, w, gy, at) -> PositionValues:
    cin, cout = spec.in_per_group, spec.out_per_group

    def evaluate(rows):
        n, ic, i = rows[:, 0], rows[:, 1], rows[:, 2:]
        g = ic // cin
        if spec.transposed:
            # x[n, ic, i] feeds y[n, g*cout + c, i*s + k*d - p] through w[ic, c, k], where that is in range
            tables = [_direct_taps(i[:, d], spec.kernel_size[d], spec.stride[d], spec.dilation[d],
                                   spec.pad_before[d], spec.output_size[d], "zeros") for d in range(spec.ndim)]
            return _sum_taps(gy, n, g * cout, w, (ic, np.zeros_like(ic)), (0, 1), cout, tables, zero_taps=False)
        # x[n, ic, i] is read by y[n, g*cout + c, o] through w[g*cout + c, ic % cin, k] wherever the
        # padded position q = o*s + k*d - p_before has source_index(q) == i: each preimage q of i
        # (several under reflect/replicate/circular) contributes the (o, k) with o*s + k*d == q + p_before
        tables = []
        for d in range(spec.ndim):
            q, q_ok = _preimages(i[:, d], spec.input_size[d], spec.pad_before[d], spec.pad_after[d], spec.padding_mode)
            o, k, ok = _strided_taps(q + spec.pad_before[d], spec.kernel_size[d], spec.stride[d], spec.dilation[d],
                                     spec.output_size[d])
            tables.append((o, k, ok & np.repeat(q_ok, ok.shape[1] // q.shape[1], axis=1)))
        return _sum_taps(gy, n, g * cout, w, (g * cout, ic % cin), (1, 0), cout, tables, zero_taps=False)

    if spec.transposed:
        width = cout * spec.kernel_volume
    else:
        width = cout * prod(_preimage_width(L, b, a, spec.padding_mode) * -(-k // (s // gcd(s, d)))
                            for L, b, a, k, s, d in zip(spec.input_size, spec.pad_before, spec.pad_after,
                                                        spec.kernel_size, spec.stride, spec.dilation))
    return _by_chunks(at, width, evaluate)


def _grad_weight(spec: ConvSpec, x, gy, at) -> PositionValues:
    cin, cout = spec.in_per_group, spec.out_per_group
    if spec.transposed:
        # w[ic, c, k] multiplies x[n, ic, i] into y[n, g*cout + c, i*s + k*d - p] (in range only)
        def one(ic, c, k):
            return _sum_grid(x, ic, gy, ic // cin * cout + c, k, spec.batch, spec.input_size, spec.stride,
                             spec.dilation, spec.pad_before, spec.output_size, "zeros")
    else:
        # w[oc, c, k] multiplies x[n, g*cin + c, source(o*s + k*d - p_before)] into y[n, oc, o]
        def one(oc, c, k):
            return _sum_grid(gy, oc, x, oc // cout * cin + c, k, spec.batch, spec.output_size, spec.stride,
                             spec.dilation, spec.pad_before, spec.input_size, spec.padding_mode)
    return _each(at, lambda row: one(int(row[0]), int(row[1]), [int(v) for v in row[2:]]))


def _grad_bias(spec: ConvSpec, gy, at) -> PositionValues:
    return _each(at, lambda row: _sum_grid(gy, int(row[0]), None, None, None, spec.batch, spec.output_size,
                                           None, None, None, None, ""))


def _each(at, evaluate) -> PositionValues:
    """evaluate(row) -> (value, magnitude, terms) for each position in turn (a whole-grid sum each)."""
    out = PositionValues(np.zeros(len(at)), np.zeros(len(at)), np.zeros(len(at), dtype=np.int64))
    for p, row in enumerate(at):
        for column, part in zip(out, evaluate(row)):
            column[p] = part
    return out


def _grads(spec: ConvSpec, x, weight, grad_output, input_at, weight_at, bias_at) -> PositionGrads:
    grad_output = _operand("grad_output", grad_output)
    if tuple(grad_output.shape) != spec.output_shape:
        raise ConvConfigError("grad_output", f"must have the output shape {spec.output_shape}, "
                                             f"got {tuple(grad_output.shape)}")
    input_at = _positions("input_at", input_at, spec.input_shape)
    weight_at = _positions("weight_at", weight_at, spec.weight_shape)
    bias_at = _positions("bias_at", bias_at, (spec.out_channels,))
    integer = _integer(x, weight, grad_output)
    with _ieee():
        return PositionGrads(
            None if input_at is None else _checked(integer, _grad_input(spec, weight, grad_output, input_at)),
            None if weight_at is None else _checked(integer, _grad_weight(spec, x, grad_output, weight_at)),
            None if bias_at is None else _checked(integer, _grad_bias(spec, grad_output, bias_at)),
        )


def conv_grads_at(x, weight, grad_output, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros", *,
                  input_at=None, weight_at=None, bias_at=None) -> PositionGrads:
    """oracle.conv_grads' elements: grad_input at input_at, grad_weight at weight_at, grad_bias at bias_at (P, 1).

    A gradient left without positions is None.  grad_input counts every read of an input element,
    padding reads (reflect, replicate, circular) included; zero-padding taps are no terms.
    """
    x, weight = _operand("input", x), _operand("weight", weight)
    spec = conv_spec(x.shape, weight.shape, None, stride, padding, dilation, groups, padding_mode)
    return _grads(spec, x, weight, grad_output, input_at, weight_at, bias_at)


def conv_transpose_grads_at(x, weight, grad_output, stride=1, padding=0, output_padding=0, groups=1, dilation=1, *,
                            input_at=None, weight_at=None, bias_at=None) -> PositionGrads:
    """oracle.conv_transpose_grads' elements at the given positions; see conv_grads_at."""
    x, weight = _operand("input", x), _operand("weight", weight)
    spec = conv_transpose_spec(x.shape, weight.shape, None, stride, padding, output_padding, groups, dilation)
    return _grads(spec, x, weight, grad_output, input_at, weight_at, bias_at)
