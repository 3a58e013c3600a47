"""onednn-avx512-f32-depth-stride-grad-weight: oneDNN's jit:avx512_core backward-weights convolution (float32, 3-d;
torch 2.13.0, oneDNN 3.12) puts the products of a batch of 2 or more on the wrong depth taps when the depth stride
is 2 or more and the depth padding exceeds it.  Exact grad_weight: [6, 4, 6, 4]; seen: [0, 3, 10, 7] (the same
total).  Seen on a Sapphire Rapids Xeon and an AMD EPYC (Zen 4).
"""

import sys

import numpy as np
import torch
import torch.nn.functional as F


def main() -> int:
    x = np.arange(1.0, 5.0).reshape(2, 1, 2, 1, 1)  # 2 images of depth 2: [1, 2] and [3, 4]
    w = torch.ones(1, 1, 4, 1, 1, requires_grad=True)
    F.conv3d(torch.tensor(x, dtype=torch.float32), w, stride=(2, 1, 1), padding=(3, 0, 0)).sum().backward()
    # depth 2, kernel 4, stride 2, padding 3: 3 outputs, o starting at depth 2*o - 3; tap t of output o reads depth
    # 2*o - 3 + t, and the gradient of tap t sums the inputs it reads over both images
    depths = x[:, 0, :, 0, 0]
    exact = [float(sum(depths[:, 2 * o - 3 + t].sum() for o in range(3) if 0 <= 2 * o - 3 + t < 2)) for t in range(4)]
    got = w.grad.flatten().tolist()
    print(f"got {got}, exact {exact}")
    return 0 if got == exact else 1


if __name__ == "__main__":
    sys.exit(main())
