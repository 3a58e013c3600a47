"""`python -m conformance certify` and `diff` end to end: reports, reproducers, isolation, exit codes."""

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest

from conformance.model.config import GENERAL_FEATURES
from conformance.certify.rows import FEATURES, PROFILES, record_id
from conformance.generate.data import DATA_KINDS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# one certify worker: these runs check reports, isolation and exit codes, not distribution (each extra worker
# process costs its start-up, under a pytest-xdist worker that shares the same cores)
SMALL = ["--ndim", "1", "--direction", "forward", "--dtype", "float64", "--profile", "ci", "--jobs", "1"]


def convconf(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "conformance", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def load(out):
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def scipy_report(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("scipy"))
    run = convconf("certify", "--backend", "scipy", "--out", out, *SMALL[:-1], "2")  # 2 workers: the thread budget
    return run, out


def test_conformant_backend_certifies_with_exit_0_and_every_report(scipy_report):
    run, out = scipy_report
    assert run.returncode == 0, run.stdout + run.stderr
    report = load(out)
    assert report["complete"] and report["summary"]["conformant"]
    forward = [r for r in report["cells"] if r["direction"] == "forward" and r["status"] != "unsupported"]
    # 7 PyTorch features and the 5 general ones scipy declares x every data kind but nonfinite (scipy declares
    # no NaN/inf semantics), each with its examples, status and worst error/bound
    features = len(FEATURES)
    assert features == 7 + len(GENERAL_FEATURES)
    assert len(forward) == features * (len(DATA_KINDS) - 1)
    assert all(r["status"] == "pass" and r["examples"] == PROFILES["ci"] for r in forward)
    assert {r["feature"] for r in forward} >= set(GENERAL_FEATURES)
    nonfinite = [r for r in report["cells"] if r["direction"] == "forward" and r["kind"] == "nonfinite"]
    assert len(nonfinite) == features and all(r["status"] == "unsupported" and "nonfinite" in r["reason"]
                                              for r in nonfinite)
    assert all(0 <= r["worst_ratio"] <= 1 for r in forward)
    assert report["environment"]["numpy"] and report["environment"]["profile"] == "ci"
    # 2 jobs share the cores (unless the caller set the thread count)
    expected = int(os.environ.get("OMP_NUM_THREADS", 0)) or max(1, (os.cpu_count() or 1) // 2)
    assert report["environment"]["jobs"] == 2 and report["environment"]["threads_per_worker"] == expected
    for name in ("report.md", "report.html"):
        assert os.path.getsize(os.path.join(out, name)) > 1000
    assert "| 1d | reflect | pass" in open(os.path.join(out, "report.md")).read()
    assert f"[  1/{features}]" in run.stdout and "examples" in run.stdout  # progress per cell with examples/s


@pytest.fixture(scope="module")
def failing_report(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("dropped_bias"))
    run = convconf("certify", "--backend", "tests.engine.faulty_backends:DROPPED_BIAS", "--out", out, *SMALL,
                   "--kind", "integer", "--feature", "zeros", "--feature", "reflect", "--feature", "strided")
    return run, out


def test_failing_backend_gets_exit_1_and_standalone_reproducers(failing_report):
    run, out = failing_report
    assert run.returncode == 1, run.stdout + run.stderr
    report = load(out)
    failed = [r for r in report["cells"] if r["status"] == "fail"]
    assert failed and all(r["minimal_failure"]["config"].startswith("ConvConfig(") for r in failed)
    repro = os.path.join(out, failed[0]["repro_file"])
    # the backend's package must be importable (here: this repository's tests package)
    replay = subprocess.run([sys.executable, repro], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, PYTHONPATH=ROOT))
    assert replay.returncode != 0 and "NonConformance" in replay.stderr and "faulty-dropped_bias" in replay.stderr
    assert "## Failures" in open(os.path.join(out, "report.md")).read()
    # the console names each failing row with its report and repro file, one root cause grouped once
    assert "result outside its declared bound" in run.stdout and failed[0]["repro_file"] in run.stdout


# the hang costs a backend timeout per case that meets the hanging config (12 s); the engine's hang handling is in
# the default run (tests/engine/test_isolation.py), the whole certify flow through a hang under -m slow
@pytest.mark.parametrize("backend, status", [("segfault_oracle", "crash"),
                                             pytest.param("hang_oracle", "timeout", marks=pytest.mark.slow)])
def test_crash_or_hang_fails_its_cell_and_the_run_goes_on(tmp_path, backend, status):
    out = str(tmp_path)
    # dev depth: ci's 3 examples per cell are too few to meet the crashing config (in_channels 2, batch 2, no
    # bias); three cells, of which (seeded by name) zeros meets it and the padding modes do not: each hang
    # costs a cell timeout
    features = ("zeros", "replicate", "circular")
    run = convconf("certify", "--backend", f"tests.engine.crashing_backends:{backend}", "--out", out,
                   "--backend-timeout", "4", *SMALL, "--profile", "dev", "--kind", "integer",
                   *(a for f in features for a in ("--feature", f)))
    assert run.returncode == 1, run.stdout + run.stderr
    report = load(out)
    rows = [r for r in report["cells"] if r["status"] not in ("unsupported", "untested")]
    # every cell reported, none lost to the crash: a finished cell has its integer row, a dead one all rows
    assert report["complete"] and {r["feature"] for r in rows} == set(features)
    broken = [r for r in rows if r["status"] == status]
    assert broken and any(r["minimal_failure"] and "in_channels=2" in r["minimal_failure"]["config"]
                          for r in broken)
    assert any(r["status"] == "pass" for r in rows)


def test_cells_emptied_by_declared_limits_are_unsupported_with_the_reason(tmp_path):
    out = str(tmp_path)
    run = convconf("certify", "--backend", "tests.engine.faulty_backends:UNGROUPED", "--out", out, *SMALL,
                   "--kind", "integer", "--kind", "random", "--feature", "grouped", "--feature", "strided")
    assert run.returncode == 0, run.stdout + run.stderr
    rows = [r for r in load(out)["cells"] if r["kind"] in ("integer", "random")]
    assert {r["feature"] for r in load(out)["cells"]} == {"grouped", "strided"}  # --feature narrows the cells
    grouped = [r for r in rows if r["feature"] == "grouped" and r["direction"] == "forward"]
    assert len(grouped) == 2 and all(r["status"] == "unsupported" and r["examples"] == 0 for r in grouped)
    assert all("this backend has no grouped convolution" in r["reason"] for r in grouped)
    others = [r for r in rows if r["feature"] != "grouped" and r["direction"] == "forward"]
    assert len(others) == 2 and all(r["status"] == "pass" for r in others)
    untested = [r for r in load(out)["cells"] if r["kind"] not in ("integer", "random")]
    assert untested and all(r["status"] in ("untested", "unsupported") and r["examples"] == 0 for r in untested)


def test_diff_reports_regressions_and_improvements(scipy_report, tmp_path):
    _, out = scipy_report
    same = convconf("diff", os.path.join(out, "report.json"), os.path.join(out, "report.json"))
    assert same.returncode == 0 and "regressed: 0" in same.stdout
    report = load(out)
    row = next(r for r in report["cells"] if r["status"] == "pass")
    row["status"] = "fail"
    worse = next(r for r in report["cells"] if r["status"] == "pass" and r is not row)
    worse["worst_ratio"] = 0.9
    old_ratio = next(r for r in load(out)["cells"] if r["direction"] == worse["direction"] and
                     r["ndim"] == worse["ndim"] and r["feature"] == worse["feature"] and
                     r["dtype"] == worse["dtype"] and r["kind"] == worse["kind"])["worst_ratio"]
    new = tmp_path / "new.json"
    new.write_text(json.dumps(report))
    run = convconf("diff", os.path.join(out, "report.json"), str(new))
    assert run.returncode == 1 and "regressed: " in run.stdout and "now fails" in run.stdout
    if old_ratio < 0.45:
        assert "error/bound grew" in run.stdout
    back = convconf("diff", str(new), os.path.join(out, "report.json"))
    assert back.returncode == 0 and "now passes" in back.stdout


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# A page beside report.html that loads it in a frame, clicks the first matrix entry linking to a failure,
# and writes what the reader then sees (the opened details: failure report and reproducer) into its own DOM.
CLICKER = """<!doctype html><html><body><iframe id='f' src='report.html' width='1200' height='900'></iframe>
<pre id='seen'>not clicked</pre><script>
document.getElementById('f').onload = function () {
  var doc = this.contentDocument, link = doc.querySelector("#matrices ~ table a[href*='d-forward-']");
  if (!link) { document.getElementById('seen').textContent = 'no failure link'; return; }
  link.click();
  setTimeout(function () {
    var target = doc.getElementById(link.getAttribute('href').slice(1));
    document.getElementById('seen').textContent = JSON.stringify({target: target.id, open: target.open,
      text: target.innerText, repro: target.querySelector('a.repro').getAttribute('href')});
  }, 200);
};
</script></body></html>"""


def chromium(*args, profile):
    return subprocess.run([CHROMIUM, *CHROME_FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=120)


def dom_after_scripts(page, profile):
    """The DOM once the page's scripts ran (virtual time lets the click's timer fire before the dump)."""
    return chromium("--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom",
                    "file://" + page, profile=profile).stdout


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install -y chromium)")
def test_html_report_of_a_failing_backend_renders_and_a_failure_link_opens_its_reproducer(failing_report,
                                                                                          tmp_path):
    _, out = failing_report
    page = os.path.join(out, "report.html")
    shot = tmp_path / "report.png"
    chromium("--window-size=1280,2000", f"--screenshot={shot}", "file://" + page, profile=tmp_path / "p")
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a real page, not a blank canvas
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1280, 2000)

    dom = dom_after_scripts(page, tmp_path / "p")
    # the verdict and the failures come before the matrices; plots are embedded (or the page says why not)
    failed = sum(r["status"] == "fail" for r in load(out)["cells"])
    assert "convconf certification: faulty-dropped_bias" in dom and f"NOT conformant: {failed} FAIL" in dom
    assert dom.index("id=\"failures\"") < dom.index("id=\"matrices\"")
    plotted = dom.count("data:image/png;base64,")
    assert plotted == 2 or (plotted == 0 and "Plots need matplotlib" in dom)

    clicker = os.path.join(out, "click.html")
    with open(clicker, "w", encoding="utf-8") as f:
        f.write(CLICKER)
    seen = re.search(r"<pre id=\"seen\">(.*?)</pre>", dom_after_scripts(clicker, tmp_path / "p"), re.S).group(1)
    seen = json.loads(html.unescape(seen))
    row = next(r for r in load(out)["cells"] if r["status"] == "fail" and record_id(r) == seen["target"])
    # the click opened that row's details: its failure report, the command that replays it, and its repro file
    assert seen["open"] is True and "result outside its declared bound" in seen["text"]
    assert "python -m conformance repro --backend tests.engine.faulty_backends:DROPPED_BIAS" in seen["text"]
    assert seen["repro"] == row["repro_file"] and os.path.exists(os.path.join(out, row["repro_file"]))


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install -y chromium)")
def test_html_report_without_matplotlib_says_how_to_get_plots(scipy_report, tmp_path):
    _, out = scipy_report
    # render the same report in a process where matplotlib cannot be imported
    code = ("import json, sys; sys.modules['matplotlib'] = None; from conformance.report.html import write_html; "
            f"write_html(json.load(open({os.path.join(out, 'report.json')!r})), {str(tmp_path)!r})")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)
    dom = dom_after_scripts(str(tmp_path / "report.html"), tmp_path / "p")
    assert "convconf certification: scipy" in dom and "Passed, coverage incomplete (" in dom
    assert "data:image/png;base64," not in dom and "Plots need matplotlib (pip install matplotlib)" in dom


