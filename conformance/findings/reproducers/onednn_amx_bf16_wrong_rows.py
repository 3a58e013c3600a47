"""onednn-amx-bf16-wrong-rows: oneDNN's brg_conv_fwd:avx10_1_512_amx (bfloat16 on AMX; torch 2.13.0, oneDNN 3.12)
returns wrong output rows when the output width is 1 with a width stride >= 2 and a kernel at least 2 wide: the
first row of each work block is right, the later ones wrong.  Exact per output channel: [45, 99, 153, 207, 260,
316, 368] (the sums, rounded once to bfloat16); seen at 1 thread: [45, 84, 207, 192, 368, 69, 0].  Seen on a
Sapphire Rapids Xeon.
"""

import os
import sys

os.environ["OMP_NUM_THREADS"] = "1"  # which rows go wrong depends on the thread count

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def main() -> int:
    b = torch.bfloat16
    x = np.tile(np.arange(24.0).reshape(1, 1, 8, 3), (1, 3, 1, 1))  # 3 equal channels, x[i, j] = 3i + j
    y = F.conv2d(torch.tensor(x).to(b), torch.ones(3, 3, 2, 3, dtype=b), stride=(1, 2))
    # the 3-wide kernel covers the whole width (output width 1); output row r sums rows r and r+1 of 3 channels:
    # 3 * (9r + 3 + 9(r+1) + 3) = 54r + 45 for r in 0..6, exact in float32, which torch rounds once to bfloat16
    sums = np.array([3 * x[0, 0, r:r + 2].sum() for r in range(7)])
    exact = torch.tensor(np.tile(sums, 3)).to(b).double().tolist()
    got = y.double().flatten().tolist()
    print(f"got {got}\nexact {exact}")
    return 0 if got == exact else 1


if __name__ == "__main__":
    sys.exit(main())
