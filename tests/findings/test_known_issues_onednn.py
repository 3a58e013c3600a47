"""oneDNN 3.12 (torch 2.13.0 CPU) findings on CPUs with AVX512-FP16, AVX512-BF16 and AMX: the narrowness of their
known issues (each key claims the geometry it was found on, and its neighbours that compute right are not claimed).
Their reduced reproducers are conformance/findings/reproducers/<key>.py, run by test_reproducers.py."""

import dataclasses

import numpy as np
import pytest

import oracle
from conformance.model.config import ConvConfig
from conformance.findings import KNOWN_ISSUES, known_crash, matching
from conformance.backends.torch.layouts import Layout, plan

from .layouts import layouts_of

torch = pytest.importorskip("torch", reason="the findings are in torch's oneDNN")
ISSUES = {issue.key: issue for issue in KNOWN_ISSUES}


def _bf16_conv(x, w, **kw):
    """torch's bfloat16 convolution of exactly representable data, as float64 numpy."""
    fn = getattr(torch.nn.functional, f"conv{x.ndim - 2}d")
    return fn(torch.tensor(x, dtype=torch.bfloat16), torch.tensor(w, dtype=torch.bfloat16), **kw).double().numpy()


WRONG_ROWS = ConvConfig(2, 1, 3, 3, 1, (8, 3), (2, 3), (1, 2), (0, 0), (1, 1), "zeros", False, False, None)


def test_onednn_amx_bf16_wrong_rows_is_claimed_only_on_its_geometry():
    """Neighbours of the finding that oneDNN computes right are not claimed: a stride of 1 or a 1-wide kernel
    along the width (output width > 1), and 1-d."""
    def claims(config):
        return any(i.key == "onednn-amx-bf16-wrong-rows"
                   for i in matching("torch-cpu", "bfloat16", "Mkldnn", config, "random", "forward"))

    if ISSUES["onednn-amx-bf16-wrong-rows"].unreachable_here():
        assert not claims(WRONG_ROWS)
        return
    assert claims(WRONG_ROWS)
    rng = np.random.default_rng(0)
    neighbours = (dataclasses.replace(WRONG_ROWS, stride=(1, 1)), dataclasses.replace(WRONG_ROWS, kernel_size=(2, 1)),
                  ConvConfig(1, 1, 3, 3, 1, (3,), (3,), (2,), (0,), (1,), "zeros", False, False, None))
    for neighbour in neighbours:
        assert not claims(neighbour), neighbour
        # integers in [-2, 2], at most 18 products: every sum is exact in bfloat16
        x = rng.integers(-2, 3, neighbour.input_shape).astype(float)
        w = rng.integers(-2, 3, neighbour.weight_shape).astype(float)
        stride = neighbour.stride
        np.testing.assert_array_equal(_bf16_conv(x, w, stride=stride), oracle.conv(x, w, stride=stride))
    # the transposed forward (oneDNN's backward-data) is not affected: only grad_input of a transposed config
    transposed = ConvConfig(2, 1, 3, 3, 1, (8, 1), (2, 3), (1, 2), (0, 0), (1, 1), "zeros", False, True, (0, 1))
    assert not [i for i in matching("torch-cpu", "bfloat16", "MkldnnTranspose", transposed, "random", "transposed")
                if i.key == "onednn-amx-bf16-wrong-rows"]


def _crash(backend, dtype, config, direction=None, hang=False):
    return known_crash(backend, dtype, config, direction, hang=hang, layouts=layouts_of(backend, config))


