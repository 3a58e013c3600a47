"""The torch CPU backends the findings name, and the predicates on the layouts of a torch call.

Shared by the oneDNN, PyTorch, NNPACK and Inductor findings: which built-in backends send a call where
(oneDNN at the CPU's own ISA, bfloat16 through oneDNN, channels-last routes, compiled calls), and when
torch takes a call to oneDNN channels-last (torch's own stride rules, read from the call's layouts).
"""

from __future__ import annotations

from typing import Optional

# the torch CPU backends whose oneDNN runs at the CPU's own ISA (no cap), those that send bfloat16 to oneDNN
# (AVX512_CORE and up), the compiled ones (Inductor calls the same convolution on channels-last tensors), and
# those whose tensors reach oneDNN channels-last
TORCH_CPU = ("torch-cpu", "torch-cpu-channels-last", "torch-cpu-noncontiguous", "torch-cpu-mixed-layouts",
             "torch-cpu-1thread", "torch-cpu-allthreads")


TORCH_COMPILED_CPU = ("torch-compile-cpu", "torch-compile-cpu-dynamic", "torch-compile-cpu-freezing")


TORCH_ONEDNN_BF16 = TORCH_CPU + ("torch-cpu-avx512",) + TORCH_COMPILED_CPU


TORCH_CHANNELS_LAST_CPU = ("torch-cpu-channels-last", "torch-cpu-mixed-layouts") + TORCH_COMPILED_CPU


INDUCTOR = "inductor:*"  # every kernel path a compiled call reports


BRGEMM_PATHS = ("Mkldnn", "MkldnnTranspose", INDUCTOR)


def torch_before(version: str):
    """A KnownIssue.platform: None while the installed torch is older than `version` (where the bug was seen
    fixed), else why the finding cannot show here."""
    def platform(env: Optional[dict] = None) -> Optional[str]:
        import torch

        have = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2])
        fixed = tuple(int(p) for p in version.split(".")[:2])
        return None if have < fixed else f"fixed in torch {version} (this is torch {torch.__version__})"
    platform.__qualname__ = f"torch_before({version!r})"
    return platform


def channels_last_input_odd_weight(first_axis: int):
    """A layouts predicate: the input laid out exactly channels-last, the weight's memory channels-last ordered but
    with an unusual stride on a size-1 axis from `first_axis` on (a permuted view of a channels-last weight, or one
    re-strided on an axis that addresses nothing), and not also dense in logical order (then it reads right).
    Spatial axes (2): oneDNN is handed the weight's storage as if contiguous (a sweep of random layouts: no wrong
    result outside it); any axis (0): torch's slow_conv2d backward allocates grad_weight in the other format."""
    def predicate(config, layouts: dict) -> bool:
        x, w = layouts.get("input"), layouts.get("weight")
        return (x is not None and w is not None and x.channels_last and not w.dense
                and any(axis >= first_axis for axis in w.noncanonical_size1()))
    predicate.__qualname__ = f"channels_last_input_odd_weight({first_axis})"
    return predicate


def channels_last_route(config, layouts: dict) -> bool:
    """Whether torch takes this call to oneDNN channels-last: its input or its weight has strides torch calls
    channels-last (Layout.torch_channels_last, torch's own rule; 1-d tensors as torch unsqueezes them)."""
    return any(layouts.get(role) is not None and layouts[role].torch_channels_last for role in ("input", "weight"))


def onednn_blocked_weights_route(config, layouts: dict) -> bool:
    """Whether oneDNN's blocked jit_bf16 backward-weights kernel serves a bfloat16 call (AVX-512, no AMX): a
    channels-last input or weight (channels_last_route), or plain tensors with 16 or more input channels or 32 or
    more output channels per group; below both oneDNN takes x64:gemm:jit (ONEDNN_VERBOSE, torch 2.13.0, Zen 4:
    (in, out) = (1, 17), (8, 17), (15, 1), (8, 31), (15, 31) gemm; (16, 1), (17, 1), (1, 32), (2, 32), (8, 32)
    jit_bf16)."""
    return (channels_last_route(config, layouts) or config.in_channels // config.groups >= 16
            or config.out_channels // config.groups >= 32)


def channels_last_input(config, layouts: dict) -> bool:
    """The input has strides torch calls channels-last (the huge-dilation segfault and the depth-stride bug's batch-1
    rows needed the input so; a channels-last weight alone did not show them)."""
    x = layouts.get("input")
    return x is not None and x.torch_channels_last
