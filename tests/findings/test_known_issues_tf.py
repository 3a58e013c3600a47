"""Reduced reproducers of TensorFlow findings, as strict xfails: when TF fixes them they fail, saying
the workaround or known-issue entry that cites them must go."""

import os

import numpy as np
import pytest
from conformance import findings

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


@pytest.mark.xfail(strict=True, reason="known issue tf-onednn-bf16-nan-leak (conformance/findings/tensorflow.py)")
def test_tf_onednn_bf16_nan_leak_reduced():
    if os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "0":
        pytest.fail("oneDNN is off in this process: the leak is not expected here (Eigen conforms)")
    x = [1.0, np.inf, 1.0, 1.0]  # a 1x1 kernel of ones: the output is the input, inf stays where it is
    np.testing.assert_array_equal(_bf16_1x1(x), x)


@pytest.mark.xfail(strict=True, reason="known issue tf-onednn-strided-pitch-garbage"
                                       " (conformance/findings/tensorflow.py)")
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


@pytest.mark.xfail(strict=True, reason="known issue tf-onednn-strided-pitch-garbage"
                                       " (conformance/findings/tensorflow.py)")
def test_tf_onednn_conv2d_strided_pitch_garbage_reduced():
    """The 2-d form: two images of 2x3, a 1x2 kernel, width stride 3 (one output column, two rows)."""
    import oracle

    if os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "0":
        pytest.fail("oneDNN is off in this process: the bug is not expected here (Eigen conforms)")
    x = np.arange(1.0, 13.0).reshape(2, 1, 2, 3)
    w = np.ones((1, 1, 1, 2))
    expected = oracle.conv(x, w, stride=(1, 3))  # [[3, 9], [15, 21]]
    for _ in range(5):  # uninitialised memory may happen to hold the right value once
        got = tf.nn.conv2d(tf.constant(x.transpose(0, 2, 3, 1), tf.float32),
                           tf.constant(w.transpose(2, 3, 1, 0), tf.float32), strides=[1, 1, 3, 1],
                           padding="VALID").numpy().transpose(0, 3, 1, 2)
        np.testing.assert_array_equal(got, expected)


def test_tf_onednn_strided_pitch_two_channels_are_right():
    """The narrowness contrast: the same 2-d layer with two input channels (and one with a height stride) conform."""
    import oracle

    x = np.arange(1.0, 25.0).reshape(2, 2, 2, 3)
    w = np.ones((1, 2, 1, 2))
    for _ in range(5):
        got = tf.nn.conv2d(tf.constant(x.transpose(0, 2, 3, 1), tf.float32),
                           tf.constant(w.transpose(2, 3, 1, 0), tf.float32), strides=[1, 1, 3, 1],
                           padding="VALID").numpy().transpose(0, 3, 1, 2)
        np.testing.assert_array_equal(got, oracle.conv(x, w, stride=(1, 3)))


@pytest.mark.xfail(strict=True,
                   reason="known issue tf-onednn-conv2d-grad-heap-corruption (conformance/findings/tensorflow.py)")
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


@pytest.mark.xfail(strict=True,
                   reason="known issue tf-onednn-conv2d-grad-heap-corruption (conformance/findings/tensorflow.py)")
def test_tf_onednn_conv2d_gradient_heap_corruption_reached_from_1d():
    """TF's 1-d convolution is its Conv2D with a unit height: the same gradient loop through tf.nn.convolution on
    a 1-d input dies too (the Zen 4 thorough run's 1-d bfloat16 gradient row; float32 here)."""
    _onednn_only()
    code = ("x = tf.ones((1, 130, 1)); w = tf.ones((1, 1, 3))\n"
            "for i in range(300):\n"
            "    with tf.GradientTape() as tape:\n"
            "        tape.watch(x)\n"
            "        y = tf.nn.convolution(x, w, strides=[2], padding='VALID')\n"
            "    tape.gradient(y, x)\n"
            "print('survived')\n")
    done = _tf_child(code)
    assert done.returncode == 0 and "survived" in done.stdout, f"exit {done.returncode}: {done.stderr[-200:]}"


