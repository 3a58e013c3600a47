"""Certification rows: what one row checks, and running it to a row record.

A *cell* is (spatial rank, feature, dtype, direction); a *row* is a cell on one data kind: one
Hypothesis run of its own, seeded by its name, with its own verdict, worst error/bound and minimal
failing case.  Besides the generated rows a certification has a row per invalid-configuration
rule (`invalid`: does the backend reject what the oracle rejects?) and per documented historical
bug and dtype (`historical`: replayed like the suite replays them).  Every row runs in a pytest
item (conformance/certification) against the isolated backend, so one crash or hang is one row's
verdict: the row stops at it, records the case, and the run goes on.
"""

from __future__ import annotations

import socket
import time
import warnings
import zlib
from collections import Counter
from dataclasses import asdict

from conformance.model.config import GENERAL_FEATURES, TRANSPOSED_GENERAL_FEATURES
from conformance.model.record import (LARGE, LOST_HOST, Cell, HistoricalEntry, InvalidEntry, LargeEntry, RowEntry,
                                      done_ids, empty_row, judged, record_id, unit_of_row)
from conformance.generate.data import DATA_KINDS
from conformance.judge.recording import Recorder
from conformance.run.runner import run_check

try:
    _EXCEPTION_GROUP = BaseExceptionGroup  # Python 3.11+
except NameError:  # 3.10: the backport Hypothesis itself depends on
    from exceptiongroup import BaseExceptionGroup as _EXCEPTION_GROUP

# transpose: the forward transposed convolution; transpose-gradients: its grad_input, grad_weight and grad_bias
DIRECTIONS = ("forward", "transpose", "gradients", "transpose-gradients")
TRANSPOSED_DIRECTIONS = ("transpose", "transpose-gradients")
GRADIENT_DIRECTIONS = ("gradients", "transpose-gradients")
# feature -> the padding modes drawn (the other features are conditions on the config, `feature_holds`)
FEATURES = {
    "zeros": ("zeros",),
    "reflect": ("reflect",),
    "replicate": ("replicate",),
    "circular": ("circular",),
    "grouped": ("zeros",),
    "dilated": ("zeros",),
    "strided": ("zeros",),
    # the general convolution's features (config.GENERAL_FEATURES), forward and gradients, for backends that declare
    # them; lopsided padding in every padding mode the backend declares
    "asymmetric-padding": ("zeros", "reflect", "replicate", "circular"),
    "negative-padding": ("zeros",),
    "input-dilation": ("zeros",),
    "same-upper": ("zeros",),
    "same-lower": ("zeros",),
}
# the transposed direction's: PyTorch's, then ONNX ConvTranspose's general ones for backends that declare them
TRANSPOSE_FEATURES = ("zeros", "grouped", "dilated", "strided", *TRANSPOSED_GENERAL_FEATURES)
# rank 4 (general, forward and gradients): the box's configs, plain and with each of the PyTorch features
RANK4_FEATURES = ("zeros", "grouped", "dilated", "strided")
# examples per row for each profile: the pytest suite's Hypothesis profiles count per test, certification
# per row (216 cells x 7 kinds for torch-cpu), so these are its own depths; ci is a smoke run
PROFILES = {"ci": 3, "dev": 30, "thorough": 100}
# the opt-in profile of configs past 2**31 elements and bytes (conformance.judge.large): a row per case, nothing else
DTYPES = ("float64", "float32", "float16", "bfloat16")
# the historical replays: the kinds and seeds conformance/tests/test_historical.py replays them with
HISTORICAL_KINDS = ("integer", "random", "adversarial")
HISTORICAL_SEEDS = (0, 1)


def feature_holds(feature: str, config) -> bool:
    if feature in GENERAL_FEATURES:
        return feature in config.general_features()
    if feature == "grouped":
        return config.groups > 1
    if feature == "dilated":
        return any(d > 1 for d in config.dilation)
    if feature == "strided":
        return any(s > 1 for s in config.stride)
    return True


def cells_for(dtypes=DTYPES) -> list:
    out = []
    for direction in DIRECTIONS:
        features = TRANSPOSE_FEATURES if direction in TRANSPOSED_DIRECTIONS else tuple(FEATURES)
        for ndim in (1, 2, 3, 4):
            if ndim == 4 and direction in TRANSPOSED_DIRECTIONS:
                continue
            for feature in RANK4_FEATURES if ndim == 4 else features:
                for dtype in dtypes:
                    out.append(Cell(ndim, feature, dtype, direction))
    return out


