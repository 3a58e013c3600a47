"""Every bad input the command line can meet: its exit status (EXIT_STATUS) and the one line it prints.

0 no unexpected failure, 1 a non-conformance (diff: a regression), 2 a usage error, 3 convconf's own bug.
A CI job tells a broken setup (2) from a broken backend (1) by the code alone; the line names the file
or argument and the cause, with no traceback (--debug shows it).
"""

import gzip
import json

import pytest

from conformance import __main__ as cli
from conformance.backends.protocol import unavailable
from conformance.backends import registry

CONFIG = "conv2d x(1, 3, 5, 5) w(2, 3, 3, 3) g=1 s=(1, 1) p=(1, 1) d=(1, 1)"
REPRO = ["repro", "--backend", "scipy", "--dtype", "float64", "--kind", "integer", "--seed", "0"]


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A directory holding broken plug-ins and broken reports, on sys.path and current."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "syntax_backend.py").write_text("def backend(:\n")
    (tmp_path / "raising_backend.py").write_text("raise RuntimeError('no licence server')\n")
    (tmp_path / "partial_backend.py").write_text("class B:\n    name = 'partial'\n\nbackend = B()\n")
    (tmp_path / "truncated.json").write_text('{"cells": [\n')
    (tmp_path / "other.json").write_text('{"a": 1}\n')
    (tmp_path / "not-gzip.json.gz").write_text("plain text\n")
    with gzip.open(tmp_path / "list.json.gz", "wt") as f:
        json.dump([1, 2], f)
    (tmp_path / "a-file").write_text("")
    yield tmp_path
    import sys
    for name in ("syntax_backend", "raising_backend", "partial_backend"):
        sys.modules.pop(name, None)


CASES = [
    # (argv, exit status, what the one line must say)
    (["certify", "--backend", "syntax_backend:backend"], 2, "importing 'syntax_backend' raised SyntaxError at "),
    (["certify", "--backend", "raising_backend:backend"], 2,
     "importing 'raising_backend' raised RuntimeError: no licence server"),
    (["certify", "--backend", "partial_backend:backend"], 2, "which lacks capabilities, forward, grads"),
    (["certify", "--backend", "partial_backend:nothing"], 2, "module 'partial_backend' has no 'nothing'"),
    (["certify", "--backend", "no_such_module:backend"], 2, "cannot import 'no_such_module'"),
    (["certify", "--backend", "no-such-backend"], 2, "unknown backend 'no-such-backend'"),
    (["certify", "--backend", "scipy", "--out", "a-file"], 2, "--out 'a-file': cannot create the directory"),
    (["certify", "--backend", "scipy", "--jobs", "0"], 2, "--jobs must be >= 1, got 0"),
    (["certify", "--backend", "scipy", "--examples", "0"], 2, "--examples must be >= 1, got 0"),
    (["certify", "--backend", "scipy", "--backend-timeout", "0"], 2, "--backend-timeout must be > 0"),
    (["certify", "--backend", "scipy", "--jobs", "1", "--dist", "each"], 2, "--dist needs workers"),
    (["certify", "--backend", "scipy", "--feature", "nope"], 2, "argument --feature: invalid choice: 'nope'"),
    (["certify", "--backend", "scipy", "--profile", "huge"], 2, "argument --profile: invalid choice: 'huge'"),
    (["certify", "--backend", "scipy", "--resume", "truncated.json"], 2, "truncated.json"),
    (["diff", "truncated.json", "other.json"], 2, "truncated.json: not a readable report.json"),
    (["diff", "other.json", "other.json"], 2, "other.json"),
    (["diff", "missing-dir", "other.json"], 2, "missing-dir"),
    (["compare", "not-gzip.json.gz"], 2, "not-gzip.json.gz"),
    (["compare", "list.json.gz"], 2, "list.json.gz"),
    ([*REPRO, "--config", "ConvConfig(1, 2"], 2, "--config: not a ConvConfig(...) expression"),
    ([*REPRO, "--config", "conv2d x(1, 3, 5) w(2, 3, 3, 3) g=1 s=(1, 1) p=(1, 1) d=(1, 1)"], 2,
     "must have 4 entries for a 2-d convolution"),
    ([*REPRO, "--config", CONFIG.replace("g=1", "g=2")], 2, "in_channels=3 must be divisible by groups=2"),
    ([*REPRO, "--config", "__import__('os').system('true')"], 2, "is neither the one-line form"),
    ([*REPRO[:4], "float16", *REPRO[5:], "--config", CONFIG], 2,
     "'scipy' does not declare this case, so nothing is owed: dtype float16 not declared"),
    ([*REPRO[:6], "nonfinite", *REPRO[7:], "--config", CONFIG], 2, "nonfinite data need declared NaN/inf semantics"),
    (["large", "--backend", "scipy", "--case", "nope"], 2, "--case 'nope': not a large case"),
    (["large", "--backend", "scipy"], 2, "does not declare large tensors"),
    (["no-such-command"], 2, "invalid choice: 'no-such-command'"),
]


@pytest.mark.parametrize("argv, status, says", CASES, ids=[" ".join(c[0][:4])[:60] for c in CASES])
def test_bad_input_exits_with_its_status_and_one_line(work, capsys, argv, status, says):
    assert cli.main(argv) == status
    err = capsys.readouterr().err.strip().splitlines()
    assert err and says in err[-1], err
    assert not any(line.startswith("Traceback") for line in err), err
    # convconf's own errors are one line; argparse's add its usage lines above theirs
    assert len(err) == 1 or err[0].startswith("usage:"), err


def test_a_backend_that_cannot_run_here_is_a_usage_error_naming_why(capsys):
    name = next((n for n in registry.names() if unavailable(registry.load(n))), None)
    if name is None:
        pytest.skip("every built-in backend runs on this machine")
    assert cli.main(["certify", "--backend", name]) == 2
    assert f"backend {name!r} cannot run here: " in capsys.readouterr().err


def test_a_conformant_repro_exits_0_and_prints_the_one_line_config(capsys):
    assert cli.main([*REPRO, "--config", CONFIG]) == 0
    assert capsys.readouterr().out.strip() == f"conformant: scipy {CONFIG} [float64, integer, seed 0]"


def test_convconfs_own_bug_exits_3_in_one_line_and_debug_shows_the_traceback(monkeypatch, capsys):
    def broken(names_only):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "list_backends", broken)
    assert cli.main(["backends"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("convconf: internal error: ZeroDivisionError: a bug (at "), err
    assert cli.main(["--debug", "backends"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError: a bug" in err


def test_debug_shows_what_a_backend_import_raised(work, capsys):
    assert cli.main(["--debug", "certify", "--backend", "raising_backend:backend"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "raising_backend.py" in err and err.strip().splitlines()[-1].startswith(
        "convconf: error: backend 'raising_backend:backend'")


def test_help_documents_the_exit_status(capsys):
    assert cli.main(["--help"]) == 0
    assert cli.EXIT_STATUS in capsys.readouterr().out
