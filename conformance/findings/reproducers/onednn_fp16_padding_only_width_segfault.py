"""onednn-fp16-padding-only-width-segfault: oneDNN's brg_conv_fwd:avx10_1_512 (float16 on CPUs with AVX512-FP16;
torch 2.13.0, oneDNN 3.12) segfaults when no output along the last axis reads the input, some windows lying
wholly left and some wholly right of it: input width 1, dilation 2, stride 2, padding 1.  Exact: [1, 1] (every
window is padding: the bias alone); the process dies (exit 139, SIGSEGV) at 1 thread.  Seen on a Sapphire Rapids
Xeon.
"""

import os
import sys

os.environ["OMP_NUM_THREADS"] = "1"  # at 1 thread every such call crashes, at 2 most

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def main() -> int:
    d = torch.float16
    print("expected [1.0, 1.0] (the bias)", flush=True)
    # output 0 reads column -1, output 1 reads column 1: neither meets the input's column 0
    y = F.conv1d(torch.ones(1, 1, 1, dtype=d), torch.ones(1, 1, 1, dtype=d), torch.ones(1, dtype=d),
                 stride=2, padding=1, dilation=2)
    got, exact = y.float().flatten().tolist(), [1.0, 1.0]
    print(f"got {got}")
    return 0 if got == exact else 1


if __name__ == "__main__":
    sys.exit(main())
