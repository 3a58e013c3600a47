"""onednn-huge-dilation-channels-last-segfault: oneDNN's brg_conv_fwd (avx512_core and avx512_core_bf16 kernels;
torch 2.13.0 and 2.14.1, oneDNN 3.12) segfaults on a channels-last input of batch 2 or more with a dilation of
2**29 - 1 or more on a spatial axis other than the last.  Exact: eight 3s; the process dies (exit 139, SIGSEGV).
Seen on an AMD EPYC (Zen 4); a contiguous input runs and is right.
"""

import sys

import torch
import torch.nn.functional as F


def main() -> int:
    big = 2**31 - 1
    print("expected eight 3.0", flush=True)
    x = torch.ones(2, 3, 4, 1).contiguous(memory_format=torch.channels_last)
    # height: taps at -B, 0 and +B from each output's row, so only the centre tap meets the input; 3 channels of 1s
    y = F.conv2d(x, torch.ones(1, 3, 3, 1), padding=(big, 0), dilation=(big, 1))
    got, exact = y.flatten().tolist(), [3.0] * 8
    print(f"got {got}")
    return 0 if got == exact else 1


if __name__ == "__main__":
    sys.exit(main())
