"""Bug-family strategies: the corners of the configuration space where convolution kernels break.

Real kernels vectorise over blocks of channels and output positions, special-case 1x1
kernels, depthwise layers and size-1 dimensions, treat windows that read only padding
apart, and switch algorithms above size thresholds; published convolution bugs cluster
there.  Each family below is a public strategy (narrowed like `conv_configs`) and a
predicate (conformance.model.classify): `tags(config)` names every family a config belongs
to, whichever strategy drew it, so coverage is measured on what the config is, not on where
it came from.

Each family has its own MAC budget (forward multiply-accumulates per example, `BUDGETS`),
sized so the oracle's cost per example stays within a few milliseconds; every draw starts
from the family's simplest member, so failures shrink inside the family.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Callable

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import oracle

from conformance.model.arguments import SPATIAL_RANKS, Space, check_range, space
from conformance.model.classify import FAMILY_PREDICATES, LONG_TERMS
from conformance.model.config import ConvConfig, padding_pairs

# channel and width counts at and around the block edges of SIMD kernels (8/16/32/64 lanes)
EDGES = (1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65)
BIG_EDGES = tuple(e for e in EDGES if e >= 7)
WIDTHS = (15, 16, 17, 31, 32, 33, 63, 64, 65)
BATCHES = (4, 7, 8, 9, 15, 16, 17)
# dilations for 'same' padding where only the centre tap lands inside; around 2**31 and 2**32
HUGE_DILATIONS = (16, 17, 100, 2**10, 2**16 + 1, 2**20, 2**30, 2**31 - 1, 2**31, 2**31 + 1, 2**32, 2**33)
# -- shared draws -----------------------------------------------------------------------------------

def _forward_modes(sp: Space, allowed=oracle.PADDING_MODES) -> tuple:
    return tuple(m for m in sp.modes if m in allowed)


def _directions(sp: Space, allowed_modes=oracle.PADDING_MODES, transposed_ok=True) -> tuple:
    out = []
    if False in sp.transposes and _forward_modes(sp, allowed_modes):
        out.append(False)
    if True in sp.transposes and transposed_ok:
        out.append(True)
    return tuple(out)


def _channels(draw, max_cpg=3):
    """(groups, in_pg, out_pg) in one of three styles: plain, grouped, depthwise (one input channel per group)."""
    style = draw(st.sampled_from(("plain", "grouped", "depthwise")))
    if style == "plain":
        return 1, draw(st.integers(1, max_cpg)), draw(st.integers(1, max_cpg))
    if style == "grouped":
        return draw(st.integers(2, 3)), draw(st.integers(2, max(2, max_cpg))), draw(st.integers(1, max_cpg))
    return draw(st.integers(2, 4)), 1, draw(st.integers(1, 2))


def _conv_size(draw, o, k, d, s, pb, pa, mode) -> int:
    """An input size giving output size o (or the smallest valid one), honouring the mode's limits."""
    n = (o - 1) * s + d * (k - 1) + 1 - pb - pa + draw(st.integers(0, s - 1))
    low = 1
    if mode == "reflect":
        low = max(pb, pa) + 1  # reflect padding must be < input size
    elif mode == "circular":
        low = max(pb, pa, 1)  # circular padding must be <= input size
    return max(n, low, d * (k - 1) + 1 - pb - pa)


