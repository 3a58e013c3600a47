"""The README's plug-in example, extracted verbatim and certified through the real pytest option."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_example() -> str:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    example = [b for b in blocks if "capabilities = Capabilities(" in b]
    assert len(example) == 1, "README must hold exactly one plug-in example"
    return example[0]


def test_readme_backend_example_runs_and_conforms(tmp_path):
    (tmp_path / "my_backend.py").write_text(readme_example())
    assert len(readme_example().strip().splitlines()) <= 30  # the README promises a short example
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--rootdir", str(ROOT),
         str(ROOT / "tests" / "conformance" / "test_forward.py"), "--backend", "my_backend:backend",
         "-k", "float32 or float64"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    # forward float32 ran and passed; transposed is not declared, so it is skipped with the reason
    assert re.search(r"\b7 passed\b", run.stdout), run.stdout[-2000:]  # float32 forward, one per data kind
    assert "transposed convolution not declared" in run.stdout or "skipped" in run.stdout


def test_unknown_backend_is_a_usage_error():
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "--backend", "no-such-backend", "--co"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 4  # pytest's usage-error exit status
    assert "unknown backend 'no-such-backend'" in run.stderr
