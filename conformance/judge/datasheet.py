"""A backend's numerical datasheet: what its arithmetic really is, read off crafted convolutions.

After Fasi, Higham, Mikaitis & Pranesh (PeerJ Comput. Sci. 2021, on tensor cores) and FPRev (2024, on summation
order): each probe is a 1-d convolution whose exact result is a power of two or a count, chosen so that each
arithmetic choice gives a different value.  Two reductions are probed, because kernels differ: over input
channels (a 1x1 convolution: `channels`) and over the taps of one channel (`taps`).  Per dtype and reduction:

  accumulator bits   the first q with 1.5 + 2^-q - 1.5 != 2^-q: partial sums hold q significant bits (1.5 keeps
                     the spacing the same whichever side of it the sum lies, so the order does not matter)
  products           -(1 + 2^-(p-2)) + a*a with a = 1 + 2^-(p-1) (p: the dtype's precision) is 2^-(2p-2) when the
                     product reaches the sum unrounded (a fused multiply-add, or products exact in a wider
                     accumulator), else 0
  rounding           1 + 0.75 ulp - 1 and -1 - 0.75 ulp + 1 at the accumulator's precision: nearest, toward
                     zero, up or down
  subnormal inputs   a subnormal of the dtype times 1: kept, or read as zero (DAZ)
  subnormal results  the smallest normal times 0.5: kept, or flushed to zero (FTZ)
  order              M at position 0, -M at position j, ones elsewhere (M absorbs any one added to it): the ones
                     that survive, for every j, matched against left to right, right to left, pairwise and
                     blocked orders (FPRev's idea); "unmatched" where none explains them

Probes read what the arithmetic does on these values; a kernel that switches paths by size may differ on real
layers, so each entry names the kernel path that served it.
"""

from __future__ import annotations

import numpy as np

from conformance.model.config import ConvConfig
from conformance.model.dtypes import DTYPES, round_to_dtype

AXES = ("channels", "taps")
ORDER_TERMS = 32  # terms of the order probe: blocks and lanes up to 16 are told apart
# the positions of -M probed: 4 of them already tell every modelled order apart (tests/engine/test_datasheet.py);
# the others guard against an unmodelled order matching by chance
ORDER_POSITIONS = (1, 2, 3, 5, 8, 13, 16, 17, 24, 31)


def _config(axis: str, terms: int) -> ConvConfig:
    if axis == "channels":  # y = sum_c x[c] w[c]: a 1x1 convolution over `terms` input channels
        return ConvConfig(1, 1, terms, 1, 1, (1,), (1,), (1,), (0,), (1,), bias=False)
    return ConvConfig(1, 1, 1, 1, 1, (terms,), (terms,), (1,), (0,), (1,), bias=False)  # one channel, `terms` taps


def _sum(backend, axis: str, dtype: str, x, w):
    """(backend's value of sum x_i w_i as float64, kernel path), the terms in this order along `axis`."""
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    config = _config(axis, len(x))
    shape = (1, len(x), 1) if axis == "channels" else (1, 1, len(x))
    result = backend.forward(config, x.reshape(shape), w.reshape(shape), None, dtype)
    return float(np.asarray(result.output, dtype=np.float64).reshape(-1)[0]), result.kernel_path


def _precision(dtype: str) -> int:
    return DTYPES[dtype].mantissa_bits + 1


def accumulator_bits(backend, axis, dtype):
    """(q, True) for the first q with 1.5 + 2^-q - 1.5 != 2^-q: 2^-(q-1) survived, so partial sums hold q bits (a
    leading one and q - 1 fraction bits); (q + 1, False) where even the smallest 2^-q the dtype holds (its smallest
    subnormal, or 2^-64) survived: at least that many (or 1.5 - 1.5 was summed first)."""
    fmt = DTYPES[dtype]
    reach = min(64, int(-np.log2(fmt.smallest_subnormal)))  # the smallest 2^-q the dtype holds
    found = {}

    def survives(q):
        small = 2.0 ** -q
        got, found["path"] = _sum(backend, axis, dtype, [1.5, small, -1.5], [1.0, 1.0, 1.0])
        return got == small

    if survives(reach):
        return (reach + 1, False), found["path"]
    low, high = 0, reach  # 2^-low survives (q = 0: 1.5 + 1 - 1.5 is exact in any format), 2^-high does not
    while high - low > 1:  # a narrower accumulator loses every smaller term too: bisect
        mid = (low + high) // 2
        low, high = (mid, high) if survives(mid) else (low, mid)
    return (high, True), found["path"]


