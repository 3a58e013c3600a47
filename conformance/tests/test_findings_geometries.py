"""Each known finding's geometry, reached by every full run (issue #31).

A known issue with a config predicate (`when`) names the geometry where its backend computes wrong: a oneDNN
kernel that misplaces depth taps only when the depth stride is 2 or more and the depth padding exceeds it, say.
The generator can draw each of them, but some only rarely (that one was found by a thorough certification), and
a run that no longer meets a finding can no longer tell it is fixed, or regressed.  Here every issue this backend
can show on this machine (recording.expected_geometries) gets examples drawn near the simplest config inside its
geometry (conformance/findings/geometry_examples.py, derived by scripts/find_geometry_examples.py), in one of
its dtypes and data kinds, in the directions it names; a full run asserts every geometry was reached
(conformance.judge.coverage).  Meeting a known issue is an xfail, as in the core tests.
"""

import pytest
from hypothesis import given, strategies as st

from conformance.findings.geometry_examples import EXAMPLES
from conformance.generate.strategies import neighbours, seeds
from conformance.judge.coverage import kinds_for
from conformance.judge.recording import expected_geometries
from conformance.model.config_text import parse_config
from conformance.run.runner import run_check
from conformance.run.suite import KnownHits, exploring, session_recorder

# the ci profile's 30 examples over 15 shares: two per backend, each meeting every geometry
SHARE = 15


def plan(issue, backend, config) -> list:
    """(check, dtype, kind) to run `config` with, so that it falls inside the issue's geometry: the checks that
    meet the directions the issue names (forward for forward/transposed, grads for the rest), in its first dtype
    the backend takes the config in (gradients: where it declares them) and its first kind the backend takes."""
    caps = backend.capabilities
    named = issue.directions or ("forward", "grad_input")
    checks = ["forward"] * any(d in ("forward", "transposed") for d in named) + \
        ["grads"] * (caps.gradients and any("grad" in d for d in named))
    kinds = [k for k in (issue.kinds or ("random", "integer")) if k in kinds_for(backend)]
    out = []
    for check in checks:
        dtypes = [d for d in issue.dtypes if d in caps.dtypes
                  and caps.unsupported(config, d, gradients=check == "grads") is None]
        if dtypes and kinds:
            out.append((check, dtypes[0], kinds[0]))
    return out


def test_findings_geometries(backend, request):
    issues = [issue for issue in expected_geometries(backend) if issue.key in EXAMPLES]
    if not issues:
        pytest.skip(f"{backend.name}: no known issue with a config predicate can show here")
    known, recorder = KnownHits(), session_recorder(request.config)

    @exploring(backend, request, share=SHARE, per_dtype=False)
    @given(st.data(), seeds())
    def run(data, seed_):
        for issue in issues:
            config = data.draw(neighbours(parse_config(EXAMPLES[issue.key]), issue.when), label=issue.key)
            for check, dtype, kind in plan(issue, backend, config):
                known.take(run_check(check, backend, config, dtype, kind, seed_, recorder=recorder))

    run()
    known.xfail_if_any()
