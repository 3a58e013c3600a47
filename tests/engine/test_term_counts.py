"""The term counts the error bounds use are never smaller than the terms that really reach an element.

A bound built on too few terms cries wolf on a correct backend (a grad_bias of a transposed
convolution once counted input positions instead of output positions).  The naive oracle
enumerates every product of the defining sum as (y index, x index, w index); counting how
many land on each element of the output and of each gradient gives the true number of
terms, which the counts in conformance.judge.checks must cover for every config, direction and
padding mode.
"""

from collections import Counter

import numpy as np
from hypothesis import given

from conformance.judge.checks import grad_terms
from conformance.generate.strategies import conv_configs
from oracle import naive

TINY = dict(max_macs=1500)


def true_counts(config) -> dict:
    """Products per element of y, grad_input, grad_weight and grad_bias, from the naive enumeration."""
    spec = config.spec()
    terms = naive.conv_transpose_terms(spec) if spec.transposed else naive.conv_terms(spec)
    y, gx, gw = Counter(), Counter(), Counter()
    for yi, xi, wi in terms:
        y[yi] += 1  # a padding tap is a 0 * w product of the forward sum
        gw[wi] += 1  # ... and a 0 * grad_output product of grad_weight's
        if xi is not None:
            gx[xi] += 1
    # grad_bias[c] sums grad_output over channel c: with grad_output all ones, the naive
    # gradient of the bias is that number of terms (every output position counts, including
    # those of a transposed conv that no product reaches)
    ones = np.ones
    grad_bias = naive.grads(spec, ones(spec.input_shape), ones(spec.weight_shape), ones(spec.output_shape))[2]
    return {"forward": max(y.values(), default=0), "grad_input": max(gx.values(), default=0),
            "grad_weight": max(gw.values(), default=0), "grad_bias": int(grad_bias.max())}


@given(conv_configs(**TINY))
def test_bound_term_counts_cover_the_true_counts(config):
    true = true_counts(config)
    used = {"forward": config.spec().terms_per_output, **grad_terms(config)}
    short = {k: (used[k], true[k]) for k in true if used[k] < true[k]}
    assert not short, f"{config!r}: term counts (used, true) too small: {short}"


def test_transposed_grad_bias_counts_output_positions():
    # the false positive of issue 14: 1x1 input, 2x3 kernel dilated by 2 -> 3x5 output, 15 terms
    from conformance.model.config import ConvConfig

    config = ConvConfig(2, 1, 1, 3, 1, (1, 1), (2, 3), (1, 1), (0, 0), (2, 2), "zeros", True, True, (0, 0))
    assert true_counts(config)["grad_bias"] == 15
    assert grad_terms(config)["grad_bias"] == 15