def products(backend, axis, dtype):
    p = _precision(dtype)
    a = 1.0 + 2.0 ** -(p - 1)
    exact = 2.0 ** -(2 * p - 2)  # a*a = 1 + 2^-(p-2) + 2^-(2p-2)
    got, path = _sum(backend, axis, dtype, [-(1.0 + 2.0 ** -(p - 2)), a], [1.0, a])
    if got == exact:
        return "unrounded (fused multiply-add, or exact in a wider accumulator)", path
    return ("rounded before the addition" if got == 0 else f"other ({got!r})"), path


def rounding(backend, axis, dtype, bits):
    """Direction of the accumulator's rounding at 1 + 0.75 ulp (and its negative), at `bits` of precision."""
    if bits is None:
        return "not measured (accumulator bits unknown)", None
    ulp = 2.0 ** -(bits - 1)  # of the partial sums in [1, 2)
    tiny = round_to_dtype(0.75 * ulp, dtype)
    if tiny != 0.75 * ulp:
        return "not measured (0.75 ulp is not a value of this dtype)", None
    up, path = _sum(backend, axis, dtype, [1.5, tiny, -1.5], [1.0, 1.0, 1.0])
    down, _ = _sum(backend, axis, dtype, [-1.5, -tiny, 1.5], [1.0, 1.0, 1.0])
    names = {(ulp, -ulp): "to nearest", (0.0, 0.0): "toward zero", (ulp, 0.0): "up (toward +inf)",
             (0.0, -ulp): "down (toward -inf)"}
    return names.get((up, down), f"unmatched ({up!r}, {down!r})"), path


def subnormal_inputs(backend, axis, dtype):
    fmt = DTYPES[dtype]
    s = fmt.smallest_subnormal * 4
    got, path = _sum(backend, axis, dtype, [s], [1.0])
    return ("kept" if got == s else "read as zero (DAZ)" if got == 0 else f"other ({got!r})"), path


def subnormal_results(backend, axis, dtype):
    fmt = DTYPES[dtype]
    normal = fmt.smallest_subnormal * 2 ** (_precision(dtype) - 1)  # the smallest normal number
    got, path = _sum(backend, axis, dtype, [normal], [0.5])
    return ("kept" if got == normal / 2 else "flushed to zero (FTZ)" if got == 0 else f"other ({got!r})"), path


def _combine(a, b):
    """Add two partial sums of the order probe, each (big, ones): big is "M", "-M" or None, ones the count of
    ones it holds.  A big value absorbs the ones added to it; M + -M cancels exactly (what they absorbed is lost)."""
    if a[0] and b[0]:
        return None, 0
    if a[0] or b[0]:
        return a[0] or b[0], 0
    return None, a[1] + b[1]


def _fold(parts):
    total = parts[0]
    for part in parts[1:]:
        total = _combine(total, part)
    return total


def _pairwise(parts):
    if len(parts) == 1:
        return parts[0]
    mid = (len(parts) + 1) // 2
    return _combine(_pairwise(parts[:mid]), _pairwise(parts[mid:]))


def simulate(name: str, n: int, j: int) -> float:
    """The order probe's value (M at 0, -M at j, ones elsewhere, n terms) under the summation order `name`."""
    parts = [("M", 0) if i == 0 else ("-M", 0) if i == j else (None, 1) for i in range(n)]
    if name == "left to right":
        total = _fold(parts)
    elif name == "right to left":
        total = _fold(parts[::-1])
    elif name == "pairwise":
        total = _pairwise(parts)
    elif "lanes" in name:  # a vector accumulator: term i into lane i mod L, each lane in order, then the lanes
        lanes = int(name.split()[0])
        sums = [_fold(parts[lane::lanes]) for lane in range(lanes)]
        total = _fold(sums) if name.endswith("left to right") else _pairwise(sums)
    else:  # "blocked B": each block left to right, then the block sums left to right
        block = int(name.split()[1])
        total = _fold([_fold(parts[i:i + block]) for i in range(0, n, block)])
    return float(total[1]) if total[0] is None else float("nan")


