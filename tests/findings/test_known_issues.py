"""The reduced reproducers of known issues, as strict xfails: a fix upstream turns them into a failure
that says so, and the known issue must then be removed from conformance/findings/."""

import dataclasses

import numpy as np
import pytest

import oracle
from conformance.findings import KnownNonConformance
from conformance.findings.onednn import BF16_FORWARD, BF16_NATIVE
from conformance.platform.onednn_dispatch import runs

from .children import child

torch = pytest.importorskip("torch", reason="the known issues are in torch backends")
# None where torch sends bfloat16 convolutions to oneDNN here (AVX-512 ISAs), else why not
torch_onednn_bf16 = runs(BF16_FORWARD, "*")
# None where oneDNN runs bfloat16 in native kernels (AVX512_CORE_BF16 and up, AMX), else why not.  The FTZ and
# SlowTranspose3d reproducers below are wrong there; under the AVX512_CORE_VNNI and AVX512_CORE caps an AMD Zen 4
# runs the emulated jit_bf16:avx512_core kernels, which keep subnormals, and the reproducers conform (the CPU
# matrix, docs/cpu-matrix.md).  Their keys still claim a failure that flushing explains wherever bfloat16 reaches
# oneDNN: a Sapphire Rapids certification under AVX512_CORE showed 2 such rows of each.
NATIVE_BF16 = runs(BF16_FORWARD, *BF16_NATIVE)


def require_native_bf16():
    why = NATIVE_BF16()
    if why:
        pytest.skip(f"{why}: the reduced reproducer flushes in native bfloat16 kernels and conforms in the "
                    "emulated ones (seen on an AMD Zen 4)")


def require_path(x, w, padding, path="Mkldnn"):
    """Skip unless torch serves this bfloat16 call by `path` here: oneDNN's bfloat16 kernels are used only on
    CPUs with AVX-512 (elsewhere torch takes its own Slow* kernels, which conform on these cases)."""
    nd = x.dim() - 2
    chosen = torch._C._select_conv_backend(x, w, None, [1] * nd, list(padding), [1] * nd, False, [0] * nd, 1)
    if chosen.name != path:
        pytest.skip(f"torch serves this call by {chosen.name}, not {path}, on this CPU "
                    f"({torch_onednn_bf16() or 'oneDNN bfloat16 available'}): the finding is in {path}")


@pytest.mark.xfail(strict=True, reason="known issue onednn-bf16-nan-leak (conformance/findings/onednn.py)")
def test_onednn_bf16_nan_leak_reduced():
    x = np.ones((1, 1, 1, 8))
    x[0, 0, 0, 5] = -np.inf
    w = np.array([[[[0.0, 1.0, 1.0]]]])
    expected = oracle.conv(x, w, padding=(0, 1))  # IEEE: [2, 2, 2, 2, -inf, -inf, nan, 1]
    xt, wt = torch.tensor(x, dtype=torch.bfloat16), torch.tensor(w, dtype=torch.bfloat16)
    with torch.backends.mkldnn.flags(enabled=True):
        require_path(xt, wt, (0, 1))
        got = torch.nn.functional.conv2d(xt, wt, padding=(0, 1)).double().numpy()
    np.testing.assert_array_equal(got, expected)


@pytest.mark.xfail(strict=True, reason="known issue onednn-bf16-ftz (conformance/findings/onednn.py)")
def test_onednn_bf16_ftz_reduced():
    tiny = 2.0 ** -130  # a bfloat16 subnormal (smallest normal is 2**-126)
    x = np.array([[[tiny, tiny, tiny]]])
    w = np.ones((1, 3, 1))
    expected = oracle.conv(x.reshape(1, 3, 1), w)  # 3 * 2**-130, exact in bfloat16
    xt, wt = torch.tensor(x.reshape(1, 3, 1), dtype=torch.bfloat16), torch.tensor(w, dtype=torch.bfloat16)
    with torch.backends.mkldnn.flags(enabled=True):
        require_path(xt, wt, (0,))
        require_native_bf16()
        got = torch.nn.functional.conv1d(xt, wt).double().numpy()
    np.testing.assert_array_equal(got, expected)