def unsupported(caps, cell: Cell):
    """Why the backend does not claim this cell, or None."""
    if cell.dtype not in caps.dtypes:
        return f"dtype {cell.dtype} not declared"
    if cell.ndim not in caps.ndims:
        return f"{cell.ndim}-d not declared"
    transposed = cell.direction in TRANSPOSED_DIRECTIONS
    if transposed and not caps.transposed:
        return "transposed convolution not declared"
    if cell.direction in GRADIENT_DIRECTIONS and not caps.gradients:
        return "gradients not declared"
    if not transposed and FEATURES[cell.feature][0] not in caps.padding_modes:
        return f"padding_mode {FEATURES[cell.feature][0]!r} not declared"
    if cell.feature in GENERAL_FEATURES and cell.feature not in caps.declared_general(transposed):
        return f"{'transposed ' if transposed else ''}{cell.feature} not declared"
    return None


class _Stats:
    """What a row's examples showed: counts, worst ratios, known issues, the failing case, warnings; `recorder`
    keeps the row's own kernel paths and feature coverage (each row has its own)."""

    def __init__(self):
        self.recorder = Recorder()
        self.examples = self.failures = self.unbounded = 0
        self.worst_ratio = self.worst_ulps = 0.0
        self.ratios_sample, self.failing_ratios, self.known, self.warnings = [], [], [], []
        self.failure = None  # {config, kind, seed, report}: after shrinking, the minimal case
        self.died = None  # "crash" or "timeout": the row stopped at that case

    def measured(self, measured, declared: str) -> None:
        for m in (measured.values() if isinstance(measured, dict) else [measured]):
            ratio = m.ratios.get(declared)
            if ratio is not None:
                self.worst_ratio = max(self.worst_ratio, ratio)
                if len(self.ratios_sample) < 400:
                    self.ratios_sample.append(ratio)
            self.worst_ulps = max(self.worst_ulps, m.max_ulps)
            self.unbounded += int(m.unbounded)

    def known_issue(self, outcome) -> None:
        if outcome.issue.key not in self.known:
            self.known.append(outcome.issue.key)

    def row(self, base: dict, kind: str, seconds: float, reason=None) -> dict:
        status = self.died or ("fail" if self.failures else ("known" if self.known else
                                                             ("pass" if self.examples else "untested")))
        if reason and not self.examples:
            status = "unsupported"
        backend, seen = base.get("backend"), self.recorder
        coverage = {field: dict(getattr(seen, field).get(backend, {})) for field in ("features", "pairs", "seconds")}
        return dict(base, kind=kind, status=status, reason=reason, examples=self.examples, failures=self.failures,
                    worst_ratio=self.worst_ratio, worst_ulps=self.worst_ulps, unbounded=self.unbounded,
                    ratios_sample=self.ratios_sample, failing_ratios=self.failing_ratios,
                    kernel_paths=dict(seen.served.get(backend, {})), coverage=coverage, known_issues=self.known,
                    minimal_failure=self.failure, warnings=self.warnings, seconds=round(seconds, 3),
                    host=socket.gethostname())


def _collecting_warnings(stats: _Stats):
    """The backend's own warnings (framework advisories) are not findings: kept once each, never printed."""
    class Collect(warnings.catch_warnings):
        def __exit__(self, *exc):
            for w in self._records or ():
                text = f"{w.category.__name__}: {str(w.message).splitlines()[0][:200]}"
                if text not in stats.warnings and len(stats.warnings) < 5:
                    stats.warnings.append(text)
            return super().__exit__(*exc)

        def __enter__(self):
            self._records = super().__enter__()
            warnings.simplefilter("always")
            return self._records

    return Collect(record=True)


_EMPTIED = {}  # (backend name, cell) -> why the declared limits leave nothing of the cell (probed once per process)


