"""Compare a backend's output with the oracle under the backend's declared bound; explain failures.

Rules, in order: shape and dtype match; NaN exactly where the oracle has NaN; +-inf
exactly where the oracle has it, or where the true value rounded to the output dtype
overflows (|y_ref| + bound > max finite); every finite element within its bound
(conformance.model.bounds), or equal when the data are exact small integers and the backend
declares exact_integers.  Besides pass/fail, `Measurement.ratios` records the worst
error/bound under every accuracy class, so runs can report the tightest class met.

Overflow inside the sum.  Split each element's terms into P (sum of the positive terms)
and N (of the negative ones): y = P - N and the magnitude m = P + N, so P = (m + y)/2 and
N = (m - y)/2.  Summed in any order in the accumulation format A, every partial sum lies
in [-N, P] up to a relative growth of at most (1 + u_A)**(K+1) <= exp((K+1) u_A).  So a
partial sum can overflow to +inf only if P * exp((K+1) u_A) reaches A's overflow threshold
(max finite + half an ulp), to -inf only if N does; once it has, the result is that
infinity or, if both can happen (inf - inf), NaN.  Those outcomes are admissible there and
nowhere else; everywhere else the bound holds.  Under exact-inputs, half types sum in
float32, which their products cannot overflow: only the final rounding overflows.

Exempt elements (`exempt`) are not judged at all: outputs where a non-finite weight meets
zero padding or a transposed convolution's zero-inserted positions, which IEEE leaves to
the implementation (checks.nonfinite_weight_exempt).

Signed zeros: the sign of an exact zero result is not owed.  Kernels legitimately start
accumulators at +0 (so -0 + -0 products give +0), and the oracle itself returns +0 where
the literal sum is -0; a zero is judged as a value (|got - ref| = 0), so any zero matches
a zero.  What is owed about zeros is their arithmetic: -0 * inf is NaN like 0 * inf.

Frames.  When the data leave float64's exact range (conformance.generate.data.FRAME), the oracle
runs on data scaled by 2**-scale per product, and the comparison happens in that frame:
the backend's values, the largest finite value, the overflow threshold and the subnormal
terms of the bound are scaled by 2**-scale too (exact: powers of two).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional

import numpy as np

from conformance.backends import registry
from conformance.model.bounds import (ACCURACY_CLASSES, FALSE_ALARM, PROBABILISTIC_CLASSES, accumulation_format,
                                      arithmetic, effective_bits, probabilistic_lambda, probable_bound, ulps)
from conformance.model.config import ConvConfig
from conformance.model.dtypes import DTYPES


@dataclass
class Case:
    """Everything needed to reproduce one check."""

    backend: str
    config: ConvConfig
    dtype: str
    kind: str
    seed: int
    direction: str = "forward"  # forward | grad_input | grad_weight | grad_bias
    # role -> layout of the tensors the backend built (protocol.tensor_layouts), or None: what known issues that
    # depend on layouts match on; derived from the data, so not needed to reproduce the case
    layouts: Optional[dict] = field(default=None, compare=False, repr=False)
    # the intra-op threads the backend's process ran the call with (protocol.call_threads), or None where it does
    # not say: kernels split work by thread, and some bugs show at one count only, so the reproducer sets it
    threads: Optional[int] = field(default=None, compare=False, repr=False)

    def reproducer(self) -> str:
        """The command line that re-runs this case, naming the backend by the spec it was loaded with, with the
        thread count it ran at."""
        check = "grads" if self.direction.startswith("grad") else self.direction
        flag = "" if check == "forward" else f" --check {check}"
        spec = registry.spec_of(self.backend)
        threads = f"OMP_NUM_THREADS={self.threads} " if self.threads else ""
        return (f"{threads}{registry.command_prefix(spec)}python -m conformance repro --backend {shlex.quote(spec)} "
                f"--dtype {self.dtype} --kind {self.kind} --seed {self.seed}{flag} --config \"{self.config!r}\"")


@dataclass(frozen=True)
class Observation:
    """One backend result and everything judging it takes, handed to the judge as one record.

    `reference(*inputs)` returns (oracle values, magnitudes), each a tuple with one entry per result the
    call produced, in the frame 2**-scale (module docstring); `pick` says which entry this result is.  The
    oracle is a function of the inputs, not a value, so a known issue's semantics (subnormal inputs read as
    zero) can re-run it on other inputs (conformance.judge.checks.judge)."""

    case: Case
    got: Any
    got_dtype: str
    reference: Callable
    inputs: tuple
    terms: int
    accuracy_class: str
    exact: bool = False
    kernel_path: Optional[str] = None
    pick: int = 0
    scale: int = 0
    exempt: Any = None  # mask of elements not judged (checks.nonfinite_weight_exempt), or None
    notes: Optional[dict] = None  # the backend's notes for the report: layouts, compile mode
    # judge the probabilistic tier too (bounds.probable_bound): data drawn at random (the `random` kind)
    probabilistic: bool = False

    def oracle(self, inputs=None):
        """(values, magnitudes) of this result on `inputs` (default: the observed ones)."""
        values, magnitudes = self.reference(*(self.inputs if inputs is None else inputs))
        return values[self.pick], magnitudes[self.pick]

    def compare(self, ref, magnitude, *, accuracy_class=None, exact=None, ftz: bool = False,
                probabilistic=None) -> "Measurement":
        """check() of this result against (ref, magnitude), under the declared class and exactness unless a known
        issue's semantics say otherwise."""
        return check(self.case, self.got, self.got_dtype, ref, magnitude, self.terms,
                     accuracy_class or self.accuracy_class, self.exact if exact is None else exact, self.kernel_path,
                     scale=self.scale, exempt=self.exempt, ftz=ftz, notes=self.notes,
                     probabilistic=self.probabilistic if probabilistic is None else probabilistic)


