"""The probabilistic tier (conformance.model.bounds.probable_bound): a correct float32 kernel never trips it, in
any summation order; a narrower accumulator or undeclared TF32 inputs do, on long reductions, where the
worst-case bound alone may pass them.  The 10,000-example version: benchmarks/probabilistic_tier.py."""

import numpy as np
import pytest

from conformance.judge.recording import Recorder
from conformance.judge.verdict import BelowDeclaredPrecision, NonConformance
from conformance.model.bounds import FALSE_ALARM, MAX_ELEMENTS, gamma, gamma_tilde, probabilistic_lambda
from conformance.model.config import ConvConfig
from conformance.run.runner import run_check
from tests.engine.accumulators import FAULTY, LEGITIMATE, Accumulating

# 1,024 products per output element (128 channels x 8 taps), 132 elements
LONG = ConvConfig(1, 2, 128, 2, 1, (40,), (8,), (1,), (0,), (1,))
GROUPED_2D = ConvConfig(2, 1, 96, 4, 2, (9, 8), (4, 3), (2, 1), (1, 0), (1, 2))  # 576 products


def check(backend, config, kind="random", seed=0):
    return run_check("forward", backend, config, "float32", kind, seed, recorder=Recorder())


def test_lambda_keeps_a_runs_false_alarms_below_the_target():
    for n in (64, 1025, 10**5):
        lam = probabilistic_lambda(n, 2.0**-24)
        # the failure probability of one element's bound (Higham & Mary 2019, Theorem 3.1, a union over its n
        # terms), times the elements a run may judge
        assert 2 * n * MAX_ELEMENTS * np.exp(-lam**2 * (1 - 2.0**-24) ** 2 / 2) <= FALSE_ALARM * (1 + 1e-9)
    # tighter than the worst case where sums are long: about 30x at 1e5 terms
    u, n = 2.0**-24, 10**5
    assert gamma(n, u) / gamma_tilde(n, probabilistic_lambda(n, u), u) > 30


@pytest.mark.parametrize("policy", LEGITIMATE)
@pytest.mark.parametrize("config", [LONG, GROUPED_2D], ids=["1d-1024-terms", "2d-grouped-576-terms"])
def test_a_legitimate_float32_summation_never_trips_it(policy, config):
    for seed in range(3):
        outcome = check(Accumulating(policy), config, seed=seed)
        assert outcome.status == "pass", outcome.report
        assert outcome.measured.probable_ratio < 0.1  # a wide margin: lambda is sized for 1e10 elements


@pytest.mark.parametrize("policy", FAULTY)
def test_a_narrower_accumulator_is_caught(policy):
    assert check(Accumulating(policy), LONG).status == "fail"


def test_undeclared_tf32_inputs_pass_the_worst_case_and_are_caught_by_the_tier():
    outcome = check(Accumulating("sequential", inputs="tf32"), LONG, seed=3)
    assert isinstance(outcome.failure, BelowDeclaredPrecision), outcome.report
    assert "accumulates below the declared precision" in outcome.report
    assert "every value is within the worst-case bound" in outcome.report
    assert "bits of accumulation; the exact-inputs class declares 24" in outcome.report
    # the tier judges random data only: the same backend on integer data is exact (TF32 holds small integers)
    assert check(Accumulating("sequential", inputs="tf32"), LONG, kind="integer").status == "pass"


# -- every direction, as the ci profile draws it -------------------------------------------------------------

def caught_by_ci(backend) -> str:
    """Run the ci profile's items as the suite runs them for this float32 backend, test_long_reductions first
    (the item that meets every direction's long sums), then the core tests, per data kind; the first failure
    report, or '' when none fails."""
    from tests.engine.test_faulty_backends import items_of_ci

    for run in items_of_ci(backend, long_first=True):
        try:
            run()
        except NonConformance as failure:
            return str(failure)
    return ""


@pytest.mark.parametrize("where", ["forward", "transposed", "grad_input", "grad_weight"])
@pytest.mark.parametrize("fault", ["bfloat16-every-64", "float16-every-8", "tf32-inputs"])
def test_the_ci_profile_catches_a_narrower_accumulator_in_each_direction(fault, where):
    backend = Accumulating("sequential", inputs="tf32", where=where) if fault == "tf32-inputs" else \
        Accumulating(fault, where=where)
    report = caught_by_ci(backend)
    assert report, f"{backend.name}: no item of the ci profile caught it"
    # the report names the check ([forward, ...] for a transposed config too) and the config (convT: transposed)
    head, config = report.splitlines()[0], next(line for line in report.splitlines() if "config " in line)
    assert f"[{'forward' if where == 'transposed' else where}, float32" in head, head
    assert where != "transposed" or "convT" in config, config


@pytest.mark.parametrize("policy", LEGITIMATE)
def test_a_legitimate_summation_in_every_direction_passes_the_long_reduction_items(policy):
    from tests.engine.test_faulty_backends import items_of_ci

    # the data kind the tier judges (integer sums are exact in any order; a compensated sum's own overflow
    # behaviour, Kahan's correction turning an intermediate inf into NaN, is another matter)
    for run in items_of_ci(Accumulating(policy, where="all"), long_first=True, core=False, kinds=("random",)):
        run()  # a NonConformance fails the test with its report
