"""The reduced reproducers of known issues, as strict xfails: a fix upstream turns them into a failure
that says so, and the known issue must then be removed from conformance/known_issues.py."""

import numpy as np
import pytest

import oracle
from conformance.verdict import NonConformance

torch = pytest.importorskip("torch", reason="the known issues are in torch backends")


@pytest.mark.xfail(strict=True, reason="known issue onednn-bf16-nan-leak (conformance/known_issues.py)")
def test_onednn_bf16_nan_leak_reduced():
    x = np.ones((1, 1, 1, 8))
    x[0, 0, 0, 5] = -np.inf
    w = np.array([[[[0.0, 1.0, 1.0]]]])
    expected = oracle.conv(x, w, padding=(0, 1))  # IEEE: [2, 2, 2, 2, -inf, -inf, nan, 1]
    with torch.backends.mkldnn.flags(enabled=True):
        got = torch.nn.functional.conv2d(torch.tensor(x, dtype=torch.bfloat16), torch.tensor(w, dtype=torch.bfloat16),
                                         padding=(0, 1)).double().numpy()
    np.testing.assert_array_equal(got, expected)


@pytest.mark.xfail(strict=True, reason="known issue onednn-bf16-ftz (conformance/known_issues.py)")
def test_onednn_bf16_ftz_reduced():
    tiny = 2.0 ** -130  # a bfloat16 subnormal (smallest normal is 2**-126)
    x = np.array([[[tiny, tiny, tiny]]])
    w = np.ones((1, 3, 1))
    expected = oracle.conv(x.reshape(1, 3, 1), w)  # 3 * 2**-130, exact in bfloat16
    with torch.backends.mkldnn.flags(enabled=True):
        got = torch.nn.functional.conv1d(torch.tensor(x.reshape(1, 3, 1), dtype=torch.bfloat16),
                                         torch.tensor(w, dtype=torch.bfloat16)).double().numpy()
    np.testing.assert_array_equal(got, expected)


SLOWTRANSPOSE3D_BF16 = ("ConvConfig(ndim=3, batch=1, in_channels=1, out_channels=2, groups=1, input_size=(3, 4, 6), "
                        "kernel_size=(2, 4, 4), stride=(1, 2, 1), padding=(0, 0, 0), dilation=(1, 1, 2), "
                        "padding_mode='zeros', bias=True, transposed=True, output_padding=(0, 0, 1))")


@pytest.mark.xfail(strict=True, raises=NonConformance,
                   reason="found by the thorough certification (docs/certifications/): torch CPU SlowTranspose3d in "
                          "bfloat16 returns 0 for small normal results (~1e-34) and NaN where the exact result is "
                          "+inf; no hypothesis (FTZ, NaN leak) explains it yet, so it stays a plain xfail here")
def test_slowtranspose3d_bf16_thorough_finding():
    from conformance.backends import registry
    from conformance.checks import check_forward
    from conformance.config import ConvConfig

    config = eval(SLOWTRANSPOSE3D_BF16, {"ConvConfig": ConvConfig})  # noqa: S307 - the report's repr
    check_forward(registry.load("torch-cpu"), config, "bfloat16", "adversarial", 0)
