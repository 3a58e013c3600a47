"""ONNX Runtime's native general convolution (auto_pad SAME_UPPER / SAME_LOWER at any stride, lopsided pads,
4 spatial axes; ConvTranspose's lopsided pads and auto_pad) through the onnxruntime-cpu backend, judged by the
oracle's general convolution; and the two non-conformances it showed: Conv's SAME_* with dilation is rejected
(ort-auto-pad-dilation-rejected), ConvTranspose's SAME_* output is short where the stride exceeds the kernel
extent plus output_padding (ort-convtranspose-same-short-output)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.judge.checks import check_forward
from conformance.model.config import ConvConfig
from conformance.findings import KnownNonConformance
from conformance.generate.strategies import general_configs, seeds

ort = pytest.importorskip("onnxruntime", reason='needs onnxruntime (pip install ".[onnx]")')
onnx = pytest.importorskip("onnx")

from conformance.backends.onnx_backend import OnnxRuntimeBackend  # noqa: E402 - after the skip
from conformance import findings  # noqa: E402

BACKEND = OnnxRuntimeBackend()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(general_configs(features=BACKEND.capabilities.general, padding_modes=BACKEND.capabilities.padding_modes)
       .filter(lambda c: BACKEND.capabilities.unsupported(c, "float32") is None),
       st.sampled_from(["integer", "random"]), seeds())
def test_native_auto_pad_and_lopsided_pads_conform(config, kind, seed):
    """Integer data must come back exact, so a misplaced padding element shows; the only failure claimed is the
    dilation rejection, and only where the config has SAME_* with dilation."""
    try:
        check_forward(BACKEND, config, "float32", kind, seed)
    except KnownNonConformance as known:
        assert known.issue.key == "ort-auto-pad-dilation-rejected"
        assert config.padding in ("SAME_UPPER", "SAME_LOWER") and max(config.dilation) > 1


def _session(**attrs):
    from onnx import TensorProto, helper

    value = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [None] * 4) for n in ("x", "w", "y")]
    graph = helper.make_graph([helper.make_node("Conv", ["x", "w"], ["y"], **attrs)], "g", value[:2], value[2:])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    model.ir_version = min(model.ir_version, 9)
    return ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])


X = np.arange(25.0, dtype=np.float32).reshape(1, 1, 5, 5)
W = np.ones((1, 1, 3, 3), np.float32)


def test_the_same_padding_given_as_pads_runs_and_is_right():
    """The narrowness contrast: the pads SAME_UPPER stands for, given explicitly, are accepted and right (they are
    the pads conformance/findings/reproducers/ort_auto_pad_dilation_rejected.py computes its exact output with)."""
    from oracle import conv_general
    from oracle.conventions import onnx_conv_padding

    pairs = onnx_conv_padding((5, 5), (3, 3), (1, 1), (2, 1), auto_pad="SAME_UPPER")
    assert pairs == ((2, 2), (1, 1))
    pads = [lo for lo, _ in pairs] + [hi for _, hi in pairs]
    (y,) = _session(pads=pads, dilations=[2, 1]).run(None, {"x": X, "w": W})
    np.testing.assert_array_equal(y, conv_general(X.astype(np.float64), W.astype(np.float64), padding=pairs,
                                                  rhs_dilation=(2, 1)))


def _short_output_axis(config) -> bool:
    """ort-convtranspose-same-short-output's geometry: SAME_* and some axis whose full output is shorter than
    input * stride (a negative total padding)."""
    return config.padding in ("SAME_UPPER", "SAME_LOWER") and any(
        d * (k - 1) + 1 + op < s
        for k, d, s, op in zip(config.kernel_size, config.dilation, config.stride, config.output_padding))


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(general_configs(features=BACKEND.capabilities.general_transposed, transposed=True)
       .filter(lambda c: BACKEND.capabilities.unsupported(c, "float32") is None),
       st.sampled_from(["integer", "random"]), seeds())
def test_native_convtranspose_pads_and_auto_pad_conform(config, kind, seed):
    """ConvTranspose with lopsided pads or auto_pad: exact on integer data; the one failure claimed is the short
    SAME output, and only on its geometry (the grid below shows the claim is also complete)."""
    try:
        check_forward(BACKEND, config, "float32", kind, seed)
    except KnownNonConformance as known:
        assert known.issue.key == "ort-convtranspose-same-short-output"
        assert _short_output_axis(config)


def _transposed(**attrs):
    from onnx import TensorProto, helper

    value = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [None] * 3) for n in ("x", "w", "y")]
    graph = helper.make_graph([helper.make_node("ConvTranspose", ["x", "w"], ["y"], **attrs)], "g", value[:2],
                              value[2:])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    model.ir_version = min(model.ir_version, 9)
    return ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])


def test_the_short_output_reproducers_case_is_claimed_and_its_exact_output_the_oracles():
    """conformance/findings/reproducers/ort_convtranspose_same_short_output.py's case (input 3, kernel 1, stride 2):
    the key's `when` holds, and the exact output it states is the oracle's, ONNX's SAME: 3 * 2 = 6 long (total
    padding 1 - 2 = -1, so the full output of 5 is extended by a zero at the begin)."""
    config = ConvConfig(1, 1, 1, 1, 1, (3,), (1,), (2,), "SAME_UPPER", (1,), bias=False, transposed=True,
                        output_padding=(0,))
    x, w = np.arange(1.0, 4.0).reshape(1, 1, 3), np.ones((1, 1, 1))
    assert findings.get("ort-convtranspose-same-short-output").when(config)
    assert config.output_shape == (1, 1, 6)
    np.testing.assert_array_equal(config.oracle_forward()(x, w, None), [[[0.0, 1.0, 0.0, 2.0, 0.0, 3.0]]])


@pytest.mark.parametrize("auto_pad", ["SAME_UPPER", "SAME_LOWER"])
def test_the_short_output_claim_is_exactly_its_geometry(auto_pad):
    """Every kernel 1-3, dilation 1-2, stride 1-3, output_padding < stride: ONNX Runtime's SAME shape is wrong
    exactly where the key's `when` says (the full output is shorter than input * stride), right elsewhere."""

    issue = findings.get("ort-convtranspose-same-short-output")
    x = np.arange(1.0, 5.0, dtype=np.float32).reshape(1, 1, 4)
    checked = 0
    for k in (1, 2, 3):
        for d in (1, 2):
            for s in (1, 2, 3):
                for op in range(s):
                    config = ConvConfig(1, 1, 1, 1, 1, (4,), (k,), (s,), auto_pad, (d,), bias=False, transposed=True,
                                        output_padding=(op,))
                    w = np.ones((1, 1, k), np.float32)
                    (y,) = _transposed(auto_pad=auto_pad, strides=[s], dilations=[d], kernel_shape=[k],
                                       output_padding=[op]).run(None, {"x": x, "w": w})
                    right = y.shape == config.output_shape and np.array_equal(
                        y, config.oracle_forward()(x.astype(np.float64), w.astype(np.float64), None))
                    assert right != issue.when(config), config.short()
                    checked += 1
    assert checked == 36


