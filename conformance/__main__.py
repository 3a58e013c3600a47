"""Command line: `python -m conformance certify | diff | demo | repro | backends` (also `convconf`).

certify   run every feature cell on one backend; write report.json/.md/.html and repro_<n>.py
diff      compare two report.json files (a framework upgrade); exit 1 on a regression
demo      a short run of generated cases against one backend (default torch-cpu)
repro     re-run one reported case exactly (the `reproduce` line of a failure report)
backends  list the backend names this installation knows
Exit status: 0 conformant, 1 non-conformant (known issues excepted), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from . import threads
from .backends import registry
from .backends.protocol import unavailable
from .checks import check_forward, check_grads
from .config import ConvConfig
from .dtypes import DTYPES
from .invariants import CHECKS as INVARIANT_CHECKS
from .known_issues import KnownNonConformance
from .recording import RECORDER
from .coverage import kinds_for
from .data import DATA_KINDS
from .verdict import NonConformance


class UsageError(Exception):
    pass


def _backend(spec: str):
    """The backend to run in this command: in-process, or in its own process where it needs an environment
    set before its framework loads (protocol.process_env: a oneDNN ISA cap)."""
    from .backends.protocol import process_env

    try:
        backend = registry.load(spec)
    except registry.UnknownBackend as exc:
        raise UsageError(str(exc)) from None
    reason = unavailable(backend)
    if reason:
        raise UsageError(f"backend {spec!r} cannot run here: {reason}")
    if process_env(backend):
        from .isolation import IsolatedBackend

        return IsolatedBackend(spec)
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
    @given(conv_configs(padding_modes=caps.padding_modes, max_macs=15_000, max_extent=caps.max_extent),
           st.sampled_from(caps.dtypes),
           st.sampled_from(kinds_for(backend)), seeds())
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


def _jsonable(value):
    """A capabilities field for report.json: tuples as lists, a limits callable by its name."""
    if callable(value):
        return f"{value.__module__}.{value.__qualname__}"
    return list(value) if isinstance(value, tuple) else value


def certify(args) -> int:
    import datetime
    import os
    import webbrowser

    from . import certify as cert
    from . import report as rep
    from . import report_html

    backend = _backend(args.backend)
    if args.jobs < 1:
        raise UsageError(f"--jobs must be >= 1, got {args.jobs}")
    if args.examples is not None and args.examples < 1:
        raise UsageError(f"--examples must be >= 1, got {args.examples}")
    if args.cell_timeout <= 0:
        raise UsageError(f"--cell-timeout must be > 0, got {args.cell_timeout}")
    out = args.out or os.path.join("reports", backend.name)
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {out!r}: cannot create the directory ({exc})") from None
    caps = backend.capabilities
    cells = [c for c in cert.cells_for(("float64", "float32", "float16", "bfloat16"))
             if (not args.ndim or c.ndim in args.ndim) and (not args.direction or c.direction in args.direction)
             and (not args.dtype or c.dtype in args.dtype) and (not args.feature or c.feature in args.feature)]
    examples = args.examples or cert.PROFILES[args.profile]
    report = {"schema": 1, "backend": backend.name, "backend_spec": args.backend,
              "backend_path": registry.module_dir(args.backend), "complete": False,
              "started": datetime.datetime.now().isoformat(timespec="seconds"), "finished": None,
              "dtypes": ["float64", "float32", "float16", "bfloat16"],
              "environment": cert.environment(backend, args.profile, args.jobs, examples),
              "capabilities": {k: _jsonable(v) for k, v in vars(caps).items()},
              "cells": []}
    runnable = []
    for cell in cells:
        why = cert.unsupported(caps, cell)
        if why:
            report["cells"] += [dict(vars(cell), kind=kind, status="unsupported", reason=why, examples=0, failures=0,
                                     worst_ratio=None, worst_ulps=None, unbounded=0, ratios_sample=[],
                                     kernel_paths={}, known_issues=[], minimal_failure=None)
                                for kind in cert.DATA_KINDS]
        else:
            runnable.append(cell)
    print(f"certifying {backend.name}: {len(runnable)} feature cells ({len(cells) - len(runnable)} not declared), "
          f"{examples} examples per data kind each, {args.jobs} in parallel with "
          f"{report['environment']['threads_per_worker']} thread(s) each ({threads.VARIABLE}); reports in {out}",
          flush=True)
    rep.write_json(report, out)
    started, done = time.perf_counter(), [0]

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C and a polite kill both end in a valid partial report, even when this process
    # was started with SIGINT ignored (as under some CI runners and pytest-xdist workers)
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)

    first_of_cause = {}  # root cause -> the repro file of the row whose report was printed in full

    def on_cell_done(cell, rows, seconds):
        report["cells"].extend(rows)
        done[0] += 1
        statuses = "/".join(sorted({r["status"] for r in rows if r["status"] not in ("unsupported", "untested")})
                            or {"n/a"})
        n = sum(r["examples"] for r in rows)
        known = sorted({k for r in rows for k in r["known_issues"]})
        print(f"[{done[0]:3d}/{len(runnable)}] {cell.name:32} {statuses:12} {n:5d} examples "
              f"{n / max(seconds, 1e-9):6.1f}/s{'  known: ' + ', '.join(known) if known else ''}", flush=True)
        rep.write_repros(report, out)  # numbered in row order, so earlier files keep their names
        rep.write_standalones(report, out, backend)
        for row in rows:
            if row["status"] not in rep.FAILING:
                continue
            repro = os.path.join(out, row.get("repro_file", "none"))
            cause = rep.root_cause(row)
            if cause in first_of_cause:  # one full report per root cause; later rows point at it
                print(f"      {row['kind']} data: {rep.STATUS_MARK[row['status']]}; reproducer {repro} "
                      f"(same root cause as {first_of_cause[cause]})", flush=True)
                continue
            first_of_cause[cause] = row.get("repro_file", "none")
            text = (row.get("minimal_failure") or {}).get("report") or row.get("reason") or ""
            standalone = row.get("standalone_file")
            print(f"      {row['kind']} data: {rep.STATUS_MARK[row['status']]}; reproducer {repro}"
                  + (f" (needs only the framework: {os.path.join(out, standalone)})" if standalone else ""))
            print("\n".join("        " + line for line in text.splitlines()[:12]), flush=True)
        rep.write_json(report, out)  # after every cell: an interrupted run leaves a valid partial report

    def on_runtime(info):
        runtime = report["environment"].setdefault("runtime", {})
        compiled = info.pop("compile", None)
        for key, value in info.items():
            runtime.setdefault(key, value)  # every worker runs the same settings: the first report stands
        if compiled:  # compile statistics add up over the workers' cells
            total = runtime.setdefault("compile", {})
            for key, value in compiled.items():
                total[key] = round(total.get(key, 0) + value, 3)

    try:
        cert.run_cells(args.backend, runnable, examples, args.jobs, args.cell_timeout, on_cell_done, args.kind,
                       on_runtime)
        report["complete"] = True
    except KeyboardInterrupt:
        print("interrupted: writing a partial report", file=sys.stderr)
    finally:
        report["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
        report["environment"]["seconds"] = round(time.perf_counter() - started, 1)
        rep.write_repros(report, out)
        rep.write_standalones(report, out, backend)
        rep.write_json(report, out)
        report["coverage"] = _pair_coverage(backend, report["summary"]["feature_pairs"])
        rep.write_json(report, out)
        rep.write_markdown(report, out)
        page = report_html.write_html(report, out)
    summary = report["summary"]
    print(f"\n{rep.headline(report)}")
    groups = rep.failure_groups(report)
    for i, ((status, what, path, violation), rows) in enumerate(groups, 1):
        files = ", ".join(r.get("repro_file", "-") for r in rows[:6]) + (" ..." if len(rows) > 6 else "")
        print(f"  root cause {i}: {rep.STATUS_MARK[status]} {what} (kernel path {path}, {violation}): "
              f"{len(rows)} rows; reproducers {files}")
    for issue, rows in rep.known_issues_hit(report):
        print(f"  known issue {issue.key}: {len(rows)} rows")
    raised = sorted({w for r in report["cells"] for w in r.get("warnings") or ()})
    if raised:
        print(f"  warnings the backend raised (not judged; in report.json per row): {len(raised)} distinct")
        for w in raised[:5]:
            print(f"    {w}")
    print(f"report: {os.path.abspath(page)}")
    if args.open and (os.environ.get("DISPLAY") or sys.platform in ("darwin", "win32")):
        webbrowser.open("file://" + os.path.abspath(page))
    if not report["complete"]:
        return 1
    return 0 if summary["conformant"] else 1


def _pair_coverage(backend, seen: dict) -> dict:
    """Feature pairs the certification reached, of those the backend's declarations admit."""
    from .coverage import required_pairs
    from .recording import SEPARATOR

    required = required_pairs(backend)
    reached = {tuple(p.split(SEPARATOR)) for p in seen}
    missed = sorted(required - reached)
    return {"pairs_required": len(required), "pairs_reached": len(required) - len(missed),
            "pairs_missed": [" & ".join(p) for p in missed]}


