"""tf-conv2d-dilated-gradient: TensorFlow's CPU gradients of tf.nn.conv2d with dilations > 1 (Conv2DBackpropInput)
raise InvalidArgumentError ('Current CPU implementations do not yet support dilation rates larger than 1') while
the forward call runs and is right, so a lopsided (explicitly padded) dilated 2-d layer has no gradient (exact:
[1, 0, 1] below); tf.nn.conv2d_transpose with explicit pairs and a dilation raises the same (exact [2]).
tensorflow-cpu 2.21.0 (Intel Xeon AVX-512 and AMD Zen 4).
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main() -> int:
    import tensorflow as tf

    def grad_input():
        # NHWC: height 1 padded (1, 0), width 3 under a 2-wide kernel dilated by 2; output row 0 reads only padding,
        # row 1 reads x[0] and x[2]: the input gradient of a sum is [[1, 0, 1]]
        x = tf.ones((1, 1, 3, 1), tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.conv2d(x, tf.ones((1, 2, 1, 1), tf.float64), 1, [[0, 0], [1, 0], [0, 0], [0, 0]],
                             dilations=[1, 1, 2, 1])
        return tape.gradient(y, x)

    def transposed():
        # the transpose of a conv2d from 1x1 padded (1, 0) in height (rows: padding, x[0]) by a 1x1 kernel: the
        # 2-row input [1, 2] maps back to its second row, [2]
        x = tf.constant([1.0, 2.0], tf.float64, shape=(1, 2, 1, 1))
        return tf.nn.conv2d_transpose(x, tf.ones((1, 1, 1, 1), tf.float64), output_shape=[1, 1, 1, 1], strides=1,
                                      padding=[[0, 0], [1, 0], [0, 0], [0, 0]], dilations=[1, 1, 2, 1])

    wrong = False
    for name, call, exact in [("grad_input", grad_input, [1.0, 0.0, 1.0]), ("conv2d_transpose", transposed, [2.0])]:
        try:
            got = call().numpy().ravel().tolist()
        except tf.errors.InvalidArgumentError as e:
            got = f"InvalidArgumentError: {e.message.splitlines()[0]}"
        if got != exact:
            print(f"dilated lopsided 2-d {name}: got {got}; exact {exact}")
            wrong = True
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
