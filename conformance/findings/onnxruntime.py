"""Findings in ONNX Runtime's CPU Conv and ConvTranspose (docs/findings/onnxruntime.md), and the invalid
configurations ONNX defines where torch rejects them."""

from __future__ import annotations

from conformance.findings.issue import KnownIssue

ISSUES = [
    KnownIssue(
        key="ort-auto-pad-dilation-rejected",
        backends=("onnxruntime-cpu",),
        dtypes=("float32",),
        kernel_paths=(),
        summary="ONNX Runtime's CPU Conv (1.32) rejects auto_pad SAME_UPPER and SAME_LOWER together with dilations "
                "> 1 ('Dilation not supported for AutoPadType::SAME_UPPER or AutoPadType::SAME_LOWER'), which the "
                "ONNX Conv specification defines (the total padding covers the dilated kernel extent, "
                "oracle.conventions.onnx_conv_padding); explicit pads of the same values run and are right. Found by "
                "convconf's same-upper / same-lower rows of onnxruntime-cpu, once the adapter passed auto_pad "
                "natively",
        hypothesis="raises",
        message=r"Dilation not supported for AutoPadType",
        when=lambda config: config.padding in ("SAME_UPPER", "SAME_LOWER") and any(d > 1 for d in config.dilation),
        directions=("forward",),
    ),
    KnownIssue(
        key="ort-convtranspose-same-short-output",
        backends=("onnxruntime-cpu",),
        dtypes=("float32",),
        kernel_paths=("ort-cpu",),
        summary="ONNX Runtime's CPU ConvTranspose (1.32) with auto_pad SAME_UPPER or SAME_LOWER returns the full "
                "output, (n-1)*stride + output_padding + dilated kernel extent long, on every axis where that is "
                "shorter than the n*stride the ONNX specification sets for SAME (the total padding is negative: "
                "the stride exceeds the extent plus output_padding); onnx.reference, TensorFlow's transposed SAME "
                "and jax return n*stride. Elsewhere SAME is right. Found by convconf's transposed same-upper / "
                "same-lower rows of onnxruntime-cpu (general_transposed)",
        hypothesis="wrong-shape",
        when=lambda config: config.transposed and config.padding in ("SAME_UPPER", "SAME_LOWER") and any(
            d * (k - 1) + 1 + op < s for k, d, s, op in zip(config.kernel_size, config.dilation, config.stride,
                                                             config.output_padding)),
        directions=("transposed",),
    ),
]

# configs the oracle (torch semantics) rejects but a backend defines, by its own standard
ACCEPTED = {
    ("onnxruntime-cpu", "same-needs-stride-1"):
        "ONNX defines auto_pad SAME_UPPER for stride > 1 (output ceil(L/stride)); torch rejects padding='same' "
        "with stride > 1",
    ("onnxruntime-cpu", "circular-padding-at-most-size"):
        "ONNX Pad mode 'wrap' accepts pads larger than the input; torch's circular padding must be <= input size",
}
