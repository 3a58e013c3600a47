"""The numerical datasheet's probes (conformance.judge.datasheet) read the arithmetic they were built to read."""

import pytest

from conformance import __main__ as cli
from conformance.backends import registry
from conformance.judge.datasheet import ORDER_POSITIONS, ORDERS, datasheet, simulate
from tests.engine.accumulators import Accumulating


def test_the_order_simulations_tell_the_orders_apart():
    # left to right: the ones after -M survive; right to left: -M absorbs every one before M cancels it
    assert [simulate("left to right", 32, j) for j in (1, 5, 31)] == [30, 26, 0]
    assert {simulate("right to left", 32, j) for j in range(1, 32)} == {0}
    seen = {name: tuple(simulate(name, 32, j) for j in ORDER_POSITIONS) for name in ORDERS}
    assert len(set(seen.values())) == len(ORDERS), "two orders the probe cannot tell apart"


@pytest.mark.parametrize("policy, bits, products, order", [
    ("sequential", "24", "rounded before the addition", "left to right"),
    ("reversed", "24", "rounded before the addition", "right to left"),
    ("pairwise", "24", "rounded before the addition", "pairwise"),
    ("blocked", "24", "rounded before the addition", "blocked 16"),
    ("fma", "24", "unrounded (fused multiply-add, or exact in a wider accumulator)", "left to right"),
    ("float64-then-round", "53", "unrounded (fused multiply-add, or exact in a wider accumulator)", None),
])
def test_the_probes_read_a_known_arithmetic(policy, bits, products, order):
    sheet = datasheet(Accumulating(policy))["float32"]
    for axis in ("channels", "taps"):
        entry = sheet[axis]
        assert (entry["accumulator bits"], entry["products"], entry["rounding"]) == (bits, products, "to nearest")
        assert entry["subnormal inputs"] == entry["subnormal results"] == "kept"
        if order is not None:
            assert entry["order"] == order
        assert entry["kernel path"] == f"accumulate:{policy}"


def test_torch_bfloat16_accumulates_in_float32_as_documented():
    """oneDNN's bfloat16 convolutions accumulate in float32 (its data-types documentation), and so do torch's own
    CPU kernels for half types: 24 bits, whichever path serves the probes on this machine."""
    sheet = datasheet(registry.load("torch-cpu"), ["bfloat16"])["bfloat16"]
    assert sheet["channels"]["accumulator bits"] == sheet["taps"]["accumulator bits"] == "24", sheet


def test_the_command_prints_the_table_and_refuses_an_undeclared_dtype(capsys):
    assert cli.main(["datasheet", "--backend", "scipy"]) == 0
    out = capsys.readouterr().out
    assert "| float64 | channels | 53 | rounded before the addition | to nearest | kept | kept |" in out
    assert cli.main(["datasheet", "--backend", "scipy", "--dtype", "float16"]) == 2
    assert "--dtype float16: not declared by 'scipy'" in capsys.readouterr().err
