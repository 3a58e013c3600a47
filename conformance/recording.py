"""What a run saw: kernel paths served and the worst error/bound per accuracy class.

Each process (an xdist worker or a plain run) fills RECORDER; the pytest plugin ships
worker records to the controller and prints the summary.  Keys are
(backend, direction, dtype, kernel path); values count examples and keep, per
accuracy class, the worst error/bound ratio, so the summary can name the tightest
class each path really meets (ratio <= 1).
"""

from __future__ import annotations

from collections import defaultdict

from .bounds import ACCURACY_CLASSES


class Recorder:
    def __init__(self):
        self.cells = defaultdict(lambda: {"examples": 0, "ratios": {}, "declared": None})

    def record(self, backend, direction, dtype, kind, kernel_path, measurement, declared) -> None:
        cell = self.cells[(backend, direction, dtype, kernel_path or "unknown")]
        cell["examples"] += 1
        cell["declared"] = declared
        for cls, ratio in measurement.ratios.items():
            cell["ratios"][cls] = max(cell["ratios"].get(cls, 0.0), ratio)

    def export(self) -> list:
        return [[*key, value] for key, value in self.cells.items()]

    def merge(self, rows) -> None:
        for *key, value in rows:
            cell = self.cells[tuple(key)]
            cell["examples"] += value["examples"]
            cell["declared"] = value["declared"]
            for cls, ratio in value["ratios"].items():
                cell["ratios"][cls] = max(cell["ratios"].get(cls, 0.0), ratio)

    @staticmethod
    def tightest(ratios: dict) -> str:
        met = [c for c in ACCURACY_CLASSES if c in ratios and ratios[c] <= 1.0]
        return met[0] if met else "none"

    def paths(self) -> dict:
        """backend -> set of kernel paths seen."""
        seen = defaultdict(set)
        for backend, _, _, path in self.cells:
            seen[backend].add(path)
        return seen

    def summary(self) -> str:
        if not self.cells:
            return ""
        lines = [f"{'backend':26} {'direction':12} {'dtype':9} {'kernel path':18} {'examples':>8} "
                 f"{'worst err/bound':>15} {'tightest class met':>19}"]
        for (backend, direction, dtype, path), cell in sorted(self.cells.items()):
            ratio = cell["ratios"].get(cell["declared"])
            shown = "-" if ratio is None else f"{ratio:.3g}"
            lines.append(f"{backend:26} {direction:12} {dtype:9} {path:18} {cell['examples']:8d} {shown:>15} "
                         f"{self.tightest(cell['ratios']):>19}")
        coverage = "; ".join(f"{b}: {', '.join(sorted(p))}" for b, p in sorted(self.paths().items()))
        return "\n".join(lines + ["", f"kernel paths served: {coverage}"])


RECORDER = Recorder()
