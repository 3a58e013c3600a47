"""Hypothesis strategies: valid convolution configurations and the data fed to them.

`conv_configs()` only generates configurations the oracle accepts: sizes are drawn
after the hyper-parameters they depend on (input size >= what kernel, dilation and
padding need; reflect padding < input size), so nothing is filtered away but the
rare draw over the MAC budget.  Every draw starts from its simplest value, so a
failure shrinks to a small readable config (1-d, batch 1, groups 1, stride 1, ...).

Tensor data is drawn as a seed for numpy's generator (`seeds()`, then conformance.data):
fast for large arrays, and a reproducer needs only (config, dtype, kind, seed).
"""

from __future__ import annotations

from hypothesis import strategies as st

import oracle

from .arguments import check_range, check_subset, space
from .config import ConvConfig, padding_pairs
from .families import BUDGETS, FAMILY_NAMES, available, family_configs



# out of 12 draws, 4 come from the box of small uniform configs and 8 from the families, one each
BOX_SHARE = 4
BOX_MACS = 30_000  # the box's default budget: forward multiply-accumulates per example


def conv_configs(*, ndim=None, transposed=None, padding_modes=oracle.PADDING_MODES, bias=None, max_batch=3,
                 max_groups=4, max_channels_per_group=3, max_kernel=4, max_stride=3, max_dilation=3,
                 max_macs=None, families=FAMILY_NAMES, max_extent=1024) -> st.SearchStrategy[ConvConfig]:
    """Valid ConvConfigs: the box of small configs mixed with the bug families (conformance.families).

    ndim, transposed, padding_modes and bias narrow every draw; the other max_* limits bound
    the box.  MAC budgets: by default the box gets BOX_MACS and each family its own
    (families.BUDGETS), since the families exist to leave the box; an explicit max_macs caps
    every draw.  families=() gives the box alone; max_extent caps padding and dilated
    kernel extents (the extreme family's huge dilations).
    """
    sp = space(ndim, transposed, padding_modes, bias, max_extent)
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
    if not drawn:
        return box
    return _mixed(box, {name: family_configs(name, ndim=ndim, transposed=transposed, padding_modes=sp.modes, bias=bias,
                                             max_macs=None if max_macs is None else min(BUDGETS[name], max_macs),
                                             max_extent=max_extent) for name in drawn})


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

    kernel = dims(1, limits["max_kernel"])
    stride = dims(1, limits["max_stride"])
    dilation = dims(1, limits["max_dilation"])
    if is_transposed:
        padding = dims(0, 2)
        # PyTorch's rule: each output_padding must be smaller than its stride or its dilation
        output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
        # output size (L-1)*s - 2p + d*(K-1) + op + 1 >= 1  <=>  (L-1)*s >= 2p - d*(K-1) - op
        lows = [1 + max(0, -(-(2 * p - d * (k - 1) - op) // s))
                for p, d, k, op, s in zip(padding, dilation, kernel, output_padding, stride)]
        size = tuple(draw(st.integers(lo, lo + 5)) for lo in lows)
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
    size = tuple(draw(st.integers(lo, lo + 5)) for lo in lows)
    return ConvConfig(nd, batch, groups * in_pg, groups * out_pg, groups, size,
                      kernel, stride, padding, dilation, mode, draw(st.sampled_from(biases)), False, None)


def seeds() -> st.SearchStrategy[int]:
    return st.integers(0, 2**32 - 1)
