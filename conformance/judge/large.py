"""The `large` profile: convolutions past 2**31 elements or bytes, checked at sampled positions.

32-bit index arithmetic, batch splitting and tiling decisions only happen on big tensors, where a
full reference is out of reach.  A `LargeCase` names a config whose input or output crosses 2**31
(or 2**32) elements or bytes; its data are small integers hashed from each element's index and a
seed (oracle.hashed.HashedTensor), so the oracle evaluates any output element exactly from the
seed alone, and a reproducer needs only the case's name.  `positions()` aims the sample at where
indexing breaks: first and last elements of every axis, the output elements at and just before
flat offsets 2**31 and 2**32 (elements and bytes) of the output, the output elements that read the
input elements at those offsets, SIMD/tile block edges of the batch, channel and last spatial axes,
and uniform random positions.  `check_large()` materialises the data in the backend's process (an
isolated worker: the parent never holds the big arrays), runs the call, brings back only the
sampled values, the time and the process's peak memory, and judges them with the usual bounds.

Cases too big for this machine's free memory skip with the reason (`fits()`); backends opt in with
`Capabilities.large_tensors`, since a backend that copies its inputs to float64 cannot hold them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from math import prod
from typing import Optional

import numpy as np

from oracle.hashed import HashedTensor
from oracle.positions import conv_at, conv_transpose_at

from conformance.backends.protocol import tensor_layouts
from conformance.model.config import ConvConfig

BOUNDARIES = (2**31, 2**32)
BLOCKS = (8, 16, 32, 64)  # SIMD widths and tile sizes (AVX2 8 floats, AVX-512 16, oneDNN blocks of 16 to 64)
RANDOM_POSITIONS = 256
# the numpy dtype a backend receives its data in: the narrowest that holds the values exactly (bfloat16
# data arrive as float32, numpy having no bfloat16); small integers are exact in all of them
STORAGE = {"float64": np.float64, "float32": np.float32, "float16": np.float16, "bfloat16": np.float32}
ITEMSIZE = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2}  # bytes per element in the backend
TIMEOUT = 3600.0  # seconds a large call may take before it counts as hung (filling 2**31 elements takes ~30 s)


@dataclass(frozen=True)
class LargeCase:
    """One large configuration: what it crosses, and (for a replay) the report it comes from."""

    key: str
    config: ConvConfig
    dtype: str
    why: str
    cite: Optional[str] = None  # the public report a replay reproduces
    seed: int = 0

    def tensors(self):
        """(input, weight, bias) as HashedTensors: integers in [-1, 1], so sums stay exact for long reductions."""
        c = self.config
        x = HashedTensor(self.seed, (c.batch, c.in_channels, *c.input_size), -1, 1)
        w = HashedTensor(self.seed + 1, c.weight_shape, -1, 1)
        b = HashedTensor(self.seed + 2, (c.out_channels,), -1, 1) if c.bias else None
        return x, w, b

    def reproducer(self, backend_spec: str, check: str = "forward") -> str:
        """`convconf large` re-running this case: a built-in case by its key, any other (a zoo layer) by its config
        and dtype (the data are hashed from the seeds alone)."""
        import shlex

        from conformance.backends import registry

        prefix = registry.command_prefix(backend_spec)
        which = (f"--case {self.key}" if CASES.get(self.key) == self else
                 f"--config {shlex.quote(self.config.short())} --dtype {self.dtype}")
        return (f"{prefix}python -m conformance large --backend {shlex.quote(backend_spec)} {which}"
                + (f" --check {check}" if check != "forward" else ""))


def _conv(ndim, batch, cin, cout, size, kernel, stride=1, padding=0, dilation=1, groups=1, bias=True,
          transposed=False, output_padding=None):
    def per_axis(v):
        return tuple(v) if isinstance(v, (tuple, list)) else (v,) * ndim

    return ConvConfig(ndim=ndim, batch=batch, in_channels=cin, out_channels=cout, groups=groups,
                      input_size=per_axis(size), kernel_size=per_axis(kernel), stride=per_axis(stride),
                      padding=per_axis(padding), dilation=per_axis(dilation), padding_mode="zeros", bias=bias,
                      transposed=transposed, output_padding=per_axis(output_padding) if transposed else None)


LARGE_CASES = (
    LargeCase("f32-past-2**31-bytes", _conv(2, 1, 8, 8, (8200, 8200), 3, padding=1), "float32",
              "input and output of 537,920,000 float32 elements: 2,151,680,000 bytes each, past 2**31 bytes"),
    LargeCase("f16-past-2**31-elements", _conv(2, 1, 2, 1, (32800, 32800), 3, stride=2, padding=1), "float16",
              "input of 2,151,680,000 float16 elements, past 2**31 elements (and 2**32 bytes)"),
    LargeCase("bf16-past-2**31-elements", _conv(2, 1, 2, 1, (32800, 32800), 3, stride=2, padding=1), "bfloat16",
              "input of 2,151,680,000 bfloat16 elements, past 2**31 elements"),
    LargeCase("f32-transposed-output-past-2**31-bytes", _conv(2, 1, 4, 2, (8200, 8200), 2, stride=2,
                                                              transposed=True, output_padding=0), "float32",
              "transposed: output of 2 x 16400 x 16400 = 537,920,000 float32 elements, past 2**31 bytes"),
    LargeCase("pytorch-9404", _conv(2, 1, 64, 64, (1167, 1167), 5, dilation=2), "float32",
              "an im2col buffer of 1600 x 1159**2 = 2,149,249,600 elements, just past 2**31 (1166 rows fit): "
              "the CPU slow path segfaulted on int overflow", "https://github.com/pytorch/pytorch/issues/9404"),
    LargeCase("pytorch-117736", _conv(2, 1, 514, 1, (2048, 2048), 3, padding=1), "float16",
              "input of 2,155,872,256 float16 elements (512 channels fit): an illegal memory access in the CUDA "
              "im2col", "https://github.com/pytorch/pytorch/issues/117736"),
    LargeCase("pytorch-87354", _conv(3, 1, 32, 1, (512, 512, 256), 1, bias=False), "float32",
              "input of exactly 2**31 float32 elements: the CUDA native kernel asserted (#43476), then returned "
              "zeros (#87354)", "https://github.com/pytorch/pytorch/issues/87354"),
    LargeCase("pytorch-9264", _conv(3, 1, 96, 256, (111, 63, 111), 4, dilation=2), "float32",
              "a vol2col buffer of 6144 x 628,425 = 3,861,043,200 elements: the CPU slow path segfaulted",
              "https://github.com/pytorch/pytorch/issues/9264"),
    LargeCase("pytorch-84488", _conv(3, 1, 28, 12, (514, 514, 256), 1), "float32",
              "input of 1,893,756,928 float32 elements, 7.6 GB, past 2**32 bytes: oneDNN returned wrong values",
              "https://github.com/pytorch/pytorch/issues/84488"),
    LargeCase("pytorch-17930", _conv(3, 25, 1, 10, (100, 375, 128), (3, 3, 10), padding=(1, 1, 0)), "float32",
              "output of 4,462,500,000 bytes, past 2**32 (batch 24 fits): cuDNN's illegal memory access",
              "https://github.com/pytorch/pytorch/issues/17930"),
    LargeCase("pytorch-22496", _conv(3, 48, 3, 64, (64, 224, 224), (1, 7, 7), stride=(1, 2, 2),
                                     padding=(0, 3, 3), bias=False), "float32",
              "output of 2,466,250,752 elements, past 2**31 (batch 41 fits): cuDNN refused (NOT_SUPPORTED)",
              "https://github.com/pytorch/pytorch/issues/22496"),
    LargeCase("pytorch-152816", _conv(2, 1, 2, 2, (32800, 32800), 3, padding=1, groups=2), "float32",
              "depthwise, input and output of 2,151,680,000 elements: 64-bit depthwise kernels on CUDA",
              "https://github.com/pytorch/pytorch/issues/152816"),
)
CASES = {case.key: case for case in LARGE_CASES}


# ---------------------------------------------------------------- sizes and memory

def output_shape(config: ConvConfig) -> tuple:
    return tuple(config.output_shape)


def bytes_needed(case: LargeCase, grads: bool = False) -> int:
    """Host memory the backend's process holds at its peak, estimated: the inputs as numpy stores them plus a
    reordered copy (oneDNN's blocked layouts) and, when it differs, a copy in the compute dtype (bfloat16 from
    float32); the output as numpy returns it plus two copies in the compute dtype; half a GiB for the process.
    The torch-cpu large run's measured peaks (GiB, estimate in brackets): f32 past 2**31 bytes 8.2 (10.5),
    f16 past 2**31 elements 8.7 (10.0), bf16 16.8 (18.5), transposed f32 7.3 (8.5), pytorch-117736 8.3 (8.6),
    pytorch-87354 16.5 (17.3), pytorch-17930 11.5 (13.9), pytorch-84488 19.4 (23.7: skipped below that much
    free memory, though it ran once in 19.4)."""
    c, item = case.config, ITEMSIZE[case.dtype]
    stored = np.dtype(STORAGE[case.dtype]).itemsize
    inputs = prod(c.input_shape) + prod(c.weight_shape)
    out = prod(c.output_shape)
    total = inputs * (stored + item) + out * (stored + 2 * item) + 2**29
    if stored != item:
        total += inputs * item
    if grads:  # grad_output as the output is held, grad_input and grad_weight as the inputs are (estimated alike)
        total += out * (stored + item) + inputs * (stored + 2 * item)
    return int(total)


def available_bytes() -> Optional[int]:
    """MemAvailable from /proc/meminfo (None where there is none)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def fits(case: LargeCase, grads: bool = False) -> Optional[str]:
    """Why `case` (its gradient call, with `grads`) does not fit this machine's free memory now, or None."""
    need, free = bytes_needed(case, grads), available_bytes()
    if free is not None and need > free:
        return f"needs about {need / 2**30:.1f} GiB of memory, {free / 2**30:.1f} GiB available"
    return None


