"""Known issues match only where their finding holds: backend, dtype, kernel path and config."""

import dataclasses

from conformance.model.config import ConvConfig
from conformance.findings import known_crash, matching

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


class _Returns:
    """A float64 backend that returns what `fn(oracle output)` makes of the right answer."""

    def __init__(self, fn):
        from conformance.backends import Capabilities

        self.name, self.fn = "shape-test", fn
        self.capabilities = Capabilities(dtypes=("float64",))

    def forward(self, config, x, weight, bias, dtype):
        from conformance.backends import Result

        return Result(self.fn(config.oracle_forward()(x, weight, bias)), "float64", "shape-test")


def test_a_wrong_shape_issue_claims_a_shape_mismatch_and_nothing_else(monkeypatch):
    import pytest

    from conformance import findings as known_issues
    from conformance.judge.checks import check_forward
    from conformance.findings import KnownIssue, KnownNonConformance
    from conformance.judge.verdict import NonConformance

    issue = KnownIssue(key="short", backends=("shape-test",), dtypes=("float64",), kernel_paths=("shape-test",),
                       summary="drops the last output element", hypothesis="wrong-shape")
    monkeypatch.setattr(known_issues, "KNOWN_ISSUES", [issue])
    with pytest.raises(KnownNonConformance, match=r"\[short\]"):
        check_forward(_Returns(lambda y: y[..., :-1]), DENSE, "float64", "integer", 0)
    with pytest.raises(NonConformance, match="outside its declared bound|wrong"):  # right shape, wrong values
        check_forward(_Returns(lambda y: y + 1), DENSE, "float64", "integer", 0)
    check_forward(_Returns(lambda y: y), DENSE, "float64", "integer", 0)  # and the right answer conforms


def test_a_torch_variant_is_covered_as_the_builtin_it_calls_as():
    """'torch-cpu+1thread' makes torch-cpu-1thread's calls, so the keys naming that built-in claim its failures;
    a thread count aside, the other modifiers must match a built-in exactly (an ISA cap changes the kernels)."""
    from conformance.backends.torch.backend import builtin_equivalent
    from conformance.findings import KNOWN_ISSUES

    assert builtin_equivalent("torch-cpu+1thread") == "torch-cpu-1thread"
    assert builtin_equivalent("torch-cpu+avx2") == "torch-cpu-avx2"
    assert builtin_equivalent("torch-cpu-avx2+1thread") == "torch-cpu-avx2"  # threads split, kernels the same
    assert builtin_equivalent("torch-cpu-channels-last+allthreads") == "torch-cpu-channels-last"
    assert builtin_equivalent("torch-cpu-channels-last+avx2") is None  # no built-in makes these calls
    assert builtin_equivalent("torch-cpu") is None and builtin_equivalent("my+backend") is None
    assert builtin_equivalent("torch-cpu+nosuchmodifier") is None

    issue = next(k for k in KNOWN_ISSUES if "torch-cpu-1thread" in k.backends and "torch-cpu-avx2" not in k.backends)
    assert issue.covers("torch-cpu+1thread") and issue.covers("torch-cpu-1thread")
    assert not issue.covers("torch-cpu+avx2") and not issue.covers("torch-cpu-channels-last+avx2")
    assert not issue.covers("jax+1thread")