def run_row(backend, cell: Cell, kind: str, examples: int) -> dict:
    """Check `examples` generated cases of (cell, kind) and return the row.  Seeded by the row's name, so a
    version of convconf with unchanged strategies draws the same cases; no explain phase (it only annotates
    Hypothesis' own report, which the row replaces)."""
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis.errors import FlakyFailure, Unsatisfiable

    from conformance.generate.strategies import conv_configs, general_configs, seeds
    from conformance.judge.verdict import NonConformance

    base = dict(asdict(cell), backend=backend.name)
    declared = backend.capabilities.accuracy.get(cell.dtype, "exact-inputs")
    emptied = _EMPTIED.get((backend.name, cell))
    if emptied:
        return dict(empty_row(base, kind, "unsupported", emptied), host=socket.gethostname())
    stats, limits = _Stats(), Counter()  # limits: why drawn configs fell outside the declared limits

    def claimed(config):
        if not feature_holds(cell.feature, config):
            return False
        why = backend.capabilities.excludes(config, cell.dtype, cell.direction in GRADIENT_DIRECTIONS)
        if why:
            limits[why] += 1
        return why is None

    caps = backend.capabilities
    if cell.feature in GENERAL_FEATURES:
        transposed = cell.direction in TRANSPOSED_DIRECTIONS
        modes = ("zeros",) if transposed else tuple(m for m in FEATURES[cell.feature] if m in caps.padding_modes)
        strategy = general_configs(ndim=cell.ndim, features=(cell.feature,), padding_modes=modes,
                                   transposed=transposed).filter(lambda c: not caps.undeclared_general(c))
    else:
        strategy = conv_configs(ndim=cell.ndim, transposed=cell.direction in TRANSPOSED_DIRECTIONS,
                                padding_modes=FEATURES[cell.feature], max_extent=caps.max_extent)
    strategy = strategy.filter(claimed)
    check = "grads" if cell.direction in GRADIENT_DIRECTIONS else "forward"

    @seed(zlib.crc32(f"{cell.name} {kind}".encode()))
    @settings(max_examples=examples, database=None, deadline=None,
              phases=[p for p in Phase if p.name != "explain"], suppress_health_check=list(HealthCheck))
    @given(strategy, seeds())
    def run(config, seed):
        if stats.died:  # a crash or hang ended the row: the remaining examples are not run
            return
        stats.examples += 1
        with _collecting_warnings(stats):
            outcome = run_check(check, backend, config, cell.dtype, kind, seed, recorder=stats.recorder)
        if outcome.status == "known":
            stats.known_issue(outcome)
            return
        bad = outcome.failure
        if bad is not None:
            stats.failures += 1
            stats.failure = dict(config=repr(config), kind=kind, seed=seed, report=outcome.report)
            if bad.died:  # not shrunk: each attempt would cost a fresh process, and the case is what it is
                stats.died = bad.died
                return
            if bad.ratio is not None:  # the failing ratio belongs in the distribution, past the bound
                stats.worst_ratio = max(stats.worst_ratio, bad.ratio)
                stats.failing_ratios.append(bad.ratio)
            raise bad  # for Hypothesis to shrink
        stats.measured(outcome.measured, declared)

    started = time.perf_counter()
    reason = None
    try:
        run()
    except NonConformance:
        pass  # stats.failure holds the last failing example: after shrinking, the minimal one
    except _EXCEPTION_GROUP as group:
        # Hypothesis groups several distinct failures (each shrunk; stats.failure holds the last), and a failure
        # that did not recur when replayed (FlakyFailure): both are this row's failures, nothing else may be in it
        if group.split(NonConformance)[1] is not None or not stats.failure:
            raise
        if isinstance(group, FlakyFailure):
            stats.failure["report"] += ("\n  replay        the failure did not recur when Hypothesis replayed the same "
                                        "example in the same process: the result depends on what ran before it")
    except Unsatisfiable:
        # the declared limits leave nothing of this cell (e.g. TensorFlow's grouped 3-d)
        reason = "every config drawn is outside the declared limits: " + "; ".join(
            why for why, _ in limits.most_common(3))
        _EMPTIED[(backend.name, cell)] = reason
    return stats.row(base, kind, time.perf_counter() - started, reason)


def run_invalid_row(backend, rule: str, examples: int) -> dict:
    """Whether the backend rejects `examples` configs breaking `rule` (conformance.judge.invalid): pass when every one
    raises, fail when one returns numbers, crash or timeout when one kills or hangs its process.  A rule the
    backend's own standard defines (known_issues.ACCEPTED_EXTENSIONS) is `known` when it accepts it."""
    from hypothesis import HealthCheck, Phase, given, seed, settings

    from conformance.backends.protocol import BackendCrash, BackendTimeout
    from conformance.findings import ACCEPTED_EXTENSIONS
    from conformance.judge.invalid import RULES, InvalidCase, check_rejects, invalid_cases

    spec, caps = RULES[rule], backend.capabilities
    base = dict(ndim=0, feature=rule, dtype=caps.dtypes[0], direction="invalid", backend=backend.name)
    if spec.transposed and not caps.transposed:
        return dict(empty_row(base, "config", "unsupported", "transposed convolution not declared"),
                    host=socket.gethostname())
    if not any(m == "zeros" or m in caps.padding_modes for m in spec.padding_modes):
        return dict(empty_row(base, "config", "unsupported", f"padding_mode {spec.padding_modes} not declared"),
                    host=socket.gethostname())
    stats = _Stats()
    extension = ACCEPTED_EXTENSIONS.get((backend.name, rule))

    @seed(zlib.crc32(f"invalid {rule}".encode()))
    @settings(max_examples=examples, database=None, deadline=None,
              phases=[p for p in Phase if p.name != "explain"], suppress_health_check=list(HealthCheck))
    @given(invalid_cases(rule, ndims=caps.ndims))
    def run(case: InvalidCase):
        if stats.died or stats.failure:
            return
        stats.examples += 1
        try:
            check_rejects(backend, case, caps.dtypes[0])
        except AssertionError as accepted:  # AcceptedInvalid: numbers, a dead process or a hang, not a rejection
            stats.failures += 1
            died = accepted.__context__
            stats.died = ("crash" if isinstance(died, BackendCrash) else
                          "timeout" if isinstance(died, BackendTimeout) else None)
            stats.failure = dict(config=repr(case.config), kind="config", seed=None, report=str(accepted))

    started = time.perf_counter()
    run()
    if extension and stats.failure and not stats.died:  # accepted by its own standard: documented, not failed
        stats.failures, stats.known = 0, ["accepted-extension"]
        return dict(stats.row(base, "config", time.perf_counter() - started), reason=f"accepted extension: {extension}")
    return stats.row(base, "config", time.perf_counter() - started)