def diff_reports(args) -> int:
    import json

    from .report import diff

    reports = []
    for path in (args.old, args.new):
        try:
            with open(path, encoding="utf-8") as f:
                reports.append(json.load(f))
        except (OSError, json.JSONDecodeError) as exc:
            raise UsageError(f"{path}: not a readable report.json ({exc})") from None
    old, new = reports
    result = diff(old, new, args.noise)
    from .report import machine

    for label, r in (("old", old), ("new", new)):
        env = r["environment"]
        print(f"{label}: {r['backend']} ({env.get('backend_version') or 'torch ' + str(env.get('torch'))}, "
              f"{env['profile']})\n     machine: {machine(env)}")
    if (old["environment"].get("cpu"), old["environment"].get("cpu_isa")) != (new["environment"].get("cpu"),
                                                                             new["environment"].get("cpu_isa")):
        print("     (different CPUs or ISA flags: a row may differ because another kernel ran, not because of the "
              "version)")
    print()
    for title in ("regressed", "improved"):
        rows = result[title]
        print(f"{title}: {len(rows)}")
        if rows:
            print(f"  {'direction':10} {'rank':4} {'feature':9} {'dtype':9} {'kind':11} {'old':>12} {'new':>12}  what")
            for (direction, ndim, feature, dtype, kind), before, after, what in rows:
                print(f"  {direction:10} {ndim}d   {feature:9} {dtype:9} {kind:11} {before:>12} {after:>12}  {what}")
    if result["changed"]:
        print(f"other status changes: {len(result['changed'])}")
        for key, before, after in result["changed"]:
            print(f"  {' '.join(map(str, key))}: {before} -> {after}")
    return 1 if result["regressed"] else 0


