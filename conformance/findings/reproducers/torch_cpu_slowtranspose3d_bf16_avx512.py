"""torch-cpu-slowtranspose3d-bf16-avx512: torch CPU's SlowTranspose3d in bfloat16, where oneDNN runs its GEMM in
native bfloat16 kernels (AVX-512), returns NaN where the exact result is -inf and 0 for a small normal result.
The thorough certification's case (x 1x1x3x4x6, w 1x2x2x4x4, stride (1, 2, 1), dilation (1, 1, 2), output_padding
(0, 0, 1)), its data reduced to one product each: inf * -2.8e-40 (exact -inf) comes back NaN; 2.8e-40 * -80
(exact -2.2e-38) comes back 0.  Seen with torch 2.13.0+cpu on Intel Xeons and on an AMD Zen 4
(jit_bf16:avx512_core_bf16); emulated bfloat16 (ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI) and AVX2 conform."""

import sys

import numpy as np
import torch
import torch.nn.functional as F

from conformance.machine.onednn_dispatch import Probe, runs

STRIDE, DILATION, OUTPUT_PADDING = (1, 2, 1), (1, 1, 2), (0, 0, 1)
SUB = -2.7550648847397363e-40  # a bfloat16 subnormal (the smallest normal is 2**-126 = 1.2e-38)
# (input element, its value, weight element (input channel 0, output channel 1), its value); input (i, j, k) and tap
# (a, b, c) reach output (i*1 + a*1, j*2 + b*1, k*1 + c*2) of channel 1, here (1, 6, 6) and (3, 6, 9)
CASES = [((0, 2, 0), np.inf, (1, 1, 2, 3), SUB), ((2, 2, 5), -SUB, (1, 1, 2, 2), -80.0)]


def main() -> int:
    why = runs(Probe("bfloat16", "forward_training"), "*avx512_core_bf16*", "*avx10*")()
    if why:
        print(f"{why}: the reduced reproducer is wrong in native bfloat16 kernels and conforms in the emulated ones")
        return 77
    failed = False
    for xi, xv, wi, wv in CASES:
        x, w = np.zeros((1, 1, 3, 4, 6)), np.zeros((1, 2, 2, 4, 4))
        x[(0, 0) + xi], w[(0,) + wi] = xv, wv
        xt, wt = torch.tensor(x, dtype=torch.bfloat16), torch.tensor(w, dtype=torch.bfloat16)
        path = torch._C._select_conv_backend(xt, wt, None, list(STRIDE), [0] * 3, list(DILATION), True,
                                             list(OUTPUT_PADDING), 1)
        if path.name != "SlowTranspose3d":
            print(f"torch serves this call by {path.name}, not SlowTranspose3d, on this CPU")
            return 77
        y = F.conv_transpose3d(xt, wt, stride=STRIDE, dilation=DILATION, output_padding=OUTPUT_PADDING)
        out = (0, wi[0]) + tuple(i * s + a * d for i, a, s, d in zip(xi, wi[1:], STRIDE, DILATION))
        got, exact = float(y[out]), xv * wv  # of the products `out` sums, only this one has no zero factor
        if got != exact:
            print(f"x{xi} = {xv!r}, w{wi} = {wv!r}: output {out} is {got!r}, exact {exact!r}")
            failed = True
    if not failed:
        print("conforms: both outputs exact")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
