"""The general convolution's configs (config.GENERAL_FEATURES, rank 4): drawn valid, each with its feature,
judged by oracle.conv_general, and drawn only for backends that declare them."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import InvalidArgument

from conformance.backends import Capabilities
from conformance.config import GENERAL_FEATURES, ConvConfig
from conformance.strategies import conv_configs, general_configs


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
    assert "4-d not declared" in Capabilities().unsupported(
        ConvConfig(4, 1, 1, 1, 1, (2,) * 4, (1,) * 4, (1,) * 4, (0,) * 4, (1,) * 4), "float64")


def test_general_arguments_are_validated_by_name():
    with pytest.raises(InvalidArgument, match="general="):
        conv_configs(general=("sideways-padding",)).example()
    with pytest.raises(InvalidArgument, match="transposed=True"):
        conv_configs(ndim=4, transposed=True).example()
    with pytest.raises(InvalidArgument, match="features="):
        general_configs(features=()).example()
