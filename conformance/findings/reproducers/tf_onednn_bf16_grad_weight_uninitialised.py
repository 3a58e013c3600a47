"""tf-onednn-bf16-grad-weight-uninitialised: TensorFlow's oneDNN bfloat16 backward-weights convolution under TF's
'SAME' never writes the grad_weight taps that meet only padding when, on the last axis, stride and kernel exceed
the input and there are 2+ input channels: exact [1, 1, 0, 0], tensorflow-cpu 2.21.0 (AMD Zen 4) returns
[1, 1, 1.53e16, 1.53e16] under MALLOC_PERTURB_=165 (whatever the memory held otherwise).
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"  # the bug is in the oneDNN kernel


def main() -> int:
    if os.environ.get("MALLOC_PERTURB_") != "165":
        # glibc reads MALLOC_PERTURB_ (fill new and freed memory with a byte pattern) at start-up: run again with it
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)], {**os.environ, "MALLOC_PERTURB_": "165"})
    import tensorflow as tf

    b = tf.bfloat16
    x, w = tf.ones((1, 1, 2), b), tf.ones((2, 2, 1), b)  # NWC width 1, 2 channels; kernel 2 wide, 2 in, 1 out
    with tf.GradientTape() as tape:
        tape.watch(w)
        y = tf.nn.convolution(x, w, strides=2, padding="SAME")
    # one output; SAME pads (0, 1): tap 0 of each channel reads x (gradient 1), tap 1 only padding (exactly 0)
    got = tf.cast(tape.gradient(y, w), tf.float32).numpy().ravel().tolist()
    if got == [1.0, 1.0, 0.0, 0.0]:
        return 0
    print(f"bfloat16 grad_weight, stride 2 and kernel 2 over width 1 (SAME): got {got}; exact [1.0, 1.0, 0.0, 0.0]")
    return 1


if __name__ == "__main__":
    sys.exit(main())
