"""Loading a plug-in backend by 'package.module:attr': every way it can fail is a usage error naming the cause."""

import sys

import pytest

from conformance.backends import registry


@pytest.fixture
def plugin_dir(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in ("broken_syntax_backend", "raising_backend", "empty_backend"):
        sys.modules.pop(name, None)


@pytest.mark.parametrize("source, spec, says", [
    ("def backend(:\n", "broken_syntax_backend:backend", r"raised SyntaxError at .*broken_syntax_backend.py:1: "),
    ("raise RuntimeError('no licence server')\n", "raising_backend:backend",
     r"importing 'raising_backend' raised RuntimeError: no licence server"),
    ("x = 1\n", "empty_backend:backend", r"module 'empty_backend' has no 'backend'"),
    (None, "no_such_module_here:backend", r"cannot import 'no_such_module_here' \(No module named"),
])
def test_a_plugin_that_cannot_load_is_an_unknown_backend_naming_why(plugin_dir, source, spec, says):
    if source is not None:
        (plugin_dir / f"{spec.partition(':')[0]}.py").write_text(source)
    with pytest.raises(registry.UnknownBackend, match=says):
        registry.load(spec)


def test_backends_says_which_run_here_and_why_the_others_do_not(capsys):
    from conformance.__main__ import main

    assert main(["backends"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert set(lines) == set(registry.names())
    assert lines["scipy"].rstrip().endswith("runs here")  # numpy and scipy are dependencies: it runs anywhere
    assert all(line.rstrip().endswith("runs here") or "not here: " in line for line in lines.values())
    assert main(["backends", "--names"]) == 0 and capsys.readouterr().out.split() == registry.names()


def test_version_names_the_package(capsys):
    from conformance.__main__ import main

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("convconf ")


def test_counts_read_as_english():
    from conformance.report.writer import counts_text, rows_text

    assert counts_text({"known": 1, "pass": 3, "unsupported": 2}) == "1 known issue, 3 pass, 2 n/a"
    assert counts_text({"pass": 9, "known": 100, "fail": 2}) == "2 FAIL, 100 known issues, 9 pass"
    assert (rows_text(1), rows_text(0), rows_text(7)) == ("1 row", "0 rows", "7 rows")
