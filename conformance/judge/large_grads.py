"""The gradients of a convolution too big for the whole oracle, checked at sampled positions (issue #32).

A zoo layer past MAX_MACS (conformance.certify.model_run) is a `LargeCase`: its input, weight and bias are
integers in [-1, 1] hashed from each element's index and the case's seed, and so is grad_output (seed + 3), so
the oracle evaluates any element of grad_input, grad_weight or grad_bias from the seeds (oracle.positions), and
the reproducer needs only the config.  The backend's process makes the data, runs its gradient call and sends
back the sampled elements; each gradient is judged as the forward sample is (large.judged).

Where each gradient is sampled: large.aimed() on its own shape (first and last elements, the last along each
axis, flat offsets 2**31 and 2**32, SIMD block edges of axes 0, 1 and the last) and uniform random elements.
A grad_input element costs the oracle one window (out_channels/groups x kernel products), so it gets the forward's
RANDOM_POSITIONS; a grad_weight or grad_bias element sums the whole batch and grid (batch x the output grid, or
the input grid when transposed), so those two share WHOLE_GRID_PRODUCTS products: every aimed element that fits,
then random ones, at least the first and last element each.
"""

from __future__ import annotations

import time
from math import prod
from typing import Optional

import numpy as np

from oracle.hashed import HashedTensor
from oracle.positions import conv_grads_at, conv_transpose_grads_at

from conformance.backends.protocol import tensor_layouts
from conformance.judge.large import (ITEMSIZE, RANDOM_POSITIONS, Chosen, LargeCase, _peak_bytes, _peak_reset, aimed,
                                     judged, materialise, output_shape)

# products the oracle sums for the sampled grad_weight and grad_bias elements together: ~30 ns each from arrays
# (a case of at most MATERIALISE elements a tensor), ~100 ns from hashed tensors: 5 to 15 s of one core
WHOLE_GRID_PRODUCTS = 1.5 * 10**8
MATERIALISE = 2**25  # tensors of at most this many elements are made as int8 arrays for the oracle: faster reads


def grad_output_tensor(case: LargeCase) -> HashedTensor:
    return HashedTensor(case.seed + 3, output_shape(case.config), -1, 1)


def grid_products(case: LargeCase) -> int:
    """Products one grad_weight or grad_bias element sums: the batch times the output grid (the input grid when
    transposed, where the weight meets every input position)."""
    c = case.config
    return c.batch * prod(c.input_size if c.transposed else output_shape(c)[2:])


