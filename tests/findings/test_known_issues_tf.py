"""TensorFlow findings beyond their reduced reproducers (conformance/findings/reproducers/tf_*.py, run by
test_reproducers.py): the neighbouring cases that compute right (each key's narrowness), what the keys claim, and
the adapter's own workaround, as a strict xfail that fails when TF fixes it."""

import os

import numpy as np
import pytest
from conformance import findings
from conformance.model.config import ConvConfig

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


def test_tf_conv2d_dilated_forward_is_right():
    """The narrowness contrast: the reproducer's lopsided dilated layer, whose gradient raises, runs forward right."""
    import oracle

    x, w = np.arange(6.0).reshape(1, 1, 2, 3), np.array([[[[1.0, 2.0]]]])
    y = tf.nn.conv2d(tf.constant(x.transpose(0, 2, 3, 1)), tf.constant(w.transpose(2, 3, 1, 0)), 1,
                     [[0, 0], [1, 0], [0, 0], [0, 0]], dilations=[1, 1, 2, 1])
    expected = oracle.conv_general(x, w, padding=((1, 0), (0, 0)), rhs_dilation=(1, 2))
    np.testing.assert_array_equal(y.numpy().transpose(0, 3, 1, 2), expected)


def test_the_dilated_gradient_key_claims_what_tf_raises_there_only():
    """tf-conv2d-dilated-gradient claims TF's InvalidArgumentError on the grad_input of the reproducer's lopsided
    dilated 2-d layer and on its transposed layer's forward, not on a forward or an undilated layer."""
    from conformance.findings import known_raise

    text = "Current CPU implementations do not yet support dilation rates larger than 1."
    pairs = ((1, 0), (0, 0))
    plain = ConvConfig(2, 1, 1, 1, 1, (1, 3), (1, 2), (1, 1), pairs, (1, 2))
    transposed = ConvConfig(2, 1, 1, 1, 1, (2, 1), (1, 1), (1, 1), pairs, (1, 2), transposed=True,
                            output_padding=(0, 0))
    key = "tf-conv2d-dilated-gradient"
    assert known_raise("tensorflow-cpu", "float64", plain, text, "grad_input").key == key
    assert known_raise("tensorflow-cpu", "float64", transposed, text, "transposed").key == key
    assert known_raise("tensorflow-cpu", "float64", plain, text, "forward") is None
    undilated = ConvConfig(2, 1, 1, 1, 1, (1, 3), (1, 2), (1, 1), pairs, (1, 1))
    assert known_raise("tensorflow-cpu", "float64", undilated, text, "grad_input") is None


def _tf_child(code: str, **env):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", "import tensorflow as tf\n" + code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env})


def _onednn_only():
    if os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "0":
        pytest.skip("oneDNN is off in this process: the bug is in TensorFlow's oneDNN kernels")


def test_tf_conv3d_valid_and_conv2d_same_take_the_right_window():
    """The narrowness contrast: VALID in 3-d and SAME in 2-d start the window at the first element."""
    x = tf.reshape(tf.constant([1.0, 2.0, 3.0], tf.float64), (1, 1, 1, 3, 1))
    w = tf.ones((1, 1, 1, 1, 1), tf.float64)
    np.testing.assert_array_equal(tf.nn.conv3d(x, w, [1, 1, 1, 3, 1], "VALID").numpy().ravel(), [1.0])
    y = tf.nn.conv2d(tf.reshape(x, (1, 1, 3, 1)), tf.ones((1, 1, 1, 1), tf.float64), [1, 1, 3, 1], "SAME")
    np.testing.assert_array_equal(y.numpy().ravel(), [1.0])


def test_tf_conv3d_grad_kernel_past_input_float32_survives_and_the_crash_key_claims_bf16_gradients_only():
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

    key = findings.get("tf-onednn-bf16-conv3d-grad-weight-kernel-past-input")

    def config(n, k, s=(1, 1, 1), padding="SAME_UPPER", dilation=(1, 1, 1)):
        return ConvConfig(3, 1, 1, 1, 1, n, k, s, padding, dilation)

    assert key.when(config((5, 1, 1), (1, 3, 1), (2, 2, 1)))  # the certification's two rows
    assert key.when(config((2, 1, 1), (3, 1, 1)))
    assert not key.when(config((3, 3, 3), (3, 3, 3)))  # kernel within the input on every axis
    assert not key.when(config((2, 1, 1), (3, 1, 1), dilation=(2, 1, 1)))  # dilated: another path
    assert not key.when(config((2, 1, 1), (3, 1, 1), padding=((1, 1), (0, 0), (0, 0))))  # tf.pad + VALID
    assert key.directions == ("grad_weight",) and key.dtypes == ("bfloat16",)


@pytest.mark.parametrize("rule, config, weight_shape", [
    # 3 input channels in 2 groups: TF reads groups = 3 / filter in-depth 1 = 3 (6 outputs divide by 3)
    ("groups-divide-in_channels", ConvConfig(1, 1, 3, 6, 2, (4,), (2,), (1,), (0,), (1,), "zeros", False, False, None),
     (6, 1, 2)),
    # 2 input channels in 2 groups with a filter in-depth of 2: TF reads one group
    ("weight-in_channels/groups", ConvConfig(1, 1, 2, 2, 2, (4,), (2,), (1,), (0,), (1,), "zeros", False, False, None),
     (2, 2, 2)),
])
def test_tf_still_accepts_its_documented_groups_extensions(rule, config, weight_shape):
    """The accepted extensions hold: TF infers the groups from the filter, so these layers torch rejects are valid to
    TF.  conformance/tests/test_invalid.py xfails where its draws meet such a layer and passes where they do not;
    this fixed case is what shows the documented difference is still there."""
    from conformance.backends.tf_backend import TensorFlowBackend
    from conformance.judge.invalid import RULES, AcceptedInvalid, InvalidCase, check_rejects

    assert ("tensorflow-cpu", rule) in findings.ACCEPTED_EXTENSIONS
    case = InvalidCase(rule, RULES[rule].params, config, config.input_shape, weight_shape, None)
    with pytest.raises(AcceptedInvalid):
        check_rejects(TensorFlowBackend(), case, "float32")
