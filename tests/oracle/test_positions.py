"""Values at positions (oracle.positions) are the oracle's elements, read without the whole tensor.

Integer data: every sum is exact, so each position equals oracle.conv & co bit for bit, and its
magnitude equals oracle.magnitude's.  Float data: both err by at most gamma(K+1) * magnitude.
`terms` is the count of products naive.py enumerates for that element (zero-padding taps, whose
products are exact zeros, excluded), exactly.  Memory maps and HashedTensors read the same values.
"""

import tempfile
from collections import Counter
from math import prod
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, strategies as st

import oracle
from conformance.generate.data import draw_inputs
from conformance.generate.strategies import conv_configs, seeds
from oracle import naive, positions
from oracle.hashed import HashedTensor, hashed_array, hashed_integers
from oracle.positions import conv_at, conv_grads_at, conv_transpose_at, conv_transpose_grads_at

from .agreement import assert_float64_agree

# naive.py's enumeration (for the term counts) costs one Python iteration per product
TINY = conv_configs(max_macs=1500)
SMALL = conv_configs(max_macs=6000)
DTYPES = ("float64", "float32", "float16", "int16", "int64")


def every(shape) -> np.ndarray:
    """Every multi-index of `shape` in C order, as the (P, rank) positions of a whole result."""
    return np.indices(shape).reshape(len(shape), -1).T


def forward_at(config, x, w, b, at):
    fn = conv_transpose_at if config.transposed else conv_at
    return fn(x, w, b, **config.kwargs(), at=at)


def grads_at(config, x, w, gy, input_at=None, weight_at=None, bias_at=None):
    fn = conv_transpose_grads_at if config.transposed else conv_grads_at
    return fn(x, w, gy, **config.kwargs(), input_at=input_at, weight_at=weight_at, bias_at=bias_at)


def oracle_forward(config, x, w, b, implementation="shift"):
    fn = oracle.conv_transpose if config.transposed else oracle.conv
    return fn(x, w, b, **config.kwargs(), implementation=implementation)


def oracle_grads(config, x, w, gy, implementation="shift"):
    fn = oracle.conv_transpose_grads if config.transposed else oracle.conv_grads
    return fn(x, w, gy, **config.kwargs(), implementation=implementation)


def magnitudes(config, x, w, b, gy):
    forward = oracle.conv_transpose if config.transposed else oracle.conv
    backward = oracle.conv_transpose_grads if config.transposed else oracle.conv_grads
    return (oracle.magnitude(forward, x, w, b, **config.kwargs()),
            *oracle.magnitude(backward, x, w, gy, **config.kwargs()))


def naive_counts(config):
    """Products per output, input and weight element as naive.py enumerates them, zero-padding taps excluded."""
    spec = config.spec()
    y, x, w = Counter(), Counter(), Counter()
    for yi, xi, wi in (naive.conv_transpose_terms(spec) if spec.transposed else naive.conv_terms(spec)):
        if xi is not None:
            y[yi] += 1
            x[xi] += 1
            w[wi] += 1
    return y, x, w


def ints(shape, seed):
    return np.random.default_rng(seed).integers(-4, 5, shape).astype(float)


def cast(a, dtype):
    return None if a is None else a.astype(dtype)


@given(TINY, seeds(), st.sampled_from(DTYPES))
def test_every_position_is_the_oracle_bit_for_bit_on_integers_with_exact_term_counts(config, seed, dtype):
    # the oracle gets the values the dtype holds (exact for these small integers, bar a large bias)
    x, w, b, gy = (cast(a, dtype) for a in (*draw_inputs(config, "float64", "integer", seed),
                                            ints(config.output_shape, seed + 5)))
    s = config.spec()
    got = forward_at(config, x, w, b, every(s.output_shape))
    grads = grads_at(config, x, w, gy, every(s.input_shape), every(s.weight_shape), every((s.out_channels,)))
    x, w, b, gy = (cast(a, np.float64) for a in (x, w, b, gy))
    expected = (oracle_forward(config, x, w, b), *oracle_grads(config, x, w, gy))
    y_count, x_count, w_count = naive_counts(config)
    counts = ([y_count[tuple(p)] for p in every(s.output_shape)], [x_count[tuple(p)] for p in every(s.input_shape)],
              [w_count[tuple(p)] for p in every(s.weight_shape)], [s.batch * np.prod(s.output_size)] * s.out_channels)
    for name, values, value, magnitude, count in zip(("forward", "grad_input", "grad_weight", "grad_bias"),
                                                     (got, *grads), expected, magnitudes(config, x, w, b, gy), counts):
        what = f"{name} {config.short()} {dtype}"
        np.testing.assert_array_equal(values.values, value.reshape(-1), err_msg=what)
        np.testing.assert_array_equal(values.magnitudes, magnitude.reshape(-1), err_msg=what)
        np.testing.assert_array_equal(values.terms, count, err_msg=what)
        assert values.terms.dtype == np.int64


