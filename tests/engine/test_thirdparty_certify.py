"""A third-party backend certified end to end on the `ci` profile, and `compare` across reports.

ONNX Runtime is in the `test` extra, so CI always runs this; elsewhere it skips when the package
is missing, except under CI (CI=true), where a silent skip would hide the missing backend.
"""

import importlib.util
import os

import pytest

from conformance.generate.data import DATA_KINDS
from tests.engine.test_certify import ROOT, convconf, load


def _need(module: str, extra: str):
    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is missing under CI: the README's install must bring it (.[{extra}])")
        pytest.skip(f'{module} is not installed (pip install ".[{extra}]")')


@pytest.fixture(scope="module")
def onnx_report(tmp_path_factory):
    _need("onnxruntime", "onnx")
    out = str(tmp_path_factory.mktemp("onnxruntime"))
    run = convconf("certify", "--backend", "onnxruntime-cpu", "--profile", "ci", "--ndim", "2", "--jobs", "1",
                   "--out", out, timeout=600)
    return run, out


def test_onnxruntime_cpu_certifies_conformant_on_the_ci_profile(onnx_report):
    run, out = onnx_report
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = load(out)
    assert report["complete"] and report["summary"]["conformant"]
    claimed = [r for r in report["cells"] if r["status"] != "unsupported"]
    # float32 forward and transposed only, 2-d: 7 forward features and 4 transpose features, each direction with
    # its 3 declared general ones (lopsided pads, SAME_UPPER, SAME_LOWER: natively, Conv and ConvTranspose), x
    # every data kind
    general = {"asymmetric-padding", "same-upper", "same-lower"}
    assert len(claimed) == (7 + 4 + 2 * len(general)) * len(DATA_KINDS)
    assert {r["feature"] for r in claimed if r["direction"] == "transpose"} >= general
    assert {r["dtype"] for r in claimed} == {"float32"} and {r["direction"] for r in claimed} == {"forward",
                                                                                                "transpose"}
    # Conv's SAME_* with dilation is rejected (ort-auto-pad-dilation-rejected), ConvTranspose's SAME_* output is
    # short past the kernel extent (ort-convtranspose-same-short-output): nothing else, nowhere else
    allowed = {"forward": ["ort-auto-pad-dilation-rejected"], "transpose": ["ort-convtranspose-same-short-output"]}
    assert all(r["examples"] > 0 and (r["status"] == "pass" or (
        r["status"] == "known" and r["known_issues"] == allowed[r["direction"]]
        and r["feature"] in ("same-upper", "same-lower"))) for r in claimed)
    undeclared = [r for r in report["cells"] if r["status"] == "unsupported"]
    assert undeclared and all(r["reason"] for r in undeclared)  # "unsupported", with why, never a failure
    assert report["environment"]["backend_version"].startswith("onnxruntime ")
    # the declared limit travels into the report by name, not as an unserialisable function
    assert report["capabilities"]["config_limits"].endswith("onnx_backend._limits")


def test_compare_puts_backends_side_by_side(onnx_report, tmp_path):
    _, out = onnx_report
    # beside a committed torch-cpu certification (its compact report): four dtypes against ONNX Runtime's one
    committed = os.path.join(ROOT, "docs", "certifications", "torch-cpu_torch-2.13.0_2026-12-01_amd-zen4")
    table = convconf("compare", committed, os.path.join(out, "report.json"))
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].startswith("| direction | rank | feature | torch-cpu (torch 2.13.0") and \
        "onnxruntime-cpu (onnxruntime" in lines[0]
    reflect = next(line for line in lines if line.startswith("| forward | 2d | reflect |")).split("|")
    assert reflect[5].strip() == "64· 32✓ 16· bf·"  # ONNX Runtime declares float32 alone: the others are "·"
    assert all(cell[2] in "✓k" for cell in reflect[4].split())  # torch-cpu: every dtype certified there
    assert any(line.startswith("| transpose | 2d |") for line in lines)
    missing = convconf("compare", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "not a readable report.json" in missing.stderr
