"""xla-cpu-ftz: XLA:CPU runs with denormals-are-zero and flush-to-zero set, so subnormal inputs and results of a
JAX convolution become zero, as JAX documents (jax-ml/jax#16200).  inf times the smallest float32 subnormal
weight (2**-149) is inf under IEEE; with the weight read as 0 jax 0.10.2 (CPU) gives NaN.
"""

import os
import sys

import numpy as np

os.environ["JAX_PLATFORMS"] = "cpu"  # the finding is XLA:CPU's


def main() -> int:
    import jax.numpy as jnp
    from jax import lax

    x, w = np.array([[[np.inf]]], np.float32), np.array([[[2.0**-149]]], np.float32)  # NCW, OIW: one element each
    got = float(np.asarray(lax.conv_general_dilated(jnp.asarray(x), jnp.asarray(w), (1,), [(0, 0)])).item())
    if got == np.inf:
        return 0
    print(f"float32 1x1 convolution of inf by the subnormal 2**-149: got {got}; exact inf")
    return 1


if __name__ == "__main__":
    sys.exit(main())
