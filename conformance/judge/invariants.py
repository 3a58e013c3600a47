"""Oracle-free invariants of a backend: batch independence and linearity, exact on integer data.

On small-integer data whose partial sums fit the dtype's mantissa, every correct direct
(non-transform) backend returns the exact result, so the invariants hold bit for bit:

  batch independence   y(x)[n] == y(x[n:n+1])[0]        (sample n alone, same weight and bias)
  additivity in x      y(x1 + x2) + b == y(x1) + y(x2)   (b broadcast over the output)
  additivity in w      y(w1 + w2) + b == y(w1) + y(w2)

No oracle call is needed, so these run on configs ten times larger than the oracle checks
(stressing the blocking and tiling of real kernels).  The float64 sums on the right are
exact too: integers far below 2**53.  A case whose data are not small enough for
exactness (see `exact_owed`) is not checked (the check returns False); callers `assume` it away.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from conformance.backends.protocol import call_threads, tensor_layouts
from conformance.judge.checks import _call, _known, exact_owed
from conformance.model.config import ConvConfig
from conformance.generate.data import draw_array, integer_limit
from conformance.findings import check_direction, matching
from conformance.judge.recording import Recorder
from conformance.judge.verdict import Case, NonConformance, report

INVARIANTS = ("batch-independence", "linearity")


def _bias_term(config: ConvConfig, b) -> np.ndarray:
    return 0.0 if b is None else b.reshape((1, -1) + (1,) * config.ndim)


def _compare(case: Case, what: str, got: np.ndarray, expected: np.ndarray, labels, calls, recorder) -> None:
    """Equality of two exact results; `calls` are the (call case, result) pairs both sides came from, through which a
    known issue may explain a difference."""
    path = calls[0][1].kernel_path
    if got.shape != expected.shape:
        raise NonConformance(report(case, what, [f"shapes differ: {labels[0]} {got.shape}, {labels[1]} "
                                                 f"{expected.shape}"], path))
    bad = ~((got == expected) | (np.isnan(got) & np.isnan(expected)))
    if bad.any():
        worst = np.unravel_index(int(np.argmax(np.where(bad, np.abs(np.nan_to_num(got - expected)), -1.0))),
                                 got.shape)
        text = report(case, what, [
            f"violations    {int(bad.sum())} of {bad.size} elements differ (exact integer data: equality owed)",
            f"worst index   {tuple(int(i) for i in worst)}",
            f"{labels[0]:<13} {got[worst]!r}",
            f"{labels[1]:<13} {expected[worst]!r}",
        ], path)
        issue = _explaining(calls)
        if issue is not None:
            raise _known(recorder, case.backend, issue, text)
        raise NonConformance(text)


def _explaining(calls):
    """The known issue that explains a difference between exact results, consulted as the oracle checks consult
    them, for each call that went into it: one whose values may be wrong on that call's config, layouts and kernel
    path (wrong-values), or that says the path computes by a transform (transform-accuracy: exactness is owed by
    direct kernels only).  Other hypotheses (flush-to-zero, NaN leaks, unreached elements) cannot change exact
    integer results the oracle checks would accept, so they explain nothing here."""
    for call, result in calls:
        for issue in matching(call.backend, call.dtype, result.kernel_path, call.config, call.kind,
                              check_direction(call.config, call.direction), call.layouts):
            if issue.hypothesis in ("wrong-values", "transform-accuracy"):
                return issue
    return None


def _data(config: ConvConfig, dtype: str, seed: int, halve: str = ""):
    """Integer data for `config`; the array named by `halve` gets half the range (it is summed from two)."""
    limit = integer_limit(dtype, config.spec().terms_per_output)
    half = max(1, limit // 2)

    def draw(shape, name, offset):
        return draw_array(shape, dtype, "integer", seed + offset, integer_limit=half if name == halve else limit)

    b = draw(config.bias_shape, "b", 2) if config.bias else None
    return draw(config.input_shape, "x", 0), draw(config.weight_shape, "w", 1), b


def _forward(backend, case: Case, config: ConvConfig, x, w, b, recorder):
    """(call case, result) of backend.forward as the checks call it (checks._call): a raise, crash or hang on the
    valid config is the invariant's failure, or a known issue's (matched as the forward call it is)."""
    call = dataclasses.replace(case, config=config, direction="forward",
                               layouts=tensor_layouts(backend, {"input": x, "weight": w, "bias": b}))
    return call, _call(backend, call, lambda: backend.forward(config, x, w, b, case.dtype), recorder)


def check_batch_independence(backend, config: ConvConfig, dtype: str, seed: int, *, recorder=None) -> bool:
    """Each sample computed alone equals its slice of the batched call; False when exactness is not owed."""
    x, w, b = _data(config, dtype, seed)
    if config.batch < 2 or not exact_owed(backend, dtype, config.spec().terms_per_output, x, w, b):
        return False
    case = Case(backend.name, config, dtype, "integer", seed, "batch-independence",
                threads=call_threads(backend))
    recorder = Recorder() if recorder is None else recorder
    whole = _forward(backend, case, config, x, w, b, recorder)
    alone = dataclasses.replace(config, batch=1)
    for n in range(config.batch):
        single = _forward(backend, case, alone, x[n:n + 1], w, b, recorder)
        _compare(case, f"sample {n} computed alone differs from the batched call", np.asarray(single[1].output),
                 np.asarray(whole[1].output)[n:n + 1], ("alone", "in batch"), [whole, single], recorder)
    return True


def check_linearity(backend, config: ConvConfig, dtype: str, seed: int, *, recorder=None) -> bool:
    """Additivity in the input and in the weight; False when exactness is not owed."""
    case = Case(backend.name, config, dtype, "integer", seed, "linearity", threads=call_threads(backend))
    terms = config.spec().terms_per_output
    x1, w, b = _data(config, dtype, seed, halve="x")
    x2 = _data(config, dtype, seed + 10, halve="x")[0]
    xw, w1, _ = _data(config, dtype, seed + 20, halve="w")
    w2 = _data(config, dtype, seed + 30, halve="w")[1]
    if not (exact_owed(backend, dtype, terms, x1 + x2, w, b) and exact_owed(backend, dtype, terms, xw, w1 + w2, b)):
        return False
    bias = _bias_term(config, b)
    recorder = Recorder() if recorder is None else recorder
    for what, (a, a1, a2) in (("additivity in the input", (x1 + x2, x1, x2)),
                              ("additivity in the weight", (w1 + w2, w1, w2))):
        run = (lambda v: _forward(backend, case, config, v, w, b, recorder)) if what.endswith("input") else \
            (lambda v: _forward(backend, case, config, xw, v, b, recorder))
        whole, one, two = run(a), run(a1), run(a2)
        _compare(case, what + " fails", np.asarray(whole[1].output) + bias,
                 np.asarray(one[1].output) + np.asarray(two[1].output), ("y(a+b)+bias", "y(a)+y(b)"),
                 [whole, one, two], recorder)
    return True


CHECKS = {"batch-independence": check_batch_independence, "linearity": check_linearity}