def test_convtranspose_output_shape_is_called_natively_and_conforms():
    """Crops whose odd element is at the begin are the split ONNX derives from ConvTranspose's `output_shape`
    (NOTSET), so the adapter gives that attribute instead of pads: every 1-d kernel 1-3, stride 1-3,
    output_padding < stride, input 2-3 and total crop 1 .. full output - 1, exact on integer data."""
    from conformance.backends.onnx_backend import _output_shape_split

    checked = 0
    for n in (2, 3):
        for k in (1, 2, 3):
            for s in (1, 2, 3):
                for op in range(s):
                    full = (n - 1) * s + op + k
                    for total in range(1, full):
                        crops = ((total - total // 2, total // 2),)
                        config = ConvConfig(1, 1, 1, 2, 1, (n,), (k,), (s,), crops, (1,), bias=False,
                                            transposed=True, output_padding=(op,))
                        if total % 2 == 0:  # symmetric: not a general config, pads as torch has them
                            assert not _output_shape_split(config, *config.padding_pairs())
                            continue
                        (node,) = BACKEND._model(config, "float32", False).graph.node
                        attrs = {a.name for a in node.attribute}
                        assert "output_shape" in attrs and "pads" not in attrs, attrs
                        check_forward(BACKEND, config, "float32", "integer", 0)
                        checked += 1
    assert checked > 50, checked


def test_other_lopsided_crops_go_through_pads():
    config = ConvConfig(1, 1, 1, 1, 1, (3,), (3,), (2,), ((0, 2),), (1,), bias=False, transposed=True,
                        output_padding=(0,))
    (node,) = BACKEND._model(config, "float32", False).graph.node
    assert {a.name for a in node.attribute} >= {"pads"} and "output_shape" not in {a.name for a in node.attribute}
    check_forward(BACKEND, config, "float32", "integer", 0)