def run_historical_row(backend, bug, dtype: str) -> dict:
    """A documented past bug (conformance.generate.historical) replayed on `dtype`: each value kind with fixed seeds,
    forward and, where the report involved it, gradients, as conformance/tests/test_historical.py does."""
    from conformance.judge.coverage import kinds_for

    base = dict(ndim=bug.config.ndim, feature=bug.key, dtype=dtype, direction="historical", backend=backend.name)
    why = backend.capabilities.unsupported(bug.config, dtype)
    if why:
        return dict(empty_row(base, "replay", "unsupported", why), host=socket.gethostname())
    checks = ["forward"]
    if bug.gradients and backend.capabilities.unsupported(bug.config, dtype, gradients=True) is None:
        checks.append("grads")
    stats = _Stats()
    declared = backend.capabilities.accuracy.get(dtype, "exact-inputs")
    started = time.perf_counter()
    for check in checks:
        for kind in (k for k in HISTORICAL_KINDS if k in kinds_for(backend)):
            for seed_ in HISTORICAL_SEEDS:
                if stats.died:
                    break
                stats.examples += 1
                with _collecting_warnings(stats):
                    outcome = run_check(check, backend, bug.config, dtype, kind, seed_, recorder=stats.recorder)
                if outcome.status == "known":
                    stats.known_issue(outcome)
                elif outcome.failure is not None:
                    stats.failures += 1
                    stats.died = outcome.failure.died
                    if stats.failure is None:
                        stats.failure = dict(config=repr(bug.config), kind=kind, seed=seed_, report=outcome.report)
                else:
                    stats.measured(outcome.measured, declared)
    return stats.row(base, "replay", time.perf_counter() - started)


def run_large_row(backend, key: str, spec=None) -> dict:
    """A large case (conformance.judge.large) as a row: pass/fail/crash with its positions, time and peak memory;
    unsupported where the backend does not declare large tensors, untested where it does not fit in memory."""
    from conformance.judge.large import CASES, fits

    case = CASES[key]
    base = dict(ndim=case.config.ndim, feature=key, dtype=case.dtype, direction=LARGE, backend=backend.name)
    why = ("large tensors not declared (Capabilities.large_tensors)" if not backend.capabilities.large_tensors
           else backend.capabilities.unsupported(case.config, case.dtype))
    too_big = None if why else fits(case)
    if why or too_big:
        return dict(empty_row(base, "hashed", "unsupported" if why else "untested", why or too_big),
                    host=socket.gethostname())
    stats = _Stats()
    stats.examples = 1
    outcome = run_check("large", backend, case, spec, recorder=stats.recorder)
    large = outcome.measured
    if outcome.status == "pass":
        stats.worst_ratio = large["worst_ratio"] or 0.0
    elif outcome.status == "known":
        stats.known_issue(outcome)
    else:
        stats.failures, stats.died = 1, outcome.failure.died
        stats.failure = dict(config=repr(case.config), kind="hashed", seed=case.seed, report=outcome.report)
    return dict(stats.row(base, "hashed", outcome.seconds), large=large)


