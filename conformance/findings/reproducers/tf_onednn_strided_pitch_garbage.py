"""tf-onednn-strided-pitch-garbage: TensorFlow's oneDNN Conv2D/Conv3D (float32, bfloat16) with one input channel,
one output column reached with a width stride > 1 and a 2-wide kernel, height stride 1 and 2+ output rows
reads the second and later rows at a wrong pitch, past the input: 2-d rows [3, 9, 15, 21] come back as e.g.
[3, 0, 15, 0] or [3, -1.9e10, 15, -1.9e10] (tensorflow-cpu 2.21.0; 3-d on Intel Xeon, 2-d on AMD Zen 4).
"""

import os
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"  # the bug is in oneDNN's kernel (Eigen conforms)


def main() -> int:
    import tensorflow as tf

    x2 = np.arange(1.0, 13.0).reshape(2, 2, 3, 1)  # NHWC: two images of 2x3
    x3 = np.arange(1.0, 10.0).reshape(1, 1, 3, 3, 1)  # NDHWC: depth 1, a 3x3 plane
    # a kernel of ones 2 wide, width stride 3 (2-d) or 2 (3-d) over width 3: one output column, x[.., 0] + x[.., 1]
    # per row: [3, 9, 15, 21] and [3, 9, 15]
    cases = {
        "conv2d": (lambda: tf.nn.conv2d(tf.constant(x2, tf.float32), tf.ones((1, 2, 1, 1)), [1, 1, 3, 1], "VALID"),
                   x2[:, :, 0, 0] + x2[:, :, 1, 0]),
        "conv3d": (lambda: tf.nn.conv3d(tf.constant(x3, tf.float32), tf.ones((1, 1, 2, 1, 1)), [1, 1, 1, 2, 1],
                                        "VALID"), x3[:, :, :, 0, 0] + x3[:, :, :, 1, 0]),
    }
    wrong = False
    for name, (call, exact) in cases.items():
        for _ in range(5):  # uninitialised memory may happen to hold the right value once
            got = call().numpy().ravel()
            if not np.array_equal(got, exact.ravel()):
                print(f"float32 {name}, one output column at width stride > 1: got {got.tolist()}, "
                      f"exact {exact.ravel().tolist()}")
                wrong = True
                break
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
