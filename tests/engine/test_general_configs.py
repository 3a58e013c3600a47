"""The general convolution's configs (config.GENERAL_FEATURES, rank 4): drawn valid, each with its feature,
judged by oracle.conv_general, and drawn only for backends that declare them."""

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import InvalidArgument

import oracle
from conformance.backends import Capabilities
from conformance.model.config import GENERAL_FEATURES, TRANSPOSED_GENERAL_FEATURES, ConvConfig
from conformance.generate.strategies import conv_configs, general_configs


@pytest.mark.parametrize("feature", GENERAL_FEATURES)
def test_each_feature_draws_valid_configs_that_use_it(feature):
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(general_configs(features=(feature,)))
    def run(config):
        config.spec()  # valid: the oracle's validation raises otherwise
        assert feature in config.general_features() and config.general
        # the three evaluations of the general definition agree bit for bit on integer data
        rng = np.random.default_rng(0)
        x = rng.integers(-3, 4, config.input_shape).astype(np.float64)
        w = rng.integers(-3, 4, config.weight_shape).astype(np.float64)
        b = rng.integers(-3, 4, config.out_channels).astype(np.float64) if config.bias else None
        shift = config.oracle_forward()(x, w, b)
        assert shift.shape == config.output_shape
        for implementation in ("naive", "scipy"):
            np.testing.assert_array_equal(config.oracle_forward(implementation)(x, w, b), shift)

    run()


def _full_then_cropped(config, x, w, b, grad_output):
    """The ConvTranspose definition written out: PyTorch's transposed convolution at padding 0 (the full output,
    output_padding included), zero-extended where a crop is negative (SAME past a short full output), cropped where
    it is positive, plus the bias; gradients through the same steps, whose adjoints cut what was extended and
    zero-fill what was cut."""
    kwargs = dict(stride=config.stride, padding=0, output_padding=config.output_padding, groups=config.groups,
                  dilation=config.dilation)
    full = oracle.conv_transpose(x, w, None, **kwargs)
    before, after = config.padding_pairs()
    extend = [(0, 0)] * 2 + [(max(-lo, 0), max(-hi, 0)) for lo, hi in zip(before, after)]
    extended = np.pad(full, extend)
    crop = (slice(None),) * 2 + tuple(slice(max(lo, 0), n - max(hi, 0))
                                      for lo, hi, n in zip(before, after, extended.shape[2:]))
    y = extended[crop] + (0 if b is None else b.reshape((1, -1) + (1,) * config.ndim))
    padded = np.zeros(extended.shape)
    padded[crop] = grad_output
    uncut = tuple(slice(lo, n - hi) for (lo, hi), n in zip(extend, extended.shape))
    return y, oracle.conv_transpose_grads(x, w, padded[uncut], **kwargs)


@pytest.mark.parametrize("feature", TRANSPOSED_GENERAL_FEATURES)
def test_each_transposed_feature_draws_valid_convtranspose_configs_that_use_it(feature):
    """ONNX ConvTranspose's lopsided crops and auto_pad modes: the general route (the lhs-dilated convolution of
    the flipped, group-swapped kernel) equals the definition written out, forward and gradients, bit for bit."""
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(general_configs(features=(feature,), transposed=True))
    def run(config):
        config.spec()
        assert config.transposed and feature in config.general_features() and config.general
        rng = np.random.default_rng(0)
        x = rng.integers(-3, 4, config.input_shape).astype(np.float64)
        w = rng.integers(-3, 4, config.weight_shape).astype(np.float64)
        b = rng.integers(-3, 4, config.out_channels).astype(np.float64) if config.bias else None
        shift = config.oracle_forward()(x, w, b)
        assert shift.shape == config.output_shape
        if feature != "asymmetric-padding":  # SAME_UPPER / SAME_LOWER: output input * stride
            assert shift.shape[2:] == tuple(n * s for n, s in zip(config.input_size, config.stride))
        for implementation in ("naive", "scipy"):
            np.testing.assert_array_equal(config.oracle_forward(implementation)(x, w, b), shift)
        gy = rng.integers(-3, 4, shift.shape).astype(np.float64)
        expected, expected_grads = _full_then_cropped(config, x, w, b, gy)
        np.testing.assert_array_equal(shift, expected)
        for implementation in ("shift", "naive"):
            grads = config.oracle_grads(implementation)(x, w, gy)
            np.testing.assert_array_equal(grads.grad_input, expected_grads.grad_input)
            np.testing.assert_array_equal(grads.grad_weight, expected_grads.grad_weight)

    run()


