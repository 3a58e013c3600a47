"""Findings in PyTorch's own CPU convolution kernels (slow_conv2d, slow_conv_transpose3d; docs/findings/pytorch.md)."""

from __future__ import annotations

from conformance.findings.issue import KnownIssue
from conformance.findings.onednn import BF16_FORWARD
from conformance.machine.onednn_dispatch import runs
from conformance.findings.torch_cpu import TORCH_CPU, TORCH_ONEDNN_BF16, channels_last_input_odd_weight

ISSUES = [
    KnownIssue(
        key="torch-cpu-slowtranspose3d-bf16-avx512",
        backends=TORCH_ONEDNN_BF16,
        dtypes=("bfloat16",),
        kernel_paths=("SlowTranspose3d",),
        summary="torch CPU SlowTranspose3d (transposed 3-d convolution) in bfloat16, on CPUs where torch routes "
                "bfloat16 through oneDNN (AVX-512), returns NaN where the exact result is +-inf and 0 for some "
                "small normal results (~1e-34) on adversarial data (inf inputs, subnormals) and on nonfinite data "
                "(the torch-cpu-avx512 thorough certification, 2 rows); no single hypothesis (FTZ, NaN leak) "
                "explains every element. Seen on Intel Xeons (torch 2.13.0); the same cases conform on AVX2 (AMD "
                "EPYC), and on an AMD Zen 4 under ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI or AVX512_CORE (emulated "
                "jit_bf16:avx512_core), while its native jit_bf16:avx512_core_bf16 shows it. Found by convconf's "
                "thorough certification",
        hypothesis="wrong-values",
        when=lambda config: config.ndim == 3 and config.transposed,
        kinds=("adversarial", "nonfinite"),
        platform=runs(BF16_FORWARD, "*"),
    ),
    KnownIssue(
        key="slow-conv2d-grad-weight-not-contiguous",
        backends=TORCH_CPU,
        dtypes=("float64", "float32", "bfloat16", "float16"),
        kernel_paths=(),
        summary="torch's slow_conv2d backward (the CPU path of float64 always, and of float32 where torch does not "
                "take oneDNN, e.g. batch 1; torch 2.13.0 and 2.14.1) raises 'slow_conv2d: grad_weight must be "
                "contiguous' when the input is channels-last and the weight is stored channels-last with an unusual "
                "stride on a size-1 axis (e.g. an HWIO weight permuted to OIHW with one output channel, or a unit "
                "height strided like the width): it picks the channels-last format from the input and weight but "
                "allocates grad_weight contiguous. A contiguous or canonical channels-last weight, or a contiguous "
                "input, runs and is right; conv3d with the same layouts runs. Found by convconf's thorough "
                "certification of torch-cpu-mixed-layouts (float64 and float32 gradient rows) on an AMD EPYC",
        hypothesis="raises",
        message=r"slow_conv2d: grad_weight must be contiguous",
        when=lambda config: config.ndim == 2 and not config.transposed,
        layouts=channels_last_input_odd_weight(0),
        directions=("grad_input",),
    ),
]