@given(SMALL, seeds())
def test_every_position_agrees_with_the_oracle_within_float64_rounding(config, seed):
    x, w, b = draw_inputs(config, "float64", "random", seed)
    gy = np.random.default_rng(seed + 5).standard_normal(config.output_shape)
    s = config.spec()
    got = (forward_at(config, x, w, b, every(s.output_shape)),
           *grads_at(config, x, w, gy, every(s.input_shape), every(s.weight_shape), every((s.out_channels,))))
    expected = (oracle_forward(config, x, w, b), *oracle_grads(config, x, w, gy))
    for name, values, value, magnitude in zip(("forward", "grad_input", "grad_weight", "grad_bias"), got, expected,
                                              magnitudes(config, x, w, b, gy)):
        terms = int(values.terms.max()) + 1  # the bias is one more term
        what = f"{name} {config.short()}"
        magnitude = magnitude.reshape(-1)
        assert_float64_agree(values.values, value.reshape(-1), magnitude, terms, what)
        assert_float64_agree(values.magnitudes, magnitude, magnitude, terms, what + " magnitude")


@given(TINY, seeds(), st.sampled_from([np.nan, np.inf, -np.inf]), st.sampled_from(["x", "w", "gy"]))
def test_nonfinite_operands_give_nan_and_inf_exactly_where_naive_does(config, seed, bad, operand):
    # conv: a zero-padding tap is a 0 * w term, NaN for a non-finite weight; gradients and the
    # transpose have no such terms (naive.py skips them)
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    gy = ints(config.output_shape, seed + 5)
    a = {"x": x, "w": w, "gy": gy}[operand]
    a.flat[np.random.default_rng(seed).integers(a.size)] = bad
    s = config.spec()
    got = (forward_at(config, x, w, b, every(s.output_shape)),
           *grads_at(config, x, w, gy, every(s.input_shape), every(s.weight_shape), every((s.out_channels,))))
    expected = (oracle_forward(config, x, w, b, "naive"), *oracle_grads(config, x, w, gy, "naive"))
    for values, value in zip(got, expected):
        value = value.reshape(-1)
        np.testing.assert_array_equal(np.isnan(values.values), np.isnan(value), err_msg=config.short())
        np.testing.assert_array_equal(values.values[~np.isnan(value)], value[~np.isnan(value)])


def sample(shape, seed, count=12):
    """Up to `count` random positions of `shape`, repeats allowed, and the first and last element."""
    rng = np.random.default_rng(seed)
    drawn = np.stack([rng.integers(0, n, count) for n in shape], axis=1)
    return np.concatenate([np.zeros((1, len(shape)), np.int64), drawn, np.array([shape]) - 1])


def all_at(config, x, w, b, gy, seed):
    """Forward and gradient values at a sample of positions, as one tuple of PositionValues."""
    s = config.spec()
    return (forward_at(config, x, w, b, sample(s.output_shape, seed)),
            *grads_at(config, x, w, gy, sample(s.input_shape, seed + 1), sample(s.weight_shape, seed + 2),
                      sample((s.out_channels,), seed + 3)))


def assert_same(a, b, what=""):
    for one, other in zip(a, b):
        for column, expected in zip(one, other):
            np.testing.assert_array_equal(column, expected, err_msg=what)


@given(TINY, seeds(), st.sampled_from([1, 5, 64]))
def test_chunks_of_positions_and_terms_give_the_same_values(config, seed, chunk):
    # integers: chunks change the order of summation, which only float rounding could see
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    gy = ints(config.output_shape, seed + 5)
    whole = all_at(config, x, w, b, gy, seed)
    with mock.patch.object(positions, "CHUNK", chunk):
        assert_same(all_at(config, x, w, b, gy, seed), whole, f"CHUNK={chunk} {config.short()}")


