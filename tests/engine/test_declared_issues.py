"""Known issues a user declares (conformance.findings.declared): validated like code, as narrow as the built-in
ones, claiming only what they declare, and reported when they claim nothing."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from conformance.findings import KnownIssue, declare, declared, get
from conformance.model.config import ConvConfig
from conformance.judge.recording import Recorder
from conformance.run.runner import run_check
from tests.engine.faulty_backends import Faulty

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIASED = ConvConfig(1, 1, 2, 2, 1, (6,), (3,), (1,), (0,), (1,))
UNBIASED = ConvConfig(1, 1, 2, 2, 1, (6,), (3,), (1,), (0,), (1,), bias=False)
DECLARATION = textwrap.dedent('''
    [[issue]]
    key = "drops-bias"
    summary = "the bias is never added"
    backends = ["faulty-dropped_bias"]
    dtypes = ["float64"]
    directions = ["forward"]
    when = "config.bias"
    reproducer = "python repro_bias.py"

    [[issue]]
    key = "stale-one"
    summary = "fixed long ago"
    backends = ["faulty-dropped_bias"]
    dtypes = ["float64"]
    kinds = ["subnormal"]
''')


@pytest.fixture(autouse=True)
def nothing_declared():
    declared.clear()
    yield
    declared.clear()


def write(tmp_path, text, name="known.toml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def check(backend, config):
    return run_check("forward", backend, config, "float64", "integer", 0, recorder=Recorder())


def test_a_declared_issue_claims_exactly_what_it_declares(tmp_path):
    backend = Faulty("dropped_bias")
    assert check(backend, BIASED).status == "fail"  # undeclared: the suite says so
    declare(declared.load_file(write(tmp_path, DECLARATION)))
    claimed = check(backend, BIASED)
    assert claimed.status == "known" and claimed.issue.key == "drops-bias"
    assert claimed.issue.reproducer == "python repro_bias.py" and get("drops-bias") is claimed.issue
    assert check(backend, UNBIASED).status == "pass"  # its `when` is false here, and nothing is wrong either
    other = Faulty("dropped_bias", name="another-backend")  # another backend: not claimed
    assert check(other, BIASED).status == "fail"
    assert [i.key for i in declared.unused({"drops-bias"})] == ["stale-one"]


def test_a_backend_object_declares_its_own():
    backend = Faulty("dropped_bias")
    backend.known_issues = [KnownIssue("mine", (), ("float64",), ("*",), "no bias", "wrong-values")]
    declare(declared.from_backend(backend))
    assert check(backend, BIASED).status == "known"
    assert declared.declared()[0].backends == ("faulty-dropped_bias",)


def test_json_declares_the_same(tmp_path):
    entry = dict(key="j", summary="s", backends=["b"], dtypes=["float32"], when="config.groups > 1 and "
                                                                               "max(config.stride) == 1")
    (issue,) = declared.load_file(write(tmp_path, json.dumps({"issue": [entry]}), "known.json"))
    assert issue.when(ConvConfig(1, 1, 2, 2, 2, (6,), (3,), (1,), (0,), (1,)))
    assert not issue.when(BIASED)


BAD = [
    ("[[issue]]\nkey = 'a'\nsummary = 's'\nbackends = ['b']\ndtypes = ['float32']\ncolour = 'red'\n",
     "issue 1", "unknown field(s) ['colour']"),
    ("[[issue]]\nkey = 'a'\nsummary = 's'\nbackends = ['b']\n", "issue 1", "missing dtypes"),
    ("[[issue]]\nkey = 'a'\nsummary = 's'\nbackends = ['b']\ndtypes = ['float8']\n", "(a)",
     "dtypes ['float8'] not among float64, float32, float16, bfloat16"),
    ("[[issue]]\nkey = 'a'\nsummary = 's'\nbackends = ['b']\ndtypes = ['float32']\nhypothesis = 'gremlins'\n",
     "(a)", "hypothesis 'gremlins' is not one of"),
    ("[[issue]]\nkey = 'a'\nsummary = 's'\nbackends = 'b'\ndtypes = ['float32']\n", "(a)",
     "backends must be a non-empty list of strings"),
    ("[[issue]]\nkey = 'a'\nsummary = 's'\nbackends = ['b']\ndtypes = ['float32']\nwhen = 'config.groups >'\n",
     "(a)", "is not a Python expression"),
    ("[[issue]]\nkey = 'a'\nsummary = 's'\nbackends = ['b']\ndtypes = ['float32']\nwhen = 'open(\"x\")'\n",
     "(a)", "uses ['open']"),
    ("[[issue]]\nkey = 'a'\nsummary = 's'\nbackends = ['b']\ndtypes = ['float32']\nhypothesis = 'raises'\n",
     "(a)", "hypothesis 'raises' needs a message"),
    ("[[issue]]\nkey = 'a b'\nsummary = 's'\nbackends = ['b']\ndtypes = ['float32']\n", "issue 1",
     "key must be letters, digits and dashes"),
    ("[[issue]]\nkey = 'a'\nsummary = 's'\nbackends = ['b']\ndtypes = ['float32']\ndirections = ['sideways']\n",
     "(a)", "directions ['sideways'] not among"),
    ("key = 'a'\n", "known.toml", "unknown top-level entries ['key']"),
    ("", "known.toml", "no [[issue]] entries"),
    ("[[issue]\n", "known.toml", "not valid TOML"),
]


@pytest.mark.parametrize("text, where, says", BAD, ids=[b[2][:40] for b in BAD])
def test_a_malformed_declaration_is_refused_naming_the_file_entry_and_rule(tmp_path, text, where, says):
    path = write(tmp_path, text)
    with pytest.raises(declared.DeclarationError) as refused:
        declared.load_file(path)
    text = str(refused.value)
    assert text.startswith(f"--known-issues {path}") and where in text and says in text


def test_a_key_may_not_shadow_a_built_in_or_another_declaration(tmp_path):
    builtin = "[[issue]]\nkey = 'onednn-bf16-ftz'\nsummary = 's'\nbackends = ['b']\ndtypes = ['float32']\n"
    with pytest.raises(declared.DeclarationError, match="'onednn-bf16-ftz' is already a built-in known issue's"):
        declare(declared.load_file(write(tmp_path, builtin)))
    declare(declared.load_file(write(tmp_path, DECLARATION)))
    declare(declared.load_file(write(tmp_path, DECLARATION)))  # the same declaration again: idempotent
    clash = DECLARATION.replace('summary = "the bias is never added"', 'summary = "something else"')
    with pytest.raises(declared.DeclarationError, match="'drops-bias' is already another declaration"):
        declare(declared.load_file(write(tmp_path, clash, "other.toml")))


def test_the_cli_refuses_a_bad_declaration_as_a_usage_error(tmp_path, capsys):
    from conformance import __main__ as cli

    path = write(tmp_path, "[[issue]]\nkey = 'a'\n")
    assert cli.main(["certify", "--backend", "scipy", "--known-issues", path, "--out", str(tmp_path / "o")]) == 2
    assert "missing summary, backends, dtypes" in capsys.readouterr().err


def test_a_certification_is_green_with_the_declaration_and_lists_the_unused_one(tmp_path):
    # the same backend and rows as test_certify's failing_report, which fails without the declaration
    path = write(tmp_path, DECLARATION)
    out = tmp_path / "report"
    run = subprocess.run([sys.executable, "-m", "conformance", "certify", "--backend",
                          "tests.engine.faulty_backends:DROPPED_BIAS", "--out", str(out), "--ndim", "1", "--direction",
                          "forward", "--dtype", "float64", "--profile", "ci", "--jobs", "1", "--kind", "integer",
                          "--feature", "zeros", "--known-issues", path], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "\nNo new failures" in run.stdout and ": 1 known non-conformance (wrong values 1 row)" in run.stdout
    assert f"known issue drops-bias: 1 row (declared in {path})" in run.stdout
    assert f"declared known issue stale-one claimed no row (stale?): {path}" in run.stdout
    report = json.loads((out / "report.json").read_text())
    assert [d["key"] for d in report["declared_issues"]] == ["drops-bias", "stale-one"]
    assert "`stale-one`" in (out / "report.md").read_text()


def test_pytest_takes_the_declaration_too_and_names_the_unused_one(tmp_path):
    path = write(tmp_path, DECLARATION)
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "-q",
                          "conformance/tests/test_forward.py", "-k", "zeros and integer", "--backend",
                          "tests.engine.faulty_backends:DROPPED_BIAS", "--no-isolate", "--known-issues", path],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 xfailed" in run.stdout and "drops-bias (faulty-dropped_bias " in run.stdout
    assert "declared known issues that claimed no case" in run.stdout and f"stale-one ({path})" in run.stdout
    # without the declaration the same item fails: test_a_declared_issue_claims_exactly_what_it_declares


def test_a_run_counts_the_examples_drawn_inside_each_issues_geometry(tmp_path):
    from conformance.judge.recording import Recorder, geometries

    declare(declared.load_file(write(tmp_path, DECLARATION)))
    assert geometries("faulty-dropped_bias", BIASED, "forward", "float64", "integer") == ["drops-bias"]
    assert geometries("faulty-dropped_bias", UNBIASED, "forward", "float64", "integer") == []  # when: config.bias
    assert geometries("faulty-dropped_bias", BIASED, "gradients", "float64", "integer") == []  # forward only
    assert geometries("faulty-dropped_bias", BIASED, "forward", "float32", "integer") == []  # float64 only
    backend = Faulty("dropped_bias")
    backend.known_issues = [KnownIssue("grouped-only", (), ("float64",), ("*",), "s", "wrong-values",
                                       when=lambda c: c.groups > 1)]
    declare(declared.from_backend(backend))
    seen = Recorder()
    seen.example("faulty-dropped_bias", BIASED, "forward", "float64", "integer", 0.1)
    # an issue without a config predicate has no geometry to reach (stale-one): only the others are listed
    assert seen.geometry_lines({backend.name: (backend, None, None)}) == [
        "drops-bias: faulty-dropped_bias 1", "grouped-only: faulty-dropped_bias 0  NEVER DRAWN"]
