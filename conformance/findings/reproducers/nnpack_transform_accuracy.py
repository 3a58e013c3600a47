"""nnpack-transform-accuracy: torch CPU's NNPACK convolution (float32, oneDNN off, batch >= 16) computes by a
transform (FFT/Winograd) even for a 1x1 kernel: on standard normal data (16 images 3x8x8, 5 output channels,
bias) errors reach 20-500 ulps, past the element-wise float32 bound of a 4-term sum (3 products and the bias:
5 unit roundoffs 2**-24 of |b| + sum |x*w|) that every other torch CPU path meets, batch 15 included.
Seen with torch 2.13.0+cpu (found by convconf's batch-blocks family)."""

import sys

import numpy as np
import torch
import torch.nn.functional as F


def main() -> int:
    torch.backends.mkldnn.enabled = False  # oneDNN off: float32 batches of 16 and more go to NNPACK
    rng = np.random.default_rng(0)
    x, w, b = (rng.standard_normal(s).astype(np.float32) for s in ((16, 3, 8, 8), (5, 3, 1, 1), (5,)))
    got = F.conv2d(*map(torch.from_numpy, (x, w, b))).double().numpy()
    x64, w64, b64 = x.astype(np.float64), w[:, :, 0, 0].astype(np.float64), b.astype(np.float64)[:, None, None]
    exact = np.einsum("ncij,oc->noij", x64, w64) + b64  # a 1x1 kernel: y[n, o] = b[o] + sum_c x[n, c] * w[o, c]
    magnitude = np.einsum("ncij,oc->noij", abs(x64), abs(w64)) + abs(b64)
    u, terms = 2.0 ** -24, 4  # float32 unit roundoff; 3 products and the bias (Higham: gamma_n = n u / (1 - n u))
    gamma = terms * u / (1 - terms * u)
    bound = ((1 + gamma) * (1 + u) - 1) * magnitude  # any order of summation, then the float32 result's rounding
    error = abs(got - exact)
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(error / bound), error.shape))
    over = int((error > bound).sum())
    if over == 0:
        print(f"conforms: the largest error is {float(error[worst] / bound[worst]):.2f} of its bound")
        return 0
    ulp = np.spacing(np.float32(abs(exact[worst])))
    print(f"{over} of {error.size} outputs pass the element-wise float32 bound; the worst, at {worst}: "
          f"got {float(got[worst])!r}, exact {float(exact[worst])!r} ({error[worst] / ulp:.0f} ulps; bound "
          f"{bound[worst] / ulp:.1f})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
