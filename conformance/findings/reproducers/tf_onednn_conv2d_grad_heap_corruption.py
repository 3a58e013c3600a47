"""tf-onednn-conv2d-grad-heap-corruption: TensorFlow's oneDNN Conv2D gradients corrupt the heap: a 1x1 kernel (3
output channels) with stride (1, 2) on an 11x8 input, differentiated in a loop, ends in SIGSEGV or glibc's
'corrupted double-linked list' abort within 100 calls, where every call should return its input gradient;
TF_ENABLE_ONEDNN_OPTS=0 survives.  TF's 1-d convolution is this Conv2D with a unit height and dies too
(tensorflow-cpu 2.21.0; Intel Xeon AVX-512, and the 1-d row on AMD Zen 4).
"""

import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"  # the bug is in the oneDNN kernels (Eigen survives)

# name -> input, kernel, spatial strides, calls in one process: tf.nn.conv2d on NHWC 11x8 at stride (1, 2);
# tf.nn.convolution (a Conv2D of height 1) on 130 wide at stride 2; a 1x1 kernel with 3 output channels, VALID
CASES = {"2-d": ((1, 11, 8, 1), (1, 1, 1, 3), [1, 2], 100), "1-d": ((1, 130, 1), (1, 1, 3), [2], 300)}


def gradients(name):
    import tensorflow as tf

    x_shape, w_shape, strides, calls = CASES[name]
    x, w = tf.ones(x_shape), tf.ones(w_shape)
    for _ in range(calls):
        with tf.GradientTape() as tape:
            tape.watch(x)
            if name == "2-d":
                y = tf.nn.conv2d(x, w, strides=[1, *strides, 1], padding="VALID")
            else:
                y = tf.nn.convolution(x, w, strides=strides, padding="VALID")
        tape.gradient(y, x)
    print("survived")


def main() -> int:
    if len(sys.argv) > 1:  # one case, in the fresh process main() started for it
        gradients(sys.argv[1])
        return 0
    died = False
    for name, (x_shape, w_shape, strides, calls) in CASES.items():
        case = f"{calls} float32 {name} input-gradient calls, input {x_shape}, kernel {w_shape}, strides {strides}"
        try:
            done = subprocess.run([sys.executable, os.path.abspath(__file__), name], capture_output=True, text=True,
                                  timeout=120)
        except subprocess.TimeoutExpired:
            print(f"{case}: hung for 120 s (a corrupted heap can deadlock malloc); exact: each returns a gradient")
            died = True
            continue
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or [""])[-1]
            print(f"{case}: the process died, exit {done.returncode} {last!r}; exact: each returns a gradient")
            died = True
    return 1 if died else 0


if __name__ == "__main__":
    sys.exit(main())
