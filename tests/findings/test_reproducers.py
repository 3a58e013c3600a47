"""Every known issue's reduced reproducer, run as reports print it: a strict xfail where its key's platform holds.

One copy of each reproducer: conformance/findings/reproducers/<key>.py, which the reports name
(`KnownIssue.reproducer`) and this test runs in a fresh interpreter.  Where the finding shows, the
file exits 1 (or dies) and the test xfails; where the key claims its platform but the file exits 0,
the strict xfail fails: the key claims more than the bug.  Where the framework is missing or the key's
platform does not hold here (another kernel runs), the test skips, saying why; so does a file that exits
CANNOT_SHOW (77, as autotools' skip) when a precondition of its own reduced case does not hold here (the
kernel its case needs does not run), its reason on the last line of its output.
"""

import importlib.util
import os
import subprocess
import sys

import pytest

from conformance import findings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CANNOT_SHOW = 77


def _params():
    for issue in findings.KNOWN_ISSUES:
        mark = pytest.mark.xfail(strict=True, reason=f"known issue {issue.key} ({issue.doc})")
        yield pytest.param(issue.key, marks=mark, id=issue.key)


def test_every_key_has_its_reproducer_file_and_its_documentation():
    missing = [i.key for i in findings.KNOWN_ISSUES if not os.path.exists(i.reproducer_file)]
    assert not missing, f"no reduced reproducer in conformance/findings/reproducers/ for {missing}"
    for issue in findings.KNOWN_ISSUES:
        page, anchor = issue.doc.split("#")
        with open(os.path.join(ROOT, page), encoding="utf-8") as f:
            assert f'<a id="{anchor}"></a>' in f.read(), f"{issue.key}: no anchor in {page}"
    names = {f[:-3] for f in os.listdir(os.path.dirname(findings.KNOWN_ISSUES[0].reproducer_file))
             if f.endswith(".py") and f != "__init__.py"}
    assert names == {i.key.replace("-", "_") for i in findings.KNOWN_ISSUES}, "a reproducer file without its key"


@pytest.mark.parametrize("key", list(_params()))
def test_reduced_reproducer(key):
    issue = findings.get(key)
    if importlib.util.find_spec(issue.framework) is None:
        pytest.skip(f"{issue.framework} is not installed")
    why = issue.unreachable_here()
    if why:
        pytest.skip(why)
    done = subprocess.run([sys.executable, "-m", f"conformance.findings.reproducers.{key.replace('-', '_')}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode == CANNOT_SHOW:
        pytest.skip((done.stdout.strip().splitlines() or ["the reproducer cannot show the finding here"])[-1])
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
