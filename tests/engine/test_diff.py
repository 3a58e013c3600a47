"""`convconf diff`, the after-upgrade gate: it compares like with like and fails on regressions only."""

import json

import pytest

from conformance import __main__ as cli
from conformance.report.compare import diff, draw_differences

ENV = {"profile": "ci", "examples_per_cell_and_kind": 3, "seed": "per row", "hypothesis": "6.1", "draws": "abc"}


def report(rows, **env):
    cells = [dict(ndim=1, feature=f"f{i}", dtype="float32", direction="forward", kind="random", status=status,
                  worst_ratio=ratio, examples=3) for i, (status, ratio) in enumerate(rows)]
    return dict(backend="b", environment=dict(ENV, **env), complete=True, summary={"rows": {}}, cells=cells)


def run(tmp_path, capsys, old, new, *flags):
    for name, r in (("old.json", old), ("new.json", new)):
        (tmp_path / name).write_text(json.dumps(r))
    code = cli.main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), *flags])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_reports_that_drew_different_cases_are_refused_naming_each_difference(tmp_path, capsys):
    old = report([("pass", 0.2)], profile="thorough", examples_per_cell_and_kind=100, hypothesis="6.0")
    code, _, err = run(tmp_path, capsys, old, report([("pass", 0.2)]))
    assert code == 2 and "drew different cases (profile thorough -> ci; examples per row 100 -> 3; " \
                         "Hypothesis version 6.0 -> 6.1)" in err and "--force" in err
    assert draw_differences(report([]), report([], draws="xyz")) == [
        "strategies (conformance.generate.fingerprint) abc -> xyz"]


def test_forced_a_budget_difference_alone_is_no_regression(tmp_path, capsys):
    # a thorough run's worst ratio is larger than a ci run's (more draws): moved, reported, not failed
    old = report([("pass", 0.9), ("known", 0.5), ("pass", 0.05)], profile="thorough", examples_per_cell_and_kind=100)
    new = report([("pass", 0.1), ("known", 0.95), ("pass", 0.06)])
    code, out, _ = run(tmp_path, capsys, old, new, "--force")
    assert code == 0 and "regressed: 0" in out and "moved: 1" in out and "error/bound shrank" in out
    assert "only status changes count" in out
    # but a status change still is one
    code, out, _ = run(tmp_path, capsys, old, report([("fail", 3.0), ("known", 0.95), ("pass", 0.06)]), "--force")
    assert code == 1 and "regressed: 1" in out and "now fails" in out


@pytest.mark.parametrize("before, after, regressed, improved", [
    (("pass", 0.2), ("fail", 5.0), 1, 0),  # pass -> FAIL
    (("known", None), ("crash", None), 1, 0),  # known issue -> CRASH
    (("known", None), ("timeout", None), 1, 0),
    (("crash", None), ("pass", 0.1), 0, 1),
    (("pass", 0.2), ("known", None), 0, 0),  # a known issue now claims it: reported as a change, not failed
    (("pass", 0.9), ("pass", 1.5), 1, 0),  # same draws, now past the bound (an unbounded row keeps pass)
    (("pass", 0.2), ("pass", 0.9), 0, 0),  # grew, within the bound: moved
    (("untested", None), ("fail", 2.0), 1, 0),
])
def test_regressions_are_status_changes_or_a_ratio_past_the_bound_on_the_same_draws(before, after, regressed,
                                                                                     improved):
    result = diff(report([before]), report([after]))
    assert (len(result["regressed"]), len(result["improved"])) == (regressed, improved), result


def test_a_diff_of_a_report_with_itself_is_clean_and_takes_folders(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "report.json").write_text(json.dumps(report([("pass", 0.3), ("known", None)])))
    assert cli.main(["diff", str(tmp_path / "a"), str(tmp_path / "a")]) == 0
    assert "regressed: 0" in capsys.readouterr().out