@pytest.mark.xfail(strict=True, raises=tf.errors.InvalidArgumentError,
                   reason="known issue tf-conv2d-dilated-gradient (conformance/findings/tensorflow.py)")
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


@pytest.mark.xfail(strict=True, raises=tf.errors.InvalidArgumentError,
                   reason="known issue tf-conv2d-dilated-gradient (conformance/findings/tensorflow.py)")
def test_tf_conv2d_transpose_dilated_explicit_pairs_reduced():
    """tf.nn.conv2d_transpose with explicit (begin, end) crops and a dilation: the same Conv2DBackpropInput raises."""
    from conformance.model.config import ConvConfig

    config = ConvConfig(2, 1, 1, 1, 1, (2, 1), (1, 1), (1, 1), ((1, 0), (0, 0)), (1, 2), transposed=True,
                        output_padding=(0, 0))
    x, w = np.arange(1.0, 3.0).reshape(1, 1, 2, 1), np.ones((1, 1, 1, 1))
    y = tf.nn.conv2d_transpose(tf.constant(x.transpose(0, 2, 3, 1)), tf.constant(w.transpose(2, 3, 1, 0)),
                               output_shape=[1, 1, 1, 1], strides=1, padding=[[0, 0], [1, 0], [0, 0], [0, 0]],
                               dilations=[1, 1, 2, 1])
    np.testing.assert_array_equal(y.numpy().transpose(0, 3, 1, 2), config.oracle_forward()(x, w, None))


def test_tf_conv2d_dilated_forward_is_right():
    """The narrowness contrast: the same layer's forward call runs and agrees with the oracle."""
    import oracle

    x, w = np.arange(6.0).reshape(1, 1, 2, 3), np.array([[[[1.0, 2.0]]]])
    y = tf.nn.conv2d(tf.constant(x.transpose(0, 2, 3, 1)), tf.constant(w.transpose(2, 3, 1, 0)), 1,
                     [[0, 0], [1, 0], [0, 0], [0, 0]], dilations=[1, 1, 2, 1])
    expected = oracle.conv_general(x, w, padding=((1, 0), (0, 0)), rhs_dilation=(1, 2))
    np.testing.assert_array_equal(y.numpy().transpose(0, 3, 1, 2), expected)


def _tf_child(code: str, **env):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", "import tensorflow as tf\n" + code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env})


def _onednn_only():
    if os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "0":
        pytest.skip("oneDNN is off in this process: the bug is in TensorFlow's oneDNN kernels")


@pytest.mark.xfail(strict=True, reason="known issue tf-eigen-conv3d-same-stride-offset"
                                       " (conformance/findings/tensorflow.py)")
def test_tf_eigen_conv3d_same_stride_offset_reduced():
    # stride 3 over a width of 3 under a 1-wide kernel: SAME's raw padding is (1-1)*3 + 1 - 3 = -2; exact: x[0]
    x = tf.reshape(tf.constant([1.0, 2.0, 3.0], tf.float64), (1, 1, 1, 3, 1))
    y = tf.nn.conv3d(x, tf.ones((1, 1, 1, 1, 1), tf.float64), [1, 1, 1, 3, 1], "SAME")
    np.testing.assert_array_equal(y.numpy().ravel(), [1.0])


def test_tf_conv3d_valid_and_conv2d_same_take_the_right_window():
    """The narrowness contrast: VALID in 3-d and SAME in 2-d start the window at the first element."""
    x = tf.reshape(tf.constant([1.0, 2.0, 3.0], tf.float64), (1, 1, 1, 3, 1))
    w = tf.ones((1, 1, 1, 1, 1), tf.float64)
    np.testing.assert_array_equal(tf.nn.conv3d(x, w, [1, 1, 1, 3, 1], "VALID").numpy().ravel(), [1.0])
    y = tf.nn.conv2d(tf.reshape(x, (1, 1, 3, 1)), tf.ones((1, 1, 1, 1), tf.float64), [1, 1, 3, 1], "SAME")
    np.testing.assert_array_equal(y.numpy().ravel(), [1.0])


