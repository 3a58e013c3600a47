"""onednn-amx-bf16-transposed-unreached-segfault: oneDNN's AMX bfloat16 transposed convolution (backward-data; torch
2.13.0, oneDNN 3.12) segfaults where, along the height at stride 1, no input reaches any output: every tap lands in
the cropped padding.  Exact: a (1, 2, 11, 5) tensor of 0s; the process dies (exit 139, SIGSEGV).  Seen on a
Sapphire Rapids Xeon.
"""

import os
import sys

os.environ["OMP_NUM_THREADS"] = "1"

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def main() -> int:
    b = torch.bfloat16
    exact = ((1, 2, 11, 5), 0.0)
    print(f"expected shape and largest magnitude {exact}", flush=True)
    # height 1, kernel 2 at dilation 16, padding 3: the output has 16 + 1 - 2*3 = 11 rows, and the taps land on
    # rows 0 - 3 = -3 and 16 - 3 = 13, outside it
    y = F.conv_transpose2d(torch.ones(1, 1, 1, 1, dtype=b), torch.ones(1, 2, 2, 3, dtype=b), None,
                           stride=1, padding=(3, 0), output_padding=0, groups=1, dilation=(16, 2))
    got = (tuple(y.shape), float(y.float().abs().max()))
    print(f"got {got}")
    return 0 if got == exact else 1


if __name__ == "__main__":
    sys.exit(main())
