"""Reduced reproducers of TensorFlow findings, as strict xfails: when TF fixes them they fail, saying
the workaround or known-issue entry that cites them must go."""

import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
tf = pytest.importorskip("tensorflow", reason='the TensorFlow findings need tensorflow (pip install ".[tf]")')


@pytest.mark.xfail(strict=True, raises=AttributeError,
                   reason="TF 2.21: the eager gradient of tf.nn.convolution for an undilated 3-d convolution raises "
                          "AttributeError ('NoneType' object has no attribute 'decode') in nn_grad._Conv3DGrad; "
                          "conformance/backends/tf_backend.py calls tf.nn.conv3d there instead")
def test_tf_convolution_3d_eager_gradient():
    x, w = tf.ones((1, 2, 2, 2, 1)), tf.ones((1, 1, 1, 1, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.convolution(x, w)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), np.ones((1, 2, 2, 2, 1)))


def test_tf_conv3d_eager_gradient_works():
    # the contrast that justifies the adapter's workaround: the same op through tf.nn.conv3d
    x, w = tf.ones((1, 2, 2, 2, 1)), tf.ones((1, 1, 1, 1, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.conv3d(x, w, strides=[1] * 5, padding="VALID")
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), np.ones((1, 2, 2, 2, 1)))


def _bf16_1x1(x):
    x = tf.constant(np.asarray(x, dtype=np.float32).reshape(1, -1, 1), tf.bfloat16)
    return tf.cast(tf.nn.convolution(x, tf.ones((1, 1, 1), tf.bfloat16)), tf.float32).numpy().ravel()


@pytest.mark.xfail(strict=True, reason="known issue tf-onednn-bf16-nan-leak (conformance/known_issues.py)")
def test_tf_onednn_bf16_nan_leak_reduced():
    if os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "0":
        pytest.fail("oneDNN is off in this process: the leak is not expected here (Eigen conforms)")
    x = [1.0, np.inf, 1.0, 1.0]  # a 1x1 kernel of ones: the output is the input, inf stays where it is
    np.testing.assert_array_equal(_bf16_1x1(x), x)


@pytest.mark.xfail(strict=True, reason="known issue tf-onednn-conv3d-strided-garbage (conformance/known_issues.py)")
def test_tf_onednn_conv3d_strided_garbage_reduced():
    import oracle

    if os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "0":
        pytest.fail("oneDNN is off in this process: the bug is not expected here (Eigen conforms)")
    x = np.arange(1.0, 10.0).reshape(1, 1, 1, 3, 3)  # NCDHW: depth 1, a 3x3 plane
    w = np.ones((1, 1, 1, 1, 2))
    expected = oracle.conv(x, w, stride=(1, 1, 2))  # rows summed pairwise: [3, 9, 15]
    for _ in range(5):  # uninitialised memory may happen to hold the right value once
        got = tf.nn.conv3d(tf.constant(x.transpose(0, 2, 3, 4, 1), tf.float32),
                           tf.constant(w.transpose(2, 3, 4, 1, 0), tf.float32), strides=[1, 1, 1, 2, 1],
                           padding="VALID").numpy().transpose(0, 4, 1, 2, 3)
        np.testing.assert_array_equal(got, expected)


@pytest.mark.xfail(strict=True,
                   reason="known issue tf-onednn-conv2d-grad-heap-corruption (conformance/known_issues.py)")
def test_tf_onednn_conv2d_gradient_heap_corruption_reduced():
    import subprocess
    import sys

    if os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "0":
        pytest.fail("oneDNN is off in this process: the corruption is not expected here (Eigen survives)")
    code = ("import os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\n"
            "import tensorflow as tf\n"
            "x = tf.ones((1, 11, 8, 1)); w = tf.ones((1, 1, 1, 3))\n"
            "for i in range(100):\n"
            "    with tf.GradientTape() as tape:\n"
            "        tape.watch(x)\n"
            "        y = tf.nn.conv2d(x, w, strides=[1, 1, 2, 1], padding='VALID')\n"
            "    tape.gradient(y, x)\n"
            "print('survived')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "survived" in done.stdout, f"exit {done.returncode}: {done.stderr[-200:]}"


@pytest.mark.xfail(strict=True, raises=tf.errors.InvalidArgumentError,
                   reason="known issue tf-conv2d-dilated-gradient (conformance/known_issues.py)")
def test_tf_conv2d_dilated_gradient_reduced():
    """A lopsided (explicitly padded) dilated conv2d: the forward runs, its gradient raises on the CPU."""
    import oracle

    x, w = np.ones((1, 1, 1, 3)), np.ones((1, 1, 1, 2))  # NCHW; width 3, a 2-wide kernel dilated by 2
    xt = tf.constant(x.transpose(0, 2, 3, 1))
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = tf.nn.conv2d(xt, tf.constant(w.transpose(2, 3, 1, 0)), 1, [[0, 0], [1, 0], [0, 0], [0, 0]],
                         dilations=[1, 1, 2, 1])
    expected = oracle.conv_general_grads(x, w, np.ones((1, 1, 2, 1)), padding=((1, 0), (0, 0)),
                                         rhs_dilation=(1, 2)).grad_input  # [[1, 0, 1]] in each padded row
    np.testing.assert_array_equal(tape.gradient(y, xt).numpy().transpose(0, 3, 1, 2), expected)


def test_tf_conv2d_dilated_forward_is_right():
    """The narrowness contrast: the same layer's forward call runs and agrees with the oracle."""
    import oracle

    x, w = np.arange(6.0).reshape(1, 1, 2, 3), np.array([[[[1.0, 2.0]]]])
    y = tf.nn.conv2d(tf.constant(x.transpose(0, 2, 3, 1)), tf.constant(w.transpose(2, 3, 1, 0)), 1,
                     [[0, 0], [1, 0], [0, 0], [0, 0]], dilations=[1, 1, 2, 1])
    expected = oracle.conv_general(x, w, padding=((1, 0), (0, 0)), rhs_dilation=(1, 2))
    np.testing.assert_array_equal(y.numpy().transpose(0, 3, 1, 2), expected)