def planned(backend, ndims=None, directions=None, dtypes=None, features=None, kinds=None, profile=None) -> tuple:
    """(entries, placeholders) of a certification of `backend`, narrowed by the given lists (None: all).

    entries, each a pytest item: RowEntry (cell, data kind), InvalidEntry (rule), HistoricalEntry (bug, dtype);
    placeholders: the rows nothing runs for, already as records: cells the backend does not declare
    (unsupported), data kinds it declares no semantics for (unsupported) or that were not selected
    (untested).  The invalid-config and historical rows belong to a full certification: they run when no
    narrowing is given, or when `directions` names them (then `dtypes` narrows the historical ones)."""
    from conformance.judge.coverage import kinds_for
    from conformance.generate.historical import HISTORICAL_BUGS
    from conformance.judge.invalid import RULES

    caps = backend.capabilities
    entries, placeholders = [], []
    if profile == LARGE:  # the large cases alone, narrowed by rank and dtype
        from conformance.judge.large import LARGE_CASES

        return [LargeEntry(c.key) for c in LARGE_CASES if (not ndims or c.config.ndim in ndims)
                and (not dtypes or c.dtype in dtypes)], []
    narrowed = any(v for v in (ndims, directions, dtypes, features, kinds))
    for cell in cells_for():
        if (ndims and cell.ndim not in ndims) or (directions and cell.direction not in directions) or \
                (dtypes and cell.dtype not in dtypes) or (features and cell.feature not in features):
            continue
        base = dict(asdict(cell), backend=backend.name)
        why = unsupported(caps, cell)
        for kind in DATA_KINDS:
            if why:
                placeholders.append(empty_row(base, kind, "unsupported", why))
            elif kind not in kinds_for(backend):
                placeholders.append(empty_row(base, kind, "unsupported",
                                              f"{kind} data: NaN/inf semantics not declared (Capabilities.nonfinite)"))
            elif kinds and kind not in kinds:
                placeholders.append(empty_row(base, kind, "untested", "data kind not selected (--kind)"))
            else:
                entries.append(RowEntry(cell, kind))
    if not narrowed or (directions and "invalid" in directions):
        entries += [InvalidEntry(rule) for rule in RULES]
    if not narrowed or (directions and "historical" in directions):
        entries += [HistoricalEntry(bug.key, dtype) for bug in HISTORICAL_BUGS for dtype in DTYPES
                    if not dtypes or dtype in dtypes]
    return entries, placeholders


def lost_row(backend_name: str, entry, why: str) -> dict:
    """The record of an entry whose pytest item ended without one: the pytest-xdist worker running it died (not
    the isolated backend process, whose death is a row of its own), counted as a crash with pytest's words."""
    if isinstance(entry, RowEntry):
        base, kind = dict(asdict(entry.cell), backend=backend_name), entry.kind
    else:
        from conformance.generate.historical import HISTORICAL_BUGS
        from conformance.judge.large import CASES

        if isinstance(entry, InvalidEntry):
            feature, ndim, dtype, kind = entry.rule, 0, "all", "rule"
        elif isinstance(entry, HistoricalEntry):
            ndim = next((b.config.ndim for b in HISTORICAL_BUGS if b.key == entry.key), 0)
            feature, dtype, kind = entry.key, entry.dtype, "replay"
        else:
            feature, ndim, dtype, kind = entry.key, CASES[entry.key].config.ndim, CASES[entry.key].dtype, "hashed"
        base = dict(ndim=ndim, feature=feature, dtype=dtype, direction=entry.what, backend=backend_name)
    row = empty_row(base, kind, "crash", why)
    row.update(failures=1, minimal_failure=dict(config=None, kind=kind, seed=None, report=why),
               host=LOST_HOST)
    return row


def run_entry(backend, entry, examples: int, spec=None) -> dict:
    """The row record of one certification entry (spec: the name the backend was given by, for reproducers)."""
    if isinstance(entry, LargeEntry):
        return run_large_row(backend, entry.key, spec)
    if isinstance(entry, RowEntry):
        return run_row(backend, entry.cell, entry.kind, examples)
    if isinstance(entry, InvalidEntry):
        return run_invalid_row(backend, entry.rule, examples)
    from conformance.generate.historical import HISTORICAL_BUGS

    bug = next(b for b in HISTORICAL_BUGS if b.key == entry.key)
    return run_historical_row(backend, bug, entry.dtype)


__all__ = ["DATA_KINDS", "DIRECTIONS", "FEATURES", "PROFILES", "cells_for", "feature_holds", "lost_row", "planned",
           "run_entry", "run_large_row", "run_historical_row", "run_invalid_row", "run_row", "unsupported",
           # a row's identity (conformance.model.record), for the runner's callers
           "LARGE", "LOST_HOST", "Cell", "HistoricalEntry", "InvalidEntry", "LargeEntry", "RowEntry", "done_ids",
           "empty_row", "judged", "record_id", "unit_of_row"]
