"""What a run saw: kernel paths, accuracy classes met, and the coverage of families and feature pairs.

Whoever runs checks owns a Recorder and passes it in (conformance.run.runner): a pytest session
keeps one (conformance.run.suite.session_recorder) and the plugin ships each xdist worker's record
to the controller, which prints the summary; each certification row keeps its own.  Accuracy cells are keyed by
(backend, direction, dtype, kernel path) and keep, per accuracy class, the worst
error/bound ratio, so the summary can name the tightest class each path really meets
(ratio <= 1).  Coverage keeps, per backend, the examples and seconds per family, the
features and the cross-axis feature pairs reached (conformance.judge.coverage).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from conformance.judge import coverage
from conformance.model.bounds import ACCURACY_CLASSES
from conformance.model.classify import long_directions

SEPARATOR = " & "


class Recorder:
    def __init__(self):
        self.cells = defaultdict(lambda: {"examples": 0, "ratios": {}, "declared": None})
        self.features = defaultdict(Counter)  # backend -> feature -> examples
        self.pairs = defaultdict(Counter)  # backend -> "a & b" -> examples
        self.seconds = defaultdict(Counter)  # backend -> family -> seconds spent checking
        self.served = defaultdict(Counter)  # backend -> kernel path -> backend calls it served, whatever the verdict
        self.known = defaultdict(Counter)  # backend -> known issue key -> cases it claimed
        # backend -> known issue key -> examples drawn inside the issue's geometry (its config predicate, dtypes,
        # kinds and directions): whether the run still reaches each finding's configs
        self.geometry = defaultdict(Counter)
        # backend -> "direction kind" -> examples whose elements in that direction sum >= LONG_TERMS products
        self.reductions = defaultdict(Counter)

    def record(self, backend, direction, dtype, kind, kernel_path, measurement, declared, config=None) -> None:
        cell = self.cells[(backend, direction, dtype, kernel_path or "unknown")]
        cell["examples"] += 1
        cell["declared"] = declared
        for cls, ratio in measurement.ratios.items():
            cell["ratios"][cls] = max(cell["ratios"].get(cls, 0.0), ratio)

    def known_hit(self, backend: str, key: str) -> None:
        self.known[backend][key] += 1

    def call(self, backend: str, kernel_path) -> None:
        """A backend call returned, served by `kernel_path` (recorded before the verdict)."""
        self.served[backend][kernel_path or "unknown"] += 1

    def example(self, backend: str, config, check: str, dtype: str, kind: str, seconds: float) -> None:
        """One checked example (a forward or gradient check): its features, pairs and time."""
        values = coverage.features(config, check, dtype, kind)
        self.features[backend].update(values)
        self.geometry[backend].update(geometries(backend, config, check, dtype, kind))
        self.reductions[backend].update(f"{d} {kind}" for d in long_directions(config, check))
        self.pairs[backend].update(SEPARATOR.join(p) for p in coverage.pairs(values))
        for value in values:
            if value.startswith("family="):
                self.seconds[backend][value[7:]] += seconds

    def export(self) -> dict:
        return {"cells": [[*key, value] for key, value in self.cells.items()],
                "features": self.features, "pairs": self.pairs, "seconds": self.seconds, "served": self.served,
                "known": self.known, "geometry": self.geometry,
                "reductions": self.reductions}

    def merge(self, data: dict) -> None:
        for *key, value in data["cells"]:
            cell = self.cells[tuple(key)]
            cell["examples"] += value["examples"]
            cell["declared"] = value["declared"]
            for cls, ratio in value["ratios"].items():
                cell["ratios"][cls] = max(cell["ratios"].get(cls, 0.0), ratio)
        for field in ("features", "pairs", "seconds", "served", "known", "geometry", "reductions"):
            for backend, counts in data.get(field, {}).items():
                getattr(self, field)[backend].update(counts)

    @staticmethod
    def tightest(ratios: dict) -> str:
        met = [c for c in ACCURACY_CLASSES if c in ratios and ratios[c] <= 1.0]
        return met[0] if met else "none"

    def paths(self) -> dict:
        """backend -> set of kernel paths that served a call (known issues included)."""
        return {backend: set(paths) for backend, paths in self.served.items()}

    def seen_pairs(self, backend: str) -> set:
        return {tuple(p.split(SEPARATOR)) for p in self.pairs[backend]}

    def summary(self, backends=None) -> str:
        """The accuracy table (backends: which to list; default all)."""
        rows = sorted((k, v) for k, v in self.cells.items() if backends is None or k[0] in backends)
        if not rows:
            return ""
        header = ("backend", "direction", "dtype", "kernel path", "examples", "worst err/bound", "tightest class met")
        table = []
        for (backend, direction, dtype, path), cell in rows:
            ratio = cell["ratios"].get(cell["declared"])
            table.append((backend, direction, dtype, path, str(cell["examples"]),
                          "-" if ratio is None else f"{ratio:.3g}", self.tightest(cell["ratios"])))
        return _aligned(header, table, right=(4, 5))

    def geometry_lines(self, ran: dict) -> list:
        return geometry_lines(self, ran)

    def family_table(self, backends=None) -> str:
        """Examples and examples/s per family, per backend."""
        table = []
        for backend in sorted(self.features):
            if backends is not None and backend not in backends:
                continue
            counts = self.features[backend]
            for name in (*coverage.FAMILIES, "box"):
                n, seconds = counts.get(f"family={name}", 0), self.seconds[backend].get(name, 0.0)
                table.append((backend, name, str(n), f"{n / seconds:.0f}" if seconds else "-"))
        return _aligned(("backend", "family", "examples", "examples/s"), table, right=(2, 3)) if table else ""


def geometries(backend: str, config, check: str, dtype: str, kind: str) -> list:
    """The keys of the known issues with a config predicate whose geometry this example falls in: the backend
    (or the built-in it is a variant of), dtype, data kind, direction and config the issue names.  Kernel paths
    and layouts are the backend's choice, not the draw's, so they are not asked for."""
    from conformance.findings import all_issues, check_direction

    if check == "forward":
        directions = {check_direction(config, "forward")}
    else:
        directions = {check_direction(config, d) for d in ("grad_input", "grad_weight", "grad_bias")}
    return [issue.key for issue in all_issues() if issue.when is not None and dtype in issue.dtypes
            and (issue.kinds is None or kind in issue.kinds)
            and (issue.directions is None or directions & set(issue.directions))
            and issue.covers(backend) and issue.when(config)]


def expected_geometries(backend) -> list:
    """The known issues with a config predicate this fully-run backend can meet here: it names the backend (or
    its built-in), declares one of the issue's dtypes, and this machine can show the issue."""
    from conformance.findings import all_issues

    caps = backend.capabilities
    return [issue for issue in all_issues() if issue.when is not None and issue.covers(backend.name)
            and set(issue.dtypes) & set(caps.dtypes) and issue.unreachable_here(backend.name) is None
            and not (issue.kinds and not set(issue.kinds) & set(coverage.kinds_for(backend)))]


