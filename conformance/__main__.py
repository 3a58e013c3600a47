"""Command line: `python -m conformance certify | diff | demo | repro | backends` (also `convconf`).

certify   run every feature cell on one backend; write report.json/.md/.html and repro_<n>.py
diff      compare two report.json files (a framework upgrade); exit 1 on a regression
demo      a short run of generated cases against one backend (default torch-cpu)
repro     re-run one reported case exactly (the `reproduce` line of a failure report)
datasheet probe a backend's arithmetic (accumulator precision, rounding, subnormals, summation order)
layers    list the distinct convolutions a PyTorch model runs (their one-line configs, for repro)
backends  list the backend names this installation knows

Exit status, the same for every subcommand (EXIT_STATUS below, printed by --help).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback

from conformance.backends import registry
from conformance.backends.protocol import unavailable
from conformance.model.config import ConvConfig
from conformance.model.dtypes import DTYPES
from conformance.judge.invariants import CHECKS as INVARIANT_CHECKS
from conformance.judge.recording import Recorder
from conformance.model.errors import UsageError
from conformance.judge.coverage import kinds_for
from conformance.generate.data import DATA_KINDS
from conformance.run.runner import run_check


EXIT_STATUS = """exit status (every subcommand):
  0  no unexpected failure: conformant, or every failure claimed by a known issue (certify, repro, demo,
     large); no regression (diff)
  1  a non-conformance no known issue explains (certify, repro, demo, large); a certification that did not
     finish; a regression (diff)
  2  usage error: a bad argument, a backend that cannot load or run here, an unreadable report
  3  internal error in convconf itself (a bug: please report it with the output of --debug)
141  the output's reader closed the pipe (as for any tool killed by SIGPIPE)"""
USAGE, INTERNAL, PIPE_CLOSED = 2, 3, 141
KNOWN_ISSUES_HELP = ("known issues of your own, as narrow as the built-in ones (a TOML or JSON file; repeatable; "
                     "docs/backends.md#declaring-known-issues)")




def _backend(spec: str, known_issues=()):
    """The backend to run in this command: in-process, or in its own process where it needs an environment
    set before its framework loads (protocol.process_env: a oneDNN ISA cap).  The known issues it declares, and
    those the --known-issues files declare, are declared for the run (conformance.findings.declared)."""
    from conformance.backends.protocol import process_env
    from conformance.findings import DeclarationError, declare, declared

    try:
        backend = registry.load(spec)
    except registry.UnknownBackend as exc:
        raise UsageError(str(exc)) from None
    reason = unavailable(backend)
    if reason:
        raise UsageError(f"backend {spec!r} cannot run here: {reason}")
    try:
        for path in known_issues or ():
            declare(declared.load_file(path))
        declare(declared.from_backend(backend))
    except DeclarationError as exc:
        raise UsageError(str(exc)) from None
    if process_env(backend):
        from conformance.run.isolation import IsolatedBackend

        return IsolatedBackend(spec)
    return backend


def _config(text: str) -> ConvConfig:
    """--config in either form a report prints (conformance.model.config_text), validated as the oracle does."""
    from conformance.model.config_text import parse_config
    from oracle import ConvConfigError

    try:
        config = parse_config(text)
        config.spec()
    except (ValueError, ConvConfigError) as exc:
        raise UsageError(f"--config: {exc}") from None
    return config


def repro(args) -> int:
    backend = _backend(args.backend, args.known_issues)
    config = _config(args.config)
    check = "grads" if args.grads else args.check
    # what the backend does not declare is not owed (docs/backends.md): refused, never judged
    why = backend.capabilities.unsupported(config, args.dtype, gradients=check == "grads")
    if why is None and check not in INVARIANT_CHECKS and args.kind not in kinds_for(backend):
        why = f"{args.kind} data need declared NaN/inf semantics (Capabilities.nonfinite)"
    if why:
        raise UsageError(f"backend {backend.name!r} does not declare this case, so nothing is owed: {why}")
    # an invariant takes no data kind (its data are integers)
    arguments = (config, args.dtype, args.seed) if check in INVARIANT_CHECKS else (config, args.dtype, args.kind,
                                                                                    args.seed)
    outcome = run_check(check, backend, *arguments, recorder=Recorder())
    if outcome.status == "known":  # reproduced, and explained: no unexpected failure (EXIT_STATUS)
        print(outcome.report)
        print(f"\nknown issue {outcome.issue.key}: {outcome.issue.summary}\n  documented at {outcome.issue.doc}; "
              f"reduced reproducer: {outcome.issue.reproducer}")
        return 0
    if outcome.failure is not None:
        print(outcome.report)
        return 1
    if outcome.measured is False:
        raise UsageError(f"--check {check}: exactness is not owed for this config and dtype, nothing to check")
    print(f"conformant: {backend.name} {config.short()} [{args.dtype}, {args.kind}, seed {args.seed}]")
    return 0


