"""Installing convconf puts its pytest plugin into every pytest session of the environment: in another project's
session it must stay out of the way (conformance.run.session)."""

import subprocess
import sys
import textwrap

CONFTEST = textwrap.dedent('''
    import pytest

    def pytest_addoption(parser):  # the project's own --backend and --no-isolate
        parser.addoption("--backend", default="mine")
        parser.addoption("--no-isolate", action="store_true")

    @pytest.fixture(params=["a", "b"])
    def dtype(request):
        return request.param
''')
TEST = textwrap.dedent('''
    import sys

    FRAMEWORKS = ("torch", "onnxruntime", "scipy", "jax", "tensorflow", "conformance.backends.torch")

    def test_its_own_options_and_fixtures(request, dtype):
        assert request.config.getoption("--backend") == "mine" and dtype in ("a", "b")
        assert not [m for m in FRAMEWORKS if m in sys.modules], "convconf imported a backend"

    def test_kind(kind=None):
        assert kind is None  # convconf parametrizes `dtype` and `kind` only in its own sessions
''')


def pytest_run(tmp_path, *args):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_foreign.py").write_text(TEST)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def test_another_projects_session_keeps_its_options_and_imports_no_backend(tmp_path):
    run = pytest_run(tmp_path, "--backend", "mine")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout and "convconf" not in run.stdout


def test_the_namespaced_options_stay_available_beside_a_projects_own(tmp_path):
    run = pytest_run(tmp_path, "--help")
    assert run.returncode == 0 and "--convconf-backend=NAME" in run.stdout
    assert "--backend=BACKEND" in run.stdout and "--backend=NAME" not in run.stdout  # the project's, no alias
    assert "short for --convconf-backend-timeout" in run.stdout  # nobody else took --backend-timeout
