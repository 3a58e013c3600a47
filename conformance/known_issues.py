"""Known, reproduced non-conformances: each one is an xfail with its reason, never a silence.

A known issue only claims a failure it can explain: `explains` re-judges the failing
case under the issue's hypothesis (here: flush-to-zero of subnormals) and matches only
if the backend then conforms.  Any other failure of the same test still fails.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from .data import NONFINITE_KINDS
from .onednn_dispatch import Probe, runs
from .onednn_geometry import (amx_bf16_grad_weight_uninitialised, amx_bf16_padding_only_segfault,
                              amx_bf16_transposed_unreached, amx_bf16_wrong_rows, avx512_f32_depth_stride,
                              bf16_long_kernel, huge_dilation_non_last_axis, near_2_32_extent,
                              padding_only_width)

# How far below the overflow threshold a transform's intermediate values may overflow: NNPACK (the only
# transform-based path seen) turned images non-finite whose largest output magnitude was at least
# max finite / 41 in 400 drawn float32 overflow cases (1-2-d, kernels 1-5, batch 16); 2**8 keeps 6x margin
# over that measurement.  Overflow data (conformance/data.py) bring most images that close, so on NNPACK
# the issue excuses the NaN/inf of nearly every overflow image; finite outputs are still judged, and an
# image far from overflow is not excused (tests/findings/test_known_issues.py).
TRANSFORM_GROWTH = 2.0**8

_SMALLEST_NORMAL = {"float64": 2.0**-1022, "float32": 2.0**-126, "float16": 2.0**-14, "bfloat16": 2.0**-126}


def flush_subnormals(a, dtype: str):
    """Subnormal values of `dtype` replaced by a zero of the same sign (DAZ semantics)."""
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
    # "flush-to-zero", "nan-leak", "transform-accuracy" (conforms to the norm-wise transform class
    # only), "transform-overflow" (NaN/inf anywhere in an image whose largest output magnitude is within
    # TRANSFORM_GROWTH of overflow; the transform class elsewhere), "uninitialised" (the elements no
    # product reaches may hold anything), "crash" (the process dies on valid input), "raises" (the call
    # raises on a valid config, with a message matching `message`), "wrong-shape" (the output has another
    # shape than the specification's: claims a shape mismatch, nothing else) or "wrong-values" (any value
    # may be wrong: kept honest only by a narrow `when`)
    hypothesis: str = "flush-to-zero"
    # config -> whether the issue can occur there (None: any config); keeps a relaxation as
    # narrow as the finding, e.g. grouped convolutions only
    when: Optional[Callable] = None
    # the data kinds (conformance.strategies.DATA_KINDS) the finding was made with; None: any
    kinds: Optional[tuple] = None
    # (env) -> None where a backend process with `env` added to this one's environment (its oneDNN ISA cap) can
    # show the issue, else why not: torch is too new, or another implementation runs the finding's kind of call
    # (onednn_dispatch.runs: what really dispatches, never a CPU flag); there the issue claims nothing and its
    # reduced reproducer skips with that reason
    platform: Optional[Callable] = None
    # "raises": a regular expression the exception's text must match (re.search)
    message: Optional[str] = None
    # "crash": the process may also hang instead of dying (heap corruption can deadlock malloc)
    hangs: bool = False
    # the checks it occurs in (None: any): "forward", "grad_input", "grad_weight", "grad_bias" of a plain
    # config; "transposed", "transposed_grad_input", ... of a transposed one (check_direction); a crash or a
    # raise in a gradient call counts as its grad_input
    directions: Optional[tuple] = None
    # (config, role -> torch_layouts.Layout of the call's tensors) -> whether the issue can occur with them (None:
    # any layouts); an issue with a layout predicate claims nothing from a backend that does not report layouts
    layouts: Optional[Callable] = None

    def covers(self, backend: str) -> bool:
        """Whether the issue names `backend`, or the built-in a 'torch-cpu+1thread'-style variant of it calls as."""
        if backend in self.backends:
            return True
        if "+" not in backend:
            return False
        from .backends.torch_backend import builtin_equivalent

        return builtin_equivalent(backend) in self.backends

    def fits_layouts(self, config, layouts) -> bool:
        return self.layouts is None or (layouts is not None and bool(self.layouts(config, layouts)))

    def unreachable_here(self, backend: Optional[str] = None) -> Optional[str]:
        """Why this machine (a process of `backend`, with its ISA cap) cannot show the issue, or None."""
        return self.platform(backend_env(backend)) if self.platform is not None else None

    def applies(self, backend: str, dtype: str, kernel_path, config=None, kind=None, direction=None,
                layouts=None) -> bool:
        """Whether the issue can explain a failure here: the backend, dtype and kernel path (an entry ending in
        '*' matches every path it starts: Inductor's lowerings), the config, data kind, direction and the
        tensors' layouts."""
        path = kernel_path or "unknown"
        if not self.covers(backend) or dtype not in self.dtypes or not any(
                path == p or (p.endswith("*") and path.startswith(p[:-1])) for p in self.kernel_paths):
            return False
        if self.directions is not None and direction is not None and direction not in self.directions:
            return False
        if self.when is not None and config is not None and not self.when(config):
            return False
        if self.kinds is not None and kind is not None and kind not in self.kinds:
            return False
        if not self.fits_layouts(config, layouts):
            return False
        return self.unreachable_here(backend) is None


# the torch CPU backends whose oneDNN runs at the CPU's own ISA (no cap), those that send bfloat16 to oneDNN
# (AVX512_CORE and up), the compiled ones (Inductor calls the same convolution on channels-last tensors), and
# those whose tensors reach oneDNN channels-last
TORCH_CPU = ("torch-cpu", "torch-cpu-channels-last", "torch-cpu-noncontiguous", "torch-cpu-mixed-layouts",
             "torch-cpu-1thread", "torch-cpu-allthreads")
TORCH_COMPILED_CPU = ("torch-compile-cpu", "torch-compile-cpu-dynamic", "torch-compile-cpu-freezing")
TORCH_ONEDNN_BF16 = TORCH_CPU + ("torch-cpu-avx512",) + TORCH_COMPILED_CPU
TORCH_CHANNELS_LAST_CPU = ("torch-cpu-channels-last", "torch-cpu-mixed-layouts") + TORCH_COMPILED_CPU
INDUCTOR = "inductor:*"  # every kernel path a compiled call reports
TF_DTYPES_ALL = ("float64", "float32", "float16", "bfloat16")
BRGEMM_PATHS = ("Mkldnn", "MkldnnTranspose", INDUCTOR)


def backend_env(backend: Optional[str]) -> dict:
    """The environment `backend`'s process adds to this one (protocol.process_env: a oneDNN ISA cap), {} for none or
    an unknown name: what a platform probes under."""
    return dict(_backend_env_items(backend)) if backend else {}


@functools.lru_cache(maxsize=None)
def _backend_env_items(backend: str) -> tuple:
    from .backends import registry
    from .backends.protocol import process_env

    try:
        return tuple(sorted(process_env(registry.load(backend)).items()))
    except registry.UnknownBackend:
        return ()


# The calls whose oneDNN implementation stands for a finding's kernel (onednn_dispatch.runs: each the finding's
# reduced reproducer made harmless), and the implementations the findings were seen in, by ISA level: AMX (Sapphire
# Rapids), native bfloat16 (AVX512_CORE_BF16 and up), AVX-512 / AVX10 of any generation (not the AVX2 cap, not
# torch's own kernels)
BF16_FORWARD = Probe("bfloat16", "forward_training")
BF16_BACKWARD_DATA = Probe("bfloat16", "backward_data")
F16_FORWARD = Probe("float16", "forward_training")
AMX = ("*amx*",)
AVX512 = ("*avx512*", "*avx10*")
BF16_NATIVE = ("*avx512_core_bf16*", "*avx10*")
# the non-AMX bfloat16 kernels of the past-input grad_weight bugs: jit_bf16:avx512_core_bf16 (Zen 4) and
# jit_bf16:avx512_core (under that cap); a Sapphire Rapids Xeon runs AMX kernels there and is right
JIT_BF16 = ("jit_bf16:avx512_core*",)
# 1 channel, batch 2, depth stride 2 (the depth-stride bugs' reproducer with no padding: right, and the same kernel)
F32_DEPTH_STRIDE = Probe("float32", "backward_weights", (2, 1, 4, 1, 1), (1, 1, 2, 1, 1), stride=(2, 1, 1))


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


def channels_last_input(config, layouts: dict) -> bool:
    """The input has strides torch calls channels-last (the huge-dilation segfault and the depth-stride bug's batch-1
    rows needed the input so; a channels-last weight alone did not show them)."""
    x = layouts.get("input")
    return x is not None and x.torch_channels_last


def depth_stride_batches(config, layouts: dict) -> bool:
    """The batches avx512_f32_depth_stride goes wrong with: 2 or more; or 1, grouped, with a channels-last input
    (torch-cpu-mixed-layouts; contiguous batch-1 inputs were always right)."""
    return config.batch >= 2 or (config.groups >= 2 and channels_last_input(config, layouts))


def tf_same(config) -> bool:
    """The configs the tensorflow-cpu adapter runs with TensorFlow's own padding='SAME' (SAME_UPPER, or torch's
    'same' at stride 1, in zeros mode)."""
    return config.padding in ("same", "SAME_UPPER") and config.padding_mode == "zeros" and not config.transposed


def same_slack(config) -> int:
    """The smallest, over the axes, of SAME's raw total padding (ceil(n/s)-1)*s + d*(k-1)+1 - n: negative when the
    stride skips past what the kernel needs (Eigen's Conv3D then offsets its window)."""
    return min((-(-n // s) - 1) * s + d * (k - 1) + 1 - n
               for n, k, s, d in zip(config.input_size, config.kernel_size, config.stride, config.dilation))


def _every_output_reads_input(config, axis: int) -> bool:
    """Whether every output position along spatial `axis` has a window tap inside the (unpadded) input."""
    before, _ = config.padding_pairs()
    n, k, s, d, p = (config.input_size[axis], config.kernel_size[axis], config.stride[axis], config.dilation[axis],
                     before[axis])
    return all(any(0 <= o * s + j * d - p < n for j in range(k)) for o in range(config.output_shape[2 + axis]))


def tf_onednn_one_channel_pitch(config) -> bool:
    """tf-onednn-strided-pitch-garbage's geometry: a 2-d or 3-d forward convolution with one input channel per
    group (but not depthwise with one output channel per group), one output column (width) reached with a width
    stride > 1 and a kernel >= 2 wide, height stride 1 and 2 or more output rows; with tf.nn.conv2d's explicit
    pairs (oneDNN pads), only where every output row and column reads the input."""
    if config.ndim not in (2, 3) or config.transposed or config.in_channels != config.groups:
        return False
    if config.groups > 1 and config.out_channels == config.groups:
        return False
    out = config.output_shape[2:]
    if not (out[-1] == 1 and config.stride[-1] > 1 and config.stride[-2] == 1 and config.kernel_size[-1] >= 2
            and out[-2] >= 2):
        return False
    if "asymmetric-padding" in config.general_features() and config.padding_mode == "zeros":
        return all(_every_output_reads_input(config, a) for a in range(config.ndim))
    return True


def tf_onednn_conv3d_kernel_past_input(config) -> bool:
    """tf-onednn-bf16-conv3d-grad-weight-kernel-past-input's geometry: an undilated 3-d layer under TF's own 'SAME'
    (tf.nn.conv3d; dilated layers go through tf.nn.convolution's space-to-batch and are right) whose kernel is
    larger than the input on some axis (so some taps meet only padding)."""
    return (config.ndim == 3 and tf_same(config) and all(d == 1 for d in config.dilation)
            and any(k > n for k, n in zip(config.kernel_size, config.input_size)))


def tf_onednn_bf16_explicit_pad_segfault(config) -> bool:
    """tf-onednn-bf16-explicit-pad-segfault's geometry (from 22 crashing configs): tf.nn.conv2d's explicit pairs
    (lopsided zero padding, 2-d), input height 1, a 1-wide kernel and an output column that reads only padding."""
    return (config.ndim == 2 and not config.transposed and config.padding_mode == "zeros"
            and "asymmetric-padding" in config.general_features() and config.input_size[0] == 1
            and config.kernel_size[-1] == 1 and not _every_output_reads_input(config, 1))


KNOWN_ISSUES = [
    KnownIssue(
        key="onednn-bf16-ftz",
        backends=TORCH_ONEDNN_BF16,
        dtypes=("bfloat16",),
        # the Slow* paths compute by im2col and GEMM, and on CPUs with AVX-512 torch runs bfloat16 GEMMs in
        # oneDNN (mkldnn_bf16_gemm): SlowTranspose3d's grad_weight flushed subnormal data the same way
        kernel_paths=BRGEMM_PATHS + ("Slow2d", "Slow3d", "SlowDilated2d", "SlowDilated3d", "SlowTranspose2d",
                                     "SlowTranspose3d"),
        summary="oneDNN bfloat16 convolution flushes subnormal inputs and results to zero (FTZ/DAZ), and so do "
                "torch's im2col+GEMM paths, whose bfloat16 GEMMs oneDNN runs on AVX-512 CPUs; IEEE gradual "
                "underflow requires them (found by convconf; conforms once the oracle flushes too). Some kernels "
                "flush results only and read subnormal inputs as they are (FTZ without DAZ: a transposed "
                "convolution in the 1-thread thorough certification on an AMD Zen 4), which the key claims too. Seen "
                "in the native bfloat16 kernels (jit_bf16:avx512_core_bf16 on a Zen 4, AMX on a Sapphire Rapids "
                "Xeon) and in 2 rows of a Sapphire Rapids certification under ONEDNN_MAX_CPU_ISA=AVX512_CORE; on a "
                "Zen 4 under "
                "AVX512_CORE_VNNI and AVX512_CORE (emulated jit_bf16:avx512_core) the reduced reproducers conform",
        reproducer="python -m conformance repro --backend torch-cpu --dtype bfloat16 --kind adversarial --seed 1 "
                   "--config \"ConvConfig(ndim=1, batch=1, in_channels=3, out_channels=1, groups=1, input_size=(2,), "
                   "kernel_size=(1,), stride=(1,), padding=(0,), dilation=(1,), padding_mode='zeros', bias=False, "
                   "transposed=False, output_padding=None)\"",
        kinds=("adversarial", "subnormal"),
    ),
    KnownIssue(
        key="onednn-bf16-nan-leak",
        backends=TORCH_ONEDNN_BF16,
        dtypes=("bfloat16",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN bfloat16 convolution (forward and transposed, any memory format) turns outputs near a "
                "non-finite input into NaN, including outputs that never read it and outputs whose exact value is "
                "+-inf; every other element conforms. Reduced by convconf to a 1x8 input and a 1x3 kernel",
        reproducer="python -c \"import torch,torch.nn.functional as F; x=torch.ones(1,1,1,8,dtype=torch.bfloat16); "
                   "x[0,0,0,5]=-float('inf'); w=torch.tensor([[[[0.,1.,1.]]]],dtype=torch.bfloat16); "
                   "print(F.conv2d(x,w,padding=(0,1)).float())\"  # torch 2.13.0+cpu prints [2, 2, 2, nan, nan, "
                   "nan, nan, 1]; IEEE (float64, or oneDNN disabled) gives [2, 2, 2, 2, -inf, -inf, nan, 1]",
        hypothesis="nan-leak",
        kinds=NONFINITE_KINDS,
    ),
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
        reproducer="python -m conformance repro --backend torch-cpu --dtype bfloat16 --kind adversarial --seed 0 "
                   "--config \"ConvConfig(ndim=3, batch=1, in_channels=1, out_channels=2, groups=1, "
                   "input_size=(3, 4, 6), kernel_size=(2, 4, 4), stride=(1, 2, 1), padding=(0, 0, 0), "
                   "dilation=(1, 1, 2), padding_mode='zeros', bias=True, transposed=True, "
                   "output_padding=(0, 0, 1))\"",
        hypothesis="wrong-values",
        when=lambda config: config.ndim == 3 and config.transposed,
        kinds=("adversarial", "nonfinite"),
        platform=runs(BF16_FORWARD, "*"),
    ),
    KnownIssue(
        key="onednn-grouped-channels-last-size1-strided-weight",
        backends=TORCH_CPU,
        dtypes=("float32", "bfloat16"),  # float16 reaches oneDNN only on AVX512-FP16 CPUs: not seen there
        kernel_paths=BRGEMM_PATHS,
        summary="torch's oneDNN convolution (torch 2.13.0 and 2.14.1 CPU, oneDNN 3.12), grouped, with a channels-last "
                "input and a weight whose memory is channels-last but whose size-1 spatial axis has another stride "
                "than channels-last gives it (what permuting or re-striding such a weight leaves), reads the weight "
                "as if it were contiguous (ONEDNN_VERBOSE: the weight reorder's source is blocked:abcde): wrong "
                "forward, transposed and grad_input values (grad_weight is right); either tensor contiguous or "
                "canonical channels-last, groups 1, or oneDNN off is right, under every ISA cap and thread count. "
                "Found by convconf's thorough certification of torch-cpu-mixed-layouts (13 rows) on an AMD EPYC "
                "(Zen 4)",
        reproducer="python -c \"import torch,torch.nn.functional as F; x=torch.arange(8.).reshape(1,4,2,1).contiguous("
                   "memory_format=torch.channels_last); w=torch.arange(16.).reshape(4,2,2,1).permute(0,2,1,3); "
                   "print(F.conv2d(x,w,groups=2).flatten().tolist())\"  # prints [14, 38, 214, 302]; exact: "
                   "[13, 37, 213, 301] (w's strides (4, 1, 2, 1): channels-last would be (4, 1, 2, 2))",
        hypothesis="wrong-values",
        when=lambda config: config.groups > 1,
        layouts=channels_last_input_odd_weight(2),
        directions=("forward", "grad_input", "transposed", "transposed_grad_input"),
    ),
    KnownIssue(
        key="onednn-padding-only-width-segfault",
        backends=TORCH_CHANNELS_LAST_CPU,
        dtypes=("float32",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's brg_conv_fwd (torch 2.13.0 CPU, oneDNN 3.12; channels-last float32 convolution with bias) "
                "segfaults when no output along the last spatial axis reads the input, some window lies wholly "
                "left and some wholly right of it, and the width dilation exceeds the input width: e.g. input "
                "width 1, a 1-wide kernel with dilation 2, stride 2, padding 1; or a 2-wide kernel, dilation 2, "
                "stride 3, padding 4 (2-d and 3-d, forward and gradients). Found by convconf's padding-only family "
                "on an AVX2 AMD EPYC, then on a Sapphire Rapids Xeon under every oneDNN ISA cap (AVX2 to AMX): "
                "not AVX2-only, as its first key said (onednn-avx2-padding-only-width-segfault). Contiguous "
                "tensors, no bias, or the same geometry on the height axis do not crash",
        reproducer="python -c \"import torch,torch.nn.functional as F; cl=torch.channels_last; "
                   "x=torch.ones(2,2,2,1).contiguous(memory_format=cl); w=torch.ones(1,2,1,1).contiguous("
                   "memory_format=cl); print(F.conv2d(x,w,torch.ones(1),stride=(1,2),padding=(0,1),dilation=(1,2)))"
                   "\"  # exit 139 (SIGSEGV); expected a 2x1x2x2 tensor of ones (the bias: every window is padding)",
        hypothesis="crash",
        when=lambda config: config.bias and padding_only_width(config),
        layouts=channels_last_route,
    ),
    KnownIssue(
        key="onednn-fp16-padding-only-width-segfault",
        backends=TORCH_CPU + TORCH_COMPILED_CPU,
        dtypes=("float16",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's brg_conv_fwd:avx10_1_512 (float16, CPUs with AVX512-FP16; torch 2.13.0, oneDNN 3.12) "
                "segfaults on the same last-axis geometry as onednn-padding-only-width-segfault (no output reads "
                "the input, windows wholly left and right of it, width dilation > input width), in any memory "
                "format, 1-d to 3-d, with or without bias; at 1 thread every such call, at 2 threads most "
                "(batch >= 2 always). Capping oneDNN at AVX512_CORE_BF16 or below avoids it (torch then leaves "
                "float16 to its own kernels). Found by convconf on a Sapphire Rapids Xeon: a 1-thread pytest worker "
                "died on it",
        reproducer="OMP_NUM_THREADS=1 python -c \"import torch,torch.nn.functional as F; d=torch.float16; "
                   "print(F.conv1d(torch.ones(1,1,1,dtype=d),torch.ones(1,1,1,dtype=d),torch.ones(1,dtype=d),"
                   "stride=2,padding=1,dilation=2))\"  # exit 139 (SIGSEGV); expected [[[1., 1.]]] (the bias)",
        hypothesis="crash",
        when=padding_only_width,
        platform=runs(F16_FORWARD, *AVX512),
    ),
    KnownIssue(
        key="onednn-bf16-padding-only-width-segfault",
        backends=TORCH_CHANNELS_LAST_CPU,
        dtypes=("bfloat16",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's brg_conv_fwd (bfloat16, channels-last, CPUs with AVX512-BF16 and up; torch 2.13.0, "
                "oneDNN 3.12) segfaults on the last-axis geometry of onednn-padding-only-width-segfault (2-d and "
                "3-d); capping oneDNN at AVX512_CORE avoids it. Found by convconf on a Sapphire Rapids Xeon",
        reproducer="python -c \"import torch,torch.nn.functional as F; cl=torch.channels_last; b=torch.bfloat16; "
                   "x=torch.ones(2,2,2,1,dtype=b).contiguous(memory_format=cl); w=torch.ones(1,2,1,1,dtype=b)"
                   ".contiguous(memory_format=cl); print(F.conv2d(x,w,None,stride=(1,2),padding=(0,1),"
                   "dilation=(1,2)))\"  # exit 139 (SIGSEGV); expected zeros (every window is padding)",
        hypothesis="crash",
        when=padding_only_width,
        layouts=channels_last_route,
        platform=runs(Probe("bfloat16", "forward_training", (2, 2, 2, 1), (1, 2, 1, 1),
                                channels_last=("input", "weight")), *BF16_NATIVE),
    ),
    KnownIssue(
        key="onednn-amx-bf16-padding-only-segfault",
        backends=TORCH_CPU + TORCH_COMPILED_CPU,
        dtypes=("bfloat16",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's brg_conv_fwd:avx10_1_512_amx (bfloat16 on AMX; torch 2.13.0, oneDNN 3.12) segfaults "
                "when, along the depth or height axis, every window straddles the input without a tap on it: "
                "input depth 1 under a depth kernel of 2 with dilation 2 and padding 1, in the forward convolution "
                "and in grad_input of a transposed one; any memory format and thread count. padding='same' with "
                "dilation reaches it too (ATen pads the odd extra element with F.pad and hands the rest to "
                "oneDNN), as the thorough certification found: 4 crash rows. Some small channel counts and "
                "depthwise layers take other kernels and survive; any oneDNN ISA cap below AMX avoids it. Found "
                "by convconf on a Sapphire Rapids Xeon",
        reproducer="python -c \"import torch,torch.nn.functional as F; b=torch.bfloat16; "
                   "print(F.conv3d(torch.ones(1,4,1,4,4,dtype=b),torch.ones(6,2,2,2,2,dtype=b),None,stride=(2,1,1),"
                   "padding=(1,1,1),dilation=(2,1,1),groups=2))\"  # exit 139 (SIGSEGV); expected a 1x6x1x5x5 "
                   "tensor (both depth taps read padding: every output is 0)",
        hypothesis="crash",
        when=amx_bf16_padding_only_segfault,
        directions=("forward", "grad_input", "transposed_grad_input"),
        platform=runs(BF16_FORWARD, *AMX),
    ),
    KnownIssue(
        key="onednn-amx-bf16-wrong-rows",
        backends=TORCH_CPU + TORCH_COMPILED_CPU,
        dtypes=("bfloat16",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's brg_conv_fwd:avx10_1_512_amx (bfloat16 on AMX; torch 2.13.0, oneDNN 3.12) returns "
                "wrong output rows, exact data or not: (1) output width 1 with a width stride >= 2 and a kernel "
                "at least 2 wide: the first row of each work block is right and the later ones wrong (which rows "
                "depends on the thread count); (2) 3-d with input depth 1 under a depth kernel >= 2, with odd or "
                "fewer than 16 channels per group: whole depth planes wrong. Forward, and grad_input of a "
                "transposed convolution; any memory format; capping oneDNN below AMX, float16 and float32 are "
                "right. Found by convconf on a Sapphire Rapids Xeon",
        reproducer="OMP_NUM_THREADS=1 python -c \"import torch,torch.nn.functional as F; b=torch.bfloat16; "
                   "x=torch.arange(24.).reshape(1,1,8,3).repeat(1,3,1,1); w=torch.ones(3,3,2,3); "
                   "print(F.conv2d(x.to(b),w.to(b),stride=(1,2)).flatten()[:7].tolist())\"  # prints [45, 84, 207, "
                   "192, 368, 69, 0]; exact: [45, 99, 153, 207, 261, 315, 369]",
        hypothesis="wrong-values",
        when=amx_bf16_wrong_rows,
        directions=("forward", "transposed_grad_input"),
        platform=runs(BF16_FORWARD, *AMX),
    ),
    KnownIssue(
        key="onednn-amx-bf16-grad-weight-uninitialised",
        backends=TORCH_CPU + TORCH_COMPILED_CPU,
        dtypes=("bfloat16",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's brgconv_bwd_w:avx10_1_512_amx (bfloat16 on AMX; torch 2.13.0, oneDNN 3.12) leaves "
                "uninitialised memory in grad_weight for the taps that only ever meet padding when the width "
                "stride exceeds the input width (dilation 1, kernel >= 2 wide, 1 <= padding < kernel): values "
                "like 4.2e18 where 0 is exact, changing with the process's history (MALLOC_PERTURB_=165 makes it "
                "fail every time); 1-d to 3-d, plain and transposed, any thread count. Found by convconf on a "
                "Sapphire Rapids Xeon",
        reproducer="MALLOC_PERTURB_=165 python -c \"import torch,torch.nn.functional as F; x=torch.ones(3,3,1,"
                   "dtype=torch.bfloat16,requires_grad=True); w=torch.ones(1,3,2,dtype=torch.bfloat16,"
                   "requires_grad=True); F.conv1d(x,w,stride=2,padding=1).sum().backward(); "
                   "print(w.grad.flatten().tolist())\"  # prints garbage such as [2.6e-18, 3, 4.2e18, 3, 0, 3]; "
                   "exact: [0, 3, 0, 3, 0, 3]",
        hypothesis="uninitialised",
        when=amx_bf16_grad_weight_uninitialised,
        directions=("grad_weight", "transposed_grad_weight"),
        platform=runs(Probe("bfloat16", "backward_weights", (3, 3, 4), (1, 3, 2)), *AMX),
    ),
    KnownIssue(
        key="onednn-amx-bf16-grad-input-uninitialised",
        backends=TORCH_CPU + TORCH_COMPILED_CPU,
        dtypes=("bfloat16",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's AMX bfloat16 backward-data convolution (torch 2.13.0, oneDNN 3.12) leaves uninitialised "
                "memory in grad_input at the input elements no window reads (exactly 0 in IEEE arithmetic): seen in "
                "3-d with a depth stride of 2 over a depth-3 input and a width stride of 2 over widths of 17 and "
                "more (1 channel); every element some window reads is right. With replicate (reflect, circular) "
                "padding ATen pads explicitly, so the stale values of the padded input's unread elements fold into "
                "the input elements they copy (the Sapphire Rapids thorough certification: NaN where -5.7e-42 is "
                "exact, 3-d replicate gradients on subnormal data). oneDNN runs a transposed convolution's forward "
                "as this backward-data kernel, and its output elements no product reaches (output_padding planes, "
                "the gaps of a stride larger than the kernel) came back 0 where the bias alone is exact (the same "
                "certification: 3-d transposed strided, overflow data, 0 vs -1.3e37; it depends on the process's "
                "history and did not reproduce alone). Capping oneDNN at AVX512_CORE_BF16 avoids it. The known "
                "issue excuses exactly the unreached elements and judges the rest. Found by convconf's "
                "certification on a Sapphire Rapids Xeon",
        reproducer="MALLOC_PERTURB_=165 python -c \"import torch,torch.nn.functional as F; b=torch.bfloat16; "
                   "x=torch.randn(1,1,3,1,29).to(b).requires_grad_(); w=torch.randn(1,1,2,1,1).to(b); "
                   "y=F.conv3d(x,w,None,stride=(2,1,2)); y.backward(torch.randn_like(y)); "
                   "print(x.grad[...,1::2].abs().max())\"  # the odd columns are read by no window: exactly 0 "
                   "expected, garbage printed",
        hypothesis="uninitialised",
        directions=("grad_input", "transposed"),
        platform=runs(Probe("bfloat16", "backward_data", (1, 1, 3, 1, 29), (1, 1, 2, 1, 1)), *AMX),
    ),
    KnownIssue(
        key="onednn-amx-bf16-transposed-unreached-segfault",
        backends=TORCH_CPU + TORCH_COMPILED_CPU,
        dtypes=("bfloat16",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's AMX bfloat16 transposed convolution (backward-data; torch 2.13.0, oneDNN 3.12) segfaults "
                "on some configs where, along the height (or depth) axis at stride 1, no input reaches any output: "
                "every tap lands in the cropped padding (e.g. height 1, kernel 2 with dilation 16, padding 3: the "
                "taps land on -3 and 13 of an 11-row output). Which of these crash depends on the channels and the "
                "width kernel as well, so the key claims every such geometry (a crash claim explains a dead "
                "process, never a value). Capping oneDNN below AMX avoids it. Found by convconf's certification "
                "on a Sapphire Rapids Xeon",
        reproducer="python -c \"import torch,torch.nn.functional as F; b=torch.bfloat16; "
                   "print(F.conv_transpose2d(torch.ones(1,1,1,1,dtype=b),torch.ones(1,2,2,3,dtype=b),None,1,(3,0),"
                   "0,1,(16,2)).shape)\"  # exit 139 (SIGSEGV); expected torch.Size([1, 2, 11, 5]) of zeros",
        hypothesis="crash",
        when=amx_bf16_transposed_unreached,
        directions=("transposed", "transposed_grad_input"),
        platform=runs(BF16_BACKWARD_DATA, *AMX),
    ),
    KnownIssue(
        key="onednn-avx512-f32-depth-stride-grad-weight",
        backends=TORCH_ONEDNN_BF16,
        dtypes=("float32",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's jit:avx512_core backward-weights convolution (float32, 3-d; torch 2.13.0, oneDNN 3.12) "
                "puts the products of a batch of 2 or more on the wrong depth taps when the depth stride is 2 or "
                "more and the depth padding exceeds it (grad_weight [0, 3, 10, 7] where [6, 4, 6, 4] is exact, the "
                "same total); 2-d, batch 1, the height and width axes, and AVX2 (x64:gemm:jit) are right. Larger "
                "kernels corrupt the heap (onednn-avx512-f32-depth-stride-heap-corruption). Found by convconf's "
                "thorough certification of torch-cpu (float32 3-d gradients, strided) on a Sapphire Rapids Xeon; "
                "the same on an AMD EPYC (Zen 4, AVX-512), where torch-cpu-mixed-layouts also showed it at batch 1 "
                "for a grouped convolution with a channels-last input (x=torch.ones(1,2,2,1,1).contiguous("
                "memory_format=torch.channels_last_3d); w=torch.ones(2,1,4,1,1); stride (2,1,1), padding (3,0,0), "
                "groups 2: garbage or a heap-corruption abort)",
        reproducer="python -c \"import torch,torch.nn.functional as F; x=torch.arange(1.,5.).reshape(2,1,2,1,1); "
                   "w=torch.ones(1,1,4,1,1,requires_grad=True); F.conv3d(x,w,stride=(2,1,1),padding=(3,0,0)).sum()"
                   ".backward(); print(w.grad.flatten().tolist())\"  # prints [0, 3, 10, 7]; exact: [6, 4, 6, 4]",
        hypothesis="wrong-values",
        when=avx512_f32_depth_stride,
        layouts=depth_stride_batches,
        directions=("grad_weight", "transposed_grad_weight"),
        platform=runs(F32_DEPTH_STRIDE, *AVX512),
    ),
    KnownIssue(
        key="onednn-avx512-f32-depth-stride-heap-corruption",
        backends=TORCH_ONEDNN_BF16,
        dtypes=("float32",),
        kernel_paths=BRGEMM_PATHS,
        summary="the geometry of onednn-avx512-f32-depth-stride-grad-weight with longer depth kernels makes "
                "oneDNN's jit:avx512_core backward-weights write out of bounds: glibc aborts ('corrupted size vs. "
                "prev_size'), the process segfaults, or it hangs in malloc (2 threads); or the call returns and a "
                "later call in the same process dies (a bfloat16 3-d gradient under the AVX512_CORE cap on a "
                "Sapphire Rapids Xeon, a float32 one at 1 thread on an AMD Zen 4: both ran clean alone), which "
                "convconf's fresh-process re-run charges to this key",
        reproducer="python -c \"import torch,torch.nn.functional as F; x=torch.ones(2,1,4,1,1); "
                   "w=torch.ones(1,1,7,1,1,requires_grad=True); F.conv3d(x,w,stride=(4,1,1),padding=(6,0,0)).sum()"
                   ".backward(); print(w.grad.flatten().tolist())\"  # exact: [2.0] * 7; prints values that change "
                   "from run to run ([0, 0, nan, 1, 3, 3, nan], [0, 0, 1, 1, 3, 3, 3]): it reads and writes out of "
                   "bounds, and with other data the process aborts or segfaults",
        hypothesis="crash",
        hangs=True,
        when=avx512_f32_depth_stride,
        layouts=depth_stride_batches,
        platform=runs(F32_DEPTH_STRIDE, *AVX512),
    ),
    KnownIssue(
        key="onednn-fp16-near-2-32-dilation-sigfpe",
        backends=TORCH_CPU + TORCH_COMPILED_CPU,
        dtypes=("float16",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's float16 convolution (AVX512-FP16 CPUs; torch 2.13.0, oneDNN 3.12) kills the process with "
                "SIGFPE (an integer division by zero) when a kernel of 3 or more taps spans (k-1)*d within 4 of "
                "2**32 (e.g. kernel 3 with dilation 2**31 - 1 and padding 2**31 - 1), any layout, grouped or not; "
                "a 2-tap kernel or a span of 2**32 and more run and are right, and so does float16 with oneDNN "
                "capped at AVX512_CORE_BF16. A cousin of onednn-grouped-huge-dilation-sigfpe (float32, "
                "channels-last). Found by convconf's extreme family on a Sapphire Rapids Xeon",
        reproducer="python -c \"import torch,torch.nn.functional as F; h=torch.float16; B=2**31-1; "
                   "print(F.conv2d(torch.ones(1,2,1,4,dtype=h),torch.ones(2,2,1,3,dtype=h),padding=(0,B),"
                   "dilation=(1,B)))\"  # exit 136 (SIGFPE); expected a 1x2x1x4 tensor of 2s (centre taps only)",
        hypothesis="crash",
        when=near_2_32_extent,
        platform=runs(F16_FORWARD, *AVX512),
    ),
    KnownIssue(
        key="onednn-grouped-huge-dilation-sigfpe",
        backends=TORCH_CHANNELS_LAST_CPU,
        dtypes=("float32", "bfloat16"),
        kernel_paths=("Mkldnn",),
        summary="oneDNN (torch 2.13.0 CPU, channels-last float32, AVX2) kills the process with SIGFPE (an integer "
                "division) on a grouped convolution whose dilated kernel extent reaches 2**32 - 1: kernel 3 with "
                "dilation 2**31 - 1 (and padding 2**31 - 1, so the output is small), groups >= 2 except plain "
                "depthwise (in and out channels per group both 1), forward and gradients, 2-d and 3-d. Contiguous "
                "tensors, groups 1, depthwise with multiplier 1, or extent 3 * 2**30 run and are correct. Found by "
                "convconf's extreme family in a thorough certification of torch-cpu-channels-last. On an AMD EPYC "
                "(Zen 4) the same in bfloat16 (brgemm_convolution_utils' select_ic_block, at primitive creation), "
                "with only the weight channels-last (torch-cpu-mixed-layouts' thorough certification; the input's "
                "layout does not matter); there groups 1 with batch 2 and 3 channels dies too (not claimed: no "
                "certification row has shown it)",
        reproducer="python -c \"import torch,torch.nn.functional as F; cl=torch.channels_last; B=2**31-1; "
                   "x=torch.ones(1,2,1,4).contiguous(memory_format=cl); w=torch.ones(4,1,1,3).contiguous("
                   "memory_format=cl); print(F.conv2d(x,w,padding=(0,B),dilation=(1,B),groups=2))\"  # exit 136 "
                   "(SIGFPE); expected a 1x4x1x4 tensor of ones (only the centre tap meets the input)",
        hypothesis="crash",
        # tested: extent (k-1)*d = 2**32 - 2 crashes, 3 * 2**30 does not; claimed from the crashing size up
        when=lambda config: not config.transposed and config.groups >= 2
        and (config.in_channels > config.groups or config.out_channels > config.groups)
        and any((k - 1) * d >= 2**32 - 2 for k, d in zip(config.kernel_size, config.dilation)),
        layouts=channels_last_route,
    ),
    KnownIssue(
        key="nnpack-ftz",
        backends=("torch-cpu-nomkldnn",),
        dtypes=("float32",),
        kernel_paths=("NnpackSpatial",),
        summary="torch CPU's NNPACK convolution (float32, oneDNN off, batch >= 16: kernel path NnpackSpatial) "
                "flushes subnormal inputs and results to zero (FTZ/DAZ); IEEE gradual underflow requires them, and "
                "batch 15 of the same call keeps them. Found by convconf's batch-blocks family (torch 2.13.0)",
        reproducer="python -c \"import torch,torch.nn.functional as F; x=torch.full((16,1,1),2.0**-70); "
                   "torch.backends.mkldnn.enabled=False; print(F.conv1d(x,x[:1]).flatten()[:2])\"  # prints "
                   "[0, 0]; IEEE (and batch 15) gives 2**-140 = 7.17e-43",
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
        reproducer="python -m conformance repro --backend torch-cpu-nomkldnn --dtype float32 --kind random --seed 0 "
                   "--config \"ConvConfig(ndim=2, batch=16, in_channels=3, out_channels=5, groups=1, "
                   "input_size=(8, 8), kernel_size=(1, 1), stride=(1, 1), padding=(0, 0), dilation=(1, 1), "
                   "padding_mode='zeros', bias=True, transposed=False, output_padding=None)\"",
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
        reproducer="python -c \"import torch,torch.nn.functional as F; torch.backends.mkldnn.enabled=False; "
                   "x=torch.ones(16,1,4); x[1,0,2]=float('inf'); print(F.conv1d(x,torch.ones(1,1,1))[1])\"  "
                   "# prints [[nan, nan, nan, nan]]; IEEE gives [[1, 1, inf, 1]]",
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
        reproducer="python -c \"import torch,torch.nn.functional as F; torch.backends.mkldnn.enabled=False; "
                   "x=torch.full((16,1,2),-2.0**62); w=torch.full((1,1,2),2.0**62); "
                   "print(F.conv1d(x,w)[0])\"  # prints [[nan]] (or -inf); exact -2**125 = -4.25e37 is finite",
        hypothesis="transform-overflow",
        kinds=("overflow", "adversarial"),
    ),
    KnownIssue(
        key="xla-cpu-ftz",
        backends=("jax", "jax-default"),
        dtypes=("float64", "float32", "float16", "bfloat16"),
        kernel_paths=("xla-cpu",),
        summary="XLA:CPU runs with denormals-are-zero and flush-to-zero set, so subnormal inputs and results "
                "of a JAX convolution become zero (inf * subnormal weight gives NaN). JAX documents this as "
                "intended (jax-ml/jax#16200, 'sharp bits' jax-ml/jax#26668); IEEE gradual underflow requires "
                "them (conforms once the oracle flushes too)",
        reproducer="python -c \"import jax.numpy as jnp; from jax import lax; "
                   "print(lax.conv_general_dilated(jnp.array([[[jnp.inf]]]), jnp.array([[[1e-45]]]), (1,), "
                   "[(0, 0)]))\"  # jax 0.10.2 CPU prints [[[nan]]]; IEEE gives inf (1e-45 is a float32 subnormal)",
    ),
    KnownIssue(
        key="tf-cpu-ftz",
        backends=("tensorflow-cpu",),
        dtypes=("float64", "float32", "float16", "bfloat16"),
        kernel_paths=("tf-cpu-onednn", "tf-cpu-eigen"),
        summary="TensorFlow's CPU thread pools run ops with denormals-are-zero and flush-to-zero set "
                "(tsl::port::ScopedFlushDenormal; XLA:CPU copies the setting 'to match the default TF ThreadPool "
                "behavior'), so subnormal inputs and results of a convolution become zero; IEEE gradual underflow "
                "requires them (conforms once the oracle flushes too)",
        reproducer="python -c \"import tensorflow as tf; print(tf.nn.convolution(tf.constant([[[-2e-323]]], "
                   "tf.float64), tf.constant([[[0.5]]], tf.float64)).numpy())\"  # tensorflow-cpu 2.21.0 prints "
                   "[[[0.]]]; IEEE gives [[[-1e-323]]]",
    ),
    KnownIssue(
        key="tf-onednn-bf16-nan-leak",
        backends=("tensorflow-cpu",),
        dtypes=("bfloat16",),
        kernel_paths=("tf-cpu-onednn",),
        summary="TensorFlow's oneDNN bfloat16 convolution turns the neighbours of a NaN or inf input into NaN, "
                "even with a 1x1 kernel that never reads them; with TF_ENABLE_ONEDNN_OPTS=0 (Eigen) it conforms. "
                "Found by convconf (tensorflow-cpu 2.21.0)",
        reproducer="python -c \"import tensorflow as tf; x=tf.constant([[[1.], [float('inf')], [1.], [1.]]], "
                   "tf.bfloat16); print(tf.cast(tf.nn.convolution(x, tf.ones((1, 1, 1), tf.bfloat16)), "
                   "tf.float32).numpy().ravel())\"  # prints [nan inf 1 1]; IEEE (and TF_ENABLE_ONEDNN_OPTS=0) "
                   "gives [1 inf 1 1]",
        hypothesis="nan-leak",
    ),
    KnownIssue(
        key="tf-onednn-strided-pitch-garbage",
        backends=("tensorflow-cpu",),
        dtypes=("float32", "bfloat16"),
        kernel_paths=("tf-cpu-onednn",),
        summary="TensorFlow's oneDNN Conv2D and Conv3D (brg_conv_fwd; float32, bfloat16) with one input channel "
                "per group, one output column (width) reached with a width stride > 1 and a kernel at least 2 "
                "wide, height stride 1 and 2 or more output rows reads the second and later rows at a wrong "
                "pitch, past the input into uninitialised memory (seen: 2.3e-37, -1.5e+30, 2.8e+24, 0 where 9 is "
                "exact; it changes with the thread split and with what ran before); any number of output "
                "channels, grouped 2-d too (one input and 2+ output channels per group; one output channel per "
                "group is right), SAME, VALID or tf.pad padding (tf.nn.conv2d's own pairs only where every output "
                "row and column reads the input); float64, float16 and TF_ENABLE_ONEDNN_OPTS=0 are right; 2 or "
                "more input channels per group, a 1-wide kernel or a height stride do not show it. Found by "
                "convconf (tensorflow-cpu 2.21.0) in 3-d (key tf-onednn-conv3d-strided-garbage, about 100k "
                "configs swept); the AMD Zen 4 thorough re-run found it in 2-d (13 forward rows), and a sweep of "
                "about 350k 2-d (config, dtype) runs gave this geometry with no false negative",
        reproducer="python -c \"import tensorflow as tf; x=tf.reshape(tf.range(1., 13.), (2, 2, 3, 1)); "
                   "print(tf.nn.conv2d(x, tf.ones((1, 2, 1, 1)), strides=[1, 1, 3, 1], "
                   "padding='VALID').numpy().ravel())\"  "
                   "# e.g. [3, 0, 15, 0] or [3, -1.9e+10, 15, -1.9e+10]; exact: [3, 9, 15, 21]",
        hypothesis="wrong-values",
        when=tf_onednn_one_channel_pitch,
    ),
    KnownIssue(
        key="tf-onednn-bf16-explicit-pad-segfault",
        backends=("tensorflow-cpu",),
        dtypes=("bfloat16",),
        kernel_paths=("tf-cpu-onednn",),
        summary="TensorFlow's oneDNN bfloat16 tf.nn.conv2d with explicit padding pairs kills the process (SIGSEGV, "
                "every time in a fresh process) for an input of height 1, a 1-wide kernel and an output column that "
                "reads only padding; float32 and TF_ENABLE_ONEDNN_OPTS=0 are right. Found by convconf's triage "
                "sweep of the strided-pitch garbage (22 crashing configs of that geometry; a fork probe of 256 "
                "configs crashed 2, so the geometry is not pinned down further)",
        reproducer="python -c \"import tensorflow as tf; b=tf.bfloat16; print(tf.nn.conv2d(tf.ones((1,1,1,1),b), "
                   "tf.ones((1,1,1,1),b), strides=1, padding=[[0,0],[0,0],[0,1],[0,0]]))\"  "
                   "# exit 139; exact [[1],[0]] (shape (1, 1, 2, 1))",
        hypothesis="crash",
        when=tf_onednn_bf16_explicit_pad_segfault,
    ),
    KnownIssue(
        key="tf-eigen-conv3d-same-stride-offset",
        backends=("tensorflow-cpu",),
        dtypes=("float64", "float16"),
        kernel_paths=("tf-cpu-onednn", "tf-cpu-eigen"),
        summary="TensorFlow's Eigen Conv3D (the float64 and float16 kernels, and every dtype with "
                "TF_ENABLE_ONEDNN_OPTS=0; tensorflow-cpu 2.21.0) with padding 'SAME' shifts the window when a "
                "stride exceeds what the kernel needs, i.e. (ceil(n/s)-1)*s + extent - n <= -2 on some axis: its "
                "volume-patch code keeps that negative 'padding' and starts the window (-raw)//2 elements to the "
                "right (deterministic: [2] where [1] is exact). VALID, conv1d/conv2d, gradients and oneDNN's "
                "float32/bfloat16 are right. Found by convconf's same-upper rows of tensorflow-cpu",
        reproducer="python -c \"import tensorflow as tf; x=tf.reshape(tf.constant([1.,2.,3.],tf.float64),(1,1,1,3,1)); "
                   "print(tf.nn.conv3d(x,tf.ones((1,1,1,1,1),tf.float64),[1,1,1,3,1],'SAME').numpy().ravel())\"  "
                   "# prints [2.]; exact [1.]",
        hypothesis="wrong-values",
        when=lambda config: config.ndim == 3 and tf_same(config) and same_slack(config) <= -2,
        directions=("forward",),
    ),
    KnownIssue(
        key="tf-onednn-bf16-conv3d-depth-1-same",
        backends=("tensorflow-cpu",),
        dtypes=("bfloat16",),
        kernel_paths=("tf-cpu-onednn",),
        summary="TensorFlow's oneDNN bfloat16 Conv3D with one input channel, an input depth of 1 under a depth "
                "kernel of 3 or more (padded on both sides by TF's own 'SAME') and a kernel at least 2 wide "
                "returns garbage that changes from call to call (7.1e28, 0, 3e-20 where 1 is exact); a 1-wide "
                "kernel, depth >= 2, tf.pad + VALID, float32 and oneDNN off are right. Found by convconf's "
                "same-upper rows of tensorflow-cpu 2.21.0",
        reproducer="python -c \"import tensorflow as tf; b=tf.bfloat16; print([tf.cast(tf.nn.conv3d("
                   "tf.ones((1,1,1,1,1),b),tf.ones((3,1,2,1,1),b),[1]*5,'SAME'),tf.float32).numpy().ravel() "
                   "for _ in range(3)])\"  "
                   "# e.g. [7.1e28, 0, 3e-20]; exact [1.]",
        hypothesis="wrong-values",
        when=lambda config: config.ndim == 3 and tf_same(config) and config.in_channels == 1
        and config.input_size[0] == 1 and config.kernel_size[0] >= 3 and config.kernel_size[2] >= 2,
        directions=("forward",),
    ),
    KnownIssue(
        key="tf-onednn-bf16-grad-weight-uninitialised",
        backends=("tensorflow-cpu",),
        dtypes=("bfloat16",),
        kernel_paths=("tf-cpu-onednn",),
        summary="TensorFlow's oneDNN bfloat16 backward-weights convolution under TF's own 'SAME' padding never "
                "writes the grad_weight taps that only ever meet padding when, on the last spatial axis, both the "
                "stride and the kernel exceed the input (one output there) and there are 2 or more input channels "
                "per group: they hold whatever the memory held (MALLOC_PERTURB_=165 makes them 1.53e16 every "
                "time); every reached tap is right; float32, tf.pad + VALID and oneDNN off are right (sweeps of "
                "3,400 configs, 1-d to 3-d). The TensorFlow sibling of torch's onednn-bf16-channels-last-grad-"
                "weight-uninitialised. Found by convconf's same-upper gradient rows of tensorflow-cpu 2.21.0",
        reproducer="MALLOC_PERTURB_=165 python -c $'import tensorflow as tf; b=tf.bfloat16; x=tf.ones((1,1,2),b); "
                   "w=tf.ones((2,2,1),b)\\nwith tf.GradientTape() as t: t.watch(w); y=tf.nn.convolution(x,w,"
                   "strides=2,padding=\"SAME\")\\nprint(tf.cast(t.gradient(y,w),tf.float32).numpy().ravel())'  "
                   "# [1, 1, 1.53e16, 1.53e16]; exact [1, 1, 0, 0]",
        hypothesis="uninitialised",
        when=lambda config: tf_same(config) and config.in_channels // config.groups > 1
        and config.stride[-1] > config.input_size[-1] and config.kernel_size[-1] > config.input_size[-1],
        directions=("grad_weight",),
    ),
    KnownIssue(
        key="tf-onednn-bf16-grad-weight-reads-past-input",
        backends=("tensorflow-cpu",),
        dtypes=("bfloat16",),
        kernel_paths=("tf-cpu-onednn",),
        summary="TensorFlow's oneDNN bfloat16 backward-weights convolution computes one output position more "
                "than there is when the output count is odd (a zero gradient times the input element there): "
                "inside the input a NaN that no product reads turns grad_weight NaN (tf-onednn-bf16-nan-leak's "
                "territory); with one input channel, a last-axis stride > 1 and one output there, the extra "
                "position lies past the input's end, so a finite input can get NaN from whatever memory follows "
                "it (about 1 call in 7,000; the certification's worker met it after nonfinite-data calls). float32 "
                "is right. Found by convconf's same-upper gradient rows of tensorflow-cpu 2.21.0",
        reproducer="python -c $'import tensorflow as tf; b=tf.bfloat16; x=tf.constant([[[1.],[1.],[1.],"
                   "[float(\"nan\")]]],b); w=tf.ones((2,1,1),b)\\nwith tf.GradientTape() as t: t.watch(w); "
                   "y=tf.nn.convolution(x,w,strides=3,padding=\"VALID\")\\nprint(tf.cast(t.gradient(y,w),"
                   "tf.float32).numpy().ravel())'  # [nan, 1]; exact [1, 1] (x[3] is never read)",
        hypothesis="wrong-values",
        when=lambda config: config.in_channels == 1 and config.stride[-1] > 1 and config.output_shape[-1] == 1,
        directions=("grad_weight",),
    ),
    KnownIssue(
        key="tf-onednn-bf16-conv3d-grad-weight-kernel-past-input",
        backends=("tensorflow-cpu",),
        dtypes=("bfloat16",),
        kernel_paths=("tf-cpu-onednn",),
        summary="TensorFlow's oneDNN bfloat16 Conv3D backward-weights (tf.nn.conv3d) under TF's own 'SAME' goes "
                "wrong when the kernel is larger than the input on some axis: reached taps lose products (depth "
                "slices summed two of three, [0, 2, 0] where [0, 3, 0] is exact; a NaN input's tap comes back "
                "finite), taps that meet only padding come back nonzero or hold garbage (-4.4e8, 1.5e16 under "
                "MALLOC_PERTURB_=165), and the process can die (the crash key "
                "tf-onednn-bf16-conv3d-grad-kernel-past-input-heap-corruption). A sweep of 1,500 random "
                "undilated configs (all-ones data, so the exact grad_weight is a count; MALLOC_PERTURB_=165, "
                "deterministic then): 188 wrong, every one with a kernel larger "
                "than the input on some axis (885 such configs; 615 others all right); float32 right in all "
                "1,500; Conv2D (1,500 2-d configs: only the uninitialised-taps key's) and dilated 3-d layers "
                "(tf.nn.convolution's space-to-batch path, 600 configs) right. Found by convconf's same-upper "
                "gradient rows of tensorflow-cpu 2.21.0 (the AMD Zen 4 thorough re-run: cancellation and nonfinite "
                "rows) and its triage sweeps",
        reproducer="python -c $'import tensorflow as tf; b=tf.bfloat16; x=tf.ones((1,3,1,1,1),b); "
                   "w=tf.ones((1,3,1,1,1),b)\\nwith tf.GradientTape() as t: t.watch(w); y=tf.nn.conv3d(x,w,"
                   "[1,1,3,1,1],\"SAME\")\\nprint(tf.cast(t.gradient(y,w),tf.float32).numpy().ravel())'  "
                   "# [0, 2, 0]; exact [0, 3, 0]",
        hypothesis="wrong-values",
        when=tf_onednn_conv3d_kernel_past_input,
        directions=("grad_weight",),
    ),
    KnownIssue(
        key="tf-onednn-bf16-conv3d-grad-kernel-past-input-heap-corruption",
        backends=("tensorflow-cpu",),
        dtypes=("bfloat16",),
        kernel_paths=("tf-cpu-onednn",),
        summary="TensorFlow's oneDNN bfloat16 Conv3D gradient under TF's own 'SAME' corrupts the heap in the geometry "
                "of tf-onednn-bf16-conv3d-grad-weight-kernel-past-input (a kernel larger than the input on some "
                "axis): one gradient call in a fresh process dies with SIGSEGV (4 of 4 runs) or glibc's 'free(): "
                "invalid pointer' for input (3, 6, 1, 6, 2) NDHWC, kernel (4, 3, 3), strides (1, 3, 2), 3 outputs; "
                "a second config (input (2, 3, 1, 1, 3), kernel (1, 3, 3), strides (1, 3, 3)) dies in 2 of 3 single "
                "calls. float32 is right. Found by convconf's triage sweeps of that key (one crash in about 1,700 "
                "random configs of 3-d bfloat16 SAME gradients; no certification row has met it yet)",
        reproducer="python -c $'import tensorflow as tf; b=tf.bfloat16; x=tf.ones((3,6,1,6,2),b); "
                   "w=tf.ones((4,3,3,2,3),b)\\nwith tf.GradientTape() as t: t.watch(w); y=tf.nn.conv3d(x,w,"
                   "[1,1,3,2,1],\"SAME\")\\nprint(t.gradient(y,w).shape)'  # exit 139; exact: (4, 3, 3, 2, 3)",
        hypothesis="crash",
        when=tf_onednn_conv3d_kernel_past_input,
        directions=("grad_input",),  # a crash in a gradient call counts as its grad_input
    ),
    KnownIssue(
        key="tf-conv2d-dilated-gradient",
        backends=("tensorflow-cpu",),
        dtypes=TF_DTYPES_ALL,
        kernel_paths=(),
        summary="TensorFlow's CPU gradients of tf.nn.conv2d with dilations > 1 raise InvalidArgumentError ('Current "
                "CPU implementations do not yet support dilation rates larger than 1', Conv2DBackpropInput and "
                "Conv2DBackpropFilter; with oneDNN for explicit padding, and for every padding without it), while "
                "the forward call runs and is right; tf.nn.convolution avoids it for SAME/VALID by space-to-batch, "
                "but it takes no explicit (low, high) padding, so lopsided dilated 2-d layers have no gradient. "
                "tf.nn.conv2d_transpose with explicit pairs is the same Conv2DBackpropInput and raises the same for "
                "any dilated lopsided transposed layer. Found by convconf's asymmetric-padding gradient rows of "
                "tensorflow-cpu 2.21.0 (the transposed asymmetric-padding rows too)",
        reproducer="python -c \"import tensorflow as tf; x=tf.ones((1,1,3,1)); w=tf.ones((1,2,1,1))\n"
                   "with tf.GradientTape() as t:\n    t.watch(x); y=tf.nn.conv2d(x,w,1,[[0,0],[1,0],[0,0],[0,0]],"
                   "dilations=[1,1,2,1])\nprint(t.gradient(y,x).numpy().ravel())\"  # raises InvalidArgumentError; "
                   "exact: [1, 0, 1]",
        hypothesis="raises",
        message=r"do not yet support dilation rates larger than 1",
        when=lambda config: config.ndim == 2 and "asymmetric-padding" in config.general_features()
        and config.padding_mode == "zeros" and any(d > 1 for d in config.dilation),
        directions=("grad_input", "transposed"),
    ),
    KnownIssue(
        key="tf-onednn-conv2d-grad-heap-corruption",
        backends=("tensorflow-cpu",),
        dtypes=("float32", "bfloat16"),
        kernel_paths=("tf-cpu-onednn",),
        summary="TensorFlow's oneDNN Conv2D gradients corrupt the heap: a 1x1 kernel with stride (1, 2) on an "
                "11x8 input, differentiated in a loop, ends in SIGSEGV or glibc's 'corrupted double-linked list' "
                "abort within 100 calls; TF_ENABLE_ONEDNN_OPTS=0 survives. The crash lands on whichever 2-d call "
                "follows the damage, so it cannot be narrowed to one config. TF's 1-d convolution is this Conv2D "
                "with a unit height, and the same loop on a 1-d input (tf.nn.convolution, stride 2, 130 wide) "
                "dies too. Found by convconf (tensorflow-cpu 2.21.0; the thorough certification's 2-d "
                "float32/bfloat16 gradient cells; the 1-d bfloat16 gradient row of the AMD Zen 4 re-run)",
        reproducer="python -c \"import tensorflow as tf; x=tf.ones((1, 11, 8, 1)); w=tf.ones((1, 1, 1, 3))\n"
                   "for i in range(100):\n    with tf.GradientTape() as t:\n        t.watch(x); "
                   "y=tf.nn.conv2d(x, w, strides=[1, 1, 2, 1], padding='VALID')\n    t.gradient(y, x)\n"
                   "print('survived')\"  # exit 139 or 134 instead of 'survived'",
        hypothesis="crash",
        when=lambda config: config.ndim in (1, 2),
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
        reproducer="python -c \"import jax; jax.config.update('jax_enable_x64', True); import jax.numpy as jnp; "
                   "from jax import lax; print(lax.conv_general_dilated(jnp.array([[[1.0], [jnp.nan]]]), "
                   "jnp.ones((2, 1, 1)), (1,), [(0, 0)], feature_group_count=2).ravel())\"  # jax 0.10.2 CPU "
                   "prints [nan nan]; IEEE gives [1. nan] (group 0 never reads channel 1)",
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
        reproducer="python -c \"import jax.numpy as jnp; from jax import lax; print(lax.conv_general_dilated("
                   "jnp.ones((1, 1, 1, 3)), jnp.ones((1, 1, 2, 2)), (1, 1), [(0, 1), (0, 0)], lhs_dilation=(1, 2)))"
                   "\"  # jax 0.10.2 CPU: Check failed ... Aborted (exit 134); the output should be 1x4, all 1s",
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
        reproducer="python -c \"import numpy as np,jax.numpy as jnp; from jax import lax; x=jnp.arange(1.,25.).reshape("
                   "1,2,4,3); w=jnp.arange(1.,9.).reshape(1,2,2,2); print(np.asarray(lax.conv_general_dilated(x,w,"
                   "(1,1),((0,0),(-1,1)))).ravel().tolist())\"  # float32: [470, 506, 578, 614, 686, 1.07e+21] "
                   "(values change); exact [470, 222, 578, 270, 686, 318]",
        hypothesis="wrong-values",
        when=lambda config: isinstance(config.padding, tuple) and any(
            isinstance(pair, tuple) and pair[0] < 0 < pair[1] for pair in config.padding),
    ),
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
        reproducer="python -c \"import torch, torch._inductor.config as c; c.freezing=True; "
                   "m=torch.nn.Conv2d(1,1,1).double().eval(); torch.no_grad().__enter__(); "
                   "print(torch.compile(m)(torch.ones(1,1,2,2,dtype=torch.float64)))\"  # raises "
                   "BackendCompilerFailed (itensor_view_from_dense ... Double); eager prints a 1x1x2x2 tensor",
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
        reproducer="python -c \"import torch, torch.nn.functional as F; x=torch.randn(1,2,1,2,requires_grad=True); "
                   "w=torch.randn(1,2,1,1,requires_grad=True); f=torch.compile(lambda x,w: F.conv2d(F.pad(x,[1,1,1,1],"
                   "mode='replicate'),w)); f(x,w).sum().backward(); print(x.grad)\"  # raises AssertionError: "
                   "expected size 2==2, stride 1==2 at dim=1 (Error in op: torch.ops.aten.replication_pad2d_backward)",
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
        reproducer="python -c \"import torch,torch.nn.functional as F; f=torch.compile(lambda x,w: F.conv3d(x,w,"
                   "stride=(1,2,2))); w=torch.ones(2,1,1,1,1,requires_grad=True); [f(torch.ones(1,1,*s,"
                   "requires_grad=True),w).sum().backward() for s in ((4,5,6),(2,3,3))]; print('ok')\"  # torch "
                   "2.13.0 raises InductorError: LoweringException: ValueRangeError: Invalid ranges [0:-1] (target: "
                   "aten.convolution_backward.default); torch 2.14.1 and eager print ok",
        hypothesis="raises",
        message=r"LoweringException: (ValueRangeError: Invalid ranges|ValueError: Exponent must be non-negative)",
        when=lambda config: not config.transposed,
        directions=("grad_input",),
        platform=torch_before("2.14"),
    ),
    KnownIssue(
        key="onednn-huge-dilation-channels-last-segfault",
        backends=TORCH_CHANNELS_LAST_CPU,
        dtypes=("float32", "bfloat16"),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's brg_conv_fwd (avx512_core and avx512_core_bf16 kernels; torch 2.13.0 and 2.14.1 CPU, "
                "oneDNN 3.12) segfaults on a channels-last input of batch 2 or more with a dilation of 2**29 - 1 "
                "or more on a spatial axis other than the last (padding='same', so the output is small), groups 1 "
                "too: 536870911 crashes, 536870910 runs (float32, 3 channels, 2 threads); a contiguous input, "
                "batch 1, or oneDNN off run and are right; capping oneDNN at AVX2 avoids it. Found by convconf's "
                "extreme family in the thorough certification of torch-cpu-mixed-layouts on an AMD EPYC (Zen 4)",
        reproducer="python -c \"import torch,torch.nn.functional as F; B=2**31-1; x=torch.ones(2,3,4,1).contiguous("
                   "memory_format=torch.channels_last); w=torch.ones(1,3,3,1); print(F.conv2d(x,w,padding=(B,0),"
                   "dilation=(B,1)).flatten().tolist())\"  # exit 139 (SIGSEGV); expected eight 3.0 (only the centre "
                   "tap meets the input)",
        hypothesis="crash",
        when=lambda config: not config.transposed and config.batch >= 2 and huge_dilation_non_last_axis(config),
        layouts=channels_last_input,
        platform=runs(Probe("float32", "forward_training", (2, 3, 4, 1), (1, 3, 3, 1), padding=(1, 0),
                                channels_last=("input",)), *AVX512),
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
        reproducer="python -c \"import torch,torch.nn.functional as F; x=torch.ones(1,2,3,3).contiguous("
                   "memory_format=torch.channels_last); w=torch.ones(3,3,2,1,requires_grad=True); "
                   "F.conv2d(x,w.permute(3,2,0,1)).sum().backward(); print(w.grad.flatten().tolist())\"  # raises "
                   "RuntimeError: slow_conv2d: grad_weight must be contiguous; exact: eighteen 9.0",
        hypothesis="raises",
        message=r"slow_conv2d: grad_weight must be contiguous",
        when=lambda config: config.ndim == 2 and not config.transposed,
        layouts=channels_last_input_odd_weight(0),
        directions=("grad_input",),
    ),
    KnownIssue(
        key="onednn-bf16-channels-last-grad-weight-uninitialised",
        backends=TORCH_CHANNELS_LAST_CPU,
        dtypes=("bfloat16",),
        kernel_paths=BRGEMM_PATHS,
        summary="the geometry of onednn-amx-bf16-grad-weight-uninitialised without AMX: oneDNN's "
                "jit_bf16:avx512_core_bf16 backward-weights kernel (and jit_bf16:avx512_core under that ISA cap; "
                "torch 2.13.0 and 2.14.1) leaves uninitialised memory in the grad_weight taps that only ever meet "
                "padding when the width stride exceeds the input width, for a channels-last input (a contiguous one "
                "goes to x64:gemm:jit and is right; float32, the AVX2 cap and oneDNN off are right); changes with "
                "the process's history (a replay in the same process came back right). Found by convconf's "
                "thorough certification of torch-cpu-mixed-layouts on an AMD EPYC (Zen 4)",
        reproducer="MALLOC_PERTURB_=165 python -c \"import torch,torch.nn.functional as F; b=torch.bfloat16; "
                   "x=torch.ones(1,2,1,2,dtype=b).contiguous(memory_format=torch.channels_last); w=torch.ones(1,2,1,"
                   "2,dtype=b,requires_grad=True); F.conv2d(x,w,stride=(1,3),padding=(0,1)).sum().backward(); "
                   "print(w.grad.flatten().tolist())\"  # prints e.g. [1.53e16, 1.0, 1.53e16, 1.0]; exact [0, 1, 0, 1]",
        hypothesis="uninitialised",
        when=amx_bf16_grad_weight_uninitialised,
        layouts=channels_last_route,
        directions=("grad_weight",),
        platform=runs(Probe("bfloat16", "backward_weights", (1, 2, 1, 2), (1, 2, 1, 2), channels_last=("input",)),
                       *JIT_BF16),
    ),
    KnownIssue(
        key="onednn-bf16-long-kernel-grad-weight",
        backends=TORCH_CHANNELS_LAST_CPU,
        dtypes=("bfloat16",),
        kernel_paths=BRGEMM_PATHS,
        summary="oneDNN's jit_bf16:avx512_core_bf16 backward-weights kernel (jit_bf16:avx512_core under that ISA "
                "cap; torch 2.13.0 and 2.14.1, oneDNN 3.12), reached channels-last (an input or weight torch calls "
                "channels-last), puts wrong values in a 3-d grad_weight when the depth kernel is longer than the "
                "input depth (dilation 1, 1 <= padding < kernel, 2 or more output depths), or the height kernel is "
                "longer than the input height with one output row whose window has padding-only taps on both sides "
                "(found by the keyed re-run: [1, 2, 1, 0] where [0, 2, 2, 0] is exact): 0 or products on the "
                "wrong taps ([2, 1, 2] where [1, 3, 2] is exact), garbage in other channels, and repeated calls "
                "can hang in reduce_and_convert_diff_weights_and_bias; the height and width axes, float32, "
                "contiguous tensors (x64:gemm:jit), the AVX2 cap and oneDNN off are right; batch 1 mostly goes "
                "wrong at 1 thread only. Grids of the depth and height axes (onednn_geometry.bf16_long_kernel): "
                "155 configs claimed, 122 wrong, none outside. Found by convconf's thorough "
                "certification of torch-cpu-mixed-layouts (6 rows) on an AMD EPYC (Zen 4); absent on a Sapphire "
                "Rapids Xeon, whose AMX kernels run there (issue #28), so the key claims where jit_bf16 dispatches",
        reproducer="python -c \"import torch,torch.nn.functional as F; b=torch.bfloat16; "
                   "x=torch.ones(2,2,1,1,1,dtype=b); w=torch.ones(1,2,2,1,1,dtype=b).contiguous("
                   "memory_format=torch.channels_last_3d).requires_grad_(); "
                   "F.conv3d(x,w,padding=(1,0,0)).sum().backward(); print(w.grad.flatten().tolist())\"  "
                   "# prints [0, 2, 0, 2] (or garbage); exact [2, 2, 2, 2]",
        hypothesis="wrong-values",
        when=bf16_long_kernel,
        layouts=channels_last_route,
        directions=("grad_weight",),
        platform=runs(Probe("bfloat16", "backward_weights", (2, 2, 2, 1, 1), (1, 2, 2, 1, 1),
                             channels_last=("weight",)), *JIT_BF16),
    ),
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
        reproducer="python -c \"import numpy as np,onnxruntime as ort; from onnx import helper,TensorProto as T; "
                   "v=lambda n: helper.make_tensor_value_info(n,T.FLOAT,[None]*4); g=helper.make_graph([helper."
                   "make_node('Conv',['x','w'],['y'],auto_pad='SAME_UPPER',dilations=[2,1])],'g',[v('x'),v('w')],"
                   "[v('y')]); m=helper.make_model(g,opset_imports=[helper.make_opsetid('',19)]); m.ir_version=9; "
                   "s=ort.InferenceSession(m.SerializeToString(),providers=['CPUExecutionProvider']); "
                   "print(s.run(None,{'x':np.ones((1,1,5,5),np.float32),'w':np.ones((1,1,3,3),np.float32)})[0]"
                   ".shape)\"  # raises INVALID_ARGUMENT: Dilation not supported for AutoPadType::SAME_UPPER; "
                   "ONNX defines the output (1, 1, 5, 5)",
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
        reproducer="python -c \"import numpy as np,onnxruntime as ort; from onnx import helper,TensorProto as T; "
                   "v=lambda n: helper.make_tensor_value_info(n,T.FLOAT,[None]*3); g=helper.make_graph([helper."
                   "make_node('ConvTranspose',['x','w'],['y'],auto_pad='SAME_UPPER',strides=[2])],'g',[v('x'),"
                   "v('w')],[v('y')]); m=helper.make_model(g,opset_imports=[helper.make_opsetid('',19)]); "
                   "m.ir_version=9; s=ort.InferenceSession(m.SerializeToString(),providers=['CPUExecutionProvider']);"
                   " print(s.run(None,{'x':np.ones((1,1,3),np.float32),'w':np.ones((1,1,1),np.float32)})[0]"
                   ".shape)\"  # (1, 1, 5); ONNX's SAME output is input * stride: (1, 1, 6)",
        hypothesis="wrong-shape",
        when=lambda config: config.transposed and config.padding in ("SAME_UPPER", "SAME_LOWER") and any(
            d * (k - 1) + 1 + op < s for k, d, s, op in zip(config.kernel_size, config.dilation, config.stride,
                                                             config.output_padding)),
        directions=("transposed",),
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
ACCEPTED_EXTENSIONS.update({(name, rule): why for name in ("jax", "jax-default")
                            for rule, why in _LAX_EXTENSIONS.items()})
# TensorFlow has no groups argument (the filter's in-depth implies them), takes leading
# dimensions beyond the filter's rank as batch dimensions, and defines SAME for any stride
ACCEPTED_EXTENSIONS.update({("tensorflow-cpu", rule): why for rule, why in {
    "groups-positive": "TF has no groups argument: groups = in_channels / filter in-depth, whatever the config says",
    "weight-in_channels/groups": "TF infers the groups from the filter's in-depth, so any divisor is a valid layer",
    "groups-divide-in_channels": "TF has no groups argument: a filter whose in-depth divides in_channels is a valid "
                                 "layer of in_channels / in-depth groups, whatever groups the config names",
    "input-rank": "tf.nn.convolution reads leading input dimensions beyond the filter's rank as batch dimensions",
    "output-size-positive": "TF returns an empty output where torch rejects an output size < 1",
    "same-needs-stride-1": "TF's 'SAME' is defined for stride > 1 (output ceil(L/stride))",
}.items()})


def _explains(issue: KnownIssue, backend: str, dtype: str, config, direction, layouts) -> bool:
    return (issue.covers(backend) and dtype in issue.dtypes and (issue.when is None or issue.when(config))
            and (issue.directions is None or direction is None or direction in issue.directions)
            and issue.fits_layouts(config, layouts) and issue.unreachable_here(backend) is None)


def known_crash(backend: str, dtype: str, config, direction=None, hang: bool = False, layouts=None):
    """The known issue that explains a backend process dying (hang: hanging) on `config`, or None."""
    return next((k for k in KNOWN_ISSUES if k.hypothesis == "crash" and (k.hangs or not hang)
                 and _explains(k, backend, dtype, config, direction, layouts)), None)


def known_raise(backend: str, dtype: str, config, text: str, direction=None, layouts=None):
    """The known issue that explains a backend raising `text` on the valid `config`, or None."""
    import re

    return next((k for k in KNOWN_ISSUES if k.hypothesis == "raises" and re.search(k.message or "", text)
                 and _explains(k, backend, dtype, config, direction, layouts)), None)


def check_direction(config, direction: str) -> str:
    """A check's direction as known issues name it: the forward check of a transposed config is 'transposed',
    its gradients 'transposed_grad_input' and so on (a plain config's are 'forward', 'grad_input', ...)."""
    if not config.transposed:
        return direction
    return "transposed" if direction == "forward" else f"transposed_{direction}"


def matching(backend: str, dtype: str, kernel_path, config=None, kind=None, direction=None, layouts=None):
    return [k for k in KNOWN_ISSUES if k.applies(backend, dtype, kernel_path, config, kind, direction, layouts)]


# keys renamed as findings grew: committed reports name the old key
RENAMED = {"onednn-avx2-padding-only-width-segfault": "onednn-padding-only-width-segfault",
           "tf-onednn-conv3d-strided-garbage": "tf-onednn-strided-pitch-garbage",
           "tf-onednn-bf16-conv3d-grad-weight-undercount": "tf-onednn-bf16-conv3d-grad-weight-kernel-past-input"}


class KnownNonConformance(Exception):
    """A failure explained by a KnownIssue: the test records it and reports an xfail at the end."""

    def __init__(self, issue: KnownIssue, report: str):
        self.issue = issue
        self.report = report
        super().__init__(f"[{issue.key}] {issue.summary}")
