"""What `jax-default` declares about default precision, checked against what JAX does here."""

import numpy as np
import pytest

jax = pytest.importorskip("jax", reason='needs jax (pip install ".[jax]")')

from conformance.backends.jax_backend import JaxBackend  # noqa: E402
from conformance.model.config import ConvConfig  # noqa: E402


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_default_precision_is_highest_on_cpu(ndim, transposed):
    """jax-default declares float32 `exact-inputs` on CPU because XLA:CPU computes DEFAULT like HIGHEST."""
    if jax.default_backend() != "cpu":
        pytest.skip(f"jax runs on {jax.default_backend()}: jax-default declares tf32 there, not this")
    stride = (2,) * ndim if transposed else (1,) * ndim
    config = ConvConfig(ndim, 2, 8, 8, 2, (6,) * ndim, (3,) * ndim, stride, (1,) * ndim, (1,) * ndim, "zeros", True,
                        transposed, (1,) * ndim if transposed else None)
    rng = np.random.default_rng(ndim)
    x, w, b = (rng.standard_normal(s).astype(np.float32).astype(np.float64)
               for s in (config.input_shape, config.weight_shape, (8,)))
    highest = JaxBackend("jax", highest=True).forward(config, x, w, b, "float32").output
    default = JaxBackend("jax-default", highest=False).forward(config, x, w, b, "float32").output
    np.testing.assert_array_equal(default, highest)
