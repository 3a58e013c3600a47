"""A stranger's first hour: the wheel outside the repository, the README's plug-in example, reproducers.

The flow a new user follows: build the wheel, install it into a fresh virtual environment,
save the README's plug-in example in an empty folder outside any checkout, then run the
shipped suite (`pytest --pyargs conformance.tests --backend my_backend:backend`) and
`convconf certify` from that folder.  Both must pass and agree; a broken variant of the
example (the bias dropped) must fail both, and the reproducer each prints must reproduce
the failure when run exactly as printed.
"""

import fcntl
import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def readme_example() -> str:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    example = [b for b in blocks if "capabilities = Capabilities(" in b]
    assert len(example) == 1, "README must hold exactly one plug-in example"
    return example[0]


def run(cmd, cwd, env, timeout=600, shell=False):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, shell=shell)


@pytest.fixture(scope="module")
def outsider(tmp_path_factory):
    """(python, env, folder): a fresh venv holding what a user installs, and an empty folder outside the repo.

    The venv sees no system site packages: it gets the built wheel with the dependencies it declares, plus torch
    (which the README's example imports) at this environment's version from the same source the README uses, so
    a run-time dependency left undeclared fails these tests as it fails a user.  It is built once per run: under
    pytest-xdist the workers share the session's base temp directory, and the first to take the lock builds while
    the others wait and reuse it."""
    try:
        torch_version = importlib.metadata.version("torch").split("+")[0]
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("the README's plug-in example imports torch, which this environment lacks")
    run_temp = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # a worker's base temp lies inside the run's own
        run_temp = run_temp.parent
    shared = run_temp / "convconf-outsider"
    shared.mkdir(exist_ok=True)
    # PYTHONDONTWRITEBYTECODE (set in some CI images) would leave the venv's torch uncompiled on every import
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "CONVCONF_PROFILE", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE")}
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "ready").exists():
            _build_venv(shared, env, torch_version)
            (shared / "ready").touch()
    python = shared / "venv" / "bin" / "python"
    env["PATH"] = f"{python.parent}{os.pathsep}{env['PATH']}"  # `python` and `convconf` are the venv's
    folder = tmp_path_factory.mktemp("project")
    where = run(["python", "-c", "import conformance, oracle; print(conformance.__file__, oracle.__file__)"],
                folder, env)
    assert str(shared / "venv") in where.stdout and str(ROOT) not in where.stdout, where.stdout + where.stderr
    return python, env, folder


def _build_venv(base, env, torch_version):
    """Build the wheel from this checkout and install it, with its declared dependencies and torch, into a new venv
    under `base` that sees no system site packages."""
    wheel_cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(ROOT)]
    built = run(wheel_cmd[:4] + ["--no-build-isolation"] + wheel_cmd[4:], base, env)  # fast: this setuptools
    if built.returncode != 0:  # e.g. a setuptools too old to build wheels alone: pip's isolated build env
        built = run(wheel_cmd, base, env)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((base / "dist").glob("convconf-*.whl"))
    # no pip in it: this environment's pip installs into it (`pip --python`), 4 s less than bootstrapping one
    made = run([sys.executable, "-m", "venv", "--without-pip", str(base / "venv")], base, env)
    assert made.returncode == 0, made.stderr
    python = base / "venv" / "bin" / "python"
    isolated = run([str(python), "-c", "import sys; print(sys.flags.no_site, sys.prefix != sys.base_prefix)"], base,
                   env)
    assert isolated.stdout.split() == ["0", "True"], isolated.stdout + isolated.stderr
    # what the README tells a user to run: the wheel (its declared dependencies resolved by pip) and torch;
    # --no-compile skips byte-compiling torch's thousands of modules: the few hundred the tests import are
    # compiled as they are first imported (measured: 10 s to install instead of 36 s, imports as fast after)
    installed = run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-compile",
                     "--disable-pip-version-check", str(wheel), f"torch=={torch_version}"], base, env)
    assert installed.returncode == 0, installed.stderr[-3000:]


