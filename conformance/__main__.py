"""Command line: `python -m conformance demo | repro | backends` (also installed as `convconf`).

demo      a short run of generated cases against one backend (default torch-cpu), with a
          summary of kernel paths and accuracy classes; exit 1 on any non-conformance
repro     re-run one reported case exactly (the `reproduce` line of a failure report)
backends  list the backend names this installation knows
Exit status: 0 conformant, 1 non-conformant, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import time

from .backends import registry
from .backends.protocol import unavailable
from .checks import check_forward, check_grads
from .config import ConvConfig
from .dtypes import DTYPES
from .invariants import CHECKS as INVARIANT_CHECKS
from .known_issues import KnownNonConformance
from .recording import RECORDER
from .strategies import DATA_KINDS
from .verdict import NonConformance


class UsageError(Exception):
    pass


def _backend(spec: str):
    try:
        backend = registry.load(spec)
    except registry.UnknownBackend as exc:
        raise UsageError(str(exc)) from None
    reason = unavailable(backend)
    if reason:
        raise UsageError(f"backend {spec!r} cannot run here: {reason}")
    return backend


def _config(text: str) -> ConvConfig:
    try:
        config = eval(text, {"ConvConfig": ConvConfig, "__builtins__": {}})  # noqa: S307 - a repr we printed
    except Exception as exc:  # noqa: BLE001
        raise UsageError(f"--config: not a ConvConfig(...) expression ({exc})") from None
    if not isinstance(config, ConvConfig):
        raise UsageError("--config: must be a ConvConfig(...) expression")
    return config


def repro(args) -> int:
    backend = _backend(args.backend)
    config = _config(args.config)
    check = "grads" if args.grads else args.check
    try:
        if check in INVARIANT_CHECKS:
            if not INVARIANT_CHECKS[check](backend, config, args.dtype, args.seed):
                raise UsageError(f"--check {check}: exactness is not owed for this config and dtype, nothing to check")
        else:
            (check_grads if check == "grads" else check_forward)(backend, config, args.dtype, args.kind, args.seed)
    except KnownNonConformance as known:
        print(known.report)
        print(f"\nknown issue {known.issue.key}: {known.issue.summary}")
        return 1
    except NonConformance as failure:
        print(failure)
        return 1
    print(f"conformant: {backend.name} {config.short()} [{args.dtype}, {args.kind}, seed {args.seed}]")
    return 0


def demo(args) -> int:
    """Check generated cases against one backend; derandomized, so a given version repeats its run."""
    from hypothesis import HealthCheck, given, settings, strategies as st

    from .strategies import conv_configs, seeds

    backend = _backend(args.backend)
    caps = backend.capabilities
    failures, known, counts, started = [], set(), {"checks": 0}, time.perf_counter()

    @settings(max_examples=args.examples, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(conv_configs(padding_modes=caps.padding_modes, max_macs=15_000), st.sampled_from(caps.dtypes),
           st.sampled_from(DATA_KINDS), seeds())
    def run(config, dtype, kind, seed):
        if caps.unsupported(config, dtype):
            return
        for check in (check_forward, check_grads) if caps.gradients else (check_forward,):
            try:
                check(backend, config, dtype, kind, seed)
            except KnownNonConformance as hit:
                known.add(hit.issue.key)
            except NonConformance as failure:
                failures.append(str(failure))
            counts["checks"] += 1
            if counts["checks"] % 50 == 0:
                rate = counts["checks"] / (time.perf_counter() - started)
                print(f"  {counts['checks']} checks, {rate:.0f} checks/s", flush=True)

    run()
    print()
    print(RECORDER.summary())
    print(f"\n{backend.name}: {counts['checks']} checks in {time.perf_counter() - started:.1f} s, "
          f"{len(failures)} non-conformant, known issues hit: {', '.join(sorted(known)) or 'none'}")
    for text in failures[:3]:
        print("\n" + text)
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="convconf", description="N-d convolution conformance")
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="a short conformance run against one backend")
    d.add_argument("--backend", default="torch-cpu")
    d.add_argument("--examples", type=int, default=100, help="generated configurations (default 100)")
    r = sub.add_parser("repro", help="re-run one reported case")
    r.add_argument("--backend", required=True)
    r.add_argument("--config", required=True, help="the ConvConfig(...) repr from the report")
    r.add_argument("--dtype", required=True, choices=list(DTYPES))
    r.add_argument("--kind", required=True, choices=list(DATA_KINDS))
    r.add_argument("--seed", required=True, type=int)
    r.add_argument("--check", default="forward", choices=["forward", "grads", *INVARIANT_CHECKS],
                   help="which check to re-run (default forward)")
    r.add_argument("--grads", action="store_true", help="same as --check grads")
    sub.add_parser("backends", help="list known backend names")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors already
        return int(exc.code or 0)
    try:
        if args.command == "backends":
            print("\n".join(registry.names()))
            return 0
        return repro(args) if args.command == "repro" else demo(args)
    except UsageError as exc:
        print(f"convconf: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
