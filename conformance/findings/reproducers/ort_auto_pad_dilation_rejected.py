"""ort-auto-pad-dilation-rejected: ONNX Runtime's CPU Conv (1.32) rejects auto_pad SAME_UPPER together with
dilations > 1 (INVALID_ARGUMENT: 'Dilation not supported for AutoPadType::SAME_UPPER or AutoPadType::SAME_LOWER'),
which the ONNX Conv specification defines: a 5x5 input, a 3x3 kernel with dilations [2, 1] and SAME_UPPER give a
5x5 output (pads (2, 2) and (1, 1)); the same pads given explicitly run and are right."""

import sys

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper


def main() -> int:
    value = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [None] * 4) for n in ("x", "w", "y")]
    node = helper.make_node("Conv", ["x", "w"], ["y"], auto_pad="SAME_UPPER", dilations=[2, 1])
    model = helper.make_model(helper.make_graph([node], "g", value[:2], value[2:]),
                              opset_imports=[helper.make_opsetid("", 19)])
    model.ir_version = min(model.ir_version, 9)
    x = np.arange(25.0, dtype=np.float32).reshape(1, 1, 5, 5)
    w = np.ones((1, 1, 3, 3), np.float32)
    # SAME: output 5 = input; total padding = dilated extent - 1: 4 rows (extent 5), 2 columns (extent 3), halved
    padded = np.pad(x[0, 0].astype(np.float64), ((2, 2), (1, 1)))
    exact = sum(padded[2 * a:2 * a + 5, b:b + 5] for a in range(3) for b in range(3))  # taps 2 rows apart
    try:
        session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
        (y,) = session.run(None, {"x": x, "w": w})
    except Exception as e:  # onnxruntime's InvalidArgument
        print(f"raised {type(e).__name__}: {str(e).strip()[:300]}\nexact (1, 1, 5, 5):\n{exact}")
        return 1
    if y.shape == (1, 1, 5, 5) and np.array_equal(y[0, 0], exact):
        print("conforms: the 5x5 SAME output")
        return 0
    print(f"got {y.shape}:\n{y}\nexact (1, 1, 5, 5):\n{exact}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