ORDERS = ("left to right", "right to left", "pairwise", *[f"blocked {b}" for b in (2, 4, 8, 16)],
          *[f"{lanes} lanes, then {how}" for lanes in (2, 4, 8, 16) for how in ("left to right", "pairwise")
            if lanes > 2 or how == "left to right"])  # two lane sums: one addition, either way


def order(backend, axis, dtype, bits):
    """The summation order the M/-M probe implies, matched against ORDERS."""
    if bits is None:
        return "not measured (accumulator bits unknown)", None
    n = ORDER_TERMS
    big = 2.0 ** (bits + 8)  # ulp(M) = 2^9 > 2n: every one added to M is lost
    if round_to_dtype(big, dtype) != big or not np.isfinite(round_to_dtype(big, dtype)):
        return "not measured (M is not a value of this dtype)", None
    seen, path = [], None
    for j in ORDER_POSITIONS:
        x = np.ones(n)
        x[0], x[j] = big, -big
        got, path = _sum(backend, axis, dtype, x, np.ones(n))
        seen.append(got)
    for name in ORDERS:
        if all(simulate(name, n, j) == got for j, got in zip(ORDER_POSITIONS, seen)):
            return name, path
    exact = all(v == n - 2 for v in seen)
    return ("exact (every one kept: wider than M's precision, or reordered)" if exact else
            "unmatched (ones kept with -M at position " + ", ".join(f"{j}: {v:g}" for j, v in
                                                                 zip(ORDER_POSITIONS, seen)) + ")"), path


def datasheet(backend, dtypes=None) -> dict:
    """{dtype: {axis: {probe: value, ..., "kernel path": path}}} for the backend's declared dtypes."""
    sheet = {}
    for dtype in dtypes or backend.capabilities.dtypes:
        sheet[dtype] = {}
        for axis in AXES:
            entry, paths = {}, set()
            try:
                (bits, measured), path = accumulator_bits(backend, axis, dtype)
            except Exception as exc:  # noqa: BLE001 - a backend that cannot run a probe: said, not fatal
                (bits, measured), path = (None, False), None
                entry["accumulator bits"] = _failed(exc)
            else:
                entry["accumulator bits"] = str(bits) if measured else f"at least {bits} (the probe's reach)"
            paths.add(path)
            bits = bits if measured else None
            for name, probe in (("products", products), ("rounding", rounding), ("subnormal inputs", subnormal_inputs),
                                ("subnormal results", subnormal_results), ("order", order)):
                try:
                    entry[name], path = (probe(backend, axis, dtype, bits) if name in ("rounding", "order")
                                         else probe(backend, axis, dtype))
                except Exception as exc:  # noqa: BLE001
                    entry[name], path = _failed(exc), None
                paths.add(path)
            entry["kernel path"] = ", ".join(sorted(str(p) for p in paths if p))
            sheet[dtype][axis] = entry
    return sheet


def _failed(exc) -> str:
    message = str(exc).strip().splitlines()
    return f"probe failed: {getattr(exc, 'type_name', type(exc).__name__)}: {message[0][:120] if message else ''}"


PROBES = ("accumulator bits", "products", "rounding", "subnormal inputs", "subnormal results", "order", "kernel path")


def markdown(sheet: dict) -> list:
    """The datasheet as markdown table lines: a row per (dtype, reduction)."""
    lines = ["| dtype | reduction | " + " | ".join(PROBES) + " |", "|---|---|" + "---|" * len(PROBES)]
    for dtype, axes in sheet.items():
        for axis, entry in axes.items():
            lines.append(f"| {dtype} | {axis} | " + " | ".join(str(entry.get(p, "-")) for p in PROBES) + " |")
    return lines


__all__ = ["AXES", "ORDERS", "PROBES", "datasheet", "markdown", "simulate"]