# ---------------------------------------------------------------- where to look


def _index_reading(config: ConvConfig, n: int, c: int, spatial: tuple, out_shape: tuple):
    """An output multi-index whose window reads input element (n, c, *spatial), or None."""
    cin_g, cout_g = config.in_channels // config.groups, config.out_channels // config.groups
    oc = (c // cin_g) * cout_g
    out = []
    for axis, i in enumerate(spatial):
        s, p, d, k = (config.stride[axis], config.padding[axis], config.dilation[axis], config.kernel_size[axis])
        size = out_shape[2 + axis]
        found = None
        for tap in range(k):
            if config.transposed:  # output o = i * s - p + tap * d reads input i
                o = i * s - p + tap * d
                ok = 0 <= o < size
            else:  # output o reads input o * s - p + tap * d = i
                num = i + p - tap * d
                o = num // s
                ok = num % s == 0 and 0 <= o < size
            if ok:
                found = o
                break
        if found is None:
            return None
        out.append(found)
    return (n, oc, *out)


def aimed(shape: tuple, item: int, add) -> None:
    """Offer `add(index, why)` the elements of a tensor of `shape` (`item` bytes each) where indexing breaks: the
    first and last elements, the last along each axis, those at and just before flat offsets 2**31 and 2**32
    (elements and bytes), and the SIMD/tile block edges of axes 0, 1 and the last (the other axes at their middle)."""
    add(tuple(0 for _ in shape), "first element")
    add(tuple(n - 1 for n in shape), "last element")
    for axis, n in enumerate(shape):
        add(tuple(n - 1 if a == axis else 0 for a in range(len(shape))), f"last along axis {axis}")
    size = prod(shape)
    for bound in BOUNDARIES:
        for unit, per in (("elements", 1), ("bytes", item)):
            k = bound // per
            for flat in (k - 1, k):
                if flat < size:
                    add(np.unravel_index(flat, shape), f"offset {flat} ({'at' if flat == k else 'before'}"
                        f" 2**{bound.bit_length() - 1} {unit})")
    middle = [n // 2 for n in shape]
    for axis in sorted({0, min(1, len(shape) - 1), len(shape) - 1}):
        for block in BLOCKS:
            for i in (block - 1, block):
                if i < shape[axis]:
                    add(tuple(i if a == axis else middle[a] for a in range(len(shape))),
                        f"block edge {i} of axis {axis}")


class Chosen(dict):
    """index -> why it was chosen, in first-chosen order; one element may be chosen for several reasons."""

    def __init__(self, shape: tuple):
        super().__init__()
        self.shape = tuple(shape)

    def add(self, index, why: str) -> None:
        index = tuple(int(i) for i in index)
        if all(0 <= i < n for i, n in zip(index, self.shape)):
            self[index] = f"{self[index]}; {why}" if index in self else why

    def add_random(self, rng, count: int) -> None:
        for _ in range(count):
            self.add(tuple(int(rng.integers(n)) for n in self.shape), "uniform random")

    def arrays(self):
        """(at, reasons): the multi-indices (P, rank) and why each was chosen."""
        return np.array(list(self), dtype=np.int64).reshape(-1, len(self.shape)), list(self.values())


def positions(case: LargeCase, count: int = RANDOM_POSITIONS):
    """(at, reasons): output multi-indices (P, ndim+2) to check and why each was chosen: aimed() at the output, the
    outputs that read the input elements at and before its offsets 2**31 and 2**32, and `count` uniform random."""
    config = case.config
    out_shape = output_shape(config)
    in_shape = (config.batch, config.in_channels, *config.input_size)
    item = ITEMSIZE[case.dtype]
    chosen = Chosen(out_shape)
    aimed(out_shape, item, lambda index, why: chosen.add(index, f"output {why}"))
    in_size = prod(in_shape)
    for bound in BOUNDARIES:
        for unit, per in (("elements", 1), ("bytes", item)):
            k = bound // per
            for flat in (k - 1, k):
                if flat >= in_size:
                    continue
                for step in range(64):  # the first element at or after the offset that some output reads
                    target = np.unravel_index(flat + step if flat == k else flat - step, in_shape)
                    reader = _index_reading(config, int(target[0]), int(target[1]), tuple(map(int, target[2:])),
                                            out_shape)
                    if reader is not None:
                        chosen.add(reader, f"reads input offset {flat + step if flat == k else flat - step} "
                                           f"({'at or past' if flat == k else 'before'} 2**{bound.bit_length() - 1} "
                                           f"{unit})")
                        break
    chosen.add_random(np.random.default_rng(case.seed), count)
    return chosen.arrays()


# ---------------------------------------------------------------- in the backend's process


def _peak_reset() -> None:
    try:  # Linux: writing 5 resets the process's peak resident set size (VmHWM)
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _peak_bytes() -> Optional[int]:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def materialise(tensor: HashedTensor, dtype: str) -> np.ndarray:
    return tensor.fill(np.empty(tensor.shape, dtype=STORAGE[dtype]))


def call_at(backend, case: LargeCase, at: np.ndarray) -> dict:
    """In the backend's process: make the data, call the backend, return the values at `at` and what it cost."""
    _peak_reset()
    started = time.perf_counter()
    x, w, b = (None if t is None else materialise(t, case.dtype) for t in case.tensors())
    made = time.perf_counter()
    result = backend.forward(case.config, x, w, b, case.dtype)
    called = time.perf_counter()
    out = result.output
    values = np.asarray(out[tuple(at.T)], dtype=np.float64)
    return dict(values=values, shape=tuple(out.shape), dtype=result.dtype, kernel_path=result.kernel_path,
                notes=result.notes, data_seconds=round(made - started, 2), call_seconds=round(called - made, 2),
                peak_bytes=_peak_bytes(), layouts=tensor_layouts(backend, {"input": x, "weight": w, "bias": b}))


# ---------------------------------------------------------------- the verdict


def reference(case: LargeCase, at: np.ndarray):
    """The oracle at `at`: PositionValues (values, magnitudes, terms), from the seeds alone."""
    c = case.config
    x, w, b = case.tensors()
    if c.transposed:
        return conv_transpose_at(x, w, b, c.stride, c.padding, c.output_padding, c.groups, c.dilation, at=at)
    return conv_at(x, w, b, c.stride, c.padding, c.dilation, c.groups, c.padding_mode, at=at)


def judged(backend, case: LargeCase, direction: str, at, reasons, values, ref, lines: list, repro: str, got: dict,
           recorder=None):
    """(Measurement, accuracy class) of the sampled `values` of one result against the oracle's PositionValues
    `ref`, judged as one vector with the terms of its longest sum (`got`: the call's dtype, kernel path, notes and
    layouts); otherwise NonConformance naming the failing positions, or KnownNonConformance where a known issue
    claims them (claimed()), counted in `recorder`."""
    from conformance.judge.checks import _declared_class, _known, exact_owed
    from conformance.judge.recording import Recorder
    from conformance.judge.verdict import Case, NonConformance, Observation

    terms = int(ref.terms.max()) if len(ref.terms) else 1
    accuracy = _declared_class(backend, case.dtype)
    peak = np.ones(1)  # hashed data lie in [-1, 1]
    exact = exact_owed(backend, case.dtype, terms, peak, peak, peak if case.config.bias else None)
    verdict_case = Case(backend.name, case.config, case.dtype, "integer", case.seed, direction, got.get("layouts"))
    observed = Observation(verdict_case, values, got["dtype"], lambda: ((ref.values,), (ref.magnitudes,)), (),
                           terms, accuracy, exact, got["kernel_path"], notes=got.get("notes"))
    try:
        return observed.compare(*observed.oracle()), accuracy
    except NonConformance as bad:
        wrong = np.flatnonzero(~((values == ref.values) | (np.isnan(values) & np.isnan(ref.values))))
        if not exact:
            from conformance.model.bounds import arithmetic

            bound = arithmetic(case.dtype, accuracy).bound(ref.magnitudes, terms)
            with np.errstate(invalid="ignore"):
                wrong = np.flatnonzero(~(np.abs(values - ref.values) <= bound))
        table = [f"  {tuple(int(i) for i in at[p])}  oracle {ref.values[p]:.9g}  backend {values[p]:.9g}  "
                 f"({reasons[p]})" for p in wrong[:12]]
        more = [f"  ... and {len(wrong) - 12} more"] if len(wrong) > 12 else []
        text = []
        for line in str(bad).splitlines():  # check() judged the sample as a vector: name positions, not sample indices
            if line.startswith("  worst index"):
                k = int(line.split("(")[1].split(",")[0])
                line = f"  worst index   {tuple(int(i) for i in at[k])} ({reasons[k]})"
            elif line.startswith("  reproduce"):
                line = f"  reproduce     {repro}"
            text.append(line)
        text[1:1] = [f"  {line}" for line in lines]
        text = "\n".join(text + [f"  failing {direction} positions (index, oracle, backend, why sampled):",
                                 *[f"  {row}" for row in table], *more])
        issue = claimed(observed, ref)
        if issue is not None:
            raise _known(recorder or Recorder(), backend.name, issue, text) from None
        raise NonConformance(text, bad.ratio, verdict_case) from None


def claimed(observed, ref):
    """The known issue that explains a failing sample, or None: one that names this backend, dtype, kernel path,
    config, direction and layouts and whose hypothesis the sample can be re-judged under: wrong values (its geometry
    is the whole claim), uninitialised memory (any value where no product reaches: ref.terms == 0), transform
    accuracy (the norm-wise class).  Hashed integer data hold no subnormal or NaN, so flush-to-zero and NaN leaks
    cannot explain a sample."""
    from conformance.findings import check_direction, matching
    from conformance.judge.verdict import NonConformance

    case = observed.case
    for issue in matching(case.backend, case.dtype, observed.kernel_path, case.config, case.kind,
                          check_direction(case.config, case.direction), case.layouts):
        if issue.hypothesis == "wrong-values":
            return issue
        try:
            if issue.hypothesis == "uninitialised":
                observed.compare(np.where(ref.terms == 0, np.asarray(observed.got, dtype=np.float64), ref.values),
                                 ref.magnitudes)
                return issue
            if issue.hypothesis == "transform-accuracy":
                observed.compare(ref.values, ref.magnitudes, accuracy_class="transform")
                return issue
        except NonConformance:
            continue
    return None


def judge(backend, case: LargeCase, at, reasons, got: dict, spec: Optional[str] = None, recorder=None) -> dict:
    """Raise NonConformance naming the failing positions unless the sampled values conform; else a summary."""
    from conformance.judge.verdict import Case, NonConformance

    expected = output_shape(case.config)
    lines = [f"large case    {case.key}: {case.why}" + (f" ({case.cite})" if case.cite else ""),
             f"data          integers in [-1, 1] hashed from each element's index and seed {case.seed}",
             f"sampled       {len(at)} of {prod(expected)} output elements"]
    if tuple(got["shape"]) != expected:
        raise NonConformance(f"{backend.name}: wrong output shape {tuple(got['shape'])} != {expected}\n  "
                             + "\n  ".join(lines), case=Case(backend.name, case.config, case.dtype, "integer",
                                                              case.seed))
    measured, accuracy = judged(backend, case, "forward", at, reasons, got["values"], reference(case, at), lines,
                                case.reproducer(spec or backend.name), got, recorder)
    return dict(case=case.key, positions=len(at), worst_ratio=measured.ratios.get(accuracy),
                data_seconds=got["data_seconds"], call_seconds=got["call_seconds"], peak_bytes=got["peak_bytes"],
                kernel_path=got["kernel_path"], output_elements=prod(expected))


def check_large(backend, case: LargeCase, spec: Optional[str] = None, *, recorder=None) -> dict:
    """Run `case` on `backend` (an IsolatedBackend runs it in its worker, with TIMEOUT) and judge it; the kernel
    path that served it goes into `recorder` (conformance.judge.recording), where one is given."""
    from conformance.backends.protocol import BackendCrash, BackendTimeout
    from conformance.judge.verdict import Case, NonConformance

    at, reasons = positions(case)
    run = getattr(backend, "run_in_process", None)
    try:
        got = run(call_at, case, at, timeout=TIMEOUT) if run is not None else call_at(backend, case, at)
    except (BackendCrash, BackendTimeout) as died:
        raise NonConformance(f"{backend.name}: {died}\n  large case {case.key}: {case.why}\n  reproduce    "
                             f"{case.reproducer(spec or backend.name)}", case=Case(backend.name, case.config,
                                                                                  case.dtype, "integer", case.seed),
                             died="crash" if isinstance(died, BackendCrash) else "timeout") from None
    if recorder is not None:
        recorder.call(backend.name, got["kernel_path"])
    return judge(backend, case, at, reasons, got, spec, recorder)


__all__ = ["CASES", "LARGE_CASES", "Chosen", "LargeCase", "aimed", "available_bytes", "bytes_needed", "call_at",
           "check_large", "claimed", "fits", "judge", "judged", "output_shape", "positions", "reference"]
