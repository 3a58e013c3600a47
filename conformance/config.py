"""`ConvConfig`: one convolution layer configuration, as the strategies draw it and reports show it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from math import prod

import oracle


def padding_pairs(padding, kernel, dilation) -> tuple:
    """(before, after) zero/mode padding per dimension, without validating anything.

    Backends use it to express padding the way their framework wants (e.g. an explicit pad
    op), so that an invalid config reaches the framework and the framework must reject it.
    """
    if padding == "valid":
        return (0,) * len(kernel), (0,) * len(kernel)
    if padding == "same":
        return oracle.same_padding(kernel, dilation)
    return tuple(padding), tuple(padding)


@dataclass(frozen=True)
class ConvConfig:
    """Everything but the data: shapes and hyper-parameters of one conv or conv_transpose call.

    Per-dimension values are tuples of length `ndim`; `padding` may also be "same"/"valid".
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
        """(before, after) per dimension, unvalidated (see the module-level padding_pairs)."""
        return padding_pairs(self.padding, self.kernel_size, self.dilation)

    def spec(self) -> oracle.ConvSpec:
        """The oracle's validated view of this config (raises ConvConfigError when invalid)."""
        if self.transposed:
            return oracle.conv_transpose_spec(self.input_shape, self.weight_shape, self.bias_shape, **self.kwargs())
        return oracle.conv_spec(self.input_shape, self.weight_shape, self.bias_shape, **self.kwargs())

    @property
    def output_shape(self) -> tuple:
        return self.spec().output_shape

    @property
    def macs(self) -> int:
        """Multiply-accumulates of the forward call: a size measure for budgets and speed reports."""
        s = self.spec()
        return prod(s.output_shape) * s.in_per_group * s.kernel_volume if not s.transposed \
            else prod(s.input_shape) * s.out_per_group * s.kernel_volume

    @property
    def families(self) -> tuple:
        """The bug families this config belongs to (conformance.families.tags)."""
        from .families import tags  # families builds on ConvConfig

        return tags(self)

    def short(self) -> str:
        """A compact one-line description for tables and progress lines."""
        op = "convT" if self.transposed else "conv"
        parts = [f"{op}{self.ndim}d", f"x{self.input_shape}", f"w{self.weight_shape}", f"g={self.groups}",
                 f"s={self.stride}", f"p={self.padding!r}", f"d={self.dilation}"]
        if self.transposed:
            parts.append(f"op={self.output_padding}")
        elif self.padding_mode != "zeros":
            parts.append(self.padding_mode)
        if not self.bias:
            parts.append("nobias")
        return " ".join(parts)

    def __repr__(self) -> str:  # a valid constructor call, used in reproducers
        fields = ", ".join(f"{k}={v!r}" for k, v in asdict(self).items())
        return f"ConvConfig({fields})"
