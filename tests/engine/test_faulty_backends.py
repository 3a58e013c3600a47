"""The ci profile catches every deliberately faulty backend and passes a correct reordered one."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import oracle
from conformance.backends.protocol import Capabilities, Result
from conformance.checks import check_forward, check_grads
from conformance.invariants import CHECKS
from conformance.invalid import RULES, AcceptedInvalid, check_rejects, invalid_cases
from conformance.coverage import kinds_for
from conformance.strategies import seeds
from conformance.suite import claimed_configs
from conformance.verdict import NonConformance

from .faulty_backends import FAULTS, INVARIANT_FAULTS, Faulty, ReorderedFloat32


def caught(backend, dtype, grads=False) -> str:
    """Run the suite's properties as tests/conformance parametrises them (forward per padding mode,
    transposed, or gradients) under the ci profile; return the first failure report."""
    if grads:
        plan = [(check_grads, {})]
    else:
        plan = [(check_forward, dict(transposed=False, padding_modes=(m,))) for m in oracle.PADDING_MODES]
        plan.append((check_forward, dict(transposed=True)))
    for check, narrowing in plan:

        @settings(settings.get_profile("ci"), database=None)
        @given(st.data(), st.sampled_from(kinds_for(backend)), seeds())
        def run(data, kind, seed):
            check(backend, data.draw(claimed_configs(backend, **narrowing)), dtype, kind, seed)

        try:
            run()
        except NonConformance as failure:
            return str(failure)
    pytest.fail(f"{backend.name}: no property of the ci profile caught this fault")


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_ci_profile_catches_the_fault(fault):
    report = caught(Faulty(fault), "float64")
    assert f"faulty-{fault}" in report and "reproduce" in report


def test_ci_profile_catches_a_gradient_fault():
    assert "grad_weight" in caught(Faulty("grad_weight_first_batch_only"), "float64", grads=True)


def test_correctly_reordered_float32_summation_is_not_flagged():
    backend = ReorderedFloat32()

    @settings(settings.get_profile("ci"), database=None)
    @given(st.data(), st.sampled_from(kinds_for(backend)), seeds())
    def run(data, kind, seed):
        check_forward(backend, data.draw(claimed_configs(backend)), "float32", kind, seed)

    run()


class Lenient:
    """Returns zeros for anything: never rejects a config."""

    name = "lenient"
    capabilities = Capabilities(dtypes=("float64",))

    def forward(self, config, x, weight, bias, dtype):
        return Result(np.zeros(x.shape), "float64")


@pytest.mark.parametrize("rule", list(RULES))
def test_invalid_config_test_catches_a_backend_that_accepts_it(rule):
    @settings(settings.get_profile("ci"), database=None)
    @given(invalid_cases(rule))
    def run(case):
        check_rejects(Lenient(), case, "float64")

    with pytest.raises(AcceptedInvalid, match=f"(?s)lenient returned .*{rule}.*reproduce: "):
        run()


@pytest.mark.parametrize("invariant", sorted(INVARIANT_FAULTS))
def test_invariant_catches_its_fault_without_the_oracle(invariant):
    backend = Faulty(INVARIANT_FAULTS[invariant])

    @settings(settings.get_profile("ci"), database=None)
    @given(claimed_configs(backend, max_batch=4, max_macs=300_000), seeds())
    def run(config, seed):
        CHECKS[invariant](backend, config, "float64", seed)

    with pytest.raises(NonConformance, match=f"(?s)faulty-{INVARIANT_FAULTS[invariant]}.*--check {invariant}"):
        run()
