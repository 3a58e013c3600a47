"""nnpack-transform-overflow: torch CPU's NNPACK convolution (float32, oneDNN off, batch >= 16) returns NaN (or
-inf) for finite results near the float32 range: two products of -2**124 each sum to -2**125 = -4.25e37, finite
in any order of summation (the largest float32 is 3.4e38), but NNPACK's transform overflows on the way.
Seen with torch 2.13.0+cpu (found by convconf's overflow data with the batch-blocks family)."""

import sys

import numpy as np
import torch
import torch.nn.functional as F


def main() -> int:
    torch.backends.mkldnn.enabled = False  # oneDNN off: float32 batches of 16 and more go to NNPACK
    x = np.full((16, 1, 2), -(2.0 ** 62), dtype=np.float32)
    w = np.full((1, 1, 2), 2.0 ** 62, dtype=np.float32)
    got = F.conv1d(torch.from_numpy(x), torch.from_numpy(w)).double().numpy().ravel()
    exact = np.full(16, -(2.0 ** 125))  # one output per image: 2 taps of -2**62 * 2**62
    if np.array_equal(got, exact):
        print("conforms: every output is -2**125")
        return 0
    print(f"got {got[:4].tolist()} ... (16 outputs), exact -2**125 = {-(2.0 ** 125)!r} everywhere")
    return 1


if __name__ == "__main__":
    sys.exit(main())
