"""The simplest config inside each known issue's geometry (its `when`), derived by
scripts/find_geometry_examples.py: do not edit by hand."""

EXAMPLES = {
    'onednn-grouped-channels-last-size1-strided-weight':
        'conv1d x(1, 2, 1) w(2, 1, 1) g=2 s=(1,) p=(0,) d=(1,)',
    'onednn-padding-only-width-segfault':
        'conv3d x(1, 1, 1, 1, 1) w(1, 1, 1, 1, 1) g=1 s=(1, 1, 2) p=(0, 0, 1) d=(1, 1, 2)',
    'onednn-fp16-padding-only-width-segfault':
        'conv3d x(1, 1, 1, 1, 1) w(1, 1, 1, 1, 1) g=1 s=(1, 1, 2) p=(0, 0, 1) d=(1, 1, 2)',
    'onednn-bf16-padding-only-width-segfault':
        'conv3d x(1, 1, 1, 1, 1) w(1, 1, 1, 1, 1) g=1 s=(1, 1, 2) p=(0, 0, 1) d=(1, 1, 2)',
    'onednn-amx-bf16-padding-only-segfault':
        'convT2d x(4, 1, 1, 1) w(1, 1, 2, 1) g=1 s=(1, 1) p=(1, 0) d=(2, 1) op=(0, 0)',
    'onednn-amx-bf16-wrong-rows':
        'convT2d x(1, 1, 2, 1) w(1, 1, 1, 2) g=1 s=(1, 3) p=(0, 0) d=(1, 1) op=(0, 1)',
    'onednn-amx-bf16-grad-weight-uninitialised':
        'convT1d x(1, 1, 1) w(1, 1, 2) g=1 s=(2,) p=(1,) d=(1,) op=(1,)',
    'onednn-amx-bf16-transposed-unreached-segfault':
        'convT2d x(1, 1, 1, 1) w(1, 1, 2, 1) g=1 s=(1, 1) p=(1, 0) d=(16, 1) op=(0, 0)',
    'onednn-avx512-f32-depth-stride-grad-weight':
        'conv3d x(1, 1, 2, 1, 1) w(1, 1, 1, 1, 1) g=1 s=(2, 1, 1) p=(3, 0, 0) d=(1, 1, 1)',
    'onednn-avx512-f32-depth-stride-heap-corruption':
        'conv3d x(1, 1, 2, 1, 1) w(1, 1, 1, 1, 1) g=1 s=(2, 1, 1) p=(3, 0, 0) d=(1, 1, 1)',
    'onednn-fp16-near-2-32-dilation-sigfpe':
        'conv1d x(1, 1, 1) w(1, 1, 3) g=1 s=(1,) p=(2147483647,) d=(2147483647,)',
    'onednn-grouped-huge-dilation-sigfpe':
        'conv1d x(1, 4, 1) w(2, 2, 3) g=2 s=(1,) p=(2147483647,) d=(2147483647,)',
    'onednn-huge-dilation-channels-last-segfault':
        'conv3d x(2, 1, 1, 1, 1) w(1, 1, 1, 3, 1) g=1 s=(1, 1, 1) p=(0, 1073741824, 0) d=(1, 1073741824, 1)',
    'onednn-bf16-channels-last-grad-weight-uninitialised':
        'conv1d x(1, 1, 1) w(1, 1, 2) g=1 s=(2,) p=(1,) d=(1,)',
    'onednn-bf16-long-kernel-grad-weight':
        'conv3d x(1, 7, 1, 1, 1) w(7, 1, 3, 3, 3) g=7 s=(1, 1, 1) p=(1, 1, 1) d=(1, 1, 1)',
    'torch-cpu-slowtranspose3d-bf16-avx512':
        'convT3d x(1, 1, 1, 1, 1) w(1, 1, 1, 1, 1) g=1 s=(1, 1, 1) p=(0, 0, 0) d=(1, 1, 1) op=(0, 0, 0)',
    'slow-conv2d-grad-weight-not-contiguous':
        'conv2d x(1, 1, 1, 1) w(1, 1, 1, 1) g=1 s=(1, 1) p=(0, 0) d=(1, 1)',
    'inductor-freezing-float64-conv':
        "conv2d x(1, 1, 1, 1) w(1, 1, 1, 1) g=1 s=(1, 1) p='valid' d=(1, 1)",
    'inductor-replication-pad2d-grad-strides':
        "conv2d x(1, 2, 1, 2) w(1, 2, 1, 1) g=1 s=(1, 1) p='valid' d=(1, 1) replicate",
    'inductor-dynamic-conv-backward-lowering':
        'conv1d x(1, 8, 3) w(24, 1, 3) g=8 s=(1,) p=(1,) d=(1,) nobias',
    'xla-cpu-f64-grouped-nan-leak':
        'conv1d x(1, 2, 1) w(2, 1, 1) g=2 s=(1,) p=(0,) d=(1,)',
    'xla-cpu-lhs-dilation-abort':
        'convT1d x(1, 1, 1) w(1, 1, 1) g=1 s=(2,) p=(0,) d=(1,) op=(0,)',
    'xla-cpu-crop-then-pad':
        'conv1d x(1, 1, 2) w(1, 1, 1) g=1 s=(1,) p=((-1, 1),) d=(1,)',
    'tf-onednn-strided-pitch-garbage':
        'conv2d x(1, 1, 2, 3) w(1, 1, 1, 2) g=1 s=(1, 3) p=(0, 0) d=(1, 1)',
    'tf-onednn-bf16-explicit-pad-segfault':
        'conv2d x(1, 1, 1, 1) w(1, 1, 1, 1) g=1 s=(1, 1) p=((0, 0), (0, 1)) d=(1, 1)',
    'tf-eigen-conv3d-same-stride-offset':
        "conv3d x(1, 1, 1, 1, 3) w(1, 1, 1, 1, 1) g=1 s=(1, 1, 3) p='SAME_UPPER' d=(1, 1, 1)",
    'tf-onednn-bf16-conv3d-depth-1-same':
        "conv3d x(1, 1, 1, 1, 3) w(1, 1, 3, 1, 2) g=1 s=(1, 1, 1) p='same' d=(16, 1, 2)",
    'tf-onednn-bf16-grad-weight-uninitialised':
        "conv1d x(1, 2, 1) w(1, 2, 2) g=1 s=(2,) p='SAME_UPPER' d=(1,)",
    'tf-onednn-bf16-grad-weight-reads-past-input':
        'conv1d x(1, 1, 1) w(1, 1, 2) g=1 s=(2,) p=(1,) d=(1,)',
    'tf-onednn-bf16-conv3d-grad-weight-kernel-past-input':
        "conv3d x(1, 1, 1, 1, 1) w(1, 1, 1, 1, 2) g=1 s=(1, 1, 1) p='same' d=(1, 1, 1)",
    'tf-onednn-bf16-conv3d-grad-kernel-past-input-heap-corruption':
        "conv3d x(1, 1, 1, 1, 1) w(1, 1, 1, 1, 2) g=1 s=(1, 1, 1) p='same' d=(1, 1, 1)",
    'tf-conv2d-dilated-gradient':
        'convT2d x(1, 1, 2, 1) w(1, 1, 1, 1) g=1 s=(1, 1) p=((0, 1), (0, 0)) d=(1, 2) op=(0, 0)',
    'tf-onednn-conv2d-grad-heap-corruption':
        'conv1d x(1, 1, 1) w(1, 1, 1) g=1 s=(1,) p=(0,) d=(1,)',
    'ort-auto-pad-dilation-rejected':
        "conv3d x(1, 1, 1, 1, 1) w(1, 1, 1, 1, 1) g=1 s=(1, 1, 1) p='SAME_UPPER' d=(1, 1, 2)",
    'ort-convtranspose-same-short-output':
        "convT1d x(1, 1, 1) w(1, 1, 1) g=1 s=(2,) p='SAME_UPPER' d=(1,) op=(0,)",
}
