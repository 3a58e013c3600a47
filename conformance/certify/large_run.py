"""`convconf large`: the large profile's cases (past 2**31 elements and bytes) on one backend, one at a time in
its own process, with their sizes, time, peak memory and verdict."""

from __future__ import annotations

from conformance.judge.recording import Recorder
from conformance.model.errors import UsageError
from conformance.run.runner import run_check


def large_cases(args, load_backend) -> int:
    """The large cases on one backend, one at a time in its own process: sizes, time, peak memory, verdict."""
    from math import prod

    from conformance.run.isolation import IsolatedBackend
    from conformance.judge.large import CASES, LARGE_CASES, bytes_needed, fits

    unknown = [k for k in args.case or () if k not in CASES]
    if unknown:
        raise UsageError(f"--case {unknown[0]!r}: not a large case; the cases are {', '.join(CASES)}")
    cases = [CASES[k] for k in args.case] if args.case else list(LARGE_CASES)
    if args.list:
        for case in cases:
            c = case.config
            print(f"{case.key}: {case.dtype}, input {c.input_shape} ({prod(c.input_shape):,} elements), output "
                  f"{c.output_shape} ({prod(c.output_shape):,}), needs ~{bytes_needed(case) / 2**30:.1f} GiB; "
                  f"{case.why}" + (f"; {case.cite}" if case.cite else ""))
        return 0
    local = load_backend(args.backend)
    if not local.capabilities.large_tensors:
        raise UsageError(f"backend {args.backend!r} does not declare large tensors (Capabilities.large_tensors)")
    backend = IsolatedBackend(args.backend)
    failed = 0
    try:
        for i, case in enumerate(cases, 1):
            head = f"[{i}/{len(cases)}] {case.key} ({case.dtype}, input {case.config.input_shape})"
            why = backend.capabilities.unsupported(case.config, case.dtype) or fits(case)
            if why:
                print(f"{head}: skipped, {why}", flush=True)
                continue
            outcome = run_check("large", backend, case, args.backend, recorder=Recorder())
            if outcome.failure is not None:
                failed += 1
                print(f"{head}: {'CRASH' if outcome.failure.died else 'FAIL'}\n{outcome.report}", flush=True)
                continue
            r = outcome.measured
            peak = f"{r['peak_bytes'] / 2**30:.1f} GiB" if r.get("peak_bytes") else "unknown"
            print(f"{head}: pass, {r['positions']} positions of {r['output_elements']:,} output elements; data "
                  f"{r['data_seconds']} s, call {r['call_seconds']} s, peak memory {peak}; kernel path "
                  f"{r['kernel_path']}", flush=True)
    finally:
        backend.close()
    return 1 if failed else 0
