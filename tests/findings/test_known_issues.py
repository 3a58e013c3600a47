"""What known issues claim and what they do not: each key claims the case it was found with, and a neighbouring
failure its hypothesis does not explain still fails.  The reduced reproducers themselves are the files in
conformance/findings/reproducers/ (tests/findings/test_reproducers.py runs them)."""

import dataclasses

import numpy as np
import pytest

from conformance.findings import KnownNonConformance

pytest.importorskip("torch", reason="the known issues are in torch backends")


SLOWTRANSPOSE3D_BF16 = ("ConvConfig(ndim=3, batch=1, in_channels=1, out_channels=2, groups=1, input_size=(3, 4, 6), "
                        "kernel_size=(2, 4, 4), stride=(1, 2, 1), padding=(0, 0, 0), dilation=(1, 1, 2), "
                        "padding_mode='zeros', bias=True, transposed=True, output_padding=(0, 0, 1))")


def test_slowtranspose3d_bf16_avx512_claims_its_found_case():
    """The certification's case: where torch-cpu gets it wrong (native bfloat16 kernels), the key claims it; where it
    conforms (AVX2, emulated bfloat16) the check passes.  The reduced reproducer is
    conformance/findings/reproducers/torch_cpu_slowtranspose3d_bf16_avx512.py."""
    from conformance.backends import registry
    from conformance.judge.checks import check_forward
    from conformance.model.config import ConvConfig

    config = eval(SLOWTRANSPOSE3D_BF16, {"ConvConfig": ConvConfig})  # noqa: S307 - the report's repr
    try:
        check_forward(registry.load("torch-cpu"), config, "bfloat16", "adversarial", 0)
    except KnownNonConformance as known:
        assert known.issue.key == "torch-cpu-slowtranspose3d-bf16-avx512"


def test_onednn_grouped_huge_dilation_sigfpe_is_claimed_only_where_found():
    from conformance.model.config import ConvConfig
    from conformance.findings import known_crash

    from .layouts import layouts_of

    def crash(backend, config):
        return known_crash(backend, "float32", config, layouts=layouts_of(backend, config))

    big = 2**31 - 1
    found = ConvConfig(2, 1, 2, 4, 2, (1, 4), (1, 3), (1, 1), (0, big), (1, big), "zeros", False, False, None)
    assert crash("torch-cpu-channels-last", found).key == "onednn-grouped-huge-dilation-sigfpe"
    # depthwise with multiplier 1, groups 1, an extent of 3 * 2**30, contiguous tensors: these run correctly
    for other in (dataclasses.replace(found, out_channels=2), dataclasses.replace(found, groups=1),
                  dataclasses.replace(found, padding=(0, 3 * 2**29), dilation=(1, 3 * 2**29))):
        assert crash("torch-cpu-channels-last", other) is None, other
    assert crash("torch-cpu", found) is None
    assert known_crash("torch-cpu-channels-last", "float32", found) is None  # layouts unknown: nothing claimed


def test_nnpack_transform_accuracy_claims_its_found_case():
    """The batch-blocks case the finding was made with: NNPACK's result fails the element-wise float32 bound and the
    key claims it (it meets the norm-wise transform class); a build that conforms passes.  The reduced reproducer
    is conformance/findings/reproducers/nnpack_transform_accuracy.py."""
    from conformance.backends import registry
    from conformance.judge.checks import check_forward
    from conformance.model.config import ConvConfig

    config = ConvConfig(2, 16, 3, 5, 1, (8, 8), (1, 1), (1, 1), (0, 0), (1, 1), "zeros", True, False, None)
    try:
        check_forward(registry.load("torch-cpu-nomkldnn"), config, "float32", "random", 0)
    except KnownNonConformance as known:
        assert known.issue.key == "nnpack-transform-accuracy"


def test_nnpack_transform_overflow_is_claimed_only_near_overflow():
    """The known issue's hypothesis is narrow: a NaN in an image far from overflow still fails."""
    from conformance.judge.checks import _overflowed_images

    ref = np.full((2, 1, 3), -4.25e37)
    ref[1] = 1.0  # image 1 is nowhere near overflow
    got = np.full_like(ref, np.nan)
    accepted = _overflowed_images(got, ref, np.abs(ref), "float32", 0)
    assert np.isnan(accepted[0]).all() and (accepted[1] == 1.0).all()


def _flushing_results(spoil=lambda y: None):
    """torch-cpu-1thread in bfloat16 as oneDNN ran it in the AMD Zen 4 1-thread thorough certification: subnormal
    inputs read as they are, results below the smallest normal flushed to zero (FTZ without DAZ)."""
    from .spoiled import SpoiledOracle

    return SpoiledOracle("torch-cpu-1thread", spoil, flush=True)


@pytest.mark.parametrize("spoil, verdict", [(lambda y: None, "onednn-bf16-ftz"),
                                            (lambda y: y.__setitem__((3, 0, 0), 2 * y[3, 0, 0]), "FAIL")])
def test_bf16_ftz_claims_flushed_results_of_unflushed_inputs(spoil, verdict):
    """The certification's case: weight 2.8e-40 (subnormal) times 41 is 1.1e-38, below the smallest normal, and
    came back 0, while 13760 times the same weight (3.8e-36) came back right: the weight was read as it is, only
    the result flushed.  The key claims that; a wrong normal result is still a failure (neither reading of the
    inputs explains it)."""
    from conformance.judge.checks import check_forward
    from conformance.model.config import ConvConfig
    from conformance.judge.verdict import NonConformance

    config = ConvConfig(1, 4, 1, 1, 1, (1,), (1,), (2,), (0,), (2,), "zeros", False, True, (0,))
    try:
        check_forward(_flushing_results(spoil), config, "bfloat16", "adversarial", 0)
        got = "pass"
    except KnownNonConformance as known:
        got = known.issue.key
    except NonConformance:
        got = "FAIL"
    assert got == verdict
