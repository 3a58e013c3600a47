"""tf-onednn-bf16-grad-weight-reads-past-input: TensorFlow's oneDNN bfloat16 backward-weights convolution computes
one output position more than there is when the output count is odd (a zero gradient times the input element
there), so a NaN that no product reads turns grad_weight NaN: a 2-wide kernel at stride 3 over [1, 1, 1, nan]
reads x[0], x[1] only, exact grad_weight [1, 1]; tensorflow-cpu 2.21.0 (AMD Zen 4) gives [nan, 1].
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"  # the bug is in the oneDNN kernel


def main() -> int:
    import tensorflow as tf

    b = tf.bfloat16
    # width 4, kernel 2, stride 3, VALID: one output, reading x[0] and x[1]; x[3] is read by no product
    x, w = tf.constant([[[1.0], [1.0], [1.0], [float("nan")]]], b), tf.ones((2, 1, 1), b)
    with tf.GradientTape() as tape:
        tape.watch(w)
        y = tf.nn.convolution(x, w, strides=3, padding="VALID")
    got = tf.cast(tape.gradient(y, w), tf.float32).numpy().ravel().tolist()
    if got == [1.0, 1.0]:
        return 0
    print(f"bfloat16 grad_weight over [1, 1, 1, nan] at stride 3: got {got}; exact [1.0, 1.0] (x[3] is never read)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
