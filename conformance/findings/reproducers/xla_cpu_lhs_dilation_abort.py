"""xla-cpu-lhs-dilation-abort: XLA:CPU's compiler aborts the process (CHECK failure in algebraic_simplifier.cc:
'Window dimensions do not match RHS shape', exit 134) on some convolutions with lhs_dilation, which is how JAX
computes transposed and strided-gradient convolutions: a 1x3 input of ones dilated by 2 in width, padded by one
row below, under a 2x2 kernel of ones must give 1x4 ones; jax 0.10.2 (CPU) aborts.  Any dtype.
"""

import os
import sys

import numpy as np

os.environ["JAX_PLATFORMS"] = "cpu"  # the finding is XLA:CPU's


def main() -> int:
    import jax.numpy as jnp
    from jax import lax

    y = lax.conv_general_dilated(jnp.ones((1, 1, 1, 3)), jnp.ones((1, 1, 2, 2)), (1, 1), [(0, 1), (0, 0)],
                                 lhs_dilation=(1, 2))
    # the input becomes rows [1, 0, 1, 0, 1] and [0, 0, 0, 0, 0]: each 2x2 window holds exactly one 1
    got = np.asarray(y).ravel().tolist()
    if got == [1.0, 1.0, 1.0, 1.0]:
        return 0
    print(f"float32 convolution with lhs_dilation (1, 2): got {got}; exact [1.0, 1.0, 1.0, 1.0]")
    return 1


if __name__ == "__main__":
    sys.exit(main())