@dataclass
class Measurement:
    ratios: dict = field(default_factory=dict)  # accuracy class -> worst error/bound over finite elements
    elements: int = 0
    unbounded: bool = False  # the declared class gives no value bound for this many terms
    max_ulps: float = 0.0  # worst error over finite elements, in ulps of the dtype
    # where the probabilistic tier judged: the accumulation precision (bits) the worst error implies, and the
    # worst error / probabilistic bound
    effective_bits: Optional[float] = None
    probable_ratio: Optional[float] = None


class NonConformance(AssertionError):
    """A backend result outside its declared bound (or a crash, a hang); the message is the report.

    `ratio`: the worst element's error / bound (inf for misplaced NaN/inf, None where no bound applies).
    `case`: the Case it happened on, where known (standalone reproducers are written from it).
    `died`: "crash" or "timeout" when the backend's process died or hung instead of answering."""

    def __init__(self, report: str, ratio=None, case=None, died=None):
        super().__init__(report)
        self.ratio = ratio
        self.case = case
        self.died = died


def _classes_for(dtype: str):
    return [c for c in ACCURACY_CLASSES if c != "tf32" or dtype == "float32"]


def report(case: Case, what: str, lines: list, kernel_path, notes=None) -> str:
    """The failure report: what broke, the config and shapes, how the call was made, detail lines, and the
    reproducer."""
    c = case.config
    head = [f"{case.backend}: {what} [{case.direction}, {case.dtype}, {case.kind} data, seed {case.seed}]",
            f"  config        {c.short()}",
            f"  shapes        input {c.input_shape}, weight {c.weight_shape}, output {c.output_shape}",
            f"  kernel path   {kernel_path or 'unknown'}"]
    if case.threads:
        head += [f"  threads       {case.threads}"]
    for key, value in (notes or {}).items():  # the backend's notes: layouts, compile mode
        if isinstance(value, dict):
            head += [f"  {key:13} " + "; ".join(f"{k} {v}" for k, v in value.items())]
        else:
            head += [f"  {key:13} {value}"]
    return "\n".join(head + [f"  {line}" for line in lines] + [f"  reproduce     {case.reproducer()}",
                                                              f"  config repr   {c!r}"])


def _smallest_normal(fmt, scale: int) -> float:
    """The smallest normal number of `fmt`, times 2**-scale."""
    exponent = int(np.log2(fmt.smallest_subnormal)) + fmt.mantissa_bits
    return float(np.ldexp(1.0, exponent - scale))


def _overflow_threshold(fmt, scale: int = 0) -> float:
    """The smallest magnitude that rounds to infinity in `fmt`, 2**emax * (2 - 2**-(p+1)) (max finite +
    half an ulp), times 2**-scale; inf where float64 cannot hold it."""
    with np.errstate(over="ignore"):
        emax = np.frexp(fmt.max_finite)[1] - 1  # not log2: log2 of float64 max rounds up to 1024
        return float(np.ldexp(2.0 - 2.0 ** -(fmt.mantissa_bits + 1), emax - scale))


