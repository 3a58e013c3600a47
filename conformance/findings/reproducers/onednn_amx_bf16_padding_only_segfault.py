"""onednn-amx-bf16-padding-only-segfault: oneDNN's brg_conv_fwd:avx10_1_512_amx (bfloat16 on AMX; torch 2.13.0,
oneDNN 3.12) segfaults when every window along the depth straddles the input without a tap on it: input depth 1,
a depth kernel of 2 at dilation 2, padding 1.  Exact: a (1, 6, 1, 5, 5) tensor of 0s; the process dies (exit 139,
SIGSEGV).  Seen on a Sapphire Rapids Xeon.
"""

import sys

import torch
import torch.nn.functional as F


def main() -> int:
    b = torch.bfloat16
    exact = ((1, 6, 1, 5, 5), 0.0)
    print(f"expected shape and largest magnitude {exact}", flush=True)
    # the depth taps of the only output depth read depths -1 and 1, never the input's depth 0
    y = F.conv3d(torch.ones(1, 4, 1, 4, 4, dtype=b), torch.ones(6, 2, 2, 2, 2, dtype=b), None,
                 stride=(2, 1, 1), padding=(1, 1, 1), dilation=(2, 1, 1), groups=2)
    got = (tuple(y.shape), float(y.float().abs().max()))
    print(f"got {got}")
    return 0 if got == exact else 1


if __name__ == "__main__":
    sys.exit(main())