@pytest.mark.xfail(strict=True, reason="known issue tf-onednn-bf16-conv3d-depth-1-same"
                                       " (conformance/findings/tensorflow.py)")
def test_tf_onednn_bf16_conv3d_depth_1_same_reduced():
    _onednn_only()
    b = tf.bfloat16
    for _ in range(3):  # garbage may happen to be right once
        y = tf.nn.conv3d(tf.ones((1, 1, 1, 1, 1), b), tf.ones((3, 1, 2, 1, 1), b), [1] * 5, "SAME")
        np.testing.assert_array_equal(tf.cast(y, tf.float32).numpy().ravel(), [1.0])


@pytest.mark.xfail(strict=True, reason="known issue tf-onednn-bf16-grad-weight-uninitialised")
def test_tf_onednn_bf16_grad_weight_uninitialised_reduced():
    _onednn_only()
    # stride 2 and kernel 2 over a width of 1: one output; tap 1 of each channel meets only padding, exactly 0
    code = ("b = tf.bfloat16; x = tf.ones((1, 1, 2), b); w = tf.ones((2, 2, 1), b)\n"
            "with tf.GradientTape() as t:\n    t.watch(w); y = tf.nn.convolution(x, w, strides=2, padding='SAME')\n"
            "print(tf.cast(t.gradient(y, w), tf.float32).numpy().ravel().tolist())\n")
    done = _tf_child(code, MALLOC_PERTURB_="165")
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip().splitlines()[-1] == str([1.0, 1.0, 0.0, 0.0])


@pytest.mark.xfail(strict=True, reason="known issue tf-onednn-bf16-grad-weight-reads-past-input")
def test_tf_onednn_bf16_grad_weight_reads_past_input_reduced():
    _onednn_only()
    # stride 3 over 4 elements: one output reads x[0], x[1]; x[3] is read by no product, yet its NaN leaks
    b = tf.bfloat16
    x, w = tf.constant([[[1.0], [1.0], [1.0], [float("nan")]]], b), tf.ones((2, 1, 1), b)
    with tf.GradientTape() as tape:
        tape.watch(w)
        y = tf.nn.convolution(x, w, strides=3, padding="VALID")
    np.testing.assert_array_equal(tf.cast(tape.gradient(y, w), tf.float32).numpy().ravel(), [1.0, 1.0])


@pytest.mark.xfail(strict=True, reason="known issue tf-onednn-bf16-conv3d-grad-weight-kernel-past-input")
def test_tf_onednn_bf16_conv3d_grad_weight_kernel_past_input_reduced():
    _onednn_only()
    b = tf.bfloat16
    x, w = tf.ones((1, 3, 1, 1, 1), b), tf.ones((1, 3, 1, 1, 1), b)
    with tf.GradientTape() as tape:
        tape.watch(w)
        y = tf.nn.conv3d(x, w, [1, 1, 3, 1, 1], "SAME")
    np.testing.assert_array_equal(tf.cast(tape.gradient(y, w), tf.float32).numpy().ravel(), [0.0, 3.0, 0.0])


@pytest.mark.xfail(strict=True, reason="known issue tf-onednn-bf16-conv3d-grad-kernel-past-input-heap-corruption: "
                   "the second config, whose single calls die 2 times in 3; 20 in a loop always")
def test_tf_onednn_bf16_conv3d_grad_heap_corruption():
    _onednn_only()
    code = ("x = tf.ones((2, 3, 1, 1, 3), tf.bfloat16); w = tf.ones((1, 3, 3, 3, 1), tf.bfloat16)\n"
            "for i in range(20):\n    with tf.GradientTape() as t:\n"
            "        t.watch(w); y = tf.nn.conv3d(x, w, [1, 1, 3, 3, 1], 'SAME')\n    t.gradient(y, w)\n"
            "print('survived')\n")
    done = _tf_child(code)
    assert done.returncode == 0 and done.stdout.strip().endswith("survived"), f"exit {done.returncode}"


