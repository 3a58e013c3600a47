"""Deliberately wrong backends: each one is the oracle with one classic convolution bug.

They prove the suite's `ci` profile catches real faults.  `ReorderedFloat32` is the
control: a correct float32 implementation with its own summation order, which must pass.
"""

from dataclasses import dataclass, field, replace

import numpy as np

import oracle
from conformance.backends import Capabilities, GradResult, Result


def _forward(config, x, w, b):
    fn = oracle.conv_transpose if config.transposed else oracle.conv
    return fn(x, w, b, **config.kwargs())


def group_slicing(config, x, w, b):
    # every group reads the next group's input channels
    return _forward(config, np.roll(x, config.in_channels // config.groups, axis=1), w, b)


def dilation_off_by_one(config, x, w, b):
    if config.transposed or max(config.dilation) == 1:
        return _forward(config, x, w, b)
    y = _forward(replace(config, dilation=tuple(max(1, d - 1) for d in config.dilation)), x, w, b)
    return y[(Ellipsis, *(slice(0, n) for n in config.output_shape[2:]))]  # smaller dilation: more outputs


def padding_off_by_one(config, x, w, b):
    y = _forward(config, x, w, b)
    spec = config.spec()
    return np.roll(y, 1, axis=-1) if spec.pad_before[-1] > 0 else y  # window origin shifted by one


def dropped_bias(config, x, w, b):
    return _forward(config, x, w, None)


def reflect_as_symmetric(config, x, w, b):
    if config.transposed or config.padding_mode != "reflect":
        return _forward(config, x, w, b)
    s = config.spec()
    xp = np.pad(x, [(0, 0), (0, 0), *zip(s.pad_before, s.pad_after)], mode="symmetric")  # repeats the edge
    return _forward(replace(config, input_size=xp.shape[2:], padding=0, padding_mode="zeros"), xp, w, b)


def ignored_output_padding(config, x, w, b):
    if not config.transposed or not any(config.output_padding):
        return _forward(config, x, w, b)
    y = _forward(replace(config, output_padding=(0,) * config.ndim), x, w, b)
    return np.pad(y, [(0, 0), (0, 0), *((0, op) for op in config.output_padding)])


def depthwise_7x7_wrong(config, x, w, b):
    """Right everywhere but on 7x7 depthwise layers (ConvNeXt's blocks), where the last tap is dropped: only a
    check of the model's own layers meets it (tests/engine/test_model_layers.py)."""
    if config.groups > 1 and config.groups == config.in_channels and set(config.kernel_size) == {7}:
        w = w.copy()
        w[..., -1] = 0.0
    return _forward(config, x, w, b)


def remainder_channels_dropped(config, x, w, b):
    y = _forward(config, x, w, b).copy()
    y[:, 2 * (config.out_channels // 2):] = 0.0  # a kernel vectorised by 2 that forgets the odd channel
    return y


def nan_swallowed_by_zero_weight(config, x, w, b):
    # skips products with a zero weight, so 0 * NaN never happens
    clean = _forward(config, np.nan_to_num(x, nan=0.0), w, b)
    reach = _forward(replace(config, bias=False), np.isnan(x).astype(float), (w != 0).astype(float), None)
    return np.where(reach > 0, np.nan, clean)


def stride_phase(config, x, w, b):
    if config.transposed or max(config.stride) == 1:
        return _forward(config, x, w, b)
    dense = _forward(replace(config, stride=(1,) * config.ndim), x, w, b)
    out = config.output_shape[2:]
    # subsample from offset 1 instead of 0 (clamped at the edge so the shape stays right)
    idx = [np.minimum(np.arange(n) * s + (1 if s > 1 else 0), dense.shape[2 + i] - 1)
           for i, (n, s) in enumerate(zip(out, config.stride))]
    return dense[(Ellipsis, *np.ix_(*idx))]


def replicate_for_circular(config, x, w, b):
    if config.transposed or config.padding_mode != "circular":
        return _forward(config, x, w, b)
    return _forward(replace(config, padding_mode="replicate"), x, w, b)


def float32_declared_float64(config, x, w, b):
    y = _forward(config, x.astype(np.float32), w.astype(np.float32), None if b is None else b.astype(np.float32))
    return y.astype(np.float32).astype(np.float64)


def batch_stride_off_by_one(config, x, w, b):
    # sample n > 0 reads sample n-1's data: wrong batch stride, invisible when batch == 1
    return _forward(config, np.concatenate([x[:1], x[:-1]]) if len(x) > 1 else x, w, b)


def fused_relu(config, x, w, b):
    # an activation fused by mistake: right on non-negative outputs, and not additive
    return np.maximum(_forward(config, x, w, b), 0.0)


# -- one fault per bug family: wrong only in that family's corner (conformance/generate/families.py) --------------

def _pure_padding_outputs(config):
    """Output mask: windows that read only padding (conv) / outputs no input reaches (transposed)."""
    spec = config.spec()
    fn = oracle.conv_transpose if config.transposed else oracle.conv
    ones = np.ones(config.weight_shape)
    reached = fn(np.ones(config.input_shape), ones, None, **replace(config, padding_mode="zeros").kwargs())
    return reached == 0 if spec.padding_mode == "zeros" or config.transposed else np.zeros(reached.shape, bool)


def padding_only_bias_dropped(config, x, w, b):
    # a kernel that skips windows reading only padding, bias included: those outputs stay 0
    y = _forward(config, x, w, b).copy()
    y[_pure_padding_outputs(config)] = 0.0
    return y


def skipped_stride_clamped(config, x, w, b):
    # a kernel that never steps past the window: stride larger than the dilated extent read as the extent
    spec = config.spec()
    if config.transposed or all(s <= d * (k - 1) + 1 for s, d, k in zip(spec.stride, spec.dilation, spec.kernel_size)):
        return _forward(config, x, w, b)
    stride = tuple(min(s, d * (k - 1) + 1) for s, d, k in zip(spec.stride, spec.dilation, spec.kernel_size))
    dense = _forward(replace(config, stride=stride, padding=(spec.pad_before if spec.pad_before == spec.pad_after
                                                             else config.padding)), x, w, b)
    return dense[(Ellipsis, *(slice(0, n) for n in config.output_shape[2:]))]


def size_one_broadcast(config, x, w, b):
    # a size-1 spatial axis treated as a broadcast: every output along it copies the first one
    y = _forward(config, x, w, b).copy()
    for axis, n in enumerate(config.input_size):
        if n == 1:
            index = [slice(None)] * y.ndim
            index[2 + axis] = slice(0, 1)
            y[...] = np.broadcast_to(y[tuple(index)], y.shape)
    return y


def channel_block_tail_zeroed(config, x, w, b):
    # output channels vectorised by 8: the tail of a group with more than 8 is never written
    y = _forward(config, x, w, b).copy()
    out_pg = config.out_channels // config.groups
    if out_pg > 8 and out_pg % 8:
        tail = np.arange(config.out_channels) % out_pg >= 8 * (out_pg // 8)
        y[:, tail] = 0.0
    return y


def width_tail_zeroed(config, x, w, b):
    # output positions vectorised by 16 along the width: the tail past the last full vector stays 0
    y = _forward(config, x, w, b).copy()
    width = y.shape[-1]
    if width > 16 and width % 16:
        y[..., 16 * (width // 16):] = 0.0
    return y


def batch_block_repeated(config, x, w, b):
    # images processed in blocks of 8: images past the first block reuse the first block's inputs
    index = np.arange(config.batch) % 8
    return _forward(config, x[index], w, b)


def long_reduction_float32(config, x, w, b):
    # past 256 terms per output the kernel switches to a float32 accumulator (float64 declared)
    if config.spec().terms_per_output < 256:
        return _forward(config, x, w, b)
    return float32_declared_float64(config, x, w, b)


def kernel_clipped_to_input(config, x, w, b):
    # a kernel much longer than the unpadded input (the extreme family's: extent >= input + 2) clipped to the
    # input length: taps past it dropped
    spec = config.spec()
    longer = [d * (k - 1) + 1 >= n + 2 for k, d, n in zip(spec.kernel_size, spec.dilation, spec.input_size)]
    if config.transposed or not any(longer):
        return _forward(config, x, w, b)
    clipped = w.copy()
    for axis, (k, n) in enumerate(zip(spec.kernel_size, spec.input_size)):
        if longer[axis] and k > n:
            index = [slice(None)] * w.ndim
            index[2 + axis] = slice(n, None)
            clipped[tuple(index)] = 0.0
    return _forward(config, x, clipped, b)


FAMILY_FAULTS = {"padding-only": "padding_only_bias_dropped", "skipped-inputs": "skipped_stride_clamped",
                 "size-1": "size_one_broadcast", "channel-blocks": "channel_block_tail_zeroed",
                 "width-blocks": "width_tail_zeroed", "batch-blocks": "batch_block_repeated",
                 "long-reduction": "long_reduction_float32", "extreme": "kernel_clipped_to_input"}

# faults the oracle-free invariants must catch on their own
INVARIANT_FAULTS = {"batch-independence": "batch_stride_off_by_one", "linearity": "fused_relu"}

FAULTS = {f.__name__: f for f in (group_slicing, dilation_off_by_one, padding_off_by_one, dropped_bias,
                                  reflect_as_symmetric, ignored_output_padding, remainder_channels_dropped,
                                  nan_swallowed_by_zero_weight, stride_phase, replicate_for_circular,
                                  float32_declared_float64, batch_stride_off_by_one, fused_relu,
                                  padding_only_bias_dropped, skipped_stride_clamped, size_one_broadcast,
                                  channel_block_tail_zeroed, width_tail_zeroed, batch_block_repeated,
                                  long_reduction_float32, kernel_clipped_to_input)}
# faults the generated configs rarely meet (the generator's kernels stop at 4): only a model's own layers do
MODEL_FAULTS = {"depthwise_7x7_wrong": depthwise_7x7_wrong}


@dataclass
class Faulty:
    fault: str
    name: str = ""
    # the oracle evaluates huge dilations without materialising them: the extreme family draws them
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(
        dtypes=("float64",), accuracy={"float64": "exact-inputs"}, max_extent=2**34))

    def __post_init__(self):
        self.name = self.name or f"faulty-{self.fault}"

    def forward(self, config, x, weight, bias, dtype):
        # a gradient fault (grads below) leaves the forward right
        return Result({**FAULTS, **MODEL_FAULTS}.get(self.fault, _forward)(config, x, weight, bias), dtype, "faulty")

    def grads(self, config, x, weight, bias, grad_output, dtype):
        fn = oracle.conv_transpose_grads if config.transposed else oracle.conv_grads
        gx, gw, gb = fn(x, weight, grad_output, **config.kwargs())
        if self.fault == "grad_weight_first_batch_only":
            gw = fn(x[:1], weight, grad_output[:1], **config.kwargs()).grad_weight
        return GradResult(gx, gw, gb if bias is not None else None, dtype, "faulty")


@dataclass
class ReorderedFloat32:
    """Correct float32: taps accumulated in a shuffled order, each partial sum rounded to float32.

    The taps are dealt, shuffled, into at most CHUNKS groups (a long kernel would otherwise cost
    one oracle call per tap); each group's sum is rounded to float32 and accumulated in float32:
    fewer roundings than a tap-by-tap sum, in an order the bound does not know.  A group is
    isolated by zeroing the other taps' weights, so an inf input meets those zeros (0 * inf =
    NaN): not IEEE-faithful for non-finite data, hence nonfinite=False.
    """

    CHUNKS = 6

    name: str = "reordered-float32"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(
        dtypes=("float32",), gradients=False, accuracy={"float32": "exact-inputs"}, nonfinite=False))

    def forward(self, config, x, weight, bias, dtype):
        rng = np.random.default_rng(0)
        taps = list(np.ndindex(*weight.shape[2:]))
        y = np.zeros(config.output_shape, dtype=np.float32)
        with np.errstate(invalid="ignore", over="ignore"):
            for group in np.array_split(rng.permutation(len(taps)), min(len(taps), self.CHUNKS)):
                some = np.zeros_like(weight)
                for i in group:
                    some[(Ellipsis, *taps[i])] = weight[(Ellipsis, *taps[i])]
                # the group's sum over its taps and input channels, rounded to float32, then a float32 accumulate
                y += _forward(replace(config, bias=False), x, some, None).astype(np.float32)
            if bias is not None:
                y += bias.astype(np.float32).reshape((-1,) + (1,) * config.ndim)
        return Result(y.astype(np.float64), "float32", "reordered")

    def grads(self, *args):
        raise NotImplementedError


# module-level instances, for `--backend tests.engine.faulty_backends:DROPPED_BIAS` (certify tests)
DROPPED_BIAS = Faulty("dropped_bias")
DEPTHWISE_7X7 = Faulty("depthwise_7x7_wrong")
GRAD_WEIGHT_FIRST_IMAGE = Faulty("grad_weight_first_batch_only")


def _no_groups(config, dtype=None, gradients=False):
    return "this backend has no grouped convolution" if config.groups > 1 else None


@dataclass
class UngroupedOracle:
    """Correct, but declares (through config_limits) that it cannot express groups: certify must report the
    grouped cells "unsupported" with that reason, not run them with no examples, and the rest as usual."""

    name: str = "ungrouped-oracle"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(
        dtypes=("float64",), transposed=False, gradients=False, accuracy={"float64": "exact-inputs"},
        config_limits=_no_groups))

    def forward(self, config, x, w, b, dtype):
        if config.groups > 1:
            raise NotImplementedError("groups")  # never reached when the limits are honoured
        return Result(_forward(config, x, w, b), dtype)

    def grads(self, *args):
        raise NotImplementedError


UNGROUPED = UngroupedOracle()


@dataclass
class AcceptsInvalid:
    """The oracle on valid configs, but an invalid one returns zeros instead of raising (a backend that skips
    validation): every generated row passes, every invalid-config row must fail the certification."""

    name: str = "accepts-invalid"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(
        dtypes=("float64",), gradients=False, accuracy={"float64": "exact-inputs"}))

    def forward(self, config, x, w, b, dtype):
        try:
            return Result(_forward(config, x, w, b), dtype, "oracle")
        except oracle.ConvConfigError:
            return Result(np.zeros((x.shape[0], 1, 1)), dtype, "unvalidated")

    def grads(self, *args):
        raise NotImplementedError


ACCEPTS_INVALID = AcceptsInvalid()


@dataclass
class KillsItsWorker(AcceptsInvalid):
    """Kills the pytest-xdist worker process itself (not the isolated backend process) the first time a worker
    asks its version, while the file named by CONVCONF_TEST_KILL_ONCE exists: a row that ends without a record."""

    name: str = "kills-its-worker"

    def version(self):
        import os

        marker = os.environ.get("CONVCONF_TEST_KILL_ONCE")
        if marker and os.environ.get("PYTEST_XDIST_WORKER") and os.path.exists(marker):
            os.remove(marker)
            os._exit(7)
        return "1.0"


KILLS_ITS_WORKER = KillsItsWorker()