@pytest.mark.xfail(strict=True, reason="known issue onednn-bf16-ftz (conformance/findings/onednn.py): FTZ without DAZ")
def test_onednn_bf16_ftz_without_daz_reduced():
    """A subnormal weight is read as it is (13760 x w comes back right) while the subnormal result 41 x w is
    flushed: FTZ alone, found by the 1-thread thorough certification on an AMD Zen 4."""
    w = np.array([[[2.0 ** -133]]])  # the smallest bfloat16 subnormal (the smallest normal is 2**-126)
    x = np.array([41.0, 13760.0]).reshape(2, 1, 1)
    expected = oracle.conv_transpose(x, w, stride=2, dilation=2)  # 41 * 2**-133: a subnormal; 13760 * 2**-133 normal
    xt, wt = torch.tensor(x, dtype=torch.bfloat16), torch.tensor(w, dtype=torch.bfloat16)
    with torch.backends.mkldnn.flags(enabled=True):
        chosen = torch._C._select_conv_backend(xt, wt, None, [2], [0], [2], True, [0], 1)
        if int(chosen) != 9:  # ConvBackend::MkldnnTranspose, which pybind exports without a name
            pytest.skip(f"torch serves this call by {chosen.name}, not MkldnnTranspose, on this CPU "
                        f"({torch_onednn_bf16() or 'oneDNN bfloat16 available'})")
        require_native_bf16()
        got = torch.nn.functional.conv_transpose1d(xt, wt, stride=2, dilation=2).double().numpy()
    np.testing.assert_array_equal(got, expected)


SLOWTRANSPOSE3D_BF16 = ("ConvConfig(ndim=3, batch=1, in_channels=1, out_channels=2, groups=1, input_size=(3, 4, 6), "
                        "kernel_size=(2, 4, 4), stride=(1, 2, 1), padding=(0, 0, 0), dilation=(1, 1, 2), "
                        "padding_mode='zeros', bias=True, transposed=True, output_padding=(0, 0, 1))")


@pytest.mark.xfail(strict=True, raises=KnownNonConformance,
                   reason="known issue torch-cpu-slowtranspose3d-bf16-avx512 (conformance/findings/pytorch.py)")
def test_slowtranspose3d_bf16_avx512_finding():
    from conformance.backends import registry
    from conformance.judge.checks import check_forward
    from conformance.model.config import ConvConfig

    require_native_bf16()
    config = eval(SLOWTRANSPOSE3D_BF16, {"ConvConfig": ConvConfig})  # noqa: S307 - the report's repr
    check_forward(registry.load("torch-cpu"), config, "bfloat16", "adversarial", 0)


@pytest.mark.xfail(strict=True,
                   reason="known issue onednn-padding-only-width-segfault (conformance/findings/onednn.py)")
