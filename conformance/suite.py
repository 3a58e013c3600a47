"""Strategy narrowing shared by the suite's test files: only what a backend claims is drawn."""

from __future__ import annotations

import contextlib

import pytest

from .known_issues import KnownNonConformance
from .strategies import conv_configs


class KnownHits:
    """Collects KnownNonConformance raised inside a Hypothesis test body.

    Known failures are recorded and do not stop the search, so an unknown failure in the
    same test still fails it; if only known ones occurred, `xfail_if_any` ends the test as
    an xfail naming each issue and its minimal reproducer.
    """

    def __init__(self):
        self.issues = {}

    @contextlib.contextmanager
    def absorb(self):
        try:
            yield
        except KnownNonConformance as hit:
            self.issues.setdefault(hit.issue.key, hit.issue)

    def xfail_if_any(self) -> None:
        if self.issues:
            pytest.xfail("; ".join(f"known issue {k}: {i.summary}. Minimal reproducer: {i.reproducer}"
                                   for k, i in self.issues.items()))


def require(backend, dtype: str, *, transposed: bool = False, gradients: bool = False) -> None:
    """Skip (with the reason) a whole test the backend does not claim."""
    caps = backend.capabilities
    if dtype not in caps.dtypes:
        pytest.skip(f"{backend.name}: dtype {dtype} not declared (declares {caps.dtypes})")
    if transposed and not caps.transposed:
        pytest.skip(f"{backend.name}: transposed convolution not declared")
    if gradients and not caps.gradients:
        pytest.skip(f"{backend.name}: gradients not declared")


def claimed_configs(backend, **narrowing):
    """conv_configs narrowed to the backend's declared spatial ranks, padding modes and limits.

    `dtype` and `gradients` narrow further by the backend's limits (Capabilities.config_limits).
    """
    caps = backend.capabilities
    dtype = narrowing.pop("dtype", None)
    gradients = narrowing.pop("gradients", False)
    ndims = narrowing.pop("ndim", None)
    modes = narrowing.pop("padding_modes", caps.padding_modes)
    strategies = [conv_configs(ndim=n, padding_modes=modes, **narrowing)
                  for n in caps.ndims if ndims is None or n == ndims]
    if not strategies:
        pytest.skip(f"{backend.name}: no declared spatial rank matches {ndims}")
    out = strategies[0]
    for s in strategies[1:]:
        out = out | s
    if caps.config_limits is not None:
        out = out.filter(lambda c: caps.excludes(c, dtype, gradients) is None)
    return out
