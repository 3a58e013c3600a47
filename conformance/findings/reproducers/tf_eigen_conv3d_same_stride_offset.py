"""tf-eigen-conv3d-same-stride-offset: TensorFlow's Eigen Conv3D (float64, float16; every dtype with
TF_ENABLE_ONEDNN_OPTS=0) with padding 'SAME' shifts the window when the stride skips past what the kernel needs:
a 1-wide kernel at stride 3 over [1, 2, 3] must give [1] (the window starts at x[0]); tensorflow-cpu 2.21.0
gives [2] (deterministic).  VALID, conv2d's SAME and oneDNN's float32/bfloat16 are right.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main() -> int:
    import tensorflow as tf

    # SAME's raw total padding on the width: (ceil(3/3) - 1) * 3 + 1 - 3 = -2; Eigen starts the window 2//2 = 1 right
    x = tf.reshape(tf.constant([1.0, 2.0, 3.0], tf.float64), (1, 1, 1, 3, 1))
    got = tf.nn.conv3d(x, tf.ones((1, 1, 1, 1, 1), tf.float64), [1, 1, 1, 3, 1], "SAME").numpy().ravel().tolist()
    if got == [1.0]:
        return 0
    print(f"float64 conv3d SAME, width stride 3 over [1, 2, 3], 1-wide kernel: got {got}; exact [1.0]")
    return 1


if __name__ == "__main__":
    sys.exit(main())
