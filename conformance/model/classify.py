"""What a config is: the bug-family predicates, one per family of conformance.generate.families.

`tags(config)` names every family a config belongs to, whichever strategy drew it, so coverage is
measured on what the config is, not on where it came from.  These predicates sit below both the
configuration model's users and the strategies that draw each family (which import them from here).

Along one dimension of a forward convolution (input n, kernel k, dilation d, stride s,
padding p before), output o reads padded positions o*s + j*d - p for taps j < k; of a
transposed one, input i writes output positions i*s + j*d - p.  The predicates are those
position sets compared with [0, n) and [0, output size).
"""

from __future__ import annotations

from math import prod

from conformance.model.config import ConvConfig

LONG_REDUCTION = 256  # products per element from which a reduction over channels and taps counts as long
# the length a run must reach in every direction and data kind (conformance.judge.coverage): there the
# worst-case bound n*u has grown past the probabilistic one by sqrt(n) / lambda, so a narrower accumulator shows
LONG_TERMS = 512


# -- predicates: what a config is ----------------------------------------------------------------

def _conv_reads(n, k, d, s, p, o) -> set:
    return {q for q in (oi * s + j * d - p for oi in range(o) for j in range(k)) if 0 <= q < n}


def _transpose_reached(n, k, d, s, p, o) -> set:
    return {q for q in (i * s + j * d - p for i in range(n) for j in range(k)) if 0 <= q < o}


def _axes(config: ConvConfig):
    spec = config.spec()
    return spec, zip(spec.input_size, spec.kernel_size, spec.dilation, spec.stride, spec.pad_before,
                     spec.pad_after, spec.output_size, spec.output_padding)


def padding_only_windows_holds(config: ConvConfig) -> bool:
    """Some output reads only padding (conv) / is reached by no input (transposed), along some axis."""
    spec, axes = _axes(config)
    for n, k, d, s, p, _, o, _ in axes:
        if spec.transposed:
            if len(_transpose_reached(n, k, d, s, p, o)) < o:
                return True
        elif any(all(not 0 <= oi * s + j * d - p < n for j in range(k)) for oi in (0, o - 1)):
            return True  # windows move monotonically: the first or the last is the outermost
    return False


def skipped_inputs_holds(config: ConvConfig) -> bool:
    """Some input element is read by no window (conv) / reaches no output (transposed), along some axis."""
    spec, axes = _axes(config)
    for n, k, d, s, p, _, o, _ in axes:
        if spec.transposed:
            if any(all(not 0 <= i * s + j * d - p < o for j in range(k)) for i in range(n)):
                return True
        elif len(_conv_reads(n, k, d, s, p, o)) < n:
            return True
    return False


def size_one_holds(config: ConvConfig) -> bool:
    return 1 in config.input_size or config.in_channels == 1 or config.out_channels == 1


def channel_blocks_holds(config: ConvConfig) -> bool:
    in_pg, out_pg = config.in_channels // config.groups, config.out_channels // config.groups
    return max(in_pg, out_pg) >= 7 or (config.groups >= 7 and in_pg == 1)


def width_blocks_holds(config: ConvConfig) -> bool:
    return config.output_shape[-1] >= 15 or config.input_size[-1] >= 64


def batch_blocks_holds(config: ConvConfig) -> bool:
    return config.batch >= 4


def long_reduction_holds(config: ConvConfig) -> bool:
    """Many products per element over channels and taps: the forward sum (input channels) or the grad_input
    sum (output channels); sums over positions (grad_weight, grad_bias) are long in most configs."""
    spec = config.spec()
    return max(spec.terms_per_output, spec.out_per_group * spec.kernel_volume) >= LONG_REDUCTION


def grad_terms(config: ConvConfig) -> dict:
    """Upper bounds on the products summed into one element of each gradient.

    grad_weight sums x * grad_output over batch and every output (conv) / input (transpose)
    position: one product per position for each weight tap.  grad_bias sums grad_output over
    batch and every *output* position, in both directions (a transposed conv's output is
    larger than its input).  A conv grad_input element collects one product per (output
    channel of its group, tap) for each padded position that reads it: zeros padding reads it
    once, the other modes at most 1 + pad_before + pad_after times per dimension.  A
    transposed grad_input element is a convolution of grad_output: Cout/G * taps products.
    tests/engine/test_term_counts.py checks each count against the naive oracle's enumeration.
    """
    s = config.spec()
    outputs = s.batch * prod(s.output_size)
    reads = 1 if s.transposed or s.padding_mode == "zeros" else \
        prod(1 + b + a for b, a in zip(s.pad_before, s.pad_after))
    return {"grad_input": s.out_per_group * s.kernel_volume * reads,
            "grad_weight": s.batch * prod(s.input_size) if s.transposed else outputs,
            "grad_bias": outputs}


def long_directions(config: ConvConfig, check: str) -> list:
    """The directions of a forward or gradient check ("forward"/"transposed", "grad_input", "grad_weight",
    "grad_bias" with a bias) whose elements sum at least LONG_TERMS products."""
    if check == "forward":
        return [("transposed" if config.transposed else "forward")] \
            if config.spec().terms_per_output >= LONG_TERMS else []
    return [name for name, n in grad_terms(config).items() if n >= LONG_TERMS and (name != "grad_bias" or config.bias)]


def extreme_holds(config: ConvConfig) -> bool:
    """Kernel much larger than the input, padding far past it, huge dilation; transposed: extreme output_padding."""
    spec, axes = _axes(config)
    for n, k, d, s, pb, pa, _, op in axes:
        if d >= 16:
            return True
        if spec.transposed:
            if op >= 1 and (op == max(s, d) - 1 or s == 1):
                return True
        elif d * (k - 1) + 1 >= n + 2 or max(pb, pa) >= 4 * n + 4:
            return True
    return False


# family name -> its predicate, in the order of conformance.generate.families.FAMILIES
FAMILY_PREDICATES = {
    "padding-only": padding_only_windows_holds,
    "skipped-inputs": skipped_inputs_holds,
    "size-1": size_one_holds,
    "channel-blocks": channel_blocks_holds,
    "width-blocks": width_blocks_holds,
    "batch-blocks": batch_blocks_holds,
    "long-reduction": long_reduction_holds,
    "extreme": extreme_holds,
}


def tags(config: ConvConfig) -> tuple:
    """The families `config` belongs to (possibly none: the middle of the box)."""
    return tuple(name for name, holds in FAMILY_PREDICATES.items() if holds(config))
