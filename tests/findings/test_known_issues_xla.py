"""Reduced reproducers of the XLA:CPU known issues (JAX), as strict xfails: when upstream changes the
behaviour they fail, saying the entry in conformance/findings/ must go."""

import numpy as np
import pytest

import oracle

jax = pytest.importorskip("jax", reason='the XLA known issues need jax (pip install ".[jax]")')


def _lax_conv(x, w, dtype, groups=1):
    import jax.numpy as jnp
    from jax import lax

    nd = x.ndim - 2
    return np.asarray(lax.conv_general_dilated(jnp.asarray(x, dtype), jnp.asarray(w, dtype), (1,) * nd,
                                               [(0, 0)] * nd, feature_group_count=groups), dtype=np.float64)


@pytest.mark.xfail(strict=True, reason="known issue xla-cpu-ftz (conformance/findings/xla.py)")
def test_xla_cpu_ftz_reduced():
    # inf times the smallest float32 subnormal is inf under IEEE; with DAZ the weight reads as 0 -> NaN
    x, w = np.array([[[np.inf]]]), np.array([[[2.0 ** -149]]])
    np.testing.assert_array_equal(_lax_conv(x, w, "float32"), oracle.conv(x, w))


@pytest.mark.xfail(strict=True, reason="known issue xla-cpu-f64-grouped-nan-leak (conformance/findings/xla.py)")
def test_xla_cpu_f64_grouped_nan_leak_reduced():
    jax.config.update("jax_enable_x64", True)
    x, w = np.array([[[1.0], [np.nan]]]), np.ones((2, 1, 1))  # group 0 reads channel 0 only
    np.testing.assert_array_equal(_lax_conv(x, w, "float64", groups=2), oracle.conv(x, w, groups=2))  # [1, nan]


def test_xla_cpu_f32_grouped_does_not_leak():
    # the contrast that locates the leak in float64: the same call in float32 conforms
    x, w = np.array([[[1.0], [np.nan]]]), np.ones((2, 1, 1))
    np.testing.assert_array_equal(_lax_conv(x, w, "float32", groups=2), oracle.conv(x, w, groups=2))


@pytest.mark.xfail(strict=True, reason="known issue xla-cpu-lhs-dilation-abort (conformance/findings/xla.py)")
def test_xla_cpu_lhs_dilation_abort_reduced():
    import subprocess
    import sys

    # in a child: the CHECK failure aborts the whole process
    code = ("import jax.numpy as jnp, numpy as np; from jax import lax; "
            "y = lax.conv_general_dilated(jnp.ones((1, 1, 1, 3)), jnp.ones((1, 1, 2, 2)), (1, 1), [(0, 1), (0, 0)], "
            "lhs_dilation=(1, 2)); print(np.asarray(y).ravel().tolist())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr.splitlines()[:1]}"
    # what it should print: width dilated to [1, 0, 1, 0, 1], height padded by one row of zeros
    dilated = np.zeros((1, 1, 2, 5))
    dilated[0, 0, 0, ::2] = 1
    assert done.stdout.strip() == str(oracle.conv(dilated, np.ones((1, 1, 2, 2))).ravel().tolist())


def _crop_then_pad(dtype, padding):
    import jax.numpy as jnp
    from jax import lax

    x, w = np.arange(1.0, 25.0).reshape(1, 2, 4, 3), np.arange(1.0, 9.0).reshape(1, 2, 2, 2)
    got = np.asarray(lax.conv_general_dilated(jnp.asarray(x, dtype), jnp.asarray(w, dtype), (1, 1), padding),
                     dtype=np.float64)
    return got, oracle.conv_general(x, w, padding=padding)


@pytest.mark.xfail(strict=True, reason="known issue xla-cpu-crop-then-pad (conformance/findings/xla.py)")
def test_xla_cpu_crop_then_pad_reduced():
    got, expected = _crop_then_pad("float32", ((0, 0), (-1, 1)))  # exact [470, 222, 578, 270, 686, 318]
    np.testing.assert_array_equal(got, expected)


def test_xla_cpu_pad_then_crop_and_float64_are_right():
    """The narrowness contrast: the mirrored pair (pad low, crop high), and float64, agree with the oracle."""
    got, expected = _crop_then_pad("float32", ((0, 0), (1, -1)))
    np.testing.assert_array_equal(got, expected)
    jax.config.update("jax_enable_x64", True)
    got, expected = _crop_then_pad("float64", ((0, 0), (-1, 1)))
    np.testing.assert_array_equal(got, expected)
