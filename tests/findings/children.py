"""Running a torch reproducer in a fresh interpreter (a segfault kills only it; oneDNN reads its thread count and
MALLOC_PERTURB_ matters only from the start), and skipping where this CPU cannot show a known issue."""

import os
import subprocess
import sys

import pytest

from conformance import findings


def needs(key: str) -> None:
    """Skip where this CPU cannot show the issue (it lacks the ISA whose kernel has the bug)."""
    why = findings.get(key).unreachable_here()
    if why:
        pytest.skip(why)


def child(code: str, **env) -> subprocess.CompletedProcess:
    """`code` (torch and F imported) in a fresh interpreter with these extra environment variables."""
    return subprocess.run([sys.executable, "-c", "import torch, torch.nn.functional as F\n" + code],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **env})
