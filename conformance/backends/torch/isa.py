"""oneDNN ISA caps and thread counts for the torch CPU backends, and what the process really dispatched.

oneDNN picks its convolution kernels per instruction set (`jit:avx2`, `jit_bf16:avx512_core`,
`brg_conv_fwd:avx10_1_512_amx`, ...), and several of its public bugs exist on one ISA only.  A
certification on one machine certifies the ISA that machine dispatches; capping oneDNN with
ONEDNN_MAX_CPU_ISA (and ATen's own vectorised kernels with ATEN_CPU_CAPABILITY) runs the paths an
older CPU would take.  oneDNN reads the cap once, at its first use, and ignores a value it does not
know and lowers one above the CPU without a word, so the cap belongs in the environment of a fresh
process (conformance.run.isolation) and what was dispatched is read back from oneDNN's verbose output,
never assumed (`dispatched`).  Capping also changes torch's own dispatch: below AVX512_CORE torch
stops sending bfloat16 and float16 convolutions to oneDNN.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Optional

from conformance.machine.cpu import cpu_flags
from conformance.machine.onednn_dispatch import implementations, isa_line, verbose_lines


@dataclass(frozen=True)
class IsaCap:
    """A oneDNN ISA cap: its ONEDNN_MAX_CPU_ISA value, ATen's matching capability, the CPU flags it needs."""

    name: str  # the backend-name modifier: "avx2", "avx512"
    onednn: str  # ONEDNN_MAX_CPU_ISA
    aten: str  # ATEN_CPU_CAPABILITY (ATen accepts default, avx2, avx512 on x86)
    flags: tuple  # /proc/cpuinfo flags the CPU needs to honour the cap


ISA_CAPS = {
    "avx2": IsaCap("avx2", "AVX2", "avx2", ("avx2", "fma")),
    "avx512": IsaCap("avx512", "AVX512_CORE", "avx512", ("avx512f", "avx512bw", "avx512vl", "avx512dq")),
}


def cap_unavailable(cap: IsaCap) -> Optional[str]:
    """Why this CPU cannot honour the cap (it lacks the ISA: oneDNN would silently run a lower one), or None."""
    flags = cpu_flags()
    if flags is None:
        return f"cannot read the CPU's flags (/proc/cpuinfo) to check that it supports {cap.onednn}"
    missing = [f for f in cap.flags if f not in flags]
    if missing:
        return f"this CPU lacks {', '.join(missing)}, so it cannot run oneDNN capped at {cap.onednn}"
    return None


def cap_environment(cap: Optional[IsaCap]) -> dict:
    """The variables a process needs before torch loads to run under `cap` (none without a cap)."""
    if cap is None:
        return {}
    return {"ONEDNN_MAX_CPU_ISA": cap.onednn, "ATEN_CPU_CAPABILITY": cap.aten}


def environment_mismatch(env: dict) -> Optional[str]:
    """Why this process cannot honour `env` any more (torch is loaded with other values), or None."""
    wrong = {k: v for k, v in env.items() if os.environ.get(k) != v}
    if wrong and "torch" in sys.modules:
        setting = " ".join(f"{k}={v}" for k, v in wrong.items())
        return (f"needs {setting} in its process before torch loads, and torch is already loaded here without it: "
                "run it isolated (the default; not --no-isolate) or set the variables yourself")
    return None


def dispatched() -> dict:
    """What oneDNN runs in this process: its ISA line and the implementation of a float32 and a bfloat16
    probe convolution (batch 2, 8 channels: shapes torch sends to oneDNN).  The ISA line is printed once
    per process, at oneDNN's first verbose output; onednn_dispatch keeps it for whoever asks later."""
    import torch
    import torch.nn.functional as F

    out = {"onednn_isa": None, "float32_impl": None, "bfloat16_impl": None}
    for dtype, key in ((torch.float32, "float32_impl"), (torch.bfloat16, "bfloat16_impl")):
        x, w = torch.ones(2, 8, 8, 8, dtype=dtype), torch.ones(8, 8, 3, 3, dtype=dtype)
        _, lines = verbose_lines(lambda: F.conv2d(x, w))
        found = implementations(lines)
        out[key] = found[0] if found else "not oneDNN (torch's own kernel)"
    out["onednn_isa"] = isa_line()
    out["aten_capability"] = torch.backends.cpu.get_cpu_capability()
    out["threads"] = torch.get_num_threads()
    return out