def missed_geometries(seen: "Recorder", backend) -> list:
    """The keys of the built-in known issues this fully-run backend can meet here whose geometry no example fell in
    (a user's declaration is shown in the geometry lines, not required: its narrowness is the user's)."""
    from conformance.findings.geometry_examples import EXAMPLES

    return [issue.key for issue in expected_geometries(backend) if issue.key in EXAMPLES
            and not seen.geometry.get(backend.name, {}).get(issue.key)]


def geometry_lines(seen: "Recorder", ran: dict) -> list:
    """'key: backend N' per known issue a fully-run backend (ran: name -> (backend, ...)) can meet; 'NEVER DRAWN'
    where no example of the run fell in its geometry."""
    lines = []
    for name, (backend, _, _) in sorted(ran.items()):
        for issue in expected_geometries(backend):
            n = seen.geometry.get(name, {}).get(issue.key, 0)
            lines.append(f"{issue.key}: {name} {n}" + ("" if n else "  NEVER DRAWN"))
    return lines


def _aligned(header, rows, right=()) -> str:
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]

    def line(row):
        return "  ".join(str(v).rjust(w) if i in right else str(v).ljust(w) for i, (v, w) in
                         enumerate(zip(row, widths))).rstrip()

    return "\n".join([line(header), *map(line, rows)])