def grad_positions(case: LargeCase, count: int = RANDOM_POSITIONS, budget: float = WHOLE_GRID_PRODUCTS) -> dict:
    """gradient -> (at, reasons): the elements of each gradient to check (grad_bias only with a bias), the
    grad_weight and grad_bias ones within `budget` products of the oracle's whole-grid sums."""
    c = case.config
    item = ITEMSIZE[case.dtype]
    rng = np.random.default_rng(case.seed)
    out = {}
    chosen = Chosen((c.batch, c.in_channels, *c.input_size))
    aimed(chosen.shape, item, chosen.add)
    chosen.add_random(rng, count)
    out["grad_input"] = chosen.arrays()
    # grad_weight and grad_bias: the budget of whole-grid sums, halved between them when there is a bias
    each = grid_products(case)
    sums = max(2, int(budget // max(each, 1)))
    shapes = {"grad_weight": c.weight_shape, **({"grad_bias": (c.out_channels,)} if c.bias else {})}
    for name, shape in shapes.items():
        allowed = max(2, sums // len(shapes))
        offered = Chosen(shape)
        aimed(shape, item, offered.add)
        chosen = Chosen(shape)
        for index, why in list(offered.items())[:allowed]:  # first and last element come first
            chosen.add(index, why)
        chosen.add_random(rng, max(0, min(count, allowed - len(chosen))))
        out[name] = chosen.arrays()
    return out


def call_grads_at(backend, case: LargeCase, ats: dict) -> dict:
    """In the backend's process: make the data, run the gradient call, return each gradient's values at its
    positions, its shape, and what the call cost."""
    _peak_reset()
    started = time.perf_counter()
    x, w, b = (None if t is None else materialise(t, case.dtype) for t in case.tensors())
    gy = materialise(grad_output_tensor(case), case.dtype)
    made = time.perf_counter()
    result = backend.grads(case.config, x, w, b, gy, case.dtype)
    called = time.perf_counter()
    values, shapes = {}, {}
    for name, (at, _) in ats.items():
        got = getattr(result, name)
        shapes[name] = None if got is None else tuple(np.shape(got))
        values[name] = None if got is None else np.asarray(np.asarray(got)[tuple(at.T)], dtype=np.float64)
    layouts = tensor_layouts(backend, {"input": x, "weight": w, "bias": b, "grad_output": gy})
    return dict(values=values, shapes=shapes, dtype=result.dtype, kernel_path=result.kernel_path,
                notes=result.notes, data_seconds=round(made - started, 2), call_seconds=round(called - made, 2),
                peak_bytes=_peak_bytes(), layouts=layouts)


def reference_grads(case: LargeCase, ats: dict):
    """The oracle's PositionGrads at the positions, from the seeds (tensors of at most MATERIALISE elements read
    as int8 arrays)."""
    c = case.config
    x, w, _ = case.tensors()
    gy = grad_output_tensor(case)
    x, w, gy = (t.array(np.int8) if t.size <= MATERIALISE else t for t in (x, w, gy))
    where = dict(input_at=ats["grad_input"][0], weight_at=ats["grad_weight"][0],
                 bias_at=ats["grad_bias"][0] if "grad_bias" in ats else None)
    if c.transposed:
        return conv_transpose_grads_at(x, w, gy, c.stride, c.padding, c.output_padding, c.groups, c.dilation,
                                       **where)
    return conv_grads_at(x, w, gy, c.stride, c.padding, c.dilation, c.groups, c.padding_mode, **where)


def check_large_grads(backend, case: LargeCase, spec: Optional[str] = None, budget: float = WHOLE_GRID_PRODUCTS, *,
                      recorder=None) -> dict:
    """Run `case`'s gradients on `backend` (in its worker, where isolated) and judge each at its sampled positions:
    a summary (worst error/bound over the three, per-gradient positions, times, peak memory), or NonConformance
    naming the gradient and its failing positions (KnownNonConformance where a known issue claims them)."""
    from conformance.backends.protocol import BackendCrash, BackendTimeout
    from conformance.judge.large import TIMEOUT
    from conformance.judge.verdict import Case, NonConformance

    ats = grad_positions(case, budget=budget)
    repro = case.reproducer(spec or backend.name, "grads")
    run = getattr(backend, "run_in_process", None)
    try:
        got = run(call_grads_at, case, ats, timeout=TIMEOUT) if run is not None else call_grads_at(backend, case, ats)
    except (BackendCrash, BackendTimeout) as died:
        raise NonConformance(f"{backend.name}: {died}\n  gradients of {case.key}: {case.why}\n  reproduce    {repro}",
                             case=Case(backend.name, case.config, case.dtype, "integer", case.seed, "grad_input"),
                             died="crash" if isinstance(died, BackendCrash) else "timeout") from None
    if recorder is not None:
        recorder.call(backend.name, got["kernel_path"])
    c = case.config
    expected = dict(grad_input=c.input_shape, grad_weight=c.weight_shape, grad_bias=(c.out_channels,))
    started = time.perf_counter()
    ref = reference_grads(case, ats)
    summary = dict(case=case.key, positions={}, ratios={}, data_seconds=got["data_seconds"],
                   call_seconds=got["call_seconds"], peak_bytes=got["peak_bytes"], kernel_path=got["kernel_path"])
    for name, (at, reasons) in ats.items():
        lines = [f"large case    {case.key}: {case.why}" + (f" ({case.cite})" if case.cite else ""),
                 f"data          integers in [-1, 1] hashed from each element's index: input, weight, bias and "
                 f"grad_output from seeds {case.seed} to {case.seed + 3}",
                 f"sampled       {len(at)} of {prod(expected[name])} {name} elements"]
        if got["shapes"][name] != tuple(expected[name]):
            raise NonConformance(f"{backend.name}: wrong {name} shape {got['shapes'][name]} != "
                                 f"{tuple(expected[name])}\n  " + "\n  ".join(lines) + f"\n  reproduce     {repro}",
                                 case=Case(backend.name, c, case.dtype, "integer", case.seed, name))
        measured, accuracy = judged(backend, case, name, at, reasons, got["values"][name], getattr(ref, name),
                                    lines, repro, got, recorder)
        summary["positions"][name] = len(at)
        summary["ratios"][name] = measured.ratios.get(accuracy)
    found = [r for r in summary["ratios"].values() if r is not None]
    summary["worst_ratio"] = max(found) if found else None
    summary["oracle_seconds"] = round(time.perf_counter() - started, 2)
    return summary


__all__ = ["WHOLE_GRID_PRODUCTS", "call_grads_at", "check_large_grads", "grad_output_tensor",
           "grad_positions", "grid_products", "reference_grads"]
