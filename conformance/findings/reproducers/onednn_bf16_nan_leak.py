"""onednn-bf16-nan-leak: oneDNN's bfloat16 convolution (torch CPU, AVX-512) turns outputs near a non-finite
input into NaN, including outputs that never read it and outputs whose exact value is +-inf.  A 1x8 row of ones
with -inf at column 5, kernel [0, 1, 1], width padding 1: IEEE gives [2, 2, 2, 2, -inf, -inf, nan, 1];
torch 2.13.0+cpu returns [2, 2, 2, nan, nan, nan, nan, 1] (float64, or oneDNN off, gives the IEEE values)."""

import sys

import numpy as np
import torch
import torch.nn.functional as F


def main() -> int:
    x = np.ones(8)
    x[5] = -np.inf
    w = np.array([0.0, 1.0, 1.0])
    xt = torch.tensor(x, dtype=torch.bfloat16).reshape(1, 1, 1, 8)
    wt = torch.tensor(w, dtype=torch.bfloat16).reshape(1, 1, 1, 3)
    chosen = torch._C._select_conv_backend(xt, wt, None, [1, 1], [0, 1], [1, 1], False, [0, 0], 1)
    if chosen.name != "Mkldnn":
        print(f"torch serves this call by {chosen.name}, not Mkldnn, on this CPU (oneDNN gets bfloat16 only with "
              "AVX-512): the finding is in Mkldnn")
        return 77
    got = F.conv2d(xt, wt, padding=(0, 1)).double().numpy().ravel()
    padded = np.concatenate([[0.0], x, [0.0]])
    with np.errstate(invalid="ignore"):  # output j reads padded[j : j + 3]: 0 * x[j - 1] + x[j] + x[j + 1]
        exact = sum(w[k] * padded[k:k + 8] for k in range(3))  # [2, 2, 2, 2, -inf, -inf, nan (0 * -inf), 1]
    if np.array_equal(got, exact, equal_nan=True):
        print(f"conforms: {got.tolist()}")
        return 0
    print(f"got   {got.tolist()}\nexact {exact.tolist()}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