def compare_reports(args) -> int:
    import json

    from .report import compare_markdown

    reports = []
    for path in args.reports:
        try:
            with open(path, encoding="utf-8") as f:
                reports.append(json.load(f))
        except (OSError, json.JSONDecodeError) as exc:
            raise UsageError(f"{path}: not a readable report.json ({exc})") from None
    print(compare_markdown(reports), end="")
    return 0


def main(argv=None) -> int:
    # as `python -m conformance` does: backends given as module:attr import from the current directory
    if os.getcwd() not in map(os.path.abspath, filter(None, sys.path)) and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    parser = argparse.ArgumentParser(prog="convconf", description="N-d convolution conformance")
    sub = parser.add_subparsers(dest="command", required=True)
    from .certify import FEATURES, PROFILES

    c = sub.add_parser("certify", help="certify one backend: every feature cell, reports and reproducers")
    c.add_argument("--backend", required=True, help="built-in or installed name, or package.module:attr")
    c.add_argument("--profile", default="ci", choices=list(PROFILES),
                   help="depth: " + ", ".join(f"{k} {v} examples per cell and data kind" for k, v in PROFILES.items()))
    c.add_argument("--examples", type=int, metavar="N",
                   help="examples per row instead of the profile's (an expensive backend's own budget, e.g. a "
                        "compiled one; recorded in the report)")
    c.add_argument("--out", help="output directory (default reports/<backend>)")
    c.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cells run in parallel (default: cores)")
    c.add_argument("--cell-timeout", type=float, default=900.0, help="seconds before a cell counts as hung")
    c.add_argument("--ndim", type=int, action="append", choices=[1, 2, 3], help="only this spatial rank (repeatable)")
    c.add_argument("--direction", action="append", choices=["forward", "transpose", "gradients"],
                   help="only this direction (repeatable)")
    c.add_argument("--dtype", action="append", choices=list(DTYPES), help="only this dtype (repeatable)")
    c.add_argument("--feature", action="append", choices=list(FEATURES),
                   help="only this feature cell: a padding mode, grouped, dilated or strided (repeatable)")
    c.add_argument("--kind", action="append", choices=list(DATA_KINDS), help="only this data kind (repeatable)")
    c.add_argument("--open", action="store_true", help="open report.html in a browser when a display exists")
    f = sub.add_parser("diff", help="compare two report.json files; exit 1 on a regression")
    f.add_argument("old")
    f.add_argument("new")
    f.add_argument("--noise", type=float, default=2.0, help="error/bound growth factor counted as a regression")
    m = sub.add_parser("compare", help="one markdown feature matrix across several report.json files")
    m.add_argument("reports", nargs="+", metavar="report.json")
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
        commands = {"repro": repro, "demo": demo, "certify": certify, "diff": diff_reports,
                    "compare": compare_reports}
        return commands[args.command](args)
    except UsageError as exc:
        print(f"convconf: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
