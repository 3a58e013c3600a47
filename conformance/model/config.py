"""`ConvConfig`: one convolution layer configuration, as the strategies draw it and reports show it.

Most configs are PyTorch's: symmetric integer padding per axis, "same" (stride 1) or "valid", 1 to 3
spatial axes.  The general convolution of ONNX, TensorFlow and XLA (oracle.conv_general) adds the
GENERAL_FEATURES below and any spatial rank; a config using one is judged by oracle.conv_general and
drawn only for backends that declare it (Capabilities.general, Capabilities.ndims).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial
from math import prod

import oracle

# what the general convolution adds to PyTorch's: padding given as (low, high) pairs that differ, pairs with a
# negative (cropping) side, input (lhs) dilation, and the auto-pad modes of ONNX (SAME_UPPER, SAME_LOWER:
# output ceil(n / stride) at any stride, the odd element after or before) and TensorFlow ("SAME" is SAME_UPPER)
GENERAL_FEATURES = ("asymmetric-padding", "negative-padding", "input-dilation", "same-upper", "same-lower")
# those a transposed convolution has (ONNX ConvTranspose): lopsided (begin, end) crops of its full output, and
# auto_pad SAME_UPPER / SAME_LOWER (output input*stride, the total crop split as for Conv)
TRANSPOSED_GENERAL_FEATURES = ("asymmetric-padding", "same-upper", "same-lower")
AUTO_PADS = {"SAME_UPPER": "same-upper", "SAME_LOWER": "same-lower"}


def _is_pairs(padding) -> bool:
    return isinstance(padding, tuple) and bool(padding) and all(isinstance(p, tuple) for p in padding)


def padding_pairs(padding, kernel, dilation, input_size=None, stride=None, output_padding=None) -> tuple:
    """(before, after) zero/mode padding per dimension, without validating anything.

    Backends use it to express padding the way their framework wants (e.g. an explicit pad
    op), so that an invalid config reaches the framework and the framework must reject it.
    The auto-pad modes need the input size and stride (ONNX's rule, oracle.conventions); given
    output_padding (a transposed config), they are ConvTranspose's: the (begin, end) crops of
    the full output.
    """
    if padding == "valid":
        return (0,) * len(kernel), (0,) * len(kernel)
    if padding == "same":
        return oracle.same_padding(kernel, dilation)
    if padding in AUTO_PADS:
        if output_padding is not None:
            pairs, _ = oracle.conventions.onnx_conv_transpose_padding(input_size, kernel, stride, dilation,
                                                                      auto_pad=padding, output_padding=output_padding)
        else:
            pairs = oracle.conventions.onnx_conv_padding(input_size, kernel, stride, dilation, auto_pad=padding)
        return tuple(lo for lo, _ in pairs), tuple(hi for _, hi in pairs)
    if _is_pairs(padding):
        return tuple(lo for lo, _ in padding), tuple(hi for _, hi in padding)
    return tuple(padding), tuple(padding)


@dataclass(frozen=True)
class ConvConfig:
    """Everything but the data: shapes and hyper-parameters of one conv or conv_transpose call.

    Per-dimension values are tuples of length `ndim`; `padding` may also be "same"/"valid", and, in a
    general config (GENERAL_FEATURES), one (low, high) pair per axis, "SAME_UPPER" or "SAME_LOWER";
    `lhs_dilation` (input dilation, general) is None or one factor per axis.  A transposed general config
    (TRANSPOSED_GENERAL_FEATURES) is ONNX's ConvTranspose: its pairs are (begin, end) crops of the full output
    (input-1)*stride + output_padding + dilation*(kernel-1) + 1, "SAME_UPPER"/"SAME_LOWER" crop it to input*stride.
    """

    ndim: int
    batch: int
    in_channels: int
    out_channels: int
    groups: int
    input_size: tuple
    kernel_size: tuple
    stride: tuple
    padding: object
    dilation: tuple
    padding_mode: str = "zeros"
    bias: bool = True
    transposed: bool = False
    output_padding: tuple = None
    lhs_dilation: tuple = None

    def general_features(self) -> tuple:
        """The GENERAL_FEATURES this config uses (() for a PyTorch-style config of any rank); a transposed config's
        are ConvTranspose's (TRANSPOSED_GENERAL_FEATURES) when it is valid."""
        used = []
        if _is_pairs(self.padding):
            flat = [v for pair in self.padding for v in pair]
            if any(lo != hi for lo, hi in self.padding):
                used.append("asymmetric-padding")
            if any(v < 0 for v in flat):
                used.append("negative-padding")
        if self.lhs_dilation is not None and any(v != 1 for v in self.lhs_dilation):
            used.append("input-dilation")
        if self.padding in AUTO_PADS:
            used.append(AUTO_PADS[self.padding])
        return tuple(f for f in GENERAL_FEATURES if f in used)

    @property
    def general(self) -> bool:
        """Whether the config needs oracle.conv_general: a general feature or more than 3 spatial axes."""
        return _is_pairs(self.padding) or self.padding in AUTO_PADS or self.lhs_dilation is not None or self.ndim > 3

    def general_kwargs(self) -> dict:
        """Keyword arguments of oracle.conv_general / conv_general_grads.  For a transposed config, those of the
        equivalent forward convolution (oracle.transpose_padding: the stride-dilated input, padded so that the
        full output is cropped by the config's pairs) of the kernel oracle.transpose_as_general makes."""
        before, after = self.padding_pairs()
        if self.transposed:
            padding = oracle.transpose_padding(self.kernel_size, self.dilation, tuple(zip(before, after)),
                                               self.output_padding)
            return dict(window_strides=(1,) * self.ndim, padding=padding, lhs_dilation=self.stride,
                        rhs_dilation=self.dilation, feature_group_count=self.groups, padding_mode="zeros")
        return dict(window_strides=self.stride, padding=tuple(zip(before, after)),
                    lhs_dilation=self.lhs_dilation or 1, rhs_dilation=self.dilation, feature_group_count=self.groups,
                    padding_mode=self.padding_mode)

    def oracle_forward(self, implementation: str = "shift"):
        """The oracle's forward function of this config: f(x, weight, bias) (oracle.magnitude takes it too)."""
        if self.general:
            general = partial(oracle.conv_general, **self.general_kwargs(), implementation=implementation)
            if not self.transposed:
                return general
            return lambda x, weight, bias=None: general(x, oracle.transpose_as_general(weight, self.groups), bias)
        fn = oracle.conv_transpose if self.transposed else oracle.conv
        return partial(fn, **self.kwargs(), implementation=implementation)

    def oracle_grads(self, implementation: str = "shift"):
        """The oracle's gradients of this config: g(x, weight, grad_output) -> ConvGrads."""
        if self.general:
            grads = partial(oracle.conv_general_grads, **self.general_kwargs(), implementation=implementation)
            if not self.transposed:
                return grads

            def transposed(x, weight, grad_output):
                # transpose_as_general is an index permutation and its own inverse (it swaps the per-group in/out
                # axes back and flips again), so the weight's gradient is the permuted one of the general kernel
                g = grads(x, oracle.transpose_as_general(weight, self.groups), grad_output)
                return g._replace(grad_weight=oracle.transpose_as_general(g.grad_weight, self.groups))

            return transposed
        fn = oracle.conv_transpose_grads if self.transposed else oracle.conv_grads
        return partial(fn, **self.kwargs(), implementation=implementation)

    @property
    def input_shape(self) -> tuple:
        return (self.batch, self.in_channels, *self.input_size)

    @property
    def weight_shape(self) -> tuple:
        if self.transposed:
            return (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
        return (self.out_channels, self.in_channels // self.groups, *self.kernel_size)

    @property
    def bias_shape(self):
        return (self.out_channels,) if self.bias else None

    def kwargs(self) -> dict:
        """Keyword arguments for oracle.conv / conv_transpose and torch.nn.functional (bar padding_mode)."""
        if self.transposed:
            return dict(stride=self.stride, padding=self.padding, output_padding=self.output_padding,
                        groups=self.groups, dilation=self.dilation)
        return dict(stride=self.stride, padding=self.padding, dilation=self.dilation, groups=self.groups,
                    padding_mode=self.padding_mode)

    def padding_pairs(self) -> tuple:
        """(before, after) per dimension, unvalidated (see the module-level padding_pairs); for a transposed
        config, the crops of its full output."""
        return padding_pairs(self.padding, self.kernel_size, self.dilation, self.input_size, self.stride,
                             self.output_padding if self.transposed else None)

    def spec(self) -> oracle.ConvSpec:
        """The oracle's validated view of this config (raises ConvConfigError when invalid); for a general config,
        that of the convolution of its prepared (lhs-dilated, cropped) input."""
        if self.general:
            weight_shape = self.weight_shape
            if self.transposed:  # the equivalent convolution's kernel (transpose_as_general's shape)
                self._check_transposed_general()
                weight_shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
            return oracle.general_spec(self.input_shape, weight_shape, self.bias_shape, **self.general_kwargs())[0]
        if self.transposed:
            return oracle.conv_transpose_spec(self.input_shape, self.weight_shape, self.bias_shape, **self.kwargs())
        return oracle.conv_spec(self.input_shape, self.weight_shape, self.bias_shape, **self.kwargs())

    def _check_transposed_general(self) -> None:
        """What ONNX ConvTranspose asks beyond the equivalent convolution: explicit crops >= 0 (ONNX Runtime
        rejects negative pads) and an output of at least one element per axis."""
        if isinstance(self.padding, str) and self.padding not in AUTO_PADS:
            raise oracle.ConvConfigError("padding", f"a transposed config takes (begin, end) pairs, 'SAME_UPPER' "
                                         f"or 'SAME_LOWER', got {self.padding!r}")
        if self.output_padding is None or len(self.output_padding) != self.ndim:
            raise oracle.ConvConfigError("output_padding", f"a transposed config needs one entry per spatial axis, "
                                         f"got {self.output_padding!r}")
        if self.lhs_dilation is not None:
            raise oracle.ConvConfigError("lhs_dilation", "a transposed convolution's input dilation is its stride")
        if _is_pairs(self.padding) and any(v < 0 for pair in self.padding for v in pair):
            raise oracle.ConvConfigError("padding", f"the (begin, end) crops of a transposed convolution's output "
                                         f"must be >= 0, got {self.padding!r}")
        before, after = self.padding_pairs()
        for i, (n, s, d, k, op, b, e) in enumerate(zip(self.input_size, self.stride, self.dilation, self.kernel_size,
                                                       self.output_padding, before, after)):
            full = (n - 1) * s + op + d * (k - 1) + 1
            if full - b - e < 1:
                raise oracle.ConvConfigError("padding", f"{(b, e)} in spatial dim {i} crops the whole full output "
                                             f"({full} long): at least 1 element must remain")

    @property
    def output_shape(self) -> tuple:
        return self.spec().output_shape

    @property
    def macs(self) -> int:
        """Multiply-accumulates of the forward call: a size measure for budgets and speed reports."""
        if self.transposed and self.general:  # every input element meets every tap once (no inserted zeros)
            self.spec()
            return prod(self.input_shape) * (self.out_channels // self.groups) * prod(self.kernel_size)
        s = self.spec()
        return prod(s.output_shape) * s.in_per_group * s.kernel_volume if not s.transposed \
            else prod(s.input_shape) * s.out_per_group * s.kernel_volume

    def short(self) -> str:
        """A compact one-line description for tables and progress lines."""
        op = "convT" if self.transposed else "conv"
        parts = [f"{op}{self.ndim}d", f"x{self.input_shape}", f"w{self.weight_shape}", f"g={self.groups}",
                 f"s={self.stride}", f"p={self.padding!r}", f"d={self.dilation}"]
        if self.lhs_dilation is not None:
            parts.append(f"lhs={self.lhs_dilation}")
        if self.transposed:
            parts.append(f"op={self.output_padding}")
        elif self.padding_mode != "zeros":
            parts.append(self.padding_mode)
        if not self.bias:
            parts.append("nobias")
        return " ".join(parts)

    def __repr__(self) -> str:  # a valid constructor call, used in reproducers
        # lhs_dilation only when set: PyTorch-style configs read as they always have
        fields = ", ".join(f"{k}={v!r}" for k, v in asdict(self).items() if k != "lhs_dilation" or v is not None)
        return f"ConvConfig({fields})"
