"""inductor-replication-pad2d-grad-strides: torch.compile (Inductor, CPU) cannot differentiate a 2-d convolution
after replicate padding when the input has 2 or more channels and more than one pixel: the meta kernel of
aten.replication_pad2d_backward predicts contiguous strides, the CPU kernel returns channels-last ones, and the
compiled backward raises AssertionError ('expected size 2==2, stride 1==2 at dim=1').  Eager gives grad_input
6 * w[0, c] everywhere.  Seen with torch 2.13.0 (upstream pytorch/pytorch#179442, fixed after 2.13)."""

import sys

import numpy as np
import torch
import torch.nn.functional as F


def main() -> int:
    torch.manual_seed(0)
    x = torch.randn(1, 2, 1, 2, dtype=torch.float64, requires_grad=True)
    w = torch.randn(1, 2, 1, 1, dtype=torch.float64, requires_grad=True)
    f = torch.compile(lambda x, w: F.conv2d(F.pad(x, [1, 1, 1, 1], mode="replicate"), w))
    # padded to 3x4: each pixel of the 1x2 input fills 3 rows and 2 columns, 6 places, each weighted by w[0, c]
    exact = np.broadcast_to(6 * w.detach().numpy()[0], (2, 1, 2))  # (channel, row, column)
    try:
        f(x, w).sum().backward()
    except Exception as e:  # torch._dynamo.exc.BackendCompilerFailed / AssertionError from the compiled backward
        print(f"the compiled backward raised {type(e).__name__}: {str(e).strip().splitlines()[0][:300]}\n"
              f"exact grad_input {exact.ravel().tolist()}")
        return 1
    got = x.grad.numpy()[0]
    if np.allclose(got, exact, rtol=1e-15, atol=0):  # 6 copies of w summed: within a few float64 roundings
        print(f"conforms: grad_input {got.ravel().tolist()}")
        return 0
    print(f"got grad_input {got.ravel().tolist()}, exact {exact.ravel().tolist()}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
