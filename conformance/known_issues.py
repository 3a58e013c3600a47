"""Known, reproduced non-conformances: each one is an xfail with its reason, never a silence.

A known issue only claims a failure it can explain: `explains` re-judges the failing
case under the issue's hypothesis (here: flush-to-zero of subnormals) and matches only
if the backend then conforms.  Any other failure of the same test still fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np



_SMALLEST_NORMAL = {"float64": 2.0**-1022, "float32": 2.0**-126, "float16": 2.0**-14, "bfloat16": 2.0**-126}


def flush_subnormals(a, dtype: str):
    """Subnormal values of `dtype` replaced by a zero of the same sign (FTZ/DAZ semantics)."""
    if a is None:
        return None
    return np.where(np.abs(a) < _SMALLEST_NORMAL[dtype], np.copysign(0.0, a), a)


@dataclass(frozen=True)
class KnownIssue:
    key: str
    backends: tuple
    dtypes: tuple
    kernel_paths: tuple
    summary: str
    reproducer: str
    hypothesis: str = "flush-to-zero"  # or "nan-leak"

    def applies(self, backend: str, dtype: str, kernel_path) -> bool:
        return backend in self.backends and dtype in self.dtypes and (kernel_path or "unknown") in self.kernel_paths


TORCH_CPU = ("torch-cpu", "torch-cpu-channels-last", "torch-cpu-noncontiguous")

KNOWN_ISSUES = [
    KnownIssue(
        key="onednn-bf16-ftz",
        backends=TORCH_CPU,
        dtypes=("bfloat16",),
        kernel_paths=("Mkldnn", "MkldnnTranspose"),
        summary="oneDNN bfloat16 convolution flushes subnormal inputs and results to zero (FTZ/DAZ); IEEE "
                "gradual underflow requires them (found by convconf; conforms once the oracle flushes too)",
        reproducer="python -m conformance repro --backend torch-cpu --dtype bfloat16 --kind adversarial --seed 1 "
                   "--config \"ConvConfig(ndim=1, batch=1, in_channels=3, out_channels=1, groups=1, input_size=(2,), "
                   "kernel_size=(1,), stride=(1,), padding=(0,), dilation=(1,), padding_mode='zeros', bias=False, "
                   "transposed=False, output_padding=None)\"",
    ),
    KnownIssue(
        key="onednn-bf16-nan-leak",
        backends=TORCH_CPU,
        dtypes=("bfloat16",),
        kernel_paths=("Mkldnn", "MkldnnTranspose"),
        summary="oneDNN bfloat16 convolution (forward and transposed, any memory format) turns outputs near a "
                "non-finite input into NaN, including outputs that never read it and outputs whose exact value is "
                "+-inf; every other element conforms. Reduced by convconf to a 1x8 input and a 1x3 kernel",
        reproducer="python -c \"import torch,torch.nn.functional as F; x=torch.ones(1,1,1,8,dtype=torch.bfloat16); "
                   "x[0,0,0,5]=-float('inf'); w=torch.tensor([[[[0.,1.,1.]]]],dtype=torch.bfloat16); "
                   "print(F.conv2d(x,w,padding=(0,1)).float())\"  # torch 2.13.0+cpu prints [2, 2, 2, nan, nan, "
                   "nan, nan, 1]; IEEE (float64, or oneDNN disabled) gives [2, 2, 2, 2, -inf, -inf, nan, 1]",
        hypothesis="nan-leak",
    ),
]


# configs the oracle (torch semantics) rejects but a backend defines, by its own standard
ACCEPTED_EXTENSIONS = {
    ("onnxruntime-cpu", "same-needs-stride-1"):
        "ONNX defines auto_pad SAME_UPPER for stride > 1 (output ceil(L/stride)); torch rejects padding='same' "
        "with stride > 1",
    ("onnxruntime-cpu", "circular-padding-at-most-size"):
        "ONNX Pad mode 'wrap' accepts pads larger than the input; torch's circular padding must be <= input size",
}


def matching(backend: str, dtype: str, kernel_path):
    return [k for k in KNOWN_ISSUES if k.applies(backend, dtype, kernel_path)]


class KnownNonConformance(Exception):
    """A failure explained by a KnownIssue: the test records it and reports an xfail at the end."""

    def __init__(self, issue: KnownIssue, report: str):
        self.issue = issue
        self.report = report
        super().__init__(f"[{issue.key}] {issue.summary}")
