"""tf-onednn-bf16-explicit-pad-segfault: TensorFlow's oneDNN bfloat16 tf.nn.conv2d with explicit padding pairs
kills the process (SIGSEGV, exit 139, every time in a fresh process) for a 1x1 input, a 1x1 kernel and one
column of right padding (an output column that reads only padding); the exact output is [1, 0].  float32 and
TF_ENABLE_ONEDNN_OPTS=0 are right (tensorflow-cpu 2.21.0, AMD Zen 4).
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"  # the crash is in the oneDNN kernel


def main() -> int:
    import tensorflow as tf

    b = tf.bfloat16
    # NHWC pairs: width padded (0, 1); output column 0 reads the input, column 1 only the padding
    y = tf.nn.conv2d(tf.ones((1, 1, 1, 1), b), tf.ones((1, 1, 1, 1), b), strides=1,
                     padding=[[0, 0], [0, 0], [0, 1], [0, 0]])
    got = tf.cast(y, tf.float32).numpy().ravel().tolist()
    if got == [1.0, 0.0]:
        return 0
    print(f"bfloat16 conv2d with explicit pairs gives {got}; exact [1.0, 0.0]")
    return 1


if __name__ == "__main__":
    sys.exit(main())
