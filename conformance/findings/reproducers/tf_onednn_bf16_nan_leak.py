"""tf-onednn-bf16-nan-leak: TensorFlow's oneDNN bfloat16 convolution turns the neighbours of a NaN or inf
input into NaN, even with a 1x1 kernel that never reads them.  A 1x1 kernel of ones returns its input
[1, inf, 1, 1]; tensorflow-cpu 2.21.0 returns [nan, inf, 1, 1] (TF_ENABLE_ONEDNN_OPTS=0, Eigen, is right).
"""

import os
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"  # the leak is in the oneDNN kernel


def main() -> int:
    import tensorflow as tf

    x = np.array([1.0, np.inf, 1.0, 1.0])  # a 1x1 kernel of ones: the output is the input, inf stays where it is
    y = tf.nn.convolution(tf.constant(x.reshape(1, 4, 1), tf.bfloat16), tf.ones((1, 1, 1), tf.bfloat16))
    got = tf.cast(y, tf.float32).numpy().ravel()
    if np.array_equal(got, x):
        return 0
    print(f"bfloat16 1x1 convolution of {x.tolist()} by 1 gives {got.tolist()}; exact: {x.tolist()}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
