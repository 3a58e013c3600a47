"""Documented past convolution bugs, replayed on every run against every backend.

Each entry is the configuration of a public bug report (its layer and input shape), checked
like any generated case: each data kind with fixed seeds, so a failure prints the usual
report and `python -m conformance repro` line.  The bugs were fixed upstream; replaying
them catches regressions and catches the same mistake in backends that never had it fixed.

Not replayed: reports whose trigger needs more than ~1e8 elements (pytorch#17930, cuDNN
Conv3d at batch 25 of 1x100x375x128; pytorch#163539, cuDNN 9.10.2 bfloat16 Conv3d at
16x124x1282x722), far beyond what the oracle checks in a test run; and pytorch#9264 (a
segfault of dilated Conv3d on CPU at 96x111x63x111), for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.model.config import ConvConfig


@dataclass(frozen=True)
class HistoricalBug:
    key: str
    url: str
    summary: str
    config: ConvConfig
    gradients: bool = False  # the report involved the backward pass too


def _conv2d(batch, cin, cout, groups, size, kernel, padding=(0, 0), stride=(1, 1), dilation=(1, 1), mode="zeros",
            bias=True, transposed=False, output_padding=None):
    return ConvConfig(2, batch, cin, cout, groups, size, kernel, stride, padding, dilation, mode, bias, transposed,
                      output_padding)


HISTORICAL_BUGS = (
    HistoricalBug(
        "pytorch-19912", "https://github.com/pytorch/pytorch/issues/19912",
        "grouped 1x1 Conv2d, 4 -> 16 channels in 2 groups, returned all zeros on CPU (oneDNN)",
        _conv2d(1, 4, 16, 2, (1, 1), (1, 1), bias=False)),
    HistoricalBug(
        "pytorch-18463", "https://github.com/pytorch/pytorch/pull/18463",
        "oneDNN 0.18: grouped Conv2d whose out_channels is a multiple of 16 with in_channels/groups < 16 gave a "
        "wrong second half of the output (forward and backward)",
        _conv2d(2, 4, 16, 2, (6, 6), (3, 3), bias=False), gradients=True),
    HistoricalBug(
        "pytorch-82060", "https://github.com/pytorch/pytorch/issues/82060",
        "channels-last Conv2d with a single input channel (1 -> 64, 3x3, padding 1) was wrong on CPU",
        _conv2d(1, 1, 64, 1, (100, 100), (3, 3), padding=(1, 1), bias=False)),
    HistoricalBug(
        "pytorch-37844", "https://github.com/pytorch/pytorch/issues/37844",
        "circular padding (0, 1) was applied to H instead of W (regression in 1.5)",
        _conv2d(1, 6, 1, 1, (20, 10), (3, 3), padding=(0, 1), mode="circular")),
    HistoricalBug(
        "pytorch-20981", "https://github.com/pytorch/pytorch/issues/20981",
        "circular padding=1 with a 1x1 kernel padded nothing (output 5x5 instead of 7x7)",
        _conv2d(1, 1, 1, 1, (5, 5), (1, 1), padding=(1, 1), mode="circular")),
    HistoricalBug(
        "pytorch-29712", "https://github.com/pytorch/pytorch/issues/29712",
        "Conv2d(3, 3, 3, padding=1, padding_mode='circular') gave a 3x3 output for a 5x5 input",
        _conv2d(1, 3, 3, 1, (5, 5), (3, 3), padding=(1, 1), mode="circular")),
    HistoricalBug(
        "onednn-352", "https://github.com/uxlfoundation/oneDNN/issues/352",
        "grouped deconvolution (8 -> 8 channels, 2 groups, 1x1) interleaved the groups' output channels",
        _conv2d(1, 8, 8, 2, (1, 1), (1, 1), bias=False, transposed=True, output_padding=(0, 0))),
    HistoricalBug(
        "pytorch-82093", "https://github.com/pytorch/pytorch/issues/82093",
        "slow_conv_dilated3d (the CPU path for dilated 3-d conv) returned wrong results for a 2x2x2 input and "
        "2x2x2 kernel, 2 -> 3 channels (the report's shapes; dilation 2 and padding 1 chosen here so that torch "
        "takes the dilated path)",
        ConvConfig(3, 1, 2, 3, 1, (2, 2, 2), (2, 2, 2), (1, 1, 1), (1, 1, 1), (2, 2, 2), "zeros", True, False,
                   None), gradients=True),
)
