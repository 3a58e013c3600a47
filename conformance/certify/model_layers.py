"""`convconf layers --check BACKEND`: every distinct convolution of a model, checked at its real size.

Each layer (conformance.backends.torch.trace) runs through the suite's own checks (conformance.run.runner) on
the backend, forward and (where declared) gradients, on integer data (exactness owed where the backend declares
it) and on random data (the worst-case bound and the probabilistic tier), seed 0, so a failure's `reproduce` line
re-runs it exactly.  Layers past MAX_MACS multiply-accumulates are left `untested` (the full oracle would take
minutes each; `convconf large` samples positions instead).  The first step of certifying a user's model (#32).
"""

from __future__ import annotations

import time
from math import prod

from conformance.judge.coverage import kinds_for
from conformance.judge.recording import Recorder
from conformance.run.runner import run_check

MAX_MACS = 5 * 10**8  # per call, summed over batch: about 10 s of the oracle on one core
KINDS = ("integer", "random")


def _worst(measured, accuracy: str):
    """The worst error/bound under the declared class in what a passing check measured (one or per gradient)."""
    found = [m.ratios.get(accuracy) for m in (measured.values() if isinstance(measured, dict) else [measured])]
    found = [r for r in found if r is not None]
    return max(found) if found else None


def check_layers(layers, backend, echo=print) -> tuple:
    """(failures, reports): each layer's line echoed as it finishes, the failure reports returned."""
    caps = backend.capabilities
    recorder, failures, reports = Recorder(), 0, []
    for i, layer in enumerate(layers, 1):
        config, dtype = layer.config, layer.dtype
        spec = config.spec()
        macs = prod(config.output_shape) * spec.terms_per_output
        head = f"{i:3}. {', '.join(layer.names[:2])}{' ...' if len(layer.names) > 2 else ''}: {config.short()}"
        why = caps.unsupported(config, dtype)
        if why or macs > MAX_MACS:
            echo(f"{head}\n       {'n/a: ' + why if why else f'untested: {macs:.2g} MACs, past {MAX_MACS:.0g}'}")
            continue
        checks = ["forward"] + (["grads"] if caps.unsupported(config, dtype, gradients=True) is None else [])
        started, parts, worst = time.perf_counter(), [], None
        for check in checks:
            for kind in (k for k in KINDS if k in kinds_for(backend)):
                outcome = run_check(check, backend, config, dtype, kind, 0, recorder=recorder)
                if outcome.status == "pass":
                    ratio = _worst(outcome.measured, caps.accuracy.get(dtype, "exact-inputs"))
                    worst = ratio if worst is None or (ratio is not None and ratio > worst) else worst
                    continue
                parts.append(f"{check} {kind}: " + (f"known issue {outcome.issue.key}" if outcome.status == "known"
                                                   else outcome.status.upper()))
                if outcome.failure is not None:
                    failures += 1
                    reports.append(outcome.report)
        verdict = "; ".join(parts) or "pass"
        echo(f"{head}\n       {dtype}, {', '.join(checks)} x {', '.join(KINDS)}: {verdict}; worst err/bound "
             f"{'-' if worst is None else f'{worst:.3g}'}; {time.perf_counter() - started:.1f} s")
    return failures, reports


__all__ = ["MAX_MACS", "check_layers"]
