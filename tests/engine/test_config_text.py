"""Every config form a report prints reads back as the same config (conformance.model.config_text)."""

import pytest
from hypothesis import given, settings, strategies as st

from conformance.model.config import GENERAL_FEATURES, TRANSPOSED_GENERAL_FEATURES
from conformance.model.config_text import parse_config
from conformance.generate.strategies import conv_configs, general_configs

EVERY_FORM = st.one_of(
    conv_configs(),  # every family, rank 1-3, transposed or not, each padding mode, with and without bias
    conv_configs(ndim=4),  # the general convolution's rank 4
    *[general_configs(features=(f,)) for f in GENERAL_FEATURES],
    *[general_configs(features=(f,), transposed=True, padding_modes=("zeros",)) for f in TRANSPOSED_GENERAL_FEATURES],
)


@settings(max_examples=300, deadline=None)
@given(EVERY_FORM)
def test_the_one_line_form_and_the_repr_read_back_as_the_config(config):
    assert parse_config(config.short()) == config
    assert parse_config(repr(config)) == config
    assert parse_config("  " + config.short().replace(" ", "  ") + "\n") == config  # as pasted from a terminal


@pytest.mark.parametrize("text, says", [
    ("ConvConfig(ndim=1, batch=__import__('os'))", "arguments must be literals"),
    ("ConvConfig(1, 2", "not a ConvConfig(...) expression"),
    ("print(1)", "is neither the one-line form"),
    ("ConvConfig(ndim=1, nonsense=2)", "unexpected keyword argument 'nonsense'"),
    ("conv1d x(1, 2, 5) w(2, 2, 3) g=1 s=(1,) p=(0,) d=(1,) bogus", "is neither the one-line form"),
    ("conv1d x(1, 2, 5) w(2, 2) g=1 s=(1,) p=(0,) d=(1,)", "must have 3 entries for a 1-d convolution"),
    ("conv1d x(1, 2, 5) w(2, 2, 3) g=1 s=(1,) p=oops d=(1,)", "padding p=: 'oops' is not a literal"),
])
def test_text_that_is_no_config_is_refused_naming_why(text, says):
    with pytest.raises(ValueError, match=None) as refused:
        parse_config(text)
    assert says in str(refused.value)
