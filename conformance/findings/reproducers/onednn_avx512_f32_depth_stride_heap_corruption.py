"""onednn-avx512-f32-depth-stride-heap-corruption: the geometry of onednn-avx512-f32-depth-stride-grad-weight with a
longer depth kernel makes oneDNN's jit:avx512_core backward-weights (float32, 3-d; torch 2.13.0, oneDNN 3.12) read
and write out of bounds.  Exact grad_weight: seven 2s; seen: values that change from run to run ([0, 0, nan, 1, 3,
3, nan]), and with other data glibc aborts, the process segfaults or hangs.  Seen on a Sapphire Rapids Xeon and an
AMD EPYC (Zen 4).
"""

import os
import subprocess
import sys

RUNS = 3  # out-of-bounds reads make the values vary: each of three fresh processes must be exact


def once() -> None:
    import torch
    import torch.nn.functional as F

    x = torch.ones(2, 1, 4, 1, 1)
    w = torch.ones(1, 1, 7, 1, 1, requires_grad=True)
    # depth 4, kernel 7, stride 4, padding 6: outputs start at depths -6, -2, 2, and every tap meets exactly one
    # input depth over the three of them, in each of the 2 images: 2
    F.conv3d(x, w, stride=(4, 1, 1), padding=(6, 0, 0)).sum().backward()
    print(w.grad.flatten().tolist())


def main() -> int:
    exact = [2.0] * 7
    for run in range(RUNS):
        try:
            done = subprocess.run([sys.executable, os.path.abspath(__file__), "--once"], capture_output=True,
                                  text=True, timeout=120)
        except subprocess.TimeoutExpired:
            print(f"run {run}: hung (heap corruption can deadlock malloc), exact {exact}")
            return 1
        got = done.stdout.strip()
        if done.returncode < 0:
            print(f"run {run}: died of signal {-done.returncode} {done.stderr.strip()[-300:]}, exact {exact}")
            return 1
        if done.returncode != 0 or got != str(exact):
            print(f"run {run}: exit {done.returncode}, got {got or done.stderr.strip()[-300:]}, exact {exact}")
            return 1
    print(f"{RUNS} runs: {exact}, exact")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--once"]:
        once()
    else:
        sys.exit(main())
