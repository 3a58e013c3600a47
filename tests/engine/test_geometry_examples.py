"""Every known issue with a config predicate has its geometry's example (conformance/findings/geometry_examples.py),
inside the geometry, in a direction the issue names, and drawable for the issue's first backend: else the
geometry test (conformance/tests/test_findings_geometries.py) could not reach it.  A new or changed predicate:
rerun scripts/find_geometry_examples.py."""

from conformance.backends import registry
from conformance.findings import all_issues
from conformance.findings.geometry_examples import EXAMPLES
from conformance.generate.strategies import neighbours
from conformance.model.config_text import parse_config
from hypothesis import given, settings
from hypothesis import strategies as st


def builtin_with_predicate():
    return [issue for issue in all_issues() if issue.when is not None and issue.declared_in is None]


def test_every_predicate_has_an_example_inside_its_geometry():
    issues = builtin_with_predicate()
    assert sorted(EXAMPLES) == sorted(issue.key for issue in issues), "rerun scripts/find_geometry_examples.py"
    for issue in issues:
        config = parse_config(EXAMPLES[issue.key])
        caps = registry.load(issue.backends[0]).capabilities
        assert issue.when(config), issue.key
        assert issue.directions is None or any(d.startswith("transposed") == config.transposed
                                               for d in issue.directions), issue.key
        assert any(caps.unsupported(config, d) is None for d in issue.dtypes if d in caps.dtypes), issue.key


@settings(max_examples=60, database=None, deadline=None)
@given(st.data())
def test_the_neighbours_of_an_example_stay_inside_its_geometry(data):
    issue = data.draw(st.sampled_from(builtin_with_predicate()))
    config = data.draw(neighbours(parse_config(EXAMPLES[issue.key]), issue.when))
    assert issue.when(config)
    config.spec()  # valid


def test_a_full_run_misses_a_geometry_no_example_fell_in():
    from conformance.judge.recording import Recorder, expected_geometries, missed_geometries

    backend = registry.load("torch-cpu")
    expected = [issue.key for issue in expected_geometries(backend) if issue.key in EXAMPLES]
    seen = Recorder()
    assert missed_geometries(seen, backend) == expected  # nothing drawn: every one this machine can show
    for key in expected:
        config = parse_config(EXAMPLES[key])
        issue = next(i for i in all_issues() if i.key == key)
        check = "forward" if issue.directions is None or any(d in ("forward", "transposed")
                                                            for d in issue.directions) else "gradients"
        kind = issue.kinds[0] if issue.kinds else "random"
        seen.example(backend.name, config, check, next(d for d in issue.dtypes), kind, 0.0)
    assert missed_geometries(seen, backend) == []


def test_a_full_run_misses_a_direction_and_kind_without_a_long_reduction():
    from conformance.judge import coverage
    from conformance.judge.recording import Recorder
    from conformance.model.config import ConvConfig

    backend = registry.load("scipy")
    seen = Recorder()
    long_plain = ConvConfig(1, 2, 8, 8, 1, (320,), (64,), (1,), (0,), (1,))  # 512 terms forward and grad_input
    seen.example("scipy", long_plain, "forward", "float64", "random", 0.0)
    seen.example("scipy", long_plain, "gradients", "float64", "random", 0.0)
    missed = coverage.missed(backend, set(), set(), set(seen.reductions["scipy"]))["reductions of >= 512 products"]
    assert "forward random" not in missed and "grad_weight random" not in missed and "grad_input random" not in missed
    assert "forward integer" in missed and "transposed random" in missed


def test_every_example_falls_inside_its_geometry_as_the_geometry_test_runs_it():
    # on any machine: the checks, dtype and kind test_findings_geometries picks for each issue's example, on its
    # first backend, count as an example inside the issue's geometry (AMX keys included, where this machine
    # cannot show them)
    from conformance.judge.recording import geometries
    from conformance.tests.test_findings_geometries import plan

    for issue in builtin_with_predicate():
        backend = registry.load(issue.backends[0])
        config = parse_config(EXAMPLES[issue.key])
        runs = plan(issue, backend, config)
        assert runs, issue.key
        counted = {key for check, dtype, kind in runs
                   for key in geometries(backend.name, config, "forward" if check == "forward" else "gradients",
                                         dtype, kind)}
        assert issue.key in counted, (issue.key, runs)
