"""The committed certifications: a generated page that cannot go stale, compact reports that diff and compare
read as full ones, and a folder light enough to clone."""

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from conformance.report.compare import diff
from conformance.report.writer import COMPACT_DROPS, COMPACT_NAME, read_report, write_compact

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "docs" / "certifications"


def _tables():
    spec = importlib.util.spec_from_file_location("certification_tables", ROOT / "scripts" / "certification_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_certifications_page_is_what_the_script_writes():
    tables = _tables()
    assert (FOLDER / "README.md").read_text(encoding="utf-8") == tables.page(), \
        "docs/certifications/README.md is stale: run python scripts/certification_tables.py"


def test_committed_runs_keep_what_a_reader_needs_and_weigh_at_most_10_mib():
    runs = [md.parent for md in FOLDER.rglob("report.md")]  # a --dist each run holds one folder per environment
    assert runs and all((d / COMPACT_NAME).exists() for d in runs)
    assert all(any(r.is_relative_to(d) for r in runs) for d in FOLDER.iterdir() if d.is_dir())
    assert not list(FOLDER.glob("*/report.json")) and not list(FOLDER.glob("*/report.html"))
    weight = sum(f.stat().st_size for f in FOLDER.rglob("*") if f.is_file())
    assert weight <= 10 * 2**20, f"docs/certifications weighs {weight / 2**20:.1f} MiB"


def _report(status, ratio):
    row = dict(ndim=1, feature="zeros", dtype="float32", direction="forward", kind="random", status=status,
               worst_ratio=ratio, examples=3, ratios_sample=[ratio] * 3, failing_ratios=[], coverage={"families": 1})
    return dict(backend="b", environment={"profile": "ci"}, complete=True, summary={"rows": {status: 1}},
                cells=[row])


def test_a_compact_report_reads_back_without_the_samples_and_diffs_as_the_full_one(tmp_path):
    old, new = _report("pass", 0.2), _report("fail", float("inf"))
    (tmp_path / "old").mkdir()
    write_compact(old, str(tmp_path / "old"))
    compact = read_report(str(tmp_path / "old"))  # a folder: its compact report
    assert not set(COMPACT_DROPS) & set(compact["cells"][0]) and compact["cells"][0]["status"] == "pass"
    assert diff(compact, new) == diff(old, new) and diff(old, new)["regressed"]
    again = tmp_path / "again"
    again.mkdir()
    write_compact(old, str(again))  # reproducible bytes: committing a run again changes nothing
    assert (again / COMPACT_NAME).read_bytes() == (tmp_path / "old" / COMPACT_NAME).read_bytes()


@pytest.mark.parametrize("content, says", [("{}", "not a convconf report (no backend, environment, cells)"),
                                           ("[1, 2]", "not a convconf report"), ("{", "not a readable report.json")])
def test_what_is_not_a_report_is_refused_saying_why(tmp_path, content, says):
    path = tmp_path / "report.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=says.replace("(", r"\(").replace(")", r"\)")):
        read_report(str(path))
    with pytest.raises(ValueError, match="a folder with no report.json"):
        read_report(str(tmp_path / "empty") if (tmp_path / "empty").mkdir() is None else "")


def test_a_full_report_reads_from_its_folder(tmp_path):
    (tmp_path / "report.json").write_text(json.dumps(_report("pass", 0.1)))
    assert read_report(str(tmp_path))["cells"][0]["ratios_sample"] == [0.1] * 3


def test_the_headline_says_conformant_only_when_every_declared_row_passed():
    from conformance.report.writer import headline

    def report(keys, status="known"):
        rows = [dict(_report(status, 0.5)["cells"][0], known_issues=k) for k in keys]
        rows.append(dict(_report("unsupported", 0.5)["cells"][0], known_issues=[]))
        env = {"profile": "ci", "examples_per_cell_and_kind": 3}
        counts = dict(Counter(r["status"] for r in rows))
        return dict(backend="b", complete=True, cells=rows, environment=env,
                    summary={"rows": counts, "conformant": status not in ("fail", "crash"), "examples": 3})

    # known issues only: no new failures (exit 0), the known rows counted by kind, a row under its worst kind
    crash = report([["onednn-padding-only-width-segfault", "onednn-bf16-ftz"], ["onednn-bf16-ftz"]])
    assert headline(crash).startswith("No new failures: 2 known non-conformances (crash or hang 1 row, wrong values "
                                      "1 row); 1 row not declared; profile ci")
    assert headline(report([["onednn-bf16-ftz"]])).startswith(
        "No new failures: 1 known non-conformance (wrong values 1 row); 1 row not declared;")
    assert headline(report([[]], "pass")).startswith("Conformant: 1 pass; 1 row not declared;")
    # a failing row's known hits are not its verdict
    assert headline(report([["onednn-bf16-ftz"]], "fail")).startswith("NOT conformant: 1 FAIL; 1 row not declared;")
