"""The CPU matrix on one machine: the findings tests and a ci certification of torch-cpu and its layout variants
under every oneDNN ISA cap this CPU can honour, one line per cap.

    python scripts/cpu_matrix.py [--out reports/cpu-matrix] [--profile ci] [--jobs N] [--cap NAME ...]

oneDNN dispatches by instruction set, and most of its bugs live in one ISA's kernels: ONEDNN_MAX_CPU_ISA makes
this machine dispatch as an older CPU would (a cap above the CPU is silently lowered by oneDNN, so only the caps
at or below it run).  Under each cap, every finding's strict xfail must run where its key's kernel dispatches and
skip (saying which kernel runs instead) where it does not, and each certification must be conformant or show only
keyed findings.  Exit 0 when every cap is green, 1 otherwise.  Needs torch and a checkout (tests/findings).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# oneDNN's ISA caps from the newest down, with the /proc/cpuinfo flags each needs
CAPS = {
    "AVX512_CORE_AMX": ("amx_tile", "amx_bf16", "amx_int8", "avx512_bf16", "avx512_vnni"),
    "AVX512_CORE_FP16": ("avx512_fp16", "avx512_bf16", "avx512_vnni"),
    "AVX512_CORE_BF16": ("avx512_bf16", "avx512_vnni", "avx512f", "avx512bw", "avx512vl", "avx512dq"),
    "AVX512_CORE_VNNI": ("avx512_vnni", "avx512f", "avx512bw", "avx512vl", "avx512dq"),
    "AVX512_CORE": ("avx512f", "avx512bw", "avx512vl", "avx512dq"),
    "AVX2": ("avx2", "fma"),
}
BACKENDS = ("torch-cpu", "torch-cpu-channels-last", "torch-cpu-mixed-layouts")


def cpu_flags() -> set:
    sys.path.insert(0, str(ROOT))
    from conformance.machine.cpu import cpu_flags as read

    return read() or set()


def supported_caps(flags: set) -> list:
    """'default' (no cap) and every cap whose ISA this CPU has, newest first."""
    return ["default"] + [cap for cap, needs in CAPS.items() if all(f in flags for f in needs)]


def environment(cap: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    if cap != "default":
        env["ONEDNN_MAX_CPU_ISA"] = cap
    return env


def dispatched(env: dict) -> str:
    """oneDNN's ISA line and the bfloat16 forward implementation under `env` (conformance.backends.torch.isa)."""
    code = ("import json; from conformance.backends.torch.isa import dispatched; d = dispatched(); "
            "print(json.dumps([d['onednn_isa'], d['float32_impl'], d['bfloat16_impl']]))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return f"(probe failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode})"
    isa, f32, bf16 = json.loads(done.stdout.strip().splitlines()[-1])
    return f"{isa}; float32 {f32}, bfloat16 {bf16}"


def findings(env: dict, out: Path, jobs: int) -> tuple:
    """(green, pytest's summary line) of tests/findings under `env`."""
    log = out / "findings.log"
    with open(log, "w") as f:
        rc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", str(jobs),
                             "tests/findings"], cwd=ROOT, env=env, stdout=f, stderr=subprocess.STDOUT).returncode
    lines = [line for line in log.read_text().splitlines() if re.search(r"\b(passed|failed|error)", line)]
    summary = lines[-1].strip("= ") if lines else f"no summary (exit {rc}; see {log})"
    return rc == 0, summary


def certify(env: dict, backend: str, out: Path, profile: str, jobs: int) -> tuple:
    """(green, headline) of `convconf certify --backend backend` under `env`."""
    folder = out / backend
    log = out / f"{backend}.log"
    with open(log, "w") as f:
        rc = subprocess.run([sys.executable, "-m", "conformance", "certify", "--backend", backend, "--profile",
                             profile, "--jobs", str(jobs), "--out", str(folder)], cwd=ROOT, env=env, stdout=f,
                            stderr=subprocess.STDOUT).returncode
    text = log.read_text().splitlines()
    verdicts = r"\s*(NOT conformant|Conformant|No new failures|No verdict)"
    headline = next((line.strip() for line in text if re.match(verdicts, line)),
                    f"exit {rc} (see {log})")
    return rc == 0, headline


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="reports/cpu-matrix", help="folder for logs and reports")
    parser.add_argument("--profile", default="ci", help="certify profile (default ci)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers per run (default: cores)")
    parser.add_argument("--cap", action="append", help="run only these caps ('default' for none); repeatable")
    args = parser.parse_args(argv)
    flags = cpu_flags()
    caps = supported_caps(flags)
    if args.cap:
        unknown = [c for c in args.cap if c not in caps]
        if unknown:
            parser.error(f"--cap {', '.join(unknown)}: not a cap this CPU can honour (it can: {', '.join(caps)})")
        caps = [c for c in caps if c in args.cap]
    out = Path(args.out)
    print(f"CPU: {cpu_model()}; caps at or below it: {', '.join(caps)}", flush=True)
    status = 0
    for cap in caps:
        env = environment(cap)
        folder = out / cap
        folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        runs = [findings(env, folder, args.jobs)]
        runs += [certify(env, backend, folder, args.profile, args.jobs) for backend in BACKENDS]
        green = all(ok for ok, _ in runs)
        status |= not green
        parts = [f"findings: {runs[0][1]}"] + [f"{b}: {h}" for b, (_, h) in zip(BACKENDS, runs[1:])]
        print(f"{cap:<17} {'green' if green else 'RED'}  {time.monotonic() - started:4.0f} s  "
              f"[{dispatched(env)}]  " + " | ".join(parts), flush=True)
    return status


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
