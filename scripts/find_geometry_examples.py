"""Derive conformance/findings/geometry_examples.py: for every known issue with a config predicate, the simplest
config inside its geometry that its first backend declares, found and shrunk by Hypothesis.

The geometry test (conformance/tests/test_findings_geometries.py) draws configs near each example, so every
finding's geometry is reached by every full run whatever the other draws do (issue #31).  An example must
satisfy the issue's predicate, take a direction the issue names (a transposed config for 'transposed*'
directions, a plain one for the others) and be a config the backend declares in one of the issue's dtypes.
Run after adding or changing a known issue's predicate:

    python scripts/find_geometry_examples.py > conformance/findings/geometry_examples.py
"""

from __future__ import annotations

import sys

from hypothesis import HealthCheck, find, settings, strategies as st
from hypothesis.errors import NoSuchExample

from conformance.backends import registry
from conformance.findings.issue import KnownIssue
from conformance.generate.strategies import conv_configs
from conformance.model.config_text import parse_config


def _transposes(issue: KnownIssue) -> tuple:
    if issue.directions is None:
        return (False, True)
    return tuple(sorted({d.startswith("transposed") for d in issue.directions}))


def example(issue: KnownIssue):
    caps = registry.load(issue.backends[0]).capabilities
    dtypes = [d for d in issue.dtypes if d in caps.dtypes]
    ops = tuple(t for t in _transposes(issue) if caps.transposed or not t)
    strategies = [conv_configs(ndim=n, transposed=t, padding_modes=caps.padding_modes, max_extent=caps.max_extent,
                               general=caps.general if not t else (), general_transposed=caps.general_transposed
                               if t else ()) for n in caps.ndims if n <= 3 for t in ops]

    def inside(config) -> bool:
        return bool(issue.when(config)) and not caps.undeclared_general(config) and any(
            caps.unsupported(config, d) is None for d in dtypes)

    return find(st.one_of(strategies), inside, settings=settings(max_examples=60_000, database=None, derandomize=True,
                                                                 suppress_health_check=list(HealthCheck)))


def main() -> int:
    from conformance.findings import all_issues

    lines = ['"""The simplest config inside each known issue\'s geometry (its `when`), derived by',
             'scripts/find_geometry_examples.py: do not edit by hand."""', "", "EXAMPLES = {"]
    for issue in all_issues():
        if issue.when is None or issue.declared_in is not None:
            continue
        try:
            config = example(issue)
        except NoSuchExample:
            print(f"{issue.key}: no config found inside the geometry", file=sys.stderr)
            return 1
        text = config.short()
        assert parse_config(text) == config, text
        lines.append(f"    {issue.key!r}:\n        {text!r},")
    lines.append("}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
