"""A certification row's identity: its cell, its pytest id, and the record of a row that ran nothing.

A *cell* is (spatial rank, feature, dtype, direction); a *row* is a cell on one data kind.  An *entry* is what
the controller plans and a pytest item runs (RowEntry, InvalidEntry, HistoricalEntry, LargeEntry); a *record* is
the dict a row reports.  Ids tie the two together (what `--resume`
keeps, what a report links), so they live here, below both the row runner and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

LARGE = "large"


@dataclass(frozen=True)
class Cell:
    ndim: int
    feature: str
    dtype: str
    direction: str

    @property
    def name(self) -> str:
        return f"{self.ndim}d {self.direction} {self.feature} {self.dtype}"


def empty_row(base: dict, kind: str, status: str, reason) -> dict:
    """A row that ran nothing: not declared (unsupported), or not selected (untested)."""
    return dict(base, kind=kind, status=status, reason=reason, examples=0, failures=0, worst_ratio=None,
                worst_ulps=None, unbounded=0, ratios_sample=[], failing_ratios=[], kernel_paths={}, coverage=None,
                known_issues=[], minimal_failure=None, warnings=[])


LOST_HOST = "unknown (its worker died)"  # the host of a row whose pytest-xdist worker died under it


# -- entries: what the controller plans and one pytest item runs; each kind of row is its own class -----------------

@dataclass(frozen=True)
class RowEntry:
    """A generated row: a cell on one data kind (one Hypothesis run, seeded by its name)."""

    cell: Cell
    kind: str
    what = "row"

    @property
    def id(self) -> str:
        """The pytest id of the entry: the row's name (record_id of the record it makes)."""
        c = self.cell
        return f"{c.ndim}d-{c.direction}-{c.feature}-{c.dtype}-{self.kind}"

    @property
    def unit(self) -> str:
        """What a progress line reports on: the cell, its data kinds together."""
        return self.cell.name


@dataclass(frozen=True)
class InvalidEntry:
    """An invalid-configuration rule: does the backend reject what the oracle rejects?"""

    rule: str
    what = "invalid"

    @property
    def id(self) -> str:
        return f"invalid-{self.rule}"

    @property
    def unit(self) -> str:
        return f"invalid {self.rule}"


@dataclass(frozen=True)
class HistoricalEntry:
    """A documented past bug (conformance.generate.historical) replayed on one dtype."""

    key: str
    dtype: str
    what = "historical"

    @property
    def id(self) -> str:
        return f"historical-{self.key}-{self.dtype}"

    @property
    def unit(self) -> str:
        return f"historical {self.key} {self.dtype}"


@dataclass(frozen=True)
class LargeEntry:
    """A large case (conformance.judge.large): a config past 2**31 elements or bytes, at sampled positions."""

    key: str
    what = LARGE

    @property
    def id(self) -> str:
        return f"large-{self.key}"

    @property
    def unit(self) -> str:
        return f"large {self.key}"


def record_id(row: dict) -> str:
    """The id of the entry a row record was made for."""
    if row["direction"] in ("invalid", LARGE):
        return f"{row['direction']}-{row['feature']}"
    if row["direction"] == "historical":
        return f"historical-{row['feature']}-{row['dtype']}"
    return f"{row['ndim']}d-{row['direction']}-{row['feature']}-{row['dtype']}-{row['kind']}"


def judged(report: dict) -> list:
    """The rows a (partial) report has a verdict for: those a worker ran and reported (placeholders have no host; a
    row whose worker died under it, perhaps of the interruption itself, has none)."""
    return [row for row in report["cells"] if row.get("host") not in (None, LOST_HOST)]


def done_ids(report: dict) -> set:
    """The entries a (partial) report has a verdict for (what `--resume` does not run again)."""
    return {record_id(row) for row in judged(report)}


def unit_of_row(row: dict) -> str:
    """The progress unit (an entry's `unit`) of a row record."""
    if row["direction"] == "invalid":
        return f"invalid {row['feature']}"
    if row["direction"] == "historical":
        return f"historical {row['feature']} {row['dtype']}"
    if row["direction"] == LARGE:
        return f"large {row['feature']}"
    return f"{row['ndim']}d {row['direction']} {row['feature']} {row['dtype']}"
