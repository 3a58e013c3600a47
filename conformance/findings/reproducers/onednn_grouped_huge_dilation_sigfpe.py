"""onednn-grouped-huge-dilation-sigfpe: oneDNN (torch 2.13.0+cpu, channels-last float32) kills the process with
SIGFPE (exit 136, an integer division) on a grouped convolution whose dilated kernel extent reaches 2**32 - 1:
kernel 3, dilation and padding 2**31 - 1, groups 2, 2 output channels per group.  Exact: a 1x4x1x4 tensor of
ones.  Found on an AVX2 AMD EPYC (torch-cpu-channels-last thorough certification); an AMD Zen 4 dies too."""

import sys

import torch
import torch.nn.functional as F


def main() -> int:
    cl, big = torch.channels_last, 2**31 - 1
    x = torch.ones(1, 2, 1, 4).contiguous(memory_format=cl)
    w = torch.ones(4, 1, 1, 3).contiguous(memory_format=cl)
    # padded width 4 + 2 * big, kernel extent 2 * big + 1: 4 outputs; tap 1 of output o reads input o and taps 0
    # and 2 read padding, so every output is 1
    print("expected a 1x4x1x4 tensor of ones; calling conv2d", flush=True)
    y = F.conv2d(x, w, padding=(0, big), dilation=(1, big), groups=2)  # dies here (SIGFPE)
    if tuple(y.shape) == (1, 4, 1, 4) and bool((y == 1).all()):
        print("conforms: a 1x4x1x4 tensor of ones")
        return 0
    print(f"got shape {tuple(y.shape)}: {y.flatten().tolist()}; exact: a 1x4x1x4 tensor of ones")
    return 1


if __name__ == "__main__":
    sys.exit(main())