def demo(args) -> int:
    """Check generated cases against one backend; derandomized, so a given version repeats its run."""
    from hypothesis import HealthCheck, given, settings, strategies as st

    from conformance.generate.strategies import conv_configs, seeds

    backend = _backend(args.backend, args.known_issues)
    caps = backend.capabilities
    failures, known, counts, started = [], set(), {"checks": 0}, time.perf_counter()
    recorder = Recorder()

    @settings(max_examples=args.examples, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(conv_configs(padding_modes=caps.padding_modes, max_macs=15_000, max_extent=caps.max_extent),
           st.sampled_from(caps.dtypes),
           st.sampled_from(kinds_for(backend)), seeds())
    def run(config, dtype, kind, seed):
        if caps.unsupported(config, dtype):
            return
        for check in ("forward", "grads") if caps.gradients else ("forward",):
            outcome = run_check(check, backend, config, dtype, kind, seed, recorder=recorder)
            if outcome.status == "known":
                known.add(outcome.issue.key)
            elif outcome.failure is not None:
                failures.append(outcome.report)
            counts["checks"] += 1
            if counts["checks"] % 50 == 0:
                rate = counts["checks"] / (time.perf_counter() - started)
                print(f"  {counts['checks']} checks, {rate:.0f} checks/s", flush=True)

    run()
    print()
    print(recorder.summary())
    print(f"\n{backend.name}: {counts['checks']} checks in {time.perf_counter() - started:.1f} s, "
          f"{len(failures)} non-conformant, known issues hit: {', '.join(sorted(known)) or 'none'}")
    for text in failures[:3]:
        print("\n" + text)
    return 1 if failures else 0


def large_run(args) -> int:
    from conformance.certify.large_run import large_cases

    return large_cases(args, _backend)


def layers_command(args) -> int:
    """The distinct convolutions a PyTorch model runs (conformance.certify.model_run), one line each."""
    from conformance.certify.model_run import layers_command as listing

    return listing(args)


def datasheet_command(args) -> int:
    """The backend's numerical datasheet (conformance.judge.datasheet) as a markdown table, or JSON."""
    import json

    from conformance.judge.datasheet import datasheet, markdown

    backend = _backend(args.backend)
    undeclared = [d for d in args.dtype or () if d not in backend.capabilities.dtypes]
    if undeclared:
        raise UsageError(f"--dtype {undeclared[0]}: not declared by {backend.name!r} (declares "
                         f"{', '.join(backend.capabilities.dtypes)})")
    try:
        sheet = datasheet(backend, args.dtype)
    finally:
        getattr(backend, "close", lambda: None)()
    if args.json:
        print(json.dumps(sheet, indent=1))
    else:
        print(f"numerical datasheet of {backend.name} ({registry.spec_of(backend.name)})\n")
        print("\n".join(markdown(sheet)))
    return 0


def _jsonable(value):
    """A capabilities field for report.json: tuples as lists, a limits callable by its name."""
    if callable(value):
        return f"{value.__module__}.{value.__qualname__}"
    return list(value) if isinstance(value, tuple) else value


def certify(args) -> int:
    import webbrowser

    from conformance.certify import controller as cert
    from conformance.report import writer as rep
    from conformance.report.compare import compare_markdown

    if args.model or args.profile == "zoo" or args.zoo_model:  # real networks' layers, one at a time
        from conformance.certify.model_run import certify_command

        return certify_command(args, _backend)
    backend = _backend(args.backend, args.known_issues)
    if args.jobs < 1:
        raise UsageError(f"--jobs must be >= 1, got {args.jobs}")
    if args.examples is not None and args.examples < 1:
        raise UsageError(f"--examples must be >= 1, got {args.examples}")
    if args.backend_timeout <= 0:
        raise UsageError(f"--backend-timeout must be > 0, got {args.backend_timeout}")
    if args.dist and not (args.tx or args.jobs > 1):
        raise UsageError("--dist needs workers: --jobs N (N > 1) or --tx gateways")
    args.out = args.out or args.resume or os.path.join("reports", backend.name)
    if args.resume and args.resume.endswith(".json") and args.out == args.resume:
        args.out = os.path.dirname(args.resume) or "."
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {args.out!r}: cannot create the directory ({exc})") from None

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C and a polite kill both end in a valid partial report, even when this process was started with
    # SIGINT ignored (as under some CI runners)
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        collector, code = cert.run(args, backend, lambda text: print(text, flush=True))
    except ValueError as exc:  # --resume of a report this run cannot extend: it says why
        raise UsageError(str(exc)) from None
    if collector.interrupted:
        print("interrupted: wrote a partial report", file=sys.stderr)
    conformant = True
    for env_id, report in collector.reports.items():
        out = collector.directory(env_id)
        conformant &= report["complete"] and report["summary"]["conformant"]
        if len(collector.reports) > 1:
            print(f"\n== {env_id}: {rep.machine(report['environment'])}")
        print(f"\n{rep.headline(report)}")
        groups = rep.failure_groups(report)
        for i, ((status, what, path, violation), rows) in enumerate(groups, 1):
            files = ", ".join(r.get("repro_file", "-") for r in rows[:6]) + (" ..." if len(rows) > 6 else "")
            print(f"  root cause {i}: {rep.STATUS_MARK[status]} {what} (kernel path {path}, {violation}): "
                  f"{rep.rows_text(len(rows))}; reproducers {files}")
            first = rows[0]
            text = (first.get("minimal_failure") or {}).get("report") or first.get("reason") or ""
            alone = first.get("standalone_file")
            print(f"    {rep.row_name(first)}: {os.path.join(out, first.get('repro_file', '-'))}"
                  + (f" (needs only the framework: {os.path.join(out, alone)})" if alone else ""))
            print("\n".join("      " + line for line in text.splitlines()[:14]))
        for issue, rows in rep.known_issues_hit(report):
            print(f"  known issue {issue.key}: {rep.rows_text(len(rows))}"
                  + (f" (declared in {issue.declared_in})" if issue.declared_in else ""))
        for d in rep.declared_unused(report):
            print(f"  declared known issue {d['key']} claimed no row (stale?): {d['declared_in']}")
        raised = sorted({w for r in report["cells"] for w in r.get("warnings") or ()})
        if raised:
            print(f"  warnings the backend raised (not judged; in report.json per row): {len(raised)} distinct")
            for w in raised[:5]:
                print(f"    {w}")
        print(f"report: {os.path.abspath(report['page'])}")
        if args.open and (os.environ.get("DISPLAY") or sys.platform in ("darwin", "win32")):
            webbrowser.open("file://" + os.path.abspath(report["page"]))
    if len(collector.reports) > 1:
        paths = [os.path.join(collector.directory(e), "report.json") for e in collector.reports]
        with open(os.path.join(args.out, "compare.md"), "w", encoding="utf-8") as f:
            f.write(compare_markdown(list(collector.reports.values())))
        print(f"\n{len(paths)} environments; side by side: {os.path.join(args.out, 'compare.md')}; "
              f"what changed: convconf diff {' '.join(paths[:2])}")
    return 0 if conformant else 1


def diff_reports(args) -> int:
    from conformance.report.compare import diff, diff_text, draw_differences
    from conformance.report.writer import read_report

    try:
        old, new = (read_report(path) for path in (args.old, args.new))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    unlike = draw_differences(old, new)
    if unlike and not args.force:
        raise UsageError(f"{args.old} and {args.new} drew different cases ({'; '.join(unlike)}): a row may change "
                         "with the draw, not the backend; certify both alike, or give --force to compare anyway "
                         "(then only status changes count as regressions)")
    result = diff(old, new, args.noise, same_draws=not unlike)

    print(diff_text(old, new, result, unlike), end="")
    return 1 if result["regressed"] else 0


def compare_reports(args) -> int:
    from conformance.report.compare import compare_markdown
    from conformance.report.writer import read_report

    try:
        reports = [read_report(path) for path in args.reports]
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(compare_markdown(reports), end="")
    return 0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("convconf")
    except PackageNotFoundError:
        return "(not installed: a checkout on the path)"


def list_backends(names_only: bool) -> int:
    """Every backend name, and whether it runs on this machine (the reason where not)."""
    names = registry.names()
    if names_only:
        print("\n".join(names))
        return 0
    width = max(map(len, names))
    for name in names:
        try:
            why = unavailable(registry.load(name))
        except Exception as exc:  # noqa: BLE001 - a backend that cannot even load does not run here either
            why = f"{type(exc).__name__}: {exc}"
        print(f"{name:{width}}  {'runs here' if why is None else 'not here: ' + why}")
    return 0


def main(argv=None) -> int:
    # as `python -m conformance` does: backends given as module:attr import from the current directory
    if os.getcwd() not in map(os.path.abspath, filter(None, sys.path)) and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    parser = argparse.ArgumentParser(prog="convconf", description="N-d convolution conformance", epilog=EXIT_STATUS,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"convconf {_version()}")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an error (a backend that cannot load, an internal error)")
    sub = parser.add_subparsers(dest="command", required=True)
    from conformance.certify.rows import FEATURES, PROFILES

    c = sub.add_parser("certify", help="certify one backend: every feature cell, reports and reproducers")
    c.add_argument("--backend", required=True, help="built-in or installed name, or package.module:attr")
    c.add_argument("--profile", default="ci", choices=[*PROFILES, "large", "zoo"],
                   help="depth: " + ", ".join(f"{k} {v} examples per cell and data kind" for k, v in PROFILES.items())
                   + "; large: only the configs past 2**31 elements and bytes (one at a time, those that fit in "
                     "memory); zoo: every layer of the model zoo at its real size (docs/models.md)")
    c.add_argument("--model", help="certify your model's layers instead: package.module:factory (see layers)")
    c.add_argument("--input-shape", help="with --model: the input's shape, e.g. 1,3,224,224")
    c.add_argument("--memory-format", default="contiguous", choices=["contiguous", "channels_last"],
                   help="with --model: the model and its input in this format (each layer runs in the format it "
                        "meets, on the backend's channels-last variant where it meets that)")
    c.add_argument("--zoo-model", action="append", metavar="NAME", help="with --profile zoo: only this model")
    c.add_argument("--batch", type=int, action="append", help="with --profile zoo: this batch (default 1 and 8)")
    c.add_argument("--examples", type=int, metavar="N",
                   help="examples per row instead of the profile's (an expensive backend's own budget, e.g. a "
                        "compiled one; recorded in the report)")
    c.add_argument("--out", help="output directory (default reports/<backend>)")
    c.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="pytest-xdist workers on this machine (-n; default: cores)")
    c.add_argument("--backend-timeout", type=float, default=120.0, metavar="SECONDS",
                   help="a backend call taking longer counts as hung: its row's verdict, the run goes on (default 120)")
    c.add_argument("--tx", action="append", metavar="SPEC",
                   help="a pytest-xdist gateway instead of local workers (repeatable): popen//python=/venv/bin/python, "
                        "ssh=host//python=python3, socket=host:8888; see docs/certify.md")
    c.add_argument("--dist", choices=["load", "each"],
                   help="load: the rows shared among the workers (default); each: every row on every gateway, one "
                        "report per environment (certify two venvs or machines side by side)")
    c.add_argument("--junitxml", metavar="PATH", help="also write pytest's JUnit XML (one test case per row)")
    c.add_argument("--ndim", type=int, action="append", choices=[1, 2, 3, 4],
                   help="only this spatial rank (repeatable; 4: the general convolution, where declared)")
    c.add_argument("--direction", action="append",
                   choices=["forward", "transpose", "gradients", "transpose-gradients", "invalid", "historical"],
                   help="only this direction (repeatable); invalid: the invalid-config rules, historical: the "
                        "documented past bugs (both run in a certification without narrowing)")
    c.add_argument("--dtype", action="append", choices=list(DTYPES), help="only this dtype (repeatable)")
    c.add_argument("--feature", action="append", choices=list(FEATURES),
                   help="only this feature cell: a padding mode, grouped, dilated or strided (repeatable)")
    c.add_argument("--kind", action="append", choices=list(DATA_KINDS), help="only this data kind (repeatable)")
    c.add_argument("--resume", metavar="DIR",
                   help="continue a stopped certification: keep the rows its report (DIR or DIR/report.json) has a "
                        "verdict for, run the rest (each row draws the cases it would have drawn) and write one "
                        "report, to DIR unless --out; give the same backend, profile, --examples and selection")
    c.add_argument("--known-issues", action="append", metavar="FILE", help=KNOWN_ISSUES_HELP)
    c.add_argument("--open", action="store_true", help="open report.html in a browser when a display exists")
    f = sub.add_parser("diff", help="compare two reports (a run's folder, its report.json or report.compact.json.gz); "
                                    "exit 1 on a regression")
    f.add_argument("old", metavar="OLD")
    f.add_argument("new", metavar="NEW")
    f.add_argument("--noise", type=float, default=2.0,
                   help="error/bound growth factor reported as moved (not failed; default 2)")
    f.add_argument("--force", action="store_true",
                   help="compare reports that drew different cases (profile, examples per row, seed scheme, "
                        "Hypothesis version or strategies differ): only status changes count as regressions")
    m = sub.add_parser("compare", help="one markdown feature matrix across several reports (folders, report.json or "
                                       "report.compact.json.gz)")
    m.add_argument("reports", nargs="+", metavar="REPORT")
    d = sub.add_parser("demo", help="a short conformance run against one backend")
    d.add_argument("--backend", default="torch-cpu")
    d.add_argument("--examples", type=int, default=100, help="generated configurations (default 100)")
    d.add_argument("--known-issues", action="append", metavar="FILE", help=KNOWN_ISSUES_HELP)
    r = sub.add_parser("repro", help="re-run one reported case")
    r.add_argument("--backend", required=True)
    r.add_argument("--config", required=True,
                   help="the case's config as the report prints it: its one-line form ('conv2d x(1, 3, 5, 5) "
                        "w(2, 3, 3, 3) g=1 s=(1, 1) p=(1, 1) d=(1, 1)') or its ConvConfig(...) repr")
    r.add_argument("--dtype", required=True, choices=list(DTYPES))
    r.add_argument("--kind", required=True, choices=list(DATA_KINDS))
    r.add_argument("--seed", required=True, type=int)
    r.add_argument("--check", default="forward", choices=["forward", "grads", *INVARIANT_CHECKS],
                   help="which check to re-run (default forward)")
    r.add_argument("--grads", action="store_true", help="same as --check grads")
    r.add_argument("--known-issues", action="append", metavar="FILE", help=KNOWN_ISSUES_HELP)
    g = sub.add_parser("large", help="run the large profile's cases (past 2**31 elements and bytes) on one backend")
    g.add_argument("--backend", required=True)
    g.add_argument("--case", action="append", help="only this case (repeatable; default: all); see --list")
    g.add_argument("--list", action="store_true", help="list the cases, their sizes and the memory each needs")
    g.add_argument("--config", help="instead of the cases: this config (one-line form or ConvConfig repr; a report's "
                                    "reproducer gives it), on integers hashed from each index")
    g.add_argument("--dtype", choices=list(DTYPES), help="the dtype --config runs in")
    g.add_argument("--check", default="forward", choices=["forward", "grads"],
                   help="the forward (default) or the three gradients, at sampled positions")
    s = sub.add_parser("datasheet", help="probe a backend's arithmetic: accumulator precision, products, rounding, "
                                         "subnormals, summation order")
    s.add_argument("--backend", required=True)
    s.add_argument("--dtype", action="append", choices=list(DTYPES), help="only this dtype (repeatable)")
    s.add_argument("--json", action="store_true", help="JSON instead of a markdown table")
    y = sub.add_parser("layers", help="list the distinct convolutions a PyTorch model runs, with the memory format "
                                      "each meets and the gradients its backward pass computes (no convolution "
                                      "computed)")
    y.add_argument("--model", required=True, help="package.module:factory, called with no arguments, returning an "
                                                  "nn.Module (or package.module:instance)")
    y.add_argument("--input-shape", required=True, help="the input's shape, e.g. 1,3,224,224")
    y.add_argument("--memory-format", default="contiguous", choices=["contiguous", "channels_last"],
                   help="the model and its input in this format (default contiguous)")
    y.add_argument("--dtype", default="float32", choices=list(DTYPES))
    b = sub.add_parser("backends", help="list the backend names this installation knows, and whether each runs here")
    b.add_argument("--names", action="store_true", help="the names alone, one a line")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors already
        return int(exc.code or 0)
    try:
        if args.command == "backends":
            return list_backends(args.names)
        commands = {"repro": repro, "demo": demo, "certify": certify, "diff": diff_reports,
                    "compare": compare_reports, "large": large_run, "datasheet": datasheet_command,
                    "layers": layers_command}
        return commands[args.command](args)
    except UsageError as exc:
        cause = exc.__cause__ or exc.__context__  # what a backend's import raised, say
        while cause is not None and (cause.__cause__ or cause.__context__) is not None:
            cause = cause.__cause__ or cause.__context__
        if args.debug and cause is not None:
            traceback.print_exception(cause)
        print(f"convconf: error: {exc}", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        raise
    except BrokenPipeError:  # the reader of the output went away (| head): exit as a tool killed by SIGPIPE would
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return PIPE_CLOSED
    except Exception as exc:  # noqa: BLE001 - convconf's own bug: one line, the traceback under --debug
        if args.debug:
            traceback.print_exc()
        where = traceback.extract_tb(exc.__traceback__)[-1]
        print(f"convconf: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
              f"(at {os.path.basename(where.filename)}:{where.lineno}; rerun with --debug for the traceback, and "
              f"please report it)", file=sys.stderr)
        return INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