def test_padding_only_crash_keys_claim_their_geometry_only():
    found = ConvConfig(2, 2, 2, 1, 1, (2, 1), (1, 1), (1, 2), (0, 1), (1, 2), "zeros", True, False, None)
    assert _crash("torch-cpu-channels-last", "float32", found).key == "onednn-padding-only-width-segfault"
    # no bias, dilation 1 (the windows then read the input), contiguous tensors: not claimed
    for other, backend in ((dataclasses.replace(found, bias=False), "torch-cpu-channels-last"),
                           (dataclasses.replace(found, dilation=(1, 1)), "torch-cpu-channels-last"),
                           (found, "torch-cpu")):
        assert _crash(backend, "float32", other) is None, (other, backend)
    # 1-d: channels-last only through a layout (mixed layouts' permuted weight); the channels-last backend's 1-d
    # tensors are contiguous
    one_d = ConvConfig(1, 1, 2, 1, 1, (1,), (2,), (3,), (4,), (2,), "zeros", True, False, None)
    assert _crash("torch-cpu-channels-last", "float32", one_d) is None
    permuted = {"input": plan((1, 2, 1), "contiguous", 0), "weight": Layout("permuted", (1, 2, 2), (4, 1, 2))}
    assert known_crash("torch-cpu-mixed-layouts", "float32", one_d, layouts=permuted).key == \
        "onednn-padding-only-width-segfault"
    depth = ConvConfig(3, 1, 4, 6, 2, (1, 4, 4), (2, 2, 2), (2, 1, 1), (1, 1, 1), (2, 1, 1), "zeros", False, False,
                       None)
    amx = _crash("torch-cpu", "bfloat16", depth)
    if ISSUES["onednn-amx-bf16-padding-only-segfault"].unreachable_here() is None:
        assert amx.key == "onednn-amx-bf16-padding-only-segfault"
        # depth dilation 1: the taps read the input, nothing to claim; below AMX the kernel is another
        assert _crash("torch-cpu", "bfloat16", dataclasses.replace(depth, dilation=(1, 1, 1))) is None
        assert _crash("torch-cpu-avx512", "bfloat16", depth) is None
    else:
        assert amx is None


def test_new_crash_keys_claim_their_geometry_only():
    near = ConvConfig(2, 1, 2, 2, 1, (1, 4), (1, 3), (1, 1), (0, 2**31 - 1), (1, 2**31 - 1), "zeros", False, False,
                      None)
    unreached = ConvConfig(2, 1, 1, 2, 1, (1, 1), (2, 3), (1, 1), (3, 0), (16, 2), "zeros", False, True, (0, 0))
    fp16 = ISSUES["onednn-fp16-near-2-32-dilation-sigfpe"].unreachable_here() is None
    amx = ISSUES["onednn-amx-bf16-transposed-unreached-segfault"].unreachable_here() is None
    assert (known_crash("torch-cpu", "float16", near) is not None) == fp16
    assert (known_crash("torch-cpu", "bfloat16", unreached, "transposed") is not None) == amx
    # a 2-tap kernel, a span past 2**32, a reachable output, or stride 2 on that axis: not claimed
    for other in (dataclasses.replace(near, kernel_size=(1, 2), padding=(0, 2**31), dilation=(1, 2**32 - 2)),
                  dataclasses.replace(near, padding=(0, 2**31 + 1), dilation=(1, 2**31 + 1))):
        assert known_crash("torch-cpu", "float16", other) is None, other
    # 3 taps at dilation 8, padding 8: they land on rows -8, 0 and 8 of a 1-row output, row 0 is reached
    reached = dataclasses.replace(unreached, kernel_size=(3, 3), padding=(8, 0), dilation=(8, 2))
    for other in (reached, dataclasses.replace(unreached, stride=(2, 1))):
        assert known_crash("torch-cpu", "bfloat16", other, "transposed") is None, other


def test_depth_stride_keys_claim_their_geometry_only():
    key = "onednn-avx512-f32-depth-stride-grad-weight"
    here = ISSUES[key].unreachable_here() is None
    bad = ConvConfig(3, 2, 1, 1, 1, (2, 1, 1), (4, 1, 1), (2, 1, 1), (3, 0, 0), (1, 1, 1), "zeros", True, False, None)

    def claimed(backend, config):
        return any(k.key == key for k in matching(backend, "float32", "Mkldnn", config, direction="grad_weight",
                                                  layouts=layouts_of(backend, config, gradients=True)))

    assert claimed("torch-cpu", bad) == here
    assert (_crash("torch-cpu", "float32", bad, "grad_input", hang=True) is not None) == here
    # batch 1, stride 1, padding <= stride, the height axis, 2-d, another padding mode (F.pad: no oneDNN padding)
    for other in (dataclasses.replace(bad, batch=1), dataclasses.replace(bad, stride=(1, 1, 1)),
                  dataclasses.replace(bad, padding=(2, 0, 0), kernel_size=(3, 1, 1)),
                  dataclasses.replace(bad, input_size=(1, 2, 1), kernel_size=(1, 4, 1), stride=(1, 2, 1),
                                      padding=(0, 3, 0)),
                  ConvConfig(2, 2, 1, 1, 1, (2, 1), (4, 1), (2, 1), (3, 0), (1, 1), "zeros", True, False, None),
                  dataclasses.replace(bad, padding_mode="circular", padding=(1, 0, 0))):
        assert not claimed("torch-cpu", other), other
    assert not claimed("torch-cpu-avx2", bad)
    # batch 1 is claimed when grouped with a channels-last input (torch-cpu-mixed-layouts found it)
    grouped = dataclasses.replace(bad, batch=1, in_channels=2, out_channels=2, groups=2)
    assert not claimed("torch-cpu", grouped)
    assert claimed("torch-cpu-channels-last", grouped) == here


