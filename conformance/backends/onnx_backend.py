"""ONNX Runtime (CPU execution provider): `Conv` and `ConvTranspose` models built in memory.

Padding: explicit `pads` (all begins, then all ends) for integer padding; `auto_pad`
SAME_UPPER / VALID for padding="same"/"valid" (SAME_UPPER puts an odd extra element at the
end, as torch does); reflect / replicate / circular through a `Pad` node (modes reflect,
edge, wrap) before an unpadded Conv.  ONNX Runtime has no training graph here, so no
gradients are declared.  Install with `pip install ".[onnx]"`.

Native general convolution (Capabilities.general): lopsided `pads` as given (and a lopsided
Pad node for the other modes), `auto_pad` SAME_UPPER / SAME_LOWER at any stride, and Conv of 4
spatial axes; ConvTranspose (general_transposed) with lopsided `pads` (crops of its output), `output_shape`
(where the crops are the split ONNX derives from it: the odd element of each axis at the begin) and `auto_pad`
SAME_UPPER / SAME_LOWER.  ONNX has no input dilation, and its pads are >= 0 (ONNX Runtime's shape inference
rejects negative ones: "Attribute pads must not contain negative values"), so neither is declared.

What ONNX Runtime 1.32 (CPU) cannot express, declared rather than failed: float64, float16
and bfloat16 Conv (no CPU kernels: "Could not find an implementation for Conv(11)"), and
ConvTranspose with output_padding >= stride (torch allows it while < dilation; ORT
rejects it: "output_padding (1) may be too large for stride (1)").  auto_pad SAME_UPPER
rejects dilation > 1, so "same" with dilation goes through explicit pads.
"""

from __future__ import annotations

import os

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from oracle.scipy_reference import NUMPY_PAD_MODE  # numpy.pad names; ONNX Pad uses the same

from conformance.model.config import AUTO_PADS, ConvConfig
from conformance.backends.protocol import Capabilities, Result, missing_extra

OPSET = 19  # Pad mode "wrap" needs opset 19


def _limits(config: ConvConfig, dtype: Optional[str] = None, gradients: bool = False) -> Optional[str]:
    if config.transposed and any(op >= s for op, s in zip(config.output_padding, config.stride)):
        return "ConvTranspose output_padding >= stride is rejected by ONNX Runtime"
    return None


def _output_shape_split(config: ConvConfig, before, after) -> bool:
    """Whether a lopsided transposed general config's crops are the split ONNX derives from `output_shape` under
    NOTSET (the odd element of each axis's total at the begin): the adapter then gives ConvTranspose that attribute
    instead of pads, so both of its ways to shape the output are called natively."""
    return ("asymmetric-padding" in config.general_features()
            and all(b - a in (0, 1) for b, a in zip(before, after)))


