"""nnpack-ftz: torch CPU's NNPACK convolution (float32, oneDNN off, batch >= 16: kernel path NnpackSpatial)
flushes subnormal results to zero.  16 images 2**-70 under the weight 2**-70: the exact result 2**-140
(7.2e-43, a float32 subnormal) comes back 0; IEEE gradual underflow keeps it, and batch 15 of the same call
does.  Seen with torch 2.13.0+cpu (found by convconf's batch-blocks family)."""

import sys

import numpy as np
import torch
import torch.nn.functional as F


def main() -> int:
    torch.backends.mkldnn.enabled = False  # oneDNN off: float32 batches of 16 and more go to NNPACK
    x = torch.full((16, 1, 1), 2.0 ** -70)  # a normal float32; the product 2**-140 is subnormal
    w = x[:1]
    chosen = torch._C._select_conv_backend(x.unsqueeze(2), w.unsqueeze(2), None, [1, 1], [0, 0], [1, 1], False,
                                           [0, 0], 1)
    if chosen.name != "NnpackSpatial":
        print(f"torch serves this call by {chosen.name}, not NnpackSpatial, on this build")
        return 77
    got = F.conv1d(x, w).double().numpy().ravel()
    exact = np.full(16, 2.0 ** -140)  # exact in float32
    if np.array_equal(got, exact):
        print("conforms: every output is 2**-140")
        return 0
    print(f"got {got[:4].tolist()} ... (16 outputs), exact 2**-140 = {2.0 ** -140!r} everywhere")
    return 1


if __name__ == "__main__":
    sys.exit(main())
