"""Findings in NNPACK as PyTorch's CPU convolution runs it with oneDNN off (docs/findings/nnpack.md)."""

from __future__ import annotations

from conformance.findings.issue import KnownIssue
from conformance.generate.data import NONFINITE_KINDS

ISSUES = [
    KnownIssue(
        key="nnpack-ftz",
        backends=("torch-cpu-nomkldnn",),
        dtypes=("float32",),
        kernel_paths=("NnpackSpatial",),
        summary="torch CPU's NNPACK convolution (float32, oneDNN off, batch >= 16: kernel path NnpackSpatial) "
                "flushes subnormal inputs and results to zero (FTZ/DAZ); IEEE gradual underflow requires them, and "
                "batch 15 of the same call keeps them. Found by convconf's batch-blocks family (torch 2.13.0)",
        kinds=("adversarial", "subnormal"),
    ),
    KnownIssue(
        key="nnpack-transform-accuracy",
        backends=("torch-cpu-nomkldnn",),
        dtypes=("float32",),
        kernel_paths=("NnpackSpatial",),
        summary="torch CPU's NNPACK convolution (float32, oneDNN off, batch >= 16) computes by a transform "
                "(FFT/Winograd) even for 1x1 kernels: errors reach 20-500 ulps, past the element-wise float32 bound "
                "that every other torch CPU path meets (batch 15 of the same call meets it); it conforms to the "
                "norm-wise transform class. Found by convconf's batch-blocks family (torch 2.13.0)",
        hypothesis="transform-accuracy",
    ),
    KnownIssue(
        key="nnpack-nan-leak",
        backends=("torch-cpu-nomkldnn",),
        dtypes=("float32",),
        kernel_paths=("NnpackSpatial",),
        summary="torch CPU's NNPACK convolution (float32, oneDNN off, batch >= 16) turns every output of an image "
                "tile into NaN when one input of it is inf or NaN, even under a 1x1 kernel that reads no neighbour "
                "(the transform mixes the tile). Found by convconf's batch-blocks family (torch 2.13.0)",
        hypothesis="nan-leak",
        kinds=NONFINITE_KINDS,
    ),
    KnownIssue(
        key="nnpack-transform-overflow",
        backends=("torch-cpu-nomkldnn",),
        dtypes=("float32",),
        kernel_paths=("NnpackSpatial",),
        summary="torch CPU's NNPACK convolution (float32, oneDNN off, batch >= 16) returns NaN for finite results "
                "near the float32 range (e.g. exact -6.4e37, 5x below the largest float32): its transform's "
                "intermediate values overflow where the direct sum does not, and the NaN spreads over the image's "
                "tile (all terms of that element have one sign, so no order of summation overflows). Found by "
                "convconf's overflow data kind with the batch-blocks family (torch 2.13.0)",
        hypothesis="transform-overflow",
        kinds=("overflow", "adversarial"),
    ),
]
