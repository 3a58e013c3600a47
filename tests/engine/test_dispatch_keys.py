"""Known issues keyed on what really dispatches: oneDNN implementation probes, the backend's ISA cap, the invariant
checks consulting the keys as the oracle checks do, and the thread count a case ran at in its reproducer."""

import dataclasses

import numpy as np
import pytest

import oracle
from conformance import findings as known_issues
from conformance.model.config import ConvConfig
from conformance.machine.cpu import cpu_flags
from conformance.findings import KnownIssue, KnownNonConformance
from conformance.machine.onednn_dispatch import Probe, implementations, runs
from conformance.judge.verdict import Case, NonConformance

VERBOSE = [
    "onednn_verbose,v1,info,cpu,isa:Intel AVX-512 with Intel DL Boost and bfloat16 support",
    "onednn_verbose,v1,primitive,exec,cpu,convolution,brg_conv_fwd:avx512_core_bf16,forward_training,src:bf16,,0.1",
    "onednn_verbose,v1,primitive,exec,cpu,reorder,jit:uni,undef,src:bf16,,0.01",
    "onednn_verbose,v1,primitive,exec,cpu,convolution,jit_bf16:avx512_core_bf16,backward_weights,src:bf16,,0.2",
]


def test_implementations_are_read_per_pass_from_verbose_lines():
    assert implementations(VERBOSE) == ["brg_conv_fwd:avx512_core_bf16", "jit_bf16:avx512_core_bf16"]
    assert implementations(VERBOSE, "backward_weights") == ["jit_bf16:avx512_core_bf16"]
    assert implementations(VERBOSE, "backward_data") == []


@pytest.mark.parametrize("kwargs, message", [
    (dict(onednn_pass="backward"), "onednn_pass must be one of"),
    (dict(onednn_pass="forward_training", input=(1, 1, 4), weight=(1, 1, 2, 2)), "input and weight must both"),
    (dict(onednn_pass="forward_training", channels_last=("output",)), "channels_last names roles"),
])
def test_a_probe_names_the_parameter_it_rejects(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Probe("float32", **kwargs)


def test_a_platform_follows_the_implementation_that_runs_here_and_under_a_cap():
    """The same probe claims where its implementation runs and says which one runs instead elsewhere: here and, in
    a fresh process, under the AVX2 cap (what an AVX2-only CPU dispatches)."""
    pytest.importorskip("torch")
    from conformance.machine.onednn_dispatch import implementation

    probe = Probe("float32", "forward_training")
    here = implementation(probe)
    if here is None:
        pytest.skip("torch keeps float32 convolutions to itself here (oneDNN off)")
    assert runs(probe, here)() is None
    why = runs(probe, "no-such-kernel:*")()
    assert f"runs {here}" in why and "no-such-kernel:*" in why
    if not {"avx2", "fma"} <= (cpu_flags() or set()):
        pytest.skip("this CPU cannot run oneDNN capped at AVX2")
    capped = implementation(probe, {"ONEDNN_MAX_CPU_ISA": "AVX2"})
    assert capped is not None and "avx512" not in capped, capped
    assert runs(probe, "*avx512*", "*avx10*")({"ONEDNN_MAX_CPU_ISA": "AVX2"}) is not None


def test_a_key_probes_under_its_backends_isa_cap():
    """torch-cpu+avx2 runs with ONEDNN_MAX_CPU_ISA=AVX2: an AVX-512 key claims nothing there, whatever this
    process dispatches."""
    pytest.importorskip("torch")
    if not {"avx2", "fma"} <= (cpu_flags() or set()):
        pytest.skip("this CPU cannot run oneDNN capped at AVX2")
    assert known_issues.backend_env("torch-cpu+avx2")["ONEDNN_MAX_CPU_ISA"] == "AVX2"
    assert known_issues.backend_env("torch-cpu") == {}
    issue = known_issues.get("onednn-avx512-f32-depth-stride-grad-weight")
    why = issue.unreachable_here("torch-cpu+avx2")
    assert why is not None and "avx2" in why


# -- invariants consult the keys ------------------------------------------------------------------------------
BATCHED = ConvConfig(1, 2, 1, 1, 1, (5,), (2,), (1,), (0,), (1,), "zeros", False, False, None)


class _WrongWhenBatched:
    """The oracle, except that a batched call gets sample 1 wrong (a kernel splitting work by batch)."""

    name = "wrong-when-batched"

    def __init__(self):
        from conformance.backends import Capabilities

        self.capabilities = Capabilities(dtypes=("float32",))

    def forward(self, config, x, weight, bias, dtype):
        from conformance.backends import Result

        y = oracle.conv(x, weight, bias, **config.kwargs())
        if config.batch > 1:
            y[1] += 1.0
        return Result(y, dtype, "blocked")


def _key(**changes):
    fields = dict(key="test-wrong-batched", backends=("wrong-when-batched",), dtypes=("float32",),
                  kernel_paths=("blocked",), summary="test", hypothesis="wrong-values")
    return KnownIssue(**{**fields, **changes})


@pytest.mark.parametrize("issue, verdict", [
    (None, NonConformance),
    (_key(), KnownNonConformance),
    (_key(when=lambda config: config.ndim == 2), NonConformance),  # the key's geometry is another
    (_key(directions=("grad_weight",)), NonConformance),  # and its direction
    (_key(hypothesis="flush-to-zero"), NonConformance),  # FTZ cannot change exact integer results
])
def test_an_invariant_is_claimed_by_a_key_exactly_as_an_oracle_check_is(monkeypatch, issue, verdict):
    from conformance.judge.invariants import check_batch_independence

    monkeypatch.setattr(known_issues, "KNOWN_ISSUES", [issue] if issue else [])
    with pytest.raises(verdict):
        check_batch_independence(_WrongWhenBatched(), BATCHED, "float32", 0)


# -- the thread count travels with the case -------------------------------------------------------------------
def test_the_reproducer_sets_the_thread_count_the_case_ran_at():
    case = Case("scipy", BATCHED, "float64", "integer", 0, "batch-independence", threads=2)
    assert case.reproducer().startswith("OMP_NUM_THREADS=2 python -m conformance repro --backend scipy ")
    assert "--check batch-independence" in case.reproducer()
    assert not dataclasses.replace(case, threads=None).reproducer().startswith("OMP_NUM_THREADS")


def test_a_torch_case_records_its_processes_thread_count():
    pytest.importorskip("torch")
    from conformance.judge.checks import check_forward
    from conformance.run.isolation import IsolatedBackend

    backend = IsolatedBackend("torch-cpu-1thread")
    try:
        assert backend.threads() == 1  # asked of its worker process, once
        check_forward(backend, dataclasses.replace(BATCHED, bias=True), "float32", "integer", 0)  # conforms
    finally:
        backend.close()
    with pytest.raises(NonConformance) as failure:
        check_forward(_WrongWhenBatchedThreads(), BATCHED, "float32", "integer", 0)
    assert "threads       3" in str(failure.value) and "OMP_NUM_THREADS=3 " in str(failure.value)


class _WrongWhenBatchedThreads(_WrongWhenBatched):
    name = "wrong-when-batched-3-threads"

    def threads(self):
        return 3


def test_known_issue_platforms_take_the_backends_environment():
    """Every platform accepts the environment a backend's process adds (its ISA cap)."""
    for issue in known_issues.KNOWN_ISSUES:
        if issue.platform is not None:
            assert issue.platform.__code__.co_argcount == 1, issue.key
    np.testing.assert_equal(known_issues.backend_env(None), {})