def check(case: Case, got: np.ndarray, got_dtype: str, ref: np.ndarray, magnitude: np.ndarray, terms: int,
          accuracy_class: str, exact: bool, kernel_path=None, *, scale: int = 0, exempt=None,
          ftz: bool = False, notes=None, probabilistic: bool = False) -> Measurement:
    """Raise NonConformance with a report unless `got` conforms; return the accuracy measurement.

    ref and magnitude are in the frame 2**-scale (see the module docstring); exempt: a boolean
    mask of elements not judged, or None.  ftz: judge flush-to-zero arithmetic, where any result
    below the smallest normal may become zero, so each operation's absolute error term is the
    smallest normal instead of half the smallest subnormal (a known issue's hypothesis).
    """
    got = np.asarray(got, dtype=np.float64)
    if got.shape != ref.shape:
        raise NonConformance(report(case, "wrong output shape", [f"backend {got.shape} != oracle {ref.shape}"],
                                     kernel_path, notes), case=case)
    if got_dtype != case.dtype:
        raise NonConformance(report(case, "wrong output dtype", [f"backend {got_dtype} != requested {case.dtype}"],
                                     kernel_path, notes), case=case)
    got = np.ldexp(got, -scale)
    declared = arithmetic(case.dtype, accuracy_class, scale)
    if ftz:
        declared = replace(declared, eta_acc=_smallest_normal(accumulation_format(case.dtype, accuracy_class), scale),
                           eta_out=_smallest_normal(DTYPES[case.dtype], scale))
    # NaN bound where the declared class promises nothing (see Arithmetic.covers): no value is
    # judged by it (comparisons with NaN are false), specials and exactness still are
    bound = declared.bound(magnitude, terms) if declared.covers(terms) else np.full(ref.shape, np.nan)
    judged = np.ones(ref.shape, bool) if exempt is None else ~exempt
    ref_nan, got_nan = np.isnan(ref), np.isnan(got)
    pos_ok, neg_ok, may_pos, may_neg = admissible_infinities(case.dtype, accuracy_class, ref, magnitude, terms, bound,
                                                             scale)
    expect_inf = np.isinf(ref)
    bad_special = judged & (
        (ref_nan & ~got_nan) | (got_nan & ~ref_nan & ~(may_pos & may_neg)) | (expect_inf & (got != ref)) |
        (np.isposinf(got) & ~expect_inf & ~pos_ok) | (np.isneginf(got) & ~expect_inf & ~neg_ok))
    finite = np.isfinite(ref) & np.isfinite(got) & judged
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf at non-finite elements, masked out
        err = np.where(finite, np.abs(got - ref), 0.0)
    if exact:
        bad_value = finite & (err != 0)
    else:
        bad_value = finite & (err > bound)
    bad = bad_special | bad_value
    if bad.any():
        with np.errstate(over="ignore", invalid="ignore"):
            scores = np.where(bad_special, np.inf, np.where(finite, err / np.where(bound > 0, bound, np.inf), 0.0))
        worst = np.unravel_index(int(np.argmax(np.where(bad, scores, -1.0))), ref.shape)
        rule = "exact equality (integer data)" if exact else f"{accuracy_class} bound"

        def shown(v) -> str:
            return _number(v) if not scale else f"{_number(v)} * 2**{scale}"

        lines = [
            f"violations    {int(bad.sum())} of {ref.size} elements ({_share(bad.mean())}) break the {rule}",
            f"worst index   {tuple(int(i) for i in worst)}",
            f"oracle        {shown(ref[worst])}",
            f"backend       {shown(got[worst])}",
            f"abs error     {shown(err[worst])}" + ("" if bad_special[worst] or scale else
                                                    f"  ({float(ulps(got[worst], ref[worst], case.dtype)):.3g} ulps)"),
            f"bound         {shown(bound[worst])}  (magnitude {shown(magnitude[worst])}, {terms} terms)",
        ]
        if bad_special[worst]:
            lines.append("special value NaN/inf placement differs from the oracle"
                         + (" (the sum may overflow here: " + ", ".join(
                             w for w, m in (("+inf", may_pos[worst]), ("-inf", may_neg[worst])) if m) + " admissible)"
                            if may_pos[worst] or may_neg[worst] else ""))
        if exempt is not None and exempt.any():
            lines.append(f"exempt        {int(exempt.sum())} elements not judged (non-finite weight on padding)")
        raise NonConformance(report(case, "result outside its declared bound", lines, kernel_path, notes),
                             float(scores[worst]), case)
    measured = Measurement(elements=int(finite.sum()), unbounded=not declared.covers(terms))
    if probabilistic and not exact and not ftz and accuracy_class in PROBABILISTIC_CLASSES and \
            declared.covers(terms) and finite.any():
        _probabilistic_tier(case, got, ref, magnitude, terms, declared, finite, err, bound, kernel_path, notes,
                            measured)
    if finite.any():
        measured.max_ulps = float(np.max(ulps(np.ldexp(got[finite], scale), np.ldexp(ref[finite], scale),
                                              case.dtype))) if not scale else 0.0
        for cls in _classes_for(case.dtype):
            arith = arithmetic(case.dtype, cls, scale)
            if not arith.covers(terms):
                continue
            b = arith.bound(magnitude, terms)[finite]
            measured.ratios[cls] = float(np.max(err[finite] / np.where(b > 0, b, np.inf)))
    return measured


