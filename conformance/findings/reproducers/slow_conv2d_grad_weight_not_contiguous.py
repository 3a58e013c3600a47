"""slow-conv2d-grad-weight-not-contiguous: torch's slow_conv2d backward (float64 always takes it on the CPU; torch
2.13.0 and 2.14.1) raises 'slow_conv2d: grad_weight must be contiguous' for a channels-last input and an HWIO weight
permuted to OIHW with one output channel.  Exact: grad_weight all 9 (a 3x3 kernel over a 3x3 input of 1s); seen:
RuntimeError.  Seen on an AMD EPYC (Zen 4).
"""

import sys

import numpy as np
import torch
import torch.nn.functional as F


def main() -> int:
    x = torch.ones(1, 2, 3, 3, dtype=torch.float64).contiguous(memory_format=torch.channels_last)
    w = torch.ones(3, 3, 2, 1, dtype=torch.float64, requires_grad=True)  # HWIO
    try:
        F.conv2d(x, w.permute(3, 2, 0, 1)).sum().backward()  # OIHW (1, 2, 3, 3), strides (1, 1, 6, 2)
    except RuntimeError as e:
        print(f"got RuntimeError: {e}; exact: grad_weight all 9.0")
        return 1
    got = w.grad.numpy()
    print(f"got grad_weight {np.unique(got).tolist()}, exact all 9.0")
    return 0 if (got == 9.0).all() else 1


if __name__ == "__main__":
    sys.exit(main())
