"""Findings in torch.compile's Inductor on CPU (docs/findings/inductor.md)."""

from __future__ import annotations

from conformance.findings.issue import KnownIssue
from conformance.findings.torch_cpu import TORCH_COMPILED_CPU, torch_before

ISSUES = [
    KnownIssue(
        key="inductor-freezing-float64-conv",
        backends=("torch-compile-cpu-freezing",),
        dtypes=("float64",),
        kernel_paths=(),
        summary="torch.compile with Inductor freezing (torch._inductor.config.freezing=True, inference) cannot "
                "compile a float64 2-d or 3-d convolution on CPU, forward or transposed: Inductor prepacks the "
                "frozen weight with mkldnn._reorder_convolution_weight, which rejects float64 ('itensor_view_from_"
                "dense expects float/bfloat16/half/int8/fp8 tensor input'), so the compile raises "
                "BackendCompilerFailed on a valid module that eager runs; 1-d compiles and is right. Found by "
                "convconf (torch 2.13.0)",
        hypothesis="raises",
        message="itensor_view_from_dense expects",
        when=lambda config: config.ndim >= 2,
    ),
    KnownIssue(
        key="inductor-replication-pad2d-grad-strides",
        backends=("torch-compile-cpu", "torch-compile-cpu-dynamic"),
        dtypes=("float64", "float32", "float16", "bfloat16"),
        kernel_paths=(),
        summary="torch.compile cannot differentiate a 2-d convolution with replicate padding (nn.Conv2d("
                "padding_mode='replicate'), i.e. F.pad(mode='replicate') then conv2d) on CPU when the input has 2 or "
                "more channels and more than one pixel: Inductor's layout optimisation makes the input channels-last, "
                "the fake (meta) kernel of aten.replication_pad2d_backward predicts contiguous strides while the CPU "
                "kernel returns channels-last ones, and the compiled backward's stride assertion raises "
                "('expected size 2==2, stride 1==2 at dim=1'), in every dtype. 1 channel, 1-d and 3-d compile and "
                "are right; the forward is right. Related upstream: pytorch/pytorch#179442 (fixed by #179837, after "
                "torch 2.13). Found by convconf (torch 2.13.0)",
        hypothesis="raises",
        message=r"expected size \d+==\d+, stride \d+==\d+ at dim",
        when=lambda config: (config.ndim == 2 and not config.transposed and config.padding_mode == "replicate"
                             and config.in_channels >= 2 and config.input_size[0] * config.input_size[1] > 1),
        directions=("grad_input",),
    ),
    KnownIssue(
        key="inductor-dynamic-conv-backward-lowering",
        backends=TORCH_COMPILED_CPU,
        dtypes=("float64", "float32", "float16", "bfloat16"),
        kernel_paths=(),
        summary="torch.compile (Inductor, CPU; torch 2.13.0) cannot compile the backward of some convolutions once "
                "their sizes are symbolic (automatic dynamic shapes: the same compiled function called again with "
                "another input shape; or dynamic=True): lowering aten.convolution_backward raises InductorError "
                "(LoweringException: 'ValueRangeError: Invalid ranges [0:-1]', or 'ValueError: Exponent must be non-"
                "negative') on a valid layer that eager and a static compile run, e.g. a 1x1x1 conv3d with 2 output "
                "channels and stride (1, 2, 2) called on a 4x5x6 input and then a 2x3x3 one. Found by convconf's "
                "thorough certification of torch-compile-cpu (10 gradient rows, 2-d and 3-d, every dtype; each "
                "depends on the shapes compiled before it, so `repro` alone does not show it: the reproducer makes "
                "both calls). torch 2.14.1 compiles and runs it",
        hypothesis="raises",
        message=r"LoweringException: (ValueRangeError: Invalid ranges|ValueError: Exponent must be non-negative)",
        when=lambda config: not config.transposed,
        directions=("grad_input",),
        platform=torch_before("2.14"),
    ),
]
