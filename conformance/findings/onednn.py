"""Findings in oneDNN as PyTorch's CPU convolution runs it (docs/findings/onednn.md).

Platforms are what dispatches, never a CPU flag: each key's `platform` runs a harmless version of its
reduced reproducer under oneDNN verbose (conformance.findings.onednn_dispatch) and matches the
implementation the finding was seen in.
"""

from __future__ import annotations

from conformance.findings.issue import KnownIssue
from conformance.machine.onednn_dispatch import Probe, runs
from conformance.findings.onednn_geometry import (amx_bf16_grad_weight_uninitialised, amx_bf16_padding_only_segfault,
                                                  amx_bf16_transposed_unreached, amx_bf16_wrong_rows,
                                                  avx512_f32_depth_stride, bf16_long_kernel,
                                                  huge_dilation_non_last_axis, near_2_32_extent, padding_only_width)
from conformance.findings.torch_cpu import (BRGEMM_PATHS, TORCH_CHANNELS_LAST_CPU, TORCH_COMPILED_CPU, TORCH_CPU,
                                            TORCH_ONEDNN_BF16, channels_last_input, channels_last_input_odd_weight,
                                            channels_last_route, onednn_blocked_weights_route)
from conformance.generate.data import NONFINITE_KINDS

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


def depth_stride_batches(config, layouts: dict) -> bool:
    """The batches avx512_f32_depth_stride goes wrong with: 2 or more; or 1, grouped, with a channels-last input
    (torch-cpu-mixed-layouts; contiguous batch-1 inputs were always right)."""
    return config.batch >= 2 or (config.groups >= 2 and channels_last_input(config, layouts))


ISSUES = [
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
        hypothesis="nan-leak",
        kinds=NONFINITE_KINDS,
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
        hypothesis="crash",
        # tested: extent (k-1)*d = 2**32 - 2 crashes, 3 * 2**30 does not; claimed from the crashing size up
        when=lambda config: not config.transposed and config.groups >= 2
        and (config.in_channels > config.groups or config.out_channels > config.groups)
        and any((k - 1) * d >= 2**32 - 2 for k, d in zip(config.kernel_size, config.dilation)),
        layouts=channels_last_route,
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
        hypothesis="crash",
        when=lambda config: not config.transposed and config.batch >= 2 and huge_dilation_non_last_axis(config),
        layouts=channels_last_input,
        platform=runs(Probe("float32", "forward_training", (2, 3, 4, 1), (1, 3, 3, 1), padding=(1, 0),
                                channels_last=("input",)), *AVX512),
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
        hypothesis="uninitialised",
        when=amx_bf16_grad_weight_uninitialised,
        layouts=channels_last_route,
        directions=("grad_weight",),
        platform=runs(Probe("bfloat16", "backward_weights", (1, 2, 1, 2), (1, 2, 1, 2), channels_last=("input",)),
                       *JIT_BF16),
    ),
    KnownIssue(
        key="onednn-bf16-long-kernel-grad-weight",
        backends=TORCH_CPU + TORCH_COMPILED_CPU,
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
                "Rapids Xeon, whose AMX kernels run there (issue #28), so the key claims where jit_bf16 dispatches. "
                "Contiguous tensors reach the same kernel too, with 16 or more input or 32 or more output channels "
                "per group (oneDNN's blocked route; fewer go to x64:gemm:jit): found by the model zoo's sampled "
                "gradients (issue #32) on R3D-18's and R(2+1)D-18's last stage at batch 1 (depth 2 under a 3-deep "
                "kernel, 512 to 1152 channels: 65% of grad_weight wrong, NaN among them); reduced: 17 channels, "
                "depth 1 under a 2-deep kernel, 272 of 578 taps 0 where 1 is exact, at 1 and 2 threads",
        hypothesis="wrong-values",
        when=bf16_long_kernel,
        layouts=onednn_blocked_weights_route,
        directions=("grad_weight",),
        platform=runs(Probe("bfloat16", "backward_weights", (2, 2, 2, 1, 1), (1, 2, 2, 1, 1),
                             channels_last=("weight",)), *JIT_BF16),
    ),
]
