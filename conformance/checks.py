"""One conformance check end to end: draw data, run backend and oracle, judge, record.

Used by the test files and by `python -m conformance repro`, so a reproducer runs
exactly the code path that failed.
"""

from __future__ import annotations

from math import prod

import numpy as np

import oracle

from .config import ConvConfig
from .dtypes import DTYPES
from .backends.protocol import BackendCrash
from .known_issues import KnownNonConformance, flush_subnormals, known_crash, matching
from .recording import RECORDER
from .strategies import draw_array, draw_inputs, integer_limit
from .verdict import Case, NonConformance, check


def exact_owed(backend, dtype: str, terms: int, x, w, b=None) -> bool:
    """Bit-exactness is owed when the backend declares exact integers and the data are integers
    whose every partial sum (|x|max * |w|max * terms + |b|max) fits the dtype's mantissa."""
    if not backend.capabilities.exact_integers:
        return False
    span = 2.0 ** (DTYPES[dtype].mantissa_bits + 1)
    peak = prod(float(np.abs(a).max()) if a.size else 0.0 for a in (x, w))
    bias = float(np.abs(b).max()) if b is not None and b.size else 0.0
    return peak * terms + bias < span


def _exact(backend, kind: str, dtype: str, terms: int, *arrays) -> bool:
    return kind == "integer" and exact_owed(backend, dtype, terms, *arrays)


def _declared_class(backend, dtype: str) -> str:
    return backend.capabilities.accuracy.get(dtype, "exact-inputs")


def _judge(case: Case, got, got_dtype, reference, inputs, terms, accuracy_class, exact, kernel_path, pick=0):
    """check() against reference(*inputs)[pick]; on failure, let a matching known issue claim it.

    reference returns (oracle values, magnitudes) tuples; a known issue claims the failure
    only if the backend conforms once the oracle is given the issue's semantics (FTZ here).
    """
    ref, mag = (r[pick] for r in reference(*inputs))
    try:
        return check(case, got, got_dtype, ref, mag, terms, accuracy_class, exact, kernel_path)
    except NonConformance as failure:
        # apply the matching issues' relaxations cumulatively: several can hit one case
        applied, alt_inputs, relax_nan = [], list(inputs), False
        for issue in matching(case.backend, case.dtype, kernel_path, case.config):
            if issue.hypothesis == "wrong-values":  # nothing to re-judge: its `when` is the whole claim
                raise KnownNonConformance(issue, str(failure)) from None
            if issue.hypothesis == "flush-to-zero":
                alt_inputs = [flush_subnormals(a, case.dtype) for a in alt_inputs]
            elif np.isfinite(inputs[0]).all():  # nan-leak needs a non-finite input to leak
                continue
            else:
                relax_nan = True
            applied.append(issue)
            ref_alt, mag_alt = (r[pick] for r in reference(*alt_inputs))
            if any(i.hypothesis == "flush-to-zero" for i in applied):
                ref_alt = flush_subnormals(ref_alt, case.dtype)
            if relax_nan:  # accept extra NaNs; every other element is still judged
                ref_alt = np.where(np.isnan(got), np.nan, ref_alt)
            try:
                check(case, got, got_dtype, ref_alt, mag_alt, terms, accuracy_class, False, kernel_path)
            except NonConformance:
                continue
            raise KnownNonConformance(applied[-1], str(failure)) from None
        raise


def _call(backend, config: ConvConfig, dtype: str, run):
    """run(); a crash that a known issue explains becomes that issue's KnownNonConformance."""
    try:
        return run()
    except BackendCrash as crash:
        issue = known_crash(backend.name, dtype, config)
        if issue is None:
            raise
        raise KnownNonConformance(issue, str(crash)) from None


def check_forward(backend, config: ConvConfig, dtype: str, kind: str, seed: int):
    x, w, b = draw_inputs(config, dtype, kind, seed, nonfinite=kind == "adversarial" and backend.capabilities.nonfinite)
    fn = oracle.conv_transpose if config.transposed else oracle.conv

    def reference(x_, w_, b_):
        return ((fn(x_, w_, b_, **config.kwargs()),), (oracle.magnitude(fn, x_, w_, b_, **config.kwargs()),))

    result = _call(backend, config, dtype, lambda: backend.forward(config, x, w, b, dtype))
    terms = config.spec().terms_per_output
    case = Case(backend.name, config, dtype, kind, seed, "forward")
    measured = _judge(case, result.output, result.dtype, reference, (x, w, b), terms, _declared_class(backend, dtype),
                      _exact(backend, kind, dtype, terms, x, w, b), result.kernel_path)
    RECORDER.record(backend.name, "transposed" if config.transposed else "forward", dtype, kind, result.kernel_path,
                    measured, _declared_class(backend, dtype))
    return measured


