"""tf-cpu-ftz: TensorFlow's CPU thread pools run ops with denormals-are-zero and flush-to-zero set
(tsl::port::ScopedFlushDenormal), so subnormal inputs and results of a convolution become zero.
A float64 1x1 convolution of -2e-323 by 0.5 is exactly -1e-323 (a subnormal) under IEEE gradual
underflow; tensorflow-cpu 2.21.0 returns 0 (every dtype; Intel Xeon AVX-512 and AMD Zen 4).
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main() -> int:
    x, w = -2e-323, 0.5
    exact = x * w  # -1e-323 (2 * 2**-1074), computed before TensorFlow loads and can touch this thread's FPU flags
    import tensorflow as tf

    got = float(tf.nn.convolution(tf.constant([[[x]]], tf.float64), tf.constant([[[w]]], tf.float64)).numpy().item())
    if got == exact:
        return 0
    print(f"tf.nn.convolution(float64 [{x!r}], 1x1 kernel [{w}]) gives {got!r}; exact (IEEE gradual underflow): "
          f"{exact!r}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
