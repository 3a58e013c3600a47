"""Compare a backend's output with the oracle under the backend's declared bound; explain failures.

Rules, in order: shape and dtype match; NaN exactly where the oracle has NaN; +-inf
exactly where the oracle has it, or where the true value rounded to the output dtype
overflows (|y_ref| + bound > max finite); every finite element within its bound
(conformance.bounds), or equal when the data are exact small integers and the backend
declares exact_integers.  Besides pass/fail, `Measurement.ratios` records the worst
error/bound under every accuracy class, so runs can report the tightest class met.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .bounds import ACCURACY_CLASSES, arithmetic, ulps
from .config import ConvConfig
from .dtypes import DTYPES


@dataclass
class Case:
    """Everything needed to reproduce one check."""

    backend: str
    config: ConvConfig
    dtype: str
    kind: str
    seed: int
    direction: str = "forward"  # forward | grad_input | grad_weight | grad_bias

    def reproducer(self) -> str:
        check = "grads" if self.direction.startswith("grad") else self.direction
        flag = "" if check == "forward" else f" --check {check}"
        return (f"python -m conformance repro --backend {self.backend} --dtype {self.dtype} --kind {self.kind} "
                f"--seed {self.seed}{flag} --config \"{self.config!r}\"")


@dataclass
class Measurement:
    ratios: dict = field(default_factory=dict)  # accuracy class -> worst error/bound over finite elements
    elements: int = 0
    unbounded: bool = False  # the declared class gives no value bound for this many terms
    max_ulps: float = 0.0  # worst error over finite elements, in ulps of the dtype


class NonConformance(AssertionError):
    """A backend result outside its declared bound; the message is the report."""


def _classes_for(dtype: str):
    return [c for c in ACCURACY_CLASSES if c != "tf32" or dtype == "float32"]


def report(case: Case, what: str, lines: list, kernel_path) -> str:
    """The failure report: what broke, the config and shapes, detail lines, and the reproducer."""
    c = case.config
    head = [f"{case.backend}: {what} [{case.direction}, {case.dtype}, {case.kind} data, seed {case.seed}]",
            f"  config        {c.short()}",
            f"  shapes        input {c.input_shape}, weight {c.weight_shape}, output {c.output_shape}",
            f"  kernel path   {kernel_path or 'unknown'}"]
    return "\n".join(head + [f"  {line}" for line in lines] + [f"  reproduce     {case.reproducer()}",
                                                              f"  config repr   {c!r}"])


def check(case: Case, got: np.ndarray, got_dtype: str, ref: np.ndarray, magnitude: np.ndarray, terms: int,
          accuracy_class: str, exact: bool, kernel_path=None) -> Measurement:
    """Raise NonConformance with a report unless `got` conforms; return the accuracy measurement."""
    got = np.asarray(got, dtype=np.float64)
    if got.shape != ref.shape:
        raise NonConformance(report(case, "wrong output shape", [f"backend {got.shape} != oracle {ref.shape}"],
                                     kernel_path))
    if got_dtype != case.dtype:
        raise NonConformance(report(case, "wrong output dtype", [f"backend {got_dtype} != requested {case.dtype}"],
                                     kernel_path))
    declared = arithmetic(case.dtype, accuracy_class)
    # NaN bound where the declared class promises nothing (see Arithmetic.covers): no value is
    # judged by it (comparisons with NaN are false), specials and exactness still are
    bound = declared.bound(magnitude, terms) if declared.covers(terms) else np.full(ref.shape, np.nan)
    max_finite = DTYPES[case.dtype].max_finite
    ref_nan, got_nan = np.isnan(ref), np.isnan(got)
    overflow_ok = np.isfinite(ref) & (np.abs(ref) + np.nan_to_num(bound, nan=0.0, posinf=np.inf) > max_finite)
    expect_inf = np.isinf(ref)
    bad_special = (ref_nan != got_nan) | (expect_inf & (got != ref)) | (
        np.isinf(got) & ~expect_inf & ~(overflow_ok & (np.sign(got) == np.sign(ref))))
    finite = np.isfinite(ref) & np.isfinite(got)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf at non-finite elements, masked out
        err = np.where(finite, np.abs(got - ref), 0.0)
    if exact:
        bad_value = finite & (err != 0)
    else:
        bad_value = finite & (err > bound)
    bad = bad_special | bad_value
    if bad.any():
        scores = np.where(bad_special, np.inf, np.where(finite, err / np.where(bound > 0, bound, np.inf), 0.0))
        worst = np.unravel_index(int(np.argmax(np.where(bad, scores, -1.0))), ref.shape)
        rule = "exact equality (integer data)" if exact else f"{accuracy_class} bound"
        lines = [
            f"violations    {int(bad.sum())} of {ref.size} elements ({100 * bad.mean():.2g}%) break the {rule}",
            f"worst index   {tuple(int(i) for i in worst)}",
            f"oracle        {ref[worst]!r}",
            f"backend       {got[worst]!r}",
            f"abs error     {err[worst]!r}" + ("" if bad_special[worst] else
                                               f"  ({float(ulps(got[worst], ref[worst], case.dtype)):.3g} ulps)"),
            f"bound         {bound[worst]!r}  (magnitude {magnitude[worst]!r}, {terms} terms)",
        ]
        if bad_special[worst]:
            lines.append("special value NaN/inf placement differs from the oracle")
        raise NonConformance(report(case, "result outside its declared bound", lines, kernel_path))
    measured = Measurement(elements=int(finite.sum()), unbounded=not declared.covers(terms))
    if finite.any():
        measured.max_ulps = float(np.max(ulps(got[finite], ref[finite], case.dtype)))
        for cls in _classes_for(case.dtype):
            if not arithmetic(case.dtype, cls).covers(terms):
                continue
            b = arithmetic(case.dtype, cls).bound(magnitude, terms)[finite]
            measured.ratios[cls] = float(np.max(err[finite] / np.where(b > 0, b, np.inf)))
    return measured