IMPORTS_CHECK = """
import sys
import importlib.metadata as md
from packaging.requirements import Requirement

def needed(dist):  # a distribution's run-time requirements on this interpreter, extras left out
    try:
        found = md.requires(dist) or []
    except md.PackageNotFoundError:
        return []
    reqs = [Requirement(r) for r in found]
    return [r.name.lower() for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]

closure, todo = set(), needed("convconf")
while todo:
    dist = todo.pop()
    if dist not in closure:
        closure.add(dist)
        todo += needed(dist)
provided = {top for top, dists in md.packages_distributions().items() if {d.lower() for d in dists} & closure}
# what the interpreter (site hooks, .pth files) and the declared packages load on their own, optional
# extras of theirs included (hypothesis takes typing_extensions where it finds it)
import numpy, scipy.signal, hypothesis.strategies, pytest
before = set(sys.modules)

import conformance.__main__, conformance.certify.controller, conformance.pytest_plugin, conformance.report.html
import conformance.tests.test_forward, conformance.tests.test_invalid
from conformance.backends import registry
registry.names()
imported = {m.split(".")[0] for m in set(sys.modules) - before if not m.startswith("_")}
print(sorted(imported - set(sys.stdlib_module_names) - {"conformance", "oracle"} - provided))
"""


def test_wheel_declares_every_third_party_module_the_cli_and_plugin_import():
    # every module convconf imports at run time is stdlib, its own, or provided by its declared requirements
    # (and theirs); frameworks (torch, onnxruntime, ...) are imported by a backend only when it runs
    requires = {r.split(">")[0].split("=")[0].strip() for r in importlib.metadata.requires("convconf") or []
                if "extra ==" not in r}
    assert {"numpy", "scipy", "hypothesis", "pytest"} <= requires
    done = subprocess.run([sys.executable, "-c", IMPORTS_CHECK], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]", f"imported but not declared (nor required by a declared package): {done.stdout}"


def test_readme_example_passes_the_shipped_suite_and_certification_outside_the_repo(outsider):
    python, env, folder = outsider
    (folder / "my_backend.py").write_text(readme_example())
    suite = run(["python", "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfE", "--pyargs", "conformance.tests",
                 "--backend", "my_backend:backend"], folder, env)
    assert suite.returncode == 0, suite.stdout[-4000:] + suite.stderr[-2000:]
    assert re.search(r"\b\d+ passed\b", suite.stdout) and "failed" not in suite.stdout.splitlines()[-1]
    certified = run(["convconf", "certify", "--backend", "my_backend:backend", "--profile", "ci", "--jobs", "1",
                     "--out", "report"], folder, env)
    assert certified.returncode == 0, certified.stdout[-3000:] + certified.stderr[-2000:]
    # every row passes; the ci profile's 3 examples per row may leave declared feature pairs unreached, which the
    # headline then names instead of saying Conformant
    assert re.search(r"^(Conformant|Passed, coverage incomplete \(\d+ declared feature pairs? never reached: .+\)): "
                     r"\d+ pass; ", certified.stdout, flags=re.M), certified.stdout[-2000:]
    assert (folder / "report" / "report.html").exists()


@pytest.mark.slow  # 15 s; in the default run a failing backend's reproducers are replayed in the checkout
def test_a_broken_example_fails_both_and_its_printed_reproducers_reproduce(outsider):
    python, env, folder = outsider
    broken = readme_example().replace("t(x), t(weight), t(bias),", "t(x), t(weight), None,")
    assert broken != readme_example()  # the bias really is dropped
    (folder / "broken_backend.py").write_text(broken.replace('"my-conv2d"', '"my-conv2d-nobias"'))
    suite = run(["python", "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x", "--pyargs",
                 "conformance.tests.test_forward", "--backend", "broken_backend:backend"], folder, env)
    assert suite.returncode == 1, suite.stdout[-3000:]
    command = re.search(r"^E?\s+reproduce\s+(.+)$", suite.stdout, flags=re.M).group(1).strip()
    assert "--backend broken_backend:backend" in command  # named by its spec, not by its name
    replay = run(command, folder, env, shell=True)
    assert replay.returncode == 1 and "result outside its declared bound" in replay.stdout, \
        replay.stdout + replay.stderr

    certified = run(["convconf", "certify", "--backend", "broken_backend:backend", "--profile", "ci", "--jobs", "1",
                     "--kind", "integer", "--feature", "zeros", "--out", "broken"], folder, env)
    assert certified.returncode == 1, certified.stdout[-3000:] + certified.stderr[-2000:]
    assert "NOT conformant" in certified.stdout and "reproducer" in certified.stdout
    repro = folder / "broken" / "repro_1.py"
    replayed = run(["python", str(repro)], folder / "broken", env)  # from another folder: the file finds the module
    assert replayed.returncode != 0 and "NonConformance" in replayed.stderr, replayed.stdout + replayed.stderr


def test_unknown_backend_is_a_usage_error():
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "--backend", "no-such-backend", "--co"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 4  # pytest's usage-error exit status
    assert "unknown backend 'no-such-backend'" in done.stderr
