"""onednn-grouped-channels-last-size1-strided-weight: torch's oneDNN convolution (torch 2.13.0 and 2.14.1 CPU, oneDNN
3.12), grouped, with a channels-last input and a weight whose memory is channels-last but whose size-1 width has
stride 1, not the 2 channels-last gives it, reads the weight as if contiguous.  Exact: [13, 37, 213, 301]; seen:
[14, 38, 214, 302], under every oneDNN ISA cap (AVX2 to AVX-512) and thread count, on an AMD EPYC (Zen 4).
"""

import sys

import numpy as np
import torch
import torch.nn.functional as F

CANNOT_SHOW = 77


def main() -> int:
    x = torch.arange(8.0).reshape(1, 4, 2, 1).contiguous(memory_format=torch.channels_last)
    w = torch.arange(16.0).reshape(4, 2, 2, 1).permute(0, 2, 1, 3)  # (4, 2, 2, 1), strides (4, 1, 2, 1)
    chosen = torch._C._select_conv_backend(x, w, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 2)
    if chosen.name != "Mkldnn":
        print(f"torch serves this call by {chosen.name} here, not oneDNN: the finding is in oneDNN's path")
        return CANNOT_SHOW
    # 2 groups of 2 channels, a kernel as tall as the input (height 2, width 1): one output per channel o, the sum
    # over its group's channels c and rows r of w[o, c, r] * x[group, c, r]
    xs = x.double().numpy()[0, :, :, 0].reshape(2, 2, 2)  # (group, channel in the group, row)
    ws = w.double().numpy()[:, :, :, 0].reshape(2, 2, 2, 2)  # (group, output channel in the group, channel, row)
    exact = np.einsum("gocr,gcr->go", ws, xs).ravel().tolist()
    got = F.conv2d(x, w, groups=2).double().flatten().tolist()
    print(f"got {got}, exact {exact}")
    return 0 if got == exact else 1


if __name__ == "__main__":
    sys.exit(main())
