"""ort-convtranspose-same-short-output: ONNX Runtime's CPU ConvTranspose (1.32) with auto_pad SAME_UPPER returns
the full output, (n-1)*stride + kernel extent long, where that is shorter than the n*stride ONNX sets for SAME
(the stride exceeds the kernel extent): input [1, 2, 3], a 1-tap kernel of one and stride 2 give [1, 0, 2, 0, 3]
where ONNX's SAME (as onnx.reference computes it) is [0, 1, 0, 2, 0, 3]; TensorFlow's and jax's are 6 long too."""

import sys

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper


def main() -> int:
    value = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [None] * 3) for n in ("x", "w", "y")]
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], auto_pad="SAME_UPPER", strides=[2])
    model = helper.make_model(helper.make_graph([node], "g", value[:2], value[2:]),
                              opset_imports=[helper.make_opsetid("", 19)])
    model.ir_version = min(model.ir_version, 9)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = np.arange(1.0, 4.0, dtype=np.float32).reshape(1, 1, 3)
    (y,) = session.run(None, {"x": x, "w": np.ones((1, 1, 1), np.float32)})
    # the full output puts x[i] at 2 * i: [1, 0, 2, 0, 3]; SAME's output is 3 * 2 = 6, so the total crop is
    # 5 - 6 = -1, split (begin, end) = (floor(-1 / 2), rest) = (-1, 0) for SAME_UPPER: one zero prepended
    exact = np.array([[[0.0, 1.0, 0.0, 2.0, 0.0, 3.0]]])
    if y.shape == exact.shape and np.array_equal(y, exact):
        print(f"conforms: {y.ravel().tolist()}")
        return 0
    print(f"got shape {y.shape}: {y.ravel().tolist()}\nexact shape {exact.shape}: {exact.ravel().tolist()}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