class BelowDeclaredPrecision(NonConformance):
    """Every value within the worst-case bound, but the errors exceed the probabilistic tier's bound
    (bounds.probable_bound), which a correct implementation of the declared arithmetic exceeds with probability
    below FALSE_ALARM per run: the accumulation is narrower than declared.  Its own verdict; the worst-case one
    stays the only one that calls a value wrong."""


def _probabilistic_tier(case, got, ref, magnitude, terms, declared, finite, err, bound, kernel_path, notes,
                        measured) -> None:
    """Judge the probabilistic tier (bounds.probable_bound) on the finite elements, recording the effective
    precision in `measured`; raise BelowDeclaredPrecision where some element exceeds it."""
    likely = probable_bound(declared, magnitude, ref, terms)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(finite, err / np.where(likely > 0, likely, np.inf), 0.0)
    measured.probable_ratio = float(ratios.max())
    measured.effective_bits = effective_bits(err[finite], magnitude[finite], terms, declared.u_acc)
    flagged = finite & (ratios > 1.0)
    if not flagged.any():
        return
    worst = np.unravel_index(int(np.argmax(ratios)), ref.shape)
    n = terms + 1
    declared_bits = -np.log2(declared.u_acc)
    lines = [
        f"violations    {int(flagged.sum())} of {int(finite.sum())} elements exceed the probabilistic bound (every "
        f"value is within the worst-case bound)",
        f"worst index   {tuple(int(i) for i in worst)}",
        f"oracle        {_number(ref[worst])}",
        f"backend       {_number(got[worst])}",
        f"abs error     {_number(err[worst])}",
        f"bound         {_number(likely[worst])} probabilistic: lambda {probabilistic_lambda(n, declared.u_acc):.3g} "
        f"x sqrt({n}) x u {declared.u_acc:.3g} x magnitude {_number(magnitude[worst])} (Higham & Mary 2019; "
        f"false alarm below {FALSE_ALARM:g} per run); worst case {_number(bound[worst])}",
        f"precision     the errors imply about {measured.effective_bits:.1f} bits of accumulation; the "
        f"{declared.accuracy_class} class declares {declared_bits:.0f} (unit roundoff {declared.u_acc:.3g})",
    ]
    raise BelowDeclaredPrecision(report(case, "accumulates below the declared precision", lines, kernel_path, notes),
                                 float(ratios[worst]), case)


def admissible_infinities(dtype: str, accuracy_class: str, ref, magnitude, terms: int, bound, scale: int = 0):
    """Masks (+inf ok, -inf ok, may reach +inf, may reach -inf) for finite oracle values: the exact value plus its
    bound passes the output dtype's largest finite (rounding to the dtype may give inf), or some partial sum may
    overflow the accumulation format (the sum's order decides); where both sums may, NaN (inf - inf) is admissible.
    Shared by verdict.check and the standalone reproducers, which must judge alike."""
    with np.errstate(over="ignore"):
        max_finite = np.ldexp(DTYPES[dtype].max_finite, -scale)
    overflow_ok = np.isfinite(ref) & (np.abs(ref) + np.nan_to_num(bound, nan=0.0, posinf=np.inf) > max_finite)
    may_pos, may_neg = _may_overflow(ref, magnitude, terms, accumulation_format(dtype, accuracy_class), scale)
    return (overflow_ok & (ref > 0)) | may_pos, (overflow_ok & (ref < 0)) | may_neg, may_pos, may_neg


def _may_overflow(ref, magnitude, terms: int, acc, scale: int):
    """Masks: where some partial sum may reach +inf / -inf in the accumulation format (module docstring)."""
    threshold = _overflow_threshold(acc, scale)
    with np.errstate(invalid="ignore", over="ignore"):  # growth is inf past ~1e4 bfloat16 terms: every sum may
        growth = np.exp((terms + 1) * acc.unit_roundoff)
        positive = (magnitude + ref) / 2  # P: the positive terms' sum (bias included)
        negative = (magnitude - ref) / 2  # N
        return positive * growth >= threshold, negative * growth >= threshold


def _number(v) -> str:
    """A plain number for reports: repr precision without numpy's np.float64(...) wrapper."""
    return repr(float(v))


def _share(fraction: float) -> str:
    return f"{100 * fraction:.3g}%" if fraction >= 0.001 else f"{100 * fraction:.2g}%"