def test_a_stopped_run_leaves_a_partial_report_and_resumes_into_the_one_an_unstopped_run_writes(scipy_report,
                                                                                              tmp_path):
    """SIGINT leaves a valid partial report (complete: false, exit 1); --resume keeps the rows the stopped run
    judged and runs the rest; every row draws the cases it would have drawn (its seed is the row's own), so the
    resumed report has the uninterrupted run's rows and verdicts."""
    out = str(tmp_path)
    selection = SMALL  # the same rows as scipy_report, on one worker
    proc = subprocess.Popen([sys.executable, "-m", "conformance", "certify", "--backend", "scipy", "--out", out,
                             *selection], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        if line.startswith("[  2/"):
            proc.send_signal(signal.SIGINT)
            break
    proc.communicate(timeout=120)
    stopped = load(out)
    # an interrupted run leaves a valid partial report and exits 1: the rows judged so far, marked incomplete
    assert stopped["complete"] is False and proc.returncode == 1
    assert 2 <= len({(r["ndim"], r["feature"], r["direction"]) for r in stopped["cells"]
                     if r["status"] != "unsupported"}) < len({(r["ndim"], r["feature"], r["direction"])
                                                               for r in load(scipy_report[1])["cells"]})
    kept = {record_id(r): r for r in stopped["cells"] if r.get("host") is not None}
    assert kept

    wrong = convconf("certify", "--backend", "scipy", "--resume", out, *selection, "--examples", "7")
    assert wrong.returncode == 2 and "--examples 3" in wrong.stderr  # another budget: refused, saying which
    run = convconf("certify", "--backend", "scipy", "--resume", out, *selection)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"resuming {out}: {len(kept)} rows have a verdict there" in run.stdout
    resumed, whole = load(out), load(scipy_report[1])
    assert resumed["complete"] is True and resumed["resumed_from"]["rows"] == len(kept)
    assert not os.path.exists(os.path.join(out, "resumed-from.json"))
    for r in resumed["cells"]:  # the kept rows as they were (not run again)
        if record_id(r) in kept:
            assert r == kept[record_id(r)]
    verdicts = {record_id(r): (r["status"], r["examples"], r["worst_ratio"]) for r in resumed["cells"]}
    assert verdicts == {record_id(r): (r["status"], r["examples"], r["worst_ratio"]) for r in whole["cells"]}
    again = convconf("certify", "--backend", "scipy", "--resume", out, *selection)
    assert again.returncode == 0 and "0 to run" in again.stdout and load(out)["complete"] is True


def test_resume_refuses_a_report_of_another_backend(scipy_report, tmp_path):
    run = convconf("certify", "--backend", "torch-cpu", "--resume", scipy_report[1], "--out", str(tmp_path), *SMALL)
    assert run.returncode == 2 and "certifies 'scipy', not 'torch-cpu'" in run.stderr
