"""The one runner of a check: the suite, certification rows, `repro`, `demo` and the large cases all call run_check.

A check (conformance.judge) either returns what it measured or raises: NonConformance (a value outside its
bound, a crash, a hang) or KnownNonConformance (a failure a known issue claims).  run_check turns that into an
Outcome every caller reads the same way, and hands the check the Recorder its caller owns, so what a check saw
is kept where the caller wants it (a pytest session's record, one certification row's) and nowhere else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional

from conformance.findings import KnownIssue, KnownNonConformance
from conformance.judge.checks import check_forward, check_grads
from conformance.judge.invariants import CHECKS as INVARIANTS
from conformance.judge.large import check_large
from conformance.judge.large_grads import check_large_grads
from conformance.judge.recording import Recorder
from conformance.judge.verdict import NonConformance

# check name -> check(backend, *arguments, recorder=...): the arguments each takes
CHECKS = {
    "forward": check_forward,  # (config, dtype, kind, seed): the forward or transposed convolution
    "grads": check_grads,  # (config, dtype, kind, seed): grad_input, grad_weight and grad_bias
    **INVARIANTS,  # (config, dtype, seed): oracle-free identities, exact on integer data; False when not owed
    "large": check_large,  # (LargeCase, backend spec): sampled positions of a tensor past 2**31 elements
    "large-grads": check_large_grads,  # (LargeCase, backend spec[, grid budget]): its gradients, sampled
}
STATUSES = ("pass", "known", "fail", "crash", "timeout")


@dataclass
class Outcome:
    """What one check of one case came to.

    status: pass | known (a known issue claims the failure) | fail | crash | timeout (the backend's process died
    or hung); measured: what the check returned on pass (a Measurement, {gradient: Measurement}, an invariant's
    owed-or-not, a large case's summary); issue and report: the claiming known issue and its report; failure:
    the NonConformance, to re-raise where Hypothesis should shrink it."""

    status: str
    seconds: float
    measured: object = None
    issue: Optional[KnownIssue] = None
    report: str = ""
    failure: Optional[NonConformance] = None

    def raise_failure(self) -> None:
        """Re-raise a non-conformance (the pytest suite and Hypothesis's shrinking want the exception)."""
        if self.failure is not None:
            raise self.failure


def run_check(check: str, backend, *arguments, recorder: Recorder) -> Outcome:
    """Run CHECKS[check](backend, *arguments) with `recorder`, and say what it came to."""
    try:
        fn = CHECKS[check]
    except KeyError:
        raise ValueError(f"check {check!r}: not a check; the checks are {', '.join(CHECKS)}") from None
    started = time.perf_counter()
    try:
        measured = fn(backend, *arguments, recorder=recorder)
    except KnownNonConformance as known:
        return Outcome("known", time.perf_counter() - started, issue=known.issue, report=known.report)
    except NonConformance as bad:
        return Outcome(bad.died or "fail", time.perf_counter() - started, report=str(bad), failure=bad)
    return Outcome("pass", time.perf_counter() - started, measured=measured)


__all__ = ["CHECKS", "STATUSES", "Outcome", "run_check"]
