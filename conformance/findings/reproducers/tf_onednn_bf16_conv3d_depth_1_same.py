"""tf-onednn-bf16-conv3d-depth-1-same: TensorFlow's oneDNN bfloat16 Conv3D with one input channel, an input depth
of 1 under a depth-3 kernel (padded on both sides by TF's 'SAME') and a kernel 2 wide returns garbage that
changes from call to call (7.1e28, 0, 3e-20 where 1 is exact: only the kernel's middle depth slice and first
column meet the single input element).  tensorflow-cpu 2.21.0, AMD Zen 4; float32 and oneDNN off are right.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"  # the bug is in the oneDNN kernel


def main() -> int:
    import tensorflow as tf

    b = tf.bfloat16
    for _ in range(3):  # garbage may happen to be right once
        y = tf.nn.conv3d(tf.ones((1, 1, 1, 1, 1), b), tf.ones((3, 1, 2, 1, 1), b), [1] * 5, "SAME")
        got = tf.cast(y, tf.float32).numpy().ravel().tolist()
        if got != [1.0]:
            print(f"bfloat16 conv3d SAME of a 1x1x1 input by a 3x1x2 kernel of ones: got {got}; exact [1.0]")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
