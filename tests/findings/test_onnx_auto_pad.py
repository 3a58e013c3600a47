"""ONNX `auto_pad` modes that torch's API cannot name, checked against the oracle on explicit padding.

SAME_UPPER is what the onnxruntime-cpu backend uses for padding="same" (the suite covers it);
SAME_LOWER puts the odd extra element first, VALID pads nothing.  Integer data: results must be
exact, so any misplaced padding element shows.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import oracle

ort = pytest.importorskip("onnxruntime", reason='needs onnxruntime (pip install ".[onnx]")')
onnx = pytest.importorskip("onnx")


def run_auto_pad(x, w, stride, dilation, auto_pad):
    from onnx import TensorProto, helper

    rank = [None] * x.ndim
    node = helper.make_node("Conv", ["x", "w"], ["y"], auto_pad=auto_pad, strides=list(stride),
                            dilations=list(dilation), kernel_shape=list(w.shape[2:]))
    graph = helper.make_graph([node], "conv", [helper.make_tensor_value_info("x", TensorProto.FLOAT, rank),
                                               helper.make_tensor_value_info("w", TensorProto.FLOAT, rank)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, rank)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    model.ir_version = min(model.ir_version, 9)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    (y,) = session.run(["y"], {"x": x.astype(np.float32), "w": w.astype(np.float32)})
    return y.astype(np.float64)


def onnx_same_pads(size, kernel, stride, dilation, lower):
    """ONNX's SAME: output ceil(size / stride); total pad split with the odd element last (UPPER) or first."""
    out = -(-size // stride)
    total = max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - size)
    small = total // 2
    return (total - small, small) if lower else (small, total - small)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3), st.data())
def test_same_lower_same_upper_and_valid_match_the_oracle(ndim, data):
    sizes = data.draw(st.lists(st.integers(1, 7), min_size=ndim, max_size=ndim))
    kernel = data.draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim))
    stride = data.draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim))
    # ONNX Runtime's SAME_* reject dilation > 1 (see onnx_backend), so dilation stays 1 here
    dilation = [1] * ndim
    mode = data.draw(st.sampled_from(["SAME_LOWER", "SAME_UPPER", "VALID"]))
    if mode == "VALID" and any(k > s for k, s in zip(kernel, sizes)):
        return  # no output: nothing to compare
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-4, 5, (2, 3, *sizes)).astype(np.float64)
    w = rng.integers(-4, 5, (2, 3, *kernel)).astype(np.float64)
    pads = [(0, 0)] * ndim if mode == "VALID" else \
        [onnx_same_pads(n, k, s, d, mode == "SAME_LOWER") for n, k, s, d in zip(sizes, kernel, stride, dilation)]
    expected = oracle.conv(np.pad(x, [(0, 0), (0, 0), *pads]), w, stride=tuple(stride))
    np.testing.assert_array_equal(run_auto_pad(x, w, stride, dilation, mode), expected)
