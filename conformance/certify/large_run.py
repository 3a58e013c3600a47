"""`convconf large`: the large profile's cases (past 2**31 elements and bytes) on one backend, one at a time in
its own process, with their sizes, time, peak memory and verdict."""

from __future__ import annotations

from conformance.judge.recording import Recorder
from conformance.model.errors import UsageError
from conformance.run.runner import run_check


def large_cases(args, load_backend) -> int:
    """The large cases (or one `--config`) on one backend, one at a time in its own process, forward or `--check
    grads`: sizes, time, peak memory, verdict."""
    from math import prod

    from conformance.run.isolation import IsolatedBackend
    from conformance.judge.large import CASES, LARGE_CASES, bytes_needed, fits

    unknown = [k for k in args.case or () if k not in CASES]
    if unknown:
        raise UsageError(f"--case {unknown[0]!r}: not a large case; the cases are {', '.join(CASES)}")
    cases = [CASES[k] for k in args.case] if args.case else list(LARGE_CASES)
    if args.config or args.dtype:
        cases = [_given(args)]
    if args.list:
        for case in cases:
            c = case.config
            print(f"{case.key}: {case.dtype}, input {c.input_shape} ({prod(c.input_shape):,} elements), output "
                  f"{c.output_shape} ({prod(c.output_shape):,}), needs ~{bytes_needed(case) / 2**30:.1f} GiB; "
                  f"{case.why}" + (f"; {case.cite}" if case.cite else ""))
        return 0
    local = load_backend(args.backend)
    if not local.capabilities.large_tensors and not args.config:  # a --config is as big as its layer, no bigger
        raise UsageError(f"backend {args.backend!r} does not declare large tensors (Capabilities.large_tensors)")
    backend = IsolatedBackend(args.backend)
    failed = 0
    try:
        for i, case in enumerate(cases, 1):
            head = (f"[{i}/{len(cases)}] {case.key if case.key in CASES else case.config.short()} ({case.dtype}, "
                    f"input {case.config.input_shape})")
            why = (backend.capabilities.unsupported(case.config, case.dtype, gradients=args.check == "grads")
                   or fits(case, grads=args.check == "grads"))
            if why:
                print(f"{head}: skipped, {why}", flush=True)
                continue
            outcome = run_check("large-grads" if args.check == "grads" else "large", backend, case, args.backend,
                                recorder=Recorder())
            if outcome.failure is not None:
                failed += 1
                print(f"{head}: {'CRASH' if outcome.failure.died else 'FAIL'}\n{outcome.report}", flush=True)
                continue
            if outcome.status == "known":  # a known issue claims it: reported, not a new failure
                print(f"{head}: known issue {outcome.issue.key} ({outcome.issue.doc})\n{outcome.report}", flush=True)
                continue
            r = outcome.measured
            peak = f"{r['peak_bytes'] / 2**30:.1f} GiB" if r.get("peak_bytes") else "unknown"
            if args.check == "grads":
                sampled = ", ".join(f"{n} at {p} positions (worst err/bound {_ratio(r['ratios'][n])})"
                                    for n, p in r["positions"].items())
                print(f"{head}: pass, {sampled}; data {r['data_seconds']} s, call {r['call_seconds']} s, oracle "
                      f"{r['oracle_seconds']} s, peak memory {peak}; kernel path {r['kernel_path']}", flush=True)
                continue
            print(f"{head}: pass, {r['positions']} positions of {r['output_elements']:,} output elements; data "
                  f"{r['data_seconds']} s, call {r['call_seconds']} s, peak memory {peak}; kernel path "
                  f"{r['kernel_path']}", flush=True)
    finally:
        backend.close()
    return 1 if failed else 0


def _given(args):
    """The LargeCase of `--config` and `--dtype` (both needed): a zoo layer's reproducer names one."""
    from conformance.judge.large import LargeCase
    from conformance.model.config_text import parse_config

    if args.case:
        raise UsageError("--config runs one config instead of the cases: give --case or --config, not both")
    if not (args.config and args.dtype):
        raise UsageError(f"--{'dtype' if args.config else 'config'} is required with "
                         f"--{'config' if args.config else 'dtype'}")
    try:
        config = parse_config(args.config)
    except ValueError as exc:
        raise UsageError(f"--config {args.config!r}: {exc}") from None
    return LargeCase("config", config, args.dtype, f"{config.macs:.3g} multiply-adds, given on the command line")


def _ratio(r) -> str:
    return "-" if r is None else f"{r:.3g}"
