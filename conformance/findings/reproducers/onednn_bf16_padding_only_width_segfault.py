"""onednn-bf16-padding-only-width-segfault: oneDNN's brg_conv_fwd (bfloat16, channels-last, CPUs with AVX512-BF16
and up; torch 2.13.0, oneDNN 3.12) segfaults when no output along the last axis reads the input: input width 1, a
1-wide kernel at dilation 2, stride 2, padding 1.  Exact: eight 0s (every window is padding); the process dies
(exit 139, SIGSEGV).  Seen on a Sapphire Rapids Xeon.
"""

import sys

import torch
import torch.nn.functional as F


def main() -> int:
    cl, b = torch.channels_last, torch.bfloat16
    x = torch.ones(2, 2, 2, 1, dtype=b).contiguous(memory_format=cl)
    w = torch.ones(1, 2, 1, 1, dtype=b).contiguous(memory_format=cl)
    print("expected eight 0.0 (every window is padding)", flush=True)
    # width: output 0 reads column -1, output 1 reads column 1; the input has only column 0
    y = F.conv2d(x, w, None, stride=(1, 2), padding=(0, 1), dilation=(1, 2))
    got, exact = y.float().flatten().tolist(), [0.0] * 8
    print(f"got {got}")
    return 0 if got == exact else 1


if __name__ == "__main__":
    sys.exit(main())
