"""ONNX `auto_pad` modes that torch's API cannot name, checked against the oracle's general convolution with the
padding pairs oracle.conventions derives from ONNX's rule.

SAME_UPPER is what the onnxruntime-cpu backend uses for padding="same" (the suite covers it);
SAME_LOWER puts the odd extra element first, VALID pads nothing.  Integer data: results must be
exact, so any misplaced padding element shows.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle.conventions import onnx_conv_padding
from oracle.general import conv_general

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
    pairs = onnx_conv_padding(sizes, kernel, stride, dilation, auto_pad=mode)
    expected = conv_general(x, w, window_strides=tuple(stride), padding=pairs)
    np.testing.assert_array_equal(run_auto_pad(x, w, stride, dilation, mode), expected)
