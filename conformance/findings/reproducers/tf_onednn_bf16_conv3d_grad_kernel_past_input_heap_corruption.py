"""tf-onednn-bf16-conv3d-grad-kernel-past-input-heap-corruption: TensorFlow's oneDNN bfloat16 Conv3D gradient under
TF's 'SAME', with a kernel larger than the input on some axis, corrupts the heap: one call in a fresh process for
input (3, 6, 1, 6, 2) NDHWC, kernel (4, 3, 3), strides (1, 3, 2) dies with SIGSEGV (4 of 4 runs) or 'free():
invalid pointer'; input (2, 3, 1, 1, 3), kernel (1, 3, 3), strides (1, 3, 3) dies in 2 of 3 single calls, always
within 20 in a loop; each call should return a grad_weight of the kernel's shape.  tensorflow-cpu 2.21.0, Zen 4.
"""

import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"  # the bug is in the oneDNN kernel

# name -> NDHWC input, DHWIO kernel, strides (depth, height, width), calls in one process; the height is 1 under
# a 3-tall kernel in both, so the kernel passes the input
CONFIGS = {"first": ((3, 6, 1, 6, 2), (4, 3, 3, 2, 3), (1, 3, 2), 1),
           "second": ((2, 3, 1, 1, 3), (1, 3, 3, 3, 1), (1, 3, 3), 20)}


def gradients(name):
    import tensorflow as tf

    x_shape, w_shape, strides, calls = CONFIGS[name]
    x, w = tf.ones(x_shape, tf.bfloat16), tf.ones(w_shape, tf.bfloat16)
    for _ in range(calls):
        with tf.GradientTape() as tape:
            tape.watch(w)
            y = tf.nn.conv3d(x, w, [1, *strides, 1], "SAME")
        print(tuple(tape.gradient(y, w).shape), flush=True)


def main() -> int:
    if len(sys.argv) > 1:  # one config, in the fresh process main() started for it
        gradients(sys.argv[1])
        return 0
    died = False
    for name, (x_shape, w_shape, strides, calls) in CONFIGS.items():
        case = f"{calls} bfloat16 conv3d gradient call(s), input {x_shape}, kernel {w_shape}, strides {strides}"
        try:
            done = subprocess.run([sys.executable, os.path.abspath(__file__), name], capture_output=True, text=True,
                                  timeout=120)
        except subprocess.TimeoutExpired:
            print(f"{case}: hung for 120 s (a corrupted heap can deadlock malloc); exact: grad_weight {w_shape}")
            died = True
            continue
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or [""])[-1]
            print(f"{case}: the process died, exit {done.returncode} {last!r}; exact: grad_weight {w_shape}")
            died = True
    return 1 if died else 0


if __name__ == "__main__":
    sys.exit(main())
