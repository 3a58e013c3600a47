"""onednn-padding-only-width-segfault: oneDNN's brg_conv_fwd (torch 2.13.0+cpu, oneDNN 3.12; channels-last
float32 convolution with bias) segfaults (exit 139) when no output along the width reads the input, windows lie
wholly left and right of it, and the width dilation exceeds the input width.  Exact: the bias everywhere.  Seen on
an AVX2 AMD EPYC and on a Sapphire Rapids Xeon under every oneDNN ISA cap (AVX2 to AMX)."""

import sys

import torch
import torch.nn.functional as F

# (input, weight, stride, padding, dilation, exact output shape): width 1, a 1-wide kernel with dilation 2, stride 2,
# padding 1 (windows read padded columns 0 and 2; the input is column 1); and the thorough channels-last
# certification's case: a 2-wide kernel, dilation 2, stride 3, padding 4 (windows (0, 2), (3, 5), (6, 8); input 4)
CASES = [((2, 2, 2, 1), (1, 2, 1, 1), (1, 2), (0, 1), (1, 2), (2, 1, 2, 2)),
         ((2, 2, 1, 1), (1, 2, 1, 2), (1, 3), (0, 4), (1, 2), (2, 1, 1, 3))]


def main() -> int:
    cl = torch.channels_last
    for x_shape, w_shape, stride, padding, dilation, shape in CASES:
        x = torch.ones(x_shape).contiguous(memory_format=cl)
        w = torch.ones(w_shape).contiguous(memory_format=cl)
        print(f"x {x_shape}, w {w_shape}, stride {stride}, padding {padding}, dilation {dilation}: expected "
              f"{shape} of ones (only the bias)", flush=True)
        y = F.conv2d(x, w, torch.ones(1), stride=stride, padding=padding, dilation=dilation)  # dies here (SIGSEGV)
        if tuple(y.shape) != shape or not bool((y == 1).all()):
            print(f"got shape {tuple(y.shape)}: {y.flatten().tolist()}")
            return 1
    print("conforms: every output is the bias")
    return 0


if __name__ == "__main__":
    sys.exit(main())