@given(SMALL, seeds(), st.sampled_from(["float32", "int16", "float64"]))
def test_memory_mapped_operands_give_the_same_values(config, seed, dtype):
    x, w, b = draw_inputs(config, "float64", "integer", seed)
    gy = ints(config.output_shape, seed + 5)
    in_memory = all_at(config, x.astype(dtype), w.astype(dtype), b, gy.astype(dtype), seed)
    with tempfile.TemporaryDirectory() as folder:
        mapped = []
        for name, a in (("x", x), ("w", w), ("gy", gy)):
            m = np.memmap(Path(folder) / name, dtype=dtype, mode="w+", shape=a.shape)
            m[...] = a
            m.flush()
            mapped.append(np.memmap(Path(folder) / name, dtype=dtype, mode="r", shape=a.shape))
        x_, w_, gy_ = mapped
        assert_same(all_at(config, x_, w_, b, gy_, seed), in_memory, f"memmap {dtype} {config.short()}")
        del x_, w_, gy_, mapped  # close the maps before the folder goes


@given(SMALL, seeds())
def test_a_hashed_tensor_gives_the_values_of_its_materialised_array(config, seed):
    s = config.spec()
    shapes = (s.input_shape, s.weight_shape, s.output_shape)
    x, w, gy = (HashedTensor(seed + i, shape) for i, shape in enumerate(shapes))
    b = HashedTensor(seed + 3, (s.out_channels,), -10, 10) if config.bias else None
    dense = [None if a is None else a.array(np.float64) for a in (x, w, b, gy)]
    assert_same(all_at(config, x, w, b, gy, seed), all_at(config, *dense, seed), config.short())
    # and they are the oracle's values
    at = every(s.output_shape)
    np.testing.assert_array_equal(forward_at(config, x, w, b, at).values,
                                  oracle_forward(config, *dense[:3]).reshape(-1))


