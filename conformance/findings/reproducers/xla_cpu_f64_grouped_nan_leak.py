"""xla-cpu-f64-grouped-nan-leak: XLA:CPU float64 grouped convolution lets a NaN input of one group turn the same
positions of every other group's outputs into NaN, as if the grouped kernel were expanded to a dense one with
zeros (NaN * 0): two groups of one channel, [1, nan] through 1x1 kernels of ones must give [1, nan]; jax 0.10.2
(CPU) gives [nan, nan].  float32 is right.
"""

import os
import sys

import numpy as np

os.environ["JAX_PLATFORMS"] = "cpu"  # the finding is XLA:CPU's


def main() -> int:
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    from jax import lax

    x, w = np.array([[[1.0], [np.nan]]]), np.ones((2, 1, 1))  # NCW 2 channels; OIW: group g reads channel g only
    got = np.asarray(lax.conv_general_dilated(jnp.asarray(x), jnp.asarray(w), (1,), [(0, 0)], feature_group_count=2))
    exact = x  # each output channel is its own input channel times 1
    if got.dtype == np.float64 and np.array_equal(got, exact, equal_nan=True):
        return 0
    print(f"float64 grouped 1x1 convolution of [1, nan] (2 groups): got {got.ravel().tolist()} ({got.dtype}); "
          f"exact {exact.ravel().tolist()}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