def test_same_padding_reaches_onednn_as_its_symmetric_part():
    """padding='same' with an odd total: ATen pads the extra element with F.pad and gives oneDNN the symmetric
    rest, so a height-1 input under a 4-tap kernel at dilation 3 (pads 4 and 5) reaches oneDNN as height 2 with
    padding 4: every window straddles it (taps at -4, -1, 2, 5), the padding-only crash geometry. The thorough
    certification crashed there (2-d forward, bfloat16)."""
    from conformance.findings.onednn_geometry import amx_bf16_padding_only_segfault, direct

    same = ConvConfig(2, 1, 3, 2, 1, (1, 6), (4, 4), (1, 1), "same", (3, 2), "zeros", False, False, None)
    g = direct(same)
    assert (g.n[0], g.p[0]) == (2, 4) and amx_bf16_padding_only_segfault(same)
    # the same total on an input whose height the taps meet (height 3: tap 2 reads row 2) is not claimed
    assert not amx_bf16_padding_only_segfault(dataclasses.replace(same, input_size=(3, 6)))


def _stale_unreached(spoil):
    """torch-cpu as the AMX kernel behaves on the geometry of onednn-amx-bf16-grad-input-uninitialised: the oracle's
    values, with `spoil` writing stale memory into the forward output or grad_input."""
    from .spoiled import SpoiledOracle

    return SpoiledOracle("torch-cpu", spoil)


@pytest.fixture
def uninitialised_anywhere(monkeypatch):
    """The key made machine-independent (its judging logic is what is tested here, not this CPU)."""
    from conformance import findings as known_issues

    key = "onednn-amx-bf16-grad-input-uninitialised"
    monkeypatch.setattr(known_issues, "KNOWN_ISSUES", [dataclasses.replace(issue, platform=None)
                                                       if issue.key == key else issue for issue in KNOWN_ISSUES])
    return key


def _verdict(check, backend, config):
    from conformance.findings import KnownNonConformance
    from conformance.judge.verdict import NonConformance

    try:
        check(backend, config, "bfloat16", "integer", 3)
    except KnownNonConformance as known:
        return known.issue.key
    except NonConformance:
        return "FAIL"
    return "pass"


def test_amx_uninitialised_folds_through_replicate_padding(uninitialised_anywhere):
    """Replicate padding 1 over width 5, stride 2, kernel 1: F.pad makes width 7, whose columns 1, 3, 5 no window
    reads; they copy input columns 0, 2, 4, so stale values may land there (the thorough certification's 3-d
    replicate NaNs) and nowhere else."""
    from conformance.judge.checks import check_grads

    config = ConvConfig(1, 1, 1, 1, 1, (5,), (1,), (2,), (1,), (1,), "replicate", True, False, None)

    def at(column):
        return lambda grad_input: grad_input.__setitem__((0, 0, column), np.nan)

    assert _verdict(check_grads, _stale_unreached(lambda g: None), config) == "pass"
    for column in (0, 2, 4):
        assert _verdict(check_grads, _stale_unreached(at(column)), config) == uninitialised_anywhere
    for column in (1, 3):  # read by a window through its only copy: judged
        assert _verdict(check_grads, _stale_unreached(at(column)), config) == "FAIL"


def test_amx_uninitialised_claims_a_transposed_outputs_bias_only_elements(uninitialised_anywhere):
    """The thorough certification's transposed 3-d strided failure: depth stride 2 with output_padding 1 and width
    stride 2 over a 1-wide kernel leave the last depth plane and the odd columns without a product (the bias
    alone is exact); 0 there is claimed, a wrong element that products reach is not."""
    from conformance.judge.checks import check_forward

    config = ConvConfig(3, 1, 1, 1, 1, (1, 1, 15), (2, 1, 1), (2, 1, 2), (0, 0, 0), (1, 1, 1), "zeros", True,
                        True, (1, 0, 0))

    def zero(index):
        return lambda y: y.__setitem__(index, 0.0)

    assert _verdict(check_forward, _stale_unreached(zero((0, 0, 2, 0, slice(None)))), config) == uninitialised_anywhere
    assert _verdict(check_forward, _stale_unreached(zero((0, 0, 0, 0, 13))), config) == uninitialised_anywhere
    assert _verdict(check_forward, _stale_unreached(zero((0, 0, 0, 0, 12))), config) == "FAIL"
