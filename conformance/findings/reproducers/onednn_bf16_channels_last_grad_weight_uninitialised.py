"""onednn-bf16-channels-last-grad-weight-uninitialised: oneDNN's jit_bf16:avx512_core_bf16 backward-weights kernel
(torch 2.13.0 and 2.14.1, oneDNN 3.12), reached by a channels-last input, leaves uninitialised memory in the
grad_weight taps that only ever meet padding when the width stride exceeds the input width.  Exact: [0, 1, 0, 1];
seen: e.g. [1.53e16, 1, 1.53e16, 1].  Seen on an AMD EPYC (Zen 4).
"""

import os
import sys


def main() -> int:
    if os.environ.get("MALLOC_PERTURB_") != "165":
        # glibc reads MALLOC_PERTURB_ at start-up (it fills fresh memory with garbage, so the stale values show every
        # time): run again with it
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)], {**os.environ, "MALLOC_PERTURB_": "165"})
    import torch
    import torch.nn.functional as F

    b = torch.bfloat16
    x = torch.ones(1, 2, 1, 2, dtype=b).contiguous(memory_format=torch.channels_last)
    w = torch.ones(1, 2, 1, 2, dtype=b, requires_grad=True)
    # width stride 3 > input width 2, kernel 2, padding 1: the only output reads columns -1 and 0, so tap 0 only
    # meets padding (gradient exactly 0) and tap 1 meets column 0 once per channel (1)
    F.conv2d(x, w, stride=(1, 3), padding=(0, 1)).sum().backward()
    got, exact = w.grad.float().flatten().tolist(), [0.0, 1.0, 0.0, 1.0]
    print(f"got {got}, exact {exact}")
    return 0 if got == exact else 1


if __name__ == "__main__":
    sys.exit(main())
