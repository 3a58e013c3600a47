"""External ground truth: ONNX's own backend node test cases for Conv and ConvTranspose, replayed against the oracle.

The cases come from the installed onnx package's test-case generators (onnx.backend.test.case.node, the code that
writes its backend test data; the Conv and ConvTranspose modules only), so every auto_pad mode, asymmetric pads,
output_shape and output_padding case ONNX ships is checked through oracle.conventions and oracle.conv_general, with
no padding written by hand here.  Their expected outputs are float32, computed by onnx.reference: each is within the
float32 error bound of a sum of `terms` products (gamma(terms + 1) * magnitude, conformance.model.bounds) of the
exact value.
"""

import warnings
from math import prod

import numpy as np
import pytest

from conformance.model.bounds import gamma
from oracle.conventions import onnx_conv_padding, onnx_conv_transpose_padding
from oracle.general import conv_general, transpose_as_general, transpose_padding

onnx = pytest.importorskip("onnx", reason='the node cases come from the onnx package (pip install ".[onnx]")')

U32 = 2.0**-24


def _node_cases():
    """The Conv and ConvTranspose cases: importing their two generator modules registers them (0.5 s); the public
    collect_testcases() runs every operator's generators (10 s, in each xdist worker) and is the fallback."""
    import importlib

    import onnx.backend.test.case.node as node_cases

    for name in ("conv", "convtranspose"):
        importlib.import_module(f"onnx.backend.test.case.node.{name}")
    cases = list(getattr(node_cases, "_NodeTestCases", []))
    if not any(c.model.graph.node[0].op_type == "ConvTranspose" for c in cases):
        with warnings.catch_warnings():  # the generators of other operators divide by zero on purpose
            warnings.simplefilter("ignore")
            cases = node_cases.collect_testcases()
    return cases


def _cases():
    from onnx import helper

    cases = _node_cases()
    out = []
    for case in cases:
        node = case.model.graph.node[0]
        if node.op_type not in ("Conv", "ConvTranspose"):
            continue
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        attrs = {k: v.decode() if isinstance(v, bytes) else v for k, v in attrs.items()}
        for inputs, outputs in case.data_sets:
            out.append(pytest.param(node.op_type, attrs, inputs, outputs[0], id=case.name))
    return out


CASES = _cases()


def test_the_node_cases_are_there():
    """The replay below must not pass vacuously: onnx 1.15+ ships 17 Conv/ConvTranspose float cases."""
    names = {p.id for p in CASES}
    assert len(CASES) >= 17, names
    assert {"test_conv_with_autopad_same", "test_conv_with_strides_and_asymmetric_padding",
            "test_convtranspose_autopad_same", "test_convtranspose_output_shape", "test_convtranspose_pads"} <= names


def _oracle(op_type, attrs, x, w, b, absolute=False):
    if absolute:
        x, w, b = np.abs(x), np.abs(w), None if b is None else np.abs(b)
    nd = x.ndim - 2
    kernel = attrs.get("kernel_shape", w.shape[2:])
    strides, dilations = attrs.get("strides", [1] * nd), attrs.get("dilations", [1] * nd)
    groups = attrs.get("group", 1)
    if op_type == "Conv":
        pairs = onnx_conv_padding(x.shape[2:], kernel, strides, dilations, attrs.get("auto_pad", "NOTSET"),
                                  attrs.get("pads"))
        return conv_general(x, w, b, window_strides=strides, padding=pairs, rhs_dilation=dilations,
                            feature_group_count=groups)
    pads, output_padding = onnx_conv_transpose_padding(
        x.shape[2:], kernel, strides, dilations, attrs.get("auto_pad", "NOTSET"), attrs.get("pads"),
        attrs.get("output_padding"), attrs.get("output_shape"))
    return conv_general(x, transpose_as_general(w, groups), b, padding=transpose_padding(
        kernel, dilations, pads, output_padding), lhs_dilation=strides, rhs_dilation=dilations,
        feature_group_count=groups)


@pytest.mark.parametrize("op_type, attrs, inputs, expected", CASES)
def test_the_oracle_agrees_with_every_onnx_conv_node_case(op_type, attrs, inputs, expected):
    x, w = inputs[0], inputs[1]
    b = inputs[2] if len(inputs) > 2 else None
    got = _oracle(op_type, attrs, x, w, b)
    assert got.shape == expected.shape
    # a float32 sum of at most Cin/G * kernel products (and the bias) errs by <= gamma(terms + 1) * magnitude
    terms = (x.shape[1] // attrs.get("group", 1)) * prod(w.shape[2:])
    bound = gamma(terms + 1, U32) * _oracle(op_type, attrs, x, w, b, absolute=True)
    assert (np.abs(got - expected.astype(np.float64)) <= bound).all()


def _reference_conv_transpose(config, x, w, b):
    """onnx.reference's ConvTranspose of a transposed general config: pads or auto_pad as ONNX takes them."""
    from onnx import helper
    from onnx.reference import ReferenceEvaluator

    attrs = dict(strides=list(config.stride), dilations=list(config.dilation), group=config.groups,
                 kernel_shape=list(config.kernel_size), output_padding=list(config.output_padding))
    if isinstance(config.padding, str):
        attrs["auto_pad"] = config.padding
    else:
        attrs["pads"] = [lo for lo, _ in config.padding] + [hi for _, hi in config.padding]
    names = ["x", "w"] + (["b"] if b is not None else [])
    node = helper.make_node("ConvTranspose", names, ["y"], **attrs)
    feeds = dict(zip(names, (x, w, b)))
    return ReferenceEvaluator(node).run(None, feeds)[0]


def test_drawn_transposed_general_configs_agree_with_onnx_reference():
    """Beyond the shipped node cases: every ConvTranspose the strategies draw (lopsided pads, SAME_UPPER, SAME_LOWER,
    output_padding) through onnx.reference, on small-integer float64 data (so both sides are exact and must be
    equal).  Ungrouped, and output_padding < stride (ONNX Runtime's rule too), only: onnx.reference 1.23's grouped
    ConvTranspose adds the bias to the wrong channels or fails to reshape its weight (group=2, where
    oracle.conv_transpose agrees with torch), and with output_padding >= stride (PyTorch allows it below the
    dilation) its col2im counts one block too many and raises."""
    from hypothesis import HealthCheck, given, settings

    from conformance.generate.strategies import general_configs

    checked = []

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(general_configs(transposed=True).filter(lambda c: c.groups == 1 and all(
        op < s for op, s in zip(c.output_padding, c.stride))))
    def run(config):
        rng = np.random.default_rng(len(checked))
        x = rng.integers(-3, 4, config.input_shape).astype(np.float64)
        w = rng.integers(-3, 4, config.weight_shape).astype(np.float64)
        b = rng.integers(-3, 4, config.bias_shape).astype(np.float64) if config.bias else None
        np.testing.assert_array_equal(config.oracle_forward()(x, w, b), _reference_conv_transpose(config, x, w, b))
        checked.append(config.padding if isinstance(config.padding, str) else "pads")

    run()
    assert {"SAME_UPPER", "SAME_LOWER", "pads"} <= set(checked)