def _plain_axis(draw, transposed: bool, mode: str):
    """(n, k, d, s, p, op) of a background axis: kernel 1-3, dilation and stride 1-2, little padding."""
    k, d, s = draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    if transposed:
        op = draw(st.integers(0, max(s, d) - 1))
        return draw(st.integers(1, 3)), k, d, s, draw(st.integers(0, min(1, d * (k - 1) // 2))), op
    p = draw(st.integers(0, 1))
    return _conv_size(draw, draw(st.integers(1, 3)), k, d, s, p, p, mode), k, d, s, p, 0


def _build(nd, batch, groups, in_pg, out_pg, axes, mode, bias, transposed, padding=None) -> ConvConfig:
    n, k, d, s, p, op = (tuple(a[i] for a in axes) for i in range(6))
    return ConvConfig(nd, batch, groups * in_pg, groups * out_pg, groups, n, k, s, p if padding is None else padding,
                      d, "zeros" if transposed else mode, bias, transposed, op if transposed else None)


def _with_focus(draw, nd, transposed, mode, focus_axis):
    """Axes where one (drawn) axis is special: focus_axis(draw) -> (n, k, d, s, p, op)."""
    focus = draw(st.integers(0, nd - 1))
    return [focus_axis(draw) if i == focus else _plain_axis(draw, transposed, mode) for i in range(nd)]


def _trim(config: ConvConfig, budget: int, keep_batch: bool = False) -> ConvConfig:
    """Halve the batch (unless keep_batch), then shrink the largest spatial inputs as far as validity
    allows, to fit the budget."""
    from dataclasses import replace

    while config.macs > budget and config.batch > 1 and not keep_batch:
        config = replace(config, batch=config.batch // 2)
    while config.macs > budget:
        for i in sorted(range(config.ndim), key=lambda j: -config.input_size[j]):
            n = config.input_size[i]
            smaller = next((c for c in (replace(config, input_size=config.input_size[:i] + (m,) +
                                                config.input_size[i + 1:]) for m in range(max(1, n // 2), n))
                            if _valid(c)), None)
            if smaller is not None:
                config = smaller
                break
        else:
            return config  # as small as it gets: family_configs' final filter decides
    return config


def _valid(config: ConvConfig) -> bool:
    try:
        config.spec()
    except oracle.ConvConfigError:
        return False
    return True


# -- the families -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Family:
    name: str
    draw: Callable  # (draw, space, budget) -> ConvConfig, or None when the space excludes the family
    budget: int  # forward MACs per example
    modes: tuple = oracle.PADDING_MODES  # forward padding modes the family can use
    what: str = ""

    @property
    def holds(self) -> Callable:
        """config -> bool: the family's tag (conformance.model.classify, below the strategies)."""
        return FAMILY_PREDICATES[self.name]


def _padding_only(draw, sp: Space, budget):
    directions = _directions(sp, ("zeros", "replicate"))
    transposed = draw(st.sampled_from(directions))
    mode = "zeros" if transposed else draw(st.sampled_from(_forward_modes(sp, ("zeros", "replicate"))))

    def focus(draw):
        k, d = draw(st.integers(1, 2 if transposed else 3)), draw(st.integers(1, 2 if transposed else 3))
        n = draw(st.integers(1, 2))
        if transposed:
            # stride past the dilated kernel leaves outputs between two inputs' windows unreached;
            # output_padding adds outputs past the last window
            s = d * (k - 1) + draw(st.integers(2, 3))
            op = draw(st.integers(1 if n == 1 else 0, max(s, d) - 1))
            return n, k, d, s, 0, op
        # padding of at least the dilated extent: the first window reads padding only
        p = d * (k - 1) + 1 + draw(st.integers(0, 3))
        return n, k, d, draw(st.integers(1, 3)), p, 0

    groups, in_pg, out_pg = _channels(draw)
    nd = draw(st.sampled_from(sp.ndims))
    return _build(nd, draw(st.integers(1, 2)), groups, in_pg, out_pg, _with_focus(draw, nd, transposed, mode, focus),
                  mode, draw(st.sampled_from(sp.biases)), transposed)


def _skipped_inputs(draw, sp: Space, budget):
    transposed = draw(st.sampled_from(_directions(sp)))
    mode = "zeros" if transposed else draw(st.sampled_from(_forward_modes(sp)))

    def focus(draw):
        k = draw(st.integers(1, 2 if transposed else 3))
        if transposed:
            # padding past the dilated extent crops every output of input 0
            p = k + draw(st.integers(0, 1))
            s = draw(st.integers(1, 2))
            low = 1 + max(0, -(-(2 * p - (k - 1)) // s))
            return draw(st.integers(low, low + 3)), k, 1, s, p, 0
        d = draw(st.integers(1, 2))
        e = d * (k - 1) + 1
        s = e + draw(st.integers(1, 3))  # stride past the dilated extent: positions e..s-1 are never read
        return draw(st.integers(e + 1, e + 2 * s)), k, d, s, 0, 0

    groups, in_pg, out_pg = _channels(draw)
    nd = draw(st.sampled_from(sp.ndims))
    return _build(nd, draw(st.integers(1, 2)), groups, in_pg, out_pg, _with_focus(draw, nd, transposed, mode, focus),
                  mode, draw(st.sampled_from(sp.biases)), transposed)


def _size_one(draw, sp: Space, budget):
    transposed = draw(st.sampled_from(_directions(sp, ("zeros", "replicate", "circular"))))
    mode = "zeros" if transposed else draw(st.sampled_from(_forward_modes(sp, ("zeros", "replicate", "circular"))))

    def focus(draw):
        s, k = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        d = 1 if mode == "circular" else draw(st.integers(1, 2))
        if transposed:
            op = draw(st.integers(0, max(s, d) - 1))
            return 1, k, d, s, draw(st.integers(0, d * (k - 1) // 2)), op
        if mode == "circular":  # circular padding must be <= the input size, 1
            return 1, k, d, s, 1, 0
        p = max(1, -(-(d * (k - 1)) // 2))  # 1 + 2p >= the dilated extent
        return 1, k, d, s, p + draw(st.integers(0, 1)), 0

    one_in, one_out = draw(st.booleans()), draw(st.booleans())
    groups, in_pg, out_pg = _channels(draw, max_cpg=2)
    if one_in or one_out:
        groups = 1
        in_pg, out_pg = (1 if one_in else in_pg), (1 if one_out else out_pg)
    nd = draw(st.sampled_from(sp.ndims))
    return _build(nd, draw(st.integers(1, 2)), groups, in_pg, out_pg, _with_focus(draw, nd, transposed, mode, focus),
                  mode, draw(st.sampled_from(sp.biases)), transposed)


def _sized_axes(draw, nd, transposed, mode, k, s, p, d=1):
    """Axes of kernel k, stride s, padding p, dilation d whose output (conv) or input (transposed) is 1-3 long."""
    axes = []
    for _ in range(nd):
        size = draw(st.integers(1, 3))
        if transposed:
            axes.append((size, k, d, s, 0, 0))
        else:
            axes.append((_conv_size(draw, size, k, d, s, p, p, mode), k, d, s, p, 0))
    return axes


def _channel_blocks(draw, sp: Space, budget):
    transposed = draw(st.sampled_from(_directions(sp)))
    mode = "zeros" if transposed else draw(st.sampled_from(_forward_modes(sp)))
    nd = draw(st.sampled_from(sp.ndims))
    kind = draw(st.sampled_from(("edges", "depthwise", "pointwise-stride-2", "3x3")))
    d = 1
    if kind == "depthwise":  # many groups of one input channel, channel multiplier 1-3
        k, s, p = 3, draw(st.integers(1, 2)), 1
        groups, in_pg, out_pg = draw(st.sampled_from(BIG_EDGES)), 1, draw(st.integers(1, 3))
    else:
        k, s, p = {"edges": (draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(0, 1))),
                   "pointwise-stride-2": (1, 2, 0), "3x3": (3, 1, 1)}[kind]
        d = draw(st.integers(1, 2)) if kind == "edges" else 1
        groups = draw(st.integers(1, 2)) if kind == "edges" else 1
        least = 15 if kind == "3x3" else 7  # 3x3 stride 1 with >= 15 channels on both sides
        # at least one side past a block edge; the other anywhere on the edges
        big_in = kind == "3x3" or draw(st.booleans())
        in_pg = draw(st.sampled_from(tuple(e for e in EDGES if e >= least) if big_in else EDGES))
        fits = tuple(e for e in EDGES if groups * in_pg * e * k ** nd <= budget) or (1,)
        big_out = tuple(e for e in fits if e >= least)
        out_pg = draw(st.sampled_from(fits if big_in and kind != "3x3" else big_out or fits))
    if transposed:
        p = 0
    axes = _sized_axes(draw, nd, transposed, mode, k, s, p, d)
    config = _build(nd, draw(st.integers(1, 2)), groups, in_pg, out_pg, axes, mode, draw(st.sampled_from(sp.biases)),
                    transposed)
    return _trim(config, budget)


def _width_blocks(draw, sp: Space, budget):
    transposed = draw(st.sampled_from(_directions(sp)))
    mode = "zeros" if transposed else draw(st.sampled_from(_forward_modes(sp)))
    nd = draw(st.sampled_from(sp.ndims))
    axes = [_plain_axis(draw, transposed, mode) for _ in range(nd - 1)]
    width = draw(st.sampled_from(WIDTHS))
    k, d, s = draw(st.integers(1, 5)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    if transposed:
        axes.append((width, k, d, s, 0, 0))  # input width at a block edge, output about s times wider
    else:
        p = min(draw(st.integers(0, 2)), d * (k - 1))
        axes.append((_conv_size(draw, width, k, d, s, p, p, mode), k, d, s, p, 0))
    groups, in_pg, out_pg = _channels(draw, max_cpg=4)
    config = _build(nd, draw(st.integers(1, 2)), groups, in_pg, out_pg, axes, mode, draw(st.sampled_from(sp.biases)),
                    transposed)
    return _trim_keep_width(config, budget)


def _trim_keep_width(config: ConvConfig, budget: int) -> ConvConfig:
    """Fit the budget by shrinking channels and batch, never the width the family is about."""
    from dataclasses import replace

    while config.macs > budget and (config.batch > 1 or config.in_channels > config.groups or
                                    config.out_channels > config.groups):
        config = replace(config, batch=max(1, config.batch // 2), in_channels=config.groups,
                         out_channels=config.groups)
    return config


def _batch_blocks(draw, sp: Space, budget):
    # half the draws are a training batch's plain layer: a 2-d forward convolution of 16 or 17 images, no
    # dilation or groups (kernels special-case it: torch's NNPACK path takes float32 batches >= 16 of those)
    training = draw(st.booleans()) and 2 in sp.ndims and False in _directions(sp)
    transposed = False if training else draw(st.sampled_from(_directions(sp)))
    mode = "zeros" if transposed else draw(st.sampled_from(_forward_modes(sp)))
    nd = 2 if training else draw(st.sampled_from(sp.ndims))
    groups, in_pg, out_pg = (1, draw(st.integers(1, 3)), draw(st.integers(1, 3))) if training else _channels(draw)
    axes = [_plain_axis(draw, transposed, mode) for _ in range(nd)]
    if training:
        axes = [(n, k, 1, s, min(p, k - 1), op) for n, k, d, s, p, op in axes]
    batch = draw(st.sampled_from((16, 17) if training else BATCHES))
    config = _build(nd, batch, groups, in_pg, out_pg, axes, mode, draw(st.sampled_from(sp.biases)), transposed)
    return _trim(config, budget, keep_batch=True)


def _spread(total: int, nd: int) -> tuple:
    """nd sizes, as equal as can be, whose product is at least total."""
    sizes = []
    for i in range(nd, 0, -1):
        size = -(-round(total ** (1 / i) * 1000) // 1000)  # the i-th root, rounded up past float noise
        while size ** i < total:
            size += 1
        sizes.append(size)
        total = -(-total // size)
    return tuple(sizes)


def _long_reduction(draw, sp: Space, budget, everywhere: bool = False):
    """Sums of >= LONG_TERMS products: a kernel of ~64 or ~128 taps with 8 or 4 channels a side makes the forward (or
    transposed) sum and the grad_input sum long at once, and batch x positions >= LONG_TERMS (a third of the
    draws) makes grad_weight's and grad_bias's long too; 3-wide and 1x1 kernels over hundreds of channels (the
    GEMM-like paths) make one channel sum long, grouped and depthwise layers the output side's.  `everywhere`:
    only the first kind, plain, with the long positions and a bias (every direction long at once)."""
    transposed = draw(st.sampled_from(_directions(sp)))
    mode = "zeros" if transposed else draw(st.sampled_from(_forward_modes(sp)))
    nd = draw(st.sampled_from(sp.ndims))
    # long kernels twice as often: they make both channel sums long
    kind = "long-kernel" if everywhere else draw(st.sampled_from(("long-kernel", "long-kernel", "many-channels",
                                                                  "pointwise")))
    style = "plain" if everywhere else draw(st.sampled_from(("plain", "grouped", "depthwise")))
    if kind == "long-kernel":  # ~64 taps (64-72 along one axis, 8 x 8-9, 4 x 4 x 4-5), or ~128 (wav2vec2's
        # positional convolution has 128 taps): 128-136, 11 x 12, 5 x 5 x 5 (half the channels, half the MACs)
        kernel = draw(st.sampled_from(({1: (64,), 2: (8, 8), 3: (4, 4, 4)}[nd], {1: (128,), 2: (11, 12),
                                                                                  3: (5, 5, 5)}[nd])))
        kernel = kernel[:-1] + (kernel[-1] + draw(st.integers(0, 8 if nd == 1 else 1)),)
        in_pg = out_pg = -(-LONG_TERMS // prod(kernel))
    else:  # hundreds of channels on one side, one channel on the other
        kernel = (3 if kind == "many-channels" else 1,) * nd
        many = draw(st.sampled_from(tuple(c for c in (19, 20, 31, 32, 33, 57, 63, 64, 65, 171, 172, 512, 513, 520)
                                          if LONG_TERMS <= c * prod(kernel) < 2 * LONG_TERMS)))
        in_pg, out_pg = (many, 1) if draw(st.booleans()) else (1, many)
    groups = {"plain": 1, "grouped": 2, "depthwise": draw(st.integers(2, 3)) if style == "depthwise" else 1}[style]
    if style == "depthwise":  # one input channel per group: the output side stays long
        in_pg, out_pg = 1, max(in_pg, out_pg)
    dilation = tuple(draw(st.integers(1, 2)) if 1 < k < 8 else 1 for k in kernel)
    batch = draw(st.integers(1, 2))
    total = LONG_TERMS if everywhere else draw(st.sampled_from((1, 3, LONG_TERMS)))
    positions = _spread(-(-total // batch), nd)  # batch x positions >= total
    axes = []
    for n, k, d in zip(positions, kernel, dilation):
        p = draw(st.integers(0, min(1, d * (k - 1) // 2)))
        if transposed:  # stride 1: every tap reaches every output; the input positions are grad_weight's sum
            axes.append((n, k, d, 1, p, 0))
        else:  # a stride changes no sum's length here (the outputs are counted)
            s = 1 if everywhere else draw(st.integers(1, 2))
            axes.append((_conv_size(draw, n, k, d, s, p, p, mode), k, d, s, p, 0))
    bias = True if everywhere else draw(st.sampled_from(sp.biases))
    return _build(nd, batch, groups, in_pg, out_pg, axes, mode, bias, transposed)


def _extreme(draw, sp: Space, budget):
    transposed = draw(st.sampled_from(_directions(sp, ("zeros", "replicate"))))
    nd = draw(st.sampled_from(sp.ndims))
    padding = None
    if transposed:
        mode = "zeros"
        kind = draw(st.sampled_from(("max-output-padding", "stride-1-output-padding", "dilated")))

        def focus(draw):
            k = draw(st.integers(1, 3))
            if kind == "max-output-padding":
                s, d = draw(st.integers(2, 4)), draw(st.integers(1, 4))
                p, op = 0, max(s, d) - 1
            elif kind == "stride-1-output-padding":  # output_padding < dilation is valid at stride 1
                s, d, p = 1, draw(st.integers(2, 4)), 0
                op = draw(st.integers(1, d - 1))
            else:
                k, s, op = max(k, 2), 1, 0
                d = draw(st.sampled_from(tuple(v for v in HUGE_DILATIONS if v <= 64)))
                p = draw(st.integers(0, d * (k - 1) // 2))  # crops up to half of the dilated extent each side
            return draw(st.integers(1, 3)), k, d, s, p, op
    else:
        kinds = ["big-kernel", "big-padding"]
        if "zeros" in sp.modes and 2 * HUGE_DILATIONS[0] + 1 <= sp.max_extent:
            kinds.append("huge-dilation")
        kind = draw(st.sampled_from(kinds))
        mode = "zeros" if kind == "huge-dilation" else draw(st.sampled_from(_forward_modes(sp, ("zeros", "replicate"))))
        if kind == "huge-dilation" and draw(st.booleans()):
            padding = "same"

        def focus(draw):
            n = draw(st.integers(1, 3))
            if kind == "big-kernel":  # kernel longer than the unpadded input
                k = n + draw(st.integers(2, 5))
                return n, k, 1, draw(st.integers(1, 2)), -(-(k - n) // 2) + draw(st.integers(0, 2)), 0
            if kind == "big-padding":  # padding far past the input
                return n, draw(st.integers(1, 3)), 1, draw(st.integers(1, 4)), 4 * n + 4 + draw(st.integers(0, 4)), 0
            # 'same' with a dilation so large that only the centre tap of 3 lands inside
            d = draw(st.sampled_from(tuple(v for v in HUGE_DILATIONS if 2 * v + 1 <= sp.max_extent)))
            return draw(st.integers(1, 4)), 3, d, 1, d, 0

    axes = _with_focus(draw, nd, transposed, mode, focus)
    if padding == "same":  # 'same' needs stride 1 on every axis; symmetric here (odd kernel or even total)
        axes = [(n, k, d, 1, p, op) for n, k, d, s, p, op in axes]
        before, after = padding_pairs("same", [a[1] for a in axes], [a[2] for a in axes])
        if before != after:
            padding = None
    groups, in_pg, out_pg = _channels(draw)
    config = _build(nd, draw(st.integers(1, 2)), groups, in_pg, out_pg, axes, mode, draw(st.sampled_from(sp.biases)),
                    transposed, padding)
    return _trim(config, budget)


FAMILIES = {f.name: f for f in (
    Family("padding-only", _padding_only, 30_000, ("zeros", "replicate"),
           "outputs whose window reads only padding (transposed: outputs no input reaches)"),
    Family("skipped-inputs", _skipped_inputs, 30_000, oracle.PADDING_MODES,
           "input elements no window reads (stride past the kernel, remainders; transposed: cropped away)"),
    Family("size-1", _size_one, 30_000, ("zeros", "replicate", "circular"),
           "spatial size 1 with padding and stride > 1; in_channels, out_channels or channels per group 1"),
    Family("channel-blocks", _channel_blocks, 200_000, oracle.PADDING_MODES,
           "channels per group at SIMD block edges (7-9 ... 63-65), depthwise with many groups, 1x1 stride 2, "
           "3x3 stride 1 with >= 15 channels"),
    Family("width-blocks", _width_blocks, 100_000, oracle.PADDING_MODES,
           "output widths at block edges 15-65; inputs wider than 64 (vector tails)"),
    Family("batch-blocks", _batch_blocks, 100_000, oracle.PADDING_MODES, "batch 4-17"),
    Family("long-reduction", _long_reduction, 3_000_000, oracle.PADDING_MODES,
           f">= {LONG_TERMS} products per element in every direction the MAC budget allows (~64-tap kernels with 8 "
           f"channels a side; 3-wide and 1x1 kernels over hundreds of channels), over >= {LONG_TERMS} positions"),
    Family("extreme", _extreme, 50_000, ("zeros", "replicate"),
           "kernel longer than the input, padding far past it, 'same' with dilation up to 2**33; transposed: "
           "output_padding at its maximum or at stride 1"),
)}
FAMILY_NAMES = tuple(FAMILIES)
assert FAMILY_NAMES == tuple(FAMILY_PREDICATES), "a family needs its predicate in conformance.model.classify"
BUDGETS = {name: f.budget for name, f in FAMILIES.items()}


def available(name: str, sp: Space) -> bool:
    """Whether family `name` can draw anything under the narrowing `sp`."""
    family = FAMILIES[name]
    return all(n in SPATIAL_RANKS for n in sp.ndims) and bool(_directions(sp, family.modes))


def family_configs(name: str, *, ndim=None, transposed=None, padding_modes=oracle.PADDING_MODES, bias=None,
                   max_macs=None, max_extent=1024) -> st.SearchStrategy[ConvConfig]:
    """Valid ConvConfigs of family `name` (a key of FAMILIES), narrowed like conv_configs.

    max_macs: the family's MAC budget per example (default BUDGETS[name]); max_extent: the
    largest padding or dilated kernel extent drawn (huge dilations only where it allows).
    """
    if name not in FAMILIES:
        raise InvalidArgument(f"family={name!r} must be one of {FAMILY_NAMES}")
    sp = space(ndim, transposed, padding_modes, bias, max_extent)
    budget = FAMILIES[name].budget if max_macs is None else max_macs
    check_range("max_macs", budget, 1)
    if not available(name, sp):
        raise InvalidArgument(f"family {name!r} needs transposed=True or a padding mode among "
                              f"{FAMILIES[name].modes}, got transposed={transposed!r}, padding_modes={sp.modes!r}")
    # the draws aim at the budget; the filter drops the rare draw that trimming could not fit
    return _family(name, sp, budget).filter(lambda c: c.macs <= budget)


def long_everywhere_configs(*, ndim=None, transposed=None, padding_modes=oracle.PADDING_MODES):
    """Configs of the long-reduction family long in every direction at once (>= LONG_TERMS products per element
    forward or transposed, in grad_input, grad_weight and grad_bias): ~64- or ~128-tap kernels, 8 or 4 channels
    a side, >= LONG_TERMS positions, a bias.  conformance/tests/test_long_reductions.py draws these."""
    sp = space(ndim, transposed, padding_modes, True, 1024)
    if not available("long-reduction", sp):
        raise InvalidArgument(f"long_everywhere_configs needs transposed=True or a padding mode, got "
                              f"transposed={transposed!r}, padding_modes={sp.modes!r}")
    return _long_everywhere(sp)


@st.composite
def _long_everywhere(draw, sp: Space) -> ConvConfig:
    return _long_reduction(draw, sp, BUDGETS["long-reduction"], everywhere=True)


@st.composite
def _family(draw, name: str, sp: Space, budget: int) -> ConvConfig:
    return FAMILIES[name].draw(draw, sp, budget)


def _named(name: str):
    def strategy(**narrowing):
        return family_configs(name, **narrowing)
    strategy.__name__ = name.replace("-", "_") + "_configs"
    strategy.__doc__ = f"Family {name!r}: {FAMILIES[name].what}. Narrowing as family_configs."
    return strategy


padding_only_configs = _named("padding-only")
skipped_inputs_configs = _named("skipped-inputs")
size_one_configs = _named("size-1")
channel_blocks_configs = _named("channel-blocks")
width_blocks_configs = _named("width-blocks")
batch_blocks_configs = _named("batch-blocks")
long_reduction_configs = _named("long-reduction")
extreme_configs = _named("extreme")

