"""xla-cpu-crop-then-pad: XLA:CPU convolution whose padding on one axis crops the low side and pads the high side
(a (low, high) pair with low < 0 < high) returns wrong values in float32, float16 and bfloat16, some read out of
bounds: a 2-channel 4x3 input with width padding (-1, 1) must give [470, 222, 578, 270, 686, 318]; jax 0.10.2
(CPU, AMD Zen 4) gives e.g. [470, 506, 578, 614, 686, 1.07e21].  float64 and a pad-then-crop pair are right.
"""

import os
import sys

import numpy as np

os.environ["JAX_PLATFORMS"] = "cpu"  # the finding is XLA:CPU's


def main() -> int:
    import jax.numpy as jnp
    from jax import lax

    x, w = np.arange(1.0, 25.0).reshape(1, 2, 4, 3), np.arange(1.0, 9.0).reshape(1, 2, 2, 2)  # NCHW, OIHW
    got = np.asarray(lax.conv_general_dilated(jnp.asarray(x, "float32"), jnp.asarray(w, "float32"), (1, 1),
                                              ((0, 0), (-1, 1))), dtype=np.float64).ravel()
    # width (-1, 1): drop column 0, append a zero column -> width 3 again; 2x2 windows give 3 rows by 2 columns
    xp = np.pad(x[..., 1:], ((0, 0), (0, 0), (0, 0), (0, 1)))
    exact = np.array([(xp[0, :, i:i + 2, j:j + 2] * w[0]).sum() for i in range(3) for j in range(2)])
    if np.array_equal(got, exact):
        return 0
    print(f"float32 convolution with width padding (-1, 1): got {got.tolist()}; exact {exact.tolist()}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
