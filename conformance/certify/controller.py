"""`convconf certify`: a certification is a pytest run of the rows in conformance.certification.

The front end (`run`) turns the command line into pytest's: the backend (`--backend`), the rows
(`--certify-*`, conformance/certify/rows.py), the per-call time limit of the isolated backend
(`--backend-timeout`), and distribution, which is pytest-xdist's: `-n N` locally (`--jobs`),
`--tx` gateways beyond this machine (ssh, or socket with execnet's socket server), `--dist each`
to run every row in every environment (two venvs, two machines).  `Certification`, a plugin of
that run's controller, collects each row's record as its item reports it and writes the reports:
one set (report.json, .md, .html, repro_<n>.py, repro_<n>_standalone.py) per environment the rows
came from.  report.json is rewritten as cells complete (and at least every few seconds), so an
interrupted run leaves a valid partial report ("complete": false); `--junitxml` is pytest's own.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import time
from collections import defaultdict
from importlib.metadata import entry_points

from conformance.findings import declared
from conformance.report.writer import declared_record
from conformance.generate.fingerprint import draws_fingerprint
from conformance.run import threads
from conformance.machine.cpu import cpu_flags
from conformance.backends import registry
from conformance.certify.rows import DTYPES, PROFILES, lost_row, planned
from conformance.model.record import RowEntry, judged, record_id, unit_of_row

WRITE_EVERY = 5.0  # seconds between report.json rewrites while rows arrive (and at every completed unit)
ORDER = {"forward": 0, "transpose": 1, "gradients": 2, "transpose-gradients": 3, "invalid": 4, "historical": 5}


def environment(backend, profile: str, jobs: int = 1, examples=None) -> dict:
    """Versions and hardware the report was made on: enough to compare reports from two machines."""
    import hypothesis
    import numpy

    env = {"cpu": _cpu_name(), "cpu_isa": cpu_isa(), "cpu_count": os.cpu_count(), "jobs": jobs,
           "threads_per_worker": threads.budget(jobs),
           "platform": platform.platform(), "python": platform.python_version(), "numpy": numpy.__version__,
           "hypothesis": hypothesis.__version__, "profile": profile,
           "examples_per_cell_and_kind": examples or PROFILES.get(profile, 1),
           "seed": "per row: crc32 of the row's cell and data kind (the same strategies draw the same cases)",
           "draws": draws_fingerprint()}
    try:
        import scipy
        env["scipy"] = scipy.__version__
    except ImportError:
        pass
    try:
        import torch
        env["torch"] = torch.__version__
        env["torch_cpu_capability"] = torch.backends.cpu.get_cpu_capability()
        env["cuda"] = torch.version.cuda
        env["cudnn"] = torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None
        env["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    except ImportError:
        pass
    version = getattr(backend, "version", None)
    env["backend_version"] = version() if callable(version) else None
    return env


# the instruction-set extensions that select convolution kernels (oneDNN, XLA, MKL dispatch on them)
ISA_FLAGS = ("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni",
             "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_bf16", "amx_int8", "amx_tile", "asimd", "sve")


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_isa() -> str:
    """The kernel-relevant ISA flags of this CPU (from /proc/cpuinfo), or the machine type elsewhere."""
    have = cpu_flags()
    if have is None:
        return platform.machine()
    return " ".join(flag for flag in ISA_FLAGS if flag in have) or "none of " + " ".join(ISA_FLAGS)


def _jsonable(value):
    """A capabilities field for report.json: tuples as lists, a limits callable by its name."""
    if callable(value):
        return f"{value.__module__}.{value.__qualname__}"
    return list(value) if isinstance(value, tuple) else value


class Certification:
    """The controller's side of a certification run: row records in, reports out (one set per environment)."""

    def __init__(self, backend, spec: str, out: str, entries: list, placeholders: list, meta: dict, echo=print,
                 resumed=(), expected=None):
        self.backend, self.spec, self.out, self.meta, self.echo = backend, spec, out, meta, echo
        self.placeholders = placeholders
        self.resumed = list(resumed)  # --resume: the rows the stopped run has a verdict for, kept as they are
        self.units = defaultdict(set)  # unit (progress line) -> the entry ids it is made of
        self.by_id = {}  # entry id -> entry: for the items that end without a row
        for entry in entries:
            self.units[entry.unit].add(entry.id)
            self.by_id[entry.id] = entry
        self.expected = expected if expected is not None else len(entries)
        self.reports = {}  # env id -> report dict
        self.arrived = defaultdict(lambda: defaultdict(list))  # env id -> unit -> rows
        self.done_units = defaultdict(int)
        self.last_write = defaultdict(float)
        self.started = time.perf_counter()
        self.interrupted = False
        self.gateway_env = {}  # xdist gateway id -> the environment its rows came from
        self.lost = []  # rows whose worker died before any row told its environment

    # -- collecting -------------------------------------------------------------------------------
    def _report(self, env_id: str, env: dict) -> dict:
        if env_id not in self.reports:
            caps = self.backend.capabilities
            env = dict(env or {}, jobs=self.meta["jobs"], profile=self.meta["profile"],
                       examples_per_cell_and_kind=self.meta["examples"])
            self.reports[env_id] = {
                "schema": 1, "backend": self.backend.name, "backend_spec": self.spec,
                "backend_path": registry.module_dir(self.spec), "complete": False,
                "started": self.meta["started"], "finished": None, "dtypes": list(DTYPES), "environment": env,
                "capabilities": {k: _jsonable(v) for k, v in vars(caps).items()},
                # the backend's arithmetic as the probes read it (conformance.judge.datasheet), in the controller
                "datasheet": self.meta.get("datasheet"),
                # the known issues the user declared for this run (conformance.findings.declared)
                "declared_issues": [declared_record(issue) for issue in declared.declared()],
                "cells": [dict(row) for row in self.placeholders] + [dict(row) for row in self.resumed]}
            if self.meta.get("resumed_from"):
                self.reports[env_id]["resumed_from"] = self.meta["resumed_from"]
        return self.reports[env_id]

    def pytest_runtest_logreport(self, report):
        text = dict(report.user_properties).get("convconf_row")
        if text is None and report.failed and report.when != "teardown":
            lost = self._lost(report)
            if lost is not None:  # filed under its gateway's environment, or at the end when that is not known
                gateway = getattr(getattr(getattr(report, "node", None), "gateway", None), "id", "main")
                if gateway in self.gateway_env:
                    text = json.dumps(dict(lost, env=self.gateway_env[gateway], gateway=gateway))
                else:
                    self.lost.append(dict(lost, gateway=gateway))
        if text is None or (report.when != "call" and not (report.when == "setup" and report.skipped)
                            and not report.failed):
            return
        row = json.loads(text)
        self.gateway_env.setdefault(row.get("gateway"), row.get("env", "main"))
        # one report per environment; under --dist each every gateway runs every row: one report per gateway
        env_id = row.pop("env", "main")
        if self.meta.get("dist") == "each":
            env_id = f"{row.get('gateway')}_{env_id}"
        env = row.pop("environment", None)
        compiled = row.pop("compile", None)
        stderr = (getattr(report, "capstderr", "") or "").strip()
        if row["status"] in ("crash", "timeout") and stderr and row.get("minimal_failure"):
            # what the dying backend process printed (pytest captured it in the item): its last lines
            tail = "\n".join(stderr.splitlines()[-15:])
            row["minimal_failure"]["report"] += "\n  stderr of the backend's process (last lines):\n" + \
                "\n".join(f"    {line}" for line in tail.splitlines())
        result = self._report(env_id, env)
        if env and not result["environment"].get("host"):  # placeholders came before this worker's first row
            result["environment"].update(env)
        if compiled:  # compile statistics add up over the rows
            total = result["environment"].setdefault("runtime", {}).setdefault("compile", {})
            for key, value in compiled.items():
                total[key] = round(total.get(key, 0) + value, 3)
        result["cells"].append(row)
        unit = unit_of_row(row)
        arrived = self.arrived[env_id][unit]
        arrived.append(row)
        if len(arrived) == len(self.units.get(unit, ())):
            self._unit_done(env_id, unit, arrived)
        elif time.perf_counter() - self.last_write[env_id] > WRITE_EVERY:
            self._write_json(env_id)

    def _lost(self, report):
        """A row item that failed without handing over its row (its xdist worker died under it): a crash row
        carrying pytest's account, so the report is complete and says what happened."""
        param = report.nodeid.rsplit("[", 1)[-1].rstrip("]")
        entry = next((e for i, e in self.by_id.items() if param.endswith(i)), None)
        if entry is None:
            return None
        why = str(report.longrepr).strip().splitlines()
        why = "the pytest worker running this row died or failed outside the backend call: " + " / ".join(why[-6:])
        self.echo(f"{entry.id}: {why}")
        return lost_row(self.backend.name, entry, why)

    def pytest_keyboard_interrupt(self, excinfo):
        self.interrupted = True

    def pytest_testnodedown(self, node, error):
        """A worker process that died outside a backend call (each call is isolated, so this is the engine or
        the environment: a gateway whose Python cannot import convconf, a lost ssh link): say why."""
        if error:
            self.echo(f"xdist worker {node.gateway.id} went down: {str(error).strip().splitlines()[-1]}")

    def _unit_done(self, env_id: str, unit: str, rows: list) -> None:
        from conformance.report.writer import STATUS_MARK

        self.done_units[env_id] += 1
        statuses = "/".join(sorted({r["status"] for r in rows if r["status"] not in ("unsupported", "untested")})
                            or {"n/a"})
        n = sum(r["examples"] or 0 for r in rows)
        seconds = sum(r.get("seconds") or 0 for r in rows)
        known = sorted({k for r in rows for k in r.get("known_issues") or ()})
        where = f" {env_id}" if len(self.reports) > 1 else ""
        self.echo(f"[{self.done_units[env_id]:3d}/{len(self.units)}]{where} {unit:32} {statuses:12} {n:5d} examples "
                  f"{n / max(seconds, 1e-9):6.1f}/s{'  known: ' + ', '.join(known) if known else ''}")
        for row in rows:
            if row["status"] in ("fail", "crash", "timeout"):
                first = ((row.get("minimal_failure") or {}).get("report") or row.get("reason") or "").splitlines()
                self.echo(f"      {row['kind']} data: {STATUS_MARK[row['status']]}: "
                          f"{first[0] if first else row['status']} (full report at the end)")
        self._write_json(env_id)

    def _write_json(self, env_id: str) -> None:
        from conformance.report.writer import write_json

        write_json(self.reports[env_id], self.directory(env_id))
        self.last_write[env_id] = time.perf_counter()

    def directory(self, env_id: str) -> str:
        """Where an environment's reports go: the output folder, or one folder per environment when several."""
        several = self.meta.get("dist") == "each" or len(self.reports) > 1
        path = os.path.join(self.out, env_id) if several else self.out
        os.makedirs(path, exist_ok=True)
        return path

    # -- finishing --------------------------------------------------------------------------------
    def pytest_sessionfinish(self, session, exitstatus):
        self.finish(session.testscollected)

    def finish(self, collected=None) -> None:
        from conformance.report import writer as rep
        from conformance.report import html as report_html

        for row in self.lost:  # a single environment takes them; with several, they stand apart
            env_id = next(iter(self.reports)) if len(self.reports) == 1 else "main"
            self._report(env_id, None)["cells"].append(row)
        if not self.reports:  # nothing arrived (interrupted at once, or nothing left to resume): still a report
            self._report("main", self.meta.get("resumed_environment") or {"host": None})
        for env_id, report in self.reports.items():
            out = self.directory(env_id)
            ran = sum(1 for r in report["cells"] if r.get("host") is not None)
            report["complete"] = not self.interrupted and ran >= self.expected
            report["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
            report["environment"]["seconds"] = round(time.perf_counter() - self.started, 1)
            report["cells"].sort(key=lambda r: (ORDER.get(r["direction"], 9), r["ndim"], r["feature"],
                                                DTYPES.index(r["dtype"]) if r["dtype"] in DTYPES else 9,
                                                str(r["kind"])))
            rep.write_repros(report, out)
            rep.write_standalones(report, out, self.backend)
            rep.write_json(report, out)
            report["coverage"] = pair_coverage(self.backend, report["summary"]["feature_pairs"])
            rep.write_json(report, out)
            rep.write_markdown(report, out)
            report["page"] = report_html.write_html(report, out)


def pair_coverage(backend, seen: dict) -> dict:
    """Feature pairs the certification reached, of those the backend's declarations admit."""
    from conformance.judge.coverage import required_pairs
    from conformance.judge.recording import SEPARATOR

    required = required_pairs(backend)
    reached = {tuple(p.split(SEPARATOR)) for p in seen}
    missed = sorted(required - reached)
    return {"pairs_required": len(required), "pairs_reached": len(required) - len(missed),
            "pairs_missed": [" & ".join(p) for p in missed]}


def pytest_args(args, spec: str, examples: int) -> list:
    """pytest's command line for this certification (the `convconf certify` arguments in `args`)."""
    # the console is the Certification's (progress per cell, reports at the end): pytest's own terminal output
    # is off, and pytest-benchmark (which only warns that xdist disables it) is not loaded
    out = ["--pyargs", "conformance.certification", "-p", "no:cacheprovider", "-p", "no:terminal",
           "-p", "no:benchmark", "-o", "addopts=", "--convconf-backend", spec,
           "--convconf-backend-timeout", str(args.backend_timeout),
           *[arg for path in getattr(args, "known_issues", None) or () for arg in
             ("--convconf-known-issues", os.path.abspath(path))],
           "--certify-profile", args.profile, "--certify-examples", str(examples)]
    if not any(ep.value == "conformance.pytest_plugin" for ep in entry_points(group="pytest11")):
        out += ["-p", "conformance.pytest_plugin"]  # a checkout on PYTHONPATH, not an installed package
    for name in ("ndim", "direction", "dtype", "feature", "kind"):
        for value in getattr(args, name) or ():
            out += [f"--certify-{name}", str(value)]
    if args.tx:
        # a gateway whose worker dies is not restarted: a socket server serves one connection at a time and a
        # worker that cannot start (convconf missing there) would be restarted forever; its rows go to the others
        out += [a for tx in args.tx for a in ("--tx", tx)]
        out += ["--dist", args.dist or "load", "--max-worker-restart", "0"]
    elif args.jobs > 1:
        out += ["-n", str(args.jobs)] + (["--dist", args.dist] if args.dist else [])
    if args.junitxml:
        out += ["--junitxml", args.junitxml]
    if getattr(args, "resume_baseline", None):
        out += ["--certify-resume", os.path.abspath(args.resume_baseline)]
    return out


RESUME_MUST_MATCH = ("backend_version", "python", "numpy", "hypothesis", "draws")


def load_resumable(path: str, backend, profile: str, examples: int) -> dict:
    """The report of a stopped certification (its folder or report.json) that `--resume` continues; ValueError
    naming what differs when this run could not extend it (another backend, profile, budget or versions: one
    report is one environment and one budget)."""
    file = path if path.endswith(".json") else os.path.join(path, "report.json")
    try:
        with open(file, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"--resume {path}: no readable report.json ({exc})") from None
    env = report.get("environment") or {}
    if report.get("backend") != backend.name:
        raise ValueError(f"--resume {path}: that report certifies {report.get('backend')!r}, not {backend.name!r}")
    if env.get("profile") != profile:
        raise ValueError(f"--resume {path}: that run's profile was {env.get('profile')!r}, this one's {profile!r}: "
                         f"give --profile {env.get('profile')}")
    if env.get("examples_per_cell_and_kind") != examples:
        raise ValueError(f"--resume {path}: that run drew {env.get('examples_per_cell_and_kind')} examples per row, "
                         f"this one would draw {examples}: give --examples {env.get('examples_per_cell_and_kind')}")
    now = environment(backend, profile, 1, examples)
    changed = [f"{k} {env.get(k)} there, {now.get(k)} here" for k in RESUME_MUST_MATCH if env.get(k) != now.get(k)]
    if changed:
        raise ValueError(f"--resume {path}: made with other versions ({'; '.join(changed)}); one report is one "
                         "environment: certify anew")
    return report


def run(args, backend, echo=print) -> tuple:
    """Run the certification; (the Certification with its reports, pytest's exit code)."""
    import pytest

    examples = args.examples or PROFILES.get(args.profile, 1)
    if args.profile == "large" and not args.tx:
        args.jobs = 1  # one large case at a time: two would need twice the memory the check made room for
    entries, placeholders = planned(backend, args.ndim, args.direction, args.dtype, args.feature, args.kind,
                                    args.profile)
    meta = {"jobs": args.jobs if not args.tx else len(args.tx), "profile": args.profile, "examples": examples,
            "started": datetime.datetime.now().isoformat(timespec="seconds"), "dist": args.dist}
    planned_rows, kept, stopped = len(entries), [], {}
    resume = getattr(args, "resume", None)
    if resume:
        if args.dist == "each":
            raise ValueError("--resume continues one environment's report: it takes no --dist each")
        stopped = load_resumable(resume, backend, args.profile, examples)
        ids = {e.id for e in entries}
        kept = [row for row in judged(stopped) if record_id(row) in ids]  # rows outside today's selection stay out
        done = {record_id(row) for row in kept}
        entries = [e for e in entries if e.id not in done]
        before = stopped.get("environment") or {}
        meta["resumed_from"] = {"report": os.path.abspath(resume), "started": stopped.get("started"),
                                "stopped": stopped.get("finished"), "rows": len(kept), "host": before.get("host"),
                                "jobs": before.get("jobs"), "seconds": before.get("seconds")}
        meta["resumed_environment"] = before
        # the workers skip what this frozen copy has a verdict for: the report itself is rewritten as rows arrive,
        # and a worker restarted after a crash must collect the same rows as the others
        if entries:
            args.resume_baseline = os.path.join(args.out, "resumed-from.json")
            with open(args.resume_baseline, "w", encoding="utf-8") as f:
                json.dump(stopped, f)
        echo(f"resuming {resume}: {len(kept)} rows have a verdict there and are kept; {len(entries)} to run")
    if args.profile != "large":  # the backend's arithmetic, probed once (a resumed run keeps the stopped run's)
        from conformance.judge.datasheet import datasheet

        meta["datasheet"] = stopped.get("datasheet") or datasheet(
            backend, [d for d in backend.capabilities.dtypes if not args.dtype or d in args.dtype])
    collector = Certification(backend, args.backend, args.out, entries, placeholders, meta, echo, resumed=kept,
                              expected=planned_rows)
    cells = len({e.unit for e in entries if isinstance(e, RowEntry)})

    def n(count, what):  # '1 row', '2 rows'
        return f"{count} {what}" if count == 1 else f"{count} {what}s"

    echo(f"certifying {backend.name}: {n(len(entries), 'row')} ({n(cells, 'feature cell')} x data kinds, "
         f"{n(sum(e.what == 'invalid' for e in entries), 'invalid-config rule')}, "
         f"{n(sum(e.what == 'historical' for e in entries), 'historical replay')}, "
         f"{n(sum(e.what == 'large' for e in entries), 'large case')}; {n(len(placeholders), 'row')} not declared "
         f"or not selected), {n(examples, 'example')} per row, on "
         + (f"{n(len(args.tx), 'xdist gateway')} ({args.dist or 'load'})" if args.tx else
            f"{n(args.jobs, 'pytest-xdist worker')} with {threads.per_worker(args.jobs)} thread(s) each "
            f"({threads.VARIABLE})") + f"; reports in {args.out}")
    if not entries:  # --resume of a run that had finished every row: the report, rewritten, is all there is to do
        collector.finish()
        return collector, 0
    try:
        code = pytest.main(pytest_args(args, args.backend, examples), plugins=[collector])
    finally:
        if getattr(args, "resume_baseline", None) and os.path.exists(args.resume_baseline):
            os.remove(args.resume_baseline)  # the report now holds every row it held
    if not collector.reports:
        # pytest stopped before its session finished (an xdist gateway that fails while being set up raises in
        # pytest_sessionstart, so sessionfinish never runs): still a valid partial report, and the reason
        if code == pytest.ExitCode.INTERNAL_ERROR:
            echo("pytest stopped with an internal error before any row ran (its traceback is above): a gateway "
                 "whose Python cannot import pytest or convconf ends this way")
        collector.finish()
    return collector, int(code)


__all__ = ["Certification", "cpu_isa", "environment", "pair_coverage", "pytest_args", "run"]
