"""tf-onednn-bf16-conv3d-grad-weight-kernel-past-input: TensorFlow's oneDNN bfloat16 Conv3D backward-weights under
TF's 'SAME' goes wrong when the kernel is larger than the input on some axis: with all-ones data, depth 3 and a
3-tall kernel over height 1, the middle tap's exact gradient is 3 ([0, 3, 0]); tensorflow-cpu 2.21.0 (AMD Zen 4)
gives [0, 2, 0] (depth slices summed two of three).  float32 and dilated layers are right.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"  # the bug is in the oneDNN kernel


def main() -> int:
    import tensorflow as tf

    b = tf.bfloat16
    x, w = tf.ones((1, 3, 1, 1, 1), b), tf.ones((1, 3, 1, 1, 1), b)  # NDHWC depth 3; kernel 1 deep, 3 tall
    with tf.GradientTape() as tape:
        tape.watch(w)
        y = tf.nn.conv3d(x, w, [1, 1, 3, 1, 1], "SAME")
    # 3 outputs along depth; height 1 at stride 3: SAME pads 1 above and below, so only the middle tap meets the
    # input, once per output: [0, 3, 0]
    got = tf.cast(tape.gradient(y, w), tf.float32).numpy().ravel().tolist()
    if got == [0.0, 3.0, 0.0]:
        return 0
    print(f"bfloat16 conv3d grad_weight, 3-tall kernel over height 1 (SAME): got {got}; exact [0.0, 3.0, 0.0]")
    return 1


if __name__ == "__main__":
    sys.exit(main())
