"""Hypothesis strategies: valid convolution configurations and the data fed to them.

`conv_configs()` only generates configurations the oracle accepts: sizes are drawn
after the hyper-parameters they depend on (input size >= what kernel, dilation and
padding need; reflect padding < input size), so nothing is filtered away but the
rare draw over the MAC budget.  Every draw starts from its simplest value, so a
failure shrinks to a small readable config (1-d, batch 1, groups 1, stride 1, ...).

Tensor data is drawn as a seed for numpy's generator (`seeds()`, then conformance.generate.data):
fast for large arrays, and a reproducer needs only (config, dtype, kind, seed).
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import oracle

from conformance.model.arguments import check_range, check_subset, space
from conformance.model.config import GENERAL_FEATURES, TRANSPOSED_GENERAL_FEATURES, ConvConfig, padding_pairs
from conformance.generate.families import BUDGETS, FAMILY_NAMES, available, family_configs



# out of 12 draws, 4 come from the box of small uniform configs and 8 from the families, one each
BOX_SHARE = 4
BOX_MACS = 30_000  # the box's default budget: forward multiply-accumulates per example


def conv_configs(*, ndim=None, transposed=None, padding_modes=oracle.PADDING_MODES, bias=None, max_batch=3,
                 max_groups=4, max_channels_per_group=3, max_kernel=4, max_stride=3, max_dilation=3,
                 max_macs=None, families=FAMILY_NAMES, max_extent=1024, general=(),
                 general_transposed=(), box=True) -> st.SearchStrategy[ConvConfig]:
    """Valid ConvConfigs: the box of small configs mixed with the bug families (conformance.generate.families).

    ndim, transposed, padding_modes and bias narrow every draw; the other max_* limits bound
    the box.  MAC budgets: by default the box gets BOX_MACS and each family its own
    (families.BUDGETS), since the families exist to leave the box; an explicit max_macs caps
    every draw.  families=() gives the box alone, box=False the families alone; max_extent caps padding and dilated
    kernel extents (the extreme family's huge dilations).  general: GENERAL_FEATURES to mix in
    (general_configs), for backends that declare them, and general_transposed the
    TRANSPOSED_GENERAL_FEATURES of transposed draws; ndim=4 draws the box alone (the families
    are PyTorch's ranks).
    """
    include_box, sp = box, space(ndim, transposed, padding_modes, bias, max_extent)
    general = check_subset("general", general, GENERAL_FEATURES) if general else ()
    general_transposed = check_subset("general_transposed", general_transposed, TRANSPOSED_GENERAL_FEATURES) \
        if general_transposed else ()
    if max(sp.ndims) > 3:  # the general convolution of more than 3 axes is a forward one here
        if transposed:
            raise InvalidArgument(f"ndim={ndim!r} with transposed=True: transposed configs have 1 to 3 spatial axes")
        sp = replace(sp, transposes=(False,))
    for name, value in [("max_batch", max_batch), ("max_groups", max_groups),
                        ("max_channels_per_group", max_channels_per_group), ("max_kernel", max_kernel),
                        ("max_stride", max_stride), ("max_dilation", max_dilation)]:
        check_range(name, value, 1)
    if max_macs is not None:
        check_range("max_macs", max_macs, 1)
    box_macs = BOX_MACS if max_macs is None else max_macs
    families = check_subset("families", families, FAMILY_NAMES) if families else ()
    limits = dict(max_batch=max_batch, max_groups=max_groups, max_cpg=max_channels_per_group,
                  max_kernel=max_kernel, max_stride=max_stride, max_dilation=max_dilation)
    box = _configs(sp.ndims, sp.transposes, sp.modes, sp.biases, limits).filter(lambda c: c.macs <= box_macs)
    drawn = tuple(name for name in families if available(name, sp))
    sources = {name: family_configs(name, ndim=ndim, transposed=transposed, padding_modes=sp.modes, bias=bias,
                                    max_macs=None if max_macs is None else min(BUDGETS[name], max_macs),
                                    max_extent=max_extent) for name in drawn}
    if general and False in sp.transposes:
        sources["general"] = general_configs(ndim=ndim, features=general, padding_modes=sp.modes, bias=bias,
                                             max_macs=box_macs)
    if general_transposed and True in sp.transposes:
        sources["general-transposed"] = general_configs(ndim=ndim, features=general_transposed, bias=bias,
                                                        max_macs=box_macs, transposed=True)
    if not include_box:
        if not sources:
            raise InvalidArgument(f"box=False with families={families!r}: none of them can draw under this narrowing")
        return st.one_of(*sources.values())
    return _mixed(box, sources) if sources else box


@st.composite
def neighbours(draw, config: ConvConfig, inside=lambda c: True) -> ConvConfig:
    """Configs near `config` for which `inside(config)` holds: its batch, channels per group, bias and input sizes
    varied (a known finding's geometry, explored around its example rather than replayed).  A variation that
    leaves `inside`, or is invalid, gives `config` itself, where every draw also shrinks to."""
    batch = draw(st.sampled_from((config.batch, config.batch + 1, 2 * config.batch)))
    more_in, more_out = draw(st.sampled_from((1, 2))), draw(st.sampled_from((1, 2)))
    grow = tuple(draw(st.integers(0, 2)) for _ in config.input_size)
    bias = draw(st.sampled_from((config.bias, not config.bias)))
    candidate = replace(config, batch=batch, in_channels=config.in_channels * more_in,
                        out_channels=config.out_channels * more_out, bias=bias,
                        input_size=tuple(n + g for n, g in zip(config.input_size, grow)))
    try:
        candidate.spec()
        return candidate if inside(candidate) else config
    except oracle.ConvConfigError:
        return config


@st.composite
def _mixed(draw, box, families: dict) -> ConvConfig:
    # the box first, so a failure shrinks to a box config when one reproduces it
    source = draw(st.sampled_from(("box",) * BOX_SHARE + tuple(families)), label="source")
    return draw(box if source == "box" else families[source])


def _one_or_more(upper: int) -> st.SearchStrategy[int]:
    return st.one_of(st.just(1), st.integers(1, upper))


@st.composite
def _configs(draw, ndims, transposes, modes, biases, limits) -> ConvConfig:
    nd = draw(st.sampled_from(ndims))
    is_transposed = draw(st.sampled_from(transposes))
    # batch 1 and groups 1 half the time: kernel selection often special-cases them (e.g. torch
    # CPU float32 takes SlowDilated3d only for an ungrouped, dilated 3-d conv of a single image)
    batch = draw(_one_or_more(limits["max_batch"]))
    groups = draw(_one_or_more(limits["max_groups"]))
    # independent per-group counts reach depthwise (in=1 per group) and channel multipliers (out>1)
    in_pg = draw(st.integers(1, limits["max_cpg"]))
    out_pg = draw(st.integers(1, limits["max_cpg"]))

    def dims(lo, hi):
        return tuple(draw(st.integers(lo, hi)) for _ in range(nd))

    # more than 3 axes multiply sizes fast: smaller kernels and inputs keep rank 4 inside the MAC budget
    spread = 5 if nd <= 3 else 2
    kernel = dims(1, limits["max_kernel"] if nd <= 3 else min(limits["max_kernel"], 2))
    stride = dims(1, limits["max_stride"])
    dilation = dims(1, limits["max_dilation"])
    if is_transposed:
        padding = dims(0, 2)
        # PyTorch's rule: each output_padding must be smaller than its stride or its dilation
        output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
        # output size (L-1)*s - 2p + d*(K-1) + op + 1 >= 1  <=>  (L-1)*s >= 2p - d*(K-1) - op
        lows = [1 + max(0, -(-(2 * p - d * (k - 1) - op) // s))
                for p, d, k, op, s in zip(padding, dilation, kernel, output_padding, stride)]
        size = tuple(draw(st.integers(lo, lo + spread)) for lo in lows)
        return ConvConfig(nd, batch, groups * in_pg, groups * out_pg, groups,
                          size, kernel, stride, padding, dilation, "zeros", draw(st.sampled_from(biases)), True,
                          output_padding)
    mode = draw(st.sampled_from(modes))
    # explicit ints first so failures shrink to them; "same" and "valid" are the strings torch accepts
    padding_kind = draw(st.sampled_from(("explicit", "valid", "same")))
    padding = dims(0, 3) if padding_kind == "explicit" else padding_kind
    if padding == "same":
        stride = (1,) * nd  # PyTorch rejects 'same' with stride > 1
    before, after = padding_pairs(padding, kernel, dilation)
    lows = []
    for k, d, b, a in zip(kernel, dilation, before, after):
        low = max(1, d * (k - 1) + 1 - b - a)  # the padded input must hold the dilated kernel
        if mode == "reflect":
            low = max(low, max(b, a) + 1)  # reflect padding must be < input size
        elif mode == "circular":
            low = max(low, max(b, a))  # circular padding must be <= input size
        lows.append(low)
    size = tuple(draw(st.integers(lo, lo + spread)) for lo in lows)
    return ConvConfig(nd, batch, groups * in_pg, groups * out_pg, groups, size,
                      kernel, stride, padding, dilation, mode, draw(st.sampled_from(biases)), False, None)


def general_configs(*, ndim=None, features=None, padding_modes=oracle.PADDING_MODES, bias=None,
                    max_macs=BOX_MACS, transposed=False) -> st.SearchStrategy[ConvConfig]:
    """Valid ConvConfigs that each use one of `features` and no other, for oracle.conv_general.

    Forward (config.GENERAL_FEATURES, all by default): padding pairs that differ (in any declared padding mode),
    pairs with a cropping side, input dilation, SAME_UPPER / SAME_LOWER at any stride.  transposed=True
    (config.TRANSPOSED_GENERAL_FEATURES): ONNX ConvTranspose's lopsided output crops and SAME_UPPER / SAME_LOWER,
    1 to 3 spatial axes.  Sizes are drawn after what they must hold, as in conv_configs, so nothing is filtered
    but the rare draw over max_macs."""
    sp = space(ndim, transposed, padding_modes, bias)
    if transposed:
        if max(sp.ndims) > 3:
            raise InvalidArgument(f"ndim={ndim!r} with transposed=True: transposed configs have 1 to 3 spatial axes")
        features = check_subset("features", TRANSPOSED_GENERAL_FEATURES if features is None else features,
                                TRANSPOSED_GENERAL_FEATURES)
        check_range("max_macs", max_macs, 1)
        return _general_transposed(sp.ndims, features, sp.biases).filter(lambda c: c.macs <= max_macs)
    features = check_subset("features", GENERAL_FEATURES if features is None else features, GENERAL_FEATURES)
    check_range("max_macs", max_macs, 1)
    return _general(sp.ndims, features, sp.modes, sp.biases).filter(lambda c: c.macs <= max_macs)


@st.composite
def _general(draw, ndims, features, modes, biases) -> ConvConfig:
    nd = draw(st.sampled_from(ndims))
    feature = draw(st.sampled_from(features))
    batch = draw(_one_or_more(2))
    groups = draw(_one_or_more(3))
    in_pg, out_pg = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    small = nd <= 3

    def dims(lo, hi):
        return tuple(draw(st.integers(lo, hi)) for _ in range(nd))

    kernel = dims(1, 3 if small else 2)
    stride = dims(1, 3)
    dilation = dims(1, 2)
    lhs = None
    mode = "zeros"
    if feature == "asymmetric-padding":
        mode = draw(st.sampled_from(modes))
        pairs = [(draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in range(nd)]
        axis = draw(st.integers(0, nd - 1))  # one axis surely lopsided
        lo = pairs[axis][0]
        pairs[axis] = (lo, draw(st.integers(0, 3).filter(lambda v: v != lo)))
        padding = tuple(pairs)
    elif feature == "negative-padding":
        pairs = [(draw(st.integers(-2, 3)), draw(st.integers(-2, 3))) for _ in range(nd)]
        axis = draw(st.integers(0, nd - 1))  # one side surely crops
        side = draw(st.integers(0, 1))
        pairs[axis] = tuple(draw(st.integers(-2, -1)) if i == side else v for i, v in enumerate(pairs[axis]))
        padding = tuple(pairs)
    elif feature == "input-dilation":
        lhs = tuple(draw(st.integers(1, 3)) for _ in range(nd))
        axis = draw(st.integers(0, nd - 1))
        lhs = tuple(draw(st.integers(2, 3)) if i == axis else v for i, v in enumerate(lhs))
        padding = dims(0, 2)
    else:
        padding = {"same-upper": "SAME_UPPER", "same-lower": "SAME_LOWER"}[feature]
    sizes = []
    for i in range(nd):
        extent = dilation[i] * (kernel[i] - 1) + 1
        if isinstance(padding, str):
            low = 1  # auto-padding reaches the extent whatever the size
        else:
            lo, hi = padding[i] if isinstance(padding[i], tuple) else (padding[i], padding[i])
            b, a = max(lo, 0), max(hi, 0)
            crop = max(-lo, 0) + max(-hi, 0)
            kept = max(1, extent - b - a)  # what cropping must leave: the kernel must fit once padded
            if mode == "reflect":
                kept = max(kept, max(b, a) + 1)  # reflect padding must be < the (cropped) size
            elif mode == "circular":
                kept = max(kept, b, a)  # circular padding must be <= it
            m = lhs[i] if lhs else 1
            # the lhs-dilated input is (n-1)*m + 1 long; cropping leaves that minus crop >= kept
            low = 1 + -(-max(0, kept + crop - 1) // m)
        sizes.append(draw(st.integers(low, low + (4 if small else 1))))
    return ConvConfig(nd, batch, groups * in_pg, groups * out_pg, groups, tuple(sizes), kernel, stride, padding,
                      dilation, mode, draw(st.sampled_from(biases)), False, None, lhs)


@st.composite
def _general_transposed(draw, ndims, features, biases) -> ConvConfig:
    nd = draw(st.sampled_from(ndims))
    feature = draw(st.sampled_from(features))
    batch = draw(_one_or_more(2))
    groups = draw(_one_or_more(3))
    in_pg, out_pg = draw(st.integers(1, 3)), draw(st.integers(1, 3))

    def dims(lo, hi):
        return tuple(draw(st.integers(lo, hi)) for _ in range(nd))

    kernel = dims(1, 3)
    dilation = dims(1, 2)
    extents = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    stride = dims(1, 3)
    if feature == "asymmetric-padding":
        pairs = [(draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in range(nd)]
        axis = draw(st.integers(0, nd - 1))  # one axis surely lopsided
        lo = pairs[axis][0]
        pairs[axis] = (lo, draw(st.integers(0, 3).filter(lambda v: v != lo)))
        padding = tuple(pairs)
    else:
        # SAME_UPPER / SAME_LOWER crop the full output (n-1)*s + output_padding + extent to n*s: a total of
        # extent - s + output_padding, split; a negative total (stride past extent + output_padding) extends the
        # output, its odd element placed as onnx.reference's floor division places it (oracle.conventions)
        padding = {"same-upper": "SAME_UPPER", "same-lower": "SAME_LOWER"}[feature]
    # PyTorch's rule (output_padding < stride or dilation) is the draw's; ONNX Runtime asks < stride (its limits)
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    sizes = []
    for i in range(nd):
        if isinstance(padding, str):
            low = 1  # the output is n*s
        else:
            # the full output (n-1)*s + output_padding + extent must keep >= 1 element after both crops, and the
            # crops must not pass every element the input reaches (oracle.conv_general's form crops the
            # stride-dilated input, (n-1)*s + 1 long, by what each crop exceeds its side's extent - 1 padding)
            b, e = padding[i]
            short = b + e + 1 - output_padding[i] - extents[i]
            crops = max(b - extents[i] + 1, 0) + max(e - output_padding[i] - extents[i] + 1, 0)
            low = 1 + max(-(-max(0, short) // stride[i]), -(-max(0, crops - 1) // stride[i]))
        sizes.append(draw(st.integers(low, low + 4)))
    return ConvConfig(nd, batch, groups * in_pg, groups * out_pg, groups, tuple(sizes), kernel, stride, padding,
                      dilation, "zeros", draw(st.sampled_from(biases)), True, output_padding)


def seeds() -> st.SearchStrategy[int]:
    return st.integers(0, 2**32 - 1)