def test_transposed_general_configs_are_validated_by_name():
    base = dict(ndim=1, batch=1, in_channels=1, out_channels=1, groups=1, input_size=(3,), kernel_size=(2,),
                stride=(2,), dilation=(1,), transposed=True, output_padding=(0,))
    for padding, rule in [(((-1, 0),), "must be >= 0"), (((4, 3),), "at least 1 element must remain")]:
        with pytest.raises(oracle.ConvConfigError, match=re.escape(rule)) as error:
            ConvConfig(padding=padding, **base).spec()
        assert error.value.param == "padding"
    four = dict(base, ndim=4, input_size=(3,) * 4, kernel_size=(2,) * 4, stride=(2,) * 4, dilation=(1,) * 4,
                output_padding=(0,) * 4)
    with pytest.raises(oracle.ConvConfigError, match=re.escape("takes (begin, end) pairs")):  # no torch 'same'
        ConvConfig(padding="same", **four).spec()
    with pytest.raises(oracle.ConvConfigError, match="input dilation is its stride") as error:
        ConvConfig(padding=((1, 0),), lhs_dilation=(2,), **base).spec()
    assert error.value.param == "lhs_dilation"


def test_pytorch_style_configs_are_not_general_and_keep_their_repr():
    config = ConvConfig(2, 1, 2, 2, 1, (4, 4), (3, 3), (1, 1), (1, 1), (1, 1))
    assert not config.general and config.general_features() == ()
    assert "lhs_dilation" not in repr(config) and eval(repr(config)) == config  # noqa: S307 - the repro text
    lopsided = ConvConfig(2, 1, 2, 2, 1, (4, 4), (3, 3), (1, 1), ((0, 2), (-1, 1)), (1, 1), lhs_dilation=(2, 1))
    assert lopsided.general_features() == ("asymmetric-padding", "negative-padding", "input-dilation")
    assert eval(repr(lopsided)) == lopsided  # noqa: S307
    assert ConvConfig(4, 1, 1, 1, 1, (2,) * 4, (1,) * 4, (1,) * 4, (0,) * 4, (1,) * 4).general  # rank 4


def test_a_backend_is_never_given_a_feature_it_does_not_declare():
    caps = Capabilities(dtypes=("float64",), general=("same-upper",))
    same = ConvConfig(1, 1, 1, 1, 1, (5,), (3,), (2,), "SAME_UPPER", (1,))
    lower = ConvConfig(1, 1, 1, 1, 1, (5,), (3,), (2,), "SAME_LOWER", (1,))
    assert caps.unsupported(same, "float64") is None
    assert "same-lower not declared" in caps.unsupported(lower, "float64")
    # the transposed general features are declared on their own (ONNX ConvTranspose, not Conv)
    transposed = ConvConfig(1, 1, 1, 1, 1, (3,), (2,), (2,), "SAME_UPPER", (1,), transposed=True,
                            output_padding=(0,))
    assert "transposed same-upper not declared" in caps.unsupported(transposed, "float64")
    assert Capabilities(dtypes=("float64",), general_transposed=("same-upper",)).unsupported(
        transposed, "float64") is None
    assert "4-d not declared" in Capabilities().unsupported(
        ConvConfig(4, 1, 1, 1, 1, (2,) * 4, (1,) * 4, (1,) * 4, (0,) * 4, (1,) * 4), "float64")


def test_general_arguments_are_validated_by_name():
    with pytest.raises(InvalidArgument, match="general="):
        conv_configs(general=("sideways-padding",)).example()
    with pytest.raises(InvalidArgument, match="transposed=True"):
        conv_configs(ndim=4, transposed=True).example()
    with pytest.raises(InvalidArgument, match="features="):
        general_configs(features=()).example()
    with pytest.raises(InvalidArgument, match="features="):  # ConvTranspose has no input dilation of its own
        general_configs(features=("input-dilation",), transposed=True).example()
    with pytest.raises(InvalidArgument, match="general_transposed="):
        conv_configs(general_transposed=("negative-padding",)).example()
