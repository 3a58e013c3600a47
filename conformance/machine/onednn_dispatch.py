"""Which oneDNN implementation really runs a kind of call here: the platform of findings that live in one kernel.

A oneDNN bug lives in one implementation (`jit_bf16:avx512_core_bf16` backward-weights, the AMX
`brg_conv_fwd:avx10_1_512_amx`, ...), and which implementation a call gets is decided at run time by
the CPU, by ONEDNN_MAX_CPU_ISA and by torch's routing (bfloat16 and float16 reach oneDNN only on
AVX-512 ISAs) -- not by a CPU flag alone: a Sapphire Rapids Xeon has every flag of a Zen 4 and runs
AMX kernels where the Zen 4 runs `jit_bf16`.  So a finding's platform is a `Probe` (a small, valid
call of the finding's dtype, rank, layout and pass, never its crashing geometry) and the
implementation patterns the bug was seen in; the probe's implementation is read back from oneDNN's
verbose output in a process set up as the backend's own (its ISA cap), and cached per process.
"""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import sys
import tempfile
import warnings
from dataclasses import asdict, dataclass
from typing import Optional

# the oneDNN ISA line, printed once per process at the first verbose output (whoever asked for it)
_ISA_LINE: list = []
_CACHE: dict = {}  # (probe, environment items) -> implementation name, or None for torch's own kernel

PASSES = ("forward_training", "backward_data", "backward_weights")


@dataclass(frozen=True)
class Probe:
    """One valid call whose oneDNN implementation stands for a finding's kernel: `input` and `weight` shapes (the
    finding's reduced reproducer, made harmless: no crashing geometry), stride/padding/dilation/groups as
    torch.nn.functional takes them, the tensors in `channels_last` laid out so, in `dtype`; `onednn_pass` (`PASSES`)
    is the pass whose implementation is read.  oneDNN picks kernels by shape too, so the shapes matter."""

    dtype: str
    onednn_pass: str
    input: tuple = (2, 8, 6, 6)
    weight: tuple = (8, 8, 3, 3)
    stride: int = 1
    padding: int = 0
    dilation: int = 1
    groups: int = 1
    channels_last: tuple = ()  # roles: "input", "weight"

    def __post_init__(self):
        if self.onednn_pass not in PASSES:
            raise ValueError(f"onednn_pass must be one of {PASSES}, got {self.onednn_pass!r}")
        if len(self.input) != len(self.weight) or len(self.input) not in (3, 4, 5):
            raise ValueError(f"input and weight must both have rank 3, 4 or 5, got {self.input} and {self.weight}")
        if not set(self.channels_last) <= {"input", "weight"}:
            raise ValueError(f"channels_last names roles 'input' and 'weight', got {self.channels_last!r}")

    @property
    def ndim(self) -> int:
        return len(self.input) - 2

    def describe(self) -> str:
        layout = f", {' and '.join(self.channels_last)} channels-last" if self.channels_last else ""
        return (f"{self.dtype} conv{self.ndim}d x{self.input} w{self.weight}{layout}, "
                f"{self.onednn_pass.replace('_', ' ')}")


def verbose_lines(run) -> tuple:
    """(run(), oneDNN's verbose lines) for one call: verbose is switched on around it and file descriptor 1,
    where oneDNN prints, is redirected into a temporary file.  The ISA line, printed at the process's first
    verbose use only, is kept for `isa_line`."""
    import torch

    sys.stdout.flush()
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        saved = os.dup(1)
        os.dup2(tmp.fileno(), 1)
        try:
            with torch.backends.mkldnn.verbose(torch.backends.mkldnn.VERBOSE_ON):
                result = run()
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
        tmp.seek(0)
        lines = tmp.read().decode(errors="replace").splitlines()
    _ISA_LINE.extend(line.split("isa:", 1)[1].strip() for line in lines if ",info,cpu,isa:" in line)
    return result, lines


def isa_line() -> Optional[str]:
    """oneDNN's ISA line in this process ('Intel AVX-512 with AVX512BW, ...'), once any verbose call printed it."""
    return _ISA_LINE[0] if _ISA_LINE else None


