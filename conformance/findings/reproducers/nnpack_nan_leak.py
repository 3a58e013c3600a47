"""nnpack-nan-leak: torch CPU's NNPACK convolution (float32, oneDNN off, batch >= 16) turns every output of an
image tile into NaN when one input of it is inf, even under a 1x1 kernel that reads no neighbour (its transform
mixes the tile).  Under a 1x1 kernel of one the output is the input: image 1 is exactly [1, 1, inf, 1], and
NNPACK returns [nan, nan, nan, nan].  Seen with torch 2.13.0+cpu (found by convconf's batch-blocks family)."""

import sys

import numpy as np
import torch
import torch.nn.functional as F


def main() -> int:
    torch.backends.mkldnn.enabled = False  # oneDNN off: float32 batches of 16 and more go to NNPACK
    x = np.ones((16, 1, 4), dtype=np.float32)
    x[1, 0, 2] = np.inf
    got = F.conv1d(torch.from_numpy(x), torch.ones(1, 1, 1)).double().numpy()
    exact = x.astype(np.float64)  # a 1x1 kernel of one: each output is its input, inf stays where it is
    if np.array_equal(got, exact):
        print("conforms: the output is the input")
        return 0
    print(f"image 1: got {got[1, 0].tolist()}, exact {exact[1, 0].tolist()}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
