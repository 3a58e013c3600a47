"""The large profile's machinery on cases small enough for the default suite: where positions are aimed, the
memory check, a faulty backend wrong only past a 2**31-element input offset, and the isolated path."""

from dataclasses import replace

import numpy as np
import pytest

from conformance.judge import large
from conformance.backends.protocol import Capabilities, Result
from conformance.model.config import ConvConfig
from conformance.run.isolation import IsolatedBackend
from conformance.judge.verdict import NonConformance
from oracle.positions import conv_at

# a conv1d whose input has 2**31 + 16 elements but whose output has 2049: stride 2**20 and a 1-wide kernel, so
# output o reads input element o * 2**20 alone, and output 2048 is the one reading offset 2**31
PAST = large.LargeCase("virtual-past-2**31", ConvConfig(
    ndim=1, batch=1, in_channels=1, out_channels=1, groups=1, input_size=(2**31 + 16,), kernel_size=(1,),
    stride=(2**20,), padding=(0,), dilation=(1,), padding_mode="zeros", bias=True, transposed=False),
    "float32", "an input past 2**31 elements, an output of 2049")


class WrongPastOffset:
    """Right everywhere except outputs reading input elements at flat offsets >= 2**31, as 32-bit offsets would be.
    Computes from whatever it is given (here the HashedTensors themselves: nothing is materialised)."""

    name = "wrong-past-2**31"
    capabilities = Capabilities(dtypes=("float32",), large_tensors=True)

    def __init__(self, wrong=True):
        self.wrong = wrong

    def forward(self, config, x, weight, bias, dtype):
        out_len = config.output_shape[-1]
        at = np.array([(0, 0, o) for o in range(out_len)])
        values = conv_at(x, weight, bias, config.stride, config.padding, config.dilation, at=at).values
        if self.wrong:
            values = np.where(np.arange(out_len) * config.stride[0] >= 2**31, values + 1, values)
        return Result(values.reshape(1, 1, out_len).astype(np.float32), "float32", "faulty-offsets")

    def grads(self, *args):
        raise NotImplementedError


@pytest.fixture
def lazy(monkeypatch):
    monkeypatch.setattr(large, "materialise", lambda tensor, dtype: tensor)


def test_positions_hit_the_offsets_they_name():
    case = large.CASES["f32-past-2**31-bytes"]
    at, reasons = large.positions(case)
    out_shape = case.config.output_shape
    assert len(at) == len(set(map(tuple, at))) and len(at) >= large.RANDOM_POSITIONS
    for index, why in zip(map(tuple, at), reasons):
        if "output offset 536870912 (at 2**31 bytes)" in why:  # 2**31 bytes of float32
            assert np.ravel_multi_index(index, out_shape) == 2**29
        if "reads input offset 536870912" in why:
            # the window of output (n, oc, oy, ox) covers input rows oy - 1 .. oy + 1 (padding 1, 3x3, stride 1)
            n, c, y, x = np.unravel_index(2**29, case.config.input_shape)
            assert index[0] == n and abs(index[2] - y) <= 1 and abs(index[3] - x) <= 1
    assert any("reads input offset 536870912" in w for w in reasons)
    assert not any("block edge 16 of axis 1" in w for w in reasons)  # out_channels 8: no channel 16 to aim at


def test_memory_check_skips_with_the_reason(monkeypatch):
    case = large.CASES["f32-past-2**31-bytes"]
    monkeypatch.setattr(large, "available_bytes", lambda: 2**30)
    why = large.fits(case)
    assert why.startswith("needs about ") and "GiB of memory, 1.0 GiB available" in why
    # input and output 537,920,000 float32 elements each (2.0 GiB): the torch-cpu run of this case peaked at 8.2 GiB
    # (the arrays, oneDNN's reordered copies); the estimate covers that and stays below 3 copies of each
    assert 8.2 * 2**30 < large.bytes_needed(case) < 4 * 537_920_000 * 6


