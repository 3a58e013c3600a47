"""The ci profile catches every deliberately faulty backend and passes a correct reordered one."""

import itertools
import zlib

import numpy as np
import pytest
from hypothesis import Phase, given, seed, settings, strategies as st

from conformance.backends.protocol import Capabilities, Result
from conformance.judge.checks import check_forward, check_grads
from conformance.model.config import ConvConfig
from conformance.generate.data import DATA_KINDS
from conformance.model.dtypes import DTYPES
from conformance.generate.families import BUDGETS
from conformance.model.classify import tags
from conformance.judge.invariants import CHECKS
from conformance.judge.invalid import RULES, AcceptedInvalid, check_rejects, invalid_cases
from conformance.judge.coverage import kinds_for
from conformance.generate.strategies import seeds
from conformance.run.suite import claimed_configs
from conformance.judge.verdict import NonConformance

from .faulty_backends import FAMILY_FAULTS, FAULTS, INVARIANT_FAULTS, Faulty, ReorderedFloat32


# Hypothesis' explain phase re-runs a shrunk failure with its parts varied, to annotate the report; these
# tests read the failure, not the annotation, and on the family faults it cost 3x the finding and shrinking
NO_EXPLAIN = tuple(p for p in Phase if p.name != "explain")


def caught(backend, dtype, grads=False, shrink=False) -> str:
    """Run the suite's properties as conformance/tests runs them under the ci profile (one item per
    padding mode or transposed, or gradients, and data kind, with the suite's examples per item and
    a seed per item); return the first failure report.  Shrinking only where asked: finding is what
    most of these tests show, and shrinking many failures is slow."""
    for run in items_of_ci(backend, dtype=dtype, long=False, grads=grads, shrink=shrink):
        try:
            run()
        except NonConformance as failure:
            return str(failure)
    pytest.fail(f"{backend.name}: no property of the ci profile caught this fault")


def items_of_ci(backend, *, dtype="float32", long=True, long_first=False, core=True, grads=None, kinds=None,
                shrink=False):
    """The ci profile's items for a backend, as callables that raise the first NonConformance:
    test_long_reductions' (one per data kind, its examples per item; with `long`) and, with `core`, the core
    tests' (forward per padding mode and transposed, and gradients; `grads` True or False: only the gradients,
    or only the forward ones), per kind (`kinds`: those only), each seeded from its name as the suite seeds a
    node; the long items first with `long_first`.  No shrinking unless `shrink`: finding is what most callers
    show."""
    from conformance.judge.recording import Recorder
    from conformance.run.suite import KnownHits, long_reduction_example
    from conformance.tests.test_long_reductions import SHARE

    ci = settings.get_profile("ci")
    caps = backend.capabilities
    per_item = -(-ci.max_examples * len(DTYPES) // len(caps.dtypes) // len(DATA_KINDS))
    phases = tuple(p for p in NO_EXPLAIN if shrink or p is not Phase.shrink)

    def long_item(kind):
        @seed(zlib.crc32(f"{backend.name}-long-{kind}".encode()))
        @settings(ci, database=None, max_examples=max(2, -(-ci.max_examples // SHARE)), phases=phases)
        @given(st.data(), seeds())
        def run(data, seed_):
            long_reduction_example(backend, kind, data, seed_, Recorder(), KnownHits())
        return run

    def core_item(check, narrowing, kind):
        configs = claimed_configs(backend, **narrowing)

        @seed(zlib.crc32(f"{backend.name}-{narrowing}-{kind}".encode()))
        @settings(ci, database=None, max_examples=per_item, phases=phases)
        @given(st.data(), seeds())
        def run(data, seed_):
            check(backend, data.draw(configs), dtype, kind, seed_)
        return run

    kinds = kinds_for(backend) if kinds is None else kinds
    long_runs = [long_item(kind) for kind in kinds] if long else []
    plan = []
    if core and grads is not True:
        plan += [(check_forward, dict(transposed=False, padding_modes=(m,))) for m in caps.padding_modes]
        plan += [(check_forward, dict(transposed=True))] * caps.transposed
    if core and grads is not False:
        plan += [(check_grads, {})] * caps.gradients
    core_runs = [core_item(check, narrowing, kind) for (check, narrowing), kind in itertools.product(plan, kinds)]
    return long_runs + core_runs if long_first else core_runs + long_runs


def failing_config(report: str) -> ConvConfig:
    line = next(v for v in report.splitlines() if v.strip().startswith("config repr"))
    return eval(line.split("config repr", 1)[1].strip(), {"ConvConfig": ConvConfig})  # noqa: S307 - our repr


@pytest.mark.parametrize("fault", sorted(set(FAULTS) - set(FAMILY_FAULTS.values())))
def test_ci_profile_catches_the_fault(fault):
    report = caught(Faulty(fault), "float64")
    assert f"faulty-{fault}" in report and "reproduce" in report


@pytest.mark.parametrize("family", sorted(FAMILY_FAULTS))
def test_ci_profile_catches_a_fault_of_each_family_and_shrinks_it_inside_the_family(family):
    # each fault is wrong only in its family's corner; the minimal failure stays there and is small
    report = caught(Faulty(FAMILY_FAULTS[family]), "float64", shrink=True)
    config = failing_config(report)
    assert family in tags(config), f"shrunk out of {family}: {config.short()}"
    assert config.macs <= BUDGETS[family] // 10 or config.macs <= 300, f"not shrunk: {config.short()}"


def test_ci_profile_catches_a_gradient_fault():
    assert "grad_weight" in caught(Faulty("grad_weight_first_batch_only"), "float64", grads=True)


def test_correctly_reordered_float32_summation_is_not_flagged():
    backend = ReorderedFloat32()
    for transposed, kind in itertools.product((False, True), kinds_for(backend)):
        configs = claimed_configs(backend, transposed=transposed)

        @settings(settings.get_profile("ci"), database=None)
        @given(st.data(), seeds())
        def run(data, seed_):
            check_forward(backend, data.draw(configs), "float32", kind, seed_)

        run()


class Lenient:
    """Returns zeros for anything: never rejects a config."""

    name = "lenient"
    capabilities = Capabilities(dtypes=("float64",))

    def forward(self, config, x, weight, bias, dtype):
        return Result(np.zeros(x.shape), "float64")


@pytest.mark.parametrize("rule", list(RULES))
def test_invalid_config_test_catches_a_backend_that_accepts_it(rule):
    @settings(settings.get_profile("ci"), database=None, phases=tuple(p for p in NO_EXPLAIN if p is not Phase.shrink))
    @given(invalid_cases(rule))
    def run(case):
        check_rejects(Lenient(), case, "float64")

    with pytest.raises(AcceptedInvalid, match=f"(?s)lenient returned .*{rule}.*reproduce: "):
        run()


@pytest.mark.parametrize("invariant", sorted(INVARIANT_FAULTS))
def test_invariant_catches_its_fault_without_the_oracle(invariant):
    backend = Faulty(INVARIANT_FAULTS[invariant])

    @settings(settings.get_profile("ci"), database=None, phases=NO_EXPLAIN)
    @given(claimed_configs(backend, max_batch=4, max_macs=300_000), seeds())
    def run(config, seed):
        CHECKS[invariant](backend, config, "float64", seed)

    with pytest.raises(NonConformance, match=f"(?s)faulty-{INVARIANT_FAULTS[invariant]}.*--check {invariant}"):
        run()
