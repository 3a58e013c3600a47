"""Findings in TensorFlow's CPU convolutions (oneDNN as TensorFlow runs it, and Eigen; docs/findings/tensorflow.md),
and the invalid configurations TensorFlow accepts by its own documented rules."""

from __future__ import annotations

from conformance.findings.issue import KnownIssue

TF_DTYPES_ALL = ("float64", "float32", "float16", "bfloat16")


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


ISSUES = [
    KnownIssue(
        key="tf-cpu-ftz",
        backends=("tensorflow-cpu",),
        dtypes=("float64", "float32", "float16", "bfloat16"),
        kernel_paths=("tf-cpu-onednn", "tf-cpu-eigen"),
        summary="TensorFlow's CPU thread pools run ops with denormals-are-zero and flush-to-zero set "
                "(tsl::port::ScopedFlushDenormal; XLA:CPU copies the setting 'to match the default TF ThreadPool "
                "behavior'), so subnormal inputs and results of a convolution become zero; IEEE gradual underflow "
                "requires them (conforms once the oracle flushes too)",
    ),
    KnownIssue(
        key="tf-onednn-bf16-nan-leak",
        backends=("tensorflow-cpu",),
        dtypes=("bfloat16",),
        kernel_paths=("tf-cpu-onednn",),
        summary="TensorFlow's oneDNN bfloat16 convolution turns the neighbours of a NaN or inf input into NaN, "
                "even with a 1x1 kernel that never reads them; with TF_ENABLE_ONEDNN_OPTS=0 (Eigen) it conforms. "
                "Found by convconf (tensorflow-cpu 2.21.0)",
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
                "any dilated lopsided transposed layer, in its forward call and in its gradient call (which runs "
                "it). Found by convconf's asymmetric-padding gradient rows of tensorflow-cpu 2.21.0 (the transposed "
                "asymmetric-padding rows too; the transposed gradients by the findings' geometry test)",
        hypothesis="raises",
        message=r"do not yet support dilation rates larger than 1",
        when=lambda config: config.ndim == 2 and "asymmetric-padding" in config.general_features()
        and config.padding_mode == "zeros" and any(d > 1 for d in config.dilation),
        directions=("grad_input", "transposed", "transposed_grad_input"),
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
        hypothesis="crash",
        when=lambda config: config.ndim in (1, 2),
    ),
]

# TensorFlow has no groups argument (the filter's in-depth implies them), takes leading
# dimensions beyond the filter's rank as batch dimensions, and defines SAME for any stride
ACCEPTED = {("tensorflow-cpu", rule): why for rule, why in {
    "groups-positive": "TF has no groups argument: groups = in_channels / filter in-depth, whatever the config says",
    "weight-in_channels/groups": "TF infers the groups from the filter's in-depth, so any divisor is a valid layer",
    "groups-divide-in_channels": "TF has no groups argument: a filter whose in-depth divides in_channels is a valid "
                                 "layer of in_channels / in-depth groups, whatever groups the config names",
    "input-rank": "tf.nn.convolution reads leading input dimensions beyond the filter's rank as batch dimensions",
    "output-size-positive": "TF returns an empty output where torch rejects an output size < 1",
    "same-needs-stride-1": "TF's 'SAME' is defined for stride > 1 (output ceil(L/stride))",
}.items()}
