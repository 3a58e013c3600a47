"""Known issues match only where their finding holds: backend, dtype, kernel path and config."""

import dataclasses

from conformance.config import ConvConfig
from conformance.known_issues import known_crash, matching

GROUPED = ConvConfig(1, 1, 2, 2, 2, (3,), (1,), (1,), (0,), (1,), "zeros", True, False, None)
DENSE = dataclasses.replace(GROUPED, groups=1)


def test_a_config_condition_narrows_a_known_issue():
    keys = {k.key for k in matching("jax", "float64", "xla-cpu", GROUPED)}
    assert "xla-cpu-f64-grouped-nan-leak" in keys
    assert "xla-cpu-f64-grouped-nan-leak" not in {k.key for k in matching("jax", "float64", "xla-cpu", DENSE)}
    assert "xla-cpu-f64-grouped-nan-leak" not in {k.key for k in matching("jax", "float32", "xla-cpu", GROUPED)}


def test_known_crashes_match_their_condition_and_backend_only():
    transposed = dataclasses.replace(GROUPED, transposed=True, stride=(2,), output_padding=(0,))
    assert known_crash("jax", "float32", transposed).key == "xla-cpu-lhs-dilation-abort"
    assert known_crash("jax", "float32", GROUPED) is None  # stride 1: no lhs_dilation anywhere
    assert known_crash("torch-cpu", "float32", transposed) is None