def test_onednn_padding_only_width_segfault_reduced():
    import subprocess
    import sys

    # in a child: the segfault kills the process
    code = ("import torch, torch.nn.functional as F; cl = torch.channels_last\n"
            "x = torch.ones(2, 2, 2, 1).contiguous(memory_format=cl)\n"
            "w = torch.ones(1, 2, 1, 1).contiguous(memory_format=cl)\n"
            "y = F.conv2d(x, w, torch.ones(1), stride=(1, 2), padding=(0, 1), dilation=(1, 2))\n"
            "print(y.flatten().tolist())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"exit {done.returncode}"  # crashes under every oneDNN ISA from AVX2 to AMX
    # every output window reads only padding: the result is the bias, 1, everywhere (2 x 1 x 2 x 2)
    assert done.stdout.strip() == str([1.0] * 8)


@pytest.mark.xfail(strict=True,
                   reason="known issue onednn-padding-only-width-segfault (conformance/findings/onednn.py)")
def test_onednn_padding_only_width_segfault_wider_kernel():
    # the thorough channels-last certification's case, reduced to 2-d: width 1, kernel 2 with dilation 2,
    # stride 3, padding 4: the windows read padded columns (0, 2), (3, 5), (6, 8); the input is column 4
    code = ("import torch, torch.nn.functional as F; cl = torch.channels_last\n"
            "x = torch.ones(2, 2, 1, 1).contiguous(memory_format=cl)\n"
            "w = torch.ones(1, 2, 1, 2).contiguous(memory_format=cl)\n"
            "y = F.conv2d(x, w, torch.ones(1), stride=(1, 3), padding=(0, 4), dilation=(1, 2))\n"
            "print(y.flatten().tolist())\n")
    done = child(code)
    assert done.returncode == 0, f"exit {done.returncode}"
    assert done.stdout.strip() == str([1.0] * 6)  # 2 images x 3 outputs, each only the bias


@pytest.mark.xfail(strict=True, reason="known issue onednn-grouped-huge-dilation-sigfpe"
                                       " (conformance/findings/onednn.py)")
def test_onednn_grouped_huge_dilation_sigfpe_reduced():
    # kernel 3, dilation and padding 2**31 - 1: padded width 4 + 2 * (2**31 - 1), extent 2 * (2**31 - 1) + 1, so
    # 4 outputs; tap 1 of output o reads input o, taps 0 and 2 read padding: every output is 1 (ones in and out)
    code = ("import torch, torch.nn.functional as F; cl = torch.channels_last; B = 2**31 - 1\n"
            "x = torch.ones(1, 2, 1, 4).contiguous(memory_format=cl)\n"
            "w = torch.ones(4, 1, 1, 3).contiguous(memory_format=cl)\n"
            "y = F.conv2d(x, w, padding=(0, B), dilation=(1, B), groups=2)\n"
            "print(tuple(y.shape), y.flatten().tolist())\n")
    done = child(code)
    assert done.returncode == 0, f"exit {done.returncode}"
    assert done.stdout.strip() == f"{(1, 4, 1, 4)} {[1.0] * 16}"


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


@pytest.mark.xfail(strict=True, reason="known issue nnpack-ftz (conformance/findings/nnpack.py)")
def test_nnpack_ftz_reduced():
    x = np.full((16, 1, 1), 2.0 ** -70)  # a normal float32; the product 2**-140 is subnormal
    with torch.backends.mkldnn.flags(enabled=False):
        xt = torch.tensor(x, dtype=torch.float32)
        chosen = torch._C._select_conv_backend(xt.unsqueeze(2), xt[:1].unsqueeze(2), None, [1, 1], [0, 0], [1, 1],
                                               False, [0, 0], 1)
        if chosen.name != "NnpackSpatial":
            pytest.skip(f"torch serves this call by {chosen.name}, not NnpackSpatial, on this build")
        got = torch.nn.functional.conv1d(xt, xt[:1]).double().numpy()
    np.testing.assert_array_equal(got, oracle.conv(x, x[:1]))  # 2**-140 everywhere, exact in float32


@pytest.mark.xfail(strict=True, reason="known issue nnpack-nan-leak (conformance/findings/nnpack.py)")
def test_nnpack_nan_leak_reduced():
    x = np.ones((16, 1, 4))
    x[1, 0, 2] = np.inf  # a 1x1 kernel of one: the output is the input, inf stays where it is
    with torch.backends.mkldnn.flags(enabled=False):
        got = torch.nn.functional.conv1d(torch.tensor(x, dtype=torch.float32), torch.ones(1, 1, 1)).double().numpy()
    np.testing.assert_array_equal(got, oracle.conv(x, np.ones((1, 1, 1))))


@pytest.mark.xfail(strict=True, raises=KnownNonConformance,
                   reason="known issue nnpack-transform-accuracy (conformance/findings/nnpack.py)")
def test_nnpack_transform_accuracy_reduced():
    from conformance.backends import registry
    from conformance.judge.checks import check_forward
    from conformance.model.config import ConvConfig

    config = ConvConfig(2, 16, 3, 5, 1, (8, 8), (1, 1), (1, 1), (0, 0), (1, 1), "zeros", True, False, None)
    check_forward(registry.load("torch-cpu-nomkldnn"), config, "float32", "random", 0)


@pytest.mark.xfail(strict=True, reason="known issue nnpack-transform-overflow (conformance/findings/nnpack.py)")
def test_nnpack_transform_overflow_reduced():
    # two products of -2**124 each: every partial sum of any order is finite (-2**125 = -4.25e37)
    x, w = np.full((16, 1, 2), -(2.0 ** 62)), np.full((1, 1, 2), 2.0 ** 62)
    with torch.backends.mkldnn.flags(enabled=False):
        got = torch.nn.functional.conv1d(torch.tensor(x, dtype=torch.float32),
                                         torch.tensor(w, dtype=torch.float32)).double().numpy()
    np.testing.assert_array_equal(got, oracle.conv(x, w))


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