def grad_terms(config: ConvConfig) -> dict:
    """Upper bounds on the products summed into one element of each gradient.

    grad_weight and grad_bias sum over batch and every output (conv) / input (transpose)
    position.  A conv grad_input element collects one product per (output channel of its
    group, tap) for each padded position that reads it: zeros padding reads it once, the
    other modes at most 1 + pad_before + pad_after times per dimension.  A transposed
    grad_input element is a convolution of grad_output: Cout/G * taps products.
    """
    s = config.spec()
    positions = s.batch * prod(s.input_size if s.transposed else s.output_size)
    reads = 1 if s.transposed or s.padding_mode == "zeros" else \
        prod(1 + b + a for b, a in zip(s.pad_before, s.pad_after))
    return {"grad_input": s.out_per_group * s.kernel_volume * reads, "grad_weight": positions,
            "grad_bias": positions}


def nan_admissible_grad_weight(config: ConvConfig, x: np.ndarray):
    """Weight-shaped mask of grad_weight elements that may be NaN beyond the literal sum, or None.

    grad_weight sums x * grad_output over the (input element, tap) pairs that land on an output.
    Dense implementations also form the pairs that land outside the output (cropped by a
    transposed conv's padding, skipped by a stride) and multiply them by an implicit zero:
    a non-finite x then gives inf * 0 = NaN.  IEEE leaves that choice to the implementation,
    as with a NaN weight on a zero-padding tap, so every tap of an input channel holding a
    non-finite value may be NaN; where the literal sum is NaN, NaN stays required.
    """
    bad = ~np.isfinite(x).all(axis=tuple(i for i in range(x.ndim) if i != 1))
    if not bad.any():
        return None
    taps = (1,) * config.ndim
    if config.transposed:  # weight (in_channels, out_channels/groups, *k)
        return np.broadcast_to(bad.reshape(-1, 1, *taps), config.weight_shape)
    per_group = bad.reshape(config.groups, 1, config.in_channels // config.groups)
    mask = np.repeat(per_group, config.out_channels // config.groups, axis=1)  # (G, Cout/G, Cin/G)
    return np.broadcast_to(mask.reshape(config.out_channels, -1, *taps), config.weight_shape)


def check_grads(backend, config: ConvConfig, dtype: str, kind: str, seed: int):
    x, w, b = draw_inputs(config, dtype, kind, seed, nonfinite=kind == "adversarial" and backend.capabilities.nonfinite)
    terms = grad_terms(config)
    gy = draw_array(config.output_shape, dtype, kind, seed + 3,
                    integer_limit=integer_limit(dtype, max(terms.values())))
    fn = oracle.conv_transpose_grads if config.transposed else oracle.conv_grads

    result = _call(backend, config, dtype, lambda: backend.grads(config, x, w, b, gy, dtype))
    admissible = nan_admissible_grad_weight(config, x)

    def reference(x_, w_, gy_):
        grads = fn(x_, w_, gy_, **config.kwargs())
        if admissible is not None and result.grad_weight is not None and \
                np.shape(result.grad_weight) == grads.grad_weight.shape:
            grads = grads._replace(grad_weight=np.where(admissible & np.isnan(result.grad_weight), np.nan,
                                                        grads.grad_weight))
        return grads, oracle.magnitude(fn, x_, w_, gy_, **config.kwargs())

    got = {"grad_input": result.grad_input, "grad_weight": result.grad_weight, "grad_bias": result.grad_bias}
    factors = {"grad_input": (gy, w), "grad_weight": (gy, x), "grad_bias": (gy, np.ones(1))}
    out = {}
    for pick, name in enumerate(("grad_input", "grad_weight", "grad_bias")):
        if name == "grad_bias" and not config.bias:
            continue
        case = Case(backend.name, config, dtype, kind, seed, name)
        exact = _exact(backend, kind, dtype, terms[name], *factors[name])
        out[name] = _judge(case, got[name], result.dtype, reference, (x, w, gy), terms[name],
                           _declared_class(backend, dtype), exact, result.kernel_path, pick)
        RECORDER.record(backend.name, name, dtype, kind, result.kernel_path, out[name], _declared_class(backend, dtype))
    return out
