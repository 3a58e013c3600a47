"""XLA:CPU (JAX) findings beyond their reduced reproducers (conformance/findings/reproducers/xla_*.py, run by
test_reproducers.py): the neighbouring cases that compute right, which keep each key as narrow as its finding."""

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


def test_xla_cpu_f32_grouped_does_not_leak():
    # the contrast that locates xla-cpu-f64-grouped-nan-leak in float64: its reproducer's call in float32 conforms
    x, w = np.array([[[1.0], [np.nan]]]), np.ones((2, 1, 1))
    np.testing.assert_array_equal(_lax_conv(x, w, "float32", groups=2), oracle.conv(x, w, groups=2))


def _crop_then_pad(dtype, padding):
    import jax.numpy as jnp
    from jax import lax

    x, w = np.arange(1.0, 25.0).reshape(1, 2, 4, 3), np.arange(1.0, 9.0).reshape(1, 2, 2, 2)
    got = np.asarray(lax.conv_general_dilated(jnp.asarray(x, dtype), jnp.asarray(w, dtype), (1, 1), padding),
                     dtype=np.float64)
    return got, oracle.conv_general(x, w, padding=padding)


def test_xla_cpu_pad_then_crop_and_float64_are_right():
    """xla-cpu-crop-then-pad's narrowness: its reproducer's case with the mirrored pair (pad low, crop high), and
    in float64, agrees with the oracle."""
    got, expected = _crop_then_pad("float32", ((0, 0), (1, -1)))
    np.testing.assert_array_equal(got, expected)
    jax.config.update("jax_enable_x64", True)
    got, expected = _crop_then_pad("float64", ((0, 0), (-1, 1)))
    np.testing.assert_array_equal(got, expected)
