"""onednn-amx-bf16-grad-weight-uninitialised: oneDNN's brgconv_bwd_w:avx10_1_512_amx (bfloat16 on AMX; torch
2.13.0, oneDNN 3.12) leaves uninitialised memory in grad_weight for the taps that only ever meet padding when the
width stride exceeds the input width.  Exact: [0, 3, 0, 3, 0, 3]; seen: garbage such as [2.6e-18, 3, 4.2e18, 3, 0,
3] where 0 is exact.  Seen on a Sapphire Rapids Xeon.
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

    x = torch.ones(3, 3, 1, dtype=torch.bfloat16, requires_grad=True)
    w = torch.ones(1, 3, 2, dtype=torch.bfloat16, requires_grad=True)
    # stride 2 > input width 1, kernel 2, padding 1: the only output's tap 0 reads column -1 (padding), its gradient
    # is exactly 0; tap 1 reads column 0 of each of the 3 images: 3
    F.conv1d(x, w, stride=2, padding=1).sum().backward()
    got, exact = w.grad.float().flatten().tolist(), [0.0, 3.0] * 3
    print(f"got {got}, exact {exact}")
    return 0 if got == exact else 1


if __name__ == "__main__":
    sys.exit(main())