def implementations(lines, onednn_pass: Optional[str] = None) -> list:
    """The convolution implementations oneDNN executed in these verbose lines (of one pass, if given)."""
    found = []
    for line in lines:
        fields = line.split(",")
        if (len(fields) > 7 and fields[2] == "primitive" and fields[3] == "exec" and fields[5] == "convolution"
                and (onednn_pass is None or fields[7] == onednn_pass)):
            found.append(fields[6])
    return found


def _run_probe(probe: Probe) -> Optional[str]:
    """The implementation oneDNN runs for `probe` in this process, or None where torch keeps it (its own kernel)."""
    import torch
    import torch.nn.functional as F

    dtype = getattr(torch, probe.dtype)
    fmt = {2: torch.channels_last, 3: torch.channels_last_3d}.get(probe.ndim)
    x, w = (torch.ones(shape, dtype=dtype) for shape in (probe.input, probe.weight))
    if fmt is not None:
        x = x.contiguous(memory_format=fmt) if "input" in probe.channels_last else x
        w = w.contiguous(memory_format=fmt) if "weight" in probe.channels_last else w
    conv = (F.conv1d, F.conv2d, F.conv3d)[probe.ndim - 1]

    def call():
        xi = x.detach().requires_grad_(probe.onednn_pass == "backward_data")
        wi = w.detach().requires_grad_(probe.onednn_pass == "backward_weights")
        y = conv(xi, wi, None, probe.stride, probe.padding, probe.dilation, probe.groups)
        if probe.onednn_pass != "forward_training":
            y.sum().backward()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's advisory TF32 notice as the flags are set: not the backend's
        with torch.backends.mkldnn.flags(enabled=True):
            _, lines = verbose_lines(call)
    found = implementations(lines, probe.onednn_pass)
    return found[0] if found else None


def _probe_in_child(probe: Probe, env: dict) -> Optional[str]:
    """`_run_probe` in a fresh interpreter with `env` added (an ISA cap is read once, as oneDNN loads)."""
    code = ("import json, sys\nfrom conformance.machine.onednn_dispatch import Probe, _run_probe\n"
            "print(json.dumps(_run_probe(Probe(**json.loads(sys.argv[1])))))")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the checkout
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    done = subprocess.run([sys.executable, "-c", code, json.dumps(asdict(probe))], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": path, **env})
    if done.returncode != 0:
        raise RuntimeError(f"probing oneDNN's implementation of {probe.describe()} under {env} failed: "
                           f"{done.stderr[-1000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def implementation(probe: Probe, env: Optional[dict] = None) -> Optional[str]:
    """The implementation oneDNN runs for `probe` in a process whose environment is this one's plus `env` (a
    backend's ISA cap), or None where torch keeps the call to itself; probed once per process and environment."""
    env = {k: v for k, v in (env or {}).items() if os.environ.get(k) != v}
    key = (probe, tuple(sorted(env.items())))
    if key not in _CACHE:
        _CACHE[key] = _probe_in_child(probe, env) if env else _run_probe(probe)
    return _CACHE[key]


def runs(probe: Probe, *patterns: str):
    """A KnownIssue.platform: None where oneDNN runs `probe` with an implementation matching one of `patterns`
    (fnmatch: 'jit_bf16:avx512_core*', '*amx*'), else why the finding cannot show (the implementation that runs
    instead).  Takes the backend's process environment (protocol.process_env: its ISA cap)."""
    def platform(env: Optional[dict] = None) -> Optional[str]:
        try:
            import torch  # noqa: F401
        except ImportError:
            return "torch is not installed: the finding is in torch's oneDNN"
        impl = implementation(probe, env)
        if impl is not None and any(fnmatch.fnmatchcase(impl, p) for p in patterns):
            return None
        here = f"runs {impl}" if impl else "is torch's own kernel, not oneDNN"
        return (f"the finding is in oneDNN's {' / '.join(patterns)} ({probe.describe()}); "
                f"here that call {here}")
    platform.__qualname__ = f"runs({probe.describe()}: {', '.join(patterns)})"
    return platform
