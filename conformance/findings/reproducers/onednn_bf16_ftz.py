"""onednn-bf16-ftz: oneDNN's bfloat16 convolution (torch CPU) flushes subnormals to zero.  Three inputs 2**-130
(bfloat16 subnormals) under a kernel of ones: exact 3 * 2**-130, returned 0.  FTZ without DAZ too: a transposed
conv of two 1-pixel images, 41 and 13760, by the subnormal weight 2**-133 is exactly [41, 13760] * 2**-133; the
subnormal 41 * 2**-133 comes back 0 while the normal 13760 * 2**-133 is right.  Seen with torch 2.13.0+cpu in
the native jit_bf16:avx512_core_bf16 kernels (AMD Zen 4) and AMX (Sapphire Rapids); emulated bfloat16 conforms."""

import sys

import numpy as np
import torch
import torch.nn.functional as F

from conformance.machine.onednn_dispatch import Probe, runs


def main() -> int:
    bf = torch.bfloat16
    x1, w1 = torch.full((1, 3, 1), 2.0 ** -130, dtype=bf), torch.ones(1, 3, 1, dtype=bf)
    x2 = torch.tensor([41.0, 13760.0], dtype=bf).reshape(2, 1, 1)
    w2 = torch.full((1, 1, 1), 2.0 ** -133, dtype=bf)  # the smallest bfloat16 subnormal (smallest normal 2**-126)
    paths = (torch._C._select_conv_backend(x1, w1, None, [1], [0], [1], False, [0], 1),
             torch._C._select_conv_backend(x2, w2, None, [2], [0], [2], True, [0], 1))
    if paths[0].name != "Mkldnn" or int(paths[1]) != 9:  # 9: ConvBackend::MkldnnTranspose (pybind gives no name)
        print(f"torch serves these calls by ConvBackend {int(paths[0])} and {int(paths[1])}, not Mkldnn (8) and "
              "MkldnnTranspose (9), on this CPU (oneDNN gets bfloat16 only with AVX-512)")
        return 77
    why = runs(Probe("bfloat16", "forward_training"), "*avx512_core_bf16*", "*avx10*")()
    if why:
        print(f"{why}: the reduced reproducer flushes in native bfloat16 kernels and conforms in the emulated ones")
        return 77
    got1 = F.conv1d(x1, w1).double().numpy().ravel()
    exact1 = np.array([3 * 2.0 ** -130])  # exact in bfloat16
    # one pixel per image and a 1-tap kernel: stride and dilation 2 leave one output per image, x * w
    got2 = F.conv_transpose1d(x2, w2, stride=2, dilation=2).double().numpy().ravel()
    exact2 = np.array([41 * 2.0 ** -133, 13760 * 2.0 ** -133])  # both exact in bfloat16; the first is subnormal
    ok = True
    for what, got, exact in (("3 subnormal inputs", got1, exact1), ("FTZ without DAZ", got2, exact2)):
        if not np.array_equal(got, exact):
            print(f"{what}: got {got.tolist()}, exact {exact.tolist()}")
            ok = False
    if ok:
        print("conforms: subnormal results kept")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