@pytest.mark.xfail(strict=True,
                   reason="known issue tf-onednn-bf16-conv3d-grad-kernel-past-input-heap-corruption")
def test_tf_onednn_bf16_conv3d_grad_kernel_past_input_heap_corruption_reduced():
    """One bfloat16 gradient call in a fresh process: height 1 under a 3-tall kernel at stride 3 (the kernel passes
    the input), depth 6 under 4, width 6 under 3 at stride 2; the process dies (SIGSEGV), float32 (below) is right."""
    _onednn_only()
    done = _tf_child("b = tf.bfloat16; x = tf.ones((3, 6, 1, 6, 2), b); w = tf.ones((4, 3, 3, 2, 3), b)\n"
                     "with tf.GradientTape() as t:\n    t.watch(w); y = tf.nn.conv3d(x, w, [1, 1, 3, 2, 1], 'SAME')\n"
                     "print(t.gradient(y, w).shape)\n")
    assert done.returncode == 0 and "(4, 3, 3, 2, 3)" in done.stdout, f"exit {done.returncode}"


def test_tf_conv3d_grad_kernel_past_input_float32_survives_and_the_crash_key_claims_bf16_gradients_only():
    from conformance.model.config import ConvConfig
    from conformance.findings import known_crash

    done = _tf_child("x = tf.ones((3, 6, 1, 6, 2)); w = tf.ones((4, 3, 3, 2, 3))\n"
                     "with tf.GradientTape() as t:\n    t.watch(w); y = tf.nn.conv3d(x, w, [1, 1, 3, 2, 1], 'SAME')\n"
                     "print(t.gradient(y, w).shape)\n")
    assert done.returncode == 0 and "(4, 3, 3, 2, 3)" in done.stdout, done.stderr[-2000:]
    config = ConvConfig(3, 3, 2, 3, 1, (6, 1, 6), (4, 3, 3), (1, 3, 2), "SAME_UPPER", (1, 1, 1))
    key = "tf-onednn-bf16-conv3d-grad-kernel-past-input-heap-corruption"
    assert known_crash("tensorflow-cpu", "bfloat16", config, "grad_input").key == key
    assert known_crash("tensorflow-cpu", "bfloat16", config, "forward") is None
    assert known_crash("tensorflow-cpu", "float32", config, "grad_input") is None


@pytest.mark.xfail(strict=True, reason="known issue tf-onednn-bf16-explicit-pad-segfault"
                                       " (conformance/findings/tensorflow.py)")
def test_tf_onednn_bf16_explicit_pad_segfault_reduced():
    """A 1x1 input, a 1x1 kernel and one column of right padding given as tf.nn.conv2d's own pairs: the process
    dies (SIGSEGV) in bfloat16; the same call in float32 (below) is right."""
    _onednn_only()
    done = _tf_child("b = tf.bfloat16\n"
                     "y = tf.nn.conv2d(tf.ones((1, 1, 1, 1), b), tf.ones((1, 1, 1, 1), b), strides=1,\n"
                     "                 padding=[[0, 0], [0, 0], [0, 1], [0, 0]])\n"
                     "print(tf.cast(y, tf.float32).numpy().ravel().tolist())\n")
    assert done.returncode == 0 and "[1.0, 0.0]" in done.stdout, f"exit {done.returncode}"


def test_tf_explicit_pad_float32_is_right():
    y = tf.nn.conv2d(tf.ones((1, 1, 1, 1)), tf.ones((1, 1, 1, 1)), strides=1, padding=[[0, 0], [0, 0], [0, 1], [0, 0]])
    assert y.numpy().ravel().tolist() == [1.0, 0.0]


