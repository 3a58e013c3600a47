"""Findings in XLA:CPU as JAX runs it (docs/findings/xla.md), and the invalid configurations jax.lax accepts by its own
documented rules."""

from __future__ import annotations

from conformance.findings.issue import KnownIssue

ISSUES = [
    KnownIssue(
        key="xla-cpu-ftz",
        backends=("jax", "jax-default"),
        dtypes=("float64", "float32", "float16", "bfloat16"),
        kernel_paths=("xla-cpu",),
        summary="XLA:CPU runs with denormals-are-zero and flush-to-zero set, so subnormal inputs and results "
                "of a JAX convolution become zero (inf * subnormal weight gives NaN). JAX documents this as "
                "intended (jax-ml/jax#16200, 'sharp bits' jax-ml/jax#26668); IEEE gradual underflow requires "
                "them (conforms once the oracle flushes too)",
    ),
    KnownIssue(
        key="xla-cpu-f64-grouped-nan-leak",
        backends=("jax", "jax-default"),
        dtypes=("float64",),
        kernel_paths=("xla-cpu",),
        summary="XLA:CPU float64 grouped convolution (feature_group_count > 1, both directions) lets a NaN or "
                "inf input of one group turn the same positions of every other group's outputs into NaN, as if "
                "the grouped kernel were expanded to a dense one with zeros (NaN * 0); float32 does not. Found "
                "by convconf (jax 0.10.2)",
        hypothesis="nan-leak",
        when=lambda config: config.groups > 1,
    ),
    KnownIssue(
        key="xla-cpu-lhs-dilation-abort",
        backends=("jax", "jax-default"),
        dtypes=("float64", "float32", "float16", "bfloat16"),
        kernel_paths=("xla-cpu",),
        summary="XLA:CPU's compiler aborts the process (CHECK failure in algebraic_simplifier.cc: 'Window "
                "dimensions do not match RHS shape') on some convolutions with lhs_dilation, which is how JAX "
                "computes a transposed convolution with stride > 1 and the input gradient of a strided one, and what "
                "a general config's input dilation is (the input-dilation rows: a 2-d float16 forward with "
                "lhs_dilation (2, 2) aborted in CpuCompiler::RunHloPasses, again alone in a fresh process). "
                "Found by convconf (jax 0.10.2); any dtype",
        hypothesis="crash",
        # lhs_dilation: JAX's transposed and strided-gradient convolutions, and a general config's own input dilation
        when=lambda config: any(s > 1 for s in config.stride)
        or any(v > 1 for v in (config.lhs_dilation or ())),
    ),
    KnownIssue(
        key="xla-cpu-crop-then-pad",
        backends=("jax", "jax-default"),
        dtypes=("float32", "float16", "bfloat16"),
        kernel_paths=("xla-cpu",),
        summary="XLA:CPU (jax 0.10.2) convolution whose padding on one axis crops the low side and pads the high "
                "side (a (low, high) pair with low < 0 < high) returns wrong values in float32, float16 and "
                "bfloat16, some of them read out of bounds (1.07e21 where 222 is exact): seen on the last axis of "
                "2-d convolutions with 2 or more input channels and 3 or more output rows, and in a 1-d bfloat16 "
                "grad_weight (3.2e29 where -12 is exact); float64, a pad-then-crop pair (low > 0 > high), and the "
                "same pair on the first axis of 2-d or in 1-d forwards are right. Claimed wider than seen: any "
                "such pair, forward and gradients. Found by convconf's negative-padding rows of jax (general "
                "features, the native lax padding)",
        hypothesis="wrong-values",
        when=lambda config: isinstance(config.padding, tuple) and any(
            isinstance(pair, tuple) and pair[0] < 0 < pair[1] for pair in config.padding),
    ),
]

# jax.lax is lower level than torch.nn.functional: padding is any (low, high) integer pair
# (negative crops), output sizes may be 0, jnp.pad repeats reflect/wrap as numpy.pad does,
# and the bias is added with numpy broadcasting
_LAX_EXTENSIONS = {
    "padding-non-negative": "lax.conv_general_dilated takes negative padding as cropping",
    "transposed-padding-non-negative": "negative padding of the transpose is positive lax padding (d*(k-1)-p)",
    "transposed-output_padding": "output_padding becomes extra lax padding, which any size may have",
    "output-size-positive": "lax returns an empty output where torch rejects an output size < 1",
    "same-needs-stride-1": "JAX's 'SAME' is defined for stride > 1 (output ceil(L/stride))",
    "reflect-padding-below-size": "jnp.pad(mode='reflect'), like numpy.pad, reflects repeatedly for pads >= size",
    "circular-padding-at-most-size": "jnp.pad(mode='wrap'), like numpy.pad, wraps repeatedly for pads > size",
    "bias-length": "a bias of length 1 broadcasts over the output channels (y + b, numpy rules)",
}
ACCEPTED = {(name, rule): why for name in ("jax", "jax-default")
                            for rule, why in _LAX_EXTENSIONS.items()}