def test_positions_of_a_tensor_of_more_than_2_to_the_31_elements_read_only_their_windows():
    # 2**32 input elements, never materialised; each output's window is cropped from the same
    # hashed values (zeros outside the input), then the whole-tensor oracle runs on the crop
    n, c, size, k, s, d, p, groups = 2, 4, 2**15, 3, 2, 2, 1, 2
    x = HashedTensor(11, (n, c, size, size))
    w = hashed_array(12, (6, c // groups, k, k), dtype=np.float64)
    b = hashed_array(13, (6,), dtype=np.float64)
    out = oracle.output_shape(x.shape, w.shape, stride=s, padding=p, dilation=d, groups=groups)
    at = np.concatenate([sample(out, 0, 40), [[1, 5, 0, out[3] - 1], [0, 0, out[2] - 1, 0]]])
    got = conv_at(x, w, b, stride=s, padding=p, dilation=d, groups=groups, at=at)
    extent = d * (k - 1) + 1
    for (nn, oc, o1, o2), value, terms in zip(at, got.values, got.terms):
        rows, cols = np.arange(extent) + o1 * s - p, np.arange(extent) + o2 * s - p
        inside = ((rows >= 0) & (rows < size))[:, None] & ((cols >= 0) & (cols < size))[None, :]
        crop = np.zeros((1, c, extent, extent))
        for ch in range(c):
            window = x.take((nn, ch, np.clip(rows, 0, size - 1)[:, None], np.clip(cols, 0, size - 1)[None, :]))
            crop[0, ch] = np.where(inside, window, 0)
        expected = oracle.conv(crop, w, b, dilation=d, groups=groups)[0, oc, 0, 0]
        assert value == expected
        assert terms == (c // groups) * inside[::d, ::d].sum()


def test_hashed_integers_are_reproducible_small_and_spread():
    j = np.arange(70_000)
    a = hashed_integers(5, j)
    assert a.dtype == np.int64 and a.shape == j.shape
    np.testing.assert_array_equal(a, hashed_integers(5, j))
    np.testing.assert_array_equal(a[[3, 70]], hashed_integers(5, np.array([3, 70])))
    assert (a >= -3).all() and (a <= 3).all()
    assert (np.abs(np.bincount(a + 3) / a.size - 1 / 7) < 0.01).all()
    assert (a != hashed_integers(6, j)).mean() > 0.8
    wide = hashed_integers(5, j.reshape(700, 100), -2**40, 2**40)
    assert wide.shape == (700, 100) and np.abs(wide).max() > 2**39
    np.testing.assert_array_equal(hashed_array(5, (7, 10_000)), a.reshape(7, 10_000))
    t = HashedTensor(5, (7, 10_000))
    np.testing.assert_array_equal(t.take((np.arange(7)[:, None], np.array([0, 9_999]))), a.reshape(7, -1)[:, [0, -1]])
    np.testing.assert_array_equal(t.fill(np.empty(t.shape), block=999), t.array(np.float64))
    with pytest.raises(ValueError, match="low <= high"):
        hashed_integers(0, j, 3, 2)


@given(st.lists(st.integers(0, 6), min_size=1, max_size=4), st.integers(1, 40))
def test_boxes_tile_the_grid_once_each_within_the_limit(shape, limit):
    seen = np.zeros(shape, dtype=int)
    for box in positions._boxes(tuple(shape), limit):
        assert prod(b - a for a, b in box) <= limit
        seen[tuple(slice(a, b) for a, b in box)] += 1
    assert (seen == 1).all()


def test_no_positions_give_empty_values():
    got = conv_at(np.ones((1, 1, 4)), np.ones((1, 1, 2)), at=np.zeros((0, 3), np.int64))
    assert [a.shape for a in got] == [(0,)] * 3
    grads = conv_grads_at(np.ones((1, 1, 4)), np.ones((1, 1, 2)), np.ones((1, 1, 3)), weight_at=np.zeros((0, 3)))
    assert grads.grad_input is None and grads.grad_bias is None and grads.grad_weight.terms.shape == (0,)


X = np.zeros((1, 4, 5, 5))
W = np.zeros((6, 4, 3, 3))
GY = np.zeros((1, 6, 3, 3))
AT = np.zeros((1, 4), np.int64)
HUGE = HashedTensor(0, (2**20, 4, 2**20, 2**20))  # validation reads no data: this would never finish

CASES = [
    # (call, parameter named, fragment of the rule)
    (lambda: conv_at(X, W, at=np.zeros((1, 3), np.int64)), "at", "must have shape (P, 4)"),
    (lambda: conv_at(X, W, at=np.zeros(4, np.int64)), "at", "must have shape (P, 4)"),
    (lambda: conv_at(X, W, at=[[0, 6, 0, 0]]), "at", "row 0 = (0, 6, 0, 0) is out of range"),
    (lambda: conv_at(X, W, at=[[0, 0, 0, 0], [0, 0, -1, 0]]), "at", "entry 2 must be in [0, 3)"),
    (lambda: conv_at(X, W, at=np.zeros((1, 4))), "at", "must hold integers"),
    (lambda: conv_at(HUGE, W, at=[[0, 0, 2**20, 0]]), "at", "entry 2 must be in [0, 1048574)"),
    (lambda: conv_at(X, W, groups=3, at=AT), "groups", "in_channels=4 must be divisible by groups=3"),
    (lambda: conv_at(X, W, np.zeros(5), at=AT), "bias", "must have shape (6,)"),
    (lambda: conv_at(X.astype(complex), W, at=AT), "input", "must be a real float"),
    (lambda: conv_at(X, W.astype(bool), at=AT), "weight", "must be a real float"),
    (lambda: conv_at(None, W, at=AT), "input", "is required"),
    (lambda: conv_at(X, W, padding_mode="symmetric", at=AT), "padding_mode", "must be one of"),
    (lambda: conv_at(np.full((1, 4, 5, 5), 2**40, np.int64), np.full((6, 4, 3, 3), 2**20, np.int64), at=AT),
     "input", "integer data too large"),
    (lambda: conv_transpose_at(X, np.zeros((4, 3, 3, 3)), stride=2, output_padding=2, at=AT), "output_padding",
     "smaller than either stride (2) or dilation (1)"),
    (lambda: conv_transpose_at(X, np.zeros((4, 3, 3, 3)), at=[[0, 3, 0, 0]]), "at", "entry 1 must be in [0, 3)"),
    (lambda: conv_grads_at(X, W, np.zeros((1, 6, 4, 4)), input_at=AT), "grad_output", "must have the output shape"),
    (lambda: conv_grads_at(X, W, GY, input_at=np.zeros((1, 3), np.int64)), "input_at", "must have shape (P, 4)"),
    (lambda: conv_grads_at(X, W, GY, weight_at=[[0, 4, 0, 0]]), "weight_at", "entry 1 must be in [0, 4)"),
    (lambda: conv_grads_at(X, W, GY, bias_at=[[6]]), "bias_at", "entry 0 must be in [0, 6)"),
    (lambda: conv_grads_at(X, W, GY, bias_at=[0]), "bias_at", "must have shape (P, 1)"),
    (lambda: conv_transpose_grads_at(X, np.zeros((4, 3, 3, 3)), np.zeros((1, 3, 7, 7)), input_at=[[0, 4, 0, 0]]),
     "input_at", "entry 1 must be in [0, 4)"),
]


@pytest.mark.parametrize("call, param, rule", CASES)
def test_invalid_arguments_raise_naming_the_parameter_and_rule(call, param, rule):
    with pytest.raises(oracle.ConvConfigError) as info:
        call()
    assert info.value.param == param
    assert rule in str(info.value)
