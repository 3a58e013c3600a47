"""TensorFlow (CPU build): `tf.nn.convolution` and `tf.nn.conv_transpose`, gradients by `tf.GradientTape`.

Mapping from torch semantics:
- layout: TF's CPU kernels are channels-last, so data goes NC... -> N...C and back; forward
  filters are (*kernel, in/groups, out), transposed ones (*kernel, out, in).
- forward padding: "same"/"valid" as TF's own "SAME"/"VALID"; integers and the reflect mode
  through `tf.pad` (CONSTANT / REFLECT) and then a VALID convolution.  TF has no edge or wrap
  pad mode, so replicate and circular are not declared.
- 3-d undilated convolutions call `tf.nn.conv3d`: through `tf.nn.convolution` TF 2.21 cannot
  take their gradient in eager mode (AttributeError in its Conv3D gradient; a strict xfail in
  tests/findings/test_known_issues_tf.py holds the reproducer).
- groups: implicit, as TF does it (filter in-depth = in_channels / groups); bias by `tf.nn.bias_add`.
- transpose: `tf.nn.conv_transpose` with VALID padding and the full output length
  (in-1)*s + d*(k-1) + 1 + output_padding, then `padding` cropped from both ends; TF has no
  padding or output_padding arguments of its own for it.

General convolution (Capabilities.general), natively: SAME_UPPER is TF's own "SAME" (any
stride); lopsided (low, high) zero padding is tf.nn.conv2d's explicit padding, the only TF
convolution that takes pairs (conv1d, conv3d and convolution take "SAME"/"VALID" only, so
lopsided padding is declared for 2-d alone); lopsided reflect padding is tf.pad's.  TF has no
SAME_LOWER, negative padding (conv2d aborts) or input dilation.  Transposed (general_transposed):
SAME_UPPER is tf.nn.conv_transpose's "SAME" where ONNX and TF agree (output_padding 0), lopsided
crops are tf.nn.conv2d_transpose's explicit padding (2-d).

Declared limits (what TF 2.21 CPU rejects, so "unsupported", not failed): stride > 1
together with dilation > 1; grouped 3-d convolution; grouped transposed convolution;
output_padding >= stride; dilated float64 transposed convolution (no CPU kernel), and float16 where
oneDNN does not take float16 (CPUs without AVX512_FP16, AMX_FP16 or AVX_NE_CONVERT); gradients
of grouped convolutions ("not supported on CPU").
Install with `pip install ".[tf]"` (tensorflow-cpu).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from conformance.model.config import ConvConfig
from conformance.machine.cpu import cpu_flags
from conformance.backends.protocol import Capabilities, GradResult, Result, missing_extra

TF_DTYPES = ("float64", "float32", "float16", "bfloat16")


def _limits(config: ConvConfig, dtype: Optional[str] = None, gradients: bool = False) -> Optional[str]:
    if "asymmetric-padding" in config.general_features() and config.padding_mode == "zeros" and config.ndim != 2:
        return "TensorFlow takes explicit padding pairs in tf.nn.conv2d(_transpose) only (1-d, 3-d: 'SAME'/'VALID')"
    if config.transposed and config.padding == "SAME_UPPER":
        if any(config.output_padding):
            return "TensorFlow's transposed 'SAME' has no output_padding (its output is input * stride)"
        if any(d * (k - 1) + 1 < s for k, d, s in zip(config.kernel_size, config.dilation, config.stride)):
            # TF pads max(extent - stride, 0): its extension of a short full output is all at the end, where ONNX's
            # SAME_UPPER (onnx.reference) puts the odd element first
            return "TensorFlow's transposed 'SAME' extends an output shorter than input * stride at its end only"
    if gradients and config.groups > 1:
        return "TensorFlow computes no gradients of grouped convolutions on the CPU"
    if dtype == "float64" and config.transposed and any(d > 1 for d in config.dilation):
        return "TensorFlow has no float64 CPU kernel for dilated transposed convolution"
    if dtype == "float16" and config.transposed and any(d > 1 for d in config.dilation) and not _onednn_half():
        return ("TensorFlow has no float16 CPU kernel for dilated transposed convolution where oneDNN does not take "
                "float16 (it needs AVX512_FP16, AMX_FP16 or AVX_NE_CONVERT): Eigen's has no dilation")
    if any(s > 1 for s in config.stride) and any(d > 1 for d in config.dilation):
        return "TensorFlow rejects stride > 1 together with dilation > 1"
    if config.groups > 1 and config.transposed:
        return "tf.nn.conv_transpose has no groups"
    if config.groups > 1 and config.ndim == 3:
        return "TensorFlow's CPU Conv3D has no grouped convolution"
    if config.transposed and any(op >= s for op, s in zip(config.output_padding, config.stride)):
        return "tf.nn.conv_transpose output_shape admits output_padding < stride only"
    return None


def _channels_last(a, tf):
    return tf.transpose(a, [0, *range(2, len(a.shape)), 1])


def _channels_first(a, tf):
    nd = len(a.shape) - 2
    return tf.transpose(a, [0, nd + 1, *range(1, nd + 1)])


def conv_function(config: ConvConfig):
    """f(x, w, b) on NC... tensors with torch semantics, built from TF ops."""
    import tensorflow as tf

    nd = config.ndim
    spatial = list(range(2, nd + 2))

    def forward(x, w):
        xl = _channels_last(x, tf)
        wl = tf.transpose(w, [*spatial, 1, 0])  # (out, in/g, *k) -> (*k, in/g, out)
        if config.padding in ("same", "valid", "SAME_UPPER") and config.padding_mode == "zeros":
            padding = "SAME" if config.padding == "SAME_UPPER" else config.padding.upper()
        elif "asymmetric-padding" in config.general_features() and config.padding_mode == "zeros":
            # tf.nn.conv2d's explicit padding: one (low, high) pair per NHWC axis
            before, after = config.padding_pairs()
            return tf.nn.conv2d(xl, wl, strides=[1, *config.stride, 1],
                                padding=[[0, 0], *map(list, zip(before, after)), [0, 0]],
                                dilations=[1, *config.dilation, 1])
        else:
            before, after = config.padding_pairs()
            if any(p < 0 for p in before + after):
                raise ValueError(f"padding={config.padding}: tf.pad takes no negative padding")
            mode = {"zeros": "CONSTANT", "reflect": "REFLECT"}[config.padding_mode]
            xl = tf.pad(xl, [[0, 0], *zip(before, after), [0, 0]], mode=mode)
            padding = "VALID"
        if nd == 3 and all(d == 1 for d in config.dilation):
            # tf.nn.convolution's undilated 3-d op cannot be differentiated eagerly in TF 2.21
            # (known issue tf-conv3d-eager-gradient); tf.nn.conv3d is the same kernel and can
            return tf.nn.conv3d(xl, wl, strides=[1, *config.stride, 1], padding=padding)
        return tf.nn.convolution(xl, wl, strides=list(config.stride), padding=padding,
                                 dilations=list(config.dilation))

    def transposed_general(x, w):
        # TF's own transposed padding: "SAME" (ONNX's SAME_UPPER at output_padding 0, output input * stride) for
        # any rank, or tf.nn.conv2d_transpose's explicit (begin, end) pairs; the output shape TF derives the
        # padding from is what the config's crops leave of the full output
        xl = _channels_last(x, tf)
        wl = tf.transpose(w, [*spatial, 1, 0])
        before, after = config.padding_pairs()
        out = [(i - 1) * s + d * (k - 1) + 1 + op - b - e for i, s, d, k, op, b, e in
               zip(x.shape[2:], config.stride, config.dilation, w.shape[2:], config.output_padding, before, after)]
        shape = [x.shape[0], *out, w.shape[1]]
        if config.padding == "SAME_UPPER":
            return tf.nn.conv_transpose(xl, wl, output_shape=shape, strides=list(config.stride), padding="SAME",
                                        dilations=list(config.dilation))
        return tf.nn.conv2d_transpose(xl, wl, output_shape=shape, strides=[1, *config.stride, 1],
                                      padding=[[0, 0], *map(list, zip(before, after)), [0, 0]],
                                      dilations=[1, *config.dilation, 1])

    def transposed(x, w):
        if config.general:
            return transposed_general(x, w)
        if any(p < 0 for p in config.padding):
            raise ValueError(f"padding={config.padding}: a crop of the transposed output cannot be negative")
        xl = _channels_last(x, tf)
        wl = tf.transpose(w, [*spatial, 1, 0])  # (in, out, *k) -> (*k, out, in)
        # shapes from the tensors, not the config, so that TF itself meets inconsistent ones
        full = [(i - 1) * s + d * (k - 1) + 1 + op for i, s, d, k, op in
                zip(x.shape[2:], config.stride, config.dilation, w.shape[2:], config.output_padding)]
        if any(n - 2 * p < 1 for n, p in zip(full, config.padding)):
            raise ValueError(f"padding={config.padding}: cropping it leaves no output (full size {full})")
        y = tf.nn.conv_transpose(xl, wl, output_shape=[x.shape[0], *full, w.shape[1]],
                                 strides=list(config.stride), padding="VALID", dilations=list(config.dilation))
        crop = tuple(slice(p, n - p) for p, n in zip(config.padding, full))
        return y[(slice(None), *crop, slice(None))]

    core = transposed if config.transposed else forward

    def f(x, w, b=None):
        y = core(x, w)
        if b is not None:
            y = tf.nn.bias_add(y, b)  # channels-last: the bias runs along the last axis
        return _channels_first(y, tf)

    return f


@dataclass
class TensorFlowBackend:
    name: str = "tensorflow-cpu"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(
        dtypes=TF_DTYPES, padding_modes=("zeros", "reflect"), general=("asymmetric-padding", "same-upper"),
        general_transposed=("asymmetric-padding", "same-upper"),
        # bias_add rounds the convolution to the half type and then the sum again (as for JAX):
        # one storage-dtype rounding more than "exact-inputs" allows
        accuracy={"float64": "exact-inputs", "float32": "exact-inputs", "float16": "storage",
                  "bfloat16": "storage"},
        config_limits=_limits))

    def unavailable(self) -> Optional[str]:
        return missing_extra(("tensorflow",), "tf")

    def version(self) -> str:
        import tensorflow as tf

        return f"tensorflow {tf.__version__}, oneDNN {'on' if _onednn() else 'off'}"

    @staticmethod
    def _tensors(dtype, *arrays):
        import tensorflow as tf

        # float64 in, then TF's own cast: the values are exact in `dtype` already
        return [None if a is None else tf.cast(tf.constant(np.ascontiguousarray(a), dtype=tf.float64), dtype)
                for a in arrays]

    @staticmethod
    def _check(config, dtype, gradients=False):
        why = _limits(config, dtype, gradients)
        if why:  # a direct call outside the suite (e.g. repro) says why instead of TF's error
            raise NotImplementedError(f"tensorflow-cpu does not declare this config: {why}")

    def forward(self, config, x, weight, bias, dtype) -> Result:
        self._check(config, dtype)
        y = conv_function(config)(*self._tensors(dtype, x, weight, bias))
        return Result(np.asarray(y.numpy(), dtype=np.float64), y.dtype.name, _path())

    def grads(self, config, x, weight, bias, grad_output, dtype) -> GradResult:
        import tensorflow as tf

        self._check(config, dtype, gradients=True)
        xt, wt, bt, go = self._tensors(dtype, x, weight, bias, grad_output)
        watched = [t for t in (xt, wt, bt) if t is not None]
        with tf.GradientTape() as tape:
            for t in watched:
                tape.watch(t)
            y = conv_function(config)(xt, wt, bt)
        back = tape.gradient(y, watched, output_gradients=go)

        def host(t):
            return None if t is None else np.asarray(t.numpy(), dtype=np.float64)

        return GradResult(host(back[0]), host(back[1]), host(back[2]) if bt is not None else None, y.dtype.name,
                          _path())


def _onednn() -> bool:
    # TF 2.21 x86 builds enable oneDNN by default; TF_ENABLE_ONEDNN_OPTS=0 turns it off
    return os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1") != "0"


def _onednn_half() -> bool:
    """Whether TF sends float16 to oneDNN on this CPU (IsDataTypeSupportedByOneDNNOnThisCPU(DT_HALF): AVX512BW with
    AVX512_FP16 or AMX_FP16, or AVX_NE_CONVERT); elsewhere Eigen's kernels run, and they lack some ops."""
    flags = cpu_flags() or set()
    return _onednn() and (("avx512bw" in flags and bool({"avx512_fp16", "amx_fp16"} & flags))
                          or "avx_ne_convert" in flags)


def _path() -> str:
    return "tf-cpu-onednn" if _onednn() else "tf-cpu-eigen"
