"""onednn-amx-bf16-grad-input-uninitialised: oneDNN's AMX bfloat16 backward-data convolution (torch 2.13.0, oneDNN
3.12) leaves uninitialised memory in grad_input at the input elements no window reads: a width stride of 2 over a
1-wide kernel skips the odd columns, whose gradient is exactly 0; seen: garbage there.  Seen on a Sapphire Rapids
Xeon.
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
    torch.manual_seed(0)
    x = torch.randn(1, 1, 3, 1, 29).to(b).requires_grad_()
    w = torch.randn(1, 1, 2, 1, 1).to(b)
    y = F.conv3d(x, w, None, stride=(2, 1, 2))
    y.backward(torch.randn_like(y))
    # width stride 2, kernel width 1: the windows read columns 0, 2, ..., 28, never an odd one
    got = float(x.grad[..., 1::2].float().abs().max())
    print(f"got largest magnitude {got} in the unread columns' gradient, exact 0.0")
    return 0 if got == 0.0 else 1


if __name__ == "__main__":
    sys.exit(main())