@dataclass
class OnnxRuntimeBackend:
    name: str = "onnxruntime-cpu"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(
        dtypes=("float32",), gradients=False, accuracy={"float32": "exact-inputs"}, ndims=(1, 2, 3, 4),
        general=("asymmetric-padding", "same-upper", "same-lower"),
        general_transposed=("asymmetric-padding", "same-upper", "same-lower"), config_limits=_limits))
    _sessions: dict = field(default_factory=dict, repr=False)
    # one kernel path ("ort-cpu": the CPU execution provider) serves every call: nothing for
    # reach.reachable_paths to probe (it took 15 s of a default run's tail)
    probe_paths = False

    def unavailable(self) -> Optional[str]:
        return missing_extra(("onnx", "onnxruntime"), "onnx")

    def version(self) -> str:
        import onnx
        import onnxruntime

        return f"onnxruntime {onnxruntime.__version__}, onnx {onnx.__version__}, opset {OPSET}"

    def _model(self, config: ConvConfig, dtype: str, has_bias: bool):
        import onnx
        from onnx import TensorProto, helper

        elem = {"float32": TensorProto.FLOAT}[dtype]
        nd = config.ndim
        attrs = dict(strides=list(config.stride), dilations=list(config.dilation), group=config.groups,
                     kernel_shape=list(config.kernel_size))
        nodes, conv_in = [], "x"
        if config.transposed:
            op = "ConvTranspose"
            attrs["output_padding"] = list(config.output_padding)
            if config.padding in AUTO_PADS:  # ONNX's own rule: output input*stride, the crop split
                attrs["auto_pad"] = config.padding
            else:  # (begin, end) crops of the full output
                before, after = config.padding_pairs()
                if _output_shape_split(config, before, after):
                    # ConvTranspose's output_shape attribute: under NOTSET, ONNX derives pads from it as
                    # total - total//2 at the begin and total//2 at the end, which is this config's split
                    attrs["output_shape"] = list(config.output_shape[2:])
                else:  # lopsided crops as given
                    attrs["pads"] = [*before, *after]
        else:
            op = "Conv"
            before, after = config.padding_pairs()
            if config.padding_mode != "zeros":
                pads = helper.make_tensor("pads", TensorProto.INT64, [2 * (nd + 2)],
                                          [0, 0, *before, 0, 0, *after])
                nodes.append(helper.make_node("Constant", [], ["pads"], value=pads))
                nodes.append(helper.make_node("Pad", ["x", "pads"], ["xp"], mode=NUMPY_PAD_MODE[config.padding_mode]))
                conv_in = "xp"
                attrs["pads"] = [0] * (2 * nd)
            elif config.padding in AUTO_PADS:  # ONNX's own auto_pad, at any stride and dilation
                attrs["auto_pad"] = config.padding
            elif config.padding == "same" and all(d == 1 for d in config.dilation):
                attrs["auto_pad"] = "SAME_UPPER"
            elif config.padding == "valid":
                attrs["auto_pad"] = "VALID"
            else:
                attrs["pads"] = [*before, *after]
        inputs = [conv_in, "w"] + (["b"] if has_bias else [])
        nodes.append(helper.make_node(op, inputs, ["y"], **attrs))
        rank = [None] * (nd + 2)  # dynamic sizes, fixed rank
        graph_inputs = [helper.make_tensor_value_info("x", elem, rank), helper.make_tensor_value_info("w", elem, rank)]
        if has_bias:
            graph_inputs.append(helper.make_tensor_value_info("b", elem, [None]))
        graph = helper.make_graph(nodes, "conv", graph_inputs, [helper.make_tensor_value_info("y", elem, rank)])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = min(model.ir_version, 9)
        onnx.checker.check_model(model)
        return model

    def _session(self, config: ConvConfig, dtype: str, has_bias: bool):
        import onnxruntime as ort

        key = (config, dtype, has_bias)
        if key not in self._sessions:
            options = ort.SessionOptions()
            options.log_severity_level = 3
            # no graph rewrites: the Conv node as built is what runs
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            # the thread budget convconf gives this worker (conformance.run.threads); 0 is ORT's own default
            options.intra_op_num_threads = int(os.environ.get("OMP_NUM_THREADS", "0") or 0)
            if len(self._sessions) > 64:
                self._sessions.clear()
            self._sessions[key] = ort.InferenceSession(self._model(config, dtype, has_bias).SerializeToString(),
                                                       options, providers=["CPUExecutionProvider"])
        return self._sessions[key]

    def forward(self, config, x, weight, bias, dtype) -> Result:
        np_dtype = {"float32": np.float32}[dtype]
        feeds = {"x": x.astype(np_dtype), "w": weight.astype(np_dtype)}
        if bias is not None:
            feeds["b"] = bias.astype(np_dtype)
        (y,) = self._session(config, dtype, bias is not None).run(["y"], feeds)
        return Result(np.asarray(y, dtype=np.float64), str(y.dtype), "ort-cpu")

    def grads(self, config, x, weight, bias, grad_output, dtype):
        raise NotImplementedError("onnxruntime-cpu declares no gradients")