# the two rows of the 2026-12-01 thorough re-run (AMD Zen 4) that led to the key, replayed through the adapter: the
# key claims them (when TF fixes the bug, no failure is raised and these fail, saying the key must go)
@pytest.mark.parametrize("config, kind", [
    # taps that meet only padding hold garbage (height: input 1, kernel 3, stride 2; one input channel)
    ("ConvConfig(3, 1, 1, 1, 1, (5, 1, 1), (1, 3, 1), (2, 2, 1), 'SAME_UPPER', (1, 1, 1))", "cancellation"),
    # a NaN input's tap comes back finite (input depth 2 under a depth-3 kernel)
    ("ConvConfig(3, 2, 1, 1, 1, (2, 1, 1), (3, 1, 1), (1, 1, 1), 'SAME_UPPER', (1, 1, 1))", "nonfinite"),
])
def test_tf_onednn_bf16_conv3d_same_grad_weight_rows_are_claimed(config, kind):
    from conformance.judge.checks import check_grads
    from conformance.model.config import ConvConfig  # noqa: F401 - eval below
    from conformance.findings import KnownNonConformance

    from conformance.backends.tf_backend import TensorFlowBackend

    _onednn_only()
    with pytest.raises(KnownNonConformance) as raised:
        check_grads(TensorFlowBackend(), eval(config), "bfloat16", kind, 0)
    assert raised.value.issue.key == "tf-onednn-bf16-conv3d-grad-weight-kernel-past-input"


def _ones_conv3d_grad_weight(n, k, s, dtype, dilation=(1, 1, 1)):
    x, w = tf.ones((1, *n, 1), dtype), tf.ones((*k, 1, 1), dtype)
    with tf.GradientTape() as tape:
        tape.watch(w)
        if dilation == (1, 1, 1):  # tf.nn.convolution's undilated 3-d op has no eager gradient (see above)
            y = tf.nn.conv3d(x, w, strides=[1, *s, 1], padding="SAME")
        else:
            y = tf.nn.convolution(x, w, strides=list(s), padding="SAME", dilations=list(dilation))
    return tf.cast(tape.gradient(y, w), tf.float32).numpy().ravel()


def test_tf_conv3d_grad_weight_kernel_past_input_float32_and_dilated_are_right():
    """The key's contrasts: float32 in its geometry, and a dilated bfloat16 layer whose kernel passes the input
    (tf.nn.convolution's space-to-batch path). All-ones data: each tap's exact gradient counts the outputs whose
    window puts it on an input element."""
    # depth 3 at stride 1 under a 1-deep kernel: every output reads one element; height 1 under a 3-tall kernel
    # at stride 3: one output, SAME pads 1 above and below, so only the middle tap reaches the input
    np.testing.assert_array_equal(_ones_conv3d_grad_weight((3, 1, 1), (1, 3, 1), (1, 3, 1), tf.float32), [0, 3, 0])
    # width 2 under a 3-wide kernel dilated by 2 (extent 5), stride 1: 2 outputs, SAME pads 2 before, 2 after;
    # output o puts tap t on x[o - 2 + 2t]: tap 0 on x[-2], x[-1], tap 1 on x[0], x[1], tap 2 on x[2], x[3]
    np.testing.assert_array_equal(_ones_conv3d_grad_weight((1, 1, 2), (1, 1, 3), (1, 1, 1), tf.bfloat16, (1, 1, 2)),
                                  [0, 2, 0])


def test_the_kernel_past_input_key_claims_its_geometry_only():
    from conformance.model.config import ConvConfig

    key = findings.get("tf-onednn-bf16-conv3d-grad-weight-kernel-past-input")

    def config(n, k, s=(1, 1, 1), padding="SAME_UPPER", dilation=(1, 1, 1)):
        return ConvConfig(3, 1, 1, 1, 1, n, k, s, padding, dilation)

    assert key.when(config((5, 1, 1), (1, 3, 1), (2, 2, 1)))  # the certification's two rows
    assert key.when(config((2, 1, 1), (3, 1, 1)))
    assert not key.when(config((3, 3, 3), (3, 3, 3)))  # kernel within the input on every axis
    assert not key.when(config((2, 1, 1), (3, 1, 1), dilation=(2, 1, 1)))  # dilated: another path
    assert not key.when(config((2, 1, 1), (3, 1, 1), padding=((1, 1), (0, 0), (0, 0))))  # tf.pad + VALID
    assert key.directions == ("grad_weight",) and key.dtypes == ("bfloat16",)