def test_a_backend_wrong_only_past_2_31_is_caught_with_its_positions(lazy):
    with pytest.raises(NonConformance) as caught:
        large.check_large(WrongPastOffset(), PAST, "tests.engine.test_large:WrongPastOffset")
    message = str(caught.value)
    assert "failing forward positions" in message and "(0, 0, 2048)" in message
    assert "reads input offset 2147483648 (at or past 2**31 elements)" in message
    # not a built-in case: reproduced by its config (its data hash from the seed alone)
    assert ("python -m conformance large --backend tests.engine.test_large:WrongPastOffset --config 'conv1d "
            "x(1, 1, 2147483664) w(1, 1, 1) g=1 s=(1048576,) p=(0,) d=(1,)' --dtype float32") in message
    assert "(0, 0, 2047)" not in message.split("failing forward positions")[1]  # only the element past the offset


def test_the_same_backend_without_the_fault_passes(lazy):
    summary = large.check_large(WrongPastOffset(wrong=False), PAST)
    assert summary["positions"] >= 200 and summary["output_elements"] == 2049


def test_an_isolated_backend_makes_the_data_in_its_own_process():
    case = replace(large.CASES["f32-past-2**31-bytes"], config=replace(
        large.CASES["f32-past-2**31-bytes"].config, input_size=(40, 70)))  # the same case, small
    backend = IsolatedBackend("torch-cpu")
    try:
        summary = large.check_large(backend, case)
    finally:
        backend.close()
    assert summary["positions"] > 100 and summary["peak_bytes"] > 0 and summary["kernel_path"]


def test_a_large_certification_has_a_row_per_case_and_nothing_else():
    from conformance.certify import rows
    from conformance.backends import registry

    entries, placeholders = rows.planned(registry.load("torch-cpu"), profile="large")
    assert [e.key for e in entries] == [c.key for c in large.LARGE_CASES] and not placeholders
    only_3d, _ = rows.planned(registry.load("torch-cpu"), ndims=[3], profile="large")
    assert only_3d and all(large.CASES[e.key].config.ndim == 3 for e in only_3d)


def test_large_rows_say_why_they_did_not_run(monkeypatch):
    from conformance.certify import rows
    from conformance.backends import registry

    undeclared = rows.run_large_row(registry.load("scipy"), "f32-past-2**31-bytes")
    assert undeclared["status"] == "unsupported" and "Capabilities.large_tensors" in undeclared["reason"]
    monkeypatch.setattr(large, "available_bytes", lambda: 2**30)
    too_big = rows.run_large_row(registry.load("torch-cpu"), "f32-past-2**31-bytes")
    assert too_big["status"] == "untested" and "1.0 GiB available" in too_big["reason"]


def test_gradient_positions_keep_their_whole_grid_sums_within_the_budget():
    from conformance.judge.large_grads import WHOLE_GRID_PRODUCTS, grad_positions, grid_products

    case = large.LargeCase("grid", replace(PAST.config, ndim=2, batch=8, in_channels=2, out_channels=2,
                                           input_size=(512, 512), kernel_size=(3, 3), stride=(1, 1), padding=(1, 1),
                                           dilation=(1, 1)), "float32", "a 2M-product grid per grad_weight element")
    ats = grad_positions(case)
    assert grid_products(case) == 8 * 512 * 512
    sums = len(ats["grad_weight"][0]) + len(ats["grad_bias"][0])
    assert 4 <= sums and sums * grid_products(case) <= WHOLE_GRID_PRODUCTS
    assert ats["grad_weight"][1][0].startswith("first element") and "last element" in ats["grad_weight"][1][1]
    assert len(ats["grad_input"][0]) >= large.RANDOM_POSITIONS  # a window each: not budgeted


def test_sampled_gradients_of_a_transposed_layer_with_a_bias_agree_with_the_oracle():
    from conformance.judge.large_grads import check_large_grads

    from .faulty_backends import Faulty  # its gradients are the oracle's

    config = replace(PAST.config, batch=2, in_channels=4, out_channels=6, groups=2, input_size=(9,),
                     kernel_size=(3,), stride=(2,), dilation=(2,), transposed=True, output_padding=(1,))
    summary = check_large_grads(Faulty("grad_weight_first_batch_only", name="oracle-grads"),
                                large.LargeCase("t", replace(config, batch=1), "float64", "transposed, biased"))
    assert set(summary["positions"]) == {"grad_input", "grad_weight", "grad_bias"}
    assert summary["worst_ratio"] == 0  # exact: batch 1, so the fault changes nothing
    with pytest.raises(NonConformance, match="grad_weight"):
        check_large_grads(Faulty("grad_weight_first_batch_only"), large.LargeCase("t", config, "float64", "t"))
